r"""Documents of machine-checked proofs: for a given C, for every C, and for a model read from YAML.

Every displayed step is re-checked before it is printed from its SymPy objects by
:class:`~symsoft.render.latex.printer.NotationPrinter`, so what is shown is what was checked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

import sympy as sp

from symsoft.errors import UsageError
from symsoft.render.latex.frame import _PROOF_MACROS, _document
from symsoft.render.latex.printer import _RELATION_LATEX, NotationPrinter, latex_of
from symsoft.render.latex.prose import _prose, _rule_text
from symsoft.render.latex.report import _FACT_LATEX
from symsoft.render.latex.sanitize import escape_text, sanitize_math

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.softmax.proofs import Proof, ProofStep
    from symsoft.models.softmax.proofs_every_c import GeneralProof


# -- proofs ---------------------------------------------------------------------------------------------
def _checked_step_latex(proof: "Proof", number: int, step: "ProofStep") -> str:
    """Re-check the step, then print it as ``{lhs}{relation}{rhs}``; an altered step raises ProofError here."""
    from symsoft.models.softmax.proofs import check_step

    check_step(step, proof=proof.name, number=number)
    return f"{{{latex_of(step.lhs)}}}{{{_RELATION_LATEX[step.relation]}}}{{{latex_of(step.rhs)}}}"


#: How a document of checked proofs begins (for a given C, or for a model read from YAML).
_CHECKED_INTRO = (
    r"\noindent Each theorem below is followed by its proof as symsoft checked it with SymPy:",
    r"every numbered step is a SymPy equality or inequality, checked when this document was",
    r"generated (equalities by simplifying the difference to zero, inequalities from the signs of",
    r"its terms, never by sampling) and printed from the checked objects by SymPy's \LaTeX{} printer.",
)


def _steps_tex(proof: "Proof", theorem_of: dict[str, str]) -> list[str]:
    """Each step re-checked and set with ``\\ssstep``, its rule (and note) beneath it."""
    lines = []
    for number, step in enumerate(proof.steps, start=1):
        rule = _rule_text(step.rule, theorem_of)
        if step.note:
            rule += r"\\ \emph{" + _rule_text(step.note, theorem_of) + "}"
        lines.append(rf"\ssstep{{{number}}}{_checked_step_latex(proof, number, step)}{{{rule}}}")
    return lines


def _index_ranges(claim: sp.Basic, classes: str, features: str) -> str:
    """``k = 1, \\dots, C`` for each free index of the claim, a feature index (of x or W's rows) up to D."""
    free = sorted(claim.free_symbols - {s for e in claim.atoms(sp.Indexed) for s in e.base.free_symbols},
                  key=str)
    feature = {e.indices[0] for e in claim.atoms(sp.Indexed) if str(e.base) in ("x", "W")}
    parts = [rf"{latex_of(i)} = 1, \dots, {features if i in feature else classes}" for i in free
             if isinstance(i, sp.Symbol) and i.is_integer]
    return ", ".join(parts)


def _features(proofs: Sequence["Proof"]) -> int:
    names = {s.name for p in proofs for step in p.steps for side in (step.lhs, step.rhs)
             for s in side.free_symbols if isinstance(s, sp.Symbol)}
    numbers = [int(m.group(1)) for n in names if (m := re.fullmatch(r"x_(\d+)", n))]
    return max(numbers, default=0)


def _notation() -> str:
    """The definitions the proofs use, printed from SymPy objects in the proofs' notation."""
    c, k, t = (sp.Symbol(n, integer=True, positive=True) for n in "ckt")
    C, D, S = sp.Symbol("C"), sp.Symbol("D"), sp.Symbol("S")
    sigma, z, y, x, W = (sp.IndexedBase(n) for n in ("sigma", "z", "y", "x", "W"))
    softmax = sp.Eq(sigma[k], sp.exp(z[k]) / S)
    partition = sp.Eq(S, sp.Sum(sp.exp(z[c]), (c, 1, C)))
    logits = sp.Eq(z[k], sp.Sum(W[t, k] * x[t], (t, 1, D)))
    labels = sp.Eq(sp.Sum(y[k], (k, 1, C)), 1)
    inline = NotationPrinter({"fold_short_frac": True})
    softmax_tex = inline.doprint(softmax)
    return (rf"The softmax outputs are ${softmax_tex}$ with ${latex_of(partition)}$, the logits are"
            rf" ${latex_of(logits)}$ and the labels satisfy ${latex_of(y[k])} \geq 0$ and ${latex_of(labels)}$.")


def proofs_document(proofs: Sequence["Proof"], classes: int) -> str:
    r"""A complete LaTeX document with a theorem and a machine-checked proof for each Proof.

    Every step is re-checked with :func:`symsoft.models.softmax.proofs.check_step` before it is printed, and
    printed from its SymPy objects with :class:`NotationPrinter`; a step that does not check
    makes generation fail with :class:`~symsoft.errors.ProofError`. For a given C the steps
    show explicit sums and matrices (long ones elided with dots). The proofs for every C at once
    are typeset by :func:`every_c_document`.

    Parameters
    ----------
    proofs : sequence of Proof
        From :func:`symsoft.models.softmax.proofs.prove_all`, all for the same number of classes.
    classes : int
        That number of classes C.

    Returns
    -------
    str
        A document for pdflatex (article, amsmath, amssymb, amsthm, graphicx, color).

    Raises
    ------
    ProofError
        If a step does not check.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> from symsoft.models.softmax.proofs import prove_sum_to_one
    >>> tex = proofs_document([prove_sum_to_one(SoftmaxRegression(classes=2))], classes=2)
    >>> tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    True
    >>> print(next(line for line in tex.splitlines() if line.startswith(r"\ssstep{2}")))
    \ssstep{2}{\sigma_{1} + \sigma_{2}}{=}{\frac{e^{z_{1}}}{S} + \frac{e^{z_{2}}}{S}}{definition of softmax, for every $k$}
    """
    proofs = tuple(proofs)
    for proof in proofs:
        if proof.classes != classes:
            msg = f"proof {proof.name!r} was checked for C = {proof.classes}, not for C = {classes}"
            raise UsageError(msg, proof.name, proof.classes, classes)
    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    D = _features(proofs)
    intro = [
        *_CHECKED_INTRO,
        r"Beneath each step, in grey, is the rule it rests on.",
        _notation(),
        r"A step about class $1$ (or the pair of classes $1, 2$) stands for every class (pair): the",
        r"definitions treat all classes alike.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        body.extend(_proof_section(proof, classes, D, theorem_of))
    title = "Softmax regression: machine-checked proofs"
    subtitle = rf"$C = {classes}$ classes, $D = {D}$ features"
    return _document(title, subtitle + r" \quad $\cdot$ \quad generated by symsoft", _PROOF_MACROS, body)


def _proof_section(proof: "Proof", classes: int, D: int, theorem_of: dict[str, str]) -> list[str]:
    claim = proof.claim
    ranges = _index_ranges(proof.claim, str(classes), "D")
    scope = rf"For $C = {classes}$ classes"
    where = rf" and every ${ranges}$" if ranges else ""
    vectors = sorted({str(e.base) for e in proof.claim.atoms(sp.Indexed)} & {"v"})
    if vectors:
        dimension = str(classes)
        where += "".join(rf" and every vector ${v} \in \mathbb{{R}}^{{{dimension}}}$" for v in vectors)
    lines = [
        rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
        rf"{scope}{where},",
        rf"\[ {latex_of(claim)} \]",
        r"\end{theorem}",
        r"\begin{proof}",
        rf"All {len(proof.steps)} steps were checked by SymPy for $C = {classes}$ classes"
        + (rf" and $D = {D}$ features." if _features([proof]) else "."),
    ]
    lines += _steps_tex(proof, theorem_of)
    lines += [
        r"\par\medskip",
        rf"The argument holds for {_rule_text(proof.holds_for, theorem_of)}.",
        r"\end{proof}",
        "",
    ]
    return lines


def model_proofs_document(proofs: Sequence["Proof"], derivation) -> str:
    r"""A LaTeX document with a theorem and a machine-checked proof for each proof of a model read from YAML.

    Like :func:`proofs_document`, every step is re-checked with :func:`symsoft.models.softmax.proofs.check_step`
    and printed from its SymPy objects; the theorem states the model's own closed form (its LaTeX
    from the YAML) and the sizes the steps were checked for.

    Parameters
    ----------
    proofs : sequence of Proof
        From :func:`symsoft.models.prove.prove_model`.
    derivation : ModelDerivation
        The model and the sizes the proofs were checked for.

    Returns
    -------
    str

    Examples
    --------
    >>> from symsoft.models.derive import ModelDerivation
    >>> from symsoft.models.prove import prove_gradient
    >>> d = ModelDerivation("linear", {"N": 1, "D": 1})
    >>> tex = model_proofs_document([prove_gradient(d)], d)
    >>> tex.startswith(r"\documentclass") and r"\begin{theorem}" in tex
    True
    """
    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    sizes = ", ".join(rf"${axis} = {size}$" for axis, size in derivation.sizes.items())
    definitions = ", ".join(rf"${d}$" for d in derivation.model_definitions_latex())
    intro = [
        *_CHECKED_INTRO,
        rf"The model {escape_text(derivation.model.name)} defines {definitions}.",
        rf"The steps are checked for {sizes}, every entry written out.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        claim = sanitize_math(proof.claim_latex) if proof.claim_latex else latex_of(proof.claim)
        body += [
            rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
            rf"For {_rule_text(proof.sizes, {})},",
            rf"\[ {claim} \]",
            r"\end{theorem}",
            r"\begin{proof}",
            rf"All {len(proof.steps)} steps were checked by SymPy for {_rule_text(proof.sizes, {})}.",
        ]
        body += _steps_tex(proof, theorem_of)
        body += [r"\par\medskip", rf"The argument holds for {_rule_text(proof.holds_for, theorem_of)}.",
                 r"\end{proof}", ""]
    title = escape_text(derivation.model.description[:1].upper() + derivation.model.description[1:])
    return _document(title + ": machine-checked proofs", sizes + r" \quad $\cdot$ \quad generated by symsoft",
                     _PROOF_MACROS, body)


def every_c_document(proofs: Sequence["GeneralProof"]) -> str:
    r"""A LaTeX document with the theorems proved for every number of classes C at once.

    Every step is re-checked (:func:`symsoft.models.softmax.proofs_every_c.check_general_step`) before it is
    printed from its SymPy objects; a step that does not check raises
    :class:`~symsoft.errors.ProofError`.

    >>> from symsoft.models.softmax.proofs_every_c import prove_sum_to_one
    >>> tex = every_c_document([prove_sum_to_one()])
    >>> r"\sum_{k=1}^{C} \sigma\left(z_{k}\right)" in tex and tex.rstrip().endswith(r"\end{document}")
    True
    """
    from symsoft.models.softmax.proofs_every_c import check_general_step

    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    intro = [
        r"\noindent Each theorem below holds for every number of classes $C$ from the one it names on.",
        r"Its proof is a chain of steps in index notation; symsoft checked every step for every $C$ at once,",
        r"with the checker it uses on students' derivations: one case for each pattern of equalities among",
        r"the free class indices (for $i, j$: $i = j$ and $i \neq j$), the classes the indices name written out,",
        r"and all the other classes, however many, summed as a \emph{rest} whose sums are independent",
        r"quantities, so that an identity for them is an identity for every $C$. The smallest $C$ is",
        r"checked exactly. A step marked \emph{term by term} proves $\sum_k f_k \geq 0$ by proving $f_k \geq 0$",
        r"for every $k$ and every $C$. Nothing is sampled. The softmax is",
        r"$\sigma(z_k) = e^{z_k} / \sum_{c=1}^{C} e^{z_c}$, the loss $l = -\sum_{k=1}^{C} \hat{y}_k \log \sigma(z_k)$",
        r"with labels $\hat{y}_k \geq 0$, the logits $z_k = \sum_{t=1}^{D} w_t^{(k)} x_t$, and $v \in \mathbb{R}^C$",
        r"is any direction.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        body += [
            rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
            rf"For every number of classes $C \geq {proof.smallest}$,",
            rf"\[ {proof.claim_latex} \]",
            r"\end{theorem}",
            r"\begin{proof}",
        ]
        for number, step in enumerate(proof.steps, start=1):
            check_general_step(step, proof.smallest, proof=proof.name, number=number)
            left = latex_of(step.lhs) if number == 1 else ""
            rule = _rule_text(step.rule, theorem_of) + (r" \emph{(term by term)}" if step.termwise else "")
            body.append(rf"\ssstep{{{number}}}{{{left}}}{{{_RELATION_LATEX[step.relation]}}}{{{latex_of(step.rhs)}}}{{{rule}}}")
        used = [_FACT_LATEX.get(f, _prose(f)) for f in proof.facts]
        body += [
            r"\par\medskip",
            rf"Every step was proved for every $C \geq {proof.smallest}$"
            + (" using " + ", ".join(used) if used else "") + ".",
            r"\end{proof}",
            "",
        ]
    title = "Softmax regression: proofs for every number of classes"
    return _document(title, r"checked for every $C$ at once \quad $\cdot$ \quad generated by symsoft", _PROOF_MACROS, body)
