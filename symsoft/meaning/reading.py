r"""Read what a document's letters mean: the axes of its tensors, its definitions, domains and functions.

A pass over every display and every piece of inline math, in order:

1. **axes**: an index bound by ``\sum_{j=1}^D`` that fills a slot of a tensor gives that slot the
   axis ``D``; a model's tensors come with their axes;
2. **definitions**: ``z^{(i)} = \sum_{j=1}^D w_j x_j^{(i)} + b``, ``\hat{y} = \sigma(z)``,
   ``J(w, b) = \frac{1}{2N}\sum_i (\hat{y}^{(i)} - y^{(i)})^2``: an equation whose left side is a
   quantity not defined yet defines it for the rest of the document; the letters of its right side
   that are not defined become the model's inputs (declared);
3. **domains** from the prose: ``y \in \{0, 1\}`` (binary labels), ``\lambda > 0``,
   ``\sum_k y_k = 1`` (a probability vector);
4. **functions**: the logistic sigma when the document defines it (``\sigma(z) = \frac{1}{1+e^{-z}}``)
   or calls it logistic or sigmoid; the softmax when it writes ``\operatorname{softmax}``.

>>> from symsoft.read.document import read_document
>>> doc = read_document("$$z = \\sum_{j=1}^D w_j x_j + b \\tag{1}$$\n\nwith $y \\in \\{0, 1\\}$.")
>>> reading, defining = read_tensors(doc)
>>> reading.tensors["z"].definition is not None, reading.tensors["w_1"].axes, reading.tensors["y"].domain
(True, ('D',), 'binary')
>>> defining
{(1, 'z = \\sum_{j=1}^D w_j x_j + b'): 1}
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp
from sympy.core.function import AppliedUndef

from symsoft.errors import BindingError
from symsoft.read.document import Document, InlineMath
from symsoft.parse.latex import (Atom, CallNote, Chain, DerivativeNote, ParsedSide, called_name, matrix_display, normalize_latex,
                                 LABEL_INDICATOR, NESTED_LABEL, UNREAD, outcome_functions, parse_equation, parse_side, parse_sides, split_chain)
from symsoft.meaning.tensors import (
    ANONYMOUS, REDEFINED, WORD_UNDER_LETTER, PartialOf, Reading, SoftmaxAlong, TensorBinder, VectorFunction, TensorSpec, atom_parts, bare_key, numbered_name, bind_tensor_side, component, constant_index, index_symbol, size_symbol,
    tensor_key,
)

#: Pointwise functions of the vocabulary, by the names documents use.
LOGISTIC = sp.Lambda(sp.Symbol("u", real=True), 1 / (1 + sp.exp(-sp.Symbol("u", real=True))))
RELU = sp.Lambda(sp.Symbol("u", real=True), sp.Max(0, sp.Symbol("u", real=True)))
SOFTPLUS = sp.Lambda(sp.Symbol("u", real=True), sp.log(1 + sp.exp(sp.Symbol("u", real=True))))
SIGN = sp.Lambda(sp.Symbol("u", real=True), sp.sign(sp.Symbol("u", real=True)))
TANH = sp.Lambda(sp.Symbol("u", real=True), sp.tanh(sp.Symbol("u", real=True)))
SECH = sp.Lambda(sp.Symbol("u", real=True), 1 / sp.cosh(sp.Symbol("u", real=True)))
VOCABULARY = {
    "logistic": LOGISTIC, "sigmoid": LOGISTIC, "relu": RELU, "softplus": SOFTPLUS, "softmax": "softmax", "sign": SIGN,
    "tanh": TANH, "sech": SECH,
}
_NAMED_FUNCTIONS = {
    r"\operatorname{softmax}": "softmax", r"\mathrm{softmax}": "softmax", r"\text{softmax}": "softmax",
    r"\operatorname{ReLU}": "relu", r"\mathrm{ReLU}": "relu", r"\text{ReLU}": "relu", r"\operatorname{relu}": "relu",
    r"\mathrm{relu}": "relu", r"\text{relu}": "relu", r"\operatorname{sigmoid}": "logistic", r"\mathrm{sigmoid}": "logistic",
    r"\text{sigmoid}": "logistic", r"\operatorname{softplus}": "softplus", r"\mathrm{softplus}": "softplus",
    # a name written in \text or \mathrm before its argument is read as a word: \mathit{softplus}(x)
    r"\mathit{softplus}": "softplus", r"\mathit{sigmoid}": "logistic", r"\mathit{relu}": "relu",
    r"\mathit{ReLU}": "relu", r"\mathit{softmax}": "softmax",
    # the sign of a number (an L1 penalty's derivative): \operatorname{sign}(w), sgn(w)
    **{f"\\{command}{{{word}}}": "sign" for command in ("operatorname", "mathrm", "text", "mathit") for word in ("sign", "sgn")},
    # \mathcal{Softmax}(z_i), \text{Sigmoid}(x): the names in a calligraphic or upright face, with a capital
    **{f"\\{command}{{{word}}}": meaning for command in ("operatorname", "mathrm", "text", "mathit", "mathcal")
       for word, meaning in (("Softmax", "softmax"), ("Sigmoid", "logistic"), ("Softplus", "softplus"))},
    **{f"\\mathcal{{{word}}}": meaning for word, meaning in (("softmax", "softmax"), ("sigmoid", "logistic"))},
    # the hyperbolic tangent with a capital (Tanh(x)), the hyperbolic secant (no LaTeX command of its own)
    **{f"\\{command}{{{word}}}": word.lower() for command in ("operatorname", "mathrm", "text", "mathit")
       for word in ("Tanh", "sech")},
}
_LOGISTIC_PROSE = re.compile(r"\$\s*\\sigma(?:\s*\([^$]*\))?\s*\$[^$.]{0,40}?\b(?:logistic|sigmoid)"
                             r"|\b(?:logistic|sigmoid)\b[^$.]{0,30}?\$\s*\\sigma", re.IGNORECASE)
_BINARY = re.compile(r"^\s*(?P<who>.+?)\s*\\in\s*\\\{\s*0\s*,\s*1\s*\\\}\s*$")
_SIGNED_LETTER = r"\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?"
#: "$\lambda > 0$", "$p_i, q_i > 0$": letters (or their components) the prose gives a sign
_POSITIVE = re.compile(r"^\s*(?P<who>" + _SIGNED_LETTER + r"(?:\s*,\s*" + _SIGNED_LETTER
                       + r")*)\s*(?P<rel>>|\\geq|\\ge|\\geqslant)\s*0\s*$")
_UNIT_INTERVAL = re.compile(r"^\s*(?:0\s*<\s*(?P<who>\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?)\s*<\s*1"
                            r"|(?P<who2>\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?)\s*\\in\s*\(\s*0\s*,\s*1\s*\))\s*$")
_COMPONENT = r"(?:\\hat\{[a-zA-Z]\}|\\tilde\{[a-zA-Z]\}|[a-zA-Z])_\{?[0-9]\}?"
_EXPLICIT_SUM_TO_ONE = re.compile(r"^\s*(?P<who>" + _COMPONENT + r")(?:\s*\+\s*" + _COMPONENT + r")+\s*=\s*1\s*$")
_SUM_TO_ONE = re.compile(r"^\s*\\sum_\{?\s*([a-zA-Z])\s*(?:=\s*1\s*)?\}?(?:\^\{?\s*[A-Za-z]\s*\}?)?\s*(?P<who>.+?)\s*=\s*1\s*$")


_EXACTLY_ONE = re.compile(r"\bexactly one of (?:the )?\$([^$]+)\$\S*\s+(?:is|equals)\s+(?:1|one)\b", re.IGNORECASE)
_RELATION = re.compile(r"=|<|>|\\[lg]eq?(?![a-zA-Z])|\\neq?(?![a-zA-Z])")
#: "$Y_i$ can only be 1 for the true class and 0 otherwise", "$t_k$ is 1 if k is the correct class, else 0"
_ONE_ELSE_ZERO = re.compile(r"\$([^$]+)\$[^$.;]{0,30}?\b(?:is|be|equals?)\s+(?:only\s+)?(?:1|one)\b[^$.;]{0,60}?"
                            r"(?:\b(?:0|zero)\s+(?:otherwise|elsewhere|else)|\b(?:otherwise|else)\s*,?\s*(?:0|zero)\b)",
                            re.IGNORECASE)
#: an indexed letter just before a logarithm, the label of a cross-entropy term (``\hat{y}_k \log p_k``)
_LOG_FACTOR = re.compile(r"((?:\\hat\s*\{\s*[a-zA-Z]\s*\}|\\hat\s+[a-zA-Z]|(?<![\\a-zA-Z])[a-zA-Z])"
                         r"_\s*(?:\{\s*[a-z]\s*\}|[a-z]))\s*\\(?:log|ln)\b")
#: "one-hot" as documents write it, in English and in the words of Korean, Chinese and Japanese notes
ONE_HOT = r"(?:\bone[- ]?hot\b|원-?핫|独热|獨熱|ワンホット)"
_BARE_ONE_HOT = re.compile(r"(?<![$\\\w])([a-zA-Z])\s+is\s+(?:a\s+|an\s+)?" + ONE_HOT)
_PROBABILITY_WORDS = re.compile(r"\bsums? to (?:one|1)\b|" + ONE_HOT + r"|\bprobability (?:vector|distribution)\b",
                                re.IGNORECASE)


def _walk(side: ParsedSide):
    """Every (placeholder note, side) in a parsed side, derivatives' and calls' sides included."""
    for note in side.placeholders.values():
        yield note, side
        if isinstance(note, DerivativeNote):
            yield from _walk(note.operand)
            yield from _walk(note.variable)
        elif isinstance(note, CallNote):
            yield from _walk(note.argument)


def _within(side: ParsedSide):
    """``side`` and every side inside it (the operands and variables of derivatives, the arguments of calls)."""
    yield side
    for note, _side in _walk(side):
        if isinstance(note, DerivativeNote):
            yield note.operand
            yield note.variable
        elif isinstance(note, CallNote):
            yield note.argument


def _atom_key(atom: Atom, lettered: frozenset) -> str:
    base, superscripts, subscripts = atom_parts(atom, lettered)
    return tensor_key(base, len(superscripts), len(subscripts))


def _atom_letters(atom: Atom, lettered: frozenset) -> tuple:
    _base, superscripts, subscripts = atom_parts(atom, lettered)
    return (*superscripts, *subscripts)


def _slot_axes(side: ParsedSide, found: dict, lettered: frozenset, every: dict | None = None,
               sizes: frozenset = frozenset()) -> None:
    """Record, for each tensor slot filled by a summation index with a named bound (a capital, or one of
    ``sizes``), that bound as its axis (the first one seen; ``every`` collects all of them)."""
    for one in _within(side):
        for sum_ in one.expr.atoms(sp.Sum, sp.Product):  # a product's bound names its index's axis as a sum's does
            for variable, _low, high in sum_.limits:
                if not (isinstance(high, sp.Symbol) and (re.fullmatch(r"[A-Z]", high.name) or high.name in sizes)):
                    continue
                for note in _summand_atoms(sum_.function, one):
                    for slot, name in enumerate(_atom_letters(note, lettered)):
                        if name == variable.name:
                            found.setdefault(_atom_key(note, lettered), {}).setdefault(slot, high.name)
                            if every is not None:
                                every.setdefault((_atom_key(note, lettered), slot), set()).add(high.name)


_LISTED = re.compile(r"(?:\\mathbf\{(?P<bold>[a-zA-Z])\}|\\boldsymbol\{(?P<sym>[a-zA-Z])\}|\\vec\{(?P<vec>[a-zA-Z])\}|"
                     r"(?<![\\a-zA-Z])(?P<plain>[a-zA-Z]))\s*=\s*(?:\\left\s*)?(?:\\\{|\(|\[)\s*"
                     r"(?P<first>[a-zA-Z])_\{?1\}?\s*,(?:\s*(?P=first)_\{?2\}?\s*,)?\s*"
                     r"(?:\.\.\.|\\[lc]?dots|\\dotsc)\s*,\s*(?P=first)_\{?(?P<size>[a-zA-Z])\}?\s*(?:\\right\s*)?(?:\\\}|\)|\])")


def _subscripted_size(note) -> str:
    r"""The name of a size written as a letter with a number or a word under it (``N_1``, ``n_{\text{out}}``), when
    ``note`` (a sum's upper bound: an atom the parser took out, or a symbol) is one; else "".

    >>> from symsoft.parse.latex import Atom
    >>> _subscripted_size(Atom("N", ("1",), (), 0, 3, "N_1")), _subscripted_size(Atom("x", ("i",), (), 0, 3, "x_i"))
    ('N_1', '')
    >>> _subscripted_size(sp.Symbol(r"n_{\text{out}}"))
    'n_{\\text{out}}'
    """
    if isinstance(note, sp.Symbol):
        return note.name if WORD_UNDER_LETTER.fullmatch(note.name) else ""
    if not isinstance(note, Atom) or note.superscripts:
        return ""
    if len(note.subscripts) != 1 or not re.fullmatch(r"[a-zA-Z]", note.base) \
            or not re.fullmatch(r"[0-9]+", note.subscripts[0].strip("{} ")):
        return ""
    return f"{note.base}_{note.subscripts[0].strip('{} ')}"


def _listed_sizes(texts) -> dict:
    r"""The sizes a document gives its vectors by listing their components: ``\mathbf{x} = (x_1, x_2, \dots, x_n)``
    makes ``n`` the size of ``x``'s axis (the key of its one-index tensor).

    >>> _listed_sizes([r"\mathbf{x} = \{ x_1, x_2, ..., x_n \}", r"z = (z_1, \ldots, z_K)", r"a = (b_1, \dots, b_m)"])
    {'x_1': 'n', 'z_1': 'K'}
    """
    found = {}
    for text in texts:
        for match in _LISTED.finditer(text):
            name = match.group("bold") or match.group("sym") or match.group("vec") or match.group("plain")
            if name == match.group("first") and match.group("size") != name:
                found.setdefault(name + "_1", match.group("size"))
    return found


def _summand_atoms(summand: sp.Expr, side: ParsedSide):
    r"""The letters a summand is made of, inside its derivatives and calls too (``\frac{\partial L}{\partial p_k}``).

    >>> from symsoft.parse.latex import parse_side
    >>> side = parse_side(r"\sum_{k=1}^n \frac{\partial L}{\partial p_k}")
    >>> [a.base for a in _summand_atoms(next(iter(side.expr.atoms(sp.Sum))).function, side)]
    ['p']
    """
    for symbol in sorted(summand.free_symbols, key=str):
        note = side.placeholders.get(symbol)
        if isinstance(note, Atom):
            yield note
        elif isinstance(note, (DerivativeNote, CallNote)):
            for inner in ((note.operand, note.variable) if isinstance(note, DerivativeNote) else (note.argument,)):
                yield from _summand_atoms(inner.expr, inner)


def _renamed_axes(reading: Reading, every: dict) -> Reading:
    r"""The model's axes under the document's names: when every sum over the slots of a model axis (N) runs to
    one other size (``\sum_{i=1}^{m}``) and none to N itself, the document calls that axis m.

    >>> r = Reading.empty().with_tensor(TensorSpec("y^1", "y", ("N",), origin="model"))
    >>> _renamed_axes(r, {("y^1", 0): {"m"}}).tensors["y^1"].axes
    ('m',)
    """
    bounds: dict = {}
    for (key, slot), names in every.items():
        spec = reading.tensors.get(key)
        if spec is not None and spec.origin == "model" and slot < len(spec.axes) and spec.axes[slot]:
            bounds.setdefault(spec.axes[slot], set()).update(names)
    renamed = {axis: next(iter(names)) for axis, names in bounds.items() if len(names) == 1 and axis not in names}
    if not renamed or len(set(renamed.values())) < len(renamed):
        return reading
    tensors = {key: replace(spec, axes=tuple(renamed.get(a, a) for a in spec.axes)) for key, spec in reading.tensors.items()}
    minimum = {renamed.get(axis, axis): size for axis, size in reading.minimum.items()}
    return replace(reading, tensors=tensors, minimum=minimum)


def _unify_axes(parsed, axes: dict, reading: Reading) -> None:
    """An index letter fills slots of one axis within one equation: slots joined that way share an axis
    (z_k = sum_t w_t^{(k)} x_t gives w's superscript z's axis). A group of slots no sum bound names gets an
    axis of its own, named after an index that runs over it (``|k|``), the same in every equation."""
    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    letter_of: dict = {}
    for _line, _latex, _display, chain in parsed:
        if not _definition_shaped(chain, reading.lettered):
            continue  # claims may be wrong (W_{kj} for W_{km}); only definitions say which slots share an axis
        letters: dict = {}
        for side in chain.sides:
            for note, _ in _walk(side):
                if isinstance(note, Atom) and not re.sub(r"\s+", "", note.base) == "\\delta":
                    for slot, name in enumerate(_atom_letters(note, reading.lettered)):
                        if name.isalpha():
                            letters.setdefault(name, []).append((_atom_key(note, reading.lettered), slot))
        try:  # s(\mathbf x)_i = ... defines s_1 at x_i: the quantity defined shares its letters' axes too
            target = _definition_target(chain.sides[0].text, reading.lettered)
        except (Exception, RecursionError):
            target = None
        for slot, name in enumerate(target[1] if target else ()):
            if name.isalpha() and (target[0], slot) not in letters.get(name, []):
                letters.setdefault(name, []).append((target[0], slot))
        for name, slots in letters.items():
            for node in slots:
                letter_of.setdefault(node, name)
                parent[find(node)] = find(slots[0])
    groups: dict = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    for members in groups.values():
        known = {axes.get(key, {}).get(slot) or _model_axis(reading, key, slot) for key, slot in members}
        known.discard(None)
        if len(known) > 1:
            continue  # the document uses one letter for two axes somewhere: leave it to each equation
        axis = known.pop() if known else "|" + sorted(letter_of[m] for m in members)[0] + "|"
        for key, slot in members:
            axes.setdefault(key, {}).setdefault(slot, axis)


#: The right side of a definition that could not be parsed: binding it fails, so its quantity is opaque.
_UNREAD = ParsedSide("(not read)", sp.Symbol("\\mathit{unread}"), {})


def _ends_of(latex: str):
    r"""A chain of equalities some middle side of which is not read (``y_i = \text{softmax}(\textbf{x})_i =
    \frac{e^{x_i}}{\sum_d e^{x_d}}``) as its first side equal to its last: what it defines, else None.

    >>> [side.text for side in _ends_of(r"y_i = \textbf{?} = e^{x_i}").sides]
    ['y_i', 'e^{x_i}']
    >>> _ends_of(r"y = e^-(").sides[1].text
    '(not read)'
    >>> _ends_of(r"y = e^{x} = \frac{e^{\text{input}}}{(").sides[1].text
    'e^{x}'
    """
    try:
        texts, relations = split_chain(normalize_latex(latex)[0])
        if len(texts) < 2 or relations[0] != "=" or "\\NEWCHAIN" in latex:
            return None
        first = parse_side(texts[0])
    except (Exception, RecursionError):
        return None
    if len(texts) >= 3 and set(relations) == {"="}:
        for text in (texts[-1], texts[1]):  # the last side, else the first one after the quantity (S_j = e^{a_j} / ...
            try:                            # = \frac{e^{\text{input}}}{...}: the words are not read)
                return Chain((first, parse_side(text)), ("=",))
            except (Exception, RecursionError):
                continue
    return Chain((first, _UNREAD), ("=",))  # meant as a definition, not read: the quantity stays opaque


#: a conditional probability that names what follows it, ``p(w_j|w_I)``, ``P(y = k \mid x; \theta)``: never a value
_CONDITIONAL_NAME = re.compile(r"\s*(?:\\[a-zA-Z]+|[a-zA-Z])\s*(?:\\left)?\s*\([^()]*(?:\||\\mid|;)[^()]*(?:\\right)?\)\s*")


#: prose that introduces a definition ("Cross entropy is given by", "where", "we define")
_DEFINING_PROSE = re.compile(r"\b(?:given by|defined (?:as|by)|by definition|is defined|we define|define|let|denoted?|"
                             r"written as|where|is the)\b", re.IGNORECASE)


#: the sentence before a display that shows a variant of a quantity already defined, beside it: "compare this to the
#: cost without regularization", "the unregularized loss", "instead of"
_VARIANT_PROSE = re.compile(r"\bcompared? (?:this|it|that|with|to)\b|\bwithout (?:the |any )?(?:regulari[sz]ation|penalty|"
                            r"regulari[sz]er|bias|intercept|weight decay)\b|\b(?:un|non-?)regulari[sz]ed\b", re.IGNORECASE)


#: prose that presents a display as the correction of a formula above ("it's a typo and should be the following
#: instead", "the correct formula is")
_CORRECTION_PROSE = re.compile(r"\btypos?\b|\bshould\b[^.]{0,80}\binstead\b|\bcorrect(?:ed)? (?:formula|version|expression|"
                               r"definition)\b|\bshould (?:read|have been)\b", re.IGNORECASE)


def definition_line(spec: TensorSpec | None) -> int | None:
    """The line of the display that defines ``spec`` (its origin), or None.

    >>> definition_line(TensorSpec("L", "L", (), origin="line 12")), definition_line(None)
    (12, None)
    """
    found = re.fullmatch(r"line (\d+)", spec.origin) if spec is not None else None
    return int(found.group(1)) if found else None


def _lead_in(lines: list, line: int) -> str:
    """The prose just before the display on ``line`` (1-based): the three lines before it and the text before its $$."""
    before = lines[max(0, line - 4):max(0, line - 1)]
    current = lines[line - 1].split("$$")[0] if 0 < line <= len(lines) else ""
    return " ".join([*before, current])[-300:]


def _read_apart(latex: str):
    r"""The equations of a display the parser does not read whole, read side by side: each one whose sides are all
    read as it is, one with a side not read as its first side equal to its last read side (as :func:`_ends_of`), and
    one with nothing read after its first side as a quantity defined in a way not read. Returns a list of ``(chain,
    a side between not read)``, or None when no two neighbouring sides are read.

    >>> [([s.text for s in c.sides], between) for c, between in _read_apart(r"r = \log z, n = \mathbf 1_{z \neq i}, s = 2 z")]
    [(['r', '\\log z'], False), (['n', '(not read)'], False), (['s', '2 z'], False)]
    """
    try:
        chain = parse_sides(latex)
    except (Exception, RecursionError):
        return None
    out = []
    for equation in chain.equations():
        sides, relations = equation.sides, equation.relations
        while len(sides) > 2 and sides[0].expr == UNREAD and relations[0] == "=" and sides[1].expr != UNREAD \
                and _CONDITIONAL_NAME.fullmatch(sides[0].text) \
                and _definition_shaped(Chain(sides[1:], relations[1:]), frozenset()):
            sides, relations = sides[1:], relations[1:]  # p(w_j|w_I) = y_j = \frac{...}: y_j is what it defines
        equation = Chain(sides, relations, equation.tail)
        if not equation.relations:
            continue
        if all(side.expr != UNREAD for side in sides):
            out.append((equation, False))
            continue
        if sides[0].expr == UNREAD or equation.relations[0] != "=":
            continue  # a claim some side of which is not read: nothing it defines
        if len(sides) >= 3 and set(equation.relations) == {"="}:
            read = [side for side in (sides[-1], sides[1]) if side.expr != UNREAD]
            if read:
                out.append((Chain((sides[0], read[0]), ("=",), equation.tail), True))
                continue
        out.append((Chain((sides[0], _UNREAD), ("=",)), False))
    return out


def _unread_formula(text: str) -> bool:
    r"""True for a side of a chain written as a formula (no words) that the parser does not read (``-\log P(D|w)``);
    False for one it reads, and for words (``\frac{e^{\text{input}}}{\text{sum of } e^{\text{inputs}}}``: a
    description, never another value).

    >>> _unread_formula(r"-\log P(D|w)"), _unread_formula(r"\frac{e^{\text{input}}}{\text{sum}}"), _unread_formula("e^x")
    (True, False, False)
    """
    if re.search(r"\\(?:text|mbox|textrm|mathrm|operatorname)\s*\{\s*[a-zA-Z]{2,}|\\mathit\{[a-z]{3,}\}", text):
        return False
    try:
        parse_side(text)
    except (Exception, RecursionError):
        return True
    return False


def _definition_shaped(chain, lettered: frozenset) -> bool:
    r"""True for ``quantity = formula``: the left side one letter or one component (or a function's component at a
    vector, ``\sigma(x)_i``), the first relation ``=``."""
    if not chain.relations or chain.relations[0] != "=":
        return False
    head = chain.sides[0]
    if isinstance(head.expr, sp.Function) and len(head.expr.args) == 1 and isinstance(
            head.placeholders.get(head.expr.args[0]), Atom):
        return True
    try:
        return _definition_target(chain.sides[0].text, lettered) is not None
    except (Exception, RecursionError):
        return False


def _model_axis(reading: Reading, key: str, slot: int):
    spec = reading.tensors.get(key)
    return spec.axes[slot] if spec is not None and slot < len(spec.axes) else None


def _definition_target(text: str, lettered: frozenset):
    """The quantity a left side defines: (key, index letters) for an atom or a bare letter, else None."""
    side = parse_side(text)
    expr = side.expr
    if isinstance(expr, sp.Symbol):
        note = side.placeholders.get(expr)
        if note is None:
            name = expr.name
            if name.startswith("\\mathit{Q"):
                return None
            return name, ()
        if isinstance(note, Atom):
            letters = _atom_letters(note, lettered)
            if all(re.fullmatch(r"[a-zA-Z]", s) for s in letters) and len(set(letters)) == len(letters):
                return _atom_key(note, lettered), letters
        if not isinstance(note, CallNote):
            return None
        if re.fullmatch(r"[A-Z]|\\ell|\\mathcal\{[A-Z]\}", note.name) and re.fullmatch(
                r"\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{\s*[a-zA-Z]\s*\}|[a-zA-Z])\s*", note.argument.text):
            return bare_key(note.name), ()  # L(\mathbf{p}): the loss L, named with the vector it depends on
    if isinstance(expr, sp.Function) and type(expr).__name__ not in ("exp", "log") and \
            all(_parameter(a) is not None and _parameter(a) not in side.placeholders for a in expr.args) \
            and re.fullmatch(r"[a-zA-Z]|\\[a-zA-Z]+(?:\{[a-zA-Z]\})?|\\mathit\{G[a-z]x[a-z]+\}|\\mathit\{Dsub[A-Za-z]+D\\?[A-Za-z]+\}",
                         expr.func.__name__) \
            and expr.func.__name__ not in ("\\sum", "\\frac", "\\max", "\\min"):
        return bare_key(expr.func.__name__), ()  # J(w, b): the cost J of the parameters
    if isinstance(expr, AppliedUndef) and re.fullmatch(r"[A-Z]|\\ell|\\mathcal\{[A-Z]\}", expr.func.__name__):
        return bare_key(expr.func.__name__), ()  # H(Y, \sigma(A)): the loss H, named with what it depends on
    note = side.placeholders.get(sp.Symbol(expr.func.__name__)) if isinstance(expr, AppliedUndef) else None
    if isinstance(note, Atom) and all(isinstance(a, sp.Symbol) and a not in side.placeholders for a in expr.args):
        letters = _atom_letters(note, lettered)  # f_i(m, b): the i-th term f_i, a function of m and b
        if all(re.fullmatch(r"[a-zA-Z]", s) for s in letters) and len(set(letters)) == len(letters):
            return _atom_key(note, lettered), letters
    applied = sample_function(side)
    if applied is not None:
        name, atom = applied
        letters = _atom_letters(atom, lettered)
        if all(re.fullmatch(r"[a-zA-Z]", s) for s in letters) and len(set(letters)) == len(letters):
            return _atom_key(replace(atom, base=name), lettered), letters
    return None


def sample_function(side: ParsedSide):
    r"""``(name, atom)`` when a side is a function the reading does not know applied to one component,
    ``h_\theta(x^{(i)})``: a quantity of each sample (the value of ``h`` at the sample's features), else None.

    >>> name, atom = sample_function(parse_equation(r"h_\theta(x^{(i)}) = w x^{(i)}").sides[0])
    >>> name, atom.base, atom.superscripts
    ('h_{\\theta}', 'x', ('i',))
    """
    expr = side.expr
    call = side.placeholders.get(expr) if isinstance(expr, sp.Symbol) else None
    if isinstance(call, CallNote):  # the parser's call of a component
        name, argument = call.name, call.argument
        atom = argument.placeholders.get(argument.expr) if isinstance(argument.expr, sp.Symbol) else None
    elif isinstance(expr, AppliedUndef) and len(expr.args) == 1:
        name, atom = expr.func.__name__, side.placeholders.get(expr.args[0])
    else:
        return None
    name = called_name(name)
    if not re.fullmatch(r"[a-zA-Z](?:_\{\\?[a-zA-Z]+(?:,[a-zA-Z])*\})?", name):  # h_{\theta}, f_{w,b}
        return None  # \sigma(z_i), \phi(a_j): a function of the vocabulary, applied
    return (name, atom) if isinstance(atom, Atom) else None


def _defined_by_its_derivative(chain, reading: Reading):
    r"""``\frac{\partial a_i}{\partial z_i} = \frac{\partial}{\partial z_i} \frac{e^{z_i}}{\sum_k e^{z_k}}`` where the
    document never defines a: it names a_i the formula it differentiates (the chain ``a_i = F``), else None.

    >>> chain = _defined_by_its_derivative(parse_equation(r"\frac{\partial a_i}{\partial z_i} = "
    ...                                                   r"\frac{\partial}{\partial z_i} \frac{e^{z_i}}{\sum_k e^{z_k}}"), Reading.empty())
    >>> chain.sides[0].text, chain.relations
    ('a_i', ('=',))
    """
    if len(chain.sides) < 2 or chain.relations[0] != "=":
        return None
    notes = [side.placeholders.get(side.expr) if isinstance(side.expr, sp.Symbol) else None for side in chain.sides[:2]]
    if not all(isinstance(note, DerivativeNote) for note in notes):
        return None
    first, second = notes
    atom = first.operand.placeholders.get(first.operand.expr) if isinstance(first.operand.expr, sp.Symbol) else None
    if not isinstance(atom, Atom) or atom.superscripts or isinstance(second.operand.expr, sp.Symbol) \
            or re.sub(r"\s+", "", first.variable.text) != re.sub(r"\s+", "", second.variable.text):
        return None
    spec = reading.tensors.get(_atom_key(atom, reading.lettered))
    if spec is not None and (spec.definition is not None or spec.opaque):
        return None
    try:
        return parse_equation(f"{first.operand.text} = {second.operand.text}")
    except (Exception, RecursionError):
        return None


def _parameters_of(chain) -> tuple:
    try:
        return call_parameters(chain.sides[0].text) if chain.relations and chain.relations[0] == "=" else ()
    except (Exception, RecursionError):
        return ()


def _at_a_point(line: str, latex: str) -> bool:
    r"""True when the prose puts the inline equation after "at", "when" or "if": a point or a case, not a definition.

    >>> _at_a_point("The derivative vanishes at $t = 1$.", "t = 1"), _at_a_point("Let $t = 1$.", "t = 1")
    (True, False)
    """
    where = line.find("$" + latex + "$")
    if where < 0:
        return False
    return bool(re.search(r"\b(?:at|when|whenever|if|unless|until)\s*$", line[:where], re.IGNORECASE))


def call_parameters(text: str) -> tuple:
    r"""The keys of the parameters of a left side written as a call, ``\ell(a, y)``, else ().

    >>> call_parameters(r"\ell(a, y)"), call_parameters(r"z_k")
    (('a', 'y'), ())
    """
    expr = parse_side(text).expr
    if isinstance(expr, sp.Function) and all(_parameter(a) is not None for a in expr.args):
        return tuple(bare_key(_parameter(a).name) for a in expr.args)
    return ()


def _squared_parameters(side: ParsedSide) -> tuple:
    r"""Which parameters a left side written as a call writes squared: ``L(\mu, \sigma^2)`` gives (False, True).

    >>> _squared_parameters(parse_side(r"L(\mu, \sigma^2)")), _squared_parameters(parse_side(r"\ell(a, y)"))
    ((False, True), ())
    """
    args = side.expr.args if isinstance(side.expr, sp.Function) else ()
    squared = tuple(isinstance(a, sp.Pow) and a.exp == 2 for a in args)
    return squared if any(squared) else ()


def _parameter(argument: sp.Expr):
    r"""The letter a parameter of a defined function names: ``\mu``, or ``\sigma`` for ``\sigma^2`` (a variance
    written as the parameter); None for anything else.

    >>> s = sp.Symbol("sigma")
    >>> _parameter(s), _parameter(s**2), _parameter(s + 1)
    (sigma, sigma, None)
    """
    if isinstance(argument, sp.Pow) and argument.exp == 2:
        argument = argument.base
    return argument if isinstance(argument, sp.Symbol) else None


def keys_used(side: ParsedSide, lettered: frozenset = frozenset()) -> set:
    r"""The tensor keys and bare letters a parsed side uses (derivatives and calls included).

    >>> sorted(keys_used(parse_side(r"\frac{\partial L}{\partial w_j} + b")))
    ['L', 'b', 'w_1']
    """
    found = set()
    sides = [side]
    while sides:
        one = sides.pop()
        for symbol in one.expr.free_symbols:
            note = one.placeholders.get(symbol)
            if note is None and isinstance(symbol, sp.Symbol) and not symbol.name.startswith("\\mathit{Q"):
                found.add(symbol.name)
        for note in one.placeholders.values():
            if isinstance(note, Atom):
                found.add(_atom_key(note, lettered))
            elif isinstance(note, DerivativeNote):
                sides.extend((note.operand, note.variable))
            elif isinstance(note, CallNote):
                sides.append(note.argument)
    return found


def _index_letters(parsed) -> set:
    """Letters used as indices anywhere in the document (subscripts, superscripts, sums)."""
    letters = set()
    for _line, _latex, _display, chain in parsed:
        for side in chain.sides:
            for note, _ in _walk(side):
                if isinstance(note, Atom):
                    letters.update(s for s in (*note.subscripts, *note.superscripts) if s.isalpha())
            for sum_ in side.expr.atoms(sp.Sum):
                letters.update(v.name for v, *_ in sum_.limits)
    return letters


def read_tensors(document: Document, model: Reading | None = None, functions: dict | None = None,
                 restated: dict | None = None) -> tuple[Reading, dict]:
    r"""The reading of a document (see :func:`_read_tensors`), read twice when a function of several arguments the
    document defines (``Cost(h_\theta(x), y) = ...``) comes after a definition that uses it and was not read then.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$J = \\mathit{Cost}(a_1, b_1) \\tag{1}$$\n\n"
    ...                     "$$\\mathit{Cost}(a_1, b_1) = a_1 - b_1 \\tag{2}$$")
    >>> r, defining = read_tensors(doc)
    >>> r.tensors["J"].definition[1], sorted(line for line, _latex in defining)
    (a_1[1] - b_1[1], [1, 3])
    """
    reading, defining = _read_tensors(document, model, functions, restated)
    crossing = _letters_cross(reading)
    if _cyclic(reading) or crossing:  # a_j = g_j(z_j), z_j = b_j + \sum_i a_i w_{ij}: the index letters name the layers
        bases = frozenset(spec.base for key, spec in reading.tensors.items()
                          if re.fullmatch(r"(?:\\?[a-zA-Z]+)'?_[1-3]", key) and key != "\\delta_2")
        layered, by_layers = _read_tensors(document, model, functions, restated, bases)
        if not _cyclic(layered) and (crossing or _layered_definitions(layered, bases)):
            reading, defining = layered, by_layers
    found = {name: f for name, f in reading.functions.items()
             if isinstance(f, sp.Lambda) and len(f.variables) > 1 and name not in (functions or {})}
    if found and any(spec.opaque for spec in reading.tensors.values()):
        again, defined_again = _read_tensors(document, model, {**(functions or {}), **found}, restated)
        return again, {**defining, **defined_again}
    return reading, defining


def _cyclic(reading: Reading) -> bool:
    """Whether some definition depends on itself through others (``a_j = g(z_j)``, ``z_j = \\sum_i a_i w_{ij}``
    read as one ``a`` and one ``z``).

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> r = Reading.empty().with_tensor(TensorSpec("a", "a", (), definition=((), component("z") + 1)))
    >>> _cyclic(r), _cyclic(r.with_tensor(TensorSpec("z", "z", (), definition=((), component("a") * 2))))
    (False, True)
    """
    uses = {key: {str(part.base) for part in spec.definition[1].atoms(sp.Indexed)}
            for key, spec in reading.tensors.items() if spec.definition is not None}
    state: dict = {}

    def visit(key: str) -> bool:
        if state.get(key) == 1:
            return True
        if state.get(key) == 2 or key not in uses:
            return False
        state[key] = 1
        found = any(visit(used) for used in sorted(uses[key]) if used != key)
        state[key] = 2
        return found

    return any(visit(key) for key in sorted(uses))


def _letters_cross(reading: Reading) -> bool:
    r"""Whether the definitions write one two-index letter with an index letter in both places (``h_j = 	anh(\sum_i
    w_{ij} x_i)`` and ``y_k = \sum_j w_{jk} h_j``): the letters then name two layers' weights, never one matrix.

    >>> from symsoft.meaning.tensors import TensorSpec, component, index_symbol
    >>> i, j, k = (index_symbol(n) for n in "ijk")
    >>> r = Reading.empty().with_tensor(TensorSpec("h_1", "h", (None,), definition=((j,), component("w_2", i, j))))
    >>> _letters_cross(r), _letters_cross(r.with_tensor(TensorSpec("y_1", "y", (None,),
    ...                                                             definition=((k,), component("w_2", j, k)))))
    (False, True)
    """
    places: dict = {}
    for spec in reading.tensors.values():
        if spec.definition is None:
            continue
        for part in spec.definition[1].atoms(sp.Indexed):
            if len(part.indices) == 2 and all(isinstance(i, sp.Symbol) and not i.is_positive for i in part.indices):
                for place, index in enumerate(part.indices):
                    places.setdefault(str(part.base), {}).setdefault(index.name, set()).add(place)
    return any(len(found) > 1 for letters in places.values() for found in letters.values())


def _layered_definitions(reading: Reading, bases: frozenset) -> bool:
    """Whether a letter is defined for two layers apart (``a_{j}`` and ``a_{k}``), the sign that its index letters
    name the layers."""
    defined = [spec.key for spec in reading.tensors.values() if spec.definition is not None]
    return any(sum(1 for key in defined if key.startswith(base + "_{")) > 1 for base in bases)


def _read_tensors(document: Document, model: Reading | None = None, functions: dict | None = None,
                  restated: dict | None = None, layered: frozenset = frozenset()) -> tuple[Reading, dict]:
    r"""The reading of a document: its tensors (with axes, domains, definitions) and functions.

    Parameters
    ----------
    document : the document as read
    model : what a model says before the document speaks (its tensors and functions), or None
    functions : pointwise functions the document already defines (``{"\\sigma": Lambda}``)
    restated : the functions whose known meaning the document restates, each with the line of its first
        restatement (``{"\\sigma": 17}``): a display after it is a claim about that function, never a new definition

    Returns the reading and, for each display that defines something, its line and the number of
    leading steps that are definitions.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$\\hat{y}^{(i)} = \\sum_{j=1}^D w_j x_j^{(i)} \\tag{1}$$")
    >>> r, _ = read_tensors(doc)
    >>> sorted(r.tensors), r.tensors["x^1_1"].axes
    (['\\hat{y}^1', 'w_1', 'x^1_1'], ('|i|', 'D'))
    """
    reading = model or Reading.empty()
    pieces = [(eq.line, eq.latex, True) for eq in document.equations] + [(i.line, i.latex, False) for i in document.inline]
    spreads = _SPREADS.search(re.sub(r"<!--.*?-->", " ", document.source, flags=re.DOTALL)) is not None
    applied = _SIGMA_CALLED if spreads else _SIGMA_APPLIED  # \sigma_1, \sigma_2 of two Gaussians: spreads
    reading = replace(reading, sigma_applied=any(applied.search(latex) for _line, latex, _display in pieces),
                      other_activation=bool(_OTHER_ACTIVATION.search(re.sub(r"<!--.*?-->", " ", document.source,
                                                                             flags=re.DOTALL))))
    parsed = []
    unread_between = set()  # chains read as their ends, a side between them not read: ids
    for line, latex, display in pieces:
        try:
            chain = parse_equation(latex)
        except (Exception, RecursionError):
            apart = _read_apart(latex)
            if apart and (len(apart) > 1 or _ends_of(latex) is None):  # r = \log \sum_j e^{z_j}, n = \mathbf 1_{...}
                for each, between in apart:
                    if between:
                        unread_between.add(id(each))
                    parsed.append((line, latex, display, each))
                continue
            chain = _ends_of(latex)
            if chain is None:
                continue
            if chain.sides[1] is not _UNREAD and any(_unread_formula(text) for text in
                                                     split_chain(normalize_latex(latex)[0])[0][1:]):
                unread_between.add(id(chain))
        parsed.append((line, latex, display, chain))
    # equations joined by commas (g_i = e^{a_i}, h_i = \Sigma) define one by one
    rows: dict = {}  # an aligned display's rows, each an equation of its own: (line, LaTeX) -> the rows
    for line, latex, _display, chain in parsed:
        if len(chain.equations()) > 1:
            rows[(line, latex)] = chain.equations()
    parsed = [(line, latex, display, equation) for line, latex, display, chain in parsed
              for equation in (rows.get((line, latex)) or chain.equations()) if equation.relations or not chain.relations]
    parsed = _with_named_ends(_with_vector_definitions(_with_named_terms(parsed)))
    literal, whole = _literal_definitions(document)
    parsed = sorted(parsed + literal, key=lambda p: p[0])
    lettered = {key.split("^")[0] for key, spec in reading.tensors.items() if "^" in key and spec.axes}
    for _line, _latex, _display, chain in parsed:  # bases with a letter superscript: x^{(i)}
        for side in chain.sides:
            for note, _ in _walk(side):
                if isinstance(note, Atom) and any(s.isalpha() for s in note.superscripts):
                    lettered.add(re.sub(r"\s+", "", note.base))
    names = unit_name_letters(parsed, reading)
    numbered = _numbered_only(parsed, reading, {line for line, *_ in literal}, names)
    lettered |= {base + "_#" for base in numbered}
    if numbered:
        lettered |= names  # a_{o1}, E_T in that network: names of units
    lettered |= {base + "_@" for base in layered}  # a_j, a_k: two layers, each its own quantity
    lettered |= {"^" + m.group(1) for m in re.finditer(  # \partial a^{(l)}: l names a layer, a^{(l)} one quantity
        r"\\partial\s*[a-zA-Z]\s*\^\s*\{\s*\(\s*([lL])\s*\)\s*\}(?!\s*_)", document.source)}
    reading = replace(reading, lettered=frozenset(lettered))
    # 1. axes of slots, sizes
    axes: dict = {}
    every: dict = {}
    sizes = set(reading.sizes)
    indices = _index_letters(parsed)
    summed = {v.name for *_, chain in parsed for side in chain.sides for sum_ in side.expr.atoms(sp.Sum, sp.Product)
              for v, *_ in sum_.limits}
    for _line, _latex, _display, chain in parsed:
        for side in (inner for outer in chain.sides for inner in _within(outer)):
            for sum_ in side.expr.atoms(sp.Sum, sp.Product):  # \prod_{i=1}^n: n factors, n a size as in a sum
                for _v, _l, high in sum_.limits:
                    if isinstance(high, sp.Add) and len(high.free_symbols) == 1 and high.as_coeff_Add()[0].is_Integer:
                        high = next(iter(high.free_symbols))  # \sum_{k=0}^{m-1}: m terms, m a size as in \sum^{m}
                    if isinstance(high, sp.Symbol) and (re.fullmatch(r"[A-Z]", high.name) or (
                            re.fullmatch(r"[a-z]", high.name) and high.name not in summed | {"e", "d"}
                            and high.name not in reading.tensors)):
                        sizes.add(high.name)  # \sum_{i=1}^{m}: m samples, when m is never an index
                    named = _subscripted_size(side.placeholders.get(high, high))
                    if named and named.split("_")[0] + "_1" not in reading.tensors:
                        sizes.add(named)  # \sum_{j=1}^{N_1}: the size of the first layer
    for key, size in _listed_sizes(latex for _line, latex, _display in pieces).items():
        if size not in summed:
            sizes.add(size)  # x = (x_1, ..., x_n): n components
            axes.setdefault(key, {}).setdefault(0, size)
    for _line, _latex, _display, chain in parsed:
        for side in chain.sides:
            _slot_axes(side, axes, reading.lettered, every, frozenset(sizes))
    reading = _renamed_axes(reading, every)
    _unify_axes(parsed, axes, reading)
    tensors = dict(reading.tensors)
    axes = {key: slots for key, slots in axes.items() if not key.startswith("\\delta_2")}  # Kronecker deltas
    for key, slots in axes.items():
        spec = tensors.get(key)
        count = max(slots) + 1
        base = re.split(r"[\^_](?=\d)", key)[0]
        known = list(spec.axes) if spec is not None else []
        known += [None] * (count - len(known))
        for slot, axis in slots.items():
            if known[slot] is None:
                known[slot] = axis
            elif (known[slot] != axis and spec.origin == "model" and spec.definition is None
                  and every.get((key, slot)) == {axis}):
                known[slot] = axis  # the author's x_i summed to N is a sample's feature, whatever the model's x_j
        tensors[key] = replace(spec, axes=tuple(known)) if spec is not None else TensorSpec(key, base, tuple(known))
    # the axis a slot has in one tensor is the axis of the same slot of the same letter with another shape
    reading = replace(reading, tensors=tensors, sizes=frozenset(sizes),
                      functions={**reading.functions, **_functions(document, functions or {})})
    zero_based, intercepts = _origins(parsed, reading)
    reading = replace(reading, zero_based=zero_based, intercepts=intercepts)  # before a definition's sums are bound
    # 2. definitions, in document order
    # keyed by (line, LaTeX): several displays may share a line
    defining: dict = {(line, latex): len(matrix_display(latex).relations) for line, latex in
                      ((eq.line, eq.latex) for eq in document.equations) if line in whole}
    marks: dict = {}  # per display, the aligned rows found to define (see _rows_defined)
    defined: set = set()  # what this document defined: it may define again what a model defines
    conditional: set = set()  # defined only in a case ("where $y_i = 1$"): a general definition may follow
    unread: set = set()  # defined in a way not read: a definition the prose introduces ("is given by") may follow
    parameter_since: dict = {}  # a function's variable, from the line that defines the function
    claimed = dict(restated or {})  # a known function's first claim (or restated definition): its line
    heads = _called_heads(document)
    for number, _t, _d, chain in sorted(parsed, key=lambda p: p[0]):
        for parameter in _parameters_of(chain) if chain.sides else ():
            parameter_since.setdefault(parameter, number)
    lines = document.source.splitlines()
    redefinitions: list = []
    variants: list = []  # lines of displays that show another version of a quantity beside the one in force
    twice: set = set()
    valued: set = set()
    early = _called_before_defined(parsed, reading.lettered)
    solved = _solved_for(parsed, reading.lettered)
    solutions: list = []
    for line, latex, display, chain in sorted(parsed, key=lambda p: (id(p[3]) not in early, p[0])):
        if not chain.relations or chain.relations[0] != "=":
            continue
        if not display and _at_a_point(lines[line - 1] if 0 < line <= len(lines) else "", latex):
            continue  # "the derivative vanishes at $t = \frac{y - 1}{3}$": a point, not a definition
        if "'" in chain.sides[0].text or "\\prime" in chain.sides[0].text:
            continue  # w_j' is not w_j: primes are not read yet
        fixed = _fixed_component(chain, reading)
        if fixed is not None:  # x_0^{(i)} = 1: the constant feature
            key, pattern, value = fixed
            spec = reading.tensors[key]
            reading = reading.with_tensor(replace(spec, fixed=spec.fixed + ((pattern, value),)))
            if display:
                defining[(line, latex)] = _rows_defined(defining, marks, rows, line, latex, chain)
            continue
        implicit = _defined_by_its_derivative(chain, reading)
        if implicit is not None:  # \frac{\partial a_i}{\partial z_i} = \frac{\partial}{\partial z_i} F: a_i is F
            chain = implicit
        called = _function_of_expressions(chain, reading)
        if called is not None and heads.get(called[0], line) < line:
            called = None  # an earlier display defines it in a way not read (by cases): this one is a claim
        if called is not None:  # Cost(h_\theta(x), y) = ...: a function, its arguments named by what they are
            reading = replace(reading, functions={**reading.functions, called[0]: called[1]})
            if display:
                defining[(line, latex)] = _rows_defined(defining, marks, rows, line, latex, chain)
            continue
        redefined = _redefined_function(chain, reading)
        if redefined and claimed.get(redefined[0], line + 1) < line:
            redefined = None  # sigma(x)_i = exp(x_i - c) / ... after the author's own softmax: a claim about it
        if redefined:  # the model's sigma, defined anew with a constant of the document (a temperature)
            reading = replace(reading, functions={**reading.functions, redefined[0]: redefined[1]})
            if display:
                defining[(line, latex)] = _rows_defined(defining, marks, rows, line, latex, chain)
            continue
        head = _CALLED.match(chain.sides[0].text)
        if head and head.group(1) in reading.functions:
            claimed.setdefault(head.group(1), line)
        try:
            target = _definition_target(chain.sides[0].text, reading.lettered)
        except (Exception, RecursionError):
            continue
        if target is not None and display and solved.get(target[0], line) < line and target[0] not in defined:
            solutions.append((target[0], line, solved[target[0]]))  # b_1 = ... after an equation in b_1 set to zero:
            # its solution, which holds from its own line on (the displays before it solve for it, never use it)
        if target is not None and target[0] in unread and not (display and _DEFINING_PROSE.search(_lead_in(lines, line))):
            continue  # after a definition not read, a display is its definition only where the prose says so
        if target is not None and display and target[0] in defined and target[0] not in conditional | unread \
                and _VARIANT_PROSE.search(re.split(r"[.!?]\s", _lead_in(lines, line))[-1]):
            defining[(line, latex)] = 1  # "compare this to the cost without regularization: J = ...": another J
            variants.append(line)  # shown beside the one in force, which stays: never a claim, nor a new definition
            continue
        if target is not None and display and target[0] in defined and target[0] not in conditional | unread \
                and _CORRECTION_PROSE.search(re.split(r"[.!?]\s", _lead_in(lines, line))[-1]) \
                and (first := definition_line(reading.tensors.get(target[0]))) is not None and first != line:
            redefinitions.append((target[0], first, line))  # "it's a typo and should be the following instead":
            continue  # the author's correction is the definition from here on, never a claim checked against the first
        if target is not None and display and target[0] in defined and target[0] not in conditional | unread:
            def later(after_line: int = line) -> set:  # the keys the displays after this one use (only when needed)
                return set().union(*(keys_used(side, reading.lettered) for after, _l, _d, other in parsed
                                     if after > after_line for side in other.sides))

            again = _defined_anew(chain, target[0], reading, later)
            if again is None:
                again = _function_of_a_new_section(chain, target[0], reading, lines, line)
            if again is not None and again != line:  # E_n = \frac12 \sum_k (y_k - t_k)^2, later E_n = -t \log y - ...
                redefinitions.append((target[0], again, line))
        if target is not None and not display and target[0] in defined and target[0] not in conditional | unread \
                and _differs_from_definition(chain, target[0], reading):
            twice.add((target[0], latex))  # "we'll let $\eta = \theta^T x$" after a display that defines eta otherwise
        if target is None or (target[0] in defined and target[0] not in conditional | unread) or target[0] in sizes:
            continue  # the first definition holds, unless it held only in a case (then a general one may follow)
        if len(chain.sides) > 1 and re.search(r"(?<![\\a-zA-Z{])" + re.escape(chain.sides[0].text.strip())
                                              + r"(?!\s*[_^]|[a-zA-Z0-9'])", chain.sides[1].text):
            continue  # b = b - \alpha \overline{db}: an update of b, never its definition
        applied = sample_function(parse_side(chain.sides[0].text))
        if applied and applied[0] in reading.functions:
            continue  # \sigma(z_i) = ... where sigma is a known function: a claim about it, or its definition restated
        parameters_of_call = () if applied else call_parameters(chain.sides[0].text)
        if target[0] in reading.functions and not parameters_of_call:
            continue
        key, letters = target
        if not display and letters and len(chain.sides) > 1 and re.fullmatch(r"\s*-?[0-9]+(?:\.[0-9]+)?\s*",
                                                                             chain.sides[1].text):
            continue  # "where $y_i = 1$ if the class is i, and 0 otherwise": a case, never every y_i set to 1
        if chain.sides[1] is _UNREAD and key not in indices:  # a value stated in a way not read: never free
            signed = _sign_cases(latex, reading) if display and not letters else None
            if signed:  # f(x) = x if x > 0, \alpha x otherwise: each row holds where its guard does
                reading = replace(reading, piecewise=reading.piecewise + ((key, signed),))
                defining[(line, latex)] = 1
            reading = reading.with_tensor(_opaque(reading.tensors.get(key), key, len(letters)))
            defined.add(key)
            unread.add(key)  # a definition not read: one the checker reads may follow, where the prose says so
            continue
        if not letters and parameter_since.get(key, line + 1) < line:
            twice.add((key, latex))  # nothing is refuted on t left free: the document gave it a value somewhere
            continue  # q(t) = ... makes t the variable of q: "t = ..." after it is a value of t, not its definition
        if display and not letters and len(chain.sides) == 2 and _a_number(chain.sides[1]) and any(
                key in keys_used(side, reading.lettered) for before, written, _d, other in parsed
                if before <= line and written != latex and any(_a_number(end) and end.expr == 0 for end in other.sides)
                for side in other.sides):
            twice.add((key, latex))  # l'(\theta) = \frac{n}{\theta} - ... = 0, then \theta = \frac12: the value
            continue  # that solves an equation set to zero above, never the letter's definition
        if letters and len(chain.sides) > 1 and re.search(r"\\(?:var)?epsilon\s*_", chain.sides[1].text):
            continue  # y_i = w x_i + \epsilon_i: a model of the data with its noise, never y_i's definition
        if key in indices and not letters and key not in summed and len(chain.sides) > 1 and (
                isinstance(chain.sides[1].expr, sp.Sum) or chain.sides[1].expr.is_Add):
            valued.add(key)  # "let $k = \sum_i x_i$" beside p^{(k)}: k is a quantity there, maybe an exponent
        if key in indices or key == "\\delta_2" or key == "e" or (key == "d" and not letters):
            continue  # "i = j", "k = 1": a case or an index value; delta_{ij} = 1: the Kronecker delta; d(x) = ...
            # defines a function d (the letter alone is a differential or a dimension)
        if len(chain.sides) > 1 and re.fullmatch(r"\s*(?:[a-zA-Z]|[0-9]+)\s*", chain.sides[1].text) and not letters \
                and len(key) == 1 and ":=" not in latex:  # "let c=$2$" is read as c := 2
            continue  # "a = b" between two letters says nothing worth reading as a definition
        if _CONDITIONAL_TAIL.search(chain.tail or ""):  # L = -\sum_i \log p_i \text{ where } y_i = 1: not in general
            reading = reading.with_tensor(_opaque(reading.tensors.get(key), key, len(letters)))
            defined.add(key)
            conditional.add(key)
            continue
        conditional.discard(key)
        unread.discard(key)
        if id(chain) in unread_between:  # L = -\log P(D|w) = \sum_i ...: read as its last side; the one between
            twice.add((key, latex))      # may say otherwise (nothing is refuted on the difference)
        try:
            binder, body, rhs = _body(chain, reading)
        except (Exception, RecursionError):
            # meant as a definition, not read: the quantity is never given a value of our choosing
            reading = reading.with_tensor(_opaque(reading.tensors.get(key), key, len(letters)))
            defined.add(key)
            unread.add(key)  # a definition not read: one the checker reads may follow, where the prose says so
            continue
        if body.has(component(key).base) or any(str(i.base) == key for i in body.atoms(sp.Indexed)):
            continue  # a recursion, not a definition
        if set(letters) & ({str(i.base) for i in body.atoms(sp.Indexed)} | {s.name for s in body.free_symbols
                                                                          if not s.is_integer}):
            # p_j = e^j / \sum_i e^i: the index j used as a number (an author's slip for e^{o_j}): not read
            reading = reading.with_tensor(_opaque(reading.tensors.get(key), key, len(letters)))
            defined.add(key)
            unread.add(key)  # a definition not read: one the checker reads may follow, where the prose says so
            continue
        parameters = tuple(index_symbol(letter) for letter in letters)
        rhs = _without_labels(rhs, parameters, reading)
        free = {s for s in rhs.expr.free_symbols if s.is_integer and not s.is_positive}
        constants = _constant_axes(rhs, parameters, key, reading)
        fixed_letters = {s.name for s in free - {s for s, _a in constants} - set(parameters)}
        labels = {m.group(1) for pattern in (NESTED_LABEL, LABEL_INDICATOR) for m in pattern.finditer(latex)
                  if (m.group(2) or m.group(3)) in letters}  # L_i = -\log p_{y_i}: y is example i's label
        if fixed_letters and (not parameters or fixed_letters <= labels) and not fixed_letters & summed \
                and all(len(n) == 1 for n in fixed_letters):
            # L = -\log \sigma(z_y): y names one class (the true one), never summed: a constant index like c^*
            trial = replace(reading, constant_letters=reading.constant_letters | fixed_letters)
            try:
                binder, body, rhs = _body(chain, trial)
                constants = _constant_axes(rhs, parameters, key, trial)
                free = {s for s in rhs.expr.free_symbols if s.is_integer and not s.is_positive}
                if constants and free - {s for s, _a in constants} <= set(parameters):
                    reading = trial
            except (Exception, RecursionError):
                pass
        if not free - {s for s, _a in constants} <= set(parameters):  # an index the left side does not have (t_k = ... delta_{k c^*}): not read
            reading = reading.with_tensor(_opaque(reading.tensors.get(key), key, len(letters)))
            defined.add(key)
            unread.add(key)  # a definition not read: one the checker reads may follow, where the prose says so
            continue
        slot_axes = tuple(None if str(rhs.kinds.get(p, "#")).startswith("#") else rhs.kinds.get(p) for p in parameters)
        previous = reading.tensors.get(key)
        if previous is not None and previous.axes:
            slot_axes = tuple(a or b for a, b in zip(previous.axes, slot_axes + (None,) * len(previous.axes)))
        base = re.split(r"[\^_](?=\d)", key)[0]
        spec = TensorSpec(key, base, slot_axes, previous.domain if previous else "real",
                          (parameters, rhs.expr), True, f"line {line}", call_parameters=parameters_of_call,
                          call_squared=_squared_parameters(chain.sides[0]) if parameters_of_call else (),
                          constants=constants, argument=_atom_key(applied[1], reading.lettered) if applied else "")
        new = dict(reading.tensors)
        new[key] = spec
        for used in binder.used:  # the inputs of the definition are the model's inputs
            old = new.get(used)
            if old is None:
                new[used] = TensorSpec(used, re.split(r"[\^_](?=\d)", used)[0], (), declared=True)
            elif not old.declared:
                new[used] = replace(old, declared=True)
        reading = replace(reading, tensors=new)
        defined.add(key)
        if display:
            defining[(line, latex)] = _rows_defined(defining, marks, rows, line, latex, chain)
    zero_based, intercepts = _origins(parsed, reading)
    intercepts |= reading.intercepts
    reading = replace(reading, zero_based=(reading.zero_based | zero_based) - intercepts, intercepts=intercepts,
                      superscript_indices=any(_sums_over_an_exponent(side) for *_, chain in parsed for side in chain.sides),
                      redefinitions=tuple(redefinitions), defined_twice=tuple(sorted(twice)), variants=tuple(variants),
                      solutions=tuple(solutions), unknowns=tuple(sorted(solved.items())),
                      valued_letters=frozenset(valued),
                      first_written=_first_written(parsed, reading.lettered),
                      unequal_indices=_unequal_indices(document))
    # 3. domains from the prose
    prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", document.source, flags=re.DOTALL)
    reading = replace(reading, row_vectors=bool(_ROW_VECTORS.search(prose)), einstein=bool(_EINSTEIN.search(prose)))
    return _hot_at_letter(document, _domains(document, reading)), defining


def _called_before_defined(parsed: list, lettered: frozenset) -> set:
    r"""The chains (by ``id``) that define, once, a quantity an earlier display applies like a function
    (``J = ... \log h_\theta(x^{(i)})``, then "here $h_\theta = \frac{1}{1 + e^{-\theta x}}$"): read first, so that
    the call has its meaning when the earlier display is read.

    >>> from symsoft.parse.latex import parse_equation
    >>> use, define = parse_equation(r"J = \log h_\theta(x^{(i)})"), parse_equation(r"h_{\theta} = \frac{1}{1 + e^{-x}}")
    >>> _called_before_defined([(1, "", True, use), (2, "", False, define)], frozenset()) == {id(define)}
    True
    """
    defining: dict = {}
    for _line, _latex, _display, chain in parsed:
        if chain.relations and chain.relations[0] == "=" and len(chain.sides) == 2:
            try:
                target = _definition_target(chain.sides[0].text, lettered)
            except (Exception, RecursionError):
                continue
            if target is not None and (not target[1] or sample_function(chain.sides[0]) is not None):
                defining.setdefault(target[0], []).append((_line, chain))
    early = set()
    for key, found in defining.items():
        if len(found) != 1 and "^" not in key:
            continue  # f(x) defined in several sections: which one an earlier call means is not read
        line, chain = found[0]  # f_{w,b}(x^{(i)}) defined again in a later section: the first one, for the first uses
        if any(isinstance(note, DerivativeNote) for note in chain.sides[1].placeholders.values()):
            continue
        name = re.split(r"\^(?=\d)", key)[0]  # f_{w,b}^1, the value at each sample, is applied as f_{w,b}(x^{(i)})
        if any(before < line and isinstance(note, CallNote) and called_name(note.name) in (name, "\\" + name)
               for before, _l, _d, other in parsed for side in other.sides for note in side.placeholders.values()):
            early.add(id(chain))
    return early


def _solved_for(parsed: list, lettered: frozenset) -> dict:
    r"""For each quantity a display sets to zero (``2\sum_i (y_i - b_0 - b_1 x_i)(-x_i) = 0``), the first line that does:
    a later display ``b_1 = ...`` solves for it, never defines it.

    >>> from symsoft.parse.latex import parse_equation
    >>> sorted(_solved_for([(3, "", True, parse_equation(r"\sum_i (y_i - b x_i) = 0"))], frozenset()).items())
    [('b', 3)]
    """
    found: dict = {}
    for line, _latex, display, chain in sorted(parsed, key=lambda p: p[0]):
        if not display or "=" not in chain.relations or not any(side.text.strip() == "0" for side in chain.sides):
            continue
        if any(isinstance(note, DerivativeNote) for side in chain.sides for note, _ in _walk(side)):
            continue  # \frac{\partial^2 f}{\partial x^2} = 0: a claim about a derivative, no equation in f to solve
        for side in chain.sides:
            try:
                keys = keys_used(side, lettered)
            except (Exception, RecursionError):
                continue
            for key in keys:
                if not re.search(r"[_^][0-9]+$|^\\mathit\{Bound\}$", key):  # b_{1}, m: never data (x_1), nor a bound
                    found.setdefault(key, line)
    return found


def _unequal_indices(document: Document) -> tuple:
    r"""``(a, b, line)`` for every sum over ``a \neq b`` (``\sum_{t \neq i}``) in the document's displays.

    >>> from symsoft.read.document import read_document
    >>> _unequal_indices(read_document("$$a = \\sum_{t \\neq i} b_t \\tag{1}$$"))
    (('t', 'i', 1),)
    """
    found = set()
    for eq in document.equations:
        for match in re.finditer(r"\\sum\s*_\s*\{\s*([a-zA-Z])\s*(?:\\neq?|!=|≠)(?![a-zA-Z])\s*([a-zA-Z])\s*\}", eq.latex):
            found.add((match.group(1), match.group(2), eq.line))
    return tuple(sorted(found, key=lambda t: (t[2], t[0], t[1])))


def _first_written(parsed: list, lettered: frozenset) -> tuple:
    r"""``(key, (line, LaTeX))`` for every quantity the parsed displays and inline formulas write: the first of them
    (in the document's order: two displays may share a line).

    >>> from symsoft.parse.latex import parse_equation
    >>> _first_written([(3, "a = b", True, parse_equation("a = b")), (5, "c = a", True, parse_equation("c = a"))], frozenset())
    (('a', (3, 'a = b')), ('b', (3, 'a = b')), ('c', (5, 'c = a')))
    """
    first: dict = {}
    for line, latex, _display, chain in sorted(parsed, key=lambda p: p[0]):
        for side in chain.sides:
            try:
                keys = keys_used(side, lettered)
            except (Exception, RecursionError):
                continue
            for key in keys:
                first.setdefault(key, (line, latex))
    return tuple(sorted(first.items()))


#: the prose says a repeated index is summed without its sign (the Einstein convention)
_EINSTEIN = re.compile(r"einstein|summation convention|(?:sum|summation)s? (?:is|are) implied|implied sum|repeated ind\w+ "
                       r"(?:is|are) summed", re.IGNORECASE)


def _a_number(side) -> bool:
    r"""Whether a parsed side is a number (``\frac{1}{2}``, ``-3``, ``0.5``), with no letter.

    >>> from symsoft.parse.latex import parse_side
    >>> _a_number(parse_side(r"\frac{1}{2}")), _a_number(parse_side("2 x"))
    (True, False)
    """
    return not side.placeholders and not side.expr.free_symbols and side.expr.is_number


def _differs_from_definition(chain, key: str, reading: Reading) -> bool:
    r"""True unless ``chain`` (``key = ...``) restates the definition ``key`` has in ``reading``: its right side, bound,
    is the same expression; a right side not read differs.

    >>> from symsoft.parse.latex import parse_equation
    >>> r = Reading.empty().with_tensor(TensorSpec("a", "a", (), definition=((), 2 * component("x"))))
    >>> _differs_from_definition(parse_equation("a = 2x"), "a", r), _differs_from_definition(parse_equation("a = 3x"), "a", r)
    (False, True)
    """
    spec = reading.tensors.get(key)
    if spec is None or spec.definition is None:
        return spec is not None and spec.opaque
    try:
        _binder, body, _rhs = _body(chain, reading)
        return sp.expand(sp.sympify(body) - sp.sympify(spec.definition[1])) != 0  # a rewrite is proved later
    except (Exception, RecursionError):
        return True


def _rows_defined(defining: dict, marks: dict, rows: dict, line: int, latex: str, row) -> int:
    r"""The number of leading steps of the display at ``(line, latex)`` that define, once its row ``row`` defines too
    (``marks`` keeps, per display, the rows found to define so far).

    An aligned display whose rows each define a new quantity (``net_1 &= x w_1 + b \\ h &= \sigma(net_1)``) is a
    list of definitions, not a chain: its leading rows that define are definitions, up to the first row that does
    not (or that goes on with a claim after its definition). A row separator counts as a step.

    >>> from symsoft.parse.latex import parse_equation
    >>> chain = parse_equation(r"\begin{align} a &= x + 1 \\ b &= 2 a \end{align}")
    >>> rows = {(1, "t"): chain.equations()}
    >>> defining, marks = {}, {}
    >>> defining[(1, "t")] = _rows_defined(defining, marks, rows, 1, "t", rows[(1, "t")][0])
    >>> defining[(1, "t")], _rows_defined(defining, marks, rows, 1, "t", rows[(1, "t")][1])
    (1, 3)
    """
    split = rows.get((line, latex))
    marked = marks.setdefault((line, latex), set())
    if split is None or not any(row is r for r in split):
        return max(1, defining.get((line, latex), 0))
    marked.add(next(n for n, r in enumerate(split) if r is row))
    count = 0
    for number, each in enumerate(split):
        if number not in marked:
            break
        count += 1 + (number > 0)  # the row, and the separator before it
        if len(each.relations) > 1:
            break
    return max(1, count, defining.get((line, latex), 0))


_SUM_OF = re.compile(r"^\s*(?P<sign>[-+]?)\s*\\sum_\{(?P<index>[a-zA-Z])=(?P<low>[^{}]+)\}\^\{(?P<high>[^{}]+)\}\s*(?P<term>.+?)\s*$")
_NAMED_TERM = re.compile(r"(?:\\ell|\\mathcal\{[A-Z]\}|[A-Za-z])\s*_\s*(?:\{\s*(?P<a>[a-zA-Z])\s*\}|(?P<b>[a-zA-Z]))")


#: an entry of a written-out vector that only names a component: ``a_1``, ``\hat{y_2}``, ``\hat{y}_{3}``
_NAMED_ENTRY = re.compile(r"\s*(?:\\hat\s*\{\s*[a-zA-Z]\s*_\s*\{?\s*[0-9]+\s*\}?\s*\}|(?:\\hat\s*\{\s*[a-zA-Z]\s*\}|[a-zA-Z])"
                          r"\s*_\s*(?:\{\s*[0-9]+\s*\}|[0-9]))\s*")


#: sigma applied as a function or written as a vector's component: \sigma(z), \sigma \left(, \sigma_i, \sigma',
#: \sigma^\prime
#: a document about distributions with a spread (``\mathcal{N}``, "Gaussian", "variance"): there \sigma_1 is a
#: standard deviation unless \sigma is applied to something (``\sigma(z)``)
_SPREADS = re.compile(r"\\mathcal\s*\{?\s*N\b|\b(?:[Gg]aussians?|[Nn]ormal distributions?|variances?|standard deviations?)\b")
_SIGMA_CALLED = re.compile(r"\\sigma\s*(?:\(|\\left|\\big|\\Big|\[|'|\^\s*\{?\s*\\prime)")
_SIGMA_APPLIED = re.compile(r"\\sigma\s*(?:\(|\\left|\\big|\\Big|\[|_|'|\^\s*\{?\s*\\prime|\{)"
                            r"|\\sigma(?![a-zA-Z])\s*[a-zA-Z]")


#: an activation named in words or math other than the sigmoid and tanh (a function left open may be that one)
_OTHER_ACTIVATION = re.compile(r"\b(?:linear|identity|relu|rectifie[dr]|softplus|soft-plus|exponential|heaviside|"
                               r"gaussian|rbf|leaky|elu|gelu|selu|swish|mish|softmax|signum|step\s+function|"
                               r"sign\s+function|threshold\s+(?:function|unit|activation)|hard\s*(?:tanh|sigmoid))\b|"
                               r"\\(?:max|exp)\s*\(", re.IGNORECASE)


#: prose that says the document's vectors are rows
_ROW_VECTORS = re.compile(r"(?<![a-zA-Z])(?:we|I)\s+(?:use|write|take|treat)\s+(?:all\s+)?(?:vectors\s+as\s+)?row[- ]vectors?\b|"
                          r"\ball\s+vectors\s+are\s+rows?\b|\bvectors\s+are\s+row[- ]vectors\b", re.IGNORECASE)


def _literal_definitions(document: Document) -> tuple[list, set]:
    r"""Definitions a display makes by writing vectors out: in ``(e^{z_1}/S \\ e^{z_2}/S) = (a_1 \\ a_2)``, a vector
    of components not yet named (``a_1``, ``a_2``) equal to a vector written out defines each component by its entry.
    Returns them as ``(line, latex, False, chain)`` (read as prose: the display's steps stay claims unless every one
    defines) and the lines of the displays every step of which defines.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$\\begin{pmatrix} e^{z_1} \\\\ 2 \\end{pmatrix} = \\begin{pmatrix} a_1 \\\\ a_2 \\end{pmatrix}"
    ...                     " = \\begin{pmatrix} b_1 \\\\ b_2 \\end{pmatrix} \\tag{1}$$")
    >>> found, whole = _literal_definitions(doc)
    >>> [latex for _l, latex, _d, _c in found], whole
    (['a_1 = e^{z_1}', 'a_2 = 2', 'b_1 = a_1', 'b_2 = a_2'], {1})
    """
    found, whole, named = [], set(), set()
    for eq in document.equations:
        shown = matrix_display(eq.latex)
        if shown is None or shown.elided:
            continue
        steps = defining = 0
        for left, relation, right in zip(shown.sides, shown.relations, shown.sides[1:]):
            if relation != "=":
                continue
            steps += 1
            if not (isinstance(left, tuple) and isinstance(right, tuple)) or len(left) != len(right) or any(
                    len(a) != len(b) for a, b in zip(left, right)):
                continue
            pairs = [(a, b) for row_a, row_b in zip(left, right) for a, b in zip(row_a, row_b)]
            for names, values in ((1, 0), (0, 1)):
                written = [pair[names] for pair in pairs]
                keys = {re.sub(r"\s+", "", name) for name in written}
                if not all(_NAMED_ENTRY.fullmatch(name) for name in written) or keys & named or len(keys) < len(written):
                    continue
                if any(_indexed_by_letter(name, document.source) for name in written):
                    continue  # s_1 where the document writes s_i: a component of a quantity it has, a claim
                try:
                    made = [(eq.line, f"{pair[names].strip()} = {pair[values].strip()}", False,
                             parse_equation(f"{pair[names].strip()} = {pair[values].strip()}")) for pair in pairs]
                except (Exception, RecursionError):
                    break
                found.extend(made)
                named |= keys
                defining += 1
                break
        if steps and defining == steps:
            whole.add(eq.line)
    return found, whole


def _indexed_by_letter(name: str, source: str) -> bool:
    r"""True when ``source`` writes the base of the numbered component ``name`` with a letter index too.

    >>> _indexed_by_letter("s_1", r"$s_i = e^{z_i}$"), _indexed_by_letter(r"\hat{y_2}", r"$\hat{y}_{k}$"), _indexed_by_letter("a_1", "$a_1$")
    (True, True, False)
    """
    base = re.match(r"\s*(\\hat\s*\{\s*[a-zA-Z]|[a-zA-Z])", name).group(1)
    letter = base[-1]
    plain = r"(?<![\\a-zA-Z])%s\s*_\s*\{?\s*[a-zA-Z](?![a-zA-Z])" % letter
    hat = r"\\hat\s*\{\s*%s\s*(?:\}\s*)?_\s*\{?\s*[a-zA-Z](?![a-zA-Z])" % letter
    return re.search(hat if base.startswith("\\") else plain, source) is not None


def _with_implied(parsed: list, implied, displays_only: bool) -> list:
    """``parsed`` with, after each chain, the definitions ``implied(before, after)`` finds in its equal sides (read as
    prose, so that the display's own steps stay claims)."""
    out = []
    for line, latex, display, chain in parsed:
        out.append((line, latex, display, chain))
        if displays_only and not display:
            continue
        for before, after, relation in zip(chain.sides, chain.sides[1:], chain.relations):
            definition = implied(before.text, after.text) if relation == "=" else None
            if definition is None:
                continue
            try:
                out.append((line, definition, False, parse_equation(definition)))
            except (Exception, RecursionError):
                continue
    return out


def _named_term(before: str, after: str) -> str | None:
    r"""``\ell_j = y_j \log p_j`` from ``-\sum_j y_j \log p_j = -\sum_j \ell_j`` (the same sum, its term named).

    >>> _named_term(r"-\sum_{j=1}^{C} y_j \log p_j", r"-\sum_{j=1}^{C} \ell_j")
    '\\ell_j = y_j \\log p_j'
    """
    written, named = _SUM_OF.match(before), _SUM_OF.match(after)
    if written is None or named is None or any(written.group(part) != named.group(part)
                                                for part in ("sign", "index", "low", "high")):
        return None
    term = _NAMED_TERM.fullmatch(named.group("term"))
    if term is None or (term.group("a") or term.group("b")) != named.group("index"):
        return None
    return f"{named.group('term')} = {written.group('term')}"


def _with_named_terms(parsed: list) -> list:
    r"""A chain that names the terms of a sum, ``L = -\sum_j y_j \log p_j = -\sum_j \ell_j``, defines each term:
    ``\ell_j = y_j \log p_j`` is added after the display (as prose, so the display's steps stay claims).

    >>> from symsoft.parse.latex import parse_equation
    >>> chain = parse_equation(r"L = -\sum_{j=1}^{C} y_j \log p_j = -\sum_{j=1}^{C} \ell_j")
    >>> [latex for _l, latex, _d, _c in _with_named_terms([(1, "", True, chain)])]
    ['', '\\ell_j = y_j \\log p_j']
    """
    return _with_implied(parsed, _named_term, displays_only=True)


#: a prose tail that restricts a definition to a case: "where $y_i = 1$", "if $i = j$"
_CONDITIONAL_TAIL = re.compile(r"\b(?:where|if|when|whenever|provided)\b[^=<>]*?(?:\\[a-zA-Z]+\s*)?[a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?"
                               r"\s*(?:=|\\neq?(?![a-zA-Z])|<|>)\s*(?:[0-9]+|[a-zA-Z])\s*[.,]?\s*$")


_VECTOR = r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(?P<{0}>[a-zA-Z])\s*\}|(?P<{0}2>[a-zA-Z]))\s*"
_VECTOR_NAME = re.compile("^" + _VECTOR.replace("{0}", "name") + "$")
_VECTOR_OF = re.compile(r"^\s*(?P<function>\\operatorname\{[a-zA-Z]+\}|\\sigma|\\phi|\\tanh)\s*\("
                        + _VECTOR.replace("{0}", "argument") + r"\)\s*$")


