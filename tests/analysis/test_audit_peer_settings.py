"""Peers named in settings the audit did not read before: a cluster member's seed list given as
the static addresses its Compose project pins its peers to (``ipv4_address``), and a graph
server's dotted property keys (``janusgraph.storage.hostname``, ``janusgraph.index.search.
hostname``) naming its storage backend and its index. Small hand-made projects for each."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor


def _depends(report: AuditReport) -> dict[str, set[str]]:
    names = {c.id: c.name for c in report.components}
    return {c.name: {names[d] for d in c.depends_on} for c in report.components}


def _component(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


PINNED = """
services:
  node1:
    image: example/eventlog:1
    environment: {{LOG_GOSSIP_SEED: "10.5.0.12:2113,10.5.0.13:2113"}}
    networks: {{cluster: {{ipv4_address: 10.5.0.11}}}}
  node2:
    image: example/eventlog:1
    environment: {{LOG_GOSSIP_SEED: "10.5.0.11:2113"}}
    networks: {{cluster: {{ipv4_address: {second}}}}}
  node3:
    image: example/eventlog:1
    environment: {{LOG_GOSSIP_SEED: "10.5.0.99:2113"}}
    networks: {{cluster: {{ipv4_address: 10.5.0.13}}}}
networks:
  cluster:
    ipam: {{config: [{{subnet: 10.5.0.0/24}}]}}
"""


def test_a_peer_named_by_the_address_its_project_pins_it_to_is_reached(
    audit_files: Auditor,
) -> None:
    """``10.5.0.12:2113`` is node2 when node2 is pinned there; an address no service is pinned
    to (``10.5.0.99``) reaches nothing, and nor does one whose service is pinned elsewhere."""
    depends = _depends(audit_files(**{"compose.yaml": PINNED.format(second="10.5.0.12")}))
    assert depends["node1"] == {"node2", "node3"}
    assert depends["node2"] == {"node1"}
    assert depends["node3"] == set()
    moved = _depends(audit_files(**{"compose.yaml": PINNED.format(second="10.5.0.42")}))
    assert moved["node1"] == {"node3"}


GRAPH = """
services:
  graph:
    image: example/graph:1
    environment:
      graph.storage.hostname: {storage}
      graph.index.search.hostname: es
  cassandra:
    image: cassandra:4
  es:
    image: elasticsearch:8.15.0
"""


def test_a_graph_server_reaches_its_storage_and_its_index_by_property_keys(
    audit_files: Auditor,
) -> None:
    """Dotted keys ending in ``hostname`` name peers as ``…_HOSTNAME`` does; the Elasticsearch
    named as the index of records kept in the storage backend's database is rebuilt from it and
    weighs less than that database."""
    report = audit_files(**{"compose.yaml": GRAPH.format(storage="cassandra")})
    assert _depends(report)["graph"] == {"cassandra", "es"}
    assert str(_component(report, "es").loss) == "rebuildable"
    assert str(_component(report, "cassandra").loss) == "data"
    assert _component(report, "cassandra").gravity > _component(report, "es").gravity


def test_an_index_whose_client_keeps_no_records_elsewhere_is_data(audit_files: Auditor) -> None:
    """The storage key names no database (a name nothing answers): the index may be the only
    copy, so the Elasticsearch keeps its data rating."""
    report = audit_files(**{"compose.yaml": GRAPH.format(storage="elsewhere")})
    assert _depends(report)["graph"] == {"es"}
    assert str(_component(report, "es").loss) == "data"
