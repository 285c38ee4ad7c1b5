"""References between resources of kinds the audit has never seen: object references that say
their kind, wherever they sit in a spec (:func:`stateward.analysis.audit.custom.kinded_references`),
and Secrets a custom resource's controller writes for it, named by others
(:mod:`stateward.analysis.audit.written_secrets`). The kinds and groups are made up, except where
the class is a project's own (a Rollout's ``workloadRef``)."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, custom_resource, deployment

API = "acme.example.io/v1"
LAKE = custom_resource(API, "Lake", "spec: {datanode: {replicas: 3}}", "lake")


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _secret_volume(secret: str) -> str:
    return f"volumes: [{{name: tls, secret: {{secretName: {secret}}}}}]"


def _env_secret(secret: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: app}}}}
  template:
    metadata: {{labels: {{app: app}}}}
    spec:
      containers:
        - name: c
          image: 'acme/app:1'
          envFrom: [{{secretRef: {{name: {secret}}}}}]
"""


KINDED_SPECS = [
    # a list of steps, each naming what it runs by kind (three levels down)
    "spec: {image: 'acme/tool:1', stages: [{steps: [{run: {kind: Lake, name: lake}}]}]}",
    # a reference qualified by its group, under a field named for nothing in particular
    "spec: {image: 'acme/tool:1', target: {apiGroup: acme.example.io, kind: Lake, name: lake}}",
]


@pytest.mark.parametrize("spec", KINDED_SPECS)
def test_an_object_reference_saying_its_kind_is_an_edge_wherever_it_sits(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{
        "lake.yaml": LAKE,
        "other.yaml": custom_resource(API, "Pond", "spec: {datanode: {replicas: 1}}", "lake"),
        "tool.yaml": custom_resource(API, "Tool", spec, "tool"),
    })  # fmt: skip
    by_name = {c.id: c for c in report.components}
    tool = next(c for c in report.components if c.name == "tool")
    # the Lake, not the Pond of the same name: the reference says the kind
    assert [by_name[d].kind for d in tool.depends_on] == ["Lake"]


def test_a_rollout_running_the_pods_of_a_workload_it_references_depends_on_it(
    audit_files: Auditor,
) -> None:
    # Argo Rollouts: "workloadRef ... the Rollout will use the pod template of the referenced
    # Deployment" (https://argo-rollouts.readthedocs.io/en/stable/features/specification/)
    rollout = custom_resource(
        "argoproj.io/v1alpha1", "Rollout",
        "spec: {replicas: 5, workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}}",
        "web",
    )  # fmt: skip
    report = audit_files(**{"d.yaml": deployment("web"), "r.yaml": rollout})
    components = report.components
    made = next(c for c in components if c.kind == "Rollout")
    template = next(c for c in components if c.kind == "Deployment")
    assert made.depends_on == (template.id,)
    assert str(made.loss) == "none"


CERTIFICATE = """apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web-cert, namespace: ns}
spec:
  secretName: web-tls
  dnsNames: [web.ns.svc]
  commonName: lake-root
  issuerRef: {kind: ClusterIssuer, name: root}
"""
ISSUER = "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: root}\nspec: {selfSigned: {}}\n"


