"""Notifications when a collector records: drift that appeared, and high findings that are new,
each compared with the estate's observation before, so a restarted server does not repeat them.

Declared per estate in ``stateward.yaml``::

    notify:
      - webhook: https://hooks.example/stateward      # POST of one JSON notice
      - alertmanager: http://alertmanager:9093        # POST /api/v2/alerts

The Alertmanager form is its v2 API's ``postableAlerts``
(https://github.com/prometheus/alertmanager/blob/v0.28.1/api/v2/openapi.yaml). A notice names
what changed (object, path, facet) and never a value: a drifted value may be secret.
A receiver that fails is logged and the collector goes on; redirects are not followed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from stateward.api._audit import audit_estate
from stateward.api._compare import drift
from stateward.api._stores import StoreRef
from stateward.errors import InputError
from stateward.model.canonical import digest

__all__ = ["HIGH", "Notice", "Receiver", "notice_for", "receivers", "send"]

HIGH = frozenset({"high", "critical"})
TIMEOUT_S = 10
LOG = logging.getLogger("stateward.server.notify")
_KINDS = ("webhook", "alertmanager")


@dataclass(frozen=True)
class Receiver:
    """Where notices of one estate go."""

    kind: str
    """``webhook`` or ``alertmanager``."""
    url: str


@dataclass(frozen=True)
class Notice:
    """What is new in one observation of an estate."""

    estate: str
    seq: int
    drift: tuple[dict[str, str], ...]
    """Each drifted object, path and facet, when drift appeared or changed; else empty."""
    findings: tuple[dict[str, Any], ...]
    """High and critical findings the observation before did not have."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "estate": self.estate,
            "observation": self.seq,
            "drift": list(self.drift),
            "new_findings": list(self.findings),
        }


def receivers(where: str, value: Any) -> tuple[Receiver, ...]:
    """The ``notify:`` list of an estate entry (``where`` names it in errors)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(where, "a list of {webhook: URL} or {alertmanager: URL}")
    found = []
    for n, item in enumerate(value):
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in _KINDS:
            raise InputError(f"{where}[{n}]", "one of webhook: URL or alertmanager: URL")
        kind, url = next(iter(item.items()))
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise InputError(f"{where}[{n}].{kind}", "an http:// or https:// URL")
        found.append(Receiver(kind, url))
    return tuple(found)


def notice_for(
    store: StoreRef, estate: str, seq: int, desired: str | None, previous: int | None
) -> Notice | None:
    """What observation ``seq`` of ``estate`` brought that observation ``previous`` had not:
    drift from the recorded ``desired`` estate, and high findings. None when nothing."""
    changed: tuple[dict[str, str], ...] = ()
    if desired is not None:
        now = _drifted(store, desired, f"{estate}@#{seq}")
        before = _drifted(store, desired, f"{estate}@#{previous}") if previous else {}
        changed = tuple(now.values()) if now and now.keys() != before.keys() else ()
    found = _high(store, estate, seq)
    if previous:
        known = {_finding_key(f) for f in _high(store, estate, previous)}
        found = tuple(f for f in found if _finding_key(f) not in known)
    if not changed and not found:
        return None
    return Notice(estate, seq, changed, found)


def _drifted(store: StoreRef, desired: str, live: str) -> dict[str, dict[str, str]]:
    """Each drifted object, path and facet, keyed by them and a digest of both values (so a
    value that drifts further is news; the values themselves are not sent)."""
    report = drift(store, desired, live).report.as_dict()
    return {
        digest(c): {"object": c["subject"], "path": c["path"], "facet": c["facet"]}
        for c in report["changes"]
    }


def _high(store: StoreRef, estate: str, seq: int) -> tuple[dict[str, Any], ...]:
    report = audit_estate(store, estate, f"#{seq}").report.as_dict()
    return tuple(
        {"rule": f["rule"], "severity": f["severity"], "component": (f["component"] or {}).get("id"),
         "message": f["message"]}
        for f in report["findings"] if f["severity"] in HIGH
    )  # fmt: skip


def _finding_key(finding: dict[str, Any]) -> tuple[str, str | None]:
    return finding["rule"], finding["component"]


def send(notice: Notice, to: tuple[Receiver, ...]) -> list[str]:
    """POST ``notice`` to each receiver; the failures, one line each (also logged)."""
    failed = []
    for receiver in to:
        body = notice.as_dict() if receiver.kind == "webhook" else _alerts(notice)
        url = receiver.url.rstrip("/") + (
            "/api/v2/alerts" if receiver.kind == "alertmanager" else ""
        )
        try:
            answer = requests.post(url, json=body, timeout=TIMEOUT_S, allow_redirects=False)
            if answer.status_code >= 300:
                raise requests.HTTPError(f"answered {answer.status_code}")
        except requests.RequestException as error:
            line = f"estate {notice.estate}: {receiver.kind} {url}: {type(error).__name__}: {error}"
            LOG.warning("%s", line)
            failed.append(line)
    return failed


def _alerts(notice: Notice) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    alerts = []
    if notice.drift:
        alerts.append({
            "labels": {"alertname": "StatewardDrift", "estate": notice.estate, "severity": "warning"},
            "annotations": {"summary": f"{notice.estate} drifted from its desired source in "
                            f"observation #{notice.seq}: {len(notice.drift)} change(s)"},
            "startsAt": now,
        })  # fmt: skip
    alerts += [
        {
            "labels": {
                "alertname": "StatewardFinding",
                "estate": notice.estate,
                "rule": f["rule"],
                "component": f["component"] or "",
                "severity": f["severity"],
            },
            "annotations": {"summary": f["message"]},
            "startsAt": now,
        }  # fmt: skip
        for f in notice.findings
    ]
    return alerts
