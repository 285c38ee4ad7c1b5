"""The Merkle tree of the ledger: RFC 9162 §2.1, exactly.

References (one RFC, cited everywhere): RFC 9162 (https://www.rfc-editor.org/rfc/rfc9162),
§2.1.1 hashing, §2.1.3 inclusion proofs, §2.1.4 consistency proofs. The storage layout follows Go's
checksum database, https://github.com/golang/mod/blob/eaa9bac524f741566f86762d68a5d6582d0d465b/sumdb/tlog/tlog.go
("tlog.go" below): every hash of a *complete* subtree is stored once, in the order it becomes
complete, so an append writes amortised two hashes and never reads more than log2(n), and any root
or proof is a fold of O(log n) stored hashes: the tree is never recomputed.

Names, mapped once to the RFC's:

| here                  | RFC 9162                                   |
|-----------------------|--------------------------------------------|
| ``leaf_hash(d)``      | ``MTH({d})`` = HASH(0x00 || d)             |
| ``node_hash(l, r)``   | HASH(0x01 || MTH(left) || MTH(right))      |
| ``root(hashes)``      | ``MTH(D_n)`` (the "root hash")             |
| inclusion proof       | ``PATH(m, D_n)``, the "audit path"         |
| consistency proof     | ``PROOF(m, D_n)`` / ``SUBPROOF``           |
| ``index``, ``size``   | ``leaf_index`` / ``m``, ``tree_size`` / ``n`` |
| stored hash (level, n)| ``MTH(D[n*2^level : (n+1)*2^level])``      |

Verification failures raise :class:`VerificationError` with one deliberately terse message, like
Go's ``"invalid transparency proof"``: a proof either verifies or it does not. A stored hash that
is missing or not 32 bytes is :class:`LedgerIntegrityError`; a request that cannot have a proof
(index beyond the tree) is :class:`UsageError`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from itertools import compress
from operator import not_
from typing import NewType, Protocol, cast

from stateward.errors import LedgerIntegrityError, UsageError, VerificationError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "PROOF_FAILED",
    "HashReader",
    "LeafIndex",
    "MemoryHashStore",
    "RightEdge",
    "StoredIndex",
    "TreeSize",
    "UpperHashes",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "read_stored_hashes",
    "root",
    "split_stored_hash_index",
    "stored_hash_count",
    "stored_hash_index",
    "stored_hashes_for_append",
    "stored_hashes_for_batch",
    "stored_hashes_for_entries",
    "tree_hash",
    "verify_consistency",
    "verify_inclusion",
]

TreeSize = NewType("TreeSize", int)
LeafIndex = NewType("LeafIndex", int)
StoredIndex = NewType("StoredIndex", int)
"""Position of a complete-subtree hash in the append-only sequence of stored hashes."""

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH() (RFC 9162 §2.1.1)
PROOF_FAILED = "invalid transparency proof"
_REMEDY = "The proof, checkpoint or ledger does not match; do not trust this history."


class HashReader(Protocol):
    """Reads stored subtree hashes, like tlog.go's ``HashReader``.

    ``read_hashes`` returns the 32-byte hashes at the given stored indexes, in the same order.
    A storage backend implements it with one query (``WHERE idx IN (...)``). Where the store is
    damaged it may return fewer, or some shorter, never one longer: :func:`read_stored_hashes`
    checks them by their total length.
    """

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> Sequence[bytes]: ...


def leaf_hash(data: bytes) -> bytes:
    """Hash of one leaf: RFC 9162 §2.1.1, ``MTH({d(0)}) = HASH(0x00 || d(0))``."""
    return hashlib.sha256(b"\x00" + data).digest()  # SHA-256(0x00 || leaf)


_LEAF = hashlib.sha256(b"\x00")
"""``HASH(0x00 || …`` begun: a leaf's hash goes on from a copy (:meth:`RightEdge._fold`)."""
_NODE = hashlib.sha256(b"\x01")
"""``HASH(0x01 || …`` begun: a node's hash goes on from a copy."""


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash of an interior node: RFC 9162 §2.1.1, ``HASH(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()  # SHA-256(0x01 || L || R)


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """``MTH(D_n)`` of a whole list of leaf hashes, computed in memory (RFC 9162 §2.1.1).

    For a stored tree use :func:`tree_hash`; this one is the definition, for small trees and tests.
    """
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT  # MTH({}) = HASH()
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)  # largest power of two smaller than n
    # MTH(D_n) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
    return node_hash(root(leaf_hashes[:k]), root(leaf_hashes[k:]))


def stored_hash_index(level: int, n: int) -> StoredIndex:
    """Stored index of the hash of subtree ``n`` at ``level`` (tlog.go ``StoredHashIndex``).

    Level ``L``'s n-th hash is stored right after level ``L+1``'s ``(2n+1)``-th hash, so it
    follows leaf ``m = (n + 1) * 2**L - 1``, whose own hash is at ``m + m/2 + m/4 + ...``: that
    sum is ``2m - popcount(m)`` (each set bit ``2**j`` adds ``2**(j+1) - 1``). Closed form, so
    a proof's 2·log2(n) indexes cost no loops (tlog.go loops over the levels and bits).
    """
    m = ((n + 1) << level) - 1
    return StoredIndex(2 * m - m.bit_count() + level)


def stored_hash_count(size: TreeSize) -> int:
    """How many hashes a tree of ``size`` leaves stores (tlog.go ``StoredHashCount``): those
    of leaves ``0..size-1`` and the subtrees they complete, so leaf ``size`` is stored next."""
    return 2 * size - size.bit_count() if size > 0 else 0


def read_stored_hashes(reader: HashReader, indexes: Sequence[StoredIndex]) -> list[bytes]:
    """Read stored hashes, raising LedgerIntegrityError if any is missing or not 32 bytes."""
    if not indexes:
        return []
    hashes = list(reader.read_hashes(indexes))
    if len(hashes) != len(indexes) or not _whole_hashes(hashes):
        raise LedgerIntegrityError(
            "a stored tree hash is missing or not 32 bytes",
            remedy="Run `stateward ledger verify` to find the damaged entry.",
        )
    return hashes


def stored_hashes_for_append(index: LeafIndex, leaf: bytes, reader: HashReader) -> list[bytes]:
    """Hashes to store, in order from ``stored_hash_count(index)``, when leaf ``index`` is appended.

    tlog.go ``StoredHashesForRecordHash``: the leaf hash, then one node hash per subtree the leaf
    completes (RFC 9162 §2.1.1 ``HASH(0x01 || left || right)``). ``reader`` must already hold every
    hash stored for leaves ``0..index-1``. Reads at most log2(index) hashes, amortised one.
    """
    _require_hash(leaf)
    completed = _trailing_ones(index)
    # left siblings of the subtrees being completed, lowest level first
    siblings = [stored_hash_index(level, (index >> level) - 1) for level in range(completed)]
    hashes = [leaf]
    for sibling in read_stored_hashes(reader, siblings):
        hashes.append(node_hash(sibling, hashes[-1]))  # SHA-256(0x01 || left || right)
    return hashes


def stored_hashes_for_batch(
    start: TreeSize, leaf_hashes: Sequence[bytes], reader: HashReader
) -> list[bytes]:
    """All hashes to store, from ``stored_hash_count(start)``, when appending a batch of leaves.

    Same result as :func:`stored_hashes_for_append` leaf by leaf, but ``reader`` is asked once,
    for the log2(start) hashes of the existing tree's right edge (:class:`RightEdge`).
    """
    return RightEdge.read(start, reader).append(leaf_hashes)


def stored_hashes_for_entries(
    start: TreeSize, entries: Sequence[bytes], reader: HashReader
) -> list[bytes]:
    """:func:`stored_hashes_for_batch` of the entries' leaf hashes (:func:`leaf_hash`), each
    entry hashed as it is folded in (:meth:`RightEdge.append_entries`)."""
    return RightEdge.read(start, reader).append_entries(entries)


def split_stored_hash_index(index: StoredIndex) -> tuple[int, int]:
    """``(level, n)`` of the subtree whose hash is stored at ``index`` (tlog.go
    ``SplitStoredHashIndex``); the inverse of :func:`stored_hash_index`.

    The first leaf of that subtree is ``n << level``: the entry to name when the hash is wrong.
    """
    n = index // 2  # stored_hash_index(0, n) < 2n, so the leaf is in [index/2, index/2 + log2]
    at: int = stored_hash_index(0, n)
    if at > index:
        raise AssertionError(f"bad math: stored index {index}")
    while (after := at + 1 + _trailing_zeros(n + 1)) <= index:  # leaf n stores 1 + tz(n+1)
        n, at = n + 1, after
    level = index - at  # committed with leaf n: one of (0, n), (1, n/2), (2, n/4), ...
    return level, n >> level


def tree_hash(size: TreeSize, reader: HashReader) -> bytes:
    """Root hash ``MTH(D_n)`` of the stored tree of ``size`` leaves (RFC 9162 §2.1.1).

    A fold of at most log2(size) stored hashes (tlog.go ``TreeHash``).
    """
    if size < 0:
        raise UsageError(f"tree size {size} is negative")
    if size == 0:
        return EMPTY_ROOT  # MTH({}) = HASH()
    return _range_hashes([(0, size)], reader)[0]


def inclusion_proof(
    index: LeafIndex, size: TreeSize, reader: HashReader, upper: UpperHashes | None = None
) -> list[bytes]:
    """Inclusion proof (audit path) of leaf ``index`` in the tree of ``size``: RFC 9162 §2.1.3.1.

    ``PATH(m, D_n)``: siblings from the leaf up to the root; O(log n) stored hashes, one read,
    less those ``upper`` remembers (then verify the proof before trusting it).
    """
    if not 0 <= index < size:
        raise UsageError(f"leaf index {index} is not in a tree of size {size}")
    # The RFC's recursion, unrolled by the bits of index and size - 1 (the shape §2.1.3.2's
    # verifier walks): below their highest differing bit, ``inner``, the leaf's subtrees are
    # complete and each level's sibling is the subtree (level, (index >> level) ^ 1); at level
    # inner - 1 the sibling is the right part [start, size), which may be the tree's ragged
    # right edge; above, a level adds its left sibling where index has a 1 bit. Proofs are a
    # hot path: stored_hash_index is inlined, and no step runs for a level that adds nothing.
    inner = (index ^ (size - 1)).bit_length()
    levels = list(range(inner - 1))
    levels += [level for level in range(inner, size.bit_length()) if index >> level & 1]
    # stored_hash_index(level, n) is 2m - popcount(m) + level with m = ((n + 1) << level) - 1,
    # whose low ``level`` bits are all 1: popcount(m) = popcount(n) + level, so it is
    # ((n + 1) << (level + 1)) - 2 - popcount(n), here with n = (index >> level) ^ 1
    siblings = [
        (((n := (index >> level) ^ 1) + 1) << (level + 1)) - 2 - n.bit_count() for level in levels
    ]
    edge = (inner - 1, 0, size)
    if inner:  # the right part PATH(m, D[lo:lo+k]) : MTH(D[lo+k:hi]), whose hi is the size
        start = ((index >> (inner - 1)) + 1) << (inner - 1)
        right = size - start
        if right & (right - 1):  # not a power of two: folded from its subtrees
            edge = (inner - 1, start, size)
        else:  # the complete subtree ending at the last leaf
            m, level = size - 1, right.bit_length() - 1
            siblings.insert(inner - 1, 2 * m - m.bit_count() + level)
    return _proof_hashes(siblings, edge, reader, upper)


def _proof_hashes(
    siblings: list[int], edge: tuple[int, int, int], reader: HashReader, upper: UpperHashes | None
) -> list[bytes]:
    """The hashes of a proof's ``siblings`` (stored indexes, leaf's first), with the ragged
    right edge ``edge = (at, start, size)``, ``MTH(D[start:size])``, put at ``at`` unless
    ``start`` is 0 (none): folded from its subtrees, read with the siblings in one call, or
    remembered by ``upper`` from an earlier proof in the tree of that size. The siblings
    before ``at`` are those of levels 0, 1, ...: ``upper`` is asked for none below its
    ``LEVEL``."""
    at, start, size = edge
    folded = upper.edge(start, size) if upper is not None and start else None
    subtrees = _subtrees(start, size) if start and folded is None else []
    indexes = siblings + [stored_hash_index(level, n) for level, n in subtrees]
    if upper is None:
        stored = read_stored_hashes(reader, cast(list[StoredIndex], indexes))
    else:
        stored = upper.read(reader, indexes, min(upper.LEVEL, max(at, 0)))
    proof = stored[: len(siblings)]
    if subtrees:
        folded = _fold(stored[len(siblings) :])
        if upper is not None:
            upper.keep_edge(start, size, folded)
    if folded is not None:
        proof.insert(at, folded)
    return proof


def consistency_proof(old: TreeSize, new: TreeSize, reader: HashReader) -> list[bytes]:
    """Consistency proof between tree sizes ``old`` and ``new``: RFC 9162 §2.1.4.1.

    ``PROOF(m, D_n) = SUBPROOF(m, D_n, true)``; empty when ``old`` is 0 or equals ``new``.
    """
    if not 0 <= old <= new:
        raise UsageError(f"old tree size {old} is not between 0 and new tree size {new}")
    if old in (0, new):
        return []
    ranges: list[tuple[int, int]] = []
    m, lo, hi, whole = int(old), 0, int(new), True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:  # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            ranges.append((lo + k, hi))
            hi = lo + k
        else:  # SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            ranges.append((lo, lo + k))
            m, lo, whole = m - k, lo + k, False
    if not whole:  # SUBPROOF(m, D[m], false) = {MTH(D[m])}
        ranges.append((lo, hi))
    ranges.reverse()
    return _range_hashes(ranges, reader)


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Verify an inclusion proof: RFC 9162 §2.1.3.2. Raises :class:`VerificationError`.

    Rejects any hash that is not 32 bytes, ``index >= size`` and a proof of the wrong length.
    """
    _check(_all_hashes(leaf_hash, root, *proof))
    _check(_is_count(index) and _is_count(size) and index < size)  # step 1
    inner = (index ^ (size - 1)).bit_length()
    _check(len(proof) == inner + (index >> inner).bit_count())
    fn, sn, r = index, size - 1, leaf_hash  # steps 2 and 3
    for p in proof:  # step 4
        _check(sn != 0)  # 4a
        if fn & 1 or fn == sn:  # 4b
            r = node_hash(p, r)  # r = HASH(0x01 || p || r)
            if not fn & 1:
                fn, sn = _shift_until_odd(fn, sn)
        else:
            r = node_hash(r, p)  # r = HASH(0x01 || r || p)
        fn, sn = fn >> 1, sn >> 1  # 4c
    _check(sn == 0 and hmac.compare_digest(r, root))  # step 5


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Verify a consistency proof: RFC 9162 §2.1.4.2. Raises :class:`VerificationError`.

    The RFC covers ``0 < m < n``. Outside it common verifiers are lax: transparency-dev/merkle
    ``VerifyConsistency`` (``proof/verify.go`` at 1a0a88b) and tlog-scales 0.0.3 accept an empty
    proof from size 0 whatever ``old_root`` is. The policy here is stricter: ``m == 0`` accepts
    only an empty proof with ``old_root == SHA-256("")`` (the empty tree's hash, RFC 9162
    §2.1.1); ``m == n`` only an empty proof and equal roots.
    """
    _check(_all_hashes(old_root, new_root, *proof))
    _check(_is_count(old_size) and _is_count(new_size) and old_size <= new_size)
    _check(old_size != 0 or hmac.compare_digest(old_root, EMPTY_ROOT))
    if old_size in (0, new_size):
        _check(not proof and (old_size != new_size or hmac.compare_digest(old_root, new_root)))
        return
    _check(len(proof) == _consistency_length(old_size, new_size))  # includes step 1
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # step 2: first is an exact power of 2
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1  # step 3
    while fn & 1:  # step 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        _check(sn != 0)  # 6a
        if fn & 1 or fn == sn:  # 6b
            fr = node_hash(c, fr)  # fr = HASH(0x01 || c || fr)
            sr = node_hash(c, sr)  # sr = HASH(0x01 || c || sr)
            if not fn & 1:
                fn, sn = _shift_until_odd(fn, sn)
        else:
            sr = node_hash(sr, c)  # sr = HASH(0x01 || sr || c)
        fn, sn = fn >> 1, sn >> 1  # 6c
    _check(sn == 0 and hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root))


