"""The exit codes of every command, kept apart from ``cli/common.py`` so the top-level help can
name them without importing the library."""

from __future__ import annotations

__all__ = ["EXIT_CHANGES", "EXIT_CODES_HELP", "EXIT_INPUT", "EXIT_OK", "EXIT_STORE"]

EXIT_OK, EXIT_CHANGES, EXIT_INPUT, EXIT_STORE = 0, 1, 2, 3
EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 changes or findings found where asked to fail on them; "
    "2 usage or input errors; 3 store or ledger errors."
)
