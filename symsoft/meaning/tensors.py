r"""Index notation for any model: tensors with axes and definitions, bound from LaTeX and valued at given sizes.

A *reading* (:class:`Reading`) says what the letters of a document mean: each tensor (``x`` with a
sample superscript and a feature subscript, ``w`` with a feature subscript, the scalar ``b``) has
an axis for each slot, named by its size symbol (``N``, ``D``, ``C``), a domain (real, binary,
positive, a probability vector), and perhaps a definition in index notation
(``z^{(i)} = \sum_{j=1}^D w_j x_j^{(i)} + b``). Pointwise functions (the logistic sigma) are
``Lambda`` objects.

:class:`TensorBinder` gives a parsed side its meaning under a reading: a component is
``Indexed(IndexedBase(key), *indices)`` (a scalar tensor has the one index 0), a derivative is a
:class:`PartialOf` of a component, sums keep their bounds. :func:`instantiate` gives such an
expression its value at given sizes and index values: sums are expanded, defined components are
replaced by their definitions (all the way down to the inputs), and a derivative is taken with its
variable's tensor held as a symbol, then expanded.

>>> from symsoft.parse.latex import parse_side
>>> reading = Reading.empty()
>>> bound = bind_tensor_side(parse_side(r"\sum_{j=1}^D w_j x_j"), reading)
>>> value = instantiate(bound.expr, reading, {"D": 2}, {})
>>> sorted(map(str, value.free_symbols))
['w_{1}', 'w_{2}', 'x_{1}', 'x_{2}']
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.errors import BindingError
from symsoft.parse.latex import (EXPECTATION, GREEK, IMPLICIT_BOUND, Atom, CallNote, DerivativeNote, ParsedSide, called_name,
                                 decorated_name, UNREAD_PRODUCT, over_a_written_range)

#: Domains a tensor's components may have, and the values a counterexample may give them.
#: "outcome": a function of a sum's outcome the document never defines (``\sum_x p(x) \log q(x)``): a distribution
#: or any function, so no proof uses a sum to one and no counterexample chooses its values
DOMAINS = ("real", "positive", "nonnegative", "binary", "probability", "onehot", "unit", "outcome")

#: a letter with a word under it, as the parser names it: ``L_{\text{CE}}``, ``n_{\text{out}}``
WORD_UNDER_LETTER = re.compile(r"[a-zA-Z]_\{\\text\{[A-Za-z]{2,}\}\}")
_SIZE_NAME = re.compile(r"[A-Z]")

class PartialOf(sp.Function):
    """``d f / d v`` as written, for a component ``v`` of a tensor (kept unevaluated until instantiated)."""

    nargs = 2


#: a model's function that the document defines again in a way not read (its uses are unverified)
REDEFINED = "redefined"


@dataclass(frozen=True)
class VectorFunction:
    r"""A function of a whole vector that gives one component, as a document defines it:
    ``\sigma(z)_k = e^{z_k/T} / \sum_c e^{z_c/T}`` is ``VectorFunction(z, k, body)``. Applied to ``v_i`` it is the
    body with the vector ``v`` for ``z`` (its other slots kept) and ``i`` for ``k``.

    >>> z, v, k, i = sp.IndexedBase("z_1"), sp.IndexedBase("v_1"), sp.Symbol("k", integer=True), sp.Symbol("i", integer=True)
    >>> VectorFunction(z, k, 2 * z[k]).at(v[i])
    2*v_1[i]
    """

    vector: sp.IndexedBase
    index: sp.Symbol
    body: sp.Expr

    def at(self, argument: sp.Indexed) -> sp.Expr:
        """The function's value at the component ``argument`` of another vector."""
        body = self.body.replace(lambda e: isinstance(e, sp.Sum), _fresh_bound)  # no capture of the new index
        lead, last = argument.indices[:-1], argument.indices[-1]
        body = body.replace(lambda e: isinstance(e, sp.Indexed) and e.base == self.vector,
                            lambda e: sp.Indexed(argument.base, *lead, *e.indices))
        return body.xreplace({self.index: last})


def _fresh_bound(total: sp.Sum) -> sp.Sum:
    """The sum with its bound indices renamed to fresh integer dummies."""
    mapping = {var: sp.Dummy(var.name, integer=True) for var, *_ in total.limits}
    return total.xreplace(mapping)


class SoftmaxAlong(sp.Function):
    """The softmax of a vector along the axis of its last slot, at one component: ``e^{z_k} / sum_c e^{z_c}``."""

    nargs = 1


@dataclass(frozen=True)
class TensorSpec:
    r"""A tensor of the reading: its key, the LaTeX of its base, its axes, domain and definition.

    ``key`` names the tensor with the number of its slots (``x^1_1`` is ``x`` with a sample
    superscript and one subscript); ``definition`` is ``(parameters, body)`` in index notation;
    ``declared`` says the document or the model introduced it (an input of the model), so that a
    derivative may treat it as independent of the variable.
    """

    key: str
    base: str
    axes: tuple[str | None, ...] = ()
    domain: str = "real"
    definition: tuple | None = field(default=None, compare=False)
    declared: bool = False
    origin: str = ""
    #: the document defines it in a way not read: a proof may treat it as any number, a counterexample never
    #: chooses its value, and no derivative passes through it
    opaque: bool = False
    #: the keys of its parameters when the document defines it as a function, ``\ell(a, y) = ...``: written bare,
    #: it is its definition at these letters; applied to other arguments, they replace them
    call_parameters: tuple = ()
    #: which of them the definition writes squared, ``L(\mu, \sigma^2)``: applied at ``\sigma^2`` it is itself
    call_squared: tuple = ()
    #: the document's constant indices its definition names besides its parameters, with their axes:
    #: ``t_k = (1 - \epsilon) \delta_{k c^*} + \epsilon / C`` has ``(c*, class)``; a step that uses it tries them
    #: like its own free indices
    constants: tuple = ()
    #: components the document fixes, ``x_0^{(i)} = 1``: ``((slot positions, None for any), value)`` pairs
    fixed: tuple = ()
    #: the key of the component it is a function of, ``x^1`` for ``h_\theta(x^{(i)})``: written applied to that
    #: component, it is its own component at the same indices
    argument: str = ""
    #: the keys of the tensors it is an unknown function of, for one equation (:class:`OpenDependence`): every
    #: component of it is a function nothing defines of every component of those, so a proof holds whatever the
    #: dependence is, and no counterexample is ever built on it
    open_in: tuple = ()
    #: for a tensor it is opened in whose axes are not known (``w_{1,1}`` with no range for either index): the
    #: components the equation names, ``((key, positions), ...)``; it is a function of those (the equation
    #: differentiates by no other, so the others stay fixed in every derivative it takes)
    open_at: tuple = ()
    #: opened although the document writes it (a definition set aside, or one not read): then it keeps every
    #: dependence it is opened in, never read as a function of one quantity only (the chain rule's reading)
    written: bool = False


#: the elementary functions whose derivative a prime may name (``\tanh'(a)``)
_ELEMENTARY = {"\\tanh": sp.tanh, "\\sinh": sp.sinh, "\\cosh": sp.cosh, "\\exp": sp.exp, "\\log": sp.log,
               "\\sin": sp.sin, "\\cos": sp.cos}


class OpenDependence(BindingError):
    r"""A quantity is differentiated with respect to a variable, and the document does not say how it depends on it
    (it never defines it, defines it in a way not read, or defines it without the variable): ``key`` and
    ``variable``, the keys of the two. The caller may read the equation again with the quantity an unknown function
    of the variable (:func:`opened`): what is then proved holds for every dependence; nothing is refuted on it.
    """

    def __init__(self, message: str, text: str, key: str, variable: str) -> None:
        super().__init__(message, text)
        self.key, self.variable = key, variable

    def __reduce__(self):
        return (OpenDependence, (self.args[0], self.args[1] if len(self.args) > 1 else "", self.key, self.variable))


#: the name of the unknown function that stands for an opened quantity (see :class:`OpenDependence`)
OPEN_PREFIX = "open:"


def opened(reading: Reading, key: str, variable: str) -> Reading:
    r"""``reading`` with the quantity ``key`` an unknown function of every component of ``variable`` (its definition,
    if any, set aside for this equation).

    >>> r = opened(Reading.empty(), "L", "z_1")
    >>> r.tensors["L"].open_in, r.tensors["L"].definition is None
    (('z_1',), True)

    A quantity the document defines from the variable takes the variable's place (the chain rule's reading), for a
    quantity the document never writes (one defined from other letters keeps every dependence):

    >>> r = Reading.empty().with_tensor(TensorSpec("y", "y", (), definition=((), 2 * component("w"))))
    >>> opened(opened(r, "L", "w"), "L", "y").tensors["L"].open_in
    ('y',)
    """
    spec = reading.tensors.get(key) or TensorSpec(key, re.split(r"[_^]", key)[0], ())
    if variable in spec.open_in:
        return reading
    written = spec.written or spec.definition is not None or spec.opaque or spec.declared
    every = {*spec.open_in, variable}  # opened in y-hat, y-hat defined from w: a function of y-hat alone, through
    kept = [v for v in every if written or not opened_through(replace(spec, open_in=tuple(every - {v})), v, reading)]
    return reading.with_tensor(replace(spec, definition=None, opaque=False, declared=False, written=written,
                                       open_in=tuple(sorted(kept or every))))


def opened_in(spec, variable: str, reading: "Reading") -> bool:
    """Whether the opened quantity ``spec`` is a function of ``variable``: opened in it, or through a quantity the
    document defines from it (:func:`opened_through`)."""
    return spec is not None and (variable in spec.open_in or opened_through(spec, variable, reading))


def opened_through(spec, variable: str, reading: "Reading") -> bool:
    r"""Whether the opened quantity ``spec`` depends on ``variable`` through a quantity it is opened in that the
    document defines from the variable (L opened in \hat{y}, \hat{y} = \sigma(z), z = w x + b: L depends on w).

    >>> r = Reading.empty().with_tensor(TensorSpec("y", "y", (), definition=((), 2 * component("w"))))
    >>> r = opened(r, "L", "y")
    >>> opened_through(r.tensors["L"], "w", r), opened_through(r.tensors["L"], "x", r)
    (True, False)
    """
    if spec is None or not spec.open_in or spec.written:
        return False
    reached = definitions_reached([key for key in spec.open_in if key != variable], reading)
    return any(str(part.base) == variable for found in reached for part in sp.sympify(found.definition[1]).atoms(
        sp.Indexed))


