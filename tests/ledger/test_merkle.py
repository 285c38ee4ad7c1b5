"""RFC 9162 §2.1 Merkle tree: known answers, a naive reference for every size, and tampering."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pymerkle
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tlog_scales import tlog

from stateward.errors import LedgerIntegrityError, UsageError, VerificationError
from stateward.ledger import merkle
from stateward.ledger.merkle import LeafIndex, MemoryHashStore, StoredIndex, TreeSize

from . import reference
from .reference import LEAVES, MAX_SIZE


def _store(leaves: Sequence[bytes]) -> MemoryHashStore:
    store = MemoryHashStore()
    for leaf in leaves:
        store.append(leaf)
    return store


STORE = _store(LEAVES)

# --- RFC 9162 §2.1.1 definitions -------------------------------------------------------------


def test_leaf_and_node_hash_follow_the_definitions() -> None:
    assert merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = b"L" * 32, b"R" * 32
    assert merkle.node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()


@given(st.integers(0, MAX_SIZE), st.lists(st.binary(max_size=300), max_size=70))
def test_appending_entries_hashes_each_as_its_leaf(start: int, entries: list[bytes]) -> None:
    """The fold appends and ``ledger verify`` use hashes each entry as it goes (from copies of
    hash objects begun once, which must carry nothing from one hash into the next): what it
    stores, from any tree size on, is RFC 9162's HASH(0x00 || d) leaf by leaf, folded by the
    leaf-by-leaf append, and the root the in-memory definition's."""
    base = _store(LEAVES[:start])
    leaves = [hashlib.sha256(b"\x00" + entry).digest() for entry in entries]
    expected = _store([*LEAVES[:start], *leaves])
    edge = merkle.RightEdge.read(TreeSize(start), base)
    assert base.hashes + edge.append_entries(entries) == expected.hashes
    assert edge.size == start + len(entries)
    assert edge.root() == merkle.root([*LEAVES[:start], *leaves])
    stored = merkle.stored_hashes_for_entries(TreeSize(start), entries, base)
    assert base.hashes + stored == expected.hashes


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.EMPTY_ROOT.hex() == empty
    assert merkle.root([]).hex() == empty
    assert merkle.tree_hash(TreeSize(0), MemoryHashStore()).hex() == empty


def test_rfc_seven_leaf_example_shape() -> None:
    """RFC 9162 §2.1.5: the 7-leaf tree is ((a b) (c d)) ((e f) g)."""
    a, b, c, d, e, f, g = (merkle.leaf_hash(bytes([i])) for i in range(7))
    n = merkle.node_hash
    expected = n(n(n(a, b), n(c, d)), n(n(e, f), g))
    assert merkle.root([a, b, c, d, e, f, g]) == expected
    assert merkle.inclusion_proof(LeafIndex(3), TreeSize(7), _store([a, b, c, d, e, f, g])) == [
        c,
        n(a, b),
        n(n(e, f), g),
    ]


# --- cross-implementation golden vectors ----------------------------------------------------
# transparency-dev/merkle testonly/constants.go and proof/verify_test.go, at
# https://github.com/transparency-dev/merkle/blob/582a6ad190b6848f1d26f8bf08ddef29955d9db1/testonly/constants.go
# https://github.com/transparency-dev/merkle/blob/02194e9afb6c1d95b5381350007963aa70fff472/proof/verify_test.go
# (their leaf indexes in the proof vectors are 1-based; ours are 0-based).

