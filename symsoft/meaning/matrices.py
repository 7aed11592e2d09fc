r"""What matrix notation means: the shapes of the document's letters, their definitions, and values at given sizes.

A document declares shapes (``$W \in \mathbb{R}^{D \times C}$``, ``$\mathbf{x} \in \mathbb{R}^D$``, "X is the
$N \times D$ data matrix"), defines quantities (``P = \operatorname{softmax}(XW)``, ``L(W) = ...``), and states
facts (one-hot rows, binary labels, a positive λ, σ the logistic function). :func:`read_matrices` collects them.
A letter it does not declare follows the conventions of the field: a capital is a matrix, a bold or Latin lower
case letter a column vector, a Greek letter a number; its sizes are then what the products around it need
(shapes are unified, as a type checker does). :class:`Shapes` infers the shape of every term of an equation, and
:func:`evaluate` gives its value at given sizes: an explicit SymPy matrix whose entries are the letters' entries
(``W[1,2]``), with the document's definitions substituted and derivatives taken entry by entry.

>>> reading = read_matrices_from_text(r"Let $X \in \mathbb{R}^{N \times D}$ and $\mathbf{w} \in \mathbb{R}^D$.")
>>> shapes = Shapes(reading)
>>> from symsoft.parse.matrices import parse_matrix_side
>>> term = parse_matrix_side(r"X^\top X \mathbf{w}")
>>> shapes.written(shapes.infer(term))
'D × 1'
>>> value = evaluate(term, reading, shapes, shapes.setting({"N": 2, "D": 2}))
>>> value.shape
(2, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import sympy as sp

from symsoft.errors import BindingError, LatexParseError
from symsoft.parse.latex import split_chain
from symsoft.parse.matrices import GREEK, Term, matrix_latex, parse_matrix_side, tokenize

ONE = 1


class ShapeError(BindingError):
    """The shapes of a term do not fit (a product of 2 × 3 and 2 × 3, a sum of a row and a column)."""

    #: a product of two factors of one shape (two columns): authors write the elementwise product so, never a mistake
    elementwise = False


@dataclass
class MatrixReading:
    """What a document says about its vectors and matrices."""

    #: declared shapes: letter -> (rows, columns), each a dimension name or 1; (1, 1) for a declared number
    shapes: dict = field(default_factory=dict)
    #: letters declared to be numbers (scalars)
    scalars: set = field(default_factory=set)
    #: definitions: letter -> (parameters, term, line)
    definitions: dict = field(default_factory=dict)
    #: functions of one number the document defines: name -> (parameter, term)
    functions: dict = field(default_factory=dict)
    #: σ is the logistic function (the prose says sigmoid or logistic)
    logistic_sigma: bool = False
    one_hot: set = field(default_factory=set)
    binary: set = field(default_factory=set)
    positive: set = field(default_factory=set)
    symmetric: set = field(default_factory=set)
    #: how a derivative in a matrix or vector is laid out: "shape" (the gradient has the shape of the variable),
    #: "numerator", or "" when the document does not say
    layout: str = ""
    #: softmax of a matrix acts along "rows" or "columns" ("" when the document does not say)
    softmax_along: str = ""
    #: the prose names the rows (or the columns) of a matrix by its lower-case letter: x_i is the i-th row of X, as a
    #: column vector ("row"), or its i-th column ("column"); "" when it does not
    rows_as_vectors: str = ""
    #: the prose speaks of the matrix exponential (or logarithm): exp of a matrix may not act entry by entry
    matrix_functions: bool = False
    #: the letters the prose names on their own (``$A'$``): a prime on one of them is part of its name
    named: set = field(default_factory=set)
    #: another spelling of a letter the document knows: ``Y`` for ``\\mathbf{Y}``
    aliases: dict = field(default_factory=dict)
    #: the displays whose first step defines a letter: (line, LaTeX) -> the letter
    defining_lines: dict = field(default_factory=dict)

    def declared(self, name: str) -> bool:
        """True when the document gives ``name`` a shape or a definition (or says it is a number)."""
        return name in self.shapes or name in self.definitions or name in self.scalars

    @property
    def dimensions(self) -> set:
        """The dimension names the declared shapes use (N, D, C)."""
        return {d for shape in self.shapes.values() for d in shape if isinstance(d, str)}


# ----------------------------------------------------------------------------------------------------------------
# reading the document
# ----------------------------------------------------------------------------------------------------------------

_NAME_LIST = r"(?P<names>(?:\\[a-zA-Z]+\s*\{[^{}$]*\}|\\[a-zA-Z]+|[A-Za-z])(?:\^\{\([a-z0-9]+\)\}|_\{?[0-9]\}?)?" \
             r"(?:\s*,\s*(?:\\[a-zA-Z]+\s*\{[^{}$]*\}|\\[a-zA-Z]+|[A-Za-z])(?:\^\{\([a-z0-9]+\)\}|_\{?[0-9]\}?)?)*)"
_SPACE = r"\\(?:mathbb|mathbf|Bbb)\s*\{?\s*R\s*\}?"
_DECLARATION = re.compile(_NAME_LIST + r"\s*\\in\s*(?:" + _SPACE + r"|\\\{\s*0\s*,\s*1\s*\\\})"
                          r"\s*(?:\^\s*(?:\{(?P<dims>[^{}]*)\}|(?P<dim>[A-Za-z0-9])))?\s*$")
_TIMES = re.compile(r"\s*(?:\\times|×|x|\\cdot|,)\s*")
_WORD_SHAPE = re.compile(r"^\s*([A-Za-z]|\\[a-zA-Z]+)\s*(?:\\times|×)\s*([A-Za-z]|\\[a-zA-Z]+)\s*$")


def _canonical_name(text: str) -> str | None:
    """A letter as the matrix grammar names it, or None when ``text`` is not one letter."""
    try:
        term = parse_matrix_side(text)
    except (LatexParseError, BindingError):
        return None
    if term.kind == "name":
        return term.args[0]
    if term.kind == "subscript" and term.args[0].kind == "name" and all(a.isdigit() for a in term.args[1:]):
        return term.args[0].args[0] + "_{" + "".join(term.args[1:]) + "}"
    return None


def _dimension(text: str) -> str | int:
    text = text.strip()
    if text == "1":
        return ONE
    if re.fullmatch(r"[A-Za-z]|\\[a-zA-Z]+|\d+", text):
        return text
    raise ValueError(text)


def _inline_math(source: str):
    """(position, text) of each inline ``$...$`` of the prose (displays left out)."""
    prose = re.sub(r"\$\$.*?\$\$", lambda m: " " * len(m.group(0)), source, flags=re.DOTALL)
    return [(m.start(), m.group(1)) for m in re.finditer(r"(?<!\\)\$([^$]+)\$", prose)]


def _sentences(source: str) -> list[str]:
    prose = re.sub(r"\$\$.*?\$\$", " . ", source, flags=re.DOTALL)
    return [s for s in re.split(r"(?<=[.;:])\s+|\n\s*\n", prose) if s.strip()]


def read_matrices_from_text(source: str) -> MatrixReading:
    r"""The :class:`MatrixReading` of a document's text (prose and displays).

    >>> r = read_matrices_from_text(r"Let $W \in \mathbb{R}^{D \times C}$, $y \in \{0, 1\}^N$ and $\lambda > 0$.")
    >>> r.shapes["W"], r.shapes["y"], sorted(r.binary), sorted(r.positive)
    (('D', 'C'), ('N', 1), ['y'], ['\\lambda'])
    """
    from symsoft.errors import InputError
    from symsoft.read.document import Document, InlineMath, read_document

    try:
        return read_matrices(read_document(source))
    except InputError:  # prose without a display: its declarations still count
        inline = tuple(InlineMath(source.count("\n", 0, position) + 1, math) for position, math in _inline_math(source))
        return read_matrices(Document(source, (), inline))


def read_matrices(document) -> MatrixReading:
    r"""What the document says about its vectors and matrices: shapes, definitions, facts, conventions.

    >>> from symsoft.read.document import read_document
    >>> r = read_matrices(read_document("Let $X \\in \\mathbb{R}^{N \\times D}$.\n\n$$P = \\operatorname{softmax}(X)$$\n"))
    >>> r.shapes["X"], sorted(r.definitions)
    (('N', 'D'), ['P'])
    """
    reading = MatrixReading()
    source = document.source
    for _position, math in _inline_math(source):
        _read_declaration(math, reading)
        named = _canonical_name(math)
        if named:
            reading.named.add(named)
    for sentence in _sentences(source):
        _read_sentence(sentence, reading)
    prose = re.sub(r"\$[^$]*\$", " ", re.sub(r"\$\$.*?\$\$", " ", source, flags=re.DOTALL))
    for match in _PROSE_SHAPE.finditer(prose):
        for name in re.split(r",\s*|\s+and\s+", match.group("names")):
            reading.shapes.setdefault(name, (match.group("rows"), match.group("columns")))
    for match in _PROSE_VECTOR.finditer(prose):
        reading.shapes.setdefault(match.group("name"), (match.group("length"), ONE))
    lowered = source.lower()
    reading.logistic_sigma = any(re.search(r"\b(?:sigmoid|logistic)\b", sentence.lower()) and ("\\sigma" in sentence or "σ" in sentence)
                                 and not re.search(r"\bnot\b|relu|tanh|softmax|instead", sentence.lower())
                                 for sentence in _sentences(source))
    clauses = [c for sentence in _sentences(source) for c in re.split(r"[,;(]|\bwhile\b|\bwhereas\b|\bbut\b",
                                                                       sentence.lower())]
    about_derivatives = " ".join(c for c in clauses if re.search(r"gradient|derivative|layout|jacobian|\\partial", c)
                                 and "hessian" not in c)
    if re.search(r"numerator[- ]layout|(?:derivative|\\partial)[^.]{0,80}?\bis\s+an?\s+row(?:\s+vector)?\b", about_derivatives):
        reading.layout = "numerator"
    elif re.search(r"denominator[- ]layout", about_derivatives):
        reading.layout = "denominator"
    elif re.search(r"(?:same|the) (?:shape|size|dimensions?) (?:as|of) (?:the )?(?:matrix|variable|parameter|weights?|\$)"
                   r"|has the shape of|shaped like|(?:arranged|laid out|shaped|organi[sz]ed) (?:like|as) (?:the )?"
                   r"(?:matrix |variable |parameter )?(?:\$|[a-z])"
                   r"|(?:gradient|derivative)[^.]{0,120}?\b(?:is|are)\s+(?:again\s+)?an?\s+column(?:\s+vector)?\b",
                   about_derivatives):
        reading.layout = "shape"
    reading.matrix_functions = bool(re.search(r"matrix (?:exponential|logarithm)", lowered))
    about_softmax = " ".join(sentence.lower() for sentence in _sentences(source) if "softmax" in sentence.lower())
    if re.search(r"row[- ]wise|row by row|(?:each|every) row|along (?:the )?rows|(?:on|to) the rows", about_softmax):
        reading.softmax_along = "rows"
    elif re.search(r"column[- ]wise|column by column|(?:each|every) column|along (?:the )?columns|(?:on|to) the columns",
                   about_softmax):
        reading.softmax_along = "columns"
    _read_definitions(document, reading)
    _read_aliases(reading)
    return reading


#: "U is an m × n matrix", "A, B and C are square n × n matrices", written in words outside the math
_PROSE_SHAPE = re.compile(r"(?<![A-Za-z])(?P<names>[A-Z](?:(?:,\s*|\s+and\s+)[A-Z])*)\s+(?:is|are)\s+(?:an?\s+|the\s+)?"
                          r"(?:square\s+|real\s+|symmetric\s+)?(?P<rows>[a-zA-Z])\s*(?:×|x|\\times)\s*(?P<columns>[a-zA-Z])"
                          r"\s+(?:[a-z]+\s+)?matri(?:x|ces)\b")
#: "y is a column vector of N targets", "w a column vector of length D"
_PROSE_VECTOR = re.compile(r"(?<![A-Za-z\\])(?P<name>[a-z])\s+(?:is\s+)?an?\s+column(?:\s+vector)?\s+of\s+(?:length\s+|size\s+)?"
                           r"(?P<length>[A-Za-z])\b")


def _read_aliases(reading: MatrixReading) -> None:
    """A bold letter and the same letter in plain type are one quantity when the document declares or defines only
    one of them (``\\mathbf{Y}`` declared, ``Y_{ic}`` in a sum)."""
    known = set(reading.shapes) | set(reading.definitions) | reading.scalars
    for name in sorted(known):
        plain = _unbold(name)
        if plain != name and plain not in known:
            reading.aliases[plain] = name
        for bold in ("mathbf", "boldsymbol", "bm"):
            other = f"\\{bold}{{{name}}}"
            if plain == name and other not in known:
                reading.aliases[other] = name


def _unbold(name: str) -> str:
    match = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm)\{(.*)\}", name)
    return match.group(1) if match else name


def _read_declaration(math: str, reading: MatrixReading) -> None:
    for piece in _declarations_apart(math):
        match = _DECLARATION.match(piece.strip())
        if match is None:
            positive = re.fullmatch(r"\s*(\\[a-zA-Z]+|[A-Za-z])\s*(?:>|\\gt)\s*0\s*", piece)
            if positive:
                reading.positive.add(positive.group(1))
                reading.scalars.add(positive.group(1))
            continue
        names = [_canonical_name(n) for n in re.split(r"\s*,\s*", match.group("names"))]
        if any(n is None for n in names):
            continue
        dims_text = match.group("dims") or match.group("dim")
        try:
            dims = tuple(_dimension(d) for d in _TIMES.split(dims_text)) if dims_text else ()
        except ValueError:
            continue
        binary = "\\{" in piece
        for name in names:
            if not dims:
                reading.scalars.add(name)
                if binary:
                    reading.binary.add(name)
                continue
            if len(dims) == 1:
                reading.shapes[name] = (dims[0], ONE)
            elif len(dims) == 2:
                reading.shapes[name] = dims
            else:
                continue
            if binary:
                reading.binary.add(name)


def _declarations_apart(math: str) -> list[str]:
    r"""The declarations of one piece of inline math: ``W \in \mathbb{R}^{D}, b \in \mathbb{R}`` is two, ``A, B \in
    \mathbb{R}^{n \times n}`` one.

    >>> _declarations_apart(r"A, B \in \mathbb{R}^{n \times n}, x \in \mathbb{R}^n")
    ['A, B \\in \\mathbb{R}^{n \\times n}', 'x \\in \\mathbb{R}^n']
    """
    pieces, current, depth = [], "", 0
    for char in math:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0 and "\\in" in current:
            pieces.append(current.strip())
            current = ""
            continue
        current += char
    pieces.append(current.strip())
    return [p for piece in pieces for p in re.split(r"\\q?quad|\\text\{\s*and\s*\}", piece) if p.strip()]


def _read_sentence(sentence: str, reading: MatrixReading) -> None:
    maths = list(re.finditer(r"(?<!\\)\$([^$]+)\$", sentence))
    names = [(m, _canonical_name(m.group(1))) for m in maths]
    lowered = sentence.lower()
    for index, (match, name) in enumerate(names):
        if name is None:
            continue
        following = names[index + 1] if index + 1 < len(names) else None
        if following is not None and following[1] is None and name not in reading.shapes:
            between = sentence[match.end(): following[0].start()]
            shape = _WORD_SHAPE.match(following[0].group(1))
            if shape and re.fullmatch(r"\s*(?:(?:is|be|are|denotes?)\s+)?(?:an?|the)?\s*", between) and between.strip():
                reading.shapes[name] = (shape.group(1), shape.group(2))
        after, before = sentence[match.end(): match.end() + 40], sentence[max(0, match.start() - 25): match.start()]
        if name not in reading.shapes:  # "$X$ is the N × D matrix", "the N × D matrix $X$", "$b$ a column of M ..."
            words = ((re.match(r"\s*(?:is|be|denotes|,)?\s*(?:an?\s+|the\s+)?(?:[a-z-]+\s+)?" + _WORD_DIMS
                               + r"(?!\s*(?:\\times|×))", after) if not re.match(r"\s*,?\s*(?:unlike|not|but)\b", after)
                      else None)
                     or re.search(_WORD_DIMS + r"\s+(?:[a-z-]+\s+){0,2}(?:matrix|array)\s+(?:of\s+[a-z-]+\s+)?$",
                                  sentence[max(0, match.start() - 45): match.start()]))
            column = re.match(r"\s*(?:is\s+)?(?:an?\s+|the\s+)?column(?:\s+vector)?\s+of\s+(?:length\s+|size\s+)?"
                              r"\$?([A-Za-z])\$?\b", after)
            if words:
                reading.shapes[name] = (words.group("rows"), words.group("columns"))
            elif column:
                reading.shapes[name] = (column.group(1), ONE)
        if name not in reading.shapes and (
                re.match(r"\s*(?:is|be|denotes)\s+(?:a|the|any)\s+(?:positive\s+|real\s+)?(?:scalar|number)\b", after)
                or re.search(r"\b(?:the|a)\s+(?:scalar|number)\s*$", before)):
            reading.scalars.add(name)
        negated = re.search(r"\bnot\b|\bnon-?symmetric|\bwhether\b|\bunless\b|\bif\b", lowered)
        if negated:
            pass
        elif re.match(r"\s*(?:is|be)\s+(?:an?\s+)?(?:real\s+|square\s+)?symmetric\b", after.lower()) or re.search(
                r"\bsymmetric\s+(?:[a-z0-9]\s*(?:×|\\times|x)\s*[a-z0-9]\s+)?(?:matrix\s+)?$", before.lower()):
            reading.symmetric.add(name)
    for match in maths:  # S^\top = S
        equal = re.fullmatch(r"\s*(\S+?)\s*\^\s*\{?\s*(?:T|\\top|\\intercal)\s*\}?\s*=\s*(\S+?)\s*", match.group(1))
        if equal and equal.group(1) == equal.group(2) and _canonical_name(equal.group(1)):
            reading.symmetric.add(_canonical_name(equal.group(1)))
    start = 0
    for length in re.finditer(r"\b(?:vectors?|columns?)\s+of\s+(?:length|size|dimension)\s+\$?([a-zA-Z])\$?", sentence):
        for match, name in names:
            if name and start <= match.start() < length.start() and name not in reading.shapes:
                reading.shapes[name] = (length.group(1), ONE)
        start = length.end()
    for match, name in names:
        if name and name in reading.binary and re.search(r"one[- ]hot|rows? (?:each )?sums? to (?:one|1)", lowered):
            reading.one_hot.add(name)
    for word in re.finditer(r"one[- ]hot", lowered):  # "$y$ is a one-hot ...", "one-hot labels $Y$", "$Y$ ... one-hot"
        named = [m for m in maths if _declared_name(m.group(1))]
        copula = [m for m in named if re.fullmatch(r"\s+(?:is|are)\s+(?:an?\s+|the\s+|also\s+)?",
                                                    sentence[m.end(): word.start()])]
        after = [m for m in named if re.fullmatch(r"\s+(?:[a-z]+\s+){0,3}", sentence[word.end(): m.start()])]
        before = [m for m in named if 0 <= word.start() - m.end() < 40]
        chosen = (copula or after or before[-1:] or [None])[0]
        if chosen is not None:
            reading.one_hot.add(_declared_name(chosen.group(1)))
    if re.search(r"-th rows?\b|\brows? of\b", lowered) and "column" not in lowered \
            and re.search(r"\\top|\^T|\^\{T\}", sentence):
        reading.rows_as_vectors = "row"
    elif re.search(r"-th columns?\b|\bcolumns? of\b", lowered) and "row" not in lowered:
        reading.rows_as_vectors = "column"


_WORD_DIMS = r"\$?(?P<rows>[A-Za-z])\s*(?:×|\\times)\s*(?P<columns>[A-Za-z])\$?(?![A-Za-z])"


def _declared_name(math: str) -> str | None:
    r"""The letter an inline piece of math names or declares (``Y`` in ``Y \in \{0, 1\}^{N \times C}``)."""
    return _canonical_name(re.split(r"\\in(?![a-zA-Z])|=|,", math)[0])


def _definition_target(first: Term, reading: MatrixReading):
    """(letter, parameters) when ``first`` is a letter or a letter applied to letters, else None."""
    if first.kind == "name":
        return first.args[0], ()
    if first.kind == "subscript" and first.args[0].kind == "name" and all(a.isdigit() for a in first.args[1:]):
        return first.args[0].args[0] + "_{" + "".join(first.args[1:]) + "}", ()
    if first.kind == "call" and first.args[0] == "sigma" and len(first.args) == 2 and first.args[1].kind == "name":
        return "sigma", (first.args[1].args[0],)
    if first.kind == "matmul" and len(first.args) == 2 and first.args[0].kind == "name":
        argument = first.args[1]
        items = argument.args if argument.kind == "tuple" else (argument,)
        if all(i.kind == "name" for i in items):
            return first.args[0].args[0], tuple(i.args[0] for i in items)
    return None


def _read_definitions(document, reading: MatrixReading) -> None:
    items = sorted([(eq.line, eq.latex, True) for eq in document.equations]
                   + [(item.line, item.latex, False) for item in document.inline], key=lambda t: t[0])
    for line, latex, display in items:
        try:
            sides, relations = split_chain(matrix_latex(latex))
        except Exception:
            continue
        if not relations or relations[0] != "=" or len(sides) < 2:
            continue
        try:
            first = parse_matrix_side(sides[0])
        except (LatexParseError, RecursionError):
            continue
        target = _definition_target(first, reading)
        if target is None:
            continue
        name, parameters = target
        if name in reading.definitions or name in reading.functions or name in ("e",):
            continue
        try:
            body = parse_matrix_side(sides[1])
        except (LatexParseError, RecursionError):
            continue
        if not display and (len(relations) > 1 or not _introduces(body) or not _introduced(document.source, latex)):
            continue  # "at $t = 0$", "$z = 2$": a point or a value, not a definition
        if name == "sigma" or (parameters and len(parameters) == 1 and re.fullmatch(r"[a-z]|\\[a-z]+", name)
                               and name not in reading.shapes and parameters[0] not in reading.shapes
                               and not _MARKERS.search(sides[1])):
            reading.functions[name] = (parameters[0], body)
        else:
            if _mentions(body, name):
                continue  # W = W - \eta \nabla_W L: an update, not a definition
            reading.definitions[name] = (parameters, body, line)
        if display:
            reading.defining_lines[(line, latex)] = name  # several displays may share a line


_MARKERS = re.compile(r"\^\s*\{?\s*(?:T|\\top|\\intercal|\\mathsf|-\s*1)\b|\^\s*T(?![a-zA-Z])|\\nabla|\\odot|\\otimes|"
                      r"\\(?:operatorname|text|mathrm)\s*\{\s*(?:diag|tr|Tr|softmax)\s*\}|\\\||\\[lr]?Vert|\\mathbf|"
                      r"\\boldsymbol|\\bm\b")


def uses_matrix_notation(latex: str, reading: MatrixReading) -> bool:
    r"""True when a display is written in matrix notation: a transpose, an inverse, a gradient, an element-wise
    product, diag, tr, a norm, a bold letter, or a letter the document declares a vector or a matrix (or defines).

    >>> uses_matrix_notation(r"\nabla_W L = X^T (P - Y)", MatrixReading())
    True
    >>> uses_matrix_notation(r"\frac{\partial L}{\partial z_i} = p_i - y_i", MatrixReading())
    False
    """
    if _MARKERS.search(latex):
        return True
    try:
        names = {reading.aliases.get(str(t), str(t)) for side in split_chain(matrix_latex(latex))[0]
                 for t in tokenize(side) if t.type == "NAME"}
    except (LatexParseError, RecursionError, ValueError):
        names = set(re.findall(r"\\[a-zA-Z]+\{[^{}]*\}|\\[a-zA-Z]+|[A-Za-z]", latex))
    return any(name in names and (shape != (ONE, ONE)) for name, shape in reading.shapes.items()) or any(
        name in names for name in reading.definitions)


def matrix_functions_called(latex: str, reading: MatrixReading) -> list[str]:
    r"""The functions a display calls that the document defines in matrix notation (``h(v) = \|v\|^2``): a call
    ``h(x)`` then means that definition at x, which only the matrix reading substitutes.

    >>> reading = read_matrices_from_text("Let $x \\in \\mathbb{R}^n$.\n\n$$h(v) = \\|v\\|^2$$\n")
    >>> matrix_functions_called(r"h(x) = x^\top x", reading)
    ['h']
    """
    try:
        tokens = [t for side in split_chain(matrix_latex(latex))[0] for t in tokenize(side)]
    except (LatexParseError, RecursionError, ValueError):
        return []
    return sorted({str(t) for t, following in zip(tokens, tokens[1:]) if t.type == "NAME" and following.type == "LPAR"
                   and reading.definitions.get(str(t), ((),))[0]})


def bare_matrices(latex: str, reading: MatrixReading) -> list[str]:
    r"""The letters of a display that the document declares (or defines) as matrices and that the display writes
    whole, without an index: there the display is matrix algebra, never arithmetic of numbers.

    >>> bare_matrices(r"(A - B)(A + B) = A^2 - B^2", read_matrices_from_text(r"Let $A, B \in \mathbb{R}^{n \times n}$."))
    ['A', 'B']
    >>> bare_matrices(r"\sum_j W_{ij} x_j = 0", read_matrices_from_text(r"Let $W \in \mathbb{R}^{n \times n}$."))
    []
    """
    try:
        tokens = [t for side in split_chain(matrix_latex(latex))[0] for t in tokenize(side)]
    except (LatexParseError, RecursionError, ValueError):
        return []
    found = []
    for position, token in enumerate(tokens):
        if token.type != "NAME":
            continue
        name = reading.aliases.get(str(token), str(token))
        shape = reading.shapes.get(name)
        following = tokens[position + 1].type if position + 1 < len(tokens) else ""
        if shape is not None and ONE not in shape and following != "UNDER" and name not in found:
            found.append(name)
    return found


def _introduces(body: Term) -> bool:
    """True when an inline ``name = body`` can define a quantity: the body is not a number alone."""
    return body.kind not in ("number", "neg") and not (body.kind == "frac" and all(a.kind == "number" for a in body.args))


def _introduced(source: str, latex: str) -> bool:
    """True when the prose introduces the inline equation as a definition ("let", "define", "denote", "where", a
    colon, "so"), in a sentence that neither negates it nor calls it a mistake or a special case."""
    for match in re.finditer(re.escape("$" + latex + "$"), source):
        start = max(source.rfind(".", 0, match.start()), source.rfind("\n\n", 0, match.start()), 0)
        end = source.find(".", match.end())
        sentence = source[start: end if end >= 0 else len(source)].lower()
        before = source[max(0, match.start() - 40): match.start()].lower()
        if re.search(r"\bnot\b|n't\b|mistake|wrong|incorrect|unlike|instead|special case|assum|initiali[sz]|suppose|"
                     r"\bif\b|\bwhen\b|\bat\b", sentence):
            continue
        if re.search(r"\b(?:let|define[sd]?|denote[sd]?|where|write|so|thus|hence|then|probabilities|logits|"
                     r"outputs?|predictions?)\b[^$]*$|:\s*$|\bis\s*$|\bare\s*$", before):
            return True
    return False


def _mentions(term, name: str) -> bool:
    if not isinstance(term, Term):
        return False
    if term.kind == "name":
        return term.args[0] == name
    return any(_mentions(a, name) for a in term.args)


# ----------------------------------------------------------------------------------------------------------------
# shapes
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    """The shape of a term: its rows and columns as nodes of :class:`Shapes`; ``number`` for a scalar."""

    rows: int
    columns: int
    number: bool = False


_SPECIAL = {"I": "identity", "\\mathbf{I}": "identity", "\\mathbb{I}": "identity", "\\mathbf{1}": "ones",
            "\\mathbb{1}": "ones", "\\mathbf{0}": "zeros"}
_KNOWN_FUNCTIONS = {"exp", "log", "tanh", "sigma", "relu", "sigma'", "tanh'", "softmax", "diag", "tr", "det"}
_ELEMENTWISE = {"exp", "log", "tanh", "sigma", "relu", "sigma'", "tanh'", "relu'"}


class Shapes:
    """Shape inference over a document's letters: dimension nodes in a union-find, bound to a dimension name
    (N, D, C) or to 1; a product unifies its inner dimensions, a sum its shapes.

    >>> s = Shapes(MatrixReading())
    >>> shape = s.infer(parse_matrix_side(r"A B - B A"))  # A and B are square, of one size
    >>> s.find(shape.rows) == s.find(shape.columns), s.value(shape.rows)
    (True, None)
    """

    def __init__(self, reading: MatrixReading):
        self.reading = reading
        self.parent: list[int] = []
        self.bound: dict[int, object] = {}
        self.letters: dict[str, Shape] = {}
        self.of: dict[int, Shape] = {}  # id(term) -> shape
        self.notes: dict[int, object] = {}  # id(term) -> what the term turned out to be (entry, call, ...)
        self.used: set[str] = set()  # the free letters the inferred terms use
        self.defined_used: set[str] = set()
        self._defining: set[str] = set()
        self.flexible: set[int] = set()
        self.one = self._node(ONE)

    def copy(self) -> "Shapes":
        """An independent copy (unifications in it do not touch this one)."""
        other = Shapes.__new__(Shapes)
        other.__dict__.update({k: (v.copy() if isinstance(v, (list, dict, set)) else v) for k, v in self.__dict__.items()})
        return other

    # union-find ------------------------------------------------------------------------------------------------
    def _node(self, value=None, flexible: bool = False) -> int:
        self.parent.append(len(self.parent))
        if value is not None:
            self.bound[len(self.parent) - 1] = value
        if flexible:  # the size of a zero or all-ones vector written without it: it may be 1
            self.flexible.add(len(self.parent) - 1)
        return len(self.parent) - 1

    def find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def value(self, node: int):
        """The dimension name (or 1) a node is bound to, None when free."""
        return self.bound.get(self.find(node))

    def unify(self, a: int, b: int, why: str = "") -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        va, vb = self.bound.get(ra), self.bound.get(rb)
        if va is not None and vb is not None and va != vb:
            raise ShapeError(f"the shapes do not fit{why}: {self._dim(ra)} against {self._dim(rb)}")
        if (va == ONE) != (vb == ONE) and not ({ra, rb} & self.flexible):  # a size is never 1 unless declared so
            raise ShapeError(f"the shapes do not fit{why}: 1 against {self._dim(rb if va == ONE else ra)}")
        self.parent[rb] = ra
        if va is None and vb is not None:
            self.bound[ra] = vb
        if not ({ra, rb} <= self.flexible):
            self.flexible.discard(ra)

    def _dim(self, node: int) -> str:
        root = self.find(node)
        value = self.bound.get(root)
        return str(value) if value is not None else f"n{root}"

    def written(self, shape: Shape) -> str:
        """The shape in words: ``'D × C'``."""
        return f"{self._dim(shape.rows)} × {self._dim(shape.columns)}"

    def same(self, a: Shape, b: Shape) -> bool:
        return self.find(a.rows) == self.find(b.rows) and self.find(a.columns) == self.find(b.columns)

    def _fixed(self, dim) -> int:
        return self.one if dim == ONE else self._node(dim)

    def _matrix(self) -> Shape:
        return Shape(self._node(), self._node())

    def scalar(self) -> Shape:
        return Shape(self.one, self.one, True)

    def is_one_by_one(self, shape: Shape) -> bool:
        return shape.number or (self.value(shape.rows) == ONE and self.value(shape.columns) == ONE)

    def roots(self) -> list[int]:
        """The dimension nodes still apart (not 1), in the order they were made: named ones first."""
        roots = sorted({self.find(n) for n in range(len(self.parent))} - {self.find(self.one)})
        return sorted(roots, key=lambda r: (self.bound.get(r) is None, r))

    def setting(self, named: dict, free: dict | None = None) -> "Setting":
        """Sizes for every dimension: ``named`` gives the dimension names' (N, D), ``free`` the other roots'
        (2 when not given)."""
        sizes = []
        for root in self.roots():
            value = self.bound.get(root)
            if isinstance(value, str) and value.isdigit():
                sizes.append((root, int(value)))
            elif value is not None:
                if value not in named:
                    raise BindingError(f"no size given for {value}")
                sizes.append((root, named[value]))
            else:
                sizes.append((root, (free or {}).get(root, 2)))
        return Setting(tuple(sizes), tuple(sorted(named.items())))

    # letters ---------------------------------------------------------------------------------------------------
    def letter(self, name: str) -> Shape:
        """The shape of a letter: declared, defined, or by the conventions of the field."""
        name = self.reading.aliases.get(name, name)
        if name in self.letters:
            return self.letters[name]
        reading = self.reading
        if name in reading.definitions:
            if name in self._defining:
                raise BindingError(f"{name} is defined through itself")
            self._defining.add(name)
            try:
                shape = self.infer(reading.definitions[name][1])
            except ShapeError as error:  # the definition's fault, never the step's
                raise BindingError(f"the definition of {name} is not read in matrix notation ({error})") from None
            finally:
                self._defining.discard(name)
            self.defined_used.add(name)
            self.letters[name] = shape
            return shape
        if name in reading.shapes:
            rows, columns = reading.shapes[name]
            shape = Shape(self._named(rows), self._named(columns))
        elif name in reading.scalars or name in reading.dimensions or name == "e" or _is_number_letter(name):
            shape = self.scalar()
        elif _is_matrix_letter(name):
            shape = self._matrix()
        else:
            shape = Shape(self._node(), self.one)
        self.letters[name] = shape
        if name not in reading.dimensions and name != "e":
            self.used.add(name)
        return shape

    def _named(self, dim) -> int:
        if dim == ONE:
            return self.one
        for node, value in self.bound.items():
            if value == dim and self.find(node) == node:
                return node
        return self._node(dim)

    # terms -----------------------------------------------------------------------------------------------------
    def infer(self, term: Term, bound_indices: dict | None = None) -> Shape:
        """The shape of ``term`` (unifying what its operations need); raises :class:`ShapeError`."""
        indices = bound_indices if bound_indices is not None else {}
        shape = self._infer(term, indices)
        self.of[id(term)] = shape
        return shape

    def _infer(self, term: Term, indices: dict) -> Shape:
        kind, args = term.kind, term.args
        if kind == "number":
            return self.scalar()
        if kind == "name":
            name = args[0]
            if name in indices:
                return self.scalar()
            if name in _SPECIAL and name not in self.reading.definitions and name not in self.reading.scalars \
                    and name not in self.reading.dimensions:
                note = _SPECIAL[name]
                self.notes[id(term)] = note
                if name in self.reading.shapes:
                    rows, columns = self.reading.shapes[name]
                    return Shape(self._named(rows), self._named(columns))
                if note == "identity":
                    node = self._node()
                    return Shape(node, node)
                return Shape(self._node(flexible=True), self.one) if note == "ones" else \
                    Shape(self._node(flexible=True), self._node(flexible=True))
            name = self.reading.aliases.get(name, name)
            if name.endswith("'") and not self.reading.declared(name) and name not in self.reading.named \
                    and _is_matrix_letter(name[:-1]) \
                    and self.reading.declared(self.reading.aliases.get(name[:-1], name[:-1])):
                self.notes[id(term)] = "transpose"  # X' of a matrix the document declares: its transpose
                inner = self.letter(self.reading.aliases.get(name[:-1], name[:-1]))
                return Shape(inner.columns, inner.rows)
            return self.letter(name)
        if kind == "neg":
            return self.infer(args[0], indices)
        if kind == "add":
            shapes = [self.infer(a, indices) for a in args]
            wide = [s for s in shapes if not s.number]
            if not wide:
                return self.scalar()
            for other in wide[1:]:
                self.unify(wide[0].rows, other.rows, " in a sum")
                self.unify(wide[0].columns, other.columns, " in a sum")
            return wide[0]
        if kind == "matmul":
            return self._product(term, indices)
        if kind == "hadamard":
            a, b = (self.infer(x, indices) for x in args)
            if a.number or b.number:
                return b if a.number else a
            self.unify(a.rows, b.rows, " in an element-wise product")
            self.unify(a.columns, b.columns, " in an element-wise product")
            return a
        if kind == "kron":
            raise BindingError("a Kronecker product is not read yet")
        if kind == "frac":
            for part in (args[1], *(args[1].args if args[1].kind == "matmul" else ())):
                name = part.args[0] if part.kind == "name" else None
                if name and name not in self.letters and not self.reading.declared(name) and name not in _SPECIAL:
                    self.letters[name] = self.scalar()  # 1/N: a letter one divides by is a number
            top, bottom = (self.infer(x, indices) for x in args)
            if not self.is_one_by_one(bottom):
                raise ShapeError("a fraction divides by a vector or a matrix")
            return top
        if kind == "transpose":
            inner = self.infer(args[0], indices)
            return inner if inner.number else Shape(inner.columns, inner.rows)
        if kind == "inverse":
            inner = self.infer(args[0], indices)
            if not inner.number:
                self.unify(inner.rows, inner.columns, " (only a square matrix has an inverse)")
            return inner
        if kind == "power":
            if args[0] == Term("name", ("e",)) and not self.reading.declared("e"):
                self.notes[id(term)] = "exp"
                exponent = self.infer(args[1], indices)
                if not exponent.number and self.value(exponent.columns) != ONE and self.value(exponent.rows) != ONE:
                    raise BindingError("e to a matrix may be the matrix exponential or entry by entry: not read")
                return exponent
            inner = self.infer(args[0], indices)
            exponent = self.infer(args[1], indices)
            if not self.is_one_by_one(exponent):
                raise ShapeError("an exponent that is a vector or a matrix")
            if inner.number or self.is_one_by_one(inner) or self.notes.get(id(args[0])) == "norm":
                return inner
            if self.value(inner.columns) == ONE or self.value(inner.rows) == ONE:
                self.notes[id(term)] = "elementwise"  # h^2 of a vector: each entry squared
                return inner
            exponent_text = str(args[1]) if args[1].kind == "number" else (
                "-" + str(args[1].args[0]) if args[1].kind == "neg" and args[1].args[0].kind == "number" else "")
            if not re.fullmatch(r"-?\d+", exponent_text):
                raise BindingError("a matrix raised to a power that is not a whole number is not read")
            self.unify(inner.rows, inner.columns, " (only a square matrix has powers)")
            return inner
        if kind == "subscript":
            return self._subscript(term, indices)
        if kind == "norm":
            inner = self.infer(args[0], indices)
            self.notes[id(term)] = "norm"
            return self.scalar()
        if kind == "call":
            return self._call(term, indices)
        if kind in ("partial", "nabla"):
            return self._derivative(term, indices)
        if kind == "hessian":
            variable, function = args
            if variable.kind not in ("name", "subscript"):
                raise BindingError("a Hessian in something other than a letter")
            f, v = self.infer(function, indices), self.infer(variable, indices)
            if not self.is_one_by_one(f) or self.value(v.columns) != ONE:
                raise BindingError("a Hessian of something other than a number in a vector")
            return Shape(v.rows, v.rows)
        if kind == "sum":
            index, low, high, body = args
            if index in indices:
                raise BindingError(f"the sum reuses the index {index}")
            for bound in (low, high):
                if bound is not None and not self.is_one_by_one(self.infer(bound, indices)):
                    raise ShapeError("a bound of a sum is not a number")
            inner = dict(indices)
            inner[index] = self._node() if high is None else (
                self._named(high.args[0]) if high.kind == "name" and high.args[0] in self.reading.dimensions else None)
            shape = self.infer(body, inner)
            self.notes[id(term)] = inner[index]
            return shape
        if kind == "tuple":
            raise BindingError("a list of values (a, b) is read only as the arguments of a function")
        raise BindingError(f"{kind} is not read in matrix notation")

    def _product(self, term: Term, indices: dict) -> Shape:
        factors = term.args
        first = factors[0]
        if first.kind == "name" and (self.reading.definitions.get(first.args[0], ((),))[0]
                                     or first.args[0] in self.reading.functions) \
                and len(factors) >= 2 and _is_argument_group(factors[1]):
            call = Term("call", (first.args[0], *(factors[1].args if factors[1].kind == "tuple" else (factors[1],))))
            self.notes[id(term)] = ("call", call, 2)
            shape = self.infer(call, indices)
            rest = factors[2:]
            if not rest:
                return shape
            return self._fold(shape, [self.infer(f, indices) for f in rest])
        return self._fold(self.infer(first, indices), [self.infer(f, indices) for f in factors[1:]])

    def _fold(self, shape: Shape, others: list[Shape]) -> Shape:
        for other in others:
            if self.is_one_by_one(shape) and not other.number and shape.number:
                shape = other
            elif other.number:
                continue
            elif shape.number:
                shape = other
            elif self.is_one_by_one(shape) and self.value(other.rows) != ONE:
                shape = other  # (w^T x) x: a 1 × 1 product scales what follows
            elif self.is_one_by_one(other) and self.value(shape.columns) != ONE:
                continue
            else:
                try:
                    self.unify(shape.columns, other.rows, " in a product")
                except ShapeError as error:
                    error.elementwise = self.same(shape, other)  # \sigma(a)(1 - \sigma(a)): one column by another
                    raise
                shape = Shape(shape.rows, other.columns)
        return shape

    def _subscript(self, term: Term, indices: dict) -> Shape:
        base, written = term.args[0], term.args[1:]
        if base.kind == "norm":
            inner = self.infer(base.args[0], indices)
            self.of[id(base)] = self.scalar()
            if written not in (("2",), ("F",), ("1",)):
                raise BindingError(f"the norm ||.||_{''.join(written)} is not read")
            if written != ("F",) and self.value(inner.columns) != ONE and self.value(inner.rows) != ONE:
                raise BindingError(f"the norm ||.||_{written[0]} of a matrix (an operator norm) is not read")
            self.notes[id(term)] = ("norm", written[0])
            return self.scalar()
        if base.kind == "name" and base.args[0] in _SPECIAL and not self.reading.declared(base.args[0]) \
                and len(written) == 1 and not written[0].isdigit():
            size = self._named(written[0]) if written[0] in self.reading.dimensions else self._node()
            note = _SPECIAL[base.args[0]]
            self.notes[id(term)] = note
            self.of[id(base)] = Shape(size, size) if note == "identity" else Shape(size, self.one)
            return self.of[id(base)]
        if base.kind == "name":
            name = base.args[0]
            known = self.reading.declared(name) or name in self.letters
            declared_apart = self.reading.declared(self.reading.aliases.get(name + "_{" + "".join(written) + "}",
                                                                             name + "_{" + "".join(written) + "}"))
            if all(w.isdigit() for w in written) and (declared_apart or not (known and not self.letter(name).number)):
                joined = name + "_{" + "".join(written) + "}"
                self.notes[id(term)] = ("letter", joined)
                return self.letter(joined)
            row_of = _capital(name) if self.reading.rows_as_vectors and len(written) == 1 else None
            if row_of and self.reading.declared(name) and self.reading.declared(row_of) and written[0] in indices:
                summed, matrix = indices[written[0]], self.letter(row_of)  # x declared, yet x_i the i-th row of X
                along = matrix.columns if self.reading.rows_as_vectors == "column" else matrix.rows
                if summed is None or self.value(summed) is None or self.value(summed) != self.value(along):
                    row_of = None
            columns = self.reading.rows_as_vectors == "column"
            slot_of = (lambda m: m.columns) if columns else (lambda m: m.rows)
            other_of = (lambda m: m.rows) if columns else (lambda m: m.columns)
            if row_of and self.reading.declared(row_of) and not written[0].isdigit():
                matrix = self.letter(row_of)
                if not matrix.number:
                    if written[0] in indices and indices[written[0]] is not None:
                        try:
                            self.unify(indices[written[0]], slot_of(matrix), f" for the index {written[0]}")
                        except ShapeError as error:
                            raise BindingError(str(error)) from None
                    elif written[0] not in indices:
                        raise BindingError(f"the row index {written[0]} of {name} is not summed over")
                    self.notes[id(term)] = (self.reading.rows_as_vectors, row_of, written[0])
                    return Shape(other_of(matrix), self.one)
            if not all(w.isdigit() or w in indices for w in written):
                raise BindingError(f"the index {' '.join(w for w in written if not w.isdigit() and w not in indices)}"
                                   f" of {name} is not summed over (index notation is read elsewhere)")
        inner = self.infer(base, indices)
        if len(written) == 1 and self.value(inner.columns) == ONE:
            slots = (inner.rows,)
        elif len(written) == 2 and not inner.number:
            slots = (inner.rows, inner.columns)
        else:
            raise BindingError(f"{len(written)} indices on a term of shape {self.written(inner)}")
        for index, slot in zip(written, slots):
            if index in indices:
                if indices[index] is None:
                    continue
                try:
                    self.unify(indices[index], slot, f" for the index {index}")
                except ShapeError as error:  # an index's range is a reading, never a refutation
                    raise BindingError(str(error)) from None
        self.notes[id(term)] = ("entry", written)
        return self.scalar()

    def _call(self, term: Term, indices: dict) -> Shape:
        function, arguments = term.args[0], term.args[1:]
        shapes = [self.infer(a, indices) for a in arguments]
        if function in self.reading.functions:
            if len(arguments) != 1:
                raise BindingError(f"{function} takes one argument")
            parameter, body = self.reading.functions[function]
            if id(body) not in self.of:
                if not self.is_one_by_one(self.infer(body, {parameter: None})):
                    raise ShapeError(f"{function} is defined by a value that is not a number")
            return shapes[0]
        if function in self.reading.definitions:
            parameters = self.reading.definitions[function][0]
            if len(parameters) != len(arguments):
                raise BindingError(f"{function} is defined with {len(parameters)} arguments, called with {len(arguments)}")
            for parameter, argument, shape in zip(parameters, arguments, shapes):
                own = self.letter(parameter)
                if not (own.number and shape.number):
                    self.unify(own.rows, shape.rows, f" in the argument of {function}")
                    self.unify(own.columns, shape.columns, f" in the argument of {function}")
            return self.letter(function)
        if function not in _KNOWN_FUNCTIONS:
            raise BindingError(f"the function {function} is not defined")
        if len(arguments) != 1:
            raise BindingError(f"{function} takes one argument")
        inner = shapes[0]
        if function in _ELEMENTWISE or function == "softmax":
            if function in ("exp", "log") and self.reading.matrix_functions and self.value(inner.columns) != ONE \
                    and self.value(inner.rows) != ONE:
                raise BindingError(f"the document speaks of the matrix {function}: \\{function} of a matrix is not read")
            return inner
        if function == "diag":
            if self.value(inner.columns) == ONE:
                return Shape(inner.rows, inner.rows)
            if self.value(inner.rows) == ONE:
                return Shape(inner.columns, inner.columns)
            raise BindingError("diag of a matrix is not read (only of a vector)")
        if function in ("tr", "det"):
            self.unify(inner.rows, inner.columns, f" ({function} needs a square matrix)")
            return self.scalar()
        raise BindingError(f"the function {function} is not read")

    def _derivative(self, term: Term, indices: dict) -> Shape:
        function, variable = (term.args[1], term.args[0]) if term.kind == "nabla" else term.args
        if variable.kind not in ("name", "subscript"):
            raise BindingError("a derivative in something other than a letter")
        f = self.infer(function, indices)
        v = self.infer(variable, indices)
        if not isinstance(self.notes.get(id(variable)), (type(None), tuple)) or (
                variable.kind == "subscript" and self.notes.get(id(variable), ("",))[0] != "letter"):
            raise BindingError("a derivative in an entry is read in index notation, not here")
        layout = self.reading.layout if term.kind == "partial" else "shape"
        if self.is_one_by_one(f):  # a gradient: the shape of the variable, transposed in the numerator layout
            self.notes[id(term)] = "transposed" if layout == "numerator" else None
            return Shape(v.columns, v.rows) if layout == "numerator" else v
        if self.value(f.columns) == ONE and self.value(v.columns) == ONE and term.kind == "partial":
            if layout == "denominator":  # the Jacobian, entry (i, j) = d f_j / d v_i
                self.notes[id(term)] = "transposed"
                return Shape(v.rows, f.rows)
            return Shape(f.rows, v.rows)  # the Jacobian, entry (i, j) = d f_i / d v_j
        raise BindingError("a derivative of a matrix, or in a matrix of a vector, is not read")


def _is_argument_group(term: Term) -> bool:
    return term.kind == "tuple" or term.kind in ("name", "add", "matmul", "call", "subscript")


def _capital(name: str) -> str | None:
    """``X`` for ``x``, ``\\mathbf{X}`` for ``\\mathbf{x}``: the matrix whose rows a lower-case letter may name."""
    match = re.fullmatch(r"(\\[a-zA-Z]+\{)?([a-z])(\})?", name)
    if match is None:
        return None
    return f"{match.group(1) or ''}{match.group(2).upper()}{match.group(3) or ''}"


def _base_letter(name: str) -> str:
    stripped = re.sub(r"\^\{[^{}]*\}$|_\{[^{}]*\}$|'+$", "", name)
    while True:
        match = re.fullmatch(r"\\[a-zA-Z]+\{(.*)\}", stripped)
        if match is None:
            return stripped
        stripped = match.group(1)


def _is_bold(name: str) -> bool:
    return bool(re.search(r"\\(?:mathbf|boldsymbol|bm|vec)\{", name))


def _is_matrix_letter(name: str) -> bool:
    base = _base_letter(name)
    return bool(re.fullmatch(r"[A-Z]", base) or re.fullmatch(r"\\[A-Z][a-z]+", base) and _is_bold(name))


def _is_number_letter(name: str) -> bool:
    base = _base_letter(name)
    if name.startswith("\\mathrm{"):
        return True
    return base.startswith("\\") and base[1:] in GREEK and not _is_bold(name) and not base[1].isupper()


# ----------------------------------------------------------------------------------------------------------------
# values at given sizes
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """Sizes for every dimension node (by its root), and the dimension names' values."""

    sizes: tuple  # ((root, size), ...)
    named: tuple  # ((name, size), ...)

    def size(self, shapes: Shapes, node: int) -> int:
        value = shapes.value(node)
        if value == ONE:
            return 1
        root = shapes.find(node)
        return dict(self.sizes)[root]


