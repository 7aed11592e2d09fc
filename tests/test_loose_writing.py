r"""What authors of real derivations write loosely, read as they meant it (issue 11's reading problems).

Each case is a short document in the style of the public derivations in tests/fixtures/corpus/real and the
status its last equation must get.
"""

from __future__ import annotations

import pytest

from symsoft.check import check

SOFTMAX = "$$p_j = \\frac{e^{o_j}}{\\sum_k e^{o_k}} \\tag{1}$$\n\n"

CASES = [
    ("aligned at the relation (A =& B)",
     SOFTMAX + r"$$\begin{aligned} \frac{\partial p_j}{\partial o_j} =& \frac{e^{o_j} \sum_k e^{o_k} - e^{o_j} e^{o_j}}"
     r"{(\sum_k e^{o_k})^2} \\ =& p_j (1 - p_j) \end{aligned} \tag{2}$$", "proved"),
    ("a condition written first in the display",
     SOFTMAX + r"$${\rm if}~i\ne j,~\frac{\partial p_j}{\partial o_i} = -p_i p_j \tag{2}$$", "proved"),
    ("a condition after a comma at the end of the display",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_i} = p_i(1 - p_i),\quad i = j \tag{2}$$", "proved"),
    ("a condition after \\quad alone at the end of the display (never a factor i)",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_i} = -p_i p_j \quad i \neq j \tag{2}$$", "proved"),
    ("the same condition, and the wrong formula for it",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_i} = p_i(1 - p_i),\quad i \neq j \tag{2}$$", "refuted"),
    ("\\mathcal L without braces and log without a backslash",
     SOFTMAX + r"$$\mathcal L = -\sum_{c=1}^C y_c \cdot log(p_c) \tag{2}$$" "\n\n"
     r"$$\mathcal L = -\sum_{c=1}^C y_c (o_c - \log \sum_k e^{o_k}) \tag{3}$$", "proved"),
    ("a sum written \\sum_j^C",
     SOFTMAX + r"$$\sum_j^C p_j = 1 \tag{2}$$", "proved"),
    ("a bare sum over the one index of its summand",
     r"$$y_i = \frac{e^{x_i}}{\sum e^{x_k}}, for~i=1,..., C \tag{1}$$" "\n\n"
     r"$$\frac{\partial y_i}{\partial x_i} = y_i (1 - y_i) \tag{2}$$", "proved"),
    ("times minus: a \\cdot -b",
     SOFTMAX + r"$$\frac{\partial \log p_k}{\partial o_i} = \frac{1}{p_k} \cdot -p_k \cdot p_i \quad \text{for } i \neq k"
     r" \tag{2}$$", "proved"),
    ("letters written together (m x_i)",
     r"$$f(m,b) = \frac{1}{n}\sum_{i=1}^n (y_i-(mx_i + b))^2 \tag{1}$$" "\n\n"
     r"$$\frac{\partial f}{\partial m} = \frac{2}{n}\sum_{i=1}^n -x_i(y_i-(mx_i + b)) \tag{2}$$", "proved"),
    ("a hat without braces in a d-derivative",
     r"$$J = \frac{1}{2}(\hat y - y)^2 \tag{1}$$" "\n\n" r"$$\frac{dJ}{d\hat y} = \hat y - y \tag{2}$$", "proved"),
    ("a loss named with what it depends on, H(Y, \\sigma(A))",
     r"$$H(Y, s) = -\sum_{i=1}^{C} Y_i \log s_i \tag{1}$$" "\n\n"
     r"$$\frac{\partial H}{\partial s_k} = -\frac{Y_k}{s_k} \tag{2}$$", "proved"),
    ("a display that starts with '=' continues the one before it",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_j} = \frac{e^{o_j} \sum_k e^{o_k} - e^{o_j} e^{o_j}}{(\sum_k e^{o_k})^2}"
     r" \tag{2}$$" "\n\nSimplifying:\n\n" r"$$ = p_j (1 - p_j) \tag{3}$$", "proved"),
    ("a continuation that is wrong is refuted",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_j} = \frac{e^{o_j} \sum_k e^{o_k} - e^{o_j} e^{o_j}}{(\sum_k e^{o_k})^2}"
     r" \tag{2}$$" "\n\n" r"$$ = p_j (1 + p_j) \tag{3}$$", "refuted"),
    ("both cases continue the display before the first case",
     SOFTMAX + r"$$\frac{\partial p_j}{\partial o_i} = \frac{\partial}{\partial o_i} \frac{e^{o_j}}{\sum_k e^{o_k}} \tag{2}$$"
     "\n\nIf $i = j$,\n\n" r"$$ = p_j(1 - p_j) \tag{3}$$" "\n\nAnd if $i \\neq j$,\n\n" r"$$ = -p_j p_i \tag{4}$$",
     "proved"),
    ("a sum over the set of classes, \\sum\\limits_{k \\in C}",
     SOFTMAX + r"$$\sum\limits _{k \in C} p_k = 1 \tag{2}$$", "proved"),
    ("a sum over the other classes, \\sum_{j \\neq i \\in C}",
     SOFTMAX + r"$$p_i \sum_{j \neq i \in C} p_j = p_i (1 - p_i) \tag{2}$$", "proved"),
    ("a function in braces, {\\cosh}^{2} x, and its argument before a derivative",
     r"$$\frac{d}{dx} \tanh x = \frac{\cosh x \frac{d}{dx} \sinh x - \sinh x \frac{d}{dx} \cosh x}{{\cosh}^{2} x}"
     r" = 1 - \tanh^2 x \tag{1}$$", "proved"),
    ("eqnarray with &=& and a sum over the others with a minus, \\sum_{k \\neq i} -p_k",
     SOFTMAX + r"$$\begin{eqnarray} p_i \sum_{k \neq i} -p_k &=& -p_i \sum_{k \neq i} p_k \\ &=& -p_i (1 - p_i)"
     r" \end{eqnarray} \tag{2}$$", "proved"),
    ("the terms of a sum named in the chain, L = -\\sum_j y_j \\log p_j = -\\sum_j \\ell_j",
     SOFTMAX + r"$$L = -\sum_j^C y_j \log p_j = -\sum_j^C \ell_j \tag{2}$$" "\n\n"
     r"$$\frac{\partial \ell_j}{\partial p_j} = \frac{y_j}{p_j} \tag{3}$$", "proved"),
    ("a named term differentiated with the wrong sign",
     SOFTMAX + r"$$L = -\sum_j^C y_j \log p_j = -\sum_j^C \ell_j \tag{2}$$" "\n\n"
     r"$$\frac{\partial \ell_j}{\partial p_j} = -\frac{y_j}{p_j} \tag{3}$$", "refuted"),
    ("a network of named scalars (a_1 = f(m_1 x_1 + ...)), a capitalised word as a name, t1 for t_1",
     r"$f(x) = \frac{1}{1+e^{-x}}$" "\n\n" r"$$a_1 = f(m_1x_1+m_2x_2+b_1) \tag{1}$$" "\n\n"
     r"$$Cost=(a_1-t1)^2 \tag{2}$$" "\n\n"
     r"$$\frac{\partial Cost}{\partial m_{1}} = 2(a_1-t_1)(a_1(1-a_1))(x_1) \tag{3}$$", "proved"),
    ("the same network, a wrong factor",
     r"$f(x) = \frac{1}{1+e^{-x}}$" "\n\n" r"$$a_1 = f(m_1x_1+m_2x_2+b_1) \tag{1}$$" "\n\n"
     r"$$Cost=(a_1-t_1)^2 \tag{2}$$" "\n\n"
     r"$$\frac{\partial Cost}{\partial m_{1}} = 2(a_1-t_1)(a_1(1-a_1))(x_2) \tag{3}$$", "refuted"),
    ("a derivative times a bracket, \\frac{\\partial C}{\\partial m}(m_7)",
     r"$$C = (m_7 x)^2 \tag{1}$$" "\n\n" r"$$\frac{\partial C}{\partial m_7}(m_7) = 2 C \tag{2}$$", "proved"),
    ("a definition written with \\equiv, the softmax over x",
     r"$$\sigma(x)_i \equiv \frac{\exp(x_i)}{\sum_{j=1}^n \exp(x_j)} \tag{1}$$" "\n\n"
     r"$$\log(\sigma(x)_{i}) = x_{i} - \log\biggl(\sum_{j=1}^n\exp(x_{j})\biggr) \tag{2}$$", "proved"),
    ("a sum written out with dots, y_1 \\log p_1 + y_2 \\log p_2 + \\dots + y_C \\log p_C",
     SOFTMAX + r"$$L = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$L = -(y_1 \log p_1 + y_2 \log p_2 + \dots + y_C \log p_C) \tag{3}$$", "proved"),
    ("the same sum with a wrong sign",
     SOFTMAX + r"$$L = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$L = y_1 \log p_1 + y_2 \log p_2 + \dots + y_C \log p_C \tag{3}$$", "refuted"),
    ("a minus inside the derivative's numerator, \\frac{-\\partial L}{\\partial p_j}",
     SOFTMAX + r"$$L = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n"
     r"$$\frac{\partial L}{\partial p_j} = \frac{- \partial \sum_{k=1}^C y_k \log p_k}{\partial p_j} = -\frac{y_j}{p_j}"
     r" \tag{3}$$", "proved"),
    ("TeX's {a \\over b}",
     r"$$E = {1 \over 2} (o - t)^2 \tag{1}$$" "\n\n" r"$${\partial E \over \partial o} = o - t \tag{2}$$", "proved"),
    ("plain TeX's \\eqalign with \\cr",
     r"$$\eqalign{ L &= (x + 1)^2 \cr &= x^2 + 2x + 1 } \tag{1}$$", "proved"),
    ("an indicator written 1_{i=j}",
     SOFTMAX + r"$$\frac{\partial p_i}{\partial o_j} = p_i (1_{i=j} - p_j) \tag{2}$$", "proved"),
    ("an update written with := is an assignment, never an equation",
     r"$$\theta_0 := \theta_0 - \alpha g \tag{1}$$", "definition"),
    ("a Greek function name followed by a space, \\sigma (x)",
     r"$$ \sigma (x) = \frac{1}{1 + e^{-x}} \tag{1}$$" "\n\n"
     r"$$ \frac{d}{dx} \sigma (x) = \sigma (x) (1 - \sigma (x)) \tag{2}$$", "proved"),
]


