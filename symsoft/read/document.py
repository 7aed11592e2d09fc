r"""Read a derivation document (Markdown or LaTeX) into display equations with their context.

This is the first stage of the pipeline (read -> parse -> bind -> check -> render): it finds
display equations (``$$ ... $$``, ``\[ ... \]``, ``equation``/``align`` environments), their
labels (``\quad (5)``, ``\tag{5}``, ``(5)`` after the display), the line they start on, the
conditions stated in the prose just before them ("- if $i = j$:"), and the inline math of the
prose (``$ ... $``), which is linted but not graded.

>>> from symsoft.read.document import read_document
>>> doc = read_document("- if $i = j$:\n\n$$a = b \\quad (3)$$\n")
>>> [(e.label, e.line, e.latex, e.conditions) for e in doc.equations]
[('3', 3, 'a = b', ('i = j',))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from symsoft.errors import InputError, NoEquations
from symsoft.read.macros import expand_macros

#: Largest document accepted, in characters.
MAX_DOCUMENT_CHARS = 2_000_000

_DISPLAY = re.compile(
    r"\$\$(?P<dollar>.+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\begin\{(?P<env>equation\*?|align\*?|alignat\*?|eqnarray\*?|gather\*?|multline\*?)\}(?P<body>.+?)\\end\{(?P=env)\}",
    re.DOTALL,
)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<math>[^$]+?)\$")
_TAG = re.compile(r"\\tag\*?\{\s*\(?\s*(?P<label>[^{}()]{1,20}?)\s*\)?\s*\}")
#: "(5)", "(2.1a)", "(*)" after the formula, or a letter "(A)" set apart by spacing ("\quad (A)"): never the
#: argument of a function written last ("\sigma(z)", "\operatorname{softmax}(X)")
_TRAILING_LABEL = re.compile(r"(?:(?:\\q?quad|\\,|\\;|\\ |~|\s)*\(\s*(?P<label>[0-9]+(?:\.[0-9]+)*[a-z]?|\*{1,3})"
                             r"|(?:(?:\\q?quad|\\[,;]|\\ |~)\s*|\s{2,})+\(\s*(?P<letter>[A-Za-z][0-9]*))\s*\)\s*[.,;]?\s*$")
_LABEL_IN_LAST_ROW = re.compile(r"(?:\\q?quad|\\,|\\;|\\ |~|\s)+\(\s*(?P<label>[0-9]+(?:\.[0-9]+)*[a-z]?)\s*\)\s*[.,;]?\s*"
                                r"(?=\\end\{(?:aligned|align\*?|split|gathered|array|eqnarray\*?)\}\s*$)")
_LABEL_AFTER = re.compile(r"^[ \t]*(?:\(\s*(?P<label>[0-9]+(?:\.[0-9]+)*[a-z]?)\s*\)"
                          r"|\\tag\*?\{\s*\(?\s*(?P<tag>[^{}()]{1,20}?)\s*\)?\s*\})")  # \end{align} \tag{7}
#: a starred index, ``c^*`` (the true class): read as the index ``c*``
STARRED = r"\^\s*\{?\s*(?:\*|\\star|\\ast)\s*\}?"
_CONDITION = re.compile(
    r"^\s*(?P<a>[a-zA-Z](?:" + STARRED + r")?)\s*(?P<rel>=|\\neq|\\ne|!=|\\not\s*=|≠)\s*"
    r"(?P<b>[a-zA-Z](?:" + STARRED + r")?|[0-9]+)\s*$"
)


@dataclass(frozen=True)
class DisplayEquation:
    """One display equation as written: its label, first line, LaTeX body and conditions."""

    label: str | None
    line: int
    latex: str
    conditions: tuple[str, ...] = ()
    #: index conditions the prose around the display mentions in passing (not stated as its case)
    mentioned: tuple[str, ...] = field(default=(), compare=False)
    #: conditions on quantities the lead-in states ("- if $a_m > 0$:"), which the checker does not apply
    guards: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class InlineMath:
    """One piece of inline math in the prose, with its line."""

    line: int
    latex: str


@dataclass(frozen=True)
class Document:
    """A read document: its display equations and the inline math of its prose."""

    source: str
    equations: tuple[DisplayEquation, ...]
    inline: tuple[InlineMath, ...]


def decode(data: bytes) -> str:
    """Decode document bytes as UTF-8 text, refusing binary data with an :class:`InputError`.

    >>> decode(b"$$a=b$$")
    '$$a=b$$'
    >>> decode(b"\\x00\\x01")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the file is binary, not a text document
    """
    if b"\x00" in data[:8192]:
        raise InputError("the file is binary, not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"the file is not UTF-8 text (byte {error.start} cannot be decoded)") from None


def refuse_long(text: str) -> None:
    """Raise an :class:`InputError` when ``text`` is past :data:`MAX_DOCUMENT_CHARS` (before anything parses it).

    >>> refuse_long("$$a = a$$")
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(f"the document is too long ({len(text)} characters; at most {MAX_DOCUMENT_CHARS})")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


#: a line that is a condition alone, in plain text: "When i = j:", "**Case 2: i != j**", "If k ≠ i,"
_PLAIN_CONDITION = re.compile(r"^(?:[#*_\s]|\d+[.)])*(?:when|if|for|case\s*\d*\s*:?)\s+(?P<a>[a-zA-Z])\s*"
                              r"(?P<rel>=|!=|≠|\\neq?|<>)\s*(?P<b>[a-zA-Z])\s*[:,.]?[*_\s]*$", re.IGNORECASE)


