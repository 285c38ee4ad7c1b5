"""A whole store as one file, to move it between SQLite and PostgreSQL or to back it up.

The file is gzip'd JSON lines, every table of the store row for row, read from the schema itself
so a table or column added by a later migration travels without a change here::

    {"format": "stateward-store", "v": 1, "origin": "stateward.local/…", "migrations": […]}
    {"table": "objects", "columns": ["digest", "data"]}
    ["sha256:…", {"b64": "…"}]                      one line a row; bytes as base64
    …
    {"end": true, "rows": 1234}                      a cut-short file is refused

Import fills an empty store of the same schema in one transaction, keeping the log's origin (so
its keys, found by store id, are the same), every entry, stored hash and signed checkpoint: old
checkpoints still verify against it. Keys are not in the file (README, "Moving and backing up a store").
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from stateward.errors import InputError, StorageError
from stateward.ledger.storage.sql import read_log
from stateward.store.database import Cursor, Database

__all__ = ["FORMAT", "export_store", "import_store"]

FORMAT = "stateward-store"
_VERSION = 1
_BATCH = 1000
_SKIPPED = frozenset({"_migrations"})
"""Recorded by ``migrate`` on the target; compared, not copied."""


def export_store(db: Database, path: Path) -> int:
    """Write every table of ``db`` to ``path`` from one snapshot; returns the rows written."""
    try:
        with gzip.open(path, "wt", encoding="utf-8") as out:
            return db.read_only(lambda c: _export(_Schema(c, db.dialect), out))
    except OSError as exc:
        raise StorageError(
            f"cannot write {path}: {exc.strerror}", remedy="Choose a writable path."
        ) from None


def _export(schema: _Schema, out: IO[str]) -> int:
    schema.snapshot()
    origin = read_log(schema.cursor).origin
    _line(
        out, {"format": FORMAT, "v": _VERSION, "origin": origin, "migrations": schema.migrations()}
    )
    rows = 0
    for table in schema.tables():
        columns = schema.columns(table)
        _line(out, {"table": table, "columns": columns})
        for row in schema.rows(table, columns):
            _line(out, [_encode(value) for value in row])
            rows += 1
    _line(out, {"end": True, "rows": rows})
    return rows


def import_store(db: Database, path: Path) -> int:
    """Fill the empty, migrated store ``db`` from an export in one transaction; returns the
    rows imported."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            lines = (_parse(path, n, text) for n, text in enumerate(source, 1))
            header = next(lines, None)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise InputError(str(path), "not a Stateward store export")
            rows = db.read_write(lambda c: _import(_Schema(c, db.dialect), path, header, lines))
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not a readable store export ({type(exc).__name__})") from None
    return rows


def _import(schema: _Schema, path: Path, header: dict[str, Any], lines: Iterator[Any]) -> int:
    if header.get("v") != _VERSION:
        raise InputError(str(path), f"export version {header.get('v')!r}; this reads {_VERSION}")
    if header.get("migrations") != schema.migrations():
        raise InputError(
            str(path),
            "made by a Stateward with another store schema",
            remedy="Import with the version that exported it, then upgrade the target.",
        )
    schema.require_empty()
    table, columns, batch = "", list[str](), list[list[Any]]()
    for item in lines:
        if isinstance(item, list) and table and len(item) == len(columns):
            batch.append([_decode(path, value) for value in item])
            if len(batch) >= _BATCH:
                schema.insert(table, columns, batch)
                batch = []
            continue
        if batch:
            schema.insert(table, columns, batch)
            batch = []
        if isinstance(item, dict) and item.get("end") is True:
            return schema.finish(path, item.get("rows"))
        if not (isinstance(item, dict) and isinstance(item.get("table"), str)):
            raise InputError(str(path), "a row that does not fit its table")
        table, columns = item["table"], schema.known_columns(path, item)
    raise InputError(str(path), "cut short: the end line is missing")