TD_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
TD_ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
TD_NODES = [
    [bytes.fromhex(h) for h in level]
    for level in (
        (
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ),
        (
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ),
        (
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
        ("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",),
    )
]
TD_INCLUSION = [  # (1-based leaf, size, proof)
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        2,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
TD_CONSISTENCY = [
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
TD_STORE = _store([merkle.leaf_hash(d) for d in TD_INPUTS])


def test_golden_roots_for_every_size() -> None:
    leaf_hashes = [merkle.leaf_hash(d) for d in TD_INPUTS]
    for size, expected in enumerate(TD_ROOTS):
        assert merkle.root(leaf_hashes[:size]) == expected
        assert merkle.tree_hash(TreeSize(size), TD_STORE) == expected


def test_golden_stored_subtree_hashes() -> None:
    for level, hashes in enumerate(TD_NODES):
        for n, expected in enumerate(hashes):
            index = merkle.stored_hash_index(level, n)
            assert TD_STORE.read_hashes([index]) == [expected]


@pytest.mark.parametrize(("leaf", "size", "proof"), TD_INCLUSION)
def test_golden_inclusion_proofs(leaf: int, size: int, proof: list[str]) -> None:
    expected = [bytes.fromhex(h) for h in proof]
    got = merkle.inclusion_proof(LeafIndex(leaf - 1), TreeSize(size), TD_STORE)
    assert got == expected
    leaf_hash = merkle.leaf_hash(TD_INPUTS[leaf - 1])
    merkle.verify_inclusion(leaf_hash, leaf - 1, size, got, TD_ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), TD_CONSISTENCY)
def test_golden_consistency_proofs(old: int, new: int, proof: list[str]) -> None:
    expected = [bytes.fromhex(h) for h in proof]
    assert merkle.consistency_proof(TreeSize(old), TreeSize(new), TD_STORE) == expected
    merkle.verify_consistency(old, new, TD_ROOTS[old], TD_ROOTS[new], expected)


def test_pymerkle_agrees_on_roots_and_inclusion_paths() -> None:
    """pymerkle 7 is an independent implementation; its path carries the leaf hash first."""
    tree = pymerkle.InmemoryTree()
    for i in range(40):
        tree.append_entry(f"leaf {i}".encode())
    for size in range(1, 41):
        assert tree.get_root(size) == merkle.tree_hash(TreeSize(size), STORE)
        for index in range(size):
            path = tree.prove_inclusion(index + 1, size).serialize()["path"][1:]
            ours = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), STORE)
            assert [bytes.fromhex(h) for h in path] == ours


def test_tlog_scales_accepts_our_proofs() -> None:
    """tlog-scales is another independent RFC 9162 verifier."""
    for size in range(1, 41):
        root = merkle.tree_hash(TreeSize(size), STORE)
        for index in range(size):
            proof = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), STORE)
            tlog.InclusionProof(index, size, proof).check(LEAVES[index], root)
        for old in range(1, size):
            proof = merkle.consistency_proof(TreeSize(old), TreeSize(size), STORE)
            old_root = merkle.tree_hash(TreeSize(old), STORE)
            tlog.ConsistencyProof(old, size, proof).check(old_root, root)


# --- every tree size 1..128 against the naive reference -------------------------------------


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_every_proof_matches_the_reference(size: int) -> None:
    n = TreeSize(size)
    root = merkle.tree_hash(n, STORE)
    assert root == reference.mth(0, size) == merkle.root(LEAVES[:size])
    for index in range(size):
        proof = merkle.inclusion_proof(LeafIndex(index), n, STORE)
        assert proof == reference.path(index, 0, size)
        merkle.verify_inclusion(LEAVES[index], index, size, proof, root)
    for old in range(size + 1):
        proof = merkle.consistency_proof(TreeSize(old), n, STORE)
        assert proof == reference.proof(old, size)
        merkle.verify_consistency(old, size, reference.mth(0, old), root, proof)


def test_stored_hash_layout() -> None:
    assert len(STORE.hashes) == merkle.stored_hash_count(TreeSize(MAX_SIZE))
    for size in range(MAX_SIZE + 1):
        assert merkle.stored_hash_count(TreeSize(size)) == merkle.stored_hash_index(0, size)
    assert [merkle.stored_hash_index(0, n) for n in range(4)] == [0, 1, 3, 4]
    assert [merkle.stored_hash_index(1, n) for n in range(2)] == [2, 5]
    assert merkle.stored_hash_index(2, 0) == 6


@pytest.mark.parametrize("start", [0, 1, 5, 8, 63, 64, 100])
def test_batch_append_equals_leaf_by_leaf(start: int) -> None:
    base = _store(LEAVES[:start])
    batch = merkle.stored_hashes_for_batch(TreeSize(start), LEAVES[start:], base)
    assert base.hashes + batch == STORE.hashes
    base.extend(LEAVES[start:])
    assert (base.hashes, base.size) == (STORE.hashes, MAX_SIZE)