@pytest.mark.parametrize("name, document, status", CASES, ids=[c[0] for c in CASES])
def test_loosely_written_derivation_is_read(name, document, status):
    report = check(document)
    assert report.equations[-1].status == status, [(s.status, s.message) for s in report.equations[-1].steps]


def test_a_comment_with_dollars_never_pairs_with_the_mathematics():
    """The corpus's source comments hold `$$` and `\\tag{N}`: once, every display after them was misread."""
    document = "<!-- transcription: $$ signs and \\tag{N} added -->\n\n" + SOFTMAX + \
        r"$$\sum_{j=1}^C p_j = 1 \tag{2}$$"
    assert [e.label for e in check(document).equations] == ["1", "2"]
    assert check(document).equations[-1].status == "proved"


def test_a_one_hot_label_named_in_words_is_never_broken_by_a_counterexample():
    """"since y is a one-hot vector, it sums to 1" (no dollars): where the reading cannot apply it to y, a step
    that needs it is unverified, never refuted with labels that do not sum to one."""
    document = (r"$$ a_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\nSince y is a one-hot vector, it sums to 1:\n\n"
                r"$$ a_i \sum_j y_j - y_i = a_i - y_i \tag{2}$$")
    step = check(document).equations[-1].steps[0]
    assert step.status != "refuted", step.message


