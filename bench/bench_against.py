"""The cold homework check of this tree against an earlier commit, side by side in one run.

Run: python bench/bench_against.py [--ref 020e081] [--runs 7] [--file derivations/softmax_homework.md]

The earlier commit is checked out with ``git worktree`` into a temporary folder; both trees run
``python -m symsoft.cli check FILE`` as new processes (PYTHONPATH set to the tree), alternating
which goes first on every run. Prints the median and minimum of each and the ratio of medians
(this tree / the earlier one); the target is a ratio of at most 1.0 on the homework (issue 10:
"the cold homework check is not slower than before").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(tree: Path, document: Path) -> float:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "symsoft.cli", "check", str(document)], cwd=tree, env=environment,
                   capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="020e081", help="the earlier commit (default: before issue 10)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file", default=str(ROOT / "derivations" / "softmax_homework.md"))
    args = parser.parse_args()
    document = Path(args.file).resolve()
    with tempfile.TemporaryDirectory() as folder:
        earlier = Path(folder) / "earlier"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(earlier), args.ref],
                       check=True, capture_output=True)
        try:
            times: dict[str, list[float]] = {"this tree": [], args.ref: []}
            _run(ROOT, document), _run(earlier, document)  # warm the file cache and byte code
            for number in range(args.runs):
                order = [("this tree", ROOT), (args.ref, earlier)]
                for name, tree in order if number % 2 == 0 else reversed(order):
                    times[name].append(_run(tree, document))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(earlier)],
                           check=False, capture_output=True)
    for name, values in times.items():
        print(f"{name:12s} median {statistics.median(values):6.2f} s   min {min(values):6.2f} s   ({len(values)} runs)")
    ratio = statistics.median(times["this tree"]) / statistics.median(times[args.ref])
    print(f"ratio of medians (this tree / {args.ref}): {ratio:.2f}")


if __name__ == "__main__":
    main()
