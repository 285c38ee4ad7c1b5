"""Ed25519 signer and verifier keys: Go-compatible formats, strict parsing, key files."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from stateward.errors import InputError
from stateward.ledger.signer import (
    ED25519,
    Ed25519Signer,
    Ed25519Verifier,
    check_key_name,
    key_id,
    strict_b64decode,
)

from .keys import PETER_SKEY, PETER_VKEY


def test_go_private_key_gives_the_go_verifier_key() -> None:
    signer = Ed25519Signer.from_private_key_text(PETER_SKEY)
    assert signer.name == "PeterNeumann"
    assert signer.key_id == 0xC74F20A3
    assert signer.vkey() == PETER_VKEY
    assert signer.private_key_text() == PETER_SKEY
    assert Ed25519Verifier.from_vkey(PETER_VKEY).vkey() == PETER_VKEY


def test_key_id_is_the_signed_note_formula() -> None:
    public = bytes(range(32))
    digest = hashlib.sha256(b"example.com/log\n\x01" + public).digest()
    assert key_id("example.com/log", ED25519, public) == int.from_bytes(digest[:4], "big")


def _manglings(text: str) -> list[str]:
    """Go note_test.go: every proper substring and every single-character increment."""
    subs = [text[i:j] for i in range(len(text) + 1) for j in range(i + 1, len(text) + 1)]
    bumps = [text[:i] + chr(ord(text[i]) + 1) + text[i + 1 :] for i in range(len(text))]
    return [s for s in subs if s != text] + bumps


def test_every_mangled_verifier_key_is_rejected() -> None:
    for bad in _manglings(PETER_VKEY):
        with pytest.raises(InputError, match="^verifier key: "):
            Ed25519Verifier.from_vkey(bad)


def test_every_mangled_private_key_is_rejected() -> None:
    for bad in _manglings(PETER_SKEY):
        with pytest.raises(InputError, match="^private key: "):
            Ed25519Signer.from_private_key_text(bad)


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        # wrong-length key, and unknown algorithm, each with an adjusted key ID (Go note_test.go)
        ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "malformed"),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not an Ed25519"),
        ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key ID does not"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "malformed"),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed"),
    ],
)
def test_bad_verifier_keys_say_why(vkey: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Ed25519Verifier.from_vkey(vkey)


def test_signatures_verify_and_tampering_fails() -> None:
    signer = Ed25519Signer.generate("example.com/log")
    verifier = Ed25519Verifier.from_vkey(signer.vkey())
    signature = signer.sign(b"hi")
    assert verifier.verify(b"hi", signature)
    assert not verifier.verify(b"hj", signature)
    assert not verifier.verify(b"hi", bytes([signature[0] ^ 1]) + signature[1:])
    assert not verifier.verify(b"hi", signature[:-1])
    other = Ed25519Signer.generate("example.com/log").verifier()
    assert not other.verify(b"hi", signature)
    assert other.key_id != verifier.key_id


def test_create_writes_a_0600_file_and_load_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "ledger.key"
    created = Ed25519Signer.create(path, "example.com/ledger")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == created.private_key_text() + "\n"
    loaded = Ed25519Signer.load(path)
    assert loaded.vkey() == created.vkey()
    assert loaded.verifier().verify(b"x", created.sign(b"x"))


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "ledger.key"
    first = Ed25519Signer.create(path, "a")
    with pytest.raises(InputError, match="already exists; keys are never overwritten"):
        Ed25519Signer.create(path, "a")
    assert Ed25519Signer.load(path).vkey() == first.vkey()


def test_load_refuses_open_permissions_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "ledger.key"
    Ed25519Signer.create(path, "a")
    os.chmod(path, 0o644)
    with pytest.raises(InputError, match="permissions 0644 are too open") as caught:
        Ed25519Signer.load(path)
    assert "chmod 600" in caught.value.diagnostics()
    with pytest.raises(InputError, match="no such key file"):
        Ed25519Signer.load(tmp_path / "missing.key")
    with pytest.raises(InputError, match="is not a regular file"):
        Ed25519Signer.load(tmp_path)
    garbage = tmp_path / "garbage.key"
    garbage.write_bytes(b"\xff\xfePRIVATE")
    garbage.chmod(0o600)
    with pytest.raises(InputError, match="cannot read key file"):
        Ed25519Signer.load(garbage)
    garbage.write_text(PETER_VKEY)
    with pytest.raises(InputError, match="not a PRIVATE\\+KEY\\+name\\+keyid\\+key file"):
        Ed25519Signer.load(garbage)


def test_key_text_never_appears_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "ledger.key"
    path.write_text(PETER_SKEY[:-1] + "!\n")
    path.chmod(0o600)
    with pytest.raises(InputError) as caught:
        Ed25519Signer.load(path)
    assert "AYEKFALV" not in caught.value.diagnostics()


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\u00a0b", "a\tb", "a\x01b", "a\u2003"])
def test_invalid_key_names(name: str) -> None:
    with pytest.raises(InputError, match="^key name: must be non-empty"):
        check_key_name(name)


def test_wrong_public_key_length() -> None:
    with pytest.raises(InputError, match="not a 32-byte Ed25519 public key"):
        Ed25519Verifier("a", b"\x01" * 31)


@pytest.mark.parametrize("text", ["AA", "AAB=", "AB==", "A A=", "AAAA\n", "QUJD=", "é"])
def test_strict_base64_refuses_non_canonical_text(text: str) -> None:
    assert strict_b64decode(text) is None


def test_strict_base64_accepts_canonical_text() -> None:
    assert strict_b64decode("QUJD") == b"ABC"
    assert strict_b64decode("QQ==") == b"A"
    assert strict_b64decode("") == b""
