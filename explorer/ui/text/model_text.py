"""The inspector's rows for a network of many parameters: the size, the norm of each layer's weights and
biases, ‖∇L‖, the Hessian's extreme eigenvalues (from Hessian-vector products, the matrix never formed), and
the metrics on the training and test rows at the step on show, in place of θ, ∇L and H entry by entry."""
from __future__ import annotations

from explorer.ui.text.fit_text import training_rows
from explorer.ui.text.inspector_text import num, step_rows

METRIC_LABELS = (("loss", "loss"), ("accuracy", "accuracy"), ("f1", "F1"), ("macro_f1", "macro F1"),
                 ("mse", "MSE"), ("r2", "R²"))


PENDING = "computed when the run stands still"   # while the summary waits or is computed (many passes)


def model_rows(run, summary: dict | None, value: float, metrics: dict | None = None,
               parameters: int | None = None) -> list[tuple[str, str]]:
    """(label, value) rows; `summary` is the session's model_summary() (None: not asked yet, the norms and
    eigenvalues are said to be computed when the run stands still; `parameters` then gives the size), `metrics`
    its step_metrics()."""
    size = summary["parameters"] if summary is not None else parameters
    rows = [("method", run.method), ("step", str(run.position)), *training_rows(run),
            ("parameters", f"{size:,}"), ("L", num(value))]
    if summary is None:
        rows += [("‖∇L‖, ‖W‖", PENDING), ("λ of H", PENDING)]
    else:
        rows.append(("‖∇L‖", num(summary["gradient_norm"])))
        rows += [(f"‖{name}‖", num(norm)) for name, norm in summary["norms"].items()]
        extremes = summary.get("hessian_extremes")
        if extremes is None:
            rows.append(("λ of H", "not computed"))
        else:
            low, high = extremes
            rows += [("λmin of H", num(low)), ("λmax of H", num(high))]
            if low > 0:
                rows.append(("cond", num(high / low)))
    for part in ("train", "test"):
        found = (metrics or {}).get(part) or {}
        shown = [(label, found[key]) for key, label in METRIC_LABELS if key in found]
        if shown:
            rows += [("", ""), (part, "")] + [(f"  {label}", num(v)) for label, v in shown]
    return rows + step_rows(run, "L")
