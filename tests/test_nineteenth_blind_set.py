r"""What a nineteenth blind set of real derivations showed (files 190-201 of the corpus: log-sum-exp gradients and
Hessians, a logistic score equation, Poisson and lasso gradients, batch normalization's backward pass, a numeric
two-layer network; written by helpers who never ran the checker). First run: 3 of 33 correct equations proved, 1 of
12 mistakes found, no false proof and no false alarm. Read since: the second derivative written as an operator
(``\frac{\partial^2}{\partial x_k^2} f``), ``\overrightarrow x`` for a vector, a word above a letter naming a quantity
(``L^{\text{lasso}}``, ``\text`` even without braces).
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.parse.latex import decorated_name, parse_equation


def test_a_second_derivative_written_as_an_operator_is_two_derivatives():
    r"""File 190 (3), (4): ``\frac{\partial^2}{\partial x_k^2}\log(\sum_i e^{x_i})`` was "cannot read the LaTeX ^2";
    ``\frac{d^2}{dx^2}`` too. A wrong second derivative is still refuted."""
    assert parse_equation(r"\frac{\partial^2}{\partial a \partial b} f = 0").sides[0].text == \
        r"\frac{\partial}{\partial a}\frac{\partial}{\partial b} f"
    got = statuses(r"$$\frac{d^2}{dx^2} \log(1 + e^{x}) = \frac{e^{x}}{(1+e^{x})^2} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial^2}{\partial x^2} \log(1 + e^{x}) = \frac{e^{x}}{1+e^{x}} \tag{2}$$")
    assert got == {"1": "proved", "2": "refuted"}


def test_an_arrow_over_a_letter_is_a_vector():
    r"""File 194: ``l(\overrightarrow\beta)``, ``p(\overrightarrow x_i;\overrightarrow\beta)``: the vectors
    ``\vec{\beta}``, ``\vec{x}_i`` (never scalars named after the arrow); a step in them is not read as scalars."""
    assert parse_equation(r"a = \overrightarrow x_i + \overrightarrow{w}").sides[1].text == r"\vec{x}_i + \vec{w}"
    got = verdicts(r"$$\frac{\partial}{\partial \overrightarrow w} (\overrightarrow w^T \overrightarrow x) = 1 \tag{1}$$")
    assert got["1"].status != "proved"


def test_a_word_above_a_letter_names_a_quantity_of_its_own():
    r"""Files 196 and 101: ``L^{\text lasso}(\beta)``, ``L^{\text{Logistic}}(\mathbf{w})`` were L to the power of a
    word (or "cannot read the LaTeX"); the word names the quantity, shown as the author wrote it."""
    assert decorated_name(parse_equation(r"L^{\text lasso} = 2").sides[0].text) == r"L^{\text{lasso}}"
    assert decorated_name(parse_equation(r"J^{\mathrm{reg}} = 2").sides[0].text) == r"J^{\text{reg}}"
    got = statuses(r"$$J^{\text{reg}} = \frac{1}{2}(y - wx)^2 + \frac{\lambda}{2} w^2 \tag{1}$$" "\n\n"
                   r"$$\frac{\partial J^{\text{reg}}}{\partial w} = -(y - wx)x + \lambda w \tag{2}$$" "\n\n"
                   r"$$\frac{\partial J^{\text{reg}}}{\partial w} = -(y - wx)x + 2\lambda w \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}
