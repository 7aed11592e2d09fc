"""Benchmark: the lambdified softmax-regression gradient against hand-written NumPy.

Run from the repository root:

    python bench/bench_numeric.py [--repeats 15] [--rows 60000] [--features 784] [--classes 10] [--settle 0.2]

All gradients run side by side in one process on the same float64 data (seeded), in
alternating order, after one warm-up call each; the script prints a markdown table with the
median and minimum of the runs and the ratio of medians to the hand-written NumPy gradient
(target for the lambdified one: at most 1.1).

JAX and PyTorch are optional: when importable, the script adds `jax.jit` of the same
gradient (and of `jax.grad` of the cross-entropy) and PyTorch autograd (forward and
backward of the cross-entropy) as further rows; their ratios are informational. Before a
timed call that follows a call of another library, the script sleeps ``--settle`` seconds:
the worker threads of one library's pool spin for a while after a call and, on two cores,
made the next library's call up to twice as slow.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source tree

from symsoft.models.softmax.model import SoftmaxRegression  # noqa: E402

TARGET_RATIO = 1.1
OPTIONAL_RTOL = 1e-10  # agreement asked of the JAX and PyTorch gradients before timing
OPTIONAL_ATOL = 1e-13


def handwritten_gradient(X: np.ndarray, W: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The reference: stable softmax and X^T (P - Y) / N, written by hand."""
    Z = X @ W
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return X.T @ (P - Y) / X.shape[0]


def seconds(function: Callable[[], object]) -> float:
    """Wall-clock seconds of one call of ``function``."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def blas_threads() -> int:
    """Threads of NumPy's BLAS (threadpoolctl when importable, else the usable cores)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pools = []
    else:
        pools = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    if pools:
        return pools[0]
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def jax_candidates(
    X: np.ndarray, W: np.ndarray, Y: np.ndarray
) -> tuple[dict[str, Callable[[], np.ndarray]], dict[str, Callable[[], object]], list[str]]:
    """JAX rows, when JAX is importable: `jax.jit` of the hand-written gradient and of `jax.grad`.

    Returns ``(checks, timed, notes)``: ``checks`` maps a row name to a call that returns the
    gradient as a NumPy array, ``timed`` to the call that is timed (the jitted function on
    arrays already on the device, with ``block_until_ready``), and ``notes`` says the
    versions and the compile times, or why the rows are missing. JAX runs on the CPU in
    float64 (``jax_enable_x64``); the functions are compiled before any timing.
    """
    try:
        import jax
        import jax.numpy as jnp
        import jaxlib
    except ImportError as error:
        return {}, {}, [f'JAX skipped: not importable ({error}); pip install "jax[cpu]" to add it']
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")

    def analytic(X, W, Y):
        Z = X @ W
        E = jnp.exp(Z - Z.max(axis=1, keepdims=True))
        P = E / E.sum(axis=1, keepdims=True)
        return X.T @ (P - Y) / X.shape[0]

    def loss(W, X, Y):
        return -jnp.sum(Y * jax.nn.log_softmax(X @ W, axis=1)) / X.shape[0]

    def autodiff(X, W, Y):
        return jax.grad(loss)(W, X, Y)

    device = jax.devices("cpu")[0]
    Xj, Wj, Yj = (jax.device_put(array, device) for array in (X, W, Y))
    notes = [f"jax {jax.__version__}, jaxlib {jaxlib.__version__}, device {device}"]
    checks: dict[str, Callable[[], np.ndarray]] = {}
    timed: dict[str, Callable[[], object]] = {}
    for name, function in (
        ("JAX `jit` of the hand-written gradient (one-hot Y)", analytic),
        ("JAX `jit(grad)` of the cross-entropy (one-hot Y)", autodiff),
    ):
        start = time.perf_counter()
        compiled = jax.jit(function).lower(Xj, Wj, Yj).compile()
        notes.append(f"{name}: trace + compile (once) {time.perf_counter() - start:.2f} s")
        timed[name] = lambda compiled=compiled: compiled(Xj, Wj, Yj).block_until_ready()
        checks[name] = lambda compiled=compiled: np.asarray(compiled(Xj, Wj, Yj))
    return checks, timed, notes