def conditions_in(prose: str) -> tuple[str, ...]:
    r"""The index conditions ("i = j", "i != j") stated in a piece of prose.

    Only inline math that is exactly one comparison of two single-letter indices counts.

    >>> conditions_in("- if $i \\neq j$ :")
    ('i != j',)
    >>> conditions_in("with $x = 1$ and $a$")
    ()
    >>> conditions_in("- otherwise ($i \\neq j$):"), conditions_in("- if $i \\neq j$ (so $\\delta_{ij} = 0$):")
    (('i != j',), ('i != j',))
    >>> conditions_in("$\\delta_{ij} = 1$ if $i = j$, else 0"), conditions_in("- if $k \\neq c^*$:")
    ((), ('k != c*',))
    >>> conditions_in("When i = j:"), conditions_in("**Case 2: i != j**"), conditions_in("when i = j the sum is 1")
    (('i = j',), ('i != j',), ())
    """
    found = []
    plain = _PLAIN_CONDITION.match(prose.strip().splitlines()[-1] if prose.strip() else "")
    if plain and "$" not in prose and len(prose.strip()) <= 80:  # "When i = j:" written without math
        return (f"{plain.group('a')} {'=' if plain.group('rel') == '=' else '!='} {plain.group('b')}",)
    # "$i$ = $j$": a condition split over two pieces of inline math
    prose = re.sub(r"\$\s*([a-zA-Z])\s*\$\s*(=|\\neq|\\ne|≠|!=)\s*\$\s*([a-zA-Z])\s*\$", r"$\1 \2 \3$", prose)
    maths = [m.group("math") for m in _INLINE.finditer(prose)]
    if len(prose) > 300:
        return ()
    if re.search(r"\b(else|otherwise)\b", prose, re.IGNORECASE) and not all(_CONDITION.match(m) for m in maths):
        return ()  # a definition such as "$\delta_{ij} = 1$ if $i = j$, else 0", not a case split
    for math in maths:
        cond = _CONDITION.match(math)
        if cond is None:
            if not found and re.search(r"\\delta|\\mathbb\{1\}|\\mathbf\{1\}", math):
                return ()  # "using $\delta_{ij} = 1$ if $i = j$": the delta is defined, no case is opened
            continue  # "(so $\delta_{ij} = 0$)" after the condition says what follows from it
        if cond.group("b").isdigit() and cond.group("a") not in ("C", "D"):
            continue  # only the number of classes or features is compared with a number
        relation = "=" if cond.group("rel") == "=" else "!="
        a, b = (re.sub(STARRED, "*", cond.group(side)) for side in ("a", "b"))
        found.append(f"{a} {relation} {b}")
    return _one_case(found)


def _one_case(found) -> tuple[str, ...]:
    """The conditions, unless they name both cases of a pair ("$i = j$ and $i \neq j$"): then none."""
    pairs = [frozenset((c.split()[0], c.split()[2])) for c in found]
    return tuple(dict.fromkeys(found)) if len(set(found)) == len(set(pairs)) else ()


_ALIGNED = re.compile(r"^\s*\\begin\{(?P<env>align\*?|aligned|alignat\*?|alignedat|eqnarray\*?|gather\*?|gathered|split"
                      r"|multline\*?)\}(?:\{\d+\})?(?P<rows>.*)\\end\{(?P=env)\}\s*$", re.DOTALL)
_NESTING = re.compile(r"\\begin\{[^{}]*\}|\\end\{[^{}]*\}|\\\\|\\[{}]|[{}]")


def _rows(text: str) -> list[str]:
    r"""The rows of an aligned body, split at the ``\\`` that are not inside braces or a nested environment.

    >>> _rows(r"a &= b \\ c &= \begin{cases} 1 \\ 2 \end{cases}")
    ['a &= b ', ' c &= \\begin{cases} 1 \\\\ 2 \\end{cases}']
    """
    rows, depth, start = [], 0, 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if token == "{" or token.startswith("\\begin"):
            depth += 1
        elif token == "}" or token.startswith("\\end"):
            depth -= 1
        elif token == "\\\\" and depth == 0:
            rows.append(text[start: match.start()])
            start = match.end()
    return rows + [text[start:]]


def tagged_parts(body: str) -> list[tuple[int, str]]:
    r"""A display whose rows carry labels of their own (``a &= b \tag{1} \\ &= c \tag{2}``) as one display per
    label: ``(offset in body, body)``, each part the rows up to its tagged row (rows after the last tag join the
    last part). A display with one label or none is one part.

    >>> [b for _, b in tagged_parts(r"\begin{align} a &= b \tag{1} \\ &= c \tag{2} \end{align}")]
    ['\\begin{aligned}a &= b \\tag{1} \\end{aligned}', '\\begin{aligned}&= c \\tag{2} \\end{aligned}']
    """
    if len(_TAG.findall(body)) < 2:
        return [(0, body)]
    aligned = _ALIGNED.match(body)
    inner, offset = (aligned.group("rows"), aligned.start("rows")) if aligned else (body, 0)
    parts: list[tuple[int, list[str]]] = []
    position, pending = offset, []
    for row in _rows(inner):
        if not pending:
            start = position
        pending.append(row)
        position += len(row) + 2
        if _TAG.search(row):
            parts.append((start, pending))
            pending = []
    if pending and parts and "".join(pending).strip():
        parts[-1][1].extend(pending)
    if len(parts) < 2 or any(len(_TAG.findall("".join(rows))) != 1 for _, rows in parts):
        return [(0, body)]  # two labels in one row: not split
    return [(start, "\\begin{aligned}" + " \\\\ ".join(r.strip() for r in rows) + " \\end{aligned}")
            for start, rows in parts]


