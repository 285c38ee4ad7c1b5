"""A search engine that no service of its Compose project reaches, beside an application that
keeps data of its own: that application's search index, which it re-indexes.

Elasticsearch and OpenSearch are read as the only store of what they are sent (logs, events)
when a shipper or a dashboard of the estate reaches them. One that nothing in the project names
(no ``depends_on``, no link, no URL in any service's environment) is not fed by the project's
shippers; an application beside it that keeps its own records (a volume or bind it writes) is
told where the engine is in its own settings, and indexes its records there: sist2 pushes a
scan's index to the Elasticsearch URL entered in its web UI
(https://github.com/sist2app/sist2/blob/2436e52a4deb0e4b4f8e2da2f0a3c640ba5b9b0d/README.md),
Zammad takes it from its ``ELASTICSEARCH_*`` settings and rebuilds it with
``rake zammad:searchindex:rebuild``
(https://docs.zammad.org/en/latest/install/elasticsearch.html). Such an index is rebuilt from
the application's records: a warm-up on replace, not data lost.

Kubernetes estates are left out: a client there may take the engine's address from a Secret or a
ConfigMap the estate does not hold, so that nothing names it says less.
"""

from __future__ import annotations

from stateward.analysis.audit.dependencies import compose_declared
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import DataImage, data_image
from stateward.analysis.audit.workloads import Workload

__all__ = ["unreached_index"]

_ENGINES = frozenset({"elasticsearch", "opensearch"})


def unreached_index(workload: Workload, family: DataImage, estate: Estate) -> str:
    """Why a search engine's content is an application's index (this module's documentation);
    '' when something of the project reaches it, or nothing beside it keeps data."""
    if workload.platform != "compose" or family.name not in _ENGINES:
        return ""
    if estate.search_clients.get(workload.id):
        return ""
    project = [w for w in estate.compose_project(workload.namespace) if w.id != workload.id]
    names = {workload.name, *_aliases(workload)}
    if any(name in names for w in project for name, _ in compose_declared(w)):
        return ""
    keepers = sorted(w.name for w in project if _keeps_data(w))
    if not keepers:
        return ""
    named = ", ".join(keepers[:3]) + (f" and {len(keepers) - 3} more" if len(keepers) > 3 else "")
    return (
        f"a search index no service of the project reaches, beside {named}, which keep their "
        "records and are told the engine's address in their own settings"
    )


def _aliases(workload: Workload) -> list[str]:
    name = workload.body.get("container_name")
    return [name] if isinstance(name, str) else []


def _keeps_data(workload: Workload) -> bool:
    """A service writing a volume or bind of its own, not another node of a search engine (a
    cluster of them alone is no application's index)."""
    primary = workload.primary
    family = data_image(primary.image) if primary is not None else None
    if family is not None and family.name in _ENGINES:
        return False
    return any(m.writable_store and m.kind in ("volume", "bind") for m in workload.mounts)
