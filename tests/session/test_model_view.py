"""The model pane's view on show: a session command (one undo step, no recomputation of the map or the runs)
and a scene key (fit.view, written only when it is not the metrics)."""
import json

import pytest

from explorer.core.model_scene import MODEL_VIEW_NAMES
from explorer.core.scene import SceneError, scene_from_json, scene_to_json
from explorer.session import Session
from explorer.session import model as changes
from explorer.session.errors import SessionError


def model_fit() -> Session:
    s = Session()
    s.start_model_fit("moons", "mlp:4:tanh")
    return s


def test_choosing_a_view_is_one_undoable_command_that_recomputes_nothing():
    s = model_fit()
    seen = []
    s.subscribe(seen.append)
    runs, problem = s.runs, s.problem
    assert s.setup.fit.view == "metrics"
    assert s.set_model_view("spectrum")
    assert s.setup.fit.view == "spectrum" and s.runs is runs and s.problem is problem
    assert changes.MODEL_VIEW in seen[-1] and changes.FIT not in seen[-1] and changes.RUNS not in seen[-1]
    assert not s.set_model_view("spectrum")   # on show already: nothing happens
    assert s.undo() == "Show the spectrum" and s.setup.fit.view == "metrics"


def test_a_view_the_pane_has_not_or_a_fit_without_a_network_is_refused_in_one_line():
    s = model_fit()
    with pytest.raises(SessionError, match="not 'histogram'"):
        s.set_model_view("histogram")
    t = Session()
    with pytest.raises(SessionError, match="model fit"):
        t.set_model_view("spectrum")


def test_the_view_travels_in_the_scene_and_is_written_only_when_not_the_metrics():
    s = model_fit()
    assert "view" not in json.loads(scene_to_json(s.scene()))["fit"]
    s.set_model_view("sharpness")
    data = json.loads(scene_to_json(s.scene()))
    assert data["fit"]["view"] == "sharpness"
    again = Session.from_scene(scene_from_json(json.dumps(data)))
    assert again.setup.fit.view == "sharpness"
    data["fit"]["view"] = "weights"
    with pytest.raises(SceneError, match="fit.view.*metrics, spectrum, sharpness, sensitivity, line"):
        scene_from_json(json.dumps(data))
    assert MODEL_VIEW_NAMES[0] == "metrics"
