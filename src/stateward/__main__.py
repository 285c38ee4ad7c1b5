"""``python -m stateward`` and the ``stateward`` console script."""

from __future__ import annotations

import gc
import signal


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

    main(prog_name="stateward")


if __name__ == "__main__":
    run()
