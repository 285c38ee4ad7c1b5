"""C2SP tlog-checkpoint: the signed statement "the log has this size and this root".

https://github.com/C2SP/C2SP/blob/2793893976c835db049c194d8f2c4f946dcb70ba/tlog-checkpoint.md
("tlog-checkpoint" below). The note text is ``<origin>\\n<size>\\n<base64 root>\\n`` followed by
optional non-empty extension lines, signed as a C2SP signed note (see :mod:`.note`). Parsing is
strict: the size matches ``0|[1-9][0-9]*`` and fits in 63 bits, the root is canonical base64 of
exactly 32 bytes, every part is capped, and the object is built only once all of it is valid, so
``Checkpoint.parse(c.text()) == c`` and ``Checkpoint.parse(s).text() == s``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stateward.errors import InputError, UsageError, VerificationError
from stateward.ledger.merkle import HASH_SIZE, TreeSize
from stateward.ledger.note import open_note, sign_note
from stateward.ledger.signer import Signer, Verifier, strict_b64decode

__all__ = ["MAX_EXTENSIONS", "MAX_ORIGIN", "Checkpoint", "open_checkpoint", "sign_checkpoint"]

MAX_ORIGIN = 1024
MAX_EXTENSIONS = 64
MAX_EXTENSION = 4096
MAX_SIZE = 2**63 - 1  # the largest size every implementation (Go int64, uint64) can hold
_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")  # no sign, no space, no "_", no leading zero
_REMEDY = "Check the checkpoint came from this ledger and that the verifier key is right."


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: origin, tree size, root hash, extension lines (tlog-checkpoint §Note text)."""

    origin: str
    size: TreeSize
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problem = _problem(self.origin, self.size, self.root_hash, self.extensions)
        if problem:
            raise UsageError(f"invalid checkpoint: {problem}")

    def text(self) -> str:
        """The note text (tlog-checkpoint §Note text): one line each, each ending in newline."""
        root = base64.b64encode(self.root_hash).decode()
        lines = (self.origin, str(self.size), root, *self.extensions)
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str, *, source: str = "checkpoint") -> Checkpoint:
        """Parse a checkpoint note text strictly (tlog-checkpoint §Note text)."""
        if not text.endswith("\n"):
            raise InputError(source, "malformed checkpoint: the text must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise InputError(source, "malformed checkpoint: fewer than three lines")
        origin, size_text, root_text, *extensions = lines
        size = int(size_text) if _SIZE.fullmatch(size_text) else -1  # int() only after the regex
        root = strict_b64decode(root_text) or b""
        problem = _problem(origin, size, root, tuple(extensions))
        if problem:
            raise InputError(source, f"malformed checkpoint: {problem}")
        return cls(origin, TreeSize(size), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[Signer]) -> str:
    """The checkpoint as a signed note (tlog-checkpoint §Signatures; signed-note §Format)."""
    return sign_note(checkpoint.text(), signers)


def open_checkpoint(
    message: str | bytes,
    log: Verifier,
    *,
    origin: str | None = None,
    witnesses: Sequence[Verifier] = (),
    source: str = "checkpoint",
) -> Checkpoint:
    """Verify a signed checkpoint and return it (tlog-checkpoint §Signatures, signed-note).

    The log's own key must have signed it; signatures by unknown keys are ignored, by a known
    key that fails reject it. With ``origin``, the checkpoint must be for that log.
    """
    opened = open_note(message, [log, *witnesses], source=source)
    if not any((s.name, s.key_id) == (log.name, log.key_id) for s in opened.verified):
        raise VerificationError(f"{source}: not signed by the log key {log.name}", remedy=_REMEDY)
    checkpoint = Checkpoint.parse(opened.text, source=source)
    if origin is not None and checkpoint.origin != origin:
        raise VerificationError(f"{source}: checkpoint is for another log", remedy=_REMEDY)
    return checkpoint


def _problem(
    origin: object, size: object, root: object, extensions: tuple[object, ...]
) -> str | None:
    """What makes these parts an invalid checkpoint, or None (tlog-checkpoint §Note text).

    Typed ``object``: a Checkpoint built in code is checked as strictly as a parsed one.
    """
    if not _is_line(origin, MAX_ORIGIN):
        return f"origin must be one non-empty line of at most {MAX_ORIGIN} characters"
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_SIZE:
        return "tree size must be a decimal number without sign or leading zeros"
    if not isinstance(root, bytes) or len(root) != HASH_SIZE:
        return f"root hash must be canonical base64 of {HASH_SIZE} bytes"
    if len(extensions) > MAX_EXTENSIONS:
        return f"more than {MAX_EXTENSIONS} extension lines"
    if not all(_is_line(e, MAX_EXTENSION) for e in extensions):
        return f"extension lines must be non-empty, at most {MAX_EXTENSION} characters"
    return None


def _is_line(text: object, limit: int) -> bool:
    return isinstance(text, str) and 0 < len(text) <= limit and not any(c < " " for c in text)
