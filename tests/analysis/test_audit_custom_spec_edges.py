"""What a custom resource's spec hands its pods to read names its peers: the ``env`` lists
operators pass on, configuration files written inline (Java properties, a YAML block), and
address fields holding a host and port apart; and a StatefulSet's pod is reached by its stable
name ``<statefulset>-<n>.<governing Service>``. Hand-made estates: without these readings none
of the edges below is found."""

from __future__ import annotations

from typing import Any

import pytest

from stateward.analysis.audit.custom import spec_hosts, spec_strings

from .conftest import Auditor, custom_resource, deployment

API = "analytics.example.com/v1"


def _stateful(name: str, image: str = "zookeeper:3.7.0") -> str:
    """A StatefulSet behind its headless governing Service, in namespace ``ns``."""
    return f"""apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: ns}}
spec: {{clusterIP: None, selector: {{app: {name}}}, ports: [{{port: 2181}}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: {name}, namespace: ns}}
spec:
  serviceName: {name}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: c, image: '{image}', ports: [{{containerPort: 2181}}]}}]
"""


PROPERTIES = """spec:
  image: apache/engine:25
  common.runtime.properties: |
    engine.zk.service.host={host}
    engine.metadata.storage.type=derby
    engine.metadata.storage.connector.connectURI=jdbc:derby://localhost:1527/var/meta.db
  nodes:
    brokers: {{replicas: 1, volumeClaimTemplates: [{{spec: {{resources: {{requests: {{storage: 2Gi}}}}}}}}]}}
"""


