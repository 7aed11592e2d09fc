"""Tests of symsoft.models.softmax.numeric: the NumPy functions generated from the symbolic softmax model."""

from __future__ import annotations

import functools
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import log_loss

from symsoft.errors import ProofError, UsageError
from symsoft.models.softmax.numeric import NumericSoftmax, _ClassWise
from symsoft.models.softmax.model import SoftmaxRegression

CLASS_COUNTS = list(range(2, 11))
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)

# Central differences in float64 with gradcheck's step and tolerances.
FD_STEP = 1e-6
FD_ATOL = 1e-5
FD_RTOL = 1e-3


@functools.lru_cache(maxsize=None)
def symbolic(classes: int) -> SoftmaxRegression:
    return SoftmaxRegression(classes=classes, features=2)


@functools.lru_cache(maxsize=None)
def numeric(classes: int) -> NumericSoftmax:
    return symbolic(classes).numeric()


@functools.lru_cache(maxsize=None)
def hessian_function(classes: int):
    model = symbolic(classes)
    return sp.lambdify([list(model.sigma)], model.hessian(), modules="numpy")


def problem(classes: int, rows: int = 6, features: int = 3, seed: int = 0, scale: float = 1.0):
    rng = np.random.default_rng([seed, classes, rows, features])
    X = rng.normal(size=(rows, features))
    W = scale * rng.normal(size=(features, classes))
    labels = rng.integers(0, classes, size=rows)
    return X, W, labels


def central_differences(function, point: np.ndarray) -> np.ndarray:
    """d function / d point by central differences; the output's axes come first."""
    columns = []
    for index in np.ndindex(point.shape):
        step = np.zeros_like(point)
        step[index] = FD_STEP
        difference = np.asarray(function(point + step)) - np.asarray(function(point - step))
        columns.append(difference / (2 * FD_STEP))
    return np.stack(columns, axis=-1).reshape(np.shape(columns[0]) + point.shape)


