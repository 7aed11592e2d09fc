r"""Hostile batches (issue 16, the batch items): each hole found by attacking ``grade``, with its reproducer.

A submission's bytes are read once when the batch starts; what is written out (CSV, JSON, Gradescope
folders) is whole, quoted and defused; a worker that dies, a name that is not UTF-8 or a SIGTERM never
costs the batch its results. Slow documents spin the CPU (they are long, not sleeping), and every wait
here is a generous safety net, never a measure of speed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

import symsoft.grade.batch as batch
from symsoft.cli import main
from symsoft.grade.batch import EquationScore, GradeResult, add_grade_arguments, grade, run_grade, submission_files
from symsoft.render.grade import render_csv

ROOT = Path(__file__).resolve().parent.parent
TRUE = "$$\\sigma(z_i) > 0 \\quad (1)$$\n"
FALSE = "$$\\sigma(z_i) > 1 \\quad (1)$$\n"
#: What may not start a line or a field of a CSV file (a spreadsheet runs it as a formula).
FORMULA = ("=", "+", "-", "@")


def _grade_cli(*argv: str) -> int:
    """``symsoft grade`` in this process, one worker (the machine running the tests is shared)."""
    return run_grade(add_grade_arguments(argparse.ArgumentParser()).parse_args([*argv, "--jobs", "1"]))


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# ---------------------------------------------------------------------------------------------
# 1. A file (or a folder on its path) swapped for a link while the batch runs


def test_a_folder_swapped_for_a_link_mid_batch_is_not_followed(tmp_path, monkeypatch):
    """A student's folder replaced by a link to the solutions once the batch has listed it: the solutions are
    never read (every part of a path below the folder given is opened without following links)."""
    subs, solutions = tmp_path / "subs", tmp_path / "solutions"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "hw.md").write_text(FALSE)
    solutions.mkdir()
    (solutions / "hw.md").write_text(TRUE)
    examine = batch._examine

    def swapped_then_read(*args):  # the folder was listed: now it is swapped, just before it is read
        (subs / "alice").rename(tmp_path / "alice.old")
        (subs / "alice").symlink_to(solutions, target_is_directory=True)
        return examine(*args)

    monkeypatch.setattr(batch, "_examine", swapped_then_read)
    (result,) = grade([subs], jobs=1)
    assert result.outcome == "error" and "symbolic link" in result.message and result.score == 0


def test_a_file_swapped_for_a_link_after_reading_changes_nothing(tmp_path, monkeypatch):
    """The local pool and the Dask path (one isolated worker per job) check the bytes read at the start."""
    subs = tmp_path / "subs"
    subs.mkdir()
    submission, solutions = subs / "alice.md", tmp_path / "solutions.md"
    submission.write_text(FALSE)
    solutions.write_text(TRUE)

    def swap():
        submission.unlink()
        submission.symlink_to(solutions)

    def pool_after_swap(jobs, *args):
        swap()
        return real_pool(jobs, *args)

    def dask_after_swap(address, jobs, doc_timeout, memory_mb, done):  # what each Dask task runs, without a cluster
        swap()
        for job in jobs:
            done(job, batch._run_isolated(job, doc_timeout, memory_mb))

    real_pool = batch._run_pool
    monkeypatch.setattr(batch, "_run_pool", pool_after_swap)
    assert grade([subs], jobs=1)[0].statuses == {"1": "refuted"}
    submission.unlink()
    submission.write_text(FALSE)
    monkeypatch.setattr(batch, "_run_dask", dask_after_swap)
    assert grade([subs], jobs=1, executor="dask://127.0.0.1:1")[0].statuses == {"1": "refuted"}


def test_a_link_inside_a_folder_is_refused_and_a_named_link_followed(tmp_path):
    """A link in a folder is refused (to a file or to a folder named like a submission); a link named on the
    command line is followed: the grader named it on purpose."""
    subs, elsewhere = tmp_path / "subs", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(TRUE)
    subs.mkdir()
    (subs / "link.md").symlink_to(elsewhere / "x.md")
    (subs / "folder.md").symlink_to(elsewhere, target_is_directory=True)
    (tmp_path / "named.md").symlink_to(elsewhere / "x.md")
    results = grade([subs, tmp_path / "named.md"], jobs=1)
    assert [(Path(r.file).name, r.outcome) for r in results] == [("folder.md", "error"), ("link.md", "error"),
                                                                  ("named.md", "graded")]
    assert all("symbolic link" in r.message for r in results[:2])


# ---------------------------------------------------------------------------------------------
# 2. CSV injection through a carriage return (or any other line break)

#: The characters some reader takes for the end of a line: CSV readers take CR and LF, str.splitlines the rest.
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _formula_lines(text: str) -> list[str]:
    """The lines of ``text`` (split at every line break) that a spreadsheet would run as a formula."""
    starts = FORMULA + tuple(blank + f for blank in "\t\r" for f in FORMULA)
    return [line for line in text.splitlines() if line.startswith(starts)]


def _assert_defused(text: str, rows: int) -> None:
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == rows, parsed
    assert len({len(row) for row in parsed}) == 1, parsed
    for row in parsed:
        for cell in row:
            assert not _formula_lines(cell), (cell, row)
            assert not cell.startswith(("\t", "\r")), cell
    assert not _formula_lines(text), text  # a naive import that splits the raw text into lines


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_csv_every_line_start_is_defused(brk):
    """A label, a file name or a message holding a line break and a formula gives no line that starts one."""
    hostile = f"1{brk}=1+1{brk}1"
    result = GradeResult(f"x{brk}=cmd|' /C calc'!A0{brk}.md", "", "graded", 1, 1,
                         (EquationScore(hostile, 3, "proved", 1, 1),), message=f"m{brk}+1{brk}-1{brk}@x{brk}\t=1")
    _assert_defused(render_csv([result, GradeResult("-x.md", "", "error", 0, 0, message="=1")]), 3)


def test_csv_label_with_carriage_returns_from_a_graded_document(tmp_path):
    r"""The reproducer: ``\tag{1\r=1+1\r1}`` and a CR in the file name, graded through the command line."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a\r=1+1\r.md").write_bytes(b"$$\\sigma(z_i) > 0 \\tag{1\r=1+1\r1}$$\n")
    (subs / "b.md").write_text(TRUE)
    out = tmp_path / "out.csv"
    _grade_cli(str(subs), "--output", str(out))
    text = out.read_bytes().decode("utf-8")
    assert "=1+1" in text  # the label is there, defused
    _assert_defused(text, 3)


