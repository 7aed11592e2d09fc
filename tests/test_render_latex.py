r"""LaTeX proofs and annotated reports: what is shown was checked, and every document compiles."""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import sympy as sp

from symsoft.check import check
from symsoft.cli import main
from symsoft.errors import ProofError, TeXEngineMissing
from symsoft.models.softmax.proofs import prove_all, prove_jacobian, prove_positivity
from symsoft.models.softmax.proofs_every_c import prove_every_c
from symsoft.render.latex import (
    TeXCompileError,
    UnsafeLatexError,
    compile_pdf,
    every_c_document,
    latex_of,
    proofs_document,
    report_document,
    sanitize_math,
)
from symsoft.models.softmax.model import SoftmaxRegression
from symsoft.decide.verdicts import Counterexample, EquationVerdict, Finding, Repair, Report, StepVerdict

ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "derivations").glob("[0-9]*.md"))

@lru_cache(maxsize=None)
def proofs_for(classes: int):
    return prove_all(SoftmaxRegression(classes=classes))


@lru_cache(maxsize=None)
def report_for(path: Path) -> Report:
    return check(path)


def _compiles(tex: str, folder: Path, name: str) -> Path:
    pdf = compile_pdf(tex, folder / f"{name}.pdf")
    assert pdf.read_bytes().startswith(b"%PDF"), name
    return pdf


# -- proofs -----------------------------------------------------------------------------------------
PROOF_DOCUMENTS = [2, 3, 10]


@pytest.mark.parametrize("classes", PROOF_DOCUMENTS)
def test_proof_document_compiles(classes, tex_engine, tmp_path):
    """The proofs for C = 2, 3, 10 and for every C compile without error or undefined reference."""
    tex = proofs_document(proofs_for(classes), classes)
    _compiles(tex, tmp_path, f"proofs-{classes}")


def test_proof_document_has_every_property_and_step():
    """One theorem per property, and every step of every proof is displayed as SymPy prints it."""
    proofs = proofs_for(3)
    tex = proofs_document(proofs, 3)
    assert tex.count(r"\begin{theorem}") == 6 == len(proofs)
    for proof in proofs:
        for number, step in enumerate(proof.steps, start=1):
            assert rf"\ssstep{{{number}}}{{{latex_of(step.lhs)}}}" in tex, (proof.name, number)
    jacobian = next(p for p in proofs if p.name == "jacobian")
    assert "(case $i = j$)" in tex and r"(case $i \neq j$)" in tex
    assert latex_of(jacobian.claim.rhs) == r"\sigma_{i} \left(\delta_{ij} - \sigma_{j}\right)"


def test_every_c_document_states_index_notation_and_has_no_artefacts():
    """The proofs for every C print sums up to C in the course notation, with no SymPy names."""
    tex = every_c_document(prove_every_c())
    assert r"\ssstep{1}{\sum_{k=1}^{C} \sigma\left(z_{k}\right)}{=}" in tex
    assert "checked for every $C$ at once" in tex
    for pattern in ARTEFACTS:
        assert not re.search(pattern, tex), pattern


def test_altered_step_makes_generation_fail():
    """A proof whose step was changed after it was checked cannot be typeset."""
    proof = prove_positivity(SoftmaxRegression(classes=2))
    steps = list(proof.steps)
    steps[2] = dataclasses.replace(steps[2], rhs=sp.Integer(1))  # e^{z_1} > 1 is false
    object.__setattr__(proof, "steps", tuple(steps))  # tamper with the frozen, already checked value
    with pytest.raises(ProofError, match="step 3"):
        proofs_document([proof], classes=2)


def test_altered_matrix_entry_makes_generation_fail():
    """Changing one entry of a checked Jacobian matrix is caught as well."""
    proof = prove_jacobian(SoftmaxRegression(classes=3))
    steps = list(proof.steps)
    last = steps[-1]
    altered = last.rhs.as_mutable()
    altered[2, 1] = -altered[2, 1]
    steps[-1] = dataclasses.replace(last, rhs=sp.ImmutableMatrix(altered))
    object.__setattr__(proof, "steps", tuple(steps))
    with pytest.raises(ProofError, match=r"entry \(3, 2\)"):
        proofs_document([proof], classes=3)


