r"""What an eighteenth blind set of real derivations showed (files 178-189 of the corpus: a softmax Jacobian with its
cases after a colon, a softmax on a linear layer, L2 logistic Hessians, Laplace KL divergences written with an
expectation, tanh and sigmoid derivatives; written by helpers who never ran the checker). First run: 10 of 27 correct
equations proved, 0 of 6 mistakes found, no false proof and **five false alarms**: a row break with extra space
(``\\[1em]``) read as a factor [1em] of the next row; a case written after a colon (``h_i(1-h_j) \;: i = j``) read as
a ratio; an expectation ``E_p(a + b)`` read as the product of a letter E_p with the bracket (so ``E_p(c - X) = c -
E_p X`` was "false"). Also read since: a function's argument in braces (``\exp\{z_i\}/\sum_j \exp\{z_j\}`` was the
exponential of the whole quotient), and a proof by the signs of what a log, |.|, max or min holds.
"""

from __future__ import annotations

import sympy as sp

from checked import statuses, verdicts
from symsoft.decide.algebra import sign_cases
from symsoft.parse.latex import EXPECTATION, _arguments_in_braces, _expectations, parse_equation
from symsoft.read.document import read_document

SIGMOID = r"$$\sigma(x) = \frac{1}{1 + e^{-x}} \tag{1}$$" "\n\n"


def test_a_row_break_with_extra_space_is_a_row_break():
    r"""File 189 (4): ``\\[1em]`` between the rows of an align; the space was read into the next row as [1em] = 1em,
    a factor of its left side, and a true derivative was refuted."""
    latex = read_document("$$\\begin{align*} a &= b \\\\[1em]\n&= c \\\\* &= d \\\\ [2pt] &= e \\end{align*}$$"
                          ).equations[0].latex
    assert "[" not in latex and "\\\\*" not in latex and latex.count("\\\\") == 3
    got = statuses(SIGMOID + "$$\\begin{align*} \\frac{d}{dx}\\sigma(x) &= \\frac{d}{dx}\\left((1 + e^{-x})^{-1}\\right)"
                   " \\\\[1em]\n&= \\frac{e^{-x}}{(1 + e^{-x})^2} \\\\[1em]\n&= \\sigma(x)(1 - \\sigma(x)) + 1"
                   " \\end{align*} \\tag{2}$$")
    assert got == {"1": "definition", "2": "refuted"}
    step = verdicts(SIGMOID + "$$\\begin{align*} \\frac{d}{dx}\\sigma(x) &= \\frac{d}{dx}\\left((1 + e^{-x})^{-1}"
                    "\\right) \\\\[1em]\n&= \\frac{e^{-x}}{(1 + e^{-x})^2} \\end{align*} \\tag{2}$$")["2"]
    assert [s.status for s in step.steps] == ["proved", "proved"]


def test_a_case_after_a_colon_is_the_display_s_condition():
    r"""File 178 (3), (4): ``{\partial h_i \over \partial z_j}= h_i(1-h_j)\;\;\;: i = j``: the case i = j, never the
    ratio h_i(1 - h_j) : i; and the wrong case is still refuted."""
    softmax = r"$$h_j = \frac{e^{z_j}}{\sum_i e^{z_i}} \tag{1}$$" "\n\n"
    right = statuses(softmax + r"$${\partial h_i \over \partial z_j}= h_i(1-h_j)\;\;\;\;: i = j \tag{2}$$" "\n\n"
                     r"$${\partial h_i \over \partial z_j}= -h_ih_j\;\;\;\;: i \ne j \tag{3}$$")
    assert right == {"1": "definition", "2": "proved", "3": "proved"}
    wrong = statuses(softmax + r"$${\partial h_i \over \partial z_j}= -h_ih_j\;\;\;\;: i = j \tag{2}$$")
    assert wrong == {"1": "definition", "2": "refuted"}


def test_an_expectation_is_never_a_product_and_is_not_decided():
    r"""Files 186, 187: ``E_p(\log\frac{b_2}{b_1} - X) = \log\frac{b_2}{b_1} - E_p X`` is linearity of the
    expectation; read as a letter E_p times the bracket it was refuted. ``E_D(w)``, an error of the weights, stays."""
    assert _expectations(r"E_{p}[\log(p(X))] + E_p|x| + \mathbb{E}_{x \sim q}\left[x\right] + E_D(w)") == \
        EXPECTATION + r"(\log(p(X))) + " + EXPECTATION + "(|x|) + " + EXPECTATION + r"(x) + E_D(w)"
    text = (r"$$D(P||Q) = E_p\left( \log \frac{b_2}{b_1} - \frac{|x-\mu_1|}{b_1}\right) = \log \frac{b_2}{b_1}"
            r" - \frac{1}{b_1}E_p|x-\mu_1| \tag{1}$$")
    got = verdicts(text)["1"]
    assert got.status == "unverified"
    assert all(s.status != "refuted" for s in got.steps)
    assert any("expectation" in (s.message or "") for s in got.steps)


