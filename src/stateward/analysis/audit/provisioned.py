"""A Grafana whose data sources and dashboards are provisioned from files mounted into it.

Grafana reads the YAML files of its provisioning directory at every start and creates the data
sources, dashboards and alerting resources they describe ("Grafana can be managed by adding one
or more YAML config files in the provisioning/ directory",
https://grafana.com/docs/grafana/latest/administration/provisioning/); its image sets that
directory to ``/etc/grafana/provisioning`` (``GF_PATHS_PROVISIONING``) beside its database's
``GF_PATHS_DATA=/var/lib/grafana``
(https://github.com/grafana/grafana/blob/78515af65f036f536c4ab2e6fdb5484552f99f1f/Dockerfile).
A pod mounting its provisioning from ConfigMaps with no volume at the data directory comes back
with the same data sources and dashboards: its database held only what was made in the UI
since, a warm-up, not the records the pod exists for. The shared corpora's tables read such a
Grafana so (multigres's, pyroscope's, the agent operator's examples, flowlogs-pipeline's); one
provisioned from files in its own image, not mounted (DevLake's dashboard image), says nothing
here.
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.filepaths import at_or_under

__all__ = ["provisioned_from_mounts"]

_GRAFANA = frozenset({"grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise"})
_PROVISIONING = "/etc/grafana/provisioning"
_DATA = "/var/lib/grafana"


def provisioned_from_mounts(workload: Workload, container: Container, path: str) -> str:
    """Why ``path``, the Grafana's data directory, holds only what its provisioned files
    recreate at start ('' for another image, path or a Grafana provisioned from no mount)."""
    if repository(container.image) not in _GRAFANA:
        return ""
    if path.rstrip("/") != container.env.get("GF_PATHS_DATA", _DATA).rstrip("/"):
        return ""
    root = container.env.get("GF_PATHS_PROVISIONING", _PROVISIONING)
    mounted = sorted(m.target for m in workload.mounts_of(container) if at_or_under(m.target, root))
    if not mounted:
        return ""
    return (
        f"its data sources and dashboards are provisioned from files mounted at "
        f"{', '.join(mounted)} and read again at start: the database keeps only what is made "
        "in the UI"
    )
