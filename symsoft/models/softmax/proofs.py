r"""Machine-checked proofs of the softmax regression properties, for a given number of classes.

A :class:`Proof` is a claim and a tuple of :class:`ProofStep` values. Every step is an
equality or inequality between SymPy expressions together with the rule it rests on, and it
is *checked* when the proof is built (:func:`check_step`): an equality by simplifying
``lhs - rhs`` to zero, an inequality by showing with SymPy's assumption system that the
difference is a sum, product or quotient of positive (or non-negative) terms. Nothing is
sampled numerically.

A step may name the premises it uses in ``given``: definitions written ``Eq(symbol, value)``
(``S = e^{z_1} + ... + e^{z_C}``, ``sigma_k = e^{z_k}/S``) and facts such as
``Eq(y_1 + ... + y_C, 1)``. The check substitutes them; nothing else is assumed beyond the
symbols' declared assumptions (logits real, labels non-negative, softmax outputs positive).

Claims with free class indices are checked, as the design asks, for every pattern of
equalities among the free indices with representative classes (``k = 1``; ``i = j = 1`` and
``i = 1, j = 2``) and every other component left symbolic; the definitions treat all classes
alike, so relabelling the classes carries a step over to any other index. Results of
:class:`~symsoft.models.softmax.model.SoftmaxRegression` are compared with the proved formulas entry by
entry for every index.

>>> from symsoft.models.softmax.model import SoftmaxRegression
>>> from symsoft.models.softmax.proofs import prove_all
>>> [p.name for p in prove_all(SoftmaxRegression(classes=3))]
['positivity', 'below_one', 'sum_to_one', 'jacobian', 'gradient', 'hessian_psd']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

import sympy as sp
from sympy.core.sorting import default_sort_key
from sympy.polys.polyerrors import BasePolynomialError
from sympy.printing.str import StrPrinter

from symsoft.errors import ProofError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.softmax.model import SoftmaxRegression

#: The relations a step may assert, as written in :attr:`ProofStep.relation`.
RELATIONS = ("=", "<", "<=", ">", ">=")

#: Expressions with more operations than this are not handed to ``sympy.simplify`` (it may not end).
SIMPLIFY_LIMIT = 400

# Display symbols. They carry no assumptions: whatever a step knows about them comes from `given`.
S = sp.Symbol("S")
m = sp.Symbol("m")
l = sp.Symbol("l")  # noqa: E741 - the loss is called l in the course notes

# Generic indices and indexed names, used only in the claims.
_i, _j, _k = sp.symbols("i j k", integer=True, positive=True)
_sigma, _z, _y, _x, _v = (sp.IndexedBase(name) for name in ("sigma", "z", "y", "x", "v"))
_W = sp.IndexedBase("W")


# -- values ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProofStep:
    r"""One checked step ``lhs relation rhs``, with the rule it rests on.

    Parameters
    ----------
    lhs, rhs : sympy.Basic
        SymPy expressions (or immutable matrices, for an equality checked entry by entry).
    relation : str
        One of ``"="``, ``"<"``, ``"<="``, ``">"``, ``">="``.
    rule : str
        What the step rests on, in a few words (``"quotient rule"``, ``"e^x > 0"``).
    note : str, optional
        A remark for the reader, such as which index stands for all the others.
    given : tuple of sympy.Eq, optional
        Definitions ``Eq(symbol, value)`` and facts (``Eq(y_1 + y_2, 1)``) the check may use.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.models.softmax.proofs import ProofStep
    >>> z = sp.Symbol("z", real=True)
    >>> ProofStep(sp.exp(z), ">", 0, "e^x > 0").rhs
    0
    >>> ProofStep(z, "=<", 0, "typo")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: ...
    """

    lhs: sp.Basic
    relation: str
    rhs: sp.Basic
    rule: str
    note: str = ""
    given: tuple[sp.Eq, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            msg = f"relation must be one of {', '.join(RELATIONS)}, got {self.relation!r}"
            raise UsageError(msg, "relation", self.relation)
        object.__setattr__(self, "lhs", _as_sympy(self.lhs))
        object.__setattr__(self, "rhs", _as_sympy(self.rhs))
        object.__setattr__(self, "given", tuple(self.given))


@dataclass(frozen=True)
class Proof:
    r"""A claim and the steps that prove it for ``classes`` classes; every step is checked on construction.

    Parameters
    ----------
    name : str
        Short identifier (``"positivity"``).
    title : str
        One line for a reader.
    claim : sympy.Rel
        The claim, written with generic indices (``sigma[k] > 0``).
    claim_latex : str
        The claim in LaTeX.
    steps : tuple of ProofStep
        The steps; each is checked by :func:`check_step` when the proof is built.
    classes : int
        The number of classes C the steps were checked for.
    holds_for : str
        For which C the argument holds (``"every C >= 2"``).
    sizes : str, optional
        The sizes the steps were checked for, for a model without classes (``"N = 2, D = 2"``);
        then ``classes`` is 0.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.models.softmax.proofs import Proof, ProofStep
    >>> z = sp.Symbol("z_1", real=True)
    >>> step = ProofStep(sp.exp(z), ">", 0, "e^x > 0")
    >>> p = Proof("exp", "e^z is positive", sp.Gt(sp.exp(z), 0, evaluate=False),
    ...           r"e^{z} > 0", (step,), classes=1, holds_for="every C >= 1")
    >>> len(p.steps)
    1
    >>> bad = ProofStep(sp.exp(z), "<", 0, "e^x > 0")
    >>> try:
    ...     Proof("exp", "e^z is negative", sp.Lt(sp.exp(z), 0, evaluate=False), "", (bad,), 1, "")
    ... except ProofError as error:
    ...     print(error.args[0])
    proof 'exp', step 1 (e^x > 0): exp(z_1) < 0 does not check: -exp(z_1) is not positive
    """

    name: str
    title: str
    claim: sp.Basic
    claim_latex: str
    steps: tuple[ProofStep, ...]
    classes: int
    holds_for: str
    sizes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        for number, step in enumerate(self.steps, start=1):
            check_step(step, proof=self.name, number=number)

    @property
    def facts(self) -> tuple[sp.Eq, ...]:
        """The premises the steps use that are not definitions (such as ``sum_k y_k = 1``).

        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> prove_gradient(SoftmaxRegression(classes=2)).facts
        (Eq(y_1 + y_2, 1),)
        """
        seen = dict.fromkeys(
            fact for step in self.steps for fact in step.given if _premise(fact).kind == "fact"
        )
        return tuple(seen)


# -- checking ------------------------------------------------------------------------------
class _Premise(NamedTuple):
    kind: str  # "definition" or "fact"
    symbol: sp.Symbol
    value: sp.Expr


def _as_sympy(value: object) -> sp.Basic:
    """Sympify numbers and expressions (never text) and freeze matrices."""
    if isinstance(value, str):
        msg = f"a proof step takes SymPy expressions, not text: {value!r}"
        raise UsageError(msg, "expression", value)
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    return sp.sympify(value, strict=True)


def _premise(fact: sp.Eq) -> _Premise:
    """Read ``Eq(symbol, value)`` as a definition, anything else as a fact solved for one symbol.

    A number is a fact, not a definition: ``y_1 = 1`` (one class) says what the label is.
    """
    lhs, rhs = fact.lhs, fact.rhs
    if isinstance(lhs, sp.Symbol) and not rhs.has(lhs) and not rhs.is_Number:
        return _Premise("definition", lhs, rhs)
    difference = sp.expand(lhs - rhs)
    for symbol in sorted(difference.free_symbols, key=default_sort_key, reverse=True):
        coefficient = difference.coeff(symbol)
        rest = sp.expand(difference - coefficient * symbol)
        if coefficient.is_Number and coefficient != 0 and not rest.has(symbol):
            return _Premise("fact", symbol, -rest / coefficient)
    msg = f"cannot use {fact} as a premise: it is not linear in any of its symbols"
    raise ProofError(msg, fact)


class _Premises:
    """The premises of one step, read once: definitions, facts, and the sums that may be folded."""

    def __init__(self, given: tuple[sp.Eq, ...]) -> None:
        self.ordered = [_premise(fact) for fact in given]
        self.definitions = {p.symbol: p.value for p in self.ordered if p.kind == "definition"}
        self.facts = [p for p in self.ordered if p.kind == "fact"]

    def stages(self) -> list[tuple[str, dict[sp.Symbol, sp.Expr]]]:
        """Substitutions in the order given: each run of definitions is one stage, each fact one."""
        stages: list[tuple[str, dict[sp.Symbol, sp.Expr]]] = []
        for p in self.ordered:
            if p.kind == "definition" and stages and stages[-1][0] == "definition":
                stages[-1][1][p.symbol] = p.value
            else:
                stages.append((p.kind, {p.symbol: p.value}))
        return stages

    def expand_definitions(self, expr: sp.Basic) -> sp.Basic:
        """Substitute every definition, repeatedly, so the order in ``given`` does not matter."""
        return _substitute_fully(expr, self.definitions)

    def apply_facts(self, expr: sp.Basic) -> sp.Basic:
        for fact in self.facts:
            expr = expr.xreplace({fact.symbol: fact.value})
        return expr

    @cached_property
    def folds(self) -> list[tuple[sp.Symbol, sp.Add, sp.Dummy]]:
        """Each defined sum (symbol, value), innermost first, and a fresh symbol with its sign."""
        # Sums of logarithms (the loss) are left alone: asking their sign is slow and never needed.
        sums = [
            (symbol, value)
            for symbol, value in self.definitions.items()
            if isinstance(value, sp.Add) and not value.has(sp.log)
        ]
        # A logit z_k = sum_t w_tk x_t sits inside S = sum_c e^{z_c}: fold it first.
        sums.sort(key=lambda sv: sum(other in sv[1].free_symbols for other, _ in sums))
        folds: list[tuple[sp.Symbol, sp.Add, sp.Dummy]] = []
        for symbol, value in sums:
            value = self.expand_definitions(value)
            for _, inner, dummy in folds:
                value = _replace_multiples(value, inner, dummy)
            if isinstance(value, sp.Add):
                folds.append((symbol, value, sp.Dummy(symbol.name, **_sign_of(value))))
        return folds

    def fold(self, expr: sp.Basic) -> sp.Basic:
        """Replace each defined sum, written out in ``expr``, by its fresh symbol.

        Sound: an identity or sign that holds for every value the symbol may take holds for
        the sum. It keeps expressions small (``S`` rather than ``e^{z_1} + ... + e^{z_C}``).
        """
        for _, value, dummy in self.folds:
            expr = _replace_multiples(expr, value, dummy)
        return expr

    def abstract(self, expr: sp.Basic) -> sp.Basic:
        """Like :meth:`fold`, but a defined sum's own symbol is replaced before anything is written out.

        ``sigma_1 (v_1 - m)^2`` keeps ``m`` as one real unknown instead of a sum that the
        subtraction would merge into ``v_1 - sigma_1 v_1 - ...``.
        """
        expr = expr.xreplace({symbol: dummy for symbol, _, dummy in self.folds})
        return self.apply_facts(self.fold(_evaluate(self.expand_definitions(expr))))


def _evaluate(expr: sp.Basic) -> sp.Basic:
    """Carry out the derivatives and Kronecker deltas in ``expr``, and nothing else.

    ``doit`` would also walk every sum, which is slow for large C.
    """
    derivatives = expr.atoms(sp.Derivative)
    if derivatives:
        expr = expr.xreplace({d: d.doit(deep=False) for d in derivatives})
    deltas = expr.atoms(sp.KroneckerDelta)
    if deltas:
        expr = expr.xreplace({d: d.func(*d.args) for d in deltas})
    return expr


def _substitute_fully(expr: sp.Basic, mapping: dict[sp.Symbol, sp.Expr]) -> sp.Basic:
    """Substitute until nothing changes: a value may mention another defined symbol."""
    for _ in range(len(mapping) + 1):
        replaced = expr.xreplace(mapping)
        if replaced == expr:
            break
        expr = replaced
    return expr


def _replace_multiples(expr: sp.Basic, value: sp.Add, symbol: sp.Symbol) -> sp.Basic:
    """Replace every sum ``c * value`` (c a number) in ``expr`` by ``c * symbol``.

    SymPy writes ``(e^{z})^2`` as ``e^{2 w_11 x_1 + 2 w_21 x_2}``, which ``xreplace`` cannot see.
    """
    expr = expr.xreplace({value: symbol})
    term = value.args[0]
    unit = value.coeff(term)
    size = len(value.args)

    def ratio(candidate: sp.Basic) -> sp.Expr | None:
        if not isinstance(candidate, sp.Add) or len(candidate.args) != size:
            return None
        r = candidate.coeff(term) / unit
        if r.is_Number and r != 0 and sp.expand(candidate - r * value) == 0:
            return r
        return None

    found = {a: r for a in sp.preorder_traversal(expr) if (r := ratio(a)) is not None}
    return expr.xreplace({a: r * symbol for a, r in found.items()}) if found else expr


def _sign_of(value: sp.Expr) -> dict[str, bool]:
    """The sign a sum provably has, read term by term (SymPy's own test for sums is slow)."""
    terms = sp.Add.make_args(value)
    for assumption in ("positive", "nonnegative", "real"):
        if all(getattr(term, f"is_{assumption}") for term in terms):
            return {assumption: True}
    return {}


def _zero_structurally(d: sp.Expr) -> bool:
    return d == 0


def _zero_as_polynomial(d: sp.Expr) -> bool:
    """Read ``d`` as a polynomial in its atoms (symbols, ``exp(...)``, ``log(...)``) and test it.

    Sound: an identity that holds with the atoms as independent unknowns holds for their values.
    SymPy's sparse polynomials multiply out long sums much faster than ``expand``.
    """
    expanded = _expanded_polynomial(d)
    return expanded is not None and expanded == 0


def _expanded_polynomial(d: sp.Expr) -> sp.Expr | None:
    """``d`` multiplied out by sparse polynomial arithmetic, or None if it has a denominator."""
    from sympy.polys.rings import ring

    atoms = _atoms(d)
    if not atoms:
        return d
    try:
        R, *_ = ring(atoms, sp.QQ)
        return R.from_expr(d).as_expr()
    except (ValueError, BasePolynomialError):  # not a polynomial: a negative power
        return None


def _zero_as_rational_function(d: sp.Expr) -> bool:
    """Like :func:`_zero_as_polynomial` for quotients; its gcds are costly, so it comes later."""
    from sympy.polys.fields import field

    atoms = _atoms(d)
    if not atoms:
        return False
    try:
        K, *_ = field(atoms, sp.QQ)
        return K.from_expr(d) == 0
    except (ValueError, BasePolynomialError):
        return False


def _atoms(expr: sp.Expr) -> list[sp.Basic]:
    """The largest subexpressions that are neither sums, products, integer powers nor numbers."""
    found: set[sp.Basic] = set()
    pending = [expr]
    while pending:
        e = pending.pop()
        if isinstance(e, (sp.Add, sp.Mul)):
            pending.extend(e.args)
        elif isinstance(e, sp.Pow) and e.exp.is_Integer:
            pending.append(e.base)
        elif not e.is_Rational:
            found.add(e)
    return sorted(found, key=default_sort_key)


def _zero_with_one_exponential_per_argument(d: sp.Expr) -> bool:
    """Write ``e^{k a}`` (k a whole number) as ``E_a^k``, one unknown per argument a, and test as a rational function.

    ``e^{a}``, ``e^{-a}`` and ``e^{-2a}`` (the logistic function and its derivatives) are otherwise independent
    atoms; an identity in the unknown ``E_a`` holds for its value ``e^{a}``.
    """
    unknowns: dict[sp.Expr, sp.Dummy] = {}
    powers, exponents = {}, []
    for e in d.atoms(sp.exp):
        content, base = e.args[0].as_content_primitive()
        if base.could_extract_minus_sign():
            content, base = -content, -base
        if not content.is_Integer:
            continue
        powers[e] = unknowns.setdefault(base, sp.Dummy("E", positive=True)) ** content
        exponents.append(content)
    merged = len(unknowns) < len(powers) or any(k != 1 for k in exponents)
    return merged and _zero_as_rational_function(d.xreplace(powers))


def _zero_after_expanding(d: sp.Expr) -> bool:
    return sp.expand(d) == 0


def _zero_after_cancelling(d: sp.Expr) -> bool:
    return sp.cancel(sp.together(sp.expand(d))) == 0


def _zero_after_simplifying(d: sp.Expr) -> bool:
    return sp.count_ops(d) <= SIMPLIFY_LIMIT and sp.simplify(d) == 0


#: The equality checks, cheapest first; the first that confirms ``lhs - rhs == 0`` wins.
EQUALITY_CHECKS: tuple[Callable[[sp.Expr], bool], ...] = (
    _zero_structurally,
    _zero_as_polynomial,
    _zero_with_one_exponential_per_argument,
    _zero_after_expanding,
    _zero_as_rational_function,
    _zero_after_cancelling,
    _zero_after_simplifying,
)


def _positive_by_assumptions(d: sp.Expr, strict: bool) -> bool | None:
    return d.is_positive if strict else d.is_nonnegative


def _positive_over_common_denominator(d: sp.Expr, strict: bool) -> bool | None:
    return _positive_by_assumptions(sp.together(d), strict)


def _positive_after_factoring(d: sp.Expr, strict: bool) -> bool | None:
    return _positive_by_assumptions(sp.factor(d), strict)


def _positive_after_expanding(d: sp.Expr, strict: bool) -> bool | None:
    return _positive_by_assumptions(sp.expand(d), strict)


#: The inequality checks: each shows ``d = larger - smaller`` is a sum, product or quotient
#: of positive (non-negative) terms, in the form named; ``False`` from any of them refutes.
INEQUALITY_CHECKS: tuple[Callable[[sp.Expr, bool], bool | None], ...] = (
    _positive_by_assumptions,
    _positive_over_common_denominator,
    _positive_after_factoring,
    _positive_after_expanding,
)


def _equality_holds(d: sp.Expr, premises: _Premises) -> bool:
    """Whether ``d = lhs - rhs`` is zero under the premises."""
    if _zero_structurally(d):
        return True
    if d.has(sp.Derivative, sp.KroneckerDelta):
        # A derivative of a defined symbol needs the definition before it is taken.
        d = premises.apply_facts(_evaluate(premises.expand_definitions(d)))
    else:
        # An identity in a symbol not yet replaced by its value holds for the value too:
        # try the cheap checks before each stage of premises, on what the stage leaves.
        facts_used: list[dict[sp.Symbol, sp.Expr]] = []
        for kind, stage in premises.stages():
            expanded = _expanded_polynomial(d)
            if d == 0 or expanded == 0:
                return True
            d = d if expanded is None else expanded  # later stages substitute into fewer terms
            if d.has(*stage):
                d = _substitute_fully(d, stage)
                for fact in facts_used:  # a value may mention a symbol a fact already replaced
                    d = d.xreplace(fact)
            if kind == "fact":
                facts_used.append(stage)
        d = premises.apply_facts(premises.expand_definitions(d))
    if _zero_structurally(d):
        return True
    candidates = (premises.fold(d), d) if premises.folds else (d,)
    # The folded form is small: every quick check on it first, simplify only at the very end.
    quick, last = EQUALITY_CHECKS[:-1], EQUALITY_CHECKS[-1]
    return any(check(c) for c in candidates for check in quick) or any(map(last, candidates))


def _inequality_verdict(d: sp.Expr, strict: bool, premises: _Premises) -> bool | None:
    """Whether ``d = larger - smaller`` is positive (non-negative when not strict); None if undecided."""
    written_out = premises.apply_facts(_evaluate(premises.expand_definitions(d)))
    candidates = (premises.abstract(d), written_out) if premises.folds else (written_out,)
    for candidate in candidates:
        for check in INEQUALITY_CHECKS:
            verdict = check(candidate, strict)
            if verdict is not None:
                return verdict
    return None


def check_step(step: ProofStep, *, proof: str = "", number: int | None = None) -> None:
    r"""Check one proof step symbolically; raise :class:`~symsoft.errors.ProofError` if it does not hold.

    The premises in ``step.given`` are used as needed: definitions ``Eq(symbol, value)``
    are substituted, facts are solved for one symbol and substituted. A symbol without a
    definition is an independent unknown (a derivative of it in another variable is zero)
    that keeps its declared assumptions.

    An equality is confirmed by the first of these checks on ``lhs - rhs`` that gives zero:
    as written; multiplied out as a polynomial in its atoms (symbols, ``exp(...)``,
    ``log(...)``); after ``expand``; as a rational function in its atoms; after ``together``
    and ``cancel``; after ``simplify`` (only for expressions of moderate size). Before each
    premise is substituted the quick checks are tried, and defined sums may be replaced by
    fresh symbols carrying the sign the sum provably has, which keeps large C fast. Matrices
    are compared entry by entry.

    An inequality ``a > b`` (``a >= b``) is confirmed when SymPy's assumptions show that
    ``a - b`` is positive (non-negative): as written, over a common denominator, factored,
    expanded. ``a < b`` and ``a <= b`` are checked as ``b - a``. No numbers are sampled.

    Parameters
    ----------
    step : ProofStep
        The step to check.
    proof : str, optional
        Name of the proof the step belongs to, for the message.
    number : int, optional
        The step's number in its proof, for the message.

    Raises
    ------
    ProofError
        With the message as ``args[0]`` and the step as ``args[1]``.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.models.softmax.proofs import ProofStep, check_step
    >>> z1, z2 = sp.symbols("z_1 z_2", real=True)
    >>> check_step(ProofStep(sp.exp(z1) / (sp.exp(z1) + sp.exp(z2)), "<", 1, "one term of the sum"))
    >>> x = sp.Symbol("x", real=True)
    >>> check_step(ProofStep((x + 1) ** 2, "=", x**2 + 2 * x + 1, "binomial formula"))
    >>> try:
    ...     check_step(ProofStep((x + 1) ** 2, "=", x**2 + 1, "binomial formula"), number=3)
    ... except ProofError as error:
    ...     print(error.args[0])
    step 3 (binomial formula): (x + 1)**2 = x**2 + 1 does not check: the difference does not simplify to 0

    A sign SymPy cannot decide is not confirmed either (``x`` may be negative):

    >>> try:
    ...     check_step(ProofStep(x, ">=", 0, "wishful thinking"))
    ... except ProofError as error:
    ...     print(error.args[0])
    step (wishful thinking): x >= 0 does not check: could not show that x is nonnegative
    """
    reason = _failure(step, _Premises(step.given))
    if reason is None:
        return
    where = f"proof {proof!r}, " if proof else ""
    label = f"step {number}" if number is not None else "step"
    shown = f"{sp.sstr(step.lhs)} {step.relation} {sp.sstr(step.rhs)}"
    if len(shown) > 200:
        shown = shown[:197] + "..."
    msg = f"{where}{label} ({step.rule}): {shown} does not check: {reason}"
    raise ProofError(msg, step, reason)


def _failure(step: ProofStep, premises: _Premises) -> str | None:
    """Why the step does not hold, or None when it does."""
    lhs, rhs = step.lhs, step.rhs
    matrices = isinstance(lhs, sp.MatrixBase), isinstance(rhs, sp.MatrixBase)
    if step.relation == "=":
        if not any(matrices):
            return None if _equality_holds(lhs - rhs, premises) else _NOT_ZERO
        if not all(matrices) or lhs.shape != rhs.shape:
            return "the two sides are not matrices of the same shape"
        for r in range(lhs.rows):
            for c in range(lhs.cols):
                if not _equality_holds(lhs[r, c] - rhs[r, c], premises):
                    return f"entry ({r + 1}, {c + 1}): {_NOT_ZERO}"
        return None
    if any(matrices):
        return "an inequality needs scalar sides"
    larger, smaller = (lhs, rhs) if step.relation in (">", ">=") else (rhs, lhs)
    strict = step.relation in ("<", ">")
    d = larger - smaller
    verdict = _inequality_verdict(d, strict, premises)
    wanted = "positive" if strict else "nonnegative"
    if verdict:
        return None
    if verdict is False:
        return f"{sp.sstr(d)} is not {wanted}"
    return f"could not show that {sp.sstr(d)} is {wanted}"


_NOT_ZERO = "the difference does not simplify to 0"


# -- shared pieces of the softmax proofs ----------------------------------------------------
def _eq(lhs: sp.Expr, rhs: sp.Expr) -> sp.Eq:
    """An equation left as written (``Eq`` would otherwise try to decide it, slowly)."""
    return sp.Eq(lhs, rhs, evaluate=False)


def _partition_definition(model: SoftmaxRegression) -> sp.Eq:
    return _eq(S, model.partition)


def _softmax_definitions(model: SoftmaxRegression) -> tuple[sp.Eq, ...]:
    """sigma_k = e^{z_k} / S for every k, taken from the model, and the definition of S."""
    return (*(_eq(s, p) for s, p in zip(model.sigma, model.probabilities)),
            _partition_definition(model))


def _label_sum(model: SoftmaxRegression) -> sp.Eq:
    return _eq(sp.Add(*model.y), 1)


def _softmax_sum(model: SoftmaxRegression) -> sp.Eq:
    return _eq(sp.Add(*model.sigma), 1)


def _loss_definition(model: SoftmaxRegression) -> sp.Eq:
    return _eq(l, model.loss())


def _logit_definitions(model: SoftmaxRegression) -> tuple[sp.Eq, ...]:
    return tuple(_eq(zk, logit) for zk, logit in zip(model.z, model.logits))


def _single_class(model: SoftmaxRegression, *facts: sp.Eq) -> dict:
    """For C = 1 the model simplifies sigma_1 = 1 and y_1 = 1 away: a comparison with it needs them."""
    if model.classes > 1:
        return {"given": ()}
    return {"given": facts, "note": "C = 1: the model has used " + ", ".join(map(sp.sstr, facts))}


def _sum_text(name: str, count: int) -> str:
    """``y_1 + ... + y_C`` written for a concrete C."""
    if count == 1:
        return f"{name}_1"
    if count <= 3:
        return " + ".join(f"{name}_{k}" for k in range(1, count + 1))
    return f"{name}_1 + ... + {name}_{count}"


def _definition_of_s(model: SoftmaxRegression) -> ProofStep:
    return ProofStep(S, "=", model.partition, "definition: the softmax denominator",
                     given=(_partition_definition(model),))


def _definition_of_sigma(model: SoftmaxRegression, k: int, note: str = "") -> ProofStep:
    return ProofStep(model.sigma[k], "=", sp.exp(model.z[k]) / S, "definition of softmax",
                     note=note, given=_softmax_definitions(model))


_REPRESENTATIVE_K = "k = 1 stands for every class: the definitions treat all classes alike"


# -- the provers -------------------------------------------------------------------------------
def prove_positivity(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`\sigma_k > 0`: :math:`e^{z_k} > 0` and the denominator is a sum of positive terms.

    Parameters
    ----------
    model : SoftmaxRegression
        The model whose softmax is meant; its number of classes is C.

    Returns
    -------
    Proof
        Checked for ``model.classes`` classes; the argument holds for every C >= 1.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> proof = prove_positivity(SoftmaxRegression(classes=3))
    >>> proof.claim, proof.holds_for
    (sigma[k] > 0, 'every C >= 1')
    >>> [step.rule for step in proof.steps][2:]
    ['e^x > 0', 'a sum of positive terms e^{z_c} > 0', 'a quotient of positive terms', 'steps 2 and 5']
    """
    C = model.classes
    e1 = sp.exp(model.z[0])
    given = _softmax_definitions(model)
    steps = (
        _definition_of_s(model),
        _definition_of_sigma(model, 0, note=_REPRESENTATIVE_K),
        ProofStep(e1, ">", 0, "e^x > 0"),
        ProofStep(S, ">", 0, "a sum of positive terms e^{z_c} > 0", given=given),
        ProofStep(e1 / S, ">", 0, "a quotient of positive terms", given=given),
        ProofStep(model.sigma[0], ">", 0, "steps 2 and 5", given=given),
    )
    return Proof(
        name="positivity",
        title="Softmax outputs are positive",
        claim=sp.Gt(_sigma[_k], 0, evaluate=False),
        claim_latex=rf"\sigma_k = \frac{{e^{{z_k}}}}{{\sum_{{c=1}}^{{{C}}} e^{{z_c}}}} > 0 "
        rf"\quad (k = 1, \dots, {C})",
        steps=steps,
        classes=C,
        holds_for="every C >= 1",
    )


def prove_below_one(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`\sigma_k < 1` for C >= 2 (and :math:`\sigma_1 = 1 \le 1` for C = 1).

    The numerator :math:`e^{z_k}` is one term of the denominator and, when C >= 2, the other
    terms are positive, so :math:`1 - \sigma_k` is a quotient of positive terms.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; C = ``model.classes``.

    Returns
    -------
    Proof
        A strict claim for C >= 2, a non-strict one for C = 1.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> prove_below_one(SoftmaxRegression(classes=2)).claim
    sigma[k] < 1
    >>> proof = prove_below_one(SoftmaxRegression(classes=1))
    >>> proof.claim, proof.holds_for
    (sigma[k] <= 1, 'C = 1')
    """
    C = model.classes
    e1 = sp.exp(model.z[0])
    given = _softmax_definitions(model)
    if C == 1:
        steps = (
            _definition_of_s(model),
            _definition_of_sigma(model, 0),
            ProofStep(e1 / S, "=", 1, "the numerator is the whole denominator (C = 1)",
                      given=given),
            ProofStep(model.sigma[0], "<=", 1, "sigma_1 = 1 by steps 2 and 3", given=given),
        )
        claim = sp.Le(_sigma[_k], 1, evaluate=False)
        latex, holds_for = r"\sigma_1 = 1 \le 1 \quad (C = 1)", "C = 1"
    else:
        others = sp.Add(*(sp.exp(zc) for zc in model.z[1:]))
        steps = (
            _definition_of_s(model),
            _definition_of_sigma(model, 0, note=_REPRESENTATIVE_K),
            ProofStep(S - e1, "=", others, "the numerator e^{z_1} is one term of the denominator",
                      given=given),
            ProofStep(others, ">", 0, f"a sum of C - 1 = {C - 1} positive terms (C >= 2)"),
            ProofStep(1 - model.sigma[0], "=", (S - e1) / S, "common denominator", given=given),
            ProofStep((S - e1) / S, ">", 0, "a quotient of positive terms (steps 3 and 4)",
                      given=given),
            ProofStep(model.sigma[0], "<", 1, "1 - sigma_1 > 0 by steps 5 and 6", given=given),
        )
        claim = sp.Lt(_sigma[_k], 1, evaluate=False)
        latex = rf"\sigma_k < 1 \quad (k = 1, \dots, {C};\ C \ge 2)"
        holds_for = "every C >= 2"
    return Proof("below_one", "Softmax outputs are below one", claim, latex, steps, C, holds_for)


def prove_sum_to_one(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`\sum_k \sigma_k = 1`: the numerators add up to the common denominator.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; C = ``model.classes``.

    Returns
    -------
    Proof
        Holds for every C >= 1.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> proof = prove_sum_to_one(SoftmaxRegression(classes=2))
    >>> proof.claim
    Eq(Sum(sigma[k], (k, 1, 2)), 1)
    >>> proof.steps[1].rhs
    exp(z_1)/S + exp(z_2)/S
    """
    C = model.classes
    given = _softmax_definitions(model)
    numerators = sp.Add(*(sp.exp(zk) for zk in model.z))
    steps = (
        _definition_of_s(model),
        ProofStep(sp.Add(*model.sigma), "=", sp.Add(*(sp.exp(zk) / S for zk in model.z)),
                  "definition of softmax, for every k", given=given),
        ProofStep(sp.Add(*(sp.exp(zk) / S for zk in model.z)), "=",
                  sp.Mul(numerators, 1 / S, evaluate=False), "common denominator S"),
        ProofStep(sp.Mul(numerators, 1 / S, evaluate=False), "=", 1,
                  "the numerator is the definition of S", given=given),
    )
    return Proof(
        name="sum_to_one",
        title="Softmax outputs sum to one",
        claim=_eq(sp.Sum(_sigma[_k], (_k, 1, C)), 1),
        claim_latex=rf"\sum_{{k=1}}^{{{C}}} \sigma_k = 1",
        steps=steps,
        classes=C,
        holds_for="every C >= 1",
    )


def _delta_form(model: SoftmaxRegression) -> sp.ImmutableMatrix:
    """The matrix ``sigma_i (delta_ij - sigma_j)``, i.e. ``diag(sigma) - sigma sigma^T``."""
    s = model.sigma
    return sp.ImmutableMatrix(
        model.classes, model.classes, lambda i, j: s[i] * (sp.KroneckerDelta(i, j) - s[j])
    )


def prove_jacobian(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`\partial\sigma_i/\partial z_j = \sigma_i(\delta_{ij} - \sigma_j)` by the quotient rule.

    Both cases are shown (``i = j = 1``; ``i = 1, j = 2`` when C >= 2), then the delta form,
    then two checks for every entry: the model's :meth:`~symsoft.models.softmax.model.SoftmaxRegression.jacobian`
    equals the delta form, and differentiating the model's probabilities gives it.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; C = ``model.classes``.

    Returns
    -------
    Proof
        Holds for every C >= 1 (the case i != j exists from C = 2).

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> proof = prove_jacobian(SoftmaxRegression(classes=2))
    >>> proof.claim
    Eq(Derivative(sigma[i], z[j]), (KroneckerDelta(i, j) - sigma[j])*sigma[i])
    >>> proof.steps[2].rule
    'quotient rule (case i = j)'
    """
    C = model.classes
    s, z = model.sigma, model.z
    e = [sp.exp(zk) for zk in z]
    given = _softmax_definitions(model)
    steps = [
        _definition_of_s(model),
        ProofStep(sp.Derivative(S, z[0]), "=", e[0], "only the term e^{z_1} of S depends on z_1",
                  given=given),
        ProofStep(sp.Derivative(s[0], z[0]), "=", (e[0] * S - e[0] * e[0]) / S**2,
                  "quotient rule (case i = j)", note="i = j = 1 stands for every i = j",
                  given=given),
        ProofStep((e[0] * S - e[0] * e[0]) / S**2, "=", e[0] / S * (1 - e[0] / S), "factor"),
        ProofStep(e[0] / S * (1 - e[0] / S), "=", s[0] * (1 - s[0]), "definition of softmax",
                  given=given),
    ]
    if C >= 2:
        steps += [
            ProofStep(sp.Derivative(S, z[1]), "=", e[1],
                      "only the term e^{z_2} of S depends on z_2", given=given),
            ProofStep(sp.Derivative(s[0], z[1]), "=", (0 * S - e[0] * e[1]) / S**2,
                      "quotient rule; e^{z_1} does not depend on z_2 (case i != j)",
                      note="i = 1, j = 2 stands for every i != j", given=given),
            ProofStep(-e[0] * e[1] / S**2, "=", -s[0] * s[1], "definition of softmax",
                      given=given),
        ]
    steps.append(ProofStep(s[0] * (1 - s[0]), "=", s[0] * (_delta(0, 0) - s[0]), "delta_ii = 1"))
    if C >= 2:
        steps.append(ProofStep(-s[0] * s[1], "=", s[0] * (_delta(0, 1) - s[1]),
                               "delta_ij = 0 for i != j"))
    delta_form = _delta_form(model)
    derivatives = sp.ImmutableMatrix(C, C, lambda i, j: sp.Derivative(s[i], z[j]))
    steps += [
        ProofStep(model.jacobian(), "=", delta_form,
                  "the Jacobian derived entry by entry is the delta form",
                  **_single_class(model, _softmax_sum(model))),
        ProofStep(derivatives, "=", delta_form,
                  "differentiating the model's probabilities, every entry", given=given),
    ]
    return Proof(
        name="jacobian",
        title="The softmax Jacobian is diag(sigma) - sigma sigma^T",
        claim=_eq(sp.Derivative(_sigma[_i], _z[_j]),
                    _sigma[_i] * (sp.KroneckerDelta(_i, _j) - _sigma[_j])),
        claim_latex=r"\frac{\partial \sigma_i}{\partial z_j} = \sigma_i (\delta_{ij} - \sigma_j)"
        rf" \quad (i, j = 1, \dots, {C})",
        steps=tuple(steps),
        classes=C,
        holds_for="every C >= 1 (the case i != j from C = 2)",
    )


def _delta(i: int, j: int) -> sp.KroneckerDelta:
    """The Kronecker delta of classes i + 1 and j + 1, left unevaluated so a reader sees it."""
    return sp.KroneckerDelta(i + 1, j + 1, evaluate=False)


def prove_gradient(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`\partial l/\partial W_{j,i} = x_j(\sigma_i - y_i)`, using :math:`\sum_k y_k = 1`.

    The loss is rewritten with :math:`\log\sigma_k = z_k - \log S`, differentiated in the
    logits (where the label fact enters, in a step that names it), and carried to the
    weights by the chain rule (:math:`z_k = \sum_t W_{t,k} x_t` is linear in W). The model's
    :meth:`~symsoft.models.softmax.model.SoftmaxRegression.gradient` is compared entry by entry.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; C = ``model.classes`` and D = ``model.features``.

    Returns
    -------
    Proof
        Holds for every C >= 1 when the labels sum to one.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> proof = prove_gradient(SoftmaxRegression(classes=3))
    >>> [step.rule for step in proof.steps if step.given == (proof.facts[0],)]
    ['the label sums to one: y_1 + y_2 + y_3 = 1']
    """
    C = model.classes
    s, z, y, x, W = model.sigma, model.z, model.y, model.x, model.W
    e1 = sp.exp(z[0])
    label_sum = _label_sum(model)
    in_sigma = (_loss_definition(model), *_softmax_definitions(model))
    in_weights = (*in_sigma, *_logit_definitions(model))
    label_total = sp.Add(*y)
    logits_form = -sp.Add(*(yk * zk for yk, zk in zip(y, z))) + label_total * sp.log(S)
    steps = [
        ProofStep(l, "=", model.loss(), "definition: cross-entropy", given=in_sigma),
        ProofStep(sp.log(s[0]), "=", z[0] - sp.log(S), "log of a quotient, log e^{z} = z",
                  note=_REPRESENTATIVE_K, given=in_sigma),
        ProofStep(l, "=", logits_form, "log sigma_k = z_k - log S for every k", given=in_sigma),
        ProofStep(sp.Derivative(l, z[0]), "=", -y[0] + label_total * e1 / S,
                  "differentiate; d(log S)/dz_1 = e^{z_1}/S", given=in_sigma),
        ProofStep(-y[0] + label_total * e1 / S, "=", e1 / S - y[0],
                  f"the label sums to one: {_sum_text('y', C)} = 1", given=(label_sum,)),
        ProofStep(e1 / S - y[0], "=", s[0] - y[0], "definition of softmax", given=in_sigma),
        ProofStep(sp.Derivative(z[0], W[0, 0]), "=", x[0],
                  "z_1 = sum_t w_{t,1} x_t is linear in the weights",
                  given=_logit_definitions(model)),
    ]
    if C >= 2:
        steps.append(ProofStep(sp.Derivative(z[1], W[0, 0]), "=", 0,
                               "z_k for k != 1 does not contain w_{1,1}",
                               given=_logit_definitions(model)))
    gradient_form = sp.ImmutableMatrix(model.features, C, lambda j, i: x[j] * (s[i] - y[i]))
    steps += [
        ProofStep(sp.Derivative(l, W[0, 0]), "=", x[0] * (s[0] - y[0]),
                  "chain rule dl/dw_{1,1} = sum_k dl/dz_k dz_k/dw_{1,1}; steps 4 to 8",
                  note="feature j = 1 and class i = 1 stand for every j and i",
                  given=(*in_weights, label_sum)),
        ProofStep(model.gradient(), "=", gradient_form,
                  "the gradient derived entry by entry is x_j (sigma_i - y_i)",
                  **_single_class(model, _softmax_sum(model), label_sum)),
    ]
    return Proof(
        name="gradient",
        title="The gradient of the cross-entropy in the weights is x (sigma - y)^T",
        claim=_eq(sp.Derivative(l, _W[_j, _i]), _x[_j] * (_sigma[_i] - _y[_i])),
        claim_latex=r"\frac{\partial l}{\partial w_{j,i}} = x_j (\sigma_i - y_i)"
        rf" \quad \text{{when }} \sum_{{k=1}}^{{{C}}} y_k = 1",
        steps=tuple(steps),
        classes=C,
        holds_for="every C >= 1, for labels that sum to one",
    )


def prove_hessian_psd(model: SoftmaxRegression) -> Proof:
    r"""Prove :math:`v^\top(\operatorname{diag}\sigma - \sigma\sigma^\top)v \ge 0`: the loss is convex.

    The quadratic form is :math:`\sum_k \sigma_k v_k^2 - m^2` with :math:`m = \sum_k \sigma_k v_k`,
    and because :math:`\sum_k \sigma_k = 1` it equals the variance
    :math:`\sum_k \sigma_k (v_k - m)^2 \ge 0` of v under the distribution sigma. So the loss
    is convex in the logits, and in the weights too, since the logits are linear in W.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; C = ``model.classes``.

    Returns
    -------
    Proof
        Holds for every C >= 1.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> proof = prove_hessian_psd(SoftmaxRegression(classes=2))
    >>> proof.steps[-2].lhs
    sigma_1*(-m + v_1)**2 + sigma_2*(-m + v_2)**2
    >>> proof.steps[-2].relation, proof.steps[-2].rule
    ('>=', 'a sum of terms sigma_k (v_k - m)^2 >= 0: sigma_k > 0 (positivity), squares >= 0')
    """
    C = model.classes
    s, z = model.sigma, model.z
    v = tuple(sp.Symbol(f"v_{k}", real=True) for k in range(1, C + 1))
    hessian_form = _delta_form(model)
    in_sigma = (_loss_definition(model), *_softmax_definitions(model), _label_sum(model))
    quadratic = sp.Add(*(v[a] * hessian_form[a, b] * v[b] for a in range(C) for b in range(C)))
    second_moment = sp.Add(*(sk * vk**2 for sk, vk in zip(s, v)))
    mean = sp.Add(*(sk * vk for sk, vk in zip(s, v)))
    variance = sp.Add(*(sk * (vk - m) ** 2 for sk, vk in zip(s, v)))
    mean_definition = _eq(m, mean)
    steps = [
        ProofStep(sp.Derivative(l, z[0], z[0]), "=", s[0] * (1 - s[0]),
                  "differentiate dl/dz_1 = sigma_1 - y_1 again (uses sum_k y_k = 1)",
                  note="i = j = 1 stands for every i = j", given=in_sigma),
    ]
    if C >= 2:
        steps.append(ProofStep(sp.Derivative(l, z[0], z[1]), "=", -s[0] * s[1],
                               "differentiate dl/dz_1 in z_2 (uses sum_k y_k = 1)",
                               note="i = 1, j = 2 stands for every i != j", given=in_sigma))
    U = sp.Matrix(model.features, C, lambda t, k: sp.Symbol(f"u_{{{t + 1},{k + 1}}}", real=True))
    t = sp.Symbol("t", real=True)
    moved = dict(zip(model.W, model.W + t * U))
    shifted = sp.ImmutableMatrix([logit.xreplace(moved) for logit in model.logits])
    direction = sp.ImmutableMatrix([lg.xreplace(dict(zip(model.W, U))) for lg in model.logits])
    steps += [
        ProofStep(model.hessian(), "=", hessian_form,
                  "the Hessian derived entry by entry is diag(sigma) - sigma sigma^T",
                  **_single_class(model, _softmax_sum(model))),
        ProofStep(quadratic, "=", second_moment - mean**2, "expand the quadratic form v^T H v"),
        ProofStep(m, "=", mean, "definition: the mean of v under sigma",
                  given=(mean_definition,)),
        ProofStep(second_moment - m**2, "=", variance,
                  f"variance identity; {_sum_text('sigma', C)} = 1 (sum_to_one) and step 4",
                  given=(_softmax_sum(model), mean_definition)),
        ProofStep(variance, ">=", 0,
                  "a sum of terms sigma_k (v_k - m)^2 >= 0: sigma_k > 0 (positivity), squares >= 0",
                  given=(mean_definition,)),
        ProofStep(shifted, "=", sp.ImmutableMatrix(model.logits) + t * direction,
                  "z is linear in W, so l(W) = l(z(W)) is convex as well"),
    ]
    return Proof(
        name="hessian_psd",
        title="The Hessian in the logits is positive semidefinite: the loss is convex",
        claim=sp.Ge(sp.Sum(_sigma[_k] * _v[_k] ** 2, (_k, 1, C))
                    - sp.Sum(_sigma[_k] * _v[_k], (_k, 1, C)) ** 2, 0, evaluate=False),
        claim_latex=r"v^\top \left(\operatorname{diag}\sigma - \sigma\sigma^\top\right) v"
        rf" = \sum_{{k=1}}^{{{C}}} \sigma_k (v_k - m)^2 \ge 0"
        r" \quad \text{with } m = \sum_k \sigma_k v_k",
        steps=tuple(steps),
        classes=C,
        holds_for="every C >= 1",
    )


#: The provers in the order :func:`prove_all` runs them.
PROVERS: tuple[Callable[["SoftmaxRegression"], Proof], ...] = (
    prove_positivity,
    prove_below_one,
    prove_sum_to_one,
    prove_jacobian,
    prove_gradient,
    prove_hessian_psd,
)


def prove_all(model: SoftmaxRegression) -> tuple[Proof, ...]:
    """Build and check every proof for ``model``, in the order of :data:`PROVERS`.

    The order is positivity, below_one, sum_to_one, jacobian, gradient, hessian_psd.

    Parameters
    ----------
    model : SoftmaxRegression
        The model; the proofs are checked for its number of classes.

    Returns
    -------
    tuple of Proof

    Raises
    ------
    ProofError
        If a step does not check (a defect in the model or in a prover).

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> [p.holds_for for p in prove_all(SoftmaxRegression(classes=2))][:3]
    ['every C >= 1', 'every C >= 2', 'every C >= 1']
    """
    return tuple(prover(model) for prover in PROVERS)


# -- text ----------------------------------------------------------------------------------
def format_proofs_text(proofs: Iterable[Proof], *, width: int = 100) -> str:
    r"""Render proofs as terminal text: title, claim, numbered steps with their rules, and for which C.

    Steps print in SymPy's unicode pretty form when they fit in ``width`` columns and on one
    line otherwise; long sums and large matrices are shortened with an ellipsis.

    Parameters
    ----------
    proofs : iterable of Proof
        The proofs, for example from :func:`prove_all`.
    width : int, optional
        Widest pretty-printed step, in columns.

    Returns
    -------
    str

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> text = format_proofs_text([prove_positivity(SoftmaxRegression(classes=2))])
    >>> print(text.splitlines()[0])
    Softmax outputs are positive  (positivity, checked for C = 2)
    >>> "holds for every C >= 1" in text
    True
    """
    return "\n\n".join(_format_proof(proof, width) for proof in proofs) + "\n"


def _format_proof(proof: Proof, width: int) -> str:
    lines = [f"{proof.title}  ({proof.name}, checked for {proof.sizes or f'C = {proof.classes}'})"]
    claim = proof.claim
    relation = _CLAIM_RELATION.get(getattr(claim, "rel_op", ""), "")
    if relation:
        lhs, rhs = _display(claim.lhs), _display(claim.rhs)
        lines += _format_relation("  claim: ", lhs, relation, rhs, "", width)
    else:  # pragma: no cover - every prover states a relation
        lines.append(f"  claim: {_one_line(claim)}")
    for number, step in enumerate(proof.steps, start=1):
        prefix = f"  {number:>2}. "
        rule = f"    [{step.rule}]"
        lines += _format_relation(prefix, step.lhs, step.relation, step.rhs, rule, width)
        if step.note:
            lines.append(" " * len(prefix) + f"({step.note})")
    lines.append(f"  holds for {proof.holds_for}")
    return "\n".join(lines)


_SYMBOL = {"=": "=", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_CLAIM_RELATION = {"==": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _format_relation(
    prefix: str, lhs: sp.Basic, relation: str, rhs: sp.Basic, suffix: str, width: int
) -> list[str]:
    """``lhs relation rhs`` in unicode pretty form if it fits in ``width``, else on one line."""
    pretty = None if _is_large(lhs) or _is_large(rhs) else _pretty_rows(lhs, relation, rhs)
    if pretty is not None and max(map(len, pretty[0])) <= width:
        rows, baseline = pretty
        pad = " " * len(prefix)
        out = [(prefix if r == baseline else pad) + row.rstrip() for r, row in enumerate(rows)]
        out[baseline] += suffix
        return out
    return [f"{prefix}{_one_line(lhs)} {_SYMBOL[relation]} {_one_line(rhs)}{suffix}"]


def _pretty_rows(lhs: sp.Basic, relation: str, rhs: sp.Basic) -> tuple[list[str], int]:
    """The rows of ``lhs relation rhs`` in unicode pretty form and the row of its baseline."""
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm

    printer = PrettyPrinter({"use_unicode": True, "wrap_line": False})
    left, right = printer._print(lhs), printer._print(rhs)
    form = prettyForm(*left.right(prettyForm(f" {_SYMBOL[relation]} "), right))
    return form.render(wrap_line=False).split("\n"), form.baseline


def _is_large(expr: sp.Basic) -> bool:
    if isinstance(expr, sp.MatrixBase):
        return expr.rows * expr.cols > 9
    return any(isinstance(a, sp.Add) and len(a.args) > 6 for a in sp.preorder_traversal(expr))


class _ShortStrPrinter(StrPrinter):
    """``sstr`` on one line: long sums as ``a + b + c + ... + z``, large matrices by their shape."""

    def _print_Add(self, expr, order=None):
        if len(expr.args) <= 6:
            return super()._print_Add(expr, order=order)
        # Natural order (y_2 before y_10) reads better than SymPy's for a shortened sum.
        terms = sorted(map(self._print, expr.args), key=_natural_key)
        parts = []
        for n, text in enumerate([*terms[:3], terms[-1]]):
            sign, text = ("-", text[1:]) if text.startswith("-") else ("+", text)
            if n == 3:
                parts.append("+ ...")
            parts.append((text if sign == "+" else f"-{text}") if n == 0 else f"{sign} {text}")
        return " ".join(parts)

    def _print_MatrixBase(self, expr):
        text = f"Matrix({self._print(expr.tolist())})" if expr.rows * expr.cols <= 9 else ""
        return text if 0 < len(text) <= 120 else f"<{expr.rows}×{expr.cols} matrix>"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase


def _natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lstrip("-"))]


def _one_line(expr: sp.Basic) -> str:
    return _ShortStrPrinter().doprint(expr)


def _display(expr: sp.Basic) -> sp.Basic:
    """Write ``sigma[k]`` as the symbol ``sigma_k`` so the pretty printer shows it as σₖ."""
    def name(e: sp.Indexed) -> str:
        indices = ",".join(map(str, e.indices))
        return f"{e.base}_{indices}" if len(e.indices) == 1 else f"{e.base}_{{{indices}}}"

    return expr.xreplace({e: sp.Symbol(name(e)) for e in expr.atoms(sp.Indexed)})
