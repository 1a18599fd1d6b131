"""Turn Python's terse syntax errors into messages a student understands."""
from __future__ import annotations

import re
from typing import Mapping


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


def _glued(a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    """True when token b starts right where token a ends (no blank between)."""
    return b[2] == a[2] + len(a[1])


def _closing(toks: list[tuple[str, str, int]], k: int) -> int | None:
    """Index of the ')' that closes the '(' at toks[k], or None."""
    depth = 0
    for i in range(k, len(toks)):
        depth += toks[i][0] == "lparen"
        depth -= toks[i][0] == "rparen"
        if depth == 0:
            return i
    return None


def _render(text: str, toks: list[tuple[str, str, int]], first: int, last: int) -> str:
    """The user's text of toks[first..last], with '*' put where a number is glued to what follows."""
    out = text[toks[first][2]:toks[last][2] + len(toks[last][1])]
    start = toks[first][2]
    for i in range(last - 1, first - 1, -1):  # right to left, so earlier positions stay valid
        a, b = toks[i], toks[i + 1]
        if a[0] == "num" and b[0] in ("name", "lparen") and _glued(a, b):
            cut = b[2] - start
            out = out[:cut] + "*" + out[cut:]
    return out


def _opening(toks: list[tuple[str, str, int]], k: int) -> int:
    """Index of the '(' that the ')' at toks[k] closes (the text's parentheses are balanced here)."""
    depth = 0
    for i in range(k, -1, -1):
        depth += (toks[i][0] == "rparen") - (toks[i][0] == "lparen")
        if depth == 0:
            return i
    return k


def _factor(text: str, toks: list[tuple[str, str, int]], k: int, functions: Mapping[str, int]) -> str:
    """How to write the operand at toks[k] after a '*': a bare function name gets its argument."""
    kind, tok, col = toks[k]
    if kind == "name" and tok in functions and not (k + 1 < len(toks) and toks[k + 1][0] == "lparen"):
        return function_hint(text, col, functions)
    return tok


MAX_SHOWN = 40  # longer text is abbreviated in a hint: the column already says where


def multiply_hint(left: str, group: str) -> str:
    """'2', '(x+y)' -> 'write 2*(x+y) to multiply'; when that is long, long groups become (...)."""
    if len(left) + len(group) > MAX_SHOWN:
        half = MAX_SHOWN // 2
        if len(left) > half and left.startswith("("):
            left = "(...)"
        if len(group) > half:
            group = "(...)"
    return f"write {left}*{group} to multiply"


def product_problem(left: str, group: str) -> str:
    """The message for a factor glued to a parenthesis: "'2(x+y)': write 2*(x+y) to multiply"."""
    if len(left) + len(group) > MAX_SHOWN:
        return f"missing '*' before '(': {multiply_hint(left, group)}"
    return f"'{left}{group}': {multiply_hint(left, group)}"


def function_hint(text: str, column: int, functions: Mapping[str, int]) -> str:
    """For a function name at 0-based `column` used without '(': 'sin(x)', or 'sin(...)' when unclear.

    The argument is guessed the way people read 'sin x + 1': up to the next + or - (or ',' or an
    unmatched ')') outside parentheses, so 'exp 2*x' -> 'exp(2*x)' and 'sin x^2' -> 'sin(x^2)'.
    """
    toks = _tokens(text)
    k = next((i for i, t in enumerate(toks) if t[2] == column), None)
    if k is None or toks[k][1] not in functions:
        return "(...)"
    name, arity = toks[k][1], functions[toks[k][1]]
    fallback = f"{name}(" + ", ".join(["..."] * arity) + ")"
    j = k + 1
    # 'exp -x^2': a sign glued to the operand and set apart from the name is read as part of it
    if (j + 1 < len(toks) and toks[j][1] in ("-", "+") and not _glued(toks[k], toks[j])
            and _glued(toks[j], toks[j + 1])):
        j += 1
    if j >= len(toks) or toks[j][0] not in ("num", "name", "lparen"):
        return fallback
    start = k + 1
    depth, commas, last = 0, 0, None
    for i in range(j, len(toks)):
        kind, tok, _ = toks[i]
        prev = toks[i - 1]
        if depth == 0:
            if kind == "rparen":
                break
            if kind == "comma":
                if arity < 2 or commas:
                    break
                commas += 1
            if kind == "op" and tok in ("+", "-") and i > j and prev[0] in _OPERAND_END:
                break
            if (kind in _OPERAND_START and i > j and prev[0] in _OPERAND_END
                    and not (prev[0] == "name" and kind == "lparen")
                    and not (prev[0] == "num" and _glued(prev, toks[i]))):
                break  # 'sin x cos y': the next factor starts here
            if kind == "name" and tok in functions and not (i + 1 < len(toks) and toks[i + 1][0] == "lparen"):
                return fallback  # 'sin cos x': too ambiguous to guess
        depth += (kind == "lparen") - (kind == "rparen")
        last = i
    if last is None or toks[last][0] in ("op", "comma") or commas + 1 != arity or depth:
        return fallback
    return f"{name}({_render(text, toks, start, last)})"


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


def _token_problem(text: str, functions: Mapping[str, int]) -> ExpressionError | None:
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
            if re.fullmatch(r"0+[1-9]\d*", tok):  # Python refuses '007' (it once meant octal)
                return ExpressionError(f"'{tok}': a whole number cannot start with 0; write {tok.lstrip('0')}",
                                       col + 1)
            if nxt and _glued(toks[k], nxt) and nxt[0] == "name":
                right = _factor(text, toks, k + 1, functions)
                return ExpressionError(f"'{tok}{nxt[1]}': write {tok}*{right} to multiply", col + 1)
        if kind == "name" and tok in functions and not (nxt and nxt[0] == "lparen"):
            return ExpressionError(f"'{tok}' is a function: write {function_hint(text, col, functions)}", col + 1)
        if kind in _OPERAND_END and nxt and nxt[0] in _OPERAND_START and not (kind == "name" and nxt[0] == "lparen"):
            start, left = col, tok
            if kind == "rparen":  # show the whole group: '(x+1) 2' -> (x+1)*2
                start = toks[_opening(toks, k)][2]
                left = text[start:col + 1]
            close = _closing(toks, k + 1) if nxt[0] == "lparen" else None
            if close is not None and close > k + 2:  # '2 (x+y)', '(x+1) (y-1)': as in the checker
                return ExpressionError(product_problem(left, text[nxt[2]:toks[close][2] + 1]), start + 1)
            if close is None:
                left = left if len(left) <= MAX_SHOWN // 2 else "(...)"
                right = _factor(text, toks, k + 1, functions)
                return ExpressionError(
                    f"missing operator between '{left}' and '{nxt[1]}': write {left}*{right} to multiply",
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


def diagnose_syntax_error(text: str, err: SyntaxError, columns: list[int],
                          functions: Mapping[str, int] | None = None) -> ExpressionError:
    """Explain a syntax error in `text`; `columns` maps the parsed source back to `text`.

    `functions` (name -> number of arguments) lets 'sin x' be answered with 'write sin(x)'.
    """
    found = _paren_problem(text) or _token_problem(text, functions or {})
    if found:
        return found
    offset = max((err.offset or 1) - 1, 0)
    column = columns[min(offset, len(columns) - 1)] + 1
    return ExpressionError("this is not a valid expression", column)
