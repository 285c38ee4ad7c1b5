"""Evidence capture against the real engine: artefacts, seal, verification, faults, secrets."""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import pytest

from stateward.engine.capture import CaptureOptions, capture
from stateward.engine.client import Engine, connect
from stateward.engine.evidence import FORMAT, Sealed, TarObjects, export, verify
from stateward.engine.layer import Budget
from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.ledger.signer import Ed25519Signer
from stateward.store import Store, open_store

from .conftest import Make

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


def _capture(engine: Engine, store: Store, signer: Ed25519Signer, ident: str, **kw: Any) -> Sealed:
    return capture(engine, ident, store=store, signer=signer, keeper=store.keeper, **kw)


def _artefacts(sealed: Sealed) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in sealed.manifest["artefacts"]}


def test_running_container_is_sealed_with_every_artefact_in_volatility_order(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    script = "printf evidence > /tmp/dropped; echo to-stdout; echo to-stderr >&2; exec sleep 300"
    box = make_container("capture", ["sh", "-c", script], wait=False)
    _wait_for_file(connected, box.id, "/tmp/dropped")
    sealed = _capture(connected, store, signer, box.name)
    manifest = verify(store, sealed.address, signer.verifier())
    assert manifest == sealed.manifest
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
    assert store.get_object(art["file:/tmp/dropped"]["address"]) == b"evidence"
    assert b"sleep" in store.get_object(art["processes"]["address"])
    assert b"to-stdout" in store.get_object(art["stdout"]["address"])
    assert b"to-stderr" in store.get_object(art["stderr"]["address"])
    assert all(a["outcome"] == "collected" and a["reason"] == "" for a in art.values())
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
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    box = make_container("binlog", ["sh", "-c", "printf 'a\\377\\000\\001b\\n'"])
    art = _artefacts(_capture(connected, store, signer, box.id))
    assert b"a\xff\x00\x01b\n" in store.get_object(art["stdout"]["address"])
    assert art["stdout"]["media_type"] == "application/octet-stream"


def test_secrets_stay_digests_in_every_stored_object(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    script = 'printf "$DB_PASSWORD" > /tmp/api_token; printf plain > /tmp/notes'
    box = make_container(
        "secret", ["sh", "-c", script], environment={"DB_PASSWORD": CANARY, "MODE": "x"}
    )
    sealed = _capture(connected, store, signer, box.id)
    art = _artefacts(sealed)
    assert art["file:/tmp/api_token"]["outcome"] == "withheld"
    assert "address" not in art["file:/tmp/api_token"]
    assert store.get_object(art["file:/tmp/notes"]["address"]) == b"plain"
    stored = [store.get_object(a["address"]) for a in art.values() if "address" in a]
    stored.append(store.get_object(sealed.address))
    assert not [data for data in stored if CANARY.encode() in data]
    inspect = store.get_json(art["inspect"]["address"])
    assert f"DB_PASSWORD={store.keeper.digest(CANARY)}" in inspect["Config"]["Env"]


def test_budget_applies_to_captured_files(
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make
) -> None:
    box = make_container("cbudget", ["sh", "-c", "truncate -s 1G /tmp/big; printf s > /tmp/s"])
    options = CaptureOptions(budget=Budget(file_bytes=1024))
    art = _artefacts(_capture(connected, store, signer, box.id, options=options))
    assert "file:/tmp/big" not in art
    layer = store.get_json(art["writable-layer"]["address"])
    assert layer["changes"]["/tmp/big"]["skipped"].startswith("size 1073741824 bytes is over")
    assert store.get_object(art["file:/tmp/s"]["address"]) == b"s"


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
    connected: Engine, store: Store, signer: Ed25519Signer, make_container: Make, tmp_path: Path
) -> None:
    box = make_container("export", ["sh", "-c", "printf one > /tmp/one"])
    sealed = _capture(connected, store, signer, box.id)
    out = tmp_path / "bundle.tar"
    export(store, sealed.address, out)
    exported = TarObjects(out)
    assert exported.address == sealed.address
    assert verify(exported, sealed.address, signer.verifier()) == sealed.manifest
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
