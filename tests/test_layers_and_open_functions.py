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
])
def test_a_network_whose_letters_name_its_layers(display, status):
    verdict = _verdicts(_doc(NETWORK, display))["1"]
    assert verdict.status == status, verdict


def test_a_wrong_layers_bias_inside_an_open_function_is_never_proved():
    # g_j(b_i + ...) with a bracket of several terms is parsed as g_j times the bracket, and g is also a function
    # here: not refuted on that reading (the letter is both), never proved
    verdict = _verdicts(_doc(NETWORK, r"z_k = b_k + \sum_j g_j(b_i + \sum_i a_i w_{ij}) w_{jk}"))["1"]
    assert verdict.status != "proved", verdict


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


# -- smaller reading problems found on the same kind of documents --------------------------------------------------

GAUSSIAN = r"""The Gaussian pdf with mean $\mu$ and standard deviation $\sigma$:

$$p(x)=\frac{1}{\sqrt{2 \pi \sigma^2}}exp\left(-\frac{(x-\mu)^2}{2 \sigma^2}\right)\tag{1}$$

"""


def test_sigma_never_applied_is_a_number():
    text = GAUSSIAN + r"$$\frac{d}{dx}log\left(p(x)\right)=-\frac{x-\mu}{\sigma^2}\tag{2}$$" "\n"
    assert _verdicts(text)["2"].status == "proved"
    wrong = GAUSSIAN + r"$$\frac{d}{dx}log\left(p(x)\right)=-\frac{x+\mu}{\sigma^2}\tag{2}$$" "\n"
    assert _verdicts(wrong)["2"].status == "refuted"


def test_a_letter_named_in_the_prose_before_its_inline_value():
    text = GAUSSIAN + r"Let c=$\frac{1}{\sqrt{2\pi\sigma^2}}$, then" "\n\n" \
        r"$$\log(p(x)) = \log(c) -\frac{(x-\mu)^2}{2\sigma^2}\tag{2}$$" "\n"
    assert _verdicts(text)["2"].status == "proved"


def test_a_period_inside_a_formula_never_cuts_the_side_short():
    # c.\exp(...) is c times the exponential, or a typo: never the side c alone (a false alarm before)
    text = GAUSSIAN + r"Let c=$\frac{1}{\sqrt{2\pi\sigma^2}}$, then" "\n\n" \
        r"$$p(x) = c.\exp(-\frac{(x-\mu)^2}{2\sigma^2})\tag{2}$$" "\n"
    assert _verdicts(text)["2"].status != "refuted"


def test_a_display_that_ends_with_its_relation_goes_on_in_the_next():
    text = ("Let $y = 3 x^2$.\n\n$$\\frac{d y}{d x} = 6 x = \\tag{1}$$\n\n$$ 2 \\cdot 3 x $$\n\n"
            "$$\\frac{d y}{d x} = 3 x = \\tag{2}$$\n\n$$ 2 x $$\n")
    verdicts = _verdicts(text)
    assert [s.status for s in verdicts["1"].steps] == ["proved", "proved"]
    assert verdicts["2"].steps[0].status == "refuted"


def test_a_softmax_whose_dummy_letter_names_a_layer_is_not_guessed():
    # where j names the hidden layer, \sum_j e^{z_j} in the output's softmax may be a dummy: never a false alarm
    text = _doc(NETWORK, r"y_k = \frac{e^{z_k}}{\sum_j e^{z_j}}",
                r"\frac{\partial y_k}{\partial z_k} = y_k (1 - y_k)")
    assert _verdicts(text)["2"].status != "refuted"


MLE = r"""Find the maximum likelihood estimate of $\sigma^2$ for $N(\mu, \sigma^2)$:

$$f(x,\mu , \sigma^2)=\frac{1}{\sqrt{2\pi \sigma ^{2}}}e^{-\frac{(x-\mu )^{2}}{2\sigma ^{2}}}\tag{1}$$

$$l(\mu , \sigma^2) = -\frac{n}{2}\log(2\pi \sigma ^{2})-\frac{1}{2\sigma ^{2}}\sum_{i}(x_{i}-\mu)^{2}\tag{2}$$

Taking derivatives and setting equal to zero, we can solve for the MLE.

$$\frac{dl(\mu, \sigma)}{d\sigma} = -n\sigma^{-1} + \sum_{i}(x_{i}-\mu)^{2}\sigma^{-3} = 0 \tag{3}$$

$$-n\sigma^2 + \sum_{i}(x_{i}-\mu)^{2} = 0 \tag{4}$$

$$\sigma ^{2}=\frac{\sum_{i}(x_{i}-\mu)^{2}}{n} \tag{5}$$
"""


def test_a_function_of_a_variance_is_a_definition():
    verdicts = _verdicts(MLE)
    assert verdicts["1"].status == "definition" and verdicts["2"].status == "definition"


def test_the_steps_of_solving_a_condition_set_to_zero_are_never_called_false():
    # fourteenth session: each is the condition times a factor, so each is proved to hold at the solution
    verdicts = _verdicts(MLE)
    assert verdicts["3"].steps[0].status == "proved"
    assert verdicts["3"].steps[1].status == "proved"
    assert verdicts["4"].status == "proved" and verdicts["5"].status == "proved"
    assert "the condition set to zero above" in " ".join(verdicts["5"].steps[0].facts)


