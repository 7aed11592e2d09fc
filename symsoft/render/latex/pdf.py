r"""Compiling a LaTeX document to PDF with a real TeX engine (latexmk, else pdflatex).

The engine runs without shell escape, with file access limited to its own folder, and the
compilation fails on any error or undefined reference.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from symsoft.errors import TeXCompileError, TeXEngineMissing


#: How to get a TeX engine on Debian or Ubuntu; the smallest set that compiles symsoft's documents.
INSTALL_HINT = "apt-get install texlive-latex-base latexmk"

#: Seconds one compilation may take before it is stopped.
COMPILE_TIMEOUT = 120.0


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
    >>> from symsoft.render.latex.pdf import log_problems
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
    >>> from symsoft.render.latex.pdf import compile_pdf
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
