"""The loss plot's settings as a scene keeps them: `"loss_plot": {"log": true, "axis": "iterations", "y": "loss"}`.

A lecture scene and its export show the plot as it was prepared. An absent key (or one left out of the
object) means the default: linear, against iterations, the loss itself. "y": "distance" plots each run's
distance to its end point, ‖x_t − x_end‖; "hessian_error" a quasi-Newton run's ‖B_k − H(x_k)‖ / ‖H(x_k)‖
(issue 27: BFGS learning the Hessian). Epochs count rows of data, so only a fit may ask for them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from explorer.core.scene_checks import SceneError, _check_keys, _flag, _object, _show
from explorer.core.trajectory import COST_AXES

LOSS_PLOT_KEYS = ("log", "axis", "y")
Y_AXES = ("loss", "distance", "hessian_error")   # the value (f, L or |F|), ‖x_t − x_end‖, or ‖B_k − H‖ / ‖H‖


@dataclass(frozen=True)
class LossPlotSpec:
    """How the loss plot is drawn: a log y axis, what the x axis counts (a key of COST_AXES), what y shows."""

    log: bool = False
    axis: str = "iterations"
    y: str = "loss"

    def for_kind(self, fit: bool) -> LossPlotSpec:
        """These settings as a problem of this kind shows them: a function has no epochs (iterations instead)."""
        return self if fit or self.axis != "epochs" else replace(self, axis="iterations")


def loss_plot_problem(spec: LossPlotSpec, fit: bool) -> str | None:
    """What is wrong with `spec` for a fit (`fit`) or a function, as a short phrase; None when nothing is."""
    if not isinstance(spec.axis, str) or spec.axis not in COST_AXES:
        return f"'axis' must be one of {', '.join(COST_AXES)}, not {_show(spec.axis)}"
    if spec.axis == "epochs" and not fit:
        return "'axis' epochs needs a fit of data: a function has no rows"
    if not isinstance(spec.y, str) or spec.y not in Y_AXES:
        return f"'y' must be one of {', '.join(Y_AXES)}, not {_show(spec.y)}"
    return None


def read_loss_plot(data: Any, fit: bool) -> LossPlotSpec:
    """The scene's "loss_plot" object (None: the defaults); SceneError naming the bad key."""
    if data is None:
        return LossPlotSpec()
    data = _object(data, "loss_plot")
    _check_keys(data, (), LOSS_PLOT_KEYS, "loss_plot")
    spec = LossPlotSpec(_flag(data.get("log", False), "loss_plot.log"), data.get("axis", LossPlotSpec.axis),
                        data.get("y", LossPlotSpec.y))
    problem = loss_plot_problem(spec, fit)
    if problem is not None:
        raise SceneError(problem.replace("'", "'loss_plot.", 1))
    return spec


def loss_plot_keys(spec: LossPlotSpec) -> dict[str, Any]:
    """The key to write: none while every setting is the default (older scenes stay byte for byte)."""
    if spec == LossPlotSpec():
        return {}
    return {"loss_plot": {"log": spec.log, "axis": spec.axis, "y": spec.y}}
