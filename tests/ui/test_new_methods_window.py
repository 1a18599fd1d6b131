"""The window offers AdaGrad, L-BFGS and the trust region; a scene with each (and their settings) reopens as
saved and its runs step to where the core's own runs go."""
import numpy as np
from PySide6.QtCore import Qt

from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.core.trajectory import Run

NEW = {"adagrad": {"lr": 0.3}, "l-bfgs": {"memory": 3}, "trust-region": {"radius": 0.5, "max_radius": 4}}
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def test_add_optimizer_offers_the_new_methods_and_each_runs(qtbot, window):
    c = window.controller
    actions = window.runs_panel.method_actions
    for name in NEW:
        assert actions[name].isEnabled() and actions[name].isVisible()
        actions[name].trigger()
    assert [r.method for r in c.runs][-3:] == list(NEW)
    for i, (name, settings) in enumerate(NEW.items(), start=len(c.runs) - 3):
        assert c.set_run_settings(i, settings)
    c.set_max_steps(60)
    qtbot.keyClick(window, Qt.Key_End)
    assert c.wait_for_runs()
    for r in c.runs[-3:]:
        own = Run(make_optimizer(r.method, Objective(ROSENBROCK), **NEW[r.method]), r.start, max_steps=60)
        own.run_to_end()
        np.testing.assert_allclose(r.states[-1].point, own.states[-1].point, rtol=0, atol=1e-12)
        assert r.status == own.status
    assert [r.end_point for r in c.runs[-2:]] == ["minimum", "minimum"]   # l-bfgs and trust-region

    text = scene_to_json(c.session.scene())
    reopened = scene_from_json(text)
    assert scene_to_json(reopened) == text
    c.load_scene(reopened)
    assert [(r.method, {k: r.optimizer.settings()[k] for k in NEW[r.method]}) for r in c.runs[-3:]] == \
        [(name, {k: float(v) for k, v in settings.items()}) for name, settings in NEW.items()]
