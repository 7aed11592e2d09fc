"""What every decision ladder shares: the outcome of deciding a claim, the index patterns, exact comparison.

>>> from symsoft.decide.patterns import index_patterns
>>> import sympy as sp
>>> i, j = sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)
>>> [text for _values, text, _blocks in index_patterns({i: "class", j: "class"}, ())]
['i = j', 'i != j']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy as sp

from symsoft.decide.verdicts import Counterexample


@dataclass(frozen=True)
class Outcome:
    """What deciding a claim gave: status, method, facts used, C values, counterexample, message."""

    status: str
    method: str = ""
    facts: tuple[str, ...] = ()
    classes: tuple[int, ...] = ()
    counterexample: Counterexample | None = None
    message: str = ""
    holds_when: str = ""
    failing: tuple = field(default=(), compare=False)
    for_all_c: bool = False
    features: tuple[int, ...] = ()
    for_every_d: bool = False
    sizes: tuple = ()


def _partitions(items: list) -> list[list[list]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for partition in _partitions(rest):
        for n in range(len(partition)):
            out.append(partition[:n] + [[first] + partition[n]] + partition[n + 1:])
        out.append([[first]] + partition)
    return out


def _pattern_text(blocks: list[list[sp.Symbol]]) -> str:
    parts = []
    for block in blocks:
        if len(block) > 1:
            parts.append(" = ".join(sorted(str(s) for s in block)))
    singles = [sorted(str(s) for s in b)[0] for b in blocks]
    if len(singles) > 1:
        parts.extend(f"{a} != {b}" for a, b in itertools.combinations(sorted(singles), 2))
    return ", ".join(parts)


def index_patterns(kinds: dict, conditions: tuple[str, ...], literals: dict | None = None) -> list[tuple[dict, str, dict]]:
    """Representative assignments of the free indices: one per equality pattern within each kind.

    Returns ``(values, description, blocks per kind)`` triples; conditions such as ``"i != j"``
    drop the patterns that violate them. ``literals`` gives, per kind, the numbered positions the
    step names (``x_1``): each free index is then tried equal to each of them and apart from them.

    >>> import sympy as sp
    >>> i, j = sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)
    >>> [(sorted((str(k), v) for k, v in vals.items()), text) for vals, text, _ in index_patterns({i: "class", j: "class"}, ())]
    [([('i', 1), ('j', 1)], 'i = j'), ([('i', 1), ('j', 2)], 'i != j')]
    """
    by_kind: dict[str, list] = {}
    for symbol, kind in sorted(kinds.items(), key=lambda kv: str(kv[0])):
        by_kind.setdefault(kind, []).append(symbol)
    per_kind = []
    for kind, symbols in sorted(by_kind.items()):
        options = []
        for partition in sorted(_partitions(symbols), key=len):
            options.append((kind, partition))
        per_kind.append(options)
    out = []
    for combination in itertools.product(*per_kind):
        for values, texts, blocks in _placed(combination, literals or {}):
            if _satisfies(values, conditions):
                out.append((values, "; ".join(texts), blocks))
    return out


def summed_indices(*exprs) -> dict:
    r"""Each index a sum in ``exprs`` runs over, with the name of its upper bound when that is a size (a positive
    integer symbol): the axis the index runs over.

    >>> k, n = sp.Symbol("k", integer=True), sp.Symbol("n", integer=True, positive=True)
    >>> summed_indices(sp.Sum(sp.Indexed("y", k), (k, 1, n)))
    {k: 'n'}
    """
    found = {}
    for expr in exprs:
        for total in sp.sympify(expr).atoms(sp.Sum):
            for variable, _low, high in total.limits:
                if isinstance(high, sp.Symbol) and high.is_integer and high.is_positive:
                    found.setdefault(variable, high.name)
    return found


def delta_positions(expr, axis_of: dict) -> dict:
    r"""Per axis, the numbers a Kronecker delta pairs with an index of that axis (``\delta_{k1}``: position 1).

    >>> k = sp.Symbol("k", integer=True)
    >>> delta_positions(sp.KroneckerDelta(k, 1), {k: "C"})
    {'C': {1}}
    """
    found: dict = {}
    for delta in sp.sympify(expr).atoms(sp.KroneckerDelta):
        for number, index in (delta.args, delta.args[::-1]):
            if number.is_Integer and index in axis_of:
                found.setdefault(axis_of[index], set()).add(int(number))
    return found


def _placed(combination, literals: dict):
    """The values of one equality pattern: blocks numbered 1, 2, ...; with numbered positions named by the step,
    every way of putting each block on one of them (distinct blocks on distinct ones) or apart from all."""
    per_kind = []
    for kind, partition in combination:
        ordered = sorted(partition, key=lambda b: min(str(s) for s in b))
        named = sorted(literals.get(kind, ()))
        if len(named) > 2:  # too many cases to list: the first one stands for all
            named = named[:1]
        options = []
        for choice in itertools.product(*([*named, None] for _ in ordered)):
            taken = [c for c in choice if c is not None]
            if len(taken) != len(set(taken)):
                continue
            fresh = (n for n in itertools.count(1) if n not in named)
            numbers = [c if c is not None else next(fresh) for c in choice]
            texts = [_pattern_text(ordered)] if _pattern_text(ordered) else []
            for block, number, chosen in zip(ordered, numbers, choice):
                first = sorted(str(s) for s in block)[0]
                if named:
                    texts.append(f"{first} = {chosen}" if chosen is not None else
                                 ", ".join(f"{first} != {n}" for n in named))
            options.append(({symbol: number for block, number in zip(ordered, numbers) for symbol in block},
                            texts, kind, max([*numbers, *named], default=0)))
        per_kind.append(options)
    for chosen in itertools.product(*per_kind):
        values, texts, blocks = {}, [], {}
        for part_values, part_texts, kind, size in chosen:
            values.update(part_values)
            texts.extend(part_texts)
            blocks[kind] = size
        yield values, texts, blocks


def _satisfies(values: dict, conditions: tuple[str, ...]) -> bool:
    names = {str(k): v for k, v in values.items()}
    for condition in conditions:
        a, relation, b = condition.split()
        if a not in names or b not in names:
            continue
        if (relation == "=") != (names[a] == names[b]):
            return False
    return True


def _violates(relation: str, left: sp.Float, right: sp.Float, digits: int = 25) -> bool:
    scale = 1 + abs(left) + abs(right)
    tolerance = sp.Float(10) ** -digits * scale
    if relation == "=":
        return abs(left - right) > tolerance
    if relation == "<":
        return not left < right - tolerance
    if relation == "<=":
        return left > right + tolerance
    if relation == ">":
        return not left > right + tolerance
    if relation == ">=":
        return left < right - tolerance
    return False


def _show(value: sp.Float) -> str:
    return "0" if abs(value) < sp.Float(10) ** -30 else f"{float(value):.15g}"


def _values(left: sp.Expr, right: sp.Expr, subs: dict, digits: int):
    try:
        lv = sp.sympify(left).xreplace(subs).evalf(digits)
        rv = sp.sympify(right).xreplace(subs).evalf(digits)
    except (ZeroDivisionError, ValueError, TypeError):
        return None, None
    if not (lv.is_number and rv.is_number and lv.is_real and rv.is_real and lv.is_finite and rv.is_finite):
        return None, None  # an undefined constant is left: no value to compare
    return lv, rv


#: what :func:`screen` returns at a point it cannot evaluate (the exact evaluation decides there)
UNSCREENED = "unscreened"


def screens_out(fast, relation: str, point: dict) -> bool:
    """True when the screen shows no violation of the relation at ``point`` (or both sides undefined there).

    >>> x = sp.Symbol("x", real=True)
    >>> screens_out(screen(x**2, x * x, [x]), "=", {x: 3}), screens_out(screen(x**2, x, [x]), "=", {x: 3})
    (True, False)
    """
    if fast is None:
        return False
    values = fast(point)
    if values is UNSCREENED:
        return False
    return values is None or not _violates(relation, sp.Float(str(values[0]), 30), sp.Float(str(values[1]), 30), digits=12)


def screen(left: sp.Expr, right: sp.Expr, symbols: list):
    """A fast numeric screen of both sides (mpmath at 30 digits) at points given for ``symbols``: a function of a
    point that returns (left, right) as mpmath numbers, or None where a side is undefined or not real.
    Only a screen: a violation it shows is confirmed with :func:`_values` before anyone is told.

    >>> x = sp.Symbol("x", real=True)
    >>> f = screen(sp.exp(x), x + 1, [x])
    >>> [float(v) for v in f({x: 0})], f({x: sp.Integer(-1)}) is not None
    ([1.0, 1.0], True)
    """
    import mpmath

    try:
        function = sp.lambdify(symbols, [left, right], modules="mpmath", docstring_limit=0)
    except Exception:  # noqa: BLE001 - a printer that cannot print it: no screen
        return None

    def at(point: dict):
        try:
            with mpmath.workdps(30):
                values = function(*(mpmath.mpf(sp.Rational(point[s]).p) / sp.Rational(point[s]).q for s in symbols))
        except ZeroDivisionError:
            return None
        except Exception:  # noqa: BLE001 - not screened here: the caller evaluates exactly
            return UNSCREENED
        if any(not isinstance(v, (mpmath.mpf, mpmath.mpc)) for v in values):
            return UNSCREENED
        if any(not isinstance(v, mpmath.mpf) or not mpmath.isfinite(v) for v in values):
            return None
        return values

    return at
