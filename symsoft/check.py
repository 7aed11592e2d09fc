r"""Check a derivation document: every equation and every step gets a verdict.

The one public function, :func:`check`, runs the pipeline read -> parse -> bind -> decide and
returns a :class:`~symsoft.decide.verdicts.Report`. For each display equation:

1. parse the chain ``A = B \leq C`` (each parse under the time limit);
2. bind each side under the profile (lint findings: typos, index ranges, unused indices);
3. an equation whose two sides are the same once the profile's definitions are unfolded is a
   *definition*;
4. each step is decided (:func:`symsoft.models.softmax.claims.decide`) under the conditions from the prose, in
   a child process with a time limit; a refuted step gets a search for repairs
   (:mod:`symsoft.decide.repair`), each proved like any claim.

>>> from symsoft.check import check
>>> report = check("- if $i \\neq j$:\n\n$$\\frac{\\partial}{\\partial z_j} \\sigma(z_i) = -\\sigma(z_i)\\sigma(z_j) \\quad (1)$$")
>>> report.equations[0].status, report.equations[0].conditions
('proved', ('i != j',))
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import replace
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.models.softmax.bind import BoundSide, bind_side, matrix_notation
from symsoft.decide.algebra import nonzero_somewhere, under_relations
from symsoft.decide.sizes import decide_sizes, follows_from_equations
from symsoft.models.softmax.definitions import document_reading
from symsoft.meaning.reading import LOGISTIC, definition_line, keys_used, logistic_by_prose, read_tensors, readable_guards, redefined_functions
from symsoft.meaning.tensors import (OPEN_PREFIX, OpenDependence, PartialOf, opened as opened_quantity, opened_at_named, shown_key,
                                     ANONYMOUS, BoundTensorSide, Reading, TensorSpec, bare_key, bind_tensor_side, capital_factor,
                                     component, definitions_reached, index_symbol, reading_with_functions_chosen,
                                     size_symbol,
                                     unknown_functions, whole_vector, with_functions_chosen)
from symsoft.models import builtin_models, load_model
from symsoft.models.softmax.claims import DEFAULT_CLASSES, Outcome, decide, simplifies_with_label_sum
from symsoft.read.document import DisplayEquation, InlineMath, conditions_in, decode, read_document, refuse_long
from symsoft.errors import BindingError, InputError, MemoryLimitExceeded, TimeLimitExceeded, UsageError
from symsoft.parse.latex import (GREEK, Atom, Chain, MatrixDisplay, continued_displays, display_latex, matrix_display,
                                 matrix_entry_claims, normalize_latex, parse_equation, parse_side, parse_sides,
                                 split_chain, update_rule, with_indices_renamed, UNREAD)
from symsoft.models.softmax.profile import (OWN_PROFILE, Profile, builtin_profiles, load_profile, parse_front_matter,
                                            profile_changes, profile_in_front_matter, split_front_matter)
from symsoft.parse.adapter import grammar_only
from symsoft.decide.repair import Candidate, candidate_edits, order_repairs
from symsoft.read.source import display_name, read_submission
from symsoft.models.softmax.semantics import CLASSES, FEATURES, LOSS, X, YHAT, Z, W, Softmax, index
from symsoft.timelimit import budget_left, call_with_time_limit, time_budget
from symsoft.decide.verdicts import EquationVerdict, Finding, Report, StepVerdict, ran_out
from symsoft.decide.matrices import decide_matrix_step, matrix_repairs
from symsoft.meaning.matrices import (MatrixReading, bare_matrices, matrix_functions_called, read_matrices,
                                      uses_matrix_notation)
from symsoft.parse.matrices import matrix_latex

_RELATION_LATEX = {"=": "=", "<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq", "!=": r"\neq"}
_STRICT = {"<=": "<", ">=": ">"}


def _free_kinds(left: BoundSide, right: BoundSide) -> dict:
    free = left.expr.free_symbols | right.expr.free_symbols
    kinds = {**left.kinds, **right.kinds}
    return {symbol: kind for symbol, kind in kinds.items() if symbol in free}


def _unverified(step: StepVerdict, message: str) -> StepVerdict:
    """A step made unverified, with the reason: no counterexample, repair or method of the refutation left.

    >>> _unverified(StepVerdict(1, "a = b", "refuted", method="m"), "why").status
    'unverified'
    """
    return replace(step, status="unverified", counterexample=None, repairs=(), method="", message=message)


def _unverify_refuted(verdict: EquationVerdict, why) -> EquationVerdict:
    """The verdict with each refuted step for which ``why(step)`` gives a reason made unverified with it (see
    :func:`_unverified`), and its status worked out again.

    >>> v = EquationVerdict("1", 3, "a = b", (), "refuted", (StepVerdict(1, "a = b", "refuted"),))
    >>> _unverify_refuted(v, lambda step: "a reason").status, _unverify_refuted(v, lambda step: "").status
    ('unverified', 'refuted')
    """
    steps = []
    for step in verdict.steps:
        reason = why(step) if step.status == "refuted" else ""
        steps.append(_unverified(step, reason) if reason else step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


def _equation_status(steps) -> str:
    """Refuted when any step is, proved when every step is, else unverified."""
    statuses = [s.status for s in steps]
    return "refuted" if "refuted" in statuses else ("proved" if all(s == "proved" for s in statuses) else "unverified")


def _same_condition(a: str, b: str) -> bool:
    x, y = a.split(), b.split()
    return x[1] == y[1] and {x[0], x[2]} == {y[0], y[2]}


def _read_as_mentioned_case(verdict: EquationVerdict, eq: DisplayEquation) -> EquationVerdict:
    """A step refuted only outside a case that the prose around it talks about is not called false.

    "For $i = j$ the numerator ..." in a paragraph, then a display that holds exactly when i = j:
    the student most likely meant that case. Such a step becomes unverified, with the reason,
    unless the display tells the cases apart itself (a delta, an indicator, a cases block), which
    makes it a general formula.
    """
    if verdict.status != "refuted" or not eq.mentioned or re.search(r"\\delta|\\math(?:bb|bf)\{1\}|\\begin\{cases\}", eq.latex):
        return verdict
    steps = []
    for step in verdict.steps:
        holds = [h.strip() for h in step.holds_when.split(";") if h.strip()]
        meant = [h for h in holds if any(_same_condition(h, m) for m in eq.mentioned)]
        if step.status == "refuted" and meant:
            step = _unverified(step, f"holds when {meant[0]}, and the text around it speaks of that case; "
                                     f"{step.message} (not called false: read as the case {meant[0]})")
        steps.append(step)
    status = _equation_status(steps)
    return replace(verdict, steps=tuple(steps), status=status)


#: a derivative written as a fraction: its numerator and the letter and index it differentiates by
_DERIVATIVE_BY = re.compile(r"\\frac\s*\{\s*\\partial\s*(?P<numerator>[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\{\s*\\partial\s*"
                            r"(?P<base>\\?[a-zA-Z]+)\s*_\s*\{?\s*(?P<index>[a-z])\s*\}?\s*\}")


def _other_case_of_above(verdict: EquationVerdict, eq: DisplayEquation, above) -> EquationVerdict:
    r"""A step refuted only when i = j, in a display that differentiates by z_j what the display just above it
    differentiates by z_i (``\frac{\partial \log p_i}{\partial z_i} = ...`` then ``\frac{\partial \log p_i}{\partial
    z_j} = ...``, with no case in the prose, no delta nor cases block): the author wrote the case i = j above, so
    this display reads as the other case; it is not called false (unverified, with the reason).

    >>> v = EquationVerdict("4", 9, "", (), "refuted", (StepVerdict(1, "", "refuted", holds_when="i != j"),))
    >>> up = DisplayEquation("3", 7, r"\frac{\partial \log p_i}{\partial z_i} = 1 - p_i")
    >>> here = DisplayEquation("4", 9, r"\frac{\partial \log p_i}{\partial z_j} = - p_j")
    >>> _other_case_of_above(v, here, up).steps[0].status, _other_case_of_above(v, here, here).steps[0].status
    ('unverified', 'refuted')
    """
    if verdict.status != "refuted" or above is None or eq.conditions or re.search(
            r"\\delta|\\math(?:bb|bf)\{1\}|\\begin\{cases\}", eq.latex):
        return verdict
    here, there = _DERIVATIVE_BY.search(eq.latex), _DERIVATIVE_BY.search(above.latex)
    if here is None or there is None or here.group("base") != there.group("base") or \
            here.group("index") == there.group("index") or \
            re.sub(r"\s+", "", here.group("numerator")) != re.sub(r"\s+", "", there.group("numerator")):
        return verdict
    other = f"{there.group('index')} != {here.group('index')}"

    def why(step: StepVerdict) -> str:
        holds = [h.strip() for h in step.holds_when.split(";") if h.strip()]
        if not any(_same_condition(h, other) for h in holds):
            return ""
        return (f"holds when {other}; the display above differentiates by {there.group('base')}_{there.group('index')}"
                f" (the case {there.group('index')} = {here.group('index')}), so this one reads as the other case:"
                f" {step.message} (not called false)")
    return _unverify_refuted(verdict, why)


#: a first-order condition: a derivative set to zero, in the display or in the prose just before it
_SET_TO_ZERO = re.compile(r"\b(?:set(?:ting)?|equat(?:e|ing))\b[^.$]{0,40}\b(?:to\s+)?(?:zero|0)\b"
                          r"|\bsolv(?:e|ing)\s+for\b", re.IGNORECASE)


#: prose right after a display that sets it to zero: "this should be zero so we have", "setting this equal to zero"
_ZERO_AFTER = re.compile(r"^[^$]{0,60}?\b(?:(?:should|must|has\s+to)\s+(?:be\s+)?(?:equal\s+(?:to\s+)?)?(?:zero|0)"
                         r"|set(?:ting)?\s+(?:this|it|that|them)\s+(?:equal\s+)?to\s+(?:zero|0)"
                         r"|(?:is|be)\s+(?:equal\s+to\s+)?zero)\b", re.IGNORECASE)


def _prose_after(document, eq) -> str:
    r"""The prose right after a display, up to the next one (at most 200 characters).

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$a = b \\tag{1}$$ this should be zero, so $$a = 0 \\tag{2}$$")
    >>> _prose_after(doc, doc.equations[0])
    ' this should be zero, so '
    """
    at = document.source.find(eq.latex)
    if at < 0:
        return ""
    after = document.source[at + len(eq.latex):]
    after = re.sub(r"^\s*(?:\\tag\{[^{}]*\}\s*)?(?:\$\$|\\\]|\\end\{[a-z*]+\})", "", after)
    return re.split(r"\$\$|\\\[|\\begin\{", after[:200])[0]


def _imposed_from(document) -> int | None:
    r"""The line of the first display that imposes a condition to solve (``\frac{dl}{d\sigma} = ... = 0``, a chain, or
    ``... = 0`` the prose before it sets to zero), or None: from there on, "= 0" and "σ^2 = ..." are steps of solving,
    not identities."""
    previous = None
    for eq in document.equations:
        above, previous = previous, eq
        try:
            texts, relations = split_chain(normalize_latex(eq.latex)[0])
        except (Exception, RecursionError):
            continue
        ends_at_zero = relations and relations[-1] == "=" and texts[-1].strip() == "0"
        derivative = any(re.search(r"\\partial|\\frac\s*\{\s*d|\\nabla|\\frac\s*\{\s*\\mathrm\{d\}", t)
                         for t in texts[:-1])
        before = document.source[:max(0, document.source.find(eq.latex))][-200:]
        before = re.sub(r"\$[^$]*\$", " it ", before.rstrip().removesuffix("$$"))  # "setting $\frac{..}{..}$ to zero"
        if ends_at_zero and ((derivative and len(texts) > 2) or _SET_TO_ZERO.search(before)
                             or re.search(r"\blet(?:ting)?\W*$", before, re.IGNORECASE)):  # "Letting $$... = 0$$"
            return eq.line
        if above is not None and _derivative_set_to_zero_below(document, above, eq) is not None:
            return eq.line  # "Set the derivative equal to zero to get" $$\sum_n x_n / p = \dots$$
        if derivative and relations and relations[-1] == "=" and _ZERO_AFTER.search(_prose_after(document, eq)):
            return eq.line  # \frac{\partial}{\partial \theta} \ln l = ... "this should be zero so we have"
    return None


_DERIVATIVE = re.compile(r"\\partial|\\frac\s*\{\s*d|\\nabla|\\frac\s*\{\s*\\mathrm\{d\}|'|\\prime")


def _derivative_set_to_zero_below(document, above: DisplayEquation, eq: DisplayEquation):
    r"""The side ``above`` ends with (its right side, as parsed) when it is a derivative, ``\frac{d \ell}{dp} = ...``
    with no ``= 0``, and the prose between it and ``eq`` sets it to zero ("Set the derivative equal to zero to get"),
    ``eq`` writing no derivative: ``eq`` is then an equation that holds where that side is zero; else None.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$\\frac{d f}{d p} = \\frac{a}{p} - b \\tag{1}$$\n\nSet the derivative to zero:\n\n"
    ...                     "$$\\frac{a}{p} = b \\tag{2}$$")
    >>> _derivative_set_to_zero_below(doc, *doc.equations).text
    '\\frac{a}{p} - b'
    """
    if _DERIVATIVE.search(eq.latex):
        return None
    try:
        chain = parse_equation(above.latex)
    except (Exception, RecursionError):
        return None
    if len(chain.sides) < 2 or set(chain.relations) != {"="} or chain.sides[-1].text.strip() == "0" \
            or not _DERIVATIVE.search(chain.sides[0].text) or _DERIVATIVE.search(chain.sides[-1].text):
        return None
    start = document.source.find(above.latex)
    end = document.source.find(eq.latex, start + len(above.latex)) if start >= 0 else -1
    if start < 0 or end < 0:
        return None
    between = document.source[start + len(above.latex):end]
    between = re.sub(r"\$[^$]*\$", " it ", re.sub(r"\\tag\{[^{}]*\}|\$\$|\\\[|\\\]", " ", between))
    if len(between) > 300 or not _SET_TO_ZERO.search(between):
        return None
    return chain.sides[-1]


def _is_stated_zero(eq: DisplayEquation) -> bool:
    r"""Whether a display is one ``X = 0`` with no derivative (``-\frac{2n}{\lambda} + \dots = 0``): the condition it
    states is the one below it, never a proof of itself.

    >>> _is_stated_zero(DisplayEquation("1", 1, "a - b = 0")), _is_stated_zero(DisplayEquation("1", 1, r"\frac{d f}{d x} = 0"))
    (True, False)
    """
    if re.search(r"\\partial|\\frac\s*\{\s*d|\\nabla|'|\\prime", eq.latex):
        return False
    try:
        texts, relations = split_chain(normalize_latex(eq.latex)[0])
    except (Exception, RecursionError):
        return False
    return list(relations) == ["="] and texts[-1].strip() == "0"


def _imposed_condition(verdict: EquationVerdict, eq: DisplayEquation, reading, previous, after: str = ""):
    r"""The condition a display sets to zero, ``(g, kinds)`` with g bound under ``reading``: the side before its last
    ``= 0`` when a step before it is proved (``\frac{dl}{d\sigma} = -n\sigma^{-1} + \dots = 0``, the derivative
    right), or its last side when the prose right ``after`` it sets it to zero ("this should be zero") and every step
    is proved. A display that sets something else to zero imposes no condition read here (None); any other display
    leaves ``previous`` as it is."""
    try:
        chain = parse_equation(eq.latex)
    except (Exception, RecursionError):
        return previous
    texts = [side.text.strip() for side in chain.sides]
    if texts and texts[-1] != "0" and chain.relations and chain.relations[-1] == "=" and _ZERO_AFTER.search(after) \
            and re.search(r"\\partial|\\frac\s*\{\s*d|\\nabla", texts[0]):
        if not verdict.steps or any(step.status != "proved" for step in verdict.steps):
            return None
        chain = replace(chain, sides=(*chain.sides, parse_side("0")), relations=(*chain.relations, "="))
        texts.append("0")
        before_zero = verdict.steps
    else:
        before_zero = verdict.steps[:-1]
    if len(texts) == 2 and tuple(chain.relations) == ("=",) and texts[-1] == "0" and not re.search(
            r"\\partial|\\frac\s*\{\s*d|\\nabla|'|\\prime", eq.latex):  # "-\frac{2n}{\lambda} + ... = 0": stated
        try:
            bound = _bind_generic(chain.sides[0], reading)
        except (Exception, RecursionError):
            return None
        return bound.expr, dict(bound.kinds)
    if len(texts) < 3 or chain.relations[-1] != "=" or texts[-1] != "0":
        return previous
    if not before_zero or any(step.status != "proved" for step in before_zero):
        return None  # every step up to the "= 0" proved: else the side set to zero may not be the derivative
    try:
        bound = _bind_generic(chain.sides[-2], reading)
    except (Exception, RecursionError):
        return None
    return bound.expr, dict(bound.kinds)


def _follows_from(condition, latex: str, reading, timeout: float):
    r"""The factor r when the step ``latex`` (``A = B``) is the condition g = 0 above times r: A - B = r g exactly, r
    a nonzero number times powers of letters (so A = B exactly where g = 0, wherever both are defined); else None.

    >>> from symsoft.parse.latex import parse_side
    >>> g = bind_tensor_side(parse_side(r"-\frac{n}{s} + \frac{q}{s^3}"), Reading.empty()).expr
    >>> _follows_from((g, {}), r"s^2 = \frac{q}{n}", Reading.empty(), 5.0)
    -s**3/n
    """
    factor = _factor_of(condition, latex, reading, timeout)
    if factor is None:
        return None
    return factor.xreplace({part: sp.Symbol(shown_key(str(part.base))) for part in factor.atoms(sp.Indexed)
                            if part.indices == (0,)})


def _sums_split(expr: sp.Expr) -> sp.Expr:
    r"""Each sum split into a sum per term, with the factors free of its index taken out (and a sum of a constant
    done): :math:`\sum_j (-1 + x_j / \lambda) = -N + \frac{1}{\lambda} \sum_j x_j`, so that two ways of writing
    one sum cancel.

    >>> j, n = sp.symbols("j n", integer=True)
    >>> x, lam = sp.IndexedBase("x"), sp.Symbol("lambda")
    >>> _sums_split(sp.Sum(-1 + x[j] / lam, (j, 1, n)))
    -n + Sum(x[j], (j, 1, n))/lambda
    """
    def split(total: sp.Sum) -> sp.Expr:
        indices = [limit[0] for limit in total.limits]
        terms = []
        for term in sp.Add.make_args(sp.expand(total.function)):
            inside = [f for f in sp.Mul.make_args(term) if f.has(*indices)]
            outside = [f for f in sp.Mul.make_args(term) if not f.has(*indices)]
            terms.append(sp.Mul(*outside) * sp.Sum(sp.Mul(*inside), *total.limits).doit())
        return sp.Add(*terms)
    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def _factor_of(condition, latex: str, reading, timeout: float):
    """The factor of :func:`_follows_from`, in the bound letters."""
    chain = parse_equation(latex)
    if condition is None or len(chain.sides) != 2 or tuple(chain.relations) != ("=",):
        return None
    g, kinds = condition
    left, right = (_bind_generic(side, reading) for side in chain.sides)
    difference = left.expr - right.expr
    factor = sp.factor(sp.cancel(sp.together(_sums_split(difference) / _sums_split(g))))
    if factor == 0 or factor.has(sp.Sum, PartialOf) or not all(
            part.is_number or (part.is_Pow and part.exp.is_Integer and part.base.is_Atom) or part.is_Atom
            or (part.is_Pow and part.exp.is_Integer and isinstance(part.base, sp.Indexed)) or isinstance(part, sp.Indexed)
            for part in sp.Mul.make_args(factor)):
        return None
    kinds = {**kinds, **left.kinds, **right.kinds}
    outcome = call_with_time_limit(decide_sizes, (difference, "=", factor * g, kinds, (), reading, (), True), timeout)
    return factor if outcome.status == "proved" else None


def _solving(verdict: EquationVerdict, eq: DisplayEquation, imposed: int | None, reading, condition=None,
             timeout: float = 5.0) -> EquationVerdict:
    r"""After a display imposes a condition, a refuted step that sets something to 0, or writes an input letter
    (``\sigma^2 = ...``, ``w = ...``) equal to an expression, is a step of solving it: it holds at the solution,
    which is not checked, so it is never called false. Where the condition above is read (:func:`_imposed_condition`)
    and the step is that condition times a factor (:func:`_follows_from`), the step is proved to hold at the solution."""
    if imposed is None or eq.line < imposed or verdict.status not in ("refuted", "unverified") or not verdict.steps:
        return verdict  # a verdict without steps (a display not read) has nothing to solve
    steps = []
    for number, step in enumerate(verdict.steps):
        try:
            texts, relations = split_chain(normalize_latex(step.latex)[0])
        except (Exception, RecursionError):
            texts, relations = [], []
        zero = len(texts) == 2 and relations == ["="] and texts[1].strip() == "0"
        letter = re.fullmatch(r"\s*(\\[a-zA-Z]+|[a-zA-Z])\s*(?:\^\s*\{?\s*2\s*\}?)?\s*", texts[0]) \
            if texts and number == 0 else None
        solved = letter is not None and getattr(reading.tensors.get(bare_key(letter.group(1))), "definition", 1) is None
        solving = (zero or solved) and (step.status == "refuted" or (step.message or "").startswith(
            ("a step of solving", "false with the definition of")))  # \theta = ... after \ell(\theta): written twice
        try:
            factor = _follows_from(condition, step.latex, reading, timeout) \
                if solving or (condition is not None and step.status == "refuted") else None
        except (Exception, RecursionError):
            factor = None
        if factor is not None:
            times = "" if factor == 1 else f", times {sp.latex(factor)}"
            step = StepVerdict(step.number, step.latex, "proved", method="exact identity at the solution",
                               facts=(f"the condition set to zero above{times} (so it holds wherever that condition"
                                      " does)",))
        elif step.status == "refuted" and solving:
            step = _unverified(step, "a step of solving the condition set to zero above: it holds where that"
                                     " condition does, which is not checked")
        steps.append(step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


#: an estimate written as its parameter decorated: ``\hat{\theta}``, ``\hat\lambda``, ``\sigma^{*}``, ``w_1^*``
_ESTIMATE = re.compile(r"\s*(?:\\(?:hat|widehat|tilde)\s*\{\s*(?P<a>\\[a-zA-Z]+|[a-zA-Z])\s*\}|\\(?:hat|widehat|tilde)\s*"
                       r"(?P<b>\\[a-zA-Z]+|[a-zA-Z])|(?P<c>\\[a-zA-Z]+|[a-zA-Z])\s*\^\s*\{?\s*\*\s*\}?"
                       r"|\\mathit\{DstarD(?P<d>[a-zA-Z]+)\})"
                       r"(?P<sub>\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?\s*(?P<square>\^\s*\{?\s*2\s*\}?)?\s*")


_PLAIN_LETTER = re.compile(r"\s*(?P<letter>\\[a-zA-Z]+|[a-zA-Z])\s*(?:_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?\s*")


def _solution_of(verdict: EquationVerdict, eq: DisplayEquation, reading, condition, timeout: float) -> EquationVerdict:
    r"""A display that writes an estimate, ``\hat{\theta} = \frac{1}{n} \sum_i x_i``, after a condition set to zero
    in θ (:func:`_imposed_condition`): read as a definition of the new letter, it is the claim that θ = the right
    side solves the condition; proved when θ minus it is the condition times a factor (:func:`_follows_from`), else
    left as it was (never refuted here: a condition has other roots)."""
    if condition is None or verdict.status not in ("definition", "refuted", "unverified"):
        return verdict  # refuted: with another \hat{\theta} = ... above read as its definition, maybe a wrong one
    try:
        texts, relations = split_chain(normalize_latex(eq.latex)[0])
    except (Exception, RecursionError):
        return verdict
    estimate = _ESTIMATE.fullmatch(texts[0]) if len(texts) == 2 and relations == ["="] else None
    plain = _PLAIN_LETTER.fullmatch(texts[0]) if len(texts) == 2 and relations == ["="] else None
    if estimate is not None:
        starred = estimate.group("d")  # w^* as the parser writes it
        letter = estimate.group("a") or estimate.group("b") or estimate.group("c") or (
            starred if starred is None or len(starred) == 1 else "\\" + starred)
        written = letter + (estimate.group("sub") or "") + (estimate.group("square") or "")
    elif plain is not None and any(re.split(r"[_^]", str(part.base))[0] == bare_key(plain.group("letter"))
                                   for part in sp.sympify(condition[0]).atoms(sp.Indexed)):
        written = texts[0].strip()  # \lambda = \sum_j x_j / N after dl/d\lambda = ... = 0: the letter solved for
    else:
        return verdict
    step = f"{written} = {texts[1]}"
    try:
        factor = _follows_from(condition, step, reading, timeout)
    except (Exception, RecursionError):
        factor = None
    if factor is None:
        return verdict
    times = "" if factor == 1 else f", times {sp.latex(factor)}"
    proved = StepVerdict(1, eq.latex, "proved", method="exact identity at the solution",
                         facts=(f"{written} = the right side is the condition set to zero above{times} (so it holds"
                                " wherever that condition does)",))
    return replace(verdict, status="proved", steps=(proved,), message="")


#: prose that ends by saying the next display is solved: "we can constrain $\lambda$ by solving", "solve"
_SOLVED_NEXT = re.compile(r"\bsolv(?:e|ing)\b[^.!?]{0,80}$", re.IGNORECASE)


def _to_solve(verdict: EquationVerdict, eq: DisplayEquation, source: str) -> EquationVerdict:
    r"""A display the prose just before it says is solved ("... we can constrain $\lambda$ by solving") is an
    equation in its unknowns, not an identity: a refuted step of it (one relation, no derivative) is unverified.

    >>> v = EquationVerdict("1", 3, "a^2 = 1", (), "refuted", (StepVerdict(1, "a^2 = 1", "refuted"),))
    >>> _to_solve(v, DisplayEquation("1", 3, "a^2 = 1"), "We find a by solving\n\n$$a^2 = 1$$").steps[0].status
    'unverified'
    >>> _to_solve(v, DisplayEquation("1", 3, "a^2 = 1"), "Hence\n\n$$a^2 = 1$$").steps[0].status
    'refuted'
    """
    if verdict.status != "refuted" or len(verdict.steps) != 1 or re.search(r"\\partial|\\frac\s*\{\s*d|\\nabla", eq.latex):
        return verdict
    at = source.find(eq.latex)
    before = source[:at].rstrip()
    before = re.sub(r"\$\$\s*$|\\(?:begin\{[a-z*]+\}|\[)\s*$", "", before).rstrip()
    if at < 0 or not _SOLVED_NEXT.search(before[-200:]):
        return verdict
    step = _unverified(verdict.steps[0], "an equation the text solves (its prose says so), not an identity: it holds"
                                         " at its solution, which is not checked")
    return replace(verdict, steps=(step,), status="unverified")


#: a sentence that assumes values: "if we assume ... i.e. $\mu_2=0$ and $\sigma_2=1$", "suppose", "let", "setting"
_ASSUMING = re.compile(r"\b(?:assum\w*|suppos\w*|let|letting|ie|setting|set|given|where|with)\b", re.IGNORECASE)
_VALUE = re.compile(r"\s*(?P<letter>\\?[a-zA-Z]+(?:\s*_\s*(?:\{\s*[a-zA-Z0-9]+\s*\}|[a-zA-Z0-9]))?)\s*=\s*-?[0-9]+(?:\.[0-9]+)?\s*")


def _words_before(document, item) -> str:
    """The words of the sentence before the inline math ``item`` (other inline math blanked), up to a conclusion
    ("given that $a = b$, then $c = d$": the words before c = d start at "then")."""
    at = document.source.find(item.latex)
    if at < 0:
        return ""
    before = re.sub(r"\b(?:i\.\s*e|e\.\s*g)\.", "ie", document.source[max(0, at - 200):at])  # no sentence's end
    sentence = re.split(r"[.!?]\s|\n\s*\n|\$\$|\b(?:then|so|hence|thus|therefore|we\s+(?:get|have|obtain|find))\b",
                        before)[-1]
    return re.sub(r"\$[^$]*\$", " ", sentence)


def _in_assuming_sentence(document, item) -> bool:
    """Whether the sentence holding the inline math ``item`` assumes it ("if we assume", "given that", "where",
    "let", "with": :data:`_ASSUMING`), read from the words before it in its sentence (:func:`_words_before`)."""
    return bool(_ASSUMING.search(_words_before(document, item)))


#: what an estimate may not hold: a derivative, a comparison, a distribution
_NOT_AN_ESTIMATE = re.compile(r"\\(?:partial|nabla|sim|approx|propto|in|leq?|geq?|neq|to)(?![a-zA-Z])|\\frac\s*\{\s*d|'|[<>]"
                              r"|\\prime")
#: what a stated relation may not hold besides: a sum, a product, an integral, a map, a quantifier
_NOT_A_RELATION = re.compile(_NOT_AN_ESTIMATE.pattern + r"|\\(?:sum|prod|int|mapsto|forall)(?![a-zA-Z])")


#: a sentence that derives estimates: "equating these to zero gives us the estimates", "the MLE is", "maximizes"
_ESTIMATING = re.compile(r"\b(?:estimat\w*|MLEs?|maximi[sz]\w*|minimi[sz]\w*|solv\w*)\b|\b(?:equat|sett?)\w*[^.]{0,60}"
                         r"\b(?:zero|0)\b", re.IGNORECASE)
#: an estimate written with a hat: ``\hat \mu = \bar{x}``, ``\hat{\sigma}^2 = ...``
_HATTED = re.compile(r"^\s*\\(?:hat|widehat)\s*(?:\{\s*(?P<braced>\\?[a-zA-Z]+)\s*\}|(?P<bare>\\[a-zA-Z]+|[a-zA-Z]))"
                     r"(?P<power>\s*\^\s*(?:\{\s*2\s*\}|2))?\s*=(?P<value>[^=]+)$")


def stated_relations(document) -> list:
    r"""``(line, latex, kind)`` for each relation between letters the prose states in its inline math: ``given``,
    one the prose assumes ("given that $\mu = 1/\theta$ and $\log(\mu) = \alpha$": one equation, letters on both
    sides, no derivative, sum or comparison, in a sentence that assumes, :func:`_in_assuming_sentence`; a letter set
    to a number is an assumed value instead, :func:`_assumed_values`), or ``estimate``, an estimate the prose derives
    ("equating these to zero gives us the estimates $\hat \mu = \bar{x}$"), written for the letter without its hat.

    >>> from symsoft.read.document import read_document
    >>> stated_relations(read_document("Given that $\\mu = 1/\\theta$ and $n = 30$, then $a = b$.\n\n$$c = d$$"))
    [(1, '\\mu = 1/\\theta', 'given')]
    >>> stated_relations(read_document("Equating to zero gives the estimate $\\hat{s}^2 = \\bar{x}$.\n\n$$c = d$$"))
    [(1, 's^2 = \\bar{x}', 'estimate')]
    """
    found = []
    for item in document.inline:
        hatted = _HATTED.match(item.latex)
        if hatted is not None and not _NOT_AN_ESTIMATE.search(hatted.group("value")):
            if _ESTIMATING.search(_words_before(document, item)):
                letter = hatted.group("braced") or hatted.group("bare")
                power = "^2" if hatted.group("power") else ""
                found.append((item.line, f"{letter}{power} = {hatted.group('value').strip()}", "estimate"))
            continue
        sides = item.latex.split("=")
        if len(sides) != 2 or _VALUE.fullmatch(item.latex) or _NOT_A_RELATION.search(item.latex):
            continue
        if not all(re.search(r"[a-zA-Z]", side) for side in sides) or not _in_assuming_sentence(document, item):
            continue
        if re.search(r"\^\s*\{?\s*(?:T|\\top|\\intercal|\\mathsf\{T\})|\\(?:mathbf|boldsymbol|bm|vec)(?![a-zA-Z])", item.latex):
            continue  # "$S^\top = S$": what a matrix is, which the matrix reading takes from the text itself
        bases = [re.sub(r"\s*_.*$", "", side.strip()) for side in sides]
        if bases[0] == bases[1]:
            continue  # "when $p_i = p_j$": two components of one letter, a case of the indices
        words = _words_before(document, item)
        if re.search(r"\b(?:when|whenever|if|case)\b[^.]{0,30}$", words, re.IGNORECASE) and not re.search(r"\bassum", words):
            continue  # "(i.e. when $p_i = p_j$)": a case, not a relation that always holds
        found.append((item.line, item.latex.strip(), "given"))
    return found


def _assumed_values(document) -> list:
    r"""``(line, letter)`` for each letter a sentence gives a number in its inline math (``If we assume our prior
    is a unit gaussian i.e. $\mu_2=0$ and $\sigma_2=1$``), the letter written without backslash or braces
    (``mu_2``).

    >>> from symsoft.read.document import read_document
    >>> _assumed_values(read_document("$$a = b \\tag{1}$$\n\nIf we assume $\\mu_2=0$ and $s = 1$,\n\n$$c = d \\tag{2}$$"))
    [(3, 'mu_2'), (3, 's')]
    """
    found = []
    for item in document.inline:
        written = _VALUE.fullmatch(item.latex)
        if written is not None and _in_assuming_sentence(document, item):
            found.append((item.line, re.sub(r"[\\{}\s]", "", written.group("letter"))))
    return found


def _against_assumed(verdict: EquationVerdict, eq: DisplayEquation, assumed: list) -> EquationVerdict:
    r"""A refuted step whose counterexample gives a value to a letter the text assumes a number for above it (see
    :func:`_assumed_values`): the assumption is not applied, so the counterexample may break it; unverified.

    >>> from symsoft.decide.verdicts import Counterexample
    >>> bad = Counterexample(0, 0, (), (("\\mu_{2}", "1"),), "1", "0")
    >>> v = EquationVerdict("2", 9, "a = b", (), "refuted", (StepVerdict(1, "a = b", "refuted", counterexample=bad),))
    >>> _against_assumed(v, DisplayEquation("2", 9, "a = b"), [(5, "mu_2")]).status
    'unverified'
    """
    held = {letter: line for line, letter in assumed if line < eq.line}
    if verdict.status != "refuted" or not held:
        return verdict

    def why(step: StepVerdict) -> str:
        valued = {re.sub(r"[\\{}\s]", "", name) for name, _value in
                  (step.counterexample.values if step.counterexample is not None else ())}
        broken = sorted(valued & set(held))
        return (f"the text assumes a value for {', '.join(broken)} on line {held[broken[0]]}, which is not applied:"
                " the counterexample found may break it") if broken else ""
    return _unverify_refuted(verdict, why)


def _given_relations(latex: str, relations: list, reading) -> tuple:
    """``(verdict, used)`` for the step ``latex`` under the stated ``relations`` that share a letter with it
    (:func:`~symsoft.decide.algebra.under_relations`): ``holds``, ``fails`` (false at some point where they hold
    too, :func:`~symsoft.decide.algebra.nonzero_somewhere`) or ``open``; ``used`` is empty when none shares a letter."""
    difference = _step_difference(latex, reading)[0]
    letters = difference.atoms(sp.Indexed)
    derivative = difference.has(PartialOf) or bool(_DERIVATIVE.search(latex))
    used, equations, defining = [], [], []
    for line, relation, kind in relations:
        if kind == "estimate" and derivative:
            continue  # a derivative is a claim about a function, never about its value at one point
        try:
            sides = [_bind_generic(side, reading).expr for side in parse_equation(relation).sides]
        except (Exception, RecursionError):
            continue
        if len(sides) != 2:
            continue
        equation = sides[0] - sides[1]
        if any(isinstance(side, sp.Indexed) and getattr(reading.tensors.get(str(side.base)), "definition", None)
               is not None for side in sides):
            defining.append(equation)  # a definition the reading holds already ("where $a_j = \sum_i w_{ij} x_i$"):
            continue                   # it joins the others, never makes a step its own
        if equation.atoms(sp.Indexed) & letters:
            used.append((line, relation, kind))
            equations.append(equation)
    if not used:
        return "open", ()
    holds, rest = under_relations(difference, equations + defining)
    if holds:
        return "holds", tuple(used)
    return ("fails" if rest is not None and nonzero_somewhere(rest) else "open"), tuple(used)


def _letters_of(latex: str) -> set:
    r"""The letters written in ``latex`` (``\sigma``, ``x``), for telling which relations a step names."""
    return set(re.findall(r"\\[a-zA-Z]+|[a-zA-Z]", re.sub(r"\\(?:frac|partial|sum|left|right|sqrt|log|exp|hat|bar|cdot)"
                                                         r"(?![a-zA-Z])", " ", latex)))


def _under_stated_relations(verdict: EquationVerdict, eq: DisplayEquation, relations: list, reading,
                            timeout: float) -> EquationVerdict:
    r"""A refuted step in letters the prose relates above it (:func:`stated_relations`). Under relations the prose
    assumes ("given that $\mu = 1/\theta$ and $\log(\mu) = \alpha$") it is proved when it holds wherever they do
    (each solved for one of its letters and substituted); at estimates the prose derives ("$\hat \sigma = ...$")
    it is unverified when it holds there (a step at the estimate, not an identity). It stays refuted when it is false
    at some point where they hold too, and is unverified otherwise (the counterexample may break them).

    >>> from symsoft.meaning.tensors import Reading
    >>> v = EquationVerdict("3", 9, "\\log(\\theta) = -\\alpha", (), "refuted",
    ...                     (StepVerdict(1, "\\log(\\theta) = -\\alpha", "refuted"),))
    >>> stated = [(2, "\\mu = 1/\\theta", "given"), (2, "\\log(\\mu) = \\alpha", "given")]
    >>> _under_stated_relations(v, DisplayEquation("3", 9, v.latex), stated, Reading.empty(), 10).steps[0].method
    'exact identity given the relations the text states'
    """
    held = [relation for relation in relations if relation[0] < eq.line][-4:]
    if verdict.status != "refuted" or not held or reading is None:
        return verdict
    steps = []
    for step in verdict.steps:
        if step.status != "refuted" or (step.counterexample is not None and not step.counterexample.values):
            steps.append(step)  # a refutation by shapes or sizes holds whatever the letters' values
            continue
        try:
            outcome, used = call_with_time_limit(_given_relations, (step.latex, held, reading), timeout)
        except TimeLimitExceeded as limit:  # a limit, never a verdict: the step is not refuted against the relations
            if any(_letters_of(relation[1]) & _letters_of(step.latex) for relation in held):
                steps.append(replace(_unverified(step, ran_out("applying the relations the text states",
                                                               _budget(timeout, limit), "this step")), limited=True))
            else:
                steps.append(step)
            continue
        except (Exception, RecursionError):  # not read as one equation (a matrix):
            named = [relation for relation in held if relation[2] == "estimate"  # a step at the estimates, maybe
                     and _letters_of(relation[1].split("=")[0]) & _letters_of(step.latex)]
            outcome, used = ("open", tuple(named)) if named else ("open", ())
        stated = ", ".join(f"${latex}$ (line {line})" for line, latex, _kind in used)
        estimates = any(kind == "estimate" for _line, _latex, kind in used)
        if outcome == "holds" and not estimates:
            steps.append(replace(step, status="proved", message="", counterexample=None, repairs=(),
                                 method="exact identity given the relations the text states",
                                 facts=(f"the text states {stated}: solved for one letter each and substituted, the"
                                        " two sides are equal",)))
        elif outcome == "holds":
            steps.append(_unverified(step, f"holds at the estimates the text derives above, {stated}: a step at"
                                           " them, not an identity, so it is not refuted at other values"))
        elif used and outcome == "open":
            steps.append(_unverified(step, f"the text states {stated}, which the counterexample found with the letters"
                                           " apart may break; whether the step holds where they do is not decided"))
        else:
            steps.append(step)  # false where the relations hold too, or none names its letters
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


def _before_solving(verdict: EquationVerdict, eq: DisplayEquation, reading) -> EquationVerdict:
    r"""A refuted step, with no derivative in its display, in an unknown the text sets to zero in an equation further
    down and never defines (``b_0 \bar{x} + b_1 \overline{x^2} = \overline{xy}`` above ``\sum_i (y_i - b_0 - b_1
    x_i) = 0``, :attr:`~symsoft.meaning.tensors.Reading.unknowns`): a normal equation the text solves later, true at
    the solution and false elsewhere; unverified, never refuted at a value of the unknown of our choosing.

    >>> from symsoft.meaning.tensors import TensorSpec
    >>> r = replace(Reading.empty().with_tensor(TensorSpec("b", "b", ())), unknowns=(("b", 9),))
    >>> v = EquationVerdict("1", 3, "2 b = 1", (), "refuted", (StepVerdict(1, "2 b = 1", "refuted"),))
    >>> _before_solving(v, DisplayEquation("1", 3, "2 b = 1"), r).status
    'unverified'
    """
    if reading is None or verdict.status != "refuted" or not reading.unknowns or re.search(
            r"\\partial|\\frac\s*\{\s*d|\\nabla|\\mathrm\{d\}|'|\\prime", eq.latex):
        return verdict
    later = {key for key, line in reading.unknowns if line > eq.line
             and getattr(reading.tensors.get(key), "definition", None) is None}

    def why(step: StepVerdict) -> str:
        try:
            letters = {str(part.base) for part in _step_difference(step.latex, reading)[0].atoms(sp.Indexed)} & later
        except (Exception, RecursionError):
            letters = set()
        return (f"an equation in {', '.join(shown_key(key) for key in sorted(letters))}, which the text sets to zero"
                " further down and solves for: it may hold at the solution, which is not checked, so it is not refuted"
                " at other values") if letters else ""
    return _unverify_refuted(verdict, why) if later else verdict


#: prose that says letters depend on a quantity: "since $\mu$ and $\sigma^2$ are functions of $x_i$", "$E$ depends
#: on $w$"
_DEPENDS = re.compile(r"(?P<who>\$[^$]+\$(?:\s*(?:,|and|,\s*and)\s*\$[^$]+\$)*)\s*(?:(?:are|is)\s+(?:both\s+|all\s+)?"
                      r"(?:an?\s+)?(?:(?:differentiable|smooth)\s+)?functions?\s+of|(?:depends?|depending)\s+on)"
                      r"\s+\$(?P<variable>[^$]+)\$", re.IGNORECASE)


def _letter_of(written: str) -> str:
    r"""The letter of a quantity as written in inline math, without indices, powers or backslash: ``\sigma^2`` is
    sigma, ``x_i`` is x.

    >>> _letter_of(r"\sigma^2"), _letter_of("x_{i}"), _letter_of(r"\hat{y}")
    ('sigma', 'x', 'hat{y}')
    """
    return re.split(r"[_^\s]", written.strip().lstrip("\\"), maxsplit=1)[0]


#: one letter as inline math writes it: ``\mu``, ``\sigma^2``, ``x_i``, ``w_{jk}`` (never an expression)
_ONE_LETTER = re.compile(r"\s*\\?[a-zA-Z]+\s*(?:_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?\s*(?:\^\s*\{?\s*2\s*\}?)?\s*")


def stated_dependences(source: str, equations=()) -> list:
    r"""``(letters, variable)`` for each sentence that says letters are functions of (depend on) a quantity, each
    named by its letter (:func:`_letter_of`); a letter a display defines (``\sigma^2 = \frac{1}{m} \sum_i ...``,
    read or not) depends on what that display says, and an index letter ("the score of sample $i$ depends on
    $w_j$") is no quantity: both are left out.

    >>> stated_dependences("since $\\mu$ and $\\sigma^2$ are functions of $x_i$.")
    [(('mu', 'sigma'), 'x')]
    >>> stated_dependences("since $\\mu$ and $\\sigma^2$ are functions of $x_i$.", [DisplayEquation("1", 1, "\\sigma^2 = 1")])
    [(('mu',), 'x')]
    >>> stated_dependences("The score of sample $i$ depends on $w_j$: $s_i = w_j x_{ij}$")
    []
    >>> stated_dependences("Only the numerator $e^{z_i}$ depends on $z_j$")
    []
    """
    prose = re.sub(r"\$\$.*?\$\$", " ", source, flags=re.DOTALL)
    defined = {_letter_of(found.group(1)) for eq in equations
               if (found := re.match(r"\s*(\\?[a-zA-Z]+)\s*(?:\^\s*\{?\s*2\s*\}?\s*)?(?::=|=)", eq.latex))}
    indices = set(re.findall(r"(?:_\s*\{?|\\sum\s*_\s*\{?)\s*([a-z])(?![a-zA-Z])", source))  # "sample $i$": an index
    found = []
    for sentence in _DEPENDS.finditer(prose):
        letters = tuple(letter for who in re.findall(r"\$([^$]+)\$", sentence.group("who"))
                        if _ONE_LETTER.fullmatch(who) and (letter := _letter_of(who)) not in defined
                        and letter not in indices and letter != "e")  # e^{z_i} "depends on z_j": an expression
        if letters:
            found.append((letters, _letter_of(sentence.group("variable"))))
    return found


def _through_stated_dependence(verdict: EquationVerdict, dependences: list, reading) -> EquationVerdict:
    r"""A proved or refuted step that differentiates with respect to a quantity the prose says other letters of the
    step depend on ("since $\mu$ and $\sigma^2$ are functions of $x_i$", then ``\frac{\partial}{\partial x_i}
    \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}} = ...``), those letters not defined: the step was decided with them
    constant, which the text says they are not; unverified.

    >>> v = EquationVerdict("1", 3, "", (), "proved", (StepVerdict(1, r"\frac{\partial}{\partial x_i} (x_i - \mu) = 1",
    ...                                                               "proved"),))
    >>> _through_stated_dependence(v, [(("mu",), "x")], Reading.empty()).status
    'unverified'
    """
    if not dependences or not any(step.status in ("proved", "refuted") for step in verdict.steps):
        return verdict
    defined = {re.split(r"[_^]", spec.base.lstrip("\\"))[0] for spec in (reading.tensors.values() if reading else ())
               if spec.definition is not None or spec.opaque}
    steps = []
    for step in verdict.steps:
        variables = {_letter_of(v) for v in re.findall(r"(?:\\partial|(?<![a-zA-Z\\])d)\s*\{?\s*(\\?[a-zA-Z]+)", step.latex)}
        written = {_letter_of(w) for w in re.findall(r"\\?[a-zA-Z]+", step.latex)}
        hit = sorted({letter for letters, variable in dependences if variable in variables
                      for letter in letters if letter in written and letter not in defined and letter != variable})
        if step.status in ("proved", "refuted") and hit:
            variable = next(v for letters, v in dependences if hit[0] in letters and v in variables)
            step = _unverified(step, f"the text says {hit[0]} is a function of {variable}, which the document does not"
                                     f" define: the step was decided with {hit[0]} constant in {variable}, so it is not"
                                     " decided")
        steps.append(step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


def _defined_below(verdict: EquationVerdict, eq: DisplayEquation, reading) -> EquationVerdict:
    r"""A refuted step that names a quantity the document defines only further down (``\frac{\partial L_w}{\partial
    z_i}`` above ``L_w = ...``) while a quantity written alike but for the case of its letters is defined above it
    (``l_w = ...``): the author may mean that one, so a counterexample under the later definition is no refutation;
    unverified. (A quantity used first and defined below, with nothing alike above, keeps its definition.)

    >>> from symsoft.meaning.tensors import TensorSpec
    >>> r = Reading.empty().with_tensor(TensorSpec("L", "L", (), definition=((), sp.Integer(2)), origin="line 9"))
    >>> r = r.with_tensor(TensorSpec("l", "l", (), definition=((), sp.Integer(1)), origin="line 1"))
    >>> v = EquationVerdict("1", 3, "L = 1", (), "refuted", (StepVerdict(1, "L = 1", "refuted"),))
    >>> _defined_below(v, DisplayEquation("1", 3, "L = 1"), r).status
    'unverified'
    """
    if reading is None or verdict.status != "refuted":
        return verdict

    def why(step: StepVerdict) -> str:
        try:
            keys = set().union(*(keys_used(side, reading.lettered) for side in parse_equation(step.latex).sides))
        except (Exception, RecursionError):
            return ""
        above = {key.lower(): key for key, spec in reading.tensors.items()
                 if (line := definition_line(spec)) is not None and line < eq.line}
        below = sorted((line, key, above[key.lower()]) for key in keys
                       if (line := definition_line(reading.tensors.get(key))) is not None and line > eq.line
                       and above.get(key.lower(), key) != key)
        return (f"{shown_key(below[0][1])} is defined only further down (line {below[0][0]}), and "
                f"{shown_key(below[0][2])}, written alike, above: the step may mean that one, so a counterexample"
                " under the later definition proves nothing") if below else ""
    return _unverify_refuted(verdict, why)


def _set_to_zero_here(verdict: EquationVerdict, eq: DisplayEquation) -> EquationVerdict:
    r"""A refuted last step ``... = 0`` of a chain that takes no derivative (``m = \sum_i (y_i x_i - \bar{y} x_i +
    m \bar{x} x_i - m x_i^2) = 0``; a lone ``y (2 - y) = 0`` is still a claim): an equation the text may be solving (a normal equation), true at its solution,
    which is not checked; never called false as an identity.

    >>> v = EquationVerdict("1", 3, "a = b x - 1 = 0", (), "refuted", (StepVerdict(1, "a = b x - 1", "proved"),
    ...                                                                 StepVerdict(2, "b x - 1 = 0", "refuted")))
    >>> _set_to_zero_here(v, DisplayEquation("1", 3, v.latex)).status
    'unverified'
    """
    if verdict.status != "refuted" or len(verdict.steps) < 2 or re.search(
            r"\\partial|\\frac\s*\{\s*d|\\nabla|\\mathrm\{d\}|'|\\prime", eq.latex):
        return verdict
    last = verdict.steps[-1]
    if last.status != "refuted" or not re.search(r"=\s*0\s*$", last.latex.strip().rstrip(".,;")):
        return verdict
    step = _unverified(last, "an equation set to 0 with no derivative in the display: the text may be solving it (it"
                             " holds at its solution, which is not checked), so it is not called false as an identity")
    steps = (*verdict.steps[:-1], step)
    return replace(verdict, steps=steps, status=_equation_status(list(steps)))


def _sums_of_data(body) -> bool:
    r"""Whether a definition is made of sums of single components and numbers only (``\frac{1}{n} \sum_i y_i``, a
    mean): the sign of such a quantity is the sign of the data under it.

    >>> from symsoft.meaning.tensors import component
    >>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
    >>> _sums_of_data(sp.Sum(component("y_1", i), (i, 1, n)) / n), _sums_of_data(sp.Sum(component("y_1", i) ** 2, (i, 1, n)))
    (True, False)
    """
    body = sp.sympify(body)
    sums = [total for total in body.atoms(sp.Sum) if isinstance(total.function, sp.Indexed)]
    rest = body.xreplace({total: sp.Dummy() for total in sums})
    return bool(sums) and not rest.atoms(sp.Indexed, sp.Sum, sp.Function)


def _unsigned(step: StepVerdict, relation: str, exprs, reading: Reading) -> list:
    r"""The quantities of a refuted sign claim (``<``, ``>``, ``\leq``, ``\geq``) that the document neither defines nor
    gives a sign or a domain (``x_i`` in ``\frac{1}{2n} \sum_i x_i > 0``): their keys, or [] for any other step.

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> r = Reading.empty().with_tensor(TensorSpec("x", "x", ()))
    >>> _unsigned(StepVerdict(1, "x > 0", "refuted"), ">", (component("x"), sp.Integer(0)), r)
    ['x']
    >>> _unsigned(StepVerdict(1, "x = 0", "refuted"), "=", (component("x"), sp.Integer(0)), r)
    []
    >>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
    >>> mean = sp.Sum(component("x_1", i), (i, 1, n)) / n
    >>> m = r.with_tensor(TensorSpec("x_1", "x", ("n",))).with_tensor(TensorSpec("m", "m", (), definition=((), mean)))
    >>> _unsigned(StepVerdict(1, "m > 0", "refuted"), ">", (component("m"), sp.Integer(0)), m)
    ['x_1']
    """
    if step.status != "refuted" or relation not in ("<", ">", "<=", ">="):
        return []
    keys = {str(part.base) for expr in exprs for part in sp.sympify(expr).atoms(sp.Indexed)}
    if not any(sp.sympify(expr).has(PartialOf) for expr in exprs):  # -n/\bar{y} < 0, \bar{y} the y_i's mean
        keys |= {str(part.base) for spec in definitions_reached(keys, reading) if _sums_of_data(spec.definition[1])
                 for part in sp.sympify(spec.definition[1]).atoms(sp.Indexed)}
    return [key for key in sorted(keys) if key in reading.tensors and reading.tensors[key].definition is None
            and reading.tensors[key].domain == "real" and not reading.tensors[key].opaque]


def _named_in_this_display(verdict: EquationVerdict, eq: DisplayEquation, source: str, reading) -> EquationVerdict:
    r"""A refuted step whose left side is one component the document never defines and never writes before this
    display (``a_{h2} = \sigma(z_2)`` in a worked example, where ``a_{h1}`` came earlier): the display names it, so
    the step is unverified. The component is looked for as written, spaces and braces aside.

    >>> v = EquationVerdict("1", 3, "a_{h2} = s", (), "refuted", (StepVerdict(1, "a_{h2} = s", "refuted"),))
    >>> _named_in_this_display(v, DisplayEquation("1", 3, "a_{h2} = s"), "$$a_{h1} = s$$ $$a_{h2} = s$$", None).status
    'unverified'
    >>> _named_in_this_display(v, DisplayEquation("1", 3, "a_{h2} = s"), "$a_{h2}$ is 1. $$a_{h2} = s$$", None).status
    'refuted'
    """
    if verdict.status != "refuted" or source.find(eq.latex) < 0:
        return verdict
    before = re.sub(r"[\s{}]", "", source[:source.find(eq.latex)])
    steps = []
    for step in verdict.steps:
        if step.status == "refuted":
            try:
                head = parse_equation(step.latex).sides[0]
                note = head.placeholders.get(head.expr)
                key = keys_used(head, reading.lettered) if reading is not None else set()
            except (Exception, RecursionError):
                note, key = None, set()
            defined = reading is not None and any(getattr(reading.tensors.get(k), "definition", None) is not None
                                                  for k in key)
            written = re.sub(r"[\s{}]", "", head.text) if isinstance(note, Atom) else ""
            if written and "_" in written and not defined and written not in before:
                step = _unverified(step, f"${head.text.strip()}$ is first written in this display and never"
                                         " defined: the display may be where the author names it")
        steps.append(step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


#: how many of the equations above a step of solving may be combined from (the latest ones)
_PREMISES = 8


def _step_difference(latex: str, reading):
    """``(A - B, kinds)`` of a step ``A = B`` bound under ``reading`` (raises when it is not read so)."""
    chain = parse_equation(latex)
    if len(chain.sides) != 2 or tuple(chain.relations) != ("=",):
        raise BindingError("not one equation", latex)
    left, right = (_bind_generic(side, reading) for side in chain.sides)
    return left.expr - right.expr, {**left.kinds, **right.kinds}


def _equations_of(verdict: EquationVerdict, reading) -> list:
    """The equations a display proves (every step proved: at the solution of what is set to zero above, or as an
    identity), as ``(A - B, kinds)`` pairs: what a later step of solving may be combined from."""
    if verdict.status != "proved" or not verdict.steps:
        return []
    found = []
    for step in verdict.steps:
        try:
            found.append(_step_difference(step.latex, reading))
        except (Exception, RecursionError):
            continue
    return found


def _from_equations_above(verdict: EquationVerdict, premises: tuple, reading, timeout: float) -> EquationVerdict:
    r"""A step of solving (refuted as an identity, or unverified as one) that is a combination of the equations
    proved above with numbers for coefficients (``n \sum x_i y_i = n \sum x_i w_0 + ...`` after
    ``\sum x_i e_i = 0``, :func:`symsoft.decide.sizes.follows_from_equations`) holds wherever they do: proved at the
    solution, with the sizes checked."""
    if not premises or verdict.status not in ("refuted", "unverified") or not verdict.steps:
        return verdict
    steps = []
    for step in verdict.steps:
        solving = step.status == "refuted" or (step.message or "").startswith("a step of solving")
        sizes = ()
        if solving:
            try:
                difference, kinds = _step_difference(step.latex, reading)
                sizes = call_with_time_limit(follows_from_equations, (difference, premises, kinds, reading), timeout)
            except (Exception, RecursionError):
                sizes = ()
        if sizes:
            step = StepVerdict(step.number, step.latex, "proved", method="a combination of the equations above",
                               facts=("the equations set to zero above and the steps proved from them (so it holds"
                                      " wherever they do)",),
                               sizes=tuple((axis, found) for axis, found in sizes if axis))
        steps.append(step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


def _under_guards(verdict: EquationVerdict, eq: DisplayEquation, applied: frozenset = frozenset()) -> EquationVerdict:
    """A step refuted where the text states a condition the checker does not apply ("- if $a_m > 0$:") is
    unverified: the counterexample may break that condition. ``applied``: conditions read as domains."""
    applied = applied | {re.sub(r"\s+", "", g) for g in verdict.guards}
    guards = [g for g in eq.guards if re.sub(r"\s+", "", g) not in applied]
    if verdict.status != "refuted" or not guards:
        return verdict
    why = (f"the text states {', '.join('$' + g + '$' for g in guards)} for this equation, a condition the checker"
           " does not apply; the counterexample found may break it")
    return _unverify_refuted(verdict, lambda step: why)


def _implication(steps: list[StepVerdict], hypotheses: int) -> list[StepVerdict]:
    """Verdicts for ``A => B``: B refuted counts only when A was proved (then A holds where B fails)."""
    if all(s.status == "proved" for s in steps[:hypotheses]):
        return steps
    limited = any(s.limited for s in steps[:hypotheses])
    why = (ran_out("the proof search of the implication's hypothesis", "its limit of CPU time", "this step") if limited
           else "part of an implication whose hypothesis is not proved: not checked on its own")
    # a time limit stays a time limit: its reason is kept and the verdict is never remembered as a result
    return [s if s.status == "proved" or s.limited else
            replace(s, status="unverified", message=why, counterexample=None, repairs=(), limited=limited)
            for s in steps]


def _lone_steps(chain: Chain, first: int) -> list[StepVerdict]:
    r"""Unverified steps for the sides of a chain that stand in no relation the checker reads (``\sigma(z_i) \to 2``
    after a comment, a gathered row without a relation): a claim it cannot check is never silently dropped.

    >>> [s.message for s in _lone_steps(parse_equation(r"\begin{gathered} a = b \\ c \end{gathered}"), 2)]
    ['no relation the checker reads (=, <, \\leq, ...) in c: not checked']
    """
    lone = [equation.sides[0].text for equation in chain.equations() if chain.relations and not equation.relations]
    return [StepVerdict(first + number, text, "unverified",
                        message=f"no relation the checker reads (=, <, \\leq, ...) in {text}: not checked")
            for number, text in enumerate(lone)]


def _kind_conflicts(left: BoundSide, right: BoundSide) -> str:
    """Why the two sides cannot be compared: an index that is a class index on one side and a feature
    index on the other (``w_j^{(i)}`` against ``x_i``: the weight's indices read the other way round).
    """
    both = left.expr.free_symbols & right.expr.free_symbols
    for symbol in sorted(both, key=str):
        a, b = left.kinds.get(symbol), right.kinds.get(symbol)
        if a and b and a != b:
            return (f"the index {symbol} is a {a} index on the left and a {b} index on the right; the profile"
                    " reads w_j^{(i)} with j the feature and i the class, and the step compares the two readings")
    return ""


def _unfold(expr: sp.Expr, with_logits: bool) -> sp.Expr:
    """Replace defined notions by their definitions, without evaluating anything."""
    c, t = sp.Symbol("c__", integer=True), sp.Symbol("t__", integer=True)

    def softmax(e: Softmax) -> sp.Expr:
        return sp.exp(e.args[0]) / sp.Sum(sp.exp(Z[c]), (c, 1, CLASSES))

    out = expr.replace(lambda e: isinstance(e, Softmax), softmax)
    k = sp.Symbol("k__", integer=True)
    out = out.xreplace({LOSS: -sp.Sum(YHAT[k] * sp.log(sp.exp(Z[k]) / sp.Sum(sp.exp(Z[c]), (c, 1, CLASSES))), (k, 1, CLASSES))})
    if with_logits:
        out = out.replace(
            lambda e: isinstance(e, sp.Indexed) and e.base == Z,
            lambda e: sp.Sum(W[t, e.indices[0]] * X[t], (t, 1, FEATURES)),
        )
    return out


def _canonical(expr: sp.Expr) -> sp.Expr:
    """Rename summation indices by their nesting position, so that renamed dummies compare equal."""
    counter = iter(range(1000))

    def rename(s: sp.Sum) -> sp.Expr:
        var = s.limits[0][0]
        fresh = sp.Symbol(f"s{next(counter)}__", integer=True)
        return sp.Sum(s.function.xreplace({var: fresh}), (fresh, *s.limits[0][1:]))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def is_definition(left: BoundSide, right: BoundSide) -> bool:
    r"""True when both sides are the same once the profile's definitions are unfolded.

    >>> from symsoft.parse.latex import parse_side
    >>> p = load_profile("softmax")
    >>> a = bind_side(parse_side(r"\sigma(z_i)"), p)
    >>> b = bind_side(parse_side(r"\frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}}"), p)
    >>> is_definition(a, b)
    True
    """
    if left.expr == right.expr:
        return False
    uses_weights = any(e.has(W) or e.has(X) for e in (left.expr, right.expr))
    a = _canonical(_unfold(left.expr, uses_weights))
    b = _canonical(_unfold(right.expr, uses_weights))
    return sp.srepr(a) == sp.srepr(b)


def _budget(timeout: float, limit: TimeLimitExceeded) -> str:
    """The budget a limit that fired is about: the memory the process may use, or ``timeout`` seconds of CPU time."""
    return "the memory it may use" if isinstance(limit, MemoryLimitExceeded) else f"{timeout:g} s of CPU time"


def _search_ran_out(timeout: float, limit: TimeLimitExceeded) -> str:
    """A step's decision stopped at a limit (CPU time or memory)."""
    return ran_out("the proof search", _budget(timeout, limit))


def _step_latex(left: str, relation: str, right: str) -> str:
    return display_latex(f"{left} {_RELATION_LATEX[relation]} {right}")


def _decide_step(left, relation, right, kinds, conditions, classes) -> Outcome:
    # the all-C proof only when C was not fixed (by --classes or a "C = 2" condition)
    return decide(left, relation, right, kinds, conditions, classes, all_c=classes == DEFAULT_CLASSES)


def _search_repairs(left: BoundSide, relation: str, right_text: str, kinds: dict, conditions, classes,
                    profile: Profile, left_text: str, right_expr=None) -> tuple:
    letters = tuple(sorted({str(s) for s in kinds} | set(re.findall(r"_\{?([a-z])", right_text)) | set(re.findall(r"\\sum_\{([a-z])", right_text))))
    found = []
    opposite = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(relation)
    if opposite:
        outcome = decide(left.expr, opposite, right_expr, kinds, conditions, classes, every_c_refutation=False)
        if outcome.status == "proved":
            edit = f"the relation {_RELATION_LATEX[relation]} should be {_RELATION_LATEX[opposite]}"
            found.append((Candidate(right_text, edit, 0, 10**6), _step_latex(left_text, opposite, right_text)))
    features = sorted(str(k) for k, kind in kinds.items() if kind == "feature")
    factors = tuple(f"x_{f}" for f in features if f"x_{f}" not in right_text)
    try:  # candidates of a side the fast grammar reads are read by it alone: the slow fallback would only cost time
        with grammar_only():
            parse_side(right_text)
        reader = grammar_only
    except (Exception, RecursionError):
        reader = contextlib.nullcontext
    for candidate in candidate_edits(right_text, letters, inequality=relation != "=", factors=factors):
        try:
            with reader():
                bound = bind_side(parse_side(candidate.latex), profile)
        except (Exception, RecursionError):
            continue
        candidate_kinds = {**kinds, **{k: v for k, v in bound.kinds.items() if k in bound.expr.free_symbols}}
        if max(classes) > 4:  # screen at small C before paying for a large one
            screen = decide(left.expr, relation, bound.expr, candidate_kinds, conditions, (2, 3), all_c=False)
            if screen.status != "proved":
                continue
        outcome = decide(left.expr, relation, bound.expr, candidate_kinds, conditions, classes, every_c_refutation=False)
        if outcome.status == "proved":
            found.append((candidate, _step_latex(left_text, relation, candidate.latex)))
            if len(found) >= 3:
                break
    return order_repairs(found)


_DECIMAL = re.compile(r"\s*(-?\s*[0-9]*\.([0-9]+))\s*")


def _rounded_step(number: int, latex: str, left, relation: str, right) -> StepVerdict | None:
    r"""A number equal to a decimal written with d places (``-\log(0.245) = 1.406``): the author rounds, so the step
    holds when the exact value rounds to what is written (decided exactly, with 30 significant digits, never by
    sampling), and is false otherwise. None for any other step.

    >>> from symsoft.parse.latex import parse_side
    >>> a, b = (bind_side(parse_side(t), load_profile("softmax")) for t in (r"-\log(0.245)", "1.406"))
    >>> _rounded_step(1, "", a, "=", b).status, _rounded_step(1, "", a, "=", bind_side(parse_side("1.407"), load_profile("softmax"))).status
    ('proved', 'refuted')
    """
    if relation != "=":
        return None
    for exact, written in ((left, right), (right, left)):
        decimal, other = _DECIMAL.fullmatch(written.text), _DECIMAL.fullmatch(exact.text)
        if decimal is None or exact.expr.free_symbols or not exact.expr.is_number or (
                other is not None and len(other.group(2)) <= len(decimal.group(2))):
            continue  # 1.406 = 1.41: the one with fewer places is the rounded one
        value = sp.N(exact.expr, 30)
        if not (value.is_Float and value.is_finite) or abs(value) > 10 ** 12:
            return None  # not a plain number of a size a reader writes with decimals
        places = len(decimal.group(2))
        shown = sp.Float(decimal.group(1).replace(" ", ""), 30)
        if abs(value - shown) < sp.Float("1e-25", 30):
            return None  # the number written, to 25 places: an exact step, decided as any other
        close = abs(value - shown) <= sp.Float(5, 30) * sp.Float(10, 30) ** (-places - 1)
        unit = "decimal place" if places == 1 else "decimal places"
        words = f"{sp.N(value, places + 4)} rounds to {decimal.group(1).strip()} ({places} {unit})"
        if close:
            return StepVerdict(number, latex, "proved", method=f"a rounded value: {words}")
        return StepVerdict(number, latex, "refuted", message=f"{sp.N(value, places + 4)} is not {decimal.group(1).strip()}"
                                                           f" even rounded to {places} {unit}")
    return None


def _rounded_within(number: int, latex: str, left, relation: str, right, timeout: float) -> StepVerdict | None:
    """:func:`_rounded_step` under the step's time limit (a number such as ``10^{10^{10}}`` takes long to evaluate):
    None when it does not end in time, and the step is then decided as any other."""
    if relation != "=" or not (_DECIMAL.fullmatch(left.text) or _DECIMAL.fullmatch(right.text)):
        return None
    try:
        return call_with_time_limit(_rounded_step, (number, latex, left, relation, right), timeout)
    except (TimeLimitExceeded, Exception, RecursionError):
        return None


def _rounded_last(steps: list) -> list:
    """A rounded value is a result only at the end of its chain: before another step (``e = 2.7 = 27/10``) the steps
    after it would be about the rounded number, so it is unverified there."""
    out = list(steps)
    for position, step in enumerate(out[:-1]):
        if step.status == "proved" and (step.method or "").startswith("a rounded value"):
            out[position] = replace(step, status="unverified", method="",
                                    message=f"{step.method.removeprefix('a rounded value: ')}, but the chain goes on from"
                                            " the rounded number: not a step of an exact derivation")
    return out


def _check_step(number: int, left: BoundSide, relation: str, right: BoundSide, conditions, classes,
                timeout: float, profile: Profile) -> StepVerdict:
    latex = _step_latex(left.text, relation, right.text)
    assumptions = tuple(dict.fromkeys(left.assumptions + right.assumptions))
    rounded = _rounded_within(number, latex, left, relation, right, timeout)
    if rounded is not None:
        return rounded
    if relation == "!=":
        return StepVerdict(number, latex, "unverified", message="a claim with \\neq is not checked")
    swapped = _kind_conflicts(left, right)
    if swapped:
        return StepVerdict(number, latex, "unverified", message=swapped)
    kinds = _free_kinds(left, right)
    try:
        outcome = call_with_time_limit(_decide_step, (left.expr, relation, right.expr, kinds, conditions, classes), timeout)
    except TimeLimitExceeded as error:
        return StepVerdict(number, latex, "unverified", message=_search_ran_out(timeout, error), limited=True)
    except (Exception, RecursionError) as error:  # any failure is a reason, never a traceback
        return StepVerdict(number, latex, "unverified", message=f"could not evaluate: {error}")
    limited = False  # a note or a repair search that ran out of time leaves a verdict that is never remembered
    at_data = _value_at_data(left.expr, right.expr) if outcome.status == "refuted" else ""
    if at_data:
        return StepVerdict(number, latex, "unverified", message=at_data)
    facts = tuple(dict.fromkeys(outcome.facts + tuple(a for a in assumptions)))
    message = outcome.message
    if outcome.status == "proved" and relation in _STRICT:
        try:
            strict = call_with_time_limit(_decide_step, (left.expr, _STRICT[relation], right.expr, kinds, conditions, classes), timeout)
            if strict.status == "proved":
                note = f"the bound is strict ({_RELATION_LATEX[_STRICT[relation]]}) for C >= 2"
                message = f"{message}; {note}" if message else note
        except TimeLimitExceeded:
            limited = True
        except Exception:
            pass
    if outcome.status == "proved" and relation == "=" and "label_sum" not in outcome.facts:
        try:
            if call_with_time_limit(simplifies_with_label_sum, (right.expr, kinds, conditions), timeout):
                note = "with sum_k yhat_k = 1 (one-hot or probability labels) the right-hand side simplifies further"
                message = f"{message}; {note}" if message else note
        except TimeLimitExceeded:
            limited = True
        except Exception:
            pass
    repairs = ()
    if outcome.status == "refuted":
        try:
            repairs = call_with_time_limit(
                _search_repairs, (left, relation, right.text, kinds, conditions, classes, profile, left.text, right.expr), timeout * 4
            )
        except TimeLimitExceeded:
            limited = True
        except Exception:
            repairs = ()
    return StepVerdict(
        number=number,
        latex=latex,
        status=outcome.status,
        method=outcome.method,
        facts=facts,
        for_all_c=outcome.for_all_c,
        classes=outcome.classes,
        features=outcome.features,
        for_every_d=outcome.for_every_d or (outcome.for_all_c and bool(outcome.features)),
        counterexample=outcome.counterexample,
        repairs=repairs,
        message=message,
        holds_when=outcome.holds_when,
        limited=limited,
    )


def tail_conditions(tail: str) -> tuple[str, ...]:
    r"""Index conditions written inside a display after the formula (``\text{if } i = j``).

    >>> tail_conditions(r"\text{if } i \neq j")
    ('i != j',)
    >>> tail_conditions(r"\forall i = 1, \dots, N"), tail_conditions(r"\qquad \forall j \neq i")
    ((), ('j != i',))
    """
    if re.search(r"\b(else|otherwise)\b", tail):
        return ()
    found = []
    for a, relation, b in re.findall(r"(?<![a-zA-Z\\])([a-zA-Z])\s*(=|\\neq|\\ne(?![a-z])|!=|\\not=)\s*([a-zA-Z])(?![a-zA-Z])", tail):
        found.append(f"{a} {'=' if relation == '=' else '!='} {b}")
    return tuple(found)


def _tail_findings(tail: str, sides: list[BoundSide], line: int) -> list[Finding]:
    """Lint the prose tail of a display such as ``\\forall i = 1, \\dots, N``."""
    match = re.search(r"\\forall\s*([a-zA-Z])\s*=\s*1\s*,\s*(?:\\[lc]?dots|\.\.\.)\s*,\s*([A-Za-z])", tail)
    if not match:
        return []
    name, bound = match.groups()
    kind = next((s.kinds.get(index(name)) for s in sides if s.kinds.get(index(name))), None)
    expected = {"class": "C", "feature": "D"}.get(kind or "")
    sums = {str(lim[2]) for s in sides for su in s.expr.atoms(sp.Sum) for lim in su.limits}
    if expected and bound != expected:
        detail = f" while the sum runs to {expected}" if expected in sums else ""
        return [Finding(line, "index_range", f"{name} runs to {bound}{detail}: {name} is a {kind} index, so it runs to {expected}")]
    return []


#: Most claims the cases blocks of one display may expand to (each block multiplies them by its rows).
MAX_CASE_CLAIMS = 16
#: Most relations one display may chain (``a = b = c ...``); a longer one is unverified, not checked.
MAX_EQUATION_STEPS = 100
#: Most steps ``check`` decides in one document (a deterministic budget, beside the wall-clock ``doc_timeout``):
#: the equations after it is spent are unverified with reason ``budget``. Steps answered from a memo count too.
MAX_DOCUMENT_STEPS = 1000
_CASES = re.compile(r"\\begin\{cases\}(?P<body>.*?)\\end\{cases\}", re.DOTALL)


def case_branches(body: str) -> list[tuple[str, tuple[str, ...]]]:
    r"""The branches of a ``cases`` block: (expression, conditions) per row; "otherwise" negates the others.

    >>> case_branches(r"a & \text{if } i = j \\ b & \text{otherwise}")
    [('a', ('i = j',)), ('b', ('i != j',))]
    """
    rows = [row for row in re.split(r"\\\\(?:\s*\[[^\]]*\])?", body) if row.strip()]
    branches: list[tuple[str, tuple[str, ...]]] = []
    pending = []
    for row in rows:
        expression, _, condition = row.partition("&")
        found = tail_conditions("\\text{if } " + condition.replace("\\text{if}", " ").replace("\\text{if }", " "))
        if not found and re.search(r"otherwise|else", condition):
            pending.append(expression.strip().rstrip(",").strip())
            continue
        branches.append((expression.strip().rstrip(",").strip(), found or _sign_condition(condition)))
    for expression in pending:
        others = [c for _, conds in branches for c in conds]
        if len(others) == 1 and others[0].startswith(GUARD):  # x > 0, else: x < 0 (x = 0 is left unchecked)
            flipped = others[0].replace(" > 0", " < 0") if " > 0" in others[0] else others[0].replace(" < 0", " > 0")
            branches.append((expression, (flipped,)))
        elif len(others) == 1:
            a, relation, b = others[0].split()
            branches.append((expression, (f"{a} {'!=' if relation == '=' else '='} {b}",)))
        else:
            branches.append((expression, ()))
    return branches


#: marks a branch condition that compares a quantity with 0 (``x > 0``): applied as a guard, not an index case
GUARD = "guard: "


def _sign_condition(condition: str) -> tuple[str, ...]:
    r"""A row's condition that compares one letter with 0, strictly (``\text{if } z_i > 0``, ``x < 0``), as a guard
    of :data:`GUARD`; else ().

    >>> _sign_condition(r"\text{if } z_i > 0"), _sign_condition(r"0 > x"), _sign_condition(r"x \geq 0")
    (('guard: z_i > 0',), ('guard: x < 0',), ())
    """
    text = re.sub(r"\\(?:text|mbox|textrm|mathrm)\s*\{\s*(?:if|for|when)?\s*\}|\bif\b|[,.;]\s*$", " ", condition).strip()
    found = re.fullmatch(r"([a-zA-Z](?:_\{?[a-zA-Z0-9]\}?)?)\s*([<>])\s*0|0\s*([<>])\s*([a-zA-Z](?:_\{?[a-zA-Z0-9]\}?)?)",
                         text)
    if found is None:
        return ()
    if found.group(1):
        return (f"{GUARD}{found.group(1)} {found.group(2)} 0",)
    return (f"{GUARD}{found.group(4)} {'<' if found.group(3) == '>' else '>'} 0",)


def _summed_cases(latex: str, match: re.Match, branches: list) -> str | None:
    r"""``latex`` with a cases block that is the summand of a sum over its condition's index written with a Kronecker
    delta (the branches then are terms of one sum, not claims of their own); None for any other cases block.

    >>> text = r"a_j = \sum_i \begin{cases} b_i & i = j \\ c_i & i \ne j \end{cases}"
    >>> _summed_cases(text, _CASES.search(text), case_branches(_CASES.search(text).group("body")))
    'a_j = \\sum_i (\\delta_{ij} (b_i) + (1 - \\delta_{ij}) (c_i))'
    """
    if len(branches) != 2 or any(len(conds) != 1 or conds[0].startswith(GUARD) for _, conds in branches):
        return None
    (first, (one,)), (second, (other,)) = branches
    a, relation, b = one.split()
    if {one, other} != {f"{a} = {b}", f"{a} != {b}"}:
        return None
    before = re.split(r"=|\\[lg]eq?(?![a-zA-Z])|&", latex[: match.start()])[-1]
    if not re.search(r"\\sum(?:\\limits)?\s*_\s*\{?\s*(?:%s|%s)(?![a-zA-Z])" % (a, b), before):
        return None
    equal, unequal = (first, second) if relation == "=" else (second, first)
    delta = "\\delta_{%s%s}" % (a, b)
    return f"{latex[: match.start()]}({delta} ({equal}) + (1 - {delta}) ({unequal})){latex[match.end():]}"


def _check_cases(eq: DisplayEquation, match: re.Match, profile: Profile, classes, timeout: float,
                 reading: Reading | None = None, force_generic: bool = False) -> tuple[EquationVerdict, list[Finding]]:
    """Check an equation with a ``cases`` block as one claim per branch under the branch's condition."""
    branches = case_branches(match.group("body"))
    if not branches or any(not conds for _, conds in branches):
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message="a cases block whose rows do not each state a condition"), []
    combinations = 1
    for block in _CASES.finditer(eq.latex):  # every block multiplies the claims to check by its rows
        combinations *= max(1, len(re.findall(r"\\\\", block.group("body"))) + 1)
    if combinations > MAX_CASE_CLAIMS:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message=f"too many cases: its cases blocks make {combinations} claims to check"
                                       f" (at most {MAX_CASE_CLAIMS}); write the cases as separate equations"), []
    summed = _summed_cases(eq.latex, match, branches)
    if summed is not None:  # \sum_i \begin{cases} a & i = j \\ b & i \ne j \end{cases}: one summand, not two claims
        return check_equation(replace(eq, latex=summed), profile, classes, timeout, reading, force_generic=force_generic)
    steps, findings = [], []
    for expression, conds in branches:
        latex = eq.latex[: match.start()] + "(" + expression + ")" + eq.latex[match.end():]
        guards = tuple(c[len(GUARD):] for c in conds if c.startswith(GUARD))
        conds = tuple(c for c in conds if not c.startswith(GUARD))
        branch = replace(eq, latex=latex, conditions=eq.conditions + conds, guards=eq.guards + guards)
        verdict, found = check_equation(branch, profile, classes, timeout, reading,
                                        force_generic=force_generic or bool(guards))  # guards apply in the reading
        verdict = _under_guards(verdict, branch)  # a row's own condition not applied: nothing refuted without it
        conds = conds + guards
        findings.extend(found)
        condition = ", ".join(conds)
        for step in verdict.steps:  # every step of the branch is a claim, not only its first
            steps.append(replace(step, number=len(steps) + 1, message=(f"case {condition}: " + step.message).rstrip(": ")))
        if not verdict.steps:
            steps.append(StepVerdict(len(steps) + 1, latex, "unverified", message=verdict.message, limited=verdict.limited))
    status = _equation_status(steps)
    return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, status, tuple(steps)), _dedupe(findings)


