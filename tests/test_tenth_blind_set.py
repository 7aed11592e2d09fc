r"""What a tenth blind set of real derivations showed (files 116-121 of the corpus: word2vec's gradients, the batch
normalisation backward pass, probit and Poisson regression; written by helpers who never ran the checker): no false
alarm and no false proof on the first run, 0 of 17 correct equations proved and 0 of 9 mistakes found. Read since:
a derivative written with a delta above and a partial below.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex


def test_a_delta_above_a_partial_below_is_a_derivative():
    r"""``\frac{\delta \ell(\beta)}{\partial \beta_j}`` (file 121): the author's delta is a partial, as the one below
    says; a Kronecker delta (two indices) above a partial stays one."""
    assert normalize_latex(r"\frac{\delta \ell}{\partial \beta_j}")[0] == r"\frac{\partial \ell}{\partial \beta_j}"
    assert normalize_latex(r"\frac{\delta_{ij}}{\partial x}")[0] == r"\frac{\delta_{ij}}{\partial x}"
    got = statuses(r"$$\ell = \sum_{i=1}^{n} y_i b x_i - e^{b x_i} \tag{1}$$" "\n\n"
                   r"$$\frac{\delta \ell}{\partial b} = \sum_{i=1}^{n} x_i (y_i - e^{b x_i}) \tag{2}$$" "\n\n"
                   r"$$\frac{\delta^2 \ell}{\partial b^2} = \sum_{i=1}^{n} x_i^2 e^{b x_i} \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_the_variable_of_a_function_defined_in_words_is_then_defined_by_a_display():
    r"""The prose defines $\sigma(z) = \frac{1}{1+e^{-z}}$; the display $z = w x + b$ after it was read with the
    softmax profile's z (the logits) and refuted with z = -1: a false alarm on a common layout."""
    got = statuses(r"The sigmoid is $\sigma(z) = \frac{1}{1+e^{-z}}$." "\n\n" r"$$z = w x + b \tag{1}$$" "\n\n"
                   r"$$z = w x \tag{2}$$")
    assert got["1"] != "refuted" and got["2"] != "refuted"


CHAIN = (r"The sigmoid is the logistic function and $L$ is the loss." "\n\n" r"$$z = w x + b \tag{1}$$" "\n\n"
         r"$$\hat{y} = \sigma(z) \tag{2}$$" "\n\n")


def test_an_undefined_loss_differentiated_through_the_chain_rule():
    r"""L is never defined, and the step differentiates it by w and by \hat{y}: L is read as a function of \hat{y}
    (which the document defines from w), so the chain rule is proved; a chain that drops a factor is not proved, and
    never refuted (no counterexample may rest on a dependence the checker chose)."""
    got = statuses(CHAIN + r"$$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}}"
                           r" \frac{\partial \hat{y}}{\partial z} \frac{\partial z}{\partial w} \tag{3}$$" "\n\n"
                           r"$$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \hat{y}(1 - \hat{y}) x"
                           r" \tag{4}$$" "\n\n"
                           r"$$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \hat{y}(1 - \hat{y})"
                           r" \tag{5}$$")
    assert got == {"1": "definition", "2": "definition", "3": "proved", "4": "proved", "5": "unverified"}


def test_the_chain_rule_does_not_hide_a_dependence_the_document_writes():
    r"""L defined with a direct term in w besides \hat{y}: the chain rule through \hat{y} alone is false."""
    got = statuses(CHAIN + r"$$L = (\hat{y} - t)^2 + w^2 \tag{3}$$" "\n\n"
                           r"$$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}}"
                           r" \frac{\partial \hat{y}}{\partial z} \frac{\partial z}{\partial w} \tag{4}$$")
    assert got["4"] == "refuted"
