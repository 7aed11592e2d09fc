r"""The document frame every LaTeX document of symsoft shares: preamble, macros, title."""

from __future__ import annotations

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
