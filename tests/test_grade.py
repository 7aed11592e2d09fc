r"""Grading a class: rubric, formats, deduplication, limits, the hostile corpus and Dask."""

from __future__ import annotations

import argparse
import importlib
import csv
import io
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symsoft.errors import UsageError
from symsoft.grade.batch import (OUTCOMES, GradeResult, Rubric, add_grade_arguments, grade, load_rubric, run_grade,
                           score_equations)
from symsoft.render.json import report_dict
from symsoft.render.grade import render_csv, render_github, render_gradescope, render_json, render_junit
from symsoft.decide.verdicts import EquationVerdict
from symsoft.timelimit import safety_net

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import make_corpus  # noqa: E402

#: The checker module (``symsoft.check`` is also the name of the function the package re-exports).
checker = importlib.import_module("symsoft.check")
grade_module = importlib.import_module("symsoft.grade.batch")

FIXTURES = Path(__file__).parent / "fixtures" / "derivations"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text())
CORPUS = Path(__file__).parent / "hostile" / "corpus"
#: Limits of the batch tests: small, but roomy enough for every fixture on a busy 2-core machine.
STEP_TIMEOUT, DOC_TIMEOUT = 1.5, 40.0  # CPU seconds: the hostile corpus's huge numbers spend each budget in full
#: Time a result may take beyond its document limit (killing and collecting the worker).
SLACK = 5.0
SIMPLE = "$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (3)$$\n"
WRONG = "$$\\sigma(z_i) > 1 \\quad (4)$$\n"


def _grade_cli(*argv: str) -> int:
    """Run ``symsoft grade`` through the same argument parser the command line uses."""
    parser = argparse.ArgumentParser(prog="symsoft grade")
    return run_grade(add_grade_arguments(parser).parse_args(list(argv)))


# ---------------------------------------------------------------------------------------------
# Rubric and scores


def test_rubric_file_points_default_and_missing(tmp_path):
    """Rubric points apply per label, other equations get the default, a missing label scores 0."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text('points: {"7": 2, "(9)": 3}\ndefault: 0.5\n')
    equations = [EquationVerdict("7", 3, "a", (), "proved"), EquationVerdict("8", 5, "b", (), "refuted"),
                 EquationVerdict("1", 1, "c", (), "unverified", message="time limit")]
    scores = {s.name: s for s in score_equations(equations, load_rubric(rubric))}
    assert (scores["7"].score, scores["7"].max_score) == (2.0, 2.0)
    assert (scores["8"].score, scores["8"].max_score) == (0.0, 0.5)
    assert scores["1"].feedback == "unverified: time limit"
    assert (scores["9"].status, scores["9"].score, scores["9"].max_score) == ("missing", 0.0, 3.0)


def test_definitions_excluded_unless_the_rubric_lists_them():
    """A definition is worth nothing by default and full points when the rubric names it."""
    definition = [EquationVerdict("1", 1, "a", (), "definition")]
    assert [(s.score, s.max_score) for s in score_equations(definition, Rubric())] == [(0.0, 0.0)]
    assert [(s.score, s.max_score) for s in score_equations(definition, Rubric((("1", 2.0),)))] == [(2.0, 2.0)]


@pytest.mark.parametrize("text, message", [
    ("points: [1, 2]", "points must map"),
    ("points: {'7': -1}", "number of points"),
    ("points: {'7': yes}", "number of points"),
    ("default: many", "default must be"),
    ("weights: {}", "unknown key"),
    ("- 1\n- 2", "expected a mapping"),
    ("points: {", "not valid YAML"),
    ("visibility: {'4': secret}", "must be one of hidden, after_due_date"),  # not a Gradescope visibility
    ("visibility: [hidden]", "visibility must map"),
    ("default_visibility: 3", "default_visibility must be one of"),
])
def test_malformed_rubric_is_a_usage_error(tmp_path, text, message):
    """A malformed rubric is refused with a message saying what is wrong."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_rubric(rubric)


