"""One error hierarchy for the whole library.

Every error a user can meet is a :class:`StatewardError`; ``diagnostics()`` gives the text the CLI
prints (``Error: <what happened>. <what to do>``). Anything else escaping the library is our bug.
"""

from __future__ import annotations

__all__ = [
    "CanonicalError",
    "InputError",
    "LedgerIntegrityError",
    "MissingStoreError",
    "NormalizeError",
    "SourceError",
    "StatewardError",
    "StorageError",
    "UsageError",
    "VerificationError",
    "WorkerError",
    "first_line",
]


class StatewardError(Exception):
    """Base of every error the library raises on purpose."""

    remedy: str = ""

    def __init__(self, message: str, *, remedy: str = "") -> None:
        super().__init__(message)
        self.message = message
        if remedy:
            self.remedy = remedy

    def diagnostics(self) -> str:
        """One line for a human: what happened, then what to do about it."""
        text = self.message.rstrip(".") + "."
        return f"{text} {self.remedy}".strip()


class UsageError(StatewardError):
    """A command was called with arguments that cannot work together."""


class CanonicalError(StatewardError):
    """A value cannot be put in canonical form (NaN, a non-string key, a cycle)."""


class InputError(StatewardError):
    """One input (file, document, object) was rejected; ``location`` names it."""

    def __init__(self, location: str, message: str, remedy: str = "") -> None:
        super().__init__(f"{location}: {message}", remedy=remedy)
        self.location = location
        self.reason = message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        # Results cross process boundaries (parallel parsing); keep all three fields.
        return (InputError, (self.location, self.reason, self.remedy))


class SourceError(StatewardError):
    """A source could not be read at all (missing path, unreachable engine)."""


class NormalizeError(StatewardError):
    """A normalizer could not finish on one object; the diff records it as incomplete."""


class StorageError(StatewardError):
    """The store could not be opened, read or written."""

    remedy = "Check the --store location and its permissions."


class MissingStoreError(StorageError):
    """A command that only reads found no store where it was pointed (it never creates one)."""

    remedy = "Check --store (or STATEWARD_STORE); `stateward scan` creates a store."


class LedgerIntegrityError(StatewardError):
    """Stored history does not match its hashes: something was edited, lost or rolled back."""


class VerificationError(StatewardError):
    """A proof, signature or checkpoint did not verify. Deliberately terse."""


class WorkerError(StatewardError):
    """A worker process sharing a step's work ended before it finished its share (killed by
    a signal or by the kernel's out-of-memory killer): the step's result would be partial."""

    remedy = (
        "Run the command again; if it recurs, check the memory free (`dmesg` names the OOM kills)."
    )


def first_line(exc: BaseException) -> str:
    """Any exception as one short line: its message's first line, or its type's name."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
