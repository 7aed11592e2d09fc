"""Matrix notation (issue 12): shapes read from the document, matrix algebra decided entry by entry at given sizes,
the matrix fixture suite, and the matrix forms ``symsoft derive --form matrix`` prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from symsoft.check import check
from symsoft.decide.matrices import decide_matrix_step
from symsoft.errors import BindingError
from symsoft.meaning.matrices import read_matrices_from_text

sys.path.insert(0, str(Path(__file__).parent))
from scoring import score_suite  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SQUARE = read_matrices_from_text(r"Let $A, B \in \mathbb{R}^{n \times n}$ and $\mathbf{x} \in \mathbb{R}^{n}$.")


def _doc(prose: str, *displays: str) -> str:
    body = "\n\n".join(f"$${d} \\tag{{{n}}}$$" for n, d in enumerate(displays, start=1))
    return f"# Notes\n\n{prose}\n\n{body}\n"


def _statuses(text: str) -> list[str]:
    return [e.status for e in check(text, is_text=True).equations]


@pytest.mark.parametrize("left, right, status", [
    ("(AB)^T", "B^T A^T", "proved"),
    ("(AB)^\\top", "A^\\top B^\\top", "refuted"),
    ("(A + B)^2", "A^2 + AB + BA + B^2", "proved"),
    ("(A + B)^2", "A^2 + 2AB + B^2", "refuted"),
    ("AB", "BA", "refuted"),
    ("\\mathrm{tr}(AB)", "\\mathrm{tr}(BA)", "proved"),
    ("(AB)^{-1}", "B^{-1} A^{-1}", "proved"),
    ("(AB)^{-1}", "A^{-1} B^{-1}", "refuted"),
    ("\\|\\mathbf{x}\\|^2", "\\mathbf{x}^\\top \\mathbf{x}", "proved"),
    ("\\nabla_{\\mathbf x} (\\mathbf{x}^\\top A \\mathbf{x})", "(A + A^\\top) \\mathbf{x}", "proved"),
    ("\\nabla_{\\mathbf x} (\\mathbf{x}^\\top A \\mathbf{x})", "2 A \\mathbf{x}", "refuted"),
])
def test_the_matrix_algebra_traps_are_decided(left, right, status):
    step = decide_matrix_step(1, left, "=", right, SQUARE)
    assert step.status == status
    if status == "refuted":
        assert step.counterexample is not None and step.counterexample.values  # small integer matrices


def test_sides_of_different_shapes_are_refuted_for_their_shapes():
    step = decide_matrix_step(1, "\\mathbf{x}^\\top \\mathbf{x}", "=", "\\mathbf{x} \\mathbf{x}^\\top", SQUARE)
    assert step.status == "refuted" and "shapes differ" in step.message and "n × n" in step.message


def test_a_side_whose_product_does_not_fit_is_refuted_when_the_shapes_are_declared():
    reading = read_matrices_from_text(r"Let $X \in \mathbb{R}^{N \times D}$ and $Y \in \mathbb{R}^{N \times C}$.")
    step = decide_matrix_step(1, "X^\\top Y", "=", "X Y", reading)
    assert step.status == "refuted" and "no shape" in step.message


def test_undeclared_letters_never_give_a_counterexample():
    """AB = BA is false for matrices, but a document that never says A and B are matrices may mean numbers."""
    with pytest.raises(BindingError, match="does not declare"):
        decide_matrix_step(1, "A B^\\top", "=", "B A^\\top", read_matrices_from_text("No declarations here."))


def test_the_gradient_in_numerator_layout_is_refuted_only_when_the_document_states_the_layout():
    prose = (r"Let $X \in \mathbb{R}^{N \times D}$, $\mathbf{w} \in \mathbb{R}^{D}$, $\mathbf{y} \in \mathbb{R}^{N}$ and"
             r" define $L = \|\mathbf{y} - X\mathbf{w}\|^2$.")
    left, right = "\\frac{\\partial L}{\\partial \\mathbf{w}}", "-2 (\\mathbf{y} - X\\mathbf{w})^\\top X"
    with pytest.raises(BindingError, match="other layout"):
        decide_matrix_step(1, left, "=", right, read_matrices_from_text(prose))
    stated = read_matrices_from_text(prose + " The gradient has the shape of the variable.")
    assert decide_matrix_step(1, left, "=", right, stated).status == "refuted"
    numerator = read_matrices_from_text(prose + " We use the numerator layout.")
    assert decide_matrix_step(1, left, "=", right, numerator).status == "proved"


def test_a_declared_matrix_written_whole_is_never_read_as_a_number():
    """(A - B)(A + B) = A^2 - B^2 holds for numbers: with A and B declared matrices it is refuted."""
    text = _doc(r"Let $A, B \in \mathbb{R}^{n \times n}$ be any square matrices.", "(A - B)(A + B) = A^2 - B^2")
    assert _statuses(text) == ["refuted"]


def test_softmax_regression_in_matrix_form_with_its_definitions():
    prose = (r"$X \in \mathbb{R}^{N \times D}$ holds one sample per row, $W \in \mathbb{R}^{D \times C}$, and the one-hot"
             r" labels are $Y \in \{0, 1\}^{N \times C}$. The softmax acts on each row. The gradient of a scalar in a"
             r" matrix has the shape of the matrix.")
    text = _doc(prose, r"P = \operatorname{softmax}(XW)", r"L(W) = -\frac{1}{N} \sum_{i=1}^{N} \sum_{c=1}^{C} Y_{ic} \log P_{ic}",
                r"\nabla_W L = \frac{1}{N} X^\top (P - Y)", r"\nabla_W L = \frac{1}{N} (P - Y)^\top X",
                r"\nabla_W L = \frac{1}{N} X^\top (Y - P)")
    assert _statuses(text) == ["definition", "definition", "proved", "refuted", "refuted"]


def test_a_bold_letter_and_its_plain_spelling_are_one_quantity():
    prose = (r"$\mathbf{X}$ is the $N \times D$ data matrix, $\mathbf{W}$ the $D \times C$ weights and $\mathbf{Y}$ the"
             r" $N \times C$ one-hot labels. The softmax is taken row by row; the gradient is arranged like $\mathbf{W}$.")
    text = _doc(prose, r"\mathbf{P} = \operatorname{softmax}(\mathbf{X}\mathbf{W})",
                r"L(\mathbf{W}) = -\frac{1}{N} \sum_{i=1}^{N} \sum_{c=1}^{C} Y_{ic} \log P_{ic}",
                r"\frac{\partial L}{\partial \mathbf{W}} = \frac{1}{N} \mathbf{X}^{\mathsf T} (\mathbf{P} - \mathbf{Y})")
    assert _statuses(text) == ["definition", "definition", "proved"]


def test_a_tanh_layer_and_the_logistic_hessian_are_decided_within_the_budget():
    """A rational function of e^t and tanh(u) is shown 0 in a polynomial ring, without gcds: ``cancel`` took 20 s of
    CPU on a logistic Hessian entry, ``is_zero`` minutes on a tanh layer, and both steps ran out of their 5 s."""
    prose = (r"$X$ is the N × D data matrix, $W$ is D × M, $V$ is M × K and $Y$ is N × K; $\tanh$ acts entry by entry"
             r" and $\odot$ is the entry-wise product. $\mathbf{1}_N$ and $\mathbf{1}_M$ are all-ones columns. A gradient"
             r" has the shape of the variable. $H$ is N × M and $\Delta$ is N × M.")
    text = _doc(prose, r"H = \tanh(X W)", r"L = \frac{1}{2} \|H V - Y\|_F^2",
                r"\Delta = \left( (H V - Y) V^T \right) \odot \left( \mathbf{1}_N \mathbf{1}_M^T - H \odot H \right)",
                r"\nabla_{W} L = X^T \Delta", r"\nabla_{W} L = X^T (\Delta \odot H)")
    assert _statuses(text) == ["definition", "definition", "definition", "proved", "refuted"]
    prose = (r"$X \in \mathbb{R}^{N \times D}$, $\mathbf{w} \in \mathbb{R}^{D}$ and $\mathbf{y} \in \{0, 1\}^{N}$;"
             r" $\mathbf{1} \in \mathbb{R}^{N}$ is the all-ones vector, the sigmoid $\sigma(t) = 1 / (1 + e^{-t})$"
             r" and $\log$ act entry-wise. The Hessian $\nabla^2_{\mathbf{w}} J$ is $D \times D$.")
    text = _doc(prose, r"J(\mathbf{w}) = -\left[ \mathbf{y}^\top \log \sigma(X\mathbf{w}) + (\mathbf{1} - \mathbf{y})^\top"
                r" \log\left( \mathbf{1} - \sigma(X\mathbf{w}) \right) \right]",
                r"\mathbf{S} = \operatorname{diag}\left( \sigma(X\mathbf{w}) \odot \left( \mathbf{1} - \sigma(X\mathbf{w})"
                r" \right) \right)", r"\nabla^2_{\mathbf{w}} J = X^\top \mathbf{S} X")
    assert _statuses(text) == ["definition", "definition", "proved"]


def test_inline_math_at_a_point_is_not_a_definition():
    """"at $t = 0$" once made t zero everywhere, and a false identity in t was proved."""
    prose = r"The sigmoid $\sigma$ is the logistic function; at $t = 0$ its slope is 1/4."
    text = _doc(prose, r"\sigma(t) = \frac{1}{1 + e^{-t}}", r"\sigma(t) = \frac{1}{2}\left(1 + \tanh(t)\right)")
    assert _statuses(text)[1] != "proved"


def test_hessians_and_rows_named_by_lower_case_letters():
    prose = (r"Let $X \in \mathbb{R}^{N \times D}$ and $\mathbf{w} \in \mathbb{R}^{D}$, $\mathbf{y} \in \mathbb{R}^{N}$;"
             r" write $x_i^\top$ for the $i$-th row of $X$. The gradient has the shape of the variable.")
    text = _doc(prose, r"L(\mathbf{w}) = \|\mathbf{y} - X\mathbf{w}\|^2", r"\nabla^2_{\mathbf{w}} L = 2 X^\top X",
                r"X^\top X = \sum_{i=1}^{N} x_i x_i^\top", r"X^\top X = \sum_{i=1}^{N} x_i^\top x_i")
    assert _statuses(text) == ["definition", "proved", "proved", "refuted"]


def test_the_homework_in_index_notation_keeps_its_verdicts():
    report = check(Path(__file__).parent.parent / "derivations" / "softmax_homework.md")
    counts = {s: sum(e.status == s for e in report.equations) for s in ("proved", "refuted", "definition")}
    assert counts == {"proved": 5, "refuted": 2, "definition": 2}


@pytest.mark.slow
def test_the_matrix_fixture_suite():
    """Issue 12's line: 0 false proofs, 0 false alarms, at least 85 % of the correct equations proved and 85 % of
    the wrong ones refuted at the right step (the labels are verified by the suite's own verify_labels.py)."""
    score = score_suite(FIXTURES / "matrix")
    assert score.false_proofs == 0 and score.false_alarms == 0, score.problems
    assert score.correct >= 60 and score.wrong >= score.correct / 3
    assert score.correct_proved >= 0.85 * score.correct
    assert score.wrong_found >= 0.85 * score.wrong


# -- derive --form matrix -----------------------------------------------------------------------------------------

def _forms(*arguments: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "symsoft", "derive", *arguments, "--form", "matrix", "--format", "json"],
                         capture_output=True, text=True, timeout=600, check=True)
    return {f["result"]: f["matrix_form"] for f in json.loads(out.stdout)["forms"]}


