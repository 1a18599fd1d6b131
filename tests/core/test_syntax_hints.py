"""The common slips in the function editor get a message that says what to write, and where."""
import pytest

from explorer.core.expression import FUNCTIONS, glued_name_hint, parameter_warnings, parse
from explorer.core.syntax_hints import ExpressionError


def error_of(text, variables=("x", "y")):
    with pytest.raises(ExpressionError) as info:
        parse(text, variables)
    return info.value.message, info.value.column


@pytest.mark.parametrize("text, message, column", [
    # a function name, a blank, then its operand: the argument is read up to the next + or -
    ("sin x", "'sin' is a function: write sin(x)", 1),
    ("sin x + 1", "'sin' is a function: write sin(x)", 1),
    ("exp 2*x", "'exp' is a function: write exp(2*x)", 1),
    ("sin x^2", "'sin' is a function: write sin(x^2)", 1),
    ("sin 2x", "'sin' is a function: write sin(2*x)", 1),
    ("exp -x^2", "'exp' is a function: write exp(-x^2)", 1),
    ("x^2 + 3*cos y", "'cos' is a function: write cos(y)", 9),
    ("(sqrt x) + 1", "'sqrt' is a function: write sqrt(x)", 2),
    ("minimum x, y", "'minimum' is a function: write minimum(x, y)", 1),
    ("sin cos x", "'sin' is a function: write sin(...)", 1),
    # a function name with nothing after it
    ("sin", "'sin' is a function: write sin(...)", 1),
    ("x + sin", "'sin' is a function: write sin(...)", 5),
    ("x * log", "'log' is a function: write log(...)", 5),
    ("sin + 1", "'sin' is a function: write sin(...)", 1),
    # a factor glued to a parenthesis
    ("2(x+y)", "'2(x+y)': write 2*(x+y) to multiply", 1),
    ("2 (x+y)", "'2(x+y)': write 2*(x+y) to multiply", 1),
    ("1 + 2(x+y) -", "'2(x+y)': write 2*(x+y) to multiply", 5),   # found by the tokenizer instead
    ("(x+1)(y-1)", "'(x+1)(y-1)': write (x+1)*(y-1) to multiply", 1),
    ("y - (x+1)(y-1)", "'(x+1)(y-1)': write (x+1)*(y-1) to multiply", 5),
    ("x(y+1)", "'x' is not a function: write x*(y+1) to multiply", 1),
    ("pi(x)", "'pi' is not a function: write pi*(x) to multiply", 1),
    ("a(x+1)", "unknown function 'a': write a*(x+1) to multiply", 1),
    ("2(x^2 + y^2 + 3*x*y + 4*x^3*y^5 - 7*x*y^2)",
     "missing '*' before '(': write 2*(...) to multiply", 1),
    ("2sin x", "'2sin': write 2*sin(x) to multiply", 1),
    ("2 sin x + 1", "missing operator between '2' and 'sin': write 2*sin(x) to multiply", 3),
    ("(x+1) y", "missing operator between '(x+1)' and 'y': write (x+1)*y to multiply", 7),
    ("2()", "empty parentheses: put an expression inside ( )", 2),
    # other spellings of the table's functions
    ("ln(x)", "unknown function 'ln': did you mean log(...)?", 1),
    ("atan(x)", "unknown function 'atan': did you mean arctan(...)?", 1),
    ("sine(x)", "unknown function 'sine': did you mean sin(...)?", 1),
    ("floor(x)", "unknown function 'floor'", 1),
])
def test_slips_say_what_to_write_and_where(text, message, column):
    assert error_of(text) == (message, column)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_name_followed_by_an_operand_is_answered(name):
    arity = FUNCTIONS[name][1]
    operand = "x" if arity == 1 else "x, y"
    assert error_of(f"1 + {name} {operand}") == (f"'{name}' is a function: write {name}({operand})", 5)


@pytest.mark.parametrize("text", ["sin(x)", "2*(x+y)", "exp(-x^2)", "x*y", "(x+1)*(y-1)", "a*x", "x0*x + xi",
                                  "minimum(x, y) - sin(x)*cos(y)"])
def test_valid_expressions_parse_without_warnings(text):
    e = parse(text, ("x", "y"))
    assert e.warnings == [] and parameter_warnings(e) == []


@pytest.mark.parametrize("text, warnings", [
    ("xy", ["xy is a parameter — did you mean x*y?"]),
    ("xx + 1", ["xx is a parameter — did you mean x*x?"]),
    ("yx - xyy", ["xyy is a parameter — did you mean x*y*y?", "yx is a parameter — did you mean y*x?"]),
    ("sinx + a", ["sinx is a parameter — did you mean sin(x)?"]),
    ("x2 + xi", []),   # letters-and-digits names are ordinary parameter names (x0, x1, ...)
])
def test_names_made_of_variables_are_parameters_with_a_warning(text, warnings):
    e = parse(text, ("x", "y"))
    assert e.warnings == warnings
    assert parameter_warnings(e) == warnings
    for w in warnings:
        assert w.split()[0] in e.parameters
    assert e(1.0, 2.0, **{p: 3.0 for p in e.parameters}) is not None   # still usable as a parameter


def test_warnings_follow_the_expressions_variables():
    assert parse("xz", ("x", "y")).warnings == []            # z is a parameter name here, not a variable
    assert parse("xz", ("x", "y", "z")).warnings == ["xz is a parameter — did you mean x*z?"]
    assert glued_name_hint("xyz", ("x", "y", "z")) == "x*y*z"
    assert glued_name_hint("xx" * 900, ("x", "y")) == "*".join(["x"] * 1800)   # long names: no recursion
    assert glued_name_hint("x", ("x", "y")) is None
    assert glued_name_hint("wb", ("w", "b")) == "w*b"
