"""Issue 27's presets (46–51: each method's state drawn) do what their notes say: every number of a note is
computed here from the preset's own runs, and the drawn state is checked against the path itself, the gradient
and Hessian written out by hand for each function (autograd's `hessian` where it is not a quadratic)."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.calculus import PointCalculus
from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.preset_library import load_presets
from explorer.core.trajectory import Run
from explorer.session.method_state_reading import hessian_errors, run_method_drawing

PRESETS = {path.stem: scene for path, scene in load_presets()}


def runs_of(scene) -> list[Run]:
    """Every run of the scene, run to its end, as the program runs it."""
    objective = Objective(scene.text, scene.parameter_values())
    runs = []
    for spec in scene.runs:
        run = Run(make_optimizer(spec.method, objective, **spec.settings), spec.start, max_steps=scene.max_steps)
        run.run_to_end()
        runs.append(run)
    return runs


def arrows(run, k) -> dict[str, np.ndarray]:
    return {a.name: a.vector for a in run_method_drawing(run, k).arrows}


def check_methods(scene, *expected):
    assert [(s.method, s.settings) for s in scene.runs] == list(expected)
    assert scene.overlays["method_state"] and scene.selected_run == 0


def momentum_two_arrows(scene):
    """'Each step of momentum is the velocity part βv plus the gradient part −η∇f: along the valley they add up,
    across it they pull against each other and the zig-zag dies down. Momentum (η 0.05, β 0.5) reaches the minimum
    in 48 steps, gradient descent (η 0.09) in 80.'"""
    check_methods(scene, ("momentum", {"lr": 0.05, "momentum": 0.5}), ("gd", {"lr": 0.09}))
    momentum, gd = runs_of(scene)
    assert momentum.status == gd.status == "converged"
    assert (len(momentum.records), len(gd.records)) == (48, 80)
    assert np.linalg.norm(momentum.path[-1]) < 1e-5 and np.linalg.norm(gd.path[-1]) < 1e-5
    path = momentum.path
    same_x, against_y = 0, 0
    for k in range(1, 16):
        drawn = arrows(momentum, k)
        velocity, pushed, step = drawn["velocity part βv"], drawn["gradient part −η∇f"], drawn["the step βv − η∇f"]
        x, y = path[k]
        assert velocity == pytest.approx(0.5 * (path[k] - path[k - 1]), abs=1e-12)    # v is the last step
        assert pushed == pytest.approx(-0.05 * np.array([2 * x, 20 * y]), abs=1e-12)  # ∇(x² + 10y²) = (2x, 20y)
        assert velocity + pushed == pytest.approx(step, abs=1e-12)
        assert step == pytest.approx(path[k + 1] - path[k], abs=1e-12)
        same_x += velocity[0] * pushed[0] > 0
        against_y += velocity[1] * pushed[1] < 0
    assert same_x == 15                    # along the valley: every step
    assert against_y > 15 / 2              # across it: most steps
    amplitude = np.abs(path[:, 1])
    assert amplitude[10:15].max() < amplitude[0:5].max() / 10


def adam_scaling_ellipse(scene):
    """'Adam divides each coordinate of the gradient by its size (the ellipse), so its first step is (0.5, −0.5),
    the same in x and y, while gradient descent's is (0.08, −2), 25 times longer across the valley.
    Adam reaches the minimum in 239 steps; gradient descent is still 0.39 from it after 300.'"""
    check_methods(scene, ("adam", {"lr": 0.5}), ("gd", {"lr": 0.5}))
    adam, gd = runs_of(scene)
    x, y = scene.runs[0].start
    g = np.array([2 * x / 100, 2 * y])                  # ∇((x/10)² + y²)
    first = adam.path[1] - adam.path[0]
    assert first == pytest.approx([0.5, -0.5], abs=1e-6)
    assert gd.path[1] - gd.path[0] == pytest.approx(-0.5 * g, abs=1e-12)
    assert -0.5 * g == pytest.approx([0.08, -2.0])
    assert abs(g[1] / g[0]) == pytest.approx(25)
    drawing = run_method_drawing(adam, 0)
    (ellipse,) = drawing.curves                         # step 0: m̂ = g, v̂ = g², so η/(√v̂ + ε) ≈ η/|g| per coordinate
    semi_axes = (ellipse.points.max(axis=0) - ellipse.points.min(axis=0)) / 2
    assert semi_axes == pytest.approx(0.5 / np.abs(g), rel=1e-6)
    assert arrows(adam, 0)["adam's step: each coordinate × η/(√v+ε)"] == pytest.approx(first, abs=1e-12)
    assert adam.status == "converged" and len(adam.records) == 239 and np.linalg.norm(adam.path[-1]) < 1e-3
    assert gd.status == "step limit" and len(gd.records) == scene.max_steps == 300
    assert f"{np.linalg.norm(gd.path[-1]):.2f}" == "0.39"
    assert gd.path[-1] == pytest.approx([x * 0.99**300, 0], abs=1e-12)   # x shrinks by 1 − η/50 a step, y is 0 at once


