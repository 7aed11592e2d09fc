r"""The ``%%symsoft`` cell magic: check the Markdown of a notebook cell and show the report.

Load it with ``%load_ext symsoft``, then write a cell::

    %%symsoft --classes 3
    $$\frac{\partial}{\partial z_j} \sigma(z_i) = \sigma(z_i)(\delta_{ij} - \sigma(z_i)) \quad (7)$$

The cell's report (a :class:`~symsoft.api.CheckReport`) is its value: Jupyter shows it as HTML, each equation
typeset with its status, the counterexample and the repair of a refuted step. The line takes ``--model``,
``--classes``, ``--timeout`` and ``--doc-timeout`` as ``symsoft check`` does; a bad option or a cell that cannot be
checked prints one line (``symsoft: error: ...``) and shows nothing else.

>>> report = symsoft_magic("--classes 2", "$$\\sigma(z_i) > 1 \\quad (2)$$")
>>> report.equations[0].status, report.classes
('refuted', 2)
>>> symsoft_magic("--classes many", "$$a = a$$")
symsoft: error: argument --classes/-C: invalid int value: 'many'
"""

from __future__ import annotations

import argparse
import shlex

from symsoft.errors import SymsoftError, UsageError


class _LineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _line_parser() -> argparse.ArgumentParser:
    parser = _LineParser(prog="%%symsoft", add_help=False)
    parser.add_argument("--model", "--profile", default="softmax")
    parser.add_argument("--classes", "-C", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--doc-timeout", type=float, default=60.0)
    return parser


def symsoft_magic(line: str, cell: str):
    """Check ``cell`` under the options on the magic's ``line``; return the report (None after an error, printed
    in one line)."""
    from symsoft.api import check_text

    try:
        options = vars(_line_parser().parse_args(shlex.split(line)))
        return check_text(cell, **options)
    except (SymsoftError, ValueError) as error:
        print(f"symsoft: error: {error}")
        return None


def register(ipython) -> None:
    """Register ``%%symsoft`` with an IPython shell (what ``%load_ext symsoft`` does)."""
    ipython.register_magic_function(symsoft_magic, "cell", "symsoft")
