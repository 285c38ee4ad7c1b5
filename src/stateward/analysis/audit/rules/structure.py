"""Workload structure: controller kind, rollout, root filesystem, co-located containers.

Kubernetes semantics: a StatefulSet gives each pod an ordinal identity and its own claims from
``volumeClaimTemplates``, and needs a headless governing Service (``spec.serviceName``) for
per-pod DNS; a bare Pod is recreated by nothing; ``strategy: Recreate`` kills the old pods before
new ones start; a container's writable layer is discarded when the container restarts.

STS_NO_PERSISTENCE is **high** only on two signals: the kind (a StatefulSet without claims)
*and* a store in it whose family is known on two signals of its own
(:mod:`~stateward.analysis.audit.family_evidence`), or a data directory it is configured with;
never for a test or development fixture (:mod:`~stateward.analysis.audit.fixtures`). The kind
alone, or a store named by one signal, is medium.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from stateward.analysis.audit.appdata import socket_directory, socket_named
from stateward.analysis.audit.derived_states import derived_state
from stateward.analysis.audit.estate import Estate, ids_or_none
from stateward.analysis.audit.family_evidence import known_on_two
from stateward.analysis.audit.fixtures import fixture_reason
from stateward.analysis.audit.interface import Effect, Hit, Scope, detector
from stateward.analysis.audit.knowledge import DataImage, config_sidecar, data_image
from stateward.analysis.audit.kubelet import kubelet_directory
from stateward.analysis.audit.programs import helper_beside_server
from stateward.analysis.audit.provisioned import provisioned_from_mounts
from stateward.analysis.audit.regenerated import volume_written_again
from stateward.analysis.audit.rules.data import (
    data_dirs,
    data_family,
    data_mounts,
    store_rebuilt,
)
from stateward.analysis.audit.rules.startup import seeded_by
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_map, dig
from stateward.model.resource import Resource

__all__ = ["stateful_sidecar"]


@detector(
    "WRITABLE_ROOTFS",
    Severity.LOW,
    Effect.CONTEXT,
    remedy="Set readOnlyRootFilesystem: true (Compose: read_only: true) and mount "
    "what must be written.",
)
def writable_rootfs(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The root filesystem is writable: writes outside volumes vanish with the container."""
    if workload.platform == "compose":
        if workload.body.get("read_only") is not True:
            yield Hit("/read_only", "no read_only: true")
        return
    for container in workload.all_containers():
        context = container.body.get("securityContext")
        if not (isinstance(context, Mapping) and context.get("readOnlyRootFilesystem") is True):
            yield Hit(
                container.path + "/securityContext/readOnlyRootFilesystem",
                f"container {container.name!r} has a writable root filesystem",
            )


