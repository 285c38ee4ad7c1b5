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


def _agent(main_mounts: str, init_at: str) -> str:
    """A node agent whose init container installs into two host folders."""
    return f"""apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      initContainers:
        - name: install
          image: example/agent:1
          command: [sh, -c, "cp /conf/net.json {init_at}/ && cp /agent-plugin /opt/net/bin/"]
          volumeMounts:
            - {{name: conf, mountPath: {init_at}}}
            - {{name: host-opt, mountPath: /opt}}
      containers:
        - name: agent
          image: example/agent:1
          volumeMounts: [{main_mounts}]
      volumes:
        - {{name: conf, hostPath: {{path: /var/lib/agent/conf}}}}
        - {{name: host-opt, hostPath: {{path: /opt}}}}
"""


def test_what_an_init_container_installs_on_the_node_or_writes_as_settings_is_context(
    audit_files: Auditor,
) -> None:
    """A host folder only the init container mounts is what it installs for the node; one the
    agent mounts at ``/etc`` is the settings the init writes again at each start. Mounted by
    the agent as well, the folder is the agent's; written where it keeps state, a seed."""
    report = audit_files(**{"d.yaml": _agent("{name: conf, mountPath: /etc/net}", "/etc/net")})
    assert effect_of_one(report, "HOSTPATH", "'/opt'") is Effect.CONTEXT
    assert effect_of_one(report, "INIT_SEED", "writes conf") is Effect.CONTEXT
    kept = audit_files(
        **{
            "d.yaml": _agent(
                "{name: conf, mountPath: /var/lib/net}, {name: host-opt, mountPath: /opt}",
                "/var/lib/net",
            )
        }
    )
    assert effect_of_one(kept, "HOSTPATH", "'/opt'") is Effect.DURABLE
    assert effect_of_one(kept, "INIT_SEED", "writes conf") is Effect.WARM_UP
