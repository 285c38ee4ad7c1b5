"""An audit records nothing: the bodies its file workers read arrive as their canonical bytes,
not deflated as the store keeps them (``FileSource.recorded``), held once; the audit reports
exactly what an audit of the same files read in this process reports, and a scan's bodies
still arrive deflated."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from stateward.analysis.audit import AuditReport
from stateward.api._observe import observed_audited
from stateward.model.encoded import DeflatedBody, EncodedBody
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.report.scan import input_errors
from stateward.sources import files
from stateward.sources.files import FileSource

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
KEEPER = SecretKeeper(b"u" * 32)

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"SHARED CORPUS MISSING at {CORPUS}"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the file source reads in-process"),
]


def test_an_audit_reads_canonical_bytes_and_reports_what_reading_in_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(files, "PARALLEL_FROM", 1 << 30)
    in_process = _audited(corpus, resolve_beside=False)
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)
    for resolve_beside in (False, True):
        observation, report = observed_audited(
            [str(corpus)], keeper=KEEPER, images=lambda: None, resolve_beside=resolve_beside
        )
        resources = observation.resources
        assert resources, "the corpus was read"
        assert all(type(r.body) is EncodedBody for r in resources), "no body came deflated"
        assert all(r.data and r.body.canonical() is r.data for r in resources), "held once"
        assert _document(observation, report) == in_process


def test_a_recorded_read_still_brings_bodies_deflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)
    for source, deflated in ((FileSource(), True), (FileSource().unrecorded(), False)):
        result, refused = source.observe_together([str(corpus)], KEEPER)
        assert not refused and result.resources
        assert {isinstance(r.body, DeflatedBody) for r in result.resources} == {deflated}


def _audited(corpus: Path, resolve_beside: bool) -> dict[str, Any]:
    observation, report = observed_audited(
        [str(corpus)], keeper=KEEPER, images=lambda: None, resolve_beside=resolve_beside
    )
    return _document(observation, report)


def _document(observation: Observation, report: AuditReport) -> dict[str, Any]:
    """What ``stateward audit --json`` prints (the report with the reading's findings)."""
    found = report.including(observation.findings)
    return {**found.as_dict(), "errors": input_errors(observation)}
