r"""Search the smallest edits of a written right-hand side that make a refuted step hold.

Candidate edits, each one change of the LaTeX as written: rename one index occurrence, flip one
sign, change one sum bound, drop or add one square, change a constant to 1 or 0, multiply the side
by a dropped factor. Each candidate is parsed, bound and decided
like any claim; only proved candidates are returned. Nothing here knows any particular equation.

>>> from symsoft.decide.repair import candidate_edits
>>> [c.latex for c in candidate_edits(r"a_i - b", ("i", "j"))][:3]
['a_j - b', 'a_i + b', '-(a_i - b)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symsoft.decide.verdicts import Repair

_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}

#: At most this many candidates are tried for one step.
MAX_CANDIDATES = 120


@dataclass(frozen=True)
class Candidate:
    """An edited right-hand side, the edit in words, and its kind (for ordering)."""

    latex: str
    edit: str
    kind: int
    position: int


def _groups(text: str) -> list[tuple[int, int]]:
    """Spans of subscript and superscript groups (where a + or - is part of an index)."""
    spans = []
    for match in re.finditer(r"[_^]\{", text):
        depth, position = 0, match.end() - 1
        while position < len(text):
            if text[position] == "{":
                depth += 1
            elif text[position] == "}":
                depth -= 1
                if depth == 0:
                    break
            position += 1
        spans.append((match.start(), position + 1))
    return spans


def _group_end(text: str, start: int) -> int:
    """Index just past the brace group that opens at ``start``."""
    depth = 0
    for position in range(start, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position + 1
    return len(text)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def _context(text: str, start: int, end: int) -> str:
    left = max(text.rfind(" ", 0, max(0, start - 6)), 0)
    return text[left:end + 8].strip()


_ATOM_TEXT = re.compile(r"(\\[a-zA-Z]+(\{[a-zA-Z]\})?|[a-zA-Z])(_(\{[^{}]*\}|[a-zA-Z0-9]))?(\^\{?\([a-zA-Z0-9]\)\}?)?")


def _atom_around(text: str, position: int) -> tuple[int, str]:
    """Where the written atom around an index position starts, and its text (``\\sigma(z_i)``, ``\\delta_{k,i}``)."""
    for match in _ATOM_TEXT.finditer(text):
        if match.start() <= position < match.end() and match.group(3):
            a, b = match.span()
            if text[max(0, a - 7):a] == "\\sigma(" and text[b:b + 1] == ")":
                a, b = a - 7, b + 1
            return a, text[a:b]
    start = max(0, position - 3)
    return start, text[start:position + 2]


def candidate_edits(rhs: str, indices: tuple[str, ...], inequality: bool = False,
                    factors: tuple[str, ...] = ()) -> list[Candidate]:
    r"""All single edits of ``rhs``: index renames, sign flips, bound changes, squares dropped or added,
    a constant changed to 0 or 1, the whole side multiplied by one of ``factors``.

    >>> [c.edit for c in candidate_edits(r"x^2", ())]
    ['negate the right-hand side', 'drop the square in x^2']
    >>> [c.latex for c in candidate_edits(r"\frac{1}{2}", (), inequality=True, factors=("x_j",))][1:]
    ['1', '0', 'x_j (\\frac{1}{2})']
    """
    out: list[Candidate] = []
    # 1. rename one index occurrence: a letter in a subscript, a superscript (i) or a delta.
    for match in re.finditer(r"_(\{[^{}]*\}|[a-zA-Z])|\^\{?\(([a-zA-Z])\)\}?", rhs):
        group_start = match.start(1) if match.group(1) else match.start(2)
        group = match.group(1) or match.group(2)
        if "=" in group:  # a sum's lower limit: renaming it renames the summation index
            letters = [(group_start + 1, group[1])] if group.startswith("{") else []
        else:
            letters = [(group_start + n, ch) for n, ch in enumerate(group) if ch.isalpha()]
        for position, letter in letters:
            for other in indices:
                if other == letter:
                    continue
                edited = rhs[:position] + other + rhs[position + 1:]
                start, before = _atom_around(rhs, position)
                after = _atom_around(edited, position)[1]
                nth = rhs[:start].count(before) + 1
                where = f"the {_ORDINALS.get(nth, str(nth) + 'th')} {before}" if rhs.count(before) > 1 else before
                out.append(Candidate(edited, f"{where} should be {after}", 0, position))
    # 2. flip one sign (outside index groups); negate the whole side.
    spans = _groups(rhs)
    for match in re.finditer(r"[+-]", rhs):
        position = match.start()
        if _inside(position, spans):
            continue
        flipped = "+" if match.group() == "-" else "-"
        if position == 0 and match.group() == "-":
            if not inequality:  # for a bound, dropping a sign only makes a weaker, empty claim
                out.append(Candidate(rhs[1:].lstrip(), "drop the leading minus sign", 1, position))
            continue
        edited = rhs[:position] + flipped + rhs[position + 1:]
        out.append(Candidate(edited, f"the sign {match.group()} at '{_context(rhs, position, position + 1)}' becomes {flipped}", 1, position))
    if not rhs.lstrip().startswith("-") and not inequality:
        out.append(Candidate(f"-({rhs})", "negate the right-hand side", 2, 0))
    # 3. change one sum bound.
    for match in re.finditer(r"\\sum_\{[^{}]*\}\^(\{[^{}]*\}|[A-Za-z0-9])", rhs):
        bound = match.group(1)
        start, end = match.span(1)
        for other in ("C", "D"):
            if bound.strip("{}") != other:
                edited = rhs[:start] + other + rhs[end:]
                out.append(Candidate(edited, f"the sum's upper bound {bound.strip('{}')} becomes {other}", 3, start))
    # 4. drop a square, or square a bracketed group.
    for match in re.finditer(r"\^\{?2\}?", rhs):
        edited = rhs[: match.start()] + rhs[match.end():]
        out.append(Candidate(edited, f"drop the square in {_context(rhs, match.start() - 1, match.end())}", 4, match.start()))
    for match in re.finditer(r"\\frac\{", rhs):
        numerator_end = _group_end(rhs, match.end() - 1)
        if numerator_end < len(rhs) and rhs[numerator_end] == "{":
            denominator_end = _group_end(rhs, numerator_end)
            denominator = rhs[numerator_end + 1: denominator_end - 1]
            if not re.search(r"\^\{?2\}?\s*$", denominator):
                edited = rhs[:numerator_end] + "{(" + denominator + ")^2}" + rhs[denominator_end:]
                out.append(Candidate(edited, f"square the denominator {denominator}", 4, numerator_end))
    for match in re.finditer(r"[\])](?!\s*\^)", rhs):
        edited = rhs[: match.end()] + "^2" + rhs[match.end():]
        out.append(Candidate(edited, f"square the group ending at '{_context(rhs, match.start(), match.end())}'", 4, match.start()))
    # 5. change one constant (a number or a numeric fraction outside indices) to 1 or 0.
    for match in re.finditer(r"\\frac\{\s*\d+\s*\}\{\s*\d+\s*\}|(?<![\w{^_.])\d+(?![\w}.])", rhs):
        if _inside(match.start(), spans) or re.search(r"\\sum_\{[^{}]*$|\^\{?$", rhs[: match.start()]):
            continue
        for value in ("1", "0"):
            if match.group().strip() != value:
                edited = rhs[: match.start()] + value + rhs[match.end():]
                out.append(Candidate(edited, f"the constant {match.group()} becomes {value}", 5, match.start()))
    # 6. multiply the whole side by a factor the step may have dropped (x_j in a weight gradient).
    for factor in factors:
        out.append(Candidate(f"{factor} ({rhs})", f"multiply the right-hand side by {factor}", 6, 0))
    seen, unique = set(), []
    for candidate in out:
        if candidate.latex not in seen and candidate.latex != rhs:
            seen.add(candidate.latex)
            unique.append(candidate)
    return unique[:MAX_CANDIDATES]


def order_repairs(found: list[tuple[Candidate, str]]) -> tuple[Repair, ...]:
    """Order proved candidates smallest first: index renames, then signs, bounds, squares; later positions first.

    >>> order_repairs([(Candidate("b", "e1", 1, 0), "a = b"), (Candidate("c", "e2", 0, 3), "a = c")])
    (Repair(latex='a = c', edit='e2'), Repair(latex='a = b', edit='e1'))
    """
    ordered = sorted(found, key=lambda pair: (pair[0].kind, -pair[0].position))
    return tuple(Repair(latex, candidate.edit) for candidate, latex in ordered)
