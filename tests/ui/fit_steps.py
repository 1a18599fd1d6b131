"""Steps a person takes in the window that several tests share."""
from tests.ui.at_rest import settle


def to_fit_mode(qtbot, window):
    """Data fit: linear regression of the line dataset (50 rows), one gd run."""
    box = window.editor.kind_choice
    box.setCurrentIndex(1)
    box.activated.emit(1)
    assert window.controller.kind.name == "fit" and window.controller.wait_for_surface()
    settle(qtbot, window)
