r"""Deciding a step written in matrix notation: shapes first, then the values entry by entry at given sizes.

A step whose sides have shapes that cannot be equal (``\nabla_W L = (P - Y)^\top X`` for a D × C matrix W) is
refuted for its shapes when the document declares them. Otherwise both sides are evaluated at a few settings of
the sizes (:mod:`symsoft.meaning.matrices`) and compared entry by entry: a symbolic proof at every setting, or an
exact counterexample (small integer matrices) at one. The facts the document states (one-hot rows, binary labels,
a symmetric matrix) are used in the proof and respected by the counterexample.

>>> from symsoft.meaning.matrices import read_matrices_from_text
>>> reading = read_matrices_from_text(r"Let $A, B \in \mathbb{R}^{n \times n}$.")
>>> decide_matrix_step(1, "(AB)^T", "=", "B^T A^T", reading).status
'proved'
>>> step = decide_matrix_step(1, "(AB)^T", "=", "A^T B^T", reading)
>>> step.status, step.counterexample.sizes
('refuted', (('n', 2),))
"""

from __future__ import annotations

import itertools

import sympy as sp

from symsoft.decide.algebra import (HYPERBOLIC, difference_sign, exponentials_as_symbols, is_zero,
                                    rational_function_vanishes)
from symsoft.decide.verdicts import Counterexample, Repair, StepVerdict
from symsoft.errors import BindingError, LatexParseError
from symsoft.meaning.matrices import (ONE, MatrixReading, Setting, Shapes, ShapeError, SingularError, Values,
                                      entry_symbol)
from symsoft.parse.matrices import Term, parse_matrix_side, term_latex

#: values tried for a counterexample, in order (each symbol gets one, shifted from trial to trial)
_TRIALS = (1, 2, -1, 3, 0, -2, 5, 1, 4, -3)


def _layout_free(term: Term, reading: MatrixReading) -> bool:
    """True when ``term`` is a derivative written with ∂ and the document does not say which layout it uses."""
    return term.kind == "partial" and not reading.layout


def _settings(shapes: Shapes) -> list[tuple[dict, dict]]:
    """Sizes to check: every dimension 2, every dimension 3, then every dimension apart (..., 4, 3, 2 in the order the
    document declares them: a tall data matrix, and no two dimensions equal, so that 1/N is never 1/C); and every
    dimension one more than the largest fixed number, when the document fixes one (ℝ^{n × 4})."""
    names = list(dict.fromkeys(v for v in (shapes.bound.get(r) for r in shapes.roots())
                               if isinstance(v, str) and not v.isdigit()))
    free = [r for r in shapes.roots() if shapes.bound.get(r) is None]
    order = [("name", n) for n in names] + [("free", r) for r in free]
    fixed = [int(v) for v in shapes.bound.values() if isinstance(v, str) and v.isdigit()]
    last = len(order) - 1
    choices = [lambda position: 2, lambda position: 3, lambda position: min(2 + last - position, 4)]
    if fixed and max(fixed) >= 3:
        choices.append(lambda position, size=min(max(fixed) + 1, 5): size)
    settings = []
    for choose in choices:
        chosen = {item: choose(position) for position, item in enumerate(order)}
        named = {n: v for (kind, n), v in chosen.items() if kind == "name"}
        roots = {r: v for (kind, r), v in chosen.items() if kind == "free"}
        if (named, roots) not in settings:
            settings.append((named, roots))
    return settings


def _free(values: Values, names) -> list:
    """(name, value) of the letters among ``names`` that this step uses and the document does not define."""
    return [(name, values.free_letter(name)) for name in sorted(names)
            if name not in values.reading.definitions and name in values.shapes.letters]


def _facts(values: Values) -> dict:
    """The substitution that states the document's facts: the last entry of a one-hot row is one minus the others,
    a symmetric matrix's lower entries are its upper ones."""
    reading, substitution = values.reading, {}
    for _name, value in _free(values, reading.one_hot):
        rows, columns = value.shape
        if columns == 1:
            substitution[value[rows - 1, 0]] = 1 - sum(value[i, 0] for i in range(rows - 1))
        else:
            for i in range(rows):
                substitution[value[i, columns - 1]] = 1 - sum(value[i, j] for j in range(columns - 1))
    for _name, value in _free(values, reading.symmetric):
        for i in range(value.shape[0]):
            for j in range(i):
                substitution[value[i, j]] = value[j, i]
    return substitution


