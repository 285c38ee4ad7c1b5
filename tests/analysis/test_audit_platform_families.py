"""Operator families whose resource stands for a whole platform the operator deploys with its
own database or storage (Syndesis, Konveyor Tackle, Firebolt, k0smotron, 3scale's APIManager,
Metering: :mod:`.app_operators`), Chia's DataLayer (:mod:`.operator_defaults`), and the peers
Chia's resources name: a full node by ``fullNodePeer``, the certificate authority by the Secret
it writes."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of


def _cr(api: str, kind: str, spec: str, name: str = "x") -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}}}\nspec: {spec}\n"


@pytest.mark.parametrize(("api", "kind", "spec", "said"), [
    ("syndesis.io/v1beta3", "Syndesis", "{addons: {jaeger: {enabled: true}}}", "syndesis-db"),
    ("tackle.konveyor.io/v1alpha1", "Tackle", "{}", "hub.db"),
    ("compute.firebolt.io/v1alpha1", "FireboltInstance", "{metadata: {}, gateway: {}}",
     "internal PostgreSQL"),
    ("k0smotron.io/v1beta2", "Cluster", "{storage: {type: etcd, etcd: {persistence: {}}}}",
     "etcd"),
    ("k0smotron.io/v1beta2", "Cluster", "{}", "etcd"),  # etcd is the default backend
])  # fmt: skip
def test_a_platform_with_its_own_database_by_default_holds_data_on_claims(
    audit_files: Auditor, api: str, kind: str, spec: str, said: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) != "data"  # on the operator's claims: kept by a replacement
    assert said in component.explanation


@pytest.mark.parametrize(("api", "kind", "spec"), [
    ("syndesis.io/v1beta3", "Syndesis",
     "{components: {database: {externalDbURL: 'postgresql://db.example.org/s'}}}"),
    ("compute.firebolt.io/v1alpha1", "FireboltInstance",
     "{metadata: {postgres: {host: pg.example.org, database: fb}}}"),
    ("k0smotron.io/v1beta2", "Cluster",
     "{storage: {type: kine, kine: {dataSourceURL: 'postgres://pg.example.org/k0s'}}}"),
])  # fmt: skip
def test_a_platform_told_of_an_external_database_keeps_none_of_its_own(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)


def test_a_k0smotron_cluster_sizes_its_etcd_claim_from_its_persistence(
    audit_files: Auditor,
) -> None:
    spec = "{storage: {etcd: {persistence: {size: 7Gi, storageClass: fast}}}}"
    report = audit_files(**{"cr.yaml": _cr("k0smotron.io/v1beta2", "Cluster", spec)})
    assert any("7Gi" in f.message for f in report.findings)


_CHIA = "k8s.chia.net/v1"
_CA = _cr(_CHIA, "ChiaCA", "{secret: chiaca-secret}", "chiaca")
_NODE = _cr(_CHIA, "ChiaNode", "{chia: {caSecretName: chiaca-secret, testnet: true}, storage: "
            "{chiaRoot: {persistentVolumeClaim: {storageClass: standard, resourceRequest: 250Gi}}}}",
            "node")  # fmt: skip
_FARMER = _cr(
    _CHIA,
    "ChiaFarmer",
    "{chia: {caSecretName: chiaca-secret, fullNodePeer: "
    "'node-node.chia.svc.cluster.local:58444', secretKey: {name: key}}}",
    "farmer",
)


def test_chia_resources_reach_their_full_node_and_the_authority_writing_their_secret(
    audit_files: Auditor,
) -> None:
    """The farmer names its full node's Service (``<node>-node``, in the namespace it is
    applied to, not named in the manifests) and the Secret the ChiaCA writes; the node is a
    copy of the chain, synced again from its peers."""
    report = audit_files(**{"ca.yaml": _CA, "node.yaml": _NODE, "farmer.yaml": _FARMER})
    by_name = {c.name: c for c in report.components}
    assert set(by_name["farmer"].depends_on) == {by_name["node"].id, by_name["chiaca"].id}
    assert by_name["chiaca"].id in by_name["node"].depends_on
    assert by_name["node"].lifecycle is Lifecycle.EPHEMERAL_WITH_WARM_UP
    # a peer field holding no port is no address: the farmer names no peer, and stays quiet
    alone = _FARMER.replace(":58444", "")
    report = audit_files(**{"ca.yaml": _CA, "node.yaml": _NODE, "farmer.yaml": alone})
    assert "farmer" not in {c.name for c in report.components}


def test_a_chia_datalayer_keeps_its_stores_in_the_pod_unless_given_storage(
    audit_files: Auditor,
) -> None:
    spec = "{chia: {caSecretName: chiaca-secret}, dataLayerHTTP: {enabled: true}}"
    report = audit_files(**{"dl.yaml": _cr(_CHIA, "ChiaDataLayer", spec)})
    (component,) = report.components
    assert (component.lifecycle, str(component.loss)) == (Lifecycle.PERSISTENT, "data")
    kept = spec[:-1] + ", storage: {chiaRoot: {persistentVolumeClaim: {resourceRequest: 5Gi}}}}"
    (component,) = audit_files(**{"dl.yaml": _cr(_CHIA, "ChiaDataLayer", kept)}).components
    assert component.lifecycle is Lifecycle.PERSISTENT and str(component.loss) != "data"


_APIMANAGER = "apps.3scale.net/v1alpha1"


@pytest.mark.parametrize("spec", [
    "{wildcardDomain: example.com}",  # no fileStorage: the claim system-storage
    "{wildcardDomain: example.com, system: {fileStorage: {persistentVolumeClaim: "
    "{storageClassName: nfs}}}}",
])  # fmt: skip
def test_an_apimanager_keeps_the_portals_uploads_on_its_shared_claim(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(_APIMANAGER, "APIManager", spec)})
    (component,) = report.components
    # ReadWriteMany for the system pods, made by the operator: still this resource's data.
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert "system-storage" in component.explanation
    assert "RWX" in component.explanation


def test_an_apimanager_with_s3_file_storage_keeps_only_its_search_index(
    audit_files: Auditor,
) -> None:
    spec = "{system: {fileStorage: {simpleStorageService: {configurationSecretRef: {name: s}}}}}"
    report = audit_files(**{"cr.yaml": _cr(_APIMANAGER, "APIManager", spec)})
    (component,) = report.components
    assert component.lifecycle is not Lifecycle.PERSISTENT
    assert str(component.loss) == "rebuildable"
    assert "searchd" in component.explanation


def test_a_shared_claim_an_operator_is_only_named_stays_context(audit_files: Auditor) -> None:
    # Beside the claim an operator makes: etcd's pvcName names a ReadWriteMany claim that exists
    # already, which other workloads may write; its access mode still decides.
    spec = "{size: 3, storageSpec: {accessModes: ReadWriteMany, pvcName: shared}}"
    report = audit_files(**{"cr.yaml": _cr("operator.etcd.io/v1alpha1", "EtcdCluster", spec)})
    (component,) = report.components
    assert "OPERATOR_CLAIMS" in rules_of(report)  # found, but as context
    assert str(component.lifecycle) == "ephemeral-safe"


_METERING = "metering.openshift.io/v1"


@pytest.mark.parametrize(("spec", "said"), [
    ("{storage: {type: hive, hive: {type: s3, s3: {bucket: b}}}}", "hive-metastore-db-data"),
    ("{unsupportedFeatures: {enableHDFS: true}, storage: {type: hive, hive: {type: hdfs}}, "
     "hadoop: {spec: {hdfs: {datanode: {storage: {size: 20Gi}}}}}}", "datanode's claim (collected "
     "metrics, report results) 20Gi"),
    ("{storage: {type: hive, hive: {type: sharedPVC, sharedPVC: {claimName: nfs}}}}",
     "the claim nfs"),
])  # fmt: skip
def test_metering_keeps_its_metastore_and_reports_on_claims(
    audit_files: Auditor, spec: str, said: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(_METERING, "MeteringConfig", spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert any(said in f.message for f in report.findings)


def test_metering_with_an_external_metastore_and_bucket_keeps_nothing(
    audit_files: Auditor,
) -> None:
    spec = ("{storage: {type: hive, hive: {type: s3, s3: {bucket: b}}}, hive: {spec: {config: "
            "{db: {url: 'jdbc:postgresql://pg.example.org/hive'}}}}}")  # fmt: skip
    report = audit_files(**{"cr.yaml": _cr(_METERING, "MeteringConfig", spec)})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)


def test_the_visitors_site_keeps_its_visits_in_a_database_with_no_volume(
    audit_files: Auditor,
) -> None:
    """The book's Visitors Site operator runs MySQL with no volume: the visits are lost with
    the pod. The same kind in another API group is no resource the audit knows."""
    report = audit_files(**{"cr.yaml": _cr("app.jxlwqq.github.io/v1alpha1", "VisitorsApp",
                                           "{size: 1, title: Hello}")})  # fmt: skip
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) == "data"  # in the container layer: lost on replacement
    assert "OPERATOR_EPHEMERAL" in rules_of(report)
    other = audit_files(**{"cr.yaml": _cr("example.org/v1", "VisitorsApp", "{size: 1}")})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in other.components)