def bfgs_learns_the_hessian(scene):
    """'BFGS starts from B = I, with ‖B − H‖/‖H‖ = 0.89 (the loss plot), and 0.75 after one step; after two steps
    its secant updates give B = H, error 0, so its model's ellipse lies on the true one. The third step lands on
    the minimum.'"""
    check_methods(scene, ("bfgs", {}))
    assert scene.loss_plot.y == "hessian_error"
    (bfgs,) = runs_of(scene)
    h = np.array([[2.0, 1.0], [1.0, 10.0]])            # the Hessian of x² + xy + 5y², by hand
    approximations = [np.linalg.inv(bfgs.optimizer.method_state(s)["inverse_hessian"]) for s in bfgs.states]
    mine = [np.linalg.norm(b - h) / np.linalg.norm(h) for b in approximations]
    assert hessian_errors(bfgs) == pytest.approx(mine, abs=1e-12)
    assert approximations[0] == pytest.approx(np.eye(2))
    assert f"{mine[0]:.2f}" == "0.89" and f"{mine[1]:.2f}" == "0.75" and mine[2] < 1e-9
    for k in range(2):   # the secant condition B_{k+1} s_k = y_k, y_k = H s_k on a quadratic
        s = bfgs.path[k + 1] - bfgs.path[k]
        assert approximations[k + 1] @ s == pytest.approx(h @ s, rel=1e-9)
    model, true = run_method_drawing(bfgs, 2).curves
    assert model.name.endswith("with B") and true.name.endswith("true H")
    assert model.points == pytest.approx(true.points, abs=1e-7)
    assert bfgs.status == "converged" and len(bfgs.records) == 3 and np.linalg.norm(bfgs.path[3]) < 1e-9


def cg_conjugate_diameters(scene):
    """'On this quadratic of κ = 100 CG's second direction is conjugate to its first (d₁ᵀHd₀ ≈ 0: conjugate diameters
    of the level ellipse), so it reaches the minimum in 2 steps. Gradient descent (η 0.0045) is still 0.57 from it
    after 100.'"""
    check_methods(scene, ("cg", {}), ("gd", {"lr": 0.0045}))
    h = np.array([[202.0, -198.0], [-198.0, 202.0]])   # (x + y)² + 100(x − y)², by hand
    assert PointCalculus(scene.text).analyze((0.3, -0.7)).hessian == pytest.approx(h)
    low, high = np.linalg.eigvalsh(h)
    assert high / low == pytest.approx(100)
    cg, gd = runs_of(scene)
    d0, d1 = (cg.optimizer.method_state(s)["direction"] for s in cg.states[:2])
    assert d0 == pytest.approx(-h @ cg.path[0])
    assert abs(d1 @ h @ d0) < 1e-12 * np.sqrt((d1 @ h @ d1) * (d0 @ h @ d0))
    assert abs(d1 @ d0) > 0.5 * np.linalg.norm(d1) * np.linalg.norm(d0)   # conjugate, yet far from perpendicular
    s0, s1 = cg.path[1] - cg.path[0], cg.path[2] - cg.path[1]    # the steps themselves, along d₀ and d₁
    assert abs(s1 @ h @ s0) < 1e-9 * np.linalg.norm(h @ s0) * np.linalg.norm(s1)
    drawing = run_method_drawing(cg, 1)
    ellipse, along, previous = drawing.curves
    level = cg.path[1] @ h @ cg.path[1]                # the level ellipse uᵀHu = level about the minimum 0
    for diameter, d in ((along, d1), (previous, d0)):
        assert diameter.points.mean(axis=0) == pytest.approx([0, 0], abs=1e-12)   # through the centre
        assert [p @ h @ p for p in diameter.points] == pytest.approx([level, level], rel=1e-9)
        chord = diameter.points[1] - diameter.points[0]
        assert abs(chord[0] * d[1] - chord[1] * d[0]) < 1e-9 * np.linalg.norm(chord) * np.linalg.norm(d)
    assert cg.status == "converged" and len(cg.records) == 2 and np.linalg.norm(cg.path[2]) < 1e-9
    assert gd.status == "step limit" and len(gd.records) == scene.max_steps == 100
    assert f"{np.linalg.norm(gd.path[-1]):.2f}" == "0.57"
    # the error shrinks by I − ηH a step: (1 − 4η)¹⁰⁰ along (1, 1), (1 − 400η)¹⁰⁰ across
    assert gd.path[-1] == pytest.approx(np.linalg.matrix_power(np.eye(2) - 0.0045 * h, 100) @ gd.path[0], abs=1e-9)


