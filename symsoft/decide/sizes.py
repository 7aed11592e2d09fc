r"""Decide a claim read under named axes (any model): every index pattern, several sizes of every axis.

The ladder:

1. one case per pattern of equalities among the free indices of each axis (i = j, i != j);
2. for each case, three settings of the sizes, every axis from its smallest size and the axes
   differing from each other (so that ``1/N`` written for ``1/D`` shows);
3. a counterexample at exact points, each input inside its domain (binary labels are 0 or 1, a
   probability vector sums to one, a positive constant is positive), confirmed at 40 digits;
4. a symbolic proof: the difference of the two sides cancels to 0 (inequalities: its sign follows
   from its terms). The facts of the domains (y^2 = y for a binary label, the last component of a
   probability vector is one minus the others) are applied only when needed, and named.

Sampling may refute; it never proves.

>>> from symsoft.parse.latex import parse_side
>>> from symsoft.meaning.tensors import Reading, bind_tensor_side
>>> r = Reading.empty()
>>> left = bind_tensor_side(parse_side(r"\frac{d}{dz} (z^3 + z)"), r)
>>> decide_sizes(left.expr, "=", bind_tensor_side(parse_side(r"3 z^2 + 1"), r).expr, {}, (), r).status
'proved'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.decide.algebra import (HYPERBOLIC, difference_sign, in_exponentials, rational_function_vanishes,
                                    sign_cases)
from symsoft.decide.patterns import (Outcome, _show, _values, _violates, delta_positions, index_patterns, screen,
                                     screens_out, summed_indices)
from symsoft.errors import BindingError
from symsoft.parse.latex import UNREAD_PRODUCT, over_a_written_range
from symsoft.meaning.tensors import (ANONYMOUS, OutOfAxis, PartialOf, Reading, _context, _value, definitions_reached,
                                     instantiate_by_chain, shown_key, size_symbol, unfold_once)
from symsoft.decide.verdicts import Counterexample

_REAL = (0, 1, -1, 2, -2, 3, 1, -3, 2, 1)
_POSITIVE = (1, 2, 3, 1, 4, 2, 1, 3, 5, 2)
_POINTS = 8
_UNIT = (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(3, 4), sp.Rational(1, 5), sp.Rational(2, 3))

_FACT_NAMES = {"binary": "labels are 0 or 1 (y^2 = y)", "probability": "the probabilities sum to one",
               "binary_cases": "labels are 0 or 1 (each case proved)",
               "unit": "a quantity in (0, 1) written p = q/(1 + q) with q > 0",
               "guard": "the condition the text states for this equation",
               "signs": "each sign of the quantities inside a log, |.|, max or min (a case split), where the logs are"
                        " defined"}


@dataclass(frozen=True)
class Valued:
    """Both sides at one setting of the sizes and the indices, with the inputs they depend on."""

    left: sp.Expr
    right: sp.Expr
    registry: dict


def _one_axis_per_slot(lhs: sp.Expr, rhs: sp.Expr, kinds: dict) -> tuple:
    r"""Merge the axes of no known name (``#k``, ``#i``) that index the same slot of one quantity: ``\sum_k
    \delta_{k1} y_k = y_i`` sums y over the axis i runs over (apart, the case i = 2 was never tried).

    >>> from symsoft.meaning.tensors import size_symbol
    >>> k, i, y = sp.Symbol("k", integer=True), sp.Symbol("i", integer=True), sp.IndexedBase("y")
    >>> left = sp.Sum(y[k], (k, 1, size_symbol("#k")))
    >>> _one_axis_per_slot(left, y[i], {i: "#i"})
    (Sum(y[k], (k, 1, #i)), y[i], {i: '#i'})
    """
    axis_of = {**summed_indices(lhs, rhs), **kinds}
    parent: dict = {}

    def root(axis: str) -> str:
        while parent.get(axis, axis) != axis:
            axis = parent[axis]
        return axis

    slots: dict = {}
    for expr in (lhs, rhs):
        for part in sp.sympify(expr).atoms(sp.Indexed):
            for slot, index in enumerate(part.indices):
                axis = axis_of.get(index)
                if axis is not None:
                    slots.setdefault((str(part.base), slot), []).append(axis)
    for axes in slots.values():
        first = root(axes[0])
        for other in axes[1:]:
            other = root(other)
            if other == first or not (first.startswith(ANONYMOUS) or other.startswith(ANONYMOUS)):
                continue  # two named axes stay apart (the reading named them)
            keep, drop = (other, first) if first.startswith(ANONYMOUS) and not other.startswith(ANONYMOUS) else \
                tuple(sorted((first, other), key=lambda a: (a.startswith(ANONYMOUS), a)))
            parent[drop] = keep
            first = keep
    renamed = {size_symbol(axis): size_symbol(root(axis)) for axis in set(axis_of.values()) if root(axis) != axis}
    if not renamed:
        return lhs, rhs, kinds
    return (sp.sympify(lhs).xreplace(renamed), sp.sympify(rhs).xreplace(renamed),
            {index: root(axis) for index, axis in kinds.items()})


def _one_length_two_names(lhs: sp.Expr, rhs: sp.Expr, kinds: dict, reading: Reading) -> list:
    r"""Pairs of named sizes that bound sums over the same slot of one quantity, in the claim or the definitions it
    reaches (``\sum_{k=1}^K e^{z_k}`` in one definition, ``\sum_{j=1}^J e^{z_j}`` in another): ``(A, B, base)``.

    >>> from symsoft.meaning.tensors import size_symbol
    >>> j, k, z = sp.Symbol("j", integer=True), sp.Symbol("k", integer=True), sp.IndexedBase("z")
    >>> left = sp.Sum(sp.exp(z[j]), (j, 1, size_symbol("J")))
    >>> _one_length_two_names(left, sp.Sum(sp.exp(z[k]), (k, 1, size_symbol("K"))), {}, Reading.empty())
    [('J', 'K', 'z')]
    >>> _one_length_two_names(left, sp.Sum(sp.exp(z[k]), (k, 1, size_symbol("J"))), {}, Reading.empty())
    []
    """
    exprs = [sp.sympify(lhs), sp.sympify(rhs)]
    keys = {str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}
    exprs += [sp.sympify(spec.definition[1]) for spec in definitions_reached(sorted(keys), reading)]
    slots: dict = {}
    for expr in exprs:
        axis_of = {**summed_indices(expr), **kinds}
        for part in expr.atoms(sp.Indexed):
            for slot, index in enumerate(part.indices):
                axis = axis_of.get(index)
                if axis is not None and not axis.startswith(ANONYMOUS):
                    slots.setdefault((str(part.base), slot), set()).add(axis)
    pairs = []
    for (base, _slot), named in sorted(slots.items()):
        named = sorted(named)
        pairs += [(a, b, base) for n, a in enumerate(named) for b in named[n + 1:] if (a, b) not in
                  [(x, y) for x, y, _ in pairs]]
    return pairs


def _last_positions(lhs: sp.Expr, rhs: sp.Expr, reading: Reading) -> list:
    r"""``(axis, size, base)`` where a sum written from 0 to ``size - 1`` (``\sum_{j=0}^{n-1} w_j^2``) runs over a
    slot of a quantity whose axis, numbered from 0, the reading knows by another name (w_j summed without bounds
    elsewhere): one length, its last position written ``n - 1`` here, in the claim or the definitions it reaches.

    >>> from symsoft.meaning.tensors import TensorSpec, component, size_symbol
    >>> j = sp.Symbol("j", integer=True)
    >>> r = Reading(zero_based=frozenset({"D"})).with_tensor(TensorSpec("w_1", "w", ("D",)))
    >>> _last_positions(sp.Sum(component("w_1", j) ** 2, (j, 0, size_symbol("n") - 1)), sp.Integer(0), r)
    [('D', 'n', 'w')]
    """
    exprs = [sp.sympify(lhs), sp.sympify(rhs)]
    keys = {str(part.base) for expr in exprs for part in expr.atoms(sp.Indexed)}
    exprs += [sp.sympify(spec.definition[1]) for spec in definitions_reached(sorted(keys), reading)]
    found = []
    for expr in exprs:
        for total in expr.atoms(sp.Sum):
            for variable, low, high in total.limits:
                size = high + 1
                if low != 0 or not (isinstance(size, sp.Symbol) and size.is_integer and size.is_positive):
                    continue
                for part in total.function.atoms(sp.Indexed):
                    spec = reading.tensors.get(str(part.base))
                    for slot, index in enumerate(part.indices):
                        axis = spec.axes[slot] if spec is not None and slot < len(spec.axes) else None
                        if index == variable and axis and axis != size.name and axis in reading.zero_based \
                                and (axis, size.name, shown_key(str(part.base))) not in found:
                            found.append((axis, size.name, shown_key(str(part.base))))
    return sorted(found)


def _axes(lhs: sp.Expr, rhs: sp.Expr, kinds: dict, reading: Reading) -> list[str]:
    """The axes a claim ranges over: its indices', its sums', and those of the definitions it unfolds."""
    axes = set(kinds.values())
    seen: set = set()
    todo = [sp.sympify(lhs), sp.sympify(rhs)]
    while todo:
        expr = todo.pop()
        for symbol in expr.free_symbols:
            if symbol.is_integer and symbol.is_positive:
                axes.add(symbol.name)
        for sum_ in expr.atoms(sp.Sum):
            for _v, _l, high in sum_.limits:
                axes.update(s.name for s in high.free_symbols if s.is_integer and s.is_positive)
        for part in expr.atoms(sp.Indexed):
            key = str(part.base)
            spec = reading.tensors.get(key)
            if spec is None or key in seen:
                continue
            seen.add(key)
            axes.update(a for a in spec.axes if a)
            if spec.definition is not None:
                todo.append(sp.sympify(spec.definition[1]))
    return sorted(axes)


def _size_settings(axes: list[str], blocks: dict, reading: Reading) -> list[dict]:
    """Three settings of the sizes, each axis from its smallest, the axes apart from each other."""
    settings = []
    for t in range(3):
        setting = {}
        for position, axis in enumerate(axes):
            smallest = max(reading.minimum.get(axis, 1), blocks.get(axis, 0), 1)
            setting[axis] = reading.fixed.get(axis, smallest + (t + position) % 3)
        if setting not in settings:
            settings.append(setting)
    return settings or [{}]


def _value_at(expr: sp.Expr, reading: Reading, sizes: dict, values: dict, registry: dict,
              held: frozenset = frozenset()) -> sp.Expr:
    ctx = _context(reading, sizes, values, registry)
    return _value(sp.sympify(expr), ctx, dict(values), held)


def _mentioned(expr: sp.Expr) -> set:
    return {str(part.base) for part in sp.sympify(expr).atoms(sp.Indexed)}


def holdable(lhs: sp.Expr, rhs: sp.Expr, reading: Reading) -> frozenset:
    """Defined quantities a proof may treat as free numbers: the claim names nothing they are made of.

    An identity that holds for every value of z_k holds for the z_k the definition gives; so a
    proof may stop unfolding there (much smaller expressions). Counterexamples never use this.
    """
    mentioned = _mentioned(lhs) | _mentioned(rhs)

    def below(key: str, seen: set) -> set:
        spec = reading.tensors.get(key)
        if spec is None or key in seen:
            return set()
        if spec.definition is None:  # an opened quantity is made of what it is opened in
            return set(spec.open_in)
        seen.add(key)
        parts = _mentioned(spec.definition[1])
        out = set(parts)
        for part in parts:
            out |= below(part, seen)
        return out

    return frozenset(key for key, spec in reading.tensors.items()
                     if spec.definition is not None and not (below(key, set()) & mentioned))


def _domain(symbol: sp.Symbol, registry: dict, reading: Reading) -> str:
    entry = registry.get(symbol)
    if entry is None:
        return "real"
    spec = reading.tensors.get(entry[0])
    return spec.domain if spec is not None else "real"


def _point(symbols: list, registry: dict, reading: Reading, n: int) -> dict:
    """The n-th exact point: every input inside its domain."""
    subs = {}
    groups: dict = {}
    for position, symbol in enumerate(symbols):
        domain = _domain(symbol, registry, reading)
        if domain in ("probability", "onehot"):
            key, positions = registry[symbol]
            groups.setdefault((key, positions[:-1]), []).append((positions[-1], symbol))
            continue
        k = (n * 3 + position * 7) % len(_REAL)
        if domain == "binary":
            subs[symbol] = sp.Integer((n + position) % 2 if n % 3 else (n // 3 + position + 1) % 2)
        elif domain == "positive":
            subs[symbol] = sp.Integer(_POSITIVE[k])
        elif domain == "unit":
            subs[symbol] = _UNIT[k % len(_UNIT)]
        elif domain == "nonnegative":
            subs[symbol] = sp.Integer(abs(_REAL[k]))
        else:
            subs[symbol] = sp.Integer(_REAL[k])
    for (key, rest), members in groups.items():
        spec = reading.tensors.get(key)
        axis = spec.axes[-1] if spec is not None and spec.axes else None
        size = max(p for p, _ in members)
        size = max(size, _size_of(axis, registry, size))
        if n % 3 == 0:
            weights = [sp.Rational(1, size)] * size
        elif n % 3 == 1:
            hot = (n // 3) % size
            weights = [sp.Integer(1 if c == hot else 0) for c in range(size)]
        else:
            total = size * (size + 1) // 2
            weights = [sp.Rational(c + 1, total) for c in range(size)]
        for position, symbol in members:
            subs[symbol] = weights[position - 1]
    return subs


def _size_of(axis, registry: dict, default: int) -> int:
    return default if axis is None else registry.get(("size", axis), default)


#: the sign a guard (``a_m > 0``) asks of its quantity, as a test of a number
_GUARD_TESTS = {"positive": lambda v: v > 0, "negative": lambda v: v < 0, "nonnegative": lambda v: v >= 0,
                "nonpositive": lambda v: v <= 0}


def _guard_values(guards: tuple, reading: Reading, sizes: dict, values: dict, registry: dict) -> list:
    """Each guard's quantity at these sizes and index values (an expression in the inputs), with its sign."""
    return [(_value_at(expr, reading, sizes, values, registry), sign) for expr, sign in guards]


def _guards_hold(guarded: list, subs: dict) -> bool:
    """True when every guard holds at the point (its value is a number of the asked sign)."""
    for value, sign in guarded:
        number = sp.sympify(value).xreplace(subs).evalf(30)
        if not (number.is_number and number.is_real and _GUARD_TESTS[sign](number)):
            return False
    return True


def _counterexample(valued: Valued, relation: str, reading: Reading, sizes: dict, values: dict, guards: tuple = ()):
    registry = dict(valued.registry)
    try:
        guarded = _guard_values(guards, reading, sizes, values, registry)
    except (BindingError, OutOfAxis, ValueError, TypeError):
        return None  # a condition that cannot be evaluated here: no point is known to meet it
    if valued.left.has(AppliedUndef) or valued.right.has(AppliedUndef):
        return None  # a function the document leaves open: a value of it would be a choice (the caller makes it)
    symbols = sorted(set().union(valued.left.free_symbols, valued.right.free_symbols,
                                 *(sp.sympify(v).free_symbols for v, _s in guarded)), key=str)
    for symbol in symbols:
        entry = registry.get(symbol)
        spec = reading.tensors.get(entry[0]) if entry else None
        if spec is not None and spec.opaque:
            return None  # a quantity the document defines in a way not read: no value of ours is its value
        if spec is not None and spec.domain == "outcome" and spec.definition is None:
            return None  # p(x) under a sum over outcomes, never defined: a distribution the prose names, maybe
        if entry and re.fullmatch(r"[A-Z]", entry[0]) and (spec is None or spec.definition is None) and not (
                spec is not None and (spec.origin == "model" or spec.domain != "real")):
            return None  # a capital letter the document does not define (nor the model, nor a domain): a count or a
            # matrix, never our number
        if symbol.is_integer:
            return None  # a size or an index left without a value
        if entry and not entry[1] and _domain(symbol, registry, reading) in ("probability", "onehot"):
            return None  # a named scalar the text says is a probability of a vector: no point of ours keeps the sum
    for axis, size in sizes.items():
        registry[("size", axis)] = size
    if relation == "!=":
        return _equal_somewhere(valued, reading, sizes, values, symbols, registry, guarded)
    fast = screen(valued.left, valued.right, symbols)
    for n in range(_POINTS * (3 if guarded else 1)):  # more points when a condition rules some out
        subs = _point(symbols, registry, reading, n)
        if guarded and not _guards_hold(guarded, subs):
            continue  # the text states a condition this point breaks
        if screens_out(fast, relation, subs):
            continue  # undefined there, or no violation at 30 digits: no need for the slow exact evaluation
        lv, rv = _values(valued.left, valued.right, subs, 20)
        if lv is None or not _violates(relation, lv, rv, digits=12):
            continue
        lv, rv = _values(valued.left, valued.right, subs, 40)
        if lv is None or not _violates(relation, lv, rv):
            continue
        return _found(symbols, subs, sizes, values, lv, rv)
    return None


def _equal_somewhere(valued: Valued, reading: Reading, sizes: dict, values: dict, symbols: list, registry: dict,
                     guarded: list):
    """A counterexample to ``left != right``: a point of the domains where the two sides are exactly equal (decided
    exactly, never by sampling), or None."""
    difference = valued.left - valued.right
    for n in range(_POINTS * (3 if guarded else 1)):
        subs = _point(symbols, registry, reading, n)
        if guarded and not _guards_hold(guarded, subs):
            continue
        try:
            value = difference.xreplace(subs)
            if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not (value == 0 or sp.simplify(value) == 0):
                continue
            lv = sp.N(valued.left.xreplace(subs), 20)
        except (TypeError, ValueError, ZeroDivisionError, RecursionError):
            continue
        if not (lv.is_number and lv.is_finite):
            continue
        return _found(symbols, subs, sizes, values, lv, lv)
    return None


def _found(symbols: list, subs: dict, sizes: dict, values: dict, lv, rv) -> Counterexample:
    """The counterexample at the point ``subs`` with the two sides' values ``lv`` and ``rv``."""
    shown = tuple((str(s), str(subs[s])) for s in symbols)
    named = tuple((axis, size) for axis, size in sorted(sizes.items()) if not axis.startswith(ANONYMOUS))
    return Counterexample(classes=0, features=0, indices=tuple(sorted((str(k), int(v)) for k, v in values.items())),
                          values=shown, lhs=_show(lv), rhs=_show(rv), sizes=named)


def _with_facts(expr: sp.Expr, registry: dict, reading: Reading) -> tuple[sp.Expr, tuple]:
    """``expr`` with the facts of the domains applied: binary y^k = y, the last probability = 1 - the others."""
    used = []
    binary = [s for s in expr.free_symbols if _domain(s, registry, reading) == "binary"]
    if binary:
        reduced = expr.replace(lambda e: isinstance(e, sp.Pow) and e.base in binary and e.exp.is_integer and e.exp > 1,
                               lambda e: e.base)
        if reduced != expr:
            expr = reduced
            used.append("binary")
    groups: dict = {}
    for symbol in expr.free_symbols:
        if _domain(symbol, registry, reading) == "probability":
            key, positions = registry[symbol]
            groups.setdefault((key, positions[:-1]), []).append((positions[-1], symbol))
    for (key, rest), members in groups.items():
        size = registry.get(("size", _axis_of(key, reading)), max(p for p, _ in members))
        if len(members) != size:
            continue  # the fact needs every component of the vector
        members.sort(key=lambda m: m[0])
        last = members[-1][1]
        expr = expr.xreplace({last: 1 - sp.Add(*(s for _, s in members[:-1]))})
        used.append("probability")
    return expr, tuple(dict.fromkeys(used))


def _axis_of(key: str, reading: Reading):
    spec = reading.tensors.get(key)
    return spec.axes[-1] if spec is not None and spec.axes else None


def _prove(valued: Valued, relation: str, reading: Reading, sizes: dict, quick: bool = False) -> tuple[bool, tuple]:
    registry = dict(valued.registry)
    for axis, size in sizes.items():
        registry[("size", axis)] = size
    difference = sp.sympify(valued.left - valued.right) if relation == "=" else (
        valued.right - valued.left if relation in ("<", "<=") else valued.left - valued.right)
    candidates = [(difference, ())]
    with_facts, used = _with_facts(difference, registry, reading)
    if used:
        candidates.append((with_facts, used))
    unit = {s: sp.Symbol(f"{s.name}'", positive=True) for s in difference.free_symbols
            if _domain(s, registry, reading) == "unit"}
    if unit:  # p in (0, 1) is q/(1 + q) for one q > 0: logs of p and 1 - p expand
        candidates.append((difference.xreplace({s: q / (1 + q) for s, q in unit.items()}), ("unit",)))
    binary = sorted((s for s in difference.free_symbols if _domain(s, registry, reading) == "binary"), key=str)
    cases = [dict(zip(binary, values)) for values in _binary_cases(len(binary))] if 0 < len(binary) <= 4 else []
    for fast in (True,) if quick else (True, False):  # the quick rational test before any slow simplification
        for candidate, facts in candidates:
            if _holds(candidate, relation, fast):
                return True, facts
        if cases and all(_holds(difference.xreplace(case), relation, fast) for case in cases):
            return True, ("binary_cases",)  # a binary label is 0 or 1: each case proved
    signs = [] if quick or relation != "=" else sign_cases(valued.left, valued.right)
    if signs and all(_holds(difference.xreplace(case), relation) for case in signs):
        return True, ("signs",)  # each sign of what a log, |.|, max or min holds: each case proved
    return False, ()


def _quick_proof(lhs: sp.Expr, relation: str, rhs: sp.Expr, reading: Reading, sizes: dict, values: dict,
                 held: frozenset, chain: bool, guards: tuple = ()) -> tuple[bool, tuple]:
    """The proofs tried before the full expansion: the defined quantities the claim does not look inside held as
    numbers, then the chain rule through every definition (:func:`_prove_by_chain`)."""
    if chain and (lhs.has(PartialOf) or rhs.has(PartialOf)):  # a derivative: the chain rule is quicker
        proved, used = _prove_by_chain(lhs, relation, rhs, reading, sizes, values, guards=guards)
        if proved:
            return True, used
        chain = False
    if held:
        registry: dict = {}
        try:
            quick = Valued(_value_at(lhs, reading, sizes, values, registry, held),
                           _value_at(rhs, reading, sizes, values, registry, held), registry)
            proved, used = _prove(quick, relation, reading, sizes, quick=True)  # the slow tests after the search
        except (BindingError, ValueError, TypeError, ZeroDivisionError):
            proved, used = False, ()
        if proved:
            return True, used
    return _prove_by_chain(lhs, relation, rhs, reading, sizes, values, guards=guards) if chain else (False, ())


def _signed(guards: tuple, value_of) -> dict:
    """Each guarded quantity that is one symbol here, mapped to a symbol of the sign the guard states: ``a_m > 0``
    makes the held ``a_1`` positive (``max(0, a_1)`` is then ``a_1``). A proof with it holds where the guard does."""
    mapping = {}
    for expr, sign in guards:
        symbol = value_of(expr)
        if isinstance(symbol, sp.Symbol) and not symbol.is_integer:
            mapping[symbol] = sp.Symbol(symbol.name, **{sign: True}, real=True)
    return mapping


def _prove_by_chain(lhs: sp.Expr, relation: str, rhs: sp.Expr, reading: Reading, sizes: dict, values: dict,
                    levels: int = 6, guards: tuple = ()) -> tuple[bool, tuple]:
    """A proof with the defined quantities held as symbols (derivatives by the chain rule through them), unfolded
    one level at a time: an identity in the held symbols holds at the values the definitions give them.
    Only the quick rational test is tried at each level (the full expansion comes after)."""
    registry: dict = {}
    try:
        left = instantiate_by_chain(lhs, reading, sizes, values, registry)
        right = instantiate_by_chain(rhs, reading, sizes, values, registry)
        signed = _signed(guards, lambda e: instantiate_by_chain(e, reading, sizes, values, registry))
        guarded = (left.xreplace(signed), right.xreplace(signed))
        condition = ("guard",) if guarded != (left, right) else ()
        left, right = guarded
        for _level in range(levels):
            proved, used = _prove(Valued(left, right, registry), relation, reading, sizes, quick=True)
            if proved:
                return True, used + condition
            unfolded = unfold_once((left, right), reading, sizes, registry, values)
            if unfolded == (left, right):
                break
            left, right = unfolded
    except (BindingError, ValueError, TypeError, ZeroDivisionError, RecursionError):
        pass
    return False, ()


def _binary_cases(count: int):
    for number in range(2 ** count):
        yield tuple(sp.Integer((number >> bit) & 1) for bit in range(count))


def _is_zero(expr: sp.Expr) -> bool:
    """True when ``expr`` simplifies to 0, with logs expanded only where their arguments are positive.

    >>> x = sp.Symbol("x", real=True)
    >>> _is_zero(sp.log(x**2) - 2 * sp.log(x)), _is_zero(sp.log(sp.exp(x) * 2) - x - sp.log(2))
    (False, True)
    """
    e = sp.cancel(sp.together(sp.expand_log(expr)))
    if e == 0:
        return True
    return sp.simplify(sp.logcombine(sp.expand(e))) == 0


def _as_rational(expr: sp.Expr) -> sp.Expr:
    """``expr`` with e^{c s} written U_s^c and tanh(s) written T_s for each symbol s: if that rational function
    cancels to 0, so does ``expr`` (the new symbols are only given more freedom than the functions have)."""
    expr = sp.expand_log(expr)  # never forced: log(x^2) = 2 log(x) only for x > 0
    if expr.has(*HYPERBOLIC[1:]) or expr.has(sp.tanh) and expr.has(sp.exp):  # tanh t beside e^t: both in e^t
        expr = in_exponentials(expr)
    tanh = {f: sp.Symbol(f"T[{f.args[0]}]", real=True) for f in expr.atoms(sp.tanh) if f.args[0].is_Symbol}
    expr = sp.expand_power_exp(expr.xreplace(tanh))
    expr = expr.replace(lambda e: isinstance(e, sp.exp) and isinstance(sp.expand(e.args[0]), sp.Add),
                        lambda e: sp.Mul(*(sp.exp(term) for term in sp.expand(e.args[0]).args)))
    mapping = {}
    for function in expr.atoms(sp.exp):
        coefficient, rest = function.args[0].as_coeff_Mul()
        if coefficient.is_Rational and rest.free_symbols and not rest.has(sp.exp, sp.log, sp.tanh):
            mapping[function] = sp.Symbol(f"U[{sp.srepr(rest)}]", positive=True) ** coefficient
    return expr.xreplace(mapping)


def _nonzero_at_a_point(expr: sp.Expr) -> bool:
    """True when ``expr`` is clearly not 0 at one point of its symbols' domains (each a distinct number in (0, 1/2),
    negated for a negative symbol): then no identity makes it 0, and the slow tests are skipped. False when unsure
    (a pole, a complex value, an integer symbol, a value near 0). A screen only: never a proof of anything.

    >>> x, y = sp.symbols("x y", positive=True)
    >>> _nonzero_at_a_point(x * y - y * x + 1), _nonzero_at_a_point((x + y)**2 - x**2 - 2*x*y - y**2)
    (True, False)
    """
    if expr.has(AppliedUndef):
        return False  # g(x) of an open g has no value here (and evaluating its derivative can recurse forever)
    point = {}
    for number, symbol in enumerate(sorted(expr.free_symbols, key=str)):
        if symbol.is_integer is not False and symbol.is_integer is not None:
            return False
        value = sp.Rational(number + 1, 2 * number + 5)
        point[symbol] = -value if symbol.is_negative or symbol.is_nonpositive else value
    try:
        value = sp.N(expr.xreplace(point), 40)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return False
    return bool(value.is_Float and abs(value) > 1e-15)


def _holds(candidate: sp.Expr, relation: str, fast: bool = False) -> bool:
    """True when ``candidate`` (a difference of the sides) shows the relation; ``fast`` tries only the quick tests."""
    if relation == "=":
        if _nonzero_at_a_point(candidate):
            return False
        try:
            rational = _as_rational(candidate)
            quickly = rational_function_vanishes(rational)
            if quickly or quickly is None and sp.cancel(sp.together(rational)) == 0:
                return True
        except (sp.PolynomialError, ValueError, TypeError):
            pass
        return False if fast else _is_zero(candidate)
    sign = difference_sign(candidate)
    return sign == "pos" or (sign == "nonneg" and relation in ("<=", ">="))


def _numbered_positions(lhs: sp.Expr, rhs: sp.Expr, reading: Reading, kinds: dict | None = None) -> dict:
    r"""Per axis, the numbered positions the step names (``x_1^{(i)}``: position 1 of the feature axis; ``\delta_{k1}``
    with k summed or free over an axis: position 1 of that axis)."""
    found: dict = delta_positions(sp.sympify(lhs) - sp.sympify(rhs), {**summed_indices(lhs, rhs), **(kinds or {})})
    for part in sp.sympify(lhs - rhs).atoms(sp.Indexed):
        spec = reading.tensors.get(str(part.base))
        if spec is None:
            continue
        for slot, index in enumerate(part.indices):
            if index.is_Integer and slot < len(spec.axes) and spec.axes[slot] and \
                    index >= (0 if spec.axes[slot] in reading.zero_based | reading.intercepts else 1):
                found.setdefault(spec.axes[slot], set()).add(int(index))
    return found


def _constant_indices(lhs: sp.Expr, rhs: sp.Expr, reading: Reading) -> dict:
    """The constant indices (``c*``) inside the definitions the step uses, with their axes: tried like free indices."""
    found = {}
    for spec in definitions_reached(_mentioned(lhs) | _mentioned(rhs), reading):
        found.update({symbol: axis for symbol, axis in spec.constants})
    return found


def _fails_with_equal_sizes(lhs, relation, rhs, reading: Reading, patterns, axes, pair, guards, offset: int = 0) -> bool:
    """True when a counterexample is found with the two sizes of ``pair`` equal (the second ``offset`` more than
    the first: a last position written ``n - 1``), at every pattern and setting."""
    first, second = pair
    for values, _text, blocks in patterns:
        for sizes in _size_settings(axes, blocks, reading):
            sizes = {**sizes, second: sizes.get(first, sizes.get(second)) + offset}
            registry: dict = {}
            try:
                left = _value_at(lhs, reading, sizes, values, registry)
                right = _value_at(rhs, reading, sizes, values, registry)
            except OutOfAxis:
                continue
            except BindingError:
                return True
            if _counterexample(Valued(left, right, registry), relation, reading, sizes, values, guards) is not None:
                return True
    return False


def decide_sizes(lhs: sp.Expr, relation: str, rhs: sp.Expr, kinds: dict, conditions: tuple, reading: Reading,
                 guards: tuple = (), prove: bool = True) -> Outcome:
    r"""Decide ``lhs relation rhs`` under named axes for every index pattern and three settings of the sizes.

    ``guards`` are conditions the text states, ``(quantity, sign)``: proofs may use them, counterexamples meet them.
    With ``prove=False`` only a counterexample is looked for.

    >>> from symsoft.parse.latex import parse_side
    >>> from symsoft.meaning.tensors import Reading, TensorSpec, bind_tensor_side
    >>> r = Reading.empty().with_tensor(TensorSpec("x_1", "x", ("D",)))
    >>> side = bind_tensor_side(parse_side(r"\sum_{t=1}^D x_t"), r)
    >>> out = decide_sizes(side.expr, "=", bind_tensor_side(parse_side(r"x_1 + x_2"), r).expr, {}, (), r)
    >>> out.status, out.counterexample.sizes
    ('refuted', (('D', 3),))
    """
    prove = prove and relation != "!="  # a \neq claim is refuted by a point where both sides are equal, never proved
    lhs, rhs, kinds = _one_axis_per_slot(lhs, rhs, kinds)
    anonymous = sorted(str(k) for k, axis in kinds.items() if axis.startswith(ANONYMOUS))
    if anonymous and len(kinds) > 1:  # it might run over another index's axis: the cases i = k would be missed
        return Outcome("unverified", message=f"cannot tell which axis the index {anonymous[0]} runs over, so the"
                                             " cases where it equals another index cannot be listed")
    kinds = {**_constant_indices(lhs, rhs, reading), **kinds}
    literals = _numbered_positions(lhs, rhs, reading, kinds)
    for axis in set(kinds.values()) & reading.zero_based:  # position 0 may be special (x_0 = 1): always tried
        literals.setdefault(axis, set()).add(0)
    patterns = index_patterns(kinds, conditions, literals)
    if not patterns:
        return Outcome("unverified", message="the stated conditions exclude every case")
    axes = _axes(lhs, rhs, kinds, reading)
    failing, holding, unproved = [], [], []
    facts: list[str] = []
    checked: dict = {}
    held = holdable(lhs, rhs, reading)
    chain = any(spec.definition is not None for spec in reading.tensors.values())
    for values, text, blocks in patterns:
        failed = False
        for sizes in _size_settings(axes, blocks, reading):
            proved, used = _quick_proof(lhs, relation, rhs, reading, sizes, values, held, chain, guards) if prove \
                else (False, ())
            if proved:
                facts.extend(used)
                for axis, size in sizes.items():
                    checked.setdefault(axis, set()).add(size)
                continue
            registry = {}
            try:
                left = _value_at(lhs, reading, sizes, values, registry)
                right = _value_at(rhs, reading, sizes, values, registry)
            except OutOfAxis:
                continue  # a component the step names does not exist at these sizes
            except BindingError as error:
                return Outcome("unverified", message=str(error))
            if not (over_a_written_range(left) and over_a_written_range(right)):  # a definition's \prod_{i=1}^n
                return Outcome("unverified", message=UNREAD_PRODUCT)
            valued = Valued(left, right, registry)
            counterexample = _counterexample(valued, relation, reading, sizes, values, guards)
            if counterexample is not None:
                failing.append((text, counterexample))
                failed = True
                break
            try:
                signed = _signed(guards, lambda e: _value_at(e, reading, sizes, values, registry))
            except (BindingError, OutOfAxis, ValueError, TypeError):
                signed = {}
            guarded = (left.xreplace(signed), right.xreplace(signed))
            proved, used = _prove(Valued(*guarded, registry), relation, reading, sizes) if prove else (False, ())
            if proved and guarded != (left, right):
                used = used + ("guard",)
            if not proved:
                unproved.append((text, sizes))
                continue
            facts.extend(used)
            for axis, size in sizes.items():
                checked.setdefault(axis, set()).add(size)
        if not failed:
            holding.append(text)
    if failing:
        for a, b, base in _one_length_two_names(lhs, rhs, kinds, reading):
            if not _fails_with_equal_sizes(lhs, relation, rhs, reading, patterns, axes, (a, b), guards):
                name = shown_key(base)
                return Outcome("unverified", message=f"false only where {a} and {b} differ, yet both number the"
                                                     f" components of {name}: read as one length, the step holds")
        for axis, size, name in _last_positions(lhs, rhs, reading):
            if axis in axes and not _fails_with_equal_sizes(lhs, relation, rhs, reading, patterns, axes, (axis, size),
                                                            guards, 1):
                shown = axis.lstrip(ANONYMOUS)
                return Outcome("unverified", message=f"false only where the last component of {name} ({shown}) is not"
                                                     f" {size} - 1, yet a sum from 0 to {size} - 1 runs over them: read"
                                                     " as one length, the step holds")
        text, counterexample = failing[0]
        cases = [t for t, _ in failing if t]
        holds = "; ".join(t for t in holding if t)
        message = ("false in every case" if len(patterns) > 1 else "false") if not holding or not cases else \
            "false when " + " and when ".join(cases)
        return Outcome("refuted", "counterexample (confirmed at 40 digits)", counterexample=counterexample,
                       holds_when=holds, message=message, failing=tuple(cases))
    if unproved:
        text, sizes = unproved[0]
        where = f" when {text}" if text else ""
        named = ", ".join(f"{a} = {n}" for a, n in sorted(sizes.items()) if not a.startswith(ANONYMOUS))
        if relation == "!=":
            return Outcome("unverified", message=f"no point found where the two sides are equal{where}; that they never"
                                                 " are is not proved" + (f" ({named})" if named else ""))
        return Outcome("unverified", message=f"no counterexample found, but no symbolic proof either{where}"
                                             + (f" ({named})" if named else ""))
    if not checked and axes:
        return Outcome("unverified", message="no sizes give every component the step names a value")
    method = "exact identity (the difference simplifies to 0)" if relation == "=" else \
        "sign of the difference (positive terms, squares)"
    return Outcome("proved", method, tuple(_FACT_NAMES[f] for f in dict.fromkeys(facts)),
                   sizes=tuple((axis, tuple(sorted(sizes))) for axis, sizes in sorted(checked.items())
                               if not axis.startswith(ANONYMOUS)))


def follows_from_equations(difference: sp.Expr, premises: tuple, kinds: dict, reading: Reading) -> tuple:
    r"""The sizes at which ``difference = 0`` follows from the equations ``g = 0`` of ``premises`` (``(g, kinds)``
    pairs): ``difference`` is a combination of the g's with numbers for coefficients, found exactly by linear
    algebra at each of three settings of the sizes. Then the step holds wherever the equations above do (at the
    solution of the equations a derivation sets to zero). Returns ``((axis, sizes), ...)``, ``(("", ()),)`` when no
    axis enters, or ``()`` when it does not follow (or has a free index, or a component no size names).

    >>> from symsoft.parse.latex import parse_side
    >>> from symsoft.meaning.tensors import Reading, TensorSpec, bind_tensor_side
    >>> r = Reading.empty().with_tensor(TensorSpec("x_1", "x", ("N",))).with_tensor(TensorSpec("y_1", "y", ("N",)))
    >>> bound = lambda text: bind_tensor_side(parse_side(text), r).expr
    >>> g = bound(r"\sum_{i=1}^N x_i (y_i - w x_i)")
    >>> follows_from_equations(bound(r"N \sum_{i=1}^N x_i y_i - N \sum_{i=1}^N x_i^2 w"), ((g, {}),), {}, r)
    (('N', (1, 2, 3)),)
    >>> follows_from_equations(bound(r"\sum_{i=1}^N x_i y_i - w"), ((g, {}),), {}, r)
    ()
    """
    exprs = [sp.sympify(difference)] + [sp.sympify(g) for g, _kinds in premises]
    if not premises or any(symbol.is_integer and not symbol.is_positive for e in exprs for symbol in e.free_symbols):
        return ()  # a free index: which components the equations above are about is not read here
    every_kind = dict(kinds)
    for _g, premise_kinds in premises:
        every_kind.update(premise_kinds)
    axes = _axes(exprs[0], sp.Add(*exprs[1:]), every_kind, reading)
    coefficients = sp.symbols(f"c0:{len(premises)}", cls=sp.Dummy)
    checked: dict = {}
    for sizes in _size_settings(axes, {}, reading):
        registry: dict = {}
        values = []
        for e in exprs:
            try:
                value = _value_at(e, reading, sizes, {}, registry)
            except (OutOfAxis, BindingError, ValueError, TypeError):
                value = None
            if value is not None and value.has(AppliedUndef, sp.Derivative, sp.Sum, PartialOf):
                value = None  # an open function or a sum left unevaluated: not an equation of numbers
            if value is None and not values:
                return ()
            values.append(value)  # an equation above not valued here is left out of the combination
        numerator = sp.expand(sp.numer(sp.together(values[0] - sum(c * v for c, v in zip(coefficients, values[1:])
                                                                   if v is not None))))
        if numerator == 0:
            continue
        try:
            generators = [g for g in sp.Poly(numerator).gens if not g.free_symbols & set(coefficients)]
            equations = sp.Poly(numerator, *generators).coeffs() if generators else [numerator]
        except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
            return ()
        if any(not e.free_symbols <= set(coefficients) for e in equations):
            return ()
        solution = sp.linsolve(equations, coefficients)
        if not solution:
            return ()
        for axis, size in sizes.items():
            checked.setdefault(axis, set()).add(size)
    return tuple((axis, tuple(sorted(found))) for axis, found in sorted(checked.items())) or (("", ()),)
