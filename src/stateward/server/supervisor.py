"""Several server processes answering on one listening socket.

The parent binds the socket, then forks the workers: each inherits it and accepts from it
(the kernel hands every new connection to one of the processes waiting in ``accept``), and
each opens its own store connection after the fork, since a database connection must not be
used by two processes. The parent only watches: it holds no store and runs no thread, so a
worker it forks again later inherits nothing half-locked.

SIGTERM or SIGINT to the parent is passed to every worker, which stops as one server does
(:mod:`stateward.server.run`); the parent waits for them, then ends by the same signal. A
killed parent takes its workers with it (``PR_SET_PDEATHSIG``, :mod:`stateward.workers`). A
worker that dies on its own is replaced.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType

from stateward.workers import die_with_parent

__all__ = ["RESTART_S", "supervise"]

RESTART_S = 1.0
"""Wait before replacing a worker that died, so one that cannot start does not spin."""
_LOG = logging.getLogger("uvicorn.error")  # the server's own log (run.py gives it a handler)


def supervise(
    sock: socket.socket, workers: int, serve: Callable[[int], None], grace_s: float
) -> None:
    """Run ``serve(index)`` in ``workers`` forked processes sharing ``sock`` until SIGTERM or
    SIGINT, then end by that signal once they have stopped (each within ``grace_s``, else
    killed)."""
    stopping: list[int] = []
    children = {_fork(sock, index, serve): index for index in range(workers)}

    def stop(signum: int, _: FrameType | None) -> None:
        stopping.append(signum)
        for pid in list(children):
            _signal(pid, signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    deadline = None
    while children:
        if stopping and deadline is None:
            deadline = time.monotonic() + grace_s + 5
        pid = _reaped(deadline)
        if pid is None:  # past the deadline: a worker that would not stop
            for late in children:
                _signal(late, signal.SIGKILL)
            deadline = float("inf")
            continue
        index = children.pop(pid, None)
        if index is not None and not stopping:
            _LOG.warning("server worker %d (pid %d) ended; starting another", index, pid)
            time.sleep(RESTART_S)
            if not stopping:  # a signal during the wait would not reach a worker forked after
                children[_fork(sock, index, serve)] = index
    sock.close()
    if stopping:
        signal.signal(stopping[0], signal.SIG_DFL)
        os.kill(os.getpid(), stopping[0])


def _fork(sock: socket.socket, index: int, serve: Callable[[int], None]) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        die_with_parent(parent)
        for signum in (signal.SIGTERM, signal.SIGINT):  # the parent's handlers are not ours
            signal.signal(signum, signal.SIG_DFL)
        serve(index)
        status = 0
    except BaseException:
        _LOG.exception("server worker %d failed", index)
    finally:
        # never back into the parent's code (the CLI's click, atexit): this process ends here
        logging.shutdown()
        os._exit(status)


def _reaped(deadline: float | None) -> int | None:
    """The pid of a worker that ended (waiting for one), None once ``deadline`` passed. Polled:
    a blocking wait would outlast a worker that does not stop."""
    while True:
        pid, _ = os.waitpid(-1, os.WNOHANG)
        if pid:
            return pid
        if deadline is not None and time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass  # already gone