_BARE_NAME = re.compile(r"\s*(\\(?:Sigma|Delta|Gamma|Lambda|Omega|Phi|Psi|Theta|Xi)|[A-Z])\s*")
#: a small letter with one index letter, the name an inline chain gives its value at the end (``... = p_i``)
_SMALL_NAME = re.compile(r"\s*([a-z])\s*_\s*(?:\{\s*[a-z]\s*\}|[a-z])\s*")


def _with_named_ends(parsed: list, lettered: frozenset = frozenset()) -> list:
    r"""A definition that names its right side at the end, ``h_i = \sum_k e^{a_k} = \Sigma``, defines that name
    too (``\Sigma = \sum_k e^{a_k}``), when the name is a capital the document has not used before; in inline math
    ("let $\hat{y}_i = \frac{e^{z_i}}{\sum_c e^{z_c}} = p_i$"), a small letter with one index letter too.

    >>> from symsoft.parse.latex import parse_equation
    >>> chain = parse_equation(r"h_i = \sum_{k=1}^K e^{a_k} = \Sigma")
    >>> [latex for _l, latex, _d, _c in _with_named_ends([(1, "", False, chain)])]
    ['', '\\Sigma = \\sum_{k=1}^K e^{a_k}']
    """
    out = []
    for line, latex, display, chain in parsed:
        out.append((line, latex, display, chain))
        sides = chain.sides
        name = _BARE_NAME.fullmatch(sides[-1].text) if len(sides) > 2 and set(chain.relations) == {"="} else None
        small = _SMALL_NAME.fullmatch(sides[-1].text) if len(sides) > 2 and set(chain.relations) == {"="} \
            and not display else None  # "let $\hat{y}_i = \frac{e^{z_i}}{\sum_c e^{z_c}} = p_i$": p_i too
        if name is None and small is None:
            continue
        written = name.group(1) if name is not None else small.group(1)
        seen = " ".join([text for at, text, _d, _c in parsed if at < line] + [s.text for s in sides[:-1]])
        if not re.search(re.escape(written) + (r"(?![a-zA-Z])" if name is not None else r"\s*_"), seen):
            try:
                target = _definition_target(sides[0].text, lettered)
                definition = f"{sides[-1].text.strip()} = {sides[-2].text}"
                if target is not None:
                    out.append((line, definition, False, parse_equation(definition)))
            except (Exception, RecursionError):
                pass
    return out


