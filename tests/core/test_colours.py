"""One colour system: runs coloured by method, far from the curvature tints and from each other; basins far apart."""
import glob
import itertools
import json
from pathlib import Path

import pytest

from explorer.core.colours import (BASIN_COLOURS, CLASS_COLOURS, METHOD_COLOURS, NO_END, basin_colour,
                                   method_colour, rgb)
from explorer.core.methods import ALL_METHODS
from explorer.core.scene import Scene
from explorer.core.run_spec import RunSpec
from tests.colour_difference import VISIONS, delta_e, delta_e2000, lab

PRESETS = Path(__file__).parents[2] / "explorer" / "resources" / "presets"
FROM_CLASSES = 18       # a run's colour against every pale class tint (paths also get a casing)
BETWEEN_METHODS = 15    # any two methods, normal vision
SIDE_BY_SIDE = 20       # two methods a preset shows together, also with protanopia, deuteranopia, tritanopia
BETWEEN_BASINS = 15     # any two basin colours, and each against white (no end)


def test_delta_e2000_matches_sharmas_published_pairs():
    # Sharma, Wu & Dalal (2005), table 1, pairs 1, 3 and 17
    assert delta_e2000([50, 2.6772, -79.7751], [50, 0, -82.7485]) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e2000([50, 2.8361, -74.0200], [50, 0, -82.7485]) == pytest.approx(3.4412, abs=1e-4)
    assert delta_e2000([50, 2.5, 0], [73, 25, -18]) == pytest.approx(27.1492, abs=1e-4)
    assert lab([255, 255, 255]) == pytest.approx([100, 0, 0], abs=1e-3)


def test_every_method_has_its_own_colour():
    assert set(METHOD_COLOURS) == set(ALL_METHODS)
    assert len(set(METHOD_COLOURS.values())) == len(METHOD_COLOURS)


@pytest.mark.parametrize("method", sorted(METHOD_COLOURS))
def test_a_run_colour_is_far_from_every_curvature_class(method):
    for label, tint in CLASS_COLOURS.values():
        assert delta_e(rgb(method_colour(method)), tint) >= FROM_CLASSES, (method, label)


def test_any_two_methods_differ():
    for a, b in itertools.combinations(METHOD_COLOURS, 2):
        assert delta_e(rgb(METHOD_COLOURS[a]), rgb(METHOD_COLOURS[b])) >= BETWEEN_METHODS, (a, b)


def shown_together() -> set[tuple[str, str]]:
    pairs = set()
    for path in glob.glob(str(PRESETS / "*.json")):
        methods = sorted({run["method"] for run in json.loads(Path(path).read_text()).get("runs", [])})
        pairs |= set(itertools.combinations(methods, 2))
    return pairs


def test_methods_a_lesson_shows_together_differ_also_for_colour_blind_viewers():
    pairs = shown_together()
    assert ("gd", "newton") in pairs and ("gauss-newton", "levenberg-marquardt") in pairs   # the presets were read
    for a, b in pairs:
        for vision in VISIONS:
            assert delta_e(rgb(method_colour(a)), rgb(method_colour(b)), vision) >= SIDE_BY_SIDE, (a, b, vision)


def test_a_methods_colour_does_not_depend_on_its_place_in_a_scene():
    runs = (RunSpec("newton", {}, (0.0, 0.0)), RunSpec("gd", {}, (1.0, 1.0)), RunSpec("bfgs", {}, (0.5, 0.5)))
    forward = Scene("x^2 + y^2", runs=runs).setup.runs
    backward = Scene("x^2 + y^2", runs=runs[::-1]).setup.runs
    assert {r.method: r.colour for r in forward} == {r.method: r.colour for r in backward}
    assert forward[1].colour == METHOD_COLOURS["gd"] == "#000000"


def test_basin_colours_have_no_look_alike_pairs_and_none_is_white():
    colours = [*BASIN_COLOURS, NO_END]
    assert len(BASIN_COLOURS) >= 9                      # Newton on Himmelblau: nine ends, nine colours
    for a, b in itertools.combinations(colours, 2):
        assert delta_e(rgb(a), rgb(b)) >= BETWEEN_BASINS, (a, b)
    assert NO_END == basin_colour(-1) == "#FFFFFF"
    assert basin_colour(len(BASIN_COLOURS)) == BASIN_COLOURS[0]


def test_basin_colours_are_light_enough_for_dark_lines_over_them():
    assert all(lab(rgb(c))[0] >= 55 for c in BASIN_COLOURS)
    assert all(lab(rgb(c))[0] <= 60 for c in METHOD_COLOURS.values())     # paths stay dark on any basin
