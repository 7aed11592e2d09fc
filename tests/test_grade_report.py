r"""The class page of ``symsoft grade --format html`` (issue 14, "Reports a TA can use"): one row per submission, a
histogram of scores, counts per target, student text escaped, and links to each student's report that resolve.
"""
from __future__ import annotations

import argparse
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from symsoft.grade.batch import GradeResult, add_grade_arguments, grade, run_grade
from symsoft.render.class_report import class_counts, histogram, write_class_report
from symsoft.render.grade import render_grade

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "tests" / "fixtures" / "class"
RUBRIC = ROOT / "derivations" / "softmax_rubric.yaml"
EXPECTED = yaml.safe_load((CLASS / "expected.yaml").read_text(encoding="utf-8"))["submissions"]
#: submissions of the class the checker grades as the human does: correct, an error in the Jacobian, in the gradient
CHOSEN = ("s01_correct_homework_notation.md", "s06_eq7_error_homework_notation.md", "s08_gradient_sign_error.md")
#: a path a student chose: a folder and a file whose names, joined, read as a script
HOSTILE = "<script>alert(1)</script>.md"


class _Page(HTMLParser):
    """What a test reads from a page: the class table's rows, the histogram's bars, the counts table, links, scripts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows, self.bars, self.links, self.scripts, self.counts = [], [], [], 0, {}
        self._table = self._count = self._cell = None
        self._body = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("class", "")
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._table == "sortable class" and self._body:
            self.rows.append([])
        elif tag == "tr" and self._table == "counts" and "data-name" in attrs:
            self._count = self.counts.setdefault(attrs["data-name"], {})
        elif tag == "td" and self._count is not None and "data-status" in attrs:
            self._cell = attrs["data-status"]
        elif tag == "rect" and attrs.get("class") == "bar":
            self.bars.append(int(attrs["data-count"]))
        elif tag == "a":
            self.links.append(attrs["href"])
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tbody":
            self._body = False
        elif tag == "tr":
            self._count = None

    def handle_data(self, data):
        if self._cell is not None:
            self._count[self._cell] = int(data)
            self._cell = None
        elif self._table == "sortable class" and self._body and self.rows:
            self.rows[-1].append(data)


@pytest.fixture(scope="module")
def reference_class(tmp_path_factory):
    """Three submissions of the class and one of prose only under a hostile path, graded against the reference."""
    folder = tmp_path_factory.mktemp("class")
    for name in CHOSEN:
        shutil.copy(CLASS / "submissions" / name, folder / name)
    (folder / HOSTILE).parent.mkdir()
    (folder / HOSTILE).write_text("I ran out of time before the derivation.\n", encoding="utf-8")
    results = grade([folder], rubric=RUBRIC, jobs=2)
    page = tmp_path_factory.mktemp("out") / "class.html"
    write_class_report(results, page, None)
    return results, page


@pytest.fixture(scope="module")
def equation_class(tmp_path_factory):
    """A class graded without a rubric: an equation proved, the same label refuted, an empty file."""
    folder = tmp_path_factory.mktemp("equations")
    (folder / "a.md").write_text("$$\\sum_{k=1}^{C} \\sigma(z_k) = 1 \\quad (1)$$\n", encoding="utf-8")
    (folder / "b.md").write_text("$$\\sum_{k=1}^{C} \\sigma(z_k) = 2 \\quad (1)$$\n", encoding="utf-8")
    (folder / "c.md").write_text("", encoding="utf-8")
    results = grade([folder], jobs=2)
    page = tmp_path_factory.mktemp("out") / "page.html"
    write_class_report(results, page)
    return results, page


def test_the_class_table_has_one_row_per_submission(reference_class):
    """Every graded file is one row of the table, named by its path, in the order graded."""
    results, page = reference_class
    parsed = _Page(page.read_text(encoding="utf-8"))
    assert [row[0] for row in parsed.rows] == [r.file for r in results]
    assert len(parsed.rows) == len(CHOSEN) + 1


def test_the_histogram_counts_every_graded_submission(reference_class, equation_class):
    """The bars of the histogram add up to the number of graded submissions (an unreadable file is not a score)."""
    for results, page in (reference_class, equation_class):
        bars = _Page(page.read_text(encoding="utf-8")).bars
        assert sum(bars) == sum(r.outcome == "graded" for r in results)
        assert bars == [count for _, _, count in histogram(results)]
    assert sum(r.outcome == "graded" for r in equation_class[0]) == 2


def test_the_counts_per_target_are_the_human_graders(reference_class):
    """Per target, how many met it, erred, were unverified or did not reach it: the human's grades (expected.yaml)
    for the chosen submissions, and not reached everywhere for the one of prose only."""
    results, page = reference_class
    expected = {}
    for name in ("below_one", "sum_to_one", "jacobian", "gradient"):
        statuses = [EXPECTED[file]["targets"][name] for file in CHOSEN] + ["not_reached"]
        statuses = [s if isinstance(s, str) else s["status"] for s in statuses]
        expected[name] = {s: statuses.count(s) for s in ("error", "met", "unverified", "not_reached")}
    assert _Page(page.read_text(encoding="utf-8")).counts == expected
    common = {name: error for name, _, _, error in class_counts(results)}
    assert common["below_one"] == "" and common["jacobian"].startswith("reached with an error in equation (6)")


def test_the_counts_per_equation_when_the_rubric_has_no_targets(equation_class):
    """Without targets the summary counts each equation label: proved in one file, refuted in the other."""
    results, page = equation_class
    assert _Page(page.read_text(encoding="utf-8")).counts == {"1": {"refuted": 1, "proved": 1, "unverified": 0,
                                                                   "missing": 0}}
    [(name, kind, _, error)] = class_counts(results)
    assert (name, kind) == ("1", "equation") and error.startswith("the equation is false")


def test_student_text_is_escaped_and_never_run(reference_class):
    """A path that reads as a script shows escaped; no page holds a script but the class page's own sorting."""
    _, page = reference_class
    text = page.read_text(encoding="utf-8")
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;.md" in text
    assert _Page(text).scripts == 1 and text.count("<script") == 1
    for report in (page.parent / "class-reports").iterdir():
        assert "<script" not in report.read_text(encoding="utf-8")


