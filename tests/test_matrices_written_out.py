r"""Matrices written out entry by entry (issue 11's matrix literals, a first step of issue 12): each step of such a
display is checked entry by entry; a Jacobian beside a matrix has the numerator layout (or, when only that one
fails, the denominator layout); a matrix with elided entries (\dots) is a pattern, not read yet."""

from __future__ import annotations

import pytest

from symsoft.check import check

SOFTMAX_2 = r"$$s_i = \frac{e^{z_i}}{\sum_{k=1}^{2} e^{z_k}} \tag{1}$$" "\n\n"
JACOBIAN = r"\frac{\partial \mathbf{s}}{\partial \mathbf{z}} = "


@pytest.mark.parametrize("display, status, words", [
    (JACOBIAN + r"\begin{pmatrix} s_1(1 - s_1) & -s_1 s_2 \\ -s_2 s_1 & s_2(1 - s_2) \end{pmatrix}", "proved",
     "every entry proved"),
    (JACOBIAN + r"\begin{pmatrix} s_1(1 - s_1) & s_1 s_2 \\ -s_2 s_1 & s_2(1 - s_2) \end{pmatrix}", "refuted",
     "entry (1, 2)"),
    (r"\begin{bmatrix} s_1 \\ s_2 \end{bmatrix} = \begin{bmatrix} \frac{e^{z_1}}{e^{z_1} + e^{z_2}} \\"
     r" \frac{e^{z_2}}{e^{z_1} + e^{z_2}} \end{bmatrix}", "proved", "every entry proved"),
    (r"\mathbf{s} = \begin{bmatrix} \frac{e^{z_2}}{e^{z_1} + e^{z_2}} \\ \frac{e^{z_1}}{e^{z_1} + e^{z_2}}"
     r" \end{bmatrix}", "refuted", "entry (1, 1)"),
    (JACOBIAN + r"\begin{bmatrix} s_1 - s_1^2 & \dots \\ \vdots & \ddots \end{bmatrix}", "unverified", "elided"),
    (JACOBIAN + r"\begin{bmatrix} s_1 - s_1^2 & -s_1 s_2 \end{bmatrix} = \begin{bmatrix} 1 \\ 2 \end{bmatrix}",
     "unverified", "different shapes"),
])
def test_a_matrix_written_out_is_checked_entry_by_entry(display, status, words):
    verdict = check(SOFTMAX_2 + "$$" + display + r" \tag{2}$$").equations[-1]
    shown = " ".join([verdict.message, *(f"{s.message} {s.method}" for s in verdict.steps)])
    assert verdict.status == status and words in shown, shown


def test_a_jacobian_that_holds_only_in_the_denominator_layout_is_not_refuted():
    """d(Wx)/dx written as W^T's entries: true in the denominator layout, so never called false (W_{21} is the
    entry (2, 1) of the W_{ik} the document defines, not a quantity of its own)."""
    document = (r"$$y_i = \sum_{k=1}^{2} W_{ik} x_k \tag{1}$$" "\n\n"
                r"$$\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} W_{11} & W_{21} \\ W_{12} & W_{22}"
                r" \end{pmatrix} \tag{2}$$")
    verdict = check(document).equations[-1]
    assert verdict.status == "proved" and "denominator layout" in verdict.steps[0].method, verdict
