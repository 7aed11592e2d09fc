"""symsoft: checks the mathematics of machine-learning derivations with SymPy.

>>> import symsoft
>>> symsoft.SoftmaxRegression(classes=2).probabilities[1]
exp(z_2)/(exp(z_1) + exp(z_2))
"""

from importlib.metadata import PackageNotFoundError, version

from symsoft.check import check
from symsoft.errors import SymsoftError
from symsoft.models.softmax.model import SoftmaxRegression
from symsoft.decide.verdicts import Report

try:
    __version__ = version("symsoft")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["Report", "SoftmaxRegression", "SymsoftError", "__version__", "check"]
