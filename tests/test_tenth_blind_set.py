r"""What a tenth blind set of real derivations showed (files 116-121 of the corpus: word2vec's gradients, the batch
normalisation backward pass, probit and Poisson regression; written by helpers who never ran the checker): no false
alarm and no false proof on the first run, 0 of 17 correct equations proved and 0 of 9 mistakes found. Read since:
a derivative written with a delta above and a partial below.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex


def test_a_delta_above_a_partial_below_is_a_derivative():
    r"""``\frac{\delta \ell(\beta)}{\partial \beta_j}`` (file 121): the author's delta is a partial, as the one below
    says; a Kronecker delta (two indices) above a partial stays one."""
    assert normalize_latex(r"\frac{\delta \ell}{\partial \beta_j}")[0] == r"\frac{\partial \ell}{\partial \beta_j}"
    assert normalize_latex(r"\frac{\delta_{ij}}{\partial x}")[0] == r"\frac{\delta_{ij}}{\partial x}"
    got = statuses(r"$$\ell = \sum_{i=1}^{n} y_i b x_i - e^{b x_i} \tag{1}$$" "\n\n"
                   r"$$\frac{\delta \ell}{\partial b} = \sum_{i=1}^{n} x_i (y_i - e^{b x_i}) \tag{2}$$" "\n\n"
                   r"$$\frac{\delta^2 \ell}{\partial b^2} = \sum_{i=1}^{n} x_i^2 e^{b x_i} \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}
