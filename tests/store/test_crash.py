"""Fault injection: ``kill -9`` at random points of ``scan``, ``capture`` and ledger appends.

Each trial starts one operation against one store (a real ``stateward scan`` of the test Podman
engine, a real ``stateward capture`` of a container on it, or a process appending ledger
entries) and kills it with SIGKILL after a random delay between 0 and 1.2 times how long the
operation takes when left alone, so kills land before, during and after its write. Afterwards
the store must verify, and everything acknowledged must be there: a scan or capture whose
command printed its result, an append whose index was reported after its commit.

``STATEWARD_FAULT_TRIALS`` trials per backend (10 in ``make test``, 100 in ``make soak``); the
random seed is printed so a failing sequence can be replayed (``STATEWARD_FAULT_SEED``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docker
import pytest
from docker.models.containers import Container
from tests.engine.conftest import IMAGE, TEST_LABEL

from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.storage import sql
from stateward.store import open_store
from stateward.store.integrity import verify_store

from . import ledger_workers

pytestmark = pytest.mark.engine
STATEWARD = str(Path(sys.executable).with_name("stateward"))
TRIALS = int(os.environ.get("STATEWARD_FAULT_TRIALS", "10"))
OPERATIONS = ("scan", "capture", "append")


@dataclass
class Acknowledged:
    """What the killed operations reported as done before they died."""

    observations: dict[int, str] = field(default_factory=dict)  # entry -> manifest
    evidence: dict[int, str] = field(default_factory=dict)  # entry -> seal
    appended: set[int] = field(default_factory=set)  # entry indexes


@dataclass
class Bench:
    """Where the trials run and what they acknowledged."""

    store: str
    engine: str
    box: Container
    scratch: Path
    acknowledged: Acknowledged = field(default_factory=Acknowledged)


@pytest.fixture
def target(engine_url: str) -> Iterator[Container]:
    """An exited container with a changed file, for ``capture``."""
    client = docker.DockerClient(base_url=engine_url, timeout=60)
    box = client.containers.run(
        IMAGE, ["sh", "-c", "printf kept > /tmp/kept"], detach=True, labels={TEST_LABEL: "1"}
    )
    box.wait(timeout=60)
    yield box
    box.remove(force=True)
    client.close()


def _trial(bench: Bench, operation: str, delay: float | None) -> float:
    """One operation, killed after ``delay`` seconds (or left alone); how long it ran."""
    started = time.monotonic()
    if operation == "append":
        _append(bench, delay)
    else:
        _command(bench, operation, delay)
    return time.monotonic() - started


def _command(bench: Bench, operation: str, delay: float | None) -> None:
    common = ["--estate", "lab", "--store", bench.store, "--json"]
    command = (
        [STATEWARD, "scan", bench.engine, *common]
        if operation == "scan"
        else [STATEWARD, "capture", str(bench.box.id), "--engine", bench.engine, *common]
    )
    out = bench.scratch / "stdout"
    with out.open("w") as stdout:
        child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=delay if delay is not None else 300)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
    try:
        document = json.loads(out.read_text())
    except ValueError:
        return  # killed before it printed its result: nothing was promised
    if operation == "scan":
        record = document["observation"]
        bench.acknowledged.observations[record["entry"]] = record["manifest"]
    else:
        bench.acknowledged.evidence[document["ledger_entry"]] = document["evidence"]


def _append(bench: Bench, delay: float | None) -> None:
    log = bench.scratch / "appended"
    child = multiprocessing.get_context("spawn").Process(
        target=ledger_workers.append_acknowledged, args=(bench.store, str(log))
    )
    child.start()
    if delay is None:  # it appends until killed: left alone, until its first append is done
        deadline = time.monotonic() + 120
        while "\n" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "the appender never appended"
            time.sleep(0.05)
    else:
        time.sleep(delay)
    os.kill(child.pid or 0, signal.SIGKILL)
    child.join()
    if not log.exists():
        return
    for line in log.read_text().splitlines(keepends=True):
        if line.endswith("\n"):  # a line cut by the kill promised nothing
            first, count = map(int, line.split())
            bench.acknowledged.appended.update(range(first, first + count))
    log.unlink()


def _check_nothing_acknowledged_is_lost(location: str, acknowledged: Acknowledged) -> None:
    store = open_store(location)
    report = verify_store(store)
    assert report.ok, [p.text() for p in report.problems]
    rows = {r.entry: r.manifest for r in store.history("lab")}
    assert acknowledged.observations.items() <= rows.items()
    size = int(store.ledger.size())
    leaves = [Entry.decode(e) for e in store.db.read_only(lambda c: sql.read_entries(c, 0, size))]
    for index, seal in acknowledged.evidence.items():
        assert leaves[index].type is EntryType.EVIDENCE and leaves[index].objects["seal"] == seal
    for index in acknowledged.appended:
        assert leaves[index].type is EntryType.POLICY and leaves[index].estate == "faults"
    store.close()


def test_kill_9_at_random_points_loses_nothing_acknowledged(
    store_location: str, engine_url: str, target: Container, tmp_path: Path
) -> None:
    seed = int(os.environ.get("STATEWARD_FAULT_SEED", str(random.randrange(1 << 32))))
    print(f"fault injection: seed {seed}, {TRIALS} trials")  # shown when the test fails
    rng = random.Random(seed)
    engine = "engine://" + engine_url.removeprefix("unix://")
    bench = Bench(store_location, engine, target, tmp_path)
    # each left alone once: how long it takes, and a store whose keys already exist
    took = {operation: _trial(bench, operation, None) for operation in OPERATIONS}
    for _ in range(TRIALS):
        operation = rng.choice(OPERATIONS)
        _trial(bench, operation, rng.uniform(0, 1.2 * took[operation]))
    acknowledged = bench.acknowledged
    assert acknowledged.observations and acknowledged.evidence and acknowledged.appended
    _check_nothing_acknowledged_is_lost(store_location, acknowledged)
