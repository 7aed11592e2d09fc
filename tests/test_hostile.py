r"""Hostile input (issue 16): each hole found by trying to break check and grade, with its reproducer.

Large documents are generated here, at test time. Time limits are tested by patching in a slow
dependency, never by waiting for a slow machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symsoft.check import check
from symsoft.cli import main
from symsoft.errors import InputError, ProfileError
from symsoft.render.text import render_text

#: The checker module (``symsoft.check`` is also the name of the function the package re-exports).
checker = sys.modules["symsoft.check"]
_REAL_DECIDE = checker._decide_step
FALSE_SUM = "$$\\sum_{k=1}^C z_k = 1 \\quad (1)$$\n"
OWN_PROFILE = ("---\nprofile: {name: softmax, vectors: {z: {index: class, means: label}}, "
               "functions: {'\\\\sigma': softmax}}\n---\n")


def _slow_decide(left, relation, right, *rest):
    """The checker's decision, but past any limit of the tests when the left side is a sum (a slow SymPy)."""
    if "Sum" in str(left):
        end = time.monotonic() + 30  # computing, not waiting: the limit is on CPU time
        while time.monotonic() < end:
            pass
    return _REAL_DECIDE(left, relation, right, *rest)


# ---------------------------------------------------------------------------------------------
# Integrity


def test_relations_after_a_text_comment_are_claims():
    """What follows "\\text{, hence }" inside a display is checked: a false claim there is refuted."""
    report = check(r"$$\sum_{k=1}^C \sigma(z_k) = 1 \text{, hence } \sigma(z_i) = 2 \quad (7)$$")
    equation = report.equations[0]
    assert equation.status == "refuted"
    assert [s.status for s in equation.steps] == ["proved", "refuted"]


def test_text_conditions_stay_conditions():
    """"\\text{if } i = j" after a formula is its case, not a claim."""
    report = check(r"$$\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(1 - \sigma(z_i)) \quad \text{if } i = j "
                   r"\quad (1)$$")
    assert report.equations[0].status == "proved"


def test_front_matter_profile_is_the_documents_own():
    """A profile the front matter defines is reported as the document's own, and a grader can forbid or ignore it."""
    document = OWN_PROFILE + FALSE_SUM
    own = check(document)
    assert own.profile == "softmax (the document's own)"
    assert "the document's front matter sets its own reading" in render_text(own)
    assert check(document, front_matter="ignore").equations[0].status == "refuted"
    with pytest.raises(InputError, match="forbid"):
        check(document, front_matter="forbid")
    assert check("---\ntitle: HW 1\n---\n" + FALSE_SUM, front_matter="forbid").equations[0].status == "refuted"


def test_front_matter_forbidden_on_the_command_line(tmp_path, capsys):
    """symsoft check --front-matter forbid exits 2 with one line; ignore checks under the built-in profile."""
    path = tmp_path / "hw.md"
    path.write_text(OWN_PROFILE + FALSE_SUM)
    assert main(["check", str(path), "--front-matter", "forbid"]) == 2
    assert "forbid" in capsys.readouterr().err
    assert main(["check", str(path), "--front-matter", "ignore"]) == 1


@pytest.mark.parametrize("name", ["x$$z_1 = z_1$$.md", "a\n$$z_1 = z_1$$.md"])
def test_a_file_name_is_never_read_as_text(tmp_path, capsys, name):
    """A file name holding $ or a newline is a path: its file is read (or missing), never its name."""
    path = tmp_path / name
    assert main(["check", str(path)]) == 2  # missing: the name is not a document
    assert "cannot be opened" in capsys.readouterr().err
    path.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    assert main(["check", str(path)]) == 1  # the file's own (false) claim
    assert check(path).equations[0].status == "refuted"


def test_time_limited_hypothesis_is_never_remembered(monkeypatch, fresh_helper):
    """A => B whose hypothesis ran out of time says so and leaves nothing in the memo for the next document."""
    monkeypatch.setattr(checker, "_decide_step", _slow_decide)
    memo: dict = {}
    document = r"$$\sum_{k=1}^C \sigma(z_k) = 1 \Rightarrow \sigma(z_i) > 1 \quad (1)$$"
    equation = check(document, timeout=0.5, memo=memo).equations[0]
    assert equation.status == "unverified" and equation.timed_out
    assert all("ran out of its budget" in step.message and step.reason == "budget" for step in equation.steps)
    assert not [key for key in memo if key[0] == "equation"]


