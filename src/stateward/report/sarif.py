"""SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for any analysis's findings.

One ``run`` per call (§3.14), the tool's rules as ``reportingDescriptor`` objects (§3.49) and one
``result`` per finding (§3.27). A finding's place is given twice: as a physical location
(§3.29; file and line where the object was read, when known) and as a logical location (§3.33;
the object and the JSON pointer inside it), so a result still means something for objects read
from a live API. Severities map to ``level`` (§3.27.10): high → error, medium → warning,
low and info → note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import quote

from stateward.analysis.audit.interface import RULES
from stateward.analysis.audit.report import AuditReport
from stateward.model.canonical import digest
from stateward.model.finding import Finding, Severity
from stateward.model.resource import unquote_part
from stateward.model.rule import RuleInfo
from stateward.report.fieldlines import FieldLines

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "audit_sarif", "to_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVELS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


# GitHub code scanning reads a rule's ``security-severity`` (0.0-10.0) to rank security
# results: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low
# (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object).
_SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}


def to_sarif(
    findings: Iterable[Finding],
    tool_name: str,
    rules: Iterable[RuleInfo],
    *,
    tool_version: str = "",
    origins: Mapping[str, str] | None = None,
    field_lines: Literal["", "pointer", "component"] = "",
) -> dict[str, Any]:
    """A SARIF log with one run holding ``findings``.

    ``origins`` maps a finding's ``resource`` (else its ``component``) to ``path:line`` where
    it was read; with ``field_lines`` the line is the field's own, the finding's path being a
    JSON pointer into that object (``pointer``) or a component path (``component``). A finding whose rule is not among ``rules`` still gets a descriptor, built
    from the finding itself.
    """
    descriptors = {rule.id: _descriptor(rule) for rule in rules}
    located = _located(origins or {}, field_lines)
    results = []
    for finding in findings:
        if finding.rule not in descriptors:
            descriptors[finding.rule] = {"id": finding.rule, "name": finding.rule}
        results.append(_result(finding, list(descriptors).index(finding.rule), located))
    driver: dict[str, Any] = {"name": tool_name, "rules": list(descriptors.values())}
    if tool_version:
        driver["version"] = tool_version
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A ``reportingDescriptor`` (§3.49)."""
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title or rule.id},
        "defaultConfiguration": {"level": _LEVELS[Severity(rule.severity)]},
        "properties": {"severity": str(rule.severity)},
    }
    if rule.remedy:
        descriptor["help"] = {"text": rule.remedy}
    description, help_uri = getattr(rule, "description", ""), getattr(rule, "help_uri", "")
    if description:
        descriptor["fullDescription"] = {"text": description}
    if help_uri:
        descriptor["helpUri"] = help_uri
    security = _SECURITY_SEVERITY.get(Severity(rule.severity))
    if security:
        descriptor["properties"]["security-severity"] = security
    return descriptor


Locate = Callable[[Finding], str | None]


def _located(origins: Mapping[str, str], field_lines: str) -> Locate:
    """Where a finding was read: its resource's (else its component's) origin, refined to
    the field's line."""
    lines = FieldLines()

    def locate(finding: Finding) -> str | None:
        origin = origins.get(finding.resource or finding.component or "")
        if origin is None or not finding.path:
            return origin
        if field_lines == "pointer" and finding.resource:
            name = unquote_part(str(finding.resource).rpartition("/")[2])
            return lines.origin(origin, name, finding.path)
        if field_lines == "component" and finding.component:
            return lines.near(origin, finding.component.rpartition("/")[2], finding.path)
        return origin

    return locate


def _result(finding: Finding, index: int, locate: Locate) -> dict[str, Any]:
    """A ``result`` (§3.27) with a stable partial fingerprint (§3.27.17)."""
    where = f"{finding.resource or finding.component or ''}{finding.path}"
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": finding.path or "/", "fullyQualifiedName": where, "kind": "object"}
        ]
    }
    physical = _physical(locate(finding))
    if physical:
        location["physicalLocation"] = physical
    properties: dict[str, Any] = {"severity": str(finding.severity)}
    if finding.component:
        properties["component"] = finding.component
    if finding.evidence:
        properties["evidence"] = list(finding.evidence)
    identity = [finding.rule, finding.component, finding.resource, finding.path]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVELS[Severity(finding.severity)],
        "message": {"text": finding.message or finding.rule},
        "locations": [location],
        "partialFingerprints": {"stateward/v1": digest(identity)},
        "properties": properties,
    }


def _physical(origin: str | None) -> dict[str, Any] | None:
    """``physicalLocation`` (§3.29) from ``path:line``; None when the origin is not a file."""
    if not origin or "://" in origin:
        return None
    path, _, line = origin.rpartition(":")
    if not path or not line.isascii() or not line.isdigit() or int(line) < 1:
        path, line = origin, ""
    uri = _uri(path)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line:
        physical["region"] = {"startLine": int(line)}
    return physical


def _uri(path: str) -> str:
    """A URI reference (RFC 3986) for a file path: ``file://`` when absolute, else relative."""
    posix = PurePosixPath(path.replace("\\", "/"))
    text = quote(str(posix), safe="/-._~")
    return f"file://{text}" if posix.is_absolute() else text


def audit_sarif(report: AuditReport, tool_version: str = "") -> dict[str, Any]:
    """An audit's findings as a SARIF 2.1.0 log, every registered rule described."""
    return to_sarif(
        report.findings, "stateward-audit", RULES.values(), tool_version=tool_version,
        origins=report.origins,
    )  # fmt: skip
