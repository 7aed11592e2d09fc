r"""Grade a class: check many submissions in isolated workers and score them with a rubric.

:func:`grade` gives every input file exactly one :class:`GradeResult`, whatever the file holds.
The files are hashed first and identical files are checked once. Each distinct document is sent
to a worker process that checks it with :func:`symsoft.check.check` under two limits:

1. a limit of CPU time per document (``doc_timeout``, the CPU seconds of the worker and of the time-limit
   helpers it forked, read from /proc): a worker past it is killed, together with its helper (each worker leads
   its own process group). CPU time, not wall-clock time, so that a loaded machine gives the same results as an
   idle one; a wall-clock safety net (:func:`~symsoft.timelimit.safety_net`: 8 times as long, plus 10 s) stops
   a worker that hangs without computing. Where there is no /proc the limit is wall-clock time;
2. a memory limit (``RLIMIT_AS``, ``memory_mb`` on top of what the worker starts with).

A worker that dies, runs out of memory or time gives that document a "limit" result (not graded,
its equations unverified with the reason ``budget``); a new worker takes its place and the batch carries on. Workers are long-lived and share
the verdicts of equations they have already decided (submissions of one class repeat most of
their equations), so a batch is much faster than checking the files one by one, with the same
verdicts. The profile is the one the grader names: a profile in a submission's front matter is
ignored (a student must not choose the notation, nor make the checker read a file).

Scoring (:func:`score_equations`): an equation earns its points when it is proved; refuted and
unverified equations earn 0 and carry the reason as feedback. Points come from the rubric's
``points`` for that label, else its ``default`` (1 without a rubric). Definitions only restate the
profile, so they are left out of the maximum, unless the rubric lists their label: then they earn
its points in full. A label the rubric lists but the submission lacks counts in the maximum and
scores 0.

>>> from symsoft.grade.batch import Rubric, score_equations
>>> from symsoft.decide.verdicts import EquationVerdict
>>> eqs = [EquationVerdict("1", 3, "a", (), "definition"), EquationVerdict("2", 5, "b", (), "proved")]
>>> [(s.name, s.score, s.max_score) for s in score_equations(eqs, Rubric())]
[('1', 0.0, 0.0), ('2', 1.0, 1.0)]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import os
import signal
import stat
import sys
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from symsoft.errors import ComputationError, InputError, SymsoftError, UsageError
from symsoft.read.formats import PDF_NOTE, SUFFIXES, kind_of, unsupported
from symsoft.read.source import display_name, read_submission, write_whole
from symsoft.decide.verdicts import EXIT_UNVERIFIED, EquationVerdict, Report, exit_code_of, ran_out
from symsoft.timelimit import safety_net, tree_cpu_seconds

__all__ = [
    "EquationScore",
    "FAIL_ON",
    "FORMATS",
    "GradeResult",
    "Rubric",
    "add_grade_arguments",
    "class_statuses",
    "grade",
    "grade_summary",
    "load_rubric",
    "run_grade",
    "score_equations",
    "submission_files",
]

#: The file name endings symsoft reads (:mod:`symsoft.read.formats`); a folder's other files get a row saying so.
SUBMISSION_SUFFIXES = SUFFIXES
#: The output formats of ``symsoft grade``.
FORMATS = ("csv", "json", "gradescope", "junit", "github", "html")
#: Outcomes of one submission: checked, could not be checked, or stopped at a limit.
OUTCOMES = ("graded", "error", "limit")
#: What makes ``symsoft grade`` exit non-zero (``--fail-on``): anything not proved, or only a refuted step.
FAIL_ON = ("unverified", "refuted")


# ---------------------------------------------------------------------------------------------
# Results and scoring


@dataclass(frozen=True)
class EquationScore:
    """The score of one equation: its name (label, or ``#n`` for the n-th unlabelled display)."""

    name: str
    line: int | None
    status: str
    score: float
    max_score: float
    feedback: str = ""
    #: ``equation`` (a display of the submission, scored when proved) or ``target`` (a result of the reference
    #: solution: met, error, unverified, not_reached)
    kind: str = "equation"
    #: who sees it on Gradescope (the rubric's visibility of a target)
    visibility: str = "visible"
    #: for a target: the label of the submission's equation that meets it or errs, and the refuted step
    equation: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class GradeResult:
    """The grade of one submission file.

    ``outcome`` is ``graded``, ``error`` (the file could not be checked: ``message`` says why in
    words a student understands) or ``limit`` (stopped at the time or memory limit; its
    equations, when they could be read, are unverified). A graded PDF's ``message`` says its
    text was extracted best-effort (:data:`~symsoft.read.formats.PDF_NOTE`). ``report`` is the check report in the
    ``symsoft.check/1`` schema (:func:`symsoft.render.json.report_dict`), or None on an error.
    """

    file: str
    sha256: str
    outcome: str
    score: float
    max_score: float
    equations: tuple[EquationScore, ...] = ()
    report: dict | None = field(default=None, hash=False)
    message: str = ""
    seconds: float = field(default=0.0, compare=False)

    @property
    def statuses(self) -> dict[str, str]:
        """The status of each scored equation by name (``missing`` for a rubric label not found).

        >>> GradeResult("a.md", "0", "graded", 1, 1, (EquationScore("3", 7, "proved", 1, 1),)).statuses
        {'3': 'proved'}
        """
        return {e.name: e.status for e in self.equations}


#: Gradescope's visibilities of a test (and of the results as a whole).
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


@dataclass(frozen=True)
class Rubric:
    """Points per equation label; every other equation is worth ``default``.

    ``visibility`` gives a label's Gradescope visibility (one of :data:`VISIBILITIES`); every other
    test, and the results as a whole, have ``default_visibility``.

    >>> Rubric(points=(("7", 2.0),)).points_for("7"), Rubric().points_for("7")
    (2.0, None)
    >>> Rubric(visibility=(("9", "hidden"),)).visibility_of("9"), Rubric().visibility_of("9")
    ('hidden', 'visible')
    """

    points: tuple[tuple[str, float], ...] = ()
    default: float = 1.0
    visibility: tuple[tuple[str, str], ...] = ()
    default_visibility: str = "visible"
    #: the results a submission must reach (:mod:`symsoft.grade.reference`); when given, they are what is scored
    targets: tuple = ()
    #: points each refuted step costs when grading against targets (the score is floored at 0)
    refuted_penalty: float = 0.0

    def points_for(self, name: str) -> float | None:
        """The points the rubric lists for ``name``, or None when it does not list it."""
        return dict(self.points).get(name)

    def visibility_of(self, name: str) -> str:
        """The Gradescope visibility of the test of equation ``name``."""
        return dict(self.visibility).get(name, self.default_visibility)


def _label_key(label: object) -> str:
    return str(label).strip().strip("()").strip()


def _points(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e6:
        raise UsageError(f"rubric: {where} must be a number of points from 0, got {value!r}", where, value)
    return float(value)


def load_rubric(source: str | os.PathLike | dict | Rubric | None) -> Rubric:
    """Read a rubric from a YAML file (or a mapping): ``{points: {"7": 2, "9": 3}, default: 1}``.

    Labels may be written ``7`` or ``"(7)"``. For Gradescope, ``visibility: {"9": hidden}`` and
    ``default_visibility: after_published`` set the visibility of each equation's test (one of
    :data:`VISIBILITIES`; default ``visible``). Raises :class:`~symsoft.errors.UsageError` on a
    missing or malformed rubric.

    >>> load_rubric({"points": {7: 2, "(9)": 3}, "default": 0})
    Rubric(points=(('7', 2.0), ('9', 3.0)), default=0.0, visibility=(), default_visibility='visible', targets=(), refuted_penalty=0.0)
    >>> load_rubric({"visibility": {9: "after_due_date"}}).visibility
    (('9', 'after_due_date'),)
    >>> load_rubric({"point": {}})
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: rubric: unknown key 'point' (expected points, default, visibility, default_visibility, reference, targets, refuted_penalty)

    A rubric that grades against a reference solution names its targets (see :mod:`symsoft.grade.reference`):
    ``{reference: ref.md, targets: {jacobian: 3}, refuted_penalty: 1}`` (the tagged displays of ref.md, a path
    from the rubric's folder), or gives their claims itself: ``{targets: {sum: {claim: "...", points: 2}}}``.

    >>> r = load_rubric({"targets": {"sum": {"claim": "p_1 + p_2 = 1", "points": 2}}})
    >>> [(t.name, t.relation, t.points) for t in r.targets], r.refuted_penalty
    ([('sum', '=', 2.0)], 0.0)
    """
    if source is None:
        return Rubric()
    if isinstance(source, Rubric):
        return source
    data: object = source
    if not isinstance(source, dict):
        import yaml

        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"rubric: cannot read {source}: {error.strerror}", str(source)) from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise UsageError(f"rubric: {source} is not valid YAML ({error.__class__.__name__})", str(source)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError("rubric: expected a mapping with points and default", data)
    keys = ("points", "default", "visibility", "default_visibility", "reference", "targets", "refuted_penalty")
    unknown = sorted(str(k) for k in data if k not in keys)
    if unknown:
        raise UsageError(f"rubric: unknown key {unknown[0]!r} (expected {', '.join(keys)})", unknown[0])
    points = data.get("points") or {}
    if not isinstance(points, dict):
        raise UsageError("rubric: points must map equation labels to points", points)
    listed = tuple((_label_key(label), _points(value, f"points of ({_label_key(label)})")) for label, value in points.items())
    default = _points(data.get("default", 1), "default")
    visibility = data.get("visibility") or {}
    if not isinstance(visibility, dict):
        raise UsageError("rubric: visibility must map equation labels to a Gradescope visibility", visibility)
    shown = tuple((_label_key(label), _visibility(value, f"visibility of ({_label_key(label)})"))
                  for label, value in visibility.items())
    default_visibility = _visibility(data.get("default_visibility", "visible"), "default_visibility")
    folder = Path(source).parent if isinstance(source, (str, os.PathLike)) else Path(".")
    targets = _targets(data.get("targets"), data.get("reference"), folder, default_visibility)
    return Rubric(listed, default, shown, default_visibility, targets,
                  _points(data.get("refuted_penalty", 0), "refuted_penalty"))


def _targets(listed: object, reference: object, folder: Path, default_visibility: str) -> tuple:
    """The rubric's targets: the named displays of its reference solution, or the claims it lists."""
    from symsoft.grade.reference import load_reference, parse_target

    if listed is None and reference is None:
        return ()
    if listed is not None and not isinstance(listed, dict):
        raise UsageError("rubric: targets must map target names to points (or to {claim, points, visibility})")
    worth, claims, shown = {}, {}, {}
    for name, entry in (listed or {}).items():
        entry = entry if isinstance(entry, dict) else {"points": entry}
        unknown = sorted(str(k) for k in entry if k not in ("claim", "points", "visibility"))
        if unknown:
            raise UsageError(f"rubric: target {name}: unknown key {unknown[0]!r} (expected claim, points, visibility)")
        worth[str(name)] = _points(entry.get("points", 1), f"points of target {name}")
        shown[str(name)] = _visibility(entry.get("visibility", default_visibility), f"the visibility of target {name}")
        if "claim" in entry:
            if not isinstance(entry["claim"], str):
                raise UsageError(f"rubric: the claim of target {name} must be LaTeX text")
            claims[str(name)] = entry["claim"]
    if reference is not None:
        found = load_reference(folder / str(reference), worth)
    else:
        found = tuple(parse_target(name, claim) for name, claim in claims.items())
    missing = sorted(set(worth) - {t.name for t in found})
    if missing:
        raise UsageError(f"rubric: target {missing[0]} is not in the reference solution (nor given a claim)")
    return tuple(replace(t, points=worth.get(t.name, t.points), visibility=shown.get(t.name, default_visibility))
                 for t in found)


def _visibility(value: object, where: str) -> str:
    if value not in VISIBILITIES:
        raise UsageError(f"rubric: {where} must be one of {', '.join(VISIBILITIES)}, got {value!r}", where, value)
    return str(value)


def _names(equations: Sequence[EquationVerdict]) -> list[str]:
    names, seen, unlabelled = [], set(), 0
    for eq in equations:
        if eq.label is None:
            unlabelled += 1
            name = f"#{unlabelled}"
        else:
            name = eq.label if eq.label not in seen else f"{eq.label} (line {eq.line})"
        seen.add(name)
        names.append(name)
    return names


def _feedback(eq: EquationVerdict) -> str:
    if eq.status == "proved":
        return "proved"
    if eq.status == "definition":
        return "definition"
    failing = next((s for s in eq.steps if s.status == eq.status), None)
    if eq.status == "refuted" and failing is not None:
        text = f"step {failing.number} is false" if len(eq.steps) > 1 else "the equation is false"
        message = failing.message
        text += message.removeprefix("false") if message.startswith("false") else (f": {message}" if message else "")
        if failing.holds_when:
            text += f"; it holds only when {failing.holds_when}"
        c = failing.counterexample
        if c is not None:
            values = ", ".join(f"{k} = {v}" for k, v in (*c.indices, *c.values))
            text += f"; counterexample: C = {c.classes}" + (f", {values}" if values else "")
            text += f" gives {c.lhs} on the left and {c.rhs} on the right"
        if failing.repairs:
            text += f"; suggested repair: {failing.repairs[0].edit}"
        return text
    reason = eq.message or (failing.message if failing is not None else "")
    return f"unverified: {reason}" if reason else "unverified"


def _round(value: float) -> float:
    return round(value + 0.0, 6)


def score_equations(equations: Sequence[EquationVerdict], rubric: Rubric) -> tuple[EquationScore, ...]:
    """Score each equation under the rubric, then add the rubric's labels that are missing.

    >>> eqs = [EquationVerdict("7", 9, "a", (), "refuted"), EquationVerdict(None, 12, "b", (), "proved")]
    >>> [(s.name, s.status, s.score, s.max_score) for s in score_equations(eqs, Rubric((("7", 2.0), ("9", 3.0))))]
    [('7', 'refuted', 0.0, 2.0), ('#1', 'proved', 1.0, 1.0), ('9', 'missing', 0.0, 3.0)]
    """
    scores = []
    for name, eq in zip(_names(equations), equations):
        listed = rubric.points_for(name)
        worth = listed if listed is not None else (0.0 if eq.status == "definition" else rubric.default)
        earned = worth if eq.status in ("proved", "definition") else 0.0
        scores.append(EquationScore(name, eq.line, eq.status, earned, worth, _feedback(eq)))
    present = {s.name for s in scores}
    for name, worth in rubric.points:
        if name not in present:
            scores.append(EquationScore(name, None, "missing", 0.0, worth, f"equation ({name}) is not in the submission"))
    return tuple(scores)


def score_targets(equations: Sequence[EquationVerdict], claims: Sequence[EquationVerdict], rubric: Rubric,
                  why_not: str = "") -> tuple[tuple[EquationScore, ...], float]:
    r"""Score a submission against the rubric's targets: one row per target, and the score (the points of the
    targets met, less ``refuted_penalty`` for each refuted step, at least 0). ``why_not`` says why a submission
    that could not be checked reaches none.

    >>> from symsoft.grade.reference import parse_target
    >>> rubric = Rubric(targets=(parse_target("sum", r"\sum_{k=1}^C \sigma(z_k) = 1", 2.0),), refuted_penalty=1)
    >>> eq = EquationVerdict("3", 4, r"\sum_{j=1}^C p_j = 1", (), "proved")
    >>> claims = [EquationVerdict("c", -1, r"\sum_{j=1}^C p_j = \sum_{p=1}^C \sigma(z_p)", (), "proved"),
    ...           EquationVerdict("c", -2, "1 = 1", (), "proved")]
    >>> rows, score = score_targets([eq], claims, rubric)
    >>> [(r.name, r.status, r.score, r.max_score, r.feedback) for r in rows], score
    ([('sum', 'met', 2.0, 2.0, 'met in equation (3)')], 2.0)
    """
    from symsoft.grade.reference import refuted_steps, target_results

    shown = {t.name: t.visibility for t in rubric.targets}
    if why_not:
        rows = tuple(EquationScore(t.name, None, "not_reached", 0.0, t.points, f"not checked: {why_not}", "target",
                                   t.visibility) for t in rubric.targets)
        return rows, 0.0
    results = target_results(equations, claims, rubric.targets, _feedback)
    rows = tuple(EquationScore(r.target, r.line, r.status, r.points, r.max_points, r.feedback, "target",
                               shown[r.target], r.label, r.step) for r in results)
    wrong = refuted_steps(equations)
    if wrong and rubric.refuted_penalty:
        rows += (EquationScore("refuted steps", None, "penalty", -rubric.refuted_penalty * wrong, 0.0,
                               f"{wrong} refuted step{'s' if wrong != 1 else ''}, {_round(rubric.refuted_penalty):g}"
                               f" point{'s' if rubric.refuted_penalty != 1 else ''} each", "penalty"),)
    return rows, max(0.0, sum(r.score for r in rows))


def _result(file: str, sha: str, outcome: str, equations: Sequence[EquationVerdict], rubric: Rubric,
            report: dict | None, message: str = "", seconds: float = 0.0,
            claims: Sequence[EquationVerdict] = ()) -> GradeResult:
    if rubric.targets:
        scores, total = score_targets(equations, claims, rubric, "" if outcome == "graded" else message)
    else:
        scores = score_equations(equations, rubric)
        total = sum(s.score for s in scores)
    if outcome != "graded":  # the rubric's labels were not looked for: say why
        scores = tuple(replace(s, feedback=f"not checked: {message}") if s.status == "missing" else s for s in scores)
    return GradeResult(
        file=file,
        sha256=sha,
        outcome=outcome,
        score=_round(total),
        max_score=_round(sum(s.max_score for s in scores)),
        equations=scores,
        report=report,
        message=message,
        seconds=seconds,
    )


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class _Input:
    """One input file: its bytes (read once), their hash and its kind (:func:`~symsoft.read.formats.kind_of`), or
    the reason it cannot be sent to a worker."""

    file: str
    sha256: str = ""
    problem: str = ""
    data: bytes = field(default=b"", repr=False, compare=False)
    kind: str = "text"


def submission_files(paths: Iterable[str | os.PathLike]) -> list[str]:
    r"""The input files: each path itself, or the files of a folder.

    Folders are walked in sorted order without following symbolic links; a path given twice
    counts once. Every file of a folder is an input, whatever its ending (one symsoft does not
    read gets a row saying so), except hidden ones (a name, or a folder's below the one given,
    that starts with ``.``: ``.DS_Store``, ``.git/``) that do not end in a
    :data:`SUBMISSION_SUFFIXES` ending.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.md", "a.tex", "notes.pdf", "sub/c.txt", "hw.docx", ".DS_Store", ".git/HEAD"):
    ...         _ = pathlib.Path(folder, name).parent.mkdir(exist_ok=True)
    ...         _ = pathlib.Path(folder, name).write_text("$$a = a$$")
    ...     [pathlib.Path(f).relative_to(folder).as_posix() for f in submission_files([folder])]
    ['a.tex', 'b.md', 'hw.docx', 'notes.pdf', 'sub/c.txt']
    """
    return list(_found_in(paths))


def _found_in(paths: Iterable[str | os.PathLike]) -> dict[str, str | None]:
    """Each input file (as :func:`submission_files` lists them) and the folder given that it was found in (None
    for a file given itself: the grader named it, a link there is followed)."""
    files: dict[str, str | None] = {}
    for path in map(os.fspath, paths):
        if os.path.isdir(path) and not os.path.islink(path):
            found: list[str] = []

            def unlisted(error: OSError, top: str = path) -> None:  # a subfolder it cannot list: a row says so
                if error.filename not in (None, top):
                    found.append(error.filename)

            for root, dirs, names in os.walk(path, onerror=unlisted):
                dirs.sort()
                links = [d for d in dirs if os.path.islink(os.path.join(root, d))]  # a link to a folder: refused too
                hidden = any(part.startswith(".") for part in os.path.relpath(root, path).split(os.sep) if part != ".")
                found.extend(os.path.join(root, n) for n in names + links
                             if n.lower().endswith(SUBMISSION_SUFFIXES) or not (hidden or n.startswith(".")))
            for file in sorted(found, key=lambda f: os.path.relpath(f, path).split(os.sep)):
                files.setdefault(os.path.normpath(file), path)
        else:
            files[os.path.normpath(path)] = None  # named on purpose, even when a folder also holds it
    return files


def _examine(file: str, folder: str | None) -> _Input:
    """Read a file's bytes once and hash them, or say why it cannot be checked (never blocks on a pipe or a device).

    The bytes read here are the ones checked: a file swapped for a link later in the batch changes nothing. A
    file found in ``folder`` is opened one part of its path at a time, following no link below the folder. A file
    of a folder that symsoft does not read (:func:`~symsoft.read.formats.kind_of`) is not opened when it is a
    regular file (a link, a folder or a pipe gets the reason read_submission gives); a file the grader named is read
    as text whatever its name.
    """
    kind = kind_of(file)
    if kind is None and folder is not None and _is_regular(file):
        return _Input(file, problem=unsupported(file))
    try:
        data = read_submission(file, follow_links=folder is None, below=folder)
    except InputError as error:
        return _Input(file, problem=str(error))
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        return _Input(file, digest, problem="the file is empty")
    return _Input(file, digest, data=data, kind=kind or "text")


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# Workers


@dataclass(frozen=True)
class _Job:
    """One distinct document to check: its bytes, its display name and the check options."""

    sha256: str
    name: str
    data: bytes
    profile: str
    classes: int | None
    timeout: float
    kind: str = "text"
    #: the rubric's targets: the claims that match them are checked with the document
    targets: tuple = ()


def _student_message(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, InputError) and "UTF-8" in text and "; " not in text:
        return f"{text}; save the file as UTF-8 text and submit it again"
    return text


class _SharedMemo(dict):
    """The batch's verdict memo (see ``check(memo=...)``): new entries are noted to share with other workers."""

    def __init__(self, known: dict, fresh: list) -> None:
        super().__init__(known)
        self.fresh = fresh

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.fresh.append((key, value))


def _without_front_matter(text: str) -> str:
    r"""Blank a leading ``---`` YAML block, keeping line numbers.

    In a grade the teaching staff's profile applies: a submission must not pick its own (nor
    make the checker read a profile file named in it).

    >>> _without_front_matter("---\nprofile: /etc/passwd\n---\n$$a = a$$")
    '\n\n\n$$a = a$$'
    """
    from symsoft.models.softmax.profile import split_front_matter

    return split_front_matter(text)[1]


def _check_job(job: _Job, memo: dict) -> Iterator[tuple]:
    """The messages a worker sends for one job: the outline of the document, then the outcome."""
    from symsoft.check import check
    from symsoft.read.document import read_document
    from symsoft.read.formats import document_text

    try:
        text = _without_front_matter(document_text(job.data, job.kind))
        document = read_document(text)
        yield ("outline", document.equations)
        fresh: list = []
        shared = _SharedMemo(memo, fresh)
        claims = ()
        if job.targets:
            from symsoft.grade.reference import candidates, claims_of
            from symsoft.parse.latex import continued_displays

            claims = tuple(dict.fromkeys(claims_of(candidates(continued_displays(document.equations), job.targets))))
        report = check(text, profile=job.profile, classes=job.classes, timeout=job.timeout, path_hint=job.name,
                       memo=shared, front_matter="ignore", is_text=True, claims=claims)
        memo.update(shared)
        yield ("report", report, fresh)
    except ComputationError as error:  # the time-limit helper died, mostly out of memory
        yield ("limit", "memory") if "died" in str(error) else ("failed", _describe(error))
    except SymsoftError as error:
        yield ("error", _student_message(error))
    except MemoryError:
        yield ("limit", "memory")
    except RecursionError:
        yield ("limit", "recursion")
    except RuntimeError as error:
        # symsoft.timelimit raises this when its helper process dies, mostly out of memory
        yield ("limit", "memory") if "died" in str(error) else ("failed", _describe(error))
    except Exception as error:  # a checker bug must not stop the batch; it is reported per file
        yield ("failed", _describe(error))


def _describe(error: BaseException) -> str:
    """An unexpected error in one line, for the teaching staff (no traceback)."""
    text = " ".join(str(error).split())[:200]
    return f"{error.__class__.__name__}: {text}" if text else error.__class__.__name__


def _limit_memory(memory_mb: float) -> None:
    import resource

    try:
        with open("/proc/self/statm") as handle:
            start = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        start = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = start + int(memory_mb * 2**20)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _plain_exception_pickling() -> None:
    """Undo tblib's exception pickling (Dask installs it) in this process.

    tblib pickles an exception with its traceback and its context; the checker's time-limit
    helper sends exceptions raised deep inside the LaTeX parser, whose tracebacks are too deep
    to pickle, and a parse error would turn into an internal error.
    """
    import copyreg

    for cls, reducer in list(copyreg.dispatch_table.items()):
        if getattr(reducer, "__module__", "").startswith("tblib"):
            del copyreg.dispatch_table[cls]


def _serve(connection, memory_mb: float, parent: int) -> None:
    """The worker's loop: receive a job and shared verdicts, send back its messages.

    Whatever goes wrong here ends the process quietly (no traceback on the grader's terminal);
    the parent sees it die and gives the document a limit result.
    """
    try:
        os.setpgid(0, 0)  # its own process group: killing it also kills the time-limit helper it forks
        _die_with(parent)
        _plain_exception_pickling()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the grader's handler: a worker just stops
        warnings.simplefilter("ignore")  # a warning would garble the progress bar
        _quiet_stderr()
        _limit_memory(memory_mb)
    except BaseException:
        os._exit(70)
    try:
        ready = _can_check()
    except BaseException:
        ready = False
    if not ready:
        os._exit(CANNOT_START)
    try:
        _serve_jobs(connection, parent)
        _stop_helper()
    except BaseException:
        os._exit(70)


#: The exit status of a worker that cannot check within its memory limit (``--memory`` too small).
CANNOT_START = 75
#: A claim every worker checks under its limits before it takes a job (it must be proved).
PROBE_CLAIM = r"\sum_{k=1}^C \sigma(z_k) = 1"
#: Memory (MB) a worker must be able to map on top of what it starts with before it takes a job.
WORKING_MARGIN_MB = 8


def _quiet_stderr() -> None:
    """Send the worker's standard error (and its helper's) to /dev/null: what a worker has to say comes back as a
    result; a "Fatal Python error" of a process out of memory must not reach the grader's terminal."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _can_check() -> bool:
    """True when this worker, under its limits, can map :data:`WORKING_MARGIN_MB` of fresh memory and proves
    :data:`PROBE_CLAIM` through the whole pipeline (a parse and a decision in the time-limit helper); False when it
    cannot, mostly because ``--memory`` leaves too little."""
    import mmap

    try:  # a fresh mapping, never memory the allocator already holds: the same answer on every run
        mmap.mmap(-1, WORKING_MARGIN_MB * 2**20).close()
    except (OSError, MemoryError):
        return False
    from symsoft.check import check_equation
    from symsoft.models.softmax.claims import DEFAULT_CLASSES
    from symsoft.models.softmax.profile import load_profile
    from symsoft.read.document import DisplayEquation

    try:
        verdict, _ = check_equation(DisplayEquation(None, 1, PROBE_CLAIM), load_profile("softmax"), DEFAULT_CLASSES, 60.0)
    except (MemoryError, ComputationError):
        return False
    return verdict.status == "proved"


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the grader dies, however it dies (Linux; elsewhere the idle loop notices)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the grader died before the request was made
        os._exit(0)


def _serve_jobs(connection, parent: int) -> None:
    memo: dict = {}
    while True:
        if not connection.poll(1.0):
            if os.getppid() != parent:
                return  # the parent is gone
            continue
        message = connection.recv()
        if message is None:
            return
        job, shared = message
        memo.update(shared)
        for reply in _check_job(job, memo):
            connection.send(reply)
        connection.send(("done",))


def _stop_helper() -> None:
    from symsoft import timelimit

    helper = getattr(timelimit, "_worker", None)
    if helper is not None and helper.alive():
        helper.stop()


class _Worker:
    """A worker process (not daemonic, so it can fork the checker's time-limit helper)."""

    def __init__(self, memory_mb: float) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, memory_mb, os.getpid()), daemon=False)
        self.process.start()
        child.close()
        self.job: _Job | None = None
        self.started = 0.0
        self.cpu_start: float | None = None
        self.outline: tuple = ()
        self.result: _Outcome | None = None
        self.shared = 0  # how many of the batch's shared verdicts this worker has been sent

    def submit(self, job: _Job, shared: list) -> None:
        self.job, self.started, self.outline = job, time.monotonic(), ()
        self.cpu_start = tree_cpu_seconds(self.process.pid)
        self.connection.send((job, shared[self.shared:]))
        self.shared = len(shared)

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.join()
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(5)
        self.kill()


def _limit_message(reason: str, doc_timeout: float, memory_mb: float) -> str:
    """Why a submission was stopped at a limit, in words that blame the checker, never the student.

    >>> _limit_message("memory", 60, 300)
    'checking this document ran out of its budget (300 MB of memory) before a decision; this is a limit of the checker, not a sign that the derivation is wrong'
    """
    if reason == "died":
        return ("the checker stopped unexpectedly on this document (it may have run out of memory); this is a fault"
                " of the checker, not a sign that the derivation is wrong")
    if reason == "startup":
        return (f"the checker cannot start within the memory limit of {memory_mb:g} MB (--memory; a worker needs more than"
                f" {WORKING_MARGIN_MB} MB), so no document was checked; raise --memory (this says nothing about the"
                " derivation)")
    budget = {"time": f"{doc_timeout:g} s of CPU time", "memory": f"{memory_mb:g} MB of memory",
              "recursion": "the depth of recursion Python allows"}[reason]
    return ran_out("checking this document", budget, "the derivation")


@dataclass(frozen=True)
class _Outcome:
    """What came back for one job, before scoring: a report, an error message or a limit."""

    kind: str  # report | error | limit | failed
    report: Report | None = None
    outline: tuple = ()
    detail: str = ""
    seconds: float = 0.0


def _run_pool(jobs: Iterable[_Job], workers: int, doc_timeout: float, memory_mb: float,
              done: Callable[[_Job, _Outcome], None]) -> None:
    """Check ``jobs`` on ``workers`` processes, calling ``done`` for each as it finishes."""
    from multiprocessing.connection import wait

    pending = iter(jobs)
    idle: list[_Worker] = []
    busy: list[_Worker] = []
    shared: list = []
    exhausted = cannot_start = False
    try:
        while True:
            while not exhausted and len(busy) < workers:
                job = next(pending, None)
                if job is None:
                    exhausted = True
                    break
                if cannot_start:  # no worker can check within the memory limit: none is started again
                    done(job, _Outcome("limit", None, (), "startup"))
                    continue
                worker = _handed(job, idle.pop() if idle else None, shared, memory_mb)
                if worker is None:
                    done(job, _Outcome("limit", None, (), "died"))
                    continue
                busy.append(worker)
            if not busy:
                return
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy], _next_look(busy, doc_timeout))
            for worker in list(busy):
                outcome = _collect(worker, shared, doc_timeout)
                if outcome is None:
                    continue
                busy.remove(worker)
                cannot_start = cannot_start or outcome.detail == "startup"
                if outcome.kind == "limit":  # a fresh worker for the next document
                    worker.kill()
                else:
                    idle.append(worker)
                done(worker.job, outcome)
    finally:
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()


