"""A fit's parts of the window (explorer.ui.kinds.parts): the fit view beside the loss plot, the slice's
note over the map, and the Fit menu.

Fit menu: Data fit mode (Ctrl+D) · Open CSV… (Ctrl+Shift+O) · Suggest a model (Ctrl+Shift+M) · Others follow
the selected run (H) · New model fit (Ctrl+Shift+N) · Sweep a setting… (Ctrl+Shift+W) · Directions of the
map… (Ctrl+Shift+D). While the problem is a
fit the fit view takes the slice-along-the-step's place in the bottom row and gets the larger share of it;
for a model from the library (a network fit) the decision region and the metrics take it instead. The map's
title says where the parameters it does not show are held.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStackedWidget, QTabBar, QVBoxLayout, QWidget

from explorer.ui.views.drawing.view_card import card_on
from explorer.ui.views.plots.decision_view import DecisionView
from explorer.ui.views.plots.fit_view import FitView
from explorer.ui.kinds.model_views import MODEL_VIEWS

LOSS_SHARE = 0.36     # of the bottom row's width, beside the fit view
MODEL_LOSS_SHARE = 0.24   # beside a network's decision region and metrics (two views share the rest)
LOSS_MIN_PX = 304     # the loss plot at least: below lecture.presentation_layout.PANE_MIN's 300 px the window
                      # evens the row out at the next fit change
BOTTOM_SHARE = 0.4    # of the centre's height, for the loss plot and the fit view
MODEL_BOTTOM_SHARE = 0.48     # for a network's loss plot, decision region and metrics
PRESENTED_MODEL_SHARE = 0.46  # presentation's row under the views for a network's region and metrics
DECISION_STRETCH, METRICS_STRETCH = 4, 5   # the model pane's width: the region beside the metrics
TITLE_PT = 10
TAB_PT = 10
TAB_TIPS = {"metrics": "Train and test loss and a metric per step, and the confusion matrix",
            "spectrum": "The Hessian's eigenvalues at the step on show, beside the Gauss–Newton matrix's",
            "sharpness": "The Hessian's largest eigenvalue at each step against the stability bound 2/lr",
            "sensitivity": "How each output depends on each input: the input–output Jacobian and feature importance"}
HELP = ("A fit of data: the map and the 3D view show the mean loss over two trained parameters (the others held "
        "at the selected run's values, or at chosen ones) · the fit view draws the model over the data · Ctrl+D: "
        "Data fit mode · Ctrl+Shift+O: open a CSV file · Ctrl+Shift+M: suggest a model · H: the others follow "
        "the run · Ctrl+Shift+N: a new model fit (a network on moons, judged on test rows) · Ctrl+Shift+W: sweep "
        "a setting of a model fit over values and seeds · Ctrl+Shift+D: a model fit's map along chosen directions.")


class SliceNote:
    """A note in the map's top left corner, on a pale card: where the parameters off its axes are held.
    It lies over the map (a title would widen the plot past its pane) and wraps to the map's width."""

    MARGIN = 6

    def __init__(self, contour):
        self.contour = contour
        self.vb = vb = contour.getPlotItem().vb
        self.card, self.text = card_on(vb)
        vb.sigResized.connect(lambda *_: self._place())

    def show(self, text: str, avoid=None) -> None:
        """Show `text` (nothing when empty) in the top left corner, or the bottom left one when the point
        `avoid` (x, y on the map: the selected run's) is in the upper half."""
        self.avoid = avoid
        font = QFont("Sans")
        font.setPointSizeF(TITLE_PT * self.contour.text_scale)
        self.text.setFont(font)
        self.text.setPlainText(text)
        for item in (self.card, self.text):
            item.setVisible(bool(text))
        self._place()

    def _place(self) -> None:
        m = self.MARGIN
        self.text.setTextWidth(-1)
        self.text.setTextWidth(min(self.text.boundingRect().width(), max(80.0, self.vb.width() - 2 * m)))
        low = False
        if getattr(self, "avoid", None) is not None:
            at = self.vb.mapFromView(QPointF(*map(float, self.avoid)))
            low = at.y() < 0.5 * self.vb.height()
        self.text.setPos(m, self.vb.height() - m - self.text.boundingRect().height() if low else m)
        key = getattr(getattr(self.contour, "batch", None), "card", None)   # the arrows' key keeps the same edge
        if key is not None and key.isVisible() and self.text.isVisible():
            mine, theirs = self.text.mapRectToParent(self.text.boundingRect()), key.rect()
            if mine.intersects(theirs):   # stacked beside it, towards the map's middle
                self.text.setPos(m, theirs.top() - m / 2 - mine.height() if low else theirs.bottom() + m / 2)
        self.card.setRect(self.text.mapRectToParent(self.text.boundingRect()))

    def shown_text(self) -> str:
        return self.text.toPlainText() if self.text.isVisible() else ""


