"""Datasets and CSV files: what is read, what is refused (one line naming the line and the column)."""
import numpy as np
import pytest

from explorer.core import data
from explorer.core.data import DataError, Dataset, csv_text, parse_csv, read_csv, standardise, standardise_on_rows


def test_reads_a_plain_file():
    d = parse_csv("X,Y\n1,2\n3,4.5\n-2e1,.5\n", "small.csv")
    assert d.columns == ("X", "Y") and d.rows == 3 and d.name == "small.csv"
    np.testing.assert_array_equal(d.column("X"), [1, 3, -20])
    np.testing.assert_array_equal(d.column("Y"), [2, 4.5, 0.5])


def test_byte_order_mark_crlf_blanks_and_spaces(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffX , Y\r\n\r\n 1 , 2 \r\n\r\n3,4\r\n   \r\n".encode("utf-8"))
    d = read_csv(path)
    assert d.columns == ("X", "Y") and d.name == "bom.csv"
    np.testing.assert_array_equal(d.values, [[1, 2], [3, 4]])


def test_semicolons_with_decimal_commas_and_quotes():
    d = parse_csv('"size";"price"\n1,5;2\n"3";-0,25\n')
    assert d.columns == ("size", "price")
    np.testing.assert_array_equal(d.values, [[1.5, 2], [3, -0.25]])


def test_a_single_column():
    d = parse_csv("Y\n1\n2\n")
    assert d.columns == ("Y",) and d.values.shape == (2, 1)


@pytest.mark.parametrize("text, message", [
    ("X,Y\n1,2\n3,abc\n", "f.csv, line 3, column 'Y': 'abc' is not a number"),
    ("X,Y\n1,2\n\n3\n", "f.csv, line 4, column 'Y': the cell is missing (the line has 1 cell, the header 2)"),
    ("X,Y\n1,\n", "f.csv, line 2, column 'Y': the cell is empty"),
    ("X,Y\n1,2,3\n", "f.csv, line 2: 3 cells, but the header names 2 columns"),
    ("X,Y,X\n1,2,3\n", "f.csv, line 1, column 3: 'X' is also the name of column 1"),
    ("X,my col\n1,2\n", "f.csv, line 1, column 2: 'my col' is not a valid name (use letters, digits and '_', "
                        "starting with a letter); rename the column"),
    ("X,2Y\n1,2\n", "f.csv, line 1, column 2: '2Y' is not a valid name"),
    ("exp,Y\n1,2\n", "f.csv, line 1, column 1: 'exp' is the name of a function; rename the column"),
    ("X,lambda\n1,2\n", "f.csv, line 1, column 2: 'lambda' is a reserved word"),
    ("X,,Y\n1,2,3\n", "f.csv, line 1, column 2: the column has no name"),
    ("1,2\n3,4\n", "f.csv, line 1: the first line must name the columns (it holds numbers: '1,2')"),
    ("X,Y\n", "f.csv: no rows of data under the header"),
    ("\n\n", "f.csv: the file is empty"),
    ("X,Y\n1,nan\n", "f.csv, line 2, column 'Y': 'nan' is not a number"),
    ("X,Y\n1,inf\n", "f.csv, line 2, column 'Y': 'inf' is not a number"),
    ("X,Y\n1,1e999\n", "f.csv, line 2, column 'Y': '1e999' is too large"),
    ("X,Y\n1,1_000\n", "f.csv, line 2, column 'Y': '1_000' is not a number"),
    ("X,Y\n1,2\n3,4\x00\n", "f.csv, line 3: a NUL character"),
    ("X,Y\n1,1,5\n", "f.csv, line 2: 3 cells"),   # a decimal comma only in ';' files
])
def test_bad_files_are_refused_with_line_and_column(text, message):
    with pytest.raises(DataError) as err:
        parse_csv(text, "f.csv")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_text_that_is_not_utf8_names_its_line():
    with pytest.raises(DataError, match=r"^f.csv, line 3: not UTF-8 text \(byte 0xe9\)"):
        parse_csv("X,Y\n1,2\ncaf\xe9,3\n".encode("latin-1"), "f.csv")


def test_too_big_a_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("X,Y\n" + "1,2\n" * 30)   # 124 bytes
    with pytest.raises(DataError, match=r"^'.*big.csv' is too large for a CSV file \(more than 100 bytes\)$"):
        read_csv(path)
    path.write_text("X,Y\n" + "1,2\n" * 20)   # 84 bytes: read
    assert read_csv(path).rows == 20
    with pytest.raises(DataError, match=r"^pasted: the data is too big"):
        parse_csv("X,Y\n" + "1,2\n" * 30, "pasted")


def test_too_many_rows_or_columns(monkeypatch):
    monkeypatch.setattr(data, "MAX_ROWS", 5)
    with pytest.raises(DataError, match=r"^f.csv: more than 5 rows of data"):
        parse_csv("X\n" + "1\n" * 9, "f.csv")
    assert parse_csv("X\n" + "1\n" * 5, "f.csv").rows == 5
    monkeypatch.setattr(data, "MAX_COLUMNS", 3)
    with pytest.raises(DataError, match=r"^f.csv, line 1: 4 columns; at most 3"):
        parse_csv("a,b,c,d\n1,2,3,4\n", "f.csv")


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(DataError, match=r"^cannot read '.*nothing.csv': No such file or directory$"):
        read_csv(tmp_path / "nothing.csv")
    with pytest.raises(DataError, match=r"^'.*' is a folder, not a CSV file$"):
        read_csv(tmp_path)


def test_dataset_is_read_only_and_checks_its_names():
    d = Dataset.from_columns("t", {"X": [1, 2], "Y": [3, 4]})
    with pytest.raises(ValueError):
        d.values[0, 0] = 5
    with pytest.raises(DataError, match="t has no column 'Z' \\(its columns: X, Y\\)"):
        d.column("Z")
    with pytest.raises(DataError, match="column 2: 'X' names two columns"):
        Dataset("t", ("X", "X"), np.zeros((2, 2)))
    with pytest.raises(DataError, match="row 2, column 'Y': not a finite number"):
        Dataset.from_columns("t", {"X": [1, 2], "Y": [3, np.nan]})


def test_csv_text_round_trips_exactly():
    d = Dataset.from_columns("t", {"X": [0.1, 1 / 3, -2e-300], "Y": [1e300, 0.0, 7.0]})
    back = parse_csv(csv_text(d))
    assert back.columns == d.columns
    np.testing.assert_array_equal(back.values, d.values)


def test_standardise_by_hand():
    # X = 1, 2, 3: mean 2, population std sqrt(2/3); Y untouched
    d = Dataset.from_columns("t", {"X": [1, 2, 3], "Y": [5, 6, 9]})
    s, scalings = standardise(d, ["X"])
    std = np.sqrt(2 / 3)
    np.testing.assert_allclose(s.column("X"), [-1 / std, 0, 1 / std])
    np.testing.assert_array_equal(s.column("Y"), [5, 6, 9])
    assert scalings["X"].mean == 2 and scalings["X"].scale == pytest.approx(std)
    np.testing.assert_allclose(scalings["X"].undo(s.column("X")), [1, 2, 3])
    np.testing.assert_array_equal(d.column("X"), [1, 2, 3])   # the original is unchanged
    every, _ = standardise(d)
    np.testing.assert_allclose(every.values.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(every.values.std(axis=0), 1)


def test_standardise_refuses_a_constant_column_and_an_unknown_one():
    d = Dataset.from_columns("t", {"X": [4, 4, 4], "Y": [1, 2, 3]})
    with pytest.raises(DataError, match="column 'X' is constant"):
        standardise(d, ["X"])
    with pytest.raises(DataError, match="no column 'Z'"):
        standardise(d, ["Z"])


def test_standardise_on_training_rows_ignores_the_test_rows():
    # X = 1, 3, 100, -50 with rows 0 and 1 for training: mean 2, std 1, whatever rows 2 and 3 hold
    d = Dataset.from_columns("t", {"X": [1, 3, 100, -50], "Y": [0, 1, 0, 1]})
    s, used = standardise_on_rows(d, ["X"], [0, 1])
    assert used == {"columns": ["X"], "mean": [2.0], "std": [1.0]}
    np.testing.assert_array_equal(s.column("X"), [-1, 1, 98, -52])   # every row rescaled by the training rows'
    np.testing.assert_array_equal(s.column("Y"), d.column("Y"))
    other = Dataset.from_columns("t", {"X": [1, 3, -7, 1e6], "Y": [0, 1, 0, 1]})
    assert standardise_on_rows(other, ["X"], [0, 1])[1] == used   # other test rows, the same mean and std


def test_standardise_on_rows_refuses_rows_that_are_not_there_and_a_column_constant_on_them():
    d = Dataset.from_columns("t", {"X": [4, 4, 5], "Y": [1, 2, 3]})
    with pytest.raises(DataError, match="column 'X' is constant on the chosen rows"):
        standardise_on_rows(d, ["X"], [0, 1])
    with pytest.raises(DataError, match="row numbers from 0 to 2"):
        standardise_on_rows(d, ["Y"], [0, 3])
    with pytest.raises(DataError, match="no rows chosen"):
        standardise_on_rows(d, ["Y"], [])