def _with_vector_definitions(parsed: list) -> list:
    r"""A vector defined as a function of a vector, ``\mathbf{p} = \operatorname{softmax}(\mathbf{x})``, defines each
    component: ``p_{k} = \operatorname{softmax}(x_{k})`` is added after the display (the k-th softmax output, or the
    function applied to the k-th component when it acts on each one).

    >>> from symsoft.parse.latex import parse_equation
    >>> chain = parse_equation(r"\mathbf{p} = \text{softmax}(\mathbf{x})")
    >>> [latex for _l, latex, _d, _c in _with_vector_definitions([(1, "", True, chain)])]
    ['', 'p_{k} = \\operatorname{softmax}(x_{k})']
    """
    return _with_implied(parsed, _vector_definition, displays_only=False)


def _vector_definition(before: str, after: str) -> str | None:
    name, of = _VECTOR_NAME.match(before), _VECTOR_OF.match(after)
    if name is None or of is None:
        return None
    vector, argument = name.group("name") or name.group("name2"), of.group("argument") or of.group("argument2")
    if vector == argument:
        return None
    index = next(c for c in "kjmlrsq" if c not in (vector, argument))
    return f"{vector}_{{{index}}} = {of.group('function')}({argument}_{{{index}}})"


def unit_name_letters(parsed: list, reading: Reading) -> frozenset:
    r"""Letters that only ever name units with a number (``a_{o1}``, ``w_{h2}``: the output unit o1) or, capitals,
    a quantity of a network (``E_T``, the total error): never an index alone, a sum's index or bound, or a letter of
    a formula. Returned marked ``%`` (``{"%o", "%h", "%T"}``), as :data:`Reading.lettered` keeps them.

    >>> from symsoft.parse.latex import parse_equation
    >>> chains = [parse_equation(r"E_T = E_1 + E_2"), parse_equation(r"a_{o1} = w_5 a_{h1} + \sum_{k=1}^K x_k")]
    >>> sorted(unit_name_letters([(1, "", True, c) for c in chains], Reading.empty()))
    ['%T', '%h', '%o']
    """
    paired, loose = set(), set()
    for _line, _latex, _display, chain in parsed:
        for side in chain.sides:
            for note, _ in _walk(side):
                if not isinstance(note, Atom):
                    continue
                subscripts = note.subscripts
                if len(subscripts) == 2 and re.fullmatch(r"[a-z]", subscripts[0]) and subscripts[1].isdigit():
                    paired.add(subscripts[0])
                elif len(subscripts) == 1 and re.fullmatch(r"[A-Z]", subscripts[0]):
                    paired.add(subscripts[0])
                else:
                    loose.update(s for s in (*subscripts, *note.superscripts) if s.isalpha())
            for total in side.expr.atoms(sp.Sum, sp.Product):
                for variable, low, high in total.limits:
                    loose.update(str(s) for s in (variable, *low.free_symbols, *high.free_symbols))
            loose.update(str(s) for s in side.expr.free_symbols if len(str(s)) == 1)
    return frozenset("%" + letter for letter in paired - loose - set(reading.sizes))