def test_scores_follow_the_rubric_end_to_end(tmp_path):
    """A graded file scores the rubric's points for proved labels and 0 for refuted ones."""
    (tmp_path / "hw.md").write_text(SIMPLE + "\n" + WRONG)
    [result] = grade([tmp_path / "hw.md"], rubric={"points": {"3": 2, "4": 5}}, jobs=1)
    assert (result.outcome, result.score, result.max_score) == ("graded", 2.0, 7.0)
    assert result.statuses == {"3": "proved", "4": "refuted"}
    assert "suggested repair" in result.equations[1].feedback


# ---------------------------------------------------------------------------------------------
# Inputs: folders, duplicates, files that are not documents


def test_identical_files_are_checked_once(tmp_path, monkeypatch):
    """Files with the same content are checked once and each still gets its own result."""
    calls = tmp_path / "calls.txt"
    real_check = checker.check

    def counting_check(*args, **kwargs):
        with open(calls, "a") as handle:
            handle.write(kwargs["path_hint"] + "\n")
        return real_check(*args, **kwargs)

    monkeypatch.setattr(checker, "check", counting_check)  # inherited by the forked workers
    folder = tmp_path / "subs"
    folder.mkdir()
    for name, text in (("a.md", SIMPLE), ("b.md", SIMPLE), ("c.md", WRONG)):
        (folder / name).write_text(text)
    results = grade([folder], jobs=2)
    assert [Path(r.file).name for r in results] == ["a.md", "b.md", "c.md"]
    assert len(calls.read_text().splitlines()) == 2
    assert results[0].sha256 == results[1].sha256 != results[2].sha256
    assert results[1].report["source"] == results[1].file and results[0].statuses == results[1].statuses


def test_shared_verdicts_give_the_reports_of_checking_alone(tmp_path):
    """Variants of one submission (prose, labels, one fixed step) get exactly the reports of check() alone."""
    original = (FIXTURES / "13_chain_middle_error.md").read_text()
    variants = {
        "original.md": original,
        "prose.md": original.replace("Phan Tuan Kiet (20C13120)", "Another Student"),
        "labels.md": original.replace("\\quad (3)", "\\quad (X)").replace("\\quad (4)", "\\quad (3)").replace("\\quad (X)", "\\quad (4)"),
        "fixed.md": original.replace("\\sigma(z_i)\\sigma(z_i)\\sigma(z_j)", "\\sigma(z_i)\\sigma(z_j)")
                            .replace("(1 - \\sigma(z_i)\\sigma(z_j))", "(1 - \\sigma(z_j))"),
    }
    assert len(set(variants.values())) == 4
    for name, text in variants.items():
        (tmp_path / name).write_text(text)
    files = [tmp_path / name for name in variants]
    results = grade(files, jobs=2, timeout=30)  # roomy limits: the load must not change a verdict
    for path, result in zip(files, results):
        assert result.report == report_dict(checker.check(path, timeout=30)), path.name
    assert results[-1].statuses["2"] == "proved" and results[0].statuses["2"] == "refuted"


def test_special_files_get_a_result(tmp_path):
    """A symbolic link, a pipe, an empty file and a missing file each get an explained error."""
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "empty.md").write_bytes(b"")
    (folder / "link.md").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.md")
    results = {Path(r.file).name: r for r in grade([folder, tmp_path / "gone.md"], jobs=1)}
    assert results["empty.md"].message == "the file is empty"
    assert "symbolic link" in results["link.md"].message
    assert "not a regular file" in results["pipe.md"].message
    assert "cannot be opened" in results["gone.md"].message
    assert all(r.outcome == "error" and r.score == 0 for r in results.values())


# ---------------------------------------------------------------------------------------------
# Limits: a worker that hangs, eats memory, dies or fails leaves the batch going


def _spin_in_helper(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()))
    while True:  # computing, not waiting: the document's limit is on CPU time
        pass


def _hostile_check(pid_file):
    real_check = checker.check

    def check(*args, **kwargs):
        name = Path(kwargs["path_hint"]).name
        if name == "hang.md":  # stuck inside the checker's own time-limit helper process
            from symsoft.timelimit import call_with_time_limit

            call_with_time_limit(_spin_in_helper, (str(pid_file),), 600)
        if name == "hog.md":
            hoard = []
            while True:
                hoard.append(bytearray(50 * 2**20))
        if name == "die.md":
            os._exit(3)
        if name == "bug.md":
            raise KeyError("a checker bug")
        return real_check(*args, **kwargs)

    return check


