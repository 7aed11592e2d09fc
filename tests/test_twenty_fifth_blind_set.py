r"""What the twenty-fifth blind set of real derivations showed (files 259-270: an optax documentation issue, a cs231n
question, a Korean lecture note on softmax cross-entropy, Porr's backpropagation notes, two small backpropagation
walk-throughs, geometric and Bernoulli maximum likelihood, a regression slope through the origin; written by helpers
who never ran the checker). First run: 15 of 42 correct equations proved, 1 of 19 mistakes found, no false proof and
**6 false alarms** (261 (11), (13), (19), (20), (21): a one-hot label said in Korean; 259 (2): an author's corrected
formula refuted against the one it corrects), mended.
"""

from __future__ import annotations

from checked import verdicts

_KOREAN_ONE_HOT = (
    r"$$\hat{y}_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}\tag{1}$$" "\n\n"
    "원-핫 인코딩된 정답 레이블 $y$에 대해:\n\n"
    r"$$L = -\sum_{k=1}^{K} y_k \log(\hat{y}_k)\tag{2}$$" "\n\n"
    "원-핫 벡터의 특성상 정답 클래스 $c$에서만 $y_c = 1$이므로:\n\n"
    r"$$L = -\log(\hat{y}_c)\tag{3}$$" "\n\n"
    r"$$\sum_{k=1}^{K} y_k \hat{y}_i = \hat{y}_i \sum_{k=1}^{K} y_k = \hat{y}_i \cdot 1 = \hat{y}_i\tag{4}$$" "\n\n"
    r"$$L = -\log(\hat{y}_1)\tag{5}$$")


def test_a_one_hot_label_said_in_korean():
    r"""File 261: "원-핫 인코딩된 정답 레이블 $y$" (a one-hot encoded label y) and "only at the correct class $c$ is
    $y_c = 1$". The label was read as any real vector, so ``\sum_k y_k = 1`` and ``L = -\log \hat{y}_c`` were
    refuted with labels (1/2, 1/2). One-hot in Korean, Chinese or Japanese is one-hot; a probability vector that
    is 1 at the class c is the one-hot vector at c. ``L = -\log \hat{y}_1`` is still false (c need not be 1)."""
    got = verdicts(_KOREAN_ONE_HOT)
    assert got["3"].status == "proved"
    assert [step.status for step in got["4"].steps] == ["proved", "proved", "proved"]
    assert got["5"].status == "refuted"


def test_one_at_a_letter_in_a_case_is_not_the_label():
    r"""``if $y_c = 1$`` opens a case: the label stays a probability vector, ``L = -\log \hat{y}_c`` is not proved."""
    got = verdicts(_KOREAN_ONE_HOT.replace("원-핫 벡터의 특성상 정답 클래스 $c$에서만 $y_c = 1$이므로:",
                                           "For example, if $y_c = 1$ then"))
    assert got["3"].status != "proved"
    assert [step.status for step in got["4"].steps] == ["proved", "proved", "proved"]


def test_a_corrected_formula_is_not_refuted_against_the_one_it_corrects():
    r"""File 259: the documentation's ``\sigma_i = \log(\frac{\sum_j y_{ij} \exp(x_{ij})}{\sum_j \exp(x_{ij})})``,
    then "it's a typo and should be the following instead:" ``\sigma_i = -\sum_j y_{ij} \log(...)``. The second
    display was refuted against the first, read as σ's definition. The author's correction defines σ from there
    on; a later claim about σ is checked with it."""
    document = (r"$$s = \log(a + b) \tag{1}$$" "\n\n"
                "But clearly it's a typo and should be the following instead:\n\n"
                r"$$s = a \log(b) \tag{2}$$" "\n\n" r"$$s = \log(b^a) \tag{3}$$" "\n\n" r"$$s = \log(b) \tag{4}$$")
    got = verdicts(document)
    assert got["2"].status == "definition"
    assert got["4"].status == "refuted"
    for lead in ("Also", "Instead, we can write it as:"):  # "instead" alone corrects nothing
        got = verdicts(document.replace("But clearly it's a typo and should be the following instead:", lead))
        assert got["2"].status == "refuted"