def _numbered_only(parsed: list, reading: Reading, written_out: frozenset = frozenset(),
                   names: frozenset = frozenset()) -> set:
    r"""Bases the document writes only with numbered subscripts (``a_1 = f(m_1 x_1 + m_2 x_2)``, ``m_{10}``), never
    with a letter index nor as a model's tensor: a network of named scalars, where ``a_1`` is one number. The
    definitions read from vectors written out (on the lines ``written_out``) define as displays do, and so does a
    sentence's equation that gives more than a number or a letter (``let $z_1 = w x + b$``; never ``$x_1 = 2$``).
    Subscripts that name a unit with the letters ``names`` (:func:`unit_name_letters`: ``a_{o1}``, ``E_T``) count as
    numbered.

    >>> from symsoft.parse.latex import parse_equation
    >>> chains = [parse_equation(r"a_1 = f(m_1 x_1) + \sum_i x_i")]
    >>> sorted(_numbered_only([(1, "", True, c) for c in chains], Reading.empty()))
    ['a', 'm']
    """
    numbered, indexed, defined = set(), set(), set()
    for line, _latex, display, chain in parsed:
        display = display or line in written_out
        for side in chain.sides:
            for note, _ in _walk(side):
                if isinstance(note, Atom) and note.subscripts:
                    base = re.sub(r"\s+", "", note.base)
                    (numbered if numbered_name(note.subscripts, names) else indexed).add(base)
        valued = len(chain.sides) > 1 and not re.fullmatch(r"\s*(?:-?[0-9.]+|[a-zA-Z])\s*", chain.sides[1].text)
        head = chain.sides[0].placeholders.get(chain.sides[0].expr) if chain.sides and (display or valued) else None
        if chain.relations[:1] == ("=",) and isinstance(head, Atom) and numbered_name(head.subscripts, names):
            defined.add(re.sub(r"\s+", "", head.base))  # a_1 = f(...): a numbered quantity of its own
    taken = {re.split(r"[\^_](?=\d)", key)[0] for key in reading.tensors}
    named = numbered - indexed - taken - {"\\delta"}
    # a network of named scalars: some of them are defined one by one (then its inputs m_7, x_1 are scalars too)
    return named if named & defined else set()


