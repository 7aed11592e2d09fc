r"""The annotated report: a student's derivation typeset equation by equation with its verdicts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import sympy as sp

from symsoft.render.latex.frame import _REPORT_MACROS, _document
from symsoft.render.latex.printer import NotationPrinter, latex_of
from symsoft.render.latex.prose import _prose
from symsoft.render.text import summary_line
from symsoft.render.latex.sanitize import EVERY_PIECE, _math_or_verbatim, _verbatim, engine_refused, escape_text

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.decide.verdicts import Counterexample, EquationVerdict, Report, StepVerdict


# -- the annotated report ---------------------------------------------------------------------------------
_MARK = {"proved": r"\ssproved", "refuted": r"\ssrefuted", "unverified": r"\ssunverified",
         "definition": r"\ssdefinition"}
_FACT_LATEX = {"label_sum": r"$\sum_k \hat{y}_k = 1$", "label_nonnegative": r"$\hat{y}_k \geq 0$"}


def _status(status: str) -> str:
    return rf"\textcolor{{{status}}}{{\textbf{{{status}}}}}"


def _display(latex: str, frame: str = "") -> list[str]:
    """The student's math centred on its own line (framed in a colour), or verbatim with the reason."""
    kind, value = _math_or_verbatim(latex)
    if kind == "math" and value and frame:
        width = r"\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax"
        framed = rf"\fcolorbox{{{frame}}}{{white}}{{\ssfit{{{width}}}{{{value}}}}}"
        return [rf"\begin{{center}}\setlength{{\fboxrule}}{{0.8pt}}{framed}\end{{center}}"]
    if kind == "math" and value:
        return [rf"\begin{{center}}\ssfit{{\linewidth}}{{{value}}}\end{{center}}"]
    reason = escape_text(value) if kind == "verbatim" else "it is empty"
    return [
        r"\begin{flushleft}" + _verbatim(latex) + r"\end{flushleft}",
        rf"{{\small\color{{quiet}}(shown verbatim as written: symsoft does not typeset it because {reason})}}",
        "",
    ]


def _value_name(name: str) -> str:
    hat = re.fullmatch(r"\\hat\{y\}_(\d+|[a-z])", name)
    if hat:
        return rf"\hat{{y}}_{{{hat.group(1)}}}"
    weight = re.fullmatch(r"w_(\d+)\^\{\((\d+)\)\}", name)
    if weight:
        return rf"w_{{{weight.group(1)}}}^{{({weight.group(2)})}}"
    letter = re.fullmatch(r"([A-Za-z])_([a-z])", name)
    if letter:
        return rf"{letter.group(1)}_{{{letter.group(2)}}}"
    match = re.fullmatch(r"([A-Za-z]+)_\{?(\d+)(?:,(\d+))?\}?", name)
    if match:
        stem, first, second = match.groups()
        return NotationPrinter()._name(stem, [first, second] if second else [first])
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        return latex_of(sp.Symbol(name))
    return r"\text{" + escape_text(name) + "}"


def _number(text: str) -> str:
    if re.fullmatch(r"-?\d+/\d+", text):
        sign, fraction = ("-", text[1:]) if text.startswith("-") else ("", text)
        top, bottom = fraction.split("/")
        return rf"{sign}\tfrac{{{top}}}{{{bottom}}}"
    if re.fullmatch(r"-?\d+\.\d{7,}", text):  # the checker's 15 digits; six say as much to a reader
        return rf"\approx {float(text):.6g}"
    if re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text):
        return text
    return r"\text{" + escape_text(text)[:60] + "}" if re.fullmatch(r"[\w .]*", text) else "?"


def _counterexample(c: "Counterexample") -> str:
    settings = ([f"C = {c.classes}"] if c.classes else []) + ([f"D = {c.features}"] if c.features else []) + [f"{_value_name(k)} = {v}" for k, v in c.indices]
    values = [rf"{_value_name(k)} = {_number(v)}" for k, v in c.values]
    if c.others:
        values.append(", ".join(rf"{_value_name(k)} = {_number(v)}" for k, v in c.others)
                      + rf" \text{{ for }} k = {c.others_from}, \dots, {c.classes}")
    where = ", ".join(settings + values)
    return (rf"Counterexample: ${where}$. There the left side is ${_number(c.lhs)}$ and the right side"
            rf" ${_number(c.rhs)}$.")


def _proved_detail(step: "StepVerdict") -> str:
    detail = [_prose(step.method)] if step.method else []
    if step.classes:
        detail.append("checked for ${C = " + ", ".join(map(str, step.classes)) + "}$")
    if step.facts:
        detail.append("uses " + ", ".join(_FACT_LATEX.get(f) or _prose(f) for f in step.facts))
    if step.message:
        detail.append(_prose(step.message))
    return "; ".join(detail)


