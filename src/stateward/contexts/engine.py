"""Engine ``Container`` resources as components, their context in the facets and spellings the
Compose resolver uses (``contexts/compose.py``), so ``drift compose.yaml engine://`` compares
like with like: storage keyed by target in Compose's long volume syntax, ports keyed by
``target/protocol``, config and resource fields under Compose's names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stateward.model.component import Component, Image
from stateward.model.finding import Finding
from stateward.model.kubernetes import component_id
from stateward.model.resource import Resource, identity
from stateward.model.secrets import is_secret_digest
from stateward.sources.engine.source import GROUP, KIND

__all__ = [
    "GROUP",
    "KIND",
    "compose_links",
    "compose_service_id",
    "engine_component_builder",
    "engine_components",
]

_COMPOSE = "com.docker.compose."
# HostConfig limits under their Compose names; the defaults the engine sets by itself are left
# out (Podman: pids 2048, shm 65536000 bytes; Docker: shm 64 MiB) since nobody declared them.
_RESOURCES = {
    "Memory": "mem_limit", "MemoryReservation": "mem_reservation", "CpuShares": "cpu_shares",
    "ShmSize": "shm_size", "PidsLimit": "pids_limit", "CpusetCpus": "cpuset",
}  # fmt: skip
_ENGINE_DEFAULTS = {"PidsLimit": (2048,), "ShmSize": (65536000, 64 * 1024 * 1024)}


def engine_components(resources: Iterable[Resource]) -> list[Component]:
    """One ``Container`` component per engine resource, its context keyed by facet."""
    return [_component(r) for r in resources if r.key.group == GROUP and r.key.kind == KIND]


def engine_component_builder(
    resources: list[Resource], index: object
) -> Iterator[tuple[Component, list[Finding]]]:
    """The same components in the shape of ``contexts.COMPONENT_BUILDERS`` entries.

    The writable-layer drift rule is an audit rule: observing runs it after contexts are built
    (:mod:`stateward.analysis.writable`), so building a component judges nothing."""
    for component in engine_components(resources):
        yield component, []


def compose_service_id(resource: Resource) -> str | None:
    """``compose:<project>/<service>`` of the Compose service that made this container, if any."""
    compose = resource.body.get("compose") or {}
    if not compose.get("service"):
        return None
    return "compose:" + identity(str(compose["project"]), str(compose["service"]))


def compose_links(resources: Iterable[Resource]) -> dict[str, str]:
    """Engine component ID -> ID of the Compose service component it runs, for every container
    Compose made: how ``drift compose.yaml engine://`` pairs desired with live."""
    links = {}
    for resource in resources:
        service = compose_service_id(resource) if resource.key.group == GROUP else None
        if service is not None:
            links[_component_id(resource)] = service
    return links


def _component_id(resource: Resource) -> str:
    return component_id(resource.key)


def _component(resource: Resource) -> Component:
    body, key = resource.body, resource.key
    context = {
        "env": {k: v for k, v in body["env"].items() if not is_secret_digest(v)},
        "secret": {k: v for k, v in body["env"].items() if is_secret_digest(v)},
        "config": _config(body),
        "storage": _storage(body["mounts"], key.namespace),
        "network": _network(body, key.namespace),
        "resources": _resources(body["resources"]),
        # Directories show as changed whenever anything under them does: only what sits in
        # them is context (the resource body keeps every entry).
        "writable_layer": {
            path: entry
            for path, entry in body["writable_layer"]["changes"].items()
            if entry.get("type") != "dir"
        },
    }
    return Component.of(
        id=_component_id(resource),
        kind=KIND,
        name=key.name,
        namespace=key.namespace,
        source=resource.origin.source,
        images=(_image(body["image"]),),
        context={facet: value for facet, value in context.items() if value},
        resource=str(key),
    )


def _config(body: Mapping[str, Any]) -> dict[str, Any]:
    command, security = body["command"], body["security"]
    out: dict[str, Any] = {
        "command": command.get("cmd"),
        "entrypoint": command.get("entrypoint"),
        "user": command.get("user"),
        "working_dir": command.get("working_dir"),
        "restart": _restart(body["restart"]),
        "healthcheck": body["health"],
        "labels": {k: v for k, v in body["labels"].items() if not k.startswith(_COMPOSE)},
        "read_only": security["read_only_rootfs"] or None,
        "privileged": security["privileged"] or None,
        "cap_add": security["cap_add"],
        "cap_drop": security["cap_drop"],
        "security_opt": security["security_opt"],
    }
    return {k: v for k, v in out.items() if v}


def _restart(policy: Mapping[str, Any]) -> str | None:
    name = policy["name"]
    if name in ("", "no"):
        return None
    retries = policy["max_retries"]
    return f"{name}:{retries}" if name == "on-failure" and retries else str(name)


def _storage(mounts: Mapping[str, Any], project: str) -> dict[str, Any]:
    out = {}
    for target, mount in mounts.items():
        source = mount["name"] or mount["source"]
        if mount["type"] == "volume" and project:
            source = source.removeprefix(f"{project}_")  # Compose names volumes <project>_<name>
        volume: dict[str, Any] = {"type": mount["type"], "source": source, "target": target}
        if mount["read_only"]:
            volume["read_only"] = True
        out[target] = volume
    return out


def _network(body: Mapping[str, Any], project: str) -> dict[str, Any]:
    ports = {}
    for port, bindings in body["ports"].items():
        target, _, protocol = port.partition("/")
        entry = {"target": target, "protocol": protocol or "tcp"}
        if bindings:
            host_ip, _, published = bindings[0].rpartition(":")
            entry["published"] = published
            if host_ip not in ("", "0.0.0.0"):
                entry["host_ip"] = host_ip
        ports[f"{target}/{entry['protocol']}"] = entry
    out: dict[str, Any] = {"ports": ports} if ports else {}
    # The network every container joins unless told otherwise is the engine's, not declared.
    defaults = {"podman", "bridge", "default"}
    names = (
        str(n).removeprefix(f"{project}_") if project else str(n)
        for n in body["network"]["networks"]
    )
    networks = sorted(n for n in names if n not in defaults)
    if networks:
        out["networks"] = networks
    return out


def _resources(limits: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, name in _RESOURCES.items():
        value = limits.get(field)
        if value and value not in _ENGINE_DEFAULTS.get(field, ()):
            out[name] = value
    if limits.get("NanoCpus"):
        out["cpus"] = limits["NanoCpus"] / 1e9
    return out


def _image(image: Mapping[str, Any]) -> Image:
    """The image as referenced, pinned to the repository digest that matches the reference."""
    ref = str(image["ref"])
    repo = _repository(ref)
    match = next((str(d) for d in image["digests"] if str(d).split("@")[0] == repo), None)
    return Image(ref, match.split("@")[1] if match else None)


def _repository(ref: str) -> str:
    """``registry:5000/repo:tag@sha256:…`` -> ``registry:5000/repo``."""
    name = ref.split("@")[0]
    colon = name.rfind(":")
    return name[:colon] if colon > name.rfind("/") else name
