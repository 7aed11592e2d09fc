r"""Hostile documents (issue 16, second pass): the holes left after tests/test_hostile.py, each with its reproducer.

Every test here failed on 7e03d8f (before these fixes) except five guards of what must not change (conditions
after \text{if }, a 900-term sum, exit 4 when no build succeeds). The items of issue 16 that held already (a FIFO,
/dev/zero, a huge file, YAML alias bombs, twelve cases blocks, the document's wall-clock budget) are tested in
tests/test_hostile.py. Large documents are generated at test time; slow work is simulated by patching, and a
wall-clock bound is only ever a generous safety net.
"""

from __future__ import annotations

import json
import os
import sys
import time

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


# ---------------------------------------------------------------------------------------------
# Integrity: relations after a \text comment are claims, whatever the comment's words


@pytest.mark.parametrize("display", [
    r"\sum_{k=1}^C \sigma(z_k) = 1 \text{ since } \sigma(z_i) = 2",  # a justification asserts what follows
    r"\sum_{k=1}^C \sigma(z_k) = 1 \text{ because } \sigma(z_i) = 2",
    r"\sigma(z_i) > 0 \text{ (by symmetry) } \sigma(z_i) = 2",
    r"\sigma(z_i) > 0 \text{ using } \sigma(z_i) = 2",
    r"\sigma(z_i) > 0 \text{ for all } i \text{, hence } \sigma(z_i) = 2",  # a claim after a condition
    r"\sigma(z_i) > 0 \text{ if } i = j \text{, hence } \sigma(z_i) = 2",
    r"\sigma(z_i) > 0 \text{ where } z_i = 1 \text{, and } \sigma(z_i) = 2",
    r"\sigma(z_i) > 0 \text{ hence {so} } \sigma(z_i) = 2",  # braces inside the comment
    r"\begin{aligned} \sigma(z_i) &> 0 && \text{hence } \sigma(z_i) = 2 \\ \sigma(z_j) &> 0 \end{aligned}",
])
def test_a_claim_after_any_comment_is_checked(display):
    """Each display holds the false claim sigma(z_i) = 2 after a comment: it is refuted, never dropped."""
    equation = check(f"$${display} \\quad (7)$$").equations[0]
    assert equation.status == "refuted"
    assert any(step.status == "refuted" and "= 2" in step.latex for step in equation.steps)


@pytest.mark.parametrize("display", [
    r"\sigma(z_i) > 0 \text{ so } \sigma(z_i) \to 2",  # a relation the checker does not read
    r"\sigma(z_i) > 0 \text{ so } 2 \lt \sigma(z_i)",
])
def test_a_claim_the_checker_cannot_read_is_never_proved(display):
    """What follows the comment cannot be checked: the display is unverified, not proved on its first part."""
    assert check(f"$${display} \\quad (7)$$").equations[0].status == "unverified"


@pytest.mark.parametrize("display, status", [
    (r"\frac{\partial \sigma(z_i)}{\partial z_j} = -\sigma(z_i)\sigma(z_j) \quad \text{for } i \neq j", "proved"),
    (r"\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(1 - \sigma(z_i)) \text{ if } i = j", "proved"),
    (r"\sum_{k=1}^C \sigma(z_k) = 1 \text{ for every } i = 1, \dots, C", "proved"),
])
def test_conditions_after_a_comment_stay_conditions(display, status):
    """\\text{if } i = j, \\text{for } i \\neq j: the case of the formula, not a claim."""
    equation = check(f"$${display} \\quad (1)$$").equations[0]
    assert equation.status == status and len(equation.steps) == 1


# ---------------------------------------------------------------------------------------------
# Integrity: a profile the front matter defines is listed, entry by entry, as the document's own reading

FALSE_SUM = "$$\\sum_{k=1}^C z_k = 1 \\quad (1)$$\n"
OWN_PROFILE = ("---\nprofile: {name: softmax, vectors: {z: {index: class, means: label}}, "
               "functions: {'\\sigma': softmax}}\n---\n")


