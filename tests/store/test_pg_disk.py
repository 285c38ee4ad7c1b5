"""A real PostgreSQL server's full disk and a corrupted index page: one clear line, exit 3 where
integrity is concerned, and nothing recorded lost.

Both use a tablespace of their own on a small tmpfs (``mount -t tmpfs`` needs root or
CAP_SYS_ADMIN; the tests are skipped loudly where mounting is not permitted), owned by the
server's own user and dropped afterwards, so the server's data directory and WAL never fill.
The corruption is written into the index's relation file of a throwaway database, after the
database was moved to that tablespace (``ALTER DATABASE … SET TABLESPACE`` drops its pages
from shared buffers, https://www.postgresql.org/docs/15/sql-alterdatabase.html), so the server
reads the damaged page from disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from .conftest import fresh_database
from .test_full_disk import large_source

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
STATEWARD = str(Path(sys.executable).with_name("stateward"))
PAGE = 8192  # PostgreSQL's default block size (BLCKSZ)


@dataclass(frozen=True)
class Tablespace:
    name: str
    mount: Path


@pytest.fixture
def tablespace(pg_url: str) -> Iterator[Tablespace]:
    """A 16 MiB tmpfs the server owns, registered as a tablespace."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    owner = os.stat(row[0])
    mount = Path(tempfile.mkdtemp(prefix="sw-pg-ts-"))  # under /tmp: the server can reach it
    options = f"size=16m,mode=0700,uid={owner.st_uid},gid={owner.st_gid}"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        mount.rmdir()
        pytest.skip(f"MOUNT NOT PERMITTED: cannot mount a tmpfs: {done.stderr.strip()}")
    name = f"sw_ts_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"CREATE TABLESPACE {name} LOCATION '{mount}'")
        yield Tablespace(name, mount)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP TABLESPACE IF EXISTS {name}")
        subprocess.run(["umount", "-l", str(mount)], check=True)
        mount.rmdir()


@pytest.fixture
def database(pg_url: str) -> Iterator[str]:
    """A throwaway database (asked for after ``tablespace``, so it is dropped before it)."""
    yield from fresh_database(pg_url)


def _stateward(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STATEWARD, *args], capture_output=True, text=True, check=False, timeout=180
    )


def _admin(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _fill(tablespace: Tablespace) -> Path:
    """A file filling the tablespace's disk but for a few pages: not enough for a large scan."""
    stat = os.statvfs(tablespace.mount)
    filler = tablespace.mount / "filler"
    filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 16 * PAGE))
    return filler


def _one_full_disk_line(failed: subprocess.CompletedProcess[str], start: str) -> None:
    assert failed.returncode == 3, failed.stderr
    assert failed.stdout == "" and "Traceback" not in failed.stderr
    lines = failed.stderr.splitlines()
    assert len(lines) == 1, failed.stderr
    assert lines[0].startswith(start), lines[0]
    assert lines[0].endswith("Free space there and run the command again; nothing of this "
                             "command was recorded.")  # fmt: skip


