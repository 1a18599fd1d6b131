"""The loss along the map's lines (session.line_reading): every value is problem.value (or the test part's data loss)
at θ* + a·d point by point; the lines follow the parameter axes without a plane; the point on show is projected;
the barrier between two runs' ends is checked by hand on a tanh network and its sign-flipped twin; the Line tab
travels in the scene."""
import json

import numpy as np
import pytest

from explorer.core.directions import DirectionSpec
from explorer.core.model_line import barrier
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.session import Session
from explorer.session.line_reading import LINE_POINTS, line_reading, line_work


def model_fit(model="mlp:2:tanh") -> Session:
    s = Session()
    s.start_model_fit("moons", model)
    return s


def test_the_curves_are_the_loss_at_each_point_of_the_plane_lines():
    s = model_fit()
    for _ in range(5):
        s.step_forward()
    s.set_directions(DirectionSpec("random", seed=3, span=0.8, centre="init"))
    r = line_reading(s, compute=True)
    plane, problem = s.direction_plane(), s.problem
    assert len(r["a"]) == LINE_POINTS and r["a"][0] == -0.8 and r["a"][-1] == 0.8
    for k in (0, 17, 80, 160):
        a = r["a"][k]
        assert r["d1"][k] == pytest.approx(problem.value(plane.centre + a * plane.d1), rel=1e-12)
        assert r["d2"][k] == pytest.approx(problem.value(plane.centre + a * plane.d2), rel=1e-12)
        assert r["test"][k] == pytest.approx(problem.data_loss(plane.centre + a * plane.d1, "test"), rel=1e-12)
    # the point on show projected onto each line: a = dᵀ(θ − θ*)/dᵀd, and the loss there on the line
    theta = np.asarray(s.runs[0].current.point)
    for name, d in (("d1", plane.d1), ("d2", plane.d2)):
        a, value = r["marker"][name]
        assert a == pytest.approx((theta - plane.centre) @ d / (d @ d), rel=1e-12)
        assert value == pytest.approx(problem.value(plane.centre + a * d), rel=1e-12)
    assert r["barrier"] is None and r["title"] == "The loss along d₁ and d₂ through θ*"
    assert line_work(s) is None   # kept: nothing to compute again


def test_without_a_plane_the_lines_follow_the_maps_two_parameters_through_the_held_theta():
    s = model_fit()
    s.step_forward()
    r = line_reading(s, compute=True)
    problem, theta = s.problem, s.held_theta()
    i, j = s.setup.fit.axis_indices
    first, second = s.setup.fit.axes
    assert r["names"] == (first, second) and f"along {first} and {second} through the held θ" in r["title"]
    for k in (3, 90):
        moved = theta.copy()
        moved[i] += r["a"][k]
        assert r["d1"][k] == pytest.approx(problem.value(moved), rel=1e-12)
        moved = theta.copy()
        moved[j] += r["a"][k]
        assert r["d2"][k] == pytest.approx(problem.value(moved), rel=1e-12)
    assert r["marker"]["d1"][0] == 0.0 and r["marker"]["d1"][1] == pytest.approx(problem.value(theta), rel=1e-12)


def flipped(problem, theta):
    """The same tanh network with every hidden unit's sign flipped (W1, b1, W2 negated; b2 kept): the same
    function, a different minimum."""
    out = np.array(theta, dtype=float)
    (w1s, w1e, _, b1s, b1e), (w2s, w2e, _, _, _) = problem.network._layers
    for start, end in ((w1s, w1e), (b1s, b1e), (w2s, w2e)):
        out[start:end] *= -1.0
    return out


def test_the_barrier_between_a_minimum_and_its_sign_flipped_twin_by_hand():
    s = model_fit()
    problem = s.problem
    start = np.asarray(s.setup.default_start, dtype=float)
    s.set_run_start(0, tuple(start), full=True)
    first = s.setup.runs[0]
    s.add_run(first.method, dict(first.settings), start=tuple(flipped(problem, start)), full=True)
    s.set_directions(DirectionSpec("runs", span=1.25))
    ends = [np.asarray(r.path[-1]) for r in s.runs]
    np.testing.assert_allclose(ends[1], flipped(problem, ends[0]), atol=1e-9)   # gradient descent keeps the symmetry
    r = line_reading(s, compute=True)
    b = r["barrier"]
    # both ends have the same loss; halfway every weight but b2 is 0, so the network says σ(b2) for every row
    end_loss = problem.value(ends[0])
    assert b.ends == pytest.approx((end_loss, end_loss), rel=1e-9)
    b2 = ends[0][-1]
    p, y = 1.0 / (1.0 + np.exp(-b2)), problem.y_train
    halfway = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    plane = s.direction_plane()
    assert problem.value(plane.centre) == pytest.approx(halfway, rel=1e-9)
    # the highest loss on the segment, point by point, minus the higher end
    a = np.linspace(-1, 1, 401)
    values = [problem.value(plane.centre + t * plane.d1) for t in a]
    assert b.height == pytest.approx(max(values) - end_loss, rel=1e-9) and b.height >= halfway - end_loss > 0.1
    assert b.at == pytest.approx(a[int(np.argmax(values))])
    assert b.at == 0.0   # L(a) = L(−a) on this line (the twins): here the top is halfway
    assert r["title"].endswith(f" · barrier {b.height:#.3g} above the higher end at a = 0")


def test_one_run_ending_downhill_of_the_other_has_no_barrier():
    s = model_fit()
    s.add_run("gd", {"lr": 0.3})
    s.set_directions(DirectionSpec("runs"))
    plane, problem = s.direction_plane(), s.problem
    b = barrier(problem, plane.centre, plane.d1)
    values = [problem.value(plane.centre + t * plane.d1) for t in np.linspace(-1, 1, 401)]
    assert b.height == pytest.approx(max(values) - max(values[0], values[-1]), abs=1e-12)
    if b.height == 0:
        assert "no barrier: the loss is highest at an end" in line_reading(s, compute=True)["title"]


def test_the_line_tab_travels_in_the_scene():
    s = model_fit()
    assert s.set_model_view("line")
    data = json.loads(scene_to_json(s.scene()))
    assert data["fit"]["view"] == "line"
    assert Session.from_scene(scene_from_json(json.dumps(data))).setup.fit.view == "line"
    assert s.undo() == "Show the line" and s.setup.fit.view == "metrics"