def _step_lines(step: "StepVerdict", many: bool) -> list[str]:
    head = rf"\ssmark{{{step.status}}}{{{_MARK[step.status]}}}"
    name = f"Step {step.number}" if many else "The equation"
    lines = [head + rf"{name} is {_status(step.status)}"]
    if step.status == "proved":
        detail = _proved_detail(step)
        lines[0] += (f": {detail}" if detail else "") + "."
        return lines
    if step.status == "refuted":
        what = _prose(step.message or "false")
        if step.holds_when:
            what += "; it holds when " + _prose(step.holds_when)
        lines[0] += f": {what}."
        if many:
            lines += _display(step.latex)
        if step.counterexample is not None:
            lines += [r"\par", _counterexample(step.counterexample)]
        if step.repairs:
            first = step.repairs[0]
            lines += [r"\par", r"\textcolor{proved}{\textbf{Repair:}} " + _prose(first.edit) + ". Corrected:"]
            lines += _display(first.latex, frame="proved")
            for other in step.repairs[1:]:
                lines.append(r"Another repair: " + _prose(other.edit) + ".")
        else:
            lines += [r"\par", "No repair by a single edit was found."]
        return lines
    lines[0] += ": " + _prose(step.message or "no reason given") + "."
    return lines


def _proved_run(steps: Sequence["StepVerdict"]) -> list[str]:
    """Consecutive proved steps with the same justification, said once."""
    numbers = [str(s.number) for s in steps]
    names = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    detail = _proved_detail(steps[0])
    return [rf"\ssmark{{proved}}{{\ssproved}}Steps {names} are {_status('proved')}" + (f": {detail}" if detail else "") + "."]


def _equation_lines(eq: "EquationVerdict", findings: Sequence) -> list[str]:
    label = f"Equation ({escape_text(eq.label)})" if eq.label else "Unlabelled equation"
    where = f"line {eq.line}"
    if eq.conditions:
        where += ", under the condition " + ", ".join(_prose(c) for c in eq.conditions)
    lines = [
        r"\par\bigskip\noindent",
        rf"\ssmark{{{eq.status}}}{{\Large{_MARK[eq.status]}}}\textbf{{{label}}} \quad"
        rf" {{\small\color{{quiet}}{where}}} \hfill {_status(eq.status)}\par\nopagebreak",
    ]
    lines += _display(eq.latex)
    if eq.status == "definition":
        lines.append(_prose(eq.message or "It restates a definition.") + ".")
    elif not eq.steps:
        lines.append(_prose(eq.message or "It was not checked.") + ".")
    many = len(eq.steps) > 1
    position = 0
    while position < len(eq.steps):
        step = eq.steps[position]
        run = [step]
        while (step.status == "proved" and position + len(run) < len(eq.steps)
               and eq.steps[position + len(run)].status == "proved"
               and _proved_detail(eq.steps[position + len(run)]) == _proved_detail(step)):
            run.append(eq.steps[position + len(run)])
        lines.append(r"\par")
        lines += _proved_run(run) if len(run) > 1 else _step_lines(step, many)
        position += len(run)
    for finding in findings:
        kind = escape_text(finding.kind.replace("_", " "))
        lines.append(rf"\par\ssmark{{unverified}}{{\ssfinding}}{{\small Finding ({kind}): {_prose(finding.message)}}}")
    return lines


def _summary_table(report: "Report") -> list[str]:
    lines = [
        r"\section*{Summary}",
        r"\begin{longtable}{@{}l r l p{0.52\linewidth}@{}}",
        r"\textbf{Equation} & \textbf{Line} & \textbf{Status} & \textbf{Steps and repair} \\ \hline \endhead",
    ]
    for eq in report.equations:
        steps = ", ".join(rf"{s.number}\,\textcolor{{{s.status}}}{{{_MARK[s.status]}}}" for s in eq.steps)
        repair = next((s.repairs[0].edit for s in eq.steps if s.status == "refuted" and s.repairs), "")
        note = (steps + ("; " if steps and repair else "") + (_prose(repair) if repair else "")) or "---"
        label = f"({escape_text(eq.label)})" if eq.label else "---"
        lines.append(rf"{label} & {eq.line} & \textcolor{{{eq.status}}}{{{_MARK[eq.status]}~{eq.status}}} & {note} \\")
    lines += [
        r"\hline",
        r"\multicolumn{4}{@{}l}{" + summary_line(report) + r"} \\",
        r"\end{longtable}",
    ]
    return lines


