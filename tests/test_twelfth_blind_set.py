r"""What a twelfth blind set of real derivations showed (files 128-135 of the corpus: the softmax Jacobian and the
cross-entropy gradient with an indicator, a two-path backpropagation, the logistic loss with labels in {-1, +1}, a
multinomial likelihood, a MAP ridge estimate; written by helpers who never ran the checker). First run: 2 of 16
correct equations proved, 0 of 5 mistakes found, no false proof, 1 false alarm: ``d(x) = s(x)(1 - s(x))`` was read
as a claim about an open function d (the letter d was never a definition's name). Read since: the indicator
``1\{k = i\}``, subscripts that state a case (``y_{k=i}``, ``y_{k \not= i}``), the middle dot ``⋅``; and a step
false only where two names for one vector's length differ is not called false.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex

SOFTMAX = r"$$y_k = \frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}} \tag{1}$$" "\n\n"


def test_a_function_named_d_is_defined_by_its_display():
    r"""File 132: "( d(x) is the derivative of sigmoid ) $$d(x) = s(x)(1 - s(x))$$". The letter d alone is a
    differential; applied to an argument on the left of a display it names a function, which the display defines
    (it was refuted "for every function d", with the sigmoid in its place)."""
    got = statuses(r"$$s(x) = \frac{1}{1+e^{-x}} \tag{1}$$" "\n\n"
                   r"( d(x) is the derivative of sigmoid ) $$d(x)=s(x)(1-s(x)) \tag{2}$$" "\n\n"
                   r"$$d(0) = \frac{1}{4} \tag{3}$$" "\n\n" r"$$d(0) = \frac{1}{2} \tag{4}$$")
    assert got == {"1": "definition", "2": "definition", "3": "proved", "4": "refuted"}


def test_the_middle_dot_is_a_product():
    """File 132 writes its products with ⋅ (U+22C5) and ∙ (U+2219), as · (U+00B7) already was."""
    assert normalize_latex("a⋅b ∙ c")[0] == normalize_latex(r"a \cdot b \cdot c")[0]


def test_an_indicator_written_with_braces_is_the_kronecker_delta():
    r"""File 130: ``y_k (1\{k = i\} - y_i)``, "where 1\{k = i\} equals 1 if k = i and 0 otherwise"."""
    assert normalize_latex(r"y_k (1\{k = i\} - y_i)")[0] == r"y_k (\delta_{ki} - y_i)"
    assert normalize_latex(r"\mathbf{1}\{i = j\} - p_j")[0] == r"\delta_{ij} - p_j"
    assert normalize_latex(r"x^1 + 21\{a\}")[0] == r"x^1 + 21\{a\}"  # a 1 inside a number is no indicator
    right = SOFTMAX + r"$$\frac{\partial y_k}{\partial z_i} = y_k (1\{k = i\} - y_i) \tag{2}$$"
    wrong = SOFTMAX + r"$$\frac{\partial y_k}{\partial z_i} = y_i (1\{k = i\} - y_i) \tag{2}$$"
    assert statuses(right)["2"] == "proved" and statuses(wrong)["2"] == "refuted"


def test_a_subscript_that_states_the_case():
    r"""File 130 writes the two cases of the softmax derivative as ``y_{k=i}`` and ``y_{k \not= i}``: the component
    k in the case the subscript states (it read "=" as an index and refuted both cases)."""
    right = SOFTMAX + (r"$$\frac{\partial y_{k=i}}{\partial z_i} = y_{k=i}(1 - y_i) \tag{2}$$" "\n\n"
                       r"$${\partial y_{k \not= i} \over \partial z_i} = - y_{k \not= i} y_i \tag{3}$$")
    wrong = SOFTMAX + (r"$$\frac{\partial y_{k=i}}{\partial z_i} = y_{k=i}(1 + y_i) \tag{2}$$" "\n\n"
                       r"$${\partial y_{k \not= i} \over \partial z_i} = y_{k \not= i} y_i \tag{3}$$")
    assert statuses(right) == {"1": "definition", "2": "proved", "3": "proved"}
    assert statuses(wrong) == {"1": "definition", "2": "refuted", "3": "refuted"}


def test_two_names_for_one_length_are_no_counterexample():
    r"""File 130 defines the softmax over K classes, then again over J ("forgetting the original meanings"): a step
    false only where J and K differ, though both count the components of z, is not called false; a step false for
    J = K is."""
    twice = (r"$$y_i = \frac{e^{z_i}}{\sum_{k=1}^K e^{z_k}} \tag{1}$$" "\n\n"
             r"$$C = -\sum_{k=1}^K t_k \log y_k \tag{2}$$" "\n\n"
             r"$$y_k = \frac{e^{z_k}}{\sum_{j=1}^J e^{z_j}} \tag{3}$$" "\n\n")
    right = twice + r"$$\frac{\partial y_k}{\partial z_k} = \frac{e^{z_k}}{\sum_{j=1}^J e^{z_j}} (1 - y_k) \tag{4}$$"
    wrong = twice + r"$$\frac{\partial y_k}{\partial z_k} = \frac{e^{z_k}}{\sum_{j=1}^J e^{z_j}} (1 + y_k) \tag{4}$$"
    assert statuses(right)["4"] != "refuted"
    assert statuses(wrong)["4"] == "refuted"


LAPLACE = (r"The log-likelihood is $$\ell(\theta) = -n \log(2\theta) - \frac{\sum_{i=1}^n |x_i-\mu|}{\theta} \tag{1}$$"
           "\n\nso\n\n")
RIGHT_DERIVATIVE = r"$$\frac{\partial \ell}{\partial \theta} = -\frac{n}{\theta} +\frac{\sum_{i=1}^n |x_i-\mu|}{\theta^2}"
WRONG_DERIVATIVE = r"$$\frac{\partial \ell}{\partial \theta} = -\frac{n}{2\theta} +\frac{\sum_{i=1}^n |x_i-\mu|}{\theta^2}"


def test_an_estimate_solves_the_condition_set_to_zero():
    r"""File 127: the derivative set to zero, then "we have $\theta = \frac{\sum |x_i - \mu|}{n}$": the estimate,
    written as the parameter or decorated (``\hat{\theta}``, read as a new letter's definition), is the claim that it
    solves the condition; proved when the parameter minus it is the condition times a factor. A wrong estimate is not
    proved, and a condition whose derivative is wrong proves nothing."""
    for estimate in (r"\theta", r"\hat{\theta}", r"\hat\theta", r"\theta^*"):
        got = statuses(LAPLACE + RIGHT_DERIVATIVE + r" = 0 \tag{2}$$" "\n\nand we have\n\n"
                       + f"$${estimate} = " + r"\frac{\sum_{i=1}^n |x_i-\mu|}{n} \tag{3}$$")
        assert got == {"1": "definition", "2": "proved", "3": "proved"}, estimate
        got = statuses(LAPLACE + RIGHT_DERIVATIVE + r" = 0 \tag{2}$$" "\n\nand we have\n\n"
                       + f"$${estimate} = " + r"\frac{\sum_{i=1}^n |x_i-\mu|}{2n} \tag{3}$$")
        assert got["3"] != "proved", estimate
    got = statuses(LAPLACE + WRONG_DERIVATIVE + r" = 0 \tag{2}$$" "\n\nand we have\n\n"
                   r"$$\hat{\theta} = \frac{\sum_{i=1}^n |x_i-\mu|}{2n} \tag{3}$$")
    assert got["2"] == "refuted" and got["3"] != "proved"


def test_the_prose_after_a_derivative_sets_it_to_zero():
    r"""File 127: "It should be $\frac{\partial}{\partial \theta} \ln l = ...$; this should be zero so we have
    $\theta = ...$": the prose sets the derivative to zero."""
    got = statuses(LAPLACE + RIGHT_DERIVATIVE + r" \tag{2}$$" "\n\nthis should be zero so we have\n\n"
                   r"$$\hat{\theta} = \frac{\sum_{i=1}^n |x_i-\mu|}{n} \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "proved"}
    got = statuses(LAPLACE + RIGHT_DERIVATIVE + r" \tag{2}$$" "\n\nso we have\n\n"
                   r"$$\hat{\theta} = \frac{\sum_{i=1}^n |x_i-\mu|}{n} \tag{3}$$")
    assert got["3"] != "proved"  # nothing set to zero: the estimate is a definition


def test_the_label_of_one_example_is_a_fixed_class():
    r"""File 129 (CS231n's notation): the loss of the i-th example, ``L_i = -\log p_{y_i}``, and its gradient
    ``p_k - \mathbb{1}(y_i = k)``: y_i is that example's label, one fixed class (the index "_" was not read). A display
    that sums over the examples keeps y_i as it is."""
    assert normalize_latex(r"L_i = -\log p_{y_i} + \mathbb{1}\left(y_i=k\right)")[0] == r"L_i = -\log p_{y} + \delta_{yk}"
    assert "y_i" in normalize_latex(r"L = -\sum_{i=1}^N \log p_{y_i}")[0]
    loss = (r"$$L_i = -\log\left(\frac{e^{f_{y_i}}}{\sum_j e^{f_j}}\right) \tag{1}$$" "\n\n"
            r"where $f_j$ are the class scores. With $p_k = \frac{e^{f_k}}{\sum_j e^{f_j}}$," "\n\n")
    right = statuses(loss + r"$$\frac{\partial L_i}{\partial f_k} = p_k - \mathbb{1}(y_i = k) \tag{2}$$")
    wrong = statuses(loss + r"$$\frac{\partial L_i}{\partial f_k} = p_k - 1 \tag{2}$$")
    assert right == {"1": "definition", "2": "proved"} and wrong["2"] == "refuted"
