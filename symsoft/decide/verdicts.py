"""The values the checker produces: verdicts for steps and equations, findings, the report.

They are frozen dataclasses: every renderer (text, JSON, LaTeX) reads them, none changes them.

>>> from symsoft.decide.verdicts import StepVerdict
>>> StepVerdict(number=1, latex="a = a", status="proved").status
'proved'
"""

from __future__ import annotations

from dataclasses import dataclass

#: The verdict statuses.
STATUSES = ("proved", "refuted", "unverified", "definition")
#: Exit codes a script can trust: every equation proved or a definition, something refuted, something
#: unverified and nothing refuted (2 is an input that cannot be used, 4 an output that cannot be written).
EXIT_OK, EXIT_REFUTED, EXIT_UNVERIFIED = 0, 1, 3


#: The ``reason`` of a verdict that is unverified because a limit of the checker fired (time, memory).
BUDGET = "budget"


def ran_out(what: str, budget: str, claim: str = "the step") -> str:
    """Why a verdict stopped at a limit, in words that blame the computation, never the student.

    >>> ran_out("the proof search", "5 s of CPU time")
    'the proof search ran out of its budget (5 s of CPU time) before a decision; this is a limit of the checker, not a sign that the step is wrong'
    """
    return (f"{what} ran out of its budget ({budget}) before a decision; this is a limit of the checker, not a sign"
            f" that {claim} is wrong")


def exit_code_of(statuses, fail_on: str = "unverified") -> int:
    """The exit code of a set of statuses: 1 if any is refuted, else 3 if any is not proved or a definition, else 0.

    ``fail_on="refuted"`` lets unverified pass (0); anything that is neither proved nor a definition
    (``unverified``, ``missing``, a submission not checked) counts as unverified.

    >>> exit_code_of(["proved", "definition"]), exit_code_of(["proved", "unverified"]), exit_code_of(["unverified", "refuted"])
    (0, 3, 1)
    >>> exit_code_of(["unverified"], fail_on="refuted")
    0
    """
    statuses = set(statuses)
    if "refuted" in statuses:
        return EXIT_REFUTED
    if fail_on == "unverified" and statuses - {"proved", "definition"}:
        return EXIT_UNVERIFIED
    return EXIT_OK


@dataclass(frozen=True)
class Counterexample:
    """A concrete setting where a step fails: C, index values, variable values and both sides' values.

    ``others`` gives the values every class from ``others_from`` to C takes (``("z_k", "0")``),
    when the counterexample sets all the classes the step does not name alike.
    """

    classes: int
    features: int
    indices: tuple[tuple[str, int], ...]
    values: tuple[tuple[str, str], ...]
    lhs: str
    rhs: str
    others: tuple[tuple[str, str], ...] = ()
    others_from: int = 0
    #: the size of each named axis when the step is read under a model's or the document's axes: (("N", 2), ("D", 3))
    sizes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Repair:
    """A smallest edit of the written right-hand side that makes the step proved."""

    latex: str
    edit: str


@dataclass(frozen=True)
class StepVerdict:
    """The verdict on one step ``lhs relation rhs`` of an equation (steps are numbered from 1)."""

    number: int
    latex: str
    status: str
    method: str = ""
    facts: tuple[str, ...] = ()
    for_all_c: bool = False
    classes: tuple[int, ...] = ()
    counterexample: Counterexample | None = None
    #: the numbers of features D checked (empty when no feature enters the step)
    features: tuple[int, ...] = ()
    #: D does not enter the step's value (no sum over the features), so the check holds for every D
    for_every_d: bool = False
    #: the sizes of each named axis checked, when the step is read under named axes: (("N", (1, 2, 3)), ...)
    sizes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    #: what the letters meant: the document's and the model's definitions the step used
    reading: tuple[str, ...] = ()
    repairs: tuple[Repair, ...] = ()
    message: str = ""
    holds_when: str = ""
    #: some part of the step (its decision, its repairs, a note) stopped at a time limit: never remembered in a memo
    limited: bool = False

    @property
    def reason(self) -> str | None:
        """``"budget"`` when the step is unverified because a limit of the checker fired, else None.

        >>> StepVerdict(1, "a = b", "unverified", limited=True).reason, StepVerdict(1, "a = b", "refuted", limited=True).reason
        ('budget', None)
        """
        return BUDGET if self.status == "unverified" and self.limited else None


@dataclass(frozen=True)
class Finding:
    """A lint finding beside the verdicts, with the line it is on."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True)
class EquationVerdict:
    """The verdict on one display equation: refuted when any step is, proved when all are."""

    label: str | None
    line: int
    latex: str
    conditions: tuple[str, ...]
    status: str
    steps: tuple[StepVerdict, ...] = ()
    message: str = ""
    #: the equation stopped at a time limit before its steps were decided (see ``StepVerdict.limited``)
    limited: bool = False
    #: the conditions the text states for it ("- if $a_m > 0$:") that its steps were decided under
    guards: tuple[str, ...] = ()

    @property
    def timed_out(self) -> bool:
        """True when the equation or any of its steps stopped at a time limit (then it is decided again, never reused).

        >>> EquationVerdict("1", 1, "a = b", (), "unverified", (StepVerdict(1, "a = b", "unverified", limited=True),)).timed_out
        True
        """
        return self.limited or any(step.limited for step in self.steps)

    @property
    def reason(self) -> str | None:
        """``"budget"`` when the equation is unverified because a limit of the checker fired (on it or a step), else None.

        >>> EquationVerdict("1", 1, "a = b", (), "unverified", (StepVerdict(1, "a = b", "unverified", limited=True),)).reason
        'budget'
        """
        limited = self.limited or any(step.reason == BUDGET for step in self.steps)
        return BUDGET if self.status == "unverified" and limited else None


@dataclass(frozen=True)
class Report:
    """The result of checking one document."""

    source: str
    profile: str
    equations: tuple[EquationVerdict, ...]
    findings: tuple[Finding, ...] = ()
    classes: int | None = None
    error: str = ""
    #: what the document's front matter set (a profile it defines, entry by entry against the built-in; a
    #: profile or model it names), in words: the verdicts are under the document's own reading
    front_matter: tuple[str, ...] = ()
    #: the verdicts of claims checked under the document's reading but not part of it (a reference solution's
    #: targets, written in the submission's own letters: :func:`symsoft.check.check` with ``claims``)
    claims: tuple[EquationVerdict, ...] = ()

    @property
    def summary(self) -> dict:
        """Counts of equations by status.

        >>> Report("x.md", "softmax", ()).summary
        {'equations': 0, 'proved': 0, 'refuted': 0, 'unverified': 0, 'definition': 0, 'findings': 0}
        """
        counts = {"equations": len(self.equations)}
        for status in STATUSES:
            counts[status] = sum(e.status == status for e in self.equations)
        counts["findings"] = len(self.findings)
        return counts

    @property
    def exit_code(self) -> int:
        """The command line's exit code: 1 when something is refuted, else 3 when something is unverified, else 0.

        0 means every equation is proved or a definition; see :func:`exit_code_of`.

        >>> Report("x.md", "softmax", ()).exit_code
        0
        >>> Report("x.md", "softmax", (EquationVerdict("1", 1, "a = b", (), "unverified"),)).exit_code
        3
        """
        return exit_code_of(e.status for e in self.equations)

    def _repr_markdown_(self) -> str:
        from symsoft.render.text import render_markdown

        return render_markdown(self)
