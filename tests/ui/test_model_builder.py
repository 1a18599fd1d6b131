"""The model builder: what it sends (one set_network with everything it holds), penalties that cannot go
negative and step by their decade, and a refusal shown as one line under the row at fault."""
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from explorer.ui.panels.model_builder import ModelBuilder, widths_of


class Sent:
    def __init__(self, accept=True):
        self.calls, self.accept = [], accept
        self.problem = None

    def set_network(self, **values):
        self.calls.append(values)
        return self.accept


class Controller(QObject):
    fitChanged = Signal()
    expressionAccepted = Signal(str)
    fitFailed = Signal(str, str)

    def __init__(self, accept=True):
        super().__init__()
        self.model = Sent(accept)
        self.fit = SimpleNamespace(spec=None)


@pytest.fixture
def builder(qtbot):
    c = Controller()
    b = ModelBuilder(c)
    qtbot.addWidget(b)
    b.show()
    qtbot.waitExposed(b)
    return b


def test_apply_sends_the_model_its_data_and_split_as_one_command(builder, qtbot):
    b = builder
    b.source.setCurrentText("moons")
    b._source_chosen()
    b.rows.setValue(150)
    b.noise.setValue(0.25)
    b.seed.setValue(3)
    b.kind.setCurrentText("mlp")
    b.widths.setText("16, 8")
    b.activation.setCurrentText("relu")
    b.l2.setValue(0.01)
    b.init_seed.setValue(7)
    b.test_fraction.setValue(0.3)
    b.split_seed.setValue(2)
    b.standardise.setChecked(True)
    b.features.setText("X1, X2")
    qtbot.keyClick(b.widths, Qt.Key_Return)   # Enter in a box applies
    (sent,) = b.controller.model.calls
    assert sent == {"network": {"model": "mlp:16,8:relu", "l2": 0.01, "l1": 0.0, "init_seed": 7,
                                "test_fraction": 0.3, "split_seed": 2, "standardise": True},
                    "data": {"dataset": "moons", "seed": 3, "rows": 150, "noise": 0.25},
                    "target": None, "features": ("X1", "X2")}


def test_penalties_cannot_go_negative_and_step_within_their_decade(builder, qtbot):
    b = builder
    b.l2.setValue(-1.0)
    assert b.l2.value() == 0.0
    b.l2.setValue(0.001)
    b.l2.stepBy(1)
    assert b.l2.value() == pytest.approx(0.0011)   # a tenth of its decade, not 1
    b.l1.stepBy(-1)
    assert b.l1.value() == 0.0


def test_linear_logistic_and_softmax_have_no_hidden_layers(builder):
    b = builder
    for kind in ("linear", "logistic", "softmax"):
        b.kind.setCurrentText(kind)
        assert b.model_text() == kind and not b.widths.isEnabled() and not b.activation.isEnabled()
    b.kind.setCurrentText("mlp")
    assert b.widths.isEnabled() and b.activation.isEnabled()


def test_a_bad_width_is_one_line_under_the_model_row_and_nothing_is_sent(builder):
    b = builder
    b.kind.setCurrentText("mlp")
    b.widths.setText("16, 0")
    assert not b.apply()
    assert b.controller.model.calls == []
    assert "not '0'" in b.errors["widths"].text() and b.errors["widths"].isVisible()
    assert "border" in b.widths.styleSheet()
    assert sum(label.isVisible() for label in b.errors.values()) == 1
    with pytest.raises(ValueError):
        widths_of("4, x")


def test_a_refusal_from_the_session_goes_under_its_row_and_clears_when_accepted(builder):
    b = builder
    b.controller.fitFailed.emit("l2", "the L2 strength must be a finite number >= 0")
    assert b.errors["l2"].isVisible() and "L2 strength" in b.errors["l2"].text()
    assert "border" in b.l2.styleSheet() and b.l1.styleSheet() == ""
    b.controller.fitFailed.emit("split", "the split does not share the data's rows")
    assert not b.errors["l2"].isVisible() and b.errors["test_fraction"].isVisible()
    b.controller.fitFailed.emit("", "")
    assert b.error_text() == ""


def test_every_control_has_a_tooltip(builder):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit
    from PySide6.QtWidgets import QWidget
    controls = [w for w in builder.findChildren(QWidget)
                if isinstance(w, (QComboBox, QLineEdit, QAbstractSpinBox, QAbstractButton))
                and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]
    assert len(controls) >= 15
    assert all(w.toolTip() for w in controls), [type(w).__name__ for w in controls if not w.toolTip()]
