"""``watch`` captures a pod before it vanishes: terminating (a grace period), a storm of deletions,
a container restart; each bundle sealed in the ledger as the engine capture seals one."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pyrage
import pytest
from pyrage import x25519
from tests.kubeapi.server import KubeAPI

from stateward import api
from stateward.forensics.capture import CaptureOptions
from stateward.forensics.sealing import Recipients
from stateward.model.canonical import digest_bytes
from stateward.store import Store, open_store

LOG = "started\nGET / 200\npassword=hunter2\n"


class Watching:
    """``api.watch`` with pod capture, in a thread, against the test API server."""

    def __init__(self, store: Store, options: CaptureOptions) -> None:
        self.recorded: list[api.Recorded] = []
        self.captured: list[api.WatchCapture] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=api.watch,
            args=(store, "kube://"),
            kwargs={"estate": "live", "on_record": self.recorded.append, "stop": self.stop,
                    "debounce_s": 0.1, "capture": options, "on_capture": self.captured.append},
            daemon=True,
        )  # fmt: skip
        self.thread.start()
        _until(lambda: bool(self.recorded), "the first observation")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with closing(open_store(str(tmp_path / "store"))) as opened:
        yield opened


@pytest.fixture
def watching(
    kube_api: KubeAPI, kubeconfig: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Watching]:
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    kube_api.bookmark_interval = 0.1
    running = Watching(store, CaptureOptions())
    yield running
    running.close()


def _until(done: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _artefacts(store: Store, evidence: str) -> dict[str, dict[str, Any]]:
    shown = api.evidence_show(store, evidence)
    return {a["name"]: a for a in shown.manifest["artefacts"]}


def test_a_terminating_pod_is_sealed_within_its_grace_period(
    kube_api: KubeAPI, watching: Watching, store: Store
) -> None:
    cluster = kube_api.cluster
    cluster.logs[("default", "nginx", "nginx")] = LOG
    pods = cluster.kinds[("", "pods")]
    started = time.monotonic()
    cluster.delete(pods, "default", "nginx", grace=2)
    _until(lambda: bool(watching.captured), "the capture")
    assert time.monotonic() - started < 1.5  # within the grace period: the pod still answers
    captured = watching.captured[0]
    assert (captured.subject, captured.trigger, captured.complete) == (
        "default/nginx",
        "pod-terminating",
        True,
    )
    artefacts = _artefacts(store, captured.evidence)
    log = artefacts["log:nginx"]  # raw, no recipient: its digest only, never the text
    assert log["outcome"] == "withheld" and "address" not in log
    assert log["plaintext"]["sha256"] == digest_bytes(LOG.encode())
    assert {artefacts["events"]["outcome"], artefacts["pod"]["outcome"]} == {"collected"}
    pod = store.get_json(artefacts["pod"]["address"])
    assert pod["metadata"]["deletionTimestamp"] and pod["spec"]["containers"][0]["name"] == "nginx"
    assert b"hunter2" not in b"".join(
        store.get_object(a["address"]) for a in artefacts.values() if "address" in a
    )
    verified = api.verify_evidence(store, captured.evidence)
    assert verified.artefacts == len(artefacts)
    listed = api.evidence_list(store)
    assert [e.record.address for e in listed] == [captured.evidence]
    time.sleep(2.5)  # the pod is deleted once its grace ends: no second capture
    assert len(watching.captured) == 1


def test_a_storm_of_fifty_deleted_pods_yields_fifty_sealed_bundles(
    kube_api: KubeAPI, watching: Watching
) -> None:
    cluster = kube_api.cluster
    pods = cluster.kinds[("", "pods")]
    template = cluster.get(pods, "default", "nginx")
    for i in range(50):
        pod = copy.deepcopy(template)
        pod["metadata"] = {"name": f"storm-{i:02}", "namespace": "default"}
        cluster.create(pod, "kube-controller-manager")
    _until(lambda: sum(r.resources for r in watching.recorded[-1:]) >= 56, "the 50 pods")
    for i in range(50):
        cluster.delete(pods, "default", f"storm-{i:02}", grace=1)
    _until(lambda: len(watching.captured) == 50, "50 captures")
    assert sorted(c.subject for c in watching.captured) == [
        f"default/storm-{i:02}" for i in range(50)
    ]
    assert len({c.entry for c in watching.captured}) == 50


def test_a_restarted_container_is_captured_with_its_previous_log(
    kube_api: KubeAPI, kubeconfig: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    identity = x25519.Identity.generate()
    options = CaptureOptions(recipients=Recipients.parse([str(identity.to_public())], "test"))
    running = Watching(store, options)
    try:
        cluster = kube_api.cluster
        cluster.logs[("default", "nginx", "nginx")] = "second life\n"
        cluster.logs[("default", "nginx", "nginx@previous")] = "out of memory\n"
        pods = cluster.kinds[("", "pods")]
        status = {
            "containerStatuses": [
                {
                    "name": "nginx",
                    "restartCount": 1,
                    "ready": True,
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ]
        }
        cluster.patch(pods, "default", "nginx", {"status": status}, "kubelet")  # fmt: skip
        _until(lambda: bool(running.captured), "the capture")
    finally:
        running.close()
    captured = running.captured[0]
    assert captured.trigger == "container-restarted"
    manifest = api.evidence_show(store, captured.evidence).manifest
    assert manifest["trigger"]["reason"] == "OOMKilled"
    artefacts = {a["name"]: a for a in manifest["artefacts"]}
    previous = store.get_object(artefacts["log:nginx:previous"]["address"])
    assert (
        pyrage.decrypt(previous, [identity]) == b"out of memory\n"
    )  # sealed to the recipient only
    assert b"out of memory" not in previous
