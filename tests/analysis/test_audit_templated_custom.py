"""Custom resources of no known family that run pods from a ``spec.template`` pod template
(:func:`stateward.analysis.audit.custom.custom_pod_spec`), as Zalando's ``ElasticsearchDataSet``
does through the StatefulSet its operator makes of it. The ``acme`` kind is made up."""

from __future__ import annotations

import zlib

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit
from stateward.analysis.audit.custom import custom_pod_spec
from stateward.model.encoded import DeflatedBody, EncodedBody
from stateward.model.resource import Origin, Resource, ResourceKey, made

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

ACME = "search.acme.example.io/v1"
_POD = (
    "{{containers: [{{name: es, image: '{image}', volumeMounts: [{{name: data, "
    "mountPath: /usr/share/elasticsearch/data}}]}}], volumes: [{{name: data, emptyDir: {{}}}}]}}"
)


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _data_set(image: str, kind: str = "DataSet", api: str = ACME) -> str:
    pod = _POD.format(image=image)
    spec = f"spec: {{replicas: 1, template: {{metadata: {{labels: {{role: data}}}}, spec: {pod}}}}}"
    return _cr(api, kind, spec, "data")


def test_a_pod_template_of_a_search_engine_on_an_emptydir_loses_its_index(
    audit_files: Auditor,
) -> None:
    report = audit_files(
        **{"d.yaml": _data_set("docker.elastic.co/elasticsearch/elasticsearch-oss:7.0.0")}
    )
    data = _by_name(report)["data"]
    assert str(data.loss) == "data"
    assert "DATA_ON_EPHEMERAL" in rules_of(report, data.name)


def test_a_pod_template_of_a_stateless_image_holds_nothing(audit_files: Auditor) -> None:
    report = audit_files(**{"d.yaml": _data_set("nginx:1.27")})
    assert str(_by_name(report)["data"].loss) == "none"


def test_a_template_without_containers_runs_no_pod(audit_files: Auditor) -> None:
    spec = "spec: {template: {metadata: {labels: {a: b}}, spec: {repository: acme/app}}}"
    report = audit_files(**{"r.yaml": _cr(ACME, "RunnerSet", spec, "runners")})
    assert "runners" not in _by_name(report)


def test_reading_a_kind_for_a_template_keeps_no_body_decoded() -> None:
    # every custom resource of an unknown kind is asked; kept decoded, their bodies were all
    # held to the audit's end
    body = {"apiVersion": ACME, "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 3}}
    key = ResourceKey("search.acme.example.io", "Widget", "", "w")
    resource = Resource.of(key, body, Origin("manifests", "w.yaml:1"), encoded=True)
    assert isinstance(resource.body, EncodedBody)
    resource.body.release()  # as a scan leaves it once read
    assert custom_pod_spec(resource) is None
    assert resource.body._decoded is None


def test_a_built_in_kind_is_not_read_for_a_template() -> None:
    # a Service's body is never inflated to look for one: these bytes are no zlib stream, and
    # the same body under a custom kind is read (and fails to inflate)
    origin = Origin("manifests", "s.yaml:1")
    service = made(
        ResourceKey("", "Service", "default", "s"), DeflatedBody(b"?", 1), origin, b"", ""
    )
    assert custom_pod_spec(service) is None
    widget = made(
        ResourceKey("acme.example.io", "Widget", "", "w"), DeflatedBody(b"?", 1), origin, b"", ""
    )
    with pytest.raises(zlib.error):
        custom_pod_spec(widget)


def test_a_templated_resource_depends_on_the_cluster_it_names_outside_its_template(
    audit_files: Auditor,
) -> None:
    """A Restate-like ``AppDeployment`` registered with the cluster its ``register.cluster``
    names; naming none, it depends on nothing."""
    # of another API group: not the one cluster of its own group it would be made in
    storage = "spec: {storage: {size: 2Gi}}"
    cluster = _cr("runtime.example.dev/v1", "AppCluster", storage, "c1")
    # it serves (a port): no background worker read beside the state of its directory
    pod = "{containers: [{name: app, image: 'example/app:1', ports: [{containerPort: 9080}]}]}"
    spec = "spec: {{restate: {{register: {{cluster: c1}}}}, template: {{spec: {pod}}}}}"
    deployment = _cr(ACME, "AppDeployment", spec.format(pod=pod), "app")
    report = audit_files(**{"c.yaml": cluster, "d.yaml": deployment})
    by_name = _by_name(report)
    assert by_name["app"].depends_on == (by_name["c1"].id,)
    alone = _cr(ACME, "AppDeployment", f"spec: {{template: {{spec: {pod}}}}}", "app")
    report = audit_files(**{"c.yaml": cluster, "d.yaml": alone})
    assert _by_name(report)["app"].depends_on == ()
