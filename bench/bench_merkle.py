"""Merkle tree benchmark: in-memory append and proof latency at 1,000,000 leaves.

Every figure is printed next to a baseline measured in the same run (bare hashlib leaf hashing),
so the ratio holds across machines. The durable-append benchmark lives with the storage backends.
Run: ``.venv/bin/python -m bench.bench_merkle``.
"""

from __future__ import annotations

import hashlib
import random
import statistics

from bench.timing import latencies, timed
from stateward.ledger import merkle
from stateward.ledger.merkle import LeafIndex, MemoryHashStore, TreeSize

LEAVES = 1_000_000
BATCH = 1_000
SAMPLES = 2_000


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    entries = [i.to_bytes(8, "big") * 4 for i in range(LEAVES)]  # 32-byte "small entries"
    baseline, leaf_hashes = timed(lambda: [hashlib.sha256(b"\x00" + e).digest() for e in entries])
    one_by_one, store = timed(lambda: _append_each(leaf_hashes))
    batched, _ = timed(lambda: _append_batches(leaf_hashes))
    size = TreeSize(LEAVES)
    root = merkle.tree_hash(size, store)
    rng = random.Random(9162)
    indexes = [LeafIndex(rng.randrange(LEAVES)) for _ in range(SAMPLES)]
    prove = latencies(lambda i: merkle.inclusion_proof(i, size, store), indexes)
    proofs = {i: merkle.inclusion_proof(i, size, store) for i in indexes}
    verify = latencies(
        lambda i: merkle.verify_inclusion(leaf_hashes[i], i, size, proofs[i], root), indexes
    )
    olds = [TreeSize(i + 1) for i in indexes]
    consistency = latencies(lambda m: merkle.consistency_proof(m, size, store), olds)
    root_time = latencies(lambda _: merkle.tree_hash(size, store), olds[:200])
    return [
        f"bare hashlib leaf hashing: {LEAVES / baseline:,.0f} leaves/s ({baseline:.2f} s)",
        _ratio("append one leaf at a time (stored hashes in memory)", one_by_one, baseline),
        _ratio(f"append in batches of {BATCH:,} (stored_hashes_for_batch)", batched, baseline),
        f"stored hashes at {LEAVES:,} leaves: {len(store.hashes):,} "
        f"({len(store.hashes) / LEAVES:.2f} per leaf)",
        _latency("inclusion proof generation", prove),
        _latency("inclusion proof verification", verify),
        _latency("consistency proof generation", consistency),
        _latency("root hash (tree_hash) from stored hashes", root_time),
    ]


def _append_each(leaf_hashes: list[bytes]) -> MemoryHashStore:
    store = MemoryHashStore()
    for leaf in leaf_hashes:
        store.append(leaf)
    return store


def _append_batches(leaf_hashes: list[bytes]) -> MemoryHashStore:
    store = MemoryHashStore()
    for start in range(0, len(leaf_hashes), BATCH):
        store.extend(leaf_hashes[start : start + BATCH])
    return store


def _ratio(label: str, seconds: float, baseline: float) -> str:
    return (
        f"{label}: {LEAVES / seconds:,.0f} leaves/s = {baseline / seconds:.2f} x bare hashing "
        f"({seconds:.2f} s)"
    )


def _latency(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[int(len(ordered) * 0.99)]
    return (
        f"{label} at {LEAVES:,} leaves: median {statistics.median(times) * 1e6:.1f} us, "
        f"p99 {p99 * 1e6:.1f} us"
    )


if __name__ == "__main__":
    print("\n".join(run()))
