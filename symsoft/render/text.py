r"""Render a check report as text a student can read (colour only on a terminal), or Markdown.

>>> from symsoft.decide.verdicts import Report, EquationVerdict
>>> print(render_text(Report("hw.md", "softmax", (EquationVerdict("1", 3, "a = a", (), "definition"),))))
symsoft check hw.md  (profile softmax, C = 2, 3, 4)
proved: a symbolic proof for each index case and each C listed; refuted: an exact counterexample
<BLANKLINE>
(1)  line 3  DEFINITION
<BLANKLINE>
Summary: 1 equation: 0 proved, 0 refuted, 0 unverified, 1 definition; 0 findings
"""

from __future__ import annotations

import dataclasses
import re

from symsoft.models.softmax.profile import OWN_PROFILE
from symsoft.decide.verdicts import Counterexample, EquationVerdict, Report, StepVerdict

# Control characters (C0, DEL, C1) and the bidirectional overrides that could redraw or reorder a terminal line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_COLOURS = {"proved": "32", "refuted": "31", "unverified": "33", "definition": "36"}
_FACTS = {
    "label_sum": "sum_k yhat_k = 1",
    "label_nonnegative": "yhat_k >= 0",
    "signs": "each sign of what a log, |.|, max or min holds (a case split), where the logs are defined",
}


def printable(text: str, keep_newlines: bool = False) -> str:
    r"""``text`` safe to print on a terminal: every control character becomes U+FFFD, a tab a space.

    An escape sequence in a document (a colour, a cursor move, a window title) or a carriage return
    could otherwise print a fake "PROVED" line. Newlines become U+FFFD too unless ``keep_newlines``.

    >>> printable("a\x1b[2K\rPROVED\tb\n")
    'a\ufffd[2K\ufffdPROVED b\ufffd'
    >>> printable("line 1\nline 2", keep_newlines=True)
    'line 1\nline 2'
    """
    text = text.replace("\t", " ")
    if not keep_newlines:
        text = text.replace("\n", "\N{REPLACEMENT CHARACTER}")
    return _UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", text)


