"""Drift: desired vs live (or baseline vs now), grouped by component and facet.

The comparison itself is the diff engine's (:mod:`stateward.diff`); this module says which
component each changed object belongs to, so a report reads "frontend: env, secret" rather than
a list of object paths. A ConfigMap or Secret that changed is attributed to every component that
uses it — that is where the change lands. An object missing from a partial side (a stored
observation that could not see everything) is "not observed", never drift.
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from stateward.analysis.attribution import field_writer
from stateward.analysis.changes import comparable
from stateward.analysis.namespaces import Assumed, place_namespaces
from stateward.contexts.engine import GROUP as ENGINE_GROUP
from stateward.contexts.engine import compose_links
from stateward.diff import (
    DiffResult,
    IgnoreRule,
    diff_components,
    diff_observations,
    diff_resources,
)
from stateward.model.change import Change
from stateward.model.component import Component
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import ResourceKey
from stateward.model.rule import Rule, facet_rules
from stateward.sources.kube.attribution import Writer

__all__ = ["DRIFT_RULES", "DriftReport", "drift"]


@dataclass(slots=True)
class DriftReport:
    """The diff result and, per component (or bare object), its changes by facet."""

    result: DiffResult
    by_component: dict[str, dict[str, list[Change]]] = field(default_factory=dict)
    not_observed: list[ResourceKey] = field(default_factory=list)
    """Objects on one side only because the other side is a partial observation."""
    assumed: list[Assumed] = field(default_factory=list)
    """Desired objects without a namespace placed where the only live one of them is."""
    other_projects: int = 0
    """Live containers left out: they belong to no Compose project the desired side holds."""
    origins: dict[str, str] = field(default_factory=dict)
    """Where each desired object was read (``path:line``), by resource key."""
    suppressed: int = 0
    """Differences the ignore rules left out."""
    key_rotated: bool = False
    """The store's secret key was rotated between the sides: their secret digests do not
    compare (:func:`~stateward.analysis.changes.comparable`)."""
    writers: dict[tuple[str, str], Writer] = field(default_factory=dict)
    """Who set each changed live field (subject, path), from the live object's managedFields."""

    @property
    def drifted(self) -> bool:
        """True when live differs from desired: an object on one side only, or a change that
        compares (not two secret digests made under different keys)."""
        result = self.result
        return bool(result.missing or result.extra or comparable(result.changes, self.key_rotated))

    def findings(self) -> list[Finding]:
        """Every drift as a finding (for SARIF): ``DRIFT_<FACET>``, missing and extra objects."""
        out = [
            Finding(
                f"DRIFT_{facet.upper()}",
                Severity.MEDIUM,
                f"{component}: {change.op} {change.path} ({self.result.mode} mode)",
                component=component if component.startswith(_COMPONENT_PREFIXES) else None,
                resource=change.subject,
                path=change.path,
                remedy=_REMEDY,
            )
            for component, facets in self.by_component.items()
            for facet, changes in facets.items()
            for change in changes
        ]
        out += [
            _object_finding("DRIFT_MISSING", k, "in desired, not live") for k in self.result.missing
        ]
        out += [_object_finding("DRIFT_EXTRA", k, "live only") for k in self.result.extra]
        return out + self.result.findings

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form (``drift --json``)."""
        grouped = {
            subject: {facet: [c.as_dict() for c in changes] for facet, changes in facets.items()}
            for subject, facets in self.by_component.items()
        }
        unseen = [str(k) for k in self.not_observed]
        assumed = {str(a.key): a.key.namespace for a in self.assumed}
        return {
            **self.result.as_dict(),
            "drifted": self.drifted,
            "components": grouped,
            "not_observed": unseen,
            "assumed_namespaces": assumed,
            "other_projects": self.other_projects,
            "suppressed": self.suppressed,
            **({"writers": [{"subject": s, "path": p, "manager": w.manager,
                             "operation": w.operation, "time": w.time}
                            for (s, p), w in sorted(self.writers.items())]}
               if self.writers else {}),
        }  # fmt: skip


_COMPONENT_PREFIXES = ("k8s:", "compose:", "engine:")
_REMEDY = "Apply the desired state, or record the live change in the desired manifests."
_DECLARATIVE = "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/"
DRIFT_RULES = (
    *facet_rules(
        "DRIFT", "Live {facet} differs from desired",
        "What runs holds a {facet} value the desired manifests do not: an edit made in place, "
        "or a change not yet applied. The next apply overwrites it.",
        _REMEDY, _DECLARATIVE,
    ),
    Rule("DRIFT_MISSING", "In desired, not live", Severity.MEDIUM,
         "Apply the desired state, or remove the object from the manifests.",
         "An object the manifests declare does not run.", _DECLARATIVE),
    Rule("DRIFT_EXTRA", "Live only", Severity.MEDIUM,
         "Add the object to the manifests, or delete it from the estate.",
         "An object runs that no manifest declares: nothing recreates it after a rebuild.",
         _DECLARATIVE),
)  # fmt: skip
"""The rules drift findings carry, described for SARIF."""
COMPOSE_GROUP = "compose"
"""The group of Compose objects' keys; their namespace is the project."""


