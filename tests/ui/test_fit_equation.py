"""The formula above a fit is its loss: a residual r is written r², standardised columns are named so."""
import re

from explorer.core.fit_scene import DataSpec, FitSpec, build_dataset
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.ui.text.fit_text import fit_equation_html


def shown(preset: str) -> str:
    """The formula's text as read on screen (tags dropped)."""
    scene = load_scene(find_preset(preset))
    html = fit_equation_html(scene.text, scene.fit, build_dataset(scene.fit.data).rows)
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")


def test_a_residual_fit_shows_the_square_it_averages():
    assert load_scene(find_preset("gauss-newton-growth")).fit.residual
    assert shown("gauss-newton-growth").startswith(
        "L(a, b) = mean over the 40 rows of (a·eb·X − Y)2   model a·eb·X")


def test_raw_and_standardised_features_typeset_differently_and_say_which():
    raw, scaled = shown("badly-scaled-features"), shown("standardised-features")
    assert raw == "L(u, v) = mean over the 100 rows of (u·X1 + v·X2 − Y)2   model u·X1 + v·X2"
    assert scaled == ("L(u, v) = mean over the 100 rows of (u·X̃1 + v·X̃2 − Y)2   model u·X̃1 + v·X̃2   "
                      "X̃ = (X − mean)/sd")


def test_what_the_tilde_means_is_said_for_one_column_and_for_columns_of_other_names():
    for columns, said in [(("X1",), "X̃1 = (X1 − mean)/sd"),
                          (("height", "weight"), "height̃, weight̃: (column − mean)/sd")]:
        fit = FitSpec(DataSpec("scales", 0, standardise=columns), ("w", "b"), ("w", "b"))
        text = re.sub(r"<[^>]+>", "", fit_equation_html("(w*height + b*weight - Y)^2", fit, 5)).replace("&nbsp;", " ")
        assert text.endswith("   " + said)