class _Schema:
    """The store's tables and columns as the database itself describes them."""

    def __init__(self, cursor: Cursor, dialect: str) -> None:
        self.cursor = cursor
        self.postgres = dialect == "postgresql"

    def snapshot(self) -> None:
        """Every read of this transaction sees one state (PostgreSQL's default, READ
        COMMITTED, gives each statement its own; an SQLite read transaction already does)."""
        if self.postgres:
            self.cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def tables(self) -> list[str]:
        if self.postgres:
            rows = self.cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        else:
            rows = self.cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        return sorted(str(name) for (name,) in rows if name not in _SKIPPED)

    def columns(self, table: str) -> list[str]:
        if self.postgres:
            rows = self.cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = ? ORDER BY ordinal_position",
                (table,),
            )
            return [str(name) for (name,) in rows]
        return [str(row[1]) for row in self.cursor.execute(f"PRAGMA table_info({table})")]

    def key(self, table: str, columns: list[str]) -> list[str]:
        """The primary key's columns (every column when there is none)."""
        if self.postgres:
            rows = self.cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary",
                (table,),
            )
            found = [str(name) for (name,) in rows]
        else:
            info = self.cursor.execute(f"PRAGMA table_info({table})")
            found = [str(row[1]) for row in sorted(info, key=lambda r: r[5]) if row[5]]
        return found or columns

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
        """Every row in primary-key order: a batch per query after the last key seen when the
        key is one column (every table Stateward makes), else all in one query."""
        key = self.key(table, columns)
        names = ", ".join(columns)
        if len(key) != 1 or key[0] not in columns:
            yield from self.cursor.execute(f"SELECT {names} FROM {table} ORDER BY {', '.join(key)}")
            return
        at = columns.index(key[0])
        first = f"SELECT {names} FROM {table} ORDER BY {key[0]} LIMIT ?"
        batch = self.cursor.execute(first, (_BATCH,))
        after = f"SELECT {names} FROM {table} WHERE {key[0]} > ? ORDER BY {key[0]} LIMIT ?"
        while batch:
            yield from batch
            batch = self.cursor.execute(after, (batch[-1][at], _BATCH))

    def insert(self, table: str, columns: list[str], rows: list[list[Any]]) -> None:
        """Plain INSERTs: the COPY of ``insert_rows`` guesses column types from Python values,
        which an INTEGER column (not BIGINT) refuses in binary form."""
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        self.cursor.executemany(sql, rows)

    def migrations(self) -> list[str]:
        rows = self.cursor.execute("SELECT name FROM _migrations ORDER BY name")
        return [str(name) for (name,) in rows]

    def require_empty(self) -> None:
        """Refuse a store holding anything; clear what merely opening it wrote (its fresh
        origin, its first key), which the import replaces."""
        filled = [
            t
            for t in self.tables()
            if t not in _FRESH and self.cursor.execute(f"SELECT 1 FROM {t} LIMIT 1")
        ]
        if read_log(self.cursor).size or filled:
            raise StorageError(
                f"the target store is not empty ({', '.join(filled) or 'ledger_entries'})",
                remedy="Import into a new store: a new directory, file or database.",
            )
        for table in _FRESH:
            self.cursor.execute(f"DELETE FROM {table}")

    def known_columns(self, path: Path, item: dict[str, Any]) -> list[str]:
        table, columns = item["table"], item.get("columns")
        if table not in self.tables() or not isinstance(columns, list):
            raise InputError(str(path), f"table {str(table)[:60]!r} is not in this store's schema")
        if not set(columns) <= set(self.columns(table)):
            raise InputError(str(path), f"table {table} has columns this store's schema has not")
        return [str(c) for c in columns]

    def finish(self, path: Path, expected: Any) -> int:
        """Check the row count against the end line; PostgreSQL serial columns continue after
        the imported ids (SQLite's rowid does so by itself)."""
        written = sum(
            int(self.cursor.execute(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in self.tables()
        )
        if written != expected:
            raise InputError(str(path), f"holds {expected} rows but {written} were read")
        if self.postgres:
            serials = self.cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND starts_with(column_default, 'nextval(')"
            )
            for table, column in serials:
                self.cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
                )
        return written


_FRESH = ("ledger_log", "secret_keys")


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(path: Path, value: Any) -> Any:
    if isinstance(value, dict):
        try:
            return base64.b64decode(value["b64"], validate=True)
        except (KeyError, TypeError, binascii.Error):
            raise InputError(str(path), "a value that is neither text, number nor bytes") from None
    return value


def _line(out: IO[str], value: Any) -> None:
    out.write(json.dumps(value, separators=(",", ":"), ensure_ascii=False) + "\n")


def _parse(path: Path, number: int, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise InputError(f"{path}:{number}", "not a JSON line") from None
