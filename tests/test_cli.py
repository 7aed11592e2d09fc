r"""The command line a script relies on: exit codes, limits that say so, and no traceback anywhere (issue 13)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symsoft import timelimit
from symsoft.check import check
from symsoft.cli import main
from symsoft.grade.batch import add_grade_arguments, run_grade

checker = importlib.import_module("symsoft.check")
grade_module = importlib.import_module("symsoft.grade.batch")
ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
PROVED = "$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (1)$$\n"
REFUTED = "$$\\sigma(z_i) > 1 \\quad (2)$$\n"
UNREAD = "$$\\frac{a}{ = 1 \\quad (3)$$\n"


def _grade_cli(*argv: str) -> int:
    return run_grade(add_grade_arguments(argparse.ArgumentParser(prog="symsoft grade")).parse_args(list(argv)))


def _run(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``symsoft ARGV`` in a fresh interpreter (this checkout's code), as a script would run it."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "symsoft.cli", *argv], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=environment, cwd=ROOT, timeout=600)


def _no_work(*args, **kwargs):
    raise AssertionError("the check ran although the command was refused")


# ---------------------------------------------------------------------------------------------
# Exit codes


@pytest.mark.parametrize("text, code", [
    (PROVED, 0),
    ("$$\\sigma(z_i) = \\frac{e^{z_i}}{\\sum_{k=1}^C e^{z_k}} \\quad (1)$$\n", 0),  # a definition
    (PROVED + REFUTED, 1),
    (PROVED + UNREAD, 3),
    (REFUTED + UNREAD, 1),
])
def test_check_exit_code_follows_the_worst_verdict(tmp_path, text, code):
    """0 every equation proved or a definition, 1 something refuted, 3 something unverified and nothing refuted."""
    path = tmp_path / "hw.md"
    path.write_text(text)
    assert main(["check", str(path)]) == code


def test_help_documents_the_exit_codes(capsys):
    """``--help`` of check and of grade says what each exit code means."""
    assert main(["check", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "1 something refuted; 3 something unverified" in text and "2 a usage error" in text
    assert main(["grade", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--fail-on" in text and "3 something unverified, over a limit or unreadable" in text


@pytest.fixture
def classes(tmp_path):
    """Three classes in folders: all proved, one refuted submission, one unverified submission (none refuted)."""
    made = {}
    for name, texts in (("proved", [PROVED, PROVED + PROVED]), ("refuted", [PROVED, REFUTED]),
                        ("unverified", [PROVED, PROVED + UNREAD])):
        folder = tmp_path / name
        folder.mkdir()
        for number, text in enumerate(texts):
            (folder / f"s{number}.md").write_text(text)
        made[name] = str(folder)
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    (unreadable / "a.md").write_text(PROVED)
    (unreadable / "b.md").write_bytes(b"\xff\xfe binary")
    made["unreadable"] = str(unreadable)
    return made


@pytest.mark.parametrize("name, default, refuted_only", [
    ("proved", 0, 0), ("refuted", 1, 1), ("unverified", 3, 0), ("unreadable", 3, 0),
])
def test_grade_exit_code_on_the_class(classes, tmp_path, name, default, refuted_only):
    """grade exits as check does, on the whole class; --fail-on refuted lets unverified (and unreadable) pass."""
    out = tmp_path / f"{name}.csv"
    assert _grade_cli(classes[name], "--jobs", "1", "-o", str(out)) == default
    assert _grade_cli(classes[name], "--jobs", "1", "-o", str(out), "--fail-on", "refuted") == refuted_only
    assert _grade_cli(classes[name], "--jobs", "1", "-o", str(out), "--fail-on", "unverified") == default


def test_grade_ends_with_a_summary_line(classes, capsys):
    """The last line on stderr counts the submissions: graded, refuted, unverified, over a limit, unreadable."""
    _grade_cli(classes["unreadable"], "--jobs", "1")
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == ("symsoft grade: 2 submissions: 1 graded (0 with something refuted, 0 with something unverified),"
                       " 0 over a limit, 1 unreadable")
    _grade_cli(classes["refuted"], classes["unverified"], "--jobs", "1")
    assert capsys.readouterr().err.splitlines()[-1] == (
        "symsoft grade: 4 submissions: 4 graded (1 with something refuted, 1 with something unverified), 0 over a limit,"
        " 0 unreadable")


# ---------------------------------------------------------------------------------------------
# Limits say so, and blame the computation


def _spin(*args):
    while True:  # computing, not waiting: the limit is on CPU time
        pass


@pytest.fixture
def fresh_helper(monkeypatch):
    """A time-limit helper forked after the test's patches (and stopped afterwards)."""
    if timelimit._worker is not None:
        timelimit._worker.stop()
    monkeypatch.setattr(timelimit, "_worker", None)
    yield
    if timelimit._worker is not None:
        timelimit._worker.stop()


