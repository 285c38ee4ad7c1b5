"""KurrentDB (EventStoreDB) is a database: its image, or a node built from the project's own
Dockerfile that declares the cluster's settings, keeps its event streams in its data directory;
a client given only a connection string is not one. Small hand-made Compose projects."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of

_BUILT = "    build: {context: .}\n"


@pytest.mark.parametrize(
    ("service", "body"),
    [
        ("events", "    image: docker.kurrent.io/kurrent-latest/kurrentdb:25.0\n"),
        ("events", "    image: eventstore/eventstore:24.10\n"),
        ("esdb-node1", _BUILT + "    environment: [KURRENTDB_CLUSTER_SIZE=3]\n"),
    ],
)
def test_an_event_store_with_no_volume_loses_its_streams(
    audit_files: Auditor, service: str, body: str
) -> None:
    report = audit_files(**{"compose.yaml": f"services:\n  {service}:\n{body}"})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, service)


def test_an_event_store_kept_on_a_volume_or_its_client_loses_nothing(audit_files: Auditor) -> None:
    compose = """\
services:
  events:
    image: eventstore/eventstore:24.10
    volumes: ['streams:/var/lib/eventstore']
  app:
    build: {context: .}
    environment: ['KURRENTDB_CONNECTION_STRING=kurrentdb://events:2113?tls=false']
volumes: {streams: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert {c.name: str(c.loss) for c in report.components}["app"] == "none"
