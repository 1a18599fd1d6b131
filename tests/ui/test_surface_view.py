"""The 3D view as a lecturer sees it: framed, readable numbers, colours that survive the lighting,
paths that sit on the surface and stop at the domain's edge, a scene's camera kept exactly."""
import numpy as np
import pytest
from OpenGL import GL
from PySide6.QtGui import QImage

from explorer.core.scene import Camera
from explorer.ui.views.surface.gl_framing import box_corners
from explorer.ui.views.surface.gl_shading import AMBIENT
from explorer.ui.views.drawing.palette import CLASS_COLOURS
from explorer.ui.views.surface.surface_view import FLOOR, SurfaceView

from tests.ui.at_rest import settle

BOWL = "x^2 + 10*y^2"
CONVEX = np.array(CLASS_COLOURS[1][1], float)


def show(window, text, x_range=(-2, 2), y_range=(-2, 2)):
    c = window.controller
    window.editor.edit.setText(text)
    window.editor.apply()
    c.set_domain(x_range, y_range)
    assert c.wait_for_surface()


def pixels(view) -> np.ndarray:
    image = view.grabFramebuffer().convertToFormat(QImage.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(float)


def shades_of(rgb: np.ndarray, colour: np.ndarray, tolerance=12.0):
    """Each pixel's best scale k of `colour` (pixel ≈ k·colour), and whether it is that close."""
    k = rgb @ colour / (colour @ colour)
    return k, np.linalg.norm(rgb - k[..., None] * colour, axis=-1) <= tolerance


def no_runs(window):
    c = window.controller
    while c.runs:
        c.remove_run(0)


def test_the_bowl_keeps_its_class_colour_on_every_face(qtbot, window):
    """Lighting never takes a face below AMBIENT of its colour: no near-black surface pixels."""
    show(window, BOWL)
    no_runs(window)
    k, blue = shades_of(pixels(window.surface), CONVEX)
    surface = blue & (k > 0.15)
    assert surface.mean() > 0.12
    too_dark = surface & (k < AMBIENT - 0.03)
    assert too_dark.sum() / surface.sum() < 0.005      # antialiased edge pixels at most
    assert np.all(k[surface] < 1.03)


def test_the_surface_is_framed_in_its_pane(qtbot, window):
    """The default camera puts the surface across the free width (or height) of any pane shape."""
    show(window, BOWL)
    no_runs(window)
    view = window.surface
    for size in [None, (960, 540)]:
        if size is not None:   # a landscape pane, as an export or presentation mode gives
            view = SurfaceView(window.controller)
            qtbot.addWidget(view)
            view.resize(*size)
            view.show()
            qtbot.waitExposed(view)
            view.draw_surface(window.controller.cmap)
        hx, hy, floor, top = view._box
        corners = view.project(box_corners((-hx, -hy, floor), (hx, hy, top)))
        assert np.all(corners >= 0) and np.all(corners <= (view.width(), view.height()))   # all of it
        width, height = np.ptp(corners, axis=0) / (view.width(), view.height())
        assert max(width, height) > 0.75, (width, height)                               # and large
        k, blue = shades_of(pixels(view), CONVEX)
        # the surface fills most of the box's outline on screen (the pane's shape sets the outline)
        assert (blue & (k > AMBIENT - 0.05)).mean() / (width * height) > 0.3
        if size is not None:
            view.teardown()


def test_tick_numbers_are_round_values_in_the_functions_units(qtbot, window):
    show(window, BOWL, (-2, 2), (-1, 3))
    labels = window.surface.tick_labels()
    assert [v for v, _ in labels["x"]] == [-2, -1, 0, 1, 2]
    assert [v for v, _ in labels["y"]] == [-1, 0, 1, 2, 3]
    assert [t for _, t in labels["y"]] == ["−1", "0", "1", "2", "3"]
    assert [v for v, _ in labels["f"]] == [0, 20, 40, 60, 80]          # f from 0 to 94 on this domain
    window.controller.set_display(log_scale=True)
    assert [v for v, _ in window.surface.tick_labels()["f"]] == [0, 1, 10]


def test_tick_numbers_are_painted_next_to_their_ticks(qtbot, window):
    """The numbers are in the frame buffer (and so in exports), near where their ticks project."""
    show(window, BOWL)
    view = window.surface
    with_numbers = pixels(view)
    paint = view.axes.paint
    view.axes.paint = lambda *args: None
    view.axes.generation += 1
    try:
        without = pixels(view)
    finally:
        view.axes.paint = paint
        view.axes.generation += 1
    changed = np.abs(with_numbers - without).sum(axis=-1) > 60
    assert changed.sum() > 200
    hx, hy, floor, top = view._box
    em = 3 * view.axes.font(view.font(), view.width(), view.height()).pixelSize()
    for _, d, _ in view.axes.x_ticks[1:]:                      # the first may give way to the f axis
        (px, py), = view.project(np.array([[d, -hy, floor]]))
        x0, y0 = int(max(px - em, 0)), int(max(py - em, 0))
        assert changed[y0:int(py + em), x0:int(px + em)].any(), d
    grabbed = window.grab().toImage()                          # a parent's grab keeps them too
    assert not grabbed.isNull()


def test_a_diverging_path_stops_at_the_edge_with_a_marker_and_a_note(qtbot, window):
    c = window.controller
    show(window, "x^2 + y^2")
    c.set_start(1, 1)
    assert c.set_run_settings(0, {"lr": 1.1})
    notes = []
    window.surface.notesChanged.connect(notes.append)
    for _ in range(10):
        c.step()
    assert c.wait_for_runs()
    assert window.surface.left_view_notes() == ["gd left the view at step 4"]
    assert notes[-1] == ["gd left the view at step 4"]
    hx, hy, floor, top = window.surface._box
    line, dot = window.surface.paths[0]
    pos = line.pos
    assert np.all(np.abs(pos[:, 0]) <= hx + 1e-6) and np.all(np.abs(pos[:, 1]) <= hy + 1e-6)
    assert np.all((pos[:, 2] >= FLOOR) & (pos[:, 2] <= top + 0.1))
    assert np.isclose(np.abs(pos[-1, :2]), (hx, hy)).all()      # it ends at the corner it left through
    assert not dot.visible()                                     # the current point is out of view
    (where, _, step), = window.surface.marks.exits
    assert step == 4 and np.isclose(np.abs(where[:2]), (hx, hy)).all()
    window.surface.grabFramebuffer()
    assert window.surface.marks.seen == (True,)                # the near corner: drawn solid, not faint
    for _ in range(7):
        c.back()
    assert window.surface.left_view_notes() == [] and dot.visible()


def test_paths_and_overlays_are_drawn_with_depth_on_the_surface(qtbot, window):
    c = window.controller
    for _ in range(5):
        c.step()
    view = window.surface
    items = [line for line, _ in view.paths] + [dot for _, dot in view.paths] + [view.gradient, *view.eigen]
    for item in items:
        assert item._GLGraphicsItem__glOpts.get(GL.GL_DEPTH_TEST) is True, item   # pyqtgraph keeps them private
    line = view.paths[0][0]
    xs, ys, heights = view._mesh
    xc, yc, s = view._map
    from explorer.ui.views.surface.path_geometry import mesh_height
    ground = mesh_height(np.column_stack([line.pos[:, 0] / s + xc, line.pos[:, 1] / s + yc]), xs, ys, heights)
    assert np.all(line.pos[:, 2] > ground)                       # lifted, never inside the surface


def test_a_scenes_camera_comes_back_exactly(qtbot, window):
    c = window.controller
    view = window.surface
    saved = Camera(17.3, 22.7, -33.1, (0.1, -0.3, 1.7))   # not float32 numbers
    view.set_camera(saved)
    assert view.camera() == saved
    window.resize(1300, 800)                                   # a resize does not move a scene's camera
    settle(qtbot, window)
    assert view.camera() == saved
    c.set_display(colouring="height")                          # nor does a new colouring of the same box
    assert view.camera() == saved
    c.set_domain((-4, 4), (-1, 1))                             # a new box does: it is framed
    assert c.wait_for_surface()
    moved = view.camera()
    assert moved != saved and (moved.elevation, moved.azimuth) == (22.7, -33.1)


def test_the_camera_follows_the_box_until_the_person_zooms(qtbot, window):
    c = window.controller
    view = window.surface
    view.reset_camera()
    before = view.camera()
    c.set_display(vertical_scale=2.0)
    after = view.camera()
    assert after.distance > before.distance                    # a taller box: framed from further away
    view.setCameraPosition(distance=after.distance * 0.5)        # the person zooms in
    zoomed = view.camera()
    c.set_display(vertical_scale=1.0)
    assert view.camera() == zoomed
    view.frame_surface()
    assert view.camera().distance == pytest.approx(before.distance, rel=1e-6)


def test_the_gradient_overlay_points_downhill_as_on_the_map(qtbot, window):
    c = window.controller
    window.editor.edit.setText("x^2 + y^2")
    window.editor.apply()
    c.set_start(1.0, 1.0)
    assert c.wait_for_surface()
    c.set_display(gradient=True)
    settle(qtbot, window)
    line = window.surface.gradient
    assert line.visible()
    pos = np.asarray(line.pos)
    assert pos[-1, 2] < pos[0, 2]            # −∇f: the linear model falls along it


def test_no_left_the_view_note_flashes_while_the_new_domains_surface_is_computed(qtbot, window):
    """Widen the domain and move the start into the new part: until the new surface arrives, the old
    one is on show, but the run is not outside the view the person asked for."""
    c = window.controller
    show(window, "x^2 + y^2")
    notes = []
    window.surface.notesChanged.connect(notes.append)
    c.set_domain((-10, 10), (-10, 10))
    c.set_start(5, 5)                       # outside the surface still drawn, inside the new domain
    assert window.surface.left_view_notes() == []
    assert c.wait_for_surface()
    settle(qtbot, window)
    assert window.surface.left_view_notes() == [] and all(n == [] for n in notes)
