r"""A fast reader of single LaTeX expressions: a Lark LALR grammar that mirrors latex2sympy2.

:func:`parse_expression` builds what latex2sympy2 builds (unevaluated, with its helpers' shapes), so
the adapter's post-processing gives equal expressions. What the grammar does not mirror exactly
(latex2sympy2's lexer quirks, ambiguous bars, differentials, matrices, ...) is refused with
:class:`~symsoft.errors.LatexParseError`, and the adapter falls back to latex2sympy2 itself.
Document text is never evaluated: tokens become SymPy objects through explicit constructors.

>>> parse_expression(r"\frac{a}{b} + 1")
a/b + 1
>>> parse_expression(r"\sigma(z_i)")
\sigma(z_i)
>>> parse_expression(r"\sigma (z + 1)").args  # not a call: the argument is not one atom
(sigma, z + 1)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import sympy as sp
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError
from lark.lexer import Lexer

from symsoft.errors import LatexParseError

GREEK = frozenset(
    "alpha beta Gamma gamma Delta delta epsilon varepsilon zeta eta Theta theta vartheta iota kappa Lambda "
    "lambda mu nu Xi xi omicron Pi varpi rho varrho Sigma sigma varsigma tau Upsilon upsilon Phi phi varphi "
    "chi Psi psi Omega omega".split())
#: accents whose braced base (letters and digits, or one Greek letter) names a symbol: \hat{y}
ACCENTS = frozenset(
    "acute bar overline breve check widecheck dot ddot grave hat tilde widetilde vec overrightarrow bm "
    "boldsymbol mathbb mathbf mathcal mathit mathscr mathsf mathtt mathfrak".split())
FUNCTIONS = frozenset("log ln exp sin cos tan sinh cosh tanh".split())
COMMANDS = {"frac": "FRAC", "dfrac": "FRAC", "tfrac": "FRAC", "sqrt": "SQRT", "sum": "BIGOP", "prod": "BIGOP",
            "max": "MAXMIN", "min": "MAXMIN", "cdot": "MULOP", "times": "MULOP", "div": "DIVOP",
            "left": "LEFT", "right": "RIGHT", "pi": "CONSTANT", "infty": "CONSTANT", "ell": "HEAD"}
CHARACTERS = {"+": "ADD", "-": "SUB", "*": "MULOP", "/": "DIVOP", ":": "DIVOP", "^": "CARET", "_": "UNDER",
              "(": "LPAR", ")": "RPAR", "{": "LBRACE", "}": "RBRACE", "=": "EQUALS", ",": "COMMA", "|": "BAR"}
#: letter runs that latex2sympy2's lexer reads as one keyword token (tr, eye, norm, ...): refused
KEYWORDS = re.compile(r"ar(?:c?sinh|c?cosh|c?tanh)|gcd|lcm|floor|ceil|eye|zeros|ones|cols|rows|diag|norm|rank"
                      r"|tr|rref|[hv]stack|orth|nullspace|eig|svd|SVD|matrix")
_TOKEN = re.compile(r"(?P<space>[\s$]+)|\\(?P<command>[a-zA-Z]+)|(?P<number>(?:\d*\.\d+|\d+)(?:\\%)?)|(?P<letter>[a-zA-Z])"
                    r"|(?P<char>[-+*/:^_(){}=,|])")
_BASE = re.compile(r"\s*\{(?:(?P<plain>[a-zA-Z0-9]+)|\\(?P<greek>[a-zA-Z]+))\}")
_DIFFERENTIAL = re.compile(r"d\s*(?:[a-zA-Z]|\\[a-zA-Z])")
_SUB_ITEM = r"\s*[+-]*\s*(?:[a-zA-Z0-9]|\\[a-zA-Z]+ ?)(?:\s*(?:[a-zA-Z0-9]|\\[a-zA-Z]+ ?))*"
_SUBSCRIPT = re.compile(r"_\s*\{(?P<body>" + _SUB_ITEM + r"(?:\s*[-+,]" + _SUB_ITEM + r")*)\s*\}")
#: tokens after which "{(" cannot follow a name (latex2sympy2 reads name{(x)} as a call)
_NOT_AFTER_NAME = {None, "CARET", "UNDER", "FRAC", "SQRT", "LBRACE", "LPAR", "ADD", "SUB", "MULOP", "DIVOP",
                   "COMMA", "EQUALS", "BAR_OPEN"}
_ATOMS = {"HEAD", "NUMBER", "CONSTANT", "MATHIT_TEXT"}


def _refuse(why: str, text: str):
    raise LatexParseError(f"the fast grammar does not read this LaTeX ({why}): {text[:80]}", text)


def tokenize(text: str) -> list[Token]:
    r"""Split ``text`` into the grammar's tokens, each valued as latex2sympy2's token text.

    Raises :class:`~symsoft.errors.LatexParseError` on anything the grammar does not mirror exactly.

    >>> [(t.type, str(t)) for t in tokenize(r"\sigma (x_{i})")]
    [('HEAD', '\\sigma '), ('LPAR', '('), ('HEAD', 'x'), ('SUBSCRIPT', '_{i}'), ('RPAR', ')')]
    """
    if KEYWORDS.search(re.sub(r"\\[a-zA-Z]+", " ", text)) or re.search(r"\d,\d\d\d", text):
        _refuse("a keyword of latex2sympy2's lexer", text)
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            _refuse(f"the character {text[position]!r}", text)
        kind, value, end = match.lastgroup, match.group(0), match.end()
        if kind == "command":
            kind, value, end = _command(text, match)
        elif kind == "number":
            kind = "NUMBER"
        elif kind == "letter":
            kind = _letter(text, match)
        elif kind == "space":
            pass
        elif text.startswith(("^T", "^{T}", "^{\\top}"), position):
            _refuse("a transpose", text)  # latex2sympy2's tokens, whatever follows
        elif value == "_":
            subscript = _SUBSCRIPT.match(text, position)
            if subscript:
                kind, value, end = "SUBSCRIPT", "_{" + _token_text(subscript.group("body")) + "}", subscript.end()
            else:
                kind = "UNDER"
        else:
            kind = CHARACTERS.get(value)
        if kind != "space":
            tokens.append(Token(kind, value, start_pos=position, end_pos=end))
        position = end
    return _checked(_joined(_before_unmatched_closer(tokens), text), text)


def _before_unmatched_closer(tokens: list[Token]) -> list[Token]:
    """latex2sympy2 stops at a ) or } that closes nothing and ignores the rest: so does the grammar."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += (token.type in ("LPAR", "LBRACE")) - (token.type in ("RPAR", "RBRACE"))
        if depth < 0:
            return tokens[:index]
    return tokens


