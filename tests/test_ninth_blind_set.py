r"""What a ninth blind set of real derivations showed (files 110-115 of the corpus, written by helpers who never ran
the checker): no false alarm and no false proof on the first run, and a network written with its layer above and
without parentheses (``z^L_k``, ``w^l_{j,k}``, ``a^{l-1}_k``, Nielsen's notation), read as powers of z_k.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex

COST = r"The cost is $C = \frac{1}{2}\sum_i (a^L_i - y_i)^2$ for the output layer $L$." "\n\n"


def test_a_layer_written_above_before_an_index_is_a_layer_not_a_power():
    assert normalize_latex(r"\frac{\partial C}{\partial z^L_k} = \delta^l_j + a^{l-1}_k")[0] == \
        r"\frac{\partial C}{\partial z^{(L)}_k} = \delta^{(l)}_j + a^{(l-1)}_k"


def test_a_power_written_after_the_index_stays_a_power():
    assert normalize_latex(r"x_k^L + \sum_{l=1}^L w_l")[0] == r"x_k^L + \sum_{l=1}^L w_l"


def test_the_derivatives_of_a_layer_written_so_are_decided():
    got = statuses(COST + r"$$\frac{\partial C}{\partial a^L_k} = a^L_k - y_k \tag{1}$$" "\n\n"
                   r"$$\frac{\partial C}{\partial a^L_k} = 2(a^L_k - y_k) \tag{2}$$")
    assert got == {"1": "proved", "2": "refuted"}


def test_an_ascii_implication_and_a_name_in_words_before_it():
    r"""``\mathbf{Ridge \ Regression\ Equation} => J = ...`` (file 115): the arrow was read as = and >, and every
    such display was "a relation with an empty side"."""
    assert normalize_latex(r"\mathbf{Ridge \ Regression\ Equation} => J = R")[0].strip() == "J = R"
    assert "\\Rightarrow" in normalize_latex(r"R = 5 => S = 3")[0] and "\\Leftrightarrow" in normalize_latex(r"a <=> b")[0]
    got = statuses(r"$$R = \alpha\sum_{i=1}^n\theta_i^2 \tag{1}$$" "\n\n"
                   r"$$\mathbf{Gradient\ of\ R} => \frac{\partial}{\partial \theta_j}R = 2\alpha\theta_j \tag{2}$$"
                   "\n\n" r"$$\mathbf{Wrong\ gradient} => \frac{\partial}{\partial \theta_j}R = \alpha\theta_j \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_hat_typed_with_parentheses_is_the_hat_of_the_letter():
    r"""``\frac{1}{1-\hat(y)}`` beside ``\hat{y}`` (file 56): one quantity, not \hat applied to a bracket."""
    assert normalize_latex(r"\frac{1}{1-\hat(y)} + \hat{z}(t)")[0] == r"\frac{1}{1-\hat{y}} + \hat{z}(t)"
