"""A hostPath no container mounts holds nothing the pod writes, and one mounted only at a
configuration file (DevLake's server: ``/var/lib/devlake/env``, ``FileOrCreate``, at
``/app/.env``) is configuration the node hands it, and one mounted only where code lives
(``/usr/src/<project>``, a ``src`` folder in it) the program's sources; a node directory it
writes is still state."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor, effect_of_one


def _server(mount_at: str) -> str:
    mount = f"volumeMounts: [{{name: config, mountPath: {mount_at}}}]" if mount_at else ""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: server, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: server}}}}
  template:
    metadata: {{labels: {{app: server}}}}
    spec:
      containers:
        - name: server
          image: example/server:1
          {mount}
      volumes:
        - {{name: config, hostPath: {{path: /var/lib/server/env, type: FileOrCreate}}}}
"""


@pytest.mark.parametrize("mount_at", ["/app/.env", "/etc/server", "/app/config.yaml", ""])
def test_a_hostpath_of_configuration_or_mounted_nowhere_is_context(
    audit_files: Auditor, mount_at: str
) -> None:
    report = audit_files(**{"d.yaml": _server(mount_at)})
    assert effect_of_one(report, "HOSTPATH", "/var/lib/server/env") is Effect.CONTEXT


@pytest.mark.parametrize("mount_at", ["/app/data", "/var/lib/server"])
def test_a_hostpath_the_server_writes_is_still_kept_on_the_node(
    audit_files: Auditor, mount_at: str
) -> None:
    report = audit_files(**{"d.yaml": _server(mount_at)})
    assert effect_of_one(report, "HOSTPATH", "/var/lib/server/env") is Effect.DURABLE


@pytest.mark.parametrize("mount_at", ["/usr/src/decoder", "/usr/src/decoder/src"])
def test_a_hostpath_of_source_code_is_context(audit_files: Auditor, mount_at: str) -> None:
    report = audit_files(**{"d.yaml": _server(mount_at)})
    assert effect_of_one(report, "HOSTPATH", "/var/lib/server/env") is Effect.CONTEXT


@pytest.mark.parametrize("mount_at", ["/usr/src/app/upload", "/home/src"])
def test_a_folder_written_inside_a_source_tree_or_named_src_elsewhere_stays_kept(
    audit_files: Auditor, mount_at: str
) -> None:
    """Immich's uploads sit at ``/usr/src/app/upload``; Mage's project and database at
    ``/home/src``."""
    report = audit_files(**{"d.yaml": _server(mount_at)})
    assert effect_of_one(report, "HOSTPATH", "/var/lib/server/env") is Effect.DURABLE
