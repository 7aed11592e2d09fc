r"""Render the derived softmax model (sigma, Jacobian, loss, gradient) as text, LaTeX or JSON.

>>> from symsoft.softmax import SoftmaxRegression
>>> from symsoft.render_model import model_results
>>> [name for name, _ in model_results(SoftmaxRegression(classes=2, features=1))]
['softmax', 'jacobian', 'loss', 'gradient', 'hessian']
"""

from __future__ import annotations

import json

import sympy as sp

from symsoft.softmax import SoftmaxRegression

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
