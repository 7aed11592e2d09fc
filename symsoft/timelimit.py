"""Run a computation under a limit of CPU time, in any thread.

The computation runs in a forked worker process; when it has used its seconds of CPU time (read from
/proc, so the same document gets the same verdicts on a busy machine) the worker is killed and
:class:`~symsoft.errors.TimeLimitExceeded` is raised. A generous wall-clock limit stays as a safety net
against a worker that waits without computing; where there is no /proc the limit is wall-clock time. Unlike ``signal.alarm`` this works off
the main thread, and it also stops SymPy calls stuck in C code or in a deep recursion.

>>> from symsoft.timelimit import call_with_time_limit
>>> call_with_time_limit(sum, ([1, 2, 3],), seconds=5)
6
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import multiprocessing
import os
import pickle
import time
from typing import Any, Callable, Iterator

from symsoft.errors import ComputationError, HelperDied, MemoryLimitExceeded, TimeLimitExceeded, WarmUpFirst

_FORK_AVAILABLE = "fork" in multiprocessing.get_all_start_methods()
_IN_WORKER = False


def in_helper() -> bool:
    """True inside the helper process that runs time-limited calls.

    >>> in_helper(), call_with_time_limit(in_helper, seconds=5) or not _FORK_AVAILABLE
    (False, True)
    """
    return _IN_WORKER


class _Worker:
    """A long-lived forked child that runs calls one at a time and keeps its caches warm."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.requests, child_requests = context.Pipe()
        self.process = context.Process(target=self._serve, args=(child_requests, self.requests), daemon=True)
        self.process.start()
        child_requests.close()
        self.owner = os.getpid()
        atexit.unregister(_stop_at_exit)
        atexit.register(_stop_at_exit)  # after multiprocessing's own exit hook (registered by start): it runs first

    @staticmethod
    def _serve(connection, parent_end) -> None:
        try:
            _Worker._serve_calls(connection, parent_end)
        except BaseException:  # out of memory between calls: the parent sees the worker die; no traceback on stderr
            os._exit(70)

    @staticmethod
    def _serve_calls(connection, parent_end) -> None:
        global _IN_WORKER
        _IN_WORKER = True
        parent_end.close()  # so that the worker sees end-of-file when its parent is gone
        while True:
            try:
                fn, args = pickle.loads(connection.recv_bytes())
            except (EOFError, OSError):
                os._exit(0)
            try:
                result = ("ok", fn(*args))
            except BaseException as error:  # sent back to the parent, which re-raises it
                error.__traceback__ = error.__context__ = error.__cause__ = None
                result = ("error", error)
            try:
                payload = pickle.dumps(result)
                pickle.loads(payload)
            except Exception:  # an exception that cannot cross processes: send its text
                payload = pickle.dumps(("error", ComputationError(f"{type(result[1]).__name__}: {result[1]}")))
            connection.send_bytes(payload)

    def call(self, fn, args, seconds: float):
        """``(payload, cpu)``: what the call sent back and the CPU seconds it used (wall-clock where there is no /proc)."""
        start, wall_start = _cpu_seconds(self.process.pid), time.monotonic()
        self.requests.send_bytes(pickle.dumps((fn, args)))
        if start is None:  # no per-process CPU clock here: wall-clock time
            if not self.requests.poll(seconds):
                self.stop()
                raise TimeLimitExceeded(f"time limit of {seconds:g} s exceeded")
        else:
            wall_end = wall_start + safety_net(seconds)
            while not self.requests.poll(min(0.05, max(seconds / 20, 0.005))):
                used = _cpu_seconds(self.process.pid)
                if used is None or used - start > seconds or time.monotonic() > wall_end:
                    self.stop()
                    raise TimeLimitExceeded(f"time limit of {seconds:g} s exceeded")
        used = None if start is None else _cpu_seconds(self.process.pid)
        try:
            payload = pickle.loads(self.requests.recv_bytes())
        except (EOFError, OSError):
            self.stop()
            # a limit (mostly memory), never a verdict: a step stopped this way is not remembered in a memo
            raise HelperDied("the computation's process died (out of memory?)") from None
        return payload, (time.monotonic() - wall_start if used is None else max(0.0, used - start))

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.requests.close()


#: the wall-clock safety net of a call limited to ``seconds`` of CPU time: ``seconds * WALL_FACTOR + WALL_EXTRA``
WALL_FACTOR, WALL_EXTRA = 8.0, 10.0


