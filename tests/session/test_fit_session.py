"""A fit of data in the session: set up, changed part by part or all at once, refused with the part at fault,
runs over n parameters, the 2-D slice the views draw; every change undoable."""
from dataclasses import replace

import numpy as np
import pytest

from explorer.core.data import parse_csv
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.fit_scene import MAX_DATA_CHARS, DataSpec, FitSetupError, csv_spec
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.session import Session, SessionError
from explorer.session import model as changes_
from explorer.session.errors import FitCommandError
from tests.helpers import gui_modules_loaded_by
from tests.session.fit_sessions import line_fit

PLANE = dict(data=DataSpec("plane", 0), loss="(a*X1 + b*X2 + c*X3 + d - Y)^2", model="a*X1 + b*X2 + c*X3 + d",
             trained="a, b, c, d")


def plane_fit():
    s = line_fit()
    s.set_fit(**PLANE)
    s.set_run_settings(0, {"lr": 0.1})
    s.set_all_starts((0.0, 0.0, 0.0, 0.0), full=True)
    return s


def test_the_fit_session_needs_no_qt():
    assert gui_modules_loaded_by("import explorer.session; s = explorer.session.Session(); s.start_fit(); "
                                 "s.jump(5); s.slice_calculus().curvature_map([0, 1], [0, 1])") == []


def test_starting_a_fit_sets_up_linear_regression_and_undo_goes_back():
    s = line_fit()
    assert s.kind.name == "fit" and s.setup.text == "(w*X + b - Y)^2" and s.setup.fit.trained == ("w", "b")
    assert [r.method for r in s.runs] == ["gd"] and tuple(s.runs[0].start) == (-1.0, 4.0)
    assert s.problem.dataset.rows == 50 and s.objective.variables == ("w", "b")
    assert s.history.undo_name() == "Fit data"
    s.undo()
    assert s.kind.name == "surface" and s.setup.text == "x^2 + y^2" and s.problem is None
    s.redo()
    assert s.kind.name == "fit"


def test_the_runs_reach_the_least_squares_line():
    s = line_fit()
    s.jump(500, budget=None)
    (gd,) = s.runs
    d = generate("line", 0)
    best = np.linalg.lstsq(np.column_stack([d.column("X"), np.ones(d.rows)]), d.column("Y"), rcond=None)[0]
    assert gd.end_point == "minimum" and gd.current.point == pytest.approx(best, abs=1e-6)


def test_data_loss_model_and_trained_names_change_together_in_one_command():
    s = line_fit()
    seen = []
    s.subscribe(lambda changes: seen.append(changes))
    assert s.set_fit(**PLANE)
    assert s.setup.fit.trained == ("a", "b", "c", "d") and s.setup.fit.axes == ("a", "b")
    assert tuple(s.runs[0].start) == (0.0, 4.0, 0.0, 0.0)     # b keeps its value; new names start at 0
    assert s.setup.x_range == (-5.0, 5.0)    # a parameter new on an axis gets the default window
    assert s.setup.y_range == (-2.0, 4.0)    # b stays on an axis and keeps its window
    assert {changes_.FIT, changes_.FUNCTION, changes_.RUNS} <= seen[-1]
    assert s.history.undo_name() == "Change the data, the loss, the model, the trained parameters"
    s.undo()
    assert s.setup.fit.trained == ("w", "b") and s.setup.text == "(w*X + b - Y)^2"
    assert not s.set_fit(loss="(w*X + b - Y)^2")               # nothing changed, nothing recorded


def test_a_start_keeps_the_values_of_the_names_kept():
    s = line_fit()
    s.set_fit(loss="(w*X + b + c*X^2 - Y)^2", trained="w, b, c")
    assert tuple(s.runs[0].start) == (-1.0, 4.0, 0.0) and s.setup.default_start == (-1.0, 4.0, 0.0)
    s.set_fit(trained="c, w, b")
    assert tuple(s.runs[0].start) == (0.0, -1.0, 4.0)
    assert s.setup.fit.axes == ("w", "b") and s.setup.x_range == (-1.0, 5.0)   # the axes and their windows stay