#: Entries of one step of a display with matrices written out that are checked at most (each is a claim).
MAX_MATRIX_ENTRIES = 36


def _check_matrices(eq: DisplayEquation, display: MatrixDisplay, profile: Profile, classes, timeout: float,
                    reading: Reading | None, force_generic: bool) -> EquationVerdict:
    """Check a display with matrices written out, entry by entry: a step ``A = B`` holds when every entry written
    holds; a Jacobian ``\\partial a / \\partial z`` (or ``J_z(a)``) beside a matrix is read in the numerator
    layout (entry (r, c) is ``\\partial a_r / \\partial z_c``) or, when that fails and the denominator layout
    holds, in that one. A matrix with elided entries is checked at what it writes, its last row and column
    numbered one after the numbered ones (:meth:`~symsoft.parse.latex.MatrixDisplay.entries`)."""
    grids = [side for side in display.sides if isinstance(side, tuple)]
    base = 0 if any(re.search(r"_\s*\{?\s*0\s*\}?", entry) for grid in grids for row in grid for entry in row) else 1
    steps = []
    for position, relation in enumerate(display.relations, start=1):
        if relation != "=":
            continue  # a mapping (\to) claims nothing between its sides
        pair = (position - 1, position)
        left, right = (display.sides[p] for p in pair)
        text = " = ".join(display_latex(side) if isinstance(side, str) else "\\begin{pmatrix} %s \\end{pmatrix}"
                          % " \\\\ ".join(" & ".join(row) for row in side) for side in (left, right))
        written = {p: display.entries(p, base) for p in pair if isinstance(display.sides[p], tuple)}

        def unverified(message: str) -> StepVerdict:
            return StepVerdict(len(steps) + 1, text, "unverified", message=message)

        if not written:  # a step of the chain between two sides not written out: checked as such
            verdict, inner = _one_claim(eq, f"{left} = {right}", profile, classes, timeout, reading, force_generic)
            steps.append(replace(inner, number=len(steps) + 1) if inner is not None
                         else unverified(verdict.message or "not decided"))
            continue
        if any(entries is None for entries in written.values()):
            steps.append(unverified("a matrix with elided entries (\\dots) whose rows and columns cannot be numbered"))
            continue
        labels = [set(entries) for entries in written.values()]
        if len(labels) == 2 and labels[0] != labels[1]:
            steps.append(unverified("the two matrices do not have the same entries written (different shapes)"))
            continue
        if len(labels[0]) > MAX_MATRIX_ENTRIES:
            steps.append(unverified(f"too many entries: {len(labels[0])} (at most {MAX_MATRIX_ENTRIES})"))
            continue
        step = numerator = None
        columns = len({column for _row, column in labels[0]})
        jacobian = columns > 1 and any("partial" in (display.component(p, 1, 2) or "") for p in pair if p not in written)
        for transposed in (False, True):
            entries = []
            for row, column in sorted(labels[0]):
                a, b = (written[p][row, column] if p in written
                        else display.component(p, row, column, transposed, columns,
                                                reading is not None and reading.row_vectors) for p in pair)
                entries.append(((row, column), a, b))
            if any(a is None or b is None for _at, a, b in entries):
                step = unverified("a side that is not written out is read as a Jacobian or a vector only")
                break
            last = max(n for label in labels[0] for n in label) if display.elided else None
            step = _entries_step(len(steps) + 1, text, eq, entries, profile, classes, timeout, reading, force_generic,
                                 transposed, last)
            if step.status != "refuted" or not jacobian:
                break
            numerator = numerator or step
        steps.append(numerator if step.status == "refuted" and numerator is not None else step)
    if not steps:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message="a mapping between matrices, written out")
    return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, _equation_status(steps), tuple(steps))


