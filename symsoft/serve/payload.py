r"""What ``POST /api/check`` answers: the report in the ``symsoft.check/1`` schema, the HTML fragment Jupyter shows,
and for the page the pieces it typesets (the wrong term marked, the counterexample in words, each step's reading).

The check runs here, in a worker process of the server (:mod:`symsoft.serve.app`); everything returned is plain
data that pickles and serialises to JSON. The page shows it with ``textContent`` and KaTeX (``trust: false``).

>>> answer = check_payload("$$\\sigma(z_i) > 1 \\quad (2)$$")
>>> answer["report"]["equations"][0]["status"], answer["exit_code"]
('refuted', 1)
"""

from __future__ import annotations

import re

#: a repair's edit: "the second \\sigma(z_i) should be \\sigma(z_j)" (the ordinal is found again from the change)
_EDIT = re.compile(r"^the (?:[a-z]+ )?(?P<wrong>.+?) should be (?P<right>.+)$")
#: the colour of a wrong term (the page's refuted red)
WRONG_COLOUR = "#cf222e"


def _balanced(latex: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", latex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _changed_span(latex: str, repaired: str) -> tuple[int, int]:
    """The span of ``latex`` that differs from ``repaired`` (what is left between their common prefix and suffix)."""
    prefix = 0
    while prefix < min(len(latex), len(repaired)) and latex[prefix] == repaired[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(latex), len(repaired)) - prefix and latex[-1 - suffix] == repaired[-1 - suffix]:
        suffix += 1
    return prefix, len(latex) - suffix


def marked_wrong_term(latex: str, repaired: str, edit: str) -> str | None:
    r"""The step's LaTeX with the term a repair's edit names coloured (``\textcolor``): the occurrence of that term
    the repaired LaTeX changes; None when the edit names no term, or none that covers the change.

    >>> marked_wrong_term(r"\sigma(z_i) - \sigma(z_i)", r"\sigma(z_i) - \sigma(z_j)",
    ...                   r"the second \sigma(z_i) should be \sigma(z_j)")
    '\\sigma(z_i) - {\\textcolor{#cf222e}{\\sigma(z_i)}}'
    >>> marked_wrong_term(r"x > 1", r"x < 1", "the relation > should be <")
    'x {\\textcolor{#cf222e}{>}} 1'
    >>> marked_wrong_term(r"x > 1", r"x < 1", "drop the second term") is None
    True
    """
    match = _EDIT.match(edit)
    if match is None or not _balanced(match["wrong"]):
        return None
    first, last = _changed_span(latex, repaired)
    for found in re.finditer(re.escape(match["wrong"]), latex):
        if found.start() <= first and last <= found.end():
            return f"{latex[:found.start()]}{{\\textcolor{{{WRONG_COLOUR}}}{{{found.group()}}}}}{latex[found.end():]}"
    return None


def _step_view(step) -> dict:
    from symsoft.render.text import counterexample_parts

    wrong = marked_wrong_term(step.latex, step.repairs[0].latex, step.repairs[0].edit) if step.repairs else None
    return {
        "number": step.number,
        "wrong_term_latex": wrong,
        "counterexample": [p for p in counterexample_parts(step.counterexample) if p]
        if step.counterexample is not None else [],
        "reading": list(step.reading),
    }


def check_payload(text: str, model: str = "softmax", timeout: float = 5.0, doc_timeout: float = 20.0,
                  max_steps: int = 1000) -> dict:
    r"""Check the document ``text`` and return the answer of ``POST /api/check``: ``report`` (the JSON report),
    ``html`` (:func:`symsoft.render.html.render_html`), ``exit_code`` and ``views`` (per equation, per step: the
    LaTeX with the wrong term coloured, the counterexample in words, the reading). A document the checker cannot
    use raises its :class:`~symsoft.errors.SymsoftError`.

    >>> views = check_payload("$$\\sigma(z_i) > 0 \\quad (1)$$")["views"]
    >>> views[0]["steps"][0]["counterexample"], views[0]["steps"][0]["wrong_term_latex"]
    ([], None)
    >>> check_payload("no equations here")
    Traceback (most recent call last):
    ...
    symsoft.errors.NoEquations: the document has no display equations ($$ ... $$) to check
    """
    from symsoft.api import reading_options
    from symsoft.check import check
    from symsoft.render.html import render_html
    from symsoft.render.json import report_dict

    report = check(text, is_text=True, **reading_options(model), timeout=timeout, doc_timeout=doc_timeout,
                   max_steps=max_steps, front_matter="ignore")
    return {
        "report": report_dict(report),
        "html": render_html(report),
        "exit_code": report.exit_code,
        "views": [{"label": eq.label, "steps": [_step_view(s) for s in eq.steps]} for eq in report.equations],
    }
