r"""A small network worked by hand, as forum posts write it: the forward pass as one aligned display whose rows each
define a new quantity (``net_1 &= x w_1 + b \\ h &= \sigma(net_1) \\ ...``), the sigmoid named without its
argument (``\sigma = \frac{1}{1 + e^{-x}}``), the output called ``y'`` (a name, not a derivative: ``y'(1 - y')`` is
a product), a row ending with a comma.

And the soundness trap met on the way: a quantity opened in a variable written both bare and with a component
number (``w_1``, ``w_2``) was made a function of the bare letter only, so its own dependence on ``w_2`` vanished and
a chain rule that leaves it out was "proved".
"""

from __future__ import annotations

from checked import statuses, verdicts

FORWARD = (r"$$\begin{align} net_1 &= xw_{1}+b \\ h &= \sigma (net_1) \\ net_2 &= hw_{2}+b \\ {y}' &= \sigma (net_2),"
           r" \end{align} \tag{1}$$" "\n\n"
           r"where $$\sigma = \frac{1}{1 + e^{-x}} \tag{2}$$ (sigmoid)." "\n\n")


def test_every_row_of_an_aligned_forward_pass_is_a_definition():
    got = statuses(FORWARD + r"$$\frac{\partial h}{\partial net_1} = h(1-h) \tag{3}$$")
    assert got["1"] == "definition"
    assert got["2"] == "definition"
    assert got["3"] == "proved"


def test_the_later_rows_are_used_as_definitions():
    got = statuses(FORWARD + r"$$\frac{\partial {y}'}{\partial w_1} = {y}'(1-{y}') w_2 h (1 - h) x \tag{3}$$" "\n\n"
                   r"$$\frac{\partial {y}'}{\partial w_1} = {y}'(1-{y}') w_2 h x \tag{4}$$")
    assert got["3"] == "proved"
    assert got["4"] == "refuted"


def test_a_row_that_defines_then_claims_is_checked_after_its_definition():
    got = verdicts(r"$$\begin{align} a &= 2x \\ b &= a + x = 3x + 1 \end{align} \tag{1}$$")
    assert got["1"].status == "refuted"


def test_a_function_named_without_its_argument():
    got = statuses(r"$$h = \sigma(a) \tag{1}$$" "\n\n" r"where $$\sigma = \frac{1}{1 + e^{-t}} \tag{2}$$" "\n\n"
                   r"$$\frac{\partial h}{\partial a} = h(1 - h) \tag{3}$$" "\n\n"
                   r"$$\frac{\partial h}{\partial a} = h(1 + h) \tag{4}$$")
    assert got["2"] == "definition"
    assert (got["3"], got["4"]) == ("proved", "refuted")


def test_a_formula_of_two_letters_is_no_function_named_without_argument():
    got = statuses(r"$$h = \sigma(a) \tag{1}$$" "\n\n" r"$$\sigma = \frac{1}{1 + e^{-t s}} \tag{2}$$" "\n\n"
                   r"$$\frac{\partial h}{\partial a} = h(1 - h) \tag{3}$$")
    assert got["3"] != "proved"


def test_a_primed_output_times_a_bracket_is_a_product():
    got = verdicts(FORWARD + r"$$\frac{\partial {y}' }{\partial net_2} ={y}'(1-{y}') \tag{3}$$")
    assert got["3"].status == "proved"


def test_a_quantity_opened_in_a_numbered_component_keeps_its_own_dependence_on_it():
    # L is not read (a bare sum): it may depend on w_2 directly as well as through y'
    text = (r"$$\begin{align} n &= h w_{2}+b \\ y' &= \sigma (n) \end{align} \tag{1}$$" "\n\n"
            r"where $$\sigma(x) = \frac{1}{1 + e^{-x}} \tag{2}$$ and $$L=\frac{1}{2}\sum(y-{y}')^{2} \tag{3}$$" "\n\n"
            r"$$ \frac{\partial L}{\partial w_2} = \frac{\partial n}{\partial w_2} \frac{\partial y'}{\partial n}"
            r" \frac{\partial L}{\partial y'} \tag{4}$$")
    got = verdicts(text)
    assert got["4"].status != "proved"
    assert "L" in got["4"].message + " ".join(s.message or "" for s in got["4"].steps)


def test_a_sentence_that_defines_a_quantity_again_blocks_refutations_resting_on_the_first():
    # eta = log(lambda) in a display, later "we let $\eta = \theta x$": e^eta = e^{theta x} holds with the second
    text = (r"$$\eta = \log(\lambda) \tag{1}$$" "\n\n"
            r"Now we let $\eta = \theta x$ for the rest." "\n\n"
            r"$$e^{\eta} = e^{\theta x} \tag{2}$$")
    got = verdicts(text)
    assert got["2"].status != "refuted"
    assert "also writes it otherwise" in (got["2"].message or "") + " ".join(s.message or "" for s in got["2"].steps)


def test_a_sentence_that_restates_the_definition_changes_nothing():
    text = (r"$$\eta = \log(\lambda) \tag{1}$$" "\n\n"
            r"Recall $\eta = \log(\lambda)$ here." "\n\n"
            r"$$e^{\eta} = 2 \lambda \tag{2}$$")
    assert verdicts(text)["2"].status == "refuted"


def test_a_value_given_to_a_function_s_variable_blocks_refutations_with_it_left_free():
    text = (r"$$g(\eta) = e^{\eta} \tag{1}$$" "\n\n"
            r"We let $\eta = \theta x$." "\n\n"
            r"$$e^{\eta} = e^{\theta x} \tag{2}$$")
    assert verdicts(text)["2"].status != "refuted"