def _check_entry_claims(eq: DisplayEquation, claims: tuple[str, str], profile: Profile, classes, timeout: float,
                        reading: Reading | None, force_generic: bool) -> EquationVerdict:
    """Check a display in matrix notation by its entry (r, c) (:func:`~symsoft.parse.latex.matrix_entry_claims`):
    in the numerator layout, or, when only that one is refuted and the denominator layout holds, in that one."""
    numerator = check_equation(replace(eq, latex=claims[0]), profile, classes, timeout, reading,
                               force_generic=force_generic)[0]
    chosen, layout = numerator, ""
    if numerator.status == "refuted":
        denominator = check_equation(replace(eq, latex=claims[1]), profile, classes, timeout, reading,
                                     force_generic=force_generic)[0]
        if denominator.status == "proved":
            chosen, layout = denominator, " (the Jacobian in the denominator layout)"
    steps = tuple(replace(step, message=f"entry (r, c): {step.message}" if step.message else "entry (r, c)",
                          method=(step.method + layout) if step.method else step.method) for step in chosen.steps)
    return replace(chosen, latex=eq.latex, steps=steps,
                   message=f"entry (r, c): {chosen.message}" if chosen.message else chosen.message)


def _one_claim(eq: DisplayEquation, latex: str, profile: Profile, classes, timeout: float, reading: Reading | None,
               force_generic: bool) -> tuple[EquationVerdict, StepVerdict | None]:
    """Check ``latex`` (one relation) as an equation in ``eq``'s place: its verdict and its one step (or None)."""
    verdict, _found = check_equation(replace(eq, latex=latex), profile, classes, timeout, reading,
                                     force_generic=force_generic)
    return verdict, verdict.steps[0] if len(verdict.steps) == 1 else None


