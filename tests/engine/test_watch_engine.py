"""``watch engine://`` against the real engine: the state once, then an observation when a
container appears or changes, and a container that dies sealed as the guard seals it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stateward import api
from stateward.forensics.capture import CaptureOptions
from stateward.store import open_store

from .conftest import Make

pytestmark = pytest.mark.engine


def _until(done: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


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
        _until(lambda: bool(recorded), "the first observation")
        time.sleep(1.0)  # the guard has subscribed to the events by now
        box = make_container("watched", ["sh", "-c", "echo hello; sleep 2"], wait=False)
        name = box.name

        def seen() -> bool:
            return any(name in c["resource"] for r in recorded[1:] for c in r.applied)

        _until(seen, "the new container recorded")
        box.wait(timeout=60)
        _until(lambda: any(c.subject == name for c in captured), "its capture")
    finally:
        stop.set()
        watching.join(60)
    assert recorded[0].listed and not recorded[0].applied
    ours = next(c for c in captured if c.subject == name)
    assert ours.trigger in ("die", "stop", "kill") and ours.evidence.startswith("sha256:")
    assert api.verify_evidence(store, ours.evidence).artefacts > 0
    history = store.history("host1")
    assert len(history) == len(recorded)  # each told observation is in the ledger
    changes = [c for r in history[1:] for c in r.summary.get("changes", [])]
    assert any(name in c["resource"] and c["type"] == "ADDED" for c in changes)
    store.close()
