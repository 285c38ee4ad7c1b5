"""The secret-digest key is part of a store's identity; keys live outside the database."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.changes import KEY_ROTATED, component_deltas
from stateward.api import observe
from stateward.cli import main
from stateward.config import config_home
from stateward.errors import StorageError, UsageError
from stateward.ledger.entry import Entry, EntryType
from stateward.model.secrets import SecretKeeper
from stateward.store import (
    ObservationRecord,
    key_status,
    open_database,
    open_store,
    rotate_key,
)
from stateward.store.integrity import verify_store
from stateward.store.keydoc import FIRST_KEY, ROTATION
from stateward.store.keys import Rotations, rotations

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def _scan(location: str, estate: str = "shop") -> None:
    store = open_store(location)
    store.record(observe([str(SHOP / "production")], estate=estate, keeper=store.keeper))
    store.close()


def _secret_key(location: str) -> Path:
    store = open_store(location)
    path = Path(key_status(location)["secret_key_file"])
    store.close()
    return path


def test_keys_live_in_the_config_directory_not_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    store = open_store(str(tmp_path / "s"))
    store_id = store.ledger.origin().rsplit("/", 1)[1]
    store.close()
    names = {p.name for p in (tmp_path / "s").iterdir()} - {"store.db-wal", "store.db-shm"}
    assert names == {"store.db"}
    home = config_home() / "stateward" / "keys" / store_id
    assert home.is_relative_to(os.environ["XDG_CONFIG_HOME"])
    assert sorted(p.name for p in home.iterdir()) == ["ledger.key", "secret.key"]
    assert {(home / n).stat().st_mode & 0o777 for n in ("ledger.key", "secret.key")} == {0o600}


def test_a_copied_database_does_not_carry_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    _scan(str(tmp_path / "s"))
    shutil.copytree(tmp_path / "s", tmp_path / "copy")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "another-machine"))
    with pytest.raises(StorageError, match=r"secret key .*/secret.key is missing"):
        open_store(str(tmp_path / "copy"))
    assert not (tmp_path / "another-machine").exists()  # nothing made up on the way


def test_a_deleted_key_is_refused_not_recreated(store_location: str) -> None:
    _scan(store_location)
    key = _secret_key(store_location)
    key.unlink()
    with pytest.raises(StorageError, match="secret key .* is missing") as info:
        open_store(store_location)
    assert "Restore it from your backup" in info.value.diagnostics()
    assert "stateward keys rotate" in info.value.diagnostics()
    assert not key.exists()


def test_a_different_key_is_refused(store_location: str) -> None:
    _scan(store_location)
    key = _secret_key(store_location)
    key.write_bytes(os.urandom(32))
    with pytest.raises(StorageError, match="is not the key this store was written with"):
        open_store(store_location)
    reader = open_store(store_location, read_only=True)  # history reads without the key
    assert [r.estate for r in reader.history("shop")] == ["shop"]
    with pytest.raises(StorageError, match="is not the key this store was written with"):
        reader.keeper.usable()


def test_postgresql_store_from_another_working_directory_keeps_its_key(
    pg_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    first = open_store(pg_store)
    record = first.record(observe([str(SHOP / "production")], estate="shop", keeper=first.keeper))
    first.close()
    monkeypatch.chdir(tmp_path / "b")
    again = open_store(pg_store)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=again.keeper)
    assert component_deltas(again.load(record, resources=False), seen) == []
    assert list((tmp_path / "b").iterdir()) == []
    again.close()


# The key's length is the parameter and its bytes are drawn in the test: random bytes in a
# parameter would name the test differently in each pytest-xdist worker, which refuses to run.
@pytest.mark.parametrize(
    ("size", "mode", "message"),
    [
        (32, 0o644, r"permissions 0644 are too open\. Run: chmod 600 /"),
        (32, 0o640, r"permissions 0640 are too open\. Run: chmod 600 /"),
        (0, 0o600, r"is empty: truncated or not a Stateward key\. Restore it from your backup"),
        (20, 0o600, r"is 20 bytes, not 32: truncated.* Restore it from your backup"),
    ],
)
def test_damaged_or_exposed_key_files_are_refused_with_the_remedy(
    store_location: str, size: int, mode: int, message: str
) -> None:
    _scan(store_location)
    key = _secret_key(store_location)
    key.write_bytes(os.urandom(size))
    key.chmod(mode)
    with pytest.raises(StorageError) as info:
        open_store(store_location)
    assert re.search(message, info.value.diagnostics())


def test_rotation_is_logged_and_changes_across_it_are_not_comparable(store_location: str) -> None:
    _scan(store_location)
    old_key = _secret_key(store_location)
    old_id = open_store(store_location).keeper.key_id
    previous, record = rotate_key(store_location)
    assert previous is not None and previous.key_id == old_id != record.key_id
    assert [p.name for p in old_key.parent.iterdir() if p.name.endswith(".retired")]
    store = open_store(store_location)
    assert store.keeper.key_id == record.key_id
    before = store.latest("shop")
    seen = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper)
    after = store.record(seen)
    assert before is not None and rotations(store.db).between(before, after)
    plain = component_deltas(store.load(before, resources=False), seen)
    assert plain and all(d.facets == ("secret",) or "secret" in d.facets for d in plain)
    across = component_deltas(store.load(before, resources=False), seen, key_rotated=True)
    assert {d.status for d in across} == {KEY_ROTATED}
    assert {d.component for d in across} == {d.component for d in plain}
    report = verify_store(store)
    assert report.ok and report.log.by_type.get("key") == 1
    assert record.entry is not None
    document = Entry.decode(store.ledger.prove(record.entry).entry).objects[ROTATION]
    with pytest.raises(UsageError, match="logs generation 1 of the store's secret key"):
        store.erase_object(document, "the rotation's proof stays")
    third = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    assert not rotations(store.db).between(after, third)
    assert rotations(store.db).between(before, third) and rotations(store.db).between(third, before)
    assert rotations(store.db).between(before, None) and not rotations(store.db).between(
        after, None
    )
    store.close()


def test_rotation_recovers_a_lost_key(store_location: str) -> None:
    _scan(store_location)
    _secret_key(store_location).unlink()
    _, record = rotate_key(store_location)
    assert open_store(store_location).keeper.key_id == record.key_id


@pytest.mark.parametrize("another_key_named", [False, True])
def test_a_store_made_by_an_older_version_keeps_its_key_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, another_key_named: bool
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    location = str(tmp_path / "old")
    store = open_store(location)
    record = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    key, ledger_key = Path(key_status(location)["secret_key_file"]), store.ledger.key_path
    store.close()
    # as 0.x left it: keys beside the database, no key recorded, no 0003 migration
    key.rename(tmp_path / "old" / "store.db.key")
    ledger_key.rename(tmp_path / "old" / "store.db.ledger.key")
    with sqlite3.connect(tmp_path / "old" / "store.db") as conn:
        conn.execute("DROP TABLE secret_keys")
        conn.execute("DELETE FROM _migrations WHERE name LIKE '%_key_identity'")
    if another_key_named:  # set for PostgreSQL stores; 0.x never used it for SQLite
        (tmp_path / "pg.key").write_bytes(os.urandom(32))
        (tmp_path / "pg.key").chmod(0o600)
        monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "pg.key"))
    reopened = open_store(location)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=reopened.keeper)
    assert component_deltas(reopened.load(record, resources=False), seen) == []
    assert key_status(location)["legacy_location"] is True
    assert key_status(location)["recorded_key_id"] == reopened.keeper.key_id
    reopened.ledger.checkpoint()  # the old log key still signs
    reopened.close()


def test_an_older_store_without_its_key_is_refused_not_given_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    location = str(tmp_path / "old")
    _scan(location)
    key = _secret_key(location)
    key.unlink()
    with sqlite3.connect(tmp_path / "old" / "store.db") as conn:
        conn.execute("DELETE FROM secret_keys")
    with pytest.raises(StorageError, match="holds history but records no secret key"):
        open_store(location)
    assert not key.exists()


def test_keys_cli_show_and_rotate(store_location: str) -> None:
    _scan(store_location)
    runner = CliRunner()
    shown = runner.invoke(main, ["keys", "show", "--store", store_location, "--json"])
    assert shown.exit_code == 0, shown.output
    rotated = runner.invoke(main, ["keys", "rotate", "--store", store_location])
    assert rotated.exit_code == 0, rotated.output
    assert "Secret key rotated to" in rotated.stdout
    _secret_key(store_location).write_bytes(os.urandom(32))
    bad = runner.invoke(main, ["keys", "show", "--store", store_location])
    assert bad.exit_code == 3 and "is not the recorded" in bad.stderr
    scan = runner.invoke(
        main, ["scan", str(SHOP / "production"), "--estate", "shop", "--store", store_location]
    )
    assert scan.exit_code == 3
    assert "is not the key this store was written with" in scan.stderr
    assert "Traceback" not in scan.output


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ("UPDATE secret_keys SET key_id = 'f00d' WHERE generation = 1", "generation 1 is not"),
        ("DELETE FROM secret_keys WHERE generation = 1", "1 key rotations are logged but 0"),
        (
            "INSERT INTO secret_keys (generation, key_id, entry, time) VALUES (2, 'f00d', 0, 'x')",
            "generation 2 is not the one its entry logged",
        ),
    ],
)
def test_ledger_verify_checks_the_recorded_rotations(
    store_location: str, edit: str, problem: str
) -> None:
    _scan(store_location)
    rotate_key(store_location)
    store = open_store(store_location)
    assert verify_store(store).ok
    store.db.read_write(lambda c: c.execute(edit))  # type: ignore[arg-type,return-value]
    texts = [p.text() for p in verify_store(store).problems]
    assert any(problem in t for t in texts), texts


def test_scan_and_timeline_across_a_rotation_say_not_comparable(store_location: str) -> None:
    runner = CliRunner()
    scan = ["scan", str(SHOP / "production"), "--estate", "shop", "--store", store_location]
    assert runner.invoke(main, scan).exit_code == 0
    assert runner.invoke(main, ["keys", "rotate", "--store", store_location]).exit_code == 0
    result = runner.invoke(main, [*scan, "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert changes and {c["status"] for c in changes} == {KEY_ROTATED}
    assert "changed" not in result.stderr.replace(KEY_ROTATED, "")
    timeline = runner.invoke(main, ["timeline", "--estate", "shop", "--store", store_location])
    assert timeline.exit_code == 0 and KEY_ROTATED in timeline.stdout
    assert runner.invoke(main, [*scan, "--json"]).stdout.count('"status"') == 0


def test_an_older_postgresql_store_is_read_with_its_working_directory_key(
    pg_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ran-here").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "ran-here")
    monkeypatch.setenv("STATEWARD_KEY_FILE", ".stateward/postgresql.key")  # 0.x's default
    store = open_store(pg_store)
    record = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    store.db.read_write(lambda c: c.execute("DELETE FROM secret_keys"))  # type: ignore[arg-type,return-value]
    store.close()
    monkeypatch.delenv("STATEWARD_KEY_FILE")
    reopened = open_store(pg_store)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=reopened.keeper)
    assert component_deltas(reopened.load(record, resources=False), seen) == []
    reopened.close()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.raises(StorageError, match="secret.key is missing"):
        open_store(pg_store)
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(
    "command", [["keys", "rotate"], ["keys", "show"], ["store", "export", "out.swx"]]
)
def test_key_and_export_commands_never_create_a_store(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*command, "--store", str(tmp_path / "none")])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: there is no store at")
    assert list(tmp_path.iterdir()) == []


def test_drift_and_parity_across_a_rotation_say_not_comparable(store_location: str) -> None:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, [*args, "--store", store_location])

    assert run("scan", str(SHOP / "production"), "--estate", "a").exit_code == 0
    same = run("drift", "a", str(SHOP / "production"), "--json")
    assert same.exit_code == 0 and "key_rotated" not in json.loads(same.stdout)
    assert run("keys", "rotate").exit_code == 0
    assert run("scan", str(SHOP / "production"), "--estate", "b").exit_code == 0
    for command in (["drift", "a", str(SHOP / "production")], ["parity", "a", "b"]):
        result = run(*command, "--json")
        # only secret digests differ, and those say nothing across the rotation: no drift
        assert result.exit_code == 0, (command, result.output)
        document = json.loads(result.stdout)
        assert document["key_rotated"] is True, command
        assert document.get("drifted", document.get("differs")) is False, command
        assert f"{KEY_ROTATED}: the store's secret key was rotated" in result.stderr  # a warning
        human = run(*command)
        assert "no drift" in human.stdout or "only expected differences" in human.stdout
        assert (
            f"/password changed: {KEY_ROTATED}" in human.stdout
            or "/digest changed: key rotated" in (human.stdout)
        )
        assert "hmac-sha256:" not in human.stdout  # no digest → digest shown as a change
    assert "key_rotated" not in json.loads(run("parity", "b", "b", "--json").stdout)
    real = run("drift", "a", str(SHOP / "live" / "production.yaml"), "--json")
    assert real.exit_code == 1 and json.loads(real.stdout)["drifted"] is True  # still drift


@pytest.mark.parametrize(
    ("content", "mode", "message"),
    [
        (None, 0o644, r"permissions 0644 are too open\. Run: chmod 600 /"),
        (b"PRIVATE+KEY+trunc", 0o600, r"not a PRIVATE\+KEY.* Restore it from your backup"),
    ],
)
def test_a_damaged_or_exposed_log_key_is_a_store_error(
    store_location: str, content: bytes | None, mode: int, message: str
) -> None:
    _scan(store_location)
    key = open_store(store_location).ledger.key_path
    if content is not None:
        key.write_bytes(content)
    key.chmod(mode)
    result = CliRunner().invoke(main, ["ledger", "checkpoint", "--store", store_location])
    assert result.exit_code == 3
    assert re.search(message, result.stderr), result.stderr
    verify = CliRunner().invoke(main, ["ledger", "verify", "--store", store_location])
    assert verify.exit_code == 0  # verifying needs only the registered verifier key


def test_machines_sharing_a_postgresql_store_need_its_two_keys(
    pg_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "machine-a"))
    first = open_store(pg_store)
    record = first.record(observe([str(SHOP / "production")], estate="shop", keeper=first.keeper))
    _, signed = first.ledger.checkpoint()
    store_id = first.ledger.origin().rsplit("/", 1)[1]
    first.close()

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "machine-b"))
    with pytest.raises(StorageError, match="secret.key is missing"):
        open_store(pg_store)  # a machine without the keys is refused, never given new ones
    assert not (tmp_path / "machine-b").exists()
    shutil.copytree(tmp_path / "machine-a", tmp_path / "machine-b")  # provisioned
    second = open_store(pg_store)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=second.keeper)
    assert component_deltas(second.load(record, resources=False), seen) == []
    second.record(seen)
    second.ledger.checkpoint()  # the same log key signs
    second.ledger.consistency(signed)
    assert key_status(pg_store)["secret_key_file"].endswith(f"/{store_id}/secret.key")
    second.close()


def _at(entry: int | None) -> ObservationRecord:
    return ObservationRecord(0, "e", datetime.now(UTC), "sha256:x", True, {}, entry)


@given(
    st.lists(st.integers(0, 60), unique=True).map(sorted),
    st.one_of(st.none(), st.integers(0, 60)),
    st.one_of(st.none(), st.integers(0, 60)),
)
def test_rotations_between_agrees_with_counting(
    entries: list[int], before: int | None, after: int | None
) -> None:
    # before None: an observation recorded before the ledger existed; after None: now
    low, high = sorted((-1 if before is None else before, 1 << 62 if after is None else after))
    expected = any(low < e < high for e in entries)
    later = None if after is None else _at(after)
    assert Rotations(tuple(entries)).between(_at(before), later) == expected
    assert not Rotations(tuple(entries)).between(None, later)


def _replace_key_and_record_it(location: str) -> None:
    """What someone with write access to the database and the key file could do: give the
    store another key and make generation 0's row name it (the open-time check then passes)."""
    key = Path(key_status(location)["secret_key_file"])
    key.unlink()
    new = SecretKeeper.create(key)
    db = open_database(location)
    db.read_write(
        lambda c: c.execute("UPDATE secret_keys SET key_id = ? WHERE generation = 0", (new.key_id,))
    )
    db.close()


