"""Dependencies a Kubernetes workload makes by name, with no host in its environment: the
Secrets an operator writes for a resource that the pod mounts, the operator resource an
injection annotation names, the ConfigMaps a controller reads by a name it knows, the
credentials a client shares with the server they log in to, the operator resource that
provides its claims' storage class, and the members of its cluster that keep its data.

Each yields ``(target, where)``; :func:`stateward.analysis.audit.dependencies.edges_of` makes the
edges. Names resolve in the estate only: a name that matches nothing makes no edge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate, volume_secrets
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.made_secrets import named_secrets
from stateward.analysis.audit.steps import runs_to_completion
from stateward.analysis.audit.workloads import Workload
from stateward.analysis.audit.written_secrets import spec_secrets
from stateward.model.kubernetes import as_list, as_map, dig
from stateward.model.resource import Resource

__all__ = [
    "annotated_targets",
    "claim_providers",
    "cluster_keepers",
    "controller_config_maps",
    "mounted_secret_writers",
    "shared_credential_servers",
]


def mounted_secret_writers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """Operator resources (and workloads: :mod:`.made_secrets`) whose Secrets (certificates,
    credentials) a pod mounts, as a ``secret`` volume or a ``projected`` volume's ``secret``
    source, or its command names to read: a client of a CockroachDB ``CrdbCluster`` mounts the
    CA and client certificates the operator writes; ingress-nginx's controller mounts the
    certificate its ``admission-create`` Job makes, which the ``admission-patch`` Job reads."""
    for volume in as_list(workload.pod.get("volumes")):
        volume = as_map(volume)
        names = [dig(volume, "secret", "secretName")]
        names += [dig(s, "secret", "name") for s in as_list(dig(volume, "projected", "sources"))]
        for name in sorted({str(n) for n in names if n}):
            for target in estate.secret_writers(workload.namespace, name):
                yield (
                    target,
                    f"volume {volume.get('name')}: Secret {name}, written for {target.name}",
                )
    for name in sorted(set(named_secrets(workload))):
        for target in estate.secret_writers(workload.namespace, name):
            yield target, f"command names Secret {name}, made by {target.name}"
    if workload.operated is not None:  # a custom resource: its spec's fields naming Secrets
        for name, where in spec_secrets(workload.body):
            for target in estate.secret_writers(workload.namespace, name):
                if target is not workload:
                    yield target, f"{where} names Secret {name}, written for {target.name}"


# Annotations that ask an operator to inject a sidecar reporting to one of its resources: the
# value names it (``name`` or ``namespace/name``), or "true" picks the only one of the pod's
# namespace.
# Jaeger: https://github.com/jaegertracing/jaeger-operator/blob/10e4825c8437fc2122b54d989e8108b01b04a67d/README.md
# OpenTelemetry ("Sidecar injection"): https://github.com/open-telemetry/opentelemetry-operator/blob/c13b5608ad994416701091fdac9ed9fb13e96a3a/README.md
_INJECTIONS = {
    "sidecar.jaegertracing.io/inject": "Jaeger",
    "sidecar.opentelemetry.io/inject": "OpenTelemetryCollector",
}


def annotated_targets(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The operator resources a workload's injection annotations name."""
    annotations = {
        **as_map(dig(workload.body, "metadata", "annotations")),
        **as_map(dig(workload.body, "spec", "template", "metadata", "annotations")),
    }
    for annotation, kind in _INJECTIONS.items():
        value = str(annotations.get(annotation, "")).strip()
        if not value or value.lower() == "false":
            continue
        namespace, _, name = value.rpartition("/")
        namespace = namespace or workload.namespace
        found = [w for w in estate.in_namespace(namespace) if w.kind == kind]
        if value.lower() == "true":
            found = found if len(found) == 1 else []
        else:
            found = [w for w in found if w.name == name]
        for target in found:
            yield target, f"annotation {annotation}: {value}"