def _binary_symbols(values: Values) -> set:
    return {s for _name, value in _free(values, values.reading.binary | values.reading.one_hot) for s in value}


def _with_facts(expr: sp.Expr, substitution: dict, binary: set) -> sp.Expr:
    expr = expr.xreplace(substitution) if substitution else expr
    if binary and any(p.base in binary and p.exp.is_Integer and p.exp > 1 for p in expr.atoms(sp.Pow)):
        expr = sp.expand(expr).replace(lambda e: e.is_Pow and e.base in binary and e.exp.is_Integer and e.exp > 0,
                                       lambda e: e.base)
    return expr


def _point(symbols: list, trial: int, values: Values, substitution: dict) -> dict:
    """Integer values for the free symbols, inside the document's domains (one-hot rows, binary labels, positive)."""
    point = {}
    for _name, value in _free(values, values.reading.one_hot):
        rows, columns = value.shape
        if columns == 1:
            hot = trial % rows
            point.update({value[i, 0]: int(i == hot) for i in range(rows)})
        else:
            for i in range(rows):
                hot = (i + trial) % columns
                point.update({value[i, j]: int(j == hot) for j in range(columns)})
    binary = _binary_symbols(values)
    for position, symbol in enumerate(symbols):
        if symbol in point:
            continue
        number = _TRIALS[(position * 3 + trial) % len(_TRIALS)]
        if symbol in binary:
            number = (position + trial) % 2
        elif symbol.is_positive:
            number = abs(number) or 1
        point[symbol] = number
    return {s: v for s, v in point.items() if s not in substitution}


def _seems_nonzero(expr: sp.Expr, values: Values, substitution: dict) -> bool:
    """True when ``expr`` is clearly not 0 at a point of the document's domains (then the exact counterexample search
    runs at once; a proof attempt would only spend time). Never used to prove anything."""
    if expr == 0 or expr.atoms(sp.Function) - expr.atoms(sp.exp, sp.log, sp.tanh):
        return False
    point = _point(sorted(expr.free_symbols, key=lambda s: s.name), 0, values, substitution)
    try:
        number = sp.N(expr.xreplace(point), 20)
    except (ZeroDivisionError, ValueError, TypeError):
        return False
    return bool(number.is_real and number.is_finite and abs(number) > sp.Float("1e-12"))


def _vanishes_as_rational(expr: sp.Expr) -> bool | None:
    """Whether ``expr`` is identically 0, decided as a rational function; None when it is not one.

    Each e^t is made a symbol of its own, and so is each tanh(u), sinh(u), ...: a rational function that is 0 in
    those symbols is 0 whatever values they take, so True is a proof, and a fast one. False says the rational
    function is not 0 (then the exact counterexample search decides); None, that it is not a rational function
    in them, or that it is not 0 only because tanh and e^t were kept apart (then
    :func:`~symsoft.decide.algebra.is_zero` decides).

    >>> a, b = sp.symbols("a b", real=True)
    >>> _vanishes_as_rational(sp.exp(a) / (sp.exp(a) + sp.exp(b)) + sp.exp(b) / (sp.exp(a) + sp.exp(b)) - 1)
    True
    >>> _vanishes_as_rational((1 - sp.tanh(a)) * (1 + sp.tanh(a)) + sp.tanh(a) ** 2 - 1)
    True
    >>> _vanishes_as_rational(1 - sp.tanh(a) ** 2 - 4 * sp.exp(2 * a) / (sp.exp(2 * a) + 1) ** 2) is None
    True
    >>> _vanishes_as_rational(sp.log(a)) is None
    True
    """
    if expr == 0:
        return True
    functions = expr.atoms(sp.Function)
    hyperbolic = sorted((f for f in functions if isinstance(f, HYPERBOLIC)), key=sp.default_sort_key)
    if any(not isinstance(f, (sp.exp, *HYPERBOLIC)) for f in functions):
        return None
    in_symbols = exponentials_as_symbols(expr.xreplace(  # tanh(u) as a symbol: rewritten with e^(2u), distinct
        {f: sp.Dummy(f"h{k}", real=True) for k, f in enumerate(hyperbolic)}))  # denominators multiply out (minutes)
    if in_symbols is None:
        return None
    vanishes = rational_function_vanishes(in_symbols)
    if hyperbolic and not vanishes and not _independent(hyperbolic, functions):
        return None  # tanh(2u) and tanh(u), or tanh(u) beside e^u, are tied by identities the symbols do not know
    return vanishes


