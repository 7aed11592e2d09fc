"""The algebra behind proofs: is an expression identically zero, and what sign does it have.

Every decision ladder uses these, for given sizes and for every size. A sign is shown from structure only (exponentials,
positive variables, squares, polynomials with non-negative coefficients, logs of numbers
above one), never by sampling.

>>> import sympy as sp
>>> from symsoft.decide.algebra import difference_sign
>>> u = sp.Symbol("u", positive=True)
>>> difference_sign(1 - u / (u + 1))
'pos'
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef


HYPERBOLIC = (sp.tanh, sp.sinh, sp.cosh, sp.sech, sp.csch, sp.coth)


def in_exponentials(expr: sp.Expr) -> sp.Expr:
    """``expr`` with tanh, sinh, cosh, ... written with e^t (so that they cancel against e^t).

    >>> t = sp.Symbol("t", real=True)
    >>> sp.simplify(in_exponentials(sp.tanh(t)) - (sp.exp(2 * t) - 1) / (sp.exp(2 * t) + 1))
    0
    """
    return expr.replace(lambda f: isinstance(f, HYPERBOLIC), lambda f: f.rewrite(sp.exp))


def is_zero(expr: sp.Expr) -> bool:
    """True when ``expr`` cancels to 0 (logs expanded and combined, ``simplify`` last).

    >>> u = sp.Symbol("u", positive=True)
    >>> is_zero(sp.log(u**2) - 2 * sp.log(u)), is_zero(u - 1)
    (True, False)
    """
    if all(isinstance(f, sp.exp) for f in expr.atoms(sp.Function)):  # a rational function of exponentials: a
        in_symbols = exponentials_as_symbols(expr)                     # polynomial ring decides it fastest
        if in_symbols is not None and rational_function_vanishes(in_symbols):
            return True
    e = sp.cancel(sp.together(sp.expand_log(expr)))
    if e == 0:
        return True
    if e.has(*HYPERBOLIC):  # tanh t beside e^t: one rational function in e^t
        if sp.cancel(sp.together(sp.expand(in_exponentials(e)))) == 0:
            return True
    e = sp.logcombine(sp.expand(e))
    return sp.simplify(e) == 0



def exponentials_as_symbols(expr: sp.Expr) -> sp.Expr | None:
    """``expr`` with e^(c1 m1 + c2 m2 + ...) written t1^c1 t2^c2 ... (one positive symbol per monomial m of the
    exponents, rational c), or None when an exponent is not a polynomial with rational coefficients.

    >>> a, b = sp.symbols("a b", real=True)
    >>> exponentials_as_symbols(sp.exp(2 * a - b)), exponentials_as_symbols(sp.exp(a + b) - sp.exp(a) * sp.exp(b))
    (_t1**2/_t0, 0)
    """
    monomials: dict = {}
    replacement = {}
    for atom in sorted(expr.atoms(sp.exp), key=sp.default_sort_key):
        product = sp.Integer(1)
        for term in sp.Add.make_args(sp.expand(atom.args[0])):
            coefficient, monomial = term.as_coeff_Mul()
            if not coefficient.is_Rational or monomial.has(sp.exp, sp.log):
                return None
            if monomial not in monomials:
                monomials[monomial] = sp.Dummy(f"t{len(monomials)}", positive=True)
            product *= monomials[monomial] ** coefficient
        replacement[atom] = product
    return expr.xreplace(replacement) if replacement else expr


def rational_function_vanishes(expr: sp.Expr) -> bool | None:
    """Whether a rational function with rational coefficients is identically 0; None when ``expr`` is not one.

    The numerator is built in a sparse polynomial ring over the common denominator of the written factors, a factor
    that divides a product syntactically taken out, and no greatest common divisor computed: the expression is
    N / (f1^k1 f2^k2 ...) with every f a non-zero polynomial, so it is 0 exactly when N is. On softmax and
    logistic entries this is two to eight times as fast as ``together`` then ``expand`` (``cancel`` can take
    seconds where these take a tenth).

    >>> a, b = sp.symbols("a b", positive=True)
    >>> rational_function_vanishes(a / (a + b) + b / (a + b) - 1), rational_function_vanishes(a / (a + b) - 1)
    (True, False)
    >>> x = sp.IndexedBase("x")
    >>> rational_function_vanishes(sp.exp(a) - 1) is None, rational_function_vanishes(x[1] / (x[1] + x[2]) - 1)
    (True, False)
    """
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    symbols = sorted(expr.atoms(sp.Symbol, sp.Indexed), key=sp.default_sort_key)  # x[i] is a letter of its own
    if not symbols:
        return None
    polynomials, *_ = ring(symbols, QQ)
    generator = dict(zip(symbols, polynomials.gens))

    seen: dict = {}

    def fraction(e):  # (numerator, {denominator factor: power}), once per distinct subexpression
        if e not in seen:
            seen[e] = written_fraction(e)
        return seen[e]

    def written_fraction(e):
        if e.is_Symbol or isinstance(e, sp.Indexed):
            return generator[e], {}
        if e.is_Rational:
            return polynomials(e), {}
        if e.is_Add:
            parts = [fraction(term) for term in e.args]
            common: dict = {}
            for _numerator, factors in parts:
                for factor, power in factors.items():
                    common[factor] = max(common.get(factor, 0), power)
            total = polynomials.zero
            for numerator, factors in parts:
                for factor, power in common.items():
                    if power > factors.get(factor, 0):
                        numerator *= factor ** (power - factors.get(factor, 0))
                total += numerator
            return total, common
        if e.is_Mul:
            parts = [fraction(factor) for factor in e.args]
            below: dict = {}
            for _numerator, factors in parts:
                for factor, power in factors.items():
                    below[factor] = below.get(factor, 0) + power
            above = polynomials.one
            for numerator, factors in parts:
                if not factors and below.get(numerator, 0) > 0:  # a written factor over the same factor
                    below[numerator] -= 1
                    if not below[numerator]:
                        del below[numerator]
                else:
                    above *= numerator
            return above, below
        if e.is_Pow and e.exp.is_Integer:
            numerator, factors = fraction(e.base)
            k = int(e.exp)
            if k >= 0:
                return numerator ** k, {factor: power * k for factor, power in factors.items()}
            if numerator == 0:
                raise ZeroDivisionError
            flipped = polynomials.one
            for factor, power in factors.items():
                flipped *= factor ** (-power * k)
            return flipped, ({} if numerator == 1 else {numerator: -k})
        raise ValueError(e.func)

    try:
        numerator, _factors = fraction(expr)
    except (ValueError, ZeroDivisionError):
        return None
    return numerator == 0


def term_sign(expr: sp.Expr) -> str | None:
    """'pos' or 'nonneg' when the sign of ``expr`` follows from its structure, else None.

    >>> u = sp.Symbol("u", positive=True)
    >>> term_sign(sp.exp(u) + u), term_sign((u - 1) ** 2), term_sign(u - 1), term_sign(sp.Max(0, u - 1))
    ('pos', 'nonneg', None, 'nonneg')
    """
    expr = sp.sympify(expr)
    if expr.is_number:
        if expr.is_positive:
            return "pos"
        if expr.is_zero:
            return "nonneg"
        return None
    if expr.is_positive:
        return "pos"
    if isinstance(expr, sp.exp):
        return "pos"
    if isinstance(expr, sp.Max):  # max(0, a) >= 0: the largest of its arguments has at least their best sign
        signs = [term_sign(a) for a in expr.args]
        return "pos" if "pos" in signs else ("nonneg" if any(signs) else None)
    if isinstance(expr, sp.Symbol):
        return "pos" if expr.is_positive else ("nonneg" if expr.is_nonnegative else None)
    if isinstance(expr, sp.Add):
        signs = [term_sign(a) for a in expr.args]
        if all(s == "pos" for s in signs) or ("pos" in signs and all(signs)):
            return "pos"
        if all(signs):
            return "nonneg"
        return None
    if isinstance(expr, sp.Mul):
        coefficient, rest = expr.as_coeff_Mul()
        logs = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.log)]
        if coefficient.is_negative and len(logs) == 1:
            # -c log(A) = c log(1/A)
            flipped = rest.xreplace({logs[0]: sp.log(sp.cancel(1 / logs[0].args[0]))})
            return term_sign(-coefficient * flipped)
        signs = [term_sign(a) for a in expr.args]
        if all(s == "pos" for s in signs):
            return "pos"
        if all(signs):
            return "nonneg"
        return None
    if isinstance(expr, sp.Pow):
        base_sign = term_sign(expr.base)
        if base_sign == "pos":
            return "pos"
        if expr.exp.is_integer and expr.exp.is_even:
            return "nonneg"
        if base_sign == "nonneg" and expr.exp.is_positive:
            return "nonneg"
        return None
    if isinstance(expr, sp.log):
        inner = term_sign(sp.cancel(sp.together(expr.args[0] - 1)))
        if inner is None:
            num, den = sp.fraction(sp.cancel(sp.together(expr.args[0] - 1)))
            inner = polynomial_sign(num) if polynomial_sign(den) == "pos" else None
        return inner
    return None



#: functions with a jump: a case split on signs leaves the point 0 out, which only continuity brings back
_JUMPS = (sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Piecewise, sp.frac)


def sign_cases(left: sp.Expr, right: sp.Expr, limit: int = 8, cases_limit: int = 4) -> list[dict]:
    r"""The cases x = t and x = -t (t > 0) for each real symbol x of unknown sign inside the argument of a log, an
    absolute value, a max or a min of ``left - right``: one substitution per combination of signs. A combination where
    a log's argument is negative or zero on both sides is left out (neither side is a real number there); one where
    that happens on one side only gives no cases at all (``\log(x^2) = 2\log(x)``: at x < 0 the left side is a number,
    the right side none). Proved in each case left, a claim holds wherever its sides are defined, except perhaps where
    some x = 0, which continuity brings back (so never with a function that jumps, or one the expression does not
    define). [] when no symbol is to be split, more than ``limit`` are, more than ``cases_limit`` cases are left, or
    none is.

    >>> x, y = sp.symbols("x y", real=True)
    >>> [sorted(c.values(), key=str) for c in sign_cases(sp.Abs(x), sp.Max(x, -x))]
    [[_t_x], [-_t_x]]
    >>> len(sign_cases(sp.log(x) + sp.Abs(y), sp.log(x) + sp.Max(y, -y))), sign_cases(sp.log(x**2), 2 * sp.log(x))
    (2, [])
    >>> sign_cases(x**2, x), sign_cases(sp.exp(sp.log(x**2) / 2), x)
    ([], [{x: _t_x}, {x: -_t_x}])
    """
    expr = left - right
    if expr.has(*_JUMPS) or expr.atoms(AppliedUndef, sp.Derivative, sp.Subs):
        return []
    inside = set()
    for atom in expr.atoms(sp.log, sp.Abs, sp.Max, sp.Min):
        if isinstance(atom, sp.log) and atom.args[0].is_positive or isinstance(atom, sp.Abs) and (
                atom.args[0].is_nonnegative or atom.args[0].is_nonpositive):
            continue  # log(e^{z_1} + e^{z_2}), |x^2|: its sign is known, no case to split
        inside |= {s for s in atom.free_symbols if isinstance(s, sp.Symbol)}
    split = sorted((s for s in inside if s.is_real and not s.is_integer and s.is_positive is None
                    and s.is_negative is None and s.is_nonnegative is None and s.is_nonpositive is None), key=str)
    if not split or len(split) > limit:
        return []
    positive = {s: sp.Dummy(f"t_{s.name}", positive=True) for s in split}
    cases = []
    for number in range(2 ** len(split)):
        case = {s: positive[s] * (-1 if (number >> bit) & 1 else 1) for bit, s in enumerate(split)}
        undefined = [any(a.is_nonpositive for a in (f.args[0].xreplace(case) for f in sp.sympify(side).atoms(sp.log)))
                     for side in (left, right)]
        if all(undefined):
            continue  # a log of a number <= 0 on each side: outside the claim's domain
        if any(undefined):
            return []  # one side a number, the other none: the claim is not an identity there
        cases.append(case)
        if len(cases) > cases_limit:
            return []
    return cases


def polynomial_sign(expr: sp.Expr) -> str | None:
    """The sign of a polynomial with non-negative coefficients in non-negative variables.

    >>> u, v = sp.symbols("u v", positive=True)
    >>> polynomial_sign(u**2 + 3*u*v), polynomial_sign(u - v)
    ('pos', None)
    """
    expr = sp.expand(expr)
    if expr == 0:
        return "nonneg"
    gens = sorted(expr.free_symbols, key=str)
    if not gens or not all(g.is_nonnegative for g in gens):
        return term_sign(expr) if not isinstance(expr, sp.Add) else None
    try:
        poly = sp.Poly(expr, *gens)
    except sp.PolynomialError:
        return None
    coefficients = poly.coeffs()
    if not all(c.is_number and c >= 0 for c in coefficients):
        return None
    constant_positive = poly.coeff_monomial(1) > 0 if gens else expr > 0
    all_positive_gens = all(g.is_positive for g in gens)
    return "pos" if (constant_positive or all_positive_gens) else "nonneg"



def difference_sign(e: sp.Expr) -> str | None:
    """The sign of a difference ``greater - smaller``: by structure, by combined logs, or as a fraction.

    >>> u, v = sp.symbols("u v", positive=True)
    >>> difference_sign(sp.log(u + v) - sp.log(u))
    'pos'
    """
    sign = term_sign(e)
    if sign:
        return sign
    if e.has(sp.log):
        combined = sp.logcombine(sp.expand_log(e))
        sign = term_sign(combined)
        if sign:
            return sign
    e = in_exponentials(e)  # 1 - tanh^2 t = 4 e^{2t} / (e^{2t} + 1)^2
    together = sp.cancel(sp.together(sp.expand_log(e)))
    num, den = sp.fraction(together)
    den_sign = polynomial_sign(den) or term_sign(den)
    if den_sign != "pos":
        return None
    return polynomial_sign(num) or term_sign(num) or term_sign(sp.factor(num))
