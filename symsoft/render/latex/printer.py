r"""SymPy objects in the profile's notation: :class:`NotationPrinter` and :func:`latex_of`."""

from __future__ import annotations

import re
from typing import Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from symsoft.errors import UsageError
from symsoft.render.latex.sanitize import _GREEK


#: Sums with more terms, and matrices with more rows or columns, are shown with an ellipsis.
MAX_TERMS = 6
MAX_MATRIX_SIDE = 4


# -- SymPy objects in the profile's notation -----------------------------------------------------
_SYMBOL_NAME = re.compile(r"^([A-Za-z]+)_(?:\{(\d+),(\d+)\}|(\d+))$")


def _natural_order(terms: list, always: bool = False) -> list:
    """Terms that differ only in their indices in index order (sigma_2 before sigma_10); others as SymPy orders them.

    With ``always`` (factors of a product) every list is sorted by name, numbers compared as numbers.
    """
    shapes = {re.sub(r"\d+", "#", sp.sstr(t)) for t in terms}
    if len(shapes) != 1 and not always:
        return terms
    return sorted(terms, key=lambda t: re.sub(r"\d+", lambda m: m.group().zfill(8), sp.sstr(t)))


def _is_power_of_symbol(factor: sp.Basic) -> bool:
    base = factor.base if factor.is_Pow and factor.exp.is_Integer and factor.exp > 0 else factor
    return isinstance(base, (sp.Symbol, sp.Indexed)) and not isinstance(base, sp.Dummy)


class NotationPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer with the course notation and textbook layout.

    - ``sigma_k`` prints :math:`\sigma_{k}`, ``y_k`` :math:`\hat{y}_{k}` (the label), ``w_{t,k}``
      :math:`w_{t}^{(k)}` (feature t, class k), ``KroneckerDelta(i, j)`` :math:`\delta_{ij}`;
      indexed claims (``sigma[k]``, ``W[j, i]``) print the same way.
    - Derivatives are partial, with a simple function in the numerator; ``log`` of a symbol
      has no brackets; positive terms come first (:math:`v_1 - m`, not :math:`-m + v_1`).
    - Sums of more than :data:`MAX_TERMS` terms and matrices larger than
      :data:`MAX_MATRIX_SIDE` are elided with dots, keeping the first and the last entries.
    - A ``Dummy`` symbol is refused: a displayed step must not show an internal name.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.render.latex.printer import NotationPrinter
    >>> s1, z1 = sp.Symbol("sigma_1", positive=True), sp.Symbol("z_1", real=True)
    >>> NotationPrinter().doprint(sp.Derivative(s1, z1))
    '\\frac{\\partial \\sigma_{1}}{\\partial z_{1}}'
    >>> i, j = sp.symbols("i j", integer=True)
    >>> NotationPrinter().doprint(sp.KroneckerDelta(i, j) - sp.Symbol("m"))
    '\\delta_{ij} - m'
    >>> NotationPrinter().doprint(sp.Dummy("x"))
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: internal dummy symbol x cannot be displayed
    """

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings or {})

    # symbols and indexed names
    def _print_Dummy(self, expr: sp.Dummy) -> str:
        msg = f"internal dummy symbol {expr.name} cannot be displayed"
        raise UsageError(msg, expr)

    def _name(self, stem: str, indices: Sequence[str]) -> str:
        if stem in ("w", "W", "u", "U") and len(indices) == 2:
            return f"{stem.lower()}_{{{indices[0]}}}^{{({indices[1]})}}"
        base = {"y": r"\hat{y}", "yhat": r"\hat{y}"}.get(stem, "\\" + stem if stem in _GREEK else stem)
        if stem == "delta" and len(indices) == 2:
            return rf"\delta_{{{''.join(indices)}}}"
        return f"{base}_{{{','.join(indices)}}}"

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        match = _SYMBOL_NAME.match(expr.name)
        if match:
            stem, first, second, single = match.groups()
            if stem == "delta" and single and len(single) == 2:
                return self._name(stem, list(single))
            return self._name(stem, [first, second] if first else [single])
        return super()._print_Symbol(expr, style=style)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        return self._name(str(expr.base.label), [self._print(i) for i in expr.indices])

    def _print_Softmax(self, expr: sp.Expr, exp: str | None = None) -> str:
        tex = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return rf"{tex}^{{{exp}}}" if exp else tex

    def _print_Partial(self, expr: sp.Expr, exp: str | None = None) -> str:
        from symsoft.models.softmax.semantics import Partial, Softmax

        operand, variables = expr.args[0], [expr.args[1]]
        while isinstance(operand, Partial):
            operand, variables = operand.args[0], [operand.args[1], *variables]
        top = r"\partial" + (f"^{{{len(variables)}}}" if len(variables) > 1 else "")
        denominator = " ".join(rf"\partial {self._print(v)}" for v in variables)
        if isinstance(operand, (sp.Symbol, sp.Indexed, Softmax)):
            tex = rf"\frac{{{top} {self._print(operand)}}}{{{denominator}}}"
        else:
            tex = rf"\frac{{{top}}}{{{denominator}}} \left({self._print(operand)}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Sum(self, expr: sp.Sum) -> str:
        tex = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            tex = rf"\left({tex}\right)"
        for variable, low, high in expr.limits:  # the last limit is the outermost sum
            tex = rf"\sum_{{{self._print(variable)}={self._print(low)}}}^{{{self._print(high)}}} {tex}"
        return tex

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool = False, last: bool = False) -> bool:
        if isinstance(expr, sp.Pow) and isinstance(expr.base, sp.Add) and expr.exp.is_Integer:
            return False  # (a + b)^2 is bracketed already, whatever sums it holds
        return super()._needs_mul_brackets(expr, first=first, last=last)

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        first, second = (self._print(a) for a in expr.args)
        joined = first + second if len(first) == 1 and len(second) == 1 else f"{first},{second}"
        tex = rf"\delta_{{{joined}}}"
        return f"{{{tex}}}^{{{exp}}}" if exp else tex

    # calculus
    def _print_Derivative(self, expr: sp.Derivative) -> str:
        order = sum(count for _, count in expr.variable_count)
        denominator = " ".join(
            rf"\partial {self._print(v)}" if count == 1 else rf"\partial {self._braced(v)}^{{{count}}}"
            for v, count in reversed(expr.variable_count)
        )
        top = r"\partial" + (f"^{{{order}}}" if order > 1 else "")
        function = expr.expr
        if isinstance(function, (sp.Symbol, sp.Indexed)):
            return rf"\frac{{{top} {self._print(function)}}}{{{denominator}}}"
        return rf"\frac{{{top}}}{{{denominator}}} {self.parenthesize(function, PRECEDENCE['Mul'], strict=True)}"

    def _braced(self, expr: sp.Basic) -> str:
        """``expr`` printed, in brackets when it has a superscript already (a power of it would be a double one)."""
        tex = self._print(expr)
        return rf"\left({tex}\right)" if "^" in tex else tex

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        argument = expr.args[0]
        if isinstance(argument, (sp.Symbol, sp.Indexed)):
            tex = rf"\log {self._print(argument)}"
            return rf"\left(\log {self._print(argument)}\right)^{{{exp}}}" if exp else tex
        tex = rf"\log\left({self._print(argument)}\right)"
        return f"{tex}^{{{exp}}}" if exp else tex

    # layout
    def _as_ordered_terms(self, expr, order=None):
        terms = list(super()._as_ordered_terms(expr, order=order))
        groups = ([t for t in terms if not t.could_extract_minus_sign()],
                  [t for t in terms if t.could_extract_minus_sign()])
        return [term for group in groups for term in _natural_order(group)]

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = self._as_ordered_terms(expr, order=order)
        if len(terms) > MAX_TERMS:
            hidden = terms[3:-1]
            dots = r" - \dots" if all(t.could_extract_minus_sign() for t in hidden) else r" + \dots"
            shown: list = [*terms[:3], dots, terms[-1]]
        else:
            shown = terms
        tex = ""
        for position, term in enumerate(shown):
            if isinstance(term, str):
                tex += term
                continue
            if position == 0:
                pass
            elif term.could_extract_minus_sign():
                tex += " - "
                term = -term
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        # Textbook order: sigma_9 before sigma_10, and sigma_i (delta_ij - sigma_j) with the bracket last.
        coefficient, factors = expr.as_coeff_mul()
        if coefficient.is_Integer and factors and all(_is_power_of_symbol(f) for f in factors):
            body = " ".join(self._print(f) for f in _natural_order(list(factors), always=True))
            if coefficient == 1:
                return body
            return f"- {body}" if coefficient == -1 else f"{coefficient} {body}".replace("-", "- ", 1)
        factors = expr.as_ordered_factors()
        simple = not expr.could_extract_minus_sign() and all(
            not f.is_Number and not (f.is_Pow and f.exp.is_negative) for f in factors
        )
        if not simple or not any(f.is_Add for f in factors):
            return super()._print_Mul(expr)
        ordered = _natural_order([f for f in factors if not f.is_Add], always=True)
        ordered += [f for f in factors if f.is_Add]
        return " ".join(
            rf"\left({self._print(f)}\right)" if f.is_Add else self.parenthesize(f, PRECEDENCE["Mul"])
            for f in ordered
        )

    def _print_MatrixBase(self, expr) -> str:
        def shown(count: int) -> list[int | None]:
            if count <= MAX_MATRIX_SIDE:
                return list(range(count))
            return [0, 1, None, count - 1]

        rows, cols = shown(expr.rows), shown(expr.cols)
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                if r is None and c is None:
                    cells.append(r"\ddots")
                elif r is None:
                    cells.append(r"\vdots")
                elif c is None:
                    cells.append(r"\cdots")
                else:
                    cells.append(self._print(expr[r, c]))
            lines.append(" & ".join(cells))
        return r"\begin{pmatrix}" + r" \\ ".join(lines) + r"\end{pmatrix}"

    _print_ImmutableMatrix = _print_ImmutableDenseMatrix = _print_Matrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase


def latex_of(expr: sp.Basic) -> str:
    r"""Print a SymPy expression (or matrix) with :class:`NotationPrinter`.

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    str
        LaTeX for math mode.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.render.latex.printer import latex_of
    >>> latex_of(sp.log(sp.Symbol("sigma_2")))
    '\\log \\sigma_{2}'
    >>> latex_of(sp.Add(*sp.symbols("z_1:9")))
    'z_{1} + z_{2} + z_{3} + \\dots + z_{8}'
    """
    return NotationPrinter().doprint(expr)


_RELATION_LATEX = {"=": "=", "<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq"}
