r"""The command line follows the conventions (issue 15): python -m, colour, one error prefix, -o FILE.pdf, counts
in grammar, a LICENSE and py.typed in the wheel."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from symsoft.cli import main, use_colour
from symsoft.decide.verdicts import EquationVerdict, Finding, Report
from symsoft.grade.batch import GradeResult, grade_summary
from symsoft.render.text import render_text

checker = importlib.import_module("symsoft.check")
ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
PROVED = "$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (1)$$\n"
ANSI = "\x1b["


def _symsoft(*argv: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m symsoft ARGV`` in a fresh interpreter (this checkout's code), its output a pipe."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run([sys.executable, "-m", "symsoft", *argv], capture_output=True, text=True, encoding="utf-8",
                          env=environment, cwd=cwd, timeout=600)


@pytest.fixture
def proved(tmp_path) -> Path:
    path = tmp_path / "proved.md"
    path.write_text(PROVED)
    return path


def _no_work(*args, **kwargs):
    raise AssertionError("the check ran although the command was refused")


# ---------------------------------------------------------------------------------------------
# python -m symsoft


def test_python_m_symsoft_runs_the_command_line():
    """``python -m symsoft`` is the command line: its version, and the homework's exit code 1 (something refuted)."""
    version = _symsoft("--version")
    assert version.returncode == 0 and version.stdout.startswith("symsoft ")
    homework = _symsoft("check", str(HOMEWORK))
    assert homework.returncode == 1 and "(7)  line 40  REFUTED" in homework.stdout


# ---------------------------------------------------------------------------------------------
# Colour


class _Terminal:
    def isatty(self) -> bool:
        return True


class _Pipe:
    def isatty(self) -> bool:
        return False


COLOUR_CASES = [  # (--color, environment, a terminal?, coloured?)
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # set but empty: no effect
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"FORCE_COLOR": ""}, False, False),  # set but empty: no effect
    ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),
]


@pytest.mark.parametrize("choice, environ, terminal, coloured", COLOUR_CASES)
def test_colour_follows_no_color_force_color_and_the_option(choice, environ, terminal, coloured):
    """NO_COLOR and FORCE_COLOR count only when not empty; --color always or never wins over both."""
    assert use_colour(choice, _Terminal() if terminal else _Pipe(), environ) is coloured


@pytest.mark.parametrize("argv, env, coloured", [
    (["--color", "always", "check", "{doc}"], {}, True),
    (["check", "{doc}", "--color", "always"], {}, True),
    (["check", "{doc}"], {"FORCE_COLOR": "1"}, True),
    (["check", "{doc}"], {"FORCE_COLOR": ""}, False),
    (["check", "{doc}", "--color", "never"], {"FORCE_COLOR": "1"}, False),
    (["--color", "always", "check", "{doc}", "--color", "never"], {}, False),  # the command's own option wins
])
def test_colour_on_the_command_line(proved, argv, env, coloured):
    """The report is coloured as --color (global or the command's) and the environment say, even into a pipe."""
    done = _symsoft(*[a.format(doc=proved) for a in argv], env=env)
    assert done.returncode == 0 and (ANSI in done.stdout) is coloured


@pytest.mark.parametrize("command", [["derive", "softmax", "--classes", "2"], ["models"], ["prove", "--help"]])
def test_every_command_that_prints_takes_color(command, capsys):
    """--color is accepted by every command, not only check."""
    assert main([*command, "--color", "never"]) == 0


# ---------------------------------------------------------------------------------------------
# One error prefix


