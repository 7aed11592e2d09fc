r"""What the twenty-seventh blind set of real derivations showed (files 280-290: Chinese and Japanese notes on softmax
cross-entropy, Poisson regression and statsmodels' docstrings, logistic regression MLE notes, layer and batch
normalization backward passes, an RNN's gradient; written by helpers who never ran the checker). First run: 5 of 44
correct equations proved, 1 of 13 mistakes found, **1 false proof** (290 (1): a derivative taken with the batch mean
constant, where the text says it is a function of x_i; 290 was then left out of the corpus, a second transcription
of 199's source that labels the step the other way) and **3 false alarms** (281 (2), (3): p_i named at the end of
an inline chain; 287 (7): a sum from 0 to N under 1/N), mended.
"""

from __future__ import annotations

from checked import verdicts


def test_a_letter_the_text_says_depends_on_the_variable_is_not_a_constant():
    r"""File 290 (1): "since $\mu$ and $\sigma^2$ are functions of $x_i$", the website's ``\frac{\partial}{\partial
    x_i} \frac{x_i - \mu}{\sqrt{\sigma^2+\epsilon}} = \frac{1}{\sqrt{\sigma^2+\epsilon}}`` was proved with μ and σ
    constant. The text says they are not: unverified. Without that sentence μ is a constant and the step holds."""
    document = ("Since $\\mu$ and $\\sigma^2$ are functions of $x_i$, I expected otherwise:\n\n"
                r"$$\frac{\partial}{\partial x_i} \frac{x_i - \mu}{\sqrt{\sigma^2+\epsilon}}"
                r" = \frac{1}{\sqrt{\sigma^2+\epsilon}} \tag{1}$$")
    got = verdicts(document)
    assert got["1"].status == "unverified" and "function of x" in got["1"].steps[0].message
    assert verdicts(document.replace("Since $\\mu$ and $\\sigma^2$ are functions of $x_i$, I expected otherwise:",
                                     "Then:"))["1"].status == "proved"


def test_a_name_given_at_the_end_of_an_inline_chain():
    r"""File 281: "设 $\hat{y}_i = \frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}} = p_i$ 为类i 的概率" (let ... = p_i be the
    probability of class i): p_i was left undefined, and ``-\frac{e^{z_i}}{\sum_c e^{z_c}} \frac{e^{z_j}}{\sum_c
    e^{z_c}} = - p_i p_j`` was refuted with p of our choosing. The name at the end of the chain is defined too."""
    document = ("设 $\\hat{y}_i = \\frac{e^{z_i}}{\\sum_{c=1}^C e^{z_c}} = p_i$ 为类i 的概率，则\n\n"
                r"$$-\frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}} \frac{e^{z_j}}{\sum_{c=1}^C e^{z_c}} = - p_i p_j \tag{1}$$"
                "\n\n" r"$$\frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}} = p_j \tag{2}$$")
    got = verdicts(document)
    assert [got[k].status for k in "12"] == ["proved", "refuted"]


def test_softmax_in_a_calligraphic_face():
    r"""File 281 (1): ``\mathcal{Softmax}(z_i) = \frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}}`` is the softmax."""
    got = verdicts(r"$$\mathcal{Softmax}(z_i) = \frac{e^{z_i}}{\sum_{c=1}^C e^{z_c}}\tag{1}$$" "\n\n"
                   r"$$\mathcal{Softmax}(z_i) = \frac{e^{2 z_i}}{\sum_{c=1}^C e^{z_c}}\tag{2}$$")
    assert [got[k].status for k in "12"] == ["proved", "refuted"]


def test_a_sum_from_zero_to_n_under_one_over_n():
    r"""File 287 (7): the mean ``\mu = \frac{1}{N}\sum_{i = 0}^{N} X_i`` (N + 1 terms, divided by N) and
    ``\frac{\partial \sigma}{\partial X_j} = \frac{1}{N} X'_j`` was refuted on the extra term. Read with the N
    terms the author divides by, the step is not refuted: unverified. A step false either way stays refuted."""
    document = (r"$$\mu = \frac{1}{N}\sum \limits_{i = 0}^{N}X_i \tag{1}$$" "\n\n"
                r"$$\frac{\partial}{\partial X_j} \sum_{i=0}^{N} (X_i - \mu) = 0 \tag{2}$$" "\n\n"
                r"$$\frac{\partial}{\partial X_j} \sum_{i=0}^{N} (X_i - \mu) = 1 \tag{3}$$")
    got = verdicts(document)
    assert got["2"].status == "unverified" and "N + 1 terms" in got["2"].steps[0].message
    assert got["3"].status == "refuted"
    got = verdicts(document.replace(r"\frac{1}{N}\sum", r"\frac{1}{M}\sum"))  # no division by the N of the range
    assert "N + 1 terms" not in (got["2"].steps[0].message or "")
