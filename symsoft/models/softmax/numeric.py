r"""NumPy functions generated from the symbolic softmax model: batched, matrix form, stable.

Nothing here restates a formula by hand. :meth:`NumericSoftmax.from_model` takes the
model's symbolic results, checks with SymPy the facts the fast evaluation rests on, and
turns them into NumPy code with :func:`sympy.lambdify`:

1. ``sigma_k = e_k / sum_c e_c`` with ``e_k`` the same function of ``z_k`` for every class
   (the numerator, ``exp``), lambdified once and applied to a whole ``(N, C)`` array;
2. the numerator is scaled by one common factor under the shift ``z -> z - m``
   (``e^{z - m} / e^z = e^{-m}``), so softmax is shift invariant and is evaluated at
   ``z - max(z)``: every exponent is at most 0, nothing overflows, and the largest shifted
   term is exactly ``e^0 = 1``;
3. ``log sigma_k = z_k - log sum_c e^{z_c}`` (``expand_log`` of the model's
   probabilities, valid because every ``e^{z_c}`` is positive), so the loss is a log-sum-exp
   and never takes the log of an underflowed probability;
4. ``dl/dz_k = sigma_k - y_k`` (the model's ``logit_gradient``, which uses sum y = 1) is one
   function of ``(sigma_k, y_k)``, applied elementwise to ``(P, Y)``;
5. ``dz_k/dW[j, i] = x_j`` when ``k = i`` and 0 otherwise (read off the model's logits), so
   the chain rule over a batch is the matrix product ``X^T (P - Y) / N``.

A check that fails raises :class:`~symsoft.errors.ProofError` instead of producing code.
The number of features D is taken from the data: the logits are ``z = W^T x`` for every D,
and the chain-rule check on the model's own D confirms their form.

>>> import numpy as np
>>> from symsoft.models.softmax.model import SoftmaxRegression
>>> f = SoftmaxRegression(classes=2).numeric()
>>> f.softmax(np.array([[0.0, np.log(3.0)]]))
array([[0.25, 0.75]])
>>> f.softmax(np.array([[1e4, -1e4]]))  # no overflow: e^{-2e4} rounds to 0
array([[1., 0.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

import numpy as np
import sympy as sp

from symsoft.errors import ProofError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.softmax.model import SoftmaxRegression

#: How far a row of labels may be from summing to one (the gradient uses sum_k y_k = 1).
LABEL_SUM_TOLERANCE = 1e-6


# -- from symbolic results to NumPy code ------------------------------------------------
@dataclass(frozen=True)
class _ClassWise:
    """One expression per class, evaluated on ``(N, C)`` arrays whose columns are the classes.

    When every class's expression is the first one with its symbols renamed (``sigma_1 - y_1``
    becomes ``sigma_k - y_k``), a single lambdified function is applied to whole arrays,
    which costs what hand-written NumPy costs. Otherwise all C expressions are lambdified
    together and evaluated column by column.

    >>> import numpy as np, sympy as sp
    >>> s, y = sp.symbols("s_1:3"), sp.symbols("y_1:3")
    >>> h = _ClassWise.from_entries([s[0] - y[0], s[1] - y[1]], (s, y))
    >>> h.elementwise, h(np.array([[0.25, 0.75]]), np.array([[0.0, 1.0]]))
    (True, array([[ 0.25, -0.25]]))
    """

    function: Callable = field(repr=False)
    elementwise: bool
    families: int

    @classmethod
    def from_entries(
        cls,
        entries: Sequence[sp.Expr],
        families: Sequence[Sequence[sp.Symbol]],
        shared: Sequence[sp.Symbol] = (),
    ) -> "_ClassWise":
        """Lambdify ``entries``, one per class, in class symbols ``families`` and per-row symbols ``shared``.

        >>> import sympy as sp
        >>> z, L = sp.symbols("z_1:3"), sp.Symbol("L")
        >>> _ClassWise.from_entries([z[0] - L, z[1] - L], (z,), (L,)).elementwise
        True
        """
        entries = [sp.sympify(e) for e in entries]
        first = entries[0]
        own = {family[0] for family in families} | set(shared)

        def renamed(k: int) -> sp.Expr:
            return first.xreplace({family[0]: family[k] for family in families})

        same_form = first.free_symbols <= own and all(
            sp.expand(entry - renamed(k)) == 0 for k, entry in enumerate(entries)
        )
        if same_form:
            arguments = [family[0] for family in families] + list(shared)
            return cls(sp.lambdify(arguments, first, modules="numpy"), True, len(families))
        arguments = [list(family) for family in families] + list(shared)
        function = sp.lambdify(arguments, entries, modules="numpy", cse=True)
        return cls(function, False, len(families))

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        """Evaluate on class arrays of shape (N, C), then per-row arrays of shape (N, 1)."""
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
        if self.elementwise:
            value = self.function(*arrays)
            # A constant entry (C = 1 has sigma_1 = 1) lambdifies to a scalar.
            return value if np.shape(value) == shape else np.broadcast_to(value, shape).astype(float)
        columns = [np.moveaxis(a, -1, 0) for a in arrays[: self.families]]
        rows = [a[..., 0] for a in arrays[self.families :]]
        values = self.function(*columns, *rows)
        return np.stack([np.broadcast_to(v, shape[:-1]) for v in values], axis=-1).astype(float)


def _fail(claim: str, expr: object) -> NoReturn:
    msg = f"the numeric layer cannot rely on {claim}: got {expr}"
    raise ProofError(msg, claim, expr)


def _split_softmax(model: SoftmaxRegression) -> tuple[list[sp.Expr], sp.Expr]:
    """Numerators and the shared denominator of ``sigma_k``, checked to be ``e_k / sum_c e_c``."""
    parts = [sp.fraction(sp.together(p)) for p in model.probabilities]
    numerators = [numerator for numerator, _ in parts]
    denominator = parts[0][1]
    if any(d != denominator for _, d in parts) or sp.expand(denominator - sp.Add(*numerators)) != 0:
        _fail("sigma_k = e_k / sum_c e_c", model.probabilities)
    return numerators, denominator


def _check_shift(numerator: sp.Expr, z: sp.Symbol) -> None:
    """Check that ``e(z - m) / e(z)`` does not depend on z and that ``e(0) = 1``."""
    m = sp.Symbol("m", real=True)
    ratio = sp.simplify(numerator.xreplace({z: z - m}) / numerator)
    if ratio.has(z):
        _fail("shift invariance (e(z - m) / e(z) free of z)", ratio)
    if numerator.xreplace({z: 0}) != 1:
        _fail("e(0) = 1 for the largest shifted logit", numerator.xreplace({z: 0}))


def _loss_terms(model: SoftmaxRegression, denominator: sp.Expr, L: sp.Symbol) -> _ClassWise:
    """The loss ``-sum_k y_k log sigma_k`` as one term per class in ``(z_k, y_k, L)``, ``L = log sum e``."""
    # With C = 1 the denominator is 1 and log 1 = 0 must not be replaced.
    partition = {sp.log(denominator): L} if denominator != 1 else {}
    log_sigma = [sp.expand_log(sp.log(p)).xreplace(partition) for p in model.probabilities]
    loss = model.loss().xreplace({sp.log(s): ls for s, ls in zip(model.sigma, log_sigma)})
    if loss.has(*model.sigma) or any(ls.has(sp.log) for ls in log_sigma):
        _fail("log sigma_k = z_k - log sum_c e^{z_c}", log_sigma)
    first = {model.z[0], model.y[0]}
    term = sp.Add(*(t for t in sp.Add.make_args(loss) if t.free_symbols & first))
    terms = [term.xreplace({model.z[0]: zk, model.y[0]: yk}) for zk, yk in zip(model.z, model.y)]
    if sp.expand(loss - sp.Add(*terms)) != 0:
        _fail("the loss is a sum of one term per class", loss)
    return _ClassWise.from_entries(terms, (model.z, model.y), (L,))


def _check_chain_rule(model: SoftmaxRegression) -> None:
    """Check ``dz_k/dW[j, i] = x_j`` if ``k = i`` else 0, which makes the batch gradient ``X^T H``."""
    for k, logit in enumerate(model.logits):
        for j in range(model.features):
            for i in range(model.classes):
                expected = model.x[j] if k == i else 0
                if sp.diff(logit, model.W[j, i]) != expected:
                    _fail("dz_k/dW[j, i] = x_j [k = i]", (k, j, i))


# -- the numeric functions ----------------------------------------------------------------
@dataclass(frozen=True)
class NumericSoftmax:
    r"""Batched NumPy functions for softmax regression with ``classes`` classes, generated from the model.

    Rows are samples: logits ``Z`` are (N, C), features ``X`` are (N, D), weights ``W`` are
    (D, C), labels ``Y`` are one-hot or probability rows (N, C) or integer classes (N,)
    from 0 to C - 1. Arrays of the wrong shape raise :class:`~symsoft.errors.UsageError`.

    Examples
    --------
    >>> import numpy as np
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> f = NumericSoftmax.from_model(SoftmaxRegression(classes=3))
    >>> f
    NumericSoftmax(classes=3)
    >>> X, W = np.eye(2), np.zeros((2, 3))
    >>> round(f.loss(X, W, np.array([0, 2])), 6), round(float(np.log(3)), 6)
    (1.098612, 1.098612)
    """

    classes: int
    _numerator: _ClassWise = field(repr=False)
    _loss_terms: _ClassWise = field(repr=False)
    _logit_gradient: _ClassWise = field(repr=False)
    _jacobian: Callable = field(repr=False)

    @classmethod
    def from_model(cls, model: SoftmaxRegression) -> "NumericSoftmax":
        """Check the facts listed in :mod:`symsoft.models.softmax.numeric` on ``model`` and lambdify its results.

        Parameters
        ----------
        model : SoftmaxRegression
            The symbolic model; its Jacobian and logit gradient are derived here if they
            have not been yet (seconds for C = 20, longer for C = 50).

        Returns
        -------
        NumericSoftmax

        Raises
        ------
        ProofError
            If a symbolic result does not have the form the fast evaluation relies on.

        Examples
        --------
        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> NumericSoftmax.from_model(SoftmaxRegression(classes=4, features=3)).classes
        4
        """
        numerators, denominator = _split_softmax(model)
        numerator = _ClassWise.from_entries(numerators, (model.z,))
        if not numerator.elementwise:
            _fail("e_k is one function of z_k", numerators)
        _check_shift(numerators[0], model.z[0])
        loss_terms = _loss_terms(model, denominator, sp.Symbol("L", real=True))
        _check_chain_rule(model)
        logit_gradient = _ClassWise.from_entries(list(model.logit_gradient()), (model.sigma, model.y))
        entries = list(model.jacobian())
        jacobian = sp.lambdify([list(model.sigma)], entries, modules="numpy", cse=True)
        return cls(model.classes, numerator, loss_terms, logit_gradient, jacobian)

    # -- validation ---------------------------------------------------------------------
    def _array(self, value: object, name: str, shape: str, ndim: int) -> np.ndarray:
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            msg = f"{name} must hold real numbers, got dtype {array.dtype}"
            raise UsageError(msg, name, str(array.dtype))
        if array.ndim != ndim:
            msg = f"{name} must have shape {shape}, got {array.shape}"
            raise UsageError(msg, name, array.shape)
        return array.astype(np.float64, copy=False)

    def _logits(self, Z: object, name: str = "Z") -> np.ndarray:
        logits = self._array(Z, name, f"(N, {self.classes})", 2)
        if logits.shape[1] != self.classes:
            msg = f"{name} must have shape (N, {self.classes}), got {logits.shape}"
            raise UsageError(msg, name, logits.shape)
        return logits

    def _data(self, X: object, W: object) -> tuple[np.ndarray, np.ndarray]:
        features = self._array(X, "X", "(N, D)", 2)
        weights = self._array(W, "W", f"(D, {self.classes})", 2)
        N, D = features.shape
        if N == 0:
            msg = "X must have at least one row (the loss is a mean over rows)"
            raise UsageError(msg, "X", features.shape)
        if weights.shape != (D, self.classes):
            msg = f"W must have shape ({D}, {self.classes}) for X of shape {features.shape}, "
            msg += f"got {weights.shape}"
            raise UsageError(msg, "W", weights.shape)
        return features, weights

    def _labels(self, Y: object, rows: int) -> np.ndarray:
        labels = np.asarray(Y)
        C = self.classes
        if labels.ndim == 1:
            if labels.shape[0] != rows or labels.dtype.kind not in "iu":
                msg = f"integer labels must have shape ({rows},) and an integer dtype, "
                msg += f"got {labels.shape} {labels.dtype}"
                raise UsageError(msg, "Y", labels.shape)
            if rows and (labels.min() < 0 or labels.max() >= C):
                msg = f"integer labels must lie in 0..{C - 1}, got {labels.min()}..{labels.max()}"
                raise UsageError(msg, "Y", (int(labels.min()), int(labels.max())))
            one_hot = np.zeros((rows, C))
            one_hot[np.arange(rows), labels] = 1.0
            return one_hot
        labels = self._array(labels, "Y", f"({rows}, {C}) or ({rows},)", 2)
        if labels.shape != (rows, C):
            msg = f"Y must have shape ({rows}, {C}) or ({rows},), got {labels.shape}"
            raise UsageError(msg, "Y", labels.shape)
        off = np.abs(labels.sum(axis=1) - 1.0).max()
        if labels.min() < 0 or not off <= LABEL_SUM_TOLERANCE:
            msg = "each row of Y must be non-negative and sum to one (the gradient uses sum_k y_k = 1)"
            raise UsageError(msg, "Y", float(off))
        return labels

    # -- evaluation ---------------------------------------------------------------------
    def _shifted(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Logits shifted by their row maximum, and the numerators ``e^{z - max z}`` (all <= 1)."""
        shifted = Z - Z.max(axis=1, keepdims=True)
        return shifted, self._numerator(shifted)

    def softmax(self, Z: object) -> np.ndarray:
        """Softmax of each row of logits, evaluated at ``z - max(z)`` so that nothing overflows.

        Parameters
        ----------
        Z : array_like, shape (N, C)
            Logits, one row per sample.

        Returns
        -------
        ndarray, shape (N, C)
            Probabilities; each row sums to one. A probability below about 1e-308 rounds to 0.

        Examples
        --------
        >>> import numpy as np
        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> f = SoftmaxRegression(classes=3).numeric()
        >>> f.softmax([[1.0, 1.0, 1.0], [1e4, 1e4, -1e4]])
        array([[0.33333333, 0.33333333, 0.33333333],
               [0.5       , 0.5       , 0.        ]])
        """
        return self._softmax(self._logits(Z))

    def _softmax(self, Z: np.ndarray) -> np.ndarray:
        with np.errstate(under="ignore"):
            _, numerators = self._shifted(Z)
            return numerators / numerators.sum(axis=1, keepdims=True)

    def loss(self, X: object, W: object, Y: object) -> float:
        """Mean cross-entropy over the rows, ``-1/N sum_n sum_k y_nk log softmax(x_n W)_k``, via log-sum-exp.

        Parameters
        ----------
        X : array_like, shape (N, D)
            Features, one row per sample (N >= 1).
        W : array_like, shape (D, C)
            Weights.
        Y : array_like, shape (N, C) or (N,)
            One-hot or probability rows, or integer classes from 0 to C - 1.

        Returns
        -------
        float
            The loss (natural log); finite for any finite logits, however large.

        Examples
        --------
        >>> import numpy as np
        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> f = SoftmaxRegression(classes=2).numeric()
        >>> X, W = np.array([[1.0]]), np.array([[0.0, np.log(3.0)]])
        >>> round(f.loss(X, W, [1]), 10), round(float(-np.log(0.75)), 10)
        (0.2876820725, 0.2876820725)
        >>> f.loss(X, np.array([[1e4, -1e4]]), [1])  # log sigma = -2e4, not log(0)
        20000.0
        """
        features, weights = self._data(X, W)
        labels = self._labels(Y, features.shape[0])
        with np.errstate(under="ignore"):
            shifted, numerators = self._shifted(features @ weights)
            # The largest shifted numerator is e^0 = 1 exactly (checked in from_model), so
            # log sum e = log1p(the rest) keeps the tiny loss of a confident, correct row.
            top = np.argmax(shifted, axis=1)
            numerators[np.arange(len(top)), top] = 0.0
            log_partition = np.log1p(numerators.sum(axis=1, keepdims=True))
            return float(self._loss_terms(shifted, labels, log_partition).sum(axis=1).mean())

    def gradient(self, X: object, W: object, Y: object) -> np.ndarray:
        """Gradient of :meth:`loss` in the weights, ``X^T (softmax(X W) - Y) / N``.

        Parameters
        ----------
        X : array_like, shape (N, D)
            Features, one row per sample (N >= 1).
        W : array_like, shape (D, C)
            Weights.
        Y : array_like, shape (N, C) or (N,)
            One-hot or probability rows, or integer classes from 0 to C - 1.

        Returns
        -------
        ndarray, shape (D, C)

        Examples
        --------
        >>> import numpy as np
        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> f = SoftmaxRegression(classes=2).numeric()
        >>> X, W = np.array([[1.0], [2.0]]), np.zeros((1, 2))
        >>> f.gradient(X, W, [0, 1])
        array([[ 0.25, -0.25]])
        >>> f.gradient(X, np.array([[1e4, -1e4]]), [0, 0])  # saturated and right: zero gradient
        array([[0., 0.]])
        """
        features, weights = self._data(X, W)
        labels = self._labels(Y, features.shape[0])
        probabilities = self._softmax(features @ weights)
        return features.T @ self._logit_gradient(probabilities, labels) / features.shape[0]

    def jacobian(self, z: object) -> np.ndarray:
        """The softmax Jacobian ``d sigma_i / d z_j`` at logits ``z``: (C,) gives (C, C), (N, C) gives (N, C, C).

        Parameters
        ----------
        z : array_like, shape (C,) or (N, C)
            Logits.

        Returns
        -------
        ndarray, shape (C, C) or (N, C, C)
            ``diag(sigma) - sigma sigma^T``, symmetric, rows summing to zero.

        Examples
        --------
        >>> import numpy as np
        >>> from symsoft.models.softmax.model import SoftmaxRegression
        >>> f = SoftmaxRegression(classes=2).numeric()
        >>> f.jacobian(np.zeros(2))
        array([[ 0.25, -0.25],
               [-0.25,  0.25]])
        >>> abs(f.jacobian([1e4, -1e4]))  # saturated: the softmax is flat
        array([[0., 0.],
               [0., 0.]])
        """
        C = self.classes
        shape = f"({C},) or (N, {C})"
        logits = np.asarray(z)
        single = logits.ndim == 1
        logits = self._array(logits, "z", shape, 1 if single else 2)
        if logits.shape[-1] != C:
            msg = f"z must have shape {shape}, got {logits.shape}"
            raise UsageError(msg, "z", logits.shape)
        probabilities = self._softmax(np.atleast_2d(logits))
        with np.errstate(under="ignore"):
            values = self._jacobian(probabilities.T)
        out = np.empty((probabilities.shape[0], C * C))
        for index, value in enumerate(values):
            out[:, index] = value
        out = out.reshape(-1, C, C)
        return out[0] if single else out
