"""A network fit opened as a person opens one (Fit → New model fit), for the tests of the model pane's views."""
from PySide6.QtGui import QAction

from tests.ui.at_rest import settle


def action(window, text):
    return next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == text)


def open_model_fit(qtbot, window, view: str | None = None, step: int | None = None):
    """New model fit from the Fit menu, its map and runs computed; then the timeline at `step` and the model pane's
    tab `view` when given."""
    c = window.controller
    action(window, "New model fit").trigger()
    assert c.model.problem is not None
    assert c.wait_for_surface() and c.wait_for_runs()
    if step is not None:
        c.jump(step)
    if view is not None:
        assert c.model.show_view(view)
    settle(qtbot, window)
    return window
