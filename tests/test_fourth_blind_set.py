r"""What a fourth blind set of real derivations showed (files 72-77 of the corpus, written by helpers who never ran
the checker): the course's bracket ``\frac{-1}{m}[\sum_i y^{(i)} \log h + (1 - y^{(i)}) \log(1 - h)]`` with h defined
after it; and false alarms on a remark after ``\qquad when``, on a result set in bold, on layer numbers written as
superscript digits (``z_0^{3}``), on decimals rounded inside an expression, on a quantity defined at one fixed
component and applied at another, and on repeated indices under the Einstein convention.
"""

from __future__ import annotations

from checked import statuses, verdicts
from symsoft.parse.latex import normalize_latex


def test_a_sum_runs_over_the_terms_that_use_its_index():
    got = statuses(r"$$J(\theta)=\frac{-1}{m}[\sum_{i=1}^{m}y^{(i)}\log h_{\theta}(x^{(i)})+(1-y^{(i)})\log(1-h_{\theta}"
                   r"(x^{(i)}))]\tag{1}$$" "\n\n"
                   r"Here, $h_{\theta}=\frac{1}{1+e^{-\theta x}}$ and $x^{(i)}, y^{(i)}$ is the $i^{th}$ observation." "\n\n"
                   r"$$\frac{\partial J}{\partial \theta}=\frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}\tag{2}$$"
                   "\n\n"
                   r"$$\frac{\partial J}{\partial \theta}=\frac{1}{m}\sum_{i=1}^m (y^{(i)} - h_\theta(x^{(i)})) x^{(i)}\tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_sum_index_written_free_beside_the_sum_keeps_the_sum_as_written():
    got = verdicts(r"$$s_i = \frac{e^{x_i}}{\sum_k e^{x_k}} \tag{1}$$" "\n\n"
                   r"Now the off-diagonal entries, where $j \neq i$." "\n\n"
                   r"$$\frac{\partial s_i}{\partial x_j} = \frac{\sum_j e^{x_j} \cdot 0 - e^{x_i} e^{x_j}}{(\sum_j e^{x_j})^2}"
                   r" \tag{2}$$")
    assert got["2"].status == "proved"  # the sum over j is e^{x_j} alone: the second term's j is the free one


def test_a_remark_after_a_wide_space_is_no_step_of_the_chain():
    got = verdicts(r"$$s_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
                   r"$$\begin{aligned} \frac{\partial s_1}{\partial z_1} &= \frac{e^{z_1} \sum_k e^{z_k} - e^{z_1} e^{z_1}}"
                   r"{(\sum_k e^{z_k})^2} \qquad when\: g = e^{z_1},\quad g' = e^{z_1} \\"
                   r" &= s_1 (1 - s_1) \end{aligned} \tag{2}$$")
    assert [step.status for step in got["2"].steps] == ["proved", "proved"]


def test_a_result_set_in_bold_is_the_formula():
    got = statuses(r"$$s_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
                   r"$$\frac{e^{z_1}}{\sum_k e^{z_k}} (1 - \frac{e^{z_1}}{\sum_k e^{z_k}}) = \mathbf{s_1 (1 - s_1)} \tag{2}$$")
    assert got["2"] == "proved"


def test_a_digit_above_a_letter_that_is_differentiated_numbers_a_layer():
    got = verdicts(r"$$s_{0}^{3} = \frac{e^{z_{0}^{3}}}{\sum_{k=0}^{2} e^{z_{k}}} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial s_{0}^{3}}{\partial z_{0}^{3}} = \frac{e^{z_{0}^{3}}}{\sum_{k=0}^{2} e^{z_{k}}}"
                   r" (1 - \frac{e^{z_{0}^{3}}}{\sum_{k=0}^{2} e^{z_{k}}}) \tag{2}$$")
    assert got["2"].status != "refuted"  # z_0^{3} is no cube of z_0


def test_a_decimal_rounded_inside_an_expression_is_not_a_mistake():
    got = verdicts(r"$$C = -(1) \log(0.4) + -(0) \log(0.5) = -(1) (-0.916) = 0.916 \tag{1}$$" "\n\n"
                   r"$$D = -(1) \log(0.4) = -(1) (-0.8) \tag{2}$$")
    assert [step.status for step in got["1"].steps][-2:] == ["unverified", "proved"]
    assert got["2"].steps[-1].status == "refuted"  # 0.916 is not 0.8 at any rounding


def test_a_quantity_defined_at_one_fixed_component_is_not_read_at_another():
    got = verdicts(r"$log([S(y)]_w)$ where" "\n\n"
                   r"$$[S(y)]_w = \frac{e^{y_w}}{\sum_j e^{y_j}} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial log([S(y)]_w)}{\partial y_i} = \begin{cases} -[S(y)]_i & w\neq i \\ 1 - [S(y)]_i & w = i"
                   r" \end{cases} \tag{2}$$")
    assert got["2"].status != "refuted"


def test_repeated_indices_are_summed_only_where_the_prose_says_so():
    body = (r"$$v_d = \sum_{i=1}^{n} h_i W_{id} \tag{1}$$" "\n\n"
            r"$$\frac{\partial v_d}{\partial W_{cd}} = h_i \delta_{ic} \tag{2}$$")
    assert verdicts(body)["2"].status == "refuted"  # i free: false when c != i
    einstein = verdicts("We use the Einstein summation convention: a repeated index is summed.\n\n" + body)
    assert einstein["2"].status == "unverified" and "Einstein" in einstein["2"].steps[0].message


def test_a_one_hot_vector_named_by_its_membership_in_any_word_order():
    # a fifth blind set (files 78-83): Japanese slides write "$q \in \mathbb{R}^m$ を $y_i$ の one-hot vector とする"
    body = (r"$$\begin{align*} & -\sum_{k=1}^m q_k \log \left( \frac{\exp(z_k)}{\sum_{j=1}^m \exp(z_j)} \right) \\"
            r" = &- \sum_{k=1}^m q_k z_k + \log(\sum_{j=1}^m \exp(z_j)) \end{align*} \tag{1}$$")
    assert verdicts(r"$q \in \mathbb{R}^m$を$y_i$のone-hot vectorとする." "\n\n" + body)["1"].status != "refuted"
    assert verdicts(r"Let $q_k$ be weights and $z_k$ the logits." "\n\n" + body)["1"].status == "refuted"  # sum not 1


def test_bigtriangledown_is_nabla():
    assert normalize_latex(r"\bigtriangledown_{\theta^{(k)}} J(\theta)")[0].startswith("\\nabla")