def test_the_derivative_of_a_capital_letter_function():
    r"""File 269 (2): ``L'(\alpha) = \sum 2(y_i - \alpha x_i)(-x_i)`` after ``L(\alpha) := \sum_{i=1}^n (y_i - \alpha
    x_i)^2`` could not be read: the prime after a capital. ``L'(\alpha)`` is L's derivative (only at one letter:
    ``X'(y - X b)`` stays a transpose)."""
    document = (r"$$L(\alpha) := \sum_{i=1}^n (y_i - \alpha x_i)^2 \tag{1}$$" "\n\n"
                r"$$L'(\alpha) = -2\sum_{i=1}^n (y_i - \alpha x_i) x_i \tag{2}$$" "\n\n"
                r"$$L'(\alpha) = -\sum_{i=1}^n (y_i - \alpha x_i) x_i \tag{3}$$")
    got = verdicts(document)
    assert [got[k].status for k in "23"] == ["proved", "refuted"]


def test_the_parameter_of_a_bernoulli_is_a_probability():
    r"""File 270 (3): ``\ell(p) = \log \prod_n p^{x_n} (1 - p)^{1 - x_n} = \sum_n x_n \log p + (1 - x_n) \log(1 - p)``
    was not proved: the log of a power needs p > 0 and 1 - p > 0, which "data $x_1, \ldots, x_N \sim$
    Bernoulli($p$)" says."""
    document = ("The data $x_1, \\ldots, x_N \\sim$ Bernoulli($p$) with unknown parameter $p$.\n\n"
                r"$$\ell = \log{ \prod_{n=1}^N p^{x_n}(1 - p)^{1 - x_n} } \tag{1}$$" "\n\n"
                r"$$\ell = \sum_{n=1}^N x_n \log{p} + (1 - x_n) \log{(1 - p)} \tag{2}$$")
    assert verdicts(document)["2"].status == "proved"
    assert verdicts(document.replace("Bernoulli($p$)", "a distribution"))["2"].status != "proved"


def test_an_equation_the_prose_says_sets_the_derivative_above_to_zero():
    r"""File 270 (5): "Set the derivative equal to zero to get" ``\sum_n \frac{x_n}{p} = \sum_n \frac{1 - x_n}{1 - p}``
    after ``\frac{d \ell}{dp} = \sum_n \frac{x_n}{p} - \frac{1 - x_n}{1 - p}``: true where the derivative is zero (a
    counterexample elsewhere is no refutation); proved at the solution, as its terms moved across. A wrong one
    (a sign lost) is not proved."""
    document = ("The data $x_1, \\ldots, x_N \\sim$ Bernoulli($p$).\n\n"
                r"$$\ell = \sum_{n=1}^N x_n \log{p} + (1 - x_n) \log{(1 - p)} \tag{1}$$" "\n\n"
                r"$$\frac{d \ell}{dp} = \sum_{n=1}^N \frac{x_n}{p} - \frac{1 - x_n}{1-p} \tag{2}$$" "\n\n"
                "Set the derivative equal to zero to get\n\n"
                r"$$\sum_{n=1}^N \frac{x_n}{p} = \sum_{n=1}^N \frac{1-x_n}{1-p} \tag{3}$$")
    got = verdicts(document)
    assert got["2"].status == "proved"
    assert got["3"].status == "proved" and "at the solution" in got["3"].steps[0].method
    wrong = verdicts(document.replace(r"= \sum_{n=1}^N \frac{1-x_n}{1-p} \tag{3}", r"= -\sum_{n=1}^N \frac{1-x_n}{1-p} \tag{3}"))
    assert wrong["3"].status != "proved"


def test_tanh_with_a_capital_and_the_hyperbolic_secant_are_known_functions():
    r"""File 188 (1): ``Tanh(x) = 1 - {2 \over e^{2x} + 1} = {e^x - e^{-x} \over e^x + e^{-x}}`` (Tanh with a capital)
    was "Tanh(...) is written like a function, but the document does not define Tanh"; ``\operatorname{sech}`` too."""
    got = verdicts(r"$$Tanh(x) = 1 - {2 \over e^{2x} + 1} = {e^x - e^{-x} \over e^x + e^{-x}} \tag{1}$$" "\n\n"
                   r"$$\frac{d}{dx} \tanh(x) = \operatorname{sech}(x)^2 = \frac{4}{(e^x + e^{-x})^2} \tag{2}$$" "\n\n"
                   r"$$\frac{d}{dx} \tanh(x) = \operatorname{sech}(x) \tag{3}$$")
    assert [step.status for step in got["1"].steps] == ["proved", "proved"]
    assert [got[k].status for k in "23"] == ["proved", "refuted"]
