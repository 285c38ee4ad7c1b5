"""The audit engine's plumbing: facts kept per container, the collector paused while rules run."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Any

from stateward.analysis.audit.rules.data import data_dirs, data_family, data_mounts
from stateward.analysis.audit.workloads import (
    Container,
    Workload,
    kubernetes_workload,
    per_container,
    remembered,
)
from stateward.model.resource import Origin, Resource, ResourceKey

from .conftest import Auditor, rules_of


def _postgres(mount: str = "/var/lib/postgresql/data") -> Workload:
    pod = {
        "containers": [{"name": "db", "image": "postgres:16",
                        "volumeMounts": [{"name": "d", "mountPath": mount}]}],
        "volumes": [{"name": "d", "emptyDir": {}}],
    }  # fmt: skip
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "db"},
            "spec": {"template": {"spec": pod}}}  # fmt: skip
    return _workload(ResourceKey("apps", "Deployment", "default", "db"), body)


def _workload(key: ResourceKey, body: dict[str, Any]) -> Workload:
    workload = kubernetes_workload(Resource(key, body, Origin(f"{key.name}.yaml", "1")), key.name)
    assert workload is not None
    return workload


def test_a_fact_is_computed_once_per_container_and_shared() -> None:
    calls: list[str] = []

    @per_container
    def named(workload: Workload, container: Container) -> str:
        calls.append(container.name)
        return f"{workload.name}/{container.name}"

    workload = _postgres()
    container = workload.containers[0]
    assert [named(workload, container) for _ in range(3)] == ["db/db"] * 3
    assert calls == ["db"]


def test_a_replaced_container_or_workload_is_asked_again() -> None:
    calls: list[Any] = []

    @per_container
    def image(workload: Workload, container: Container) -> str:
        calls.append(container)
        return container.image

    workload = _postgres()
    container = workload.containers[0]
    image(workload, container)
    other = replace(container, image="mysql:8")
    assert image(workload, other) == "mysql:8"  # same workload, another container object
    renewed = replace(workload, containers=(other,))
    assert renewed.facts == {}  # replace gives a workload its own, empty memo
    assert image(renewed, other) == "mysql:8"
    assert calls == [container, other, other]


def test_a_containers_command_is_made_once_and_again_after_replace() -> None:
    body = {"command": ["run"], "args": ["--data", "/d"],
            "env": [{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"x": {}}}]}  # fmt: skip
    container = Container("c", "app:1", body, "/spec/containers/0")
    assert container.command == ["run", "--data", "/d"] and container.command is container.command
    assert container.env == {"A": "1"}
    assert container.env_names == {"A", "B"}
    other = replace(container, body={"entrypoint": "serve now", "environment": {"X": 2}})
    assert (other.command, other.env, other.env_names) == (["serve", "now"], {"X": "2"}, {"X"})
    assert container.command == ["run", "--data", "/d"]  # the first one's kept answers stay


def test_a_workloads_pod_and_primary_are_made_once_and_again_after_replace() -> None:
    workload = _pod(containers=3, inits=1)
    assert workload.pod is workload.pod
    assert [c["name"] for c in workload.pod["containers"]] == ["c0", "c1", "c2"]
    assert workload.primary is workload.containers[0]  # none named like the workload: the first
    renamed = replace(workload, name="c2")
    assert renamed.primary is workload.containers[2]  # named like it
    assert workload.primary is workload.containers[0]


def _pod(containers: int, inits: int) -> Workload:
    pod = {
        "containers": [{"name": f"c{i}", "image": f"app:{i}"} for i in range(containers)],
        "initContainers": [{"name": f"i{i}", "image": f"init:{i}"} for i in range(inits)],
    }
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod}
    return _workload(ResourceKey("", "Pod", "default", "p"), body)


def test_each_container_of_a_workload_keeps_its_own_answer() -> None:
    calls: list[str] = []

    @per_container
    def image(workload: Workload, container: Container) -> str:
        calls.append(container.name)
        return container.image

    workload = _pod(containers=3, inits=2)
    asked = [*workload.all_containers()] * 2
    assert [image(workload, c) for c in asked] == [c.image for c in asked]
    assert sorted(calls) == ["c0", "c1", "c2", "i0", "i1"]  # each once, none mixed up


def test_a_fact_answering_none_is_not_asked_again() -> None:
    calls: list[str] = []

    @per_container
    def nothing(workload: Workload, container: Container) -> None:
        calls.append(container.name)

    workload = _pod(containers=2, inits=1)
    for container in [*workload.all_containers()] * 3:
        assert nothing(workload, container) is None
    assert sorted(calls) == ["c0", "c1", "i0"]


def test_a_remembered_fact_is_kept_per_container_and_name_and_never_for_a_stranger() -> None:
    calls: list[tuple[str, str]] = []

    def ask(workload: Workload, container: Container, fact: str) -> str:
        def answer() -> str:
            calls.append((container.name, fact))
            return f"{container.name}:{fact}"

        return remembered(workload, container, fact, answer)

    workload = _pod(containers=2, inits=1)
    for _ in range(2):
        for container in workload.all_containers():
            assert ask(workload, container, "a") == f"{container.name}:a"
            assert ask(workload, container, "b") == f"{container.name}:b"
    assert sorted(calls) == [(c, f) for c in ("c0", "c1", "i0") for f in "ab"]  # each once
    stranger = replace(workload.containers[0], image="other:1")  # not the workload's own object
    assert ask(workload, stranger, "a") == "c0:a" and calls[-1] == ("c0", "a")  # asked again
    assert len(calls) == 7


def test_cached_data_facts_match_a_fresh_computation() -> None:
    cached = _postgres()
    container = cached.containers[0]
    first = (data_family(cached, container), data_dirs(cached, container))
    mounts = data_mounts(cached, container)
    assert first[0] is not None and first[0].name == "postgres"
    assert "/var/lib/postgresql/data" in first[1]
    assert [m.target for m in mounts] == ["/var/lib/postgresql/data"]
    fresh = _postgres()
    again = fresh.containers[0]
    assert (data_family(fresh, again), data_dirs(fresh, again)) == first
    assert data_mounts(fresh, again) == mounts
    # a different mount on a fresh workload is not answered from another workload's memo
    elsewhere = _postgres("/tmp/scratch")  # a scratch path is not taken for the data
    assert data_mounts(elsewhere, elsewhere.containers[0]) == ()


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  template:
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts: [{name: d, mountPath: /var/lib/postgresql/data}]
      volumes: [{name: d, emptyDir: {}}]
"""


def test_the_audit_restores_the_collector_as_it_found_it(audit_files: Auditor) -> None:
    assert gc.isenabled()
    assert "DATA_ON_EPHEMERAL" in rules_of(audit_files(**{"db.yaml": MANIFEST}), "db")
    assert gc.isenabled()
    gc.disable()
    try:
        assert "DATA_ON_EPHEMERAL" in rules_of(audit_files(**{"db.yaml": MANIFEST}), "db")
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
