"""Data directories a Compose service's bound configuration file names: a ``data_dir`` key.

A program configured from a YAML file is often told there where it keeps its state, under the key
``data_dir``: Cortex's configuration reference gives ``data_dir`` to its Alertmanager and its
compactor (https://cortexmetrics.io/docs/configuration/configuration-file/#alertmanager_config, the
page Cortex's own getting-started file cites beside each block). The Compose source reads the text
files a service binds (:mod:`stateward.sources.bound`); a ``data_dir`` there with an absolute path,
not a scratch folder (``/tmp/cortex/compactor``), is where the program writes what it keeps, as a
data directory an environment variable names is (:func:`~.appdata.data_pointers`). Read in the
service's own bound files only: a key of that name in a file another program reads says nothing of
this one; and only that key, not a bare ``dir`` (a TSDB's head block beside an object store the
blocks are shipped to says less).
"""

from __future__ import annotations

from collections.abc import Iterator

from stateward.analysis.audit.appdata import scratch_folder
from stateward.analysis.audit.config_trees import yaml_tree
from stateward.analysis.audit.workloads import Workload

__all__ = ["configured_data_dirs"]

_KEYS = frozenset({"data_dir", "data-dir"})
_YAML = (".yml", ".yaml")


def configured_data_dirs(workload: Workload) -> dict[str, str]:
    """Absolute paths a bound YAML file of the service names under ``data_dir`` -> why."""
    found: dict[str, str] = {}
    for inside, text in workload.resource.files:
        if not inside.lower().endswith(_YAML):
            continue
        for key, path in _data_dirs(yaml_tree(text)):
            path = path.rstrip("/")
            if path.startswith("/") and not scratch_folder(path):
                found.setdefault(path, f"{key} in {inside}")
    return found


def _data_dirs(tree: object) -> Iterator[tuple[str, str]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in _KEYS and isinstance(value, str):
                yield str(key), value
            else:
                yield from _data_dirs(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _data_dirs(item)
