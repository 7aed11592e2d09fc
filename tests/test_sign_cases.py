r"""Cases blocks whose rows compare a quantity with 0 (``1 & \text{if } x > 0 \\ 0 & \text{otherwise}``): each row is
checked where its condition holds ("otherwise" after ``x > 0`` is ``x < 0``; x = 0 is not checked), and a row whose
condition the checker cannot apply is never refuted.
"""

from __future__ import annotations

from symsoft.check import case_branches, check


def _steps(text: str) -> dict:
    return {e.label: [s.status for s in e.steps] for e in check(text, is_text=True).equations}


def test_rows_with_a_sign_are_guards_and_otherwise_is_the_other_sign():
    assert case_branches(r"1 & \text{if } x > 0 \\ 0 & \text{otherwise}") == [("1", ("guard: x > 0",)),
                                                                                 ("0", ("guard: x < 0",))]


def test_the_rectifier_derivative_by_cases():
    text = (r"$$ r(x) = \max(0, x) \tag{1}$$" "\n\n"
            r"$$\frac{d r(x)}{dx} = \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases} \tag{2}$$"
            "\n\n"
            r"$$\frac{d r(x)}{dx} = \begin{cases} 0 & \text{if } x > 0 \\ 1 & \text{otherwise} \end{cases} \tag{3}$$")
    steps = _steps(text)
    assert steps["2"] == ["proved", "proved"]
    assert steps["3"] == ["refuted", "refuted"]


def test_each_counterexample_meets_its_row():
    report = check(r"$$\frac{d}{dz} |z| = \begin{cases} -1 & z > 0 \\ 1 & z < 0 \end{cases} \tag{1}$$", is_text=True)
    first, second = report.equations[0].steps
    assert first.status == second.status == "refuted"
    assert float(dict(first.counterexample.values)["z"]) > 0 and float(dict(second.counterexample.values)["z"]) < 0
