"""A network fit's map over a plane of directions: the session command (one undo step), the map's axes and
window, paths projected onto the plane, a click as θ* + a·d₁ + b·d₂, the overlays' 2×2 Hessian against a dense
autograd Hessian, and the scene key (round trip, one-line refusals)."""
import json

import numpy as np
import pytest
from autograd import hessian

from explorer.core.directions import AXIS_NAMES, DirectionSliceCalculus, DirectionSpec
from explorer.core.scene import SceneError, scene_from_json, scene_to_json
from explorer.session import Session
from explorer.session.errors import FitCommandError, SessionError


def model_fit(model="mlp:2:tanh") -> Session:
    s = Session()
    s.start_model_fit("moons", model)
    return s


def test_directions_are_one_undoable_command_that_sets_the_axes_and_window():
    s = model_fit()
    axes = s.kind.axis_names(s.setup)
    assert s.set_directions(DirectionSpec("random", seed=2, span=1.5))
    assert s.kind.axis_names(s.setup) == AXIS_NAMES
    assert s.setup.x_range == (-1.5, 1.5) and s.setup.y_range == (-1.5, 1.5)
    plane = s.slice_calculus()
    assert isinstance(plane, DirectionSliceCalculus)
    point = np.asarray(s.runs[0].current.point)
    np.testing.assert_array_equal(plane.centre, point)   # the run's point on show
    np.testing.assert_array_equal(s.held_theta(), point)
    assert plane.values([0.0], [0.0])[0, 0] == pytest.approx(s.problem.value(point), rel=1e-13)
    assert not s.set_directions(DirectionSpec("random", seed=2, span=1.5))   # nothing changed
    assert s.undo() == "Choose the map's directions"
    assert s.setup.fit.directions is None and s.kind.axis_names(s.setup) == axes


def test_paths_are_projected_and_a_click_lands_on_the_plane():
    s = model_fit()
    s.set_directions(DirectionSpec("random", seed=0, centre="init"))
    plane = s.direction_plane()
    theta = plane.centre + 2 * plane.d1 - plane.d2
    np.testing.assert_allclose(s.plane(theta), [2.0, -1.0], atol=1e-12)
    np.testing.assert_allclose(s.plane(np.array([theta, plane.centre])), [[2.0, -1.0], [0.0, 0.0]], atol=1e-12)
    s.set_default_start((0.5, -0.25))   # two numbers: a point of the map
    np.testing.assert_allclose(s.setup.default_start, plane.centre + 0.5 * plane.d1 - 0.25 * plane.d2)


def test_the_overlays_read_the_planes_two_by_two_hessian():
    s = model_fit()
    s.set_directions(DirectionSpec("random", seed=1, centre="init"))
    for _ in range(3):
        s.step_forward()
    plane, theta = s.direction_plane(), np.asarray(s.runs[0].current.point)
    a, b = s.plane(theta)
    on_plane = plane.point(a, b)
    problem = s.problem
    H = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(on_plane)
    D = np.column_stack([plane.d1, plane.d2])
    np.testing.assert_allclose(s.slice_analysis().hessian, D.T @ H @ D, rtol=1e-9, atol=1e-12)


def test_runs_plane_goes_through_both_ends_and_needs_two_runs():
    s = model_fit()
    with pytest.raises(FitCommandError, match="needs runs 1 and 2; there are 1"):
        s.set_directions(DirectionSpec("runs"))
    s.add_run("gd", {"lr": 0.3})
    s.set_directions(DirectionSpec("runs", span=1.2))
    ends = [r.path[-1] for r in s.runs]   # computed to their ends; the state on show stays at 0
    assert all(r.position == 0 for r in s.runs) and all(r.finished for r in s.runs)
    np.testing.assert_allclose(s.plane(np.array(ends)), [[-1.0, 0.0], [1.0, 0.0]], atol=1e-9)
    assert s.plane_text() == ("The map: L(θ* + a·d₁ + b·d₂) along the line from run 1's end (a = −1) to run 2's "
                              "(a = +1), random d₂ (seed 0); paths projected")


def test_directions_belong_to_a_network_fit():
    s = Session()
    with pytest.raises(SessionError, match="model fit"):
        s.set_directions(DirectionSpec())
    t = model_fit()
    with pytest.raises(FitCommandError, match="span must be a number > 0"):
        t.set_directions(DirectionSpec(span=-1.0))


def test_the_note_says_what_the_plane_is():
    s = model_fit()
    s.set_directions(DirectionSpec("random", seed=0))
    s.step_forward()
    assert s.plane_text() == ("The map: L(θ* + a·d₁ + b·d₂) along filter-normalised random directions, seed 0, "
                              "through the run's point at step 1; paths projected")


