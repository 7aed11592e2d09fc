r"""Machine-checked proofs for every number of classes C at once.

The proofs of :mod:`symsoft.models.softmax.proofs` are checked for one C. Here each theorem is a chain of steps
written in index notation (:mod:`symsoft.models.softmax.semantics`: ``Softmax(z[k])``, sums up to the symbol C,
``Partial``, the loss ``l``, a direction ``v``), and every step is checked by the same engine
that checks student derivations (:func:`symsoft.models.softmax.claims.decide`): one case per pattern of
equalities among the free class indices, the C the indices name expanded exactly, and every
larger C at once with the classes the indices do not name summed as a *rest*
(:mod:`symsoft.models.softmax.all_classes`). A step is accepted only when it is proved for every C from the
proof's smallest C on (``for_all_c``); nothing is sampled.

One more rule, which the rest method cannot see through: a *termwise* step
``sum_k f_k >= 0`` is accepted when ``f_k >= 0`` is proved for every class k and every C.

The chain's conclusion is computed from its steps (``a = b > 0`` gives ``a > 0``) and must be
the stated claim.

>>> proof = prove_positivity()
>>> proof.conclusion, proof.smallest
('sigma(z[k]) > 0', 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
from sympy.printing.str import StrPrinter

from symsoft.errors import ProofError, UsageError
from symsoft.models.softmax.semantics import (
    CLASSES,
    INDEX_KINDS,
    LOSS,
    YHAT,
    Partial,
    Softmax,
    V,
    W,
    X,
    Z,
    index,
)

#: The relations a step may assert.
RELATIONS = ("=", "<", "<=", ">", ">=")

#: The classes expanded exactly before the proof for every larger C (the checker's default).
EXPANDED = (1, 2, 3, 4)

_i, _j, _k, _c, _t = (index(name) for name in "ijkct")


def _sigma(k: sp.Symbol) -> Softmax:
    return Softmax(Z[k])


def _classes_sum(summand: sp.Expr, k: sp.Symbol) -> sp.Sum:
    return sp.Sum(summand, (k, 1, CLASSES))


#: The softmax denominator sum_c e^{z_c}.
PARTITION = _classes_sum(sp.exp(Z[_c]), _c)


@dataclass(frozen=True)
class GeneralStep:
    r"""One step ``lhs relation rhs`` in index notation, and the rule it rests on.

    With ``termwise`` the step must read ``sum_k f_k >= 0`` (or ``> 0``), and it is checked by
    proving ``f_k >= 0`` (``> 0``) for every k.

    >>> GeneralStep(_sigma(_k), ">", 0, "e^x > 0").relation
    '>'
    """

    lhs: sp.Expr
    relation: str
    rhs: sp.Expr
    rule: str
    termwise: bool = False

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise UsageError(f"relation must be one of {', '.join(RELATIONS)}, got {self.relation!r}", self.relation)
        object.__setattr__(self, "lhs", sp.sympify(self.lhs))
        object.__setattr__(self, "rhs", sp.sympify(self.rhs))


@dataclass(frozen=True)
class GeneralProof:
    r"""A theorem for every C >= ``smallest``, proved by a chain of steps each checked for every C.

    ``facts`` lists the facts the steps used (``label_sum``: the labels sum to one); the chain is
    checked when the proof is built, and a step that does not check raises
    :class:`~symsoft.errors.ProofError`.

    >>> step = GeneralStep(_sigma(_k), "<", 0, "wrong on purpose")
    >>> GeneralProof("bad", "a false step", r"\sigma_k < 0", (step,))
    Traceback (most recent call last):
    ...
    symsoft.errors.ProofError: proof 'bad', step 1 (sigma(z[k]) < 0) is not proved for every C: refuted
    """

    name: str
    title: str
    claim_latex: str
    steps: tuple[GeneralStep, ...]
    smallest: int = 1
    facts: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        if not self.steps:
            raise UsageError(f"proof {self.name!r} has no steps", self.name)
        facts: list[str] = []
        for number, step in enumerate(self.steps, start=1):
            if number > 1 and step.lhs != self.steps[number - 2].rhs:
                raise ProofError(f"proof {self.name!r}, step {number} does not start where step {number - 1} ends")
            facts.extend(check_general_step(step, self.smallest, proof=self.name, number=number))
        _chain_relation(self.steps, self.name)
        object.__setattr__(self, "facts", tuple(dict.fromkeys(facts)))

    @property
    def relation(self) -> str:
        """The relation the chain proves between the first left side and the last right side.

        >>> prove_sum_to_one().relation
        '='
        """
        return _chain_relation(self.steps, self.name)

    @property
    def conclusion(self) -> str:
        """The proved statement in one line of text.

        >>> prove_positivity().conclusion
        'sigma(z[k]) > 0'
        """
        return f"{text_of(self.steps[0].lhs)} {self.relation} {text_of(self.steps[-1].rhs)}"

    @property
    def holds_for(self) -> str:
        """For which C the theorem is proved.

        >>> prove_below_one().holds_for
        'every C >= 2'
        """
        return f"every C >= {self.smallest}"


def _chain_relation(steps: tuple[GeneralStep, ...], name: str) -> str:
    relations = {s.relation for s in steps} - {"="}
    if not relations:
        return "="
    if relations <= {">", ">="}:
        return ">" if ">" in relations else ">="
    if relations <= {"<", "<="}:
        return "<" if "<" in relations else "<="
    raise ProofError(f"proof {name!r} mixes the directions {sorted(relations)}: the chain proves nothing")


def free_index_kinds(*exprs: sp.Expr) -> dict:
    """The free indices of the expressions and their kinds (``class`` or ``feature``).

    >>> sorted((str(k), v) for k, v in free_index_kinds(X[_t] * _sigma(_j)).items())
    [('j', 'class'), ('t', 'feature')]
    >>> free_index_kinds(_classes_sum(sp.KroneckerDelta(_c, _k), _c))
    {k: 'class'}
    """
    kinds: dict = {}
    for expr in exprs:
        free = expr.free_symbols
        for atom in expr.atoms(sp.Indexed):
            for position, kind in zip(atom.indices, INDEX_KINDS.get(atom.base, ())):
                if isinstance(position, sp.Symbol) and position in free:
                    kinds[position] = kind
    for expr in exprs:
        free = expr.free_symbols
        for delta in expr.atoms(sp.KroneckerDelta):
            known = [kinds[a] for a in delta.args[:2] if a in kinds]
            for a in delta.args[:2]:
                if isinstance(a, sp.Symbol) and a in free and a not in kinds:
                    kinds[a] = known[0] if known else "class"
    return kinds


def check_general_step(step: GeneralStep, smallest: int, *, proof: str = "", number: int = 1) -> tuple[str, ...]:
    """Check one step for every C >= ``smallest``; return the facts it used, or raise ProofError.

    >>> check_general_step(GeneralStep(_classes_sum(_sigma(_k), _k), "=", 1, "sum"), 1)
    ()
    """
    from symsoft.models.softmax.claims import decide

    lhs, relation, rhs = step.lhs, step.relation, step.rhs
    if step.termwise:
        if not (isinstance(lhs, sp.Sum) and len(lhs.limits) == 1 and rhs == 0 and relation in (">", ">=")):
            raise ProofError(f"proof {proof!r}, step {number}: a termwise step must read sum_k f_k >= 0")
        _variable, low, high = lhs.limits[0]
        if low != 1 or high != CLASSES:
            raise ProofError(f"proof {proof!r}, step {number}: a termwise sum must run over all classes")
        lhs = lhs.function
    kinds = free_index_kinds(lhs, rhs)
    classes = tuple(c for c in EXPANDED if c >= smallest)
    outcome = decide(lhs, relation, rhs, kinds, (), classes, all_c=True)
    plain = outcome.status == "proved" and not outcome.classes  # no class enters the step: it holds for every C
    if outcome.status != "proved" or not (outcome.for_all_c or plain):
        what = outcome.status if outcome.status != "proved" else "proved only for C = " + ", ".join(map(str, outcome.classes))
        shown = f"{text_of(lhs)} {relation} {text_of(rhs)}"
        raise ProofError(f"proof {proof!r}, step {number} ({shown}) is not proved for every C: {what}")
    return outcome.facts


# -- the theorems ----------------------------------------------------------------------------------
def prove_positivity() -> GeneralProof:
    r"""sigma(z_k) > 0 for every k and every C >= 1.

    >>> prove_positivity().relation
    '>'
    """
    return GeneralProof("positivity", "Softmax outputs are positive", r"\sigma(z_k) > 0", (
        GeneralStep(_sigma(_k), "=", sp.exp(Z[_k]) / PARTITION, "definition of softmax"),
        GeneralStep(sp.exp(Z[_k]) / PARTITION, ">", 0, "a quotient of positive terms: e^x > 0"),
    ))


def prove_below_one() -> GeneralProof:
    r"""1 - sigma(z_k) > 0, that is sigma(z_k) < 1, for every C >= 2.

    >>> prove_below_one().smallest
    2
    """
    others = _classes_sum(sp.exp(Z[_c]) * (1 - sp.KroneckerDelta(_c, _k)), _c)
    return GeneralProof("below_one", "Softmax outputs are below one", r"\sigma(z_k) < 1", (
        GeneralStep(1 - _sigma(_k), "=", others / PARTITION, "definition of softmax; e^{z_k} is one term of the sum"),
        GeneralStep(others / PARTITION, ">", 0, "a quotient of positive terms: the sum has a class c != k when C >= 2"),
    ), smallest=2)


def prove_sum_to_one() -> GeneralProof:
    r"""sum_k sigma(z_k) = 1 for every C >= 1.

    >>> prove_sum_to_one().conclusion
    'sum_{k=1}^{C} (sigma(z[k])) = 1'
    """
    spelled = _classes_sum(sp.exp(Z[_k]) / PARTITION, _k)
    return GeneralProof("sum_to_one", "Softmax outputs sum to one", r"\sum_{k=1}^{C} \sigma(z_k) = 1", (
        GeneralStep(_classes_sum(_sigma(_k), _k), "=", spelled, "definition of softmax"),
        GeneralStep(spelled, "=", 1, "the numerators add up to the common denominator"),
    ))


def prove_jacobian() -> GeneralProof:
    r"""d sigma(z_i) / d z_j = sigma(z_i) (delta_ij - sigma(z_j)) for every C >= 1.

    >>> prove_jacobian().relation
    '='
    """
    e_i, e_j = sp.exp(Z[_i]), sp.exp(Z[_j])
    quotient = (sp.KroneckerDelta(_i, _j) * e_i * PARTITION - e_i * e_j) / PARTITION**2
    return GeneralProof("jacobian", "The softmax Jacobian",
                        r"\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)\left(\delta_{ij} - \sigma(z_j)\right)", (
        GeneralStep(Partial(_sigma(_i), Z[_j]), "=", quotient, "quotient rule; d e^{z_i}/d z_j = delta_ij e^{z_i}"),
        GeneralStep(quotient, "=", _sigma(_i) * (sp.KroneckerDelta(_i, _j) - _sigma(_j)), "definition of softmax"),
    ))


def prove_gradient() -> GeneralProof:
    r"""d l / d z_j = sigma(z_j) - yhat_j for every C >= 1 (the labels sum to one).

    >>> prove_gradient().facts
    ('label_sum',)
    """
    chain = -_classes_sum(YHAT[_k] * Partial(sp.log(_sigma(_k)), Z[_j]), _k)
    jacobian = -_classes_sum(YHAT[_k] * (sp.KroneckerDelta(_k, _j) - _sigma(_j)), _k)
    split = _sigma(_j) * _classes_sum(YHAT[_k], _k) - YHAT[_j]
    return GeneralProof("gradient", "The gradient of the cross-entropy in the logits",
                        r"\frac{\partial l}{\partial z_j} = \sigma(z_j) - \hat{y}_j", (
        GeneralStep(Partial(LOSS, Z[_j]), "=", chain, "l = -sum_k yhat_k log sigma(z_k); the derivative of a sum"),
        GeneralStep(chain, "=", jacobian, "d log sigma(z_k)/d z_j = delta_kj - sigma(z_j) (the Jacobian over sigma(z_k))"),
        GeneralStep(jacobian, "=", split, "only the term k = j keeps delta_kj"),
        GeneralStep(split, "=", _sigma(_j) - YHAT[_j], "the labels sum to one"),
    ))


def prove_gradient_in_weights() -> GeneralProof:
    r"""d l / d w_t^{(j)} = x_t (sigma(z_j) - yhat_j) for every C >= 1, with z_k = sum_t w_t^{(k)} x_t.

    >>> prove_gradient_in_weights().conclusion
    'd l/dw[t, j] = (sigma(z[j]) - yhat[j])*x[t]'
    """
    chain = _classes_sum(Partial(LOSS, Z[_k]) * Partial(Z[_k], W[_t, _j]), _k)
    known = _classes_sum((_sigma(_k) - YHAT[_k]) * X[_t] * sp.KroneckerDelta(_k, _j), _k)
    return GeneralProof("gradient_weights", "The gradient of the cross-entropy in the weights",
                        r"\frac{\partial l}{\partial w_t^{(j)}} = x_t \left(\sigma(z_j) - \hat{y}_j\right)", (
        GeneralStep(Partial(LOSS, W[_t, _j]), "=", chain, "chain rule through the logits"),
        GeneralStep(chain, "=", known, "the gradient in the logits; d z_k / d w_t^{(j)} = x_t delta_kj"),
        GeneralStep(known, "=", X[_t] * (_sigma(_j) - YHAT[_j]), "only the term k = j keeps delta_kj"),
    ))


def prove_hessian_psd() -> GeneralProof:
    r"""v^T H v >= 0 for the Hessian H of the loss in the logits, every v and every C >= 1.

    >>> prove_hessian_psd().relation
    '>='
    """
    second = Partial(Partial(LOSS, Z[_i]), Z[_j])
    form = _classes_sum(_classes_sum(V[_i] * V[_j] * second, _j), _i)
    entries = _classes_sum(_classes_sum(V[_i] * V[_j] * _sigma(_i) * (sp.KroneckerDelta(_i, _j) - _sigma(_j)), _j), _i)
    mean = _classes_sum(_sigma(_i) * V[_i], _i)
    moments = _classes_sum(_sigma(_i) * V[_i] ** 2, _i) - mean**2
    variance = _classes_sum(_sigma(_k) * (V[_k] - mean) ** 2, _k)
    return GeneralProof("hessian_psd", "The Hessian in the logits is positive semidefinite: the loss is convex",
                        r"v^\top H v = \sum_{i=1}^{C} \sum_{j=1}^{C} v_i v_j \frac{\partial^2 l}{\partial z_i \partial z_j} \ge 0", (
        GeneralStep(form, "=", entries, "the Hessian entries sigma(z_i)(delta_ij - sigma(z_j)) (the labels sum to one)"),
        GeneralStep(entries, "=", moments, "expand; delta_ij keeps the diagonal"),
        GeneralStep(moments, "=", variance, "the variance identity (the sigma(z_k) sum to one)"),
        GeneralStep(variance, ">=", 0, "every term is sigma(z_k) > 0 times a square",
                    termwise=True),
    ))


#: The provers in the order :func:`prove_every_c` runs them.
PROVERS: tuple[Callable[[], GeneralProof], ...] = (
    prove_positivity, prove_below_one, prove_sum_to_one, prove_jacobian, prove_gradient, prove_gradient_in_weights,
    prove_hessian_psd,
)


def prove_every_c() -> tuple[GeneralProof, ...]:
    """Build and check every proof for every C.

    >>> [p.name for p in prove_every_c()][:3]
    ['positivity', 'below_one', 'sum_to_one']
    """
    return tuple(prover() for prover in PROVERS)


# -- text ----------------------------------------------------------------------------------------
class _IndexPrinter(StrPrinter):
    #: the derivative's sign, and what stands between it and the function (``d f/dz``, ``∂f/∂z``)
    partial, gap = "d", " "

    def _print_Softmax(self, expr) -> str:
        return f"sigma({self._print(expr.args[0])})"

    def _print_Partial(self, expr) -> str:
        operand, variables = expr.args[0], [expr.args[1]]
        while isinstance(operand, Partial):
            operand, variables = operand.args[0], [operand.args[1], *variables]
        order = f"^{len(variables)}" if len(variables) > 1 else ""
        shown = self._print(operand)
        if not isinstance(operand, (sp.Symbol, sp.Indexed, Softmax)):
            shown = f"({shown})"
        return f"{self.partial}{order}{self.gap}{shown}/" + "".join(f"{self.partial}{self._print(v)}" for v in variables)

    def _print_Sum(self, expr) -> str:
        text = f"({self._print(expr.function)})"
        for variable, low, high in expr.limits:
            text = f"sum_{{{variable}={low}}}^{{{high}}} {text}"
        return text

    def _print_Pow(self, expr, rational=False) -> str:
        if isinstance(expr.base, (sp.Sum, Partial)) and expr.exp.is_Integer and expr.exp > 0:
            return f"({self._print(expr.base)})**{expr.exp}"
        return super()._print_Pow(expr, rational=rational)

    def _print_Mul(self, expr) -> str:
        numerator, denominator = sp.fraction(expr)
        if denominator == 1:
            coefficient, factors = expr.as_coeff_mul()
            parts = [f"({self._print(f)})" if isinstance(f, (sp.Add, sp.Sum, Partial)) and len(factors) > 1
                     else self._print(f) for f in sorted(factors, key=lambda f: isinstance(f, (sp.Sum, Partial)))]
            sign = "-" if coefficient == -1 else ("" if coefficient == 1 else f"{self._print(coefficient)}*")
            return sign + "*".join(parts)
        top, bottom = self._print(numerator), self._print(denominator)
        if isinstance(numerator, sp.Add):
            top = f"({top})"
        if not isinstance(denominator, (sp.Symbol, sp.Indexed, sp.Sum)) or isinstance(denominator, sp.Sum):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _print_KroneckerDelta(self, expr) -> str:
        return f"delta({self._print(expr.args[0])}, {self._print(expr.args[1])})"


class _UnicodePrinter(_IndexPrinter):
    """Index notation as mathematics is written, on one line: σ(z_k), ∂σ(z_i)/∂z_j, ∑_{c=1}^{C}, e^{z_c}, δ_{ik}."""

    printmethod = "_symsoft_unicode"  # never an object's own str printing (Indexed prints z[k] by itself)
    partial, gap = "∂", ""

    def _print_IndexedBase(self, expr) -> str:
        return {"yhat": "ŷ"}.get(str(expr.label), str(expr.label))

    def _print_Symbol(self, expr) -> str:
        return {"yhat": "ŷ", "l": "l"}.get(expr.name, expr.name)

    def _print_Indexed(self, expr) -> str:
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{self._print(expr.base)}_{indices if len(indices) == 1 else '{' + indices + '}'}"

    def _print_Softmax(self, expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_Sum(self, expr) -> str:
        text = self._print(expr.function)
        text = f"({text})" if isinstance(expr.function, sp.Add) else text
        for variable, low, high in expr.limits:
            text = f"∑_{{{variable}={low}}}^{{{high}}} {text}"
        return text

    def _print_exp(self, expr) -> str:
        return f"e^{{{self._print(expr.args[0])}}}"

    def _print_Pow(self, expr, rational=False) -> str:
        if expr.exp.is_Integer and expr.exp > 0:
            base = self._print(expr.base)
            simple = isinstance(expr.base, (sp.Symbol, sp.Indexed, Softmax)) or expr.base.func == sp.exp
            return f"{base if simple else '(' + base + ')'}^{expr.exp}"
        return super()._print_Pow(expr, rational=rational)

    def _print_Mul(self, expr) -> str:
        return super()._print_Mul(expr).replace("*", "·")

    def _print_KroneckerDelta(self, expr) -> str:
        return f"δ_{{{self._print(expr.args[0])}{self._print(expr.args[1])}}}"

    def _print_log(self, expr) -> str:
        return f"log({self._print(expr.args[0])})"


def unicode_of(expr: sp.Expr) -> str:
    """One line of mathematics (Unicode) for an expression in index notation, as ``prove --all-c`` prints it.

    >>> unicode_of(Partial(_sigma(_i), Z[_j])), unicode_of(_sigma(_i) * (sp.KroneckerDelta(_i, _j) - _sigma(_j)))
    ('∂σ(z_i)/∂z_j', '(δ_{ij} - σ(z_j))·σ(z_i)')
    """
    return _UnicodePrinter().doprint(expr)


_RELATIONS = {">=": "≥", "<=": "≤", "!=": "≠"}


def text_of(expr: sp.Expr) -> str:
    """One line of text for an expression in index notation.

    >>> text_of(Partial(_sigma(_i), Z[_j]))
    'd sigma(z[i])/dz[j]'
    """
    return _IndexPrinter().doprint(expr)


def format_every_c_text(proofs: tuple[GeneralProof, ...]) -> str:
    """The proofs as plain text: theorem, steps with their rules, facts used.

    >>> print(format_every_c_text((prove_positivity(),)).splitlines()[0])
    positivity: Softmax outputs are positive, for every C ≥ 1
    """
    lines = []
    for proof in proofs:
        relation = _RELATIONS.get(proof.relation, proof.relation)
        lines.append(f"{proof.name}: {proof.title}, for every C ≥ {proof.smallest}")
        lines.append(f"  theorem: {unicode_of(proof.steps[0].lhs)} {relation} {unicode_of(proof.steps[-1].rhs)}")
        for number, step in enumerate(proof.steps, start=1):
            head = unicode_of(step.lhs) if number == 1 else ""
            sign = _RELATIONS.get(step.relation, step.relation)
            lines.append(f"  ({number}) {(head + ' ') if head else ''}{sign} {unicode_of(step.rhs)}")
            lines.append(f"        [{step.rule}{'; checked term by term' if step.termwise else ''}]")
        if proof.facts:
            lines.append("  uses: " + ", ".join({"label_sum": "∑_k ŷ_k = 1"}.get(f, f) for f in proof.facts))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
