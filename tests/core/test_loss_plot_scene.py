"""A scene keeps its loss plot's settings: log scale, x axis, value or distance to the end point."""
import json

import pytest

from explorer.core.loss_plot_scene import LossPlotSpec, read_loss_plot
from explorer.core.scene import Scene, SceneError, scene_from_dict, scene_from_json, scene_to_dict, scene_to_json
from tests.core.test_scene import FULL, refused


def test_the_settings_go_round_a_scene_file_exactly():
    scene = Scene(**{**FULL.__dict__, "loss_plot": LossPlotSpec(log=True, axis="gradient", y="distance")})
    data = json.loads(scene_to_json(scene))
    assert data["loss_plot"] == {"log": True, "axis": "gradient", "y": "distance"}
    assert scene_from_json(scene_to_json(scene)) == scene


def test_an_older_scene_without_them_shows_todays_plot_and_is_written_as_before():
    data = scene_to_dict(FULL)
    assert "loss_plot" not in data                                     # the defaults write no key
    assert scene_from_dict(data).loss_plot == LossPlotSpec(log=False, axis="iterations", y="loss")
    data["loss_plot"] = {"log": True}                                  # the other two keys left out: defaults
    assert scene_from_dict(data).loss_plot == LossPlotSpec(log=True)


@pytest.mark.parametrize("value, message", [
    ("log", "'loss_plot' must be an object, not 'log'"),
    ({"log": "yes"}, "'loss_plot.log' must be true or false, not 'yes'"),
    ({"axis": "seconds"}, "'loss_plot.axis' must be one of iterations, value, gradient, hessian, epochs, "
                          "not 'seconds'"),
    ({"y": "height"}, "'loss_plot.y' must be one of loss, distance, hessian_error, not 'height'"),
    ({"scale": "log"}, "unknown key 'scale' in loss_plot"),
    ({"axis": "epochs"}, "'loss_plot.axis' epochs needs a fit of data: a function has no rows"),
])
def test_a_bad_setting_is_refused_in_one_line_naming_it(value, message):
    data = scene_to_dict(FULL)
    data["loss_plot"] = value
    assert refused(data) == f"scene file: {message}"


def test_epochs_belong_to_a_fit_of_data():
    assert read_loss_plot({"axis": "epochs"}, fit=True) == LossPlotSpec(axis="epochs")
    with pytest.raises(SceneError, match="needs a fit of data"):
        read_loss_plot({"axis": "epochs"}, fit=False)
    assert LossPlotSpec(axis="epochs").for_kind(fit=False) == LossPlotSpec(axis="iterations")
