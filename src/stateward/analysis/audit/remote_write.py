"""A Prometheus that remote-writes its samples to a store of the same estate keeps a copy.

Prometheus's ``remote_write`` sends every sample it scrapes to a remote endpoint as well as its
local TSDB ("Prometheus can be configured to write samples that it ingests to a remote URL",
https://prometheus.io/docs/prometheus/latest/configuration/configuration/#remote_write;
https://prometheus.io/docs/operating/integrations/#remote-endpoints-and-storage). When that
endpoint is a workload of the estate (Cortex, Mimir, Thanos Receive, VictoriaMetrics), the
long-term store is there, and the local TSDB holds a copy of what was sent: a replacement
starts it empty and scrapes again, a warm-up. An endpoint outside the estate (Uptrace's
published port on the host) is not seen to be kept, so it counts for nothing.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import config_files, hosts_in, resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["remote_written"]

# A ``remote_write`` entry's ``url`` (``- url: http://cortex:9009/api/v1/push``) after the key.
_REMOTE_WRITE = re.compile(r"^remote_write:\s*\n((?:[ \t-].*\n?)*)", re.MULTILINE)
_URL = re.compile(r"\burl:\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)


def remote_written(workload: Workload, container: Container, estate: Estate) -> str:
    """Why a Prometheus's local TSDB is a copy: the workloads of the estate its configuration
    remote-writes to ('' when it names none)."""
    kept: list[str] = []
    for _, text, _ in config_files(workload, container, estate):
        for block in _REMOTE_WRITE.findall(text):
            for url in _URL.findall(block):
                kept += [
                    w.name for h in hosts_in("", url) for w in resolve_host(h, workload, estate)
                ]
    if not kept:
        return ""
    names = ", ".join(sorted(set(kept)))
    return f"its samples are remote-written to {names} (remote_write): the local TSDB is a copy"
