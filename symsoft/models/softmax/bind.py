r"""Bind parsed LaTeX to its meaning under a notation profile.

``z_i`` becomes ``z[i]``, ``\sigma(z_i)`` becomes ``Softmax(z[i])``, ``\delta_{ij}`` a
``KroneckerDelta``, ``\hat{y}_k`` the label ``yhat[k]``, ``w_j^{(i)}`` the weight ``w[j, i]``,
a derivative a :class:`~symsoft.models.softmax.semantics.Partial`, and ``l(y, \hat{y})`` the loss. Each index
gets a kind (class or feature) from the slot it fills; a sum bound that names no dimension of
that kind is reported and read as the dimension (``N`` over classes is read as ``C``).

>>> import sympy as sp
>>> from symsoft.parse.latex import parse_side
>>> from symsoft.models.softmax.profile import load_profile
>>> from symsoft.models.softmax.bind import bind_side
>>> bound = bind_side(parse_side(r"\sigma(z_i)(\delta_{ij} - \sigma(z_j))"), load_profile("softmax"))
>>> from symsoft.models.softmax.semantics import Softmax, Z, index
>>> i, j = index("i"), index("j")
>>> bound.expr == Softmax(Z[i]) * (sp.KroneckerDelta(i, j) - Softmax(Z[j]))
True
>>> sorted((str(k), v) for k, v in bound.kinds.items())
[('i', 'class'), ('j', 'class')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.errors import BindingError
from symsoft.meaning.tensors import capital_factor
from symsoft.parse.latex import (GREEK, IMPLICIT_BOUND, Atom, CallNote, DerivativeNote, ParsedSide, display_latex,
                                 UNREAD_PRODUCT, over_a_written_range)
from symsoft.models.softmax.profile import Profile
from symsoft.models.softmax.semantics import CLASSES, FEATURES, LOSS, W, X, YHAT, Z, Partial, Softmax, index

_BASES = {"logit": Z, "feature": X, "label": YHAT}
_DIMENSIONS = {"class": CLASSES, "feature": FEATURES}
_LABELS = {base.label for base in (Z, X, YHAT, W)}
_IMPLICIT = sp.Symbol("implicit_bound", integer=True, positive=True)

#: Notation for vectors and matrices: until shapes are typed, a step that uses it is not read as scalars.
_MATRIX_NOTATION = (
    (re.compile(r"\^\s*\{?\s*(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})\s*\}?(?![a-zA-Z])"), "a transpose (^T)"),
    (re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathbold|pmb)(?![a-zA-Z])"), "a bold or vector letter"),
    (re.compile(r"\\nabla(?![a-zA-Z])"), "a gradient \\nabla"),
    (re.compile(r"\\(?:odot|otimes|circ)(?![a-zA-Z])"), "an element-wise or outer product"),
    (re.compile(r"\\(?:operatorname|mathrm|text|rm)\s*\{\s*(?:diag|tr|Tr|trace|rank|det)\s*\}|\\det(?![a-zA-Z])"), "a matrix function (diag, tr, det)"),
    (re.compile(r"\\\||\\[lr]Vert(?![a-zA-Z])|\\Vert(?![a-zA-Z])"), "a norm"),
    (re.compile(r"(?<![\\a-zA-Z])[A-Z]\s*\^\s*\{\s*-\s*1\s*\}|\)\s*\^\s*\{\s*-\s*1\s*\}"), "an inverse (^{-1}) of a matrix"),
)


def matrix_notation(text: str) -> str:
    r"""What in ``text`` is vector or matrix notation, in words; empty when there is none.

    >>> matrix_notation(r"(AB)^T"), matrix_notation(r"\mathbf{x} + 1"), matrix_notation(r"e^{z_k}")
    ('a transpose (^T)', 'a bold or vector letter', '')
    """
    for pattern, what in _MATRIX_NOTATION:
        for match in pattern.finditer(text):
            before = text[: match.start()].rstrip()
            if what.startswith("a transpose") and re.search(r"(?:^|[^\\a-zA-Z])e$", before):
                continue  # e^T is the exponential of a constant T
            if what.startswith("an inverse") and match.group(0).startswith(")") \
                    and not _capital_inside(text[: match.start() + 1]):
                continue  # (1 + e^{-z})^{-1}: the reciprocal of a number
            return what
    return ""


def _capital_inside(text: str) -> bool:
    r"""True when the bracket that ``text`` ends with holds a capital letter (``(X^T X)``), a matrix perhaps.

    >>> _capital_inside("(X^T X)"), _capital_inside(r"(1 + e^{-z})"), _capital_inside(r"(\sum_{k=1}^{C} e^{a_k})")
    (True, False, False)
    """
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[position], 0)
        if depth == 0:
            inside = re.sub(r"\\(?:sum|prod)\s*(?:[_^]\s*(?:\{[^{}]*\}|[^{}\s])\s*)*", " ", text[position:])
            inside = re.sub(r"\\[a-zA-Z]+", " ", inside)  # the bounds of a sum (C in \sum_{k=1}^{C}) are sizes
            return bool(re.search(r"[A-Z]", inside))
    return True


def _called_letters(text: str, known: set) -> list[str]:
    r"""Single letters written like a function call, ``s(z_1 - z_2)``, that the notation does not define.

    >>> _called_letters(r"s(z_1 - z_2) + x_j(a + b) + 2(c)", set())
    ['s']
    """
    found = []
    for match in re.finditer(r"(?<![\\a-zA-Z_^{}0-9])([a-zA-Z])\s*\(", text):
        letter = match.group(1)
        if letter not in known and letter != "e" and letter not in found:
            found.append(letter)
    return found


@dataclass(frozen=True)
class Lint:
    """A lint finding on one side, before it has a line: kind (typo, index_range, unused_index, undefined) and message."""

    kind: str
    message: str


@dataclass(frozen=True)
class BoundSide:
    """A side with its meaning: the bound expression, the kind of each index, findings and facts."""

    text: str
    expr: sp.Expr
    kinds: dict = field(default_factory=dict, hash=False)
    findings: tuple[Lint, ...] = ()
    assumptions: tuple[str, ...] = ()


class _Binder:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.kinds: dict[sp.Symbol, str] = {}
        self.findings: list[Lint] = []
        self.assumptions: list[str] = []
        self.constants: set[sp.Symbol] = set()  # undefined symbols read as arbitrary constants

    def note_kind(self, name: str, kind: str, where: str) -> sp.Expr:
        if re.fullmatch(r"[0-9]+", name):
            return sp.Integer(int(name))
        if not re.fullmatch(r"[a-zA-Z]", name):
            raise BindingError(f"the index {name!r} in {where} is not a single letter or a number", name)
        dimension = self.profile.symbols.get(name)
        if dimension in ("classes", "features"):  # z_C: the last class, x_D: the last feature
            if {"classes": "class", "features": "feature"}[dimension] != kind:
                raise BindingError(f"{where}: {name} counts the {dimension}, but here it stands for a {kind}", name)
            return CLASSES if dimension == "classes" else FEATURES
        symbol = index(name)
        previous = self.kinds.get(symbol)
        if previous is not None and previous != kind:
            raise BindingError(
                f"the index {name} is a {previous} index and a {kind} index in the same equation ({where})",
                name,
            )
        self.kinds[symbol] = kind
        return symbol

    def atom(self, atom: Atom) -> sp.Expr:
        base = atom.base
        profile = self.profile
        if base in profile.deltas:
            if len(atom.subscripts) != 2 or atom.superscripts:
                raise BindingError(f"{atom.text}: a Kronecker delta takes two indices", atom.text)
            a, b = atom.subscripts
            kind = self.kinds.get(index(a)) or self.kinds.get(index(b)) or "class"
            return sp.KroneckerDelta(self.note_kind(a, kind, atom.text), self.note_kind(b, kind, atom.text))
        if base in profile.matrices and not (base in profile.vectors and not atom.superscripts and len(atom.subscripts) == 1):
            spec = profile.matrices[base]
            if len(atom.subscripts) == 1 and len(atom.superscripts) == 1:
                row, column = atom.subscripts[0], atom.superscripts[0]
            elif len(atom.subscripts) == 2 and not atom.superscripts:
                row, column = atom.subscripts
            else:
                raise BindingError(f"{atom.text}: a weight needs a feature and a class index", atom.text)
            return W[self.note_kind(row, spec["subscript"], atom.text), self.note_kind(column, spec["superscript"], atom.text)]
        if base in profile.vectors:
            spec = profile.vectors[base]
            if len(atom.subscripts) != 1:
                raise BindingError(f"{atom.text}: {base} takes one index", atom.text)
            if atom.superscripts:
                raise BindingError(
                    f"{atom.text}: a sample superscript such as ^{{({atom.superscripts[0]})}} is not part of the profile's notation",
                    atom.text,
                )
            position = self.note_kind(atom.subscripts[0], spec["index"], atom.text)
            if spec["means"] == "softmax":
                return Softmax(Z[position])
            return _BASES[spec["means"]][position]
        raise BindingError(f"{atom.text}: the profile does not define {base!r}", atom.text)

    def side(self, side: ParsedSide) -> sp.Expr:
        mapping: dict[sp.Symbol, sp.Expr] = {}
        for placeholder, note in side.placeholders.items():
            if isinstance(note, Atom):
                mapping[placeholder] = self.atom(note)
        for placeholder, note in side.placeholders.items():
            if isinstance(note, CallNote):
                mapping[placeholder] = self.call(note)
        for placeholder, note in side.placeholders.items():
            if isinstance(note, DerivativeNote):
                mapping[placeholder] = self.derivative(note)
        return self.meaning(side.expr.xreplace(mapping))

    def call(self, note: CallNote) -> sp.Expr:
        argument = self.side(note.argument)
        name = note.name
        defined = self.profile.defined_functions.get(name)
        if defined is not None:
            return defined(argument)
        meaning = self.profile.functions.get(name)
        if meaning == "softmax":
            raise BindingError(f"{name} is applied to {note.argument.text}: the softmax needs a component z_k of the"
                               " logits; define the function in the document if it means something else", note.text)
        if meaning == "loss":
            return LOSS
        raise BindingError(f"{name}(...) is written like a function, but the notation does not define {name}", note.text)

    def derivative(self, note: DerivativeNote) -> sp.Expr:
        if note.typo:
            self.findings.append(Lint("typo", note.typo))
        operand = self.side(note.operand)
        variable = self.side(note.variable)
        by_softmax = isinstance(variable, Softmax) and isinstance(variable.args[0], sp.Indexed)
        free_variable = variable in self.constants and isinstance(variable, FreeConstant) is False
        if not (by_softmax or free_variable or isinstance(variable, sp.Indexed) and variable.base in (Z, X, W)):
            raise BindingError(
                f"cannot differentiate with respect to {note.variable.text!r}: not a logit, feature, weight or variable",
                note.text,
            )
        unknown = sorted((operand.free_symbols & self.constants) - {variable}, key=str)
        if unknown:
            names = ", ".join(_shown(u) for u in unknown)
            raise BindingError(
                f"{names} is not defined, so its derivative with respect to {note.variable.text} is unknown"
                " (it may depend on the variable)", note.text)
        return Partial(operand, variable)

    def meaning(self, expr: sp.Expr) -> sp.Expr:
        def function(e: sp.Expr) -> sp.Expr:
            name = e.func.__name__
            defined = self.profile.defined_functions.get(name)
            if defined is not None and len(e.args) == 1:
                return defined(e.args[0])
            meaning = self.profile.functions.get(name)
            if meaning == "softmax" and len(e.args) == 1:
                if not (isinstance(e.args[0], sp.Indexed) and e.args[0].base == Z):
                    raise BindingError(f"{name} is applied to {sp.sstr(e.args[0])}: the softmax needs a component z_k of"
                                       " the logits; define the function in the document if it means something else", name)
                return Softmax(e.args[0])
            if meaning == "loss":
                return LOSS
            raise BindingError(f"the profile does not define the function {name}", name)

        expr = expr.replace(lambda e: isinstance(e, AppliedUndef), function)
        # a summation variable is an index inside its sum, whatever the letter means outside (l, the loss)
        expr = expr.replace(
            lambda e: isinstance(e, sp.Sum) and any(not v.is_integer for v, *_ in e.limits),
            lambda e: e.xreplace({v: index(v.name) for v, *_ in e.limits if not v.is_integer}),
        )
        replacements = {}
        sums = [s for s in expr.atoms(sp.Sum)]
        bound_names = {str(limit[0]) for s in sums for limit in s.limits}
        bound_limits = {str(x) for s in sums for limit in s.limits for x in limit[1:] if isinstance(x, sp.Symbol)}
        for symbol in expr.free_symbols | {limit[0] for s in sums for limit in s.limits}:
            if not isinstance(symbol, sp.Symbol) or symbol.is_integer or symbol in _LABELS:
                continue
            name = symbol.name
            meaning = self.profile.symbols.get(name)
            if meaning == "loss":
                replacements[symbol] = LOSS
            elif meaning == "classes":
                replacements[symbol] = CLASSES
            elif meaning == "features":
                replacements[symbol] = FEATURES
            elif name == IMPLICIT_BOUND:
                replacements[symbol] = _IMPLICIT
            elif name in bound_names:
                replacements[symbol] = index(name)
            elif re.fullmatch(r"[A-Z]", name) and name in bound_limits:
                replacements[symbol] = sp.Symbol(name, integer=True, positive=True)
            elif re.fullmatch(r"[a-zA-Z]|\\[a-zA-Z]+|[a-zA-Z]_\{?[0-9a-zA-Z]+\}?", name) or _greek(name):
                # an undefined constant: a proof must hold for every value of it
                shown = _shown(symbol)
                if name in self.profile.opaque:  # defined in the prose: no value of our choosing is its value
                    self.findings.append(Lint("undefined", f"{shown} is defined in the text in a way not read; a proof must"
                                                           " hold for every value of it"))
                    replacements[symbol] = FreeConstant(name, real=True)
                else:
                    self.findings.append(Lint("undefined", f"{shown} is not defined by the profile; read as a real"
                                                           " variable (a proof must hold for all its values)"))
                    replacements[symbol] = sp.Symbol(name, real=True)
                self.constants.add(replacements[symbol])
            else:
                raise BindingError(f"the profile does not define the symbol {name!r}", name)
        expr = expr.xreplace(replacements)
        matrix = _capital_factor(expr, self.constants)
        if matrix:
            raise BindingError(f"{matrix} is not defined and is used as a factor: it may be a matrix, and matrix"
                               " products are not read as scalars", matrix)
        return expr


class FreeConstant(sp.Symbol):
    """A constant the document defines in a way not read (``M = \\max_k z_k`` in the prose): proofs must hold
    for every value of it, and a counterexample never chooses one."""


def _greek(name: str) -> bool:
    return name in GREEK or bool(re.fullmatch(r"([a-zA-Z]+)_\{?[0-9a-zA-Z]+\}?", name)) and name.split("_")[0] in GREEK


def _shown(symbol: sp.Symbol) -> str:
    """A symbol's name as LaTeX: lambda -> \\lambda."""
    name = symbol.name
    head = name.split("_")[0]
    return "\\" + name if head in GREEK else name