def _printable_fields(value):
    """``value`` with :func:`printable` applied to every string inside it (dataclasses, tuples)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple):
        return tuple(_printable_fields(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _printable_fields(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\033[1;{_COLOURS[status]}m{text}\033[0m" if colour else text


def _facts(step: StepVerdict) -> str:
    return ", ".join(_FACTS.get(f, f) for f in step.facts)


def counterexample_parts(c: Counterexample) -> tuple[str, str, str]:
    """A counterexample in words: its setting, the values of the classes it sets alike ("" when none) and both sides.

    >>> from symsoft.decide.verdicts import Counterexample
    >>> counterexample_parts(Counterexample(2, 0, (("i", 1), ("j", 2)), (("z_1", "0"), ("z_2", "1")), "-0.19", "-0.07"))
    ('C = 2, i = 1, j = 2; z_1 = 0, z_2 = 1', '', 'left side = -0.19, right side = -0.07')
    """
    where = ", ".join(f"{k} = {v}" for k, v in c.indices)
    values = ", ".join(f"{k} = {v}" for k, v in c.values)
    sizes = ", ".join(([f"C = {c.classes}"] if c.classes else []) + ([f"D = {c.features}"] if c.features else [])
                      + [f"{axis} = {n}" for axis, n in c.sizes])
    setting = "; ".join(p for p in (", ".join(p for p in (sizes, where) if p), values) if p)
    others = f"and for k = {c.others_from}, ..., {c.classes}: " + ", ".join(f"{k} = {v}" for k, v in c.others) \
        if c.others else ""
    return setting, others, f"left side = {c.lhs}, right side = {c.rhs}"


def _step_lines(step: StepVerdict, colour: bool, many: bool) -> list[str]:
    head = f"step {step.number}: " if many else ""
    lines = [f"    {head}{_paint(step.status, step.status, colour)}   {step.latex}"]
    if step.status == "proved":
        detail = step.method
        if step.classes:
            detail += "" if step.for_all_c else f"; for C = {', '.join(map(str, step.classes))}"
        if step.sizes:
            detail += "; for " + " and ".join(f"{axis} = {', '.join(map(str, sizes))}" for axis, sizes in step.sizes)
        if step.features:
            detail += (" and every D" if step.classes and not step.for_all_c else "; for every D") if step.for_every_d else \
                (" and" if step.classes and not step.for_all_c else "; for") + f" D = {', '.join(map(str, step.features))}"
        if step.facts:
            detail += f"; uses {_facts(step)}"
        lines.append(f"        {detail}")
        if step.message:
            lines.append(f"        note: {step.message}")
    elif step.status == "refuted":
        c = step.counterexample
        lines.append(f"        {step.message}" + (f"; holds when {step.holds_when}" if step.holds_when else ""))
        if c is not None:
            setting, others, sides = counterexample_parts(c)
            lines.append("        counterexample: " + setting)
            if others:
                lines.append(f"            {others}")
            lines.append(f"            {sides}")
        if step.repairs:
            lines.append("        repair: " + step.repairs[0].edit)
            lines.append("            corrected: $$" + step.repairs[0].latex + "$$")
            for other in step.repairs[1:]:
                lines.append("        another repair: " + other.edit)
        else:
            lines.append("        no single-edit repair found")
    else:
        lines.append(f"        reason: {step.message}")
    return lines


def _equation_lines(eq: EquationVerdict, colour: bool) -> list[str]:
    label = f"({eq.label})" if eq.label else "(unlabelled)"
    conditions = f"  if {', '.join(eq.conditions)}" if eq.conditions else ""
    lines = [f"{label}  line {eq.line}{conditions}  {_paint(eq.status.upper(), eq.status, colour)}"]
    if eq.status == "definition" or (eq.message and not eq.steps):
        if eq.message and eq.status != "definition":
            lines.append(f"    reason: {eq.message}")
        return lines
    for step in eq.steps:
        lines.extend(_step_lines(step, colour, len(eq.steps) > 1))
    return lines


def render_text(report: Report, colour: bool = False) -> str:
    r"""The report as plain text; ``colour`` adds ANSI colours to the statuses.

    Everything the document wrote (labels, LaTeX, file name) goes through :func:`printable` first.

    >>> from symsoft.decide.verdicts import Report, EquationVerdict
    >>> "\x1b" in render_text(Report("hw.md", "softmax", (EquationVerdict("1\x1b]0;x\x07", 3, "a", (), "definition"),)))
    False
    """
    report = _printable_fields(report)
    chosen = f"C = {report.classes}" if report.classes else "C = 2, 3, 4"
    own = report.profile.endswith(OWN_PROFILE)
    if report.profile == "softmax" or own:
        lines = [f"symsoft check {report.source}  (profile {report.profile}, {chosen})",
                 "proved: a symbolic proof for each index case and each C listed; refuted: an exact counterexample", ""]
    else:
        lines = [f"symsoft check {report.source}  (model {report.profile})",
                 "proved: a symbolic proof for each index case and each size listed; refuted: an exact counterexample", ""]
    if report.front_matter or own:
        lines[-1:-1] = ["note: the document's front matter sets its own reading; the verdicts are under it"
                        " (symsoft check --front-matter ignore or forbid reads it under the built-in profile):",
                        *(f"    {note}" for note in report.front_matter)]
    for eq in report.equations:
        lines.extend(_equation_lines(eq, colour))
        lines.append("")
    if report.findings:
        lines.append("Findings:")
        for f in report.findings:
            lines.append(f"  line {f.line} [{f.kind}] {f.message}")
        lines.append("")
    lines.append(f"Summary: {summary_line(report)}")
    return "\n".join(lines)


def counted(number: int, noun: str, plural: str = "") -> str:
    """``number`` and ``noun``, plural unless the number is 1 (``plural`` when adding an s is wrong).

    >>> counted(1, "equation"), counted(2, "equation"), counted(0, "finding"), counted(2, "entry", "entries")
    ('1 equation', '2 equations', '0 findings', '2 entries')
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def summary_line(report: Report) -> str:
    """The counts of a report's verdicts in words, as the text report ends (``Summary: ...``).

    >>> from symsoft.decide.verdicts import Report, EquationVerdict
    >>> summary_line(Report("hw.md", "softmax", (EquationVerdict("1", 3, "a = a", (), "definition"),)))
    '1 equation: 0 proved, 0 refuted, 0 unverified, 1 definition; 0 findings'
    """
    s = report.summary
    return (f"{counted(s['equations'], 'equation')}: {s['proved']} proved, {s['refuted']} refuted, "
            f"{s['unverified']} unverified, {counted(s['definition'], 'definition')}; {counted(s['findings'], 'finding')}")


def render_markdown(report: Report) -> str:
    """The report as Markdown (used by Jupyter through ``Report._repr_markdown_``).

    >>> from symsoft.decide.verdicts import Report
    >>> render_markdown(Report("hw.md", "softmax", ())).splitlines()[0]
    '**symsoft check** `hw.md`'
    """
    lines = [f"**symsoft check** `{report.source}`", "", "| equation | status | detail |", "|---|---|---|"]
    for eq in report.equations:
        detail = "; ".join(f"step {s.number}: {s.status}" for s in eq.steps) or eq.message
        lines.append(f"| ({eq.label or '-'}) | {eq.status} | {detail} |")
    return "\n".join(lines)
