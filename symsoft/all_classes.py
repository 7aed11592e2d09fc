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

from symsoft.errors import BindingError
from symsoft.semantics import CLASSES, FEATURES, LOSS, W, X, YHAT, Z, Partial, Softmax


class Unsupported(BindingError):
    """The expression is outside what the all-C method handles."""


class _Space:
    """The symbols of one pattern: explicit classes 1..m, the rest aggregates, features."""

    def __init__(self, explicit: int) -> None:
        self.m = explicit
        self.u = [sp.Symbol(f"u_{v}", positive=True) for v in range(1, explicit + 1)]
        self.y = [sp.Symbol(f"y_{v}", nonnegative=True) for v in range(1, explicit + 1)]
        self.U = sp.Symbol("U_rest", positive=True)
        self.n = sp.Symbol("n_rest", integer=True, positive=True)
        self.S = sp.Add(*self.u) + self.U
        self.ur = sp.Symbol("u_r", positive=True)  # a generic rest class inside a sum
        self.yr = sp.Symbol("y_r", nonnegative=True)
        self.log_ur = sp.Symbol("logu_r", real=True)
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


REST = object()  # the value an index takes when it runs over the rest classes


def _index_value(expr: sp.Expr, values: dict):
    concrete = sp.sympify(expr).xreplace({k: (sp.Integer(v) if v is not REST else sp.Symbol("rest__")) for k, v in values.items()})
    if concrete == sp.Symbol("rest__"):
        return REST
    if concrete.is_Integer:
        if not sp.sympify(expr).free_symbols:
            raise Unsupported("a class written as a number")  # z_1 names a class the pattern does not
        return int(concrete)
    raise Unsupported(f"index {sp.sstr(expr)} has no value")


def _go(expr: sp.Expr, values: dict, space: _Space) -> sp.Expr:
    if isinstance(expr, sp.Sum):
        summand, (var, low, high) = expr.args[0], expr.limits[0]
        if low != 1 or high != CLASSES:
            raise Unsupported("a sum that does not run over all classes")
        if any(v is REST and summand.has(k) for k, v in values.items()):
            raise Unsupported("a sum nested inside a sum over the rest classes")
        values = {k: v for k, v in values.items() if v is not REST or summand.has(k)}
        explicit = [_go(summand, {**values, var: v}, space) for v in range(1, space.m + 1)]
        rest = _go(summand, {**values, var: REST}, space)
        return sp.Add(*explicit) + _sum_rest(rest, space)
    if isinstance(expr, sp.Indexed):
        if expr.base == Z:
            raise Unsupported("a logit outside an exponential")
        if expr.base == YHAT:
            v = _index_value(expr.indices[0], values)
            return space.yr if v is REST else space.y[v - 1]
        if expr.base == X:
            v = _index_value(expr.indices[0], values)
            if v is REST:
                raise Unsupported("a feature index over classes")
            return space.x(v)
        raise Unsupported(f"{sp.sstr(expr)}")
    if isinstance(expr, sp.exp) and isinstance(expr.args[0], sp.Indexed) and expr.args[0].base == Z:
        v = _index_value(expr.args[0].indices[0], values)
        return space.ur if v is REST else space.u[v - 1]
    if isinstance(expr, Softmax):
        arg = expr.args[0]
        if not (isinstance(arg, sp.Indexed) and arg.base == Z):
            raise Unsupported("sigma of something other than a logit")
        v = _index_value(arg.indices[0], values)
        return (space.ur if v is REST else space.u[v - 1]) / space.S
    if isinstance(expr, sp.KroneckerDelta):
        a, b = (_index_value(i, values) for i in expr.args[:2])
        if a is REST and b is REST:
            return sp.Integer(1)  # the same rest class: only one rest index is ever bound
        return sp.Integer(1 if a == b else 0)
    if expr == LOSS:
        k = sp.Symbol("k__", integer=True)
        return _go(-sp.Sum(YHAT[k] * sp.log(Softmax(Z[k])), (k, 1, CLASSES)), values, space)
    if isinstance(expr, Partial):
        variable = expr.args[1]
        operand = _go(expr.args[0], values, space)
        if isinstance(variable, sp.Indexed) and variable.base == Z:
            v = _index_value(variable.indices[0], values)
            if v is REST:
                raise Unsupported("a derivative by a summation index")
            u = space.u[v - 1]
            return u * sp.diff(operand, u)
        if isinstance(variable, sp.Indexed) and variable.base == W:
            t, k = (_index_value(i, values) for i in variable.indices)
            if k is REST or t is REST:
                raise Unsupported("a derivative by a summation index")
            u = space.u[k - 1]
            # z_k = sum_t w_{t,k} x_t: d/dw_{t,k} = x_t d/dz_k, plus any explicit weight
            return space.x(t) * u * sp.diff(operand, u) + sp.diff(operand, space.weight(t, k))
        raise Unsupported("a derivative by something other than a logit or a weight")
    if expr in (CLASSES, FEATURES):
        raise Unsupported("C or D written in the formula")
    if isinstance(expr, sp.Symbol) and expr in values:
        raise Unsupported("an index used as a number")
    if not expr.args:
        return expr
    return expr.func(*(_go(a, values, space) for a in expr.args))


def _sum_rest(expr: sp.Expr, space: _Space) -> sp.Expr:
    """Sum over the rest classes of an expression in u_r, y_r: a combination of aggregates."""
    if not expr.has(space.ur, space.yr):
        return space.n * expr
    e = sp.expand(sp.expand_log(expr, force=True))
    e = e.xreplace({sp.log(space.ur): space.log_ur})
    generators = (space.ur, space.yr, space.log_ur)
    try:
        poly = sp.Poly(e, *generators)
    except sp.PolynomialError:
        raise Unsupported("a rest-class summand that is not a polynomial in its own quantities") from None
    total = sp.Integer(0)
    for powers, coefficient in poly.terms():
        if coefficient.has(*generators):
            raise Unsupported("a coefficient that depends on the rest class")
        monomial = sp.Mul(*(g ** p for g, p in zip(generators, powers)))
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
    from symsoft.claims import _difference_sign, _is_zero

    space = _Space(explicit)
    left = instantiate_all_c(lhs, values, explicit, space)
    right = instantiate_all_c(rhs, values, explicit, space)
    label_fact = {space.label_rest: 1 - sp.Add(*space.y)}
    if relation == "=":
        difference = left - right
        if _is_zero(difference):
            return True, ()
        if _is_zero(difference.xreplace(label_fact)):
            return True, ("label_sum",)
        return False, ()
    big, small = (right, left) if relation in ("<", "<=") else (left, right)
    strict = relation in ("<", ">")
    for facts, candidate in (((), big - small), (("label_sum",), (big - small).xreplace(label_fact))):
        sign = _difference_sign(candidate)
        if sign == "pos" or (sign == "nonneg" and not strict):
            return True, facts
    return False, ()
