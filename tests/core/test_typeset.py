"""Formulas as a board shows them: exact HTML and plain Unicode for each kind of node."""
import pytest

from explorer.core.typeset import equation, superscript, typeset

CASES = [
    # text typed, plain Unicode, HTML
    ("(1 - x)^2 + 100*(y - x^2)^2", "(1 − x)² + 100·(y − x²)²",
     "(1 − x)<sup>2</sup> + 100·(y − x<sup>2</sup>)<sup>2</sup>"),
    ("x^2 + 10*y^2", "x² + 10·y²", "x<sup>2</sup> + 10·y<sup>2</sup>"),
    ("x**2 + 10*y**2", "x² + 10·y²", "x<sup>2</sup> + 10·y<sup>2</sup>"),
    ("sqrt(x^2+y^2)", "√(x² + y²)", "√(x<sup>2</sup> + y<sup>2</sup>)"),
    ("sqrt(x)", "√x", "√x"),
    ("exp(-(x^2+y^2))", "exp(−(x² + y²))", "e<sup>−(x² + y²)</sup>"),
    ("x^(1/3)", "x^(1/3)", "x<sup>1/3</sup>"),
    ("a*x^2", "a·x²", "a·x<sup>2</sup>"),
    ("x^2/k + y^2", "x²/k + y²", "x<sup>2</sup>/k + y<sup>2</sup>"),
    ("(x^2)^3", "(x²)³", "(x<sup>2</sup>)<sup>3</sup>"),
    ("x^y^2", "x^(y²)", "x<sup>y²</sup>"),                     # powers group to the right
    ("x^-1", "x⁻¹", "x<sup>−1</sup>"),
    ("-x^2", "−x²", "−x<sup>2</sup>"),                          # minus the square
    ("(-x)^2", "(−x)²", "(−x)<sup>2</sup>"),                    # the square of minus x
    ("-(x*y)", "−(x·y)", "−(x·y)"),
    ("x - -y", "x − (−y)", "x − (−y)"),
    ("x - (y - 1)", "x − (y − 1)", "x − (y − 1)"),
    ("(x+1)/(y-1)", "(x + 1)/(y − 1)", "(x + 1)/(y − 1)"),
    ("x/(2*y)", "x/(2·y)", "x/(2·y)"),
    ("x/y*z", "(x/y)·z", "(x/y)·z"),                            # never the ambiguous x/y·z
    ("2*x*y", "2·x·y", "2·x·y"),
    ("20 + x^2 - 10*cos(2*pi*x)", "20 + x² − 10·cos(2·π·x)", "20 + x<sup>2</sup> − 10·cos(2·π·x)"),
    ("abs(x) + log10(y) + minimum(x, y)", "|x| + log₁₀(y) + min(x, y)", "|x| + log<sub>10</sub>(y) + min(x, y)"),
    ("alpha*x0 + sigma_2*y", "α·x₀ + σ₂·y", "α·x<sub>0</sub> + σ<sub>2</sub>·y"),
    ("1e-3*x + 2.5E+6*y", "10⁻³·x + 2.5·10⁶·y", "10<sup>−3</sup>·x + 2.5·10<sup>6</sup>·y"),
    ("sin(x)^2 + e^x", "sin(x)² + eˣ", "sin(x)<sup>2</sup> + e<sup>x</sup>"),
    ("+x", "x", "x"),
]


@pytest.mark.parametrize("text, plain, html", CASES)
def test_typeset(text, plain, html):
    out = typeset(text)
    assert (out.plain, out.html) == (plain, html)


def test_the_equation_names_the_function():
    assert equation("x^2 + 10*y^2").plain == "f(x, y) = x² + 10·y²"
    assert equation("x^2 + 10*y^2").html == "f(x, y) = x<sup>2</sup> + 10·y<sup>2</sup>"


def test_no_python_syntax_is_left():
    for text, *_ in CASES:
        out = typeset(text)
        assert "**" not in out.plain and "*" not in out.html and "sqrt" not in out.plain


def test_text_that_does_not_parse_comes_back_as_typed_and_escaped():
    out = typeset("x +* <y")
    assert out.plain == "x +* <y" and out.html == "x +* &lt;y"


def test_a_tall_tower_of_powers_is_quick_and_complete():
    text = "x" + "^x" * 150     # each subtree is written once: 3^150 would never finish
    out = typeset(text)
    assert out.plain.count("x") + out.plain.count("ˣ") == 151 and out.plain.endswith("xˣ" + ")" * 149)


def test_superscript_characters():
    assert superscript("−12") == "⁻¹²" and superscript("n") == "ⁿ"
    assert superscript("1/3") is None and superscript("") is None


def test_standardised_names_wear_a_tilde_wherever_they_stand():
    t = typeset("(u*X1 + v*X2 - Y)^2 + exp(X1)", ("u", "v", "X1", "X2", "Y"), ("X1", "X2"))
    assert t.plain == "(u·X̃₁ + v·X̃₂ − Y)² + exp(X̃₁)"
    assert t.html == "(u·X̃<sub>1</sub> + v·X̃<sub>2</sub> − Y)<sup>2</sup> + e<sup>X̃₁</sup>"
    assert typeset("(u*X1 + v*X2 - Y)^2", ("u", "v", "X1", "X2", "Y")).plain == "(u·X₁ + v·X₂ − Y)²"
