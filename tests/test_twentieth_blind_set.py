r"""What a twentieth blind set of real derivations showed (files 202-212 of the corpus: a softmax bias question, a
feed-forward network's softmax cost, a log-softmax Jacobian, a Poisson regression likelihood, a course notebook's
regularized gradients, a logistic margin loss, layer normalization, a tanh network worked by hand, the ELU; written
by helpers who never ran the checker). First run: 7 of 39 correct equations proved, 0 of 9 mistakes found, no false
proof and no false alarm. Read since: a derivative with respect to a whole vector the document writes by its
components (component by component), a dot product of two bold vectors, a function named with its parameters
(``f_{\mathbf{w},b}(\mathbf{x}^{(i)})``) defined after the display that uses it, a sum from 0 to n - 1 beside sums
without bounds, and a variant shown beside a quantity ("compare this to the cost without regularization").
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.parse.latex import parse_equation

_LINEAR = (r"Let $L = \sum_{i=1}^n w_i x_i + \frac{1}{2}\sum_{i=1}^n w_i^2$." "\n\n")


def test_a_gradient_with_respect_to_a_vector_written_by_components_is_read_component_by_component():
    r"""Files 190 (1), 163, 176: ``\frac{d}{dx} \log(\sum_i e^{x_i}) = \frac{1}{\sum_i e^{x_i}}`` was "a derivative
    with respect to the whole vector is not read yet"; its k-th component is e^{x_k} / sum, so it is refuted. A
    vector written bare beside it (``x``) is its k-th component too."""
    got = verdicts(r"$$\frac{d}{dx} \log(\sum_{i=1}^{n}{e^{x_i}}) = \frac{1}{\sum_{i=1}^{n}{e^{x_i}}}\tag{1}$$")
    assert got["1"].status == "refuted"
    assert "component by component" in got["1"].steps[0].message
    got = statuses(_LINEAR + r"$$\frac{\partial L}{\partial w} = x + w \tag{1}$$" "\n\n"
                   r"$$\frac{\partial L}{\partial w} = 2x + w \tag{2}$$" "\n\n"
                   r"$$\frac{\partial L}{\partial w} = \sum_{i=1}^n x_i + w \tag{3}$$")
    assert got == {"1": "proved", "2": "refuted", "3": "refuted"}


def test_a_vector_equal_to_a_number_is_never_proved():
    r"""``\frac{\partial}{\partial w} \sum_i w_i = 1``: every component is 1, yet the left side is a vector and the
    right a number; not proved (the author may mean the vector of ones, or a number)."""
    got = verdicts(_LINEAR + r"$$\frac{\partial}{\partial w} \sum_{i=1}^n w_i = 1 \tag{1}$$")
    assert got["1"].status == "unverified"
    assert "not the same kind of quantity" in got["1"].steps[0].message


def test_a_letter_that_may_be_a_vector_is_never_refuted_component_by_component():
    r"""File 47 (3): ``\frac{\partial l_i}{\partial \beta} = -(1 - \sigma(y_i z_i)) y_i x_i`` where the document
    also writes x with two indices: x_i may be the i-th sample, a vector, so a counterexample that gives it one
    number proves nothing."""
    got = verdicts(r"Let $L = \sum_{i=1}^n \sum_{j=1}^d w_j x_{ij}$." "\n\n"
                   r"$$\frac{\partial L}{\partial w} = 2 x_i \tag{1}$$")
    assert got["1"].status != "refuted"


_NOTEBOOK = r"""The cost function for regularized linear regression is:
$$J(\mathbf{w},b) = \frac{1}{2m} \sum\limits_{i = 0}^{m-1} (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})^2  + \frac{\lambda}{2m}  \sum_{j=0}^{n-1} w_j^2 \tag{1}$$
where:
$$ f_{\mathbf{w},b}(\mathbf{x}^{(i)}) = \mathbf{w} \cdot \mathbf{x}^{(i)} + b  \tag{2} $$
Compare this to the cost function without regularization, which is of the form:
$$J(\mathbf{w},b) = \frac{1}{2m} \sum\limits_{i = 0}^{m-1} (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})^2 \tag{3}$$
The gradient:
$$\begin{align*}
\frac{\partial J(\mathbf{w},b)}{\partial w_j}  &= \frac{1}{m} \sum\limits_{i = 0}^{m-1} (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)})x_{j}^{(i)}  +  \frac{\lambda}{m} w_j \tag{4} \\
\frac{\partial J(\mathbf{w},b)}{\partial b}  &= \frac{1}{m} \sum\limits_{i = 0}^{m-1} (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) - y^{(i)}) \tag{5} \\
\frac{\partial J(\mathbf{w},b)}{\partial b}  &= \frac{1}{m} \sum\limits_{i = 0}^{m-1} (f_{\mathbf{w},b}(\mathbf{x}^{(i)}) + y^{(i)}) \tag{6}
\end{align*}$$
"""


def test_a_course_notebook_with_its_model_defined_after_the_cost():
    r"""File 207: ``f_{\mathbf{w},b}(\mathbf{x}^{(i)}) = \mathbf{w} \cdot \mathbf{x}^{(i)} + b`` after the cost that
    uses it: the model is read first, the bold dot product as a sum of components. The cost "without regularization"
    shown for comparison is neither a claim about J nor its definition; the penalty summed from 0 to n - 1 is the
    same length as the weights summed without bounds (never refuted where they differ). A sign slip is refuted."""
    assert "w_{k} x^{(i)}_{k}" in parse_equation(r"f = \mathbf{w} \cdot \mathbf{x}^{(i)} + b").sides[1].text
    got = verdicts(_NOTEBOOK)
    assert {label: got[label].status for label in ("1", "2", "3")} == {"1": "definition", "2": "definition",
                                                                        "3": "definition"}
    assert got["4"].status == "unverified" and "n - 1" in got["4"].steps[0].message
    assert (got["5"].status, got["6"].status) == ("proved", "refuted")


def test_a_loss_named_with_a_word_under_its_letter_is_a_function_of_its_arguments():
    r"""File 173 (1)-(6): ``L_{CE}(p, y) = -y \log(p) - ...`` was "cannot read the LaTeX L_{\text{CE}}(p, y)" (a word
    with an E in it was text, never a function) and ``L_{FL}(p)`` a product L_FL times p; ``\frac{\partial L_{CE}}
    {\partial p}`` now reaches the definition."""
    got = statuses(r"$$L_{CE}(p, y) = -y \log(p) - (1-y) \log(1-p) \tag{1}$$" "\n\n"
                   r"$$\frac{\partial L_{CE}}{\partial p} = -\frac{y}{p} + \frac{1-y}{1-p} \tag{2}$$" "\n\n"
                   r"$$\frac{\partial L_{CE}}{\partial p} = -\frac{y}{p} - \frac{1-y}{1-p} \tag{3}$$" "\n\n"
                   r"$$L_{MSE}(w) = \frac{1}{2}(y - wx)^2 \tag{4}$$" "\n\n"
                   r"$$\frac{d L_{MSE}}{d w} = -(y - wx)x \tag{5}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted", "4": "definition", "5": "proved"}