def test_split_stored_hash_index_inverts_stored_hash_index() -> None:
    for index in range(len(STORE.hashes)):
        level, n = merkle.split_stored_hash_index(StoredIndex(index))
        assert merkle.stored_hash_index(level, n) == index
        first, last = n << level, ((n + 1) << level) - 1  # the leaves under that subtree
        assert STORE.hashes[index] == reference.mth(first, last + 1)


def test_right_edge_recomputes_a_ledger_in_batches() -> None:
    edge = merkle.RightEdge()
    assert edge.root() == merkle.EMPTY_ROOT
    recomputed: list[bytes] = []
    for start in range(0, MAX_SIZE, 7):
        recomputed += edge.append(LEAVES[start : start + 7])
        assert edge.root() == reference.mth(0, edge.size)
    assert recomputed == STORE.hashes and edge.size == MAX_SIZE
    stored = merkle.RightEdge.read(TreeSize(100), STORE)
    assert stored.root() == reference.mth(0, 100)


def test_batch_refuses_bad_leaf_hashes() -> None:
    with pytest.raises(UsageError, match="a leaf hash must be exactly 32 bytes"):
        merkle.stored_hashes_for_batch(TreeSize(0), [H0, b"short"], MemoryHashStore())


def test_batch_append_reads_the_old_tree_once() -> None:
    reads: list[list[StoredIndex]] = []

    class Counting(MemoryHashStore):
        def read_hashes(self, indexes: Sequence[StoredIndex]) -> list[bytes]:
            reads.append(list(indexes))
            return super().read_hashes(indexes)

    base = Counting()
    base.hashes = list(STORE.hashes[: merkle.stored_hash_count(TreeSize(100))])
    merkle.stored_hashes_for_batch(TreeSize(100), LEAVES[100:], base)
    assert len(reads) == 1 and len(reads[0]) == bin(100).count("1")


# --- tampering: every bit of every proof hash, and the transparency-dev mutations -----------

FLIP_SIZES = range(1, 33)


def _flips(proof: list[bytes]) -> list[list[bytes]]:
    out = []
    for i, h in enumerate(proof):
        for bit in range(8 * len(h)):
            bad = bytearray(h)
            bad[bit // 8] ^= 1 << (bit % 8)
            out.append(proof[:i] + [bytes(bad)] + proof[i + 1 :])
    return out


def _rejected(check: object, *args: object) -> bool:
    try:
        check(*args)  # type: ignore[operator]
    except VerificationError as exc:
        assert exc.message == merkle.PROOF_FAILED
        return True
    return False


@pytest.mark.parametrize("size", FLIP_SIZES)
def test_every_bit_flip_in_an_inclusion_proof_fails(size: int) -> None:
    root = reference.mth(0, size)
    for index in range(size):
        proof = reference.path(index, 0, size)
        for bad in _flips(proof):
            assert _rejected(merkle.verify_inclusion, LEAVES[index], index, size, bad, root)


@pytest.mark.parametrize("size", FLIP_SIZES)
def test_every_bit_flip_in_a_consistency_proof_fails(size: int) -> None:
    root = reference.mth(0, size)
    for old in range(1, size):
        proof = reference.proof(old, size)
        for bad in _flips(proof):
            assert _rejected(merkle.verify_consistency, old, size, reference.mth(0, old), root, bad)


@pytest.mark.parametrize("size", range(33, MAX_SIZE + 1, 5))
def test_a_bit_flip_in_each_proof_hash_fails_for_larger_trees(size: int) -> None:
    """Beyond 32 leaves, one bit per proof hash, its position varying with the proof."""
    root = reference.mth(0, size)
    for index in range(size):
        proof = reference.path(index, 0, size)
        for i, h in enumerate(proof):
            bit = (index * 31 + i * 7) % 256
            bad = bytearray(h)
            bad[bit // 8] ^= 1 << (bit % 8)
            tampered = proof[:i] + [bytes(bad)] + proof[i + 1 :]
            assert _rejected(merkle.verify_inclusion, LEAVES[index], index, size, tampered, root)


SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _inclusion_probes(index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes):  # type: ignore[no-untyped-def]
    """transparency-dev/merkle proof/verify_test.go corruptInclusionProof, plus our extras."""
    probes = [
        (index - 1, size, root, leaf, proof),
        (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof),
        (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof),
        (index, size, root, b"WrongLeaf", proof),
        (index, size, root, merkle.leaf_hash(b"wrong"), proof),
        (index, size, merkle.EMPTY_ROOT, leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]),
        (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]),
        (index, size, root, leaf, [root, *proof]),
        (index, size, root[:31], leaf, proof),
        (index, size, root + b"\0", leaf, proof),
    ]
    if proof:
        probes.append((index, size, root, leaf, proof[:-1]))
        probes.append((index, size, root, leaf, [h + b"\0" for h in proof]))
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return probes


