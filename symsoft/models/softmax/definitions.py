r"""The document's own definitions: what a derivation says its letters mean, read before its claims are checked.

A letter means what the document makes it mean. Two kinds of definition are read here:

- a **function defined pointwise** in a display, ``\sigma(z) = \frac{1}{1 + e^{-z}}`` or
  ``\sigma(z_i) = \frac{1}{1+e^{-z_i}}``: the right side uses its argument and nothing else of the
  vector it comes from, so the function is that formula of one real number (here the logistic
  function, not the softmax) for the rest of the document;
- a **constant defined in a way not read**, ``$M = \max_k z_k$`` or "where $M$ is the largest
  logit": such a letter is never given a value of our choosing, so no counterexample rests on it.

The result is the notation profile extended with these readings (:class:`~symsoft.models.softmax.profile.Profile`
fields ``defined_functions``, ``opaque`` and ``reading``), and the display equations that are
definitions.

>>> from symsoft.read.document import read_document
>>> from symsoft.models.softmax.profile import load_profile
>>> doc = read_document("$$\\sigma(z) = \\frac{1}{1+e^{-z}} \\tag{1}$$\n\nwhere $M$ is the largest logit.")
>>> reading, defining = document_reading(doc, load_profile("softmax"))
>>> reading.reading[0], sorted(reading.opaque), defining
('\\sigma(u) = 1/(1 + e^{-u}), from the display on line 1', ['M'], {(1, '\\sigma(z) = \\frac{1}{1+e^{-z}}')})
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp

from symsoft.models.softmax.bind import GREEK, bind_side
from symsoft.read.document import DisplayEquation, Document
from symsoft.parse.latex import parse_equation, parse_side
from symsoft.models.softmax.profile import Profile
from symsoft.models.softmax.semantics import LOSS, Partial, Softmax

_FUNCTION_NAME = (r"\\[a-zA-Z]+|[a-zA-Z]|\\(?:operatorname|mathrm)\{[a-zA-Z]+\}"
                  r"|\\mathit\{(?![DG][a-z]*[A-Z]|Q[a-z]+\})[a-zA-Z]{2,}\}")  # Sig(x) = ...: never \mathit{DderivDsigma}, a prime
_DEFINED_CALL = re.compile(r"^\s*(?P<name>" + _FUNCTION_NAME + r")\s*\(\s*\{?\s*(?P<arg>[a-zA-Z](?:_\{?[a-zA-Z0-9]\}?)?)\s*\}?\s*\)\s*$")
#: the functions named in words that the vocabulary knows (``\text{ReLU}(x)`` is read ``\mathit{ReLU}(x)``)
_KNOWN_WORDS = {"relu", "sigmoid", "softplus", "softmax", "logistic", "tanh", "exp", "log"}
_NOT_FUNCTIONS = {"\\log", "\\ln", "\\exp", "\\sum", "\\frac", "\\max", "\\min", "\\sqrt", "\\delta", "\\partial", "e"}
_GREEK_NAMES = "|".join(sorted(GREEK, key=len, reverse=True))
_LETTER = r"(?:[a-zA-Z]|\\(?:" + _GREEK_NAMES + r"))(?![a-zA-Z])"
_DEFINED_CONSTANT = re.compile(r"^\s*(?P<name>" + _LETTER + r")\s*(?:=|:=|\\coloneqq|\\equiv|\\triangleq|\\stackrel)")
_NAMED_IN_PROSE = re.compile(
    r"(?:\b(?:let|where|with|and)\s+\$\s*(?P<a>" + _LETTER + r")\s*\$)"
    r"|(?:\$\s*(?P<b>" + _LETTER + r")\s*\$\s+(?:is|denotes|stands|represents|means|be)\b)",
    re.IGNORECASE,
)


def _symbol_name(latex: str) -> str:
    """The name the parser gives a letter: ``\\lambda`` -> ``lambda``."""
    return latex.lstrip("\\")


def _pointwise(name: str, arg_latex: str, rhs_latex: str, profile: Profile) -> sp.Lambda | None:
    """The function ``name(u) = rhs`` when the right side is a formula of the argument alone, else None."""
    try:
        argument = bind_side(parse_side(arg_latex), profile).expr
        body = bind_side(parse_side(rhs_latex), profile).expr
    except (Exception, RecursionError):
        return None
    if not isinstance(argument, (sp.Symbol, sp.Indexed)) or not body.has(argument):
        return None
    if body.has(Softmax, Partial, sp.Sum) or LOSS in body.free_symbols:
        return None
    others = {i for i in body.atoms(sp.Indexed) if i != argument}
    if others or any(s.is_integer for s in body.free_symbols - argument.free_symbols - {argument}):
        return None  # it uses other components or indices: not a function of one number (other letters are parameters)
    u = sp.Symbol("u", real=True)
    return sp.Lambda(u, body.xreplace({argument: u}))


def _named_without_argument(chain, document: Document) -> tuple:
    r"""``\sigma = \frac{1}{1 + e^{-x}}`` where the document applies ``\sigma(\cdot)`` elsewhere: the function
    named without its argument, of the one letter its formula has; ``(name, letter)``, else ``(None, None)``.

    >>> from symsoft.read.document import read_document
    >>> doc = read_document("$$h = \\sigma(a) \\tag{1}$$ $$\\sigma = \\frac{1}{1 + e^{-x}} \\tag{2}$$")
    >>> _named_without_argument(parse_equation(doc.equations[1].latex), doc)
    ('\\sigma', 'x')
    >>> _named_without_argument(parse_equation("y = 2 x"), doc), _named_without_argument(parse_equation("h = \\sigma(a)"), doc)
    ((None, None), (None, None))
    """
    name = re.fullmatch(r"\s*(\\[a-zA-Z]+|[fg])\s*", chain.sides[0].text)
    if name is None or re.search(r"\\[a-zA-Z]+\s*\(", chain.sides[1].text):
        return None, None  # h = \sigma(a) names a quantity, never a function
    letters = set(re.findall(r"(?<![\\a-zA-Z])[a-zA-Z](?![a-zA-Z])", chain.sides[1].text)) - {"e", "d"}
    # applied to one quantity (sigma(net_1)), never to a bracket of several: g (1 - g) is a product
    applied = re.compile(re.escape(name.group(1)) + r"\s*(?:\\left|\\[bB]igg?l?)?\s*\(\s*[^()+\-]+\)")
    if len(letters) != 1 or not any(applied.search(item.latex) for item in (*document.equations, *document.inline)):
        return None, None
    return name.group(1), letters.pop()


def document_reading(document: Document, profile: Profile) -> tuple[Profile, set]:
    r"""The profile extended with the document's own definitions, and the lines of the defining displays.

    Parameters
    ----------
    document : the document as read (:func:`symsoft.read.document.read_document`)
    profile : the notation profile the document is checked under

    A letter that the profile defines keeps its meaning unless the document defines it as a
    function of one number (``\sigma`` in a logistic-regression derivation).

    >>> from symsoft.read.document import read_document
    >>> from symsoft.models.softmax.profile import load_profile
    >>> doc = read_document("$$\\sigma(z_i) = \\frac{e^{z_i}}{\\sum_k e^{z_k}} \\tag{1}$$")
    >>> document_reading(doc, load_profile("softmax"))[0].defined_functions
    {}
    """
    functions: dict[str, sp.Lambda] = {}
    opaque_functions: set[str] = set()
    restated: set[str] = set()
    reading: list[str] = []
    defining: set[int] = set()
    rows = []  # an aligned display's rows (z = w x + b \\ \hat{y} = \sigma(z) = ...), each read on its own
    for eq in sorted((*document.equations, *document.inline), key=lambda item: item.line):
        try:
            whole = parse_equation(eq.latex)
        except (Exception, RecursionError):
            continue
        pieces = whole.equations()
        broken = "\\\\" in eq.latex and not re.search(r"\\(?:text|mbox|mathrm|textrm)\s*\{", eq.latex)
        rows += [(eq, chain) for chain in (pieces if len(pieces) > 1 and broken else [whole])]
    count = {eq: sum(1 for other, _chain in rows if other is eq) for eq, _chain in rows}
    defined_rows: dict = {}
    for eq, chain in rows:
        part = count[eq] > 1  # a row of a display: read when it defines, never taken as the document's own meaning
        if chain.relations == ("=", "=") and _DEFINED_CALL.match(chain.sides[1].text) \
                and re.fullmatch(r"\s*\{?\s*(?:\\hat\s*\{?\s*[a-zA-Z]\s*\}?|[a-zA-Z])\s*\}?\s*", chain.sides[0].text):
            chain = replace(chain, sides=chain.sides[1:], relations=chain.relations[1:])  # \hat{y} = \sigma(z) = ...
            part = True
        if len(chain.relations) != 1 or chain.relations[0] != "=":
            continue
        match = _DEFINED_CALL.match(chain.sides[0].text)
        name, argument = (match.group("name"), match.group("arg")) if match else _named_without_argument(chain, document)
        if name is None or name in _NOT_FUNCTIONS or name.startswith("\\mathit{") and (
                name in profile.functions or name[len("\\mathit{"):-1].lower() in _KNOWN_WORDS):
            continue  # \text{ReLU}(x) = \max(0, x): a function every reader knows, stated (a claim), never redefined
        if name in functions or name in restated:
            continue  # the first definition holds; a later display with the same shape is a claim
        so_far = replace(profile, defined_functions={**profile.defined_functions, **functions},
                         vectors={k: v for k, v in profile.vectors.items() if k not in functions})
        function = _pointwise(name, argument, chain.sides[1].text, so_far)
        if function is None:
            if match and name in profile.functions and isinstance(eq, DisplayEquation) and not part:
                if _restates(chain, profile) or _restates_over(chain, profile, argument):
                    restated.add(name)  # the profile's meaning, stated by the document: later displays are claims
                else:
                    opaque_functions.add(name)  # the document's own meaning, not the profile's, and not read
            continue
        functions[name] = function
        defined_rows[eq] = defined_rows.get(eq, 0) + 1
        if isinstance(eq, DisplayEquation) and defined_rows[eq] == count[eq]:
            defining.add((eq.line, eq.latex))  # every row defines (a display with claims too is checked)
        reading.append(f"{name}(u) = {_plain(function.expr)}, from the display on line {eq.line}")
    opaque: set[str] = set()
    for item in (*document.inline, *document.equations):
        found = _DEFINED_CONSTANT.match(item.latex)
        if found:
            opaque.add(_symbol_name(found.group("name")))
    for found in _NAMED_IN_PROSE.finditer(document.source):
        opaque.add(_symbol_name(found.group("a") or found.group("b")))
    known = set(profile.symbols) | set(profile.vectors) | set(profile.matrices) | set(functions)
    opaque -= {_symbol_name(k) for k in known}
    vectors = {k: v for k, v in profile.vectors.items() if k not in functions}
    opaque_functions -= set(functions)
    if not functions and not opaque and not opaque_functions:
        return profile, defining
    profile_functions = {k: v for k, v in profile.functions.items() if k not in opaque_functions}
    reading += [f"{name} is defined in the document in a way not read" for name in sorted(opaque_functions)]
    extended = replace(profile, vectors=vectors, functions=profile_functions, defined_functions={**profile.defined_functions, **functions},
                       opaque=frozenset(profile.opaque | opaque),
                       reading=(*profile.reading, *reading, *(f"{n} is defined in the text (never given a value)"
                                                              for n in sorted(opaque))))
    return extended, defining


def _restates(chain, profile: Profile) -> bool:
    """True when the display restates the profile's own definition (the softmax as sigma(z_i) = ...)."""
    from symsoft.check import is_definition

    try:
        left, right = (bind_side(side, profile) for side in chain.sides[:2])
    except (Exception, RecursionError):
        return False
    return is_definition(left, right)


