"""Parsing LaTeX sides: :mod:`symsoft.parse.latex` normalises LaTeX, splits chains and relations and
replaces derivatives and indexed atoms by placeholders; :mod:`symsoft.parse.adapter` is the one
module that imports latex2sympy2.

The second stage: it reads what :mod:`symsoft.read` found and gives no symbol a meaning.
"""