@pytest.mark.parametrize("size", range(1, 65))
def test_inclusion_mutations_fail(size: int) -> None:
    root = reference.mth(0, size)
    for index in range(size):
        proof = reference.path(index, 0, size)
        for i, n, r, h, p in _inclusion_probes(index, size, proof, root, LEAVES[index]):
            assert _rejected(merkle.verify_inclusion, h, i, n, p, r), (index, size, i, n)


def _consistency_probes(old: int, new: int, r1: bytes, r2: bytes, proof: list[bytes]):  # type: ignore[no-untyped-def]
    """transparency-dev/merkle proof/verify_test.go corruptConsistencyProof."""
    probes = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, b"WrongRoot", r2, proof),
        (old, new, r1, b"WrongRoot", proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, b""]),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [b"", *proof]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
        (old, new, merkle.EMPTY_ROOT, r2, proof),
        (old, new, r1, merkle.EMPTY_ROOT, proof),
    ]
    return probes


@pytest.mark.parametrize("size", range(2, 65))
def test_consistency_mutations_fail(size: int) -> None:
    root = reference.mth(0, size)
    for old in range(1, size):
        proof = reference.proof(old, size)
        old_root = reference.mth(0, old)
        for m, n, r1, r2, p in _consistency_probes(old, size, old_root, root, proof):
            if m == 0 and not p and r1 == merkle.EMPTY_ROOT:
                continue  # the empty tree really is consistent with everything
            assert _rejected(merkle.verify_consistency, m, n, r1, r2, p), (old, size, m, n)


# --- malformed input and the policies outside the RFC's 0 < m < n ---------------------------

H0 = LEAVES[0]


@pytest.mark.parametrize(
    ("leaf", "index", "size", "proof", "root"),
    [
        (H0, 0, 0, [], merkle.EMPTY_ROOT),  # index >= size: nothing is in the empty tree
        (H0, 1, 1, [], H0),
        (H0, -1, 1, [], H0),
        (H0, 0, -1, [], H0),
        (H0, True, 2, [LEAVES[1]], H0),  # bool is not an index
        (H0[:31], 0, 1, [], H0[:31]),
        (H0 + b"\0", 0, 1, [], H0 + b"\0"),
        (H0.hex(), 0, 1, [], H0),
        (H0, 0, 1, [H0], H0),  # a one-leaf tree has an empty path
        (H0, 0, 2, [], reference.mth(0, 2)),
        (H0, 0, 2, [bytearray(LEAVES[1])], reference.mth(0, 2)),  # bytes only
    ],
)
def test_malformed_inclusion_is_rejected(leaf, index, size, proof, root) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VerificationError, match="^invalid transparency proof$"):
        merkle.verify_inclusion(leaf, index, size, proof, root)


def test_single_leaf_tree_root_is_the_leaf() -> None:
    merkle.verify_inclusion(H0, 0, 1, [], H0)


def test_consistency_policy_for_empty_and_equal_trees() -> None:
    r5 = reference.mth(0, 5)
    merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, r5, [])
    merkle.verify_consistency(5, 5, r5, r5, [])
    bad = [
        (0, 0, merkle.EMPTY_ROOT, r5, []),  # m == n: roots must be equal
        (0, 5, r5, r5, []),  # m == 0: the old root must be SHA-256("")
        (0, 5, merkle.EMPTY_ROOT, r5, [merkle.EMPTY_ROOT]),  # m == 0: proof must be empty
        (5, 5, r5, reference.mth(0, 4), []),
        (5, 5, r5, r5, [r5]),
        (5, 4, r5, reference.mth(0, 4), []),  # time travel
        (-1, 5, merkle.EMPTY_ROOT, r5, []),
        (1, 5, LEAVES[0], r5[:16], reference.proof(1, 5)),
    ]
    for args in bad:
        with pytest.raises(VerificationError, match="^invalid transparency proof$"):
            merkle.verify_consistency(*args)