class Strict:
    """Make every NumPy floating-point event (overflow, underflow, invalid, divide) and warning an error."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("error")
        self._errstate = np.errstate(all="raise")
        self._errstate.__enter__()

    def __exit__(self, *exc):
        self._errstate.__exit__(*exc)
        self._warnings.__exit__(*exc)


# -- finite differences -----------------------------------------------------------------
@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_gradient_matches_central_differences(classes):
    """The lambdified gradient equals central differences of the loss in every weight, C = 2..10."""
    f = numeric(classes)
    X, W, labels = problem(classes)
    expected = central_differences(lambda w: f.loss(X, w, labels), W)
    np.testing.assert_allclose(f.gradient(X, W, labels), expected, rtol=FD_RTOL, atol=FD_ATOL)


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_jacobian_matches_central_differences(classes):
    """The lambdified Jacobian equals central differences of softmax in every logit, C = 2..10."""
    f = numeric(classes)
    z = np.random.default_rng(classes).normal(scale=2.0, size=classes)
    expected = central_differences(lambda v: f.softmax(v[np.newaxis])[0], z)
    np.testing.assert_allclose(f.jacobian(z), expected, rtol=FD_RTOL, atol=FD_ATOL)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    classes=st.integers(2, 5),
    rows=st.integers(1, 4),
    features=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_gradient_matches_central_differences_for_any_shape(classes, rows, features, seed):
    """For any N, D and C the gradient has shape (D, C) and matches central differences."""
    f = numeric(classes)
    X, W, labels = problem(classes, rows, features, seed)
    gradient = f.gradient(X, W, labels)
    assert gradient.shape == (features, classes)
    expected = central_differences(lambda w: f.loss(X, w, labels), W)
    np.testing.assert_allclose(gradient, expected, rtol=FD_RTOL, atol=FD_ATOL)


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_batched_jacobian_is_the_jacobian_of_each_row(classes):
    """A batch of logits (N, C) gives the (N, C, C) stack of per-row Jacobians."""
    f = numeric(classes)
    Z = np.random.default_rng(classes).normal(size=(4, classes))
    batched = f.jacobian(Z)
    assert batched.shape == (4, classes, classes)
    for row, jacobian in zip(Z, batched):
        np.testing.assert_array_equal(jacobian, f.jacobian(row))


# -- an independent implementation ------------------------------------------------------
@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_loss_equals_scikit_learn_log_loss(classes):
    """The mean cross-entropy equals sklearn.metrics.log_loss on the same probabilities to 1e-10."""
    f = numeric(classes)
    X, W, labels = problem(classes, rows=40, features=4)
    probabilities = f.softmax(X @ W)
    with warnings.catch_warnings():
        # scikit-learn 1.9 renamed y_pred to y_proba; the positional argument works in every version.
        warnings.simplefilter("ignore", FutureWarning)
        expected = log_loss(labels, probabilities, labels=list(range(classes)))
    assert abs(f.loss(X, W, labels) - expected) <= 1e-10


def test_loss_known_value():
    """Equal logits over C classes give the loss log C and the gradient X^T (1/C - Y) / N."""
    f = numeric(4)
    X, W, labels = np.array([[1.0, 2.0]]), np.zeros((2, 4)), np.array([3])
    assert f.loss(X, W, labels) == pytest.approx(np.log(4), rel=1e-15)
    np.testing.assert_allclose(f.gradient(X, W, labels), np.outer([1.0, 2.0], [0.25, 0.25, 0.25, -0.75]))


# -- laws (hypothesis) ------------------------------------------------------------------
logit_rows = st.integers(2, 10).flatmap(
    lambda c: arrays(np.float64, st.tuples(st.integers(1, 5), st.just(c)), elements=st.floats(-1e4, 1e4))
)
moderate_rows = st.integers(2, 10).flatmap(
    lambda c: arrays(np.float64, st.tuples(st.integers(1, 5), st.just(c)), elements=st.floats(-50, 50))
)


@PROPERTY_SETTINGS
@given(Z=logit_rows)
def test_softmax_rows_are_probability_vectors(Z):
    """Every softmax row is in [0, 1] and sums to one, for logits anywhere in [-1e4, 1e4]."""
    with Strict():
        P = numeric(Z.shape[1]).softmax(Z)
    assert P.shape == Z.shape
    assert np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-14)


@PROPERTY_SETTINGS
@given(Z=moderate_rows, shift=st.floats(-100, 100))
def test_softmax_is_shift_invariant(Z, shift):
    """Adding one number to every logit of a row leaves its softmax unchanged."""
    f = numeric(Z.shape[1])
    np.testing.assert_allclose(f.softmax(Z + shift), f.softmax(Z), rtol=1e-10, atol=0)


@PROPERTY_SETTINGS
@given(Z=logit_rows)
def test_jacobian_rows_sum_to_zero(Z):
    """Each row of the softmax Jacobian sums to zero (the outputs always sum to one)."""
    J = numeric(Z.shape[1]).jacobian(Z)
    np.testing.assert_allclose(J.sum(axis=-1), 0.0, rtol=0, atol=1e-14)
    np.testing.assert_array_equal(J, np.swapaxes(J, -1, -2))


@PROPERTY_SETTINGS
@given(Z=moderate_rows)
def test_hessian_is_positive_semidefinite(Z):
    """The lambdified Hessian of the loss in the logits has no eigenvalue below -1e-12 (the loss is convex)."""
    classes = Z.shape[1]
    hessian = hessian_function(classes)
    for p in numeric(classes).softmax(Z):
        assert np.linalg.eigvalsh(np.asarray(hessian(p), dtype=float)).min() >= -1e-12


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_hessian_equals_the_jacobian(classes):
    """With sum y = 1 the Hessian of the loss in the logits is the softmax Jacobian, entry by entry."""
    z = np.random.default_rng(classes).normal(size=classes)
    f = numeric(classes)
    hessian = hessian_function(classes)(f.softmax(z[np.newaxis])[0])
    np.testing.assert_allclose(hessian, f.jacobian(z), rtol=1e-14)


# -- stability against an mpmath reference ------------------------------------------------
LARGE_LOGITS = [
    [1e4, -1e4],
    [-1e4, 1e4],
    [1e4, 1e4],
    [-1e4, -1e4],
    [1e4, 1e4 - 1.0, -1e4],
    [1e4, 1e4 - 40.0, 1e4 - 700.0],
    [-1e4, -1e4 + 0.5, -1e4 + 30.0, -1e4 + 2.0],
    [1e4, -1e4, 0.0, 9999.9, -9999.9],
]


def reference_log_softmax(row):
    """log softmax of one row with 50 significant digits."""
    with mpmath.workdps(50):
        z = [mpmath.mpf(float(v)) for v in row]
        log_partition = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        return [v - log_partition for v in z]


@pytest.mark.parametrize("row", LARGE_LOGITS)
def test_softmax_at_large_logits_matches_mpmath(row):
    """Softmax at logits of +-1e4 is within 1e-12 relative error of mpmath, with no floating-point event."""
    with Strict():
        P = numeric(len(row)).softmax(np.array([row]))[0]
    with mpmath.workdps(50):
        expected = np.array([float(mpmath.exp(v)) for v in reference_log_softmax(row)])
    np.testing.assert_allclose(P, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("row", LARGE_LOGITS)
def test_loss_at_large_logits_matches_mpmath(row):
    """The loss of every label at logits of +-1e4 is finite and within 1e-12 relative error of mpmath."""
    f = numeric(len(row))
    X, W = np.ones((1, 1)), np.array([row])  # x W is the row, exactly
    reference = reference_log_softmax(row)
    for label in range(len(row)):
        with Strict():
            loss = f.loss(X, W, np.array([label]))
        assert np.isfinite(loss)
        with mpmath.workdps(50):
            assert abs(mpmath.mpf(loss) + reference[label]) <= 1e-12 * abs(reference[label])


@pytest.mark.parametrize("row", LARGE_LOGITS)
def test_gradient_at_large_logits_matches_mpmath(row):
    """The gradient at logits of +-1e4 is finite and within 1e-12 relative error of mpmath, or 1e-15 absolute.

    The absolute floor is the spacing of floats near one: sigma_k - 1 with sigma_k = 1 - 1e-12
    cannot be computed to a relative 1e-12, but its error stays at rounding level.
    """
    f = numeric(len(row))
    X, W = np.ones((1, 1)), np.array([row])
    with mpmath.workdps(50):
        probabilities = [mpmath.exp(v) for v in reference_log_softmax(row)]
    for label in range(len(row)):
        with Strict():
            gradient = f.gradient(X, W, np.array([label]))[0]
        with mpmath.workdps(50):
            expected = np.array([float(p - (k == label)) for k, p in enumerate(probabilities)])
        assert np.all(np.isfinite(gradient))
        np.testing.assert_allclose(gradient, expected, rtol=1e-12, atol=1e-15)


# -- labels -------------------------------------------------------------------------------
@pytest.mark.parametrize("classes", [2, 3, 7])
def test_integer_labels_and_one_hot_agree(classes):
    """Integer labels and the matching one-hot rows give the same loss and gradient."""
    f = numeric(classes)
    X, W, labels = problem(classes, rows=9)
    one_hot = np.eye(classes)[labels]
    assert f.loss(X, W, labels) == f.loss(X, W, one_hot)
    np.testing.assert_array_equal(f.gradient(X, W, labels), f.gradient(X, W, one_hot))


def test_soft_labels_are_a_mixture():
    """A probability row of labels gives the same mixture of the one-hot losses and gradients."""
    f = numeric(3)
    X, W, _ = problem(3, rows=1)
    mix = np.array([[0.2, 0.3, 0.5]])
    one_hot = np.eye(3)
    assert f.loss(X, W, mix) == pytest.approx(sum(m * f.loss(X, W, e[None]) for m, e in zip(mix[0], one_hot)))
    np.testing.assert_allclose(
        f.gradient(X, W, mix), sum(m * f.gradient(X, W, e[None]) for m, e in zip(mix[0], one_hot))
    )


# -- errors -------------------------------------------------------------------------------
X3, W3, Y3 = np.ones((4, 2)), np.zeros((2, 3)), np.array([0, 1, 2, 0])
USAGE_ERRORS = [
    ("softmax", (np.zeros((2, 4)),)),
    ("softmax", (np.zeros(3),)),
    ("softmax", (np.zeros((1, 3), dtype=complex),)),
    ("softmax", ([["a", "b", "c"]],)),
    ("loss", (np.ones((4, 5)), W3, Y3)),
    ("loss", (np.ones(4), W3, Y3)),
    ("loss", (np.ones((0, 2)), W3, np.zeros(0, dtype=int))),
    ("loss", (X3, np.zeros((2, 4)), Y3)),
    ("loss", (X3, W3, Y3[:3])),
    ("loss", (X3, W3, np.array([0, 1, 3, 0]))),
    ("loss", (X3, W3, np.array([0, -1, 2, 0]))),
    ("loss", (X3, W3, np.array([0.0, 1.0, 2.0, 0.0]))),
    ("gradient", (X3, W3, np.ones((4, 3)))),
    ("gradient", (X3, W3, -np.eye(3)[Y3])),
    ("gradient", (X3, W3, np.eye(4)[Y3])),
    ("gradient", (X3, W3, np.zeros((4, 3, 1)))),
    ("gradient", (X3, W3.T, Y3)),
    ("jacobian", (np.zeros(4),)),
    ("jacobian", (np.zeros((2, 2, 3)),)),
]


@pytest.mark.parametrize(("method", "arguments"), USAGE_ERRORS)
def test_wrong_shapes_raise_usage_error(method, arguments):
    """A wrong shape, dtype or label raises UsageError (a ValueError) with a one-line message."""
    with pytest.raises(UsageError) as caught:
        getattr(numeric(3), method)(*arguments)
    assert isinstance(caught.value, ValueError)
    message = caught.value.args[0]
    assert message and "\n" not in message


# -- generated from the symbolic model ------------------------------------------------------
@pytest.mark.parametrize("classes", [2, 3])
def test_shift_invariance_holds_symbolically(classes):
    """The model's softmax satisfies p(z - m) = p(z) exactly (what makes the max shift legitimate)."""
    model = symbolic(classes)
    m = sp.Symbol("m", real=True)
    shifted = {zk: zk - m for zk in model.z}
    assert all(sp.simplify(p.xreplace(shifted) - p) == 0 for p in model.probabilities)


