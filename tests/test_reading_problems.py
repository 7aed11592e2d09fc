r"""Each reading problem issue 11 lists, as a short document in the way real authors write it, with the verdict
its last equation must get. Where the checker cannot read a form yet, the test holds what must never happen:
a correct step refuted or a wrong one proved.

The cases come from the public derivations in tests/fixtures/corpus/real (their letters and layouts), cut down
to the problem itself.
"""

from __future__ import annotations

import pytest

from symsoft.check import check

SOFTMAX_P = r"$$p_j = \frac{e^{z_j}}{\sum_{k=1}^C e^{z_k}} \tag{1}$$" "\n\n"
ONE_HOT = "The label $y$ is one-hot.\n\n"

PROVED = [
    # letters: the softmax output, the loss, the targets and the logits, under the author's names
    ("the output called a_i, the logits x",
     r"$$a_i = \frac{e^{x_i}}{\sum_{k=1}^K e^{x_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial a_i}{\partial x_i} = a_i (1 - a_i) \tag{2}$$"),
    ("the output called s_i, the logits o",
     r"$$s_i = \frac{e^{o_i}}{\sum_{k=1}^K e^{o_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial s_i}{\partial o_j} = -s_i s_j \quad \text{for } i \neq j \tag{2}$$"),
    ("the output called \\hat{y}_k: a prediction, not the label",
     r"$$\hat{y}_k = \frac{e^{z_k}}{\sum_{c=1}^C e^{z_c}} \tag{1}$$" "\n\n" + ONE_HOT +
     r"$$L = -\sum_{k=1}^C y_k \log \hat{y}_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial L}{\partial z_j} = \hat{y}_j - y_j \tag{3}$$"),
    ("the loss called E, the targets t",
     SOFTMAX_P + "The target $t$ is one-hot.\n\n" r"$$E = -\sum_{k=1}^C t_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial E}{\partial z_j} = p_j - t_j \tag{3}$$"),
    ("the loss called J",
     SOFTMAX_P + ONE_HOT + r"$$J = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial J}{\partial z_j} = p_j - y_j \tag{3}$$"),
    ("the cost called C, also the number of classes' letter elsewhere",
     r"$$p_j = \frac{e^{z_j}}{\sum_{k} e^{z_k}} \tag{1}$$" "\n\n" + ONE_HOT +
     r"$$C = -\sum_{k} y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial C}{\partial z_j} = p_j - y_j \tag{3}$$"),
    ("the loss called \\ell",
     SOFTMAX_P + r"$$\ell = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial \ell}{\partial p_j} = -\frac{y_j}{p_j} \tag{3}$$"),
    ("the loss called \\mathcal{L}",
     SOFTMAX_P + r"$$\mathcal{L} = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial \mathcal{L}}{\partial p_j} = -\frac{y_j}{p_j} \tag{3}$$"),
    ("a bare E as the error, not Euler's number",
     r"$$E = \frac{1}{2}(o - t)^2 \tag{1}$$" "\n\n" r"$$\frac{\partial E}{\partial o} = o - t \tag{2}$$"),
    # meanings by context
    ("\\delta written for the derivative, \\frac{\\delta E}{\\delta z_j}",
     SOFTMAX_P + r"$$E = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\delta E}{\delta p_j} = -\frac{y_j}{p_j} \tag{3}$$"),
    # display layout
    ("a label inside the last aligned row, ~~ (3)",
     SOFTMAX_P + r"$$\begin{aligned} \sum_{k=1}^C p_k &= \frac{\sum_{k=1}^C e^{z_k}}{\sum_{k=1}^C e^{z_k}} \\ &= 1 ~~ (2)"
     r"\end{aligned}$$"),
    ("\\text{softmax}(z)_i as the i-th output",
     r"$$\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_{k=1}^K e^{z_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial \text{softmax}(z)_i}{\partial z_i} = \text{softmax}(z)_i (1 - \text{softmax}(z)_i) \tag{2}$$"),
    ("several equations joined by commas",
     SOFTMAX_P + r"$$\sum_{k=1}^C p_k = 1, \quad p_j > 0 \tag{2}$$"),
    # LaTeX spellings
    ("\\sum^K_{j=1}, the bounds in the other order",
     r"$$a_i = \frac{e^{x_i}}{\sum^K_{j=1} e^{x_j}} \tag{1}$$" "\n\n" r"$$\sum^K_{i=1} a_i = 1 \tag{2}$$"),
    ("\\boxed{} around a result",
     SOFTMAX_P + r"$$\boxed{\frac{\partial p_j}{\partial z_j} = p_j (1 - p_j)} \tag{2}$$"),
    ("{\\rm log} and {\\rm e}",
     SOFTMAX_P + r"$${\rm log}\, p_j = z_j - {\rm log} \sum_{k=1}^C {\rm e}^{z_k} \tag{2}$$"),
    ("z_{\\text{max}}, the largest logit, as a name",
     SOFTMAX_P + r"$$p_j = \frac{e^{z_j - z_{\text{max}}}}{\sum_{k=1}^C e^{z_k - z_{\text{max}}}} \tag{2}$$"),
    ("a definition in a sentence: Let $p_j = ...$",
     "Let $p_j = \\frac{e^{z_j}}{\\sum_{k=1}^C e^{z_k}}$ be the softmax output.\n\n"
     r"$$\frac{\partial p_j}{\partial z_j} = p_j (1 - p_j) \tag{1}$$"),
]

