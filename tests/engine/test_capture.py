"""Evidence capture against the real engine: artefacts, seal, verification, faults, secrets.
Artefacts are encrypted to a test responder's age key unless a test says otherwise."""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import pytest

from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.forensics.capture import UNSEALED, CaptureOptions, capture
from stateward.forensics.evidence import FORMAT, Sealed, export, open_artefact, verify
from stateward.forensics.exported import TarObjects
from stateward.forensics.sealing import AGE_FORMAT
from stateward.ledger.signer import Ed25519Signer
from stateward.model.canonical import digest_bytes
from stateward.sources.engine.client import Engine, connect
from stateward.sources.engine.layer import Budget
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


@dataclass(frozen=True)
class Sealing:
    """Captures into the test store, sealed to the test responder's key, and reads them back."""

    engine: Engine
    store: Store
    signer: Ed25519Signer
    key: AgeKey

    def capture(self, ident: str, **options: Any) -> Sealed:
        sealed_to = CaptureOptions(recipients=self.key.recipients, **options)
        return _capture(self.engine, self.store, self.signer, ident, options=sealed_to)

    def plain(self, artefact: dict[str, Any]) -> bytes:
        return open_artefact(self.store, artefact, self.key.identities)


@pytest.fixture
def sealing(connected: Engine, store: Store, signer: Ed25519Signer, age_key: AgeKey) -> Sealing:
    return Sealing(connected, store, signer, age_key)


def _capture(engine: Engine, store: Store, signer: Ed25519Signer, ident: str, **kw: Any) -> Sealed:
    return capture(engine, ident, store=store, signer=signer, keeper=store.keeper, **kw)


def _artefacts(sealed: Sealed) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in sealed.manifest["artefacts"]}


def test_running_container_is_sealed_with_every_artefact_in_volatility_order(
    sealing: Sealing, make_container: Make
) -> None:
    script = "printf evidence > /tmp/dropped; echo to-stdout; echo to-stderr >&2; exec sleep 300"
    box = make_container("capture", ["sh", "-c", script], wait=False)
    _wait_for_file(sealing.engine, box.id, "/tmp/dropped")
    sealed = sealing.capture(box.name)
    manifest = verify(sealing.store, sealed.address, sealing.signer.verifier()).manifest
    assert manifest == sealed.manifest
    assert manifest["encryption"] == {"format": AGE_FORMAT, "recipients": [sealing.key.public]}
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
    assert sealing.plain(art["file:/tmp/dropped"]) == b"evidence"
    assert b"sleep" in sealing.plain(art["processes"])
    assert b"to-stdout" in sealing.plain(art["stdout"])
    assert b"to-stderr" in sealing.plain(art["stderr"])
    assert all(a["outcome"] == "collected" and a["reason"] == "" for a in art.values())
    for artefact in art.values():  # stored as ciphertext, with digests of both forms
        stored = sealing.store.get_object(artefact["address"])
        assert stored.startswith(b"age-encryption.org/v1\n")
        assert artefact["size"] == len(stored) and artefact["encryption"] == AGE_FORMAT
        assert artefact["plaintext"]["size"] == len(sealing.plain(artefact))
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


def test_binary_logs_are_kept_byte_for_byte(sealing: Sealing, make_container: Make) -> None:
    box = make_container("binlog", ["sh", "-c", "printf 'a\\377\\000\\001b\\n'"])
    art = _artefacts(sealing.capture(box.id))
    assert b"a\xff\x00\x01b\n" in sealing.plain(art["stdout"])
    assert art["stdout"]["media_type"] == "application/octet-stream"


