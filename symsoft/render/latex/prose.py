r"""Messages and the provers' rules in LaTeX: words with bits of maths typeset, the rest escaped."""

from __future__ import annotations

import re

from symsoft.render.latex.sanitize import _GREEK, _math_or_verbatim, _verbatim, escape_text


# -- prose: messages and rules that mix words with bits of maths ----------------------------------
_RELATION_WORDS = {"=": "=", "!=": r"\neq", "<=": r"\leq", ">=": r"\geq", "<": "<", ">": ">",
                   "+": "+", "-": "-", "*": r"\cdot", "->": r"\to", "...": r"\dots"}
_EDGE = re.compile(r"^([(\[']*)(.*?)([)\],.;:'!?]*)$", re.S)


def _edges(word: str) -> tuple[str, str, str]:
    """Split leading and trailing punctuation off a word, keeping the brackets the core closes."""
    if word == "...":
        return "", word, ""
    lead, core, trail = _EDGE.match(word).groups()
    while trail and trail[0] in ")]" and core.count("(["[")]".index(trail[0])]) > core.count(trail[0]):
        core, trail = core + trail[0], trail[1:]
    return lead, core, trail


_OPERAND = r"(?:[A-Za-z](?:_\w+)?|\d+)(?: [-+] \d+)?"
_RELATION = re.compile(rf"(?<![\w\\{{^$])({_OPERAND}) ?(!=|<=|>=|=|<|>) ?({_OPERAND})(?![\w{{(^$])", re.ASCII)


def _inline_math(latex: str) -> str:
    """``$latex$`` when it passes the whitelist, else the text in typewriter."""
    kind, value = _math_or_verbatim(latex)
    return f"${value}$" if kind == "math" and value else _verbatim(latex)


def _prose(text: str) -> str:
    r"""A message in words with LaTeX fragments (``$..$``, quoted, or words with ``\`` or ``_``) typeset.

    Short relations between single symbols or numbers (``i != j``, ``C >= 2``) become maths too.

    >>> from symsoft.render.latex.prose import _prose
    >>> print(_prose(r"false when i != j; the first \sigma(z_i) should be \sigma(z_j)"))
    false when $i \neq j$; the first $\sigma(z_i)$ should be $\sigma(z_j)$
    >>> print(_prose(r"stray \sigma in the derivative's denominator '\\partial \\sigma z_h'"))
    stray $\sigma$ in the derivative's denominator $\partial \sigma z_h$
    """
    out = []
    for number, piece in enumerate(re.split(r"(\$[^$]+\$|(?<!\w)'[^'\s][^']*'(?!\w))", text)):
        if number % 2:
            inner = piece[1:-1]
            if piece.startswith("'"):  # messages quote LaTeX with its backslashes doubled
                inner = re.sub(r"\\\\(?=[A-Za-z])", r"\\", inner)
            out.append(_inline_math(inner))
            continue
        position = 0
        for match in _RELATION.finditer(piece):
            out.append(_prose_words(piece[position:match.start()]))
            out.append(_relation_math(match))
            position = match.end()
        out.append(_prose_words(piece[position:]))
    return "".join(out)


def _prose_words(text: str) -> str:
    return "".join(_prose_word(word) for word in re.split(r"(\s+)", text))


def _prose_word(word: str) -> str:
    if not word or word.isspace():
        return word
    lead, core, trail = _edges(word)
    if core in _RELATION_WORDS:
        return escape_text(lead) + f"${_RELATION_WORDS[core]}$" + escape_text(trail)
    if "\\" in core or re.search(r"[A-Za-z][_^]", core):
        return escape_text(lead) + _inline_math(core) + escape_text(trail)
    return escape_text(word)


def _relation_math(match: re.Match) -> str:
    r"""A short relation of the prose (``i != j``) as maths, through the whitelist like any student math
    (``a__ = 1`` would stop pdflatex: it is shown verbatim)."""
    left, relation, right = match.groups()
    return _inline_math(f"{_subscripts(left)} {_RELATION_WORDS[relation]} {_subscripts(right)}")


def _subscripts(operand: str) -> str:
    return re.sub(r"_(\w+)", r"_{\1}", operand)


# ASCII maths in the provers' rules ("sigma_1 + sigma_2 = 1", "dl/dz_1") in the notation of the proofs.
_IDENTIFIER = re.compile(
    r"(?<![\\A-Za-z])([A-Za-z]+)(?:_(\{[^{}]*\}|[A-Za-z0-9]+))?(?:\^(\{[^{}]*\}|[A-Za-z0-9]+))?"
)
_NAMED = {"sum": r"\sum", "log": r"\log", "exp": r"\exp", "diag": r"\operatorname{diag}"}
_DERIVATIVE = re.compile(r"^d(\([^()]*\)|[A-Za-z][\w{},]*)/d([A-Za-z][\w{},]*)$")


