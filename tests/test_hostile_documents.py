r"""Hostile documents (issue 16, second pass): the holes left after tests/test_hostile.py, each with its reproducer.

Every test here failed on the commit before its fix. Large documents are generated at test time; slow
work is simulated by patching, and a wall-clock bound is only ever a generous safety net.
"""

from __future__ import annotations

import json
import sys

import pytest

from symsoft.check import check
from symsoft.cli import main

#: The checker module (``symsoft.check`` is also the name of the function the package re-exports).
checker = sys.modules["symsoft.check"]


# ---------------------------------------------------------------------------------------------
# PDF: math that passes the whitelist but stops pdflatex is shown verbatim, and the PDF is built

#: Each display passes the whitelist (or reaches the report through a message) and stopped pdflatex.
ENGINE_BREAKERS = {
    "quad_script": r"x^\quad = 1",
    "primes": r"x'_1' = 1",
    "sqrt_sum": r"\sqrt\sum = 1",
    "array_bar": r"\begin{array}{|} a \end{array} = 1",
    "cases_ampersands": r"\begin{cases} a & b & c & d \end{cases} = 1",
    "del_byte": "x\x7f = 1",
    "relation_path": "(a__ = 1)",
}


@pytest.mark.parametrize("name", sorted(ENGINE_BREAKERS))
def test_math_the_engine_refuses_is_shown_verbatim(tmp_path, capsys, tex_engine, name):
    """The PDF is built, the display is verbatim, and the exit code is the verdicts' (never 4, never 1 for it)."""
    path = tmp_path / "hw.md"
    path.write_text(f"$${ENGINE_BREAKERS[name]} \\quad (1)$$\n\n$$\\sigma(z_i) > 0 \\quad (2)$$\n", encoding="utf-8")
    code = main(["check", str(path), "--pdf", "-o", str(tmp_path / "report.tex")])
    assert "LaTeX failed" not in capsys.readouterr().err
    assert (tmp_path / "report.pdf").stat().st_size > 0
    report = check(path)
    assert code == report.exit_code != 4
    tex = (tmp_path / "report.tex").read_text()
    assert r"\ssfit{\linewidth}{\sigma(z_i) > 0}" in tex  # the other display is still typeset


def test_a_long_sum_still_builds(tmp_path, tex_engine):
    """A 900-term sum (generated) gives a PDF."""
    terms = " + ".join(f"z_{{{k}}}" for k in range(1, 901))
    path = tmp_path / "hw.md"
    path.write_text(f"$$\\sum_{{k=1}}^C z_k = {terms} \\quad (1)$$\n")
    main(["check", str(path), "--pdf", "-o", str(tmp_path / "report.pdf")])
    assert (tmp_path / "report.pdf").stat().st_size > 0


def test_pdf_fallback_is_deterministic_without_an_engine():
    """The fallback finds the refused piece from the engine's error line (a stand-in engine, no TeX needed)."""
    from symsoft.decide.verdicts import EquationVerdict, Report
    from symsoft.errors import TeXCompileError
    from symsoft.render.latex.report import MAX_REFUSED_PIECES, report_pdf

    calls = []

    def engine(tex, _path):
        calls.append(tex)
        for number, line in enumerate(tex.splitlines(), 1):
            if "\\ssfit" in line and "bad" in line:
                raise TeXCompileError("LaTeX failed", [f"./document.tex:{number}: Missing {{ inserted."], 1)

    equations = tuple(EquationVerdict(str(n), n, f"bad_{n} = {n}" if n % 2 else f"a_{n} = {n}", (), "unverified")
                      for n in range(1, 2 * MAX_REFUSED_PIECES + 4))
    tex = report_pdf(Report("hw.md", "softmax", equations), "r.pdf", engine)
    # one build per refused piece, until every piece is shown verbatim; the result always compiles
    assert len(calls) == MAX_REFUSED_PIECES + 2
    assert "\\ssfit{\\linewidth}{bad" not in tex and "{\\ttfamily\\small bad\\_1 = 1}" in tex


def test_a_build_that_cannot_succeed_exits_4(tmp_path, capsys, monkeypatch):
    """When even the all-verbatim document fails, the LaTeX is still written and the exit code is 4."""
    import symsoft.render.latex as render_latex
    from symsoft.errors import TeXCompileError

    def fail(tex, path, *args, **kwargs):
        raise TeXCompileError("LaTeX failed: ./document.tex:1: Emergency stop.", ["./document.tex:1: Emergency stop."], 1)

    monkeypatch.setattr(render_latex, "compile_pdf", fail)
    path = tmp_path / "hw.md"
    path.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    assert main(["check", str(path), "--pdf", "-o", str(tmp_path / "r.tex")]) == 4
    assert (tmp_path / "r.tex").exists()
    assert "Emergency stop" in capsys.readouterr().err
