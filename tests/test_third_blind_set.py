r"""What a third blind set of real derivations showed (files 63-71 of the corpus, written by helpers who never ran
the checker): false alarms on an activation note that reuses f in every section, on two equations set side by side
with ``\qquad``, on a letter the display itself names (``\sigma_{x,y}``), on a layer written ``W^{(2)}`` and then
``W_2``, on a product of two columns written for the elementwise product, on two displays sharing a line, on
``\ log \ `` written for the logarithm, and on an off-diagonal entry under a sum over ``t \neq i``; and notation not
read: ``\exp^{x}``, "When i = j:" in plain words, ``h_\theta(x)`` and ``f_{\vec{w},b}(x)``, Unicode Greek letters.
"""

from __future__ import annotations

from checked import statuses, verdicts


def test_a_function_defined_again_in_each_section_holds_in_its_section():
    got = statuses("## Tanh\n\n"
                   r"$$f(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = 1 - f^2(x) \tag{2}$$" "\n\n"
                   "## ReLU\n\n"
                   r"$$f(x) = \max(x, 0) \tag{3}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases} \tag{4}$$"
                   "\n\n## SoftPlus\n\n"
                   r"$$f(x) = \log(1 + e^x) \tag{5}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = \frac{e^x}{1 + e^x} \tag{6}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = \frac{1}{1 + e^x} \tag{7}$$")
    assert got == {"1": "definition", "2": "proved", "3": "definition", "4": "proved", "5": "definition",
                   "6": "proved", "7": "refuted"}