def entry_symbol(name: str, row: int, column: int, shape: tuple[int, int], positive: bool = False) -> sp.Symbol:
    """The symbol of one entry of a letter: ``W[1,2]``, ``w[3]`` for a vector, ``λ`` for a number.

    >>> entry_symbol("W", 0, 1, (2, 3)), entry_symbol("w", 2, 0, (3, 1)), entry_symbol("b", 0, 0, (1, 1))
    (W[1,2], w[3], b)
    """
    rows, columns = shape
    if rows == columns == 1:
        text = name
    elif columns == 1:
        text = f"{name}[{row + 1}]"
    elif rows == 1:
        text = f"{name}[{column + 1}]"
    else:
        text = f"{name}[{row + 1},{column + 1}]"
    return sp.Symbol(text, positive=True) if positive else sp.Symbol(text, real=True)


class Values:
    """The values of a reading's letters at one setting (free letters are matrices of symbols)."""

    def __init__(self, reading: MatrixReading, shapes: Shapes, setting: Setting, held: frozenset = frozenset()):
        self.reading, self.shapes, self.setting, self.held = reading, shapes, setting, held
        self.cache: dict = {}

    def size(self, node: int) -> int:
        return self.setting.size(self.shapes, node)

    def dims(self, shape: Shape) -> tuple[int, int]:
        return (1, 1) if shape.number else (self.size(shape.rows), self.size(shape.columns))

    def free_letter(self, name: str) -> sp.ImmutableMatrix:
        shape = self.dims(self.shapes.letter(name))
        positive = name in self.reading.positive
        return sp.ImmutableMatrix(shape[0], shape[1], lambda i, j: entry_symbol(name, i, j, shape, positive))

    def letter(self, name: str) -> sp.ImmutableMatrix:
        name = self.reading.aliases.get(name, name)
        if name in self.cache:
            return self.cache[name]
        named = dict(self.setting.named)
        if name in named and name not in self.reading.definitions:
            value = sp.ImmutableMatrix([[sp.Integer(named[name])]])
        elif name == "e" and not self.reading.declared("e"):
            value = sp.ImmutableMatrix([[sp.E]])
        elif name in self.reading.definitions and name not in self.held:
            value = self.evaluate(self.reading.definitions[name][1], {})
        else:
            value = self.free_letter(name)
        self.cache[name] = value
        return value

    def evaluate(self, term: Term, indices: dict) -> sp.ImmutableMatrix:
        value = _value(self, term, indices)
        return value if isinstance(value, sp.ImmutableMatrix) else sp.ImmutableMatrix(value)


