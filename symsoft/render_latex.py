r"""LaTeX documents: machine-checked proofs for lecture notes, annotated homework for students.

Three public jobs, one per function:

- :func:`proofs_document` typesets the :class:`~symsoft.models.softmax.proofs.Proof` values of the softmax
  model as theorems and proofs. Every displayed step is re-checked with
  :func:`~symsoft.models.softmax.proofs.check_step` and printed from its SymPy objects by
  :class:`NotationPrinter` (sigma_k as :math:`\sigma_k`, y_k as :math:`\hat{y}_k`, the weight
  w_{t,k} as :math:`w_t^{(k)}`), so what is shown is what was checked.
- :func:`report_document` typesets a :class:`~symsoft.decide.verdicts.Report`: the student's
  equations one by one with a mark in the margin, counterexamples, repairs, findings and a
  summary table. Student LaTeX is untrusted: :func:`sanitize_math` lets through a whitelist of
  math commands with balanced groups and shows anything else verbatim.
- :func:`compile_pdf` runs a real TeX engine (latexmk, else pdflatex) without shell escape and
  with file access limited to its own folder, and fails on any error or undefined reference.

>>> from symsoft.render_latex import latex_of
>>> import sympy as sp
>>> latex_of(sp.Symbol("w_{2,3}") * sp.Symbol("y_1"))
'w_{2}^{(3)} \\hat{y}_{1}'
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from symsoft.errors import TeXCompileError, TeXEngineMissing, UnsafeLatexError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from symsoft.models.softmax.proofs import Proof, ProofStep
    from symsoft.models.softmax.proofs_every_c import GeneralProof
    from symsoft.decide.verdicts import Counterexample, EquationVerdict, Report, StepVerdict

#: How to get a TeX engine on Debian or Ubuntu; the smallest set that compiles symsoft's documents.
INSTALL_HINT = "apt-get install texlive-latex-base latexmk"

#: Seconds one compilation may take before it is stopped.
COMPILE_TIMEOUT = 120.0

#: Longest student equation (in characters) that is typeset rather than shown verbatim.
MAX_MATH_LENGTH = 4000

#: Deepest nesting of groups, ``\left`` and environments accepted in student LaTeX (TeX allows 255).
MAX_MATH_DEPTH = 40

#: Sums with more terms, and matrices with more rows or columns, are shown with an ellipsis.
MAX_TERMS = 6
MAX_MATRIX_SIDE = 4


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
    >>> from symsoft.render_latex import escape_text
    >>> print(escape_text(r"50% of \input{x} & y_1"))
    50\% of \textbackslash{}input\{x\} \& y\_1
    >>> escape_text("naïve σ")
    'naive ?'
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
    >>> from symsoft.render_latex import sanitize_math
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


def _math_or_verbatim(latex: str) -> tuple[str, str]:
    """``("math", safe)`` when the student's LaTeX passes the whitelist, else ``("verbatim", reason)``."""
    try:
        return "math", sanitize_math(latex)
    except UnsafeLatexError as error:
        return "verbatim", str(error)


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

    >>> from symsoft.render_latex import _prose
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
    left, relation, right = match.groups()
    return f"${_subscripts(left)} {_RELATION_WORDS[relation]} {_subscripts(right)}$"


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

    >>> from symsoft.render_latex import _rule_text
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


# -- SymPy objects in the profile's notation -----------------------------------------------------
_SYMBOL_NAME = re.compile(r"^([A-Za-z]+)_(?:\{(\d+),(\d+)\}|(\d+))$")


def _natural_order(terms: list, always: bool = False) -> list:
    """Terms that differ only in their indices in index order (sigma_2 before sigma_10); others as SymPy orders them.

    With ``always`` (factors of a product) every list is sorted by name, numbers compared as numbers.
    """
    shapes = {re.sub(r"\d+", "#", sp.sstr(t)) for t in terms}
    if len(shapes) != 1 and not always:
        return terms
    return sorted(terms, key=lambda t: re.sub(r"\d+", lambda m: m.group().zfill(8), sp.sstr(t)))


def _is_power_of_symbol(factor: sp.Basic) -> bool:
    base = factor.base if factor.is_Pow and factor.exp.is_Integer and factor.exp > 0 else factor
    return isinstance(base, (sp.Symbol, sp.Indexed)) and not isinstance(base, sp.Dummy)


class NotationPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer with the course notation and textbook layout.

    - ``sigma_k`` prints :math:`\sigma_{k}`, ``y_k`` :math:`\hat{y}_{k}` (the label), ``w_{t,k}``
      :math:`w_{t}^{(k)}` (feature t, class k), ``KroneckerDelta(i, j)`` :math:`\delta_{ij}`;
      indexed claims (``sigma[k]``, ``W[j, i]``) print the same way.
    - Derivatives are partial, with a simple function in the numerator; ``log`` of a symbol
      has no brackets; positive terms come first (:math:`v_1 - m`, not :math:`-m + v_1`).
    - Sums of more than :data:`MAX_TERMS` terms and matrices larger than
      :data:`MAX_MATRIX_SIDE` are elided with dots, keeping the first and the last entries.
    - A ``Dummy`` symbol is refused: a displayed step must not show an internal name.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.render_latex import NotationPrinter
    >>> s1, z1 = sp.Symbol("sigma_1", positive=True), sp.Symbol("z_1", real=True)
    >>> NotationPrinter().doprint(sp.Derivative(s1, z1))
    '\\frac{\\partial \\sigma_{1}}{\\partial z_{1}}'
    >>> i, j = sp.symbols("i j", integer=True)
    >>> NotationPrinter().doprint(sp.KroneckerDelta(i, j) - sp.Symbol("m"))
    '\\delta_{ij} - m'
    >>> NotationPrinter().doprint(sp.Dummy("x"))
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: internal dummy symbol x cannot be displayed
    """

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings or {})

    # symbols and indexed names
    def _print_Dummy(self, expr: sp.Dummy) -> str:
        msg = f"internal dummy symbol {expr.name} cannot be displayed"
        raise UsageError(msg, expr)

    def _name(self, stem: str, indices: Sequence[str]) -> str:
        if stem in ("w", "W", "u", "U") and len(indices) == 2:
            return f"{stem.lower()}_{{{indices[0]}}}^{{({indices[1]})}}"
        base = {"y": r"\hat{y}", "yhat": r"\hat{y}"}.get(stem, "\\" + stem if stem in _GREEK else stem)
        if stem == "delta" and len(indices) == 2:
            return rf"\delta_{{{''.join(indices)}}}"
        return f"{base}_{{{','.join(indices)}}}"

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        match = _SYMBOL_NAME.match(expr.name)
        if match:
            stem, first, second, single = match.groups()
            if stem == "delta" and single and len(single) == 2:
                return self._name(stem, list(single))
            return self._name(stem, [first, second] if first else [single])
        return super()._print_Symbol(expr, style=style)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        return self._name(str(expr.base.label), [self._print(i) for i in expr.indices])

    def _print_Softmax(self, expr: sp.Expr, exp: str | None = None) -> str:
        tex = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return rf"{tex}^{{{exp}}}" if exp else tex

    def _print_Partial(self, expr: sp.Expr, exp: str | None = None) -> str:
        from symsoft.models.softmax.semantics import Partial, Softmax

        operand, variables = expr.args[0], [expr.args[1]]
        while isinstance(operand, Partial):
            operand, variables = operand.args[0], [operand.args[1], *variables]
        top = r"\partial" + (f"^{{{len(variables)}}}" if len(variables) > 1 else "")
        denominator = " ".join(rf"\partial {self._print(v)}" for v in variables)
        if isinstance(operand, (sp.Symbol, sp.Indexed, Softmax)):
            tex = rf"\frac{{{top} {self._print(operand)}}}{{{denominator}}}"
        else:
            tex = rf"\frac{{{top}}}{{{denominator}}} \left({self._print(operand)}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Sum(self, expr: sp.Sum) -> str:
        tex = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            tex = rf"\left({tex}\right)"
        for variable, low, high in expr.limits:  # the last limit is the outermost sum
            tex = rf"\sum_{{{self._print(variable)}={self._print(low)}}}^{{{self._print(high)}}} {tex}"
        return tex

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool = False, last: bool = False) -> bool:
        if isinstance(expr, sp.Pow) and isinstance(expr.base, sp.Add) and expr.exp.is_Integer:
            return False  # (a + b)^2 is bracketed already, whatever sums it holds
        return super()._needs_mul_brackets(expr, first=first, last=last)

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        first, second = (self._print(a) for a in expr.args)
        joined = first + second if len(first) == 1 and len(second) == 1 else f"{first},{second}"
        tex = rf"\delta_{{{joined}}}"
        return f"{{{tex}}}^{{{exp}}}" if exp else tex

    # calculus
    def _print_Derivative(self, expr: sp.Derivative) -> str:
        order = sum(count for _, count in expr.variable_count)
        denominator = " ".join(
            rf"\partial {self._print(v)}" if count == 1 else rf"\partial {self._braced(v)}^{{{count}}}"
            for v, count in reversed(expr.variable_count)
        )
        top = r"\partial" + (f"^{{{order}}}" if order > 1 else "")
        function = expr.expr
        if isinstance(function, (sp.Symbol, sp.Indexed)):
            return rf"\frac{{{top} {self._print(function)}}}{{{denominator}}}"
        return rf"\frac{{{top}}}{{{denominator}}} {self.parenthesize(function, PRECEDENCE['Mul'], strict=True)}"

    def _braced(self, expr: sp.Basic) -> str:
        """``expr`` printed, in brackets when it has a superscript already (a power of it would be a double one)."""
        tex = self._print(expr)
        return rf"\left({tex}\right)" if "^" in tex else tex

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        argument = expr.args[0]
        if isinstance(argument, (sp.Symbol, sp.Indexed)):
            tex = rf"\log {self._print(argument)}"
            return rf"\left(\log {self._print(argument)}\right)^{{{exp}}}" if exp else tex
        tex = rf"\log\left({self._print(argument)}\right)"
        return f"{tex}^{{{exp}}}" if exp else tex

    # layout
    def _as_ordered_terms(self, expr, order=None):
        terms = list(super()._as_ordered_terms(expr, order=order))
        groups = ([t for t in terms if not t.could_extract_minus_sign()],
                  [t for t in terms if t.could_extract_minus_sign()])
        return [term for group in groups for term in _natural_order(group)]

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = self._as_ordered_terms(expr, order=order)
        if len(terms) > MAX_TERMS:
            hidden = terms[3:-1]
            dots = r" - \dots" if all(t.could_extract_minus_sign() for t in hidden) else r" + \dots"
            shown: list = [*terms[:3], dots, terms[-1]]
        else:
            shown = terms
        tex = ""
        for position, term in enumerate(shown):
            if isinstance(term, str):
                tex += term
                continue
            if position == 0:
                pass
            elif term.could_extract_minus_sign():
                tex += " - "
                term = -term
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        # Textbook order: sigma_9 before sigma_10, and sigma_i (delta_ij - sigma_j) with the bracket last.
        coefficient, factors = expr.as_coeff_mul()
        if coefficient.is_Integer and factors and all(_is_power_of_symbol(f) for f in factors):
            body = " ".join(self._print(f) for f in _natural_order(list(factors), always=True))
            if coefficient == 1:
                return body
            return f"- {body}" if coefficient == -1 else f"{coefficient} {body}".replace("-", "- ", 1)
        factors = expr.as_ordered_factors()
        simple = not expr.could_extract_minus_sign() and all(
            not f.is_Number and not (f.is_Pow and f.exp.is_negative) for f in factors
        )
        if not simple or not any(f.is_Add for f in factors):
            return super()._print_Mul(expr)
        ordered = _natural_order([f for f in factors if not f.is_Add], always=True)
        ordered += [f for f in factors if f.is_Add]
        return " ".join(
            rf"\left({self._print(f)}\right)" if f.is_Add else self.parenthesize(f, PRECEDENCE["Mul"])
            for f in ordered
        )

    def _print_MatrixBase(self, expr) -> str:
        def shown(count: int) -> list[int | None]:
            if count <= MAX_MATRIX_SIDE:
                return list(range(count))
            return [0, 1, None, count - 1]

        rows, cols = shown(expr.rows), shown(expr.cols)
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                if r is None and c is None:
                    cells.append(r"\ddots")
                elif r is None:
                    cells.append(r"\vdots")
                elif c is None:
                    cells.append(r"\cdots")
                else:
                    cells.append(self._print(expr[r, c]))
            lines.append(" & ".join(cells))
        return r"\begin{pmatrix}" + r" \\ ".join(lines) + r"\end{pmatrix}"

    _print_ImmutableMatrix = _print_ImmutableDenseMatrix = _print_Matrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase


def latex_of(expr: sp.Basic) -> str:
    r"""Print a SymPy expression (or matrix) with :class:`NotationPrinter`.

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    str
        LaTeX for math mode.

    Examples
    --------
    >>> import sympy as sp
    >>> from symsoft.render_latex import latex_of
    >>> latex_of(sp.log(sp.Symbol("sigma_2")))
    '\\log \\sigma_{2}'
    >>> latex_of(sp.Add(*sp.symbols("z_1:9")))
    'z_{1} + z_{2} + z_{3} + \\dots + z_{8}'
    """
    return NotationPrinter().doprint(expr)


_RELATION_LATEX = {"=": "=", "<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq"}


# -- the document frame ------------------------------------------------------------------------------
_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{amsthm}
\usepackage{graphicx}
\usepackage{color}
\usepackage{longtable}
\usepackage[a4paper,top=2.5cm,bottom=2.5cm,left=3.2cm,right=2.6cm]{geometry}
\definecolor{proved}{rgb}{0.0,0.45,0.2}
\definecolor{refuted}{rgb}{0.75,0.0,0.0}
\definecolor{unverified}{rgb}{0.75,0.42,0.0}
\definecolor{definition}{rgb}{0.1,0.3,0.65}
\definecolor{quiet}{rgb}{0.35,0.35,0.35}
\newsavebox{\ssbox}
\newlength{\sswidth}
% \ssfit{width}{math}: the formula at its natural size, shrunk only when wider than the width.
\newcommand{\ssfit}[2]{\setlength{\sswidth}{#1}\sbox{\ssbox}{$\displaystyle #2$}%
  \ifdim\wd\ssbox>\sswidth\resizebox{\sswidth}{!}{\usebox{\ssbox}}\else\usebox{\ssbox}\fi}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
"""

