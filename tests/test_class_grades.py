"""A class of 36 submissions of the homework graded against its reference solution, as a human grader would.

tests/fixtures/class/ holds the submissions (other notations, each of the homework's errors, incomplete ones,
fillers, an empty file, garbage, .tex, .txt, notebooks and PDFs), what a careful human grader gives each target and
each score (expected.yaml, written before the checker was run on them; verify_class.py checks every intended true
and false step with SymPy), and the submissions where the checker does not agree with the human, each with why
(``checker_disagrees``). This test asserts the human's grade for every other submission, and for those the
checker's current grade, so that a change either way shows: a disagreement that closes must leave the list.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from symsoft.grade.batch import grade

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "tests" / "fixtures" / "class"
EXPECTED = yaml.safe_load((CLASS / "expected.yaml").read_text(encoding="utf-8"))
RUBRIC = ROOT / "derivations" / "softmax_rubric.yaml"


def _human(entry: dict) -> dict:
    return {name: status if isinstance(status, str) else (status["status"], str(status["equation"]), status["step"])
            for name, status in entry["targets"].items()}


def _ours(result) -> dict:
    return {row.name: row.status if row.status != "error" else ("error", row.equation, row.step)
            for row in result.equations if row.kind == "target"}


@pytest.fixture(scope="module")
def graded():
    files = sorted((CLASS / "submissions").iterdir())
    return {Path(r.file).name: r for r in grade(files, rubric=RUBRIC, jobs=2)}


def test_the_fixtures_are_what_they_say():
    done = subprocess.run([sys.executable, str(CLASS / "verify_class.py")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.slow
def test_every_file_is_listed_and_gets_one_row(graded):
    assert sorted(graded) == sorted(EXPECTED["submissions"]) == sorted(p.name for p in (CLASS / "submissions").iterdir())
    assert len(graded) >= 30


@pytest.mark.slow
def test_the_class_is_graded_as_a_human_grader_would(graded):
    disagreements = EXPECTED.get("checker_disagrees") or {}
    wrong = []
    for name, entry in EXPECTED["submissions"].items():
        result = graded[name]
        human = (_human(entry), float(entry["score"]))
        ours = (_ours(result), result.score)
        if name in disagreements:
            if ours == human:
                wrong.append(f"{name}: now graded as the human does; take it off checker_disagrees")
            continue
        if ours != human:
            wrong.append(f"{name}: {ours} != {human}")
    assert not wrong, "\n".join(wrong)
    assert len(disagreements) <= 2  # the class is graded as a human grader would, but for what cannot be read


@pytest.mark.slow
def test_no_refuted_target_in_a_correct_submission(graded):
    """A correct submission is never graded with an error: that would be a false alarm in front of a student."""
    for name, entry in EXPECTED["submissions"].items():
        if entry["wrong_steps"] == 0:
            assert "error" not in {s if isinstance(s, str) else s[0] for s in _ours(graded[name]).values()}, name
            assert all(row.kind != "penalty" for row in graded[name].equations), name
