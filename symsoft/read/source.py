r"""Read the bytes of a submitted document (once, bounded, only from a regular file); write outputs whole.

``check`` and ``grade`` read every document through :func:`read_submission`: the file is opened
once (without following a final symbolic link when asked, and without blocking on a FIFO), the
opened file itself is examined (a device, a FIFO, a folder or a file past the size limit is
refused before anything is read) and at most the limit is read. The bytes, never the path, go
on to the checker, so a file swapped for a link while a batch runs cannot change what is graded.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "hw.md")
...     _ = path.write_text("$$a = a$$")
...     read_submission(path)
b'$$a = a$$'
>>> read_submission("/dev/zero")
Traceback (most recent call last):
...
symsoft.errors.InputError: this is not a regular file, so there is no document to check
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

from symsoft.errors import InputError

#: Files larger than this are not read at all (the checker accepts 2,000,000 characters).
MAX_FILE_BYTES = 16 * 2**20


def read_submission(path: str | os.PathLike, follow_links: bool = True, limit: int = MAX_FILE_BYTES,
                    below: str | os.PathLike | None = None) -> bytes:
    """The bytes of the regular file at ``path``, read once; an :class:`~symsoft.errors.InputError` says why not.

    Parameters
    ----------
    path : the file
    follow_links : False refuses a symbolic link as the last part of the path (``O_NOFOLLOW``)
    limit : the largest size read, in bytes; a larger file is refused unread
    below : a folder holding ``path``: each part of the path below it (each folder, then the file) is
        opened relative to the one before without following a symbolic link, so a folder swapped for a
        link after the folder was listed is refused too (implies ``follow_links=False``)

    The messages are for a student: "the file cannot be opened (no such file or directory)",
    "the file is a symbolic link, ...", "this is not a regular file, ...", "the file is too large ...".

    >>> read_submission("/no/such/file.md")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the file cannot be opened (no such file or directory)
    >>> read_submission("/")
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: this is a folder, not a document
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links or below is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags) if below is None else _open_below(below, path, flags)
    except OSError as error:
        if flags & getattr(os, "O_NOFOLLOW", 0) and error.errno in (errno.ELOOP, errno.EMLINK):
            raise InputError("the file is a symbolic link, which is not followed; submit the document itself",
                             os.fspath(path)) from None
        reason = (error.strerror or "error").lower()
        raise InputError(f"the file cannot be opened ({reason})", os.fspath(path)) from None
    try:  # the descriptor itself is examined first (os.fdopen would refuse a folder with an OSError)
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("this is a folder, not a document", os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            raise InputError("this is not a regular file, so there is no document to check", os.fspath(path))
        if info.st_size > limit:
            raise InputError(_too_large(info.st_size, limit), os.fspath(path))
        data = b""
        try:
            while len(data) <= limit:  # until the end, even through short reads (the file may still be growing)
                more = os.read(descriptor, limit + 1 - len(data))
                if not more:
                    break
                data += more
        except OSError as error:
            raise InputError(f"the file cannot be read ({(error.strerror or 'error').lower()})", os.fspath(path)) from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise InputError(_too_large(len(data), limit), os.fspath(path))
    return data


def _open_below(folder: str | os.PathLike, path: str | os.PathLike, flags: int) -> int:
    """Open ``path`` (inside ``folder``) one part at a time, each folder with ``O_NOFOLLOW`` (a link: ``ELOOP``)."""
    parts = os.path.relpath(path, folder).split(os.sep)
    if parts[0] == os.pardir or not hasattr(os, "O_NOFOLLOW"):
        return os.open(path, flags)
    here = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                                dir_fd=here)
            except NotADirectoryError:  # a link with O_DIRECTORY: say which it is
                if stat.S_ISLNK(os.lstat(part, dir_fd=here).st_mode):
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP)) from None
                raise
            os.close(here)
            here = inner
        return os.open(parts[-1], flags, dir_fd=here)
    finally:
        os.close(here)


def read_stream(stream, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit`` bytes of a binary stream (standard input); more is refused with an :class:`InputError`.

    >>> import io
    >>> read_stream(io.BytesIO(b"$$a = a$$"))
    b'$$a = a$$'
    >>> read_stream(io.BytesIO(b"x" * 11), limit=10)
    Traceback (most recent call last):
    ...
    symsoft.errors.InputError: the input is too large (more than 10 bytes)
    """
    data = b""
    while len(data) <= limit:
        more = stream.read(limit + 1 - len(data))
        if not more:
            break
        data += more
    if len(data) > limit:
        raise InputError(f"the input is too large (more than {limit} bytes)")
    return data


def _too_large(size: int, limit: int) -> str:
    return f"the file is too large ({size / 2**20:.1f} MB; at most {limit / 2**20:g} MB)"


def display_name(path: str | os.PathLike) -> str:
    r"""A path as text that any output can hold: bytes that are not UTF-8 are written as ``\xNN``.

    It takes any text too (a message that quotes a path): a surrogate that no byte was decoded to is
    written ``\udNNN``.

    >>> display_name(os.fsdecode(b"caf\xe9.md")), display_name("alice.md"), display_name("\ud800")
    ('caf\\xe9.md', 'alice.md', '\\ud800')
    """
    try:
        data = os.fsencode(path)
    except UnicodeEncodeError:  # not a name read from the file system
        data = os.fspath(path).encode("utf-8", "backslashreplace")
    return data.decode("utf-8", "backslashreplace")


def write_whole(path: str | os.PathLike, text: str | bytes) -> None:
    r"""Write ``text`` to ``path`` as UTF-8 (bytes as they are), whole or not at all (never an empty or half-written file).

    The text is encoded first, then written to a temporary file beside ``path`` that replaces it.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_whole(pathlib.Path(folder, "out.csv"), "file,score\n")
    ...     pathlib.Path(folder, "out.csv").read_text()
    'file,score\n'
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    descriptor, temporary = tempfile.mkstemp(prefix=".symsoft-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
