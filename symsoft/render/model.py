r"""Render the derived softmax model (sigma, Jacobian, loss, gradient) as text, LaTeX or JSON.

>>> from symsoft.models.softmax.model import SoftmaxRegression
>>> from symsoft.render.model import model_results
>>> [name for name, _ in model_results(SoftmaxRegression(classes=2, features=1))]
['softmax', 'jacobian', 'loss', 'gradient', 'hessian']
"""

from __future__ import annotations

import json
import re

import sympy as sp

from symsoft.models.softmax.model import SoftmaxRegression
from symsoft.render.text import counted

#: Output formats of ``symsoft derive``.
FORMATS = ("text", "latex", "json")

_TITLES = {
    "softmax": "Softmax  sigma_k = e^{z_k} / sum_c e^{z_c}",
    "jacobian": "Jacobian  d sigma_i / d z_j",
    "loss": "Cross-entropy loss  l",
    "gradient": "Gradient  dl / dW[j, i]  (rows j: features, columns i: classes)",
    "hessian": "Hessian of l in the logits  d^2 l / dz_i dz_j",
}


def model_results(model: SoftmaxRegression) -> list[tuple[str, sp.Basic]]:
    """The derived results of ``model`` in display order, as (name, SymPy object) pairs.

    >>> m = SoftmaxRegression(classes=1)
    >>> dict(model_results(m))["softmax"]
    Matrix([[1]])
    """
    return [
        ("softmax", sp.Matrix(model.probabilities)),
        ("jacobian", model.jacobian()),
        ("loss", model.loss()),
        ("gradient", model.gradient()),
        ("hessian", model.hessian()),
    ]


def _latex(obj: sp.Basic) -> str:
    return sp.latex(obj, mat_delim="(", ln_notation=True)


def _plain(obj: sp.Basic) -> str:
    """SymPy's plain text on one line; a matrix as its list of rows."""
    return sp.sstr(obj.tolist()) if isinstance(obj, sp.MatrixBase) else sp.sstr(obj)


def render_model(model: SoftmaxRegression, fmt: str = "text", unicode: bool = True) -> str:
    r"""Render every derived result of ``model`` in format ``fmt`` (text, latex or json).

    >>> m = SoftmaxRegression(classes=2, features=1)
    >>> print(render_model(m, "json"))  # doctest: +ELLIPSIS
    {
      "schema": "symsoft.derive/1",
      "classes": 2,
      "features": 1,
      "results": {
        "softmax": {
          "sympy": "[[exp(z_1)/(exp(z_1) + exp(z_2))], [exp(z_2)/(exp(z_1) + exp(z_2))]]",
    ...
    >>> "\\sigma_{1}" in render_model(m, "latex")
    True
    """
    results = model_results(model)
    if fmt == "json":
        payload = {
            "schema": "symsoft.derive/1",
            "classes": model.classes,
            "features": model.features,
            "results": {
                name: {"sympy": _plain(obj), "latex": _latex(obj)} for name, obj in results
            },
        }
        return json.dumps(payload, indent=2)
    if fmt == "latex":
        lines = [f"% symsoft derive softmax --classes {model.classes} --features {model.features}"]
        for name, obj in results:
            lines.append(f"% {_TITLES[name]}")
            lines.append(r"\[ " + _latex(obj) + r" \]")
        return "\n".join(lines)
    head = f"Softmax regression with C = {model.classes} classes and D = {model.features} features"
    blocks = [head, "=" * len(head)]
    for name, obj in results:
        blocks.append("")
        blocks.append(_TITLES[name])
        blocks.append(sp.pretty(obj, use_unicode=unicode, wrap_line=False))
    return "\n".join(blocks)


# -- models read from YAML (symsoft.models.derive) ----------------------------------------------------
_HAT = re.compile(r"\\hat\{(\w)\}")
_BRACED_INDEX = re.compile(r"\{(\(?[0-9]+\)?)\}")


def readable_name(name: str) -> str:
    r"""A leaf symbol's name as SymPy's pretty printer shows it well: ``x_{2}^{(1)}`` becomes ``x_2^(1)``.

    >>> readable_name(r"\hat{y}^{(1)}"), readable_name("x_{2}^{(1)}"), readable_name("sigma_1")
    ('ŷ^(1)', 'x_2^(1)', 'sigma_1')
    """
    name = _HAT.sub(lambda m: "ŷ" if m.group(1) == "y" else m.group(1) + "\u0302", name)
    return _BRACED_INDEX.sub(r"\1", name)


