"""Notifications: a collector that records drift appearing, or a new high finding, POSTs a
notice to the estate's webhook and an Alertmanager v2 alert list, to a real HTTP receiver on
loopback; the same drift again is not sent twice; a receiver that is down stops nothing."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.server.conftest import SHOP
from tests.server.test_rest import SECRETS

from stateward import api
from stateward.errors import InputError


class Receiver(ThreadingHTTPServer):
    """Keeps each POST: (path, JSON body)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.posts: list[tuple[str, Any]] = []
        self.raw: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.raw.append(body)
        self.server.posts.append((self.path, json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_drift_and_new_findings_are_sent_once(tmp_path: Path, receiver: Receiver) -> None:
    live = tmp_path / "live.yaml"
    # The shop's Redis evicts keys (allkeys-lru): a cache. Refusing to evict, it keeps carts
    # only it holds, on an emptyDir: a high finding for the notice to carry.
    shop = (SHOP / "live/production.yaml").read_text()
    live.write_text(shop.replace("- allkeys-lru", "- noeviction"))
    config = tmp_path / "stateward.yaml"
    config.write_text(
        "estates:\n  - name: shop\n    sources: [live.yaml]\n"
        f"    desired: {SHOP / 'production'}\n    interval: 1\n    notify:\n"
        f"      - webhook: http://127.0.0.1:{_closed_port()}/down\n"
        f"      - webhook: {receiver.url}/hook\n"
        f"      - alertmanager: {receiver.url}/am\n"
    )
    estates = api.declared_estates(config)
    rounds: list[api.Collecting] = []
    stop = threading.Event()
    threads = api.collect(str(tmp_path / "store"), estates, stop, rounds.append)
    try:
        _wait(lambda: len(rounds) >= 2)
        first_posts = list(receiver.posts)
        live.write_text(live.read_text().replace("value: debug", "value: trace"))
        _wait(lambda: len(receiver.posts) > len(first_posts))
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert all(r.error is None for r in rounds), rounds
    assert rounds[0].notice is not None and rounds[1].notice is None
    assert [path for path, _ in first_posts] == ["/hook", "/am/api/v2/alerts"]
    hook = first_posts[0][1]
    assert hook["estate"] == "shop" and hook["observation"] == 1
    assert {"object", "path", "facet"} == set(hook["drift"][0])
    assert any(d["facet"] == "secret" for d in hook["drift"])
    assert {f["severity"] for f in hook["new_findings"]} <= {"high", "critical"}
    assert hook["new_findings"], "the shop has a high finding"
    alerts = first_posts[1][1]
    names = [a["labels"]["alertname"] for a in alerts]
    assert names[0] == "StatewardDrift" and names.count("StatewardFinding") == len(
        hook["new_findings"]
    )
    later = [body for path, body in receiver.posts[2:] if path == "/hook"]
    assert later and later[0]["new_findings"] == [], "findings already sent are not sent again"
    assert any("env" == d["facet"] for d in later[0]["drift"])
    for body in receiver.raw:
        assert "debug" not in body and "trace" not in body, "a notice carries no value"
        for secret in SECRETS:
            assert secret not in body


def _wait(condition: Any, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("notify", "named"),
    [
        ("{webhook: x}", "estates[0].notify"),
        ("[{webhook: ftp://h/x}]", "estates[0].notify[0].webhook"),
        ("[{email: a@b}]", "estates[0].notify[0]"),
    ],
)
def test_a_wrong_receiver_is_named(tmp_path: Path, notify: str, named: str) -> None:
    config = tmp_path / "stateward.yaml"
    config.write_text(f"estates:\n  - {{name: a, sources: [s], notify: {notify}}}\n")
    with pytest.raises(InputError) as raised:
        api.declared_estates(config)
    assert raised.value.location == f"{config}: {named}"
