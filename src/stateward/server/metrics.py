"""``/metrics`` in the Prometheus text format
(https://prometheus.io/docs/instrumenting/exposition_formats/), read from the store at each
scrape so every collector's writes count, whichever process made them.

A registry of the app's own (not prometheus_client's global one): two apps in one process,
as in the tests, do not mix their figures. The audit behind the findings is kept per estate
until it is observed again, so a scrape does not re-audit what has not changed.
"""

from __future__ import annotations

import array
import copy
import ctypes
import multiprocessing as mp
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from stateward import api
from stateward.server.auth import Authorizer

__all__ = ["METHODS", "Metrics", "RequestCounts", "StoreCollector", "metrics_routes"]


class Metrics:
    """The app's registry: the store's figures, and the requests its server answered."""

    def __init__(self, store: api.StoreRef, requests: RequestCounts | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(store))
        self.requests = requests or RequestCounts()
        self.registry.register(self.requests)

    def answered(self, method: str, status: int, times: int) -> None:
        self.requests.add(method, status, times)


METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER")
"""The ``method`` label's values: any other method is counted as OTHER, so a client cannot add
labels (Prometheus keeps a series per label value)."""
_STATUSES = 500  # 100 to 599
_CELLS = len(METHODS) * _STATUSES
_METHOD = {m: i for i, m in enumerate(METHODS)}


class RequestCounts:
    """Requests answered by method and status, each worker process counting in its own row of
    memory they all share (made before they are forked), so a scrape answered by any worker
    counts the whole server's. Each row has one writer, so no lock is taken across processes."""

    def __init__(self, workers: int = 1) -> None:
        self._cells = mp.get_context("fork").RawArray(ctypes.c_uint64, workers * _CELLS)
        self._row = 0

    def of_worker(self, index: int) -> RequestCounts:
        """These counts, as worker ``index`` adds to them."""
        mine = copy.copy(self)
        mine._row = index * _CELLS
        return mine

    def add(self, method: str, status: int, times: int) -> None:
        if 100 <= status < 600:
            cell = self._row + _METHOD.get(method, _METHOD["OTHER"]) * _STATUSES + status - 100
            self._cells[cell] += times

    def collect(self) -> Iterable[Metric]:
        counts = array.array("Q", bytes(self._cells))
        family = CounterMetricFamily(
            "stateward_http_requests",
            "HTTP requests answered, by method and status (all worker processes).",
            labels=["method", "status"],
        )
        for cell in range(_CELLS):
            total = sum(counts[cell::_CELLS])
            if total:
                method, status = divmod(cell, _STATUSES)
                family.add_metric([METHODS[method], str(status + 100)], total)
        yield family


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