class RightEdge:
    """The complete subtrees along the right edge of a tree, largest first: all an append needs.

    Leaf ``n`` completes one subtree per trailing 1 bit of ``n``, each merging with the subtree
    on top of the stack (RFC 9162 §2.1.1). Start empty to recompute a ledger from its entries
    (``ledger verify``), or :meth:`read` it from storage to append.
    """

    def __init__(self) -> None:
        self.size = TreeSize(0)
        self.stack: list[bytes] = []

    @classmethod
    def read(cls, size: TreeSize, reader: HashReader) -> RightEdge:
        """The right edge of the stored tree of ``size`` leaves: log2(size) hashes, one read."""
        edge = cls()
        edge.stack, edge.size = read_stored_hashes(reader, cls.indexes(size)), size
        return edge

    @staticmethod
    def indexes(size: TreeSize) -> list[StoredIndex]:
        """Stored indexes of the right edge of the tree of ``size`` leaves, largest first."""
        return [stored_hash_index(level, n) for level, n in _subtrees(0, size)]

    def append_edge(self, other: RightEdge) -> list[bytes]:
        """Append the leaves ``other`` was built from (from empty), given only its edge; return
        the node hashes that joining completes, stored right after ``other``'s own.

        Lets the leaves of an aligned block be folded elsewhere (a worker process): a block
        starting at a multiple of its largest power of two holds the same subtrees at any
        offset, so only the joins above it remain (RFC 9162 §2.1.1, ``HASH(0x01 || L || R)``).
        """
        top = other.size.bit_length() - 1
        levels = [level for level in range(top, -1, -1) if other.size >> level & 1]
        if levels and self.size % (1 << levels[0]):
            raise UsageError(f"a block of {other.size} leaves cannot follow {self.size} leaves")
        stack, new = self.stack, list[bytes]()
        for h, level in zip(other.stack, levels, strict=True):
            index = self.size >> level
            while index & 1:
                h = hashlib.sha256(b"\x01" + stack.pop() + h).digest()  # SHA-256(0x01||L||R)
                new.append(h)
                index >>= 1
            stack.append(h)
            self.size = TreeSize(self.size + (1 << level))
        return new

    def append(self, leaf_hashes: Sequence[bytes]) -> list[bytes]:
        """Append leaves; return the hashes to store from ``stored_hash_count(old size)`` on."""
        if not _hash_list(leaf_hashes):
            raise UsageError("a leaf hash must be exactly 32 bytes")
        return self._fold(leaf_hashes, hashed=True)

    def append_entries(self, entries: Sequence[bytes]) -> list[bytes]:
        """:meth:`append` of the entries' leaf hashes (RFC 9162 §2.1.1), each entry hashed as
        it is folded in: the ledger's appends and ``ledger verify``."""
        return self._fold(entries, hashed=False)

    def _fold(self, items: Sequence[bytes], *, hashed: bool) -> list[bytes]:
        """Fold in leaf hashes, or entries (``hashed=False``), hashed here.

        The ledger's hot path, two hashes a leaf on average. Each goes on from a copy of a
        hash object begun with its prefix byte: no ``0x00 || entry`` or ``0x01 || L || R``
        bytes are built, and no OpenSSL context is set up from the algorithm's name, as each
        ``hashlib.sha256()`` does (a copy duplicates one set up once). With the leaves hashed
        in this loop, not in a list before it, a batch's hashing and folding took 870 ns of
        CPU a leaf against 1,010 (150-byte entries, the least of 15 rounds each,
        interleaved)."""
        stack, new = self.stack, list[bytes]()
        put, leaf, node = new.append, _LEAF.copy, _NODE.copy
        for index, item in enumerate(items, self.size):
            h = item
            if not hashed:
                d = leaf()
                d.update(item)
                h = d.digest()  # SHA-256(0x00 || entry)
            put(h)
            while index & 1:
                d = node()
                d.update(stack.pop())
                d.update(h)
                h = d.digest()  # SHA-256(0x01 || left || right)
                put(h)
                index >>= 1
            stack.append(h)
        self.size = TreeSize(self.size + len(items))
        return new

    def root(self) -> bytes:
        """``MTH(D_n)``: the edge folded from the right (RFC 9162 §2.1.1)."""
        return _fold(self.stack) if self.stack else EMPTY_ROOT  # MTH({}) = HASH()


