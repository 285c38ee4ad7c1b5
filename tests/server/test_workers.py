"""``stateward serve --workers 2``: two processes on one socket behave as one server.

Which worker answers a connection is the kernel's choice; each test finds out from /proc (the
worker holding the server side of the connection) and picks connections held by each worker,
so "one worker logs in, the other accepts the cookie" is what happens, not what may happen.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.server.conftest import SHOP, scanned_shop, stateward, tokens

from stateward.server.auth import FAILURES, KNOWN_S


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        deadline = time.monotonic() + 30
        while True:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = [int(p) for p in children.read_text().split()]
            if len(pids) == 2:
                return pids
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)

    def connection(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.connect()
        return connection

    def by_worker(self) -> dict[int, http.client.HTTPConnection]:
        """An open connection accepted by each worker."""
        held: dict[int, http.client.HTTPConnection] = {}
        opened = []
        while len(held) < 2 and len(opened) < 200:
            opened.append(self.connection())
            held.setdefault(_owner(self.workers(), self.port, opened[-1]), opened[-1])
        for connection in opened:
            if connection not in held.values():
                connection.close()
        assert len(held) == 2, "every connection went to one worker"
        return held


def _owner(pids: list[int], port: int, connection: http.client.HTTPConnection) -> int:
    """The worker that accepted ``connection``: the one holding the socket whose local port
    is the server's and whose remote port is the client's (/proc/net/tcp, proc(5))."""
    assert connection.sock is not None
    client = connection.sock.getsockname()[1]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        inode = _inode(port, client)
        for pid in pids:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                        return pid
                except FileNotFoundError:
                    continue
        time.sleep(0.02)  # not accepted yet
    raise AssertionError("no worker accepted the connection")


def _inode(local: int, remote: int) -> str | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == local and int(fields[2].split(":")[1], 16) == remote:
            return fields[9]
    return None


@contextmanager
def serving(location: str, tmp_path: Path, *args: str) -> Iterator[Server]:
    """``stateward serve --workers 2`` in a process of its own, its log in a file (a pipe
    nobody reads would fill and stop it); killed if the test has not stopped it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("stateward")), "serve", "--store", location]
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2", *args], stderr=out
        )
    server = Server(process, port, log)
    try:
        _ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def _ready(server: Server) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = server.connection()
            connection.request("GET", "/healthz")
            assert connection.getresponse().status == 200
            connection.close()
            return
        except ConnectionRefusedError:
            assert server.process.poll() is None and time.monotonic() < deadline, "no start"
            time.sleep(0.2)


