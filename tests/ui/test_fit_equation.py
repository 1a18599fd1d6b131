"""The formula above a fit is its loss: a residual r is written r², standardised columns are named so."""
import re

from explorer.core.fit_scene import build_dataset
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.ui.fit_text import fit_equation_html


def shown(preset: str) -> str:
    """The formula's text as read on screen (tags dropped)."""
    scene = load_scene(find_preset(preset))
    html = fit_equation_html(scene.expression, scene.fit, build_dataset(scene.fit.data).rows)
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")


def test_a_residual_fit_shows_the_square_it_averages():
    assert load_scene(find_preset("gauss-newton-growth")).fit.residual
    assert shown("gauss-newton-growth").startswith("L(a, b) = mean over the 40 rows of (a·eb·X − Y)2   model a·eb·X")


def test_raw_and_standardised_features_typeset_differently_and_say_which():
    raw, scaled = shown("badly-scaled-features"), shown("standardised-features")
    assert raw == "L(u, v) = mean over the 100 rows of (u·X1 + v·X2 − Y)2   model u·X1 + v·X2"
    assert scaled == ("L(u, v) = mean over the 100 rows of (u·X̃1 + v·X̃2 − Y)2   model u·X̃1 + v·X̃2   "
                      "X̃1 = (X1 − mean)/sd, X̃2 likewise")
