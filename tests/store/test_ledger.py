"""Ledger storage conformance: the same assertions on SQLite and a real PostgreSQL server.

Appends, proofs (checked by the independent tlog-scales too), checkpoints, erasure, tampering
of entries, hashes and objects, truncation and rollback, four concurrent appenders, kill -9.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ledger.packs import keep_stored_hashes, stored_hashes, write_stored_hash
from tlog_scales import signing, tlog

from stateward.api import observe
from stateward.errors import LedgerIntegrityError, StorageError, UsageError, VerificationError
from stateward.ledger import merkle
from stateward.ledger.checkpoint import Checkpoint, sign_checkpoint
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import HASH_SIZE, TreeSize, stored_hash_count, stored_hash_index
from stateward.ledger.signer import Ed25519Signer
from stateward.ledger.storage import sql
from stateward.ledger.storage.schema import PACK
from stateward.store import Store, open_store
from stateward.store.integrity import verify_store
from stateward.store.keydoc import FIRST_KEY

from . import ledger_workers

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(store_location: str) -> Store:
    return open_store(store_location)


def _policies(store: Store, count: int, tag: str = "p") -> list[Entry]:
    address = store.put_object(f"policy {tag}".encode())
    return [
        Entry(EntryType.POLICY, None, T0 + timedelta(seconds=i), {tag: address})
        for i in range(count)
    ]


def _execute(store: Store, sql: str, *params: object) -> None:
    store.db.read_write(lambda c: c.execute(sql, params))


def _problems(store: Store) -> list[str]:
    return [p.text() for p in verify_store(store).problems]


def test_appends_are_numbered_and_proved_against_a_signed_checkpoint(store: Store) -> None:
    assert store.ledger.append(_policies(store, 3)) == 0
    assert store.ledger.append(_policies(store, 250, "q")) == 3
    assert store.ledger.size() == 253
    vkey = signing.Vkey.from_string(store.ledger.signer().vkey())  # type: ignore[attr-defined]
    for index in (0, 2, 3, 128, 252):
        inclusion = store.ledger.prove(index)
        leaf = merkle.leaf_hash(inclusion.entry)
        merkle.verify_inclusion(leaf, index, 253, inclusion.proof, inclusion.checkpoint.root_hash)
        tlog.InclusionProof(index, 253, list(inclusion.proof)).check(
            leaf, inclusion.checkpoint.root_hash
        )
        signed = tlog.Checkpoint.from_text(inclusion.signed)
        signed.verify(vkey)
        assert inclusion.tlog_proof().startswith(f"c2sp.org/tlog-proof@v1\nindex {index}\n")
        assert inclusion.tlog_proof().endswith("\n\n" + inclusion.signed)
        assert Entry.decode(inclusion.entry).type is EntryType.POLICY
    with pytest.raises(Exception, match="entry 253: not in the ledger of 253 entries"):
        store.ledger.prove(253)


def test_consistency_with_every_earlier_checkpoint(store: Store) -> None:
    signed = []
    for count in (1, 4, 60, 3):
        store.ledger.append(_policies(store, count, f"c{count}"))
        signed.append(store.ledger.checkpoint()[1])
    for old in signed:
        result = store.ledger.consistency(old)
        assert result.new.size == 68
        old_cp = result.old
        merkle.verify_consistency(
            old_cp.size, 68, old_cp.root_hash, result.new.root_hash, result.proof
        )
        tlog.ConsistencyProof(old_cp.size, 68, list(result.proof)).check(
            old_cp.root_hash, result.new.root_hash
        )


def test_observations_are_logged_in_the_same_transaction(store: Store) -> None:
    first = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    store.ledger.append(_policies(store, 2))
    second = store.record(
        observe([str(SHOP / "live/production.yaml")], estate="shop", keeper=store.keeper)
    )
    assert (first.entry, second.entry) == (0, 3)
    assert [r.entry for r in store.history("shop")] == [0, 3]
    logged = Entry.decode(store.ledger.prove(3).entry)
    assert (logged.type, logged.estate, dict(logged.objects)) == (
        EntryType.OBSERVATION,
        "shop",
        {"manifest": second.manifest, "header": second.header},
    )
    report = verify_store(store)
    assert report.ok and report.log.by_type == {"observation": 2, "policy": 2}


def test_an_edited_observation_row_is_named(store: Store) -> None:
    first = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    second = store.record(
        observe([str(SHOP / "live/production.yaml")], estate="shop", keeper=store.keeper)
    )
    _execute(store, "UPDATE observations SET manifest = ? WHERE id = ?", first.manifest, second.id)
    assert _problems(store) == [
        f"entry 1: observation #{second.id} does not match the entry that logged it (manifest)"
    ]
    _execute(
        store,
        "UPDATE observations SET manifest = ?, entry = NULL WHERE id = ?",
        second.manifest,
        second.id,
    )
    assert _problems(store) == [
        "entry 1: the observation it logs has no row in observations",
        f"observation #{second.id} is not in the ledger",
    ]


def test_stored_hashes_equal_an_in_memory_tree_whatever_the_batch_sizes(store: Store) -> None:
    reference = merkle.MemoryHashStore()
    for size in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 1, 1, 300):
        batch = _policies(store, size, f"b{size}")
        store.ledger.append(batch)
        reference.extend([merkle.leaf_hash(e.encode()) for e in batch])
    assert stored_hashes(store.db) == reference.hashes
    assert store.ledger.checkpoint()[0].root_hash == merkle.tree_hash(reference.size, reference)


def test_every_stored_proof_is_the_path_of_the_leaves_in_memory(store: Store) -> None:
    """Proofs read from the store, one query each through the Ledger (which remembers upper
    hashes and right edges from proof to proof), in a log grown by random batches past
    ``UpperHashes.LEVEL``'s subtrees: each equals RFC 9162 §2.1.3.1's PATH computed from the
    leaf hashes in memory, and verifies against MTH of those leaves."""
    leaves: list[bytes] = []

    @settings(max_examples=12, deadline=None)
    @given(
        st.integers(200, 500),
        st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 1)), max_size=6),
    )
    def grow_and_prove(batch: int, probes: list[tuple[float, float]]) -> None:
        entries = [f"entry {len(leaves) + i}".encode() for i in range(batch)]
        store.db.read_write(lambda c: sql.append_leaves(c, entries))
        leaves.extend(map(merkle.leaf_hash, entries))
        for at, of in probes:
            size = TreeSize(max(1, round(of * len(leaves))))
            index = merkle.LeafIndex(int(at * size))
            proof = store.db.read_only(
                lambda c, i=index, n=size: store.ledger.inclusion_proof(c, i, n)
            )
            assert proof == _path(index, leaves[:size])
            merkle.verify_inclusion(leaves[index], index, size, proof, merkle.root(leaves[:size]))

    grow_and_prove()
    assert len(leaves) > 2 * (1 << merkle.UpperHashes.LEVEL)


@pytest.mark.parametrize("kept", [None, 0, HASH_SIZE // 2])
def test_a_proof_over_a_missing_or_cut_pack_is_an_integrity_error(
    store: Store, kept: int | None
) -> None:
    """Whatever the query that reads a proof's hashes (SQLite's reads them as one row), a pack
    deleted (``kept`` None) or cut short at the sibling's hash (``kept`` bytes of it left) is
    a LedgerIntegrityError, never a proof of other bytes."""
    store.db.read_write(lambda c: sql.append_leaves(c, [b"%d" % i for i in range(300)]))
    index, size = merkle.LeafIndex(7), TreeSize(300)
    proof = store.db.read_only(lambda c: merkle.inclusion_proof(index, size, sql.CursorHashes(c)))
    assert store.db.read_only(lambda c: store.ledger.inclusion_proof(c, index, size)) == proof
    pack, slot = divmod(stored_hash_index(0, index ^ 1), PACK)  # the leaf's sibling's
    if kept is None:
        _execute(store, "DELETE FROM ledger_hash_packs WHERE pack = ?", pack)
    else:
        _execute(
            store,
            "UPDATE ledger_hash_packs SET hashes = substr(hashes, 1, ?) WHERE pack = ?",
            slot * HASH_SIZE + kept,
            pack,
        )
    fresh = open_store(store.location)  # nothing remembered from the proof above
    with pytest.raises(LedgerIntegrityError, match="stored tree hash is missing or not 32"):
        fresh.db.read_only(lambda c: fresh.ledger.inclusion_proof(c, index, size))


@pytest.mark.parametrize("ascii", [False, True])
def test_a_pack_stored_as_text_is_never_a_proof_and_verify_names_it(
    tmp_path: Path, ascii: bool
) -> None:
    """SQLite keeps any value's type, so a pack may be rewritten as text: its own bytes (not
    UTF-8, as no run of real hashes is), or ASCII of its length. Either way no proof through it
    is given (the first is an integrity error, the second's bytes fail the proof's check), and
    ``ledger verify`` says so: the first is text that is not UTF-8, and it names the entries
    whose hashes the second held, where it stopped on a TypeError."""
    store = open_store(str(tmp_path / "store"))
    store.ledger.append(_policies(store, 300))
    index = 7
    pack = stored_hash_index(0, index ^ 1) // PACK  # the leaf's sibling's
    text = "substr(hex(hashes) || hex(hashes), 1, length(hashes))" if ascii else "hashes"
    _execute(
        store, f"UPDATE ledger_hash_packs SET hashes = CAST({text} AS TEXT) WHERE pack = ?", pack
    )
    fresh = open_store(str(tmp_path / "store"))  # nothing remembered
    wanted = VerificationError if ascii else LedgerIntegrityError
    with pytest.raises(wanted):
        fresh.ledger.prove(index)
    reader = open_store(str(tmp_path / "store"), read_only=True)
    if not ascii:  # SQLite hands text to the store's strict decoder, which says so
        with pytest.raises(LedgerIntegrityError, match="holds a text value that is not UTF-8"):
            verify_store(reader)
        return
    problems = _problems(reader)
    assert problems and all(p.startswith("entry ") for p in problems)
    assert f"entry {index ^ 1}: its content does not match its stored hash" in "\n".join(problems)


def test_a_remembered_upper_hash_that_is_wrong_is_never_served_as_a_proof(store: Store) -> None:
    """The Ledger remembers the hashes of large subtrees from proof to proof (UpperHashes),
    never read again: sound because every proof it gives is verified against a root computed
    from the store first. A remembered hash made wrong (as one remembered from a store since
    replaced would be) makes ``prove`` fail, never give a proof of other bytes."""
    store.ledger.append(_policies(store, 3 << merkle.UpperHashes.LEVEL))
    size = store.ledger.size()
    for index in (0, size // 2, size - 1):
        store.ledger.prove(index)
    kept = store.ledger._upper.kept
    assert kept and all(
        store.db.read_only(lambda c, i=i: sql.CursorHashes(c).read_hashes([i])) == [h]
        for i, h in kept.items()
    )
    for i, h in kept.items():
        kept[i] = bytes([h[0] ^ 1]) + h[1:]
    with pytest.raises(VerificationError):
        store.ledger.prove(1)  # its proof's siblings from LEVEL up are all remembered


def _path(index: int, hashes: list[bytes]) -> list[bytes]:
    """PATH(m, D_n) from its definition (RFC 9162 §2.1.3.1), leaf's sibling first."""
    if len(hashes) == 1:
        return []
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    if index < k:
        return [*_path(index, hashes[:k]), merkle.root(hashes[k:])]
    return [*_path(index - k, hashes[k:]), merkle.root(hashes[:k])]