def _handed(job: _Job, worker: _Worker | None, shared: list, memory_mb: float) -> _Worker | None:
    """The worker that received ``job``: ``worker`` (an idle one) if it is alive, else a fresh one; two tries, then
    None (each worker died as it received the job, or no process could be started: ``fork`` failed)."""
    for _ in (1, 2):
        try:
            if worker is None or not worker.process.is_alive():
                if worker is not None:
                    worker.kill()
                worker = _Worker(memory_mb)
            worker.submit(job, shared)
            return worker
        except OSError:  # a fresh worker takes the job
            if worker is not None:
                worker.kill()
            worker = None
    return None


def _why_dead(worker: _Worker) -> str:
    """``startup`` when the worker could not check within its memory limit, else ``died``."""
    worker.process.join(5)
    return "startup" if worker.process.exitcode == CANNOT_START else "died"


#: Seconds between two looks at the CPU time of the busy workers.
CPU_POLL = 0.1


def _next_look(busy: list[_Worker], doc_timeout: float) -> float:
    """Seconds to wait for a message before the busy workers' time is looked at again."""
    if all(worker.cpu_start is not None for worker in busy):
        return CPU_POLL
    deadline = min(w.started for w in busy) + doc_timeout  # no /proc: the limit is wall-clock time
    return max(0.0, deadline - time.monotonic())


