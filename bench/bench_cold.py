"""Cold `symsoft check` on the homework against a bare `python -c "import sympy"`, side by side.

Run: python bench/bench_cold.py [--runs 7]

Both commands start a new Python process; the runs alternate (sympy first on even runs, symsoft first on
odd ones) so that both see the same machine load. Prints the median and minimum wall-clock time of each
and the ratio of medians; issue 11's target is a ratio of at most 3. The exit status is 1 when the ratio
misses it.
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
TARGET = 3.0

COMMANDS = {
    "python -c 'import sympy'": [sys.executable, "-c", "import sympy"],
    "symsoft check derivations/softmax_homework.md": [sys.executable, "-m", "symsoft.cli", "check", str(HOMEWORK)],
}


def timed(command: list[str]) -> float:
    """Wall-clock seconds of one run of ``command`` as a new process (output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    names = list(COMMANDS)
    for run in range(args.runs):
        for name in (names if run % 2 == 0 else names[::-1]):
            times[name].append(timed(COMMANDS[name]))
    base = statistics.median(times[names[0]])
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs each, alternating")
    print("| command | median (s) | min (s) | median / import sympy |")
    print("|---|---:|---:|---:|")
    for name in names:
        median = statistics.median(times[name])
        print(f"| {name} | {median:.2f} | {min(times[name]):.2f} | {median / base:.2f} |")
    ratio = statistics.median(times[names[1]]) / base
    print(f"target: at most {TARGET:g} times import sympy: {'met' if ratio <= TARGET else 'missed'} ({ratio:.2f})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