def _sums_over_an_exponent(side: ParsedSide) -> bool:
    r"""True when a sum's index is written as an exponent, ``\sum_j (e^z)^j``: the author's superscripts are indices.

    >>> _sums_over_an_exponent(parse_side(r"\sum_{j=1}^N (e^z)^j")), _sums_over_an_exponent(parse_side(r"\sum_{j=1}^N x_j^2"))
    (True, False)
    >>> _sums_over_an_exponent(parse_side(r"\sum_{i=1}^n \frac{(-p)^i}{i}"))
    False
    """
    for total in side.expr.atoms(sp.Sum):
        for v, *_ in total.limits:
            powers = [power for power in total.function.atoms(sp.Pow) if v in power.exp.free_symbols]
            # \sum_i \binom{\gamma}{i} (-p)^i / i: the index is a number outside the powers too, a power series
            if powers and v not in total.function.xreplace({power: sp.Dummy() for power in powers}).free_symbols:
                return True
    return False


def _fixed_component(chain, reading: Reading):
    r"""``(key, pattern, value)`` when a display or sentence fixes the components at position 0 of a slot of a
    known tensor to a number (``x_0^{(i)} = 1``, the constant feature), else None. Other positions are examples
    ("take $x_1 = 2$"), never read as facts.

    >>> from symsoft.parse.latex import parse_equation
    >>> r = Reading.empty().with_tensor(TensorSpec("x^1_1", "x", ("N", "D")))
    >>> _fixed_component(parse_equation("x_0^{(i)} = 1"), r)
    ('x^1_1', (None, 0), 1)
    """
    if len(chain.sides) != 2 or chain.relations != ("=",):
        return None
    left, right = chain.sides
    note = left.placeholders.get(left.expr) if isinstance(left.expr, sp.Symbol) else None
    if not isinstance(note, Atom) or right.placeholders or not right.expr.is_Rational:
        return None
    letters = _atom_letters(note, reading.lettered)
    key = _atom_key(note, reading.lettered)
    spec = reading.tensors.get(key)
    if spec is None or "0" not in letters or any(not (s == "0" or s.isalpha()) for s in letters) \
            or len(spec.axes) != len(letters):
        return None
    return key, tuple(0 if s == "0" else None for s in letters), right.expr


