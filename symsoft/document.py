r"""Read a derivation document (Markdown or LaTeX) into display equations with their context.

This is the first stage of the pipeline (read -> parse -> bind -> check -> render): it finds
display equations (``$$ ... $$``, ``\[ ... \]``, ``equation``/``align`` environments), their
labels (``\quad (5)``, ``\tag{5}``, ``(5)`` after the display), the line they start on, the
conditions stated in the prose just before them ("- if $i = j$:"), and the inline math of the
prose (``$ ... $``), which is linted but not graded.

>>> from symsoft.document import read_document
>>> doc = read_document("- if $i = j$:\n\n$$a = b \\quad (3)$$\n")
>>> [(e.label, e.line, e.latex, e.conditions) for e in doc.equations]
[('3', 3, 'a = b', ('i = j',))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symsoft.errors import InputError

#: Largest document accepted, in characters.
MAX_DOCUMENT_CHARS = 2_000_000

_DISPLAY = re.compile(
    r"\$\$(?P<dollar>.+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\begin\{(?P<env>equation\*?|align\*?|gather\*?|multline\*?)\}(?P<body>.+?)\\end\{(?P=env)\}",
    re.DOTALL,
)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<math>[^$]+?)\$")
_TAG = re.compile(r"\\tag\*?\{\s*\(?\s*(?P<label>[^{}()]{1,20}?)\s*\)?\s*\}")
_TRAILING_LABEL = re.compile(r"(?:\\q?quad|\\,|\\;|\\ |~|\s)*\(\s*(?P<label>[0-9]+(?:\.[0-9]+)*[a-z]?|[A-Za-z][0-9]*|\*{1,3})\s*\)\s*[.,;]?\s*$")
_LABEL_AFTER = re.compile(r"^[ \t]*\(\s*(?P<label>[0-9]+(?:\.[0-9]+)*[a-z]?)\s*\)")
_CONDITION = re.compile(
    r"^\s*(?P<a>[a-zA-Z])\s*(?P<rel>=|\\neq|\\ne|!=|\\not=|≠)\s*(?P<b>[a-zA-Z]|[0-9]+)\s*$"
)


@dataclass(frozen=True)
class DisplayEquation:
    """One display equation as written: its label, first line, LaTeX body and conditions."""

    label: str | None
    line: int
    latex: str
    conditions: tuple[str, ...] = ()


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


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def conditions_in(prose: str) -> tuple[str, ...]:
    r"""The index conditions ("i = j", "i != j") stated in a piece of prose.

    Only inline math that is exactly one comparison of two single-letter indices counts.

    >>> conditions_in("- if $i \\neq j$ :")
    ('i != j',)
    >>> conditions_in("with $x = 1$ and $a$")
    ()
    >>> conditions_in("- otherwise ($i \\neq j$):"), conditions_in("- if $i \\neq j$ (so $\\delta_{ij} = 0$):")
    (('i != j',), ('i != j',))
    >>> conditions_in("$\\delta_{ij} = 1$ if $i = j$, else 0")
    ()
    """
    found = []
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
        found.append(f"{cond.group('a')} {relation} {cond.group('b')}")
    return tuple(found)


def _split_label(body: str, after: str) -> tuple[str, str | None]:
    tag = _TAG.search(body)
    if tag:
        return (body[: tag.start()] + body[tag.end():]).strip(), tag.group("label")
    trailing = _TRAILING_LABEL.search(body)
    if trailing:
        return body[: trailing.start()].strip(), trailing.group("label")
    following = _LABEL_AFTER.match(after)
    if following:
        return body.strip(), following.group("label")
    return body.strip(), None


_TRAILING_START = re.compile(r"^\s*(?:[,;]\s*)?(?:for|when|if|where|whenever|provided)\b")


_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*|__)")
_GENERAL = re.compile(r"\b(?:combin\w*|both cases|all cases|in general|general(?:ly)?|summar\w*|together|overall|"
                      r"in (?:every|each|any) case|all|every)\b", re.IGNORECASE)


def _case_in(prose: str) -> tuple[tuple[str, ...], bool]:
    """The conditions of the last case opened in ``prose`` ("**Case 1: $i = j$.**", "- if $i = j$:") and
    whether a heading without conditions closes any case before the display."""
    for paragraph in reversed([p for p in re.split(r"\n\s*\n", prose) if p.strip()]):
        found = conditions_in(paragraph)
        if found:
            return found, False
        if _HEADING.match(paragraph):
            return (), True
    return (), False


_CONNECTIVE_WORDS = frozenset("""
    therefore thus hence so then and which gives give gave we get obtain have has it follows simplifying simplify
    simplified simplifies rearranging rearranged expanding expanded expand factoring factored cancelling canceling
    cancelled substituting substitute after this that the terms term again finally now further i.e e.g. or