@pytest.mark.parametrize("classes", [2, 3])
def test_log_softmax_is_logit_minus_log_sum_exp(classes):
    """expand_log of log sigma_k is z_k - log sum_c exp(z_c), the log-sum-exp form of the loss."""
    model = symbolic(classes)
    for zk, p in zip(model.z, model.probabilities):
        assert sp.expand_log(sp.log(p)) - (zk - sp.log(model.partition)) == 0


class DoubledGradient(SoftmaxRegression):
    """A model whose logit gradient is 2 (sigma_k - y_k): the numeric layer must follow it."""

    def logit_gradient(self) -> sp.Matrix:
        return 2 * super().logit_gradient()


class Unnormalised(SoftmaxRegression):
    """A model whose 'probabilities' are exp(z_k) without the denominator."""

    @property
    def probabilities(self):
        return tuple(sp.exp(zk) for zk in self.z)


def test_gradient_is_generated_from_the_model():
    """The numeric gradient is lambdified from the model's logit gradient, not written by hand."""
    X, W, labels = problem(3)
    doubled = NumericSoftmax.from_model(DoubledGradient(classes=3)).gradient(X, W, labels)
    np.testing.assert_allclose(doubled, 2 * numeric(3).gradient(X, W, labels), rtol=1e-15)


def test_model_without_normalisation_is_refused():
    """A model whose softmax is not e_k / sum_c e_c raises ProofError instead of producing code."""
    with pytest.raises(ProofError):
        NumericSoftmax.from_model(Unnormalised(classes=3))