def test_the_first_key_is_logged_by_the_first_entry_and_verified(store_location: str) -> None:
    _scan(store_location)
    store = open_store(store_location)
    first = Entry.decode(store.ledger.prove(0).entry)
    assert json.loads(store.get_object(first.objects[FIRST_KEY])) == {
        "previous": None,
        "secret_key_id": store.keeper.key_id,
    }
    rows = store.db.read_only(lambda c: c.execute("SELECT generation, entry FROM secret_keys"))
    assert [tuple(r) for r in rows] == [(0, 0)]
    assert verify_store(store).ok
    store.close()
    _replace_key_and_record_it(store_location)
    store = open_store(store_location)  # the key file and the row agree: it opens
    texts = [p.text() for p in verify_store(store).problems]
    assert texts == ["entry 0: secret key generation 0 is not the one its entry logged"]
    store.db.read_write(lambda c: c.execute("UPDATE secret_keys SET entry = NULL"))
    texts = [p.text() for p in verify_store(store).problems]
    assert texts == ["secret_keys names no entry for the logged first key"]
    store.close()
    result = CliRunner().invoke(main, ["ledger", "verify", "--store", store_location])
    assert result.exit_code == 3 and "names no entry for the logged first key" in result.stderr


def test_a_store_whose_first_key_was_never_logged_logs_it_with_its_next_entry(
    store_location: str,
) -> None:
    store = open_store(store_location)
    # as older versions appended: no first key in the entry, generation 0 naming no entry
    policy = store.put_object(b"policy")
    store.db.read_write(
        lambda c: store.ledger.append_in(
            c, [Entry(EntryType.POLICY, None, datetime.now(UTC), {"policy": policy})]
        )
    )
    assert verify_store(store).ok
    store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    rows = store.db.read_only(lambda c: c.execute("SELECT entry FROM secret_keys"))
    assert [tuple(r) for r in rows] == [(1,)]
    assert FIRST_KEY in Entry.decode(store.ledger.prove(1).entry).objects
    assert verify_store(store).ok
    store.close()


def test_the_drift_and_parity_reports_hold_the_one_verdict_across_a_rotation() -> None:
    # The analysis itself leaves out secret digests made under two keys: its report's verdict,
    # its JSON (which the server returns as it is) and the command's exit code agree.
    from stateward.analysis.drift import drift
    from stateward.analysis.parity import parity

    old, new = (
        observe([str(SHOP / "production")], estate=name, keeper=SecretKeeper(key))
        for name, key in (("a", b"o" * 32), ("b", b"n" * 32))
    )
    assert drift(old, new).drifted and parity(old, new).differs  # digests differ
    report = drift(old, new, key_rotated=True)
    assert report.result.changes and not report.drifted
    assert report.as_dict()["drifted"] is False
    paired = parity(old, new, key_rotated=True)
    assert not paired.differs and paired.as_dict()["differs"] is False
    edited = observe(
        [str(SHOP / "live" / "production.yaml")], estate="c", keeper=SecretKeeper(b"n" * 32)
    )
    assert drift(old, edited, key_rotated=True).drifted  # a real edit is still drift
