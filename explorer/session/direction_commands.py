"""The session's plane of directions for a network fit's map: L(θ* + a·d₁ + b·d₂) instead of two parameters.

A mixin of `Session` (explorer.session.model). `FitSpec.directions` (core.directions.DirectionSpec; None:
the map shows two parameters, FitSpec.axes) chooses the plane; `set_directions` is one undoable command,
and the map's window becomes ±span on both axes. The plane (θ*, d₁, d₂) is made only when what it depends
on changes (`direction_plane`): the problem, the spec, and θ* (the selected run's point on show follows
the timeline, as the held values of a two-parameter map do; a run's end or the initial θ do not). A run's
end is its last state once computed to the end (its position on show is kept).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from explorer.core.calculus import PointAnalysis
from explorer.core.directions import (AXIS_NAMES, DirectionError, DirectionSliceCalculus, DirectionSpec,
                                      check_spec, plane_centre, plane_directions)
from explorer.core.fit_map import block_analysis
from explorer.core.fit_scene import initial_theta
from explorer.session.errors import FitCommandError, SessionError
from explorer.session.fit_commands import AXIS_RANGE

__all__ = ["DirectionCommands", "AXIS_NAMES", "ended_path"]


def ended_path(run) -> np.ndarray:
    """The run's path to its end, computed if need be; the state on show stays where it was."""
    shown = run.position
    run.run_to_end()
    run.position = shown
    return run.states.points()   # a view, not a copy: asked at every repaint


class DirectionCommands:
    # ---------------------------------------------------------------- reading
    @property
    def directions(self) -> DirectionSpec | None:
        """The plane's spec on show (None: two parameters on the axes, or not a network fit)."""
        fit = self.setup.fit
        return None if fit is None or fit.network is None else fit.directions

    def direction_plane(self) -> DirectionSliceCalculus | None:
        """The plane's slice (θ*, d₁, d₂, projections), made again only when its inputs changed; None without
        directions. A scene's plane that cannot be made (its runs deleted, say) falls back to the axes' plane,
        and `plane_text` says why."""
        try:
            return self._plane_for(self.directions)
        except DirectionError as err:   # a scene's plane that the runs no longer allow (its runs deleted, say)
            self._plane_failure = str(err)
            return self._plane_for(DirectionSpec("params", axes=self.setup.fit.axes))

    def _plane_for(self, spec: DirectionSpec | None) -> DirectionSliceCalculus | None:
        """The plane of `spec` (DirectionError if it cannot be made), kept while its inputs are the same."""
        problem = self.problem
        if spec is None or problem is None:
            return None
        shown, paths = self._plane_inputs(spec)
        key = (id(problem), spec, None if shown is None else shown.tobytes(),
               tuple(p[-1].tobytes() + str(len(p)).encode() for p in paths))
        kept = getattr(self, "_plane", None)
        if kept is not None and kept[0] == key and kept[1] is problem:
            return kept[2]
        centre = plane_centre(spec, shown, initial_theta(self.setup.fit), paths)
        plane = DirectionSliceCalculus(problem, centre, *plane_directions(problem, spec, centre, paths))
        self._plane, self._plane_failure = (key, problem, plane), ""
        return plane

    def _plane_inputs(self, spec: DirectionSpec):
        """(the point on show or None, the paths the spec reads: the selected run's, or every run's)."""
        run = self.selected_run()
        if spec.kind == "runs":
            return None, tuple(ended_path(r) for r in self.runs)
        if spec.kind == "pca" or spec.centre == "end":
            return None, (() if run is None else (ended_path(run),))
        if spec.centre == "init" and spec.kind != "params":
            return None, ()
        return np.array(run.current.point if run is not None else self.setup.default_start, dtype=float), ()

    def plane_analysis(self) -> PointAnalysis | None:
        """The slice's value, gradient and 2×2 Hessian [dᵢᵀ H dⱼ] at the selected run's point projected onto the
        plane, for the map's overlays (None without a run)."""
        run, plane = self.selected_run(), self.direction_plane()
        if run is None or plane is None:
            return None
        a, b = plane.project(np.asarray(run.current.point, dtype=float))
        key = (id(plane), float(a), float(b))
        kept = getattr(self, "_plane_block", None)
        if kept is not None and kept[0] == key:
            return kept[1]
        cmap = plane.curvature_map([a], [b])
        h = np.array([[cmap.hxx[0, 0], cmap.hxy[0, 0]], [cmap.hxy[0, 0], cmap.hyy[0, 0]]])
        full = PointAnalysis(np.array([a, b]), float(cmap.z[0, 0]), np.array([cmap.gx[0, 0], cmap.gy[0, 0]]), h,
                             np.zeros(2), np.eye(2), 0)
        analysis = block_analysis(full, 0, 1)
        self._plane_block = key, analysis
        return analysis

    def plane_text(self) -> str:
        """What the map's plane is, in a sentence ('' without directions)."""
        spec = self.directions
        if spec is None:
            return ""
        self.direction_plane()   # notes a plane that could not be made
        if getattr(self, "_plane_failure", ""):
            a, b = self.setup.fit.axes
            return f"The map's directions: {self._plane_failure}; it shows {a} and {b} instead"
        run = self.selected_run()
        if spec.kind == "runs":
            through = ""   # the label says where a = ±1 lies
        elif spec.kind == "pca" or spec.centre == "end":
            through = "through the run's end"
        elif spec.centre == "init":
            through = "through the initial θ"
        elif run is None:
            through = "through the start of new runs"
        else:
            through = f"through the run's point at step {run.position}"
        return f"The map: L(θ* + a·d₁ + b·d₂) along {spec.label()}{', ' + through if through else ''}; paths projected"

    # ---------------------------------------------------------------- commands
    def set_directions(self, spec: DirectionSpec | None) -> bool:
        """Show the network fit's loss over the plane of `spec` (None: over two parameters again), as one
        command; the map's window becomes ±span. False: nothing changed."""
        fit = self.setup.fit
        if fit is None or fit.network is None:
            raise SessionError("directions of the map belong to a model fit (Fit → New model fit)")
        if spec is not None:
            try:
                check_spec(spec)
            except DirectionError as err:
                raise FitCommandError("directions", str(err)) from None
            if spec.kind == "params":   # two parameters: the map of the axes
                spec = None
        if spec == fit.directions:
            return False
        setup = replace(self.setup, fit=replace(fit, directions=spec))
        if spec is not None:
            try:   # a plane that cannot be made is refused before it is applied
                self._plane_for(spec)
            except DirectionError as err:
                raise FitCommandError("directions", str(err)) from None
            setup = replace(setup, x_range=(-spec.span, spec.span), y_range=(-spec.span, spec.span))
        else:   # two parameters again: the window of a parameter newly put on an axis
            setup = replace(setup, x_range=AXIS_RANGE, y_range=AXIS_RANGE)
        self._apply("Choose the map's directions" if spec is not None else "Map two parameters", setup)
        return True

    def _plane_start(self, a: float, b: float) -> tuple[float, ...]:
        """A click on the plane's map (a, b) as a start: θ* + a·d₁ + b·d₂."""
        return tuple(float(v) for v in self.direction_plane().point(a, b))