def test_derive_prints_the_softmax_results_in_matrix_form():
    forms = _forms("softmax", "-C", "3")
    assert forms["\\nabla_W \\ell"] == "x (\\sigma - y)^\\top"
    assert forms["\\frac{\\partial \\sigma}{\\partial z}"] == "\\operatorname{diag}(\\sigma) - \\sigma \\sigma^\\top"
    assert forms["\\nabla^2_z \\ell"] == "\\operatorname{diag}(\\sigma) - \\sigma \\sigma^\\top"


@pytest.mark.parametrize("model, hessian", [
    ("linear", "\\frac{1}{N} X^\\top X"),
    ("logistic", "\\frac{1}{N} X^\\top \\operatorname{diag}(\\hat{y} \\odot (\\mathbf{1} - \\hat{y})) X"),
])
def test_derive_prints_the_regression_results_in_matrix_form(model, hessian):
    forms = _forms(model)
    assert forms["\\nabla_{w} J"] == "\\frac{1}{N} X^\\top (\\hat{y} - y)"
    assert forms["\\nabla^2_{w} J"] == hessian


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_each_matrix_form_equals_the_index_form_at_other_sizes(model):
    """The forms were found at N = 3, 4: at N = 5, D = 3 the index-form gradient and Hessian equal them."""
    from symsoft.models.derive import ModelDerivation

    d = ModelDerivation(model, {"N": 5, "D": 3})
    letters = d.matrix_letters()
    X, y, yhat, N = letters["X"], letters["y"], letters["\\hat{y}"], 5
    blocks = dict(d.blocks())
    weights = sp.diag(*[q * (1 - q) for q in yhat]) if model == "logistic" else sp.eye(N)
    assert sp.simplify(blocks["\\nabla_{w} J"] - X.T * (yhat - y) / N) == sp.zeros(3, 1)
    assert sp.simplify(blocks["\\nabla^2_{w} J"] - X.T * weights * X / N) == sp.zeros(3, 3)


