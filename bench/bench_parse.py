"""The fast Lark grammar against latex2sympy2 on every collected string, side by side in one run.

Run: python bench/bench_parse.py [--repeats 3] [--per-document 30]

Reads ``tests/fixtures/parse/strings.json`` (every string the checker parses in the fixtures).
Each repeat parses every string uncached with ``parse_latex`` (the grammar, falling back to
latex2sympy2 on what it refuses) and with latex2sympy2 alone, alternating which goes first per
string; SymPy's cache is cleared before each parse, so every parse is cold. Prints the median
over repeats of each total, the median per-string time, and the ratios (latex2sympy2 / grammar:
the target is at least 10), then the cold start of a new process reading one expression each way.

``--per-document K`` measures the strings as checks meet them instead: K strings at a time (about one document's
displays), each batch in a new process for each parser, the order of the two alternating per batch; inside a process
the imports and a warm-up parse of ``x`` by each parser are not timed (a check warms latex2sympy2 outside any time
limit too), so ANTLR's tables are built but its prediction cache holds only what the batch itself fills, as in
``symsoft check`` on one document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sympy.core.cache import clear_cache  # noqa: E402

from symsoft.errors import LatexParseError  # noqa: E402
from symsoft.parse import adapter  # noqa: E402
from symsoft.parse.grammar import parse_expression  # noqa: E402

_COLD = ("import time; start = time.perf_counter(); from symsoft.parse import adapter; "
         "adapter.{}(r'\\frac{{1}}{{N}} \\sum_{{n=1}}^N y_n \\log \\sigma(z_n)'); print(time.perf_counter() - start)")


def _timed(parse, text: str) -> float:
    clear_cache()
    start = time.perf_counter()
    try:
        parse(text)
    except LatexParseError:
        pass
    return time.perf_counter() - start


def _read_by_grammar(text: str) -> bool:
    try:
        parse_expression(text.strip())
        return True
    except LatexParseError:
        return False


def _cold_start(function: str) -> float:
    code = _COLD.format(function)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout)


_BATCH = """
import json, sys
sys.path.insert(0, {bench!r})
from bench_parse import _timed
from symsoft.parse import adapter
parse = adapter.parse_latex.__wrapped__ if {name!r} == "grammar" else adapter.parse_with_latex2sympy2
adapter.parse_latex.__wrapped__("x")
adapter.parse_with_latex2sympy2("x")  # both warmed: the grammar's fallback is latex2sympy2, a check warms it apart
print(sum(_timed(parse, text) for text in json.loads(sys.stdin.read())))
"""


def _per_document(texts: list[str], size: int) -> None:
    totals = {"grammar": 0.0, "latex2sympy2": 0.0}
    batches = [texts[start:start + size] for start in range(0, len(texts), size)]
    for number, batch in enumerate(batches):
        names = ["grammar", "latex2sympy2"] if number % 2 else ["latex2sympy2", "grammar"]
        for name in names:
            done = subprocess.run([sys.executable, "-c", _BATCH.format(bench=str(ROOT / "bench"), name=name)], cwd=ROOT,
                                  input=json.dumps(batch), capture_output=True, text=True, check=True)
            totals[name] += float(done.stdout.split()[-1])
    print(f"{len(texts)} strings in {len(batches)} new processes of {size} strings each (imports and warm-up not timed)")
    print(f"grammar (with fallback) {totals['grammar']:7.2f} s   latex2sympy2 {totals['latex2sympy2']:7.2f} s   "
          f"ratio {totals['latex2sympy2'] / totals['grammar']:5.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-document", type=int, default=0, metavar="K",
                        help="time K strings per new process (as one check meets them) instead of passes in one process")
    args = parser.parse_args()
    rows = json.loads((ROOT / "tests/fixtures/parse/strings.json").read_text())
    texts = [row["latex"] for row in rows if row.get("error") != "time limit"]  # 10^{10^{10}} evaluates for ever
    if args.per_document:
        _per_document(texts, args.per_document)
        return
    fast, slow = adapter.parse_latex.__wrapped__, adapter.parse_with_latex2sympy2
    read = [_read_by_grammar(t) for t in texts]
    totals = {"grammar": [], "latex2sympy2": []}
    per_string = {"grammar": [[] for _ in texts], "latex2sympy2": [[] for _ in texts]}
    for repeat in range(args.repeats):
        sums = {"grammar": 0.0, "latex2sympy2": 0.0}
        for number, text in enumerate(texts):
            order = [("grammar", fast), ("latex2sympy2", slow)]
            for name, parse in order if (number + repeat) % 2 else order[::-1]:
                seconds = _timed(parse, text)
                sums[name] += seconds
                per_string[name][number].append(seconds)
        for name in sums:
            totals[name].append(sums[name])
    medians = {name: [statistics.median(times) for times in per_string[name]] for name in per_string}
    grammar_total, slow_total = statistics.median(totals["grammar"]), statistics.median(totals["latex2sympy2"])
    print(f"{len(texts)} strings, {sum(read)} read by the grammar ({sum(read) / len(texts):.1%}), {args.repeats} repeats")
    print(f"all strings      grammar (with fallback) {grammar_total:7.2f} s   latex2sympy2 {slow_total:7.2f} s   "
          f"ratio {slow_total / grammar_total:5.1f}x")
    for label, chosen in (("read by grammar", True), ("refused", False)):
        ours = [m for m, r in zip(medians["grammar"], read) if r == chosen]
        theirs = [m for m, r in zip(medians["latex2sympy2"], read) if r == chosen]
        if ours:
            print(f"{label:16s} median per string: grammar {1000 * statistics.median(ours):6.2f} ms   latex2sympy2 "
                  f"{1000 * statistics.median(theirs):6.2f} ms   ratio of sums {sum(theirs) / sum(ours):5.1f}x")
    print(f"cold start (new process, import + first parse): grammar {_cold_start('parse_latex'):.2f} s   "
          f"latex2sympy2 {_cold_start('parse_with_latex2sympy2'):.2f} s")


if __name__ == "__main__":
    main()
