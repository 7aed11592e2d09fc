r"""Render grade results for people and for autograders: CSV, JSON, Gradescope, JUnit, GitHub (the HTML class
page is :mod:`symsoft.render.class_report`).

Each renderer takes the :class:`~symsoft.grade.batch.GradeResult` list of :func:`symsoft.grade.batch.grade`
(Gradescope: one result) and returns text; output is deterministic (no timings, no dates).

>>> from symsoft.grade.batch import GradeResult, EquationScore
>>> result = GradeResult("hw/alice.md", "ab12", "graded", 1.0, 2.0,
...                      (EquationScore("3", 5, "proved", 1.0, 1.0, "proved"),
...                       EquationScore("7", 9, "refuted", 0.0, 1.0, "false: wrong sign")))
>>> print(render_csv([result]), end="")
file,score,max_score,outcome,(3),(7),message
hw/alice.md,1,2,graded,proved,refuted,
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from symsoft.grade.batch import GradeResult
from symsoft.render.annotations import workflow_command as _annotation
from symsoft.render.json import report_dict
from symsoft.render.text import counted
from symsoft.decide.verdicts import Report

# Characters XML 1.0 cannot hold, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _label_order(name: str) -> tuple:
    match = re.match(r"(\d+)(.*)", name)
    return (0, int(match.group(1)), match.group(2)) if match else (1, 0, name)


def _cell(text: str) -> str:
    r"""Keep a spreadsheet from running a cell as a formula (CSV injection): at the start of every line of it.

    A line starts after any character some reader ends a line with (CR, LF, and the others ``str.splitlines``
    knows: VT, FF, FS, GS, RS, NEL, LS, PS), not only CR and LF.

    >>> _cell("=1+1"), _cell("1\r=1+1\r1"), _cell("x\x0b@a")
    ("'=1+1", "1\r'=1+1\r1", "x\x0b'@a")
    """
    return _FORMULA_START.sub("'", text)


#: Where a line starts in a cell, when a formula (or a tab or CR before one) follows.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]))(?=[=+\-@\t\r])")


def _csv_row(row: list) -> str:
    """One CSV line; a field holding CR or LF is quoted (the csv module quotes only its own line terminator's)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(row)
    return out.getvalue()[:-2] + "\n"


def columns(results: list[GradeResult]) -> tuple[list[str], dict[str, str]]:
    """The scored names of a class, in the order of its table's columns, and the kind of each.

    Equation labels come first, the union of all submissions' in numeric order, then targets and the penalty row
    in the rubric's order.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> columns([GradeResult("a.md", "", "graded", 0, 2, (EquationScore("10", 1, "proved", 1, 1),
    ...                                                   EquationScore("9", 2, "proved", 1, 1)))])
    (['9', '10'], {'10': 'equation', '9': 'equation'})
    """
    labels = sorted({e.name for r in results for e in r.equations if e.kind == "equation"}, key=_label_order)
    labels += list(dict.fromkeys(e.name for r in results for e in r.equations if e.kind != "equation"))
    return labels, {e.name: e.kind for r in results for e in r.equations}


def render_csv(results: list[GradeResult]) -> str:
    """One row per submission: file, score, max score, outcome, the status of each label, message.

    Label columns are the union of all submissions' labels in numeric order; a cell is empty
    where a submission has no such equation.

    >>> from symsoft.grade.batch import GradeResult
    >>> print(render_csv([GradeResult("=cmd.md", "", "error", 0, 0, message="the file is empty")]), end="")
    file,score,max_score,outcome,message
    '=cmd.md,0,0,error,the file is empty
    """
    labels, kinds = columns(results)
    rows = [_csv_row(["file", "score", "max_score", "outcome",
                      *(_cell(f"({label})" if kinds[label] == "equation" else label) for label in labels), "message"])]
    for r in results:
        statuses = r.statuses
        statuses.update({e.name: _number(e.score) for e in r.equations if e.kind == "penalty"})
        rows.append(_csv_row([_cell(r.file), _number(r.score), _number(r.max_score), r.outcome,
                              *(statuses.get(label, "") for label in labels), _cell(r.message)]))
    return "".join(rows)


def result_dict(result: GradeResult, profile: str = "softmax") -> dict:
    """A result as a ``symsoft.check/1`` report with the grade added (file, sha256, scores).

    A submission that could not be checked gets a report without equations and its ``error``.

    >>> from symsoft.grade.batch import GradeResult
    >>> d = result_dict(GradeResult("a.md", "ab", "error", 0, 0, message="the file is empty"))
    >>> d["schema"], d["error"], d["score"], d["equations"]
    ('symsoft.check/1', 'the file is empty', 0, [])
    """
    data = dict(result.report) if result.report is not None else report_dict(Report(result.file, profile, ()))
    data.update({
        "file": result.file,
        "sha256": result.sha256,
        "outcome": result.outcome,
        "error": result.message,
        "score": _number(result.score),
        "max_score": _number(result.max_score),
        "scores": [
            {"name": e.name, "line": e.line, "status": e.status, "score": _number(e.score),
             "max_score": _number(e.max_score), "feedback": e.feedback,
             **({"kind": e.kind, "equation": e.equation, "step": e.step} if e.kind != "equation" else {})}
            for e in result.equations
        ],
    })
    return data


def render_json(results: list[GradeResult]) -> str:
    """A JSON list of :func:`result_dict` objects, one per submission.

    >>> from symsoft.grade.batch import GradeResult
    >>> json.loads(render_json([GradeResult("a.md", "ab", "graded", 1, 1)]))[0]["score"]
    1
    """
    return json.dumps([result_dict(r) for r in results], indent=2, ensure_ascii=False) + "\n"


def _test_output(score) -> str:
    return score.feedback if score.feedback else score.status


def gradescope_dict(result: GradeResult, rubric=None) -> dict:
    """Gradescope's autograder results for one submission, as a mapping: a test per equation.

    Each test's ``visibility`` comes from the rubric (:meth:`~symsoft.grade.batch.Rubric.visibility_of`), as does
    the results' own; the standard output of the autograder (its log) is ``hidden`` from students.

    >>> from symsoft.grade.batch import GradeResult, EquationScore, Rubric
    >>> r = GradeResult("a.md", "", "graded", 0, 2, (EquationScore("7", 9, "refuted", 0, 2, "false: sign"),))
    >>> gradescope_dict(r, Rubric(visibility=(("7", "after_due_date"),)))["tests"]
    [{'name': 'Equation (7)', 'score': 0, 'max_score': 2, 'output': 'false: sign', 'status': 'failed', 'visibility': 'after_due_date'}]
    """
    from symsoft.grade.batch import Rubric

    rubric = rubric if rubric is not None else Rubric()
    tests = [
        {
            "name": {"equation": f"Equation ({e.name})", "target": f"Target: {e.name}"}.get(e.kind, e.name.capitalize()),
            "score": _number(e.score),
            "max_score": _number(e.max_score),
            "output": _test_output(e),
            "status": "passed" if e.status in ("proved", "definition", "met") else "failed",
            "visibility": e.visibility if e.kind == "target" else rubric.visibility_of(e.name),
        }
        for e in result.equations if e.kind != "penalty"  # the refuted steps' cost is in the score and its output
    ]
    if result.outcome != "graded":
        summary = result.message
    else:  # a graded PDF's message says its text was read best-effort
        summary = f"{grade_line(result)}; {result.message}" if result.message else grade_line(result)
    return {
        "score": _number(result.score),
        "output": f"symsoft checked {result.file}: {summary}",
        "visibility": rubric.default_visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def render_gradescope(result: GradeResult, rubric=None) -> str:
    """Gradescope's autograder ``results.json`` for one submission (:func:`gradescope_dict`) as JSON text.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> r = GradeResult("a.md", "", "graded", 0, 2, (EquationScore("7", 9, "refuted", 0, 2, "false: sign"),))
    >>> data = json.loads(render_gradescope(r))
    >>> data["output"], data["tests"][0]["visibility"]
    ('symsoft checked a.md: 0 of 1 equation proved; 0 of 2 points', 'visible')
    """
    return json.dumps(gradescope_dict(result, rubric), indent=2, ensure_ascii=False) + "\n"


def grade_line(result: GradeResult) -> str:
    """What a score counts, in words: the same things the score adds up.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> grade_line(GradeResult("a.md", "", "graded", 2, 4, (EquationScore("7", 9, "proved", 2, 2),
    ...                                                    EquationScore("8", 9, "refuted", 0, 2))))
    '1 of 2 equations proved; 2 of 4 points'
    >>> grade_line(GradeResult("a.md", "", "graded", 2, 6, (EquationScore("jac", 9, "met", 3, 3, kind="target"),
    ...     EquationScore("grad", None, "not_reached", 0, 3, kind="target"),
    ...     EquationScore("refuted steps", None, "penalty", -1, 0, kind="penalty"))))
    '1 of 2 targets met (3 of 6 points), less 1 for refuted steps; 2 of 6 points'
    """
    targets = [e for e in result.equations if e.kind == "target"]
    if targets:
        earned = sum(e.score for e in targets)
        penalty = -sum(e.score for e in result.equations if e.kind == "penalty")
        text = (f"{sum(e.status == 'met' for e in targets)} of {counted(len(targets), 'target')} met "
                f"({_number(earned)} of {_number(result.max_score)} points)")
        if penalty:
            text += f", less {_number(penalty)} for refuted steps"
    else:
        scored = [e for e in result.equations if e.max_score or e.status != "definition"]
        text = f"{sum(e.status == 'proved' for e in scored)} of {counted(len(scored), 'equation')} proved"
    return f"{text}; {_number(result.score)} of {counted(_number(result.max_score), 'point')}"


def _xml(text: str) -> str:
    return _XML_INVALID.sub("\N{REPLACEMENT CHARACTER}", text)


def render_junit(results: list[GradeResult]) -> str:
    """JUnit XML: a ``testsuite`` per submission, a ``testcase`` per equation.

    Refuted and unverified (and missing) equations are ``failure``; a submission that could not
    be checked has one ``error`` test case.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> r = GradeResult("a.md", "", "graded", 0, 1, (EquationScore("7", 9, "refuted", 0, 1, "false"),))
    >>> root = ET.fromstring(render_junit([r]))
    >>> root.tag, root.find("testsuite").get("failures"), root.find("testsuite/testcase/failure").get("type")
    ('testsuites', '1', 'refuted')
    """
    root = ET.Element("testsuites", name="symsoft grade")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=_xml(r.file))
        properties = ET.SubElement(suite, "properties")
        for name, value in (("score", _number(r.score)), ("max_score", _number(r.max_score)), ("sha256", r.sha256)):
            ET.SubElement(properties, "property", name=name, value=str(value))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if r.outcome == "error" or not r.equations:
            case = ET.SubElement(suite, "testcase", classname=_xml(r.file), name="read the document")
            counts["tests"] += 1
            if r.outcome != "graded":
                ET.SubElement(case, "error", message=_xml(r.message), type=r.outcome).text = _xml(r.message)
                counts["errors"] += 1
        for e in r.equations:
            case = ET.SubElement(suite, "testcase", classname=_xml(r.file), name=_xml(f"equation ({e.name})"))
            counts["tests"] += 1
            if e.status not in ("proved", "definition"):
                ET.SubElement(case, "failure", message=_xml(e.feedback or e.status), type=e.status).text = _xml(e.feedback)
                counts["failures"] += 1
            elif e.status == "definition":
                ET.SubElement(case, "system-out").text = _xml(e.feedback)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_github(results: list[GradeResult]) -> str:
    """GitHub Actions workflow commands: ``::error`` for refuted steps and unreadable files, ``::warning`` for
    unverified equations, ``::notice`` for lint findings (as ``symsoft check --format github``).

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> r = GradeResult("a.md", "", "graded", 0, 1, (EquationScore("7", 9, "refuted", 0, 1, "false: sign"),))
    >>> print(render_github([r]), end="")
    ::error file=a.md,line=9,title=symsoft (7) refuted::false: sign
    """
    lines = []
    for r in results:
        if r.outcome == "error":
            lines.append(_annotation("error", r.file, None, "symsoft: not checked", r.message))
        written = (r.report or {}).get("equations", [])
        for index, e in enumerate(r.equations):
            if e.status == "refuted":
                steps = [s for s in written[index]["steps"] if s["status"] == "refuted"] if index < len(written) else []
                if len(steps) <= 1:
                    lines.append(_annotation("error", r.file, e.line, f"symsoft ({e.name}) refuted", e.feedback))
                    continue
                for step in steps:  # several false steps: one annotation each
                    repair = f"; suggested repair: {step['repairs'][0]['edit']}" if step["repairs"] else ""
                    lines.append(_annotation("error", r.file, e.line, f"symsoft ({e.name}) step {step['number']} refuted",
                                             step["message"] + repair))
            elif e.status in ("unverified", "missing"):
                lines.append(_annotation("warning", r.file, e.line, f"symsoft ({e.name}) {e.status}", e.feedback))
        for finding in (r.report or {}).get("findings", []):
            lines.append(_annotation("notice", r.file, finding["line"], f"symsoft {finding['kind']}", finding["message"]))
    return "".join(line + "\n" for line in lines)


_RENDERERS = {"csv": render_csv, "json": render_json, "junit": render_junit, "github": render_github}


def render_grade(results: list[GradeResult], format: str, rubric=None) -> str:
    """Render ``results`` in ``format`` (csv, json, gradescope, junit, github or html).

    Gradescope's format holds one submission; several raise :class:`~symsoft.errors.UsageError`. The rubric
    gives Gradescope's visibilities (:func:`gradescope_dict`).

    >>> render_grade([], "csv")
    'file,score,max_score,outcome,message\\n'
    >>> render_grade([], "gradescope")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: gradescope's results.json holds exactly one submission, got 0
    """
    from symsoft.errors import UsageError

    if format == "gradescope":
        if len(results) != 1:
            raise UsageError(f"gradescope's results.json holds exactly one submission, got {len(results)}", len(results))
        return render_gradescope(results[0], rubric)
    if format == "html":  # the class page alone: its links need the folder that write_class_report writes
        from symsoft.render.class_report import render_class_page

        return render_class_page(results)
    if format not in _RENDERERS:
        raise UsageError(f"unknown format {format!r}", format)
    return _RENDERERS[format](results)
