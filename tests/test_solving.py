r"""Steps of solving a condition set to zero ("taking derivatives and setting equal to zero"): a step that is the
condition times a factor is proved to hold at the solution; a step that is not, or that solves a condition whose
derivative is wrong, is never proved.
"""

from __future__ import annotations

from checked import verdicts

_LIKELIHOOD = (r"$$l(\mu, \sigma) = -\frac{n}{2}\ln(2\pi) - \frac{n}{2}\ln(\sigma^2)"
               r" - \frac{1}{2}\sum(x_{i}-\mu)^{2}\sigma^{-2} \tag{1}$$" "\n\n"
               "Taking derivatives and setting equal to zero, we can solve for the MLE.\n\n")



def test_steps_that_are_the_condition_times_a_factor_are_proved_at_the_solution():
    text = _LIKELIHOOD + (r"$$\frac{dl(\mu, \sigma)}{d\sigma} = -n\sigma^{-1} + \sum(x_{i}-\mu)^{2}\sigma^{-3} = 0 \tag{2}$$"
                          "\n\n" r"$$-n\sigma^2 + \sum(x_{i}-\mu)^{2} = 0 \tag{3}$$" "\n\n"
                          r"$$\sigma^{2}=\frac{\sum(x_{i}-\mu)^{2}}{n} \tag{4}$$")
    found = verdicts(text)
    assert [s.status for s in found["2"].steps] == ["proved", "proved"]
    assert found["3"].status == "proved" and found["4"].status == "proved"
    assert "times \\sigma^{3}" in " ".join(found["3"].steps[0].facts)


def test_a_wrong_step_of_solving_is_not_proved():
    text = _LIKELIHOOD + (r"$$\frac{dl(\mu, \sigma)}{d\sigma} = -n\sigma^{-1} + \sum(x_{i}-\mu)^{2}\sigma^{-3} = 0 \tag{2}$$"
                          "\n\n" r"$$\sigma^{2}=\frac{\sum(x_{i}-\mu)^{2}}{2n} \tag{3}$$")
    assert verdicts(text)["3"].status == "unverified"


def test_solving_a_wrong_derivative_proves_nothing():
    # the derivative is wrong (the asker's algebra): what follows from it is consistent with it, and still not proved
    text = _LIKELIHOOD + (r"$$\frac{dl(\mu, \sigma)}{d\sigma}=\frac{-n\sigma ^{3}+2\sigma ^{2}\sum(x_{i}-\mu)^{2}}"
                          r"{2\sigma ^{5}}=0 \tag{2}$$" "\n\n" r"$$\sigma ^{2}=\frac{\sigma ^{3}n}{2\sum(x_{i}-\mu)^{2}} \tag{3}$$")
    found = verdicts(text)
    assert found["2"].steps[0].status == "refuted"
    assert found["2"].steps[1].status != "proved" and found["3"].status != "proved"



def test_a_display_not_read_after_a_condition_stays_unverified():
    # a verdict without steps (the display is not read) is not a step of solving: it must not turn into "proved"
    from symsoft.check import _solving
    from symsoft.decide.verdicts import EquationVerdict
    from symsoft.meaning.tensors import Reading
    from symsoft.read.document import DisplayEquation

    latex = r"\frac{\partial \sigma(z)_i}{\partial z_j} = \frac{1}{T} \sigma(z)_i"
    unread = EquationVerdict("3", 5, latex, None, "unverified", message="notation not understood")
    assert _solving(unread, DisplayEquation("3", 5, latex), 1, Reading.empty()) == unread


def test_a_condition_reached_through_a_false_step_proves_nothing():
    # the derivative is right, the next rewrite drops a factor n: the side set to zero is not the derivative
    text = _LIKELIHOOD + (r"$$\frac{dl(\mu, \sigma)}{d\sigma} = -n\sigma^{-1} + \sum(x_{i}-\mu)^{2}\sigma^{-3}"
                          r" = -\sigma^{-1} + \sum(x_{i}-\mu)^{2}\sigma^{-3} = 0 \tag{2}$$" "\n\n"
                          r"$$\sigma^{2}=\sum(x_{i}-\mu)^{2} \tag{3}$$")
    found = verdicts(text)
    assert [s.status for s in found["2"].steps][:2] == ["proved", "refuted"]
    assert found["3"].status != "proved"
