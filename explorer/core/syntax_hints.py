"""Turn Python's terse syntax errors into messages a student understands."""
from __future__ import annotations

import re


class ExpressionError(ValueError):
    """Bad input in an expression; `column` is 1-based (None when the whole text is at fault)."""

    def __init__(self, message: str, column: int | None = None):
        self.message, self.column = message, column
        super().__init__(f"{message} at column {column}" if column else message)


_TOKEN = re.compile(
    r"(?P<num>\d[\d.]*(?:[eE][+-]?\d+)?|\.\d[\d.]*(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|[-+*/^])"
    r"|(?P<lparen>\()|(?P<rparen>\))|(?P<comma>,)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)
_BINARY_ONLY = {"*", "/", "^", "**"}
_OPERAND_END = {"num", "name", "rparen"}
_OPERAND_START = {"num", "name", "lparen"}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, 0-based column) for each token, blanks dropped."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "space":
            out.append((m.lastgroup, m.group(), m.start()))
    return out


def _paren_problem(text: str) -> ExpressionError | None:
    opened = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                return ExpressionError("unmatched ')'", i + 1)
            opened.pop()
    if opened:
        return ExpressionError("'(' is never closed", opened[-1] + 1)
    return None


def _token_problem(text: str) -> ExpressionError | None:
    toks = _tokens(text)
    for k, (kind, tok, col) in enumerate(toks):
        prev = toks[k - 1] if k else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if kind == "other":
            if tok == "=":
                return ExpressionError("'=' is not allowed: type only the right-hand side of f(x, y) = ...",
                                       col + 1)
            return ExpressionError(f"unexpected character '{tok}'", col + 1)
        if kind == "num":
            mantissa = tok.split("e")[0].split("E")[0]
            if mantissa.count(".") > 1:
                return ExpressionError(f"malformed number '{tok}'", col + 1)
            if nxt and nxt[2] == col + len(tok) and nxt[0] in ("name", "lparen"):
                glued = tok + nxt[1]
                return ExpressionError(f"'{glued}': write {tok}*{nxt[1]} to multiply", col + 1)
        if kind in _OPERAND_END and nxt and nxt[0] in _OPERAND_START:
            if not (kind == "name" and nxt[0] == "lparen"):
                return ExpressionError(
                    f"missing operator between '{tok}' and '{nxt[1]}': write {tok}*{nxt[1]} to multiply",
                    nxt[2] + 1)
        if kind == "op":
            if tok in _BINARY_ONLY and (prev is None or prev[0] in ("lparen", "comma", "op")):
                return ExpressionError(f"expected an expression before '{tok}'", col + 1)
            if nxt is None or nxt[0] in ("rparen", "comma") or (nxt[0] == "op" and nxt[1] in _BINARY_ONLY):
                return ExpressionError(f"expected an expression after '{tok}'", col + 1)
        if kind == "lparen" and nxt and nxt[0] == "rparen" and not (prev and prev[0] == "name"):
            return ExpressionError("empty parentheses: put an expression inside ( )", col + 1)
        if kind == "comma" and (nxt is None or nxt[0] in ("rparen", "comma")):
            return ExpressionError("expected an argument after ','", col + 1)
    return None


def diagnose_syntax_error(text: str, err: SyntaxError, columns: list[int]) -> ExpressionError:
    """Explain a syntax error in `text`; `columns` maps the parsed source back to `text`."""
    found = _paren_problem(text) or _token_problem(text)
    if found:
        return found
    offset = max((err.offset or 1) - 1, 0)
    column = columns[min(offset, len(columns) - 1)] + 1
    return ExpressionError("this is not a valid expression", column)
