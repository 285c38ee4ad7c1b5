"""Evidence capture against the real engine: artefacts, seal, verification, faults, secrets.
Artefacts are encrypted to a test responder's age key unless a test says otherwise."""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import pytest

from stateward.engine.capture import UNSEALED, CaptureOptions, capture
from stateward.engine.client import Engine, connect
from stateward.engine.evidence import FORMAT, Sealed, export, open_artefact, verify
from stateward.engine.exported import TarObjects
from stateward.engine.layer import Budget
from stateward.engine.sealing import AGE_FORMAT
from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.ledger.signer import Ed25519Signer
from stateward.model.canonical import digest_bytes
from stateward.store import Store, open_store

from .conftest import AgeKey, Make

pytestmark = pytest.mark.engine
CANARY = "canary-5e1f0b"


@pytest.fixture
def connected(engine_url: str) -> Iterator[Engine]:
    engine = connect(engine_url)
    yield engine
    engine.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "store"))
    yield opened
    opened.close()


@pytest.fixture
def signer() -> Ed25519Signer:
    return Ed25519Signer.generate("test.stateward")


@pytest.fixture
def sealed_to(age_key: AgeKey) -> CaptureOptions:
    return CaptureOptions(recipients=age_key.recipients)


def _capture(engine: Engine, store: Store, signer: Ed25519Signer, ident: str, **kw: Any) -> Sealed:
    return capture(engine, ident, store=store, signer=signer, keeper=store.keeper, **kw)


def _plain(store: Store, artefact: dict[str, Any], key: AgeKey) -> bytes:
    return open_artefact(store, artefact, key.identities)


def _artefacts(sealed: Sealed) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in sealed.manifest["artefacts"]}


def test_running_container_is_sealed_with_every_artefact_in_volatility_order(
    connected: Engine,
    store: Store,
    signer: Ed25519Signer,
    make_container: Make,
    age_key: AgeKey,
    sealed_to: CaptureOptions,
) -> None:
    script = "printf evidence > /tmp/dropped; echo to-stdout; echo to-stderr >&2; exec sleep 300"
    box = make_container("capture", ["sh", "-c", script], wait=False)
    _wait_for_file(connected, box.id, "/tmp/dropped")
    sealed = _capture(connected, store, signer, box.name, options=sealed_to)
    manifest = verify(store, sealed.address, signer.verifier()).manifest
    assert manifest == sealed.manifest
    assert manifest["encryption"] == {"format": AGE_FORMAT, "recipients": [age_key.public]}
    assert manifest["format"] == FORMAT and manifest["complete"] is True
    assert manifest["subject"]["container"] == box.id
    assert manifest["trigger"] == {"kind": "manual"}
    names = [a["name"] for a in manifest["artefacts"]]
    assert names == [
        "processes", "network", "writable-layer", "file:/tmp/dropped", "stdout", "stderr", "inspect"
    ]  # fmt: skip
    tiers = [a["tier"] for a in manifest["artefacts"]]
    assert tiers == sorted(tiers) and tiers[0] == 2 and tiers[-1] == 6
    art = _artefacts(sealed)
    assert _plain(store, art["file:/tmp/dropped"], age_key) == b"evidence"
    assert b"sleep" in _plain(store, art["processes"], age_key)
    assert b"to-stdout" in _plain(store, art["stdout"], age_key)
    assert b"to-stderr" in _plain(store, art["stderr"], age_key)
    assert all(a["outcome"] == "collected" and a["reason"] == "" for a in art.values())
    for artefact in art.values():  # stored as ciphertext, with digests of both forms
        stored = store.get_object(artefact["address"])
        assert stored.startswith(b"age-encryption.org/v1\n")
        assert artefact["size"] == len(stored) and artefact["encryption"] == AGE_FORMAT
        assert artefact["plaintext"]["size"] == len(_plain(store, artefact, age_key))
    assert all(a["started"].endswith("Z") for a in art.values())


def _wait_for_file(engine: Engine, ident: str, path: str) -> None:
    for _ in range(100):
        if any(c["Path"] == path for c in engine.api.diff(ident) or []):
            return
        time.sleep(0.05)
    pytest.fail(f"{path} never appeared in the writable layer")


