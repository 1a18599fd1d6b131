"""The views a network fit's model pane offers beside the decision region, one on show at a time (tabs).

Each entry: (name, tab text, view class). The name is the scene's "fit.view" (core.model_scene.MODEL_VIEW_NAMES);
a view class is a QWidget made as View(controller) with `refresh()`, `set_text_scale(scale)` and `text_scale`,
which reads the session through the controller and does nothing costly while hidden.
"""
from __future__ import annotations

from explorer.ui.views.plots.line_view import LineView
from explorer.ui.views.plots.metrics_view import MetricsView
from explorer.ui.views.plots.sensitivity_view import SensitivityView
from explorer.ui.views.plots.sharpness_view import SharpnessView
from explorer.ui.views.plots.spectrum_view import SpectrumView

MODEL_VIEWS: list[tuple[str, str, type]] = [
    ("metrics", "Metrics", MetricsView),
    ("spectrum", "Spectrum", SpectrumView),
    ("sharpness", "Sharpness", SharpnessView),
    ("sensitivity", "Sensitivity", SensitivityView),
    ("line", "Line", LineView),
]
