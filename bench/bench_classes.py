"""Benchmark: checking for a given C (explicit against pattern method) and the proofs for every C.

Run: python bench/bench_classes.py [--runs 5] [--explicit-max 100] [--skip-homework]

Three tables, medians of --runs runs measured side by side in one process:
1. The Jacobian claim  d sigma_i / d z_j = sigma_i (delta_ij - sigma_j)  for C = 2 ... 100.
   - explicit: expand the softmax for C and prove the identity for every pair (i, j): C^2 proofs;
   - pattern: symsoft's decide(): one representative per pattern of index equalities (i = j,
     i != j), with the proof for every C used when C > 4.
2. `check(homework, classes=C)`, each run in a worker forked afresh from a process whose parser
   is warm: pattern (symsoft as shipped: for C > 4 the
   proof for every C and the counterexample families) against explicit (the same checker with
   both switched off, so every pattern is expanded at C), with the verdicts each gave.
3. The proofs for every C (symsoft.models.softmax.proofs_every_c), each against the given-C proof of the same
   theorem (symsoft.models.softmax.proofs) at C = 3 and C = 10.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symsoft import timelimit  # noqa: E402
from symsoft.models.softmax import claims  # noqa: E402
from symsoft.models.softmax.claims import decide, prove_identity  # noqa: E402
from symsoft.models.softmax.semantics import Instance, Partial, Softmax, Z, index, instantiate  # noqa: E402

HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
CLASSES = (2, 5, 10, 20, 50, 100)
i, j = index("i"), index("j")
LHS = Partial(Softmax(Z[i]), Z[j])
RHS = Softmax(Z[i]) * (sp.KroneckerDelta(i, j) - Softmax(Z[j]))


def _cold() -> None:
    """Empty SymPy's cache and symsoft's proof caches, and retire the checker's worker process."""
    clear_cache()  # SymPy's own cache would make repeats free
    claims._ALL_C_CACHE.clear()
    claims._FAMILY_CACHE.clear()
    if timelimit._worker is not None:  # the next check forks a new one from this process
        timelimit._worker.stop()
        timelimit._worker = None


def explicit(C: int) -> bool:
    """Prove the Jacobian claim for every pair (i, j) by expanding the softmax for C."""
    ok = True
    for a in range(1, C + 1):
        for b in range(1, C + 1):
            inst = Instance(C, 1, {i: a, j: b})
            ok &= prove_identity(instantiate(LHS, inst), instantiate(RHS, inst), inst)[0]
    return ok


def pattern(C: int) -> bool:
    """Decide the Jacobian claim with one representative per index pattern."""
    return decide(LHS, "=", RHS, {i: "class", j: "class"}, (), (C,), all_c=False).status == "proved"


def median_time(fn, arg, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        _cold()
        start = time.perf_counter()
        result = fn(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class _Explicit:
    """Switch off the large-C shortcuts (proof for every C, counterexample families) in this process."""

    def __enter__(self):
        self.saved = claims._pattern_for_all_c, claims._family_counterexample
        claims._pattern_for_all_c = lambda *a, **k: (False, ())
        claims._family_counterexample = lambda *a, **k: None
        return self

    def __exit__(self, *exc):
        claims._pattern_for_all_c, claims._family_counterexample = self.saved


def homework(C: int) -> str:
    from symsoft import check

    summary = check(HOMEWORK, classes=C).summary
    return f"{summary['proved']}/{summary['refuted']}/{summary['unverified']}"


def jacobian_table(runs: int, explicit_max: int) -> None:
    print("\n### Jacobian claim for a given C: explicit (C^2 proofs) against pattern\n")
    print("| C | explicit (s) | pattern (s) | explicit / pattern | runs |")
    print("|---:|---:|---:|---:|---:|")
    for C in CLASSES:
        p, ok_p = median_time(pattern, C, runs)
        assert ok_p
        if C <= explicit_max:
            e, ok_e = median_time(explicit, C, runs)
            assert ok_e
            print(f"| {C} | {e:.3f} | {p:.4f} | {e / p:,.0f}x | {runs} |", flush=True)
        else:
            print(f"| {C} | not run (> --explicit-max {explicit_max}) | {p:.4f} | - | {runs} |", flush=True)


def homework_table(runs: int) -> None:
    from symsoft import check

    check(HOMEWORK)  # warm the parser and the worker
    print("\n### check(homework, classes=C): explicit expansion against pattern + every-C\n")
    print("| C | explicit (s) | verdicts p/r/u | pattern (s) | verdicts p/r/u | explicit / pattern | runs |")
    print("|---:|---:|---|---:|---|---:|---:|")
    for C in CLASSES:
        p, verdict_p = median_time(homework, C, runs)
        with _Explicit():
            e, verdict_e = median_time(homework, C, runs)
        print(f"| {C} | {e:.2f} | {verdict_e} | {p:.2f} | {verdict_p} | {e / p:.1f}x | {runs} |", flush=True)


def proofs_table(runs: int) -> None:
    from symsoft.models.softmax import proofs, proofs_every_c
    from symsoft.models.softmax.model import SoftmaxRegression

    given = {p.__name__: p for p in proofs.PROVERS}
    print("\n### Proofs for every C against the given-C proofs of the same theorem\n")
    print("| theorem | every C (s) | given C = 3 (s) | given C = 10 (s) | every C / C = 10 | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for prover in proofs_every_c.PROVERS:
        every, _ = median_time(lambda _: prover(), None, runs)
        counterpart = given.get(prover.__name__)
        if counterpart is None:
            print(f"| {prover.__name__[6:]} | {every:.3f} | - | - | - | {runs} |", flush=True)
            continue
        small, _ = median_time(lambda C: counterpart(SoftmaxRegression(classes=C)), 3, runs)
        large, _ = median_time(lambda C: counterpart(SoftmaxRegression(classes=C)), 10, runs)
        print(f"| {prover.__name__[6:]} | {every:.3f} | {small:.3f} | {large:.3f} | {every / large:.2f} | {runs} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explicit-max", type=int, default=100)
    parser.add_argument("--skip-homework", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, sympy {sp.__version__}")
    jacobian_table(args.runs, args.explicit_max)
    if not args.skip_homework:
        homework_table(args.runs)
    proofs_table(args.runs)


if __name__ == "__main__":
    main()
