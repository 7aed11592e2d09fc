"""Reading a submission: the file or stream (:mod:`symsoft.read.source`) and its display equations,
labels, lines, conditions from the prose and inline math (:mod:`symsoft.read.document`).

The first stage: nothing here parses LaTeX or knows what a symbol means.
"""
