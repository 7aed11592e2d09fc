"""Benchmark: time to derive the symbolic softmax model (Jacobian, gradient, Hessian) for several C.

Run from the repository root:

    python bench/bench_derive.py [--classes 2 5 10 20 50] [--repeats 5] [--big-repeats 1]

Each run clears SymPy's global cache and builds a fresh ``SoftmaxRegression(classes=C,
features=2)``, so every run is a cold first derivation (without clearing, repeats reuse the
cached derivatives of the first run and look several times faster). A run times
``jacobian()``, ``gradient()`` and ``hessian()`` one after the other; the script prints a
markdown table with the median per stage and in total. C <= 10 gets ``--repeats`` runs,
larger C ``--big-repeats`` runs (the derivation grows quickly with C); the table says how
many runs each row is the median of.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import sympy
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source tree

from symsoft.models.softmax.model import SoftmaxRegression  # noqa: E402

STAGES = ("jacobian", "gradient", "hessian")


def derive(classes: int) -> dict[str, float]:
    """Seconds per stage for one fresh model, starting from an empty SymPy cache."""
    clear_cache()
    model = SoftmaxRegression(classes=classes, features=2)
    times = {}
    for stage in STAGES:
        start = time.perf_counter()
        getattr(model, stage)()
        times[stage] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, nargs="+", default=[2, 5, 10, 20, 50])
    parser.add_argument("--repeats", type=int, default=5, help="runs for C <= 10")
    parser.add_argument("--big-repeats", type=int, default=1, help="runs for C > 10")
    args = parser.parse_args(argv)

    print(f"sympy {sympy.__version__}, Python {platform.python_version()}, D = 2, cold SymPy cache per run\n")
    print("| C | runs | jacobian (s) | gradient (s) | hessian (s) | total (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for classes in args.classes:
        runs = args.repeats if classes <= 10 else args.big_repeats
        samples = [derive(classes) for _ in range(runs)]
        medians = {stage: statistics.median(s[stage] for s in samples) for stage in STAGES}
        total = statistics.median(sum(s.values()) for s in samples)
        cells = " | ".join(f"{medians[stage]:.3f}" for stage in STAGES)
        print(f"| {classes} | {runs} | {cells} | {total:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
