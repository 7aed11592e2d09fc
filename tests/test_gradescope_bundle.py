r"""The Gradescope bundle: built, unzipped into a fake /autograder tree, and its run_autograder run for real.

Gradescope's documented results.json (gradescope-autograders.readthedocs.io, "Autograder Specifications"): a
top-level ``score`` (required unless every test has one), ``output``, ``visibility``, ``stdout_visibility``,
``execution_time``, ``extra_data``, ``tests``; each test ``score``, ``max_score``, ``status`` (passed or failed),
``name``, ``output``, ``visibility`` (hidden, after_due_date, after_published, visible), ``tags``, ``number``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from submissions import pdf_with
from symsoft.cli import main
from symsoft.grade import gradescope

ROOT = Path(__file__).resolve().parents[1]
SIMPLE = "$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (3)$$\n"
WRONG = "$$\\sigma(z_i) > 1 \\quad (4)$$\n"
RUBRIC = 'points: {"3": 2, "4": 3}\nvisibility: {"4": after_due_date}\n'
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
TOP_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
              "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
               "visibility", "extra_data"}


def assert_gradescope_results(data: dict) -> None:
    """``data`` has only Gradescope's documented fields, of the documented types and values."""
    assert set(data) <= TOP_FIELDS and {"score", "output", "tests", "stdout_visibility"} <= set(data)
    assert isinstance(data["score"], (int, float)) and not isinstance(data["score"], bool) and data["score"] >= 0
    assert isinstance(data["output"], str) and data["output"]
    assert data.get("visibility", "visible") in VISIBILITIES and data["stdout_visibility"] in VISIBILITIES
    for test in data["tests"]:
        assert set(test) <= TEST_FIELDS and {"name", "score", "max_score", "output", "visibility"} <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["visibility"] in VISIBILITIES and test.get("status", "passed") in ("passed", "failed")
    if "refuted steps" in data["output"]:  # graded against targets: each refuted step costs points of the total
        assert data["score"] < sum(t["score"] for t in data["tests"]) or data["score"] == 0
    else:
        assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The autograder zip, built by ``symsoft gradescope-bundle`` with a rubric and a reference solution."""
    folder = tmp_path_factory.mktemp("bundle")
    (folder / "rubric.yaml").write_text(RUBRIC)
    (folder / "ref.md").write_text(SIMPLE)
    assert main(["gradescope-bundle", "--rubric", str(folder / "rubric.yaml"), "--reference", str(folder / "ref.md"),
                 "-o", str(folder / "autograder.zip")]) == 0
    return folder / "autograder.zip"


def run_autograder(bundle: Path, root: Path, submission: dict[str, bytes] | None, python: str = sys.executable,
                   ) -> dict:
    """Lay out ``root`` as Gradescope does (the zip in source/, run_autograder beside it, the submission's files),
    run run_autograder with this interpreter, and return the results.json it wrote."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    if submission is not None:
        (root / "submission").mkdir()
        for name, data in submission.items():
            (root / "submission" / name).write_bytes(data)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "SYMSOFT_PYTHON": python}
    done = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300,
                          cwd=root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert_gradescope_results(data)
    return data


def test_bundle_holds_what_gradescope_needs(bundle, tmp_path):
    """setup.sh and run_autograder at the root (executable, valid bash), the options, rubric, reference, the
    pinned requirements (pyproject's dependencies) and the vendored package; the same inputs give the same zip."""
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        config = json.loads(archive.read("symsoft-autograder.json"))
        requirements = archive.read("requirements.txt").decode().split()
        archive.extractall(tmp_path)
    assert {"setup.sh", "run_autograder", "rubric.yaml", "reference.md", "vendor/symsoft/cli.py",
            "vendor/symsoft/parse/latex.lark"} <= set(names)
    assert not any("__pycache__" in name for name in names)
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111 and not modes["rubric.yaml"] & 0o111
    for script in ("setup.sh", "run_autograder"):
        assert subprocess.run(["bash", "-n", str(tmp_path / script)]).returncode == 0
    assert config["reference"] == "reference.md" and config["profile"] == "softmax"
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names_of = lambda specs: {s.split(">")[0].split("=")[0].split(";")[0].strip().lower() for s in specs}  # noqa: E731
    assert names_of(declared) <= names_of(requirements)
    assert any(r.startswith("sympy==") for r in requirements)
    again = tmp_path / "again.zip"
    assert main(["gradescope-bundle", "--rubric", str(tmp_path / "rubric.yaml"), "--reference",
                 str(tmp_path / "reference.md"), "-o", str(again)]) == 0
    assert again.read_bytes() == bundle.read_bytes()


def test_a_markdown_submission_is_graded_with_the_rubrics_visibility(bundle, tmp_path):
    """The rubric's points and visibilities reach Gradescope: (3) proved 2 of 2, (4) refuted 0 of 3 after the due date."""
    data = run_autograder(bundle, tmp_path, {"hw.md": (SIMPLE + WRONG).encode()})
    assert data["score"] == 2
    assert [(t["name"], t["score"], t["max_score"], t["visibility"]) for t in data["tests"]] == [
        ("Equation (3)", 2, 2, "visible"), ("Equation (4)", 0, 3, "after_due_date")]
    assert "hw.md" in data["output"] and data["stdout_visibility"] == "hidden"


