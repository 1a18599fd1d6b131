"""L-BFGS and the trust-region Newton method against scipy.optimize's L-BFGS-B, trust-ncg and trust-exact on the
classic test functions: the same end point (to 1e-5) and evaluations of f, ∇f and the Hessian within FACTOR of
scipy's (nfev, njev, nhev)."""
import numpy as np
import pytest
from autograd import grad, hessian
from scipy.optimize import minimize

from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.trajectory import Run

FACTOR = 2.0   # our counts are at most this times scipy's (measured: at most 1.4×)

CASES = {
    "rosenbrock": ("(1 - x)^2 + 100*(y - x^2)^2",
                   lambda v: (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2, (-1.2, 1.0)),
    "beale": ("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
              lambda v: ((1.5 - v[0] + v[0] * v[1]) ** 2 + (2.25 - v[0] + v[0] * v[1] ** 2) ** 2
                         + (2.625 - v[0] + v[0] * v[1] ** 3) ** 2), (1.0, 1.0)),
    "himmelblau": ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
                   lambda v: (v[0] ** 2 + v[1] - 11) ** 2 + (v[0] + v[1] ** 2 - 7) ** 2, (0.0, 0.0)),
    "quadratic": ("3*x^2 + 2*x*y + 40*y^2 - x + y",
                  lambda v: 3 * v[0] ** 2 + 2 * v[0] * v[1] + 40 * v[1] ** 2 - v[0] + v[1], (2.0, -1.5)),
}
PAIRS = [("l-bfgs", "L-BFGS-B"), ("trust-region", "trust-ncg"), ("trust-region", "trust-exact")]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_the_same_end_point_as_scipy_for_comparable_work(case, ours, theirs):
    expr, f, start = CASES[case]
    extra = {"hess": hessian(f)} if theirs.startswith("trust") else {}
    reference = minimize(f, np.array(start), method=theirs, jac=grad(f), tol=1e-12, **extra)
    assert reference.success
    r = Run(make_optimizer(ours, Objective(expr)), start, max_steps=500, tolerance=1e-8)
    r.run_to_end()
    assert r.end_point == "minimum"
    np.testing.assert_allclose(r.states[-1].point, reference.x, atol=1e-5)
    values, gradients, hessians = r.evaluation_counts()[-1]
    assert values <= FACTOR * reference.nfev
    assert gradients <= FACTOR * reference.njev
    if ours == "trust-region":
        assert hessians <= FACTOR * reference.nhev
    else:
        assert hessians == 0
