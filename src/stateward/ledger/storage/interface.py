"""The storage contract the ledger needs: transactions over a SQL database.

One contract, so the ledger runs unchanged over SQLite and PostgreSQL and one conformance suite
tests both, as ``Storage`` and ``TestStorage`` do for the Go checksum database:
https://github.com/golang/mod/blob/e81ad1007af3dfbbc0761df9e1a7ace49b7fd7d2/sumdb/storage/storage.go

It is structural: the store's :class:`stateward.store.database.SQLiteDatabase` and
``PostgresDatabase`` meet it without importing the ledger, and the ledger never imports the store.
SQL is the dialect both accept, with ``?`` placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["Cursor", "Database", "Row"]

T = TypeVar("T")
Row = tuple[Any, ...]


class Cursor(Protocol):
    """What a transaction body may call."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; rows if it returns any."""
        ...

    def query_binary(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one query and return its rows, the values carried in the backend's binary form
        where it has one: PostgreSQL's text form of a ``bytea`` is hex, twice the bytes, decoded
        again here (https://www.postgresql.org/docs/15/datatype-binary.html). For the ledger's
        bulk reads of entries and hashes; SQLite has one form."""
        ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows."""
        ...

    def insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        new_only: bool = False,
    ) -> None:
        """Bulk-insert rows the fastest way the backend has (PostgreSQL: COPY); ``new_only``:
        a row whose key is in the table already is left out (``ON CONFLICT DO NOTHING``;
        SQLite's ``OR IGNORE``, which would leave out a row breaking NOT NULL too: give none)."""
        ...


class Database(Protocol):
    """A transactional database; ``dialect`` is ``sqlite`` or ``postgresql``."""

    dialect: str

    def read_only(self, fn: Callable[[Cursor], T]) -> T:
        """Run ``fn`` in a read transaction."""
        ...

    def read_write(self, fn: Callable[[Cursor], T]) -> T:
        """Run ``fn`` in a write transaction: all of it is committed, or none."""
        ...

    def open_reader(self) -> Database:
        """Another connection to the same database, for reads: a worker process may not use
        the connection it inherits (SQLite and libpq state are not fork-safe)."""
        ...
