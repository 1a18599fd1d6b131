"""The window's CSV reader never stays stuck: a named pipe is refused at once, and a later Open CSV
replaces one still in progress (its rows, should they ever come, are not taken)."""
import os
import threading

from PySide6.QtCore import QCoreApplication

from tests.ui.fit_steps import to_fit_mode

GOOD = "height;weight\n1,5;50\n1,62;61\n1,8;79,5\n1,75;70\n"


def test_a_pipe_as_csv_is_refused_at_once_and_the_next_open_reads(qtbot, window, tmp_path):
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    pipe = tmp_path / "fifo.csv"
    os.mkfifo(pipe)   # opened for reading, it would wait for a writer for ever
    form.open_csv(str(pipe))
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    assert f"'{pipe}' is not a regular file (a named pipe), so not a CSV file" in form.error.text()
    good = tmp_path / "people.csv"
    good.write_text(GOOD, encoding="utf-8")
    form.open_csv(str(good))
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    assert c.fit.spec.data.source == "people.csv" and form.table.model.rowCount() == 4


def test_a_later_open_replaces_a_read_that_does_not_end(qtbot, window, tmp_path, monkeypatch):
    from explorer.ui.panels import csv_reading
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    slow, good = tmp_path / "slow.csv", tmp_path / "people.csv"
    slow.write_text("X,Y\n1,2\n3,4\n", encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    release, read = threading.Event(), csv_reading.read_csv

    def stuck_on_slow(path):   # as a file on a hung network share would
        if str(path) == str(slow):
            release.wait(30)
        return read(path)
    monkeypatch.setattr(csv_reading, "read_csv", stuck_on_slow)
    messages = []
    c.message.connect(messages.append)
    form.open_csv(str(slow))
    assert form.reading == "slow.csv"
    form.open_csv(str(good))
    assert "Reading people.csv instead of slow.csv" in messages
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    assert c.fit.spec.data.source == "people.csv"
    release.set()                                   # the first read ends after all: its rows are not taken
    qtbot.waitUntil(lambda: not any(t.name == "csv" for t in threading.enumerate()), timeout=5000)
    QCoreApplication.processEvents()                # its result, queued to the window, is delivered
    assert c.fit.spec.data.source == "people.csv" and form.table.model.rowCount() == 4