def _entries_step(number: int, text: str, eq: DisplayEquation, entries: list, profile: Profile, classes,
                  timeout: float, reading: Reading | None, force_generic: bool, transposed: bool,
                  last: int | None = None) -> StepVerdict:
    """One step of a matrix display from the verdicts of its entries (each checked as its own equation). ``last``:
    the number given to an elided matrix's last row and column, a reading of ours: an entry there may be proved
    but never refuted (the document may fix a size below it)."""
    first_unverified = None
    for (row, column), a, b in entries:
        verdict, inner = _one_claim(eq, f"{a} = {b}", profile, classes, timeout, reading, force_generic)
        entry = f"entry ({row}, {column})"
        if verdict.status == "refuted" and last in (row, column):
            if first_unverified is None:
                first_unverified = StepVerdict(number, text, "unverified",
                                               message=f"{entry}, {a} = {b}: false as numbered here, but the last row"
                                                       " and column of an elided matrix are numbered by the checker")
            continue
        if verdict.status == "refuted":
            if inner is None:
                return StepVerdict(number, text, "refuted", message=f"{entry} is false")
            return replace(inner, number=number, latex=text, repairs=(),
                           message=f"{entry}, {a} = {b}: " + (inner.message or "false"))
        if verdict.status != "proved" and first_unverified is None:
            reason = (inner.message if inner is not None else verdict.message) or "not decided"
            first_unverified = StepVerdict(number, text, "unverified", message=f"{entry}, {a} = {b}: {reason}",
                                           limited=verdict.limited or (inner is not None and inner.limited))
    if first_unverified is not None:
        return first_unverified
    layout = " (the Jacobian in the denominator layout)" if transposed else ""
    which = "every entry written proved, the last row and column numbered after the others" if last is not None \
        else "every entry proved"
    return StepVerdict(number, text, "proved", method=which + layout)


def _generic_repairs(left: BoundTensorSide, relation: str, right_text: str, kinds: dict, conditions, reading: Reading,
                     left_text: str) -> tuple:
    """Single edits of the written right-hand side that make the step proved under the document's reading."""
    letters = tuple(sorted({str(s) for s in kinds} | set(re.findall(r"_\{?([a-z])", right_text))))
    found = []
    for candidate in candidate_edits(right_text, letters, inequality=relation != "="):
        try:
            bound = bind_tensor_side(parse_side(candidate.latex), reading)
        except (Exception, RecursionError):
            continue
        candidate_kinds = {**{k: v for k, v in bound.kinds.items() if k in bound.expr.free_symbols}, **kinds}
        if decide_sizes(left.expr, relation, bound.expr, candidate_kinds, conditions, reading).status == "proved":
            found.append((candidate, _step_latex(left_text, relation, candidate.latex)))
            if len(found) >= 3:
                break
    return order_repairs(found)


def _merged_kinds(left: BoundTensorSide, right: BoundTensorSide) -> dict:
    """The axis of each free index of a step: a named axis from either side wins over an index's own axis."""
    free = left.expr.free_symbols | right.expr.free_symbols
    kinds = {}
    for side in (left, right):
        for index, axis in side.kinds.items():
            if index in free and (index not in kinds or kinds[index].startswith(ANONYMOUS)):
                kinds[index] = axis
    return kinds


def _two_axes(left: BoundTensorSide, right: BoundTensorSide) -> dict:
    """The free indices of a step that run over two axes, within a side or between the sides (j over D on the
    left, over H on the right)."""
    mixed = {index: set(axes) for side in (left, right) for index, axes in side.two_axes.items()}
    for index, axis in left.kinds.items():
        other = right.kinds.get(index)
        if other is not None and other != axis and not (axis.startswith(ANONYMOUS) or other.startswith(ANONYMOUS)):
            mixed.setdefault(index, set()).update((axis, other))
    return {index: tuple(sorted(axes)) for index, axes in mixed.items()}


def _generic_step(number: int, left: BoundTensorSide, relation: str, right: BoundTensorSide, conditions,
                  timeout: float, reading: Reading, guards: tuple = ()) -> StepVerdict:
    """One step decided under the document's reading (named axes, the document's definitions)."""
    latex = _step_latex(left.text, relation, right.text)
    rounded = _rounded_within(number, latex, left, relation, right, timeout)
    if rounded is not None:
        return rounded
    kinds = _merged_kinds(left, right)
    mixed = _two_axes(left, right)
    for total in sorted((t for side in (left, right) for t in side.expr.atoms(sp.Sum)), key=sp.default_sort_key):
        for variable, _low, high in total.limits:  # \sum_{k=1}^N ... + \lambda w_k, k a feature: two indices named k
            if variable in kinds and isinstance(high, sp.Symbol) and high != size_symbol(kinds[variable]):
                return StepVerdict(number, latex, "unverified",
                                   message=f"the index {variable} is summed to {high} and also free over "
                                           f"{kinds[variable].lstrip(ANONYMOUS)}: which one each {variable} is, is not read")
    try:
        outcome = call_with_time_limit(decide_sizes, (left.expr, relation, right.expr, kinds, conditions, reading, guards,
                                                      not mixed), timeout)
        for index, axes in sorted(mixed.items(), key=str):  # each axis in turn, so it meets the other indices of it
            for axis in axes:
                if outcome.status != "refuted" and kinds.get(index) != axis:
                    outcome = call_with_time_limit(decide_sizes, (left.expr, relation, right.expr, {**kinds, index: axis},
                                                                  conditions, reading, guards, False), timeout)
    except TimeLimitExceeded as error:
        return StepVerdict(number, latex, "unverified", message=_search_ran_out(timeout, error), limited=True)
    except (Exception, RecursionError) as error:
        return StepVerdict(number, latex, "unverified", message=f"could not evaluate: {error}")
    if mixed:  # an index over two axes: a counterexample is an instance of what is written; no proof covers it
        index, axes = sorted(mixed.items(), key=str)[0]
        why = f"the index {index} runs over {axes[0]} in one place and over {axes[1]} in another"
        if outcome.status == "refuted":
            outcome = replace(outcome, message=f"{outcome.message}; {why}")
        else:
            return StepVerdict(number, latex, "unverified", message=f"{why}: not proved for the positions both have")
    if outcome.status == "unverified" and not reading.other_activation and _open_functions(left.expr - right.expr,
                                                                                          reading):
        outcome = _refuted_for_chosen_functions(left, relation, right, kinds, conditions, reading, guards, timeout) \
            or outcome
    undecided = _undecided_by_reading(outcome, left.expr, right.expr, reading)
    if undecided:
        return StepVerdict(number, latex, "unverified", message=undecided)
    repairs, limited = (), False
    if outcome.status == "refuted":
        try:
            repairs = call_with_time_limit(_generic_repairs, (left, relation, right.text, kinds, conditions, reading,
                                                              left.text), timeout * 4)
        except TimeLimitExceeded:
            limited = True
        except Exception:
            repairs = ()
    return StepVerdict(number=number, latex=latex, status=outcome.status, method=outcome.method, facts=outcome.facts,
                       counterexample=outcome.counterexample, repairs=repairs, message=outcome.message,
                       holds_when=outcome.holds_when, sizes=outcome.sizes, limited=limited)


#: the functions a claim made for every function is tried with: two common activations, so that a counterexample
#: never rests on a choice no author would make
_CHOSEN_FUNCTIONS = (("the sigmoid", sp.Lambda(sp.Symbol("u"), 1 / (1 + sp.exp(-sp.Symbol("u"))))),
                     ("tanh", sp.Lambda(sp.Symbol("u"), sp.tanh(sp.Symbol("u")))))


def _open_functions(difference: sp.Expr, reading: Reading) -> list:
    """The functions nothing defines that a step uses, itself or through the definitions of what it names."""
    found = set(unknown_functions(difference))
    for spec in definitions_reached({str(part.base) for part in difference.atoms(sp.Indexed)}, reading):
        found |= unknown_functions(spec.definition[1])
    if any(name.startswith(OPEN_PREFIX) for name in found):
        return []  # an opened quantity: no function is chosen for it, so nothing is refuted on it
    return sorted(found)


def _refuted_for_chosen_functions(left: BoundTensorSide, relation: str, right: BoundTensorSide, kinds: dict,
                                  conditions, reading: Reading, guards: tuple, timeout: float) -> Outcome | None:
    """A step about functions the document leaves open (``g_k``, ``f``), refuted when it is false with each of two
    common activations in their place: it then fails for some function, so it is not true of every one. None when
    it holds for either (or cannot be decided). Never tried where the document names another activation (linear,
    ReLU, ...): the open function may be that one (``Reading.other_activation``)."""
    names = _open_functions(left.expr - right.expr, reading)
    letters = {re.split(r"[_^]", str(part.base))[0] for part in (left.expr - right.expr).atoms(sp.Indexed)}
    if {name.split("_")[0] for name in names} & letters:
        return None  # s(a + b) beside s a: s may be a number times a bracket, not a function
    if any(len([a for a in call.args if not a.is_integer]) > 1 for call in (left.expr - right.expr).atoms(AppliedUndef)
           if call.func.__name__ in names):
        return None  # p(x | \mu, \sigma): a function of data and parameters, the one the author means, no activation
    found = []
    for name, chosen in _CHOSEN_FUNCTIONS:
        try:
            outcome = call_with_time_limit(decide_sizes, (
                with_functions_chosen(left.expr, chosen), relation, with_functions_chosen(right.expr, chosen), kinds,
                conditions, reading_with_functions_chosen(reading, chosen), guards, True), timeout)
        except (TimeLimitExceeded, Exception, RecursionError):
            return None
        if outcome.status != "refuted":
            return None
        found.append((name, outcome))
    name, outcome = found[0]
    said = ", ".join(names)
    return replace(outcome, message=(f"{outcome.message}; " if outcome.message not in ("", "false") else "")
                   + f"{said}, which the document leaves open, taken as {name} (false with {found[1][0]} too): the"
                     " step does not hold for every function")


def _undecided_by_reading(outcome: Outcome, lhs: sp.Expr, rhs: sp.Expr, reading: Reading) -> str:
    """Why an outcome says nothing under this reading, or "": a function the document never defines (any f: no
    proof, and a counterexample would choose one), a one-hot statement no tensor could take, two letters that may
    be one quantity (a counterexample then proves nothing)."""
    unknown = sorted({type(f).__name__ for side in (lhs, rhs) for f in side.atoms(AppliedUndef)})
    if outcome.status == "unverified" and unknown:
        return (f"{unknown[0]} is any function here (the document does not define it): not proved for every function,"
                " and a counterexample would have to choose one")
    if outcome.status != "refuted":
        return ""
    valued = outcome.counterexample.values if outcome.counterexample is not None else ()
    stated = sorted({re.split(r"[_^]", name)[0] for name, _value in valued} & reading.unapplied)
    if stated:
        return (f"the text says {stated[0]} is one-hot or sums to one, which the checker could not apply; the"
                " counterexample found may break it")
    apart = _written_apart((lhs, rhs), reading)
    if apart:
        return f"{apart}: the document does not say whether they are one quantity, and the step is false if they are two"
    return _value_at_data(lhs, rhs)


def _value_at_data(lhs: sp.Expr, rhs: sp.Expr) -> str:
    r"""Why a refuted step may be a value at particular data, or "": one side a number that is no integer
    (``E' = -10/3``, ``\sigma(z) = 0.5``), the other an expression of letters the step gives no value: the author
    evaluates at values given elsewhere (a table, a worked example), so a counterexample at other values proves
    nothing. Identities with a number on one side are written with integers (``\sum_k p_k = 1``, ``= 0``).

    >>> x = sp.IndexedBase("x")[0]
    >>> _value_at_data(x ** 2, sp.Rational(-10, 3))[:40], _value_at_data(x ** 2, sp.Integer(1))
    ('a number for an expression of x (a value', '')
    """
    for number, other in ((lhs, rhs), (rhs, lhs)):
        if number.is_number and not number.is_integer and number.is_real is not False:
            letters = sorted({shown_key(str(part.base)) for part in other.atoms(sp.Indexed)}
                             | {str(symbol) for symbol in other.free_symbols
                                if isinstance(symbol, sp.Symbol) and not symbol.is_integer})
            if letters:
                return (f"a number for an expression of {', '.join(letters)} (a value at particular data, given"
                        " elsewhere and not read here): not an identity, so not refuted at other values")
    return ""