def test_front_matter_changes_are_listed_in_text_and_json(tmp_path, capsys):
    """The header lists what the document redefined (z means label), in the text report and in JSON."""
    path = tmp_path / "hw.md"
    path.write_text(OWN_PROFILE + FALSE_SUM)
    assert main(["check", str(path)]) == 0  # proved, but only under the document's own reading, which is listed
    text = capsys.readouterr().out
    assert "vectors z: {index: class, means: label} (built-in: {index: class, means: logit})" in text
    assert "vectors x: removed" in text
    main(["check", str(path), "--format", "json"])
    notes = json.loads(capsys.readouterr().out)["front_matter"]
    assert notes[0] == "profile softmax (the document's own): defined by the document's front matter"
    assert "vectors z: {index: class, means: label} (built-in: {index: class, means: logit})" in notes
    main(["check", str(path), "--format", "json", "--front-matter", "ignore"])
    assert json.loads(capsys.readouterr().out)["front_matter"] == []


def test_front_matter_naming_a_model_is_listed(tmp_path, capsys):
    """A model named in the front matter is the document's choice, and the report says so."""
    path = tmp_path / "hw.md"
    path.write_text("---\nmodel: logistic\n---\n$$a = a \\quad (1)$$\n")
    main(["check", str(path), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["front_matter"] == ["model logistic: named by the document's front matter"]


def test_grade_ignores_front_matter(tmp_path):
    """grade never lets a submission choose its reading: the false sum stays refuted, nothing is listed."""
    from symsoft.grade.batch import grade

    path = tmp_path / "hw.md"
    path.write_text(OWN_PROFILE + FALSE_SUM)
    [result] = grade([path], jobs=1, timeout=30)
    assert result.outcome == "graded" and result.equations[0].status == "refuted"
    assert result.report["front_matter"] == [] and result.report["profile"] == "softmax"


# ---------------------------------------------------------------------------------------------
# Integrity: nothing stopped by a limit of the checker is remembered as a result


_REAL_DECIDE = checker._decide_step
_REAL_READ = checker._read_everything


def _dying_decide(left, relation, right, *rest):
    """The checker's decision, but the helper process dies (as the kernel kills it out of memory) on a sum."""
    if "Sum" in str(left):
        os._exit(137)
    return _REAL_DECIDE(left, relation, right, *rest)


def _slow_reading(*args):
    end = time.monotonic() + 30  # computing, not waiting: the limit is on CPU time
    while time.monotonic() < end:
        pass
    return _REAL_READ(*args)


def test_a_helper_that_dies_is_a_limit_never_remembered(monkeypatch, fresh_helper):
    """A => B whose hypothesis killed the helper: unverified with reason budget, and not in the memo."""
    monkeypatch.setattr(checker, "_decide_step", _dying_decide)
    memo: dict = {}
    document = r"$$\sum_{k=1}^C \sigma(z_k) = 1 \Rightarrow \sigma(z_i) > 1 \quad (1)$$"
    equation = check(document, memo=memo).equations[0]
    assert equation.status == "unverified" and equation.reason == "budget"
    assert "ran out of its budget" in equation.steps[0].message
    assert not [key for key in memo if key[0] == "equation"]


def test_a_reading_cut_short_decides_nothing(monkeypatch, fresh_helper):
    """When reading the document's own definitions runs out of time, no equation is decided without them."""
    monkeypatch.setattr(checker, "_read_everything", _slow_reading)
    memo: dict = {}
    document = "$$\\sigma(z) = \\frac{1}{1 + e^{-z}} \\quad (1)$$\n\n$$\\sigma(z_i) > 0 \\quad (2)$$\n"
    report = check(document, timeout=0.2, memo=memo)
    assert {e.status for e in report.equations} == {"unverified"}
    assert all(e.reason == "budget" and "reading the document's own definitions" in e.message for e in report.equations)
    assert not [key for key in memo if key[0] == "equation"]


# ---------------------------------------------------------------------------------------------
# Hangs: a deterministic budget of steps per document and per display


def test_check_has_a_deterministic_step_budget(capsys, tmp_path):
    """60 one-step equations with a budget of 50 steps: the last 10 are unverified (budget), on any machine,
    and the same when the verdicts come from a memo."""
    document = "".join(f"$$\\sigma(z_i) > 0 \\quad ({n})$$\n\n" for n in range(1, 61))
    memo: dict = {}
    for _ in range(2):  # the second time every verdict comes from the memo: the budget counts them all the same
        report = check(document, max_steps=50, memo=memo)
        assert [e.status for e in report.equations] == ["proved"] * 50 + ["unverified"] * 10
        assert report.equations[-1].reason == "budget" and "(50 steps)" in report.equations[-1].message
    path = tmp_path / "hw.md"
    path.write_text(document)
    assert main(["check", str(path), "--max-steps", "50"]) == 3
    assert "ran out of its budget (50 steps)" in capsys.readouterr().out
    assert main(["check", str(path), "--max-steps", "0"]) == 2  # a usage error, one line


def test_the_default_step_budget_is_the_checkers():
    """--help shows the default without importing the checker; both must agree."""
    from symsoft.cli import _DEFAULT_STEPS

    assert _DEFAULT_STEPS == checker.MAX_DOCUMENT_STEPS


def test_a_display_with_too_many_steps_is_unverified_at_once():
    """A chain of 150 relations is unverified with its reason, before any step is decided."""
    chain = " = ".join([r"\sigma(z_i)"] * 151)
    equation = check(f"$${chain} \\quad (1)$$").equations[0]
    assert equation.status == "unverified" and "too many steps" in equation.message and not equation.steps


# ---------------------------------------------------------------------------------------------
# A path is a path; nothing a document or a file name holds reaches the terminal raw


def test_the_api_reads_an_existing_file_whose_name_holds_dollars(tmp_path, monkeypatch):
    """check('x$$z_1 = z_1$$.md') reads that file (a false claim), never proves z_1 = z_1 from its name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x$$z_1 = z_1$$.md").write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    assert check("x$$z_1 = z_1$$.md").equations[0].status == "refuted"
    assert check("$$z_1 = z_1$$").equations[0].status == "proved"  # text stays text


def test_python_dash_m_symsoft_runs_the_command_line(tmp_path):
    """python -m symsoft check FILE: the same exit codes as the symsoft command."""
    import subprocess
    from pathlib import Path

    path = tmp_path / "hw.md"
    path.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    result = subprocess.run([sys.executable, "-m", "symsoft", "check", str(path)], capture_output=True, text=True,
                            timeout=300, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1 and "REFUTED" in result.stdout


def test_output_paths_on_stderr_are_printable(tmp_path, capsys):
    """'symsoft: wrote PATH' with an escape sequence in PATH prints no control character."""
    path = tmp_path / "hw.md"
    path.write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    main(["check", str(path), "--format", "latex", "-o", str(tmp_path / "o\x1b]0;PWNED\x07.tex")])
    err = capsys.readouterr().err
    assert "wrote" in err and "\x1b" not in err and "\x07" not in err


def test_an_engine_that_runs_out_of_time_is_tried_once_more_all_verbatim():
    """A TeX time limit (no line to blame) gives one more build with every piece verbatim, then exit 4."""
    from symsoft.decide.verdicts import EquationVerdict, Report
    from symsoft.errors import TeXCompileError
    from symsoft.render.latex.report import report_pdf

    calls = []

    def engine(tex, _path):
        calls.append(tex)
        raise TeXCompileError("the TeX engine ran for more than 120 s and was stopped", 120.0)

    with pytest.raises(TeXCompileError):
        report_pdf(Report("hw.md", "softmax", (EquationVerdict("1", 1, "a = b", (), "unverified"),)), "r.pdf", engine)
    assert len(calls) == 2 and "the TeX engine stopped on it" in calls[1]


def test_a_row_that_continues_with_a_plus_keeps_its_terms():
    """'+& more' in an aligned display continues the side above: the term is checked, never dropped."""
    display = r"\begin{aligned} \sum_{k=1}^C \sigma(z_k) =& 1 \\ +& 5 \end{aligned}"  # was PROVED: "+ 5" dropped
    equation = check(f"$${display} \\quad (1)$$").equations[0]
    assert [s.status for s in equation.steps] == ["refuted"] and "+ 5" in " ".join(equation.steps[0].latex.split())
