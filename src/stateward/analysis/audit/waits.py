"""Init containers that hold a pod back until another workload is done or ready.

- groundnuty's ``k8s-wait-for``: ``wait_for.sh job <name>`` waits "for all the pods in that job
  to have a 'Succeeded' state", ``pod -l<selector>`` and ``service <name>`` for theirs to be
  ready, the ``-we``/``-wr`` variants alike; the image's arguments are those words
  (https://github.com/groundnuty/k8s-wait-for/blob/4599398490f0dcaeddf7cdb3be24b15db3610d7b/README.md);
- ``kubectl wait … job/<name>`` and ``kubectl rollout status deployment/<name>`` name the
  resource as ``<kind>/<name>``
  (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/).

The pod cannot start until that workload has run or is serving: it depends on it (a Job that
migrates the database the pod then uses, a server it needs up).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["awaited"]

_WAITER = "k8s-wait-for"
_WAIT_WORDS = {"job": "Job", "pod": "", "service": "Service"}
_VARIANT = re.compile(r"^(job|pod|service)(-we|-wr)?$")
# ``job/migrate``, ``deployment.apps/api``, ``statefulsets/db`` (kubectl's TYPE/NAME).
_TYPED = re.compile(
    r"^(job|deployment|statefulset|daemonset|pod|service)s?(\.[a-z.]+)?/([a-z0-9][-a-z0-9.]*)$"
)
_KINDS = {"job": "Job", "deployment": "Deployment", "statefulset": "StatefulSet",
          "daemonset": "DaemonSet", "pod": "Pod", "service": "Service"}  # fmt: skip


def awaited(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The workloads an init container of ``workload`` waits for, and how it does."""
    for container in workload.init_containers:
        for kind, name, words in _waits(container):
            where = f"init container {container.name} waits for {words}"
            for target in _targets(kind, name, workload.namespace, estate):
                if target.id != workload.id:
                    yield target, where


def _waits(container: Container) -> Iterator[tuple[str, str, str]]:
    """(kind, name or ``-l`` selector, the words) for each wait an init container's command says."""
    words = container.command
    if repository(container.image).rsplit("/", 1)[-1] == _WAITER:
        for i, word in enumerate(words[:-1]):
            if match := _VARIANT.match(word):
                yield _WAIT_WORDS[match.group(1)], words[i + 1], f"{word} {words[i + 1]}"
    if "kubectl" in " ".join(words):
        for word in words:
            if match := _TYPED.match(word):
                yield _KINDS[match.group(1)], match.group(3), word


def _targets(kind: str, name: str, namespace: str, estate: Estate) -> list[Workload]:
    if kind == "Service":
        return estate.behind_service(namespace, name)
    if name.startswith("-l"):  # ``-lapp=x``: the workloads whose pods carry every label
        pairs = [p.split("=") for p in name[2:].strip("\"'").split(",")]
        if all(len(p) == 2 and _LABEL.match(p[0]) for p in pairs):
            return estate.selected(namespace, dict(pairs))
        return []  # a set-based selector (``release in (a)``): not read
    if name.startswith("-"):
        return []
    found = estate.workloads_named(namespace, name)
    return [w for w in found if not kind or w.kind == kind]


_LABEL = re.compile(r"^[\w./-]+$")
