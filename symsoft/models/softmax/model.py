r"""The symbolic softmax regression model: one source of truth for sigma, the loss and its derivatives.

Every result is *derived* with SymPy by differentiating the definitions

.. math::

    z_k = \sum_t w_{t,k} x_t, \qquad
    \sigma_k = \frac{e^{z_k}}{\sum_c e^{z_c}}, \qquad
    l = -\sum_k y_k \log \sigma_k ,

and then rewritten in terms of the softmax outputs :math:`\sigma_k` (symbols
``sigma_1 .. sigma_C``), which is how a textbook writes them.

>>> from symsoft.models.softmax.model import SoftmaxRegression
>>> m = SoftmaxRegression(classes=2, features=2)
>>> m.probabilities[0]
exp(z_1)/(exp(z_1) + exp(z_2))
>>> m.jacobian()
Matrix([
[sigma_1*(1 - sigma_1),      -sigma_1*sigma_2],
[     -sigma_1*sigma_2, sigma_2*(1 - sigma_2)]])
>>> m.gradient()
Matrix([
[x_1*(sigma_1 - y_1), x_1*(sigma_2 - y_2)],
[x_2*(sigma_1 - y_1), x_2*(sigma_2 - y_2)]])
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import sympy as sp

from symsoft.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.softmax.numeric import NumericSoftmax
    from symsoft.models.softmax.proofs import Proof

#: Largest number of classes or features the command line and the model accept.
MAX_DIMENSION = 10_000


def validate_dimension(value: object, name: str) -> int:
    """Return ``value`` as a positive int no larger than :data:`MAX_DIMENSION`.

    Raises :class:`~symsoft.errors.UsageError` with a one-line message otherwise.

    >>> validate_dimension(3, "classes")
    3
    >>> validate_dimension(0, "classes")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: classes must be a whole number from 1 to 10000, got 0
    """
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DIMENSION
    if not ok:
        msg = f"{name} must be a whole number from 1 to {MAX_DIMENSION}, got {value!r}"
        raise UsageError(msg, name, value)
    return value


def _symbols(stem: str, count: int, **assumptions) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"{stem}_{k}", **assumptions) for k in range(1, count + 1))


class SoftmaxRegression:
    r"""Softmax regression with ``classes`` classes (C) and ``features`` features (D).

    Symbols: logits ``z_k`` and features ``x_t`` and weights ``w_{t,k}`` are real,
    labels ``y_k`` are non-negative reals, softmax outputs ``sigma_k`` are positive.
    Indices start at 1, as in the mathematics.

    >>> m = SoftmaxRegression(classes=3, features=2)
    >>> m.logits[0]
    w_{1,1}*x_1 + w_{2,1}*x_2
    >>> m.loss()
    -y_1*log(sigma_1) - y_2*log(sigma_2) - y_3*log(sigma_3)
    >>> m.hessian()[0, 1]
    -sigma_1*sigma_2
    """

    def __init__(self, classes: int, features: int = 2) -> None:
        self.classes = validate_dimension(classes, "classes")
        self.features = validate_dimension(features, "features")
        self.z = _symbols("z", self.classes, real=True)
        self.x = _symbols("x", self.features, real=True)
        self.y = _symbols("y", self.classes, nonnegative=True)
        self.sigma = _symbols("sigma", self.classes, positive=True)
        self.W = sp.Matrix(
            self.features,
            self.classes,
            lambda t, k: sp.Symbol(f"w_{{{t + 1},{k + 1}}}", real=True),
        )
        # S stands for the partition function sum_c e^{z_c} while rewriting in sigma.
        self._partition = sp.Symbol("S", positive=True)

    def __repr__(self) -> str:
        return f"SoftmaxRegression(classes={self.classes}, features={self.features})"

    # -- definitions ---------------------------------------------------------------
    @cached_property
    def logits(self) -> tuple[sp.Expr, ...]:
        """The logits ``z_k = sum_t w_{t,k} x_t`` in the weights and features.

        >>> SoftmaxRegression(classes=2, features=1).logits
        (w_{1,1}*x_1, w_{1,2}*x_1)
        """
        return tuple(
            sp.Add(*(self.W[t, k] * self.x[t] for t in range(self.features)))
            for k in range(self.classes)
        )

    @cached_property
    def partition(self) -> sp.Expr:
        """The softmax denominator ``sum_c exp(z_c)``.

        >>> SoftmaxRegression(classes=2).partition
        exp(z_1) + exp(z_2)
        """
        return sp.Add(*(sp.exp(zc) for zc in self.z))

    @cached_property
    def probabilities(self) -> tuple[sp.Expr, ...]:
        """The softmax outputs ``exp(z_k) / sum_c exp(z_c)`` in the logits.

        >>> SoftmaxRegression(classes=1).probabilities
        (1,)
        """
        return tuple(sp.exp(zk) / self.partition for zk in self.z)

    def loss(self) -> sp.Expr:
        """The cross-entropy ``-sum_k y_k log sigma_k`` (natural log) in the softmax outputs.

        >>> SoftmaxRegression(classes=2).loss()
        -y_1*log(sigma_1) - y_2*log(sigma_2)
        """
        return -sp.Add(*(yk * sp.log(sk) for yk, sk in zip(self.y, self.sigma)))

    def loss_in_logits(self) -> sp.Expr:
        """The cross-entropy with ``sigma_k`` replaced by its definition in the logits.

        >>> SoftmaxRegression(classes=2).loss_in_logits()
        -y_1*log(exp(z_1)/(exp(z_1) + exp(z_2))) - y_2*log(exp(z_2)/(exp(z_1) + exp(z_2)))
        """
        return self.in_logits(self.loss())

    # -- rewriting -----------------------------------------------------------------
    def in_logits(self, expr: sp.Expr) -> sp.Expr:
        """Replace every ``sigma_k`` in ``expr`` by its definition in the logits.

        >>> m = SoftmaxRegression(classes=2)
        >>> m.in_logits(m.sigma[0] * (1 - m.sigma[0]))
        (1 - exp(z_1)/(exp(z_1) + exp(z_2)))*exp(z_1)/(exp(z_1) + exp(z_2))
        """
        return sp.sympify(expr).xreplace(dict(zip(self.sigma, self.probabilities)))

    def in_sigma(self, expr: sp.Expr) -> sp.Expr:
        """Rewrite an expression in the logits in terms of the softmax outputs ``sigma_k``.

        ``e^{z_k}`` becomes ``sigma_k S`` with ``S = sum_c e^{z_c}``; what is left of S cancels
        whenever the expression is a function of the softmax outputs alone.

        >>> m = SoftmaxRegression(classes=2)
        >>> m.in_sigma(m.probabilities[0].diff(m.z[1]))
        -sigma_1*sigma_2
        """
        S = self._partition
        e = sp.sympify(expr).xreplace({self.partition: S})
        present = e.free_symbols
        e = e.subs({zk: sp.log(sk * S) for zk, sk in zip(self.z, self.sigma) if zk in present})
        return sp.factor(sp.cancel(sp.expand_power_exp(e)))

    def _readable(self, expr: sp.Expr, leading: sp.Symbol) -> sp.Expr:
        """Write ``expr`` as ``leading * (rest)`` with the rest expanded, when ``leading`` divides it."""
        rest = sp.cancel(expr / leading)
        if rest.has(leading) and sp.denom(rest) != 1:
            return expr
        return sp.Mul(leading, sp.expand(rest))

    def _use_label_sum(self, expr: sp.Expr) -> sp.Expr:
        """Apply the fact sum_k y_k = 1 (a one-hot or probability label) to ``expr``.

        An expression linear in the labels is written ``a * sum_k y_k + sum_k (c_k - a) y_k + b``
        for each distinct label coefficient ``a``; the sum becomes one and the shortest result wins.
        """
        expanded = sp.expand(expr)
        if not expanded.has(*self.y) or sp.Poly(expanded, *self.y).total_degree() != 1:
            return sp.factor_terms(expanded)
        coefficients = [expanded.coeff(yk) for yk in self.y]
        constant = expanded.subs({yk: 0 for yk in self.y})
        candidates = []
        for shared in dict.fromkeys(coefficients):
            rest = sp.Add(*((c - shared) * yk for c, yk in zip(coefficients, self.y)))
            candidates.append(sp.factor_terms(shared + rest + constant))
        return min(candidates, key=lambda e: (sp.count_ops(e), sp.default_sort_key(e))) if candidates else sp.factor_terms(expanded)

    def chain_rule(self, expr: sp.Expr, k: int) -> sp.Expr:
        """The derivative in ``z_k`` of an expression in the softmax outputs, ``sum_m df/dsigma_m dsigma_m/dz_k``.

        >>> m = SoftmaxRegression(classes=2)
        >>> m.chain_rule(m.sigma[0] - m.y[0], 1)
        -sigma_1*sigma_2
        >>> m.chain_rule(m.sigma[0] - m.y[0], 0)
        -sigma_1**2 + sigma_1
        """
        jacobian = self._jacobian
        present = sp.sympify(expr).free_symbols
        total = sp.Add(
            *(sp.diff(expr, s) * jacobian[m, k] for m, s in enumerate(self.sigma) if s in present)
        )
        return sp.expand(total)

    # -- derived results -------------------------------------------------------------
    def jacobian(self) -> sp.Matrix:
        r"""The C x C Jacobian ``d sigma_i / d z_j``, derived and written as ``diag(sigma) - sigma sigma^T``.

        >>> SoftmaxRegression(classes=2).jacobian()[0, 0]
        sigma_1*(1 - sigma_1)
        """
        return self._jacobian.copy()

    @cached_property
    def _jacobian(self) -> sp.Matrix:
        C = self.classes

        def entry(i: int, j: int) -> sp.Expr:
            derived = self.in_sigma(sp.diff(self.probabilities[i], self.z[j]))
            return self._readable(derived, self.sigma[i])

        return sp.ImmutableMatrix(C, C, entry)

    def logit_gradient(self) -> sp.Matrix:
        """The C x 1 gradient of the loss in the logits, ``dl/dz_k = sigma_k - y_k`` (uses sum y = 1).

        Derived by the chain rule through the softmax Jacobian.

        >>> SoftmaxRegression(classes=2).logit_gradient().T
        Matrix([[sigma_1 - y_1, sigma_2 - y_2]])
        """
        return sp.Matrix(self._logit_gradient)

    @cached_property
    def _logit_gradient(self) -> sp.ImmutableMatrix:
        loss = self.loss()
        return sp.ImmutableMatrix(
            [self._use_label_sum(self.chain_rule(loss, k)) for k in range(self.classes)]
        )

    def gradient(self) -> sp.Matrix:
        """The D x C gradient of the loss in the weights, ``dl/dW[j, i] = x_j (sigma_i - y_i)``.

        Derived by the chain rule ``dl/dW[j,i] = sum_k dl/dz_k dz_k/dW[j,i]`` with both factors
        obtained by differentiation.

        >>> SoftmaxRegression(classes=2, features=1).gradient()
        Matrix([[x_1*(sigma_1 - y_1), x_1*(sigma_2 - y_2)]])
        """
        dl_dz = self.logit_gradient()

        def entry(j: int, i: int) -> sp.Expr:
            w = self.W[j, i]
            total = sp.Add(*(dl_dz[k] * sp.diff(self.logits[k], w) for k in range(self.classes)))
            return sp.factor(total)

        return sp.Matrix(self.features, self.classes, entry)

    def hessian(self) -> sp.Matrix:
        """The C x C Hessian of the loss in the logits, derived: ``diag(sigma) - sigma sigma^T`` (uses sum y = 1).

        >>> SoftmaxRegression(classes=2).hessian()[1, 1]
        sigma_2*(1 - sigma_2)
        """
        first = self.logit_gradient()
        C = self.classes

        def entry(i: int, j: int) -> sp.Expr:
            second = self.chain_rule(first[i], j)
            return self._readable(self._use_label_sum(second), self.sigma[i])

        return sp.Matrix(C, C, entry)

    def matrix_results(self) -> tuple[list, dict]:
        r"""The derived results named as in matrix notation, and the vectors of a matrix form (x, σ, y).

        >>> results, letters = SoftmaxRegression(classes=2, features=1).matrix_results()
        >>> [name for name, _ in results], sorted(letters)
        (['\\nabla_W \\ell', '\\frac{\\partial \\sigma}{\\partial z}', '\\nabla_z \\ell', '\\nabla^2_z \\ell'], ['\\sigma', 'x', 'y'])
        """
        results = [("\\nabla_W \\ell", self.gradient()), ("\\frac{\\partial \\sigma}{\\partial z}", self.jacobian()),
                   ("\\nabla_z \\ell", self.logit_gradient()), ("\\nabla^2_z \\ell", self.hessian())]
        letters = {"x": sp.Matrix(self.x), "\\sigma": sp.Matrix(self.sigma), "y": sp.Matrix(self.y)}
        return results, letters

    # -- other layers ----------------------------------------------------------------
    def numeric(self) -> "NumericSoftmax":
        """NumPy functions generated from the symbolic results (see :mod:`symsoft.models.softmax.numeric`).

        >>> import numpy as np
        >>> f = SoftmaxRegression(classes=3).numeric()
        >>> f.softmax(np.zeros((1, 3))).round(4)
        array([[0.3333, 0.3333, 0.3333]])
        """
        from symsoft.models.softmax.numeric import NumericSoftmax

        return NumericSoftmax.from_model(self)

    def prove(self) -> "tuple[Proof, ...]":
        """Machine-checked proofs of the model's properties (see :mod:`symsoft.models.softmax.proofs`).

        >>> [p.name for p in SoftmaxRegression(classes=2).prove()][:3]
        ['positivity', 'below_one', 'sum_to_one']
        """
        from symsoft.models.softmax.proofs import prove_all

        return prove_all(self)
