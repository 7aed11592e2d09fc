r"""Decide one claim ``lhs (= | < | <= | > | >=) rhs`` in index notation.

The ladder, in order:

1. :func:`index_patterns` — one case per pattern of equalities among the free indices (i = j,
   i != j), restricted by the stated conditions; softmax is symmetric under permuting classes, so
   one representative assignment covers each pattern.
2. :func:`find_counterexample` — evaluate both sides at fixed integer logits, features, weights
   and exact probability labels; a violation is confirmed with 40-digit evaluation. Sampling
   may refute; it never proves.
3. :func:`prove_identity` / :func:`prove_inequality` — a symbolic proof: with ``e^{z_k} = u_k``
   (u_k > 0) both sides are rational functions, whose difference must cancel to 0, or whose sign
   follows from positive terms; the label fact sum_k yhat_k = 1 is applied only when needed, and
   named.

:func:`decide` joins them and returns an :class:`Outcome`.

>>> from symsoft.models.softmax.semantics import Softmax, Z, index
>>> i = index("i")
>>> decide(Softmax(Z[i]), ">", 0, {i: "class"}, (), classes=(2, 3)).status
'proved'
"""

from __future__ import annotations

import re

import sympy as sp

from symsoft.decide.algebra import difference_sign, is_zero, sign_cases
from symsoft.errors import BindingError
from symsoft.models.softmax.semantics import Instance, OutOfRange, instantiate, model_for
from symsoft.decide.patterns import (Outcome, _show, _values, _violates, delta_positions, index_patterns, screen,
                                     screens_out, summed_indices)
from symsoft.decide.verdicts import Counterexample

#: Classes checked when no C is given.
DEFAULT_CLASSES = (2, 3, 4)
_LOGIT_POINTS = ((0, 1, 2, 3, -1, 4), (1, 0, -1, 2, 3, -2), (0, 0, 0, 0, 0, 0), (2, -3, 1, 0, -1, 1), (-2, 2, 0, 1, 3, -1),
                 (-5, -4, -6, -5, -7, -4))
_FEATURE_POINTS = ((1, 2, -1, 3), (2, -1, 1, 1), (-1, 3, 2, -2))
_WEIGHT_POINTS = ((1, 0, -1, 2, 1, -2, 0, 1), (0, 1, 2, -1, 1, 0, -1, 2))












