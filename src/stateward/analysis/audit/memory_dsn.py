"""A data source name set to ``memory``: the program keeps its records in memory only.

Ory's servers are configured by one ``dsn``, "the backend where ORY Keto persists data. If dsn
is "memory", data will be written to memory and is lost when you restart this instance"
(https://github.com/ory/keto/blob/317169151b946c6e411d29c035e2eb2a5715d773/embedx/config.schema.json,
``dsn``); Kratos and Hydra read the same key the same way. The key is set in the configuration
file the server is given, or as the variable ``DSN`` ("all options can also be set using
environment variables by replacing dots with underscores and uppercasing the key", the same
schema's ``tlsx`` description), which then overrides the file's key. The files read are those a container mounts from a ConfigMap or
binds from the Compose project (:func:`~stateward.analysis.audit.dependencies.config_files`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["memory_dsn", "memory_dsn_hits"]

# ``dsn: memory`` at the top level of a YAML file (unindented), or ``"dsn": "memory"`` in JSON.
_DSN = re.compile(
    r"""^(dsn\s*:\s*["']?memory["']?|\s*"dsn"\s*:\s*"memory"\s*,?)\s*$""", re.I | re.M
)


def memory_dsn(workload: Workload, container: Container, estate: Estate) -> str:
    """Where the container's data source name is set to ``memory`` ('' when it is not)."""
    if "DSN" in container.env_names:  # the variable overrides the file's key
        return "DSN=memory" if container.env.get("DSN", "").strip().lower() == "memory" else ""
    for _, text, where in config_files(workload, container, estate):
        if "dsn" in text.lower() and _DSN.search(text):
            return f"dsn: memory in {where.split(': ', 1)[-1]}"
    return ""


def memory_dsn_hits(workload: Workload, estate: Estate) -> Iterator[tuple[Container, str]]:
    """Each container whose data source name keeps its records in memory, with where it is set."""
    for container in workload.containers:
        if where := memory_dsn(workload, container, estate):
            yield container, where