def _capital_factor(expr: sp.Expr, constants: set) -> str:
    """An undefined capital letter multiplied by something that is not a number (``AB``, ``X w_j``), or ''."""
    found = capital_factor(expr, {c for c in constants if re.fullmatch(r"[A-Z]", c.name)})
    return found.name if found is not None else ""


def _bound_sums(expr: sp.Expr, binder: _Binder) -> sp.Expr:
    """Check each sum's bound against its index kind; read an unknown bound as the dimension."""

    def fix(s: sp.Sum) -> sp.Expr:
        summand, (var, low, high) = s.args[0], s.limits[0]
        kind = binder.kinds.get(var)
        if kind is None:
            kind = _infer_kind(summand, var, binder)
        if kind is not None:
            binder.kinds[var] = kind
        if not summand.has(var):
            binder.findings.append(
                Lint("unused_index", f"the sum over {var} adds a summand that does not use {var}")
            )
        expected = _DIMENSIONS.get(kind) if kind else None
        if high == _IMPLICIT:
            if expected is None:
                raise BindingError(f"cannot tell which range the sum over {var} runs over", var)
            return sp.Sum(summand, (var, low, expected))
        if expected is not None and high != expected and high.free_symbols and high not in (CLASSES, FEATURES) \
                and not high.free_symbols <= {expected}:  # C - 1 is a range of classes as it stands
            binder.findings.append(
                Lint(
                    "index_range",
                    f"{var} is a {kind} index but its sum runs to {sp.sstr(high)}; {kind} indices run to {expected} "
                    f"(read as {sp.sstr(high)} = {expected})",
                )
            )
            binder.assumptions.append(f"{sp.sstr(high)} = {expected}")
            return sp.Sum(summand, (var, low, high.xreplace({h: expected for h in high.free_symbols if h.name == sp.sstr(high)})))
        if expected is not None and high in (CLASSES, FEATURES) and high != expected:
            binder.findings.append(
                Lint("index_range", f"{var} is a {kind} index but its sum runs to {high}, the number of "
                        f"{'classes' if high == CLASSES else 'features'}; {kind} indices run to {expected}")
            )
        return s

    return expr.replace(lambda e: isinstance(e, sp.Sum), fix)


