r"""The same documents get the same verdicts, scores and bytes of output on a busy machine (issue 13).

Limits are budgets of CPU time (the checker's helper, a grade worker and its helpers), never of wall-clock time,
which stays only as a safety net (:func:`symsoft.timelimit.safety_net`) against work that waits. The fast tests
here show each budget ignores time spent waiting and stops time spent computing; the slow one grades the homework
and a class of 30 varied submissions on an idle machine, then again while two CPU-bound processes load both
cores, locally and on a loopback Dask LocalCluster, and compares the bytes.
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symsoft import timelimit
from symsoft.errors import TimeLimitExceeded
from symsoft.grade.batch import grade
from symsoft.timelimit import budget_left, call_with_time_limit, safety_net, time_budget

checker = importlib.import_module("symsoft.check")

ROOT = Path(__file__).parents[1]
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
FIXTURES = ROOT / "tests" / "fixtures"
HOSTILE = ROOT / "tests" / "hostile" / "corpus"
SIMPLE = "$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (3)$$\n"


def _spin(seconds: float) -> float:
    """Compute (never wait) for ``seconds`` of this thread's CPU time; return the time it took."""
    start = time.thread_time()
    while time.thread_time() - start < seconds:
        pass
    return seconds


# ---------------------------------------------------------------------------------------------
# Budgets count CPU time, not waiting


def test_a_document_budget_ignores_waiting_and_counts_computing():
    """Waiting (what a loaded machine does to a process) spends nothing; computing in this thread spends it."""
    with time_budget(0.5):
        time.sleep(0.8)
        assert budget_left() > 0.4
        _spin(0.6)
        assert budget_left() == 0
        with pytest.raises(TimeLimitExceeded, match="budget is spent"):
            call_with_time_limit(sum, ([1, 2],), seconds=5)


def test_helper_calls_draw_on_the_document_budget(fresh_helper):
    """CPU time used in the helper counts against the enclosing budget: the second call gets what is left."""
    with time_budget(1.0):
        assert call_with_time_limit(_spin, (0.6,), seconds=5) == 0.6
        assert budget_left() <= 0.4 + 0.05
        with pytest.raises(TimeLimitExceeded, match=r"time limit of 0\.[1-4]\d* s exceeded"):
            call_with_time_limit(_spin, (0.6,), seconds=5)
        assert budget_left() == 0


def test_a_call_that_waits_is_not_stopped_by_its_cpu_limit(fresh_helper):
    """A helper call that sleeps past its limit of CPU time returns: only computing counts."""
    assert call_with_time_limit(time.sleep, (1.0,), seconds=0.3) is None


def test_the_wall_clock_safety_net_stops_a_call_that_waits(monkeypatch, fresh_helper):
    """A call that waits without end is stopped by the safety net (here made short)."""
    monkeypatch.setattr(timelimit, "WALL_FACTOR", 1.0)
    monkeypatch.setattr(timelimit, "WALL_EXTRA", 0.5)
    assert safety_net(0.3) == pytest.approx(0.8)
    with pytest.raises(TimeLimitExceeded):
        call_with_time_limit(time.sleep, (600,), seconds=0.3)