# ---------------------------------------------------------------------------------------------
# 3. A worker killed while it receives its job


_DIE_ON_FIRST_JOB = """
def _die_reading(connection, parent, _real=_serve_jobs, _marker={marker!r}, _every={every!r}):
    import os
    try:
        os.close(os.open(_marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        first = True
    except FileExistsError:
        first = False
    if first or _every:
        connection.poll(None)  # the job is arriving: die with it half read
        os._exit(9)
    return _real(connection, parent)
"""


def _workers_die_reading(monkeypatch, marker: Path, every: bool) -> None:
    """Workers die as their first job arrives: the first one only, or every one (``every``)."""
    space = dict(vars(batch))
    exec(_DIE_ON_FIRST_JOB.format(marker=str(marker), every=every), space)
    monkeypatch.setattr(batch, "_serve_jobs", space["_die_reading"])


def _big_document(label: str) -> str:
    """A document larger than a pipe's buffer (the job cannot be sent whole before the worker reads it)."""
    return "Prose. " * 40_000 + f"\n\n$$\\sigma(z_i) > 0 \\quad ({label})$$\n"


def test_a_worker_killed_while_receiving_its_job_costs_nothing(tmp_path, monkeypatch):
    """The first worker dies with a large job half sent: a fresh worker checks it, every file gets its verdict."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.md").write_text(_big_document(name))
    _workers_die_reading(monkeypatch, tmp_path / "died", every=False)
    results = grade([tmp_path], jobs=1)
    assert (tmp_path / "died").exists()
    assert [(r.outcome, r.statuses) for r in results] == [("graded", {n: "proved"}) for n in "abc"]


def test_workers_that_always_die_receiving_give_each_document_a_row(tmp_path, monkeypatch):
    """When no worker survives receiving a job, every document still gets its row, with the reason."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(_big_document(name))
    (tmp_path / "empty.md").write_text("")
    _workers_die_reading(monkeypatch, tmp_path / "died", every=True)
    out = tmp_path / "out.json"
    assert _grade_cli(str(tmp_path), "--format", "json", "--output", str(out)) == 3
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(Path(r["file"]).name, r["outcome"]) for r in rows] == [("a.md", "limit"), ("b.md", "limit"),
                                                                    ("empty.md", "error")]
    assert all("stopped unexpectedly" in r["error"] for r in rows[:2])