class UpperHashes:
    """The hashes of large subtrees (``2**LEVEL`` leaves or more) of one log, remembered across
    inclusion proofs: each is on the proofs of all its leaves, and a stored hash never changes
    once written. Only for proofs that are verified afterwards against a signed root
    (``Ledger.prove``, the server's proofs): a hash remembered before the store was damaged or
    replaced then fails that check, as the damaged row itself would."""

    LEVEL = 10
    MOST = 1 << 16
    """At most this many (about 10 MB): all of them up to a log of 30M entries."""

    def __init__(self) -> None:
        self.kept: dict[int, bytes] = {}
        self.edges: dict[int, bytes] = {}
        """``MTH(D[start:size])`` of ragged right edges of the tree of size ``edge_size``, by
        ``start``: most proofs
        take one (the right sibling of the last left turn made while the range still ends at
        the size), folded from one stored subtree hash a set bit of ``size - start``. With
        them remembered a proof's median took 80-83 us against 90-94 at 10M entries, 57-61
        against 67-73 at 1M (1,000 random leaves, 4 runs each, interleaved, load 7, the file
        in the page cache)."""
        self.edge_size = 0

    def edge(self, start: int, size: int) -> bytes | None:
        """The right edge ``MTH(D[start:size])`` remembered, or None."""
        return self.edges.get(start) if size == self.edge_size else None

    def keep_edge(self, start: int, size: int, folded: bytes) -> None:
        """Remember the right edge ``MTH(D[start:size])``; only those of one tree size at a
        time: a growing log's earlier sizes are asked for no more."""
        if self.edge_size != size:
            self.edges.clear()
            self.edge_size = size
        self.edges[start] = folded

    def read(self, reader: HashReader, indexes: list[int], low: int) -> list[bytes]:
        """The stored hashes at ``indexes``: the first ``low``, of small subtrees, read; the
        others those remembered, the rest read in the same call (:func:`read_stored_hashes`)
        and remembered. A small subtree is on the proofs of few leaves: remembering it costs
        more than it spares. The passes are C-level calls (map, compress) where they can be,
        over the remembered part only: a step of a comprehension or loop costs hundreds of
        instructions."""
        kept, high = self.kept, indexes[low:]
        known = list(map(kept.get, high))
        asked = indexes[:low]
        if not all(known):  # a hash is never empty: None only
            asked += compress(high, map(not_, known))
        read = read_stored_hashes(reader, cast(list[StoredIndex], asked))
        if len(read) == low:
            return read + cast(list[bytes], known)
        fresh = read[low:]
        if len(kept) < self.MOST:
            kept.update(zip(asked[low:], fresh, strict=True))
        more = iter(fresh)
        return read[:low] + [h or next(more) for h in known]


