"""A setting the Compose project hands to every service alike: the project's, not a program's.

Compose's ``env_file`` "adds environment variables to the container based on the file's
content" (https://docs.docker.com/reference/compose-file/services/#env_file), and projects often
hand one file (``.env``) to all their services, databases and caches included. A variable that a
catalogued data system's container carries with the same value as this one (MySQL and Redis
given ``TEI_MODEL=Qwen/Qwen3-Embedding-0.6B``) came from such a shared file: no server of that
family reads it, so it says nothing of what any service's program does with it.
"""

from __future__ import annotations

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.workloads import Workload

__all__ = ["handed_to_a_store"]


def handed_to_a_store(workload: Workload, estate: Estate, variable: str, value: str) -> bool:
    """A service of the Compose project (this one too) runs a catalogued data image and carries
    ``variable`` with the same ``value``."""
    if workload.platform != "compose":
        return False
    for other in estate.compose_project(workload.namespace):
        for container in other.containers:
            if container.env.get(variable) == value and data_image(container.image) is not None:
                return True
    return False