def test_two_letters_written_apart_by_a_layer_mark_are_not_refuted():
    """a_i and a_i^{(2)}, neither defined: the author may write one quantity both ways."""
    report = check(r"$$ y_i (1 - a_i) + 1 = y_i (1 - a_i^{(2)}) + 1 \tag{1}$$")
    assert report.equations[-1].status == "unverified"
    assert "written apart" in report.equations[-1].steps[0].message


SOFTMAX_OF_A = (r"$$H(Y, \sigma(A)) = - \sum_{i=1}^{C} Y_i \log(\sigma(A_i)) \tag{1}$$" "\n\n"
                r"$$\sigma(A_i) = \frac{e^{A_i}}{\sum_{j=1}^{C} e^{A_j}} \tag{2}$$" "\n\n")


def test_a_derivative_with_respect_to_an_expression_is_the_chain_rule_written_out():
    """d log(sigma(A_i)) / d sigma(A_i) = 1 / sigma(A_i): the operand depends on A only through sigma(A_i)."""
    report = check(SOFTMAX_OF_A + r"$$\frac{\partial \log(\sigma(A_i))}{\partial \sigma(A_i)} = \frac{1}{\sigma(A_i)}"
                   r" \tag{3}$$")
    assert report.equations[-1].status == "proved", report.equations[-1].message
    wrong = check(SOFTMAX_OF_A + r"$$\frac{\partial \log(\sigma(A_i))}{\partial \sigma(A_i)} = \sigma(A_i) \tag{3}$$")
    assert wrong.equations[-1].status == "refuted"


def test_a_derivative_in_an_expression_is_never_taken_where_the_operand_depends_on_it_otherwise():
    """d (A_i + sigma(A_i)) / d sigma(A_i) is not 1: A_i moves with it. Never proved, never refuted."""
    report = check(SOFTMAX_OF_A + r"$$\frac{\partial (A_i + \sigma(A_i))}{\partial \sigma(A_i)} = 1 \tag{3}$$")
    assert report.equations[-1].status == "unverified"


def test_a_label_that_is_one_for_the_true_class_and_zero_otherwise_sums_to_one():
    """"Since $Y_i$ can only be 1 for the true class and 0 otherwise": the final gradient needs it."""
    document = SOFTMAX_OF_A + ("Since $Y_i$ can only be 1 for the true class and 0 otherwise, this simplifies to:\n\n"
                               r"$$\frac{\partial H}{\partial A_i} = \sigma(A_i) - Y_i \tag{3}$$")
    assert check(document).equations[-1].status == "proved"


def test_a_loss_named_with_its_vector_and_a_definition_that_holds_only_in_a_case():
    """L(\\mathbf{p}) = ... defines L; "-\\sum_i \\log p_i where y_i = 1" holds only for the true class, so it is
    never read as L in general (that refuted the correct -y_j / p_j); the general definition after it is read."""
    case = (r"$$L(\mathbf{p}) = - \sum_i \log p_i \text{ where } y_i = 1 \tag{1}$$" "\n\n")
    general = r"$$L(\mathbf{p}) = - \sum_i y_i \log p_i \tag{2}$$" "\n\n"
    claim = r"$$\frac{\partial L}{\partial p_j} = -\frac{y_j}{p_j} \tag{3}$$"
    assert check(case + claim).equations[-1].status == "unverified"
    assert check(case + general + claim).equations[-1].status == "proved"
    assert check(general + claim.replace("-\\frac", "\\frac")).equations[-1].status == "refuted"


