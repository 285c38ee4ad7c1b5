"""Every table and column the store writes, damaged four ways, must be caught by ``ledger verify``.

The tables and columns come from the database itself (``sqlite_master`` and ``PRAGMA table_info``,
``information_schema`` on PostgreSQL), so a table or column added by a later migration is
damaged here too without editing this file. Each mutation is applied to a fresh copy of a
sample store (:mod:`.sample`): a flipped value in every column, a deleted row, an inserted row
(a copy of one under a new key) and an emptied table. Flips and deletions hit the middle row in
storage order (for the ledger, an entry with a sibling and a parent hash above it). Each must
make ``stateward ledger verify`` exit 3 with an ``Error:`` line naming the damaged place, or be
refused by the database's own constraints, or be declared in
:data:`stateward.store.integrity.UNCHECKED` with the reason it is harmless.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from stateward.cli import main
from stateward.store.integrity import UNCHECKED

from .sample import build_sample, copy_of

KINDS = ("flip", "delete", "insert", "truncate")
PLACES = {
    # what verify's message says for damage to a table (default: the table's own name)
    "objects": ("object",),
    "observations": ("observation",),
    "ledger_entries": ("entry", "entries"),
    "ledger_hash_packs": ("hash",),
    "ledger_log": ("ledger_log",),
    "ledger_checkpoints": ("checkpoint",),
    "secret_keys": ("secret_keys", "secret key"),
}


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type: str
    key: bool


@dataclass(frozen=True)
class Mutation:
    kind: str
    table: str
    column: str = ""

    @property
    def place(self) -> str:
        """The key it would be declared under in UNCHECKED."""
        return f"{self.table}.{self.column}" if self.column else f"{self.table}:{self.kind}"

    def __str__(self) -> str:
        return f"{self.kind} {self.place}"


class Raw:
    """Plain driver access to a store's database, under Stateward's feet."""

    def __init__(self, location: str) -> None:
        self.pg = "://" in location
        self.conn: Any = (
            psycopg.connect(location, autocommit=True)
            if self.pg
            else sqlite3.connect(Path(location, "store.db"), isolation_level=None)
        )
        self.locator = "ctid" if self.pg else "rowid"

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cursor = self.conn.execute(sql.replace("?", "%s") if self.pg else sql, params)
        return list(cursor.fetchall()) if cursor.description else []

    def columns(self) -> list[Column]:
        if self.pg:
            rows = self.execute(
                """SELECT c.table_name, c.column_name, c.data_type,
                    EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                        JOIN information_schema.table_constraints t
                        ON t.constraint_name = k.constraint_name AND t.table_name = k.table_name
                        WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name
                        AND k.column_name = c.column_name)
                FROM information_schema.columns c WHERE c.table_schema = current_schema()
                ORDER BY c.table_name, c.ordinal_position"""
            )
            return [Column(t, n, ty, bool(k)) for t, n, ty, k in rows]
        tables = self.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return [
            Column(table, name, type_.lower(), bool(pk))
            for (table,) in sorted(tables)
            for _, name, type_, _, _, pk in self.execute(f"PRAGMA table_info({table})")
        ]

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """(locator, value, value, …) in storage order."""
        return self.execute(f"SELECT {self.locator}, * FROM {table} ORDER BY {self.locator}")

    def where(self) -> str:
        return f"{self.locator} = ?" + ("::tid" if self.pg else "")

    def close(self) -> None:
        self.conn.close()


@contextmanager
def raw(location: str) -> Iterator[Raw]:
    db = Raw(location)
    try:
        yield db
    finally:
        db.close()


def flipped(value: Any, type_: str) -> Any:
    """The value with one bit changed (a placeholder of the column's type for NULL)."""
    if value is None:
        return b"x" if type_ in ("blob", "bytea") else "x" if "text" in type_ else 1
    if isinstance(value, int):
        return value ^ 1
    if isinstance(value, bytes | memoryview):
        data = bytearray(value)
        data[len(data) // 2] ^= 1
        return bytes(data)
    middle = len(value) // 2
    return value[:middle] + chr(ord(value[middle]) ^ 1) + value[middle + 1 :]


def mutations(columns: list[Column]) -> list[Mutation]:
    tables = sorted({c.table for c in columns})
    found = [Mutation(kind, table) for table in tables for kind in KINDS[1:]]
    return found + [Mutation("flip", column.table, column.name) for column in columns]


def apply(db: Raw, mutation: Mutation, columns: list[Column]) -> None:
    """Damage the database; raises the driver's error when a constraint refuses it."""
    table = mutation.table
    rows = db.rows(table)
    assert rows, f"the sample store writes no row in {table}: extend tests/store/sample.py"
    own = [c for c in columns if c.table == table]
    middle = rows[len(rows) // 2]
    if mutation.kind == "truncate":
        db.execute(f"DELETE FROM {table}")
    elif mutation.kind == "delete":
        db.execute(f"DELETE FROM {table} WHERE {db.where()}", (str(middle[0]),))
    elif mutation.kind == "insert":
        values = list(rows[-1][1:])
        for i, column in enumerate(own):
            if column.key:
                keys = [r[i + 1] for r in rows]
                values[i] = max(keys) + 1 if isinstance(values[i], int) else flipped(values[i], "")
        names = ", ".join(c.name for c in own)
        marks = ", ".join("?" * len(own))
        db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values))
    else:
        index = [c.name for c in own].index(mutation.column)
        value = flipped(middle[index + 1], own[index].type)
        sql = f"UPDATE {table} SET {mutation.column} = ? WHERE {db.where()}"
        db.execute(sql, (value, str(middle[0])))


def verify(location: str) -> tuple[int, str]:
    """``ledger verify``'s exit code and its ``Error:`` line (or what escaped instead)."""
    result = CliRunner().invoke(main, ["ledger", "verify", "--store", location])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return result.exit_code, f"{type(result.exception).__name__}: {result.exception}"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    return result.exit_code, " / ".join(errors)


def caught(db_error: Exception | None, code: int, message: str, table: str) -> bool:
    if db_error is not None:
        return True  # the schema itself refuses this damage
    names = PLACES.get(table, (table,))
    return code == 3 and any(name in message for name in names)


@pytest.fixture
def sample(store_location: str, request: pytest.FixtureRequest) -> tuple[str, str | None]:
    build_sample(store_location)
    admin = request.getfixturevalue("pg_url") if "://" in store_location else None
    return store_location, admin


def test_the_sample_store_verifies(sample: tuple[str, str | None]) -> None:
    location, _ = sample
    assert verify(location) == (0, "")


def test_every_mutation_of_every_table_and_column_is_caught(
    sample: tuple[str, str | None], tmp_path: Path
) -> None:
    location, admin = sample
    with raw(location) as db:
        columns = db.columns()
    places = {f"{c.table}.{c.name}" for c in columns} | {
        place for c in columns for place in (c.table, *(f"{c.table}:{kind}" for kind in KINDS))
    }
    assert not UNCHECKED.keys() - places, "declared places that do not exist"
    missed = []
    for mutation in mutations(columns):
        if mutation.place in UNCHECKED or mutation.table in UNCHECKED:
            continue
        with copy_of(location, admin, tmp_path) as copy:
            refused: Exception | None = None
            with raw(copy) as db:
                try:
                    apply(db, mutation, columns)
                except (sqlite3.Error, psycopg.Error) as error:
                    refused = error
            code, message = verify(copy)
        if not caught(refused, code, message, mutation.table):
            missed.append(f"{mutation}: exit {code}, {message or 'no error line'}")
    assert missed == [], "damage ledger verify does not catch:\n" + "\n".join(missed)
