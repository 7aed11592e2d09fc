"""symsoft: checks the mathematics of machine-learning derivations with SymPy.

>>> import symsoft
>>> symsoft.SoftmaxRegression(classes=2).probabilities[1]
exp(z_2)/(exp(z_1) + exp(z_2))
"""

from importlib.metadata import PackageNotFoundError, version

import symsoft.check as _checker  # noqa: F401 - the module first, so that the name check below stays the function
from symsoft.api import CheckReport, check, check_file, check_text
from symsoft.errors import SymsoftError
from symsoft.models.softmax.model import SoftmaxRegression
from symsoft.decide.verdicts import Report

try:
    __version__ = version("symsoft")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["CheckReport", "Report", "SoftmaxRegression", "SymsoftError", "__version__", "check", "check_file",
           "check_text", "load_ipython_extension"]


def load_ipython_extension(ipython) -> None:
    """``%load_ext symsoft``: register the ``%%symsoft`` cell magic (:mod:`symsoft.jupyter`).

    >>> class Shell:
    ...     def register_magic_function(self, function, kind, name): print(kind, name)
    >>> load_ipython_extension(Shell())
    cell symsoft
    """
    from symsoft.jupyter import register

    register(ipython)
