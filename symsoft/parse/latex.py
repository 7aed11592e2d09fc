r"""Parse the LaTeX of one display equation into relation chains of SymPy expressions.

Text becomes structure in three small steps:

1. :func:`normalize_latex` removes spacing and sizing commands and the prose tail of a display
   (``, \forall i = 1, \dots, N``);
2. :func:`split_chain` turns ``A &= B \\ &= C`` (or ``A = B \leq C``) into sides and relations;
3. :func:`parse_side` replaces what latex2sympy2 misreads — derivatives and indexed atoms such
   as ``w_j^{(i)}`` or ``\hat{y}_k`` — by placeholder symbols, hands the rest to the adapter,
   and returns the expression with a table that says what each placeholder stands for.

Nothing here gives a symbol its meaning; that is :mod:`symsoft.models.softmax.bind`'s job.

>>> from symsoft.parse.latex import parse_equation
>>> chain = parse_equation(r"\sigma(z_i) = \frac{e^{z_i}}{\sum_{k=1}^C e^{z_k}} \leq 1")
>>> [side.text for side in chain.sides], chain.relations
(['\\sigma(z_i)', '\\frac{e^{z_i}}{\\sum_{k=1}^C e^{z_k}}', '1'], ('=', '<='))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import sympy as sp

from symsoft.errors import LatexParseError
from symsoft.parse.adapter import parse_latex
from symsoft.read.document import SUBSCRIPT_CASE, subscript_case

#: Relation commands and the relation each stands for.
RELATIONS = {
    "\\leqslant": "<=",
    "\\geqslant": ">=",
    "\\leq": "<=",
    "\\geq": ">=",
    "\\le": "<=",
    "\\ge": ">=",
    "\\neq": "!=",
    "\\ne": "!=",
    "=": "=",
    "<": "<",
    ">": ">",
}

_DROP = [
    r"\\displaystyle", r"\\textstyle", r"\\left(?![a-zA-Z])", r"\\right(?![a-zA-Z])",
    r"\\[bB]igg?[lr]?(?![a-zA-Z])", r"\\q?quad(?![a-zA-Z])", r"\\[,;:!]", r"\\ ", r"~",
    r"\\limits(?![a-zA-Z])", r"\\nolimits(?![a-zA-Z])",
    r"\\(?:tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge)(?![a-zA-Z])",  # sizes only
    r"\\require\s*\{[a-zA-Z]*\}",  # MathJax's extension loader (\require{cancel}): no mathematics
    # spacing and struts: layout, never a factor (\hspace{1cm}, \kern2pt, \phantom{-}, \strut, \hfill, \middle|)
    r"\\[hv]space\*?\s*\{[^{}]*\}", r"\\(?:[hv]skip|m?kern|mskip)\s*-?[0-9.]+\s*(?:em|ex|pt|mm|cm|in|mu|bp|pc|sp)",
    r"\\[hv]?phantom\s*\{[^{}]*\}",
    r"\\(?:short)?intertext\s*\{(?:[^{}]|\{[^{}]*\})*\}",  # words between the rows of an align
    r"\\(?:strut|mathstrut|hfill|hfil|enspace|thinspace|medspace|thickspace|negthinspace|negmedspace|negthickspace"
    r"|smallskip|medskip|bigskip|noindent|allowbreak|nobreak|middle)(?![a-zA-Z])",
]
_DROP_RE = re.compile("(?<!\\\\)(?:" + "|".join(_DROP) + ")")
_BRACED = r"(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})"
_SECOND_DERIVATIVE = re.compile(
    r"\\frac\s*\{\s*\\partial\s*\^\s*\{?2\}?\s*(?P<f>" + _BRACED + r"+?)\s*\}"
    r"\s*\{\s*\\partial\s*(?P<a>" + _BRACED + r"+?)\s*(?:\^\s*\{?2\}?|\\partial\s*(?P<b>" + _BRACED + r"+?))\s*\}"
)
_SECOND_OPERATOR = re.compile(  # \frac{\partial^2}{\partial a \partial b}, \frac{d^2}{dx^2}: the operator, nothing above
    r"\\frac\s*\{\s*(?P<d>\\partial|d)\s*\^\s*\{?\s*2\s*\}?\s*\}"
    r"\s*\{\s*(?P=d)\s*(?P<a>" + _BRACED + r"+?)\s*(?:\^\s*\{?\s*2\s*\}?|(?P=d)\s*(?P<b>" + _BRACED + r"+?))\s*\}")
_SECOND_D = re.compile(  # \frac{d^2 f}{da^2}: the ordinary second derivative
    r"\\frac\s*\{\s*d\s*\^\s*\{?2\}?\s*(?P<f>(?:\\[a-zA-Z]+|[a-zA-Z])(?:_\{?[a-zA-Z0-9]\}?)?(?:\s*\([^()]*\))?)\s*\}"
    r"\s*\{\s*d\s*(?P<a>(?:\\[a-zA-Z]+|[a-zA-Z])(?:_\{?[a-zA-Z0-9]\}?)?)\s*\^\s*\{?2\}?\s*\}"
)
_SLASH_OPERAND = (r"(?:\\sigma\s*\(\s*z_\{?\w\}?\s*\)|\\sigma_\{?\w\}?|\\mathcal\{L\}|\\ell|[a-zA-Z](?:_\{?\w{1,3}\}?)?(?:\^\{?\(\w\)\}?)?"
                  r"|[a-zA-Z]_\{\s*\\(?:text|mathrm)\s*\{[a-zA-Z]+\}\s*\}|\\mathit\{Dsub[A-Za-z]+D[A-Za-z]\}"  # J_{\text{reg}}
                  r"|\\(?:theta|beta|alpha|omega|mu|eta|phi|psi|gamma|lambda|tau|xi)(?![a-zA-Z])(?:_\{?\w{1,3}\}?)?)")
_SLASH_DERIVATIVE = re.compile(
    r"(?<![\\{])\\partial\s*(?P<f>" + _SLASH_OPERAND + r")\s*/\s*\\partial\s*(?P<v>" + _SLASH_OPERAND + r")"
)
_SLASH_D = re.compile(  # dL/dw, dA_1/d Z_1: the ASCII derivative of forum posts (d neither a letter's end nor a command)
    r"(?<![\\a-zA-Z0-9{}])d\s*(?P<f>" + _SLASH_OPERAND + r")\s*/\s*d\s*(?P<v>" + _SLASH_OPERAND + r")(?![a-zA-Z0-9_^{(])"
)
_PROSE_TAIL = re.compile(r"[,;]?\s*\(?\s*(\\forall|\\text\{|\\mbox\{|\\mathrm\{(?:for|if|when)|\\textrm\{|\\quad\s*\\text).*$",
                         re.DOTALL)


def _prose_tail(text: str):
    r"""The first match of :data:`_PROSE_TAIL` outside every brace group (``\frac{e^{\text{input}}}{...}`` holds words
    inside the formula: no tail starts there), or None.

    >>> _prose_tail(r"\frac{e^{\text{in}}}{2} = 1 \text{ for all } i").group(0)
    ' \\text{ for all } i'
    >>> _prose_tail(r"y_j = P(\text{class = j} | x) = s_j") is None
    True
    """
    position = 0
    while True:
        found = _PROSE_TAIL.search(text, position)
        if found is None:
            return None
        before = re.sub(r"\\[{}()]", "", text[:found.start()])
        argument = found.group(0).lstrip(",; ").startswith("(") and re.search(r"[A-Za-z0-9}\]]\s*$", before)
        if before.count("{") == before.count("}") and before.count("(") <= before.count(")") and not argument:
            return found  # never inside a bracket, nor an argument: P(\text{class = j} | x) holds words
        position = found.start() + 1
_INDEX_CHARS = "a-zA-Z0-9"
_ATOM = re.compile(
    r"(?P<base>\\mathit\{D[a-z][A-Za-z]*D[A-Za-z]+\}|\\hat\{[a-zA-Z]\}|\\hat\s+[a-zA-Z]|\\tilde\{[a-zA-Z]\}|\\bar\{[a-zA-Z]\}|\\delta|\\sigma"
    r"|\\(?:theta|beta|alpha|mu|phi|psi|eta|gamma|omega|pi|ell)(?![a-zA-Z])|(?<![\\a-zA-Z])[a-zA-Z])"
    r"(?:"
    r"_(?P<sub>\{[^{}]*\}|[a-zA-Z0-9])(?:\^\{?\((?P<sup>[a-zA-Z0-9]+|[lL]\s*[+-]\s*1)\)\}?)?"
    r"|\^\{?\((?P<sup_first>[a-zA-Z0-9]+|[lL]\s*[+-]\s*1)\)\}?_(?P<sub_after>\{[^{}]*\}|[a-zA-Z0-9])"
    r"|\^\{\((?P<sup_only>[a-zA-Z0-9]+|[lL]\s*[+-]\s*1)\)\}|\^\((?P<sup_bare>[a-zA-Z0-9]+)\)"
    r")"
)
_GREEK_BASE = r"\\(?:theta|beta|alpha|mu|phi|psi|eta|gamma|omega|lambda|sigma|delta)(?![a-zA-Z])"
#: A letter with a decoration that makes it another quantity: ``w^*``, ``b^{\text{new}}``, ``\theta_j'``. A primed
#: letter is read only where the document defines it (``w_j' = w_j - \alpha g_j``): elsewhere ``e_i'`` may be the
#: derivative of a shorthand ``e_i`` (the binder refuses it), and ``f'(x)``, followed by its argument, is a derivative.
_PRIME = r"(?:'|\^\s*\{\s*\\prime\s*\}|\^\s*\\prime(?![a-zA-Z]))"  # f', f^\prime, f^{\prime}
_DECORATED = re.compile(
    r"(?P<base>" + _GREEK_BASE + r"|(?<![\\a-zA-Z])[a-zA-Z])"
    r"(?P<sub>\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?"
    r"(?:\s*\^\s*\{\s*(?:\\(?:text|mathrm|rm|textrm|mathit)\s*\{\s*(?P<word>new|old|next|opt|best|init)\s*\}"
    r"|\\(?:text|mathrm|rm|textrm|mathit)\s*\{\s*(?P<word4>[A-Za-z]{3,})\s*\}"  # L^{\text{lasso}}: a name of its own
    r"|(?P<word2>new|old|next|opt|best|init)|\(\s*(?P<word3>new|old)\s*\)|(?P<star>\*|\\star|\\ast))\s*\}"
    r"|\s*\^\s*(?P<star2>\*|\\star|\\ast)|(?P<prime>'|\s*\^\s*(?:\{\s*\\prime\s*\}|\\prime(?![a-zA-Z])))(?!\s*[('])(?<!\\prime'))"
    r"(?P<sub2>\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?"
    r"(?!')"
)


def _decorate(match: re.Match) -> str:
    before = match.string[: match.start()]
    opened = before.rfind("_{")
    if opened >= 0 and before.count("{", opened) > before.count("}", opened):
        return match.group(0)  # \delta_{k c^*}: an index (the true class c^*), not a quantity
    tag = (match.group("word") or match.group("word2") or match.group("word3")
           or ("sup" + match.group("word4") if match.group("word4") else None)
           or ("prime" if match.group("prime") else "star"))
    sub = match.group("sub") or match.group("sub2") or ""
    return "\\mathit{D%sD%s}%s" % (tag, match.group("base").lstrip("\\"), sub.replace(" ", ""))


#: a parameter's letter in a function's name, plain or marked as a vector (``w``, ``\vec{w}``, ``\mathbf w``)
_PARAMETER_LETTER = r"(?:\\(?:vec|mathbf|bm|boldsymbol)\s*\{?\s*([a-z])\s*\}?|([a-z]))"


def called_name(name: str) -> str:
    r"""The name of a function as written, from the parser's: ``\mathit{Ghxtheta}`` is ``h_{\theta}``.

    >>> called_name(r"\mathit{Ghxtheta}"), called_name("f"), called_name(r"\mathit{Gfxwb}")
    ('h_{\\theta}', 'f', 'f_{w,b}')
    """
    greek = re.fullmatch(r"\\mathit\{G([A-Za-z])x([a-z]+)\}", name)
    if greek and greek.group(2) not in _GREEK_NAMES.split("|"):  # f_{w,b}: the parameters' letters
        return f"{greek.group(1)}_{{{','.join(greek.group(2))}}}"
    return f"{greek.group(1)}_{{\\{greek.group(2)}}}" if greek else name


def decorated_name(placeholder: str) -> str:
    r"""The name a decorated letter is shown with: ``w^*``, ``b^{new}``, ``\theta'``.

    >>> decorated_name(r"\mathit{DstarDw}"), decorated_name(r"\mathit{DprimeDtheta}"), decorated_name(r"\mathit{DnewDb}")
    ('w^*', "\\theta'", 'b^{new}')
    >>> decorated_name(r"\mathit{DsupLogisticDL}")
    'L^{\\text{Logistic}}'
    """
    found = re.fullmatch(r"\\mathit\{D([a-z][A-Za-z]*)D([A-Za-z]+)\}", placeholder)
    if found is None:
        return placeholder
    tag, letter = found.groups()
    letter = letter if len(letter) == 1 else "\\" + letter
    if tag.startswith("sub") and len(tag) > 4:  # L_{\text{CE}}
        return letter + "_{\\text{%s}}" % tag[3:]
    if tag.startswith("sup") and len(tag) > 5:  # L^{\text{lasso}}
        return letter + "^{\\text{%s}}" % tag[3:]
    return letter + {"star": "^*", "prime": "'", "pprime": "''", "deriv": "'", "max": "_{\\max}",
                     "min": "_{\\min}"}.get(tag, "^{%s}" % tag)


#: Greek letters a document may use as constants (\lambda, \epsilon, \eta, ...), as the LaTeX parser names them.
GREEK = frozenset({
    "alpha", "beta", "gamma", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Theta", "Lambda", "Xi", "Phi", "Psi", "Omega",
})
_GREEK_NAMES = "|".join(sorted(GREEK, key=len, reverse=True))
#: the names of losses written in capitals, each one name (``\frac{\partial NLL}{\partial w}``), never a product of
#: letters; other runs of capitals (``XW``, ``AB``) stay products
_LOSS_ACRONYMS = "NLL|MSE|RMSE|MAE|SSE|RSS|BCE|KL|ELBO|LL|CE"  # matched as whole words only

_PLACEHOLDER = "\\mathit{{Q{0}}}"
#: Stands for the upper bound of a sum written without one (``\sum_k``).
IMPLICIT_BOUND = "\\mathit{Bound}"


@dataclass(frozen=True)
class Atom:
    r"""An indexed atom as written, e.g. ``w_j^{(i)}``: base, subscripts, superscripts, span."""

    base: str
    subscripts: tuple[str, ...]
    superscripts: tuple[str, ...]
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DerivativeNote:
    r"""A derivative as written: what is differentiated, by what, and any typo found in it."""

    operand: "ParsedSide"
    variable: "ParsedSide"
    start: int
    end: int
    text: str
    typo: str | None = None


@dataclass(frozen=True)
class CallNote:
    r"""A function applied to an expression as written, ``\sigma(-z)`` or ``f(w x + b)``: the name and the argument."""

    name: str
    argument: "ParsedSide"
    text: str
    #: a power is written right after the closing bracket (``y(1 - y)^2``): where the call is a quantity times a
    #: bracket, the power is the bracket's
    powered: bool = False


@dataclass(frozen=True)
class ParsedSide:
    """One side of a relation: its normalised text, the SymPy expression and its placeholders."""

    text: str
    expr: sp.Expr
    placeholders: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Chain:
    """A parsed display: sides ``s0 r1 s1 r2 s2 ...``; step n is ``sides[n-1] relations[n-1] sides[n]``."""

    sides: tuple[ParsedSide, ...]
    relations: tuple[str, ...]
    tail: str = ""

    def equations(self) -> tuple["Chain", ...]:
        r"""The equations a display joins with commas or rows (relation ``|``), one chain each; a side that stands
        in no relation is a chain of its own with no relation.

        >>> [[s.text for s in c.sides] for c in parse_equation(r"g_i = e^{a_i}, h_i = 2").equations()]
        [['g_i', 'e^{a_i}'], ['h_i', '2']]
        """
        if "|" not in self.relations:
            return (self,)
        out, start = [], 0
        for end in [n for n, relation in enumerate(self.relations) if relation == "|"] + [len(self.relations)]:
            out.append(Chain(self.sides[start:end + 1], self.relations[start:end],
                             self.tail if end == len(self.relations) else ""))
            start = end + 1
        return tuple(out)


def display_latex(text: str) -> str:
    r"""The normalised text as a reader wrote it: a sum given no bound shows none.

    >>> display_latex(r"\sum_{k=1}^{\mathit{Bound}} e^{z_k}"), display_latex(r"\mathit{DstarDw} \mathit{Ghxtheta}(x)")
    ('\\sum_{k} e^{z_k}', 'w^* h_{\\theta}(x)')
    """
    text = re.sub(r"\\sum_\{([a-zA-Z])=1\}\^\{\\mathit\{Bound\}\} \(1 - \\delta_\{[a-zA-Z]([a-zA-Z])\}\)",
                  r"\\sum_{\1 \\neq \2}", text)
    text = re.sub(r"\\mathit\{D[a-z][A-Za-z]*D[A-Za-z]+\}", lambda m: decorated_name(m.group(0)), text)
    text = re.sub(r"\\mathit\{G[A-Za-z]x[a-z]+\}", lambda m: called_name(m.group(0)), text)
    return re.sub(r"=1\}\^\{\\mathit\{Bound\}\}", "}", text)


_LEADING_CONDITION = re.compile(
    r"^\s*(?:\\begin\{aligned\}\s*)?(?:\{\s*\\rm\s+if\s*\}|\\(?:text|mathrm|textrm|mbox)\s*\{\s*if\s*\}|if)\s*"
    r"[a-zA-Z]\s*(?:=|\\neq?(?![a-zA-Z])|!=)\s*[a-zA-Z]\s*[,:]?")
_BARE_SUM = re.compile(r"\\sum(?![a-zA-Z])(?!\s*[_^])")


def _word(match: re.Match) -> str:
    before, depth = match.string[: match.start()], 0
    for position in range(len(before) - 1, -1, -1):  # the innermost group the word is in, if any
        if before[position] == "}":
            depth += 1
        elif before[position] == "{":
            if depth == 0:
                if re.search(r"\\(?:text[a-z]*|math(?:rm|it|bf|sf|tt|cal|bb|frak)|mbox|hbox|operatorname|begin|end|label|"
                             r"tag|(?:text)?color|rm|it|bf)\s*$", before[:position]):
                    return match.group(0)  # \text{, hence }, \operatorname{softmax}: a command's argument
                break
            depth -= 1
    if match.group(0) in ("log", "exp", "max", "min", "for"):
        return match.group(0)
    return "\\mathit{" + match.group(0) + "}"


def _command_group(text: str, command: str):
    """``(start, inside, end)`` of the first ``command{...}`` in ``text`` (the group's text and the span it takes), or
    None when there is none or its braces do not close."""
    found = re.search(command + r"\s*\{", text)
    if found is None:
        return None
    try:
        end = _matching(text, found.end() - 1, "{", "}")
    except LatexParseError:
        return None
    return found.start(), text[found.end(): end - 1], end


def _eqalign_as_aligned(text: str) -> str:
    r"""Plain TeX's ``\eqalign{a &= b \cr &= c}`` (and ``\displaylines{...}``) as ``\begin{aligned} ... \end{aligned}``.

    >>> _eqalign_as_aligned(r"\eqalign{ a &= b \cr &= c }")
    '\\begin{aligned}  a &= b \\\\ &= c  \\end{aligned}'
    """
    group = _command_group(text, r"\\(?:eqalign(?:no)?|displaylines)")  # \displaylines{a \\ = b}: rows too
    if group is None:
        return text
    start, inside, end = group
    return text[:start] + "\\begin{aligned} " + re.sub(r"\\cr(?![a-zA-Z])", r"\\\\", inside) + " \\end{aligned}" + text[end:]


#: the name an expectation is read under: a function the document never defines, so no step through it is decided
EXPECTATION = "\\operatorname{Expectation}"
_EXPECTATION = re.compile(
    r"(?:\\(?:mathbb|mathrm|operatorname|mathsf)\s*\{\s*(?:\\mathbb\s*\{\s*)?E\s*\}?\s*\}|\\mathbb\s+E"  # \mathbb{E}
    r"|(?<![\\a-zA-Z{])E(?=\s*(?:_\s*(?:[pqPQ](?![a-zA-Z])|\{\s*[pqPQ]\s*\}|\{[^{}]*\\sim[^{}]*\})\s*(?:\\left\s*)?[(\[|]"
    r"|(?:_\s*(?:\{[^{}]*\}|[a-zA-Z]))?\s*(?:\\left\s*)?\[)))"  # E_p(...), E_{x \sim p}[...], E[y]: never E_D(w)
    r"(?:\s*_\s*(?:\{[^{}]*\}|[a-zA-Z]))?\s*(?:\\left\s*)?(?=[(\[|])")


def _expectations(text: str) -> str:
    r"""An expectation, ``\mathbb{E}_{x \sim p}[f(x)]``, ``E_p(\log p - \log q)``, ``E_p|x - \mu|``, ``E[y]``, as a
    function the document does not define (:data:`EXPECTATION` of the bracket): never the product of a letter E with
    the bracket (``E_p(a + b) = a + E_p b`` is no identity of numbers to refute). ``E(w)`` and ``E_D(w)``, an error
    of the weights, stay as they are.

    >>> _expectations(r"E_p(\log p(x)) + \frac{1}{b}E_p|x-\mu| - \mathbb{E}_{x \sim q}\left[ x^2 \right] + E_D(w) + E(w)")
    '\\operatorname{Expectation}(\\log p(x)) + \\frac{1}{b}\\operatorname{Expectation}(|x-\\mu|) - \\operatorname{Expectation}( x^2 ) + E_D(w) + E(w)'
    """
    out, position = [], 0
    for found in _EXPECTATION.finditer(text):
        if found.start() < position:
            continue
        opener = text[found.end()]
        if opener == "|":
            close = text.find("|", found.end() + 1)
            if close < 0:
                continue
            inside, end = text[found.end(): close + 1], close + 1
        else:
            try:
                end = _matching(text, found.end(), opener, ")" if opener == "(" else "]")
            except LatexParseError:
                continue
            inside = re.sub(r"\\right\s*$", "", text[found.end() + 1: end - 1])
        out.append(text[position: found.start()] + EXPECTATION + "(" + inside + ")")
        position = end
    return "".join(out) + text[position:]


def _arguments_in_braces(text: str) -> str:
    r"""A function's argument written in braces, as in parentheses: ``\max\{0, 1 - yz\}`` (set braces), and
    ``\exp\{z_i\}``, ``\exp{(-\lambda)}``, ``\log{x}`` (the braces delimit the argument: ``\exp\{z_i\}/\sum_j
    \exp\{z_j\}`` is a quotient of exponentials, ``\log{q} b`` is a product), when the braces balance; ``exp`` and
    ``log`` without a backslash too.

    >>> _arguments_in_braces(r"\max\{0 ,-(y_i x_i)\} + \min \left\{a, b\right\}")
    '\\max(0 ,-(y_i x_i)) + \\min(a, b)'
    >>> _arguments_in_braces(r"exp\{z_i/T\}/\sum_j \exp\left\{z_j\right\} + \log{\sigma^2} b - \exp{(-\lambda)}\lambda")
    '\\exp(z_i/T)/\\sum_j \\exp(z_j) + \\log(\\sigma^2) b - \\exp((-\\lambda))\\lambda'
    """
    out, position = [], 0
    for found in re.finditer(r"(?:\\|(?<![\\a-zA-Z])(?=exp|log|ln))(?:(max|min)\s*(?:\\left\s*)?(\\\{)"
                             r"|(exp|log|ln)\s*(?:\\left\s*)?(\\\{|\{))", text):
        if found.start() < position:
            continue
        name, opener = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
        depth, end = 1, found.end()
        while end < len(text):
            if opener == "\\{" and (text.startswith("\\{", end) or text.startswith("\\}", end)):
                depth += 1 if text[end + 1] == "{" else -1
                if depth == 0:
                    break
                end += 2
                continue
            if opener == "{" and text[end] in "{}" and text[end - 1] != "\\":
                depth += 1 if text[end] == "{" else -1
                if depth == 0:
                    break
            end += 1
        if depth:
            continue
        inside = re.sub(r"\\right\s*$", "", text[found.end(): end])
        out.append(text[position: found.start()] + "\\" + name + "(" + inside + ")")
        position = end + len(opener)
    return "".join(out) + text[position:]


def _unboxed(text: str) -> str:
    r"""``\boxed{...}`` (a result framed for the reader) as its content.

    >>> _unboxed(r"\boxed{a = b} + 1")
    'a = b + 1'

    Boxes side by side are the cells of a row, a vector written out, never a product:

    >>> _unboxed(r"o = \boxed{2}\boxed{3} \boxed{4}")
    'o = \\begin{pmatrix} 2 & 3 & 4 \\end{pmatrix}'
    """
    cell = r"\\boxed\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"
    row = re.compile(cell + r"(?:\s*" + cell + r")+")
    text = row.sub(lambda m: "\\begin{pmatrix} %s \\end{pmatrix}" % " & ".join(
        c.strip() for c in re.findall(cell, m.group(0))), text)
    for _ in range(10):
        group = _command_group(text, r"\\(?:boxed|fbox)")
        if group is None:
            return text
        start, inside, end = group
        text = text[:start] + inside + text[end:]
    return text


def _unmarked(text: str) -> str:
    r"""Marks a reader sees around a term, dropped for the term: ``\cancel{x}`` (and ``\bcancel``, ``\xcancel``,
    ``\cancelto{0}{x}``), ``\underbrace{x}_{\text{Part I}}`` and ``\overbrace{x}^{...}`` (their labels go too).

    >>> _unmarked(r"\frac{1}{\cancel{h}} \cancel{h} + \underbrace{\frac{\partial}{\partial t} a}_{\text{Part I}} + \cancelto{0}{b}")
    '\\frac{1}{h} h + \\frac{\\partial}{\\partial t} a + b'
    """
    for _ in range(20):
        group = _command_group(text, r"\\(?:[bx]?cancel|underbrace|overbrace|cancelto\s*\{[^{}]*\})(?![a-zA-Z])")
        if group is None:
            return text
        start, inside, end = group
        label = re.match(r"\s*[_^]\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\S)", text[end:]) if re.match(
            r"\\(?:under|over)brace", text[start:]) else None
        if label and re.search(r"=|<|>|\\[lg]eq?(?![a-zA-Z])|\\approx", label.group(0)):
            return text  # the label claims something (\underbrace{x}_{= y}): never dropped unread
        text = text[:start] + inside + text[end + (label.end() if label else 0):]
    return text


def _frac_tokens(text: str) -> str:
    r"""TeX's ``\frac12``, ``\frac1{\lambda^2}`` and ``\frac{x}\lambda``: an argument of one token (a digit, a letter
    or a command) braced, as every reader below expects.

    >>> _frac_tokens(r"\frac1{\lambda^2} + \frac{x}\lambda - \dfrac12 + \frac{a}{b}")
    '\\frac{1}{\\lambda^2} + \\frac{x}{\\lambda} - \\dfrac{1}{2} + \\frac{a}{b}'
    """
    if not re.search(r"\\[dt]?frac\s*[^{\s]|\\[dt]?frac\s*\{", text):
        return text
    out, position = [], 0
    for found in re.finditer(r"\\[dt]?frac(?![a-zA-Z])", text):
        if found.start() < position:
            continue
        out.append(text[position:found.end()])
        position = found.end()
        for _argument in range(2):
            rest = text[position:]
            space = len(rest) - len(rest.lstrip())
            rest = rest.lstrip()
            if rest.startswith("{"):
                try:
                    end = _matching(rest, 0)
                except LatexParseError:
                    return text
                out.append(rest[:end])
                position += space + end
                continue
            token = re.match(r"\\[a-zA-Z]+|[a-zA-Z0-9]", rest)
            if token is None:
                return text
            out.append("{" + token.group(0) + "}")
            position += space + token.end()
    out.append(text[position:])
    return "".join(out)


def _over_as_frac(text: str) -> str:
    r"""TeX's ``{a \over b}`` as ``\frac{a}{b}`` (the group that holds ``\over`` is the fraction).

    >>> _over_as_frac(r"{\partial E \over \partial u_{11}} + 1")
    '\\frac{\\partial E}{\\partial u_{11}} + 1'
    """
    for _ in range(20):
        found = re.search(r"\\over(?![a-zA-Z])", text)
        if found is None:
            return text
        depth, start = 0, -1
        for position in range(found.start() - 1, -1, -1):
            depth += {"}": 1, "{": -1}.get(text[position], 0)
            if depth < 0:
                start = position
                break
        if start < 0:
            return text
        try:
            end = _matching(text, start, "{", "}")
        except LatexParseError:
            return text
        text = (text[:start] + "\\frac{" + text[start + 1: found.start()].strip() + "}{"
                + text[found.end(): end - 1].strip() + "}" + text[end:])
    return text


_NESTED = r"\{(?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*\}"  # a brace group three deep
_DEFINES = re.compile(r"\\(?:stackrel|overset|underset)\s*" + _NESTED + r"\s*\{?\s*=\s*\}?"
                      r"|:=|\\coloneqq(?![a-zA-Z])|\\equiv(?![a-zA-Z])|\\triangleq(?![a-zA-Z])|\\doteq(?![a-zA-Z])")


def _defining_sign(match: re.Match) -> str:
    r"""A definition's sign (``:=``, ``\equiv``, ``\triangleq``, ``\overset{def}{=}``) is ``=``, except in an update whose
    left side is on its right (``\theta_0 := \theta_0 - \alpha g``): an assignment, never an equation.

    >>> re.sub(_DEFINES, _defining_sign, r"w := w - \alpha g"), re.sub(_DEFINES, _defining_sign, r"a := b")
    ('w  \\leftarrow  w - \\alpha g', 'a  =  b')
    """
    text = match.string
    left = re.split(r"\\\\|&|[,;]", text[: match.start()])[-1].strip()
    right = text[match.end():]
    if left and re.search(r"(?<![\\a-zA-Z])" + re.escape(left) + r"(?![a-zA-Z0-9_^'])", right):
        return " \\leftarrow "
    return " = "


def _written_loosely(text: str) -> str:
    r"""What authors write loosely, in the form the parser reads: ``A =& B`` aligned at the relation, a leading
    ``{\rm if} i=j,`` (the display's condition, read by the document), ``\mathcal L`` and ``\hat y`` without
    braces, ``log(y)`` and ``exp(z)`` without a backslash, ``\sum_j^C`` and ``\sum^K_{j=1}``, and a bare
    ``\sum e^{x_k}`` over the one index its summand has.

    >>> _written_loosely(r"{\rm if} i=j, a =& \sum e^{x_k} + log(y) \\ =& \mathcal L \sum_j^C \hat y_j mx_j")
    ' a &= \\sum_{k} e^{x_k} + \\log(y) \\\\ &= \\mathcal{L} \\sum_{j=1}^{C} \\hat{y}_j m x_j'
    >>> _written_loosely(r"\sum _{k \in C} y_k + \sum_{j \neq i \in C} a_j + \sum_{k = i} b_k {\cosh}^{2} x")
    '\\sum_{k=1}^{C} y_k + \\sum_{j \\neq i } a_j + \\sum_{k} \\delta_{ki} b_k \\cosh^{2} x'
    >>> _written_loosely(r"a := b \equiv c \stackrel{\text{def}}{=} d")
    'a  =  b  =  c  =  d'
    >>> _written_loosely(r"\sum_{i \neq j}^C {\color{red}{-p_k}}")
    '\\sum_{i \\neq j} { {-p_k}}'
    >>> _written_loosely(r"\frac{dL}{dx_j} = -\sum t_i \frac{1}{y_i} \frac{dy_i}{dx_j}")
    '\\frac{dL}{d x_j} = -\\sum_{i} t_i \\frac{1}{y_i} \\frac{d y_i}{d x_j}'
    """
    text = _over_as_frac(text)
    text = _frac_tokens(text)
    text = re.sub(r"(?<=[}\s])\{\s*\}", " ", text)  # \frac{a}{b}{}: an empty group is nothing
    text = _dotted_sums(text)
    text = _periods_as_products(text)
    text = _eqalign_as_aligned(text)
    text = _unboxed(text)
    text = _arguments_in_braces(_expectations(text))
    # TeXmacs' export: {\sum^n_{k = 0}} b_k and \frac{d a}{{d z_k}}: braces around a big operator, or doubled
    text = re.sub(r"(?<![\\_^a-zA-Z])\{\s*(\\(?:sum|prod)(?:\s*[_^]\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))*)\s*\}", r"\1 ", text)
    text = re.sub(r"(?<=\})\{\s*\{([^{}]*)\}\s*\}", r"{\1}", text)
    text = _unmarked(text)
    # \text{Cost}(...): a function named in words (its call, never prose)
    text = re.sub(r"\\(?:text|mathrm|textrm)\s*\{\s*([A-Za-z]{2,})\s*\}(?=\s*\()",
                  lambda m: m.group(1) if re.fullmatch(r"[a-z]+|[A-Z][a-z]+", m.group(1)) else "\\mathit{%s}" % m.group(1),
                  text)  # ReLU: one name too, though no word pattern below takes it
    # \frac{\delta E}{\delta z_j}: a derivative written with deltas (never a Kronecker delta, which has two indices)
    text = re.sub(r"\\frac\s*\{\s*\\delta(?![a-zA-Z_])\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\{\s*\\delta(?![a-zA-Z_])\s*"
                  r"([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", r"\\frac{\\partial \1}{\\partial \2}", text)
    # \frac{\delta \ell}{\partial \beta_j}, \frac{\delta^2 \ell}{\partial a \partial b}: a delta above a \partial below
    text = re.sub(r"\\frac\s*\{\s*\\delta(?![a-zA-Z_])(\s*\^\s*(?:\{\s*\d\s*\}|\d))?(?=[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*"
                  r"\\partial(?![a-zA-Z]))", r"\\frac{\\partial\1", text)
    text = re.sub(r"\\frac\s*\{\s*-\s*(\\partial|d)(?![a-zA-Z])", r"-\\frac{\1", text)  # \frac{-\partial L}{...}: minus the derivative
    # \frac{\partial}{o_k}: the \partial dropped below (nothing else reads there)
    text = re.sub(r"\\([dt]?)frac\s*\{\s*\\partial\s*\}\s*\{\s*([a-zA-Z](?:\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?)\s*\}",
                  r"\\\1frac{\\partial}{\\partial \2}", text)
    text = re.sub(r"\{\s*\\rm\s+(log|exp|ln|sin|cos|tanh)\s*\}", r"\\\1", text)  # {\rm log}
    text = re.sub(r"\{\s*\\rm\s+e\s*\}", "e", text)  # {\rm e}^{z}
    text = re.sub(r"_\s*\{\s*\\rm\s+([a-zA-Z]{2,})\s*\}", r"_{\\text{\1}}", text)  # J_{\rm reg}: a word under a letter
    # z_{\text{max}}, z_{\max}: the largest one, a name of its own
    text = re.sub(r"(?<![\\a-zA-Z])([a-zA-Z])_\s*\{\s*(?:\\(?:text|mathrm|rm|operatorname)\s*\{?\s*|\\)(max|min)\s*\}?\s*\}",
                  r"\\mathit{D\2D\1}", text)
    # L_{\text{CE}}, n_{\mathrm{out}}: a word under a letter names a quantity (or a size) of its own
    text = re.sub(r"(?<![\\a-zA-Z])([a-zA-Z])_\s*\{\s*(?:\\(?:text|mathrm|rm|textrm|operatorname)\s*\{\s*([a-zA-Z]{2,})\s*\}"
                  r"|([A-Z]{2,}|(?=[a-z]*[aeou])[a-z]{4,}|out|pred|true|new|old|obs|reg|avg))\s*\}",  # L_{CE}, y_{actual}: never indices (a_{ijkl})
                  lambda m: "\\mathit{Dsub%sD%s}" % (m.group(2) or m.group(3), m.group(1)), text)
    found = _LEADING_CONDITION.match(text)
    if found:
        text = ("\\begin{aligned} " if "\\begin{aligned}" in found.group(0) else "") + text[found.end():]
    # a definition's sign: :=, \coloneqq, \equiv, \triangleq, \stackrel{\text{def}}{=}
    text = re.sub(_DEFINES, _defining_sign, text)
    text = re.sub(r"&\s*(=|\\[lg]eq?(?![a-zA-Z])|<|>)\s*&", r"&\1 ", text)  # eqnarray's a &=& b
    text = re.sub(r"(=|\\[lg]eq?(?![a-zA-Z])|<|>)\s*&(?!&)", r"&\1", text)
    text = re.sub(r"\\(sum|prod)\s+(?=[_^])", r"\\\1", text)  # \sum\limits _{k}: the space left by \limits
    # \Sigma^m_{i=1} x_i, \Sigma_{i=1}^{m}: a capital sigma with an index running from a bound is a sum (a
    # covariance matrix is never written with i=1 under it)
    text = re.sub(r"\\Sigma\s*(?=(?:\^\s*(?:\{[^{}]*\}|\w)\s*)?_\s*\{\s*[a-zA-Z]\s*=[^{}]*\})", r"\\sum", text)
    text = re.sub(r"\\color\s*\{[a-zA-Z]+\}", " ", text)  # {\color{red}{-p_k}}: a colour marks a term
    text = re.sub(r"\\textcolor\s*\{[a-zA-Z]+\}", " ", text)
    # \sum_{i \neq j}^C: the other classes (the bound is the one the index has anyway)
    text = re.sub(r"(\\sum_\{\s*[a-zA-Z]\s*(?:\\neq|\\ne(?![a-zA-Z])|!=)\s*[a-zA-Z]\s*\})\s*\^\s*(?:\{\s*[A-Z]\s*\}|[A-Z])", r"\1", text)
    # \sum_{k \in C}: over the C classes (C names the set of classes, and its size)
    text = re.sub(r"\\sum_\{\s*([a-zA-Z])\s*\\in\s*([A-Z])\s*\}(?!\s*\^)", r"\\sum_{\1=1}^{\2}", text)
    # \sum_{k \in C}, \sum_{j \neq i \in C}: over every class (C names the set of classes there)
    text = re.sub(r"(\\sum_\{\s*[a-zA-Z]\s*(?:(?:\\neq|\\ne(?![a-zA-Z])|!=)\s*[a-zA-Z]\s*)?)\\in\s*(?:[A-Z]|\\mathcal\{[A-Z]\}|\[\s*[A-Z]\s*\])\s*\}",
                  r"\1}", text)
    # \sum_{k = i} f_k (no upper bound, an index for the lower): the one term k = i
    text = re.sub(r"\\sum_\{\s*([a-zA-Z])\s*=\s*([a-zA-Z])\s*\}(?!\s*\^)", r"\\sum_{\1} \\delta_{\1\2}", text)
    text = re.sub(r"\{\s*\\(sinh|cosh|tanh|sin|cos|tan|log|exp)\s*\}", r"\\\1", text)  # {\cosh}^{2} x
    text = re.sub(r"\\(?:text|textrm|mathrm|rm)\s*\{\s*(softmax|sigmoid|diag|tanh|relu|ReLU|softplus)\s*\}",
                  r"\\operatorname{\1}", text)  # a function's name, never a comment that ends the formula
    text = re.sub(r"\\textbf\s*\{", r"\\mathbf{", text)
    text = re.sub(r"\\overrightarrow(?![a-zA-Z])", r"\\vec", text)  # \overrightarrow x: the vector x, as \vec x
    text = re.sub(r"\\(mathcal|mathbf|mathrm|hat|tilde|bar|bm|boldsymbol|vec|overline|widehat|widetilde)\s+([a-zA-Z])(?![a-zA-Z])", r"\\\1{\2}",
                  text)  # \bm x, \vec x: the letter braced, as every reader below expects

    text = re.sub(r"(?<![\\a-zA-Z{])(softmax|sigmoid|Softmax|Sigmoid)\s*\(", lambda m: "\\operatorname{%s}(" % m.group(1).lower(),
                  text)  # softmax(z_i), Softmax(z)_i: no backslash
    text = re.sub(r"(?<!\\)(log|exp|ln|max|min)\s*\(", r"\\\1(", text)  # -ylog(\hat{y}) too
    text = re.sub(r"(?<![\\a-zA-Z])(tanh|sinh|cosh|sin|cos)\s*\(", r"\\\1(", text)  # tanh(z): the function, never t a n h
    text = re.sub(r"\\exp\s*(?=\^)", " e", text)  # \exp^{x_i}: e to the power x_i
    text = re.sub(r"(?<![\\a-zA-Z])(log|ln)\s+(?=\\(?:hat|tilde|bar|sigma|mathbf|bm)(?![a-zA-Z])|[a-zA-Z](?![a-zA-Z]))",
                  r"\\\1 ", text)  # y_u log \hat{y}_u, log p_k: the logarithm, never three letters of a word
    text = re.sub(r"(?<![\\a-zA-Z])(?:[a-z]{3,}|[A-Z][a-z]{2,}|(?<![_^])(?<![_^]\{)(?:%s))(?![a-zA-Z])" % _LOSS_ACRONYMS, _word,
                  text)  # loss, Cost, NLL: one name
    # Loss(Error function): a name with a description in words after it (never its arguments)
    text = re.sub(r"(\\mathit\{[A-Za-z]{3,}\})\s*\(\s*\\mathit\{[a-zA-Z]{3,}\}(?:\s*\\mathit\{[a-zA-Z]{3,}\})+\s*\)", r"\1", text)
    text = re.sub(r"(?<![\\a-zA-Z_^{0-9])([a-zA-Z])([0-9]{1,2})(?![0-9a-zA-Z])", r"\1_{\2}", text)  # t1: t_1
    text = re.sub(r"(?<![\\a-zA-Z])(?<!\\text\{)(?<!\\mathrm\{)(?<!\\mathit\{)(?<!\\mbox\{)(?<!\\operatorname\{)"
                  r"([a-zA-Z])([a-zA-Z])(?=\s*_)", r"\1 \2", text)  # mx_i: m times x_i
    text = re.sub(r",\s*for\s+(?=[a-zA-Z]\s*(?:=|\\in(?![a-zA-Z])))", r", \\forall ", text)  # ", for i=1,..., C"
    text = re.sub(r"\\sum\s*_\s*\{?\s*([a-zA-Z])\s*\}?\s*\^\s*(\{[^{}]*\}|[a-zA-Z0-9])",
                  lambda m: "\\sum_{%s=1}^{%s}" % (m.group(1), m.group(2).strip("{}")), text)
    text = re.sub(r"\\sum\s*\^\s*(\{[^{}]*\}|[a-zA-Z0-9])\s*_\s*(\{[^{}]*\}|[a-zA-Z0-9])",
                  lambda m: "\\sum_%s^%s" % (m.group(2), m.group(1)), text)
    return _sum_scopes(_mean_bounds(_summed_vectors(_bare_sums(text))))


_TOKEN = r"(?:[^\s+\-=&{}()\\]|\\[a-zA-Z]+|\{(?:[^{}]|\{[^{}]*\})*\}|\((?:[^()]|\([^()]*\))*\))"
_TERM = _TOKEN + r"{1,24}(?:[ \t]+" + _TOKEN + r"{1,24}){0,3}"  # bounded: no backtracking through a long display
_INDEX_ONE = re.compile(r"_\s*(?:\{\s*1\s*\}|1(?![0-9]))")
_DOTTED = re.compile(r"(?<![^\s+\-=&{(])(?P<first>" + _TERM + r")\s*\+\s*(?:(?P<second>" + _TERM + r")\s*\+\s*)?"
                     r"(?:\\[lc]?dots|\\ldots|\.\.\.)\s*\+\s*(?P<last>" + _TERM + r")(?![^\s+\-=&})])")


def _dotted_sums(text: str) -> str:
    r"""A sum written out with dots, ``e^{z_1} + \dots + e^{z_C}`` or ``a_1 + a_2 + \cdots + a_n``, as the sum it
    is: the first term with its index 1, the last with the bound, everything else the same.

    >>> _dotted_sums(r"\frac{e^{z_1} + \dots + e^{z_C}}{x_{1} y_1 + x_{2} y_2 + \cdots + x_{n} y_n} + (a_1 + ... + b_C)")
    '\\frac{\\sum_{k=1}^{C} e^{z_{k}}}{\\sum_{k=1}^{n} x_{k} y_{k}} + (a_1 + ... + b_C)'
    """
    def flat(term: str) -> str:
        return re.sub(r"_\{([a-zA-Z0-9])\}", r"_\1", re.sub(r"\s+", "", term))

    def summed(match: re.Match) -> str:
        first, second, last = match.group("first"), match.group("second"), match.group("last")
        pieces = _INDEX_ONE.split(first)
        if len(pieces) < 2 or re.match(r"\s*\+\s*(?:\\[lc]?dots|\\ldots|\.\.\.)", text[match.end():]):
            return match.group(0)  # a_1 + ... + a_j + ... + a_n: the j-th term shown (see explicit_sums)
        pattern = r"_\s*\{?\s*(?P<bound>[a-zA-Z0-9]+)\s*\}?".join(re.escape(p) for p in pieces[:2]) + "".join(
            r"_\s*\{?\s*(?P=bound)\s*\}?" + re.escape(p) for p in pieces[2:])
        bound = re.fullmatch(pattern, last)
        term = lambda index: "".join(p + ("_{%s}" % index if n < len(pieces) - 1 else "") for n, p in enumerate(pieces))
        if bound is None or bound.group("bound") in ("1", "2") or (second and flat(second) != flat(term(2))):
            return match.group(0)
        letter = next((c for c in "kjmpqrstuv" if not re.search(r"(?<![\\a-zA-Z])" + c + r"(?![a-zA-Z])", text)), None)
        return match.group(0) if letter is None else "\\sum_{%s=1}^{%s} %s" % (letter, bound.group("bound"), term(letter))

    if not re.search(r"\\[lc]?dots|\\ldots|\.\.\.", text):
        return text  # the common case, at no cost
    return _DOTTED.sub(summed, text)


def with_indices_renamed(latex: str, mapping: dict[str, str]) -> str:
    r"""``latex`` with its index letters renamed at once, in subscripts and bracketed superscripts (never a
    command's letters, never a letter outside an index).

    >>> with_indices_renamed(r"\sigma(z_i)(\delta_{ij} - \sigma(z_j)) + \sum_{k \neq i} w_k^{(i)}", {"i": "k", "j": "l", "k": "p"})
    '\\sigma(z_k)(\\delta_{kl} - \\sigma(z_l)) + \\sum_{p \\neq k} w_p^{(k)}'
    """
    if not mapping:
        return latex

    def letters(text: str) -> str:
        return re.sub(r"\\[a-zA-Z]+|[a-zA-Z]", lambda m: mapping.get(m.group(0), m.group(0)), text)

    return _renamed_once(latex, letters)


def _renamed_once(latex: str, letters) -> str:
    """Every index group renamed in one pass (a letter renamed once, never twice)."""
    def index(match: re.Match) -> str:
        group = next(n for n in (1, 2, 3) if match.group(n) is not None)
        start, end = match.start(group) - match.start(0), match.end(group) - match.start(0)
        return match.group(0)[:start] + letters(match.group(group)) + match.group(0)[end:]

    return re.sub(r"_\s*\{([^{}]*)\}|_\s*([a-zA-Z])|\^\s*\{\s*\(\s*([a-zA-Z])\s*\)\s*\}", index, latex)


def _periods_as_products(text: str) -> str:
    r"""A period between two factors, ``\sigma(z)(1 - \sigma(z)).y_i x_i`` or ``c.\exp(x)``, is a product (the dot
    of hand-written algebra); never a decimal point, ``\dots`` written as ``...``, the period that ends a display
    or a sentence before words (``a. \text{so}``), or one in words (``\text{i.e. }``).

    >>> _periods_as_products(r"(1 - s).y_i + c.\exp(x) + 1.5 x + x_1 ... x_n + a. \text{i.e. b} \quad c.")
    '(1 - s) \\cdot y_i + c \\cdot \\exp(x) + 1.5 x + x_1 ... x_n + a. \\text{i.e. b} \\quad c.'
    """
    sentinel = "\x00"  # a period in words, set aside while the others are read (one pass, no rescanning)
    words = re.sub(r"\\(?:text|mbox|mathrm|textrm|operatorname)\s*\{(?:[^{}]|\{[^{}]*\})*\}",
                   lambda m: m.group(0).replace(".", sentinel), text)
    return re.sub(r"(?<=[)}\]a-zA-Z0-9])\s*\.(?!\.)(?=\s*(?:\\(?!text|mbox|q?quad|tag|label|end|intertext)[a-zA-Z]"
                  r"|[a-zA-Z(\[{]))", lambda m: " \\cdot ", words).replace(sentinel, ".")


def _mean_bounds(text: str) -> str:
    r"""A mean written as ``\frac{1}{N} \sum_i``, the sum with no bounds: the sum runs over the N terms it averages
    (``\sum_{i=1}^{N}``), N one letter that is not the index.

    >>> _mean_bounds(r"J = -\frac{1}{N} \sum_{i} y_i + \frac{1}{m}\sum_j x_j + \frac{1}{2} \sum_k z_k")
    'J = -\\frac{1}{N} \\sum_{i=1}^{N} y_i + \\frac{1}{m}\\sum_{j=1}^{m} x_j + \\frac{1}{2} \\sum_k z_k'
    """
    return re.sub(r"(\\frac\s*\{\s*1\s*\}\s*\{\s*([A-Za-z])\s*\}\s*)\\sum\s*_\s*(?:\{\s*([a-z])\s*\}|([a-z]))(?![a-zA-Z])"
                  r"(?!\s*\^)",
                  lambda m: m.group(0) if (m.group(3) or m.group(4)) == m.group(2)
                  else "%s\\sum_{%s=1}^{%s}" % (m.group(1), m.group(3) or m.group(4), m.group(2)), text)


def _sum_term(text: str, end: int) -> str:
    """The term a sum ending at ``end`` sums: up to the next +, -, =, alignment mark, row break or closing brace
    outside braces."""
    return re.match(r"\s*(?:\{[^{}]*\}|(?!\\\\)[^+\-=}&]|\\[a-zA-Z]+)*", text[end:]).group(0)


def _bare_sums(text: str) -> str:
    r"""A sum written with no index, ``\sum e^{x_d}``: over the one index letter its term has (with several, over the
    one the rest of the display never uses outside such sums).

    >>> _bare_sums(r"\frac{\sum e^{x_d} e^{x_i} - e^{x_i}}{(\sum e^{x_d})^2}")
    '\\frac{\\sum_{d} e^{x_d} e^{x_i} - e^{x_i}}{(\\sum_{d} e^{x_d})^2}'
    """
    bares = [(bare, _sum_term(text, bare.end())) for bare in _BARE_SUM.finditer(text)]
    out, last = [], 0
    for bare, term in bares:
        letters = set(re.findall(r"_\s*\{?\s*([a-zA-Z])\s*\}?", term))
        if len(letters) > 1:  # \sum e^{x_d} e^{x_i}: over the one letter the rest of the display never uses
            rest = text[:bare.start()] + text[bare.end() + len(term):]
            for other, other_term in bares:  # what another bare sum sums over is bound there
                rest = rest.replace(other.group(0) + other_term, " ")
            bound = set(re.findall(r"\\sum_\s*\{?\s*([a-zA-Z])", rest))  # the letter of another sum is bound there
            rest = re.sub(r"(?<=\{)\s*d(?=\s*[a-zA-Z\\])", " ", rest)  # the d of \frac{d y_i}{d x_j}
            letters -= set(re.findall(r"(?<![a-zA-Z\\])([a-zA-Z])(?![a-zA-Z])", re.sub(r"\\[a-zA-Z]+", " ", rest))) - bound
            if len(letters) > 1:  # a letter bound by another sum but also written free outside every sum is free
                letters -= _letters_outside_sums(rest)
        if len(letters) == 1:
            out.append(text[last:bare.end()] + "_{%s}" % letters.pop())
            last = bare.end()
    return "".join(out) + text[last:]


_SUM_HEAD = re.compile(r"\\sum\s*_\s*(?:\{\s*([a-zA-Z])\s*(?:=[^{}]*)?\}|([a-zA-Z]))"
                       r"(?:\s*\^\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?")


def _uses_index(term: str, letter: str) -> bool:
    r"""Whether ``term`` writes ``letter`` as an index: ``y_i``, ``w_{ij}``, ``x^{(i)}``, ``x_j^{(i)}``."""
    for found in re.finditer(r"_\s*\{([^{}]*)\}|_\s*([a-zA-Z])|\^\s*\{\s*\(\s*([a-zA-Z])\s*\)\s*\}|\^\s*\(\s*([a-zA-Z])\s*\)",
                             term):
        inside = next(g for g in found.groups() if g is not None)
        if letter in re.findall(r"(?<![a-zA-Z\\])([a-zA-Z])(?![a-zA-Z])", inside) or (
                found.group(1) is not None and re.fullmatch(r"[a-zA-Z]{2,3}", inside.strip()) and letter in inside):
            return True
    return False


def _sum_scopes(text: str) -> str:
    r"""A sum whose index the terms after its first one still use, ``\sum_{i=1}^m y^{(i)} \log h + (1 - y^{(i)})
    \log(1 - h)`` (the bracket of a course's cross-entropy): the sum runs over all of them, up to the last that uses
    the index, inside the bracket or side it starts in.

    >>> _sum_scopes(r"J = -\frac{1}{m}[\sum_{i=1}^{m} y^{(i)} \log h_i + (1 - y^{(i)}) \log(1 - h_i)] + c")
    'J = -\\frac{1}{m}[\\sum_{i=1}^{m} (y^{(i)} \\log h_i + (1 - y^{(i)}) \\log(1 - h_i))] + c'
    >>> _sum_scopes(r"a_j = \sum_k w_{jk} x_k + b_j")  # b_j has no k: as written
    'a_j = \\sum_k w_{jk} x_k + b_j'
    >>> text = r"\frac{\partial s_i}{\partial x_j} = \frac{\sum_j e^{x_j} 0 - e^{x_i} e^{x_j}}{(\sum_j e^{x_j})^2}"
    >>> _sum_scopes(text) == text  # j is free beside the sum: the sum is as written
    True
    """
    for head in reversed(list(_SUM_HEAD.finditer(text))):
        letter = head.group(1) or head.group(2)
        start, depth, position, cuts = head.end(), 0, head.end(), []
        while position < len(text):
            char = text[position]
            if char in "{[(" and text[position - 1] != "\\":
                depth += 1
            elif char in "}])" and text[position - 1] != "\\":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and (char in "=&<>" or text.startswith("\\\\", position)):
                break
            elif depth == 0 and char in "+-" and text[start:position].strip() and not re.search(
                    r"(?:[_^]|\\frac|\\cdot|\\times|[-+(\[{])\s*$", text[start:position]):
                cuts.append(position)
            position += 1
        ends = cuts + [position]
        terms = [text[a:b] for a, b in zip([start] + cuts, ends)]
        using = [n for n, term in enumerate(terms) if n and _uses_index(term, letter)
                 and not re.search(r"\\sum\s*_\s*\{?\s*%s(?![a-zA-Z])" % letter, term)]
        if not using or "\\sum" in "".join(terms[1:using[-1] + 1]).replace(head.group(0), ""):
            continue
        last = ends[using[-1]]
        if _uses_index(_outside_sums(text[:head.start()] + " " + text[last:]), letter):  # other sums bind theirs
            continue  # \frac{\sum_j e^{x_j} 0 - e^{x_i} e^{x_j}}{...} beside \partial x_j: j is free there too
        text = text[:start] + " (" + text[start:last].strip() + ")" + text[last:]
    return text


def _outside_sums(text: str) -> str:
    r"""``text`` without its sums, each with the term it sums (what is written outside every sum).

    >>> _outside_sums(r"a_i = \sum_k w_{ik} x_k + b_i")
    'a_i =  + b_i'
    """
    out, last = [], 0
    for found in re.finditer(r"\\sum(?![a-zA-Z])(?:\s*[_^]\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))*", text):
        if found.start() < last:
            continue
        out.append(text[last:found.start()])
        last = found.end() + len(_sum_term(text, found.end()))
    return "".join(out) + text[last:]


def _letters_outside_sums(text: str) -> set:
    r"""The single letters ``text`` writes outside every sum's term (the d of ``\frac{d y}{d x}`` left out).

    >>> sorted(_letters_outside_sums(r"\frac{\partial L}{\partial o_i} = - \sum_k y_k \frac{1}{p_k} + c"))
    ['L', 'c', 'i', 'o']
    """
    outside = re.sub(r"(?<=\{)\s*d(?=\s*[a-zA-Z\\])", " ", _outside_sums(text))
    return set(re.findall(r"(?<![a-zA-Z\\])([a-zA-Z])(?![a-zA-Z])", re.sub(r"\\[a-zA-Z]+", " ", outside)))


def _summed_vectors(text: str) -> str:
    r"""A sum whose term names a vector without its index, ``\sum e^{z}`` or ``\sum_j e^z``, when the display writes
    that letter with an index elsewhere (``e^{z_b}``): the sum of the term over the vector's components.

    >>> _summed_vectors(r"\frac{e^{z_b}}{\sum e^{z}} + \sum_j e^z")
    '\\frac{e^{z_b}}{\\sum_{k} e^{z_{k}}} + \\sum_j e^{z_{j}}'
    >>> _summed_vectors(r"\sum_j e^z + \sum_{k} x y_k")  # z never indexed; a term with an index: as written
    '\\sum_j e^z + \\sum_{k} x y_k'
    """
    out, last = [], 0
    for found in re.finditer(r"\\sum(?![a-zA-Z])(?:_\s*(?:\{\s*([a-zA-Z])\s*\}|([a-zA-Z])))?(?!\s*\^)", text):
        term = _sum_term(text, found.end())
        if "_" in term or "\\" in re.sub(r"\\(?:exp|log|ln|cdot)(?![a-zA-Z])", "", term):
            continue
        letters = set(re.findall(r"(?<![a-zA-Z])([a-df-zA-Z])(?![a-zA-Z])", term))
        if len(letters) != 1:
            continue
        letter = letters.pop()
        if not re.search(r"(?<![\\a-zA-Z])%s\s*_\s*\{?\s*[a-zA-Z0-9]" % letter, text):
            continue  # a letter never indexed is one number
        index = found.group(1) or found.group(2) or next(
            (c for c in "kjlpqrst" if not re.search(r"(?<![\\a-zA-Z])%s(?![a-zA-Z])" % c, text)), None)
        if index is None:
            continue
        written = re.sub(r"\^\s*%s(?![a-zA-Z])" % letter, "^{%s_{%s}}" % (letter, index), term, count=1)
        if written == term:
            written = re.sub(r"(?<![a-zA-Z])%s(?![a-zA-Z])" % letter, "%s_{%s}" % (letter, index), term, count=1)
        head = found.group(0) if found.group(1) or found.group(2) else "\\sum_{%s}" % index
        out.append(text[last:found.start()] + head + written)
        last = found.end() + len(term)
    return "".join(out) + text[last:]


_T = r"\s*\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})\s*\}|T|\\(?:top|intercal)(?![a-zA-Z]))"


def _vector(n: str, first: bool = True, bold: bool = False) -> str:
    """A lower-case letter, plain or bold (``bold``: bold only), with an optional subscript and sample superscript
    (named groups ``n*``); ``first``: not the end of a word or command (``y_iw`` is y_i times w)."""
    start = r"(?:(?<![\\a-zA-Z_])|(?<=_[a-zA-Z0-9]))" if first else ""  # never a subscript: x_i^T w
    plain = r"(?!)" if bold else ""  # bold only: the plain letter never matches
    return (r"(?:\\(?:mathbf|boldsymbol|bm|textbf)\s*\{\s*(?P<%sb>[a-z]|\\theta|\\beta)\s*\}|%s%s(?P<%sl>[a-z]"
            r"|\\theta|\\beta)(?![a-zA-Z]))" % (n, plain, start, n)
            + r"(?:\s*\^\s*\{\s*\(\s*(?P<%sp>[a-zA-Z0-9])\s*\)\s*\})?" % n
            + r"(?:\s*_\s*(?:\{\s*(?P<%ss>[a-zA-Z0-9])\s*\}|(?P<%st>[a-zA-Z0-9])))?" % (n, n)
            + r"(?:\s*\^\s*\{\s*\(\s*(?P<%sq>[a-zA-Z0-9])\s*\)\s*\})?" % n)


_DOT = re.compile(_vector("a") + _T + r"\s*" + _vector("c", first=False) + r"(?!\s*[\^_'(0-9])")
#: ``\mathbf{w} \cdot \mathbf{x}^{(i)}``: two bold vectors with a dot between them (never plain letters: w \cdot x
#: may be a product of numbers)
_BOLD_DOT = re.compile(_vector("a", bold=True) + r"\s*\\cdot\s*" + _vector("c", bold=True) + r"(?!\s*[\^_'(0-9])")
_NORM = re.compile(r"(?:\\\||\\[lr]?Vert(?![a-zA-Z])|\|\|)\s*" + _vector("a") + r"\s*(?:\\\||\\[lr]?Vert(?![a-zA-Z])|\|\|)"
                   r"(?:\s*_\s*\{?\s*2\s*\}?)?(?P<square>\s*\^\s*\{?\s*2\s*\}?)?")


_TRANSPOSE_OR_NORM = re.compile(_T + r"|\\\||\\[lr]?Vert(?![a-zA-Z])|\|\||\\cdot")


def _component(match: re.Match, n: str, index: str) -> str:
    base = match.group(n + "b") or match.group(n + "l")
    sample = match.group(n + "p") or match.group(n + "q")
    sub = match.group(n + "s") or match.group(n + "t") or ""
    return base + ("^{(%s)}" % sample if sample else "") + "_{%s%s}" % (sub, index)


def _lowered_vectors(text: str) -> str:
    r"""Dot products and Euclidean norms of vectors written as sums of their components, over a letter the display
    does not use: ``w^T x_i`` is :math:`\sum_k w_k x_{ik}` (x_i the i-th sample, x_{ij} its features), ``\|w\|^2``
    is :math:`\sum_k w_k^2`. Capitals (matrices) are left as they are. A gradient with respect to such a vector,
    ``\frac{\partial}{\partial w}``, is read at one component (:func:`_gradient_component`).

    >>> _lowered_vectors(r"\exp(-y_i w^T x_i) + \frac{1}{2}\|w\|^2")
    '\\exp(-y_i [\\sum_{k} w_{k} x_{ik}]) + \\frac{1}{2}[\\sum_{k} w_{k}^2]'
    >>> _lowered_vectors(r"\theta^{T} x^{(i)}"), _lowered_vectors(r"W^T x")
    ('[\\sum_{k} \\theta_{k} x^{(i)}_{k}]', 'W^T x')
    >>> _lowered_vectors(r"\mathbf{w} \cdot \mathbf{x}^{(i)} + b"), _lowered_vectors(r"w \cdot x")
    ('[\\sum_{k} w_{k} x^{(i)}_{k}] + b', 'w \\cdot x')
    >>> _lowered_vectors(r"y_i\textbf{x}_i^T\boldsymbol{\beta}")
    'y_i[\\sum_{k} x_{ik} \\beta_{k}]'
    """
    if not _TRANSPOSE_OR_NORM.search(text):  # most sides have neither: no further work
        return text
    used = set(re.findall(r"[a-zA-Z]", re.sub(r"\\[a-zA-Z]+", " ", text)))
    free = [letter for letter in "klpqrsuvt" if letter not in used]  # never m or n: sizes in many documents
    if len(free) < 2:
        return text
    index = free[0]
    vectors: list = []

    def dot(m: re.Match) -> str:  # in brackets: y (\sum ...) would be y applied to the sum
        vectors.extend((_written(m, "a"), _written(m, "c")))
        return r"[\sum_{%s} %s %s]" % (index, _component(m, "a", index), _component(m, "c", index))

    def norm(m: re.Match) -> str:
        vectors.append(_written(m, "a"))
        return (r"[\sum_{%s} %s^2]" if m.group("square") else r"\sqrt{\sum_{%s} %s^2}") % (index, _component(m, "a", index))

    lowered = _NORM.sub(norm, _BOLD_DOT.sub(dot, _DOT.sub(dot, text)))
    return _gradient_component(lowered, vectors, free[1]) if vectors else lowered


def _written(match: re.Match, n: str) -> tuple:
    """(letter, subscript, sample) of a vector as a match of :func:`_vector` wrote it."""
    return (match.group(n + "b") or match.group(n + "l"), match.group(n + "s") or match.group(n + "t") or "",
            match.group(n + "p") or match.group(n + "q") or "")


def _gradient_component(text: str, vectors: list, index: str) -> str:
    r"""``\frac{\partial f}{\partial w} = x_i \dots`` where w and x_i are vectors of the display's dot products: the
    gradient's component at ``index``, :math:`\partial f / \partial w_t = x_{it} \dots`; every other vector written
    alone becomes its component too. Unchanged when no gradient is taken with respect to a vector of the display.

    >>> _gradient_component(r"\frac{\partial}{\partial w} [\sum_{k} w_{k} x_{k}] = x", [("w", "", ""), ("x", "", "")], "t")
    '\\frac{\\partial}{\\partial w_{t}} [\\sum_{k} w_{k} x_{k}] = x_{t}'
    """
    parameters = [re.compile(r"(\\partial\s*)" + _written_letter(letter) + r"(?!\s*[_^'])")
                  for letter, sub, sample in dict.fromkeys(vectors) if not sub and not sample]
    if not any(variable.search(text) for variable in parameters):
        return text
    for variable in parameters:
        text = variable.sub(lambda m: "%s%s_{%s}" % (m.group(1), m.group("letter") or m.group("plain"), index), text)
    for letter, sub, sample in dict.fromkeys(vectors):
        written = _written_letter(letter)
        if sample:
            written += r"\s*\^\s*\{\s*\(\s*%s\s*\)\s*\}" % sample
        written += r"\s*_\s*(?:\{\s*%s\s*\}|%s(?![a-zA-Z0-9]))" % (sub, sub) if sub else ""
        shown = letter + ("^{(%s)}" % sample if sample else "") + "_{%s%s}" % (sub, index)
        text = re.sub(written + r"(?!\s*[_^'])", lambda _m, shown=shown: shown, text)
    return text


def _written_letter(letter: str) -> str:
    """A pattern for ``letter`` written plain or bold (``\\mathbf{w}``), never the end of a word or command; the
    letter is the group ``letter`` (bold) or ``plain``."""
    return (r"(?:\\(?:mathbf|boldsymbol|bm|textbf)\s*\{\s*(?P<letter>%s)\s*\}|(?:(?<![\\a-zA-Z])|(?<=_[a-zA-Z0-9]))"
            r"(?P<plain>%s)(?![a-zA-Z]))" % (re.escape(letter), re.escape(letter)))


_BOLD_LETTER = r"\\(?:mathbf|vec|boldsymbol|bm)\s*(?:\{\s*([a-zA-Z])\s*\}|\s([a-zA-Z])(?![a-zA-Z]))"
_ARGUMENT_LETTER = (r"(?:\\(?:mathbf|vec|boldsymbol|bm)\s*(?:\{\s*[a-zA-Z]\s*\}|\s[a-zA-Z](?![a-zA-Z]))"
                    r"|(?<![\\a-zA-Z])[a-zA-Z](?![a-zA-Z])|\\(?:theta|beta)(?![a-zA-Z]))")
#: a quantity written with its arguments, some of them vectors: ``E(\vec{w})``, ``J(\mathbf{w}, b)``, ``L(\mathbf{p})``
_CALLED_AT_VECTORS = re.compile(
    r"(?P<head>(?:\\mathit\{[A-Za-z]+\}|\\mathcal\s*\{\s*[A-Z]\s*\}|\\ell|(?<![\\a-zA-Z])[A-Z](?:_\s*(?:\{\s*[a-z]\s*\}|[a-z]))?)"
    r"\s*\(\s*)"
    r"(?P<args>(?:" + _ARGUMENT_LETTER + r"\s*,\s*)*" + _ARGUMENT_LETTER + r")\s*\)(?!\s*_)(?=(?:[^()]|$))")


def _sigma_shorthand(text: str) -> str:
    r"""``\sigma_i`` written without an argument in a display that applies ``\sigma`` to the components of one
    vector only (``\sigma(a_i)``): the i-th output at that vector, ``\sigma(a_i)``; ``\sigma_i(\mathbf{a})`` is the
    same. With no such application, or two vectors, it is left as written (not read).

    >>> _sigma_shorthand(r"\frac{\partial \sigma(a_i)}{\partial a_j} = \sigma_i(\delta_{ij} - \sigma_j)")
    '\\frac{\\partial \\sigma(a_i)}{\\partial a_j} = \\sigma(a_{i})(\\delta_{ij} - \\sigma(a_{j}))'
    >>> _sigma_shorthand(r"\sigma_i = \sigma_i^2")
    '\\sigma_i = \\sigma_i^2'
    """
    applied = set(re.findall(r"\\sigma\s*\(\s*([a-zA-Z])\s*_", text))
    if len(applied) != 1:
        return text
    vector = applied.pop()
    own = r"\\sigma\s*_\s*(?:\{\s*([a-zA-Z0-9])\s*\}|([a-zA-Z0-9]))"
    text = re.sub(own + r"\s*\(\s*(?:\\mathbf\s*\{\s*%s\s*\}|%s)\s*\)" % (vector, vector),
                  lambda m: "\\sigma(%s_{%s})" % (vector, m.group(1) or m.group(2)), text)
    return re.sub(own + r"(?!\s*\^\s*\{?\s*\()", lambda m: "\\sigma(%s_{%s})" % (vector, m.group(1) or m.group(2)), text)


_SUM_OVER_OTHERS = re.compile(r"\\sum_\{\s*([a-zA-Z])\s*(?:\\neq|\\ne|!=)\s*([a-zA-Z]|[0-9])\s*\}(\s*-)?")


def _sums_over_the_others(text: str) -> str:
    r"""``\sum_{k \neq i} f_k`` as the full sum with the k = i term removed. The index summed is the first letter,
    unless the second one occurs in the term summed and the first one is free outside the sum on its side
    (``t_i - \sum_{i \neq j} t_j``, ``t_i - \sum_{i \neq j} t_j x_i``: over j, in the author's order); a sum that
    says neither way reads as the display's other sums written alike do.

    >>> _sums_over_the_others(r"t_i + \sum_{i \neq j} \frac{t_j}{y_j} + \sum_{k \ne i} -p_k")
    't_i + \\sum_{j=1}^{\\mathit{Bound}} (1 - \\delta_{ji}) \\frac{t_j}{y_j} + \\sum_{k=1}^{\\mathit{Bound}} (1 - \\delta_{ki}) (-1)p_k'
    >>> _sums_over_the_others(r"\sum_{j \neq i} p_i")  # a term without j, as written
    '\\sum_{j=1}^{\\mathit{Bound}} (1 - \\delta_{ji}) p_i'
    >>> _sums_over_the_others(r"\sum_{i \neq j} y_j \frac{1}{a_j} + x_i = \sum_{i \neq j} y_j a_i").split("= ")[1]
    '\\sum_{j=1}^{\\mathit{Bound}} (1 - \\delta_{ji}) y_j a_i'
    """
    found = list(_SUM_OVER_OTHERS.finditer(text))
    decisions = []
    for match in found:
        summed, other = match.group(1), match.group(2)
        term = _sum_term(text, match.end())
        before, after = text[:match.start()], text[match.end() + len(term):]
        before = before[max(before.rfind("="), before.rfind("\\\\")) + 1:]  # this side only
        rest = before + re.split(r"=|\\\\", after, maxsplit=1)[0]
        inside, outside = (set(re.findall(r"_\s*\{?\s*([a-zA-Z])(?![a-zA-Z])", part)) for part in (term, rest))
        if other in inside and summed not in inside and summed in outside:
            decisions.append(True)  # \sum_{i \neq j} t_j beside t_i: over j, the author's order
        elif other in inside and summed not in inside:
            decisions.append(False)  # \sum_{j \neq i} p_i: a term that does not depend on the index, as written
        elif summed in inside and other not in inside:
            decisions.append(False)
        elif other in inside and summed in outside and other not in outside:
            decisions.append(True)  # the letter free outside the sum is the one it leaves out
        elif summed in inside and other in outside and summed not in outside:
            decisions.append(False)
        else:
            decisions.append(None)
    out, last = [], 0
    for match, swap in zip(found, decisions):
        alike = {d for m, d in zip(found, decisions) if d is not None and m.group(1, 2) == match.group(1, 2)}
        if swap is None and len(alike) == 1:
            swap = alike.pop()
        summed, other = match.group(2, 1) if swap else match.group(1, 2)
        out.append(text[last:match.start()] + "\\sum_{%s=1}^{%s} (1 - \\delta_{%s%s})%s" % (
            summed, IMPLICIT_BOUND, summed, other, " (-1)" if match.group(3) else ""))
        last = match.end()
    return "".join(out) + text[last:]


#: the body of one index group, ``{(l)}``, ``{1,1}``, ``{(i)}`` with one level of braces inside, or one character
_INDEX = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[a-zA-Z0-9])"
#: a letter as a quantity is written: hatted (``\hat{w}``, ``\hat{w_j}``), a command (``\theta``) or a letter
_LETTER = r"(?:\\(?:hat|tilde|bar)\s*\{\s*[a-zA-Z](?:_\{?[^{}()]*\}?)?\s*\}|\\[a-zA-Z]+|[a-zA-Z])"
#: that letter with up to two index groups, ``w_{1,1}^{(l)}``
_INDEXED_LETTER = _LETTER + r"\s*(?:[_^]\s*" + _INDEX + r"\s*){0,2}"

_LONE_LETTER_BRACED = re.compile(r"\{\s*(\\[a-zA-Z]+|[a-zA-Z])\s*\}(?=\s*[_^])")
#: ``{{\theta }_{j}}``: an equation editor's doubled braces around a letter and its indices
_DOUBLY_BRACED = re.compile(r"\{\s*\{\s*(\\[a-zA-Z]+|[a-zA-Z])\s*\}\s*((?:[_^]\s*" + _INDEX + r"\s*){1,2})\}")


#: ``\nabla E(w_{1,1})``, ``\nabla E \left( b \right)``: the gradient of a function of one number at one quantity
#: (a letter, hatted or not, with its indices; never a bold vector) is the derivative in that quantity
_NABLA_AT = re.compile(r"\\nabla\s*([A-Za-z])\s*(?:\\left\s*)?\(\s*(" + _INDEXED_LETTER + r")(?:\\right\s*)?\)")


#: a parameter written in a call, ``w``, ``w_{1,1}^{(l)}``, ``\hat{b}`` (or the placeholder of one)
_PARAMETER = r"(?:\\mathit\{Q[a-z]+\}|" + _INDEXED_LETTER + r")"


#: commands that take no argument: braces after them are a group, never an argument
_NO_ARGUMENT = frozenset({"partial", "cdot", "times", "left", "right", "sum", "prod", "quad", "qquad", "log", "ln", "exp",
                          "nabla", "displaystyle", "big", "Big", "bigg", "Bigg", "limits"})


def _closes_an_index(text: str) -> bool:
    r"""Whether ``text`` ends with the closing brace of a subscript or superscript group (``w_{ 1 }``, not ``\frac{a}``).

    >>> _closes_an_index(r"w_{ 1 }"), _closes_an_index(r"\frac{a}{b}"), _closes_an_index(r"x^{(i)}")
    (True, False, True)
    """
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(text[position], 0)
        if depth == 0:
            return text[:position].rstrip().endswith(("_", "^"))
    return False


def _loose_braces(text: str) -> str:
    r"""Braces that only wrap one letter with its indices, as equation editors write them: ``{{\theta }_{j}}`` is
    ``\theta_{j}``, ``{{x}^{(i)}}`` is ``x^{(i)}``, ``x_{_{j}}`` is ``x_{j}``. Braces that are an argument (after a
    command, a letter, ``_``, ``^`` or another group: ``\frac{a}{b}^2``, ``\hat{y}_i``) are kept.

    >>> _loose_braces(r"\partial {{\theta }_{j}} + {{x}^{(i)}} + \frac{a}{b}^2 + \hat{y}_i + x_{_{j}}")
    '\\partial \\theta_{j} + x^{(i)} + \\frac{a}{b}^2 + \\hat{y}_i + x_{j}'
    >>> _loose_braces(r"{ w }_{ 1 }{ x }_{ 1 } + { b }")
    'w_{ 1 }x_{ 1 } + { b }'
    """
    def loose(match: re.Match) -> str:
        before = text_now[:match.start()].rstrip()
        command = re.search(r"\\([a-zA-Z]+)$", before)
        inner = "".join(part.strip() for part in match.groups() if part)
        if command and command.group(1) in _NO_ARGUMENT:
            return inner
        if before.endswith("}") and _closes_an_index(before):
            return inner  # w_{ 1 }{ x }_{ 1 }: after an index group, a letter of its own
        if before and (before[-1].isalpha() or before[-1] in "_^}\\"):
            return match.group(0)  # an argument of what comes before it
        return inner

    text_now = re.sub(r"_\{\s*_\s*\{([^{}]*)\}\s*\}", r"_{\1}", text)
    text_now = _DOUBLY_BRACED.sub(loose, text_now)
    text_now = _LONE_LETTER_BRACED.sub(loose, text_now)
    return text_now


def _mixed_kronecker(text: str) -> str:
    r"""``\delta_i^k`` or ``\delta^k_i`` (one index up, one down) as the Kronecker delta ``\delta_{ik}``; never when the
    upper letter is a superscript elsewhere in the display (``\delta^l_j = \frac{\partial C}{\partial z^l_j}``: the
    layer l, backpropagation's error), nor a transpose, nor a delta that the display defines (its left side).

    >>> _mixed_kronecker(r"y_k(\delta_i^k - y_i)"), _mixed_kronecker(r"\delta^l_j = \frac{\partial C}{\partial z^l_j}")
    ('y_k(\\delta_{ik}- y_i)', '\\delta^l_j = \\frac{\\partial C}{\\partial z^l_j}')
    """
    if re.match(r"\s*\\delta\s*[_^]", text):
        return text

    def kronecker(match: re.Match, lower: str, upper: str) -> str:
        others = text[:match.start()] + text[match.end():]
        if upper == "T" or re.search(r"\^\s*\{?\s*\(?\s*" + upper + r"(?![a-zA-Z])", others):
            return match.group(0)
        return "\\delta_{%s%s}" % (lower, upper)

    text = re.sub(r"\\delta\s*_\s*\{?\s*([a-zA-Z])\s*\}?\s*\^\s*\{?\s*([a-zA-Z])\s*\}?(?![a-zA-Z0-9])",
                  lambda m: kronecker(m, m.group(1), m.group(2)), text)
    return re.sub(r"\\delta\s*\^\s*\{?\s*([a-zA-Z])\s*\}?\s*_\s*\{?\s*([a-zA-Z])\s*\}?(?![a-zA-Z0-9])",
                  lambda m: kronecker(m, m.group(2), m.group(1)), text)


_REMARK = re.compile(r"\\q?quad(?![a-zA-Z])\s*(?:\\[,;:!]\s*)*(?:\\(?:text|mbox|textrm|mathrm)\s*\{\s*)?"
                     r"(?:when|where|with|since|because|using|as|here)(?![a-zA-Z])", re.IGNORECASE)


def _bold_for_emphasis(text: str) -> str:
    r"""Bold around a formula (an operator, a bracket, a fraction or a derivative inside: ``\mathbf{s_0 (1 - s_0)}``,
    ``\mathbf{\frac{\partial s}{\partial z}}``) marks the result, not a vector: the formula as it is. Bold around one
    letter (with its indices) stays.

    >>> _bold_for_emphasis(r"\mathbf{s_{0} (1- s_{0})} + \mathbf{x}_i + \mathbf{W^T}")
    's_{0} (1- s_{0}) + \\mathbf{x}_i + \\mathbf{W^T}'
    """
    def plain(match: re.Match) -> str:
        inside = match.group(2)
        if re.search(r"[-+(=]|\\(?:frac|cdot|times|partial|sum|log|exp|ln)(?![a-zA-Z])", inside):
            return inside
        return match.group(0)

    return re.sub(r"\\(mathbf|boldsymbol|bm)\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", plain, text)


def _side_remarks(text: str) -> str:
    r"""A remark in words at the end of an aligned row that another row follows (``&= A \qquad when\: g =
    e^{z}, \quad g' = e^{z} \\ &= B``) is left out: its relations are the author's aside, and the next row goes on
    from A. A remark on the last row stays (it may state the display's condition).

    >>> _side_remarks(r"a &= b \qquad when\: g = c \\ &= d")
    'a &= b  \\\\ &= d'
    >>> _side_remarks(r"a &= b \quad \text{where } i \neq j")
    'a &= b \\quad \\text{where } i \\neq j'
    """
    out, last = [], 0
    for remark in _REMARK.finditer(text):
        if remark.start() < last or _depths(text)[remark.start()] != 0:
            continue
        end = text.find("\\\\", remark.end())
        if end < 0 or not text[end + 2:].strip():
            continue
        out.append(text[last:remark.start()] + " ")
        last = end
    return "".join(out) + text[last:]


def _equations_apart(text: str) -> str:
    r"""Two equations set side by side with a wide space (``\hat b_1 = ... \qquad \hat b_0 = ...``) are separated by a
    comma, as ``A = B, C = D`` is read: a ``\quad`` or ``\qquad`` outside brackets, with a relation before it in its
    row and after it, and a formula after it (never words, a condition or an operator).

    >>> _equations_apart(r"u = 2 \qquad v = u + 1 \\ a = b \quad \text{for } i = j")
    'u = 2 , v = u + 1 \\\\ a = b \\quad \\text{for } i = j'
    >>> _equations_apart(r"a = b \quad + c = d")
    'a = b \\quad + c = d'
    """
    spaces = [m for m in re.finditer(r"\\q?quad(?![a-zA-Z])", text)]
    if not spaces:
        return text
    depths = _depths(text)
    relation = re.compile(r"(?<![<>=!\\])=(?!=)|\\(?:leq?|geq?|neq?|approx)(?![a-zA-Z])")

    def related(start: int, end: int) -> bool:
        return any(depths[m.start() + start] == 0 for m in relation.finditer(text[start:end]))

    out, last = [], 0
    for space in spaces:
        if depths[space.start()] != 0:
            continue
        row_start = text.rfind("\\\\", 0, space.start())
        row_start = 0 if row_start < 0 else row_start + 2
        row_end = text.find("\\\\", space.end())
        row_end = len(text) if row_end < 0 else row_end
        before, after = text[row_start:space.start()], text[space.end():row_end]
        if not related(row_start, space.start()) or not related(space.end(), row_end) \
                or re.search(r"(?:[-+*/=,(]|\\(?:cdot|times|[a-zA-Z]*quad))\s*$", before) \
                or not re.match(r"\s*(?:[a-zA-Z]|\\(?!text|mbox|mathrm|textrm|forall|in(?![a-zA-Z])|q?quad)[a-zA-Z]+)", after):
            continue
        out.append(text[last:space.start()] + ",")
        last = space.end()
    return "".join(out) + text[last:]


def _derivative_spelled_loosely(text: str) -> str:
    r"""A derivative's parts as equation editors and quick notes write them: ``{dw}_{1}`` is ``d w_{1}``; ``dw1`` in a
    fraction's denominator is ``d w_{1}``, ``{db}`` is ``db``, ``dLoss`` is ``d Loss``; ``\partial_{MSE}`` alone over
    ``\partial w`` is ``\partial MSE``.

    >>> _derivative_spelled_loosely(r"\frac{dL}{{ dw }_{ 1 }} + \frac{dz}{dw1} + \frac{\partial_{MSE}}{\partial w_0}")
    '\\frac{dL}{d w_{ 1 }} + \\frac{dz}{dw_{1}} + \\frac{\\partial MSE}{\\partial w_0}'
    >>> _derivative_spelled_loosely(r"\frac{dLoss}{{db}}")
    '\\frac{d Loss}{d b}'
    """
    text = re.sub(r"\{\s*(d|\\partial)\s*([a-zA-Z])\s*\}\s*(_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))", r"\1 \2\3", text)
    text = re.sub(r"(\}\s*\{\s*(?:d|\\partial)\s*)([a-zA-Z])([0-9]+)(\s*\})", r"\1\2_{\3}\4", text)
    text = re.sub(r"(?<=\{)\s*\{\s*(d|\\partial)\s*([a-zA-Z])\s*\}(?=\s*\})", r"\1 \2", text)  # \frac{dL}{{db}}
    text = re.sub(r"(\{\s*(?:d|\\partial))([A-Z][a-z]{2,})(?![a-zA-Z])", r"\1 \2", text)  # \frac{dLoss}{...}: d Loss
    return re.sub(r"\\frac\s*\{\s*\\partial\s*_\s*\{\s*([A-Za-z]{2,})\s*\}\s*\}(?=\s*\{\s*\\partial)",
                  lambda m: "\\frac{\\partial %s}" % m.group(1), text)  # never \partial_i (an index)


_PRIMED_SUM_INDEX = re.compile(r"\\sum\s*_\s*\{\s*([a-zA-Z])\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)\s*(?==|\}|\\neq|\\ne(?![a-zA-Z])|\\in)")


def _primed_sum_indices(text: str) -> str:
    r"""A primed letter a sum runs over (``\sum_{j'=1}^{V} \exp(u_{j'})``) is an index of its own: written with a
    letter the display does not use, in every subscript it appears in (a prime is never read as an index).

    >>> _primed_sum_indices(r"u_{j} - \log\sum_{j'=1}^{V}\exp (u_{j'})")
    'u_{j} - \\log\\sum_{a=1}^{V}\\exp (u_{a})'
    """
    for match in list(_PRIMED_SUM_INDEX.finditer(text)):
        letter = match.group(1)
        primed = re.compile(r"(?<![\\a-zA-Z])" + letter + r"\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)")
        fresh = next((c for c in "abcdfghpqrstuv" if not re.search(r"(?<![\\a-zA-Z])" + c + r"(?![a-zA-Z])", text)),
                     None)
        if fresh is None or not primed.search(text):
            continue
        out, last = [], 0
        for found in primed.finditer(text):  # only inside subscripts: u_{j'} and \sum_{j'=1}, never f'(x)
            before = text[:found.start()]
            if not re.search(r"_\s*\{[^{}]*$", before):
                continue
            out.append(text[last:found.start()] + fresh)
            last = found.end()
        text = "".join(out) + text[last:]
    return text


#: what a primed bracket that is a derivative holds besides its letter (a capital or \mu may be a transpose's vector)
_IN_A_PRIMED_BRACKET = {"frac", "dfrac", "tfrac", "ln", "log", "exp", "sqrt", "left", "right", "cdot", "sin", "cos", "tan",
                        "sinh", "cosh", "tanh"}


def _primed_groups(text: str) -> str:
    r"""A bracket with a prime (``(\ln(1+e^{x}))'``, ``\left(\frac{1}{1+e^{-x}}\right)'``) is the derivative of what
    it holds, by the one letter the display's primed brackets hold (e is Euler's number before ``^``); a number with a
    prime (``1'``) is 0. Where the primed brackets hold no letter or more than one, or a bracket follows a name (a
    call, ``\sigma(x)'``), the text is left as it is (and a prime is never read).

    >>> _primed_groups(r"(\ln(1+e^{x}))' = (1/(1+e^{x})).(1+e^{x})'")
    '\\frac{d}{dx}(\\ln(1+e^{x})) = (1/(1+e^{x})).\\frac{d}{dx}(1+e^{x})'
    >>> _primed_groups(r"\frac{-1'-(e^{-x})'}{2}")
    '\\frac{-0-\\frac{d}{dx}(e^{-x})}{2}'
    >>> _primed_groups(r"(x)' + \sigma(x)'"), _primed_groups(r"(a x)' + (x)'"), _primed_groups(r"(x - \mu)'S")
    ("(x)' + \\sigma(x)'", "(a x)' + (x)'", "(x - \\mu)'S")
    """
    if "'" not in text:
        return text
    spans, letters = [], set()
    for prime in re.finditer(r"\)\s*'(?!')", text):
        depth, start = 0, None
        for at in range(prime.start(), -1, -1):
            depth += {")": 1, "(": -1}.get(text[at], 0)
            if depth == 0:
                start = at
                break
        if start is None:
            return text
        opening = start - 5 if text[:start].endswith("\\left") else start
        before = text[:opening].rstrip()
        if before and not re.search(r"(?:[-+=*/({\[,.&]|\\cdot|\\times)$", before):
            return text  # \sigma(x)', a (x)': a call or a product, not read
        held = text[start + 1:prime.start()]
        inner = re.sub(r"\\[a-zA-Z]+", " ", held)
        if re.search(r"[A-Z]", inner) or set(re.findall(r"\\([a-zA-Z]+)", held)) - _IN_A_PRIMED_BRACKET:
            return text  # (X\beta - y)', (x - \mu)': a transpose, as MATLAB writes it, may be meant
        letters |= {m.group(0) for m in re.finditer(r"[a-zA-Z]", inner)
                    if not (m.group(0) == "e" and re.match(r"\s*\^", inner[m.end():]))}
        spans.append((opening, prime.end()))
    if spans and (len(letters) != 1 or letters == {"d"}):
        return text
    for opening, end in reversed(spans):
        body = text[opening:end].rstrip()[:-1].rstrip()
        text = text[:opening] + "\\frac{d}{d%s}%s" % (next(iter(letters)), body) + text[end:]
    return re.sub(r"(?<=[-+=(\s])([0-9]+)\s*'(?!')", "0", text)


def _case_in_subscripts(text: str) -> str:
    r"""``y_{k=i}`` and ``z_{k \not= i}``: the component k (the case the subscripts state is the display's condition,
    :func:`symsoft.read.document.subscript_case`); subscripts that state different cases are left as they are.

    >>> _case_in_subscripts(r"\frac{\partial y_{k \not= i}}{\partial z_i} = - y_{k \neq i} y_i")
    '\\frac{\\partial y_{k}}{\\partial z_i} = - y_{k} y_i'
    >>> _case_in_subscripts(r"y_{k=i} - y_{j \neq i}")
    'y_{k=i} - y_{j \\neq i}'
    """
    return SUBSCRIPT_CASE.sub(lambda m: "_{%s}" % m.group(1), text) if subscript_case(text) else text


#: an indicator's 1 before its bracket: ``1``, ``\mathbb{1}``, ``\mathbf{1}``, ``\mathbb{I}``
_INDICATOR = r"(?:\\(?:mathbb|mathbf|mathds|boldsymbol|mathrm|text)\{[1I]\}|(?<![\\a-zA-Z0-9.^_}])1)\s*"
_EXAMPLE = r"\s*([a-zA-Z])\s*_\s*(?:\{\s*([a-zA-Z])\s*\}|([a-zA-Z]))\s*"  # y_i or y_{i}
#: ``f_{y_i}``: an index written as a letter with an example's index (the label of example i)
NESTED_LABEL = re.compile(r"_\{" + _EXAMPLE + r"\}")
#: ``\mathbb{1}(y_i = k)``: the indicator that example i's label is k
LABEL_INDICATOR = re.compile(_INDICATOR + r"(?:\\left\s*)?(?:\[|\(|_\{|\\\{)" + _EXAMPLE + r"=\s*([a-zA-Z])\s*"
                              r"(?:\\right\s*)?(?:\]|\)|\}|\\\})")


def _label_of_the_example(text: str) -> str:
    r"""``f_{y_i}`` and ``\mathbb{1}(y_i = k)`` in a display about one example i (no sum over i): y_i is that
    example's label, one fixed class, written y (``f_y``, ``\delta_{yk}``). A display that sums over i keeps them.

    >>> _label_of_the_example(r"L_i = -\log p_{y_i} + \mathbb{1}\left(y_i=k\right)")
    'L_i = -\\log p_{y} + \\delta_{yk}'
    >>> _label_of_the_example(r"L = -\sum_{i=1}^N \log p_{y_i}")
    'L = -\\sum_{i=1}^N \\log p_{y_i}'
    """
    letters = {m.group(2) or m.group(3) for pattern in (NESTED_LABEL, LABEL_INDICATOR) for m in pattern.finditer(text)}
    for letter in letters:
        if re.search(r"\\(?:sum|prod)\s*(?:\\limits\s*)?_\s*\{?\s*" + letter + r"(?![a-zA-Z])", text):
            return text  # summed over the examples: each has its own label
    text = LABEL_INDICATOR.sub(lambda m: "\\delta_{%s%s}" % (m.group(1), m.group(4)), text)
    return NESTED_LABEL.sub(lambda m: "_{%s}" % m.group(1), text)


def normalize_latex(latex: str) -> tuple[str, str]:
    r"""Remove spacing/sizing commands and split off a prose tail; return ``(math, tail)``.

    >>> normalize_latex(r"\left[ a \right]^2, \forall i = 1, \dots, N")
    ('[ a ]^2', '\\forall i = 1, \\dots, N')
    >>> normalize_latex(r"a = b \quad \text{for } i \neq j")
    ('a = b', '\\text{for } i \\neq j')
    >>> normalize_latex(r"4: \log a = b")[0]
    '\\log a = b'
    >>> normalize_latex(r"y = \alpha + \log s \Box")
    ('y = \\alpha + \\log s', '')
    >>> normalize_latex(r"z^L_k = w^{l+1}_{jk} a^l_k + x_k^L")[0]
    'z^{(L)}_k = w^{(l+1)}_{jk} a^{(l)}_k + x_k^L'
    """
    text = latex.replace("\r", " ").replace("\n", " ")
    text = re.sub(r"^\s*[0-9]{1,2}\s*:(?![=:])", " ", text)  # "4: \frac{...} = ...": the author's item number, no factor
    text = re.sub(r"(?<!\\)\\\\\\(?=\s|$)", r"\\\\ ", text)  # "\\\" at a row's end (markdown's escape): a row break
    text = re.sub(r"(?<!\\)\\\\(?=[a-zA-Z])", r"\\\\ ", text)  # \\Loss: a row break, then the word (TeX reads it so)
    text = re.sub(r"(?<=[A-Za-z}])_\s+(?=[a-zA-Z0-9{])", "_", text)  # X_ i (a space after the underscore): X_i
    text = _mixed_kronecker(text)  # \delta_i^k
    text = re.sub(r"\\widehat(?![a-zA-Z])", r"\\hat", text)  # \widehat p: the hat of p
    text = re.sub(r"^\s*\\(?:sf|rm|bf|mathsf|textsf)\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}\s*([,.;]?)\s*$", r"\1\2", text)
    text = _primed_sum_indices(text)  # \sum_{j'=1}^V e^{u_{j'}}: the index j' is a letter of its own
    text = _primed_groups(text)  # (\ln(1+e^{x}))': the derivative of the bracket by its one letter
    # \text{Cross Entropy Loss} = H(p, q) = ...: a first side in words names what the next side is
    text = re.sub(r"^\s*\\(?:text|textrm|mbox)\s*\{[A-Za-z,'-]+ [A-Za-z ,'-]*\}\s*=(?=[^=]*[^=\s][^=]*=)", " ", text)
    for character, command in _UNICODE.items():  # symbols pasted from a note app
        text = re.sub(re.escape(character) + r"(?=[A-Za-z])", lambda _m, c=command: c.rstrip() + " ", text)
        text = text.replace(character, command.rstrip())
    text = re.sub(r"\\(?:begin|end)\{equation\*?\}", " ", text)  # a wrapper inside $$...$$
    text = re.sub(r"\\dots\s*\.+", r"\\dots ", text)  # x_1, ….., x_N: the dots, pasted and typed
    text = re.sub(r"\\(text|mbox|textrm|mathrm|operatorname)\s+\{", r"\\\1{", text)  # \text {for all}: one command
    text = re.sub(r"\\(?:text|mbox|textrm|operatorname|mathit|mathrm)\{\s*d\s*\}", "d ", text)  # \text{d}: the differential
    text = re.sub(r"\\[pP]i(?=\s*(?:\^\s*(?:\{[^{}]*\}|[a-zA-Z0-9])\s*)?_\s*\{\s*[a-z]\s*=)", r"\\prod", text)  # \pi^{N}_{j=1}
    text = _discrete_sums(text)  # \sum_x p(x) \log q(x): p and q are vectors indexed by the outcome x
    text = _SIGMA_AS_SUM.sub(lambda m: "\\sum" if re.search(r"_\s*\{?\s*%s(?![a-zA-Z])" % m.group("index"), m.group("term"))
                             else m.group(0), text)  # \Sigma_{d} e^{w_d^T x}: the capital sigma for the sum
    text = re.sub(r"\\log\s*_\s*(?:\{\s*e\s*\}|e(?![a-zA-Z]))", r"\\log ", text)  # \log_e: the natural logarithm
    text = _CALL_SEPARATOR.sub(lambda m: m.group("head") + m.group("first") + ", " + m.group("rest"), text)
    text = re.sub(r"(?<![<\-])->(?![>])", r" \\Rightarrow ", text)  # "f(x) = ... -> f'(x) = ...": an ASCII arrow
    text = re.sub(r"(?<![<=>!:\\])=>(?![=>])", r" \\Rightarrow ", text)  # "a = b => c = d": the ASCII implication
    text = re.sub(r"(?<![<=>!:\\])<=>(?![=>])", r" \\Leftrightarrow ", text)
    text = re.sub(r"(?<![<=>!:\\])>=(?![=>])", r" \\geq ", text)  # "H(p, q) >= 0", "0 <= p(x)": the ASCII relations
    text = re.sub(r"(?<![<=>!:\\])<=(?![=>])", r" \\leq ", text)
    text = re.sub(r"(?<![<=>!:\\])!=(?![=>])", r" \\neq ", text)
    # \mathbf{Ridge \ Regression\ Equation} \Rightarrow J = ...: a name in words first, then what it names
    text = re.sub(r"^\s*\\(?:text|textbf|textrm|mathbf|mathrm|mbox)\s*\{\s*[A-Za-z]{2,}(?:\s*(?:\\[ ,;]|~)?\s*[A-Za-z]+)+"
                  r"\s*\}\s*(?:\\Rightarrow|\\implies|:)\s*", " ", text)
    text = re.sub(r"\\(mathbf|bm|boldsymbol|vec|hat|tilde|bar|overline|widehat|widetilde)\s*(\\(?:%s))(?![a-zA-Z])" % _GREEK_NAMES,
                  r"\\\1{\2}", text)  # \boldsymbol \theta: the letter braced, as every reader below expects
    text = re.sub(r"\\(hat|bar|tilde)\s*\(\s*([a-zA-Z])\s*\)", r"\\\1{\2}", text)  # \hat(y): the hat of y, mistyped
    text = _lowered_vectors(text)  # w^T x_i, \|w\|^2: sums of components
    # "... \quad i \neq j" at the end: a condition, as after a comma (never a factor i of the formula)
    text = re.sub(r"\s*\\q?quad\s*([a-zA-Z]\s*(?:=|\\neq|\\ne(?![a-zA-Z])|!=)\s*[a-zA-Z])\s*([.,]?)\s*$", r", \1\2", text)
    # "... = h_i(1 - h_j) \;\;: i = j" at the end: the same condition after a colon (never a ratio)
    text = re.sub(r"(?:\s|\\[,;:! ]|~)*(?<![:=<>!])(?<!\\):(?![=])\s*([a-zA-Z]\s*(?:=|\\neq|\\ne(?![a-zA-Z])|!=)\s*[a-zA-Z])"
                  r"\s*([.,]?)\s*$", r", \1\2", text)
    text = re.sub(r"\\(?:bigtriangledown|triangledown)(?![a-zA-Z])", r"\\nabla ", text)  # \bigtriangledown_\theta J
    # z^L_k, w^l_{jk}, a^{l-1}_k, \delta^l_j: a layer written above without parentheses, then an index below (never a
    # power: a power comes after the index, x_k^2)
    text = re.sub(r"(?<![\\a-zA-Z])([a-zA-Z]|\\delta)\s*\^\s*(\{\s*[lL]\s*(?:[+-]\s*1\s*)?\}|[lL](?![a-zA-Z]))(?=\s*_)",
                  lambda m: f"{m.group(1)}^{{({m.group(2).strip('{} ')})}}", text)
    # an end-of-proof mark at the end of a row (\Box, \blacksquare, \qed): the author's "done", no factor
    text = re.sub(r"\\(?:Box|square|blacksquare|qed)(?![a-zA-Z])(?=\s*(?:\\\\|\\end\{|$))", " ", text)
    text = _side_remarks(text)  # &= A \qquad when\: g = ..., g' = ... \\ &= B: the remark is no part of the chain
    text = _bold_for_emphasis(text)  # \mathbf{s_0 (1 - s_0)}: a result set in bold, not a vector
    # \mathbf{x}^{(i)}: the i-th sample, written as x^{(i)} is (its components x_j^{(i)} keep their own key)
    text = re.sub(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*([a-z])\s*\}(?=\s*\^\s*\{\s*\(\s*[a-z0-9]\s*\)\s*\})", r"\1", text)
    text = re.sub(r"\^\s*\{\s*\}", " ", text)  # \sum_{k=1}^{ }: an empty bound is no bound
    text = re.sub(r"\\sum\s*_\s*\{\s*([a-zA-Z])\s*=\s*[0-9]\s*\}(?!\s*\^)", r"\\sum_{\1}", text)  # \sum_{k=1} alone
    text = re.sub(r"(?<=[A-Za-z}])\s*\{\s*_\s*(\{[^{}]*\}|[A-Za-z0-9])\s*\}", r"_\1", text)  # {y}{_{k}}: y_{k}
    text = _equations_apart(text)  # u = 2 \qquad v = u + 1: two equations side by side
    text = re.sub(r"(?<![a-zA-Z_^])\{\s*([a-zA-Z])\s*\}\s*'", r"\1'", text)  # {y}': the letter y'
    text = _loose_braces(text)  # {{\theta }_{j}}, {{x}^{(i)}}: a letter with its indices in braces of its own
    text = _derivative_spelled_loosely(text)  # {dw}_{1}, dw1, \partial_{MSE} over \partial w
    text = _NABLA_AT.sub(lambda m: "\\frac{\\partial %s}{\\partial %s}" % (m.group(1), m.group(2).strip()), text)
    # g_k'(z), g'_k(z), g_{k}^\prime(z): the derivative of the function g_k (bound as g' with the subscript k)
    text = re.sub(r"(?<![\\a-zA-Z])([a-z]|\\(?:phi|varphi|psi))\s*(?:_\s*(?:\{\s*([a-zA-Z0-9])\s*\}|([a-zA-Z0-9]))\s*" + _PRIME
                  + r"|" + _PRIME + r"\s*_\s*(?:\{\s*([a-zA-Z0-9])\s*\}|([a-zA-Z0-9])))(?=\s*\()",
                  lambda m: "\\mathit{DderivD%s}_{%s}" % (m.group(1).lstrip("\\"), next(g for g in m.groups()[1:] if g)), text)
    # \sigma(x)': the derivative of the function at one letter, as \sigma'(x) is (never of a longer expression)
    text = re.sub(r"(?<![\\a-zA-Z_])([a-z]|\\(?:ell|sigma|phi|varphi|psi|tanh))\s*\(\s*(\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?)"
                  r"\s*\)\s*(?:'|\^\s*\{\s*\\prime\s*\})(?!')", r"\1'(\2)", text)
    # f''(x), \ell^{\prime\prime}(\beta): the second derivative of a function (named as in the line below)
    text = re.sub(r"(?<![\\a-zA-Z_])([a-z]|\\(?:ell|sigma|phi|varphi|psi|tanh))\s*(?:''|\^\s*\{\s*\\prime\s*\\prime\s*\})"
                  r"(?=\s*\()", lambda m: "\\mathit{DsecondD%s}" % m.group(1).lstrip("\\"), text)
    # f'(x), g^\prime(u), \sigma'(z): the derivative of a function, a function of its own (never the letter f')
    text = re.sub(r"(?<![\\a-zA-Z_])([a-z]|\\(?:ell|sigma|phi|varphi|psi|tanh|sinh|cosh|exp|log|sin|cos))\s*(?:'|\^\s*\{\s*\\prime\s*\}|\^\s*\\prime(?![a-zA-Z]))"
                  r"(?=\s*\()", lambda m: "\\mathit{DderivD%s}" % m.group(1).lstrip("\\"), text)
    # L'(\alpha), J'(w): a capital's derivative, only at one letter (X'(y - X b) is a transpose times a bracket)
    text = re.sub(r"(?<![\\a-zA-Z_])([A-Z])\s*(''|'|\^\s*\{\s*\\prime\s*\})"
                  r"(?=\s*\(\s*\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?\s*\))",
                  lambda m: "\\mathit{D%sD%s}" % ("second" if m.group(2) == "''" else "deriv", m.group(1)), text)
    # L^{\text lasso}: \text without braces around the word the author means (never {\rm if}, which takes none)
    text = re.sub(r"\\(text|mathrm|textrm)\s+([A-Za-z]{2,})(?=\s*\})", r"\\\1{\2}", text)
    text = _DECORATED.sub(_decorate, text)  # w^*, b^{\text{new}}, \theta_j': other quantities, named apart
    text = _DROP_RE.sub(" ", text)
    text = _written_loosely(text)
    # J_\lambda, J_{\lambda}(w, b): one quantity named with a Greek subscript (restored by parse_side)
    text = re.sub(r"(?<![\\a-zA-Z])([A-Za-z])_(?:\{\s*\\(lambda|mu|alpha|beta|gamma|epsilon|tau|theta|eta|rho)\s*\}"
                  r"|\\(lambda|mu|alpha|beta|gamma|epsilon|tau|theta|eta|rho)(?![a-zA-Z]))"
                  r"(?P<call>\s*\(\s*[a-zA-Z](?:\s*,\s*[a-zA-Z])*\s*\))?",
                  lambda m: "\\mathit{G%sx%s}" % (m.group(1), m.group(2) or m.group(3))
                  + (m.group("call") or "" if m.group(1).islower() else ""),  # h_\theta(x): a function of x
                  text)
    # f_{\vec{w},b}(x): a function named with its parameters' letters (Coursera's linear model), one name
    text = re.sub(r"(?<![\\a-zA-Z])([a-z])_\{\s*" + _PARAMETER_LETTER + r"\s*,\s*" + _PARAMETER_LETTER + r"\s*\}(?=\s*\()",
                  lambda m: "\\mathit{G%sx%s}" % (m.group(1), "".join(g for g in m.groups()[1:] if g)), text)
    text = re.sub(r"\\(?:cdots|ldots|dots[cbom]?)(?![a-zA-Z])", r"\\dots", text)
    text = re.sub(r"\\(?:cdot|times)(?![a-zA-Z])\s*-", " (-1) ", text)  # a \cdot -b: times minus b, not minus
    text = re.sub(r"\\(?:cdot|times)(?![a-zA-Z])", " ", text).replace("\\ln", "\\log")
    text = re.sub(r"\\(?:mathrm|operatorname|text)\s*\{\s*e\s*\}", "e", text)  # an upright e is e
    text = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", text)  # \frac14
    text = re.sub(r"\\(hat|tilde)\s*\{\s*([a-zA-Z])\s*_\s*(\{[^{}]*\}|[a-zA-Z0-9])\s*\}", r"\\\1{\2}_\3", text)  # \hat{y_i}
    text = re.sub(r"\\partial_\s*(\{[^{}]*\}|[a-zA-Z])", lambda m: "\\frac{\\partial}{\\partial %s}" % m.group(1).strip("{}"), text)
    text = re.sub(r"\\(?:mathrm|operatorname)\{(log|exp)\}", r"\\\1", text)
    text = re.sub(r"\\dfrac|\\tfrac", r"\\frac", text)
    # \sigma^2_i and x^2_j are the square of the component: (\sigma_i)^2
    text = re.sub(r"(\\[a-zA-Z]+|(?<![\\a-zA-Z])[a-zA-Z])\s*\^\s*\{?([0-9])\}?\s*_\s*(\{[^{}]*\}|[a-zA-Z0-9])",
                  r"(\1_\3)^\2", text)
    text = re.sub(r"\\label\{[^{}]*\}|\\nonumber\b|\\notag\b", " ", text)
    # sigma(z)_i, with z bold or not, is the i-th softmax output
    text = re.sub(r"\[\s*((?:\\[a-zA-Z]+|[a-zA-Z])\s*\([^()\[\]]*\))\s*\]\s*_", r"\1_", text)  # [\sigma(\mathbf{a})]_i
    text = re.sub(r"(\\sigma|\\operatorname\{softmax\}|(?<![\\a-zA-Z])[a-df-zA-Z])\s*\(\s*(?:\\(?:mathbf|boldsymbol|bm)\s*(?:\{\s*([a-z])\s*\}|([a-z]))|([a-z]))"
                  r"\s*(\^\s*\{\s*\(\s*[a-zA-Z0-9]+\s*\)\s*\})?\s*\)\s*_\s*(?:\{\s*([a-zA-Z0-9])\s*\}|([a-zA-Z0-9]))",
                  lambda m: "%s(%s%s_%s)" % (m.group(1), m.group(2) or m.group(3) or m.group(4),
                                             re.sub(r"\s+", "", m.group(5) or ""), m.group(6) or m.group(7)), text)
    text = _sigma_shorthand(text)
    text = _CALLED_AT_VECTORS.sub(lambda m: m.group("head") + re.sub(_BOLD_LETTER, r"\1\2", m.group("args")) + ")", text)
    # a derivative written with a slash, d sigma_i / d z_j, is the fraction
    text = _SLASH_DERIVATIVE.sub(lambda m: "\\frac{\\partial %s}{\\partial %s}" % (m.group("f"), m.group("v")), text)
    text = _SLASH_D.sub(lambda m: "\\frac{d %s}{d %s}" % (m.group("f"), m.group("v")), text)
    # a second derivative is a derivative of a derivative
    text = _SECOND_DERIVATIVE.sub(lambda m: "\\frac{\\partial}{\\partial %s} (\\frac{\\partial %s}{\\partial %s})"
                                  % (m.group("a"), m.group("f"), m.group("b") or m.group("a")), text)
    text = _SECOND_D.sub(lambda m: "\\frac{d}{d %s} (\\frac{d %s}{d %s})" % (m.group("a"), m.group("f"), m.group("a")), text)
    # the operator alone, \frac{\partial^2}{\partial x_k^2} f or \frac{d^2}{dx^2} f: one derivative after the other
    text = _SECOND_OPERATOR.sub(lambda m: "\\frac{%s}{%s %s}\\frac{%s}{%s %s}" % (
        m.group("d"), m.group("d"), m.group("a"), m.group("d"), m.group("d"), m.group("b") or m.group("a")), text)
    # an indicator of i = j is a Kronecker delta
    text = re.sub(r"(?<![\\a-zA-Z0-9.])1_\{\s*(?:\\\{)?\s*([a-zA-Z])\s*=\s*([a-zA-Z])\s*(?:\\\})?\s*\}", r"\\delta_{\1\2}",
                  text)  # 1_{i=j}, 1_{\{j=k\}}
    text = re.sub(r"\{\s*\\bf\s*1\s*\}(?=\s*[\[(])", r"\\mathbf{1}", text)  # {\bf 1}[j = k]
    text = re.sub(_INDICATOR + r"(?:\[|\(|_\{|\\\{)\s*([a-zA-Z])\s*=\s*([a-zA-Z])\s*(?:\]|\)|\}|\\\})", r"\\delta_{\1\2}", text)
    # 1{k = i}, \mathbb{1}(j = k), \mathbf{1}_{i=j}: the indicator of two indices being equal
    text = _label_of_the_example(text)
    # a sum over k != i is the full sum with the k = i term removed
    text = _sums_over_the_others(text)
    # a sum written without bounds runs over its index's whole range
    text = re.sub(r"\\sum_(?:\{\s*([a-zA-Z])\s*\}|([a-zA-Z]))(?!\s*\^)", lambda m: "\\sum_{%s=1}^{%s}" % (m.group(1) or m.group(2), IMPLICIT_BOUND), text)
    tail = ""
    condition = (re.search(r",?\s*\(\s*([a-zA-Z]\s*(?:=|\\neq|\\ne|!=)\s*[a-zA-Z])\s*\)\s*[.,]?\s*$", text)
                 or re.search(r",\s*([a-zA-Z]\s*(?:=|\\neq|\\ne|!=)\s*[a-zA-Z])\s*[.]?\s*$", text))
    if condition:  # "... \qquad (i \ne j)": a condition written after the formula
        tail = "\\text{if } " + condition.group(1)
        text = text[: condition.start()]
    else:
        text = _case_in_subscripts(text)
    # "i = 1, \dots, C" or "i \in \{1, \dots, C\}" after the formula is the index's range, not a claim
    for _ in range(3):  # "i=1,\cdots,n : j=1,\cdots,c": one range per index
        index_range = re.search(r"[,:;]?\s*\(?\s*(?:\\forall\s*)?[a-zA-Z]\s*(?:=\s*1\s*,|\\in\s*\\?\{\s*1\s*,)\s*"
                                r"\\[lc]?dots\s*,\s*[A-Za-z]\s*\\?\}?\s*\)?\s*[.,]?\s*$", text)
        if not index_range:
            break
        written = index_range.group(0).strip(" ,.():;")  # kept as the tail, where the range is compared with the sums
        tail = ((written if written.startswith("\\forall") else "\\forall " + written) + " " + tail).strip()
        text = text[: index_range.start()]
    rows = re.split(r"\\\\(?:\s*\[[^\]]*\])?", text)  # aligned rows; \\[4pt] is only spacing
    claims: list[str] = []
    if len(rows) > 1:
        kept, notes = [], []
        for number, row in enumerate(rows):
            row, _, comment = row.partition("&&")  # a second column holds the reason ("&& \text{since ...}")
            claims.extend(claims_in_tail(comment)[0])  # what the reason goes on to claim is checked; its conditions not
            match = _prose_tail(row)
            if match and number < len(rows) - 1:  # "\quad \text{(distribute)}" ends this row only
                notes.append(match.group(0).lstrip(",; ").strip())
                row = row[: match.start()] + (" \\end{aligned}" if "\\end{" in match.group(0) else "")
            kept.append(row)
        text = " \\\\ ".join(kept)
        tail = " ".join([*notes, tail]).strip()
    match = _prose_tail(text)
    if match:
        tail = (match.group(0).lstrip(",; ").strip() + " " + tail).strip()
        text = text[: match.start()]
    text = re.sub(r"\s+", " ", text).strip().rstrip(".,;").strip()
    claimed, tail = claims_in_tail(tail)
    claims += claimed
    # what a comment goes on to claim ("\text{, hence } x = 2") is checked too, as equations of their own
    text = " \\NEWCHAIN ".join([text, *claims])
    return text, tail


_TEXT_COMMAND = re.compile(r"\\(?:text(?:rm|bf|it|normal|sf|tt)?|mbox|hbox|mathrm)\s*\{")
#: Words that open a condition of the formula before them (or define its letters), not a new claim.
_CONDITION_WORDS = frozenset("""
    if for when whenever where provided assuming assume given with otherwise else unless all each every any
""".split())
#: Words that open a justification: what follows is asserted, so a relation there is a claim too.
_JUSTIFICATION_WORDS = frozenset("since because as by using from see note".split())
#: A relation in the math after a comment: the checked ones, and those it does not check (``\\to``, ``\\approx``),
#: which make the claim unverified rather than dropped.
_RELATION_IN = re.compile(r"=|<|>|\\(?:[lg]eq?|neq?|[lg]eqslant|[lg]t|approx|equiv|sim|simeq|propto|to|rightarrow)(?![a-zA-Z])")
_INDEX_CONDITION = re.compile(r"^\s*\(?\s*[a-zA-Z]\s*(?:=|\\neq|\\ne|!=)\s*[a-zA-Z]\s*\)?\s*[.,;]?\s*$")


def _text_groups(tail: str) -> list[tuple[int, str, int]]:
    r"""``(start, words, end)`` of each ``\text{...}`` (``\mbox``, ``\textbf``, ...) group in ``tail``, braces
    balanced (``\text{hence {x}}`` is one group); an unbalanced one runs to the end.

    >>> _text_groups(r"\text{, hence {so} } x = 2 \mbox{if} i = j")
    [(0, ', hence {so} ', 20), (27, 'if', 36)]
    """
    groups, position = [], 0
    while True:
        found = _TEXT_COMMAND.search(tail, position)
        if not found:
            return groups
        try:
            end = _matching(tail, found.end() - 1)
        except LatexParseError:
            end = len(tail)
        groups.append((found.start(), tail[found.end(): max(found.end(), end - 1)], end))
        position = end


def claims_in_tail(tail: str) -> tuple[list[str], str]:
    r"""Split the prose tail of a display into the claims a comment goes on to make and the tail proper.

    Math after a ``\text{...}`` comment that holds a relation is a claim, and never dropped with the
    comment, unless the comment opens a condition ("if", "for", "when", "where", ...: the math up to the
    next comment is the condition) or the math is an index condition (``i = j``). A justification
    ("since", "because", "by", "using") asserts what follows: a claim too.

    >>> claims_in_tail(r"\text{, hence } \sigma(z_i) = 2")
    (['\\sigma(z_i) = 2'], '')
    >>> claims_in_tail(r"\text{for } i \neq j"), claims_in_tail(r"\text{and } i = j")
    (([], '\\text{for } i \\neq j'), ([], '\\text{and } i = j'))
    >>> claims_in_tail(r"\text{if } i = j \text{, hence } x = 2")
    (['x = 2'], '\\text{if } i = j')
    >>> claims_in_tail(r"\text{since } \sum_k y_k = 1")
    (['\\sum_k y_k = 1'], '')
    """
    groups = _text_groups(tail)
    claims, kept = [], []
    for number, (start, words, end) in enumerate(groups):
        words = re.findall(r"[a-zA-Z]+", words.lower())
        following = groups[number + 1][0] if number + 1 < len(groups) else len(tail)
        math = tail[end:following]
        if words and words[0] in _CONDITION_WORDS:
            kept.append(tail[start:following])
        elif _RELATION_IN.search(math) and not _INDEX_CONDITION.match(math):
            claims.append(math.strip().rstrip(".,;").strip())
        else:
            kept.append(tail[start:following])
    head = tail[: groups[0][0]] if groups else tail
    return claims, " ".join(part.strip() for part in (head, *kept) if part.strip())


def _matching(text: str, start: int, open_char: str = "{", close_char: str = "}") -> int:
    """Index just past the group that opens at ``start``; raises LatexParseError if unbalanced."""
    depth = 0
    for position in range(start, len(text)):
        char = text[position]
        if char == open_char and (position == 0 or text[position - 1] != "\\"):
            depth += 1
        elif char == close_char and (position == 0 or text[position - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return position + 1
    raise LatexParseError(f"unbalanced {open_char}{close_char} in {text[:80]}", text)


def _depths(text: str) -> list[int]:
    """Nesting depth of braces, parentheses and brackets at each character."""
    depth, out = 0, []
    for position, char in enumerate(text):
        escaped = position > 0 and text[position - 1] == "\\"
        if char in "{([" and not escaped:
            depth += 1
            out.append(depth)
            continue
        if char in "})]" and not escaped:
            out.append(depth)
            depth -= 1
            continue
        out.append(depth)
    return out


_IMPLICATIONS = ("\\Longrightarrow", "\\Rightarrow", "\\implies", "\\Leftrightarrow", "\\iff", "\\Longleftrightarrow")


_UNICODE = {"σ": " \\sigma ", "δ": " \\delta ", "∂": " \\partial ", "∑": " \\sum ", "−": "-", "–": "-", "·": " \\cdot ", "⋅": " \\cdot ", "∙": " \\cdot ",
            "×": " \\times ", "≤": " \\leq ", "≥": " \\geq ", "≠": " \\neq ", "∈": " \\in ", "\u00a0": " ",
            "ŷ": " \\hat{y}", "∀": " \\forall ", "…": " \\dots ", "⇒": " \\Rightarrow ", "→": " \\rightarrow ",
            **{letter: f" \\{name} " for letter, name in zip("αβγεϵζηθκλμνξπρτφϕχψω", (
                "alpha", "beta", "gamma", "epsilon", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu", "nu",
                "xi", "pi", "rho", "tau", "phi", "phi", "chi", "psi", "omega"))}}


def outcome_functions(latex: str) -> set:
    r"""The letters a display applies to the outcome a sum runs over (``\sum_x p(x) \log q(x)``: p and q), which
    :func:`normalize_latex` reads as vectors over the outcomes: distributions, or any function of the outcome.

    >>> sorted(outcome_functions(r"H(p, q) = -\sum_x p(x) \log q(x)")), outcome_functions(r"\sum_x x p(x)")
    (['p', 'q'], set())
    """
    written = _discrete_sums(latex)
    if written == latex:
        return set()
    return {m.group(1) for m in re.finditer(r"(?<![\\a-zA-Z])([a-zA-Z])_\{[a-z]\}", written)} - \
        {m.group(1) for m in re.finditer(r"(?<![\\a-zA-Z])([a-zA-Z])\s*_\s*\{?\s*[a-z]", latex)}


def _discrete_sums(text: str) -> str:
    r"""A sum over the outcomes x of distributions written as functions, ``\sum_x p(x) \log q(x)`` or ``\sum_{x \in
    X} p(x)``: the components ``p_{x}``, ``q_{x}`` of vectors over the outcomes, when x stands nowhere else in the
    display but as the argument of single letters (so ``\sum_x x p(x)`` is left as it is).

    >>> _discrete_sums(r"H(p, q) = -\sum_{x \in X} p(x) \log q(x)")
    'H(p, q) = -\\sum_{x} p_{x} \\log q_{x}'
    >>> _discrete_sums(r"\sum_x x p(x)")
    '\\sum_x x p(x)'
    """
    for found in re.finditer(r"\\sum\s*_\s*(?:\{\s*([a-z])\s*(?:\\in\s*[^{}]*)?\}|([a-z])(?![a-zA-Z]))(?!\s*\^)", text):
        letter = found.group(1) or found.group(2)
        applied = r"(?<![\\a-zA-Z])([a-zA-Z])\s*\(\s*%s\s*\)" % letter
        rest = re.sub(applied, " ", text)
        rest = re.sub(r"_\s*(?:\{[^{}]*\}|%s(?![a-zA-Z]))" % letter, " ", rest)  # \sum_x, \sum_{x=1}, p_{x}: an index
        rest = re.sub(r"\\[a-zA-Z]+", " ", rest)
        if re.search(r"(?<![a-zA-Z])%s(?![a-zA-Z])" % letter, rest) or not re.search(applied, text):
            continue
        text = re.sub(r"\\sum\s*_\s*\{\s*%s\s*\\in\s*[^{}]*\}" % letter, r"\\sum_{%s}" % letter, text)
        return re.sub(applied, lambda m: "%s_{%s}" % (m.group(1), letter), text)
    return text


#: ``\Sigma_{d}`` or ``\Sigma_{i=1}^k`` before a term (group ``term``, a look-ahead) that writes the index below
_SIGMA_AS_SUM = re.compile(r"\\Sigma(?=\s*_\s*(?:\{\s*(?P<index>[a-z])\s*(?:=[^{}]*)?\}|(?P=index)(?![a-zA-Z]))"
                           r"(?:\s*\^\s*(?:\{\s*[a-zA-Z0-9]+\s*\}|[a-zA-Z0-9]))?\s*(?P<term>[^=]{0,80}))")
_CALL_ITEM = r"(?:\\[a-zA-Z]+\s*(?:\{\s*[a-zA-Z]\s*\}|\s[a-zA-Z](?![a-zA-Z]))?|[a-zA-Z])(?:\s*_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?(?:\s*\^\s*\{?\s*2\s*\}?)?"
#: ``f(x; \lambda)``, ``p(x \mid \mu, \sigma)``: a function of x with parameters, written apart; read as one list
_CALL_SEPARATOR = re.compile(
    r"(?P<head>(?:(?<![\\a-zA-Z])[a-zA-OQ-Z]|\\ell|\\mathcal\s*(?:\{\s*[A-Z]\s*\}|[A-Z](?![a-zA-Z])))(?:_\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))?\s*\(\s*)"
    r"(?P<first>" + _CALL_ITEM + r"(?:\s*,\s*" + _CALL_ITEM + r")*)\s*(?:;|\\mid(?![a-zA-Z])|\\parallel(?![a-zA-Z])|\|\|?)\s*"
    r"(?P<rest>(?:" + _CALL_ITEM + r"|\\dots)(?:\s*,\s*(?:" + _CALL_ITEM + r"|\\dots))*\s*\))")


def split_chain(math: str) -> tuple[list[str], list[str]]:
    r"""Split a display into sides and relations at the top level (aligned rows joined).

    >>> split_chain(r"\begin{aligned} a &= b \\ &\leq c \end{aligned}")
    (['a', 'b', 'c'], ['=', '<='])
    >>> split_chain(r"\begin{aligned} a &= b > 0 \\ a &= c \\ d &= e \end{aligned}")
    (['a', 'b', '0', 'a', 'c', 'd', 'e'], ['=', '>', '|', '=', '|', '='])
    >>> split_chain(r"\begin{aligned} a =& b \\ +& c \end{aligned}")
    (['a', 'b + c'], ['='])
    >>> split_chain(r"a = b \Rightarrow c > d")
    (['a', 'b', 'c', 'd'], ['=', '=>', '>'])
    >>> split_chain(r"\sum_k p_k = 1, p_j > 0"), split_chain(r"f(a, b) = c")
    ((['\\sum_k p_k', '1', 'p_j', '0'], ['=', '|', '>']), (['f(a, b)', 'c'], ['=']))
    """
    gathered = re.search(r"\\begin\{gather(?:ed|\*)?\}", math) is not None  # each row its own equation
    math = re.sub(r"\\(?:begin|end)\{gather(?:ed|\*)?\}", " ", math)
    text = re.sub(r"\\begin\{(aligned|align\*?|alignat\*?|alignedat|eqnarray\*?|equation\*?|split|gathered|array)\}"
                  r"(\{[^{}]*\})?", " ", math)
    text = re.sub(r"\\end\{(aligned|align\*?|alignat\*?|alignedat|eqnarray\*?|equation\*?|split|gathered|array)\}", " ", text)
    rows = text.split("\\\\")
    if len(rows) > 1:  # "h &= \sigma(a), \\": the punctuation that ends a row ends a sentence, not a side
        rows = [re.sub(r"(?<!\\)[,.;]\s*$", " ", row) for row in rows]
    for number in range(1, len(rows)):
        if gathered:
            rows[number] = " \\NEWCHAIN " + rows[number]
            continue
        if "&" not in rows[number]:
            if _own_equation(rows[number], rows[:number]):  # z = w x + b \\ \hat{y} = \sigma(z): no alignment
                rows[number] = " \\NEWCHAIN " + rows[number]
            continue
        left = rows[number].split("&", 1)[0]
        if re.fullmatch(r"(?:\s|[-+]|\\(?:quad|qquad|cdot|times|[,;:!]))*", left):
            continue  # "+& (more terms)": the row continues the side before it (it used to be dropped)
        # a row with its own left-hand side (even the first one again) starts a new chain: after
        # "A = B > 0", the row "A = C" compares C with A, not with 0
        rows[number] = " \\NEWCHAIN " + rows[number]
    text = " ".join(rows).replace("&", " ")
    depths = _depths(text)
    sides, relations, last, position = [], [], 0, 0
    # "|": no step between these two sides; "=>": an implication between the claims on either side
    known = {**RELATIONS, "\\NEWCHAIN": "|", **{arrow: "=>" for arrow in _IMPLICATIONS}}
    names = sorted(known, key=len, reverse=True)
    while position < len(text):
        if depths[position] == 0 and text[position] == "," and relations and relations[-1] != "|" \
                and text.count("\\{", last, position) == text.count("\\}", last, position) \
                and _relation_at_top(text, depths, position + 1, names):
            sides.append(text[last:position].strip())  # "A = B, C > 0": two equations in one display
            relations.append("|")
            position += 1
            last = position
            continue
        if depths[position] == 0:
            for name in names:
                if text.startswith(name, position) and not (
                    name[-1].isalpha() and position + len(name) < len(text) and text[position + len(name)].isalpha()
                ):
                    sides.append(text[last:position].strip())
                    relations.append(known[name])
                    position += len(name)
                    last = position
                    break
            else:
                position += 1
                continue
            continue
        position += 1
    sides.append(text[last:].strip())
    return sides, relations


def _own_equation(row: str, before: list) -> bool:
    r"""Whether an unaligned row is an equation of its own: it has a relation outside brackets, starts with neither
    a relation nor an operator (``\\ + c`` and ``\\ = c`` go on with the row before), and no environment (cases)
    is open in the rows before it, whose last one has a relation too (and does not end with one, or an arrow).

    >>> _own_equation(r" \hat{y} = \sigma(z)", ["z = w x + b"]), _own_equation(" + c = d", ["a = b"])
    (True, False)
    >>> _own_equation(" b = c", [r"a = b \Rightarrow "]), _own_equation(r" \sum_k y_k = 1", ["a = b + "])
    (False, False)
    """
    opened = "".join(before)
    bare = re.sub(r"\\[{}]", "", opened)
    if opened.count("\\begin{") != opened.count("\\end{") or not before or bare.count("{") != bare.count("}"):
        return False  # inside an environment or a brace group (cases, \displaylines{...}): its rows are its own
    names = sorted(RELATIONS, key=len, reverse=True)
    def related(text: str) -> bool:
        depths = _depths(text)
        return any(depths[position] == 0 and text.startswith(name, position) for position in range(len(text))
                   for name in names)
    head, tail = row.strip(), before[-1].rstrip()
    if any(tail.endswith(name) for name in (*names, *_IMPLICATIONS)) \
            or re.search(r"(?:[-+*/(,]|\\(?:cdot|times|left\s*[(\[]))\s*$", tail):
        return False  # "... \Rightarrow \\ \sigma'(x) = ...", "-y_i(1 - p_i) + \\ \sum ...": the row goes on
    if not head or head[0] in "+-=<>" or head.startswith("\\") and any(head.startswith(n) for n in names) \
            or re.match(r"\\(?:cdot|times|quad|qquad)(?![a-zA-Z])", head):
        return False
    return related(row) and related(before[-1])


def _relation_at_top(text: str, depths: list, start: int, names: list) -> bool:
    """True when a relation follows ``start`` outside every bracket (then a comma before it separates equations)."""
    return any(depths[position] == 0 and any(text.startswith(name, position) for name in names if name != "\\NEWCHAIN")
               for position in range(start, len(text)))


_OPENING = re.compile(r"\s*(?:\\begin\{(?:aligned|align\*?|eqnarray\*?|split|gathered)\}\s*)?")
_NO_VALUE = re.compile(r"\\(?:blacksquare|square|qed|Box|begin\{cases\})")


def continued_displays(equations: tuple) -> tuple:
    r"""Displays that start with a relation (``$$ = B $$`` after ``$$ A = C $$``) continue the chain of an
    earlier display: each gets that display's last side in front of it, so that its first step is checked.

    The earlier display is the one just before, except in a case split: "if $i = j$: $$ = ... $$ and if
    $i \neq j$: $$ = ... $$" both continue the display before the first case.

    >>> from symsoft.read.document import DisplayEquation as D
    >>> eqs = (D("5", 1, "p = a"), D("6", 2, "= b = c", ("i = j",)), D("7", 3, "= d", ("i != j",)), D(None, 4, "= e"))
    >>> [e.latex for e in continued_displays(eqs)]
    ['p = a', 'a = b = c', 'a = d', 'd = e']
    >>> [e.latex for e in continued_displays((D("1", 1, "p = a ="), D("2", 2, "= b")))]
    ['p = a = b', 'a = b']
    """
    out, heads = [], []
    for number, eq in enumerate(equations):
        head = None
        try:
            texts, relations = split_chain(normalize_latex(eq.latex)[0])
        except (Exception, RecursionError):
            texts, relations = [], []
        if number and relations and not texts[0]:
            head = number - 1
            while (heads[head] is not None and eq.conditions and equations[head].conditions
                   and equations[head].conditions != eq.conditions):
                head = heads[head]  # the other branch of a case split continued the same display
        last = ""
        if head is not None and not _NO_VALUE.search(out[head].latex):
            try:
                # "$$ A = B = $$ $$ = C $$": the display before ends with its relation; C follows its last side, B
                last = next((text for text in reversed(split_chain(normalize_latex(out[head].latex)[0])[0])
                             if text.strip()), "")
            except (Exception, RecursionError):
                last = ""
        if last:
            start = _OPENING.match(eq.latex).end()
            eq = replace(eq, latex=f"{eq.latex[:start]}{last} {eq.latex[start:]}")
        else:
            head = None
        out.append(eq)
        heads.append(head)
    return tuple(_ended_by_the_next(out, number, equations) for number in range(len(out)))


def _ended_by_the_next(equations: list, number: int, written: Sequence | None = None):
    r"""A display that ends with its relation (``$$ A = B = $$`` then ``$$ C = D $$``) goes on in the next one: its
    last step's right side is the next display's first side, as ``written`` (before a continuation got its head).

    >>> from symsoft.read.document import DisplayEquation as D
    >>> [_ended_by_the_next([D("1", 1, "A = B ="), D(None, 2, "C = D")], n).latex for n in (0, 1)]
    ['A = B = C', 'C = D']
    >>> _ended_by_the_next([D("1", 1, "A = B ="), D("2", 2, "= C")], 0).latex
    'A = B = C'
    """
    eq = equations[number]
    if number + 1 >= len(equations):
        return eq
    try:
        texts, relations = split_chain(normalize_latex(eq.latex)[0])
        following = split_chain(normalize_latex((written or equations)[number + 1].latex)[0])[0]
    except (Exception, RecursionError):
        return eq
    following = [text for text in following if text.strip()][:1]  # "= C" after it: C, the first side it writes
    if not relations or texts[-1].strip() or len(texts) < 2 or not following:
        return eq
    return replace(eq, latex=f"{eq.latex.rstrip()} {following[0]}")


def _placeholder(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return _PLACEHOLDER.format(letters)


def _split_indices(group: str) -> tuple[str, ...]:
    inner = group[1:-1] if group.startswith("{") else group
    inner = inner.strip()
    if not inner:
        return ()
    if "," in inner:
        return tuple(part.strip() for part in inner.split(","))
    if re.fullmatch(r"[0-9]+", inner):
        return (inner,)
    inner = re.sub(r"\^\s*\{?\s*(?:\*|\\star|\\ast)\s*\}?", "*", inner)  # c^*, the true class: one index
    return tuple(re.findall(r"[^\s*]\**", inner))


def _term_end(text: str, start: int) -> int:
    """End of the product term that starts at ``start``: the next top-level + or -, or the end."""
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        escaped = position > 0 and text[position - 1] == "\\" and char not in "{}"  # \{ ... \} bracket a term too
        if char in "{([" and not escaped:
            depth += 1
        elif char in "})]" and not escaped:
            if depth == 0:
                return position
            depth -= 1
        elif char in "+-" and depth == 0 and position > start and text[position - 1] not in "^_":
            return position
        position += 1
    return len(text)


_DERIVATIVE = re.compile(r"\\frac\s*\{\s*(?P<d>\\partial|d(?![a-zA-Z])|d(?=[a-zA-Z\\]))")


def _derivative_spans(text: str) -> list[tuple[int, int, str, str, str | None]]:
    """Find derivatives: (start, end, operand text, variable text, typo) in order."""
    found = []
    position = 0
    while True:
        match = _DERIVATIVE.search(text, position)
        if match is None:
            return found
        num_start = text.index("{", match.start())
        num_end = _matching(text, num_start)
        den_start = num_end
        while den_start < len(text) and text[den_start] == " ":
            den_start += 1
        if den_start >= len(text) or text[den_start] != "{":
            position = match.end()
            continue
        den_end = _matching(text, den_start)
        numerator = text[num_start + 1: num_end - 1].strip()
        denominator = text[den_start + 1: den_end - 1].strip()
        operand = numerator[len(match.group("d")):].strip()
        typo = None
        variable = denominator
        d = match.group("d")
        glued = d == "d" and re.fullmatch(r"d\s*(?:[a-zA-Z]|\\(?:hat|tilde|bar)\{[a-zA-Z]\}|\\[a-zA-Z]+(?![a-zA-Z]))(?:_\{?[^{}]*\}?|_[a-zA-Z0-9])?(?:\^\{?\([^()]*\)\}?)?", variable)
        if glued:  # \frac{d\sigma_i}{dz_j}: d written against the variable
            variable = variable[1:].strip()
        elif d == "d" and numerator[1:2].isalpha():
            position = match.end()  # \frac{dx}{y}: a fraction, not a derivative
            continue
        elif variable.startswith(d) and not variable[len(d):len(d) + 1].isalpha() or variable.startswith("\\partial"):
            variable = variable[len("\\partial") if variable.startswith("\\partial") else len(d):].strip()
            if variable.startswith("\\sigma") and not re.match(r"\s*(?:\(|\^|_|$)", variable[len("\\sigma"):]):
                typo = f"stray \\sigma in the derivative's denominator '{denominator}': read as \\partial {variable[6:].strip()}"
                variable = variable[len("\\sigma"):].strip()
        elif variable.startswith("\\sigma") and not re.match(r"\s*(?:\(|\^|_|$)", variable[len("\\sigma"):]):
            typo = f"\\sigma written where \\partial was meant in '{denominator}': read as \\partial {variable[6:].strip()}"
            variable = variable[len("\\sigma"):].strip()
        else:
            position = match.end()
            continue
        if operand:
            end = den_end
        else:
            end = _term_end(text, den_end)
            operand = text[den_end:end].strip()
            opening = re.match(r"\s*(\\left\s*\(|\\[bB]igg?l?\s*\(|\()", text[den_end:])
            if opening:  # d/dz (f) g: the operator applies to the bracketed group only
                start = den_end + opening.end() - 1
                close = _matching(text, start, "(", ")")
                power = re.match(r"\s*\^\s*(?:\{[^{}]*\}|[0-9a-zA-Z])", text[close:])
                if power:  # d/dx (a x + b)^2: the power belongs to the bracket
                    close += power.end()
                if close < end and text[close:end].strip():
                    end = close
                    operand = text[den_end:end].strip()
        if not operand:
            raise LatexParseError(f"a derivative with nothing to differentiate: {text[match.start():end]}", text)
        if operand.startswith("\\{") and operand.endswith("\\}") and "\\{" not in operand[2:-2]:
            operand = "(" + operand[2:-2] + ")"  # \frac{\partial}{\partial w}\{ ... \}: escaped braces bracket it
        found.append((match.start(), end, operand, variable, typo))
        position = end
    return found


_CALL_NAME = re.compile(
    r"(?P<name>\\(?:sigma|phi|varphi|psi|rho|theta|eta)(?![a-zA-Z])"
    r"|\\(?:operatorname|mathrm|text|mathit)\s*\{\s*(?!Q[a-z]+\})[a-zA-Z]{2,}\s*\}"  # never a placeholder (\mathit{Qa})
    r"|(?<![\\a-zA-Z_^{}0-9])[a-zA-Z](?![a-zA-Z]))\s*\("
)
_SIMPLE_ARGUMENT = re.compile(
    r"\s*(?:[a-zA-Z]|\\[a-zA-Z]+|\\mathit\{Q[a-z]+\}|(?:\\hat\{[a-zA-Z]\}|[a-zA-Z])_(?:\{[^{}]*\}|[a-zA-Z0-9])"
    r"(?:\^\{?\([a-zA-Z0-9]+\)\}?)?)\s*"
)


def _call_spans(text: str) -> list[tuple[int, int, str, str]]:
    r"""Function calls whose argument is more than one symbol: (start, end, name, argument).

    >>> _call_spans(r"\sigma(-z) + \sigma(z_i) + x_j(a + b)")
    [(0, 10, '\\sigma', '-z')]
    """
    found, position = [], 0
    while True:
        match = _CALL_NAME.search(text, position)
        if match is None:
            return found
        open_at = match.end() - 1
        try:
            close = _matching(text, open_at, "(", ")")
        except LatexParseError:
            return found
        argument = text[open_at + 1: close - 1]
        name = re.sub(r"\s+", "", match.group("name"))
        worded = re.fullmatch(r"\\(?:operatorname|mathrm|text)\{[a-zA-Z]{2,}\}", name)  # the parser reads no \operatorname
        if name == "e" or (_SIMPLE_ARGUMENT.fullmatch(argument) and not worded) or "," in argument \
                or "\\mathit{Q" in argument:
            position = match.end()
            continue
        found.append((match.start(), close, name, argument))
        position = close


def _top_level_terms(text: str) -> list[list]:
    """``[sign, body]`` pairs of the terms of ``text`` at the top level (outside braces and brackets)."""
    terms, depth, start, sign = [], 0, 0, "+"
    for position, character in enumerate(text):
        depth += (character in "{([") - (character in "})]")
        if depth == 0 and character in "+-" and position > 0 and text[:position].strip() \
                and text[:position].rstrip()[-1] not in "^_{(+-":
            terms.append([sign, text[start:position].strip()])
            sign, start = character, position + 1
        elif depth == 0 and character in "+-" and not text[:position].strip():
            sign, start = character, position + 1
    terms.append([sign, text[start:].strip()])
    return terms


def _numbered(body: str, number: str) -> str:
    braced = re.sub(r"_\s*([a-zA-Z0-9])", r"_{\1}", body)
    return re.sub(r"_\{\s*" + number + r"\s*\}", "_{#}", braced)


def explicit_sums(text: str) -> str:
    r"""A sum written out with dots, ``y_1 \log p_1 + y_2 \log p_2 + \dots + y_n \log p_n``, as ``\sum``: the terms
    before the dots are one template at 1, 2, ... (or 0, 1, ...) and the last term is the template at the bound (a
    letter, ``m - 1``, or a number).
    Anything else is left as written (and does not parse).

    >>> explicit_sums(r"-Y_1\log(s_1) - Y_2\log(s_2) - \dots - Y_C\log(s_C) + c")
    '-\\sum_{k=1}^{C} (Y_{k}\\log(s_{k})) + c'
    >>> explicit_sums(r"p_i y_1 + p_i y_2 + \dots + (p_i - y_i) + \dots + p_i y_n")
    'p_i y_1 + p_i y_2 + \\dots + (p_i - y_i) + \\dots + p_i y_n'
    >>> explicit_sums(r"w_0x_0 + w_1x_1 + ... + w_{m-1}x_{m-1}"), explicit_sums(r"e^{x_1} + \dots + e^{x_n}")
    ('\\sum_{k=0}^{m-1} (w_{k}x_{k})', '\\sum_{k=1}^{n} (e^{x_{k}})')
    >>> explicit_sums(r"e^{a_1} + e^{a_2} + ... + e^{a_j} + ... + e^{a_N}")
    '\\sum_{k=1}^{N} (e^{a_{k}})'
    """
    text = re.sub(r"(?<=[+\-])\s*\.\.\.\s*(?=[+\-])", r" \\dots ", text)
    if "\\dots" not in text:
        return text
    for opening in [m.start() for m in re.finditer(r"\(", text)][::-1]:  # inside brackets first: -(a_1 + \dots + a_n)
        try:
            closing = _matching(text, opening, "(", ")")
        except LatexParseError:
            continue
        inside = text[opening + 1: closing - 1]
        if "\\dots" in inside:
            written = explicit_sums(inside)
            if written != inside:
                return explicit_sums(text[:opening + 1] + written + text[closing - 1:])
    terms = _top_level_terms(text)
    for dots, (_sign, body) in enumerate(terms):
        if body != "\\dots" or dots + 1 >= len(terms):
            continue
        for count, start in ((count, start) for count in range(min(dots, 5), 0, -1) for start in (1, 0)):
            first = dots - count
            template = _numbered(terms[first][1], str(start))
            if "#" not in template or re.search(r"\\dots|#(?!\})", template):
                continue
            run = terms[first:dots] + [terms[dots + 1]]
            if any(sign != run[0][0] for sign, _ in run) or any(
                    _numbered(body, str(start + n)) != template for n, (_, body) in enumerate(run[:-1])):
                continue
            # the bound: a letter, a letter minus or plus a number (x_{m-1}), or a number past the terms written
            pattern = re.escape(template).replace("\\#", r"([a-zA-Z](?:\s*[-+]\s*[0-9]+)?|[0-9]+)")
            last = re.fullmatch(pattern, re.sub(r"_\s*([a-zA-Z0-9])", r"_{\1}", run[-1][1]))
            if last is None or len(set(last.groups())) != 1 or (
                    last.group(1).isdigit() and int(last.group(1)) < start + count):
                continue
            end = dots + 2
            if end + 1 < len(terms) and terms[end][1] == "\\dots" and terms[end + 1][0] == run[0][0]:
                final = re.fullmatch(pattern, re.sub(r"_\s*([a-zA-Z0-9])", r"_{\1}", terms[end + 1][1]))
                if final is not None and len(set(final.groups())) == 1 and final.group(1) != last.group(1) \
                        and not last.group(1).isdigit():  # e^{a_1} + ... + e^{a_j} + ... + e^{a_N}: the j-th term shown
                    last, end = final, end + 2
            letter = next(c for c in "kjmlrsqvu" if not re.search(rf"(?<![\\a-zA-Z]){c}(?![a-zA-Z])", text))
            summed = "\\sum_{%s=%d}^{%s} (%s)" % (letter, start, re.sub(r"\s+", "", last.group(1)),
                                                 template.replace("#", letter))
            terms[first:end] = [[run[0][0], summed]]
            rest = "".join(f" {sign} {body}" for sign, body in terms).strip()
            return explicit_sums(rest[2:] if rest.startswith("+ ") else rest.replace("- ", "-", 1) if rest.startswith("- ") else rest)
    return text


def _sum_over_e(text: str) -> str:
    r"""A sum over the letter e (``\sum_{e=1}^D w_e x_{ne}``): there e is an index, not Euler's number, so it is
    written as a letter the side does not use, in the sum's bound and in subscripts.

    >>> _sum_over_e(r"\sum_{e=1}^{D} w_e x_{ne} + e^{z_\beta}")
    '\\sum_{g=1}^{D} w_g x_{ng} + e^{z_\\beta}'
    """
    if not re.search(r"\\sum_\{?\s*e\s*=", text):
        return text
    letter = next((c for c in "gquvrstabcd" if not re.search(rf"(?<![\\a-zA-Z]){c}(?![a-zA-Z])", text)), None)
    if letter is None:
        return text
    text = re.sub(r"(\\sum_\{?\s*)e(\s*=)", rf"\g<1>{letter}\g<2>", text)
    def in_group(group: str) -> str:  # every e of a subscript that is not inside a command (\beta)
        return "".join(part if part.startswith("\\") else part.replace("e", letter)
                       for part in re.split(r"(\\[a-zA-Z]+)", group))

    text = re.sub(r"_\{([^{}]*)\}", lambda m: "_{" + in_group(m.group(1)) + "}", text)
    return re.sub(r"_e(?![a-zA-Z])", "_" + letter, text)


#: a display's left side that is a letter with one or two index groups (``w_{1,1}^{(l+1)}``, ``w{(l + 1)}``)
_NEXT = re.compile(r"^\s*(?:\\begin\{[a-z]+\*?\}\s*)?(?:\\displaystyle\s*)?(\\[a-zA-Z]+|[a-zA-Z])\s*"
                   r"((?:[_^]?\s*" + _INDEX + r"\s*){1,2})(?:=|:=|\\leftarrow)")


#: an assignment with an arrow, ``w_j \leftarrow ...``
_ASSIGNED = re.compile(r"^\s*(?:\\displaystyle\s*)?(\\[a-zA-Z]+|[a-zA-Z])\s*(?:[_^]\s*" + _INDEX + r"\s*){0,2}"
                       r"(?:\\leftarrow|\\gets|\\longleftarrow)(?![a-zA-Z])")


def update_rule(latex: str) -> str:
    r"""The letter an update rule gives the next value of (``w^{(l+1)} = w^{(l)} - \eta \nabla E``, ``\theta_{t+1} =
    \theta_t - ...``, ``w_j \leftarrow w_j - \alpha g_j``), or "": a display whose left side is a letter at step ``l + 1``
    and whose right side has the same letter at step ``l``, or an assignment with an arrow (``:=`` and
    ``\overset{def}{=}`` too: the display is normalized first).

    >>> update_rule(r"w_{1, 1}^{(l + 1)} = w_{1, 1}^{(l)} - h \cdot \nabla E"), update_rule(r"\theta_{t+1} = \theta_t - g")
    ('w', '\\theta')
    >>> update_rule(r"a^{(l+1)} = W a^{(l)}"), update_rule(r"x_{k+1} = 2")
    ('a', '')
    """
    latex = re.sub(r"\\(?:mathbf|bm|boldsymbol|vec)\s*\{\s*(\\?[a-zA-Z]+)\s*\}", r"\1", normalize_latex(latex)[0])
    assigned = _ASSIGNED.match(latex)
    if assigned:  # w_j \leftarrow w_j - \alpha g_j: an assignment
        return assigned.group(1)
    found = _NEXT.match(latex)
    step = re.search(r"(?<![a-zA-Z\\])([a-z])\s*\+\s*1(?![0-9])", found.group(2)) if found else None
    if step is None:
        return ""
    letter, step = found.group(1), step.group(1)
    rest = latex[found.end():]
    indices = re.compile(re.escape(letter) + r"(?![a-zA-Z])\s*((?:[_^]?\s*" + _INDEX + r"\s*){1,2})")
    at_step = re.compile(r"(?<![a-zA-Z\\])" + step + r"(?![a-zA-Z])(?!\s*[+-]\s*1)")
    return letter if any(at_step.search(m.group(1)) for m in indices.finditer(rest)) else ""


_SLASH_LETTER = (r"(?:\\mathit\{[A-Za-z]+\}|\\(?:%s|ell|sigma|delta|pi|Sigma)(?![a-zA-Z])|[a-zA-Z])(?:\s*[_^]\s*(?:\{[^{}]*\}|[a-zA-Z0-9]))*"
                 % _GREEK_NAMES)
#: a slash, the one factor after it, and a factor written next to that one (juxtaposed)
_SLASH_THEN = re.compile(r"/\s*(?P<den>(?P<number>[0-9]+(?:\.[0-9]+)?(?:\s*[a-zA-Z](?![a-zA-Z_^{(]))?)|" + _SLASH_LETTER
                         + r"|\{[^{}]*\}|\([^()]*\))\s*(?=(?P<big>\\(?:sum|prod|frac|log|ln|exp|sqrt)(?![a-zA-Z]))"
                         r"|(?P<bracket>\(|\[|\\left\s*[(\[])|(?P<letter>" + _SLASH_LETTER + r"|[0-9]))")


def _bracketed(text: str, start: int) -> str:
    """The text inside the bracket that opens at ``start`` (``(``, ``[`` or ``\\left(``), up to its match."""
    opening = re.match(r"(?:\\left)?\s*([(\[])", text[start:])
    at = start + opening.end() - 1
    try:
        close = _matching(text, at, opening.group(1), ")" if opening.group(1) == "(" else "]")
    except LatexParseError:
        return text[at + 1:]
    return re.sub(r"\\right\s*$", "", text[at + 1:close - 1]).strip()


def slash_scope(text: str) -> str:
    r"""Where a slash ends, written as an explicit product: ``1/m \sum_i x_i`` and ``1/2m \sum_i`` are (1/m) times
    the sum, ``1/2 (y - t)^2`` is a half of the square (a number over a number, then a bracket). Raises
    :class:`~symsoft.errors.LatexParseError` where the reading is not written: ``\lambda/v s``, ``1/2 x`` (x/2 or
    1/(2x)) or ``a/b (c + d)`` (a/(b (c + d)) or (a/b) (c + d)); ``a/\sigma(z)`` stays a call in the denominator.

    >>> slash_scope(r"1/2m \sum_{i=1}^{m} x_i"), slash_scope(r"1/2 (y - t)^2"), slash_scope(r"e^{a}/\sum_j e^{a_j}")
    ('1/2m \\cdot \\sum_{i=1}^{m} x_i', '1/2 \\cdot (y - t)^2', 'e^{a}/\\sum_j e^{a_j}')
    >>> slash_scope(r"x/\sigma(z) + 1")
    'x/\\sigma(z) + 1'
    >>> slash_scope(r"\lambda /vs")
    Traceback (most recent call last):
    ...
    symsoft.errors.LatexParseError: \lambda /vs: a factor written after a/b, so (a/b) c or a/(b c) is not told
    """
    if "/" not in text:
        return text
    out, last = [], 0
    for match in _SLASH_THEN.finditer(text):
        if match.group("big") or (match.group("bracket") and match.group("number")):
            out.append(text[last:match.end()].rstrip() + " \\cdot ")
            last = match.end()
            continue
        if match.group("bracket") and re.fullmatch(_SLASH_LETTER, _bracketed(text, match.end())):
            continue  # x/\sigma(z), g(z)/h(z): a function of one letter in the denominator
        raise LatexParseError(f"{display_latex(text)}: a factor written after a/b, so (a/b) c or a/(b c) is not told",
                              text)
    return "".join(out) + text[last:]


#: why a side with a product over a range not written in numbers is not decided
UNREAD_PRODUCT = "a product over a range that is not written in numbers (\\prod_{i=1}^n) is not read yet"


def over_a_written_range(expr: sp.Expr) -> bool:
    r"""False when ``expr`` holds a product whose range is not written in numbers (``\prod_{i=1}^n``): the sizes and
    axes of indices are read from sums only, so such a product is never given a value (a counterexample at n = -1
    once refuted the true \prod_i q^{x_i} = q^{\sum_i x_i}).

    >>> over_a_written_range(parse_side(r"\prod_{i=1}^{3} x_i").expr), over_a_written_range(parse_side(r"\prod_{i=1}^n x_i").expr)
    (True, False)
    """
    return all(low.is_Integer and high.is_Integer for product in expr.atoms(sp.Product) for _v, low, high in product.limits)


def parse_side(text: str, _depth: int = 0) -> ParsedSide:
    r"""Parse one side (no relation) into a SymPy expression with placeholders for atoms and derivatives.

    >>> side = parse_side(r"x_j \hat{y}_k")
    >>> sorted(p.text for p in side.placeholders.values())
    ['\\hat{y}_k', 'x_j']
    >>> parse_side(r"\frac{\partial}{\partial z_j} \sigma(z_i)").expr
    \mathit{Qa}
    """
    if _depth > 8:
        raise LatexParseError("derivatives nested too deeply", text)
    if "'" in text or "\\prime" in text:  # never read as the unprimed letter (the LaTeX parser drops the prime)
        raise LatexParseError(f"{display_latex(text)} has a prime (w', \\sigma'(z)), which is not read yet", text)
    text = slash_scope(_sum_over_e(explicit_sums(text)))
    # \cosh x \frac{d}{dx} \sinh x: the function's argument ends before the derivative that follows it
    text = re.sub(r"(\\(?:sinh|cosh|tanh|sin|cos|tan|log|ln|exp))\s+([a-zA-Z](?:_\{[^{}]*\}|_[a-zA-Z0-9])?)(?=\s*\\frac\s*\{\s*(?:d|\\partial)(?![a-zA-Z]))",
                  r"\1(\2)", text)
    placeholders: dict[sp.Symbol, Atom | DerivativeNote] = {}
    pieces: list[str] = []
    last = 0
    counter = 0
    for start, end, operand, variable, typo in _derivative_spans(text):
        name = _placeholder(counter)
        counter += 1
        note = DerivativeNote(
            parse_side(operand, _depth + 1), parse_side(variable, _depth + 1), start, end, text[start:end], typo
        )
        placeholders[sp.Symbol(name)] = note
        pieces.append(text[last:start])
        # \frac{\partial C}{\partial m}(m_7): a derivative times a bracket, never a function applied to it
        pieces.append(" " + name + (" \\cdot " if text[end:].lstrip().startswith("(") else " "))
        last = end
    pieces.append(text[last:])
    rest = "".join(pieces)
    # f(expression): the LaTeX parser reads a call only when the argument is one symbol
    calls, last = [], 0
    for start, end, name, argument in _call_spans(rest):
        placeholder = _placeholder(counter)
        counter += 1
        placeholders[sp.Symbol(placeholder)] = CallNote(name, parse_side(argument, _depth + 1), rest[start:end],
                                                        rest[end:].lstrip().startswith("^"))
        calls.append(rest[last:start])
        # f'(h u + v) (\frac{\partial h u}{\partial w}): a call times a bracket, never a call of a call
        calls.append(" " + placeholder + (" \\cdot " if rest[end:].lstrip().startswith("(") else " "))
        last = end
    calls.append(rest[last:])
    rest = "".join(calls)
    # Atoms are found in the text left after derivatives were taken out.
    out, last = [], 0
    for match in _ATOM.finditer(rest):
        if rest.startswith("\\mathit{Q", max(0, match.start() - 8)):
            continue
        base = match.group("base")
        base = re.sub(r"\\(hat|tilde)\s*\{?([a-zA-Z])\}?", r"\\\1{\2}", base)
        base = decorated_name(base)
        sub = match.group("sub") or match.group("sub_after")
        sup = re.sub(r"\s+", "", match.group("sup") or match.group("sup_first") or match.group("sup_only")
                     or match.group("sup_bare") or "")
        atom = Atom(base, _split_indices(sub) if sub else (), (sup,) if sup else (), match.start(), match.end(), match.group(0))
        name = _placeholder(counter)
        counter += 1
        placeholders[sp.Symbol(name)] = atom
        out.append(rest[last: match.start()])
        out.append(" " + name + " ")
        last = match.end()
    out.append(rest[last:])
    latex = "".join(out)
    latex = latex.replace("[", "(").replace("]", ")")
    # a bare E (a loss, an error) is Euler's number to the LaTeX parser: keep it a letter
    latex = re.sub(r"(?<![\\a-zA-Z])(?<!cal\{)(?<!bb\{)(?<!rm\{)(?<!bf\{)E(?![a-zA-Z])(?:\s*(?:\\left\s*)?\(\s*" + _PARAMETER
                   + r"(?:\s*,\s*" + _PARAMETER + r")*\s*(?:\\right\s*)?\))?",
                   r"\\mathit{E}", latex)  # E(w, b), E(w_{1,1}^{(l)}): the error E of the parameters
    try:
        expr = parse_latex(latex)
    except LatexParseError:
        raise LatexParseError(f"cannot read the LaTeX {display_latex(text)}", text) from None
    letters = {symbol: sp.Symbol(symbol.name[len("\\mathit{"):-1]) for symbol in expr.free_symbols
               if re.fullmatch(r"\\mathit\{(?:[A-Z]|[a-z]{3,}|[A-Z][a-z]{2,}|%s)\}" % _LOSS_ACRONYMS, symbol.name)
               and symbol.name != IMPLICIT_BOUND}
    for symbol in expr.free_symbols:
        greek = re.fullmatch(r"\\mathit\{G([A-Za-z])x([a-z]+)\}", symbol.name)
        if greek:
            letters[symbol] = sp.Symbol(f"{greek.group(1)}_{{\\{greek.group(2)}}}")
        elif symbol.name.startswith("\\mathit{D"):
            letters[symbol] = sp.Symbol(decorated_name(symbol.name))
        elif re.fullmatch(r"D[a-z][A-Za-z]*D[A-Za-z]+", symbol.name):  # \mathit{DsubCEDL}: the parser drops \mathit
            letters[symbol] = sp.Symbol(decorated_name("\\mathit{%s}" % symbol.name))
    return ParsedSide(text, expr.xreplace(letters) if letters else expr, placeholders)


def parse_equation(latex: str) -> Chain:
    r"""Parse a display equation into a :class:`Chain` of sides and relations (remembered: the document's
    reading and the checks parse the same displays; the result is never changed by its users).

    >>> parse_equation(r"a + b").relations
    ()
    """
    return _parse_equation(latex)


@lru_cache(maxsize=4096)
def _parse_equation(latex: str) -> Chain:
    math, tail = normalize_latex(latex)
    texts, relations = split_chain(math)
    if any(not t for t in texts):
        raise LatexParseError("a relation with an empty side", latex)
    sides = tuple(parse_side(t) for t in texts)
    return Chain(sides, tuple(relations), tail)


#: The expression of a side that could not be parsed, in a chain read side by side (:func:`parse_sides`).
UNREAD = sp.Symbol("\\mathit{Unread}")


def parse_sides(latex: str) -> Chain:
    r"""Parse a display side by side: a side that cannot be parsed keeps its text with the expression
    :data:`UNREAD` (so that the steps between the other sides can still be decided). Raises
    :class:`~symsoft.errors.LatexParseError` when no two neighbouring sides are read.

    >>> chain = parse_sides(r"a = \nabla (u^\intercal A) = b = b")
    >>> [s.expr == UNREAD for s in chain.sides], chain.relations
    ([False, True, False, False], ('=', '=', '='))
    """
    math, tail = normalize_latex(latex)
    texts, relations = split_chain(math)
    if any(not t for t in texts):
        raise LatexParseError("a relation with an empty side", latex)
    sides = []
    for text in texts:
        try:
            sides.append(parse_side(text))
        except LatexParseError:
            sides.append(ParsedSide(text, UNREAD, {}))
    readable = [side.expr != UNREAD for side in sides]
    if not any(a and b and r not in ("|", "=>") for a, b, r in zip(readable, readable[1:], relations)):
        raise LatexParseError(f"cannot read the LaTeX {display_latex(texts[readable.index(False)])}", latex)
    return Chain(tuple(sides), tuple(relations), tail)


# ---------------------------------------------------------------------------------------------
# Matrices written out entry by entry

_MATRIX_ENV = re.compile(r"(?:\\left\s*[(\[]\s*)?\\begin\{(?P<env>[pbBvV]?matrix|array)\}(?:\{[^{}]*\})?"
                         r"(?P<body>.*?)\\end\{(?P=env)\}(?:\s*\\right\s*[)\]])?", re.DOTALL)
_ELIDED = re.compile(r"\\(?:[vcdl]?dots|dotsc|dotsb)(?![a-zA-Z])|\.\s*\.\s*\.")
_MATRIX_RELATION = re.compile(r"\\(?:rightarrow|to|mapsto|longrightarrow)(?![a-zA-Z])|=")
#: What a side that is not written out may be: a Jacobian of two letters, or one (column) vector.
_LETTER = r"(?:\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*(?P<%s>[a-zA-Z])\s*\}|\s(?P<%s4>[a-zA-Z])(?![a-zA-Z]))|(?P<%s2>[a-zA-Z]))"
_JACOBIAN = re.compile(r"\\frac\s*\{\s*\\partial\s*" + _LETTER % ("f", "f", "f") + r"\s*\}\s*\{\s*\\partial\s*"
                       + _LETTER % ("x", "x", "x") + r"\s*\}")
_VECTOR_SIDE = re.compile(_LETTER % ("v", "v", "v"))


_JACOBIAN_J = re.compile(r"(?:\\(?:mathbf|boldsymbol|bm)\s*\{\s*J\s*\}|\\mathbf\s+J|J)\s*_\s*(?:\{\s*" + _LETTER % ("x", "x", "x")
                         + r"\s*\}|(?P<x3>[a-zA-Z]))\s*(?:\(\s*" + _LETTER % ("f", "f", "f") + r"\s*\)|" + _LETTER % ("g", "g", "g") + ")")


@dataclass(frozen=True)
class MatrixDisplay:
    r"""A display with matrices written out (``\begin{pmatrix} ... \end{pmatrix}``): its sides in order, each a
    grid of entries (rows of LaTeX strings) or the text of a side that is not written out, and the relations
    between them (``=``, or ``\to`` for a mapping, which claims nothing). A grid may elide entries (``\dots``,
    ``\vdots``): :meth:`entries` labels what is written."""

    sides: tuple
    relations: tuple[str, ...]
    elided: bool = False

    def entries(self, position: int, base: int) -> dict | None:
        r"""The written entries of grid ``position`` by their (row, column) numbers from ``base``; a row or column
        after an elision is the last one, named by a letter in its entries (``y_n``): it is numbered one after the
        last numbered one, and the letter becomes that number. None when the grid cannot be numbered so.

        >>> m = matrix_display(r"J = \begin{bmatrix} y_1 & -y_1 y_2 & \dots & -y_1 y_n \\ \vdots & & \ddots \\"
        ...                    r" -y_n y_1 & -y_n y_2 & \dots & y_n \end{bmatrix}")
        >>> m.entries(1, 1)[(1, 3)], m.entries(1, 1)[(3, 1)], sorted(m.entries(1, 1))
        ('-y_1 y_{3}', '-y_{3} y_1', [(1, 1), (1, 2), (1, 3), (3, 1), (3, 2), (3, 3)])
        """
        grid = self.sides[position]
        rows = [row for row in grid if not all(_ELIDED.fullmatch(e.strip()) or not e.strip() for e in row)]
        skipped_row = len(rows) < len(grid)
        if skipped_row and (not all(_ELIDED.fullmatch(e.strip()) or not e.strip() for row in grid[-1:] for e in row)
                            and grid.index(next(r for r in grid if r not in rows)) != len(grid) - 2):
            return None  # an elision row that is not just before the last row
        found, letters = {}, set()
        for number, row in enumerate(rows):
            last_row = skipped_row and number == len(rows) - 1
            written = [e for e in row]
            gap = [k for k, e in enumerate(written) if _ELIDED.fullmatch(e.strip())]
            if len(gap) > 1 or (gap and gap[0] != len(written) - 2):
                return None
            for column, entry in enumerate(written):
                if column in gap:
                    continue
                last_column = bool(gap) and column == len(written) - 1
                label = ("N" if last_row else number + base, "N" if last_column else column + base)
                if "N" in label:
                    letters.update(re.findall(r"_\s*\{?\s*([a-zA-Z])\s*\}?(?![a-zA-Z])", entry))
                found[label] = entry
        if not any("N" in label for label in found):
            return found
        numbers = [n for label in found for n in label if n != "N"]
        named = [letter for letter in letters if not any(re.search(r"_\s*\{?\s*%s" % letter, e) for label, e in found.items()
                                                          if "N" not in label)]
        if len(named) != 1 or not numbers:
            return None  # the last row or column must be named by one letter that the numbered entries never use
        last = max(numbers) + 1
        pattern = re.compile(r"_\s*\{?\s*%s\s*\}?(?![a-zA-Z])" % named[0])
        return {tuple(last if n == "N" else n for n in label): pattern.sub("_{%d}" % last, entry)
                for label, entry in found.items()}

    def component(self, position: int, row: int | str, column: int | str, transposed: bool = False,
                  columns: int = 2, rows: bool = False) -> str | None:
        r"""The LaTeX of the entry (row, column) of a side that is not written out: a Jacobian's (``transposed``: in
        the denominator layout) or a (column) vector's component, else None.

        >>> m = matrix_display(r"\frac{\partial \mathbf{a}}{\partial \mathbf{z}} = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}")
        >>> m.component(0, 1, 2), m.component(0, 1, 2, transposed=True)
        ('\\frac{\\partial a_{1}}{\\partial z_{2}}', '\\frac{\\partial a_{2}}{\\partial z_{1}}')
        >>> matrix_display(r"\mathbf J_{\mathbf x}(\mathbf s) = \begin{bmatrix} 1 \end{bmatrix}").component(0, 1, 1)
        '\\frac{\\partial s_{1}}{\\partial x_{1}}'
        """
        side = self.sides[position].strip()
        jacobian = _JACOBIAN.fullmatch(side) or _JACOBIAN_J.fullmatch(side)
        if jacobian:
            groups = jacobian.groupdict()
            f = next(groups[k] for k in ("f", "f2", "f4", "g", "g2", "g4") if groups.get(k))
            x = next(groups[k] for k in ("x", "x2", "x3", "x4") if groups.get(k))
            if columns == 1 and (groups.get("f2") or groups.get("g2")):  # \partial L / \partial \mathbf{x}: a gradient
                return "\\frac{\\partial %s}{\\partial %s_{%d}}" % (f, x, row)
            r, c = (column, row) if transposed else (row, column)
            return "\\frac{\\partial %s_{%s}}{\\partial %s_{%s}}" % (f, r, x, c)
        bold = r"\\(?:mathbf|boldsymbol|bm)\s*(?:\{\s*([a-z])\s*\}|\s([a-z])(?![a-zA-Z]))"
        if columns == 1 and re.search(bold, side) and re.fullmatch(r"(?:%s|[-+()\s0-9]|\\[,;! ])+" % bold, side):
            return re.sub(bold, lambda m: "%s_{%d}" % (m.group(1) or m.group(2), row), side)  # p - y: p_r - y_r
        vector = _VECTOR_SIDE.fullmatch(side)
        if vector and columns == 1:
            return "%s_{%d}" % (vector.group("v") or vector.group("v2") or vector.group("v4"), row)
        return matrix_expression_entry(side, row, column, rows) if columns > 1 else None


_VECTOR_LETTER = r"(?:\\(?:mathbf|boldsymbol|bm)\s*(?:\{\s*([a-z])\s*\}|\s([a-z])(?![a-zA-Z]))|(?<![\\a-zA-Z])([a-z])(?![a-zA-Z_]))"
_TRANSPOSE = r"\s*\^\s*(?:\{\s*(?:T|\\top|\\intercal)\s*\}|T|\\top(?![a-zA-Z])|\\intercal(?![a-zA-Z]))"
_PRODUCT = r"\s*(?:\\times(?![a-zA-Z])|\\cdot(?![a-zA-Z]))?\s*"
_MATRIX_TERMS = {
    "diag": re.compile(r"\\(?:operatorname|text|mathrm)\s*\{\s*diag\s*\}\s*\(\s*%s\s*\)" % _VECTOR_LETTER),
    "column outer": re.compile(_VECTOR_LETTER + _PRODUCT + _VECTOR_LETTER + _TRANSPOSE),
    "row outer": re.compile(_VECTOR_LETTER + _TRANSPOSE + _PRODUCT + _VECTOR_LETTER),
    "identity": re.compile(r"(?:I|\\mathbf\s*\{\s*I\s*\}|\\mathbb\s*\{\s*I\s*\})"),
}


def matrix_expression_entry(side: str, row: int | str, column: int | str, rows: bool = False) -> str | None:
    r"""The LaTeX of the entry (row, column) of a matrix written in matrix notation, as a sum of terms with a sign
    and an optional number or letter in front: ``\operatorname{diag}(v)`` (entry v_r on the diagonal, else 0),
    an outer product ``u v^T`` of column vectors (u_r v_c), or ``u^T v`` of row vectors when ``rows`` (the document
    says its vectors are rows; a side mixing both is not read), the identity ``I``. Anything else: None.

    >>> matrix_expression_entry(r"\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top", 1, 2)
    '(0) - (s_{1} s_{2})'
    >>> matrix_expression_entry(r"\text{diag}(y) - y \times y^T", 2, 2)
    '(y_{2}) - (y_{2} y_{2})'
    >>> matrix_expression_entry(r"\text{diag}(\mathbf s) - \mathbf s^\top \mathbf s", 1, 1, rows=True)
    '(s_{1}) - (s_{1} s_{1})'
    >>> matrix_expression_entry(r"\text{diag}(\mathbf s) - \mathbf s^\top \mathbf s", 1, 1) is None  # a number
    True
    >>> matrix_expression_entry(r"\mathbf{s}\mathbf{s}^T - \mathbf{s}^T\mathbf{s}", 1, 1) is None
    True
    >>> matrix_expression_entry(r"\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top", "r", "c")
    '(\\delta_{rc} s_{r}) - (s_{r} s_{c})'
    """
    text, entries, kinds, position = side.strip(), [], set(), 0
    while position < len(text):
        sign = re.match(r"\s*([-+]?)\s*(?:(\d+|[a-zA-Z](?=\s*\\(?:operatorname|text|mathrm)))\s*)?", text[position:])
        position += sign.end()
        for kind, pattern in _MATRIX_TERMS.items():
            term = pattern.match(text, position)
            if term is not None:
                break
        else:
            return None
        position = term.end()
        letters = [letter for letter in term.groups() if letter]
        if kind == ("column outer" if rows else "row outer"):
            return None  # u^T v of column vectors is a number (and u v^T of rows)
        kinds.add(kind)
        same = "\\delta_{%s%s} " % (row, column) if isinstance(row, str) else "" if row == column else None
        if kind == "diag":
            value = "0" if same is None else "%s%s_{%s}" % (same, letters[0], row)
        elif kind == "identity":
            value = "0" if same is None else same.strip() or "1"
        else:
            value = "%s_{%s} %s_{%s}" % (letters[0], row, letters[1], column)
        coefficient = (sign.group(2) + " ") if sign.group(2) else ""
        entries.append("%s%s(%s)" % ((sign.group(1) or "+") + " " if entries or sign.group(1) else "", coefficient, value))
    if not entries or {"column outer", "row outer"} <= kinds:
        return None
    return " ".join(entries)


def matrix_entry_claims(latex: str, rows: bool = False) -> tuple[str, str] | None:
    r"""A display in matrix notation with no matrix written out, whose every side is a Jacobian
    (``\frac{\partial \mathbf{s}}{\partial \mathbf{z}}``, ``J_{\mathbf z}(\mathbf s)``) or a matrix expression
    :func:`matrix_expression_entry` reads: the claims its entry (r, c) makes, in the numerator layout and in the
    denominator layout (r and c letters the display does not use), else None.

    >>> matrix_entry_claims(r"\mathbf J_{\mathbf x}(\mathbf s) = \text{diag}(\mathbf s) - \mathbf s \mathbf s^\top")[0]
    '\\frac{\\partial s_{r}}{\\partial x_{c}} = (\\delta_{rc} s_{r}) - (s_{r} s_{c})'
    >>> matrix_entry_claims(r"\frac{\partial L}{\partial z} = p - y") is None
    True
    """
    if _MATRIX_ENV.search(latex) or not re.search(r"diag|\^\s*\{?\s*(?:T|\\top|\\intercal)", latex):
        return None
    sides, relations = split_chain(latex)
    if len(sides) < 2 or set(relations) != {"="}:
        return None
    letters = [c for c in "rcpqst" if not re.search(r"(?<![\\a-zA-Z])%s(?![a-zA-Z])" % c, latex)]
    if len(letters) < 2:
        return None
    row, column = letters[:2]
    claims = []
    for transposed in (False, True):
        entries = []
        for side in sides:
            shown = MatrixDisplay((side,), ())
            entry = shown.component(0, row, column, transposed, 2, rows)
            if entry is None:
                return None
            entries.append(entry)
        claims.append(" = ".join(entries))
    jacobians = sum(1 for side in sides if _JACOBIAN.fullmatch(side.strip()) or _JACOBIAN_J.fullmatch(side.strip()))
    return (claims[0], claims[1]) if jacobians < len(sides) else None


def matrix_display(latex: str) -> MatrixDisplay | None:
    r"""The display as a :class:`MatrixDisplay` when it writes a matrix out, else None. Entries with ``\dots`` (a
    pattern, not written out) mark it ``elided``.

    >>> m = matrix_display(r"\begin{pmatrix} z_1 \\ z_2 \end{pmatrix} \rightarrow \begin{pmatrix} a_1 \\ a_2 \end{pmatrix}")
    >>> m.sides, m.relations
    (((('z_1',), ('z_2',)), (('a_1',), ('a_2',))), ('\\to',))
    >>> matrix_display(r"a = b") is None, matrix_display(r"J = \begin{bmatrix} a & \dots \end{bmatrix}").elided
    (True, True)
    """
    found = list(_MATRIX_ENV.finditer(latex))
    if not found:
        return None
    grids, text, last = [], [], 0
    for number, match in enumerate(found):
        text.append(latex[last:match.start()] + " \\mathit{Mx%s} " % chr(ord("a") + number % 26))
        rows = [row for row in re.split(r"\\\\(?:\s*\[[^\]]*\])?", match.group("body")) if row.strip()]
        grids.append(tuple(tuple(entry.strip() for entry in row.split("&")) for row in rows))
        last = match.end()
    text.append(latex[last:])
    marked = re.sub(r"\\(?:begin|end)\{(?:align|aligned|split|gather|gathered|eqnarray)\*?\}|&", " ", "".join(text))
    rows = [row for row in re.split(r"\\\\(?:\s*\[[^\]]*\])?", marked) if row.strip()]
    # a row that starts with a relation goes on with the chain; any other starts an equation of its own (" | ")
    marked = " ".join(row if re.match(r"\s*(?:=|\\(?:rightarrow|to|mapsto)(?![a-zA-Z]))", row) or not number
                      else " | " + row for number, row in enumerate(rows))
    sides, relations, depth, start = [], [], 0, 0
    for position, character in enumerate(marked):
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(character, 0)
        if depth:
            continue
        relation = _MATRIX_RELATION.match(marked, position)
        if character == "|" and marked[position - 1:position + 2] == " | ":
            sides.append(marked[start:position])
            relations.append("|")
            start = position + 1
            continue
        if relation and (character == "=" or character == "\\"):
            if character == "\\" and relation.group(0) == "=":
                continue
            sides.append(marked[start:position])
            relations.append("=" if relation.group(0) == "=" else "\\to")
            start = position + len(relation.group(0))
    sides.append(marked[start:])
    shown = []
    for side in sides:
        token = re.fullmatch(r"\s*\\mathit\{Mx([a-z])\}\s*", side)
        shown.append(grids[ord(token.group(1)) - ord("a")] if token else side.strip())
    elided = any(_ELIDED.search(entry) for grid in grids for row in grid for entry in row)
    return MatrixDisplay(tuple(shown), tuple(relations), elided)