@dataclass(frozen=True)
class Reading:
    """What the letters of one document mean: tensors, pointwise functions, size symbols, constant domains."""

    tensors: dict = field(default_factory=dict, hash=False)
    functions: dict = field(default_factory=dict, hash=False)
    sizes: frozenset = frozenset()
    minimum: dict = field(default_factory=dict, hash=False)
    facts: tuple = ()
    #: sizes the document fixes ("for $C = 2$ classes"): only these are checked, and the verdict says so
    fixed: dict = field(default_factory=dict, hash=False)
    #: bases written with a letter superscript somewhere (x^{(i)}): there, a numbered superscript is an index; and
    #: ``a_#`` for a base written only with numbered subscripts (``a_1 = f(m_1 x_1)``): each ``a_1`` is a scalar
    lettered: frozenset = frozenset()
    #: the statements of the prose applied as domains (``0 < p < 1``): a step under such a condition is checked under it
    assumptions: frozenset = frozenset()
    #: axes whose positions start at 0 (the document names ``\theta_0`` or sums from 0), not at 1
    zero_based: frozenset = frozenset()
    #: axes with an intercept at position 0 beside sums from 1 (``\beta_0 + \sum_j \beta_j x_{ij}``): position 0 exists,
    #: but sums and letter indices run from 1
    intercepts: frozenset = frozenset()
    #: the document writes indices as superscripts (``\sum_j (e^z)^j``): no superscript is read as a power
    superscript_indices: bool = False
    #: letters written in parentheses above another letter (``p^{(k)}``) that the document also gives a value as a
    #: quantity (``k = \sum_i x_i``), never summing over them: such a superscript may be a power, never read as an index
    valued_letters: frozenset = frozenset()
    #: index letters that name one fixed position, never summed (the true class y in ``L = -\log \sigma(z_y)``): read
    #: as the constant index ``y*`` everywhere, as ``c^*`` is
    constant_letters: frozenset = frozenset()
    #: letters the prose says are probability vectors ("y is one-hot") that no tensor of the reading could take
    #: as a domain: a counterexample that gives them values proves nothing
    unapplied: frozenset = frozenset()
    #: the document applies sigma (``\sigma(z)``, ``\sigma_i``, ``\sigma'``); when it never does, sigma is a number (a
    #: standard deviation)
    sigma_applied: bool = True
    #: the document names an activation other than the sigmoid and tanh (linear, ReLU, softplus, ...): a function it
    #: leaves open may be that one, so a step about it is never refuted with the sigmoid or tanh in its place
    other_activation: bool = False
    #: the prose says its vectors are rows ("we use row vectors"): ``s^T s`` is then an outer product
    row_vectors: bool = False
    #: quantities a later display defines again from other letters altogether (a new section, a new example): each
    #: ``(key, line of the first definition, line of the new one)``; from that line on the new one holds
    redefinitions: tuple = ()
    #: lines of displays that show another version of a quantity beside the one in force ("compare this to the cost
    #: without regularization: J = ..."): definitions of that display alone, never read in place of the one in force
    variants: tuple = ()
    #: ``(key, line, zero line)``: a display ``b_1 = ...`` after the display on ``zero line`` set an equation in b_1 to
    #: zero: the solution; those not shown to solve the equations set to zero above it (``check._solves_above``)
    #: define b_1 from ``line`` on only (the displays before it are read without them)
    solutions: tuple = ()
    #: ``(key, line)``: each quantity a display sets to zero in an equation (``\sum_i (y_i - b_0 - b_1 x_i) = 0``),
    #: with the first such line: an unknown the text solves for, whose value a claim before it may assume
    unknowns: tuple = ()
    #: quantities a sentence defines again after their first definition (``(key, LaTeX)``, "we'll let $\eta =
    #: \theta^T x$" after the display $\eta = \log \lambda$): the first one holds; unless the second is proved
    #: from it, nothing is refuted that rests on it
    defined_twice: tuple = ()
    #: ``(key, (line, LaTeX))``: the first display or inline formula that writes each quantity
    first_written: tuple = ()
    #: ``(a, b, line)``: a sum over ``a \neq b`` the document writes on that line (a display after it about a_t and
    #: a_i may mean t ≠ i)
    unequal_indices: tuple = ()
    #: ``(key, ((guard, value), ...))``: a function defined by cases of its variable's sign (``f(x) = x`` if x > 0,
    #: ``\alpha x`` otherwise): opaque, and read as the row's value in a claim made under that row's guard
    piecewise: tuple = ()
    #: the prose says repeated indices are summed (the Einstein convention)
    einstein: bool = False
    #: ``(key, index)`` for one equation that differentiates with respect to a whole vector the document writes by
    #: its components (``\frac{\partial L}{\partial w}`` beside ``w_j``): the equation is read component by
    #: component, the derivative and every vector written bare beside it at the index named ``index``
    gradient: tuple = ()

    @staticmethod
    def empty() -> "Reading":
        """A reading that defines nothing (every letter is an input).

        >>> Reading.empty().tensors
        {}
        """
        return Reading()

    def with_tensor(self, spec: TensorSpec) -> "Reading":
        """This reading with ``spec`` added (or replacing the tensor of the same key).

        >>> Reading.empty().with_tensor(TensorSpec("b", "b")).tensors["b"].base
        'b'
        """
        return replace(self, tensors={**self.tensors, spec.key: spec})


def numbered_name(subscripts: tuple, names) -> bool:
    """Whether ``subscripts`` name one unit rather than index a vector: all numbers (``m_7``, ``w_{1,1}``), a letter of
    :func:`unit_name_letters` and a number (``a_{o1}``), or such a capital alone (``E_T``).

    >>> numbered_name(("o", "1"), {"%o"}), numbered_name(("T",), {"%T"}), numbered_name(("i", "1"), {"%o"})
    (True, True, False)
    """
    if all(s.isdigit() for s in subscripts):
        return True
    if len(subscripts) == 2 and subscripts[1].isdigit():
        return "%" + subscripts[0] in names
    return len(subscripts) == 1 and subscripts[0].isupper() and "%" + subscripts[0] in names


def atom_parts(atom: Atom, lettered: frozenset = frozenset()) -> tuple[str, tuple, tuple]:
    r"""An atom's base, superscripts and subscripts, a numbered superscript folded into the base as a layer.

    ``\delta^{(2)}_k`` is the k-th component of a quantity called ``\delta^{(2)}`` (the second layer's),
    unless the same letter is written elsewhere with a letter superscript (``x^{(i)}``: samples).

    >>> from symsoft.parse.latex import parse_side
    >>> atom = next(iter(parse_side(r"\delta^{(2)}_k").placeholders.values()))
    >>> atom_parts(atom)
    ('\\delta^{(2)}', (), ('k',))
    >>> atom_parts(next(iter(parse_side(r"m_{7}").placeholders.values())), frozenset({"m_#"}))
    ('m_{7}', (), ())
    """
    base = re.sub(r"\s+", "", atom.base)
    superscripts = atom.superscripts
    subscripts = atom.subscripts
    if subscripts and base + "_#" in lettered and numbered_name(subscripts, lettered):
        joined = ",".join(subscripts) if all(s.isdigit() for s in subscripts) else "".join(subscripts)
        base, subscripts = base + "_{" + joined + "}", ()  # m_7, a_{o1}, E_T in a network of named scalars
    if subscripts and not superscripts and base.rstrip("'") + "_@" in lettered \
            and not (base == "\\delta" and len(subscripts) == 2):
        if all(re.fullmatch(r"[a-zA-Z]", s) for s in subscripts):  # the letters name the layer: a_j, w_{jk}
            return base + "_{" + "".join(subscripts) + "}", (), subscripts
        return base + "_{?}", (), subscripts  # a_1 where the letters name layers: which layer is not read
    if superscripts and not subscripts and all("^" + s in lettered for s in superscripts):
        return base + "^{(" + ",".join(superscripts) + ")}", (), ()  # a^{(l)} where l names the layer: one quantity
    if superscripts and all(s.isdigit() for s in superscripts) and base not in lettered:
        return base + "^{(" + ",".join(superscripts) + ")}", (), subscripts
    return base, superscripts, subscripts


def capital_factor(expr: sp.Expr, undefined: set):
    """A member of ``undefined`` (capital letters no one defines: perhaps matrices) multiplied by something that is
    not a number (``AB``, ``X w_j``), or None. Both readings use it: such a product is never read as scalars.

    >>> A, B = sp.symbols("A B")
    >>> capital_factor(A * B, {A, B}), capital_factor(2 * A, {A}), capital_factor(A / 2 + 1, {A})
    (A, None, None)
    """
    if not undefined:
        return None
    for product in sorted(expr.atoms(sp.Mul), key=sp.default_sort_key):  # in order: the same letter named each run
        factors = [f.base if isinstance(f, sp.Pow) and f.exp.is_positive else f for f in product.args]
        hits = [f for f in factors if f in undefined]
        others = [f for f in product.args if not f.is_number and not (isinstance(f, sp.Pow) and f.exp.is_positive
                                                                          and f.base in hits) and f not in hits]
        if hits and (others or len(hits) > 1):
            return hits[0]
    return None


def bare_key(name: str) -> str:
    r"""The key of a letter written alone, as the parser names it: ``\theta`` and ``theta`` are ``theta``,
    ``\sigma`` and ``sigma`` are ``\sigma``, ``\ell`` stays ``\ell``.

    >>> bare_key("\\theta"), bare_key("sigma"), bare_key("\\ell"), bare_key("J")
    ('theta', '\\sigma', '\\ell', 'J')
    >>> bare_key(r"\mathit{DsubFLDL}")  # L_{FL}(p, y): the name the letter is shown with
    'L_{\\text{FL}}'
    """
    if name.startswith("\\mathit{D"):
        return decorated_name(name)
    plain = name.lstrip("\\")
    if plain in GREEK:
        return plain
    if re.fullmatch(r"[a-zA-Z]{2,}", plain):
        return "\\" + plain
    return name


def tensor_key(base: str, superscripts: int, subscripts: int) -> str:
    """The key of a tensor: its base and the number of superscript and subscript slots.

    >>> tensor_key("x", 1, 1), tensor_key("b", 0, 0)
    ('x^1_1', 'b')
    """
    return base + (f"^{superscripts}" if superscripts else "") + (f"_{subscripts}" if subscripts else "")


def component(key: str, *indices) -> sp.Indexed:
    """The component of tensor ``key`` at ``indices`` (a scalar tensor has the single index 0).

    >>> component("b")
    b[0]
    """
    # the label is a real symbol, never equal to the plain letter the LaTeX parser gives
    return sp.Indexed(sp.IndexedBase(sp.Symbol(key, real=True)), *(indices or (sp.Integer(0),)))


def index_symbol(name: str) -> sp.Symbol:
    """The index called ``name``.

    >>> index_symbol("j").is_integer
    True
    """
    return sp.Symbol(name, integer=True)


def size_symbol(name: str) -> sp.Symbol:
    """The size of an axis, ``N`` (a positive integer).

    >>> size_symbol("N").is_positive
    True
    """
    return sp.Symbol(name, integer=True, positive=True)


@dataclass(frozen=True)
class BoundTensorSide:
    """A side with its meaning under a reading: the expression, the axis of each index, findings."""

    text: str
    expr: sp.Expr
    kinds: dict = field(default_factory=dict, hash=False)
    findings: tuple = ()
    #: indices that fill slots of two axes (``x_j W_{kj}`` with j over D and over H), with those axes: such a side is
    #: only bound when asked (``two_axes=True``); a step holding one is never proved, only refuted
    two_axes: dict = field(default_factory=dict, hash=False)


def _base_name(atom_base: str) -> str:
    return re.sub(r"\s+", "", atom_base)


def _quantities_in(side: ParsedSide) -> frozenset:
    r"""The letters a side uses as quantities: its plain symbols, and those of every argument of its calls
    (``x`` in ``\sigma(\beta x) + x (1 - y)``).

    >>> from symsoft.parse.latex import parse_side
    >>> sorted(_quantities_in(parse_side(r"\sigma(\beta x) + x (1 - y)")))
    ['beta', 'x', 'y']
    """
    names = {symbol.name for symbol in side.expr.free_symbols if symbol not in side.placeholders}
    for note in side.placeholders.values():
        if isinstance(note, CallNote):
            names |= _quantities_in(note.argument)
        elif isinstance(note, Atom) and not note.subscripts and not note.superscripts:
            names.add(note.base)
    return frozenset(names)


_VECTOR_DECORATION = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|bf)\{(\\?[a-zA-Z]+)\}")


def vector_of(name: str, reading: Reading) -> TensorSpec | None:
    r"""The vector a letter written bare names where the document writes only its components (``w`` or
    ``\mathbf{w}`` beside ``w_j``): its one tensor of one axis, when the bare letter is no quantity, size or function
    of its own; else None.

    >>> r = Reading.empty().with_tensor(TensorSpec("w_1", "w", ("D",), declared=True))
    >>> vector_of("w", r).key, vector_of(r"\mathbf{w}", r).key, vector_of("x", r)
    ('w_1', 'w_1', None)
    """
    plain = _VECTOR_DECORATION.fullmatch(name)
    letter = plain.group(1) if plain else name
    if any(written in reading.tensors or written in reading.sizes or written in reading.functions
           for written in {name, letter, letter.lstrip("\\"), "\\" + letter.lstrip("\\")}):
        return None
    found = [spec for spec in reading.tensors.values() if spec.base.lstrip("\\") == letter.lstrip("\\")]
    if len(found) != 1 or len(found[0].axes) != 1 or found[0].call_parameters or found[0].opaque:
        return None
    return found[0]