def test_the_plane_is_kept_in_the_scene_and_read_back():
    s = model_fit()
    s.add_run("gd", {"lr": 0.3})
    s.set_directions(DirectionSpec("runs", seed=4, span=1.5, centre="end", runs=(1, 0)))
    text = scene_to_json(s.scene())
    assert json.loads(text)["fit"]["directions"] == {"kind": "runs", "seed": 4, "span": 1.5, "centre": "end",
                                                     "runs": [1, 0]}
    back = scene_from_json(text)
    assert back.fit.directions == s.setup.fit.directions
    assert scene_to_json(back) == text
    s.set_directions(None)
    assert "directions" not in json.loads(scene_to_json(s.scene()))["fit"]


@pytest.mark.parametrize("directions, message", [
    ({"kind": "params"}, "'fit.directions.kind' is one of random, hessian, pca, runs"),
    ({"kind": "random", "span": 0}, "'fit.directions.span' must be positive"),
    ({"kind": "random", "centre": "middle"}, "'fit.directions.centre' is one of run, end, init"),
    ({"kind": "runs", "runs": [0, 5]}, "names run 5 (counted from 0); the scene has 1"),
    ({"kind": "random", "angle": 3}, "fit.directions"),
    ({"seed": 3}, "fit.directions"),
    ("random", "'fit.directions' must be an object"),
])
def test_a_broken_directions_key_is_refused_in_one_line(directions, message):
    data = json.loads(scene_to_json(model_fit().scene()))
    data["fit"]["directions"] = directions
    with pytest.raises(SceneError) as err:
        scene_from_json(json.dumps(data))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_typed_fit_has_no_directions_key():
    s = Session()
    s.start_fit()
    data = json.loads(scene_to_json(s.scene()))
    data["fit"]["directions"] = {"kind": "random"}
    with pytest.raises(SceneError, match="directions"):
        scene_from_json(json.dumps(data))


def test_pca_plane_is_centred_on_the_selected_runs_end():
    s = model_fit()
    s.set_directions(DirectionSpec("pca", span=2.0))
    run = s.runs[0]
    path = run.path
    assert run.finished and run.position == 0 and len(path) == s.setup.max_steps + 1
    plane = s.direction_plane()
    np.testing.assert_array_equal(plane.centre, path[-1])
    _, _, vt = np.linalg.svd(path - path[-1], full_matrices=False)
    assert abs(plane.d1 @ vt[0]) == pytest.approx(1.0) and abs(plane.d2 @ vt[1]) == pytest.approx(1.0)
    assert "principal directions" in s.plane_text() and "through the run's end" in s.plane_text()


def test_back_to_two_parameters_and_a_new_network_keep_the_windows_sensible():
    s = model_fit()
    s.set_directions(DirectionSpec("random", span=0.5))
    from explorer.core.model_scene import NetworkSpec
    s.set_network(NetworkSpec("mlp:3:tanh", test_fraction=0.3))   # another layout: the plane keeps its ±span
    assert s.setup.fit.directions is not None and s.setup.x_range == (-0.5, 0.5) == s.setup.y_range
    assert s.direction_plane().centre.size == s.problem.dimension
    s.set_directions(None)
    assert s.setup.x_range == (-5.0, 5.0) and s.kind.axis_names(s.setup) == s.setup.fit.axes


def test_a_scene_whose_plane_cannot_be_made_shows_the_axes_and_says_why():
    s = model_fit()
    s.set_directions(DirectionSpec("random", centre="end"))
    data = json.loads(scene_to_json(s.scene()))
    data["runs"] = []
    t = Session.from_scene(scene_from_json(json.dumps(data)))
    plane = t.slice_calculus()
    i, j = (t.problem.trained.index(a) for a in t.setup.fit.axes)
    np.testing.assert_array_equal(plane.d1, np.eye(t.problem.dimension)[i])
    np.testing.assert_array_equal(plane.d2, np.eye(t.problem.dimension)[j])
    assert t.plane_text() == ("The map's directions: there is no run whose end could be the centre; it shows "
                              f"{t.setup.fit.axes[0]} and {t.setup.fit.axes[1]} instead")


def test_a_networks_map_says_how_many_points_it_is_drawn_on_when_its_work_thins_it():
    from explorer.core.model_map import MAP_WORK
    from explorer.core.preset_library import load_presets
    scene = next(scene for path, scene in load_presets() if path.stem.startswith("42-"))
    s = Session.from_scene(scene)
    assert s.map_points() == s.setup.resolution == 85   # the preset states what it draws
    s.set_resolution(200)
    calculus = s.slice_calculus()
    drawn = s.map_points()
    assert drawn < 200
    # the budget: points² × the work per point stays within MAP_WORK, and one more point a side would not
    assert drawn ** 2 * calculus._per_point <= MAP_WORK < (drawn + 2) ** 2 * calculus._per_point
    assert calculus.curvature_map(np.linspace(-1, 1, 200), np.linspace(-1, 1, 200)).x.size == drawn
    assert Session().map_points() == Session().setup.resolution   # a surface: as asked