class MemoryHashStore:
    """Stored hashes in a list: a complete in-memory tree (tests, benchmarks, export staging)."""

    def __init__(self) -> None:
        self.hashes: list[bytes] = []
        self.size = TreeSize(0)

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> list[bytes]:
        """Implements :class:`HashReader`."""
        if any(not 0 <= i < len(self.hashes) for i in indexes):
            raise LedgerIntegrityError("a stored tree hash is missing")
        return [self.hashes[i] for i in indexes]

    def append(self, leaf: bytes) -> LeafIndex:
        """Append one leaf hash, storing the hashes it completes; returns its index."""
        index = LeafIndex(self.size)
        self.hashes.extend(stored_hashes_for_append(index, leaf, self))
        self.size = TreeSize(self.size + 1)
        return index

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append a batch of leaf hashes (:func:`stored_hashes_for_batch`)."""
        self.hashes.extend(stored_hashes_for_batch(self.size, leaf_hashes, self))
        self.size = TreeSize(self.size + len(leaf_hashes))


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``k`` in RFC 9162 §2.1.1), for n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtrees(lo: int, hi: int) -> list[tuple[int, int]]:
    """``(level, n)`` of the complete subtrees that make up leaves ``[lo, hi)``, largest first.

    Every range an RFC 9162 §2.1 recursion produces is aligned this way (tlog.go ``subTreeIndex``).
    """
    subtrees = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1  # largest 2**level <= hi - lo
        if lo & ((1 << level) - 1):
            raise AssertionError(f"bad math: range [{lo}, {hi}) is not aligned")
        subtrees.append((level, lo >> level))
        lo += 1 << level
    return subtrees


def _range_hashes(ranges: Sequence[tuple[int, int]], reader: HashReader) -> list[bytes]:
    """``MTH(D[lo:hi])`` for each range, reading all the stored hashes needed in one call."""
    plans = [_subtrees(lo, hi) for lo, hi in ranges]
    indexes = [stored_hash_index(level, n) for plan in plans for level, n in plan]
    stored = iter(read_stored_hashes(reader, indexes))
    return [_fold([next(stored) for _ in plan]) for plan in plans]


def _fold(subtrees: Sequence[bytes]) -> bytes:
    """``MTH`` of a range from its complete subtrees, largest first (:func:`_subtrees`)."""
    h = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        h = node_hash(left, h)  # MTH(D_n) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
    return h


def _consistency_length(old_size: int, new_size: int) -> int:
    """Proof length for 0 < old < new (transparency-dev/merkle proof/verify.go, at
    https://github.com/transparency-dev/merkle/blob/1a0a88bf36b9cec3234d3cf6babe50f90898355a/proof/verify.go)."""
    shift = _trailing_zeros(old_size)
    inner = ((old_size - 1) ^ (new_size - 1)).bit_length()
    border = ((old_size - 1) >> inner).bit_count()
    seed = 0 if old_size == 1 << shift else 1  # old_root itself, unless old is a power of two
    return seed + inner - shift + border


def _shift_until_odd(fn: int, sn: int) -> tuple[int, int]:
    """Right-shift both until ``LSB(fn)`` is set or ``fn`` is 0 (RFC 9162 §2.1.3.2 step 4b.ii)."""
    while True:
        fn, sn = fn >> 1, sn >> 1
        if fn & 1 or fn == 0:
            return fn, sn


def _trailing_ones(n: int) -> int:
    return _trailing_zeros(~n)


def _trailing_zeros(n: int) -> int:
    return (n & -n).bit_length() - 1


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _all_hashes(*values: object) -> bool:
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)


def _hash_list(values: Sequence[object]) -> bool:
    """:func:`_all_hashes` for a batch, in two C-level passes instead of a Python loop."""
    return set(map(type, values)) <= {bytes} and set(map(len, values)) <= {HASH_SIZE}  # type: ignore[arg-type]


def _whole_hashes(hashes: list[bytes]) -> bool:
    """Whether hashes read from storage are all whole, 32 bytes each: a reader never returns
    one longer (:class:`HashReader`), so their total says so. A join and a length, where the
    ``type``-then-``len`` sets of :func:`_hash_list` took 13,125 instructions over a proof's
    14 hashes against 3,813 (callgrind, the call included)."""
    try:
        return len(b"".join(hashes)) == HASH_SIZE * len(hashes)
    except TypeError:  # text (a pack stored as TEXT), or None
        return False


def _require_hash(value: object) -> None:
    if not _all_hashes(value):
        raise UsageError("a leaf hash must be exactly 32 bytes")


def _check(condition: bool) -> None:
    if not condition:
        raise VerificationError(PROOF_FAILED, remedy=_REMEDY)
