r"""What the twenty-third blind set of real derivations showed (files 236-246: softmax cross-entropy questions, an Anki
card, a 1-D logistic regression exercise, ridge with an intercept, a logistic notebook's convexity, Minka's MAP
logistic Hessian, a Bernoulli MLE, two VAE KL divergences; written by helpers who never ran the checker). First run:
1 of 27 correct equations proved, 1 of 12 mistakes found, no false proof and **1 false alarm** (239 (3) step 2, a
restated naming), mended.
"""

from __future__ import annotations

from checked import verdicts


def test_a_restated_naming_holds_as_the_naming_does():
    r"""Blind set 23, file 239 (3): ``Loss = -ln(p_3) = -ln(\frac{e^{f_3}}{e^{f_1} + e^{f_2} + e^{f_3}})`` names p_3
    (f first written there, never defined); the same equation written again in a later chain was refuted with p_3
    of our choosing. It holds as the naming does."""
    document = (r"$$L = -\ln(p_3) = -\ln(\frac{e^{f_3}}{e^{f_1} + e^{f_2} + e^{f_3}}) \tag{1}$$" "\n\n"
                r"$$L = -\ln(p_3) = -\ln(\frac{e^{f_3}}{e^{f_1} + e^{f_2} + e^{f_3}}) = \ln(e^{f_1} + e^{f_2} + e^{f_3})"
                r" - f_3 \tag{2}$$")
    got = verdicts(document)
    assert [step.status for step in got["2"].steps] == ["proved", "proved", "proved"]


def test_the_derivatives_of_a_function_the_document_defines():
    r"""Blind set 23, file 240: ``\ell'(\beta)`` and ``\ell''(\beta)`` after ``\ell(\beta) = \sum_{i=1}^{n} (Y_ i X_ i
    \beta - \ln(1 + \exp(X_ i \beta)))`` (a space after each underscore) were read as new quantities ℓ' and ℓ''.
    They are ℓ's derivatives: the first is proved, the second, written twice too big, refuted."""
    document = (r"$$\ell (\beta ) = \sum _{i=1}^{n} \left( Y_ i X_ i \beta - \ln (1 + \exp (X_ i \beta )) \right)\tag{1}$$"
                "\n\n" r"$$\ell'(\beta) = \sum_{i=1}^{n} \left(Y_i X_i - \frac{X_i e^{\beta X_i}}{1 + e^{\beta X_i}}\right)"
                r"\tag{2}$$" "\n\n"
                r"$$\ell''(\beta) = -\sum_{i=1}^{n} \frac{2 X_i^2 e^{\beta X_i}}{(1 + e^{\beta X_i})^2}\tag{3}$$" "\n\n"
                r"$$\ell''(\beta) = -\sum_{i=1}^{n} \frac{X_i^2 e^{\beta X_i}}{(1 + e^{\beta X_i})^2}\tag{4}$$")
    got = verdicts(document)
    assert [got[k].status for k in "234"] == ["proved", "refuted", "proved"]


def test_sigma_with_an_index_is_a_spread_in_a_document_about_gaussians():
    r"""File 245: ``\log(\frac{\sigma_2}{\sigma_1}) + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma^2_2} - \frac{1}{2}``
    (the KL divergence of two Gaussians) was "\sigma_2 is written without an argument, and the document uses \sigma
    as a function". Where the document speaks of Gaussians and never applies σ, σ_1 is a number; the same display in
    a softmax document keeps σ the softmax."""
    gaussian = ("The KL divergence of two Gaussians:\n\n"
                r"$$K = \log(\frac{\sigma_2}{\sigma_1}) + \frac{\sigma_1^2}{2\sigma^2_2} \tag{1}$$" "\n\n"
                r"$$K = \frac{\sigma_1^2}{2\sigma^2_2} + \log(\frac{\sigma_2}{\sigma_1}) \tag{2}$$" "\n\n"
                r"$$K = \frac{\sigma_1^2}{\sigma^2_2} + \log(\frac{\sigma_2}{\sigma_1}) \tag{3}$$")
    got = verdicts(gaussian)
    assert [got[k].status for k in "23"] == ["proved", "refuted"]
    got = verdicts(gaussian.replace("The KL divergence of two Gaussians:", "Two numbers:"))
    assert got["2"].status == "unverified"


def test_a_value_the_text_assumes_is_never_broken_by_a_counterexample():
    r"""File 245 (2), (3): "If we assume our prior is a unit gaussian i.e. $\mu_2=0$ and $\sigma_2=1$, this
    simplifies down to" a display true only at those values; a counterexample with \mu_2 = 1 is no refutation."""
    document = (r"$$K = (a - b)^2 + c \tag{1}$$" "\n\n" r"If we assume i.e. $b=0$ and $c=1$, this simplifies to"
                "\n\n" r"$$K = a^2 + 1 \tag{2}$$" "\n\n" r"$$K = a^2 + 2 \tag{3}$$")
    got = verdicts(document)
    assert got["2"].status == "unverified" and "assumes a value" in got["2"].steps[0].message
    assert got["3"].status == "unverified"
    got = verdicts(document.replace("If we assume i.e. $b=0$ and $c=1$, this simplifies to", "Then"))
    assert [got[k].status for k in "23"] == ["refuted", "refuted"]