def _independent(hyperbolic: list, functions: set) -> bool:
    """True when the hyperbolic functions among ``functions`` are of one kind, with no e^t beside them, and no two of
    their arguments are rational multiples of each other (then no identity ties them)."""
    if any(isinstance(f, sp.exp) for f in functions) or len({f.func for f in hyperbolic}) > 1:
        return False
    arguments = [f.args[0] for f in hyperbolic]
    return not any((a / b).is_Rational for a, b in itertools.combinations(arguments, 2))


def _shown(value: sp.ImmutableMatrix) -> str:
    def entry(x):
        x = sp.nsimplify(x) if x.is_Float else x
        text = str(x)
        return text if len(text) <= 12 else f"{sp.N(x, 6)}"
    if value.shape == (1, 1):
        return entry(value[0, 0])
    rows = ["[" + ", ".join(entry(value[i, j]) for j in range(value.shape[1])) + "]" for i in range(value.shape[0])]
    return "[" + ", ".join(rows) + "]"


def _counterexample(left, right, entry: sp.Expr, values: Values, substitution: dict, sizes: tuple,
                    relation: str = "="):
    """An exact point where the entry ``entry`` of left - right is not 0 (or has the wrong sign), else None."""
    symbols = sorted(entry.free_symbols, key=lambda s: s.name)
    everything = sorted((left.free_symbols | right.free_symbols), key=lambda s: s.name)
    if entry.atoms(sp.Function) and any(not isinstance(f, (sp.exp, sp.log, sp.tanh, sp.Max, sp.Abs))
                                        for f in entry.atoms(sp.Function)):
        return None
    for trial in range(8):
        point = _point(everything, trial, values, substitution)
        try:
            exact = entry.xreplace(substitution).xreplace(point)
            number = sp.N(exact, 30)
        except (ZeroDivisionError, ValueError, TypeError):
            continue
        if not number.is_real or not number.is_finite or number.is_zero is None and abs(number) < 1e-25:
            continue
        if relation == "=" and abs(number) > sp.Float("1e-20"):
            pass
        elif relation in ("<", "<=", ">", ">=") and _violates(number, relation):
            pass
        else:
            continue
        shown_left = left.xreplace(substitution).xreplace(point)
        shown_right = right.xreplace(substitution).xreplace(point)
        if any(not sp.N(x).is_finite for x in list(shown_left) + list(shown_right)):
            continue
        letters = {}
        for name in sorted(values.shapes.used):
            if name in values.reading.definitions or name not in values.shapes.letters:
                continue
            own = values.free_letter(name)
            if not any(s in point or s in substitution for s in own):
                continue
            letters[name] = _shown(own.xreplace(substitution).xreplace(point))
        return Counterexample(0, 0, (), tuple(letters.items()), _shown(shown_left), _shown(shown_right), sizes=sizes)
    return None


def _violates(number, relation: str) -> bool:
    if relation == "<":
        return number >= 0
    if relation == "<=":
        return number > sp.Float("1e-20")
    if relation == ">":
        return number <= 0
    return number < -sp.Float("1e-20")


def _sizes_of(shapes: Shapes, setting: Setting) -> tuple:
    named = [(name, size) for name, size in setting.named if not name.isdigit()]
    free = [(f"n{position + 1}", size) for position, (root, size) in enumerate(
        (root, size) for root, size in setting.sizes if shapes.bound.get(root) is None)]
    return tuple(named + free)


