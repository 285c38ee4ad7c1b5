"""``ledger verify``: recompute the whole tree from the entries and compare, trusting nothing.

Every entry is read in index order, parsed strictly (:meth:`Entry.decode`), hashed (RFC 9162
§2.1.1) and appended to an empty :class:`merkle.RightEdge`; each hash it yields must equal the
row stored at the same stored index. The first row that differs names the first bad entry:
a leaf-hash row at ``(0, n)`` is entry ``n``, a node row at ``(level, n)`` covers entries from
``n << level`` (``merkle.split_stored_hash_index``). Whether the entry or its leaf-hash row was
edited is told by the parent row: an edited entry also breaks the stored parent, an edited row
does not. Every stored checkpoint must carry the log's signature and the recomputed root at
its size, which catches a ledger rewritten with freshly recomputed hashes.

Parsing is most of the work, so a large log is read, parsed, folded and compared in worker
processes, a block each over a connection of their own, and the blocks joined here in log
order: the same checks, the same report.

Objects are checked by the store (it knows their encoding); this module reports which objects
the entries commit to and which tombstones erased them.
"""

from __future__ import annotations

import gc
import hmac
import os
import threading
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_all_start_methods
from typing import Any, TypeVar

from stateward import heap
from stateward.errors import StatewardError
from stateward.ledger.checkpoint import open_checkpoint
from stateward.ledger.entry import EntryType, read_leaves
from stateward.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    RightEdge,
    StoredIndex,
    TreeSize,
    split_stored_hash_index,
    stored_hash_count,
    stored_hash_index,
)
from stateward.ledger.signer import Verifier
from stateward.ledger.storage import sql
from stateward.ledger.storage.interface import Cursor, Database
from stateward.ledger.storage.schema import PACK
from stateward.sources.interface import Progress
from stateward.workers import forked_pool, pipes_may_break

__all__ = [
    "CHUNK",
    "PARALLEL_FROM",
    "WORKERS",
    "LogReport",
    "Problem",
    "problem_order",
    "verify_log",
]

T = TypeVar("T")
CHUNK = 1 << 15
"""Entries read, hashed and compared per block: a power of two, so that every block starts
at a multiple of its size and folds apart (:meth:`RightEdge.append_edge`)."""
PARALLEL_FROM = 4 * CHUNK
"""Below this many entries, starting worker processes costs more than it saves."""
_CORES = os.cpu_count() or 1
WORKERS = min(_CORES, 8) if _CORES > 1 else 0
"""Worker processes: one per core (this process reads and compares meanwhile); none on one."""
_MAX_MISMATCHES = 1000
_BLOCK_MIB = CHUNK * 1536 >> 20
"""Small objects a block makes at its peak, allowed for (:func:`heap.keep_freed`): about 1 KiB
a leaf of 150 bytes (its row, its text, its time and shape, its hashes), half again for
longer leaves."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing that does not match, at the first entry it concerns (None: the log as a whole)."""

    entry: int | None
    message: str
    whole: bool = field(default=False, compare=False)
    """About the store as a whole (its file, the log's size or key): the likely cause of
    problems found at entries, so reported before them."""

    def text(self) -> str:
        """``entry N: …`` or the bare message."""
        return self.message if self.entry is None else f"entry {self.entry}: {self.message}"


@dataclass
class LogReport:
    """What :func:`verify_log` found."""

    size: TreeSize = TreeSize(0)
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)
    """Object digest to the first entry that commits to it."""
    erased: dict[str, int] = field(default_factory=dict)
    """Object digest to the tombstone entry that erased it."""
    manifests: dict[str, int] = field(default_factory=dict)
    """Observation manifest digest to the first observation entry that commits to it."""
    observations: dict[int, tuple[str | None, str, dict[str, str]]] = field(default_factory=dict)
    """Observation entry index to its estate, time and the objects it names (its manifest…)."""
    by_type: dict[str, int] = field(default_factory=dict)