def _over_time(worker: _Worker, seconds: float, doc_timeout: float) -> bool:
    """True when the worker's document has used its ``doc_timeout`` seconds of CPU time (or the wall-clock
    safety net has passed; wall-clock time alone where there is no /proc)."""
    if worker.cpu_start is None:
        return seconds >= doc_timeout
    used = tree_cpu_seconds(worker.process.pid)
    return seconds >= safety_net(doc_timeout) or (used is not None and used - worker.cpu_start >= doc_timeout)


def _collect(worker: _Worker, shared: list, doc_timeout: float) -> _Outcome | None:
    """The outcome of the worker's job once it is known (finished, died or late), else None."""
    seconds = time.monotonic() - worker.started
    try:
        while worker.connection.poll():
            message = worker.connection.recv()
            if message[0] == "outline":
                worker.outline = message[1]
            elif message[0] == "report":
                shared.extend(message[2])
                worker.result = _Outcome("report", message[1], worker.outline, seconds=seconds)
            elif message[0] == "done":
                result, worker.result = worker.result, None
                return result
            else:
                worker.result = _Outcome(message[0], None, worker.outline, message[1], seconds)
    except (EOFError, OSError):
        return _Outcome("limit", None, worker.outline, _why_dead(worker), seconds)
    if not worker.process.is_alive():
        return _Outcome("limit", None, worker.outline, _why_dead(worker), seconds)
    if _over_time(worker, seconds, doc_timeout):
        return _Outcome("limit", None, worker.outline, "time", seconds)
    return None