def decide_matrix_step(number: int, left_text: str, relation: str, right_text: str, reading: MatrixReading
                       ) -> StepVerdict:
    r"""The verdict on one step ``left relation right`` written in matrix notation.

    Raises :class:`~symsoft.errors.BindingError` (or :class:`~symsoft.errors.LatexParseError`) when a side is
    not read; the caller then tries the other readings.

    >>> from symsoft.meaning.matrices import read_matrices_from_text
    >>> r = read_matrices_from_text(r"Let $X \in \mathbb{R}^{N \times D}$, $\mathbf{w} \in \mathbb{R}^{D}$,"
    ...                             r" $\mathbf{y} \in \mathbb{R}^{N}$. The gradient has the shape of the variable.")
    >>> decide_matrix_step(1, r"\nabla_{\mathbf w} \frac{1}{N}\|\mathbf y - X\mathbf w\|^2", "=",
    ...                    r"-\frac{2}{N} X^\top(\mathbf y - X \mathbf w)", r).status
    'proved'
    >>> decide_matrix_step(1, r"\nabla_{\mathbf w} \frac{1}{N}\|\mathbf y - X\mathbf w\|^2", "=",
    ...                    r"-\frac{2}{N} (\mathbf y - X \mathbf w)^\top X", r).message
    'the shapes differ: the left side is D × 1 and the right side 1 × D'
    """
    latex = f"{left_text} {_RELATION_TEXT.get(relation, relation)} {right_text}"
    left, right = parse_matrix_side(left_text), parse_matrix_side(right_text)
    shapes = Shapes(reading)
    try:
        left_shape = shapes.infer(left)
    except ShapeError as error:
        return _without_shape(number, latex, "left", left, error, shapes, reading)
    try:
        right_shape = shapes.infer(right)
    except ShapeError as error:
        return _without_shape(number, latex, "right", right, error, shapes, reading)
    parameters = {p for parameters, _body, _line in reading.definitions.values() for p in parameters} - (
        _letters(left) | _letters(right))
    undeclared = sorted(n for n in shapes.used if not reading.declared(n) and n not in reading.dimensions
                        and n not in parameters)  # a definition's parameter is bound, never a letter of its own
    transposed, layout_note = False, ""
    joined = shapes.copy()
    try:
        _unify_sides(joined, left_shape, right_shape)
    except ShapeError as error:
        either = _layout_free(left, reading) or _layout_free(right, reading)
        flipped = shapes.copy()
        try:
            if not either:
                raise error
            _unify_sides(flipped, left_shape, right_shape, transposed=True)
            joined, transposed = flipped, True
            layout_note = "the derivative transposed"
        except ShapeError:
            message = (f"the shapes differ: the left side is {shapes.written(left_shape)} and the right side"
                       f" {shapes.written(right_shape)}")
            if undeclared:
                raise BindingError(message + f", if {', '.join(undeclared)} {'is' if len(undeclared) == 1 else 'are'}"
                                   " as the conventions read; the document does not declare their shapes") from None
            return StepVerdict(number, latex, "refuted", method="shapes", message=message)
    squared = [n for n in undeclared if n in joined.letters and not joined.letters[n].number
               and joined.value(joined.letters[n].columns) != ONE
               and joined.find(joined.letters[n].rows) == joined.find(joined.letters[n].columns)]
    if squared:  # (X^T X)^{-1} X^T = X^{-1} holds for a square X: only the equation made it square
        raise BindingError(f"{', '.join(squared)} would have to be square, which only this equation says; the document"
                           " does not declare the shape")
    if relation not in ("=", "<", "<=", ">", ">="):
        raise BindingError(f"the relation {relation} is not decided in matrix notation")
    if relation != "=" and not (joined.is_one_by_one(left_shape) and joined.is_one_by_one(right_shape)):
        raise BindingError("an inequality between vectors or matrices")
    checked, singular = [], 0
    for named, free in _settings(joined):
        setting = joined.setting(named, free)
        sizes = _sizes_of(joined, setting)
        values = Values(reading, joined, setting)
        try:
            a = values.evaluate(left, {})
            b = values.evaluate(right, {})
        except SingularError:
            singular += 1
            continue
        if transposed:
            b = b.T
        if a.shape != b.shape:
            if a.shape == (1, 1) and b.shape == (1, 1):
                pass
            else:
                raise BindingError(f"the sides have the shapes {a.shape} and {b.shape} at these sizes")
        substitution = _facts(values)
        binary = _binary_symbols(values)
        for i, j in itertools.product(range(a.shape[0]), range(a.shape[1])):
            difference = _with_facts(a[i, j] - b[i, j], substitution, binary)
            if relation == "=":
                quickly = _vanishes_as_rational(difference)
                if quickly or quickly is None and not _seems_nonzero(difference, values, substitution) and is_zero(
                        difference):
                    continue
            else:
                sign = difference_sign(difference if relation in (">", ">=") else -difference)
                if sign == "pos" or sign == "nonneg" and relation in (">=", "<="):
                    continue
            if undeclared:
                raise BindingError(f"false if {', '.join(undeclared)} {'is' if len(undeclared) == 1 else 'are'} any"
                                   " vector or matrix of the shape the conventions give, but the document does not"
                                   " declare or define it")
            found = _counterexample(a, b, difference, values, substitution, sizes, relation)
            if found is None:
                raise BindingError("the sides differ as expressions, but no exact counterexample was found in the"
                                   " document's domains" if relation == "=" else
                                   "the sign of the difference does not follow from its structure")
            where = f" (entry {i + 1}, {j + 1})" if a.shape != (1, 1) else ""
            return StepVerdict(number, latex, "refuted", method="counterexample", counterexample=found,
                               message=f"the two sides differ{where}")
        checked.append(sizes)
    if not checked:
        raise BindingError("a matrix that is inverted is singular at every size checked")
    axes = {}
    for sizes in checked:
        for axis, size in sizes:
            axes.setdefault(axis, [])
            if size not in axes[axis]:
                axes[axis].append(size)
    if transposed:
        raise BindingError("it holds with the derivative transposed (the other layout), not as read; the document"
                           " does not say which layout it uses")
    note = "; ".join(p for p in (layout_note, "a setting where an inverted matrix is singular is left out"
                                 if singular else "") if p)
    return StepVerdict(number, latex, "proved", method="symbolic, entry by entry in matrix notation",
                       sizes=tuple((axis, tuple(v)) for axis, v in axes.items()), message=note)