def f_saddle(p):
    return p[0] ** 2 - p[1] ** 2 + p[1] ** 4 / 4


def trust_region_at_a_saddle(scene):
    """'Newton converges to the saddle (0, 0) in 2 steps: its model there has a maximum along y. The trust region
    (Δ₀ = 0.5) follows the negative curvature out to its boundary and reaches the minimum (0, 1.41), f = −1, in 7
    steps.'"""
    check_methods(scene, ("trust-region", {"radius": 0.5}), ("newton", {}))
    region, newton = runs_of(scene)
    h = hessian(f_saddle)
    assert newton.status == "converged" and len(newton.records) == 2
    assert newton.path[-1] == pytest.approx([0, 0], abs=1e-9)
    assert PointCalculus(scene.text).analyze(newton.path[-1]).classification == "saddle"
    assert h(np.zeros(2))[1, 1] < 0 < h(np.zeros(2))[0, 0]            # the model: a maximum along y
    assert region.status == "converged" and len(region.records) == 7
    assert region.path[-1] == pytest.approx([0, np.sqrt(2)], abs=1e-6) and f"{region.path[-1][1]:.2f}" == "1.41"
    assert region.values[-1] == pytest.approx(-1, abs=1e-12) and f_saddle(np.array([0, np.sqrt(2)])) == pytest.approx(-1)
    escapes = 0
    for k in range(len(region.records)):
        x, p = region.path[k], region.path[k + 1] - region.path[k]
        taken = region.optimizer.method_state(region.states[k + 1])
        assert taken["step"] == pytest.approx(p, abs=1e-12)
        if p @ h(x) @ p < 0:                                         # negative curvature along the step...
            assert np.linalg.norm(p) == pytest.approx(taken["step_radius"], rel=1e-9)   # ...out to the boundary
            escapes += 1
    assert escapes >= 1
    assert region.optimizer.method_state(region.states[1])["step_radius"] == 0.5


def l_bfgs_against_bfgs(scene):
    """'BFGS reaches the minimum (1, 1) in 30 steps and 49 evaluations of f and ∇f; L-BFGS keeping only m = 3 pairs
    (s, y) needs 34 steps and 53. In n dimensions it stores 2mn numbers, not BFGS's n², …'"""
    assert [(s.method, s.settings) for s in scene.runs] == [("bfgs", {}), ("l-bfgs", {"memory": 3})]
    assert scene.loss_plot.axis == "gradient" and scene.loss_plot.log   # f against evaluations of ∇f
    bfgs, lbfgs = runs_of(scene)
    for run, steps, evaluations in ((bfgs, 30, 49), (lbfgs, 34, 53)):
        assert run.status == "converged" and len(run.records) == steps
        assert run.path[-1] == pytest.approx([1, 1], abs=1e-4)
        counts = run.states[-1].evaluations
        assert (counts.value, counts.gradient, counts.hessian) == (evaluations, evaluations, 0)
    kept = [len(s.memory["pairs"]) for s in lbfgs.states]
    assert max(kept) == 3 and kept[-1] == 3


XRAY_PRESETS = {
    "46-momentum-two-arrows": momentum_two_arrows,
    "47-adam-scaling-ellipse": adam_scaling_ellipse,
    "48-bfgs-learns-the-hessian": bfgs_learns_the_hessian,
    "49-cg-conjugate-diameters": cg_conjugate_diameters,
    "50-trust-region-at-a-saddle": trust_region_at_a_saddle,
    "51-l-bfgs-against-bfgs": l_bfgs_against_bfgs,
}


@pytest.mark.parametrize("name", list(XRAY_PRESETS))
def test_the_xray_presets_note_holds(name):
    XRAY_PRESETS[name](PRESETS[name])
