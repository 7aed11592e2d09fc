r"""Student text made safe for LaTeX: escaping prose, and the whitelist of math commands.

Student LaTeX is untrusted: :func:`sanitize_math` lets through a whitelist of math commands with
balanced groups and refuses anything else, which the caller then shows verbatim.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from typing import Iterator

from symsoft.errors import UnsafeLatexError


#: Longest student equation (in characters) that is typeset rather than shown verbatim.
MAX_MATH_LENGTH = 4000

#: Deepest nesting of groups, ``\left`` and environments accepted in student LaTeX (TeX allows 255).
MAX_MATH_DEPTH = 40


# -- text ---------------------------------------------------------------------------------------
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}", '"': "''",
}
_UNICODE_MATH = {
    "−": "-", "×": r"\times ", "·": r"\cdot ", "≤": r"\leq ", "≥": r"\geq ", "≠": r"\neq ",
    "…": r"\dots ", "∂": r"\partial ", "∑": r"\sum ", "σ": r"\sigma ", "δ": r"\delta ",
    "∈": r"\in ", "→": r"\to ", "∀": r"\forall ", "∞": r"\infty ", "\u00a0": " ",
}


def _ascii(text: str) -> str:
    """Drop accents and replace what pdflatex cannot print by ``?`` (the default fonts are ASCII)."""
    out = []
    for char in text:
        if char in "\t\n":
            out.append(" ")
            continue
        if ord(char) < 32 or ord(char) == 127:  # a control character stops pdflatex ("invalid character")
            out.append("?")
            continue
        if ord(char) < 128:
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain or "?")
    return "".join(out)


def escape_text(text: str) -> str:
    r"""Escape ``text`` so that LaTeX prints it as it is (in roman, outside math).

    Parameters
    ----------
    text : str
        Any text, including TeX specials and non-ASCII characters.

    Returns
    -------
    str
        LaTeX that typesets the text; characters the default fonts lack become ``?``.

    Examples
    --------
    >>> from symsoft.render.latex.sanitize import escape_text
    >>> print(escape_text(r"50% of \input{x} & y_1"))
    50\% of \textbackslash{}input\{x\} \& y\_1
    >>> escape_text("naïve σ")
    'naive ?'
    >>> escape_text("x\x7f\x1b[2K")
    'x??[2K'
    """
    text = _ascii(text.replace("\u2212", "-"))
    return "".join(_TEXT_SPECIALS.get(char, char) for char in text).replace("\n", " ")


def _verbatim(text: str) -> str:
    """Typewriter text that keeps every character visible and may break after braces and spaces."""
    escaped = escape_text(" ".join(text.split()))
    escaped = escaped.replace(r"\}", r"\}\allowbreak{}").replace(r"\textbackslash{}", r"\allowbreak{}\textbackslash{}")
    return r"{\ttfamily\small " + escaped + "}"


# -- student LaTeX: the whitelist ------------------------------------------------------------------
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
    "Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
).split()
_BIG_OPERATORS = {r"\sum", r"\prod", r"\int", r"\oint", r"\lim", r"\max", r"\min", r"\sup",
                  r"\inf", r"\bigcup", r"\bigcap", r"\coprod", r"\liminf", r"\limsup"}
_NO_ARGUMENT = {"\\" + name for name in _GREEK} | _BIG_OPERATORS | {
    "\\" + name for name in (
        "partial nabla infty ell hbar imath jmath emptyset varnothing top bot prime forall exists "
        "neg lnot log ln exp sin cos tan sinh cosh tanh arg det dim ker deg gcd Pr "
        "cdot cdots ldots dots vdots ddots dotsc dotsb dotsm times div pm mp ast star circ bullet "
        "odot otimes oplus setminus cup cap wedge vee land lor "
        "leq geq le ge neq ne approx equiv sim simeq cong propto ll gg leqslant geqslant prec succ "
        "in notin ni subset subseteq supset supseteq mid parallel perp "
        "to rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow mapsto implies "
        "iff longrightarrow Longrightarrow uparrow downarrow "
        "quad qquad displaystyle textstyle scriptstyle nonumber notag colon vert Vert lvert rvert "
        "lVert rVert langle rangle lfloor rfloor lceil rceil backslash Re Im triangleq "
        "limits nolimits"
    ).split()
}
_DELIMITERS = {"(", ")", "[", "]", ".", "|", "/", r"\{", r"\}", r"\|", r"\langle", r"\rangle",
               r"\lvert", r"\rvert", r"\lVert", r"\rVert", r"\vert", r"\Vert", r"\lfloor",
               r"\rfloor", r"\lceil", r"\rceil"}
_SIZED = {"\\" + n for n in "big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()}
_ARGUMENTS = {
    r"\frac": 2, r"\dfrac": 2, r"\tfrac": 2, r"\binom": 2, r"\overset": 2, r"\underset": 2,
    r"\stackrel": 2, r"\sqrt": 1, r"\hat": 1, r"\widehat": 1, r"\tilde": 1, r"\widetilde": 1,
    r"\bar": 1, r"\overline": 1, r"\underline": 1, r"\vec": 1, r"\dot": 1, r"\ddot": 1,
    r"\check": 1, r"\breve": 1, r"\mathbf": 1, r"\mathrm": 1, r"\mathit": 1, r"\mathcal": 1,
    r"\mathbb": 1, r"\mathsf": 1, r"\mathtt": 1, r"\boldsymbol": 1, r"\operatorname": 1,
    r"\overbrace": 1, r"\underbrace": 1, r"\pmod": 1,
}
_TEXT_COMMANDS = {r"\text", r"\textrm", r"\textit", r"\textbf", r"\mbox", r"\textnormal"}
_ENVIRONMENTS = {"aligned", "gathered", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix",
                 "Vmatrix", "smallmatrix", "cases", "array"}
_CONTROL_SYMBOLS = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\{", r"\}", r"\|", r"\%", r"\_", r"\&",
                    r"\#", r"\$"}
_MATH_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                       "+-=<>()[]/|.,;:!?'*@ ")
_TEXT_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?'()/-+=")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)


class _MathChecker:
    """A recursive reading of the token stream that accepts only what compiles in ``$...$``."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def fail(self, reason: str) -> None:
        raise UnsafeLatexError(reason)

    def peek(self) -> str | None:
        while self.position < len(self.tokens) and self.tokens[self.position].isspace():
            self.position += 1
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str | None:
        token = self.peek()
        if token is not None:
            self.position += 1
        return token

    def run(self) -> None:
        self.sequence(closer=None, aligned=False)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_MATH_DEPTH:
            self.fail("groups are nested too deeply")

    def sequence(self, closer: str | None, aligned: bool) -> None:
        """Read until ``closer`` (``}``, ``]``, ``\\right`` or ``\\end{name}``); ``&`` and ``\\\\`` only in an environment."""
        self.enter()
        superscript = subscript = False
        previous = ""
        while True:
            token = self.take()
            if token is None:
                if closer is not None:
                    self.fail(f"a group is not closed (missing {closer.split(':')[0]})")
                break
            if token == closer or (closer == r"\right" and token == r"\right"):
                if token == r"\right":
                    self.delimiter()
                break
            if token == r"\end":
                name = self.environment_name()
                if closer != f"\\end:{name}":
                    self.fail(f"\\end{{{name}}} without a matching \\begin")
                break
            new_atom = True
            if token == "{":
                self.sequence("}", aligned=False)
            elif token in ("}", "]") and closer != token:
                if token == "}":
                    self.fail("a closing brace has no opening brace")
            elif token in ("^", "_"):
                if (superscript if token == "^" else subscript):
                    self.fail(f"double {'superscript' if token == '^' else 'subscript'}")
                self.argument()
                superscript, subscript = superscript or token == "^", subscript or token == "_"
                new_atom = False
            elif token == "'":
                if superscript:
                    self.fail("a prime after a superscript")
                new_atom = False
            elif token in ("&", "\\\\"):
                if not aligned:
                    self.fail(f"{token} outside an aligned environment")
                if token == "\\\\" and self.peek() in ("[", "*"):
                    self.fail("\\\\ followed by [ or *")
            elif token == r"\left":
                self.delimiter()
                self.sequence(r"\right", aligned=False)
            elif token == r"\right":
                self.fail("\\right without \\left")
            elif token == r"\begin":
                name = self.environment_name()
                if name not in _ENVIRONMENTS:
                    self.fail(f"environment {name!r} is not allowed here")
                if name == "array":
                    self.column_spec()
                self.sequence(f"\\end:{name}", aligned=True)
            elif token in _SIZED:
                self.delimiter()
            elif token in (r"\limits", r"\nolimits"):
                if previous not in _BIG_OPERATORS and not previous.startswith(r"\operatorname"):
                    self.fail(f"{token} after something that is not an operator")
                new_atom = False
            elif token in _NO_ARGUMENT or token in _CONTROL_SYMBOLS:
                pass
            elif token in _ARGUMENTS:
                if token == r"\operatorname" and self.peek() == "*":
                    self.take()
                if token == r"\sqrt" and self.peek() == "[":
                    self.take()
                    self.sequence("]", aligned=False)
                for _ in range(_ARGUMENTS[token]):
                    self.argument()
            elif token in _TEXT_COMMANDS:
                self.text_argument()
            elif token.startswith("\\"):
                self.fail(f"the command {token} is not allowed")
            elif token not in _MATH_CHARACTERS:
                self.fail(f"the character {token!r} is not allowed in math")
            if new_atom:
                superscript = subscript = False
            previous = token
        self.depth -= 1

    def argument(self) -> None:
        token = self.take()
        if token is None:
            self.fail("a command or script is missing its argument")
        elif token == "{":
            self.sequence("}", aligned=False)
        elif token in _NO_ARGUMENT and token not in (r"\limits", r"\nolimits") or token in _CONTROL_SYMBOLS:
            return
        elif len(token) == 1 and token in _MATH_CHARACTERS and token not in "'":
            return
        else:
            self.fail(f"{token!r} cannot be the argument of a command or script")

    def text_argument(self) -> None:
        if self.take() != "{":
            self.fail("\\text needs a braced argument")
        while True:
            token = self.tokens[self.position] if self.position < len(self.tokens) else None
            self.position += 1
            if token is None:
                self.fail("\\text{ is not closed")
            if token == "}":
                return
            if not (token.isspace() or token in (r"\,", "\\ ") or all(c in _TEXT_CHARACTERS for c in token)):
                self.fail(f"{token!r} is not allowed inside \\text")

    def environment_name(self) -> str:
        if self.take() != "{":
            self.fail("\\begin or \\end without a braced name")
        name = ""
        while (token := self.take()) not in ("}", None):
            name += token
        if token is None or not name.isalpha():
            self.fail("a malformed environment name")
        return name

    def column_spec(self) -> None:
        if self.take() != "{":
            self.fail("array needs its column specification")
        spec = ""
        while (token := self.take()) not in ("}", None):
            spec += token
        if token is None or not spec or set(spec) - set("lcr|"):
            self.fail("an array column specification other than l, c, r and |")

    def delimiter(self) -> None:
        token = self.take()
        if token not in _DELIMITERS:
            self.fail(f"{token!r} is not a delimiter")


