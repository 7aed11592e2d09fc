r"""Render check reports for editors and CI: ``path:line:col`` lines, GitHub workflow commands, SARIF 2.1.0.

Each checked document is a :class:`Checked`: its path, its report (or why it could not be checked) and its text,
from which the column of each equation is read. The three formats say the same things, one problem a line:

- a refuted step is an error, with its counterexample and its repair;
- an unverified step (or equation) is a warning, with the reason;
- a lint finding is a notice (``note`` in SARIF);
- a document that could not be checked is an error on its first line.

The ``lines`` format also lists the proved equations and the definitions, so that an editor shows every verdict.

>>> from symsoft.decide.verdicts import Report, EquationVerdict, StepVerdict
>>> step = StepVerdict(1, r"\sigma(z_i) > 1", "refuted", message="false for every C >= 2")
>>> checked = Checked("hw.md", Report("hw.md", "softmax", (EquationVerdict("2", 3, step.latex, (), "refuted", (step,)),)),
...                   text="\n\n$$\\sigma(z_i) > 1 \\quad (2)$$\n")
>>> print(render_lines([checked]))
hw.md:3:1: refuted (2): \sigma(z_i) > 1: false for every C >= 2; no single-edit repair found
>>> print(render_github([checked]))
::error file=hw.md,line=3,col=1,title=symsoft (2) refuted::\sigma(z_i) > 1: false for every C >= 2; no single-edit repair found
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import quote

from symsoft.decide.verdicts import EquationVerdict, Report, StepVerdict
from symsoft.render.text import counterexample_parts, printable

#: the SARIF version written, and the schema it is valid against (tests/test_editor_ci.py validates it)
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: GitHub's and SARIF's word for each level
_GITHUB = {"error": "error", "warning": "warning", "note": "notice"}
_RULES = {
    "refuted": "a step of the derivation is false: a counterexample was found at exact values",
    "unverified": "a step could not be decided (notation not read, or a limit of the checker)",
    "unreadable": "the document could not be checked",
    "lint": "a lint finding beside the verdicts (an index range, a typo, a false equation in the text)",
}


@dataclass(frozen=True)
class Checked:
    """One document given to ``symsoft check``: its path, its report (None when it could not be checked, then
    ``error`` says why) and its text (for the columns; empty when unknown)."""

    path: str
    report: Report | None = None
    error: str = ""
    text: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing to show at a place of a document: its level (error, warning, note or info), its rule (a status,
    ``lint/KIND`` or ``unreadable``), the equation it is about (``(7) step 2``; empty for the others) and the message."""

    path: str
    line: int
    column: int
    level: str
    rule: str
    name: str
    message: str

    @property
    def title(self) -> str:
        """The short title of an annotation: ``symsoft (7) refuted``, ``symsoft typo``, ``symsoft: not checked``.

        >>> Problem("a.md", 1, 1, "note", "lint/typo", "", "x").title
        'symsoft typo'
        """
        if self.rule == "unreadable":
            return "symsoft: not checked"
        return f"symsoft {self.rule[5:]}" if self.rule.startswith("lint/") else f"symsoft {self.name} {self.rule}"

    @property
    def text(self) -> str:
        """The problem as the ``lines`` format writes it after ``path:line:col:``.

        >>> Problem("a.md", 1, 1, "note", "lint/typo", "", "x").text
        'lint [typo] x'
        """
        if self.rule == "unreadable":
            return f"error: {self.message}"
        return f"lint [{self.rule[5:]}] {self.message}" if self.rule.startswith("lint/") else \
            f"{self.rule} {self.name}: {self.message}"