def _command(text: str, match: re.Match) -> tuple[str, str, int]:
    name, end = match.group("command"), match.end()
    if name in GREEK or name == "ell":
        trailing = " " if text.startswith(" ", end) else ""  # latex2sympy2's GREEK_CMD keeps one space
        return "HEAD", "\\" + name + trailing, end + len(trailing)
    if name in ACCENTS:
        base = _BASE.match(text, end)
        if base is None:
            _refuse(f"the base of \\{name}", text)
        plain = base.group("plain")
        decorated = plain is not None and name == "mathit" and re.fullmatch(r"D[a-z][A-Za-z]*D[A-Za-z]+", plain)
        if plain is not None and "E" in plain and not decorated:  # not an expression: latex2sympy2's \mathit{...} text
            if name != "mathit" or not plain.isalpha():
                _refuse(f"\\{name}{{{plain}}}", text)
            if _DIFFERENTIAL.search(plain):
                _refuse(f"\\{name}{{{plain}}}", text)
            return "MATHIT_TEXT", f"\\mathit{{{plain}}}", base.end()
        if plain is None and base.group("greek") not in GREEK:
            _refuse(f"the base of \\{name}", text)
        return "HEAD", f"\\{name}{{{plain or chr(92) + base.group('greek')}}}", base.end()
    if name in FUNCTIONS:
        return "FUNCTION", "\\" + name, end
    if name in COMMANDS:
        return COMMANDS[name], "\\" + name, end
    _refuse(f"the command \\{name}", text)


def _letter(text: str, match: re.Match) -> str:
    letter = match.group(0)
    if letter == "E" or (letter == "d" and _DIFFERENTIAL.match(text, match.start())):
        _refuse(f"the letter {letter}", text)  # E-notation, a differential
    return "EXP_E" if letter == "e" else "HEAD"


def _token_text(body: str) -> str:
    """latex2sympy2's text of a subscript: tokens joined without the spaces between them.

    A Greek letter's token keeps one space after it (``x_{\\sigma i}``); \\pi and \\infty do not.
    """
    commands = re.findall(r"\\([a-zA-Z]+)", body)
    if _DIFFERENTIAL.search(body) or "E" in body or not all(c in GREEK or c in ("ell", "pi", "infty") for c in commands):
        _refuse("a differential, E or a command in a subscript", body)
    return re.sub(r"(\\(?!pi\b|infty\b)[a-zA-Z]+ )|\s+", lambda m: m.group(1) or "", body)