_PROOF_MACROS = r"""\theoremstyle{plain}
\newtheorem{theorem}{Theorem}
% \ssstep{number}{lhs}{relation}{rhs}{rule}: one checked step, numbered as in the proof, the rule
% beneath it; a step too wide for the line continues on a second line after its left-hand side.
\newlength{\ssindent}
\setlength{\ssindent}{2.4em}
\newcommand{\ssstep}[5]{\par\smallskip\noindent\makebox[\ssindent][l]{(#1)}%
  \setlength{\sswidth}{\dimexpr\linewidth-\ssindent\relax}%
  \sbox{\ssbox}{$\displaystyle #2 #3 #4$}%
  \ifdim\wd\ssbox>\sswidth
    \ssfit{\dimexpr\linewidth-\ssindent\relax}{#2}\par\nopagebreak\vspace{-\parskip}\noindent
    \hspace*{\dimexpr\ssindent+2em\relax}\ssfit{\dimexpr\linewidth-\ssindent-2em\relax}{{}#3 #4}%
  \else\usebox{\ssbox}\fi
  \par\nopagebreak\vspace{-\parskip}\noindent\hspace*{\ssindent}%
  \parbox[t]{\dimexpr\linewidth-\ssindent\relax}{\small\leavevmode\color{quiet}#5}\par}
"""

_REPORT_MACROS = r"""% \ssmark{status}{symbol}: a coloured mark in the left margin of the paragraph that follows.
\newcommand{\ssmark}[2]{\leavevmode\llap{\textcolor{#1}{#2}\hspace{1.2em}}}
\newcommand{\ssproved}{$\checkmark$}
\newcommand{\ssrefuted}{$\boldsymbol{\times}$}
\newcommand{\ssunverified}{\textbf{?}}
\newcommand{\ssdefinition}{$\equiv$}
\newcommand{\ssfinding}{\textbf{!}}
"""


def _document(title: str, subtitle: str, macros: str, body: Iterable[str]) -> str:
    return "\n".join([
        _PREAMBLE + macros,
        r"\begin{document}",
        r"\begin{center}{\Large\bfseries " + title + r"}\\[4pt]{\small " + subtitle + r"}\end{center}",
        r"\medskip",
        *body,
        r"\end{document}",
        "",
    ])


# -- proofs ---------------------------------------------------------------------------------------------
def _checked_step_latex(proof: "Proof", number: int, step: "ProofStep") -> str:
    """Re-check the step, then print it as ``{lhs}{relation}{rhs}``; an altered step raises ProofError here."""
    from symsoft.models.softmax.proofs import check_step

    check_step(step, proof=proof.name, number=number)
    return f"{{{latex_of(step.lhs)}}}{{{_RELATION_LATEX[step.relation]}}}{{{latex_of(step.rhs)}}}"


