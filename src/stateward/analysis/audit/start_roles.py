"""Roles an image of several servers takes from the argument it is started with, for gravity.

One image may run a cluster's coordination service, its metadata store or its data nodes, told
apart only by the argument its entrypoint, or the program it runs, is given. Vespa's image starts "the config server", "the services" of
the host, or both: "Allowed arguments to entrypoint are {configserver,services}"
(https://github.com/vespa-engine/docker-image/blob/34fe1792f7319380ff52dad3620072d4ef4503ce/include/start-container.sh).
A config server keeps the application package deployed to it and the cluster's configuration in
its ZooKeeper quorum, made again by deploying the package
(https://docs.vespa.ai/en/operations-selfhosted/configuration-server.html): coordination, which
gravity holds below the data systems that depend on it (:func:`.lifecycle.coordinated`). A host
started with ``services`` runs what the application's ``services.xml`` gives it; those that
write a volume are content nodes, keeping the documents and their indexes under
``/opt/vespa/var`` (https://docs.vespa.ai/en/operations-selfhosted/docker-containers.html): a
search engine.

Apache Ozone's ``ozone`` program runs one daemon by its subcommand: ``om`` the "Ozone Manager",
``scm`` "the Storage Container Manager service", ``datanode`` "a HDDS datanode", besides the
``recon`` service and the ``s3g`` and ``httpfs`` gateways
(https://github.com/apache/ozone/blob/78d5650c313f2fa0731bdf08b76d4604090dabca/hadoop-ozone/dist/src/shell/ozone/ozone).
The Ozone Manager keeps the namespace of volumes, buckets and keys and the Storage Container
Manager the containers and pipelines, each in a RocksDB of its own: metadata databases; the
datanodes keep the blocks: an object store
(https://ozone.apache.org/docs/current/concept/ozonemanager.html,
https://ozone.apache.org/docs/current/concept/storagecontainermanager.html). Recon's tables are
built from theirs, and the gateways keep nothing: roles of no weight, whatever their mounts are
named (not an application's ``files``).

Only the role is read here: whether a node holds anything is its mounts' to say.
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["started_role"]

# Image repository -> (start argument, role), first match wins: a host started as
# ``configserver,services`` is a config server first.
_IMAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "vespaengine/vespa": (("configserver", "coordination"), ("services", "search")),
}
# Program (the command's first word) -> (subcommand, role), for images of any name (a project's
# own build of Ozone).
_PROGRAMS: dict[str, tuple[tuple[str, str], ...]] = {
    "ozone": (
        ("om", "database"),
        ("scm", "database"),
        ("datanode", "object store"),
        ("recon", "rebuilt view"),
        ("s3g", "gateway"),
        ("httpfs", "gateway"),
    ),
}


def started_role(workload: Workload) -> str:
    """The role the workload's main container is started in ('' for an image not listed, or
    started with no argument naming a role)."""
    primary = workload.primary
    if primary is None:
        return ""
    command = primary.command
    roles = _IMAGES.get(repository(primary.image), ())
    if not roles and command:
        roles = _PROGRAMS.get(command[0].rsplit("/", 1)[-1], ())
        command = command[1:2]  # its subcommand
    words = {w for arg in command for w in arg.split(",")}
    return next((role for argument, role in roles if argument in words), "")
