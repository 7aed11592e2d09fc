r"""The matrix form of a derived result, found by search and proved (``symsoft derive --form matrix``).

A derivation gives a gradient or a Hessian entry by entry, at given sizes. Its matrix form is searched among
short matrix expressions over the model's matrices (products of up to three factors, transposes, differences,
``diag``, an all-ones vector, a scale such as 1/N): each candidate is screened at a random rational point, and the
first one that matches is proved equal to the derived value, entry by entry and symbolically, at two settings of
the sizes (so that a scale like 1/N is told apart from a number). Nothing here knows a model: the letters come
from the model (its ``matrices:`` section, or the softmax engine).

>>> x1, x2, s1, s2, y1, y2 = sp.symbols("x1 x2 s1 s2 y1 y2")
>>> letters = {"x": sp.Matrix([x1, x2]), "s": sp.Matrix([s1, s2]), "y": sp.Matrix([y1, y2])}
>>> target = sp.Matrix(2, 2, lambda j, i: letters["x"][j] * (letters["s"][i] - letters["y"][i]))
>>> find_matrix_form(target, letters).latex
'x (s - y)^\\top'
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import product

import sympy as sp


@dataclass(frozen=True)
class Candidate:
    """A matrix expression: its LaTeX, its value, and how many operations it has (shorter is preferred)."""

    latex: str
    value: sp.Matrix
    cost: int
    grouped: bool = False  # written with brackets when it is a factor
    #: how it is built: the atoms' LaTeX multiplied in order, or ("-", first, second) for a difference of products
    recipe: tuple = ()


@dataclass(frozen=True)
class MatrixForm:
    """A matrix form found for a derived value: its LaTeX (with the scale) and the scale alone."""

    latex: str
    scale: sp.Expr
    body: str


def _factor_text(candidate: Candidate) -> str:
    return f"({candidate.latex})" if candidate.grouped else candidate.latex


def _atoms(letters: dict) -> list[Candidate]:
    atoms = []
    vectors = []
    for name, value in letters.items():
        atoms.append(Candidate(name, sp.Matrix(value), 0))
        if value.shape != (1, 1) and value.T != value:
            atoms.append(Candidate(f"{name}^\\top", sp.Matrix(value.T), 1))
        if value.shape[1] == 1 and value.shape[0] > 1 and name != "\\mathbf{1}":
            vectors.append((name, sp.Matrix(value)))
    for name, value in vectors:
        ones = sp.ones(*value.shape)
        atoms.append(Candidate(f"\\mathbf{{1}} - {name}", ones - value, 1, grouped=True))
        atoms.append(Candidate(f"\\operatorname{{diag}}({name})", sp.diag(*value), 1))
        atoms.append(Candidate(f"\\operatorname{{diag}}({name} \\odot (\\mathbf{{1}} - {name}))",
                               sp.diag(*[v * (1 - v) for v in value]), 3))
    sizes = {value.shape[0] for value in letters.values() if value.shape[0] > 1}
    for size in sorted(sizes):
        atoms.append(Candidate("\\mathbf{1}", sp.ones(size, 1), 0))
        atoms.append(Candidate("\\mathbf{1}^\\top", sp.ones(1, size), 1))
    for first, second in product(list(atoms), repeat=2):
        if first.latex < second.latex and first.value.shape == second.value.shape and first.cost == second.cost == 0 \
                and first.value.shape != (1, 1):
            for a, b in ((first, second), (second, first)):
                atoms.append(Candidate(f"{a.latex} - {b.latex}", a.value - b.value, 1, grouped=True))
                if a.value.shape[1] == 1:
                    atoms.append(Candidate(f"({a.latex} - {b.latex})^\\top", (a.value - b.value).T, 2))
    unique = {}
    for atom in atoms:
        unique.setdefault(atom.latex, atom)
    return list(unique.values())


def _products(atoms: list[Candidate], shape: tuple, depth: int = 3) -> list[Candidate]:
    found = [a for a in atoms if a.value.shape == shape]
    layer = atoms
    for _ in range(depth - 1):
        longer = []
        for left, right in product(layer, atoms):
            if left.value.shape[1] != right.value.shape[0] or 1 in (left.value.shape[1],) and right.value.shape == (1, 1):
                continue
            value = left.value * right.value
            text = f"{_factor_text(left)} {_factor_text(right)}"
            longer.append(Candidate(text, value, left.cost + right.cost + 1,
                                    recipe=(left.recipe or (left.latex,)) + (right.latex,)))
        found += [c for c in longer if c.value.shape == shape]
        layer = [c for c in longer if c.cost <= 6]
    return found


def _at(value: sp.Matrix, point: dict) -> sp.Matrix:
    return value.xreplace(point)


def _scale(target: sp.Matrix, candidate: sp.Matrix) -> sp.Expr | None:
    """The number c with target = c * candidate (checked on every entry at this point), else None."""
    ratio = None
    for t, c in zip(target, candidate):
        if c == 0:
            if t != 0:
                return None
            continue
        r = sp.nsimplify(t / c)
        if ratio is None:
            ratio = r
        elif r != ratio:
            return None
    return ratio if ratio not in (None, 0) else None


def find_matrix_form(target: sp.Matrix, letters: dict, seed: int = 5) -> MatrixForm | None:
    r"""The shortest matrix expression over ``letters`` that equals ``target`` up to a number, proved symbolically.

    ``letters`` maps LaTeX names to their values (matrices whose entries are the model's symbols).

    >>> s1, s2 = sp.symbols("s1 s2")
    >>> s = sp.Matrix([s1, s2])
    >>> find_matrix_form(sp.diag(s1, s2) - s * s.T, {"s": s}).latex
    '\\operatorname{diag}(s) - s s^\\top'
    """
    target = sp.Matrix(target)
    rng = random.Random(seed)
    symbols = sorted(set().union(*(sp.Matrix(v).free_symbols for v in letters.values())) | target.free_symbols,
                     key=lambda s: s.name)
    point = {s: sp.Rational(rng.randint(2, 29), rng.randint(31, 37)) for s in symbols}
    numeric_letters = {name: _at(sp.Matrix(v), point) for name, v in letters.items()}
    numeric_target = _at(target, point)
    atoms = _atoms(numeric_letters)
    symbolic = {a.latex: a.value for a in _atoms({name: sp.Matrix(v) for name, v in letters.items()})}
    for depth in (1, 2, 3):
        products = sorted(_products(atoms, target.shape, depth), key=lambda c: (c.cost, c.latex))
        matches = []
        for candidate in products:
            scale = _scale(numeric_target, candidate.value)
            if scale is not None:
                matches.append((candidate.cost, candidate.latex, scale, candidate.recipe or (candidate.latex,)))
        if not matches and depth == 2:
            short = [c for c in products if c.cost <= 2]
            for first, second in product(short, repeat=2):
                if first is not second:
                    scale = _scale(numeric_target, first.value - second.value)
                    if scale is not None:
                        matches.append((first.cost + second.cost + 1, f"{first.latex} - {second.latex}", scale,
                                        ("-", first.recipe or (first.latex,), second.recipe or (second.latex,))))
        for _cost, text, scale, recipe in sorted(matches, key=lambda m: (m[0], bool(m[2] < 0), m[1])):
            exact = _built(recipe, symbolic)
            if all(sp.simplify(t - scale * e) == 0 for t, e in zip(target, exact)):
                return MatrixForm(_scaled(text, scale), scale, text)
    return None


def _built(recipe: tuple, symbolic: dict) -> sp.Matrix:
    """The exact value of a candidate from its recipe and the atoms' symbolic values."""
    if recipe and recipe[0] == "-":
        return _built(recipe[1], symbolic) - _built(recipe[2], symbolic)
    value = symbolic[recipe[0]]
    for name in recipe[1:]:
        value = value * symbolic[name]
    return value


def _difference_at_top(text: str) -> bool:
    """True when ``text`` is a difference outside every bracket (``a - b``, not ``X (a - b)``)."""
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(char, 0)
        if depth == 0 and text.startswith(" - ", position):
            return True
    return False


def _scaled(text: str, scale: sp.Expr) -> str:
    grouped = f"({text})" if _difference_at_top(text) else text
    if scale == 1:
        return text
    return f"-{grouped}" if scale == -1 else f"{sp.latex(scale)} {grouped}"


def scale_in_sizes(scales: list[tuple[dict, sp.Expr]], size: str) -> str | None:
    r"""The scale as a formula in one size, from its values at two settings: ``\frac{1}{N}`` from 1/2 at N = 2 and
    1/3 at N = 3; a number when it does not change.

    >>> scale_in_sizes([({"N": 2}, sp.Rational(1, 2)), ({"N": 3}, sp.Rational(1, 3))], "N")
    '\\frac{1}{N}'
    >>> scale_in_sizes([({"N": 2}, sp.Integer(2)), ({"N": 3}, sp.Integer(2))], "N")
    '2'
    """
    (first, a), (second, b) = scales
    if a == b:
        return sp.latex(a)
    n = sp.Symbol(size)
    for power in (-1, 1, -2):
        q = a / sp.Integer(first[size]) ** power
        if q == b / sp.Integer(second[size]) ** power:
            return sp.latex(q * n ** power)
    return None


@dataclass(frozen=True)
class DerivedForm:
    """One result in matrix form: its name, its matrix form (None when none was found) and the sizes it is proved at."""

    name: str
    latex: str | None
    sizes: tuple


def matrix_forms(settings: list, size: str) -> list[DerivedForm]:
    r"""The matrix form of each result, found and proved at two settings of the sizes.

    ``settings`` holds, for each setting, ``(sizes, results, letters)``: the sizes (``{"N": 2, "D": 2}``), the
    derived results as ``(name, value)`` pairs in the same order, and the model's matrices. ``size`` names the size
    a scale may depend on (N for an average over the samples).

    >>> n2 = sp.Matrix(sp.symbols("a1 a2"))
    >>> n3 = sp.Matrix(sp.symbols("a1 a2 a3"))
    >>> forms = matrix_forms([({"N": 2}, [("s", (n2.T * n2) / 2)], {"a": n2}),
    ...                       ({"N": 3}, [("s", (n3.T * n3) / 3)], {"a": n3})], "N")
    >>> forms[0].latex
    '\\frac{1}{N} a^\\top a'
    """
    found = [[find_matrix_form(value, letters) for _name, value in results] for _sizes, results, letters in settings]
    out = []
    for position, (name, _value) in enumerate(settings[0][1]):
        forms = [f[position] for f in found]
        latex = None
        if all(f is not None for f in forms) and len({f.body for f in forms}) == 1:
            scale = scale_in_sizes([(settings[k][0], forms[k].scale) for k in range(2)], size)
            if scale is not None:
                body = forms[0].body
                grouped = f"({body})" if _difference_at_top(body) else body
                latex = body if scale == "1" else (f"-{grouped}" if scale == "-1" else f"{scale} {grouped}")
        out.append(DerivedForm(name, latex, tuple(tuple(sorted(s.items())) for s, _r, _l in settings)))
    return out