def test_a_pdf_only_submission_gets_results(bundle, tmp_path):
    """A submission of one PDF is graded from its text, and the output says that reading is best-effort."""
    data = run_autograder(bundle, tmp_path, {"scan.pdf": pdf_with(["Softmax sums to one:", SIMPLE.strip()])})
    assert data["score"] == 2 and "best-effort" in data["output"]
    assert [t["output"] for t in data["tests"]] == ["proved", "equation (4) is not in the submission"]


@pytest.mark.parametrize("submission", [{}, None], ids=["empty folder", "no folder"])
def test_no_submitted_file_scores_0_with_a_message(bundle, tmp_path, submission):
    """An empty (or absent) submission folder gets score 0, a message, and the rubric's equations not checked."""
    data = run_autograder(bundle, tmp_path, submission)
    assert data["score"] == 0 and data["output"].startswith("No file was submitted")
    assert [(t["name"], t["max_score"]) for t in data["tests"]] == [("Equation (3)", 2), ("Equation (4)", 3)]
    assert all(t["output"].startswith("not checked: No file was submitted") for t in data["tests"])


def test_an_unreadable_submission_scores_0_with_the_reason(bundle, tmp_path):
    """A damaged PDF is not an autograder failure: score 0 and the reason the student can act on."""
    data = run_autograder(bundle, tmp_path, {"hw.pdf": b"%PDF-1.4 torn"})
    assert data["score"] == 0 and "the PDF cannot be read" in data["output"]


def test_the_best_of_several_files_counts(bundle, tmp_path):
    """Of several documents the best-graded counts; the output lists the others with their grade or reason."""
    data = run_autograder(bundle, tmp_path, {"a.md": WRONG.encode(), "b.md": (SIMPLE + WRONG).encode(),
                                             "photo.jpg": b"\xff\xd8\xff"})
    assert data["score"] == 2 and "the best-graded one counts: b.md" in data["output"]
    assert "- a.md: 0 of 5" in data["output"] and "- photo.jpg: symsoft reads" in data["output"]


def test_results_are_written_when_python_cannot_run(bundle, tmp_path):
    """With no Python where setup.sh put it, run_autograder still writes a valid results.json: score 0."""
    data = run_autograder(bundle, tmp_path, {"hw.md": SIMPLE.encode()}, python=str(tmp_path / "no" / "python"))
    assert data["score"] == 0 and "could not run symsoft" in data["output"] and data["tests"] == []


def test_results_are_written_when_the_bundle_is_broken(bundle, tmp_path):
    """A bundle without its options file still answers: score 0 and a message for the staff."""
    with zipfile.ZipFile(bundle) as archive, zipfile.ZipFile(tmp_path / "broken.zip", "w") as broken:
        for info in archive.infolist():
            if info.filename != gradescope.CONFIG_NAME:
                broken.writestr(info, archive.read(info))
    root = tmp_path / "root"
    data = run_autograder(tmp_path / "broken.zip", root, {"hw.md": SIMPLE.encode()})
    assert data["score"] == 0 and "not set up" in data["output"]


def test_results_are_written_when_symsoft_fails(tmp_path, monkeypatch, capsys):
    """An internal error of symsoft gives a results.json with score 0 and the error named, never a traceback."""
    def fail(root):
        raise KeyError("a checker bug")

    monkeypatch.setattr(gradescope, "autograde", fail)
    assert gradescope.run_autograder(tmp_path) == 0
    data = json.loads((tmp_path / "results" / "results.json").read_text())
    assert_gradescope_results(data)
    assert data["score"] == 0 and "internal error KeyError" in data["output"]


@pytest.mark.parametrize("argv, message", [
    (["--rubric", "{missing}", "-o", "{out}"], "cannot read the rubric"),
    (["--rubric", "{bad}", "-o", "{out}"], "unknown key"),
    (["--rubric", "{good}", "-o", "{out}", "--profile", "no_such_profile"], "profile"),
    (["--rubric", "{good}", "-o", "{out}", "--reference", "{missing}"], "cannot read the reference"),
    (["--rubric", "{good}", "-o", "{nowhere}"], "does not exist"),
])
def test_bundle_usage_errors_exit_2_and_write_nothing(tmp_path, capsys, argv, message):
    """A bad rubric, profile, reference or output is one line and exit 2, and no zip is written."""
    (tmp_path / "good.yaml").write_text(RUBRIC)
    (tmp_path / "bad.yaml").write_text("weights: {}\n")
    paths = {"missing": tmp_path / "missing.yaml", "bad": tmp_path / "bad.yaml", "good": tmp_path / "good.yaml",
             "out": tmp_path / "autograder.zip", "nowhere": tmp_path / "no" / "folder" / "a.zip"}
    assert main(["gradescope-bundle", *(a.format(**paths) for a in argv)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "autograder.zip").exists()