def _display_parts(text: str):
    r"""Each display of ``text`` as ``(start, end, body, after)``: its span, its body, and the text after it where a
    label may follow (none inside a display split at its tagged rows, :func:`tagged_parts`).

    >>> [(body.strip(), after) for _s, _e, body, after in _display_parts("$$a = b$$ (1)")]
    [('a = b', ' (1)')]
    """
    for match in _DISPLAY.finditer(text):
        group = next(g for g in ("dollar", "bracket", "body") if match.group(g) is not None)
        parts = tagged_parts(match.group(group))
        spans = [match.start()] + [match.start(group) + offset for offset, _ in parts[1:]] + [match.end()]
        for number, (_offset, body) in enumerate(parts):
            after = text[match.end(): match.end() + 40] if number == len(parts) - 1 else ""
            yield spans[number], spans[number + 1], body, after


_BRACED_ROWS = re.compile(r"^\s*\\begin\{cases\}(?P<rows>.*)\\end\{cases\}\s*$", re.DOTALL)
_NAMED_ROW = re.compile(r"^\s*(?P<name>\\?[a-zA-Z]+(?:\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?)\s*=(?P<value>[^=&<>]+)$", re.DOTALL)


def definitions_in_braces(latex: str) -> str:
    r"""A ``cases`` block that only lists names with their values, one per row and no condition (``\begin{cases} g_1 =
    y(1 - y) \\ g_2 = \hat{y} + y \end{cases}``), written as the aligned rows it means: each row a definition.

    >>> definitions_in_braces(r"\begin{cases} g_1 = a + b\\ g_2= a b \end{cases}")
    '\\begin{aligned} g_1 &= a + b \\\\ g_2 &= a b \\end{aligned}'
    >>> definitions_in_braces(r"\begin{cases} a = 1 & x > 0 \\ a = 2 & x \leq 0 \end{cases}")[:13]
    '\\begin{cases}'
    >>> definitions_in_braces(r"\begin{cases} f = x, x \geq 0 \\ g = 0, x \leq 0 \end{cases}")[:13]
    '\\begin{cases}'
    """
    braced = _BRACED_ROWS.match(latex)
    if braced is None or "\\begin" in braced.group("rows"):
        return latex
    rows = [row for row in re.split(r"\\\\", braced.group("rows")) if row.strip()]
    named = [_NAMED_ROW.match(row) for row in rows]
    if len(rows) < 2 or not all(named) or re.search(r"\\(?:text|mbox|mathrm)\s*\{\s*(?:if|for|otherwise|when)",
                                                     braced.group("rows")):
        return latex
    names = [re.sub(r"\s+", "", m.group("name")) for m in named]
    if len(set(names)) != len(names) or any(re.search(r",|\\(?:[lg]eq?|neq?|in|quad|qquad)(?![a-zA-Z])", m.group("value"))
                                            for m in named):
        return latex  # one name in every row (f = x, then f = 0: cases), or a condition beside a value
    return "\\begin{aligned} " + " \\\\ ".join(f"{m.group('name').strip()} &= {m.group('value').strip()}" for m in named) \
        + " \\end{aligned}"


def _split_label(body: str, after: str) -> tuple[str, str | None]:
    tag = _TAG.search(body)
    if tag:
        return (body[: tag.start()] + body[tag.end():]).strip(), tag.group("label")
    trailing = _TRAILING_LABEL.search(body)
    if trailing:
        return body[: trailing.start()].strip(), trailing.group("label") or trailing.group("letter")
    inner = _LABEL_IN_LAST_ROW.search(body)
    if inner:  # "&= 1 ~~ (2) \end{aligned}": the label written in the last aligned row
        return (body[: inner.start()] + " " + body[inner.end():]).strip(), inner.group("label")
    following = _LABEL_AFTER.match(after)
    if following:
        return body.strip(), following.group("label") or following.group("tag")
    return body.strip(), None


_TRAILING_START = re.compile(r"^\s*(?:[,;]\s*)?\(?\s*(?:for|when|if|where|whenever|provided|in\s+(?:the\s+)?case)\b")


_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*|__)")
_GENERAL = re.compile(r"\b(?:combin\w*|both cases|all cases|in general|general(?:ly)?|summar\w*|together|overall|"
                      r"in (?:every|each|any) case|all|every)\b", re.IGNORECASE)


