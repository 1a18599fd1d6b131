"""A field in the session: the kind follows the text, Newton–Raphson only, ∇f as a field, the lens; all undoable."""
from dataclasses import replace

import numpy as np
import pytest

from explorer.core.field_newton import NewtonRun
from explorer.core.field_scene import LensSpec
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.core.syntax_hints import ExpressionError
from explorer.core.trajectory import Run
from explorer.session import Session, SessionError
from explorer.session import model as changes_
from tests.helpers import gui_modules_loaded_by

SYSTEM = "(x^2 - y, x + y - 2)"          # roots (1, 1) and (-2, 4)
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def recorder(s):
    seen = []
    s.subscribe(lambda changes: seen.append(set(changes)))
    return seen


def test_the_field_session_needs_no_qt():
    assert gui_modules_loaded_by("import explorer.session; s = explorer.session.Session(); "
                                 "s.set_expression('(x, y)'); s.add_run('newton'); s.set_lens((0, 0), 0.1)") == []


def test_typing_a_field_makes_a_field_problem_and_back():
    s = Session()
    s.set_expression("x^2 + y^2")
    s.forget_history()
    assert s.kind.name == "surface" and s.objective is not None and s.calculus is None
    s.set_expression(SYSTEM)
    assert s.kind.name == "field" and s.objective is None
    assert s.calculus.analyze((1.0, 1.0)).jacobian.tolist() == [[2.0, -1.0], [1.0, 1.0]]
    assert s.setup.shown_colouring == "orientation"
    s.undo()
    assert s.kind.name == "surface" and s.setup.shown_colouring == "curvature"


def test_newton_raphson_finds_both_roots_from_two_starts():
    s = Session()
    s.set_expression(SYSTEM)
    s.add_run("newton", start=(2.0, 0.0))
    s.add_run("newton", start=(-3.0, 3.0))
    assert all(isinstance(r, NewtonRun) for r in s.runs)
    s.jump(s.setup.max_steps, budget=None)
    assert [r.status for r in s.runs] == ["root found", "root found"]
    assert s.runs[0].path[-1] == pytest.approx([1.0, 1.0]) and s.runs[1].path[-1] == pytest.approx([-2.0, 4.0])
    end = s.shown_step
    for _ in range(end):                          # Back is the exact inverse of Step, as for a surface
        assert s.step_back()
    assert [r.current.point.tolist() for r in s.runs] == [[2.0, 0.0], [-3.0, 3.0]]


def test_only_newton_runs_on_a_field_with_one_clear_line():
    s = Session()
    s.set_expression(SYSTEM)
    with pytest.raises(SessionError, match="^a field F = \\(u, v\\) is solved for F = 0 with newton .* gd minimises"):
        s.add_run("gd")
    with pytest.raises(SessionError, match="no settings"):
        s.add_run("newton", {"singular_tolerance": 1e-9})
    s.add_run("newton")
    with pytest.raises(SessionError, match="no settings"):
        s.set_run_settings(0, {"singular_tolerance": 1e-9})


def test_switching_to_a_field_keeps_newton_and_undo_brings_the_others_back():
    s = Session()
    s.set_expression(HIMMELBLAU)
    s.add_run("gd", {"lr": 0.01}, (1.0, 1.0))
    s.add_run("newton", {"singular_tolerance": 1e-9}, (0.5, 0.5))
    s.forget_history()
    s.set_expression(SYSTEM)
    assert [(r.method, r.settings, r.start) for r in s.setup.runs] == [("newton", {}, (0.5, 0.5))]
    assert isinstance(s.runs[0], NewtonRun)
    assert s.undo() == "Edit function"
    assert [r.method for r in s.setup.runs] == ["gd", "newton"] and isinstance(s.runs[0], Run)
    assert s.setup.runs[1].settings == {"singular_tolerance": 1e-9}


