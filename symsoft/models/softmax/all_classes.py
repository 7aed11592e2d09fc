r"""Values of bound expressions for every number of classes C at once.

For one pattern of the free class indices (values 1..m) the classes split into the m explicit
ones and a *rest* of n = C - m >= 1 anonymous classes. A sum over classes becomes the explicit
terms plus a sum over the rest; a summand that is a polynomial in the rest class's own
quantities (``u_r = e^{z_r}``, ``yhat_r``, ``log u_r``) sums to a combination of *aggregates*
(``U = sum_rest u``, ``Y = sum_rest yhat``, ``n``, ...). Aggregates are independent symbols, so
an identity that holds for them holds for every C > m: a proof for all C, not a sample of C.
Whatever falls outside this (nested sums over the rest, derivatives by a summation index) raises
:class:`Unsupported`, and the checker falls back to given values of C.

>>> from symsoft.models.softmax.semantics import Softmax, Z, index
>>> import sympy as sp
>>> k, i = index("k"), index("i")
>>> value = instantiate_all_c(sp.Sum(Softmax(Z[k]), (k, 1, sp.Symbol("C", integer=True, positive=True))), {i: 1}, 1)
>>> sp.cancel(value)
1
"""

from __future__ import annotations

import re

import sympy as sp

from symsoft.decide.algebra import difference_sign, is_zero
from symsoft.errors import BindingError
from symsoft.models.softmax.semantics import (
    CLASSES,
    FEATURES,
    LOSS,
    YHAT,
    Partial,
    Softmax,
    V,
    W,
    X,
    Z,
)


class Unsupported(BindingError):
    """The expression is outside what the all-C method handles."""


REST = object()  # the value an index takes when it runs over the rest classes
REST2 = object()  # another rest class, inside a sum over the rest (never equal to REST)


class _Space:
    """The symbols of one pattern: explicit classes 1..m, the rest aggregates, features."""

    def __init__(self, explicit: int) -> None:
        self.m = explicit
        self.u = [sp.Symbol(f"u_{v}", positive=True) for v in range(1, explicit + 1)]
        self.y = [sp.Symbol(f"y_{v}", nonnegative=True) for v in range(1, explicit + 1)]
        self.v = [sp.Symbol(f"v_{v}", real=True) for v in range(1, explicit + 1)]
        self.U = sp.Symbol("U_rest", positive=True)
        self.n = sp.Symbol("n_rest", integer=True, positive=True)
        self.S = sp.Add(*self.u) + self.U
        # generic rest classes inside sums: level 1 (an outer sum) and level 2 (a sum inside it)
        self.ur = sp.Symbol("u_r", positive=True)
        self.yr = sp.Symbol("y_r", nonnegative=True)
        self.log_ur = sp.Symbol("logu_r", real=True)
        self.vr = sp.Symbol("v_r", real=True)
        # a rest class's own quantities: e^{z_r}, yhat_r, z_r = log e^{z_r}, v_r
        self.levels = {
            REST: (self.ur, self.yr, self.log_ur, self.vr),
            REST2: (sp.Symbol("u_s", positive=True), sp.Symbol("y_s", nonnegative=True), sp.Symbol("logu_s", real=True),
                    sp.Symbol("v_s", real=True)),
        }
        self.aggregates: dict[sp.Expr, sp.Symbol] = {}

    def x(self, t: int) -> sp.Symbol:
        return sp.Symbol(f"x_{t}", real=True)

    def weight(self, t: int, k: int) -> sp.Symbol:
        return sp.Symbol(f"w_{{{t},{k}}}", real=True)

    def aggregate(self, monomial: sp.Expr) -> sp.Expr:
        """The sum over the rest classes of one monomial in u_r, y_r, log u_r."""
        if monomial == 1:
            return self.n
        if monomial == self.ur:
            return self.U
        if monomial not in self.aggregates:
            nonnegative = not monomial.has(self.log_ur) and monomial.as_powers_dict().get(self.vr, 0) % 2 == 0
            name = "A_" + sp.sstr(monomial).replace("*", "").replace(" ", "")
            self.aggregates[monomial] = sp.Symbol(name, nonnegative=True) if nonnegative else sp.Symbol(name, real=True)
        return self.aggregates[monomial]

    @property
    def label_rest(self) -> sp.Expr:
        return self.aggregate(self.yr)




_MARKERS = {REST: sp.Symbol("rest1__"), REST2: sp.Symbol("rest2__")}