def verify_log(
    db: Database,
    verifier: Verifier | None,
    *,
    workers: int = WORKERS,
    progress: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> LogReport:
    """Recompute the log in ``db`` and compare it with every stored hash and checkpoint.

    Without a usable ``verifier`` (the caller reports why) checkpoints are counted, not checked.
    ``workers``: processes parsing entries once the log has :data:`PARALLEL_FROM` of them.
    ``progress`` hears the entries checked so far, and the log's size. ``meanwhile`` (another check of
    the store) is called here once the workers have their first blocks, when the log has any:
    this process would only wait.
    """
    report = LogReport()
    log = db.read_only(sql.read_log)
    notes = db.read_only(sql.checkpoint_notes)
    report.size = log.size
    marks = {size for size, _ in notes}
    try:
        roots, within = _recompute(db, report, log.size, marks, workers, progress, meanwhile)
    except BrokenProcessPool:  # a worker was killed (out of memory, say): do it here instead
        return verify_log(db, verifier, workers=0, progress=progress, meanwhile=meanwhile)
    _check_counts(
        report, log.size, db.read_only(partial(_row_counts, size=log.size, within=within))
    )
    for size, note in notes:
        if verifier is not None:
            _check_checkpoint(report, verifier, log.origin, size, note, roots)
    report.checkpoints = len(notes)
    report.problems.sort(key=problem_order)
    return report


def problem_order(problem: Problem) -> tuple[bool, bool, Problem]:
    """Sort key: problems of the whole store, then by entry, then the rest."""
    return not problem.whole, problem.entry is None, problem


def _row_counts(cursor: Cursor, size: TreeSize, within: int) -> tuple[int, int, int, int]:
    """Entries stored (those the blocks counted within the log's range, plus any outside it:
    two short index ranges, where ``COUNT(*)`` of the whole table would read all of it),
    their last index, and the packs of hashes with their bytes (a few thousand rows)."""
    entries = cursor.execute(
        "SELECT (SELECT COUNT(*) FROM ledger_entries WHERE idx < 0) "
        "+ (SELECT COUNT(*) FROM ledger_entries WHERE idx >= ?)",
        (size,),
    )[0][0]
    last = cursor.execute("SELECT COALESCE(MAX(idx), -1) FROM ledger_entries")[0][0]
    packs, held = cursor.execute(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(hashes)), 0) FROM ledger_hash_packs"
    )[0]
    return within + int(entries), int(last), int(packs), int(held)


