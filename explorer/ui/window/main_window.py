"""The main window: panels around the 3D view and the contour map, menus and keyboard shortcuts."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QMainWindow, QMenu, QMessageBox, QScrollArea, QSplitter, QVBoxLayout,
                               QWidget)

from explorer import __version__
from explorer.ui.views.map.basins_overlay import add_basins_action
from explorer.ui.views.map.contour_view import ContourView
from explorer.ui.views.plots.stability_view import StabilityPanel
from explorer.ui.control.controller import Controller
from explorer.ui.panels.display_bar import DisplayBar
from explorer.ui.panels.editor_panel import EditorPanel
from explorer.ui.export.dialog import export_from_window
from explorer.ui.kinds.parts import install_parts
from explorer.ui.panels.inspector_panel import InspectorPanel
from explorer.ui.panels.point_calculator import add_point_calculator_action
from explorer.ui.views.plots.loss_plot import LossPlot
from explorer.ui.window.paint_once import paint_once_a_turn
from explorer.ui.panels.parameter_row import ParameterSliders
from explorer.ui.views.plots.lr_plot import LrPlot
from explorer.ui.lecture.presentation_layout import PANE_MIN, no_pane_squeezed
from explorer.ui.lecture.labels import Caption, FormulaLabel, NoteLabel, header_row
from explorer.ui.lecture.presentation import Presentation, add_lecture_menu
from explorer.ui.panels.runs_panel import RunsPanel
from explorer.ui.panels.run_sliders import RunSliders
from explorer.ui.window.scene_actions import SceneActions
from explorer.ui.views.surface.surface_placeholder import surface_view
from explorer.ui.window.window_placement import open_on_screen, remember_size


LEFT_MIN_WIDTH = 330    # with the inspector and two views, the window fits a 1024×768 projector
LEFT_WIDTH = (0.24, 380)   # the left panel's share of a narrow window sized by the program, and its most
VIEW_MIN = (220, 200)
LOSS_MIN_PX = 120      # the loss plot with its axes, in the window: never squeezed to a line by its legend and the lr plot
LR_SHARE = 0.3         # of the loss column's height, for the lr plot while a run takes a schedule
INSPECTOR_FROM_WIDTH = 1200   # a narrower window shows the inspector only when asked (View → Inspector)


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller | None = None):
        super().__init__()
        self.setWindowTitle("Landscape Explorer")
        self.setFocusPolicy(Qt.StrongFocus)  # so the editor can hand the keyboard back to the window
        self.controller = c = controller or Controller(self)
        self.editor = EditorPanel(c)
        self.runs_panel = RunsPanel(c)
        self.inspector = InspectorPanel(c)
        self.surface = surface_view(c)   # a note instead where OpenGL cannot start
        self.contour = ContourView(c)
        self.loss = LossPlot(c)
        self.loss.plot.setMinimumHeight(LOSS_MIN_PX)
        self.lr_plot = LrPlot(c)
        self.stability = StabilityPanel(c)
        self.display_bar = DisplayBar(c)
        self.caption = Caption(c)
        self.formula = FormulaLabel(c)
        self.note = NoteLabel(c)
        self.parameter_bar = ParameterSliders(c, offered=False)   # presentation mode's sliders, under the formula
        # presentation mode's row of the selected run's settings; the runs panel's sweep drives both
        self.run_bar = RunSliders(c, sweep=self.runs_panel.sliders.sweep, compact=True, offered=False)
        self.presentation = Presentation(self)

        # the editor (a fit's form is tall) scrolls; the runs, Step, Play and the timeline stay in view below it
        self.editor_scroll = scroll = QScrollArea()
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        self.left_panel = left = QSplitter(Qt.Vertical)
        left.addWidget(scroll)
        left.addWidget(self.runs_panel)
        left.setCollapsible(1, False)
        left.setStretchFactor(0, 1)
        left.setMinimumWidth(LEFT_MIN_WIDTH)

        views = QSplitter(Qt.Horizontal)
        views.addWidget(self.surface)
        views.addWidget(self.contour)
        views.setSizes([520, 520])   # the true-scale map needs as much width as the 3D view
        self.centre = centre = QSplitter(Qt.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        # presentation mode shows the formula beside the legend, the note and the caption above the views
        top_layout.addWidget(header_row(self.formula, self.display_bar))
        top_layout.addWidget(self.parameter_bar)
        top_layout.addWidget(self.run_bar)
        top_layout.addWidget(self.note)
        top_layout.addWidget(self.caption)
        top_layout.addWidget(views, 1)
        centre.addWidget(top)
        self.bottom = bottom = QSplitter(Qt.Horizontal)   # f per iteration beside f along the current step
        self.loss_column = column = QSplitter(Qt.Vertical)   # under f per iteration, lr per step (schedules)
        column.addWidget(self.loss)
        column.addWidget(self.lr_plot)
        column.setCollapsible(0, False)
        bottom.addWidget(column)
        # each kind's parts: its pane beside the loss plot (f along the step, a field's lens, a fit's data view)
        self.parts = install_parts(self)
        self.slice = self.parts["surface"].pane
        bottom.setSizes([620, 620] + [0] * (bottom.count() - 2))
        self._kind_shown = None
        for signal in (c.expressionAccepted, c.fitChanged):   # the slice back after a field's or a fit's pane
            signal.connect(self.show_kind)
            signal.connect(lambda *_: no_pane_squeezed(bottom, PANE_MIN.width()))
        self.show_kind()
        centre.addWidget(bottom)
        centre.setSizes([600, 270])
        self.main = main = QSplitter(Qt.Horizontal)
        main.addWidget(left)
        main.addWidget(centre)
        self.right = right = QSplitter(Qt.Vertical)   # the inspector; below it, while f is a quadratic and a
        right.addWidget(self.inspector)               # gd or momentum run is selected, its stability map
        right.addWidget(self.stability)
        right.setSizes([380, 520])
        self.stability.relevanceChanged.connect(self.update_right_column)
        main.addWidget(right)
        main.setSizes([380, 1250, 330])
        main.setStretchFactor(1, 1)
        main.setCollapsible(1, False)   # the views never vanish; the side panels may be dragged shut
        self.fit_small_screens()
        self.setCentralWidget(main)
        self._menus()
        c.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._lr_shown = None
        c.runsChanged.connect(self.update_lr_plot)
        self.update_lr_plot()
        open_on_screen(self, remembered=False)   # the program's start (explorer.ui.app) adds the size last used
        paint_once_a_turn(self)   # a change to several plots: one paint of the window, not one each

    def show_kind(self, *_) -> None:
        """The parts of the kind on show are seen (its pane in the bottom row), the others' are not."""
        kind = self.controller.kind.name
        if kind == self._kind_shown:
            return
        self._kind_shown = kind
        for name, parts in sorted(self.parts.items(), key=lambda item: item[0] == kind):   # away first, then on
            parts.show(name == kind)

    def fit_small_screens(self) -> None:
        """Minimum sizes that fit 1024×768: views and inspector may be narrower than their own defaults."""
        for view in (self.surface, self.contour):
            view.setMinimumSize(*VIEW_MIN)
        self.inspector.setMinimumWidth(180)
        self._inspector_auto = True   # until the person chooses, the window's width decides

    def resize(self, *size) -> None:
        """The inspector's rule applies before Qt holds the window to the minimum width the inspector needs."""
        width = size[0].width() if len(size) == 1 else size[0]
        if self._inspector_auto and not self.presentation.active:
            self._show_inspector(width >= INSPECTOR_FROM_WIDTH)
            QApplication.sendPostedEvents(None, QEvent.LayoutRequest)   # the splitters drop the inspector's
            self.layout().activate()                                     # width before Qt clamps to it
        super().resize(*size)
        self._share_width(width)

    def _share_width(self, width: int) -> None:
        """The left panel's width for a narrow window the program sizes (1024 wide: the views get the rest)."""
        sizes = self.main.sizes()
        share, most = LEFT_WIDTH
        left = max(LEFT_MIN_WIDTH, min(most, round(share * width)))
        if width < INSPECTOR_FROM_WIDTH and sum(sizes) and sizes[0] > left:
            self.main.setSizes([left, sizes[1] + sizes[0] - left, *sizes[2:]])

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.presentation.arrange()   # presentation mode lays its panes out by the room there is
        if self._inspector_auto and not self.presentation.active:
            self._show_inspector(self.width() >= INSPECTOR_FROM_WIDTH)

    def update_right_column(self, *_) -> None:
        """The right column shows while it holds something: the inspector, or the stability map."""
        if self.presentation.active:
            self.presentation.arrange()   # the stability map only where there is room (or V asks)
            return
        self.right.setVisible(not self.inspector.isHidden() or self.stability.relevant())

    def update_lr_plot(self, *_) -> None:
        """The lr plot under the loss plot while some run takes a schedule; the loss plot has it all otherwise."""
        shown = self.lr_plot.relevant()
        if shown == self._lr_shown:
            return
        self._lr_shown = shown
        self.lr_plot.setVisible(shown)
        if shown:
            total = sum(self.loss_column.sizes()) or 300
            self.loss_column.setSizes([round((1 - LR_SHARE) * total), round(LR_SHARE * total)])

    def _show_inspector(self, shown: bool) -> None:
        self.inspector.setVisible(shown)
        self.update_right_column()
        with QSignalBlocker(self.inspector_action):
            self.inspector_action.setChecked(shown)

    def _inspector_chosen(self, shown: bool) -> None:
        self._inspector_auto = False
        self._show_inspector(shown)

    def _menus(self):
        c = self.controller
        self.scenes = SceneActions(self)
        self.editor.lectureChosen.connect(lambda scene: self.scenes.show_scene(scene, f"Load {scene.title}"))
        c.cameraChanged.connect(self.surface.set_camera)
        for text, key, picture in (("&Export picture…", QKeySequence("Ctrl+E"), True),
                                   ("Export &animation…", QKeySequence("Ctrl+Shift+E"), False)):
            action = QAction(text, self, shortcut=key)
            action.triggered.connect(lambda _=False, p=picture: export_from_window(self, p))
            self.scenes.file_menu.addAction(action)
        self.scenes.file_menu.addSeparator()
        self.scenes.file_menu.addAction(QAction("&Quit", self, shortcut=QKeySequence.Quit, triggered=self.close))
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("&Undo", self, shortcut=QKeySequence.Undo)
        self.undo_action.triggered.connect(lambda: c.undo())
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(lambda: c.redo())
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
            self.addAction(action)
        c.historyChanged.connect(self._show_history)
        self._show_history()
        run_menu = self.menuBar().addMenu("&Run")
        # PageDown / PageUp: what a presentation clicker sends
        for text, keys, slot in (("&Step forward", (Qt.Key_Right, Qt.Key_PageDown), c.step),
                                 ("Step &back", (Qt.Key_Left, Qt.Key_PageUp), c.back),
                                 ("&Play / Pause", (Qt.Key_Space,), c.toggle_play), ("&Reset", (Qt.Key_R,), c.reset),
                                 ("To step &0", (Qt.Key_Home,), c.reset), ("To the &end", (Qt.Key_End,), c.to_end)):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False, s=slot: s())
            run_menu.addAction(action)
            self.addAction(action)
        self.basins, self.basins_action = add_basins_action(self, run_menu)
        self.point_calculator, self.point_calculator_action = add_point_calculator_action(self, run_menu)
        view_menu = self.menuBar().addMenu("&View")
        for text, keys, slot in (("&Presentation mode", [QKeySequence(Qt.Key_F11)], self.presentation.toggle),
                                 ("Leave presentation", [QKeySequence(Qt.Key_Escape)], self._escape),
                                 ("Lecture &note in presentation", [QKeySequence(Qt.Key_N)],
                                  self.presentation.toggle_note),
                                 ("Stability map for the 3D view in presentation", [QKeySequence(Qt.Key_V)],
                                  self.presentation.swap_stability),
                                 ("&Animate the selected run's setting", [QKeySequence(Qt.Key_A)],
                                  self.animate)):
            action = QAction(text, self)
            action.setShortcuts(keys)
            action.triggered.connect(lambda _=False, s=slot: s())
            view_menu.addAction(action)
            self.addAction(action)  # still reachable with the menu bar hidden
        self.inspector_action = QAction("&Inspector", self, checkable=True, checked=True,
                                        shortcut=QKeySequence("Ctrl+I"))
        self.inspector_action.toggled.connect(self._inspector_chosen)
        view_menu.addAction(self.inspector_action)
        view_menu.addAction(self.contour.true_scale_action)
        view_menu.addSeparator()
        for text, key, slot in (("&Frame the surface", "F", self.surface.frame_surface),
                                ("Reset the 3D &view", "Shift+F", self.surface.reset_camera),
                                ("Fit the domain to the &runs", "Ctrl+Shift+F", c.fit_to_runs)):
            action = QAction(text, self, shortcut=QKeySequence(key))
            action.triggered.connect(lambda _=False, s=slot: s())
            view_menu.addAction(action)
        for parts in self.parts.values():
            parts.add_menu(self)
        add_lecture_menu(self)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(QAction("&Keyboard and mouse", self, triggered=self._help))
        for menu in self.menuBar().findChildren(QMenu):
            self.addActions(menu.actions())   # shortcuts keep working with the menu bar hidden (full screen)
        self.surface.notesChanged.connect(lambda notes: notes and self.statusBar().showMessage("; ".join(notes), 8000))

    def _show_history(self):
        history = self.controller.session.history
        for action, verb, name in ((self.undo_action, "Undo", history.undo_name()),
                                   (self.redo_action, "Redo", history.redo_name())):
            action.setEnabled(name is not None)
            action.setText(f"&{verb} {name}" if name else f"&{verb}")

    def _escape(self):
        """Esc leaves presentation mode; otherwise it hands the keyboard back to the runs."""
        if self.presentation.active:
            self.presentation.leave()
        else:
            self.setFocus()

    def animate(self) -> None:
        """A: sweep the selected run's setting last touched (its ▶), or stop the sweep; in presentation too."""
        sliders = self.run_bar if self.presentation.active else self.runs_panel.sliders
        sliders.toggle_animation()

    def side_panels(self):
        """What presentation mode hides (the display bar keeps its legend: presentation hides its controls)."""
        return (self.left_panel, self.inspector)

    def _help(self):
        QMessageBox.information(self, "Keyboard and mouse", (
            "Right or PageDown: step · Left or PageUp: back · Space: play/pause · R or Home: step 0 · "
            "End: the last step\n"
            "Ctrl+Z: undo · Ctrl+Shift+Z or Ctrl+Y: redo\n"
            "F11: presentation mode (full screen, large type) · Esc: leave it · N: the lecture note on or off · "
            "V: on a small screen, the stability map in the 3D view's place and back\n"
            "A: sweep the selected run's setting (its ▶ beside the slider) across its range and back; A stops it\n"
            "Ctrl+PageDown / Ctrl+PageUp: the next / previous lecture preset · Ctrl+L: choose one\n"
            "Keys typed in the function editor stay there: Return or Esc hands the keyboard back to the runs.\n"
            "Click the contour map: the selected run starts there · Shift+click: every run starts there · "
            "drag the selected run's start (+) and its path follows.\n"
            "Double-click a run's start or settings to type them.\n"
            "Drag the 3D view to orbit, wheel to zoom; F frames the surface, Shift+F resets the view.\n"
            "Wheel over the map zooms, drag pans; right-click it for View All and the level labels.\n"
            "Ctrl+Shift+P: the point calculator, g of any variables you name and its gradient and Hessian at a point.\n"
            "Ctrl+Shift+X: the selected run's method state on the map · Ctrl+Shift+T: the tangent plane in 3D.\n"
            + "".join(f"{parts.help}\n" for parts in self.parts.values() if parts.help) + "\n"
            f"Landscape Explorer {__version__}"))

    def closeEvent(self, event):
        if not self.presentation.active:
            remember_size(self)   # for the next start on this screen
        self.presentation.leave()   # the application's font goes back to normal with it
        self.run_bar.sweep.stop()   # no setting swept into a closing window
        self.scenes.autosave()
        self.controller.shutdown()
        self.surface.teardown()
        super().closeEvent(event)
