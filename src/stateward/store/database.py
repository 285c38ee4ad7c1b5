"""The two database backends behind one small contract: SQLite (embedded) and PostgreSQL.

SQL is written once in the common dialect both accept (``INSERT … ON CONFLICT DO NOTHING``,
``?`` placeholders, translated to ``%s`` for psycopg). Writes go through :meth:`read_write`,
one transaction each; SQLite takes its write lock up front (``BEGIN IMMEDIATE``) so two writers
queue instead of failing half-way (datasette's single-writer practice).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote

from stateward.errors import MissingStoreError, StorageError
from stateward.ledger.storage.interface import Cursor, Row
from stateward.ledger.storage.interface import Database as TransactionalDatabase

__all__ = ["Cursor", "Database", "PostgresDatabase", "SQLiteDatabase", "redact_url"]

T = TypeVar("T")
_SQLITE_PARAMETERS = 1000
_PG_COPY_TYPES = {int: "int8", bytes: "bytea", str: "text"}


class Database(TransactionalDatabase, Protocol):
    """The ledger's transaction contract, plus what the store needs to open and close it."""

    url: str

    def close(self) -> None:
        """Release the connection."""
        ...


class _SQLiteCursor:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        # multi-row VALUES beats executemany by a third; chunks stay far below SQLite's
        # 32,766-parameter limit
        per = max(1, _SQLITE_PARAMETERS // max(1, len(columns)))
        names = ", ".join(columns)
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        for at in range(0, len(rows), per):
            chunk = rows[at : at + per]
            values = ",".join([marks] * len(chunk))
            params = [v for row in chunk for v in row]
            self._conn.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)


class SQLiteDatabase:
    """SQLite file in WAL mode; one connection per process, guarded by a lock."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, synchronous: str = "NORMAL", read_only: bool = False) -> None:
        """``synchronous``: NORMAL (default) survives any process crash, and in WAL mode loses
        at most the last commits on power loss; FULL also fsyncs the log at every commit.
        ``read_only``: open an existing database without writing anything, not even its
        directory; StorageError when there is no database there."""
        if synchronous not in ("NORMAL", "FULL"):
            raise StorageError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
        self.url = f"sqlite:///{path}"
        self.path = path
        try:
            if read_only:
                self._conn = _connect_read_only(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute(f"PRAGMA synchronous={synchronous}")
            self._conn.execute("PRAGMA busy_timeout=30000")
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"cannot open SQLite store {path}: {exc}") from None
        self._lock = threading.Lock()

    def read_only(self, fn: Callable[[Cursor], T]) -> T:
        with self._transaction("BEGIN") as cursor:
            return fn(cursor)

    def read_write(self, fn: Callable[[Cursor], T]) -> T:
        with self._transaction("BEGIN IMMEDIATE") as cursor:
            return fn(cursor)

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Cursor]:
        with self._lock:
            try:
                self._conn.execute(begin)
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: {exc}") from None
            try:
                yield _SQLiteCursor(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: commit failed: {exc}") from None

    def close(self) -> None:
        self._conn.close()


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write (``mode=ro``). In WAL mode a reader needs the ``-shm``
    file; on a read-only directory where it cannot be made, the database is opened
    ``immutable`` instead, which is what it is there (https://www.sqlite.org/wal.html,
    "Read-Only Databases"; https://www.sqlite.org/uri.html#uriimmutable)."""
    if not path.is_file():
        raise MissingStoreError(f"there is no store at {path}")
    uri = path.absolute().as_uri() + "?mode=ro"
    try:
        return _opened(uri)
    except sqlite3.OperationalError:
        return _opened(uri + "&immutable=1")


def _opened(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


class _PostgresCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(sql.replace("?", "%s"), params)
        return self._cursor.fetchall() if self._cursor.description else []

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._cursor.executemany(sql.replace("?", "%s"), list(rows))

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        # COPY: three times the rows per second of multi-row INSERT, ten of executemany; its
        # binary form another 40 % when every value is of a type it has a name for
        if not rows:
            return
        types = [_PG_COPY_TYPES.get(type(value)) for value in rows[0]]
        binary = all(types)
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN" + (" (FORMAT BINARY)" * binary)
        with self._cursor.copy(sql) as copy:
            if binary:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)


class PostgresDatabase:
    """PostgreSQL through psycopg 3; each transaction is one ``with conn.transaction()``."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StorageError(
                f"cannot connect to {redact_url(url)}: {_scrubbed(_first_line(exc), url)}"
            ) from None
        self._lock = threading.Lock()

    def read_only(self, fn: Callable[[Cursor], T]) -> T:
        return self._run(fn)

    def read_write(self, fn: Callable[[Cursor], T]) -> T:
        return self._run(fn)

    def _run(self, fn: Callable[[Cursor], T]) -> T:
        import psycopg

        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor() as cursor:
                    return fn(_PostgresCursor(cursor))
            except psycopg.Error as exc:
                message = _scrubbed(_first_line(exc), self.url)
                raise StorageError(f"{redact_url(self.url)}: {message}") from None

    def close(self) -> None:
        self._conn.close()


def redact_url(url: str) -> str:
    """The URL fit to print: its password, in the user part or a ``password`` parameter
    (libpq connection URIs, https://www.postgresql.org/docs/16/libpq-connect.html#LIBPQ-CONNSTRING-URIS),
    replaced by ``***``. The user part ends at the last ``@`` before the query, so a password
    holding an unescaped ``@`` or ``/`` is masked whole rather than in part."""
    head, mark, query = url.partition("?")
    scheme, sep, rest = head.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if ":" in userinfo:
        head = f"{scheme}{sep}{userinfo.partition(':')[0]}:***{at}{host}"
    params = [
        "password=***" if part.partition("=")[0] == "password" else part
        for part in query.split("&")
    ]
    return head + mark + "&".join(params)


def _scrubbed(text: str, url: str) -> str:
    """``text`` (a driver's message) with every password of ``url`` masked, as written and
    percent-decoded: libpq may echo part of a connection string it cannot parse, and reads a
    password holding an unescaped ``@`` as ending there, the rest being the host it names."""
    head, _, query = url.partition("?")
    userinfo = head.partition("://")[2].rpartition("@")[0]
    found = [userinfo.partition(":")[2]] if ":" in userinfo else []
    found += [part.partition("=")[2] for part in query.split("&") if part.startswith("password=")]
    texts = {t for f in found for t in (f, unquote(f))}
    texts |= {piece for t in set(texts) for piece in t.split("@") if len(piece) >= _SHORTEST}
    for secret in sorted(texts - {""}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


_SHORTEST = 4
"""Pieces of a password shorter than this are not masked on their own: they would mask
every such string in the message, and alone they give little away."""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
