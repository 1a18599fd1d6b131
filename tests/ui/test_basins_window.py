"""Run → Basins of attraction on the map: computed off the window's thread, cancellable, cleared when stale."""
import threading

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

import explorer.ui.views.map.basins_overlay as overlay_module
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.core.colours import BASIN_COLOURS
from explorer.ui.views.map.basins_overlay import key_lines


@pytest.fixture
def himmelblau(window):
    window.scenes.show_scene(load_scene(find_preset("himmelblau")))
    assert window.controller.wait_for_surface()
    window.controller.select(0)
    return window


def pixel(view, x, y) -> str:
    """The commonest colour of the 9×9 pixels around where (x, y) is drawn (a level line may cross it)."""
    from collections import Counter
    from PySide6.QtCore import QPointF
    image = view.grab().toImage()
    scene = view.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    p = view.mapFromScene(scene).toPointF() + QPointF(view.viewport().pos())
    around = Counter(image.pixelColor(int(p.x()) + i, int(p.y()) + j).name() for i in range(-4, 5)
                     for j in range(-4, 5))
    return around.most_common(1)[0][0]


def test_gd_on_himmelblau_has_four_basins_each_painted_in_its_colour(qtbot, himmelblau):
    w = himmelblau
    w.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: w.basins.shown, timeout=10000)
    bmap = w.basins.bmap
    assert bmap.kinds == ("minimum",) * 4 and bmap.method == "gd"
    assert "4 minima" in w.statusBar().currentMessage()
    for k, end in enumerate(bmap.ends):
        near = end + np.array([0.35, 0.25])               # a start next to the minimum, off its marker
        i, j = np.abs(bmap.x - near[0]).argmin(), np.abs(bmap.y - near[1]).argmin()
        assert bmap.label[i, j] == k                       # it rolls into that minimum
        assert pixel(w.contour, *near).lower() == BASIN_COLOURS[k].lower()
    assert w.basins.key.isVisible() and "where gd ends" in w.basins.key.item.toPlainText()


def test_newton_also_finds_the_saddles_and_the_maximum(qtbot, himmelblau):
    c = himmelblau.controller
    c.add_run("newton")
    c.select(len(c.runs) - 1)
    himmelblau.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: himmelblau.basins.shown, timeout=10000)
    kinds = himmelblau.basins.bmap.kinds
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4 and kinds.count("maximum") == 1
    colours = [colour for colour, _ in key_lines(himmelblau.basins.bmap)][:9]
    assert len(set(colours)) == 9                     # nine ends, nine colours: none means two places
    key, plot = himmelblau.basins.key, himmelblau.contour.getPlotItem()
    assert key.isVisible() and key.item.toPlainText().count("\n") >= 9
    # the key sits beside the map, in the plot's layout: never over the data area, whole inside the view
    assert not key.sceneBoundingRect().intersects(plot.vb.sceneBoundingRect())
    assert plot.sceneBoundingRect().contains(key.sceneBoundingRect())
    himmelblau.basins_action.setChecked(False)
    qtbot.waitUntil(lambda: not himmelblau.basins.shown, timeout=5000)
    assert not key.isVisible() and key not in [plot.layout.itemAt(i) for i in range(plot.layout.count())]


def test_the_basins_follow_a_change_of_settings_and_undo_turns_them_off(qtbot, himmelblau):
    w, c = himmelblau, himmelblau.controller
    w.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: w.basins.shown, timeout=10000)
    assert c.overlays["basins"]                       # a display option: saved with the scene
    c.set_run_settings(0, {"lr": 0.02})
    qtbot.waitUntil(lambda: w.basins.shown and w.basins.bmap.settings["lr"] == 0.02, timeout=10000)
    assert w.basins_action.isChecked()
    c.undo()                                          # the settings
    c.undo()                                          # the basins
    qtbot.waitUntil(lambda: not w.basins_action.isChecked(), timeout=5000)
    assert not c.overlays["basins"] and not w.basins.shown and not w.basins_action.isChecked()


def test_a_method_without_a_vectorised_form_is_refused_with_a_message(qtbot, himmelblau):
    c = himmelblau.controller
    c.add_run("bfgs")
    c.select(len(c.runs) - 1)
    himmelblau.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: "bfgs has no vectorised form" in himmelblau.statusBar().currentMessage(), timeout=5000)
    qtbot.waitUntil(lambda: not himmelblau.basins_action.isChecked(), timeout=5000)   # the option goes off next turn
    assert not himmelblau.basins_action.isChecked() and not himmelblau.basins.shown
    assert not himmelblau.controller.overlays["basins"]


def test_cancel_stops_the_computation_and_shows_nothing(qtbot, himmelblau, monkeypatch):
    w = himmelblau
    seen_thread = []

    def slow(*args, progress=None, **kwargs):
        seen_thread.append(threading.current_thread())
        for k in range(1000):
            if progress(k, 1000) is False:
                raise overlay_module.Cancelled()
            threading.Event().wait(0.01)

    monkeypatch.setattr(overlay_module, "basins", slow)

    def press_cancel():
        for d in w.findChildren(QProgressDialog):
            if d.isVisible():
                d.findChild(QPushButton).click()

    QTimer.singleShot(600, press_cancel)
    w.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: "cancelled" in w.statusBar().currentMessage(), timeout=10000)
    qtbot.waitUntil(lambda: not w.basins_action.isChecked(), timeout=5000)   # the option goes off next turn
    assert seen_thread and seen_thread[0] is not threading.main_thread()
    assert not w.basins.shown and not w.basins_action.isChecked() and not w.controller.overlays["basins"]


def test_a_scene_saved_with_basins_opens_with_them(qtbot, himmelblau, tmp_path):
    from explorer.core.scene import load_scene as read
    w, c = himmelblau, himmelblau.controller
    w.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: w.basins.shown, timeout=10000)
    path = tmp_path / "basins.json"
    assert w.scenes.save_path(path)
    assert read(path).overlays["basins"]
    c.set_display(basins=False)
    assert not w.basins.shown and not w.basins_action.isChecked()
    assert w.scenes.open_path(path)
    qtbot.waitUntil(lambda: w.basins.shown, timeout=10000)
    assert w.basins_action.isChecked() and w.basins.bmap.kinds == ("minimum",) * 4
    c.undo()                                          # back to before the open: no basins
    assert not w.basins.shown
