r"""Slashes, ASCII relations, definitions read after one not read, and displays read row by row (issue 11).

Each case is a short document in the style of the public derivations in tests/fixtures/corpus/real.
"""

from __future__ import annotations

import pytest

from symsoft.check import check
from symsoft.errors import LatexParseError
from symsoft.parse.latex import parse_side, split_chain, normalize_latex


def statuses(document: str) -> list:
    return [(e.label, e.status) for e in check(document).equations]


def assert_right_and_wrong(right: str, wrong: str) -> None:
    """The last display, labelled (2), is proved in ``right`` and refuted in ``wrong``."""
    assert statuses(right)[-1] == ("2", "proved")
    assert statuses(wrong)[-1] == ("2", "refuted")


@pytest.mark.parametrize("text, relations", [
    (r"H(p,q) = -\sum_i p_i \log q_i >= 0", ["=", ">="]),
    (r"0 <= p(x), q(x) <= 1", ["<=", "|", "<="]),
    (r"a != b", ["!="]),
    (r"a <=> b", ["=>"]),
])
def test_ascii_relations_are_the_relations(text, relations):
    """``>=``, ``<=``, ``!=`` typed in ASCII are the relations, never a side left empty between ``>`` and ``=``."""
    sides, found = split_chain(normalize_latex(text)[0])
    assert found == relations and all(sides)


@pytest.mark.parametrize("text, value", [
    (r"1/m \sum_{i=1}^{m} x_i", r"Sum(\mathit{Qa}, (i, 1, m))/m"),
    (r"1/2m \sum_{i=1}^{m} x_i", r"Sum(\mathit{Qa}, (i, 1, m))/(2*m)"),
    (r"1/2 (y - t)^2", "(-t + y)**2/2"),
    (r"1/\sigma \sum_{i=1}^{m} x_i", r"Sum(\mathit{Qa}, (i, 1, m))/sigma"),
])
def test_a_slash_ends_before_a_sum_or_a_bracket(text, value):
    """``1/m \\sum_i x_i`` is the mean, never 1/(m \\sum_i x_i) (as latex2sympy2 reads it); ``1/2 (y - t)^2`` a half."""
    assert str(parse_side(text).expr) == value


@pytest.mark.parametrize("text", [r"\lambda /vs", r"1/2 x", r"-\lambda/v \left( \sum_{i=1}^v z_i - v r \right)",
                                  r"a/\sigma b"])
def test_a_factor_after_a_slash_is_not_read_one_way(text):
    """``\\lambda/v s`` is (λ/v) s to one reader and λ/(v s) to another: the side is not read (never refuted on a
    guess); ``x/\\sigma(z)`` stays a call in the denominator."""
    with pytest.raises(LatexParseError):
        parse_side(text)
    assert "sigma" in str(parse_side(r"x/\sigma(z)").expr)


def test_an_ambiguous_slash_is_never_a_false_alarm():
    """The author's (λ/v)(Σ z_i - v r) expanded correctly: read as λ/(v (Σ z_i - v r)) it was refuted."""
    document = (r"$$r = \log \sum_{j=1}^v e^{z_j} \tag{1}$$" "\n\n"
                r"$$\begin{aligned} o &= -\lambda/v \left( \sum_{i=1}^v z_i - v r \right) \\"
                r" &= - \lambda/v \left( \sum_{i=1}^v z_i \right) + \lambda r \end{aligned} \tag{2}$$")
    assert statuses(document)[-1][1] != "refuted"


def test_a_mean_written_with_a_slash_is_read():
    """``J = 1/2m \\sum_i (w x_i - y_i)^2``: its derivative is proved, and a dropped 1/m refuted."""
    head = r"$$J(w) = 1/2m \sum_{i=1}^{m} (w x_i - y_i)^2 \tag{1}$$" "\n\n"
    right = head + r"$$\frac{\partial J}{\partial w} = 1/m \sum_{i=1}^{m} (w x_i - y_i) x_i \tag{2}$$"
    wrong = head + r"$$\frac{\partial J}{\partial w} = \sum_{i=1}^{m} (w x_i - y_i) x_i \tag{2}$$"
    assert_right_and_wrong(right, wrong)


def test_a_definition_not_read_gives_way_to_one_that_is():
    """``H(p,q) = -\\sum_i p(x_i) \\log q(x_i) >= 0`` is not read (p and q called); the display that defines H again
    with components is read, and the derivatives after it are proved."""
    document = (r"$$ H(p,q) = -\sum_{i} p(x_i) \log \left(q( x_i) \right) >= 0 \tag{1}$$" "\n\n"
                r"Cross entropy is given by" "\n\n"
                r"$$ H(p,q) = -\sum_{i} p_i \log q_i \tag{2}$$" "\n\n"
                r"$$ \frac {\partial H}{\partial {q_i}} = -{p_i \over q_i} \tag{3}$$" "\n\n"
                r"$$ \frac {\partial H}{\partial {q_i}} = {p_i \over q_i} \tag{4}$$")
    found = dict(statuses(document))
    assert found["2"] == "definition" and found["3"] == "proved" and found["4"] == "refuted"


