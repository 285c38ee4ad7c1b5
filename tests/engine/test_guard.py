"""``guard`` against the real engine: containers that die get sealed evidence, even when they
are removed right after stopping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import docker
import pytest

from stateward.forensics.capture import capture
from stateward.forensics.evidence import Sealed, verify
from stateward.forensics.guard import Guard, GuardOutcome
from stateward.forensics.records import evidence_records, record_evidence
from stateward.ledger.signer import Ed25519Signer
from stateward.sources.engine.client import Engine, connect
from stateward.store import Store, open_store

from .conftest import Make

pytestmark = pytest.mark.engine


@pytest.fixture
def guarded(engine_url: str, tmp_path: Path) -> Iterator[tuple[Guard, Store, Ed25519Signer]]:
    """A guard running on its own thread, sealing into a fresh store."""
    engine: Engine = connect(engine_url)
    store = open_store(str(tmp_path / "store"))
    signer = Ed25519Signer.generate("guard.test")

    def seal(
        ident: str, trigger: Mapping[str, Any], seen: Mapping[str, Any] | None
    ) -> tuple[Sealed, int]:
        sealed = capture(
            engine,
            ident,
            store=store,
            signer=signer,
            keeper=store.keeper,
            trigger=trigger,
            seen=seen,
        )
        return sealed, record_evidence(store, sealed, "lab")

    watching = threading.Event()
    guard = Guard(engine, seal, workers=4, on_watching=watching.set)
    thread = threading.Thread(target=guard.run, daemon=True)
    thread.start()
    assert watching.wait(60), "the guard did not subscribe to events in 60 s"
    yield guard, store, signer
    guard.stop()
    thread.join(timeout=60)
    store.close()
    engine.close()


def _outcomes_for(guard: Guard, ids: set[str], timeout: float = 60) -> dict[str, GuardOutcome]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = {o.container: o for o in list(guard.outcomes) if o.container in ids}
        if len(found) == len(ids):
            return found
        time.sleep(0.1)
    pytest.fail(f"guard sealed {len(found)} of {len(ids)} containers in {timeout} s")


def _until(done: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def test_guard_seals_evidence_when_a_container_dies(
    guarded: tuple[Guard, Store, Ed25519Signer], make_container: Make
) -> None:
    guard, store, signer = guarded
    box = make_container("guarded", ["sh", "-c", "echo dying; printf x > /tmp/x; sleep 1"])
    (outcome,) = _outcomes_for(guard, {box.id}).values()
    assert outcome.sealed is not None, outcome.error
    manifest = verify(store, outcome.sealed.address, signer.verifier()).manifest
    # the engine is shared: other runs' containers that die meanwhile are sealed too
    logged = {record.address: record.index for record in evidence_records(store)}
    assert logged[outcome.sealed.address] == outcome.ledger_entry
    assert manifest["trigger"]["kind"] == "event"
    assert manifest["trigger"]["event"] in ("die", "kill", "stop")
    assert manifest["subject"]["container"] == box.id


def test_storm_of_stops_and_removals_leaves_sealed_evidence_for_every_container(
    guarded: tuple[Guard, Store, Ed25519Signer], engine: docker.DockerClient, make_container: Make
) -> None:
    guard, store, signer = guarded
    boxes = [make_container(f"storm{i}", ["sleep", "300"], wait=False) for i in range(8)]
    # every start event handled: on a loaded machine 0.5 s was not always enough
    _until(lambda: all(guard.holds(b.id) for b in boxes), "the guard to inspect the 8 starts")
    removers = [threading.Thread(target=b.remove, kwargs={"force": True}) for b in boxes]
    for remover in removers:
        remover.start()
    for remover in removers:
        remover.join()
    outcomes = _outcomes_for(guard, {b.id for b in boxes})
    unsealed = [(o.name, o.error) for o in outcomes.values() if o.sealed is None]
    assert unsealed == []
    when = {True: 0, False: 0}
    for outcome in outcomes.values():
        assert outcome.sealed is not None
        manifest = verify(store, outcome.sealed.address, signer.verifier()).manifest
        assert manifest["subject"]["container"] == outcome.container
        inspect = next(a for a in manifest["artefacts"] if a["name"] == "inspect")
        assert inspect["outcome"] == "collected"
        when[manifest["inspected"] == "at capture"] += 1
    print(f"storm: {when[True]} inspected at capture, {when[False]} from the start event")