def test_a_derivative_of_what_the_document_never_ties_to_the_variable_is_not_zero_by_default():
    # y is never defined: E = 1/2 sum (y - t)^2 does not show how y depends on w, so d(y - t)/dw is not read as 0
    # (which made a step that drops a factor 2 look proved)
    text = (r"$$E(w) = \frac{1}{2} \sum_{i=1}^{M} (y^{(i)} - t^{(i)})^2 \tag{1}$$" "\n\n"
            r"$$\frac{\partial E}{\partial w} = \sum_{i=1}^{M} (y^{(i)} - t^{(i)}) \frac{\partial}{\partial w}"
            r"(y^{(i)} - t^{(i)}) = \frac{1}{2} \sum_{i=1}^{M} (y^{(i)} - t^{(i)}) \frac{\partial}{\partial w}"
            r"(y^{(i)} - t^{(i)}) \tag{2}$$" "\n")
    steps = _verdicts(text)["2"].steps
    # the chain rule holds for every dependence of y and t on w (fourteenth session: both are opened, not only t);
    # the step that drops the factor 2 is never proved
    assert steps[0].status == "proved" and steps[1].status != "proved"
    facts = " ".join(steps[0].facts)
    assert "any dependence of y on w" in facts and "any dependence of t on w" in facts


# -- what an adversarial probe found (eleventh session) -------------------------------------------------------------

HIDDEN_H = (r"The network has inputs $x_i$, hidden units $h_j = \tanh\left(\sum_i w_{ij} x_i\right)$ and linear"
            r" outputs $y_k = \sum_j w_{jk} h_j$. The error is $E = \frac{1}{2}\sum_k (y_k - t_k)^2$." "\n\n")
BISHOP = (r"Each hidden unit computes $a_j = \sum_i w_{ji} x_i$ and $z_j = h(a_j)$. The outputs are"
          r" $y_k = \sum_j w_{kj} z_j$, and the error is $E = \frac{1}{2}\sum_k (y_k - t_k)^2$." "\n\n")


@pytest.mark.parametrize("prose, display, status", [
    # w_{ij} and w_{jk} (or w_{ji} and w_{kj}) are two layers' weights, never one matrix: read as one, the correct
    # gradients were refuted and gradients with the other layer's added were proved
    (HIDDEN_H, r"\frac{\partial E}{\partial w_{jk}} = (y_k - t_k) h_j", "proved"),
    (HIDDEN_H, r"\frac{\partial E}{\partial w_{ij}} = (1 - h_j^2) x_i \sum_k w_{jk} (y_k - t_k)", "proved"),
    (HIDDEN_H, r"\frac{\partial E}{\partial w_{jk}} = (y_k - t_k) h_j + (1 - h_k^2) x_j \sum_l w_{kl} (y_l - t_l)",
     "refuted"),
    (BISHOP, r"\frac{\partial E}{\partial w_{kj}} = (y_k - t_k) z_j", "proved"),
    (BISHOP, r"\frac{\partial E}{\partial w_{ji}} = h'(a_j) \sum_k w_{kj} (y_k - t_k) x_i", "proved"),
    (BISHOP, r"\frac{\partial E}{\partial w_{kj}} = (y_k - t_k) z_j + h'(a_k) x_j \sum_l w_{lk} (y_l - t_l)",
     "refuted"),
])
def test_two_layers_weights_written_with_the_same_letter(prose, display, status):
    verdict = _verdicts(prose + f"$$ {display} \\tag{{1}} $$\n")["1"]
    assert verdict.status == status, verdict


def test_a_named_activation_keeps_an_open_function_from_being_refuted_with_a_chosen_one():
    # "linear output units" may be what f is: dropping f' is then right, so the sigmoid and tanh decide nothing
    network = (r"$$o_1=f(h_1 u_{11} + h_2 u_{21}) \tag{1}$$" "\n\n" r"$$E = \frac{1}{2}(o_1 - t_1)^2 \tag{2}$$" "\n\n")
    step = r"$$\frac{\partial E}{\partial u_{11}} = (o_1 - t_1) h_1 \tag{3}$$"
    assert _verdicts(network + step)["3"].status == "refuted"
    assert _verdicts("The output unit is linear.\n\n" + network + step)["3"].status == "unverified"


def test_a_number_named_in_the_prose_before_its_inline_value():
    text = "Let $f(x) = 3x^2 + 2x$. Let c=$2$, then\n\n$$ \\frac{df}{dx} = 6x + c \\tag{1} $$\n"
    assert _verdicts(text)["1"].status == "proved"


def test_a_model_of_the_data_with_its_noise_is_not_a_definition():
    text = (r"The model is $y_i = w x_i + \epsilon_i$, with Gaussian noise of known standard deviation $\sigma$."
            "\n\n" r"$$ L(w) = \frac{1}{2\sigma^2}\sum_{i=1}^n (y_i - w x_i)^2 \tag{1} $$" "\n\n"
            r"$$ \frac{dL}{dw} = -\frac{1}{\sigma^2}\sum_{i=1}^n (y_i - w x_i) x_i \tag{2} $$" "\n")
    assert _verdicts(text)["2"].status == "proved"


def test_a_period_at_the_end_of_a_formula_is_the_sentence_s():
    text = "Let $y = 3 x^2$.\n\n$$\\frac{d y}{d x} = 6 x. \\tag{1}$$\n"
    assert _verdicts(text)["1"].status == "proved"
