"""Sessions that several session tests start from."""
from explorer.session import Session


def line_fit() -> Session:
    """A fit of the line dataset (50 rows), one gd run at lr 0.1; the undo history holds only 'Fit data'."""
    s = Session()
    s.set_expression("x^2 + y^2")
    s.add_run("gd", {"lr": 0.1})
    s.forget_history()
    s.start_fit()
    return s
