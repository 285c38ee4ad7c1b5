"""A watch reads its first list ahead: each object is heard with its body still parsed as its
page arrives (``KubeWatch.on_read``), and the views the first observation reads (workloads
normalized) are computed there. What it records is what a scan of the same cluster records:
the same manifest, byte for byte, however the list went (a continue token that expired
mid-list included)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from tests.kubeapi.server import EXPIRE_CONTINUE, KubeAPI
from tests.test_kube_watch_staged import _until

from stateward import api
from stateward.api._observe import observation_of
from stateward.contexts import derive_live_view
from stateward.model.encoded import EncodedBody
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.location import PAGE
from stateward.sources.kube.pages import available
from stateward.sources.kube.source import KubeSource
from stateward.sources.kube.watch import Batch, KubeWatch
from stateward.store import open_store

KEEPER = SecretKeeper(b"k" * 32)
Heard = TypeVar("Heard")


@pytest.fixture
def many(kube_api: KubeAPI, kubeconfig: Path, monkeypatch: pytest.MonkeyPatch) -> KubeAPI:
    """The recorded cluster, more ConfigMaps than one page holds, Deployments reading them
    and an autoscaler owning one Deployment's replicas; the watch's kubeconfig."""
    for i in range(PAGE + 20):
        kube_api.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": f"many-{i:04}", "namespace": "default"},
                                 "data": {"INDEX": str(i), "LOG_LEVEL": "info"}}, "helm")  # fmt: skip
    for i in range(3):
        container = {"name": "app", "image": f"example/app-{i}:1.0",
                     "envFrom": [{"configMapRef": {"name": f"many-{i:04}"}}]}  # fmt: skip
        labels = {"app": f"app-{i}"}
        kube_api.cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                                 "metadata": {"name": f"app-{i}", "namespace": "default"},
                                 "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                                          "template": {"metadata": {"labels": labels},
                                                       "spec": {"containers": [container]}}}},
                                "helm")  # fmt: skip
    kube_api.cluster.create({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                             "metadata": {"name": "app-0", "namespace": "default"},
                             "spec": {"scaleTargetRef": {"apiVersion": "apps/v1",
                                                         "kind": "Deployment", "name": "app-0"},
                                      "minReplicas": 1, "maxReplicas": 4}}, "helm")  # fmt: skip
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))  # the watch reads kubectl's environment
    return kube_api


def _first(follow: Callable[[Callable[[Heard], None], threading.Event], None]) -> Heard:
    """Run ``follow(heard, stop)`` in a thread until it is first heard of; what it heard."""
    heard: list[Heard] = []
    stop = threading.Event()
    thread = threading.Thread(target=follow, args=(heard.append, stop), daemon=True)
    thread.start()
    try:
        _until(lambda: bool(heard), "the first batch or observation")
    finally:
        stop.set()
        thread.join(10)
    return heard[0]


@pytest.mark.parametrize("worker", [False, True])
def test_every_listed_object_is_heard_once_before_the_first_batch(
    many: KubeAPI, kubeconfig: Path, worker: bool
) -> None:
    """Parsed, when the watch digests its pages itself (its canonical bytes, which the batch
    gives, holding the parsed item until it is heard); as the canonical bytes the page worker
    made, undecoded, when it does (the views read come with them: test_kube_watch_worker),
    but for the pages that came while it was busy, which the watch digested itself."""
    heard: list[tuple[str, str, bool]] = []
    watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                      on_read=lambda r: heard.append((str(r.key), r.digest, _parsed(r))),
                      page_worker=worker)  # fmt: skip
    first: Batch = _first(watch.run)
    assert len(first.resources) > PAGE  # more than one page of them
    assert sorted((key, digest) for key, digest, _ in heard) == sorted(
        (str(r.key), r.digest) for r in first.resources
    )
    parsed = {was for _, _, was in heard}
    if not (worker and available()):  # one core: the watch digests its pages itself
        assert parsed == {True}  # parsed, not to be decoded from the held bytes
    else:  # which pages the worker takes depends on scheduling: under a loaded suite it may
        # still be starting when every page has come (the split: test_kube_watch_worker)
        assert parsed <= {True, False}
    # the batch holds them as bytes alone: their parsed items were let go once heard
    assert all(isinstance(r.body, EncodedBody) and not _parsed(r) for r in first.resources)


def _parsed(resource: Resource) -> bool:
    """``resource``'s body is held parsed: reading it decodes nothing."""
    body = resource.body
    return body._decoded is not None if isinstance(body, EncodedBody) else True


@pytest.mark.parametrize("fault", [None, EXPIRE_CONTINUE])
def test_the_first_observation_is_what_a_scan_of_the_same_cluster_records(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path, fault: str | None
) -> None:
    if fault is not None:  # its second page is refused (410): the list starts over
        many.faults["configmaps"] = fault
    store = open_store(str(tmp_path / "store"))
    try:

        def follow(heard: Callable[[api.Recorded], None], stop: threading.Event) -> None:
            api.watch(store, "kube://", estate="live", on_record=heard, stop=stop, debounce_s=0.1)

        _first(follow)
        assert "configmaps" not in many.faults  # the fault was met, and answered
        scan = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}).observe("kube://", store.keeper)
        scanned = store.record(observation_of("scanned", ["kube://"], scan.resources))
        watched = store.latest("live")
        assert watched is not None and watched.seq == 1
        assert watched.manifest == scanned.manifest  # resources, components, findings alike
        assert api.verify(store).ok
    finally:
        store.close()


@pytest.mark.parametrize("worker", [False, True])
def test_a_workload_view_read_ahead_is_the_one_its_batch_reads(
    many: KubeAPI, kubeconfig: Path, worker: bool
) -> None:
    """The first batch's Deployments carry the very views computed from their listed bodies
    (not decoded from bytes, nor looked up after the last page), each object's body its
    canonical bytes; the autoscaled one is computed again as scaled when read."""
    computed: dict[str, Any] = {}

    def ahead(resource: Resource) -> None:
        derive_live_view(resource)
        if resource.key.kind == "Deployment":
            computed[resource.key.name] = resource.derived["live view"]

    watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)}, on_read=ahead,
                      derive=derive_live_view, page_worker=worker)  # fmt: skip
    first: Batch = _first(watch.run)
    assert all(isinstance(r.body, EncodedBody) and r.body.data for r in first.resources)
    apps = {r.key.name: r for r in first.resources if r.key.kind == "Deployment"}
    given = {name: r.derived.get("live view") for name, r in apps.items()}
    assert {"app-0", "app-1", "app-2"} <= set(given)
    assert all(given[name] is computed[name] for name in given)  # computed once, carried
    assert all(view is not None and not isinstance(view, bytes) for view in given.values())
    scanned = observation_of("e", ["kube://"], first.resources)
    fresh = observation_of("e", ["kube://"], _reread(first.resources))
    assert [c.as_dict() for c in scanned.components] == [c.as_dict() for c in fresh.components]
    assert apps["app-0"].derived["live view"].scaled


def _reread(resources: list[Resource]) -> list[Resource]:
    """The same objects with nothing derived yet."""
    return [Resource.of(r.key, dict(r.body), r.origin) for r in resources]
