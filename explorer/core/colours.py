"""The colour tables every picture shares, as plain data: the window, exports and the command line draw these.

Curvature classes are pale tints of Okabe–Ito hues, so that lines drawn over them stay readable.
Runs are coloured by their method (gd is black in every scene), in dark colours far from every class
tint and from each other; runs of one method differ in dash and marker (explorer.ui.views.drawing.palette.run_styles).
Basins are light tints, pairwise far apart, with white for the starts that ended nowhere.
tests/core/test_colours.py measures these distances (CIEDE2000, also under simulated colour blindness).
"""
from __future__ import annotations

# class code -> (label, RGB): exactly what the map draws and the legend shows
CLASS_COLOURS = {
    1: ("convex", (152, 196, 230)),      # Okabe–Ito blue, pale
    2: ("concave", (240, 178, 128)),     # Okabe–Ito vermillion, pale
    3: ("saddle", (243, 234, 130)),      # Okabe–Ito yellow, pale
    0: ("degenerate", (208, 208, 208)),  # light grey: no curvature in some direction
    -1: ("undefined", (112, 112, 112)),  # dark grey: f or a derivative is not a finite number
}

# method -> its runs' colour, in every scene and view; the methods a lesson shows together (gd beside newton,
# bfgs, momentum; newton beside damped-newton; gauss-newton beside levenberg-marquardt) differ most
METHOD_COLOURS = {
    "gd": "#000000",                    # black
    "momentum": "#C51B7D",              # magenta
    "nesterov": "#D73027",              # red
    "rmsprop": "#66661E",               # olive
    "adam": "#8C510A",                  # brown
    "newton": "#7B2FBE",                # purple
    "damped-newton": "#35978F",         # teal
    "bfgs": "#1B7837",                  # green
    "cg": "#440055",                    # aubergine
    "adagrad": "#4477FF",               # bright blue (not the eigenvector axes' darker blue)
    "l-bfgs": "#8877AA",                # muted violet (beside bfgs's green, also for colour-blind eyes)
    "trust-region": "#660011",          # maroon (apart from newton's purple, also for colour-blind eyes)
    "gauss-newton": "#01665E",          # dark teal
    "levenberg-marquardt": "#B8860B",   # dark gold
}
OTHER_METHOD_COLOUR = "#444444"         # a method this table does not know yet

# one colour per end of a basin map (a ninth end: Newton on Himmelblau ends in nine places); past nine the
# colours repeat, and each end's marker and key line still tell them apart
BASIN_COLOURS = ("#77AADD", "#EE8866", "#44BB99", "#FFAABB", "#AABB22", "#CCAAEE", "#FFEE99", "#AAEEEE",
                 "#CC6677")
NO_END = "#FFFFFF"                      # the start ended nowhere (diverged, step limit, still falling)


def method_colour(method: str) -> str:
    """The colour of a run of `method` ('#RRGGBB')."""
    return METHOD_COLOURS.get(method, OTHER_METHOD_COLOUR)


def basin_colour(k: int) -> str:
    """The colour of end `k` of a basin map; NO_END for −1 (no end)."""
    return NO_END if k < 0 else BASIN_COLOURS[k % len(BASIN_COLOURS)]


def rgb(colour: str) -> tuple[int, int, int]:
    """'#RRGGBB' -> (r, g, b)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))

# the rows a model learned from and the rows held out to judge it: these two in every plot of train against test.
# Neither is a class's hue (ui/views/drawing/model_palette: blue, orange, green, ...), so beside a decision region
# blue always means class 0, never "train": near-black (solid lines) and Tol's purple (dashed lines).
SPLIT_COLOURS = {"train": "#1A1A1A", "test": "#882E72"}

# the spectrum view's two matrices: the loss Hessian H (dark red) and the Gauss–Newton matrix G (the dark teal of
# the gauss-newton method, which steps with G); neither is a class hue nor a split colour
SPECTRUM_COLOURS = {"hessian": "#B2182B", "gauss_newton": "#01665E"}

# the line view's two directions through θ* (blue d₁, ochre d₂: apart for colour-blind eyes, neither a split colour)
# and the barrier between two runs' ends (near-black)
LINE_COLOURS = {"d1": "#2166AC", "d2": "#C98A00", "barrier": "#1A1A1A"}
