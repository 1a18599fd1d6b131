"""Datasets: named numeric columns, read from CSV files or generated; standardising columns.

A dataset is a table of float64 values, one column per name; the names are what a loss uses
(`(w*X + b - Y)^2`), so each is a valid expression name: letters, digits and '_', starting with a
letter, not a function's name (exp, log, ...), a constant (pi, e) or a Python keyword.

CSV files: the first non-empty line names the columns; every other non-empty line is a row of
numbers. UTF-8 with or without a byte-order mark; cells separated by commas, or by semicolons
(then a decimal comma, 1,5, is read as 1.5). Cells may be quoted. Blank lines are skipped but still
counted, so line numbers are those an editor shows (the header is line 1). A bad file is refused
with one line naming the line and the column; nothing is half-loaded.
"""
from __future__ import annotations

import csv
import io
import keyword
import os
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from explorer.core.expression_checker import CONSTANTS, FUNCTIONS
from explorer.core.reading import ReadError, read_regular

MAX_FILE_BYTES = 16 * 2**20   # a CSV file larger than this is refused before it is read (core.reading)
MAX_ROWS = 100_000
MAX_COLUMNS = 64
MAX_NAME_LENGTH = 40

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
# a decimal number as people write it in data files: 3, -2.5, .5, 1e-3 (no nan, inf, 1_000 or 0x1f)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?\Z")


class DataError(ValueError):
    """Bad data: str() is one line saying what is wrong and where (file, line, column)."""


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a column or a trained parameter, or None when it can."""
    if not name:
        return "a name is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"'{_short(name)}' is too long for a name (at most {MAX_NAME_LENGTH} characters)"
    if not NAME.match(name):
        return f"'{_short(name)}' is not a valid name (use letters, digits and '_', starting with a letter)"
    if name in FUNCTIONS:
        return f"'{name}' is the name of a function"
    if name in CONSTANTS:
        return f"'{name}' is the name of a constant"
    if keyword.iskeyword(name):
        return f"'{name}' is a reserved word"
    return None


@dataclass(frozen=True, eq=False)
class Dataset:
    """A table: `values[i, k]` is row i of the column `columns[k]`. Read-only."""

    name: str
    columns: tuple[str, ...]
    values: np.ndarray
    description: str = ""

    def __post_init__(self):
        values = np.array(self.values, dtype=float)   # a private copy, then frozen
        columns = tuple(self.columns)
        if values.ndim != 2 or values.shape[1] != len(columns):
            raise DataError(f"{self.name}: {len(columns)} column names for values of shape {values.shape}")
        if values.shape[0] == 0:
            raise DataError(f"{self.name}: there are no rows of data")
        for k, column in enumerate(columns):
            problem = name_problem(column)
            if problem:
                raise DataError(f"{self.name}: column {k + 1}: {problem}")
            if column in columns[:k]:
                raise DataError(f"{self.name}: column {k + 1}: '{column}' names two columns")
        if not np.all(np.isfinite(values)):
            row, k = np.argwhere(~np.isfinite(values))[0]
            raise DataError(f"{self.name}: row {row + 1}, column '{columns[k]}': not a finite number")
        values.flags.writeable = False
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "columns", columns)

    @classmethod
    def from_columns(cls, name: str, columns: Mapping[str, Sequence[float]], description: str = "") -> "Dataset":
        """A dataset from {name: values}, columns in the mapping's order."""
        names = tuple(columns)
        arrays = [np.asarray(columns[n], dtype=float).reshape(-1) for n in names]
        if len({a.size for a in arrays}) > 1:
            raise DataError(f"{name}: the columns have different lengths")
        return cls(name, names, np.column_stack(arrays) if arrays else np.empty((0, 0)), description)

    @property
    def rows(self) -> int:
        return int(self.values.shape[0])

    def __len__(self) -> int:
        return self.rows

    def column(self, name: str) -> np.ndarray:
        """The values of one column, shape (rows,), read-only."""
        try:
            return self.values[:, self.columns.index(name)]
        except ValueError:
            raise DataError(f"{self.name} has no column '{name}' (its columns: {', '.join(self.columns)})") from None


