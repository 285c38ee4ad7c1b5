"""Pricing one component's changes: classify, size the pull, shape and simulate the rollout.

Per replaced pod (the terms and their sources: docs/cost.md)::

    T_pull = pipeline of the new layers (:meth:`Pull.seconds`) + RTT·(layers + 1)
             B = bytes of layers not cached on the node
    T_up   = T_attach (RWO move) + T_pull + T_start       T_down = grace period
    CPU    = images·CPU_image (manifest, config, record) + B/R_cpu (inflate + digests +
             extract) + CPU_start

and the rollout is simulated tick by tick (:mod:`.simulate`) for capacity and backend load.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from stateward.analysis.audit import Lifecycle
from stateward.analysis.changes import ComponentDelta
from stateward.analysis.cost.classify import Verdict, classify, component_mode
from stateward.analysis.cost.layers import ImageLayers, Layer, LayerCatalog, lookup, uncached
from stateward.analysis.cost.lifecycle import rwo_claims
from stateward.analysis.cost.params import Params
from stateward.analysis.cost.rollout import RolloutShape, Shape, rollout_shape
from stateward.analysis.cost.rules import Mode
from stateward.analysis.cost.simulate import PodTiming, Timeline, simulate
from stateward.model.component import Component, Image

__all__ = ["Pull", "Rollout", "pod_pull", "rollout_plan"]

MIB = 1024 * 1024
_ESTIMATED_LAYERS = 5
"""Layers assumed for an image whose manifest is unknown (for the RTT·layers term)."""


@dataclass(frozen=True, slots=True)
class Pull:
    """What one node pulls for a replacement pod."""

    bytes: int = 0
    layers: int = 0
    estimated: bool = False
    sources: tuple[str, ...] = ()
    """Where sizes came from, per new image: ``registry``, ``engine`` or ``estimate``."""
    sizes: tuple[tuple[int, ...], ...] = ()
    """Bytes of each pulled layer per new image, in the order the engine commits them (base
    first); empty when only the totals are known, which count as one image of equal layers."""

    def seconds(self, params: Params) -> float:
        """T_pull: engines fetch an image's new layers together and commit them one by one,
        base first (Podman's containers/image v5.23.1, a3bfb8695c8e2a6ce73cb5957c646d2243299151:
        ``maxParallelDownloads`` in copy/copy.go, ``queueOrCommit`` in storage/storage_dest.go;
        Docker: ``max-concurrent-downloads``, https://docs.docker.com/reference/cli/dockerd/).
        Fetching shares the node's bandwidth (Podman also inflates each blob once there, for
        its DiffID); a commit inflates and extracts. One RTT per layer, one more for manifest
        and config. A pod's images are pulled one after another, as the kubelet does by default
        (https://kubernetes.io/docs/concepts/containers/images/#serial-and-parallel-image-pulls)."""
        if not self.layers:
            return 0.0
        images = self.sizes or ((self.bytes // self.layers,) * self.layers,)
        pipelines = sum(_pipeline(sizes, params) for sizes in images)
        return pipelines + params.layer_rtt_s * (self.layers + 1)

    def cpu_seconds(self, params: Params) -> float:
        """CPU-seconds of the pull: per image pulled, what does not grow with its bytes
        (``copyOneImage`` in the containers/image commit above, copy/copy.go: signature policy,
        manifest and config, then the layers, then the image record), plus B/R_cpu: inflate
        (one core), digests and extraction, which may run beside it on other cores."""
        if not self.layers:
            return 0.0
        images = len(self.sizes) or 1
        return images * params.pull_image_cpu_s + self.bytes / MIB / params.pull_cpu_mib_s


@dataclass(frozen=True, slots=True)
class Rollout:
    """One component's replacement: inputs of the simulation and what it costs."""

    component: str
    mode: Mode
    lifecycle: Lifecycle
    verdicts: tuple[Verdict, ...]
    shape: RolloutShape | None
    timing: PodTiming | None
    pull: Pull
    pulling_nodes: int
    new_pods: int
    rwo: bool
    notes: tuple[str, ...] = field(default=())

    def timeline(self) -> Timeline | None:
        """The simulated rollout (None when nothing is replaced)."""
        if self.shape is None or self.timing is None:
            return None
        return simulate(self.shape, self.timing)

    def bytes(self) -> int:
        """Bytes pulled over the whole rollout."""
        return self.pull.bytes * self.pulling_nodes

    def cpu_seconds(self, params: Params) -> float:
        """Pull decompression on every pulling node plus every new container's start."""
        return self.pull.cpu_seconds(params) * self.pulling_nodes + (
            params.start_cpu_s * self.new_pods
        )

    def varied(self, shape: RolloutShape, timing: PodTiming) -> Rollout:
        """The same replacement done another way (a strategy)."""
        return replace(self, shape=shape, timing=timing)


def pod_pull(
    before: Component | None, after: Component, catalogs: Sequence[LayerCatalog], params: Params
) -> Pull:
    """Bytes one node pulls to run ``after``: layers of its new images not cached on the node
    (the node runs ``before``, so its layers are there, plus whatever the catalogs say)."""
    old = {i.identity for i in before.images} if before else set()
    new_images = [i for i in after.images if i.identity not in old and not _built(i)]
    if not new_images:
        return Pull()
    cached = set().union(*(c.cached() for c in catalogs))
    for image in before.images if before else ():
        found = lookup(catalogs, image)
        if found:
            cached.update(*(layer.identities for layer in found.layers))
    found_layers = [lookup(catalogs, image) or _estimate(image, params) for image in new_images]
    pulled_by_image = [tuple(x.size for x in uncached(image, cached)) for image in found_layers]
    pulled = [size for sizes in pulled_by_image for size in sizes]
    return Pull(
        sum(pulled),
        len(pulled),
        any(image.estimated for image in found_layers),
        tuple(image.source for image in found_layers),
        tuple(sizes for sizes in pulled_by_image if sizes),
    )


def _pipeline(sizes: Sequence[int], params: Params) -> float:
    """Seconds until one image's last new layer is committed: a layer is committed once it
    and the layers below it have arrived (B_≤i/BW_net) and the layer below is committed; each
    commit takes B_i/min(R_inflate, R_unpack). A one-layer image takes B/BW_net + B/R_unpack."""
    commit_rate = min(params.inflate_mib_s, params.unpack_mib_s)
    arrived = committed = 0.0
    for size in sizes:
        arrived += size / MIB / params.net_mib_s
        committed = max(committed, arrived) + size / MIB / commit_rate
    return committed


def _built(image: Image) -> bool:
    return image.ref.startswith("build:")  # Compose builds locally: nothing is pulled


def _estimate(image: Image, params: Params) -> ImageLayers:
    size = int(params.image_estimate_mib * MIB)
    each = size // _ESTIMATED_LAYERS
    layers = tuple(Layer(f"estimate:{image.ref}:{i}", each) for i in range(_ESTIMATED_LAYERS))
    return ImageLayers(image.ref, layers, "estimate")


def rollout_plan(
    delta: ComponentDelta,
    before: Component | None,
    after: Component,
    body: Mapping[str, Any],
    lifecycle: Lifecycle,
    pull: Pull,
    params: Params,
    where: str = "",
) -> Rollout:
    """Classify the delta's changes and lay out how the platform replaces the component
    (``where`` names its object in errors, e.g. ``file.yaml:12 Deployment.apps/ns/web``)."""
    verdicts = tuple(classify(change, before, after) for change in delta.changes)
    mode = component_mode(verdicts)
    rwo = rwo_claims(after) and not after.kind == "ComposeService"
    base = Rollout(delta.component, mode, lifecycle, verdicts, None, None, Pull(), 0, 0, rwo)
    if mode is Mode.IN_PLACE:
        return _rehash(base, body, where, params) if _remaps(verdicts, lifecycle) else base
    if mode is Mode.NEXT_RUN:
        return replace(base, pull=pull, pulling_nodes=1 if pull.bytes else 0,
                       notes=("applies to the next run; nothing running is replaced",))  # fmt: skip
    shape = rollout_shape(after.kind, body, where or after.id)
    if mode is Mode.RESTART:
        shape = RolloutShape(Shape.RECREATE, shape.replicas)
    timing = _timing(after, lifecycle, pull, shape, rwo and mode is Mode.REPLACE, params)
    nodes = math.ceil(shape.replicas / params.replicas_per_node) if pull.bytes else 0
    notes = _notes(shape, rwo, mode)
    return replace(base, shape=shape, timing=timing, pull=pull, pulling_nodes=nodes,
                   new_pods=shape.replicas, notes=notes)  # fmt: skip


def _remaps(verdicts: Sequence[Verdict], lifecycle: Lifecycle) -> bool:
    warms = lifecycle is not Lifecycle.EPHEMERAL_SAFE
    return warms and any(v.rule.id == "MESH_REHASH" for v in verdicts)


def _rehash(base: Rollout, body: Mapping[str, Any], where: str, params: Params) -> Rollout:
    """Nothing restarts, but every pod's sessions are new to it: all warm up at once."""
    replicas = rollout_shape(str(body.get("kind", "")), body, where).replicas
    warm = params.cache_warm_up_s if base.lifecycle is Lifecycle.PERSISTENT else params.warm_up_s
    timing = PodTiming(0.0, 0.0, warm, params.hit_ratio)
    note = "sessions remapped to other pods: caches and session state start cold"
    return replace(base, shape=RolloutShape(Shape.RECREATE, replicas), timing=timing,
                   notes=(note,))  # fmt: skip


def _timing(
    component: Component,
    lifecycle: Lifecycle,
    pull: Pull,
    shape: RolloutShape,
    moves_volume: bool,
    params: Params,
) -> PodTiming:
    pull_s = 0.0 if shape.pull_before else pull.seconds(params)
    attach_s = params.volume_move_s if moves_volume else 0.0
    warm = {
        Lifecycle.EPHEMERAL_SAFE: 0.0,
        Lifecycle.EPHEMERAL_WITH_WARM_UP: params.warm_up_s,
        Lifecycle.PERSISTENT: params.cache_warm_up_s,
    }[lifecycle]
    return PodTiming(
        down_s=_grace(component, params),
        up_s=attach_s + pull_s + params.pod_start_s,
        warm_s=warm,
        hit_ratio=params.hit_ratio if warm else 0.0,
    )


def _grace(component: Component, params: Params) -> float:
    if component.kind == "ComposeService" or component.id.startswith("engine:"):
        return params.compose_stop_s
    pod = component.context.get("config", {}).get("pod", {})
    value = pod.get("terminationGracePeriodSeconds") if isinstance(pod, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return params.grace_s


def _notes(shape: RolloutShape, rwo: bool, mode: Mode) -> tuple[str, ...]:
    notes = []
    if shape.replicas == 0:
        notes.append("0 replicas: nothing runs, so nothing is replaced")
    if rwo and shape.shape is Shape.ROLLING and shape.max_surge > 0 and mode is Mode.REPLACE:
        notes.append(
            "ReadWriteOnce volume with maxSurge > 0: a surge pod on another node waits on "
            "Multi-Attach until the old pod releases the volume (longhorn#5345)"
        )
    return tuple(notes)
