"""Roles an image of several servers takes from the argument it is started with, for gravity.

One image may run a cluster's coordination service or its data nodes, told apart only by the
argument its entrypoint is given. Vespa's image starts "the config server", "the services" of
the host, or both: "Allowed arguments to entrypoint are {configserver,services}"
(https://github.com/vespa-engine/docker-image/blob/34fe1792f7319380ff52dad3620072d4ef4503ce/include/start-container.sh).
A config server keeps the application package deployed to it and the cluster's configuration in
its ZooKeeper quorum, made again by deploying the package
(https://docs.vespa.ai/en/operations-selfhosted/configuration-server.html): coordination, which
gravity holds below the data systems that depend on it (:func:`.lifecycle.coordinated`). A host
started with ``services`` runs what the application's ``services.xml`` gives it; those that
write a volume are content nodes, keeping the documents and their indexes under
``/opt/vespa/var`` (https://docs.vespa.ai/en/operations-selfhosted/docker-containers.html): a
search engine. Only the role is read here: whether a node holds anything is its mounts' to say.
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["started_role"]

# Image repository -> (start argument, role), first match wins: a host started as
# ``configserver,services`` is a config server first.
_ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "vespaengine/vespa": (("configserver", "coordination"), ("services", "search")),
}


def started_role(workload: Workload) -> str:
    """The role the workload's main container is started in ('' for an image not listed, or
    started with no argument naming a role)."""
    primary = workload.primary
    if primary is None:
        return ""
    roles = _ROLES.get(repository(primary.image), ())
    words = {w for arg in primary.command for w in arg.split(",")}
    return next((role for argument, role in roles if argument in words), "")