def _index_value(expr: sp.Expr, values: dict):
    concrete = sp.sympify(expr).xreplace({k: _MARKERS.get(v) if v in (REST, REST2) else sp.Integer(v) for k, v in values.items()})
    for marker, symbol in _MARKERS.items():
        if concrete == symbol:
            return marker
    if concrete.is_Integer:
        if not sp.sympify(expr).free_symbols:
            raise Unsupported("a class written as a number")  # z_1 names a class the pattern does not
        return int(concrete)
    raise Unsupported(f"index {sp.sstr(expr)} has no value")


def _go(expr: sp.Expr, values: dict, space: _Space) -> sp.Expr:
    if isinstance(expr, sp.Sum):
        var, low, high = expr.limits[-1]
        summand = sp.Sum(expr.function, *expr.limits[:-1]) if len(expr.limits) > 1 else expr.function
        if low != 1 or high != CLASSES:
            raise Unsupported("a sum that does not run over all classes")
        values = {k: v for k, v in values.items() if v not in (REST, REST2) or summand.has(k)}
        bound = [v for v in values.values() if v in (REST, REST2)]
        explicit = [_go(summand, {**values, var: v}, space) for v in range(1, space.m + 1)]
        if not bound:
            rest = _go(summand, {**values, var: REST}, space)
            return sp.Add(*explicit) + _sum_rest(rest, space, REST)
        if bound != [REST]:
            raise Unsupported("sums nested three deep over the rest classes")
        # inside a sum over a rest class r: the rest is r itself plus the other rest classes s != r
        same = _go(summand, {**values, var: REST}, space)
        other = _go(summand, {**values, var: REST2}, space)
        other_at_r = other.xreplace(dict(zip(space.levels[REST2], space.levels[REST])))
        return sp.Add(*explicit) + same + _sum_rest(other, space, REST2) - other_at_r
    if isinstance(expr, sp.Indexed):
        if expr.base == Z:  # z_v = log e^{z_v}
            v = _index_value(expr.indices[0], values)
            return space.levels[v][2] if v in (REST, REST2) else sp.log(space.u[v - 1])
        if expr.base == YHAT:
            v = _index_value(expr.indices[0], values)
            return space.levels[v][1] if v in (REST, REST2) else space.y[v - 1]
        if expr.base == V:
            v = _index_value(expr.indices[0], values)
            return space.levels[v][3] if v in (REST, REST2) else space.v[v - 1]
        if expr.base == X:
            v = _index_value(expr.indices[0], values)
            if v in (REST, REST2):
                raise Unsupported("a feature index over classes")
            return space.x(v)
        raise Unsupported(f"{sp.sstr(expr)}")
    if isinstance(expr, sp.exp) and isinstance(expr.args[0], sp.Indexed) and expr.args[0].base == Z:
        v = _index_value(expr.args[0].indices[0], values)
        return space.levels[v][0] if v in (REST, REST2) else space.u[v - 1]
    if isinstance(expr, Softmax):
        arg = expr.args[0]
        if not (isinstance(arg, sp.Indexed) and arg.base == Z):
            raise Unsupported("sigma of something other than a logit")
        v = _index_value(arg.indices[0], values)
        return (space.levels[v][0] if v in (REST, REST2) else space.u[v - 1]) / space.S
    if isinstance(expr, sp.KroneckerDelta):
        a, b = (_index_value(i, values) for i in expr.args[:2])
        return sp.Integer(1 if a is b or a == b else 0)  # REST and REST2 are different classes
    if expr == LOSS:
        k = sp.Symbol("k__", integer=True)
        return _go(-sp.Sum(YHAT[k] * sp.log(Softmax(Z[k])), (k, 1, CLASSES)), values, space)
    if isinstance(expr, Partial) and isinstance(expr.args[0], sp.Indexed) and expr.args[0].base == Z:
        # a logit is linear: dz_k/dz_h = delta_kh, dz_k/dw_{t,c} = x_t delta_kc
        k = expr.args[0].indices[0]
        variable = expr.args[1]
        if isinstance(variable, sp.Indexed) and variable.base == Z:
            return _go(sp.KroneckerDelta(k, variable.indices[0]), values, space)
        if isinstance(variable, sp.Indexed) and variable.base == W:
            return _go(X[variable.indices[0]] * sp.KroneckerDelta(k, variable.indices[1]), values, space)
        raise Unsupported("a derivative of a logit by something other than a logit or a weight")
    if isinstance(expr, Partial):
        variable = expr.args[1]
        operand = _go(expr.args[0], values, space)
        if isinstance(variable, sp.Indexed) and variable.base == Z:
            return _by_logit(operand, _index_value(variable.indices[0], values), space)
        if isinstance(variable, sp.Indexed) and variable.base == W:
            t, k = (_index_value(i, values) for i in variable.indices)
            if t in (REST, REST2):
                raise Unsupported("a feature index over classes")
            if k in (REST, REST2):
                return space.x(t) * _by_logit(operand, k, space)
            # z_k = sum_t w_{t,k} x_t: d/dw_{t,k} = x_t d/dz_k, plus any explicit weight
            return space.x(t) * _by_logit(operand, k, space) + sp.diff(operand, space.weight(t, k))
        raise Unsupported("a derivative by something other than a logit or a weight")
    if expr == CLASSES:  # the explicit classes and the rest
        return space.m + space.n
    if expr == FEATURES:
        raise Unsupported("D written in the formula")
    if isinstance(expr, sp.Symbol) and expr in values:
        raise Unsupported("an index used as a number")
    if not expr.args:
        return expr
    return expr.func(*(_go(a, values, space) for a in expr.args))


