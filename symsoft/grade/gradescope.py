r"""A Gradescope autograder that always answers: the bundle (``symsoft gradescope-bundle``) and what it runs.

:func:`build_bundle` writes the zip Gradescope asks for (its files at the root of the archive):

- ``setup.sh``: run once when Gradescope builds the image (Ubuntu, as root): finds or installs a Python of at least
  3.11 and installs symsoft's dependencies, pinned to the versions that built the bundle (``requirements.txt``),
  into ``/autograder/symsoft-venv``; these come from PyPI, which the image build reaches;
- ``vendor/symsoft/``: a copy of the symsoft that built the bundle, so Gradescope grades as the lecturer's own
  ``symsoft grade`` does (no release of symsoft on PyPI is needed);
- ``run_autograder``: run for each submission; it runs :func:`run_autograder` (``python -m
  symsoft.grade.gradescope ROOT``: :func:`symsoft.grade.batch.grade` on ``/autograder/submission``) and, if that
  leaves no valid ``results.json`` (no Python, symsoft broken), writes one itself: score 0 and a message;
- ``symsoft-autograder.json`` (the options), ``rubric.yaml``, and the profile and reference solution when given
  (``--reference``, or the one the rubric names: the bundle's rubric then names the bundle's copy).

The root is ``/autograder`` unless ``AUTOGRADER_ROOT`` says otherwise, and run_autograder's Python is
``$AUTOGRADER_ROOT/symsoft-venv/bin/python`` unless ``SYMSOFT_PYTHON`` names another (the tests use both).

A submission of several files counts its best-graded document (the others are listed in the output); no file,
or none that can be read, scores 0 with the reason, and the rubric's equations are listed as not checked.

>>> failure = autograde_failure("no file was submitted", None)
>>> failure["score"], failure["tests"], failure["stdout_visibility"]
(0, [], 'hidden')
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

from symsoft.errors import SymsoftError, UsageError
from symsoft.grade.batch import (VISIBILITIES, GradeResult, Rubric, _positive, _result, grade, grade_summary,
                                 load_rubric, submission_files)
from symsoft.read.formats import SUFFIXES
from symsoft.read.source import display_name, write_whole

__all__ = ["RUNTIME_REQUIREMENTS", "add_bundle_arguments", "autograde", "autograde_failure", "build_bundle",
           "requirements", "run_autograder", "run_bundle"]

#: The options file in the bundle (and so in ``/autograder/source``).
CONFIG_NAME = "symsoft-autograder.json"
#: symsoft's runtime dependencies (pyproject's ``dependencies``) and whether setup.sh pins the version that built
#: the bundle (pure Python, where the verdicts depend on it) or asks for a floor (compiled, a wheel per Python).
RUNTIME_REQUIREMENTS = (("sympy", "=="), ("mpmath", "=="), ("lark", "=="), ("pypdf", "=="), ("numpy", ">=1.24"),
                        ("PyYAML", ">=6"))
#: Worker processes on Gradescope (its containers have one or two CPUs by default).
AUTOGRADER_JOBS = 2

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu). It finds (or installs with apt)
# a Python of at least 3.11 and installs symsoft's dependencies, pinned in requirements.txt, into a virtual
# environment; symsoft itself is the copy in vendor/ (the one that built this bundle).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$(cd "$(dirname "$0")" && pwd)"
usable() { command -v "$1" >/dev/null 2>&1 && "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
    if usable "$candidate"; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv python3-pip >/dev/null || true
    if usable python3; then
        python=python3
    else  # Ubuntu 22.04: its python3 is 3.10, and 3.11 is a package of its own
        apt-get install -y -qq python3.11 python3.11-venv >/dev/null
        python=python3.11
    fi
fi
"$python" -m venv "$ROOT/symsoft-venv"
"$ROOT/symsoft-venv/bin/python" -m pip install --quiet --no-cache-dir --upgrade pip
"$ROOT/symsoft-venv/bin/python" -m pip install --quiet --no-cache-dir -r "$SOURCE/requirements.txt"
PYTHONPATH="$SOURCE/vendor" "$ROOT/symsoft-venv/bin/python" -c 'import symsoft.grade.gradescope'
echo "symsoft autograder: set up with $("$ROOT/symsoft-venv/bin/python" --version)"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for each submission: symsoft grades $ROOT/submission and writes $ROOT/results/results.json.
# That file is always written: when symsoft cannot run, a score of 0 and a message (never an autograder failure).
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${SYMSOFT_PYTHON:-$ROOT/symsoft-venv/bin/python}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
export PYTHONPATH="$ROOT/source/vendor${PYTHONPATH:+:$PYTHONPATH}"
cd "$ROOT" || exit 0
"$PYTHON" -m symsoft.grade.gradescope "$ROOT"
status=$?
if ! "$PYTHON" -c 'import json, sys; data = json.load(open(sys.argv[1])); sys.exit(not isinstance(data.get("score"), (int, float)))' "$RESULTS" 2>/dev/null; then
    cat > "$RESULTS" <<'JSON'
{"score": 0, "output": "The autograder could not run symsoft on this submission; the teaching staff will grade it by hand.", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
JSON
    echo "symsoft autograder: symsoft did not write results.json (exit status $status); wrote a score of 0"
fi
exit 0
"""