def held_point_on_map(controller):
    """Where the selected run is on the map (what the slice note keeps clear of), or None."""
    run = controller.selected_run()
    return None if run is None or controller.fit.spec is None else controller.plane(run.current.point)


class ModelPane(QWidget):
    """A network fit's pane: the decision region beside one of the model's views (ui.kinds.model_views: the
    metrics, the Hessian's spectrum, sharpness along the run, sensitivity), chosen by tabs; the scene keeps the
    choice (fit.view). (A plain widget, not a splitter: a splitter resets its maximum size from its children,
    so an export's fixed row height would not hold.)"""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.decision = DecisionView(controller)
        self.tabs = QTabBar()
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(False)   # every tab in sight: a narrow pane shortens their texts instead
        self.tabs.setElideMode(Qt.ElideRight)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 2px 6px; }")
        self.stack = QStackedWidget()
        self.views = {}
        for name, text, view_class in MODEL_VIEWS:
            view = view_class(controller)
            self.views[name] = view
            self.tabs.addTab(text)
            self.tabs.setTabToolTip(self.tabs.count() - 1, TAB_TIPS.get(name, text))
            self.stack.addWidget(view)
        self.metrics = self.views["metrics"]
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(2)
        side.addWidget(self.tabs)
        side.addWidget(self.stack, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.decision, DECISION_STRETCH)
        row.addLayout(side, METRICS_STRETCH)
        self.tabs.tabBarClicked.connect(self._clicked)
        controller.modelViewChanged.connect(self.show_view)
        controller.fitChanged.connect(self.show_view)
        self.show_view()

    def shown_view(self):
        return self.stack.currentWidget()

    def show_view(self) -> None:
        """The view the session names (fit.view) on show."""
        names = list(self.views)
        name = self.controller.model.view
        index = names.index(name) if name in names else 0
        with QSignalBlocker(self.tabs):
            self.tabs.setCurrentIndex(index)
        if self.stack.currentIndex() != index:
            self.stack.setCurrentIndex(index)
            self.stack.currentWidget().refresh()
        for k, view in enumerate(self.views.values()):   # a stack asks for its widest page: only the shown one counts
            policy = QSizePolicy.Preferred if k == index else QSizePolicy.Ignored
            view.setSizePolicy(policy, policy)
        self.stack.updateGeometry()

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.views) and not self.controller.model.show_view(list(self.views)[index]):
            self.show_view()   # refused or already on show: the tabs follow the session

    @property
    def text_scale(self) -> float:
        return self.decision.text_scale

    def refresh(self) -> None:
        self.decision.refresh()
        self.shown_view().refresh()

    def set_text_scale(self, scale: float) -> None:
        self.decision.set_text_scale(scale)
        font = self.tabs.font()
        font.setPointSizeF(TAB_PT * scale)
        self.tabs.setFont(font)
        for view in self.views.values():
            view.set_text_scale(scale)