def _without_shape(number: int, latex: str, which: str, side: Term, error: ShapeError, shapes: Shapes,
                   reading: MatrixReading) -> StepVerdict:
    """A step whose side has no shape (a product of matrices whose sizes do not fit): refuted when the document
    declares every letter of that side, else not read."""
    if error.elementwise:
        raise BindingError(f"{error}: a product of two factors of one shape, which authors also write for the"
                           " elementwise product (not refuted)") from None
    letters = sorted(_letters(side) - set(reading.dimensions))
    undeclared = [n for n in letters if not reading.declared(reading.aliases.get(n, n))]
    if undeclared:
        raise BindingError(f"{error}, if {', '.join(undeclared)} {'is' if len(undeclared) == 1 else 'are'} as the"
                           " conventions read; the document does not declare their shapes") from None
    return StepVerdict(number, latex, "refuted", method="shapes",
                       message=f"the {which} side has no shape under the document's declarations: {error}")


def _letters(term) -> set:
    if not isinstance(term, Term):
        return set()
    if term.kind == "name":
        return set() if term.args[0] in ("e", "I", "\\mathbf{1}", "\\mathbf{0}", "\\mathbb{1}", "\\mathbf{I}") else {term.args[0]}
    if term.kind == "sum":
        return (_letters(term.args[3]) | _letters(term.args[1]) | _letters(term.args[2])) - {term.args[0]}
    if term.kind == "subscript":
        return _letters(term.args[0])
    return set().union(*(_letters(a) for a in term.args)) if term.args else set()


_RELATION_TEXT = {"<=": "\\leq", ">=": "\\geq", "!=": "\\neq"}


def _unify_sides(shapes: Shapes, left, right, transposed: bool = False) -> None:
    if left.number and right.number:
        return
    if left.number or right.number:
        other = right if left.number else left
        shapes.unify(other.rows, shapes.one, " between the sides")
        shapes.unify(other.columns, shapes.one, " between the sides")
        return
    rows, columns = (right.columns, right.rows) if transposed else (right.rows, right.columns)
    shapes.unify(left.rows, rows, " between the sides")
    shapes.unify(left.columns, columns, " between the sides")


# -- repairs ---------------------------------------------------------------------------------------------------------

def _name(text: str) -> Term:
    return Term("name", (text,))


def _transposed(term: Term) -> Term:
    """``term`` transposed, with the transpose pushed onto the letters: (A B)^T = B^T A^T, (A - B)^T = A^T - B^T."""
    kind, args = term.kind, term.args
    if kind == "transpose":
        return args[0]
    if kind == "matmul":  # numbers and fractions stay in front: (c A B)^T = c B^T A^T
        scalars = tuple(a for a in args if a.kind in ("number", "frac"))
        return Term("matmul", scalars + tuple(_transposed(a) for a in reversed(args) if a not in scalars))
    if kind in ("add", "hadamard"):
        return Term(kind, tuple(_transposed(a) for a in args))
    if kind == "neg":
        return Term("neg", (_transposed(args[0]),))
    if kind == "frac":
        return Term("frac", (_transposed(args[0]), args[1]))
    if kind in ("number", "norm") or (kind == "call" and args[0] in ("diag", "tr", "det")):
        return term
    if kind == "call" and args[0] in ("exp", "log", "tanh", "sigma", "relu", "sigma'", "tanh'", "softmax") \
            and args[0] != "softmax":
        return Term("call", (args[0], _transposed(args[1])))
    return Term("transpose", (term,))


