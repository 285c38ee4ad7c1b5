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
from typing import Any, TypeVar

from stateward.errors import WorkerError

__all__ = [
    "beside",
    "can_spread",
    "die_with_parent",
    "forked_pool",
    "pipes_may_break",
    "spare_core",
    "spread_twice",
]

T = TypeVar("T")
U = TypeVar("U")
S = TypeVar("S")

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


def spread_twice(
    first: tuple[Callable[[range], list[T]], int],
    settle: Callable[[list[T]], S],
    settled: Callable[[S], None],
    second: tuple[Callable[[range], list[U]], int],
    workers: int,
) -> tuple[list[T], list[U]]:
    """Two parts, each ``(part, count)`` giving ``part(range(count))``, computed by ``workers``
    processes: this one and ``workers - 1`` forked children, each given every ``workers``-th
    position of each (so a list whose costly items come first is still shared evenly). Every
    process does its share of the first; this one then ``settle``s all of its items (and keeps
    what that sets) and gives each child the answer (``settled(answer)`` there); every process
    does its share of the second. The children are forked with this process's memory (nothing
    is pickled on the way in); their items are pickled on the way out and given back in
    position order, so the results are the ones one process gives, provided each part reads
    state set before it and changes none another position reads.
    A process's second share is the positions of its first: what it worked out for them there
    (facts kept with the objects it read) is still at hand, where a second fork would find only
    this process's, and its child would work them out again (the audit's edges at 20k objects:
    0.57 s in that child against 0.40 s here). WorkerError when a child dies before its shares
    are done; an error a child raises is raised here."""
    (one, count), (two, later) = first, second
    workers = min(workers, count)
    shares = [(range(k, count, workers), range(k, later, workers)) for k in range(workers)]
    if workers < 2 or count < 2:
        found = one(range(count))
        settle(found)
        return found, two(range(later))
    context = mp.get_context("fork")
    links = []
    with pipes_may_break():
        try:
            for share in shares[1:]:
                mine, theirs = context.Pipe()
                child = context.Process(
                    target=_twice, args=(one, settled, two, share, theirs, os.getpid())
                )
                child.start()
                theirs.close()  # this end lives on in the child only: its death is an EOF here
                links.append((child, mine))
            done = [one(shares[0][0])] + [_received(link) for _, link in links]
            found = [done[p % workers][p // workers] for p in range(count)]
            answer = settle(found)
            for _, link in links:
                _sent(link, answer)
            after = [two(shares[0][1])] + [_received(link) for _, link in links]
        finally:
            for child, link in links:
                link.close()
                if child.is_alive():
                    child.kill()
                child.join()
    return found, [after[p % workers][p // workers] for p in range(later)]


_DIED = "a worker process ended before finishing its share of the work"


def _twice(
    one: Callable[[range], list[Any]],
    settled: Callable[[Any], None],
    two: Callable[[range], list[Any]],
    shares: tuple[range, range],
    link: Any,
    parent: int,
) -> None:
    """A child's side of :func:`spread_twice`: its first share, the answer, its second."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends this child (as beside's)
    try:
        link.send((True, one(shares[0])))
        settled(link.recv())
        link.send((True, two(shares[1])))
    except (EOFError, OSError):
        pass  # the parent stopped waiting: nothing to say
    except Exception as exc:  # noqa: BLE001  (raised in the parent, where it can be seen)
        link.send((False, exc))


def _sent(link: Any, answer: Any) -> None:
    try:
        link.send(answer)
    except OSError:  # the child's end closed: it died (SIGPIPE is ignored meanwhile)
        raise WorkerError(_DIED) from None


def _received(link: Any) -> list[Any]:
    try:
        ok, value = link.recv()
    except (EOFError, OSError):
        raise WorkerError(_DIED) from None
    if not ok:
        raise value
    result: list[Any] = value
    return result


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