@pytest.mark.parametrize("changes, field, words", [
    (dict(loss="(w*x + b - Y)^2"), "loss", "'x' is neither a column of the data (X, Y) nor a trained parameter "
                                           "(w, b); did you mean the column 'X'? (names are case-sensitive)"),
    (dict(loss="(wX + b - Y)^2"), "loss", "did you mean w*X?"),
    (dict(loss="(w*X + b - Y"), "loss", "column"),
    (dict(loss="(b - Y)^2"), "loss", "the loss does not use the trained parameter 'w'"),
    (dict(model="w*X + b*Y"), "model", "the model uses the target column 'Y'"),
    (dict(trained="w"), "train", "name at least two"),
    (dict(trained="w, X"), "train", "'X' is both a trained parameter and a column of the data"),
    (dict(trained="w, w"), "train", "named twice"),
    (dict(data=DataSpec("plane", 0)), "loss", "did you mean the columns X1, X2, X3?"),
    (dict(data=DataSpec("line", 0, standardise=("Z",))), "data", "has no column 'Z'"),
])
def test_a_fit_the_session_refuses_names_the_part_at_fault_and_changes_nothing(changes, field, words):
    s = line_fit()
    before = s.setup
    with pytest.raises(FitCommandError) as err:
        s.set_fit(**changes)
    assert err.value.field == field and words in str(err.value) and "\n" not in str(err.value)
    assert s.setup == before


def test_other_free_names_are_sliders_as_for_a_function():
    s = line_fit()
    s.set_fit(loss="(w*X + b - Y)^2 + lam*w^2")
    assert list(s.setup.parameters) == ["lam"] and s.setup.parameters["lam"].value == 1.0
    s.set_parameter("lam", 0.25)
    theta = [1.5, 0.5]
    plain = FitProblem(generate("line", 0), "(w*X + b - Y)^2", "w, b").value(theta)
    assert s.objective.value(theta) == pytest.approx(plain + 0.25 * 1.5 ** 2, rel=1e-12)


def test_a_click_on_the_map_moves_the_two_parameters_on_its_axes():
    s = plane_fit()
    s.set_run_start(0, (1.0, 2.0))                       # the map's (a, b)
    assert tuple(s.runs[0].start) == (1.0, 2.0, 0.0, 0.0)
    s.set_fit_axes("d", "c")
    s.set_run_start(0, (3.0, -1.0))                      # now (d, c)
    assert tuple(s.runs[0].start) == (1.0, 2.0, -1.0, 3.0)
    s.set_run_start(0, (0.5, 0.5, 0.5, 0.5), full=True)
    assert tuple(s.runs[0].start) == (0.5,) * 4
    with pytest.raises(SessionError, match=r"needs 4 numbers, one per trained parameter \(a, b, c, d\)"):
        s.set_run_start(0, (1.0, 2.0, 3.0))
    s.add_run("newton", start=(1.0, 1.0))               # a new run: the start of new runs, its (d, c) from the map
    assert tuple(s.runs[1].start) == (0.0, 0.0, 1.0, 1.0)
    assert s.plane([[1.0, 2.0, 3.0, 4.0]]).tolist() == [[4.0, 3.0]]


def test_axes_keep_their_windows_by_name():
    s = line_fit()
    s.set_fit_axes("b", "w")
    assert (s.setup.x_range, s.setup.y_range) == ((-2.0, 4.0), (-1.0, 5.0))
    with pytest.raises(SessionError):
        s.set_fit_axes("w", "w")
    s.undo()
    assert s.setup.fit.axes == ("w", "b")