#: How a document of checked proofs begins (for a given C, or for a model read from YAML).
_CHECKED_INTRO = (
    r"\noindent Each theorem below is followed by its proof as symsoft checked it with SymPy:",
    r"every numbered step is a SymPy equality or inequality, checked when this document was",
    r"generated (equalities by simplifying the difference to zero, inequalities from the signs of",
    r"its terms, never by sampling) and printed from the checked objects by SymPy's \LaTeX{} printer.",
)


def _steps_tex(proof: "Proof", theorem_of: dict[str, str]) -> list[str]:
    """Each step re-checked and set with ``\\ssstep``, its rule (and note) beneath it."""
    lines = []
    for number, step in enumerate(proof.steps, start=1):
        rule = _rule_text(step.rule, theorem_of)
        if step.note:
            rule += r"\\ \emph{" + _rule_text(step.note, theorem_of) + "}"
        lines.append(rf"\ssstep{{{number}}}{_checked_step_latex(proof, number, step)}{{{rule}}}")
    return lines


def _index_ranges(claim: sp.Basic, classes: str, features: str) -> str:
    """``k = 1, \\dots, C`` for each free index of the claim, a feature index (of x or W's rows) up to D."""
    free = sorted(claim.free_symbols - {s for e in claim.atoms(sp.Indexed) for s in e.base.free_symbols},
                  key=str)
    feature = {e.indices[0] for e in claim.atoms(sp.Indexed) if str(e.base) in ("x", "W")}
    parts = [rf"{latex_of(i)} = 1, \dots, {features if i in feature else classes}" for i in free
             if isinstance(i, sp.Symbol) and i.is_integer]
    return ", ".join(parts)


def _features(proofs: Sequence["Proof"]) -> int:
    names = {s.name for p in proofs for step in p.steps for side in (step.lhs, step.rhs)
             for s in side.free_symbols if isinstance(s, sp.Symbol)}
    numbers = [int(m.group(1)) for n in names if (m := re.fullmatch(r"x_(\d+)", n))]
    return max(numbers, default=0)


def _notation() -> str:
    """The definitions the proofs use, printed from SymPy objects in the proofs' notation."""
    c, k, t = (sp.Symbol(n, integer=True, positive=True) for n in "ckt")
    C, D, S = sp.Symbol("C"), sp.Symbol("D"), sp.Symbol("S")
    sigma, z, y, x, W = (sp.IndexedBase(n) for n in ("sigma", "z", "y", "x", "W"))
    softmax = sp.Eq(sigma[k], sp.exp(z[k]) / S)
    partition = sp.Eq(S, sp.Sum(sp.exp(z[c]), (c, 1, C)))
    logits = sp.Eq(z[k], sp.Sum(W[t, k] * x[t], (t, 1, D)))
    labels = sp.Eq(sp.Sum(y[k], (k, 1, C)), 1)
    inline = NotationPrinter({"fold_short_frac": True})
    softmax_tex = inline.doprint(softmax)
    return (rf"The softmax outputs are ${softmax_tex}$ with ${latex_of(partition)}$, the logits are"
            rf" ${latex_of(logits)}$ and the labels satisfy ${latex_of(y[k])} \geq 0$ and ${latex_of(labels)}$.")