def test_a_workload_mounting_a_secret_a_certificate_writes_depends_on_it_and_it_on_its_issuer(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "c.yaml": CERTIFICATE, "i.yaml": ISSUER, "lake.yaml": LAKE,
        "d.yaml": deployment("web", _secret_volume("web-tls")),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["web"].depends_on == (by_name["web-cert"].id,)
    # its issuer, named by kind, and not the Lake its commonName begins like
    assert by_name["web-cert"].depends_on == (by_name["root"].id,)
    assert str(by_name["web-cert"].loss) == "none"


def test_a_custom_resource_naming_a_secret_another_writes_depends_on_the_writer(
    audit_files: Auditor,
) -> None:
    server = custom_resource(
        API, "Lake", "spec: {datanode: {replicas: 3}, tls: {serverCertSecret: {name: web-tls}}}",
        "lake",
    )  # fmt: skip
    # an issuer reading the CA a certificate writes: ``ca: {secretName: …}``
    ca_issuer = (
        "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: ca, namespace: ns}\n"
        "spec: {ca: {secretName: ca-tls}}\n"
    )
    leaf = CERTIFICATE.replace("{kind: ClusterIssuer, name: root}", "{kind: Issuer, name: ca}")
    root = CERTIFICATE.replace("web-cert", "ca-cert").replace("web-tls", "ca-tls")
    report = audit_files(**{
        "lake.yaml": server, "leaf.yaml": leaf, "ca.yaml": ca_issuer, "root.yaml": root,
        "i.yaml": ISSUER,
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["lake"].depends_on == (by_name["web-cert"].id,)
    assert by_name["web-cert"].depends_on == (by_name["ca"].id,)
    assert by_name["ca"].depends_on == (by_name["ca-cert"].id,)
    assert by_name["ca-cert"].depends_on == (by_name["root"].id,)


WRITERS = [
    # External Secrets: ``target.name``
    ("external-secrets.io/v1beta1", "ExternalSecret", "spec: {target: {name: creds}}", "pull"),
    # ... and, naming none, a Secret of its own name; so does a SealedSecret
    ("external-secrets.io/v1beta1", "ExternalSecret", "spec: {refreshInterval: 1h}", "creds"),
    ("bitnami.com/v1alpha1", "SealedSecret", "spec: {encryptedData: {password: AgB}}", "creds"),
    # Crossplane: any managed resource's ``writeConnectionSecretToRef``
    (API, "Bucket", "spec: {writeConnectionSecretToRef: {name: creds, namespace: ns}}", "b"),
]


@pytest.mark.parametrize(("api", "kind", "spec", "name"), WRITERS)
def test_a_workload_taking_its_environment_from_a_written_secret_depends_on_the_writer(
    audit_files: Auditor, api: str, kind: str, spec: str, name: str
) -> None:
    report = audit_files(**{
        "w.yaml": custom_resource(api, kind, spec, name), "d.yaml": _env_secret("creds"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["app"].depends_on == (by_name[name].id,)


def test_a_secret_the_estate_declares_is_read_not_written(audit_files: Auditor) -> None:
    # a bare ``secretName`` naming a Secret of the estate: the resource reads it
    declared = "apiVersion: v1\nkind: Secret\nmetadata: {name: web-tls, namespace: ns}\ndata: {}\n"
    report = audit_files(**{
        "c.yaml": CERTIFICATE, "i.yaml": ISSUER, "s.yaml": declared,
        "d.yaml": deployment("web", _secret_volume("web-tls")),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["web"].depends_on == ()
    assert "web-cert" not in by_name


def test_a_secret_written_in_another_namespace_is_not_the_one_named(audit_files: Auditor) -> None:
    elsewhere = CERTIFICATE.replace("namespace: ns", "namespace: other")
    report = audit_files(**{
        "c.yaml": elsewhere, "i.yaml": ISSUER,
        "d.yaml": deployment("web", _secret_volume("web-tls")),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["web"].depends_on == ()
    assert "web-cert" not in by_name


def test_a_workload_whose_manifest_names_no_namespace_may_be_the_one_referenced(
    audit_files: Auditor,
) -> None:
    # a kustomization applies the Deployment into the Canary's namespace at ``apply -n`` time
    canary = custom_resource(
        "flagger.app/v1beta1", "Canary",
        "spec: {targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, "
        "service: {port: 9898}}",
        "web",
    )  # fmt: skip
    placed_by_none = deployment("web").replace("namespace: ns", "labels: {tier: web}")
    report = audit_files(**{"c.yaml": canary, "d.yaml": placed_by_none})
    made = next(c for c in report.components if c.kind == "Canary")
    target = next(c for c in report.components if c.kind == "Deployment")
    assert target.namespace == "default"
    assert made.depends_on == (target.id,)


def test_a_workload_placed_in_another_namespace_is_not_the_one_referenced(
    audit_files: Auditor,
) -> None:
    canary = custom_resource(
        "flagger.app/v1beta1", "Canary",
        "spec: {targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}", "web",
    )  # fmt: skip
    elsewhere = deployment("web").replace("namespace: ns", "namespace: other")
    report = audit_files(**{"c.yaml": canary, "d.yaml": elsewhere})
    made = next(c for c in report.components if c.kind == "Canary")
    assert made.depends_on == ()


def _marked(kind: str, name: str, mark: str, spec: str = "spec: {}") -> str:
    return (
        f"apiVersion: {API}\nkind: {kind}\n"
        f"metadata: {{name: {name}, namespace: ns, annotations: {{{mark}}}}}\n{spec}\n"
    )


@pytest.mark.parametrize(
    ("mark", "linked"),
    [
        ("'acme.example.io/instance': lake", True),  # the group's own domain
        ("'example.io/cluster': lake", True),  # the domain the group is a part of
        ("'other.example.org/instance': lake", False),  # another project's mark
        ("'app.kubernetes.io/instance': lake", False),  # Kubernetes' recommended labels
    ],
)
def test_a_mark_keyed_by_its_groups_domain_names_the_resource_it_belongs_to(
    audit_files: Auditor, mark: str, linked: bool
) -> None:
    hub = custom_resource(API, "Lake", "spec: {version: 1.2.0}", "lake")
    run = _marked("LakeTest", "t1", mark, "spec: {testEndpoint: 'http://api:3001'}")
    source = _marked("LakeImport", "i1", mark, "spec: {artifacts: [{main: true}]}")
    report = audit_files(**{"h.yaml": hub, "t.yaml": run, "s.yaml": source})
    by_name = _by_name(report)
    if linked:
        assert by_name["t1"].depends_on == by_name["i1"].depends_on == (by_name["lake"].id,)
    else:
        assert set(by_name) == {"t1"} and by_name["t1"].depends_on == ()


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        # a secret kept in a remote service (StreamNative Cloud's ``Secret``), not a Secret made here
        ("resource.streamnative.io/v1alpha1", "Secret", "spec: {type: Opaque, data: {k: v}}"),
        # a resource that reads a Secret to push it away
        ("external-secrets.io/v1alpha1", "PushSecret", "spec: {refreshInterval: 1h}"),
    ],
)
def test_a_kind_only_named_like_a_secret_writer_writes_none(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{
        "w.yaml": custom_resource(api, kind, spec, "creds"), "d.yaml": _env_secret("creds"),
    })  # fmt: skip
    assert _by_name(report)["app"].depends_on == ()


@pytest.mark.parametrize(
    ("items", "edge"),
    [
        ("[{name: base}]", True),
        ("[base]", True),
        ("[{name: base, namespace: ns}]", True),
        ("[{name: base, namespace: elsewhere}]", False),  # another namespace's, not this one
        ("[]", False),
    ],
)
def test_a_depends_on_list_names_resources_of_the_resources_own_kind(
    audit_files: Auditor, items: str, edge: bool
) -> None:
    base = custom_resource("deploy.example.io/v1", "Rollup", "spec: {interval: 1h}", "base")
    apps = custom_resource(
        "deploy.example.io/v1", "Rollup", f"spec: {{interval: 1h, dependsOn: {items}}}", "apps"
    )
    report = audit_files(**{"base.yaml": base, "apps.yaml": apps})
    components = _by_name(report)
    depends = components["apps"].depends_on if "apps" in components else ()
    assert bool(depends) is edge
    if edge:
        assert depends == (components["base"].id,)


_MOUNTING = """apiVersion: apps/v1
kind: Deployment
metadata: {name: db, NS}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c, image: 'acme/db:1', volumeMounts: [{name: d, mountPath: /data}]}]
      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""


@pytest.mark.parametrize("field", ["sourcePVC", "destinationPVC", "sourceClaimName"])
@pytest.mark.parametrize("namespace", ["ns", ""])  # or placed at ``kubectl apply -n`` time
def test_a_claim_a_resource_copies_is_the_data_of_the_workload_mounting_it(
    audit_files: Auditor, field: str, namespace: str
) -> None:
    mounting = _MOUNTING.replace("NS", f"namespace: {namespace}" if namespace else "")
    spec = f"spec: {{{field}: data, trigger: {{schedule: '@daily'}}}}"
    copier = custom_resource("copy.example.io/v1", "Replicator", spec)
    report = audit_files(**{"db.yaml": mounting, "copy.yaml": copier})
    components = _by_name(report)
    assert str(components["x"].loss) == "none"
    assert "CUSTOM_RESOURCE_STORAGE" not in {
        f.rule for f in report.findings if f.component == components["x"].id
    }
    assert components["x"].depends_on == (components["db"].id,)


_ROLLOUT = """apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: ns}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: 'acme/web:1', ports: [{containerPort: 8080}]}]
  strategy:
    canary:
      steps:
        - setWeight: 25
        - analysis:
            templates: [{templateName: rate}, {templateName: smoke, clusterScope: true}]
"""
_TEMPLATES = """apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: rate, namespace: ns}
spec: {metrics: [{name: m, provider: {job: {spec: {template: {spec: {}}}}}}]}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata: {name: smoke}
spec: {metrics: [{name: m, provider: {job: {spec: {template: {spec: {}}}}}}]}
"""


def test_a_rollout_running_its_own_pods_depends_on_the_analysis_templates_it_names(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"rollout.yaml": _ROLLOUT, "templates.yaml": _TEMPLATES})
    components = _by_name(report)
    named = {report_id.split("/")[0] for report_id in components["web"].depends_on}
    assert named == {"k8s:AnalysisTemplate", "k8s:ClusterAnalysisTemplate"}


_PLACED_SERVICE = """apiVersion: v1
kind: Service
metadata: {name: tester}
spec: {selector: {app: tester}, ports: [{port: 80, targetPort: 8080}]}
"""


@pytest.mark.parametrize(("manifest_namespace", "edge"), [("", True), ("other", False)])
def test_a_service_whose_manifest_names_no_namespace_answers_an_address_in_any(
    audit_files: Auditor, manifest_namespace: str, edge: bool
) -> None:
    tester = deployment("tester", image="acme/tester:1")
    service = _PLACED_SERVICE
    if manifest_namespace:
        service = service.replace(
            "name: tester}", f"name: tester, namespace: {manifest_namespace}}}"
        )
    tester = tester.replace(
        "namespace: ns", f"namespace: {manifest_namespace}" if manifest_namespace else ""
    )
    spec = "spec: {analysis: {webhooks: [{name: load, url: 'http://tester.test/'}]}}"
    canary = custom_resource("flagger.example.io/v1", "Canary", spec).replace("ns}", "test}")
    report = audit_files(**{"t.yaml": tester, "s.yaml": service, "c.yaml": canary})
    components = _by_name(report)
    assert (components["tester"].id in components["x"].depends_on) is edge


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        # a field named for the kind, in the mappings a list of the spec's holds
        ("spec: {datanode: {replicas: 3}, config: {auth: [{gatekeeper: keepers}]}}", True),
        # a list deeper than the spec's second level is not read (pod templates sit there)
        ("spec: {datanode: {replicas: 3}, a: {b: {c: [{gatekeeper: keepers}]}}}", False),
    ],
)
def test_a_field_named_for_a_kind_in_a_listed_mapping_names_that_resource(
    audit_files: Auditor, spec: str, named: bool
) -> None:
    report = audit_files(**{
        "lake.yaml": custom_resource(API, "Lake", spec, "lake"),
        "keepers.yaml": custom_resource(API, "Gatekeeper", "spec: {users: {secret: s}}", "keepers"),
    })  # fmt: skip
    by_name = _by_name(report)
    lake, keepers = by_name["lake"], by_name.get("keepers")
    assert (keepers is not None and keepers.id in lake.depends_on) is named