def test_a_function_s_argument_in_braces_ends_at_the_brace():
    r"""File 111 (1): ``q_i=exp\{z_i\}/\sum_j exp\{z_j\}`` is a quotient of exponentials (it was e x p z_i times a
    quotient, or with a backslash the exponential of the whole quotient); ``\log{q} b`` is the product log(q) b."""
    assert _arguments_in_braces(r"\log{q_i} b + exp\{z_i\}") == r"\log(q_i) b + \exp(z_i)"
    sides = parse_equation(r"q = \exp\{z_1\}/(\exp\{z_1\} + \exp\{z_2\})").sides
    z1, z2 = (sp.Symbol(f"z_{k}") for k in (1, 2))
    value = sides[1].expr.subs({s: (z1 if "1" in str(n.text) else z2) for s, n in sides[1].placeholders.items()})
    assert sp.simplify(value - sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))) == 0


def test_signs_of_what_a_log_or_an_absolute_value_holds_are_cases():
    r"""``|x| = \max(x, -x)``: each sign of x is a case, each proved. A log whose argument is negative in a case on
    both sides leaves that case out (neither side is a number there); on one side only, nothing is proved:
    ``\log(x^2) = 2\log(x)`` holds for x > 0 only, and file 157 (2), ``\sum_x u(x) \log\frac{u(x)}{p(x)} = \sum_x
    u(x)\log u(x) - \sum_x u(x)\log p(x)``, is left unverified (u and p of one sign, not said positive).
    ``e^{\log(x^2)/2} = x`` is false for x < 0: refuted there, never proved."""
    x, y = sp.symbols("x y", real=True)
    assert len(sign_cases(sp.log(x) + sp.Abs(y), sp.log(x) + sp.Max(y, -y))) == 2
    assert sign_cases(sp.log(x ** 2), 2 * sp.log(x)) == []
    proved = statuses(r"$$|x| = \max(x, -x) \tag{1}$$" "\n\n" r"$$\log(y) + |x| = \log(y) + \max(-x, x) \tag{2}$$"
                      "\n\n" r"$$\log(x^2) = 2\log(x) \tag{3}$$")
    assert proved == {"1": "proved", "2": "proved", "3": "unverified"}
    assert statuses(r"$$e^{\frac{1}{2}\log(x^2)} = x \tag{1}$$") == {"1": "refuted"}  # at x < 0


def test_spacing_struts_and_words_between_rows_are_layout():
    r"""``\hspace{1cm}``, ``\kern2pt``, ``\phantom{-}``, ``\strut``, ``\hfill``, ``\middle``, ``\intertext{so}`` between
    the rows of an align, ``\underset{...}{=}`` and an ``alignat`` with its column count: layout, never a factor or a
    letter (each was "cannot read the LaTeX"); a wrong step among them is still refuted."""
    sigmoid = r"$$\sigma(x) = \frac{1}{1+e^{-x}} \tag{0}$$" "\n\n"
    written = [r"\sigma(x)\hspace{1cm}(1 - \sigma(x))", r"\phantom{-}\sigma(x)\kern2pt(1 - \sigma(x))\hfill",
               r"\sigma(x)\mathstrut\enspace(1 - \sigma(x))"]
    for right in written:
        assert statuses(sigmoid + rf"$$\sigma'(x) \underset{{chain}}{{=}} {right} \tag{{1}}$$")["1"] == "proved", right
        wrong = right.replace("(1 -", "(2 -")
        assert statuses(sigmoid + rf"$$\sigma'(x) = {wrong} \tag{{1}}$$")["1"] == "refuted", wrong
    rows = (r"\begin{alignat}{2} \sigma'(x) &= \sigma(x)(1 - \sigma(x)) &&\quad\text{chain} \\ \intertext{so}"
            r" &= \sigma(x) - \sigma(x)^2 && \end{alignat}")
    got = verdicts(sigmoid + "$$" + rows + r" \tag{1}$$")["1"]
    assert [s.status for s in got.steps] == ["proved", "proved"]


def test_braces_around_a_sum_or_doubled_are_grouping_only():
    r"""File 180 (TeXmacs' export): ``{\sum^n_{k = 0}} \dfrac{d a_j}{{d z_k}}``, braces around a big operator and
    doubled around a differential, were "cannot read the LaTeX"; they group nothing."""
    sides = parse_equation(r"a = {\sum^n_{k = 0}} \frac{d b_k}{{d z} } + \frac{{\sum_{j=1}^{n}} e^{z_j}}{2}").sides
    assert len(sides[1].expr.atoms(sp.Sum)) == 2
    assert statuses(r"$${\sum^3_{k = 1}} x_k = x_1 + x_2 + x_3 \tag{1}$$" "\n\n"
                    r"$${\sum^3_{k = 1}} x_k = x_1 + x_3 \tag{2}$$") == {"1": "proved", "2": "refuted"}