def test_tree_cpu_counts_children_alive_and_reaped():
    """A process tree's CPU time holds a child that computes, and still holds it once the child is reaped."""
    before = timelimit.tree_cpu_seconds(os.getpid())
    if before is None:
        pytest.skip("no /proc here: limits are wall-clock time")
    child = subprocess.Popen([sys.executable, "-c", "import time\nt = time.process_time()\n"
                              "while time.process_time() - t < 1.0: pass\nimport sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        while timelimit._cpu_seconds(child.pid) < 1.0:
            time.sleep(0.05)
        assert timelimit.tree_cpu_seconds(os.getpid()) - before >= 1.0
    finally:
        child.communicate(b"")
    assert timelimit.tree_cpu_seconds(os.getpid()) - before >= 1.0  # in this process's reaped children's time


def _patched_check(real_check):
    def check(*args, **kwargs):
        name = Path(kwargs["path_hint"]).name
        if name == "waits.md":
            time.sleep(2.5)  # descheduled, as on a loaded machine: no CPU time used
        if name == "computes.md":
            _spin(600)
        if name == "computes_in_helper.md":
            call_with_time_limit(_spin, (600,), 600)
        return real_check(*args, **kwargs)

    return check


def test_grade_limits_a_document_by_cpu_time(tmp_path, monkeypatch):
    """A document that waits past its budget is graded; one that computes past it, in the worker or in its
    helper, is stopped at its CPU time with a message that says so (the safety net is an hour: it cannot)."""
    monkeypatch.setattr(timelimit, "WALL_EXTRA", 3600.0)
    monkeypatch.setattr(checker, "check", _patched_check(checker.check))  # inherited by the forked workers
    for name in ("waits.md", "computes.md", "computes_in_helper.md"):
        (tmp_path / name).write_text(SIMPLE + f"<!-- {name} -->\n")
    results = {Path(r.file).name: r for r in grade([tmp_path], jobs=2, doc_timeout=1.5)}
    assert results["waits.md"].outcome == "graded" and results["waits.md"].score == 1.0
    for name in ("computes.md", "computes_in_helper.md"):
        assert results[name].outcome == "limit", results[name].message
        assert "ran out of its budget (1.5 s of CPU time)" in results[name].message


def test_grade_safety_net_stops_a_document_that_waits(tmp_path, monkeypatch):
    """A document that waits without end is stopped by the wall-clock safety net (here made short)."""
    monkeypatch.setattr(timelimit, "WALL_FACTOR", 1.0)
    monkeypatch.setattr(timelimit, "WALL_EXTRA", 0.5)
    monkeypatch.setattr(checker, "check", _patched_check(checker.check))
    (tmp_path / "waits.md").write_text(SIMPLE)
    [result] = grade([tmp_path / "waits.md"], jobs=1, doc_timeout=1.0)
    assert result.outcome == "limit" and "ran out of its budget" in result.message


# ---------------------------------------------------------------------------------------------
# The class under load


#: 30 submissions: correct, partly wrong and wrong derivations from the fixtures, real-world posts, other models'
#: suites (read under the softmax profile), unreadable files, and one generated from the homework (a sign flipped).
CLASS = [
    *(FIXTURES / "derivations" / f"{n}.md" for n in (
        "01_jacobian_symmetric", "02_probability_vector", "03_bounds_mixed", "04_jacobian_sign_errors",
        "05_jacobian_denominator", "06_one_case_claims", "07_index_swaps", "11_sum_to_one_errors",
        "13_chain_middle_error", "14_tags_logit_gradient", "15_bounds_wrong")),
    *(FIXTURES / "corpus" / "real" / f"{n}.md" for n in (
        "03_ds_softmax_chain_rule_question", "09_sunhaozhe_matrix_calculus", "13_maykulkarni_logistic_sigmoid_notebook",
        "19_mse_linear_regression_gradient_answer", "22_dbieber_softmax_ce_snippet", "23_postnetwork_softmax_ce_logits",
        "24_telhc_softmax_jacobian_note", "26_parsiad_logsumexp_trick", "27_tmclaughlin_activations_softmax_backprop")),
    *(FIXTURES / "models" / n for n in (
        "linear/01_gradient_correct.md", "linear/02_sse_sign_errors.md", "linear/04_hessian_conditions.md",
        "logistic/01_sigmoid_derivative.md", "logistic/03_log_odds.md", "softmax-bias-l2/02_l2_weight_decay.md")),
    *(HOSTILE / n for n in ("binary_png.md", "empty.md", "display_unterminated.md")),
]
#: The limits of the class runs: the command line's defaults (a loaded machine's wall clock passes 60 s on the
#: homework, whose CPU time is about a third of that).
STEP_TIMEOUT, DOC_TIMEOUT = 5.0, 60.0


def _class_folder(root: Path) -> Path:
    """The homework and the 30 submissions in one folder (names kept apart by a number)."""
    folder = root / "class"
    folder.mkdir()
    shutil.copyfile(HOMEWORK, folder / "00_homework.md")
    for number, path in enumerate(CLASS, 1):
        shutil.copyfile(path, folder / f"{number:02d}_{path.name}")
    text = HOMEWORK.read_text(encoding="utf-8")
    flipped = text.replace(r"\sigma(z_i)(1 - \sigma(z_j))", r"\sigma(z_i)(1 + \sigma(z_j))", 1)
    assert flipped != text
    (folder / "30_homework_sign_flipped.md").write_text(flipped, encoding="utf-8")
    assert len(list(folder.iterdir())) == 31
    return folder


#: A grading run in its own process (the Dask run, beside the local one): writes ``symsoft grade``'s json and csv.
_GRADE = """
import sys
from pathlib import Path
from symsoft.grade.batch import grade, grade_summary
from symsoft.render.grade import render_grade
out, executor, timeout, doc_timeout, *files = sys.argv[1:]
results = grade(files, jobs=2, timeout=float(timeout), doc_timeout=float(doc_timeout),
                executor=None if executor == "local" else executor)
for fmt in ("json", "csv"):
    Path(out, fmt).write_bytes(render_grade(results, fmt).encode("utf-8"))
Path(out, "summary").write_bytes(grade_summary(results).encode("utf-8"))
for result in results:  # one file per submission: a difference names its document
    Path(out, "one " + Path(result.file).name).write_bytes(render_grade([result], "json").encode("utf-8"))
"""
#: ``symsoft check --format json`` on the homework, its output and exit code in a folder.
_CHECK = """
import sys
from pathlib import Path
from symsoft.cli import main
document, out, timeout = sys.argv[1:]
code = main(["check", document, "--format", "json", "--timeout", timeout, "-o", str(Path(out, "check"))])
Path(out, "check").write_bytes(Path(out, "check").read_bytes() + f"\\nexit {code}".encode())
"""


def _start(script: str, *argv: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, argv)], cwd=ROOT, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _finish(process: subprocess.Popen, out: Path) -> dict[str, bytes]:
    """Wait for a run started by :func:`_start`; what it wrote in ``out``."""
    _, err = process.communicate(timeout=1800)
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]
    return {path.name: path.read_bytes() for path in out.iterdir()}


