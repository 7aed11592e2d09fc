r"""A quantity the document leaves open inside a derivative (never defined, defined in a way not read, or defined
without the variable) is read as an unknown function of the variable: what is then proved holds for every way it may
depend on it, and nothing is refuted on a dependence the checker would have to choose.

Also the speed work of the same session: latex2sympy2 is warmed only when a string first needs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from symsoft.check import check
from symsoft.parse.adapter import latex2sympy2_available

ROOT = Path(__file__).resolve().parent.parent


def _statuses(text: str) -> dict:
    report = check(text, is_text=True)
    return {e.label: e for e in report.equations}


def _split_of_the_log(factor: str) -> str:
    r"""The log of a Gaussian density split in two, the first part times ``factor`` (sigma is never said constant)."""
    return (r"Let $p(x) = \frac{1}{\sqrt{2 \pi \sigma^2}} \exp\left(-\frac{(x-\mu)^2}{2 \sigma^2}\right)$ be the density."
            "\n\n"
            rf"$$\frac{{d}}{{dx}}\log\left(p(x)\right) = {factor} \frac{{d}}{{dx}}\log\left(\frac{{1}}{{\sqrt{{2 \pi \sigma^2}}}}\right)"
            r" + \frac{d}{dx}\log\left(\exp\left(-\frac{(x-\mu)^2}{2 \sigma^2}\right)\right) \tag{1}$$")


def test_a_quantity_never_defined_is_any_function_of_the_variable():
    # the split holds whatever sigma is
    verdict = _statuses(_split_of_the_log(""))["1"]
    assert verdict.status == "proved"
    facts = " ".join(fact for step in verdict.steps for fact in step.facts)
    assert "any dependence of \\sigma on x" in facts


def test_a_false_step_on_an_open_quantity_is_never_refuted():
    verdict = _statuses(_split_of_the_log("2"))["1"]
    assert verdict.status == "unverified"
    assert "\\sigma" in verdict.steps[0].message


def test_the_chain_rule_through_a_quantity_defined_without_it_is_not_proved():
    # E is defined from u, not y: "dE/da = dE/dy dy/da" would need E to depend on a only through y
    text = (r"$$\sigma(a) = \frac{1}{1 + e^{-a}} \tag{1}$$" "\n\n"
            r"$$y = \sigma(a) \tag{2}$$" "\n\n"
            r"$$E = \frac{1}{2}(u - t)^2 \tag{3}$$" "\n\n"
            r"$$\frac{\partial E}{\partial a} = \frac{\partial E}{\partial y} \frac{dy}{da} \tag{4}$$")
    verdict = _statuses(text)["4"]
    assert verdict.status == "unverified"


def test_a_function_applied_in_the_display_is_never_opened_as_a_quantity():
    from symsoft.check import _applied_in
    from symsoft.parse.latex import parse_equation

    chain = parse_equation(r"\frac{\partial f}{\partial u} = f(h u) h")
    assert _applied_in("f", chain)
    assert not _applied_in("h", chain)


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                          timeout=300).stdout.strip()


def test_the_homework_is_checked_without_importing_latex2sympy2():
    out = _fresh("import sys; from symsoft.check import check; r = check('derivations/softmax_homework.md');"
                 " print(r.exit_code, 'latex2sympy2' in sys.modules)")
    assert out == "1 False"


@pytest.mark.skipif(not latex2sympy2_available(), reason="latex2sympy2 is an optional extra")
def test_a_string_only_latex2sympy2_reads_warms_it_outside_the_time_limit():
    # \binom is refused by the grammar: the helper asks its parent to warm latex2sympy2 up and fork again
    out = _fresh("import sys; from symsoft.check import check;"
                 r" r = check('$$\\binom{n}{2} = \\frac{n(n-1)}{2} \\tag{1}$$', is_text=True);"
                 " print(r.equations[0].status, 'latex2sympy2' in sys.modules)")
    assert out.split()[1] == "True"
    assert out.split()[0] in ("proved", "unverified")


def test_sets_maps_and_tuples_never_reach_latex2sympy2():
    from symsoft.errors import LatexParseError
    from symsoft.parse.adapter import parse_latex

    for text in (r"\mathbb{R}^N \rightarrow \mathbb{R}^N", r"W^T x \in \mathbb{R}^C", r"(a, b, \dots, c)"):
        with pytest.raises(LatexParseError, match="not a scalar expression"):
            parse_latex(text)


_SQUARES = r"$$E(w) = \frac{1}{2} \sum_{i = 1}^{M} \left( y^{(i)} - t^{(i)} \right)^2 \tag{1}$$" "\n\n"


def test_every_quantity_below_is_opened_not_only_the_first():
    # y and t are never defined: once t is opened, y may still depend on w; a step that holds only if y is
    # constant is not proved (it was, with t alone opened)
    text = _SQUARES + (r"$$\frac{\partial E}{\partial w_{1,1}} = - \sum_{i = 1}^{M} \left( y^{(i)} - t^{(i)} \right)"
                       r" \frac{\partial t^{(i)}}{\partial w_{1,1}} \tag{2}$$" "\n\n"
                       r"$$\frac{\partial E}{\partial w_{1,1}} = \sum_{i = 1}^{M} \left( y^{(i)} - t^{(i)} \right)"
                       r" \frac{\partial (y^{(i)} - t^{(i)})}{\partial w_{1,1}} \tag{3}$$")
    verdicts = _statuses(text)
    assert verdicts["2"].status == "unverified"
    assert verdicts["3"].status == "proved"  # the chain rule, for every dependence of y and t on w
    facts = " ".join(fact for step in verdicts["3"].steps for fact in step.facts)
    assert "any dependence of y on w" in facts and "any dependence of t on w" in facts


def test_a_variable_without_known_axes_is_opened_in_the_components_the_equation_names():
    # w_{1,1}: no range for either index of w; the opened y and t are functions of the components named
    text = _SQUARES + (r"$$\frac{\partial}{\partial w_{1,1}} \frac{1}{2} \sum_{i = 1}^{M} \left( y^{(i)} - t^{(i)}"
                       r" \right)^2 = \frac{1}{2} \sum_{i = 1}^{M} 2 \left( y^{(i)} - t^{(i)} \right) \frac{\partial}"
                       r"{\partial w_{1,1}} \left( y^{(i)} - t^{(i)} \right) \tag{2}$$" "\n\n"
                       r"$$\frac{\partial E}{\partial w_{1,2}} = \sum_{i = 1}^{M} \left( y^{(i)} - t^{(i)} \right)"
                       r" \frac{\partial (y^{(i)} - t^{(i)})}{\partial w_{1,1}} \tag{3}$$")
    verdicts = _statuses(text)
    assert verdicts["2"].status == "proved"
    assert verdicts["3"].status == "unverified"  # another component on each side: never proved, never refuted