def readable(obj):
    """``obj`` with every symbol renamed by :func:`readable_name` (assumptions kept), for text output.

    >>> readable(sp.Symbol("w_{1}", real=True) + 1)
    w_1 + 1
    """
    symbols = obj.atoms(sp.Symbol) if hasattr(obj, "atoms") else set()  # the variables of a derivative too
    mapping = {s: sp.Symbol(readable_name(s.name), **s.assumptions0) for s in symbols
               if readable_name(s.name) != s.name and not isinstance(s, sp.Dummy)}
    return obj.xreplace(mapping) if mapping else obj


def _derivation_results(d) -> list[tuple[str, str, sp.Basic]]:
    theta = ", ".join(str(readable(t)) for t in d.parameters)
    J = d.objective_symbol
    return [
        ("objective", f"Objective  {J} (the model's definition, in its quantities)", d.objective()),
        ("predictor", "Predictor  " + ", ".join(f"{readable(z)} = {readable(v)}" for z, v in d.predictors[:1])
         + (" (and likewise for every sample)" if len(d.predictors) > 1 else ""), sp.Matrix([v for _, v in d.predictors])),
        ("gradient", f"Gradient  d{J}/dtheta  (theta = {theta}; derived by the chain rule through the predictor)", d.gradient()),
        ("hessian", f"Hessian  d2{J}/dtheta_a dtheta_b  (rows and columns theta = {theta})", d.hessian()),
    ]


def render_derivation(d, fmt: str = "text", unicode: bool = True) -> str:
    r"""Render a :class:`~symsoft.models.derive.ModelDerivation` (objective, predictor, gradient, Hessian).

    Each result is derived by SymPy; the text says whether it equals the model's closed form
    (an exact check: the difference expands to 0).

    >>> from symsoft.models.derive import ModelDerivation
    >>> text = render_derivation(ModelDerivation("linear", {"N": 1, "D": 1}))
    >>> print(text.splitlines()[0])
    Model linear: linear regression over N samples and D features, squared error; N = 1, D = 1
    >>> "equals the model's closed form (exact)" in text
    True
    >>> import json; json.loads(render_derivation(ModelDerivation("linear", {"N": 1, "D": 1}), "json"))["sizes"]
    {'N': 1, 'D': 1}
    """
    results = _derivation_results(d)
    closed = {"gradient": d.closed_gradient(), "hessian": d.closed_hessian()}
    agrees = {name: form is not None and sp.expand(dict((n, o) for n, _, o in results)[name] - form).is_zero_matrix
              for name, form in closed.items()}
    sizes = ", ".join(f"{axis} = {size}" for axis, size in d.sizes.items())
    if fmt == "json":
        payload = {
            "schema": "symsoft.derive/1",
            "model": d.model.name,
            "sizes": dict(d.sizes),
            "parameters": [str(t) for t in d.parameters],
            "results": {name: {"sympy": _plain(obj), "latex": _latex(obj),
                               **({"closed_form": agrees[name]} if name in agrees else {})}
                        for name, _, obj in results},
        }
        return json.dumps(payload, indent=2)
    if fmt == "latex":
        lines = [f"% symsoft derive --model {d.model.name} " + " ".join(f"-{a} {s}" for a, s in d.sizes.items())]
        for _, title, obj in results:
            lines.append(f"% {title}")
            lines.append(r"\[ " + _latex(obj) + r" \]")
        return "\n".join(lines)
    head = f"Model {d.model.name}: {d.model.description}; {sizes}"
    blocks = [head, "=" * len(head)]
    for name, title, obj in results:
        blocks += ["", title, sp.pretty(readable(obj), use_unicode=unicode, wrap_line=False)]
        if name in agrees:
            blocks.append("  equals the model's closed form (exact)" if agrees[name]
                          else "  the model gives no closed form for every entry" if closed[name] is None
                          else "  DIFFERS from the model's closed form")
    return "\n".join(blocks)


