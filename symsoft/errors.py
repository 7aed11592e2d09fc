"""Every error symsoft raises on purpose.

Each class inherits from :class:`SymsoftError` and from the built-in exception a
caller would expect, so ``except ValueError`` still catches a bad argument.

>>> from symsoft.errors import UsageError, SymsoftError
>>> issubclass(UsageError, ValueError) and issubclass(UsageError, SymsoftError)
True
"""

from __future__ import annotations


class SymsoftError(Exception):
    """Base class of the errors symsoft raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class UsageError(SymsoftError, ValueError):
    """An argument a user gave is out of range or of the wrong kind (exit code 2)."""

    exit_code = 2


class InputError(SymsoftError, OSError):
    """A document cannot be read: missing, not text, or without equations (exit code 2)."""

    exit_code = 2


class NoEquations(InputError):
    """A document holds no display equation to check (exit code 2 when it is the only one; ``symsoft check`` skips
    it among several documents or in a folder: a README beside the derivations)."""


class LatexParseError(SymsoftError, ValueError):
    """A piece of LaTeX could not be turned into a SymPy expression."""

    exit_code = 2


class BindingError(SymsoftError, ValueError):
    """A parsed expression uses notation the profile cannot give a meaning to."""


class ProfileError(SymsoftError, ValueError):
    """A notation profile is missing or malformed (exit code 2)."""

    exit_code = 2


class ProofError(SymsoftError, AssertionError):
    """A proof step did not check: the claimed equality or inequality is not confirmed."""


class ComputationError(SymsoftError, RuntimeError):
    """A computation failed in a way its caller can only report (an internal SymPy error, a dead worker)."""


class UnsafeLatexError(SymsoftError, ValueError):
    """A piece of student LaTeX uses a command or a structure outside the typesetting whitelist."""


class TeXCompileError(SymsoftError, RuntimeError):
    """The TeX engine reported an error, an undefined reference, or ran past its time limit (exit code 4).

    Its own exit code: 1 means "something refuted" and 3 "something unverified", which a failed PDF
    build must never look like.
    """

    exit_code = 4


class OutputError(SymsoftError, OSError):
    """An output cannot be written: its folder does not exist, it is a folder, or it is not writable (exit code 2
    when found before any work, as it is on the command line)."""

    exit_code = 2


class TeXEngineMissing(SymsoftError, FileNotFoundError):
    """No TeX engine (latexmk or pdflatex) is installed (exit code 2)."""

    exit_code = 2


class TimeLimitExceeded(BaseException):
    """A parse or proof ran past its time limit.

    Derived from ``BaseException`` so that an ``except Exception`` inside SymPy or
    latex2sympy2 cannot swallow it.
    """


class MemoryLimitExceeded(TimeLimitExceeded):
    """A parse or proof ran out of the memory its process may use: a limit, like time, never a verdict."""


class WarmUpFirst(BaseException):
    """A time-limited call needs work done once per process first (latex2sympy2's parser, for a string the grammar
    refuses): the caller does ``warm()`` in its own process, outside any limit, and runs the call again in a fresh
    helper forked from it, so that no call pays for that work inside its own budget.

    Derived from ``BaseException`` so that an ``except Exception`` on the way out cannot swallow it.
    """

    def __init__(self, warm) -> None:
        super().__init__("warm up first")
        self.warm = warm

    def __reduce__(self):
        return (WarmUpFirst, (self.warm,))


class HelperDied(MemoryLimitExceeded):
    """The process that runs a parse or proof died during the call (killed, mostly out of memory): a limit of
    the checker like time and memory, never a verdict, so never remembered as a result."""
