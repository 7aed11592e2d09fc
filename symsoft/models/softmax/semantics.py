r"""What bound expressions mean: the objects binding produces and their value for a given C.

Binding (:mod:`symsoft.models.softmax.bind`) writes a derivation with index notation: ``z[k]``, ``x[j]``,
``yhat[k]``, ``w[j, i]`` (feature j, class i), ``KroneckerDelta``, :class:`Softmax`,
:class:`Partial` and the loss :data:`LOSS`. :func:`instantiate` gives such an expression its
value for a concrete number of classes C, features D and values of the free indices, using the
softmax model of :mod:`symsoft.models.softmax.model` (one source of truth): every sum is expanded, every
``sigma(z_k)`` becomes ``e^{z_k} / sum_c e^{z_c}`` and every derivative is taken.

>>> import sympy as sp
>>> from symsoft.models.softmax.semantics import Softmax, Partial, Z, index, instantiate, Instance
>>> i, j = index("i"), index("j")
>>> instantiate(Partial(Softmax(Z[i]), Z[j]), Instance(classes=2, features=1, values={i: 1, j: 2}))
-exp(z_1)*exp(z_2)/(exp(z_1) + exp(z_2))**2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from symsoft.errors import BindingError
from symsoft.models.softmax.model import SoftmaxRegression

#: Index notation for the vectors and the weight matrix of the model.
Z = sp.IndexedBase("z", real=True)
X = sp.IndexedBase("x", real=True)
YHAT = sp.IndexedBase("yhat", real=True)
W = sp.IndexedBase("w", real=True)
#: A direction in the logits, v in R^C (for quadratic forms such as v^T H v); not document notation.
V = sp.IndexedBase("v", real=True)
#: Number of classes and of features.
CLASSES = sp.Symbol("C", integer=True, positive=True)
FEATURES = sp.Symbol("D", integer=True, positive=True)
#: The cross-entropy loss -sum_k yhat_k log sigma(z_k).
LOSS = sp.Symbol("l")

#: Which index kind each slot of each base takes.
INDEX_KINDS = {Z: ("class",), X: ("feature",), YHAT: ("class",), W: ("feature", "class"), V: ("class",)}


class Softmax(sp.Function):
    """``sigma(z_k)``: the k-th softmax output of the logits (kept unevaluated until instantiated)."""

    nargs = 1


class Partial(sp.Function):
    """``d f / d v``: a partial derivative as written (kept unevaluated until instantiated)."""

    nargs = 2


def index(name: str) -> sp.Symbol:
    """The index symbol called ``name`` (an integer).

    >>> index("k").is_integer
    True
    """
    return sp.Symbol(name, integer=True)


@dataclass(frozen=True)
class Instance:
    """A concrete setting: C, D and a value for each free index."""

    classes: int
    features: int
    values: dict = field(default_factory=dict, hash=False)


class OutOfRange(BindingError):
    """An index takes a value outside its range (for example z_3 when C = 2)."""


@lru_cache(maxsize=64)
def model_for(classes: int, features: int) -> SoftmaxRegression:
    """The softmax model with these dimensions (cached: symbols are shared across checks).

    >>> model_for(2, 1).z
    (z_1, z_2)
    """
    return SoftmaxRegression(classes=classes, features=features)


@lru_cache(maxsize=64)
def direction(classes: int) -> tuple[sp.Symbol, ...]:
    """The components v_1, ..., v_C of a direction in the logits (real symbols).

    >>> direction(2)
    (v_1, v_2)
    """
    return tuple(sp.Symbol(f"v_{k}", real=True) for k in range(1, classes + 1))


def _value(expr: sp.Expr, inst: Instance) -> int:
    values = {k: sp.Integer(v) for k, v in inst.values.items()}
    concrete = sp.sympify(expr).xreplace(values).xreplace({CLASSES: sp.Integer(inst.classes), FEATURES: sp.Integer(inst.features)})
    if not concrete.is_Integer:
        raise BindingError(f"cannot give the index {sp.sstr(expr)} a value", expr)
    return int(concrete)


def _component(vector: tuple, position: int, name: str) -> sp.Symbol:
    if not 1 <= position <= len(vector):
        raise OutOfRange(f"{name}_{position} does not exist: the index runs from 1 to {len(vector)}", name, position)
    return vector[position - 1]


def instantiate(expr: sp.Expr, inst: Instance) -> sp.Expr:
    """The value of a bound expression for the setting ``inst`` (sums expanded, derivatives taken).

    >>> k = index("k")
    >>> instantiate(sp.Sum(YHAT[k], (k, 1, CLASSES)), Instance(3, 1))
    y_1 + y_2 + y_3
    """
    model = model_for(inst.classes, inst.features)
    return _instantiate(sp.sympify(expr), inst, model)


def _instantiate(expr: sp.Expr, inst: Instance, model: SoftmaxRegression, sigma_mode: bool = False) -> sp.Expr:
    if isinstance(expr, sp.Sum):
        var, low, high = expr.limits[-1]  # the last limit is the outermost sum
        summand = sp.Sum(expr.function, *expr.limits[:-1]) if len(expr.limits) > 1 else expr.function
        lo, hi = _value(low, inst), _value(high, inst)
        if hi - lo > 10_000:
            raise BindingError("a sum with too many terms", expr)
        terms = []
        for v in range(lo, hi + 1):
            inner = Instance(inst.classes, inst.features, {**inst.values, var: v})
            terms.append(_instantiate(summand, inner, model, sigma_mode))
        return sp.Add(*terms)
    if isinstance(expr, sp.Indexed):
        base = expr.base
        positions = [_value(i, inst) for i in expr.indices]
        if base == Z and len(positions) == 1:
            return _component(model.z, positions[0], "z")
        if base == X and len(positions) == 1:
            return _component(model.x, positions[0], "x")
        if base == YHAT and len(positions) == 1:
            return _component(model.y, positions[0], "\\hat{y}")
        if base == V and len(positions) == 1:
            return _component(direction(inst.classes), positions[0], "v")
        if base == W and len(positions) == 2:
            t, k = positions
            _component(model.x, t, "w (feature)")
            _component(model.z, k, "w (class)")
            return model.W[t - 1, k - 1]
        raise BindingError(f"{sp.sstr(expr)} has the wrong number of indices", expr)
    if isinstance(expr, sp.KroneckerDelta):
        a, b = (_value(i, inst) for i in expr.args[:2])
        return sp.Integer(1 if a == b else 0)
    if isinstance(expr, Softmax):
        arg = expr.args[0]
        if not (isinstance(arg, sp.Indexed) and arg.base == Z):
            raise BindingError(f"sigma is applied to {sp.sstr(arg)}, not to a logit z_k", arg)
        k = _value(arg.indices[0], inst)
        _component(model.z, k, "z")
        return model.sigma[k - 1] if sigma_mode else model.probabilities[k - 1]
    if expr == LOSS:
        return model.loss() if sigma_mode else model.loss_in_logits()
    if isinstance(expr, Partial) and isinstance(expr.args[1], Softmax):
        # d f / d sigma_k: the softmax outputs are the variables, held apart from the logits
        operand = _instantiate(expr.args[0], inst, model, sigma_mode=True)
        variable = _instantiate(expr.args[1], inst, model, sigma_mode=True)
        derivative = sp.diff(operand, variable)
        return derivative if sigma_mode else model.in_logits(derivative)
    if isinstance(expr, Partial):
        operand = _instantiate(expr.args[0], inst, model)
        variable = _instantiate(expr.args[1], inst, model)
        derivative = total_derivative(operand, variable, model)
        if sigma_mode:
            raise BindingError("a derivative in the logits inside a derivative in sigma", expr)
        return derivative
    if expr == CLASSES:
        return sp.Integer(inst.classes)
    if expr == FEATURES:
        return sp.Integer(inst.features)
    if isinstance(expr, sp.Symbol) and expr in inst.values:
        return sp.Integer(inst.values[expr])
    if not expr.args:
        return expr
    return expr.func(*(_instantiate(a, inst, model, sigma_mode) for a in expr.args))


def total_derivative(f: sp.Expr, variable: sp.Symbol, model: SoftmaxRegression) -> sp.Expr:
    """``df/dv`` where the logits depend on the weights and features: ``z_k = sum_t w_{t,k} x_t``.

    >>> m = model_for(2, 1)
    >>> total_derivative(m.z[0] ** 2, m.W[0, 0], m)
    2*x_1*z_1
    """
    if variable in model.z:
        return sp.diff(f, variable)
    direct = sp.diff(f, variable)
    if variable in model.W or variable in model.x:
        through = sp.Add(
            *(sp.diff(f, zk) * sp.diff(logit, variable) for zk, logit in zip(model.z, model.logits) if f.has(zk))
        )
        return direct + through
    if variable.is_Symbol:
        return direct
    raise BindingError(f"cannot differentiate with respect to {sp.sstr(variable)}", variable)