def _origins(parsed, reading: Reading) -> tuple:
    r"""``(zero_based, intercepts)``: the axes whose positions start at 0 (a slot of the axis holds the number 0,
    ``\theta_0``, or a sum from 0 runs over it, ``\sum_{j=0}^n \theta_j x_j``), and the axes of an intercept written
    beside a sum over the others (``\beta_0 + \sum_j \beta_j x_{ij}``: position 0 is a quantity of its own, sums and
    letter indices start at 1), unless a sum from 0 runs over it.

    >>> from symsoft.parse.latex import parse_equation
    >>> r = Reading.empty().with_tensor(TensorSpec("\\beta_1", "\\beta", ("D",))).with_tensor(TensorSpec("x_1", "x", ("D",)))
    >>> _origins([(1, "", True, parse_equation(r"z = \beta_0 + \sum_{j=1}^D \beta_j x_j"))], r)
    (frozenset(), frozenset({'D'}))
    """
    explicit, found, intercepts = _zero_slots(parsed, reading)
    return frozenset(explicit | (found - intercepts)), frozenset(intercepts - explicit)


def _zero_slots(parsed, reading: Reading) -> tuple:
    """The axes summed from 0, those with a component written at 0, and those whose component at 0 is written beside
    a sum over the same slot (an intercept)."""
    explicit, found, intercepts = set(), set(), set()
    for _line, _latex, _display, chain in parsed:
        for side in chain.sides:
            starts = {v.name for sum_ in side.expr.atoms(sp.Sum) for v, low, _h in sum_.limits if low == 0}
            summed = {v.name for sum_ in side.expr.atoms(sp.Sum) for v, *_ in sum_.limits}
            zeros, sums = set(), set()  # (key, slot) written at 0, and summed over, in this side
            for note, _ in _walk(side):
                if not isinstance(note, Atom):
                    continue
                key = _atom_key(note, reading.lettered)
                spec = reading.tensors.get(key)
                for slot, letter in enumerate(_atom_letters(note, reading.lettered)):
                    if spec is None or slot >= len(spec.axes) or not spec.axes[slot]:
                        continue
                    if letter in starts:
                        explicit.add(spec.axes[slot])
                    elif letter == "0":
                        zeros.add((key, slot, spec.axes[slot]))
                    elif letter in summed:
                        sums.add((key, slot))
            # \beta_0 + \sum_j \beta_j x_{ij}: the intercept is not a term of the sum, whose index starts at 1
            intercepts |= {axis for key, slot, axis in zeros if (key, slot) in sums}
            found |= {axis for _key, _slot, axis in zeros}
    return explicit, found, intercepts


def _defined_anew(chain, key: str, reading: Reading, later=frozenset) -> int | None:
    r"""The line of the first definition of ``key`` when ``chain`` defines it again from other quantities altogether
    (a new section or example), else None: no quantity of the first definition's right side is in the new one's, no
    display after this one (``later``: the keys they use) uses them, and neither is a derivative. A display that
    shares a quantity with the first definition (``L = -\log p_c`` after ``L = -\sum_k y_k \log p_k``) is a claim
    about it; a batch loss written after the loss of one example, with the example's letters used again below,
    leaves the first one in force. ``later()`` gives the keys the displays after this one use (asked last: it is the
    costly test).

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> from symsoft.parse.latex import parse_equation
    >>> r = Reading.empty().with_tensor(TensorSpec("E", "E", (), definition=((), (component("y_1", 1) - component("t_1", 1)) ** 2),
    ...                                            origin="line 3"))
    >>> _defined_anew(parse_equation(r"E = -t \log y - (1 - t) \log(1 - y)"), "E", r)
    3
    >>> _defined_anew(parse_equation(r"E = (y_1 - t_1)^2 + 0"), "E", r) is None
    True
    """
    spec = reading.tensors.get(key)
    if spec is None or spec.definition is None or spec.opaque or not spec.origin.startswith("line ") \
            or spec.call_parameters or spec.argument or "(" in chain.sides[0].text:
        return None  # h(x) = x^T x after h(v) = \|v\|^2: the function at another argument, never a new section
    old = {str(part.base) for part in spec.definition[1].atoms(sp.Indexed)}
    if spec.definition[1].has(PartialOf) or len(chain.sides) < 2 or any(
            isinstance(note, DerivativeNote) for note in chain.sides[1].placeholders.values()):
        return None
    try:
        new = keys_used(chain.sides[1], reading.lettered)
    except (Exception, RecursionError):
        return None
    if not old or not new or old & new or key in new:
        return None
    if all(getattr(reading.tensors.get(k), "definition", None) is not None for k in new):
        return None  # h_j = o_j with both defined: a claim that they are equal
    if old & set(later()):
        return None
    return int(spec.origin.split()[1])


#: a line that starts a section: a Markdown heading (ATX or the underline of a setext one) or a LaTeX sectioning command
_SECTION_LINE = re.compile(r"^\s*(?:#{1,6}\s|\\(?:sub)*section\*?\s*\{|(?:=+|-{3,})\s*$)")


#: a function written with its arguments as the left side of a definition: ``f(x)``, ``J(w,b)``, ``h_\theta(x^{(i)})``
_FUNCTION_HEAD = re.compile(r"\s*(?:\\mathit\{G[a-zA-Z]x[a-z]+\}|\\[a-zA-Z]+|[a-zA-Z])\s*\(\s*(?:[a-zA-Z](?:\^\{\([a-z]\)\})?"
                            r"|\\theta|\\beta)(?:\s*,\s*(?:[a-zA-Z]|\\theta|\\beta))*\s*\)\s*")


def _function_of_a_new_section(chain, key: str, reading: Reading, lines: list, line: int) -> int | None:
    r"""The line of the first definition of the function ``key`` when ``chain`` (``f(x) = ...``, one step) defines it
    again in a later section of the document (a heading between the two) with another value: a note on activations
    that reuses f for each one (``f(x) = \tanh x``, then under "ReLU" ``f(x) = \max(x, 0)``). A right side equal to
    the first definition restates it (a claim); one without a heading between them, or naming a quantity the first
    does not, is a claim too.

    >>> from symsoft.meaning.tensors import TensorSpec, component
    >>> from symsoft.parse.latex import parse_equation
    >>> r = Reading.empty().with_tensor(TensorSpec("f", "f", (), definition=((), sp.tanh(component("x", 0))),
    ...                                            origin="line 2"))
    >>> lines = ["", "$$f(x) = \\tanh x$$", "## ReLU", "$$f(x) = ...$$"]
    >>> _function_of_a_new_section(parse_equation(r"f(x) = \log(1 + e^x)"), "f", r, lines, 4)
    2
    >>> _function_of_a_new_section(parse_equation(r"f(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}"), "f", r, lines, 4) is None
    True
    >>> _function_of_a_new_section(parse_equation(r"f(x) = \log(1 + e^x)"), "f", r, lines[:2] + ["", ""], 4) is None
    True
    """
    spec = reading.tensors.get(key)
    if spec is None or spec.definition is None or spec.opaque or not spec.origin.startswith("line ") \
            or len(chain.sides) != 2 or not _FUNCTION_HEAD.fullmatch(chain.sides[0].text):
        return None
    first = int(spec.origin.split()[1])
    if first >= line or not any(_SECTION_LINE.match(text) and (not text.strip().startswith(("=", "-"))
                                                               or (number > 0 and lines[number - 1].strip()))
                                for number, text in enumerate(lines[:line - 1]) if number >= first):
        return None
    if any(isinstance(note, DerivativeNote) for note in chain.sides[1].placeholders.values()):
        return None
    try:
        body = bind_tensor_side(chain.sides[1], reading).expr
    except (Exception, RecursionError):
        return first  # \max(x, 0) or cases the reading does not bind: not the first definition restated
    named = {str(part.base) for part in body.atoms(sp.Indexed)}
    if key in named or named - {str(part.base) for part in spec.definition[1].atoms(sp.Indexed)}:
        return None  # f(x) = 2 f(2x) - 1, p(x) = c e^{...} with c defined apart: a claim about it
    return None if _same_values(body, spec.definition[1]) else first


def _same_values(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether ``a`` and ``b`` take the same values at three points (every letter given a number): a reading's test
    of whether a display restates a definition, never a proof.

    >>> x = component("x", 1)
    >>> _same_values(sp.tanh(x), (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))), _same_values(sp.tanh(x), x)
    (True, False)
    """
    atoms = sorted((a - b).atoms(sp.Indexed, sp.Symbol) - {i for part in (a - b).atoms(sp.Indexed) for i in part.indices},
                   key=sp.default_sort_key)
    for point in ((0.3, 0.7, 1.1), (-0.45, 0.2, 0.9), (1.3, -0.6, 0.35)):
        values = {atom: sp.Float(point[number % 3] + number / 7) for number, atom in enumerate(atoms)}
        try:
            difference = complex(sp.N((a - b).xreplace(values)))
        except (Exception, RecursionError):
            return False
        if not abs(difference) < 1e-9:
            return False
    return True


def _body(chain, reading: Reading) -> tuple:
    """The binder, bound body and bound right side of a definition: its first right side, or, when that one is not
    read and the chain is all equalities (``y_i = \\operatorname{softmax}(\\mathbf{x})_i = \\frac{...}{...}``), its last."""
    sides = [chain.sides[1]]
    if len(chain.sides) > 2 and set(chain.relations) == {"="}:
        sides.append(chain.sides[-1])
    for number, side in enumerate(sides):
        try:
            binder = TensorBinder(reading, undeclared_ok=True)
            return binder, binder.side(side), bind_tensor_side(side, reading)
        except (Exception, RecursionError):
            if number == len(sides) - 1:
                raise
    raise BindingError("no side to read", "")


def _without_labels(rhs, parameters: tuple, reading: Reading):
    r"""``rhs`` with each index that only labels quantities whose definitions do not depend on it set to 1: in
    ``\delta_k = \frac{\partial E_n}{\partial a_k}`` with ``E_n = \frac12 \sum_k (y_k - t_k)^2``, n names the example
    and E_n is the same for every n (never an index the left side lacks).

    >>> from symsoft.parse.latex import parse_side
    >>> n = index_symbol("n")
    >>> r = Reading.empty().with_tensor(TensorSpec("E_1", "E", ("N",), definition=((n,), component("y") ** 2)))
    >>> _without_labels(bind_tensor_side(parse_side("2 E_n"), r), (), r).expr
    2*E_1[1]
    """
    labels = {}
    for symbol in rhs.expr.free_symbols:
        if not symbol.is_integer or symbol.is_positive or symbol in parameters:
            continue
        places = [part for part in rhs.expr.atoms(sp.Indexed) if part.has(symbol)]
        if places and all(_label_of(part, symbol, reading) for part in places):
            labels[symbol] = sp.Integer(1)
    return replace(rhs, expr=rhs.expr.xreplace(labels)) if labels else rhs


def _label_of(part: sp.Indexed, symbol, reading: Reading) -> bool:
    """True when ``symbol`` stands only in slots of ``part`` that its tensor's definition does not depend on."""
    spec = reading.tensors.get(str(part.base))
    if spec is None or spec.definition is None:
        return False
    parameters, body = spec.definition
    for slot, index in enumerate(part.indices):
        if index.has(symbol) and (index != symbol or slot >= len(parameters) or sp.sympify(body).has(parameters[slot])):
            return False
    return True


def _constant_axes(rhs, parameters: tuple, key: str, reading: Reading) -> tuple:
    r"""The constant indices (``c^*``) of a definition's right side with their axes: an axis of its own, or that of
    the parameter a Kronecker delta compares it with (``\delta_{k c^*}`` in ``t_k``). Unknown axis: not read."""
    found = []
    for symbol in sorted((s for s in rhs.expr.free_symbols if constant_index(s)), key=str):
        axis = rhs.kinds.get(symbol)
        if axis is None or str(axis).startswith(ANONYMOUS):
            axis = None
            for delta in rhs.expr.atoms(sp.KroneckerDelta):
                other = set(delta.args[:2]) - {symbol}
                if symbol in delta.args[:2] and len(other) == 1 and other <= set(parameters):
                    axis = _parameter_axis(other.pop(), parameters, key, rhs, reading) or axis
        if axis is None:
            return ()
        found.append((symbol, axis))
    return tuple(found)


def _parameter_axis(parameter, parameters: tuple, key: str, rhs, reading: Reading):
    """The axis of a definition's parameter: from its right side, or the slot it fills in the tensor as read so far."""
    axis = rhs.kinds.get(parameter)
    if axis is not None and not str(axis).startswith(ANONYMOUS):
        return axis
    spec = reading.tensors.get(key)
    slot = parameters.index(parameter)
    return spec.axes[slot] if spec is not None and slot < len(spec.axes) else None




#: a function applied at the start of a side: ``\sigma(z)_k``, ``f(x)``
_CALLED = re.compile(r"\s*(\\[a-zA-Z]+|[a-zA-Z])\s*\(")


def redefined_functions(document: Document) -> dict:
    r"""The functions a display defines anew with another number of parameters (a tutorial's f(x) = x^2, then
    f(x; \theta) = \theta_0 x^2 for a new model), read or not: each name with the line of that display. The first
    definition holds before it; after it, which f a display means is not read. A value, \sigma(0) = 1/2, defines
    nothing.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$f(x) = x^2 \\tag{1}$$\n\n$$f(0) = 0 \\tag{2}$$\n\n$$f(x; \\theta) = \\theta_0 x^2 \\tag{3}$$"
    ...                     "\n\n$$g(x) = x \\tag{4}$$")
    >>> redefined_functions(doc)
    {'f': 5}
    """
    first: dict = {}
    found: dict = {}
    for eq in sorted(document.equations, key=lambda e: e.line):
        head = re.match(r"\s*(?:\\begin\{[a-z]+\*?\}\s*)?(\\[a-zA-Z]+|[a-zA-Z])\s*\(([^()]*)\)\s*=", eq.latex)
        if head is None or head.group(1) in ("\\frac", "\\left", "\\log", "\\exp", "\\ln"):
            continue
        arguments = [a for a in re.split(r"[,;]", re.sub(r"\s+", "", head.group(2)))]
        if not all(re.fullmatch(r"(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[a-zA-Z0-9]\}?)?", a) for a in arguments):
            continue  # \sigma(0) = 1/2, \sigma(-z) = ...: a value of the function, never its parameters
        if first.setdefault(head.group(1), len(arguments)) != len(arguments):
            found.setdefault(head.group(1), eq.line)  # as many parameters as before: the same function restated
    return found