def _scalar(value: sp.ImmutableMatrix) -> sp.Expr:
    if value.shape != (1, 1):
        raise ShapeError(f"a {value.shape[0]} × {value.shape[1]} value where a number is needed")
    return value[0, 0]


def _elementwise(function: str, values: Values):
    if function in values.reading.functions:
        parameter, body = values.reading.functions[function]

        if id(body) not in values.shapes.of:
            values.shapes.infer(body, {parameter: None})

        def apply(x):
            return _scalar(_value(values, body, {parameter: x}))
        return apply
    if function == "sigma":
        if values.reading.logistic_sigma:
            return lambda x: 1 / (1 + sp.exp(-x))
        raise BindingError("σ is not defined in the document (say it is the sigmoid, or define it)")
    if function == "sigma'":
        if "sigma" in values.reading.functions or values.reading.logistic_sigma:
            base = _elementwise("sigma", values)
            t = sp.Dummy("t")
            derivative = sp.diff(base(t), t)
            return lambda x: derivative.subs(t, x)
        raise BindingError("σ' is used but σ is not defined in the document")
    simple = {"exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "relu": lambda x: sp.Max(0, x),
              "tanh'": lambda x: 1 - sp.tanh(x) ** 2}
    if function in simple:
        return simple[function]
    raise BindingError(f"the function {function} is not read")


