"""How a run reads in the table, the inspector and the captions: one wording everywhere."""
from __future__ import annotations


def format_settings(settings: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in settings.items())


def parse_settings(text: str) -> dict[str, float]:
    """'lr=0.01, momentum=0.9' -> {'lr': 0.01, 'momentum': 0.9}; ValueError says what is wrong."""
    out = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"write settings as name=value, not '{part.strip()}'")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"'{value.strip()}' is not a number") from None
    return out


def format_point(point) -> str:
    return ", ".join(f"{float(v):.6g}" for v in point)


def parse_point(text: str) -> tuple[float, float]:
    """'-1.2, 1' (or '-1.2 1', or '(-1.2, 1)') -> (-1.2, 1.0); ValueError says what is wrong."""
    parts = text.strip().strip("()").replace(",", " ").split()
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"a point is two numbers x, y, like -1.2, 1; got '{text.strip()}'") from None
    return x, y


def stopped_here(run) -> bool:
    """Is the run shown at the state where it stopped?"""
    return run.finished and run.position == len(run.states) - 1


def run_status(run) -> tuple[str, str]:
    """(short text, tooltip) for the status column: the step, and the outcome once the run is there."""
    if stopped_here(run):
        return f"step {run.position} · {run.summary}", run.reason
    return f"step {run.position}", "running" if not run.finished else f"stops at step {len(run.states) - 1}"
