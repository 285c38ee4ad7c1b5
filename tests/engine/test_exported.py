"""Evidence exports read back within bounds, and artefacts sealed to an age key, without an
engine: bundles here are sealed by hand into a real store, as capture seals them."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stateward.cli import main
from stateward.errors import InputError, LedgerIntegrityError, StatewardError
from stateward.forensics.evidence import FORMAT, Sealed, export, open_artefact, seal, verify
from stateward.forensics.exported import TarObjects
from stateward.forensics.records import record_evidence
from stateward.forensics.sealing import (
    AGE_FORMAT,
    Recipients,
    configured_recipients,
    load_identities,
)
from stateward.model.canonical import digest_bytes
from stateward.store import Store, open_store

from .conftest import AgeKey

MIB = 1024 * 1024


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "store"))
    yield opened
    opened.close()


def _bundle(store: Store, key: AgeKey, logs: bytes, *, claimed: bytes | None = None) -> Sealed:
    """A bundle with one encrypted artefact whose manifest claims ``claimed`` (default: the
    logs) as plaintext, signed with the store's log key."""
    sealed = key.recipients.encrypt(logs)
    artefact = {
        "name": "stdout",
        "tier": 5,
        "outcome": "collected",
        "address": store.put_object(sealed),
        "size": len(sealed),
        "encryption": AGE_FORMAT,
        "plaintext": {"sha256": digest_bytes(claimed or logs), "size": len(claimed or logs)},
    }
    manifest = {"format": FORMAT, "artefacts": [artefact], "complete": True}
    return seal(store, manifest, store.ledger.signer())


def _verify_cli(store: Store, target: Path | str, *extra: str) -> Any:
    args = ["verify", str(target), "--store", str(store.location), *extra]
    return CliRunner().invoke(main, ["evidence", *args], catch_exceptions=False)


