"""A data image whose command runs something other than its server (an idle shell to exec into,
a client or a one-shot tool) keeps no data set; one whose command starts the server, or passes
it flags only, still does. Small hand-made estates, Kubernetes and Compose."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of


def _pod(image: str, command: str) -> str:
    return f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: client, namespace: ns}}
        spec:
          containers:
          - name: client
            image: {image}
            {command}
        """


def _compose(image: str, command: str) -> str:
    return f"services:\n  db:\n    image: {image}\n    {command}\n"


def _loss(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.loss)


@pytest.mark.parametrize(
    ("image", "command"),
    [
        ("cockroachdb/cockroach:v26.2.5", 'command: [sleep, "2147483648"]'),
        ("cockroachdb/cockroach:v26.2.5", "command: [cockroach, sql, --certs-dir=/c, --host=db]"),
        ("postgres:17", "command: [tail, -f, /dev/null]"),
        ("postgres:17", 'command: [sh, -c, "pg_dump -h db app > /backup/app.sql"]'),
        ("mongo:7", "command: [mongosh, --host, mongodb, --eval, 'rs.initiate()']"),
        ("redis:7", "args: [redis-cli, -h, cache, ping]"),
    ],
)
def test_a_data_image_running_no_server_holds_nothing(
    audit_files: Auditor, image: str, command: str
) -> None:
    report = audit_files(**{"pod.yaml": _pod(image, command)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    ("image", "command"),
    [
        ("cockroachdb/cockroach:v26.2.5", "command: [cockroach, start-single-node, --insecure]"),
        ("postgres:17", "args: [-c, max_connections=200]"),
        ("redis:7", "command: [redis-server, --appendonly, 'yes']"),
        # A script that waits, then starts the server, runs the server.
        ("mongo:7", 'command: [bash, -c, "sleep 5 && exec mongod --bind_ip_all"]'),
        ("mysql:8", 'command: [sh, -c, "echo start; docker-entrypoint.sh mysqld"]'),
    ],
)
def test_a_data_image_running_its_server_keeps_its_data(
    audit_files: Auditor, image: str, command: str
) -> None:
    report = audit_files(**{"pod.yaml": _pod(image, command)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    assert _loss(report) == "data"


def test_a_compose_client_of_a_database_image_holds_nothing(audit_files: Auditor) -> None:
    client = audit_files(
        **{"compose.yaml": _compose("postgres:16", "command: psql -h db -c 'select 1'")}
    )
    assert _loss(client) == "none"


def test_a_compose_database_given_flags_only_keeps_its_data(audit_files: Auditor) -> None:
    server = audit_files(**{"compose.yaml": _compose("postgres:16", "command: -c fsync=off")})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(server)


@pytest.mark.parametrize(
    "command",
    [
        'command: [/bin/sh, -c, "kafka-producer-perf-test --topic t --num-records 10"]',
        "command: [kafka-consumer-groups, --bootstrap-server, kafka:9092, --list]",
        "command: [/opt/kafka/bin/kafka-topics.sh, --create, --topic, t]",
    ],
)
def test_a_kafka_image_running_one_of_its_tools_holds_nothing(
    audit_files: Auditor, command: str
) -> None:
    """Every ``kafka-*`` program but the server's launcher is a client or a tool."""
    report = audit_files(**{"pod.yaml": _pod("confluentinc/cp-kafka:7.9.0", command)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    "command",
    [
        "command: [/opt/kafka/bin/kafka-server-start.sh, /opt/kafka/config/server.properties]",
        'command: [sh, -c, "kafka-storage format -t x -c /c.properties && /etc/confluent/docker/run"]',
        'command: [sh, -c, "pg_ctl -D /var/lib/postgresql/data start"]',
    ],
)
def test_a_tool_that_starts_the_server_keeps_its_data(audit_files: Auditor, command: str) -> None:
    image = "postgres:17" if "pg_ctl" in command else "confluentinc/cp-kafka:7.9.0"
    report = audit_files(**{"pod.yaml": _pod(image, command)})
    assert _loss(report) == "data"


def _bundle(command: str, volume: str) -> str:
    """A StatefulSet of an image named for no store, its data directory on ``volume``."""
    return f"""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: zk, namespace: ns}}
spec:
  serviceName: zk
  selector: {{matchLabels: {{app: zk}}}}
  template:
    metadata: {{labels: {{app: zk}}}}
    spec:
      containers:
      - name: main
        image: example.org/acme/bundle:1
        command: [sh, -c]
        args: ["{command}"]
        volumeMounts: [{{name: datadir, mountPath: /acme/data}}]
      volumes:
      - {{name: datadir, {volume}}}
"""


@pytest.mark.parametrize("script", ["/opt/zookeeper/scripts/start-zookeeper.sh",
                                    "start-zookeeper --servers=1"])  # fmt: skip
def test_a_stores_launch_script_in_an_image_bundling_it_runs_that_store(
    audit_files: Auditor, script: str
) -> None:
    report = audit_files(**{"zk.yaml": _bundle(script, "emptyDir: {}")})
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "zk")
    assert _loss(report) == "data"


@pytest.mark.parametrize(
    ("script", "volume"),
    [
        ("/opt/acme/start-server.sh", "emptyDir: {}"),  # a launcher named for no store
        ("/opt/acme/zookeeper-check.sh", "emptyDir: {}"),  # a tool, not the launcher
        ("start-zookeeper", "persistentVolumeClaim: {claimName: zk}"),  # kept on a claim
    ],
)
def test_no_launcher_or_a_kept_directory_is_no_data_lost(
    audit_files: Auditor, script: str, volume: str
) -> None:
    report = audit_files(**{"zk.yaml": _bundle(script, volume)})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "zk")


@pytest.mark.parametrize(
    "command",
    [
        # a backup loop given as a string: its condition is no program, its body runs pg_dump
        "command: bash -c 'while true; do sleep 86400; PGPASSWORD=x pg_dump -h db -U u app > /b/a.sql; done'",
        'command: [sh, -c, "until false; do pg_dump -h db app > /b/a.sql; sleep 3600; done"]',
    ],
)
def test_a_database_image_looping_over_a_client_holds_nothing(
    audit_files: Auditor, command: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose("postgres:15", command)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    "command",
    [
        "command: bash -c 'sleep 5 && exec postgres -c fsync=off'",
        "command: bash -c 'while true; do docker-entrypoint.sh postgres; sleep 1; done'",
    ],
)
def test_a_quoted_script_starting_the_server_keeps_its_data(
    audit_files: Auditor, command: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose("postgres:15", command)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    assert _loss(report) == "data"
