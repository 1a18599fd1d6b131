"""The names in a fit: the trained parameters checked, what a free name without a value probably meant,
and the one-line error a fit that cannot be built reports (core.fit)."""
from __future__ import annotations

import difflib
from typing import Sequence

from explorer.core.data import name_problem
from explorer.core.expression import glued_name_hint, parse


class FitError(ValueError):
    """A fit that cannot be built; str() is one line. For a free name lacking a value, `name` is that
    name and `hint` the likeliest slip (or None); str() then ends with the hint. `part` is "target",
    "features" or "model" when the columns chosen or read are at fault."""

    def __init__(self, message: str, name: str | None = None, hint: str | None = None, part: str | None = None):
        super().__init__(f"{message}; {hint}" if hint else message)
        self.name, self.hint, self.part = name, hint, part


def parameter_number(value, name: str) -> float:
    """A parameter's value as a float; FitError naming it otherwise."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise FitError(f"parameter '{name}' must be a number, not {value!r}") from None


def trained_names(names: str | Sequence[str]) -> tuple[str, ...]:
    """'w, b' or ['w', 'b'] -> ('w', 'b'), each a valid name, none twice."""
    items = names.split(",") if isinstance(names, str) else list(names)
    items = [str(n).strip() for n in items]
    if not any(items):
        raise FitError("name at least one parameter to train, e.g. w, b")
    for k, name in enumerate(items):
        problem = name_problem(name)
        if problem:
            raise FitError(f"trained parameter {k + 1}: {problem}")
        if name in items[:k]:
            raise FitError(f"the trained parameter '{name}' is named twice")
    return tuple(items)


def slip(name: str, columns: Sequence[str], trained: Sequence[str]) -> str | None:
    """What a free name without a value probably meant: a column or trained name in another case
    (x for X), names run together (wX for w*X), a near spelling, columns it begins (X for X1, X2) or a
    column and a number (X1 for X); None when nothing is likely."""
    columns, trained = tuple(columns), tuple(trained)
    same_case = [c for c in columns + trained if c.lower() == name.lower()]
    if same_case:
        kind = "column" if same_case[0] in columns else "trained parameter"
        return f"did you mean the {kind} '{same_case[0]}'? (names are case-sensitive)"
    glued = glued_name_hint(name, trained + columns)
    if glued:
        return f"did you mean {glued}?"
    close = difflib.get_close_matches(name, columns + trained, 1, 0.75)
    if close:
        return f"did you mean '{close[0]}'?"
    longer = [c for c in columns if c.startswith(name)]
    if longer:
        return f"did you mean the column{'s' if len(longer) > 1 else ''} {', '.join(longer)}?"
    numbered = [c for c in columns if name.startswith(c) and name[len(c):].isdigit()]   # X1 for X
    return f"did you mean the column '{numbered[0]}'?" if numbered else None


def used_names(text: str) -> set[str]:
    """Every free name the expression uses (parsed with no variables, all of them are parameters)."""
    return set(parse(text, ()).parameters)
