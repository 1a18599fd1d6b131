"""The last edit survives kill -9 at any moment after it: each edit (and the selected run) is written
through to the autosave before the window does anything else, not after the autosave's delay."""
import json
import os
import signal
import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from explorer.ui.app import name_application, share_gl_contexts
share_gl_contexts()
app = QApplication(sys.argv[:1])
name_application(app)
from explorer.ui.window.main_window import MainWindow
window = MainWindow()
window.show()
c = window.controller

def edit():
    restored = window.scenes.restore_autosave()
    print("restored", restored, c.text, c.selected, flush=True)
    if not restored:
        c.set_expression("x^2 + 5*y^2")
        c.add_run("gd", {"lr": 1e-3})
        c.add_run("newton")
    for text in sys.argv[1:]:
        c.set_expression(text)
    c.select(len(c.runs) - 1 - c.selected)   # the other run
    print("edited", c.selected, flush=True)   # killed on reading this line: nothing more happens in the window
QTimer.singleShot(0, edit)
app.exec()
"""


def _edit_and_kill(env, *texts) -> str:
    """Run the window, make the edits, kill -9 it as soon as it says they are made; what it printed first."""
    child = subprocess.Popen([sys.executable, "-c", PROGRAM, *texts], stdout=subprocess.PIPE, text=True, env=env)
    try:
        first = child.stdout.readline()
        edited = child.stdout.readline()
        assert edited.startswith("edited"), edited
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    return first + edited


def test_the_last_edit_and_the_selected_run_survive_kill_9(tmp_path):
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=os.getcwd())
    autosave = tmp_path / "data" / "landscape-explorer" / "landscape-explorer" / "autosave.json"
    printed = _edit_and_kill(env)
    assert printed.startswith("restored False  0\n")      # no autosave yet: a fresh start
    selected = int(printed.split()[-1])
    saved = json.loads(autosave.read_text())
    assert saved["expression"] == "x^2 + 5*y^2" and saved.get("selected_run", 0) == selected
    assert [r["method"] for r in saved["runs"]] == ["gd", "newton"]

    # started again: the killed window's last state comes back, and the next edit is kept too
    printed = _edit_and_kill(env, "x^2 + 6*y^2")
    assert printed == f"restored True x^2 + 5*y^2 {selected}\nedited {1 - selected}\n"
    saved = json.loads(autosave.read_text())
    assert saved["expression"] == "x^2 + 6*y^2" and saved.get("selected_run", 0) == 1 - selected
    assert not [n for n in os.listdir(autosave.parent) if ".tmp" in n]