#: A lead-in that states the next display for every index: the cases mentioned around it are not its case.
_STATED_GENERAL = re.compile(r"\b(?:combin\w*|both cases|all cases|in general|for (?:any|all|every|each) (?:pairs?|class|"
                             r"classes|indices|index|[a-zA-Z]\b|\$))", re.IGNORECASE)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _case_in(prose: str) -> tuple[tuple[str, ...], bool, bool]:
    """The case a heading or list item before the display opens ("**Case 1: $i = j$.**",
    "### Case i = j", "1. Case $i = j$:"): its conditions, whether a heading without a condition
    closes any case, and whether the case came from a heading (it then lasts for the section).
    Prose paragraphs neither open nor close a case ("here we used ... when $i = j$")."""
    for paragraph in reversed([p for p in re.split(r"\n\s*\n", prose) if p.strip()]):
        heading = bool(_HEADING.match(paragraph))
        if not (heading or _LIST_ITEM.match(paragraph)):
            continue
        found = conditions_in(paragraph)
        if not found and heading and "$" not in paragraph:
            found = _one_case(_mentioned(paragraph))  # "### Case i = j"
        if found:
            return found, False, heading
        return (), heading, False
    return (), False, False


_CONNECTIVE_WORDS = frozenset("""
    therefore thus hence so then and which gives give gave we get obtain have has it follows simplifying simplify
    simplified simplifies rearranging rearranged expanding expanded expand factoring factored cancelling canceling
    cancelled substituting substitute after this that the terms term again finally now further i.e e.g. or
    collecting collect factor out common is equals
""".split())


_GUARD_WORDS = re.compile(r"\b(?:if|when|whenever|for|where|assum\w*|suppose|case|provided|given|since|because)\b", re.IGNORECASE)
#: a known function in a stated fact ("since $\sigma(z) < 1$"): what it says holds everywhere, it restricts nothing
_KNOWN_FACT = re.compile(r"\\(?:sigma|exp|log|ln|tanh)(?![a-zA-Z])|(?<![a-zA-Z])e\s*\^")
_GUARD_MATH = re.compile(r"\$([^$]*?(?:>|<|\\geq?|\\leq?|\\ge|\\le|\\neq|\\ne)[^$]*)\$")
_GUARD_TAIL = re.compile(r"\\(?:text|mathrm|textrm)\{\s*(?:if|for|when)\s*\}?\s*([^}]*?(?:>|<|\\geq?|\\leq?|\\neq)[^}]*)")


_TRAILING_CONDITION = re.compile(
    r"(?:,|\\q?quad|(?<![:\\]):(?!=))\s*(?:~|\\[,;]|\\q?quad|\s)*\(?\s*(?P<a>[a-zA-Z])\s*(?P<rel>=|\\neq|\\ne(?![a-z])|!=)\s*(?P<b>[a-zA-Z])\s*\)?"
    r"\s*[.,]?\s*(?:\\tag\{[^{}]*\})?\s*$")
_DISPLAY_CONDITION = re.compile(
    r"(?:\\(?:text|mathrm|textrm)\s*\{\s*(?:if|for(?:\s+all)?|when)\s*\}|\{\\rm\s+(?:if|for|when)\}|\\(?:text|mathrm)\{\s*(?:if|for|when)"
    r"\s*\$)\s*(?:~|\\,|\\;|\\quad|\s)*(?P<a>[a-zA-Z](?:" + STARRED + r")?)\s*(?P<rel>=|\\neq|\\ne(?![a-z])|!=)\s*"
    r"(?P<b>[a-zA-Z](?:" + STARRED + r")?)(?![a-zA-Z_^])")


#: a subscript that states a case, ``y_{k=i}`` or ``z_{k \not= i}``: the component k, where k = i (or k != i)
SUBSCRIPT_CASE = re.compile(r"(?<!\\sum)(?<!\\sum )(?<!\\prod)(?<!\\limits)(?<!\\max)(?<!\\min)(?<!\\bigcup)_\{\s*([a-zA-Z])\s*(=|\\neq(?![a-zA-Z])|\\ne(?![a-zA-Z])|\\not\s*=|!=)\s*([a-zA-Z])\s*\}")


def subscript_case(latex: str) -> str | None:
    r"""The case that every subscript stating one (``y_{k=i}``, ``z_{k \not= i}``) states, ``"k != i"``; None when
    there is no such subscript or they state different cases.

    >>> subscript_case(r"- y_{k \not= i} y_i + z_{k \neq i}"), subscript_case(r"y_{k=i} - y_{j \neq i}")
    ('k != i', None)
    """
    cases = {f"{m.group(1)} {'=' if m.group(2) == '=' else '!='} {m.group(3)}" for m in SUBSCRIPT_CASE.finditer(latex)}
    return cases.pop() if len(cases) == 1 else None


def _display_conditions(latex: str) -> tuple[str, ...]:
    r"""The index condition a display states itself, ``... \quad \text{for } i \neq j`` or ``{\rm if}~i=j``.

    >>> _display_conditions(r"\frac{\partial s_i}{\partial z_j} = -s_i s_j \quad \text{for } i \neq j")
    ('i != j',)
    >>> _display_conditions(r"a = b \quad {\rm if}~i=j"), _display_conditions(r"a = b \text{ for all } x")
    (('i = j',), ())
    >>> _display_conditions(r"a = -p_i p_j,\quad i \neq j.")
    ('i != j',)
    >>> _display_conditions(r"a = -p_i p_j \quad i \neq j"), _display_conditions(r"a = h_i(1-h_j)\;\;: i = j")
    (('i != j',), ('i = j',))
    >>> _display_conditions(r"\frac{\partial y_{k \not= i}}{\partial z_i} = - y_{k \not= i} y_i")
    ('k != i',)
    >>> _display_conditions(r"a_i = \sum_{t \neq i} b_t")
    ()
    """
    found = []
    for match in _DISPLAY_CONDITION.finditer(latex):
        a, b = (re.sub(STARRED, "*", match.group(side)) for side in ("a", "b"))
        found.append(f"{a} {'=' if match.group('rel') == '=' else '!='} {b}")
    last = _TRAILING_CONDITION.search(latex)
    if last and not found:  # "... = p_i(1 - p_i),\quad i = j": an index condition after a comma ends the display
        found.append(f"{last.group('a')} {'=' if last.group('rel') == '=' else '!='} {last.group('b')}")
    case = subscript_case(latex)
    if not found and case:  # y_{k \not= i}: the subscripts state the display's case
        found.append(case)
    return _one_case(found)