# ---------------------------------------------------------------------------------------------
# The bundle


def requirements() -> str:
    """The ``requirements.txt`` of the bundle: :data:`RUNTIME_REQUIREMENTS`, pure-Python ones pinned to this machine's.

    >>> "sympy==" in requirements() and "numpy>=1.24" in requirements()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    lines = []
    for name, rule in RUNTIME_REQUIREMENTS:
        if rule == "==":
            try:
                rule = f"=={version(name)}"
            except PackageNotFoundError:
                raise UsageError(f"symsoft gradescope-bundle: {name} is not installed here; pip install {name}", name) from None
        lines.append(f"{name}{rule}\n")
    return "".join(lines)


def _entry(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    """One file of the zip, with a fixed date: the same inputs give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    archive.writestr(info, data)


def _package_files() -> list[tuple[str, Path]]:
    """The files of the symsoft package in use (code and data, no caches), by their name in the bundle."""
    import symsoft

    top = Path(symsoft.__file__).resolve().parent
    files = []
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                path = Path(root, name)
                files.append(("vendor/symsoft/" + path.relative_to(top).as_posix(), path))
    return files


def _read_input(path: str | os.PathLike, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"symsoft gradescope-bundle: cannot read the {what} {path}: {(error.strerror or 'error').lower()}",
                         os.fspath(path)) from None


#: the name of the reference solution in the bundle, next to rubric.yaml (which names it)
REFERENCE_NAME = "reference.md"


def _with_reference(rubric: str | os.PathLike, rubric_bytes: bytes, reference: str | os.PathLike | None
                    ) -> tuple[bytes, Path | None]:
    """The rubric as the bundle holds it, and the reference solution to take along: the one given, else the one
    the rubric names (a path from its folder); the bundle's rubric then names the bundle's copy."""
    import yaml

    data = yaml.safe_load(rubric_bytes.decode("utf-8")) or {}
    named = data.get("reference") if isinstance(data, dict) else None
    if reference is None and named is None:
        return rubric_bytes, None
    chosen = Path(reference) if reference is not None else Path(rubric).parent / str(named)
    if not isinstance(data, dict) or (named is None and not data.get("targets")):
        return rubric_bytes, chosen  # stored beside a rubric that scores equations
    data["reference"] = REFERENCE_NAME
    load_rubric({**data, "reference": str(chosen.resolve())})  # the targets must be in this reference
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8"), chosen