def _by_logit(f: sp.Expr, v, space: _Space) -> sp.Expr:
    """d f / d z_v for an explicit class v, or a rest class (which also moves U and the aggregates)."""
    if v not in (REST, REST2):
        u = space.u[v - 1]
        return u * sp.diff(f, u)
    u, _y, logu, _v = space.levels[v]
    f = sp.expand_log(f, force=True).xreplace({sp.log(u): logu})
    total = u * sp.diff(f, u) + sp.diff(f, logu) + u * sp.diff(f, space.U)
    level1 = space.levels[REST]
    for monomial, symbol in space.aggregates.items():
        if f.has(symbol):
            at_v = monomial.xreplace(dict(zip(level1, space.levels[v])))
            change = u * sp.diff(at_v, u) + sp.diff(at_v, logu)
            total += sp.diff(f, symbol) * change
    return total


def _sum_rest(expr: sp.Expr, space: _Space, level=None) -> sp.Expr:
    """Sum over the rest classes of an expression in one rest class's quantities: aggregates.

    The summand must be a Laurent polynomial in the rest class's quantities (``yhat_r / u_r``, as
    in ``yhat_r / sigma_r``, is one): each monomial sums to its own aggregate symbol.
    """
    generators = space.levels[level or REST]
    u, y, logu, _v = generators
    if not expr.has(*generators):
        return space.n * expr
    e = sp.expand(sp.expand_log(expr, force=True))
    e = sp.expand(e.xreplace({sp.log(u): logu}))
    total = sp.Integer(0)
    for term in sp.Add.make_args(e):
        coefficient, powers = sp.Integer(1), [0] * len(generators)
        for base, power in term.as_powers_dict().items():
            if base in generators and power.is_Integer:
                powers[generators.index(base)] += int(power)
            elif base.has(*generators):
                raise Unsupported("a rest-class summand that is not a polynomial in its own quantities")
            else:
                coefficient *= base**power
        if powers[2] < 0 or powers[3] < 0 or powers[1] < 0:
            raise Unsupported("a rest-class summand that divides by a label, a logit or v")
        monomial = sp.Mul(*(g ** p for g, p in zip(space.levels[REST], powers)))
        total += coefficient * space.aggregate(monomial)
    return total


def instantiate_all_c(expr: sp.Expr, values: dict, explicit: int, space: _Space | None = None) -> sp.Expr:
    """The value of ``expr`` for every C > ``explicit``, with the free class indices at ``values``.

    Raises :class:`Unsupported` when the expression is outside the method.
    """
    return _go(sp.sympify(expr), values, space or _Space(explicit))


def prove_for_all_c(lhs: sp.Expr, relation: str, rhs: sp.Expr, values: dict, explicit: int) -> tuple[bool, tuple[str, ...]]:
    """Prove ``lhs relation rhs`` for every C > ``explicit`` (free class indices at ``values``).

    Returns (proved, facts used); raises :class:`Unsupported` outside the method.

    >>> from symsoft.models.softmax.semantics import Softmax, Partial, Z, index
    >>> i, j = index("i"), index("j")
    >>> prove_for_all_c(Partial(Softmax(Z[i]), Z[j]), "=", -Softmax(Z[i]) * Softmax(Z[j]), {i: 1, j: 2}, 2)
    (True, ())
    """
    space = _Space(explicit)
    left = instantiate_all_c(lhs, values, explicit, space)
    right = instantiate_all_c(rhs, values, explicit, space)
    label_fact = {space.label_rest: 1 - sp.Add(*space.y)}
    if relation == "=":
        difference = left - right
        if is_zero(difference):
            return True, ()
        if is_zero(difference.xreplace(label_fact)):
            return True, ("label_sum",)
        return False, ()
    big, small = (right, left) if relation in ("<", "<=") else (left, right)
    strict = relation in ("<", ">")
    for facts, candidate in (((), big - small), (("label_sum",), (big - small).xreplace(label_fact))):
        sign = difference_sign(candidate)
        if sign == "pos" or (sign == "nonneg" and not strict):
            return True, facts
    return False, ()


