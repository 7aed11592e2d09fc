r"""The document's own LaTeX macros: ``\newcommand``, ``\renewcommand``, ``\providecommand``, ``\def`` and
``\DeclareMathOperator``, read from the document and written out where it uses them.

Lecture notes and LaTeX sources define their shorthands once (``\newcommand{\pd}[2]{\frac{\partial #1}{\partial
#2}}``, ``\renewcommand{\th}{\theta}``) and use them in every display. The definitions are taken out of the text
(their lines kept, blank) and every use is replaced by the body with its arguments put in, until nothing changes.
A document that defines a macro by itself, or one that grows without end, stops being expanded at a budget: what is
left unexpanded is later not read, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: expansion stops after this many rounds over the text, or when the text grows past this many times its length
MAX_ROUNDS = 12
MAX_GROWTH = 4
_NAME = r"\\(?:[A-Za-z]+|.)"
_DEFINER = re.compile(r"\\(?:(?P<command>newcommand|renewcommand|providecommand)\*?|(?P<def>def)"
                      r"|(?P<operator>DeclareMathOperator)\*?)(?![A-Za-z])")


@dataclass(frozen=True)
class Macro:
    r"""A macro the document defines: its name (``\pd``), its number of arguments, the default of an optional first
    argument (``\newcommand{\x}[2][1]{...}``), and its body with ``#1``, ``#2``, ... where the arguments go.

    >>> Macro(r"\pd", 2, None, r"\frac{\partial #1}{\partial #2}").written_with(["L", "w"])
    '\\frac{\\partial L}{\\partial w}'
    """

    name: str
    arguments: int
    default: str | None
    body: str

    def written_with(self, arguments: list[str]) -> str:
        r"""The body with ``#n`` replaced by the n-th argument.

        >>> Macro(r"\sq", 1, None, r"#1^{2}").written_with(["x"])
        'x^{2}'
        """
        return re.sub(r"#([1-9])", lambda m: arguments[int(m.group(1)) - 1] if int(m.group(1)) <= len(arguments)
                      else m.group(0), self.body)


def _group(text: str, start: int) -> tuple[str, int] | None:
    r"""The balanced ``{...}`` group that opens at ``start`` (its content and the index after it), or None.

    >>> _group("{a{b}c}d", 0)
    ('a{b}c', 7)
    >>> _group("{a", 0) is None
    True
    """
    if start >= len(text) or text[start] != "{":
        return None
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "\\":
            continue
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1: index], index + 1
    return None


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n":
        index += 1
    return index


def _argument(text: str, index: int) -> tuple[str, int] | None:
    r"""One argument of a macro at ``index``: a braced group, a command, or one character (spaces skipped).

    >>> _argument(" {x_1} y", 0), _argument(r"\alpha b", 0), _argument("ab", 0)
    (('x_1', 6), ('\\alpha', 6), ('a', 1))
    """
    index = _skip_space(text, index)
    if index >= len(text) or text[index] in "}$&":  # the end of a group or of the mathematics: no argument
        return None
    if text[index] == "{":
        return _group(text, index)
    command = re.match(_NAME, text[index:])
    if command:
        return command.group(0), index + command.end()
    return text[index], index + 1


def _definition(text: str, match: re.Match) -> tuple[Macro, int] | None:
    """The macro defined at ``match`` (a definer such as ``\\newcommand``) and the index after its definition."""
    index = _skip_space(text, match.end())
    braced = text.startswith("{", index)
    name = _group(text, index) if braced else None
    if braced:
        if name is None or not re.fullmatch(r"\\[A-Za-z]+", name[0].strip()):
            return None
        name, index = name[0].strip(), name[1]
    else:
        found = re.match(r"\\[A-Za-z]+", text[index:])
        if not found:
            return None
        name, index = found.group(0), index + found.end()
    if match.group("operator"):
        body = _group(text, _skip_space(text, index))
        return (Macro(name, 0, None, r"\operatorname{" + body[0] + "}"), body[1]) if body else None
    arguments, default = 0, None
    if match.group("def"):
        parameters = re.match(r"(?:#[1-9])*", text[index:])
        arguments, index = parameters.group(0).count("#"), index + parameters.end()
    else:
        index = _skip_space(text, index)
        count = re.match(r"\[\s*([1-9])\s*\]", text[index:])
        if count:
            arguments, index = int(count.group(1)), index + count.end()
            optional = re.match(r"\s*\[([^\[\]]*)\]", text[index:])
            if optional:
                default, index = optional.group(1), index + optional.end()
    body = _group(text, _skip_space(text, index))
    if body is None:
        return None
    return Macro(name, arguments, default, body[0].replace("\n", " ")), body[1]


def macros_in(text: str) -> tuple[dict[str, Macro], str]:
    r"""The macros ``text`` defines, and the text with their definitions blanked (line breaks kept).

    A later definition of the same name wins from where the document gives it on; here, as the whole document is
    read at once, the last one is used everywhere, which is what a document that defines a name once does.

    >>> found, rest = macros_in("$$\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n\\def\\th{\\theta}$$ x")
    >>> sorted(found), found["\\pd"].arguments, repr(rest)
    (['\\pd', '\\th'], 2, "'$$\\n$$ x'")
    """
    found: dict[str, Macro] = {}
    pieces: list[str] = []
    position = 0
    for match in _DEFINER.finditer(text):
        if match.start() < position:
            continue
        defined = _definition(text, match)
        if defined is None:
            continue
        macro, end = defined
        found[macro.name] = macro
        pieces.append(text[position: match.start()])
        pieces.append(re.sub(r"[^\n]", "", text[match.start(): end]))
        position = end
    pieces.append(text[position:])
    return found, "".join(pieces)


def _expanded_once(text: str, macros: dict[str, Macro], pattern: re.Pattern) -> str:
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() < position:
            continue
        macro = macros[match.group(0)]
        index, arguments = match.end(), []
        if macro.default is not None:
            optional = re.match(r"\s*\[([^\[\]]*)\]", text[index:])
            arguments.append(optional.group(1) if optional else macro.default)
            index = index + optional.end() if optional else index
        while len(arguments) < macro.arguments:
            argument = _argument(text, index)
            if argument is None:
                break
            arguments.append(argument[0])
            index = argument[1]
        if len(arguments) < macro.arguments:
            continue  # too few arguments: left as written, so it is not read
        body = macro.written_with(arguments)
        pieces.append(text[position: match.start()])
        pieces.append(body + (" " if re.match(r"[A-Za-z]", text[index: index + 1]) and
                              re.search(r"\\[A-Za-z]+$", body) else ""))
        position = index
    pieces.append(text[position:])
    return "".join(pieces)


def expand_macros(text: str) -> str:
    r"""``text`` with the macros it defines taken out and written out where it uses them.

    >>> expand_macros(r"$$\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}$$ $$\pd{L}{w} = 2$$")
    '$$$$ $$\\frac{\\partial L}{\\partial w} = 2$$'
    >>> expand_macros(r"\renewcommand{\th}{\theta} $\th_j\toi$ \newcommand{\toi}{^{(i)}}")
    ' $\\theta_j^{(i)}$ '
    >>> expand_macros(r"\def\loop{\loop\loop} $\loop$").count("loop") > 0
    True
    """
    macros, text = macros_in(text)
    if not macros:
        return text
    names = sorted(macros, key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(re.escape(name) for name in names) + r")(?![A-Za-z])")
    limit = MAX_GROWTH * len(text) + 1000
    for _ in range(MAX_ROUNDS):
        expanded = _expanded_once(text, macros, pattern)
        if expanded == text or len(expanded) > limit:
            break
        text = expanded
    return text