def _points(model, classes: int, features: int):
    """Exact evaluation points: integer logits, features, weights and rational probability labels."""
    labels = [
        tuple(sp.Rational(1, classes) for _ in range(classes)),
        tuple(sp.Integer(1 if k == 0 else 0) for k in range(classes)),
        tuple(sp.Rational(k + 1, classes * (classes + 1) // 2) for k in range(classes)),
    ]
    for n, logits in enumerate(_LOGIT_POINTS):
        spread = [logits[k % len(logits)] - (k // len(logits)) % 3 for k in range(classes)]
        yield _point(model, spread, n, labels[n % len(labels)])
    if classes > 4:
        # the first classes as at a small C and the others far below them: what fails at C <= 4
        # (sigma_i <= 1/2, say) also fails here, where the points above spread the mass out
        for n, logits in enumerate(_LOGIT_POINTS):
            yield _point(model, [logits[k] if k < 4 else -40 for k in range(classes)], n, labels[1])


def _point(model, logits: list[int], n: int, labels: tuple) -> dict:
    """One exact point: these logits and labels, the n-th feature and weight values."""
    subs = {z: sp.Integer(v) for z, v in zip(model.z, logits)}
    feats = _FEATURE_POINTS[n % len(_FEATURE_POINTS)]
    subs.update({x: sp.Integer(feats[t % len(feats)]) for t, x in enumerate(model.x)})
    weights = _WEIGHT_POINTS[n % len(_WEIGHT_POINTS)]
    subs.update({w: sp.Integer(weights[m % len(weights)]) for m, w in enumerate(model.W)})
    subs.update(dict(zip(model.y, labels)))
    return subs


_CONSTANT_POINTS = ((1, 0, 2, -1), (0, 1, -1, 2), (2, -1, 1, 0), (-1, 2, 0, 1), (3, 1, -2, 1), (1, 1, 1, 1))
_POSITIVE_POINTS = ((1, 2, 3, 1), (2, 1, 1, 3), (3, 1, 2, 2), (1, 1, 2, 1), (4, 3, 1, 2), (1, 3, 1, 1))


def free_constants(*exprs: sp.Expr) -> set:
    """The real constants of a claim that a counterexample may choose: not indices, not model components,
    not constants the document defined in a way not read (:class:`~symsoft.models.softmax.bind.FreeConstant`).

    >>> a, k = sp.Symbol("a", real=True), sp.Symbol("k", integer=True)
    >>> sorted(free_constants(a * k, sp.Integer(1)), key=str)
    [a]
    """
    from symsoft.models.softmax.bind import FreeConstant

    found = set()
    for expr in exprs:
        for symbol in sp.sympify(expr).free_symbols:
            if isinstance(symbol, FreeConstant) or symbol.is_integer or not symbol.is_real:
                continue
            if re.fullmatch(r"(?:z|x|y|w|v|u)_(?:\d+|\{\d+,\d+\})", symbol.name):
                continue  # a component of the model: the points give it a value
            found.add(symbol)
    return found


def _constant_values(constants: list, n: int) -> dict:
    """Exact values of the free constants at the n-th point, inside each constant's domain."""
    out = {}
    for position, symbol in enumerate(constants):
        table = _POSITIVE_POINTS if symbol.is_positive else _CONSTANT_POINTS
        value = sp.Integer(table[n % len(table)][position % 4])
        if symbol.is_nonnegative is not False and symbol.is_positive is None and symbol.is_nonnegative:
            value = abs(value)
        out[symbol] = value
    return out




def _display_name(symbol: sp.Symbol) -> str:
    """The name a student writes: yhat_k for the label, w_t^(k) for a weight."""
    name = symbol.name
    if name.startswith("y_"):
        return "\\hat{y}_" + name[2:]
    weight = re.fullmatch(r"w_\{(\d+),(\d+)\}", name)
    if weight:
        return f"w_{weight.group(1)}^{{({weight.group(2)})}}"
    return name




def find_counterexample(left: sp.Expr, relation: str, right: sp.Expr, inst: Instance) -> Counterexample | None:
    """A setting where ``left relation right`` fails for the instance ``inst``, confirmed at 40 digits.

    >>> from symsoft.models.softmax.semantics import Instance
    >>> m = model_for(2, 1)
    >>> find_counterexample(m.probabilities[0], ">", sp.Integer(1), Instance(2, 1)).lhs
    '0.268941421369995'
    """
    model = model_for(inst.classes, inst.features)
    constants = sorted(free_constants(left, right), key=str)
    fast = None
    for n, subs in enumerate(_points(model, inst.classes, inst.features)):
        subs.update(_constant_values(constants, n))
        used = sorted(left.free_symbols | right.free_symbols, key=str)
        if all(s in subs for s in used):
            fast = fast or screen(left, right, used)
            if screens_out(fast, relation, subs):
                continue  # no violation at 30 digits (or undefined): the exact evaluation is not needed
        lv, rv = _values(left, right, subs, 20)
        if lv is None or not _violates(relation, lv, rv, digits=12):
            continue
        lv, rv = _values(left, right, subs, 40)  # confirm with more digits
        if lv is not None and _violates(relation, lv, rv):
            used = (left.free_symbols | right.free_symbols)
            values = tuple((_display_name(s), str(subs[s])) for s in sorted(used, key=str) if s in subs)
            others, others_from = (), 0
            if inst.classes > 4:
                values, others, others_from = _compress_classes(model, subs, used)
            return Counterexample(
                classes=inst.classes,
                features=inst.features,
                indices=tuple(sorted((str(k), int(v)) for k, v in inst.values.items())),
                values=values,
                lhs=_show(lv),
                rhs=_show(rv),
                others=others,
                others_from=others_from,
            )
    return None


def _compress_classes(model, subs: dict, used: set) -> tuple[tuple, tuple, int]:
    """Values in natural order, with a tail of classes that all take the same values said once."""
    families = [(f, name) for f, name in ((model.z, "z_k"), (model.y, "\\hat{y}_k")) if used & set(f)]
    start = model.classes
    while start > 1 and all(subs[f[start - 2]] == subs[f[-1]] for f, _ in families):
        start -= 1
    if not families or model.classes - start < 2:
        start = model.classes + 1  # no tail worth saying once
    tail = {s for f, _ in families for s in f[start - 1:]}
    shown = sorted((s for s in used if s in subs and s not in tail),
                   key=lambda s: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s.name)])
    values = tuple((_display_name(s), str(subs[s])) for s in shown)
    if start > model.classes:
        return values, (), 0
    return values, tuple((name, str(subs[f[-1]])) for f, name in families), start


def _in_exponentials(expr: sp.Expr, model) -> tuple[sp.Expr, dict]:
    """Write ``expr`` with ``e^{z_k} = u_k`` (u_k > 0): a rational function when it has no logs."""
    u = {z: sp.Symbol(f"u_{k + 1}", positive=True) for k, z in enumerate(model.z)}
    e = sp.sympify(expr).xreplace({z: sp.log(u[z]) for z in model.z if expr.has(z)})
    e = sp.powsimp(sp.expand_power_exp(e), combine="exp")
    e = e.replace(lambda a: isinstance(a, sp.exp), lambda a: sp.exp(sp.expand_log(a.args[0])))
    return e, u


def _label_sum(expr: sp.Expr, model) -> sp.Expr:
    if model.classes < 1 or not expr.has(*model.y):
        return expr
    last = model.y[-1]
    return expr.xreplace({last: 1 - sp.Add(*model.y[:-1])})


def prove_identity(left: sp.Expr, right: sp.Expr, inst: Instance) -> tuple[bool, tuple[str, ...]]:
    """Prove ``left = right`` exactly for the instance; return (proved, facts used).

    >>> m = model_for(2, 1)
    >>> prove_identity(m.probabilities[0] + m.probabilities[1], sp.Integer(1), Instance(2, 1))
    (True, ())
    """
    model = model_for(inst.classes, inst.features)
    difference = sp.sympify(left) - sp.sympify(right)
    if difference.has(*model.W) or difference.has(*model.x) and not _only_as_factor(difference, model):
        difference = difference.xreplace(dict(zip(model.z, model.logits)))
        return (sp.simplify(difference) == 0 or sp.simplify(_label_sum(difference, model)) == 0,
                () if sp.simplify(difference) == 0 else ("label_sum",))
    e, _ = _in_exponentials(difference, model)
    if is_zero(e):
        return True, ()
    if e.has(*model.y) and is_zero(_label_sum(e, model)):
        return True, ("label_sum",)
    cases = sign_cases(sp.sympify(left), sp.sympify(right))
    if cases and all(is_zero(difference.xreplace(case)) for case in cases):
        return True, ("signs",)  # each sign of what a log, |.|, max or min holds: each case proved
    return False, ()


def _only_as_factor(expr: sp.Expr, model) -> bool:
    """True when the features enter only polynomially (never inside an exponential or log)."""
    for f in expr.atoms(sp.exp, sp.log):
        if f.has(*model.x):
            return False
    return True


def prove_inequality(left: sp.Expr, relation: str, right: sp.Expr, inst: Instance) -> tuple[bool, tuple[str, ...], str]:
    """Prove ``left relation right`` for the instance from the signs of its terms.

    Returns (proved, facts used, reason). The difference ``greater - smaller`` is written with
    ``e^{z_k} = u_k > 0``; it is shown positive (or non-negative) because it is built from
    positive terms: a polynomial with positive coefficients in positive variables, an
    exponential, the log of a number above one.

    >>> m = model_for(2, 1)
    >>> prove_inequality(m.probabilities[0], "<", sp.Integer(1), Instance(2, 1))[0]
    True
    """
    model = model_for(inst.classes, inst.features)
    big, small = (right, left) if relation in ("<", "<=") else (left, right)
    strict = relation in ("<", ">")
    difference = sp.sympify(big) - sp.sympify(small)
    e, _ = _in_exponentials(difference, model)
    for facts, candidate in (((), e), (("label_sum",), _label_sum(e, model))):
        sign = difference_sign(candidate)
        if sign == "pos" or (sign == "nonneg" and not strict):
            used = facts + (("label_nonnegative",) if candidate.has(*model.y) else ())
            return True, used, "a sum and product of positive terms (e^x > 0)"
        if facts == () and not e.has(*model.y):
            break
    return False, (), ""


def simplifies_with_label_sum(expr: sp.Expr, kinds: dict, conditions: tuple[str, ...]) -> bool:
    """True when sum_k yhat_k = 1 makes ``expr`` shorter (for C = 3, first index pattern).

    >>> from symsoft.models.softmax.semantics import YHAT, index
    >>> import sympy as sp
    >>> k = index("k")
    >>> simplifies_with_label_sum(sp.Sum(YHAT[k], (k, 1, sp.Symbol("C", integer=True, positive=True))), {}, ())
    True
    """
    patterns = index_patterns(kinds, conditions)
    if not patterns:
        return False
    values, _, blocks = patterns[0]
    C = max(3, blocks.get("class", 0))
    inst = Instance(C, max(2, blocks.get("feature", 0)), values)
    model = model_for(inst.classes, inst.features)
    value = sp.expand(instantiate(expr, inst))
    if not value.has(*model.y):
        return False
    reduced = sp.expand(_label_sum(value, model))
    return sp.count_ops(reduced) < sp.count_ops(value) and len(reduced.free_symbols & set(model.y)) < len(value.free_symbols & set(model.y))


def decide(lhs: sp.Expr, relation: str, rhs: sp.Expr, kinds: dict, conditions: tuple[str, ...],
           classes: tuple[int, ...] = DEFAULT_CLASSES, all_c: bool = True, every_c_refutation: bool = True) -> Outcome:
    """Decide ``lhs relation rhs`` for every index pattern and each C in ``classes``.

    With ``all_c`` a proved claim is also proved for every C where the method reaches, and (with
    ``every_c_refutation``) a refuted one is shown false for every C from its counterexample on.

    >>> from symsoft.models.softmax.semantics import Softmax, Partial, Z, index
    >>> i, j = index("i"), index("j")
    >>> out = decide(Partial(Softmax(Z[i]), Z[j]), "=", Softmax(Z[i]) * (1 - Softmax(Z[j])), {i: "class", j: "class"}, ())
    >>> out.status, out.holds_when
    ('refuted', 'i = j')
    """
    if "feature" in claim_axes(lhs, rhs, kinds) and _depends_on_size(lhs, rhs):
        # the proof for every C does not depend on D: try one D first, all three only when it is needed
        first = _decide_at(lhs, relation, rhs, kinds, conditions, classes, all_c, every_c_refutation, (1,))
        if first.status != "proved" or first.for_all_c:
            return first
    return _decide_at(lhs, relation, rhs, kinds, conditions, classes, all_c, every_c_refutation, (0, 1, 2))


def _named_positions(lhs: sp.Expr, rhs: sp.Expr, kinds: dict) -> dict:
    r"""Per kind, the positions the claim writes as numbers where an index of that kind stands elsewhere (``z_1``
    beside ``z_i``, ``\delta_{k1}`` with k a class): each free index is tried equal to them and apart from them.

    >>> from symsoft.models.softmax.semantics import Z, index
    >>> i = index("i")
    >>> _named_positions(Z[1], Z[i], {i: "class"}), _named_positions(sp.KroneckerDelta(i, 2), 0, {i: "class"})
    ({'class': {1}}, {'class': {2}})
    """
    expr = sp.sympify(lhs) - sp.sympify(rhs)
    named = {"C": "class", "D": "feature"}
    axis_of = {**{v: named[a] for v, a in summed_indices(expr).items() if a in named}, **kinds}
    slot_kind = {(str(part.base), slot): axis_of[index] for part in expr.atoms(sp.Indexed)
                 for slot, index in enumerate(part.indices) if index in axis_of}
    found: dict = {}
    for part in expr.atoms(sp.Indexed):
        for slot, index in enumerate(part.indices):
            if index.is_Integer and (str(part.base), slot) in slot_kind:
                found.setdefault(slot_kind[(str(part.base), slot)], set()).add(int(index))
    for axis, numbers in delta_positions(expr, axis_of).items():
        found.setdefault(axis, set()).update(numbers)
    return found


def _decide_at(lhs, relation, rhs, kinds, conditions, classes, all_c, every_c_refutation, d_offsets) -> Outcome:
    """:func:`decide` with the numbers of features D taken at these offsets from the smallest."""
    patterns = index_patterns(kinds, conditions, _named_positions(lhs, rhs, kinds))
    if not patterns:
        return Outcome("unverified", message="the stated conditions exclude every case")
    axes = claim_axes(lhs, rhs, kinds)
    if "class" not in axes:
        classes, all_c = (2,), False  # no class enters: one C stands for all
    facts: list[str] = []
    checked: list[int] = []
    checked_d: list[int] = []
    failing, holding = [], []
    unproved = []
    sensitive = _depends_on_size(lhs, rhs)
    for values, text, blocks in patterns:
        pattern_failed = False
        sizes = [(C, D) for C in classes for D in _feature_sizes(axes, blocks.get("feature", 0), d_offsets)]
        skipped: set = set()  # D does not enter: one D that gives every named feature a value stands for all
        for C, D in sizes:
            if blocks.get("class", 0) > C:
                continue
            inst = Instance(C, D, values)
            m = blocks.get("class", 0)
            if (C, D) in skipped:
                continue
            if C > m and C > 4:
                # a large C is covered by the proof for every C beyond the pattern's classes
                proved, used = _pattern_for_all_c(lhs, relation, rhs, values, m)
                if proved:
                    facts.extend(used)
                    checked.append(C)
                    continue
                # or refuted by a counterexample family that holds for every C from some C on
                counterexample = _family_counterexample(lhs, relation, rhs, values, m, C, D)
                if counterexample is not None:
                    failing.append((text, counterexample))
                    pattern_failed = True
                    break
            try:
                left, right = instantiate(lhs, inst), instantiate(rhs, inst)
            except OutOfRange as error:
                if "feature" in str(error) or str(error).startswith("x_"):
                    continue  # the step names a feature this D does not have: it speaks of larger D only
                return Outcome("unverified", message=str(error))
            except BindingError as error:
                return Outcome("unverified", message=str(error))
            model = model_for(C, D)
            if left.has(*model.W) or right.has(*model.W):
                # the weights appear explicitly: the logits are z_k = sum_t w_{t,k} x_t
                logits = dict(zip(model.z, model.logits))
                left, right = left.xreplace(logits), right.xreplace(logits)
                facts.append("logits_linear")
            counterexample = find_counterexample(left, relation, right, inst)
            if counterexample is not None:
                failing.append((text, counterexample))
                pattern_failed = True
                break
            if relation == "=":
                proved, used = prove_identity(left, right, inst)
            else:
                proved, used, _ = prove_inequality(left, relation, right, inst)
            if not proved:
                unproved.append((text, C))
                continue
            facts.extend(used)
            checked.append(C)
            checked_d.append(D)
            if not sensitive:
                skipped.update((C, larger) for larger in range(D + 1, D + 4))
        if not pattern_failed:
            holding.append(text)
    if failing:
        text, counterexample = min(failing, key=lambda f: (f[1].classes, f[0]))
        holds = "; ".join(t for t in holding if t) if holding else ""
        cases = [t for t, _ in failing if t]
        if not holding or not cases:
            message = "false in every case" if len(patterns) > 1 else "false"
        else:
            message = "false when " + " and when ".join(cases)
        every = all_c and every_c_refutation and _refuted_from(lhs, relation, rhs, patterns, text, counterexample.classes)
        if every:
            message += f", for every C >= {counterexample.classes}"
        # the counterexample names the sizes of the axes the step ranges over, and only those
        from dataclasses import replace as _replace
        counterexample = _replace(counterexample, classes=counterexample.classes if "class" in axes else 0,
                                  features=counterexample.features if "feature" in axes else 0)
        return Outcome("refuted", "counterexample (confirmed at 40 digits)", counterexample=counterexample,
                       holds_when=holds, message=message, failing=tuple(cases), for_all_c=every)
    if unproved:
        text, C = unproved[0]
        where = f" when {text}" if text else ""
        size = f" (C = {C})" if "class" in axes else ""
        return Outcome("unverified", message=f"no counterexample found, but no symbolic proof either{where}{size}")
    if not checked:
        return Outcome("unverified", message="no size of the axes gives every component the step names a value")
    if not axes:
        method = "exact identity (simplified to 0)" if relation == "=" else "sign of the difference (positive terms, squares)"
        return Outcome("proved", method, tuple(dict.fromkeys(facts)))
    method = "exact identity of rational functions in e^{z_k}" if relation == "=" else "sign of the difference (positive terms, squares)"
    features = tuple(sorted(set(checked_d))) if "feature" in axes else ()
    every_d = "feature" in axes and not _depends_on_size(lhs, rhs)
    if "class" not in axes:
        method = "exact identity" if relation == "=" else "sign of the difference (positive terms, squares)"
        return Outcome("proved", method, tuple(dict.fromkeys(facts)), features=features, for_every_d=every_d)
    requested = all_c
    all_c, all_c_facts = _for_all_c(lhs, relation, rhs, patterns, checked) if all_c else (False, [])
    message = ""
    if all_c:
        method += "; for every C >= 2 (the classes the indices do not name summed as a rest)"
    elif requested:
        reasons = [_ALL_C_REASONS.get(_all_c_key(lhs, relation, rhs, values, blocks.get("class", 0)))
                   for values, _text, blocks in patterns]
        reason = next((r for r in reasons if r), "no proof with the other classes summed as a rest")
        message = f"proved for the C listed only; for every C: {reason}"
    return Outcome("proved", method, tuple(dict.fromkeys(facts + all_c_facts)), tuple(sorted(set(checked))),
                   message=message, for_all_c=all_c, features=features, for_every_d=every_d or ("feature" in axes and all_c))


def claim_axes(lhs: sp.Expr, rhs: sp.Expr, kinds: dict) -> set:
    """The axes a claim ranges over: ``class`` when a class quantity or index occurs, ``feature`` likewise.

    >>> from symsoft.models.softmax.semantics import X, Z, index
    >>> t = index("t")
    >>> sorted(claim_axes(X[t], sp.Integer(0), {t: "feature"})), claim_axes(sp.Symbol("a"), sp.Integer(1), {})
    (['feature'], set())
    """
    from symsoft.models.softmax.semantics import CLASSES, FEATURES, LOSS, V, W, X, YHAT, Z, Partial, Softmax

    axes = {kind for kind in kinds.values()}
    for expr in (sp.sympify(lhs), sp.sympify(rhs)):
        bases = {i.base for i in expr.atoms(sp.Indexed)}
        symbols = expr.free_symbols
        if bases & {Z, YHAT, V, W} or expr.has(Softmax) or LOSS in symbols or CLASSES in symbols:
            axes.add("class")
        if bases & {X, W} or FEATURES in symbols:
            axes.add("feature")
        for sum_ in expr.atoms(sp.Sum):
            for _var, _low, high in sum_.limits:
                if high.has(CLASSES):
                    axes.add("class")
                if high.has(FEATURES):
                    axes.add("feature")
        if any(isinstance(p.args[1], sp.Indexed) and p.args[1].base in (X, W) for p in expr.atoms(Partial)):
            axes.add("feature")
    return axes


def _depends_on_size(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """True when the number of features D enters the value: a sum up to D, the weights (z = sum_t w_t x_t),
    a derivative by a feature or a weight."""
    from symsoft.models.softmax.semantics import FEATURES, W, X, Partial

    for expr in (sp.sympify(lhs), sp.sympify(rhs)):
        if FEATURES in expr.free_symbols or any(i.base == W for i in expr.atoms(sp.Indexed)):
            return True
        if any(isinstance(p.args[1], sp.Indexed) and p.args[1].base in (X, W) for p in expr.atoms(Partial)):
            return True
        if any(h.has(FEATURES) for s in expr.atoms(sp.Sum) for _v, _l, h in s.limits):
            return True
    return False


def _feature_sizes(axes: set, named: int, offsets: tuple = (0, 1, 2)) -> tuple[int, ...]:
    """The numbers of features D to check: from the features the indices name (at least 1), at these offsets."""
    if "feature" not in axes:
        return (2,)
    smallest = max(1, named)
    return tuple(smallest + offset for offset in offsets)


def _for_all_c(lhs, relation, rhs, patterns, checked) -> tuple[bool, list[str]]:
    """Prove the claim for every C beyond the explicit classes of each pattern (see :mod:`symsoft.models.softmax.all_classes`).

    The C with no rest class (C = the number of distinct class indices) must be among those checked.
    """
    facts: list[str] = []
    for values, _text, blocks in patterns:
        m = blocks.get("class", 0)
        if max(m, 1) not in checked and not (m <= 1 and 2 in checked):
            return False, []
        proved, used = _pattern_for_all_c(lhs, relation, rhs, values, m)
        if not proved:
            return False, []
        facts.extend(used)
    return True, facts


_ALL_C_CACHE: dict = {}
_FAMILY_CACHE: dict = {}


_ALL_C_REASONS: dict = {}  # why the all-C method did not reach a pattern (when it says)


def _all_c_key(lhs, relation, rhs, values, m) -> tuple:
    return (lhs, relation, rhs, tuple(sorted(values.items(), key=str)), m)


def _cached(cache: dict, key: tuple, compute, failed):
    """``compute()`` once per key (a step asks once per C and once at the end); ``failed`` when it raises
    an expected failure. The oldest entries go first when the cache is full."""
    from symsoft.models.softmax.all_classes import Unsupported

    if key not in cache:
        try:
            cache[key] = compute()
        except Unsupported as error:
            cache[key] = failed
            _ALL_C_REASONS[key] = f"outside the method ({error})"
        except (BindingError, ValueError, TypeError, ZeroDivisionError, IndexError, sp.PolynomialError):
            cache[key] = failed
        if len(cache) > 2048:
            _ALL_C_REASONS.pop(next(iter(cache)), None)
            cache.pop(next(iter(cache)))
    return cache[key]


def _pattern_for_all_c(lhs, relation, rhs, values, m) -> tuple[bool, tuple[str, ...]]:
    """The all-C proof for one pattern (see :mod:`symsoft.models.softmax.all_classes`)."""
    from symsoft.models.softmax.all_classes import prove_for_all_c

    return _cached(_ALL_C_CACHE, _all_c_key(lhs, relation, rhs, values, m),
                   lambda: prove_for_all_c(lhs, relation, rhs, values, m), (False, ()))


def _family_points(explicit: int):
    """Settings of the explicit classes for a counterexample family (see :func:`refuting_family`)."""
    labels = [
        tuple(sp.Integer(1 if v == 0 else 0) for v in range(explicit)),
        tuple(sp.Integer(0) for _ in range(explicit)),
        tuple(sp.Rational(1, explicit + 1) for _ in range(explicit)),
    ]
    for n, logits in enumerate(_LOGIT_POINTS):
        yield {"z": tuple(logits[v % len(logits)] for v in range(explicit)), "y": labels[n % len(labels)],
               "x": _FEATURE_POINTS[n % len(_FEATURE_POINTS)], "w": _WEIGHT_POINTS[n % len(_WEIGHT_POINTS)]}


def _pattern_family(lhs, relation, rhs, values, m, D: int = 2):
    """The counterexample family for one pattern, or None (cached like the all-C proofs).

    A family is kept only when it agrees with the expanded softmax at its smallest C (a guard
    against any gap between the two ways of giving an expression its value).
    """
    from symsoft.models.softmax.all_classes import refuting_family

    def compute():
        family = refuting_family(lhs, relation, rhs, values, m, _family_points(m))
        return family if family is not None and _agrees_with_expansion(family, lhs, rhs, values, D) else None

    return _cached(_FAMILY_CACHE, ("family", *_all_c_key(lhs, relation, rhs, values, m)), compute, None)


def _agrees_with_expansion(family, lhs, rhs, values, D: int) -> bool:
    """True when the family's values at its smallest C equal those of the expanded softmax."""
    C = max(family.first, 2)
    if C > 8:
        return False
    inst = Instance(C, D, values)
    left, right = instantiate(lhs, inst), instantiate(rhs, inst)
    model = model_for(C, D)
    if left.has(*model.W) or right.has(*model.W):
        return False
    point, m = family.point, family.explicit
    subs = {z: sp.Integer(point["z"][k]) if k < m else sp.Integer(0) for k, z in enumerate(model.z)}
    subs.update({y: point["y"][k] if k < m else family.rest_label_at(C) for k, y in enumerate(model.y)})
    subs.update({x: sp.Integer(point["x"][t % len(point["x"])]) for t, x in enumerate(model.x)})
    expanded = _values(left, right, subs, 40)
    if expanded[0] is None:
        return False
    tolerance = sp.Float(10) ** -25
    return all(abs(a - b) <= tolerance * (1 + abs(b)) for a, b in zip(expanded, family.sides_at(C)))


def _family_counterexample(lhs, relation, rhs, values, m, C, D) -> Counterexample | None:
    """A counterexample at C from the pattern's family, confirmed at 40 digits, or None."""
    family = _pattern_family(lhs, relation, rhs, values, m, D)
    if family is None or C < family.first:
        return None
    left, right = family.sides_at(C)
    if not _violates(relation, left, right):
        return None
    others = []
    if family.uses_rest:
        others.append(("z_k", "0"))
        if family.uses_rest_labels:
            others.append(("\\hat{y}_k", str(family.rest_label_at(C))))
    return Counterexample(classes=C, features=D, indices=tuple(sorted((str(k), int(v)) for k, v in values.items())),
                          values=tuple((_display_name(sp.Symbol(name)), value) for name, value in family.shown),
                          lhs=_show(left), rhs=_show(right), others=tuple(others),
                          others_from=m + 1 if others else 0)


def _refuted_from(lhs, relation, rhs, patterns, text, smallest) -> bool:
    """True when the failing pattern ``text`` fails for every C >= ``smallest``: a family covers C > smallest."""
    for values, pattern_text, blocks in patterns:
        if pattern_text == text:
            family = _pattern_family(lhs, relation, rhs, values, blocks.get("class", 0), max(2, blocks.get("feature", 0)))
            return family is not None and family.first <= smallest + 1
    return False
