r"""Values of bound expressions for every number of classes C at once.

For one pattern of the free class indices (values 1..m) the classes split into the m explicit
ones and a *rest* of n = C - m >= 1 anonymous classes. A sum over classes becomes the explicit
terms plus a sum over the rest; a summand that is a polynomial in the rest class's own
quantities (``u_r = e^{z_r}``, ``yhat_r``, ``log u_r``) sums to a combination of *aggregates*
(``U = sum_rest u``, ``Y = sum_rest yhat``, ``n``, ...). Aggregates are independent symbols, so
an identity that holds for them holds for every C > m: a proof for all C, not a sample of C.
Whatever falls outside this (nested sums over the rest, derivatives by a summation index) raises
:class:`Unsupported`, and the checker falls back to given values of C.

>>> from symsoft.semantics import Softmax, Z, index
>>> import sympy as sp
>>> k, i = index("k"), index("i")
>>> value = instantiate_all_c(sp.Sum(Softmax(Z[k]), (k, 1, sp.Symbol("C", integer=True, positive=True))), {i: 1}, 1)
>>> sp.cancel(value)
1
"""

from __future__ import annotations

import sympy as sp

from symsoft.algebra import difference_sign, is_zero
from symsoft.errors import BindingError
from symsoft.semantics import CLASSES, FEATURES, LOSS, W, X, YHAT, Z, Partial, Softmax


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
        self.U = sp.Symbol("U_rest", positive=True)
        self.n = sp.Symbol("n_rest", integer=True, positive=True)
        self.S = sp.Add(*self.u) + self.U
        # generic rest classes inside sums: level 1 (an outer sum) and level 2 (a sum inside it)
        self.ur = sp.Symbol("u_r", positive=True)
        self.yr = sp.Symbol("y_r", nonnegative=True)
        self.log_ur = sp.Symbol("logu_r", real=True)
        self.levels = {
            REST: (self.ur, self.yr, self.log_ur),
            REST2: (sp.Symbol("u_s", positive=True), sp.Symbol("y_s", nonnegative=True), sp.Symbol("logu_s", real=True)),
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
            nonnegative = not monomial.has(self.log_ur)
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
        if expr.base == Z:
            raise Unsupported("a logit outside an exponential")
        if expr.base == YHAT:
            v = _index_value(expr.indices[0], values)
            return space.levels[v][1] if v in (REST, REST2) else space.y[v - 1]
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
    if expr in (CLASSES, FEATURES):
        raise Unsupported("C or D written in the formula")
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
    u, _y, logu = space.levels[v]
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
    """Sum over the rest classes of an expression in one rest class's quantities: aggregates."""
    generators = space.levels[level or REST]
    u, y, logu = generators
    if not expr.has(u, y, logu):
        return space.n * expr
    e = sp.expand(sp.expand_log(expr, force=True))
    e = e.xreplace({sp.log(u): logu})
    try:
        poly = sp.Poly(e, *generators)
    except sp.PolynomialError:
        raise Unsupported("a rest-class summand that is not a polynomial in its own quantities") from None
    total = sp.Integer(0)
    for powers, coefficient in poly.terms():
        if coefficient.has(*generators):
            raise Unsupported("a coefficient that depends on the rest class")
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

    >>> from symsoft.semantics import Softmax, Partial, Z, index
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