""".split())


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
    for condition in case:
        a, _, b = condition.split()
        if re.search(rf"\\delta_\{{?\s*(?:{a}\s*,?\s*{b}|{b}\s*,?\s*{a})\s*\}}?", latex):
            return False
    return True


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
    if not after_display or len(paragraphs) > 1 or "\n" in rest.strip("\n") or lead_in.rstrip().endswith(":"):
        return trailing, lead_in
    # a single clause between two displays on consecutive lines: it leads in only when it ends in ':'
    return trailing, lead_in if lead_in.rstrip().endswith(":") else ""


def _add_trailing(equations: list[DisplayEquation], trailing: str) -> None:
    """Give the last equation the conditions of a clause written after it ("... $$ for $i = j$.")."""
    if equations and trailing:
        last = equations[-1]
        extra = tuple(c for c in conditions_in(trailing) if c not in last.conditions)
        equations[-1] = DisplayEquation(last.label, last.line, last.latex, last.conditions + extra)


def read_document(text: str) -> Document:
    r"""Split ``text`` into display equations (with labels, lines and conditions) and inline math.

    Raises :class:`~symsoft.errors.InputError` when the text holds no display equation.

    >>> doc = read_document("Let\n\n$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned} \\tag{2}$$")
    >>> doc.equations[0].label, doc.equations[0].latex
    ('2', '\\begin{aligned} a &= b \\\\ &= c \\end{aligned}')
    >>> read_document("no maths here")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the document has no display equations ($$ ... $$) to check
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(
            f"the document is too long ({len(text)} characters; at most {MAX_DOCUMENT_CHARS})"
        )
    equations: list[DisplayEquation] = []
    displays: list[tuple[int, int]] = []
    previous_end = 0
    for match in _DISPLAY.finditer(text):
        body = next(g for g in (match.group("dollar"), match.group("bracket"), match.group("body")) if g is not None)
        after = text[match.end(): match.end() + 40]
        latex, label = _split_label(body, after)
        if not latex.strip():
            continue
        between = text[previous_end: match.start()]
        if label and displays and _LABEL_AFTER.match(between):
            between = between[_LABEL_AFTER.match(between).end():]
        trailing, lead_in = _split_between(between, after_display=bool(displays))
        _add_trailing(equations, trailing)
        conditions = conditions_in(lead_in)
        if not conditions:
            opened, closed = _case_in(between[len(trailing):])
            if opened:
                conditions = opened  # "**Case 1: $i = j$.**" and then a paragraph before the display
            elif equations and not trailing and not closed and _inherits(equations[-1].conditions, between, latex):
                conditions = equations[-1].conditions  # the next line of the same case
        equations.append(DisplayEquation(label, _line_of(text, match.start()), latex, conditions))
        displays.append((match.start(), match.end()))
        previous_end = match.end()
    if not equations:
        raise InputError("the document has no display equations ($$ ... $$) to check")
    _add_trailing(equations, _split_between(text[previous_end:], after_display=True)[0])
    masked = list(text)
    for start, end in displays:
        masked[start:end] = [" "] * (end - start)
    prose_text = "".join(masked)
    inline = tuple(
        InlineMath(_line_of(text, m.start()), m.group("math").strip())
        for m in _INLINE.finditer(prose_text)
    )
    return Document(text, tuple(equations), inline)