def _run_isolated(job: _Job, doc_timeout: float, memory_mb: float) -> _Outcome:
    """Check one job in a fresh worker under the limits (what a Dask task runs).

    >>> _run_isolated(_Job("0", "x.md", b"$$a = a$$", "softmax", None, 5.0), 60, 2048).kind
    'report'
    """
    current = multiprocessing.current_process()
    if current.daemon:
        # Dask runs tasks in daemonic processes, which multiprocessing forbids to have
        # children; the worker started here is killed below whatever happens.
        current.daemon = False
    from symsoft.check import warm_up

    warm_up()  # in this Dask worker, once: the checking worker forked below starts warm
    outcomes: list[_Outcome] = []
    _run_pool([job], 1, doc_timeout, memory_mb, lambda _job, outcome: outcomes.append(outcome))
    return outcomes[0]


def _run_dask(address: str, jobs: list[_Job], doc_timeout: float, memory_mb: float,
              done: Callable[[_Job, _Outcome], None]) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("the Dask executor needs the optional extra: pip install 'symsoft[dask]'") from None
    target = "tcp://" + address.removeprefix("dask://")
    try:
        client = Client(target, timeout=10, set_as_default=False)
    except OSError as error:
        raise UsageError(f"cannot reach the Dask scheduler at {target}: {error}", address) from None
    try:
        futures = {client.submit(_run_isolated, job, doc_timeout, memory_mb, pure=False): job for job in jobs}
        for future in as_completed(futures, loop=client.loop):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception:  # the Dask worker itself died (KilledWorker) or lost the task
                outcome = _Outcome("limit", None, (), "died", doc_timeout)
            done(job, outcome)
    finally:
        client.close()