def test_an_artefact_verifies_after_decryption_and_a_wrong_claim_is_caught(
    store: Store, age_key: AgeKey, tmp_path: Path
) -> None:
    good = _bundle(store, age_key, b"log line\n")
    artefact = good.manifest["artefacts"][0]
    assert b"log line" not in store.get_object(artefact["address"])
    assert open_artefact(store, artefact, age_key.identities) == b"log line\n"
    forged = _bundle(store, age_key, b"log line\n", claimed=b"other\n")
    with pytest.raises(LedgerIntegrityError, match="'stdout': decrypted bytes differ"):
        open_artefact(store, forged.manifest["artefacts"][0], age_key.identities)
    # The store verifies without the private key: ciphertext digests only.
    assert verify(store, forged.address, store.ledger.verifier()).erased == {}
    assert (
        _verify_cli(store, forged.address, "--identity", str(age_key.identity_file)).exit_code == 3
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(logs=st.binary(min_size=1, max_size=70_000))
def test_any_artefact_decrypts_to_exactly_what_was_sealed(
    store: Store, age_key: AgeKey, logs: bytes
) -> None:
    artefact = _bundle(store, age_key, logs).manifest["artefacts"][0]
    assert open_artefact(store, artefact, age_key.identities) == logs
    assert artefact["plaintext"] == {"sha256": digest_bytes(logs), "size": len(logs)}


def test_a_key_that_is_not_a_recipient_cannot_decrypt(
    store: Store, age_key: AgeKey, tmp_path: Path
) -> None:
    other = Recipients.parse([_new_public(tmp_path)], "test")
    artefact = _bundle(store, AgeKey(age_key.identity_file, "", other, age_key.identities), b"x")
    with pytest.raises(InputError, match=r"artefact 'stdout': cannot be decrypted with the ident"):
        open_artefact(store, artefact.manifest["artefacts"][0], age_key.identities)


def test_recipients_and_identities_are_parsed_strictly(tmp_path: Path, age_key: AgeKey) -> None:
    with pytest.raises(InputError, match=r"^--recipient\[1\]: not an age X25519 recipient"):
        configured_recipients([age_key.public, "age1notakey"])
    config = tmp_path / "stateward.yaml"
    assert configured_recipients([], config) is None  # no file: no recipient
    config.write_text(f"evidence:\n  recipients: [{age_key.public}]\n")
    found = configured_recipients([], config)
    assert found is not None and found.keys == (age_key.public,)
    config.write_text("evidence:\n  recipients: age1x\n")
    with pytest.raises(InputError, match="evidence.recipients: must be a list of age1… keys"):
        configured_recipients([], config)
    config.write_text("evidence: [\n")
    with pytest.raises(InputError, match=r"stateward.yaml:2: not valid YAML"):
        configured_recipients([], config)
    bad = tmp_path / "bad.key"
    bad.write_text("# comment\n\nAGE-SECRET-KEY-1NOTAKEY-canary\n")
    bad.chmod(0o600)
    with pytest.raises(InputError, match=r"bad.key:3: not an age X25519 identity$") as refused:
        load_identities(bad)
    assert "canary" not in refused.value.diagnostics()  # a key line is never quoted
    os.mkfifo(tmp_path / "fifo.key")
    with pytest.raises(InputError, match="fifo.key: not a regular file"):
        load_identities(tmp_path / "fifo.key")
    (tmp_path / "empty.key").write_text("# nothing\n")
    (tmp_path / "empty.key").chmod(0o600)
    with pytest.raises(InputError, match="holds no age identity"):
        load_identities(tmp_path / "empty.key")


def test_a_compressed_export_verifies_and_declared_erasures_need_the_ledger(
    store: Store, age_key: AgeKey, tmp_path: Path
) -> None:
    sealed = _bundle(store, age_key, b"logs")
    plain = tmp_path / "b.tar"
    export(store, sealed.address, plain)
    for packed, compress in (("b.tar.gz", gzip.compress), ("b.tar.bz2", bz2.compress)):
        (tmp_path / packed).write_bytes(compress(plain.read_bytes()))
        objects = TarObjects(tmp_path / packed)
        assert verify(objects, sealed.address, store.ledger.verifier()).manifest == sealed.manifest
    # An export that drops the artefact and declares it erased, with no tombstone: tampering.
    address = sealed.manifest["artefacts"][0]["address"]
    forged = tmp_path / "forged.tar"
    _repack(plain, forged, drop="objects/" + address.removeprefix("sha256:"))
    _append(forged, "ERASED", json.dumps({address: 1}).encode())
    result = _verify_cli(store, forged)
    assert result.exit_code == 3
    assert result.stderr == f"Error: object {address} is missing from the export.\n"


def test_a_gzip_bomb_is_refused_with_one_clear_error(store: Store, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.tar.gz"
    _gzip_bomb(bomb, declared=256 * MIB)
    assert bomb.stat().st_size < 1 * MIB
    with pytest.raises(InputError, match=r"bomb.tar.gz: refused: more than 64 MiB once decomp"):
        TarObjects(bomb, limit=64 * MIB)
    result = _verify_cli(store, bomb, "--max-mib", "64")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bomb}: refused: more than 64 MiB once decompressed.")
    assert result.stderr.count("\n") == 1


def test_a_large_member_is_hashed_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    # 512 MiB once decompressed, under the default limit: read through, never held in memory.
    bomb = tmp_path / "big.tar.gz"
    _gzip_bomb(bomb, declared=512 * MIB)
    code, stderr, peak_kib = _run_measured(
        ["evidence", "verify", str(bomb), "--store", str(store.location)]
    )
    assert (code, stderr) == (2, f"Error: {bomb}: not an evidence export: no EVIDENCE file.\n")
    print(f"evidence verify of a 512 MiB gzip member: peak RSS {peak_kib // 1024} MiB")
    assert peak_kib < 200 * 1024


def test_a_fifo_and_dev_zero_are_refused_not_read(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="fifo: not a regular file"):
        TarObjects(fifo)
    with pytest.raises(InputError, match="/dev/zero: not a regular file"):
        TarObjects(Path("/dev/zero"))


def test_oversized_headers_and_too_many_members_are_refused(tmp_path: Path) -> None:
    pax = tmp_path / "pax.tar"
    header = tarfile.TarInfo("x")
    header.type = tarfile.XHDTYPE
    header.size = 512 * MIB
    pax.write_bytes(header.tobuf(format=tarfile.USTAR_FORMAT) + b"\0" * 1024)
    with pytest.raises(InputError, match=r"refused: a 536870912-byte tar header"):
        TarObjects(pax)
    many = tmp_path / "many.tar"
    with tarfile.open(many, "w") as tar:
        for n in range(20_001):
            tar.addfile(tarfile.TarInfo(f"f{n}"), io.BytesIO(b""))
    with pytest.raises(InputError, match="refused: more than 20000 files in the export"):
        TarObjects(many)


def test_a_bundle_whose_manifest_was_erased_is_listed_as_erased_and_verify_says_why(
    store: Store, age_key: AgeKey
) -> None:
    sealed = _bundle(store, age_key, b"logs")
    record_evidence(store, sealed, None)
    manifest = store.get_json(sealed.address)["manifest"]
    entry = store.erase_object(manifest, "test")
    runner = CliRunner()
    listed = runner.invoke(main, ["evidence", "list", "--store", str(store.location), "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert [(r["evidence"], r["complete"]) for r in json.loads(listed.stdout)] == [
        (sealed.address, "erased")
    ]
    result = _verify_cli(store, sealed.address)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: evidence {sealed.address}: its manifest was erased (ledger entry {entry}); "
        "nothing is left to verify.\n"
    )


def test_a_corrupt_compressed_export_and_two_stdout_documents_are_exit_2(
    store: Store, age_key: AgeKey, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(gzip.compress(b"x" * 10_000)[:100])
    with pytest.raises(InputError, match=r"broken.tar.gz: not an evidence export: "):
        TarObjects(broken)
    sealed = _bundle(store, age_key, b"logs")
    both = CliRunner().invoke(
        main,
        [
            "evidence",
            "show",
            sealed.address,
            "--store",
            str(store.location),
            "--artefact",
            "stdout",
            "--json",
        ],
    )
    assert both.exit_code == 2
    assert both.stderr == "Error: --artefact and -o json both write to stdout. Choose one.\n"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_damaged_export_is_refused_or_verifies_never_a_traceback(
    store: Store, age_key: AgeKey, tmp_path: Path, data: st.DataObject
) -> None:
    exported = _exported_once(store, age_key, tmp_path)
    original = exported.read_bytes()
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(damaged)))
    body = bytes(damaged[:cut])
    if data.draw(st.booleans()):
        body = gzip.compress(body)
    target = tmp_path / "damaged.tar"
    target.write_bytes(body)
    try:
        objects = TarObjects(target)
        verify(objects, objects.address, store.ledger.verifier())
    except StatewardError:
        return
    assert body in (original, gzip.compress(original)) or _same_members(body, original)