NEVER_REFUTED = [
    # the one-hot loss with the true class y: refuted with labels (1/2, 1/2) before
    ("the one-hot loss -\\log \\sigma(z_y) with the true class y",
     r"$$L = -\log \sigma(z_y) \tag{1}$$" "\n\n"
     r"$$\frac{\partial L}{\partial z_j} = \sigma(z_j) - \delta_{jy} \tag{2}$$"),
    ("a letter named only in words: where $o_k$ is the output of the softmax",
     r"$$L = -\sum_{k=1}^C y_k \log o_k \tag{1}$$" "\n\nwhere $o_k$ is the output of the softmax.\n\n"
     r"$$\frac{\partial L}{\partial o_j} = -\frac{y_j}{o_j} \tag{2}$$"),
    ("\\text{diag}(s) - s s^T in matrix form",
     r"$$s_i = \frac{e^{z_i}}{\sum_{k=1}^K e^{z_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial s}{\partial z} = \text{diag}(s) - s s^T \tag{2}$$"),
]

REFUTED = [
    ("the one-hot loss -\\log \\sigma(z_y), a sign slip",
     r"$$L = -\log \sigma(z_y) \tag{1}$$" "\n\n"
     r"$$\frac{\partial L}{\partial z_j} = \sigma(z_j) + \delta_{jy} \tag{2}$$"),
    ("the continuation of a display, wrong",
     SOFTMAX_P + r"$$\frac{\partial p_j}{\partial z_j} = \frac{e^{z_j}\sum_k e^{z_k} - e^{2 z_j}}{(\sum_k e^{z_k})^2}"
     r" \tag{2}$$" "\n\n" r"$$ = p_j (1 + p_j) \tag{3}$$"),
    ("the output called a_i, a wrong index in the bracket (the homework's mistake)",
     r"$$a_i = \frac{e^{x_i}}{\sum_{k=1}^K e^{x_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial a_i}{\partial x_j} = a_i (\delta_{ij} - a_i) \tag{2}$$"),
    ("a sign slip in a loss called E with targets t",
     SOFTMAX_P + "The target $t$ is one-hot.\n\n" r"$$E = -\sum_{k=1}^C t_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial E}{\partial z_j} = t_j - p_j \tag{3}$$"),
]


@pytest.mark.parametrize("name, document", PROVED, ids=[c[0] for c in PROVED])
def test_reading_problem_is_read(name, document):
    last = check(document).equations[-1]
    assert last.status == "proved", [(s.status, s.message) for s in last.steps] or last.message


@pytest.mark.parametrize("name, document", NEVER_REFUTED, ids=[c[0] for c in NEVER_REFUTED])
def test_reading_problem_never_refutes_a_correct_step(name, document):
    last = check(document).equations[-1]
    assert last.status != "refuted", [(s.status, s.message, s.counterexample) for s in last.steps]


@pytest.mark.parametrize("name, document", REFUTED, ids=[c[0] for c in REFUTED])
def test_reading_problem_still_finds_the_mistake(name, document):
    last = check(document).equations[-1]
    assert last.status == "refuted", [(s.status, s.message) for s in last.steps] or last.message