def test_stopped_container_is_sealed_with_processes_skipped(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    box = make_container("stopped", ["sh", "-c", "echo bye; exit 7"])
    sealed = _capture(connected, store, signer, box.id, trigger={"kind": "event", "event": "die"})
    art = _artefacts(sealed)
    assert art["processes"]["outcome"] == "skipped"
    assert art["processes"]["reason"] == "the container is not running"
    assert "address" not in art["processes"]
    assert sealed.manifest["complete"] is True
    assert sealed.manifest["subject"]["state"] == {"status": "exited", "exit_code": 7}
    assert sealed.manifest["trigger"] == {"kind": "event", "event": "die"}


def test_binary_logs_are_kept_byte_for_byte(
    connected: Engine,
    store: Store,
    signer: Ed25519Signer,
    make_container: Make,
    age_key: AgeKey,
    sealed_to: CaptureOptions,
) -> None:
    box = make_container("binlog", ["sh", "-c", "printf 'a\\377\\000\\001b\\n'"])
    art = _artefacts(_capture(connected, store, signer, box.id, options=sealed_to))
    assert b"a\xff\x00\x01b\n" in _plain(store, art["stdout"], age_key)
    assert art["stdout"]["media_type"] == "application/octet-stream"


def test_secrets_stay_digests_in_every_stored_object(
    connected: Engine,
    store: Store,
    signer: Ed25519Signer,
    make_container: Make,
    age_key: AgeKey,
    sealed_to: CaptureOptions,
) -> None:
    # The shell stays (no exec) so the process table shows its --password=… argument.
    script = 'printf "$DB_PASSWORD" > /tmp/api_token; echo "$DB_PASSWORD"; sleep 300; true'
    box = make_container(
        "secret",
        ["sh", "-c", script, f"--password={CANARY}"],
        wait=False,
        environment={"DB_PASSWORD": CANARY, "MODE": "x"},
    )
    _wait_for_file(connected, box.id, "/tmp/api_token")
    sealed = _capture(connected, store, signer, box.id, options=sealed_to)
    art = _artefacts(sealed)
    assert not [data for data in _every_object(store) if CANARY.encode() in data]
    processes = _plain(store, art["processes"], age_key)
    assert f"--password={store.keeper.digest(CANARY)}".encode() in processes
    inspect = json.loads(_plain(store, art["inspect"], age_key))
    assert f"DB_PASSWORD={store.keeper.digest(CANARY)}" in inspect["Config"]["Env"]
    # Raw by nature: the responder reads them in full after decryption.
    assert _plain(store, art["file:/tmp/api_token"], age_key) == CANARY.encode()
    assert CANARY.encode() in _plain(store, art["stdout"], age_key)


def test_without_a_recipient_logs_and_changed_files_are_kept_as_digests_only(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    script = 'printf "$DB_PASSWORD" > /tmp/notes; echo "$DB_PASSWORD"'
    box = make_container(
        "unsealed",
        ["sh", "-c", script, f"--password={CANARY}"],
        environment={"DB_PASSWORD": CANARY},
    )
    sealed = _capture(connected, store, signer, box.id)
    assert sealed.manifest["encryption"] == {"format": None, "note": UNSEALED}
    art = _artefacts(sealed)
    for name in ("file:/tmp/notes", "stdout", "stderr"):
        assert art[name]["outcome"] == "withheld", name
        assert art[name]["reason"] == "no recipient configured: digest only"
        assert "address" not in art[name]
    assert art["file:/tmp/notes"]["plaintext"] == {
        "sha256": digest_bytes(CANARY.encode()),
        "size": len(CANARY),
    }
    assert store.get_json(art["inspect"]["address"])["Id"] == box.id  # redacted: kept readable
    assert not [data for data in _every_object(store) if CANARY.encode() in data]
    verify(store, sealed.address, signer.verifier())


def _every_object(store: Store) -> list[bytes]:
    """Every object in the store, decompressed (the table's rows, not only the manifest's)."""
    rows = store.db.read_only(lambda c: c.execute("SELECT digest FROM objects"))
    return list(store.get_objects(str(r[0]) for r in rows).values())


def test_budget_applies_to_captured_files(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make, age_key: AgeKey
) -> None:
    box = make_container("cbudget", ["sh", "-c", "truncate -s 1G /tmp/big; printf s > /tmp/s"])
    options = CaptureOptions(budget=Budget(file_bytes=1024), recipients=age_key.recipients)
    art = _artefacts(_capture(connected, store, signer, box.id, options=options))
    assert "file:/tmp/big" not in art
    layer = json.loads(_plain(store, art["writable-layer"], age_key))
    assert layer["changes"]["/tmp/big"]["skipped"].startswith("size 1073741824 bytes is over")
    assert _plain(store, art["file:/tmp/s"], age_key) == b"s"


def test_container_removed_during_capture_still_gives_a_sealed_incomplete_bundle(
    connected: Engine,
    engine: docker.DockerClient,
    store: Store,
    signer: Ed25519Signer,
    make_container: Make,
) -> None:
    box = make_container("vanish", ["sh", "-c", "echo x > /tmp/x"])
    calls = 0

    def clock() -> datetime:
        # The clock is read at the start of every step: the third read removes the container,
        # so the first step succeeds and the later ones meet a vanished container.
        nonlocal calls
        calls += 1
        if calls == 3:
            engine.containers.get(box.id).remove(force=True)
        return datetime.now(UTC)

    sealed = _capture(connected, store, signer, box.id, clock=clock)
    art = _artefacts(sealed)
    assert sealed.manifest["complete"] is False
    assert art["inspect"]["outcome"] == "collected"  # taken at the start, stored last
    failed = {n for n, a in art.items() if a["outcome"] == "failed"}
    assert {"writable-layer", "stdout", "stderr"} <= failed
    assert {art[n]["reason"] for n in failed} == {"the container was removed during capture"}
    verify(store, sealed.address, signer.verifier())


def test_missing_container_is_one_clear_error(
    connected: Engine, store: Store, signer: Ed25519Signer
) -> None:
    with pytest.raises(InputError, match=r"#no-such-box: no such container$"):
        _capture(connected, store, signer, "no-such-box")


def test_export_verifies_away_from_the_store_and_tampering_is_caught(
    connected: Engine,
    store: Store,
    signer: Ed25519Signer,
    make_container: Make,
    tmp_path: Path,
    age_key: AgeKey,
    sealed_to: CaptureOptions,
) -> None:
    box = make_container(
        "export",
        ["sh", "-c", 'printf one > /tmp/one; echo "$DB_PASSWORD"'],
        environment={"DB_PASSWORD": CANARY},
    )
    sealed = _capture(connected, store, signer, box.id, options=sealed_to)
    out = tmp_path / "bundle.tar"
    export(store, sealed.address, out)
    assert CANARY.encode() not in out.read_bytes()  # ciphertext only
    exported = TarObjects(out)
    assert exported.address == sealed.address
    assert verify(exported, sealed.address, signer.verifier()).manifest == sealed.manifest
    assert (
        open_artefact(exported, _artefacts(sealed)["file:/tmp/one"], age_key.identities) == b"one"
    )
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify(exported, sealed.address, Ed25519Signer.generate("test.stateward").verifier())
    file_address = _artefacts(sealed)["file:/tmp/one"]["address"]
    tampered = tmp_path / "tampered.tar"
    _rewrite(out, tampered, "objects/" + file_address.removeprefix("sha256:"), b"two")
    with pytest.raises(LedgerIntegrityError, match=f"object {file_address} does not match"):
        verify(TarObjects(tampered), sealed.address, signer.verifier())


def _rewrite(src: Path, dst: Path, member: str, content: bytes) -> None:
    with tarfile.open(src) as old, tarfile.open(dst, "w") as new:
        for info in old.getmembers():
            data = old.extractfile(info)
            body = content if info.name == member else (data.read() if data else b"")
            info.size = len(body)
            new.addfile(info, io.BytesIO(body))