# ---------------------------------------------------------------------------------------------
# The public entry points


def _graded(file: str, sha: str, outcome: _Outcome, rubric: Rubric, profile: str, doc_timeout: float,
            memory_mb: float, kind: str = "text") -> GradeResult:
    """The result of one outcome; scoring a report that fails (a checker bug) costs that document only."""
    try:
        return _scored(file, sha, outcome, rubric, profile, doc_timeout, memory_mb, kind)
    except Exception as error:
        failed = _Outcome("failed", None, (), _describe(error), outcome.seconds)
        return _scored(file, sha, failed, rubric, profile, doc_timeout, memory_mb, kind)


def _scored(file: str, sha: str, outcome: _Outcome, rubric: Rubric, profile: str, doc_timeout: float,
            memory_mb: float, kind: str = "text") -> GradeResult:
    from symsoft.render.json import report_dict

    if outcome.kind == "report":
        report = outcome.report
        note = PDF_NOTE if kind == "pdf" else ""  # a graded PDF says how its text was found
        return _result(file, sha, "graded", report.equations, rubric, report_dict(replace(report, source=file)),
                       note, seconds=outcome.seconds, claims=report.claims)
    if outcome.kind == "error":
        return _result(file, sha, "error", (), rubric, None, outcome.detail, outcome.seconds)
    if outcome.kind == "failed":
        message = f"the checker failed on this document (internal error {outcome.detail}); ask the teaching staff to check it by hand"
        return _result(file, sha, "error", (), rubric, None, message, outcome.seconds)
    why = _limit_message(outcome.detail, doc_timeout, memory_mb)
    equations = tuple(EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", message=why, limited=True)
                      for eq in outcome.outline)
    report = report_dict(Report(file, profile, equations, error=why))
    return _result(file, sha, "limit", equations, rubric, report, why, outcome.seconds)