def _value(values: Values, term: Term, indices: dict):
    shapes = values.shapes
    kind, args = term.kind, term.args
    note = shapes.notes.get(id(term))
    shape = shapes.of.get(id(term))
    if kind == "number":
        return sp.ImmutableMatrix([[sp.Rational(args[0])]])
    if kind == "name":
        if args[0] in indices:
            return sp.ImmutableMatrix([[sp.sympify(indices[args[0]])]])
        if note == "identity":
            return sp.ImmutableMatrix(sp.eye(values.size(shape.rows)))
        if note in ("ones", "zeros"):
            rows, columns = values.dims(shape)
            return sp.ImmutableMatrix(sp.ones(rows, columns) if note == "ones" else sp.zeros(rows, columns))
        if note == "transpose":
            return values.letter(args[0][:-1]).T
        return values.letter(args[0])
    if kind == "neg":
        return -values.evaluate(args[0], indices)
    if kind == "add":
        parts = [values.evaluate(a, indices) for a in args]
        target = values.dims(shape)
        total = sp.zeros(*target)
        for part, term_of in zip(parts, args):
            if part.shape != target:
                if part.shape == (1, 1) and shapes.of[id(term_of)].number:
                    part = part[0, 0] * sp.ones(*target)
                else:
                    raise ShapeError(f"a sum of a {part.shape[0]} × {part.shape[1]} and a {target[0]} × {target[1]} term")
            total += part
        return sp.ImmutableMatrix(total)
    if kind == "matmul":
        factors = list(args)
        if isinstance(note, tuple) and note[0] == "call":
            result = values.evaluate(note[1], indices)
            factors = factors[note[2]:]
        else:
            result = values.evaluate(factors.pop(0), indices)
        for factor in factors:
            value = values.evaluate(factor, indices)
            result = _times(result, value)
        return result
    if kind == "hadamard":
        a, b = (values.evaluate(x, indices) for x in args)
        if a.shape == (1, 1) or b.shape == (1, 1):
            return _times(a, b)
        return sp.ImmutableMatrix(a.multiply_elementwise(b))
    if kind == "frac":
        top, bottom = (values.evaluate(x, indices) for x in args)
        return sp.ImmutableMatrix(top / _scalar(bottom))
    if kind == "transpose":
        return values.evaluate(args[0], indices).T
    if kind == "inverse":
        inner = values.evaluate(args[0], indices)
        if inner.shape == (1, 1):
            return sp.ImmutableMatrix([[1 / inner[0, 0]]])
        determinant = sp.cancel(inner.det(method="berkowitz"))
        if determinant == 0:
            raise SingularError("the matrix inverted is singular at these sizes")
        return sp.ImmutableMatrix(inner.adjugate(method="berkowitz") / determinant)
    if kind == "power" and note == "exp":
        return values.evaluate(args[1], indices).applyfunc(sp.exp)
    if kind == "power":
        base = values.evaluate(args[0], indices)
        exponent = _scalar(values.evaluate(args[1], indices))
        if base.shape == (1, 1):
            return sp.ImmutableMatrix([[base[0, 0] ** exponent]])
        if note == "elementwise":
            return base.applyfunc(lambda x: x ** exponent)
        if not exponent.is_integer:
            raise BindingError("a matrix raised to a power that is not a whole number is not read")
        if exponent < 0:
            determinant = sp.cancel(base.det(method="berkowitz"))
            if determinant == 0:
                raise SingularError("the matrix inverted is singular at these sizes")
            base, exponent = sp.ImmutableMatrix(base.adjugate(method="berkowitz") / determinant), -exponent
        return sp.ImmutableMatrix(base ** int(exponent)) if exponent else sp.ImmutableMatrix(sp.eye(base.shape[0]))
    if kind == "subscript":
        if note in ("identity", "ones", "zeros"):
            rows, columns = values.dims(shape)
            return sp.ImmutableMatrix(sp.eye(rows) if note == "identity" else sp.ones(rows, columns) if note == "ones"
                                      else sp.zeros(rows, columns))
        if isinstance(note, tuple) and note[0] == "letter":
            return values.letter(note[1])
        if isinstance(note, tuple) and note[0] in ("row", "column"):
            matrix = values.letter(note[1])
            position = indices[note[2]] - 1
            return sp.ImmutableMatrix(matrix[position, :].T if note[0] == "row" else matrix[:, position])
        if isinstance(note, tuple) and note[0] == "norm":
            inner = values.evaluate(args[0].args[0], indices)
            if note[1] == "1":
                return sp.ImmutableMatrix([[sum(sp.Abs(x) for x in inner)]])
            return sp.ImmutableMatrix([[sp.sqrt(sum(x ** 2 for x in inner))]])
        inner = values.evaluate(args[0], indices)
        where = [int(w) if w.isdigit() else indices[w] for w in args[1:]]
        if any(w < 1 for w in where):
            raise BindingError("an index below 1")
        if any(w > size for w, size in zip(where, inner.shape if len(where) == 2 else inner.shape[:1])):
            raise BindingError("an index runs past the size of what it indexes")
        if len(where) == 1:
            return sp.ImmutableMatrix([[inner[where[0] - 1, 0]]])
        return sp.ImmutableMatrix([[inner[where[0] - 1, where[1] - 1]]])
    if kind == "norm":
        inner = values.evaluate(args[0], indices)
        return sp.ImmutableMatrix([[sp.sqrt(sum(x ** 2 for x in inner))]])
    if kind == "call":
        return _call_value(values, term, indices)
    if kind in ("partial", "nabla"):
        return _derivative_value(values, term, indices)
    if kind == "hessian":
        return _derivative_value(values, term, indices, second=True)
    if kind == "sum":
        index, low, high, body = args
        start = 1 if low is None else _scalar(values.evaluate(low, indices))
        if high is None:
            node = note
            if node is None:
                raise BindingError(f"the sum over {index} has no upper bound and its index is never used")
            end = values.size(node)
        else:
            end = _scalar(values.evaluate(high, indices))
        if not (sp.Integer(start) == start and sp.Integer(end) == end):
            raise BindingError("the bounds of a sum are not whole numbers at these sizes")
        total = None
        for n in range(int(start), int(end) + 1):
            part = values.evaluate(body, {**indices, index: n})
            total = part if total is None else total + part
        return total if total is not None else sp.ImmutableMatrix([[0]])
    raise BindingError(f"{kind} is not read")


