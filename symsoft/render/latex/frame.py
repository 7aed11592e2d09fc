r"""The document frame every LaTeX document of symsoft shares: preamble, macros, title."""

from __future__ import annotations

import re
from typing import Iterable


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


#: what a fragment needs from the notes it goes into (\usepackage lines)
FRAGMENT_PACKAGES = ("amsmath", "amssymb", "amsthm", "graphicx", "color")


def as_fragment(tex: str) -> str:
    r"""A complete document of symsoft as a fragment to ``\input`` into lecture notes: no preamble, no title, no
    ``\begin{document}``; its macros defined only where the notes have not (``\providecommand``, ``\ifdefined``),
    its colours defined, the packages it needs named in a comment at the top. The notes' layout is left alone.

    >>> frag = as_fragment(_document("T", "s", _PROOF_MACROS, [r"\ssstep{1}{a}{=}{b}{rule}"]))
    >>> frag.splitlines()[0]
    '% symsoft fragment: \\input it after \\usepackage{amsmath,amssymb,amsthm,graphicx,color}'
    >>> r"\documentclass" in frag or r"\begin{document}" in frag, r"\providecommand{\ssstep}" in frag
    (False, True)
    """
    head, _, rest = tex.partition(r"\begin{document}")
    body = rest.rpartition(r"\end{document}")[0]
    body = re.sub(r"\\begin\{center\}\{\\Large\\bfseries.*?\\end\{center\}\s*\\medskip\s*", "", body, count=1,
                  flags=re.DOTALL)
    macros = []
    for line in head.splitlines():
        if line.startswith((r"\documentclass", r"\usepackage", r"\setlength{\parindent}", r"\setlength{\parskip}")):
            continue
        line = line.replace(r"\newcommand{", r"\providecommand{")
        found = re.match(r"\\(newsavebox|newlength)\{(\\[a-zA-Z]+)\}$", line)
        if found:
            line = rf"\ifdefined{found.group(2)}\else\{found.group(1)}{{{found.group(2)}}}\fi"
        if line.startswith(r"\newtheorem{theorem}"):
            line = r"\ifdefined\theorem\else" + line + r"\fi"
        if line.startswith(r"\theoremstyle"):
            continue
        macros.append(line)
    header = r"% symsoft fragment: \input it after \usepackage{" + ",".join(FRAGMENT_PACKAGES) + "}"
    note = ("% macros: \\ssstep{number}{lhs}{relation}{rhs}{rule} (a checked step), \\ssfit{width}{math} (a formula"
            " shrunk to fit),\n% colours proved, refuted, unverified, definition, quiet; a theorem environment"
            " when the notes have none")
    return "\n".join([header, note, *macros, body.strip(), ""])