def _guards_in(lead_in: str, latex: str) -> tuple[str, ...]:
    r"""Conditions on quantities (not index equalities) a lead-in or the display's own text states.

    >>> _guards_in("- if $a_m > 0$:", "h = a"), _guards_in("- if $i \neq j$:", "x = y")
    (('a_m > 0',), ())
    """
    found = []
    words = {word.lower() for word in _GUARD_WORDS.findall(lead_in[-200:])}
    if words:
        for math in _GUARD_MATH.findall(lead_in[-200:]):
            if words <= {"since", "because"} and _KNOWN_FACT.search(math):
                continue  # "Since $\sigma(z) < 1$": a fact of a function the checker knows, no condition on the letters
            if not _CONDITION.match(math):
                found.append(math.strip())
    for math in _GUARD_TAIL.findall(re.sub(r"\\begin\{cases\}.*?\\end\{cases\}", " ", latex, flags=re.DOTALL)):
        if not _CONDITION.match(math):
            found.append(math.strip())
    return tuple(dict.fromkeys(found))


def _continues(between: str) -> bool:
    """True when nothing but connectives ("Therefore,", "Simplifying, we get:") separate two displays."""
    words = re.findall(r"[A-Za-z.]+", between.lower())
    return len(between) < 80 and "$" not in between and all(w.strip(".") in _CONNECTIVE_WORDS for w in words)


def _inherits(case: tuple[str, ...], between: str, latex: str) -> bool:
    """True when a display with no conditions of its own goes on with the case the one before it was in.

    Not when the prose says it is general ("combining both cases") or when the display itself tells
    the cases apart with a Kronecker delta of the same indices: then it is the general formula.
    """
    if not case or _GENERAL.search(between) or not _continues(between):
        return False
    if "\\begin{cases}" in latex:
        return False  # a cases block states both cases itself
    for condition in case:
        a, _, b = condition.split()
        pair = rf"(?:{a}\s*,?\s*{b}|{b}\s*,?\s*{a}|{a}\s*=\s*{b}|{b}\s*=\s*{a})"
        if re.search(rf"\\delta_\{{?\s*{pair}\s*\}}?|\\math(?:bb|bf)\{{1\}}|\[\s*{a}\s*=\s*{b}\s*\]", latex):
            return False
    return True


_MENTION = re.compile(r"(?<![\\\w])([a-zA-Z])\s*(=|≠|\\neq|\\ne(?![a-z])|!=|\\not\s*=|\s+equals\s+|\s+is\s+equal\s+to\s+)\s*([a-zA-Z])(?![\w])")


def _mentioned(prose: str) -> tuple[str, ...]:
    r"""Index conditions the prose mentions anywhere ("when $i = j$", "the case i equals j").

    >>> _mentioned("Here we used $e^{z_i} e^{z_j} = e^{2 z_i}$ when $i = j$; for $j \\neq i$ it differs.")
    ('i = j', 'j != i')
    """
    found = []
    for a, relation, b in _MENTION.findall(prose.replace("$", " ")):
        if a == b:
            continue
        found.append(f"{a} {'=' if relation.strip() in ('=', 'equals', 'is equal to') else '!='} {b}")
    return tuple(dict.fromkeys(found))


def _split_between(between: str, after_display: bool) -> tuple[str, str]:
    """Split the prose between two displays into (trailing clause of the first, lead-in of the second).

    A clause that starts right after a display, on its line, with "for"/"when"/"if" ("... $$ for
    $i \neq j$, and") belongs to that display; the last paragraph before the next display, once
    that clause is removed, may state the next one's conditions ("- if $i = j$:").
    """
    trailing = ""
    rest = between
    start = _TRAILING_START.match(between)
    if after_display and start:
        cut = re.search(r"\n\s*\n|[.:](?=\s|$)|\band\b|$", between[start.end():])
        end = start.end() + cut.start() if cut else len(between)
        if between[end:end + 1] == ":" and not between[end + 1:].strip():
            return "", between  # "for $i = j$:" right before the next display leads in
        trailing, rest = between[:end], between[end:]
        if rest[:1] in ".:":
            rest = rest[1:]
    paragraphs = [p for p in re.split(r"\n\s*\n", rest) if p.strip()]
    lead_in = paragraphs[-1] if paragraphs else ""
    if (not after_display or len(paragraphs) > 1 or "\n" in rest.strip("\n") or lead_in.rstrip().endswith(":")
            or re.search(r"\n[ \t]*\n", rest)):  # a paragraph of its own leads in
        return trailing, lead_in
    # a single clause between two displays on consecutive lines: it leads in only when it ends in ':'
    return trailing, lead_in if lead_in.rstrip().endswith(":") else ""


