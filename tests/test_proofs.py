"""Tests for symsoft.models.softmax.proofs: every proof checks, and a broken step never does."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symsoft.errors import ProofError, UsageError
from symsoft.models.softmax.proofs import (
    PROVERS,
    Proof,
    ProofStep,
    check_step,
    format_proofs_text,
    prove_all,
    prove_below_one,
    prove_gradient,
    prove_hessian_psd,
    prove_jacobian,
)
from symsoft.models.softmax.model import SoftmaxRegression

NAMES = ["positivity", "below_one", "sum_to_one", "jacobian", "gradient", "hessian_psd"]
CLASSES = [1, 2, 3, 5]

# (relation, a relation that contradicts it)
FLIPPED = [(">", "<="), (">=", "<"), ("<", ">="), ("<=", ">")]


@cache
def proofs_for(classes: int) -> tuple[Proof, ...]:
    return prove_all(SoftmaxRegression(classes=classes))


def broken(step: ProofStep) -> ProofStep:
    """The step with one added to its right-hand side (every entry, for a matrix)."""
    rhs = step.rhs
    if isinstance(rhs, sp.MatrixBase):
        return dataclasses.replace(step, rhs=rhs + sp.ones(*rhs.shape))
    return dataclasses.replace(step, rhs=rhs + 1)


def equality_steps(classes: int) -> list[tuple[str, int, ProofStep]]:
    return [
        (p.name, n, s)
        for p in proofs_for(classes)
        for n, s in enumerate(p.steps, start=1)
        if s.relation == "="
    ]


def inequality_steps(classes: int) -> list[tuple[str, int, ProofStep]]:
    return [
        (p.name, n, s)
        for p in proofs_for(classes)
        for n, s in enumerate(p.steps, start=1)
        if s.relation != "="
    ]


# -- every proof builds and checks ----------------------------------------------------------
@pytest.mark.parametrize("classes", CLASSES)
def test_prove_all_builds_every_proof_in_order(classes):
    """prove_all checks all six proofs, in the documented order, for C = 1, 2, 3 and 5."""
    proofs = proofs_for(classes)
    assert [p.name for p in proofs] == NAMES
    assert all(p.classes == classes for p in proofs)
    assert all(p.steps and p.holds_for and p.claim_latex for p in proofs)


@pytest.mark.parametrize("classes", CLASSES)
def test_every_step_of_every_proof_checks_again(classes):
    """Re-checking any step of a built proof raises nothing."""
    for proof in proofs_for(classes):
        for step in proof.steps:
            check_step(step)


@pytest.mark.parametrize("prover", PROVERS, ids=lambda f: f.__name__)
def test_each_prover_runs_on_its_own(prover):
    """Each prover returns a Proof named after it, for C = 4 (a C not used elsewhere)."""
    proof = prover(SoftmaxRegression(classes=4))
    assert isinstance(proof, Proof)
    assert prover.__name__ == f"prove_{proof.name}"


def test_model_prove_uses_these_proofs():
    """SoftmaxRegression.prove() returns the proofs of this module."""
    assert [p.name for p in SoftmaxRegression(classes=2).prove()] == NAMES


# -- broken steps do not check ----------------------------------------------------------------
@pytest.mark.parametrize(("name", "number", "step"), equality_steps(2),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_equality_step_plus_one_is_rejected(name, number, step):
    """Adding one to the right-hand side of any equality step makes check_step raise ProofError."""
    with pytest.raises(ProofError):
        check_step(broken(step))


@pytest.mark.parametrize(("name", "number", "step"), inequality_steps(3),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_flipped_inequality_step_is_rejected(name, number, step):
    """Replacing any inequality by its negation makes check_step raise ProofError."""
    flipped = dict(FLIPPED)[step.relation]
    with pytest.raises(ProofError, match="is not (positive|nonnegative)"):
        check_step(dataclasses.replace(step, relation=flipped))


def test_proof_error_names_proof_step_and_reason():
    """A proof built with a false step fails on construction, naming the proof, the step and why."""
    proof = proofs_for(2)[0]
    steps = (*proof.steps[:2], broken(proof.steps[2]), *proof.steps[3:])
    with pytest.raises(ProofError) as caught:
        dataclasses.replace(proof, steps=steps)
    message, step, reason = caught.value.args
    assert message.startswith("proof 'positivity', step 3 (e^x > 0)")
    assert step == broken(proof.steps[2])
    assert reason in message


def test_a_sign_sympy_cannot_decide_is_not_accepted():
    """x >= 0 for a real x is neither proved nor sampled into a pass."""
    x = sp.Symbol("x", real=True)
    with pytest.raises(ProofError, match="could not show"):
        check_step(ProofStep(x, ">=", 0, "no reason"))


def test_square_is_nonnegative_but_not_positive():
    """(x - 1)^2 >= 0 checks; (x - 1)^2 > 0 does not, since it is zero at x = 1."""
    x = sp.Symbol("x", real=True)
    check_step(ProofStep((x - 1) ** 2, ">=", 0, "a square"))
    with pytest.raises(ProofError):
        check_step(ProofStep((x - 1) ** 2, ">", 0, "a square"))


@settings(max_examples=25, deadline=None)
@given(c=st.integers(-20, 20), k=st.integers(-5, 5))
def test_binomial_identity_checks_and_any_offset_breaks_it(c, k):
    """(x + c)^2 = x^2 + 2cx + c^2 checks for every integer c, and fails once k != 0 is added."""
    x = sp.Symbol("x", real=True)
    step = ProofStep((x + c) ** 2, "=", x**2 + 2 * c * x + c**2 + k, "binomial formula")
    if k == 0:
        check_step(step)
    else:
        with pytest.raises(ProofError):
            check_step(step)


def test_derivative_step_checks_only_with_the_right_derivative():
    """A derivative step uses the definition in `given`; the wrong derivative is rejected."""
    z = sp.Symbol("z", real=True)
    f = sp.Symbol("f")
    definition = sp.Eq(f, z**3, evaluate=False)
    check_step(ProofStep(sp.Derivative(f, z), "=", 3 * z**2, "power rule", given=(definition,)))
    with pytest.raises(ProofError):
        check_step(ProofStep(sp.Derivative(f, z), "=", 2 * z**2, "power rule", given=(definition,)))


def test_step_rejects_text_and_unknown_relations():
    """A step takes SymPy expressions and one of the five relations, never text."""
    x = sp.Symbol("x")
    with pytest.raises(UsageError):
        ProofStep("x + 1", "=", x + 1, "text")
    with pytest.raises(UsageError):
        ProofStep(x, "=<", x, "typo")


def test_steps_and_proofs_are_frozen():
    """Steps and proofs are values: assigning a field raises."""
    step = proofs_for(1)[0].steps[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.rule = "changed"  # type: ignore[misc]


# -- what the proofs say ------------------------------------------------------------------------
@pytest.mark.parametrize("classes", [2, 3, 5])
def test_below_one_is_strict_from_two_classes(classes):
    """For C >= 2 the claim and the final step are sigma < 1, and they hold for every C >= 2."""
    proof = prove_below_one(SoftmaxRegression(classes=classes))
    assert isinstance(proof.claim, sp.StrictLessThan)
    assert proof.steps[-1].relation == "<"
    assert proof.holds_for == "every C >= 2"
    assert any("C >= 2" in step.rule for step in proof.steps)


def test_below_one_is_not_strict_for_one_class():
    """For C = 1, sigma_1 = 1, so the claim is only sigma <= 1."""
    proof = prove_below_one(SoftmaxRegression(classes=1))
    assert isinstance(proof.claim, sp.LessThan)
    assert proof.steps[-1].relation == "<="
    assert proof.holds_for == "C = 1"
    with pytest.raises(ProofError):
        check_step(dataclasses.replace(proof.steps[-1], relation="<"))


@pytest.mark.parametrize("classes", CLASSES)
def test_gradient_names_the_label_sum_fact_where_it_uses_it(classes):
    """The gradient step that needs sum_k y_k = 1 says so in its rule and fails without it."""
    model = SoftmaxRegression(classes=classes)
    proof = prove_gradient(model)
    label_sum = sp.Eq(sp.Add(*model.y), 1)
    assert label_sum in proof.facts
    users = [s for s in proof.steps if label_sum in s.given and "y" in sp.sstr(s.lhs - s.rhs)]
    named = [s for s in users if "label sums to one" in s.rule]
    assert named, "no step names the label-sum fact"
    for step in named:
        without = tuple(g for g in step.given if g != label_sum)
        if classes > 1:  # for C = 1 the fact y_1 = 1 is the whole label
            with pytest.raises(ProofError):
                check_step(dataclasses.replace(step, given=without))


@pytest.mark.parametrize("classes", [2, 3])
def test_variance_step_needs_softmax_to_sum_to_one(classes):
    """The variance identity of the Hessian proof uses sum_k sigma_k = 1 and fails without it."""
    model = SoftmaxRegression(classes=classes)
    proof = prove_hessian_psd(model)
    sigma_sum = sp.Eq(sp.Add(*model.sigma), 1)
    (step,) = [s for s in proof.steps if sigma_sum in s.given]
    assert "variance" in step.rule
    with pytest.raises(ProofError):
        check_step(dataclasses.replace(step, given=tuple(g for g in step.given if g != sigma_sum)))


def test_hessian_proof_ends_in_a_nonnegative_variance():
    """The Hessian proof shows a sum of sigma_k (v_k - m)^2 >= 0 and covers the weights too."""
    proof = prove_hessian_psd(SoftmaxRegression(classes=3))
    assert any(s.relation == ">=" and s.rhs == 0 for s in proof.steps)
    assert "linear in W" in proof.steps[-1].rule


@pytest.mark.parametrize("classes", [1, 2, 3])
def test_jacobian_proof_covers_both_index_cases(classes):
    """The Jacobian proof has the case i = j, the case i != j when C >= 2, and the delta form."""
    rules = " ".join(s.rule for s in prove_jacobian(SoftmaxRegression(classes=classes)).steps)
    assert "case i = j" in rules
    assert ("case i != j" in rules) == (classes >= 2)
    assert "delta" in rules


@pytest.mark.parametrize(
    ("method", "prover"),
    [("jacobian", prove_jacobian), ("gradient", prove_gradient), ("hessian", prove_hessian_psd)],
)
def test_a_wrong_model_result_is_caught(monkeypatch, method, prover):
    """If the model derived a wrong matrix, the proof that compares with it fails."""
    model = SoftmaxRegression(classes=2)
    right = getattr(model, method)()
    wrong = sp.Matrix(right)
    wrong[0, 0] = -wrong[0, 0]
    monkeypatch.setattr(model, method, lambda: wrong)
    with pytest.raises(ProofError, match=method):
        prover(model)


# -- text --------------------------------------------------------------------------------------
@pytest.mark.parametrize("classes", [1, 3])
def test_text_has_every_title_claim_step_and_range(classes):
    """The terminal text shows each proof's title, claim, numbered steps with rules, and holds_for."""
    proofs = proofs_for(classes)
    text = format_proofs_text(proofs)
    for proof in proofs:
        assert proof.title in text
        assert f"holds for {proof.holds_for}" in text
        assert f"[{proof.steps[-1].rule}]" in text
    assert text.count("claim:") == len(proofs)
    assert "   1. " in text


def test_text_for_many_classes_stays_readable():
    """For C = 7 long sums are shortened and large matrices named by shape."""
    text = format_proofs_text(prove_all(SoftmaxRegression(classes=7)))
    assert "+ ... +" in text
    assert "<7×7 matrix>" in text
    assert max(map(len, text.splitlines())) < 400
