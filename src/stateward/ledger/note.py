"""C2SP signed notes: text signed by one or more keys.

https://github.com/C2SP/C2SP/blob/055287621bf3cd13ff4394418a3e8efc2d5e8ed7/signed-note.md
("signed-note" below). A note is a text ending in a newline, a blank line, then one line per
signature: ``— <key name> <base64(uint32 BE key ID || signature)>``. Parsing is strict (valid
UTF-8, no control characters but newline, canonical base64, size caps) and opening follows
§Signatures: unknown keys are ignored, a known key with a bad signature rejects the whole note,
and at least one known key must have signed.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from stateward.errors import InputError, UsageError, VerificationError
from stateward.ledger.signer import Signer, Verifier, check_key_name, strict_b64decode

__all__ = [
    "MAX_NOTE_SIZE",
    "MAX_SIGNATURES",
    "Note",
    "NoteSignature",
    "OpenedNote",
    "open_note",
    "parse_note",
    "sign_note",
]

MAX_NOTE_SIZE = 1 << 20  # signed-note §Format: verifiers SHOULD cap the size
MAX_SIGNATURES = 100  # ... and MUST accept at least 16 signatures; Go note.Open allows 100
_SIG_PREFIX = "\u2014 "  # em dash, space
_REMEDY = "Check the checkpoint came from this ledger and that the verifier key is right."


@dataclass(frozen=True)
class NoteSignature:
    """One signature line (signed-note §Signatures)."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        """``— <name> <base64(keyID || signature)>`` with its newline."""
        blob = self.key_id.to_bytes(4, "big") + self.signature  # uint32 BE key ID || signature
        return f"{_SIG_PREFIX}{self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Note:
    """A parsed, not yet verified, signed note."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def format(self) -> str:
        """The note on the wire: text, blank line, signature lines (signed-note §Format)."""
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


@dataclass(frozen=True)
class OpenedNote:
    """A note whose text may be trusted: ``verified`` holds signatures by known keys."""

    text: str
    verified: tuple[NoteSignature, ...]
    unverified: tuple[NoteSignature, ...]


def parse_note(message: str | bytes, *, source: str = "signed note") -> Note:
    """Parse a signed note strictly (signed-note §Format); raise InputError naming ``source``.

    Nothing is verified: use :func:`open_note` before trusting the text.
    """
    text = _decode(message, source)
    split = text.rfind("\n\n")  # the text ends at the *last* blank line
    if split < 0 or not text.endswith("\n"):
        raise InputError(source, "malformed signed note: no blank line before the signatures")
    lines = text[split + 2 : -1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise InputError(source, f"malformed signed note: more than {MAX_SIGNATURES} signatures")
    signatures = tuple(_parse_signature(line, number, source) for number, line in enumerate(lines))
    return Note(text[: split + 1], signatures)


def sign_note(text: str, signers: Sequence[Signer]) -> str:
    """Sign ``text`` with each signer and return the note (signed-note §Format, §Signatures)."""
    _check_text(text)
    if not signers:
        raise UsageError("a note needs at least one signer")
    message = text.encode()
    signatures = []
    for signer in signers:
        check_key_name(signer.name)
        signatures.append(NoteSignature(signer.name, signer.key_id, signer.sign(message)))
    return Note(text, tuple(signatures)).format()


def open_note(
    message: str | bytes, verifiers: Sequence[Verifier], *, source: str = "signed note"
) -> OpenedNote:
    """Parse and verify a note (signed-note §Signatures); raise VerificationError unless trusted.

    Signatures by unknown keys are ignored (kept in ``unverified``); a signature by a known key
    that does not verify rejects the note; at least one known key must have signed.
    """
    note = parse_note(message, source=source)
    known = _index(verifiers)
    verified: dict[tuple[str, int], NoteSignature] = {}
    unverified: list[NoteSignature] = []
    for sig in note.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.append(sig)
        elif not verifier.verify(note.text.encode(), sig.signature):
            key = f"{sig.name}+{sig.key_id:08x}"
            raise VerificationError(f"{source}: invalid signature for key {key}", remedy=_REMEDY)
        else:
            verified.setdefault((sig.name, sig.key_id), sig)
    if not verified:
        raise VerificationError(f"{source}: no signature by a known key", remedy=_REMEDY)
    return OpenedNote(note.text, tuple(verified.values()), tuple(unverified))


def _index(verifiers: Sequence[Verifier]) -> dict[tuple[str, int], Verifier]:
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_id)
        if key in known:
            raise UsageError(f"two verifier keys are named {verifier.name}+{verifier.key_id:08x}")
        known[key] = verifier
    return known


def _decode(message: str | bytes, source: str) -> str:
    """UTF-8 text with no ASCII control character but newline (signed-note §Format)."""
    if len(message) > MAX_NOTE_SIZE:
        raise InputError(source, f"malformed signed note: larger than {MAX_NOTE_SIZE} bytes")
    try:
        text = message.decode("utf-8") if isinstance(message, bytes) else message
        text.encode("utf-8")  # a str may hold lone surrogates
    except UnicodeError:
        raise InputError(source, "malformed signed note: not UTF-8") from None
    bad = next((i for i, c in enumerate(text) if c < " " and c != "\n"), None)
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        raise InputError(f"{source}:{line}", "malformed signed note: control character")
    return text


def _parse_signature(line: str, number: int, source: str) -> NoteSignature:
    name, _, encoded = line.removeprefix(_SIG_PREFIX).partition(" ")
    blob = strict_b64decode(encoded)
    if not line.startswith(_SIG_PREFIX) or blob is None or len(blob) < 5:
        raise InputError(source, f"malformed signature line {number + 1}")
    try:
        check_key_name(name)
    except InputError:
        raise InputError(source, f"malformed key name in signature line {number + 1}") from None
    return NoteSignature(name, int.from_bytes(blob[:4], "big"), blob[4:])


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise UsageError("a note text must end with a newline")
    _decode(text, "note text")
