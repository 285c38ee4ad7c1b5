"""What the store reads back is bounded: a forged cell cannot make a read exhaust memory."""

from __future__ import annotations

import tracemalloc
import zlib

import pytest
from click.testing import CliRunner

from stateward.cli import main
from stateward.errors import LedgerIntegrityError, UsageError
from stateward.model.canonical import digest_bytes
from stateward.store import open_store
from stateward.store import store as store_module

_MIB = 1 << 20
_BOUND = 8 * _MIB
"""The bound these tests set (the real one, 256 MiB, behaves the same at 32 times the cost)."""


@pytest.fixture(autouse=True)
def _small_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MAX_OBJECT_BYTES", _BOUND)


def _bomb(size: int) -> bytes:
    """A zlib stream of ``size`` zero bytes, built a MiB at a time (about 1 KiB per MiB)."""
    deflater = zlib.compressobj(9)
    chunk = bytes(_MIB)
    return b"".join(deflater.compress(chunk) for _ in range(size // _MIB)) + deflater.flush()


def test_a_cell_that_inflates_past_the_bound_is_an_integrity_error(store_location: str) -> None:
    store = open_store(store_location)
    address = store.put_object(b"evidence")
    cell = _bomb(16 * _BOUND)  # 128 MiB in about 128 KiB
    assert len(cell) < _MIB
    store.db.read_write(
        lambda c: c.execute("UPDATE objects SET data = ? WHERE digest = ?", (cell, address))
    )
    tracemalloc.start()
    try:
        with pytest.raises(LedgerIntegrityError, match=r"inflates to more than 8 MiB"):
            store.get_object(address)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * _BOUND  # the bound and one copy of it, never the 128 MiB
    store.close()
    result = CliRunner().invoke(main, ["ledger", "verify", "--store", store_location])
    assert result.exit_code == 3
    assert f"object {address} does not match its digest" in result.stderr


def test_a_truncated_cell_is_corrupt_not_short(store_location: str) -> None:
    store = open_store(store_location)
    address = store.put_object(b"evidence " * 100)
    cell = zlib.compress(b"evidence " * 100)[:-6]  # cut inside the stream
    store.db.read_write(
        lambda c: c.execute("UPDATE objects SET data = ? WHERE digest = ?", (cell, address))
    )
    with pytest.raises(LedgerIntegrityError, match=f"object {address} is corrupt in the store"):
        store.get_object(address)
    store.close()


def test_the_store_never_writes_an_object_it_would_refuse_to_read(store_location: str) -> None:
    store = open_store(store_location)
    with pytest.raises(UsageError, match="over the store's 8 MiB bound"):
        store.put_object(bytes(_BOUND + 1))
    assert store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0] == 0
    store.close()


def test_a_page_put_ahead_with_one_object_over_the_bound_is_not_written(
    store_location: str,
) -> None:
    store = open_store(store_location)
    small, large = b"{}", bytes(_BOUND + 1)
    page = {digest_bytes(small): small, digest_bytes(large): large}
    with pytest.raises(UsageError, match=f"object {digest_bytes(large)} is 8 MiB, over the st"):
        store.put_objects(page)
    assert store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0] == 0
    store.put_objects({digest_bytes(small): small})  # the page without it is written
    assert store.get_object(digest_bytes(small)) == small
    store.close()