def chosen_columns(dataset: Dataset, names: Sequence[str], what: str) -> tuple[str, ...]:
    """`names` (a target, features) checked as columns of `dataset`, none twice; DataError names the first
    that is not one and lists the columns."""
    names = tuple(names)
    for k, name in enumerate(names):
        if name not in dataset.columns:
            raise DataError(f"{what} '{_short(name)}' is not a column of {dataset.name}; its columns: "
                            f"{', '.join(dataset.columns)}")
        if name in names[:k]:
            raise DataError(f"{what} '{name}' is named twice")
    return names


@dataclass(frozen=True)
class Scaling:
    """How `standardise` changed one column: z = (value - mean) / scale."""

    column: str
    mean: float
    scale: float   # the population standard deviation (ddof = 0)

    def apply(self, values):
        return (np.asarray(values, dtype=float) - self.mean) / self.scale

    def undo(self, z):
        return np.asarray(z, dtype=float) * self.scale + self.mean


def standardise(dataset: Dataset, columns: Sequence[str] | None = None,
                rows: Sequence[int] | None = None) -> tuple[Dataset, dict[str, Scaling]]:
    """The dataset with `columns` (default: all) rescaled to mean 0 and standard deviation 1.

    The mean and standard deviation are those of `rows` (row indices, default: all rows; give the
    training rows so that the test rows do not leak into them); every row is rescaled by them.
    Returns the new dataset and, per column, the `Scaling` used (to map values back). A column
    constant on those rows cannot be standardised and is refused.
    """
    names = list(dataset.columns if columns is None else columns)
    values = np.array(dataset.values)
    chosen = _chosen_rows(dataset, rows)
    scalings = {}
    for name in names:
        dataset.column(name)   # refuses a name that is not a column
        k = dataset.columns.index(name)
        column = values[:, k]
        mean, scale = float(np.mean(column[chosen])), float(np.std(column[chosen]))
        if not scale > 0 or not np.isfinite(scale):
            on = "" if rows is None else " on the chosen rows"
            raise DataError(f"{dataset.name}: column '{name}' is constant{on}, so it cannot be standardised")
        scalings[name] = Scaling(name, mean, scale)
        values[:, k] = (column - mean) / scale
    label = ", ".join(names)
    described = f"{dataset.description} Standardised: {label}.".strip()
    return Dataset(f"{dataset.name}, standardised {label}", dataset.columns, values, described), scalings


def standardise_on_rows(dataset: Dataset, columns: Sequence[str], rows: Sequence[int]) -> tuple[Dataset, dict]:
    """`standardise` with the mean and standard deviation of `rows` (the training rows); returns the new
    dataset and {"columns": [...], "mean": [...], "std": [...]} (for a run's JSON and a scene)."""
    standardised, scalings = standardise(dataset, columns, rows)
    used = list(scalings.values())
    return standardised, {"columns": [s.column for s in used], "mean": [s.mean for s in used],
                          "std": [s.scale for s in used]}


def _chosen_rows(dataset: Dataset, rows: Sequence[int] | None) -> np.ndarray | slice:
    """`rows` checked as row indices of `dataset` (a slice of all when None)."""
    if rows is None:
        return slice(None)
    chosen = np.asarray(rows).reshape(-1)
    if chosen.size == 0:
        raise DataError(f"{dataset.name}: no rows chosen to standardise by")
    if not np.issubdtype(chosen.dtype, np.integer) or chosen.min() < 0 or chosen.max() >= dataset.rows:
        raise DataError(f"{dataset.name}: the rows to standardise by must be row numbers from 0 to {dataset.rows - 1}")
    return chosen


# ---------------------------------------------------------------- CSV

def read_csv(path: str | os.PathLike) -> Dataset:
    """Read a CSV file (rules in the module docstring); DataError on any problem, naming the file."""
    source = os.path.basename(os.fspath(path)) or os.fspath(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "a CSV file")
    except ReadError as err:
        raise DataError(str(err)) from None
    return parse_csv(raw, source)


