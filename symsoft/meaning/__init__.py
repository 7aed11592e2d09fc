"""Meaning for any model: tensors with axes, the document's and the model's definitions, functions.

:mod:`symsoft.meaning.tensors` gives a parsed side its meaning in index notation (a component of a
tensor, a sum over an axis, a derivative, a function from the vocabulary) and its value at given
sizes of the axes. Nothing here knows a model: a model is data (:mod:`symsoft.models`), and so is
what a document defines.
"""
