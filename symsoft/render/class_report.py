r"""The class page for a teaching assistant: one self-contained HTML file, and an annotated report per submission.

:func:`render_class_page` gives the class table (one row per submission, sortable by a click on a column header),
a histogram of the graded submissions' scores (inline SVG, computed here) and, per target of the rubric (per
equation label when it has none), how many met it, erred, were unverified or did not reach it, with the most
common error. :func:`write_class_report` writes the page and, beside it, a folder ``<page-stem>-reports/`` with one
page per submission (:func:`render_student_page`), linked from the table.

Nothing on a page reaches the network. Every string a student controls (a file name, a label, a message, the
feedback, the LaTeX) is HTML-escaped, and the pages' Content-Security-Policy runs the class page's own sorting
script only (by its hash): the page shows student text, never runs it. Output is deterministic.

>>> from symsoft.grade.batch import GradeResult, EquationScore
>>> page = render_class_page([GradeResult("<b>.md", "", "graded", 1, 1, (EquationScore("3", 5, "proved", 1, 1),))])
>>> "&lt;b&gt;.md" in page and "<b>.md" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import shutil
import tempfile
from collections import Counter
from html import escape
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from symsoft.grade.batch import GradeResult, Rubric, _signals_held, _unique_names
from symsoft.read.source import write_whole
from symsoft.render.grade import _number, columns, grade_line

__all__ = ["class_counts", "histogram", "render_class_page", "render_student_page", "write_class_report"]

#: the statuses counted per column of the class, by kind of row, the one that is an error first
STATUSES = {"target": ("error", "met", "unverified", "not_reached"),
            "equation": ("refuted", "proved", "unverified", "missing")}
#: the longest "most common error" shown in the summary, in characters
ERROR_WIDTH = 140
#: the most bars the histogram has (one per point up to this many points)
MOST_BARS = 20

_COLOURS = {"met": "#1a7f37", "proved": "#1a7f37", "error": "#cf222e", "refuted": "#cf222e",
            "unverified": "#9a6700", "limit": "#9a6700", "definition": "#0969da"}

_STYLE = """body{font-family:system-ui,sans-serif;margin:1.5em;color:#1f2328}
table{border-collapse:collapse;margin:0.8em 0}th,td{border:1px solid #d0d7de;padding:0.25em 0.5em;text-align:left;
vertical-align:top}th{background:#f6f8fa}th.sortable{cursor:pointer}td.num{text-align:right}
.mark{font-weight:bold}code{font-size:90%}"""

# Sorts the class table by the column clicked (numbers as numbers); a second click reverses. It reads no student text
# as code: cells are compared as text.
_SCRIPT = """document.querySelectorAll("table.sortable th").forEach(function (th, column) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var down = th.getAttribute("data-order") !== "ascending";
    th.setAttribute("data-order", down ? "ascending" : "descending");
    function key(row) {
      var cell = row.cells[column];
      return cell ? cell.getAttribute("data-key") || cell.textContent : "";
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});"""


def _policy(script: str = "") -> str:
    """A Content-Security-Policy that loads nothing and runs ``script`` only (by its SHA-256)."""
    scripts = "'none'"
    if script:
        scripts = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {scripts}"


def _page(title: str, body: list[str], script: str = "") -> str:
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(_policy(script))}">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
    ]
    tail = [f"<script>{script}</script>"] if script else []
    return "\n".join(head + body + tail + ["</body></html>"]) + "\n"


def _mark(status: str) -> str:
    colour = _COLOURS.get(status)
    style = f' style="color:{colour}"' if colour else ""
    return f'<span class="mark"{style}>{escape(status)}</span>'


def _shortened(text: str, width: int = ERROR_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis.

    >>> _shortened("a  b\\nc"), _shortened("x" * 10, 5)
    ('a b c', 'xxxx…')
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def histogram(results: Sequence[GradeResult], most_bars: int = MOST_BARS) -> list[tuple[float, float, int]]:
    """The histogram of the graded submissions' scores: ``(low, high, count)`` per bar, from 0 to the highest
    maximum score; a bar holds the scores from ``low`` up to (not including) ``high``, the last one its ``high`` too.

    A bar is one point wide up to ``most_bars`` points, wider beyond. Submissions that were not graded are left out.

    >>> from symsoft.grade.batch import GradeResult
    >>> marks = [GradeResult(f"{n}.md", "", "graded", n, 3) for n in (0, 2.5, 3, 3)]
    >>> histogram(marks + [GradeResult("x.md", "", "error", 0, 0)])
    [(0.0, 1.0, 1), (1.0, 2.0, 0), (2.0, 3.0, 3)]
    >>> histogram([])
    []
    """
    graded = [r for r in results if r.outcome == "graded"]
    if not graded:
        return []
    top = max(max(r.max_score, r.score) for r in graded)
    bars = max(1, min(most_bars, math.ceil(top)))
    width = top / bars if top else 1.0
    counts = [0] * bars
    for result in graded:
        counts[min(bars - 1, int(result.score // width))] += 1
    return [(round(i * width, 6), round((i + 1) * width, 6), count) for i, count in enumerate(counts)]


def _histogram_svg(bars: list[tuple[float, float, int]]) -> str:
    if not bars:
        return "<p>No submission was graded.</p>"
    width, height, gap = 36, 120, 4
    tallest = max(count for _, _, count in bars) or 1
    parts = [f'<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="{len(bars) * width + 10}" '
             f'height="{height + 40}" role="img" aria-label="histogram of scores">']
    for i, (low, high, count) in enumerate(bars):
        tall = round(height * count / tallest)
        x, y = 5 + i * width, 10 + height - tall
        parts.append(f'<rect class="bar" data-count="{count}" x="{x}" y="{y}" width="{width - gap}" height="{tall}" '
                     f'fill="#0969da"><title>{_number(low)} to {_number(high)}: {count}</title></rect>')
        parts.append(f'<text x="{x + (width - gap) / 2}" y="{y - 2}" font-size="10" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + (width - gap) / 2}" y="{height + 24}" font-size="10" '
                     f'text-anchor="middle">{_number(low)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def class_counts(results: Sequence[GradeResult]) -> list[tuple[str, str, dict[str, int], str]]:
    """Per target (per equation label when the rubric has no targets): its kind, how many submissions have each
    status (:data:`STATUSES`) and the most common error, the feedback its error rows most often have (shortened).

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> def row(status, feedback=""):
    ...     return GradeResult("a.md", "", "graded", 0, 3, (EquationScore("jac", 4, status, 0, 3, feedback, "target"),))
    >>> class_counts([row("met"), row("error", "step 2 is false"), row("error", "step 2 is false"), row("error", "x")])
    [('jac', 'target', {'error': 3, 'met': 1, 'unverified': 0, 'not_reached': 0}, 'step 2 is false')]
    """
    names, kinds = columns(list(results))
    counts = []
    for name in names:
        if kinds[name] not in STATUSES:  # the penalty row counts refuted steps, not a status
            continue
        statuses = STATUSES[kinds[name]]
        rows = [e for r in results for e in r.equations if e.name == name]
        tally = {status: sum(e.status == status for e in rows) for status in statuses}
        errors = Counter(_shortened(e.feedback) for e in rows if e.status == statuses[0] and e.feedback)
        common = min(errors.items(), key=lambda item: (-item[1], item[0]))[0] if errors else ""
        counts.append((name, kinds[name], tally, common))
    return counts


def _heading(name: str, kind: str) -> str:
    return escape(f"({name})" if kind == "equation" else name)


def _row(result: GradeResult, names: list[str], kinds: dict[str, str], link: str | None) -> str:
    scores = {e.name: e for e in result.equations}
    file = escape(result.file)
    cells = [f'<td data-key="{file}">' + (f'<a href="{escape(link)}">{file}</a>' if link else file) + "</td>",
             f'<td class="num">{_number(result.score)}</td>', f'<td class="num">{_number(result.max_score)}</td>',
             f"<td>{_mark(result.outcome)}</td>"]
    for name in names:
        score = scores.get(name)
        if score is None:
            cells.append("<td></td>")
        elif kinds[name] == "penalty":
            cells.append(f'<td class="num">{_number(score.score)}</td>')
        else:
            cells.append(f'<td data-key="{escape(score.status)}" title="{escape(score.feedback)}">'
                         f"{_mark(score.status)}</td>")
    cells.append(f"<td>{escape(result.message)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def render_class_page(results: Sequence[GradeResult], rubric: Rubric | None = None,
                      links: Sequence[str] | None = None) -> str:
    """The class page: the summary, the histogram of scores, the counts per target and the class table.

    ``links`` (one relative URL per result) makes each file name a link to its report; ``rubric`` names the
    penalty per refuted step when there is one.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> page = render_class_page([GradeResult("a.md", "", "graded", 1, 1, (EquationScore("3", 5, "proved", 1, 1),)),
    ...                           GradeResult("b.md", "", "error", 0, 0, message="the file is empty")],
    ...                          links=["r/a.html", "r/b.html"])
    >>> page.count('class="bar"'), page.count("<tr>"), '<a href="r/a.html">a.md</a>' in page
    (1, 4, True)
    """
    from symsoft.grade.batch import grade_summary

    results = list(results)
    names, kinds = columns(results)
    body = ["<h1>symsoft grade: the class</h1>", f"<p>{escape(grade_summary(results))}</p>"]
    if rubric is not None and rubric.refuted_penalty:
        body.append(f"<p>Each refuted step costs {_number(rubric.refuted_penalty)} "
                    f"point{'s' if rubric.refuted_penalty != 1 else ''}.</p>")
    body += ["<h2>Scores</h2>", _histogram_svg(histogram(results))]
    counts = class_counts(results)
    if counts:
        what = counts[0][1]  # targets, or equations when the rubric has none: never both
        body.append(f"<h2>Per {what}</h2>")
        body.append('<table class="counts"><thead><tr><th>' + what + "</th>"
                    + "".join(f"<th>{s.replace('_', ' ')}</th>" for s in STATUSES[what])
                    + "<th>most common error</th></tr></thead><tbody>")
        for name, kind, tally, common in counts:
            body.append(f'<tr data-name="{escape(name)}"><th>{_heading(name, kind)}</th>'
                        + "".join(f'<td class="num" data-status="{s}">{n}</td>' for s, n in tally.items())
                        + f"<td>{escape(common)}</td></tr>")
        body.append("</tbody></table>")
    body.append("<h2>Submissions</h2><p>Click a column header to sort by it.</p>")
    headings = ["file", "score", "max", "outcome", *(_heading(n, kinds[n]) for n in names), "message"]
    body.append('<table class="sortable class"><thead><tr>'
                + "".join(f'<th class="sortable">{h}</th>' for h in headings) + "</tr></thead><tbody>")
    for index, result in enumerate(results):
        body.append(_row(result, names, kinds, links[index] if links is not None else None))
    body.append("</tbody></table>")
    return _page("symsoft grade: the class", body, _SCRIPT)


def _report_of(data: dict):
    """The check report a result carries (``symsoft.check/1`` data) as a :class:`~symsoft.decide.verdicts.Report`."""
    from symsoft.decide.verdicts import Counterexample, EquationVerdict, Finding, Repair, Report, StepVerdict

    def counterexample(c: dict | None):
        if c is None:
            return None
        return Counterexample(c["classes"], c["features"], tuple(c["indices"].items()), tuple(c["values"].items()),
                              c["lhs"], c["rhs"], tuple(c["others"].items()), c["others_from"] or 0,
                              tuple(c["sizes"].items()))

    def step(s: dict) -> StepVerdict:
        return StepVerdict(s["number"], s["latex"], s["status"], s["method"], tuple(s["facts"]),
                           counterexample=counterexample(s["counterexample"]),
                           repairs=tuple(Repair(r["latex"], r["edit"]) for r in s["repairs"]),
                           message=s["message"], holds_when=s["holds_when"])

    equations = tuple(EquationVerdict(e["label"], e["line"], e["latex"], tuple(e["conditions"]), e["status"],
                                      tuple(step(s) for s in e["steps"]), e["message"]) for e in data["equations"])
    findings = tuple(Finding(f["line"], f["kind"], f["message"]) for f in data["findings"])
    return Report(data["source"], data["profile"], equations, findings, data.get("classes"))


def render_student_page(result: GradeResult, back: str = "") -> str:
    r"""One submission's annotated report: its grade, a row per target (or equation) with its feedback, and the
    check report (each equation, its steps, counterexamples and repairs). ``back`` links to the class page.

    >>> from symsoft.grade.batch import GradeResult, EquationScore
    >>> page = render_student_page(GradeResult("<i>.md", "", "graded", 0, 1,
    ...                            (EquationScore("7", 9, "refuted", 0, 1, "false: <sign>"),)), "../class.html")
    >>> "false: &lt;sign&gt;" in page and "<i>" not in page and "<script" not in page
    True
    """
    from symsoft.render.html import render_html

    body = [f'<p><a href="{escape(back)}">the class</a></p>'] if back else []
    body.append(f"<h1>{escape(result.file)}</h1>")
    line = grade_line(result) if result.outcome == "graded" else result.outcome
    body.append(f"<p>{escape(line)}</p>")
    if result.message:
        body.append(f"<p>{escape(result.message)}</p>")
    if result.equations:
        body.append("<table><thead><tr><th>name</th><th>status</th><th>score</th><th>max</th><th>feedback</th>"
                    "</tr></thead><tbody>")
        for e in result.equations:
            body.append(f"<tr><td>{_heading(e.name, e.kind)}</td><td>{_mark(e.status)}</td>"
                        f'<td class="num">{_number(e.score)}</td><td class="num">{_number(e.max_score)}</td>'
                        f"<td>{escape(e.feedback)}</td></tr>")
        body.append("</tbody></table>")
    if result.report is not None:
        body += ["<h2>The check</h2>", render_html(_report_of(result.report))]
    return _page(f"symsoft grade: {result.file}", body)


def write_class_report(results: Sequence[GradeResult], page: str | os.PathLike, rubric: Rubric | None = None) -> None:
    """Write the class page to ``page`` and a report per submission into ``<page-stem>-reports/`` beside it.

    Everything is rendered first, then written whole or not at all: the reports go into a temporary folder that
    replaces the old one, then the page is written; signals wait until the end. A report is named after its
    submission's results name (percent-encoded, unique) and linked relatively.

    >>> import tempfile
    >>> from symsoft.grade.batch import GradeResult
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_class_report([GradeResult("a b.md", "", "error", 0, 0)], Path(folder, "class.html"))
    ...     sorted(p.name for p in Path(folder).rglob("*"))
    ['a%20b.md.html', 'class-reports', 'class.html']
    """
    results = list(results)
    page = Path(page)
    folder = page.with_name(f"{page.stem}-reports")
    names = [f"{name}.html" for name in _unique_names(results)]
    reports = [render_student_page(r, f"../{quote(page.name)}") for r in results]
    links = [f"{quote(folder.name)}/{quote(name)}" for name in names]
    text = render_class_page(results, rubric, links)
    with _signals_held():
        temporary = Path(tempfile.mkdtemp(prefix=".symsoft-", dir=folder.parent))
        old, placed = None, False
        try:
            temporary.chmod(0o755)
            for name, report in zip(names, reports):
                write_whole(temporary / name, report)
            if os.path.lexists(folder):  # moved aside, so that the new folder takes its name in one step
                old = Path(tempfile.mkdtemp(prefix=".symsoft-old-", dir=folder.parent)) / "reports"
                os.rename(folder, old)
            os.rename(temporary, folder)
            placed = True
            write_whole(page, text)
        except BaseException:  # the old page and reports stay as they were
            shutil.rmtree(folder if placed else temporary, ignore_errors=True)
            if old is not None:
                os.rename(old, folder)
            raise
        finally:
            if old is not None:
                _remove(old.parent)


def _remove(path: Path) -> None:
    """Remove a folder that holds the old reports (a link or file there goes, never what a link points to)."""
    for entry in path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    path.rmdir()
