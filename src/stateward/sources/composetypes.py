"""Values Compose would refuse: a boolean or number where its schema has a string.

compose-go validates the loaded file against the Compose Specification's JSON schema before it
interpolates, so ``image: 1.0`` or ``user: 1000`` fails with "services.web.user must be a string"
and the project never starts. The fields checked are the service properties the schema types as
``string``, from
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/schema/compose-spec.json
"""

from __future__ import annotations

from typing import Any

from stateward.model.finding import Finding, Severity
from stateward.model.resource import ResourceKey
from stateward.sources.yamldocs import Document

__all__ = ["RULE", "compose_type_findings"]

RULE = "REJECTED_BY_COMPOSE"
_STRING_FIELDS = (
    "cgroup", "cgroup_parent", "container_name", "cpuset", "domainname", "hostname", "image",
    "ipc", "isolation", "mac_address", "network_mode", "platform", "pull_policy",
    "pull_refresh_after", "restart", "runtime", "stop_grace_period", "stop_signal", "user",
    "userns_mode", "uts", "working_dir",
)  # fmt: skip


def compose_type_findings(doc: Document, path: str, project: str) -> list[Finding]:
    """One finding per service field of ``doc`` (as read, before interpolation) that the
    Compose schema would refuse for its type."""
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    found: list[Finding] = []
    for name, service in (services or {}).items():
        if not isinstance(service, dict):
            continue
        for field in _STRING_FIELDS:
            value = service.get(field)
            if value is not None and not isinstance(value, str | dict | list):
                found.append(_finding(doc, path, project, str(name), service, field))
    return found


def _finding(
    doc: Document, path: str, project: str, name: str, service: dict[str, Any], field: str
) -> Finding:
    what = "a boolean" if isinstance(service[field], bool) else "a number"
    where = f"{path}:{doc.line_of(service, field)}"
    return Finding(
        rule=RULE,
        severity=Severity.HIGH,
        message=f"{where}: services.{name}.{field} is {what} where Compose expects a string; "
        "Compose refuses the file",
        resource=str(ResourceKey("compose", "Service", project, name)),
        path=f"/{field}",
        remedy="Quote the value in the Compose file.",
        evidence=(where,),
    )
