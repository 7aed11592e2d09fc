r"""A quantity defined again from other letters altogether (a new section, a new example) holds from there on: the
displays after it are checked with the new definition, those before it with the first one. A display that shares a
letter with the first definition, or one after which the first definition's letters are still used, is not a new
section."""

from __future__ import annotations

from symsoft.check import check

_FIRST = r"$$E = \frac{1}{2} (y - t)^2 \tag{1}$$" "\n\n" r"$$\frac{\partial E}{\partial y} = y - t \tag{2}$$" "\n\n"
_SECOND = (r"A new example: the cross-entropy of one sample." "\n\n"
           r"$$E = -u \log v - (1-u)\log(1-v) \tag{3}$$" "\n\n")


def _verdicts(text: str) -> dict:
    return {e.label: e.status for e in check(text, is_text=True).equations}


def test_a_new_section_checks_what_follows_with_its_own_definition():
    text = (_FIRST + _SECOND + r"$$\frac{\partial E}{\partial v} = -\frac{u}{v} + \frac{1-u}{1-v} \tag{4}$$" "\n\n"
            r"$$\frac{\partial E}{\partial v} = -\frac{u}{v} - \frac{1-u}{1-v} \tag{5}$$")
    assert _verdicts(text) == {"1": "definition", "2": "proved", "3": "definition", "4": "proved", "5": "refuted"}


def test_the_first_definition_stays_when_its_letters_are_used_again():
    # the batch loss after the loss of one example, then the example's letters again: the first one is in force
    text = (_FIRST + r"For a batch: $$E = \frac{1}{2} \sum_{n=1}^N (y_n - t_n)^2 \tag{3}$$" "\n\n"
            r"$$\frac{\partial E}{\partial y} = y - t \tag{4}$$")
    verdicts = _verdicts(text)
    assert verdicts["4"] == "proved"


def test_a_claim_that_shares_a_letter_is_checked_not_read_as_a_definition():
    text = _FIRST + r"$$E = \frac{1}{2} (t - y)^2 + 1 \tag{3}$$"
    assert _verdicts(text)["3"] == "refuted"
