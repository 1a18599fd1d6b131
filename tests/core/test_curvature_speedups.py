"""The curvature map's two recipes (explorer/core/calculus.py) give the same map.

`SurfaceCalculus` differentiates a block of the grid either in forward mode on a column of x and a
row of y (a term of x alone, cos(2πx), is then computed once per grid row) or in reverse mode on
the whole block; `forward_is_cheaper` picks one per expression from the shapes of its operations.
Both must give the same numbers to rounding and the same classes; this file checks that on random
expressions, and checks the pieces of the forward recipe (no warnings, threads, the cost probe).
"""
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from autograd.extend import defvjp, primitive
from hypothesis import strategies as st

from explorer.core.calculus import SurfaceCalculus, grid_classes, grid_eigenvalues
from explorer.core.grid_recipe import forward_is_cheaper, operations
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.fit_map import SliceCalculus

# no exact zeros and no value shared by x and y: 1/x, log(x), x - y stay finite where they should
XS, YS = np.linspace(-1.9, 1.7, 9), np.linspace(-1.3, 2.15, 7)
KEYS = ("z", "gx", "gy", "hxx", "hxy", "hyy", "eigenvalues")
BENCHMARK = ["(1 - x)**2 + 100*(y - x**2)**2", "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
             "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)", "sin(x)*cos(y) + 0.1*(x**2 + y**2)"]


def both_recipes(text, x=XS, y=YS, **kwargs):
    forward, reverse = SurfaceCalculus(text), SurfaceCalculus(text)
    forward._broadcast_block, reverse._broadcast_block = True, False
    return forward.curvature_map(x, y, **kwargs), reverse.curvature_map(x, y, **kwargs)


def assert_same_map(a, b):
    # f itself: the same operations on the same numbers, broadcast or not: identical
    np.testing.assert_array_equal(a.z, b.z)
    defined = b.classes != -1   # value and derivatives all finite (the same cells in both: checked below)
    for key in KEYS[1:]:
        p, q = getattr(a, key), getattr(b, key)
        # where a cell is undefined, reverse mode may turn a derivative that is 0 into nan (0·inf or
        # 0·nan from the other variable's seed) where forward mode keeps 0: compare the finite ones
        np.testing.assert_array_equal(np.isfinite(p)[defined], np.isfinite(q)[defined], err_msg=key)
        finite = np.isfinite(p) & np.isfinite(q)
        scale = 1.0 + np.max(np.abs(p[finite]), initial=0.0)
        np.testing.assert_allclose(p[finite], q[finite], rtol=1e-9, atol=1e-11 * scale, err_msg=key)
    # classes: equal wherever rounding cannot decide them (an eigenvalue near zero next to the other)
    lam_a, lam_b = np.abs(a.eigenvalues), np.abs(b.eigenvalues)
    with np.errstate(all="ignore"):
        clear = ((lam_a.min(-1) > 1e-6 * lam_a.max(-1)) & (lam_b.min(-1) > 1e-6 * lam_b.max(-1))
                 | ~np.isfinite(lam_a).all(-1))
    np.testing.assert_array_equal(a.classes[clear], b.classes[clear])
    np.testing.assert_array_equal(a.classes == -1, b.classes == -1)


numbers = st.sampled_from(["0.5", "2", "3.25", "10", "0.1", "pi"])
atoms = st.sampled_from(["x", "y", "x", "y"]) | numbers


def _compound(inner):
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})")
    power = st.tuples(inner, st.sampled_from(["2", "3", "0.5", "-1"])).map(lambda t: f"({t[0]})^{t[1]}")
    one = st.tuples(st.sampled_from(["sin", "cos", "exp", "tanh", "arctan", "sinh", "log", "sqrt", "-"]), inner).map(
        lambda t: f"{t[0]}({t[1]})")
    return binary | power | one