@pytest.mark.parametrize("argv, command", [
    (["check", "--format", "nope", str(HOMEWORK)], "check"),
    (["check"], "check"),
    (["check", "{missing}"], "check"),
    (["check", str(HOMEWORK), "--format", "json", "--pdf"], "check"),
    (["derive", "softmax", "--classes", "0"], "derive"),
    (["derive", "softmax"], "derive"),
    (["prove", "--classes", "2", "--all-c"], "prove"),
    (["prove", "softmax", "--model", "logistic", "--classes", "2"], "prove"),
    (["grade", str(HOMEWORK), "-o", "{missing_folder}/grades.csv"], "grade"),
    (["grade", "--jobs", "0", str(HOMEWORK)], "grade"),
    (["models", "--unknown"], "models"),
    ([], None),
])
def test_usage_errors_share_one_prefix(tmp_path, capsys, argv, command):
    """Every usage error is one line ``symsoft COMMAND: error: message`` (``symsoft: error:`` without a command),
    never a prefix twice, and exit code 2."""
    args = [a.format(missing=tmp_path / "missing.md", missing_folder=tmp_path / "no") for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    prefix = f"symsoft {command}: error: " if command else "symsoft: error: "
    assert err.startswith(prefix) and len(err.strip().splitlines()) == 1
    assert not re.search(r"error: symsoft|: error: .*: error:", err)


# ---------------------------------------------------------------------------------------------
# -o FILE.pdf compiles a PDF, or is refused


def _has_tex() -> bool:
    return shutil.which("latexmk") is not None or shutil.which("pdflatex") is not None


@pytest.mark.skipif(not _has_tex(), reason="no TeX engine (CI installs one)")
@pytest.mark.parametrize("argv", [
    ["check", "{doc}", "-o", "{out}"],
    ["prove", "softmax", "--classes", "2", "-o", "{out}"],
])
def test_output_pdf_compiles_a_pdf(proved, tmp_path, argv):
    """-o FILE.pdf writes a PDF (not text under a .pdf name) for check and prove."""
    out = tmp_path / "out.pdf"
    code = main([a.format(doc=proved, out=out) for a in argv])
    assert code == 0 and out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("argv, message", [
    (["grade", str(HOMEWORK), "-o", "{out}"], "grade writes csv, not a PDF"),
    (["check", str(HOMEWORK), "--format", "sarif", "-o", "{out}"], "is a PDF"),
    (["check", str(HOMEWORK), str(HOMEWORK.parent), "-o", "{out}"], "hold one document"),
])
def test_output_pdf_is_refused_where_no_pdf_is_made(tmp_path, capsys, monkeypatch, argv, message):
    """A .pdf output a command cannot compile: one line, exit 2, before any work, and no file written."""
    monkeypatch.setattr(checker, "check", _no_work)
    out = tmp_path / "out.pdf"
    assert main([a.format(out=out) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and not out.exists()


# ---------------------------------------------------------------------------------------------
# Counts in grammar


def test_counts_are_singular_for_one():
    """"1 equation", "1 definition", "1 finding" and "1 submission"; the plural for other counts."""
    one = Report("hw.md", "softmax", (EquationVerdict("1", 3, "a = a", (), "definition"),), (Finding(3, "typo", "x"),))
    assert render_text(one).splitlines()[-1] == "Summary: 1 equation: 0 proved, 0 refuted, 0 unverified, 1 definition; 1 finding"
    two = Report("hw.md", "softmax", one.equations * 2)
    assert render_text(two).splitlines()[-1] == \
        "Summary: 2 equations: 0 proved, 0 refuted, 0 unverified, 2 definitions; 0 findings"
    assert grade_summary([GradeResult("a.md", "", "error", 0, 0)]).startswith("1 submission: ")


def test_no_plural_after_one_in_the_sources():
    """No f-string in the package writes "{n} equations" (or findings, definitions, ...) without choosing the
    number: every count goes through render.text.counted."""
    pattern = re.compile(r"\{[^{}]*\} (?:equations|findings|definitions|submissions|documents|entries)\b")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "symsoft").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line) and "counted(" not in line]
    assert offenders == []


# ---------------------------------------------------------------------------------------------
# LICENSE and py.typed


def test_license_is_mit_and_referenced_from_pyproject():
    """LICENSE holds the MIT licence of the symsoft contributors, and pyproject.toml names that file."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "symsoft contributors" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"file": "LICENSE"}


def test_wheel_holds_py_typed_and_the_license(tmp_path):
    """A wheel built from this checkout holds symsoft/py.typed (typed package), the LICENSE and serve's page."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "symsoft", source / "symsoft", ignore=shutil.ignore_patterns("__pycache__"))
    try:  # the build tools at hand; else pip fetches them from the package index
        import setuptools  # noqa: F401
        import wheel  # noqa: F401
        isolation = ["--no-build-isolation"]
    except ImportError:
        isolation = []
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "--quiet",
                            "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("symsoft-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "symsoft/py.typed" in names
    assert {"symsoft/serve/static/index.html", "symsoft/serve/static/katex/katex.min.js",
            "symsoft/serve/static/katex/fonts/KaTeX_Main-Regular.woff2"} <= set(names)  # serve's page works offline
    assert any(re.fullmatch(r"symsoft-[^/]+\.dist-info/(licenses/)?LICENSE", name) for name in names)
