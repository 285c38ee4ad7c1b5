"""Objects put in the store ahead of the observation that names them.

A watch stores its first list page by page as it arrives (:meth:`Store.put_objects
<stateward.store.store.Store.put_objects>`), then records one observation naming them. Each
must still be stored when it is recorded, and an object leaves the store only through an
erasure, which logs a tombstone in the same transaction (:meth:`Store.erase_object
<stateward.store.store.Store.erase_object>`): an object put once the log held ``since`` entries
is still there unless a tombstone from entry ``since`` on erased it. Where none was logged
since, as when a watch records its first list alone, the record step asks the store about no
object: asking about each of 10,000 took 20-30 ms of the serial tail after the last page
(``bench/bench_watch.py``, load 7).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from stateward.ledger.storage.sql import erased_since
from stateward.store.database import Cursor

__all__ = ["NOTHING_STAGED", "Staged", "maybe_erased"]


@dataclass(frozen=True, slots=True)
class Staged:
    """The digests of objects put ahead of their observation, and how many entries the log
    held before the first was put."""

    digests: Collection[str] = field(default_factory=frozenset)
    since: int = 0
    """The log's size when staging began; 0 (the default) checks every tombstone."""


NOTHING_STAGED = Staged()


def maybe_erased(cursor: Cursor, staged: Staged, digests: Collection[str]) -> set[str]:
    """Those of ``digests`` (put ahead: ``staged``) a tombstone may have erased since, which
    the caller checks are stored; inside the recording transaction, so none is erased after.
    None without ``digests`` (a watch's later batches), and then no table is read."""
    return erased_since(cursor, staged.since).intersection(digests) if digests else set()
