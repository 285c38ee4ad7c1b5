"""``python -m stateward`` and the ``stateward`` console script."""

from __future__ import annotations

import signal


def run() -> None:
    """Run the command line. A reader that closes the pipe (``stateward history E | head -1``)
    ends the process the way it ends coreutils: by SIGPIPE, quietly (status 141 in the shell),
    not with a traceback nor with 1, which means "changes found". Being cut off mid-write is
    safe: every store write is one transaction (kill -9 tests in tests/store/test_crash.py)."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    from stateward.cli import main  # after the signal, so an import-time write is covered too

    main(prog_name="stateward")


if __name__ == "__main__":
    run()
