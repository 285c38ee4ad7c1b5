"""Operator kinds the audit has never seen, read by what their specs say in general terms
(:mod:`stateward.analysis.audit.custom`, :mod:`stateward.analysis.audit.dependencies`): the
backend a store is kept in, a store filled from others, a claim named for storage or as a peer's,
the resources a spec names by a ``<kind>Name`` or ``<kind>Ref`` field (in any namespace a
manifest leaves open, and by the names operators derive from their resources), the members a
spec runs and the addresses their environment names. The kinds and groups here are made up: no
family is registered for them."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit, Lifecycle

from .conftest import Auditor, deployment
from .conftest import custom_resource as _cr

API = "acme.example.io/v1"


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _claimed_cluster(name: str, component: str) -> str:
    """A cluster of one member group with its claim template (KubeBlocks' shape)."""
    return _cr(API, "Cluster", f"spec: {{componentSpecs: [{{name: {component}, replicas: 2, "
               "volumeClaimTemplates: [{name: data, spec: {resources: {requests: "
               "{storage: 20Gi}}}}]}]}", name)  # fmt: skip


def test_a_store_kept_in_files_holds_data_and_one_kept_in_memory_loses_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "f.yaml": _cr(API, "Feed", "spec: {subjects: ['orders.*'], storage: file}", "disk"),
        "m.yaml": _cr(API, "Feed", "spec: {subjects: ['orders.*'], storage: memory}", "mem"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["disk"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["disk"].loss) == "none"  # on the server's disk: kept
    assert str(by_name["mem"].loss) == "data"


def test_a_store_filled_from_others_it_names_holds_a_copy(audit_files: Auditor) -> None:
    report = audit_files(**{
        "a.yaml": _cr(API, "Feed", "spec: {storage: file, mirror: {name: upstream}}", "mirror"),
        "b.yaml": _cr(API, "Feed", "spec: {storage: file, sources: [{name: a}, {name: b}]}", "agg"),
        "c.yaml": _cr(API, "Feed", "spec: {storage: file, subjects: [x], sources: [{name: a}]}",
                      "own"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["mirror"].loss) == "rebuildable"
    assert str(by_name["agg"].loss) == "rebuildable"
    assert by_name["own"].lifecycle is Lifecycle.PERSISTENT  # takes messages of its own too
    assert str(by_name["own"].loss) == "none"


def test_a_claim_named_for_storage_is_the_resources_and_one_named_elsewhere_a_peers(
    audit_files: Auditor,
) -> None:
    registry = _cr(API, "Registry", "spec: {blobStorage: {filesystem: {claimName: blobs}}}", "reg")
    restore = _cr(API, "Recovery", "spec: {snapshot: s1, target: {folder: {claimName: site}}}",
                  "rec")  # fmt: skip
    site = deployment("site", image="wordpress:6").replace(
        "image: 'wordpress:6'", "image: 'wordpress:6'\n          volumeMounts: "
        "[{name: d, mountPath: /var/www/html}]\n      volumes: [{name: d, "
        "persistentVolumeClaim: {claimName: site}}]")  # fmt: skip
    report = audit_files(**{"r.yaml": registry, "x.yaml": restore, "s.yaml": site})
    by_name = _by_name(report)
    assert by_name["reg"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["rec"].lifecycle) == "ephemeral-safe"
    assert by_name["rec"].depends_on == (by_name["site"].id,)


def test_a_field_named_for_a_kind_names_that_resource(audit_files: Auditor) -> None:
    report = audit_files(**{
        "f.yaml": _cr(API, "Feed", "spec: {storage: file}", "orders"),
        "r.yaml": _cr(API, "Reader", "spec: {feedName: orders, ackPolicy: explicit}", "r"),
        "n.yaml": _cr(API, "AcmeSpace", "spec: {clusterRef: {name: orders}}", "space"),
        "s.yaml": _cr(API, "AcmeTimer", "spec: {spaceRef: {name: space}, every: 1s}", "t"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["r"].depends_on == (by_name["orders"].id,)
    assert str(by_name["r"].loss) == "none"
    # ``spaceRef`` names the kind without its product's prefix (an AcmeSpace).
    assert by_name["t"].depends_on == (by_name["space"].id,)
    assert by_name["orders"].gravity > by_name["r"].gravity


def test_a_listed_field_names_its_kind_but_not_a_secret(audit_files: Auditor) -> None:
    waiter = "spec: {dependencies: [{name: d, feedName: orders, passwordSecretName: pw}]}"
    report = audit_files(**{
        "f.yaml": _cr(API, "Feed", "spec: {storage: file}", "orders"),
        "w.yaml": _cr(API, "Waiter", waiter, "w"),
        "p.yaml": _cr(API, "Feed", "spec: {storage: file}", "pw"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["w"].depends_on == (by_name["orders"].id,)


def test_a_peer_whose_manifest_names_no_namespace_is_found_from_another(
    audit_files: Auditor,
) -> None:
    cluster = (f"apiVersion: {API}\nkind: BrokerCluster\nmetadata: {{name: kafka}}\n"
               "spec: {brokers: {replicas: 3, storage: {size: 10Gi}}}\n")  # fmt: skip
    topic = (f"apiVersion: {API}\nkind: Topic\nmetadata: {{name: t, namespace: kafka}}\n"
             "spec: {clusterRef: {name: kafka}, partitions: 3}\n")  # fmt: skip
    report = audit_files(**{"c.yaml": cluster, "t.yaml": topic})
    by_name = _by_name(report)
    assert by_name["t"].depends_on == (by_name["kafka"].id,)


def test_a_name_an_operator_derives_from_a_resource_is_that_resources(
    audit_files: Auditor,
) -> None:
    database = _claimed_cluster("pg-main", "pg")
    backup = _cr("backup.example.io/v1", "Backup", "spec: {backupMethod: basebackup, "
                 "backupPolicyName: pg-main-postgresql-backup-policy}", "b1")  # fmt: skip
    report = audit_files(**{"d.yaml": database, "b.yaml": backup})
    by_name = _by_name(report)
    assert by_name["b1"].depends_on == (by_name["pg-main"].id,)
    assert by_name["pg-main"].gravity > by_name["b1"].gravity


def test_members_a_spec_runs_reach_the_addresses_of_their_environment(
    audit_files: Auditor,
) -> None:
    store = _claimed_cluster("objects", "minio")
    engine = _cr(API, "Cluster", "spec: {componentSpecs: [{name: compute, replicas: 1, env: "
                 "[{name: STORE_ENDPOINT, value: 'objects-minio.ns.svc.cluster.local:9000'}]}]}",
                 "engine")  # fmt: skip
    report = audit_files(**{"s.yaml": store, "e.yaml": engine})
    by_name = _by_name(report)
    assert by_name["engine"].depends_on == (by_name["objects"].id,)
    assert str(by_name["engine"].loss) == "none"
    assert by_name["objects"].gravity > by_name["engine"].gravity


def test_a_connect_address_names_the_database_it_uses(audit_files: Auditor) -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: mysql, namespace: ns}\nspec: {selector: {app: mysql}}\n"
    engine = _cr(API, "WorkflowEngine", "spec: {persistence: {defaultStore: {sql: "
                 "{connectAddr: 'mysql.ns:3306'}}}}", "wf")  # fmt: skip
    report = audit_files(**{
        "m.yaml": deployment("mysql", image="mysql:8"), "s.yaml": service, "w.yaml": engine,
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["wf"].depends_on == (by_name["mysql"].id,)
    assert by_name["mysql"].gravity > by_name["wf"].gravity


def test_fields_naming_what_a_resource_makes_or_mounts_name_no_peer(audit_files: Auditor) -> None:
    report = audit_files(**{
        "a.yaml": _cr(API, "Badge", "spec: {commonName: a, displayName: b, secretName: c, "
                      "templateRef: {name: t}, serviceAccountName: sa}"),
    })  # fmt: skip
    assert report.components == ()


def test_a_resource_a_component_names_by_kind_is_a_component_for_that_edge(
    audit_files: Auditor,
) -> None:
    registry = _cr(API, "Registry", "spec: {blobStorage: {filesystem: {claimName: blobs}}, "
                   "core: {tokenIssuer: {name: token, kind: Issuer}}}", "reg")  # fmt: skip
    issuer = _cr("cert-manager.io/v1", "Issuer", "spec: {selfSigned: {}}", "token")
    unused = _cr("cert-manager.io/v1", "Issuer", "spec: {selfSigned: {}}", "unused")
    report = audit_files(**{"r.yaml": registry, "i.yaml": issuer, "u.yaml": unused})
    by_name = _by_name(report)
    assert set(by_name) == {"reg", "token"}  # an Issuer nothing names stays quiet
    assert by_name["reg"].depends_on == (by_name["token"].id,)
    assert by_name["reg"].gravity > by_name["token"].gravity


def test_an_application_named_by_kind_or_image_keeps_its_users_data(audit_files: Auditor) -> None:
    report = audit_files(**{
        "n.yaml": _cr(API, "Nextcloud", "spec: {replicas: 1, hostname: cloud.example}", "cloud"),
        "g.yaml": _cr(API, "CodeForge", "spec: {server: {containers: [{name: app, image: "
                      "'gitea/gitea:1.21'}]}}", "forge"),  # fmt: skip
        "b.yaml": _cr(API, "CodeForge", "spec: {image: 'busybox:1'}", "plain"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["cloud"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["forge"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["plain"].lifecycle) == "ephemeral-safe"


def test_a_volume_imported_from_a_url_holds_a_copy_and_an_upload_its_own_data(
    audit_files: Auditor,
) -> None:
    """A disk filled from what a URL serves (CDI's ``source: {http: {url}}``) is imported again
    from it; one filled by an upload, or blank, holds what only its writers have."""
    size = "storage: {resources: {requests: {storage: 1Gi}}}"
    report = audit_files(**{
        "a.yaml": _cr(API, "Disk", f"spec: {{source: {{http: {{url: 'https://img.example/d.img'}}}}, {size}}}", "http"),
        "b.yaml": _cr(API, "Disk", f"spec: {{source: {{registry: {{url: 'docker://example/disk'}}}}, {size}}}", "reg"),
        "c.yaml": _cr(API, "Disk", f"spec: {{source: {{upload: {{}}}}, {size}}}", "upload"),
        "d.yaml": _cr(API, "Disk", f"spec: {{source: {{blank: {{}}}}, {size}}}", "blank"),
        "e.yaml": _cr(API, "Disk", f"spec: {{source: {{http: {{url: 'file:///d.img'}}}}, {size}}}", "local"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["http"].loss) == "rebuildable"
    assert str(by_name["reg"].loss) == "rebuildable"
    for name in ("upload", "blank", "local"):
        assert by_name[name].lifecycle is Lifecycle.PERSISTENT, name


def test_services_a_pipeline_runs_each_by_its_own_spec_depend_on_the_caches_they_name(
    audit_files: Auditor,
) -> None:
    """NIM's ``NIMPipeline`` shape: each listed service counts its replicas in its own spec and
    names the model cache it reads by a field spelled as the cache's kind."""
    cache = _cr(API, "ModelCache", "spec: {storage: {pvc: {create: true, size: 50Gi}}}", "llm")
    services = (
        "spec: {{services: [{{name: llm, enabled: true, spec: {{image: {{repository: "
        "example/llm}}, {replicas}storage: {{modelCache: {{name: llm}}}}}}}}]}}"
    )
    pipeline = _cr(API, "Pipeline", services.format(replicas="replicas: 1, "), "rag")
    by_name = _by_name(audit_files(**{"c.yaml": cache, "p.yaml": pipeline}))
    assert by_name["rag"].depends_on == (by_name["llm"].id,)
    # with no replicas counted, the list says nothing of pods the operator runs
    counted_none = _cr(API, "Pipeline", services.format(replicas=""), "rag")
    assert "rag" not in _by_name(audit_files(**{"c.yaml": cache, "p.yaml": counted_none}))
