import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from explorer.core.scene import load_scene
from explorer.ui.window.scene_actions import autosave_path


@pytest.fixture
def no_dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


def test_save_then_open_gives_exactly_what_was_saved(qtbot, window, tmp_path):
    c = window.controller
    window.editor.edit.setText("a*x^2 + y^2")
    window.editor.apply()
    c.set_parameter("a", 2.5)
    c.set_domain((-4, 4), (-2, 3))
    c.set_display(colouring="height", log_scale=True, quadratic_model=True)
    c.set_start(1.5, -1.0)
    for _ in range(3):
        c.step()
    window.surface.setCameraPosition(distance=30, elevation=10, azimuth=45)
    positions = [r.position for r in c.runs]            # newton has converged in one step, gd is at 3
    assert positions == [3, 1]
    path = tmp_path / "lesson.json"
    assert window.scenes.save_path(path)
    saved = load_scene(path)

    c.set_expression("x + y")
    c.set_domain((-1, 1), (-1, 1))
    c.set_display(colouring="curvature", log_scale=False, quadratic_model=False)
    assert window.scenes.open_path(path)
    assert c.wait_for_surface()
    assert c.text == "a*x^2 + y^2" and c.parameter_values() == {"a": 2.5}
    assert (c.x_range, c.y_range) == ((-4, 4), (-2, 3))
    assert c.colouring == "height" and c.log_scale and c.overlays["quadratic_model"]
    assert [r.method for r in c.runs] == ["gd", "newton"] and [r.position for r in c.runs] == positions
    assert c.runs[0].path[0].tolist() == [1.5, -1.0]
    assert window.surface.camera().distance == 30
    assert window.scenes.scene() == saved                # reopening reproduces the scene exactly


@pytest.mark.parametrize("content", ['{"format_version": 1, "expression": "x^2"', "[]",
                                     '{"format_version": 99, "expression": "x"}',
                                     '{"format_version": 1, "expression": "foo(x)"}'])
def test_a_broken_file_is_refused_and_the_scene_stays(qtbot, window, tmp_path, no_dialogs, content):
    path = tmp_path / "broken.json"
    path.write_text(content)
    before = window.scenes.scene()
    assert not window.scenes.open_path(path)
    assert len(no_dialogs) == 1 and no_dialogs[0].startswith("scene file:") and "\n" not in no_dialogs[0]
    assert window.scenes.scene() == before


def test_autosave_restores_what_was_typed(qtbot, window):
    c = window.controller
    c.set_expression("x^2 - 3*y^2")
    kept = autosave_path().read_text()     # written through at once, without waiting for the timer
    assert json.loads(kept)["expression"] == "x^2 - 3*y^2"
    c.set_expression("x")
    assert json.loads(autosave_path().read_text())["expression"] == "x"
    autosave_path().write_text(kept)        # as a window killed before typing "x" left it
    assert window.scenes.restore_autosave()
    assert c.text == "x^2 - 3*y^2"


def test_command_line_refuses_a_broken_scene(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format_version": 1, "expression": ')
    done = subprocess.run([sys.executable, "-m", "explorer", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("landscape-explorer: error: scene file:") and done.stderr.count("\n") == 1


def test_command_line_opens_a_scene(tmp_path, qtbot, window):
    path = tmp_path / "bowl.json"
    window.controller.set_expression("x^2 + 10*y^2")
    window.scenes.save_path(path)
    shot = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "explorer", str(path), "--screenshot", str(shot)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000


def test_the_autosave_keeps_an_edit_made_while_playing(qtbot, window):
    """A kill -9 at any moment loses at most the last 2 s: the autosave fires within 2 s of a change
    even while every step is another change."""
    from explorer.ui.window.scene_actions import AUTOSAVE_MS
    assert AUTOSAVE_MS <= 2000
    c = window.controller
    c.set_speed(30)
    c.play()
    window.editor.edit.setText("x^2 + 7*y^2")
    window.editor.apply()

    def saved_while_playing() -> bool:   # a save already due may catch the edit at step 0: wait for a later one
        try:
            saved = json.loads(autosave_path().read_text())
        except (OSError, ValueError):   # not there yet, or read while being written
            return False
        return saved["expression"] == "x^2 + 7*y^2" and saved["current_step"] > 0

    qtbot.waitUntil(saved_while_playing, timeout=AUTOSAVE_MS + 300)   # within the interval, not put off by each step
    assert c.playing
    saved = json.loads(autosave_path().read_text())
    assert saved["expression"] == "x^2 + 7*y^2"
    assert saved["current_step"] > 0
    c.pause()
