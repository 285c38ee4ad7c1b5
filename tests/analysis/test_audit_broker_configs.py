"""A broker given a configuration file the estate holds keeps nothing unless that file turns on
its persistence (or pulls in another file): NATS without JetStream, Mosquitto without
``persistence true``. And a claim mounted inside a data image's own data directory holds its
data, so the image's other scratch volumes are not read as its store. Small hand-made manifests
and Compose projects."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor, effect_of_one, rules_of

_LOSS = {"DATA_IMAGE_NO_VOLUME", "STS_NO_PERSISTENCE"}


def _nats(config: str, flags: str = "") -> str:
    body = "\n".join("    " + line for line in config.splitlines())
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: nats-config, namespace: ns}}
data:
  nats.conf: |
{body}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: nats, namespace: ns}}
spec:
  serviceName: nats
  replicas: 3
  selector: {{matchLabels: {{app: nats}}}}
  template:
    metadata: {{labels: {{app: nats}}}}
    spec:
      volumes:
        - {{name: config-volume, configMap: {{name: nats-config}}}}
      containers:
        - name: nats
          image: nats:2.10-alpine
          command: [nats-server, --config, /etc/nats-config/nats.conf{flags}]
          volumeMounts:
            - {{name: config-volume, mountPath: /etc/nats-config}}
"""


def _loss(report: object) -> set[str]:
    return {
        f.rule for f in report.findings  # type: ignore[attr-defined]
        if report.effect_of(f) is Effect.LOSS  # type: ignore[attr-defined]
    }  # fmt: skip


@pytest.mark.parametrize(
    "config",
    [
        "port: 4222\ncluster {\n  port: 6222\n}",
        # a comment naming the feature turns nothing on
        "port: 4222\n# jetstream {} would keep streams\n// include ./js.conf",
    ],
)
def test_core_nats_with_its_configuration_in_the_estate_keeps_nothing(
    audit_files: Auditor, config: str
) -> None:
    report = audit_files(**{"nats.yaml": _nats(config)})
    assert not _loss(report) & _LOSS
    (component,) = report.components
    assert str(component.loss) == "none"
    assert any("core NATS" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("config", "flags"),
    [
        ("port: 4222\njetstream {\n  store_dir: /data\n}", ""),
        ("port: 4222\njetstream: enabled", ""),
        ("port: 4222\ninclude ./streams.conf", ""),  # the other file may turn it on
        ("port: 4222", ", -js"),  # the switch on the command line
    ],
)
def test_jetstream_anywhere_keeps_the_streams_lost_with_the_pod(
    audit_files: Auditor, config: str, flags: str
) -> None:
    report = audit_files(**{"nats.yaml": _nats(config, flags)})
    assert _LOSS <= _loss(report)


def test_a_configuration_file_the_estate_does_not_hold_stays_undecided(
    audit_files: Auditor,
) -> None:
    text = _nats("port: 4222").replace("/etc/nats-config/nats.conf", "/etc/other/server.conf")
    report = audit_files(**{"nats.yaml": text})
    assert _LOSS <= _loss(report)


def _kafka(data_at: str) -> str:
    return f"""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: kafka, namespace: ns}}
spec:
  serviceName: kafka
  selector: {{matchLabels: {{app: kafka}}}}
  template:
    metadata: {{labels: {{app: kafka}}}}
    spec:
      volumes:
        - {{name: extensions, emptyDir: {{}}}}
      containers:
        - name: broker
          image: solsson/kafka:2.5.1
          env: [{{name: CLASSPATH, value: /opt/kafka/libs/extensions/*}}]
          volumeMounts:
            - {{name: data, mountPath: {data_at}}}
            - {{name: extensions, mountPath: /opt/kafka/libs/extensions}}
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 10Gi}}}}}}
"""


def test_a_claim_inside_the_images_data_directory_holds_the_data(audit_files: Auditor) -> None:
    report = audit_files(**{"kafka.yaml": _kafka("/var/lib/kafka/data")})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "kafka")
    assert not _loss(report)


def test_a_claim_outside_it_leaves_the_scratch_volume_read_as_the_store(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"kafka.yaml": _kafka("/srv/kafka")})
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "kafka")


def _mosquitto(config: str) -> str:
    return (
        "services:\n  mq:\n    image: eclipse-mosquitto:2.0.15-openssl\n    volumes:\n"
        "      - ./mosquitto.conf:/mosquitto/config/mosquitto.conf\n"
        "      - mosquitto_data:/mosquitto/data\n"
        "volumes:\n  mosquitto_data: {}\n"
    ), config


def test_mosquitto_with_persistence_off_keeps_nothing_in_its_data_volume(
    audit_files: Auditor,
) -> None:
    compose, conf = _mosquitto("listener 1883\n# persistence true\npassword_file /m/p.txt\n")
    report = audit_files(**{"compose.yaml": compose, "mosquitto.conf": conf})
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "mosquitto_data") is Effect.CONTEXT


@pytest.mark.parametrize(
    "config",
    [
        "listener 1883\npersistence true\npersistence_location /mosquitto/data/\n",
        "retained_persistence true\n",
        "include_dir /mosquitto/config/conf.d\n",  # another file may turn it on
    ],
)
def test_mosquitto_told_to_persist_keeps_its_data_volume(audit_files: Auditor, config: str) -> None:
    compose, conf = _mosquitto(config)
    report = audit_files(**{"compose.yaml": compose, "mosquitto.conf": conf})
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "mosquitto_data") is Effect.DURABLE
