"""The compute service computes what will be shown: the newest request only, stale work stopped early,
a coarse grid first while a slider is dragged. These tests count grids and row blocks, not time."""
import threading

import numpy as np
import pytest

from explorer.core.calculus import SurfaceCalculus
from explorer.session.kinds import SurfaceKind
from explorer.ui.control.compute_service import ComputeService
from explorer.ui.control.controller import Controller


@pytest.fixture
def counted(monkeypatch):
    """Every grid computed to the end, by its size."""
    done = []
    real = SurfaceKind.grid_picture

    def grid_picture(kind, problem, params, xs, ys, stop=None):
        result = real(kind, problem, params, xs, ys, stop)
        if result is not None:
            done.append((len(xs), dict(params)))
        return result

    monkeypatch.setattr(SurfaceKind, "grid_picture", grid_picture)
    return done


def test_a_storm_of_twenty_slider_values_computes_at_most_two_full_grids(qtbot, counted):
    c = Controller()
    assert c.set_expression("a*x^2 + y^2")
    c.set_resolution(300)
    assert c.wait_for_surface()
    counted.clear()
    for k in range(20):                       # a drag: twenty values as fast as the hand moves
        c.set_parameter("a", 1 + k / 10)
    assert c.wait_for_surface(30000)
    full = [params for n, params in counted if n == 300]
    assert 1 <= len(full) <= 2, counted
    assert full[-1]["a"] == pytest.approx(2.9)          # the last value is the one on show
    np.testing.assert_allclose(c.cmap.z, 2.9 * c.cmap.x[:, None] ** 2 + c.cmap.y[None, :] ** 2)
    c.shutdown()


def test_a_drag_shows_a_coarse_grid_first(qtbot, counted):
    c = Controller()
    assert c.set_expression("a*x^2 + y^2")
    c.set_resolution(200)
    assert c.wait_for_surface()
    sizes = []
    c.surfaceChanged.connect(lambda cmap: sizes.append(cmap.x.size))
    c.set_parameter("a", 2.0)
    c.set_parameter("a", 3.0)                 # at once after the last: part of a drag
    assert c.wait_for_surface()
    assert sizes[-1] == 200 and 50 in sizes   # N/4 first, then the full grid
    c.shutdown()


def test_a_stale_map_stops_at_its_next_row_block(qtbot, monkeypatch):
    blocks = {"stale": 0}
    started, go_on = threading.Event(), threading.Event()
    real = SurfaceCalculus._block

    def block(self, X, Y):
        if self.expression.text == "x^2 + y^2 + 1":    # the request that will become stale
            blocks["stale"] += 1
            started.set()
            go_on.wait(5)
        return real(self, X, Y)

    monkeypatch.setattr(SurfaceCalculus, "_block", block)
    service = ComputeService()
    results = []
    service.done.connect(lambda generation, result, final: results.append((generation, result)))
    xs = np.linspace(-1, 1, 400)
    stale = SurfaceCalculus("x^2 + y^2 + 1")
    service.submit(1, [lambda stop: stale.curvature_map(xs, xs, block_points=4000, stop=stop)])  # 40 blocks
    assert started.wait(5)
    fresh = SurfaceCalculus("x^2 + y^2")
    service.submit(2, [lambda stop: fresh.curvature_map(xs, xs, stop=stop)])
    go_on.set()
    qtbot.waitUntil(lambda: any(g == 2 for g, _ in results), timeout=10000)
    assert blocks["stale"] == 1                               # of 40: it stopped at the next block
    assert [g for g, _ in results] == [2] and service.stopped_stages == 1
    service.close()
