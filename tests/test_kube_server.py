"""The test Kubernetes API server against real clients: Debian's kubectl and the official Python
client, unchanged. If they accept it, the source's tests against it mean something."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import kubernetes
import pytest
from kubernetes.client.exceptions import ApiException
from tests.kubeapi.server import KubeAPI


def _kubectl(kubectl: str, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([kubectl, "--kubeconfig", str(config), *args],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _later(seconds: float, action: Any) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _configmap(api: KubeAPI) -> Any:
    return api.cluster.kinds[("", "configmaps")]


def test_kubectl_api_resources_lists_builtin_and_crd_kinds(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str
) -> None:
    run = _kubectl(kubectl, kubeconfig, "api-resources", "-o", "name")
    assert run.returncode == 0, run.stderr
    names = run.stdout.split()
    assert {"pods", "configmaps", "deployments.apps", "adapters.config.istio.io",
            "destinationrules.networking.istio.io"} <= set(names)  # fmt: skip


def test_kubectl_get_json_returns_recorded_objects_with_managed_fields(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str
) -> None:
    run = _kubectl(kubectl, kubeconfig, "get", "pods", "-o", "json")
    assert run.returncode == 0, run.stderr
    pods = json.loads(run.stdout)["items"]
    assert sorted(p["metadata"]["name"] for p in pods) == ["nginx", "nginx-7fb78fb6d8-2w75j"]
    managers = {m["manager"] for p in pods for m in p["metadata"]["managedFields"]}
    assert managers == {"kubectl-client-side-apply"}


def test_kubectl_get_watch_sees_a_change_made_during_it(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str
) -> None:
    patch = {"data": {"LOG_LEVEL": "debug"}}
    _later(1.0, lambda: kube_api.cluster.patch(_configmap(kube_api), "default", "blee", patch,
                                               "kubectl-set"))  # fmt: skip
    run = _kubectl(kubectl, kubeconfig, "get", "configmaps", "--watch", "-o", "json",
                   "--request-timeout=3s")  # fmt: skip
    assert run.returncode == 0, run.stderr
    seen = [json.loads(doc) for doc in run.stdout.replace("}\n{", "}\x00{").split("\x00")]
    assert [c["data"].get("LOG_LEVEL") for c in seen] == [None, "debug"]
    assert [m["manager"] for m in seen[-1]["metadata"]["managedFields"]] == [
        "kubectl-client-side-apply", "kubectl-set"]  # fmt: skip


def test_kubectl_is_refused_a_forbidden_kind_with_the_servers_words(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str
) -> None:
    kube_api.cluster.forbidden.add("secrets")
    run = _kubectl(kubectl, kubeconfig, "get", "secrets", "-o", "json")
    assert run.returncode == 1
    assert 'cannot list resource "secrets" in API group ""' in run.stderr


def test_kubectl_reads_pod_logs(kube_api: KubeAPI, kubeconfig: Path, kubectl: str) -> None:
    kube_api.cluster.logs[("default", "nginx", "nginx")] = "started\nGET / 200\n"
    run = _kubectl(kubectl, kubeconfig, "logs", "nginx", "--tail=1")
    assert (run.returncode, run.stdout) == (0, "GET / 200\n"), run.stderr


# -- the official Python client, unchanged -------------------------------------------------


@pytest.fixture
def core(kube_api: KubeAPI, kubeconfig: Path) -> kubernetes.client.CoreV1Api:
    client = kubernetes.config.new_client_from_config(config_file=str(kubeconfig))
    return kubernetes.client.CoreV1Api(client)


def test_python_client_list_then_watch_resumes_from_the_lists_resource_version(
    kube_api: KubeAPI, core: kubernetes.client.CoreV1Api
) -> None:
    listed = core.list_namespaced_config_map("default")
    assert [c.metadata.name for c in listed.items] == ["blee"]
    kube_api.cluster.patch(_configmap(kube_api), "default", "blee", {"data": {"a": "1"}}, "x")
    watch = kubernetes.watch.Watch()
    stream = watch.stream(
        core.list_namespaced_config_map,
        "default",
        resource_version=listed.metadata.resource_version,
        timeout_seconds=1,
    )
    events = [(event["type"], event["object"].data.get("a")) for event in stream]
    assert events == [("MODIFIED", "1")]  # the change after the list, once, nothing older


def test_python_client_watch_gets_bookmarks_with_the_latest_resource_version(
    kube_api: KubeAPI, core: kubernetes.client.CoreV1Api
) -> None:
    kube_api.bookmark_interval = 0.2
    start = kube_api.cluster.rv
    kube_api.cluster.patch(kube_api.cluster.kinds[("", "pods")], "default", "nginx",
                           {"metadata": {"labels": {"x": "1"}}}, "other")  # fmt: skip
    watch = kubernetes.watch.Watch()
    kinds = [
        e["type"]
        for e in watch.stream(
            core.list_namespaced_config_map,
            "default",
            resource_version=str(start),
            allow_watch_bookmarks=True,
            timeout_seconds=1,
        )
    ]
    assert kinds and set(kinds) == {"BOOKMARK"}  # a pod changed, no configmap did
    assert watch.resource_version == str(kube_api.cluster.rv)


def test_python_client_watch_from_a_compacted_resource_version_is_410_gone(
    kube_api: KubeAPI, core: kubernetes.client.CoreV1Api
) -> None:
    old = core.list_namespaced_config_map("default").metadata.resource_version
    kube_api.cluster.compact()
    watch = kubernetes.watch.Watch()
    with pytest.raises(ApiException) as raised:
        list(watch.stream(core.list_namespaced_config_map, "default", resource_version=old,
                          timeout_seconds=1))  # fmt: skip
    assert raised.value.status == 410


def test_paginated_list_is_one_consistent_snapshot(
    kube_api: KubeAPI, core: kubernetes.client.CoreV1Api
) -> None:
    first = core.list_pod_for_all_namespaces(limit=1)
    assert first.metadata.remaining_item_count == 1 and first.metadata._continue
    kube_api.cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "zz"},
            "spec": {"containers": [{"name": "c", "image": "x"}]},
        },
        "test",
    )
    rest = core.list_pod_for_all_namespaces(limit=1, _continue=first.metadata._continue)
    names = [p.metadata.name for p in first.items + rest.items]
    assert names == ["nginx", "nginx-7fb78fb6d8-2w75j"] and not rest.metadata._continue
    kube_api.cluster.compact()
    with pytest.raises(ApiException) as raised:
        core.list_pod_for_all_namespaces(limit=1, _continue=first.metadata._continue)
    assert raised.value.status == 410


def _get(api: KubeAPI, path: str) -> bytes:
    with urllib.request.urlopen(api.url + path) as answer:
        return bytes(answer.read())


def _listed(api: KubeAPI, kind: Any, names: list[str]) -> list[dict[str, Any]]:
    """The stored objects named, as a list answer carries them (no apiVersion nor kind)."""
    objects = [api.cluster.get(kind, "default", n) for n in names]
    return [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in objects]


def test_list_pages_are_the_bytes_json_dumps_gives_and_never_a_stale_version(
    kube_api: KubeAPI,
) -> None:
    kind, path = _configmap(kube_api), "/api/v1/namespaces/default/configmaps?limit=1"
    kube_api.cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "zz", "namespace": "default"}, "data": {"LOG_LEVEL": "info"}}, "helm")  # fmt: skip
    names = [o["metadata"]["name"] for o in kube_api.cluster.items(kind, "default")]
    assert len(names) == 2
    first = _get(kube_api, path)
    page = json.loads(first)
    assert first == json.dumps(page).encode()  # the real encoder's bytes, as before the cache
    assert page["items"] == _listed(kube_api, kind, names[:1])
    before = _listed(kube_api, kind, names[1:2])
    kube_api.cluster.patch(kind, "default", names[1], {"data": {"LOG_LEVEL": "x"}}, "kubectl")
    token = urllib.parse.quote(page["metadata"]["continue"])
    again = _get(kube_api, f"{path}&continue={token}")
    assert again == json.dumps(json.loads(again)).encode()
    assert json.loads(again)["items"] == before  # the snapshot's version, not the patched one
    fresh = json.loads(_get(kube_api, "/api/v1/namespaces/default/configmaps"))
    assert fresh["items"] == _listed(kube_api, kind, names)
    assert fresh["items"][1]["data"]["LOG_LEVEL"] == "x"
    assert _get(kube_api, "/api/v1/namespaces/default/configmaps") == json.dumps(fresh).encode()


def test_updates_move_field_ownership_between_managers(kube_api: KubeAPI) -> None:
    kind = _configmap(kube_api)
    kube_api.cluster.patch(kind, "default", "blee", {"data": {"key1": "changed"}}, "argocd")
    fields = {
        m["manager"]: m["fieldsV1"]
        for m in kube_api.cluster.get(kind, "default", "blee")["metadata"]["managedFields"]
    }
    assert fields["argocd"] == {"f:data": {"f:key1": {}}}
    assert fields["kubectl-client-side-apply"]["f:data"] == {"f:key2": {}}


def test_metadata_only_answer_carries_no_secret_data(kube_api: KubeAPI) -> None:
    accept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
    request = urllib.request.Request(kube_api.url + "/api/v1/secrets", headers={"Accept": accept})
    with urllib.request.urlopen(request) as answer:
        listing = json.load(answer)
    assert listing["kind"] == "PartialObjectMetadataList"
    assert [set(i) for i in listing["items"]] == [{"kind", "apiVersion", "metadata"}]


def test_kubectl_delete_with_a_grace_period_terminates_then_deletes(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str, core: kubernetes.client.CoreV1Api
) -> None:
    start = core.list_namespaced_pod("default").metadata.resource_version
    run = _kubectl(
        kubectl, kubeconfig, "delete", "pod", "nginx", "--grace-period=1", "--wait=false"
    )
    assert run.returncode == 0, run.stderr
    stream = kubernetes.watch.Watch().stream(
        core.list_namespaced_pod, "default", resource_version=start, timeout_seconds=3
    )
    seen = [(e["type"], e["object"].metadata.deletion_timestamp is not None) for e in stream]
    assert seen == [("MODIFIED", True), ("DELETED", True)]
