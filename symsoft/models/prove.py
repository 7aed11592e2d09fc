r"""Machine-checked proofs of a model's results, for given sizes of its axes, from its YAML definitions.

For a model with a ``results:`` section (:mod:`symsoft.models.derive`) and given sizes, the
proofs are:

- ``derivative_<f>``: the derivative identity of each function the model names
  (the logistic :math:`\sigma'(u) = \sigma(u)(1 - \sigma(u))`), for every real u;
- ``gradient``: the gradient of the objective equals the model's closed form, every entry;
- ``hessian``: the Hessian equals the model's closed form, every entry;
- ``convexity``: :math:`v^\top H v = \sum_n c_n (a_n \cdot v)^2` with every weight
  :math:`c_n \geq 0` proved from the definitions, so the Hessian is positive semidefinite for all
  parameters and the objective is convex;
- ``normal_equations`` (when the objective is quadratic): the gradient is
  :math:`H\theta - r`, the stationary points solve :math:`A^\top A \theta = A^\top y` (rows
  :math:`A_n = \partial z_n / \partial \theta`),
  and :math:`\theta^\ast = \operatorname{adj}(M)\, A^\top y / \det M` solves them when
  :math:`\det M \neq 0`.

Every step is a :class:`~symsoft.models.softmax.proofs.ProofStep` checked symbolically by
:func:`~symsoft.models.softmax.proofs.check_step` when the proof is built; nothing is sampled.

>>> from symsoft.models.derive import ModelDerivation
>>> [p.name for p in prove_model(ModelDerivation("logistic", {"N": 1, "D": 1}))]
['derivative_sigma', 'gradient', 'hessian', 'convexity']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import sympy as sp

from symsoft.models.softmax.proofs import Proof, ProofStep

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.derive import ModelDerivation

#: The derivative of each function of the vocabulary, written in the function's own value f.
DERIVATIVE_IDENTITIES: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "logistic": lambda f: f * (1 - f),
    "sigmoid": lambda f: f * (1 - f),
    "tanh": lambda f: 1 - f**2,
}


def _eq(lhs, rhs) -> sp.Eq:
    return sp.Eq(lhs, rhs, evaluate=False)


def _sizes(d: "ModelDerivation") -> str:
    return ", ".join(f"{axis} = {size}" for axis, size in d.sizes.items())


def _holds(d: "ModelDerivation", what: str = "") -> str:
    named = " and ".join(f"{axis} = {size} ({d.model.axes[axis]}s)" for axis, size in d.sizes.items())
    return f"{named}: exact, for every real value of the inputs and parameters{what}"


def _derivative_latex(objective: str, parameters: list[str]) -> str:
    if len(parameters) == 1:
        return rf"\frac{{\partial {objective}}}{{\partial {parameters[0]}}}"
    if parameters[0] == parameters[1]:
        return rf"\frac{{\partial^2 {objective}}}{{\partial {parameters[0]}^2}}"
    return rf"\frac{{\partial^2 {objective}}}{{\partial {parameters[0]} \partial {parameters[1]}}}"


def _closed_forms_latex(d: "ModelDerivation", part: str) -> str:
    """The model's closed forms of ``part`` (gradient or hessian) as one LaTeX line, with the index ranges."""
    results = d.model.results
    shown = [f"{_derivative_latex(results['objective'], [p.strip() for p in key.split(',')])} = {text}"
             for key, text in results.get(part, {}).items()]
    indices = sorted({str(i): axis for key in results.get(part, {})
                      for p in key.split(",") for i, axis in d._pattern(p.strip()).kinds.items()}.items())
    ranges = ", ".join(rf"{i} = 1, \dots, {axis}" for i, axis in indices)
    return r", \quad ".join(shown) + (rf" \quad ({ranges})" if ranges else "")


def _without_predictor(d: "ModelDerivation") -> tuple[sp.Eq, ...]:
    """The definitions but the predictor's: a derivative in z^{(n)} keeps z^{(n)} as a variable."""
    predictors = {z for z, _ in d.predictors}
    return tuple(e for e in d.definitions if e.lhs not in predictors)


def _predictor_definitions(d: "ModelDerivation") -> tuple[sp.Eq, ...]:
    return tuple(_eq(z, value) for z, value in d.predictors)


