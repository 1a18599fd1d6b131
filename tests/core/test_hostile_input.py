"""Whatever is typed, the parser either rejects it with an ExpressionError or computes a number."""
import math
import pathlib
import re

import pytest

from explorer.core.calculus import PointCalculus
from explorer.core.expression import parse
from explorer.core.syntax_hints import ExpressionError

CANARY = pathlib.Path("/tmp/landscape-explorer-canary")

HOSTILE = [
    f"__import__('os').system('touch {CANARY}')",
    "__import__('os')",
    f"open('{CANARY}', 'w')",
    "x.__class__",
    "x.__class__.__bases__[0].__subclasses__()",
    "().__class__",
    "(1).real",
    "[x for x in range(10)]",
    "(lambda: 1)()",
    "lambda x: x",
    "x[0]",
    "x if y else 1",
    "x < y",
    "x == 1",
    "x and y",
    "not x",
    "~x",
    "'abc'",
    "b'abc'",
    "f'{x}'",
    "{1: 2}",
    "{x}",
    "[1, 2]",
    "x, y",
    "(x := 3)",
    "eval('1')",
    "exec('x=1')",
    "compile('1', 'f', 'eval')",
    "globals()",
    "getattr(x, 'real')",
    "sin(x=1)",
    "sin(*x)",
    "1j * x",
    "True + x",
    "None",
    "...",
    "x; import os",
    "import os",
    "x\nimport os",
    "x\x00",
    "x # comment",
    "\\x41",
    "_x + 1",
    "αx",
    "x²",
    "sin(" * 59 + "x" + ")" * 59,   # deep but legal nesting is fine
    "(" * 500 + ")" * 500,
    "-" * 1999 + "x",
    "x" + "**x" * 600,
    "1" * 1999,
    "9" * 400 + "**9",
    "x" * 3000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_rejected_cleanly_or_evaluated(text):
    CANARY.unlink(missing_ok=True)
    try:
        e = parse(text, ("x", "y"))
    except ExpressionError as err:
        assert str(err) and "\n" not in str(err)
    else:
        params = {p: 1.0 for p in e.parameters}
        v = PointCalculus(e, params).value([0.5, 0.25])
        assert isinstance(v, float)
    assert not CANARY.exists()


def test_code_execution_attempts_are_rejected_with_their_reason():
    for text, reason in [("__import__('os')", "unknown function '__import__'"), ("'rm'", "text in quotes"), ("x.__class__", "attribute access"),
                         ("x[0]", "indexing"), ("lambda x: x", "lambda"), ("[x for x in y]", "comprehensions"),
                         ("x < y", "comparisons"), ("eval('1')", "unknown function 'eval'")]:
        with pytest.raises(ExpressionError, match=re.escape(reason)):
            parse(text)


def test_huge_numbers_give_inf_not_a_hang():
    assert PointCalculus("9" * 400 + "**9").value([0, 0]) == math.inf


def test_product_never_calls_eval_exec_or_compile():
    root = pathlib.Path(__file__).resolve().parents[2] / "explorer"
    pattern = re.compile(r"(?<![\w.])(eval|exec|compile)\s*\(")
    offenders = [f"{p}:{i}" for p in root.rglob("*.py")
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
