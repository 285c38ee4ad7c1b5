"""``watch engine://`` against the real engine: the state once, then an observation when a
container appears or changes, and a container that dies sealed as the guard seals it."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import docker
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


class _Service:
    """A second Podman API service over the test engine's storage, on its own socket: one
    this test can stop and start again while the shared one serves the other tests."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            ["podman", "system", "service", "--time=0", self.url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _until(self._answers, "the second API service", limit=30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None

    def _answers(self) -> bool:
        try:  # the client asks the service its API version as it is made
            client = docker.DockerClient(base_url=self.url, timeout=5)
        except (docker.errors.DockerException, OSError):
            return False
        try:
            return bool(client.ping())
        except (docker.errors.DockerException, OSError):
            return False
        finally:
            client.close()


def test_watch_engine_follows_an_engine_that_goes_away_and_comes_back(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    """The engine's API goes away mid-watch: nothing is recorded as removed meanwhile, the
    watch connects again once it is back, and records what changed in between."""
    if shutil.which("podman") is None:
        pytest.skip("PODMAN MISSING: a second API service cannot be started")
    service = _Service(tmp_path / "second.sock")
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
        _until(lambda: bool(recorded), "the first observation")
        service.stop()
        box = make_container("meanwhile", ["sleep", "60"], wait=False)  # through the shared one
        time.sleep(2.0)  # a watch that took the silence for an empty engine would record now
        assert len(recorded) == 1 and watching.is_alive()
        service.start()
        _until(lambda: any(box.name in c["resource"] and c["type"] == "ADDED"
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
