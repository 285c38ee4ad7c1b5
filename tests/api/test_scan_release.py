"""A scan lets go of each stage's views and decoded bodies (:meth:`Resource.release`) so they
are never all held at once; what it shows and records stays exactly what a scan that keeps
everything shows and records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stateward import api
from stateward.model.resource import Resource
from stateward.report.scan import scan_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPORA = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("corpus", CORPORA)
def test_releasing_between_stages_changes_nothing(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    released = _scanned(tmp_path / "released", CORPUS / corpus)
    monkeypatch.setattr(Resource, "release", lambda self: None)
    kept = _scanned(tmp_path / "kept", CORPUS / corpus)
    assert released == kept
    assert released["components"], "the corpus resolved to no component: nothing compared"


def _scanned(store: Path, root: Path) -> dict[str, Any]:
    """The scan's JSON document without its time; the manifest address in it names every
    recorded resource, component and finding object by content."""
    scanned = api.scan(str(store), [str(root)], estate="e")
    document = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    del document["observation"]["time"]
    return document


@pytest.mark.parametrize("corpus", CORPORA)
def test_an_audit_that_lets_go_of_the_bodies_reports_the_same(
    corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = api.audit([str(CORPUS / corpus)])
    assert all(not r.derived for r in released.observation.resources)  # let go of
    monkeypatch.setattr(Resource, "release", lambda self: None)
    kept = api.audit([str(CORPUS / corpus)])
    assert released.report.as_dict() == kept.report.as_dict()
    assert released.report.components, "the corpus has no component: nothing compared"