def test_limits_stop_one_document_not_the_batch(tmp_path, monkeypatch):
    """Time, memory, a dying worker and a checker bug each give that file a result; the rest is graded."""
    pid_file = tmp_path / "helper.pid"
    monkeypatch.setattr(checker, "check", _hostile_check(pid_file))
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a_good.md", "bug.md", "die.md", "hang.md", "hog.md", "z_good.md"):
        (folder / name).write_text(SIMPLE + f"\n<!-- {name} -->\n")
    results = {Path(r.file).name: r for r in grade([folder], jobs=2, doc_timeout=4, memory_mb=300)}
    assert results["hang.md"].outcome == "limit" and "ran out of its budget (4 s of CPU time)" in results["hang.md"].message
    assert results["hog.md"].outcome == "limit" and "(300 MB of memory)" in results["hog.md"].message
    assert results["die.md"].outcome == "limit" and "stopped unexpectedly" in results["die.md"].message
    assert results["bug.md"].outcome == "error" and "internal error KeyError" in results["bug.md"].message
    for name in ("hang.md", "hog.md", "die.md"):  # the equations read before the limit are unverified
        assert results[name].statuses == {"3": "unverified"} and results[name].max_score == 1
        assert results[name].report["equations"][0]["reason"] == "budget"
        assert "not a sign that the derivation is wrong" in results[name].message  # the checker's limit, not the student's
    assert results["a_good.md"].score == results["z_good.md"].score == 1.0
    helper = int(pid_file.read_text())
    time.sleep(0.5)
    assert not Path(f"/proc/{helper}").exists() or "Z" in Path(f"/proc/{helper}/stat").read_text().split()[2]


# ---------------------------------------------------------------------------------------------
# The hostile corpus in one batch with the fixtures