def column_of(text: str, line: int) -> int:
    r"""The 1-based column where the mathematics on ``line`` (1-based) of ``text`` begins: its first ``$``, ``\[``
    or ``\begin``, else its first character that is not blank; 1 when the line is not there.

    >>> column_of("intro\n  $$a = b$$\n", 2), column_of("x", 5), column_of("  a = b", 1)
    (3, 1, 3)
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return 1
    found = re.search(r"\$|\\\[|\\begin", lines[line - 1]) or re.search(r"\S", lines[line - 1])
    return found.start() + 1 if found else 1


def _step_message(step: StepVerdict) -> str:
    """A refuted or unverified step in one line: its LaTeX, why, and for a refuted one its counterexample and repair."""
    parts = [f"{step.latex}: {step.message}" + (f"; holds when {step.holds_when}" if step.holds_when else "")]
    if step.status == "refuted":
        if step.counterexample is not None:
            setting, others, sides = counterexample_parts(step.counterexample)
            parts.append("counterexample: " + ", ".join(p for p in (setting, others, sides) if p))
        if step.repairs:
            parts.append(f"repair: {step.repairs[0].edit}, corrected: {step.repairs[0].latex}")
        else:
            parts.append("no single-edit repair found")
    return "; ".join(parts)


def _equation_problems(checked: Checked, eq: EquationVerdict, column: int) -> Iterator[Problem]:
    name = f"({eq.label})" if eq.label else "(unlabelled)"
    where = (checked.path, eq.line, column)
    if eq.status in ("proved", "definition"):
        yield Problem(*where, "info", eq.status, name, eq.latex)
        return
    level = "error" if eq.status == "refuted" else "warning"
    steps = [s for s in eq.steps if s.status == eq.status]
    if not steps:
        yield Problem(*where, level, eq.status, name, f"{eq.latex}: {eq.message}")
    for step in steps:
        head = f" step {step.number}" if len(eq.steps) > 1 else ""
        yield Problem(*where, level, eq.status, name + head, _step_message(step))


def problems(checked: Checked) -> list[Problem]:
    r"""Everything to show for one document, in the order of its lines (an equation before a finding on its line).

    >>> [p.level for p in problems(Checked("gone.md", error="the file cannot be opened"))]
    ['error']
    """
    if checked.report is None:
        return [Problem(checked.path, 1, 1, "error", "unreadable", "", checked.error)]
    found = [p for eq in checked.report.equations
             for p in _equation_problems(checked, eq, column_of(checked.text, eq.line))]
    found += [Problem(checked.path, f.line, column_of(checked.text, f.line), "note", f"lint/{f.kind}", "", f.message)
              for f in checked.report.findings]
    return sorted(found, key=lambda p: p.line)  # stable: equations keep their order, then the findings


def render_lines(documents: Sequence[Checked]) -> str:
    r"""``path:line:col: status message``, one line per verdict and finding, as compilers write them (editors and
    ``grep -n`` users read this form).

    >>> print(render_lines([Checked("gone.md", error="the file cannot be opened")]))
    gone.md:1:1: error: the file cannot be opened
    """
    return "\n".join(printable(f"{p.path}:{p.line}:{p.column}: {p.text}") for checked in documents
                     for p in problems(checked))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(kind: str, file: str, line: int | None, title: str, message: str, column: int | None = None) -> str:
    """One GitHub Actions workflow command (``::error``, ``::warning``, ``::notice``) at a place of a file, escaped.

    >>> workflow_command("notice", "a,b.md", 3, "symsoft typo", "50% read: as x", column=2)
    '::notice file=a%2Cb.md,line=3,col=2,title=symsoft typo::50%25 read: as x'
    """
    where = f"file={_escape_property(file)}" + (f",line={line}" if line else "") + (f",col={column}" if column else "")
    return f"::{kind} {where},title={_escape_property(title)}::{_escape_data(message)}"


def render_github(documents: Sequence[Checked]) -> str:
    """GitHub workflow commands: ``::error`` for refuted steps (and documents not checked), ``::warning`` for
    unverified ones, ``::notice`` for lint findings; proved equations and definitions are not shown.

    >>> render_github([Checked("gone.md", error="no such file")])
    '::error file=gone.md,line=1,col=1,title=symsoft%3A not checked::no such file'
    """
    return "\n".join(printable(workflow_command(_GITHUB[p.level], p.path, p.line, p.title, p.message, p.column))
                     for checked in documents for p in problems(checked) if p.level in _GITHUB)


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative and percent-encoded, or a file URI when absolute."""
    return Path(path).as_uri() if os.path.isabs(path) else quote(Path(path).as_posix())


def sarif_log(documents: Sequence[Checked], version: str = "") -> dict:
    """The SARIF 2.1.0 log of the documents: one run of the tool ``symsoft``, one result per problem shown.

    >>> log = sarif_log([Checked("gone.md", error="no such file")])
    >>> log["version"], log["runs"][0]["results"][0]["ruleId"], log["runs"][0]["results"][0]["level"]
    ('2.1.0', 'unreadable', 'error')
    """
    results, rules = [], {}
    for checked in documents:
        for p in problems(checked):
            if p.level == "info":
                continue
            kind = p.rule.split("/")[0]
            rules.setdefault(p.rule, _RULES[kind] + (f": {p.rule[5:]}" if kind == "lint" else ""))
            results.append({
                "ruleId": p.rule,
                "level": p.level,
                "message": {"text": f"{p.title}: {p.message}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(p.path)},
                    "region": {"startLine": p.line, "startColumn": p.column},
                }}],
            })
    driver = {"name": "symsoft", "rules": [{"id": rule, "shortDescription": {"text": text}}
                                           for rule, text in sorted(rules.items())]}
    if version:
        driver["version"] = version
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [{"tool": {"driver": driver}, "results": results}]}


def render_sarif(documents: Sequence[Checked], version: str = "") -> str:
    """:func:`sarif_log` as indented JSON (keys in a fixed order: the output is deterministic).

    >>> import json
    >>> json.loads(render_sarif([]))["runs"][0]["results"]
    []
    """
    return json.dumps(sarif_log(documents, version), indent=2, ensure_ascii=False)