def report_document(report: "Report") -> str:
    r"""A complete LaTeX document: the student's derivation annotated equation by equation.

    Each equation is typeset as written (or verbatim, with the reason, when its LaTeX is not
    on the whitelist of :func:`sanitize_math`) with a coloured mark in the left margin:
    :math:`\checkmark` proved, :math:`\times` refuted, ? unverified, :math:`\equiv` definition.
    Each step follows with its verdict; under a refuted step come the counterexample and the
    corrected equation. Lint findings sit under the equation on their line (and in a list when
    they are on no equation's line), and a summary table ends the document.

    Parameters
    ----------
    report : Report
        From :func:`symsoft.check.check`.

    Returns
    -------
    str
        A document for pdflatex that compiles whatever LaTeX the student wrote.

    Examples
    --------
    >>> from symsoft.decide.verdicts import Report, EquationVerdict, StepVerdict
    >>> step = StepVerdict(1, r"\sigma(z_i) > 1", "refuted", message="false")
    >>> eq = EquationVerdict("2", 5, r"\sigma(z_i) > 1", (), "refuted", (step,))
    >>> tex = report_document(Report("hw.md", "softmax", (eq,)))
    >>> r"\ssmark{refuted}" in tex and r"\sigma(z_i) > 1" in tex
    True
    >>> bad = EquationVerdict("3", 7, r"\input{/etc/passwd}", (), "unverified", message="could not parse")
    >>> r"\input{" in report_document(Report("hw.md", "softmax", (bad,)))
    False
    """
    from symsoft import __version__

    chosen = f"$C = {report.classes}$" if report.classes else "$C = 2, 3, 4$"
    subtitle = (rf"checked by symsoft {escape_text(__version__)} with the profile"
                rf" \texttt{{{escape_text(report.profile)}}} for {chosen}")
    legend = (r"Marks in the margin: \textcolor{proved}{\ssproved}~proved (a symbolic proof), "
              r"\textcolor{refuted}{\ssrefuted}~refuted (a counterexample exists), "
              r"\textcolor{unverified}{\ssunverified}~unverified (not decided), "
              r"\textcolor{definition}{\ssdefinition}~definition, "
              r"\textcolor{unverified}{\ssfinding}~finding.")
    body = [legend, ""]
    if report.error:
        body.append(r"\textcolor{refuted}{\textbf{The document could not be checked:}} " + _prose(report.error))
    lines_with_equations = {eq.line for eq in report.equations}
    for eq in report.equations:
        body += _equation_lines(eq, [f for f in report.findings if f.line == eq.line])
    if not report.equations:
        body.append("The document has no display equations to check.")
    loose = [f for f in report.findings if f.line not in lines_with_equations]
    if loose:
        body += [r"\section*{Findings in the text}", r"\begin{itemize}"]
        body += [rf"\item line {f.line} ({escape_text(f.kind.replace('_', ' '))}): {_prose(f.message)}" for f in loose]
        body.append(r"\end{itemize}")
    body += _summary_table(report)
    title = r"Annotated derivation: \texttt{" + escape_text(Path(report.source).name or report.source) + "}"
    return _document(title, subtitle, _REPORT_MACROS, body)


#: Pieces of student math the PDF build shows verbatim one by one (after an engine error in each) before it
#: shows every piece verbatim: each costs one more run of the engine.
MAX_REFUSED_PIECES = 8


def _refused_piece(tex: str, typeset: dict, error) -> str | None:
    """The piece of student math (as written) on the line of ``tex`` where the engine stopped, or None."""
    problems = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], (list, tuple)) else ()
    numbers = [int(found) for problem in problems for found in re.findall(r"\.tex:(\d+): ", str(problem))[:1]]
    lines = tex.splitlines()
    for number in numbers[:1]:
        for line in (lines[number - 1: number] + lines[max(0, number - 3): number - 1][::-1]):
            pieces = [latex for latex, safe in typeset.items() if safe in line]
            if pieces:
                return max(pieces, key=lambda latex: len(typeset[latex]))
    return None


def report_pdf(report: "Report", output_pdf, compile_pdf=None) -> str:
    r"""Compile the report to ``output_pdf``; return the LaTeX that compiled.

    Student math that passes the whitelist can still stop pdflatex (``x^\quad``, ``\sqrt\sum``, a cases row
    with too many ``&``). When the engine stops in a piece of student math, that piece is shown verbatim
    ("the TeX engine stopped on it") and the document is built again; after
    :data:`MAX_REFUSED_PIECES` such pieces, or an error found in no piece, every piece is shown verbatim.
    Only when even that fails is :class:`~symsoft.errors.TeXCompileError` raised (exit code 4). The
    ``compile_pdf`` argument stands in for :func:`symsoft.render.latex.pdf.compile_pdf`.

    >>> from symsoft.decide.verdicts import Report, EquationVerdict
    >>> from symsoft.errors import TeXCompileError
    >>> def engine(tex, path):  # an engine that refuses x^\quad on its line
    ...     number = next((n for n, line in enumerate(tex.splitlines(), 1) if r"x^\quad" in line), None)
    ...     if number:
    ...         raise TeXCompileError("LaTeX failed", [f"./document.tex:{number}: Missing {{ inserted."], 1)
    >>> eq = EquationVerdict("1", 1, r"x^\quad = 1", (), "unverified")
    >>> tex = report_pdf(Report("hw.md", "softmax", (eq,)), "r.pdf", engine)
    >>> "the TeX engine stopped on it" in tex
    True
    """
    from symsoft.errors import TeXCompileError

    if compile_pdf is None:
        from symsoft.render.latex.pdf import compile_pdf
    refused: set[str] = set()
    everything = False
    while True:
        typeset: dict = {}
        with engine_refused(EVERY_PIECE if everything else frozenset(refused), typeset):
            tex = report_document(report)
        try:
            compile_pdf(tex, output_pdf)
            return tex
        except TeXCompileError as error:
            if everything:
                raise
            piece = _refused_piece(tex, typeset, error)
            everything = piece is None or piece in refused or len(refused) >= MAX_REFUSED_PIECES
            refused.add(piece or "")
