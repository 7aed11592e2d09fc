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


_EXPONENTIAL = (r"Let $X_1, \dots, X_n \sim \text{Exp}(\lambda)$." "\n\n"
                r"$$L(\lambda) = \prod_{i=1}^{n} \lambda e^{-\lambda x_i} \tag{1}$$" "\n\n"
                r"$$\log L(\lambda) = n \log \lambda - \lambda \sum_{i=1}^n x_i \tag{2}$$" "\n\n"
                r"$$\ell(\lambda) = n \log \lambda - \lambda \sum_{i=1}^n x_i \tag{3}$$" "\n\n"
                r"$$\frac{d \ell}{d \lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i \tag{4}$$" "\n\n"
                r"$$\frac{d \ell}{d \lambda} = \frac{n}{\lambda} - \lambda\sum_{i=1}^n x_i \tag{5}$$")


def test_a_likelihood_written_as_a_product_over_the_sample():
    r"""Files 217-220 (maximum likelihood): ``\prod_{i=1}^n`` was "a product over a range that is not written in
    numbers is not read yet". A product runs between numbers, sizes or indices, expanded at each size like a sum;
    the rate of an exponential (``\text{Exp}(\lambda)``) is positive, so the log of the likelihood is proved, and
    ``\log L`` is read with the document's L (never the profile's letters)."""
    assert statuses(r"$$\prod_{i=1}^n q^{x_i} = q^{\sum_{i=1}^n x_i} \tag{1}$$" "\n\n"
                    r"$$\prod_{i=1}^n 2 = 2n \tag{2}$$") == {"1": "proved", "2": "refuted"}
    got = statuses(_EXPONENTIAL)
    assert got == {"1": "definition", "2": "proved", "3": "definition", "4": "proved", "5": "refuted"}
    got = statuses(_EXPONENTIAL.replace(r"Let $X_1, \dots, X_n \sim \text{Exp}(\lambda)$.", "Data $x_i$."))
    assert got["2"] == "unverified"  # lambda of either sign: log(lambda^n) is not n log(lambda)


def test_the_spread_of_a_normal_is_positive():
    r"""File 218 (2): ``\prod_i (2\pi\sigma^2)^{-1/2} e^{...} = (2\pi)^{-n/2} \sigma^{-n} e^{...}`` holds for sigma > 0,
    which ``X_i \sim N(\mu, \sigma^2)`` says; the parameters after a bar or a semicolon are arguments too
    (``\mathcal L(\sigma \mid \boldsymbol x, \mu)``)."""
    document = (r"I have $X_1 ... X_n \sim N(\mu, \sigma^2)$." "\n\n"
                r"$$\mathcal L(\sigma \mid \boldsymbol x, \mu) = \prod_{i=1}^n (2\pi \sigma^2)^{-1/2} "
                r"e^{-(x_i - \mu)^2/(2\sigma^2)} = (2\pi)^{-n/2} \sigma^{-n} e^{-\sum (x_i - \mu)^2/(2\sigma^2)} \tag{1}$$")
    assert statuses(document) == {"1": "proved"}