def _joined(tokens: list[Token], text: str) -> list[Token]:
    """Join ``_`` and the atom after it into one SUBSCRIPT token; name the bars opening or closing."""
    out: list[Token] = []
    bars = 0
    for token in tokens:
        if out and out[-1].type == "UNDER" and token.type in _ATOMS:
            under = out.pop()
            token = Token("SUBSCRIPT", "_" + token, start_pos=under.start_pos, end_pos=token.end_pos)
        elif token.type == "BAR":
            bars += 1
            token = Token("BAR_OPEN" if bars == 1 else "BAR_CLOSE", token, start_pos=token.start_pos,
                          end_pos=token.end_pos)
        out.append(token)
    if bars not in (0, 2):
        _refuse("bars other than one pair", text)
    return out


def _checked(tokens: list[Token], text: str) -> list[Token]:
    """Refuse the token patterns where latex2sympy2's choice of parse differs from this grammar's."""
    openers: list[str | None] = []
    closed = None  # what the last } closed: the first argument of a \frac, or something else
    for i, token in enumerate(tokens):
        before = tokens[i - 1].type if i else None
        if before == "RBRACE" and closed == "FRAC":
            before = None  # \frac{a}{(b)}: the second argument
        if token.type == "LBRACE":
            openers.append(before)
        elif token.type == "RBRACE":
            closed = openers.pop() if openers else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.type == "HEAD" and after is not None and after.type in ("CARET", "SUBSCRIPT", "UNDER") and (
                before == "CARET"):
            _refuse("a nested superscript or subscript", text)  # x^y^2 is x^(y^2) there
        if token.type == "SUBSCRIPT" and token[1] != "{" and after is not None and after.type in ("SUBSCRIPT", "UNDER"):
            _refuse("a nested subscript", text)
        if token.type == "LBRACE" and after is not None and after.type == "LPAR" and before not in _NOT_AFTER_NAME:
            _refuse("a call in braces", text)  # f{(x)} is f(x) there
    return tokens