def torch_candidates(
    X: np.ndarray, W: np.ndarray, labels: np.ndarray, threads: int
) -> tuple[dict[str, Callable[[], np.ndarray]], dict[str, Callable[[], object]], list[str]]:
    """The PyTorch row, when PyTorch is importable: autograd of the cross-entropy.

    The loss is ``nll_loss(log_softmax(X @ W), labels)`` (mean over the rows) on float64
    tensors that share NumPy's memory; ``W`` requires the gradient. The timed call clears
    ``W.grad`` and runs the forward pass and ``loss.backward()``. PyTorch gets ``threads``
    intra-op threads, as many as NumPy's BLAS. Returns ``(checks, timed, notes)`` as
    :func:`jax_candidates` does.
    """
    try:
        import torch
        from torch.nn import functional
    except ImportError as error:
        return {}, {}, [f"PyTorch skipped: not importable ({error}); pip install torch to add it"]
    torch.set_num_threads(threads)
    Xt = torch.from_numpy(X)
    Wt = torch.from_numpy(W.copy()).requires_grad_(True)
    labels_t = torch.from_numpy(labels).long()

    def forward_backward() -> torch.Tensor:
        Wt.grad = None
        loss = functional.nll_loss(functional.log_softmax(Xt @ Wt, dim=1), labels_t)
        loss.backward()
        return Wt.grad

    name = "PyTorch autograd, forward + backward (integer labels)"
    notes = [f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads"]
    return {name: lambda: forward_backward().numpy()}, {name: forward_backward}, notes


def main(argv: list[str] | None = None) -> int:
    """Check and time the gradients, print the table; 1 if the lambdified ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs of each gradient (at least 5)")
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--features", type=int, default=784)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument(
        "--settle", type=float, default=0.2, help="seconds of sleep before a call that follows another library's"
    )
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

    candidates: dict[str, Callable[[], object]] = {
        "hand-written NumPy (one-hot Y)": lambda: handwritten_gradient(X, W, Y),
        "lambdified `gradient` (one-hot Y)": lambda: f.gradient(X, W, Y),
        "lambdified `gradient` (integer labels)": lambda: f.gradient(X, W, labels),
    }
    reference = handwritten_gradient(X, W, Y)
    for name, run in candidates.items():
        np.testing.assert_allclose(run(), reference, rtol=1e-12, atol=1e-15, err_msg=name)  # also the warm-up

    engines = dict.fromkeys(candidates, "numpy")
    threads = blas_threads()
    notes: list[str] = []
    for engine, (checks, timed, more_notes) in (
        ("jax", jax_candidates(X, W, Y)),
        ("torch", torch_candidates(X, W, labels, threads)),
    ):
        notes.extend(more_notes)
        for name, check in checks.items():
            gradient = check()  # also the warm-up
            difference = f"max |difference| {np.max(np.abs(gradient - reference)):.1e}"
            if not np.allclose(gradient, reference, rtol=OPTIONAL_RTOL, atol=OPTIONAL_ATOL):
                notes.append(f"{name}: SKIPPED, disagrees with the hand-written gradient ({difference})")
                continue
            notes.append(f"{name}: agrees with the hand-written gradient ({difference})")
            candidates[name] = timed[name]
            engines[name] = engine

    times: dict[str, list[float]] = {name: [] for name in candidates}
    order = list(candidates)
    previous = order[-1]  # the library whose check ran last
    for repeat in range(repeats):
        for name in order if repeat % 2 == 0 else reversed(order):
            if engines[name] != engines[previous]:
                time.sleep(args.settle)  # let the other library's worker threads stop spinning
            times[name].append(seconds(candidates[name]))
            previous = name

    baseline = statistics.median(times[order[0]])
    print(f"N={args.rows}, D={args.features}, C={args.classes}, float64, {repeats} runs each, "
          f"numpy {np.__version__} ({threads} BLAS threads), Python {platform.python_version()}")
    if len(set(engines.values())) > 1:
        print(f"{args.settle} s of sleep before a call that follows another library's")
    print(f"model derivation + lambdify (once): {generation:.2f} s")
    for note in notes:
        print(note)
    print()
    print("| gradient | median (ms) | min (ms) | ratio of medians |")
    print("|---|---:|---:|---:|")
    for name in order:
        median = statistics.median(times[name])
        print(f"| {name} | {1e3 * median:.1f} | {1e3 * min(times[name]):.1f} | {median / baseline:.3f} |")
    ratio = statistics.median(times[order[1]]) / baseline
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nlambdified / hand-written = {ratio:.3f} ({verdict} the target <= {TARGET_RATIO}); "
          "the JAX and PyTorch ratios are informational")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