# ConfigMaps a controller reads by a name it knows, not through a volume or env: Argo Workflows'
# controller and server read ``workflow-controller-configmap`` (the ``--configmap`` flag's
# default), the controller the default artifact repository from ``artifact-repositories``.
# https://argo-workflows.readthedocs.io/en/latest/workflow-controller-configmap/
# https://argo-workflows.readthedocs.io/en/latest/configure-artifact-repository/#configure-the-default-artifact-repository
_READ_BY_NAME = {
    "argoproj/workflow-controller": ("workflow-controller-configmap", "artifact-repositories"),
    "argoproj/argocli": ("workflow-controller-configmap",),
}
# A ConfigMap named on the command line (``--configmap=NAME``, ``--config-map NAME``).
_CONFIG_OPTION = re.compile(r"--config-?map(?:-name)?(?:=|\s+)([a-z0-9][a-z0-9.-]*)")


def controller_config_maps(workload: Workload, estate: Estate) -> Iterator[tuple[str, str, str]]:
    """``("", text, where)`` for every file of the ConfigMaps a controller reads by name: the
    names its image is known to read, a ``--configmap`` option's, and, by the common convention,
    ``<workload>-configmap`` or ``<workload>-config``."""
    names = {f"{workload.name}-configmap", f"{workload.name}-config"}
    for container in workload.containers:
        names.update(_READ_BY_NAME.get(repository(container.image), ()))
        names.update(_CONFIG_OPTION.findall(" ".join(container.command)))
    for name in sorted(names):
        config = estate.named("ConfigMap", workload.namespace, name)
        for key, text in as_map(config.body.get("data") if config else None).items():
            yield "", str(text), f"ConfigMap {name} file {key} (read by name)"


# Keys of a Secret that hold a login (``MINIO_ACCESS_KEY`` from ``accesskey``).
_CREDENTIAL = re.compile(r"pass|secret|access.?key|token|user", re.IGNORECASE)
_MOUNTED_LOGIN = re.compile(r"pass|access.?key|token|cred", re.IGNORECASE)


def shared_credential_servers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """State holders that take their credentials from a Secret this workload takes a login
    from: the object store configures its admin keys from ``mlpipeline-minio-artifact``, and the
    UI reading the same keys logs in to it. A holder is no client of another by this reading,
    and a ``Job`` or ``CronJob`` is no server: its pods run to completion and leave
    (https://kubernetes.io/docs/concepts/workloads/controllers/job/), so nothing logs in to it;
    an API key it shares with an application is one both send to the same outside service."""
    if workload.id in estate.holders:
        return
    for name in sorted(_credential_secrets(workload)):
        for server in estate.secret_users(name):
            if (
                server.id in estate.holders
                and server.id != workload.id
                and not runs_to_completion(server)
                and _together(workload, server)
            ):
                yield server, f"login from Secret {name}, which {server.name} is configured with"


def _together(one: Workload, other: Workload) -> bool:
    """In one namespace, or possibly so: a manifest that names no namespace is applied into the
    one chosen at ``kubectl apply -n`` time."""
    unnamed = not dig(one.body, "metadata", "namespace") or not dig(
        other.body, "metadata", "namespace"
    )
    return one.namespace == other.namespace or unnamed


def _credential_secrets(workload: Workload) -> set[str]:
    found: set[str] = set()
    for container in workload.all_containers():
        for entry in as_list(container.body.get("env")):
            ref = as_map(dig(entry, "valueFrom", "secretKeyRef"))
            if ref.get("name") and _CREDENTIAL.search(f"{dig(entry, 'name')} {ref.get('key')}"):
                found.add(str(ref["name"]))
    # A Secret mounted as files is a login when its name says a password, key or token
    # (``redis-passwd``, read by the journal's front end and by the launch script that starts
    # redis-server with ``--requirepass``); "secret" alone, what most Secrets are called, is not.
    found.update(n for n in volume_secrets(workload) if _MOUNTED_LOGIN.search(n))
    return found


