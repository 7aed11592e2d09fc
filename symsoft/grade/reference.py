r"""Grading against a reference solution: the results a submission must reach, met by content, not by text.

The lecturer writes the reference once, as a Markdown document whose target displays carry a name
(``\tag{jacobian}``), or as a list of claims in the rubric. A target is a quantity, a relation and a value:
``\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(\delta_{ij} - \sigma(z_j))``.

A submission's display equation is *about* a target when its first side means the target's quantity, and it
*meets* the target when, besides, its last side is proved equal to the target's value, no derivative is left in
it, and every step of the equation is proved. "Means" and "equal" are decided by the checker itself: the
comparisons are checked as claims under the submission's own reading (:func:`symsoft.check.check` with
``claims``), so ``\frac{\partial p_k}{\partial z_l} = p_k(\delta_{kl} - p_l)`` with the student's
``p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}`` meets the target above, and ``\sigma(z_i)(\delta_{ij} - \sigma(z_i))``
does not. The target's index letters are renamed to the submission's (every way round, the target's summed
letters first moved out of the way).

Each target ends in one status: ``met`` (its points), ``error`` (an equation about it has a refuted step: the step
and the checker's counterexample and repair are the feedback), ``unverified`` (an equation may be about it but the
checker could not decide: for a human, never silently zero or full), ``not_reached``.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from symsoft.errors import InputError, LatexParseError, UsageError
from symsoft.parse.latex import with_indices_renamed as renamed

#: the statuses of a target in a submission
TARGET_STATUSES = ("met", "error", "unverified", "not_reached")
#: relations a target may state, as :func:`symsoft.parse.latex.split_chain` writes them
_ORDER = {"=": 0, "<=": 1, "<": 1, ">=": 2, ">": 2}
_DERIVATIVE = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*(?:\\mathrm\s*\{\s*)?d(?![a-zA-Z])")
_FRESH = "pqrsuvmnabcdefgh"


@dataclass(frozen=True)
class Target:
    r"""A result a submission must reach: its name, quantity, relation (``=``, ``<=``, ``<``, ``>=``, ``>``),
    value and points.

    >>> Target("sum", r"\sum_{i=1}^C \sigma(z_i)", "=", "1", 2.0).claim
    '\\sum_{i=1}^C \\sigma(z_i) = 1'
    """

    name: str
    quantity: str
    relation: str
    value: str
    points: float = 1.0
    visibility: str = "visible"

    @property
    def claim(self) -> str:
        """The target written as one display."""
        sign = {"=": "=", "<=": r"\leq", "<": "<", ">=": r"\geq", ">": ">"}[self.relation]
        return f"{self.quantity} {sign} {self.value}"


def _sides(latex: str) -> tuple[list[str], list[str]]:
    from symsoft.parse.latex import normalize_latex, split_chain

    return split_chain(normalize_latex(latex)[0])


def parse_target(name: str, claim: str, points: float = 1.0, visibility: str = "visible") -> Target:
    r"""A target from its claim, ``quantity relation value`` (a chain keeps its first and last sides).

    >>> t = parse_target("below_one", r"\sigma(z_i) = \frac{e^{z_i}}{\sum_k e^{z_k}} \leq 1")
    >>> t.quantity, t.relation, t.value
    ('\\sigma(z_i)', '<=', '1')
    >>> parse_target("x", "a + b")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: reference: target x is not a relation (quantity = value): a + b
    """
    try:
        texts, relations = _sides(claim)
    except LatexParseError:
        texts, relations = [], []
    if not relations or any(r not in _ORDER for r in relations) or \
            len({_ORDER[r] for r in relations} - {0}) > 1:
        raise UsageError(f"reference: target {name} is not a relation (quantity = value): {claim}", name)
    strongest = next((r for r in relations if r != "="), "=")
    return Target(name, texts[0].strip(), strongest, texts[-1].strip(), points, visibility)


def targets_from_reference(text: str, points: dict[str, float] | None = None) -> tuple[Target, ...]:
    r"""The targets of a reference solution: its displays whose tag is a name (``\tag{jacobian}``), each worth the
    points the rubric gives that name (1 by default). Numbered displays are the reference's own working.

    >>> targets_from_reference("$$a = 1 \\tag{1}$$ $$\\sum_{k=1}^C \\sigma(z_k) = 1 \\tag{sum_to_one}$$", {"sum_to_one": 2})
    (Target(name='sum_to_one', quantity='\\sum_{k=1}^C \\sigma(z_k)', relation='=', value='1', points=2.0, visibility='visible'),)
    """
    from symsoft.read.document import read_document

    try:
        document = read_document(text)
    except InputError as error:
        raise UsageError(f"reference: {error}") from None
    found = []
    for eq in document.equations:
        if eq.label and re.fullmatch(r"[A-Za-z][\w-]*", eq.label):
            found.append(parse_target(eq.label, eq.latex, float((points or {}).get(eq.label, 1.0))))
    if not found:
        raise UsageError(r"reference: no target displays (a display tagged with a name, \tag{jacobian})")
    return tuple(found)


def load_reference(path: str | Path, points: dict[str, float] | None = None) -> tuple[Target, ...]:
    """The targets of the reference solution in the Markdown file ``path`` (see :func:`targets_from_reference`).

    >>> load_reference("/nonexistent/ref.md")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: reference: cannot read /nonexistent/ref.md: No such file or directory
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"reference: cannot read {path}: {error.strerror}", str(path)) from None
    except UnicodeDecodeError:
        raise UsageError(f"reference: {path} is not UTF-8 text", str(path)) from None
    return targets_from_reference(text, points)