def _written_apart(exprs, reading: Reading) -> str:
    r"""Two letters of a step that differ only by a layer or sample mark in parentheses (``a_i`` and ``a_i^{(2)}``),
    neither defined by the document: the author may write one quantity both ways, so a counterexample that gives
    them two values proves nothing. So are the true class y (``-\log a_y``) beside an undefined vector of its letter
    (``a_j - y_j``: Nielsen's one-hot y), and ``a^{(3)}_1`` beside a defined scalar ``a^{(3)}``. Returns the two, in
    words, or "".

    >>> from symsoft.meaning.tensors import Reading
    >>> a, a2 = sp.IndexedBase("a"), sp.IndexedBase("a^{(2)}")
    >>> i = sp.Symbol("i", integer=True)
    >>> _written_apart((a[i], a2[i]), Reading({}))
    'a and a^{(2)} are written apart'
    """
    names = {str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}
    names |= {symbol.name for expr in exprs for symbol in expr.free_symbols if not symbol.is_integer}
    defined = {spec.base for spec in reading.tensors.values() if spec.definition is not None}
    for name in sorted(names):
        plain = re.sub(r"\^\{\s*\([^(){}]*\)\s*\}", "", name)
        if plain != name and plain in names and not {plain, name} & defined:
            return f"{plain} and {name} are written apart"
    shapes: dict = {}  # x^{(i)} beside x_j^{(i)}: one letter in two shapes (a model with one feature, then with n)
    parts, todo, seen = set(), [p for expr in exprs for p in expr.atoms(sp.Indexed)], set()
    while todo:  # what the step names, and what the definitions it uses name
        part = todo.pop()
        parts.add(part)
        spec = reading.tensors.get(str(part.base))
        if spec is not None and spec.definition is not None and spec.key not in seen:
            seen.add(spec.key)
            todo.extend(sp.sympify(spec.definition[1]).atoms(sp.Indexed))
    loose = set()  # the shapes never defined: z_k beside a defined z_k^{(3)} may be the author's shorthand for it
    for part in parts:
        spec = reading.tensors.get(str(part.base))
        if spec is not None:
            shapes.setdefault(spec.base, set()).add(str(part.base))
            if spec.definition is None:
                loose.add(str(part.base))
        elif not re.fullmatch(r"[0-9]+|e|d", str(part.base)):  # a letter the reading has no entry for: \hat{y} bare
            shapes.setdefault(re.split(r"[\^_](?=\d)", str(part.base))[0], set()).add(str(part.base))
            loose.add(str(part.base))
    for base, keys in sorted(shapes.items()):
        counts = sorted({len(re.findall(r"[_^]", key)) for key in keys})
        if len(counts) > 1 and (base not in defined or keys & loose and keys - loose):
            return f"{base} is written with {counts[0]} and with {counts[1]} indices"
        # x^{(i)} beside x_i: the sample's index written above in one place and below in another
        places = {"".join(sorted(re.findall(r"[_^]", key))) for key in keys}
        if len(places) > 1 and len(counts) == 1 and (base not in defined or keys & loose and keys - loose):
            return f"{base} is written with its index above ({base}^{{(i)}}) and below ({base}_i)"
    # theta beside theta_{0}, a named scalar: the bare letter may be the author's name for it (or for all of them)
    used = {str(part.base) for part in parts}
    written = {str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}  # in the step itself
    bare = {name.lstrip("\\") for name in written if (spec := reading.tensors.get(name)) is None
            or spec.definition is None}
    for name in sorted(used):
        numbered = re.fullmatch(r"(\\?[a-zA-Z]+)_\{?[0-9]+\}?", name)
        if numbered and numbered.group(1).lstrip("\\") in bare:
            return f"{numbered.group(1)} and {name} are written apart"
    for part in sorted(parts, key=str):  # -\log a_y, then a_j - y_j: the true class y, and a vector y of its own?
        spec = reading.tensors.get(str(part.base))
        letter = spec.base if spec is not None else re.sub(r"(?:\^[0-9]+)?(?:_[0-9]+)?$", "", str(part.base))
        if letter in reading.constant_letters and (spec is None or spec.definition is None) and part.indices:
            return f"{letter} (the true class) and the vector {letter}_{{{part.indices[0]}}} are written apart"
    for name in sorted(written - {spec.base for spec in reading.tensors.values() if spec.definition is not None}):
        unnumbered = re.sub(r"_\{?[0-9]+\}?", "", name, count=1)  # a^{(3)}_1 beside a defined scalar a^{(3)}
        if unnumbered != name and "^{(" in unnumbered and (spec := reading.tensors.get(unnumbered)) is not None \
                and not spec.axes and spec.definition is not None:
            return f"{unnumbered} and {name} are written apart"
    # W^{(2)} beside W_2: a layer numbered above in one place and below in another may be one quantity
    layers = {(match.group(1), int(match.group(2))) for part in parts
              if (match := re.fullmatch(r"(\\?[a-zA-Z]+)\^\{\s*\(\s*([0-9]+)\s*\)\s*\}", str(part.base)))}
    for part in sorted(parts, key=str):
        spec = reading.tensors.get(str(part.base))
        if len(part.indices) == 1 and part.indices[0].is_Integer and (spec is None or spec.definition is None) \
                and (spec.base if spec is not None else str(part.base).split("_")[0], int(part.indices[0])) in layers:
            letter = spec.base if spec is not None else str(part.base).split("_")[0]
            return f"{letter}^{{({part.indices[0]})}} and {letter}_{{{part.indices[0]}}} are written apart"
    return ""


def _generic_equation(eq: DisplayEquation, chain: Chain, reading: Reading, definitions: int, timeout: float
                      ) -> EquationVerdict:
    """An equation read under the document's reading: its first ``definitions`` steps define, the rest are decided."""
    reading = _piecewise_under(reading, eq.guards)
    vector = whole_vector(chain.sides, reading)
    index = _fresh_index(eq.latex, reading) if vector is not None else ""
    if index:  # \frac{\partial L}{\partial w} beside w_j: the equation read at the k-th component
        reading = replace(reading, gradient=(vector.key, index))
    if definitions >= len(chain.relations):
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message="defines a quantity for the rest of the document")
    sides, unread, opened_by, needs, (wider, wider_unread) = _bind_opening(chain, reading)
    base = reading
    if opened_by:  # a side read only with a quantity opened counts as read for the steps beside it
        unread = {p: reason for p, reason in unread.items() if p not in needs or p in wider_unread}
    if unread and (len(chain.sides) == 2 or len(unread) == len(chain.sides)):
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message=unread[min(unread)])
    guards = readable_guards(eq.guards, reading)
    from_one = set(re.findall(r"\\forall\s*([a-zA-Z])\s*=\s*1\s*,", chain.tail or ""))  # an index range 1, ..., n
    steps, hypotheses = [], 0
    for position, relation in enumerate(chain.relations, start=1):
        if relation in ("|", "=>"):
            hypotheses = len(steps) if relation == "=>" else hypotheses
            continue
        if position <= definitions:
            continue
        if position - 1 in unread or position in unread:
            reason = unread.get(position - 1) or unread[position]
            steps.append(StepVerdict(len(steps) + 1, _step_latex(chain.sides[position - 1].text, relation,
                                                                 chain.sides[position].text), "unverified", message=reason))
            continue
        opening = bool(opened_by) and (position - 1 in needs or position in needs)
        reading = opened_by[-1][0] if opening else base  # the quantities opened only where a side needs them
        pair = (wider[position - 1], wider[position]) if opening else (sides[position - 1], sides[position])
        if None in pair:
            reason = wider_unread.get(position - 1) or wider_unread.get(position) or "notation not understood"
            steps.append(StepVerdict(len(steps) + 1, _step_latex(chain.sides[position - 1].text, relation,
                                                                 chain.sides[position].text), "unverified", message=reason))
            continue
        step = _generic_step(len(steps) + 1, pair[0], relation, pair[1], eq.conditions,
                             timeout, reading, tuple((expr, sign) for _text, expr, sign in guards))
        if opening:
            step = _with_open_dependence(step, (pair[0].expr, pair[1].expr), opened_by)
        step = _with_free_letters(step, (pair[0].expr, pair[1].expr), reading)
        step = _by_component(step, (pair[0].expr, pair[1].expr), reading)
        only = re.fullmatch(r"false when ([a-zA-Z]) = 0", step.message or "") if step.status == "refuted" else None
        if only and only.group(1) in from_one:  # "... \quad j = 1, \dots, n": the case j = 0 is left out
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"false only when {only.group(1)} = 0, which the display's range"
                                       f" {only.group(1)} = 1, ... leaves out; not proved for the others")
        apart = re.fullmatch(r"false when ([a-zA-Z]) = ([a-zA-Z])", step.message or "") if step.status == "refuted" else None
        if apart and any({a, b} == {apart.group(1), apart.group(2)} and line < eq.line
                         for a, b, line in reading.unequal_indices):
            step = StepVerdict(step.number, step.latex, "unverified",  # \sum_{t \neq i} ... then \partial y_t / \partial z_i
                               message=f"false only when {apart.group(1)} = {apart.group(2)}, and a sum above runs over"
                                       f" {apart.group(1)} ≠ {apart.group(2)}: the display may be about that case")
        free = _never_defined((pair[0].expr, pair[1].expr), reading) if unread or needs else ""
        if step.status == "refuted" and free:  # the side not read may be where the author gives it a meaning
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"false if {free} is any number, but the document never defines it and a side"
                                       " of this display is not read")
        named = _never_defined((pair[0].expr,), reading) if step.status == "refuted" and position == 1 and all(
            isinstance(factor, sp.Indexed) for factor in sp.Mul.make_args(sp.sympify(pair[0].expr))) else ""
        if named and named not in {re.split(r"[\^_](?=\d)", str(part.base))[0] for part in pair[1].expr.atoms(sp.Indexed)}:
            step = StepVerdict(step.number, step.latex, "unverified",  # D_j S_i = \frac{\partial S_i}{\partial a_j}
                               message=f"{named}, which the document never defines, is only on the left of the"
                                       " display's first step: read as the name of what follows, not checked")
        unread_definition = _defined_where_not_read((pair[0].expr, pair[1].expr), reading, eq.line, eq.latex) \
            if step.status == "refuted" else ""
        if unread_definition:  # "-\sum_k y_k \frac{1}{p_k} \quad and \quad p_k = \frac{e^{...}}{...}": p not read there
            step = StepVerdict(step.number, step.latex, "unverified", message=unread_definition)
        new = _first_written_here((pair[0].expr, pair[1].expr), reading, eq.line, eq.latex) if step.status == "refuted" else ""
        if new:  # \hat b_1 = \frac{\sigma_{x,y}}{\sigma_x^2}: a letter written first here, and never defined, is named here
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"false if {new} is any number, but {new}{_NAMES_HERE} and never defined: the"
                                       " display may be where the author names it")
        repeated = _repeated_index(pair[0].expr, pair[1].expr) if step.status == "refuted" and reading.einstein else ""
        if repeated:  # h_i \delta_{ic} \delta_{bd} = h_c \delta_{bd}: summed over i in the Einstein convention
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"the index {repeated} is repeated in a product on one side only: false unless it"
                                       " is summed, as the Einstein convention the document speaks of does")
        vanished = _vanished_through_definition(step, (pair[0].expr, pair[1].expr), reading)
        if vanished:  # \frac{d\ell_i}{d\hat{p}_i} = 0 with \ell defined through z, \hat{p} = \sigma(z) defined too
            step = StepVerdict(step.number, step.latex, "unverified", message=vanished)
        held = _held_fixed((pair[0].expr, pair[1].expr), reading) \
            if step.status == "refuted" and _LOCAL_PARTIAL.match(chain.sides[0].text) else ()
        if held:  # \frac{\partial \hat{x}_i}{\partial x_i} = ... [\frac{x_i - \mu_B}{\sigma_B}] = \frac{1}{\sigma_B}: one path
            direct = reading
            for key in held:
                direct = direct.with_tensor(replace(reading.tensors[key], definition=None, declared=True))
            again = _generic_step(step.number, pair[0], relation, pair[1], eq.conditions, timeout, direct,
                                  tuple((expr, sign) for _text, expr, sign in guards))
            if again.status == "proved":
                shown = ", ".join(shown_key(key) for key in held)
                step = StepVerdict(step.number, step.latex, "unverified",
                                   message=f"false as a total derivative, as {shown} "
                                           f"{'depends' if len(held) == 1 else 'depend'} on the variable by"
                                           f" {'its definition' if len(held) == 1 else 'their definitions'}; it holds"
                                           f" with {shown} held fixed: read as the partial"
                                           " derivative along the direct path, as a chain rule splits it (not refuted)")
        unsigned = _unsigned(step, relation, (pair[0].expr, pair[1].expr), reading)
        if unsigned:  # \frac{1}{2n} \sum_i x_i > 0 with data x whose sign the document never states
            positive = reading
            for key in unsigned:
                positive = positive.with_tensor(replace(reading.tensors[key], domain="positive"))
            again = _generic_step(step.number, pair[0], relation, pair[1], eq.conditions, timeout, positive,
                                  tuple((expr, sign) for _text, expr, sign in guards))
            if again.status != "refuted":
                shown = ", ".join(shown_key(key) for key in unsigned)
                step = StepVerdict(step.number, step.latex, "unverified",
                                   message=f"false for some signs of {shown}, but not refuted when they are positive;"
                                           " the document does not state their sign")
        written = _written_out(step, (pair[0].expr, pair[1].expr), reading)
        if written:  # e^{z_1} + e^{z_2} written out for the sum: the display works with two classes
            axis, count = written
            again = _generic_step(step.number, pair[0], relation, pair[1], eq.conditions, timeout,
                                  replace(reading, fixed={**reading.fixed, axis: count}),
                                  tuple((expr, sign) for _text, expr, sign in guards))
            if again.status == "proved":
                step = StepVerdict(step.number, step.latex, "unverified",
                                   message=f"holds with {axis} = {count}, the components the display writes out; false"
                                           f" only with more ({axis} = {dict(step.counterexample.sizes)[axis]})")
        sizes = dict(step.counterexample.sizes) if step.status == "refuted" and step.counterexample is not None else {}
        two_ways = sorted(a for a in sizes if a != a.lower() and a.lower() in sizes and sizes[a] != sizes[a.lower()])
        if two_ways:  # \sum_{k=1}^n ... = e^{a_1} + ... + e^{a_N}: one count, written n and N (false as one: refuted)
            one = {size_symbol(two_ways[0]): size_symbol(two_ways[0].lower())}
            merged = [replace(side, expr=sp.sympify(side.expr).xreplace(one)) for side in pair]
            again = _generic_step(step.number, merged[0], relation, merged[1], eq.conditions, timeout, reading,
                                  tuple((expr, sign) for _text, expr, sign in guards))
            two_ways = [] if again.status == "refuted" else two_ways
        if two_ways:
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"false when {two_ways[0].lower()} and {two_ways[0]} differ, but they may name one"
                                       " size written two ways: not refuted")
        twice = _defined_twice((pair[0].expr, pair[1].expr), base, timeout) if step.status == "refuted" else ""
        if twice:
            step = StepVerdict(step.number, step.latex, "unverified",
                               message=f"false with the definition of {twice} read first, but the document also writes it"
                                       " otherwise: which one the step uses is not read")
        steps.append(step)
    if not steps:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message="defines a quantity for the rest of the document")
    if "=>" in chain.relations:
        steps = _implication(steps, hypotheses)
    steps = _rounded_last(steps) + _lone_steps(chain, len(steps) + 1)
    return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, _equation_status(steps), tuple(steps),
                           guards=tuple(text for text, _expr, _sign in guards))


#: how many quantities one equation may open (see :func:`_bind_opening`)
MAX_OPENED = 6


def _bind_opening(chain: Chain, reading: Reading) -> tuple:
    r"""The sides of ``chain`` bound under ``reading``, with every quantity the document leaves open in a derivative
    (:class:`~symsoft.meaning.tensors.OpenDependence`: never defined, defined in a way not read, or defined without the
    variable) read as an unknown function of the variable. Returns ``(sides, unread, opened, needs, wider)``: a side
    not read under ``reading`` is None, with its reason in ``unread``; ``opened`` lists ``(reading, key, variable,
    message)`` in the order they were opened, the last reading holding them all; ``needs`` holds the positions of the
    sides that asked for one; ``wider`` is ``(sides, unread)`` under the last reading, every side read again there,
    for the steps beside those sides (the others are decided under ``reading`` itself). A side that still asks for
    more after ``MAX_OPENED`` quantities stays unread.

    >>> from symsoft.parse.latex import parse_equation
    >>> sides, unread, opened, needs, (wider, _) = _bind_opening(parse_equation(
    ...     r"\frac{\partial 2 L}{\partial z} = 2 \frac{\partial L}{\partial z}"), Reading.empty())
    >>> [(key, variable) for _r, key, variable, _m in opened], sorted(needs), None in wider
    ([('L', 'z')], [0, 1], False)
    """
    opened: list = []
    sides, unread = _bound_sides(chain, reading)
    needs = {position for position, error in unread.items() if isinstance(error, OpenDependence)}
    wider, wider_unread = sides, unread
    opening = reading
    while len(opened) < MAX_OPENED:  # every side read again with the quantities opened, until none asks for more
        error = next((e for _p, e in sorted(wider_unread.items()) if isinstance(e, OpenDependence)), None)
        if error is None or error.key == error.variable or _applied_in(shown_key(error.key), chain):
            break  # f(h_1 u_{11}) and \partial f: f is a function there, never a quantity to open
        opening = opened_quantity(opening, error.key, error.variable)
        opened.append((opening, error.key, error.variable, str(error.args[0])))
        wider, wider_unread = _bound_sides(chain, opening)
    if not opened:
        wider, wider_unread = sides, unread
    else:  # w_{1,1} with no range for its indices: the opened quantities are functions of the components named
        last = opened_at_named(opening, [side.expr for side in wider if side is not None])
        opened[-1] = (last, *opened[-1][1:])
    said = {position: f"notation not understood: {error}" for position, error in unread.items()}
    return sides, said, opened, needs, (wider, {p: f"notation not understood: {e}" for p, e in wider_unread.items()})


def _bound_sides(chain: Chain, reading: Reading) -> tuple:
    """Each side of ``chain`` bound under ``reading`` (None when not read) and, by position, the errors of those not read."""
    sides, unread = [], {}
    for position, side in enumerate(chain.sides):
        try:
            sides.append(_bind_generic(side, reading))
        except (Exception, RecursionError) as error:
            sides.append(None)
            unread[position] = error
    return sides, unread


def _applied_in(letter: str, chain: Chain) -> bool:
    r"""Whether some side of ``chain`` applies ``letter`` like a function (``f(x)``, ``f \left(``).

    >>> from symsoft.parse.latex import parse_equation
    >>> _applied_in("f", parse_equation(r"\frac{\partial f}{\partial u} = f(u)")), _applied_in("L", parse_equation("L = 2"))
    (True, False)
    """
    pattern = re.compile(rf"(?<![\\a-zA-Z]){re.escape(letter)}\s*(?:'\s*)?(?:\\left\s*)?\(")
    return any(pattern.search(side.text) for side in chain.sides)


def _with_open_dependence(step: StepVerdict, exprs: tuple, opened: list) -> StepVerdict:
    """A step decided with opened quantities (:func:`_bind_opening`): proved stays proved, for every dependence (said
    in its facts); anything else is unverified with the reason the quantity was opened (no counterexample may rest on
    a dependence the checker chose)."""
    if not opened:
        return step
    reading = opened[-1][0]
    names = {str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}
    names |= {spec.key for spec in definitions_reached(names, reading)}
    names |= {str(part.base) for spec in definitions_reached(names, reading) for part in spec.definition[1].atoms(sp.Indexed)}
    used = [(key, variable, message) for _r, key, variable, message in opened if key in names]
    if not used:
        return step
    if step.status == "proved":  # opened in \hat{y} alone when \hat{y} is defined from w: through it (the chain rule)
        said = tuple(dict.fromkeys(
            f"any dependence of {shown_key(key)} on {shown_key(variable)} (the document does not write it)"
            if variable in reading.tensors[key].open_in else
            f"{shown_key(key)} a function of {', '.join(shown_key(v) for v in reading.tensors[key].open_in)}, so of"
            f" {shown_key(variable)} only through it (the document does not write what {shown_key(key)} depends on)"
            for key, variable, _m in used))
        return replace(step, facts=tuple(step.facts) + said)
    return StepVerdict(step.number, step.latex, "unverified", message="notation not understood: " + used[0][2])


def _fresh_index(latex: str, reading: Reading) -> str:
    r"""A letter the display does not write and the document gives no other meaning: the index a derivative with
    respect to a whole vector is read at; "" when there is none.

    >>> _fresh_index(r"\frac{\partial L}{\partial w} = \sum_k x_k", Reading.empty())
    'j'
    """
    written = set(re.findall(r"[a-zA-Z]", re.sub(r"\\[a-zA-Z]+", " ", latex)))
    taken = written | set(reading.sizes) | set(reading.functions) | {spec.base for spec in reading.tensors.values()}
    return next((letter for letter in "kjimlnpqrst" if letter not in taken), "")


def _by_component(step: StepVerdict, exprs: tuple, reading: Reading) -> StepVerdict:
    r"""A step of an equation read component by component (``Reading.gradient``): said so in its verdict. A proof where
    one side is a vector and the other a scalar proves nothing of the kind the author wrote; a refutation where a
    letter may itself be a vector (the document writes it with more indices elsewhere) stands on a reading the
    author may not have meant."""
    if not reading.gradient or step.status not in ("proved", "refuted"):
        return step
    key, letter = reading.gradient
    index = index_symbol(letter)
    vector = shown_key(key)
    on = [index in sp.sympify(expr).free_symbols for expr in exprs]
    read = f"read component by component (component {letter} of a derivative with respect to the vector {vector})"
    if step.status == "proved" and on[0] != on[1]:
        return StepVerdict(step.number, step.latex, "unverified",
                           message=f"{read}: one side is a vector and the other a number; equal at every component,"
                                   " but not the same kind of quantity")
    if step.status == "refuted":
        maybe = _maybe_a_vector(exprs, reading)
        if maybe:
            return StepVerdict(step.number, step.latex, "unverified",
                               message=f"{read}: false if {maybe} is a number, but the document also writes {maybe}"
                                       " with more indices, so it may be a vector: not refuted")
    if not any(on):
        return step
    return replace(step, message=f"{read}; {step.message}" if step.message else read)


def _maybe_a_vector(exprs: tuple, reading: Reading) -> str:
    """The first letter of ``exprs`` written with fewer indices than the document writes it elsewhere, or ""."""
    for part in sorted({p for expr in exprs for p in sp.sympify(expr).atoms(sp.Indexed)}, key=str):
        key = str(part.base)
        spec = reading.tensors.get(key)
        base = spec.base if spec is not None else shown_key(key)
        written = 0 if part.indices == (sp.Integer(0),) else len(part.indices)
        if any(other.base == base and other.key != key and len(other.axes) > written
               for other in reading.tensors.values()):
            return shown_key(key)
    return ""


def _with_free_letters(step: StepVerdict, exprs: tuple, reading: Reading) -> StepVerdict:
    r"""A proved step whose derivatives hold letters the document never writes in a definition fixed beside the
    variable (``\frac{\partial}{\partial w} \frac12 (wx - y)^2``: x and y, as partial derivatives read them) says so
    in its facts."""
    if step.status != "proved":
        return step
    free = []
    for derivative in sorted({d for expr in exprs for d in expr.atoms(PartialOf)}, key=sp.default_sort_key):
        operand, variable = derivative.args
        for part in sorted(operand.atoms(sp.Indexed), key=str):
            key = str(part.base)
            if key != str(variable.base) and key not in reading.tensors \
                    and (key, str(variable.base)) not in free:
                free.append((key, str(variable.base)))

    def shown(key: str) -> str:
        name = shown_key(key)
        return "\\" + name if name.split("_")[0] in GREEK else name

    said = tuple(f"{shown(key)} does not depend on {shown(variable)} (the document never defines {shown(key)})"
                 for key, variable in free)
    return replace(step, facts=tuple(step.facts) + said) if said else step


def _vanished_through_definition(step: StepVerdict, exprs, reading: Reading) -> str:
    r"""Why a refuted step whose derivative side is 0 at the counterexample is not refuted, or "": the side
    differentiates by a quantity the document defines (``\hat{p}_i = \sigma(z_i)``) something whose definition never
    writes it (``\ell_i`` written with ``z_i``): read so, the derivative is 0, though the author means it through
    that quantity.

    >>> from symsoft.decide.verdicts import Counterexample
    >>> from symsoft.meaning.tensors import TensorSpec
    >>> z, p, l = sp.IndexedBase("z"), sp.IndexedBase("p"), sp.IndexedBase("l")
    >>> r = (Reading.empty().with_tensor(TensorSpec("p", "p", (), definition=((), z[0] ** 2)))
    ...      .with_tensor(TensorSpec("l", "l", (), definition=((), 3 * z[0]))))
    >>> step = StepVerdict(1, "", "refuted", counterexample=Counterexample(0, 0, (), (), "0", "2"))
    >>> _vanished_through_definition(step, (PartialOf(l[0], p[0]), sp.Integer(2)), r)[:40]
    'the derivative of l by p is 0 as read: l'
    """
    ce = step.counterexample
    if step.status != "refuted" or ce is None:
        return ""
    for side, value in zip(exprs, (ce.lhs, ce.rhs)):
        if value.strip() not in ("0", "0.0", "-0"):
            continue
        for partial in sp.sympify(side).atoms(PartialOf):
            operand, variable = partial.args
            if not (isinstance(operand, sp.Indexed) and isinstance(variable, sp.Indexed)):
                continue
            own, by = reading.tensors.get(str(operand.base)), reading.tensors.get(str(variable.base))
            if own is None or by is None or own.definition is None or by.definition is None:
                continue
            body = own.definition[1]
            if isinstance(body, sp.Basic) and str(variable.base) not in {str(a.base) for a in body.atoms(sp.Indexed)}:
                name, of = shown_key(str(operand.base)), shown_key(str(variable.base))
                return (f"the derivative of {name} by {of} is 0 as read: {name} is defined without {of}, which is"
                        f" defined itself; the derivative the author means, through {of}, is not read")
    return ""