class _TokenList(Lexer):
    """Lark lexer that hands over tokens already made by :func:`tokenize`."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, text, *_):
        return iter(tokenize(text))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (Path(__file__).with_name("latex.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_TokenList, start="start", cache=True)  # tables kept in a temp file


def _tokens(tree) -> list[Token]:
    if isinstance(tree, Token):
        return [tree]
    return [t for t in tree.scan_values(lambda v: isinstance(v, Token))]


def _source_text(tree) -> str:
    """latex2sympy2's getText() of a subtree: its tokens' texts joined."""
    return "".join(_tokens(tree))


def _reads_alone(tree) -> bool:
    """True when the subtree's text, read again on its own, gives the same tokens (and has no comma).

    latex2sympy2 parses a call's or \\max's arguments again from their joined text, split at commas.
    """
    text = _source_text(tree)
    if "," in text:  # split at its commas there
        return False
    try:
        again = tokenize(text)
    except LatexParseError:
        return False
    return [(t.type, str(t)) for t in again] == [(t.type, str(t)) for t in _tokens(tree)]


_ATOM_RULES = {"name", "number", "constant", "mathit_text"}


#: deepest parse tree read here (the fixtures reach 11): latex2sympy2 recurses up to ~40 frames a level
#: (\log \log ... x gives up at 25 levels), and what it gives up on must not be read here either
MAX_DEPTH = 14


def _depth(tree: Tree) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return deepest


def _subscript_takes_power(node: Tree) -> bool:
    """f_i^2(x): latex2sympy2 reads i^2 as the subscript (the function f_{i^2}), unlike x_i^2 alone."""
    bare = any(isinstance(c, Token) and c.type == "SUBSCRIPT" and not c.startswith("_{") for c in node.children)
    return bare and any(isinstance(c, Tree) and c.data == "call_sup" for c in node.children)


def _mark_calls(tree: Tree) -> None:
    """Tell a call f(x) (x one atom that reads alone) from the product f (x+1)."""
    if _depth(tree) > MAX_DEPTH:
        raise LatexParseError("nested deeper than the grammar reads", _source_text(tree))
    for node in tree.iter_subtrees():
        if node.data == "call_or_product":
            inner = next(c for c in node.children if isinstance(c, Tree) and c.data not in ("call_sup", "powers"))
            node.data = "call" if inner.data in _ATOM_RULES else "product"
            if node.data == "call" and not _reads_alone(inner):
                raise LatexParseError("a call whose argument latex2sympy2 reads otherwise", _source_text(node))
        if node.data in ("call", "multi_call") and _subscript_takes_power(node):
            raise LatexParseError("f_i^2(x) names the function f_i^2 there", _source_text(node))
        if node.data in ("maxmin", "arguments"):  # both are read again, each argument alone
            arguments = [c for c in node.children if not isinstance(c, Token)]
            if not all(_reads_alone(a) for a in arguments):
                raise LatexParseError("an argument latex2sympy2 would split or read otherwise", _source_text(node))


def _add_flat(left, right, evaluate=False):
    if evaluate:
        return sp.Add(left, right)
    args = [*(left.args if left.is_Add else (left,)), *(right.args if right.is_Add else (right,))]
    return sp.Add(*args, evaluate=False)


def _mul_flat(left, right, evaluate=False):
    if evaluate:
        return sp.Mul(left, right)
    args = [*(left.args if left.is_Mul else (left,)), *(right.args if right.is_Mul else (right,))]
    return sp.Mul(*args, evaluate=False)


def _negated(value, evaluate=False):
    return -value if value.func.is_Number or evaluate else _mul_flat(sp.Integer(-1), value)


def _symbol_base(head: str) -> str:
    if "{" in head or head.startswith("\\ell"):
        return head.strip()
    return head[1:].strip() if head.startswith("\\") else head


def _subscript_suffix(subscript: str) -> str:
    inner = (subscript[2:-1] if subscript.startswith("_{") else subscript[1:]).strip()
    return "_{" + inner + "}" if len(inner) > 1 else "_" + inner


def _values(children) -> list:
    return [c for c in children if not isinstance(c, Token)]


class ToSympy(Transformer):
    r"""Build latex2sympy2's unevaluated SymPy expression from a parse tree, rule by rule.

    >>> ToSympy().transform(_parser().parse("a - 2"))
    a - 2

    With ``evaluate=True`` it builds the canonical (evaluated) expression at once: what the adapter would make of the
    unevaluated one, node by node, with ``\log`` the natural logarithm (about twice as fast as building twice).

    >>> ToSympy(evaluate=True).transform(_parser().parse(r"\log x + x - x"))
    log(x)
    """

    def __init__(self, evaluate: bool = False) -> None:
        super().__init__()
        self.evaluate = evaluate

    def add(self, children):
        left, _, right = children
        return _add_flat(left, right, self.evaluate)

    def sub(self, children):
        left, _, right = children
        if self.evaluate:
            return left - right
        return _add_flat(left, -right if right.func.is_Number else _mul_flat(sp.Integer(-1), right))

    def mul(self, children):
        left, _, right = children
        return _mul_flat(left, right, self.evaluate)

    def div(self, children):
        left, _, right = children
        return sp.Mul(left, sp.Pow(right, -1, evaluate=self.evaluate), evaluate=self.evaluate)

    def plus(self, children):
        return children[1]

    def minus(self, children):
        return _negated(children[1], self.evaluate)

    def factors(self, children):
        result = children[-1]
        for factor in reversed(children[:-1]):  # latex2sympy2 multiplies from the right
            result = _mul_flat(factor, result, self.evaluate)
        return result

    arg_factors = factors

    def power(self, children):
        base, _, exponent = children
        return sp.Pow(base, exponent, evaluate=self.evaluate)

    def group(self, children):
        return _values(children)[0]

    braced = group

    def abs(self, children):
        return sp.Abs(_values(children)[0], evaluate=self.evaluate)

    def name(self, children):
        head, rest = children[0], children[1:]
        if head == "I":  # latex2sympy2's imaginary unit, whatever its subscript or power
            return sp.I
        suffix = "".join(_subscript_suffix(t) for t in rest if isinstance(t, Token) and t.type == "SUBSCRIPT")
        symbol = sp.Symbol(_symbol_base(head) + suffix)
        exponents = _values(rest)
        return sp.Pow(symbol, exponents[0], evaluate=self.evaluate) if exponents else symbol

    def sup_atom(self, children):
        token = children[0]
        return {"HEAD": self.name, "NUMBER": self.number, "CONSTANT": self.constant,
                "MATHIT_TEXT": self.mathit_text}[token.type]([token])

    def number(self, children):
        text = str(children[0])
        if text.endswith("\\%"):
            return sp.Rational(sp.Rational(text[:-2]), 100)
        return sp.Rational(text)

    def constant(self, children):
        return sp.pi if children[0] == "\\pi" else sp.oo

    def mathit_text(self, children):
        return sp.Symbol(children[0][len("\\mathit{"):-1])

    def call_sup(self, children):
        return children[1]

    def powers(self, children):
        return _values(children)

    def call(self, children):
        name = "".join(t for t in children if isinstance(t, Token) and t.type in ("HEAD", "SUBSCRIPT"))
        *sup, argument, exponents = _values(children)
        result = sp.Function(name.strip() if self.evaluate else name)(
            *(argument if isinstance(argument, sp.Tuple) else (argument,)))
        if sup:
            result = sp.Pow(result, sup[0], evaluate=self.evaluate)
        for exponent in exponents:
            result = sp.Pow(result, exponent, evaluate=self.evaluate)
        return result

    def multi_call(self, children):
        *sup, arguments, exponents = _values(children)
        return self.call([*(t for t in children if isinstance(t, Token)), *sup, arguments, exponents])

    def arguments(self, children):
        return sp.Tuple(*_values(children))

    def product(self, children):
        head = [t for t in children if isinstance(t, Token) and t.type in ("HEAD", "SUBSCRIPT")]
        *sup, inner, exponents = _values(children)
        atom = self.name(head + ([Token("CARET", "^")] + sup if sup else []))
        for exponent in exponents:
            inner = sp.Pow(inner, exponent, evaluate=self.evaluate)
        return _mul_flat(atom, inner, self.evaluate)

    def frac(self, children):
        upper, lower = _values(children)
        return sp.Mul(upper, sp.Pow(lower, -1, evaluate=self.evaluate), evaluate=self.evaluate)

    def sqrt(self, children):
        return sp.Pow(_values(children)[0], sp.S.Half, evaluate=self.evaluate)

    def subeq(self, children):
        return tuple(_values(children))

    def sum(self, children):
        values = _values(children)
        limits = next(v for v in values if isinstance(v, tuple))
        end = next(v for v in values[:2] if not isinstance(v, tuple))
        body = values[2]
        kind = sp.Sum if children[0] == "\\sum" else sp.Product
        return kind(body, (limits[0], limits[1], end))

    def exp_e(self, children):
        values = _values(children)
        return sp.exp(values[0] if values else 1)

    def named(self, children):
        name = children[0][1:]
        values = _values(children)
        argument = values[-1]
        power = values[0] if len(values) == 2 else None
        if name in ("log", "ln"):
            expr = sp.log(argument) if self.evaluate else sp.log(argument, sp.E, evaluate=False)
        elif name == "exp":
            expr = sp.exp(argument)
        elif power == -1:
            return getattr(sp, "a" + name)(argument, evaluate=self.evaluate)
        else:
            expr = getattr(sp, name)(argument, evaluate=self.evaluate)
        return sp.Pow(expr, power, evaluate=self.evaluate) if power else expr

    def maxmin(self, children):
        function = sp.Max if children[0] == "\\max" else sp.Min
        return function(*_values(children), evaluate=self.evaluate)


def parse_expression(text: str, evaluate: bool = False) -> sp.Expr:
    r"""Parse one LaTeX expression as latex2sympy2 would, unevaluated (the adapter evaluates it); with ``evaluate``,
    as the adapter makes of it (canonical, ``\log`` natural: see :class:`ToSympy`).

    Raises :class:`~symsoft.errors.LatexParseError` on what the grammar cannot read or does not mirror.

    >>> parse_expression(r"\sum_{k=1}^{C} \log \hat{y}_k")
    Sum(log(\hat{y}_k, E), (k, 1, C))
    >>> parse_expression(r"\partial x")
    Traceback (most recent call last):
    ...
    symsoft.errors.LatexParseError: the fast grammar does not read this LaTeX (the command \partial): \partial x
    """
    try:
        tree = _parser().parse(text)
        _mark_calls(tree)
        return ToSympy(evaluate).transform(tree)
    except LatexParseError:
        raise
    except (LarkError, ValueError, TypeError, AttributeError, RecursionError) as error:
        inner = getattr(error, "orig_exc", None)
        if isinstance(inner, LatexParseError):
            raise inner from None
        raise LatexParseError(f"the fast grammar cannot read this LaTeX: {text[:80]}", text) from None
