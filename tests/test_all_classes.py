"""Proofs for every number of classes C: the explicit classes plus a rest summed as aggregates."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from symsoft.models.softmax.all_classes import Unsupported, prove_for_all_c
from symsoft.check import check
from symsoft.models.softmax.semantics import CLASSES, LOSS, YHAT, Z, Partial, Softmax, W, X, index

i, j, k, h = (index(n) for n in "ijkh")
SIGMA_SUM = sp.Sum(Softmax(Z[k]), (k, 1, CLASSES))

TRUE_FOR_ALL_C = [
    ("sum to one", SIGMA_SUM, "=", sp.Integer(1), {}, 0),
    ("positive", Softmax(Z[i]), ">", sp.Integer(0), {i: 1}, 1),
    ("below one", Softmax(Z[i]), "<", sp.Integer(1), {i: 1}, 1),
    ("jacobian i = j", Partial(Softmax(Z[i]), Z[j]), "=", Softmax(Z[i]) * (1 - Softmax(Z[j])), {i: 1, j: 1}, 1),
    ("jacobian i != j", Partial(Softmax(Z[i]), Z[j]), "=", -Softmax(Z[i]) * Softmax(Z[j]), {i: 1, j: 2}, 2),
    ("logit gradient", Partial(LOSS, Z[i]), "=", Softmax(Z[i]) - YHAT[i], {i: 1}, 1),
    ("weight gradient", Partial(LOSS, W[j, i]), "=", X[j] * (Softmax(Z[i]) - YHAT[i]), {i: 1, j: 1}, 1),
]


@pytest.mark.parametrize("name,lhs,relation,rhs,values,m", TRUE_FOR_ALL_C, ids=[c[0] for c in TRUE_FOR_ALL_C])
def test_true_claims_are_proved_for_every_c(name, lhs, relation, rhs, values, m):
    """Textbook identities and bounds are proved with the rest of the classes left symbolic."""
    proved, _ = prove_for_all_c(lhs, relation, rhs, values, m)
    assert proved


def test_label_fact_is_named():
    """The gradient in the logits uses sum_k yhat_k = 1 and says so."""
    proved, facts = prove_for_all_c(Partial(LOSS, Z[i]), "=", Softmax(Z[i]) - YHAT[i], {i: 1}, 1)
    assert proved and facts == ("label_sum",)


FALSE_OR_C_DEPENDENT = [
    ("seed (7) for i != j", Partial(Softmax(Z[i]), Z[j]), "=", Softmax(Z[i]) * (sp.KroneckerDelta(i, j) - Softmax(Z[i])), {i: 1, j: 2}, 2),
    ("holds only for small C", sp.Sum(Softmax(Z[k]) ** 2, (k, 1, CLASSES)), ">=", sp.Rational(1, 5), {}, 0),
    ("sigma above a half", Softmax(Z[i]), ">", sp.Rational(1, 2), {i: 1}, 1),
]


@pytest.mark.parametrize("name,lhs,relation,rhs,values,m", FALSE_OR_C_DEPENDENT, ids=[c[0] for c in FALSE_OR_C_DEPENDENT])
def test_claims_false_for_some_c_are_never_proved(name, lhs, relation, rhs, values, m):
    """A claim false for some C is never proved for every C."""
    try:
        proved, _ = prove_for_all_c(lhs, relation, rhs, values, m)
    except Unsupported:
        return
    assert not proved


def test_nested_sums_over_the_rest():
    """Nested sums (a rest class inside a sum over the rest) are summed exactly, and false ones fail."""
    nested = sp.Sum(sp.Sum(sp.KroneckerDelta(k, h) * Softmax(Z[h]), (h, 1, CLASSES)), (k, 1, CLASSES))
    assert prove_for_all_c(nested, "=", sp.Integer(1), {}, 0)[0]
    assert not prove_for_all_c(nested, "=", sp.Integer(2), {}, 0)[0]
    rows = sp.Sum(sp.Sum(Partial(Softmax(Z[k]), Z[h]), (h, 1, CLASSES)), (k, 1, CLASSES))
    assert prove_for_all_c(rows, "=", sp.Integer(0), {}, 0)[0]


def test_three_deep_rest_sums_are_unsupported():
    """Three sums nested over the rest are left to given values of C."""
    m = index("m")
    deep = sp.Sum(sp.Sum(sp.Sum(sp.KroneckerDelta(k, h) * sp.KroneckerDelta(h, m) * Softmax(Z[m]), (m, 1, CLASSES)), (h, 1, CLASSES)), (k, 1, CLASSES))
    with pytest.raises(Unsupported):
        prove_for_all_c(deep, "=", sp.Integer(1), {}, 0)


def test_homework_steps_proved_for_every_c():
    """The homework's (2), (5), (6) and (9) are proved for every C; with --classes, for that C only."""
    homework = Path(__file__).parent.parent / "derivations" / "softmax_homework.md"
    report = check(homework)
    by_label = {e.label: e for e in report.equations}
    for label in ("2", "3", "5", "6", "9"):
        assert all(s.for_all_c for s in by_label[label].steps), label
    fixed = check(homework, classes=3)
    assert not any(s.for_all_c for e in fixed.equations for s in e.steps)
