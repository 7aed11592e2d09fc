r"""Jupyter (issue 15): a notebook that checks the homework with ``%%symsoft`` and ``symsoft.check_file`` runs in a
real kernel, and the report it displays is HTML with each equation, its status and the counterexample of (7)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import symsoft
from symsoft.api import CheckReport, check, check_file, check_text
from symsoft.errors import InputError

ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
#: the counterexample and the repair of the homework's refuted (7), as the HTML shows them
COUNTEREXAMPLE_7 = "counterexample: C = 2, i = 1, j = 2; z_1 = 0, z_2 = 1"
REPAIR_7 = r"repair: the second \sigma(z_i) should be \sigma(z_j)"
SEVEN = r"$$\frac{\partial}{\partial z_j} \sigma(z_i) = \sigma(z_i)(\delta_{ij} - \sigma(z_i)) \quad (7)$$"


@pytest.fixture(scope="module")
def executed():
    """The notebook, executed in a python3 kernel (ipykernel) that imports this checkout."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext symsoft"),
        nbformat.v4.new_code_cell("%%symsoft\n" + HOMEWORK.read_text(encoding="utf-8")),
        nbformat.v4.new_code_cell(f"import symsoft\nsymsoft.check_file({str(HOMEWORK)!r})"),
        nbformat.v4.new_code_cell("%%symsoft --classes many\n$$a = a$$"),
    ]
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT)  # the kernel is a new process: it imports symsoft from here
    try:
        nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
                                ).execute()
    finally:
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous
    return notebook


def _html(cell) -> str:
    (output,) = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
    return output.data["text/html"]


@pytest.mark.parametrize("cell", [1, 2])
def test_notebook_shows_the_report_as_html_with_the_counterexample(executed, cell):
    """The magic and check_file display HTML: (7) refuted, its LaTeX for MathJax, counterexample and repair."""
    html = _html(executed.cells[cell])
    assert COUNTEREXAMPLE_7 in html and REPAIR_7 in html
    assert r"$\frac{\partial}{\partial z_j} \sigma(z_i) = \sigma(z_i)(\delta_{ij} - \sigma(z_i))$" in html
    assert "<b>(7)</b> line 40" in html and ">refuted</span>" in html
    assert "9 equations: 5 proved, 2 refuted, 0 unverified, 2 definitions; 6 findings" in html
    plain = [o for o in executed.cells[cell].outputs if "data" in o][0].data["text/plain"]
    assert plain.startswith("<CheckReport ") and len(plain) < 200


def test_notebook_magic_with_a_bad_option_prints_one_line(executed):
    """A bad option on the magic's line is one printed line, no traceback, no report."""
    outputs = executed.cells[3].outputs
    assert [o.output_type for o in outputs] == ["stream"]
    assert outputs[0].text == "symsoft: error: argument --classes/-C: invalid int value: 'many'\n"


def test_executed_notebook_converts_to_html_with_the_counterexample(executed):
    """nbconvert turns the executed notebook into an HTML page that still holds the counterexample."""
    nbconvert = pytest.importorskip("nbconvert")
    page, _resources = nbconvert.HTMLExporter().from_notebook_node(executed)
    assert COUNTEREXAMPLE_7 in page and "symsoft-report" in page


# ---------------------------------------------------------------------------------------------
# The report's own display, and text or path


def test_repr_is_one_short_line_and_str_the_text_report():
    """repr: one line with the counts; str: the text report; the HTML escapes the document's text."""
    report = check_text(SEVEN + "\n\n$$x < y \\quad (<b>)$$\n\n$$x < y$$")
    assert isinstance(report, CheckReport) and "\n" not in repr(report) and len(repr(report)) < 200
    assert str(report).startswith("symsoft check <text>") and "counterexample: C = 2" in str(report)
    html = report._repr_html_()
    assert COUNTEREXAMPLE_7 in html and "(&lt;b&gt;)" in html and "(<b>)" not in html and "$x &lt; y$" in html
    assert report._repr_markdown_() is None  # Jupyter shows the HTML


@pytest.mark.parametrize("given, status", [
    (r"\sigma(z_i) > 0", "proved"),  # a bare formula: the text, never "no such file"
    (r"\sigma(z_i) > 1", "refuted"),
    ("$$\\sigma(z_i) > 1$$\n", "refuted"),
])
def test_check_reads_latex_as_text(given, status):
    """symsoft.check of a string that holds LaTeX and names no file checks it as the document."""
    assert symsoft.check(given).equations[0].status == status
    assert check_text(given).equations[0].status == status


def test_check_reads_paths_as_files(tmp_path, monkeypatch):
    """A Path, or a str naming an existing file, is a file (even one whose name holds LaTeX characters); a plain
    name that is not there is a missing file; check_file never reads its argument as text."""
    monkeypatch.chdir(tmp_path)
    odd = tmp_path / "x$_{1}.md"
    odd.write_text("$$\\sigma(z_i) > 1$$\n")
    assert check(str(odd)).source.endswith("x$_{1}.md") and check(odd).exit_code == 1
    with pytest.raises(InputError, match="notes.md: the file cannot be opened"):
        check("notes.md")
    with pytest.raises(InputError, match="cannot be opened"):
        check_file(r"\sigma(z_i) > 0")
