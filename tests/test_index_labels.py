r"""An index that only names an example (``E_n``, the error of example n, defined without n on its right side) is a
label: a definition that uses it (``\delta_k = \frac{\partial E_n}{\partial a_k}``) is read, n set to any value.
And ``h'(a)`` with h any function and a defined: held until a has its value (it used to fail to evaluate).
"""

from __future__ import annotations

from checked import verdicts

NETWORK = (r"$$a_k = \sum_j w_{kj} x_j \tag{1}$$" "\n\n"
           r"$$E_n = \frac{1}{2} \sum_k (a_k - t_k)^2 \tag{2}$$" "\n\n")


def test_a_definition_through_a_labelled_error_is_read():
    got = verdicts(NETWORK + r"$$\delta_k = \frac{\partial E_n}{\partial a_k} \tag{3}$$" "\n\n"
                   r"$$\frac{\partial E_n}{\partial w_{kj}} = \delta_k x_j \tag{4}$$" "\n\n"
                   r"$$\frac{\partial E_n}{\partial w_{kj}} = \delta_k x_k \tag{5}$$")
    assert got["3"].status == "definition"
    assert got["4"].status == "proved"
    assert got["5"].status == "refuted"


def test_an_index_the_definition_depends_on_is_no_label():
    # E_n depends on n here (its targets t_{nk}): delta_k would need n, so it is not read as defined
    text = (r"$$a_k = \sum_j w_{kj} x_j \tag{1}$$" "\n\n"
            r"$$E_n = \frac{1}{2} \sum_k (a_k - t_{nk})^2 \tag{2}$$" "\n\n"
            r"$$\delta_k = \frac{\partial E_n}{\partial a_k} \tag{3}$$" "\n\n"
            r"$$\delta_k = a_k - t_{1k} \tag{4}$$")
    assert verdicts(text)["4"].status != "proved"


def test_the_derivative_of_any_function_at_a_defined_quantity_is_held():
    got = verdicts(r"$$a = w x + b \tag{1}$$" "\n\n" r"$$z = h(a) \tag{2}$$" "\n\n"
                   r"$$h'(a) = 1 - \tanh^2(a) \tag{3}$$" "\n\n"
                   r"$$\frac{\partial z}{\partial w} = h'(a) x \tag{4}$$")
    assert got["3"].status == "unverified"
    assert "any function" in got["3"].message + " ".join(s.message or "" for s in got["3"].steps)
    assert got["4"].status == "proved"