def test_proofs_for_another_classes_are_refused():
    """A document for C = 3 does not accept proofs checked for C = 2."""
    with pytest.raises(ValueError, match="C = 2"):
        proofs_document(proofs_for(2), classes=3)


ARTEFACTS = [
    r"operatorname{KroneckerDelta}",
    "KroneckerDelta",
    "Dummy",
    r"\b(?:sigma|z|y|x|W|w)\[",  # SymPy's Indexed printed raw
    r"(?<!\\)\b(?:sigma|delta)_",  # a Greek name without its backslash
    r"\w__\b",  # the checker's internal index names
    r"\\frac\{d\}",  # total-derivative notation for a partial derivative
    r"\\log\{\\left",  # SymPy's default bracketed log
]


@pytest.mark.parametrize("classes", PROOF_DOCUMENTS)
def test_proof_document_has_no_sympy_artefacts(classes):
    """No SymPy internals: no KroneckerDelta, no z[k], no dummy names, y printed as the label."""
    tex = proofs_document(proofs_for(classes), classes)
    for pattern in ARTEFACTS:
        assert not re.search(pattern, tex), pattern
    assert r"\hat{y}_{1}" in tex and r"w_{1}^{(1)}" in tex and r"\delta_{ij}" in tex


def test_long_sums_and_large_matrices_are_elided_in_index_order():
    """For C = 10 sums keep sigma_1, sigma_2, sigma_3 ... sigma_10 in order and matrices use dots."""
    tex = proofs_document(proofs_for(10), 10)
    assert r"\sigma_{1} + \sigma_{2} + \sigma_{3} + \dots + \sigma_{10}" in tex
    assert r"\ddots" in tex and r"\sigma_{10} \left(1 - \sigma_{10}\right)" in tex
    assert r"\hat{y}_{10} + \hat{y}_{2}" not in tex


# -- reports ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [HOMEWORK, *FIXTURES], ids=lambda p: p.name)
def test_report_document_compiles(path, tex_engine, tmp_path):
    """The annotated report of the homework and of every fixture compiles."""
    _compiles(report_document(report_for(path)), tmp_path, path.stem)


def test_homework_report_marks_error_and_correction():
    """(7) is marked refuted in the margin, with its counterexample and the corrected equation."""
    tex = report_document(report_for(HOMEWORK))
    seven = tex[tex.index(r"\textbf{Equation (7)}"):tex.index(r"\textbf{Equation (8)}")]
    assert r"\ssmark{refuted}" in tex[tex.index(r"\textbf{Equation (7)}") - 80:][:200]
    assert "Counterexample: $C = 2" in seven
    assert r"\sigma(z_i)(\delta_{ij} - \sigma(z_j))" in seven
    assert r"\section*{Summary}" in tex and "9 equations" in tex
    for pattern in ARTEFACTS[:3]:
        assert pattern not in tex


HOSTILE_EQUATIONS = [
    r"\input{/etc/passwd}",
    r"\immediate\write18{touch /tmp/symsoft-pwned}",
    r"\def\x{\x}\x",
    r"\catcode`\^^5c=12",
    r"x^^5cinput{/etc/passwd}",
    r"\csname input\endcsname{/etc/passwd}",
    r"\frac{a}{b",
    r"a}{b",
    r"x_1_2 = x^a^b",
    r"a & b \\ c",
    r"\left( x",
    r"x \right)",
    r"\text{$x$} \text{a_b}",
    r"100% sure # yes $",
    r"\end{document}",
    r"\begin{verbatim} x \end{verbatim}",
    r"\begin{align} a &= b \end{align}",
    "σ(z_i) − 1 ≤ 0 ∴ 🙂",
    "{" * 300 + "x" + "}" * 300,
    r"\sqrt[3",
    r"\\[-5pt] x",
    "x" * 5000,
    r"\verb|x|",
    r"\openout1=x.tex",
    r"\newcommand{\a}{b}",
    "a\n\nb",
]


