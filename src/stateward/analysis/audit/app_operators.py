"""Operators of applications that run the application's own database unless told of another.

Their resources name no storage at all: the records are in a database the operator deploys
beside the application by default, whose claim is in the operator's own manifests.

- Backstage (the Red Hat Developer Hub operator, ``rhdh.redhat.com``; its upstream,
  ``janus-idp.io``): "Backstage hosts the data in a PostgreSQL database. By default, the
  Operator creates and manages a local instance of PostgreSQL"
  (https://github.com/redhat-developer/rhdh-operator/blob/c0cb1c92235d2aced931044c3c732156635f77f1/docs/external-db.md);
  ``spec.database.enableLocalDb`` defaults to true, and the local database is the StatefulSet
  ``backstage-psql-<name>`` with the 1Gi claim template ``data`` at ``/var/lib/pgsql/data``
  (https://github.com/redhat-developer/rhdh-operator/blob/50aa7288684200666a98a62fa8ee58c3cacec6ba/config/profile/rhdh/default-config/db-statefulset.yaml),
  reached through the Service of that name.
- Project Quay (``quay.redhat.com`` ``QuayRegistry``): every component is managed by the
  operator unless listed with ``managed: false``, a component left out included
  (https://github.com/quay/quay-operator/blob/328d8864f528a87c2f6cdc3022058e42a546aa9b/docs/components.md);
  the managed ``postgres`` keeps repositories, tags, users and permissions on a 50Gi claim
  (https://github.com/quay/quay-operator/blob/1a4417a5f309a9cde21aed2160b6e38af9664dac/kustomize/components/postgres/postgres.persistentvolumeclaim.yaml);
  the managed object storage is a bucket claimed from the cluster's NooBaa, outside the estate.
- Microcks (``microcks.io`` ``Microcks``): ``spec.mongodb.install`` and ``persistent`` default
  to true ("Install MongoDB or reuse an existing instance? Default to true.",
  https://github.com/microcks/microcks-operator/blob/3885a84cd8e1a270e10398b67cb8e69fce2e0c04/api/src/main/java/io/github/microcks/operator/api/base/v1alpha1/MongoDBSpec.java),
  with ``volumeSize: 2Gi`` in the operator's defaults
  (https://github.com/microcks/microcks-operator/blob/3885a84cd8e1a270e10398b67cb8e69fce2e0c04/operator/src/main/resources/k8s/microcks-default.yml):
  the claim ``<name>-mongodb`` at ``/var/lib/mongodb/data`` keeps the imported APIs, mocks and
  test results; Keycloak's PostgreSQL (``keycloak.install`` and ``persistent``, true by default,
  1Gi) keeps its realm and users on ``<name>-keycloak-postgresql``. Not persistent, each is an
  emptyDir.
- NooBaa (``noobaa.io`` ``NooBaa``): with no ``externalPgSecret`` ("a secret with a url to an
  extrenal Postgres DB to be used") the operator runs the system's database, "which contains
  system config, buckets, objects meta-data and mapping file parts to storage locations"
  (https://github.com/noobaa/noobaa-operator/blob/2583ea7a60e646ccd38e9580baa63d2b8e314634/pkg/apis/noobaa/v1alpha1/noobaa_types.go),
  on a claim of ``dbSpec.dbMinVolumeSize`` or ``DefaultDBVolumeSize`` 50Gi
  (https://github.com/noobaa/noobaa-operator/blob/2583ea7a60e646ccd38e9580baa63d2b8e314634/pkg/system/db_reconciler.go,
  ``pkg/options/options.go``); ``dbVolumeResources`` overrides the claim's size.
- Spinnaker (``spinnaker.io`` ``SpinnakerService``, Armory's operator, which renders the
  services with Halyard): Halyard deploys Spinnaker's own Redis, ``spin-redis`` of image
  ``redis:6.2`` (https://github.com/spinnaker/halyard/blob/23e66d693c0b5072059e2fb0792d93d723e85192/halyard-deploy/src/main/java/com/netflix/spinnaker/halyard/deploy/spinnaker/v1/service/distributed/kubernetes/v2/KubernetesV2RedisService.java),
  with no volume unless its service settings list ``kubernetes.volumes``
  (``kubernetes/manifests/podSpec.yml`` there), and skips it for an external Redis named by the
  settings' ``overrideBaseUrl`` or ``skipLifeCycleManagement``, or when ``enabled`` is false
  (``ServiceSettings.java`` there). That Redis is Orca's execution repository, the running and
  past pipelines ("By default, Orca ... uses Redis as its backing store"), unless Orca's profile
  turns its SQL store on (``sql.enabled`` in ``spec.spinnakerConfig.profiles.orca``,
  https://docs.armory.io/spinnaker-install-admin-guides/orca-sql/); the application and
  pipeline definitions are in ``persistentStorage`` (a bucket outside the estate). The operator
  reads ``service-settings`` and ``profiles`` from ``spec.spinnakerConfig``
  (https://github.com/armory/spinnaker-operator/blob/d92e68045855fd44396a2239d877599179d40fbc/doc/options.md).
- Red Hat Trusted Artifact Signer (``rhtas.redhat.com``): the umbrella ``Securesign`` makes
  Fulcio, Rekor, Trillian, TUF, a CT log and a timestamp authority, and its ``Trillian``
  (``spec.trillian`` of a ``Securesign``) keeps the transparency logs' Merkle trees in a MySQL
  database the operator creates unless told of another: ``database.create`` defaults to true,
  on the claim ``trillian-mysql`` of ``database.pvc.size`` (``5Gi`` by default) or the claim
  ``pvc.name`` names (``TrillianDB.SetDefaults``, ``Pvc.SetDefaults``,
  https://github.com/securesign/secure-sign-operator/blob/c4848fb3a95d1d27af7375fab3b2254c9d359cfc/api/v1/trillian_defaults.go,
  ``api/v1/common_defaults.go`` and ``internal/controller/trillian/actions/constants.go``
  there). With ``create: false`` the log is in the database ``database.uri`` reaches.
- Syndesis (``syndesis.io`` ``Syndesis``): the operator's templates run PostgreSQL
  ``syndesis-db`` with its data directory on the claim ``syndesis-db``, where the integrations,
  connections and extensions are kept, at ``components.database.resources.volumeCapacity``, 1Gi
  in the defaults (``Database: {URL: postgresql://syndesis-db:5432/syndesis, Resources:
  {VolumeCapacity: 1Gi}}`` in the operator's generator tests, which render the claim
  ``syndesis-db`` from ``./database/`` and none of the database's when ``ExternalDbURL`` is
  set; the template is
  https://github.com/syndesisio/syndesis/blob/be29cceb4527dc85014c1b0550443e158561e33c/install/operator/pkg/generator/assets/database/syndesis-db.yml.tmpl);
  an ``externalDbURL`` puts them in a database outside the resource.
- Konveyor Tackle (``tackle.konveyor.io`` ``Tackle``, an Ansible operator): an empty spec takes
  the role's defaults, the hub's database ``hub.db`` on a 5Gi claim at ``/database`` (the
  application inventory) and its buckets on a 100Gi claim, Pathfinder's and Keycloak's
  PostgreSQL on 1Gi claims (``hub_database_volume_size: "5Gi"``,
  https://github.com/konveyor/tackle2-operator/blob/d7bcb630c3d0d9401b1c633ca3cbfe96aa73bde3/roles/tackle/defaults/main.yml);
  a spec field of the same name (the operator's variables, in snake case) sizes the claim.
- Firebolt (``compute.firebolt.io`` ``FireboltInstance``): "If omitted, the operator deploys an
  internal PostgreSQL StatefulSet" for ``spec.metadata.postgres``, the metadata service's
  database of accounts, engines and table definitions
  (https://github.com/firebolt-db/firebolt-kubernetes-operator/blob/580b37f702825e39d6ac2eb2101d8f2d7c4e61c7/docs/crd-reference/instance-crd-reference.mdx),
  on the claim template ``data`` of ``PostgresPVCSize = "10Gi"``
  (https://github.com/firebolt-db/firebolt-kubernetes-operator/blob/958c7967b8e19782c482c0220324c4ff49de4d38/internal/controller/constants.go).
  A ``postgres.host`` names an external server.
- k0smotron (``k0smotron.io`` ``Cluster``): a hosted Kubernetes control plane keeps every API
  object of its cluster in the storage backend ``spec.storage.type``, ``etcd`` by default, an
  etcd StatefulSet on a claim of ``storage.etcd.persistence.size`` ("Default: 1Gi") in
  ``storageClass`` ("If empty, the default storage class is used"); ``kine`` keeps them in the
  database ``kine.dataSourceURL`` reaches, and ``nats`` in an embedded JetStream on the claim
  ``storage.nats.persistence`` sizes the same way
  (https://github.com/k0sproject/k0smotron/blob/154ce357b9164f3a8f2d5dec555aa5af4d7e69e3/api/k0smotron.io/v1beta2/k0smotroncluster_types.go).
- 3scale API Management (``apps.3scale.net`` ``APIManager``): the system's file storage, where
  the files uploaded to the admin and developer portals go, is a claim unless S3 is chosen
  ("Only one of the fields can be chosen. If no field is specified then PVC is used",
  ``FileStorageSpec``,
  https://github.com/3scale/3scale-operator/blob/de2fb00501f99b53123dd9ba9c02bfd09d2a6793/doc/apimanager-reference.md):
  the ReadWriteMany claim ``system-storage`` mounted at ``/opt/system/public/system``, 100Mi by
  default (``pkg/3scale/amp/component/system.go`` and ``system_options.go`` there). With
  ``simpleStorageService`` (or the deprecated ``amazonSimpleStorageService``) the uploads are in
  a bucket outside the estate, and what stays is searchd's index on its 1Gi claim at
  ``/var/lib/searchd`` (``system_searchd.go``, ``system_searchd_options_provider.go``), an index
  of the system database's records.
- Operator Metering (``metering.openshift.io`` ``MeteringConfig``): the Hive metastore keeps
  its table metadata "in a local embedded Derby database in a PersistentVolume attached to the
  pod", the claim ``hive-metastore-db-data``
  (https://github.com/kube-reporting/metering-operator/blob/0d7ecfb5f9ca4603990bb264eae4d998da0e1060/Documentation/configuring-hive-metastore.md),
  unless ``spec.hive.spec.config.db.url`` names another database (a Derby URL by default,
  ``charts/openshift-metering/values.yaml`` there, with the claim's ``size: 5Gi``). The collected
  metrics and report results are in the storage ``spec.storage.hive`` names: a bucket (S3,
  Azure, GCS) outside the estate, the claim a ``sharedPVC`` creates, or, with
  ``unsupportedFeatures.enableHDFS``, the HDFS namenode's and datanodes' claims of
  ``spec.hadoop.spec.hdfs.{namenode,datanode}.storage.size`` (5Gi by default,
  ``Documentation/configuring-hdfs.md`` and the values there).
- The Visitors Site of the book "Kubernetes Operators" (``app.jxlwqq.github.io``
  ``VisitorsApp``, jxlwqq's port): the operator runs the Deployment ``mysql`` of ``mysql:5.7``
  with database ``visitors`` and no volume at all, so the recorded visits are in the container's
  layer, lost with the pod (``mysqlDeployment``,
  https://github.com/jxlwqq/visitors-operator/blob/90a873725fefe9fc221b618acc731e9972c6e50e/controllers/database.go);
  the spec has no storage field. Its pods are labelled ``visitorssite_cr`` with the resource's
  name (``labels``, ``controllers/visitorsapp_controller.go`` there).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_BACKSTAGE = "https://github.com/redhat-developer/rhdh-operator/blob/c0cb1c92235d2aced931044c3c732156635f77f1/docs/external-db.md"
_QUAY = "https://github.com/quay/quay-operator/blob/328d8864f528a87c2f6cdc3022058e42a546aa9b/docs/components.md"
_INSTANCE = "app.kubernetes.io/instance"
_MICROCKS = "https://github.com/microcks/microcks-operator/blob/3885a84cd8e1a270e10398b67cb8e69fce2e0c04/api/src/main/java/io/github/microcks/operator/api/base/v1alpha1/MongoDBSpec.java"
_SPINNAKER = "https://github.com/armory/spinnaker-operator/blob/d92e68045855fd44396a2239d877599179d40fbc/doc/options.md"
_SPINNAKER_SERVICES = ("gate", "deck", "orca", "front50", "clouddriver", "echo", "igor", "rosco",
                       "fiat", "kayenta", "redis")  # fmt: skip
_NOOBAA = "https://github.com/noobaa/noobaa-operator/blob/2583ea7a60e646ccd38e9580baa63d2b8e314634/pkg/apis/noobaa/v1alpha1/noobaa_types.go"
_TRILLIAN = "https://github.com/securesign/secure-sign-operator/blob/c4848fb3a95d1d27af7375fab3b2254c9d359cfc/api/v1/trillian_defaults.go"


def _claim(size: str, storage_class: Any = None) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
    }
    if isinstance(storage_class, str) and storage_class:
        claim["storageClassName"] = storage_class
    return claim


def _backstage(body: Mapping[str, Any]) -> list[Storage]:
    if dig(body, "spec", "database", "enableLocalDb") is False:
        return []  # the external database its Secret names, kept outside the resource
    text = "the local PostgreSQL's claim template data (enableLocalDb, true by default)"
    return [Storage("/spec/database", _claim("1Gi"), text)]


def _quay(body: Mapping[str, Any]) -> list[Storage]:
    components = [as_map(c) for c in as_list(dig(body, "spec", "components"))]
    postgres = next((c for c in components if c.get("kind") == "postgres"), {})
    if postgres.get("managed") is False:
        return []  # the database the config bundle names, kept outside the resource
    claim = _claim("50Gi", dig(postgres, "overrides", "storageClassName"))
    text = "the managed PostgreSQL's claim (repositories, tags, users; managed by default)"
    return [Storage("/spec/components", claim, text)]


# Microcks's managed stores: (spec field, what it keeps, default claim size).
_MICROCKS_STORES = (
    ("mongodb", "MongoDB's claim <name>-mongodb (APIs, mocks, test results)", "2Gi"),
    ("keycloak", "Keycloak's PostgreSQL claim <name>-keycloak-postgresql (realm, users)", "1Gi"),
)


def _microcks(body: Mapping[str, Any]) -> list[Storage]:
    found = []
    for field, text, size in _MICROCKS_STORES:
        store = as_map(dig(body, "spec", field))
        if store.get("install") is False or store.get("enabled") is False:
            continue  # an existing instance its ``uri`` or ``url`` names, outside the resource
        path = f"/spec/{field}"
        if store.get("persistent") is False:
            found.append(Storage(path, None, f"{field} not persistent: an emptyDir"))
            continue
        claim = _claim(str(store.get("volumeSize") or size), store.get("storageClassName"))
        found.append(Storage(path, claim, f"{text}, installed and persistent by default"))
    return found


def _noobaa(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(dig(body, "spec"))
    if spec.get("externalPgSecret"):
        return []  # the external PostgreSQL its Secret's URL names, kept outside the resource
    size = (
        dig(spec, "dbVolumeResources", "requests", "storage")
        or dig(spec, "dbSpec", "dbMinVolumeSize")
        or "50Gi"
    )
    claim = _claim(str(size), spec.get("dbStorageClass"))
    text = "the system database's claim (buckets, object metadata; run by the operator by default)"
    return [Storage("/spec/dbSpec", claim, text)]


def _trillian_database(database: Mapping[str, Any], path: str) -> list[Storage]:
    """The MySQL database a Trillian keeps its logs in, created by the operator by default."""
    if database.get("create") is False:
        return []  # the database its uri reaches, kept outside the resource
    pvc = as_map(database.get("pvc"))
    claim = _claim(str(pvc.get("size") or "5Gi"), pvc.get("storageClass"))
    where = f"claim {pvc['name']}" if pvc.get("name") else "claim trillian-mysql"
    text = f"Trillian's MySQL on the {where} (the logs' Merkle trees; created by default)"
    return [Storage(path, claim, text)]


def _securesign(body: Mapping[str, Any]) -> list[Storage]:
    database = as_map(dig(body, "spec", "trillian", "database"))
    return _trillian_database(database, "/spec/trillian/database")


def _trillian(body: Mapping[str, Any]) -> list[Storage]:
    return _trillian_database(as_map(dig(body, "spec", "database")), "/spec/database")


def _spinnaker(body: Mapping[str, Any]) -> list[Storage]:
    config = as_map(dig(body, "spec", "spinnakerConfig"))
    redis = as_map(dig(config, "service-settings", "redis"))
    external = redis.get("overrideBaseUrl") or redis.get("skipLifeCycleManagement") is True
    if external or redis.get("enabled") is False:
        return []  # an external Redis, kept outside the resource
    if dig(config, "profiles", "orca", "sql", "enabled") is True:
        return []  # Orca keeps its executions in SQL; the Redis holds what is rebuilt
    path = "/spec/spinnakerConfig/service-settings/redis"
    if as_list(dig(redis, "kubernetes", "volumes")):
        return [Storage(path, {}, "spin-redis volumes from its service settings")]
    text = "the Redis Halyard deploys (spin-redis, no volume) keeps Orca's pipeline executions"
    return [Storage(path, None, text)]


_SYNDESIS = "https://github.com/syndesisio/syndesis/blob/be29cceb4527dc85014c1b0550443e158561e33c/install/operator/pkg/generator/assets/database/syndesis-db.yml.tmpl"
_TACKLE = "https://github.com/konveyor/tackle2-operator/blob/d7bcb630c3d0d9401b1c633ca3cbfe96aa73bde3/roles/tackle/defaults/main.yml"
_FIREBOLT = "https://github.com/firebolt-db/firebolt-kubernetes-operator/blob/580b37f702825e39d6ac2eb2101d8f2d7c4e61c7/docs/crd-reference/instance-crd-reference.mdx"
_K0SMOTRON = "https://github.com/k0sproject/k0smotron/blob/154ce357b9164f3a8f2d5dec555aa5af4d7e69e3/api/k0smotron.io/v1beta2/k0smotroncluster_types.go"


def _syndesis(body: Mapping[str, Any]) -> list[Storage]:
    database = as_map(dig(body, "spec", "components", "database"))
    if database.get("externalDbURL"):
        return []  # the external database its URL names, kept outside the resource
    size = dig(database, "resources", "volumeCapacity") or "1Gi"
    text = "PostgreSQL syndesis-db's claim (integrations, connections; run by the operator)"
    return [Storage("/spec/components/database", _claim(str(size)), text)]


# Tackle's claims by default: (the role's variable, what it keeps, its default size).
_TACKLE_CLAIMS = (
    ("hub_database_volume_size", "the hub's database hub.db (applications inventory)", "5Gi"),
    ("hub_bucket_volume_size", "the hub's buckets (analysis files)", "100Gi"),
    ("pathfinder_database_data_volume_size", "Pathfinder's PostgreSQL (assessments)", "1Gi"),
)


def _tackle(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    return [
        Storage(f"/spec/{field}", _claim(str(spec.get(field) or size)), f"{text} on its claim")
        for field, text, size in _TACKLE_CLAIMS
    ]


def _firebolt(body: Mapping[str, Any]) -> list[Storage]:
    if dig(body, "spec", "metadata", "postgres", "host"):
        return []  # the external PostgreSQL it names, kept outside the resource
    text = "the internal PostgreSQL's claim data (the metadata service's database)"
    return [Storage("/spec/metadata", _claim("10Gi"), text)]


def _k0smotron(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    backend = str(storage.get("type") or "etcd")
    if backend not in ("etcd", "nats"):
        return []  # kine: the database its dataSourceURL reaches keeps the cluster's objects
    persistence = as_map(dig(storage, backend, "persistence"))
    claim = _claim(str(persistence.get("size") or "1Gi"), persistence.get("storageClass"))
    text = f"the hosted cluster's {backend} on a claim (storage.type {backend})"
    return [Storage(f"/spec/storage/{backend}/persistence", claim, text)]


_THREESCALE = "https://github.com/3scale/3scale-operator/blob/de2fb00501f99b53123dd9ba9c02bfd09d2a6793/doc/apimanager-reference.md"
_THREESCALE_S3 = ("simpleStorageService", "amazonSimpleStorageService")


def _threescale_s3(body: Mapping[str, Any]) -> bool:
    storage = as_map(dig(body, "spec", "system", "fileStorage"))
    return any(storage.get(field) for field in _THREESCALE_S3)


def _threescale(body: Mapping[str, Any]) -> list[Storage]:
    system = as_map(dig(body, "spec", "system"))
    if _threescale_s3(body):
        pvc = as_map(dig(system, "searchdSpec", "persistentVolumeClaim"))
        size = str(dig(pvc, "resources", "requests", "storage") or "1Gi")
        text = "searchd's index on its claim at /var/lib/searchd (the uploads in S3)"
        claim = _claim(size, pvc.get("storageClassName"))
        return [Storage("/spec/system/searchdSpec", claim, text)]
    pvc = as_map(dig(system, "fileStorage", "persistentVolumeClaim"))
    size = str(dig(pvc, "resources", "requests", "storage") or "100Mi")
    claim = _claim(size, pvc.get("storageClassName"))
    claim["accessModes"] = ["ReadWriteMany"]
    text = "the claim system-storage at /opt/system/public/system (files uploaded to the portals)"
    return [Storage("/spec/system/fileStorage", claim, text)]


def _threescale_rebuilt(body: Mapping[str, Any]) -> str:
    # With S3 the only claim is searchd's, an index of the system database's records.
    return "searchd's index, built from the system database" if _threescale_s3(body) else ""


_METERING = "https://github.com/kube-reporting/metering-operator/blob/0d7ecfb5f9ca4603990bb264eae4d998da0e1060/Documentation/configuring-hive-metastore.md"


_VISITORS = "https://github.com/jxlwqq/visitors-operator/blob/90a873725fefe9fc221b618acc731e9972c6e50e/controllers/database.go"


def _visitors(body: Mapping[str, Any]) -> list[Storage]:
    text = "the operator's MySQL Deployment mysql, no volume: the visits in its container layer"
    return [Storage("/spec", None, text)]


def _metering_claim(path: str, storage: Any, text: str) -> Storage:
    storage = as_map(storage)
    return Storage(path, _claim(str(storage.get("size") or "5Gi"), storage.get("class")), text)


def _metering(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    found = []
    url = str(dig(spec, "hive", "spec", "config", "db", "url") or "jdbc:derby:")
    if url.startswith("jdbc:derby:"):
        metastore = dig(spec, "hive", "spec", "metastore", "storage")
        text = "the Hive metastore's Derby on the claim hive-metastore-db-data (table metadata)"
        found.append(_metering_claim("/spec/hive/spec/metastore/storage", metastore, text))
    hive = as_map(dig(spec, "storage", "hive"))
    if hive.get("type") == "sharedPVC":
        shared = as_map(hive.get("sharedPVC"))
        if shared.get("createPVC") is not False:
            text = f"the claim {shared.get('claimName')} (collected metrics, report results)"
            storage = {"size": shared.get("size"), "class": shared.get("storageClass")}
            found.append(_metering_claim("/spec/storage/hive/sharedPVC", storage, text))
    hdfs = dig(spec, "unsupportedFeatures", "enableHDFS") is True and hive.get("type") == "hdfs"
    for node in ("namenode", "datanode") if hdfs else ():
        storage = dig(spec, "hadoop", "spec", "hdfs", node, "storage")
        text = f"the HDFS {node}'s claim (collected metrics, report results)"
        found.append(_metering_claim(f"/spec/hadoop/spec/hdfs/{node}/storage", storage, text))
    return found


for _family in (
    *(Family(OperatorKind(group, "Backstage", ("spec", "application", "replicas"), _INSTANCE),
             "application", _backstage, _BACKSTAGE,
             services=lambda name, body: [f"backstage-{name}", f"backstage-psql-{name}"])
      for group in ("rhdh.redhat.com", "janus-idp.io")),
    Family(OperatorKind("quay.redhat.com", "QuayRegistry", (), _INSTANCE), "registry", _quay,
           _QUAY),
    Family(OperatorKind("microcks.io", "Microcks", ("spec", "microcks", "replicas"), "app"),
           "application", _microcks, _MICROCKS,
           services=lambda name, body: [name, f"{name}-mongodb", f"{name}-keycloak",
                                        f"{name}-keycloak-postgresql"]),
    Family(OperatorKind("noobaa.io", "NooBaa", (), "noobaa-core"), "objects", _noobaa, _NOOBAA,
           services=lambda name, body: ["s3", f"{name}-mgmt", f"{name}-db"]),
    # Halyard labels every pod app.kubernetes.io/part-of: spinnaker, the resource's documented
    # name, and names each Service spin-<service> (kubernetes/manifests/deployment.yml there).
    Family(OperatorKind("spinnaker.io", "SpinnakerService", (), "app.kubernetes.io/part-of"),
           "delivery platform", _spinnaker, _SPINNAKER,
           services=lambda name, body: [f"spin-{s}" for s in _SPINNAKER_SERVICES]),
    # The operator labels every pod app.kubernetes.io/instance with the resource's name and
    # names the Services for the components (internal/labels/labels.go, */actions/constants.go).
    Family(OperatorKind("rhtas.redhat.com", "Securesign", (), _INSTANCE), "transparency log",
           _securesign, _TRILLIAN,
           services=lambda name, body: ["trillian-logserver", "trillian-mysql", "rekor-server",
                                        "fulcio-server", "tuf", "ctlog"]),
    Family(OperatorKind("rhtas.redhat.com", "Trillian", (), _INSTANCE), "transparency log",
           _trillian, _TRILLIAN,
           services=lambda name, body: ["trillian-logserver", "trillian-mysql"]),
    Family(OperatorKind("syndesis.io", "Syndesis", (), "syndesis.io/app"), "application",
           _syndesis, _SYNDESIS, services=lambda name, body: ["syndesis-db", "syndesis-server"]),
    Family(OperatorKind("tackle.konveyor.io", "Tackle", (), "app.kubernetes.io/part-of"),
           "application", _tackle, _TACKLE,
           services=lambda name, body: ["tackle-hub", "tackle-ui"]),
    Family(OperatorKind("compute.firebolt.io", "FireboltInstance", (), _INSTANCE), "database",
           _firebolt, _FIREBOLT),
    Family(OperatorKind("k0smotron.io", "Cluster", ("spec", "replicas"), _INSTANCE),
           "control plane", _k0smotron, _K0SMOTRON,
           services=lambda name, body: [f"kmc-{name}", f"kmc-{name}-etcd"]),
    # The operator labels the pods ``app`` with ``spec.appLabel`` ("3scale-api-management"),
    # not with the resource's name; the Services are named for the components (system.go).
    Family(OperatorKind("apps.3scale.net", "APIManager", (), "app"), "application", _threescale,
           _THREESCALE, rebuilt_by=_threescale_rebuilt,
           services=lambda name, body: ["system-provider", "system-developer", "system-master",
                                        "system-searchd", "backend-listener", "zync"]),
    # The operator's charts label the pods ``app`` for the component (hive-metastore,
    # hdfs-namenode), not with the resource's name.
    Family(OperatorKind("metering.openshift.io", "MeteringConfig", (), "app"), "reporting",
           _metering, _METERING),
    Family(OperatorKind("app.jxlwqq.github.io", "VisitorsApp", ("spec", "size"), "visitorssite_cr"),
           "application", _visitors, _VISITORS, services=lambda name, body: ["mysql-svc"]),
):  # fmt: skip
    register_family(_family)
