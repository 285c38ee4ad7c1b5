"""Memory a deployment asks for by name (a Compose ``tmpfs``, an emptyDir of ``medium: Memory``):
a directory's name alone does not make what is there data; a database's or a configured data
directory there still is."""

from __future__ import annotations

from .conftest import Auditor, deployment, rules_of

COMPOSE = """
services:
  proxy:
    image: example/search-proxy:1
    tmpfs:
      - /config/:size=10M
      - /var/lib/tor/:size=15M
  disk:
    image: example/search-proxy:1
    volumes: ["/var/lib/tor"]
  pointed:
    image: example/notes:1
    environment: {DATA_DIR: /srv/notes}
    tmpfs: [/srv/notes]
  db:
    image: postgres:16
    tmpfs: [/var/lib/postgresql/data]
"""


def test_a_tmpfs_named_for_state_is_no_data_by_its_name(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE})
    # The author chose memory for /var/lib/tor: emptied at every restart, by declaration.
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "proxy")
    assert next(c for c in report.components if c.name == "proxy").loss == "none"
    # The same path on an anonymous volume is still read by its name.
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "disk")
    # A variable naming the directory, or a database's own data directory, still counts.
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "pointed")
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "db")


def _state_on(name: str, volume: str) -> str:
    text = deployment(name, f"volumes: [{{name: v, {volume}}}]", image="example/agent:1")
    return text + "          volumeMounts: [{name: v, mountPath: /var/lib/agent}]\n"


def test_a_memory_emptydir_is_read_as_a_tmpfs(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "memory.yaml": _state_on("memory", "emptyDir: {medium: Memory}"),
            "disk.yaml": _state_on("disk", "emptyDir: {}"),
        }
    )
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "memory")
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "disk")  # the node's disk: scratch or state
