"""The workloads that run a volume provisioner, by the name a StorageClass gives it.

A StorageClass's ``provisioner`` names the program that makes its volumes ("Each StorageClass
has a provisioner that determines what volume plugin is used for provisioning PVs",
https://kubernetes.io/docs/concepts/storage/storage-classes/#provisioner). An external
provisioner is told that name by an environment variable or a flag (the NFS subdir
provisioner's ``PROVISIONER_NAME``, "must match deployment's env PROVISIONER_NAME",
https://github.com/kubernetes-sigs/nfs-subdir-external-provisioner/blob/59a3ca2cd10febfbe200c8676c4107be95f267a9/deploy/class.yaml;
a ``--provisioner-name`` flag), or keeps the default its image is named for (Rancher's
``local-path-provisioner`` answers ``rancher.io/local-path``, its ``DefaultProvisionerName``,
https://github.com/rancher/local-path-provisioner/blob/6ae51dfda01f12ac5e5b2b8049a38806afd3bbde/main.go):
the class's name's last segment is then the image's name, with or without its
``-provisioner`` suffix. A pod whose claim is of that class depends on that workload: its
volumes are made, and for a node's directory kept, by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["provisioner_index", "runners_of"]

# ``PROVISIONER_NAME=x`` and ``--provisioner=x``, ``--provisioner-name x``.
_VARIABLE = re.compile(r"^PROVISIONER(_NAME)?$", re.IGNORECASE)
_FLAG = re.compile(r"^--?provisioner(?:-name)?(?:=(.+))?$")
_SUFFIX = "-provisioner"
_IMAGE = "image:"  # the key of a name read from an image, apart from one the workload is told


def provisioner_index(workloads: Iterable[Workload]) -> dict[str, list[Workload]]:
    """Provisioner name (or ``image:<name>``) -> the workloads that answer it."""
    index: dict[str, list[Workload]] = {}
    for workload in workloads:
        for name in _names(workload):
            index.setdefault(name, []).append(workload)
    return index


def runners_of(provisioner: str, index: dict[str, list[Workload]]) -> list[Workload]:
    """The workloads running ``provisioner``: told its name, failing that named for it."""
    told = index.get(provisioner)
    if told:
        return told
    return index.get(_IMAGE + provisioner.rsplit("/", 1)[-1], [])


def _names(workload: Workload) -> set[str]:
    found: set[str] = set()
    for container in workload.containers:
        name = repository(container.image).rsplit("/", 1)[-1]
        if _SUFFIX in name:
            found.update({_IMAGE + name, _IMAGE + name.removesuffix(_SUFFIX)})
        found.update(v for k, v in container.env.items() if _VARIABLE.match(k) and v)
        words = container.command
        for i, word in enumerate(words):
            if match := _FLAG.match(word):
                value = match.group(1) or (words[i + 1] if i + 1 < len(words) else "")
                found.update({value} if value and not value.startswith("-") else set())
    return found
