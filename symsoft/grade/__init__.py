"""Grading a class (``symsoft grade``): :mod:`symsoft.grade.batch` checks many submissions in isolated
workers with :func:`symsoft.check.check` and scores them with a rubric; its outputs are rendered by
:mod:`symsoft.render.grade`.
"""
