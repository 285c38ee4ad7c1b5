"""Message brokers whose configuration file, held in the estate, turns on no persistence.

A NATS server. Core NATS keeps no messages: it hands each one to the subscribers connected at that moment (at
most once, https://docs.nats.io/nats-concepts/core-nats); JetStream is its persistence layer
(https://docs.nats.io/nats-concepts/jetstream). :func:`~stateward.analysis.audit.knowledge.relay_only`
reads the command line and leaves a server given a configuration file (``-c``/``--config``)
undecided, since the file may enable JetStream. When that file is one the container is given
from the estate (a ConfigMap it mounts, a file a Compose service binds), it says so itself:
JetStream is the ``jetstream`` block or key of the file, and a file may pull in others with the
``include`` directive, "relative to the main configuration" (both in
https://github.com/nats-io/nats.docs/blob/c1823232ec126ab2c664afdf26786e84e31d58b9/running-a-nats-service/configuration/README.md,
"Include Directive" and "Configuration Properties"). A file that names neither, outside its
comments (``#`` and ``//``), runs core NATS only: the server relays messages and holds none, so
its data directory on no volume loses nothing (the NATS StatefulSet of
https://github.com/nats-io/k8s, whose ``nats.conf`` sets cluster routes and leaf nodes only).

A Mosquitto MQTT broker. Its ``persistence`` option: "If true, connection, subscription and
message data will be written to the disk in mosquitto.db […]. If false, the data will be stored
in memory only. Defaults to false" (``retained_persistence`` "is a synonym";
https://github.com/eclipse/mosquitto/blob/030b2c72a239cdd510fef2e0ded0f0916e10ef19/man/mosquitto.conf.5.xml).
The official image starts ``mosquitto -c /mosquitto/config/mosquitto.conf``
(https://hub.docker.com/_/eclipse-mosquitto): a ``mosquitto.conf`` the container is given from
the estate that sets neither to true, and pulls in no other file (``include_dir``), keeps what
passes through the broker in memory, and the volume at its data directory stays empty
(Netmaker's ``mq``, whose ``mosquitto_data`` volume no setting writes to).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["core_nats", "unpersisted_mosquitto"]

_CONFIG_FLAGS = frozenset({"-c", "--config", "-config"})
# Switches that turn JetStream on whatever the file says
# (https://docs.nats.io/running-a-nats-service/introduction/flags).
_JETSTREAM_FLAGS = frozenset({"-js", "--jetstream", "-sd", "--store_dir"})
_COMMENT = re.compile(r"(#|//).*$", re.M)
# Words of the file that may keep messages: the persistence layer, or another file's settings.
_KEEPING = re.compile(r"\b(jetstream|include)\b", re.I)


def core_nats(workload: Workload, container: Container, estate: Estate) -> str:
    """Why a NATS server keeps nothing: its configuration file, found in the estate, turns on no
    JetStream and includes no other file ('' when it may keep streams, or the file is not held)."""
    name = _config_name(container.command)
    if not name or {w.split("=", 1)[0] for w in container.command} & _JETSTREAM_FLAGS:
        return ""
    for _, text, where in config_files(workload, container, estate):
        if where.rsplit(" ", 1)[-1].rsplit("/", 1)[-1] != name:
            continue
        if _KEEPING.search(_COMMENT.sub("", text)):
            return ""
        shown = where.split(": ", 1)[-1]
        return f"core NATS: its configuration ({shown}) turns on no JetStream, it keeps no message"
    return ""


def _config_name(command: list[str]) -> str:
    """The file name of the configuration a ``nats-server`` command line is given ('' if none)."""
    for i, word in enumerate(command):
        flag, _, value = word.partition("=")
        if flag in _CONFIG_FLAGS:
            value = value or (command[i + 1] if i + 1 < len(command) else "")
            return value.rsplit("/", 1)[-1]
    return ""


_MOSQUITTO_FILE = "mosquitto.conf"
_PERSISTING = re.compile(
    r"^\s*((retained_)?persistence\s+true|include_dir\s)", re.IGNORECASE | re.MULTILINE
)


def unpersisted_mosquitto(workload: Workload, estate: Estate) -> str:
    """Why a Mosquitto broker keeps nothing on disk: the ``mosquitto.conf`` it is given turns
    no persistence on ('' when it may, or the file is not held, or it is no Mosquitto)."""
    container = workload.primary
    if container is None or "mosquitto" not in container.image.rsplit("/", 1)[-1].lower():
        return ""
    files = [
        (text, where)
        for _, text, where in config_files(workload, container, estate)
        if where.rsplit("/", 1)[-1].rsplit(" ", 1)[-1] == _MOSQUITTO_FILE
    ]
    if not files or any(_PERSISTING.search(_COMMENT.sub("", text)) for text, _ in files):
        return ""
    shown = files[0][1].split(": ", 1)[-1]
    return f"Mosquitto with persistence off ({shown}): it keeps its messages in memory only"