def _ascii_identifier(match: re.Match) -> str:
    name, sub, sup = match.groups()
    sub = sub[1:-1] if sub and sub.startswith("{") else sub
    sup = sup[1:-1] if sup and sup.startswith("{") else sup
    if name in _GREEK:
        base = "\\" + name
    elif name in _NAMED:
        base = _NAMED[name]
    elif name == "y":
        base = r"\hat{y}"
    elif len(name) == 1:
        base = name
    else:
        base = rf"\mathrm{{{name}}}"
    if name in ("w", "u") and sub and "," in sub:
        feature, cls = sub.split(",", 1)
        base, sub = f"{{{name}_{{{feature}}}^{{({cls})}}}}", None
    tex = base
    if sub:
        tex += "_{" + _ascii_math(sub) + "}"
    if sup:
        tex += "^{" + _ascii_math(sup) + "}"
    return tex


def _ascii_math(text: str) -> str:
    derivative = _DERIVATIVE.match(text)
    if derivative:
        top, bottom = derivative.groups()
        return rf"\partial {_ascii_math(top)}/\partial {_ascii_math(bottom)}"
    return _IDENTIFIER.sub(_ascii_identifier, text)


def _is_math_word(core: str) -> bool:
    if core == "...":
        return True
    if not core or not re.fullmatch(r"[A-Za-z0-9_{}^()+\-*/=<>!,|]+", core):
        return False
    if core in _RELATION_WORDS or core.isdigit() or _DERIVATIVE.match(core):
        return True
    if core in _GREEK or core in ("log", "diag") or re.search(r"[A-Za-z0-9)}][_^]", core):
        return True
    if re.fullmatch(r"[A-Za-z]", core):
        return core != "a"
    return bool(re.fullmatch(r"[A-Za-z]+\(.*\)", core)) and re.match(r"[A-Za-z]+", core).group() in (*_NAMED, *"lzfgh")


def _rule_text(text: str, theorem_of: dict[str, str]) -> str:
    r"""A prover's rule ("the label sums to one: y_1 + y_2 = 1") with its maths in the proofs' notation.

    Words that name a proof in the document become references to its theorem; runs of
    maths-looking words become one formula when it passes :func:`sanitize_math`.

    >>> from symsoft.render.latex.prose import _rule_text
    >>> print(_rule_text("a sum of C - 1 = 2 positive terms (C >= 2)", {}))
    a sum of $C - 1 = 2$ positive terms ($C \geq 2$)
    >>> print(_rule_text("sigma_1 + sigma_2 = 1 (sum_to_one)", {"sum_to_one": "thm:sum_to_one"}))
    $\sigma_{1} + \sigma_{2} = 1$ (Theorem~\ref{thm:sum_to_one})
    """
    text = re.sub(r"\bEq\(([^,()]+), ([^()]+)\)", r"\1 = \2", text)  # SymPy's sstr of an equation
    words = re.split(r"(\s+)", text)
    out: list[str] = []
    run: list[str] = []  # math words (and the spaces between them) not yet written

    def flush() -> None:
        trailing = []
        while run and run[-1].isspace():
            trailing.insert(0, run.pop())
        tokens = [w for w in run if not w.isspace()]
        if tokens and not all(t.isdigit() for t in tokens):
            latex = " ".join(_RELATION_WORDS.get(t) or _ascii_math(t) for t in tokens)
            out.append(_inline_math(latex))
        elif tokens:
            out.append(escape_text(" ".join(tokens)))
        out.extend(trailing)
        run.clear()

    for word in words:
        if word.isspace() or not word:
            (run if run else out).append(word)
            continue
        lead, core, trail = _edges(word)
        if core in theorem_of and lead.endswith("(") and trail.startswith(")"):
            flush()
            out.append(escape_text(lead) + rf"Theorem~\ref{{{theorem_of[core]}}}" + escape_text(trail))
        elif _is_math_word(core):
            if lead:
                flush()
                out.append(escape_text(lead))
            run.append(core)
            if trail:
                flush()
                out.append(escape_text(trail))
        else:
            flush()
            if re.fullmatch(r"[\w.]+\(\)", core):
                out.append(escape_text(lead) + r"\texttt{" + escape_text(core) + "}" + escape_text(trail))
            else:
                out.append(escape_text(word))
    flush()
    return "".join(out)
