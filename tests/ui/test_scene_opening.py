"""Opening a scene checks it in a worker thread: the window keeps drawing, Cancel leaves it as it was."""
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

import explorer.session.prepare as prepare
import explorer.ui.control.scene_loader as scene_loader
from explorer.core.preset_library import load_presets
from explorer.core.scene import save_scene


@pytest.fixture
def preset_file(tmp_path):
    _, scene = load_presets()[7]     # Rosenbrock with a few runs
    path = tmp_path / "lesson.json"
    save_scene(scene, path)
    return path, scene


def test_the_check_runs_in_a_worker_while_the_window_serves_its_events(qtbot, window, preset_file, monkeypatch):
    path, scene = preset_file
    real = prepare.check_computable
    seen = {}
    served = threading.Event()

    def check(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        # a timer of the window's thread fires only while its event loop runs: the check waits for it
        seen["served"] = served.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "check_computable", check)
    QTimer.singleShot(50, served.set)
    assert window.scenes.open_path(path)
    assert seen["thread"] is not threading.main_thread()
    assert seen["served"]
    assert window.controller.text == scene.text


def test_the_session_takes_the_runs_the_check_built(qtbot, window, preset_file, monkeypatch):
    path, scene = preset_file
    builders = []
    real = scene_loader.prepare_scene
    monkeypatch.setattr(scene_loader, "prepare_scene", lambda *a: builders.append(real(*a)) or builders[-1])
    assert window.scenes.open_path(path)
    built = {id(run) for run in builders[0]._runs.values()}
    assert len(window.controller.runs) == len(scene.runs) > 1
    assert all(id(run) in built for run in window.controller.session.runs)


def test_cancel_leaves_the_scene_on_show_as_it_was(qtbot, window, preset_file, monkeypatch):
    path, _ = preset_file
    c = window.controller
    before = c.session.setup
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))

    def slow_check(scene, cancelled, build_run=None):
        for _ in range(1000):            # a check that would take 10 s: only Cancel ends it early
            if cancelled():
                from explorer.core.scene import SceneCancelled
                raise SceneCancelled()
            threading.Event().wait(0.01)

    monkeypatch.setattr(prepare, "check_computable", slow_check)
    dialogs = []

    def press_cancel():
        found = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        dialogs.extend(found)
        for d in found:
            d.findChild(QPushButton).click()

    QTimer.singleShot(600, press_cancel)     # the progress dialog shows after 250 ms
    assert not window.scenes.open_path(path)
    assert dialogs, "no progress dialog was shown while the check ran"
    assert c.session.setup == before
    assert "cancelled" in window.statusBar().currentMessage()
    assert shown == []                      # cancelling is not an error
    assert window.scenes.opening is None    # and the next Open works
    monkeypatch.undo()
    assert window.scenes.open_path(path)


def test_a_second_open_while_one_is_running_is_refused_with_a_message(qtbot, window, preset_file):
    path, _ = preset_file
    window.scenes.opening = "other.json"
    assert not window.scenes.open_path(path)
    assert "Still opening other.json" in window.statusBar().currentMessage()


def test_esc_on_the_progress_dialog_cancels_too(qtbot, window, preset_file, monkeypatch):
    from PySide6.QtCore import Qt
    path, _ = preset_file
    before = window.controller.session.setup

    def slow_check(scene, cancelled, build_run=None):
        for _ in range(1000):
            if cancelled():
                from explorer.core.scene import SceneCancelled
                raise SceneCancelled()
            threading.Event().wait(0.01)

    monkeypatch.setattr(prepare, "check_computable", slow_check)

    def press_esc():
        for d in window.findChildren(QProgressDialog):
            if d.isVisible():
                qtbot.keyClick(d, Qt.Key_Escape)

    QTimer.singleShot(600, press_esc)
    assert not window.scenes.open_path(path)
    assert window.controller.session.setup == before
