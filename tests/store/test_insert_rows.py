"""``Cursor.insert_rows`` stores every value as given, on both backends: bytes as BLOB/bytea
whatever form the driver is handed them in (SQLite's are bound as bytearray copies, which
sqlite3 binds without looking for an adapter), integers as integers, NULLs as NULLs."""

from __future__ import annotations

from pathlib import Path

from stateward.store import open_store

ROWS = [
    (0, b"entry \x00\xff", None),
    (1, b"", b"x"),
    (2, bytes(range(256)) * 9, None),  # longer than a row of 2 KiB: across pages in SQLite
    (3, b"\n", b"\x00"),
] + [(n, f"entry {n}".encode(), b"y") for n in range(4, 1_200)]  # several chunks of VALUES


def test_rows_are_stored_as_given(store_location: str, tmp_path: Path) -> None:
    store = open_store(store_location)
    try:
        blob = "BYTEA" if store.db.dialect == "postgresql" else "BLOB"
        store.db.read_write(
            lambda c: c.execute(
                f"CREATE TABLE t_rows (n BIGINT PRIMARY KEY, data {blob} NOT NULL, extra {blob})"
            )
        )
        store.db.read_write(lambda c: c.insert_rows("t_rows", ("n", "data", "extra"), ROWS))
        stored = store.db.read_only(
            lambda c: c.query_binary("SELECT n, data, extra FROM t_rows ORDER BY n")
        )
        assert [
            (int(n), bytes(data), None if extra is None else bytes(extra))
            for n, data, extra in stored
        ] == ROWS
        if store.db.dialect == "sqlite":
            types = store.db.read_only(
                lambda c: c.execute("SELECT DISTINCT typeof(n), typeof(data) FROM t_rows")
            )
            assert types == [("integer", "blob")]
    finally:
        store.close()


def test_new_only_rows_leave_out_those_whose_key_is_taken(store_location: str) -> None:
    """``new_only`` keeps the row already stored under a key (and the first of a key given
    twice), inserts the others, across chunks of VALUES."""
    store = open_store(store_location)
    try:
        blob = "BYTEA" if store.db.dialect == "postgresql" else "BLOB"
        store.db.read_write(
            lambda c: c.execute(f"CREATE TABLE t_new (k TEXT PRIMARY KEY, data {blob} NOT NULL)")
        )
        first = [(f"k{n}", f"first {n}".encode()) for n in range(0, 1_200, 2)]
        store.db.read_write(lambda c: c.insert_rows("t_new", ("k", "data"), first, True))
        again = [(f"k{n}", f"again {n}".encode()) for n in range(1_200)] + [("k1", b"twice")]
        store.db.read_write(lambda c: c.insert_rows("t_new", ("k", "data"), again, True))
        stored = store.db.read_only(lambda c: c.query_binary("SELECT k, data FROM t_new"))
        expected = {f"k{n}": (b"first " if n % 2 == 0 else b"again ") + str(n).encode()
                    for n in range(1_200)}  # fmt: skip
        assert {str(k): bytes(data) for k, data in stored} == expected
    finally:
        store.close()