#: a display that opens with the partial of one named quantity, ``\frac{\partial \hat{x}_i}{\partial x_i}``: a local
#: partial, as a chain rule splits a derivative into paths (never ``\frac{\partial}{\partial X_j} \sum_i ...``)
_LOCAL_PARTIAL = re.compile(r"^\s*\\frac\s*\{\s*\\partial\s*(?:\\hat\s*\{?\s*[a-zA-Z]\s*\}?|\\?[a-zA-Z]+)\s*(?:[_^]\s*"
                            r"(?:\{[^{}]*\}|[a-zA-Z0-9]))*\s*\}\s*\{\s*\\partial")


def _held_fixed(exprs, reading: Reading) -> tuple:
    r"""The keys of the defined quantities a step with a derivative writes (not differentiated themselves) whose
    definitions hold the variable it differentiates by: ``\mu_B`` in ``\frac{\partial}{\partial x_i} [\frac{x_i -
    \mu_B}{\sigma_B}]`` with ``\mu_B = \frac{1}{m} \sum_i x_i``. A chain rule that splits a derivative into paths
    writes such partials with them held fixed.

    >>> from symsoft.meaning.tensors import TensorSpec
    >>> x, m = sp.IndexedBase("x"), sp.IndexedBase("mu")
    >>> r = Reading.empty().with_tensor(TensorSpec("mu", "\\mu", (), definition=((), x[1] + x[2])))
    >>> _held_fixed((PartialOf(x[1] - m[0], x[1]), sp.Integer(1)), r)
    ('mu',)
    """
    partials = [p for e in exprs for p in sp.sympify(e).atoms(PartialOf)]
    variables = {str(p.args[1].base) for p in partials if isinstance(p.args[1], sp.Indexed)}
    differentiated = {str(p.args[0].base) for p in partials if isinstance(p.args[0], sp.Indexed)}
    keys = set()
    for e in exprs:
        for atom in sp.sympify(e).atoms(sp.Indexed):
            key = str(atom.base)
            spec = reading.tensors.get(key)
            if spec is None or spec.definition is None or key in differentiated | variables:
                continue
            body = spec.definition[1]
            if isinstance(body, sp.Basic) and any(str(a.base) in variables for a in body.atoms(sp.Indexed)):
                keys.add(key)
    return tuple(sorted(keys))


def _defined_twice(exprs, reading: Reading, timeout: float = 5.0) -> str:
    """The first quantity ``exprs`` reach (as written) that a sentence defines again in a way the first definition
    does not prove (:attr:`~symsoft.meaning.tensors.Reading.defined_twice`), or "".

    >>> from symsoft.meaning.tensors import component
    >>> again = Reading(defined_twice=(("e", "e = 2 x"),))
    >>> _defined_twice([component("e") + 1], Reading.empty()), _defined_twice([component("e")], again)
    ('', 'e')
    """
    if not reading.defined_twice:
        return ""
    names = {str(part.base) for expr in exprs for part in sp.sympify(expr).atoms(sp.Indexed)}
    names |= {spec.key for spec in definitions_reached(names, reading)}
    variables = {str(d.args[1].base) for expr in exprs for d in sp.sympify(expr).atoms(PartialOf)
                 if isinstance(d.args[1], sp.Indexed)}
    for key, latex in reading.defined_twice:  # a variable of the step's derivatives is free there, whatever its value
        if key in names and key not in variables and not _follows_from_reading(latex, reading, timeout):
            return shown_key(key)
    return ""


#: what :func:`_follows_from_reading` decided, by (LaTeX, reading key): asked again on every refutation beside it
_FOLLOWS: dict = {}


def _follows_from_reading(latex: str, reading: Reading, timeout: float) -> bool:
    """True when the equation ``latex`` (a quantity defined again) is proved under ``reading`` (a restatement)."""
    key = (latex, _reading_key(reading))
    if key in _FOLLOWS:
        return _FOLLOWS[key]
    try:
        chain = parse_equation(latex)
        if len(chain.sides) != 2 or chain.relations != ("=",):
            return False
        left, right = (_bind_generic(side, reading) for side in chain.sides)
        step = _generic_step(1, left, "=", right, (), timeout, reading)
    except (Exception, RecursionError):
        return False
    if step.status in ("proved", "refuted"):  # a decision, never a limit of the checker
        if len(_FOLLOWS) > 256:
            _FOLLOWS.clear()
        _FOLLOWS[key] = step.status == "proved"
    return step.status == "proved"


def _piecewise_under(reading: Reading, guards: tuple) -> Reading:
    r"""``reading`` with each function defined by sign cases (:attr:`~symsoft.meaning.tensors.Reading.piecewise`)
    read as the row whose guard the claim is made under (``x > 0``); the others stay opaque.

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> r = replace(Reading.empty().with_tensor(TensorSpec("f", "f", (), opaque=True)),
    ...             piecewise=(("f", (("x > 0", component("x", 0)), ("x < 0", 0))),))
    >>> _piecewise_under(r, ("x>0",)).tensors["f"].definition, _piecewise_under(r, ()).tensors["f"].opaque
    (((), x[0]), True)
    """
    written = {re.sub(r"\s+", "", guard) for guard in guards}
    for key, rows in reading.piecewise:
        spec = reading.tensors.get(key)
        for guard, value in rows:
            if spec is not None and re.sub(r"\s+", "", guard) in written:
                reading = reading.with_tensor(replace(spec, opaque=False, definition=((), value)))
    return reading


def _rounding_kept(verdict: EquationVerdict) -> EquationVerdict:
    """``verdict`` with every step refuted only within the rounding of its decimals unverified (:func:`_within_rounding`)."""
    steps = [replace(step, status="unverified", message=why, counterexample=None, repairs=())
             if (why := _within_rounding(step)) else step for step in verdict.steps]
    if steps == list(verdict.steps):
        return verdict
    return replace(verdict, status=_equation_status(steps), steps=tuple(steps))


def _repeated_index(left: sp.Expr, right: sp.Expr) -> str:
    r"""An index letter written twice in one product of a side, never summed there, and absent from the other side
    (``h_i \delta_{ic}`` against ``h_c``): the Einstein convention would sum it. "" when there is none.

    >>> from symsoft.meaning.tensors import component, index_symbol
    >>> i, c = index_symbol("i"), index_symbol("c")
    >>> _repeated_index(component("h", i) * sp.KroneckerDelta(i, c), component("h", c)), _repeated_index(component("h", i), component("h", c))
    ('i', '')
    """
    def letters(term: sp.Expr) -> list:
        found = []
        for part in sp.sympify(term).atoms(sp.Indexed, sp.KroneckerDelta):
            args = part.indices if isinstance(part, sp.Indexed) else part.args
            found += [a for a in args if isinstance(a, sp.Symbol) and a.is_integer]
        return found

    def counted(term: sp.Expr) -> dict:
        r"""How many factors of a product name each index; inside a derivative, its operand's factors count
        (``\frac{\partial}{\partial w_j} [\delta_{ik} w_i w_k]`` repeats i and k)."""
        counts: dict = {}
        for factor in sp.Mul.make_args(term):
            if isinstance(factor, (PartialOf, sp.Derivative)):
                inner = {}
                for part in sp.Add.make_args(sp.expand(factor.args[0])):
                    for index, count in counted(part).items():
                        inner[index] = max(inner.get(index, 0), count)
            else:
                inner = {index: 1 for index in set(letters(factor))}
            for index, count in inner.items():
                counts[index] = counts.get(index, 0) + count
        return counts

    for one, other in ((left, right), (right, left)):
        one, other = sp.sympify(one), sp.sympify(other)
        bound = {v for s in one.atoms(sp.Sum) for v, *_ in s.limits}
        for term in sp.Add.make_args(sp.expand(one)) if not one.has(sp.Sum) else sp.Add.make_args(one):
            counts = counted(term)
            for index, count in sorted(counts.items(), key=lambda item: str(item[0])):
                if count >= 2 and index not in bound and index not in other.free_symbols:
                    return str(index)
    return ""


def _within_rounding(step: StepVerdict) -> str:
    r"""Why a refuted step between numbers is not called false: its sides differ by less than the rounding of the
    decimals it writes (``-(1) \log(0.4) = -(1)(-0.916)``: 0.91629... against 0.916, three places), or "".

    >>> from symsoft.decide.verdicts import Counterexample
    >>> step = StepVerdict(1, r"-\log(0.4) = -(-0.916)", "refuted", counterexample=Counterexample(0, 0, (), (), "0.9163", "0.916"))
    >>> _within_rounding(step)[:40]
    'the sides differ by 0.0003, within the r'
    """
    found = step.counterexample
    places = [len(d) for d in re.findall(r"(?<![0-9])[0-9]*\.([0-9]+)", step.latex or "")]
    if step.status != "refuted" or found is None or found.values or not places:
        return ""
    try:
        left, right = float(found.lhs), float(found.rhs)
    except (TypeError, ValueError):
        return ""
    tolerance = 0.5 * 10.0 ** -min(places) * len(places) * max(1.0, abs(left), abs(right))
    if abs(left - right) > tolerance:
        return ""
    return (f"the sides differ by {abs(left - right):.2g}, within the rounding of the decimals written ({min(places)}"
            " places): not refuted")


def _written_out(step: StepVerdict, exprs, reading: Reading) -> tuple | None:
    r"""``(axis, n)`` when ``step`` is refuted only at a size of ``axis`` past the numbered components the step writes
    (``e^{z_1} + e^{z_2}``, ``\hat{y}_2``: n = 2, at least 2) and writes no sum itself (the size comes in through a
    definition), else None: the author may be working that many.

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> from symsoft.decide.verdicts import Counterexample
    >>> r = Reading.empty().with_tensor(TensorSpec("z_1", "z", ("C",)))
    >>> refuted = StepVerdict(1, "", "refuted", counterexample=Counterexample(0, 0, (), (), "0", "1", sizes=(("C", 3),)))
    >>> _written_out(refuted, (sp.exp(component("z_1", 1)) + sp.exp(component("z_1", 2)),), r)
    ('C', 2)
    """
    if step.status != "refuted" or step.counterexample is None or not step.counterexample.sizes \
            or any(sp.sympify(expr).has(sp.Sum) for expr in exprs):
        return None  # \sum_{t=1}^n x_t = x_1 + x_2: the step itself claims it for every n
    written: dict = {}
    for expr in exprs:
        for part in sp.sympify(expr).atoms(sp.Indexed):
            spec = reading.tensors.get(str(part.base))
            for slot, index in enumerate(part.indices):
                if spec is not None and slot < len(spec.axes) and spec.axes[slot] and index.is_Integer:
                    written[spec.axes[slot]] = max(written.get(spec.axes[slot], 0), int(index))
    for axis, size in step.counterexample.sizes:
        if written.get(axis, 0) >= 2 and size > written[axis] and axis not in reading.fixed:
            return axis, written[axis]
    return None


def _defined_where_not_read(exprs, reading: Reading, line: int, latex: str) -> str:
    r"""Why a refutation that gives a letter any value is not one: the letter, which the document neither defines nor
    declares, is first written in another formula as the left side of an ``=`` that was not read as its definition
    (``\frac{1}{p_k} \quad and \quad p_k = \frac{e^{z_k}}{\sum_i e^{z_i}}``); "" when no letter of the step is so.

    >>> from symsoft.meaning.tensors import component
    >>> r = replace(Reading.empty(), first_written=(("p_1", (3, r"\frac{1}{p_k} \quad and \quad p_k = 2")),))
    >>> _defined_where_not_read((component("p_1", 1), sp.Integer(1)), r, 7, "p_1 = 1")[:29]
    'false if p is any number, but'
    >>> _defined_where_not_read((component("p_1", 1), sp.Integer(1)), r, 3, r"\frac{1}{p_k} \quad and \quad p_k = 2")
    ''
    """
    first = dict(reading.first_written)
    for name in sorted({str(part.base) for expr in exprs for part in sp.sympify(expr).atoms(sp.Indexed)}):
        spec = reading.tensors.get(name)
        if spec is not None and (spec.definition is not None or spec.declared or spec.fixed or spec.opaque):
            continue
        where = first.get(name)
        if where is None or (where[0] == line and latex.strip().endswith(where[1].strip())):
            continue
        letter = shown_key(name)
        written = r"(?<![\\a-zA-Z])%s\s*(?:_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?(?:\s*\^\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?\s*=(?!=)" \
            % re.escape(letter)
        if re.search(written, where[1]):
            return (f"false if {letter} is any number, but the formula on line {where[0]} writes {letter} = ..., which is"
                    f" not read as its definition: the step may use that one")
    return ""


#: what a step says when its display may be where the author names a letter (:func:`_first_written_here`)
_NAMES_HERE = " is first written in this display"


def _equal_or_opposite(first: sp.Expr, second: sp.Expr) -> bool:
    """Whether two differences ``A - B`` are one, or one negated (the same equation, its sides maybe swapped)."""
    return sp.simplify(first - second) == 0 or sp.simplify(first + second) == 0


def _restated_naming(verdict: EquationVerdict, naming: list, reading, timeout: float) -> EquationVerdict:
    r"""A refuted step that writes again, maybe with its sides swapped, an equation an earlier display wrote where
    the author names a letter first written there (``-\ln(p_3) = -\ln(\frac{e^{f_3}}{e^{f_1} + e^{f_2} +
    e^{f_3}})``, :func:`_first_written_here`; ``naming`` holds ``(line, step)`` pairs): it holds as that naming does,
    read as the letter's definition.

    >>> v = EquationVerdict("2", 9, "q = 2 f", (), "refuted", (StepVerdict(1, "q = 2 f", "refuted"),))
    >>> _restated_naming(v, [(3, "2 f = q")], Reading.empty(), 5.0).steps[0].method
    'the equation line 3 writes where the author names its letters'
    """
    if not naming or reading is None or verdict.status != "refuted":
        return verdict
    steps = []
    for step in verdict.steps:
        for line, latex in naming if step.status == "refuted" else ():
            try:
                same = call_with_time_limit(_equal_or_opposite, (_step_difference(step.latex, reading)[0],
                                                                 _step_difference(latex, reading)[0]), timeout)
            except (Exception, RecursionError):
                same = False
            if same:
                step = StepVerdict(step.number, step.latex, "proved",
                                   method=f"the equation line {line} writes where the author names its letters",
                                   facts=("that display is read as the definition of the letters it writes first",))
                break
        steps.append(step)
    return replace(verdict, steps=tuple(steps), status=_equation_status(steps))


def _first_written_here(exprs, reading: Reading, line: int, latex: str) -> str:
    """The first letter of the step ``exprs`` (its two sides) that the document neither defines nor declares, first
    writes in the display ``latex`` on ``line`` (never before it, in a display or in the prose's formulas), and writes
    on one side only, the other side being made of quantities the document defines (``\\hat b = \\sigma_{x,y} /
    \\sigma_x^2`` after a definition of b hat: the display names the new letters), or "". A claim between letters it
    leaves free on both sides (``w^* x = w x``) is a claim about them, refuted as any other.

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> r = replace(Reading.empty().with_tensor(TensorSpec("b", "b", (), definition=((), component("x", 0)), origin="line 1")),
    ...             first_written=(("s_2", (7, "b = s")), ("x", (2, "x = 1")), ("b", (1, "b = x"))))
    >>> step = (component("b", 0), component("s_2", 1, 1))
    >>> _first_written_here(step, r, 7, "b = s"), _first_written_here(step, r, 7, "c = s"), _first_written_here(step[::-1] + (component("x", 0),), r, 7, "b = s")
    ('s', '', '')
    """
    first = dict(reading.first_written)
    sides = [{str(part.base) for part in sp.sympify(expr).atoms(sp.Indexed)} for expr in exprs]

    def known(name: str) -> bool:
        spec = reading.tensors.get(name)
        return spec is not None and (spec.definition is not None or spec.declared or bool(spec.fixed))

    def letter(name: str) -> str:
        return re.split(r"[\^_]", name.lstrip("\\"))[0]

    def here(name: str) -> bool:
        return first[name][0] > line or first[name][0] == line and latex.strip().endswith(first[name][1].strip())

    for position, names in enumerate(sides):
        others = set().union(*(other for n, other in enumerate(sides) if n != position))
        if not others or not all(known(name) for name in others):
            continue
        for name in sorted(names - others):
            elsewhere = [key for key in first if key != name and letter(key) == letter(name) and not here(key)]
            if not known(name) and name in first and here(name) and not elsewhere:  # h_k beside h_j is no new letter
                # (a display that continues another has that one's side in front; a letter only a display the
                # reading could not parse writes, a cases block, is left to the step)
                return re.split(r"[\^_](?=\d)", name)[0]
    return ""


def _never_defined(exprs, reading: Reading) -> str:
    """The first letter of ``exprs`` (as written) that the document neither defines nor declares, or ""."""
    for name in sorted({str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}):
        spec = reading.tensors.get(name)
        if spec is None or (spec.definition is None and not spec.declared and not spec.fixed):
            return re.split(r"[\^_](?=\d)", name)[0]
    return ""


def _bind_generic(side, reading: Reading) -> BoundTensorSide:
    """Bind a side under the reading, with the soundness rules of the profile binder (matrix notation, calls)."""
    if side.expr == UNREAD:
        raise BindingError(f"could not parse: cannot read the LaTeX {display_latex(side.text)}", side.text)
    matrix = matrix_notation(side.text)
    if matrix:
        raise BindingError(f"{display_latex(side.text)} uses {matrix}: vectors and matrices are not typed yet, so the"
                           " step is not read as scalars", side.text)
    if "'" in side.text or "\\prime" in side.text:
        raise BindingError(f"{display_latex(side.text)} has a prime (w', \\sigma'(z)), which is not read yet", side.text)
    bound = bind_tensor_side(side, reading, two_axes=True)
    capital = _undeclared_capital_factor(bound.expr, reading)
    if capital:
        raise BindingError(f"{capital} is not defined and is used as a factor: it may be a matrix, and matrix products"
                           " are not read as scalars", capital)
    return bound


def _undeclared_capital_factor(expr: sp.Expr, reading: Reading) -> str:
    undefined = {part for part in expr.atoms(sp.Indexed) if re.fullmatch(r"[A-Z]", str(part.base))
                 and not _is_known(reading.tensors.get(str(part.base)))}
    found = capital_factor(expr, undefined)
    return str(found.base) if found is not None else ""


def _is_known(spec) -> bool:
    return spec is not None and (spec.declared or spec.definition is not None)


def _reads_generic(chain: Chain, profile: Profile, reading: Reading, document_keys: set) -> bool:
    """True when the equation must be read under the document's own definitions: it uses a letter the document
    defines, or the profile cannot bind it."""
    if reading.superscript_indices or any((keys_used(side, reading.lettered) | _called_keys(side)) & document_keys
                                          for side in chain.sides):
        return True
    try:
        for side in chain.sides:
            bind_side(side, profile)
    except (Exception, RecursionError):
        return True
    return False


def check_equation(eq: DisplayEquation, profile: Profile, classes: tuple[int, ...], timeout: float,
                   reading: Reading | None = None, definitions: int = 0, force_generic: bool = False,
                   matrices: MatrixReading | None = None) -> tuple[EquationVerdict, list[Finding]]:
    r"""Check one display equation; return its verdict and its lint findings.

    >>> from symsoft.read.document import DisplayEquation
    >>> v, _ = check_equation(DisplayEquation("1", 1, r"\sigma(z_i) > 1"), load_profile("softmax"), (2, 3), 5)
    >>> v.status, v.steps[0].repairs[0].edit
    ('refuted', 'the relation > should be <')
    """
    findings: list[Finding] = []
    try:
        updated = update_rule(eq.latex)
    except (Exception, RecursionError):
        updated = ""
    if updated:  # w^{(l+1)} = w^{(l)} - h \nabla E: the next iterate, defined (an assignment), never a claim
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message=f"defines {updated} at the next step (an update or an assignment), never a"
                                       " claim"), findings
    if matrices is not None and bare_matrices(eq.latex, matrices):  # matrix algebra: never read as numbers
        in_matrices = _check_in_matrix_notation(eq, matrices, timeout)
        if in_matrices is not None:
            return in_matrices, _shape_findings(in_matrices)
    verdict, findings = _check_equation(eq, profile, classes, timeout, reading, definitions, force_generic)
    if matrices is not None and verdict.status == "refuted" and matrix_functions_called(eq.latex, matrices):
        return _unless_disputed(verdict, _check_in_matrix_notation(eq, matrices, timeout)), findings
    if matrices is None or _decides(verdict):
        return verdict, findings
    in_matrices = _check_in_matrix_notation(eq, matrices, timeout)  # what index notation did not decide
    if in_matrices is not None and (_decides(in_matrices) or _refused_as_matrices(verdict)):
        return in_matrices, _shape_findings(in_matrices)  # decided in matrix notation, or refused as such
    return verdict, findings


def _unless_disputed(verdict: EquationVerdict, in_matrices: EquationVerdict | None) -> EquationVerdict:
    r"""An index-notation refutation of a display that calls a function the document defines in matrix notation
    (``h(v) = \|v\|^2``, then ``h(x) = x^\top x``) stands only when the matrix reading does not prove that step."""
    if in_matrices is None or len(in_matrices.steps) != len(verdict.steps):
        return verdict
    steps = tuple(_unverified(step, "the index reading refutes it and the matrix reading proves it (the function is"
                                    " defined in matrix notation): not decided")
                  if step.status == "refuted" and other.status == "proved" else step
                  for step, other in zip(verdict.steps, in_matrices.steps))
    return replace(verdict, status=_equation_status(list(steps)), steps=steps)


def _shape_findings(verdict: EquationVerdict) -> list[Finding]:
    """A step refuted for its shapes is also a finding: the product or the gradient does not have the right shape."""
    return [Finding(verdict.line, "shape", f"${step.latex}$: {step.message}") for step in verdict.steps
            if step.status == "refuted" and step.method == "shapes"]


def _refused_as_matrices(verdict: EquationVerdict) -> bool:
    """True when the index reading stopped only because the display is matrix notation (then the matrix reading's
    reason is the one to give)."""
    messages = [verdict.message, *(s.message for s in verdict.steps)]
    return bool(messages) and all("not typed yet" in m or "may be a matrix" in m for m in messages if m)


def _decides(verdict: EquationVerdict) -> bool:
    """True when a verdict decides something: a definition, or a step proved or refuted."""
    return verdict.status != "unverified" or any(s.status != "unverified" for s in verdict.steps)


def _check_in_matrix_notation(eq: DisplayEquation, matrices: MatrixReading, timeout: float) -> EquationVerdict | None:
    """The verdict of a display read in matrix notation (:mod:`symsoft.decide.matrices`), or None when it is not
    written in matrix notation (no transpose, gradient, ... and no letter the document declares a vector or a
    matrix)."""
    if not uses_matrix_notation(eq.latex, matrices) or matrix_display(eq.latex) is not None:
        return None  # a matrix written out is read entry by entry elsewhere
    try:
        sides, relations = split_chain(matrix_latex(eq.latex))
    except (Exception, RecursionError):
        return None
    if not relations or len(relations) > MAX_EQUATION_STEPS:
        return None
    defines = matrices.defining_lines.get((eq.line, eq.latex))
    steps: list[StepVerdict] = []
    for position, relation in enumerate(relations, start=1):
        if relation in ("|", "=>") or (position == 1 and defines):
            continue
        number, latex = len(steps) + 1, _step_latex(sides[position - 1], relation, sides[position])
        try:
            step = call_with_time_limit(decide_matrix_step, (number, sides[position - 1], relation, sides[position],
                                                             matrices), timeout)
        except TimeLimitExceeded as error:
            step = StepVerdict(number, latex, "unverified", limited=True,
                               message=ran_out("the proof in matrix notation", _budget(timeout, error)))
        except (Exception, RecursionError) as error:
            step = StepVerdict(number, latex, "unverified", message=f"in matrix notation: {error}"[:300])
        if step.status == "refuted":
            try:
                repairs = call_with_time_limit(matrix_repairs, (sides[position - 1], relation, sides[position],
                                                                matrices), timeout * 2)
                step = replace(step, repairs=repairs)
            except TimeLimitExceeded:
                step = replace(step, limited=True)  # the refutation stands; only the search for a repair stopped
            except (Exception, RecursionError):
                pass
        steps.append(step)
    if not steps:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message=f"defines {defines} for the rest of the document")
    return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, _equation_status(steps), tuple(steps))


