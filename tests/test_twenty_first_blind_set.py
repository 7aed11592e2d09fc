r"""What a twenty-first blind set of real derivations showed (files 213-224 of the corpus: Spark's multinomial logistic
gradient comment, a softmax homework report, a softmax cross-entropy question by cases, maximum-likelihood questions
(exponential, Gaussian, Bernoulli, shifted exponential), binary cross-entropy with logits, a discrete KL gradient, an
L1 penalty; written by helpers who never ran the checker). First run: 11 of 34 correct equations proved, 4 of 18
mistakes found, no false proof and **4 false alarms**, all mended: an item number before a display (``4: \frac{...}``)
was a factor 4, and a letter defined inside a display that was not read (``\frac{1}{p_k} \quad and \quad p_k = ...``)
was given any value by a counterexample.
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.parse.latex import normalize_latex


def test_an_item_number_before_a_display_is_no_factor():
    r"""File 214 (4): ``$$4: \frac{\delta}{\delta w_{kj}} ln(\sum_{k'} e^{z_{k'}}) = ...$$`` was refuted with the
    left side four times too big (the 4 read as a factor)."""
    assert normalize_latex(r"4: \log a = b")[0] == r"\log a = b"
    assert normalize_latex(r"a : b = c")[0].startswith("a")
    got = statuses(r"$$4: \frac{d}{dx} \log(1 + e^{x}) = \frac{e^{x}}{1 + e^{x}} \tag{1}$$" "\n\n"
                   r"$$2: \frac{d}{dx} x^2 = x \tag{2}$$")
    assert got == {"1": "proved", "2": "refuted"}


def test_a_letter_defined_where_the_checker_cannot_read_is_never_any_number():
    r"""File 215 (3)-(5): ``$$-\sum_{n}\sum_{k}y_{nk}\frac{1}{p_{k}}\quad and\quad p_{k}=\frac{e^{w_{k}^Tx_{n}}}{\sum_{i}
    e^{w_{i}^Tx_{n}}}$$`` is not read (the bare word "and"), so p is never defined; the next displays, true of the
    softmax p, were refuted with p = 2. A letter first written as the left side of an ``=`` that was not read as its
    definition is not free: the steps stay unverified. A letter never written so is still any number."""
    document = (r"$$-\sum_{k}y_{k}\frac{1}{p_{k}}\quad and\quad p_{k}=\frac{e^{z_{k}}}{\sum_{i}e^{z_{i}}} \tag{1}$$"
                "\n\n" r"$$\frac{e^{z_j} \sum_{i}e^{z_i} - e^{z_j} e^{z_j}}{(\sum_{i}e^{z_i})^2} = p_{j}(1-p_{j}) \tag{2}$$")
    got = verdicts(document)
    assert got["2"].status == "unverified" and "not read as its definition" in got["2"].steps[0].message
    got = statuses(r"$$\frac{e^{z_j} \sum_{i}e^{z_i} - e^{z_j} e^{z_j}}{(\sum_{i}e^{z_i})^2} = q_{j}(1-q_{j}) \tag{1}$$")
    assert got == {"1": "refuted"}


def test_the_sign_function_is_known():
    r"""File 223 (6), (7): ``\mathit{sign}(w_i)`` was "written like a function, but the document does not define"
    it; the sign of a number, by its usual names (``\text{sign}``, ``\operatorname{sgn}``, ``sign``)."""
    got = statuses(r"$$L = \frac{1}{2}(y - w)^2 + \lambda |w| \tag{1}$$" "\n\n"
                   r"$$\frac{\partial L}{\partial w} = -(y - w) + \lambda\, \text{sign}(w) \tag{2}$$" "\n\n"
                   r"$$\frac{\partial L}{\partial w} = -(y - w) - \lambda\, \operatorname{sgn}(w) \tag{3}$$" "\n\n"
                   r"$$\frac{d}{dw} |w| = sign(w) \tag{4}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted", "4": "proved"}
