"""A CSV file read in a worker thread for the fit form: the window keeps drawing meanwhile, and of several
Opens only the latest one's rows are taken (a read that never ends holds nothing up)."""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from explorer.core.data import DataError, read_csv
from explorer.core.fit_scene import FitSetupError, csv_spec


class CsvReading(QObject):
    """`start(path)` reads in a thread; `read(spec, dataset, '')` or `read(None, None, message)` follows on the
    window's thread, for the latest start only."""

    read = Signal(object, object, str)
    _done = Signal(int, object, object, str)   # (which start, DataSpec, Dataset) or (which, None, None, message)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reading: str | None = None   # the name of the file being read, if any
        self._starts = 0
        self._done.connect(self._finished)

    def start(self, path: str) -> None:
        self.reading = Path(path).name
        self._starts += 1
        done, which = self._done, self._starts

        def work():
            try:
                dataset = read_csv(path)
                spec = csv_spec(dataset, Path(path).name)
                done.emit(which, spec, dataset, "")
            except (DataError, FitSetupError) as err:
                done.emit(which, None, None, str(err))
            except Exception as err:  # noqa: BLE001 - reported, never raised in a thread
                done.emit(which, None, None, f"cannot read {Path(path).name}: {type(err).__name__}: {err}")

        threading.Thread(target=work, name="csv", daemon=True).start()

    def _finished(self, which: int, spec, dataset, message: str) -> None:
        if which != self._starts:
            return   # an Open asked for later replaced this one
        self.reading = None
        self.read.emit(spec, dataset, message)
