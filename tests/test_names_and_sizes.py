r"""Letters with a word or a number under them, as authors write them: ``L_{\text{CE}}`` names a quantity of its own,
``\sum_{j=1}^{N_1}`` and ``\sum_{j=1}^{n_{\text{out}}}`` run to a size; and a string nested far deeper than any
derivation is refused at once, before latex2sympy2 spends seconds on it.
"""

from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.errors import LatexParseError
from symsoft.parse import adapter
from symsoft.parse.latex import parse_equation


def _statuses(text: str) -> dict:
    return {e.label: e.status for e in check(text, is_text=True).equations}


def test_a_sum_bounded_by_a_subscripted_letter_runs_to_a_size():
    text = (r"$$E = \sum_{j=1}^{N_1} w_j^2 \tag{1}$$" "\n\n"
            r"$$\frac{\partial E}{\partial w_k} = 2 w_k \tag{2}$$" "\n\n"
            r"$$\frac{\partial E}{\partial w_k} = w_k \tag{3}$$" "\n\n"
            r"$$\frac{\partial}{\partial w_k} \sum_{j=1}^{n_{\text{out}}} w_j^2 = 2 w_k \tag{4}$$")
    assert _statuses(text) == {"1": "definition", "2": "proved", "3": "refuted", "4": "proved"}


def test_a_word_under_a_letter_names_a_quantity_of_its_own():
    text = (r"Let $p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$." "\n\n"
            r"$$L_{\text{CE}} = -\sum_{k=1}^{K} y_k \log p_k \tag{1}$$" "\n\n"
            r"$$\frac{\partial L_{\text{CE}}}{\partial p_k} = -\frac{y_k}{p_k} \tag{2}$$" "\n\n"
            r"$$\frac{\partial L_{\mathrm{CE}}}{\partial p_k} = \frac{y_k}{p_k} \tag{3}$$")
    assert _statuses(text) == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_word_under_a_letter_is_not_prose_that_ends_the_formula():
    # \text{...} after a formula is prose ("\quad \text{for all } i"); under a letter it is part of a name
    chain = parse_equation(r"y_{\text{pred}} = \sigma(z) \quad \text{for all } z")
    assert len(chain.sides) == 2 and chain.tail.startswith("\\text{for all")


def test_nesting_far_deeper_than_any_derivation_is_refused_before_latex2sympy2(monkeypatch):
    def never(*_args):
        raise AssertionError("latex2sympy2 was asked")

    monkeypatch.setattr(adapter, "_latex2sympy2", never)
    for text in ("{" * 200 + "x" + "}" * 200, "e^{" * 60 + "x" + "}" * 60,
                 " ".join(f"\\sum_{{k{n}=1}}^C" for n in range(30)) + " x"):
        with pytest.raises(LatexParseError, match="nested too deeply"):
            adapter.parse_latex.__wrapped__(text)