def prove_function_derivative(name: str, meaning: str) -> Proof | None:
    r"""Prove the derivative identity of the function ``name`` means (``\sigma``: logistic), or None if none is known.

    >>> proof = prove_function_derivative(r"\sigma", "logistic")
    >>> proof.steps[2].rhs
    sigma*(1 - sigma)
    >>> prove_function_derivative("f", "relu") is None
    True
    """
    from symsoft.meaning.reading import VOCABULARY

    identity = DERIVATIVE_IDENTITIES.get(meaning)
    function = VOCABULARY.get(meaning)
    if identity is None or not isinstance(function, sp.Lambda):
        return None
    stem = name.lstrip("\\")
    u = sp.Symbol("u", real=True)
    f = sp.Symbol(stem)
    value = function(u)
    definition = (_eq(f, value),)
    derivative = sp.diff(value, u)
    applied = sp.Function(stem)(u)
    steps = (
        ProofStep(f, "=", value, f"definition: {stem} is the {meaning} function", given=definition),
        ProofStep(sp.Derivative(f, u), "=", derivative, "differentiate (SymPy)", given=definition),
        ProofStep(derivative, "=", identity(f), f"written in {stem} itself", given=definition),
    )
    return Proof(
        name=f"derivative_{stem}",
        title=f"The derivative of the {meaning} function",
        claim=_eq(sp.Derivative(applied, u), identity(applied)),
        claim_latex=rf"\frac{{d}}{{du}} {name}(u) = " + sp.latex(identity(sp.Symbol(f"{name}(u)"))),
        steps=steps,
        classes=0,
        holds_for="every real u",
        sizes="every real u",
    )


def prove_gradient(d: "ModelDerivation") -> Proof:
    r"""Prove that the gradient of the objective is the model's closed form, every entry, by the chain rule.

    >>> from symsoft.models.derive import ModelDerivation
    >>> proof = prove_gradient(ModelDerivation("linear", {"N": 1, "D": 1}))
    >>> [step.rule.split(":")[0] for step in proof.steps]
    ['definition of the objective', 'differentiate J in each predictor', 'the predictor is linear in the parameters', 'chain rule', 'ModelDerivation.gradient() is the closed form']
    """
    J, theta = d.objective_symbol, d.parameters
    zs = [z for z, _ in d.predictors]
    closed = d.closed_gradient()
    steps = (
        ProofStep(J, "=", d.objective(), "definition of the objective: the model's YAML", given=d.definitions),
        ProofStep(sp.Matrix([sp.Derivative(J, z) for z in zs]), "=", sp.Matrix(d.loss_slopes),
                  f"differentiate J in each predictor: SymPy, then written in the model's quantities",
                  given=_without_predictor(d)),
        ProofStep(sp.Matrix(len(zs), len(theta), lambda n, a: sp.Derivative(zs[n], theta[a])), "=",
                  d.predictor_gradient, "the predictor is linear in the parameters: its definition, differentiated",
                  given=_predictor_definitions(d)),
        ProofStep(sp.Matrix([sp.Derivative(J, t) for t in theta]), "=", closed,
                  "chain rule: dJ/dtheta_a = sum_n dJ/dz_n dz_n/dtheta_a (steps 2 and 3); the model's closed form",
                  given=d.definitions),
        ProofStep(d.gradient(), "=", closed, "ModelDerivation.gradient() is the closed form: every entry"),
    )
    return Proof(
        name="gradient",
        title=f"The gradient of {J} is the closed form of the model {d.model.name}",
        claim=_eq(sp.Matrix([sp.Derivative(J, t) for t in theta]), closed),
        claim_latex=_closed_forms_latex(d, "gradient"),
        steps=steps,
        classes=0,
        holds_for=_holds(d, " and labels"),
        sizes=_sizes(d),
    )


def prove_hessian(d: "ModelDerivation") -> Proof:
    r"""Prove that the Hessian of the objective is the model's closed form, every entry.

    >>> from symsoft.models.derive import ModelDerivation
    >>> proof = prove_hessian(ModelDerivation("linear", {"N": 1, "D": 1}))
    >>> proof.steps[-1].rhs
    Matrix([
    [x_{1}^{(1)}**2, x_{1}^{(1)}],
    [   x_{1}^{(1)},           1]])
    """
    J, theta = d.objective_symbol, d.parameters
    zs = [z for z, _ in d.predictors]
    pairs = [(a, b) for a in range(len(theta)) for b in range(a, len(theta))]
    closed = d.closed_hessian()
    second = sp.Matrix(len(zs), len(pairs), lambda n, p: sp.Derivative(zs[n], theta[pairs[p][0]], theta[pairs[p][1]]))
    steps = (
        ProofStep(sp.Matrix(len(zs), len(zs), lambda n, m: sp.Derivative(J, zs[n], zs[m])), "=", d.loss_curvatures,
                  "differentiate J twice in the predictors: SymPy, then written in the model's quantities",
                  given=_without_predictor(d)),
        ProofStep(second, "=", sp.zeros(len(zs), len(pairs)),
                  "the predictor is linear in the parameters: every second derivative is 0",
                  given=_predictor_definitions(d)),
        ProofStep(sp.Matrix(len(theta), len(theta), lambda a, b: sp.Derivative(J, theta[a], theta[b])), "=", closed,
                  "chain rule: d2J/dtheta_a dtheta_b = sum_{n,m} d2J/dz_n dz_m dz_n/dtheta_a dz_m/dtheta_b (steps 1 and 2); "
                  "the model's closed form", given=d.definitions),
        ProofStep(d.hessian(), "=", closed, "ModelDerivation.hessian() is the closed form: every entry"),
    )
    return Proof(
        name="hessian",
        title=f"The Hessian of {J} is the closed form of the model {d.model.name}",
        claim=_eq(sp.Matrix(len(theta), len(theta), lambda a, b: sp.Derivative(J, theta[a], theta[b])), closed),
        claim_latex=_closed_forms_latex(d, "hessian"),
        steps=steps,
        classes=0,
        holds_for=_holds(d, " and labels"),
        sizes=_sizes(d),
    )


