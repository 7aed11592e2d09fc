"""Benchmark: checking the Jacobian claim for a given C, explicit method against pattern method.

Run: python bench/bench_classes.py [--runs 5] [--explicit-max 20]

The claim is the homework's textbook Jacobian  d sigma_i / d z_j = sigma_i (delta_ij - sigma_j).
- explicit: expand the softmax for C and prove the identity for every pair (i, j), C^2 proofs;
- pattern: symsoft's decide(): one representative per pattern of index equalities (i = j,
  i != j), with the proof for every C used when C > 4.
Also: the time of the all-C proofs of the homework's claims. Medians of --runs runs, side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import sympy as sp
from sympy.core.cache import clear_cache

from symsoft.claims import _ALL_C_CACHE, decide, prove_identity
from symsoft.semantics import Instance, Partial, Softmax, Z, index, instantiate

i, j = index("i"), index("j")
LHS = Partial(Softmax(Z[i]), Z[j])
RHS = Softmax(Z[i]) * (sp.KroneckerDelta(i, j) - Softmax(Z[j]))


def explicit(C: int) -> bool:
    ok = True
    for a in range(1, C + 1):
        for b in range(1, C + 1):
            inst = Instance(C, 1, {i: a, j: b})
            ok &= prove_identity(instantiate(LHS, inst), instantiate(RHS, inst), inst)[0]
    return ok


def pattern(C: int) -> bool:
    _ALL_C_CACHE.clear()
    return decide(LHS, "=", RHS, {i: "class", j: "class"}, (), (C,), all_c=False).status == "proved"


def median_time(fn, C: int, runs: int) -> float:
    times = []
    for _ in range(runs):
        clear_cache()  # SymPy's own cache would make repeats free
        _ALL_C_CACHE.clear()
        start = time.perf_counter()
        assert fn(C)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explicit-max", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, sympy {sp.__version__}")
    print("| C | explicit (s) | pattern (s) | explicit / pattern |")
    print("|---|---|---|---|")
    for C in (2, 5, 10, 20, 50, 100):
        p = median_time(pattern, C, args.runs)
        if C <= args.explicit_max:
            e = median_time(explicit, C, max(1, args.runs if C <= 10 else 1))
            print(f"| {C} | {e:.3f} | {p:.3f} | {e / p:.0f}x |")
        else:
            print(f"| {C} | not run (> {args.explicit_max}) | {p:.3f} | - |")


if __name__ == "__main__":
    main()
