"""The problem kind is an object: each kind's value name, axes, methods, grid picture, runs and inspector reading."""
import numpy as np
import pytest

from explorer.core.calculus import SurfaceCalculus
from explorer.core.field_picture import compute_field_picture
from explorer.core.methods import LEAST_SQUARES, METHODS
from explorer.session import Session
from explorer.session.kinds import KINDS, FieldKind, FitKind, SurfaceKind, is_optimizer_run, kind_named
from tests.helpers import gui_modules_loaded_by
from tests.session.fit_sessions import line_fit

XS, YS = np.linspace(-1, 1, 5), np.linspace(-2, 2, 7)


def surface(text="x^2 + 3*y^2") -> Session:
    s = Session()
    s.set_expression(text)
    s.add_run("gd", {"lr": 0.1}, start=(1.0, 1.0))
    return s


def field() -> Session:
    s = Session()
    s.set_expression("(x^2 - y, x + y - 2)")
    s.add_run("newton", start=(0.5, 0.5))
    return s


def test_the_kinds_need_no_qt():
    assert gui_modules_loaded_by("import explorer.session.kinds as k; k.kind_named('fit').value_name") == []


def test_session_kind_is_the_object_of_its_name():
    assert isinstance(surface().kind, SurfaceKind) and surface().kind.name == "surface"
    assert isinstance(field().kind, FieldKind) and field().kind.name == "field"
    assert isinstance(line_fit().kind, FitKind) and line_fit().kind.name == "fit"
    assert list(KINDS) == ["surface", "field", "fit"]
    assert all(kind_named(name).name == name for name in KINDS)


def test_a_surface_shown_as_its_gradient_is_a_field():
    s = surface()
    s.set_gradient_field(True)
    assert s.kind.name == "field" and s.kind.value_name == "|F|"


def test_each_kind_names_its_value_and_its_axes():
    assert [KINDS[k].value_name for k in ("surface", "field", "fit")] == ["f", "|F|", "L"]
    s, f, fit = surface(), field(), line_fit()
    assert s.kind.axis_names(s.setup) == ("x", "y") and f.kind.axis_names(f.setup) == ("x", "y")
    assert fit.kind.axis_names(fit.setup) == ("w", "b")


def test_each_kind_offers_its_methods():
    s, f, fit = surface(), field(), line_fit()
    assert s.kind.methods(s.setup) == tuple(METHODS) and not set(LEAST_SQUARES) & set(s.kind.methods(s.setup))
    assert f.kind.methods(f.setup) == ("newton",)
    assert fit.kind.methods(fit.setup) == tuple(METHODS)
    fit.set_fit_residual(True, "w*X + b - Y")
    assert fit.kind.methods(fit.setup) == tuple(METHODS) + tuple(LEAST_SQUARES)
    assert set(LEAST_SQUARES) == {"gauss-newton", "levenberg-marquardt"}


def test_a_surfaces_grid_picture_is_its_curvature_map():
    s = surface("a*x^2 + 3*y^2")
    s.set_parameter("a", 2.0)
    params = s.setup.parameter_values()
    picture = s.kind.grid_picture(s.kind.grid_problem(s), params, XS, YS)
    before = SurfaceCalculus(s.expression, params).curvature_map(XS, YS)
    np.testing.assert_array_equal(picture.z, before.z)
    np.testing.assert_array_equal(picture.classes, before.classes)
    np.testing.assert_allclose(picture.z, 2 * XS[:, None] ** 2 + 3 * YS[None, :] ** 2)   # by hand
    assert (picture.classes == 1).all()   # a bowl is convex everywhere


def test_a_fields_grid_picture_is_its_jacobian_map():
    f = field()
    picture = f.kind.grid_picture(f.kind.grid_problem(f), {}, XS, YS)
    before = compute_field_picture(f.calculus, XS, YS)
    np.testing.assert_array_equal(picture.jmap.det, before.jmap.det)
    # J = [[2x, -1], [1, 1]]: det J = 2x + 1 at every y
    np.testing.assert_allclose(picture.jmap.det, np.broadcast_to(2 * XS[:, None] + 1, picture.jmap.det.shape))


def test_a_fits_grid_picture_is_the_slice_of_its_mean_loss():
    fit = line_fit()
    problem = fit.kind.grid_problem(fit)
    picture = fit.kind.grid_picture(problem, {}, XS, YS)
    np.testing.assert_array_equal(picture.z, fit.slice_calculus().curvature_map(XS, YS).z)
    assert (XS[2], YS[3]) == (0.0, 0.0)   # at w = b = 0, L = mean of (0·X + 0 − Y)² = mean of Y²
    assert picture.z[2, 3] == pytest.approx(np.mean(fit.problem.dataset.column("Y") ** 2))


def test_runs_are_told_apart_by_what_they_are():
    assert is_optimizer_run(surface().runs[0]) and is_optimizer_run(line_fit().runs[0])
    assert not is_optimizer_run(field().runs[0])


def test_the_inspector_reads_each_kinds_derivatives_at_a_point():
    s, f, fit = surface(), field(), line_fit()
    reading = s.kind.reading(s, (1.0, 2.0))
    assert reading.value == pytest.approx(13.0) and np.allclose(reading.gradient, [2.0, 12.0])
    assert np.allclose(reading.hessian, [[2.0, 0.0], [0.0, 6.0]])
    assert f.kind.reading(f, (1.0, 1.0)).jacobian.tolist() == [[2.0, -1.0], [1.0, 1.0]]
    theta = fit.runs[0].current.point
    assert fit.kind.reading(fit, theta).value == pytest.approx(fit.objective.value(theta))


def test_the_maps_reading_is_the_selected_runs_and_a_field_has_none():
    s, f, fit = surface(), field(), line_fit()
    assert s.kind.map_reading(s).value == pytest.approx(4.0)   # gd starts at (1, 1): 1 + 3
    assert f.kind.map_reading(f) is None
    block = fit.kind.map_reading(fit)
    assert block.hessian.shape == (2, 2)
