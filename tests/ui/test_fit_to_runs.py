"""View → Fit the domain to the runs: a path that left the view is brought back into it, undoably."""
from PySide6.QtCore import Qt

from tests.ui.at_rest import settle


def overshooting_gd(window, *other_lrs):
    """gd at lr 1.05 on x² + y² from (1, 1) in [−2, 2]², overshooting a little further out each step (and gd
    at each of `other_lrs` beside it), 8 steps on; the controller."""
    c = window.controller
    assert c.set_expression("x^2 + y^2")
    c.set_domain((-2, 2), (-2, 2))
    while c.runs:
        c.remove_run(0)
    for lr in (1.05, *other_lrs):
        c.add_run("gd", {"lr": lr})
    c.set_start(1, 1)
    for _ in range(8):
        c.step()
    return c


def test_fit_to_runs_brings_a_path_that_left_the_view_back(qtbot, window):
    c = overshooting_gd(window)
    assert c.wait_for_surface()
    assert window.surface.left_view_notes() == ["gd left the view at step 8"]   # |x| = 1.1ᵏ passes 2 at k = 8
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier | Qt.ShiftModifier)
    (x0, x1), (y0, y1) = c.x_range, c.y_range
    path = c.runs[0].path[:c.runs[0].position + 1]
    assert (path[:, 0] > x0).all() and (path[:, 0] < x1).all() and (path[:, 1] > y0).all() and (path[:, 1] < y1).all()
    assert "Domain widened" in window.statusBar().currentMessage()
    assert c.wait_for_surface()
    settle(qtbot, window)
    assert window.surface.left_view_notes() == []
    c.undo()
    assert (tuple(c.x_range), tuple(c.y_range)) == ((-2, 2), (-2, 2))


def test_fit_to_runs_says_so_when_nothing_needs_to_change(qtbot, window):
    window.controller.fit_to_runs()
    assert "inside the domain already" in window.statusBar().currentMessage()


def test_a_run_has_one_name_in_the_note_and_the_caption(qtbot, window):
    # two gd runs: the note that one left the view names it as the caption and the legend do ("gd, lr 1.05")
    from explorer.ui.lecture.labels import caption_cells
    c = overshooting_gd(window, 0.1)
    assert c.wait_for_surface()
    assert window.surface.left_view_notes() == ["gd, lr 1.05 left the view at step 8"]
    assert caption_cells(c)[0][0].count("gd, lr 1.05 · step 8") == 1
