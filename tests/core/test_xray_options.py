"""The display options "method_state" and "tangent_plane" (issue 27): written in a scene only when on, read
back as written, and every preset keeps its bytes."""
import json
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.scene import Scene, SceneError, scene_from_json, scene_to_json

PRESETS = Path(__file__).resolve().parents[2] / "explorer" / "resources" / "presets"


@pytest.mark.parametrize("key", ["method_state", "tangent_plane"])
def test_an_option_is_written_only_when_on_and_reads_back(key):
    off = Scene("x^2 + 10*y^2")
    assert key not in json.loads(scene_to_json(off))["overlays"]
    on = replace(off, overlays={**off.overlays, key: True})
    written = json.loads(scene_to_json(on))
    assert written["overlays"][key] is True
    assert scene_from_json(scene_to_json(on)).overlays[key] is True
    assert scene_from_json(scene_to_json(off)).overlays[key] is False


def test_a_non_boolean_option_is_refused_with_its_name():
    text = json.dumps({"format_version": 1, "expression": "x^2", "overlays": {"tangent_plane": 3}})
    with pytest.raises(SceneError, match="tangent_plane"):
        scene_from_json(text)


def test_every_preset_keeps_its_bytes():
    files = sorted(PRESETS.glob("*.json"))
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert scene_to_json(scene_from_json(text, check=False)) == text, path.name


def test_the_loss_plots_hessian_error_choice_round_trips():
    from explorer.core.loss_plot_scene import LossPlotSpec
    scene = Scene("x^2 + 10*y^2", loss_plot=LossPlotSpec(y="hessian_error"))
    assert json.loads(scene_to_json(scene))["loss_plot"]["y"] == "hessian_error"
    assert scene_from_json(scene_to_json(scene)).loss_plot.y == "hessian_error"