NETWORK = (r"$$o_1=f(h_1 u_{11} + h_2 u_{21}) \tag{1}$$" "\n\n" r"$$E = \frac{1}{2}(o_1 - t_1)^2 \tag{2}$$" "\n\n")


def test_an_activation_the_document_never_defines_is_any_function_and_f_prime_its_derivative():
    """f(h_1 u_11 + h_2 u_21) with f never defined: the chain rule with f' is proved for every f."""
    report = check(NETWORK + r"$$\frac{\partial E}{\partial u_{11}} = (o_1 - t_1) f'(h_1 u_{11} + h_2 u_{21}) h_1 \tag{3}$$")
    assert report.equations[-1].status == "proved"
    assert check(r"$$\frac{d}{dx} g(3x) = 3 g^\prime(3x) \tag{1}$$").equations[-1].status == "proved"


def test_a_wrong_step_with_an_unknown_function_is_refuted_only_when_false_with_two_activations():
    """The author's f may be one function the text never names: a step about it is refuted only when it is false
    with the sigmoid and with tanh in its place (eleventh session; before, never), and the message says so; where
    the text names another activation (linear, ReLU), never."""
    wrong = r"$$\frac{\partial E}{\partial u_{11}} = (o_1 - t_1) f'(h_1 u_{11} + h_2 u_{21}) h_2 \tag{3}$$"
    step = check(NETWORK + wrong).equations[-1].steps[0]
    assert step.status == "refuted" and "sigmoid" in step.message and "tanh" in step.message
    step = check("The hidden units use the ReLU.\n\n" + NETWORK + wrong).equations[-1].steps[0]
    assert step.status == "unverified" and "any function" in step.message


def test_the_derivative_of_a_function_the_document_defines_is_its_derivative():
    """sigma'(x) where the document defines sigma(x) = 1 / (1 + e^{-x})."""
    document = (r"$$\sigma(x) = \frac{1}{1 + e^{-x}} \tag{1}$$" "\n\n"
                r"$$\sigma'(x) = \sigma(x)(1 - \sigma(x)) \tag{2}$$")
    assert check(document).equations[-1].status == "proved"
    assert check(document.replace("(1 - \\sigma(x))", "(1 + \\sigma(x))")).equations[-1].status == "refuted"


SUMS = [
    ("a sum bound n that also names the last component (x_n): the vector's size",
     r"The input is $\mathbf{x} = \{ x_1, x_2, ..., x_n \}$." "\n\n" r"$$p_i = \frac{e^{x_i}}{\sum_j e^{x_j}} \tag{0}$$" "\n\n" r"$$L = -\sum_i y_i \log p_i \tag{1}$$" "\n\n"
     r"$$\frac{\partial L}{\partial x_i} = \sum_{k=1}^{n} \frac{\partial L}{\partial p_k} \frac{\partial p_k}{\partial x_i}"
     r" \tag{2}$$", "proved"),
    ("the same chain rule missing the last term",
     r"The input is $\mathbf{x} = \{ x_1, x_2, ..., x_n \}$." "\n\n" r"$$p_i = \frac{e^{x_i}}{\sum_j e^{x_j}} \tag{0}$$" "\n\n" r"$$L = -\sum_i y_i \log p_i \tag{1}$$" "\n\n"
     r"$$\frac{\partial L}{\partial x_i} = \sum_{k=1}^{n-1} \frac{\partial L}{\partial p_k} \frac{\partial p_k}{\partial x_i}"
     r" \tag{2}$$", "refuted"),
    ("a bare sum whose summand has two indices: over the one the display uses nowhere else",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n"
     r"$$\frac{dy_i}{dx_i} = \frac{\sum e^{x_d} e^{x_i} - e^{x_i} e^{x_i}}{(\sum_{d} e^{x_d})^2} \tag{2}$$", "proved"),
    ("bare sums on both sides of a fraction, beside the d of a derivative (dx_i is not a letter d)",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n"
     r"$$\frac{dy_i}{dx_i} = \frac{\sum e^{x_d} \cdot e^{x_i} - e^{x_i} \cdot e^{x_i}}{(\sum e^{x_d})^2} \tag{2}$$",
     "proved"),
    ("the same with a sign slipped",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n"
     r"$$\frac{dy_i}{dx_i} = \frac{\sum e^{x_d} \cdot e^{x_i} + e^{x_i} \cdot e^{x_i}}{(\sum e^{x_d})^2} \tag{2}$$",
     "refuted"),
    ("a sum of a vector written without its index (e^z), the display writing z_b: over its components",
     r"$$p_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial p_b}{\partial z_b} = \frac{e^{z_b} \sum e^z - (e^{z_b})^2}{(\sum_j e^{z})^2} \tag{2}$$", "proved"),
    ("the same with the square dropped",
     r"$$p_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial p_b}{\partial z_b} = \frac{e^{z_b} \sum e^z - e^{z_b}}{(\sum_j e^{z})^2} \tag{2}$$", "refuted"),
    ("a cases block inside a sum over its index is one summand",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n" r"$$L = -\sum_i t_i \log y_i \tag{2}$$" "\n\n"
     r"$$\frac{dL}{dx_j} = \sum_i \begin{cases} t_i (y_i - 1) & i=j \\ t_i y_j & i \ne j \end{cases} \tag{3}$$",
     "proved"),
    ("the same sum with the branches swapped",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n" r"$$L = -\sum_i t_i \log y_i \tag{2}$$" "\n\n"
     r"$$\frac{dL}{dx_j} = \sum_i \begin{cases} t_i y_j & i=j \\ t_i (y_i - 1) & i \ne j \end{cases} \tag{3}$$",
     "refuted"),
]