def whole_vector(sides, reading: Reading) -> TensorSpec | None:
    r"""The one vector the derivatives of ``sides`` are taken with respect to as a whole, where the document writes
    it by its components (see :func:`vector_of`); None when there is none, or more than one.

    >>> from symsoft.parse.latex import parse_side
    >>> r = Reading.empty().with_tensor(TensorSpec("w_1", "w", ("D",), declared=True))
    >>> whole_vector([parse_side(r"\frac{\partial L}{\partial w}")], r).key
    'w_1'
    """
    found = set()

    def walk(side: ParsedSide) -> None:
        for note in side.placeholders.values():
            if isinstance(note, DerivativeNote):
                variable = note.variable.expr
                if isinstance(variable, sp.Symbol) and not note.variable.placeholders:
                    spec = vector_of(variable.name, reading)
                    if spec is not None:
                        found.add(spec.key)
                walk(note.operand)
            elif isinstance(note, CallNote):
                walk(note.argument)

    for side in sides:
        walk(side)
    return reading.tensors[found.pop()] if len(found) == 1 else None


class TensorBinder:
    """Gives the placeholders of a parsed side their meaning under a reading (see :func:`bind_tensor_side`)."""

    def __init__(self, reading: Reading, undeclared_ok: bool = False) -> None:
        self.reading = reading
        self.slots: list[tuple[sp.Symbol, str, int]] = []  # (index, tensor key, slot)
        self.findings: list[str] = []
        self.undeclared_ok = undeclared_ok
        self.used: set[str] = set()  # tensor keys that occur
        self.families: set[str] = set()  # the functions g_k of a family (any function each), by name
        self.quantities_here: frozenset = frozenset()  # letters the side being bound uses as quantities
        self.depth = 0  # 1 while the side itself is bound, more inside a derivative or an argument
        #: ``(quantity, bracket)`` when the last call read was a quantity times a bracket (``y(1 - y)``): a power
        #: written after it is the bracket's (``y(1 - y)^2``)
        self.bracket: tuple | None = None

    # -- atoms and symbols -------------------------------------------------------------------
    def _index(self, name: str) -> sp.Expr:
        if re.fullmatch(r"[0-9]+", name):
            return sp.Integer(int(name))
        if re.fullmatch(r"[a-zA-Z]\*?", name):
            if name in self.reading.sizes:
                return size_symbol(name)  # x_D: the last feature
            if name in self.reading.constant_letters:
                return index_symbol(name + "*")  # the true class y: one fixed position
            return index_symbol(name)
        shifted = re.fullmatch(r"([lL])([+-])1", name)  # a^{(l-1)}: the layer before layer l
        if shifted:
            return self._index(shifted.group(1)) + (1 if shifted.group(2) == "+" else -1)
        raise BindingError(f"the index {name!r} is not a single letter or a number", name)

    def atom(self, atom: Atom) -> sp.Expr:
        base, superscripts, subscripts = atom_parts(atom, self.reading.lettered)
        delta = self.reading.tensors.get(tensor_key(base, 0, 2))
        if base == "\\delta" and len(subscripts) == 2 and not superscripts \
                and (delta is None or delta.definition is None):
            a, b = (self._index(s) for s in subscripts)
            if isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol):
                self.slots.append((a, "\\delta", 0))
                self.slots.append((b, "\\delta", 0))
            return sp.KroneckerDelta(a, b)
        if base.endswith("_{?}"):
            raise BindingError(f"{atom.text}: the document's index letters name its layers, and a numbered component"
                               " names none", atom.text)
        key = tensor_key(base, len(superscripts), len(subscripts))
        named = f"{base}_{subscripts[0]}" if len(subscripts) == 1 and not superscripts else ""
        if named in self.reading.sizes:
            return size_symbol(named)  # \sum_{j=1}^{N_1}: a size (see reading._subscripted_size)
        if key not in self.reading.tensors and len(subscripts) == 1 and re.fullmatch(r"[1-9]{2}", subscripts[0]) \
                and tensor_key(base, len(superscripts), 2) in self.reading.tensors:
            subscripts = tuple(subscripts[0])  # W_{11} where the document writes W_{ik}: the entry (1, 1)
            key = tensor_key(base, len(superscripts), 2)
        self._primed(base, key)
        if key not in self.reading.tensors and base in self.reading.functions and subscripts \
                and not (base == "\\sigma" and not self.reading.sigma_applied):  # \sigma_1, no \sigma(...): a number
            raise BindingError(f"{atom.text} is written without an argument, and the document uses {base} as a function:"
                               " which argument it is taken at is not read", atom.text)
        if superscripts and set(superscripts) & self.reading.valued_letters:
            raise BindingError(f"{atom.text}: the document gives {', '.join(sorted(set(superscripts)))} a value as a "
                               "quantity, so the superscript may be a power, not an index", atom.text)
        indices = [self._index(s) for s in (*superscripts, *subscripts)]
        for slot, idx in enumerate(indices):
            if isinstance(idx, sp.Symbol) and idx.is_integer and not idx.is_positive:
                self.slots.append((idx, key, slot))
        self.used.add(key)
        return component(key, *indices)

    def _mean_of(self, name: str) -> sp.Expr | None:
        r"""``\bar{x}``, ``\overline{x^2}``, ``\overline{xy}``: the mean over their axis of a product of data the
        document writes with one index and never defines (``x_i``, ``y_i``, on one axis), the statistician's
        meaning of the bar, or None.

        >>> r = Reading.empty().with_tensor(TensorSpec("x_1", "x", ("n",))).with_tensor(TensorSpec("y_1", "y", ("n",)))
        >>> TensorBinder(r)._mean_of(r"\overline{x^2y}"), TensorBinder(r)._mean_of(r"\overline{xz}")
        (Sum(x_1[_j]**2*y_1[_j], (_j, 1, n))/n, None)
        """
        written = re.fullmatch(r"\\(?:overline|bar)\{((?:\s*[a-zA-Z](?:\s*\^\s*\{?\s*[0-9]\s*\}?)?){1,3})\s*\}", name)
        if written is None:
            return None
        factors = re.findall(r"([a-zA-Z])(?:\s*\^\s*\{?\s*([0-9]))?", written.group(1))
        data = [self.reading.tensors.get(tensor_key(letter, 0, 1)) for letter, _power in factors]
        if any(spec is None or len(spec.axes) != 1 or not spec.axes[0] or spec.definition is not None or spec.opaque
               for spec in data) or len({spec.axes[0] for spec in data}) != 1:
            return None
        axis = data[0].axes[0]
        low = 0 if axis in self.reading.zero_based else 1
        position = sp.Dummy("j", integer=True)
        product = sp.Mul(*(component(spec.key, position) ** int(power or 1) for spec, (_l, power) in zip(data, factors)))
        return sp.Sum(product, (position, low, size_symbol(axis) - 1 + low)) / size_symbol(axis)

    def _primed(self, base: str, key: str) -> None:
        """A primed letter is another quantity only where the document defines it and the unprimed letter is an
        input or defined too (``w_j' = w_j - \\alpha g_j``), or defines it by a formula that is no derivative
        (``y' = \\sigma(z)``, the output beside the target y); else ``e_i'`` may be the derivative of ``e_i``."""
        if "'" not in base:
            return
        spec = self.reading.tensors.get(key)
        unprimed = self.reading.tensors.get(key.replace("'", ""))
        unknown = unprimed is None or not (unprimed.declared or unprimed.definition is not None)
        if spec is None or spec.definition is None or (unknown and spec.definition[1].has(PartialOf, sp.Derivative)):
            raise BindingError(f"{base} is not read: the document does not define both it and {base.rstrip(chr(39))}"
                               " (a prime may mean a derivative)", base)

    def symbol(self, name: str) -> sp.Expr:
        if name in self.reading.sizes:
            return size_symbol(name)
        key = name
        self._primed(name, key)
        self.used.add(key)
        return component(key)

    # -- the side ------------------------------------------------------------------------------
    def side(self, side: ParsedSide) -> sp.Expr:
        outer = self.quantities_here
        self.quantities_here = outer | _quantities_in(side)
        self.depth += 1
        try:
            return self._side(side)
        finally:
            self.quantities_here = outer
            self.depth -= 1

    def _side(self, side: ParsedSide) -> sp.Expr:
        mapping: dict[sp.Symbol, sp.Expr] = {}
        heads = {sp.Symbol(e.func.__name__) for e in side.expr.atoms(AppliedUndef)}
        families = {placeholder: note for placeholder, note in side.placeholders.items()
                    if placeholder in heads and isinstance(note, Atom) and self._family(note)}
        for placeholder, note in side.placeholders.items():
            if isinstance(note, Atom) and placeholder not in families:
                mapping[placeholder] = self.atom(note)
        brackets = {}
        for placeholder, note in side.placeholders.items():
            if isinstance(note, CallNote):
                mapping[placeholder] = self.call(note.name, [self.side(note.argument)], note.text)
                if self.bracket is not None and note.powered:
                    brackets[placeholder] = self.bracket
        for placeholder, note in side.placeholders.items():
            if isinstance(note, DerivativeNote):
                mapping[placeholder] = self.derivative(note)
        expr = side.expr
        if families:
            expr = expr.replace(lambda e: isinstance(e, AppliedUndef) and sp.Symbol(e.func.__name__) in families,
                                lambda e: self._family_call(families[sp.Symbol(e.func.__name__)],
                                                            [self.meaning(a.xreplace(mapping)) for a in e.args]))
        if brackets:  # y(1 - y)^2: y times the bracket squared, never (y (1 - y))^2
            expr = expr.replace(lambda e: e.is_Pow and e.base in brackets and e.exp.is_Integer and e.exp > 0,
                                lambda e: brackets[e.base][0] * brackets[e.base][1] ** e.exp)
            if any(symbol in brackets for symbol in expr.free_symbols):  # 1/y(1 - y)^2: which power is whose
                raise BindingError("a quantity times a bracket with a power after it, in a quotient: whether the power"
                                   " is the bracket's alone is not read", side.text)
        if any(e.is_Pow and isinstance(e.base, AppliedUndef) and sp.Symbol(e.base.func.__name__) in mapping
               and self._times_bracket(mapping[sp.Symbol(e.base.func.__name__)], e.base.args) for e in expr.atoms(sp.Pow)):
            raise BindingError("b_1(x)^2 with b_1 a number: whether the power is the bracket's or the product's is not"
                               " read", side.text)
        if any(isinstance(e, AppliedUndef) and sp.Symbol(e.func.__name__) in mapping for e in expr.atoms(AppliedUndef)):
            expr = expr.replace(lambda e: isinstance(e, AppliedUndef) and sp.Symbol(e.func.__name__) in mapping,
                                lambda e: self._component_called(mapping[sp.Symbol(e.func.__name__)], e.args,
                                                                 side.placeholders[sp.Symbol(e.func.__name__)]))
        expr = expr.xreplace(mapping)
        if self.reading.gradient and self.depth == 1:
            expr = self._vectors_by_component(expr)
        return self.meaning(expr)

    def _gradient_component(self, spec: TensorSpec) -> sp.Indexed:
        """The component of vector ``spec`` at the index the equation is read at (see ``Reading.gradient``)."""
        index = index_symbol(self.reading.gradient[1])
        self.slots.append((index, spec.key, 0))
        self.used.add(spec.key)
        return component(spec.key, index)

    def _vectors_by_component(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with each vector written bare (outside every argument) read as its component at the index the
        equation is read at, when it runs along the same axis as the vector the equation differentiates by."""
        held = sp.sympify(expr).replace(lambda e: isinstance(e, AppliedUndef), lambda e: sp.Dummy())
        inside = set().union(*(e.free_symbols for e in sp.sympify(expr).atoms(AppliedUndef)))
        target = self.reading.tensors[self.reading.gradient[0]]
        replacements = {}
        for symbol in sorted(held.free_symbols - inside, key=str):
            if not isinstance(symbol, sp.Symbol) or symbol.is_integer or symbol.is_real:
                continue
            spec = vector_of(symbol.name, self.reading)
            if spec is not None and (spec.key == target.key or (spec.axes[0] is not None
                                                                  and spec.axes[0] == target.axes[0])):
                replacements[symbol] = self._gradient_component(spec)
        return expr.xreplace(replacements) if replacements else expr

    def _times_bracket(self, value: sp.Expr, arguments: tuple) -> bool:
        """Whether a numbered letter written before a bracket, ``b_1(\\bar{x})``, is a number the document defines
        (or declares) times the bracket: one argument that is no bare letter, or a mean written with a bar."""
        spec = self.reading.tensors.get(str(value.base)) if isinstance(value, sp.Indexed) else None
        return (spec is not None and not spec.call_parameters and (spec.definition is not None or spec.declared)
                and spec.axes == () and len(arguments) == 1
                and (not isinstance(arguments[0], (sp.Symbol, sp.Indexed))
                     or re.match(r"\\(?:bar|overline)\{", str(arguments[0])) is not None))

    def _component_called(self, value: sp.Expr, arguments: tuple, note: Atom) -> sp.Expr:
        """``f_i(m, b)`` where the document defines ``f_i(m, b) = ...``: the component ``f_i`` (called with its own
        parameters, as defined); anything else is refused."""
        spec = self.reading.tensors.get(str(value.base)) if isinstance(value, sp.Indexed) else None
        if spec is not None and spec.definition is not None and spec.call_parameters \
                and tuple(a.name if isinstance(a, sp.Symbol) else None for a in arguments) == spec.call_parameters:
            return value
        if self._times_bracket(value, arguments):
            return value * arguments[0]  # b_1(\bar{x}), b_1 a number the document defines: b_1 times a bracket
        raise BindingError(f"{note.text}(...) is written like a function, but the document does not define it as one"
                           " of these arguments", note.text)

    def call(self, name: str, arguments: list, text: str) -> sp.Expr:
        self.bracket = None  # the arguments are read: a call inside them says nothing about this one
        second = re.fullmatch(r"\\mathit\{DsecondD([A-Za-z]+)\}", name)
        if second and len(arguments) == 1:  # f''(a): the derivative of f', at a
            letter = second.group(1) if len(second.group(1)) == 1 else "\\" + second.group(1)
            u = sp.Dummy("u", real=True)
            at_u = self.call(f"\\mathit{{DderivD{second.group(1)}}}", [u], text)
            if at_u.atoms(AppliedUndef) or at_u.has(sp.Subs) or not at_u.has(u):
                raise BindingError(f"{letter}'' is the second derivative of {letter}, which the document does not define"
                                   " as a function read here", text)
            return sp.diff(at_u, u).subs(u, arguments[0])
        derived = re.fullmatch(r"\\mathit\{DderivD([A-Za-z]+)\}", name)
        if derived and len(arguments) == 1:  # f'(a): the derivative of f, at a
            letter = derived.group(1) if len(derived.group(1)) == 1 else "\\" + derived.group(1)
            primed = self.reading.tensors.get(letter + "'")
            if primed is not None and primed.definition is not None and letter not in self.reading.functions and (
                    not self._unknown_function(letter) or arguments[0].has(component(letter + "'"))):
                return self.symbol(letter + "'") * arguments[0]  # y'(1 - y'): the quantity y' the document defines
            u = sp.Dummy("u", real=True)
            known = _ELEMENTARY.get(letter)
            if known is not None:  # \tanh'(a): the derivative of an elementary function
                return sp.diff(known(u), u).subs(u, arguments[0])
            at_u = self.call(letter, [u], text)
            if not at_u.has(u) and letter not in self.reading.functions:  # f not read as a function: f' is not 0
                raise BindingError(f"{letter}' is the derivative of {letter}, which the document does not define as a"
                                   " function read here", text)
            if at_u.atoms(AppliedUndef):  # f any function: f'(a) kept held, a gets its value later
                return sp.Subs(sp.diff(at_u, u), u, arguments[0])
            return sp.diff(at_u, u).subs(u, arguments[0])
        function = self.reading.functions.get(name)
        if function == REDEFINED:
            raise BindingError(f"the document defines {name} anew (with a constant of its own), which is not read yet",
                               text)
        if isinstance(function, VectorFunction):
            argument = arguments[0] if len(arguments) == 1 else None
            if not isinstance(argument, sp.Indexed) or argument.indices == (sp.Integer(0),):
                raise BindingError(f"{name} is applied to {sp.sstr(argument)}: as the document defines it, it needs one"
                                   " component of a vector", text)
            return function.at(argument)
        if isinstance(function, sp.Lambda) and len(function.variables) == len(arguments) > 1:
            return function(*arguments)  # Cost(h, y) the document defines at its own arguments
        if function is not None and len(arguments) == 1:
            if function == "softmax":
                argument = arguments[0]
                if not isinstance(argument, sp.Indexed) or argument.indices == (sp.Integer(0),):
                    raise BindingError(f"{name} is applied to {sp.sstr(argument)}: the softmax needs one component of a"
                                       " vector", text)
                return SoftmaxAlong(argument)
            return function(arguments[0])
        applied = self._of_a_component(name, arguments, text)
        if applied is not None:
            return applied
        key = bare_key(name)
        if key not in self.reading.tensors and called_name(name) in self.reading.tensors:
            key = called_name(name)  # h_\theta(x^{(i)}) after h_{\theta} = ...
        numbered = re.fullmatch(r"(\\?[a-zA-Z]+)_\{?([0-9]+)\}?", name) if key not in self.reading.tensors else None
        if numbered and f"{numbered.group(1)}_{{{numbered.group(2)}}}" in self.reading.tensors:
            key = f"{numbered.group(1)}_{{{numbered.group(2)}}}"  # b_1(\bar{x})^2: the number b_{1} times a bracket
        spec = self.reading.tensors.get(key)
        if spec is not None and spec.call_parameters:
            return self._applied(spec, arguments, text)
        at = self._at_another_input(spec, arguments)
        if at is not None:
            return at
        if spec is not None and (spec.definition is not None or spec.opaque) and all(
                isinstance(a, (sp.Indexed, sp.Symbol)) for a in arguments):
            return self.symbol(key)  # J(w, b) is J
        if spec is not None and not spec.opaque and len(arguments) == 1 \
                and not isinstance(arguments[0], (sp.Indexed, sp.Symbol)):
            self.bracket = (self.symbol(key), arguments[0])
            return self.symbol(key) * arguments[0]  # y (1 - \hat{y}), a(1 - a): a quantity times a bracket
        if spec is None and name in self.quantities_here and len(arguments) == 1 and re.fullmatch(r"[a-z]", name) \
                and not isinstance(arguments[0], (sp.Indexed, sp.Symbol)):
            self.bracket = (self.meaning(sp.Symbol(name)), arguments[0])
            return self.meaning(sp.Symbol(name)) * arguments[0]  # \beta x (1 - \sigma(x)): x times a bracket
        if name == EXPECTATION:
            raise BindingError("an expectation (E_p[...], \\mathbb{E}[...]) is not read yet: what it averages over is"
                               " not bound", text)
        if self._unknown_function(name):
            layer = self._layer_of(arguments)
            if layer and name + "_@" in self.reading.lettered:  # g(z_k) where the letters name layers: g_k(z_k)
                return self._family_call(Atom(name, (layer,), (), 0, 0, f"{name}_{layer}"), arguments)
            return sp.Function(name, real=True)(*arguments)  # an activation f the document never pins down
        shown = decorated_name(name)  # L^{\text{lasso}}, never its placeholder
        raise BindingError(f"{shown}(...) is written like a function, but the document does not define {shown}", text)

    def _at_another_input(self, spec, arguments: list):
        r"""A quantity defined without an argument, ``h_\theta = \frac{1}{1 + e^{-\theta x}}``, applied to another
        input of the same letter, ``h_\theta(x^{(i)})``: its definition with that input put in; None when the argument
        is the input itself (``h(x)`` is h) or is no input of the definition."""
        if spec is None or spec.definition is None or spec.definition[0] or len(arguments) != 1 \
                or not isinstance(arguments[0], sp.Indexed):
            return None
        letter = re.split(r"[\^_]", str(arguments[0].base))[0]
        inputs = [part for part in spec.definition[1].atoms(sp.Indexed)
                  if re.split(r"[\^_]", str(part.base))[0] == letter and self._not_defined(str(part.base))]
        if len(inputs) != 1 or inputs[0] == arguments[0]:
            return None
        return spec.definition[1].xreplace({inputs[0]: arguments[0]})

    def _not_defined(self, key: str) -> bool:
        spec = self.reading.tensors.get(key)
        return spec is None or spec.definition is None

    def _family(self, note: Atom) -> bool:
        """``g_j`` (or ``g_j'``) written like a function, where the document never defines g nor g_j: one function of
        a family, any function for each subscript letter and index value (see :meth:`_family_call`)."""
        base = note.base.rstrip("'")
        return (not note.superscripts and len(note.subscripts) == 1 and note.base.count("'") <= 1
                and re.fullmatch(r"[a-zA-Z]|[0-9]+", note.subscripts[0]) is not None
                and re.fullmatch(r"[a-z]|\\(?:phi|varphi|psi)", base) is not None and base not in self.reading.sizes
                and base not in self.reading.functions
                and not any(spec.base in (base, f"{base}_{{{note.subscripts[0]}}}")  # b_1(\bar{x}): the number b_{1}
                            and (spec.declared or spec.definition is not None or spec.opaque)
                            for spec in self.reading.tensors.values()))

    def _family_call(self, note: Atom, arguments: list) -> sp.Expr:
        r"""``g_k(z_k)``: the function ``g_k`` of the family, taken at its index (``g_k(k, z_k)``; ``g_1(z)`` is its
        own function): for each subscript letter a function apart, so that nothing is proved that holds only when
        the functions of two layers are one; ``g_k'(u)`` is its derivative, taken at ``u``.

        >>> from symsoft.parse.latex import normalize_latex, parse_side
        >>> TensorBinder(Reading.empty()).side(parse_side(normalize_latex(r"g_k'(z_k)")[0]))
        Subs(Derivative(g_k(k, _u), _u), _u, z_1[k])
        """
        letter, subscript = note.base.rstrip("'"), note.subscripts[0]
        index = self._index(subscript)
        function = sp.Function(f"{letter}_{subscript}", real=True)
        self.families.add(function.__name__)
        prefix = () if subscript.isdigit() else (index,)
        if "'" not in note.base:
            return function(*prefix, *arguments)
        if len(arguments) != 1:
            raise BindingError(f"{note.text} is the derivative of a function of {len(arguments)} arguments: in which"
                               " argument is not read", note.text)
        u = sp.Dummy("u", real=True)
        return sp.Subs(sp.Derivative(function(*prefix, u), u), u, arguments[0])  # kept held: z_k gets its value later

    def _layer_of(self, arguments: list) -> str:
        """The layer letter of a lone argument whose letter names its layer (``z_k`` of ``z_{k}``), or ""."""
        if len(arguments) != 1 or not isinstance(arguments[0], sp.Indexed):
            return ""
        layer = layer_letters(str(arguments[0].base))
        return layer[1] if layer and arguments[0].indices == (index_symbol(layer[1]),) else ""

    def _unknown_function(self, name: str) -> bool:
        """A lower-case letter (or phi, psi) the document applies like a function and never defines nor uses as a
        quantity: any function. A proof then holds for every f; no counterexample is ever built on one."""
        if not re.fullmatch(r"[a-z]|\\(?:phi|varphi|psi)", name) or name in self.reading.sizes \
                or name in self.quantities_here:  # x (1 - \sigma(x)): x is an argument, so a quantity, here
            return False
        return not any(spec.base == name or key == bare_key(name) for key, spec in self.reading.tensors.items())

    def _of_a_component(self, name: str, arguments: list, text: str) -> sp.Expr | None:
        """``h_\\theta(x^{(i)})`` where the document defines ``h_\\theta`` of the component ``x^{(i)}``: its
        component at the argument's indices; None when no such definition names ``name``."""
        shown = called_name(name)
        for spec in self.reading.tensors.values():
            if not spec.argument or spec.base != shown:
                continue
            argument = arguments[0] if len(arguments) == 1 else None
            if not isinstance(argument, sp.Indexed) or str(argument.base) != spec.argument:
                raise BindingError(f"{shown} is defined as a function of {_shown_key(spec.argument)}, and is applied"
                                   " to something else here", text)
            if len(spec.axes) < len(argument.indices) or (spec.definition is not None and not spec.definition[0]
                                                          and argument.indices != (sp.Integer(0),)):
                raise BindingError(f"{shown} is defined at one component of {_shown_key(spec.argument)} only (its index"
                                   " a fixed position), and is applied at another here", text)  # S(y_i) after S(y_w)
            for slot, index in enumerate(argument.indices):
                if isinstance(index, sp.Symbol) and index.is_integer and not index.is_positive:
                    self.slots.append((index, spec.key, slot))
            self.used.add(spec.key)
            return component(spec.key, *argument.indices)
        return None

    def _applied(self, spec: TensorSpec, arguments: list, text: str) -> sp.Expr:
        """A function the document defines (``\\ell(a, y) = ...``) applied to ``arguments``."""
        parameters = [component(p) for p in spec.call_parameters]
        if len(arguments) != len(parameters):
            raise BindingError(f"{_shown_key(spec.key)} takes {len(parameters)} arguments, not {len(arguments)}", text)
        if spec.call_squared:  # L(\mu, \sigma^2) = ...: the argument written \sigma^2 (or \sigma) is the parameter
            squared = spec.call_squared + (False,) * (len(arguments) - len(spec.call_squared))
            arguments = [a.base if square and isinstance(a, sp.Pow) and a.exp == 2 and a.base == p else a
                         for a, square, p in zip(arguments, squared, parameters)]
            if any(square and a != p for a, square, p in zip(arguments, squared, parameters)):
                raise BindingError(f"{_shown_key(spec.key)} is defined of a square, and applied to something else here",
                                   text)
        if list(arguments) == parameters:
            return self.symbol(spec.key)
        body = spec.definition[1] if spec.definition is not None else None
        defined_inside = [i for i in (body.atoms(sp.Indexed) if body is not None else ())
                          if i not in parameters and getattr(self.reading.tensors.get(str(i.base)), "definition", None)]
        if body is None or spec.definition[0] or defined_inside:
            raise BindingError(f"{_shown_key(spec.key)} is applied to other arguments than its parameters, and its"
                               " definition is not read that way", text)
        for key in spec.call_parameters:
            self.used.add(key)
        vectors = {}  # H(p, q) = -\sum_i p_i \log q_i applied to (q, p): the components of the vectors named swap
        for key, argument in zip(spec.call_parameters, arguments):
            written = {part.base for part in body.atoms(sp.Indexed) if re.split(r"[\^_](?=\d)", str(part.base))[0] == key
                       and str(part.base) != key}
            if not written:
                continue
            named = str(argument.base) if isinstance(argument, sp.Indexed) and argument.indices == (sp.Integer(0),) \
                else None
            if named is None or len(written) > 1:
                raise BindingError(f"{_shown_key(spec.key)} is defined on the components of {key}, and is applied here"
                                   f" to {sp.sstr(argument)}, which is not read as a vector", text)
            (base,) = written
            other = str(base).replace(key, named, 1)
            if other not in self.reading.tensors:
                raise BindingError(f"{_shown_key(spec.key)} is defined on the components of {key}, and {named} has no"
                                   " components in the document", text)
            self.used.add(other)
            vectors[base] = sp.IndexedBase(sp.Symbol(other, real=True))
        return body.xreplace({**dict(zip(parameters, arguments)), **vectors})

    def derivative(self, note: DerivativeNote) -> sp.Expr:
        operand = self.side(note.operand)
        variable = self._by_index_letter(operand, self.side(note.variable), note)
        squared = re.fullmatch(r"\(?\s*(.+?)\s*\^\s*\{?\s*2\s*\}?\s*\)?", note.variable.text)
        if squared and isinstance(variable, sp.Pow) and variable.exp == 2 and isinstance(variable.base, sp.Indexed) \
                and note.variable.placeholders == {}:
            # \frac{\partial \ell}{\partial \sigma^2}: by the variance, (d/d sigma) / (2 sigma) for either sign of sigma
            by_base = replace(note, variable=replace(note.variable, text=squared.group(1), expr=variable.base))
            return self.derivative(by_base) / (2 * variable.base)
        if not isinstance(variable, sp.Indexed):
            return self._by_expression(operand, variable, note)
        variable_key = str(variable.base)
        if variable.indices == (sp.Integer(0),) and variable_key not in self.reading.tensors and any(
                spec.base.lstrip("\\") == variable_key.lstrip("\\") and spec.axes
                for spec in self.reading.tensors.values()):  # \beta written bare is the symbol beta
            vector = vector_of(variable_key, self.reading) if self.reading.gradient else None
            if vector is None or vector.key != self.reading.gradient[0]:
                raise BindingError(f"{note.variable.text} is a vector here (the document writes its components): a"
                                   " derivative with respect to the whole vector is not read yet", note.text)
            self.used.discard(variable_key)
            variable = self._gradient_component(vector)  # read at one component: the k-th entry of the gradient
            variable_key = vector.key
        own = self.reading.tensors.get(str(operand.base)) if isinstance(operand, sp.Indexed) else None
        if own is not None and own.definition is None and not own.opaque and str(operand.base) != variable_key \
                and not opened_in(own, variable_key, self.reading):
            shown = own.key.split("^")[0].split("_")[0]  # "\\frac{\\partial L}{\\partial z_i}" says L depends on z_i
            raise OpenDependence(f"{shown} is not defined, so its derivative with respect to {note.variable.text} is"
                                 " unknown (it is differentiated, so it may depend on the variable)", note.text,
                                 own.key, variable_key)
        for part in sorted(operand.atoms(sp.Indexed), key=str):  # in order: the same letter named in every process
            key = str(part.base)
            spec = self.reading.tensors.get(key)
            if key == variable_key or self.undeclared_ok or opened_in(spec, variable_key, self.reading):
                continue
            if spec is not None and spec.opaque:
                shown = key.split("^")[0].split("_")[0]
                raise OpenDependence(f"{shown} is defined in a way not read, so its derivative with respect to"
                                     f" {note.variable.text} is unknown", note.text, key, variable_key)
            if (spec is None or not (spec.declared or spec.definition is not None)) \
                    and not self._reaches(operand, variable_key):  # \frac{\partial}{\partial w} (wx): x a free letter
                shown = key.split("^")[0].split("_")[0]
                raise OpenDependence(f"{shown} is not defined, so its derivative with respect to {note.variable.text} is"
                                     " unknown (it may depend on the variable)", note.text, key, variable_key)
        if not self._reaches(operand, variable_key) and not self._opened_below(operand, variable_key) \
                and not self._of_sibling_coordinates(operand, variable_key):
            parts = sorted(operand.atoms(sp.Indexed), key=str)
            shown = _shown_key(str(parts[0].base)) if parts else sp.sstr(operand)
            message = (f"{shown} does not depend on {note.variable.text} as the document defines it, yet it is"
                       " differentiated: what it depends on is not read")
            leaves = self._leaves_below(operand, variable_key)
            if leaves:  # E = \frac12 \sum (y - t)^2 with y never defined: y may depend on the variable
                raise OpenDependence(message, note.text, leaves[0], variable_key)
            if len(parts) == 1 and str(parts[0].base) != variable_key:
                raise OpenDependence(message, note.text, str(parts[0].base), variable_key)
            raise BindingError(message, note.text)
        return PartialOf(operand, variable)

    def _by_index_letter(self, operand: sp.Expr, variable: sp.Expr, note: DerivativeNote) -> sp.Expr:
        """``\\partial_j S_i`` where j is no quantity of the document and S is defined from one vector z alone: the
        derivative with respect to z's j-th component, ``z_j``; any other variable as it is."""
        letter = note.variable.text.strip().strip("{}").strip()
        if not (re.fullmatch(r"[a-z]", letter) and variable == component(letter)) or letter in self.reading.sizes \
                or letter in self.reading.functions or any(spec.base == letter for spec in self.reading.tensors.values()):
            return variable  # w in \frac{\partial p}{\partial w} where the document writes w_{ak}: a quantity
        vectors = sorted(key for key in self._below(operand)
                         if (spec := self.reading.tensors.get(key)) is not None and spec.definition is None
                         and len(spec.axes) == 1 and not spec.opaque and not spec.call_parameters)
        if len(vectors) != 1:
            return variable
        return component(vectors[0], self._index(letter))

    def _of_sibling_coordinates(self, operand: sp.Expr, variable_key: str) -> bool:
        """Whether ``operand`` depends, through the document's definitions, on another numbered scalar of the
        variable's letter (``u_{12}`` for the variable ``u_{11}``): the document makes them separate coordinates, so
        a term written in the others alone has derivative 0 (the sum rule's dropped terms), and what else it holds is
        read as it is where a term does reach the variable."""
        letter = _numbered_letter(variable_key)
        if letter is None or not any(key != variable_key and _numbered_letter(key) == letter
                                     for key in self._below(operand)):
            return False
        defined = {_numbered_letter(key) for key, spec in self.reading.tensors.items() if spec.definition is not None}
        for leaf in self._leaves_below(operand, variable_key):  # h_1 never written beside a defined h_2: h_1 may
            spec = self.reading.tensors.get(leaf)                # well depend on the variable as h_2 does on its own
            if (spec is not None and spec.opaque) or (_numbered_letter(leaf) is not None
                                                      and _numbered_letter(leaf) in defined):
                return False
        return True

    def _below(self, operand: sp.Expr) -> set:
        """The keys ``operand`` names and those the definitions it reaches name."""
        keys = {str(part.base) for part in operand.atoms(sp.Indexed)}
        specs = definitions_reached(keys, self.reading)
        return keys | {spec.key for spec in specs} | {str(part.base) for spec in specs
                                                       for part in spec.definition[1].atoms(sp.Indexed)}

    def _opened_below(self, operand: sp.Expr, variable_key: str) -> bool:
        """Whether every quantity the definitions under ``operand`` end in is opened in the variable (at least one)."""
        opened = [key for key in self._below(operand)
                  if variable_key in getattr(self.reading.tensors.get(key), "open_in", ())]
        return bool(opened) and not self._leaves_below(operand, variable_key)

    def _leaves_below(self, operand: sp.Expr, variable_key: str) -> list:
        """The quantities the definitions under ``operand`` end in that nothing defines (nor opens in the variable),
        in order: what a derivative of the operand may depend on the variable through."""
        return sorted(key for key in self._below(operand) if key != variable_key and (
            (spec := self.reading.tensors.get(key)) is None or (spec.definition is None
                                                                and not opened_in(spec, variable_key, self.reading)))
            and not re.fullmatch(r"[0-9]+|e|d", key))

    def _reaches(self, operand: sp.Expr, variable_key: str) -> bool:
        """Whether ``operand`` depends on the quantity ``variable_key`` through the document's definitions (or on
        what that quantity is defined from), or is a number: a derivative of anything else says the author reads a
        dependency the document does not write (``E = \\frac12 \\sum (y - t)^2`` with y never defined)."""
        keys = {str(part.base) for part in operand.atoms(sp.Indexed)}
        if not keys:
            return True
        if any(opened_in(self.reading.tensors.get(key), variable_key, self.reading) for key in keys) \
                and not self._leaves_below(operand, variable_key):
            return True  # opened, with nothing below left fixed: (y - t)^2 with t opened and y not is not read
        reached = self._below(operand)
        variable = self.reading.tensors.get(variable_key)
        sources = {str(part.base) for part in variable.definition[1].atoms(sp.Indexed)} \
            if variable is not None and variable.definition is not None else set()
        return variable_key in reached or bool(sources & reached)

    def _by_expression(self, operand: sp.Expr, variable: sp.Expr, note: DerivativeNote) -> sp.Expr:
        """``d log(sigma(A_i)) / d sigma(A_i)``: the derivative in an expression of the quantities, when the operand
        depends on them only through that expression (written in it, nothing defined or unknown beside)."""
        refused = BindingError(f"cannot differentiate with respect to {note.variable.text!r}: not a single quantity",
                               note.text)
        inner = {part.base for part in variable.atoms(sp.Indexed)}
        if not inner or variable.has(PartialOf):
            raise refused
        u = sp.Dummy("u")
        replaced = operand.xreplace({variable: u})
        if not replaced.has(u) or replaced.has(PartialOf):
            raise refused
        for part in replaced.atoms(sp.Indexed):
            spec = self.reading.tensors.get(str(part.base))
            if part.base in inner or spec is None or spec.definition is not None or spec.opaque or not spec.declared:
                raise refused  # it may depend on the quantities of the expression another way
        return sp.diff(replaced, u).xreplace({u: variable})

    def meaning(self, expr: sp.Expr) -> sp.Expr:
        def function(e: sp.Expr) -> sp.Expr:
            return self.call(e.func.__name__, list(e.args), e.func.__name__)

        expr = expr.replace(  # a sum's or a product's index: an index
            lambda e: isinstance(e, (sp.Sum, sp.Product)) and any(not v.is_integer for v, *_ in e.limits),
            lambda e: e.xreplace({v: index_symbol(v.name) for v, *_ in e.limits if not v.is_integer}),
        )
        sums = list(expr.atoms(sp.Sum, sp.Product))
        bound_names = {limit[0].name for s in sums for limit in s.limits}
        limits = {x.name for s in sums for limit in s.limits for x in limit[1:] if isinstance(x, sp.Symbol)}
        replacements = {}
        for symbol in sorted(expr.free_symbols, key=str):  # in order: the symbol an error names is the same in every process
            if not isinstance(symbol, sp.Symbol) or symbol.is_integer or symbol.is_real:
                continue  # an index, a size, or the label of a tensor already bound
            name = symbol.name
            if name == IMPLICIT_BOUND:
                replacements[symbol] = sp.Symbol(IMPLICIT_BOUND, integer=True, positive=True)
            elif name in bound_names:
                replacements[symbol] = index_symbol(name)
            elif name in self.reading.sizes or (name in limits and _SIZE_NAME.fullmatch(name)):
                replacements[symbol] = size_symbol(name)
            elif (mean := self._mean_of(name)) is not None and (self.reading.tensors.get(name) is None or (
                    self.reading.tensors[name].definition is None and not self.reading.tensors[name].opaque)):
                replacements[symbol] = mean  # \bar{x}, \overline{xy}: the mean of the x_i y_i
            elif re.fullmatch(r"[a-zA-Z]|\\[a-zA-Z]+(?:\{[a-zA-Z]\})?|[a-zA-Z]+_\{?\\?[0-9a-zA-Z]+\}?", name) \
                    or WORD_UNDER_LETTER.fullmatch(name) \
                    or name.split("_")[0] in GREEK:
                replacements[symbol] = self.symbol(name)
            elif name == "sigma" and not self.reading.sigma_applied:
                replacements[symbol] = self.symbol("\\sigma")  # a standard deviation: sigma never applied here
            elif bare_key(name) in self.reading.tensors:
                replacements[symbol] = self.symbol(bare_key(name))  # \sigma written bare, as the document defines it
            elif re.fullmatch(r"[a-z]{3,}|[A-Z][a-z]{2,}|[A-Z]{2,4}", name) and name in self.reading.tensors:
                replacements[symbol] = self.symbol(name)  # a word the document defines: loss = ...
            else:
                raise BindingError(f"the symbol {name!r} is not understood", name)
        expr = expr.xreplace(replacements)  # the arguments of calls first: \ell(a, y) is applied to a and y
        return expr.replace(lambda e: isinstance(e, AppliedUndef) and e.func.__name__ not in self.families, function)


def _products_bounded(expr: sp.Expr) -> bool:
    r"""Whether every product of ``expr`` runs between bounds the decider gives values: numbers, sizes (``\prod_{i=1}^n``
    with n a size) or indices; never a letter that is a quantity.

    >>> n, i = size_symbol("n"), index_symbol("i")
    >>> _products_bounded(sp.Product(component("x_1", i), (i, 1, n))), _products_bounded(sp.Product(i, (i, 1, component("n"))))
    (True, False)
    """
    return all(bound.is_integer for product in expr.atoms(sp.Product) for _v, *bounds in product.limits
               for bound in bounds)


def bind_tensor_side(side: ParsedSide, reading: Reading, two_axes: bool = False) -> BoundTensorSide:
    r"""Give one parsed side its meaning under ``reading``; the axis of each index comes from its slots.

    >>> from symsoft.parse.latex import parse_side
    >>> r = Reading.empty().with_tensor(TensorSpec("w_1", "w", ("D",), declared=True))
    >>> bind_tensor_side(parse_side(r"w_j + w_k"), r).kinds
    {j: 'D', k: 'D'}
    """
    binder = TensorBinder(reading)
    expr = binder.side(side)
    if not _products_bounded(expr):
        raise BindingError(UNREAD_PRODUCT, side.text)
    kinds: dict[sp.Symbol, str] = {}
    mixed: dict = {}
    for index, key, slot in binder.slots:
        spec = reading.tensors.get(key)
        axis = spec.axes[slot] if spec is not None and slot < len(spec.axes) else None
        if axis is None:
            continue
        previous = kinds.get(index)
        if previous is not None and previous != axis:
            if not two_axes:
                raise BindingError(f"the index {index} runs over {previous} in one place and over {axis} in another",
                                   str(index))
            mixed.setdefault(index, {previous}).add(axis)
            continue
        kinds[index] = axis
    expr = _resolve_sums(expr, kinds, binder)
    if any(marker.endswith("_@") for marker in reading.lettered):
        _layers_apart(expr)
    for power in sorted(expr.atoms(sp.Pow), key=sp.default_sort_key):  # in order: the same power named each run
        exponent = power.exp
        if reading.superscript_indices and not power.base.is_number and not (
                exponent.is_number and (exponent < 0 or not exponent.is_Integer)):  # 1/x and sqrt(x) stay
            raise BindingError(f"the document writes indices as superscripts (a sum over an exponent): "
                               f"{sp.sstr(power)} is not read as a power", str(power))
        if isinstance(exponent, sp.Symbol) and exponent.is_integer and not exponent.is_positive:
            raise BindingError(f"the superscript {exponent} of {sp.sstr(power.base)} is an index letter: an index"
                               " written as a superscript (s^i) is not read as a power", str(power))
    for index, key, _slot in binder.slots:
        if key == "\\delta" and index not in kinds:
            other = [a for a, k, _ in binder.slots if k == "\\delta" and a != index and a in kinds]
            if other:
                kinds[index] = kinds[other[0]]
    free = {s for s in expr.free_symbols if s.is_integer and not s.is_positive}
    for index in free - set(kinds):
        kinds[index] = ANONYMOUS + str(index)  # an axis of its own, of any size from 1
    return BoundTensorSide(side.text, expr, {k: v for k, v in kinds.items() if k in free}, tuple(binder.findings),
                           {k: tuple(sorted(v)) for k, v in mixed.items()})


def layer_letters(name: str):
    """The base and the index letters of a quantity whose letters name its layer (``w_{jk}``, or its tensor key
    ``w_{jk}_2``), else None.

    >>> layer_letters("w_{jk}_2"), layer_letters("w_{jk}"), layer_letters("w_2")
    (('w', 'jk'), ('w', 'jk'), None)
    """
    found = re.fullmatch(r"(.+)_\{([a-zA-Z]+)\}(?:_\d)?", name)
    return (found.group(1), found.group(2)) if found else None


def _layers_apart(expr: sp.Expr) -> None:
    r"""Where index letters name layers, refuse a sum that runs a letter over a quantity written with another letter
    beside it and nothing joins the two layers (``e^{a_k} / \sum_j e^{a_j}``: a softmax whose j is a dummy, or the
    hidden layer's a_j?). ``b_k + \sum_j a_j w_{jk}`` is joined by w_{jk}.

    >>> k, j = index_symbol("k"), index_symbol("j")
    >>> a_k, a_j = component("a_{k}_1", k), component("a_{j}_1", j)
    >>> _layers_apart(a_k + sp.Sum(a_j * component("w_{jk}_2", j, k), (j, 1, 3)))
    >>> _layers_apart(sp.exp(a_k) / sp.Sum(sp.exp(a_j), (j, 1, 3)))
    Traceback (most recent call last):
    ...
    symsoft.errors.BindingError: a_k beside a sum of a_j over j: where the letters name layers, which layer j is, is not read
    """
    for total in sorted(expr.atoms(sp.Sum), key=sp.default_sort_key):
        letter = total.limits[0][0].name
        inside = [layer_letters(str(part.base)) for part in total.function.atoms(sp.Indexed)]
        outside = [layer_letters(str(part.base)) for part in expr.xreplace({total: sp.Dummy()}).atoms(sp.Indexed)]
        for base, letters in (pair for pair in outside if pair is not None):
            crossed = any(pair is not None and pair[0] == base and pair[1] == letter != letters for pair in inside)
            joined = any(pair is not None and letter in pair[1] and set(letters) & set(pair[1]) - {letter}
                         for pair in inside)
            if crossed and not joined:
                raise BindingError(f"{base}_{letters} beside a sum of {base}_{letter} over {letter}: where the letters"
                                   f" name layers, which layer {letter} is, is not read", str(total))


def _resolve_sums(expr: sp.Expr, kinds: dict, binder: TensorBinder) -> sp.Expr:
    """Give each sum written without a bound its axis (from the slots its index fills); note sum axes."""

    def fix(s: sp.Sum) -> sp.Expr:
        summand, (var, low, high) = s.args[0], s.limits[0]
        axis = None
        if isinstance(high, sp.Symbol) and high.name != IMPLICIT_BOUND:
            axis = high.name
        if axis is None:
            for index, key, slot in binder.slots:
                spec = binder.reading.tensors.get(key)
                if index == var and spec is not None and slot < len(spec.axes) and spec.axes[slot]:
                    axis = spec.axes[slot]
                    break
        if axis is None:  # \sum_{j \neq i} p_i: j only meets i in the Kronecker delta, so it runs over i's axis
            for delta in summand.atoms(sp.KroneckerDelta):
                other = next((a for a in delta.args if a != var), None) if var in delta.args else None
                for index, key, slot in binder.slots:
                    spec = binder.reading.tensors.get(key)
                    if index == other and spec is not None and slot < len(spec.axes) and spec.axes[slot]:
                        axis = spec.axes[slot]
                        break
                if axis is not None:
                    break
        if high.free_symbols and any(h.name == IMPLICIT_BOUND for h in high.free_symbols):
            if axis is None and not summand.has(var):
                raise BindingError(f"the sum over {var} has no bounds and a term without {var}: how many terms it has"
                                   " is not written", str(s))
            if axis is None:
                axis = ANONYMOUS + str(var)  # a sum with no bound over an index of no known axis: its own axis
            if axis in binder.reading.zero_based:
                low = sp.Integer(0)  # \sum_j \theta_j x_j where the document writes \theta_0: from position 0
            return s.func(summand, (var, low, size_symbol(axis)))
        return s

    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)), fix)


