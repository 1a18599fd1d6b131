"""The second-derivative lesson's presets do what their notes say (see tests/core/test_presets.py)."""
import re

import numpy as np
import pytest

from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.preset_library import load_presets
from explorer.core.stability import optimal_rate, optimal_settings, stability
from explorer.core.trajectory import Run

PRESETS = {path.stem: scene for path, scene in load_presets()}


def numbers_in(note: str) -> list[float]:
    return [float(v) for v in re.findall(r"(?<![\w.])\d+\.\d+", note)]


def check_momentum_stability(scene):
    objective = Objective(scene.text, scene.parameter_values())
    momentum = stability(objective, "momentum", scene.runs[0].settings, scene.x_range, scene.y_range)
    assert momentum.form.is_quadratic
    np.testing.assert_allclose(momentum.form.eigenvalues, [2, 20])
    best = optimal_settings("momentum", [2, 20])
    lr, beta, rate, gd_rate = numbers_in(scene.note)[:4]
    assert (lr, beta) == (round(best["lr"], 4), round(best["momentum"], 4))
    assert rate == round(optimal_rate("momentum", [2, 20]), 4)
    assert gd_rate == round(optimal_rate("gd", [2, 20]), 4) and "2/22" in scene.note
    assert optimal_settings("gd", [2, 20])["lr"] == pytest.approx(2 / (2 + 20))
    # the program's own heavy ball at those settings shrinks the error by the promised rate in the long run
    # (at the optimum the two roots coincide, so the error goes like k·ρᵏ: the ratio approaches ρ from above)
    run = Run(make_optimizer("momentum", objective, **best), scene.runs[0].start, max_steps=60)
    run.run_to_end()
    errors = np.linalg.norm(run.path, axis=1)
    observed = (errors[30] / errors[20]) ** (1 / 10)
    assert optimal_rate("momentum", [2, 20]) < observed < 1.06 * optimal_rate("momentum", [2, 20])


def basin_map(scene, n=100):
    from explorer.core.basins import basins
    (spec,) = scene.runs
    x, y = np.linspace(*scene.x_range, n), np.linspace(*scene.y_range, n)
    return basins(scene.text, spec.method, x, y, settings=spec.settings, max_steps=scene.max_steps)


def share(bmap, kind) -> float:
    return sum(int(c) for c, k in zip(bmap.counts, bmap.kinds) if k == kind) / bmap.label.size


def check_basins_gd(scene):
    assert scene.overlays["basins"] and "100×100" in scene.note
    bmap = basin_map(scene)
    assert bmap.kinds == ("minimum",) * 4 and (bmap.label >= 0).all()
    np.testing.assert_allclose(sorted(map(tuple, np.round(bmap.ends, 4))),
                               [(-3.7793, -3.2832), (-2.8051, 3.1313), (3.0, 2.0), (3.5844, -1.8481)])
    assert np.all(np.abs(bmap.counts / bmap.label.size - 0.25) < 0.02)      # "each about a quarter"
    for k, end in enumerate(bmap.ends):                                       # every start near a minimum
        near = np.hypot(*np.meshgrid(bmap.x - end[0], bmap.y - end[1], indexing="ij")) < 0.8
        assert (bmap.label[near] == k).all()


def check_basins_newton(scene):
    assert scene.overlays["basins"]
    bmap = basin_map(scene)
    assert bmap.kinds.count("minimum") == 4 and bmap.kinds.count("saddle") == 4 and bmap.kinds.count("maximum") == 1
    saddle, maximum, minimum = numbers_of_percent(scene.note)
    assert round(100 * share(bmap, "saddle")) == saddle and round(100 * share(bmap, "maximum")) == maximum
    assert round(100 * share(bmap, "minimum")) == minimum


def numbers_of_percent(note: str) -> list[int]:
    return [int(v) for v in re.findall(r"(\d+)%", note)]


LESSON_CLAIMS = {"22-momentum-stability": check_momentum_stability, "23-himmelblau-basins-gd": check_basins_gd,
                 "24-himmelblau-basins-newton": check_basins_newton}


@pytest.mark.parametrize("name", sorted(LESSON_CLAIMS))
def test_the_lesson_preset_does_what_its_note_says(name):
    assert name in PRESETS, f"no preset file {name}.json"
    LESSON_CLAIMS[name](PRESETS[name])