def test_corpus_is_generated_deterministically():
    """The committed corpus is exactly what make_corpus.py writes, and it has at least 100 entries."""
    committed = {p.name: p.read_bytes() for p in CORPUS.iterdir()}
    assert committed == make_corpus.corpus()
    assert len(committed) >= 100


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The hostile corpus, the fixtures and a copy of one fixture, graded in one batch."""
    root = tmp_path_factory.mktemp("batch")
    hostile = root / "hostile"
    make_corpus.write_corpus(hostile)
    fixtures = root / "fixtures"
    fixtures.mkdir()
    for name in EXPECTED:
        (fixtures / name).write_bytes((FIXTURES / name).read_bytes())
    (root / "copy_of_06.md").write_bytes((FIXTURES / "06_one_case_claims.md").read_bytes())
    workdir = root / "cwd"
    workdir.mkdir()
    before = os.getcwd()
    os.chdir(workdir)
    try:
        results = grade([hostile, fixtures, root / "copy_of_06.md"], jobs=2, timeout=STEP_TIMEOUT,
                        doc_timeout=DOC_TIMEOUT)
    finally:
        os.chdir(before)
    return {"root": root, "results": results, "workdir": workdir}


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_batch_gives_every_file_one_result(batch):
    """Every file of the batch has exactly one result with a known outcome, within the limit."""
    files = sorted(p for p in batch["root"].rglob("*") if p.is_file() and "cwd" not in p.parts)
    assert sorted(Path(r.file) for r in batch["results"]) == files
    assert {r.outcome for r in batch["results"]} <= set(OUTCOMES)
    assert all(r.seconds < safety_net(DOC_TIMEOUT) + SLACK for r in batch["results"])  # no hang


def test_big_inputs_stop_at_the_limit(tmp_path):
    """10 MB of text is refused, 10,000 equations stop at the document limit, a small file is graded."""
    make_corpus.write_corpus(tmp_path / "subs", big=True)
    files = [tmp_path / "subs" / name for name in make_corpus.big_corpus()] + [tmp_path / "simple.md"]
    files[-1].write_text(SIMPLE)
    # limits generous enough for the small file on a busy machine; the big one still stops at 6 s
    results = {Path(r.file).name: r for r in grade(files, jobs=2, timeout=3.0, doc_timeout=6.0)}
    many = results["big_10000_equations.md"]
    assert many.outcome == "limit" and "budget (6 s of CPU time)" in many.message
    assert len(many.equations) == 10_000 and set(many.statuses.values()) == {"unverified"}
    assert results["big_10mb.md"].outcome == "error" and "too long" in results["big_10mb.md"].message
    assert results["simple.md"].score == 1.0


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_batch_fixtures_get_the_same_statuses_as_alone(batch):
    """Among hostile files every fixture gets the statuses checking it alone gives (expected.yaml)."""
    results = {Path(r.file).name: r for r in batch["results"] if "fixtures" in Path(r.file).parts}
    results["copy_of_06.md"] = next(r for r in batch["results"] if r.file.endswith("copy_of_06.md"))
    for name, expected in {**EXPECTED, "copy_of_06.md": EXPECTED["06_one_case_claims.md"]}.items():
        got = {e["label"]: e for e in results[name].report["equations"]}
        for eq in expected:  # compared as tests/test_check.py compares a check alone
            assert got[str(eq["label"])]["status"] == eq["status"], (name, eq["label"])
            if eq.get("steps") and got[str(eq["label"])]["steps"]:
                assert [s["status"] for s in got[str(eq["label"])]["steps"]] == eq["steps"], (name, eq["label"])


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_batch_messages_are_for_students(batch):
    """No traceback or exception name reaches a result; unreadable files say what to do."""
    for r in batch["results"]:
        text = json.dumps(r.report) + r.message + "".join(e.feedback for e in r.equations)
        assert "Traceback" not in text and "internal error" not in text, r.file
        assert not re.search(r"\b[A-Z][a-z]+Error\b", r.message), r.file
    results = {Path(r.file).name: r for r in batch["results"]}
    assert "save the file as UTF-8" in results["latin1.md"].message
    assert results["null_bytes.md"].message == "the file is binary, not a text document"
    assert results["empty.md"].message == "the file is empty"


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_batch_evaluates_nothing_and_writes_nothing(batch):
    """No payload ran, no submission chose its own profile, and the working directory stayed empty."""
    results = {Path(r.file).name: r for r in batch["results"]}
    assert results["front_matter_profile_path.md"].statuses == {"1": "proved"}
    assert results["front_matter_profile_mapping.md"].statuses == {"1": "refuted"}
    assert not os.path.exists(make_corpus.PWNED)
    assert list(batch["workdir"].iterdir()) == []
    assert {p.name for p in CORPUS.iterdir()} == set(make_corpus.corpus())


# ---------------------------------------------------------------------------------------------
# Output formats (on the batch: hostile labels, control characters, limits and errors)


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_csv_one_row_per_submission(batch):
    """CSV: a header with a column per label, one row per submission, formulas neutralised."""
    rows = list(csv.DictReader(io.StringIO(render_csv(batch["results"]))))
    assert len(rows) == len(batch["results"])
    assert list(rows[0])[:4] == ["file", "score", "max_score", "outcome"]
    by_file = {Path(r["file"]).name: r for r in rows}
    assert by_file["07_index_swaps.md"]["(5)"] == "refuted"
    assert by_file["07_index_swaps.md"]["score"] == "1" and by_file["07_index_swaps.md"]["max_score"] == "4"
    cells = [cell for row in csv.reader(io.StringIO(render_csv(batch["results"]))) for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)  # a spreadsheet would run them


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_json_is_a_list_of_check_reports_with_scores(batch):
    """JSON: one symsoft.check/1 report per submission, with its score and per-equation scores."""
    data = json.loads(render_json(batch["results"]))
    assert len(data) == len(batch["results"])
    for item, result in zip(data, batch["results"]):
        assert item["schema"] == "symsoft.check/1" and item["file"] == result.file
        assert item["score"] == result.score and item["max_score"] == result.max_score
        assert sum(s["score"] for s in item["scores"]) == pytest.approx(item["score"])
        assert isinstance(item["equations"], list) and isinstance(item["error"], str)


def _assert_gradescope(data: dict) -> None:
    assert set(data) >= {"score", "tests"} and isinstance(data["score"], (int, float))
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output"}
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test.get("status", "passed") in ("passed", "failed")
        assert test.get("visibility", "visible") in ("hidden", "after_due_date", "after_published", "visible")
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"])


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_gradescope_results_for_every_submission(batch):
    """Gradescope: keys and types of results.json hold for every submission, even unreadable ones."""
    for result in batch["results"]:
        _assert_gradescope(json.loads(render_gradescope(result)))


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_junit_structure(batch):
    """JUnit: parses as XML; a testsuite per submission, a testcase per equation, counts that add up."""
    root = ET.fromstring(render_junit(batch["results"]))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == len(batch["results"])
    for suite, result in zip(suites, batch["results"]):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) >= 1
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == len(suite.findall("testcase/error"))
        assert all(c.get("name") and c.get("classname") for c in cases)
        if result.outcome != "error":
            assert len(cases) == len(result.equations)
            failing = [e for e in result.equations if e.status not in ("proved", "definition")]
            assert int(suite.get("failures")) == len(failing)
    assert int(root.get("tests")) == len(root.findall("testsuite/testcase"))


@pytest.mark.xdist_group("grade-batch")  # one worker builds the batch fixture, once
def test_github_annotations(batch):
    """GitHub: one workflow command per line, ::error for refuted steps, ::warning for unverified, ::notice for lint."""
    lines = render_github(batch["results"]).splitlines()
    command = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+)?,title=[^:]*::.*$")
    assert all(command.match(line) for line in lines)
    swaps = [line for line in lines if "07_index_swaps.md" in line]
    assert sum(line.startswith("::error") for line in swaps) == 3
    assert any(line.startswith("::warning") and "huge_01.md" in line for line in lines)
    assert any(line.startswith("::error") and "latin1.md" in line and ",line=" not in line for line in lines)


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_writes_each_format(tmp_path, monkeypatch):
    """``symsoft grade`` writes every format to --output, and a class with something refuted exits 1."""
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "alice.md").write_text(SIMPLE)
    (folder / "bob.md").write_text(WRONG)
    assert _grade_cli(str(folder), "--jobs", "2", "--output", str(tmp_path / "out.csv")) == 1
    assert [row["(4)"] for row in csv.DictReader((tmp_path / "out.csv").open())] == ["", "refuted"]
    results = grade([folder], jobs=2)
    monkeypatch.setattr(grade_module, "grade", lambda *args, **kwargs: results)  # the same batch again
    for fmt in ("json", "junit", "github"):
        out = tmp_path / f"out.{fmt}"
        assert _grade_cli(str(folder), "--format", fmt, "--output", str(out)) == 1
        assert out.read_text()
    assert ET.parse(tmp_path / "out.junit").getroot().tag == "testsuites"
    assert _grade_cli(str(folder), "--format", "gradescope", "--output", str(tmp_path / "gs")) == 1
    written = sorted((tmp_path / "gs").iterdir())
    assert len(written) == 2 and all(path.suffix == ".json" for path in written)
    for path in written:
        _assert_gradescope(json.loads(path.read_text()))


def test_cli_gradescope_single_submission(tmp_path, capsys):
    """One submission with --format gradescope prints its results.json on standard output."""
    (tmp_path / "hw.md").write_text(SIMPLE + WRONG)
    assert _grade_cli(str(tmp_path / "hw.md"), "--format", "gradescope", "--rubric", str(_rubric(tmp_path))) == 1
    data = json.loads(capsys.readouterr().out)
    _assert_gradescope(data)
    assert data["score"] == 2 and [t["max_score"] for t in data["tests"]] == [2, 3]


def _rubric(tmp_path: Path) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text('points: {"3": 2, "4": 3}\n')
    return path


@pytest.mark.parametrize("argv, message", [
    (["missing_folder"], "no such file or folder"),
    (["{folder}", "--format", "gradescope"], "one submission"),
    (["{folder}", "--rubric", "missing.yaml"], "cannot read"),
    (["{folder}", "--profile", "no_such_profile"], "profile"),
    (["{empty}"], "no files to grade"),
])
def test_cli_usage_errors_exit_2(tmp_path, capsys, argv, message):
    """Usage errors exit with code 2 and a one-line message, never a traceback."""
    folder, empty = tmp_path / "subs", tmp_path / "empty"
    folder.mkdir()
    empty.mkdir()
    (folder / "a.md").write_text(SIMPLE)
    (folder / "b.md").write_text(WRONG)
    args = [a.format(folder=folder, empty=empty) for a in argv]
    assert _grade_cli(*args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_bad_jobs_is_a_usage_error(capsys):
    """--jobs 0 is refused by the argument parser with exit code 2."""
    with pytest.raises(SystemExit) as exit_:
        _grade_cli("x.md", "--jobs", "0")
    assert exit_.value.code == 2 and "jobs must be above 0" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    """A terminal gets a progress bar on stderr; a pipe gets none (only the summary line)."""
    (tmp_path / "hw.md").write_text(SIMPLE)
    assert _grade_cli(str(tmp_path / "hw.md")) == 0
    assert capsys.readouterr().err == "symsoft grade: 1 submission: 1 graded (0 with something refuted, 0 with something" \
                                      " unverified), 0 over a limit, 0 unreadable\n"
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _grade_cli(str(tmp_path / "hw.md")) == 0
    bar, summary = terminal.getvalue().rstrip("\n").split("\n")
    assert bar.startswith("\rgrading [") and bar.endswith("1/1") and summary.startswith("symsoft grade: 1 submission:")


# ---------------------------------------------------------------------------------------------
# Generated LaTeX


_ATOMS = st.sampled_from([
    "z_i", "z_j", "z_k", r"\sigma(z_i)", r"\sigma(z_j)", r"\hat{y}_k", "x_j", "w_j^{(i)}", r"\delta_{ij}", "C", "1",
    "0", "2", "e^{z_i}", "{", "}", "(", ")", "^", "_", r"\frac", r"\sum_{k=1}^C", r"\partial", r"\left(", r"\right)",
    "&", r"\\", r"\log", "-", "+", r"\cdot", "10^{10^{10}}", "!", "\x00", "\u202e", r"\begin{aligned}", r"\end{aligned}",
])
_RELATIONS = st.sampled_from(["=", "<", ">", r"\leq", r"\geq", r"\neq", "&="])


@st.composite
def _documents(draw) -> str:
    displays = []
    for number in range(draw(st.integers(1, 4))):
        sides = [" ".join(draw(st.lists(_ATOMS, min_size=1, max_size=8))) for _ in range(draw(st.integers(1, 3)))]
        relation = draw(_RELATIONS)
        prose = draw(st.sampled_from(["", "- if $i = j$:\n\n", "- if $i \\neq j$:\n\n", "Hence\n\n"]))
        displays.append(f"{prose}$${f' {relation} '.join(sides)} \\quad ({number + 1})$$\n")
    return "\n".join(displays)


@settings(max_examples=4, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(_documents(), min_size=3, max_size=6))
def test_generated_latex_always_gets_a_result(tmp_path_factory, documents):
    """Random LaTeX always gets one result per file within the limit, and every format renders."""
    folder = tmp_path_factory.mktemp("generated")
    for number, text in enumerate(documents):
        (folder / f"{number:02d}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    results = grade([folder], jobs=2, timeout=1.0, doc_timeout=8.0)
    assert len(results) == len(documents)
    assert all(isinstance(r, GradeResult) and r.outcome in OUTCOMES and r.seconds < safety_net(8) + SLACK for r in results)
    ET.fromstring(render_junit(results))
    json.loads(render_json(results))
    render_csv(results), render_github(results)


# ---------------------------------------------------------------------------------------------
# Dask


def test_dask_cluster_gives_the_local_results(tmp_path):
    """The same files graded on a Dask LocalCluster (loopback) give the results of a local run."""
    distributed = pytest.importorskip("distributed")
    files = [FIXTURES / "02_probability_vector.md", FIXTURES / "15_bounds_wrong.md", CORPUS / "latin1.md"]
    local = grade(files, jobs=2, timeout=30)  # roomy limits: the load must not change a verdict
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        remote = grade(files, executor=f"dask://{address}", timeout=30)
    assert remote == local


def test_unknown_executor_is_refused():
    """An executor that is not dask://HOST:PORT is a usage error."""
    with pytest.raises(UsageError, match="dask://HOST:PORT"):
        grade([FIXTURES / "02_probability_vector.md"], executor="spark://x:1")


