"""The point calculator's reading as plain rows (no Qt): g, each ∂g/∂v by name, |∇g|, the Hessian with its rows
and columns named, the eigenvalues, the class and the condition number."""
from __future__ import annotations

import numpy as np

from explorer.ui.text.inspector_text import UNDEFINED, condition_text, eigen_name, labelled, num


def hessian_lines(names, hessian) -> list[str]:
    """The Hessian under a header of the variables' names, each row led by its variable's name."""
    cells = [[num(v) for v in row] for row in np.asarray(hessian)]
    widths = [max(len(names[j]), *(len(row[j]) for row in cells)) for j in range(len(names))]
    lead = max(len(n) for n in names)
    header = " " * (lead + 2) + "  ".join(n.rjust(w) for n, w in zip(names, widths))
    return [header] + [f"{name.rjust(lead)} [" + "  ".join(c.rjust(w) for c, w in zip(row, widths)) + "]"
                       for name, row in zip(names, cells)]


def point_rows(names, a) -> list[tuple[str, str]]:
    """(label, value) rows of a core.calculus.PointAnalysis of g in the variables `names`."""
    rows = [("g", num(a.value))]
    if np.all(np.isfinite(a.gradient)):
        rows += [(f"∂g/∂{n}", num(v)) for n, v in zip(names, a.gradient)]
        rows.append(("|∇g|", num(np.linalg.norm(a.gradient))))
    else:
        rows.append(("∇g", UNDEFINED))
    rows.append(("", ""))
    rows += labelled("H", hessian_lines(names, a.hessian)) if np.all(np.isfinite(a.hessian)) else [("H", UNDEFINED)]
    rows.append(("", ""))
    if np.all(np.isfinite(a.eigenvalues)):
        rows += [(f"λ{eigen_name(k)}", num(lam)) for k, lam in enumerate(a.eigenvalues)]
    else:
        rows.append(("λ", UNDEFINED))
    return rows + [("class", a.classification), ("cond", condition_text(a))]