def test_the_slice_follows_the_selected_run_or_stays_where_it_was_put():
    s = plane_fit()
    s.jump(20)
    gd = s.runs[0]
    np.testing.assert_array_equal(s.held_theta(), gd.current.point)
    calculus = s.slice_calculus()
    a, b = np.array([0.0, 1.5]), np.array([-2.0, 0.5])
    z = calculus.values(a, b)
    for i, ai in enumerate(a):
        for j, bj in enumerate(b):   # L with c and d where the run is now
            theta = [ai, bj, *gd.current.point[2:]]
            assert z[i, j] == pytest.approx(s.problem.value(theta), rel=1e-12)
    s.set_fit_held((0.0, 0.0, 0.5, 3.0))
    s.jump(30)
    assert s.held_theta().tolist() == [0.0, 0.0, 0.5, 3.0] and s.setup.fit.held == (0.0, 0.0, 0.5, 3.0)
    with pytest.raises(SessionError, match="the held values needs 4 numbers|the held values need"):
        s.set_fit_held((1.0, 2.0))
    s.set_fit_held(None)
    np.testing.assert_array_equal(s.held_theta(), s.runs[0].current.point)


def test_the_map_overlays_get_the_hessian_block_of_the_two_axis_parameters():
    s = plane_fit()
    s.set_fit_axes("c", "a")
    s.jump(5)
    full = s.objective.analyze(s.runs[0].current.point)
    block = s.slice_analysis()
    np.testing.assert_array_equal(block.hessian, full.hessian[np.ix_([2, 0], [2, 0])])
    np.testing.assert_array_equal(block.gradient, full.gradient[[2, 0]])
    np.testing.assert_allclose(block.eigenvalues, np.linalg.eigvalsh(full.hessian[np.ix_([2, 0], [2, 0])]))


def test_basins_of_attraction_are_refused_for_a_fit():
    s = line_fit()
    with pytest.raises(SessionError, match="basins of attraction are drawn for a function"):
        s.set_display(basins=True)


def test_typing_a_function_leaves_the_fit_with_the_starts_where_the_map_showed_them():
    s = plane_fit()
    s.set_run_start(0, (1.0, 2.0, 3.0, 4.0), full=True)
    s.set_fit_axes("d", "b")
    s.set_expression("x^2 + y^2")
    assert s.kind.name == "surface" and s.setup.fit is None and tuple(s.runs[0].start) == (4.0, 2.0)
    s.undo()
    assert s.kind.name == "fit" and tuple(s.runs[0].start) == (1.0, 2.0, 3.0, 4.0)


def test_a_fit_saves_and_reopens_exactly():
    s = plane_fit()
    s.set_fit(data=DataSpec("plane", 3, rows=40, standardise=("X1",)), loss=PLANE["loss"] + " + lam*a^2")
    s.set_parameter("lam", 0.2)
    s.set_fit_held((0.0, 0.0, 1.0, 2.0))
    s.jump(7)
    scene = scene_from_json(scene_to_json(s.scene()))
    assert scene == s.scene() and scene.kind == "fit" and scene.fit.held == (0.0, 0.0, 1.0, 2.0)
    again = Session.from_scene(scene)
    assert again.setup == s.setup and again.shown_step == 7
    np.testing.assert_array_equal(again.runs[0].current.point, s.runs[0].current.point)


def test_csv_rows_go_into_the_scene_and_come_back_exactly():
    text = "height,weight\n1.5,50.25\n1.62,61\n1.8,79.5\n1.75,70.125\n"
    rows = parse_csv(text, "people.csv")
    s = line_fit()
    s.set_fit(data=csv_spec(rows, "people.csv"), loss="(w*height + b - weight)^2", model="w*height + b")
    scene = scene_from_json(scene_to_json(s.scene()))
    assert scene.fit.data.source == "people.csv"
    again = Session.from_scene(scene)
    np.testing.assert_array_equal(again.problem.dataset.values, rows.values)
    assert again.problem.dataset.columns == ("height", "weight")


def test_data_too_big_for_a_scene_is_refused_in_one_line():
    big = replace(generate("plane", 0, rows=20_000))
    with pytest.raises(FitSetupError) as err:
        csv_spec(big, "big.csv")
    assert err.value.field == "data" and "use fewer rows" in str(err.value)
    assert f"{MAX_DATA_CHARS / 1e6:.1f} MB" in str(err.value)


def test_a_fit_is_not_shown_as_a_gradient_field():
    s = line_fit()
    with pytest.raises(SessionError, match="not for a fit of data"):
        s.set_gradient_field(True)
