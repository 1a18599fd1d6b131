"""How runs train, set from the window as a lecturer or a student would: a mini-batch size and seed typed in the
runs table (Ctrl+Z takes them back), a learning-rate schedule chosen in its dialog, a fit given as residuals
with the checkbox beside the loss, Gauss–Newton and Levenberg–Marquardt offered only then, and the inspector
setting (2/n)·JᵀJ beside the loss's Hessian."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from explorer.core.datasets import generate
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.core.schedules import CONSTANT
from explorer.ui.text.inspector_text import num
from explorer.ui.panels.runs_panel import BATCH, SCHEDULE, SEED, STATUS
from tests.ui.fit_steps import to_fit_mode


def messages_of(controller) -> list[str]:
    said = []
    controller.message.connect(said.append)
    return said


def test_batch_and_seed_typed_in_the_table_reach_the_run_and_undo_takes_them_back(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    table = window.runs_panel.table
    assert not table.isColumnHidden(BATCH) and not table.isColumnHidden(SEED)
    assert table.item(0, BATCH).text() == "all" and table.item(0, SEED).text() == "—"
    table.item(0, BATCH).setText("8")
    assert c.configs[0].batch == 8 and c.runs[0].batched and c.runs[0].optimizer.batches.size == 8
    table.item(0, SEED).setText("3")
    plan = c.runs[0].optimizer.batches
    assert (c.configs[0].seed, plan.seed) == (3, 3) and table.item(0, SEED).text() == "3"
    # 50 rows in batches of 8: 7 batches an epoch, so the step from state 7 is the first batch of the second
    for _ in range(7):
        qtbot.keyClick(window, Qt.Key_Right)
    assert c.runs[0].position == 7 and plan.per_epoch == 7
    assert "epoch 2, batch 1/7" in table.item(0, STATUS).text()
    assert "mini-batch 8, seed 3" in table.item(0, STATUS).toolTip()
    inspector = window.inspector.plain
    assert "mini-batch 8, seed 3" in inspector and "2, batch 1/7" in inspector
    c.undo()                                                       # the seed goes back first, then the batch
    assert (c.configs[0].batch, c.configs[0].seed) == (8, 0)
    c.undo()
    assert c.configs[0].batch is None and not c.runs[0].batched and table.item(0, BATCH).text() == "all"
    assert "epoch" not in table.item(0, STATUS).text()
    c.redo()
    assert c.configs[0].batch == 8
    c.add_run("newton")                                            # selects the new run
    said = messages_of(c)
    table.selectRow(0)                                             # choosing gd says how it trains
    assert c.selected == 0 and said[-1].startswith("gd: mini-batch 8, seed 0 — epoch")


def test_a_batch_of_every_row_or_more_is_the_full_batch_and_nonsense_is_refused_in_one_line(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    said = messages_of(c)
    table = window.runs_panel.table
    table.item(0, BATCH).setText("60")                             # more than the 50 rows
    assert c.configs[0].batch == 60 and not c.runs[0].batched
    assert table.item(0, BATCH).text() == "60 (all)" and "full batch" in table.item(0, BATCH).toolTip()
    table.item(0, BATCH).setText("1")                              # SGD
    assert c.runs[0].optimizer.batches.size == 1 and "SGD" in table.item(0, BATCH).toolTip()
    for typed in ("many", "2.5", "0", "inf"):
        table.item(0, BATCH).setText(typed)
        assert c.configs[0].batch == 1 and table.item(0, BATCH).text() == "1"   # refused: what holds is shown
        assert "\n" not in said[-1] and "batch" in said[-1]
    table.item(0, SEED).setText("-4")
    assert c.configs[0].seed == 0 and "seed" in said[-1] and table.item(0, SEED).text() == "0"
    table.item(0, BATCH).setText("all")
    assert c.configs[0].batch is None
    c.add_run("newton")                                            # a second-order method uses every row
    assert not table.item(1, BATCH).flags() & Qt.ItemIsEditable
    assert "uses every row" in table.item(1, BATCH).toolTip()


def choose_in_dialog(qtbot, panel, row, name, settings, warmup):
    panel.edit_schedule(row)
    dialog = panel.schedule_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setCurrentText(name)
    for key, text in settings.items():
        dialog.boxes[key].setText(text)
    dialog.warmup.setValue(warmup)
    return dialog


def test_the_schedule_dialog_sets_a_run_schedule_and_refuses_a_bad_setting_before_ok(qtbot, window):
    c = window.controller
    panel, table = window.runs_panel, window.runs_panel.table
    assert table.isColumnHidden(BATCH) and not table.isColumnHidden(SCHEDULE)   # a surface: no rows to batch
    assert table.item(0, SCHEDULE).text() == "constant"
    dialog = choose_in_dialog(qtbot, panel, 0, "step", {"drop": "2", "every": "10"}, 5)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled() and "drop" in dialog.error.text()    # a drop above 1 would raise the rate
    dialog.boxes["drop"].setText("0.5")
    assert ok.isEnabled() and dialog.error.text() == ""
    qtbot.mouseClick(ok, Qt.LeftButton)
    schedule = c.configs[0].schedule
    assert (schedule.name, schedule.values, schedule.warmup) == ("step", {"drop": 0.5, "every": 10.0}, 5)
    assert table.item(0, SCHEDULE).text() == "step (drop 0.5, every 10), warm-up 5"
    run = c.runs[0]
    for t in (0, 3, 4, 9, 10, 25):                                 # lr₀·drop^⌊t/every⌋, warmed up over 5 steps
        assert run.lr_of_step(t) == pytest.approx(1e-3 * 0.5 ** (t // 10) * min(1, (t + 1) / 5), rel=1e-12)
    c.select(0)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key_Right)
    assert "lr now      0.0008" in window.inspector.plain          # step 3 takes 4/5 of lr₀ = 0.001
    dialog = choose_in_dialog(qtbot, panel, 0, "cosine", {"period": "50"}, 0)
    dialog.reject()                                                # Cancel changes nothing
    assert c.configs[0].schedule == schedule
    c.undo()
    assert c.configs[0].schedule == CONSTANT and table.item(0, SCHEDULE).text() == "constant"
    said = messages_of(c)
    panel.edit_schedule(1)                                         # newton has no learning rate
    assert panel.schedule_dialog is None and said[-1].startswith("newton has no learning rate to schedule")


def test_return_on_the_schedule_cell_opens_the_dialog(qtbot, window):
    panel, table = window.runs_panel, window.runs_panel.table
    table.setFocus()
    table.setCurrentCell(0, SCHEDULE)
    qtbot.keyClick(table, Qt.Key_Return)
    assert panel.schedule_dialog is not None and panel.schedule_dialog.isVisible()
    qtbot.keyClick(panel.schedule_dialog, Qt.Key_Escape)
    assert panel.schedule_dialog is None and window.controller.configs[0].schedule == CONSTANT


def test_gauss_newton_and_levenberg_marquardt_are_listed_only_for_a_fit_given_as_residuals(qtbot, window):
    c = window.controller
    actions, hint = window.runs_panel.method_actions, window.runs_panel.least_squares_hint
    least_squares = ("gauss-newton", "levenberg-marquardt")
    general = ("gd", "momentum", "nesterov", "rmsprop", "adam", "newton", "damped-newton", "bfgs", "cg")
    assert all(not actions[m].isVisible() for m in least_squares) and not hint.isVisible()   # a surface
    assert all(actions[m].isVisible() and actions[m].isEnabled() for m in general)
    to_fit_mode(qtbot, window)
    assert all(not actions[m].isVisible() for m in least_squares) and hint.isVisible()       # a loss
    window.editor.fit_form.residual.setChecked(True)
    assert c.fit.spec.residual
    assert all(actions[m].isVisible() and actions[m].isEnabled() for m in least_squares) and not hint.isVisible()
    assert all(actions[m].isVisible() and actions[m].isEnabled() for m in general)
    actions["gauss-newton"].trigger()
    assert [r.method for r in c.configs] == ["gd", "gauss-newton"]
    said = messages_of(c)
    window.editor.fit_form.residual.setChecked(False)              # back to a loss: Gauss–Newton cannot stay
    assert [r.method for r in c.configs] == ["gd"] and "gauss-newton" in said[-1] and "Ctrl+Z" in said[-1]
    assert not actions["gauss-newton"].isVisible()
    c.undo()
    assert [r.method for r in c.configs] == ["gd", "gauss-newton"] and c.fit.spec.residual


def test_the_residual_checkbox_gives_the_same_fit_as_residuals_and_a_refusal_shows_in_the_form(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    label = form.form.labelForField(form.loss)
    value = c.runs[0].current.value
    assert form.loss.text() == "(w*X + b - Y)^2" and label.text() == "loss" and not form.residual.isChecked()
    qtbot.mouseClick(form.residual, Qt.LeftButton)
    assert c.fit.spec.residual and c.text == "w*X + b - Y" and form.loss.text() == "w*X + b - Y"
    assert label.text() == "residual r"
    assert c.runs[0].current.value == pytest.approx(value, rel=1e-12)   # (r)² averaged: the same landscape
    form.loss.setText("w*X + - ")                                  # typed, not yet applied
    form.residual.setChecked(False)
    assert c.fit.spec.residual and form.residual.isChecked()            # refused: the fit stays as it was
    assert form.error.text().startswith("⚠ ") and "last good fit" in form.error.text()
    form.loss.setText("w*X + b - Y")
    form.residual.setChecked(False)
    assert not c.fit.spec.residual and c.text == "(w*X + b - Y)^2" and form.error.text() == ""
    assert label.text() == "loss"
    c.undo()
    assert c.fit.spec.residual and form.residual.isChecked() and form.loss.text() == "w*X + b - Y"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier | Qt.ShiftModifier)   # from the keyboard
    assert not c.fit.spec.residual and not form.residual.isChecked() and not c.playing


def test_the_inspector_shows_gauss_newton_equal_to_the_hessian_on_a_linear_model(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    window.editor.fit_form.residual.setChecked(True)
    reading = c.training.gauss_newton_reading()
    d = generate("line", 0)
    x, n = d.column("X"), d.rows
    by_hand = (2 / n) * np.array([[x @ x, x.sum()], [x.sum(), n]])   # r = w·X + b − Y: J = [X, 1]
    assert reading.matrix == pytest.approx(by_hand, rel=1e-12)
    assert reading.hessian == pytest.approx(by_hand, rel=1e-9)
    assert np.max(np.abs(reading.dropped)) <= 1e-9 * np.max(np.abs(by_hand)) and reading.relative < 1e-9
    lines = window.inspector.plain.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("GN "))
    shown = [[float(v) for v in line[12:].strip(" []").split()] for line in lines[at:at + 2]]
    assert shown == pytest.approx(by_hand, rel=1e-5)               # six digits on screen
    dropped = next(k for k, line in enumerate(lines) if line.startswith("H − GN"))
    assert [[float(v) for v in line[12:].strip(" []").split()] for line in lines[dropped:dropped + 2]] == \
        [[0, 0], [0, 0]]                                           # the dropped term: nothing but rounding
    assert any("term it drops" in line for line in lines[at:])


def test_the_inspector_shows_the_dropped_term_on_the_exponential_model(qtbot, window):
    c = window.controller
    window.scenes.show_scene(load_scene(find_preset("gauss-newton-growth")))
    assert c.wait_for_surface() and c.fit.spec.residual
    c.select(0)
    a, b = c.runs[0].current.point
    assert (a, b) == (3.5, 0.0) and c.runs[0].method == "gauss-newton"   # the preset's start
    d = generate("growth", 0)
    x, y, n = d.column("X"), d.column("Y"), d.rows
    e = np.exp(b * x)
    r = a * e - y
    jac = np.column_stack([e, a * x * e])                          # ∂r/∂a, ∂r/∂b
    second = np.array([[0 * r, x * e], [x * e, a * x * x * e]])    # ∇²rᵢ, row by row
    dropped = (2 / n) * np.einsum("i,jki->jk", r, second)          # (2/n)·Σ rᵢ∇²rᵢ
    reading = c.training.gauss_newton_reading()
    assert reading.matrix == pytest.approx((2 / n) * jac.T @ jac, rel=1e-10)
    assert reading.dropped == pytest.approx(dropped, rel=1e-6, abs=1e-9)
    assert abs(dropped[1, 1]) > 1 and reading.relative > 0.1       # far from zero: a nonlinear model
    text = window.inspector.plain
    assert "H − GN" in text and num(reading.dropped[1, 1]) in text
    assert f"λ of GN     {num(reading.eigenvalues[0])}, {num(reading.eigenvalues[1])}" in text
    assert np.min(np.linalg.eigvalsh(reading.hessian)) < 0 < np.min(np.linalg.eigvalsh(reading.matrix))