def _restates_over(chain, profile: Profile, argument: str) -> bool:
    r"""True when the display restates the profile's function over another vector letter: ``\sigma(x_i) =
    \frac{e^{x_i}}{\sum_j e^{x_j}}`` is the softmax of x, as ``\sigma(z_i) = ...`` is the softmax of the logits.

    >>> from symsoft.parse.latex import parse_equation
    >>> from symsoft.models.softmax.profile import load_profile
    >>> chain = parse_equation(r"\sigma(x_i) = \frac{\exp(x_i)}{\sum_j \exp(x_j)}")
    >>> _restates_over(chain, load_profile("softmax"), "x_i"), _restates(chain, load_profile("softmax"))
    (True, False)
    """
    logits = [name for name, spec in profile.vectors.items() if spec.get("means") == "logit"]
    letter = argument[0]
    if not logits or letter == logits[0] or not re.fullmatch(r"[a-zA-Z]_\{?[a-zA-Z]\}?", argument):
        return False
    renamed = [re.sub(rf"(?<![\\a-zA-Z]){letter}(?=\s*_)", logits[0], side.text).replace("\\mathit{Bound}", "C")
               for side in chain.sides[:2]]  # a sum without bounds runs over the classes
    if any(re.search(rf"(?<![\\a-zA-Z]){logits[0]}(?![a-zA-Z])", side.text) for side in chain.sides[:2]):
        return False  # the logits' letter is there already: renaming would mix two vectors
    try:
        return _restates(parse_equation(f"{renamed[0]} = {renamed[1]}"), profile)
    except (Exception, RecursionError):
        return False


def _plain(expr: sp.Expr) -> str:
    """A short plain-text formula: 1/(1 + e^{-u})."""
    text = sp.sstr(expr)
    text = re.sub(r"exp\(([^()]*)\)", lambda m: "e^{" + m.group(1).replace(" ", "") + "}", text)
    return text
