"""``watch engine://`` against the real engine: the state once, then an observation when a
container appears or changes, and a container that dies sealed as the guard seals it."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from stateward import api
from stateward.forensics.capture import CaptureOptions
from stateward.store import open_store

from .conftest import Make
from .services import SecondService, until

pytestmark = pytest.mark.engine


def test_watch_engine_records_changes_and_seals_a_dying_container(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    store = open_store(str(tmp_path / "store"))
    recorded: list[api.Recorded] = []
    captured: list[api.WatchCapture] = []
    stop = threading.Event()
    watching = threading.Thread(
        target=api.watch, args=(store, engine_url), daemon=True,
        kwargs={"estate": "host1", "on_record": recorded.append, "stop": stop,
                "debounce_s": 0.3, "capture": CaptureOptions(), "on_capture": captured.append},
    )  # fmt: skip
    watching.start()
    try:
        until(lambda: bool(recorded), "the first observation")
        time.sleep(1.0)  # the guard has subscribed to the events by now
        box = make_container("watched", ["sh", "-c", "echo hello; sleep 2"], wait=False)
        name = box.name

        def seen() -> bool:
            return any(name in c["resource"] for r in recorded[1:] for c in r.applied)

        until(seen, "the new container recorded")
        box.wait(timeout=60)
        until(lambda: any(c.subject == name for c in captured), "its capture")
    finally:
        stop.set()
        watching.join(60)
    # The first observation is the listing; ours started after it (another container the shared
    # engine runs may come and go meanwhile, so only ours is looked for).
    assert recorded[0].listed and not any(name in c["resource"] for c in recorded[0].applied)
    ours = next(c for c in captured if c.subject == name)
    assert ours.trigger in ("die", "stop", "kill") and ours.evidence.startswith("sha256:")
    assert api.verify_evidence(store, ours.evidence).artefacts > 0
    history = store.history("host1")
    assert len(history) == len(recorded)  # each told observation is in the ledger
    changes = [c for r in history[1:] for c in r.summary.get("changes", [])]
    assert any(name in c["resource"] and c["type"] == "ADDED" for c in changes)
    store.close()


def test_watch_engine_follows_an_engine_that_goes_away_and_comes_back(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    """The engine's API goes away mid-watch: nothing is recorded as removed meanwhile, the
    watch connects again once it is back, and records what changed in between."""
    if shutil.which("podman") is None:
        pytest.skip("PODMAN MISSING: a second API service cannot be started")
    service = SecondService(tmp_path / "second.sock")
    service.start()
    store = open_store(str(tmp_path / "store"))
    recorded: list[api.Recorded] = []
    stop = threading.Event()
    watching = threading.Thread(
        target=api.watch, args=(store, service.url), daemon=True,
        kwargs={"estate": "host1", "on_record": recorded.append, "stop": stop,
                "debounce_s": 0.2},
    )  # fmt: skip
    watching.start()
    try:
        until(lambda: bool(recorded), "the first observation")
        service.stop()
        box = make_container("meanwhile", ["sleep", "60"], wait=False)  # through the shared one
        time.sleep(2.0)  # a watch that took the silence for an empty engine would record now
        assert len(recorded) == 1 and watching.is_alive()
        service.start()
        until(lambda: any(box.name in c["resource"] and c["type"] == "ADDED"
                           for r in recorded[1:] for c in r.applied),
               "the container made while the engine was away")  # fmt: skip
    finally:
        stop.set()
        watching.join(60)
        service.stop()
    assert not watching.is_alive()
    history = store.history("host1")
    assert len(history) == len(recorded)
    assert not any(c["type"] == "DELETED" for r in history[1:]
                   for c in r.summary.get("changes", []) if "meanwhile" in c["resource"])  # fmt: skip
    store.close()
