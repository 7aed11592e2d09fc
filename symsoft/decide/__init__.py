"""Deciding claims: a counterexample at exact points, then a symbolic proof.

:mod:`symsoft.decide.sizes` decides a claim read under named axes (any model, or the document's own
definitions) for every index pattern and several sizes of every axis; :mod:`symsoft.decide.patterns`
holds what every decision ladder shares (the outcome, the index patterns, exact comparison);
:mod:`symsoft.decide.algebra` says whether an expression is identically zero and what sign it has;
:mod:`symsoft.decide.repair` lists the single edits of a refuted right-hand side;
:mod:`symsoft.decide.verdicts` holds the values a decision gives (step, equation, report).
"""
