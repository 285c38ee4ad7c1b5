"""Where an OCI registry configured by file keeps the images pushed to it.

A registry keeps every pushed manifest and blob under its storage root, which its configuration
file names: the CNCF Distribution registry at ``storage.filesystem.rootdirectory``
(https://distribution.github.io/distribution/about/configuration/#storage), zot at
``storage.rootDirectory`` (https://zotregistry.dev/v2.1.0/admin-guide/admin-configuration/).
What is pushed there exists nowhere else. A Distribution registry configured as a pull-through
cache (a ``proxy`` section with its ``remoteurl``) keeps only copies of another registry's
images, fetched again (https://distribution.github.io/distribution/recipes/mirror/): no data.

The configuration files read are those a container mounts from a ConfigMap or binds from the
Compose project (:func:`~stateward.analysis.audit.dependencies.config_files`).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["registry_roots"]

# ``rootdirectory: /var/lib/registry`` (YAML) or ``"rootDirectory": "/var/lib/registry"`` (JSON).
_ROOT = re.compile(r"""["']?rootdirectory["']?\s*:\s*["']?(/[^"'\s,}]*)""", re.IGNORECASE)
_STORAGE = re.compile(r"""(^|[\s{,])["']?storage["']?\s*:""", re.IGNORECASE)
_PULL_THROUGH = re.compile(r"""["']?remoteurl["']?\s*:""", re.IGNORECASE)


def registry_roots(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """Storage roots a registry's configuration file names -> the file, for the finding."""
    found: dict[str, str] = {}
    for _, text, where in config_files(workload, container, estate):
        roots = _ROOT.findall(text)  # first: most files name no root, and are read once
        if roots and _STORAGE.search(text) and not _PULL_THROUGH.search(text):
            for root in roots:
                found.setdefault(root.rstrip("/") or "/", where)
    return found
