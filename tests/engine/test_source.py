"""The engine source against the real Podman engine: facts, writable layer, secrets, states."""

from __future__ import annotations

import json

import pytest

from stateward.analysis.writable import writable_layer_findings
from stateward.contexts.engine import compose_service_id, engine_components
from stateward.model.secrets import SecretKeeper
from stateward.sources.interface import source_for

from .conftest import Make, free_port, unique
from .scan import layer_of, resource_of, scan, sha256

pytestmark = pytest.mark.engine


def test_writable_layer_shows_added_changed_deleted_with_hashes(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    script = "printf hello > /tmp/a; printf x > /etc/passwd; rm /bin/wc; mkdir /tmp/d"
    box = make_container("writer", ["sh", "-c", script])
    layer = layer_of(scan(engine_url, keeper), box)
    assert layer["/tmp/a"] == {
        "op": "added", "type": "file", "mode": "0644", "size": 5, "sha256": sha256(b"hello")
    }  # fmt: skip
    assert layer["/etc/passwd"]["op"] == "changed"
    assert layer["/etc/passwd"]["sha256"] == sha256(b"x")
    assert layer["/bin/wc"] == {"op": "deleted"}
    assert layer["/tmp/d"] == {"op": "added", "type": "dir", "mode": "0755"}


def test_facts_of_a_container(engine_url: str, make_container: Make, keeper: SecretKeeper) -> None:
    volume, port = unique("sw-facts-data-"), free_port()
    box = make_container(
        "facts",
        ["sleep", "300"],
        wait=False,
        environment={"MODE": "blue", "PATH": "/bin"},
        ports={"8080/tcp": ("127.0.0.1", port)},
        restart_policy={"Name": "on-failure", "MaximumRetryCount": 3},
        mem_limit="64m",
        volumes={volume: {"bind": "/data", "mode": "ro"}},
        labels={"tier": "web"},
    )
    body = resource_of(scan(engine_url, keeper), box).body
    # PATH=/bin is the image's own value: part of the binary, not of the context.
    assert body["env"] == {"MODE": "blue"}
    assert body["command"] == {"cmd": ["sleep", "300"]}
    assert body["ports"] == {"8080/tcp": [f"127.0.0.1:{port}"]}
    assert body["restart"] == {"name": "on-failure", "max_retries": 3}
    assert body["resources"]["Memory"] == 64 * 1024 * 1024
    assert body["mounts"]["/data"]["name"] == volume
    assert body["mounts"]["/data"]["read_only"] is True
    assert body["labels"]["tier"] == "web"
    assert body["state"]["status"] == "running"
    assert body["image"]["ref"] == "localhost/stateward-test/busybox:1"
    assert body["image"]["id"].startswith("sha256:")


def test_stopped_created_and_running_containers_are_all_observed(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    running = make_container("running", ["sleep", "300"], wait=False)
    exited = make_container("exited", ["sh", "-c", "exit 3"])
    created = make_container("created", ["true"], start=False)
    result = scan(engine_url, keeper)
    assert resource_of(result, running).body["state"]["status"] == "running"
    assert resource_of(result, created).body["state"]["status"] == "created"
    assert layer_of(result, created) == {}
    assert resource_of(result, exited).body["state"] == {
        "status": "exited", "exit_code": 3, "oom_killed": False, "health": None
    }  # fmt: skip


def test_secret_looking_values_never_appear_in_any_output(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    canary = "canary-7f3a9c"
    box = make_container(
        "secrets",
        ["echo", f"--password={canary}", f"postgres://app:{canary}@db/app"],
        environment={
            "API_TOKEN": canary,
            "DATABASE_URL": f"postgresql://app:{canary}@db:5432/app",
            "PLAIN": "visible",
        },
        labels={"db_password": canary},
    )
    result = scan(engine_url, keeper)
    resource = resource_of(result, box)
    components = engine_components([resource])
    outputs = [
        resource.canonical.decode(),
        json.dumps([c.as_dict() for c in components]),
        json.dumps([f.as_dict() for f in writable_layer_findings(components)]),
        repr(resource),
        repr(components),
    ]
    assert not [text for text in outputs if canary in text]
    env = resource.body["env"]
    assert env["API_TOKEN"] == keeper.digest(canary)
    assert env["PLAIN"] == "visible"
    assert resource.body["command"]["cmd"][1] == f"--password={keeper.digest(canary)}"
    assert components[0].context["secret"]["API_TOKEN"] == keeper.digest(canary)
    assert "API_TOKEN" not in components[0].context["env"]


def test_compose_labels_map_a_container_to_its_service(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    labels = {"com.docker.compose.project": "shop", "com.docker.compose.service": "web"}
    box = make_container("compose", ["true"], labels=labels)
    resource = resource_of(scan(engine_url, keeper), box)
    assert resource.key.namespace == "shop"
    assert resource.key.group == "engine" and resource.key.kind == "Container"
    assert compose_service_id(resource) == "compose:shop/web"
    (component,) = engine_components([resource])
    assert component.id == f"engine:shop/{box.name}"
    assert component.kind == "Container"


def test_component_context_uses_compose_spellings(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    project, port = unique("shop"), free_port()
    box = make_container(
        "context",
        ["sleep", "300"],
        wait=False,
        labels={"com.docker.compose.project": project},
        volumes={f"{project}_data": {"bind": "/data", "mode": "rw"}},  # Compose's naming
        ports={"80/tcp": port},
        restart_policy={"Name": "always"},
    )
    (component,) = engine_components([resource_of(scan(engine_url, keeper), box)])
    context = component.context
    assert context["storage"] == {"/data": {"type": "volume", "source": "data", "target": "/data"}}
    assert context["network"]["ports"] == {
        "80/tcp": {"target": "80", "protocol": "tcp", "published": str(port)}
    }
    assert context["config"]["restart"] == "always"
    assert component.images[0].pinned  # the local image has a repository digest


def test_engine_scheme_selects_this_source() -> None:
    assert source_for("engine://").name == "engine"
    assert source_for("engine:///run/docker.sock").name == "engine"