class SingularError(BindingError):
    """A matrix that is inverted is singular at the sizes of a setting."""


def _times(a: sp.ImmutableMatrix, b: sp.ImmutableMatrix) -> sp.ImmutableMatrix:
    """The product of two values; a 1 × 1 value scales the other (``(w^T x) x``)."""
    if a.shape == (1, 1) and b.shape != (1, 1):
        return sp.ImmutableMatrix(a[0, 0] * b)
    if b.shape == (1, 1) and a.shape != (1, 1):
        return sp.ImmutableMatrix(a * b[0, 0])
    if a.shape[1] != b.shape[0]:
        raise ShapeError(f"a product of a {a.shape[0]} × {a.shape[1]} and a {b.shape[0]} × {b.shape[1]} matrix")
    return sp.ImmutableMatrix(a * b)


def _call_value(values: Values, term: Term, indices: dict) -> sp.ImmutableMatrix:
    function, arguments = term.args[0], term.args[1:]
    reading = values.reading
    if function in reading.definitions:
        parameters, body, _line = reading.definitions[function]
        given = [values.evaluate(a, indices) for a in arguments]
        if all(a.kind == "name" and a.args[0] == p for a, p in zip(arguments, parameters)):
            return values.letter(function)
        inner = Values(reading, values.shapes, values.setting, values.held)
        inner.cache = dict(zip(parameters, given))
        return inner.evaluate(body, {})
    inner = values.evaluate(arguments[0], indices)
    if function in _ELEMENTWISE or function in reading.functions:
        return inner.applyfunc(_elementwise(function, values))
    if function == "softmax":
        return _softmax(inner, reading)
    if function == "diag":
        entries = list(inner)
        return sp.ImmutableMatrix(sp.diag(*entries))
    if function == "tr":
        return sp.ImmutableMatrix([[inner.trace()]])
    if function == "det":
        return sp.ImmutableMatrix([[inner.det(method="berkowitz")]])
    raise BindingError(f"the function {function} is not read")


