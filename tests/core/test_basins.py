"""Basins of attraction: the vectorised walk equals the program's own runs; ends found and classified."""
import numpy as np
import pytest

from explorer.core.basins import KINDS, basins, classify_ends, group_ends
from explorer.core.basins_methods import METHODS, OUTCOMES, ArrayCalculus, walk
from explorer.core.expression import parse
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import Run

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"
MINIMA = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]])


def himmelblau_gradient(p):
    x, y = np.asarray(p, float).T
    a, b = x**2 + y - 11, x + y**2 - 7
    return np.c_[4 * x * a + 2 * b, 2 * a + 4 * y * b]


def himmelblau_hessian_eigenvalues(p):
    x, y = p
    hxx = 12 * x**2 + 4 * y - 42
    hyy = 4 * x + 12 * y**2 - 26
    hxy = 4 * (x + y)
    return np.linalg.eigvalsh([[hxx, hxy], [hxy, hyy]])


CASES = [("gd", {"lr": 0.01}, 300), ("gd", {"lr": 0.05}, 300), ("momentum", {"lr": 0.005}, 300),
         ("nesterov", {"lr": 0.005, "momentum": 0.8}, 300), ("rmsprop", {"lr": 0.05}, 300),
         ("adagrad", {"lr": 0.5}, 300), ("adam", {"lr": 0.1}, 200), ("newton", {}, 30), ("damped-newton", {}, 30),
         ("trust-region", {}, 60), ("trust-region", {"radius": 0.2, "max_radius": 2}, 60)]
STARTS = np.array([[0.5, 0.3], [-4.2, 1.7], [2.2, -3.9], [-0.27, -0.92], [4.9, 4.9], [1.0, 1.0], [-1.3, -4.4]])


@pytest.mark.parametrize("method, settings, steps", CASES)
def test_every_start_goes_where_the_programs_own_run_goes(method, settings, steps):
    expression = parse(HIMMELBLAU)
    full = make_optimizer(method, Objective(expression), **settings).settings()
    w = walk(ArrayCalculus(expression), method, full, STARTS, steps, 1e-6, 1e8)
    for i, start in enumerate(STARTS):
        r = Run(make_optimizer(method, Objective(expression), **settings), start, max_steps=steps)
        r.run_to_end()
        assert OUTCOMES[w.outcome[i]] == r.status, (start, r.reason)
        assert w.steps[i] == len(r.path) - 1
        if np.all(np.isfinite(r.path[-1])):
            np.testing.assert_allclose(w.final[i], r.path[-1], rtol=0, atol=1e-12)


@pytest.mark.parametrize("method, settings, schedule", [
    ("gd", {"lr": 0.05}, ("exponential", {"gamma": 0.97})), ("momentum", {"lr": 0.01}, ("cosine", {"period": 60})),
    ("adam", {"lr": 0.2}, ("step", {"drop": 0.5, "every": 25, "warmup": 5}))])
def test_a_scheduled_run_and_its_basins_take_the_same_rates(method, settings, schedule):
    from explorer.core.schedules import make_schedule
    expression, plan = parse(HIMMELBLAU), make_schedule(schedule[0], **schedule[1])
    full = make_optimizer(method, Objective(expression), **settings).settings()
    w = walk(ArrayCalculus(expression), method, full, STARTS, 300, 1e-6, 1e8, schedule=plan)
    for i, start in enumerate(STARTS):
        r = Run(make_optimizer(method, Objective(expression), schedule=plan, **settings), start, max_steps=300)
        r.run_to_end()
        assert OUTCOMES[w.outcome[i]] == r.status and w.steps[i] == len(r.path) - 1, (start, r.reason)
        np.testing.assert_allclose(w.final[i], r.path[-1], rtol=0, atol=1e-12)


def test_the_methods_vectorised_are_the_ones_named_in_the_brief():
    assert {"gd", "momentum", "nesterov", "adam", "newton", "damped-newton"} <= set(METHODS)