def test_dask_executor_without_dask_says_how_to_install(monkeypatch):
    """Without the optional extra, the Dask executor names the package to install."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(UsageError, match=r"symsoft\[dask\]"):
        grade([FIXTURES / "02_probability_vector.md"], executor="dask://127.0.0.1:8786")


# ---------------------------------------------------------------------------------------------
# Submissions as they come: notebooks, PDFs, and every other file of a folder


def test_every_file_of_a_folder_gets_one_row(tmp_path):
    """Markdown, a notebook, a PDF, a broken notebook, a link and files symsoft does not read each get one row;
    hidden files of another kind (.DS_Store, .git/) are not submissions."""
    from submissions import notebook_with, pdf_with

    folder = tmp_path / "subs"
    (folder / ".git").mkdir(parents=True)
    (folder / "a.md").write_text(SIMPLE)
    (folder / "b.ipynb").write_bytes(notebook_with(("markdown", WRONG), ("code", "1/0")))
    (folder / "c.pdf").write_bytes(pdf_with([SIMPLE.strip()]))
    (folder / "d.docx").write_bytes(b"PK\x03\x04")
    (folder / "e.ipynb").write_text('{"cells": [')
    (folder / "notes").write_text(SIMPLE)
    (folder / ".DS_Store").write_bytes(b"\x00")
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "figure").symlink_to(folder / "a.md")  # a link of another ending: refused as a link, not opened
    rows = {Path(r.file).name: r for r in grade([folder], jobs=2)}
    assert sorted(rows) == ["a.md", "b.ipynb", "c.pdf", "d.docx", "e.ipynb", "figure", "notes"]
    assert "symbolic link" in rows["figure"].message
    assert [(rows[n].outcome, rows[n].statuses) for n in ("a.md", "b.ipynb", "c.pdf")] == [
        ("graded", {"3": "proved"}), ("graded", {"4": "refuted"}), ("graded", {"3": "proved"})]
    assert "best-effort" in rows["c.pdf"].message and rows["a.md"].message == ""
    assert "not .docx" in rows["d.docx"].message and "no ending" in rows["notes"].message
    assert "not valid JSON" in rows["e.ipynb"].message
    assert all(rows[n].outcome == "error" and rows[n].score == 0 for n in ("d.docx", "e.ipynb", "notes"))


def test_same_bytes_as_text_and_as_notebook_are_read_apart(tmp_path):
    """Identical bytes named .md and .ipynb are two documents (checked once each), not one result shared."""
    (tmp_path / "a.md").write_text(SIMPLE)
    (tmp_path / "a.ipynb").write_text(SIMPLE)
    rows = {Path(r.file).name: r for r in grade([tmp_path], jobs=1)}
    assert rows["a.md"].outcome == "graded" and "not valid JSON" in rows["a.ipynb"].message


def test_a_folder_holding_only_a_pdf_is_graded(tmp_path, capsys):
    """A submission folder with one PDF gets its Gradescope results (exit 0), not a usage error."""
    from submissions import pdf_with

    (tmp_path / "scan.pdf").write_bytes(pdf_with(["My derivation", SIMPLE.strip()]))
    assert _grade_cli(str(tmp_path), "--format", "gradescope") == 0
    data = json.loads(capsys.readouterr().out)
    _assert_gradescope(data)
    assert data["score"] == 1 and "best-effort" in data["output"] and "1 of 1 equation proved" in data["output"]


def test_gradescope_visibility_comes_from_the_rubric(tmp_path, capsys):
    """The rubric's visibility sets each test's; others and the whole result get default_visibility."""
    (tmp_path / "hw.md").write_text(SIMPLE + WRONG)
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text('points: {"3": 2, "4": 3}\nvisibility: {"4": hidden}\ndefault_visibility: after_published\n')
    assert _grade_cli(str(tmp_path / "hw.md"), "--format", "gradescope", "--rubric", str(rubric)) == 1
    data = json.loads(capsys.readouterr().out)
    _assert_gradescope(data)
    assert [(t["name"], t["visibility"]) for t in data["tests"]] == [("Equation (3)", "after_published"),
                                                                     ("Equation (4)", "hidden")]
    assert data["visibility"] == "after_published" and data["stdout_visibility"] == "hidden"
