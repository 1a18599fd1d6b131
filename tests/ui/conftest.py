import gc

import pytest

from explorer.ui.app import share_gl_contexts

share_gl_contexts()  # before pytest-qt creates the QApplication, as the program does


@pytest.fixture(autouse=True)
def qt_garbage_collected_on_this_thread():
    """Cyclic garbage that holds Qt objects (a test's closed widget and the lambdas its signals keep) is collected
    after each test, here on the window's thread. Left to the collector, it may be freed inside a later test by
    a worker thread's allocation (the compute service, a sweep), and a QTimer in it then warns "Timers cannot be
    stopped from another thread", failing that other test."""
    yield
    gc.collect()


@pytest.fixture
def window(qtbot):
    """The main window on Rosenbrock with two runs, torn down explicitly afterwards."""
    from explorer.ui.window.main_window import MainWindow
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
    with qtbot.waitSignal(w.destroyed):
        w.deleteLater()
    gc.collect()


@pytest.fixture
def touched(monkeypatch):
    """How many of a run's states Python code touches (by index, slice or iteration): a frame's work counted."""
    from explorer.core import history as history_module
    count = [0]
    base = list

    def getitem(self, key):
        got = base.__getitem__(self, key)
        count[0] += len(got) if isinstance(key, slice) else 1
        return got

    def iterate(self):
        count[0] += len(self)
        return base.__iter__(self)

    monkeypatch.setattr(history_module.History, "__getitem__", getitem)
    monkeypatch.setattr(history_module.History, "__iter__", iterate)
    return count