def test_an_observation_is_recorded_with_its_entry_or_not_at_all(store: Store) -> None:
    seen = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper)
    _execute(store, "DELETE FROM ledger_log")
    with pytest.raises(StorageError, match="the store has no ledger"):
        store.record(seen)
    counts = store.db.read_only(
        lambda c: c.execute("SELECT (SELECT COUNT(*) FROM observations), COUNT(*) FROM objects")
    )
    assert tuple(counts[0]) == (0, 0)  # nothing of the observation was kept


def test_append_entry_commits_only_to_stored_objects(store: Store) -> None:
    seal = store.put_object(b"sealed evidence")
    assert store.append_entry("evidence", "shop", {"seal": seal}) == 0
    with pytest.raises(UsageError, match="is not in the store; store it first"):
        store.append_entry("evidence", "shop", {"seal": "sha256:" + "0" * 64})
    with pytest.raises(ValueError, match="gossip"):
        store.append_entry("gossip", "shop", {"seal": seal})
    assert store.ledger.size() == 1


def test_erasure_keeps_every_proof_and_verify_reports_it_as_erased(store: Store) -> None:
    secret = store.put_object(b"personal data")
    store.append_entry("evidence", "shop", {"seal": secret})
    store.ledger.append(_policies(store, 5))
    before = store.ledger.checkpoint()[1]
    tombstone = store.erase_object(secret, "GDPR request 42")
    assert tombstone == 6
    with pytest.raises(LedgerIntegrityError, match=r"was erased \(ledger entry 6\)"):
        store.get_object(secret)
    with pytest.raises(UsageError, match="was erased"):
        store.erase_object(secret, "again")
    report = verify_store(store)
    assert report.ok, report.problems
    assert report.erased == {secret: 6}
    store.ledger.consistency(before)
    inclusion = store.ledger.prove(0)
    assert Entry.decode(inclusion.entry).objects["seal"] == secret
    assert Entry.decode(store.ledger.prove(6).entry).reason == "GDPR request 42"