def test_time_limited_case_is_never_remembered(monkeypatch, fresh_helper):
    """A cases branch that ran out of time (its message starts "case ...") is not remembered either."""
    monkeypatch.setattr(checker, "_decide_step", _slow_decide)
    memo: dict = {}
    document = (r"$$\sum_{k=1}^C \sigma(z_k) \delta_{ij} = \begin{cases} 1 & \text{if } i = j \\ 0 & \text{otherwise}"
                r" \end{cases} \quad (1)$$")
    equation = check(document, timeout=0.5, memo=memo).equations[0]
    assert equation.timed_out and equation.status == "unverified"
    assert not [key for key in memo if key[0] == "equation"]


# ---------------------------------------------------------------------------------------------
# Hangs and memory


ALIAS_BOMB = "---\n" + "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},"
    f"*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n" for n in range(8)) + "---\n" + FALSE_SUM


def test_front_matter_alias_bomb_is_refused_at_once():
    """A few hundred bytes of YAML aliases are refused before they expand (one line, exit 2)."""
    assert len(ALIAS_BOMB) < 600
    with pytest.raises(ProfileError, match="alias"):
        check(ALIAS_BOMB)


def test_front_matter_size_is_checked_before_parsing():
    """A 1.8 MB front-matter list is refused unparsed."""
    document = "---\nprofile:\n" + "- x\n" * 450_000 + "---\n" + FALSE_SUM
    with pytest.raises(ProfileError, match="too long"):
        check(document)


def _run_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symsoft.cli", "check", str(path)], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).parent.parent)


def test_check_refuses_a_fifo_without_blocking(tmp_path):
    """A FIFO is not a document: check exits 2 at once instead of waiting for a writer."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = _run_check(fifo)
    assert result.returncode == 2 and "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_check_refuses_devices_and_huge_files(tmp_path, capsys):
    """/dev/zero and a 600 MB (sparse) file are refused before anything is read."""
    assert main(["check", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    huge = tmp_path / "huge.md"
    with open(huge, "wb") as handle:
        handle.truncate(600 * 2**20)
    assert main(["check", str(huge)]) == 2
    assert "too large" in capsys.readouterr().err


def test_cases_blocks_do_not_blow_up():
    """Twelve cases blocks in one sum (4,096 combinations) are unverified at once, not checked for minutes."""
    body = " + ".join(r"\begin{cases} z_%d & \text{if } i = j \\ 0 & \text{otherwise} \end{cases}" % (k % 3 + 1)
                      for k in range(12))
    equation = check(f"$${body} = 1 \\quad (1)$$").equations[0]
    assert equation.status == "unverified" and "too many cases" in equation.message


def test_check_has_a_document_budget(monkeypatch, fresh_helper):
    """200 slow equations stop at the document's budget; the rest are unverified with the reason."""
    monkeypatch.setattr(checker, "_decide_step", _slow_decide)
    document = "".join(f"$$\\sum_{{k=1}}^C \\sigma(z_k) = {n} \\quad ({n})$$\n\n" for n in range(200))
    report = check(document, timeout=0.5, doc_timeout=2.0)  # 200 equations at 0.5 s each would take 100 s
    assert all(e.status == "unverified" for e in report.equations)
    assert "checking the whole document ran out of its budget (2 s of CPU time)" in report.equations[-1].message
    assert report.equations[-1].reason == "budget"


# ---------------------------------------------------------------------------------------------
# Security


import symsoft.grade.batch as grade_module  # noqa: E402 - with the tests that use it


def test_a_file_swapped_for_a_link_mid_batch_is_not_followed(tmp_path, monkeypatch):
    """Replacing a submission with a link to the solutions after the batch started grades what was submitted."""
    from symsoft.grade.batch import grade

    folder = tmp_path / "subs"
    folder.mkdir()
    submission = folder / "alice.md"
    submission.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    solutions = tmp_path / "solutions.md"
    solutions.write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    real_pool = grade_module._run_pool

    def swap_then_run(*args, **kwargs):
        submission.unlink()
        submission.symlink_to(solutions)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(grade_module, "_run_pool", swap_then_run)
    (result,) = grade([folder], jobs=1)
    assert result.statuses == {"1": "refuted"} and result.score == 0


def test_csv_carriage_return_cannot_inject_a_formula():
    """A CR in a label or a file name never gives the spreadsheet a line that starts a formula."""
    import csv
    import io

    from symsoft.grade.batch import EquationScore, GradeResult
    from symsoft.render.grade import render_csv

    result = GradeResult("x\r=1+1\ry.md", "", "graded", 1, 1, (EquationScore("1\r=1+1\r1", 3, "proved", 1, 1),),
                         message="m\n+cmd")
    rows = list(csv.reader(io.StringIO(render_csv([result]), newline="")))
    assert len(rows) == 2
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not any(line[:1] in ("=", "+", "-", "@") for line in cell.replace("\r", "\n").split("\n")), cell