# -- values at given sizes ---------------------------------------------------------------------

#: The prefix of the name of an axis the reading does not know (an index's own axis, of any size).
ANONYMOUS = "#"

#: The largest number of terms a sum may expand to.
MAX_TERMS = 2000


class OutOfAxis(BindingError):
    """An index takes a value outside its axis (x_3 when D = 2)."""


@dataclass
class _Context:
    reading: Reading
    sizes: dict
    registry: dict = field(default_factory=dict)  # leaf symbol -> (key, positions)
    depth: int = 0
    #: the chain rule through the defined quantities, each held as a symbol (see :func:`instantiate_by_chain`)
    chain: bool = False
    derivatives: dict = field(default_factory=dict)  # (leaf, variable) -> derivative, in the chain mode
    defined: frozenset | None = None  # the keys with a definition (worked out once)
    constants: dict = field(default_factory=dict)  # the values of the constant indices (c*) in this case


def constant_index(symbol: sp.Symbol) -> bool:
    """True for a constant index of the document, ``c^*`` (read as ``c*``).

    >>> constant_index(index_symbol("c*")), constant_index(index_symbol("c"))
    (True, False)
    """
    return symbol.is_Symbol and symbol.name.endswith("*")


def _context(reading: Reading, sizes: dict, values: dict, registry: dict | None = None, chain: bool = False) -> _Context:
    """The context of one evaluation; the constant indices among ``values`` hold inside every definition."""
    constants = {k: v for k, v in values.items() if constant_index(k)}
    return _Context(reading, dict(sizes), {} if registry is None else registry, chain=chain, constants=constants)


