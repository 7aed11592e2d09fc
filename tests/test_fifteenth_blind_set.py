r"""What a fifteenth blind set of real derivations showed (files 151-158 of the corpus: backpropagation in small
networks written with unit names, a saturated sigmoid, a Gaussian likelihood sheet, the KL divergence of Gaussians
and to the uniform distribution; written by helpers who never ran the checker). First run: 1 of 20 correct
equations proved, 0 of 8 mistakes found, 1 false proof and 1 false alarm. The false proof: ``a_{o1}`` and
``a_{o2}`` (the two output units) were read as a vector a with the indices (o, 1) and (o, 2), and ``E_T`` (the
total error) as the component T of E, so a step with a wrong unit's name was proved "for any dependence". The
false alarm: ``a^l = \sigma(z^l)`` read with l as a power. Read since: unit names, layer letters above, sums over
the outcomes of distributions, ``D_{KL}(p \parallel q)``.
"""

from __future__ import annotations

from checked import statuses
from symsoft.parse.latex import normalize_latex
from symsoft.read.document import _layer_superscripts

NETWORK = "\n\n".join([
    r"$$h_1=w_1*i_1+w_2*i_2$$", r"$$h_2=w_3*i_1+w_4*i_2$$",
    r"$$a_{h1}= \operatorname{sigmoid}(h_1)$$", r"$$a_{h2}= \operatorname{sigmoid}(h_2)$$",
    r"$$o_1= w_5*a_{h1}+w_6*a_{h2}$$", r"$$o_2= w_7*a_{h1}+w_8*a_{h2}$$",
    r"$$a_{o1}= \operatorname{sigmoid}(o_1)$$", r"$$a_{o2}= \operatorname{sigmoid}(o_2)$$",
    r"$$E_1=1/2*(t_1-a_{o1})^2$$", r"$$E_2=1/2*(t_2-a_{o2})^2$$", r"$$E_T= E_1+E_2$$"]) + "\n\n"


def test_units_named_with_a_letter_and_a_number_are_quantities_of_their_own():
    r"""File 152: ``a_{o1}``, ``a_{h2}`` name units of the network (o and h are never an index alone), and ``E_T``
    the total error: one quantity each, defined by its display."""
    got = statuses(NETWORK + r"$$dE_T/da_{o1} = dE_1/da_{o1} + dE_2/da_{o2} \tag{1}$$" "\n\n"
                   r"$$dE_T/da_{o1} = a_{o1}-t_1 \tag{2}$$" "\n\n"
                   r"$$\frac{d o_1}{d w_5} = a_{h1} \tag{3}$$" "\n\n"
                   r"$$\frac{d E_1}{d a_{h1}} = (a_{o1}-t_1)*a_{o1}*(1-a_{o1})*w_5 \tag{4}$$")
    assert {k: v for k, v in got.items() if k} == {"1": "refuted", "2": "proved", "3": "proved", "4": "proved"}


def test_an_index_with_a_number_stays_two_indices():
    r"""``x_{i1}`` where the document sums over i is the first feature of sample i, never a unit's name."""
    got = statuses(r"$$m = \frac{1}{n} \sum_{i=1}^n x_{i1} \tag{1}$$" "\n\n"
                   r"$$m = \frac{1}{n} \sum_{i=1}^n x_{i2} \tag{2}$$")
    assert got["2"] != "proved"


def test_a_layer_letter_above_a_letter_differentiated_is_no_power():
    r"""File 153: ``\frac{\partial C}{\partial a^l}`` and ``a^l = \sigma(z^l)``: l names the layer (the prose says
    so); ``a^l = \sigma(z^l)`` was refuted with l a power (a = 2, l = 0)."""
    assert _layer_superscripts(r"$$\frac{\partial C}{\partial a^l} = 2(a^l - y) a^{l-1}$$") == \
        r"$$\frac{\partial C}{\partial a^{(l)}} = 2(a^{(l)} - y) a^{(l-1)}$$"
    text = (r"$$C(a) = (a^l-y)^2,\tag{1}$$ $$a^l(z^l) = \sigma(z^l)\tag{2}$$" "\n\n"
            r"$$\frac{\partial C}{\partial w^l} = \frac{\partial C}{\partial a^l} \cdot \frac{\partial a^l}{\partial z^l}"
            r"\tag{3}$$" "\n\n" r"$$a^l=\sigma(z^l)=\frac{1}{1+\exp(-z^l)}\tag{4}$$")
    assert statuses(text)["4"] != "refuted"


def test_a_sum_over_outcomes_reads_the_distributions_as_vectors():
    r"""File 157: ``\sum_x p(x) \log u(x)``: p and u are vectors over the outcomes x. Never defined, they may be
    distributions (the prose says so) or any function: no step is refuted on their values, and no proof uses a sum
    to one."""
    assert normalize_latex(r"-\sum_x p(x) \log q(x)")[0] == normalize_latex(r"-\sum_x p_{x} \log q_{x}")[0]
    assert normalize_latex(r"\sum_{x \in X} p(x)")[0] == normalize_latex(r"\sum_{x} p_{x}")[0]
    assert "p(x)" in normalize_latex(r"\sum_x x p(x)")[0]  # x is also a number there
    text = (r"$$H(p) = -\sum_x p(x) \log p(x)\tag{1}$$" "\n\n"
            r"$$D(p \parallel u) = \sum_x p(x) \log p(x) - \sum_x p(x) \log u(x)\tag{2}$$" "\n\n"
            r"$$= -H(p) - \sum_x p(x) \log u(x)\tag{3}$$" "\n\n"
            r"$$= -H(p) - \sum_x p(x) \log \frac{1}{n}\tag{4}$$" "\n\n" r"$$= -H(p) + \log n\tag{5}$$")
    got = statuses(text)
    assert got["3"] == "proved" and got["4"] != "refuted" and got["5"] != "refuted"


def test_a_letter_defined_in_a_way_not_read_keeps_the_document_meaning():
    r"""File 149 without latex2sympy2: ``l(\lambda) = \sum_{j=1}^N [... \log(x_j!) ...]`` is not read by the
    grammar; l is then the document's l, never the profile's loss (whose derivative by λ is 0: refuted)."""
    text = (r"$$l(\lambda) = \sum_{j=1}^N [-\lambda - \log(x_j!!) + x_j \log \lambda] \tag{1}$$" "\n\n"
            r"$$\frac{dl}{d\lambda} = \sum_{j=1}^N (-1 + \frac{x_j}{\lambda}) \tag{2}$$")
    assert statuses(text)["2"] != "refuted"