def test_verify_names_an_edited_entry(store: Store) -> None:
    store.ledger.append(_policies(store, 40))
    _execute(
        store,
        "UPDATE ledger_entries SET entry = ? WHERE idx = ?",
        Entry(EntryType.POLICY, None, T0, {"p": "sha256:" + "1" * 64}).encode(),
        17,
    )
    problems = _problems(store)
    assert problems[0] == (
        "entry 17: its content does not match its stored hash (the entry was altered)"
    )


def test_verify_names_a_flipped_byte_in_an_entry_leaf_hash_or_node_hash(store: Store) -> None:
    store.ledger.append(_policies(store, 100))
    store.ledger.checkpoint()
    raw = store.db.read_only(lambda c: c.execute("SELECT entry FROM ledger_entries WHERE idx = 9"))
    flipped = bytearray(raw[0][0])
    flipped[30] ^= 0x01
    _execute(store, "UPDATE ledger_entries SET entry = ? WHERE idx = 9", bytes(flipped))
    assert _problems(store)[0].startswith("entry 9: ")
    _execute(store, "UPDATE ledger_entries SET entry = ? WHERE idx = 9", bytes(raw[0][0]))
    assert _problems(store) == []

    leaf_row = stored_hash_index(0, 41)
    _flip_hash(store, leaf_row)
    assert _problems(store) == [
        "entry 41: its stored leaf hash was altered (the entry matches the tree above it)"
    ]
    _flip_hash(store, leaf_row)
    node_row = stored_hash_index(3, 5)  # entries 40..47
    _flip_hash(store, node_row)
    assert _problems(store) == [
        "entry 40: the stored tree hash over entries 40..47 does not match them "
        "(the hash row was altered)"
    ]