def _softmax(inner: sp.ImmutableMatrix, reading: MatrixReading) -> sp.ImmutableMatrix:
    rows, columns = inner.shape
    if columns == 1 or rows == 1:
        total = sum(sp.exp(x) for x in inner)
        return inner.applyfunc(lambda x: sp.exp(x) / total)
    if reading.softmax_along == "rows":
        return sp.ImmutableMatrix(rows, columns, lambda i, j: sp.exp(inner[i, j]) / sum(sp.exp(inner[i, k]) for k in range(columns)))
    if reading.softmax_along == "columns":
        return sp.ImmutableMatrix(rows, columns, lambda i, j: sp.exp(inner[i, j]) / sum(sp.exp(inner[k, j]) for k in range(rows)))
    raise BindingError("softmax of a matrix: the document does not say whether it acts on rows or columns")


def _derivative_value(values: Values, term: Term, indices: dict, second: bool = False) -> sp.ImmutableMatrix:
    value = _derivative_as_read(values, term, indices, second)
    return value.T if values.shapes.notes.get(id(term)) == "transposed" else value


def _derivative_as_read(values: Values, term: Term, indices: dict, second: bool = False) -> sp.ImmutableMatrix:
    function, variable = (term.args[1], term.args[0]) if term.kind in ("nabla", "hessian") else term.args
    note = values.shapes.notes.get(id(variable))
    name = note[1] if isinstance(note, tuple) and note[0] == "letter" else variable.args[0]
    reading = values.reading
    held = values.held | {name}
    inner = Values(reading, values.shapes, values.setting, held)
    inner.cache = {k: v for k, v in values.cache.items() if not _depends_on(k, name, reading)}
    inner.cache.pop(name, None)
    variable_value = inner.free_letter(name)
    inner.cache[name] = variable_value
    f = inner.evaluate(function, indices)
    symbols = list(variable_value)
    if name in reading.definitions:
        own = values.letter(name)
        if not any(f.has(s) for s in symbols):
            whole = values.evaluate(function, indices)
            if whole.free_symbols & own.free_symbols:
                raise BindingError(f"{function} is not written through {name}, which the document defines: the"
                                   " derivative in it is not read")
        substitution = dict(zip(symbols, list(own)))
    else:
        substitution = {}
    if second:
        gradient = sp.ImmutableMatrix(len(symbols), len(symbols), lambda i, j: sp.diff(f[0, 0], symbols[i], symbols[j]))
    elif f.shape == (1, 1):
        gradient = variable_value.applyfunc(lambda s: sp.diff(f[0, 0], s))
    else:
        gradient = sp.ImmutableMatrix(f.shape[0], len(symbols), lambda i, j: sp.diff(f[i, 0], symbols[j]))
    return sp.ImmutableMatrix(gradient.xreplace(substitution)) if substitution else gradient