def test_a_limit_blames_the_checker_and_is_reason_budget(monkeypatch, fresh_helper, capsys, tmp_path):
    """A step whose proof search ran out of its budget says so (not the student's fault); JSON has reason 'budget'."""
    path = tmp_path / "hw.md"
    path.write_text(PROVED + UNREAD)
    assert main(["check", str(path), "--format", "json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert [e["reason"] for e in data["equations"]] == [None, None]  # unread is not a limit
    assert data["equations"][0]["steps"][0]["reason"] is None
    monkeypatch.setattr(checker, "_decide_step", _spin)
    assert main(["check", str(path), "--format", "json", "--timeout", "0.3"]) == 3
    equation = json.loads(capsys.readouterr().out)["equations"][0]
    assert equation["status"] == "unverified" and equation["reason"] == "budget"
    step = equation["steps"][0]
    assert step["reason"] == "budget" and step["message"].startswith("the proof search ran out of its budget (0.3 s")
    assert "limit of the checker, not a sign that the step is wrong" in step["message"]
    assert main(["check", str(path), "--timeout", "0.3"]) == 3
    assert "the proof search ran out of its budget" in capsys.readouterr().out


def _exhausted(*args):
    raise MemoryError


def test_memory_exhausted_in_a_step_is_a_budget(monkeypatch, fresh_helper):
    """A MemoryError in the helper makes the step unverified for the budget, never 'could not evaluate'."""
    monkeypatch.setattr(checker, "_decide_step", _exhausted)
    step = check(PROVED).equations[0].steps[0]
    assert step.reason == "budget" and "budget (the memory it may use)" in step.message


# ---------------------------------------------------------------------------------------------
# No traceback anywhere


@pytest.mark.parametrize("argv", [
    ["check", str(HOMEWORK), "-o", "{missing}/report.txt"],
    ["check", str(HOMEWORK), "--format", "json", "-o", "{missing}/report.json"],
    ["check", str(HOMEWORK), "--format", "latex", "--pdf", "-o", "{missing}/report.tex"],
    ["check", str(HOMEWORK), "-o", "{folder}"],
    ["grade", str(HOMEWORK), "-o", "{missing}/grades.csv"],
])
def test_output_into_a_missing_folder_is_refused_before_any_work(tmp_path, monkeypatch, capsys, argv):
    """-o into a folder that does not exist: one line, exit 2, and the document was never checked."""
    monkeypatch.setattr(checker, "check", _no_work)
    monkeypatch.setattr(grade_module, "grade", _no_work)
    args = [a.format(missing=tmp_path / "no" / "such", folder=tmp_path) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot write" in err and "Traceback" not in err


def test_prove_output_into_a_missing_folder_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    """prove -o into a folder that does not exist: refused before the proofs are built."""
    from symsoft.models.softmax import model

    monkeypatch.setattr(model.SoftmaxRegression, "prove", _no_work)
    assert main(["prove", "softmax", "--classes", "2", "-o", str(tmp_path / "no" / "proofs.tex")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--format", "json", "--pdf"], "--pdf writes the LaTeX report"),
    (["--format", "text", "--pdf"], "not --format text"),
    (["--format", "json", "-o", "report.pdf"], "is a PDF"),
])
def test_incompatible_options_are_refused_before_any_work(monkeypatch, capsys, argv, message):
    """Options that contradict each other: one line, exit 2, before the document is read."""
    monkeypatch.setattr(checker, "check", _no_work)
    assert main(["check", str(HOMEWORK), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_ascii_output_encoding_never_tracebacks(tmp_path):
    """PYTHONIOENCODING=ascii: the homework's report is unchanged (exit 1); a non-ASCII equation is escaped, and
    JSON stays valid JSON with the same content."""
    ascii_env = {"PYTHONIOENCODING": "ascii"}
    homework = _run("check", str(HOMEWORK), env=ascii_env)
    assert homework.returncode == 1 and "Traceback" not in homework.stderr
    assert homework.stdout == _run("check", str(HOMEWORK)).stdout
    path = tmp_path / "accents.md"
    path.write_text(PROVED + "\n$$\\sigma(z_i) = é \\quad (2)$$\n", encoding="utf-8")
    text = _run("check", str(path), env=ascii_env)
    assert text.returncode == 3 and "Traceback" not in text.stderr and "\\xe9" in text.stdout
    as_json = _run("check", str(path), "--format", "json", env=ascii_env)
    assert as_json.returncode == 3 and as_json.stdout.isascii()
    assert json.loads(as_json.stdout) == json.loads(_run("check", str(path), "--format", "json").stdout)
    derived = _run("derive", "softmax", "--classes", "2", env=ascii_env)
    assert derived.returncode == 0 and "Traceback" not in derived.stderr


def test_memory_too_small_for_a_worker_is_not_graded(tmp_path):
    """--memory too small for a worker to check anything: every submission 'limit' with one clear message, never
    'graded', and no 'Fatal Python error' or traceback on the grader's terminal."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for number in range(3):
        (folder / f"s{number}.md").write_text(PROVED + REFUTED)
    done = _run("grade", str(folder), "--memory", "1", "--jobs", "2", "--format", "json")
    results = json.loads(done.stdout)
    assert [r["outcome"] for r in results] == ["limit"] * 3
    assert all("cannot start within the memory limit of 1 MB (--memory; a worker needs more than 8 MB)" in r["error"]
               for r in results)
    assert done.returncode == 3
    assert done.stderr.splitlines() == ["symsoft grade: 3 submissions: 0 graded (0 with something refuted, 0 with"
                                        " something unverified), 3 over a limit, 0 unreadable"]


# ---------------------------------------------------------------------------------------------
# Warm workers


_WARMTH_SCRIPT = """
import os, sys
from pathlib import Path
import symsoft.check
checker = sys.modules["symsoft.check"]
real_check = checker.check

def check(*args, **kwargs):
    from symsoft.parse import grammar

    name = Path(kwargs["path_hint"]).name
    warm = grammar._parser.cache_info().currsize == 1  # latex2sympy2 is warmed when a string first needs it
    with open(sys.argv[2], "a") as handle:
        handle.write(f"{name} {os.getpid()} {warm}\\n")
    if name == "b_dies.md":
        os._exit(3)
    return real_check(*args, **kwargs)

checker.check = check  # inherited by the forked workers
from symsoft.grade.batch import grade
print(" ".join(r.outcome for r in grade([sys.argv[1]], jobs=1)))
"""


def test_workers_and_their_replacements_start_warm(tmp_path):
    """In a fresh grader, every worker, and the one that replaces a worker that died, has the grammar's tables loaded
    before its first document: the parent warmed them up before forking (latex2sympy2, which most documents never
    need, is warmed outside any time limit when a string first needs it: tests/test_open_dependence.py)."""
    log = tmp_path / "warmth.log"
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a.md", "b_dies.md", "c.md"):
        (folder / name).write_text(PROVED + f"<!-- {name} -->\n")
    done = subprocess.run([sys.executable, "-c", _WARMTH_SCRIPT, str(folder), str(log)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert done.stdout.split() == ["graded", "limit", "graded"], done.stderr
    seen = {name: (pid, warm) for name, pid, warm in (line.split() for line in log.read_text().splitlines())}
    assert seen["a.md"][0] == seen["b_dies.md"][0] != seen["c.md"][0]  # c.md went to the replacement worker
    assert {warm for _pid, warm in seen.values()} == {"True"}
