"""Worker processes that die with the process that started them.

A pool's workers are children of the command that forked them. When that command is killed
(SIGTERM from a CI runner's timeout, SIGKILL from the OOM killer), nothing tells them: they
are re-parented to PID 1 and wait for work that never comes, holding their memory, forever.
On Linux each worker asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``,
prctl(2)), which covers every way of dying, SIGKILL included, where a signal handler in the
parent could not. Elsewhere a worker is left as the platform leaves it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from stateward.errors import WorkerError

__all__ = [
    "beside",
    "can_spread",
    "die_with_parent",
    "forked_pool",
    "pipes_may_break",
    "spare_core",
    "spread",
]

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def forked_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes, each dying with this one, then running
    ``initializer(*initargs)``. The pool must be created (and first used) from the thread
    that lives as long as the pool: the kernel's parent-death signal follows the thread that
    forked, not the process."""
    return ProcessPoolExecutor(
        workers,
        mp_context=mp.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


@contextlib.contextmanager
def pipes_may_break() -> Iterator[None]:
    """SIGPIPE ignored while a pool lives: the command line ends by SIGPIPE when its reader
    leaves (stateward/__main__.py), and a worker that dies (the OOM killer's SIGKILL) breaks
    the pipe the pool writes its work to, which would end the command there, silently, with
    status 141. Ignored, the write fails with EPIPE and the pool reports itself broken.
    Only the main thread may set a handler; elsewhere the handler is left as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGPIPE, before)


def can_spread() -> bool:
    """True when work may be spread over forked processes here: fork exists, there is more
    than one core, and this process runs one thread (a child forked beside other threads
    may inherit a lock one of them held, and wait on it forever: a server never forks)."""
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in mp.get_all_start_methods()
        and threading.active_count() == 1
    )


def spare_core() -> bool:
    """True when a forked helper would run on a core that idles otherwise: work may be spread
    here (:func:`can_spread`) and the machine's load leaves a core free (the cores less the
    load, at least one). On a loaded machine the fork, and the pages both processes then
    touch, cost more CPU than the helper saves.

    The load is the last minute's average (getloadavg(3)), or what runs beside this process
    now if that is less: the average still counts, for most of a minute, processes that have
    ended, this command's own file readers among them (a busy second core for the 3 s of a
    read at 20k objects, just before the audit asks)."""
    load = min(os.getloadavg()[0], _running_beside())
    return can_spread() and (os.cpu_count() or 1) - load >= 1


def _running_beside() -> float:
    """Threads runnable now other than this one: the fourth field of /proc/loadavg, "runnable
    scheduling entities/all" (proc(5)), less one; infinite where it cannot be read."""
    try:
        with open("/proc/loadavg", "rb") as file:
            runnable = file.read().split()[3].split(b"/")[0]
    except (OSError, IndexError):
        return float("inf")
    return int(runnable) - 1 if runnable.isdigit() else float("inf")


def spread(part: Callable[[range], list[T]], count: int, workers: int) -> list[T]:
    """``part(range(count))``, computed by ``workers`` processes: this one and ``workers - 1``
    forked children, each given every ``workers``-th position (so a list whose costly items
    come first is still shared evenly). ``part`` returns one item per position; the items come
    back in position order, so the result is the one ``part(range(count))`` gives, provided
    ``part`` reads state set before the call and changes none another position reads.

    The children are forked with this process's memory (nothing is pickled on the way in);
    their items are pickled on the way out. WorkerError when a child dies before its share is
    done."""
    shares = [range(first, count, workers) for first in range(min(workers, count))]
    if len(shares) < 2:
        return part(range(count))
    global _part
    _part = part  # inherited by the forked children, as the function to run
    try:
        with pipes_may_break(), forked_pool(len(shares) - 1) as pool:
            futures = [pool.submit(_share, share) for share in shares[1:]]
            done = [part(shares[0])] + [future.result() for future in futures]
    except BrokenProcessPool:
        raise WorkerError("a worker process ended before finishing its share of the work") from None
    finally:
        _part = None
    return [done[position % workers][position // workers] for position in range(count)]


_part: Callable[[range], list[Any]] | None = None


@contextlib.contextmanager
def beside(compute: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """``compute()`` started in a forked child that runs beside this process, which goes on
    with other work in the ``with`` block; the function it gives waits for the result (pickled
    back). If the child fails (dies, raises, returns what cannot be pickled), ``compute()``
    runs here when the result is asked for: the result, or the error, is the one it gives in
    this process, provided it reads only state set before the call that nothing here changes.
    A child whose result was not asked for when the block ends (it raised: an error, Ctrl-C)
    is killed. Callers check :func:`spare_core` first: on a busy machine it only competes.

    A plain forked process and a pipe, not a pool: a pool's manager thread would make this
    process unfit to fork again (:func:`can_spread`) while the child runs."""
    context = mp.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_compute_beside, args=(compute, sending, os.getpid()))
    child.start()
    sending.close()  # this end lives on in the child only: its death is an EOF here

    def result() -> T:
        try:
            ok, value = receiving.recv()
        except (EOFError, OSError):
            ok, value = False, None
        return value if ok else compute()

    try:
        yield result
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join()


def _compute_beside(compute: Callable[[], Any], sending: Any, parent: int) -> None:
    die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent ends this child when it stops
    # waiting, and a traceback from here would only repeat its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        answer = (True, compute())
    except Exception:  # noqa: BLE001  (the parent computes it again, and sees the error)
        answer = (False, None)
    try:
        sending.send(answer)
    except Exception:  # noqa: BLE001  (an unpicklable result: the parent computes it itself)
        sending.send((False, None))


def _share(positions: range) -> list[Any]:
    assert _part is not None, "bad math: a worker forked without its part"
    return _part(positions)


def _start_worker(
    parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` (the process that forked it) ends;
    if it already has, end now. Nothing on systems without prctl(2)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # a kernel that refuses it: the worker lives on as before, which is no worse
    # The parent may have died between the fork and the prctl: then no signal will come.
    if os.getppid() != parent:
        os._exit(1)
