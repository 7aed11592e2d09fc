r"""Where the command line's outputs go: a target checked before any work, text any stream can show.

``check -o``, ``prove -o`` and ``grade -o`` name their target before the work starts:
:func:`refuse_unwritable` says in one line why it cannot be written (its folder does not exist, it
is a folder, it is not writable), so a long check never ends in a traceback. :func:`fit_to_stream`
writes text to a stream whose encoding cannot show all of it (``PYTHONIOENCODING=ascii``, a C
locale): the characters it cannot show become ``\xNN``-style escapes, and JSON stays valid JSON
(``\uNNNN``).

>>> import io
>>> stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
>>> fit_to_stream("σ(z) ≤ 1", stream)
>>> stream.flush(); stream.buffer.getvalue()
b'\\u03c3(z) \\u2264 1\n'
"""

from __future__ import annotations

import codecs
import os
import re

from symsoft.errors import OutputError


def refuse_unwritable(path: str | os.PathLike, folder: bool = False) -> None:
    """Raise :class:`~symsoft.errors.OutputError` when an output cannot be written to ``path``.

    Parameters
    ----------
    path : the file (or, with ``folder``, the folder) the output goes to
    folder : True when ``path`` is a folder to be made (its nearest existing parent must be a writable folder)

    >>> refuse_unwritable("/no/such/folder/report.txt")
    Traceback (most recent call last):
    ...
    symsoft.errors.OutputError: cannot write /no/such/folder/report.txt: the folder /no/such/folder does not exist
    >>> refuse_unwritable("/")
    Traceback (most recent call last):
    ...
    symsoft.errors.OutputError: cannot write /: it is a folder, not a file
    """
    target = os.fspath(path)
    if folder:
        existing = os.path.abspath(target)
        while not os.path.exists(existing):
            existing = os.path.dirname(existing)
        if existing == os.path.abspath(target) and not os.path.isdir(existing):
            raise OutputError(f"cannot write into {target}: it is a file, not a folder", target)
        _writable_folder(existing, target)
        return
    if os.path.isdir(target):
        raise OutputError(f"cannot write {target}: it is a folder, not a file", target)
    parent = os.path.dirname(target) or "."
    if not os.path.isdir(parent):
        raise OutputError(f"cannot write {target}: the folder {parent} does not exist", target)
    _writable_folder(parent, target)


def _writable_folder(folder: str, target: str) -> None:
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {target}: {folder} is not a folder", target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: the folder {folder} is not writable", target)


def fit_to_stream(text: str, stream, json: bool = False, end: str = "\n") -> None:
    r"""Write ``text`` and ``end`` to ``stream``, escaping what the stream's encoding cannot show.

    Text gets Python's escapes (``é`` becomes ``\xe9``); JSON gets JSON's (``\u00e9``), so it stays
    valid and means the same. A stream that can show everything gets the text unchanged.

    >>> import io
    >>> stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    >>> fit_to_stream('{"x": "é"}', stream, json=True); fit_to_stream("é", stream)
    >>> stream.flush(); stream.buffer.getvalue()
    b'{"x": "\\u00e9"}\n\\xe9\n'
    """
    stream.write(fitted(text + end, getattr(stream, "encoding", None), json))


def fitted(text: str, encoding: str | None, json: bool = False) -> str:
    r"""``text`` with what ``encoding`` cannot encode escaped (see :func:`fit_to_stream`).

    >>> fitted("a ≤ b", "ascii"), fitted("a ≤ b", "utf-8"), fitted('"𝑥"', "ascii", json=True)
    ('a \\u2264 b', 'a ≤ b', '"\\ud835\\udc65"')
    """
    try:
        codecs.lookup(encoding or "utf-8")
        text.encode(encoding or "utf-8")
        return text
    except LookupError:
        encoding = "ascii"
    except UnicodeEncodeError:
        pass
    if json:  # outside strings JSON is ASCII, so escaping every character that does not fit is what ensure_ascii does
        return _NON_ASCII.sub(lambda m: _json_escape(m.group(), encoding), text)
    return text.encode(encoding, "backslashreplace").decode(encoding)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _json_escape(character: str, encoding: str) -> str:
    try:
        character.encode(encoding)
        return character
    except UnicodeEncodeError:
        pass
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