def test_csv_label_with_cr_from_a_document(tmp_path):
    """A \\tag{1\\r=1+1\\r1} in a graded document ends up in one quoted, defused header cell."""
    from symsoft.grade.batch import grade
    from symsoft.render.grade import render_csv

    path = tmp_path / "a.md"
    path.write_bytes(b"$$\\sigma(z_i) > 0 \\tag{1\r=1+1\r1}$$\n")
    text = render_csv(grade([path], jobs=1))
    assert "\r=1+1" not in text and "\"(1\r'=1+1\r1)\"" in text


def test_terminal_escapes_never_reach_the_output(tmp_path, capsys):
    """ESC, CR and BEL in a label, an equation or the file name are replaced in check's text output."""
    path = tmp_path / "hw\x1b]0;owned\x07.md"
    path.write_bytes(b"$$\\sigma(z_i) > 1 \x1b[2K\r\\tag{1\x1b[32mPROVED\x1b[0m}$$\n")
    assert main(["check", str(path)]) == 3  # the equation cannot be read: unverified
    out = capsys.readouterr().out
    assert "PROVED" in out and not any(c in out for c in "\x1b\r\x07"), repr(out)


# ---------------------------------------------------------------------------------------------
# Batches


def test_worker_killed_while_receiving_its_job(tmp_path, monkeypatch):
    """A worker that dies as it is sent its job costs nothing: a fresh one checks the document, the batch goes on."""
    from symsoft.grade.batch import grade

    real_submit = grade_module._Worker.submit
    killed = []

    def submit(self, job, shared):
        if not killed:
            killed.append(self.process.pid)
            self.process.kill()
            self.process.join()
        return real_submit(self, job, shared)

    monkeypatch.setattr(grade_module._Worker, "submit", submit)
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"$$\\sigma(z_i) > 0 \\quad ({name[0]})$$\n")
    results = grade([tmp_path], jobs=1)
    assert killed and [r.outcome for r in results] == ["graded", "graded"]


def test_file_name_not_utf8_is_written_whole(tmp_path):
    """A submission whose name is not UTF-8 is named with \\xNN in csv, json and check -o, never a traceback."""
    from symsoft.grade.batch import add_grade_arguments, run_grade
    import argparse

    folder = tmp_path / "subs"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.md")
    (folder / name).write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    parser = add_grade_arguments(argparse.ArgumentParser())
    for fmt in ("csv", "json"):
        out = tmp_path / f"out.{fmt}"
        assert run_grade(parser.parse_args([str(folder), "--format", fmt, "--output", str(out), "--jobs", "1"])) == 0
        text = out.read_text(encoding="utf-8")
        assert "caf\\xe9.md" in (text if fmt == "csv" else json.loads(text)[0]["file"])
    report = tmp_path / "report.txt"
    assert main(["check", str(folder / name), "-o", str(report)]) == 0
    assert "caf\\xe9.md" in report.read_text(encoding="utf-8")


def test_gradescope_names_never_collide(tmp_path):
    """a b.md, a_b.md, a+b.md and a&b.md with the same content give four results files."""
    from symsoft.grade.batch import add_grade_arguments, run_grade
    import argparse

    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a b.md", "a_b.md", "a+b.md", "a&b.md"):
        (folder / name).write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    out = tmp_path / "results"
    parser = add_grade_arguments(argparse.ArgumentParser())
    assert run_grade(parser.parse_args([str(folder), "--format", "gradescope", "--output", str(out), "--jobs", "1"])) == 0
    assert len(list(out.iterdir())) == 4


