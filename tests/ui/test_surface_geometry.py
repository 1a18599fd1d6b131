"""The 3D view's plane geometry, ticks and framing: pure numpy, checked by hand."""
import numpy as np
import pytest

from explorer.ui.views.surface.gl_framing import box_corners, frame_points, view_rotation
from explorer.core.ticks import format_tick, height_ticks, nice_ticks
from explorer.ui.views.drawing.palette import HeightScale
from explorer.ui.views.surface.path_geometry import as_strip, clip_path, mesh_height, subdivide


def test_a_path_is_clipped_where_it_leaves_the_box():
    path = [(1.0, 1.0), (-1.2, -1.2), (1.44, 1.44), (-1.728, -1.728), (2.0736, 2.0736), (-2.48832, -2.48832)]
    clipped = clip_path(path, (-2, 2), (-2, 2))
    assert clipped.first_exit == 4 and clipped.start_inside and not clipped.end_inside
    step, where = clipped.exits[0]
    np.testing.assert_allclose(where, (2.0, 2.0))                         # on the edge, on the line
    assert np.all(np.abs(clipped.segments) <= 2 + 1e-12)
    assert clipped.steps.tolist() == [1, 2, 3, 4]                          # step 5 is outside end to end
    np.testing.assert_allclose(clipped.segments[-1], [(-1.728, -1.728), (2.0, 2.0)])


def test_a_path_that_comes_back_is_drawn_in_two_pieces():
    clipped = clip_path([(0, 0), (3, 0), (0, 1)], (-1, 1), (-1, 1))
    assert clipped.first_exit == 1 and clipped.returns == [2] and clipped.end_inside
    np.testing.assert_allclose(clipped.segments, [[(0, 0), (1, 0)], [(1, 2 / 3), (0, 1)]])
    points, alpha = as_strip(clipped.segments)
    np.testing.assert_allclose(points, [(0, 0), (1, 0), (1, 0), (1, 2 / 3), (1, 2 / 3), (0, 1)])
    assert alpha.tolist() == [1, 1, 0, 0, 1, 1]                           # the bridge is invisible


def test_a_start_outside_and_a_still_point():
    assert not clip_path([(5, 5), (6, 6)], (-1, 1), (-1, 1)).start_inside
    still = clip_path([(0.5, 0.5), (0.5, 0.5)], (-1, 1), (-1, 1))
    assert len(still.segments) == 1 and still.first_exit is None


def test_subdivided_pieces_cover_the_segment_in_order():
    pieces = subdivide(np.array([[(0.0, 0.0), (1.0, 0.0)]]), cell=0.25)
    assert len(pieces) == 4
    np.testing.assert_allclose(pieces[:, 0, 0], [0, 0.25, 0.5, 0.75])
    np.testing.assert_allclose(pieces[-1, 1], (1, 0))


def test_mesh_height_is_exact_on_a_plane_and_on_the_grid():
    xs, ys = np.linspace(-2, 2, 9), np.linspace(-1, 3, 5)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    plane = 2 * X - 3 * Y + 1
    points = np.random.default_rng(0).uniform((-2, -1), (2, 3), size=(50, 2))
    np.testing.assert_allclose(mesh_height(points, xs, ys, plane), 2 * points[:, 0] - 3 * points[:, 1] + 1)
    bumpy = X ** 2 * Y
    np.testing.assert_allclose(mesh_height(np.stack([X, Y], -1), xs, ys, bumpy), bumpy, atol=1e-12)


def test_round_ticks():
    assert nice_ticks(-2, 2)[0].tolist() == [-2, -1, 0, 1, 2]
    assert nice_ticks(-1.2, 1.2)[0].tolist() == [-1, -0.5, 0, 0.5, 1]
    assert [format_tick(v, 0.5) for v in (-1, -0.5, 0, 0.5)] == ["−1.0", "−0.5", "0", "0.5"]
    assert format_tick(400000, 200000) == "4·10⁵"                           # as the caption writes numbers
    assert format_tick(-5e10, 5e10) == "−5·10¹⁰" and format_tick(-1e11, 5e10) == "−10¹¹"
    assert format_tick(2e-4, 1e-4) == "2·10⁻⁴"
    bowl = HeightScale(np.array([0.0, 44.0]), log=False)
    assert height_ticks(0, 44, bowl) == [0, 10, 20, 30, 40]
    rosenbrock = HeightScale(np.array([0.0, 2509.0]), log=True)
    assert height_ticks(0, 2509, rosenbrock) == [0, 10, 100, 1000]           # decades, evenly spaced when drawn


def pyqtgraph_view_rotation(elevation, azimuth):
    """What GLViewWidget.viewMatrix does (euler mode), built with Qt's own matrices."""
    from PySide6.QtGui import QMatrix4x4
    tr = QMatrix4x4()
    tr.rotate(elevation - 90, 1, 0, 0)
    tr.rotate(azimuth + 90, 0, 0, -1)
    return np.array(tr.data()).reshape(4, 4).T[:3, :3]


@pytest.mark.parametrize("elevation, azimuth", [(38, -60), (10, 45), (80, 170), (-20, -120)])
def test_view_rotation_is_pyqtgraphs(elevation, azimuth):
    np.testing.assert_allclose(view_rotation(elevation, azimuth), pyqtgraph_view_rotation(elevation, azimuth),
                               atol=1e-6)


