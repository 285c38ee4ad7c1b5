"""``/metrics`` in the Prometheus text format
(https://prometheus.io/docs/instrumenting/exposition_formats/), read from the store at each
scrape so every collector's writes count, whichever process made them.

A registry of the app's own (not prometheus_client's global one): two apps in one process,
as in the tests, do not mix their figures. The audit behind the findings is kept per estate
until it is observed again, so a scrape does not re-audit what has not changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from stateward import api
from stateward.server.auth import Authorizer

__all__ = ["Metrics", "StoreCollector", "metrics_routes"]


class Metrics:
    """The app's registry: the store's figures, and the requests it answered (by method and
    status only: a label per path would grow without bound)."""

    def __init__(self, store: api.StoreRef) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(store))
        self.requests = Counter(
            "stateward_http_requests",
            "HTTP requests answered, by method and status.",
            ["method", "status"],
            registry=self.registry,
        )
        self._answered: dict[tuple[str, int], Counter] = {}

    def answered(self, method: str, status: int, times: int) -> None:
        # each label pair's counter looked up once: labels() took as long as the tile cache
        key = (method, status)
        counter = self._answered.get(key)
        if counter is None:
            counter = self._answered[key] = self.requests.labels(method, str(status))
        counter.inc(times)


def metrics_routes(metrics: Metrics, auth: Authorizer) -> APIRouter:
    """``GET /metrics`` (a read token: Prometheus sends one with ``authorization``)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics", dependencies=[Depends(auth.require("read"))])
    def scrape() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


class StoreCollector:
    """The store's figures as gauges, at scrape time."""

    def __init__(self, store: api.StoreRef) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._audits: dict[str, tuple[int, dict[str, int], int]] = {}

    def collect(self) -> Iterable[Metric]:
        started = time.monotonic()
        figures = api.figures(self.store)
        yield _gauge("stateward_ledger_entries", "Entries in the ledger.", figures.ledger_entries)
        yield _gauge(
            "stateward_ledger_checkpoint_entries",
            "Entries the newest kept signed checkpoint covers.",
            figures.checkpoint_size,
        )
        observations = GaugeMetricFamily(
            "stateward_observations", "Observations recorded per estate.", labels=["estate"]
        )
        age = GaugeMetricFamily(
            "stateward_observation_age_seconds",
            "Seconds since the estate was last observed (collector lag).",
            labels=["estate"],
        )
        findings = GaugeMetricFamily(
            "stateward_findings",
            "Audit findings in the estate's newest observation, by severity.",
            labels=["estate", "severity"],
        )
        changed = GaugeMetricFamily(
            "stateward_components_changed",
            "Components whose binary or context changed in the estate's newest observation.",
            labels=["estate"],
        )
        now = datetime.now(UTC)
        for estate, count in sorted(figures.observations.items()):
            observations.add_metric([estate], count)
            age.add_metric([estate], (now - figures.latest[estate]).total_seconds())
            severities, moved = self._audit(estate, count)
            for severity, n in sorted(severities.items()):
                findings.add_metric([estate, severity], n)
            changed.add_metric([estate], moved)
        yield from (observations, age, findings, changed)
        yield _gauge(
            "stateward_scrape_seconds", "Time taken to read these figures.",
            time.monotonic() - started,
        )  # fmt: skip

    def _audit(self, estate: str, count: int) -> tuple[dict[str, int], int]:
        with self._lock:
            kept = self._audits.get(estate)
        if kept is not None and kept[0] == count:
            return kept[1], kept[2]
        report = api.audit_estate(self.store, estate, None).report.as_dict()
        severities: dict[str, int] = {}
        for finding in report["findings"]:
            severities[finding["severity"]] = severities.get(finding["severity"], 0) + 1
        last = api.timeline(self.store, estate, count - 1 if count > 1 else None)[-1]
        moved = 0 if last.first else len({d.component for d in last.deltas})
        with self._lock:
            self._audits[estate] = (count, severities, moved)
        return severities, moved


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)