def grade(paths: Sequence[str | os.PathLike] | str | os.PathLike, profile: str = "softmax",
          rubric: str | os.PathLike | dict | Rubric | None = None, jobs: int | None = None,
          timeout: float = 5.0, doc_timeout: float = 60.0, memory_mb: float = 2048,
          executor: str | None = None, progress: Callable[[int, int], None] | None = None,
          classes: int | None = None) -> list[GradeResult]:
    r"""Check and score every submission in ``paths`` (files, or folders of .md/.tex/.txt/.ipynb/.pdf files).

    Parameters
    ----------
    paths : files or folders; a folder is walked in sorted order
    profile : the notation profile (a built-in name or a YAML file)
    rubric : a YAML file or mapping ``{points: {label: points}, default: points}``; by default
        every equation is worth 1 point and definitions are not scored
    jobs : worker processes (default: the number of CPUs)
    timeout : seconds for each parse and step inside a document
    doc_timeout : seconds of CPU time for a whole document (a wall-clock safety net of 8 times that plus 10 s stops a
        hang); past it the document is not graded (outcome ``limit``)
    memory_mb : memory a worker may use on top of what it starts with
    executor : None for local processes, or ``dask://HOST:PORT`` for a Dask cluster
    progress : called as ``progress(done, total)`` after each file

    Returns one :class:`GradeResult` per input file, in input order. Raises
    :class:`~symsoft.errors.UsageError` on bad options and
    :class:`~symsoft.errors.ProfileError` on an unknown profile.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "alice.md").write_text("$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (3)$$")
    ...     _ = pathlib.Path(folder, "bob.md").write_bytes(b"\xff\xfe binary")
    ...     results = grade([folder], jobs=1)
    >>> [(pathlib.Path(r.file).name, r.outcome, r.score, r.max_score, r.statuses) for r in results]
    [('alice.md', 'graded', 1.0, 1.0, {'3': 'proved'}), ('bob.md', 'error', 0.0, 0.0, {})]
    >>> results[1].message
    'the file is not UTF-8 text (byte 0 cannot be decoded); save the file as UTF-8 text and submit it again'
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs must be a whole number from 1, got {jobs!r}", jobs)
    for name, value in (("timeout", timeout), ("doc_timeout", doc_timeout), ("memory_mb", memory_mb)):
        if not value > 0:
            raise UsageError(f"{name} must be positive, got {value!r}", name, value)
    if executor is not None and not str(executor).startswith("dask://"):
        raise UsageError(f"unknown executor {executor!r}: use dask://HOST:PORT", executor)
    scheme = load_rubric(rubric)
    from symsoft.models.softmax.profile import load_profile
    from symsoft.check import warm_up

    warm_up()  # once, before any worker is forked: every worker, and each replacement, starts as warm as the first

    profile_name = load_profile(profile).name
    found = _found_in(paths)
    files = list(found)
    inputs = [_examine(f, found[f]) for f in files]
    results: dict[str, GradeResult] = {}
    for item in inputs:
        if item.problem:
            results[item.file] = _result(display_name(item.file), item.sha256, "error", (), scheme, None, item.problem)
    by_hash: dict[tuple[str, str], list[str]] = {}  # by hash and kind: the same bytes as .md and .pdf read apart
    contents: dict[tuple[str, str], bytes] = {}  # the bytes of each distinct document, read once by _examine
    for item in inputs:
        if not item.problem:
            by_hash.setdefault((item.sha256, item.kind), []).append(item.file)
            contents.setdefault((item.sha256, item.kind), item.data)
    del inputs  # the copies of identical files go now
    finished = [len(results)]
    if progress is not None and results:
        progress(finished[0], len(files))

    def record(key: tuple[str, str], build: Callable[[str], GradeResult]) -> None:
        for file in by_hash[key]:
            results[file] = build(display_name(file))  # a name that is not UTF-8 still fits every output
        finished[0] += len(by_hash[key])
        if progress is not None:
            progress(finished[0], len(files))

    def done(job: _Job, outcome: _Outcome) -> None:
        record((job.sha256, job.kind), lambda file: _graded(file, job.sha256, outcome, scheme, profile_name, doc_timeout,
                                                            memory_mb, job.kind))

    def job_list() -> Iterator[_Job]:
        """The jobs: the bytes read when the batch started, never the path again."""
        for (sha, kind), names in by_hash.items():
            yield _Job(sha, names[0], contents.pop((sha, kind)), profile, classes, timeout, kind, scheme.targets)

    if executor is not None:
        _run_dask(str(executor), list(job_list()), doc_timeout, memory_mb, done)
    elif by_hash:
        _run_pool(job_list(), min(jobs, len(by_hash)), doc_timeout, memory_mb, done)
    return [results[f] for f in files]


# ---------------------------------------------------------------------------------------------
# Command line


def _positive(kind: type, name: str, upper: float):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {text!r}") from None
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"{name} must be above 0 and at most {upper:g}, got {text}")
        return value

    parse.__name__ = name
    return parse


def add_grade_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``symsoft grade`` to ``parser`` (the ``grade`` sub-command's parser).

    >>> args = add_grade_arguments(argparse.ArgumentParser()).parse_args(["subs/", "--format", "junit", "--jobs", "4"])
    >>> args.paths, args.format, args.jobs, args.profile, args.fail_on
    (['subs/'], 'junit', 4, 'softmax', 'unverified')
    """
    parser.add_argument("paths", nargs="+", metavar="PATH", help="submission files or folders of .md/.tex/.txt/.ipynb/.pdf files")
    parser.add_argument("--profile", default="softmax", help="notation profile: a built-in name or a YAML file (default softmax)")
    parser.add_argument("--rubric", default=None, help="YAML rubric {points: {label: points}, default: points} (default: 1 point per equation)")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="output format (default csv)")
    parser.add_argument("--jobs", "-j", type=_positive(int, "jobs", 1024), default=None, help="worker processes (default: the number of CPUs)")
    parser.add_argument("--output", "-o", default=None, help="write to this file (gradescope with several submissions: a folder; html: the page, and its reports in <stem>-reports/ beside it)")
    parser.add_argument("--timeout", type=_positive(float, "timeout", 3600), default=5.0, help="seconds of CPU time for each parse and step (default 5)")
    parser.add_argument("--doc-timeout", type=_positive(float, "doc-timeout", 86400), default=60.0, help="seconds of CPU time for one whole document (the worker's and its helpers'; default 60); a wall-clock"
                             " safety net of 8 times that plus 10 s stops a document that hangs")
    parser.add_argument("--memory", type=_positive(float, "memory", 2**20), default=2048, metavar="MB", help="memory per worker in MB (default 2048)")
    parser.add_argument("--classes", "-C", type=_positive(int, "classes", 100), default=None, help="check for this C only (default C = 2, 3, 4)")
    parser.add_argument("--executor", default=None, metavar="dask://HOST:PORT", help="run the checks on a Dask cluster")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="unverified",
                        help="the exit code on the class: 'unverified' (default, as check: 1 something refuted, 3 "
                             "something unverified, over a limit or unreadable, else 0) or 'refuted' (1 something "
                             "refuted, else 0)")
    return parser


