"""Components from Compose services, with their context by facet.

Volumes, ports and secrets are brought to one spelling (Compose's long syntax) so that a short
``./data:/var/lib/x:ro`` and the equivalent long form give the same context fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stateward.contexts.index import ResourceIndex
from stateward.model.component import Component, Image, parse_image
from stateward.model.finding import Finding, Severity
from stateward.model.kubernetes import as_dict, as_list, component_id
from stateward.model.resource import Resource
from stateward.model.secrets import is_secret_digest

__all__ = ["compose_components", "normalize_volume", "normalize_port"]

_CONFIG_FIELDS = (
    "command", "entrypoint", "healthcheck", "restart", "user", "working_dir", "read_only",
    "privileged", "cap_add", "cap_drop", "security_opt", "init", "stop_signal", "labels",
    "logging", "pid", "ipc", "devices", "sysctls", "ulimits", "profiles",
)  # fmt: skip
_RESOURCE_FIELDS = ("mem_limit", "mem_reservation", "cpus", "cpu_shares", "shm_size", "pids_limit")


def compose_components(
    resources: list[Resource], index: ResourceIndex
) -> Iterator[tuple[Component, list[Finding]]]:
    """One component per Compose service."""
    for resource in resources:
        if resource.key.group == "compose" and resource.key.kind == "Service":
            yield _component(resource, index)


def _component(resource: Resource, index: ResourceIndex) -> tuple[Component, list[Finding]]:
    key, body = resource.key, dict(resource.body)
    ident = component_id(key)
    findings: list[Finding] = []
    context: dict[str, Any] = {
        "env": {
            k: v for k, v in as_dict(body.get("environment")).items() if not is_secret_digest(v)
        },
        "secret": _secrets(body, key.namespace, index, ident, findings),
        "config": _config(body, key.namespace, index),
        "storage": _storage(body),
        "network": _network(body),
        "resources": _resources(body),
        "scale": _scale(body),
    }
    findings.extend(
        Finding(
            "MISSING_REFERENCE",
            Severity.MEDIUM,
            f"depends_on refers to service {missing}, not in the project",
            component=ident,
            resource=str(key),
            path="/depends_on",
        )
        for missing in _missing_services(body, key.namespace, index)
    )
    component = Component.of(
        id=ident,
        kind="ComposeService",
        name=key.name,
        namespace=key.namespace,
        source=resource.origin.source,
        images=_images(body),
        context={facet: value for facet, value in context.items() if value},
        resource=str(key),
    )
    return component, findings


def _images(body: dict[str, Any]) -> tuple[Image, ...]:
    if isinstance(body.get("image"), str):
        return (parse_image(body["image"]),)
    build = body.get("build")
    if build is not None:
        where = build if isinstance(build, str) else as_dict(build).get("context", ".")
        return (Image(f"build:{where}", None),)
    return ()


def _secrets(
    body: dict[str, Any], project: str, index: ResourceIndex, ident: str, findings: list[Finding]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: v for k, v in as_dict(body.get("environment")).items() if is_secret_digest(v)
    }
    for i, ref in enumerate(as_list(body.get("secrets"))):
        name = ref if isinstance(ref, str) else as_dict(ref).get("source")
        found = index.get("Secret", project, str(name))
        if found is None:
            findings.append(
                Finding(
                    "MISSING_REFERENCE",
                    Severity.MEDIUM,
                    f"secret {name} is not defined in the top-level secrets",
                    component=ident,
                    path=f"/secrets/{i}",
                )
            )
        out[f"secret:{name}"] = None if found is None else found.body.get("content")
    return out


def _config(body: dict[str, Any], project: str, index: ResourceIndex) -> dict[str, Any]:
    out: dict[str, Any] = {f: body[f] for f in _CONFIG_FIELDS if f in body}
    for ref in as_list(body.get("configs")):
        name = ref if isinstance(ref, str) else as_dict(ref).get("source")
        found = index.get("Config", project, str(name))
        out[f"config:{name}"] = None if found is None else found.body.get("content")
    return out


def _storage(body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in as_list(body.get("volumes")):
        volume = normalize_volume(entry)
        out[str(volume.get("target"))] = volume
    tmpfs = body.get("tmpfs")
    for target in as_list(tmpfs) if isinstance(tmpfs, list) else [tmpfs] if tmpfs else []:
        out[str(target).split(":")[0]] = {"type": "tmpfs", "target": str(target)}
    return out


def normalize_volume(entry: Any) -> dict[str, Any]:
    """Long-syntax form of a Compose volume (``type``, ``source``, ``target``, ``read_only``)."""
    if isinstance(entry, dict):
        return {"type": entry.get("type", "volume"), **entry}
    parts = str(entry).split(":")
    if len(parts) == 1:
        return {"type": "volume", "target": parts[0]}  # anonymous volume
    source, target, mode = parts[0], parts[1], parts[2] if len(parts) > 2 else ""
    kind = "bind" if source.startswith((".", "/", "~", "$")) else "volume"
    out: dict[str, Any] = {"type": kind, "source": source, "target": target}
    if "ro" in mode.split(","):
        out["read_only"] = True
    return out


def normalize_port(entry: Any) -> dict[str, Any]:
    """Long-syntax form of a Compose port (``target``, ``published``, ``host_ip``, ``protocol``)."""
    if isinstance(entry, dict):
        return {"protocol": "tcp", **entry}
    text, _, protocol = str(entry).partition("/")
    parts = text.rsplit(":", 2) if text.count(":") <= 2 else [text]
    out: dict[str, Any] = {"target": parts[-1], "protocol": protocol or "tcp"}
    if len(parts) >= 2:
        out["published"] = parts[-2]
    if len(parts) == 3:
        out["host_ip"] = parts[0]
    return out


def _network(body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ports = [normalize_port(p) for p in as_list(body.get("ports"))]
    if ports:
        out["ports"] = {f"{p.get('target')}/{p.get('protocol')}": p for p in ports}
    for field in ("networks", "network_mode", "expose", "links", "extra_hosts", "hostname", "dns"):
        if field in body:
            out[field] = body[field]
    return out


def _resources(body: dict[str, Any]) -> dict[str, Any]:
    out = {f: body[f] for f in _RESOURCE_FIELDS if f in body}
    limits = as_dict(as_dict(body.get("deploy")).get("resources"))
    if limits:
        out["deploy"] = limits
    return out


def _scale(body: dict[str, Any]) -> dict[str, Any]:
    replicas = as_dict(body.get("deploy")).get("replicas", body.get("scale"))
    return {} if replicas is None else {"replicas": replicas}


def _missing_services(body: dict[str, Any], project: str, index: ResourceIndex) -> list[str]:
    depends = body.get("depends_on")
    names = list(depends) if isinstance(depends, dict | list) else []
    return [str(n) for n in names if index.get("Service", project, str(n)) is None]