def proofs_document(proofs: Sequence["Proof"], classes: int) -> str:
    r"""A complete LaTeX document with a theorem and a machine-checked proof for each Proof.

    Every step is re-checked with :func:`symsoft.models.softmax.proofs.check_step` before it is printed, and
    printed from its SymPy objects with :class:`NotationPrinter`; a step that does not check
    makes generation fail with :class:`~symsoft.errors.ProofError`. For a given C the steps
    show explicit sums and matrices (long ones elided with dots). The proofs for every C at once
    are typeset by :func:`every_c_document`.

    Parameters
    ----------
    proofs : sequence of Proof
        From :func:`symsoft.models.softmax.proofs.prove_all`, all for the same number of classes.
    classes : int
        That number of classes C.

    Returns
    -------
    str
        A document for pdflatex (article, amsmath, amssymb, amsthm, graphicx, color).

    Raises
    ------
    ProofError
        If a step does not check.

    Examples
    --------
    >>> from symsoft.models.softmax.model import SoftmaxRegression
    >>> from symsoft.models.softmax.proofs import prove_sum_to_one
    >>> tex = proofs_document([prove_sum_to_one(SoftmaxRegression(classes=2))], classes=2)
    >>> tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    True
    >>> print(next(line for line in tex.splitlines() if line.startswith(r"\ssstep{2}")))
    \ssstep{2}{\sigma_{1} + \sigma_{2}}{=}{\frac{e^{z_{1}}}{S} + \frac{e^{z_{2}}}{S}}{definition of softmax, for every $k$}
    """
    proofs = tuple(proofs)
    for proof in proofs:
        if proof.classes != classes:
            msg = f"proof {proof.name!r} was checked for C = {proof.classes}, not for C = {classes}"
            raise UsageError(msg, proof.name, proof.classes, classes)
    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    D = _features(proofs)
    intro = [
        *_CHECKED_INTRO,
        r"Beneath each step, in grey, is the rule it rests on.",
        _notation(),
        r"A step about class $1$ (or the pair of classes $1, 2$) stands for every class (pair): the",
        r"definitions treat all classes alike.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        body.extend(_proof_section(proof, classes, D, theorem_of))
    title = "Softmax regression: machine-checked proofs"
    subtitle = rf"$C = {classes}$ classes, $D = {D}$ features"
    return _document(title, subtitle + r" \quad $\cdot$ \quad generated by symsoft", _PROOF_MACROS, body)


def _proof_section(proof: "Proof", classes: int, D: int, theorem_of: dict[str, str]) -> list[str]:
    claim = proof.claim
    ranges = _index_ranges(proof.claim, str(classes), "D")
    scope = rf"For $C = {classes}$ classes"
    where = rf" and every ${ranges}$" if ranges else ""
    vectors = sorted({str(e.base) for e in proof.claim.atoms(sp.Indexed)} & {"v"})
    if vectors:
        dimension = str(classes)
        where += "".join(rf" and every vector ${v} \in \mathbb{{R}}^{{{dimension}}}$" for v in vectors)
    lines = [
        rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
        rf"{scope}{where},",
        rf"\[ {latex_of(claim)} \]",
        r"\end{theorem}",
        r"\begin{proof}",
        rf"All {len(proof.steps)} steps were checked by SymPy for $C = {classes}$ classes"
        + (rf" and $D = {D}$ features." if _features([proof]) else "."),
    ]
    lines += _steps_tex(proof, theorem_of)
    lines += [
        r"\par\medskip",
        rf"The argument holds for {_rule_text(proof.holds_for, theorem_of)}.",
        r"\end{proof}",
        "",
    ]
    return lines


def model_proofs_document(proofs: Sequence["Proof"], derivation) -> str:
    r"""A LaTeX document with a theorem and a machine-checked proof for each proof of a model read from YAML.

    Like :func:`proofs_document`, every step is re-checked with :func:`symsoft.models.softmax.proofs.check_step`
    and printed from its SymPy objects; the theorem states the model's own closed form (its LaTeX
    from the YAML) and the sizes the steps were checked for.

    Parameters
    ----------
    proofs : sequence of Proof
        From :func:`symsoft.models.prove.prove_model`.
    derivation : ModelDerivation
        The model and the sizes the proofs were checked for.

    Returns
    -------
    str

    Examples
    --------
    >>> from symsoft.models.derive import ModelDerivation
    >>> from symsoft.models.prove import prove_gradient
    >>> d = ModelDerivation("linear", {"N": 1, "D": 1})
    >>> tex = model_proofs_document([prove_gradient(d)], d)
    >>> tex.startswith(r"\documentclass") and r"\begin{theorem}" in tex
    True
    """
    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    sizes = ", ".join(rf"${axis} = {size}$" for axis, size in derivation.sizes.items())
    definitions = ", ".join(rf"${d}$" for d in derivation.model_definitions_latex())
    intro = [
        *_CHECKED_INTRO,
        rf"The model {escape_text(derivation.model.name)} defines {definitions}.",
        rf"The steps are checked for {sizes}, every entry written out.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        claim = sanitize_math(proof.claim_latex) if proof.claim_latex else latex_of(proof.claim)
        body += [
            rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
            rf"For {_rule_text(proof.sizes, {})},",
            rf"\[ {claim} \]",
            r"\end{theorem}",
            r"\begin{proof}",
            rf"All {len(proof.steps)} steps were checked by SymPy for {_rule_text(proof.sizes, {})}.",
        ]
        body += _steps_tex(proof, theorem_of)
        body += [r"\par\medskip", rf"The argument holds for {_rule_text(proof.holds_for, theorem_of)}.",
                 r"\end{proof}", ""]
    title = escape_text(derivation.model.description[:1].upper() + derivation.model.description[1:])
    return _document(title + ": machine-checked proofs", sizes + r" \quad $\cdot$ \quad generated by symsoft",
                     _PROOF_MACROS, body)


def every_c_document(proofs: Sequence["GeneralProof"]) -> str:
    r"""A LaTeX document with the theorems proved for every number of classes C at once.

    Every step is re-checked (:func:`symsoft.models.softmax.proofs_every_c.check_general_step`) before it is
    printed from its SymPy objects; a step that does not check raises
    :class:`~symsoft.errors.ProofError`.

    >>> from symsoft.models.softmax.proofs_every_c import prove_sum_to_one
    >>> tex = every_c_document([prove_sum_to_one()])
    >>> r"\sum_{k=1}^{C} \sigma\left(z_{k}\right)" in tex and tex.rstrip().endswith(r"\end{document}")
    True
    """
    from symsoft.models.softmax.proofs_every_c import check_general_step

    theorem_of = {p.name: "thm:" + re.sub(r"[^A-Za-z0-9]", "-", p.name) for p in proofs}
    intro = [
        r"\noindent Each theorem below holds for every number of classes $C$ from the one it names on.",
        r"Its proof is a chain of steps in index notation; symsoft checked every step for every $C$ at once,",
        r"with the checker it uses on students' derivations: one case for each pattern of equalities among",
        r"the free class indices (for $i, j$: $i = j$ and $i \neq j$), the classes the indices name written out,",
        r"and all the other classes, however many, summed as a \emph{rest} whose sums are independent",
        r"quantities, so that an identity for them is an identity for every $C$. The smallest $C$ is",
        r"checked exactly. A step marked \emph{term by term} proves $\sum_k f_k \geq 0$ by proving $f_k \geq 0$",
        r"for every $k$ and every $C$. Nothing is sampled. The softmax is",
        r"$\sigma(z_k) = e^{z_k} / \sum_{c=1}^{C} e^{z_c}$, the loss $l = -\sum_{k=1}^{C} \hat{y}_k \log \sigma(z_k)$",
        r"with labels $\hat{y}_k \geq 0$, the logits $z_k = \sum_{t=1}^{D} w_t^{(k)} x_t$, and $v \in \mathbb{R}^C$",
        r"is any direction.",
    ]
    body = [" ".join(intro), ""]
    for proof in proofs:
        body += [
            rf"\begin{{theorem}}[{{{_rule_text(proof.title, {})}}}]\label{{{theorem_of[proof.name]}}}",
            rf"For every number of classes $C \geq {proof.smallest}$,",
            rf"\[ {proof.claim_latex} \]",
            r"\end{theorem}",
            r"\begin{proof}",
        ]
        for number, step in enumerate(proof.steps, start=1):
            check_general_step(step, proof.smallest, proof=proof.name, number=number)
            left = latex_of(step.lhs) if number == 1 else ""
            rule = _rule_text(step.rule, theorem_of) + (r" \emph{(term by term)}" if step.termwise else "")
            body.append(rf"\ssstep{{{number}}}{{{left}}}{{{_RELATION_LATEX[step.relation]}}}{{{latex_of(step.rhs)}}}{{{rule}}}")
        used = [_FACT_LATEX.get(f, _prose(f)) for f in proof.facts]
        body += [
            r"\par\medskip",
            rf"Every step was proved for every $C \geq {proof.smallest}$"
            + (" using " + ", ".join(used) if used else "") + ".",
            r"\end{proof}",
            "",
        ]
    title = "Softmax regression: proofs for every number of classes"
    return _document(title, r"checked for every $C$ at once \quad $\cdot$ \quad generated by symsoft", _PROOF_MACROS, body)


# -- the annotated report ---------------------------------------------------------------------------------
_MARK = {"proved": r"\ssproved", "refuted": r"\ssrefuted", "unverified": r"\ssunverified",
         "definition": r"\ssdefinition"}
_FACT_LATEX = {"label_sum": r"$\sum_k \hat{y}_k = 1$", "label_nonnegative": r"$\hat{y}_k \geq 0$"}


def _status(status: str) -> str:
    return rf"\textcolor{{{status}}}{{\textbf{{{status}}}}}"


def _display(latex: str, frame: str = "") -> list[str]:
    """The student's math centred on its own line (framed in a colour), or verbatim with the reason."""
    kind, value = _math_or_verbatim(latex)
    if kind == "math" and value and frame:
        width = r"\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax"
        framed = rf"\fcolorbox{{{frame}}}{{white}}{{\ssfit{{{width}}}{{{value}}}}}"
        return [rf"\begin{{center}}\setlength{{\fboxrule}}{{0.8pt}}{framed}\end{{center}}"]
    if kind == "math" and value:
        return [rf"\begin{{center}}\ssfit{{\linewidth}}{{{value}}}\end{{center}}"]
    reason = escape_text(value) if kind == "verbatim" else "it is empty"
    return [
        r"\begin{flushleft}" + _verbatim(latex) + r"\end{flushleft}",
        rf"{{\small\color{{quiet}}(shown verbatim as written: symsoft does not typeset it because {reason})}}",
        "",
    ]


def _value_name(name: str) -> str:
    hat = re.fullmatch(r"\\hat\{y\}_(\d+|[a-z])", name)
    if hat:
        return rf"\hat{{y}}_{{{hat.group(1)}}}"
    weight = re.fullmatch(r"w_(\d+)\^\{\((\d+)\)\}", name)
    if weight:
        return rf"w_{{{weight.group(1)}}}^{{({weight.group(2)})}}"
    letter = re.fullmatch(r"([A-Za-z])_([a-z])", name)
    if letter:
        return rf"{letter.group(1)}_{{{letter.group(2)}}}"
    match = re.fullmatch(r"([A-Za-z]+)_\{?(\d+)(?:,(\d+))?\}?", name)
    if match:
        stem, first, second = match.groups()
        return NotationPrinter()._name(stem, [first, second] if second else [first])
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        return latex_of(sp.Symbol(name))
    return r"\text{" + escape_text(name) + "}"


def _number(text: str) -> str:
    if re.fullmatch(r"-?\d+/\d+", text):
        sign, fraction = ("-", text[1:]) if text.startswith("-") else ("", text)
        top, bottom = fraction.split("/")
        return rf"{sign}\tfrac{{{top}}}{{{bottom}}}"
    if re.fullmatch(r"-?\d+\.\d{7,}", text):  # the checker's 15 digits; six say as much to a reader
        return rf"\approx {float(text):.6g}"
    if re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text):
        return text
    return r"\text{" + escape_text(text)[:60] + "}" if re.fullmatch(r"[\w .]*", text) else "?"


def _counterexample(c: "Counterexample") -> str:
    settings = ([f"C = {c.classes}"] if c.classes else []) + ([f"D = {c.features}"] if c.features else []) + [f"{_value_name(k)} = {v}" for k, v in c.indices]
    values = [rf"{_value_name(k)} = {_number(v)}" for k, v in c.values]
    if c.others:
        values.append(", ".join(rf"{_value_name(k)} = {_number(v)}" for k, v in c.others)
                      + rf" \text{{ for }} k = {c.others_from}, \dots, {c.classes}")
    where = ", ".join(settings + values)
    return (rf"Counterexample: ${where}$. There the left side is ${_number(c.lhs)}$ and the right side"
            rf" ${_number(c.rhs)}$.")


def _proved_detail(step: "StepVerdict") -> str:
    detail = [_prose(step.method)] if step.method else []
    if step.classes:
        detail.append("checked for ${C = " + ", ".join(map(str, step.classes)) + "}$")
    if step.facts:
        detail.append("uses " + ", ".join(_FACT_LATEX.get(f) or _prose(f) for f in step.facts))
    if step.message:
        detail.append(_prose(step.message))
    return "; ".join(detail)


def _step_lines(step: "StepVerdict", many: bool) -> list[str]:
    head = rf"\ssmark{{{step.status}}}{{{_MARK[step.status]}}}"
    name = f"Step {step.number}" if many else "The equation"
    lines = [head + rf"{name} is {_status(step.status)}"]
    if step.status == "proved":
        detail = _proved_detail(step)
        lines[0] += (f": {detail}" if detail else "") + "."
        return lines
    if step.status == "refuted":
        what = _prose(step.message or "false")
        if step.holds_when:
            what += "; it holds when " + _prose(step.holds_when)
        lines[0] += f": {what}."
        if many:
            lines += _display(step.latex)
        if step.counterexample is not None:
            lines += [r"\par", _counterexample(step.counterexample)]
        if step.repairs:
            first = step.repairs[0]
            lines += [r"\par", r"\textcolor{proved}{\textbf{Repair:}} " + _prose(first.edit) + ". Corrected:"]
            lines += _display(first.latex, frame="proved")
            for other in step.repairs[1:]:
                lines.append(r"Another repair: " + _prose(other.edit) + ".")
        else:
            lines += [r"\par", "No repair by a single edit was found."]
        return lines
    lines[0] += ": " + _prose(step.message or "no reason given") + "."
    return lines


def _proved_run(steps: Sequence["StepVerdict"]) -> list[str]:
    """Consecutive proved steps with the same justification, said once."""
    numbers = [str(s.number) for s in steps]
    names = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    detail = _proved_detail(steps[0])
    return [rf"\ssmark{{proved}}{{\ssproved}}Steps {names} are {_status('proved')}" + (f": {detail}" if detail else "") + "."]


def _equation_lines(eq: "EquationVerdict", findings: Sequence) -> list[str]:
    label = f"Equation ({escape_text(eq.label)})" if eq.label else "Unlabelled equation"
    where = f"line {eq.line}"
    if eq.conditions:
        where += ", under the condition " + ", ".join(_prose(c) for c in eq.conditions)
    lines = [
        r"\par\bigskip\noindent",
        rf"\ssmark{{{eq.status}}}{{\Large{_MARK[eq.status]}}}\textbf{{{label}}} \quad"
        rf" {{\small\color{{quiet}}{where}}} \hfill {_status(eq.status)}\par\nopagebreak",
    ]
    lines += _display(eq.latex)
    if eq.status == "definition":
        lines.append(_prose(eq.message or "It restates a definition.") + ".")
    elif not eq.steps:
        lines.append(_prose(eq.message or "It was not checked.") + ".")
    many = len(eq.steps) > 1
    position = 0
    while position < len(eq.steps):
        step = eq.steps[position]
        run = [step]
        while (step.status == "proved" and position + len(run) < len(eq.steps)
               and eq.steps[position + len(run)].status == "proved"
               and _proved_detail(eq.steps[position + len(run)]) == _proved_detail(step)):
            run.append(eq.steps[position + len(run)])
        lines.append(r"\par")
        lines += _proved_run(run) if len(run) > 1 else _step_lines(step, many)
        position += len(run)
    for finding in findings:
        kind = escape_text(finding.kind.replace("_", " "))
        lines.append(rf"\par\ssmark{{unverified}}{{\ssfinding}}{{\small Finding ({kind}): {_prose(finding.message)}}}")
    return lines


def _summary_table(report: "Report") -> list[str]:
    lines = [
        r"\section*{Summary}",
        r"\begin{longtable}{@{}l r l p{0.52\linewidth}@{}}",
        r"\textbf{Equation} & \textbf{Line} & \textbf{Status} & \textbf{Steps and repair} \\ \hline \endhead",
    ]
    for eq in report.equations:
        steps = ", ".join(rf"{s.number}\,\textcolor{{{s.status}}}{{{_MARK[s.status]}}}" for s in eq.steps)
        repair = next((s.repairs[0].edit for s in eq.steps if s.status == "refuted" and s.repairs), "")
        note = (steps + ("; " if steps and repair else "") + (_prose(repair) if repair else "")) or "---"
        label = f"({escape_text(eq.label)})" if eq.label else "---"
        lines.append(rf"{label} & {eq.line} & \textcolor{{{eq.status}}}{{{_MARK[eq.status]}~{eq.status}}} & {note} \\")
    s = report.summary
    lines += [
        r"\hline",
        r"\multicolumn{4}{@{}l}{"
        rf"{s['equations']} equations: {s['proved']} proved, {s['refuted']} refuted, "
        rf"{s['unverified']} unverified, {s['definition']} definitions; {s['findings']} findings"
        r"} \\",
        r"\end{longtable}",
    ]
    return lines


def report_document(report: "Report") -> str:
    r"""A complete LaTeX document: the student's derivation annotated equation by equation.

    Each equation is typeset as written (or verbatim, with the reason, when its LaTeX is not
    on the whitelist of :func:`sanitize_math`) with a coloured mark in the left margin:
    :math:`\checkmark` proved, :math:`\times` refuted, ? unverified, :math:`\equiv` definition.
    Each step follows with its verdict; under a refuted step come the counterexample and the
    corrected equation. Lint findings sit under the equation on their line (and in a list when
    they are on no equation's line), and a summary table ends the document.

    Parameters
    ----------
    report : Report
        From :func:`symsoft.check.check`.

    Returns
    -------
    str
        A document for pdflatex that compiles whatever LaTeX the student wrote.

    Examples
    --------
    >>> from symsoft.decide.verdicts import Report, EquationVerdict, StepVerdict
    >>> step = StepVerdict(1, r"\sigma(z_i) > 1", "refuted", message="false")
    >>> eq = EquationVerdict("2", 5, r"\sigma(z_i) > 1", (), "refuted", (step,))
    >>> tex = report_document(Report("hw.md", "softmax", (eq,)))
    >>> r"\ssmark{refuted}" in tex and r"\sigma(z_i) > 1" in tex
    True
    >>> bad = EquationVerdict("3", 7, r"\input{/etc/passwd}", (), "unverified", message="could not parse")
    >>> r"\input{" in report_document(Report("hw.md", "softmax", (bad,)))
    False
    """
    from symsoft import __version__

    chosen = f"$C = {report.classes}$" if report.classes else "$C = 2, 3, 4$"
    subtitle = (rf"checked by symsoft {escape_text(__version__)} with the profile"
                rf" \texttt{{{escape_text(report.profile)}}} for {chosen}")
    legend = (r"Marks in the margin: \textcolor{proved}{\ssproved}~proved (a symbolic proof), "
              r"\textcolor{refuted}{\ssrefuted}~refuted (a counterexample exists), "
              r"\textcolor{unverified}{\ssunverified}~unverified (not decided), "
              r"\textcolor{definition}{\ssdefinition}~definition, "
              r"\textcolor{unverified}{\ssfinding}~finding.")
    body = [legend, ""]
    if report.error:
        body.append(r"\textcolor{refuted}{\textbf{The document could not be checked:}} " + _prose(report.error))
    lines_with_equations = {eq.line for eq in report.equations}
    for eq in report.equations:
        body += _equation_lines(eq, [f for f in report.findings if f.line == eq.line])
    if not report.equations:
        body.append("The document has no display equations to check.")
    loose = [f for f in report.findings if f.line not in lines_with_equations]
    if loose:
        body += [r"\section*{Findings in the text}", r"\begin{itemize}"]
        body += [rf"\item line {f.line} ({escape_text(f.kind.replace('_', ' '))}): {_prose(f.message)}" for f in loose]
        body.append(r"\end{itemize}")
    body += _summary_table(report)
    title = r"Annotated derivation: \texttt{" + escape_text(Path(report.source).name or report.source) + "}"
    return _document(title, subtitle, _REPORT_MACROS, body)


# -- compiling ---------------------------------------------------------------------------------------
def _engine() -> list[str]:
    latexmk, pdflatex = shutil.which("latexmk"), shutil.which("pdflatex")
    if latexmk and pdflatex:
        return [latexmk, "-pdf", "-norc", "-interaction=nonstopmode", "-halt-on-error",
                "-no-shell-escape", "-file-line-error"]
    if pdflatex:
        return [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                "-file-line-error"]
    msg = f"no TeX engine found (latexmk or pdflatex); install one with: {INSTALL_HINT}"
    raise TeXEngineMissing(msg)


def _run(command: list[str], folder: str, timeout: float) -> int:
    # Files only inside the folder; no shell escape even if a texmf.cnf allows it.
    env = {**os.environ, "openin_any": "p", "openout_any": "p", "shell_escape": "f",
           "TEXMFOUTPUT": folder}
    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        msg = f"the TeX engine ran for more than {timeout:g} s and was stopped"
        raise TeXCompileError(msg, timeout) from None


_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|Table widths have changed")
_UNDEFINED = re.compile(r"LaTeX Warning: (Reference|Citation) .*undefined|There were undefined references")


def log_problems(log: str) -> list[str]:
    r"""The errors and undefined references in a TeX log, one line each (empty when it is clean).

    Parameters
    ----------
    log : str
        The text of the ``.log`` file of the last run.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from symsoft.render_latex import log_problems
    >>> log_problems("./doc.tex:12: Undefined control sequence.\nl.12 \\foo")
    ['./doc.tex:12: Undefined control sequence.']
    >>> log_problems("LaTeX Warning: Reference `thm:x' on page 1 undefined on input line 3.")
    ["LaTeX Warning: Reference `thm:x' on page 1 undefined on input line 3."]
    >>> log_problems("Output written on doc.pdf (1 page).")
    []
    """
    problems = []
    for line in log.splitlines():
        if line.startswith("!") or re.match(r"^\S*\.tex:\d+: ", line) or _UNDEFINED.search(line):
            problems.append(line.strip())
    return list(dict.fromkeys(problems))


def compile_pdf(tex_text: str, output_pdf: str | os.PathLike, timeout: float = COMPILE_TIMEOUT) -> Path:
    r"""Compile a LaTeX document to ``output_pdf`` with latexmk (or pdflatex, run until stable).

    The engine runs in a temporary folder, without shell escape, in non-stop mode that halts on
    the first error, may read and write files only in that folder, and is stopped after
    ``timeout`` seconds.

    Parameters
    ----------
    tex_text : str
        The document, for example from :func:`proofs_document` or :func:`report_document`.
    output_pdf : path
        Where to write the PDF; its folder is created when missing.
    timeout : float, optional
        Seconds for the whole compilation.

    Returns
    -------
    pathlib.Path
        ``output_pdf``.

    Raises
    ------
    TeXEngineMissing
        When neither latexmk nor pdflatex is installed (the message says how to install one).
    TeXCompileError
        On a LaTeX error, an undefined reference or the time limit; the message quotes the log.

    Examples
    --------
    Without a TeX engine on the search path the error says how to get one:

    >>> import os
    >>> from unittest import mock
    >>> from symsoft.render_latex import compile_pdf
    >>> with mock.patch.dict(os.environ, {"PATH": ""}):
    ...     compile_pdf(r"\documentclass{article}", "x.pdf")
    Traceback (most recent call last):
    ...
    symsoft.errors.TeXEngineMissing: no TeX engine found (latexmk or pdflatex); install one with: apt-get install texlive-latex-base latexmk
    """
    command = _engine()
    output = Path(output_pdf)
    with tempfile.TemporaryDirectory(prefix="symsoft-tex-") as folder:
        source = Path(folder, "document.tex")
        source.write_text(tex_text, encoding="utf-8")
        log_path = Path(folder, "document.log")
        runs = 1 if "latexmk" in Path(command[0]).name else 4
        code = 0
        for _ in range(runs):
            code = _run([*command, source.name], folder, timeout)
            log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
            if code != 0 or not _RERUN.search(log):
                break
        problems = log_problems(log)
        pdf = Path(folder, "document.pdf")
        if code != 0 or problems or not pdf.exists():
            shown = "; ".join(problems[:3]) or f"the engine exited with code {code} and wrote no PDF"
            msg = f"LaTeX failed: {shown}"
            raise TeXCompileError(msg, problems, code)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, output)
    return output


__all__ = [
    "NotationPrinter",
    "TeXCompileError",
    "UnsafeLatexError",
    "compile_pdf",
    "escape_text",
    "latex_of",
    "log_problems",
    "proofs_document",
    "report_document",
    "sanitize_math",
]
