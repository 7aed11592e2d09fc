r"""Single LaTeX expressions in, SymPy out: the fast grammar first, latex2sympy2 for the rest.

:func:`parse_latex` reads an expression with the Lark grammar of :mod:`symsoft.parse.grammar`, which
builds what latex2sympy2 would build; what that grammar refuses goes to latex2sympy2 (this is the
one module that imports it, and only then). latex2sympy2 is optional (``pip install 'symsoft[latex2sympy2]'``,
Python 3.12 and older: its ANTLR runtime 4.7.2 does not import on 3.13); without it, what the grammar refuses
cannot be read, with the message latex2sympy2's own failure gives (:func:`latex2sympy2_available`).

latex2sympy2 keeps module-level state (``variances``, ``var``) that maps ``i`` and ``j`` to the
imaginary unit and that ``=`` (parsed as an assignment) writes to. This adapter never hands it a
relation, clears that state before every call and turns every failure into a
:class:`~symsoft.errors.LatexParseError`. ``\log`` is natural here: the caller decides the base.

>>> import sympy as sp
>>> from symsoft.parse.adapter import parse_latex
>>> parse_latex(r"\frac{a}{b^2}") == sp.Symbol("a") / sp.Symbol("b") ** 2
True
>>> parse_latex(r"\frac{a}{")
Traceback (most recent call last):
...
symsoft.errors.LatexParseError: cannot read the LaTeX \frac{a}{
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import logging
import os
import re
import sys
from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.errors import LatexParseError, WarmUpFirst
from symsoft.parse.grammar import parse_expression

#: Longest expression handed to latex2sympy2, in characters.
MAX_EXPRESSION_CHARS = 4000

#: deepest nesting of brackets and braces, and most sums in one expression, read at all: latex2sympy2's recursion
#: gives up long before (about 25 levels) after seconds of work, and no derivation in the fixtures passes 6 levels or
#: 5 sums
MAX_NESTING = 40
MAX_SUMS = 20

#: prose or Markdown that reached a formula (three words in a row, a heading mark, a dollar sign): never mathematics
_PROSE = re.compile(r"(?<![\\{a-zA-Z])[a-zA-Z]{3,}\s+[a-zA-Z]{2,}\s+[a-zA-Z]{2,}(?![a-zA-Z]*\s*[({])|#|\$")
#: a factorial of a number of four digits or more or of a power (``(10^{100})!``), a binomial coefficient of one
_HUGE_COUNT = re.compile(r"\\binom\s*\{[^{}]*(?:[0-9]{4,}|\^)|[0-9]{4,}\s*!|\^\s*\{?\s*[0-9]+\s*\}?\s*\)\s*!")
#: commands latex2sympy2's lexer has no token for (its ``PSLexer``): a string with one is never read by it, and it can
#: spend a third of a second finding that out
_NOT_IN_LATEX2SYMPY2 = re.compile(r"\\(?:[lcvd]?dots|ddots|approx|leftarrow|gets|partial)(?![a-zA-Z])")


def _module():
    logging.getLogger("antlr4").setLevel(logging.ERROR)
    # latex2sympy2 imports a top-level package "gen": a gen.py in the working folder or beside a
    # script must not shadow it, so its own folder goes first while it is imported
    spec = importlib.util.find_spec("latex2sympy2")
    home = os.path.dirname(spec.origin) if spec and spec.origin else None
    saved, shadow = sys.path[:], sys.modules.get("gen")
    if home:
        sys.path[:] = [home] + [p for p in sys.path if p not in ("", ".", os.getcwd(), home)]
    if shadow is not None and home and not str(getattr(shadow, "__file__", "")).startswith(home):
        del sys.modules["gen"]
    try:
        import latex2sympy2
    finally:
        sys.path[:] = saved
    if not getattr(latex2sympy2.PSParser, "_symsoft_two_stage", False):
        latex2sympy2.PSParser = _two_stage_parser(latex2sympy2.PSParser)
    return latex2sympy2


@lru_cache(maxsize=1)
def latex2sympy2_available() -> bool:
    """True when latex2sympy2 is installed and imports here (its ANTLR 4.7.2 runtime fails on Python 3.13).

    >>> latex2sympy2_available() in (True, False)
    True
    """
    try:
        _module()
    except Exception:  # not installed (ImportError), or its runtime does not import on this Python
        return False
    return True


_PREDICTION = {"mode": "SLL"}


def _two_stage_parser(base: type) -> type:
    """latex2sympy2's parser in ANTLR's fast SLL prediction mode while ``_PREDICTION`` says so.

    ANTLR guarantees that an SLL parse without a syntax error is the LL parse; on an error the
    adapter parses again in full LL mode (the usual two-stage strategy).
    """
    from antlr4.atn.PredictionMode import PredictionMode

    class TwoStageParser(base):
        _symsoft_two_stage = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if _PREDICTION["mode"] == "SLL":
                self._interp.predictionMode = PredictionMode.SLL

    return TwoStageParser


def _reset_state(module) -> None:
    for name in ("variances", "var", "VARIABLE_VALUES"):
        state = getattr(module, name, None)
        if isinstance(state, dict):
            state.clear()
        elif hasattr(module, name):  # some inputs rebind these globals (var becomes a Symbol): start afresh
            setattr(module, name, {})
    if hasattr(module, "is_real"):
        module.is_real = None


#: what no scalar expression holds: set membership, maps and number sets (latex2sympy2 reads
#: ``\mathbb{R}^N \rightarrow \mathbb{R}^N`` as ``\mathbb{R}**N``, dropping the rest)
_NOT_SCALAR = re.compile(r"\\(?:(?:in|notin|to|rightarrow|mapsto|subset|subseteq)(?![a-zA-Z])|mathbb\s*\{?\s*[RNZQC]\b)")
#: a bracketed list, ``(a, b, \dots, c)``: a tuple, never a scalar
_TUPLE = re.compile(r"\(([^()]*,[^()]*)\)")


def _has_top_level_relation(text: str) -> bool:
    depth = 0
    for position, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and (char in "=<>" or text.startswith(("\\leq", "\\geq", "\\neq"), position)):
            return True
    return False


def _nesting(text: str) -> int:
    r"""How deeply brackets and braces nest in ``text`` (``\{`` is a brace written, not a group).

    >>> _nesting(r"e^{e^{(x)}}"), _nesting(r"\{ a \}")
    (3, 0)
    """
    depth = deepest = 0
    for char in re.sub(r"\\[{}]", "", text):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


@lru_cache(maxsize=4096)
def parse_latex(latex: str) -> sp.Expr:
    r"""Parse one LaTeX expression (no ``=``, ``<``, ``>``): the fast grammar, else latex2sympy2.

    ``\log`` comes back as the natural logarithm (latex2sympy2 reads it as base 10).

    >>> parse_latex(r"\log(x)"), parse_latex(r"\sigma (x)").func.__name__
    (log(x), '\\sigma')
    >>> parse_latex(r"a = b")
    Traceback (most recent call last):
    ...
    symsoft.errors.LatexParseError: a relation cannot be parsed as one expression: a = b
    """
    return _read(latex, fast=True)


def parse_with_latex2sympy2(latex: str) -> sp.Expr:
    r"""Parse as :func:`parse_latex` does, with latex2sympy2 alone (the fast grammar's reference; uncached).

    Without latex2sympy2 (:func:`latex2sympy2_available`) every expression raises :class:`LatexParseError`.

    >>> parse_with_latex2sympy2(r"\frac{1}{2} x") if latex2sympy2_available() else sp.Symbol("x") / 2
    x/2
    """
    return _read(latex, fast=False)


_FALLBACK: contextvars.ContextVar[bool] = contextvars.ContextVar("symsoft_fallback", default=True)


@contextlib.contextmanager
def grammar_only():
    r"""Inside the block, what the fast grammar refuses is not read at all (no latex2sympy2): for texts the checker
    writes itself, such as the candidate repairs of a step the grammar read, where the slow fallback would only
    spend time.

    >>> with grammar_only():
    ...     parse_latex(r"\frac{1}{2} x")
    x/2
    """
    token = _FALLBACK.set(False)
    try:
        yield
    finally:
        _FALLBACK.reset(token)


def _read(latex: str, fast: bool) -> sp.Expr:
    text = latex.strip()
    if not text:
        raise LatexParseError("an empty expression", latex)
    if len(text) > MAX_EXPRESSION_CHARS:
        raise LatexParseError(f"the expression is too long ({len(text)} characters)", latex)
    if _has_top_level_relation(text):
        raise LatexParseError(f"a relation cannot be parsed as one expression: {text}", latex)
    if fast and (_nesting(text) > MAX_NESTING or len(re.findall(r"\\(?:sum|prod)(?![a-zA-Z])", text)) > MAX_SUMS):
        raise LatexParseError(f"the LaTeX is nested too deeply: {text[:80]}", latex)  # latex2sympy2 alone tries
    try:
        if not fast:
            raise LatexParseError("latex2sympy2 asked for", latex)
        expr = parse_expression(text, evaluate=True)  # built canonical, \log natural and names stripped
    except LatexParseError:  # what the fast grammar does not read, latex2sympy2 does
        if fast and not _FALLBACK.get():
            raise
        if _NOT_SCALAR.search(text) or _TUPLE.fullmatch(text.strip()):
            raise LatexParseError(f"not a scalar expression: {text}", latex) from None
        if _NOT_IN_LATEX2SYMPY2.search(text) or _PROSE.search(text):
            raise LatexParseError(f"cannot read the LaTeX {text}", latex) from None
        if _HUGE_COUNT.search(text):  # (10^{100})!: never computed (latex2sympy2 would try)
            raise LatexParseError(f"a factorial or binomial of a large number is not computed: {text}", latex) from None
        if re.search(r"[)\]]\s*_", text):  # s(x)_i: latex2sympy2 drops a subscript after a bracket
            raise LatexParseError(f"a subscript after a bracket is not read: {text}", latex) from None
        if re.search(r"(?:(?<![0-9])\.|\.(?![0-9]))(?=\s*\S)", text):  # c.\exp(x): latex2sympy2 stops at the period
            raise LatexParseError(f"a period that is not a decimal point is not read: {text}", latex) from None
        expr = _latex2sympy2(text, latex)
        if _dropped(text, expr):  # {x}_{1} + y gives x: latex2sympy2 stopped early and said nothing
            raise LatexParseError(f"cannot read the LaTeX {text} (only part of it was read)", latex)
    else:
        if not isinstance(expr, sp.Basic) or isinstance(expr, (sp.MatrixBase, sp.Rel)):
            raise LatexParseError(f"not a scalar expression: {text}", latex)
        return expr
    if not isinstance(expr, sp.Basic) or isinstance(expr, (sp.MatrixBase, sp.Rel)):
        raise LatexParseError(f"not a scalar expression: {text}", latex)
    # both write ln as an unevaluated log(x, E)
    expr = expr.replace(lambda e: isinstance(e, sp.log) and len(e.args) == 2,
                        lambda e: sp.log(e.args[0]) / sp.log(e.args[1]))
    # both keep the space after a Greek command in a function's name (\sigma (x)): the name is the command
    expr = expr.replace(lambda e: isinstance(e, AppliedUndef) and e.func.__name__ != e.func.__name__.strip(),
                        lambda e: sp.Function(e.func.__name__.strip())(*e.args))
    return _evaluated(expr)


_WARM = {"done": False}


def warm_latex2sympy2() -> None:
    r"""Import latex2sympy2 and read one fixed expression with it, once per process, so that its ANTLR runtime's
    tables are built (about half a second, which no time-limited call should pay for: a call in the time-limit
    helper that needs it raises :class:`~symsoft.errors.WarmUpFirst`, and the caller warms up and forks again).

    >>> warm_latex2sympy2(); _WARM["done"]
    True
    """
    if _WARM["done"]:
        return
    _WARM["done"] = True
    if latex2sympy2_available():
        _latex2sympy2(r"\sigma(z_i)(\delta_{ij} - \sigma(z_j))", "")


def _latex2sympy2(text: str, latex: str):
    """latex2sympy2's reading of ``text`` (imported on first use: most expressions never need it); without
    latex2sympy2, the failure it would give when it cannot read ``text``."""
    if not _WARM["done"]:
        from symsoft.timelimit import in_helper
        if in_helper():
            raise WarmUpFirst(warm_latex2sympy2)
        warm_latex2sympy2()
    if not latex2sympy2_available():
        raise LatexParseError(f"cannot read the LaTeX {text}", latex)
    module = _module()
    expr = None
    for mode in ("SLL", "LL"):
        _PREDICTION["mode"] = mode
        _reset_state(module)
        try:
            expr = module.latex2sympy(text.replace("\\log", "\\ln"))
            break
        except RecursionError:
            raise LatexParseError(f"the LaTeX is nested too deeply: {text[:80]}", latex) from None
        except Exception:  # latex2sympy2 raises bare Exception and antlr errors; LL decides
            if mode == "LL":
                raise LatexParseError(f"cannot read the LaTeX {text}", latex) from None
        finally:
            _reset_state(module)
    return expr


def _dropped(text: str, expr) -> list[str]:
    r"""The letters and named symbols of ``text`` that ``expr`` (its reading) has nowhere: latex2sympy2 may stop
    reading early without an error, and what it left out must not be checked as if it were not there.

    >>> x = sp.Symbol("x")
    >>> _dropped(r"{x}_{1} + y", x), _dropped(r"\frac{d}{dx} e^{x} + \mathit{Qa}", sp.exp(x) + sp.Symbol(r"\mathit{Qa}"))
    (['y'], [])
    """
    if not isinstance(expr, sp.Basic):
        return []
    names = " ".join(sorted({str(a) for a in expr.atoms(sp.Symbol)} | {type(f).__name__ for f in expr.atoms(sp.Function)}))
    named = [n for n in re.findall(r"\\mathit\{[^{}]*\}", text) if n not in names]
    rest = re.sub(r"\\(?:mathit|mathrm|text|operatorname|mathbf|bm|boldsymbol|mbox)\s*\{[^{}]*\}", " ", text)
    rest = re.sub(r"\\[a-zA-Z]+", " ", rest)
    letters = sorted(set(re.findall(r"[a-zA-Z]", rest)) - {"e", "d", "E"})
    return named + [letter for letter in letters if letter not in names]


def _evaluated(expr: sp.Basic) -> sp.Basic:
    """Rebuild an expression latex2sympy2 built with ``evaluate=False`` in canonical form."""
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    return expr.func(*(_evaluated(a) for a in expr.args))
