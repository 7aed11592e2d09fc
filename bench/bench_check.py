"""Benchmark `symsoft check` on the homework: cold from the shell and warm per document.

Run: python bench/bench_check.py [--runs 5]
Prints medians of the runs, measured side by side in one process:
- cold: `symsoft check derivations/softmax_homework.md` as a new process (target < 2 s), and
  with `--classes 50` and `--classes 100` (target < 5 s);
- warm: `symsoft.check(...)` again in a process that already checked it once (target < 0.3 s);
- warm on each of the fixtures in tests/fixtures/derivations (per document).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "derivations").glob("*.md") if p.name != "README.md")


def cold(runs: int, *options: str) -> list[float]:
    """Wall-clock times of ``symsoft check homework [options]`` as a new process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "symsoft.cli", "check", str(HOMEWORK), *options],
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def warm(paths: list[Path], runs: int) -> list[float]:
    from symsoft import check

    for path in paths:  # first pass warms the parser and the worker
        check(path)
    times = []
    for _ in range(runs):
        for path in paths:
            start = time.perf_counter()
            check(path)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = [
        ("homework, cold from the shell", cold(args.runs), 2.0),
        ("homework --classes 50, cold from the shell", cold(args.runs, "--classes", "50"), 5.0),
        ("homework --classes 100, cold from the shell", cold(args.runs, "--classes", "100"), 5.0),
        ("homework, warm (same process)", warm([HOMEWORK], args.runs), 0.3),
        (f"fixtures, warm per document ({len(FIXTURES)} docs)", warm(FIXTURES, max(1, args.runs // 2)), 0.3),
    ]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("| measurement | median (s) | min (s) | runs | target (s) | median / target |")
    print("|---|---|---|---|---|---|")
    for name, times, target in rows:
        median = statistics.median(times)
        print(f"| {name} | {median:.2f} | {min(times):.2f} | {len(times)} | {target} | {median / target:.1f} |")


if __name__ == "__main__":
    main()