class _ProgressBar:
    """A one-line progress bar, redrawn in place (only used on a terminal)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """Within the block SIGTERM raises ``SystemExit(143)``, so that the batch's clean-up (killing its workers) runs;
    a second SIGTERM is ignored, so that it cannot cut that clean-up short."""
    def terminate(signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("symsoft grade: terminated", file=sys.stderr)
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Within the block SIGTERM and SIGINT wait, and act as the block ends: an output (a Gradescope folder too) is
    written whole or not at all.

    >>> with _signals_held():
    ...     signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    True
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on Windows
        yield
        return
    pending: list[int] = []
    handlers = {}
    try:  # a signal sent to the process may reach another thread, which does not block it: record it instead
        for signum in (signal.SIGTERM, signal.SIGINT):
            handlers[signum] = signal.signal(signum, lambda number, _frame: pending.append(number))
    except ValueError:  # not the main thread: the mask alone holds them
        pass
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # what the mask held acts now, under the old handlers
        if pending:
            signal.raise_signal(pending[0])


def class_statuses(results: Sequence[GradeResult]) -> list[str]:
    """The statuses the class's exit code is taken from: every scored equation's, and ``unverified`` for a
    submission that was not graded (unreadable, or stopped at a limit).

    >>> class_statuses([GradeResult("a.md", "", "error", 0, 0), GradeResult("b.md", "", "graded", 1, 1,
    ...                 (EquationScore("1", 1, "proved", 1, 1),))])
    ['unverified', 'proved']
    """
    statuses = []
    for result in results:
        if result.outcome == "graded":
            statuses.extend(_as_checked(score.status) for score in result.equations)
        else:
            statuses.append("unverified")
    return statuses


def _as_checked(status: str) -> str:
    """A score's status as a check's: a target met is proved, reached with an error refuted, not reached no
    failure of the checker (the score says it); the row of refuted steps is refuted."""
    return {"met": "proved", "error": "refuted", "not_reached": "proved", "penalty": "refuted"}.get(status, status)


def grade_summary(results: Sequence[GradeResult]) -> str:
    """The line ``symsoft grade`` ends with: how many submissions were graded, had a refuted equation, had an
    unverified one (and none refuted), were stopped at a limit, or could not be read.

    >>> print(grade_summary([GradeResult("a.md", "", "error", 0, 0), GradeResult("b.md", "", "graded", 0, 1,
    ...                      (EquationScore("1", 1, "refuted", 0, 1),))]))
    2 submissions: 1 graded (1 with something refuted, 0 with something unverified), 0 over a limit, 1 unreadable
    """
    graded = [r for r in results if r.outcome == "graded"]
    refuted = sum(any(_as_checked(e.status) == "refuted" for e in r.equations) for r in graded)
    unverified = sum(exit_code_of(_as_checked(e.status) for e in r.equations) == EXIT_UNVERIFIED for r in graded)
    limit = sum(r.outcome == "limit" for r in results)
    unreadable = sum(r.outcome == "error" for r in results)
    return (f"{len(results)} submission{'s' if len(results) != 1 else ''}: {len(graded)} graded ({refuted} with "
            f"something refuted, {unverified} with something unverified), {limit} over a limit, {unreadable} unreadable")


def run_grade(args: argparse.Namespace) -> int:
    """Run ``symsoft grade`` with parsed arguments; return the exit code (see ``--fail-on``; 2 a usage error).

    The exit code is the class's, by check's convention: 1 when an equation of some submission is refuted, 3
    when one is unverified (or a submission was not graded) and none is refuted, 0 when every equation is proved
    or a definition; with ``--fail-on refuted`` only 1 or 0. A summary line (:func:`grade_summary`) ends on
    standard error.

    >>> parser = add_grade_arguments(argparse.ArgumentParser())
    >>> run_grade(parser.parse_args(["no/such/folder"]))
    2
    """
    from symsoft.output import fit_to_stream, refuse_unwritable
    from symsoft.render.grade import render_gradescope, render_grade
    from symsoft.render.text import printable

    try:
        missing = [p for p in args.paths if not os.path.lexists(p)]
        if missing:
            raise UsageError(f"no such file or folder: {missing[0]}", missing[0])
        files = submission_files(args.paths)
        if not files:
            raise UsageError(f"no files to grade in {', '.join(args.paths)}", args.paths)
        several = len(files) > 1
        if args.format == "gradescope" and several and (args.output is None or os.path.isfile(args.output)):
            raise UsageError("gradescope's results.json is for one submission: give --output FOLDER to write "
                             "one results file per submission", args.output)
        if args.output:  # before any work: an output that cannot be written is a usage error
            refuse_unwritable(args.output, folder=args.format == "gradescope" and several)
        stream = sys.stderr
        progress = _ProgressBar(stream) if stream.isatty() else None
        scheme = load_rubric(args.rubric)
        with _stopped_by_sigterm():  # SIGTERM stops the batch as Ctrl-C does: no worker is left running
            results = grade(args.paths, profile=args.profile, rubric=scheme, jobs=args.jobs, timeout=args.timeout,
                            doc_timeout=args.doc_timeout, memory_mb=args.memory, executor=args.executor,
                            progress=progress, classes=args.classes)
            if args.format == "gradescope" and several:
                _write_gradescope_folder(results, Path(args.output), lambda result: render_gradescope(result, scheme))
            elif args.format == "html" and args.output:  # the page and, beside it, a report per submission
                from symsoft.render.class_report import write_class_report

                write_class_report(results, args.output, scheme)
            else:
                text = render_grade(results, args.format, scheme)
                if args.output:
                    with _signals_held():
                        write_whole(args.output, text)
                else:  # a file name or a label could hold escape sequences: none reaches a terminal
                    fit_to_stream(printable(text, keep_newlines=True) if sys.stdout.isatty() else text, sys.stdout,
                                  json=args.format in ("json", "gradescope"), end="")
        print(f"symsoft grade: {grade_summary(results)}", file=sys.stderr)
        return exit_code_of(class_statuses(results), getattr(args, "fail_on", "unverified"))
    except SymsoftError as error:
        # a path in the message whose name is not UTF-8 shows its bytes as \xNN
        print(f"symsoft grade: error: {printable(display_name(str(error)))}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"symsoft grade: error: cannot write the output: {error.strerror}", file=sys.stderr)
        return 4


def _write_gradescope_folder(results: list[GradeResult], folder: Path, render: Callable[[GradeResult], str]) -> None:
    """One ``<submission>.json`` per submission (:func:`_results_name`), every file rendered before any is written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [(folder / f"{name}.json", render(result)) for name, result in zip(_unique_names(results), results)]
    with _signals_held():
        for path, text in written:
            write_whole(path, text)