def _flip_hash(store: Store, index: int) -> None:
    data = bytearray(stored_hashes(store.db)[index])
    data[0] ^= 0x80
    write_stored_hash(store.db, index, bytes(data))


def test_verify_finds_an_altered_or_missing_object(store: Store) -> None:
    record = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    component = store.load(record).components[0]
    first_key = Entry.decode(store.ledger.prove(0).entry).objects[FIRST_KEY]
    address = next(  # a resource or component: not the manifest, header or key document
        d
        for (d,) in store.db.read_only(lambda c: c.execute("SELECT digest FROM objects"))
        if d not in (record.manifest, record.header, first_key)
    )
    rows = store.db.read_only(
        lambda c: c.execute("SELECT data FROM objects WHERE digest = ?", (address,))
    )
    data = bytearray(rows[0][0])
    data[-1] ^= 0x01
    _execute(store, "UPDATE objects SET data = ? WHERE digest = ?", bytes(data), address)
    assert _problems(store) == [f"entry 0: object {address} does not match its digest"]
    _execute(store, "DELETE FROM objects WHERE digest = ?", address)
    assert _problems(store) == [f"entry 0: object {address} is missing"]
    assert component.id  # the observation had components to lose
    with pytest.raises(UsageError, match=r"is the manifest of observation #1"):
        store.erase_object(record.manifest, "no")
    with pytest.raises(UsageError, match=r"logs generation 0 of the store's secret key"):
        store.erase_object(first_key, "no")  # verify needs it to prove the key