smooth = st.recursive(atoms, _compound, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(smooth)
def test_forward_and_reverse_recipes_agree_on_random_expressions(text):
    assert_same_map(*both_recipes(text))


@pytest.mark.parametrize("text", BENCHMARK + ["sin(x*y)", "exp(-x**2 - y**2) * arctan(x*y)", "x^y",
                                              "log(1 + x^2 + y^2)", "sqrt(x^2 + y^2)", "1/(x - y)", "3*x + y",
                                              "2.5", "y^3", "maximum(x, y) + minimum(x^2, y)"])
def test_forward_and_reverse_recipes_agree(text):
    assert_same_map(*both_recipes(text))
    # and one grid row per block changes nothing in either recipe
    for whole, rows in zip(both_recipes(text), both_recipes(text, block_points=YS.size)):
        for key in KEYS + ("classes",):
            np.testing.assert_array_equal(getattr(whole, key), getattr(rows, key))


def test_the_benchmark_functions_take_the_forward_recipe_and_a_trig_of_both_variables_does_not():
    for text in BENCHMARK + ["x^2 + 10*y^2", "x^3 - 3*x*y^2", "exp(-(x^2 + y^2))"]:
        assert forward_is_cheaper(SurfaceCalculus(text)._fn), text
    # sin and cos over the whole grid: forward mode would evaluate them three times (measured 1.2-1.4x slower)
    for text in ["sin(x*y)", "cos(x + y)", "sin(x + y)*cos(x - y)", "tanh(x*y) + cos(x + y)"]:
        assert not forward_is_cheaper(SurfaceCalculus(text)._fn), text


def test_the_choice_is_made_once_on_the_first_map():
    calc = SurfaceCalculus("(1 - x)**2 + 100*(y - x**2)**2")
    assert calc._broadcast_block is None
    calc.curvature_map(XS, YS)
    assert calc._broadcast_block is True
    calc = SurfaceCalculus("sin(x*y)")
    calc.curvature_map(XS, YS)
    assert calc._broadcast_block is False


def test_operations_names_each_operation_with_the_shape_it_has_on_a_column_and_a_row():
    ops = operations(SurfaceCalculus("(1 - x)**2 + 100*(y - x**2)**2")._fn)
    assert [(name, shape) for name, _, shape, _ in ops] == [
        ("subtract", (2, 1)), ("square", (2, 1)),   # (1 - x)²: a column
        ("square", (2, 1)), ("subtract", (2, 3)),   # x² a column, y - x² the whole grid
        ("square", (2, 3)), ("multiply", (2, 3)), ("add", (2, 3))]
    assert ops[3][3] == ((1, 3), (2, 1))   # y - x²: a row meets a column
    assert operations(SurfaceCalculus("2.5")._fn) == []


def test_an_f_the_probe_cannot_trace_or_without_a_forward_rule_keeps_the_reverse_recipe():
    def broken(x, y):
        raise RuntimeError("no")
    assert forward_is_cheaper(broken) is False

    @primitive
    def cube(x):   # reverse mode only
        return x**3
    defvjp(cube, lambda ans, x: lambda g: g * 3 * x**2)
    assert forward_is_cheaper(lambda x, y: x**2 + y) is True
    assert forward_is_cheaper(lambda x, y: cube(x) + y) is False


def test_fit_slices_keep_the_reverse_recipe():
    data = generate("line", rows=20)
    calc = SliceCalculus(FitProblem(data, "(w*X + b - Y)^2", "w, b"), "w", "b", [0, 0])
    calc.curvature_map(np.linspace(0, 2, 4), np.linspace(-1, 1, 3))
    assert calc._broadcast_block is False


@pytest.mark.parametrize("text", ["3*x + y", "x**2 + y", "2.5", "sin(x)", "y**3", "x*y", "exp(x) + cos(y)"])
def test_parts_that_do_not_depend_on_a_variable_warn_nothing_and_are_exact_zeros(text):
    calc = SurfaceCalculus(text)
    calc._broadcast_block = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = calc.curvature_map(XS, YS)
    for key in KEYS[:-1]:
        assert getattr(m, key).shape == (XS.size, YS.size)
    X, Y = np.meshgrid(XS, YS, indexing="ij")
    if text == "3*x + y":
        assert np.all(m.gx == 3) and np.all(m.gy == 1) and np.all(m.hxx == 0) and np.all(m.hyy == 0)
    if text in ("x**2 + y", "sin(x)", "exp(x) + cos(y)"):
        assert np.all(m.hxy == 0)
    if text == "y**3":
        assert np.all(m.gx == 0) and np.all(m.hxx == 0) and np.all(m.hxy == 0)
        np.testing.assert_allclose(m.hyy, 6 * Y, rtol=1e-15)


def test_forward_maps_in_two_threads_at_once_match_the_maps_made_one_at_a_time():
    texts = BENCHMARK[:2]
    x, y = np.linspace(-2, 2, 120), np.linspace(-1, 3, 110)
    alone = [SurfaceCalculus(t).curvature_map(x, y, block_points=1000) for t in texts]
    results, errors = {}, []

    def work(i):
        try:
            calc = SurfaceCalculus(texts[i])
            results[i] = [calc.curvature_map(x, y, block_points=1000) for _ in range(3)]
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    for i, maps in results.items():
        for m in maps:
            for key in KEYS + ("classes",):
                np.testing.assert_array_equal(getattr(m, key), getattr(alone[i], key))


def test_grid_functions_still_accept_broadcastable_pieces():
    # the forward recipe's results may be a column, a row or a number before they are copied out
    hxx, hxy, hyy = np.array([[1.0], [-2.0]]), np.float64(0.0), np.array([[3.0, -1.0, 0.0]])
    lam = grid_eigenvalues(hxx, hxy, hyy)
    assert lam.shape == (2, 3, 2)
    classes = grid_classes(np.float64(1.0), 0.0, 0.0, hxx, hxy, hyy, lam)
    np.testing.assert_array_equal(classes, [[1, 3, 0], [3, 2, 0]])