# ---------------------------------------------------------------------------------------------
# 4. A file name that is not UTF-8; outputs written whole


def _latin1_folder(tmp_path: Path) -> Path:
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in (b"caf\xe9.md", b"ok.md"):
        with open(os.path.join(os.fsencode(subs), name), "wb") as handle:
            handle.write(TRUE.encode())
    return subs


@pytest.mark.parametrize("fmt", ["csv", "json", "junit", "github"])
def test_a_name_that_is_not_utf8_is_written_whole(tmp_path, fmt):
    """The real command line, with the raw bytes as argument: the name is shown as \\xe9, the output whole."""
    subs = _latin1_folder(tmp_path)
    out = tmp_path / f"out.{fmt}"
    done = subprocess.run([sys.executable, "-m", "symsoft", "grade", str(subs), "--format", fmt, "--output", str(out),
                           "--jobs", "1"], env=_env(), capture_output=True, timeout=600)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    text = out.read_bytes().decode("utf-8")
    if fmt == "json":
        assert [Path(r["file"]).name for r in json.loads(text)] == ["caf\\xe9.md", "ok.md"]
    elif fmt != "github":  # github annotates failures only: both files are proved
        assert "caf\\xe9.md" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out.{fmt}", "subs"]  # no temporary file left


def test_check_output_with_a_name_that_is_not_utf8(tmp_path):
    """``check -o`` on a file whose name is not UTF-8, and a missing one: \\xe9 in both, never a traceback."""
    subs = _latin1_folder(tmp_path)
    path = os.path.join(os.fsencode(subs), b"caf\xe9.md")
    out = tmp_path / "report.txt"
    done = subprocess.run([sys.executable, "-m", "symsoft", "check", path, "-o", str(out)], env=_env(),
                          capture_output=True, timeout=600)
    assert done.returncode == 0 and "caf\\xe9.md" in out.read_text(encoding="utf-8"), done.stderr
    done = subprocess.run([sys.executable, "-m", "symsoft", "grade", os.path.join(os.fsencode(subs), b"gon\xe9.md")],
                          env=_env(), capture_output=True, timeout=600)
    assert done.returncode == 2 and done.stderr.endswith(b"gon\\xe9.md\n") and b"Traceback" not in done.stderr


