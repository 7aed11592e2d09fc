r"""What an eighth blind set of real derivations showed (files 101-109 of the corpus, written by helpers who never ran
the checker): false alarms where one answer writes the sample index above (``x^{(i)}``) and another below (``x_i``);
``\sigma(x)`` of a bare scalar read as the softmax; ``\beta x (1 - \sigma(x))`` read as a function x applied to a
bracket although x is the argument of sigma in the same side.
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.meaning.reading import logistic_by_prose

QUESTION = (r"Here $h_\theta(x) = \theta_0+\theta_1x$ ." "\n\n"
            r"$$J(\theta_0,\theta_1) = \frac{1}{m}\sum_{i=1}^m(\theta_0 + \theta_1x^{(i)} - y^{(i)})^2 \tag{1}$$" "\n\n")


def test_an_index_written_above_and_below_is_not_a_counterexample():
    """The answer's ``x_i`` may be the question's ``x^{(i)}``: a counterexample giving them two values is none."""
    got = verdicts(QUESTION + r"$$\frac{\partial J}{\partial \theta_0}=\frac{2}{m}\sum_{i=1}^{m}[y_i-\theta_0-\theta_1x_i]"
                   r"\cdot\left[-1 \right] \tag{2}$$")
    assert got["2"].status == "unverified"
    assert "above" in got["2"].steps[0].message and "below" in got["2"].steps[0].message


def test_written_one_way_the_same_derivative_is_proved_and_its_sign_slip_refuted():
    right = statuses(QUESTION + r"$$\frac{\partial J}{\partial \theta_0}=\frac{2}{m}\sum_{i=1}^{m}(\theta_0 + "
                     r"\theta_1x^{(i)} - y^{(i)}) \tag{2}$$")
    wrong = statuses(QUESTION + r"$$\frac{\partial J}{\partial \theta_0}=\frac{-2}{m}\sum_{i=1}^{m}(\theta_0 + "
                     r"\theta_1x^{(i)} - y^{(i)}) \tag{2}$$")
    assert right["2"] == "proved" and wrong["2"] == "refuted"


def test_sigma_of_bare_scalars_is_the_logistic_function():
    text = (r"$$\frac{\partial}{\partial x}\sigma(x) = 1 - \sigma(x) \tag{1}$$" "\n\n"
            r"$$\frac{\partial}{\partial x}\sigma(x) = \sigma(x)(1 - \sigma(x)) \tag{2}$$")
    assert logistic_by_prose(text)
    assert statuses(text) == {"1": "refuted", "2": "proved"}


def test_sigma_with_an_index_or_beside_a_softmax_stays_as_read_before():
    assert not logistic_by_prose(r"$$\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(1 - \sigma(z_j)) \tag{1}$$")
    assert not logistic_by_prose(r"The softmax $$\sigma(z)_j = \frac{e^{z_j}}{\sum_k e^{z_k}} \tag{1}$$")
    assert not logistic_by_prose(r"$$\sigma(x) = \frac{e^{x}}{\sum_k e^{x_k}} \tag{1}$$")


def test_a_letter_used_as_an_argument_is_a_quantity_times_a_bracket():
    r"""``\beta x (1 - \sigma(x))``: x is sigma's argument in the same side, so x times the bracket, not a function x."""
    text = (r"$$\frac{\partial}{\partial x}\left(x \sigma(\beta x)\right) = \sigma(\beta x) + \beta x (1 - \sigma(x))"
            r" \tag{1}$$" "\n\n"
            r"$$\frac{\partial}{\partial x}\left(x \sigma(x)\right) = \sigma(x) + x \sigma(x) (1 - \sigma(x)) \tag{2}$$")
    got = verdicts(text)
    assert got["1"].status == "refuted" and got["2"].status == "proved"