def direction(d: "ModelDerivation") -> tuple[sp.Symbol, ...]:
    """A real direction ``v`` in parameter space, one component per parameter.

    >>> from symsoft.models.derive import ModelDerivation
    >>> direction(ModelDerivation("linear", {"N": 1, "D": 2}))
    (v_1, v_2, v_3)
    """
    return tuple(sp.Symbol(f"v_{a}", real=True) for a in range(1, len(d.parameters) + 1))


def prove_convexity(d: "ModelDerivation") -> Proof | None:
    r"""Prove :math:`v^\top H v = \sum_n c_n (a_n \cdot v)^2 \geq 0` for every v: the objective is convex.

    Returns None when the objective's curvature in the predictors is not diagonal (not a sum over samples).

    >>> from symsoft.models.derive import ModelDerivation
    >>> proof = prove_convexity(ModelDerivation("logistic", {"N": 1, "D": 1}))
    >>> proof.steps[-1].relation, proof.holds_for.startswith("N = 1")
    ('>=', True)
    """
    K, A = d.loss_curvatures, d.predictor_gradient
    if not K.is_diagonal():
        return None
    H = d.closed_hessian()
    v = direction(d)
    V = sp.Matrix(v)
    quadratic = (V.T * H * V)[0, 0]
    moves = [sp.Add(*(A[n, a] * v[a] for a in range(len(v)))) for n in range(A.rows)]
    squares = sp.Add(*(K[n, n] * moves[n] ** 2 for n in range(A.rows)))
    weights = _without_predictor(d)
    steps = [ProofStep(quadratic, "=", squares,
                       "expand the quadratic form with the Hessian (theorem hessian): a weight per sample times the "
                       "square of the predictor's change a_n^T v")]
    for n in range(A.rows):
        steps.append(ProofStep(K[n, n], ">" if _positive(K[n, n], weights) else ">=", 0,
                               f"the weight of sample {n + 1} from the definitions (the second derivative of J in z_n, theorem hessian, step 1)",
                               given=weights))
    steps.append(ProofStep(squares, ">=", 0,
                           "a sum of terms, each a nonnegative weight (steps 2 on) times a square", given=weights))
    return Proof(
        name="convexity",
        title=f"The Hessian is positive semidefinite: {d.objective_symbol} is convex in the parameters",
        claim=sp.Ge((V.T * sp.MatrixSymbol("H", len(v), len(v)) * V)[0, 0], 0, evaluate=False),
        claim_latex=rf"v^\top \nabla^2 {objective_name(d)}\, v = \sum_{{n}} c_n (a_n \cdot v)^2 \geq 0, \quad c_n = "
                    rf"{_weight_latex(d)} \quad (v \in \mathbb{{R}}^{{{len(v)}}})",
        steps=tuple(steps),
        classes=0,
        holds_for=_holds(d, ", labels and every direction v"),
        sizes=_sizes(d),
    )


def objective_name(d: "ModelDerivation") -> str:
    """The objective as the model writes it (``J``).

    >>> from symsoft.models.derive import ModelDerivation
    >>> objective_name(ModelDerivation("linear", {"N": 1, "D": 1}))
    'J'
    """
    return d.model.results["objective"]


def _weight_latex(d: "ModelDerivation") -> str:
    from symsoft.render.latex import latex_of

    return latex_of(d.loss_curvatures[0, 0] * len(d.predictors)).replace("{(1)}", "{(n)}")


def _positive(expr: sp.Expr, given: tuple) -> bool:
    from symsoft.errors import ProofError
    from symsoft.models.softmax.proofs import check_step

    try:
        check_step(ProofStep(expr, ">", 0, "strict", given=given))
    except ProofError:
        return False
    return True