def _object_finding(rule: str, key: ResourceKey, what: str) -> Finding:
    return Finding(rule, Severity.MEDIUM, f"{key}: {what}", resource=str(key))


def drift(
    desired: Observation,
    live: Observation,
    *,
    mode: str = "strict",
    rules: Iterable[IgnoreRule] = (),
    namespace: str | None = None,
    key_rotated: bool = False,
) -> DriftReport:
    """Compare two observations and group the changes by the components they affect. Desired
    objects without a namespace go into ``namespace`` (``-n``) or are matched by kind and name
    (:func:`~stateward.analysis.namespaces.place_namespaces`). ``key_rotated``: the store's
    secret key was rotated between the two, so secret digests that differ are no drift."""
    desired, assumed = place_namespaces(desired, live, namespace)
    live, other_projects = _own_containers(desired, live)
    rules = tuple(rules)
    result = diff_observations(desired, live, mode=mode, rules=rules)
    suppressed = _suppressed(desired, live, mode, rules, result) if rules else 0
    owners = _owners(desired) | _owners(live)
    grouped: dict[str, dict[str, list[Change]]] = defaultdict(lambda: defaultdict(list))
    for change in result.changes:
        for owner in sorted(owners.get(change.subject, {change.subject})):
            grouped[owner][str(change.facet)].append(change)
    for owner, change in _compose_vs_engine(desired, live, result, mode):
        grouped[owner][str(change.facet)].append(change)
    unseen = _not_observed(result, desired, live)
    by_component = {k: dict(v) for k, v in sorted(grouped.items())}
    origins = {str(r.key): str(r.origin) for r in desired.resources}
    bodies = {str(r.key): r.body for r in live.resources}
    writers = {(c.subject, c.path): w for c in result.changes if c.subject in bodies
               and (w := field_writer(bodies[c.subject], c.path)) is not None}  # fmt: skip
    return DriftReport(result, by_component, unseen, assumed, other_projects, origins,
                       suppressed, key_rotated, writers)  # fmt: skip


def _suppressed(
    desired: Observation,
    live: Observation,
    mode: str,
    rules: tuple[IgnoreRule, ...],
    result: DiffResult,
) -> int:
    """How many differences the rules hid: the objects they match, diffed without them (with
    the HPAs, which own the replicas of what they scale)."""
    matched = [[r for r in side.resources if _in_scope(r.key, rules)] for side in (desired, live)]
    unruled = diff_resources(matched[0], matched[1], mode=mode)
    kept = {(c.subject, c.path, c.op) for c in result.changes}
    return sum((c.subject, c.path, c.op) not in kept for c in unruled.changes)


def _in_scope(key: ResourceKey, rules: tuple[IgnoreRule, ...]) -> bool:
    return key.kind == "HorizontalPodAutoscaler" or any(rule.matches(key) for rule in rules)


def _own_containers(desired: Observation, live: Observation) -> tuple[Observation, int]:
    """``live`` without the engine containers of other Compose projects (or of none), when
    desired is Compose: Compose itself scopes a project to the containers labelled
    ``com.docker.compose.project`` with its name (https://docs.docker.com/compose/how-tos/
    project-name/), so the engine's other containers are not "live only" drift of this one."""
    projects = {r.key.namespace for r in desired.resources if r.key.group == COMPOSE_GROUP}
    if not projects:
        return live, 0
    kept = [r for r in live.resources if r.key.group != ENGINE_GROUP or r.key.namespace in projects]
    if len(kept) == len(live.resources):
        return live, 0
    names = {str(r.key) for r in kept}
    components = [c for c in live.components if c.resource in names]
    scoped = dataclasses.replace(live, resources=kept, components=components)
    return scoped, len(live.resources) - len(kept)


