"""One-shot steps: Compose services that run to their end before the services they prepare.

A service another one lists under ``depends_on`` with ``condition:
service_completed_successfully`` "is expected to run to successful completion before starting a
dependent service" (https://docs.docker.com/reference/compose-file/services/#depends_on): a
setup, migration or download step, not a long-running server. Whatever image it runs, it keeps
no data set of its own: a database image started that way runs a command (an initialiser that
fetches a plug-in, a schema loader), not the database's server, and a replacement runs the same
step again to the same end.
"""

from __future__ import annotations

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_map

__all__ = ["one_shot"]

_COMPLETED = "service_completed_successfully"


def one_shot(workload: Workload, estate: Estate) -> bool:
    """Another service of the Compose project waits for this one to complete successfully."""
    if workload.platform != "compose":
        return False
    for other in estate.compose_project(workload.namespace):
        declared = other.body.get("depends_on")
        if isinstance(declared, dict):
            if as_map(declared.get(workload.name)).get("condition") == _COMPLETED:
                return True
    return False