def _called_heads(document: Document) -> dict:
    r"""The first line of a display whose first side applies a named function (``Cost(h_\theta(x), y) = ...``, by
    cases too), by the function's name as parsed (``\mathit{Cost}``).

    >>> from symsoft.read.document import read_document
    >>> _called_heads(read_document("$$Cost(h, y) = \\begin{cases} a & y = 0 \\\\ b & y = 1 \\end{cases} \\tag{1}$$"))
    {'\\mathit{Cost}': 1}
    """
    found: dict = {}
    for eq in document.equations:
        try:
            math = normalize_latex(eq.latex)[0]
        except (Exception, RecursionError):
            continue
        head = re.match(r"\s*(?:\\begin\{[a-z]+\*?\}\s*)?(\\mathit\{[A-Za-z]+\}|\\operatorname\{[A-Za-z]+\})\s*\(", math)
        if head and "=" in math:
            found.setdefault(head.group(1), eq.line)
    return found


def _function_of_expressions(chain, reading: Reading) -> tuple | None:
    r"""``(name, Lambda)`` when a display defines a function of several arguments written as expressions, the
    course's ``Cost(h_\theta(x^{(i)}), y^{(i)}) = -y^{(i)} \log h_\theta(x^{(i)}) - ...``: the right side with each
    argument replaced by a parameter, when nothing else of the arguments is left in it; else None.

    >>> from symsoft.parse.latex import parse_equation
    >>> chain = parse_equation(r"\mathit{Cost}(h_{\theta}, y) = -y \log(h_{\theta}) - (1 - y) \log(1 - h_{\theta})")
    >>> name, meaning = _function_of_expressions(chain, Reading.empty())
    >>> name, meaning(sp.Rational(1, 2), 1)
    ('\\mathit{Cost}', log(2))
    """
    if len(chain.sides) < 2 or chain.relations[0] != "=":
        return None
    head = chain.sides[0]
    call = head.expr
    if not isinstance(call, AppliedUndef) or len(call.args) < 2 or call.func.__name__ in reading.functions:
        return None
    if all(isinstance(a, sp.Symbol) and a not in head.placeholders and re.fullmatch(r"[a-zA-Z]|\\[a-zA-Z]+", a.name)
           for a in call.args):
        return None  # \ell(a, y) = ...: parameters that are letters (read as such elsewhere)
    try:
        arguments = [bind_tensor_side(ParsedSide(head.text, a, head.placeholders), reading).expr for a in call.args]
        body = bind_tensor_side(chain.sides[1], reading).expr
    except (Exception, RecursionError):
        return None
    if len(set(arguments)) < len(arguments) or any(a.is_number for a in arguments):
        return None
    parameters = tuple(sp.Symbol(f"u_{{{n}}}", real=True) for n in range(1, len(arguments) + 1))
    body = body.xreplace(dict(zip(arguments, parameters)))
    inner = {atom for a in arguments for atom in a.atoms(sp.Indexed, sp.Symbol)}
    if body.atoms(sp.Indexed, sp.Symbol) & inner or any(s.is_integer for s in body.free_symbols):
        return None  # the arguments occur otherwise in the right side: not a function of them alone
    return call.func.__name__, sp.Lambda(parameters, body)


def _redefined_function(chain, reading: Reading) -> tuple | None:
    r"""The softmax a display defines anew with a constant of its own, ``\sigma(z)_k = e^{z_k/T} / ...`` when the
    model's or the profile's ``\sigma`` is the plain softmax: ``(name, meaning)``, else None. Such a display is the
    author's definition, never a claim about the plain softmax. Its meaning is a :class:`VectorFunction` when the
    display reads as one (the component k of a function of the vector z), else :data:`REDEFINED` (not read)."""
    if len(chain.sides) != 2:
        return None
    found = re.fullmatch(r"\s*(\\[a-zA-Z]+|[a-zA-Z])\s*\((.+)\)\s*", chain.sides[0].text)
    if found is None or reading.functions.get(found.group(1)) != "softmax":
        return None
    try:
        body = bind_tensor_side(chain.sides[1], reading).expr
    except (Exception, RecursionError):
        return None
    if not any((spec := reading.tensors.get(str(part.base))) is not None and not spec.axes and spec.definition is None
               for part in body.atoms(sp.Indexed)):
        return None  # no constant of its own: a claim about the softmax, checked as one
    try:
        argument = bind_tensor_side(parse_side(found.group(2)), reading).expr
    except (Exception, RecursionError):
        return found.group(1), REDEFINED
    free = {s for s in body.free_symbols if s.is_integer and not s.is_positive}
    if not isinstance(argument, sp.Indexed) or len(argument.indices) != 1 or free != {argument.indices[0]} \
            or not argument.indices[0].is_Symbol:
        return found.group(1), REDEFINED
    return found.group(1), VectorFunction(argument.base, argument.indices[0], body)


_SIGN_ROW = re.compile(r"^\s*(?:\\text\s*\{\s*(?:if|for|when)\s*\}|if)?\s*(?P<a>[a-z])\s*(?P<rel>>|<|\\geq?|\\leq?|≥|≤)\s*0\s*$")


def _sign_cases(latex: str, reading: Reading) -> tuple | None:
    r"""The rows of a function defined by the sign of its variable, ``f(x) = \begin{cases} x & x > 0 \\ \alpha x
    & \text{otherwise} \end{cases}``: ``(("x > 0", value), ("x < 0", value))`` with each value bound (x = 0, where
    such a function may have no derivative, is left out), else None.

    >>> rows = _sign_cases(r"f(x) = \begin{cases} x & x > 0 \\ a x & \text{otherwise} \end{cases}", Reading.empty())
    >>> [(guard, str(value)) for guard, value in rows]
    [('x > 0', 'x[0]'), ('x < 0', 'a[0]*x[0]')]
    """
    found = re.fullmatch(r"\s*(?:\\[a-zA-Z]+|[a-zA-Z])\s*\(\s*([a-z])\s*\)\s*=\s*\\begin\{cases\}(.*)\\end\{cases\}[\s.,]*",
                         latex, re.DOTALL)
    if found is None:
        return None
    rows = [row for row in re.split(r"\\\\", found.group(2)) if row.strip()]
    guards, otherwise = {}, None
    for row in rows:
        value, _, condition = row.partition("&")
        condition = re.sub(r"\\(?:text|mbox|mathrm)\s*\{\s*(otherwise|else)\s*\}|\b(otherwise|else)\b", "otherwise", condition)
        sign = _SIGN_ROW.match(condition.strip().rstrip(".,"))
        if condition.strip().rstrip(".,") == "otherwise" and otherwise is None:
            otherwise = value
        elif sign and sign.group("a") == found.group(1):
            guards["x > 0".replace("x", sign.group("a")) if sign.group("rel") in (">", "\\geq", "\\ge", "≥")
                   else "x < 0".replace("x", sign.group("a"))] = value
        else:
            return None
    if otherwise is not None:
        if len(guards) != 1:
            return None
        (guard, _value), = guards.items()
        guards[guard.replace(">", "<") if ">" in guard else guard.replace("<", ">")] = otherwise
    if len(guards) != 2:
        return None
    try:
        return tuple((guard, bind_tensor_side(parse_side(normalize_latex(value)[0]), reading).expr)
                     for guard, value in sorted(guards.items(), reverse=True))
    except (Exception, RecursionError):
        return None


def _opaque(previous: TensorSpec | None, key: str, slots: int) -> TensorSpec:
    """The tensor ``key`` as defined in a way not read: never given a value of our choosing.

    >>> _opaque(None, "t_1", 1).opaque
    True
    """
    if previous is not None:  # the model's definition is not the document's: it goes too
        return replace(previous, opaque=True, definition=None)
    return TensorSpec(key, re.split(r"[\^_](?=\d)", key)[0], (None,) * slots, opaque=True)


def _functions(document: Document, defined: dict) -> dict:
    """Pointwise functions: what the document defines, then what its prose names, then the named ones."""
    out = dict(defined)
    if "\\sigma" not in out and logistic_by_prose(document.source):
        out["\\sigma"] = LOGISTIC
    for name, meaning in _NAMED_FUNCTIONS.items():
        out.setdefault(name.replace(" ", ""), VOCABULARY[meaning])
    return out


#: sigma written out as the logistic function: ``\sigma(z_i) = \frac{1}{1 + e^{-z_i}}``, ``\sigma(x)=1/(1+\exp(-x))``
_SIGMA_AS_LOGISTIC = re.compile(r"\\sigma\s*\([^()$]{1,60}\)\s*=\s*(?:\\frac\s*\{\s*1\s*\}\s*\{|1\s*/\s*\(?)\s*1\s*\+\s*"
                                r"(?:e\s*\^|\\exp\s*\()\s*\{?\s*\(?\s*-")


def logistic_by_prose(source: str) -> bool:
    r"""True when the prose says ``\sigma`` is the logistic function ("$\sigma$ is the sigmoid"), or names the
    logistic (sigmoid) function and never the softmax, nor a vector ``\sigma(\mathbf{z})`` ("we then apply the
    logistic activation function to get $h_1$"), or when the document's use says so (:func:`_sigma_of_scalars`).

    >>> logistic_by_prose("We then apply the logistic activation function to get $h_1$: $$h_1 = \\sigma(z_1)$$")
    True
    >>> logistic_by_prose("the sigmoid, and the softmax $$p = \\sigma(z)_i$$"), logistic_by_prose("$$\\sigma(z_i)$$")
    (False, False)
    >>> logistic_by_prose("$$p_i = \\sigma(\\mathbf{w}^T x_i) = \\frac{1}{1 + e^{-\\mathbf{w}^T x_i}}$$")
    True
    """
    if _LOGISTIC_PROSE.search(source) or _sigma_of_scalars(source):
        return True
    if _SIGMA_AS_LOGISTIC.search(source) and not re.search(r"soft-?max|\\sigma\s*\([^()]*\)\s*_", source, re.IGNORECASE):
        return True  # written out as the logistic function, in a document that never speaks of the softmax
    prose = re.sub(r"<!--.*?-->|\$\$.*?\$\$|\$[^$]*\$", " ", source, flags=re.DOTALL)  # a comment is no prose
    return bool(re.search(r"\b(?:logistic|sigmoid)\b", prose, re.IGNORECASE)) and not re.search(
        r"soft-?max|\\sigma\s*\(\s*\\(?:mathbf|bm|boldsymbol|vec)|\\sigma\s*\([^()]*\)\s*_", source, re.IGNORECASE)


def _sigma_of_scalars(source: str) -> bool:
    r"""True when ``\sigma`` is only ever applied to unindexed scalars (``\sigma(x)``, ``\sigma(\beta x)``), never
    written with an index or a bar, and the document never names the softmax, sums, or the normal distribution: then
    it is the logistic function, as machine learning writes it (a softmax needs a vector and a component).

    >>> _sigma_of_scalars(r"$$\frac{d}{dx}\sigma(x) = \sigma(x)(1 - \sigma(x))$$ and $$x \sigma(\beta x)$$")
    True
    >>> _sigma_of_scalars(r"$$\sigma(z_i)$$"), _sigma_of_scalars(r"$$\sigma(z)_j$$"), _sigma_of_scalars(r"$$\sigma(x) = 1$$ softmax")
    (False, False, False)
    """
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.DOTALL)
    calls = re.findall(r"\\sigma(?![a-zA-Z])\s*(\S)", source)  # what follows each \sigma: always a bracket
    if not calls or any(opening != "(" for opening in calls):
        return False
    arguments = re.findall(r"\\sigma\s*\(([^()]*)\)\s*(\S?)", source)
    if len(arguments) != len(calls) or re.search(r"soft-?max|arg\s*max|\\sum|\\prod|gauss|normal", source, re.IGNORECASE):
        return False
    return all(re.fullmatch(r"\s*(?:\\[a-zA-Z]+\s*|[a-zA-Z]\s*|[0-9]\s*)+", argument) and follower not in ("_", "^")
               for argument, follower in arguments)


def _explicit_sum_to_one(latex: str):
    r"""``y_1 + y_2 = 1``: the components 1, 2, ... of one vector, each once, sum to one (a match, else None).

    >>> _explicit_sum_to_one("y_1 + y_2 = 1").group("who"), _explicit_sum_to_one("y_1 + p_2 = 1")
    ('y_1', None)
    """
    found = _EXPLICIT_SUM_TO_ONE.match(latex)
    if not found:
        return None
    terms = [t.strip() for t in latex.split("=")[0].split("+")]
    bases = {re.sub(r"_\{?[0-9]\}?$", "", t) for t in terms}
    numbers = sorted(int(re.search(r"([0-9])\}?$", t).group(1)) for t in terms)
    return found if len(bases) == 1 and numbers == list(range(1, len(terms) + 1)) else None


#: prose that names a letter as one number: "learning rate $\eta$", "a constant $c$", "the step size $\alpha$"
_NAMED_CONSTANT = re.compile(
    r"\b(?:learning rate|step[ -]size|constant|scalar|coefficient|hyperparameter|regularization strength)\s+"
    r"\$\s*(?P<who>\\?[A-Za-z]+)\s*\$", re.IGNORECASE)


#: a letter the prose names as data (a target, a label, the teacher's output): it never depends on the parameters
_DATA_LETTER = r"\$\$?\s*(?P<who>(?:\\(?:mathbf|bm|boldsymbol|vec)\s*\{?\s*)?[a-zA-Z])(?![a-zA-Z])[^$]{0,20}\$\$?"
_DATA_WORDS = (r"(?:targets?|teacher(?:\s+set)?|ground[- ]truth|true\s+(?:labels?|values?|outputs?|class(?:es)?)"
               r"|desired\s+outputs?|observed\s+(?:values?|outputs?|data)|(?:class\s+|one-hot\s+)?labels?)")
_NAMED_DATA = re.compile(r"\b" + _DATA_WORDS + r"(?:\s+(?:vectors?|values?|set|data))?[*_]{0,2}\s*,?\s*" + _DATA_LETTER
                         + r"|" + _DATA_LETTER.replace("who", "who2") + r"\s+(?:is|are|denotes?|represents?)\s+(?:the\s+|an?\s+)?"
                         r"(?:\w+\s+)?" + _DATA_WORDS + r"\b", re.IGNORECASE)


def _data_letters(source: str) -> set:
    r"""The letters the prose names as data: "the target $t$", "the label $y$ for $X$", "$t_k$ is the target".
    Never one it calls predicted or estimated ("the predicted label $y$").

    >>> sorted(_data_letters("a *teacher set* $$t$$ with $$M$$ samples; $y_k$ is the target, the predicted label $p$"))
    ['t', 'y']
    """
    found = set()
    for match in _NAMED_DATA.finditer(source):
        if re.search(r"\b(?:predicted|estimated|output|model'?s?|network'?s?)\s+(?:\w+\s+)?$",
                     source[max(0, match.start() - 30):match.start()], re.IGNORECASE):
            continue
        who = match.group("who") or match.group("who2")
        found.add(who[-1])
    return found


def _probability_mentions(sentence: str) -> list[str]:
    r"""The inline math a sentence says is a probability vector: the nearest before and after "one-hot" or
    "probability vector", the nearest before "sums to one"; never the others (the caller keeps only vectors).

    >>> _probability_mentions("We have $N$ samples $x^{(n)}$, each with $D$ features and a one-hot label $y^{(n)}$")
    ['D', 'y^{(n)}']
    >>> _probability_mentions("The hard label $y$ is one-hot over $C$ classes.")
    ['y', 'C']
    >>> _probability_mentions("The label vector $y$ sums to one, and $x$ is real")
    ['y']
    >>> _probability_mentions("Since exactly one of the $t_i$s is 1 and the rest are zeros")
    ['t_i']
    >>> _probability_mentions("since y is a one-hot vector, it sums to 1")
    ['y']
    >>> _probability_mentions("Since $Y_i$ can only be 1 for the true class and 0 otherwise, this simplifies to:")
    ['Y_i']
    >>> _probability_mentions(r"$q \in \mathbb{R}^m$を$y_i$のone-hot vectorとする.")
    ['q']

    A loss written just before ("With $L = -\sum_k \hat{y}_k \log p_k$ (one-hot labels)"): the labels are the
    factors of its logarithms.

    >>> _probability_mentions(r"With $L = -\sum_k \hat{y}_k \log p_k + t_k \ln q_k$ (one-hot labels):")
    ['\\hat{y}_k', 't_k']
    """
    found = [m.group(1) for m in _EXACTLY_ONE.finditer(sentence)]
    found += _BARE_ONE_HOT.findall(sentence)  # "since y is a one-hot vector": the letter without dollars
    found += _ONE_ELSE_ZERO.findall(sentence)
    if re.search(r"one[- ]?hot|" + ONE_HOT, sentence, re.IGNORECASE):  # "$q \in \mathbb{R}^m$ ... one-hot vector" in any word order
        found += re.findall(r"\$\s*([a-zA-Z](?:_\{?[a-zA-Z0-9]\}?)?)\s*\\in\s*\\mathbb\s*\{?\s*R", sentence)
    for words in _PROBABILITY_WORDS.finditer(sentence):
        after = re.match(r"[^$]{0,40}?\$([^$]+)\$", sentence[words.end():])
        before = re.search(r"\$([^$]+)\$[^$]{0,40}$", sentence[:words.start()])
        chosen = (before,) if words.group(0).lower().startswith("sum") else (before, after)
        for match in chosen:
            if match is not None and "=" in match.group(1) and re.search(r"\\(?:log|ln)\b", match.group(1)):
                found.extend(_LOG_FACTOR.findall(match.group(1)))  # the loss the words are about: its labels
            elif match is not None:
                found.append(match.group(1))
    return found


