"""`landscape-explorer dataset NAME --out FILE.csv`: a built-in dataset written as CSV, and the options that
draw one (--rows, --noise, --data-seed, --classes), shared with the fitting commands.

    landscape-explorer dataset moons --rows 300 --noise 0.25 --data-seed 4 --out moons.csv
    landscape-explorer dataset blobs --classes 5 --out blobs.csv

The file holds a header of column names, then one row per line with every number written exactly
(core.data.csv_text), so `--data FILE.csv` reads back the very same numbers.
"""
from __future__ import annotations

from explorer.cli.arguments import UsageError, check_out_folder, number, whole_number
from explorer.core.data import MAX_ROWS, DataError, Dataset, csv_text
from explorer.core.batches import MAX_SEED
from explorer.core.datasets import GENERATORS, MAX_CLASSES, MIN_ROWS, describe, generate
from explorer.core.files import write_bytes

DRAWING = ("rows", "noise", "data_seed", "classes")   # the options of drawing a dataset, as argparse names them


def add_drawing_options(group) -> None:
    """--rows, --noise, --data-seed and --classes: how a built-in dataset is drawn."""
    group.add_argument("--rows", metavar="N", help=f"rows to draw ({MIN_ROWS} to {MAX_ROWS:,}; default: the "
                                                   "dataset's own, 200 for the newer ones)")
    group.add_argument("--noise", metavar="S", help="the standard deviation of the dataset's Gaussian noise "
                                                    "(default: the dataset's own)")
    group.add_argument("--data-seed", metavar="S", help="the seed the dataset is drawn with (default 0)")
    group.add_argument("--classes", metavar="K", help=f"the number of classes of blobs (2 to {MAX_CLASSES}; default 3)")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("dataset", help="write a built-in dataset as CSV",
                              description="Write a built-in dataset as a CSV file (a header of column names, "
                                          "then rows of exact numbers), to read back with --data FILE.csv or "
                                          "to open in a spreadsheet. The datasets: "
                                          + "; ".join(describe().splitlines()))
    p.add_argument("name", metavar="NAME", help=f"one of {', '.join(GENERATORS)}")
    add_drawing_options(p)
    p.add_argument("--out", required=True, metavar="FILE.csv")
    p.set_defaults(run=run)


def drawn(name: str, args, seed: int) -> Dataset:
    """The dataset `name` drawn with `seed` as --rows, --noise and --classes ask; DataError for what the
    dataset itself refuses (--classes for one whose classes are fixed)."""
    rows = None if args.rows is None else whole_number(args.rows, "--rows", MIN_ROWS, MAX_ROWS)
    noise = None if args.noise is None else number(args.noise, "--noise")
    if noise is not None and noise < 0:
        raise UsageError(f"--noise must be zero or positive; got {noise:g}")
    classes = None if args.classes is None else whole_number(args.classes, "--classes", 2, MAX_CLASSES)
    return generate(name.strip(), seed, rows, noise, classes)


def data_seed(args) -> int | None:
    """--data-seed S as a number (None when not given)."""
    return None if args.data_seed is None else whole_number(args.data_seed, "--data-seed", 0, MAX_SEED)


def run(args) -> int:
    out = args.out.strip()
    if not out.endswith(".csv"):
        raise UsageError(f"--out must name a .csv file; got '{out}'")
    check_out_folder(out)
    try:
        seed = data_seed(args)
        dataset = drawn(args.name, args, 0 if seed is None else seed)
    except DataError as err:
        raise UsageError(str(err)) from None
    write_bytes(out, csv_text(dataset).encode("utf-8"))
    return 0
