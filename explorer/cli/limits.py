"""The command line's upper bounds: one place, read by every command that takes the option."""
from __future__ import annotations

MAX_N = 2000          # grid -n: points per axis
MAX_STEPS = 100_000   # run --steps: most steps per run