def parse_csv(data: bytes | str, source: str = "data") -> Dataset:
    """A dataset from the text (or UTF-8 bytes) of a CSV file; `source` names it in messages."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{source}: the data is too big (more than {MAX_FILE_BYTES // 2**20} MB)")
    text = _decode(data, source) if isinstance(data, bytes) else data
    text = text[1:] if text.startswith("\ufeff") else text
    delimiter = _delimiter(text)
    lines = _records(text, delimiter, source)
    if not lines:
        raise DataError(f"{source}: the file is empty (the first line must name the columns)")
    (header_line, header), rows = lines[0], lines[1:]
    columns = _header(header, header_line, source)
    if not rows:
        raise DataError(f"{source}: no rows of data under the header")
    values = np.empty((len(rows), len(columns)))
    decimal_comma = delimiter == ";"
    for i, (line, cells) in enumerate(rows):
        if len(cells) < len(columns):
            raise DataError(f"{source}, line {line}, column '{columns[len(cells)]}': the cell is missing "
                            f"(the line has {_cells(len(cells))}, the header {len(columns)})")
        if len(cells) > len(columns):
            raise DataError(f"{source}, line {line}: {_cells(len(cells))}, but the header names "
                            f"{len(columns)} columns")
        for k, cell in enumerate(cells):
            values[i, k] = _number(cell, decimal_comma, f"{source}, line {line}, column '{columns[k]}'")
    return Dataset(source, columns, values, f"{len(rows)} rows read from {source}")


def csv_text(dataset: Dataset) -> str:
    """The dataset as CSV text (comma-separated, numbers exact), which `parse_csv` reads back."""
    lines = [",".join(dataset.columns)]
    lines += [",".join(repr(float(v)) for v in row) for row in dataset.values]
    return "\n".join(lines) + "\n"


def _decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise DataError(f"{source}, line {line}: not UTF-8 text (byte 0x{raw[err.start]:02x}); "
                        "save the file as UTF-8") from None


def _delimiter(text: str) -> str:
    """';' when the header has more semicolons than commas, else ','."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _records(text: str, delimiter: str, source: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) of each non-empty line."""
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        raise DataError(f"{source}, line {line}: a NUL character (is this a text file?)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, start = [], 1
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                out.append((start, cells))
                if len(out) > MAX_ROWS + 1:
                    raise DataError(f"{source}: more than {MAX_ROWS:,} rows of data; at most {MAX_ROWS:,} "
                                    "can be loaded")
            start = reader.line_num + 1
    except csv.Error as err:
        raise DataError(f"{source}, line {reader.line_num}: {err}") from None
    return out


def _header(cells: list[str], line: int, source: str) -> tuple[str, ...]:
    if len(cells) > MAX_COLUMNS:
        raise DataError(f"{source}, line {line}: {len(cells)} columns; at most {MAX_COLUMNS}")
    if len(cells) == 1 and not _NUMBER.match(cells[0]) and name_problem(cells[0]):
        # one cell that names nothing: not a CSV file at all, so what it holds is not shown
        raise DataError(f"{source}, line {line}: not a line of column names separated by ',' or ';' "
                        "(is this a CSV file?)")
    if all(_NUMBER.match(c) for c in cells if c):
        raise DataError(f"{source}, line {line}: the first line must name the columns "
                        f"(it holds numbers: '{_short(','.join(cells))}')")
    for k, name in enumerate(cells):
        where = f"{source}, line {line}, column {k + 1}"
        if not name:
            raise DataError(f"{where}: the column has no name")
        problem = name_problem(name)
        if problem:
            raise DataError(f"{where}: {problem}; rename the column")
        if name in cells[:k]:
            raise DataError(f"{where}: '{name}' is also the name of column {cells.index(name) + 1}")
    return tuple(cells)


def _number(cell: str, decimal_comma: bool, where: str) -> float:
    if not cell:
        raise DataError(f"{where}: the cell is empty")
    text = cell.replace(",", ".") if decimal_comma and _DECIMAL_COMMA.match(cell) else cell
    if not _NUMBER.match(text):
        raise DataError(f"{where}: '{_short(cell)}' is not a number")
    value = float(text)
    if not np.isfinite(value):
        raise DataError(f"{where}: '{_short(cell)}' is too large")
    return value


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
