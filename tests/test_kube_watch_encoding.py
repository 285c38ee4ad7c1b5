"""What a watch records is what it recorded when the standard library's encoder alone made the
canonical JSON (``stateward.model.canonical`` now takes orjson's bytes where they are the same):
the ledger entry, the manifest and header it names, and every stored object, byte for byte."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests import test_kube_watch_ahead as ahead
from tests.kubeapi.server import KubeAPI

import stateward.model.canonical
from stateward.api._observe import observation_of
from stateward.contexts import derive_live_view
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.location import PAGE
from stateward.sources.kube.pages import available
from stateward.sources.kube.watch import Batch, KubeWatch
from stateward.store import open_store
from stateward.store.store import inflate

KEEPER = SecretKeeper(b"k" * 32)
many = ahead.many  # the fixture: ConfigMaps over a page, Deployments reading them


def _recorded(kubeconfig: Path, store: str, worker: bool) -> tuple[bytes, dict[str, bytes]]:
    """The first observation of a watch, recorded: its ledger entry and the store's objects."""
    watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                      derive=derive_live_view, page_worker=worker)  # fmt: skip
    first: Batch = ahead._first(watch.run)
    observation = observation_of("live", ["kube://"], first.resources, errors=first.errors,
                                 complete=first.complete)  # fmt: skip
    observation.time = datetime(2026, 12, 5, tzinfo=UTC)
    opened = open_store(store)
    try:
        opened.record(observation)
        rows = opened.db.read_only(lambda c: c.execute("SELECT digest, data FROM objects"))
        return opened.ledger.prove(0).entry, {str(d): bytes(data) for d, data in rows}
    finally:
        opened.close()


@pytest.mark.parametrize("worker", [False, pytest.param(True, marks=pytest.mark.skipif(
    not available(), reason="one core or no fork(2): no page worker"))])  # fmt: skip
def test_the_entry_and_objects_are_those_of_the_standard_librarys_encoding(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: bool
) -> None:
    # as a real cluster's every Deployment: nulls, which a listed body's encoding takes as None
    # (the API server sends no NaN, canonical.decoded refuses them) and a value's may not
    labels = {"app": "nulls"}
    many.cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "nulls", "namespace": "default"},
                         "spec": {"selector": {"matchLabels": labels}, "strategy": None,
                                  "template": {"metadata": {"labels": labels,
                                                            "creationTimestamp": None},
                                               "spec": {"containers": [{"name": "app",
                                                                        "image": "x:1"}]}}}},
                        "helm")  # fmt: skip
    open_store(str(tmp_path / "now")).close()
    shutil.copytree(tmp_path / "now", tmp_path / "before")  # the same keys
    now = _recorded(kubeconfig, str(tmp_path / "now"), worker)
    with monkeypatch.context() as patched:  # every value to the standard library's encoder
        patched.setattr(stateward.model.canonical, "_may_differ", lambda *_: True)
        before = _recorded(kubeconfig, str(tmp_path / "before"), worker)
    assert now[0] == before[0]  # the entry, so the manifest and header it names
    assert now[1] == before[1] and len(now[1]) > PAGE
    assert any(b'"creationTimestamp":null' in inflate(a, d) for a, d in now[1].items())
