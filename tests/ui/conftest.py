import gc

import pytest

from explorer.ui.app import share_gl_contexts

share_gl_contexts()  # before pytest-qt creates the QApplication, as the program does


@pytest.fixture
def window(qtbot):
    """The main window on Rosenbrock with two runs, torn down explicitly afterwards."""
    from explorer.ui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda _: None)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)  # shortcuts only reach an active window
    c = w.controller
    w.editor.edit.setText("(1 - x)^2 + 100*(y - x^2)^2")
    assert c.set_expression(w.editor.edit.text())
    c.add_run("gd", {"lr": 1e-3})
    c.add_run("newton")
    assert c.wait_for_surface()
    yield w
    w.close()
    w.deleteLater()
    qtbot.wait(10)
    gc.collect()
