"""``python -m stateward`` and the ``stateward`` console script."""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
import threading
from typing import NoReturn


def run() -> None:
    """Run the command line. A reader that closes the pipe (``stateward history E | head -1``)
    ends the process the way it ends coreutils: by SIGPIPE, quietly (status 141 in the shell),
    not with a traceback nor with 1, which means "changes found". Being cut off mid-write is
    safe: every store write is one transaction (kill -9 tests in tests/store/test_crash.py)."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A command holds its whole observation in memory: millions of dicts that live until it
    # ends. At the default thresholds (700, 10, 10) the collector walked them ~2,400 times in a
    # scan of 20k objects, 3 of its 12 CPU seconds; collecting every 50,000 new objects, and the
    # old ones a hundredth as often, it costs 0.6 s. Garbage without cycles is freed at once
    # either way. `serve` sets its own after start-up (server/run.py, GC_THRESHOLDS).
    gc.set_threshold(50_000, 20, 100)
    from stateward.cli import main  # after the signal, so an import-time write is covered too

    try:
        main(prog_name="stateward")
    except SystemExit as done:
        if isinstance(done.code, int | None) and _nothing_to_close():
            _leave(done.code or 0)
        raise


def _nothing_to_close() -> bool:
    """True when ending the process at once loses nothing: no store was opened (a SQLite
    connection's close checkpoints its write-ahead log, a PostgreSQL one says goodbye to the
    server) and no other thread runs (the interpreter would wait for one)."""
    return "stateward.store.database" not in sys.modules and threading.active_count() == 1


def _leave(status: int) -> NoReturn:
    """End the process with ``status`` as the interpreter would, less its teardown: the exit
    functions run and the output is flushed, but the objects still held are not freed one by
    one, nor walked by a last collection (Py_FinalizeEx,
    https://github.com/python/cpython/blob/v3.11.7/Python/pylifecycle.c#L1789): an audit of
    20k objects spent ~0.13 CPU s there, after its output was written."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