@pytest.mark.parametrize("name, document, status", SUMS, ids=[c[0] for c in SUMS])
def test_a_loosely_written_sum_is_read(name, document, status):
    report = check(document)
    assert report.equations[-1].status == status, [(s.status, s.message) for s in report.equations[-1].steps]


def test_definitions_joined_by_a_comma_and_a_name_given_at_the_end_are_read():
    """"where $g_i = e^{a_i}, h_i = \\sum_k e^{a_k} = \\Sigma$": three definitions in one inline formula."""
    document = ("By the quotient rule, where $g_i = e^{a_i}, h_i = \\sum^K_{k=1}e^{a_k} = \\Sigma$\n\n"
                r"$$\frac{\partial}{\partial a_j}h_i = e^{a_j} \tag{1}$$" "\n\n"
                r"$$\frac{\partial}{\partial a_j}\Sigma = e^{a_j} \tag{2}$$" "\n\n"
                r"$$\frac{\partial}{\partial a_i}g_i = 2 e^{a_i} \tag{3}$$")
    assert [e.status for e in check(document).equations] == ["proved", "proved", "refuted"]


def test_a_name_at_the_end_of_a_claim_is_never_a_definition():
    """Only a definition may name its right side: at the end of a claim, the letter keeps its own meaning."""
    document = (r"$$z = w x + b \tag{1}$$" "\n\n"
                r"$$\frac{\partial z}{\partial w} = \frac{\partial}{\partial w}(w x + b) = B \tag{2}$$")
    assert check(document).equations[-1].status != "proved"


TERM = r"$$f_i(m,b)=\frac{1}{n}(y_i-(mx_i + b))^2 \tag{1}$$" "\n\n"
OUTPUT_PRIMED = (r"$$net = xw+b \tag{1}$$" "\n\n" r"$${y}' = \sigma (net) \tag{2}$$" "\n\n"
                 r"where $\sigma(x) = \frac{1}{1 + e^{-x}}$ and $L = \frac{1}{2}(y - {y}')^2$." "\n\n")
IMPLIED = (r"$$ \frac{\partial  a_{i}}{\partial z_{i}}  = \frac{\partial}{\partial z_{i}} \frac{exp(z_{i})}"
           r"{\sum\limits_{k \in C}exp(z_{k})} \tag{1}$$" "\n\n")

#: Definitions as authors write them, and the status of a claim after them:
#: - ``f_i(m, b) = ...`` defines the i-th term f_i, a function of m and b; called with its own parameters it is f_i,
#:   with others it is not read;
#: - ``{y}' = \sigma(net)`` names the output y' beside the target y (a formula, no derivative): y' is a quantity, and
#:   ``{y}'(1-{y}')`` a product, not the derivative of a function y;
#: - ``\partial a_i / \partial z_i = \partial / \partial z_i F`` where the document never defines a: a_i is F (the
#:   display is its definition); ``softmax(z_i)`` without a backslash is the softmax; ``\sum_{k \in C}`` runs over the
#:   C classes.
RESTATED = (r"$$\sigma(x)_i \equiv \frac{\exp(x_i)}{\sum_j \exp(x_j)} \tag{1}$$" "\n\n"
            r"Let $\bar{x} = \max_i x_i$ and note that" "\n\n")
WRITTEN_OUT = (r"$$\begin{pmatrix} z_1 \\ z_2 \end{pmatrix} \rightarrow \begin{pmatrix} \frac{e^{z_1}}{e^{z_1} + e^{z_2}} \\"
               r" \frac{e^{z_2}}{e^{z_1} + e^{z_2}} \end{pmatrix} = \begin{pmatrix} a_1 \\ a_2 \end{pmatrix} \tag{1}$$" "\n\n")
