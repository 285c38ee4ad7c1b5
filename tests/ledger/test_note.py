"""C2SP signed notes: Go's published vectors, strict parsing, and the §Signatures rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import InputError, UsageError, VerificationError
from stateward.ledger.note import (
    MAX_SIGNATURES,
    Note,
    NoteSignature,
    open_note,
    parse_note,
    sign_note,
)
from stateward.ledger.signer import Ed25519Signer, Ed25519Verifier

from .keys import ENOCH_SIG, ENOCH_VKEY, PETER_SIG, PETER_SKEY, PETER_VKEY, TEXT

PETER = Ed25519Verifier.from_vkey(PETER_VKEY)
ENOCH = Ed25519Verifier.from_vkey(ENOCH_VKEY)


def test_signing_reproduces_go_output_byte_for_byte() -> None:
    signer = Ed25519Signer.from_private_key_text(PETER_SKEY)
    assert sign_note(TEXT, [signer]) == TEXT + "\n" + PETER_SIG


def test_unknown_keys_are_ignored_and_kept_apart() -> None:
    opened = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER])
    assert opened.text == TEXT
    assert [(s.name, s.key_id) for s in opened.verified] == [("PeterNeumann", 0xC74F20A3)]
    assert [(s.name, s.key_id) for s in opened.unverified] == [("EnochRoot", 0xAF0CFE78)]
    both = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER, ENOCH])
    assert [s.name for s in both.verified] == ["PeterNeumann", "EnochRoot"]
    assert both.unverified == ()


def test_a_note_without_a_known_signature_is_rejected() -> None:
    with pytest.raises(VerificationError, match="^signed note: no signature by a known key$"):
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    with pytest.raises(VerificationError, match="no signature by a known key"):
        open_note(TEXT + "\n" + ENOCH_SIG, [PETER])


def test_a_known_key_with_a_bad_signature_rejects_the_note() -> None:
    forged = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    expected = "invalid signature for key PeterNeumann\\+c74f20a3"
    with pytest.raises(VerificationError, match=expected):
        open_note(TEXT + "\n" + forged, [PETER])
    # even when another signature by the same key is good
    with pytest.raises(VerificationError, match="invalid signature"):
        open_note(TEXT + "\n" + PETER_SIG + forged, [PETER])


def test_duplicate_signatures_count_once() -> None:
    opened = open_note(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG, [PETER])
    assert len(opened.verified) == 1
    assert len(opened.unverified) == 2


def test_ambiguous_verifiers_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match="two verifier keys are named EnochRoot\\+af0cfe78"):
        open_note(TEXT + "\n" + PETER_SIG, [ENOCH, PETER, ENOCH])


def test_signature_count_is_capped() -> None:
    open_note(TEXT + "\n" + PETER_SIG * 16, [PETER])  # signed-note: MUST accept 16
    with pytest.raises(InputError, match=f"more than {MAX_SIGNATURES} signatures"):
        open_note(TEXT + "\n" + PETER_SIG * (MAX_SIGNATURES + 1), [PETER])


@pytest.mark.parametrize(
    "message",
    [  # golang/mod sumdb/note/note_test.go TestOpen "badMsgs", plus our own
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        b"\xff" + (TEXT + "\n" + PETER_SIG).encode(),
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name")[:-1],
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
        TEXT + "\n" + PETER_SIG.replace("\u2014 ", "\u2014"),
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
        TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
        TEXT + "\n" + PETER_SIG.replace("\n", " \n"),
        TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",  # fewer than 5 bytes
        TEXT + "\r\n" + PETER_SIG,
        TEXT + "\n" + PETER_SIG + "\n",
        "\ud800" + TEXT + "\n" + PETER_SIG,
    ],
)
def test_malformed_notes_are_input_errors(message: str | bytes) -> None:
    with pytest.raises(InputError, match="malformed"):
        open_note(message, [PETER])


def test_errors_name_the_source_and_line() -> None:
    with pytest.raises(InputError, match="^ckpt.txt:2: malformed signed note: control character"):
        parse_note("a\nb\x07\n\n" + PETER_SIG, source="ckpt.txt")


def test_text_may_contain_blank_lines() -> None:
    signer = Ed25519Signer.generate("example.com/a")
    text = "first\n\nthird\n\n"
    assert open_note(sign_note(text, [signer]), [signer.verifier()]).text == text


@pytest.mark.parametrize("text", ["", "no newline", "bell\x07\n"])
def test_sign_refuses_bad_text(text: str) -> None:
    signer = Ed25519Signer.generate("example.com/a")
    with pytest.raises((UsageError, InputError)):
        sign_note(text, [signer])


def test_sign_needs_a_signer() -> None:
    with pytest.raises(UsageError, match="at least one signer"):
        sign_note(TEXT, [])


_line = st.text(st.characters(min_codepoint=0x20, blacklist_categories=("Cs",)), max_size=40)
_name = st.text(
    st.characters(min_codepoint=0x21, blacklist_categories=("Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda s: "+" not in s and not any(c.isspace() for c in s))
_sig = st.builds(
    NoteSignature, _name, st.integers(0, 2**32 - 1), st.binary(min_size=1, max_size=80)
)


@given(st.lists(_line, min_size=1, max_size=6), st.lists(_sig, min_size=1, max_size=5))
def test_parse_format_round_trip(lines: list[str], signatures: list[NoteSignature]) -> None:
    note = Note("".join(f"{line}\n" for line in lines), tuple(signatures))
    wire = note.format()
    assert parse_note(wire) == note
    assert parse_note(wire).format() == wire
    assert parse_note(wire.encode()) == note


@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_input_errors(data: bytes) -> None:
    try:
        parse_note(data)
    except InputError:
        pass


@given(st.text(max_size=300))
def test_arbitrary_text_never_opens(text: str) -> None:
    with pytest.raises((InputError, VerificationError)):
        open_note(text, [PETER])