def _check_equation(eq: DisplayEquation, profile: Profile, classes: tuple[int, ...], timeout: float,
                    reading: Reading | None = None, definitions: int = 0, force_generic: bool = False
                    ) -> tuple[EquationVerdict, list[Finding]]:
    findings: list[Finding] = []
    eq = replace(eq, latex=_quantity_apart_from_index(eq.latex))
    written_out = matrix_display(eq.latex)
    if written_out is not None and written_out.relations and definitions >= len(written_out.relations):
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                               message="defines the components it writes out for the rest of the document"), findings
    entry_claims = matrix_entry_claims(eq.latex, reading is not None and reading.row_vectors) if written_out is None \
        else None
    if entry_claims is not None:
        return _check_entry_claims(eq, entry_claims, profile, classes, timeout, reading, force_generic), findings
    if written_out is not None:
        return _check_matrices(eq, written_out, profile, classes, timeout, reading, force_generic), findings
    cases = _CASES.search(eq.latex)
    if cases and definitions and reading is not None and reading.piecewise:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",  # f(x) = x if x > 0, ...
                               message="defines a function by the sign of its variable, for the rest of the document"), []
    if cases:
        return _check_cases(eq, cases, profile, classes, timeout, reading, force_generic)
    try:
        chain: Chain = call_with_time_limit(parse_equation, (eq.latex,), timeout)
    except TimeLimitExceeded as error:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", limited=True,
                               message=ran_out("reading this equation", _budget(timeout, error), "the equation")
                               ), findings
    except (Exception, RecursionError) as error:
        try:  # a side not read leaves the steps between the others to decide, under the document's reading
            chain = call_with_time_limit(parse_sides, (eq.latex,), timeout) if reading is not None else None
        except (Exception, RecursionError):
            chain = None
        if chain is None:
            return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                                   message=f"could not parse: {error}"), findings
        force_generic = True
    if not chain.relations:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", message="no relation (=, <, \\leq, ...) to check"), findings
    clash = next((found for side in chain.sides for found in [_index_also_quantity(side.text)] if found), "")
    if clash:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message=f"notation not understood: {clash} is both the index of a sum and a quantity"
                                       f" in it: which {clash} is which is not read"), findings
    if len(chain.relations) > MAX_EQUATION_STEPS:  # deterministic: the same display always gets the same answer
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message=f"too many steps: the display has {len(chain.relations)} relations (at most "
                                       f"{MAX_EQUATION_STEPS}); write it as several equations"), findings
    if reading is not None and (definitions or force_generic or _opaque_on_left(chain, reading) or _reads_generic(
            chain, profile, reading, _own_keys(reading, profile))):
        generic = _generic_equation(eq, chain, reading, definitions, timeout)
        if generic.status != "unverified" or definitions or force_generic or reading.superscript_indices:
            return generic, findings
        own = _own_keys(reading, profile)
        if any((keys_used(side, reading.lettered) | _called_keys(side)) & own for side in chain.sides) \
                or _opaque_on_left(chain, reading):
            return generic, findings  # it uses what the document defines: the profile's meaning is not the document's
        try:  # neither reading decides it: say why the profile could not read it, when it could not
            for side in chain.sides:
                bind_side(side, profile)
        except (Exception, RecursionError):
            return generic, findings
    by_index = _by_an_index(" ".join(side.text for side in chain.sides))
    if by_index:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                               message=f"notation not understood: differentiated by {by_index}, which the display also"
                                       " writes as an index: by which component is not read"), findings
    try:
        sides = [bind_side(side, profile) for side in chain.sides]
    except (Exception, RecursionError) as error:
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", message=f"notation not understood: {error}"), findings
    own = tail_conditions(chain.tail)  # written in the display: they replace a lead-in's about the same indices
    pairs = [{c.split()[0], c.split()[2]} for c in own]
    kept = tuple(c for c in eq.conditions if {c.split()[0], c.split()[2]} not in pairs)
    conditions = tuple(dict.fromkeys(kept + own))
    letters = {str(s) for side in sides for s in side.kinds}
    kind_of = {str(s): kind for side in sides for s, kind in side.kinds.items()}
    # "i != j" between a class index and a feature index compares nothing: drop it
    conditions = tuple(c for c in conditions if c.startswith(("C ", "D "))
                       or kind_of.get(c.split()[0]) == kind_of.get(c.split()[2]))
    fixed_classes = [int(c.split()[2]) for c in conditions if c.startswith("C = ") and c.split()[2].isdigit()]
    if fixed_classes:
        classes = (fixed_classes[0],)
    # a condition on indices that do not occur in the equation says nothing about it
    conditions = tuple(c for c in conditions if c.startswith(("C ", "D ")) or {c.split()[0], c.split()[2]} <= letters)
    eq = replace(eq, conditions=conditions)
    for side in sides:
        findings.extend(Finding(eq.line, f.kind, f.message) for f in side.findings)
    findings.extend(_tail_findings(chain.tail, sides, eq.line))
    if len(chain.relations) == 1 and chain.relations[0] == "=" and is_definition(sides[0], sides[1]):
        return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition", message="restates a definition of the profile"), findings
    steps, hypotheses = [], 0
    for position, relation in enumerate(chain.relations, start=1):
        if relation in ("|", "=>"):
            hypotheses = len(steps) if relation == "=>" else hypotheses
            continue  # a new equation (or an implication's conclusion) starts: no step between these sides
        steps.append(_check_step(len(steps) + 1, sides[position - 1], relation, sides[position], eq.conditions, classes,
                                 timeout, profile))
    if "=>" in chain.relations:
        steps = _implication(steps, hypotheses)
    steps = _rounded_last(steps) + _lone_steps(chain, len(steps) + 1)
    status = _equation_status(steps)
    return EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, status, tuple(steps)), _dedupe(findings)


def _quantity_apart_from_index(latex: str) -> str:
    r"""A display that sums over a letter it also differentiates, ``\sum_{l=1}^C \frac{\partial l}{\partial z_l}``
    with the loss l: an index is never differentiated, so ``\partial l`` is the quantity, and the sum's index is
    renamed in the subscripts (when every side that writes the letter as an index sums over it there).

    >>> _quantity_apart_from_index(r"\frac{\partial l}{\partial w_j} = \sum_{l=1}^{C} \frac{\partial l}{\partial z_l} x_{l}")
    '\\frac{\\partial l}{\\partial w_j} = \\sum_{q=1}^{C} \\frac{\\partial l}{\\partial z_q} x_{q}'
    >>> _quantity_apart_from_index(r"a_l = \sum_{l=1}^{C} \frac{\partial l}{\partial z_l}")  # l free on the left
    'a_l = \\sum_{l=1}^{C} \\frac{\\partial l}{\\partial z_l}'
    """
    summed = sorted(set(re.findall(r"\\(?:sum|prod)\s*(?:\\limits\s*)?_\s*\{?\s*([a-zA-Z])(?![a-zA-Z])", latex)))
    differentiated = [letter for letter in summed if re.search(r"\\partial\s*\{?\s*" + letter + r"(?![a-zA-Z_^])", latex)]
    if not differentiated:
        return latex
    try:
        sides = split_chain(normalize_latex(latex)[0])[0]
    except (Exception, RecursionError):
        return latex
    for letter in differentiated:
        as_index = re.compile(r"_\s*\{[^{}]*(?<![\\a-zA-Z])" + letter + r"(?![a-zA-Z])[^{}]*\}|_\s*" + letter +
                              r"(?![a-zA-Z])|\^\s*\{\s*\(\s*" + letter + r"\s*\)\s*\}")
        over = re.compile(r"\\(?:sum|prod)\s*(?:\\limits\s*)?_\s*\{?\s*" + letter + r"(?![a-zA-Z])")
        if any(as_index.search(side) and not over.search(side) for side in sides):
            continue  # the letter is a free index somewhere too
        fresh = next((c for c in "qrsuvmnpabcdefgh" if not re.search(r"(?<![\\a-zA-Z])" + c + r"(?![a-zA-Z])", latex)),
                     None)
        if fresh is not None:
            latex = with_indices_renamed(latex, {letter: fresh})
    return latex


def _index_also_quantity(text: str) -> str:
    r"""The letter a side sums over and also writes as a quantity (not as an index): ``\sum_{l=1}^C rac{\partial
    l}{\partial z_l}``, the loss l and the index l; "" when there is none.

    >>> _index_also_quantity(r"\sum_{l=1}^{C} rac{\partial l}{\partial z_l} x_j"), _index_also_quantity(r"\sum_k y_k \log p_k")
    ('l', '')
    >>> _index_also_quantity(r"\prod_{i=1}^k e^{-\lambda e^{\beta i}}"), _index_also_quantity(r"\sum_{i=1}^n x^{(i)} y_i^2")
    ('i', '')
    """
    summed = set(re.findall(r"\\(?:sum|prod)\s*(?:\\limits\s*)?_\s*\{?\s*([a-zA-Z])(?![a-zA-Z])", text))
    if not summed:
        return ""
    group = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[a-zA-Z]+|.)"  # {...} (one level of braces inside), \cmd or one
    bare = re.sub(r"\\(?:sum|prod)\s*(?:\\limits\s*)?(?:_\s*" + group + r")?(?:\s*\^\s*" + group + r")?", " ", text)  # bounds
    bare = re.sub(r"\^\s*\{\s*\([^{}]*\)\s*\}|\^\s*\([^()]*\)", " ", bare)  # x^{(i)}: an index above
    bare = re.sub(r"_\s*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[a-zA-Z]+|.)", " ", bare)  # no index below; e^{\beta i} stays
    bare = re.sub(r"\\[a-zA-Z]+", " ", bare)  # no command's letters
    return next((letter for letter in sorted(summed) if re.search(r"(?<![a-zA-Z])" + letter + r"(?![a-zA-Z])", bare)),
                "")


def _by_an_index(text: str) -> str:
    r"""The letter a display differentiates by (``\partial_j``, ``\frac{\partial}{\partial j}``) and also writes as
    an index (``e^{z_j}``) or that is i, j or k (an index by convention), or "": the profile would read it as a number
    the step does not depend on.

    >>> _by_an_index(r"\frac{\partial}{\partial j} \sum_k e^{z_k} + e^{z_j}"), _by_an_index(r"\frac{\partial}{\partial x} x_j")
    ('j', '')
    """
    letters = {a or b for a, b in re.findall(r"\\partial\s*_\s*\{?\s*([a-zA-Z])\s*\}?(?![a-zA-Z_^{])"
                                              r"|\}\s*\{\s*\\partial\s*([a-zA-Z])\s*\}", text)}
    return next((letter for letter in sorted(letters) if letter in "ijk"
                 or re.search(r"_\s*(?:\{[^{}]*?)?(?<!\\)" + letter + r"(?![a-zA-Z])", text)), "")


def _defined_anew(eq: DisplayEquation, redefined: dict) -> str:
    """The function ``eq`` uses (or defines) at or after the line where the document defines it anew, or ""."""
    for name, line in sorted(redefined.items()):
        if eq.line >= line and re.search(re.escape(name) + r"(?![a-zA-Z])" if name.startswith("\\")
                                          else r"(?<![\\a-zA-Z])" + name + r"(?![a-zA-Z])", eq.latex):
            return name
    return ""


def _opaque_on_left(chain: Chain, reading: Reading) -> bool:
    r"""True when the display's left side is one quantity the document defines in a way not read (``\hat{y}_i =
    \text{act}_2(z_i)``, then ``\hat{y}_i = \frac{1}{1 + e^{-z}}``): a claim about the document's quantity, never
    read with the profile's meaning of the letter."""
    if not chain.sides or not isinstance(chain.sides[0].placeholders.get(chain.sides[0].expr), Atom):
        return False
    keys = keys_used(chain.sides[0], reading.lettered)
    return bool(keys) and all(getattr(reading.tensors.get(key), "opaque", False) for key in keys)


def _called_keys(side) -> set:
    r"""The keys of the functions a side applies as the parser left them (``\log L(\lambda)``: L).

    >>> from symsoft.parse.latex import parse_side
    >>> sorted(_called_keys(parse_side(r"\log L(\lambda) + f(x)")))
    ['L', 'f']
    """
    return {bare_key(applied.func.__name__) for applied in side.expr.atoms(AppliedUndef)}


def _own_keys(reading: Reading, profile: Profile) -> set:
    """:func:`_document_keys`, and the quantities the document defines in a way not read whose letter the profile
    reads as a derived quantity (``l(\\lambda) = ...`` not read: l is the document's, never the profile's loss, whose
    derivative by λ is 0). An input letter (z, x, W) defined so keeps the profile's meaning: an input's value."""
    derived = {k for k, v in profile.symbols.items() if v == "loss"} | set(profile.functions)
    return _document_keys(reading) | {key for key, spec in reading.tensors.items()
                                      if spec.opaque and re.split(r"[_^]", key)[0] in derived}


def _document_keys(reading: Reading) -> set:
    """The tensors the document itself defines (their keys), and the letters it writes twice (``t = ...`` after
    ``q(t) = ...``: a value of q's variable, which the profile's letter of the same name is not)."""
    return {key for key, spec in reading.tensors.items() if spec.definition is not None and spec.origin
            or spec.domain in ("positive", "nonnegative", "unit") and "_" not in key and "^" not in key} | {
        key for key, _latex in reading.defined_twice}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


#: Marks the findings of an inline relation whose check stopped at a time limit (never shown, never remembered).
_LIMITED = Finding(0, "time_limit", "")


def _inline_findings(item: InlineMath, profile: Profile, classes, timeout: float) -> list[Finding]:
    """Lint a relation written in the prose; report it when it is false in every case."""
    if conditions_in(f"${item.latex}$"):
        return []  # "if $i = j$", "for $C = 2$": a case being stated, not a claim
    try:
        chain = call_with_time_limit(parse_equation, (item.latex,), timeout)
        if len(chain.relations) != 1:
            return []
        sides = [bind_side(side, profile) for side in chain.sides]
    except TimeLimitExceeded:
        return [_LIMITED]
    except (Exception, RecursionError):
        return []
    findings = [Finding(item.line, f.kind, f.message) for s in sides for f in s.findings]
    if chain.relations[0] != "=" and any(re.fullmatch(r"\s*-?[0-9]+\s*", side.text) for side in chain.sides):
        return findings  # "with $c > 0$": an assumption about a letter, not a claim
    if chain.relations[0] in _RELATION_LATEX and chain.relations[0] != "!=":
        try:
            outcome = call_with_time_limit(
                _decide_step, (sides[0].expr, chain.relations[0], sides[1].expr, _free_kinds(*sides), (), classes), timeout
            )
        except TimeLimitExceeded:
            return findings + [_LIMITED]
        except Exception:
            outcome = None
        if outcome is not None and outcome.status == "refuted" and not outcome.holds_when:
            c = outcome.counterexample
            detail = ""
            if c is not None:
                values = ", ".join(f"{k} = {v}" for k, v in c.values)
                if c.others:
                    values += ", and for k = {}, ..., {}: {}".format(
                        c.others_from, c.classes, ", ".join(f"{k} = {v}" for k, v in c.others))
                sizes = ", ".join(([f"C = {c.classes}"] if c.classes else []) + ([f"D = {c.features}"] if c.features else []))
                detail = f": with {', '.join(p for p in (sizes, values) if p)} the left side is {c.lhs} and the right side {c.rhs}"
            findings.append(Finding(item.line, "false_in_text", f"the equation ${item.latex}$ in the text is false{detail}"))
    return findings


def _sections(document, profile: Profile, timeout: float, model: Reading | None, reading: Reading | None, defining,
              tensor_definitions) -> list:
    r"""The parts of a document, each with its own reading: ``(first line, reading, defining, tensor definitions)``.
    A quantity defined again from other letters altogether (:attr:`~symsoft.meaning.tensors.Reading.redefinitions`:
    a new section or example, ``E_n = \frac12 \sum_k (y_k - t_k)^2`` and later ``E_n = -t \log y - ...``) starts a
    part, read without the displays that defined it before; a part whose reading does not finish keeps the one
    before it.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$E = \\frac{1}{2} (y - t)^2 \\tag{1}$$\n\n$$E = -u \\log v \\tag{2}$$\n\n"
    ...                     "$$\\frac{\\partial E}{\\partial v} = -\\frac{u}{v} \\tag{3}$$")
    >>> prof = load_profile("softmax")
    >>> _p, defining, reading, definitions, _cut = _document_reading(doc, prof, 5)
    >>> [(start, str(r.tensors["E"].definition[1])) for start, r, _d, _t in _sections(doc, prof, 5, None, reading, defining, definitions)]
    [(0, '(-t[0] + y[0])**2/2'), (3, '-log(v[0])*u[0]')]
    """
    parts = [(0, reading, defining, tensor_definitions)]
    if reading is not None and reading.solutions:  # before a solution's line, the displays are read without it
        dropped = {line for _key, line, _zero in reading.solutions}
        kept = replace(document, equations=tuple(e for e in document.equations if e.line not in dropped))
        _prof, early_defining, early, early_definitions, cut = _document_reading(kept, profile, timeout, model)
        held = tuple(found for found in reading.solutions
                     if early is None or not _solves_above(document, found[1], early, timeout))
        if held != reading.solutions and held:  # read again without the solutions not shown to solve
            dropped = {line for _key, line, _zero in held}
            kept = replace(document, equations=tuple(e for e in document.equations if e.line not in dropped))
            _prof, early_defining, early, early_definitions, cut = _document_reading(kept, profile, timeout, model)
        reading = replace(reading, solutions=held)  # a solution shown to solve a condition above holds everywhere
        parts = [(0, reading, defining, tensor_definitions)]
        if held and cut is None and early is not None:
            first = min(line for _key, line, _zero in held)
            parts = [(0, replace(early, solutions=held), early_defining, early_definitions),
                     (first, reading, defining, tensor_definitions)]
    if reading is None or not reading.redefinitions:
        return parts
    for start in sorted({line for _key, _first, line in reading.redefinitions}):
        dropped = set()  # of each quantity defined again by then: every definition but its latest one so far
        for key in {key for key, _first, line in reading.redefinitions if line <= start}:
            again = sorted(line for other, _first, line in reading.redefinitions if other == key)
            latest = max(line for line in again if line <= start)
            dropped |= {first for other, first, line in reading.redefinitions if other == key}
            dropped |= {line for line in again if line != latest}  # a later one read here would leak back
        dropped |= set(reading.variants)  # a variant shown beside the quantity is never its definition
        kept = replace(document, equations=tuple(e for e in document.equations if e.line not in dropped),
                       inline=tuple(i for i in document.inline if i.line not in dropped))
        _prof, later_defining, later, later_definitions, cut = _document_reading(kept, profile, timeout, model)
        if cut is None and later is not None:
            parts.append((start, later, later_defining, later_definitions))
    return sorted(parts, key=lambda part: part[0])


def _with_solution_below(verdict: EquationVerdict, eq: DisplayEquation, solutions: tuple, later: tuple,
                         check_with) -> EquationVerdict:
    r"""A step before a solution the text writes below (``b_1 = ...``, :func:`_solves_above` could not show it solves
    the equations set to zero) is read without it; refuted so, but proved with it (``check_with(reading,
    definitions)`` under the ``later`` section's reading, which has it), the step holds at the author's solution and
    maybe at the true one: unverified, never refuted on a value of the letter the text is solving for.

    >>> v = EquationVerdict("1", 3, "b x = 1", (), "refuted", (StepVerdict(1, "b x = 1", "refuted"),))
    >>> with_it = replace(v, status="proved", steps=(StepVerdict(1, "b x = 1", "proved"),))
    >>> _with_solution_below(v, DisplayEquation("1", 3, "b x = 1"), (("b", 9, 2),), (9, None, set(), {}),
    ...                      lambda r, d: with_it).steps[0].message[:36]
    'it holds with the solution on line 9'
    """
    _start, reading, _defining, definitions = later
    try:
        with_it = check_with(reading, definitions)
    except (Exception, RecursionError):
        return verdict
    if len(with_it.steps) != len(verdict.steps):
        return verdict
    lines = ", ".join(str(line) for _key, line, _zero in solutions)
    steps = tuple(_unverified(step, f"it holds with the solution on line {lines}, not shown to solve the equations"
                                    " set to zero above it; it fails for other values of the letter solved for, maybe"
                                    " not at the solution: not refuted")
                  if step.status == "refuted" and other.status == "proved" else step
                  for step, other in zip(verdict.steps, with_it.steps))
    return replace(verdict, steps=steps, status=_equation_status(list(steps)))


def _solves_above(document, line: int, early: Reading, timeout: float) -> bool:
    r"""Whether the solution on ``line`` (``w_0 = \frac{1}{n} \sum_i y_i - w_1 \bar{x}``) follows from the sides
    the displays above it set to zero (``\sum_i e_i = 0``, ``0 = \dots``), read under ``early`` (the reading
    without the solution): one of them times a factor (:func:`_follows_from`), or a combination of them with numbers
    for coefficients (:func:`symsoft.decide.sizes.follows_from_equations`): then
    it is their solution, and the steps before it that hold with it hold at the solution; otherwise it may be a
    wrong solution, never a definition of its letter before its line.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$\\sum_{i=1}^n (y_i - b) = 0 \\tag{1}$$\n\n$$b = \\frac{1}{n} \\sum_{i=1}^n y_i \\tag{2}$$")
    >>> early = _document_reading(read_document(doc.source.split("\n")[0]), load_profile("softmax"), 5)[2]
    >>> _solves_above(doc, 3, early, 5.0), sorted(early.sizes)
    (True, ['n'])
    """
    at = next((eq for eq in document.equations if eq.line == line), None)
    try:
        texts, relations = split_chain(normalize_latex(at.latex)[0]) if at is not None else ([], [])
    except (Exception, RecursionError):
        return False
    if not relations or relations[0] != "=":
        return False
    conditions = []
    for eq in document.equations:
        if eq.line >= line:
            break
        try:
            sides, between = split_chain(normalize_latex(eq.latex)[0])
        except (Exception, RecursionError):
            continue
        if list(between) == ["="] * len(between) and "0" in (sides[0].strip(), sides[-1].strip()):
            for text in sides:  # 0 = \sum_i (y_i - b_0 - b_1 x_i) x_i, rac{\partial L}{\partial w} = ... = 0
                try:
                    bound = _bind_generic(parse_side(text), early) if text.strip() != "0" else None
                except (Exception, RecursionError):
                    continue
                if bound is not None and not bound.expr.has(PartialOf):
                    conditions.append((bound.expr, dict(bound.kinds)))
    solution = f"{texts[0]} = {texts[1]}"
    for condition in reversed(conditions[-_PREMISES:]):  # one condition times a factor: \lambda = \frac{S}{2n}
        try:
            if _follows_from(condition, solution, early, timeout) is not None:
                return True
        except (Exception, RecursionError):
            continue
    try:  # a combination of them with numbers for coefficients: w_0 = \bar{y} - w_1 \bar{x} from \sum_i e_i = 0
        difference, kinds = _step_difference(solution, early)
        return bool(conditions) and bool(call_with_time_limit(
            follows_from_equations, (difference, tuple(conditions[-_PREMISES:]), kinds, early), timeout))
    except (Exception, RecursionError):
        return False


def _document_reading(document, profile: Profile, timeout: float, model: Reading | None = None):
    """The document's own definitions, read in the worker under a time limit (never an unbounded parse here):
    the profile extended with its functions, the displays that define functions, its tensors and definitions,
    and the limit that stopped the reading (None when it finished)."""
    try:
        return (*call_with_time_limit(_read_everything, (document, profile, model), timeout * 6), None)
    except TimeLimitExceeded as limit:  # no verdict may stand on a reading cut short (nor be remembered)
        return profile, set(), None, {}, limit
    except (Exception, RecursionError):
        return profile, set(), None, {}, None


def _read_everything(document, profile: Profile, model: Reading | None):
    extended, defining = document_reading(document, profile)
    if extended.functions.get("\\sigma") == "softmax" and "\\sigma" not in extended.defined_functions and \
            logistic_by_prose(document.source):  # "we use the sigmoid": sigma is the logistic function, as the
        extended = replace(extended, defined_functions={**extended.defined_functions, "\\sigma": LOGISTIC})  # reading has it
    reading, definitions = _document_tensors(document, extended, model)
    return extended, defining, reading, definitions