def _hostile_report() -> Report:
    counterexample = Counterexample(2, 2, (("i", 1), ("j}", 2)), (("z_1", "0"), ("\\input{x}", "1/2"), ("y_2", "a$b")),
                                    "-0.5", r"\write18")
    steps = tuple(
        StepVerdict(number, latex, status, method="m_1 & #", facts=("label_sum", "x % y"),
                    classes=(2, 3), counterexample=counterexample if status == "refuted" else None,
                    repairs=(Repair(latex, r"the first \sigma(z_i should be }"),) if status == "refuted" else (),
                    message="false when i != j; '\\\\frac{' ~ ^", holds_when="i = j")
        for number, (latex, status) in enumerate(
            zip(HOSTILE_EQUATIONS, ["refuted", "proved", "unverified", "refuted"] * 10), start=1)
    )
    equations = tuple(
        EquationVerdict(label, line, latex, ("i != j", "}{"), status, steps[:3] if status == "refuted" else (),
                        message="could not parse: \\catcode")
        for line, (label, latex, status) in enumerate(
            zip(["1", "2}", "#3", None, "5_"] * 6, HOSTILE_EQUATIONS,
                ["refuted", "unverified", "definition", "proved"] * 7), start=1)
    )
    findings = (Finding(1, "typo_&", r"\sigma written where '\\partial' was meant; 50% #"),
                Finding(999, "index_range", "i runs to N_{ while $x^$ \\end{document}"))
    return Report("hw_&_#$%.md", "soft_max", equations, findings, None, error=r"\input{x} failed")


def test_hostile_report_compiles(tex_engine, tmp_path):
    """A report full of broken and hostile LaTeX in every field still compiles."""
    _compiles(report_document(_hostile_report()), tmp_path, "hostile")


def test_hostile_report_lets_no_dangerous_command_through():
    """No \\input, \\write, \\def, \\catcode, ... reaches the document as a command."""
    tex = report_document(_hostile_report())
    body = tex[tex.index(r"\begin{document}"):]
    dangerous = r"\\(input|include|write|immediate|openout|openin|read|def|catcode|csname|newcommand|verb)\b"
    assert not re.search(dangerous, body)
    assert "^^" not in body
    assert "shown verbatim" in body


def test_checked_hostile_document_compiles(tex_engine, tmp_path):
    """A document whose LaTeX does not compile as written goes through check and still typesets."""
    text = "\n\n".join(f"$${eq} \\quad ({n})$$" for n, eq in enumerate(HOSTILE_EQUATIONS[:17], start=1)
                       if "$" not in eq and "\n" not in eq)
    text += "\n\n$$\\frac{\\partial}{\\partial z_j} \\sigma(z_i) = \\sigma(z_i)(\\delta_{ij} - \\sigma(z_i)) \\quad (99)$$\n"
    report = check(text, timeout=2.0)
    _compiles(report_document(report), tmp_path, "checked-hostile")


# -- the whitelist ---------------------------------------------------------------------------------
SAFE_MATH = [
    r"\sigma(z_i) = \frac{e^{z_i}}{\sum_{k=1}^C e^{z_k}}, \forall i = 1, \dots, N",
    r"\begin{aligned} a &= b \\ &= c \end{aligned}",
    r"\frac{\partial}{\partial w_j^{(i)}} l(y, \hat{y}) = -\sum\limits_{k=1}^C \hat{y}_k [\delta_{k,i} - \sigma(z_i)] x_j",
    r"\left( \frac{a}{b} \right)^2 \leq \mathbb{R}^N \text{ if } i \neq j",
    r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix} \operatorname*{arg\,max}_k x_k",
    r"x'^2 + \sqrt[3]{y} + \big( z \big)",
    "σ(z_i) − 1 ≤ 0",
    "a\n\nb",
]
# A blank line inside a display (a paragraph end in TeX) is harmless once whitespace is normalised.
UNSAFE_MATH = [(eq, None) for eq in HOSTILE_EQUATIONS if eq != "a\n\nb"] + [
    (r"x\limits", "operator"),
    (r"\frac\frac{a}{b}{c}", "argument"),
    (r"x^2'", "prime"),
    (r"\text{\input{x}}", "text"),
    (r"\begin{array}{c@{}c} a \end{array}", "column"),
]


@pytest.mark.parametrize("latex", SAFE_MATH)
def test_safe_math_passes_the_whitelist(latex):
    """Ordinary homework LaTeX is typeset, not shown verbatim."""
    assert sanitize_math(latex)


