"""Rendering a result, the last stage: :mod:`symsoft.render.text` (the terminal report and Markdown),
:mod:`symsoft.render.json` (the ``symsoft.check/1`` schema), :mod:`symsoft.render.grade` (a batch's
CSV, JUnit, Gradescope, GitHub and JSON outputs), :mod:`symsoft.render.model` (``symsoft derive``)
and :mod:`symsoft.render.latex` (proof documents, the annotated report, compiling to PDF).
"""