def test_a_function_restated_after_a_heading_is_a_claim():
    got = statuses(r"$$f(x) = \frac{1}{1 + e^{-x}} \tag{1}$$" "\n\n## Another form\n\n"
                   r"$$f(x) = \frac{e^x}{1 + e^x} \tag{2}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = f(x)(1 - f(x)) \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "proved"}


def test_two_equations_side_by_side_are_two_equations():
    got = verdicts(r"$$y_i = b_0 + b_1 x_i \tag{1}$$" "\n\n"
                   r"$$u = \frac{1}{n} \sum_{i=1}^n x_i \qquad v = u + 1 \tag{2}$$" "\n\n"
                   r"$$v - u = 1 \tag{3}$$")
    assert got["2"].status in ("definition", "proved")
    assert got["3"].status == "proved"


def test_a_letter_the_display_writes_first_and_never_defines_is_not_refuted():
    got = verdicts(r"$$\hat{b} = \frac{\sum_{i=1}^n x_i y_i}{\sum_{i=1}^n x_i^2} \tag{1}$$" "\n\n"
                   r"$$\hat{b} = \frac{\sigma_{x,y}}{\sigma_x^2} \tag{2}$$" "\n\n"
                   r"$$\hat{b} = \frac{\sum_{i=1}^n y_i}{\sum_{i=1}^n x_i} \tag{3}$$")
    assert got["2"].status == "unverified"
    assert "first written in this display" in got["2"].steps[0].message
    assert got["3"].status == "refuted"  # x and y were written before: a claim about them


def test_a_layer_written_above_and_below_is_not_two_quantities():
    got = verdicts(r"$$z = W^{(2)} h + b^{(2)} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial z}{\partial h} = W_2 \tag{2}$$")
    assert got["2"].status == "unverified"
    assert "written apart" in got["2"].steps[0].message


def test_a_product_of_two_columns_may_be_elementwise():
    got = verdicts(r"Let $a \in \mathbb{R}^{n}$ and $h = \sigma(a)$." "\n\n"
                   r"$$\frac{\partial h}{\partial a} = \sigma(a)(1 - \sigma(a)) \tag{1}$$")
    assert got["1"].status != "refuted"


def test_two_displays_on_one_line_are_told_apart():
    got = statuses(r"$$C = -\sum_i y_i \log \hat y_i \tag{1}$$" "\n\n"
                   r"Given: $$\frac{\partial C}{\partial z} = y - \hat y \tag{2}$$ where $$z = W h + b \tag{3}$$")
    assert got["2"] != "definition"
    assert got["3"] == "definition"


def test_log_written_without_its_backslash_is_the_logarithm():
    got = statuses(r"$$\frac{\partial }{\partial \hat{y}_i} \left(- \sum_u y_u \ log \ \hat{y}_u \right)"
                   r" = -\frac{y_i}{\hat{y}_i} \tag{1}$$")
    assert got == {"1": "proved"}


def test_an_entry_under_a_sum_over_other_indices_is_not_refuted_for_the_diagonal():
    text = (r"$$\hat{y}_k = \frac{e^{z_k}}{\sum_u e^{z_u}} \tag{1}$$" "\n\n"
            r"$$\frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i}"
            r" + \sum_{t \neq i} \frac{\partial L}{\partial \hat{y}_t} \frac{\partial \hat{y}_t}{\partial z_i} \tag{2}$$" "\n\n"
            r"$$\frac{\partial \hat{y}_t}{\partial z_i} = -\hat{y}_t \hat{y}_i \tag{3}$$")
    assert verdicts(text)["3"].status == "unverified"
    alone = (r"$$\hat{y}_k = \frac{e^{z_k}}{\sum_u e^{z_u}} \tag{1}$$" "\n\n"
             r"$$\frac{\partial \hat{y}_t}{\partial z_i} = -\hat{y}_t \hat{y}_i \tag{3}$$")
    assert verdicts(alone)["3"].status == "refuted"  # the classic missing delta: still found


def test_exp_with_a_power_is_e_to_that_power():
    got = statuses(r"$$f(x_j) = \frac{\exp^{x_j}}{\sum_{k}^{n} \exp^{x_k}} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial f(x_j)}{\partial x_j} = f(x_j)(1 - f(x_j)) \tag{2}$$")
    assert got == {"1": "definition", "2": "proved"}


def test_a_condition_in_plain_words_opens_the_case():
    got = statuses(r"$$p_j = \frac{e^{x_j}}{\sum_k e^{x_k}} \tag{1}$$" "\n\nWhen i = j:\n\n"
                   r"$$\frac{\partial p_j}{\partial x_i} = p_i (1 - p_i) \tag{2}$$" "\n\nSo:\n\n"
                   r"$$\frac{\partial p_j}{\partial x_i} = \frac{e^{x_i} \sum_k e^{x_k} - e^{x_j} e^{x_i}}{(\sum_k e^{x_k})^2}"
                   r" \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "proved"}


def test_a_hypothesis_named_with_its_parameters():
    greek = statuses(r"$$h_\theta(x) = \theta_0 + \theta_1 x \tag{1}$$" "\n\n"
                     r"$$J(\theta_0, \theta_1) = \frac{1}{2m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2 \tag{2}$$" "\n\n"
                     r"$$\frac{\partial J}{\partial \theta_1} = \frac{1}{m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}"
                     r" \tag{3}$$" "\n\n"
                     r"$$\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}"
                     r" \tag{4}$$")
    assert greek == {"1": "definition", "2": "definition", "3": "proved", "4": "refuted"}
    latin = statuses(r"$$f_{\vec{w},b}(x) = w x + b \tag{1}$$" "\n\n"
                     r"$$J(w,b) = \frac{1}{2m} \sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)})^2 \tag{2}$$" "\n\n"
                     r"$$\frac{\partial J(w,b)}{\partial b} = \frac{1}{m} \sum_{i=1}^m (f_{w,b}(x^{(i)}) - y^{(i)}) \tag{3}$$")
    assert latin == {"1": "definition", "2": "definition", "3": "proved"}


def test_a_bare_sum_sums_over_the_letter_the_display_does_not_leave_free():
    got = verdicts(r"$$p_k = \frac{e^{o_k}}{\sum_j e^{o_j}} \tag{1}$$" "\n\n"
                   r"$$\begin{align} L &= - \sum_i y_i \log(p_i) \\"
                   r" \frac{\partial L}{\partial o_i} &= - \sum_k y_k \frac{\partial \log(p_k)}{\partial o_i} \\"
                   r" &= - \sum y_k \frac{1}{p_k} \times \frac{\partial p_k}{\partial o_i} \end{align} \tag{2}$$")
    assert [step.status for step in got["2"].steps][-1] == "proved"  # \sum y_k ... over k, never over the free i


def test_greek_letters_pasted_as_unicode():
    got = statuses(r"$$f(x) = α x + β \tag{1}$$" "\n\n" r"$$\frac{d f}{d x} = α \tag{2}$$" "\n\n"
                   r"$$\frac{d f}{d x} = β \tag{3}$$")
    assert got == {"1": "definition", "2": "proved", "3": "refuted"}


def test_a_function_defined_by_the_sign_of_its_variable():
    got = verdicts(r"$$f(x) = \begin{cases} x & x > 0 \\ \alpha x & \text{otherwise} \end{cases} \tag{1}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha & \text{otherwise} \end{cases}"
                   r" \tag{2}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = \begin{cases} \alpha & x > 0 \\ 1 & \text{otherwise} \end{cases}"
                   r" \tag{3}$$" "\n\n"
                   r"$$\frac{\partial f}{\partial x} = 1 \tag{4}$$")
    assert got["1"].status == "definition"
    assert [step.status for step in got["2"].steps] == ["proved", "proved"]
    assert [step.status for step in got["3"].steps] == ["refuted", "refuted"]
    assert got["4"].status == "unverified"  # no case said: which row is meant is not read


def test_a_sum_written_out_for_two_classes_is_not_refuted_with_three():
    got = verdicts(r"$$\hat{y}_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
                   r"$$\frac{0 - e^{z_1} e^{z_2}}{(e^{z_1} + e^{z_2})^2} = - \hat{y}_1 \hat{y}_2 \tag{2}$$" "\n\n"
                   r"$$\frac{e^{z_1} e^{z_2}}{(e^{z_1} + e^{z_2})^2} = - \hat{y}_1 \hat{y}_2 \tag{3}$$")
    assert got["2"].status == "unverified" and "writes out" in got["2"].steps[0].message
    assert got["3"].status == "refuted"
