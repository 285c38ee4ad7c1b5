"""A Squid whose configuration turns on no disk cache keeps nothing on disk.

Squid caches on disk only in the stores its ``cache_dir`` lines name; with none, "No disk
cache. Store cache objects only in memory" (squid.conf's ``cache_dir``, "Default Value",
https://www.squid-cache.org/Doc/config/cache_dir/). A project that binds its own file (or a
template its entrypoint renders into ``squid.conf``: Dify's ``ssrf_proxy``, ``# cache_dir ufs
/var/spool/squid 100 16 256``,
https://github.com/0becny/dify/blob/baf26c9ad05cdc738556623eab39d5a8c7ca78ce/docker/ssrf_proxy/squid.conf.template)
says so in that file. Only a file the service is given is read: the image's own default is not.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.workloads import Workload

__all__ = ["memory_only_squid"]

_CONFIG = re.compile(r"^/etc/squid/squid\.conf(\.\w+)?$")
_CACHE_DIR = re.compile(r"^\s*cache_dir\s", re.MULTILINE)


def memory_only_squid(workload: Workload) -> str:
    """Why the Squid of ``workload`` keeps no disk cache: its bound configuration names no
    ``cache_dir`` ('' when it names one, or no configuration is bound)."""
    configs = [(path, text) for path, text in workload.resource.files if _CONFIG.match(path)]
    if not configs or any(_CACHE_DIR.search(text) for _, text in configs):
        return ""
    return f"{configs[0][0]} sets no cache_dir: Squid caches in memory only, nothing on disk"
