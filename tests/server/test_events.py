"""``/events``: an observation recorded by another process reaches an open stream as a
server-sent event naming the estate, its number and the components that changed."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from tests.server.conftest import SHOP, running, scanned_shop, stateward, tokens

from stateward import api
from stateward.server import Settings
from stateward.server.events import Feed, new_observations


def test_new_observations_are_the_ones_since(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    found, seen = new_observations(location, {})
    assert [(e["estate"], e["seq"], e["changed"]) for e in found] == [
        ("shop", 1, []),
        ("shop", 2, found[1]["changed"]),
    ]
    assert "k8s:Deployment/shop/cart" in found[1]["changed"]
    assert seen == {"shop": 2}
    assert new_observations(location, seen) == ([], seen)
    stateward("scan", str(SHOP / "live/production.yaml"), "--estate", "other", "--store", location)
    found, seen = new_observations(location, seen)
    assert [(e["estate"], e["seq"]) for e in found] == [("other", 1)]
    assert seen == {"other": 1, "shop": 2}


def test_a_stream_receives_what_a_collector_records(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    read, _ = tokens(location)
    with running(location, Settings(poll_s=0.1)) as url:
        assert requests.get(url + "/events", timeout=10).status_code == 401
        stream = requests.get(
            url + "/events", headers={"Authorization": f"Bearer {read}"}, stream=True, timeout=30
        )
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines(decode_unicode=True)
        assert next(lines) == "retry: 3000"
        recorder = threading.Thread(
            target=stateward,
            args=("scan", str(SHOP / "production"), "--estate", "shop", "--store", location),
        )
        recorder.start()
        # a scan slower than the keep-alive interval (a loaded machine) sends comments first:
        # ": keep-alive" lines, which an EventSource ignores, and so does this reader
        event = list(_until_event(lines))
        stream.close()
        recorder.join()
    assert event[0] == "event: observation" and event[1].startswith("data: "), event
    data = json.loads(event[1].removeprefix("data: "))
    assert data["estate"] == "shop" and data["seq"] == 3
    assert set(data["changed"]) == set(new_observations(location, {"shop": 2})[0][0]["changed"])
    assert data["changed"], "the manifests differ from the live scan before"
    assert [r.seq for r in api.history(location, "shop")] == [1, 2, 3]


def _until_event(lines: Iterator[str]) -> Iterator[str]:
    """The fields of the first event (its ``event:`` and ``data:`` lines), the blank lines
    between events and the comment lines the server sends to keep the stream open skipped."""
    for line in lines:
        if line and not line.startswith(":"):
            yield line
            if line.startswith("data: "):
                return


def test_one_poll_serves_every_stream(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    poll_s = 0.05

    async def listen() -> tuple[list[dict[str, object]], int, float, int]:
        feed = Feed(location, poll_s)
        started = time.monotonic()
        queues = [feed.subscribe() for _ in range(5)]
        while not feed.polls:  # what the store held when the streams opened is read
            await asyncio.sleep(poll_s)
        await asyncio.to_thread(
            stateward, "scan", str(SHOP / "production"), "--estate", "shop", "--store", location
        )
        got = [await asyncio.wait_for(q.get(), 30) for q in queues]
        elapsed, polls = time.monotonic() - started, feed.polls
        for queue in queues:
            feed.unsubscribe(queue)
        await asyncio.sleep(poll_s * 6)
        return got, polls, elapsed, feed.polls

    got, polls, elapsed, later = asyncio.run(listen())
    assert [(e["estate"], e["seq"]) for e in got] == [("shop", 3)] * 5
    assert 1 <= polls <= elapsed / poll_s + 1, "one poll per interval, not one per stream"
    assert later <= polls + 1, "polling stops with the last stream"