def test_a_sign_the_prose_gives_several_letters_is_their_domain():
    """"Since $p_i, q_i > 0$": the second derivative p_i / q_i^2 is positive (proved, never refuted with p_i < 0)."""
    document = (r"$$ H = -\sum_{i} p_i \log q_i \tag{1}$$" "\n\n"
                r"$$ \frac{\partial^2 H}{\partial q_i^2} = \frac{p_i}{q_i^2} \tag{2}$$" "\n\n"
                "Since $p_i, q_i > 0$ (a probability is positive)\n\n"
                r"$$ \frac{\partial^2 H}{\partial q_i^2} > 0 \tag{3}$$")
    assert dict(statuses(document))["3"] == "proved"


def test_a_condition_given_after_since_is_never_broken_by_a_counterexample():
    """"Since $0 <= q(x) <= 1$" before ``H >= 0``: the checker does not apply the condition, so it refutes nothing."""
    document = (r"$$ H(p,q) = -\sum_{i} p_i \log q_i \tag{1}$$" "\n\n"
                "Since $0 <= p(x), q(x) <= 1$\n\n"
                r"$$ H(p,q) >= 0 \tag{2}$$")
    assert dict(statuses(document))["2"] != "refuted"


def test_a_display_with_one_row_not_read_still_defines_with_the_others():
    """``r = \\log \\sum_j e^{z_j}, n = \\mathbf 1_{...}, s = \\sum_j z_j``: r and s are defined although n is not read,
    so the derivative of r is proved and a wrong one refuted."""
    head = (r"$$\begin{aligned} r &= \log \sum_{j=1}^{v} \exp(z_j), \\ n &= \mathbf 1_{z_k \neq i_g}, \\"
            r" s &= \sum_{j=1}^v z_j \end{aligned} \tag{1}$$" "\n\n")
    right = head + r"$$\frac{\partial s}{\partial z_i} = 1 \tag{2}$$"
    wrong = head + r"$$\frac{\partial s}{\partial z_i} = v \tag{2}$$"
    assert_right_and_wrong(right, wrong)


def test_a_primed_index_of_a_sum_is_an_index_of_its_own():
    r"""``\sum_{j'=1}^{V} \exp(u_{j'})`` (word2vec's normaliser): the primed index is read, never "a prime not read"."""
    document = (r"$$E = -u_{c} + \log \sum_{j'=1}^{V} \exp(u_{j'}) \tag{1}$$" "\n\n"
                r"$$\frac{\partial E}{\partial u_c} = -1 + \frac{\exp(u_c)}{\sum_{j'=1}^{V} \exp(u_{j'})} \tag{2}$$" "\n\n"
                r"$$\frac{\partial E}{\partial u_c} = 1 + \frac{\exp(u_c)}{\sum_{j'=1}^{V} \exp(u_{j'})} \tag{3}$$")
    found = dict(statuses(document))
    assert (found["2"], found["3"]) == ("proved", "refuted")


def test_rows_ended_by_markdowns_escaped_break_are_rows():
    r"""``a &= b \\\`` then a new line (kramdown's escape for a row break): the rows are read, not "\"."""
    sides, relations = split_chain(normalize_latex("\\begin{align} a &= b \\\\\\\n &= c \\end{align}")[0])
    assert sides == ["a", "b", "c"] and relations == ["=", "="]


def test_a_size_command_and_a_font_around_the_display_are_no_mathematics():
    r"""``\Large\widehat p`` is the hat of p; ``\sf{\bar x = \frac1n \sum_i x_i}`` is the mean x̄ (file 125)."""
    assert normalize_latex(r"\Large\widehat p = 1")[0].strip() == r"\hat{p} = 1"
    assert normalize_latex(r"\sf{\bar x=\frac1n\sum\limits_{i=1}^n x_i}")[0].startswith(r"\bar{x}=")


def test_a_target_named_in_the_prose_is_data():
    """"the target $t$": t does not depend on the weights, so the chain rule through y alone is read."""
    document = ("The network output is $y$ and the target is $t$.\n\n"
                r"$$E = \frac{1}{2} (y - t)^2 \tag{1}$$" "\n\n"
                r"$$y = w x \tag{2}$$" "\n\n"
                r"$$\frac{\partial E}{\partial w} = (y - t) x \tag{3}$$" "\n\n"
                r"$$\frac{\partial E}{\partial w} = (y + t) x \tag{4}$$")
    found = dict(statuses(document))
    assert (found["3"], found["4"]) == ("proved", "refuted")


