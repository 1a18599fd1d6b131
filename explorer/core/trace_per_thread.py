"""autograd's trace counter, one per thread: derivatives may be taken in two threads at once.

autograd numbers each trace from one process-wide counter (`autograd.tracer.trace_stack.top`) and
tells a nested trace (the gradient inside a Hessian) from its outer one by that number. With two
threads the numbers interleave: thread B opens trace 0, thread A opens its outer trace 1, B
closes (the counter falls to 0), A opens its inner trace — and gets 1 again, the outer one's
number, so the Hessian comes out wrong without an error. The window computes runs on its own
thread while a worker computes curvature maps and checks scenes, so each thread gets its own
counter. Boxes never cross threads (each computation is one thread's from start to end), so the
numbers only have to be ordered within a thread.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

import autograd.tracer


class ThreadTraceStack(threading.local):
    """A drop-in for `autograd.tracer.TraceStack` whose counter is per thread."""

    def __init__(self):
        self.top = -1

    @contextmanager
    def new_trace(self):
        self.top += 1
        try:
            yield self.top
        finally:   # autograd's own version leaves the counter raised when the function raises
            self.top -= 1


def install() -> None:
    """Give autograd a per-thread trace counter (idempotent; `autograd.tracer.trace` looks it up per call)."""
    if not isinstance(autograd.tracer.trace_stack, ThreadTraceStack):
        autograd.tracer.trace_stack = ThreadTraceStack()