def _not_observed(result: DiffResult, desired: Observation, live: Observation) -> list[ResourceKey]:
    """Take out of ``result`` the objects a partial side may hold without having seen them."""
    unseen: list[ResourceKey] = []
    if not live.complete:
        unseen, result.missing = result.missing, []
    if not desired.complete:
        unseen, result.extra = [*unseen, *result.extra], []
    return unseen


def _compose_vs_engine(
    desired: Observation, live: Observation, result: DiffResult, mode: str
) -> Iterable[tuple[str, Change]]:
    """A Compose service and the container Compose made from it are different kinds of object,
    so the object diff lists one as missing and the other as extra. Pair them through the
    container's Compose labels and compare the components instead."""
    services = {c.id: c for c in desired.components}
    containers = {c.id: c for c in live.components}
    keys = {str(r.key): r.key for r in (*desired.resources, *live.resources)}
    files = {str(r.key): r.origin.location.rpartition(":")[0] for r in desired.resources}
    for container_id, service_id in sorted(compose_links(live.resources).items()):
        service, container = services.get(service_id), containers.get(container_id)
        if service is None or container is None:
            continue
        result.missing = [k for k in result.missing if k != keys.get(service.resource)]
        result.extra = [k for k in result.extra if k != keys.get(container.resource)]
        service = _as_deployed(service, files.get(service.resource, ""))
        for change in diff_components(service, container, mode=mode):
            if change.path != "/images" or not _same_tag(service, container):
                result.changes.append(change)
                yield service.id, change


def _as_deployed(service: Component, compose_file: str) -> Component:
    """``service`` with its relative bind-mount sources as the engine holds them: Compose
    expands a host path starting with ``.`` against the folder of the Compose file, and ``~``
    to the user's home (https://docs.docker.com/reference/compose-file/services/#volumes)."""
    storage = service.context.get("storage")
    if not compose_file or not isinstance(storage, dict):
        return service
    folder = os.path.dirname(os.path.abspath(compose_file))
    resolved = {target: _bind_resolved(volume, folder) for target, volume in storage.items()}
    if resolved == storage:
        return service
    return dataclasses.replace(service, context={**service.context, "storage": resolved})


def _bind_resolved(volume: Any, folder: str) -> Any:
    if not isinstance(volume, dict) or volume.get("type") != "bind":
        return volume
    source = volume.get("source")
    if not isinstance(source, str):
        return volume
    if source.startswith("."):
        return {**volume, "source": os.path.normpath(os.path.join(folder, source))}
    if source.startswith("~"):
        return {**volume, "source": os.path.expanduser(source)}
    return volume


def _same_tag(service: Component, container: Component) -> bool:
    """A tag in Compose and the digest the engine resolved it to are one binary."""
    wanted = [i.ref for i in service.images]
    return all(not i.pinned for i in service.images) and wanted == [
        i.ref.split("@")[0] for i in container.images
    ]


def _owners(observation: Observation) -> dict[str, set[str]]:
    """Resource key -> components built from it or using it (via their context)."""
    keys = {(r.key.kind, r.key.namespace, r.key.name): str(r.key) for r in observation.resources}
    owners: dict[str, set[str]] = defaultdict(set)
    for component in observation.components:
        owners[component.resource].add(component.id)
        for kind, namespace, name in _referenced(component.context, component.namespace):
            key = keys.get((kind, namespace, name))
            if key is not None:
                owners[key].add(component.id)
    return owners


_REFERENCE_FIELDS = (
    ("configMap", "ConfigMap"),
    ("secret", "Secret"),
    ("persistentVolumeClaim", "PersistentVolumeClaim"),
)


def _referenced(context: Any, namespace: str) -> Iterable[tuple[str, str, str]]:
    """(kind, namespace, name) of the objects a context names: ConfigMaps, Secrets and claims
    by field, ``envFrom`` sources by ``from``, mesh rules by their ``Kind/ns/name`` keys."""
    for facet_key in (context.get("mesh") or {}) if isinstance(context, dict) else ():
        kind, _, rest = str(facet_key).partition("/")
        rule_namespace, _, name = rest.partition("/")
        yield kind, rule_namespace, name
    yield from _named(context, namespace)


def _named(node: Any, namespace: str) -> Iterable[tuple[str, str, str]]:
    if isinstance(node, dict):
        for field_name, kind in _REFERENCE_FIELDS:
            if isinstance(node.get(field_name), str):
                yield kind, namespace, node[field_name]
        source = node.get("from")
        if isinstance(source, str) and "/" in source:
            kind, _, name = source.partition("/")
            yield kind, namespace, name
        for child in node.values():
            yield from _named(child, namespace)