SOFTMAX_OF_Z = r"$$\sigma(\mathbf{z})_i = \frac{e^{z_i}}{\sum^K_{j=1}e^{z_j}} \tag{1}$$" "\n\n"
DEFINED_AS_WRITTEN = [
    (SOFTMAX_OF_Z, r"\frac{\partial[\sigma(\mathbf{a})]_i}{\partial a_j} = \frac{\partial}{\partial a_j}\frac{e^{a_i}}"
                   r"{\sum^K_{k=1}e^{a_k}} = \sigma_i(1_{i=j} - \sigma_j)", "proved"),
    (SOFTMAX_OF_Z, r"\frac{\partial[\sigma(\mathbf{a})]_i}{\partial a_j} = \frac{\partial}{\partial a_j}\frac{e^{a_i}}"
                   r"{\sum^K_{k=1}e^{a_k}} = \sigma_i(1_{i=j} + \sigma_j)", "refuted"),
    (WRITTEN_OUT, r"\frac{\partial a_1}{\partial z_2} = -a_1 a_2", "proved"),
    (WRITTEN_OUT, r"\frac{\partial a_2}{\partial z_2} = a_2 (1 - a_2)", "proved"),
    (WRITTEN_OUT, r"\frac{\partial a_1}{\partial z_2} = a_1 a_2", "refuted"),
    (TERM, r"\frac{\partial f_i}{\partial m}=\frac{2}{n}(y_i-(mx_i + b))(-x_i)", "proved"),
    (TERM, r"\frac{\partial f_i}{\partial m}=\frac{2}{n}(y_i-(mx_i + b))x_i", "refuted"),
    (TERM, r"\frac{\partial f_i(m,b)}{\partial b}=-\frac{2}{n}(y_i-(mx_i + b))", "proved"),
    (TERM, r"\frac{\partial f_i(b,m)}{\partial b}=-\frac{2}{n}(y_i-(mx_i + b))", "unverified"),
    (OUTPUT_PRIMED, r"\frac{\partial {y}' }{\partial net} ={y}'(1-{y}')", "proved"),
    (OUTPUT_PRIMED, r"\frac{\partial L }{\partial w} =x {y}'(1-{y}') ({y}'-y)", "proved"),
    (OUTPUT_PRIMED, r"\frac{\partial L }{\partial w} =x {y}'(1-{y}') (y-{y}')", "refuted"),
    (IMPLIED, r"\frac{\partial  a_{i}}{\partial z_{i}} = [1 - softmax(z_{i})] softmax(z_{i})  = [1 - a_{i}]a_{i}",
     "proved"),
    (IMPLIED, r"\frac{\partial  a_{i}}{\partial z_{j}} = - softmax(z_{i})softmax(z_{j}) \quad \text{for } i \neq j",
     "proved"),
    (IMPLIED, r"\frac{\partial  a_{i}}{\partial z_{i}} = [1 + a_{i}]a_{i}", "refuted"),
]


@pytest.mark.parametrize("claim, status", [
    (r"\sigma(x)_{i}=\frac{\exp(x_{i}-\bar{x})}{\sum_{j}\exp(x_{j}-\bar{x})}", "proved"),
    (r"\log(\sigma(x)_{i})=x_{i}-\bar{x}-\log\left(\sum_{j}\exp(x_{j}-\bar{x})\right)", "proved"),
    (r"\sigma(x)_{i}=\frac{\exp(x_{i}-\bar{x})}{\sum_{j}\exp(x_{j})}", "unverified"),
])
def test_a_function_restated_then_shifted_by_a_constant_is_a_claim_about_it(claim, status):
    """After the author's own softmax, the same component with a constant of the document (the log-sum-exp shift)
    is a claim about that softmax, never a new definition of sigma. The wrong one is false unless the max is 0: the
    max is not read, so no counterexample may choose its value (unverified, never proved)."""
    last = check(RESTATED + "$$" + claim + r" \tag{2}$$").equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message


@pytest.mark.parametrize("head, claim, status", DEFINED_AS_WRITTEN)
def test_a_definition_as_its_author_wrote_it_is_read(head, claim, status):
    r"""The document's first display is a definition, the claim gets its status, and a message names the author's
    letters (never a parser placeholder such as ``\mathit{Qa}``)."""
    report = check(head + "$$" + claim + r" \tag{9}$$")
    assert report.equations[0].status == "definition"
    last = report.equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message
    assert "mathit" not in (last.message or "")


LOGISTIC_ONE = (r"$$s(t) = \frac{1}{1+e^{-t}} \tag{1}$$" "\n\n" r"$$\ell = -\log s(y w^T x) \tag{2}$$" "\n\n")
HESSIAN = (r"$$f(w) = \frac{1}{2}\|w\|^2 + \lambda \sum_{i=1}^n\log(1 + \exp(-y_iw^Tx_i)) \tag{1}$$" "\n\n"
           r"Let $$M_i = \exp(-y_iw^Tx_i) \tag{2}$$" "\n\n")