def _bound(ctx: _Context, parameters: tuple, positions: tuple) -> dict:
    """The index values inside a definition's body: its parameters at ``positions``, and the constant indices."""
    return {**ctx.constants, **dict(zip(parameters, positions))}


def leaf_symbol(spec_key: str, positions: tuple, reading: Reading) -> sp.Symbol:
    """The symbol of one input component, named as a student writes it: ``x_{2}^{(1)}``.

    >>> leaf_symbol("x^1_1", (1, 2), Reading.empty()), leaf_symbol("W^{(2)}_2", (1, 2), Reading.empty())
    (x_{2}^{(1)}, W^{(2)}_{1,2})
    >>> leaf_symbol("w_{jk}_2", (1, 2), Reading.empty())  # the letters j and k name two layers
    w_{j=1,k=2}
    """
    base = re.sub(r"(?:\^\d+)?(?:_\d+)?$", "", spec_key)  # W^{(1)} and W^{(2)}, w and w^*, stay apart
    sup = int(re.search(r"\^(\d+)", spec_key).group(1)) if re.search(r"\^(\d+)", spec_key) else 0
    spec = reading.tensors.get(spec_key)
    name = base
    subs = positions[sup:]
    layer = layer_letters(base)  # w_{jk}, its letters naming the layers: w_{j=1,k=2}
    if layer and not sup and len(layer[1]) == len(subs):
        name = layer[0] + "_{" + ",".join(f"{letter}={v}" for letter, v in zip(layer[1], subs)) + "}"
        subs = ()
    if subs and (positions != (0,) or (spec is not None and spec.axes)):  # b[0] is the scalar b; \theta_0 is not
        name += "_{" + ",".join(map(str, subs)) + "}"
    if sup:
        name += "^{(" + ",".join(map(str, positions[:sup])) + ")}"
    domain = spec.domain if spec is not None else "real"
    if domain == "positive":
        return sp.Symbol(name, positive=True)
    if domain in ("nonnegative", "probability", "onehot", "binary", "unit"):
        return sp.Symbol(name, nonnegative=True)
    return sp.Symbol(name, real=True)