@detector("STATEFULSET", Severity.INFO, Effect.CONTEXT)
def statefulset(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Kind StatefulSet: ordinal identity, ordered one-at-a-time updates."""
    if workload.kind == "StatefulSet":
        yield Hit("/kind", f"StatefulSet with {workload.replicas or 1} replica(s)")


def _claims(workload: Workload) -> bool:
    spec = workload.body.get("spec")
    templates = spec.get("volumeClaimTemplates") if isinstance(spec, Mapping) else None
    pvcs = [m for m in workload.mounts if m.kind == "persistentVolumeClaim"]
    return (
        bool(templates)
        or bool(pvcs)
        or any("persistentVolumeClaim" in v for _, v in workload.volumes.values())
    )


# Volume sources that outlive the pod without a claim: a directory of the node
# (https://kubernetes.io/docs/concepts/storage/volumes/#hostpath), an NFS export
# (https://kubernetes.io/docs/concepts/storage/volumes/#nfs) and the in-tree cloud disks named
# inline, each kept by its owner when the pod goes.
_KEPT_INLINE = frozenset(
    {"hostPath", "nfs", "cinder", "gcePersistentDisk", "awsElasticBlockStore", "azureDisk"}
)


def _kept_without_claims(workload: Workload, container: Container) -> bool:
    """Whether the container's data is on volumes kept without a claim (an etcd on a hostPath
    keeps its data on that node, as a Deployment's would): those :func:`~.data.data_mounts`
    finds holding it, as DATA_IMAGE_NO_VOLUME reads them."""
    held = data_mounts(workload, container)
    return bool(held) and all(m.kind in _KEPT_INLINE for m in held)


def _rebuilt(workload: Workload, container: Container, estate: Estate) -> tuple[Effect, str] | None:
    family = data_family(workload, container)
    if family is not None:
        return store_rebuilt(workload, container, family, estate)
    # a Grafana provisioned from mounted files keeps only UI edits (:mod:`..provisioned`)
    whys = [provisioned_from_mounts(workload, container, d) for d in data_dirs(workload, container)]
    return (Effect.WARM_UP, whys[0]) if whys and all(whys) else None


@detector(
    "STS_NO_PERSISTENCE",
    Severity.HIGH,
    Effect.LOSS,
    remedy="Add volumeClaimTemplates for the data directory, or use a Deployment.",
)
def sts_no_persistence(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A StatefulSet with neither claim templates nor PVC volumes: looks stateful, keeps nothing.

    When no container has a data directory (no data image, no application data), the
    StatefulSet is used for its stable identity only: reported as context, not as loss. When
    every store in it keeps only what is rebuilt (a cache, a replica re-syncing from its
    leader, a Sentinel: :func:`~stateward.analysis.audit.rules.data.store_rebuilt`), claims
    would keep nothing a warm-up does not bring back. When every store's data is on a volume
    kept without a claim (a hostPath, an NFS export), nothing is lost: HOSTPATH and its kin
    say where it is."""
    if workload.kind != "StatefulSet" or _claims(workload):
        return
    holders = [c for c in workload.containers if data_dirs(workload, c)]
    if holders and all(_kept_without_claims(workload, c) for c in holders):
        return  # on the node or a network share: HOSTPATH and its kin say where
    rebuilt = [_rebuilt(workload, c, estate) for c in holders]
    if holders and all(rebuilt):
        effect = Effect.WARM_UP if any(r and r[0] is Effect.WARM_UP for r in rebuilt) else (
            Effect.CONTEXT)  # fmt: skip
        why = "; ".join(dict.fromkeys(r[1] for r in rebuilt if r))
        text = f"StatefulSet without claims; what its stores keep is rebuilt ({why})"
        yield Hit("/spec", text, effect=effect, severity=Severity.LOW)
    elif holders:
        text = "StatefulSet without volumeClaimTemplates or PVC volumes"
        if doubt := _doubt(workload, holders, estate):
            yield Hit("/spec", f"{text}; medium, not high: {doubt}", severity=Severity.MEDIUM)
        else:
            yield Hit("/spec", text)
    else:
        yield Hit(
            "/spec",
            "StatefulSet without claims and without a data directory: stable identity only",
            effect=Effect.CONTEXT,
            severity=Severity.LOW,
        )


def _doubt(workload: Workload, holders: list[Container], estate: Estate) -> str:
    """Why the kind and a data directory are not enough for high: a fixture, or no holder's
    data family named on two signals (:mod:`~stateward.analysis.audit.family_evidence`). A
    directory the container is configured with, of no known family, is its own second signal
    (the author named it, and mounted nothing kept there)."""
    if reason := fixture_reason(workload, estate):
        return reason
    families = [(c, data_family(workload, c)) for c in holders]
    if any(f is None or known_on_two(workload, c, f) for c, f in families):
        return ""
    return "every store in it is named by one signal alone"


@detector(
    "STS_SERVICE_NOT_HEADLESS",
    Severity.MEDIUM,
    Effect.CONTEXT,
    remedy="Make the governing Service headless (clusterIP: None).",
)
def sts_service_not_headless(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The StatefulSet's ``serviceName`` names a Service that is not headless."""
    if workload.kind != "StatefulSet":
        return
    name = str(dig(workload.body, "spec", "serviceName") or "")
    service = estate.named("Service", workload.namespace, name) if name else None
    spec = service.body.get("spec") if service is not None else None
    if isinstance(spec, Mapping) and spec.get("clusterIP") != "None":
        yield Hit(
            "/spec/serviceName",
            f"governing Service {name} has clusterIP {spec.get('clusterIP', '(allocated)')}",
        )


@detector("HEADLESS_SERVICE", Severity.INFO, Effect.CONTEXT, scope=Scope.OBJECT, kinds=("Service",))
def headless_service(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """Service with ``clusterIP: None``: clients address pods one by one."""
    spec = resource.body.get("spec")
    if not isinstance(spec, Mapping) or spec.get("clusterIP") != "None":
        return
    users = estate.selected(resource.key.namespace, as_map(spec.get("selector")))
    for user in ids_or_none(users):
        yield Hit("/spec/clusterIP", f"headless Service {resource.key.name}", component=user)


@detector(
    "NAKED_POD",
    Severity.MEDIUM,
    Effect.CONTEXT,
    remedy="Run it under a controller (Deployment, StatefulSet) so it is recreated.",
)
def naked_pod(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A bare Pod without a controller: nothing recreates it when it dies."""
    if workload.kind == "Pod":
        yield Hit("/kind", "bare Pod, no controller")


@detector("RECREATE_STRATEGY", Severity.LOW, Effect.CONTEXT)
def recreate_strategy(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Deployment ``strategy: Recreate``: downtime on every update."""
    strategy = dig(workload.body, "spec", "strategy")
    if workload.kind == "Deployment" and isinstance(strategy, Mapping):
        if strategy.get("type") == "Recreate":
            yield Hit("/spec/strategy/type", "old pods are killed before new ones start")


@detector("PULL_ALWAYS", Severity.INFO, Effect.CONTEXT)
def pull_always(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """``imagePullPolicy: Always``: a registry round-trip on every container start."""
    if workload.platform == "compose":
        if workload.body.get("pull_policy") == "always":
            yield Hit("/pull_policy", "pull_policy: always")
        return
    for container in workload.all_containers():
        if container.body.get("imagePullPolicy") == "Always":
            yield Hit(container.path + "/imagePullPolicy", f"{container.name!r} pulls always")


def _shared_writes(workload: Workload, container: Container) -> list[str]:
    """Writable pod volumes this container shares with another (non-init) container; not a
    directory of the kubelet's, where a CSI driver's containers meet the kubelet
    (:mod:`~stateward.analysis.audit.kubelet`), nor a volume every container mounts in the
    system's log directory, which one writes and another tails: logs, read by nobody back
    (FHS 3.0 §5.10 /var/log "miscellaneous log files",
    https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05.html), nor a socket directory where
    one serves and the others connect (:func:`~stateward.analysis.audit.appdata.socket_directory`,
    or an emptyDir in which a container is given a socket's path:
    :func:`~stateward.analysis.audit.appdata.socket_named`)."""
    mine = {
        m.volume for m in workload.mounts_of(container)
        if m.writable_store and not (m.kind == "hostPath" and kubelet_directory(m.source))
    }  # fmt: skip
    others = {
        m.volume for c in workload.containers if c is not container for m in workload.mounts_of(c)
    }
    return sorted(v for v in mine & others if not _meeting_only(workload, v))


def _meeting_only(workload: Workload, volume: str) -> bool:
    mounts = [m for m in workload.mounts if m.volume == volume]
    targets = [m.target for m in mounts]
    return bool(targets) and (
        all(t.split("/")[1:3] == ["var", "log"] for t in targets)
        # The server names the directory for its socket; its clients mount it anywhere (the
        # CSI liveness probe at ``/csi``).
        or any(socket_directory(t) for t in targets)
        # A pod's own scratch volume where a container is given a socket's path.
        or any(
            m.kind == "emptyDir" and socket_named(m.target, c)
            for m in mounts
            for c in _mounting(workload, m.container)
        )  # fmt: skip
    )


def _mounting(workload: Workload, name: str) -> Iterator[Container]:
    return (c for c in workload.containers if c.name == name)


def stateful_sidecar(workload: Workload, container: Container) -> str:
    """Why a co-located container holds state ('' when it does not)."""
    family = _store_image(workload, container)
    if family is not None:
        return f"{family.name} {family.role} image"
    shared = _shared_writes(workload, container)
    if shared and not config_sidecar(container):
        return f"writes shared volume(s) {', '.join(shared)}"
    return ""


def _store_image(workload: Workload, container: Container) -> DataImage | None:
    """The store a sidecar's image runs; none for a helper run from the main container's store
    image (:func:`~stateward.analysis.audit.programs.helper_beside_server`)."""
    return None if helper_beside_server(workload, container) else data_image(container.image)


def _sidecars(workload: Workload) -> Iterator[Container]:
    primary = workload.primary
    if workload.platform == "kubernetes":
        yield from (c for c in workload.containers if c is not primary)


@detector(
    "SIDECAR_STATEFUL",
    Severity.MEDIUM,
    Effect.LOSS,
    remedy="Give the sidecar's state a volume that outlives the pod, or move it out.",
)
def sidecar_stateful(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A second container of the pod holds or writes state (a sentinel, a UI editing a volume).

    A store the pod's program keeps only what it derives from its own log in (a Fabric peer's
    CouchDB world state) is rebuilt: a warm-up (:mod:`stateward.analysis.audit.derived_states`)."""
    for container in _sidecars(workload):
        why = stateful_sidecar(workload, container)
        if why:
            effect = Effect.DURABLE if _on_durable(workload, container) else None
            # What it writes into a kept volume may be made again (a cache, an index); into
            # the pod's emptyDirs, a copy an init container makes again at every start.
            again = (_written_again if effect else _made_at_start)(workload, container)
            again = again or derived_state(workload, container, estate)
            effect = Effect.WARM_UP if again else effect
            note = f" ({again})" if again else ""
            yield Hit(container.path, f"sidecar {container.name!r}: {why}{note}", effect=effect)


_DURABLE_KINDS = frozenset({"persistentVolumeClaim", "volumeClaimTemplate", "hostPath"})


def _written_again(workload: Workload, container: Container) -> str:
    kept = {m.volume for m in workload.mounts_of(container) if m.writable_store}
    whys = [volume_written_again(workload, v) for v in sorted(kept)]
    return whys[0] if whys and all(whys) else ""


def _made_at_start(workload: Workload, container: Container) -> str:
    """Why the emptyDirs a sidecar of no store's image writes and shares hold what is made
    again: an init container fills each of them at every start of the pod (Dataverse's Solr
    schema, fetched by ``schema-init`` and updated by the schema sidecar's webhook). A new pod
    runs its init containers again before any other container starts
    (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#detailed-behavior)."""
    if _store_image(workload, container) is not None:
        return ""
    kinds = {m.volume: m.kind for m in workload.mounts_of(container)}
    shared = _shared_writes(workload, container)
    seeders = [seeded_by(workload, v) if kinds.get(v) == "emptyDir" else "" for v in shared]
    if not seeders or not all(seeders):
        return ""
    return f"filled again by init {', '.join(sorted(set(seeders)))} at every start"


def _on_durable(workload: Workload, container: Container) -> bool:
    """The sidecar writes into a volume that outlives the pod (its state is not lost)."""
    return any(m.writable_store and m.kind in _DURABLE_KINDS for m in workload.mounts_of(container))


@detector("SIDECAR", Severity.INFO, Effect.CONTEXT)
def sidecar(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Another co-located container (exporter, config-syncing sidecar) that holds no state."""
    for container in _sidecars(workload):
        if not stateful_sidecar(workload, container):
            yield Hit(container.path, f"sidecar {container.name!r} ({container.image})")
