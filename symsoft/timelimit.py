"""Run a computation under a wall-clock limit, in any thread.

The computation runs in a forked child process; when the limit passes the child is killed and
:class:`~symsoft.errors.TimeLimitExceeded` is raised. Unlike ``signal.alarm`` this works off
the main thread, and it also stops SymPy calls stuck in C code or in a deep recursion.

>>> from symsoft.timelimit import call_with_time_limit
>>> call_with_time_limit(sum, ([1, 2, 3],), seconds=5)
6
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from typing import Any, Callable

from symsoft.errors import TimeLimitExceeded

_FORK_AVAILABLE = "fork" in multiprocessing.get_all_start_methods()


def _child(connection, fn, args) -> None:
    try:
        result = ("ok", fn(*args))
    except BaseException as error:  # sent back to the parent, which re-raises it
        result = ("error", error, traceback.format_exc(limit=3))
    try:
        connection.send_bytes(pickle.dumps(result))
    except Exception as error:  # an unpicklable result
        connection.send_bytes(pickle.dumps(("error", RuntimeError(f"result not transferable: {error}"), "")))
    finally:
        connection.close()
        os._exit(0)


def call_with_time_limit(fn: Callable[..., Any], args: tuple = (), seconds: float = 5.0) -> Any:
    """Return ``fn(*args)``, or raise :class:`TimeLimitExceeded` after ``seconds``.

    Exceptions raised by ``fn`` are raised again in the caller. Where ``fork`` is not
    available the call runs in place, without a limit.

    >>> import time
    >>> call_with_time_limit(time.sleep, (10,), seconds=0.2)
    Traceback (most recent call last):
    ...
    symsoft.errors.TimeLimitExceeded: time limit of 0.2 s exceeded
    """
    if not _FORK_AVAILABLE:  # pragma: no cover - Windows and macOS spawn
        return fn(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TimeLimitExceeded(f"time limit of {seconds:g} s exceeded")
        try:
            payload = pickle.loads(receiver.recv_bytes())
        except EOFError:
            raise RuntimeError("the computation's process died (out of memory?)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if payload[0] == "ok":
        return payload[1]
    raise payload[1]
