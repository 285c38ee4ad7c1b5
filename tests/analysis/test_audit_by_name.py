"""Dependencies made by name (:mod:`stateward.analysis.audit.by_name`): an operator's Secrets a
pod mounts, injection annotations, ConfigMaps a controller reads by name, credentials shared
with a server. Without them each client below depends on nothing."""

from __future__ import annotations

from .conftest import Auditor, deployment
from .conftest import custom_resource as _cr

CRDB = _cr("crdb.cockroachlabs.com/v1alpha1", "CrdbCluster", "spec: {nodes: 3, dataStore: {pvc: "
           "{spec: {resources: {requests: {storage: 6Gi}}}}}}", "crdb")  # fmt: skip


def _by_name(report):  # type: ignore[no-untyped-def]
    return {c.name: c for c in report.components}


def test_a_pod_mounting_the_certificates_an_operator_writes_depends_on_its_cluster(
    audit_files: Auditor,
) -> None:
    pod = ("volumes: [{name: certs, projected: {sources: [{secret: {name: crdb-node}}, "
           "{secret: {name: crdb-root}}]}}]")  # fmt: skip
    report = audit_files(**{"db.yaml": CRDB, "client.yaml": deployment("client", pod)})
    by_name = _by_name(report)
    assert by_name["client"].depends_on == (by_name["crdb"].id,)


def test_a_secret_volume_of_no_operator_makes_no_edge(audit_files: Auditor) -> None:
    pod = "volumes: [{name: certs, secret: {secretName: other-node}}]"
    report = audit_files(**{"db.yaml": CRDB, "client.yaml": deployment("client", pod)})
    assert _by_name(report)["client"].depends_on == ()