_HANG_SCRIPT = """
import os, sys, time
import symsoft.check
checker = sys.modules["symsoft.check"]
def hang(*args, **kwargs):
    with open(sys.argv[2], "a") as handle:
        handle.write(f"{os.getpid()}\\n")
    time.sleep(600)
checker.check = hang
from symsoft.cli import main
sys.exit(main(["grade", sys.argv[1], "--jobs", "2", "--doc-timeout", "600"]))
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return any(line.split()[:2] == ["State:", "Z"] for line in handle)  # a zombie is dead
    except FileNotFoundError:
        return True


def test_sigterm_stops_the_workers(tmp_path):
    """SIGTERM to grade kills its workers (which had no document limit left) and exits, holding nothing open."""
    import signal

    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text(f"$$\\sigma(z_i) > 0 \\quad ({name[0]})$$\n")
    pids = tmp_path / "pids"
    process = subprocess.Popen([sys.executable, "-c", _HANG_SCRIPT, str(folder), str(pids)],
                               cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (pids.exists() and len(pids.read_text().split()) == 2):
            time.sleep(0.1)
        workers = [int(pid) for pid in pids.read_text().split()]
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)  # no worker holds the pipes open
        assert process.returncode == 143 and b"Traceback" not in err
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(_gone(pid) for pid in workers):
            time.sleep(0.1)
        assert all(_gone(pid) for pid in workers)
    finally:
        if process.poll() is None:
            process.kill()


# ---------------------------------------------------------------------------------------------
# PDF


def test_sanitize_math_never_ends_in_a_backslash():
    """A trailing control space is dropped: "x \\ " would otherwise escape the closing $."""
    from symsoft.render.latex import sanitize_math

    assert sanitize_math("x \\ ") == "x"


def test_pdf_build_failure_is_not_refuted(tmp_path, capsys, monkeypatch):
    """A PDF that cannot be built exits 4, never 1 ("something refuted") nor 3 ("something unverified")."""
    import symsoft.render.latex as render_latex
    from symsoft.errors import TeXCompileError

    def fail(tex, path, *args, **kwargs):
        raise TeXCompileError("pdflatex: Missing $ inserted")

    monkeypatch.setattr(render_latex, "compile_pdf", fail)
    path = tmp_path / "hw.md"
    path.write_text("$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (1)$$\n")
    assert main(["check", str(path), "--format", "latex", "--pdf", "-o", str(tmp_path / "r.tex")]) == 4
    assert "Missing $" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Hostile folders, generated


_NAME_PARTS = ["a", "b", " ", "$$", "$", "\n", "\r", "=", "+", "&", "\x1b[2K", "é", "\udce9", "(1)", "-", "_", "."]
_CONTENTS = {
    "proved": b"$$\\sigma(z_i) > 0 \\quad (1)$$\n",
    "refuted": b"$$\\sigma(z_i) > 1 \\tag{1\r=1+1\r1}$$\n",
    "empty": b"",
    "binary": b"\x00\x01\x02",
    "latin1": "$$\u00e9 = 1$$".encode("latin-1"),
    "front_matter": b"---\na: &a [1]\nb: *a\nprofile: /etc/passwd\n---\n$$\\sigma(z_i) > 0 \\quad (1)$$\n",
    "prose": b"no maths here",
}


def _hostile_folder(folder: Path, entries) -> None:
    folder.mkdir()
    used = set()
    for parts, kind in entries:
        name = "".join(parts).replace("/", "_") + ".md"
        if name in used or name in (".md", "..md"):
            continue
        used.add(name)
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        if kind == "link":
            os.symlink(b"/etc/passwd", path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            with open(path, "wb") as handle:
                handle.write(_CONTENTS[kind])


@pytest.mark.slow
def test_grade_survives_generated_hostile_folders(tmp_path_factory):
    """Whatever the names, links, FIFOs and contents: one result per file, every output written whole, no traceback."""
    import argparse

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from symsoft.decide.verdicts import exit_code_of
    from symsoft.grade.batch import add_grade_arguments, class_statuses, grade, run_grade, submission_files
    from symsoft.render.grade import render_grade

    entry = st.tuples(st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=5),
                      st.sampled_from([*_CONTENTS, "link", "fifo"]))

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(entry, min_size=1, max_size=6))
    def run(entries):
        root = tmp_path_factory.mktemp("hostile")
        folder = root / "subs"
        _hostile_folder(folder, entries)
        files = submission_files([folder])
        results = grade([folder], jobs=2, timeout=10, doc_timeout=60)
        assert len(results) == len(files)
        for fmt in ("csv", "junit", "github"):
            render_grade(results, fmt).encode("utf-8")  # every output can be written as UTF-8
        out = root / "out.json"
        parser = add_grade_arguments(argparse.ArgumentParser())
        code = exit_code_of(class_statuses(results))  # the class's verdicts: 0, 1 or 3, never an error's 2 or 4
        if not files:  # every generated name was skipped (".md"): a folder with nothing to grade is a usage error
            code = 2
        assert run_grade(parser.parse_args([str(folder), "--format", "json", "--output", str(out), "--jobs", "2"])) == code
        assert not files or len(json.loads(out.read_text(encoding="utf-8"))) == len(files)
        if json.loads(render_grade(results, "json")) and len(files) > 1:
            out = root / "gradescope"
            parser = add_grade_arguments(argparse.ArgumentParser())
            assert run_grade(parser.parse_args([str(folder), "--format", "gradescope", "--output", str(out), "--jobs", "2"])) == code
            assert len(list(out.iterdir())) == len(files)
            assert all(json.loads(p.read_text(encoding="utf-8")) for p in out.iterdir())

    run()
