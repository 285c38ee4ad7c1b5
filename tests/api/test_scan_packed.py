"""A scan holds its components' contexts packed (:class:`PackedContext`); what it shows and
records is exactly what a scan holding them as dicts did: the ``--json`` document, its changes
in the same order, and the bytes of every stored object but the header (which holds the time),
on the shared corpus and on a second scan of it with workloads changed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from stateward import api
from stateward.model.component import Component
from stateward.model.encoded import PackedContext
from stateward.model.kubernetes import pod_template
from stateward.report.scan import scan_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"SHARED CORPUS MISSING at {CORPUS}")
ADDED = ("ZZ_ADDED", "AA_ADDED")
"""Variables the second scan adds to every workload's first container, not in sorted order:
a context decoded in sorted order would list their changes the other way round."""


def test_a_scan_of_packed_contexts_shows_and_records_what_one_of_dicts_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    changed = _with_variables(corpus)  # once: both second scans read the same changed files
    packed = _scans(tmp_path / "packed", corpus, changed)
    assert all(isinstance(c.context, PackedContext) for c in packed[0].observation.components)
    restore = corpus.with_name("restore")
    shutil.copytree(CORPUS, restore)
    shutil.rmtree(corpus)
    restore.rename(corpus)
    with monkeypatch.context() as unpacked:
        unpacked.setattr(Component, "packed", lambda self: self)
        as_dicts = _scans(tmp_path / "dicts", corpus, changed)
    assert not any(isinstance(c.context, PackedContext) for c in as_dicts[0].observation.components)

    for mine, theirs in zip(packed, as_dicts, strict=True):
        assert _document(mine) == _document(theirs)
    assert _objects(tmp_path / "packed", packed) == _objects(tmp_path / "dicts", as_dicts)
    paths = [c.path for d in packed[1].deltas for c in d.changes if c.path.endswith(ADDED)]
    assert paths and paths[0].endswith(ADDED[0]), "the test changed contexts, keys unsorted"


def _scans(store: Path, corpus: Path, changed: dict[Path, str]) -> tuple[api.Scanned, api.Scanned]:
    first = api.scan(str(store), [str(corpus)], estate="e")
    for path, text in changed.items():
        (corpus / path).write_text(text)
    return first, api.scan(str(store), [str(corpus)], estate="e")


def _with_variables(corpus: Path) -> dict[Path, str]:
    """The corpus's manifest files that :func:`_add_variables` changes, by path within it, as
    changed (pure-Python YAML: a read and a write of the whole corpus takes seconds)."""
    changed = {}
    for path in sorted(corpus.rglob("*.yaml")):
        text = _add_variables(path.read_text())
        if text is not None:
            changed[path.relative_to(corpus)] = text
    return changed


def _add_variables(text: str) -> str | None:
    """A manifest file's text with :data:`ADDED` in the first container of each workload, or
    None if it has no workload to add them to."""
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return None
    changed = False
    for document in documents:
        if not isinstance(document, dict) or not isinstance(document.get("kind"), str):
            continue
        _, spec = pod_template(document)
        containers = spec.get("containers") if isinstance(spec, dict) else None
        if isinstance(containers, list) and containers and isinstance(containers[0], dict):
            env = containers[0].setdefault("env", [])
            if isinstance(env, list):
                env.extend({"name": name, "value": "1"} for name in ADDED)
                changed = True
    return yaml.safe_dump_all(documents, sort_keys=False) if changed else None


def _document(scanned: api.Scanned) -> str:
    document = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    del document["observation"]["time"]
    return repr(document)  # the order of every list and mapping counts


def _objects(store: Path, scans: tuple[api.Scanned, ...]) -> dict[str, bytes]:
    """Every stored object's bytes as written (deflated) by address, but the headers'."""
    with sqlite3.connect(next(store.glob("*.db"))) as conn:
        rows: dict[str, bytes] = dict(conn.execute("SELECT digest, data FROM objects").fetchall())
    for scanned in scans:
        del rows[scanned.record.header]
    return rows