def _depends_on(letter: str, name: str, reading: MatrixReading, seen: frozenset = frozenset()) -> bool:
    if letter == name:
        return True
    if letter not in reading.definitions or letter in seen:
        return False
    return _mentions_any(reading.definitions[letter][1], name, reading, seen | {letter})


def _mentions_any(term, name: str, reading: MatrixReading, seen: frozenset) -> bool:
    if not isinstance(term, Term):
        return False
    if term.kind == "name":
        return _depends_on(term.args[0], name, reading, seen)
    if term.kind == "call" and term.args[0] in reading.definitions:
        if _depends_on(term.args[0], name, reading, seen):
            return True
    return any(_mentions_any(a, name, reading, seen) for a in term.args)


def evaluate(term: Term, reading: MatrixReading, shapes: Shapes, setting: Setting) -> sp.ImmutableMatrix:
    """The value of an inferred ``term`` at ``setting``: a SymPy matrix (a number is 1 × 1).

    >>> reading = read_matrices_from_text(r"Let $A \\in \\mathbb{R}^{n \\times n}$.")
    >>> shapes = Shapes(reading)
    >>> term = parse_matrix_side(r"\\mathrm{tr}(A)")
    >>> _ = shapes.infer(term)
    >>> evaluate(term, reading, shapes, shapes.setting({"n": 2}))
    Matrix([[A[1,1] + A[2,2]]])
    """
    return Values(reading, shapes, setting).evaluate(term, {})
