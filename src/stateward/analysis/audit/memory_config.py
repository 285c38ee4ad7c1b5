"""Stores their configuration keeps in memory: what they hold is lost on every restart.

Ory's servers are configured by one ``dsn``, "the backend where ORY Keto persists data. If dsn
is "memory", data will be written to memory and is lost when you restart this instance"
(https://github.com/ory/keto/blob/317169151b946c6e411d29c035e2eb2a5715d773/embedx/config.schema.json,
``dsn``); Kratos and Hydra read the same key the same way. The key is set in the configuration
file the server is given, or as the variable ``DSN`` ("all options can also be set using
environment variables by replacing dots with underscores and uppercasing the key", the same
schema's ``tlsx`` description), which then overrides the file's key.

A Vald agent's NGT index with ``enable_in_memory_mode: true`` and no ``index_path`` keeps the
vectors inserted into it in memory only; a claim holds them only "if agent pod's file store
functionality is enabled with non in-memory mode", and a backup sidecar (``vald-agent-sidecar``)
copies them to blob storage (``agent.ngt.*``, ``agent.persistentVolume.enabled`` and
``agent.sidecar.*`` at https://github.com/vdaas/vald/blob/c596636d7b8cc5584d9d63e5a3981fae437887f2/charts/vald/README.md).
A workload running a second container beside the agent is read as backed up.

The files read are those a container mounts from a ConfigMap or binds from the Compose project
(:func:`~stateward.analysis.audit.dependencies.config_files`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["memory_configured"]

# ``dsn: memory`` at the top level of a YAML file (unindented), or ``"dsn": "memory"`` in JSON.
_DSN = re.compile(
    r"""^(dsn\s*:\s*["']?memory["']?|\s*"dsn"\s*:\s*"memory"\s*,?)\s*$""", re.I | re.M
)
_IN_MEMORY_MODE = re.compile(r"^\s*enable_in_memory_mode\s*:\s*true\s*$", re.I | re.M)
_INDEX_PATH = re.compile(r"""^\s*index_path\s*:\s*["']?[^"'\s#]""", re.I | re.M)


def memory_configured(workload: Workload, estate: Estate) -> Iterator[tuple[Container, str]]:
    """Each container whose configuration keeps its store in memory, with where it says so."""
    alone = len(workload.containers) == 1  # a sidecar beside a Vald agent: read as its backup
    for container in workload.containers:
        if "DSN" in container.env_names:  # the variable overrides the file's key
            if container.env.get("DSN", "").strip().lower() == "memory":
                yield container, "DSN=memory"
            continue
        for _, text, where in config_files(workload, container, estate):
            if found := _in_memory(text, alone):
                yield container, f"{found} in {where.split(': ', 1)[-1]}"
                break


def _in_memory(text: str, alone: bool) -> str:
    lowered = text.lower()  # most files name neither key: one scan each before any pattern
    if "dsn" in lowered and _DSN.search(text):
        return "dsn: memory"
    if alone and "in_memory_mode" in lowered and _IN_MEMORY_MODE.search(text):
        return "" if _INDEX_PATH.search(text) else "enable_in_memory_mode: true and no index_path"
    return ""
