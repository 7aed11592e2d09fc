r"""Real spellings around gradient descent: an update rule or an assignment defines the next value (never a claim to
refute), ``\nabla E(w_{1,1})`` of a function of one number is the derivative in that quantity, and ``E(w_{1,1}^{(l)})``
is the error E, never E times w."""

from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.parse.latex import normalize_latex, update_rule


def _verdicts(text: str) -> dict:
    return {e.label: e for e in check(text, is_text=True).equations}


@pytest.mark.parametrize("latex, letter", [
    (r"w_{1,1}^{(l+1)} = w_{1,1}^{(l)} - h \cdot \nabla E(w_{1,1}^{(l)})", "w"),
    (r"w{(l + 1)} = w^{(l)} - h \nabla E(w^{(l)})", "w"),
    (r"\theta_{t+1} = \theta_t - \alpha g_t", "\\theta"),
    (r"\mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \mathbf{g}", "w"),
    (r"w_j \leftarrow w_j - \alpha (\hat{y} - y) x_j", "w"),
    (r"b \gets b - \alpha (\hat{y} - y)", "b"),
])
def test_updates_and_assignments_are_read(latex, letter):
    assert update_rule(latex) == letter


@pytest.mark.parametrize("latex", [r"a_{i+1} = b", r"x^{(i)}_{j} = 1", r"w_{t+1} = w_{t+1} - 1", r"a \leq b \leftarrow c"])
def test_other_displays_are_not_updates(latex):
    assert update_rule(latex) == ""


def test_an_update_is_a_definition_not_a_false_claim():
    text = (r"$$E(w) = \frac{1}{2} \sum_{i=1}^M (y^{(i)} - t^{(i)})^2 \tag{1}$$" "\n\n"
            r"$$w^{(l+1)} = w^{(l)} - h \sum_{i=1}^M (y^{(i)} - t^{(i)}) x^{(i)} \tag{2}$$")
    verdict = _verdicts(text)["2"]
    assert verdict.status == "definition" and "next step" in verdict.message


def test_the_gradient_of_a_function_of_one_number_is_its_derivative():
    assert normalize_latex(r"\nabla E(w_{1,1}^{(l)}) = 0")[0] == r"\frac{\partial E}{\partial w_{1,1}^{(l)}} = 0"
    assert normalize_latex(r"\nabla E \left (w_{1,1} \right ) = 0")[0] == r"\frac{\partial E}{\partial w_{1,1}} = 0"
    assert normalize_latex(r"\nabla E(\mathbf{w}) = 0")[0].startswith(r"\nabla")  # a vector: matrix notation


def test_the_error_of_its_parameters_is_the_error():
    text = (r"$$E(w) = \frac{1}{2} \sum_{i=1}^M (y^{(i)} - t^{(i)})^2 \tag{1}$$" "\n\n"
            r"$$E(w_{1,1}^{(l)}) = \frac{1}{2} \sum_{i=1}^M (y^{(i)} - t^{(i)})^2 \tag{2}$$" "\n\n"
            r"$$\nabla E(w_{1,1}^{(l)}) = \frac{\partial}{\partial w_{1,1}^{(l)}} \frac{1}{2} \sum_{i=1}^M (y^{(i)} - t^{(i)})^2 \tag{3}$$")
    verdicts = _verdicts(text)
    assert verdicts["2"].status == "proved"
    assert verdicts["3"].status == "proved"
    facts = " ".join(f for step in verdicts["3"].steps for f in step.facts)
    assert "any dependence of t on w" in facts and "any dependence of y on w" in facts


def test_a_neq_claim_is_refuted_by_a_point_where_both_sides_are_equal():
    text = (r"Let $p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$ and $L = -\sum_k y_k \log p_k$ with one-hot labels $y$." "\n\n"
            r"$$\frac{\partial y_1 \log p_1}{\partial p_1} \neq 0 \tag{1}$$" "\n\n" r"$$p_1 \neq 0 \tag{2}$$")
    verdicts = _verdicts(text)
    refuted = verdicts["1"].steps[0]
    assert refuted.status == "refuted" and refuted.counterexample.lhs == refuted.counterexample.rhs
    assert verdicts["2"].status == "unverified" and "never are is not proved" in verdicts["2"].steps[0].message
