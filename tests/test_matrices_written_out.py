r"""Matrices written out entry by entry (issue 11's matrix literals, a first step of issue 12): each step of such a
display is checked entry by entry; a Jacobian beside a matrix has the numerator layout (or, when only that one
fails, the denominator layout); a matrix with elided entries (\dots) is a pattern, not read yet."""

from __future__ import annotations

import pytest

from symsoft.check import check

SOFTMAX_2 = r"$$s_i = \frac{e^{z_i}}{\sum_{k=1}^{2} e^{z_k}} \tag{1}$$" "\n\n"
SOFTMAX_N = r"$$s_i = \frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}} \tag{1}$$" "\n\n"
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
    (r"J_z s = \begin{bmatrix} s_1 - s_1 s_1 & - s_1 s_2 & ... & - s_1 s_n \\ -s_2 s_1 & s_2 - s_2 s_2 & ... & - s_2 s_n"
     r" \\ \vdots & \ddots \\ -s_n s_1 & - s_n s_2 & ... & s_n - s_n s_n \end{bmatrix}", "proved",
     "last row and column numbered"),
    (r"J_z s = \begin{bmatrix} s_1 - s_1 s_1 & - s_1 s_2 & ... & - s_1 s_n \\ s_2 s_1 & s_2 - s_2 s_2 & ... & - s_2 s_n"
     r" \\ \vdots & \ddots \\ -s_n s_1 & - s_n s_2 & ... & s_n - s_n s_n \end{bmatrix}", "refuted", "entry (2, 1)"),
    (JACOBIAN + r"\begin{bmatrix} s_1 - s_1^2 & -s_1 s_2 \end{bmatrix} = \begin{bmatrix} 1 \\ 2 \end{bmatrix}",
     "unverified", "different shapes"),
])
def test_a_matrix_written_out_is_checked_entry_by_entry(display, status, words):
    verdict = check((SOFTMAX_N if "..." in display else SOFTMAX_2) + "$$" + display + r" \tag{2}$$").equations[-1]
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


def test_a_gradient_written_as_a_column_with_vdots_and_rows_with_their_own_left_sides():
    """``\\frac{\\partial L}{\\partial \\mathbf{z}} = (s_1 - y_1, \\dots, s_n - y_n)`` in an align with a second row of its
    own: the column is the gradient, entry by entry (the last one numbered after the others); the second row is a
    step of its own, and a sign slip in the column is found at its entry."""
    head = (SOFTMAX_N + r"$$L = -\sum_{k=1}^{n} y_k \log s_k \tag{2}$$" "\n\n"
            "The labels sum to one: $\\sum_{k=1}^{n} y_k = 1$.\n\n")
    body = (r"$$\begin{align*} \frac{\partial L}{\partial \mathbf{z}} &= \left( \begin{matrix} s_1 - y_1 \\ \vdots \\"
            r" s_n - y_n \end{matrix} \right) \\ \frac{\partial L}{\partial z_1} &= s_1 - y_1 \end{align*} \tag{3}$$")
    verdict = check(head + body).equations[-1]
    assert [s.status for s in verdict.steps] == ["proved", "proved"], verdict
    wrong = check(head + body.replace("s_1 - y_1", "y_1 - s_1", 1)).equations[-1]
    assert wrong.steps[0].status == "refuted" and "entry (1, 1)" in wrong.steps[0].message, wrong


def test_an_elided_matrix_is_never_refuted_at_the_last_row_the_checker_numbered():
    """With two classes fixed by the document, the last row of an elided Jacobian (numbered 3 by the checker) does
    not exist: an entry there that fails is unverified, never a false alarm."""
    display = (r"J_z s = \begin{bmatrix} s_1 - s_1 s_1 & - s_1 s_2 & ... & - s_1 s_n \\ -s_2 s_1 & s_2 - s_2 s_2 & ... &"
               r" - s_2 s_n \\ \vdots & \ddots \\ -s_n s_1 & - s_n s_2 & ... & s_n - s_n s_n \end{bmatrix}")
    verdict = check(SOFTMAX_2 + "$$" + display + r" \tag{2}$$").equations[-1]
    assert verdict.status == "unverified" and "numbered by the checker" in verdict.steps[0].message, verdict


@pytest.mark.parametrize("prose, display, status", [
    ("", r"\frac{\partial \mathbf{s}}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top", "proved"),
    ("", r"\frac{\partial \mathbf{s}}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) + \mathbf{s}\mathbf{s}^\top", "refuted"),
    ("", r"J_{\mathbf z}(\mathbf s) = \text{diag}(\mathbf s) - \mathbf s \times \mathbf s^T", "proved"),
    ("", r"\frac{\partial \mathbf{s}}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) - I", "refuted"),
    ("We use row vectors throughout.", r"\mathbf J_{\mathbf z}(\mathbf s) = \text{diag}(\mathbf s) - \mathbf s^\top \mathbf s",
     "proved"),
    ("We use row vectors throughout.", r"\mathbf J_{\mathbf z}(\mathbf s) = \text{diag}(\mathbf s) - \mathbf s \mathbf s^\top",
     "unverified"),
])
def test_a_jacobian_in_matrix_notation_is_checked_by_its_entry(prose, display, status):
    """diag(s) - s s^T (outer product of column vectors; s^T s when the prose says the vectors are rows) beside a
    Jacobian: checked by its entry (r, c), for every r and c."""
    verdict = check(prose + "\n\n" + SOFTMAX_N + "$$" + display + r" \tag{2}$$").equations[-1]
    assert verdict.status == status, [(s.status, s.message) for s in verdict.steps] or verdict.message
    if status != "unverified":
        assert "entry (r, c)" in verdict.steps[0].message


def test_a_matrix_expression_beside_a_matrix_written_out_is_compared_entry_by_entry():
    """The wrong entries of a written Jacobian are refuted against diag(y) - y y^T too (the second step)."""
    verdict = check(SOFTMAX_2.replace("s_", "y_").replace("s_i", "y_i") + "$$" + r"\begin{bmatrix} y_1 - y_1 y_1 & y_1 y_2"
                    r" \\ -y_2 y_1 & y_2 - y_2 y_2 \end{bmatrix} = \operatorname{diag}(\mathbf{y}) - \mathbf{y}\mathbf{y}^T"
                    r" \tag{2}$$").equations[-1]
    assert [s.status for s in verdict.steps] == ["refuted"], verdict
