"""Secrets a plain workload makes, and those it takes by name: a certificate generator's Job.

kube-webhook-certgen's ``create --secret-name=<name>`` generates a CA and a serving certificate
and stores them in that Secret; its ``patch --secret-name=<name>`` reads the CA back from it
to register the webhook ("store the results in a secret 'secret-name'", "by using the ca from
'secret-name'": https://github.com/kubernetes/ingress-nginx/blob/
95f7d0fc006109e8bca9af88cea544bc4efc40b1/images/kube-webhook-certgen/rootfs/README.md). The
controller that serves the webhook mounts the
Secret. Such a Secret is made again by a new run, and whoever mounts it, or names it to read,
depends on the workload making it (:func:`~stateward.analysis.audit.by_name.mounted_secret_writers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.workloads import Workload

__all__ = ["made_secrets", "named_secrets"]

_SECRET_FLAG = re.compile(r"^--secret-name(?:=(?P<name>\S+))?$")
# The sub-commands that make what they are handed (a generator's verbs), among the first words.
_MAKING = frozenset({"create", "generate", "gen"})


def made_secrets(workload: Workload) -> list[str]:
    """The Secrets a workload's command says it makes (``create --secret-name=x``)."""
    return [name for name, making in _secret_flags(workload) if making]


def named_secrets(workload: Workload) -> list[str]:
    """The Secrets a workload's command names to read (``patch --secret-name=x``)."""
    return [name for name, making in _secret_flags(workload) if not making]


def _secret_flags(workload: Workload) -> Iterator[tuple[str, bool]]:
    for container in workload.all_containers():
        words = container.command
        making = bool(_MAKING.intersection(w.lower() for w in words[:2]))
        for i, word in enumerate(words):
            if match := _SECRET_FLAG.match(word):
                name = match.group("name") or (words[i + 1] if i + 1 < len(words) else "")
                if name and not name.startswith("-"):
                    yield name, making