@pytest.mark.parametrize("latex, reason", UNSAFE_MATH)
def test_unsafe_math_is_refused(latex, reason):
    """Dangerous or broken LaTeX is refused, with a reason."""
    with pytest.raises(UnsafeLatexError, match=reason):
        sanitize_math(latex)


def _random_formula(rng: random.Random, depth: int = 0) -> str:
    """A well-formed formula from a small grammar of homework LaTeX."""
    atoms = ["x", "z_i", r"\sigma(z_k)", r"\hat{y}_k", r"w_j^{(i)}", r"\delta_{ij}", "1", r"\partial", "e^{z_i}"]
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(atoms)
    a, b = _random_formula(rng, depth + 1), _random_formula(rng, depth + 1)
    forms = [f"{a} + {b}", f"{a} = {b}", rf"\frac{{{a}}}{{{b}}}", rf"\sum_{{k=1}}^C {a}", rf"\left( {a} \right)^2",
             rf"\sqrt[3]{{{a}}}", rf"{a} \leq {b}", rf"\begin{{aligned}} {a} &= {b} \\ &= {a} \end{{aligned}}",
             rf"\text{{if }} {a}", rf"\hat{{{a}}}", f"[{a}]_{{k}}", rf"\operatorname{{diag}} {a}", f"{a}'"]
    return rng.choice(forms)


def _mutated(text: str, rng: random.Random) -> str:
    """Delete, duplicate or insert one token: the slips that make a student's LaTeX fail to compile."""
    tokens = re.findall(r"\\[A-Za-z]+|\\.|.", text, re.S)
    where = rng.randrange(len(tokens) + 1)
    action = rng.choice(["delete", "duplicate", "insert"])
    if action == "delete" and where < len(tokens):
        del tokens[where]
    elif action == "duplicate" and where < len(tokens):
        tokens.insert(where, tokens[where])
    else:
        tokens.insert(where, rng.choice(["{", "}", "^", "_", "&", r"\\", r"\left(", r"\right)", r"\end{aligned}", "'", "$"]))
    return "".join(tokens)


def test_whitelisted_math_compiles_even_when_mistyped(tex_engine, tmp_path):
    """Everything the whitelist accepts compiles: well-formed formulas and one-token slips of them."""
    rng = random.Random(20240611)
    accepted, refused = list(SAFE_MATH), 0
    for _ in range(1500):
        formula = _random_formula(rng)
        for candidate in (formula, _mutated(formula, rng)):
            try:
                accepted.append(sanitize_math(candidate))
            except UnsafeLatexError:
                refused += 1
    assert len(accepted) > 1500 and refused > 200  # both paths are exercised
    equations = tuple(EquationVerdict(str(n), n, latex, (), "proved") for n, latex in enumerate(accepted))
    _compiles(report_document(Report("slips.md", "softmax", equations)), tmp_path, "slips")