def test_stops_match_run_on_singular_hessians_and_undefined_starts():
    # x² + y: Newton's Hessian is singular everywhere; log(x) is undefined for x <= 0
    for text, method, start in (("x^2 + y", "newton", (1.0, 1.0)), ("log(x) + y^2", "gd", (-1.0, 0.5)),
                                ("x^2 - y^2", "gd", (0.3, 0.2)), ("x^4 + y^2", "damped-newton", (2.0, 1.0))):
        expression = parse(text)
        opt = make_optimizer(method, Objective(expression))
        w = walk(ArrayCalculus(expression), method, opt.settings(), [start], 500, 1e-6, 1e8)
        r = Run(opt, start, max_steps=500)
        r.run_to_end()
        assert OUTCOMES[w.outcome[0]] == r.status and w.steps[0] == len(r.path) - 1, text


def test_blocks_of_starts_give_the_same_answer_as_one_block():
    expression = parse(HIMMELBLAU)
    starts = np.random.default_rng(3).uniform(-5, 5, (50, 2))
    one = walk(ArrayCalculus(expression), "gd", {"lr": 0.01}, starts, 100, 1e-6, 1e8)
    many = walk(ArrayCalculus(expression), "gd", {"lr": 0.01}, starts, 100, 1e-6, 1e8, block_points=7)
    np.testing.assert_array_equal(one.final, many.final)
    np.testing.assert_array_equal(one.outcome, many.outcome)


def test_array_calculus_matches_the_closed_form_and_survives_constant_parts():
    p = np.array([[0.3, -1.2], [2.5, 1.5], [-3.0, 0.7]])
    z, gx, gy, hxx, hxy, hyx, hyy = ArrayCalculus(parse(HIMMELBLAU)).derivatives(p[:, 0], p[:, 1])
    np.testing.assert_allclose(np.c_[gx, gy], himmelblau_gradient(p), rtol=1e-13)
    np.testing.assert_allclose(hxx, 12 * p[:, 0]**2 + 4 * p[:, 1] - 42, rtol=1e-13)
    np.testing.assert_allclose(hxy, hyx, rtol=1e-13)
    for text, grad, hess in (("3", (0, 0), (0, 0, 0)), ("2*x + y", (2, 1), (0, 0, 0)), ("x^2", None, (2, 0, 0))):
        out = ArrayCalculus(parse(text)).derivatives(p[:, 0], p[:, 1])
        assert all(np.shape(a) == (3,) for a in out), text
        if grad:
            np.testing.assert_array_equal(np.c_[out[1], out[2]], np.tile(grad, (3, 1)))
        np.testing.assert_array_equal(np.c_[out[3], out[4], out[6]], np.tile(hess, (3, 1)))


def test_gradient_descent_on_himmelblau_finds_the_four_minima_and_each_keeps_its_neighbourhood():
    x = y = np.linspace(-5, 5, 41)
    b = basins(HIMMELBLAU, "gd", x, y, settings={"lr": 0.01}, max_steps=300)
    assert b.kinds == ("minimum",) * 4
    for m in MINIMA:
        k = int(np.argmin(np.linalg.norm(b.ends - m, axis=1)))
        assert np.linalg.norm(b.ends[k] - m) < 1e-5
        X, Y = np.meshgrid(x, y, indexing="ij")
        near = np.hypot(X - m[0], Y - m[1]) < 0.8
        assert near.sum() >= 3 and np.all(b.label[near] == k)
    assert np.all(b.label >= 0) and b.counts.sum() == 41 * 41
    assert np.all(np.abs(himmelblau_gradient(b.ends)) < 1e-6)