def _local_edits(term: Term):
    """(edited term, what the edit does) for each single edit at this node or below it."""
    kind, args = term.kind, term.args
    if kind == "matmul":
        factors = list(args)
        for position in range(len(factors) - 1):
            swapped = factors[:position] + [factors[position + 1], factors[position]] + factors[position + 2:]
            yield Term("matmul", tuple(swapped)), "swap the factors of a product"
        if len(factors) == 2:
            yield Term("hadamard", tuple(factors)), "an element-wise product (⊙) instead of the matrix product"
    if kind == "hadamard":
        yield Term("matmul", args), "the matrix product instead of the element-wise one"
    if kind == "transpose":
        yield args[0], "drop a transpose"
    if kind == "name" and args[0] not in ("e", "I", "\\mathbf{1}"):
        yield Term("transpose", (term,)), "transpose a letter"
    if kind == "add" and len(args) > 1:
        for position in range(len(args)):
            rest = args[:position] + args[position + 1:]
            yield (rest[0] if len(rest) == 1 else Term("add", rest)), "drop a term"
    if kind == "neg":
        yield args[0], "change a sign"
    for position, child in enumerate(args):
        if isinstance(child, Term) and kind not in ("subscript", "sum"):
            for edited, what in _local_edits(child):
                yield Term(kind, args[:position] + (edited,) + args[position + 1:]), what


def _candidates(right: Term, reading: MatrixReading):
    yield _transposed(right), "transpose the right side"
    yield (right.args[0] if right.kind == "neg" else Term("neg", (right,))), "change the sign of the right side"
    for edited, what in _local_edits(right):
        yield edited, what
    for name in sorted(reading.dimensions):
        if not name.isdigit():
            yield Term("matmul", (Term("frac", (Term("number", ("1",)), _name(name))), right)), f"divide by {name}"
            yield Term("matmul", (_name(name), right)), f"multiply by {name}"
    for factor, what in (("2", "double"), ("1/2", "halve")):
        number = Term("number", ("2",)) if factor == "2" else Term("frac", (Term("number", ("1",)), Term("number", ("2",))))
        yield Term("matmul", (number, right)), f"{what} the right side"


def _seems_equal(left: Term, candidate: Term, reading: MatrixReading) -> bool:
    """True when the two sides have one shape and agree at a point at the smallest sizes (a screen, never a proof)."""
    try:
        shapes = Shapes(reading)
        a, b = shapes.infer(left), shapes.infer(candidate)
        _unify_sides(shapes, a, b)
        named, free = _settings(shapes)[0]
        values = Values(reading, shapes, shapes.setting(named, free))
        x, y = values.evaluate(left, {}), values.evaluate(candidate, {})
        if x.shape != y.shape:
            return False
        substitution = _facts(values)
        symbols = sorted((x.free_symbols | y.free_symbols), key=lambda s: s.name)
        point = _point(symbols, 1, values, substitution)
        difference = (x - y).xreplace(substitution).xreplace(point)
        return all(abs(sp.N(d, 20)) < 1e-12 for d in difference)
    except (BindingError, LatexParseError, ShapeError, ValueError, TypeError, ZeroDivisionError, KeyError, IndexError):
        return False


def matrix_repairs(left_text: str, relation: str, right_text: str, reading: MatrixReading, most: int = 2) -> tuple:
    r"""Single edits of the right side of a refuted step (transpose it, swap a product, drop a transpose or a term,
    change a sign, a scale) that make the step proved, each decided like any step.

    >>> from symsoft.meaning.matrices import read_matrices_from_text
    >>> r = read_matrices_from_text(r"Let $A, B \in \mathbb{R}^{n \times n}$.")
    >>> [(p.edit, p.latex) for p in matrix_repairs("(A B)^\\top", "=", "A^\\top B^\\top", r)]
    [('swap the factors of a product', '(A B)^\\top = B^\\top A^\\top')]
    """
    if relation != "=":
        return ()
    left, right = parse_matrix_side(left_text), parse_matrix_side(right_text)
    found, seen = [], set()
    for candidate, what in _candidates(right, reading):
        text = term_latex(candidate)
        if text in seen or candidate == right:
            continue
        seen.add(text)
        if not _seems_equal(left, candidate, reading):
            continue
        try:
            step = decide_matrix_step(1, left_text, "=", text, reading)
        except (BindingError, LatexParseError):
            continue
        if step.status == "proved":
            found.append(Repair(f"{left_text} = {text}", what))
            if len(found) >= most:
                break
    return tuple(found)