def _nothing_lost(database: str) -> None:
    verified = _stateward("ledger", "verify", "--store", database, "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["entries_by_type"] == {"observation": 1}
    history = _stateward("history", "shop", "--store", database, "--json")
    assert history.returncode == 0 and len(json.loads(history.stdout)) == 1


def _scanned_once(database: str, tablespace: Tablespace, pg_url: str) -> None:
    _admin(pg_url, f"ALTER DATABASE {database.rsplit('/', 1)[1]} SET TABLESPACE {tablespace.name}")
    first = _stateward("scan", str(SHOP / "production"), "--estate", "shop", "--store", database)
    assert first.returncode == 0, first.stderr


def test_a_full_server_disk_is_one_line_and_loses_nothing(
    pg_url: str, tablespace: Tablespace, database: str, tmp_path: Path
) -> None:
    _scanned_once(database, tablespace, pg_url)
    # A backend that finds the relation-cache init file stale (a vacuum of the catalogs, by
    # autovacuum too, makes it so) writes it anew at connection, and fails FATAL on a full disk
    # (relcache.c write_item) before the scan writes anything. Vacuumed now, so that autovacuum
    # has no reason to meanwhile, then connected to anew, the file is current when the disk fills.
    _admin(database, "VACUUM ANALYZE")
    _admin(database, "SELECT 1")
    filler = _fill(tablespace)
    failed = _stateward(
        "scan", str(large_source(tmp_path)), "--estate", "shop", "--store", database, "--json"
    )
    _one_full_disk_line(
        failed, f"Error: {database}: the server's disk is full (could not extend file"
    )
    filler.unlink()
    _nothing_lost(database)


def test_a_server_refusing_connections_on_a_full_disk_says_so_and_loses_nothing(
    pg_url: str, tablespace: Tablespace, database: str, tmp_path: Path
) -> None:
    """The case the test above steers clear of: the catalogs vacuumed and no connection made
    since, the next backend rewrites its relation-cache init file as it starts, on the full
    disk. The answer names the full disk, not the addresses and passwords a refused connection
    is usually about."""
    _scanned_once(database, tablespace, pg_url)
    _admin(database, "VACUUM ANALYZE")
    filler = _fill(tablespace)
    failed = _stateward(
        "scan", str(large_source(tmp_path)), "--estate", "shop", "--store", database, "--json"
    )
    _one_full_disk_line(
        failed,
        f"Error: cannot connect to {database}: the server could not write as the connection "
        "started, most likely because its disk is full (connection failed:",
    )
    assert "FATAL:  could not write init file" in failed.stderr
    filler.unlink()
    _nothing_lost(database)


def test_a_refusal_at_connection_start_carries_no_sqlstate(pg_url: str) -> None:
    """Why store.database._unconnected reads the message's text: psycopg gives no SQLSTATE for
    a FATAL the server sends as the connection starts (here 3D000, no such database). Should it
    come to, this fails, and the refusal can be matched by its code instead."""
    base, _, _ = pg_url.rpartition("/")
    with pytest.raises(psycopg.OperationalError, match="FATAL") as refused:
        psycopg.connect(f"{base}/sw_no_such_{uuid.uuid4().hex[:8]}", connect_timeout=10)
    assert refused.value.sqlstate is None
    assert refused.value.diag.sqlstate is None
    assert refused.value.pgresult is None


def test_a_corrupted_index_page_is_exit_3_naming_it_and_reindexing_restores_all(
    pg_url: str, tablespace: Tablespace, database: str
) -> None:
    for source in (SHOP / "production", SHOP / "live" / "production.yaml"):
        done = _stateward("scan", str(source), "--estate", "shop", "--store", database)
        assert done.returncode == 0, done.stderr
    name = database.rsplit("/", 1)[1]
    _admin(database, "CREATE EXTENSION IF NOT EXISTS amcheck")
    _admin(pg_url, f"ALTER DATABASE {name} SET TABLESPACE {tablespace.name}")
    with psycopg.connect(database, autocommit=True) as conn:
        row = conn.execute("SELECT pg_relation_filepath('objects_pkey')").fetchone()
    assert row is not None and row[0].startswith("pg_tblspc/")
    # pg_tblspc/<oid>/<version dir>/<database oid>/<file node>, inside the tablespace
    relation = tablespace.mount.joinpath(*Path(row[0]).parts[2:])
    assert relation.stat().st_size >= 2 * PAGE  # a metapage, then the root leaf
    with relation.open("r+b") as page:
        page.seek(PAGE)
        page.write(os.urandom(PAGE))  # block 1: header and items garbage
    history = _stateward("history", "shop", "--store", database)
    assert history.returncode in (0, 3) and "Traceback" not in history.stderr  # plan-dependent
    verified = _stateward("ledger", "verify", "--store", database, "--json")
    assert verified.returncode == 3, verified.stderr
    assert "Traceback" not in verified.stderr
    problems = [p["message"] for p in json.loads(verified.stdout)["problems"]]
    assert problems[0].startswith("the database is damaged: index objects_pkey: ")
    assert "invalid page in block 1" in problems[0]
    assert problems[0].endswith("(REINDEX INDEX objects_pkey rebuilds it)")
    _admin(database, "REINDEX INDEX objects_pkey")  # the remedy the server's error calls for
    verified = _stateward("ledger", "verify", "--store", database, "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["entries_by_type"] == {"observation": 2}
    history = _stateward("history", "shop", "--store", database, "--json")
    assert history.returncode == 0 and len(json.loads(history.stdout)) == 2