def prove_normal_equations(d: "ModelDerivation") -> Proof | None:
    r"""For a quadratic objective: the stationary points are the solutions of the normal equations.

    Returns None when the Hessian depends on the parameters (the objective is not quadratic).

    >>> from symsoft.models.derive import ModelDerivation
    >>> proof = prove_normal_equations(ModelDerivation("linear", {"N": 2, "D": 1}))
    >>> proof.steps[3].rule.startswith("the normal equations")
    True
    >>> prove_normal_equations(ModelDerivation("logistic", {"N": 1, "D": 1})) is None
    True
    """
    theta = d.parameters
    H = d.explicit(d.closed_hessian())
    if H.free_symbols & set(theta):
        return None
    J = d.objective_symbol
    gradient = d.explicit(d.closed_gradient())
    r = -gradient.xreplace({t: 0 for t in theta})
    Theta = sp.Matrix(theta)
    X = d.predictor_gradient
    N = sp.Integer(X.rows)
    M = X.T * X
    labels = sp.Matrix([_label(d, n) for n in range(X.rows)])
    steps = [
        ProofStep(sp.Matrix([sp.Derivative(J, t) for t in theta]), "=", H * Theta - r,
                  "J is quadratic in the parameters: its gradient is H theta - r with r = -grad J(0)", given=d.definitions),
        ProofStep(N * H, "=", M, "N H = A^T A, A the rows a_n = dz_n/dtheta (theorem gradient, step 3)"),
        ProofStep(N * r, "=", X.T * labels, "N r = A^T y"),
    ]
    determinant = sp.expand(M.det(method="berkowitz"))
    star = tuple(sp.Symbol(f"{t.name}^*", real=True) for t in theta)
    if determinant == 0:
        steps.append(ProofStep(M.det(method="berkowitz"), "=", 0,
                               f"the normal equations A^T A theta = A^T y: with N = {X.rows} < {len(theta)} samples "
                               "A^T A is singular, so they have many solutions"))
        unique = "; A^T A is singular for these sizes"
    else:
        solution = M.adjugate(method="berkowitz") * X.T * labels / determinant
        given = tuple(_eq(s, value) for s, value in zip(star, solution))
        steps.append(ProofStep(M * sp.Matrix(star), "=", X.T * labels,
                               "the normal equations A^T A theta* = A^T y hold for theta* = adj(A^T A) A^T y / det(A^T A),"
                               " wherever det(A^T A) != 0", given=given))
        unique = ", where det(A^T A) != 0 the solution theta* is unique"
    delta = tuple(sp.Symbol(f"delta_{a}", real=True) for a in range(1, len(theta) + 1))
    shifted = d.explicit(d.objective()).xreplace({t: t + e for t, e in zip(theta, delta)})
    Delta = sp.Matrix(delta)
    steps.append(ProofStep(shifted, "=", d.explicit(d.objective()) + (gradient.T * Delta)[0, 0]
                           + (Delta.T * H * Delta)[0, 0] / 2,
                           "J is quadratic: exact second-order expansion; at a stationary point the middle term is 0 and "
                           "delta^T H delta >= 0 (theorem convexity), so a solution of the normal equations is a global minimum"))
    return Proof(
        name="normal_equations",
        title="The stationary points are the solutions of the normal equations A^T A theta = A^T y",
        claim=_eq(sp.Matrix([sp.Derivative(J, t) for t in theta]), H * Theta - r),
        claim_latex=rf"\nabla {objective_name(d)} = H\theta - r = 0 \iff A^\top A \theta = A^\top y, \quad "
                    r"A_{n} = \partial z_n / \partial \theta",
        steps=tuple(steps),
        classes=0,
        holds_for=_holds(d, " and labels" + unique),
        sizes=_sizes(d),
    )


def _label(d: "ModelDerivation", n: int) -> sp.Expr:
    """The label of sample n + 1 as the objective uses it: ``-N dJ/dz_n`` at ``z_n = 0``."""
    z = d.predictors[n][0]
    return -d.loss_slopes[n].xreplace({z: 0}) * len(d.predictors)


def prove_model(d: "ModelDerivation") -> tuple[Proof, ...]:
    """Every proof the model's results allow, in the order of the module docstring.

    >>> from symsoft.models.derive import ModelDerivation
    >>> [p.name for p in prove_model(ModelDerivation("linear", {"N": 2, "D": 1}))]
    ['gradient', 'hessian', 'convexity', 'normal_equations']
    """
    proofs = [prove_function_derivative(name, meaning) for name, meaning in d.model.functions.items()]
    proofs += [prove_gradient(d), prove_hessian(d), prove_convexity(d), prove_normal_equations(d)]
    return tuple(p for p in proofs if p is not None)
