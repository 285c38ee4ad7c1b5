"""The two database backends behind one small contract: SQLite (embedded) and PostgreSQL.

SQL is written once in the common dialect both accept (``INSERT … ON CONFLICT DO NOTHING``,
``?`` placeholders, translated to ``%s`` for psycopg). Writes go through :meth:`read_write`,
one transaction each; SQLite takes its write lock up front (``BEGIN IMMEDIATE``) so two writers
queue instead of failing half-way (datasette's single-writer practice).

Every driver error leaves here as a :class:`StorageError` naming the store, or, when the
database says its own bytes are damaged, a :class:`LedgerIntegrityError` naming the first
damaged place it finds: a command meets a broken store with one line and exit 3, never a
traceback. :meth:`check_structure` runs the engine's own consistency check (``ledger verify``
calls it), which sees damage no query needs to touch, such as an index that no longer
matches its table.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote

from stateward.errors import LedgerIntegrityError, MissingStoreError, StorageError
from stateward.ledger.storage.interface import Cursor, Row
from stateward.ledger.storage.interface import Database as TransactionalDatabase

__all__ = ["Cursor", "Database", "PostgresDatabase", "SQLiteDatabase", "redact_url"]

T = TypeVar("T")
_SQLITE_PARAMETERS = 1000
_PG_COPY_TYPES = {int: "int8", bytes: "bytea", str: "text"}
_SHOWN_DAMAGE = 20
"""Lines of an integrity check kept: enough to name the places, bounded on a wrecked file."""
_DAMAGED_REMEDY = (
    "Do not trust this store: run `stateward ledger verify` to list the damage, and restore "
    "the store from a backup."
)
_AMCHECK_INSTALLED = "SELECT 1 FROM pg_extension WHERE extname = 'amcheck'"
_STORE_INDEXES = """SELECT n.nspname, c.relname FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'btree' AND n.nspname = current_schema() ORDER BY c.relname"""
_BT_INDEX_CHECK = "SELECT bt_index_check(%s::regclass, true)"
_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
_UNREACHED_REMEDY = (
    "Check that the PostgreSQL server is running and reachable at that address, and the user, "
    "password and database of the URL (--store or STATEWARD_STORE)."
)
_FULL_REMEDY = "Free space there and run the command again; nothing of this command was recorded."


class Database(TransactionalDatabase, Protocol):
    """The ledger's transaction contract, plus what the store needs to open and close it."""

    url: str

    def write_new(self, fn: Callable[[Cursor], T]) -> T:
        """:meth:`read_write` for a write of many new rows that nothing reads again soon
        (objects put ahead of their observation): where the engine caches the pages it
        writes in the process, it keeps few of them."""
        ...

    def check_structure(self) -> tuple[str, list[str]]:
        """Run the engine's own consistency check of tables and indexes: what was checked (or
        why nothing could be), and one line per damaged place found."""
        ...

    def copy_log(self) -> None:
        """Copy what the database's write-ahead log holds into the database now (SQLite's
        checkpoint, not the ledger's), which the engine would otherwise do during some later
        commit; PostgreSQL's server does so on its own, and this does nothing there."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


_CACHE_KIB = -16384  # negative: KiB, not pages
_NEW_ROWS_CACHE_KIB = -2048  # SQLite's default
_MMAP_BYTES = 1 << 40
"""A connection that cannot write (a server's proofs and tiles, ``ledger verify`` and its
workers) reads the file through a memory map, as much of it as SQLite allows
(``SQLITE_MAX_MMAP_SIZE``, 2 GiB in common builds: a larger figure is lowered to it): a page
not in its page cache is found in the map, where it was a ``pread`` into a copy
(https://www.sqlite.org/mmap.html). Read-only opens, interleaved in both orders, load 10-11:
at 1M entries an inclusion proof's median took 44-45 us against 54-55; at 10M, a file larger
than the map, 70-75 against 72-76 with its pages in the OS's cache, and 98-108 against
362-395 us on a first pass over random leaves whose pages were not (likely the kernel's
read-around on a fault in a map, where a random ``pread`` reads its own page only); the
integrity check of ``ledger verify`` at 1M took 0.16-0.17 s of CPU against 0.31-1.29.
Not a connection that writes: the pages a process touches in the map count in its resident
set, and a ``scan`` of 50k objects peaked at 5.7 KB an object against 4.7 KB with every
connection mapped (bench/bench_process.py, load 9-11)."""


class _SQLiteCursor:
    """The transactions' statements, all through one driver cursor made once per connection:
    ``Connection.execute`` makes a cursor each time, and a proof runs three statements (BEGIN,
    its query, COMMIT): a BEGIN and COMMIT took 47,412 instructions against 49,999 (callgrind,
    N/2N). Every statement's rows are fetched whole before the next runs."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, params).fetchall()

    def query_binary(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        new_only: bool = False,
    ) -> None:
        # multi-row VALUES beats executemany by a third; chunks stay far below SQLite's
        # 32,766-parameter limit. New rows only: OR IGNORE, not ON CONFLICT DO NOTHING, which
        # leaves a NOT NULL column's ABORT in force: a statement of many rows that may abort
        # half-way keeps the pages it changes in a statement journal, spilled to a temporary
        # file past 64 KiB (https://www.sqlite.org/tempfiles.html#stmtjrnl), three writes a page.
        # A watch's first list of 10k objects wrote 6,580 of its 15,981 pwrite calls there
        # (strace). OR IGNORE also leaves out a row that breaks NOT NULL: no caller gives one
        # (an object's cell is bytes).
        width = len(columns)
        per = max(1, _SQLITE_PARAMETERS // max(1, width))
        names = ", ".join(columns)
        marks = "(" + ", ".join("?" * width) + ")"
        verb = "INSERT OR IGNORE" if new_only else "INSERT"
        for at in range(0, len(rows), per):
            chunk = rows[at : at + per]
            values = ",".join([marks] * len(chunk))
            params = list(chain.from_iterable(chunk))
            for column in range(width):
                _bind_blobs(params, column, width)
            self._conn.execute(f"{verb} INTO {table} ({names}) VALUES {values}", params)


def _bind_blobs(params: list[Any], column: int, width: int) -> None:
    """A column of ``bytes`` values, every ``width``-th parameter from ``column``, passed as
    ``bytearray`` (stored the same, as BLOBs). Python's sqlite3 binds str, int, float and
    bytearray as they are, but looks for an adapter for every other value, ``bytes`` too
    (``need_adapt`` in CPython's sqlite3 module at the release tag:
    https://github.com/python/cpython/blob/v3.11.7/Modules/_sqlite/cursor.c), which fails
    two attribute lookups each time: a ledger entry's row (an index and 150 bytes) took 810
    ns of CPU to insert with its entry as bytes, 605 ns as a bytearray copy (1,000 rows a
    transaction, the least of 10 rounds each, interleaved)."""
    values = params[column::width]
    if set(map(type, values)) == {bytes}:  # never mixed: bytearray(int) would be zeros
        params[column::width] = map(bytearray, values)


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
                self._conn.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute(f"PRAGMA synchronous={synchronous}")
            self._conn.execute("PRAGMA busy_timeout=30000")
            # 16 MiB of page cache, not SQLite's 2 MiB: enough to keep the interior B-tree pages
            # of a 10M-entry ledger in memory, so a proof's ~30 hash lookups read one page each
            # (https://www.sqlite.org/pragma.html#pragma_cache_size); grown only as pages are read
            self._conn.execute(f"PRAGMA cache_size={_CACHE_KIB}")
            self._conn.text_factory = partial(_utf8, path)
        except sqlite3.Error as exc:
            raise self._error(exc, "cannot open it") from None
        except OSError as exc:
            raise StorageError(f"cannot open SQLite store {path}: {exc.strerror}") from None
        self._lock = threading.Lock()
        self._cursor = _SQLiteCursor(self._conn)

    def read_only(self, fn: Callable[[Cursor], T]) -> T:
        return self._transaction("BEGIN", fn)

    def read_write(self, fn: Callable[[Cursor], T]) -> T:
        return self._transaction("BEGIN IMMEDIATE", fn)

    def write_new(self, fn: Callable[[Cursor], T]) -> T:
        # Every page written enters the page cache and stays once committed, so a write of
        # tens of megabytes (a scan's first record at 50k objects) grew it to its whole 16 MiB,
        # on top of the memory of the command; a smaller one only while writing. Setting it
        # down frees the pages over it (https://www.sqlite.org/pragma.html#pragma_cache_size).
        def written(cursor: Cursor) -> T:
            cursor.execute(f"PRAGMA cache_size={_NEW_ROWS_CACHE_KIB}")
            try:
                return fn(cursor)
            finally:
                cursor.execute(f"PRAGMA cache_size={_CACHE_KIB}")

        return self.read_write(written)

    def open_reader(self) -> SQLiteDatabase:
        return SQLiteDatabase(self.path, read_only=True)

    def check_structure(self) -> tuple[str, list[str]]:
        # integrity_check, not quick_check: only the full check compares every index with its
        # table (https://www.sqlite.org/pragma.html#pragma_integrity_check)
        try:
            rows = self.read_only(lambda c: c.execute(f"PRAGMA integrity_check({_SHOWN_DAMAGE})"))
        except LedgerIntegrityError:  # damaged past what the check itself can walk
            return "SQLite integrity_check (stopped; every table read instead)", self._unreadable()
        lines = [line for r in rows for line in str(r[0]).splitlines() if line.strip()]
        return "SQLite integrity_check", [] if lines == ["ok"] else lines

    def copy_log(self) -> None:
        # PASSIVE: copies what no reader still needs, waits for none
        # (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint); the next commit then
        # starts the log over instead of copying it (https://www.sqlite.org/wal.html#ckpt)
        with self._lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "copying its log failed") from None

    def _unreadable(self) -> list[str]:
        """The tables that cannot be read to the end, each read row by row (not held)."""
        found = []
        with self._lock:
            try:
                names = [str(r[0]) for r in self._conn.execute(_SQLITE_TABLES)]
            except sqlite3.Error as exc:
                return [f"its schema (sqlite_master) cannot be read: {exc}"]
            for name in names:
                try:
                    for _ in self._conn.execute(f'SELECT * FROM "{name}"'):
                        pass
                except (sqlite3.Error, LedgerIntegrityError) as exc:
                    found.append(f"table {name} cannot be read: {exc}")
        return found or ["SQLite cannot check the file"]

    def _transaction(self, begin: str, fn: Callable[[Cursor], T]) -> T:
        """``fn`` in one transaction. A plain call, not a context manager: a proof is one
        short read, and the generator and context manager of a ``with`` cost it about a
        tenth of its instructions (callgrind)."""
        with self._lock:
            try:
                self._cursor.execute(begin)
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            try:
                result = fn(self._cursor)
            except BaseException as exc:
                self._rollback()
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from None
                raise
            try:
                self._cursor.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self._error(exc, "commit failed") from None
            return result

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (a full disk or I/O error ends the transaction)

    def _error(self, exc: sqlite3.Error, doing: str = "") -> StorageError | LedgerIntegrityError:
        """The driver error as ours; ``doing`` says what failed when it is not a statement."""
        what = f"{doing}: {exc}" if doing else str(exc)
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary result code
        if code == sqlite3.SQLITE_FULL:
            return StorageError(f"{self.path}: the disk is full ({what})", remedy=_FULL_REMEDY)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return LedgerIntegrityError(
                f"{self.path} is damaged ({what}){self._first_damage()}", remedy=_DAMAGED_REMEDY
            )
        return StorageError(f"{self.path}: {what}")

    def _first_damage(self) -> str:
        """Where the file is damaged, by SQLite's quick check (only on the failure path)."""
        try:
            rows = self._conn.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.Error:
            return ""  # too damaged to say where
        # a "*** in database main ***" line may come before the first place, in the same row
        lines = [line for r in rows for line in str(r[0]).splitlines()]
        found = [line for line in lines if not line.startswith("***")]
        return f": {found[0]}" if found and found[0] != "ok" else ""

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

    def query_binary(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(sql.replace("?", "%s"), params, binary=True)
        return self._cursor.fetchall()  # type: ignore[no-any-return]

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._cursor.executemany(sql.replace("?", "%s"), list(rows))

    def insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        new_only: bool = False,
    ) -> None:
        # COPY: three times the rows per second of multi-row INSERT, ten of executemany; its
        # binary form another 40 % when every value is of a type it has a name for. COPY
        # cannot skip a row whose key is taken: those rows go by executemany.
        if new_only:
            marks = ", ".join("?" * len(columns))
            self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
                             "ON CONFLICT DO NOTHING", rows)  # fmt: skip
            return
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


