"""Objects the file source's workers read come with their normalized views, as bytes: the
observation built from them is the one built by reading and normalizing in this process, and
this process normalizes none of them again, but for an object an autoscaler turns out to scale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from stateward.api import observe
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.sources import files

from .test_corpus import CORPORA, CORPUS
from .test_kept_views import DEPLOYMENT, HPA

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="the file source reads in-process on one core"
)
_VIEW, _PREPARED = "live view", "normalized"  # names the views are kept under


def _both(location: Path, keeper: SecretKeeper, monkeypatch: pytest.MonkeyPatch) -> tuple[
    Observation, Observation
]:  # fmt: skip
    monkeypatch.setattr(files, "PARALLEL_FROM", 1 << 30)
    in_process = observe([str(location)], estate="e", keeper=keeper)
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)
    return in_process, observe([str(location)], estate="e", keeper=keeper)


def _as_dicts(observation: Observation) -> tuple[list[object], ...]:
    return (
        [(r.key, r.canonical, r.digest, str(r.origin)) for r in observation.resources],
        [c.as_dict() for c in observation.components],
        [f.as_dict() for f in observation.findings],
        [str(e) for e in observation.errors],
    )


@pytest.mark.skipif(not CORPORA, reason=f"SHARED CORPUS MISSING at {CORPUS}")
def test_views_from_the_workers_build_the_observation_read_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_process, pooled = _both(CORPUS, SecretKeeper.at(tmp_path / "k"), monkeypatch)
    assert _as_dicts(pooled) == _as_dicts(in_process)
    viewed = [r for r in pooled.resources if _VIEW in r.derived]
    assert len(viewed) > 100, "the corpora's workloads and Services came with their views"
    assert not [r.key for r in pooled.resources if _PREPARED in r.derived]


def test_an_object_an_autoscaler_scales_is_normalized_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "estate").mkdir()
    (tmp_path / "estate" / "deployment.yaml").write_text(yaml.safe_dump(DEPLOYMENT))
    (tmp_path / "estate" / "hpa.yaml").write_text(yaml.safe_dump(HPA))
    keeper = SecretKeeper.at(tmp_path / "k")
    in_process, pooled = _both(tmp_path / "estate", keeper, monkeypatch)
    assert _as_dicts(pooled) == _as_dicts(in_process)
    again = [r.key.kind for r in pooled.resources if _PREPARED in r.derived]
    assert again == ["Deployment"]  # its view from the worker assumed no autoscaler
