"""Commands that only read never create a store or keys, and work on a store they cannot write."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
PROD, LIVE = str(SHOP / "production"), str(SHOP / "live" / "production.yaml")
READERS = [
    ["ledger", "verify"],
    ["ledger", "vkey"],
    ["evidence", "verify", "sha256:" + "0" * 64],
    ["show", "shop"],
    ["at", "2026-12-01T00:00:00Z", "--estate", "shop"],
    ["timeline", "--estate", "shop"],
    ["history", "shop"],
    ["estates"],
    ["cost", "shop"],
    ["cost", "shop", "--changes", "1..2"],
    ["cost", "shop", "--plan", PROD],
    ["evidence", "list"],
    ["keys", "show"],
    # these write to a store (a signed checkpoint, a tombstone) but never create one
    ["ledger", "checkpoint"],
    ["ledger", "prove", "0"],
    ["ledger", "export", "--tiles", "tiles"],
    ["ledger", "erase", "sha256:" + "0" * 64, "--reason", "test"],
]


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


def _config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"])


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:3]))
def test_a_reader_on_a_missing_sqlite_store_creates_nothing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(*command, "--store", str(tmp_path / "none"))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: there is no store at {tmp_path / 'none' / 'store.db'}")
    assert "0 entries" not in result.output and "verified" not in result.output
    assert list(tmp_path.iterdir()) == []  # no store, key file (STATEWARD_KEY_FILE) or tiles
    assert list(_config().iterdir()) == []


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:3]))
def test_a_reader_on_an_empty_postgresql_database_creates_nothing(
    command: list[str], pg_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(*command, "--store", pg_store)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: there is no store at postgresql://")
    with psycopg.connect(pg_store) as conn:
        tables = conn.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
    assert list(_config().iterdir()) == []


def test_the_default_store_is_not_created_by_a_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STATEWARD_STORE", raising=False)
    assert _run("ledger", "verify").exit_code == 3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["drift", "parity"])
def test_two_files_compare_without_any_store(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STATEWARD_STORE", raising=False)
    result = _run(command, PROD, LIVE, "--json")
    assert result.exit_code == 1, result.output  # the shop's live state drifted
    assert "secret" in result.stdout  # secrets digested under one key for both sides
    assert list(tmp_path.iterdir()) == [] and list(_config().iterdir()) == []


def test_a_path_against_a_stored_estate_uses_the_stores_key(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert _run("scan", PROD, "--estate", "prod", "--store", store).exit_code == 0
    assert _run("drift", "prod", PROD, "--store", store).exit_code == 0


def test_an_unknown_side_without_a_store_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("drift", "nowhere", PROD, "--store", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "'nowhere' is neither a path nor a recorded estate. There is no store at" in (
        result.stderr
    )
    assert not (tmp_path / "none").exists()


def _filled(location: str) -> None:
    for source in (PROD, LIVE):
        assert _run("scan", source, "--estate", "shop", "--store", location).exit_code == 0
    assert _run("ledger", "checkpoint", "--store", location).exit_code == 0


def test_a_store_on_a_read_only_file_system_can_be_read_and_verified(tmp_path: Path) -> None:
    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-rm", "true"], check=False).returncode
    ):
        pytest.skip("needs user and mount namespaces (unshare -rm) for a read-only bind mount")
    location = str(tmp_path / "s")
    stateward, at = Path(sys.executable).parent / "stateward", f"--store {location}"
    for command in (
        f"scan {PROD} --estate shop",
        f"scan {LIVE} --estate shop",
        "ledger checkpoint",
    ):
        subprocess.run(f"{stateward} {command} {at}", shell=True, check=True, capture_output=True)
    # each process closed it cleanly: no -wal or -shm file a reader could lean on
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["store.db"]
    script = (
        f"mount --bind {location} {location} && mount -o remount,bind,ro {location} && "
        f"! touch {location}/probe 2>/dev/null && "
        f"{stateward} ledger verify {at} && {stateward} history shop {at} && "
        f"{stateward} timeline --estate shop {at} && {stateward} show shop {at}"
    )
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stdout and "observation #2" in done.stdout
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["store.db"]


def test_a_read_only_postgresql_session_can_read_and_verify(pg_store: str) -> None:
    _filled(pg_store)
    read_only = pg_store + "?options=-c%20default_transaction_read_only%3Don"
    for command in (["ledger", "verify"], ["history", "shop"], ["timeline", "--estate", "shop"]):
        result = _run(*command, "--store", read_only)
        assert result.exit_code == 0, result.output
    assert _run("scan", PROD, "--estate", "shop", "--store", read_only).exit_code == 3


def test_without_its_secret_key_a_store_is_still_read_but_nothing_new_is_digested(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "s")
    assert _run("scan", PROD, "--estate", "prod", "--store", store).exit_code == 0
    shown = json.loads(_run("keys", "show", "--store", store, "--json").stdout)
    Path(shown["secret_key_file"]).unlink()
    assert _run("show", "prod", "--store", store).exit_code == 0
    assert _run("ledger", "verify", "--store", store).exit_code == 0
    assert _run("drift", "prod", "prod", "--store", store).exit_code == 0  # both stored
    result = _run("drift", "prod", PROD, "--store", store)
    assert result.exit_code == 3
    assert "secret key" in result.stderr and "is missing" in result.stderr
    assert not Path(shown["secret_key_file"]).exists()