def free_indices(latex: str) -> list[str]:
    r"""The index letters a side leaves free, in the order they first appear: single letters in subscripts and
    in bracketed superscripts (``w_j^{(i)}``), without those a sum binds.

    >>> free_indices(r"\frac{\partial \sigma(z_i)}{\partial z_j}"), free_indices(r"\sum_{k=1}^C p_k x_{k,j}")
    (['i', 'j'], ['j'])
    >>> free_indices(r"\frac{\partial l}{\partial w_j^{(i)}}")
    ['j', 'i']
    """
    bound = set(re.findall(r"\\(?:sum|prod)\s*_\s*\{?\s*([a-zA-Z])", latex))
    found: list[str] = []
    for group in re.finditer(r"_\s*\{([^{}]*)\}|_\s*([a-zA-Z])|\^\s*\{\s*\(\s*([a-zA-Z])\s*\)\s*\}", latex):
        text = group.group(1) if group.group(1) is not None else (group.group(2) or group.group(3))
        if re.search(r"=|\\in", text):
            continue
        for run in re.findall(r"(?<![\\a-zA-Z])([a-zA-Z]{1,2})(?![a-zA-Z])", text):  # w_{kl}: two indices
            for letter in run:
                if letter not in bound and letter not in found:
                    found.append(letter)
    return found


@dataclass(frozen=True)
class Candidate:
    """An equation of the submission that may be about a target, with the claims that decide it."""

    target: str
    label: str | None
    line: int
    quantity_claim: str
    value_claim: str


def _segments(latex: str) -> list[tuple[list[str], list[str]]]:
    """The chains of a display: its sides and relations, split where a new chain starts."""
    try:
        texts, relations = _sides(latex)
    except LatexParseError:
        return []
    segments, start = [], 0
    for n, relation in enumerate([*relations, "|"]):
        if relation in ("|", "=>"):
            if n > start:
                segments.append((texts[start: n + 1], relations[start: n]))
            start = n + 1
    return segments


