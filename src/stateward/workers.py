"""Worker processes that die with the process that started them.

A pool's workers are children of the command that forked them. When that command is killed
(SIGTERM from a CI runner's timeout, SIGKILL from the OOM killer), nothing tells them: they
are re-parented to PID 1 and wait for work that never comes, holding their memory, forever.
On Linux each worker asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``,
prctl(2)), which covers every way of dying, SIGKILL included, where a signal handler in the
parent could not. Elsewhere a worker is left as the platform leaves it.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["die_with_parent", "forked_pool"]

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
