"""Bodies the file workers read arrive deflated as the store keeps them, held once; the scan
shows and records exactly what a scan of the same files read in this process does, down to the
stored bytes of every object but the header (which holds the time). The corpus includes a
PersistentVolume whose PV_NFS finding names the NFS export's fields: by name, not in the order
of the body read (the file's in this process, sorted for one decoded from canonical bytes)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from stateward import api
from stateward.model.encoded import DeflatedBody
from stateward.report.scan import scan_document
from stateward.sources import files

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPORA = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

pytestmark = [
    pytest.mark.skipif(not CORPORA, reason=f"SHARED CORPUS MISSING at {CORPUS}"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the file source reads in-process"),
]


def test_bodies_from_the_workers_record_what_bodies_read_in_process_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(files, "PARALLEL_FROM", 1 << 30)
    in_process = api.scan(str(tmp_path / "in-process"), [str(corpus)], estate="e")
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)
    pooled = api.scan(str(tmp_path / "pooled"), [str(corpus)], estate="e")

    bodies = [r.body for r in pooled.observation.resources]
    assert all(isinstance(b, DeflatedBody) for b in bodies), "every body came deflated"
    assert not [r.key for r in pooled.observation.resources if r.data], "and is held once"
    assert not any(isinstance(r.body, DeflatedBody) for r in in_process.observation.resources)
    assert _document(pooled) == _document(in_process)
    stored = _objects(tmp_path / "pooled", pooled)
    assert stored == _objects(tmp_path / "in-process", in_process)
    assert {r.digest for r in pooled.observation.resources} <= stored.keys()


def _document(scanned: api.Scanned) -> dict[str, Any]:
    document = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    del document["observation"]["time"]
    return document


def _objects(store: Path, scanned: api.Scanned) -> dict[str, bytes]:
    """Every stored object's bytes as written (deflated) by address, but the header's."""
    with sqlite3.connect(next(store.glob("*.db"))) as conn:
        rows = dict(conn.execute("SELECT digest, data FROM objects").fetchall())
    del rows[scanned.record.header]
    return rows