def fit_pane(controller):
    """The pane an export draws for a fit: the model's for a network fit, else the fit view."""
    return ModelPane(controller) if controller.model.problem is not None else FitView(controller)


class FitParts:
    """The fit view (`pane`) in the bottom row, shown only for a typed fit, or the model pane (`model_pane`) for
    a network fit; the map's slice note (`note`); the Fit menu."""

    kind, help, pane_class, wants_room = "fit", HELP, staticmethod(fit_pane), True

    def __init__(self, window):
        self.window = window
        c = window.controller
        self.pane = FitView(c)
        self.model_pane = ModelPane(c)
        self.model_pane.setVisible(False)
        window.bottom.addWidget(self.model_pane)
        self.on = False
        self.note = SliceNote(window.contour)
        for signal in (c.expressionAccepted, c.fitChanged, c.pathsChanged, c.surfaceChanged):
            signal.connect(self.show_note)
        c.fitChanged.connect(self._pane_for_fit)

    @staticmethod
    def formula_head(controller) -> str:
        """'L(w, b) = mean over the 50 rows of (w·X + b − Y)²'."""
        from explorer.ui.text.fit_text import fit_equation_html
        problem = controller.fit.problem
        return fit_equation_html(controller.text, controller.fit.spec, problem.dataset.rows if problem else None)

    def shown_pane(self):
        """The pane on show while the problem is a fit: the model pane for a network, else the fit view."""
        return self.model_pane if self.window.controller.model.problem is not None else self.pane

    def _pane_for_fit(self) -> None:
        """A typed fit became a network fit or back: the other pane comes (nothing moves otherwise)."""
        if self.on and not self.shown_pane().isVisible():
            self.show(True)

    def show(self, on: bool) -> None:
        self.on = on
        shown = self.shown_pane()
        for pane in (self.pane, self.model_pane):
            pane.setVisible(on and pane is shown)
        if on:
            QTimer.singleShot(0, shown, self._share_space)
        self.show_note()

    def show_note(self, *_) -> None:
        c = self.window.controller
        self.note.show(c.fit.slice_text(), held_point_on_map(c))
        QTimer.singleShot(0, self.note.contour, self.note._place)   # again once the arrows' key has moved too

    def _share_space(self) -> None:
        window, view = self.window, self.shown_pane()
        row, centre = window.bottom, window.centre
        model = view is self.model_pane
        loss, bottom = (MODEL_LOSS_SHARE, MODEL_BOTTOM_SHARE) if model else (LOSS_SHARE, BOTTOM_SHARE)
        total = sum(row.sizes()) or 1240
        first = min(max(round(loss * total), LOSS_MIN_PX), total // 2)
        row.setSizes([first if k == 0 else total - first if row.widget(k) is view else 0
                      for k in range(row.count())])
        if window.presentation.active:   # its layout sets the row's height; a network's views want more
            bottom = PRESENTED_MODEL_SHARE if model else None
        if bottom is not None:
            height = sum(centre.sizes()) or 870
            centre.setSizes([round((1 - bottom) * height), round(bottom * height)])

    def set_text_scale(self, scale: float) -> None:
        """Presentation mode: the fit view's and the model pane's type and the map's slice note."""
        self.pane.set_text_scale(scale)
        self.model_pane.set_text_scale(scale)
        if self.on and self.model_pane.isVisible():   # presentation's row: the model's two views want the room
            QTimer.singleShot(0, self.model_pane, self._share_space)
        self.show_note()

    def open_sweep(self) -> bool:
        """The sweep dialog for the network fit on show (one at a time, kept open beside the window)."""
        from explorer.ui.panels.sweep_dialog import SweepDialog
        c = self.window.controller
        if c.model.problem is None:
            c.message.emit("A sweep needs a model fit: Fit → New model fit (Ctrl+Shift+N), or apply a model in "
                           "the fit form")
            return False
        if getattr(self, "sweep_dialog", None) is not None:
            self.sweep_dialog.close()
        self.sweep_dialog = SweepDialog(c, self.window)
        self.sweep_dialog.show()
        return True

    def open_directions(self) -> bool:
        """The form of the network map's plane (explorer.ui.panels.directions_dialog), one at a time."""
        from explorer.ui.panels.directions_dialog import DirectionsDialog
        c = self.window.controller
        if c.model.problem is None:
            c.message.emit("Directions of the map need a model fit: Fit → New model fit (Ctrl+Shift+N)")
            return False
        if getattr(self, "directions_dialog", None) is not None:
            self.directions_dialog.close()
        self.directions_dialog = DirectionsDialog(c, self.window)
        self.directions_dialog.show()
        return True

    def add_menu(self, window) -> None:
        """The Fit menu; its shortcuts work with the menu bar hidden (the window adds every menu's actions)."""
        c, form = window.controller, window.editor.fit_form
        menu = window.menuBar().addMenu("F&it")

        def in_fit(action):
            return lambda: (c.kind.has_rows or c.fit.start()) and action()

        items = (("&Data fit mode", "Ctrl+D", "Switch between a function and a fit of data (Ctrl+Z switches back)",
                  window.editor.toggle_kind),
                 ("&Open CSV data…", "Ctrl+Shift+O",
                  "Read a CSV file: a header of column names, then rows of numbers", in_fit(form.open_csv)),
                 ("&Suggest a model", "Ctrl+Shift+M", "Linear regression of Y on the other columns (logistic when Y "
                  "is 0 or 1), as text you can change", in_fit(form.suggest_model)))
        items += (("&New model fit", "Ctrl+Shift+N", "A small network (mlp:4:tanh) on the moons data, 30 % of "
                   "the rows held out as a test set: build your own in the fit form", lambda: c.model.start()),
                  ("S&weep a setting…", "Ctrl+Shift+W", "Train a model fit again for several values of one setting "
                   "(and seeds) in the background, and plot the final train and test metrics against it",
                   lambda: self.open_sweep()),
                  ("Di&rections of the map…", "Ctrl+Shift+D", "A model fit's map over a plane θ* + a·d₁ + b·d₂: "
                   "filter-normalised random directions, the Hessian's top eigenvectors, a run's principal "
                   "directions or the line between two runs' ends", lambda: self.open_directions()))
        for text, key, tip, slot in items:
            action = QAction(text, window, shortcut=QKeySequence(key))
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)
        self.follow_action = follow = QAction("Others &follow the selected run", window, checkable=True,
                                              shortcut=QKeySequence("H"))
        follow.setToolTip("Hold the parameters off the axes at the selected run's current values (the slice moves "
                          "with the run), or where they are now")
        follow.triggered.connect(lambda on: form.follow.setChecked(on))
        menu.addAction(follow)
        # the form's checkbox does the work (Space on a focused checkbox plays the runs: this is its key)
        self.residual_action = residual = QAction("Give the fit as &residuals r (loss = mean of r²)", window,
                                                  checkable=True, shortcut=QKeySequence("Ctrl+Shift+R"))
        residual.setToolTip("Type the residual r of one row, e.g. a*exp(b*X) - Y: the methods gauss-newton and "
                            "levenberg-marquardt step with its Jacobian J, and the inspector shows (2/n)·JᵀJ "
                            "beside H")
        residual.triggered.connect(lambda on: in_fit(lambda: form.residual.setChecked(on) or True)())
        menu.addAction(residual)

        def sync(*_):
            fit = c.fit.spec
            with QSignalBlocker(follow):
                follow.setEnabled(fit is not None and fit.dimension > 2)
                follow.setChecked(fit is not None and fit.held is None)
            with QSignalBlocker(residual):
                residual.setChecked(fit is not None and fit.residual)

        for signal in (c.fitChanged, c.expressionAccepted):
            signal.connect(sync)
        sync()
        menu.setToolTipsVisible(True)
