r"""Reading one side of an equation written in matrix notation into a small tree (:class:`Term`).

The tree says what is written, not what it means: ``X^\top (P - Y)`` is a product of a transpose and a group,
whatever the shapes of X, P and Y. Shapes and values are given in :mod:`symsoft.meaning.matrices`. The LaTeX is
tokenized here (every spelling of a transpose, a norm, a derivative made canonical) and parsed by the Lark
LALR grammar ``matrix.lark``; text is never evaluated.

>>> str(parse_matrix_side(r"\frac{1}{N} X^\top (P - Y)"))
'matmul(frac(1, N), transpose(X), P - Y)'
>>> str(parse_matrix_side(r"\nabla_{\mathbf w} \|\mathbf y - X\mathbf w\|_2^2"))
'nabla(\\mathbf{w}, power(subscript(norm(\\mathbf{y} - matmul(X, \\mathbf{w})), 2), 2))'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError
from lark.lexer import Lexer

from symsoft.errors import LatexParseError

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho varrho "
    "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell".split())
#: commands that decorate a letter into a name of its own (bold ones make vectors and matrices)
DECORATIONS = frozenset(
    "mathbf boldsymbol bm vec hat tilde bar widehat widetilde overline mathcal mathit mathsf check dot ddot "
    "mathrm mathbb".split())
BOLD = frozenset("mathbf boldsymbol bm vec".split())
#: words that name a function when written upright (\operatorname{diag}, \text{softmax}, \mathrm{tr})
FUNCTION_WORDS = {"softmax": "softmax", "diag": "diag", "Diag": "diag", "tr": "tr", "Tr": "tr", "trace": "tr",
                  "sigmoid": "sigma", "ReLU": "relu", "relu": "relu", "exp": "exp", "log": "log", "ln": "log",
                  "tanh": "tanh", "det": "det"}
_COMMAND_FUNCTIONS = {"exp": "exp", "log": "log", "ln": "log", "tanh": "tanh", "det": "det"}
_OPERATORS = {"+": "PLUS", "-": "MINUS", "*": "CDOT", "/": "SLASH", "(": "LPAR", ")": "RPAR", "[": "LBRACK",
              "]": "RBRACK", "{": "LBRACE", "}": "RBRACE", ",": "COMMA", "=": "EQUALS", "^": "CARET", "_": "UNDER"}
_COMMAND_OPERATORS = {"cdot": "CDOT", "times": "TIMES", "odot": "ODOT", "circ": "ODOT", "otimes": "OTIMES",
                      "frac": "FRAC", "dfrac": "FRAC", "tfrac": "FRAC", "sum": "SUM"}
_DROPPED = re.compile(r"\\(?:left|right|[bB]ig{1,2}[lr]?|displaystyle|limits|nolimits)(?![a-zA-Z])|\\[,;:! ]|\\q?quad"
                      r"(?![a-zA-Z])|~")
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\s*\{?\s*T\s*\}?|\\mathrm\s*\{?\s*T\s*\}?|\\rm\s*T|"
                        r"\\text\s*\{\s*T\s*\})\s*\}|T(?![a-zA-Z])|\\top(?![a-zA-Z])|\\intercal(?![a-zA-Z])|"
                        r"\\mathsf\s*\{\s*T\s*\})")
_INVERSE_TRANSPOSE = re.compile(r"\^\s*\{\s*-\s*(?:T|\\top)\s*\}")
_INVERSE = re.compile(r"\^\s*\{\s*-\s*1\s*\}|\^\s*-\s*1(?![0-9])")
_PRIME = re.compile(r"'|\^\s*\{\s*\\prime\s*\}|\^\s*\\prime(?![a-zA-Z])")
_LAYER = re.compile(r"\^\s*\{\s*\(\s*[a-zA-Z0-9]+\s*\)\s*\}|\^\s*\{\s*\[\s*[a-zA-Z0-9]+\s*\]\s*\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Term:
    """A node of a matrix expression: its ``kind`` and its ``args`` (terms, or strings for names and numbers).

    >>> Term("name", ("W",)), str(Term("transpose", (Term("name", ("W",)),)))
    (Term(kind='name', args=('W',)), 'transpose(W)')
    """

    kind: str
    args: tuple

    def __str__(self) -> str:
        if self.kind in ("name", "number"):
            return str(self.args[0])
        if self.kind == "add":
            return _joined_terms(self.args)
        if self.kind == "sum":
            index, low, high, body = self.args
            return f"sum({index}, {low}, {high}, {body})"
        return f"{self.kind}({', '.join(str(a) for a in self.args)})"


def _joined_terms(terms) -> str:
    text = str(terms[0])
    for term in terms[1:]:
        text += f" - {term.args[0]}" if term.kind == "neg" else f" + {term}"
    return text


def _group(text: str, start: int) -> tuple[str, int]:
    """The text of the braced group (or the one character or command) at ``start``, and where it ends."""
    while start < len(text) and text[start] == " ":
        start += 1
    if start >= len(text):
        raise LatexParseError("a group is missing at the end", text)
    if text[start] == "{":
        depth = 0
        for position in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            if depth == 0:
                return text[start + 1: position], position + 1
        raise LatexParseError("a brace is not closed", text)
    command = re.match(r"\\[a-zA-Z]+", text[start:])
    if command:
        end = start + command.end()
        if command.group(0)[1:] in DECORATIONS:  # \nabla_\mathbf{w}: the decorated letter
            inner, end = _group(text, end)
            return command.group(0) + "{" + inner + "}", end
        return command.group(0), end
    return text[start], start + 1


def _derivatives(text: str) -> str:
    r"""``\frac{\partial f}{\partial v}`` as ``\PARTIAL{f}{v}``, ``\frac{\partial}{\partial v}`` as ``\PARTIALOP{v}``
    (likewise with d), ``\nabla_v`` as ``\NABLA{v}``.

    >>> _derivatives(r"\frac{\partial L}{\partial W} + \frac{d}{d x} f + \nabla_{\mathbf w} J")
    '\\PARTIAL{L}{W} + \\PARTIALOP{x} f + \\NABLA{\\mathbf w} J'
    """
    out, position = [], 0
    while position < len(text):
        match = re.compile(r"\\frac(?![a-zA-Z])|\\nabla(?![a-zA-Z])").search(text, position)
        if match is None:
            out.append(text[position:])
            break
        out.append(text[position: match.start()])
        if match.group(0) == "\\nabla":
            square = re.compile(r"\s*\^\s*(?:\{\s*2\s*\}|2)").match(text, match.end())
            after = square.end() if square else match.end()
            rest = text[after:].lstrip()
            if not rest.startswith("_"):
                raise LatexParseError("a gradient \\nabla without the variable it is taken in", text)
            variable, end = _group(text, text.index("_", after) + 1)
            square_after = re.compile(r"\s*\^\s*(?:\{\s*2\s*\}|2)").match(text, end)
            if square_after and not square:
                square, end = square_after, square_after.end()
            out.append(("\\HESSIAN{" if square else "\\NABLA{") + variable + "}")
            position = end
            continue
        top, end_top = _group(text, match.end())
        bottom, end = _group(text, end_top)
        second = re.fullmatch(r"\s*\\partial\s*\^\s*\{?\s*2\s*\}?(?P<f>.*)", top, re.DOTALL)
        if second:
            variables = re.fullmatch(r"\s*\\partial\s*(?P<a>.+?)\s*(?:\\[,;!]\s*)*\\partial\s*(?P<b>.+?)\s*", bottom,
                                     re.DOTALL)
            if variables is None:  # \partial w^2
                variables = re.fullmatch(r"\s*\\partial\s*(?P<a>(?P<b>.+?))\s*\^\s*\{?\s*2\s*\}?\s*", bottom, re.DOTALL)
            a, b = (re.sub(r"\s+", "", variables.group(n)) for n in "ab") if variables else ("", "?")
            if b != a and b not in (a + t for t in ("^\\top", "^T", "^{\\top}", "^{T}")):
                raise LatexParseError("a mixed second derivative is not read in matrix notation", text)
            function = second.group("f").strip()
            out.append(("\\HESSIANOF{" + _derivatives(function) + "}{" + variables.group("a") + "}") if function
                       else ("\\HESSIAN{" + variables.group("a") + "}"))
            position = end
            continue
        numerator = re.fullmatch(r"\s*(\\partial|d)(?![a-zA-Z])\s*(.*?)\s*", top, re.DOTALL) if top.lstrip().startswith(
            ("\\partial", "d")) else None
        denominator = re.fullmatch(r"\s*(\\partial|d)(?![a-zA-Z]|\s*\^)\s*(.+?)\s*", bottom, re.DOTALL)
        if numerator and denominator and numerator.group(1) == denominator.group(1):
            variable = denominator.group(2)
            if re.search(r"\\partial|(?<![a-zA-Z\\])d(?![a-zA-Z])", variable):  # a second derivative
                raise LatexParseError("a second derivative is not read in matrix notation", text)
            if numerator.group(2):
                out.append("\\PARTIAL{" + _derivatives(numerator.group(2)) + "}{" + variable + "}")
            else:
                out.append("\\PARTIALOP{" + variable + "}")
        else:
            out.append("\\frac{" + _derivatives(top) + "}{" + _derivatives(bottom) + "}")
        position = end
    return "".join(out)


def _name(text: str, start: int) -> tuple[str, int] | None:
    """A letter and its decorations at ``start`` (``\\hat{\\mathbf{y}}``, ``W``, ``\\theta``), else None."""
    match = re.compile(r"\\([a-zA-Z]+)|([A-Za-z])").match(text, start)
    if match is None:
        return None
    if match.group(2):
        return match.group(2), match.end()
    command = match.group(1)
    if command in GREEK:
        return "\\" + command, match.end()
    if command in DECORATIONS:
        rest = match.end()
        while rest < len(text) and text[rest] == " ":
            rest += 1
        if rest < len(text) and text[rest] == "{":
            inner, end = _group(text, rest)
            inner = inner.strip()
            if re.fullmatch(r"[A-Za-z0-9]", inner):
                return f"\\{command}{{{inner}}}", end
            nested = _name(inner, 0)
            if nested is not None and nested[1] == len(inner):
                return f"\\{command}{{{nested[0]}}}", end
            return None
        nested = _name(text, rest)
        if nested is not None:
            return f"\\{command}{{{nested[0]}}}", nested[1]
    return None


def tokenize(side: str) -> list[Token]:
    r"""The grammar's tokens for one side in matrix notation.

    >>> [t.type for t in tokenize(r"\mathbf{x}^\top A\mathbf{x}")]
    ['NAME', 'TRANSPOSE', 'NAME', 'NAME']
    >>> [str(t) for t in tokenize(r"\sigma'(z) \odot (W^{(2)})^{\mathsf T}")]
    ["sigma'", '(', 'z', ')', '\\odot', '(', 'W^{(2)}', ')', '^T']
    """
    text = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", _DROPPED.sub(" ", side))
    text = re.sub(r"\\lVert|\\Vert|\\\||‖", " \\| ", text).replace("\\rVert", " \\RVERT ")
    text = _derivatives(text)
    tokens: list[Token] = []
    position, norms_open = 0, 0
    while position < len(text):
        char = text[position]
        if char.isspace() or char == "$":
            position += 1
            continue
        for pattern, kind in ((_INVERSE_TRANSPOSE, "INVERSE_TRANSPOSE"), (_TRANSPOSE, "TRANSPOSE"),
                              (_INVERSE, "INVERSE")):
            match = pattern.match(text, position)
            if match:
                if kind == "INVERSE_TRANSPOSE":
                    tokens += [Token("INVERSE", "^{-1}"), Token("TRANSPOSE", "^T")]
                else:
                    tokens.append(Token(kind, "^T" if kind == "TRANSPOSE" else "^{-1}"))
                position = match.end()
                break
        else:
            position = _next_token(text, position, tokens, norms_open)
            if tokens and tokens[-1].type == "NORM_OPEN":
                norms_open += 1
            elif tokens and tokens[-1].type == "NORM_CLOSE" and str(tokens[-1]) == "\\|":
                norms_open -= 1
    return tokens


def _next_token(text: str, position: int, tokens: list, norms_open: int) -> int:
    char = text[position]
    prime = _PRIME.match(text, position)
    if prime:
        if tokens and tokens[-1].type == "FUNC":
            tokens[-1] = Token("FUNC", str(tokens[-1]) + "'")
        elif tokens and tokens[-1].type == "RPAR":
            tokens.append(Token("TRANSPOSE", "^T"))
        elif tokens and tokens[-1].type == "NAME":
            tokens[-1] = Token("NAME", str(tokens[-1]) + "'")
        else:
            raise LatexParseError("a prime that follows neither a function nor a letter", text)
        return prime.end()
    if text.startswith("\\|", position):
        tokens.append(Token("NORM_CLOSE" if norms_open else "NORM_OPEN", "\\|"))
        return position + 2
    if text.startswith("\\RVERT", position):
        tokens.append(Token("NORM_CLOSE", "\\rVert"))
        return position + 6
    for command, kind in (("\\PARTIALOP", "PARTIAL_OP"), ("\\PARTIAL", "PARTIAL"), ("\\NABLA", "NABLA"),
                          ("\\HESSIANOF", "HESSIAN_OF"), ("\\HESSIAN", "HESSIAN")):
        if text.startswith(command, position) and not text[position + len(command): position + len(command) + 1].isalpha():
            tokens.append(Token(kind, command))
            return position + len(command)
    number = _NUMBER.match(text, position)
    if number:
        tokens.append(Token("NUMBER", number.group(0)))
        return number.end()
    layer = _LAYER.match(text, position)
    if layer and tokens and tokens[-1].type == "NAME":
        tokens[-1] = Token("NAME", str(tokens[-1]) + "^{" + re.sub(r"\s+", "", layer.group(0))[2:-1] + "}")
        return layer.end()
    if char in _OPERATORS:
        tokens.append(Token(_OPERATORS[char], char))
        if char == "_" and len(tokens) > 1 and tokens[-2].type == "SUM":
            tokens.pop()  # \sum_{i=1}^N: the range is a group
            group, end = _group(text, position + 1)
            tokens.append(Token("LBRACE", "{"))
            for token in tokenize(group):
                tokens.append(token)
            tokens.append(Token("RBRACE", "}"))
            return end
        return position + 1
    if text.startswith("\\{", position) or text.startswith("\\}", position):
        tokens.append(Token("LPAR" if text[position + 1] == "{" else "RPAR", text[position: position + 2]))
        return position + 2
    word = re.compile(r"\\(operatorname|text|textrm|mathrm|rm)\s*\{\s*([a-zA-Z]+)\s*\}").match(text, position)
    if word and word.group(2) in FUNCTION_WORDS:
        tokens.append(Token("FUNC", FUNCTION_WORDS[word.group(2)]))
        return word.end()
    command = re.compile(r"\\([a-zA-Z]+)").match(text, position)
    if command:
        name = command.group(1)
        if name in _COMMAND_FUNCTIONS:
            tokens.append(Token("FUNC", _COMMAND_FUNCTIONS[name]))
            return command.end()
        if name in _COMMAND_OPERATORS:
            tokens.append(Token(_COMMAND_OPERATORS[name], "\\" + name))
            return command.end()
        if name == "sigma" and re.match(r"\s*(?:\(|'|\^\s*\{?\s*\\prime)", text[command.end():]):
            tokens.append(Token("FUNC", "sigma"))
            return command.end()
        if word and name in ("text", "textrm", "mathrm", "operatorname") and len(word.group(2)) > 1:
            tokens.append(Token("NAME", f"\\mathrm{{{word.group(2)}}}"))
            return word.end()
    found = _name(text, position)
    if found is None:
        raise LatexParseError(f"matrix notation does not read {text[position:position + 20]!r}", text)
    tokens.append(Token("NAME", found[0]))
    return found[1]


class _TokenList(Lexer):
    """Lark lexer that hands over the tokens :func:`tokenize` made."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, text, *_):
        return iter(tokenize(text))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = Path(__file__).with_name("matrix.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_TokenList, start="start")


def _t(kind: str, *args) -> Term:
    return Term(kind, tuple(args))


class _ToTerms(Transformer):
    """Lark tree -> :class:`Term`, one method per rule of ``matrix.lark``."""

    def name(self, items):
        return _t("name", str(items[0]))

    def number(self, items):
        return _t("number", str(items[0]))

    def group(self, items):
        return items[1]

    def tuple(self, items):
        return _t("tuple", *[i for i in items if isinstance(i, Term)])

    def add(self, items):
        left, right = items[0], items[2]
        return _t("add", *(left.args if left.kind == "add" else (left,)), right)

    def sub(self, items):
        left, right = items[0], _t("neg", items[2])
        return _t("add", *(left.args if left.kind == "add" else (left,)), right)

    def neg(self, items):
        return _t("neg", items[1])

    def pos(self, items):
        return items[1]

    def matmul(self, items):
        left, right = items
        return _t("matmul", *(left.args if left.kind == "matmul" else (left,)), right)

    def dot(self, items):
        return self.matmul([items[0], items[2]])

    def cross(self, items):
        return self.matmul([items[0], items[2]])

    def hadamard(self, items):
        return _t("hadamard", items[0], items[2])

    def kron(self, items):
        return _t("kron", items[0], items[2])

    def divide(self, items):
        return _t("frac", items[0], items[2])

    def nabla(self, items):
        return _t("nabla", items[2], items[4])

    def hessian(self, items):
        return _t("hessian", items[2], items[4])

    def hessian_of(self, items):
        return _t("hessian", items[5], items[2])

    def partial_op(self, items):
        return _t("partial", items[4], items[2])

    def summation(self, items):
        index, low, high = items[1]
        return _t("sum", index, low, high, items[2])

    def sum_range(self, items):
        parts = [i for i in items if not (isinstance(i, Token) and i.type in ("LBRACE", "RBRACE", "EQUALS", "CARET"))]
        index = str(parts[0])
        low = parts[1] if len(parts) > 2 or (len(parts) == 2 and "=" in [str(i) for i in items]) else None
        high = parts[-1] if len(parts) == 3 or (len(parts) == 2 and low is None) else None
        return index, _bound(low), _bound(high)

    def power_arg(self, items):
        return items[1]

    def bound(self, items):
        return items[1]

    def transpose(self, items):
        return _t("transpose", items[0])

    def inverse(self, items):
        return _t("inverse", items[0])

    def power(self, items):
        return _t("power", items[0], _bound(items[2]))

    def subscript(self, items):
        return _t("subscript", items[0], *items[2])

    def sub_arg(self, items):
        values = tuple(str(i) for i in items if isinstance(i, Token) and i.type in ("NAME", "NUMBER"))
        if len(values) == 1 and re.fullmatch(r"[a-zA-Z]{2,}|\d{2,}", values[0]):
            return tuple(values[0])
        return values

    def frac(self, items):
        return _t("frac", items[2], items[5])

    def partial(self, items):
        return _t("partial", items[2], items[5])

    def norm(self, items):
        return _t("norm", items[1])

    def call(self, items):
        args = [i for i in items[1:] if isinstance(i, Term)]
        return _t("call", str(items[0]), *args)


def _bound(item):
    if item is None or isinstance(item, Term):
        return item
    if isinstance(item, Token):
        return _t("number" if item.type == "NUMBER" else "name", str(item))
    return item


def matrix_latex(latex: str) -> str:
    r"""A display's LaTeX made ready to split into sides: labels, a prose tail after ``\quad`` and the closing
    punctuation dropped.

    >>> matrix_latex(r"\nabla_W L = X^T (P - Y), \quad \text{where } P = \operatorname{softmax}(XW). \label{eq:g}")
    '\\nabla_W L = X^T (P - Y)'
    """
    text = re.sub(r"\\label\{[^{}]*\}|\\nonumber\b|\\notag\b|\\(?:begin|end)\{equation\*?\}", " ", latex)
    text = re.sub(r"(?:\s*(?:[,;]|\\q?quad|\\,|~))+\s*\\(?:text|mbox|textrm)\s*\{\s*(?:where|for|if|since|with|and|because|by|"
                  r"when|as|so|using|i\.e|e\.g)\b.*$", "", text, flags=re.DOTALL)
    return re.sub(r"[\s.,;]+$", "", text.replace("\n", " ")).strip()


def parse_matrix_side(side: str) -> Term:
    r"""The :class:`Term` of one side written in matrix notation.

    Raises :class:`~symsoft.errors.LatexParseError` on what the grammar does not read.

    >>> str(parse_matrix_side(r"\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top"))
    'call(diag, \\mathbf{s}) - matmul(\\mathbf{s}, transpose(\\mathbf{s}))'
    >>> str(parse_matrix_side(r"\left((W^{(2)})^T \delta^{(2)}\right) \odot h \odot (1 - h)"))
    'hadamard(hadamard(matmul(transpose(W^{(2)}), \\delta^{(2)}), h), 1 - h)'
    >>> parse_matrix_side(r"\int f")
    Traceback (most recent call last):
    symsoft.errors.LatexParseError: matrix notation does not read '\\int f'
    """
    if len(side) > 2000:
        raise LatexParseError("the side is too long to read in matrix notation", side[:80])
    try:
        tree = _parser().parse(side)
    except LatexParseError:
        raise
    except (LarkError, RecursionError) as error:
        raise LatexParseError(f"matrix notation does not read this side ({type(error).__name__})", side) from None
    return _ToTerms().transform(tree)


_FUNCTION_LATEX = {"softmax": "\\operatorname{softmax}", "diag": "\\operatorname{diag}", "tr": "\\operatorname{tr}",
                   "det": "\\det", "exp": "\\exp", "log": "\\log", "tanh": "\\tanh", "sigma": "\\sigma",
                   "relu": "\\operatorname{ReLU}", "sigma'": "\\sigma'", "tanh'": "\\tanh'"}


def term_latex(term: Term) -> str:
    r"""LaTeX for a :class:`Term` (what a repair shows).

    >>> term_latex(parse_matrix_side(r"\frac{1}{N} X^\top (P - Y)"))
    '\\frac{1}{N} X^\\top (P - Y)'
    >>> term_latex(parse_matrix_side(r"-(A B)^T + \|x\|^2"))
    '-(A B)^\\top + \\|x\\|^2'
    """
    kind, args = term.kind, term.args
    if kind in ("name", "number"):
        return str(args[0])
    if kind == "add":
        text = term_latex(args[0])
        for part in args[1:]:
            text += f" - {_factor(part.args[0], True)}" if part.kind == "neg" else f" + {term_latex(part)}"
        return text
    if kind == "neg":
        return "-" + _factor(args[0], True)
    if kind == "matmul":
        return " ".join(_factor(a) for a in args)
    if kind == "hadamard":
        return f"{_factor(args[0])} \\odot {_factor(args[1])}"
    if kind == "kron":
        return f"{_factor(args[0])} \\otimes {_factor(args[1])}"
    if kind == "frac":
        return f"\\frac{{{term_latex(args[0])}}}{{{term_latex(args[1])}}}"
    if kind == "transpose":
        return _atom(args[0]) + "^\\top"
    if kind == "inverse":
        return _atom(args[0]) + "^{-1}"
    if kind == "power":
        exponent = term_latex(args[1])
        return _atom(args[0]) + ("^" + exponent if len(exponent) == 1 else "^{" + exponent + "}")
    if kind == "subscript":
        return _atom(args[0]) + "_{" + "".join(str(a) for a in args[1:]) + "}"
    if kind == "norm":
        return "\\|" + term_latex(args[0]) + "\\|"
    if kind == "call":
        return _FUNCTION_LATEX.get(args[0], args[0]) + "(" + ", ".join(term_latex(a) for a in args[1:]) + ")"
    if kind == "partial":
        return f"\\frac{{\\partial {term_latex(args[0])}}}{{\\partial {term_latex(args[1])}}}"
    if kind == "nabla":
        return f"\\nabla_{{{term_latex(args[0])}}} {_factor(args[1])}"
    if kind == "hessian":
        return f"\\nabla^2_{{{term_latex(args[0])}}} {_factor(args[1])}"
    if kind == "sum":
        index, low, high, body = args
        bounds = f"_{{{index}" + (f"={term_latex(low)}" if low is not None else "") + "}" + (
            f"^{{{term_latex(high)}}}" if high is not None else "")
        return f"\\sum{bounds} {_factor(body)}"
    if kind == "tuple":
        return "(" + ", ".join(term_latex(a) for a in args) + ")"
    return str(term)


def _factor(term: Term, after_minus: bool = False) -> str:
    text = term_latex(term)
    return f"({text})" if term.kind in ("add",) or (after_minus and term.kind == "neg") else text


def _atom(term: Term) -> str:
    text = term_latex(term)
    return text if term.kind in ("name", "number", "norm", "call", "subscript") else f"({text})"