def _add_trailing(equations: list[DisplayEquation], trailing: str) -> None:
    """Give the last equation the conditions of a clause written after it ("... $$ for $i = j$.")."""
    if equations and trailing:
        last = equations[-1]
        extra = tuple(c for c in conditions_in(trailing) if c not in last.conditions)
        equations[-1] = replace(last, conditions=last.conditions + extra)


def _without_comments(text: str) -> str:
    r"""The text with its HTML comments (``<!-- ... -->``, never shown by a Markdown viewer) blanked out, line
    breaks kept, so that a ``$`` or ``\tag`` inside a comment never pairs with the mathematics.

    >>> _without_comments("a <!-- $x$\n --> b")
    'a \n     b'
    """
    return re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.DOTALL)


def _inline_doubles(text: str) -> str:
    r"""``$$...$$`` inside a sentence, unlabelled (kramdown's inline math: "If $$i = j$$, this gives"), as ``$...$``.

    >>> _inline_doubles("If $$i = j$$, this gives:\n\n$$a = b$$\nWe have $$c = d \\tag{3}$$")
    'If $i = j$, this gives:\n\n$$a = b$$\nWe have $$c = d \\tag{3}$$'
    """
    def inline(match: re.Match) -> str:
        line = text[text.rfind("\n", 0, match.start()) + 1: match.start()]
        if "\\tag" in match.group(1) or not re.search(r"[A-Za-z0-9,.:;)]\s*$", line):
            return match.group(0)
        return "$" + match.group(1) + "$"

    return re.sub(r"\$\$([^$\n]+?)\$\$", inline, text)


def _parens_as_dollars(text: str) -> str:
    r"""Each ``\(...\)`` of ``text`` (within a paragraph, at most 500 characters, no ``$`` inside) as ``$...$``, in
    one pass over the text.

    >>> _parens_as_dollars(r"a \(x = 1\) b \( c")
    'a $x = 1$ b \\( c'
    """
    out, at = [], 0
    while True:
        opening = text.find("\\(", at)
        if opening < 0:
            break
        closing = text.find("\\)", opening + 2, opening + 502)
        inside = text[opening + 2: closing] if closing >= 0 else ""
        if (opening > 0 and text[opening - 1] == "\\") or closing < 0 or "$" in inside \
                or _BLANK_LINE.search(inside):  # \\( is a row break and a bracket
            out.append(text[at: opening + 2])
            at = opening + 2
            continue
        out.append(text[at: opening] + "$" + inside + "$")
        at = closing + 2
    out.append(text[at:])
    return "".join(out)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _inline_parens(text: str) -> str:
    r"""Inline math written ``\(...\)`` in the prose (LaTeX's and MathJax's spelling) as ``$...$``; displays are left
    as they are.

    >>> _inline_parens(r"given that \(\mu = 1/\theta\) and \(\log(\mu) = \alpha\), \[ a = \left(b\right) \]")
    'given that $\\mu = 1/\\theta$ and $\\log(\\mu) = \\alpha$, \\[ a = \\left(b\\right) \\]'
    """
    if "\\(" not in text:
        return text
    parts, at = [], 0
    for match in _DISPLAY.finditer(text):
        parts.append(_parens_as_dollars(text[at: match.start()]))
        parts.append(match.group(0))
        at = match.end()
    parts.append(_parens_as_dollars(text[at:]))
    return "".join(parts)


#: a row break with extra space (``\\[1em]``, ``\\*``): a row break (the space is layout, never a factor [1em])
_ROW_SPACING = re.compile(r"\\\\\*?(?:[ \t]*\[[ \t]*-?[0-9.]+[ \t]*(?:em|ex|pt|mm|cm|in|bp|pc|mu|sp)[ \t]*\])?")


