r"""NumPy functions lambdified from a model's derivation: the loss and its gradient over a batch of samples.

For a model read from YAML (:class:`~symsoft.models.derive.ModelDerivation`) whose objective is the
mean over the samples of one loss of the predictor, the batch functions follow from one sample:

1. the objective for N = 2 is the mean of the one-sample objective at each sample (checked with SymPy:
   the two differ by 0), so the batch loss is the mean of the lambdified one-sample loss;
2. the predictor is linear, ``z = X̃ θ`` with the row ``X̃_n = dz_n/dθ`` (``[x_n, 1]`` with a bias),
   read off the derivation's predictor gradient;
3. the gradient is ``X̃ᵀ s / N`` with ``s_n = N dJ/dz_n`` (``σ(z_n) - y_n`` for logistic regression),
   the derivation's loss slope lambdified in (z, y): the matrix form of the chain rule;
4. ``log(1 + e^{a})`` in the loss is evaluated as ``logaddexp(0, a)`` (after ``log`` of a quotient is
   split), so logits of ±1e4 give finite losses.

A fact that does not check raises :class:`~symsoft.errors.ProofError` instead of producing code.

>>> import numpy as np
>>> from symsoft.models.derive import ModelDerivation
>>> f = NumericModel.from_derivation(ModelDerivation("logistic", {"N": 1, "D": 2}))
>>> X, y = np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([1.0, 0.0])
>>> round(f.loss(X, y, np.zeros(3)), 6)
0.693147
>>> f.gradient(X, y, np.zeros(3))
array([-0.25, -0.75,  0.  ])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symsoft.errors import ProofError


class softplus(sp.Function):  # noqa: N801 - printed by lambdify as a NumPy call
    """``log(1 + e^{a})``, evaluated by NumPy as ``logaddexp(0, a)``."""

    nargs = 1


def _stable_logs(expr: sp.Expr) -> sp.Expr:
    """``log`` of quotients split, then every ``log(1 + e^{a})`` written ``softplus(a)``."""
    expr = expr.replace(lambda e: isinstance(e, sp.log), lambda e: sp.expand_log(sp.log(sp.together(e.args[0])),
                                                                                  force=True))
    return expr.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Add) and len(e.args[0].args) == 2
        and 1 in e.args[0].args and any(isinstance(a, sp.exp) for a in e.args[0].args),
        lambda e: softplus(next(a for a in e.args[0].args if isinstance(a, sp.exp)).args[0]))


@dataclass(frozen=True)
class NumericModel:
    """The batch loss and gradient of a model, as NumPy functions of ``(X, y, theta)``.

    ``X`` is ``(N, D)`` with samples as rows, ``y`` has N labels, ``theta`` holds the parameters in the
    model's order (``w_1, ..., w_D, b``).
    """

    parameters: tuple
    _row: Callable
    _loss: Callable
    _slope: Callable

    @classmethod
    def from_derivation(cls, d) -> "NumericModel":
        """Check the facts of the module docstring on ``d`` (a one-sample derivation) and lambdify.

        >>> from symsoft.models.derive import ModelDerivation
        >>> NumericModel.from_derivation(ModelDerivation("linear", {"N": 1, "D": 1})).parameters
        ('w_{1}', 'b')
        """
        from symsoft.models.derive import ModelDerivation

        if len(d.predictors) != 1:
            d = ModelDerivation(d.model, {**d.sizes, "N": 1})
        z, _ = d.predictors[0]
        row = list(d.predictor_gradient.row(0))
        inputs = sorted(set().union(*(sp.sympify(e).free_symbols for e in row)), key=lambda s: row.index(s)
                        if s in row else len(row))
        in_z = {e.lhs: e.rhs for e in d.definitions[1:] if e.lhs != z}
        loss = d._in_predictor
        labels = sorted(loss.free_symbols - {z}, key=str)
        slope = d.loss_slopes[0].xreplace(in_z)
        _check_mean_over_samples(d)
        return cls(
            tuple(str(t) for t in d.parameters),
            sp.lambdify(inputs, row, "numpy"),
            sp.lambdify([z, *labels], _stable_logs(loss), [{"softplus": lambda a: np.logaddexp(0, a)}, "numpy"]),
            sp.lambdify([z, *labels], slope, "numpy"),
        )

    def design(self, X: np.ndarray) -> np.ndarray:
        """The rows ``X̃_n = dz_n/dθ`` of the batch (``[x_n, 1]`` with a bias).

        >>> from symsoft.models.derive import ModelDerivation
        >>> f = NumericModel.from_derivation(ModelDerivation("linear", {"N": 1, "D": 1}))
        >>> f.design(np.array([[2.0], [3.0]]))
        array([[2., 1.],
               [3., 1.]])
        """
        X = np.asarray(X, dtype=float)
        columns = self._row(*X.T)
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (X.shape[0],)) for c in columns])

    def loss(self, X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> float:
        """The objective: the mean of the one-sample loss over the rows of ``X``.

        >>> from symsoft.models.derive import ModelDerivation
        >>> f = NumericModel.from_derivation(ModelDerivation("linear", {"N": 1, "D": 1}))
        >>> f.loss(np.array([[1.0]]), np.array([3.0]), np.array([1.0, 0.0]))
        2.0
        """
        z = self.design(X) @ np.asarray(theta, dtype=float)
        with np.errstate(over="ignore"):
            return float(np.mean(self._loss(z, np.asarray(y, dtype=float))))

    def gradient(self, X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """The gradient in the parameters, ``X̃ᵀ s / N`` with ``s_n = N dJ/dz_n``.

        >>> from symsoft.models.derive import ModelDerivation
        >>> f = NumericModel.from_derivation(ModelDerivation("linear", {"N": 1, "D": 1}))
        >>> f.gradient(np.array([[1.0]]), np.array([3.0]), np.array([1.0, 0.0]))
        array([-2., -2.])
        """
        design = self.design(X)
        z = design @ np.asarray(theta, dtype=float)
        with np.errstate(over="ignore"):
            slopes = np.broadcast_to(self._slope(z, np.asarray(y, dtype=float)), z.shape)
        return design.T @ slopes / design.shape[0]


def _check_mean_over_samples(d) -> None:
    """The objective for two samples is the mean of the one-sample objective at each (an exact check)."""
    from symsoft.models.derive import ModelDerivation

    two = ModelDerivation(d.model, {**d.sizes, "N": 2})
    one = d.explicit(d.objective())
    second = one.xreplace({s: sp.Symbol(s.name.replace("^{(1)}", "^{(2)}"), **s.assumptions0)
                           for s in one.free_symbols if "^{(1)}" in s.name})
    if sp.expand(two.explicit(two.objective()) - (one + second) / 2) != 0:
        raise ProofError(f"model {d.model.name}: the objective is not the mean of one loss over the samples",
                         d.model.name)