def test_newton_on_himmelblau_also_finds_saddles_and_the_maximum_each_named_by_its_hessian():
    x = y = np.linspace(-5, 5, 41)
    b = basins(HIMMELBLAU, "newton", x, y, max_steps=30)
    assert b.kinds == ("minimum",) * 4 + ("saddle",) * 4 + ("maximum",)
    np.testing.assert_allclose(b.ends[-1], [-0.270845, -0.923039], atol=1e-6)
    for end, kind in zip(b.ends, b.kinds):
        assert np.all(np.abs(himmelblau_gradient(end)) < 1e-6)
        lam = himmelblau_hessian_eigenvalues(end)
        assert kind == {(True, True): "minimum", (False, False): "maximum"}.get((lam[0] > 0, lam[1] > 0), "saddle")
    # sorted: kinds in KINDS order, then by x within a kind
    assert np.all(np.diff(b.ends[:4, 0]) > 0) and np.all(np.diff(b.ends[4:8, 0]) > 0)


def test_on_a_saddle_pure_newton_lands_on_it_and_damped_newton_never_does():
    x = np.linspace(-2, 2, 9)
    y = np.linspace(-2, 2, 9)
    pure = basins("x^2 - y^2", "newton", x, y, max_steps=5)
    assert pure.kinds == ("saddle",) and np.all(pure.label == 0)   # every start, in one step
    np.testing.assert_allclose(pure.ends[0], [0, 0], atol=1e-12)
    damped = basins("x^2 - y^2", "damped-newton", x, y, max_steps=50)
    off_axis = np.abs(y)[None, :] > 0
    assert np.all(damped.label[np.broadcast_to(off_axis, damped.label.shape)] == -1)   # they all run away
    assert set(damped.unfinished()) <= {"step limit", "diverged"}


def test_labels_follow_the_grid_commands_rows_and_columns():
    # (x² − 1)² + y²: minima at (±1, 0); label[i, j] belongs to (x[i], y[j]), so the rows follow x
    x, y = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    b = basins("(x^2 - 1)^2 + y^2", "gd", x, y, settings={"lr": 0.05}, max_steps=2000)
    assert b.label.shape == (5, 3)
    left, right = (int(np.argmin(np.abs(b.ends[:, 0] - s))) for s in (-1, 1))
    assert np.all(b.label[:2] == left) and np.all(b.label[3:] == right)
    assert b.kinds[b.label[2, 1]] == "saddle"   # from (0, 0) itself: ∇f = 0, the Hessian is diag(−4, 2)
    np.testing.assert_allclose(b.final[4, 0], b.ends[right], atol=1e-6)   # where (2, −1) stopped


def test_starts_that_end_nowhere_get_minus_one_with_the_reason():
    b = basins("log(x) + y^2", "gd", [-1.0, 1.0], [0.0, 0.5], settings={"lr": 0.1}, max_steps=5)
    assert np.all(b.label[0] == -1) and {OUTCOMES[c] for c in b.outcome[0]} == {"undefined start"}
    assert np.all(b.label[1] == -1) and {OUTCOMES[c] for c in b.outcome[1]} == {"step limit"}
    assert b.unfinished() == {"step limit": 2, "undefined start": 2}
    # exp(x)·cos(y) far left: |∇f| ~ 1e-6 passes the tolerance, but f is only flat there, not stationary
    flat = basins("exp(x)*cos(y)", "gd", [-15.0, -14.0], [0.0], settings={"lr": 0.1}, max_steps=5)
    assert np.all(flat.label == -1) and {OUTCOMES[c] for c in flat.outcome.ravel()} == {"still falling"}


def test_end_classification_agrees_with_run():
    # x³ − 3x − y³ + 3y: ∇f = 0 at (±1, ±1) with H = diag(6x, −6y); x⁴ + y⁴ at 0 is degenerate
    for text, points in (("x^3 - 3*x - y^3 + 3*y", [[1, -1], [-1, 1], [1, 1], [-1, -1]]),
                         ("x^4 + y^4", [[0, 0]])):
        expression = parse(text)
        kinds, flat, values, norms = classify_ends(ArrayCalculus(expression), np.array(points, float))
        for p, kind in zip(points, kinds):
            r = Run(make_optimizer("gd", Objective(expression)), p, max_steps=0)
            assert r.end_point.replace(" point", "") == KINDS[kind]
        assert not flat.any() and np.all(norms == 0)
    assert [KINDS[k] for k in kinds] == ["degenerate"]