def _fits(relations: list[str], wanted: str) -> bool:
    if any(r not in _ORDER for r in relations):
        return False
    if wanted == "=":
        return all(r == "=" for r in relations)
    allowed = {"=", wanted, wanted.rstrip("=")} if wanted in ("<=", ">=") else {"=", wanted}
    return set(relations) <= allowed and any(r != "=" for r in relations)


def candidates(equations: Sequence, targets: Sequence[Target]) -> list[Candidate]:
    r"""The claims that decide which of a submission's equations (with ``label``, ``line``, ``latex``,
    ``conditions``) reach which target: for each equation whose relations fit the target, whose first side has a
    derivative exactly when the quantity has one and leaves as many index letters free, and for each way of
    naming the target's letters with the equation's, the claims "first side = quantity" and "last side = value".

    >>> from symsoft.read.document import DisplayEquation
    >>> eq = DisplayEquation("3", 5, r"\frac{\partial p_k}{\partial z_l} = p_k(\delta_{kl} - p_l)")
    >>> t = parse_target("jac", r"\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(\delta_{ij} - \sigma(z_j))")
    >>> [c.quantity_claim for c in candidates([eq], [t])]
    ['\\frac{\\partial p_k}{\\partial z_l} = \\frac{\\partial \\sigma(z_k)}{\\partial z_l}', '\\frac{\\partial p_k}{\\partial z_l} = \\frac{\\partial \\sigma(z_l)}{\\partial z_k}']
    """
    found: list[Candidate] = []
    for eq in equations:
        for texts, relations in _segments(eq.latex)[:1]:
            first, last = texts[0].strip(), texts[-1].strip()
            mine = free_indices(first)
            if _constant(first) or any(set(re.findall(r"[a-zA-Z]", c)) <= set(mine) for c in eq.conditions) \
                    or len({re.sub(r"\s+", "", text) for text in texts}) == 1:
                continue  # "e^0 = 1" is about no quantity, "X = X" reaches nothing, "if i = j" is one case
            for target in targets:
                if not _fits(relations, target.relation):
                    continue
                wanted = _variables(target.quantity)
                if bool(wanted) != bool(_DERIVATIVE.search(first)) or wanted and wanted[-1] not in _variables(first):
                    continue  # a derivative in the same variable (z, w), or no derivative at all
                theirs = free_indices(target.quantity)
                if len(theirs) != len(mine):
                    continue
                used = set(mine) | set(theirs)
                bound = sorted(set(re.findall(r"\\(?:sum|prod)\s*_\s*\{?\s*([a-zA-Z])", target.claim)) - set(theirs))
                spare = [letter for letter in _FRESH if letter not in used and letter not in bound]
                aside = dict(zip(bound, spare))  # the target's summed letters, out of the way of the student's
                for order in itertools.permutations(mine):
                    mapping = {**aside, **dict(zip(theirs, order))}
                    quantity, value = renamed(target.quantity, mapping), renamed(target.value, mapping)
                    found.append(Candidate(target.name, eq.label, eq.line, f"{first} = {quantity}",
                                           f"{last} = {value}"))
    return found


def _variables(latex: str) -> list[str]:
    r"""The letters after each ``\partial`` (or ``d``) of a side, in order: the last is what it differentiates in.

    >>> _variables(r"\frac{\partial \sigma(z_i)}{\partial z_j}"), _variables(r"\frac{d}{d w_j} L"), _variables("a_i")
    (['\\sigma', 'z'], ['w'], [])
    """
    return re.findall(r"(?:\\partial|(?<=\{)\s*d(?=\s*\\?[a-zA-Z]))\s*\{?\s*(\\[a-zA-Z]+|[a-zA-Z])", latex)


def _constant(latex: str) -> bool:
    r"""Whether a side is a number (``1``, ``e^{0}``, ``\frac{2}{4}``): it is about no quantity.

    >>> _constant("e^{0}"), _constant(r"\frac{1}{2}"), _constant(r"\sigma(z_i)"), _constant("x(")
    (True, True, False, False)
    """
    from symsoft.parse.latex import parse_side

    if not re.search(r"[a-zA-Z]", latex):
        return True
    try:
        return not parse_side(latex).expr.free_symbols
    except (LatexParseError, Exception, RecursionError):
        return False


