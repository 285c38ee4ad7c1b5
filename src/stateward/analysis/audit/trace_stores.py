"""Where a Grafana Tempo configured by file keeps the traces it is sent.

Tempo writes the spans it receives to a write-ahead log at ``storage.trace.wal.path`` ("where to
store the head blocks while they are being appended to") and cuts them into blocks in the
backend ``storage.trace.backend`` names (``gcs``, ``s3``, ``azure`` or ``local``,
https://github.com/grafana/tempo/blob/64eb670ea8d46ba013e10665e876f4ea8f2b9a39/docs/sources/tempo/configuration/_index.md,
"Storage"). With ``local`` the blocks are files under ``storage.trace.local.path``, on the
container's own disk ("all data is stored locally in the ``tempo-data`` folder. Local storage is
fine for experimenting with Tempo or when using the single binary",
https://github.com/grafana/tempo/blob/c5306d4dd3fd2b8189c2242f5f824e805e5b769e/example/docker-compose/multi-tenant/readme.md):
no other copy of those traces exists. An object-store backend keeps them in its bucket, and a
replaced instance loses only its write-ahead log, which is not read here.

The configuration files read are those a container mounts from a ConfigMap or binds from the
Compose project (:func:`~stateward.analysis.audit.dependencies.config_files`).
"""

from __future__ import annotations

from stateward.analysis.audit.config_trees import yaml_tree
from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.kubernetes import as_map, dig

__all__ = ["local_trace_blocks"]

_TEMPO = frozenset({"grafana/tempo"})


def local_trace_blocks(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """The directories a Tempo told to keep its blocks on local disk writes them to (the blocks'
    path and its write-ahead log's) -> the file saying so."""
    if repository(container.image) not in _TEMPO:
        return {}
    found: dict[str, str] = {}
    for _, text, where in config_files(workload, container, estate):
        trace = as_map(dig(yaml_tree(text), "storage", "trace"))
        if str(trace.get("backend", "")).lower() != "local":
            continue
        for key in ("local", "wal"):
            path = str(as_map(trace.get(key)).get("path") or "")
            if path.startswith("/"):
                found.setdefault(path, f"storage.trace.{key}.path of {where.split(': ', 1)[-1]}")
    return found