def format_model_proofs_text(proofs, width: int = 100) -> str:
    r"""Proofs of a model read from YAML as text: the claim in the model's LaTeX, every step, entry by entry.

    >>> from symsoft.models.derive import ModelDerivation
    >>> from symsoft.models.prove import prove_gradient
    >>> text = format_model_proofs_text([prove_gradient(ModelDerivation("linear", {"N": 1, "D": 1}))])
    >>> print(text.splitlines()[0])
    PROVED  The gradient of J is the closed form of the model linear  (gradient, checked for N = 1, D = 1)
    """
    from symsoft.models.softmax.proofs import _format_relation

    out = []
    for proof in proofs:
        lines = [f"PROVED  {proof.title}  ({proof.name}, checked for {proof.sizes})", f"  claim: {proof.claim_latex}"]
        for number, step in enumerate(proof.steps, start=1):
            prefix = f"  {number:>2}. "
            rule = f"    [{step.rule}]"
            lhs, rhs = readable(step.lhs), readable(step.rhs)
            if isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase):
                lines.append(f"{prefix}every entry:{rule}")
                pad = " " * len(prefix)
                if rhs.is_zero_matrix:
                    lines += _format_relation(pad, lhs[0], step.relation, 0, f"  (and the other {counted(len(lhs) - 1, 'entry', 'entries')})"
                                              if len(lhs) > 1 else "", width)
                    continue
                for r in range(lhs.rows):
                    for c in range(lhs.cols):
                        lines += _format_relation(pad, lhs[r, c], step.relation, rhs[r, c], "", width)
            else:
                lines += _format_relation(prefix, lhs, step.relation, rhs, rule, width)
        lines.append(f"  holds for {proof.holds_for}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_UNICODE_MATRIX = ((r"\\frac{\\partial\^2 (\w+)}{\\partial (\w+) \\, \\partial (\w+)\^\\top}", r"∂²\1/∂\2∂\3ᵀ"),
                   (r"\\frac{\\partial \\sigma}{\\partial z}", "∂σ/∂z"), (r"\\frac{(-?\d+)}{(\w+)}", r"(\1/\2)"),
                   (r"\\nabla\^2_\{?(\w+)\}?", r"∇²_\1"), (r"\\nabla_\{?(\w+)\}?", r"∇_\1"), (r"\^\\top", "ᵀ"),
                   (r"\\hat\{y\}", "ŷ"), (r"\\operatorname\{diag\}", "diag"), (r"\\odot", "⊙"), (r"\\mathbf\{1\}", "𝟏"),
                   (r"\\sigma", "σ"), (r"\\ell", "ℓ"), (r"\\frac\{(\d+)\}\{(\w+)\}", r"\1/\2"))


def matrix_text(latex: str) -> str:
    r"""A matrix form in Unicode mathematics for the terminal.

    >>> matrix_text(r"\frac{1}{N} X^\top (\hat{y} - y)")
    '(1/N) Xᵀ (ŷ - y)'
    """
    for pattern, replacement in _UNICODE_MATRIX:
        latex = re.sub(pattern, replacement, latex)
    return latex


def render_matrix_forms(forms, fmt: str = "text") -> str:
    r"""The matrix forms of ``derive --form matrix``: text (Unicode), LaTeX (an ``align*``) or JSON.

    >>> from symsoft.models.matrix_form import DerivedForm
    >>> print(render_matrix_forms([DerivedForm(r"\nabla_{w} J", r"\frac{1}{N} X^\top X", ((("N", 2),), (("N", 3),)))]))
    Matrix forms, each found by search and proved equal to the derived entries at N = 2 and at N = 3:
      ∇_w J = (1/N) XᵀX
    """
    import json

    sizes = " and at ".join(", ".join(f"{k} = {v}" for k, v in setting) for setting in (forms[0].sizes if forms else ()))
    if fmt == "json":
        return json.dumps({"sizes": [dict(s) for s in (forms[0].sizes if forms else ())],
                           "forms": [{"result": f.name, "matrix_form": f.latex} for f in forms]}, indent=2)
    if fmt == "latex":
        rows = [f"{f.name} &= {f.latex}" if f.latex else f"{f.name} &\\quad \\text{{(no matrix form found)}}" for f in forms]
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    lines = [f"Matrix forms, each found by search and proved equal to the derived entries at {sizes}:"]
    for form in forms:
        right = matrix_text(form.latex).replace("ᵀ X", "ᵀX") if form.latex else "no matrix form found (in products of up to three factors)"
        lines.append(f"  {matrix_text(form.name)} = {right}" if form.latex else f"  {matrix_text(form.name)}: {right}")
    return "\n".join(lines)
