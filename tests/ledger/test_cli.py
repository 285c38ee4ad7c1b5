"""``stateward ledger …``, ``at`` and ``timeline`` end to end: outputs and exit codes.

The tiles export of two real scans of the example shop is read back and verified by the
independent tlog-scales implementation.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result
from tlog_scales import backend, reader, signing, tlog

from stateward.cli import main
from stateward.ledger import merkle
from stateward.ledger.checkpoint import Checkpoint, sign_checkpoint
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.signer import Ed25519Signer
from stateward.store.keydoc import key_addresses

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
VKEY = re.compile(r"stateward\.local/[0-9a-f]{16}\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}")


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def scanned(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    for source in ("production", "live/production.yaml"):
        result = run(store, "scan", str(SHOP / source), "--estate", "shop")
        assert result.exit_code == 0, result.stderr
    return store


def sql(store: Path, statement: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(store / "store.db") as conn:
        return conn.execute(statement, params).fetchall()


def test_two_scans_exported_as_tiles_verify_with_tlog_scales(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    vkey = run(store, "ledger", "vkey").stdout.strip()
    assert VKEY.fullmatch(vkey)
    result = run(store, "ledger", "export", "--tiles", str(tmp_path / "tiles"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 3 files for 2 entries to {tmp_path / 'tiles'}.\n"
    tiles = reader.TilesReader(backend.LocalBackend(tmp_path / "tiles"))
    checkpoint = tiles.get_checkpoint()
    checkpoint.verify(signing.Vkey.from_string(vkey))
    assert checkpoint.size == 2
    assert tiles.calculate_root_hash() == checkpoint.root_hash
    manifests = [m for (m,) in sql(store, "SELECT manifest FROM observations ORDER BY entry")]
    for index in range(2):
        data = tiles.get_entry(index)
        entry = Entry.decode(data)
        assert (entry.type, entry.estate, entry.objects["manifest"]) == (
            EntryType.OBSERVATION,
            "shop",
            manifests[index],
        )
        proof = tiles.get_inclusion_proof(index, 2)
        proof.check(merkle.leaf_hash(data), checkpoint.root_hash)


def test_verify_passes_then_names_the_tampered_entry_with_exit_3(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    result = run(store, "ledger", "verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "Database check: SQLite integrity_check.\n2 entries (2 observation), 0 checkpoints, "
    )
    assert result.stdout.endswith(" objects checked.\nLedger verified.\n")
    (entry,) = sql(store, "SELECT entry FROM ledger_entries WHERE idx = 1")[0]
    assert isinstance(entry, bytes)
    sql(store, "UPDATE ledger_entries SET entry = ? WHERE idx = 1", entry.replace(b"shop", b"sh0p"))
    result = run(store, "ledger", "verify", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["problems"] == [
        {
            "entry": 1,
            "message": "entry 1: its content does not match its stored hash (the entry was altered)",
        },
        {
            "entry": 1,
            "message": "entry 1: observation #2 does not match the entry that logged it (estate, header)",
        },
    ]
    assert result.stderr.splitlines()[-1] == (
        "Error: ledger verification failed: entry 1: its content does not match its stored hash "
        "(the entry was altered) (and 1 more). Do not trust this store's history; restore it or compare with "
        "an export."
    )


def test_consistency_with_a_saved_checkpoint_and_after_a_rollback(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(store, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    saved = tmp_path / "one.checkpoint"
    result = run(store, "ledger", "checkpoint", "--output-file", str(saved))
    assert result.exit_code == 0
    assert result.stdout == saved.read_text()
    assert result.stdout.split("\n")[1] == "1"
    assert run(store, "scan", str(SHOP / "staging"), "--estate", "staging").exit_code == 0
    later = tmp_path / "two.checkpoint"
    run(store, "ledger", "checkpoint", "--output-file", str(later))
    result = run(store, "ledger", "consistency", str(saved))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "The ledger (2 entries) extends the checkpoint of 1 entries.\n"
    assert (
        json.loads(run(store, "ledger", "consistency", str(saved), "--json").stdout)["old_size"]
        == 1
    )
    sql(store, "DELETE FROM ledger_entries WHERE idx = 1")
    sql(store, "DELETE FROM ledger_hash_packs WHERE pack > 0")
    sql(store, "UPDATE ledger_hash_packs SET hashes = substr(hashes, 1, 32)")  # entry 0's only
    sql(store, "UPDATE ledger_log SET size = 1")
    result = run(store, "ledger", "consistency", str(later))
    assert result.exit_code == 3
    assert "the ledger has 1 entries, fewer than the 2 of the checkpoint" in result.stderr


def test_consistency_rejects_bad_files_and_other_keys(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    missing = run(store, "ledger", "consistency", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert missing.stderr == f"Error: {tmp_path / 'nope'}: no such checkpoint or key file.\n"
    garbage = tmp_path / "garbage"
    garbage.write_text("not a note\n")
    malformed = run(store, "ledger", "consistency", str(garbage))
    assert malformed.exit_code == 2  # not a checkpoint at all: an input error
    assert "old checkpoint: " in malformed.stderr
    signed = run(store, "ledger", "checkpoint").stdout
    checkpoint = Checkpoint.parse(signed.split("\n\n")[0] + "\n")
    forged = tmp_path / "forged"
    forged.write_text(sign_checkpoint(checkpoint, [Ed25519Signer.generate(checkpoint.origin)]))
    result = run(store, "ledger", "consistency", str(forged))
    assert result.exit_code == 3
    assert "no signature by a known key" in result.stderr
    own = run(store, "ledger", "vkey").stdout.strip()
    other = Ed25519Signer.generate("example.com/log").vkey()
    result = run(store, "ledger", "consistency", str(tmp_path / "nope"), "--vkey", other)
    assert result.exit_code == 2
    saved = tmp_path / "saved"
    saved.write_text(signed)
    assert run(store, "ledger", "consistency", str(saved), "--vkey", own).exit_code == 0
    assert run(store, "ledger", "consistency", str(saved), "--vkey", other).exit_code == 3


def test_prove_prints_a_tlog_proof_or_json(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    result = run(store, "ledger", "prove", "1")
    assert result.exit_code == 0, result.stderr
    head, _, note = result.stdout.partition("\n\n")
    lines = head.split("\n")
    assert lines[:2] == ["c2sp.org/tlog-proof@v1", "index 1"]
    document = json.loads(run(store, "ledger", "prove", "1", "--json").stdout)
    assert document["tlog_proof"] == result.stdout
    assert document["checkpoint"] == note
    assert document["entry_document"]["type"] == "observation"
    checkpoint = tlog.Checkpoint.from_text(note)
    checkpoint.verify(signing.Vkey.from_string(run(store, "ledger", "vkey").stdout.strip()))
    assert lines[2:] == document["inclusion_proof"]
    leaf = merkle.leaf_hash(base64.b64decode(document["entry"]))
    assert base64.b64encode(leaf).decode() == document["leaf_hash"]
    proof = [base64.b64decode(h) for h in lines[2:]]
    tlog.InclusionProof(1, 2, proof).check(leaf, checkpoint.root_hash)
    beyond = run(store, "ledger", "prove", "2")
    assert beyond.exit_code == 2
    assert beyond.stderr == "Error: entry 2: not in the ledger of 2 entries.\n"


def test_erase_logs_a_tombstone_and_verify_reports_erased(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    keys = key_addresses(str(k) for (k,) in sql(store, "SELECT key_id FROM secret_keys"))
    (key_document,) = keys
    address = min(  # neither a manifest, a header nor the key's document: they refuse erasure
        str(d)
        for (d,) in sql(
            store,
            "SELECT digest FROM objects WHERE digest NOT IN (SELECT manifest FROM observations) "
            "AND digest NOT IN (SELECT header FROM observations WHERE header IS NOT NULL)",
        )
        if d not in keys
    )
    refused = run(store, "ledger", "erase", key_document, "--reason", "no")
    assert refused.exit_code == 2
    assert f"object {key_document} logs generation 0 of the store's secret key" in refused.stderr
    result = run(store, "ledger", "erase", str(address), "--reason", "retention: 30 days")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Erased {address}; tombstone is ledger entry 2.\n"
    result = run(store, "ledger", "verify")
    assert result.exit_code == 0, result.stderr
    assert f"erased: {address} (tombstone entry 2)\n" in result.stdout
    again = run(store, "ledger", "erase", str(address), "--reason", "again")
    assert again.exit_code == 2
    assert "was erased (ledger entry 2)" in again.stderr
    assert run(store, "ledger", "erase", str(address)).exit_code == 2  # --reason is required


def test_timeline_lists_changes_per_observation(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    document = json.loads(run(store, "timeline", "--estate", "shop", "--json").stdout)
    steps = document["steps"]
    assert [s["first"] for s in steps] == [True, False]
    assert [s["observation"]["entry"] for s in steps] == [0, 1]
    changed = {c["component"]: c["status"] for c in steps[1]["changes"]}
    assert changed["k8s:Deployment/shop/frontend"] == "same binary, context changed"
    only = run(store, "timeline", "--estate", "shop", "--component", "frontend", "--json")
    assert [c["component"] for c in json.loads(only.stdout)["steps"][1]["changes"]] == [
        "k8s:Deployment/shop/frontend"
    ]
    text = run(store, "timeline", "--estate", "shop", "--component", "frontend")
    assert text.exit_code == 0
    assert "  k8s:Deployment/shop/frontend: same binary, context changed (env)\n" in text.stdout
    assert '    env       /env/server/LOG_LEVEL/value: "info" → "debug"\n' in text.stdout
    since = steps[1]["observation"]["time"]
    later = json.loads(
        run(store, "timeline", "--estate", "shop", "--since", since, "--json").stdout
    )
    assert later["steps"] == []
    unknown = run(store, "timeline", "--estate", "nowhere")
    assert unknown.exit_code == 2


def test_at_shows_every_component_context_as_it_was(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    times = [t for (t,) in sql(store, "SELECT time FROM observations ORDER BY id")]
    first = json.loads(run(store, "at", str(times[0]), "--estate", "shop", "--json").stdout)
    now = json.loads(run(store, "at", "2100-01-01", "--estate", "shop", "--json").stdout)
    assert first["observation"]["entry"] == 0 and now["observation"]["entry"] == 1

    def level(doc: dict[str, object]) -> object:
        components = {c["id"]: c for c in doc["components"]}  # type: ignore[attr-defined]
        return components["k8s:Deployment/shop/frontend"]["context"]["env"]["server"]["LOG_LEVEL"]

    assert (level(first), level(now)) == ({"value": "info"}, {"value": "debug"})
    before = run(store, "at", "2000-01-01", "--estate", "shop")
    assert before.exit_code == 2
    assert "has no observation at or before 2000-01-01T00:00:00+00:00" in before.stderr
    assert run(store, "at", "yesterday", "--estate", "shop").exit_code == 2
