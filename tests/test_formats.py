r"""Reading submissions as they come: notebooks (their Markdown cells) and PDFs (their text, best-effort)."""

from __future__ import annotations

import json

import pytest

from submissions import notebook_with, pdf_with
from symsoft.errors import InputError
from symsoft.read.formats import PDF_NOTE, SUFFIXES, document_text, kind_of, notebook_text, pdf_text, unsupported

SOFTMAX_SUMS = r"$$\sum_{k=1}^C \sigma(z_k) = 1 \quad (3)$$"


def test_notebook_markdown_cells_in_order_code_left_out():
    """Only the Markdown cells are read, in order, joined by a blank line; code (never run) is left out."""
    data = notebook_with(("markdown", "# HW\n" + SOFTMAX_SUMS), ("code", "import os; os.remove('x')"),
                         ("markdown", "$$a = b \\quad (4)$$\n"))
    assert notebook_text(data) == f"# HW\n{SOFTMAX_SUMS}\n\n$$a = b \\quad (4)$$"


MALFORMED_NOTEBOOKS = [
    (b"{", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[1, 2]", "has no cells"),
    (b'{"cells": 3}', "has no cells"),
    (b'{"cells": [{"cell_type": "markdown", "source": 7}]}', "has no text"),
    (b"[" * 100_000, "cannot be read"),
    (b'{"cells": [], "n": ' + b"1" * 5000 + b"}", "cannot be read"),
]


@pytest.mark.parametrize("data, message", MALFORMED_NOTEBOOKS)
def test_malformed_notebook_is_one_line_error(data, message):
    """A malformed notebook is an InputError of one line saying what is wrong, never another exception."""
    with pytest.raises(InputError, match=message) as caught:
        notebook_text(data)
    assert "\n" not in str(caught.value)


def test_pdf_text_layer_is_read():
    """The text of a PDF's pages comes back with its LaTeX (as a PDF printed from the Markdown has it)."""
    assert pdf_text(pdf_with(["Softmax sums to one:", SOFTMAX_SUMS])) == f"Softmax sums to one:\n{SOFTMAX_SUMS}"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n", b"not a pdf", pdf_with(["x"])[:200], b""])
def test_damaged_pdf_is_one_line_error(data):
    """A damaged or truncated PDF is an InputError for the student, never pypdf's own exception."""
    with pytest.raises(InputError, match="the PDF cannot be read"):
        pdf_text(data)


def test_kinds_and_the_reason_for_others():
    """Each ending has its kind; another ending's reason names the endings symsoft reads."""
    assert [kind_of(n) for n in ("a.md", "a.TEX", "a.txt", "a.ipynb", "a.PDF", "a.docx")] == [
        "text", "text", "text", "notebook", "pdf", None]
    assert all(suffix in unsupported("a.docx") for suffix in SUFFIXES) and ".docx" in unsupported("a.docx")
    assert document_text("é".encode(), "text") == "é" and "best-effort" in PDF_NOTE


def test_check_reads_a_notebook_and_a_pdf(tmp_path, capsys):
    """``symsoft check`` reads a notebook's Markdown cells and a PDF's text (saying it is best-effort); a broken
    notebook is one line and exit 2."""
    from symsoft.cli import main

    (tmp_path / "hw.ipynb").write_bytes(notebook_with(("markdown", "$$\\sigma(z_i) > 1 \\quad (4)$$"), ("code", "x")))
    (tmp_path / "hw.pdf").write_bytes(pdf_with([SOFTMAX_SUMS]))
    (tmp_path / "bad.ipynb").write_text('{"cells": [')
    assert main(["check", str(tmp_path / "hw.ipynb"), "--format", "json"]) == 1
    assert [e["status"] for e in json.loads(capsys.readouterr().out)["equations"]] == ["refuted"]
    assert main(["check", str(tmp_path / "hw.pdf"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [e["label"] for e in json.loads(captured.out)["equations"]] == ["3"] and "best-effort" in captured.err
    assert main(["check", str(tmp_path / "bad.ipynb")]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and len(err.strip().splitlines()) == 1