# -- compiling and the command line -----------------------------------------------------------------
def test_compile_error_is_reported(tex_engine, tmp_path):
    """A LaTeX error fails with the log's message instead of writing a PDF."""
    broken = "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n"
    with pytest.raises(TeXCompileError, match="Undefined control sequence"):
        compile_pdf(broken, tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()


def test_undefined_reference_is_an_error(tex_engine, tmp_path):
    """A reference to a missing label fails the compilation."""
    dangling = "\\documentclass{article}\\begin{document}See \\ref{nowhere}.\\end{document}\n"
    with pytest.raises(TeXCompileError, match="undefined"):
        compile_pdf(dangling, tmp_path / "dangling.pdf")


def test_no_engine_says_how_to_install_one(monkeypatch, tmp_path):
    """Without latexmk and pdflatex the error names the packages to install."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(TeXEngineMissing, match="apt-get install texlive-latex-base"):
        compile_pdf("\\documentclass{article}", tmp_path / "x.pdf")


def test_engine_time_limit(monkeypatch, tmp_path):
    """An engine that does not finish is stopped and reported."""
    import symsoft.render.latex.pdf as render_pdf

    monkeypatch.setattr(render_pdf, "_engine", lambda: ["sh", "-c", "sleep 30", "engine"])
    with pytest.raises(TeXCompileError, match="more than 0.5 s"):
        compile_pdf("\\documentclass{article}", tmp_path / "x.pdf", timeout=0.5)


def test_cli_prove_writes_tex_and_pdf(tex_engine, tmp_path):
    """symsoft prove --output proofs.tex --pdf writes both files."""
    out = tmp_path / "proofs.tex"
    assert main(["prove", "softmax", "--classes", "2", "--output", str(out), "--pdf"]) == 0
    assert out.read_text().startswith(r"\documentclass")
    assert (tmp_path / "proofs.pdf").read_bytes().startswith(b"%PDF")


def test_cli_prove_all_c_needs_no_classes(tex_engine, tmp_path):
    """symsoft prove --all-c works without --classes and writes the PDF named by --output."""
    out = tmp_path / "all.pdf"
    assert main(["prove", "softmax", "--all-c", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_prove_text_output_is_unchanged(capsys):
    """Without --output and --pdf, prove prints the text proofs; --classes stays required without --all-c."""
    assert main(["prove", "softmax", "--classes", "2"]) == 0
    assert "holds for every C >= 1" in capsys.readouterr().out
    assert main(["prove", "softmax"]) == 2


def test_cli_check_latex_report(tex_engine, tmp_path):
    """symsoft check --format latex --pdf writes report.tex and report.pdf and keeps the exit code."""
    out = tmp_path / "report.tex"
    code = main(["check", str(FIXTURES[6]), "--format", "latex", "--output", str(out), "--pdf"])
    assert code == report_for(FIXTURES[6]).exit_code == 1
    assert r"\ssmark{refuted}" in out.read_text()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_cli_check_latex_to_stdout(capsys):
    """--format latex without --output prints the document."""
    main(["check", str(FIXTURES[1]), "--format", "latex"])
    assert capsys.readouterr().out.rstrip().endswith(r"\end{document}")


def test_cli_pdf_without_engine_exits_2(monkeypatch, tmp_path, capsys):
    """--pdf without a TeX engine prints one line saying how to install one and exits 2."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code = main(["prove", "softmax", "--classes", "2", "--pdf", "--output", str(tmp_path / "p.tex")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert "apt-get install texlive-latex-base" in err[-1]


def test_cli_pdf_with_json_is_a_usage_error(tmp_path):
    """--pdf asks for the LaTeX report, so --format json with --pdf is refused."""
    assert main(["check", str(FIXTURES[1]), "--format", "json", "--pdf", "-o", str(tmp_path / "r.json")]) == 2


@pytest.mark.parametrize("argv", [["prove", "softmax", "--classes", "2"], ["prove", "softmax", "--all-c"],
                                  ["prove", "--model", "logistic"]])
def test_a_proof_fragment_goes_into_lecture_notes(tex_engine, tmp_path, argv):
    """prove --fragment: LaTeX to \\input into notes that have their own theorem environment and layout."""
    from symsoft.cli import main
    from symsoft.render.latex import compile_pdf

    assert main([*argv, "--fragment", "-o", str(tmp_path / "proofs.tex")]) == 0
    fragment = (tmp_path / "proofs.tex").read_text(encoding="utf-8")
    assert "\\documentclass" not in fragment and "\\begin{document}" not in fragment
    assert "SoftmaxRegression" not in fragment and "sigma(z[" not in fragment
    notes = ("\\documentclass{article}\n\\usepackage{amsmath,amssymb,amsthm,graphicx,color}\n"
             "\\newtheorem{theorem}{Theorem}\n\\begin{document}\nLecture 4.\n\n" + fragment +  # as \\input puts it
             "\n\nThe end.\n\\end{document}\n")
    compile_pdf(notes, tmp_path / "notes.pdf")
    assert (tmp_path / "notes.pdf").stat().st_size > 1000


def test_a_fragment_is_never_a_pdf(tmp_path, capsys):
    from symsoft.cli import main

    assert main(["prove", "softmax", "--all-c", "--fragment", "-o", str(tmp_path / "p.pdf")]) == 2
    assert "--fragment" in capsys.readouterr().err and not (tmp_path / "p.pdf").exists()