@pytest.mark.parametrize(
    "host", ["coord-0.coord", "coord-0.coord.ns.svc.cluster.local", "coord-2.coord.ns", "coord"]
)
def test_a_host_in_an_inline_configuration_file_of_the_spec_is_an_edge(
    audit_files: Auditor, host: str
) -> None:
    report = audit_files(**{
        "zk.yaml": _stateful("coord"),
        "other.yaml": _stateful("other"),
        "engine.yaml": custom_resource(API, "Engine", PROPERTIES.format(host=host), "engine"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["engine"].depends_on == (by_name["coord"].id,)


def test_an_env_list_of_the_spec_names_the_database_its_pods_use(audit_files: Auditor) -> None:
    spec = """spec:
  image: engine:1
  env:
    - {name: METADATA_URI, value: 'jdbc:postgresql://meta-db:5432/engine'}
    - {name: LOG_LEVEL, value: info}
"""
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: meta-db, namespace: ns}\nspec: {selector: {app: pg}}\n"
    report = audit_files(**{
        "pg.yaml": deployment("pg", image="postgres:16"), "s.yaml": service,
        "engine.yaml": custom_resource(API, "Engine", spec, "engine"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["engine"].depends_on == (by_name["pg"].id,)


def test_a_pod_of_a_statefulset_named_by_a_workload_is_that_statefulset(
    audit_files: Auditor,
) -> None:
    client = deployment("api").replace(
        "image: 'busybox:1'",
        "image: 'busybox:1'\n          env: [{name: ZK_HOST, value: 'coord-1.coord.ns.svc.cluster.local'}]",
    )  # fmt: skip
    report = audit_files(**{"zk.yaml": _stateful("coord"), "a.yaml": client})
    by_name = {c.name: c for c in report.components}
    assert by_name["api"].depends_on == (by_name["coord"].id,)


def test_an_address_field_with_host_and_port_apart_names_the_resource_of_that_pod(
    audit_files: Auditor,
) -> None:
    storage = "storage: {volumes: [{name: ns, storage: 3Gi}]}"
    source = f"spec: {{size: 1, {storage}, xdr: {{dcs: [{{name: dc1, node-address-ports: ['dst-0-0 3000']}}]}}}}"
    report = audit_files(**{
        "src.yaml": custom_resource(API, "Store", source, "src"),
        "dst.yaml": custom_resource(API, "Store", f"spec: {{size: 1, {storage}}}", "dst"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["src"].depends_on == (by_name["dst"].id,)


@pytest.mark.parametrize(
    "field",
    ["zookeeperService: coord", "zookeeperRef: coord", "zookeeperRef: {name: coord}",
     "coordination-service: coord.ns"],
)  # fmt: skip
def test_a_field_naming_a_peers_service_or_product_reaches_the_workload_behind_it(
    audit_files: Auditor, field: str
) -> None:
    spec = f"spec: {{image: engine:1, {field}}}"
    report = audit_files(**{
        "zk.yaml": _stateful("coord"), "other.yaml": _stateful("other"),
        "engine.yaml": custom_resource(API, "Engine", spec, "engine"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["engine"].depends_on == (by_name["coord"].id,)


@pytest.mark.parametrize(
    ("endpoint", "found"),
    [
        ("coord-0.coord.ns.svc.cluster.local:2379", True),
        ("coord-1.coord.ns.svc:2379", True),
        ("coord-0.coord.example.com:2379", False),  # no .svc suffix: an outside name
        # ``name.namespace`` or a pod behind its governing Service in the same namespace
        ("http://coord-0.coord:2379", True),
        ("http://coord-0.elsewhere:2379", False),  # no Service ``elsewhere`` governs a pod
        ("http://coord.other:2379", False),  # a Service in a namespace not in the estate
    ],
)
def test_an_endpoint_of_a_headless_service_names_the_workload_behind_that_service(
    audit_files: Auditor, endpoint: str, found: bool
) -> None:
    """A record pointing at a store's members by their full DNS names (a ``DataStore`` listing
    ``etcd-0.etcd.ns.svc.cluster.local:2379``), or by the pod's name under its governing
    Service (an ``M3DBCluster``'s ``etcdEndpoints: [http://etcd-0.etcd:2379]``), is that
    store's client."""
    spec = f"spec: {{driver: etcd, endpoints: ['{endpoint}']}}"
    report = audit_files(**{
        "zk.yaml": _stateful("coord"), "other.yaml": _stateful("other"),
        "store.yaml": custom_resource(API, "DataStore", spec, "store"),
    })  # fmt: skip
    by_id = {c.id: c.name for c in report.components}
    reached = {by_id[d] for c in report.components if c.name == "store" for d in c.depends_on}
    assert reached == ({"coord"} if found else set())


@pytest.mark.parametrize(
    ("parameter", "found"),
    [
        ("{name: config_url, value: 'http://coord.ns.svc:8080/services?Action=Get'}", True),
        ("{name: peer_address, value: 'coord:2181'}", True),
        ("{name: log_level, value: coord}", False),  # no address named
    ],
)
def test_a_listed_name_and_value_pair_naming_an_address_is_an_edge(
    audit_files: Auditor, parameter: str, found: bool
) -> None:
    """Operators take their products' parameters as ``{name, value}`` pairs, a container's env
    var's shape (OceanBase's ``parameters: [{name: obconfig_url, value: http://…}]``)."""
    spec = f"spec: {{image: engine:1, storage: {{size: 1Gi}}, parameters: [{parameter}]}}"
    report = audit_files(**{
        "zk.yaml": _stateful("coord"), "other.yaml": _stateful("other"),
        "engine.yaml": custom_resource(API, "Engine", spec, "engine"),
    })  # fmt: skip
    by_id = {c.id: c.name for c in report.components}
    reached = {by_id[d] for c in report.components if c.name == "engine" for d in c.depends_on}
    assert reached == ({"coord"} if found else set())


def _nested(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    """``leaf`` as the node ``depth`` levels below the spec (the spec's own fields: 0)."""
    for i in reversed(range(depth)):
        leaf = {f"level{i}": leaf}
    return leaf


@pytest.mark.parametrize(
    ("spec", "read"),
    [
        (_nested(6, {"url": "http://db.ns:5432", "conf": "a=1\nb=2"}), True),
        (_nested(7, {"url": "http://db.ns:5432", "conf": "a=1\nb=2"}), False),  # too deep
        ({"ingress": {"url": "http://db.ns:5432", "conf": "a=1\nb=2"}}, False),  # its own name
        ({"values": {"url": "http://db.ns:5432", "conf": "a=1\nb=2"}}, False),  # a chart's
    ],
)
def test_hosts_and_inline_files_are_read_in_the_same_fields(
    spec: dict[str, Any], read: bool
) -> None:
    body = {"spec": spec}
    assert [ref.name for ref in spec_hosts(body)] == (["db"] if read else [])
    assert [text for _, text, _ in spec_strings(body)] == (["a=1\nb=2"] if read else [])


_APP = "example.io/v1alpha1"
# Components by their image, whatever the dependency field says.
_SPEC = "spec:\n  image: example/web:1\n  ports: [8080]\n"


@pytest.mark.parametrize(
    ("dependencies", "linked"),
    [
        ("  dependencies:\n    service: [{name: web}]\n", True),  # by kind, then names
        ("  dependencies:\n    service: [web]\n", True),
        ("  peers: [{name: web}]\n", False),  # no word for a dependency
        ("  dependsOn: [{name: other}]\n", False),  # a name nothing answers to
    ],
)
def test_a_specs_dependencies_mapping_names_resources_of_its_kind(
    audit_files: Auditor, dependencies: str, linked: bool
) -> None:
    report = audit_files(**{
        "web.yaml": custom_resource(_APP, "App", _SPEC, name="web"),
        "front.yaml": custom_resource(_APP, "App", _SPEC + dependencies, name="front"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert (by_name["web"].id in by_name["front"].depends_on) is linked
