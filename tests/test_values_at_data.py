r"""A number that is no integer, claimed for an expression of letters the step gives no value (``E' = -10/3`` after a
table of samples, ``\sigma(z) = 0.5``), is a value at particular data given elsewhere: never refuted at other
values. Identities written with integers (``\sum_k p_k = 1``) and numbers alone (``\sigma(0) = 0.3``) are decided.
"""

from __future__ import annotations

from checked import statuses



def test_a_value_at_data_is_not_refuted_but_numbers_and_identities_are_decided():
    text = (r"The sigmoid is $\sigma(z) = \frac{1}{1+e^{-z}}$." "\n\n"
            r"$$\sigma(z) = 0.5 \tag{1}$$" "\n\n"
            r"$$\sigma(0) = 0.3 \tag{2}$$" "\n\n"
            r"$$\sigma(z) + \sigma(-z) = 1 \tag{3}$$" "\n\n"
            r"$$\sigma(z) + \sigma(-z) = 2 \tag{4}$$")
    assert statuses(text) == {"1": "unverified", "2": "refuted", "3": "proved", "4": "refuted"}
