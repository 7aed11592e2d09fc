r"""What a fourteenth blind set of real derivations showed (files 144-150 of the corpus: the softmax derivative with
respect to a weight matrix, the softmax loss's cases in prose, the ``\partial_j S_i(\mathbf z)`` notation, a forum
post summing a Jacobian's row, a ridge gradient in matrix notation, a Poisson likelihood, a sigmoid chain rule;
written by helpers who never ran the checker). First run: 5 of 19 correct equations proved, 0 of 10 mistakes found,
no false proof, no false alarm. Read since: a label on each row of one aligned display, ``\partial_j`` where j is an
index, ``S_i(\mathbf z)``, ``\log_e``, ``f(x; \lambda)`` and ``p(x \mid \mu, \sigma)``, ``\Sigma_{d}`` for a sum,
``\text {for all} w \neq o``.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex
from symsoft.read.document import read_document

SOFTMAX = r"$$S_i(\mathbf z) = \frac{e^{z_i}}{\sum_k{e^{z_k}}}\tag{1}$$" "\n\n"


def test_each_tagged_row_of_an_aligned_display_is_an_equation_of_its_own():
    r"""File 148: one ``align*`` whose rows carry ``\tag{4}`` ... ``\tag{9}``: each row is its equation, a row
    starting with ``&=`` continues the row before; the last label used to swallow the display (labels 5-9 missing)."""
    doc = read_document(r"$$\begin{align*} a &= b + b \tag{4}\\ c &= 2 d \tag{5}\\ &= d + d \tag{6}\end{align*}$$")
    assert [(e.label, " ".join(e.latex.split())) for e in doc.equations] == [
        ("4", r"\begin{aligned}a &= b + b \end{aligned}"), ("5", r"\begin{aligned}c &= 2 d \end{aligned}"),
        ("6", r"\begin{aligned}&= d + d \end{aligned}")]
    got = statuses(r"$$\begin{align*} x^2 - 1 &= (x - 1)(x + 1) \tag{1}\\ (x + 1)^2 &= x^2 + 1 \tag{2}\\"
                   r" &= x^2 + 2x + 1 - 2x \tag{3}\end{align*}$$")
    assert got == {"1": "proved", "2": "refuted", "3": "proved"}


def test_a_row_break_inside_cases_is_no_row_of_the_display():
    doc = read_document(r"$$\begin{aligned} f &= \begin{cases} 1 \\ 2 \end{cases} \tag{1} \\ g &= 3 \tag{2}"
                        r"\end{aligned}$$")
    assert [e.label for e in doc.equations] == ["1", "2"] and "cases" in doc.equations[0].latex


def test_a_partial_with_an_index_below_differentiates_by_that_component():
    r"""File 146: ``\partial_j S_i(\mathbf z)``, "the derivative with respect to the j-th entry of vector z": j is
    no quantity of the document and S is defined from z alone, so it is ``\partial S_i / \partial z_j``."""
    right = SOFTMAX + r"For $i \neq j$: $$\partial_jS_i(\mathbf z) = \frac{\sum_k{e^{z_k}}\times0 - e^{z_i}\times" \
                      r" e^{z_j}}{(\sum_k{e^{z_k}})^2} = -S_i(\mathbf z)S_j(\mathbf z)\tag{2}$$"
    wrong = SOFTMAX + r"For $i \neq j$: $$\partial_jS_i(\mathbf z) = S_i(\mathbf z)S_j(\mathbf z)\tag{2}$$"
    inner = SOFTMAX + r"$$\partial_jS_i(\mathbf z) = \frac{\sum_k{e^{z_k}}\times\partial_je^{z_i} - e^{z_i}\times" \
                      r"\partial_j\sum_k{e^{z_k}}}{(\sum_k{e^{z_k}})^2}\tag{2}$$"
    alone = SOFTMAX + r"$$\partial_j \sum_k e^{z_k} = 0 \tag{2}$$"  # read by the profile: j is no number there
    assert statuses(right)["2"] == "proved" and statuses(wrong)["2"] == "refuted"
    assert statuses(inner)["2"] == "proved" and statuses(alone)["2"] == "unverified"


def test_a_partial_by_a_letter_the_document_uses_for_a_quantity_is_not_an_index():
    r"""File 144: ``\frac{\partial p(a)}{\partial w}`` where the document writes ``w_a``: w is the weights, never
    the index of another vector (x); the step stays unverified, as a derivative by the whole matrix."""
    text = (r"$$p(a) = \frac{e^{w_a^Tx}}{\Sigma_{d} e^{w_d^Tx}}\tag{1}$$" "\n\n"
            r"$$\frac{\partial p(a)}{\partial w} = 0\tag{2}$$")
    assert statuses(text)["2"] == "unverified"


def test_the_capital_sigma_before_a_term_with_its_index_is_a_sum():
    assert normalize_latex(r"\frac{1}{\Sigma_{d} e^{z_d}}")[0] == normalize_latex(r"\frac{1}{\sum_{d} e^{z_d}}")[0]
    assert normalize_latex(r"\Sigma_{i=1}^k \log x_i")[0] == r"\sum_{i=1}^k \log x_i"
    assert normalize_latex(r"\Sigma_k^{-1}(x-\mu_k)")[0] == r"\Sigma_k^{-1}(x-\mu_k)"  # a covariance stays


def test_the_natural_log_written_with_its_base_and_parameters_after_a_semicolon():
    r"""File 149: ``\log_e \lambda``, ``f(x;\lambda)``, ``l(\lambda;x_1,…..,x_N)``; file 34: ``p(x \mid \mu,
    \sigma)``. A probability ``P(D|w)`` keeps its bar (a conditional probability, not a function of two numbers)."""
    assert normalize_latex(r"\log_e(x_j!) + \log_{e} \lambda")[0] == r"\log (x_j!) + \log \lambda"
    assert normalize_latex(r"f(x;\lambda)")[0] == r"f(x, \lambda)"
    assert normalize_latex(r"p(x \mid \mu, \sigma)")[0] == r"p(x, \mu, \sigma)"
    assert normalize_latex(r"l(\lambda;x_1,…..,x_N)")[0] == r"l(\lambda, x_1, \dots ,x_N)"
    assert normalize_latex(r"P(D|w)")[0] == r"P(D|w)"
    got = statuses(r"$$f(x;\lambda) = \lambda x^2 \tag{1}$$" "\n\n"
                   r"$$\frac{\partial f(x;\lambda)}{\partial \lambda} = x^2 \tag{2}$$" "\n\n"
                   r"$$\frac{\partial \log_e f(x;\lambda)}{\partial \lambda} = \frac{1}{\lambda} + x \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_density_of_data_and_parameters_is_not_refuted_for_every_function():
    r"""File 34: ``\log p(x \mid \mu, \sigma) = ...`` where the heading says Normal and the document never writes
    p: p is the density the author means, so no activation is put in its place to refute the step."""
    got = statuses(r"$$\frac{\partial \log{p(x \mid \mu, \sigma)}}{\partial x} = -\frac{1}{\sigma^2} (x-\mu) \tag{2}$$")
    assert got == {"2": "unverified"}


def test_for_all_after_the_formula_states_its_case():
    r"""File 118: ``\hat y_{w} v_{c}, \quad \text {for all}\; w \neq o`` (a space before the brace): the case w != o,
    never a step of its own."""
    math, tail = normalize_latex(r"a_w = b_w, \quad \text {for all}\; w \neq o")
    assert math == "a_w = b_w" and "w \\neq o" in tail
    doc = read_document(r"$$a_w = b_w, \quad \text {for all}\; w \neq o \tag{1}$$")
    assert doc.equations[0].conditions == ("w != o",)


def test_an_upright_d_is_the_differential():
    r"""File 149: ``\frac{\text{d}l}{\text{d}\lambda}``; the d in ``\text{d}`` was dropped, and the derivative read
    as the quotient l / λ."""
    assert normalize_latex(r"\frac{\text{d}l}{\text{d}\lambda}")[0] == normalize_latex(r"\frac{d l}{d \lambda}")[0]
    assert normalize_latex(r"\frac{\mathrm{d} y}{\mathrm{d} x}")[0] == normalize_latex(r"\frac{d  y}{d  x}")[0]
    got = statuses(r"$$l(\lambda) = \sum_{j=1}^N\bigg[-λ-\log_e(x_j)+x_j\log_eλ\bigg].\tag{1}$$" "\n\n"
                   r"$$\frac{\text{d}l}{\text{d}\lambda} = \sum_{j=1}^N (-1 + \frac{x_j}{\lambda}) \tag{2}$$" "\n\n"
                   r"$$\frac{\text{d}l}{\text{d}\lambda} = \sum_{j=1}^N (1 - \frac{x_j}{\lambda}) \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_the_letter_solved_for_after_its_derivative_is_set_to_zero():
    r"""File 149: "The equation $$\frac{dl}{d\lambda} = \sum_{j=1}^N (-1 + \frac{x_j}{\lambda}) = 0$$ has the only
    solution $$\lambda = \sum_j \frac{x_j}{N}$$": the plain letter, like an estimate's hat, claims the solution;
    proved when λ minus the right side is the condition times a factor (the sums split term by term), never
    refuted (a condition may have other roots)."""
    head = (r"$$l(\lambda) = \sum_{j=1}^N (-\lambda + x_j \log \lambda) \tag{1}$$" "\n\n"
            r"$$\frac{dl}{d\lambda} = \sum_{j=1}^N (-1 + \frac{x_j}{\lambda}) = 0 \tag{2}$$" "\n\n")
    assert statuses(head + r"$$\lambda = \sum_j \frac{x_j}{N} \tag{3}$$")["3"] == "proved"
    assert statuses(head + r"$$\lambda = \sum_j \frac{x_j}{N + 1} \tag{3}$$")["3"] != "refuted"


def test_a_pi_with_an_index_set_below_is_a_product():
    r"""File 149: ``\pi^{N}_{j=1} f(x_j;λ)`` for the likelihood: π with ``_{j=1}`` below is the product sign (the
    constant π, or a class prior ``\pi_k``, has no index set equal to a number)."""
    assert normalize_latex(r"\pi^{N}_{j=1} x_j")[0] == r"\prod^{N}_{j=1} x_j"
    assert normalize_latex(r"\Pi_{i=1}^n x_i")[0] == r"\prod_{i=1}^n x_i"
    assert normalize_latex(r"2\pi + \pi_k")[0] == r"2\pi + \pi_k"