def test_impossible_proof_requests_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="leaf index 5 is not in a tree of size 5"):
        merkle.inclusion_proof(LeafIndex(5), TreeSize(5), STORE)
    with pytest.raises(UsageError, match="old tree size 6 is not between 0 and new tree size 5"):
        merkle.consistency_proof(TreeSize(6), TreeSize(5), STORE)
    with pytest.raises(UsageError, match="a leaf hash must be exactly 32 bytes"):
        merkle.stored_hashes_for_append(LeafIndex(0), b"short", MemoryHashStore())


def test_damaged_storage_is_an_integrity_error() -> None:
    class Damaged(MemoryHashStore):
        def read_hashes(self, indexes: Sequence[StoredIndex]) -> list[bytes]:
            return [h[:-1] for h in super().read_hashes(indexes)]

    damaged = Damaged()
    damaged.hashes = list(STORE.hashes)
    with pytest.raises(LedgerIntegrityError, match="stored tree hash is missing or not 32 bytes"):
        merkle.tree_hash(TreeSize(7), damaged)
    short = MemoryHashStore()
    with pytest.raises(LedgerIntegrityError, match="stored tree hash is missing"):
        merkle.stored_hashes_for_batch(TreeSize(3), [H0], short)  # the old tree is missing


@given(
    level=st.integers(0, 6),
    blocks=st.integers(0, 5),
    tail=st.integers(1, 64),
)
def test_an_edge_joined_from_blocks_stores_what_one_edge_stores(
    level: int, blocks: int, tail: int
) -> None:
    """Blocks of 2**level leaves folded apart and joined by append_edge (as `ledger verify`'s
    workers do), then a last block of at most that many: the same stored hashes, in the same
    order, and the same root as folding every leaf in one edge."""
    width = 1 << level
    leaves = LEAVES[: blocks * width + min(tail, width)]
    whole = merkle.RightEdge()
    expected = whole.append(leaves)
    joined, hashes = merkle.RightEdge(), []
    for start in range(0, len(leaves), width):
        block = merkle.RightEdge()
        hashes += block.append(leaves[start : start + width])
        hashes += joined.append_edge(block)
    assert hashes == expected
    assert joined.root() == whole.root() == reference.mth(0, len(leaves))
    assert joined.size == len(leaves)


def test_an_edge_refuses_a_block_it_does_not_align_with() -> None:
    edge, block = merkle.RightEdge(), merkle.RightEdge()
    edge.append(LEAVES[:3])
    block.append(LEAVES[3:7])
    with pytest.raises(UsageError, match="cannot follow"):
        edge.append_edge(block)


@given(st.integers(0, 40), st.integers(0, 1 << 40))
def test_stored_hash_index_in_closed_form_equals_the_tlog_loop(level: int, n: int) -> None:
    """tlog.go StoredHashIndex, written loop for loop, against the closed form."""
    m = n
    for _ in range(level):
        m = 2 * m + 1
    i = 0
    while m > 0:
        i += m
        m >>= 1
    assert merkle.stored_hash_index(level, n) == i + level
    assert merkle.stored_hash_count(TreeSize(n)) == merkle.stored_hash_index(0, n)


class _Recording:
    """Any stored index reads as a hash of its own (no tree behind it); every read is kept."""

    def __init__(self) -> None:
        self.reads: list[list[StoredIndex]] = []

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> list[bytes]:
        self.reads.append(list(indexes))
        return [hashlib.sha256(str(i).encode()).digest() for i in indexes]


def _path_ranges(index: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]) as the ranges whose MTH it lists, leaf's first."""
    if hi - lo == 1:
        return []
    k = 1 << ((hi - lo - 1).bit_length() - 1)
    if index < lo + k:
        return [*_path_ranges(index, lo, lo + k), (lo + k, hi)]
    return [*_path_ranges(index, lo + k, hi), (lo, lo + k)]


