"""Problem kinds as objects: what a surface, a field and a fit each are to the rest of the program.

A session holds one problem; `Session.kind` is one of the objects below. Views and panels ask it (its
value name, its axes, the methods it offers, its grid picture, what the inspector reads at a point)
instead of branching on a flag. Qt-free; every number comes from the core.

Adding a kind means adding one object here (and its window parts, explorer.ui.kinds.parts).
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from explorer.core.calculus import SurfaceCalculus
from explorer.core.directions import AXIS_NAMES
from explorer.core.field_picture import HEIGHTS, compute_field_picture
from explorer.core.field_scene import FIELD, FIELD_COLOURINGS, FIELD_METHOD, SURFACE
from explorer.core.fit_scene import FIT
from explorer.core.methods import LEAST_SQUARES, METHODS
from explorer.core.scene import COLOURINGS
from explorer.core.trajectory import Run
from explorer.session.model_reading import method_refusal

__all__ = ["ProblemKind", "SurfaceKind", "FieldKind", "FitKind", "KINDS", "kind_named", "is_optimizer_run"]


def is_optimizer_run(run) -> bool:
    """Is `run` an optimizer's walk on a function (a surface's or a fit's), not Newton–Raphson on a field?"""
    return isinstance(run, Run)


class ProblemKind(Protocol):
    """What every kind of problem answers."""

    name: str          # 'surface', 'field' or 'fit': what scenes and the command line call it
    value_name: str    # what the loss plot, the 3D view's height and the captions call the value: f, |F|, L
    point_name: str    # what a run's point is called: x (a point of the plane) or θ (trained parameters)
    picture_name: str  # what the map and the 3D view show: a surface, or a field's picture
    colourings: tuple[str, ...]   # what the map and the 3D view may be coloured by
    heights: tuple[str, ...]      # what the 3D view may raise, when there is a choice (a field's |F|, u or v)
    minimises: bool    # runs minimise a value with optimizers (lr, schedules, stability), not solve F = 0
    has_rows: bool     # a dataset's rows: epochs, mini-batches, the fit form and the fit view
    has_lens: bool     # the Jacobian lens looks at a point of it

    def title(self, setup) -> str:
        """What the problem is, in a few words (the editor's title)."""

    def axis_names(self, setup) -> tuple[str, str]:
        """The map's and the 3D view's horizontal axes."""

    def methods(self, setup) -> tuple[str, ...]:
        """The methods a run of this problem may take."""

    def grid_problem(self, session):
        """What the grid worker computes the picture of (built on the window's thread), or None."""

    def grid_picture(self, problem, params, xs, ys, stop=None):
        """The picture the map and the 3D view draw on the grid xs × ys (None if `stop` said so)."""

    def reading(self, session, point):
        """What the inspector reads at `point`: derivatives of the value there (None where there are none)."""

    def map_reading(self, session):
        """The derivatives the map's overlays draw at the selected run's point (None where there are none)."""


class _Kind:
    """What the kinds share: axes x and y, the objective's reading at a point, and a readable repr."""

    name = value_name = ""
    point_name, picture_name = "x", "surface"
    colourings, heights = COLOURINGS, ()
    minimises, has_rows, has_lens = True, False, False

    def axis_names(self, setup) -> tuple[str, str]:
        return ("x", "y")

    def reading(self, session, point):
        """The objective's value, gradient and Hessian at `point` (a surface's f; a fit's L, all n×n)."""
        objective = session.objective
        return None if objective is None else objective.analyze(np.asarray(point, dtype=float))

    def __repr__(self) -> str:
        return f"<{self.name} kind>"


class SurfaceKind(_Kind):
    """f(x, y): its curvature map; every method but the least-squares ones."""

    name, value_name = SURFACE, "f"

    def title(self, setup) -> str:
        return "Function f(x, y)"

    def methods(self, setup) -> tuple[str, ...]:
        return tuple(METHODS)

    def grid_problem(self, session):
        return session.expression

    def grid_picture(self, problem, params, xs, ys, stop=None):
        return SurfaceCalculus(problem, params).curvature_map(xs, ys, stop=stop)

    def map_reading(self, session):
        run = session.selected_run()
        return None if run is None else self.reading(session, run.current.point)


class FieldKind(_Kind):
    """F = (u, v) of x and y (typed, or ∇f): its Jacobian map, arrows and zero curves; Newton–Raphson only."""

    name, value_name, picture_name = FIELD, "|F|", "picture"
    colourings, heights = FIELD_COLOURINGS, HEIGHTS
    minimises, has_lens = False, True

    def title(self, setup) -> str:
        return "Function f(x, y), shown as the field ∇f" if setup.gradient_field else "Field F(x, y) = (u, v)"

    def methods(self, setup) -> tuple[str, ...]:
        return (FIELD_METHOD,)

    def grid_problem(self, session):
        return session.calculus

    def grid_picture(self, problem, params, xs, ys, stop=None):
        return compute_field_picture(problem, xs, ys)

    def reading(self, session, point):
        calculus = session.calculus
        return None if calculus is None else calculus.analyze(np.asarray(point, dtype=float))

    def map_reading(self, session):
        return None   # the map's −∇f arrow and Hessian axes belong to a function; a field's lens is its own


class FitKind(_Kind):
    """A loss averaged over a dataset's rows: the map is a 2-D slice through L(θ) over two trained parameters."""

    name, value_name, point_name = FIT, "L", "θ"
    has_rows = True

    def title(self, setup) -> str:
        if setup.fit.network is not None:
            return f"Model fit: {setup.fit.network.model} learning {setup.fit.target} from the training rows"
        return "Data fit: the mean of a loss over the rows"

    def axis_names(self, setup) -> tuple[str, str]:
        if setup.fit.network is not None and setup.fit.directions is not None:
            return AXIS_NAMES   # a network's loss over a plane of directions (core.directions)
        return tuple(setup.fit.axes)

    def methods(self, setup) -> tuple[str, ...]:
        """Every method the fit can take: a network's without those that need more than it can hold (Newton's
        above HESSIAN_LIMIT parameters, BFGS above BFGS_LIMIT; model_reading.method_refusal says why)."""
        if setup.fit.network is not None:
            return tuple(m for m in METHODS if method_refusal(m, setup.fit.dimension) is None)
        return tuple(METHODS) + (tuple(LEAST_SQUARES) if setup.fit.residual else ())

    def reading(self, session, point):
        """L's value, gradient and n×n Hessian at `point`; None for a network whose Hessian is not formed
        (above HESSIAN_LIMIT parameters: session.model_summary reads norms and extreme eigenvalues instead)."""
        objective = session.objective
        if objective is not None and getattr(objective, "hessian_note", lambda: None)():
            return None
        return super().reading(session, point)

    def grid_problem(self, session):
        return session.slice_calculus()

    def grid_picture(self, problem, params, xs, ys, stop=None):
        return problem.curvature_map(xs, ys, stop=stop)   # core.fit_map.SliceCalculus

    def map_reading(self, session):
        return session.slice_analysis()   # the 2×2 block on the map's slice (the inspector reads all n×n)


KINDS: dict[str, ProblemKind] = {kind.name: kind for kind in (SurfaceKind(), FieldKind(), FitKind())}


def kind_named(name: str) -> ProblemKind:
    """The kind a scene or the command line calls `name` ('surface', 'field', 'fit')."""
    return KINDS[name]
