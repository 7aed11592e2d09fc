"""Deciding claims: a counterexample at exact points, then a symbolic proof.

:mod:`symsoft.decide.sizes` decides a claim read under named axes (any model, or the document's own
definitions) for every index pattern and several sizes of every axis.
"""
