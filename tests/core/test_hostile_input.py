"""Whatever is typed, the parser either rejects it with an ExpressionError or computes a number."""
import math
import pathlib
import re

import numpy as np
import pytest

from explorer.core.calculus import PointCalculus, SurfaceCalculus
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
        assert PointCalculus(e, params).analyze([0.0, 0.0]).hessian.dtype == np.float64
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


# ---- issue 14: what crashed the program, at points and on grids, with parameters at their edges

@pytest.mark.parametrize("text, params, value", [
    ("+x", {}, 0.5),
    ("x^2/a + y^2", {"a": 0.0}, math.inf),
    ("x + a^b", {"a": 10.0, "b": 400.0}, math.inf),
    ("x + a^b", {"a": -1.0, "b": 0.5}, math.nan),
    ("(a - 1)/(b - 1) + x", {"a": 1.0, "b": 1.0}, math.nan),
    ("x/0 + a", {"a": 0.0}, math.inf),
    ("exp(a)*y", {"a": 1e4}, math.inf),
])
def test_reproducers_give_a_number_and_undefined_everywhere(text, params, value):
    analysis = PointCalculus(text, params).analyze([0.5, 0.25])
    assert analysis.value == value or (math.isnan(value) and math.isnan(analysis.value))
    assert analysis.classification == ("undefined" if not math.isfinite(value) else "degenerate")
    classes = SurfaceCalculus(text, params).curvature_map(np.linspace(0.5, 1, 3), np.linspace(0.25, 1, 2)).classes
    assert (classes == -1).all() == (not math.isfinite(value))


def test_a_finite_hessian_whose_eigenvalues_overflow_still_has_a_class():
    # H = [[0, 1e308], [1e308, 2e300]]: eigenvalues about ±1e308, a saddle; H + Hᵀ would overflow
    text = "1e308*x*y + 1e300*y^2"
    analysis = PointCalculus(text).analyze([1e-300, 1e-300])
    assert analysis.classification == "saddle"
    assert analysis.eigenvalues[0] < 0 < analysis.eigenvalues[1]
    cmap = SurfaceCalculus(text).curvature_map(np.array([-1e-300, 1e-300]), np.array([1e-300]))
    assert (cmap.classes == 3).all()
    # eigenvalues 1e300 and 2.8e308 (past float64): convex, from a Hessian scaled by a power of two
    text = "7e307*x^2 - 1.4e308*x*y + 7e307*y^2 + 1e300*y^2"
    assert PointCalculus(text).analyze([1e-300, 1e-300]).classification == "convex"
    assert SurfaceCalculus(text).curvature_map(np.array([1e-300]), np.array([1e-300])).classes[0, 0] == 1


def test_typed_text_prints_no_warning_outside_the_tests():
    """Outside pytest (whose warnings are errors) Python prints tokenizer warnings on stderr: none may appear."""
    import subprocess
    import sys
    texts = ["1if x else y", "1and x", "0x1for x", '"\\d"', "'\\q'", "1else", "1e5if 1 else 2", "x^2 + y^2"]
    code = ("import sys\nfrom explorer.core.expression import parse, ExpressionError\n"
            "from explorer.core.typeset import typeset\n"
            "for t in sys.argv[1:]:\n"
            "    typeset(t)\n"
            "    try:\n        parse(t, ('x', 'y'))\n    except ExpressionError as e:\n        print(e)\n")
    done = subprocess.run([sys.executable, "-W", "always", "-c", code, *texts], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert len(done.stdout.splitlines()) == len(texts) - 1      # each refused in one line, the last accepted