def test_secrets_stay_digests_in_every_stored_object(
    sealing: Sealing, make_container: Make
) -> None:
    # The shell stays (no exec) so the process table shows its --password=… argument.
    script = 'printf "$DB_PASSWORD" > /tmp/api_token; echo "$DB_PASSWORD"; sleep 300; true'
    box = make_container(
        "secret",
        ["sh", "-c", script, f"--password={CANARY}"],
        wait=False,
        environment={"DB_PASSWORD": CANARY, "MODE": "x"},
    )
    _wait_for_file(sealing.engine, box.id, "/tmp/api_token")
    sealed = sealing.capture(box.id)
    art = _artefacts(sealed)
    assert not [data for data in _every_object(sealing.store) if CANARY.encode() in data]
    processes = sealing.plain(art["processes"])
    assert f"--password={sealing.store.keeper.digest(CANARY)}".encode() in processes
    inspect = json.loads(sealing.plain(art["inspect"]))
    assert f"DB_PASSWORD={sealing.store.keeper.digest(CANARY)}" in inspect["Config"]["Env"]
    # Raw by nature: the responder reads them in full after decryption.
    assert sealing.plain(art["file:/tmp/api_token"]) == CANARY.encode()
    assert CANARY.encode() in sealing.plain(art["stdout"])


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


def test_budget_applies_to_captured_files(sealing: Sealing, make_container: Make) -> None:
    box = make_container("cbudget", ["sh", "-c", "truncate -s 1G /tmp/big; printf s > /tmp/s"])
    art = _artefacts(sealing.capture(box.id, budget=Budget(file_bytes=1024)))
    assert "file:/tmp/big" not in art
    layer = json.loads(sealing.plain(art["writable-layer"]))
    assert layer["changes"]["/tmp/big"]["skipped"].startswith("size 1073741824 bytes is over")
    assert sealing.plain(art["file:/tmp/s"]) == b"s"


def test_logs_beyond_the_byte_budget_keep_only_their_last_bytes(
    sealing: Sealing, make_container: Make
) -> None:
    # 3,000 lines of 1 kB: within --log-lines, over a 1 MiB byte budget.
    script = "yes $(head -c 1000 /dev/zero | tr '\\0' a) | head -n 3000; echo END"
    box = make_container("longlog", ["sh", "-c", script])
    art = _artefacts(sealing.capture(box.id, log_lines=5000, log_bytes=1024 * 1024))
    stdout = art["stdout"]
    assert stdout["outcome"] == "collected"
    kept = sealing.plain(stdout)
    assert len(kept) == 1024 * 1024 and kept.endswith(b" END\n")
    total = int(stdout["reason"].removeprefix("kept the last 1048576 of ").removesuffix(" bytes"))
    assert total > 3000 * 1000
    assert art["stderr"]["reason"] == ""


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
    sealing: Sealing, make_container: Make, tmp_path: Path
) -> None:
    box = make_container(
        "export",
        ["sh", "-c", 'printf one > /tmp/one; echo "$DB_PASSWORD"'],
        environment={"DB_PASSWORD": CANARY},
    )
    sealed = sealing.capture(box.id)
    out = tmp_path / "bundle.tar"
    export(sealing.store, sealed.address, out)
    assert CANARY.encode() not in out.read_bytes()  # ciphertext only
    exported = TarObjects(out)
    assert exported.address == sealed.address
    assert verify(exported, sealed.address, sealing.signer.verifier()).manifest == sealed.manifest
    assert (
        open_artefact(exported, _artefacts(sealed)["file:/tmp/one"], sealing.key.identities)
        == b"one"
    )
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify(exported, sealed.address, Ed25519Signer.generate("test.stateward").verifier())
    file_address = _artefacts(sealed)["file:/tmp/one"]["address"]
    tampered = tmp_path / "tampered.tar"
    _rewrite(out, tampered, "objects/" + file_address.removeprefix("sha256:"), b"two")
    with pytest.raises(LedgerIntegrityError, match=f"object {file_address} does not match"):
        verify(TarObjects(tampered), sealed.address, sealing.signer.verifier())


def _rewrite(src: Path, dst: Path, member: str, content: bytes) -> None:
    with tarfile.open(src) as old, tarfile.open(dst, "w") as new:
        for info in old.getmembers():
            data = old.extractfile(info)
            body = content if info.name == member else (data.read() if data else b"")
            info.size = len(body)
            new.addfile(info, io.BytesIO(body))