def test_a_function_of_a_variance_applied_at_the_variance_is_itself():
    r"""``L(\mu, \sigma^2) = ...`` then ``\log L(\mu, \sigma^2)``: never sigma replaced by sigma^2 (file 126's false
    alarm); the derivative in mu is proved, a wrong one refuted."""
    head = (r"$$L(\mu,\sigma^2)=\frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{1}{2\sigma^2}\sum_{i=1}^n(x_i-\mu)^2}\tag{1}$$"
            "\n\n")
    right = head + r"$$\frac{\partial}{\partial \mu}(\log{L(\mu,\sigma^2)})=\frac{1}{\sigma^2}\sum_{i=1}^n (x_i-\mu)\tag{2}$$"
    wrong = head + r"$$\frac{\partial}{\partial \mu}(\log{L(\mu,\sigma^2)})=\frac{1}{\sigma}\sum_{i=1}^n (x_i-\mu)\tag{2}$$"
    assert_right_and_wrong(right, wrong)


def test_a_superscript_the_document_gives_a_value_is_never_an_index():
    r"""``p^{(k)}`` beside "let $k = \sum_i x_i$": k is a quantity, so p^{(k)} may be p to the power k (file 125's
    false alarm): not refuted."""
    document = (r"$$\frac{d}{dp}p^{(\sum_{i=1}^n x_i)}(1-p)^{n- (\sum_{i=1}^n x_i)} = \frac {d}{dp}p^{(k)}(1-p)^{n- (k)}"
                r" \tag{1}$$" "\n\n" r"where we let $k=\sum_{i=1}^n x_i$.")
    assert statuses(document)[0][1] != "refuted"


@pytest.mark.parametrize("claim", [r"\prod_{i=1}^n q^{x_i} = q^{\sum_{i=1}^n x_i}",
                                   r"\prod_{i=1}^n p^{x_i}(1-p)^{5-x_i} = p^{\sum_{i=1}^n x_i}(1-p)^{\sum_{i=1}^n(5-x_i)}"])
def test_a_product_over_a_range_in_letters_is_never_refuted(claim):
    """A product to n was once valued at n = -1 and refuted; products now run over sizes read from their bounds, as
    sums do (n = 1, 2, 3), and these true ones are proved."""
    assert statuses("$$" + claim + r" \tag{1}$$")[0][1] == "proved"


def test_a_fact_of_a_known_function_after_since_is_no_condition():
    """"Since $\\sigma(z) < 1$": a property of the sigmoid, not a condition on the letters; a wrong sign is found."""
    document = (r"$$\ell(z) = -\log \sigma(z) \tag{1}$$" "\n\n" r"Since $\sigma(z) < 1$, the loss falls:" "\n\n"
                r"$$\frac{d\ell}{dz} > 0 \tag{2}$$")
    assert statuses(document)[-1] == ("2", "refuted")


def test_a_derivative_by_the_variance_is_read():
    r"""``\frac{\partial \ell}{\partial \sigma^2}`` (the Gaussian MLE): by sigma^2, never a stray \sigma before "^2"."""
    head = r"$$\ell = -\frac{n}{2}\log{\sigma^2}-\frac{1}{2\sigma^2}\sum_{i=1}^n(x_i-\mu)^2 \tag{1}$$" "\n\n"
    right = head + r"$$\frac{\partial \ell}{\partial \sigma^2} = \frac{\sum_{i=1}^n (x_i-\mu)^2}{2 \sigma^4}-\frac{n}{2 \sigma^2} \tag{2}$$"
    wrong = head + r"$$\frac{\partial \ell}{\partial \sigma^2} = \frac{\sum_{i=1}^n (x_i-\mu)^2}{\sigma^4}-\frac{n}{2 \sigma^2} \tag{2}$$"
    assert_right_and_wrong(right, wrong)


def test_a_derivative_by_sigma_is_by_sigma():
    r"""``\frac{\partial L}{\partial \sigma_j}`` is by sigma_j; only ``\partial \sigma z_j`` is the stray-sigma typo."""
    from symsoft.parse.latex import _derivative_spans
    assert _derivative_spans(r"\frac{\partial L}{\partial \sigma_j}")[0][3:] == (r"\sigma_j", None)
    assert _derivative_spans(r"\frac{\partial L}{\partial \sigma z_j}")[0][3] == "z_j"
