"""Custom resources of no known family whose kind is named for a store by a generic noun.

Operators name the resource that runs a store for what it is, the thing that keeps records,
whatever engine is behind it: Atomix's ``SharedMemoryStore`` (a node keeping the primitives'
state in its process memory, https://github.com/atomix/atomix/blob/6decbb2531c39254979ff1f10e65e00c6e1dca99/stores/shared-memory/pkg/controller/sharedmemory/v1beta2/store.go),
KubeProvisioner's ``S3Bucket`` and ``SQSQueue`` (a bucket and a queue it creates,
https://github.com/1Shubham7/KubeProvisioner, internal/controller/s3bucket_controller.go at
9bb41a2ac0b194f31762077605fdc0b3e44c44aa). The catalogue learnt each of these one family at a
time; the kind's last word (``store``, ``bucket``, ``queue``) says as much for the next one, as do
``BlobStorage`` and ``ObjectStorage`` (storage of blobs or objects, a bucket by another name: the
Cloud Resource Operator's ``BlobStorage`` is the bucket its AWS provider creates in S3,
https://github.com/integr8ly/cloud-resource-operator, README.md at
03fb346481e15d7bc744d084caf6a9eea58dde78, Supported Cloud Resources; ``storage`` alone names no
store: a ``BackupStorage`` or ``MetricStorage`` is where something else keeps its copies), unless
its spec names the bucket it uses: then it describes one that is there already (StackGres's
``SGObjectStorage``, ``s3.bucket`` or ``gcs.bucket`` with its credentials, is "the backup storage
specification", as the StackGres administration guide calls it, not a bucket it makes): a
resource of such a kind that names no peer it lives in is that store, and holds its records wherever its operator puts them (the operator's default
storage, unknown), in memory when its kind says so (``SharedMemoryStore``, ``InMemoryStore``:
lost on replacement). A resource written with no spec at all is made with its CRD's defaults,
as Atomix's sample store is; one whose spec is given empty (``spec: {}``, a scaffold's ``spec:``
with only a comment) is read as the named families' are (:mod:`.data_systems`): it runs nothing.

Not a store of such a kind that names the server, cluster, broker or tenant it lives in (a
``Queue`` with a ``rabbitmqClusterReference``, a ``Bucket`` with a ``tenantRef``; not the
name it gives the store it declares, ``queueName: jobs``): that peer holds its records, read by
the rules of its own (:mod:`.data_systems`); nor one whose spec gives
the address of a store that runs elsewhere, which it only describes to its operator's clients
(an endpoint, a URL or URI, a connection, a destination path): Kamaji's ``DataStore``, the
``endpoints`` of the etcd its tenant control planes keep their objects in
(https://github.com/clastix/kamaji/tree/ddbabd87ed0e8d7c319414383e153c46f21733a9, its
``api/v1alpha1/datastore_types.go``), the Barman Cloud plugin's ``ObjectStore``, the
``destinationPath`` and ``endpointURL`` its backups are sent to
(https://github.com/cloudnative-pg/plugin-barman-cloud/tree/9967e2caabf20362a5ac5812fc320b25e1f43a2d).
Not a store of settings or credentials, by the word before its noun: External Secrets'
``SecretStore`` and ``ClusterSecretStore`` say where secrets are read from (a provider and its
credentials,
https://github.com/external-secrets/external-secrets/blob/cc5bfbc2234ace9cb0caff4ea89c435cf517b27b/docs/snippets/basic-secret-store.yaml);
a ``ConfigStore``, ``KeyStore`` or ``TrustStore`` likewise (a ``KeyValueStore`` keeps values).
Not a queue that orders work for a scheduler: Kueue's ``ClusterQueue`` (``namespaceSelector``,
``resourceGroups`` of quotas, a ``cohort``) and ``LocalQueue`` (the ``clusterQueue`` it points
to) admit jobs by quota and keep no message
(https://github.com/kubernetes-sigs/kueue/blob/ff69552e79ad21652c36caa97038382e55625cf7/site/static/examples/admin/single-clusterqueue-setup.yaml).
A kind whose role holds nothing, a copy (``…Backup``), a user or a grant is read by the rules
before this one, and its last word is no store's noun anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import camel_words, peer_references
from stateward.analysis.audit.workloads import Storage

__all__ = ["store_kind"]

# The last word of a kind named for the thing that keeps records.
# (A kind named for a database, ``…DB`` or ``…Database``, is read by :mod:`.data_systems`, which
# leaves out a bare ``Database``: most often one database inside a server it names.)
_NOUNS = frozenset({"store", "stores", "bucket", "buckets", "queue", "queues"})
# ``storage`` is a store's noun only after a word for what is stored as objects (``BlobStorage``).
_OBJECT_STORAGE = frozenset({"blob", "blobs", "object", "objects"})
# The word just before the noun that makes it a store of settings or credentials, not of
# records (``ClusterSecretStore``; not ``KeyValueStore``, a store of values).
_SETTINGS = frozenset({
    "secret", "secrets", "config", "configuration", "key", "keys", "trust", "cert",
    "certificate", "credential", "credentials", "token", "parameter", "parameters", "policy",
    "setting", "settings",
})  # fmt: skip
# Queues of a scheduler, which admit jobs and keep no message: Kueue's API group, and the fields
# of its ClusterQueue and LocalQueue specs (a ``cohort`` borrowing quota, the ``resourceGroups``
# of quotas, the ``clusterQueue`` a LocalQueue points to: the CRD at
# https://github.com/kubernetes-sigs/kueue/blob/6af03d770e6ecc28e966bdcd904f9ce1dc1f3566/config/components/crd/bases/kueue.x-k8s.io_clusterqueues.yaml).
_SCHEDULING_GROUPS = ("kueue.x-k8s.io",)
_SCHEDULING_FIELDS = frozenset({"cohort", "resourceGroups", "clusterQueue", "queueingStrategy"})
_MEMORY = frozenset({"memory", "inmemory"})
# Fields giving the address of a store that runs elsewhere (an endpoint, a URL or URI, a
# connection, a path at an object store), to three levels of the spec.
_ADDRESS = re.compile(r"(endpoints?|url|uri|connection|address|addresses|destinationpath|dsn)$")


def store_kind(group: str, kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The operator-default storage of a resource whose kind's last word names a store and
    that names no peer it lives in (none otherwise)."""
    words = list(camel_words(kind))
    if words[-1:] == ["storage"] and set(words[-2:-1]) & _OBJECT_STORAGE:
        if _names_bucket(body.get("spec")):
            return []  # it only describes a bucket that is there already
        words[-1] = "store"
    if not words or words[-1] not in _NOUNS or set(words[-2:-1]) & _SETTINGS:
        return []
    if "spec" in body and not body["spec"]:
        return []  # an empty spec runs nothing; an absent one is the CRD's defaults
    if group.endswith(_SCHEDULING_GROUPS) or _SCHEDULING_FIELDS & set(body.get("spec") or ()):
        return []
    # a field naming the store by its own noun (``queueName: jobs``) is the name it gives what
    # it declares (KubeProvisioner's SQSQueue), not a peer it lives in
    own = {f"{words[-1].rstrip('s')}name", "name"}
    if any(r.where.rsplit(".", 1)[-1].lower() not in own for r in peer_references(body)):
        return []
    if _addresses(body.get("spec")):
        return []
    if _MEMORY & set(words[:-1]):
        return [Storage("/spec", None, f"a {kind}, kept in its members' memory", memory=True)]
    return [Storage("/spec", {}, f"a {kind}; the operator's default storage is unknown")]


def _names_bucket(spec: Any) -> bool:
    """True when a spec names the bucket it uses (``bucket: backups``)."""
    return _holds_field(
        spec, lambda key, value: key in _BUCKET and isinstance(value, str) and value
    )


_BUCKET = frozenset({"bucket", "bucketname"})


def _addresses(spec: Any) -> bool:
    """True when a spec gives the address of a store that runs elsewhere (a field of
    :data:`_ADDRESS` with a value)."""
    return _holds_field(spec, lambda key, value: _ADDRESS.search(key) and value)


def _holds_field(node: Any, wanted: Callable[[str, Any], Any], depth: int = 0) -> bool:
    """True when a mapping holds, to three levels, a field ``wanted`` accepts (its key in lower
    case, its value)."""
    if not isinstance(node, Mapping) or depth > 3:
        return False
    return any(
        wanted(str(key).lower(), value) or _holds_field(value, wanted, depth + 1)
        for key, value in node.items()
    )