def test_the_links_resolve_to_each_students_report(reference_class):
    """Each row links to its own report beside the page, and each report links back to the class."""
    results, page = reference_class
    links = _Page(page.read_text(encoding="utf-8")).links
    reports = [page.parent / unquote(link) for link in links]
    assert len(links) == len(results) and all(r.is_file() for r in reports)
    assert sorted(reports) == sorted((page.parent / "class-reports").iterdir())
    for report, result in zip(reports, results):
        text = report.read_text(encoding="utf-8")
        [back] = [link for link in _Page(text).links]
        assert (report.parent / unquote(back)).resolve() == page.resolve()
        assert escape(result.file) in text and ("symsoft-report" in text) == (result.report is not None)


def test_writing_again_replaces_the_reports_whole(tmp_path, monkeypatch):
    """A second page replaces the folder (no stale report); a write that fails leaves the old page and reports."""
    import symsoft.render.class_report as class_report

    page = tmp_path / "class.html"
    write_class_report([GradeResult("old.md", "", "error", 0, 0, message="empty")], page)
    write_class_report([GradeResult("new.md", "", "error", 0, 0, message="empty")], page)
    assert [p.name for p in (tmp_path / "class-reports").iterdir()] == ["new.md.html"]
    real = class_report.write_whole

    def failing(path, text):
        if Path(path) == page:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(class_report, "write_whole", failing)
    with pytest.raises(OSError):
        write_class_report([GradeResult("newer.md", "", "error", 0, 0, message="empty")], page)
    assert [p.name for p in (tmp_path / "class-reports").iterdir()] == ["new.md.html"]
    assert "new.md" in page.read_text(encoding="utf-8") and sorted(p.name for p in tmp_path.iterdir()) == [
        "class-reports", "class.html"]


def test_the_command_writes_the_page_and_its_reports(tmp_path, capsys):
    """``grade --format html -o`` writes the page and its folder; without -o the page alone goes to stdout."""
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.md").write_text("", encoding="utf-8")
    parser = add_grade_arguments(argparse.ArgumentParser())
    subs = str(tmp_path / "subs")
    assert run_grade(parser.parse_args([subs, "--format", "html", "-o", str(tmp_path / "c.html")])) == 3
    assert (tmp_path / "c.html").is_file() and len(list((tmp_path / "c-reports").iterdir())) == 1
    assert run_grade(parser.parse_args([subs, "--format", "html"])) == 3
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and "<a href" not in out
    assert render_grade([], "html").count("<tr>") == 1