def _get(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[int, bytes]:
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.fixture(scope="module")
def shop(backend_location: str) -> tuple[str, str]:
    scanned_shop(backend_location)
    return backend_location, tokens(backend_location)[0]


@pytest.fixture(scope="module")
def server(shop: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that leave it running as they found it."""
    with serving(shop[0], tmp_path_factory.mktemp("workers")) as running:
        yield running


def test_a_session_opened_by_one_worker_is_valid_at_the_other(
    shop: tuple[str, str], server: Server
) -> None:
    _, read = shop
    first, second = server.by_worker().values()
    form = urlencode({"token": read, "next": "/"})
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    first.request("POST", "/login", body=form, headers=kind)
    answer = first.getresponse()
    answer.read()
    assert answer.status == 303
    cookie = answer.getheader("set-cookie", "").split(";")[0]
    assert _get(second, "/", {"Cookie": cookie})[0] == 200
    assert _get(second, "/events", {})[0] == 401  # the cookie, not the connection, counts
    second.request("POST", "/logout", headers={"Cookie": cookie})
    second.getresponse().read()
    assert _get(first, "/", {"Cookie": cookie})[0] == 401  # ended at the other worker
    assert _get(second, "/", {"Cookie": cookie})[0] == 401


def test_a_revoked_token_is_refused_by_every_worker(shop: tuple[str, str], server: Server) -> None:
    location, _ = shop
    token = stateward("tokens", "create", "--role", "read", "--store", location, "-o", "json")
    value, token_id = _field(token, "token"), _field(token, "token_id")
    bearer = {"Authorization": f"Bearer {value}"}
    held = server.by_worker()
    for connection in held.values():  # now remembered by both
        assert _get(connection, "/api/v1/estates", bearer)[0] == 200
    stateward("tokens", "revoke", token_id, "--store", location)
    time.sleep(KNOWN_S + 0.5)
    for connection in server.by_worker().values():  # the idle ones are closed by now
        assert _get(connection, "/api/v1/estates", bearer)[0] == 401
        assert _get(connection, "/log/tile/0/000", bearer)[0] == 401  # tiles' own path too


def _field(document: str, name: str) -> str:
    return str(json.loads(document)[name])


def test_failed_attempts_are_limited_across_workers(shop: tuple[str, str], tmp_path: Path) -> None:
    location, _ = shop
    wrong = {"Authorization": "Bearer swt_0000_wrong"}
    with serving(location, tmp_path) as server:
        held = server.by_worker()
        statuses = [
            _get(connection, "/api/v1/estates", wrong)[0]
            for _ in range(FAILURES)
            for connection in held.values()
        ]
    # each worker allows FAILURES // 2: together no more than FAILURES, then 429 from both
    assert statuses.count(401) == FAILURES
    assert statuses.count(429) == FAILURES
    assert statuses[-2:] == [429, 429]


def test_every_worker_streams_every_new_observation(shop: tuple[str, str], server: Server) -> None:
    location, read = shop
    streams = []
    for connection in server.by_worker().values():
        connection.request("GET", "/events", headers={"Authorization": f"Bearer {read}"})
        answer = connection.getresponse()
        assert answer.status == 200
        assert answer.readline() == b"retry: 3000\n"
        streams.append(answer)
    stateward("scan", str(SHOP / "production"), "--estate", "shop", "--store", location)
    for answer in streams:
        lines = [answer.readline() for _ in range(3)]
        assert lines[:2] == [b"\n", b"event: observation\n"], lines
        assert b'"estate": "shop"' in lines[2]


def test_a_killed_parent_takes_its_workers(shop: tuple[str, str], tmp_path: Path) -> None:
    location, _ = shop
    with serving(location, tmp_path) as server:
        workers = server.workers()
        server.process.kill()
        server.process.wait(10)
        deadline = time.monotonic() + 10
        while not all(_gone(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived its parent"
            time.sleep(0.1)


def test_metrics_count_every_workers_requests(shop: tuple[str, str], server: Server) -> None:
    _, read = shop
    key = (("method", "GET"), ("status", "401"))
    held = server.by_worker()
    before = [_requests(c, read).get(key, 0) for c in held.values()]
    assert before[0] == before[1]
    for connection in held.values():
        for _ in range(3):
            assert _get(connection, "/api/v1/estates", {})[0] == 401
    after = [_requests(c, read).get(key, 0) for c in held.values()]
    assert after == [before[0] + 6] * 2  # both workers' requests, whichever is scraped


def _requests(
    connection: http.client.HTTPConnection, read: str
) -> dict[tuple[tuple[str, str], ...], float]:
    status, body = _get(connection, "/metrics", {"Authorization": f"Bearer {read}"})
    assert status == 200
    (family,) = [
        f
        for f in text_string_to_metric_families(body.decode())
        if f.name == "stateward_http_requests"
    ]
    return {tuple(sorted(s.labels.items())): s.value for s in family.samples}


def test_a_worker_that_dies_is_replaced_and_sigterm_ends_all(
    shop: tuple[str, str], tmp_path: Path
) -> None:
    location, _ = shop
    with serving(location, tmp_path) as server:
        first = sorted(server.by_worker())
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while first[0] in server.workers():  # until it is reaped and another forked
            assert time.monotonic() < deadline, "no worker took its place"
            time.sleep(0.1)
        held = server.by_worker()  # both answer: the new one and the one that was left
        assert first[1] in held and first[0] not in held
        for connection in held.values():
            assert _get(connection, "/healthz", {})[0] == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(30) == -signal.SIGTERM
    assert all(_gone(pid) for pid in held)
    log = server.log.read_text()
    assert f"(pid {first[0]}) ended; starting another" in log
    assert all(f"Finished server process [{pid}]" in log for pid in held)