def test_a_rewritten_history_with_recomputed_hashes_breaks_the_signed_checkpoint(
    store: Store,
) -> None:
    entries = _policies(store, 20)
    store.ledger.append(entries)
    old = store.ledger.checkpoint()[1]
    forged = Entry(EntryType.POLICY, None, T0, {"p": store.put_object(b"forged")}).encode()
    leaves = [e.encode() for e in entries]
    leaves[3] = forged
    rebuilt = merkle.MemoryHashStore()
    rebuilt.extend([merkle.leaf_hash(e) for e in leaves])
    _execute(store, "UPDATE ledger_entries SET entry = ? WHERE idx = 3", forged)
    for index, value in enumerate(rebuilt.hashes):
        write_stored_hash(store.db, index, value)
    assert _problems(store) == [
        "the signed checkpoint at size 20 does not match the entries: history before it was "
        "rewritten"
    ]
    with pytest.raises(LedgerIntegrityError, match="does not extend the checkpoint of size 20"):
        store.ledger.consistency(old)
    with pytest.raises(LedgerIntegrityError, match="does not extend the checkpoint of size 20"):
        store.ledger.checkpoint()  # a log never signs a checkpoint inconsistent with its last


def test_truncation_is_found_by_consistency_against_an_earlier_checkpoint(store: Store) -> None:
    store.ledger.append(_policies(store, 30))
    kept = store.ledger.checkpoint()[1]
    store.ledger.append(_policies(store, 12, "later"))
    held = store.ledger.checkpoint()[1]  # what an auditor kept
    _truncate(store, 30)
    assert _problems(store) == []  # internally consistent: only an outside checkpoint can tell
    store.ledger.consistency(kept)
    with pytest.raises(LedgerIntegrityError, match="has 30 entries, fewer than the 42"):
        store.ledger.consistency(held)
    store.ledger.append(_policies(store, 12, "forged"))  # grown back, with other entries
    with pytest.raises(LedgerIntegrityError, match="does not extend the checkpoint of size 42"):
        store.ledger.consistency(held)


def _truncate(store: Store, size: int) -> None:
    _execute(store, "DELETE FROM ledger_entries WHERE idx >= ?", size)
    keep_stored_hashes(store.db, stored_hash_count(TreeSize(size)))
    _execute(store, "DELETE FROM ledger_checkpoints WHERE size > ?", size)
    _execute(store, "UPDATE ledger_log SET size = ? WHERE id = 0", size)


def test_deleted_rows_without_a_matching_size_are_named(store: Store) -> None:
    store.ledger.append(_policies(store, 10))
    _execute(store, "DELETE FROM ledger_entries WHERE idx = 4")
    problems = _problems(store)
    assert problems[0] == "entry 4: is missing"
    assert "ledger_log.size is 10 but 9 entries are stored (last index 9)" in problems


def test_a_checkpoint_signed_by_another_key_is_rejected(store: Store, tmp_path: Path) -> None:
    store.ledger.append(_policies(store, 5))
    checkpoint, _ = store.ledger.checkpoint()
    impostor = Ed25519Signer.generate(checkpoint.origin)
    forged = sign_checkpoint(checkpoint, [impostor])
    with pytest.raises(VerificationError, match="old checkpoint: no signature by a known key"):
        store.ledger.consistency(forged)
    other_log = Ed25519Signer.generate("example.com/other")
    other = sign_checkpoint(
        Checkpoint("example.com/other", checkpoint.size, checkpoint.root_hash), [other_log]
    )
    with pytest.raises(VerificationError, match="checkpoint is for another log"):
        store.ledger.consistency(other, other_log.verifier())
    _execute(
        store,
        "INSERT INTO ledger_checkpoints (size, note) VALUES (?, ?)",
        4,
        sign_checkpoint(
            Checkpoint(checkpoint.origin, TreeSize(4), checkpoint.root_hash), [impostor]
        ),
    )
    assert _problems(store) == ["the checkpoint at size 4 is not validly signed by the log key"]