def claims_of(found: Sequence[Candidate]) -> list[str]:
    """The claims to check, in order: each candidate's quantity claim, then its value claim.

    >>> claims_of([Candidate("t", "1", 1, "a = b", "c = d")])
    ['a = b', 'c = d']
    """
    return [claim for c in found for claim in (c.quantity_claim, c.value_claim)]


@dataclass(frozen=True)
class TargetResult:
    """A target in one submission: its status, the equation that decides it (label, line) and the feedback."""

    target: str
    status: str
    points: float
    max_points: float
    label: str | None = None
    line: int | None = None
    step: int | None = None
    feedback: str = ""


def refuted_steps(equations: Sequence) -> int:
    """The refuted steps of a report's equations (an equation refuted as a whole counts once).

    >>> from symsoft.decide.verdicts import EquationVerdict
    >>> refuted_steps([EquationVerdict("1", 1, "a", (), "refuted"), EquationVerdict("2", 2, "b", (), "proved")])
    1
    """
    count = 0
    for eq in equations:
        if eq.status == "refuted":
            count += max(1, sum(s.status == "refuted" for s in eq.steps))
    return count


def target_results(equations: Sequence, claims: Sequence, targets: Sequence[Target], describe) -> list[TargetResult]:
    """The status of each target, from the submission's equation verdicts and the verdicts of the claims of
    :func:`claims_of` (found by their LaTeX); ``describe(equation)`` gives the feedback of a refuted equation."""
    found = candidates(equations, targets)
    decided = {claim.latex: claim for claim in claims}
    by_label = {(eq.label, eq.line): eq for eq in equations}
    results = []
    for target in targets:
        met = error = deciding = about_unsure = None
        for candidate in found:
            about, value = decided.get(candidate.quantity_claim), decided.get(candidate.value_claim)
            eq = by_label.get((candidate.label, candidate.line))
            if candidate.target != target.name or about is None or value is None or eq is None:
                continue
            if about.status == "unverified":  # noise when the equation itself was read; a sign when it was not
                if eq.status == "unverified":
                    about_unsure = about_unsure or (eq, "whether it is about this result")
                continue
            if about.status != "proved":
                continue
            last = _segments(eq.latex)[0][0][-1]
            if eq.status == "proved" and value.status == "proved" and not _DERIVATIVE.search(last):
                met = met or eq
            elif eq.status == "refuted":
                error = error or eq
            elif eq.status == "unverified" or value.status == "unverified":
                reason = eq.message or next((s.message for s in eq.steps if s.status == "unverified"), "") or \
                    value.message
                deciding = deciding or (eq, reason)
        unsure = deciding or about_unsure
        where = lambda eq: f"equation ({eq.label})" if eq.label else f"the equation on line {eq.line}"
        if met is not None:
            results.append(TargetResult(target.name, "met", target.points, target.points, met.label, met.line,
                                        feedback=f"met in {where(met)}"))
        elif error is not None:
            step = next((s.number for s in error.steps if s.status == "refuted"), 1)
            results.append(TargetResult(target.name, "error", 0.0, target.points, error.label, error.line, step,
                                        f"reached with an error in {where(error)}: {describe(error)}"))
        elif unsure is not None:
            results.append(TargetResult(target.name, "unverified", 0.0, target.points, unsure[0].label,
                                        unsure[0].line, feedback=f"{where(unsure[0])} may reach it, but the checker"
                                        f" could not decide ({unsure[1]}): to be graded by hand"))
        else:
            results.append(TargetResult(target.name, "not_reached", 0.0, target.points,
                                        feedback=f"not reached: no equation states {target.claim}"))
    return results
