r"""Project defaults for ``symsoft check``: the ``[tool.symsoft]`` table of the checked project's pyproject.toml.

The nearest ``pyproject.toml`` with a ``[tool.symsoft]`` table, from the current folder upward, gives the defaults
of ``symsoft check``; an option on the command line wins over it. Keys (names as the options, with ``-`` or
``_``):

.. code-block:: toml

    [tool.symsoft]
    model = "logistic"      # --model: a built-in model or profile, or a YAML file (relative to the pyproject.toml)
    classes = 3             # --classes
    timeout = 10            # --timeout, seconds of CPU time for each parse and step
    doc-timeout = 120       # --doc-timeout
    max-steps = 2000        # --max-steps

An unknown key or a value of the wrong kind is a usage error (exit 2) that names the file.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = pathlib.Path(folder, "pyproject.toml").write_text('[tool.symsoft]\nclasses = 3\ntimeout = 2\n')
...     pathlib.Path(folder, "notes").mkdir()
...     project_defaults(pathlib.Path(folder, "notes"))
{'classes': 3, 'timeout': 2.0}
"""

from __future__ import annotations

import os
from pathlib import Path

from symsoft.errors import UsageError

#: each key of [tool.symsoft], the check option's destination it sets, and the kind of its value
_KEYS = {
    "model": ("profile", str, None),
    "classes": ("classes", int, 100),
    "timeout": ("timeout", float, 3600),
    "doc-timeout": ("doc_timeout", float, 3600),
    "max-steps": ("max_steps", int, None),
}

_KINDS = {str: "string", int: "whole number", float: "number of seconds"}


def find_project_file(start: str | os.PathLike | None = None) -> Path | None:
    r"""The nearest ``pyproject.toml`` with a ``[tool.symsoft]`` table in ``start`` (default the current folder) or a
    folder above it, or None.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "pyproject.toml").write_text('[project]\nname = "notes"\n')
    ...     find_project_file(folder) is None
    True
    """
    folder = Path(start if start is not None else os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "symsoft" in _read(path).get("tool", {}):
            return path
    return None


def _read(path: Path) -> dict:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read it as TOML ({error})", str(path)) from None


def project_defaults(start: str | os.PathLike | None = None) -> dict:
    r"""The defaults of ``symsoft check`` that the nearest ``[tool.symsoft]`` sets, by option destination (``{}``
    when there is none). A model file is made relative to the folder of the pyproject.toml.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "pyproject.toml").write_text('[tool.symsoft]\nclasses = 500\n')
    ...     project_defaults(folder)
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: .../pyproject.toml: [tool.symsoft] classes must be from 1 to 100, got 500
    """
    path = find_project_file(start)
    if path is None:
        return {}
    table = _read(path)["tool"]["symsoft"]
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.symsoft] must be a table", str(path))
    defaults = {}
    for key, value in table.items():
        name = key.replace("_", "-")
        if name not in _KEYS:
            raise UsageError(f"{path}: [tool.symsoft] has an unknown key {key!r} (known: {', '.join(_KEYS)})", key)
        destination, kind, most = _KEYS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else kind):
            raise UsageError(f"{path}: [tool.symsoft] {key} must be a {_KINDS[kind]}, got {value!r}", key)
        value = kind(value)
        if kind is not str and not (0 < value <= (most or value)):
            raise UsageError(f"{path}: [tool.symsoft] {key} must be from {'0' if kind is float else '1'} to "
                             f"{most}, got {value}" if most else f"{path}: [tool.symsoft] {key} must be positive,"
                             f" got {value}", key)
        if name == "model" and value.endswith((".yaml", ".yml")) and not os.path.isabs(value):
            value = os.path.relpath(path.parent / value)
        defaults[destination] = value
    return defaults
