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

import itertools

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



def _unique_real_solution(equation: sp.Expr, letter: sp.Symbol):
    """The one real value of ``letter`` that solves ``equation = 0`` in terms of the other letters, or None."""
    try:
        solutions = sp.solveset(equation, letter, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if isinstance(solutions, sp.Intersection):  # {1/m} ∩ R: the value wherever it is real, no other point
        solutions = next((part for part in solutions.args if isinstance(part, sp.FiniteSet)), solutions)
    if isinstance(solutions, sp.FiniteSet) and len(solutions) == 1:
        (value,) = solutions
        return None if value.has(letter) else value
    return None


def under_relations(difference: sp.Expr, relations: list[sp.Expr]) -> tuple[bool, sp.Expr | None]:
    r"""Whether ``difference`` is 0 wherever the ``relations`` (each an expression equal to 0) hold, shown by solving
    each relation for one of its letters (a unique real solution, so the substitution loses no point) and
    substituting it, in some order; the letters are real numbers (the sympy atoms are replaced by real symbols).
    Returns ``(True, None)`` when it is, else ``(False, rest)``: ``rest`` is the difference with every relation it
    could be solved with substituted (None when none could), for :func:`nonzero_somewhere`.

    >>> a, t, m = sp.symbols("alpha theta mu")
    >>> relations = [m - 1 / t, sp.log(m) - a]
    >>> under_relations(sp.log(t) + a, relations)[0], under_relations(sp.log(t) - a, relations)[0]
    (True, False)
    """
    named: dict = {}  # one symbol per name (a size n or an index i read twice, with other assumptions, is one)
    for symbol in sorted(set().union(*(e.atoms(sp.Symbol) for e in (difference, *relations))), key=sp.default_sort_key):
        named.setdefault(symbol.name, []).append(symbol)
    one = {s: sp.Symbol(name, integer=True) if any(x.is_integer for x in group) else group[0]
           for name, group in named.items() for s in group if len(group) > 1}
    difference, relations = difference.xreplace(one), [r.xreplace(one) for r in relations]
    indexed = set().union(difference.atoms(sp.Indexed), *(r.atoms(sp.Indexed) for r in relations))
    atoms = {a for a in indexed if all(index.is_number for index in a.indices)}  # x_i under a sum stays x_i
    atoms |= {s for e in (difference, *relations) for s in e.free_symbols
              if not s.is_integer and not any(s in a.free_symbols for a in indexed)}
    real = {atom: sp.Dummy(f"r{n}", real=True) for n, atom in enumerate(sorted(atoms, key=str))}
    back = {dummy: atom for atom, dummy in real.items()}
    difference = difference.xreplace(real)
    relations = [r.xreplace(real) for r in relations]
    substituted: list = []

    seen: set = set()

    def search(expr: sp.Expr, left: list, depth: int) -> bool:
        if expr in seen:
            return False
        seen.add(expr)
        if not left or depth > 3:  # every relation applied: the full test, once per order
            if depth and not substituted:
                substituted.append(expr)
            return not nonzero_somewhere(expr) and is_zero(expr)  # a point where it is not 0 saves the slow test
        if sp.cancel(sp.together(expr)) == 0:  # the quick test on the way
            return True
        progressed = False
        for n, relation in enumerate(left):
            for letter in sorted(relation.free_symbols & set(real.values()), key=str):
                value = _unique_real_solution(relation, letter)
                if value is None:
                    continue
                progressed = True
                rest = [r.xreplace({letter: value}) for k, r in enumerate(left) if k != n]
                if search(expr.xreplace({letter: value}), [r for r in rest if r != 0], depth + 1):
                    return True
        if not progressed and depth and not substituted:
            substituted.append(expr)
        return False

    if is_zero(difference) or search(difference, relations, 0):
        return True, None
    return False, (substituted[0].xreplace(back) if substituted else None)


def nonzero_somewhere(expr: sp.Expr, sizes: tuple[int, ...] = (2, 3)) -> bool:
    """True when ``expr``, with each size (an integer letter that is no index) set to 2 or 3, each free index to a
    position, and its sums written out, is a real number other than 0 at some point with positive rational letters,
    confirmed at 40 digits (a counterexample, never a proof).

    >>> x, n, i = sp.IndexedBase("x"), sp.Symbol("n", integer=True), sp.Symbol("i", integer=True)
    >>> nonzero_somewhere(sp.Sum(x[i], (i, 1, n)) - n), nonzero_somewhere(sp.Sum(x[i] - x[i], (i, 1, n)))
    (True, False)
    >>> nonzero_somewhere(x[i] - sp.Sum(x[i], (i, 1, n)) / n)
    True
    """
    free = sorted((s for s in expr.free_symbols if s.is_integer), key=str)
    indices = [s for s in free if any(s in a.indices for a in expr.atoms(sp.Indexed))]
    counts = [s for s in free if s not in indices][:3]
    for size in sizes:
        for positions in itertools.islice(itertools.product(range(1, size + 1), repeat=len(indices)), 9):
            try:
                written = expr.xreplace({c: sp.Integer(size) for c in counts}).doit()
                written = written.xreplace(dict(zip(indices, map(sp.Integer, positions)))).doit()
            except (TypeError, ValueError, RecursionError):
                continue
            letters = sorted(written.atoms(sp.Indexed), key=str)
            inside = set().union(*(a.free_symbols for a in letters))
            letters += sorted((s for s in written.free_symbols if s not in inside and not s.is_integer), key=str)
            for point in range(3):
                values = {s: sp.Rational(3 + (5 * k + 7 * point) % 11, 4 + point) for k, s in enumerate(letters)}
                try:
                    value = sp.N(written.xreplace(values), 40)
                except (TypeError, ValueError, ZeroDivisionError, RecursionError):
                    continue
                if value.is_number and value.is_real and value.is_finite and abs(value) > sp.Float("1e-25"):
                    return True
    return False


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
