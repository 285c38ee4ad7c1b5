"""An audit spread over processes gives the report one process gives, order included; a worker
that dies is a clear error, not a partial report."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.analysis.audit import RULES, AuditReport, Effect, Hit, audit, detector
from stateward.analysis.audit.engine import SPREAD_FROM
from stateward.api import observe
from stateward.errors import WorkerError
from stateward.model.finding import Severity
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.workers import can_spread, spread_twice

from .truth import CORPORA, corpus_names

pytestmark = pytest.mark.skipif(not can_spread(), reason="needs fork(2) and two cores")


def _observed(*paths: Path) -> Observation:
    return observe([str(p) for p in paths], estate="t", keeper=SecretKeeper(b"s" * 32))


def _same(one: AuditReport, other: AuditReport) -> None:
    """Equal as values and in every order a report shows or keeps."""
    assert other == one
    assert json.dumps(other.as_dict()) == json.dumps(one.as_dict())
    assert list(other.effects.items()) == list(one.effects.items())
    assert list(other.names.items()) == list(one.names.items())
    assert list(other.origins.items()) == list(one.origins.items())


@pytest.mark.parametrize("corpus", corpus_names())
@pytest.mark.parametrize("workers", [2, 3])
def test_a_spread_audit_of_each_corpus_is_the_serial_one(corpus: str, workers: int) -> None:
    observation = _observed(CORPORA / corpus)
    serial = audit(observation, workers=1)
    assert serial.findings and serial.components  # a corpus with something to share out
    _same(serial, audit(observation, workers=workers))


def test_a_spread_audit_of_every_corpus_at_once_is_the_serial_one() -> None:
    observation = _observed(*(CORPORA / corpus for corpus in corpus_names()))
    _same(audit(observation, workers=1), audit(observation, workers=2))


def test_a_large_estate_gives_the_serial_report_shared_or_by_default(tmp_path: Path) -> None:
    # Every fiftieth Deployment a database on a claim, the others its clients by name: every
    # phase (own findings, edges, relations) has something to find in both shares.
    docs = []
    for i in range(SPREAD_FROM + 10):
        store = i - i % 50
        pod = (
            "containers: [{name: db, image: 'postgres:16', volumeMounts: "
            "[{name: d, mountPath: /var/lib/postgresql/data}]}]\n"
            "      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]"
            if i == store
            else "containers: [{name: app, image: 'nginx:1.27', env: [{name: DATABASE_URL, "
            f"value: 'postgres://app-{store}:5432/shop'}}]}}]"
        )
        docs.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}}}\nspec:\n"
            f"  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n      {pod}\n"
            f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: app-{i}}}\n"
            f"spec: {{selector: {{app: app-{i}}}, ports: [{{port: 5432}}]}}\n"
        )
    (tmp_path / "estate.yaml").write_text("---\n".join(docs))
    observation = _observed(tmp_path)
    serial = audit(observation, workers=1)
    assert {"STATE_DEPENDENCY", "SINGLE_REPLICA_RWO"} <= {f.rule for f in serial.findings}
    _same(serial, audit(observation, workers=2))
    _same(serial, audit(observation))  # shared or not, as the machine's load decides


@pytest.fixture
def dying_rule() -> Iterator[str]:
    """A plugin rule that ends the process it runs in, unless that is the test's own."""
    parent = os.getpid()

    @detector("TEST_DYING", Severity.LOW, Effect.CONTEXT)
    def dying(workload: Any, estate: Any) -> Iterator[Hit]:
        """Kills a worker process (as the OOM killer would) the first time it runs there."""
        if os.getpid() != parent:
            os._exit(9)
        yield from ()

    yield dying.id
    del RULES[dying.id]


def test_a_worker_that_dies_mid_audit_is_a_clear_error(dying_rule: str) -> None:
    observation = _observed(CORPORA / "otel-demo")
    assert audit(observation, workers=1).findings  # the rule kills only workers
    with pytest.raises(WorkerError, match="a worker process ended before finishing its share"):
        audit(observation, workers=2)


_SETTLED: list[int] = []
"""What each process was given by spread_twice's settle: forked children have their own copy."""


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(1, 4))
def test_spread_twice_settles_between_and_keeps_each_process_its_positions(
    count: int, later: int, workers: int
) -> None:
    later = min(later, count)  # the audit's second part is over a prefix of the first's

    def first(positions: range) -> list[tuple[int, int]]:
        return [(p * p, os.getpid()) for p in positions]

    def settle(found: list[tuple[int, int]]) -> int:
        _SETTLED[:] = [sum(square for square, _ in found)]
        return _SETTLED[0]

    def second(positions: range) -> list[tuple[int, int, int]]:
        return [(p, _SETTLED[0], os.getpid()) for p in positions]

    def settled(answer: int) -> None:
        _SETTLED[:] = [answer]

    _SETTLED[:] = [-1]
    found, after = spread_twice((first, count), settle, settled, (second, later), workers)
    total = sum(p * p for p in range(count))
    assert [square for square, _ in found] == [p * p for p in range(count)]
    assert [(p, seen) for p, seen, _ in after] == [(p, total) for p in range(later)]
    # each position's second item was made by the process that made its first
    assert [pid for _, _, pid in after] == [pid for _, pid in found[:later]]
    assert len({pid for _, pid in found}) == min(workers, count) or count < 2


def test_an_error_in_a_spread_twice_child_is_raised_here() -> None:
    parent = os.getpid()

    def second(positions: range) -> list[int]:
        if os.getpid() != parent and positions:
            raise ValueError(f"no second share for {positions[0]}")
        return list(positions)

    with pytest.raises(ValueError, match="no second share for 1"):
        spread_twice((list, 4), len, lambda _: None, (second, 4), 2)


def test_a_process_running_threads_does_not_fork() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_spread()
    finally:
        stop.set()
        thread.join()
    assert can_spread()
