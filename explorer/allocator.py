"""Keep freed memory in the process instead of returning it to the system at once.

Grids make many short-lived arrays of a few MB. glibc hands each one to the kernel with mmap
and back with munmap, so every new array page-faults on first touch: measured, that was half
the time of a curvature map at N=400 (Rosenbrock: 19 ms -> 7 ms with this). Linux/glibc only;
elsewhere it does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 2**20   # glibc's largest allowed value on 64-bit
TRIM_THRESHOLD = 256 * 2**20


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds; True when it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release_freed_memory() -> bool:
    """Hand memory that is free inside the process back to the system (glibc's malloc_trim).

    Called when the window has been idle for a moment: bursts of grids keep their speed, and a
    long session of edits does not keep the peak of its biggest burst for ever.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return bool(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False
