"""A network fit's scene opens in the window: the map shows the loss over two of the network's parameters (the
others held at the run's point), and Step moves on without a message of failure."""
import numpy as np
import pytest

from explorer.core.scene import save_scene
from explorer.session import Session


@pytest.fixture
def network_scene(tmp_path):
    s = Session()
    s.start_model_fit("moons", "mlp:4:tanh")
    for _ in range(3):
        s.step_forward()
    path = tmp_path / "network.json"
    save_scene(s.scene(), path)
    return path


def test_a_network_scene_opens_with_its_loss_slice_on_the_map(qtbot, window, network_scene):
    messages = []
    c = window.controller
    c.message.connect(messages.append)
    assert window.scenes.open_path(network_scene)
    assert c.wait_for_surface(60000)
    session, cmap = c.session, c.cmap
    problem, fit = session.problem, session.setup.fit
    assert fit.network.model == "mlp:4:tanh" and session.shown_step == 3
    i, j = fit.axis_indices
    held = session.held_theta()
    for a, b in ((0, 0), (len(cmap.x) // 2, len(cmap.y) // 3), (len(cmap.x) - 1, len(cmap.y) - 1)):
        theta = held.copy()
        theta[i], theta[j] = cmap.x[a], cmap.y[b]
        assert cmap.z[a, b] == pytest.approx(problem.value(theta), rel=1e-10)
    assert np.ptp(cmap.z) > 0
    for _ in range(2):
        assert c.step()
    qtbot.wait(50)
    assert session.shown_step == 5 and not [m for m in messages if "wrong" in m or "Could not" in m]
