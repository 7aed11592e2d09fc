"""``symsoft serve``: a local web page where one pastes or uploads a derivation and sees it checked, typeset with
the KaTeX vendored in ``static/katex`` (the page needs no network).

- :mod:`symsoft.serve.payload` checks a document and builds the answer of ``POST /api/check``;
- :mod:`symsoft.serve.app` is the HTTP server (standard library), its limits and its worker processes;
- ``static/`` holds the page (``index.html``, ``page.js``, ``page.css``) and KaTeX.

>>> from symsoft.serve import refuse_host
>>> refuse_host("0.0.0.0")
Traceback (most recent call last):
...
symsoft.errors.UsageError: symsoft serve: --host 0.0.0.0 is not a loopback address; the page is served on 127.0.0.1, ::1 or localhost only (see --help)
"""

from __future__ import annotations

import sys

from symsoft.errors import UsageError

__all__ = ["refuse_host", "serve"]


def refuse_host(host: str) -> None:
    """A usage error unless ``host`` is a loopback address (the checker is never offered to the network).

    >>> refuse_host("127.0.0.1") is None
    True
    """
    from symsoft.serve.app import is_loopback

    if not is_loopback(host):
        raise UsageError(f"symsoft serve: --host {host} is not a loopback address; the page is served on 127.0.0.1,"
                         " ::1 or localhost only (see --help)")


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 2, ready=None) -> int:
    """Serve the page on ``host:port`` until interrupted (Ctrl-C) and return the exit code 0; ``port`` 0 takes a
    free port. The address is printed on standard error (``symsoft serve: http://HOST:PORT/``), then ``ready``
    (when given) is called with the server.

    >>> serve("10.0.0.1")
    Traceback (most recent call last):
    ...
    symsoft.errors.UsageError: symsoft serve: --host 10.0.0.1 is not a loopback address; the page is served on 127.0.0.1, ::1 or localhost only (see --help)
    """
    from symsoft.serve.app import Limits, SymsoftServer

    refuse_host(host)
    try:
        server = SymsoftServer((host, port), Limits(workers=workers))
    except OSError as error:
        raise UsageError(f"symsoft serve: cannot listen on {host}:{port}: {(error.strerror or str(error)).lower()}") \
            from None
    name = f"[{server.server_address[0]}]" if ":" in server.server_address[0] else server.server_address[0]
    print(f"symsoft serve: http://{name}:{server.server_address[1]}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("symsoft serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
