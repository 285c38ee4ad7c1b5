"""Operators whose resources keep records on storage the operator gives them by default: Splunk's
indexers and search heads, Nacos with its embedded database, Feast's offline store, and the
clusters MongoDB Atlas keeps for an ``AtlasDeployment``.

Each is read from the CRD's types or documentation at the commit cited, for its *default*: a
Splunk resource asks for no storage and still gets two claims per pod; a ``Nacos`` that names no
database and enables no volume keeps its records in each member's container; a ``FeatureStore``
keeps only its offline store's files of its own (its registry and online store are made again by
``feast apply`` and materialization).

Registered like a plugin's families (:func:`~stateward.analysis.audit.operators.register_family`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references
from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_map, dig

__all__: list[str] = []

_INSTANCE = "app.kubernetes.io/instance"


def _claim(size: Any) -> dict[str, Any]:
    """A claim template's spec of ``size`` (``{}``: a claim of a size the operator picks)."""
    return {"resources": {"requests": {"storage": str(size)}}} if size else {}


# Splunk Operator: every Splunk Enterprise pod gets two claims, /opt/splunk/etc (10Gi by default)
# and /opt/splunk/var (100Gi: the indexes' buckets), unless ``ephemeralStorage: true`` puts that
# directory on an emptyDir (pkg/splunk/enterprise/configuration.go, getSplunkVolumeClaims and
# DefaultEtcVolumeStorageCapacity/DefaultVarVolumeStorageCapacity in pkg/splunk/common;
# docs/CustomResources.md "Common Spec Parameters"). Indexers keep the indexed events; search
# heads the users' saved searches, dashboards and KV store. A cluster manager's bundle and a
# licence manager's licence come from an app repository and a ConfigMap: they are left to the
# general reading of custom resources. Each names the managers it joins (``clusterManagerRef``,
# ``licenseManagerRef``), read as any custom resource's references.
_SPLUNK = "https://github.com/splunk/splunk-operator/blob/85b1dcca06d9c918a53d739b98954e969ea58904/pkg/splunk/enterprise/configuration.go"
_SPLUNK_VOLUMES = (("etc", "10Gi"), ("var", "100Gi"))


def _splunk(body: Mapping[str, Any]) -> list[Storage]:
    found = []
    for volume, default in _SPLUNK_VOLUMES:
        field = f"{volume}VolumeStorageConfig"
        config = as_map(dig(body, "spec", field))
        where, path = f"/opt/splunk/{volume}", f"/spec/{field}"
        if config.get("ephemeralStorage") is True:
            found.append(Storage(path, None, f"ephemeralStorage: {where} on an emptyDir"))
        else:
            size = config.get("storageCapacity") or default
            found.append(Storage(path, _claim(size), f"{where} on a claim of {size} per pod"))
    return found


# Nacos operator: ``database.type`` picks the embedded database (the default) or MySQL at
# ``mysqlHost``; ``volume: {enabled, requests}`` gives each member a claim for /home/nacos/data,
# where the embedded database is kept (operator/api/v1alpha1/nacos_types.go, and the operator's
# README "database.type: embedded | mysql"). With no volume the records are in the container.
_NACOS = "https://github.com/nacos-group/nacos-k8s/blob/6fe83e32a68b73126b7ad32cd8da96bbfc23a95d/operator/api/v1alpha1/nacos_types.go"


def _nacos(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if str(dig(spec, "database", "type") or "embedded") != "embedded":
        return []  # its records are in the MySQL it names
    volume = as_map(spec.get("volume"))
    if volume.get("enabled") is True:
        size = as_map(volume.get("requests")).get("storage")
        return [Storage("/spec/volume", _claim(size), "embedded database on a claim per member")]
    return [Storage("/spec/volume", None,
                    "embedded database with no volume: /home/nacos/data in each member")]  # fmt: skip


# Feast operator: "ephemeral registry is deployed by default"; the registry (feature definitions,
# applied again from the feature repository) and the online store (materialized again from the
# offline store) are rebuilt. The offline store's ``persistence.file`` (dask or duckdb files) on
# a claim the operator creates (``pvc.create``) or an existing one (``pvc.ref``) holds the
# pushed and logged rows and saved datasets; ``persistence.store`` keeps them in a database
# outside (infra/feast-operator/api/v1/featurestore_types.go; https://docs.feast.dev/getting-started/components/overview).
_FEAST = "https://github.com/feast-dev/feast/blob/f0bc0700be7029166e6605e407de6d229cd1e93e/infra/feast-operator/api/v1/featurestore_types.go"


def _feast(body: Mapping[str, Any]) -> list[Storage]:
    pvc = as_map(dig(body, "spec", "services", "offlineStore", "persistence", "file", "pvc"))
    path = "/spec/services/offlineStore/persistence/file/pvc"
    if "create" in pvc:
        size = dig(pvc, "create", "resources", "requests", "storage")
        return [Storage(path, _claim(size), "offline store files on a claim it creates")]
    if name := dig(pvc, "ref", "name"):
        return [Storage(path, {}, f"offline store files on claim {name}")]
    return []


# MongoDB Atlas Kubernetes Operator: an ``AtlasDeployment`` is a cluster in Atlas (its
# ``deploymentSpec``, a serverless or flex instance), the databases themselves on Atlas's disks
# (as a cloud provider's database server is, :mod:`.cloud`). "As of Atlas Kubernetes Operator
# 2.0, custom resources you delete in Kubernetes are no longer (by default) deleted in Atlas";
# the annotation ``mongodb.com/atlas-resource-policy: delete`` asks for it
# (https://www.mongodb.com/docs/atlas/operator/current/custom-resources/). Its project, users,
# backup schedules and policies are settings made again from their specs. No pods run in the
# cluster.
_ATLAS = "https://github.com/mongodb/mongodb-atlas-kubernetes/blob/3fb4fa5d93d42a99cfb8e81ea8c4d504b232b1a6/api/v1/atlasdeployment_types.go"
_ATLAS_POLICY = "mongodb.com/atlas-resource-policy"


def _atlas(body: Mapping[str, Any]) -> list[Storage]:
    policy = as_map(dig(body, "metadata", "annotations")).get(_ATLAS_POLICY)
    kept = "deleted" if str(policy).lower() == "delete" else "kept in Atlas"
    return [Storage("/spec", {}, f"the Atlas cluster's databases, {kept} with this resource")]


for _family in (
    *(Family(OperatorKind("enterprise.splunk.com", kind, ("spec", "replicas"), _INSTANCE), role,
             _splunk, _SPLUNK, custom_references)
      for kind, role in (("Standalone", "index"), ("IndexerCluster", "index"),
                         ("SearchHeadCluster", "application"))),
    Family(OperatorKind("nacos.io", "Nacos", ("spec", "replicas"), _INSTANCE), "database", _nacos,
           _NACOS),
    Family(OperatorKind("feast.dev", "FeatureStore", (), _INSTANCE), "database", _feast, _FEAST),
    Family(OperatorKind("atlas.mongodb.com", "AtlasDeployment", (), _INSTANCE), "database", _atlas,
           _ATLAS, custom_references, pods=False),
):  # fmt: skip
    register_family(_family)
