r"""The text of a submission as it comes: a text file, a Jupyter notebook or a PDF.

A submission's kind comes from its name (:func:`kind_of`); :func:`document_text` turns its bytes into the
Markdown/LaTeX text the rest of the pipeline reads:

1. ``text`` (``.md``, ``.tex``, ``.txt``): decoded as UTF-8 (:func:`symsoft.read.document.decode`);
2. ``notebook`` (``.ipynb``): the Markdown cells, in order, joined by blank lines (read with :mod:`json`; code
   and output cells are left out, so nothing of the notebook is run or evaluated);
3. ``pdf`` (``.pdf``): the text pypdf extracts, page after page. This is best-effort: a PDF keeps glyphs, not
   LaTeX, so a typeset formula comes back as loose characters (:data:`PDF_NOTE` says so in the feedback); a PDF
   of the Markdown source itself (printed from an editor) reads well.

Whatever cannot be read raises an :class:`~symsoft.errors.InputError` with one line for the student.

>>> import json
>>> cells = [{"cell_type": "markdown", "source": ["$$a = a", "$$"]}, {"cell_type": "code", "source": "1/0"},
...          {"cell_type": "markdown", "source": "done"}]
>>> document_text(json.dumps({"cells": cells, "nbformat": 4}).encode(), kind_of("hw.ipynb"))
'$$a = a$$\n\ndone'
>>> document_text(b"{", "notebook")
Traceback (most recent call last):
...
symsoft.errors.InputError: the notebook is not valid JSON (line 1, column 2); save it again from Jupyter
"""

from __future__ import annotations

import io
import json
import logging
import os

from symsoft.errors import InputError

#: The name endings of each kind of submission.
KINDS = {".md": "text", ".tex": "text", ".txt": "text", ".ipynb": "notebook", ".pdf": "pdf"}
#: Every name ending a folder is searched for.
SUFFIXES = tuple(KINDS)
#: What the feedback of a PDF submission says about how it was read.
PDF_NOTE = ("the text was extracted from a PDF, which is best-effort (typeset formulas may be lost or misread); "
            "submit the .md, .tex or .ipynb source for a reliable grade")


def kind_of(name: str | os.PathLike) -> str | None:
    """The kind of submission a file name says (``text``, ``notebook`` or ``pdf``), or None for another ending.

    >>> kind_of("hw/Alice.MD"), kind_of("hw.ipynb"), kind_of("scan.pdf"), kind_of("hw.docx"), kind_of("README")
    ('text', 'notebook', 'pdf', None, None)
    """
    suffix = os.path.splitext(os.fspath(name))[1].lower()
    return KINDS.get(suffix)


def unsupported(name: str | os.PathLike) -> str:
    """Why a file of another kind is not graded, in words a student can act on.

    >>> unsupported("hw.docx")
    'symsoft reads .md, .tex, .txt, .ipynb and .pdf files, not .docx; submit the derivation as one of those'
    >>> unsupported("notes")
    'symsoft reads .md, .tex, .txt, .ipynb and .pdf files, and this name has no ending; submit the derivation as one of those'
    """
    suffix = os.path.splitext(os.fspath(name))[1]
    kinds = ", ".join(SUFFIXES[:-1]) + f" and {SUFFIXES[-1]}"
    what = f"not {suffix}" if suffix else "and this name has no ending"
    return f"symsoft reads {kinds} files, {what}; submit the derivation as one of those"


def document_text(data: bytes, kind: str | None) -> str:
    """The Markdown/LaTeX text of a submission's bytes of the given kind (None or ``text``: a text file).

    >>> document_text(b"$$a = a$$", "text"), document_text(b'{"cells": []}', "notebook")
    ('$$a = a$$', '')
    """
    if kind == "notebook":
        return notebook_text(data)
    if kind == "pdf":
        return pdf_text(data)
    from symsoft.read.document import decode

    return decode(data)


def notebook_text(data: bytes) -> str:
    r"""The Markdown cells of a Jupyter notebook (nbformat 4, or 3's worksheets), in order, joined by blank lines.

    >>> notebook_text(b'{"worksheets": [{"cells": [{"cell_type": "markdown", "source": "$$b = b$$"}]}]}')
    '$$b = b$$'
    >>> notebook_text(b'[1, 2]')
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the notebook has no cells (this is not a Jupyter notebook); save it again from Jupyter
    """
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(f"the notebook is not UTF-8 text (byte {error.start} cannot be decoded); save it again "
                         "from Jupyter") from None
    except json.JSONDecodeError as error:
        raise InputError(f"the notebook is not valid JSON (line {error.lineno}, column {error.colno}); save it again "
                         "from Jupyter") from None
    except (RecursionError, ValueError):  # nested too deeply, or a number too long for Python to read
        raise InputError("the notebook cannot be read (nested too deeply, or a number too long); save it again from "
                         "Jupyter") from None
    cells = _cells(notebook)
    if cells is None:
        raise InputError("the notebook has no cells (this is not a Jupyter notebook); save it again from Jupyter")
    texts = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise InputError("a Markdown cell of the notebook has no text (its source is neither text nor a list of "
                             "lines); save it again from Jupyter")
        texts.append(source.strip("\n"))
    return "\n\n".join(texts)


def _cells(notebook: object) -> list | None:
    """The cells of a notebook: nbformat 4's ``cells``, or those of nbformat 3's ``worksheets``; None when neither."""
    if not isinstance(notebook, dict):
        return None
    if isinstance(notebook.get("cells"), list):
        return notebook["cells"]
    sheets = notebook.get("worksheets")
    if isinstance(sheets, list) and all(isinstance(s, dict) and isinstance(s.get("cells"), list) for s in sheets):
        return [cell for sheet in sheets for cell in sheet["cells"]]
    return None


def pdf_text(data: bytes) -> str:
    r"""The text of a PDF as pypdf extracts it, page after page (pages joined by blank lines); best-effort.

    >>> pdf_text(b"%PDF-1.4 not really")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the PDF cannot be read (it is damaged or not a PDF); submit the .md, .tex or .ipynb source
    """
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise InputError("reading a PDF needs pypdf (pip install pypdf); submit the .md, .tex or .ipynb source") from None
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings about damaged files are not the student's
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is protected by a password; submit it without one, or the .md, .tex or .ipynb source")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except MemoryError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file; each is the same message for the student
        raise InputError("the PDF cannot be read (it is damaged or not a PDF); submit the .md, .tex or .ipynb source") from None
    return "\n\n".join(page.strip("\n") for page in pages)
