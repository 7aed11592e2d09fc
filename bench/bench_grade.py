r"""Benchmark `symsoft grade` on a class of 1,000 generated submissions (not a timed test).

Run: python bench/bench_grade.py [--submissions 1000] [--jobs 2] [--sample 20]

The submissions are variants of derivations/softmax_homework.md and of the fixtures in
tests/fixtures/derivations, correct and wrong, made by a seeded generator:

- prose edits (a different sentence: a new file, the same equations);
- index swaps (one ``z_i`` becomes ``z_j`` or back, or one ``_{k}`` becomes ``_{i}``) in one display;
- sign flips (one ``-`` becomes ``+`` or back) in one display;
- label shuffles (the equation labels permuted).

Each base document has a small pool of such edited versions (single edits and pairs) and a
submission is the base or one of them, as the students of one class make a handful of common
mistakes; most submissions also get their own prose. The whole folder is graded once with
``grade(jobs=N)``; then a sample is checked again in this process, stage by stage, to split the
time between reading and parsing, checking and rendering. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASES = [ROOT / "derivations" / "softmax_homework.md"] + sorted(
    p for p in (ROOT / "tests" / "fixtures" / "derivations").glob("*.md") if p.name != "README.md"
)
_DISPLAY = re.compile(r"\$\$.+?\$\$", re.DOTALL)
_PROSE = ["Therefore we get:", "Hence:", "So we have", "It follows that", "We obtain", "Thus"]
#: How many edits of each kind a base document offers its students.
POOL = 4


def _displays(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DISPLAY.finditer(text)]


def _edit_display(text: str, rng: random.Random, pattern: str, replace) -> str | None:
    spans = _displays(text)
    rng.shuffle(spans)
    for start, end in spans:
        body = text[start:end]
        sites = list(re.finditer(pattern, body))
        if sites:
            site = rng.choice(sites)
            body = body[: site.start()] + replace(site.group(0)) + body[site.end():]
            return text[:start] + body + text[end:]
    return None


def index_swap(text: str, rng: random.Random) -> str | None:
    """One index occurrence in one display swapped (i <-> j, or a sum index replaced by i)."""
    swap = {"z_i": "z_j", "z_j": "z_i", "_{k}": "_{i}", "z_k": "z_i"}
    return _edit_display(text, rng, r"z_i|z_j|z_k|_\{k\}", lambda s: swap[s])


def sign_flip(text: str, rng: random.Random) -> str | None:
    """One binary minus or plus in one display flipped."""
    return _edit_display(text, rng, r"(?<=[}\)\w]) [-+] ", lambda s: " + " if "-" in s else " - ")


def label_shuffle(text: str, rng: random.Random) -> str | None:
    """The ``\\quad (N)`` / ``\\tag{N}`` labels permuted."""
    labels = re.findall(r"\\quad \((\d+)\)|\\tag\{(\d+)\}", text)
    numbers = [a or b for a, b in labels]
    if len(numbers) < 2:
        return None
    shuffled = numbers[:]
    rng.shuffle(shuffled)
    it = iter(shuffled)
    return re.sub(r"\\quad \((\d+)\)|\\tag\{(\d+)\}",
                  lambda m: f"\\quad ({next(it)})" if m.group(1) else f"\\tag{{{next(it)}}}", text)


def prose_edit(text: str, rng: random.Random) -> str:
    """A sentence of prose added before the first display: a different file, the same maths."""
    start = _displays(text)[0][0]
    return text[:start] + f"{rng.choice(_PROSE)} (student {rng.randrange(10**6)})\n\n" + text[start:]


def variants(text: str, rng: random.Random) -> list[str]:
    """A base document's pool of edited versions: single edits of each kind, and pairs."""
    singles = []
    for make in (index_swap, sign_flip, label_shuffle):
        for _ in range(POOL):
            edited = make(text, rng)
            if edited is not None and edited != text and edited not in singles:
                singles.append(edited)
    pairs = []
    for edited in rng.sample(singles, k=min(POOL, len(singles))):
        again = rng.choice((index_swap, sign_flip))(edited, rng)
        if again is not None:
            pairs.append(again)
    return singles + pairs


