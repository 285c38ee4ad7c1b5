"""Damage found by hand on stores built from the shop example, each now exit 3 naming the place.

A deleted observation row, edited observation fields, an edited log origin or verifier key, a
flipped byte in an index of the SQLite file, a file SQLite calls malformed, text that is not
UTF-8; and the engine's own index check on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from stateward.cli import main
from stateward.store import open_store, rotate_key
from stateward.store.integrity import verify_store

from .sample import build_sample
from .test_tamper import raw


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _error_line(result: Result) -> str:
    """The one ``Error:`` line a failing command prints, checked to be the only one and to come
    with no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def _edit(location: str, sql: str, *params: object) -> None:
    with raw(location) as db:
        db.execute(sql, tuple(params))


@pytest.fixture
def sample(store_location: str) -> str:
    build_sample(store_location)
    return store_location


def test_a_deleted_observation_row_is_named(sample: str) -> None:
    _edit(sample, "DELETE FROM observations WHERE id = 1")
    result = _run("ledger", "verify", "--store", sample)
    assert result.exit_code == 3
    assert _error_line(result).startswith(
        "Error: ledger verification failed: entry 0: the observation it logs has no row in "
        "observations"
    )


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("depth", 5, "entry 1: observation #2 does not match the entry that logged it (depth)"),
        ("summary", '{"sources": [], "resources": 1}', "entry 1: observation #2 does not match"),
        (
            "summary",
            "not json",
            "entry 1: observation #2 does not match the entry that logged it (summary)",
        ),
        ("id", 0, "entry 1: observation #0 does not match the entry that logged it (id)"),
    ],
)
def test_an_edited_observation_field_is_named(
    sample: str, column: str, value: object, expected: str
) -> None:
    _edit(sample, f"UPDATE observations SET {column} = ? WHERE id = 2", value)
    problems = [p.text() for p in verify_store(open_store(sample)).problems]
    assert problems[0].startswith(expected), problems


@pytest.mark.parametrize(
    ("column", "value"), [("complete", 0), ("summary", None)], ids=["complete", "sources"]
)
def test_an_edited_flag_or_source_list_is_named(sample: str, column: str, value: object) -> None:
    if value is None:  # the same counts, another source
        (summary,) = [r[0] for r in _rows(sample, "SELECT summary FROM observations WHERE id = 2")]
        assert isinstance(summary, str) and "production" in summary
        value = summary.replace("production", "staging")
    _edit(sample, f"UPDATE observations SET {column} = ? WHERE id = 2", value)
    problems = [p.text() for p in verify_store(open_store(sample)).problems]
    assert problems == [
        f"entry 1: observation #2 does not match the entry that logged it ({column})"
    ]


def _rows(location: str, sql: str) -> list[tuple[object, ...]]:
    with raw(location) as db:
        return db.execute(sql)


def test_an_edited_log_origin_is_named(sample: str) -> None:
    _edit(
        sample, "UPDATE ledger_log SET origin = ? WHERE id = 0", "stateward.local/0123456789abcdef"
    )
    result = _run("ledger", "verify", "--store", sample)
    assert result.exit_code == 3
    assert _error_line(result).startswith(
        "Error: ledger verification failed: ledger_log.origin 'stateward.local/0123456789abcdef' "
        "is not the name of the log's key"
    )


def test_an_edited_verifier_key_is_exit_3_in_every_ledger_command(sample: str) -> None:
    (vkey,) = [r[0] for r in _rows(sample, "SELECT vkey FROM ledger_log")]
    assert isinstance(vkey, str)
    _edit(sample, "UPDATE ledger_log SET vkey = ? WHERE id = 0", vkey[:-6] + "AAAAA=")
    verified = _run("ledger", "verify", "--store", sample)
    assert verified.exit_code == 3
    assert "ledger_log.vkey is not a verifier key" in _error_line(verified)
    shown = _run("ledger", "vkey", "--store", sample)
    assert shown.exit_code == 3
    assert "ledger_log.vkey of stateward.local/" in _error_line(shown)


def _sqlite_sample(tmp_path: Path) -> Path:
    build_sample(str(tmp_path / "store"))
    return tmp_path / "store" / "store.db"


