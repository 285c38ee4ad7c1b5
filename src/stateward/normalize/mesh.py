"""What a service mesh's injector adds to live pods: recognised, removed, reported as injected.

Istio's and Linkerd's mutating webhooks add proxy and init containers, their volumes, labels
and annotations, and Istio rewrites HTTP probes to its agent (argo-cd #1487, #4326, #17572).
None of that is drift of the workload; all of it is listed in ``DiffResult.injected``. Anything
the desired object itself declares (a manually injected proxy) is compared as usual.
Names follow istio/istio (release-1.22)
``manifests/charts/istio-control/istio-discovery/files/injection-template.yaml`` and
linkerd/linkerd2 (stable-2.14) ``charts/partials/templates/_proxy.tpl``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import CONTAINER_LISTS, dig, pod_spec_path
from stateward.model.pointer import join
from stateward.normalize.interface import Body, NormalizeContext, Side

__all__ = ["MeshInjection"]

_CONTAINERS = frozenset({"istio-proxy", "istio-init", "istio-validation", "linkerd-proxy",
                         "linkerd-init", "linkerd-network-validator"})  # fmt: skip
_VOLUMES = frozenset({"istio-envoy", "istio-data", "istio-podinfo", "istio-token",
                      "istiod-ca-cert", "istio-ca-crl", "istio-certs", "citadel-ca-cert",
                      "istio-config",
                      "workload-socket", "credential-socket", "workload-certs",
                      "linkerd-identity-end-entity", "linkerd-identity-token",
                      "linkerd-proxy-init-xtables-lock"})  # fmt: skip
_ANNOTATIONS = frozenset({"sidecar.istio.io/status", "istio.io/rev",
                          "kubectl.kubernetes.io/default-container",
                          "kubectl.kubernetes.io/default-logs-container",
                          "linkerd.io/created-by", "linkerd.io/proxy-version",
                          "linkerd.io/identity-mode", "linkerd.io/trust-root-sha256"})  # fmt: skip
# Written by Istio's injector only when the pod does not set them; recognised when the pod
# carries Istio's injection status.
_ISTIO_DEFAULTED = frozenset({"prometheus.io/path", "prometheus.io/port", "prometheus.io/scrape",
                              "sidecar.istio.io/interceptionMode"})  # fmt: skip
_ISTIO_DEFAULTED_PREFIX = "traffic.sidecar.istio.io/"
_ISTIO_SCRAPE_VALUES = {"prometheus.io/path": "/stats/prometheus", "prometheus.io/port": "15020",
                        "prometheus.io/scrape": "true"}  # fmt: skip
_LABELS = frozenset({"security.istio.io/tlsMode", "service.istio.io/canonical-name",
                     "service.istio.io/canonical-revision", "linkerd.io/control-plane-ns",
                     "linkerd.io/proxy-deployment", "linkerd.io/workload-ns"})  # fmt: skip
_APP_PROBE = re.compile(r"^/app-health/[^/]+/(livez|readyz|startupz)$")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


class MeshInjection:
    """Remove Istio/Linkerd injections from live pod specs that desired does not declare."""

    name = "mesh-injection"
    pairwise: tuple[Side, ...] = ("live",)

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        # Only a pod spec holding one of the names above, or a probe pointed at Istio's agent,
        # has anything to remove or restore; most hold none.
        path = pod_spec_path(ctx.key)
        if path is None or ctx.side != "live":
            return False
        spec, metadata = dig(body, *path), dig(body, *path[:-1], "metadata")
        return (isinstance(spec, dict) and _injected(spec)) or (
            isinstance(metadata, dict)  # the body took the round trip: its maps are dicts
            and (_named(metadata.get("annotations"), _ANNOTATIONS)
                 or _named(metadata.get("labels"), _LABELS))
        )  # fmt: skip

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        path = pod_spec_path(ctx.key)
        if ctx.side != "live" or path is None:
            return body
        spec, wanted = dig(body, *path), dig(desired, *path)
        if not isinstance(spec, dict):
            return body
        wanted = wanted if isinstance(wanted, Mapping) else {}
        meta_path = (*path[:-1], "metadata")
        # A rewritten probe is restored from desired as normalized (defaults applied) when the
        # diff supplies it, so it needs no defaulting of its own on the live side.
        restored = dig(ctx.counterpart, *path) if ctx.counterpart is not None else wanted
        istio = _MeshEdit(
            ctx, join(path), wanted, restored if isinstance(restored, Mapping) else {}
        )
        istio.containers(spec)
        istio.volumes(spec)
        metadata = dig(body, *meta_path)
        if isinstance(metadata, dict):
            _metadata(ctx, join(meta_path), metadata, dig(desired, *meta_path))
        return body


def _injected(spec: Mapping[str, Any]) -> bool:
    # Loops, not any() over generators: this runs for every live pod spec, most of them clean.
    for field in CONTAINER_LISTS:
        for item in spec.get(field) or ():
            if type(item) is dict or isinstance(item, Mapping):
                if item.get("name") in _CONTAINERS:
                    return True
                for probe in _PROBES:
                    if probe in item and _rewritten(item, probe):
                        return True
    volumes = spec.get("volumes")
    for volume in volumes if type(volumes) is list else ():
        if (type(volume) is dict or isinstance(volume, Mapping)) and volume.get("name") in _VOLUMES:
            return True
    return False


def _rewritten(container: Mapping[str, Any], probe: str) -> bool:
    path = dig(container, probe, "httpGet", "path")
    return isinstance(path, str) and _APP_PROBE.match(path) is not None


def _named(names: Any, wanted: frozenset[str]) -> bool:
    return (type(names) is dict or isinstance(names, Mapping)) and not wanted.isdisjoint(names)


class _MeshEdit:
    def __init__(
        self,
        ctx: NormalizeContext,
        where: str,
        wanted: Mapping[str, Any],
        restored: Mapping[str, Any],
    ) -> None:
        self.ctx, self.where, self.wanted, self.restored = ctx, where, wanted, restored
        self.dropped_volumes: set[str] = set()

    def _declared(self, field: str) -> set[Any]:
        items = self.wanted.get(field)
        return (
            {i.get("name") for i in items if isinstance(i, Mapping)}
            if isinstance(items, list)
            else set()
        )

    def _drop_injected(
        self, spec: dict[str, Any], field: str, injected: frozenset[str], what: str
    ) -> set[str]:
        """Drop from the list ``spec[field]`` the items a mesh injects that desired does not
        declare; the names dropped."""
        items, declared = spec.get(field), self._declared(field)
        if not isinstance(items, list):
            return set()
        kept, dropped = [], set()
        for item in items:
            name = item.get("name") if isinstance(item, dict) else None
            if name in injected and name not in declared:
                dropped.add(name)
                self.ctx.note_injected(
                    f"{self.where}/{field}", f"{what} {name!r} injected by a service mesh"
                )
            else:
                kept.append(item)
        spec[field] = kept
        return dropped

    def containers(self, spec: dict[str, Any]) -> None:
        for field in CONTAINER_LISTS:
            self._drop_injected(spec, field, _CONTAINERS, field)
        for field in CONTAINER_LISTS:
            wanted_by_name = {
                c.get("name"): c for c in self.restored.get(field) or () if isinstance(c, Mapping)
            }
            for item in spec.get(field) or ():
                if isinstance(item, dict) and item.get("name") in wanted_by_name:
                    self._restore_probes(field, item, wanted_by_name[item["name"]])

    def _restore_probes(self, field: str, live: dict[str, Any], desired: Mapping[str, Any]) -> None:
        # Istio points HTTP probes at its agent (/app-health/<c>/livez on 15020) and keeps the
        # original in the proxy's ISTIO_KUBE_APP_PROBERS; the workload's probe did not change.
        for probe in _PROBES:
            path = dig(live, probe, "httpGet", "path")
            if (
                isinstance(path, str)
                and _APP_PROBE.match(path)
                and isinstance(desired.get(probe), Mapping)
            ):
                live[probe] = _plain(desired[probe])
                self.ctx.note_injected(
                    f"{self.where}/{field}", f"{probe} of {live.get('name')!r} rewritten by Istio"
                )

    def volumes(self, spec: dict[str, Any]) -> None:
        self.dropped_volumes.update(self._drop_injected(spec, "volumes", _VOLUMES, "volume"))
        for field in CONTAINER_LISTS:
            for container in spec.get(field) or ():
                mounts = container.get("volumeMounts") if isinstance(container, dict) else None
                if isinstance(mounts, list):
                    container["volumeMounts"] = [
                        m
                        for m in mounts
                        if not (isinstance(m, dict) and m.get("name") in self.dropped_volumes)
                    ]


def _metadata(ctx: NormalizeContext, where: str, metadata: dict[str, Any], wanted: Any) -> None:
    annotations = metadata.get("annotations")
    injected: frozenset[str] = _ANNOTATIONS
    if isinstance(annotations, dict) and "sidecar.istio.io/status" in annotations:
        prefixed = {name for name in annotations if name.startswith(_ISTIO_DEFAULTED_PREFIX)}
        injected = injected | _ISTIO_DEFAULTED | prefixed
        _restore_scrape(ctx, where, annotations, dig(wanted, "annotations"))
    for field, names in (("annotations", injected), ("labels", _LABELS)):
        values, declared = metadata.get(field), dig(wanted, field)
        if not isinstance(values, dict):
            continue
        for name in sorted(names.intersection(values)):
            if not (isinstance(declared, Mapping) and name in declared):
                del values[name]
                ctx.note_injected(
                    f"{where}/{field}", f"{field[:-1]} {name!r} injected by a service mesh"
                )


def _restore_scrape(ctx: NormalizeContext, where: str, live: dict[str, Any], declared: Any) -> None:
    # With metrics merging on, Istio points the pod's own prometheus.io annotations at its
    # agent and keeps the originals in the proxy's ISTIO_PROMETHEUS_ANNOTATIONS.
    if not isinstance(declared, Mapping):
        return
    for name, value in _ISTIO_SCRAPE_VALUES.items():
        if name in declared and live.get(name) == value and declared[name] != value:
            live[name] = declared[name]
            ctx.note_injected(f"{where}/annotations", f"annotation {name!r} rewritten by Istio")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