def generate(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` submissions into ``folder``, a quarter of them unedited; return their paths."""
    rng = random.Random(seed)
    pools = {base: variants(base.read_text(encoding="utf-8"), rng) for base in BASES}
    paths = []
    for number in range(count):
        base = BASES[number % len(BASES)]
        text = base.read_text(encoding="utf-8") if rng.random() < 0.25 else rng.choice(pools[base])
        if rng.random() < 0.7:
            text = prose_edit(text, rng)
        path = folder / f"student_{number:04d}_{base.stem}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stages(paths: list[Path]) -> dict[str, float]:
    """Seconds spent reading + parsing, checking and rendering a sample, in this process."""
    import importlib

    from symsoft.read.document import read_document
    from symsoft.grade.batch import _result, Rubric
    from symsoft.parse.latex import parse_equation
    from symsoft.render.grade import render_csv, render_junit, render_json
    from symsoft.render.json import report_dict

    checker = importlib.import_module("symsoft.check")
    totals = {"read and parse": 0.0, "check (decide, repairs)": 0.0, "score and render": 0.0}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        document = read_document(text)
        for eq in document.equations:
            try:
                parse_equation(eq.latex)
            except Exception:  # a parse error is an unverified equation, timed all the same
                pass
        parsed = time.perf_counter()
        report = checker.check(text, path_hint=str(path))
        checked = time.perf_counter()
        result = _result(str(path), "", "graded", report.equations, Rubric(), report_dict(report))
        render_csv([result]), render_json([result]), render_junit([result])
        rendered = time.perf_counter()
        totals["read and parse"] += parsed - start
        # check() parses again (in its worker): that share belongs to parsing, not to checking
        totals["check (decide, repairs)"] += max(0.0, (checked - parsed) - (parsed - start))
        totals["score and render"] += rendered - checked
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20, help="submissions timed stage by stage in-process")
    parser.add_argument("--doc-timeout", type=float, default=60.0)
    args = parser.parse_args()

    from symsoft.grade.batch import grade

    folder = Path(tempfile.mkdtemp(prefix="symsoft-bench-grade-"))
    try:
        paths = generate(folder, args.submissions)
        distinct = len({p.read_bytes() for p in paths})
        start = time.perf_counter()
        results = grade([folder], jobs=args.jobs, doc_timeout=args.doc_timeout)
        elapsed = time.perf_counter() - start
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        outcomes = {o: sum(r.outcome == o for r in results) for o in ("graded", "error", "limit")}
        scored = sum(r.score for r in results) / max(1.0, sum(r.max_score for r in results))
        sample = paths[:: max(1, len(paths) // args.sample)][: args.sample]
        split = stages(sample)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    rate = len(results) / elapsed
    total = sum(split.values()) or 1.0
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}")
    print()
    print("| measurement | value |")
    print("|---|---|")
    print(f"| submissions (distinct files) | {len(results)} ({distinct}) |")
    print(f"| outcomes | {outcomes['graded']} graded, {outcomes['error']} error, {outcomes['limit']} limit |")
    print(f"| points earned / points possible | {scored:.0%} |")
    print(f"| wall time, jobs={args.jobs} | {elapsed:.1f} s |")
    print(f"| submissions per second (target >= 16) | {rate:.1f} |")
    print(f"| peak memory: grading process | {peak_self:.0f} MB |")
    print(f"| peak memory: largest worker (children) | {peak_children:.0f} MB |")
    print()
    print(f"Time split on a sample of {len(sample)} submissions checked one by one in this process "
          "(no shared verdicts, cold caches on the first):")
    print()
    print("| stage | seconds | share |")
    print("|---|---|---|")
    for name, seconds in split.items():
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
