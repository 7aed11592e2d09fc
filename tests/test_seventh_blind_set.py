r"""What a seventh blind set of real derivations showed (files 93-100 of the corpus, written by helpers who never ran
the checker): false alarms on a repeated index inside a derivative under the Einstein convention, on a worked
example that names each component as it goes (``a_{h2} = \sigma(z_2)`` after ``a_{h1}``), and sigma read as the
softmax in a network whose prose speaks only of the logistic function.
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.meaning.reading import logistic_by_prose


def test_a_repeated_index_inside_a_derivative_is_summed_under_the_einstein_convention():
    got = verdicts("Repeated indices use the Einstein summation convention.\n\n"
                   r"$$\frac{\partial}{\partial \omega_j}\sum_{k=1}^n \omega_k^2 = \frac{\partial}{\partial \omega_j}"
                   r"\left[\delta_{ik}(\omega_i \omega_k)\right] \tag{1}$$")
    assert got["1"].status == "unverified" and "Einstein" in got["1"].steps[0].message


def test_without_the_convention_the_same_step_is_refuted():
    got = statuses(r"$$\frac{\partial}{\partial \omega_j}\sum_{k=1}^n \omega_k^2 = \frac{\partial}{\partial \omega_j}"
                   r"\left[\delta_{ik}(\omega_i \omega_k)\right] \tag{1}$$")
    assert got["1"] == "refuted"


def test_sigma_is_the_logistic_function_where_the_prose_names_only_that():
    assert logistic_by_prose("We then apply the logistic activation function to get $h_1$.")
    assert not logistic_by_prose("The sigmoid for the hidden layer and the softmax at the output.")
    got = statuses("We then apply the logistic activation function to get the output.\n\n"
                   r"$$h = \sigma(z) \tag{1}$$" "\n\n"
                   r"$$\frac{\partial h}{\partial z} = \sigma(z)(1 - \sigma(z)) \tag{2}$$" "\n\n"
                   r"$$\frac{\partial h}{\partial z} = \sigma(z)(1 + \sigma(z)) \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_worked_example_names_each_component_as_it_goes():
    text = ("The logistic activation gives the outputs.\n\n"
            r"$$ z_1 = w_1 x_1 + b \tag{1}$$" "\n\n"
            r"$$ a_{h1} = \sigma(z_1) \tag{2}$$" "\n\n"
            r"$$ z_2 = w_2 x_1 + b \tag{3}$$" "\n\n"
            r"$$ a_{h2} = \sigma(z_2) \tag{4}$$" "\n\n"
            r"$$ y = w_5 a_{h1} + w_6 a_{h2} \tag{5}$$")
    assert statuses(text)["4"] != "refuted"


def test_a_quantity_defined_before_is_no_new_name():
    text = ("The logistic activation gives the outputs.\n\n"
            r"$$ z_2 = w_2 x_1 + b \tag{1}$$" "\n\n"
            r"$$ a_{h} = \sigma(z_2) \tag{2}$$" "\n\n"
            r"$$ a_{h} = \sigma(z_2) + 1 \tag{3}$$")
    assert statuses(text)["3"] == "refuted"


def test_tex_fractions_with_one_token_arguments():
    got = statuses(r"$$\frac1{\lambda^2}\sum_{i=1}^n x_i = \frac{2n}{\lambda} \tag{1}$$" "\n\n"
                   r"$$ f = \frac{x}\lambda + \frac12 \tag{2}$$" "\n\n"
                   r"$$ \frac{\partial f}{\partial x} = \frac1\lambda \tag{3}$$" "\n\n"
                   r"$$ \frac{\partial f}{\partial x} = \frac2\lambda \tag{4}$$")
    assert got["3"] == "proved" and got["4"] == "refuted"


def test_an_empty_group_a_word_under_rm_and_a_slash_derivative_by_a_greek_letter():
    got = statuses(r"$$J_{\rm reg} = \frac{\lambda}{2} \theta^2 \tag{1}$$" "\n\n"
                   r"$$\partial J_{\rm reg} / \partial \theta = \lambda \theta \tag{2}$$" "\n\n"
                   r"$$\frac{\partial J_{\rm reg}}{\partial \theta}{} = \lambda \theta^2 \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_sign_claim_about_data_whose_sign_is_never_stated_is_not_refuted():
    got = verdicts(r"$$\lambda = \frac1{2n}\sum_{i=1}^n x_i > 0 \tag{1}$$" "\n\n"
                   r"$$\frac{1}{n}\sum_{i=1}^n x_i^2 - 1 > 0 \tag{2}$$")
    assert got["1"].steps[-1].status == "unverified" and "sign" in got["1"].steps[-1].message
    assert got["2"].status == "refuted"  # false for positive data too (x = 1/2)