_QUIET = logging.NullHandler()


class PostgresDatabase:
    """PostgreSQL through psycopg 3; each transaction is one ``with conn.transaction()``."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise StorageError(
                f"{redact_url(url)}: PostgreSQL stores need psycopg: pip install 'stateward[postgres]'"
            ) from None

        # psycopg logs a warning when it closes a pipeline that an error already aborted
        # ("error ignored terminating <Pipeline>: pipeline aborted"); that error is raised
        # here as the StorageError a command answers in one line, and with no handler at all
        # Python would print the warning raw beside it. An application's own handlers still
        # receive it.
        logging.getLogger("psycopg").addHandler(_QUIET)
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise _unconnected(url, _scrubbed(_first_line(exc), url)) from None
        self._lock = threading.Lock()

    def read_only(self, fn: Callable[[Cursor], T]) -> T:
        return self._run(fn)

    def read_write(self, fn: Callable[[Cursor], T]) -> T:
        return self._run(fn)

    def write_new(self, fn: Callable[[Cursor], T]) -> T:
        return self._run(fn)  # the server caches pages, in its own memory

    def open_reader(self) -> PostgresDatabase:
        return PostgresDatabase(self.url)

    def check_structure(self) -> tuple[str, list[str]]:
        """Every B-tree index of the store checked against its table by ``amcheck``'s
        ``bt_index_check(index, heapallindexed => true)``
        (https://www.postgresql.org/docs/15/amcheck.html). Installing amcheck takes a superuser
        once (``CREATE EXTENSION amcheck``) and ``ledger verify`` never creates anything, so
        without it the check is skipped and said so."""
        import psycopg

        if not self.read_only(lambda c: c.execute(_AMCHECK_INSTALLED)):
            return "skipped: amcheck is not installed in this database", []
        indexes = self.read_only(lambda c: c.execute(_STORE_INDEXES))
        damaged = []
        for schema, name in indexes:
            try:
                with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
                    cursor.execute(_BT_INDEX_CHECK, (f'"{schema}"."{name}"',))
            except psycopg.errors.InsufficientPrivilege:
                return "skipped: this user may not run amcheck's bt_index_check", []
            except psycopg.Error as exc:
                damaged.append(
                    f"index {name}: {_first_line(exc)} (REINDEX INDEX {name} rebuilds it)"
                )
        return f"amcheck bt_index_check of {len(indexes)} indexes", damaged[:_SHOWN_DAMAGE]

    def copy_log(self) -> None:
        pass  # the server's own checkpointer writes its log out

    def _run(self, fn: Callable[[Cursor], T]) -> T:
        import psycopg

        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor() as cursor:
                    return fn(_PostgresCursor(cursor))
            except psycopg.Error as exc:
                raise self._error(exc) from None

    def _error(self, exc: Exception) -> StorageError | LedgerIntegrityError:
        import psycopg

        where, text = redact_url(self.url), _scrubbed(_first_line(exc), self.url)
        if isinstance(exc, psycopg.errors.DiskFull):
            return StorageError(f"{where}: the server's disk is full ({text})", remedy=_FULL_REMEDY)
        if isinstance(exc, psycopg.errors.DataCorrupted | psycopg.errors.IndexCorrupted):
            return LedgerIntegrityError(f"{where} is damaged: {text}", remedy=_DAMAGED_REMEDY)
        return StorageError(f"{where}: {text}")

    def close(self) -> None:
        self._conn.close()


def _unconnected(url: str, text: str) -> StorageError:
    """Why a connection failed, with what to do about it. A server whose disk is full can
    refuse connections too: a new backend that finds its relation-cache init file stale writes
    it anew as it starts, and fails ``FATAL: could not write init file`` (PostgreSQL 15, with no
    reason given) when the disk is full. That is said, with what frees the store, not a check
    of addresses and passwords that would not help.

    Both are recognized by the message's text, not its SQLSTATE: psycopg 3 (3.3, over libpq 18)
    raises a refusal at connection start-up with ``sqlstate``, ``diag.sqlstate`` and
    ``pgresult`` all None, libpq keeping only the message (tests/store/test_pg_disk.py pins
    it). Nor would the code say "full disk" here: PostgreSQL 15's relcache.c ``write_item``
    raises ``elog(FATAL, "could not write init file")``, and ``elog`` at FATAL sends
    ``XX000`` (internal_error) with a message that is never translated, so this text does not
    depend on the server's ``lc_messages``
    (https://www.postgresql.org/docs/15/error-message-reporting.html: ``elog`` "for
    internal errors", its message not translated). ``No space left on device`` is the C
    library's ``strerror`` (``%m``) and is translated: under another ``lc_messages`` that case
    falls to the init-file one or to the general answer."""
    where = redact_url(url)
    if "No space left on device" in text:
        return StorageError(
            f"cannot connect to {where}: the server's disk is full ({text})", remedy=_FULL_REMEDY
        )
    if "could not write init file" in text:
        return StorageError(
            f"cannot connect to {where}: the server could not write as the connection started, "
            f"most likely because its disk is full ({text})",
            remedy=_FULL_REMEDY,
        )
    return StorageError(f"cannot connect to {where}: {text}", remedy=_UNREACHED_REMEDY)


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


def _utf8(path: Path, data: bytes) -> str:
    """TEXT values decoded strictly: bytes that are not UTF-8 were never written by us."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LedgerIntegrityError(
            f"{path} holds a text value that is not UTF-8 (byte {exc.start}): it was edited "
            "or damaged",
            remedy=_DAMAGED_REMEDY,
        ) from None