def claim_providers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """Operator resources that provide the storage of a workload's claims: the claim's
    StorageClass names them in its parameters, by name and namespace (Rook's ``rook-ceph-block``
    class: ``clusterID: rook-ceph``, ``pool: replicapool``, the ``CephBlockPool`` replicapool
    of namespace rook-ceph, https://github.com/rook/rook/blob/d0c3b9ce6d64ff0c47074437aab7314b7adf7f2c/deploy/examples/csi/rbd/storageclass-test.yaml).
    The claim's volumes are on that resource's disks: losing it loses them. So do the workloads
    running the class's ``provisioner`` (:mod:`.provisioners`): they make its volumes."""
    for claim, storage_class, found in claim_classes(workload, estate):
        values = {str(v) for v in as_map(found.body.get("parameters")).values()}
        for target in estate.operated_named(values, values):
            yield target, f"claim {claim}: StorageClass {storage_class} names {target.name}"
        provisioner = found.body.get("provisioner")
        for target in estate.provisioner_runners(str(provisioner)) if provisioner else ():
            if target.id != workload.id:
                yield (
                    target,
                    f"claim {claim}: StorageClass {storage_class} is made by {target.name}",
                )


def claim_classes(workload: Workload, estate: Estate) -> Iterator[tuple[str, str, Resource]]:
    """``(claim, storage class name, StorageClass)`` of the claims a workload mounts or
    templates whose class the estate holds, by claim name."""
    for claim, storage_class in sorted(_claim_classes(workload, estate)):
        found = estate.named("StorageClass", "", storage_class) or estate.named(
            "StorageClass", workload.namespace, storage_class
        )
        if found is not None:
            yield claim, storage_class, found


def _claim_classes(workload: Workload, estate: Estate) -> set[tuple[str, str]]:
    """``(claim, storage class)`` of the claims a workload mounts or templates: a generic
    ephemeral volume's template too, a claim made and deleted with each pod
    (https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes)."""
    found = set()
    for volume in as_list(workload.pod.get("volumes")):
        claim = str(dig(volume, "persistentVolumeClaim", "claimName") or "")
        spec = estate.named("PersistentVolumeClaim", workload.namespace, claim) if claim else None
        storage_class = dig(spec.body, "spec", "storageClassName") if spec else None
        storage_class = storage_class or dig(
            volume, "ephemeral", "volumeClaimTemplate", "spec", "storageClassName"
        )
        if storage_class:
            found.add((claim or str(as_map(volume).get("name")), str(storage_class)))
    for template in as_list(dig(workload.body, "spec", "volumeClaimTemplates")):
        storage_class = dig(template, "spec", "storageClassName")
        if storage_class:
            found.add((str(dig(template, "metadata", "name")), str(storage_class)))
    return found


# ``metadata.labels['stolon-cluster']``: a label handed to the container through the downward
# API (https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-fieldRef).
_LABEL_FIELD = re.compile(r"^metadata\.labels\['([^']+)'\]$")
_CLUSTER_VARIABLE = re.compile(r"CLUSTER", re.IGNORECASE)


def cluster_keepers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The members of the workload's cluster that keep its data, when the workload is told its
    cluster's name by a label of its own (a ``…CLUSTER…`` variable from the downward API) and
    keeps none itself: the workloads of its namespace with the same label value that hold
    state. A cluster's stateless parts find its keepers through a store they all share, not by
    a host (Stolon's proxy and sentinel read ``STPROXY_CLUSTER_NAME`` and
    ``STSENTINEL_CLUSTER_NAME`` from label ``stolon-cluster``, as its keepers do; the sentinel
    "discovers and monitors keepers", the proxy forwards connections "to the right PostgreSQL
    master", and neither needs a data directory:
    https://github.com/sorintlab/stolon/blob/0802a6168e5631deeef5cd7da728ea157712cb85/doc/architecture.md)."""
    if workload.platform != "kubernetes" or workload.id in estate.holders:
        return
    for key in sorted(_cluster_labels(workload)):
        value = workload.labels.get(key)
        for other in estate.workloads if value else ():
            if (
                other.id in estate.holders
                and other.namespace == workload.namespace
                and other.labels.get(key) == value
                and key in _cluster_labels(other)
            ):
                yield other, f"cluster {value} (label {key}), whose data {other.name} keeps"


def _cluster_labels(workload: Workload) -> set[str]:
    """Label keys a container of the workload is handed as its cluster's name."""
    return {
        match.group(1)
        for container in as_list(workload.pod.get("containers"))
        for variable in as_list(as_map(container).get("env"))
        if _CLUSTER_VARIABLE.search(str(as_map(variable).get("name", "")))
        and (
            match := _LABEL_FIELD.match(
                str(dig(variable, "valueFrom", "fieldRef", "fieldPath") or "")
            )
        )
    }
