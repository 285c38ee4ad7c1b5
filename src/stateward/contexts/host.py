"""Host resources as components: each service, and the host's packages, accounts, kernel and
cron as four components of their own, so ``parity`` compares two servers as it compares two
clusters.

A service's *binary* is the executable it starts (its SHA-256) and the package version that
owns it; its *context* is everything else that shapes it: the unit file and drop-ins, the
package's conffiles, sysctl values, its environment (secrets as keyed digests), the sockets its
executable listens on and the user it runs as. "Same binary, context changed" reads the same for
a server as for a container.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.model.component import Component, Image
from stateward.model.finding import Finding
from stateward.model.resource import Resource
from stateward.model.secrets import is_secret_digest
from stateward.sources.host.resources import GROUP, SERVICE

__all__ = ["host_components"]

_HOST_PARTS = {
    "Packages": ("Package",),
    "Accounts": ("User", "Group"),
    "Kernel": ("KernelModule", "Sysctl"),
    "Cron": ("Cron",),
}


def host_components(
    resources: list[Resource], index: object
) -> Iterator[tuple[Component, list[Finding]]]:
    """Components of the host resources among ``resources`` (a ``COMPONENT_BUILDERS`` entry)."""
    mine: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.key.group == GROUP:
            mine.setdefault(resource.key.kind, []).append(resource)
    if not mine.get("Host"):
        return
    sysctl = mine["Sysctl"][0].body["values"] if mine.get("Sysctl") else {}
    sockets = [r.body for r in mine.get("Socket", [])]
    for resource in mine.get(SERVICE, []):
        yield _service(resource, sysctl, sockets), []
    host = mine["Host"][0]
    yield _whole("System", {"config": dict(host.body)}, str(host.key)), []
    for kind, parts in _HOST_PARTS.items():
        context = {
            part.lower(): {r.key.name: dict(r.body) for r in mine.get(part, [])} for part in parts
        }
        yield _whole(kind, {"config": context}, str(host.key)), []


def _whole(kind: str, context: Mapping[str, Any], resource: str) -> Component:
    """A component of the host as a whole: no binary of its own."""
    return Component.of(
        id=f"host:{kind.lower()}", kind=kind, name=kind.lower(), namespace="",
        source="host", images=(), context=context, resource=resource,
    )  # fmt: skip


def _service(
    resource: Resource, sysctl: Mapping[str, str], sockets: list[Mapping[str, Any]]
) -> Component:
    body = resource.body
    env, secret = _environment(body["env"])
    context = {
        "config": {
            "unit": body["unit"], "dropins": body["dropins"], "command": body["command"],
            "enabled": body["enabled"], "user": body["user"], "group": body["group"],
            "conffiles": body["conffiles"], "files": body["files"], "sysctl": dict(sysctl),
            "missing_env_files": body["missing_env_files"],
        },
        "env": env,
        "secret": secret,
        "network": {
            f"{s['protocol']}/{s['address']}:{s['port']}": dict(s)
            for s in sockets if s.get("exe") and s["exe"] == body["image"]["real"]
        },
    }  # fmt: skip
    return Component.of(
        id=f"host:{resource.key.name}",
        kind="Service",
        name=resource.key.name,
        namespace="",
        source=resource.origin.source,
        images=(_binary(body),),
        context={facet: value for facet, value in context.items() if value},
        resource=str(resource.key),
    )


def _binary(body: Mapping[str, Any]) -> Image:
    """The executable by content; the owning package and version name it for a reader."""
    image = body["image"]
    owner = f" ({image['package']} {image['version']})" if image["package"] else ""
    digest = f"sha256:{image['sha256']}" if image["sha256"] else f"unread:{image['problem']}"
    return Image(f"{image['exec']}{owner}", digest)


def _environment(origins: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Variables by where they are set (the unit, each EnvironmentFile), split into plain
    values and keyed digests."""
    env: dict[str, Any] = {}
    secret: dict[str, Any] = {}
    for origin, variables in origins.items():
        for name, value in variables.items():
            side = secret if is_secret_digest(value) else env
            side.setdefault(origin, {})[name] = value
    return env, secret
