"""Derivatives taken in two threads at once stay right (explorer/core/trace_per_thread.py)."""
import threading

import autograd.numpy as anp
import autograd.tracer
from autograd import grad

import explorer.core  # noqa: F401 - installs the per-thread trace counter
from explorer.core.calculus import PointCalculus
from explorer.core.trace_per_thread import ThreadTraceStack


def test_the_installed_counter_is_per_thread():
    assert isinstance(autograd.tracer.trace_stack, ThreadTraceStack)


def test_a_nested_derivative_is_right_when_another_thread_closes_its_trace_in_between():
    """The interleaving that breaks a shared counter, forced with events:
    B opens a trace; A opens its outer trace; B closes; A opens its inner trace.
    With one process-wide counter A's inner trace gets its outer trace's number, the inner
    function's t and x look like one variable, and d/dx [∂/∂t (t²x) at t = x] = 4x is 4, not 8, at x = 2."""
    b_inside, a_outer_open, b_closed = threading.Event(), threading.Event(), threading.Event()

    def b_function(x):
        b_inside.set()
        a_outer_open.wait(5)
        return x * x

    def b():
        grad(b_function)(1.0)
        b_closed.set()

    def a_outer(x):
        a_outer_open.set()
        b_closed.wait(5)
        return grad(lambda t: t * t * x)(x)   # ∂/∂t (t²x) = 2tx, at t = x: 2x²; its derivative 4x

    worker = threading.Thread(target=b)
    worker.start()
    assert b_inside.wait(5)
    second = grad(a_outer)(2.0)
    worker.join(5)
    assert b_closed.is_set()
    assert second == 8.0


def test_hessians_in_two_threads_at_once_match_the_closed_form():
    """f = x⁴ + x²y² + 3y²: H = [[12x² + 2y², 4xy], [4xy, 2x² + 6]]; two threads, many points each."""
    calc = PointCalculus("x^4 + x^2*y^2 + 3*y^2")
    wrong = []

    def check(points):
        for x, y in points:
            h = calc.hessian([x, y])
            want = [[12 * x * x + 2 * y * y, 4 * x * y], [4 * x * y, 2 * x * x + 6]]
            if not anp.allclose(h, want, rtol=1e-12, atol=1e-12):
                wrong.append((x, y))

    points = [(0.1 * i, 0.3 - 0.05 * i) for i in range(200)]
    threads = [threading.Thread(target=check, args=(points[k::2],)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert wrong == []


def test_a_failing_function_does_not_leave_the_counter_raised():
    def broken(x):
        raise ArithmeticError("inside a trace")

    before = autograd.tracer.trace_stack.top
    try:
        grad(broken)(1.0)
    except ArithmeticError:
        pass
    assert autograd.tracer.trace_stack.top == before
