"""Training small networks (core.network, core.model_fit) against a hand-written numpy floor.

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_network.py   (not part of the pytest run)

The floor: one hand-written numpy forward and backward pass (loss and gradient, no autograd) of a
2-16-16-1 tanh network with mean binary cross-entropy on 200 rows, measured in the same run.
1. One Adam step of the same network on the same rows (Optimizer.step alone, and Run.step_forward as the
   window drives it, records unread): µs and the ratio to the floor. Goal (issue 25): <= 10×.
2. A 2-64-64-1 tanh network on 10,000 rows with mini-batches of 32 (Adam): steps per second of
   Run.step_forward and the ratio of a step to the same floor. A mini-batched model step computes its
   batch's gradient and the whole training loss (one forward pass over the 10,000 rows, no gradient:
   what the views and the divergence test read); both parts are printed beside it, hand-written.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import sys
import time

import numpy as np

from explorer.allocator import keep_freed_memory
from explorer.core.data import Dataset
from explorer.core.methods import make_optimizer
from explorer.core.model_fit import ModelProblem
from explorer.core.trajectory import Run


def xor_data(rows: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 2))
    return Dataset.from_columns("xor", {"X1": X[:, 0], "X2": X[:, 1], "Y": (X[:, 0] * X[:, 1] > 0).astype(float)})


def hand_value_and_gradient(arrays, X, y):
    """Mean BCE of a tanh network and its gradient, forward and backward written out in numpy."""
    layers = len(arrays) // 2
    activations = [X]
    for k in range(1, layers):
        activations.append(np.tanh(activations[-1] @ arrays[f"W{k}"] + arrays[f"b{k}"]))
    z = (activations[-1] @ arrays[f"W{layers}"] + arrays[f"b{layers}"])[:, 0]
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    delta = ((0.5 * (np.tanh(0.5 * z) + 1.0) - y) / len(y))[:, None]
    grads = {}
    for k in range(layers, 0, -1):
        grads[f"W{k}"], grads[f"b{k}"] = activations[k - 1].T @ delta, delta.sum(axis=0)
        if k > 1:
            delta = (delta @ arrays[f"W{k}"].T) * (1.0 - activations[k - 1] ** 2)
    return loss, grads


def hand_value(arrays, X, y):
    layers = len(arrays) // 2
    a = X
    for k in range(1, layers):
        a = np.tanh(a @ arrays[f"W{k}"] + arrays[f"b{k}"])
    z = (a @ arrays[f"W{layers}"] + arrays[f"b{layers}"])[:, 0]
    return np.mean(np.logaddexp(0.0, z) - y * z)


def median_us(fn, number: int, repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t) / number * 1e6)
    return statistics.median(samples)


def per_step_us(make_run, steps: int, bare: bool) -> float:
    samples = []
    for _ in range(5):
        run = make_run()
        state = run.states[0]
        t = time.perf_counter()
        for _ in range(steps):
            if bare:
                state = run.optimizer.step(state)
            else:
                run.step_forward()
        samples.append((time.perf_counter() - t) / steps * 1e6)
    return statistics.median(samples)


def main() -> int:
    keep_freed_memory()
    small = ModelProblem(xor_data(200), "mlp:16,16:tanh", "Y", ["X1", "X2"])
    theta = small.initial(0)
    arrays = small.network.unflatten(theta)
    loss, _ = hand_value_and_gradient(arrays, small.X_train, small.y_train)
    assert abs(loss - small.value(theta)) < 1e-12
    floor = median_us(lambda: hand_value_and_gradient(arrays, small.X_train, small.y_train), 2000)
    print(f"floor: hand-written numpy forward + backward of 2-16-16-1 tanh on 200 rows = {floor:.1f} µs\n")

    def small_run():
        return Run(make_optimizer("adam", small.objective(), lr=0.01), theta, max_steps=10**6)

    bare, driven = per_step_us(small_run, 200, True), per_step_us(small_run, 200, False)
    print(f"1. Adam step, 2-16-16-1 on 200 rows ({small.dimension} parameters)")
    print(f"   optimizer.step      {bare:8.0f} µs  {bare / floor:5.1f}× the floor   (goal <= 10×)")
    print(f"   Run.step_forward    {driven:8.0f} µs  {driven / floor:5.1f}× the floor\n")

    big = ModelProblem(xor_data(10_000), "mlp:64,64:tanh", "Y", ["X1", "X2"])
    start = big.initial(0)

    def big_run():
        return Run(make_optimizer("adam", big.objective(), batch=32, seed=0, lr=0.01), start, max_steps=10**6)

    step = per_step_us(big_run, 100, False)
    big_arrays = big.network.unflatten(start)
    rows = np.arange(32)
    batch_floor = median_us(lambda: hand_value_and_gradient(big_arrays, big.X_train[rows], big.y_train[rows]), 500)
    value_floor = median_us(lambda: hand_value(big_arrays, big.X_train, big.y_train), 20)
    print(f"2. Adam, mini-batches of 32, 2-64-64-1 on 10,000 rows ({big.dimension:,} parameters)")
    print(f"   Run.step_forward    {step:8.0f} µs  = {1e6 / step:6.0f} steps/s  {step / floor:5.1f}× the floor")
    print(f"   of which by hand: the batch's forward + backward {batch_floor:.0f} µs, "
          f"the whole training loss (forward, 10,000 rows) {value_floor:.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