@pytest.mark.parametrize("size", [(502, 665), (960, 540), (300, 900)])
def test_framing_touches_the_margins_on_the_binding_axis(size):
    w, h = size
    corners = box_corners((-5, -3, 0), (5, 3, 6))
    margins = (40, 30, 20, 50)
    center, distance = frame_points(corners, 38, -60, 40, w, h, margins)
    q = (corners - center) @ view_rotation(38, -60).T
    depth = distance - q[:, 2]
    tan = np.tan(np.radians(20))
    px = (q[:, 0] / (depth * tan) + 1) / 2 * w
    py = (1 - q[:, 1] / (depth * tan * h / w)) / 2 * h
    slack_x = np.array([px.min() - 40, w - px.max() - 30])     # free pixels inside the margins
    slack_y = np.array([py.min() - 20, h - py.max() - 50])
    assert np.all(slack_x > -1e-6) and np.all(slack_y > -1e-6)                   # inside
    binding, other = (slack_x, slack_y) if np.all(abs(slack_x) < 1e-6) else (slack_y, slack_x)
    assert np.all(abs(binding) < 1e-6)                                          # as large as it can be
    assert abs(other[0] - other[1]) < 1e-6                                      # and centred the other way


def test_a_tall_pane_looks_down_more_steeply_and_is_filled_more():
    from explorer.ui.views.surface.gl_framing import fitting_elevation, screen_extent
    corners = box_corners((-5, -5, 0), (5, 5, 6))
    candidates = np.arange(38, 68.1, 5)

    def covered(elevation, w, h):
        center, distance = frame_points(corners, elevation, -60, 40, w, h)
        width, height = screen_extent(corners, center, distance, elevation, -60, 40, w, h)
        assert max(width, height) == pytest.approx(1.0, abs=1e-6)    # framed: touches the binding sides
        return width * height

    tall = fitting_elevation(corners, candidates, -60, 40, 400, 600)
    assert tall > 38 and covered(tall, 400, 600) > 1.05 * covered(38, 400, 600)
    assert covered(tall, 400, 600) >= 0.98 * max(covered(e, 400, 600) for e in candidates)   # within its 2 % rule
    assert fitting_elevation(corners, candidates, -60, 40, 960, 540) == 38   # a wide pane keeps the usual view


def test_a_draped_path_grown_step_by_step_equals_the_whole_path_cut_and_draped():
    """DrapedPath takes in only new steps and answers Back with a prefix: the vertices, their opacity and
    the exits must be exactly what cutting and draping the whole shown path gives (random walks that
    leave and re-enter the box, grown by a few steps at a time, looked at again after going back)."""
    from explorer.ui.views.surface.path_geometry import DrapedPath
    rng = np.random.default_rng(0)
    domain = ((-1.0, 1.0), (-1.0, 1.0))
    for trial in range(200):
        n = int(rng.integers(1, 60))
        path = np.cumsum(rng.normal(0, 0.4, (n, 2)), axis=0)
        if trial % 3 == 0:
            path = np.clip(path, -0.9, 0.9)     # some stay inside: one joined strip
        draped = DrapedPath(None, domain, 0.05, lambda p: np.column_stack([p, p[:, 0] * p[:, 1]]))
        k = 0
        while k < n:
            k = min(n, k + int(rng.integers(1, 6)))
            for shown in (k, int(rng.integers(1, k + 1))):
                pos, alpha, clipped = draped.show(path[:shown])
                whole = clip_path(path[:shown], *domain)
                points, opacity = as_strip(subdivide(whole.segments, 0.05))
                np.testing.assert_allclose(pos[:, :2], points, atol=1e-6)      # float32 vertices
                np.testing.assert_allclose(pos[:, 2], points[:, 0] * points[:, 1], atol=1e-6)
                np.testing.assert_array_equal(alpha, opacity)
                assert [s for s, _ in clipped.exits] == [s for s, _ in whole.exits]
                assert (clipped.returns, clipped.start_inside, clipped.end_inside) == (
                    whole.returns, whole.start_inside, whole.end_inside)


@pytest.mark.slow   # over a minute: every point of 60 random walks measured against the drawn line, as they grow
def test_a_thinned_path_stays_within_half_a_pixel_of_every_point_it_leaves_out():
    """ThinnedPath draws a long path at screen resolution: the first and last points always, and every point left
    out within the tolerance of the drawn polyline (random walks of many scales, grown and looked back at)."""
    from explorer.ui.views.drawing.path_thinning import ThinnedPath

    def distance(p, a, b):
        d = b - a
        t = 0.0 if not d @ d else float(np.clip((p - a) @ d / (d @ d), 0, 1))
        return float(np.linalg.norm(p - (a + t * d)))

    rng = np.random.default_rng(1)
    for trial in range(60):
        n = int(rng.integers(1, 200))
        path = np.cumsum(rng.normal(0, rng.choice([0.001, 0.05, 0.5]), (n, 2)), axis=0)
        thinned, k = ThinnedPath(None, 0.05), 0
        while k < n:
            k = min(n, k + int(rng.integers(1, 40)))
            for shown in (k, int(rng.integers(1, k + 1))):
                drawn = thinned.show(path[:shown])
                assert np.array_equal(drawn[0], path[0]) and np.array_equal(drawn[-1], path[shown - 1])
                for p in path[:shown]:
                    near = min((distance(p, drawn[j], drawn[j + 1]) for j in range(len(drawn) - 1)),
                               default=float(np.linalg.norm(p - drawn[0])))
                    assert near < 0.05 + 1e-12
    creeping = np.column_stack([np.linspace(0, 0.01, 10_000), np.zeros(10_000)])   # 10,000 steps, 0.2 px
    assert len(ThinnedPath(None, 0.05).show(creeping)) == 2