def build_bundle(rubric: str | os.PathLike, output: str | os.PathLike, reference: str | os.PathLike | None = None,
                 profile: str = "softmax", timeout: float = 5.0, doc_timeout: float = 60.0,
                 memory_mb: float = 2048) -> list[str]:
    r"""Write the Gradescope autograder zip to ``output``; return the names of its files.

    Parameters
    ----------
    rubric : the YAML rubric (:func:`~symsoft.grade.batch.load_rubric`; its ``visibility`` sets each test's)
    output : the zip to write (whole or not at all)
    reference : a reference solution (default: the one the rubric names), taken into the bundle; a rubric with
        targets is graded against it
    profile : a built-in profile name, or a profile YAML file (copied into the bundle)
    timeout, doc_timeout, memory_mb : the limits of :func:`symsoft.grade.batch.grade`

    A rubric that does not load, a profile that does not exist or a file that cannot be read raises
    :class:`~symsoft.errors.UsageError` before anything is written.

    >>> import tempfile, zipfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "r.yaml").write_text('points: {"3": 2}\nvisibility: {"3": hidden}\n')
    ...     names = build_bundle(pathlib.Path(folder, "r.yaml"), pathlib.Path(folder, "autograder.zip"))
    ...     listed = zipfile.ZipFile(pathlib.Path(folder, "autograder.zip")).namelist()
    >>> names[:5], names == listed, "vendor/symsoft/grade/gradescope.py" in names
    (['setup.sh', 'run_autograder', 'requirements.txt', 'symsoft-autograder.json', 'rubric.yaml'], True, True)
    """
    from symsoft.models.softmax.profile import builtin_profiles, load_profile

    rubric_bytes = _read_input(rubric, "rubric")
    load_rubric(rubric)  # a rubric Gradescope would refuse is refused here
    rubric_bytes, reference = _with_reference(rubric, rubric_bytes, reference)
    config = {"schema": "symsoft.autograder/1", "rubric": "rubric.yaml", "profile": profile, "timeout": timeout,
              "doc_timeout": doc_timeout, "memory_mb": memory_mb, "reference": None}
    extra: list[tuple[str, bytes]] = []
    if profile not in builtin_profiles():
        load_profile(profile)  # a profile that does not load is refused now, not on the first submission
        extra.append(("profile.yaml", _read_input(profile, "profile")))
        config["profile"] = "profile.yaml"
    if reference is not None:
        extra.append((REFERENCE_NAME, _read_input(reference, "reference solution")))
        config["reference"] = REFERENCE_NAME
    files = [("setup.sh", SETUP_SH.encode(), True), ("run_autograder", RUN_AUTOGRADER.encode(), True),
             ("requirements.txt", requirements().encode(), False),
             (CONFIG_NAME, (json.dumps(config, indent=2) + "\n").encode(), False),
             ("rubric.yaml", rubric_bytes, False), *((name, data, False) for name, data in extra)]
    files += [(name, path.read_bytes(), False) for name, path in _package_files()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, executable in files:
            _entry(archive, name, data, executable)
    write_whole(output, buffer.getvalue())
    return [name for name, _, _ in files]


def add_bundle_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``symsoft gradescope-bundle`` to ``parser``.

    >>> args = add_bundle_arguments(argparse.ArgumentParser()).parse_args(["--rubric", "r.yaml", "-o", "a.zip"])
    >>> args.rubric, args.output, args.reference, args.profile
    ('r.yaml', 'a.zip', None, 'softmax')
    """
    parser.add_argument("--rubric", required=True, help="the YAML rubric: points per equation label, and Gradescope's "
                        f"visibility per label ({', '.join(VISIBILITIES)})")
    parser.add_argument("--output", "-o", required=True, help="the autograder zip to write (e.g. autograder.zip)")
    parser.add_argument("--reference", default=None, help="the reference solution whose tagged displays are the rubric's targets (default: the one the rubric names)")
    parser.add_argument("--profile", default="softmax", help="notation profile: a built-in name or a YAML file (default softmax)")
    parser.add_argument("--timeout", type=_positive(float, "timeout", 3600), default=5.0, help="seconds of CPU time for each parse and step (default 5)")
    parser.add_argument("--doc-timeout", type=_positive(float, "doc-timeout", 500), default=60.0,
                        help="seconds of CPU time for one submission (default 60; Gradescope stops a run after 10 minutes)")
    parser.add_argument("--memory", type=_positive(float, "memory", 2**20), default=2048, metavar="MB", help="memory per worker in MB (default 2048)")
    return parser


def run_bundle(args: argparse.Namespace) -> int:
    """Run ``symsoft gradescope-bundle`` with parsed arguments; return the exit code (0, 2 a usage error, 4 unwritable).

    >>> run_bundle(add_bundle_arguments(argparse.ArgumentParser()).parse_args(["--rubric", "no/such.yaml", "-o", "a.zip"]))
    2
    """
    from symsoft.output import refuse_unwritable
    from symsoft.render.text import printable

    try:
        refuse_unwritable(args.output)
        names = build_bundle(args.rubric, args.output, args.reference, args.profile, args.timeout, args.doc_timeout,
                             args.memory)
    except SymsoftError as error:
        message = str(error.args[0] if error.args else error)
        prefix = "" if message.startswith("symsoft gradescope-bundle") else "symsoft gradescope-bundle: error: "
        print(printable(display_name(prefix + message)), file=sys.stderr)
        return 2
    except OSError as error:
        print(f"symsoft gradescope-bundle: error: cannot write the output: {(error.strerror or 'error').lower()}",
              file=sys.stderr)
        return 4
    print(f"symsoft gradescope-bundle: wrote {printable(display_name(str(args.output)))} ({len(names)} files); upload it "
          "as the assignment's autograder (Configure Autograder, Zip file upload)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------
# What run_autograder runs


def autograde_failure(message: str, rubric: Rubric | None) -> dict:
    """Gradescope's results for a submission that was not graded: score 0, the message, and the rubric's
    equations as tests not checked (worth their points, so a student sees what was expected).

    >>> data = autograde_failure("No file was submitted.", Rubric(points=(("3", 2.0),)))
    >>> data["score"], [(t["name"], t["score"], t["max_score"], t["output"]) for t in data["tests"]]
    (0, [('Equation (3)', 0, 2, 'not checked: No file was submitted.')])
    """
    from symsoft.render.grade import gradescope_dict

    scheme = rubric if rubric is not None else Rubric()
    result = _result("the submission", "", "error", (), scheme, None, message)
    data = gradescope_dict(result, scheme)
    data["output"] = message
    return data


def _counted(results: list[GradeResult]) -> GradeResult:
    """The submission's result that counts: the best-scoring graded document (the first of equals), else the first."""
    graded = [r for r in results if r.outcome == "graded"]
    return max(graded, key=lambda r: r.score) if graded else results[0]


def autograde(root: str | os.PathLike) -> dict:
    r"""Grade ``ROOT/submission`` with the bundle's options (``ROOT/source``); Gradescope's results as a mapping.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     autograde(root)["output"]
    'The autograder is not set up (cannot read source/symsoft-autograder.json: no such file or directory); the teaching staff will grade this submission by hand.'
    """
    root = Path(root)
    source = root / "source"
    try:
        config = json.loads((source / CONFIG_NAME).read_text(encoding="utf-8"))
        profile = config.get("profile", "softmax")
        if profile == "profile.yaml":
            profile = str(source / profile)
        scheme = load_rubric(source / config.get("rubric", "rubric.yaml"))
    except OSError as error:
        return autograde_failure(f"The autograder is not set up (cannot read source/{CONFIG_NAME}: "
                                 f"{(error.strerror or 'error').lower()}); the teaching staff will grade this submission "
                                 "by hand.", None)
    except (ValueError, AttributeError, SymsoftError) as error:
        return autograde_failure(f"The autograder is not set up ({display_name(str(error))}); the teaching staff will "
                                 "grade this submission by hand.", None)
    submission = root / "submission"
    files = submission_files([submission]) if submission.is_dir() else []
    kinds = ", ".join(SUFFIXES)
    if not files:
        return autograde_failure(f"No file was submitted: upload your derivation as a {kinds} file.", scheme)
    results = grade([submission], profile=profile, rubric=scheme, jobs=min(AUTOGRADER_JOBS, len(files)),
                    timeout=float(config.get("timeout", 5.0)), doc_timeout=float(config.get("doc_timeout", 60.0)),
                    memory_mb=float(config.get("memory_mb", 2048)))
    results = [replace(r, file=display_name(os.path.relpath(r.file, submission))) for r in results]
    print(f"symsoft autograder: {grade_summary(results)}")
    counted = _counted(results)
    from symsoft.render.grade import gradescope_dict

    data = gradescope_dict(counted, scheme)
    others = [r for r in results if r is not counted]
    if others:
        lines = [f"{len(results)} files were submitted; the best-graded one counts: {counted.file}. The others:"]
        lines += [f"- {r.file}: " + (f"{r.score:g} of {r.max_score:g}" if r.outcome == "graded" else r.message)
                  for r in others]
        data["output"] += "\n" + "\n".join(lines)
    return data


def run_autograder(root: str | os.PathLike) -> int:
    """Write ``ROOT/results/results.json`` (:func:`autograde`), whatever happens; 0, or 4 when it cannot be written.

    An error of symsoft itself gives a score of 0 and a message that says the staff will grade by hand.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as root:
    ...     run_autograder(root), json.loads(pathlib.Path(root, "results", "results.json").read_text())["score"]
    symsoft autograder: score 0
    (0, 0)
    """
    try:
        data = autograde(root)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # whatever it is (SIGTERM's SystemExit too), the student gets a results.json
        detail = " ".join(str(error).split())[:200]
        data = autograde_failure(f"symsoft failed on this submission (internal error {error.__class__.__name__}"
                                 f"{': ' + detail if detail else ''}); the teaching staff will grade it by hand.", None)
    results = Path(root) / "results"
    try:
        results.mkdir(parents=True, exist_ok=True)
        write_whole(results / "results.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        print(f"symsoft autograder: cannot write results.json: {error.strerror}", file=sys.stderr)
        return 4
    print(f"symsoft autograder: score {data['score']}")
    return 0


if __name__ == "__main__":  # pragma: no cover - run_autograder runs this
    sys.exit(run_autograder(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("AUTOGRADER_ROOT", "/autograder")))