def _positions(indexed: sp.Indexed, ctx: _Context, values: dict) -> tuple:
    out = []
    spec = ctx.reading.tensors.get(str(indexed.base))
    for slot, idx in enumerate(indexed.indices):
        value = sp.sympify(idx).xreplace({k: sp.Integer(v) for k, v in values.items()})
        value = value.xreplace({size_symbol(n): sp.Integer(v) for n, v in ctx.sizes.items()})
        if not value.is_Integer:
            raise BindingError(f"cannot give the index {sp.sstr(idx)} a value", str(idx))
        position = int(value)
        if indexed.indices != (sp.Integer(0),) or (spec is not None and spec.axes):
            axis = spec.axes[slot] if spec is not None and slot < len(spec.axes) else None
            size = ctx.sizes.get(axis) if axis else None
            if position < (0 if axis in ctx.reading.zero_based | ctx.reading.intercepts else 1) \
                    or (size is not None and position > size):
                raise OutOfAxis(f"{_shown_key(str(indexed.base))} has no component {position} (the axis {axis} has "
                                f"{size})", str(indexed.base))
        out.append(position)
    return tuple(out)


def _numbered_letter(key: str) -> str | None:
    """The letter of a numbered scalar's key (``u`` for ``u_{11}``), else None.

    >>> _numbered_letter("u_{11}"), _numbered_letter("u")
    ('u', None)
    """
    found = re.fullmatch(r"(\\?[a-zA-Z]+)_\{?[0-9]+\}?", key)
    return found.group(1) if found else None