def _range_mth(lo: int, hi: int, reader: _Recording) -> bytes:
    """MTH(D[lo:hi]) from stored hashes: complete subtrees, largest first, folded (§2.1.1)."""
    k = 1 << ((hi - lo).bit_length() - 1)
    if k == hi - lo:
        level = k.bit_length() - 1
        return reader.read_hashes([merkle.stored_hash_index(level, lo >> level)])[0]
    return merkle.node_hash(_range_mth(lo, lo + k, reader), _range_mth(lo + k, hi, reader))


@given(st.integers(1, 1 << 40).flatmap(lambda n: st.tuples(st.integers(0, n - 1), st.just(n))))
def test_a_proof_in_a_large_tree_reads_each_sibling_once_in_one_read(
    at: tuple[int, int],
) -> None:
    """Trees far larger than any kept in a test: the proof is the RFC's PATH, one stored hash
    per complete sibling and the ragged right edge folded from its subtrees, read in one call."""
    index, size = at
    reader, expected_reader = _Recording(), _Recording()
    proof = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), reader)
    expected = [_range_mth(lo, hi, expected_reader) for lo, hi in _path_ranges(index, 0, size)]
    assert proof == expected
    assert len(reader.reads) <= 1
    assert sorted(sum(reader.reads, [])) == sorted(sum(expected_reader.reads, []))


@given(
    st.integers(1, 1 << 40).flatmap(lambda n: st.tuples(st.integers(0, n - 1), st.just(n))),
    st.integers(0, 12),
)
def test_remembered_upper_hashes_give_the_same_proof_and_spare_their_reads(
    at: tuple[int, int], level: int
) -> None:
    """A second proof of the same leaf reads only the complete siblings below the remembered
    level: neither the subtrees above it nor those of the ragged right edge, remembered
    folded."""
    index, size = at
    upper = merkle.UpperHashes()
    upper.LEVEL = level
    expected = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), _Recording())
    first, again = _Recording(), _Recording()
    assert merkle.inclusion_proof(LeafIndex(index), TreeSize(size), first, upper) == expected
    assert merkle.inclusion_proof(LeafIndex(index), TreeSize(size), again, upper) == expected
    assert len(first.reads) <= 1 and len(again.reads) <= 1
    read_again = sum(again.reads, [])
    assert all(merkle.split_stored_hash_index(i)[0] < level for i in read_again)
    ragged = [(lo, hi) for lo, hi in _path_ranges(index, 0, size) if (hi - lo) & (hi - lo - 1)]
    edge = [merkle.stored_hash_index(*t) for lo, hi in ragged for t in merkle._subtrees(lo, hi)]
    assert sorted(read_again) == sorted(set(sum(first.reads, [])) - set(upper.kept) - set(edge))
    assert [(start, upper.edge_size) for start in upper.edges] == ragged  # the one right edge


@given(
    st.integers(2, 1 << 40).flatmap(
        lambda n: st.tuples(st.lists(st.integers(0, n - 1), min_size=2, max_size=8), st.just(n))
    ),
)
def test_proofs_in_one_tree_that_share_remembered_hashes_are_the_proofs_read_afresh(
    at: tuple[list[int], int],
) -> None:
    """Right edges and upper hashes remembered from one leaf's proof serve another's."""
    indexes, size = at
    upper = merkle.UpperHashes()
    for index in indexes:
        fresh = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), _Recording())
        assert (
            merkle.inclusion_proof(LeafIndex(index), TreeSize(size), _Recording(), upper) == fresh
        )


@pytest.mark.parametrize("level", [0, 1, 3])
def test_proofs_with_remembered_upper_hashes_match_the_reference(level: int) -> None:
    upper = merkle.UpperHashes()
    upper.LEVEL = level
    for size in range(1, MAX_SIZE + 1):
        for index in range(size):
            proof = merkle.inclusion_proof(LeafIndex(index), TreeSize(size), STORE, upper)
            assert proof == reference.path(index, 0, size)
    assert upper.kept
    assert all(STORE.hashes[i] == h for i, h in upper.kept.items())