def _infer_kind(summand: sp.Expr, var: sp.Symbol, binder: _Binder) -> str | None:
    for indexed in summand.atoms(sp.Indexed):
        for slot, idx in enumerate(indexed.indices):
            if idx == var:
                from symsoft.models.softmax.semantics import INDEX_KINDS

                return INDEX_KINDS[indexed.base][slot]
    return None


def bind_side(side: ParsedSide, profile: Profile) -> BoundSide:
    r"""Give one parsed side its meaning under ``profile``.

    Raises :class:`~symsoft.errors.BindingError` for notation the profile does not define.

    >>> from symsoft.parse.latex import parse_side
    >>> from symsoft.models.softmax.profile import load_profile
    >>> bind_side(parse_side(r"\sum_{i=1}^N \sigma(z_i)"), load_profile("softmax")).assumptions
    ('N = C',)
    >>> bind_side(parse_side(r"q_i"), load_profile("softmax"))
    Traceback (most recent call last):
    ...
    symsoft.errors.BindingError: q_i: the profile does not define 'q'
    """
    matrix = matrix_notation(side.text)
    if matrix:
        raise BindingError(f"{display_latex(side.text)} uses {matrix}: vectors and matrices are not typed yet, so the"
                           " step is not read as scalars", side.text)
    known = set(profile.functions) | set(profile.symbols) | set(profile.defined_functions)
    called = _called_letters(side.text, known)
    if called:
        raise BindingError(f"{called[0]}(...) is written like a function, but the notation does not define {called[0]}",
                           called[0])
    binder = _Binder(profile)
    expr = binder.side(side)
    if not over_a_written_range(expr):
        raise BindingError(UNREAD_PRODUCT, side.text)
    expr = _bound_sums(expr, binder)
    return BoundSide(side.text, expr, dict(binder.kinds), tuple(binder.findings), tuple(dict.fromkeys(binder.assumptions)))
