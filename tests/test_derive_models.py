"""`symsoft derive` and `symsoft prove` for the models read from YAML (logistic and linear regression)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symsoft.cli import main
from symsoft.errors import ProofError, UsageError
from symsoft.models.derive import ModelDerivation, models_with_results
from symsoft.models.numeric import NumericModel
from symsoft.models.prove import prove_convexity, prove_model, prove_normal_equations
from symsoft.models.softmax.proofs import ProofStep


def _symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def _logistic_closed_forms(N: int, D: int):
    """The textbook gradient and Hessian written here independently of the model file."""
    x = [[_symbol(f"x_{{{d}}}^{{({n})}}") for d in range(1, D + 1)] + [sp.Integer(1)] for n in range(1, N + 1)]
    q = [_symbol(rf"\hat{{y}}^{{({n})}}") for n in range(1, N + 1)]
    y = [sp.Symbol(f"y^{{({n})}}", nonnegative=True) for n in range(1, N + 1)]
    gradient = sp.Matrix([sum((q[n] - y[n]) * x[n][a] for n in range(N)) / N for a in range(D + 1)])
    hessian = sp.Matrix(D + 1, D + 1, lambda a, b: sum(q[n] * (1 - q[n]) * x[n][a] * x[n][b] for n in range(N)) / N)
    return gradient, hessian


SIZES = [(1, 1), (2, 2), (3, 1)]


@pytest.mark.parametrize("N, D", SIZES)
def test_logistic_gradient_and_hessian_are_the_textbook_forms(N, D):
    """The derived logistic gradient and Hessian equal (1/N) Σ (σ - y) x and (1/N) Σ σ(1 - σ) x xᵀ exactly."""
    d = ModelDerivation("logistic", {"N": N, "D": D})
    gradient, hessian = _logistic_closed_forms(N, D)
    assert sp.expand(d.gradient() - gradient).is_zero_matrix
    assert sp.expand(d.hessian() - hessian).is_zero_matrix


def test_linear_hessian_is_xtx_over_n():
    """The linear-regression Hessian is X̃ᵀX̃ / N (X̃ with a column of ones for the bias), free of the labels."""
    d = ModelDerivation("linear", {"N": 3, "D": 2})
    X = d.predictor_gradient
    assert X[:, -1] == sp.ones(3, 1)
    assert sp.expand(d.hessian() - X.T * X / 3).is_zero_matrix


def test_the_derivation_reads_the_model_yaml(tmp_path):
    """A model file with another closed form is derived from its own definitions: a 1/N loss doubles the gradient."""
    from symsoft.models import builtin_models  # noqa: F401 - the built-ins stay as they are
    from importlib import resources

    text = (resources.files("symsoft") / "models" / "linear.yaml").read_text("utf-8")
    text = text.replace(r"J = \frac{1}{2N}", r"J = \frac{1}{N}")
    path = tmp_path / "mse.yaml"
    path.write_text(text, encoding="utf-8")
    d = ModelDerivation(str(path), {"N": 1, "D": 1})
    assert sp.expand(d.gradient() - 2 * d.closed_gradient()).is_zero_matrix
    with pytest.raises(ProofError):
        prove_model(d)  # the closed form in the file is now wrong: no proof


def test_models_with_results_are_logistic_and_linear():
    """The built-in models that derive and prove know are the ones whose YAML defines results."""
    assert models_with_results() == ["linear", "logistic"]


@pytest.mark.parametrize("name, expected", [
    ("logistic", ["derivative_sigma", "gradient", "hessian", "convexity"]),
    ("linear", ["gradient", "hessian", "convexity", "normal_equations"]),
])
def test_prove_model_proves_each_result(name, expected):
    """Every result of the model comes back as a checked proof, in order."""
    proofs = prove_model(ModelDerivation(name, {"N": 2, "D": 1}))
    assert [p.name for p in proofs] == expected
    assert all(p.sizes for p in proofs)


def test_convexity_ends_in_a_symbolic_sum_of_nonnegative_terms():
    """The convexity proof's last step is ≥ 0 on a sum of weight × square, each weight proved > 0 from σ's definition."""
    proof = prove_convexity(ModelDerivation("logistic", {"N": 2, "D": 1}))
    last = proof.steps[-1]
    assert (last.relation, last.rhs) == (">=", 0)
    assert all(isinstance(term, sp.Mul) and any(isinstance(f, sp.Pow) and f.exp == 2 for f in term.args)
               for term in sp.Add.make_args(last.lhs))
    assert [s.relation for s in proof.steps[1:-1]] == [">", ">"]


def test_a_false_weight_is_not_proved():
    """The checker the proofs rest on refuses a weight that may be negative (σ - 1/2), so nothing is proved by luck."""
    d = ModelDerivation("logistic", {"N": 1, "D": 1})
    q = d.definitions[1].lhs
    with pytest.raises(ProofError):
        from symsoft.models.softmax.proofs import check_step

        check_step(ProofStep(q - sp.Rational(1, 2), ">=", 0, "wishful", given=d.definitions[1:]))


def test_normal_equations_solution_and_singular_case():
    """With N ≥ D + 1 the adjugate solves the normal equations; with N < D + 1 X̃ᵀX̃ is proved singular."""
    solved = prove_normal_equations(ModelDerivation("linear", {"N": 2, "D": 1}))
    assert "adj" in solved.steps[3].rule and "unique" in solved.holds_for
    singular = prove_normal_equations(ModelDerivation("linear", {"N": 1, "D": 1}))
    assert singular.steps[3].rhs == 0 and "singular" in singular.holds_for


def test_sizes_are_checked():
    """Every axis needs a size within range; a model without results is refused with a one-line message."""
    with pytest.raises(UsageError, match="needs a size"):
        ModelDerivation("logistic", {"N": 0, "D": 1})
    with pytest.raises(UsageError, match="no results"):
        ModelDerivation("softmax-bias-l2", {"C": 2, "D": 1})


# -- the command line ---------------------------------------------------------------------------------------
def test_cli_derive_logistic(capsys):
    """`symsoft derive --model logistic` prints the gradient and says it equals the closed form."""
    assert main(["derive", "--model", "logistic", "-N", "2", "-D", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Model logistic:") and "Gradient" in out and "Hessian" in out
    assert out.count("equals the model's closed form (exact)") == 2


def test_cli_derive_linear_json(capsys):
    """`symsoft derive linear --format json` gives the schema, the sizes and each result's SymPy form."""
    import json

    assert main(["derive", "linear", "-N", "2", "-D", "1", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["model"] == "linear" and payload["sizes"] == {"N": 2, "D": 1}
    assert payload["results"]["hessian"]["closed_form"] is True


def test_cli_prove_states_each_result(capsys):
    """`symsoft prove --model linear` states every proved result and the sizes it was checked for."""
    assert main(["prove", "--model", "linear", "-N", "2", "-D", "1"]) == 0
    out = capsys.readouterr().out
    for name in ("gradient", "hessian", "convexity", "normal_equations"):
        assert f"({name}, checked for N = 2, D = 1)" in out
    assert out.count("PROVED") == 4 and "sampling" not in out and "sampled" not in out


@pytest.mark.parametrize("argv, words", [
    (["derive", "logistic", "--classes", "2"], "--classes and --all-c are for softmax"),
    (["prove", "linear", "--all-c"], "--classes and --all-c are for softmax"),
    (["derive", "softmax", "-N", "2", "-C", "2"], "--samples is for models with a sample axis"),
    (["derive", "mlp"], "no results"),
    (["derive", "linear", "--model", "logistic"], "the model is given twice"),
    (["derive", "softmax"], "required: --classes"),
])
def test_cli_usage_errors(argv, words, capsys):
    """Wrong combinations exit 2 with one line on stderr."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_cli_prove_latex(tmp_path):
    """`symsoft prove --model logistic -o proofs.tex` writes a theorem per proof, each step re-checked."""
    out = tmp_path / "proofs.tex"
    assert main(["prove", "--model", "logistic", "-N", "1", "-D", "1", "-o", str(out)]) == 0
    tex = out.read_text()
    assert tex.count(r"\begin{theorem}") == 4 and r"\sigma(u) \left(1 - \sigma(u)\right)" in tex


# -- numbers --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def logistic_numeric():
    return NumericModel.from_derivation(ModelDerivation("logistic", {"N": 1, "D": 3}))


def test_numeric_gradient_matches_finite_differences(logistic_numeric):
    """The lambdified logistic gradient agrees with central differences of the lambdified loss."""
    rng = np.random.default_rng(0)
    X, y, theta = rng.normal(size=(20, 3)), rng.integers(0, 2, 20).astype(float), rng.normal(size=4)
    h, f = 1e-6, logistic_numeric
    numeric = np.array([(f.loss(X, y, theta + h * e) - f.loss(X, y, theta - h * e)) / (2 * h) for e in np.eye(4)])
    assert np.allclose(f.gradient(X, y, theta), numeric, atol=1e-7)


def test_numeric_loss_matches_scikit_learn(logistic_numeric):
    """The loss is scikit-learn's log loss, and the gradient vanishes at its unpenalised fit."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = (X @ [1.0, -2.0, 0.5] + 0.3 + rng.logistic(size=200) > 0).astype(float)
    fit = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)
    theta = np.append(fit.coef_[0], fit.intercept_[0])
    assert logistic_numeric.loss(X, y, theta) == pytest.approx(log_loss(y, fit.predict_proba(X)), rel=1e-9)
    assert np.abs(logistic_numeric.gradient(X, y, theta)).max() < 1e-5


def test_numeric_loss_is_finite_for_huge_logits(logistic_numeric):
    """Logits of ±1e4 give a finite loss (log(1 + e^a) as logaddexp) and a finite gradient."""
    X, y, theta = np.array([[1e4, 0, 0], [-1e4, 0, 0]]), np.array([0.0, 1.0]), np.array([1.0, 0, 0, 0])
    assert logistic_numeric.loss(X, y, theta) == pytest.approx(1e4)
    assert np.isfinite(logistic_numeric.gradient(X, y, theta)).all()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["logistic", "linear"])
def test_prove_default_sizes(name, capsys):
    """The default sizes (N = 3, D = 2) prove every result, text and LaTeX."""
    assert main(["prove", "--model", name]) == 0
    assert "checked for N = 3, D = 2" in capsys.readouterr().out
