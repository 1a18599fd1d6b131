"""The session's spectrum of a network fit at the state on show: numpy's eigvalsh of autograd's Hessian at the
very parameters on show, computed once per state and kept, and nothing without a network."""
import numpy as np
from autograd import hessian

from explorer.session import Session
from explorer.session.model_spectrum import cached_spectrum, model_spectrum, spectrum_work


def model_fit(dataset="moons", model="mlp:4:tanh") -> Session:
    s = Session()
    s.set_expression("x^2 + y^2")
    s.forget_history()
    s.start_model_fit(dataset, model)
    return s


def dense(problem, theta):
    return np.linalg.eigvalsh(hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta))


def test_the_spectrum_is_the_hessians_at_the_step_on_show_and_is_computed_once_per_step():
    s = model_fit()
    for _ in range(4):
        s.step_forward()
    theta = np.array(s.runs[0].current.point)
    work = spectrum_work(s)
    assert work is not None and cached_spectrum(s) is None
    out = work()
    np.testing.assert_allclose(out["hessian_eigenvalues"], dense(s.problem, theta), atol=1e-10)
    assert out["step"] == 4 and out["complete"]
    assert spectrum_work(s) is None and cached_spectrum(s) is out   # kept: not computed again
    s.step_back()
    assert cached_spectrum(s) is None                               # another step, another spectrum
    back = model_spectrum(s)
    assert back["step"] == 3
    np.testing.assert_allclose(back["hessian_eigenvalues"], dense(s.problem, s.runs[0].current.point), atol=1e-10)
    s.step_forward()
    assert cached_spectrum(s) is out


def test_nothing_without_a_network():
    s = Session()
    s.set_expression("x^2 + y^2")
    assert spectrum_work(s) is None and cached_spectrum(s) is None and model_spectrum(s) is None


def test_the_spectrum_carries_the_jacobians_singular_values_that_make_gauss_newton():
    """σ of J (residuals' for squared error, whitened logits' for cross-entropy) against numpy's SVD of autograd's
    jacobian, and c·σ² against the largest eigenvalues of G (no penalty here), c = 2/n or 1/n."""
    from autograd import jacobian
    for dataset, model in (("wave", "mlp:3:tanh"), ("moons", "mlp:3:tanh")):
        s = model_fit(dataset, model)
        for _ in range(3):
            s.step_forward()
        problem, theta = s.problem, np.array(s.runs[0].current.point)
        assert problem.network.l2 == 0 and problem.network.l1 == 0
        out = model_spectrum(s)
        X, n = problem.X_train, len(problem.y_train)
        j = jacobian(lambda t: problem.network.logits(t, X)[:, 0])(theta)   # (rows, parameters)
        if dataset == "moons":
            p = 1 / (1 + np.exp(-problem.network.logits(theta, X)[:, 0]))
            j = np.sqrt(p * (1 - p))[:, None] * j
        sigma = np.linalg.svd(j, compute_uv=False)
        np.testing.assert_allclose(out["singular_values"], sigma, rtol=1e-8, atol=1e-10)
        c = 2.0 / n if dataset == "wave" else 1.0 / n
        assert out["gauss_newton_factor"] == c and out["jacobian_shape"] == (n, problem.dimension)
        assert out["jacobian_kind"] == ("residuals" if dataset == "wave" else "whitened logits")
        g = np.sort(out["gauss_newton_eigenvalues"])[::-1][:len(sigma)]
        np.testing.assert_allclose(c * sigma ** 2, g, rtol=1e-6, atol=1e-9 * g[0])
