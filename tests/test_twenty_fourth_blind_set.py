r"""What the twenty-fourth blind set of real derivations showed (files 247-258, no 254: the UFLDL softmax regression
wiki's revisions, softmax cross-entropy questions, course notes on logistic regression, a logistic gradient
notebook, a CS229 Newton's method notebook, a statwiki Hessian, the StatProofBook's Poisson MLE, exponential and
Poisson MLE attempts, a least-squares question; written by helpers who never ran the checker). First run (commit
6463ca3): 7 of 28 correct equations proved, 1 of 14 mistakes found, no false proof and **1 false alarm**, mended.
"""

from __future__ import annotations

from checked import verdicts


def test_a_sign_claim_on_a_mean_of_data_whose_sign_is_not_stated():
    r"""File 255 (9) step 4: ``-\frac{n}{\bar{y}} < 0`` after "$\bar{y}$ is the sample mean" of Poisson counts was
    refuted with y_1 = -1. The data under the mean have no stated sign: a sign claim that needs one is unverified, as
    it already was for the data written bare; with the sign stated it is proved."""
    document = ("where $\\bar{y}$ is the sample mean\n\n"
                r"$$\bar{y} = \frac{1}{n} \sum_{i=1}^n y_i \tag{1}$$" "\n\n"
                r"$$-\frac{1}{\bar{y}^2} \sum_{i=1}^n y_i = -\frac{n}{\bar{y}} < 0 \tag{2}$$")
    got = verdicts(document)
    assert [step.status for step in got["2"].steps] == ["proved", "unverified"]
    assert "sign" in got["2"].steps[1].message
