"""Messaging systems whose operator decides where their messages are kept.

- nats-operator's ``NatsCluster`` runs core NATS servers: its spec has no JetStream and no
  storage field (size, version, image, ``natsConfig`` limits, TLS, auth, pod policy:
  ``ClusterSpec`` at
  https://github.com/nats-io/nats-operator/blob/e531f85f96542d6f5101f8166feda9529e081ea4/pkg/apis/nats/v1alpha2/cluster.go),
  and core NATS delivers each message to the subscribers connected at that moment and keeps
  none (https://docs.nats.io/nats-concepts/core-nats). Its clients reach it by the Service named
  for it.
- nats-streaming-operator's ``NatsStreamingCluster`` runs NATS Streaming servers connected to
  the NATS Service its ``natsSvc`` names (``-nats_server nats://<natsSvc>:4222``). With ``store:
  SQL`` the channels are kept in the SQL database its configuration file names, outside the
  pods; otherwise ``-store file`` with ``-dir <config.storeDir>/<pod>`` where a store directory
  is given (on whatever the pod template mounts there), else ``-dir store``, relative to the
  server's working directory: the container's own layer, lost with the pod
  (``stanContainerCmd`` in
  https://github.com/nats-io/nats-streaming-operator/blob/0491d1bc81c54688c21ad3035039712be51fadb3/internal/operator/controller.go).
- The Synapse operator (opdev) gives a ``Synapse`` and a ``MautrixSignal`` each a claim of 5Gi
  named for the resource, mounted at ``/data``: the homeserver's SQLite database, media store
  and signing key; the Signal bridge's ``sqlite:////data/sqlite.db`` of sessions and keys
  (https://github.com/opdev/synapse-operator/blob/58a5a3b9a704713d6518447e00c6df9225debb96/internal/templates/pvc.yaml,
  https://github.com/opdev/synapse-operator/blob/068f5c3c1139d88cec5ceb6dff7a15d06dabbf4d/internal/templates/synapse_deployment.yaml,
  https://github.com/opdev/synapse-operator/blob/1b4505f075be2954c1b88c9d1000ddd605b4a191/internal/templates/mautrixsignal_deployment.yaml).
  A ``Heisenbridge`` mounts only its ConfigMap: the IRC bridge keeps its state in the
  homeserver. A bridge names its homeserver in ``spec.synapse.name``. The operator labels the
  pods of each ``synapse_cr``, ``mautrixsignal_cr`` or ``heisenbridge_cr`` with the resource's
  name (``labelsForSynapse`` and its twins in ``internal/controller/synapse``).
- The HStream operator's ``HStreamDB`` runs its stores as StatefulSets: HStore (LogDevice
  storage nodes, every stream's records under /data/logdevice) and HMeta (rqlite, the streams'
  and subscriptions' metadata under /rqlite/file), each on the claim its ``volumeClaimTemplate``
  asks for, or else on an emptyDir the operator adds ("add an emptyDir volume if the pvc is
  null": ``getVolumes`` in
  https://github.com/hstreamdb/hstream-operator/blob/87df8d5ea9fbda8fcf87bc780d6f94732954bef0/internal/controller/add_hstore.go
  and ``add_hmeta.go``; the paths in ``internal/config_map_helper.go``). An ``externalHmeta``
  replaces the HMeta it would run (api/v1alpha2/hstreamdb_types.go).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import host_refs
from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Reference, Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_NATS = "https://github.com/nats-io/nats-operator/blob/e531f85f96542d6f5101f8166feda9529e081ea4/pkg/apis/nats/v1alpha2/cluster.go"
_STAN = "https://github.com/nats-io/nats-streaming-operator/blob/0491d1bc81c54688c21ad3035039712be51fadb3/internal/operator/controller.go"
_SYNAPSE = "https://github.com/opdev/synapse-operator/blob/58a5a3b9a704713d6518447e00c6df9225debb96/internal/templates/pvc.yaml"
_HSTREAM = "https://github.com/hstreamdb/hstream-operator/blob/87df8d5ea9fbda8fcf87bc780d6f94732954bef0/internal/controller/add_hstore.go"
_CLAIM = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}}


def _core_nats(body: Mapping[str, Any]) -> list[Storage]:
    return []  # routes messages, keeps none


def _stan_store(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if str(spec.get("store", "")).upper() == "SQL":
        return []  # the SQL database its configuration file names keeps the channels
    store_dir = dig(spec, "config", "storeDir")
    if not store_dir:
        return [Storage("/spec/config", None, "file store -dir store, relative to the server's "
                        "working directory: the container's layer")]  # fmt: skip
    return [_store_volume(as_map(dig(spec, "template", "spec")), str(store_dir))]


def _store_volume(pod: Mapping[str, Any], store_dir: str) -> Storage:
    """Where the pod template keeps the store directory: the claim of the volume mounted over
    it, else nothing that outlives the pod."""
    mounted = {
        str(as_map(m).get("name"))
        for c in as_list(pod.get("containers"))
        for m in as_list(as_map(c).get("volumeMounts"))
        if _covers(str(as_map(m).get("mountPath", "")), store_dir)
    }
    for i, volume in enumerate(as_list(pod.get("volumes"))):
        claim = dig(volume, "persistentVolumeClaim", "claimName")
        if as_map(volume).get("name") in mounted and claim:
            text = f"file store under {store_dir} on the claim {claim}"
            return Storage(f"/spec/template/spec/volumes/{i}", {}, text)
    text = f"file store under {store_dir}, over which its pod template mounts no claim"
    return Storage("/spec/config/storeDir", None, text)


def _covers(target: str, directory: str) -> bool:
    # A mountPath left out ("") mounts nothing; "/" (the root, which holds every directory)
    # is not read as the store's volume either.
    return bool(target.rstrip("/")) and at_or_under(directory, target)


def _hstream_stores(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    parts = [("hstore", "HStore's stream records")]
    if not spec.get("externalHmeta"):
        parts.append(("hmeta", "HMeta's stream metadata"))
    found = []
    for part, what in parts:
        claim = as_map(dig(spec, part, "volumeClaimTemplate", "spec"))
        path = f"/spec/{part}/volumeClaimTemplate"
        if claim:
            found.append(Storage(path, claim, f"{what} on its claim template"))
        else:
            found.append(Storage(f"/spec/{part}", None, f"{what}: no claim template, an emptyDir"))
    return found


def _nats_service(body: Mapping[str, Any]) -> list[Reference]:
    return list(host_refs(dig(body, "spec", "natsSvc"), "spec.natsSvc"))


def _operator_claim(what: str) -> Callable[[Mapping[str, Any]], list[Storage]]:
    def storage(body: Mapping[str, Any]) -> list[Storage]:
        name = dig(body, "metadata", "name") or "<name>"
        return [Storage("/spec", _CLAIM, f"the operator's claim {name} at /data: {what}")]

    return storage


def _homeserver(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "synapse", "name")
    return [Reference("Synapse", name, "", "spec.synapse.name")] if isinstance(name, str) else []


def _nothing(body: Mapping[str, Any]) -> list[Storage]:
    return []  # keeps its state in the homeserver


def _own_services(name: str, body: Mapping[str, Any]) -> list[str]:
    return [name]


def _nats_services(name: str, body: Mapping[str, Any]) -> list[str]:
    return [name, f"{name}-mgmt"]  # the clients' Service and the operator's management one


for _family in (
    Family(OperatorKind("nats.io", "NatsCluster", ("spec", "size"), "nats_cluster"), "queue",
           _core_nats, _NATS, services=_nats_services),
    Family(OperatorKind("streaming.nats.io", "NatsStreamingCluster", ("spec", "size"),
                        "stan_cluster"),
           "queue", _stan_store, _STAN, _nats_service),
    Family(OperatorKind("synapse.opdev.io", "Synapse", (), "synapse_cr"),
           "application", _operator_claim("the homeserver's SQLite database, media store and "
                                          "signing key"),
           _SYNAPSE, services=_own_services),
    Family(OperatorKind("synapse.opdev.io", "MautrixSignal", (), "mautrixsignal_cr"),
           "bridge", _operator_claim("the bridge's SQLite database of Signal sessions and keys"),
           _SYNAPSE, _homeserver),
    Family(OperatorKind("synapse.opdev.io", "Heisenbridge", (), "heisenbridge_cr"),
           "bridge", _nothing, _SYNAPSE, _homeserver),
    Family(OperatorKind("apps.hstream.io", "HStreamDB", ("spec", "hstore", "replicas"),
                        "hstream.io/instance"),
           "queue", _hstream_stores, _HSTREAM),
):  # fmt: skip
    register_family(_family)