def shown_key(key: str) -> str:
    """A tensor key as the document writes its letter (``L`` for ``L``, ``z`` for ``z_1``).

    >>> shown_key("z_1"), shown_key("L")
    ('z', 'L')
    """
    return _shown_key(key)


def _shown_key(key: str) -> str:
    return re.split(r"[\^_](?=\d)", key)[0]


def instantiate(expr: sp.Expr, reading: Reading, sizes: dict, values: dict, held: frozenset = frozenset()) -> sp.Expr:
    """The value of a bound expression at the given sizes and index values (see the module docstring).

    >>> from symsoft.parse.latex import parse_side
    >>> r = Reading.empty().with_tensor(TensorSpec("z", "z", (), definition=((), component("a") * 2)))
    >>> instantiate(bind_tensor_side(parse_side(r"\\frac{\\partial z}{\\partial a}"), r).expr, r, {}, {})
    2
    """
    ctx = _context(reading, sizes, values)
    return _value(sp.sympify(expr), ctx, dict(values), frozenset(held))


def _value(expr: sp.Expr, ctx: _Context, values: dict, held: frozenset) -> sp.Expr:
    if isinstance(expr, (sp.Sum, sp.Product)):  # \prod_{i=1}^n at the sizes given: the product of its factors
        var, low, high = expr.limits[-1]
        summand = expr.func(expr.function, *expr.limits[:-1]) if len(expr.limits) > 1 else expr.function
        lo, hi = (_integer(b, ctx, values) for b in (low, high))
        if hi - lo > MAX_TERMS:
            raise BindingError("a sum with too many terms", str(expr))
        terms = (_value(summand, ctx, {**values, var: v}, held) for v in range(lo, hi + 1))
        return sp.Add(*terms) if isinstance(expr, sp.Sum) else sp.Mul(*terms)
    if isinstance(expr, sp.Indexed):
        return _component_value(expr, ctx, values, held)
    if isinstance(expr, sp.KroneckerDelta):
        a, b = (_integer(i, ctx, values) for i in expr.args[:2])
        return sp.Integer(1 if a == b else 0)
    if isinstance(expr, SoftmaxAlong):
        arg = expr.args[0]
        positions = _positions(arg, ctx, values)
        spec = ctx.reading.tensors.get(str(arg.base))
        axis = spec.axes[-1] if spec is not None and spec.axes else None
        if axis is None or axis not in ctx.sizes:
            raise BindingError(f"the softmax of {_shown_key(str(arg.base))} needs the size of its axis", str(arg))
        terms = [sp.exp(_component_value(sp.Indexed(arg.base, *positions[:-1], c), ctx, {}, held))
                 for c in range(1, ctx.sizes[axis] + 1)]
        return terms[positions[-1] - 1] / sp.Add(*terms)
    if isinstance(expr, PartialOf) and ctx.chain:
        operand, variable = expr.args
        key = str(variable.base)
        positions = _positions(variable, ctx, values)
        symbol = leaf_symbol(key, positions, ctx.reading)
        ctx.registry[symbol] = (key, positions)
        inner = _value(operand, ctx, values, held | _defined(ctx) | {key})
        inner = _written_in(inner, symbol, ctx, held | _defined(ctx) | {key})
        return _chain_partial(inner, symbol, ctx)
    if isinstance(expr, PartialOf):
        operand, variable = expr.args
        key = str(variable.base)
        inner = _value(operand, ctx, values, held | {key})
        positions = _positions(variable, ctx, values)
        symbol = leaf_symbol(key, positions, ctx.reading)
        ctx.registry[symbol] = (key, positions)
        inner = _written_in(inner, symbol, ctx, held | {key})
        result = sp.diff(inner, symbol)
        if key not in held:
            result = _expand_held(result, ctx, key, held)
        return result
    if isinstance(expr, sp.Symbol):
        if expr in values:
            return sp.Integer(values[expr])
        if expr.is_integer and expr.is_positive and expr.name in ctx.sizes:
            return sp.Integer(ctx.sizes[expr.name])
        return expr
    if not expr.args:
        return expr
    return expr.func(*(_value(a, ctx, values, held) for a in expr.args))


def _written_in(value: sp.Expr, symbol: sp.Symbol, ctx: _Context, held: frozenset) -> sp.Expr:
    r"""``value`` with the value of the defined component ``symbol`` written as that component, before a derivative
    in it: in ``z_k = b_k + \sum_j g_j(z_j) w_{jk}`` with ``a_j = g_j(z_j)``, d z_k / d a_j is w_{jk}, not 0."""
    key, positions = ctx.registry[symbol]
    spec = ctx.reading.tensors.get(key)
    if spec is None or spec.definition is None:
        return value
    parameters, body = spec.definition
    own = _value(body, ctx, _bound(ctx, parameters, positions), held - {key})
    if own.is_Symbol or own.is_number or not value.has(own):
        return value
    return value.subs(own, symbol)


def _defined(ctx: _Context) -> frozenset:
    if ctx.defined is None:
        ctx.defined = frozenset(key for key, spec in ctx.reading.tensors.items() if spec.definition is not None)
    return ctx.defined


def _chain_partial(value: sp.Expr, variable: sp.Symbol, ctx: _Context) -> sp.Expr:
    """d value / d variable, where ``value`` holds defined components as symbols: the chain rule through each."""
    result = sp.diff(value, variable)
    variable_key = ctx.registry[variable][0]
    for symbol in sorted(value.free_symbols, key=str):
        entry = ctx.registry.get(symbol)
        if entry is None or symbol == variable or entry[0] == variable_key:
            continue  # an input, the variable, or another component of the variable (independent of it)
        spec = ctx.reading.tensors.get(entry[0])
        if spec is None or spec.definition is None:
            continue
        inner = _leaf_derivative(symbol, variable, ctx)
        if inner != 0:
            result += sp.diff(value, symbol) * inner
    return result


def _leaf_derivative(symbol: sp.Symbol, variable: sp.Symbol, ctx: _Context) -> sp.Expr:
    known = ctx.derivatives.get((symbol, variable))
    if known is not None:
        return known
    if ctx.depth > 40:
        raise BindingError("a definition refers to itself", str(symbol))
    key, positions = ctx.registry[symbol]
    parameters, body = ctx.reading.tensors[key].definition
    ctx.depth += 1
    try:
        inner = _value(body, ctx, _bound(ctx, parameters, positions),
                       _defined(ctx) | {ctx.registry[variable][0]})
        result = _chain_partial(inner, variable, ctx)
        result = _folded(result, key, ctx)
    finally:
        ctx.depth -= 1
    ctx.derivatives[(symbol, variable)] = result
    return result


@functools.lru_cache(maxsize=512)
def _exponential_in_terms_of(value: sp.Expr, component: sp.Symbol) -> dict:
    """When ``value`` is a rational function of one exponential, that exponential written in ``component`` (which
    stands for ``value``): ``1/(1 + e^{-a})`` held as ``h`` gives ``e^{-a} = (1 - h)/h``. Empty otherwise.

    >>> a, h = sp.Symbol("a", real=True), sp.Symbol("h", real=True)
    >>> _exponential_in_terms_of(1 / (1 + sp.exp(-a)), h)
    {exp(-a): -(h - 1)/h}
    """
    exponentials = value.atoms(sp.exp)
    if len(exponentials) != 1:
        return {}
    exponential = exponentials.pop()
    unknown = sp.Dummy("t")
    template = value.xreplace({exponential: unknown})
    if template.has(sp.exp, sp.log) or not template.is_rational_function(unknown):
        return {}
    try:
        solutions = sp.solve(sp.Eq(template, component), unknown)
    except (NotImplementedError, ValueError, TypeError):
        return {}
    if len(solutions) != 1 or solutions[0].has(unknown):
        return {}
    return {exponential: sp.factor(solutions[0])}


def _folded(result: sp.Expr, key: str, ctx: _Context) -> sp.Expr:
    """``result`` with the value of each component of ``key`` written as that component again: the derivative of
    ``h = tanh(a)`` is ``1 - h^2``, of ``p_k = e^{z_k} / sum_c e^{z_c}`` is ``p_k (delta_{kj} - p_j)``, as the
    author writes it. The rewrite is kept only when exact cancellation confirms it changes no value."""
    if result == 0 or not result.free_symbols:
        return result
    spec = ctx.reading.tensors[key]
    sizes = [ctx.sizes.get(axis) for axis in spec.axes]
    if any(not isinstance(size, int) for size in sizes) or math.prod(sizes) > 16:
        return result
    parameters, body = spec.definition
    mapping, inverse, extra = {}, {}, {}
    for positions in itertools.product(*(range(1, size + 1) for size in sizes)):
        value = _value(body, ctx, _bound(ctx, parameters, positions), _defined(ctx))
        if value.is_Symbol or value.is_number or not value.atoms(sp.Function):
            continue  # only a function's value is worth naming again (not a sum or product of held quantities)
        component = leaf_symbol(key, positions, ctx.reading)
        ctx.registry.setdefault(component, (key, positions))
        mapping[value], inverse[component] = component, value
        extra.update(_exponential_in_terms_of(value, component))
    if not mapping:
        return result
    try:
        folded = result.subs(mapping)
        if extra:
            folded = folded.subs(extra)
        if folded == result or sp.cancel(sp.together(folded.xreplace(inverse) - result)) != 0:
            return result
    except (sp.PolynomialError, ValueError, TypeError, RecursionError):
        return result
    return folded