def test_gradient_field_is_newtons_method_and_undoable():
    s = Session()
    s.set_expression(HIMMELBLAU)
    s.add_run("newton", start=(3.5, 1.5))
    surface_path = None
    s.jump(50, budget=None)
    surface_path = s.runs[0].path
    s.reset()
    s.set_gradient_field(True)
    assert s.kind.name == "field" and s.setup.gradient_field and s.history.undo_name() == "Show ∇f as a field"
    J = s.calculus.analyze((0.0, 0.0)).jacobian                      # ∇f's Jacobian is f's Hessian at (0, 0)
    np.testing.assert_allclose(J, [[-42.0, 0.0], [0.0, -26.0]], atol=1e-12)
    s.jump(50, budget=None)
    # Newton–Raphson on ∇f = 0 walks exactly where Newton's method on f walks
    np.testing.assert_allclose(s.runs[0].path, surface_path, atol=1e-9)
    assert s.runs[0].path[-1] == pytest.approx([3.0, 2.0])
    s.set_expression("(x^2 + y - 11)^2 + (x + y^2 - 8)^2")            # editing f keeps showing ∇f
    assert s.setup.gradient_field and s.kind.name == "field"
    s.undo()
    s.undo()
    assert not s.setup.gradient_field and s.kind.name == "surface"


def test_a_typed_field_cannot_be_shown_as_its_gradient():
    s = Session()
    s.set_expression(SYSTEM)
    with pytest.raises(SessionError, match="this is a field already"):
        s.set_gradient_field(True)


def test_a_drag_of_the_lens_is_one_undo_step_and_tells_the_lens_changed():
    s = Session()
    s.set_expression(SYSTEM)
    s.forget_history()
    assert s.setup.lens is None and s.setup.lens_at() == LensSpec((0.0, 1.0), 0.4)   # domain (-2, 2) × (-1, 3)
    seen = recorder(s)
    for x in (0.1, 0.2, 0.3):
        s.set_lens((x, 1.0))
    s.seal()
    assert all(changes_.LENS in c for c in seen)
    assert s.setup.lens == LensSpec((0.3, 1.0), 0.4) and len(s.history.done) == 1
    s.set_lens(radius=0.05)
    assert s.history.undo_name() == "Resize the lens"
    s.undo()
    s.undo()
    assert s.setup.lens is None
    with pytest.raises(SessionError, match="radius must be positive"):
        s.set_lens(radius=0.0)
    with pytest.raises(SessionError, match="the lens needs two numbers"):
        s.set_lens(("a", 1))


def test_a_field_scene_round_trips_through_json():
    s = Session()
    s.set_expression("(a*x - b*y, b*x + a*y)")
    s.set_parameter("a", 0.8)
    s.set_parameter("b", 0.6)
    s.add_run("newton", start=(1.5, 1.0))
    s.set_lens((1.0, 0.5), 0.4)
    s.set_display(colouring="stretch", field_height="u")
    scene = s.scene()
    again = scene_from_json(scene_to_json(scene))
    assert again == scene and again.kind == "field" and again.shown_colouring == "stretch"
    other = Session.from_scene(again)   # new runs start where the scene's first run does
    assert replace(other.setup, default_start=s.setup.default_start) == s.setup


def test_a_bad_field_keeps_the_last_good_one():
    s = Session()
    s.set_expression(SYSTEM)
    before = s.setup
    for text in ("(x, 2y)", "(x, y", "(x, y, x*y)"):
        with pytest.raises(ExpressionError):
            s.set_expression(text)
        assert s.setup is before


def test_display_choices_of_each_kind_are_kept_apart():
    s = Session()
    s.set_expression("x^2")
    s.set_display(colouring="height")
    s.set_expression(SYSTEM)
    s.set_display(colouring="area")
    assert s.setup.shown_colouring == "area"
    s.set_expression("x^2 - y^2")
    assert s.setup.shown_colouring == "height"
    with pytest.raises(SessionError, match="colour by one of curvature, height"):
        s.set_display(colouring="rainbow")
    with pytest.raises(SessionError, match="shows one of norm, u, v"):
        s.set_display(field_height="w")