@pytest.mark.parametrize("document, status", [
    (HESSIAN + r"$$\frac{\partial f(w)}{\partial w_j} = w_j + \lambda \sum_{i=1}^n -x_{ij}y_i \frac{M_i}{1 + M_i} \tag{3}$$",
     "proved"),
    (HESSIAN + r"$$\frac{\partial f(w)}{\partial w_j} = 2 w_j + \lambda \sum_{i=1}^n -x_{ij}y_i \frac{M_i}{1 + M_i}"
     r" \tag{3}$$", "refuted"),
    (HESSIAN + r"$$\frac{\partial^2 f(w)}{\partial w_j \, \partial w_l} = \delta_{jl} + \lambda\sum_{i=1}^n x_{ij} x_{il}"
     r" y_i^2 \frac{M_i}{(1+M_i)^2} \tag{3}$$", "proved"),
    (LOGISTIC_ONE + r"$$\frac{\partial \ell}{\partial w} = -y x (1 - s(y w^T x)) \tag{3}$$", "proved"),
    (LOGISTIC_ONE + r"$$\frac{\partial \ell}{\partial \mathbf{w}} = y \mathbf{x} (1 - s(y \mathbf{w}^T \mathbf{x}))"
     r" \tag{3}$$", "refuted"),
])
def test_dot_products_norms_and_gradients_of_vectors_are_read_by_components(document, status):
    """``w^T x_i`` is the sum of w_k x_{ik}, ``\\|w\\|^2`` the sum of w_k^2, and a gradient with respect to w in a
    display with such products is read at one component (x becomes x_l where the derivative is taken in w_l)."""
    last = check(document).equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message


SOFTMAX_S = r"$$s_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"


@pytest.mark.parametrize("name, document, statuses", [
    ("a side not read leaves the steps between the others decided",
     SOFTMAX_S + r"$$\frac{\partial s_i}{\partial z_i} = \nabla (u^\intercal A) = s_i (1 - s_i) = s_i - s_i^2 \tag{2}$$",
     ["unverified", "unverified", "proved"]),
    ("the same chain with a sign slipped after the side not read",
     SOFTMAX_S + r"$$\frac{\partial s_i}{\partial z_i} = \nabla (u^\intercal A) = s_i (1 - s_i) = s_i + s_i^2 \tag{2}$$",
     ["unverified", "unverified", "refuted"]),
    ("a letter never defined, in a display with a side not read, is never given a value by a counterexample",
     r"$$\frac{\partial C}{\partial z_i} = (q_i - 1) = (\frac{e^{z_i}}{\sum_j e^{z_j}} - 1) \tag{2}$$",
     ["unverified", "unverified"]),
    ("a derivative written without the partial below (d/o_k) is the derivative in o_k",
     r"$$p_k = \frac{e^{o_k}}{\sum_i e^{o_i}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial L}{\partial o_k} = \frac{\partial}{o_k}(-\log(p_k)) = p_k - 1 \tag{2}$$", [None, "proved"]),
    ("a number written rounded to the places shown",
     r"$$L = -\log(0.245) = 1.406 \tag{2}$$", ["proved"]),
    ("a number that does not round to the places shown",
     r"$$L = -\log(0.245) = 1.416 \tag{2}$$", ["refuted"]),
    ("sum_{i != j} over j, the author's order (i is free outside the sum)",
     r"$$y_i = \frac{e^{x_i}}{\sum_d e^{x_d}} \tag{1}$$" "\n\n"
     r"$$-\sum_{c} t_c\frac{1}{y_c}\frac{\partial y_c}{\partial x_i} = -\frac{t_i}{y_i}\frac{\partial y_i}{\partial x_i}"
     r"-\sum_{i \neq j} \frac{t_j}{y_j}\frac{\partial y_j}{\partial x_i} \tag{2}$$", ["proved"]),
])
def test_a_display_read_in_part_or_written_loosely_is_decided_where_it_can_be(name, document, statuses):
    """Steps between sides that are read are decided; a step next to a side not read is unverified (None: any)."""
    last = check(document).equations[-1]
    got = [s.status for s in last.steps] if last.steps else [last.status]
    assert len(got) == len(statuses) and all(w is None or w == g for w, g in zip(statuses, got)), \
        [(s.status, s.message) for s in last.steps] or last.message


def test_boxes_side_by_side_are_a_row_never_a_product():
    """``o = \\boxed{2}\\boxed{3}\\boxed{4}`` writes a vector out: never the number 24."""
    report = check(r"$$o = \boxed{2}\boxed{3}\boxed{4} \tag{1}$$" "\n\n" r"$$o = 24 \tag{2}$$")
    assert report.equations[-1].status != "proved"


def test_a_definition_that_uses_its_own_index_as_a_number_is_not_read():
    """``p_j = e^j / \\sum_i e^i`` (an author's slip for e^{o_j}): j is an index, never a number a counterexample
    chooses; a later step that needs p is unverified, not refuted."""
    report = check(r"$$p_j = \frac{e^j}{\sum_{i} e^i} \tag{1}$$" "\n\n"
                   r"$$\frac{1}{p_k} \frac{e^{o_k}}{\sum_i e^{o_i}} = 1 \tag{2}$$")
    assert report.equations[-1].status != "refuted"