def test_a_model_without_matrices_says_so(tmp_path):
    out = subprocess.run([sys.executable, "-m", "symsoft", "derive", "mlp", "--form", "matrix"], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1


# -- what an adversarial probe found (each once a false proof or a false alarm) -----------------------------------

_PROBED = [
    # a false identity that holds at one size only: every dimension is also checked at 3, and apart
    (r"Let $u \in \mathbb{R}^{N}$, $v \in \mathbb{R}^{D}$ and $A \in \mathbb{R}^{C \times C}$.",
     r"u^\top u + v^\top v + \operatorname{tr}(A A) = u^\top u + v^\top v + \operatorname{tr}(A) \operatorname{tr}(A)"
     r" - 2 \det(A)", "refuted"),
    (r"Let $V \in \mathbb{R}^{n \times 4}$.", r"\det(V^\top V) = 0", "refuted"),
    # operator norms and the matrix exponential are not read entry by entry
    (r"Let $A \in \mathbb{R}^{n \times n}$ and let $\|A\|_2$ be its spectral norm.", r"\|A\|_2^2 = \operatorname{tr}(A^\top A)",
     "unverified"),
    (r"Let $A \in \mathbb{R}^{n \times n}$ and let $e^{A}$ denote the matrix exponential.", r"e^{2A} = e^{A} \odot e^{A}",
     "unverified"),
    # the layout the document states
    (r"We use the numerator layout throughout. Let $A \in \mathbb{R}^{m \times n}$ and $x \in \mathbb{R}^n$.",
     r"\frac{\partial (A x)}{\partial x} = A^\top", "refuted"),
    (r"We use the denominator layout throughout. Let $A \in \mathbb{R}^{n \times n}$ and $x \in \mathbb{R}^n$.",
     r"\frac{\partial (A x)}{\partial x} = A^\top", "proved"),
    # a subscripted letter declared on its own is not an entry
    (r"Let $w, w_1 \in \mathbb{R}^{D}$ be two weight vectors.", r"(w_1^\top w_1) w = w_1 (w_1^\top w)", "refuted"),
    # prose that negates a fact, or names a case or a mistake, states nothing
    (r"Let $z \in \mathbb{R}^{n}$. Here $\sigma$ denotes the ReLU activation, not the sigmoid.",
     r"\sigma(-z) = \mathbf{1} - \sigma(z)", "unverified"),
    (r"Let $A, B \in \mathbb{R}^{n \times n}$. We do not assume $B = A^\top$.", r"B^\top = A", "refuted"),
    (r"Let $A \in \mathbb{R}^{n \times n}$ be a non-symmetric matrix.", r"A^\top = A", "refuted"),
    (r"Let $X \in \mathbb{R}^{N \times D}$, $\mathbf{y} \in \mathbb{R}^{N}$, $\mathbf{w} \in \mathbb{R}^{D}$. We initialise"
     r" $\mathbf{w} = \mathbf{0}$, but below $\mathbf{w}$ is arbitrary. The gradient has the shape of the variable.",
     r"\nabla_{\mathbf{w}} \|X \mathbf{w} - \mathbf{y}\|^2 = -2 X^\top \mathbf{y}", "refuted"),
    # a primed letter the prose names is a matrix of its own
    (r"Let $A \in \mathbb{R}^{n \times n}$ and let $A'$ be another n-by-n matrix, unrelated to $A$.",
     r"(A A')^\top = A A'", "unverified"),
    # true steps once refuted
    (r"Let $A \in \mathbb{R}^{n \times n}$ be invertible.", r"A^{-2} = (A^{2})^{-1}", "proved"),
    (r"Let $X \in \mathbb{R}^{D \times N}$ hold one sample per column: $x_i$ is the $i$-th column of $X$.",
     r"X X^\top = \sum_{i=1}^{N} x_i x_i^\top", "proved"),
    (r"Let $x \in \mathbb{R}^{I}$, where $I$ is the number of items.", r"\frac{1}{I} \mathbf{1}^\top x = \frac{\mathbf{1}^\top x}{I}",
     "proved"),
    (r"Let $W$, unlike the $D \times C$ matrix $V$, be square.", r"(W W)^\top = W^\top W^\top", "unverified"),
    (r"Let $X \in \mathbb{R}^{N \times D}$ and let $x \in \mathbb{R}^{D}$ be a test point; $x_i^\top$ is the $i$-th row"
     r" of $X$.", r"X^\top X = \sum_{i=1}^{N} x_i x_i^\top", "proved"),
    (r"Let $A \in \mathbb{R}^{n \times n}$ and $w \in \mathbb{R}^{n}$. For us $\frac{\partial f}{\partial w}$ is a row"
     r" vector, while the Hessian has the shape of the matrix $A$. Assume $A$ is symmetric.",
     r"\frac{\partial}{\partial w} \left( \frac{1}{2} w^\top A w \right) = w^\top A", "proved"),
]


@pytest.mark.parametrize("prose, display, status", _PROBED, ids=[f"probe{n}" for n in range(len(_PROBED))])
def test_what_the_probe_found_is_decided_right(prose, display, status):
    assert _statuses(_doc(prose, display)) == [status]


def test_a_function_of_a_vector_is_not_applied_entry_by_entry():
    text = _doc(r"Let $x \in \mathbb{R}^{n}$. For any vector $v$ define the squared length", r"h(v) = \|v\|^2",
                r"h(x) = x \odot x")
    assert _statuses(text)[1] != "proved"


def test_a_refuted_matrix_step_gets_a_repair_that_is_proved():
    prose = (r"$X \in \mathbb{R}^{N \times D}$ holds one sample per row, $W \in \mathbb{R}^{D \times C}$, and the one-hot"
             r" labels are $Y \in \{0, 1\}^{N \times C}$. The softmax acts on each row. The gradient of a scalar in a"
             r" matrix has the shape of the matrix.")
    text = _doc(prose, r"P = \operatorname{softmax}(XW)", r"L(W) = -\frac{1}{N} \sum_{i=1}^{N} \sum_{c=1}^{C} Y_{ic} \log P_{ic}",
                r"\nabla_W L = \frac{1}{N} (P - Y)^\top X", r"\nabla_W L = X^\top (P - Y)")
    shape, scale = [e.steps[0] for e in check(text, is_text=True).equations[2:]]
    assert shape.repairs[0].latex.endswith(r"= \frac{1}{N} X^\top (P - Y)")
    assert [r.edit for r in scale.repairs] == ["divide by N"]  # never "divide by C": N and C are apart at one size


@pytest.mark.parametrize("display, label, latex", [
    (r"P = \operatorname{softmax}(X)", None, r"P = \operatorname{softmax}(X)"),
    (r"L = -\log \sigma(z)", None, r"L = -\log \sigma(z)"),
    (r"a = b \quad (A)", "A", "a = b"),
    (r"a = b \qquad (3)", "3", "a = b"),
])
def test_a_display_that_ends_with_a_call_keeps_its_argument(display, label, latex):
    """"(X)" at the end of a display was read as the label X, and the formula lost its argument."""
    from symsoft.read.document import read_document

    equation = read_document(f"$${display}$$\n").equations[0]
    assert (equation.label, equation.latex) == (label, latex)


def test_a_function_of_a_vector_defined_in_matrix_notation_is_not_refuted_by_the_index_reading():
    """The index reading kept v free in h(x) and refuted h(x) = x^T x (a false alarm the probe found); it no longer
    reads h(v) at another argument (seventeenth session), so the matrix reading's proof stands; 2 x^T x is false."""
    text = _doc(r"Let $x \in \mathbb{R}^{n}$. For any vector $v$ define the squared length", r"h(v) = \|v\|^2",
                r"h(x) = x^\top x", r"h(x) = 2 x^\top x")
    assert _statuses(text) == ["definition", "proved", "refuted"]


def test_a_step_refuted_for_its_shapes_is_also_a_finding():
    text = _doc(r"Let $X \in \mathbb{R}^{N \times D}$ and $Y \in \mathbb{R}^{N \times C}$.", r"X^\top Y = X Y")
    report = check(text, is_text=True)
    assert [e.status for e in report.equations] == ["refuted"]
    assert [f.kind for f in report.findings] == ["shape"] and "D against N" in report.findings[0].message
