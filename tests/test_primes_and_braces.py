r"""Two spellings of real documents: a prime on an elementary function (``\tanh'(a)``) and the braces equation
editors put around a letter with its indices (``{{\theta }_{j}}``, ``{{x}^{(i)}}``, ``x_{_{j}}``)."""

from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.parse.latex import parse_equation


def _verdicts(text: str) -> dict:
    return {e.label: e.status for e in check(text, is_text=True).equations}


def test_the_prime_of_an_elementary_function_is_its_derivative():
    text = ("$$\\tanh'(a) = 1 - \\tanh^2(a) \\tag{1}$$\n\n$$\\tanh'(a) = 1 + \\tanh^2(a) \\tag{2}$$\n\n"
            "$$\\cosh'(x) = \\sinh(x) \\tag{3}$$")
    assert _verdicts(text) == {"1": "proved", "2": "refuted", "3": "proved"}


@pytest.mark.parametrize("written, read", [
    (r"{{\theta }_{j}}", r"\theta_{j}"),
    (r"{{x}^{(i)}}", r"x^{(i)}"),
    (r"x_{_{j}}^{(i)}", r"x_{j}^{(i)}"),
    (r"\frac{\partial J}{\partial {{w}_{k}}}", r"\frac{\partial J}{\partial w_{k}}"),
])
def test_braces_around_a_lone_letter_are_dropped(written, read):
    assert parse_equation(f"{written} = 1").sides[0].text == read


@pytest.mark.parametrize("kept", [r"\frac{a}{b}^2", r"\hat{y}_i", r"e^{x_j}", r"\sqrt{x_i}"])
def test_braces_that_are_an_argument_are_kept(kept):
    assert parse_equation(f"{kept} = 1").sides[0].text == kept


def test_a_subscript_after_braces_is_never_dropped():
    # {x}_{j} once read as x alone: the subscript was lost
    side = parse_equation(r"{x}_{j} = 2").sides[0]
    assert [atom.text for atom in side.placeholders.values()] == ["x_{j}"]
