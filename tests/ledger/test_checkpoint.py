"""C2SP tlog-checkpoint: strict parsing, round trips, signatures, tampering, tlog-scales."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tlog_scales import signing, tlog

from stateward.errors import InputError, StatewardError, UsageError, VerificationError
from stateward.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from stateward.ledger.merkle import TreeSize
from stateward.ledger.signer import Ed25519Signer

ORIGIN = "example.com/stateward"
LOG = Ed25519Signer.generate(ORIGIN)
ROOT = hashlib.sha256(b"root").digest()
ROOT_B64 = base64.b64encode(ROOT).decode()
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# the same 32 bytes spelled with non-zero padding bits: 32 bytes leave 2 spare bits in the last char
ROOT_B64_PADDED = ROOT_B64[:-2] + _ALPHABET[_ALPHABET.index(ROOT_B64[-2]) ^ 1] + "="
CHECKPOINT = Checkpoint(ORIGIN, TreeSize(20852163), ROOT)
SIGNED = sign_checkpoint(CHECKPOINT, [LOG])


def test_text_layout() -> None:
    assert CHECKPOINT.text() == f"{ORIGIN}\n20852163\n{ROOT_B64}\n"
    with_ext = Checkpoint(ORIGIN, TreeSize(0), ROOT, ("ext one", "ext two"))
    assert with_ext.text() == f"{ORIGIN}\n0\n{ROOT_B64}\next one\next two\n"


def test_sign_and_open() -> None:
    assert SIGNED.startswith(CHECKPOINT.text() + "\n\u2014 " + ORIGIN + " ")
    assert open_checkpoint(SIGNED, LOG.verifier(), origin=ORIGIN) == CHECKPOINT


def test_tlog_scales_verifies_our_signed_checkpoint() -> None:
    parsed = tlog.Checkpoint.from_text(SIGNED)
    assert (parsed.origin, parsed.size, parsed.root_hash) == (ORIGIN, 20852163, ROOT)
    parsed.verify(signing.Vkey.from_string(LOG.vkey()))


def test_another_key_is_rejected() -> None:
    other = Ed25519Signer.generate(ORIGIN)  # same name, different key: an unknown key
    forged = sign_checkpoint(CHECKPOINT, [other])
    with pytest.raises(VerificationError, match="no signature by a known key"):
        open_checkpoint(forged, LOG.verifier())
    stranger = Ed25519Signer.generate("example.com/other")
    with pytest.raises(VerificationError, match="no signature by a known key"):
        open_checkpoint(sign_checkpoint(CHECKPOINT, [stranger]), LOG.verifier())


def test_the_log_key_must_sign_even_when_a_witness_did() -> None:
    witness = Ed25519Signer.generate("witness.example/w1")
    only_witness = sign_checkpoint(CHECKPOINT, [witness])
    with pytest.raises(VerificationError, match="not signed by the log key example.com/stateward"):
        open_checkpoint(only_witness, LOG.verifier(), witnesses=[witness.verifier()])
    both = sign_checkpoint(CHECKPOINT, [LOG, witness])
    assert open_checkpoint(both, LOG.verifier(), witnesses=[witness.verifier()]) == CHECKPOINT
    assert open_checkpoint(both, LOG.verifier()) == CHECKPOINT  # unknown witness ignored


def test_a_bad_signature_by_the_log_key_rejects_even_beside_a_good_one() -> None:
    good_line = SIGNED.splitlines(keepends=True)[-1]
    blob = base64.b64decode(good_line.split(" ")[2])
    bad_line = f"\u2014 {ORIGIN} {base64.b64encode(blob[:4] + bytes(64)).decode()}\n"
    with pytest.raises(VerificationError, match="invalid signature"):
        open_checkpoint(SIGNED + bad_line, LOG.verifier())


def test_wrong_origin_is_rejected() -> None:
    with pytest.raises(VerificationError, match="checkpoint is for another log"):
        open_checkpoint(SIGNED, LOG.verifier(), origin="example.com/elsewhere")


def test_every_single_byte_increment_is_rejected() -> None:
    wire = SIGNED.encode()
    for i in range(len(wire)):
        mangled = wire[:i] + bytes([(wire[i] + 1) % 256]) + wire[i + 1 :]
        with pytest.raises((InputError, VerificationError)):
            open_checkpoint(mangled, LOG.verifier())


def test_every_proper_substring_is_rejected() -> None:
    key = Ed25519Signer.generate("o")
    verifier = key.verifier()
    small = sign_checkpoint(Checkpoint("o", TreeSize(7), ROOT), [key])
    for i in range(len(small)):
        for j in range(i + 1, len(small) + 1):
            if (i, j) != (0, len(small)):
                with pytest.raises(StatewardError):
                    open_checkpoint(small[i:j], verifier)


@pytest.mark.parametrize(
    ("size", "why"),
    [
        (" 42", "decimal"),
        ("+42", "decimal"),
        ("4_2", "decimal"),
        ("042", "decimal"),
        ("\u0664\u0662", "decimal"),
        ("-1", "decimal"),
        ("", "decimal"),
        ("42 ", "decimal"),
        ("0x2a", "decimal"),
        (str(2**63), "decimal"),
        ("1" * 40, "decimal"),
    ],
)
def test_sizes_are_parsed_strictly(size: str, why: str) -> None:
    with pytest.raises(InputError, match=f"^checkpoint: malformed checkpoint: .*{why}"):
        Checkpoint.parse(f"{ORIGIN}\n{size}\n{ROOT_B64}\n")


def test_largest_size() -> None:
    assert Checkpoint.parse(f"o\n{2**63 - 1}\n{ROOT_B64}\n").size == 2**63 - 1


@pytest.mark.parametrize(
    "root",
    [
        ROOT_B64_PADDED,
        ROOT_B64[:-1],
        ROOT_B64 + "=",
        " " + ROOT_B64,
        ROOT_B64.replace("=", ""),
        base64.b64encode(ROOT[:31]).decode(),
        base64.b64encode(ROOT + b"\0").decode(),
        ROOT.hex(),
        "",
    ],
)
def test_roots_are_parsed_strictly(root: str) -> None:
    assert root != ROOT_B64
    assert base64.b64decode(ROOT_B64_PADDED) == ROOT
    with pytest.raises(InputError, match="root hash must be canonical base64 of 32 bytes"):
        Checkpoint.parse(f"{ORIGIN}\n1\n{root}\n")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (f"{ORIGIN}\n1\n{ROOT_B64}", "must end with a newline"),
        (f"{ORIGIN}\n1\n", "fewer than three lines"),
        (f"\n1\n{ROOT_B64}\n", "origin must be one non-empty line"),
        (f"{'o' * 1025}\n1\n{ROOT_B64}\n", "origin must be one non-empty line"),
        (f"{ORIGIN}\n1\n{ROOT_B64}\n\n", "extension lines must be non-empty"),
        (f"{ORIGIN}\n1\n{ROOT_B64}\next\n\n", "extension lines must be non-empty"),
        (f"{ORIGIN}\n1\n{ROOT_B64}\n" + "e\n" * 65, "more than 64 extension lines"),
        (f"{ORIGIN}\r\n1\n{ROOT_B64}\n", "origin must be one non-empty line"),
    ],
)
def test_malformed_texts(text: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        Checkpoint.parse(text)


def test_building_an_invalid_checkpoint_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid checkpoint: root hash"):
        Checkpoint(ORIGIN, TreeSize(1), ROOT[:31])
    with pytest.raises(UsageError, match="invalid checkpoint: tree size"):
        Checkpoint(ORIGIN, TreeSize(-1), ROOT)
    with pytest.raises(UsageError, match="invalid checkpoint: origin"):
        Checkpoint("a\nb", TreeSize(1), ROOT)


_line = st.text(
    st.characters(min_codepoint=0x20, blacklist_categories=("Cs",)), min_size=1, max_size=30
)
_checkpoints = st.builds(
    Checkpoint,
    _line,
    st.integers(0, 2**63 - 1).map(TreeSize),
    st.binary(min_size=32, max_size=32),
    st.lists(_line, max_size=4).map(tuple),
)


@given(_checkpoints)
def test_parse_of_text_round_trips(checkpoint: Checkpoint) -> None:
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


@given(_checkpoints)
def test_text_of_parse_is_canonical(checkpoint: Checkpoint) -> None:
    text = checkpoint.text()
    assert Checkpoint.parse(text).text() == text


@given(st.text(max_size=200))
def test_arbitrary_text_never_escapes_as_a_raw_error(text: str) -> None:
    try:
        Checkpoint.parse(text)
    except InputError:
        pass