def test_an_output_that_fails_midway_leaves_the_old_one_whole(tmp_path, monkeypatch):
    """A write that fails (a full disk) keeps the previous output as it was and leaves no temporary file."""
    import symsoft.read.source as source

    subs = _latin1_folder(tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("the previous grades\n")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(source.os, "replace", full_disk)
    assert _grade_cli(str(subs), "--output", str(out)) == 4
    assert out.read_text() == "the previous grades\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "subs"]


# ---------------------------------------------------------------------------------------------
# 5. Gradescope folders: one results file per submission, never shared, never misattributed


def _gradescope(subs: Path, out: Path) -> dict[str, str]:
    """Grade ``subs`` into the folder ``out``; map each results file to the submission it names."""
    assert _grade_cli(str(subs), "--format", "gradescope", "--output", str(out)) in (0, 1)
    found = {}
    for path in sorted(out.iterdir()):
        text = json.loads(path.read_text(encoding="utf-8"))["output"]
        found[path.name] = text.removeprefix("symsoft checked ").rsplit(": ", 1)[0]
    return found


def test_gradescope_names_that_sanitise_alike_get_their_own_files(tmp_path):
    """The reproducer (a b, a_b, a+b, a&b with the same content), names alike but for case, and a name longer
    than a file system allows: one results file each, and a name that needs no change keeps it."""
    subs = tmp_path / "subs"
    subs.mkdir()
    names = ["a b.md", "a_b.md", "a+b.md", "a&b.md", "A_b.md", "x" * 250 + ".md", ".hidden.md", "hidden.md"]
    for name in names:
        (subs / name).write_text(TRUE)
    found = _gradescope(subs, tmp_path / "results")
    assert sorted(Path(f).name for f in found.values()) == sorted(names)
    assert len({name.lower() for name in found}) == len(names)  # a case-insensitive file system keeps them apart
    assert all(len(name.encode()) <= 255 and not name.startswith((".", "-")) for name in found)
    for name, file in found.items():  # the path, percent-encoded; "-2" for a twin but for case; a long one cut
        stem = name.removesuffix(".json")
        twin = unquote(stem.removesuffix("-2")) == file == str(subs / "a_b.md")  # after A_b.md, in input order
        assert unquote(stem) == file or twin or len(stem) == 200


def test_gradescope_names_do_not_depend_on_the_rest_of_the_class(tmp_path):
    """A submission's results file has the same name whether or not a look-alike was submitted (deterministic)."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a b.md").write_text(TRUE)
    (subs / "z.md").write_text(TRUE)
    alone = _gradescope(subs, tmp_path / "one")
    (subs / "a_b.md").write_text(TRUE)
    together = _gradescope(subs, tmp_path / "two")
    assert set(alone) <= set(together) and all(together[name] == alone[name] for name in alone)


# ---------------------------------------------------------------------------------------------
# 6. SIGTERM stops the batch and all its workers


def _slow_folder(folder: Path, documents: int = 2, equations: int = 400) -> None:
    """Documents that keep a worker computing for minutes (many distinct false sums, each a real check)."""
    folder.mkdir()
    for d in range(documents):
        (folder / f"s{d}.md").write_text("".join(
            f"$$\\sum_{{k=1}}^C \\sigma(z_k) + {d * 10_000 + n} \\sigma(z_1) = 1 + {n} \\quad ({n})$$\n\n"
            for n in range(1, equations + 1)))


def _descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds  # a safety net against a hang, not a measure of speed
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("signals", [1, 2])
def test_sigterm_stops_grade_and_every_worker(tmp_path, signals):
    """``python -m symsoft grade`` on slow documents, SIGTERM (once, or twice in a row) once the workers check:
    exit 143, no traceback, no output file, and every worker and helper it started is gone."""
    _slow_folder(tmp_path / "subs")
    out = tmp_path / "out.csv"
    process = subprocess.Popen([sys.executable, "-m", "symsoft", "grade", str(tmp_path / "subs"), "--jobs", "2",
                                "--doc-timeout", "3600", "--output", str(out)], env=_env(), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started: set[int] = set()
    try:
        def checking() -> bool:  # two workers, each with its time-limit helper
            started.update(_descendants(process.pid))
            return len(started) >= 4 or process.poll() is not None

        assert _wait_for(checking, 300) and process.poll() is None, process.stderr.read()
        for _ in range(signals):
            process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)  # no worker holds the pipes open
        assert process.returncode == 143 and b"Traceback" not in err, err
        assert err.decode().strip().splitlines()[-1] == "symsoft grade: terminated"
        assert _wait_for(lambda: not any(map(_alive, started)), 60), [p for p in started if _alive(p)]
        assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["subs"]
    finally:
        for pid in started | {process.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        process.wait()


def test_sigterm_while_writing_a_gradescope_folder_writes_it_whole(tmp_path, monkeypatch):
    """SIGTERM between two results files: the folder is finished (every submission's file), then grade stops (143)."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in "abc":
        (subs / f"{name}.md").write_text(TRUE)
    write = batch.write_whole

    def write_then_signal(path, text):
        write(path, text)
        os.kill(os.getpid(), signal.SIGTERM)  # as the first file is written

    monkeypatch.setattr(batch, "write_whole", write_then_signal)
    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stopped:
        _grade_cli(str(subs), "--format", "gradescope", "--output", str(tmp_path / "out"))
    assert stopped.value.code == 143 and len(list((tmp_path / "out").iterdir())) == 3
    assert signal.getsignal(signal.SIGTERM) == previous


# ---------------------------------------------------------------------------------------------
# 7. Generated hostile folders

_NAME_PARTS = [b"a", b"B", b" ", b"$", b"$$", b"\n", b"\r", b"-", b"=", b"+", b"@", b"&", b"%", b"\\", b"\t",
               "\u00e9".encode(), "\u2028".encode(), b"\xe9", b"\xff\xfe", b"\x1b[2K", b"(1)", b"_", b".", b"~"]
_SUFFIXES = [b".md", b".tex", b".txt", b".MD"]
_CONTENTS = {
    "proved": TRUE.encode(),
    "refuted": b"$$\\sigma(z_i) > 1 \\tag{1\r=1+1\r1}$$\n",
    "empty": b"",
    "binary": b"\x00\x01\x02\xff",
    "latin1": "$$\u00e9 = 1$$".encode("latin-1"),
    "front_matter": b"---\na: &a [1]\nb: *a\nprofile: /etc/passwd\n---\n" + TRUE.encode(),
    "prose": b"no maths here",
}
#: What a folder entry can be besides a file with one of the contents above.
_OTHERS = ["huge", "fifo", "link_in", "link_out", "link_dangling", "link_dir", "dir"]


def _make_entry(folder: bytes, name: bytes, kind: str, outside: bytes) -> None:
    """One entry of a hostile folder: a file, a FIFO, a link (inside, outside, dangling, to a folder) or a folder."""
    path = os.path.join(folder, name)
    if kind in _CONTENTS:
        with open(path, "wb") as handle:
            handle.write(_CONTENTS[kind])
    elif kind == "huge":  # past the size limit without using the disk: a sparse file
        with open(path, "wb") as handle:
            handle.truncate(batch.read_submission.__defaults__[1] + 1)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":  # a folder named like a submission, holding one
        os.mkdir(path)
        with open(os.path.join(path, b"inner.md"), "wb") as handle:
            handle.write(_CONTENTS["proved"])
    else:
        target = {"link_in": os.path.join(folder, b"b.md"), "link_out": os.path.join(outside, b"solutions.md"),
                  "link_dangling": os.path.join(outside, b"gone.md"), "link_dir": outside}[kind]
        os.symlink(target, path)


def _expected_rows(folder: bytes) -> list[tuple[str, bytes]]:
    """Every entry a grader expects a row for (all but real folders, which are walked): its display name, its name.

    A list, not a mapping: two display names can be equal (a backslash in one name, a byte not UTF-8 in another).
    """
    from symsoft.read.source import display_name

    rows = []
    for root, dirs, names in os.walk(folder):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            if name.lower().endswith((b".md", b".tex", b".txt")):
                rows.append((display_name(os.fsdecode(os.path.normpath(os.path.join(root, name)))), name))
    return rows


@pytest.mark.slow
def test_grade_survives_generated_hostile_folders(tmp_path_factory, monkeypatch):
    """Hostile names, links in and out, sizes, FIFOs, folders named like submissions: ``grade`` gives every input
    file exactly one row (in csv, json, junit, github and a Gradescope folder), writes each output whole and
    never raises."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from symsoft.decide.verdicts import exit_code_of
    from symsoft.grade.batch import class_statuses

    name = st.builds(lambda parts, suffix: b"".join(parts).replace(b"/", b"_") + suffix,
                     st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=5), st.sampled_from(_SUFFIXES))
    entries = st.dictionaries(name, st.sampled_from([*_CONTENTS, *_OTHERS]), min_size=1, max_size=7)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(entries)
    def run(entries):
        root = os.fsencode(tmp_path_factory.mktemp("hostile"))
        folder, outside = os.path.join(root, b"subs"), os.path.join(root, b"outside")
        os.mkdir(folder)
        os.mkdir(outside)
        with open(os.path.join(outside, b"solutions.md"), "wb") as handle:
            handle.write(_CONTENTS["proved"])
        with open(os.path.join(folder, b"b.md"), "wb") as handle:  # what link_in points to
            handle.write(_CONTENTS["refuted"])
        for entry, kind in entries.items():
            if entry.lower() not in (b"b.md", b".md", b"..md"):
                _make_entry(folder, entry, kind, outside)
        expected = _expected_rows(folder)
        subs = os.fsdecode(folder)

        results = grade([subs], jobs=2, timeout=10, doc_timeout=120)
        assert sorted(r.file for r in results) == sorted(shown for shown, _ in expected)  # one row per input file
        for result in results:
            kind = entries.get(dict(expected)[result.file], "refuted")
            if kind in ("proved", "refuted", "front_matter"):
                assert result.outcome == "graded", result
            elif kind in ("huge", "fifo", "empty", "binary", "latin1", "prose") or kind.startswith("link"):
                assert result.outcome == "error" and result.message, result
        code = exit_code_of(class_statuses(results))
        monkeypatch.setattr(batch, "grade", lambda *args, **kwargs: results)  # the same batch, written out
        for fmt in ("csv", "json", "junit", "github"):
            out = os.path.join(os.fsdecode(root), f"out.{fmt}")
            assert _grade_cli(subs, "--format", fmt, "--output", out) == code
            text = Path(out).read_bytes().decode("utf-8")
            if fmt == "csv":
                _assert_defused(text, len(results) + 1)
            elif fmt == "json":
                assert [r["file"] for r in json.loads(text)] == [r.file for r in results]
        if len(results) > 1:
            out = Path(os.fsdecode(root), "gradescope")
            assert _grade_cli(subs, "--format", "gradescope", "--output", str(out)) == code
            written = sorted(out.iterdir())
            assert len({p.name.casefold() for p in written}) == len(written) == len(results)
            assert all(json.loads(p.read_text(encoding="utf-8"))["output"] for p in written)
        leftovers = [p for p in Path(os.fsdecode(root)).iterdir() if p.name.startswith(".symsoft-")]
        assert not leftovers  # no temporary file: every output was renamed into place whole
        monkeypatch.undo()

    run()


# ---------------------------------------------------------------------------------------------
# Found while testing: more ways one document stopped the batch or lost its row


@pytest.mark.parametrize("failures", [1, 1000])
def test_a_worker_that_cannot_be_started_costs_at_most_its_document(tmp_path, monkeypatch, failures):
    """``fork`` failing (EAGAIN, too many processes) once is retried; failing always gives each document a row."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(TRUE.replace("(1)", f"({name})"))
    start = batch._Worker.__init__
    calls = []

    def fork_fails(self, memory_mb):
        calls.append(1)
        if len(calls) <= failures:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        start(self, memory_mb)

    monkeypatch.setattr(batch._Worker, "__init__", fork_fails)
    out = tmp_path / "out.csv"
    assert _grade_cli(str(tmp_path), "--output", str(out)) == (0 if failures == 1 else 3)
    rows = list(csv.DictReader(out.open(newline="")))
    assert [row["outcome"] for row in rows] == (["graded"] * 2 if failures == 1 else ["limit"] * 2)


def test_a_report_that_cannot_be_scored_costs_only_its_document(tmp_path, monkeypatch):
    """A checker bug while one report is turned into a result: that document gets an error row, the rest theirs."""
    import symsoft.render.json as render_json

    (tmp_path / "a.md").write_text(TRUE)
    (tmp_path / "b.md").write_text(FALSE.replace("(1)", "(2)"))
    real = render_json.report_dict

    def report_dict(report, *args, **kwargs):
        if report.source.endswith("a.md"):
            raise KeyError("a bug")
        return real(report, *args, **kwargs)

    monkeypatch.setattr(render_json, "report_dict", report_dict)
    results = grade([tmp_path], jobs=1)
    assert [(r.outcome, r.statuses) for r in results] == [("error", {}), ("graded", {"2": "refuted"})]
    assert "internal error KeyError" in results[0].message


def test_a_subfolder_that_cannot_be_listed_gets_a_row(tmp_path, monkeypatch):
    """A subfolder the walk cannot read (permissions; simulated, the tests may run as root) is not silently lost."""
    (tmp_path / "a.md").write_text(TRUE)
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "hw.md").write_text(TRUE)
    scandir = os.scandir

    def refused(path="."):
        if os.fspath(path).endswith("bob"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    assert submission_files([tmp_path]) == [str(tmp_path / "a.md"), str(tmp_path / "bob")]
    monkeypatch.undo()
    result = batch._examine(str(tmp_path / "bob"), str(tmp_path))
    assert result.problem == "this is a folder, not a document"


def test_a_folder_where_a_document_is_expected_is_one_line(tmp_path, capsys):
    """A link to a folder named as a document (check or grade): "this is a folder", never "cannot write"; a folder
    itself is checked document by document (issue 15), and one without documents is one line, exit 2."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.md").write_text(TRUE)
    (tmp_path / "empty").mkdir()
    (tmp_path / "link.md").symlink_to(tmp_path / "real", target_is_directory=True)
    assert main(["check", str(tmp_path / "link.md")]) == 2
    assert capsys.readouterr().err.strip().endswith("link.md: this is a folder, not a document")
    assert main(["check", str(tmp_path / "real")]) == 0
    assert main(["check", str(tmp_path / "empty")]) == 2
    assert capsys.readouterr().err.strip().endswith("no .md, .tex or .txt file in the folder " + str(tmp_path / "empty"))
    out = tmp_path / "out.csv"
    assert main(["grade", str(tmp_path / "link.md"), "--output", str(out), "--jobs", "1"]) == 3
    assert list(csv.DictReader(out.open(newline="")))[0]["message"] == "this is a folder, not a document"
