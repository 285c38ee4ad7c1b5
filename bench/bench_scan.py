"""Observe a synthetic 100,000-resource estate built from the shared corpus.

Figures: time per resource of ``observe`` (and of ``observe`` + ``record``) as a ratio to parsing
the same files with PyYAML's C loader alone, each with the CPU time this process and its file
workers spent (on a loaded machine the wall time grows with the load, the CPU time much less);
and how much the store grows when the estate is re-scanned with 1 % of its resources changed, as a
share of the first scan's size. The library is called as a Python caller would, at the
interpreter's collector thresholds (the command line sets its own).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bench.settings import env_int
from bench.timing import spent, timed
from stateward.analysis.audit import audit
from stateward.api import observe
from stateward.store import open_store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TARGET = env_int("BENCH_SCAN_RESOURCES", 100000)
PER_FILE = 500


def run() -> list[str]:
    templates = _corpus_objects()
    with tempfile.TemporaryDirectory(prefix="stateward-bench-scan-") as tmp:
        root = Path(tmp)
        estate = root / "estate"
        names = _write_estate(estate, templates, TARGET, changed=set())
        floor, _ = timed(lambda: _parse_floor(estate))
        store = open_store(str(root / "store"))
        observed, obs = spent(lambda: observe([str(estate)], estate="synthetic",
                                              keeper=store.keeper))  # fmt: skip
        stored, _ = spent(lambda: store.record(obs))
        audited, _ = spent(lambda: audit(obs))
        first_size = _store_bytes(store)
        changed = set(random.Random(7).sample(range(len(names)), len(names) // 100))
        _write_estate(estate, templates, TARGET, changed=changed)
        store.record(observe([str(estate)], estate="synthetic", keeper=store.keeper))
        growth = _store_bytes(store) - first_size
        store.close()
    n = len(obs.resources)
    return [
        f"resources observed: {n} ({len(obs.components)} components, {len(obs.errors)} errors)",
        f"PyYAML CSafeLoader parse floor: {floor / n * 1e6:.1f} us/resource",
        f"observe:          {observed.per(n)} = {observed.wall / floor:.2f}x the parse floor",
        f"record:           {stored.per(n)}; observe + record "
        f"{(observed.wall + stored.wall) / floor:.2f}x the parse floor",
        f"state audit (scan runs it too): {audited.per(n)} = "
        f"{audited.wall / floor:.2f}x the parse floor",
        f"store after first scan: {first_size / 1e6:.1f} MB; re-scan with {len(changed)} changed "
        f"resources (1%) grew it by {growth / 1e6:.2f} MB = {100 * growth / first_size:.2f}%",
    ]


def _corpus_objects() -> list[dict[str, Any]]:
    paths = sorted(CORPUS.rglob("*.yaml")) + sorted(CORPUS.rglob("*.yml"))
    return [
        doc
        for path in paths
        for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader)
        if isinstance(doc, dict) and "kind" in doc and isinstance(doc.get("metadata"), dict)
    ]


def _write_estate(
    root: Path, templates: list[dict[str, Any]], total: int, changed: set[int]
) -> list[int]:
    root.mkdir(exist_ok=True)
    for start in range(0, total, PER_FILE):
        docs = [
            _variant(templates[i % len(templates)], i, i in changed)
            for i in range(start, min(start + PER_FILE, total))
        ]
        text = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False)
        (root / f"part-{start // PER_FILE:04}.yaml").write_text(text)
    return list(range(total))


def _variant(template: dict[str, Any], i: int, changed: bool) -> dict[str, Any]:
    obj = dict(template)
    meta = dict(obj["metadata"])
    meta["name"] = f"{meta.get('name', 'x')}-{i}"
    meta["namespace"] = f"ns-{i // 1000:03}"
    labels = dict(meta.get("labels") or {})
    labels["bench/revision"] = "2" if changed else "1"
    meta["labels"] = labels
    obj["metadata"] = meta
    return obj


def _parse_floor(root: Path) -> None:
    for path in sorted(root.glob("*.yaml")):
        for _ in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader):
            pass


def _store_bytes(store: Any) -> int:
    """Bytes the SQLite store holds (pages in use after a checkpoint)."""
    store.db.read_only(lambda c: None)
    conn = store.db._conn  # bench-only peek at the SQLite connection
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = (
        conn.execute("PRAGMA page_count").fetchone()[0]
        - conn.execute("PRAGMA freelist_count").fetchone()[0]
    )
    return int(pages * conn.execute("PRAGMA page_size").fetchone()[0])