def instantiate_by_chain(expr: sp.Expr, reading: Reading, sizes: dict, values: dict, registry: dict) -> sp.Expr:
    r"""The value of a bound expression with every defined component held as a symbol, derivatives taken by the
    chain rule through the definitions (:func:`unfold_once` replaces the held components, one level at a time); the derivative of a
    function's value is written in that value again where exact cancellation confirms it (1 - tanh^2 a as 1 - h^2).

    >>> from symsoft.parse.latex import parse_side
    >>> r = Reading.empty().with_tensor(TensorSpec("h", "h", (), definition=((), sp.tanh(component("a")))))
    >>> r = r.with_tensor(TensorSpec("L", "L", (), definition=((), component("h") ** 2)))
    >>> instantiate_by_chain(bind_tensor_side(parse_side(r"\frac{\partial L}{\partial a}"), r).expr, r, {}, {}, {})
    2*h*(1 - h**2)
    """
    ctx = _context(reading, sizes, values, registry, chain=True)
    return _value(sp.sympify(expr), ctx, dict(values), _defined(ctx))


def unfold_once(exprs: tuple, reading: Reading, sizes: dict, registry: dict, values: dict | None = None) -> tuple:
    """``exprs`` with the held defined components furthest from the inputs replaced by their definitions (whose own
    parts stay held): one level for all of them at once, so that they stay comparable.

    >>> r = Reading.empty().with_tensor(TensorSpec("h", "h", (), definition=((), sp.tanh(component("a")))))
    >>> registry = {}
    >>> held = instantiate_by_chain(component("h") + 1, r, {}, {}, registry)
    >>> unfold_once((held, sp.Integer(1)), r, {}, registry)
    (tanh(a) + 1, 1)
    """
    ctx = _context(reading, sizes, values or {}, registry, chain=True)
    free = set().union(*(e.free_symbols for e in exprs))
    held = [(symbol, registry[symbol]) for symbol in free if symbol in registry
            and getattr(reading.tensors.get(registry[symbol][0]), "definition", None) is not None]
    if not held:
        return exprs
    top = max(_rank(key, reading) for _s, (key, _p) in held)
    mapping = {}
    for symbol, (key, positions) in held:
        if _rank(key, reading) == top:  # the quantities furthest from the inputs first: every level stays consistent
            parameters, body = reading.tensors[key].definition
            mapping[symbol] = _value(body, ctx, _bound(ctx, parameters, positions), _defined(ctx))
    return tuple(e.xreplace(mapping) for e in exprs)


def _rank(key: str, reading: Reading, seen: frozenset = frozenset()) -> int:
    """How many definitions deep a defined quantity is (1 when it is made of inputs only)."""
    spec = reading.tensors.get(key)
    if spec is None or spec.definition is None or key in seen:
        return 0
    parts = {str(part.base) for part in spec.definition[1].atoms(sp.Indexed)}
    return 1 + max((_rank(part, reading, seen | {key}) for part in parts), default=0)


def _integer(expr, ctx: _Context, values: dict) -> int:
    value = sp.sympify(expr).xreplace({k: sp.Integer(v) for k, v in values.items()})
    value = value.xreplace({size_symbol(n): sp.Integer(v) for n, v in ctx.sizes.items()})
    if not value.is_Integer:
        raise BindingError(f"cannot give {sp.sstr(expr)} a value: a size is not known", str(expr))
    return int(value)


def _component_value(expr: sp.Indexed, ctx: _Context, values: dict, held: frozenset) -> sp.Expr:
    key = str(expr.base)
    positions = _positions(expr, ctx, values)
    spec = ctx.reading.tensors.get(key)
    for pattern, fixed in spec.fixed if spec is not None else ():
        if all(want is None or want == have for want, have in zip(pattern, positions)):
            return fixed
    if spec is not None and spec.open_in:
        return _open_value(spec, positions, ctx, held)
    if spec is not None and spec.definition is not None and key not in held:
        parameters, body = spec.definition
        if ctx.depth > 40:
            raise BindingError(f"the definition of {_shown_key(key)} refers to itself", key)
        ctx.depth += 1
        try:
            bound = _bound(ctx, parameters, positions)
            return _value(body, ctx, bound, held)
        finally:
            ctx.depth -= 1
    symbol = leaf_symbol(key, positions, ctx.reading)
    ctx.registry[symbol] = (key, positions)
    return symbol


def _open_value(spec: TensorSpec, positions: tuple, ctx: _Context, held: frozenset = frozenset()) -> sp.Expr:
    """The component of an opened quantity: a function nothing defines (one per quantity) of its positions and of
    every component of the tensors it is opened in, at the sizes of ``ctx``. A component of a quantity the document
    defines enters as its value, unless a derivative holds that quantity (L opened in y-hat, y-hat defined from w:
    L depends on w through y-hat, the chain rule)."""
    arguments = [sp.Integer(p) for p in positions]
    for variable in spec.open_in:
        other = ctx.reading.tensors.get(variable)
        named = [tuple(place) for key, place in spec.open_at if key == variable]
        if named and other is not None and not other.axes and (0,) not in named:
            named = [(0,), *named]  # w written both bare and as w_1, w_2: a function of each (never of w alone)
        if named and (other is None or not other.axes or any(axis is None for axis in other.axes)):
            for place in named:
                arguments.append(_opened_argument(variable, place, ctx, held))
            continue
        if other is None or any(axis is None for axis in other.axes):
            raise BindingError(f"{_shown_key(spec.key)} is opened in {_shown_key(variable)}, whose components are not"
                               " known here", spec.key)
        axes = other.axes
        ranges = []
        for axis in axes:
            size = ctx.sizes.get(axis) if axis else None
            if not isinstance(size, int):
                raise BindingError(f"{_shown_key(spec.key)} is opened in {_shown_key(variable)}, whose size is not"
                                   " known here", spec.key)
            ranges.append(range(0 if axis in ctx.reading.zero_based | ctx.reading.intercepts else 1, size + 1))
        for place in (itertools.product(*ranges) if axes else [(0,)]):
            arguments.append(_opened_argument(variable, tuple(place), ctx, held))
    return sp.Function(OPEN_PREFIX + spec.key, real=True)(*arguments)


def _opened_argument(variable: str, place: tuple, ctx: _Context, held: frozenset) -> sp.Expr:
    """One component of a quantity an opened quantity is a function of: its value when the document defines it (and
    no derivative holds it), else a leaf symbol."""
    spec = ctx.reading.tensors.get(variable)
    if spec is not None and spec.definition is not None and not spec.open_in and variable not in held:
        return _component_value(component(variable, *place), ctx, {}, held)
    symbol = leaf_symbol(variable, place, ctx.reading)
    ctx.registry[symbol] = (variable, place)
    return symbol


def _expand_held(expr: sp.Expr, ctx: _Context, key: str, held: frozenset) -> sp.Expr:
    """Replace the components of ``key`` (held during a derivative) by their values."""
    spec = ctx.reading.tensors.get(key)
    if spec is None or spec.definition is None:
        return expr
    mapping = {}
    for symbol in expr.free_symbols:
        entry = ctx.registry.get(symbol)
        if entry and entry[0] == key:
            parameters, body = spec.definition
            mapping[symbol] = _value(body, ctx, _bound(ctx, parameters, entry[1]), held)
    return expr.xreplace(mapping)


def opened_at_named(reading: Reading, exprs) -> Reading:
    r"""``reading`` with each opened quantity given the components the bound ``exprs`` (and the definitions they
    reach) name of a tensor it is opened in whose axes are not known, when every one of them is named by numbers:
    ``w_{1,1}`` alone, never ``w_{1,k}`` (see :attr:`TensorSpec.open_at`).

    >>> r = opened(Reading.empty(), "t", "w_2")
    >>> opened_at_named(r, [PartialOf(component("t"), component("w_2", 1, 1))]).tensors["t"].open_at
    (('w_2', (1, 1)),)
    """
    exprs = [sp.sympify(e) for e in exprs]
    names = {str(part.base) for e in exprs for part in e.atoms(sp.Indexed)}
    bodies = [sp.sympify(spec.definition[1]) for spec in definitions_reached(names, reading)]
    parts = {part for e in [*exprs, *bodies] for part in e.atoms(sp.Indexed)}
    for key, spec in sorted(reading.tensors.items()):
        named = []
        for variable in spec.open_in:
            other = reading.tensors.get(variable)
            if other is not None and other.axes and all(axis is not None for axis in other.axes):
                continue
            places = {part.indices for part in parts if str(part.base) == variable}
            if not places or not all(i.is_Integer for place in places for i in place):
                continue  # w_{1,k}: which components, is not known
            named += [(variable, tuple(int(i) for i in place)) for place in sorted(places, key=str)]
        if named:
            reading = reading.with_tensor(replace(spec, open_at=tuple(named)))
    return reading


def definitions_reached(keys, reading: Reading) -> list:
    """The specs of the defined quantities named by ``keys``, and of those their definitions name, each once.

    >>> r = Reading.empty().with_tensor(TensorSpec("a", "a", (), definition=((), component("z") + 1)))
    >>> r = r.with_tensor(TensorSpec("b", "b", (), definition=((), component("a") * 2)))
    >>> [spec.key for spec in definitions_reached(["b"], r)]
    ['b', 'a']
    """
    found, seen, todo = [], set(), list(keys)
    while todo:
        key = todo.pop()
        spec = reading.tensors.get(key)
        if key in seen or spec is None or spec.definition is None:
            continue
        seen.add(key)
        found.append(spec)
        todo.extend(sorted(str(part.base) for part in spec.definition[1].atoms(sp.Indexed)))
    return found


def unknown_functions(expr: sp.Expr) -> set:
    """The names of the functions in ``expr`` that nothing defines (``f(x)``, the family ``g_k(k, x)``).

    >>> unknown_functions(sp.Function("g_k")(1, sp.Symbol("x")) + sp.exp(2))
    {'g_k'}
    """
    return {type(f).__name__ for f in sp.sympify(expr).atoms(AppliedUndef)}


def with_functions_chosen(expr: sp.Expr, chosen: sp.Lambda) -> sp.Expr:
    """``expr`` with every function nothing defines taken as ``chosen`` (of its last argument: the family's index
    comes first), derivatives of them taken: one instance of a claim made for every function.

    >>> u, x = sp.Symbol("u"), sp.Symbol("x")
    >>> g = sp.Function("g_k")
    >>> with_functions_chosen(sp.Subs(sp.Derivative(g(1, u), u), u, 2 * x) + g(1, x), sp.Lambda(u, u**3))
    x**3 + 12*x**2
    """
    expr = sp.sympify(expr)
    if not expr.has(AppliedUndef):
        return expr
    replaced = expr.replace(lambda e: isinstance(e, AppliedUndef), lambda e: chosen(e.args[-1]))
    return replaced.replace(lambda e: isinstance(e, (sp.Subs, sp.Derivative)), lambda e: e.doit())


def reading_with_functions_chosen(reading: Reading, chosen: sp.Lambda) -> Reading:
    """``reading`` with the functions nothing defines taken as ``chosen`` in every definition (see
    :func:`with_functions_chosen`).

    >>> r = Reading.empty().with_tensor(TensorSpec("a", "a", (), definition=((), sp.Function("g")(component("z")))))
    >>> reading_with_functions_chosen(r, sp.Lambda(sp.Symbol("u"), sp.Symbol("u") + 1)).tensors["a"].definition
    ((), z[0] + 1)
    """
    tensors = {key: replace(spec, definition=(spec.definition[0], with_functions_chosen(spec.definition[1], chosen)))
               if spec.definition is not None and spec.definition[1].has(AppliedUndef) else spec
               for key, spec in reading.tensors.items()}
    return replace(reading, tensors=tensors)


def leaves(expr: sp.Expr) -> set:
    """The input components an instantiated expression depends on (its free symbols).

    >>> a = sp.Symbol("a", real=True)
    >>> leaves(a + 1)
    {a}
    """
    return set(expr.free_symbols)
