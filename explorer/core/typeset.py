"""A checked expression as a person writes it on a board: superscripts, ·, −, √, |x|, Greek letters.

`typeset(text)` gives HTML (powers in <sup>, for Qt's rich text) and plain Unicode (powers as
superscript characters where they exist, else ^(…)). Parentheses come from the tree, not from the
text: only those the reading needs are written. Names given as standardised wear a tilde (X̃₁: the
column X1 as (X1 − mean)/sd). Pure Python: no Qt here.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from explorer.core.expression import parse, python_tree

MINUS = "\u2212"
DOT = "\u00b7"
TILDE = "\u0303"      # combining: X̃ is a column standardised
_SUPERSCRIPT = str.maketrans("0123456789+-\u2212=()nixy", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱˣʸ")
_SUPERSCRIPTABLE = set("0123456789+-\u2212=()nixy")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε", "zeta": "ζ",
         "eta": "η", "theta": "θ", "kappa": "κ", "lam": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "rho": "ρ",
         "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "pi": "π",
         "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
         "Omega": "Ω"}
FUNCTION_NAMES = {"minimum": "min", "maximum": "max"}
_NAME_PARTS = re.compile(r"([A-Za-z]+)_?([0-9]*)\Z")

# binding strength: a child weaker than its place needs parentheses
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Typeset:
    html: str
    plain: str


@lru_cache(maxsize=32)   # the caption, formula and export ask for one text several times a change
def typeset(text: str, variables: Sequence[str] = ("x", "y"), standardised: Sequence[str] = ()) -> Typeset:
    """The expression typeset, the `standardised` names with a tilde; text that does not parse is given back
    as typed (escaped for HTML)."""
    source = text.strip().replace("^", "**")
    try:
        parse(text, variables)   # the whitelist: only its nodes reach the writer below
        tree = python_tree(source).body
        marked = frozenset(standardised)
        return Typeset(_Writer(source, html=True, marked=marked).write(tree)[0],
                       _Writer(source, html=False, marked=marked).write(tree)[0])
    except (ValueError, SyntaxError, RecursionError):   # not an expression, or nested past Python's stack
        return Typeset(_escape(text), text)


def equation(text: str, variables: Sequence[str] = ("x", "y")) -> Typeset:
    """'f(x, y) = …' typeset."""
    body = typeset(text, variables)
    head = f"f({', '.join(variables)}) = "
    return Typeset(head + body.html, head + body.plain)


def superscript(plain: str) -> str | None:
    """`plain` in superscript characters, or None where one has none (a slash, most letters)."""
    return plain.translate(_SUPERSCRIPT) if plain and set(plain) <= _SUPERSCRIPTABLE else None


def name_text(name: str, html: bool, tilde: bool = False) -> str:
    """'alpha' -> α, 'x0' or 'x_0' -> x₀ (x<sub>0</sub>), 'pi' -> π; with `tilde`, 'X1' -> X̃₁."""
    match = _NAME_PARTS.match(name)
    if not match:
        return name + TILDE if tilde else name
    letters, digits = match.groups()
    letters = GREEK.get(letters, letters) + (TILDE if tilde else "")
    if not digits:
        return letters
    return f"{letters}<sub>{digits}</sub>" if html else letters + digits.translate(_SUBSCRIPT)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Writer:
    """Writes one tree as HTML or plain text; each method returns (text, binding strength)."""

    def __init__(self, source: str, html: bool, in_exponent: bool = False, marked: frozenset = frozenset()):
        self.source, self.html, self.in_exponent, self.marked = source, html, in_exponent, marked

    def write(self, node: ast.AST) -> tuple[str, int]:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return name_text(node.id, self.html, node.id in self.marked), ATOM
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.write(node.operand)
            return MINUS + self.wrap(node.operand, UNARY + 1), UNARY
        if isinstance(node, ast.Call):
            return self.call(node), ATOM
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        raise ValueError(f"cannot typeset {type(node).__name__}")   # the whitelist lets nothing else through

    def wrap(self, node: ast.AST, needed: int) -> str:
        text, strength = self.write(node)
        return f"({text})" if strength < needed else text

    def binary(self, node: ast.BinOp) -> tuple[str, int]:
        op, left, right = node.op, node.left, node.right
        if isinstance(op, ast.Pow):
            return self.power(left, right), POWER
        if isinstance(op, (ast.Add, ast.Sub)):
            # a − (b + c) needs them; a + (−b) and a − (−b) would read as a typo without them
            needed = POWER if _is_negation(right) else PRODUCT if isinstance(op, ast.Sub) else SUM
            sign = " + " if isinstance(op, ast.Add) else f" {MINUS} "
            return self.wrap(left, SUM) + sign + self.wrap(right, needed), SUM
        if isinstance(op, ast.Mult):
            # (a/b)·c, not a/b·c, which a class reads as a/(b·c)
            first = f"({self.write(left)[0]})" if _is_division(left) else self.wrap(left, PRODUCT)
            return first + DOT + self.wrap(right, POWER), PRODUCT
        # division: a/(b·c), (a/b)/c: the reading must not depend on a convention
        first = f"({self.write(left)[0]})" if _is_division(left) else self.wrap(left, PRODUCT)
        return first + "/" + self.wrap(right, POWER), PRODUCT

    def exponent_writer(self) -> "_Writer":
        """Inside a superscript every power is written with superscript characters or ^(…), as in plain text."""
        return _Writer(self.source, html=False, in_exponent=True, marked=self.marked)

    def power(self, base: ast.AST, exponent: ast.AST) -> str:
        """Each subtree is written once: a tower of powers costs its length, not 3^height."""
        below = self.wrap(base, ATOM)
        text, strength = self.exponent_writer().write(exponent)
        if self.html and not self.in_exponent:
            return f"{below}<sup>{text}</sup>"
        raised = superscript(text)
        if raised is not None:
            return below + raised
        return f"{below}^{text}" if strength >= ATOM else f"{below}^({text})"

    def call(self, node: ast.Call) -> str:
        name = node.func.id
        if name == "exp" and self.html and not self.in_exponent:
            return f"e<sup>{self.exponent_writer().write(node.args[0])[0]}</sup>"
        written = [self.write(a) for a in node.args]
        if name == "sqrt":
            text, strength = written[0]
            return "√" + (text if strength >= ATOM else f"({text})")
        if name == "abs":
            return f"|{written[0][0]}|"
        if name == "log10":
            name = "log<sub>10</sub>" if self.html else "log₁₀"
        return f"{FUNCTION_NAMES.get(name, name)}({', '.join(text for text, _ in written)})"

    def number(self, node: ast.Constant) -> tuple[str, int]:
        """As typed ('2.50' stays), with 1e-3 written 10⁻³ and 2.5e6 as 2.5·10⁶."""
        # the source is one line of ASCII (the parser refuses anything else), so the offsets index it
        # directly; ast.get_source_segment would split the whole text into lines for every number
        typed = self.source[node.col_offset:node.end_col_offset] or repr(node.value)
        mantissa, e, power = typed.lower().partition("e")
        if not e:
            return typed, ATOM
        sign = MINUS if power.startswith("-") else ""
        power = sign + (power.lstrip("+-").lstrip("0") or "0")
        ten = "10" + (f"<sup>{power}</sup>" if self.html and not self.in_exponent else superscript(power))
        return (ten, POWER) if mantissa in ("1", "1.", "1.0") else (f"{mantissa}{DOT}{ten}", PRODUCT)


def _is_negation(node: ast.AST) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)


def _is_division(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