def read_document(text: str) -> Document:
    r"""Split ``text`` into display equations (with labels, lines and conditions) and inline math.

    Raises :class:`~symsoft.errors.InputError` when the text holds no display equation.

    >>> doc = read_document("Let\n\n$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned} \\tag{2}$$")
    >>> doc.equations[0].label, doc.equations[0].latex
    ('2', '\\begin{aligned} a &= b \\\\ &= c \\end{aligned}')
    >>> read_document("no maths here")
    Traceback (most recent call last):
    ...
    symsoft.errors.NoEquations: the document has no display equations ($$ ... $$) to check
    """
    refuse_long(text)
    text = _layer_superscripts(_inline_doubles(_inline_parens(expand_macros(_ROW_SPACING.sub(r"\\\\", _without_comments(text))))))
    equations: list[DisplayEquation] = []
    displays: list[tuple[int, int]] = []
    section: tuple[str, ...] = ()  # the case a heading opened, for the displays of its section
    previous_end = 0
    for start, end, body, after in _display_parts(text):
        latex, label = _split_label(body, after)
        if not latex.strip():
            continue
        latex = definitions_in_braces(latex)
        between = text[previous_end: start]
        if label and displays and _LABEL_AFTER.match(between):
            between = between[_LABEL_AFTER.match(between).end():]
        trailing, lead_in = _split_between(between, after_display=bool(displays))
        _add_trailing(equations, trailing)
        conditions = conditions_in(lead_in)
        if conditions and not (_HEADING.match(lead_in) or _LIST_ITEM.match(lead_in)) and not _inherits(conditions, "", latex):
            conditions = ()  # "in the case $i = j$. Hence" before a formula with delta_ij: the general formula
        if conditions:
            section = ()
        else:
            opened, closed, from_heading = _case_in(between[len(trailing):])
            if opened:
                conditions = opened  # "**Case 1: $i = j$.**" and then a paragraph before the display
                section = opened if from_heading else ()
            elif closed:
                section = ()
            elif section:
                if not _GENERAL.search(between) and _inherits(section, "", latex):
                    conditions = section  # still in the section a "Case" heading opened
                else:
                    section = ()  # the general formula ends the section's case
            elif equations and not trailing and _inherits(equations[-1].conditions, between, latex):
                conditions = equations[-1].conditions  # the next line of the same case
        conditions = _display_conditions(latex) or conditions  # what the display says of itself comes first
        guards = _guards_in(lead_in, latex)
        equations.append(DisplayEquation(label, _line_of(text, start), latex, conditions, guards=guards))
        displays.append((start, end))
        previous_end = end
    if not equations:
        raise NoEquations("the document has no display equations ($$ ... $$) to check")
    bounds = [0] + [end for _, end in displays]
    starts = [start for start, _ in displays] + [len(text)]
    recent: tuple[str, ...] = ()  # the case of the last display that had one, until a heading or general words
    for n, equation in enumerate(equations):  # the prose just before and just after each display
        before = text[bounds[n]: displays[n][0]]
        if _GENERAL.search(before) or any(_HEADING.match(p) for p in re.split(r"\n\s*\n", before) if p.strip()):
            recent = ()
        after = [p for p in re.split(r"\n\s*\n", text[displays[n][1]: starts[n + 1]]) if p.strip()][:1]
        after = [p for p in after if not (_HEADING.match(p) or _LIST_ITEM.match(p))]  # the next case's lead-in
        around = before[-400:] + " " + " ".join(after)[:200]
        lead = [p for p in re.split(r"\n\s*\n", before) if p.strip()][-1:]
        if lead and _STATED_GENERAL.search(lead[0]) and not conditions_in(lead[0]):
            around, recent = "", ()  # "Combining the two cases, for any pair k, l:": the author states it in general
        equations[n] = replace(equation, mentioned=tuple(dict.fromkeys(_mentioned(around) + recent)))
        recent = equation.conditions or recent
    _add_trailing(equations, _split_between(text[previous_end:], after_display=True)[0])
    masked = list(text)
    for start, end in displays:
        masked[start:end] = [" "] * (end - start)
    prose_text = "".join(masked)
    inline = tuple(
        InlineMath(_line_of(text, m.start()), _with_named_letter(prose_text[:m.start()], m.group("math").strip()))
        for m in _INLINE.finditer(prose_text)
    )
    return Document(text, tuple(equations), inline)


_DIGIT_SUPERSCRIPTED = r"([a-zA-Z])\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9])\s*\^\s*(?:\{\s*([0-9])\s*\}|([0-9]))"