def _flip_in_page(path: Path, table_or_index: str, at_end: int) -> None:
    """Flip one byte ``at_end`` bytes before the end of the root page of a table or index."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table_or_index,)
        ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[root * size - at_end] ^= 0x01
    path.write_bytes(data)


def test_a_flipped_byte_in_the_objects_index_is_named(tmp_path: Path) -> None:
    db = _sqlite_sample(tmp_path)
    _flip_in_page(db, "sqlite_autoindex_objects_1", 20)
    result = _run("ledger", "verify", "--store", str(db.parent))
    assert result.exit_code == 3
    line = _error_line(result)
    assert line.startswith("Error: ledger verification failed: the database is damaged: ")
    assert "index sqlite_autoindex_objects_1" in line


def test_a_malformed_database_is_exit_3_with_one_line_in_any_command(tmp_path: Path) -> None:
    db = _sqlite_sample(tmp_path)
    data = bytearray(db.read_bytes())
    with sqlite3.connect(db) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'observations'")
    conn.close()
    data[(root[0] - 1) * size] = 0xFF  # not a b-tree page type: SQLITE_CORRUPT on read
    db.write_bytes(data)
    history = _run("history", "shop", "--store", str(db.parent))
    assert history.exit_code == 3
    line = _error_line(history)
    assert line.startswith(f"Error: {db} is damaged (database disk image is malformed)")
    assert line.endswith("and restore the store from a backup.")
    verified = _run("ledger", "verify", "--store", str(db.parent))
    assert verified.exit_code == 3
    assert "the database is damaged: " in _error_line(verified)
    assert "observations" in _error_line(verified)


def test_text_that_is_not_utf8_is_exit_3_not_a_crash(tmp_path: Path) -> None:
    db = _sqlite_sample(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE observations SET summary = CAST(X'7BFF7D' AS TEXT) WHERE id = 2")
    conn.close()
    history = _run("history", "shop", "--store", str(db.parent))
    assert history.exit_code == 3
    assert "not UTF-8" in _error_line(history)
    verified = _run("ledger", "verify", "--store", str(db.parent))
    assert verified.exit_code == 3
    assert "observations cannot be checked: " in _error_line(verified)
    assert "not UTF-8" in _error_line(verified)


def test_postgresql_indexes_are_checked_by_amcheck_when_installed(pg_url: str) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    location = f"{pg_url.rpartition('/')[0]}/{name}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        build_sample(location)
        assert verify_store(open_store(location)).structure == (
            "skipped: amcheck is not installed in this database"
        )
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION amcheck")  # a superuser, once
        report = verify_store(open_store(location))
        assert report.ok, report.problems
        with psycopg.connect(location) as conn:
            indexes = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
            ).fetchone()
        assert indexes is not None and indexes[0] >= 7  # a key per table and observations'
        assert report.structure == f"amcheck bt_index_check of {indexes[0]} indexes"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_an_observation_time_spelled_with_another_offset_is_named(sample: str) -> None:
    # the same instant, but `at` compares times as text: 13:00+01:00 sorts after 12:30+00:00
    (time,) = [r[0] for r in _rows(sample, "SELECT time FROM observations WHERE id = 2")]
    assert isinstance(time, str) and time.endswith("+00:00")
    moved = datetime.fromisoformat(time).astimezone(timezone(timedelta(hours=1))).isoformat()
    _edit(sample, "UPDATE observations SET time = ? WHERE id = 2", moved)
    problems = [p.text() for p in verify_store(open_store(sample)).problems]
    assert problems == ["entry 1: observation #2 does not match the entry that logged it (time)"]


def test_secret_key_rows_agree_with_the_ledger_and_the_key_held(sample: str) -> None:
    rotate_key(sample)
    assert verify_store(open_store(sample)).ok
    _edit(sample, "DELETE FROM secret_keys WHERE generation = 0")
    problems = [p.text() for p in verify_store(open_store(sample)).problems]
    assert problems == [
        "secret_keys has no row for the store's first key",
        "secret_keys holds generations [1], not 0 to 0",
    ]
