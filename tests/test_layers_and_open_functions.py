"""Backpropagation as many authors write it (issue 11): index letters that name layers (a_i inputs, a_j hidden,
a_k outputs), activation functions the document leaves open (g_j, g_k, and their derivatives g_k'), and a
derivative in a defined intermediate when the definitions skip it."""

from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.parse.latex import normalize_latex

NETWORK = (r"Let $g_j$ be the activation function of node $j$ and $g_k$ that of node $k$, with $a_j = g_j(z_j)$ and"
           r" $a_k = g_k(z_k)$, where $z_j = b_j + \sum_i a_i w_{ij}$ and $z_k = b_k + \sum_j a_j w_{jk}$.")


def _doc(prose: str, *displays: str) -> str:
    body = "\n\n".join(f"$$ {d} \\tag{{{n}}} $$" for n, d in enumerate(displays, start=1))
    return f"{prose} The error is\n\n$$ E = \\frac{{1}}{{2}} \\sum_{{k}}(a_k - t_k)^2 \\tag{{0}} $$\n\n{body}\n"


def _verdicts(text: str) -> dict:
    return {e.label: e for e in check(text, is_text=True).equations}


@pytest.mark.parametrize("display, status", [
    (r"\frac{\partial E}{\partial w_{jk}} = (a_k - t_k) g_k'(z_k) a_j", "proved"),
    (r"\frac{\partial E}{\partial w_{jk}} = (a_k - t_k) g'_k(z_k) a_j", "proved"),
    (r"\frac{\partial E}{\partial w_{jk}} = (a_k - t_k) g_{k}^{\prime}(z_k) a_j", "proved"),
    (r"\frac{\partial E}{\partial w_{ij}} = \sum_k (a_k - t_k) g'_k(z_k) w_{jk} g'_j(z_j) a_i", "proved"),
    (r"\frac{\partial E}{\partial b_j} = \sum_k (a_k - t_k) g'_k(z_k) w_{jk} g'_j(z_j)", "proved"),
    (r"\frac{\partial z_k}{\partial w_{ij}} = \frac{\partial z_k}{\partial a_j} \frac{\partial a_j}{\partial w_{ij}}",
     "proved"),
    # the real mistakes: a sign, a dropped operator, a missing sum over the outputs, a wrong layer's bias
    (r"\frac{\partial E}{\partial w_{jk}} = (a_k + t_k) g'_k(z_k) a_j", "refuted"),
    (r"\frac{\partial E}{\partial w_{jk}} = \frac{1}{2} \sum_k (a_k - t_k)^2", "refuted"),
    (r"\frac{\partial E}{\partial w_{ij}} = (a_k - t_k) g'_k(z_k) w_{jk} g'_j(z_j) a_i", "refuted"),
    (r"z_k = b_k + \sum_j g_j(b_i + \sum_i a_i w_{ij}) w_{jk}", "refuted"),
])
def test_a_network_whose_letters_name_its_layers(display, status):
    verdict = _verdicts(_doc(NETWORK, display))["1"]
    assert verdict.status == status, verdict


def test_an_open_function_is_refuted_only_with_a_choice_said():
    verdict = _verdicts(_doc(NETWORK, r"\frac{\partial E}{\partial w_{jk}} = (a_k + t_k) g'_k(z_k) a_j"))["1"]
    step = verdict.steps[0] if verdict.steps else verdict
    assert "leaves open" in step.message and "sigmoid" in step.message
    assert step.counterexample is not None
    assert "w_{j=1,k=1}" in dict(step.counterexample.values)  # each layer's letters in the name


def test_a_claim_true_of_one_activation_only_is_never_refuted():
    # g_k' = g_k (1 - g_k) holds for the sigmoid, not for every function: unverified, never refuted
    verdict = _verdicts(_doc(NETWORK, r"g_k'(z_k) = g_k(z_k)(1 - g_k(z_k))"))["1"]
    assert verdict.status == "unverified"


def test_a_numbered_component_where_letters_name_layers_is_not_guessed():
    verdict = _verdicts(_doc(NETWORK, r"\frac{\partial E}{\partial w_{12}} = (a_2 - t_2) g_2'(z_2) a_1"))["1"]
    assert verdict.status == "unverified"


def test_one_letter_written_again_with_another_index_is_not_a_layer():
    # p_i restated after p_j: one quantity (no definition depends on itself), so nothing changes
    text = ("Let $p_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}$. Equally $p_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}$.\n\n"
            "$$ \\frac{\\partial p_i}{\\partial z_j} = p_i (\\delta_{ij} - p_j) \\tag{1} $$\n\n"
            "$$ \\sum_k p_k = 1 \\tag{2} $$\n")
    verdicts = _verdicts(text)
    assert verdicts["1"].status == "proved" and verdicts["2"].status == "proved"


@pytest.mark.parametrize("written", [r"g_k'(z_k)", r"g'_k(z_k)", r"g_{k}'(z_k)", r"g_k^\prime(z_k)", r"g^{\prime}_k(z_k)"])
def test_the_spellings_of_a_derivative_of_a_function_of_a_family(written):
    assert normalize_latex(written)[0] == r"\mathit{DderivDg}_{k}(z_k)"
