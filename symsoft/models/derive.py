r"""Derive a model's gradient and Hessian from its YAML definitions, for given sizes of its axes.

A model's ``results:`` section names the objective (``J``), the parameters (``w_j``, ``b``), the
*predictor* through which the objective depends on them (``z^{(i)}``, linear in the parameters) and
the closed forms a textbook gives (``\frac{1}{N} \sum_{i=1}^N (\hat{y}^{(i)} - y^{(i)}) x_j^{(i)}``).
Everything is read with the parser (:mod:`symsoft.parse.latex`) and valued at the given sizes by the
model-free meaning layer (:func:`symsoft.meaning.tensors.instantiate`); nothing here names a model.

The gradient and the Hessian are derived with SymPy by the chain rule through the predictor,

.. math::

    \frac{\partial J}{\partial \theta_a} = \sum_n \frac{\partial J}{\partial z_n}
    \frac{\partial z_n}{\partial \theta_a}, \qquad
    \frac{\partial^2 J}{\partial \theta_a \partial \theta_b} = \sum_{n,m}
    \frac{\partial^2 J}{\partial z_n \partial z_m} \frac{\partial z_n}{\partial \theta_a}
    \frac{\partial z_m}{\partial \theta_b} + \sum_n \frac{\partial J}{\partial z_n}
    \frac{\partial^2 z_n}{\partial \theta_a \partial \theta_b},

and the pieces in the predictor are written back in the model's own quantities (``\hat{y}^{(n)}``)
by solving their definitions for the exponential they contain.

>>> d = ModelDerivation("logistic", {"N": 1, "D": 1})
>>> d.parameters
(w_{1}, b)
>>> d.gradient()
Matrix([
[x_{1}^{(1)}*(\hat{y}^{(1)} - y^{(1)})],
[             \hat{y}^{(1)} - y^{(1)}]])
>>> d.hessian()[1, 1]
\hat{y}^{(1)}*(1 - \hat{y}^{(1)})
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import product

import sympy as sp

from symsoft.errors import BindingError, LatexParseError, ProfileError, UsageError
from symsoft.models import Model, load_model

#: Largest size of an axis ``symsoft derive`` and ``symsoft prove`` accept (the sums are written out).
MAX_SIZE = 12


@dataclass(frozen=True)
class Pattern:
    """A tensor component as written in the model (``w_j``): its bound form and the axis of each free index."""

    text: str
    expr: sp.Expr
    kinds: dict


def models_with_results() -> list[str]:
    """The built-in models whose ``results:`` section ``derive`` and ``prove`` use (``softmax`` has its own engine).

    >>> models_with_results()
    ['linear', 'logistic']
    """
    import yaml
    from importlib import resources

    from symsoft.models import builtin_models

    folder = resources.files("symsoft") / "models"
    return [name for name in builtin_models() if name != "softmax"
            and "results" in (yaml.safe_load((folder / f"{name}.yaml").read_text("utf-8")) or {})]


class ModelDerivation:
    r"""The symbolic gradient and Hessian of a model's objective for given sizes of its axes.

    Parameters
    ----------
    model : Model or str
        A model with a ``results:`` section, or the name of a built-in one or a model YAML file.
    sizes : dict
        The size of every axis of the model (``{"N": 2, "D": 2}``), each from the axis's smallest to
        :data:`MAX_SIZE`.

    Examples
    --------
    >>> d = ModelDerivation("linear", {"N": 2, "D": 1})
    >>> d.objective()
    (\hat{y}^{(1)} - y^{(1)})**2/4 + (\hat{y}^{(2)} - y^{(2)})**2/4
    >>> d.hessian()
    Matrix([
    [x_{1}^{(1)}**2/2 + x_{1}^{(2)}**2/2, x_{1}^{(1)}/2 + x_{1}^{(2)}/2],
    [      x_{1}^{(1)}/2 + x_{1}^{(2)}/2,                             1]])
    >>> ModelDerivation("mlp", {"D": 1, "H": 1, "C": 2})
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: model mlp has no results: section (an objective, parameters and a predictor) to derive
    """

    def __init__(self, model: Model | str, sizes: dict) -> None:
        self.model = load_model(model) if isinstance(model, str) else model
        results = self.model.results
        if not results or "predictor" not in results:
            msg = f"model {self.model.name} has no results: section (an objective, parameters and a predictor) to derive"
            raise UsageError(msg, self.model.name)
        self.reading = self.model.reading
        self.sizes = self._checked_sizes(sizes)
        self.objective_pattern = self._pattern(results["objective"])
        if self.objective_pattern.kinds:
            raise ProfileError(f"model {self.model.name}: the objective {results['objective']} must be a scalar",
                               self.model.name)
        self.parameter_patterns = tuple(self._pattern(text) for text in results["parameters"])
        self.predictor_pattern = self._pattern(results["predictor"])
        if len(self.predictor_pattern.kinds) != 1:
            raise ProfileError(f"model {self.model.name}: the predictor {results['predictor']} needs one sample index",
                               self.model.name)

    def __repr__(self) -> str:
        shown = ", ".join(f"{axis}={size}" for axis, size in self.sizes.items())
        return f"ModelDerivation({self.model.name!r}, {shown})"

    # -- reading the model -----------------------------------------------------------------------
    def _checked_sizes(self, sizes: dict) -> dict:
        out = {}
        for axis, name in self.model.axes.items():
            value = sizes.get(axis)
            smallest = self.reading.minimum.get(axis, 1)
            if not isinstance(value, int) or isinstance(value, bool) or not smallest <= value <= MAX_SIZE:
                msg = (f"model {self.model.name}: the {name} axis {axis} needs a size from {smallest} to {MAX_SIZE},"
                       f" got {value!r}")
                raise UsageError(msg, axis, value)
            out[axis] = value
        return out

    def _pattern(self, text: str) -> Pattern:
        from symsoft.meaning.tensors import bind_tensor_side
        from symsoft.parse.latex import parse_side

        try:
            bound = bind_tensor_side(parse_side(str(text)), self.reading)
        except (LatexParseError, BindingError) as error:
            raise ProfileError(f"model {self.model.name}: cannot read {text!r} in results ({error})",
                               self.model.name) from None
        return Pattern(str(text), bound.expr, dict(bound.kinds))

    def _value(self, expr: sp.Expr, values: dict, held: frozenset = frozenset()) -> sp.Expr:
        from symsoft.meaning.tensors import instantiate

        return instantiate(expr, self.reading, self.sizes, values, held)

    def _assignments(self, pattern: Pattern):
        """Every assignment of values to the pattern's free indices, in order."""
        indices = sorted(pattern.kinds, key=str)
        ranges = [range(1, self.sizes[pattern.kinds[i]] + 1) for i in indices]
        for values in product(*ranges):
            yield dict(zip(indices, values))

    @cached_property
    def _defined(self) -> frozenset:
        """Keys of the tensors the model defines, but the objective: they are held as symbols."""
        objective = str(self.objective_pattern.expr.base)
        return frozenset(k for k, spec in self.reading.tensors.items() if spec.definition is not None
                         and k != objective)

    # -- the quantities ---------------------------------------------------------------------------
    @cached_property
    def _parameters(self) -> tuple:
        """(symbol, pattern number, index values) of each parameter component, in the order of the model."""
        found = []
        for number, pattern in enumerate(self.parameter_patterns):
            for values in self._assignments(pattern):
                found.append((self._value(pattern.expr, values), number, values))
        return tuple(found)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The parameter components θ, in the order the model lists the parameters (``w_1, ..., w_D, b``).

        >>> ModelDerivation("linear", {"N": 1, "D": 2}).parameters
        (w_{1}, w_{2}, b)
        """
        return tuple(symbol for symbol, _, _ in self._parameters)

    @cached_property
    def predictors(self) -> tuple[tuple[sp.Symbol, sp.Expr], ...]:
        """Each sample's predictor as a symbol and its value in the parameters and inputs.

        >>> ModelDerivation("logistic", {"N": 1, "D": 1}).predictors
        ((z^{(1)}, b + w_{1}*x_{1}^{(1)}),)
        """
        key = str(self.predictor_pattern.expr.base)
        return tuple((self._value(self.predictor_pattern.expr, values, frozenset({key})),
                      self._value(self.predictor_pattern.expr, values))
                     for values in self._assignments(self.predictor_pattern))

    @cached_property
    def definitions(self) -> tuple[sp.Eq, ...]:
        r"""Every defined component at these sizes as ``Eq(symbol, value)``, the value one level deep.

        The objective comes first, written in the quantities it is defined from.

        >>> [sp.sstr(e) for e in ModelDerivation("linear", {"N": 1, "D": 1}).definitions]
        ['Eq(J, (\\hat{y}^{(1)} - y^{(1)})**2/2)', 'Eq(\\hat{y}^{(1)}, b + w_{1}*x_{1}^{(1)})']
        """
        from symsoft.meaning.tensors import component

        out = [sp.Eq(self.objective_symbol, self.objective(), evaluate=False)]
        needed = {str(a.base) for a in self._closed_patterns_atoms()} | {str(self.predictor_pattern.expr.base)}
        for key in sorted(self._defined & needed):
            spec = self.reading.tensors[key]
            parameters, _ = spec.definition
            axes = spec.axes if parameters else ()
            for positions in product(*(range(1, self.sizes[a] + 1) for a in axes)):
                target = component(key, *positions)
                symbol = self._value(target, {}, frozenset({key}))
                value = self._value(target, {}, self._defined - {key})
                out.append(sp.Eq(symbol, value, evaluate=False))
        return tuple(out)

    def _closed_patterns_atoms(self) -> set:
        texts = [*self.model.results.get("gradient", {}).values(), *self.model.results.get("hessian", {}).values()]
        atoms = set()
        for text in texts:
            atoms |= self._pattern(text).expr.atoms(sp.Indexed)
        atoms |= self.objective_value_atoms
        return atoms

    @cached_property
    def objective_value_atoms(self) -> set:
        spec = self.reading.tensors[str(self.objective_pattern.expr.base)]
        return set(spec.definition[1].atoms(sp.Indexed))

    @cached_property
    def objective_symbol(self) -> sp.Symbol:
        """The objective as a symbol (``J``).

        >>> ModelDerivation("linear", {"N": 1, "D": 1}).objective_symbol
        J
        """
        key = str(self.objective_pattern.expr.base)
        return self._value(self.objective_pattern.expr, {}, frozenset({key}))

    def objective(self) -> sp.Expr:
        r"""The objective at these sizes, in the quantities the model defines it from (``\hat{y}^{(n)}``).

        >>> ModelDerivation("logistic", {"N": 1, "D": 1}).objective()
        -y^{(1)}*log(\hat{y}^{(1)}) - (1 - y^{(1)})*log(1 - \hat{y}^{(1)})
        """
        return self._value(self.objective_pattern.expr, {}, self._defined)

    def explicit(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every defined quantity replaced by its value: a function of the inputs and parameters.

        >>> d = ModelDerivation("linear", {"N": 1, "D": 1})
        >>> d.explicit(d.objective())
        (b + w_{1}*x_{1}^{(1)} - y^{(1)})**2/2
        """
        from symsoft.models.softmax.proofs import _substitute_fully

        mapping = {e.lhs: e.rhs for e in self.definitions}
        return _substitute_fully(sp.sympify(expr), mapping)

    # -- the derivation ------------------------------------------------------------------------------
    @cached_property
    def _in_predictor(self) -> sp.Expr:
        """The objective with every defined quantity written out down to the predictor's symbols."""
        key = str(self.predictor_pattern.expr.base)
        return self._value(self.objective_pattern.expr, {}, frozenset({key}))

    @cached_property
    def _rewrites(self) -> list[tuple[sp.Expr, sp.Expr]]:
        """``exp(-z_n) -> g(q_n)`` from each defined quantity ``q_n = f(z_n)`` that holds one exponential of z_n."""
        rules = []
        for definition in self.definitions[1:]:
            for z, _ in self.predictors:
                folded = definition.rhs
                if definition.lhs == z or folded.free_symbols != {z}:
                    continue
                e = sp.Dummy("e", positive=True)
                replaced = folded.subs(sp.exp(-z), e)
                if z in replaced.free_symbols:
                    continue
                solutions = sp.solve(sp.Eq(definition.lhs, replaced), e)
                if len(solutions) == 1:
                    rules.append((sp.exp(-z), solutions[0]))
        return rules

    def in_model_quantities(self, expr: sp.Expr) -> sp.Expr:
        r"""Write an expression in the predictor's symbols in the model's quantities, factored.

        >>> d = ModelDerivation("logistic", {"N": 1, "D": 1})
        >>> z = d.predictors[0][0]
        >>> d.in_model_quantities(sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
        \hat{y}^{(1)}*(1 - \hat{y}^{(1)})
        """
        for power, value in self._rewrites:
            expr = sp.sympify(expr).subs(power, value)
        expr = sp.factor(sp.cancel(sp.sympify(expr)))
        return _sign_inside(expr)

    @cached_property
    def predictor_gradient(self) -> sp.Matrix:
        """The N x P matrix ``d z_n / d theta_a`` of the predictor (its rows are the inputs of a linear model).

        >>> ModelDerivation("linear", {"N": 2, "D": 1}).predictor_gradient
        Matrix([
        [x_{1}^{(1)}, 1],
        [x_{1}^{(2)}, 1]])
        """
        return sp.Matrix([[sp.diff(value, theta) for theta in self.parameters] for _, value in self.predictors])

    @cached_property
    def loss_slopes(self) -> tuple[sp.Expr, ...]:
        r"""``dJ/dz_n`` for each sample, derived and written in the model's quantities.

        >>> ModelDerivation("logistic", {"N": 2, "D": 1}).loss_slopes
        ((\hat{y}^{(1)} - y^{(1)})/2, (\hat{y}^{(2)} - y^{(2)})/2)
        """
        return tuple(self.in_model_quantities(sp.diff(self._in_predictor, z)) for z, _ in self.predictors)

    @cached_property
    def loss_curvatures(self) -> sp.Matrix:
        r"""``d^2 J / dz_n dz_m``, derived and written in the model's quantities (diagonal for a sum over samples).

        >>> ModelDerivation("logistic", {"N": 2, "D": 1}).loss_curvatures
        Matrix([
        [\hat{y}^{(1)}*(1 - \hat{y}^{(1)})/2,                                   0],
        [                                  0, \hat{y}^{(2)}*(1 - \hat{y}^{(2)})/2]])
        """
        zs = [z for z, _ in self.predictors]
        first = [sp.diff(self._in_predictor, z) for z in zs]
        return sp.Matrix(len(zs), len(zs), lambda n, m: self.in_model_quantities(sp.diff(first[n], zs[m])))

    def gradient(self) -> sp.Matrix:
        r"""The P x 1 gradient ``dJ/d theta_a``, derived by the chain rule through the predictor.

        >>> ModelDerivation("linear", {"N": 1, "D": 1}).gradient().T
        Matrix([[x_{1}^{(1)}*(\hat{y}^{(1)} - y^{(1)}), \hat{y}^{(1)} - y^{(1)}]])
        """
        A = self.predictor_gradient
        return sp.Matrix([_tidy(sp.Add(*(self.loss_slopes[n] * A[n, a] for n in range(A.rows))))
                          for a in range(A.cols)])

    def hessian(self) -> sp.Matrix:
        r"""The P x P Hessian ``d^2 J / d theta_a d theta_b``, derived by the chain rule through the predictor.

        >>> d = ModelDerivation("logistic", {"N": 1, "D": 1})
        >>> x, q = sp.Symbol("x_{1}^{(1)}", real=True), sp.Symbol(r"\hat{y}^{(1)}", real=True)
        >>> d.hessian()[0, 1] == x * q * (1 - q)
        True
        """
        A, K = self.predictor_gradient, self.loss_curvatures
        thetas = self.parameters

        def entry(a: int, b: int) -> sp.Expr:
            curvature = sp.Add(*(K[n, m] * A[n, a] * A[m, b] for n in range(A.rows) for m in range(A.rows)))
            bend = sp.Add(*(self.loss_slopes[n] * sp.diff(value, thetas[a], thetas[b])
                            for n, (_, value) in enumerate(self.predictors)))
            return _tidy(curvature + bend)

        return sp.Matrix(len(thetas), len(thetas), entry)

    def matrix_letters(self) -> dict:
        r"""The model's matrices (its ``results.matrices``) at these sizes: each tensor laid out by its axes, the
        defined quantities (``\hat{y}^{(i)}``) held as symbols.

        >>> ModelDerivation("linear", {"N": 2, "D": 1}).matrix_letters()["X"]
        Matrix([
        [x_{1}^{(1)}],
        [x_{1}^{(2)}]])
        """
        letters = {}
        for name, text in (self.model.results.get("matrices") or {}).items():
            pattern = self._pattern(str(text))
            axes = self.reading.tensors[str(pattern.expr.base)].axes
            index_of = {axis: index for index, axis in pattern.kinds.items()}
            rows = self.sizes[axes[0]] if axes else 1
            columns = self.sizes[axes[1]] if len(axes) > 1 else 1

            def entry(r: int, c: int, pattern=pattern, axes=axes, index_of=index_of) -> sp.Expr:
                values = {index_of[axis]: position + 1 for axis, position in zip(axes, (r, c))}
                return self._value(pattern.expr, values, self._defined)

            letters[str(name)] = sp.Matrix(rows, columns, entry)
        return letters

    def blocks(self) -> list[tuple[str, sp.Matrix]]:
        r"""The gradient and the Hessian by parameter block, named as in matrix notation (``\nabla_{w} J``).

        >>> [name for name, _ in ModelDerivation("linear", {"N": 1, "D": 2}).blocks()][:2]
        ['\\nabla_{w} J', '\\nabla_{b} J']
        """
        names = [re.sub(r"_\{?[a-z]\}?$", "", p.text) for p in self.parameter_patterns]
        groups = [[a for a, (_, number, _) in enumerate(self._parameters) if number == k] for k in range(len(names))]
        objective = self.objective_pattern.text
        gradient, hessian = self.gradient(), self.hessian()
        out = [(f"\\nabla_{{{name}}} {objective}", gradient.extract(group, [0])) for name, group in zip(names, groups)]
        for (first, rows), (second, columns) in product(list(zip(names, groups)), repeat=2):
            if names.index(first) > names.index(second):
                continue
            title = (f"\\nabla^2_{{{first}}} {objective}" if first == second else
                     f"\\frac{{\\partial^2 {objective}}}{{\\partial {first} \\, \\partial {second}^\\top}}")
            out.append((title, hessian.extract(rows, columns)))
        return out

    def model_definitions_latex(self) -> list[str]:
        r"""The model's definitions as its YAML writes them (LaTeX).

        >>> ModelDerivation("linear", {"N": 1, "D": 1}).model_definitions_latex()[-1]
        'J = \\frac{1}{2N} \\sum_{i=1}^N (\\hat{y}^{(i)} - y^{(i)})^2'
        """
        return list(self.model.definitions)

    # -- the closed forms of the model --------------------------------------------------------------
    def _closed_key(self, part: str, numbers: tuple) -> tuple[str, list] | None:
        """The closed form in ``results.<part>`` for these parameter patterns, and how its indices map."""
        for key, text in self.model.results.get(part, {}).items():
            written = [self._pattern(p.strip()) for p in key.split(",")]
            for order in ((0, 1), (1, 0)) if len(numbers) == 2 else ((0,),):
                chosen = [numbers[o] for o in order]
                if len(written) == len(chosen) and all(str(w.expr.base) == str(self.parameter_patterns[c].expr.base)
                                                       for w, c in zip(written, chosen)):
                    return text, written, order
        return None

    def _closed_entry(self, part: str, positions: tuple) -> sp.Expr | None:
        found = [self._parameters[p] for p in positions]
        match = self._closed_key(part, tuple(number for _, number, _ in found))
        if match is None:
            return None
        text, written, order = match
        values = {}
        for w, o in zip(written, order):
            _, number, assigned = found[o]
            pattern = self.parameter_patterns[number]
            for slot, index in enumerate(pattern.expr.indices):
                if index in assigned:
                    values[w.expr.indices[slot]] = assigned[index]
        return self._value(self._pattern(text).expr, values, self._defined)

    def closed_gradient(self) -> sp.Matrix | None:
        r"""The model's closed form of the gradient at these sizes, or None where the model gives none.

        >>> ModelDerivation("logistic", {"N": 1, "D": 1}).closed_gradient().T
        Matrix([[x_{1}^{(1)}*(\hat{y}^{(1)} - y^{(1)}), \hat{y}^{(1)} - y^{(1)}]])
        """
        entries = [self._closed_entry("gradient", (a,)) for a in range(len(self.parameters))]
        return None if any(e is None for e in entries) else sp.Matrix(entries)

    def closed_hessian(self) -> sp.Matrix | None:
        r"""The model's closed form of the Hessian at these sizes (entries by symmetry), or None.

        >>> ModelDerivation("linear", {"N": 1, "D": 1}).closed_hessian()
        Matrix([
        [x_{1}^{(1)}**2, x_{1}^{(1)}],
        [   x_{1}^{(1)},           1]])
        """
        P = len(self.parameters)
        entries = [[self._closed_entry("hessian", (a, b)) for b in range(P)] for a in range(P)]
        return None if any(e is None for row in entries for e in row) else sp.Matrix(entries)


def _sign_inside(expr: sp.Expr) -> sp.Expr:
    """``-(y - q)/2`` as ``(q - y)/2``: a minus sign moved into a sum factor, as a textbook writes it."""
    if not expr.could_extract_minus_sign() or not isinstance(expr, sp.Mul):
        return expr
    sums = [f for f in expr.args if isinstance(f, sp.Add)]
    if len(sums) != 1:
        return expr
    rest = sp.Mul(*(f for f in expr.args if f is not sums[0]))
    return sp.Mul(-rest, sp.expand(-sums[0]), evaluate=True)


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A sum over samples with each term's factors kept (``x (q - y)/2 + ...``), zeros dropped."""
    return sp.Add(*(_sign_inside(t) for t in sp.Add.make_args(sp.sympify(expr))))