def _unique_names(results: Sequence[GradeResult]) -> list[str]:
    """Each submission's :func:`_results_name`, numbered where two would share a file.

    >>> _unique_names([GradeResult("A.md", "", "error", 0, 0), GradeResult("a.md", "", "error", 0, 0)])
    ['A.md', 'a.md-2']
    """
    used: set[str] = set()
    names = []
    for result in results:
        name = _results_name(result.file)
        # two names alike but for case share a file on a case-insensitive file system (and two display names can
        # be equal, a backslash in one, a byte that is not UTF-8 in the other): a number, in input order
        unique, number = name, 1
        while unique.casefold() in used:
            number += 1
            unique = f"{name}-{number}"
        used.add(unique.casefold())
        names.append(unique)
    return names


#: The longest results file name (before ``.json``); a longer one keeps its end after a hash of the whole.
RESULTS_NAME_LIMIT = 200


def _results_name(file: str) -> str:
    r"""The name of a submission's Gradescope results file: its path percent-encoded, so that no two paths share one.

    Letters, digits, ``.``, ``_``, ``-`` and ``~`` stay; every other character (``/``, a space, ``%``) is
    written ``%XX``, as is a leading ``.`` or ``-`` (no hidden file, nothing read as an option). The name
    depends on the path only, never on the other submissions; ``urllib.parse.unquote`` gives the path back.
    A name past :data:`RESULTS_NAME_LIMIT` characters keeps its end, after 8 hex digits of its hash.

    >>> [_results_name(n) for n in ("a b.md", "a_b.md", "a+b.md", "a&b.md", "hw/.x.md", "-f.md")]
    ['a%20b.md', 'a_b.md', 'a%2Bb.md', 'a%26b.md', 'hw%2F.x.md', '%2Df.md']
    >>> len(_results_name("x" * 300 + ".md"))
    200
    """
    from urllib.parse import quote

    name = quote(os.path.normpath(file).encode("utf-8", "surrogatepass"), safe="")
    if name.startswith((".", "-")):
        name = f"%{ord(name[0]):02X}{name[1:]}"
    if len(name) > RESULTS_NAME_LIMIT:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{digest}-{name[len(name) - RESULTS_NAME_LIMIT + 9:]}"
    return name
