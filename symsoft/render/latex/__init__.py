r"""LaTeX documents: machine-checked proofs for lecture notes, annotated homework for students.

Three public jobs, one per function:

- :func:`proofs_document` typesets the :class:`~symsoft.models.softmax.proofs.Proof` values of the softmax
  model as theorems and proofs. Every displayed step is re-checked with
  :func:`~symsoft.models.softmax.proofs.check_step` and printed from its SymPy objects by
  :class:`NotationPrinter` (sigma_k as :math:`\sigma_k`, y_k as :math:`\hat{y}_k`, the weight
  w_{t,k} as :math:`w_t^{(k)}`), so what is shown is what was checked.
- :func:`report_document` typesets a :class:`~symsoft.decide.verdicts.Report`: the student's
  equations one by one with a mark in the margin, counterexamples, repairs, findings and a
  summary table. Student LaTeX is untrusted: :func:`sanitize_math` lets through a whitelist of
  math commands with balanced groups and shows anything else verbatim.
- :func:`report_pdf` compiles the report, showing verbatim any piece of student math the engine stops on.
- :func:`compile_pdf` runs a real TeX engine (latexmk, else pdflatex) without shell escape and
  with file access limited to its own folder, and fails on any error or undefined reference.

The modules, one job each: :mod:`~symsoft.render.latex.sanitize` (escaping text, the whitelist
of student math), :mod:`~symsoft.render.latex.prose` (messages and rules with bits of maths),
:mod:`~symsoft.render.latex.printer` (SymPy objects in the profile's notation),
:mod:`~symsoft.render.latex.frame` (preamble and macros), :mod:`~symsoft.render.latex.proofs`
and :mod:`~symsoft.render.latex.report` (the document builders), :mod:`~symsoft.render.latex.pdf`
(the compile step).

>>> from symsoft.render.latex import latex_of
>>> import sympy as sp
>>> latex_of(sp.Symbol("w_{2,3}") * sp.Symbol("y_1"))
'w_{2}^{(3)} \\hat{y}_{1}'
"""

from symsoft.errors import TeXCompileError, UnsafeLatexError
from symsoft.render.latex.pdf import compile_pdf, log_problems
from symsoft.render.latex.printer import NotationPrinter, latex_of
from symsoft.render.latex.proofs import every_c_document, model_proofs_document, proofs_document
from symsoft.render.latex.report import report_document, report_pdf
from symsoft.render.latex.sanitize import escape_text, sanitize_math

__all__ = [
    "NotationPrinter",
    "TeXCompileError",
    "UnsafeLatexError",
    "compile_pdf",
    "escape_text",
    "every_c_document",
    "latex_of",
    "log_problems",
    "model_proofs_document",
    "proofs_document",
    "report_document",
    "report_pdf",
    "sanitize_math",
]