def test_x2_plus_y3_ends_are_inconclusive_in_basins_as_in_a_run():
    # Newton from every start stops just above (0, 0), convex there but a saddle a little below: no minimum
    b = basins("x^2 + y^3", "newton", np.linspace(0.5, 1.5, 5), np.linspace(0.5, 1.5, 5))
    assert b.kinds == ("degenerate",) and b.counts.tolist() == [25]
    r = Run(make_optimizer("newton", Objective("x^2 + y^3")), (1, 1))
    r.run_to_end()
    assert r.end_point == "degenerate"
    assert basins("x^2 + y^2", "newton", [0.5, 1.5], [0.5, 1.5]).kinds == ("minimum",)


def test_ends_closer_than_the_merge_distance_are_one_shown_by_the_most_converged():
    points = np.array([[0.0, 0.0], [0.004, 0.0], [0.008, 0.001], [1.0, 1.0], [0.0, 0.0]])
    kinds = np.array([0, 0, 0, 0, 1])
    norms = np.array([3e-7, 1e-7, 5e-7, 1e-8, 0.0])
    groups, ends, end_kinds, values = group_ends(points, kinds, np.arange(5.0), norms, radius=0.005)
    assert groups.tolist() == [0, 0, 0, 1, 2]   # chained: 0.008 is within reach through 0.004
    np.testing.assert_array_equal(ends, [[0.004, 0.0], [1.0, 1.0], [0.0, 0.0]])
    assert end_kinds.tolist() == [0, 0, 1] and values.tolist() == [1.0, 3.0, 4.0]


def test_bad_requests_say_what_is_wrong():
    with pytest.raises(ValueError, match="'bfgs' has no vectorised form"):
        basins("x^2", "bfgs", [0, 1], [0, 1])
    with pytest.raises(ValueError, match="'l-bfgs' has no vectorised form"):   # a line search per start
        basins("x^2", "l-bfgs", [0, 1], [0, 1])
    with pytest.raises(ValueError, match="lr must be positive"):
        basins("x^2", "gd", [0, 1], [0, 1], settings={"lr": -1})
    with pytest.raises(ValueError, match="gd has no setting 'momentum'"):
        basins("x^2", "gd", [0, 1], [0, 1], settings={"momentum": 0.5})


def test_progress_is_reported_and_false_cancels():
    from explorer.core.basins_methods import Cancelled
    x = y = np.linspace(-5, 5, 12)
    seen = []
    basins(HIMMELBLAU, "gd", x, y, settings={"lr": 0.01}, max_steps=100, tolerance=0.0,
           progress=lambda done, total: seen.append((done, total)) or True)
    assert seen and all(0 < d <= t for d, t in seen) and seen == sorted(seen)
    with pytest.raises(Cancelled):
        basins(HIMMELBLAU, "gd", x, y, settings={"lr": 0.01}, max_steps=100, tolerance=0.0,
               progress=lambda done, total: done < 30)


def test_the_trust_region_leaves_the_saddle_from_every_start_off_its_axis():
    from explorer.core.basins_methods import COLLAPSED
    from explorer.core.trust_region import COLLAPSED as COLLAPSED_STATUS
    assert OUTCOMES[COLLAPSED] == COLLAPSED_STATUS   # the name a Run stops with
    # x² − y² + y⁴/4: a saddle at 0, minima at (0, ±√2); Newton lands on the saddle from every start, the trust
    # region only from starts with y = 0 exactly (there ∇f never points off the axis)
    m = basins("x^2 - y^2 + y^4/4", "trust-region", np.linspace(-2, 2, 9), np.linspace(-2, 2, 9), max_steps=100)
    kinds = np.array(m.kinds)[m.label]
    y = np.broadcast_to(np.linspace(-2, 2, 9), (9, 9))
    assert np.all(kinds[y != 0] == "minimum")
    assert np.all(kinds[y == 0] == "saddle")