#: ``y_c = 1`` in a sentence: a component at a letter index equal to one
_ONE_AT_LETTER = re.compile(r"\s*(?P<base>[a-zA-Z])\s*_\s*(?:\{\s*(?P<braced>[a-z])\s*\}|(?P<bare>[a-z]))\s*=\s*1\s*")
#: words that open a case or an example before inline math: what follows is not the document's standing fact
_CASE_WORDS = re.compile(r"\b(?:if|when|whenever|case|suppose|unless|otherwise|e\.\s*g|for\s+example|for\s+instance)\b",
                         re.IGNORECASE)


def _hot_at_letter(document: Document, reading: Reading) -> Reading:
    r"""A probability vector the prose says is 1 at a letter index (``$y_c = 1$`` for the correct class c, outside a
    case): its components are nonnegative and sum to one, so it is the one-hot vector at c, ``y_k = \delta_{k c}``,
    with c one fixed class (read as ``c*`` everywhere), never summed.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("With a one-hot label $y$,\n\n$$L = -\\sum_{k=1}^{K} y_k \\log p_k \\tag{1}$$\n\n"
    ...                     "Only at the correct class $c$ is $y_c = 1$, so\n\n$$L = -\\log p_c \\tag{2}$$")
    >>> reading, _ = read_tensors(doc)
    >>> reading.tensors["y_1"].definition, sorted(reading.constant_letters)
    (((k,), KroneckerDelta(c*, k)), ['c'])
    """
    displays = " ".join(eq.latex for eq in document.equations)
    for item in document.inline:
        found = _ONE_AT_LETTER.fullmatch(item.latex)
        if found is None:
            continue
        base, letter = found.group("base"), found.group("braced") or found.group("bare")
        key = f"{base}_1"
        spec = reading.tensors.get(key)
        if spec is None or spec.domain not in ("probability", "onehot") or spec.definition is not None \
                or len(spec.axes) != 1 or spec.axes[0] is None or spec.opaque:
            continue
        if letter in reading.sizes or letter == base or any(s.base == letter for s in reading.tensors.values()) \
                or re.search(r"\\(?:sum|prod)\s*_\s*\{?\s*" + letter + r"(?![a-zA-Z])", displays):
            continue  # c a size, a quantity, or summed somewhere: not one fixed class
        at = document.source.find("$" + item.latex)
        before = document.source[max(0, at - 160):at] if at >= 0 else ""
        sentence = re.split(r"[.!?:]\s|\n\s*\n|\$\$", before)[-1]
        if _CASE_WORDS.search(re.sub(r"\$[^$]*\$", " ", sentence)):
            continue  # "if $y_c = 1$": a case, not the label
        parameter = index_symbol("k" if letter != "k" else "j")
        constant = index_symbol(letter + "*")
        spec = replace(spec, definition=((parameter,), sp.KroneckerDelta(parameter, constant)), declared=True,
                       constants=((constant, spec.axes[0]),), origin=f"line {item.line}")
        reading = replace(reading, constant_letters=reading.constant_letters | {letter}).with_tensor(spec)
    return reading


def _domains(document: Document, reading: Reading) -> Reading:
    tensors = dict(reading.tensors)

    def set_domain(who: str, domain: str) -> None:
        try:
            side = parse_side(who.strip())
        except (Exception, RecursionError):
            return
        expr = side.expr
        note = side.placeholders.get(expr) if isinstance(expr, sp.Symbol) else None
        key = _atom_key(note, reading.lettered) if isinstance(note, Atom) else (expr.name if isinstance(expr, sp.Symbol) else None)
        if key is None:
            return
        if key == "sigma" and not reading.sigma_applied:
            key = "\\sigma"  # as the binder names a sigma that is a number
        spec = tensors.get(key) or TensorSpec(key, re.split(r"[\^_](?=\d)", key)[0], (), declared=True)
        if spec.definition is not None:
            return  # a defined quantity's sign follows from its definition: "L >= 0" is a claim to check
        tensors[key] = replace(spec, domain=domain, declared=True)

    for found in _NAMED_CONSTANT.finditer(document.source):  # "with learning rate $\eta$": a number of its own
        try:
            side = parse_side(found.group("who"))
        except (Exception, RecursionError):
            continue
        note = side.placeholders.get(side.expr) if isinstance(side.expr, sp.Symbol) else None
        key = _atom_key(note, reading.lettered) if isinstance(note, Atom) else (
            side.expr.name if isinstance(side.expr, sp.Symbol) else None)
        if key is not None and key not in tensors and key not in reading.sizes and key not in reading.functions:
            tensors[key] = TensorSpec(key, key, (), declared=True)
    for letter in _data_letters(re.sub(r"<!--.*?-->", " ", document.source, flags=re.DOTALL)):
        for key, spec in list(tensors.items()):  # "the target $t$": data, never a function of the parameters
            if spec.base == letter and spec.definition is None and not spec.opaque and not spec.declared:
                tensors[key] = replace(spec, declared=True)
    for found in _SPREAD.finditer(document.source):  # "standard deviation $\sigma$": a positive number
        set_domain(found.group("who"), "positive")
    for found in _POSITIVE_PARAMETER.finditer(document.source):  # N(\mu, \sigma^2), Poisson(\lambda_i): positive
        set_domain(found.group("who") or found.group("rate"), "positive")
    for found in _UNIT_PARAMETER.finditer(document.source):  # Bernoulli(p), Geometric(p): a probability in (0, 1)
        set_domain(found.group("who"), "unit")
    fixed = dict(reading.fixed)
    assumptions = set(reading.assumptions)
    for item in document.inline:
        found = re.fullmatch(r"\s*([A-Z])\s*=\s*([0-9]{1,2})\s*", item.latex)
        if found and found.group(1) in reading.sizes and int(found.group(2)) >= 1:
            fixed.setdefault(found.group(1), int(found.group(2)))  # "for $C = 2$ classes": the document's size
    for item in (*document.inline, *document.equations):
        latex = item.latex
        as_case = isinstance(item, InlineMath) and re.search(
            r"\b(?:if|when|whenever|case|suppose|unless|otherwise|for an? (?:one-hot|hard|binary)\b[^$.]{0,20})"
            r"[^$.]{0,20}\$\s*" + re.escape(latex.strip()), document.source, re.IGNORECASE)
        for part in re.split(r",\s*(?![^{}]*\})", latex) if "\\in" in latex else [latex]:
            found = _BINARY.match(part)
            if found and not as_case:  # "for a one-hot label, $y_k \in \{0, 1\}$" is a case, not the document's y
                for who in re.split(r"\s*,\s*", found.group("who")):
                    set_domain(who, "binary")
        claim = not isinstance(item, InlineMath)  # a display "$$L \geq 0 \quad (10)$$" is checked, not assumed
        found = None if claim else _POSITIVE.match(latex)
        if found and as_case:
            found = None  # "- if $a_m > 0$:" opens a case; it does not say every a_m is positive
        if found:
            for who in re.split(r"\s*,\s*", found.group("who")):
                set_domain(who, "positive" if found.group("rel") == ">" else "nonnegative")
            assumptions.add(re.sub(r"\s+", "", latex))
        found = None if claim else _UNIT_INTERVAL.match(latex)
        if found:  # "for a probability $0 < p < 1$"
            set_domain(found.group("who") or found.group("who2"), "unit")
            assumptions.add(re.sub(r"\s+", "", latex))
        found = None if claim or as_case else (_SUM_TO_ONE.match(latex) or _explicit_sum_to_one(latex))
        if found:  # a display "$$\sum_j x_j = 1$$" is a claim to check, never a domain it would prove itself with
            set_domain(found.group("who"), "probability")
    prose = re.sub(r"\$\$(.*?)\$\$", lambda m: "\n\n" if "\n" in m.group(1) or _RELATION.search(m.group(1)) else
                   "$" + m.group(1) + "$", document.source, flags=re.DOTALL)  # displays end a sentence; $$t_i$$ in one is inline
    unapplied: set[str] = set()
    for sentence in re.split(r"(?<=[.;:])\s|\n\s*\n", prose):  # "a label vector y whose entries sum to one"
        for math in _probability_mentions(sentence):
            base = re.match(r"\s*(\\hat\{[a-zA-Z]\}|[a-zA-Z])(?:\s*[_^]|\s*$)", math)
            if base is None:
                continue
            vectors = [key for key in tensors if re.split(r"[\^_](?=\d)", key)[0] == base.group(1) and "_" in key]
            for key in vectors:
                if tensors[key].domain == "real":
                    tensors[key] = replace(tensors[key], domain="probability", declared=True)
            if not vectors and base.group(1) not in reading.sizes:
                unapplied.add(base.group(1))
    outcomes = set().union(*(outcome_functions(item.latex) for item in (*document.equations, *document.inline)))
    for key, spec in list(tensors.items()):  # \sum_x p(x) ...: p over the outcomes, a distribution or not
        if re.split(r"[\^_](?=\d)", key)[0] in outcomes and spec.domain == "real" and spec.definition is None:
            tensors[key] = replace(spec, domain="outcome")
    for key in cross_entropy_targets(tensors):  # L = -\sum_k y_k \log p_k with p normalized: y is a distribution
        tensors[key] = replace(tensors[key], domain="probability", declared=True)
    for key, spec in list(tensors.items()):  # y^{(n)}_k, one sample's y_k, has the domain of y_k
        plain = re.sub(r"\^1(?=_|$)", "", key)
        model = tensors.get(plain)
        if plain != key and model is not None and spec.domain == "real" and model.domain != "real":
            tensors[key] = replace(spec, domain=model.domain, declared=True)
    return replace(reading, tensors=tensors, fixed=fixed, assumptions=frozenset(assumptions), unapplied=frozenset(unapplied))


def _normalized(spec: TensorSpec) -> bool:
    r"""True when ``spec`` is defined as its terms over their sum along its one axis, ``p_j = e^{z_j} / \sum_k
    e^{z_k}`` (a softmax output, or any vector normalized so): its components sum to one.

    >>> j, k = index_symbol("j"), index_symbol("k")
    >>> body = sp.exp(component("z_1", j)) / sp.Sum(sp.exp(component("z_1", k)), (k, 1, size_symbol("C")))
    >>> _normalized(TensorSpec("p_1", "p", ("C",), definition=((j,), body)))
    True
    >>> _normalized(TensorSpec("p_1", "p", ("C",), definition=((j,), sp.exp(component("z_1", j)))))
    False
    >>> _normalized(TensorSpec("p_1", "p", ("C",), definition=((j,), SoftmaxAlong(component("z_1", j)))))
    True
    """
    if spec.definition is None or len(spec.axes) != 1 or len(spec.definition[0]) != 1:
        return False
    (index,), body = spec.definition
    if isinstance(body, SoftmaxAlong) and isinstance(body.args[0], sp.Indexed) and body.args[0].indices == (index,):
        return True  # \hat{y}_j = softmax(\theta_j): the softmax along the one axis
    numerator, denominator = sp.fraction(sp.together(body))
    if not isinstance(denominator, sp.Sum) or len(denominator.limits) != 1:
        return False
    bound, low, high = denominator.limits[0]
    return low == 1 and high == size_symbol(spec.axes[0]) and denominator.function.xreplace({bound: index}) == numerator


def cross_entropy_targets(tensors: dict) -> list[str]:
    r"""The keys of the targets of a cross-entropy the document defines: ``y`` in a definition that sums
    ``y_k \log p_k`` over every component of a normalized ``p`` (:func:`_normalized`), when nothing defines ``y``.
    A cross-entropy compares two distributions, so its target's components sum to one (one-hot labels too); the
    verdicts that use it name the fact.

    >>> j, k = index_symbol("j"), index_symbol("k")
    >>> C = size_symbol("C")
    >>> p = TensorSpec("p_1", "p", ("C",), definition=((j,), sp.exp(component("z_1", j)) / sp.Sum(sp.exp(component("z_1", k)), (k, 1, C))))
    >>> loss = TensorSpec("L", "L", (), definition=((), -sp.Sum(component("y_1", k) * sp.log(component("p_1", k)), (k, 1, C))))
    >>> cross_entropy_targets({"p_1": p, "L": loss, "y_1": TensorSpec("y_1", "y", ("C",))})
    ['y_1']
    """
    found = []
    for spec in tensors.values():
        if spec.definition is None:
            continue
        for total in spec.definition[1].atoms(sp.Sum):
            if len(total.limits) != 1:
                continue
            bound = total.limits[0][0]
            factors = sp.Mul.make_args(total.function)
            logs = [f.args[0] for f in factors if isinstance(f, sp.log) and isinstance(f.args[0], sp.Indexed)]
            weights = [f for f in factors if isinstance(f, sp.Indexed)]
            if len(logs) != 1 or len(weights) != 1 or len(factors) > 3:
                continue
            inside, weight = logs[0], weights[0]
            predicted, target = tensors.get(str(inside.base)), tensors.get(str(weight.base))
            if predicted is None or target is None or inside.indices != (bound,) or weight.indices != (bound,):
                continue
            if target.definition is None and not target.opaque and target.domain == "real" and \
                    target.axes == predicted.axes and _normalized(predicted) and \
                    total.limits[0][1:] == (1, size_symbol(predicted.axes[0])) and target.key not in found:
                found.append(target.key)
    return found


#: a letter the prose names a standard deviation, a variance, a scale or a temperature: positive by its meaning
_SPREAD = re.compile(r"\b(?:standard\s+deviations?|variances?|temperature|scale\s+parameter)\s+(?:(?:of|is|as|by)\s+)?"
                     r"\$\s*(?P<who>\\[a-zA-Z]+|[a-zA-Z])(?:\s*\^\s*\{?2\}?)?\s*\$", re.IGNORECASE)


_PARAMETER_LETTER = r"(?:\\[a-zA-Z]+|[a-zA-Z])(?:\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?"
#: a distribution written with its parameters: the spread of a normal (``N(\mu, \sigma^2)``, ``\mathcal{N}(0, \sigma^2)``)
#: and the rate of a Poisson or an exponential (``\text{Poisson}(\lambda_i)``, ``Exp(\lambda)``) are positive numbers
_POSITIVE_PARAMETER = re.compile(
    r"(?:\\mathcal\s*\{?\s*N\s*\}?|(?<![\\a-zA-Z])N|\\(?:text|mathrm|operatorname)\s*\{\s*N\s*\}|Normal)\s*\(\s*[^,()$]+,\s*"
    r"(?P<who>" + _PARAMETER_LETTER + r")\s*\^\s*\{?\s*2\s*\}?\s*\)"
    r"|(?:\\(?:text|mathrm|operatorname)\s*\{\s*)?(?<![a-zA-Z])(?:Poisson|Pois|Exp|Exponential|Expo)\s*\}?\s*\(\s*"
    r"(?P<rate>" + _PARAMETER_LETTER + r")\s*\)")


#: the success probability of a Bernoulli, binomial or geometric distribution (``Bernoulli($p$)``, ``Bin(n, p)``)
_UNIT_PARAMETER = re.compile(
    r"(?:\\(?:text|mathrm|operatorname)\s*\{\s*)?(?<![a-zA-Z])(?:Bernoulli|Bern|Geometric|Geom|Binomial|Bin|Binom)\s*\}?"
    r"\s*\(\s*\$?\s*(?:[a-zA-Z0-9]+\s*,\s*)?(?P<who>" + _PARAMETER_LETTER + r")\s*\$?\s*\)")


_GUARD = re.compile(r"^\s*(?P<left>[^<>]+?)\s*(?P<rel>>|<|\\geq?|\\leq?|\\ge|\\le)\s*(?P<right>[^<>]+?)\s*$")
_SIGNS = {">": "positive", "<": "negative", "\\geq": "nonnegative", "\\ge": "nonnegative", "\\leq": "nonpositive",
          "\\le": "nonpositive"}
_FLIPPED = {"positive": "negative", "negative": "positive", "nonnegative": "nonpositive", "nonpositive": "nonnegative"}


def readable_guards(texts: tuple[str, ...], reading: Reading) -> tuple:
    r"""The conditions a text states for an equation that the checker can apply: one quantity of the reading
    compared with 0 (``a_m > 0``, ``0 > z``). Returns ``(text, quantity, sign)`` triples; others are left out.

    >>> r = Reading.empty().with_tensor(TensorSpec("a_1", "a", ("H",)))
    >>> [(text, str(expr), sign) for text, expr, sign in readable_guards(("a_m > 0", "x \\neq 1"), r)]
    [('a_m > 0', 'a_1[m]', 'positive')]
    """
    found = []
    for text in texts:
        match = _GUARD.match(text)
        if match is None:
            continue
        sign = _SIGNS[match.group("rel")]
        left, right = match.group("left"), match.group("right")
        if left.strip() == "0":
            left, right, sign = right, left, _FLIPPED[sign]
        if right.strip() != "0":
            continue
        try:
            expr = bind_tensor_side(parse_side(left), reading).expr
        except (Exception, RecursionError):  # a condition not read is not applied (the step says so)
            continue
        if isinstance(expr, sp.Indexed):  # a quantity of the reading, or a free letter (x > 0 in a cases row)
            found.append((text, expr, sign))
    return tuple(found)