def test_an_injection_annotation_names_the_jaeger_it_reports_to(audit_files: Auditor) -> None:
    report = audit_files(**{
        "j.yaml": _cr("jaegertracing.io/v1", "Jaeger", "spec: {strategy: allInOne}", "prod")
        + "---\n" + _cr("jaegertracing.io/v1", "Jaeger", "spec: {strategy: allInOne}", "other"),
        "app.yaml": deployment("app", "", annotations="{sidecar.jaegertracing.io/inject: prod}"),
        "quiet.yaml": deployment("quiet", "", annotations="{sidecar.jaegertracing.io/inject: 'false'}"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["app"].depends_on == (by_name["prod"].id,)
    assert by_name["quiet"].depends_on == ()


CONFIG = """apiVersion: v1
kind: ConfigMap
metadata: {name: workflow-controller-configmap, namespace: ns}
data:
  persistence: |
    postgresql:
      host: pg
      port: 5432
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: pg, namespace: ns}
spec: {selector: {app: pg}, ports: [{port: 5432}]}
"""


def test_a_controller_reads_its_configmap_by_name(audit_files: Auditor) -> None:
    report = audit_files(**{
        "cm.yaml": CONFIG,
        "svc.yaml": SERVICE,
        "pg.yaml": deployment("pg", "", "postgres:16"),
        "ctl.yaml": deployment("workflow-controller", "", "quay.io/argoproj/workflow-controller:v3"),
        "srv.yaml": deployment("argo-server", "", "quay.io/argoproj/argocli:v3"),
        "other.yaml": deployment("other", "", "example/other:1"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["workflow-controller"].depends_on == (by_name["pg"].id,)
    assert by_name["argo-server"].depends_on == (by_name["pg"].id,)
    assert by_name["other"].depends_on == ()


def test_a_configmap_named_on_the_command_line_is_read(audit_files: Auditor) -> None:
    controller = deployment("ctl", "", "example/ctl:1").replace(
        "image: 'example/ctl:1'", "image: 'example/ctl:1'\n          args: ['--configmap=workflow-controller-configmap']"
    )  # fmt: skip
    report = audit_files(**{
        "cm.yaml": CONFIG, "svc.yaml": SERVICE, "pg.yaml": deployment("pg", "", "postgres:16"),
        "ctl.yaml": controller,
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["ctl"].depends_on == (by_name["pg"].id,)


def test_a_client_logging_in_with_a_servers_credentials_depends_on_it(
    audit_files: Auditor,
) -> None:
    server = deployment(
        "objects",
        "volumes: [{name: d, persistentVolumeClaim: {claimName: objects}}]",
        "minio/minio:latest",
    ).replace(
        "image: 'minio/minio:latest'",
        "image: 'minio/minio:latest'\n          envFrom: [{secretRef: {name: admin}}]\n"
        "          args: [server, /data]\n"
        "          volumeMounts: [{name: d, mountPath: /data}]",
    )
    client = deployment("ui", "", "example/ui:1").replace(
        "image: 'example/ui:1'",
        "image: 'example/ui:1'\n          env: [{name: ACCESS_KEY, valueFrom: {secretKeyRef: "
        "{name: admin, key: accesskey}}}, {name: COLOUR, valueFrom: {secretKeyRef: "
        "{name: theme, key: colour}}}]",
    )
    report = audit_files(**{"s.yaml": server, "c.yaml": client})
    by_name = _by_name(report)
    assert by_name["ui"].depends_on == (by_name["objects"].id,)
    assert by_name["objects"].depends_on == ()


def test_a_client_mounting_a_servers_password_file_depends_on_it(audit_files: Auditor) -> None:
    """A Secret named for a password, mounted by the store (its start script reads it for
    ``--requirepass``) and by another pod, makes that pod its client; one named only "secret"
    (what most Secrets are called) makes none."""
    volumes = (
        "volumes: [{name: d, persistentVolumeClaim: {claimName: data}}, "
        "{name: p, secret: {secretName: store-passwd}}, {name: s, secret: {secretName: app-secret}}]"
    )
    mounts = "volumeMounts: [{name: d, mountPath: /data}, {name: p, mountPath: /etc/passwd-dir}]"
    server = deployment("store", volumes, "redis:7", container=mounts)
    front = deployment(
        "front", "volumes: [{name: p, secret: {secretName: store-passwd}}]", "example/front:1"
    )
    other = deployment(
        "other", "volumes: [{name: s, secret: {secretName: app-secret}}]", "example/other:1"
    )
    report = audit_files(**{"s.yaml": server, "f.yaml": front, "o.yaml": other})
    by_name = _by_name(report)
    assert by_name["front"].depends_on == (by_name["store"].id,)
    assert by_name["other"].depends_on == ()
    assert by_name["store"].depends_on == ()


def test_a_service_named_from_an_unknown_operators_resource_reaches_it(
    audit_files: Auditor,
) -> None:
    store = _cr("db.example.com/v1", "PgCluster", "spec: {instances: 2, storage: {size: 5Gi}}",
                "orders")  # fmt: skip
    prefixed = _cr("db.example.com/v1", "KvStore", "spec: {volumeClaimTemplate: {spec: "
                   "{resources: {requests: {storage: 1Gi}}}}}", "cache")  # fmt: skip
    app = deployment("app", "").replace(
        "image: 'busybox:1'",
        "image: 'busybox:1'\n          env: [{name: DATABASE_URL, value: "
        "'postgres://u@orders-primary:5432/app'}, {name: KV_HOST, value: 'kv-cache'}, "
        "{name: OTHER_HOST, value: 'unrelated-primary'}]",
    )
    report = audit_files(**{"s.yaml": store, "k.yaml": prefixed, "app.yaml": app})
    by_name = _by_name(report)
    assert set(by_name["app"].depends_on) == {by_name["orders"].id, by_name["cache"].id}


def test_an_operator_resource_reaches_the_services_its_spec_addresses(audit_files: Auditor) -> None:
    prometheus = _cr("monitoring.coreos.com/v1", "Prometheus", "spec: {replicas: 1, remoteWrite: "
                     "[{url: 'http://vmsingle-longterm.ns.svc:8429/api/v1/write'}]}", "prom")  # fmt: skip
    stored = _cr("operator.victoriametrics.com/v1beta1", "VMSingle", "spec: {}", "longterm")
    exposed = _cr("db.example.com/v1", "PgCluster", "spec: {storage: {size: 1Gi}, ingress: "
                  "{host: app}, externalUrl: 'https://app.example.com'}", "exposed")  # fmt: skip
    app = "apiVersion: v1\nkind: Service\nmetadata: {name: app, namespace: ns}\nspec: {selector: {app: app}}\n"
    report = audit_files(**{
        "p.yaml": prometheus, "v.yaml": stored, "e.yaml": exposed, "svc.yaml": app,
        "app.yaml": deployment("app"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["prom"].depends_on == (by_name["longterm"].id,)
    assert by_name["exposed"].depends_on == ()


def test_a_cronjob_keeping_a_claim_is_no_server_of_those_sharing_its_api_key(
    audit_files: Auditor,
) -> None:
    """A CronJob that keeps a claim and reads an API key from the application's Secret is no
    server the application logs in to (its pods run and leave); a long-running store configured
    from the same Secret still is."""
    key = "env: [{name: API_TOKEN, valueFrom: {secretKeyRef: {name: app-creds, key: API_TOKEN}}}]"
    notifier = f"""apiVersion: batch/v1
kind: CronJob
metadata: {{name: notifier, namespace: ns}}
spec:
  schedule: "0 */4 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          volumes: [{{name: d, persistentVolumeClaim: {{claimName: sent}}}}]
          containers:
            - name: c
              image: example/notifier:1
              {key}
              volumeMounts: [{{name: d, mountPath: /data}}]
"""
    store = deployment(
        "store",
        "volumes: [{name: d, persistentVolumeClaim: {claimName: store}}]",
        "example/store:1",
        container=f"{key}\nvolumeMounts: [{{name: d, mountPath: /data}}]",
    )
    app = deployment("app", "", "example/app:1", container=key)
    without = audit_files(**{"n.yaml": notifier, "a.yaml": app})
    assert _by_name(without)["app"].depends_on == ()
    report = audit_files(**{"n.yaml": notifier, "s.yaml": store, "a.yaml": app})
    by_name = _by_name(report)
    assert by_name["app"].depends_on == (by_name["store"].id,)
    assert by_name["notifier"].dependents == ()