def safety_net(seconds: float) -> float:
    """The wall-clock seconds after which work limited to ``seconds`` of CPU time is stopped all the same.

    Only a worker that waits without computing (or a machine loaded past any reason) gets there: a CPU-time limit,
    not this, decides a verdict.

    >>> safety_net(5)
    50.0
    """
    return seconds * WALL_FACTOR + WALL_EXTRA
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") and "SC_CLK_TCK" in os.sysconf_names else 100


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used, from /proc (None where there is no /proc).

    >>> _cpu_seconds(os.getpid()) is None or _cpu_seconds(os.getpid()) >= 0
    True
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds used by process ``pid`` and all its descendants, the living and the reaped (None without /proc).

    A grade worker's document budget is this: the worker, its time-limit helper and every helper it has killed and
    reaped (their time is in the worker's ``cutime``/``cstime``).

    >>> tree_cpu_seconds(os.getpid()) is None or tree_cpu_seconds(os.getpid()) >= _cpu_seconds(os.getpid())
    True
    """
    total, pending, seen = 0.0, [pid], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            if current == pid:
                return None
            continue  # a child that ended meanwhile: its time is in the parent's reaped total once waited for
        total += sum(int(field) for field in fields[11:15]) / _TICKS
        pending.extend(_children(current))
    return total


def _children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (from /proc/PID/task/*/children; empty where the kernel has none)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


_worker: _Worker | None = None


def _stop_at_exit() -> None:
    """At exit, this process's helper is killed (SIGKILL) before multiprocessing joins it: a SIGTERM the process's
    inherited signal mask blocks (a parent that held it while writing an output) would leave that join waiting for ever."""
    if _worker is not None and _worker.owner == os.getpid():
        _worker.stop()



class _Budget:
    """The CPU seconds a block may use: its own thread's CPU time plus that of the helper calls made inside it."""

    def __init__(self, seconds: float, outer: "_Budget | None") -> None:
        self.seconds, self.outer = seconds, outer
        self.cpu_start = time.thread_time()
        self.helper = 0.0  # CPU seconds of time-limit helper calls made inside the block
        self.wall_end = time.monotonic() + safety_net(seconds)

    def charge(self, seconds: float) -> None:
        budget: _Budget | None = self
        while budget is not None:
            budget.helper += seconds
            budget = budget.outer

    def left(self) -> float:
        used = time.thread_time() - self.cpu_start + self.helper
        own = 0.0 if time.monotonic() > self.wall_end else max(0.0, self.seconds - used)
        return own if self.outer is None else min(own, self.outer.left())


#: The enclosing :func:`time_budget` (None: no budget).
_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("symsoft_budget", default=None)


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Bound the work inside the block by ``seconds`` of CPU time in all (None: no bound).

    The CPU time counted is that of the calling thread and of every :func:`call_with_time_limit` made inside the
    block (its helper's), so the same work gets the same answer on an idle and on a loaded machine; a wall-clock
    :func:`safety_net` of ``seconds`` stays against hangs. A call gets what is left of the budget when that is less
    than its own limit; once the budget is spent, a call raises :class:`TimeLimitExceeded` at once. Budgets nest:
    the tighter one wins.

    >>> with time_budget(0.0):
    ...     call_with_time_limit(sum, ([1, 2],), seconds=5)
    Traceback (most recent call last):
    ...
    symsoft.errors.TimeLimitExceeded: the time budget is spent
    """
    if seconds is None:
        yield
        return
    token = _budget.set(_Budget(seconds, _budget.get()))
    try:
        yield
    finally:
        _budget.reset(token)


def budget_left() -> float | None:
    """CPU seconds left in the enclosing :func:`time_budget` (None outside any).

    >>> budget_left() is None
    True
    >>> with time_budget(100):
    ...     0 < budget_left() <= 100
    True
    """
    budget = _budget.get()
    return None if budget is None else budget.left()


def _charge(seconds: float) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.charge(seconds)


def call_with_time_limit(fn: Callable[..., Any], args: tuple = (), seconds: float = 5.0) -> Any:
    """Return ``fn(*args)``, or raise :class:`TimeLimitExceeded` after ``seconds`` of CPU time.

    The CPU time the call used counts against the enclosing :func:`time_budget`.

    The call runs in a long-lived worker process (its caches stay warm between calls); a call
    that runs out of time kills the worker, and the next call starts a new one. Exceptions
    raised by ``fn`` are raised again in the caller. Where ``fork`` is not available the call
    runs in place, without a limit.

    >>> call_with_time_limit(sum, (range(10 ** 12),), seconds=0.2)
    Traceback (most recent call last):
    ...
    symsoft.errors.TimeLimitExceeded: time limit of 0.2 s exceeded
    """
    global _worker
    left = budget_left()
    if left is not None:
        if left <= 0:
            raise TimeLimitExceeded("the time budget is spent")
        seconds = min(seconds, left)
    if not _FORK_AVAILABLE:  # pragma: no cover - Windows and macOS spawn
        return fn(*args)
    for attempt in (1, 2):
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            payload, used = _worker.call(fn, args, seconds)
        except TimeLimitExceeded:
            _charge(seconds)
            raise
        if attempt == 1 and payload[0] == "error" and isinstance(payload[1], WarmUpFirst):
            payload[1].warm()  # here, outside any limit; the call runs again in a helper forked warm
            _worker.stop()
            continue
        break
    _charge(used)
    if payload[0] == "ok":
        return payload[1]
    if isinstance(payload[1], MemoryError):  # a limit of the process (RLIMIT_AS), not a property of the claim
        raise MemoryLimitExceeded("the computation ran out of the memory it may use")
    raise payload[1]