def sanitize_math(latex: str) -> str:
    r"""Return student math LaTeX that is safe to typeset inside ``$...$``, or raise.

    Only whitelisted commands pass (fractions, sums, Greek letters, accents such as ``\hat``,
    ``\left``/``\right``, ``aligned`` and matrix environments, ``\text`` with plain words);
    braces, ``\left``/``\right`` pairs and environments must balance; a script needs an
    argument and may not be doubled; ``&`` and ``\\`` only inside an environment. A few
    Unicode symbols are mapped to commands and whitespace runs (which could end a paragraph)
    become one space. Everything else, ``\input``, ``\write18``, ``\def``, ``\catcode`` and
    any unknown command included, is refused.

    Parameters
    ----------
    latex : str
        The math as the student wrote it, without the ``$`` delimiters.

    Returns
    -------
    str
        The same math, normalised.

    Raises
    ------
    UnsafeLatexError
        With the reason, in words; the caller then shows the text verbatim.

    Examples
    --------
    >>> from symsoft.render.latex.sanitize import sanitize_math
    >>> sanitize_math(r"\frac{\partial}{\partial z_j}  \sigma(z_i) = \sigma(z_i)(\delta_{ij} - \sigma(z_j))")
    '\\frac{\\partial}{\\partial z_j} \\sigma(z_i) = \\sigma(z_i)(\\delta_{ij} - \\sigma(z_j))'
    >>> sanitize_math(r"\input{/etc/passwd}")
    Traceback (most recent call last):
    ...
    symsoft.errors.UnsafeLatexError: the command \input is not allowed
    >>> sanitize_math(r"x_1_2")
    Traceback (most recent call last):
    ...
    symsoft.errors.UnsafeLatexError: double subscript
    >>> sanitize_math("x \\ ")
    'x'
    """
    if len(latex) > MAX_MATH_LENGTH:
        raise UnsafeLatexError(f"longer than {MAX_MATH_LENGTH} characters")
    text = "".join(_UNICODE_MATH.get(char, char) for char in latex)
    tokens = [" " if t.isspace() else t for t in _TOKEN.findall(text)]
    _MathChecker(tokens).run()
    while tokens and tokens[-1] in (" ", "\\ "):  # a trailing control space would escape the closing $
        tokens.pop()
    return re.sub(r"\s+", " ", "".join(tokens)).strip()