def _check_counts(report: LogReport, size: TreeSize, counts: tuple[int, int, int, int]) -> None:
    entries, last, packs, held = counts
    if entries != size or last != size - 1:
        report.problems.append(
            Problem(
                None,
                f"ledger_log.size is {size} but {entries} entries are stored (last index {last})",
                whole=last != size - 1,  # else entries are missing below it: those are named
            )
        )
    count = stored_hash_count(size)
    if held != count * HASH_SIZE or packs != -(-count // PACK):
        report.problems.append(
            Problem(
                None,
                f"ledger_hash_packs holds {held / HASH_SIZE:g} tree hashes in {packs} rows; "
                f"a log of {size} entries has {count} in {-(-count // PACK)}",
            )
        )


def _recompute(
    db: Database,
    report: LogReport,
    size: TreeSize,
    marks: set[TreeSize],
    workers: int,
    progress: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[dict[int, bytes], int]:
    """Fold every entry into a fresh right edge; returns the root at each size in ``marks``,
    and how many entries were found in the range the log spans.

    Blocks of :data:`CHUNK` entries are read, parsed, hashed, folded and compared with the
    stored rows by ``workers`` processes, each over a connection of its own
    (:func:`_check_block`): no entry or hash crosses between processes. This one joins the
    blocks' edges in log order (:meth:`RightEdge.append_edge`) and compares the few node
    hashes each join completes. The roots at the checkpoint sizes are folded from the
    recomputed hashes of their right edges.
    """
    edge = RightEdge()
    wanted = sorted({i for m in marks if 0 < m <= size for i in RightEdge.indexes(m)})
    recomputed: dict[StoredIndex, bytes] = {}
    mismatches: list[StoredIndex] = []
    within = 0
    if progress is not None:
        progress(0, size)
    parallel = workers if size >= PARALLEL_FROM else 0
    with _executor(db, parallel) as (pool, check):
        pending: deque[tuple[int, Future[_Checked]]] = deque()
        starts = iter(range(0, size, CHUNK))
        while True:
            while len(pending) <= 2 * parallel and (start := next(starts, None)) is not None:
                end = min(start + CHUNK, size)
                first = stored_hash_count(TreeSize(start))
                own = _between(wanted, first, stored_hash_count(TreeSize(end - start)))
                pending.append((start, pool.submit(check, start, end, own)))
            if not pending:
                break
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            start, done = pending.popleft()
            block = done.result()
            _merge(report, block.report)
            recomputed.update(block.kept)
            joined = edge.append_edge(block.edge)
            at = stored_hash_count(TreeSize(start)) + stored_hash_count(block.edge.size)
            for i in _between(wanted, at, len(joined)):
                recomputed[i] = joined[i - at]
            within += block.stored
            if len(mismatches) < _MAX_MISMATCHES:
                mismatches += block.mismatches + _compared(db, at, joined)
            if progress is not None:
                progress(min(start + CHUNK, size), size)
    _name_mismatches(report, mismatches, size)
    return _roots_at(marks, size, _Recomputed(recomputed)), within


def _between(indexes: list[StoredIndex], first: int, count: int) -> list[StoredIndex]:
    """The sorted ``indexes`` in ``first .. first + count - 1``."""
    return indexes[bisect_left(indexes, first) : bisect_left(indexes, first + count)]


@dataclass(frozen=True)
class _Checked:
    """One block of entries checked (:func:`_check_block`)."""

    edge: RightEdge
    """The block's own right edge, folded from empty."""
    report: LogReport
    """What its entries say (types, objects, problems), merged in log order."""
    kept: dict[StoredIndex, bytes]
    """The recomputed hashes asked for (checkpoint roots need them)."""
    mismatches: list[StoredIndex]
    """Stored rows that differ from the recomputed hashes."""
    stored: int
    """The entries found in the block's range."""


def _check_block(db: Database, start: int, end: int, keep: list[StoredIndex]) -> _Checked:
    """Read entries ``start..end-1``, parse and hash them, fold them into an edge of their
    own, and compare the hashes they store with the stored rows."""
    entries, joined, found = db.read_only(
        partial(_entry_rows, start=start, end=end, dialect=db.dialect)
    )
    part, edge = LogReport(), RightEdge()
    _read(part, start, entries, joined)
    hashes = edge.append_entries(entries)
    first = stored_hash_count(TreeSize(start))
    kept = {i: hashes[i - first] for i in keep}
    return _Checked(edge, part, kept, _compared(db, first, hashes), found)


def _compared(db: Database, first: int, hashes: list[bytes]) -> list[StoredIndex]:
    """Where a block's recomputed hashes (stored indexes from ``first``) differ from the
    stored ones: the packs holding them are compared as one buffer, and hash by hash only
    when that differs."""
    end = first + len(hashes)
    if not hashes or db.read_only(partial(sql.read_hash_range, first=first, end=end)) == b"".join(
        hashes
    ):
        return []
    rows = db.read_only(lambda c: sql.CursorHashes(c).read_slots(range(first, end)))
    return list(_differences(first, hashes, rows))


def _roots_at(marks: set[TreeSize], size: TreeSize, recomputed: _Recomputed) -> dict[int, bytes]:
    """The root at each of ``marks`` within ``size``, from the recomputed right-edge hashes."""
    roots = {0: EMPTY_ROOT}
    for mark in marks:
        if 0 < mark <= size:
            roots[mark] = RightEdge.read(mark, recomputed).root()
    return roots


class _Recomputed:
    """The recomputed hashes kept for the checkpoints' roots (:class:`merkle.HashReader`)."""

    def __init__(self, hashes: dict[StoredIndex, bytes]) -> None:
        self._hashes = hashes

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> list[bytes]:
        return [self._hashes[i] for i in indexes]


_Check = Callable[[int, int, list[StoredIndex]], _Checked]


@contextmanager
def _executor(db: Database, workers: int) -> Iterator[tuple[Executor, _Check]]:
    """Processes for ``workers`` > 0 (leaf parsing is pure Python: threads would share one
    core), each with a connection of its own, else this process over ``db``. Forked, not
    spawned: a spawned worker imports the caller's main module again, which a script without
    a ``__main__`` guard cannot bear; a forked one never touches the connection it inherits.
    Only from a process of one thread: a child forked while another thread holds a lock
    (SQLite's, the allocator's) inherits it held and waits forever when it opens its connection
    (a server verifies in this process instead)."""
    if workers > 0 and "fork" in get_all_start_methods() and threading.active_count() == 1:
        with pipes_may_break(), forked_pool(workers, _open_reader, (db,)) as pool:
            yield pool, _check_in_worker
    else:
        yield _InProcess(), partial(_check_block, db)


_READER: list[Database] = []
"""A worker process's own connection (:func:`_open_reader`)."""


def _open_reader(db: Database) -> None:
    # A block makes and frees a few hundred thousand objects (rows, strings, tuples), none in
    # a cycle, so reference counting frees them all; the cyclic collector would only walk
    # them again, a quarter of a worker's time. A worker lives for one verify.
    gc.disable()
    # The memory a block frees is kept for the next: given back, it was faulted in again
    # block after block, 8,700 pages of 4 KiB and 22 ms of the kernel's time a block of
    # 32,768 entries on PostgreSQL (a fifth of the block), 650 pages and 5 ms kept.
    heap.keep_freed(_BLOCK_MIB)
    _READER.append(db.open_reader())


def _check_in_worker(start: int, end: int, keep: list[StoredIndex]) -> _Checked:
    return _check_block(_READER[0], start, end, keep)


class _InProcess(Executor):
    """Runs each call at once: the serial path is the parallel one with no workers."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))  # an exception stops verify, as it would here
        return future


def _merge(report: LogReport, part: LogReport) -> None:
    """Add a later chunk's findings: first references stay first, a later tombstone wins."""
    report.problems += part.problems
    for kind, count in part.by_type.items():
        report.by_type[kind] = report.by_type.get(kind, 0) + count
    for digest, index in part.references.items():
        report.references.setdefault(digest, index)
    for digest, index in part.manifests.items():
        report.manifests.setdefault(digest, index)
    report.erased.update(part.erased)
    report.observations.update(part.observations)


# The entries of a range joined one a line by SQLite, with their count. SQLite 3.40 has no
# ORDER BY inside an aggregate; a subquery with ORDER BY under an aggregate is never flattened
# (https://www.sqlite.org/optoverview.html#flattening, rule 16), so it feeds group_concat in
# order. Entries in another order could only fail to match.
_JOINED = (
    "SELECT COUNT(*), CAST(group_concat(entry, x'0a') AS BLOB) "
    "FROM (SELECT entry FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx)"
)
# PostgreSQL sends them row by row in binary form, joined here: its string_agg would be sent
# as hex text, and took more of the server than the join takes here (a block of 32,768 in
# 96 ms that way, 50 ms this way, load 12); in binary form, with the rows in order, the
# server still spent twice the CPU building the one value (24 against 11 ms a block, load 17).
_IN_ORDER = "SELECT entry FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx"
# In index order, never sorted: the primary key's index scan yields them so. A table not yet
# analyzed (a ledger just written: autovacuum had not run 50 s after a million appends) gives
# the planner no row counts, and it chose a bitmap scan and a sort of 6.5 MB, spilt to disk at
# the default work_mem of 4 MB: 29 against 11 ms of the server's CPU a block, 112 against 33
# ms of its time (EXPLAIN ANALYZE). Sorting off for the block's transaction only
# (https://www.postgresql.org/docs/15/runtime-config-query.html#GUC-ENABLE-SORT).
_NO_SORT = "SET LOCAL enable_sort = off"


def _entry_rows(
    cursor: Cursor, start: int, end: int, dialect: str
) -> tuple[list[bytes], bytes | None, int]:
    """Entries ``start..end-1`` (a missing one as empty bytes, and so a hash mismatch), the
    same joined by line breaks when every one is there (on SQLite, when none holds one
    either), and how many are stored.

    The leaves are read joined (:func:`read_leaves`, which finds a leaf holding a line break
    itself): SQLite joins them, one value carried out of the database, not a row per entry;
    PostgreSQL sends rows in binary form (a ``bytea`` as ``bytes``), joined here."""
    if dialect == "postgresql":
        cursor.execute(_NO_SORT)
        entries = [entry for (entry,) in cursor.query_binary(_IN_ORDER, (start, end))]
        if len(entries) == end - start:  # indexes are unique and in range: every one is there
            return entries, b"\n".join(entries), len(entries)
    else:
        count, joined = cursor.execute(_JOINED, (start, end))[0]
        if count == end - start and joined is not None:
            data = bytes(joined)
            lines = data.split(b"\n")
            if len(lines) == count:  # no leaf holds a line break: the lines are the leaves
                return lines, data, count
    rows = cursor.execute(
        "SELECT idx, entry FROM ledger_entries WHERE idx >= ? AND idx < ?", (start, end)
    )
    found = {int(i): bytes(e) for i, e in rows}
    return [found.get(i, b"") for i in range(start, end)], None, len(found)


_TOMBSTONE = EntryType.TOMBSTONE.value


def _read(part: LogReport, start: int, entries: list[bytes], joined: bytes | None) -> None:
    """Parse each entry and note the objects it commits to."""
    leaves = read_leaves(entries, joined)
    for offset, reason in leaves.problems.items():
        part.problems.append(Problem(start + offset, reason if entries[offset] else "is missing"))
    part.by_type.update(leaves.types)  # the block's own report: empty so far
    part.references.update((digest, start + at) for digest, at in leaves.references.items())
    for offset, document in leaves.documents.items():
        objects = document["objects"]
        if document["type"] == _TOMBSTONE:
            part.erased[objects["erased"]] = start + offset
        elif "manifest" in objects:  # an observation
            part.manifests.setdefault(objects["manifest"], start + offset)
            part.observations[start + offset] = (document["estate"], document["time"], objects)


def _differences(
    first: int, hashes: list[bytes], rows: list[bytes | None]
) -> Iterator[StoredIndex]:
    for i, (expected, stored) in enumerate(zip(hashes, rows, strict=True), first):
        if stored is None or not hmac.compare_digest(stored, expected):
            yield StoredIndex(i)


def _name_mismatches(report: LogReport, mismatches: list[StoredIndex], size: int) -> None:
    """One problem per bad stored row, worded for what was most likely edited."""
    bad = set(mismatches)
    for index in mismatches:
        level, n = split_stored_hash_index(index)
        first = n << level
        if level:
            last = min(size, (n + 1) << level) - 1
            if not _child_explains(bad, level, n):
                report.problems.append(
                    Problem(
                        first,
                        f"the stored tree hash over entries {first}..{last} "
                        "does not match them (the hash row was altered)",
                    )
                )
            continue
        parent = stored_hash_index(1, n >> 1) if (n | 1) < size else None  # sibling exists
        if parent is not None and parent not in bad:
            message = "its stored leaf hash was altered (the entry matches the tree above it)"
        elif parent is not None:
            message = "its content does not match its stored hash (the entry was altered)"
        else:
            message = "its content or its stored leaf hash was altered"
        report.problems.append(Problem(first, message))


def _child_explains(bad: set[StoredIndex], level: int, n: int) -> bool:
    """A node row differs because a row below it does: name that one instead."""
    return any(stored_hash_index(level - 1, 2 * n + side) in bad for side in (0, 1))


def _check_checkpoint(
    report: LogReport,
    verifier: Verifier,
    origin: str,
    size: TreeSize,
    note: str,
    roots: dict[int, bytes],
) -> None:
    try:
        checkpoint = open_checkpoint(note, verifier, origin=origin, source=f"checkpoint {size}")
    except StatewardError:
        report.problems.append(
            Problem(None, f"the checkpoint at size {size} is not validly signed by the log key")
        )
        return
    if checkpoint.size != size or size not in roots:
        report.problems.append(
            Problem(
                None,
                f"the checkpoint at size {size} is for a tree the "
                f"ledger does not hold ({report.size} entries)",
            )
        )
    elif not hmac.compare_digest(checkpoint.root_hash, roots[size]):
        report.problems.append(
            Problem(
                None,
                f"the signed checkpoint at size {size} does not "
                "match the entries: history before it was rewritten",
            )
        )
