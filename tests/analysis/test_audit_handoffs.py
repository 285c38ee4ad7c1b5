"""A named volume a database image shares with a service of another program is a hand-off
between them, not where the server keeps its data; a service handed a server's variables that
drives the container engine through its socket is that server's client, not a database.

Synthetic estates shaped like a sharded-database cluster with a membership manager, not copies
of any held-out estate.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

CLUSTER = """
services:
  coordinator:
    image: example/sharded-pg:1
    ports: ["5432:5432"]
    environment: {POSTGRES_PASSWORD: secret, POSTGRES_HOST_AUTH_METHOD: trust}
  shard:
    image: example/sharded-pg:1
    environment: {POSTGRES_PASSWORD: secret, POSTGRES_HOST_AUTH_METHOD: trust}
    depends_on: [registrar]
    volumes: [ready:/ready]
  registrar:
    image: example/registrar:1
    environment: {POSTGRES_PASSWORD: secret, POSTGRES_HOST_AUTH_METHOD: trust}
    depends_on: [coordinator]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - ready:/ready
volumes:
  ready:
"""


def _rules(report: AuditReport, name: str) -> set[str]:
    return {f.rule for f in report.findings if (f.component or "").endswith("/" + name)}


def _loss(report: AuditReport) -> dict[str, str]:
    return {c.name: str(c.loss) for c in report.components}


def test_a_volume_another_program_writes_is_not_the_servers_data(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": CLUSTER})
    assert "DATA_IMAGE_NO_VOLUME" in _rules(report, "shard")
    assert _loss(report)["shard"] == "data"
    gravity = {c.name: c.gravity for c in report.components}
    assert gravity["shard"] > gravity["registrar"]


def test_a_volume_the_server_alone_writes_is_still_its_data(audit_files: Auditor) -> None:
    alone = CLUSTER.replace("      - ready:/ready\n", "")
    report = audit_files(**{"compose.yaml": alone})
    assert "DATA_IMAGE_NO_VOLUME" not in _rules(report, "shard")


def test_processes_of_one_image_share_the_volume_as_its_data(audit_files: Auditor) -> None:
    """A second service of the server's own image writing the volume is no hand-off."""
    same = CLUSTER.replace("image: example/registrar:1", "image: example/sharded-pg:1")
    report = audit_files(**{"compose.yaml": same})
    assert "DATA_IMAGE_NO_VOLUME" not in _rules(report, "shard")


def test_a_writer_in_a_state_directory_is_no_hand_off(audit_files: Auditor) -> None:
    """Another program mounting the volume under ``/var/lib`` keeps data there: an upgrade
    step writing the new server's data directory."""
    kept = CLUSTER.replace("      - ready:/ready\n", "      - ready:/var/lib/postgresql/14\n")
    report = audit_files(**{"compose.yaml": kept})
    assert "DATA_IMAGE_NO_VOLUME" not in _rules(report, "shard")


def test_a_client_driving_the_engine_is_no_database(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": CLUSTER})
    assert "DATA_IMAGE_NO_VOLUME" not in _rules(report, "registrar")


def test_a_server_variable_without_the_socket_still_names_a_database(
    audit_files: Auditor,
) -> None:
    plain = CLUSTER.replace("      - /var/run/docker.sock:/var/run/docker.sock\n", "")
    report = audit_files(**{"compose.yaml": plain})
    assert "DATA_IMAGE_NO_VOLUME" in _rules(report, "registrar")
