r"""The Python entry points: check a document given as text or as a file, and get a report that shows itself.

- :func:`check_text` reads its argument as the document (Markdown/LaTeX); a text with no ``$``, ``\[`` or
  ``\begin`` is one formula, read as a display;
- :func:`check_file` reads its argument as a path, whatever its name holds;
- :func:`check` is the one that guesses, by a fixed rule: a :class:`~pathlib.Path` (any ``os.PathLike``) is a
  file; a ``str`` naming an existing file is that file; any other ``str`` holding a newline or a character of
  LaTeX (``$ \ ^ _ { } =``) is the text; anything else is a file that does not exist (an
  :class:`~symsoft.errors.InputError`).

Each returns a :class:`CheckReport`: ``repr`` is one line, ``str`` the text report, and in Jupyter it shows
itself as HTML (each equation typeset, its status, the counterexample and the repair of a refuted step).

>>> report = check_text(r"\sum_{k=1}^C \sigma(z_k) = 1")
>>> report
<CheckReport <text>: 1 equation: 1 proved, 0 refuted, 0 unverified, 0 definitions; 0 findings>
>>> check(r"\sigma(z_i) > 0").equations[0].status
'proved'
"""

from __future__ import annotations

import os
import re
from dataclasses import fields
from pathlib import Path

from symsoft.decide.verdicts import Report

#: a character that a file name hardly holds and LaTeX always does
_LATEX = re.compile(r"[\n$\\^_{}=]")


class CheckReport(Report):
    """A :class:`~symsoft.decide.verdicts.Report` that shows itself: a one-line ``repr``, the text report as
    ``str``, HTML in Jupyter (:func:`symsoft.render.html.render_html`).

    >>> CheckReport("hw.md", "softmax", ())
    <CheckReport hw.md: 0 equations: 0 proved, 0 refuted, 0 unverified, 0 definitions; 0 findings>
    """

    def __repr__(self) -> str:
        from symsoft.render.text import summary_line

        return f"<CheckReport {self.source}: {summary_line(self)}>"

    def __str__(self) -> str:
        from symsoft.render.text import render_text

        return render_text(self)

    def _repr_html_(self) -> str:
        from symsoft.render.html import render_html

        return render_html(self)

    def _repr_markdown_(self) -> None:  # the HTML says more than the Markdown table of the base class
        return None

    @classmethod
    def of(cls, report: Report) -> "CheckReport":
        """The same report, showing itself.

        >>> CheckReport.of(Report("x.md", "softmax", ())).source
        'x.md'
        """
        return cls(**{f.name: getattr(report, f.name) for f in fields(report)})


def reading_options(model: str) -> dict:
    """The ``profile`` and ``model`` arguments of :func:`symsoft.check.check` for a name the command line's
    ``--model`` takes: a built-in profile, a built-in model, or a model or profile YAML file.

    >>> reading_options("softmax"), reading_options("logistic")
    ({'profile': 'softmax', 'model': None}, {'profile': 'softmax', 'model': 'logistic'})
    """
    from symsoft.models import builtin_models
    from symsoft.models.softmax.profile import builtin_profiles

    is_model = model not in builtin_profiles() and (model in builtin_models() or is_model_file(model))
    return {"profile": "softmax", "model": model} if is_model else {"profile": model, "model": None}


def is_model_file(path: str) -> bool:
    """True when ``path`` is a YAML file in the model form (``tensors``, ``axes``, or any key a profile does not have).

    >>> models = Path(__file__).parent / "models"
    >>> is_model_file(str(models / "logistic.yaml")), is_model_file(str(models / "softmax" / "profiles" / "softmax.yaml"))
    (True, False)
    """
    import yaml

    if not path.endswith((".yaml", ".yml")) or not os.path.isfile(path):
        return False
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError):
        return True  # let the model loader report the error with its line
    profile_keys = {"name", "description", "dimensions", "vectors", "matrices", "deltas", "functions", "symbols", "facts"}
    return isinstance(data, dict) and ("tensors" in data or "axes" in data or bool(set(data) - profile_keys))


def _checked(source, is_text: bool, model: str, options: dict) -> CheckReport:
    from symsoft.check import check as check_document

    return CheckReport.of(check_document(source, is_text=is_text, **reading_options(model), **options))


def check_text(text: str, model: str = "softmax", **options) -> CheckReport:
    r"""Check a derivation given as text (Markdown with ``$$ ... $$`` displays, or one bare formula).

    Parameters
    ----------
    text : the document; a text without ``$``, ``\[`` or ``\begin`` is one formula, checked as a display
    model : a built-in profile or model (``softmax``, ``logistic``, ...) or a model YAML file
    options : the options of :func:`symsoft.check.check` (``classes``, ``timeout``, ``doc_timeout``, ...)

    >>> check_text("$$\\sigma(z_i) > 1 \\quad (2)$$").equations[0].status
    'refuted'
    """
    if not re.search(r"\$|\\\[|\\begin", text):
        text = f"$$\n{text}\n$$\n"
    return _checked(text, True, model, options)


def check_file(path: str | os.PathLike, model: str = "softmax", **options) -> CheckReport:
    """Check the derivation in the file ``path`` (.md or .tex), whatever characters its name holds.

    >>> check_file("no such file.md")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: no such file.md: the file cannot be opened (no such file or directory)
    """
    return _checked(Path(path), False, model, options)


def check(path_or_text: str | os.PathLike, model: str = "softmax", **options) -> CheckReport:
    r"""Check a derivation given as a path or as text, by the rule in this module's docstring; prefer
    :func:`check_text` or :func:`check_file`, which never guess. ``is_text=True`` or ``False`` decides instead of
    the rule, and ``profile=`` is another name for ``model=`` (as before these functions).

    >>> check(r"$$\sigma(z_i) > 1 \quad (2)$$", is_text=True).exit_code
    1
    >>> check("notes.md")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: notes.md: the file cannot be opened (no such file or directory)
    """
    model = options.pop("profile", model)
    is_text = options.pop("is_text", None)
    if is_text is None:
        is_text = not (isinstance(path_or_text, os.PathLike) or os.path.isfile(path_or_text)
                       or not _LATEX.search(path_or_text))
    if not is_text:
        return check_file(path_or_text, model, **options)
    return check_text(path_or_text, model, **options)
