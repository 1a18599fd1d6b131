"""Fit → Directions of the map… on a network fit: the form applies filter-normalised random directions, the map
shows L(θ* + a·d₁ + b·d₂) over ±span (checked against L evaluated here point by point), its axes and note say
so, the run's path is drawn where it projects, and Ctrl+Z brings the two parameters back."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.core.directions import AXIS_NAMES, DirectionSpec


def test_the_form_puts_random_directions_on_the_map(qtbot, window):
    c = window.controller
    messages = []
    c.message.connect(messages.append)
    c.model.start()
    assert c.wait_for_surface(60000)
    for _ in range(4):
        assert c.step()
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.parts["fit"].directions_dialog
    assert dialog.isVisible() and dialog.kind.currentData() == "params"
    dialog.kind.setCurrentIndex(dialog.kind.findData("random"))
    dialog.seed.setValue(3)
    dialog.span.setValue(0.75)
    assert dialog.apply() and dialog.error.text() == ""
    assert c.wait_for_surface(60000)
    session, cmap = c.session, c.cmap
    problem, plane = session.problem, session.direction_plane()
    theta = np.asarray(session.runs[0].current.point)
    np.testing.assert_array_equal(plane.centre, theta)
    assert cmap.x[0] == pytest.approx(-0.75) and cmap.x[-1] == pytest.approx(0.75)
    for i, j in ((0, 0), (len(cmap.x) // 2, len(cmap.y) // 3), (len(cmap.x) - 1, len(cmap.y) - 1)):
        expected = problem.value(theta + cmap.x[i] * plane.d1 + cmap.y[j] * plane.d2)
        assert cmap.z[i, j] == pytest.approx(expected, rel=1e-10)
    assert tuple(session.kind.axis_names(session.setup)) == AXIS_NAMES
    note = window.parts["fit"].note.shown_text()
    assert "filter-normalised random directions, seed 3" in note and "step 4" in note
    path = c.plane(session.runs[0].shown_path())
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-12)   # the run's point on show is the centre
    assert not [m for m in messages if "wrong" in m or "Could not" in m]
    c.undo()
    assert c.wait_for_surface(60000)
    assert session.setup.fit.directions is None
    assert "filter-normalised" not in window.parts["fit"].note.shown_text()


def test_a_plane_that_cannot_be_made_is_said_under_the_form(qtbot, window):
    c = window.controller
    c.model.start()
    assert c.wait_for_surface(60000)
    assert window.parts["fit"].open_directions()
    dialog = window.parts["fit"].directions_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("runs"))
    assert not dialog.apply()
    assert "needs runs 1 and 2; there are 1" in dialog.error.text()
    assert c.session.setup.fit.directions is None


def test_the_fit_form_hides_the_axes_while_the_map_shows_directions(qtbot, window):
    c = window.controller
    c.model.start()
    assert c.wait_for_surface(60000)
    form = window.editor.fit_form
    assert form.axes[0].isVisibleTo(window) and form.follow.isVisibleTo(window)
    assert c.fit.set_directions(DirectionSpec("hessian", span=0.5)) == ""
    assert not form.axes[0].isVisibleTo(window) and not form.follow.isVisibleTo(window)
    c.undo()
    assert form.axes[0].isVisibleTo(window) and form.follow.isVisibleTo(window)


def test_the_note_says_when_a_networks_map_is_drawn_on_fewer_points_than_asked(qtbot, window):
    from explorer.core.preset_library import load_presets
    from tests.ui.at_rest import settle
    c = window.controller
    scene = next(scene for path, scene in load_presets() if path.stem.startswith("42-"))
    window.scenes.show_scene(scene, "Load preset 42")
    assert c.wait_for_surface(60000)
    settle(qtbot, window)
    note = window.parts["fit"].note
    assert c.cmap.x.size == 85 and "drawn on" not in note.shown_text()
    c.set_resolution(200)
    assert c.wait_for_surface(60000)
    settle(qtbot, window)
    assert c.cmap.x.size == c.session.map_points() < 200
    assert f"drawn on {c.cmap.x.size}×{c.cmap.x.size} points, not 200" in note.shown_text()
