"""The fast Lark grammar against latex2sympy2 on every string the checker parses in the fixtures.

``tests/fixtures/parse/strings.json`` holds each string with latex2sympy2's reading (``srepr``) or
its error, made by ``tests/fixtures/parse/collect.py``. Where the grammar reads a string, the
adapter must return exactly latex2sympy2's expression; what it refuses goes to latex2sympy2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from symsoft.errors import LatexParseError
from symsoft.parse import adapter
from symsoft.parse.grammar import parse_expression

ROWS = json.loads((Path(__file__).parent / "fixtures" / "parse" / "strings.json").read_text(encoding="utf-8"))
# latex2sympy2's reading ran out of time (10^{10^{10}} evaluated): both readers build the same
# unevaluated power there, and the check's time limit stops its evaluation either way
ROWS = [row for row in ROWS if row.get("error") != "time limit"]


def _reference(row: dict) -> str:
    return row.get("srepr") or "error"


def _ours(text: str) -> str | None:
    """The adapter's reading through the grammar, or None when the grammar refuses the string."""
    try:
        parse_expression(text.strip())
    except LatexParseError:
        return None
    try:
        return sp.srepr(adapter.parse_latex.__wrapped__(text))
    except LatexParseError:
        return "error"


def test_the_grammar_reads_what_latex2sympy2_reads_and_nothing_else():
    """No string reads differently; at least 98 % of those latex2sympy2 reads are read by the grammar."""
    read = [(row, _ours(row["latex"])) for row in ROWS]
    mismatches = [(row["latex"], ours, _reference(row)) for row, ours in read if ours is not None and ours != _reference(row)]
    assert mismatches == []
    readable = [ours for row, ours in read if "srepr" in row]
    coverage = sum(ours is not None for ours in readable) / len(readable)
    print(f"grammar reads {sum(o is not None for _, o in read)}/{len(read)} strings, "
          f"{coverage:.1%} of the {len(readable)} latex2sympy2 reads")
    assert coverage >= 0.98


def test_a_read_never_imports_latex2sympy2():
    """A side the grammar reads does not load latex2sympy2 (nor antlr): the cold start stays small."""
    import subprocess
    import sys

    code = ("import sys; from symsoft.parse.adapter import parse_latex; parse_latex(r'\\frac{a}{b} + \\sigma(z)'); "
            "print('latex2sympy2' in sys.modules, 'antlr4' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[1])
    assert done.stdout.split() == ["False", "False"], done.stderr


#: The tests that run latex2sympy2 itself (an optional extra, for Python 3.12 and older) as the grammar's oracle.
needs_latex2sympy2 = pytest.mark.skipif(not adapter.latex2sympy2_available(),
                                        reason="latex2sympy2 (the optional extra) is not installed or not importable here")


@needs_latex2sympy2
@pytest.mark.parametrize("latex", [r"\mathit{Qtr}", r"x^y^2", r"x{(y)}", r"|a|b|c|", r"\sum_{k=1}^{C} e^{z_k}"])
def test_quirks_are_refused_or_mirrored(latex):
    """latex2sympy2's quirks (tr is a keyword, x^y^2 nests, f{(x)} calls) go to latex2sympy2 itself."""
    try:
        ours = adapter.parse_latex.__wrapped__(latex)
    except LatexParseError:
        ours = "error"
    try:
        theirs = adapter.parse_with_latex2sympy2(latex)
    except LatexParseError:
        theirs = "error"
    assert ours == theirs