def test_marks_around_terms_and_a_function_named_in_words_are_read():
    """\\require{cancel}, \\cancel{...} and \\underbrace{...}_{label} keep the term they mark; \\text{Cost}(...) is a
    call of Cost (a function the document defines), never prose cut off the side."""
    report = check(r"$$ \require{cancel} h(t) = \frac{1}{1 + e^{-t}} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial}{\partial t}\log h(t) = \frac{1}{\cancel{h(t)}} \cancel{h(t)} (1 - h(t))"
                   r" = \underbrace{1 - h(t)}_{\text{Part I}} \tag{2}$$")
    assert report.equations[0].status == "definition"
    assert [s.status for s in report.equations[-1].steps] == ["proved", "proved"], report.equations[-1]
    from symsoft.parse.latex import normalize_latex
    assert normalize_latex(r"J = \frac{1}{m} \sum_{i=1}^{m} \text{Cost}(h, y)")[1] == ""


COURSE_COST = (r"$$h_{\theta}(x^{(i)}) = \frac{1}{1 + e^{-\theta_0 - \theta_1 x^{(i)}}} \tag{1}$$" "\n\n"
               r"$$J(\theta) = \frac{1}{m} \sum_{i=1}^{m} \text{Cost}(h_{\theta}(x^{(i)}), y^{(i)}) \tag{2}$$" "\n\n"
               r"$$\text{Cost}(h_{\theta}(x^{(i)}), y^{(i)}) = -y^{(i)} \log( h_{\theta}(x^{(i)}) ) - (1-y^{(i)})"
               r" \log(1-h_{\theta}(x^{(i)})) \tag{3}$$" "\n\n")


@pytest.mark.parametrize("claim, status", [
    (r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} )", "proved"),
    (r"\frac{\partial J}{\partial \theta_1} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) x^{(i)}",
     "proved"),
    (r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^{m} ( y^{(i)} - h_{\theta}(x^{(i)}) )", "refuted"),
    # the same letter in another shape (the model with n features): not refuted, the author generalises
    (r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) x_{j}^{(i)}",
     "unverified"),
])
def test_a_function_of_expressions_the_course_defines_after_its_use_is_read(claim, status):
    """``Cost(h_\\theta(x^{(i)}), y^{(i)}) = ...`` defines Cost as a function of two arguments, even after J uses it."""
    report = check(COURSE_COST + "$$" + claim + r" \tag{9}$$")
    assert [e.status for e in report.equations[:3]] == ["definition"] * 3
    last = report.equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message


MEAN = (r"Notation: $x_{ij}$ is feature $j$ of sample $i$, the label is $y_i \in \{0, 1\}$, and $p_i = \sigma(z_i)$"
        r" with $\sigma(z) = \frac{1}{1 + e^{-z}}$ and" "\n\n" r"$$z_i = \sum_{j} w_j x_{ij} + b \tag{1}$$" "\n\n"
        r"$$J(w, b) = -\frac{1}{N} \sum_{i} \left[ y_i \ln p_i + (1 - y_i) \ln(1 - p_i) \right] \tag{2}$$" "\n\n")


@pytest.mark.parametrize("claim, status", [
    (r"\frac{\partial J}{\partial b} = \frac{1}{N}\sum_i (p_i - y_i)", "proved"),
    (r"\frac{\partial J}{\partial b} = \sum_i (p_i - y_i)", "refuted"),  # the 1/N dropped
])
def test_a_mean_over_a_sum_without_bounds_runs_over_its_n_terms(claim, status):
    """``\\frac{1}{N} \\sum_i`` with no bounds: the sum runs over the N terms it averages, so a dropped 1/N is found."""
    last = check(MEAN + "$$" + claim + r" \tag{3}$$").equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message


def test_an_ascii_arrow_is_an_implication():
    """``f(x) = 3x^4 -> f'(x) = 12x^3``: the example's hypothesis is not a claim about the document's f."""
    report = check(r"$$f(x) = x^2 \tag{1}$$" "\n\n" r"$$f(x) = 3x^4 + 2x^{2} -> f'(x) = 12x^3 + 4x \tag{2}$$")
    assert report.equations[-1].status == "unverified"


@pytest.mark.parametrize("claim, status", [
    (r"\frac{\partial E(\vec{w})}{\partial w_1} = \sum_{n=1}^N (w_1 x_n + w_2 - t_n) x_n", "proved"),
    (r"\frac{\partial E(\vec{w})}{\partial w_2} = 2\sum_{n=1}^N (w_1 x_n + w_2 - t_n)", "refuted"),
])
def test_a_quantity_written_with_its_vector_argument_is_the_quantity(claim, status):
    """``E(\\vec{w})``, ``J(\\mathbf{w}, b)``: the quantity the document defines, written with its arguments."""
    last = check(r"$$E(\vec{w}) = \frac{1}{2}\sum_{n=1}^N (w_1 x_n + w_2 - t_n)^2 \tag{1}$$" "\n\n"
                 "$$" + claim + r" \tag{2}$$").equations[-1]
    assert last.status == status, [(s.status, s.message) for s in last.steps] or last.message
