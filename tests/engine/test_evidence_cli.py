"""``capture``/``guard``/``evidence …`` end to end on the real engine: sealing to an age key,
decryption, erasure, safe export, and the ledger entry the guard reports."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from stateward.cli import main
from stateward.cli.evidence import capture, evidence
from stateward.cli.ledger import ledger
from stateward.forensics.records import evidence_records
from stateward.forensics.sealing import AGE_FORMAT
from stateward.store import open_store

from .conftest import AgeKey, Make
from .services import SecondService

pytestmark = pytest.mark.engine
CANARY = "canary-7d2e94"


def _run(command: click.Command, *args: str) -> Result:
    # Through ``main``, as a user runs it: a command run on its own would keep the help option
    # of that lone context (click caches it), and show it to every later test.
    return CliRunner().invoke(main, [str(command.name), *args], catch_exceptions=False)


def _engine(engine_url: str) -> str:
    return "engine://" + engine_url.removeprefix("unix://")


def _captured(engine_url: str, store: str, box: Any, *extra: str) -> dict[str, Any]:
    result = _run(
        capture, box.id, "--engine", _engine(engine_url), "--store", store, "--json", *extra
    )
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _noisy(make_container: Make) -> Any:
    """A container that puts the canary in its arguments, a log and a changed file."""
    script = 'printf "$API_TOKEN" > /tmp/token.txt; echo "token=$API_TOKEN"; echo err >&2'
    return make_container(
        "sealed",
        ["sh", "-c", script, f"--password={CANARY}"],
        environment={"API_TOKEN": CANARY},
    )


def _every_object(store: str) -> list[bytes]:
    opened = open_store(store)
    try:
        rows = opened.db.read_only(lambda c: c.execute("SELECT digest FROM objects"))
        return list(opened.get_objects(str(r[0]) for r in rows).values())
    finally:
        opened.close()


def test_recipient_from_the_config_file_seals_and_identity_decrypts(
    engine_url: str,
    make_container: Make,
    tmp_path: Path,
    age_key: AgeKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stateward.yaml").write_text(f"evidence:\n  recipients:\n    - {age_key.public}\n")
    store = str(tmp_path / "store")
    document = _captured(engine_url, store, _noisy(make_container))
    address = document["evidence"]
    assert document["manifest"]["encryption"] == {
        "format": AGE_FORMAT,
        "recipients": [age_key.public],
    }
    stored = _every_object(store)
    assert not [data for data in stored if CANARY.encode() in data]
    bundle = tmp_path / "bundle.tar"
    assert (
        _run(evidence, "export", address, "--output-file", str(bundle), "--store", store).exit_code
        == 0
    )
    assert CANARY.encode() not in bundle.read_bytes()
    with tarfile.open(bundle) as tar:  # every member, one by one: nothing in plain text
        assert not [m.name for m in tar if CANARY.encode() in tar.extractfile(m).read()]  # type: ignore[union-attr]
    key = str(age_key.identity_file)
    shown = _run(evidence, "show", address, "--store", store, "--identity", key)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.endswith(  # the process table is skipped: the container has exited
        "Decrypted 6 artefacts; each matches its sealed plaintext digest.\n"
    )
    assert f"Encrypted ({AGE_FORMAT}) to {age_key.public}." in shown.stdout
    assert CANARY not in shown.stdout + shown.stderr
    logs = _run(evidence, "show", address, "--store", store, "-i", key, "--artefact", "stdout")
    assert logs.exit_code == 0 and f"token={CANARY}".encode() in logs.stdout_bytes
    locked = _run(evidence, "show", address, "--store", store, "--artefact", "stdout")
    assert locked.exit_code == 2
    assert locked.stderr == "Error: artefact 'stdout': is encrypted. Pass --identity KEYFILE.\n"
    verified = _run(evidence, "verify", str(bundle), "--store", store, "--identity", key)
    assert verified.exit_code == 0, verified.stderr


def test_without_a_recipient_capture_says_digests_only_and_a_bad_recipient_is_exit_2(
    engine_url: str, make_container: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = str(tmp_path / "store")
    box = _noisy(make_container)
    document = _captured(engine_url, store, box)
    outcomes = {a["name"]: a["outcome"] for a in document["manifest"]["artefacts"]}
    assert outcomes["stdout"] == outcomes["file:/tmp/token.txt"] == "withheld"
    assert not [data for data in _every_object(store) if CANARY.encode() in data]
    refused = _run(
        capture, box.id, "--engine", _engine(engine_url), "--store", store, "-r", "age1nope"
    )
    assert refused.exit_code == 2
    assert refused.stderr == "Error: --recipient[0]: not an age X25519 recipient (age1…).\n"


def test_an_erased_artefact_is_reported_not_failed_and_the_rest_exports(
    engine_url: str, make_container: Make, tmp_path: Path, age_key: AgeKey
) -> None:
    store = str(tmp_path / "store")
    document = _captured(engine_url, store, _noisy(make_container), "-r", age_key.public)
    address = document["evidence"]
    stdout = next(a for a in document["manifest"]["artefacts"] if a["name"] == "stdout")
    erased = _run(
        ledger, "erase", stdout["address"], "--reason", "test", "--store", store, "--json"
    )
    assert erased.exit_code == 0, erased.stderr
    entry = json.loads(erased.stdout)["tombstone_entry"]
    note = f"Note: artefact 'stdout' was erased (ledger entry {entry}).\n"
    verified = _run(evidence, "verify", address, "--store", store)
    assert verified.exit_code == 0, verified.stderr
    assert verified.stdout == f"Evidence {address} verified: 7 artefacts.\n"
    assert verified.stderr == note
    bundle = tmp_path / "rest.tar"
    exported = _run(
        evidence, "export", address, "--output-file", str(bundle), "--store", store, "--json"
    )
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(exported.stdout)["erased"] == {"stdout": entry}
    assert exported.stderr.endswith(note)
    from_file = _run(
        evidence, "verify", str(bundle), "--store", store, "-i", str(age_key.identity_file)
    )
    assert from_file.exit_code == 0, from_file.stderr
    assert from_file.stderr.endswith(note)
    shown = _run(evidence, "show", address, "--store", store)
    assert f"erased (entry {entry})" in shown.stdout
    # A byte that differs from what was logged is still exit 3.
    flipped = tmp_path / "flipped.tar"
    _flip_last_byte_of(
        bundle, flipped, "objects/" + _artefact(document, "stderr").removeprefix("sha256:")
    )
    assert _run(evidence, "verify", str(flipped), "--store", store).exit_code == 3


def test_export_never_follows_a_planted_symlink_nor_overwrites_without_force(
    engine_url: str, make_container: Make, tmp_path: Path, age_key: AgeKey
) -> None:
    store = str(tmp_path / "store")
    address = _captured(engine_url, store, make_container("x", ["true"]), "-r", age_key.public)[
        "evidence"
    ]
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    planted = tmp_path / "out.tar"
    planted.symlink_to(victim)
    for force in ((), ("--force",)):
        result = _run(
            evidence, "export", address, "--output-file", str(planted), "--store", store, *force
        )
        assert result.exit_code == 2
        assert victim.read_bytes() == b"precious"
    existing = tmp_path / "existing.tar"
    existing.write_bytes(b"old")
    result = _run(evidence, "export", address, "--output-file", str(existing), "--store", store)
    assert result.stderr == (
        f"Error: {existing}: already exists. Choose another path, or pass --force to replace it.\n"
    )
    assert existing.read_bytes() == b"old"
    forced = _run(
        evidence, "export", address, "--output-file", str(existing), "--store", store, "--force"
    )
    assert forced.exit_code == 0 and tarfile.is_tarfile(existing)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_guard_reports_the_ledger_entry_it_logged(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    open_store(store).close()
    guard = subprocess.Popen(
        [str(Path(sys.executable).parent / "stateward"), "guard", "--engine", _engine(engine_url),
         "--store", store, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        _wait_for_line(guard.stderr, "Guarding")
        make_container("guarded", ["sh", "-c", "echo bye"])
        line = json.loads(_wait_for_line(guard.stdout, "{"))
    finally:
        guard.send_signal(signal.SIGTERM)
        _, stderr = guard.communicate(timeout=60)
    opened = open_store(store)
    try:
        (record,) = [r for r in evidence_records(opened) if r.address == line["evidence"]]
    finally:
        opened.close()
    assert line["ledger_entry"] == record.index >= 0
    assert "ledger entry -1" not in stderr


def test_guard_connects_again_to_an_engine_that_went_away(
    make_container: Make, tmp_path: Path
) -> None:
    """The engine's API goes away under `stateward guard`: the guard says so, does not end,
    connects again once the engine is back, and captures a container that dies then."""
    if shutil.which("podman") is None:
        pytest.skip("PODMAN MISSING: a second API service cannot be started")
    service = SecondService(tmp_path / "second.sock")
    service.start()
    store = str(tmp_path / "store")
    open_store(store).close()
    guard = subprocess.Popen(
        [str(Path(sys.executable).parent / "stateward"), "guard", "--engine", _engine(service.url),
         "--store", store, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        _wait_for_line(guard.stderr, "Guarding")  # said once events are followed
        before = make_container("before", ["sh", "-c", "echo bye"])  # through the shared service
        first = json.loads(_wait_for_line(guard.stdout, "{"))
        service.stop()
        _wait_for_line(guard.stderr, "The engine went away")
        assert guard.poll() is None
        service.start()
        _wait_for_line(guard.stderr, "The engine is back")
        after = make_container("after", ["sh", "-c", "echo bye"])
        second = json.loads(_wait_for_line(guard.stdout, "{"))
    finally:
        guard.send_signal(signal.SIGTERM)
        _, stderr = guard.communicate(timeout=60)
        service.stop()
    assert guard.returncode == 0, stderr
    assert [first["name"], second["name"]] == [before.name, after.name]
    assert first["evidence"] != second["evidence"]
    assert "Sealed evidence for 2 of 2 containers." in stderr


def _wait_for_line(stream: Any, start: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if line.startswith(start):
            return str(line)
        if not line:
            time.sleep(0.05)
    pytest.fail(f"no line starting {start!r} within {timeout} s")


def _artefact(document: dict[str, Any], name: str) -> str:
    return str(next(a for a in document["manifest"]["artefacts"] if a["name"] == name)["address"])


def _flip_last_byte_of(src: Path, dst: Path, member: str) -> None:
    with tarfile.open(src) as old, tarfile.open(dst, "w") as new:
        for info in old.getmembers():
            body = old.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                body = body[:-1] + bytes([body[-1] ^ 1])
            new.addfile(info, io.BytesIO(body))