# -- refuting for every C ------------------------------------------------------------------------
#: Stands for e = exp(1) in a counterexample family: u_v = e^{z_v} becomes T**z_v. Because e is
#: transcendental, a polynomial in e with rational coefficients vanishes only when every
#: coefficient does.
_E = sp.Symbol("T_e", positive=True)


class RefutingFamily:
    """A counterexample for every C from ``first`` on: fixed explicit classes, the rest at logit 0.

    The explicit classes 1..m get integer logits, labels and features; every other class gets
    logit 0 and the label ``(1 - explicit labels) / (C - m)``, so the labels always sum to one.
    The difference of the two sides is then ``p(e, n) / q(e, n)`` with ``n = C - m`` and rational
    polynomials p, q; since e is transcendental, p(e, n) = 0 only where every coefficient of p (a
    polynomial in n) vanishes, which :func:`refuting_family` rules out for every n >= ``first - m``.

    >>> from symsoft.models.softmax.semantics import Softmax, Z, index
    >>> i = index("i")
    >>> refuting_family(Softmax(Z[i]), "=", sp.Rational(1, 2), {i: 1}, 1, [{"z": (0,), "y": (1,), "x": (1,), "w": (1,)}]).first
    3

    (At C = 2 all logits 0 give sigma = 1/2: the family starts at C = 3.)
    """

    def __init__(self, explicit: int, first: int, shown: tuple, rest_label: sp.Expr, left: sp.Expr, right: sp.Expr,
                 n: sp.Symbol, uses_rest: bool, uses_rest_labels: bool, point: dict | None = None) -> None:
        self.explicit, self.first, self.shown, self.point = explicit, first, shown, point or {}
        self.rest_label, self._left, self._right, self._n = rest_label, left, right, n
        self.uses_rest, self.uses_rest_labels = uses_rest, uses_rest_labels

    def sides_at(self, classes: int, digits: int = 40) -> tuple[sp.Float, sp.Float]:
        """Both sides' values for ``classes`` classes, evaluated to ``digits`` digits.

        >>> from symsoft.models.softmax.semantics import Softmax, Z, index
        >>> i = index("i")
        >>> family = refuting_family(Softmax(Z[i]), "=", sp.Rational(1, 2), {i: 1}, 1, [{"z": (0,), "y": (1,), "x": (1,), "w": (1,)}])
        >>> [round(float(side), 3) for side in family.sides_at(4)]
        [0.25, 0.5]
        """
        at = {self._n: sp.Integer(classes - self.explicit), _E: sp.E}
        return (sp.N(self._left.xreplace(at), digits), sp.N(self._right.xreplace(at), digits))

    def rest_label_at(self, classes: int) -> sp.Expr:
        """The label every class beyond the explicit ones gets, for ``classes`` classes.

        >>> from symsoft.models.softmax.semantics import Softmax, Z, index
        >>> i = index("i")
        >>> family = refuting_family(Softmax(Z[i]), "=", sp.Rational(1, 2), {i: 1}, 1, [{"z": (0,), "y": (0,), "x": (1,), "w": (1,)}])
        >>> family.rest_label_at(5)
        1/4
        """
        return self.rest_label.xreplace({self._n: sp.Integer(classes - self.explicit)})


def _natural(pair: tuple[str, str]) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pair[0])]


def _integer_roots(poly_expr: sp.Expr, n: sp.Symbol) -> list[int]:
    """The integer roots of a nonzero rational polynomial in n (exact: from its factors over Q)."""
    roots = []
    for factor, _power in sp.factor_list(poly_expr, n)[1]:
        p = sp.Poly(factor, n)
        if p.degree() == 1:
            a, b = p.all_coeffs()
            root = -b / a
            if root.is_Integer:
                roots.append(int(root))
    return roots


def _vanishing_counts(expr: sp.Expr, n: sp.Symbol) -> list[int] | None:
    """Integers n where the polynomial ``expr`` in (T_e, n) vanishes at T_e = e; None if not such a polynomial."""
    try:
        poly = sp.Poly(sp.expand(expr), _E, n)
    except sp.PolynomialError:
        return None
    if poly.domain not in (sp.ZZ, sp.QQ) or poly.is_zero:
        return None
    by_power: dict[int, sp.Expr] = {}
    for (power_e, power_n), coefficient in poly.terms():
        by_power[power_e] = by_power.get(power_e, sp.Integer(0)) + poly.domain.to_sympy(coefficient) * n**power_n
    common = sp.gcd_list(list(by_power.values()))
    if common.is_number:
        return []
    return _integer_roots(common, n)


