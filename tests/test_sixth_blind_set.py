r"""What a sixth blind set of real derivations showed (files 84-92 of the corpus, written by helpers who never ran
the checker): false alarms on ``tanh(z)`` written without a backslash, on the last step of the cross-entropy gradient
(``a_i \sum_k y_k - y_i = a_i - y_i``: the labels of a cross-entropy sum to one), on a quantity the document defines
in a way not read (the profile's meaning was used instead), on a definition chain whose middle side is not read, on
the steps that solve the equations set to zero (``n \sum x_i y_i = ...`` after ``\sum x_i e_i = 0``) and on an
equation the prose says is solved; and ``\frac{\partial}{\partial w_j}\{ ... \}`` was not read.
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.parse.latex import parse_equation

SOFTMAX = r"$$a_j = \frac{e^{z_j}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"


def test_tanh_without_a_backslash_is_the_function():
    got = statuses(r"$$ s = sigmoid(z) = \frac{1}{1+\exp(-z)} \tag{1}$$" "\n\n"
                   r"$$ t = tanh(z) = \frac{e^z-e^{-z}}{e^z+e^{-z}} = 2*sigmoid(z)-1 \tag{2}$$" "\n\n"
                   r"$$ \frac{dt}{dz} = 1-t^2 \tag{3}$$")
    assert got == {"1": "definition", "2": "refuted", "3": "proved"}  # tanh(z) = 2 sigmoid(2z) - 1, not of z


def test_the_labels_of_a_cross_entropy_of_a_softmax_sum_to_one():
    got = verdicts(SOFTMAX + r"$$L = -\sum_k y_k \log a_k \tag{2}$$" "\n\n"
                   r"$$\frac{\partial L}{\partial z_i} = a_i \sum_k y_k - y_i = a_i - y_i \tag{3}$$")
    assert [step.status for step in got["3"].steps] == ["proved", "proved"]
    assert "the probabilities sum to one" in got["3"].steps[1].facts


def test_the_labels_sum_to_one_only_for_a_normalized_prediction():
    got = verdicts(r"$$a_j = e^{z_j} \tag{1}$$" "\n\n" r"$$L = -\sum_k y_k \log a_k \tag{2}$$" "\n\n"
                   r"$$a_i \sum_k y_k - y_i = a_i - y_i \tag{3}$$")
    assert got["3"].status != "proved"  # a_k is no distribution here: y may be anything


def test_a_quantity_defined_in_a_way_not_read_is_never_given_the_profiles_meaning():
    got = statuses(r"$$\hat{y}_i = \text{act}_2(z_i) \tag{1}$$" "\n\n"
                   r"$$\hat{y}_i = \frac{1}{1 + e^{-z}} \tag{2}$$" "\n\n"
                   r"$$\hat{y}_i = (1 + e^{-z})^{-1} \tag{3}$$")
    assert got["2"] != "refuted" and got["3"] != "refuted"


def test_a_definition_whose_middle_side_is_not_read_refutes_nothing_on_the_difference():
    where = r" $a_i = \frac{1}{1+e^{-w x_i}}$." "\n\n"
    claim = r"$$\frac{\partial}{\partial w}L(w) = -\sum_{i=1}^{n} x_i (y_i - a_i) \tag{1}$$"
    loss = r"\sum_{i=1}^{n}y_i\log a_i+\sum_{i=1}^{n}(1-y_i)\log(1-a_i)$, where"
    got = verdicts(r"Define $L(w)=-\log P(D|w) = " + loss + where + claim)
    assert got["1"].status == "unverified" and "also writes it otherwise" in got["1"].steps[0].message
    assert statuses(r"Define $L(w)= " + loss + where + claim) == {"1": "refuted"}  # L written one way only


def test_a_derivative_of_a_term_in_escaped_braces():
    chain = parse_equation(r"a = \frac{\partial}{\partial w}\{-\log(1+e^{-w x})\}")  # raised before
    assert len(chain.sides) == 2
    got = statuses(r"$$\frac{\partial}{\partial w}\{-\log(1+e^{-w x})\} = \frac{x e^{-w x}}{1 + e^{-w x}} \tag{1}$$"
                   "\n\n"
                   r"$$\frac{\partial}{\partial w}\{-\log(1+e^{-w x})\} = \frac{x}{1 + e^{-w x}} \tag{2}$$")
    assert got == {"1": "proved", "2": "refuted"}


REGRESSION = (r"$$ L(w_0, w_1) = \frac{1}{n} \sum_{i=1}^n [y_i - (w_0 + w_1 x_i) ]^2 \tag{1}$$" "\n\n"
              r"to find the minimum, we take the partial derivative with respect to each parameter, and set it equal"
              r" to zero:" "\n\n"
              r"$$ \frac{\partial L}{\partial w_1} = -\frac{2}{n} \sum_{i=1}^n x_i [y_i - (w_0 + w_1 x_i)] = 0"
              r" \tag{2}$$" "\n\n"
              r"$$ e_i = y_i - (w_0 + w_1 x_i) \tag{3}$$" "\n\n"
              r"$$ \sum_{i=1}^n x_i e_i = 0 \tag{4}$$" "\n\n")


def test_a_step_of_solving_that_combines_the_equations_above_is_proved_at_the_solution():
    got = verdicts(REGRESSION + r"$$ n \sum_{i=1}^n x_i y_i = n \sum_{i=1}^n x_i w_0 + n \sum_{i=1}^n x_i^2 w_1"
                                r" \tag{5}$$")
    assert got["5"].status == "proved"
    assert got["5"].steps[0].method == "a combination of the equations above"


def test_a_step_of_solving_that_does_not_follow_stays_refuted():
    got = verdicts(REGRESSION + r"$$ \sum_{i=1}^n x_i y_i = \sum_{i=1}^n x_i w_0 + 2 \sum_{i=1}^n x_i^2 w_1 \tag{5}$$")
    assert got["5"].status == "refuted"


def test_an_equation_the_prose_says_is_solved_is_not_an_identity():
    equation = r"$$\left(\frac{8}{4+\lambda}\right)^2+\left(\frac{2}{1+\lambda}\right)^2=1 \tag{1}$$"
    assert statuses("We can constrain $\\lambda$ by solving\n\n" + equation) == {"1": "unverified"}
    assert statuses("Hence\n\n" + equation) == {"1": "refuted"}


def test_a_function_of_two_distributions_applied_to_them_swapped():
    got = statuses(r"$$ H(p,q) = -\sum_{i} p_i \log q_i \tag{1}$$" "\n\n"
                   r"$$ H(q,p) = -\sum_{i} q_i \log p_i \tag{2}$$" "\n\n"
                   r"$$ H(q,p) = -\sum_{i} p_i \log q_i \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}  # H(q, p) was read as H(p, q)
