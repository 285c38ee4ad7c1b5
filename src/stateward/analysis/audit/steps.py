"""One-shot steps: Compose services that run to their end before the services they prepare.

A service another one lists under ``depends_on`` with ``condition:
service_completed_successfully`` "is expected to run to successful completion before starting a
dependent service" (https://docs.docker.com/reference/compose-file/services/#depends_on): a
setup, migration or download step, not a long-running server. Whatever image it runs, it keeps
no data set of its own: a database image started that way runs a command (an initialiser that
fetches a plug-in, a schema loader), not the database's server, and a replacement runs the same
step again to the same end.

So is a service named or commanded for a setup step (``migrations``, ``setup``, ``init-db``,
``prestart.sh``) whose restart policy lets it end: ``no`` (the default) or ``on-failure``,
which "restarts a container if the exit code indicates an error"
(https://docs.docker.com/reference/compose-file/services/#restart): a container meant to stop
once it has succeeded, which ``always`` and ``unless-stopped`` are not.

On Kubernetes a ``Job`` "creates one or more Pods and will continue to retry execution of the
Pods until a specified number of them successfully terminate", and a ``CronJob`` makes such a
Job on a schedule (https://kubernetes.io/docs/concepts/workloads/controllers/job/,
https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/): a store's server never
terminates successfully, so a store's image in one runs a client command of the image (a
curator, a dump, a schema loader), not the server.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_map

__all__ = ["one_shot", "runs_to_completion"]

_COMPLETED = "service_completed_successfully"


# A setup step by its service name or the first words of its command: an initialiser
# (``schema-initializer``) or a schema upgrade (``upgrade-schema.sh``) runs once and ends too.
_STEP = re.compile(
    r"migrat|setup|prestart|bootstrap|seed|initiali[sz]|upgrade[-_]schema|(^|[-_./])init([-_.]|$)",
    re.IGNORECASE,
)


def one_shot(workload: Workload, estate: Estate) -> bool:
    """Another service of the Compose project waits for this one to complete successfully, or
    it is a setup step by its name or command that its restart policy lets end; on Kubernetes, a
    Job or CronJob."""
    if workload.platform == "kubernetes":
        return runs_to_completion(workload)
    if workload.platform != "compose":
        return False
    if _setup_step(workload):
        return True
    for other in estate.compose_project(workload.namespace):
        declared = other.body.get("depends_on")
        if isinstance(declared, dict):
            if as_map(declared.get(workload.name)).get("condition") == _COMPLETED:
                return True
    return False


def runs_to_completion(workload: Workload) -> bool:
    """A Kubernetes ``Job`` or ``CronJob``, or a bare ``Pod`` whose ``restartPolicy`` lets it end
    (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy): its pods
    leave a result and stop, where every other workload's are restarted."""
    if workload.kind in ("Job", "CronJob"):
        return True
    return workload.kind == "Pod" and workload.pod.get("restartPolicy", "Always") != "Always"


def _setup_step(workload: Workload) -> bool:
    restart = str(workload.body.get("restart") or "no")
    if restart != "no" and not restart.startswith("on-failure"):
        return False
    primary = workload.primary
    words = [workload.name, *(primary.command[:2] if primary is not None else [])]
    return any(_STEP.search(w.rsplit("/", 1)[-1]) for w in words)