def refuting_family(lhs: sp.Expr, relation: str, rhs: sp.Expr, values: dict, explicit: int, points, smallest: int = 2
                    ) -> RefutingFamily | None:
    """A counterexample to ``lhs = rhs`` for every C >= max(smallest, explicit + 1), or None.

    ``points`` yields settings of the explicit classes: dicts with integer ``"z"`` logits, rational
    ``"y"`` labels (summing to at most one), and integer ``"x"`` features and ``"w"`` weights. Only
    equalities are refuted this way. Raises :class:`Unsupported` outside the all-C method.

    >>> from symsoft.models.softmax.semantics import Softmax, Partial, Z, index
    >>> i, j = index("i"), index("j")
    >>> wrong = Softmax(Z[i]) * (sp.KroneckerDelta(i, j) - Softmax(Z[i]))
    >>> family = refuting_family(Partial(Softmax(Z[i]), Z[j]), "=", wrong, {i: 1, j: 2}, 2,
    ...                          [{"z": (0, 1), "y": (1, 0), "x": (1,), "w": (1,)}])
    >>> family.first
    3
    >>> left, right = family.sides_at(50)
    >>> left != right
    True
    """
    if relation != "=":
        return None
    space = _Space(explicit)
    left = instantiate_all_c(lhs, values, explicit, space)
    right = instantiate_all_c(rhs, values, explicit, space)
    n = space.n
    start = max(1, smallest - explicit)
    ur, yr, logur, _vr = space.levels[REST]
    uses_rest = any(side.has(space.U, n, *space.aggregates.values()) for side in (left, right))
    uses_rest_labels = any(m.has(yr) and (left.has(a) or right.has(a)) for m, a in space.aggregates.items())
    best = None  # a family that misses some C, kept in case no point covers them all
    for point in points:
        z = point["z"]
        labels = point["y"]
        rest_label = (1 - sp.Add(*labels[:explicit])) / n
        subs: dict = {space.U: n}
        for monomial, symbol in space.aggregates.items():
            subs[symbol] = n * monomial.xreplace({ur: 1, yr: rest_label, logur: 0})
        logs = {sp.log(space.u[v]): sp.Integer(z[v]) for v in range(explicit)}
        subs.update({space.u[v]: _E ** z[v] for v in range(explicit)})
        subs.update({space.y[v]: labels[v] for v in range(explicit)})
        sides, shown = [], []
        for v in range(explicit):  # what either side uses (their difference may not: 1 - a against -a)
            if left.has(space.u[v]) or right.has(space.u[v]):
                shown.append((f"z_{v + 1}", str(z[v])))
            if left.has(space.y[v]) or right.has(space.y[v]):
                shown.append((f"y_{v + 1}", str(labels[v])))
        for side in (left, right):
            side = sp.expand_log(side, force=True).xreplace(logs).xreplace(subs)
            others = {s: sp.Integer(point["x"][(int(s.name[2:]) - 1) % len(point["x"])]) for s in side.free_symbols
                      if re.fullmatch(r"x_\d+", s.name)}
            others.update({s: sp.Integer(point["w"][sum(map(int, re.findall(r"\d+", s.name))) % len(point["w"])])
                           for s in side.free_symbols if s.name.startswith("w_{")})
            sides.append(sp.sympify(side.xreplace(others)))
            shown.extend((s.name, str(value)) for s, value in others.items())
        if sides[0].has(sp.log, sp.exp) or sides[1].has(sp.log, sp.exp):
            continue
        if (sides[0].free_symbols | sides[1].free_symbols) - {_E, n}:
            continue
        numerator, denominator = sp.fraction(sp.together(sides[0] - sides[1]))
        zeros, poles = _vanishing_counts(numerator, n), _vanishing_counts(denominator, n)
        if zeros is None or poles is None:
            continue
        bad = [c for c in zeros + poles if c >= start]
        first = max(bad) + 1 if bad else start
        family = RefutingFamily(explicit, explicit + first, tuple(sorted(set(shown), key=_natural)), rest_label,
                                sides[0], sides[1], n, uses_rest, uses_rest_labels, point)
        if not bad:
            return family
        best = family if best is None or family.first < best.first else best
    return best
