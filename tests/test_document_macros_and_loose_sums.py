r"""Readings added in the twelfth session (issue 11, and issue 14's class of submissions): the document's own LaTeX
macros, a period as a product, sums written with dots, a summed letter that is also a quantity, and the grader's
profile keeping its meaning (labels summing to one, linear logits) in a document's own reading."""
from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.read.macros import expand_macros, macros_in
from symsoft.parse.latex import parse_equation


def _statuses(text: str) -> dict:
    report = check(text, is_text=True)
    return {eq.label: eq.status for eq in report.equations}


def test_the_documents_macros_are_written_out_before_reading():
    text = ("$$\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n\\renewcommand{\\th}{\\theta}$$\n\n"
            "$$\\pd{}{\\th} \\th^2 = 2 \\th \\tag{1}$$\n\n$$\\pd{}{\\th} \\th^3 = 2 \\th^2 \\tag{2}$$\n")
    assert _statuses(text) == {"1": "proved", "2": "refuted"}


def test_macros_with_an_optional_argument_and_def():
    found, rest = macros_in(r"\newcommand{\sq}[2][2]{#2^{#1}} \def\half{\frac{1}{2}} x")
    assert sorted(found) == [r"\half", r"\sq"] and rest.strip() == "x"
    assert expand_macros(r"\newcommand{\sq}[2][2]{#2^{#1}} $\sq{x} + \sq[3]{y}$") == " $x^{2} + y^{3}$"


@pytest.mark.parametrize("text", [
    r"\def\a{\a\a} $\a$",  # a macro that writes itself
    r"\newcommand{\b}{\b\b\b\b} $\b\b$",
    r"\newcommand{\c}[1]{#1#1#1#1} $\c{\c{\c{\c{\c{\c{\c{\c{x}}}}}}}}$",  # grows fast
])
def test_a_macro_that_never_ends_stops_at_its_budget(text):
    out = expand_macros(text)
    assert len(out) <= 4 * len(text) + 1000 + 64 ** 2


def test_a_macro_without_its_arguments_is_left_as_written():
    assert expand_macros(r"\newcommand{\pd}[2]{\frac{#1}{#2}} $\pd{a}$") == r" $\pd{a}$"


def test_a_period_between_factors_is_a_product():
    assert _statuses("$$\\frac{d}{dx} x.\\exp(x) = (1 + x).\\exp(x) \\tag{1}$$\n\n"
                     "$$(1 - s).y = y - s.y \\tag{2}$$\n\n$$(1 - s).y = y + s.y \\tag{3}$$\n") == {
        "1": "proved", "2": "proved", "3": "refuted"}


def test_a_decimal_point_and_dots_stay_what_they_are():
    chain = parse_equation(r"x = 1.5 y")
    assert str(chain.sides[1].expr) == "3*y/2"


def test_a_sum_written_with_dots_is_the_sum():
    text = ("$$\\sum_{i=1}^{C} \\sigma(z_i) = \\frac{e^{z_1} + \\dots + e^{z_C}}{e^{z_1} + e^{z_2} + \\cdots + e^{z_C}}"
            " = 1 \\tag{1}$$\n\n$$e^{z_1} + \\dots + e^{z_C} = C e^{z_1} \\tag{2}$$\n")
    assert _statuses(text) == {"1": "proved", "2": "refuted"}


def test_a_letter_summed_over_and_differentiated_is_the_quantity():
    """The loss l and the index l in one sum: an index is never differentiated, so \\partial l is the loss and the
    sum's index is renamed. It was refuted (a false alarm), with l read as the index."""
    text = ("$$l = -\\sum_{k=1}^{C} \\hat{y}_k \\log \\sigma(z_k) \\tag{1}$$\n\n"
            "$$\\frac{\\partial l}{\\partial w_j^{(k)}} = \\sum_{l=1}^{C} \\frac{\\partial l}{\\partial z_l}"
            " \\frac{\\partial z_l}{\\partial w_j^{(k)}} \\tag{2}$$\n")
    assert check(text, is_text=True).equations[-1].status == "proved"


def test_a_letter_summed_over_and_written_as_a_quantity_is_not_guessed():
    text = ("$$l = -\\sum_{k=1}^{C} \\hat{y}_k \\log \\sigma(z_k) \\tag{1}$$\n\n"
            "$$\\sum_{l=1}^{C} l z_l = l \\sum_{l=1}^{C} z_l \\tag{2}$$\n")
    second = check(text, is_text=True).equations[-1]
    assert second.status == "unverified" and "both the index of a sum and a quantity" in second.message


def test_one_hot_labels_named_after_the_loss_sum_to_one():
    text = ("$$p_k = \\frac{e^{z_k}}{\\sum_{m=1}^{C} e^{z_m}} \\tag{1}$$\n\n"
            "With $L = -\\sum_{k=1}^{C} t_k \\log p_k$ (one-hot labels):\n\n"
            "$$\\frac{\\partial L}{\\partial z_l} = -\\sum_{k=1}^{C} t_k (\\delta_{kl} - p_l) = p_l - t_l \\tag{2}$$\n")
    assert _statuses(text)["2"] == "proved"


def test_the_profiles_labels_and_logits_hold_in_the_documents_own_letters():
    """A document that defines its own softmax p and loss L, with z and the labels left to the homework's profile:
    the labels sum to one and z_k = sum_d w_d^{(k)} x_d, as the profile says; a missing x_d is then found."""
    head = ("$$p_k = \\frac{e^{z_k}}{\\sum_{m=1}^{C} e^{z_m}} \\tag{1}$$\n\n"
            "$$L = -\\sum_{k=1}^{C} \\hat{y}_k \\log p_k \\tag{2}$$\n\n")
    right = head + "$$\\frac{\\partial L}{\\partial w_d^{(l)}} = (p_l - \\hat{y}_l) x_d \\tag{3}$$\n"
    wrong = head + "$$\\frac{\\partial L}{\\partial w_d^{(l)}} = p_l - \\hat{y}_l \\tag{3}$$\n"
    assert _statuses(right)["3"] == "proved"
    assert _statuses(wrong)["3"] == "refuted"


def test_a_documents_own_logits_definition_is_kept_when_its_letters_use_z():
    text = ("Let $p_k = \\frac{e^{z_k}}{\\sum_{m=1}^{C} e^{z_m}}$ and $L = -\\sum_{k=1}^{C} \\hat{y}_k \\log p_k$,"
            " where $z_k = \\sum_{d=1}^{D} w_d^{(k)} x_d$.\n\n"
            "$$\\frac{\\partial L}{\\partial w_d^{(l)}} = \\frac{\\partial L}{\\partial z_l}"
            " \\frac{\\partial z_l}{\\partial w_d^{(l)}} = (p_l - \\hat{y}_l) x_d \\tag{1}$$\n")
    assert _statuses(text) == {"1": "proved"}


@pytest.mark.parametrize("text", [
    "a." * 100000 + "b",
    ("x_1 y z " * 3000) + r"+ \dots + " + ("a b " * 3000),
    r"\text{" + "a " * 50000 + r"} + \dots + " + "e^{z_1} " * 2000,
], ids=["periods", "dots after a long term", "dots after long words"])
def test_long_hostile_displays_are_read_in_one_pass(text):
    """Periods and dotted sums in a long display: a regex that backtracked through it made a real document's reading
    run out of its 30 s budget (document 48); both now read it in one pass."""
    from symsoft.parse.latex import _dotted_sums, _periods_as_products

    assert len(_periods_as_products(_dotted_sums(text))) >= len(text)
