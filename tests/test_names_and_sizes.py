r"""Names as authors write them: ``L_{\text{CE}}`` and ``L_{CE}`` name a quantity of their own, ``MSE`` and ``NLL``
are one name, ``\sum_{j=1}^{N_1}`` and ``\sum_{j=1}^{n_{\text{out}}}`` run to a size, activations named in
``\text`` or ``\mathrm`` are the activations, letters never defined beside the variable of a derivative are held
fixed (and the facts say so), displays sharing a source line define one by one, ``\max\{...\}`` is the maximum;
and a string nested far deeper than any derivation is refused at once, before latex2sympy2 spends seconds on it.
"""

from __future__ import annotations

import pytest

from checked import statuses
from symsoft.check import check
from symsoft.errors import LatexParseError
from symsoft.parse import adapter
from symsoft.parse.latex import parse_equation



def test_a_sum_bounded_by_a_subscripted_letter_runs_to_a_size():
    text = (r"$$E = \sum_{j=1}^{N_1} w_j^2 \tag{1}$$" "\n\n"
            r"$$\frac{\partial E}{\partial w_k} = 2 w_k \tag{2}$$" "\n\n"
            r"$$\frac{\partial E}{\partial w_k} = w_k \tag{3}$$" "\n\n"
            r"$$\frac{\partial}{\partial w_k} \sum_{j=1}^{n_{\text{out}}} w_j^2 = 2 w_k \tag{4}$$")
    assert statuses(text) == {"1": "definition", "2": "proved", "3": "refuted", "4": "proved"}


def test_a_word_under_a_letter_names_a_quantity_of_its_own():
    text = (r"Let $p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$." "\n\n"
            r"$$L_{\text{CE}} = -\sum_{k=1}^{K} y_k \log p_k \tag{1}$$" "\n\n"
            r"$$\frac{\partial L_{\text{CE}}}{\partial p_k} = -\frac{y_k}{p_k} \tag{2}$$" "\n\n"
            r"$$\frac{\partial L_{\mathrm{CE}}}{\partial p_k} = \frac{y_k}{p_k} \tag{3}$$")
    assert statuses(text) == {"1": "definition", "2": "proved", "3": "refuted"}


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


@pytest.mark.parametrize("name", [r"\operatorname{softplus}", r"\mathrm{softplus}", r"\text{softplus}", "softplus"])
def test_a_named_activation_is_read_in_every_spelling(name):
    text = (rf"$$\frac{{d}}{{dx}} {name}(x) = \frac{{e^{{x}}}}{{1+e^{{x}}}} \tag{{1}}$$" "\n\n"
            rf"$$\frac{{d}}{{dx}} {name}(x) = \frac{{1}}{{1+e^{{x}}}} \tag{{2}}$$")
    assert statuses(text) == {"1": "proved", "2": "refuted"}


def test_relu_written_in_text_is_the_rectifier():
    text = r"$$\text{ReLU}(x) = \max(0, x) \tag{1}$$" "\n\n" r"$$\mathrm{ReLU}(x) = x \tag{2}$$"
    assert statuses(text) == {"1": "proved", "2": "refuted"}


def test_letters_never_defined_beside_the_variable_are_held_fixed_and_said_so():
    text = (r"$$\frac{\partial}{\partial w}\frac{1}{2}(wx - y)^2 = (wx-y)x \tag{1}$$" "\n\n"
            r"$$\frac{\partial}{\partial w}\frac{1}{2}(wx - y)^2 = wx-y \tag{2}$$" "\n\n"
            r"$$\frac{\partial J}{\partial w} = 2 \frac{\partial J}{\partial w} - \frac{\partial J}{\partial w} \tag{3}$$"
            "\n\n" r"$$\frac{\partial J}{\partial w} = x \tag{4}$$")  # J, differentiated itself, may depend on w
    report = check(text, is_text=True)
    verdicts = {e.label: e for e in report.equations}
    assert {label: v.status for label, v in verdicts.items()} == {"1": "proved", "2": "refuted", "3": "proved",
                                                                   "4": "unverified"}
    facts = " ".join(verdicts["1"].steps[0].facts)
    assert "x does not depend on w" in facts and "y does not depend on w" in facts


def test_displays_on_one_line_define_one_by_one():
    # several $$...$$ on one source line: the definition of l there does not make its neighbours definitions
    text = (r"$$ l(z) = \max\{0, 1 - yz\} \tag{1}$$ $$ l^{\prime}(z) = \max\{0, - y\} \tag{2}$$"
            r" $$ z(w) = w x \tag{3}$$ $$ z^{\prime}(w) = x \tag{4}$$")
    found = statuses(text)
    assert found["1"] == "definition" and found["3"] == "definition"
    assert found["2"] == "refuted" and found["4"] == "proved"


def test_max_of_a_set_is_the_maximum():
    assert str(parse_equation(r"a = \max\{0, 1 - yz\}").sides[1].expr) == str(
        parse_equation(r"a = \max(0, 1 - yz)").sides[1].expr)


def test_a_loss_named_in_capitals_is_one_name():
    text = (r"$$MSE = \frac{1}{n}\sum_{i=1}^{n} (y_i - w x_i)^2 \tag{1}$$" "\n\n"
            r"$$\frac{\partial MSE}{\partial w} = -\frac{2}{n}\sum_{i=1}^{n} x_i (y_i - w x_i) \tag{2}$$" "\n\n"
            r"$$\frac{\partial MSE}{\partial w} = -\frac{1}{n}\sum_{i=1}^{n} x_i (y_i - w x_i) \tag{3}$$")
    assert statuses(text) == {"1": "definition", "2": "proved", "3": "refuted"}


def test_capitals_under_a_letter_name_it():
    text = (r"Let $p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$. The labels are one-hot: $\sum_k y_k = 1$." "\n\n"
            r"$$L_{CE} = -\sum_{k=1}^{K} y_k \log p_k \tag{1}$$" "\n\n"
            r"$$\frac{\partial L_{CE}}{\partial z_j} = p_j - y_j \tag{2}$$")
    assert statuses(text) == {"1": "definition", "2": "proved"}
