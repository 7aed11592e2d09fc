r"""Render a check report as HTML for Jupyter: each equation typeset (its LaTeX between ``$``, for MathJax), its
status, and under a refuted step the counterexample and the repair.

Everything the document wrote is HTML-escaped (a label, the LaTeX, a file name): the page shows it, never runs it.

>>> from symsoft.decide.verdicts import Report, EquationVerdict
>>> html = render_html(Report("hw.md", "softmax", (EquationVerdict("1", 3, "a < b", (), "definition"),)))
>>> "$a &lt; b$" in html and "definition" in html
True
"""

from __future__ import annotations

from html import escape

from symsoft.decide.verdicts import EquationVerdict, Report, StepVerdict
from symsoft.render.text import counterexample_parts, summary_line

#: the colour of each status's mark
_COLOURS = {"proved": "#1a7f37", "refuted": "#cf222e", "unverified": "#9a6700", "definition": "#0969da"}
_INDENT = "margin-left:2em"


def _math(latex: str) -> str:
    """LaTeX between ``$`` for MathJax, escaped for HTML."""
    return f"${escape(latex)}$"


def _mark(status: str) -> str:
    return f'<span style="color:{_COLOURS[status]};font-weight:bold">{escape(status)}</span>'


def _step_html(step: StepVerdict, many: bool) -> list[str]:
    head = f"step {step.number}: " if many else ""
    math = f" {_math(step.latex)}" if many else ""  # one step is the equation shown above it
    lines = [f'<div style="{_INDENT}">{head}{_mark(step.status)}{math}</div>']
    detail = []
    if step.status == "proved":
        detail.append(escape(step.method))
    elif step.status == "refuted":
        detail.append(escape(step.message + (f"; holds when {step.holds_when}" if step.holds_when else "")))
        if step.counterexample is not None:
            setting, others, sides = counterexample_parts(step.counterexample)
            detail.append("counterexample: " + escape(setting) + (f"<br>{escape(others)}" if others else "")
                          + f"<br>{escape(sides)}")
        if step.repairs:
            detail.append(f"repair: {escape(step.repairs[0].edit)}<br>corrected: {_math(step.repairs[0].latex)}")
            detail += [f"another repair: {escape(other.edit)}" for other in step.repairs[1:]]
        else:
            detail.append("no single-edit repair found")
    elif step.message:
        detail.append("reason: " + escape(step.message))
    lines += [f'<div style="margin-left:4em">{d}</div>' for d in detail if d]
    return lines


def _equation_html(eq: EquationVerdict) -> list[str]:
    label = escape(f"({eq.label})" if eq.label else "(unlabelled)")
    conditions = escape(f" if {', '.join(eq.conditions)}") if eq.conditions else ""
    lines = [f'<div class="symsoft-equation" style="margin-top:0.8em"><b>{label}</b> line {eq.line}{conditions} '
             f"{_mark(eq.status)}", f'<div style="{_INDENT}">{_math(eq.latex)}</div>']
    if eq.status == "definition" or not eq.steps:
        if eq.message and eq.status != "definition":
            lines.append(f'<div style="{_INDENT}">reason: {escape(eq.message)}</div>')
    else:
        for step in eq.steps:
            lines += _step_html(step, len(eq.steps) > 1)
    return lines + ["</div>"]


def render_html(report: Report) -> str:
    r"""The report as an HTML fragment: a header, each equation with its verdict, the findings and the summary.

    >>> from symsoft.decide.verdicts import Report, EquationVerdict, StepVerdict, Repair
    >>> step = StepVerdict(1, "x > 1", "refuted", message="false", repairs=(Repair("x < 1", "> should be <"),))
    >>> html = render_html(Report("<b>.md", "softmax", (EquationVerdict("2", 5, "x > 1", (), "refuted", (step,)),)))
    >>> "&lt;b&gt;.md" in html and "corrected: $x &lt; 1$" in html and "<b>.md" not in html
    True
    """
    lines = [f'<div class="symsoft-report"><div><b>symsoft check</b> <code>{escape(report.source)}</code> '
             f"(profile {escape(report.profile)})</div>"]
    for eq in report.equations:
        lines += _equation_html(eq)
    if report.findings:
        lines.append('<div style="margin-top:0.8em"><b>Findings</b><ul>')
        lines += [f"<li>line {f.line} [{escape(f.kind)}] {escape(f.message)}</li>" for f in report.findings]
        lines.append("</ul></div>")
    lines.append(f'<div style="margin-top:0.8em">{escape(summary_line(report))}</div></div>')
    return "\n".join(lines)