def test_four_processes_appending_at_once_make_one_log(store_location: str) -> None:
    open_store(store_location).close()  # migrated and keyed before the race
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(
            ledger_workers.append_batches, [(store_location, w, 15, 20) for w in range(4)]
        )
    firsts = sorted(i for worker in results for i in worker)
    assert firsts == list(range(0, 4 * 15 * 20, 20))  # every batch contiguous, no gaps
    store = open_store(store_location)
    rows = store.db.read_only(lambda c: c.execute("SELECT idx FROM ledger_entries ORDER BY idx"))
    assert [r[0] for r in rows] == list(range(1200))
    report = verify_store(store)
    assert report.ok, report.problems
    assert report.log.by_type == {"policy": 1200}


def test_kill_9_during_appends_leaves_whole_entries(store_location: str) -> None:
    open_store(store_location).close()
    context = multiprocessing.get_context("spawn")
    store = open_store(store_location)
    for target in (50, 400):
        child = context.Process(target=ledger_workers.record_forever, args=(store_location,))
        child.start()
        deadline = time.monotonic() + 60
        while store.ledger.size() < target and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
    report = verify_store(store)
    assert report.ok, report.problems
    observations = store.history("shop")
    assert len(observations) == report.log.by_type["observation"] > 0
    assert report.log.by_type["evidence"] % 40 == 0  # each batch of 40 whole, or none of it
    for record in observations:
        objects = dict(Entry.decode(store.ledger.prove(record.entry or 0).entry).objects)
        assert (objects.pop(FIRST_KEY, None) is not None) == (record.entry == 0)  # logs the key
        assert objects == {"manifest": record.manifest, "header": record.header}


def test_restoring_an_older_copy_of_the_sqlite_file_is_found(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    store = open_store(location)
    store.ledger.append(_policies(store, 8))
    backup = tmp_path / "old.db"
    with sqlite3.connect(backup) as copy:
        sqlite3.connect(tmp_path / "store" / "store.db").backup(copy)
    store.ledger.append(_policies(store, 8, "more"))
    held = store.ledger.checkpoint()[1]
    store.close()
    os.replace(backup, tmp_path / "store" / "store.db")
    for suffix in ("-wal", "-shm"):
        (tmp_path / "store" / f"store.db{suffix}").unlink(missing_ok=True)
    rolled_back = open_store(location)
    assert verify_store(rolled_back).ok
    with pytest.raises(LedgerIntegrityError, match="has 8 entries, fewer than the 16"):
        rolled_back.ledger.consistency(held)


def test_stores_sharing_a_secret_key_file_keep_their_own_log_keys(
    store_location: str, tmp_path: Path
) -> None:
    store = open_store(store_location)  # STATEWARD_KEY_FILE is tmp_path/pg.key (conftest)
    assert store.ledger.key_path.stat().st_mode & 0o777 == 0o600
    store_id = store.ledger.origin().rsplit("/", 1)[1]
    assert store.ledger.key_path == tmp_path / f"pg.{store_id}.ledger.key"


def test_a_lost_log_key_stops_signing_but_not_verifying(store_location: str) -> None:
    store = open_store(store_location)
    store.ledger.append(_policies(store, 3))
    store.ledger.key_path.unlink()
    store.close()
    reopened = open_store(store_location)
    assert verify_store(reopened).ok
    with pytest.raises(StorageError, match="the log key of stateward.local/[0-9a-f]+ is missing"):
        reopened.ledger.checkpoint()
    assert not reopened.ledger.key_path.exists()


def test_a_log_key_that_is_not_the_stores_own_is_refused(store_location: str) -> None:
    store = open_store(store_location)
    key, origin = store.ledger.key_path, store.ledger.origin()
    store.close()
    key.unlink()
    Ed25519Signer.create(key, origin)  # the right name, another key
    with pytest.raises(StorageError, match="this log key is not the one registered for"):
        open_store(store_location).ledger.checkpoint()
    key.unlink()
    Ed25519Signer.create(key, "stateward.local/0000000000000000")
    with pytest.raises(StorageError, match="the log key is for stateward.local/0000000000000000"):
        open_store(store_location).ledger.checkpoint()