def _layer_superscripts(text: str) -> str:
    r"""A digit written above a subscripted letter the document differentiates, or differentiates with respect to
    (``\frac{\partial s_{0}^{3}}{\partial z_{0}^{3}}``), numbers a layer, not a power: every ``z_{0}^{3}`` of that
    letter and digit is written ``z_{0}^{(3)}``, as layer marks are. A second derivative (``\partial^2``) says nothing.

    >>> _layer_superscripts(r"$$\frac{\partial s_{0}^{3}}{\partial z_{0}^{3}} = s_0^3 (1 - s_{0}^{3}) + z_1^2$$")
    '$$\\frac{\\partial s_{0}^{(3)}}{\\partial z_{0}^{(3)}} = s_0^{(3)} (1 - s_{0}^{(3)}) + z_1^2$$'
    >>> _layer_superscripts(r"$$\frac{\partial^2 L}{\partial w_i^2} = 2$$")
    '$$\\frac{\\partial^2 L}{\\partial w_i^2} = 2$$'

    A layer letter l (or L) above a letter differentiated the same way (``\partial a^l``) marks a layer too: every
    ``a^l``, ``a^{l-1}``, ``a^{(l-1)}`` of that letter is written ``a^{(l)}``, ``a^{(l-1)}``.

    >>> _layer_superscripts(r"$$\frac{\partial C}{\partial a^l} = 2(a^l - y) a^{l-1} + a^{(l-1)}$$")
    '$$\\frac{\\partial C}{\\partial a^{(l)}} = 2(a^{(l)} - y) a^{(l-1)} + a^{(l-1)}$$'

    A digit written above a letter before its index (``\partial z^3_1``) numbers the layers of the whole document:

    >>> _layer_superscripts(r"$$\frac{\partial C}{\partial w^2_{11}} = (a^3 - y) a^2_1 + x_1^2$$")
    '$$\\frac{\\partial C}{\\partial w^{(2)}_{11}} = (a^{(3)} - y) a^{(2)}_1 + x_1^2$$'

    So does one written above an index (Nielsen's ``\partial b_j^L``): every ``w_{jk}^L``, ``a_k^{L-1}`` is a layer's.

    >>> _layer_superscripts(r"$$\frac{\partial C}{\partial b_j^L} = a_k^{L-1} w_{jk}^{L} + x_i^2$$")
    '$$\\frac{\\partial C}{\\partial b_j^{(L)}} = a_k^{(L-1)} w_{jk}^{(L)} + x_i^2$$'
    """
    marked, above = set(), set()
    group = r"\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"
    for fraction in re.finditer(r"\\frac\s*" + group + r"\s*" + group, text):
        if re.search(r"(?:\\partial|(?<![a-zA-Z\\])d)\s*\^", fraction.group(1)):
            continue  # \frac{\partial^2 L}{\partial w_i^2}: a second derivative
        for found in re.finditer(r"\\partial\s*" + _DIGIT_SUPERSCRIPTED, fraction.group(0)):
            marked.add((found.group(1), found.group(2) or found.group(3)))
        # \partial z^3_1: a digit above, then an index
        above |= set(re.findall(r"\\partial\s*[a-zA-Z]\s*\^\s*\{?\s*([0-9])\s*\}?\s*_", fraction.group(0)))
    if above:  # the document numbers its layers above the letters: every z^2_1 is layer 2's, and a^3 alone too
        letter = r"(?<![\\a-zA-Z])([a-zA-Z]|\\delta(?![a-zA-Z]))"
        layered = set(re.findall(letter + r"\s*\^\s*(?:\{\s*[0-9]\s*\}|[0-9])\s*_", text))
        text = re.sub(letter + r"\s*\^\s*(?:\{\s*([0-9])\s*\}|([0-9])(?![0-9]))(?=\s*_)",
                      lambda m: "%s^{(%s)}" % (m.group(1), m.group(2) or m.group(3)), text)
        text = re.sub(letter + r"\s*\^\s*(?:\{\s*([0-9])\s*\}|([0-9])(?![0-9]))(?!\s*_)",
                      lambda m: "%s^{(%s)}" % (m.group(1), m.group(2) or m.group(3)) if m.group(1) in layered
                      else m.group(0), text)
    for letter, digit in sorted(marked):
        text = re.sub(r"(?<![\\a-zA-Z])(%s\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))\s*\^\s*(?:\{\s*%s\s*\}|%s(?![0-9]))"
                      % (letter, digit, digit), lambda m: m.group(1) + "^{(%s)}" % digit, text)
    layers = {(m.group(1), m.group(2) or m.group(3)) for m in re.finditer(
        r"\\partial\s*([a-zA-Z])\s*\^\s*(?:\{\s*([lL])\s*\}|([lL])(?![a-zA-Z]))(?!\s*_)", text)}
    below = {m.group(1) or m.group(2) or m.group(3) or m.group(4) for m in re.finditer(  # \partial b_j^L, \partial z^L_j: L names a layer
        r"\\partial\s*(?:[a-zA-Z]|\\delta)\s*(?:_\s*(?:\{[^{}]*\}|[a-zA-Z0-9])\s*\^\s*(?:\{\s*([lL])\s*\}|([lL])(?![a-zA-Z]))"
        r"|\^\s*(?:\{\s*\(?\s*([lL])\s*\)?\s*\}|([lL]))\s*_)", text)}
    for layer in sorted(below):  # every b_j^L, w_{jk}^L, a_k^{L-1} of the document: a layer mark, never a power
        text = re.sub(r"(?<![\\a-zA-Z])([a-zA-Z]|\\delta)(\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))\s*\^\s*"
                      r"(?:\{\s*(%s\s*(?:[+-]\s*1)?)\s*\}|(%s)(?![a-zA-Z]))" % (layer, layer),
                      lambda m: m.group(1) + m.group(2) + "^{(%s)}" % re.sub(r"\s+", "", m.group(3) or m.group(4)), text)
    for letter, layer in sorted(layers):  # \partial a^l: a of layer l, and a^{l-1} the layer before
        text = re.sub(r"(?<![\\a-zA-Z])(%s)\s*\^\s*(?:\{\s*\(?\s*(%s\s*(?:[+-]\s*1)?)\s*\)?\s*\}|(%s)(?![a-zA-Z]))(?!\s*_)"
                      % (letter, layer, layer), lambda m: m.group(1) + "^{(%s)}" % re.sub(r"\s+", "", m.group(2) or m.group(3)),
                      text)
    return text


def _with_named_letter(before: str, math: str) -> str:
    r"""Inline math whose left side the prose writes just before it ("let c=$\\frac{1}{2}$"): the whole equation.

    >>> _with_named_letter("let c=", r"\frac{1}{2}"), _with_named_letter("so that a = ", "b"), _with_named_letter("x", "y")
    ('c := \\frac{1}{2}', 'a := b', 'y')
    >>> _with_named_letter("items:\n- C = ", "(a - y)^2")
    'C := (a - y)^2'
    """
    named = re.search(r"(?:^|[\s(])(?:let|set|define|with|where|and)\s+([a-zA-Z])\s*(?::=|=)\s*$", before[-40:],
                      re.IGNORECASE) or re.search(r"(?:^|\s)(?:so\s+that|such\s+that)\s+([a-zA-Z])\s*=\s*$", before[-40:]) \
        or re.search(r"(?:^|\n)[ \t]*[-*+][ \t]+([a-zA-Z])[ \t]*=[ \t]*$", before[-40:])  # a list item "- C = $...$"
    return f"{named.group(1)} := {math}" if named and "=" not in math else math