def _document_tensors(document, profile: Profile, model: Reading | None = None) -> tuple[Reading | None, dict]:
    """The document's own reading of its letters (:func:`symsoft.meaning.reading.read_tensors`), leaving out the
    displays that restate a definition of the profile (those keep the profile's meaning)."""
    restating, restated, logits = set(), {}, set()
    for eq in (*document.equations, *document.inline):
        try:
            chain = parse_equation(eq.latex)
            head = chain.sides[0].expr
            if chain.relations and chain.relations[0] == "=" and (isinstance(head, sp.Symbol) or (
                    isinstance(head, sp.Function) and not isinstance(head, (sp.exp, sp.log)))):
                # a chain's first step may restate one (only "quantity = ..." can)
                a, b = (bind_side(side, profile) for side in chain.sides[:2])
                if is_definition(a, b):
                    restating.add(eq)
                    if _restates_logits(head, a):
                        logits.add(eq)
                    if isinstance(head, sp.Function) and chain.sides[0].text.lstrip().startswith("\\"):
                        name = re.match(r"\s*(\\[a-zA-Z]+)", chain.sides[0].text).group(1)
                        restated[name] = min(restated.get(name, eq.line), eq.line)
        except (Exception, RecursionError):
            continue
    kept = replace(document, equations=tuple(e for e in document.equations if e not in restating),
                   inline=tuple(i for i in document.inline if i not in restating))
    # a function's parameters (z in P(y) = sigma((2y - 1) z)) are the document's quantities of the same name
    functions = {name: sp.Lambda(f.variables, f.expr.xreplace({s: component(s.name) for s in f.expr.free_symbols
                                                               if s not in f.variables and not s.is_integer}))
                 for name, f in profile.defined_functions.items()}
    if profile.functions.get("\\sigma") == "softmax" and "\\sigma" not in functions and \
            not logistic_by_prose(document.source):
        functions["\\sigma"] = "softmax"
    if model is not None:
        functions = {k: v for k, v in functions.items() if v != "softmax" or k not in model.functions}
    try:
        reading, definitions = read_tensors(kept, model, functions, restated)
        if logits and any(spec.definition is not None and any(str(part.base).startswith("z")
                                                               for part in spec.definition[1].atoms(sp.Indexed))
                          for spec in reading.tensors.values()):
            # p_k = e^{z_k} / \sum_m e^{z_m} defined by the document: its z_k = \sum_d w_d^{(k)} x_d too, so that
            # the document's own letters reach the weights
            kept = replace(kept, equations=tuple(e for e in document.equations if e not in restating - logits),
                           inline=tuple(i for i in document.inline if i not in restating - logits))
            reading, definitions = read_tensors(kept, model, functions, restated)
        return _profile_labels(reading, profile), definitions
    except (Exception, RecursionError):
        return None, {}


def _profile_labels(reading: Reading, profile: Profile) -> Reading:
    r"""The document's reading with the profile's meanings where the document uses the profile's letters without
    defining them: under the grader's profile they keep them. The labels (``\hat{y}_k``) sum to one; the logits
    are linear in the weights (``z_k = \sum_d w_d^{(k)} x_d``, when the document writes those weights and
    features but never defines z)."""
    meaning = {spec.get("means"): name for name, spec in profile.vectors.items() if isinstance(spec, dict)}
    tensors = dict(reading.tensors)
    for key, spec in reading.tensors.items():
        if "label_sum" in profile.facts and spec.base == meaning.get("label") and spec.axes and \
                spec.definition is None and spec.domain == "real" and not spec.opaque:
            tensors[key] = replace(spec, domain="probability", declared=True)
    logits = tensors.get("z_1")
    weights = tensors.get("w^1_1") or TensorSpec("w^1_1", "w", ("C", "D"), declared=True)
    features = tensors.get("x_1") or TensorSpec("x_1", "x", ("D",), declared=True)
    if "logits_linear" in profile.facts and meaning.get("logit") == "z" and meaning.get("feature") == "x" and \
            logits is not None and logits.definition is None and not logits.opaque and logits.axes == ("C",) and \
            weights.axes == ("C", "D") and weights.definition is None and features.axes == ("D",) and \
            features.definition is None:
        k, d = index_symbol("k"), index_symbol("d")
        value = sp.Sum(component("w^1_1", k, d) * component("x_1", d), (d, 1, size_symbol("D")))
        tensors.update({"z_1": replace(logits, definition=((k,), value)), "w^1_1": weights, "x_1": features})
    return replace(reading, tensors=tensors) if tensors != reading.tensors else reading


def _restates_logits(head: sp.Expr, side: BoundSide) -> bool:
    r"""Whether a display restates the profile's definition of the logits (``z_k = \sum_d w_d^{(k)} x_d``)."""
    return isinstance(head, sp.Symbol) and side.expr.has(Z) and not side.expr.has(LOSS)


def _read_source(path_or_text: str | os.PathLike, path_hint: str | None, is_text: bool | None) -> tuple[str, str]:
    if is_text is None:  # the old convenience: a string with "$" or a newline is the document itself,
        # unless it is one line naming a file that exists ('x$$z_1 = z_1$$.md' is a file name)
        is_text = isinstance(path_or_text, str) and ("\n" in path_or_text or "$" in path_or_text) and not (
            "\n" not in path_or_text and os.path.isfile(path_or_text))
    if is_text:
        return str(path_or_text), display_name(path_hint) if path_hint else "<text>"
    path = Path(path_or_text)
    try:
        data = read_submission(path)
    except InputError as error:
        raise InputError(f"{display_name(path)}: {error}", str(path)) from None
    return decode(data), display_name(path)


def _remembered_equation(eq: DisplayEquation, profile: Profile, classes, timeout: float, memo,
                         reading: Reading | None = None, definitions: int = 0, force_generic: bool = False,
                         matrices: MatrixReading | None = None) -> tuple:
    """check_equation, answered from ``memo`` when the same LaTeX under the same conditions was seen."""
    if memo is None:
        return check_equation(eq, profile, classes, timeout, reading, definitions, force_generic, matrices)
    key = ("equation", _profile_key(profile), profile.reading, _reading_key(reading), definitions, force_generic, eq.latex,
           eq.conditions, eq.guards, classes, timeout, repr(matrices), matrices is not None and
           (eq.line, eq.latex) in matrices.defining_lines)
    if key in memo:
        verdict, found = memo[key]
        return (replace(verdict, label=eq.label, line=eq.line), [replace(f, line=eq.line) for f in found])
    verdict, found = check_equation(eq, profile, classes, timeout, reading, definitions, force_generic, matrices)
    if not verdict.timed_out:  # a time limit depends on the machine's load: decide it again
        memo[key] = (verdict, found)
    return verdict, found


def _profile_key(profile: Profile) -> tuple:
    """What of a profile a verdict depends on (two documents' own profiles may share a name)."""
    return profile.name, repr((profile.dimensions, profile.vectors, profile.matrices, profile.deltas, profile.functions,
                               profile.symbols, profile.facts))


def _reading_key(reading: Reading | None) -> tuple:
    """What of a reading a verdict can depend on, as a hashable value (memos keep documents apart)."""
    if reading is None:
        return ()
    tensors = tuple(sorted((k, spec.axes, spec.domain, spec.declared, sp.srepr(spec.definition[1]) if spec.definition else "")
                           for k, spec in reading.tensors.items()))
    functions = tuple(sorted((k, str(v)) for k, v in reading.functions.items()))
    return tensors, functions, tuple(sorted(reading.sizes)), tuple(sorted(reading.fixed.items())), \
        tuple(sorted(reading.zero_based)), tuple(sorted(reading.intercepts))


def _remembered_inline(item: InlineMath, profile: Profile, classes, timeout: float, memo) -> list:
    if memo is None:
        return [f for f in _inline_findings(item, profile, classes, timeout) if f is not _LIMITED]
    key = ("inline", _profile_key(profile), profile.reading, item.latex, classes, timeout)
    found = memo.get(key)
    if found is None:
        found = _inline_findings(item, profile, classes, timeout)
        if _LIMITED not in found:  # a time limit depends on the machine's load: decide it again
            memo[key] = found
    return [replace(f, line=item.line) for f in found if f is not _LIMITED]


#: Claims whose reading and decision warm what every check needs (see :func:`warm_up`).
WARM_UP_CLAIMS = (r"\frac{\partial}{\partial z_j} \sigma(z_i) = \sigma(z_i)(\delta_{ij} - \sigma(z_j))",
                  r"\sum_{k=1}^C \hat{y}_k \log \sigma(z_k) \leq 0")


@functools.cache
def warm_up() -> None:
    r"""Do, once in this process, the work every check starts with, so that the processes it forks start warm.

    The time-limit helper and ``grade``'s workers are forked from this process: after this they inherit
    the imports, the grammar's parser tables, the built-in profile and SymPy's caches, instead of paying for them
    inside a call's budget of CPU time (a replacement for a killed worker is as warm as the first). It reads fixed
    claims only, never a document, and does its work once per process (:func:`check` calls it). latex2sympy2,
    which most documents never need, is warmed when a string first needs it
    (:func:`symsoft.parse.adapter.warm_latex2sympy2`).

    >>> warm_up()
    >>> from symsoft.parse.grammar import parse_expression
    >>> parse_expression.cache_info().currsize > 0 if hasattr(parse_expression, "cache_info") else True
    True
    """
    from symsoft.parse.latex import parse_equation as parse

    profile = load_profile("softmax")
    for latex in WARM_UP_CLAIMS:
        chain = parse(latex)
        left, right = (bind_side(side, profile) for side in chain.sides)
        decide(left.expr, chain.relations[0], right.expr, _free_kinds(left, right), (), (2,), all_c=False)


def check(path_or_text: str | os.PathLike, profile: str = "softmax", classes: int | None = None,
          timeout: float = 5.0, path_hint: str | None = None, memo: MutableMapping | None = None,
          front_matter: bool | str = True, model: str | None = None, is_text: bool | None = None,
          doc_timeout: float | None = None, max_steps: int | None = MAX_DOCUMENT_STEPS,
          claims: Sequence[str] = ()) -> Report:
    r"""Check a derivation (a path, or the document's text) and return the report.

    Parameters
    ----------
    path_or_text : a path to a .md/.tex file, or the text itself (see ``is_text``)
    profile : a built-in profile name or a YAML file (default ``softmax``)
    classes : check for this C only; by default C = 2, 3 and 4 are checked
    timeout : seconds allowed for each parse and each step
    doc_timeout : seconds of CPU time allowed for the whole document (the calling thread's and its time-limit
        helper's; a wall-clock safety net of 8 times that plus 10 s stops a hang; None: no bound); the equations left when it is
        spent are unverified ("ran out of its budget", reason ``budget``), and nothing decided under a time limit is remembered in ``memo``
    max_steps : steps decided in the whole document at most (None: no bound); a deterministic budget, whatever
        the machine's speed: once the equations checked hold this many steps, the rest are unverified
        (reason ``budget``)
    memo : a mapping that keeps equation verdicts between calls (a batch shares one); the verdict of
        an equation depends on its LaTeX, conditions and the options, not on the document
    front_matter : what a YAML front-matter block that sets a profile (a built-in name, or a mapping: the
        document's own, reported as such) or a built-in model does: ``"use"`` (or True, the default),
        ``"ignore"`` (or False: what ``grade`` does) or ``"forbid"`` (an :class:`~symsoft.errors.InputError`)
    model : a model by name (``logistic``, ``linear``, ``softmax-bias-l2``, ``mlp``) or a model YAML file;
        ``softmax`` (or None) reads the document under the notation profile
    is_text : True: ``path_or_text`` is the document's text; False: it is a path, whatever it holds (a
        file name with ``$`` or a newline is still a file name); None (default): a ``str`` holding ``$``
        or a newline is the text, unless it is one line that names an existing file; anything else a path.
        The command line always passes a path (text comes through ``-``, standard input)
    claims : display equations (LaTeX) checked under the document's reading after its own equations, without
        becoming part of it; their verdicts are the report's ``claims`` (how a reference solution's targets are
        matched in the submission's own letters)

    Raises :class:`~symsoft.errors.InputError` when the input cannot be read or has no equations.

    >>> r = check("$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (3)$$")
    >>> r.equations[0].status, r.exit_code
    ('proved', 0)
    """
    text, source = _read_source(path_or_text, path_hint, is_text)
    refuse_long(text)  # before the front matter is parsed
    warm_up()  # before the time-limit helper is forked from this process
    named, named_model, text = _front_matter(text, front_matter)
    notes = front_matter_notes(named, named_model)
    prof = named or load_profile(profile)
    document = read_document(text)
    chosen_model = model or named_model
    base = load_model(chosen_model) if chosen_model and chosen_model != "softmax" else None
    with time_budget(doc_timeout):  # every parse and proof below draws on the document's budget
        report = _check_document(document, source, prof, base, classes, timeout, memo, doc_timeout, max_steps,
                                 claims)
        ranged = _counted_as_divided(text)
        if ranged is not None and any(step.status == "refuted" for eq in report.equations for step in eq.steps):
            try:
                counted = _check_document(read_document(ranged), source, prof, base, classes, timeout, memo, doc_timeout,
                                          max_steps, claims)
                report = replace(report, equations=tuple(_read_with_the_count(report.equations, counted.equations)))
            except (Exception, RecursionError):
                pass  # the document as written stands
    return replace(report, front_matter=notes)


_SUM_FROM_ZERO = re.compile(r"\\sum(?:\s*\\limits)?\s*_\s*\{\s*([a-z])\s*=\s*0\s*\}\s*\^\s*(?:\{\s*([A-Z])\s*\}|([A-Z]))")


def _counted_as_divided(text: str) -> str | None:
    r"""The text with every sum from 0 to N (N + 1 terms) written from 1 to N, when the text also divides by that N
    (``\frac{1}{N} \sum_{i=0}^{N} X_i``, a mean of N terms: the author counts the terms one way and the range
    another); None when it writes no such sum.

    >>> _counted_as_divided(r"$$\mu = \frac{1}{N}\sum \limits_{i = 0}^{N}X_i$$")
    '$$\\mu = \\frac{1}{N}\\sum_{i=1}^{N}X_i$$'
    >>> _counted_as_divided(r"$$s = \sum_{i=0}^{N} X_i$$") is None
    True
    """
    sizes = {m.group(2) or m.group(3) for m in _SUM_FROM_ZERO.finditer(text)}
    divided = {n for n in sizes if re.search(r"\\frac\s*\{\s*[0-9]*\s*\}\s*\{\s*[0-9]*\s*" + n + r"\s*(?:\\sigma\s*)?\}|/\s*" + n
                                              + r"(?![a-zA-Z])", text)}
    if not divided:
        return None
    return _SUM_FROM_ZERO.sub(lambda m: m.group(0) if (m.group(2) or m.group(3)) not in divided else
                              "\\sum_{%s=1}^{%s}" % (m.group(1), m.group(2) or m.group(3)), text)


def _read_with_the_count(written: tuple, counted: tuple) -> list:
    """Each refuted step of ``written`` that is not refuted where the sums run over as many terms as the text
    divides by (``counted``, the same document read so; see :func:`_counted_as_divided`) made unverified: it is
    false only because a sum from 0 to N has N + 1 terms."""
    again = {(eq.label, eq.line): eq for eq in counted}
    out = []
    for eq in written:
        other = again.get((eq.label, eq.line))
        if eq.status != "refuted" or other is None:
            out.append(eq)
            continue
        kept = {step.number: step.status for step in other.steps if step.status != "refuted"}
        out.append(_unverify_refuted(eq, lambda step: (
            "false only because a sum from 0 to N has N + 1 terms while the text divides by N (a mean of N terms):"
            " read with N terms, the step " + ("holds" if kept[step.number] == "proved" else "is not refuted"))
            if step.number in kept else ""))
    return out


def _check_document(document, source: str, prof: Profile, base, classes, timeout: float, memo, doc_timeout,
                    max_steps: int | None = None, claims: Sequence[str] = ()) -> Report:
    """The verdicts and findings of a read document (inside the document's time budget)."""
    document = replace(document, equations=continued_displays(document.equations))
    profile_before = prof
    prof, defining, reading, tensor_definitions, cut_short = _document_reading(document, prof, timeout,
                                                                               base.reading if base else None)
    sections = _sections(document, profile_before, timeout, base.reading if base else None, reading, defining,
                         tensor_definitions) if cut_short is None else [(0, reading, defining, tensor_definitions)]
    force_generic = base is not None and reading is not None
    try:
        matrices = call_with_time_limit(read_matrices, (document,), timeout * 2) if cut_short is None else None
    except TimeLimitExceeded:
        matrices = None
    except (Exception, RecursionError):
        matrices = None
    chosen = (classes,) if classes else DEFAULT_CLASSES
    verdicts, findings, steps = [], [], 0
    redefined = redefined_functions(document)
    imposed = _imposed_from(document)
    solutions = next((r.solutions for _s, r, _d, _t in sections if r is not None and r.solutions), ())
    if solutions:  # "-\frac{2n}{\lambda} + ... = 0", then "\lambda = ...": the document solves the display set to zero
        zero = min(zero for _key, _line, zero in solutions)
        imposed = zero if imposed is None else min(imposed, zero)
    condition = None  # the condition set to zero above (see _imposed_condition)
    premises: list = []  # the equations proved there, at the solution or as identities (see _from_equations_above)
    naming: list = []  # (line, step) where the author names a letter first written there (see _restated_naming)
    assumed = _assumed_values(document)
    relations = stated_relations(document)
    dependences = stated_dependences(document.source, document.equations)
    above, above_proved = None, False  # the display before this one, and whether all its steps are proved
    for eq in document.equations:
        if verdicts:
            above, above_proved = document.equations[len(verdicts) - 1], verdicts[-1].status == "proved"
        _start, reading, defining, tensor_definitions = [part for part in sections if part[0] <= eq.line][-1]
        anew = _defined_anew(eq, redefined)
        if anew:  # f(x; \theta) = ... after f(x) = ...: the first f no longer holds, the new one is not read
            verdicts.append(EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions,
                                            "definition" if eq.line == redefined[anew] else "unverified",
                                            message=f"{anew} is defined anew on line {redefined[anew]} (with other"
                                                    " arguments), which is not read: it is not checked with either"))
            continue
        if cut_short is not None:  # the document may define what its equations mean: none is decided without it
            verdicts.append(EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", limited=True,
                                            message=ran_out("reading the document's own definitions",
                                                            _budget(timeout * 6, cut_short), "the equation")))
            continue
        if budget_left() == 0 or (max_steps is not None and steps >= max_steps):
            spent = f"{doc_timeout:g} s of CPU time" if budget_left() == 0 else f"{max_steps} steps"
            verdicts.append(EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified", limited=True,
                                            message=ran_out("checking the whole document", spent, "the equation")
                                                    + "; it ran out before this equation"))
            continue
        if (eq.line, eq.latex) in defining:
            verdicts.append(EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "definition",
                                            message="defines a function of one number, used for the rest of the document"))
            continue
        try:
            verdict, found = _remembered_equation(eq, prof, chosen, timeout, memo, reading,
                                                  tensor_definitions.get((eq.line, eq.latex), 0), force_generic,
                                                  matrices)
        except (Exception, RecursionError) as error:  # one equation never stops the document
            verdict = EquationVerdict(eq.label, eq.line, eq.latex, eq.conditions, "unverified",
                                      message=f"could not check: {type(error).__name__}: {error}"[:300])
            found = []
        verdict = _rounding_kept(verdict)
        if solutions and eq.line < min(line for _key, line, _zero in solutions) and verdict.status == "refuted":
            verdict = _with_solution_below(verdict, eq, solutions, [part for part in sections if part[0] <= min(
                line for _key, line, _zero in solutions)][-1], lambda r, d: _remembered_equation(
                    eq, prof, chosen, timeout, memo, r, d.get((eq.line, eq.latex), 0), force_generic, matrices)[0])
        if reading is not None and imposed is not None and eq.line >= imposed:
            zeroed = _derivative_set_to_zero_below(document, above, eq) if above is not None and above_proved else None
            if zeroed is not None:  # the derivative proved just above, which the prose sets to zero
                try:
                    bound = _bind_generic(zeroed, reading)
                    condition = (bound.expr, dict(bound.kinds))
                except (Exception, RecursionError):
                    pass
            imposing = _imposed_condition(verdict, eq, reading, condition, _prose_after(document, eq))
            above = condition if imposing is not condition and _is_stated_zero(eq) else imposing  # never itself
            verdict = _solution_of(verdict, eq, reading, above, timeout)
            verdict = _solving(verdict, eq, imposed, reading, above, timeout)
            condition = imposing
            verdict = _from_equations_above(verdict, tuple(premises[-_PREMISES:]), reading, timeout)
            premises.extend(_equations_of(verdict, reading))
        verdict = _to_solve(verdict, eq, document.source)
        verdict = _against_assumed(verdict, eq, assumed)
        verdict = _under_stated_relations(verdict, eq, relations, reading, timeout)
        verdict = _before_solving(verdict, eq, reading)
        verdict = _restated_naming(verdict, naming, reading, timeout)
        naming.extend((eq.line, step.latex) for step in verdict.steps
                      if step.status == "unverified" and _NAMES_HERE in (step.message or ""))
        verdict = _set_to_zero_here(verdict, eq)
        verdict = _defined_below(verdict, eq, reading)
        verdict = _through_stated_dependence(verdict, dependences, reading)
        verdict = _named_in_this_display(verdict, eq, document.source, reading)
        verdict = _other_case_of_above(verdict, eq, document.equations[len(verdicts) - 1] if verdicts else None)
        verdicts.append(_under_guards(_read_as_mentioned_case(verdict, eq), eq,
                                      reading.assumptions if reading is not None else frozenset()))
        steps += max(1, len(verdict.steps))
        findings.extend(found)
    for item in document.inline:
        if budget_left() == 0:
            break
        try:
            findings.extend(_remembered_inline(item, prof, chosen, timeout, memo))
        except (Exception, RecursionError):
            continue
    claimed = tuple(_claim_verdict(DisplayEquation(f"claim {n + 1}", -(n + 1), latex), prof, chosen, timeout, memo,
                                   reading, force_generic, matrices, cut_short)
                    for n, latex in enumerate(claims))
    return Report(source, base.name if base else prof.name, tuple(verdicts), tuple(_dedupe(findings)), classes,
                  claims=claimed)


def _claim_verdict(eq: DisplayEquation, prof: Profile, chosen, timeout: float, memo, reading, force_generic: bool,
                   matrices, cut_short) -> EquationVerdict:
    """The verdict of a claim under a document's reading (never part of the document: it defines nothing)."""
    if cut_short is not None or budget_left() == 0:
        return EquationVerdict(eq.label, eq.line, eq.latex, (), "unverified", limited=True,
                               message=ran_out("checking the whole document", "its budget", "the claim"))
    try:
        verdict = _remembered_equation(eq, prof, chosen, timeout, memo, reading, 0, force_generic, matrices)[0]
        if verdict.status == "definition":  # the two sides are one once the profile's definitions are written out
            return replace(verdict, status="proved", message="the two sides are the same by the profile's definitions")
        return verdict
    except (Exception, RecursionError) as error:
        return EquationVerdict(eq.label, eq.line, eq.latex, (), "unverified",
                               message=f"could not check: {type(error).__name__}: {error}"[:300])


def front_matter_notes(profile: Profile | None, model: str | None) -> tuple[str, ...]:
    r"""What a document's front matter set, in words, for the report: the profile it names or defines (and
    then each entry that differs from the built-in profile of that name) and the model it names.

    >>> base = load_profile("softmax")
    >>> own = replace(base, name="softmax (the document's own)", functions={})
    >>> front_matter_notes(own, None)[:2]
    ("profile softmax (the document's own): defined by the document's front matter", 'functions \\sigma: removed (built-in: softmax)')
    >>> front_matter_notes(None, "logistic")
    ("model logistic: named by the document's front matter",)
    """
    notes = []
    if profile is not None and profile.name.endswith(OWN_PROFILE):
        name = profile.name[: -len(OWN_PROFILE)]
        builtin = load_profile(name) if name in builtin_profiles() else None
        notes.append(f"profile {profile.name}: defined by the document's front matter")
        notes.extend(profile_changes(profile, builtin))
    elif profile is not None:
        notes.append(f"profile {profile.name}: named by the document's front matter")
    if model is not None:
        notes.append(f"model {model}: named by the document's front matter")
    return tuple(notes)


#: What ``check(front_matter=...)`` does with a document's front matter that names a profile or a model.
FRONT_MATTER_SETTINGS = ("use", "ignore", "forbid")


def _front_matter(text: str, setting: bool | str) -> tuple[Profile | None, str | None, str]:
    """The profile and the built-in model a document's front matter sets (under ``setting``), and the text without it.

    ``use`` (or True) applies them; ``ignore`` (or False) blanks the block unread; ``forbid`` refuses a
    document whose front matter sets either. A model is only ever a built-in name, never a path.
    """
    setting = {True: "use", False: "ignore"}.get(setting, setting)
    if setting not in FRONT_MATTER_SETTINGS:
        raise UsageError(f"front_matter must be one of {', '.join(FRONT_MATTER_SETTINGS)}, got {setting!r}", setting)
    block, rest = split_front_matter(text)
    if block is None or setting == "ignore":
        return None, None, rest
    data = parse_front_matter(block)
    named = profile_in_front_matter(data)
    model = data.get("model") if isinstance(data, dict) else None
    model = model if isinstance(model, str) and model in builtin_models() else None
    if setting == "forbid" and (named is not None or model is not None):
        raise InputError("the document's front matter sets its own profile or model, which this check forbids"
                         " (--front-matter forbid)")
    return named, model, rest