#: Every piece of student math (see :func:`engine_refused`).
EVERY_PIECE = "every piece"
#: Why math the TeX engine refused is shown verbatim.
ENGINE_REFUSED = "the TeX engine stopped on it"
#: Student math the TeX engine refused in an earlier build (a set of the LaTeX as written, or EVERY_PIECE),
#: and the math typeset in this build (as written, and as sanitised) for finding the piece an error is in.
_refused: contextvars.ContextVar = contextvars.ContextVar("symsoft_refused_math", default=frozenset())
_typeset: contextvars.ContextVar = contextvars.ContextVar("symsoft_typeset_math", default=None)


@contextlib.contextmanager
def engine_refused(refused, typeset: dict | None = None) -> Iterator[None]:
    r"""Within the block, student math in ``refused`` (or all of it, with ``EVERY_PIECE``) is shown verbatim,
    and ``typeset`` (when given) collects each piece typeset as math: LaTeX as written -> as sanitised.

    Math can pass the whitelist and still stop pdflatex (``x^\quad``, ``\sqrt\sum``); the PDF build then
    shows that piece verbatim and builds again (:func:`symsoft.render.latex.report.report_pdf`).

    >>> with engine_refused({r"x^\quad"}):
    ...     _math_or_verbatim(r"x^\quad"), _math_or_verbatim("x^2")
    (('verbatim', 'the TeX engine stopped on it'), ('math', 'x^2'))
    """
    tokens = _refused.set(refused), _typeset.set(typeset)
    try:
        yield
    finally:
        _typeset.reset(tokens[1])
        _refused.reset(tokens[0])


def _math_or_verbatim(latex: str) -> tuple[str, str]:
    """``("math", safe)`` when the student's LaTeX passes the whitelist, else ``("verbatim", reason)``."""
    refused = _refused.get()
    if refused == EVERY_PIECE or latex in refused:
        return "verbatim", ENGINE_REFUSED
    try:
        safe = sanitize_math(latex)
    except UnsafeLatexError as error:
        return "verbatim", str(error)
    typeset = _typeset.get()
    if typeset is not None and safe:
        typeset.setdefault(latex, safe)
    return "math", safe