def _exported_once(store: Store, key: AgeKey, tmp_path: Path) -> Path:
    path = tmp_path / "good.tar"
    if not path.exists():
        export(store, _bundle(store, key, b"logs " * 100).address, path)
    return path


def _same_members(body: bytes, original: bytes) -> bool:
    """True when a damaged tar still holds the same files (the damage hit padding or metadata
    no check covers: mode, mtime, owner)."""

    def members(raw: bytes) -> dict[str, bytes]:
        with tarfile.open(
            fileobj=io.BytesIO(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        ) as tar:
            return {m.name: tar.extractfile(m).read() for m in tar if m.isreg()}  # type: ignore[union-attr]

    return members(body).items() >= members(original).items()


def _gzip_bomb(path: Path, declared: int) -> None:
    """A tar header declaring ``declared`` bytes, then that many zeros, as concatenated gzip
    members (RFC 1952 §2.2): a 1 MiB member of zeros compresses to about 1 KiB."""
    header = tarfile.TarInfo("objects/" + "0" * 64)
    header.size = declared
    zeros = gzip.compress(b"\0" * MIB)
    with path.open("wb") as out:
        out.write(gzip.compress(header.tobuf(format=tarfile.GNU_FORMAT)))
        for _ in range(declared // MIB):
            out.write(zeros)


def _run_measured(args: list[str]) -> tuple[int, str, int]:
    """Run the CLI in a fresh interpreter; (exit code, stderr, its peak RSS in KiB)."""
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across execve from the forking
    # (large) test process; VmHWM belongs to the new address space (proc(5)).
    probe = (
        "import re, sys\n"
        "from stateward.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "status = open('/proc/self/status').read()\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stderr, int(done.stdout.split()[-1])


def _repack(src: Path, dst: Path, *, drop: str) -> None:
    with tarfile.open(src) as old, tarfile.open(dst, "w") as new:
        for info in old.getmembers():
            if info.name != drop:
                new.addfile(info, old.extractfile(info))


def _append(path: Path, name: str, data: bytes) -> None:
    with tarfile.open(path, "a") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def _new_public(tmp_path: Path) -> str:
    from pyrage import x25519

    return str(x25519.Identity.generate().to_public())


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_an_identity_file_others_can_read_is_refused_with_the_remedy(
    age_key: AgeKey, tmp_path: Path, mode: int
) -> None:
    loose = tmp_path / "loose.key"
    loose.write_bytes(age_key.identity_file.read_bytes())
    loose.chmod(mode)
    message = rf"loose.key: permissions {mode:04o} are too open for a private key"
    with pytest.raises(InputError, match=message) as refused:
        load_identities(loose)
    assert refused.value.remedy == f"Run: chmod 600 {loose}"
    loose.chmod(0o600)
    assert load_identities(loose).source == str(loose)