def test_per_column_fallback_agrees_with_elementwise():
    """An entry that is not one function of (sigma_k, y_k) is evaluated per column with the same values."""
    model = symbolic(2)
    s, y = model.sigma, model.y
    # The C = 2 logit gradient before sum y = 1 is applied: each entry uses both labels.
    written_out = [s[0] * (y[0] + y[1]) - y[0], s[1] * (y[0] + y[1]) - y[1]]
    fallback = _ClassWise.from_entries(written_out, (s, y))
    elementwise = _ClassWise.from_entries(list(model.logit_gradient()), (s, y))
    assert not fallback.elementwise and elementwise.elementwise
    P, Y = numeric(2).softmax(np.array([[0.0, 1.0], [3.0, -2.0]])), np.eye(2)
    np.testing.assert_allclose(fallback(P, Y), elementwise(P, Y), rtol=1e-15)


def test_one_class():
    """C = 1 gives probability one, zero loss, zero gradient and a zero Jacobian."""
    f = SoftmaxRegression(classes=1, features=1).numeric()
    X, W = np.array([[1.0], [-2.0]]), np.array([[0.5]])
    np.testing.assert_array_equal(f.softmax(X @ W), 1.0)
    assert f.loss(X, W, [0, 0]) == 0.0
    np.testing.assert_array_equal(f.gradient(X, W, [0, 0]), 0.0)
    np.testing.assert_array_equal(f.jacobian([3.0]), [[0.0]])


def test_two_classes_is_the_logistic_sigmoid():
    """With C = 2, sigma_2 is the logistic sigmoid of z_2 - z_1."""
    f = numeric(2)
    np.testing.assert_allclose(f.softmax(np.array([[0.0, 1.5]]))[0, 1], 1 / (1 + np.exp(-1.5)), rtol=1e-15)
