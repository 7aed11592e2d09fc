"""Benchmark: the lambdified softmax-regression gradient against hand-written NumPy.

Run from the repository root:

    python bench/bench_numeric.py [--repeats 15] [--rows 60000] [--features 784] [--classes 10]

Both gradients run side by side in one process on the same float64 data (seeded), in
alternating order, after one warm-up call each; the script prints a markdown table with the
median and minimum of the runs and the ratio of medians (target: at most 1.1).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source tree

from symsoft.softmax import SoftmaxRegression  # noqa: E402

TARGET_RATIO = 1.1


def handwritten_gradient(X: np.ndarray, W: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The reference: stable softmax and X^T (P - Y) / N, written by hand."""
    Z = X @ W
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return X.T @ (P - Y) / X.shape[0]


def seconds(function, *arguments) -> float:
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs of each gradient (at least 5)")
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--features", type=int, default=784)
    parser.add_argument("--classes", type=int, default=10)
    args = parser.parse_args(argv)
    repeats = max(args.repeats, 5)

    rng = np.random.default_rng(20240)
    X = rng.standard_normal((args.rows, args.features))
    W = 0.01 * rng.standard_normal((args.features, args.classes))
    labels = rng.integers(0, args.classes, size=args.rows)
    Y = np.eye(args.classes)[labels]

    start = time.perf_counter()
    f = SoftmaxRegression(classes=args.classes).numeric()
    generation = time.perf_counter() - start

    candidates = {
        "hand-written NumPy (one-hot Y)": lambda: handwritten_gradient(X, W, Y),
        "lambdified `gradient` (one-hot Y)": lambda: f.gradient(X, W, Y),
        "lambdified `gradient` (integer labels)": lambda: f.gradient(X, W, labels),
    }
    reference = handwritten_gradient(X, W, Y)
    for name, run in candidates.items():
        np.testing.assert_allclose(run(), reference, rtol=1e-12, atol=1e-15, err_msg=name)  # also the warm-up

    times: dict[str, list[float]] = {name: [] for name in candidates}
    order = list(candidates)
    for repeat in range(repeats):
        for name in order if repeat % 2 == 0 else reversed(order):
            times[name].append(seconds(candidates[name]))

    baseline = statistics.median(times[order[0]])
    print(f"N={args.rows}, D={args.features}, C={args.classes}, float64, {repeats} runs each, "
          f"numpy {np.__version__}, Python {platform.python_version()}")
    print(f"model derivation + lambdify (once): {generation:.2f} s\n")
    print("| gradient | median (ms) | min (ms) | ratio of medians |")
    print("|---|---:|---:|---:|")
    for name in order:
        median = statistics.median(times[name])
        print(f"| {name} | {1e3 * median:.1f} | {1e3 * min(times[name]):.1f} | {median / baseline:.3f} |")
    ratio = statistics.median(times[order[1]]) / baseline
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nlambdified / hand-written = {ratio:.3f} ({verdict} the target <= {TARGET_RATIO})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