def _outputs(folder: Path, out: Path, executor: str | None = None) -> dict[str, bytes]:
    """What ``symsoft grade --format json|csv`` writes for the folder (both rendered from one run, as run_grade
    does), its summary line and each submission's result, and what ``symsoft check --format json`` writes for the
    homework; with an executor, a Dask run too (of the submissions that are not the homework, :func:`_on_dask`),
    all three at once (idle: one after the other). Every run is a fresh process, as on a grader's machine (never
    this test process, whose caches hold what earlier tests left)."""
    runs = {}
    for name in ("check", "grade", *(("dask",) if executor else ())):
        (out / name).mkdir(parents=True)
    files = sorted(str(path) for path in folder.iterdir())
    runs["check"] = _start(_CHECK, folder / "00_homework.md", out / "check", STEP_TIMEOUT)
    outputs = {} if executor else _finish(runs["check"], out / "check")  # idle: one run at a time
    if executor:
        runs["dask"] = _start(_GRADE, out / "dask", executor, STEP_TIMEOUT, DOC_TIMEOUT, *_on_dask(folder))
    runs["grade"] = _start(_GRADE, out / "grade", "local", STEP_TIMEOUT, DOC_TIMEOUT, *files)
    outputs.update(_finish(runs["grade"], out / "grade"))
    if executor:
        outputs.update(_finish(runs["check"], out / "check"))
        outputs.update({f"dask {name}": data for name, data in _finish(runs["dask"], out / "dask").items()})
    return outputs


def _on_dask(folder: Path) -> list[str]:
    """The files of the Dask run: the 29 submissions that are not the homework or its copy with a sign flipped
    (Dask checks each document in a fresh worker, without the verdicts a local batch shares)."""
    return sorted(str(path) for path in folder.iterdir() if "homework" not in path.name)


def _loaders(count: int = 2) -> list[subprocess.Popen]:
    """``count`` processes that compute without end (each loads one core)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def _stop(loaders: list[subprocess.Popen]) -> float:
    """Stop the loaders; the CPU seconds the least busy of them used."""
    used = [timelimit._cpu_seconds(p.pid) or 0.0 for p in loaders]
    for process in loaders:
        process.kill()
        process.wait()
    return min(used)


_CHECK_ALL = """
import sys
from symsoft import check
from symsoft.render.json import render_json
for path in sys.argv[1:]:
    try:
        print(render_json(check(path, is_text=False)))
    except Exception as error:
        print(type(error).__name__, error)
"""


@pytest.mark.slow
def test_the_class_gets_the_same_bytes_under_any_hash_seed():
    """Every process, a Dask worker's too, has its own hash seed: the class's reports do not depend on it (a set's
    order once chose which unknown symbol a message names)."""
    files = [str(path) for path in CLASS if path.parent != HOSTILE]
    outputs = [subprocess.run([sys.executable, "-c", _CHECK_ALL, *files], capture_output=True, cwd=ROOT, timeout=1200,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}).stdout
               for seed in ("4", "5")]  # two seeds that named two different symbols
    assert outputs[0].count(b'"schema"') == len(files)
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_a_class_gets_the_same_bytes_on_a_loaded_machine(tmp_path):
    """The homework and 30 varied submissions: grade json and csv, the summary and check's json are the same bytes
    idle and while two CPU-bound processes load both cores (with a Dask run on a loopback LocalCluster and the
    check beside the local grading run: more load still); the Dask run's are the idle local run's of its files."""
    distributed = pytest.importorskip("distributed")
    folder = _class_folder(tmp_path)
    idle = _outputs(folder, tmp_path / "idle")
    outcomes = {row["outcome"] for row in csv.DictReader(io.StringIO(idle["csv"].decode()))}
    assert outcomes == {"graded", "error"}  # readable and unreadable submissions, none stopped at a limit
    assert b'"refuted"' in idle["json"] and b'"proved"' in idle["json"] and idle["check"].endswith(b"exit 1")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        loaders = _loaders()
        try:
            loaded = _outputs(folder, tmp_path / "loaded", executor=f"dask://{address}")
        finally:
            busy = _stop(loaders)
    assert busy > 1.0  # the loaders did compute during the loaded runs
    ones = sorted(name for name in idle if name.startswith("one "))
    assert len(ones) == 31
    for name in ones:  # the first submission whose result differs, by name
        assert loaded[name] == idle[name], name
        if f"dask {name}" in loaded:
            assert loaded[f"dask {name}"] == idle[name], f"dask {name}"
    for name in ("json", "csv", "summary", "check"):
        assert loaded[name] == idle[name], name
    on_dask = [name for name in ones if "homework" not in name]
    assert len(on_dask) == 29 and all(f"dask {name}" in loaded for name in on_dask)

