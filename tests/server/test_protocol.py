"""Cached tiles answered by the HTTP protocol ahead of ASGI (server/protocol.py): the same
answer the route gives, in order on a pipelined connection, closed after HTTP/1.0, and only
to the requests the route would answer with the tile."""

from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import time
from datetime import UTC, datetime

import pytest
import requests
from tests.server.conftest import Served, running
from tests.server.test_metrics import scrape

from stateward import api
from stateward.ledger.entry import Entry, EntryType
from stateward.server import Settings, create_app
from stateward.server.log import Head

TILE = "/log/tile/0/000"


@pytest.fixture(scope="module")
def tiled(served: Served) -> Served:
    """The served store with a full level-0 tile, asked for once so it is cached."""
    store = api.opened(served.location)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    missing = max(0, 300 - store.ledger.size())
    store.ledger.append([Entry(EntryType.CHANGE, f"e-{i}", when) for i in range(missing)])
    assert (
        requests.get(served.url + TILE, headers=served.auth(served.read), timeout=30).status_code
        == 200
    )
    return served


def _exchange(url: str, raw: bytes) -> bytes:
    """Send ``raw`` on one connection and read until the server closes it."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(raw)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _answers(data: bytes) -> list[tuple[str, dict[str, str], bytes]]:
    """Consecutive HTTP/1.1 answers: status line, headers (names lower case), body."""
    answers = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        size = int(headers.get("content-length", "0"))
        answers.append((status, headers, rest[:size]))
        data = rest[size:]
    return answers


def _get(path: str, token: str, *extra: str, version: str = "1.1") -> bytes:
    lines = [f"GET {path} HTTP/{version}", "Host: test", f"Authorization: Bearer {token}", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_pipelined_answers_keep_their_order(tiled: Served) -> None:
    """Tiles (answered in the protocol) between requests that go through ASGI (a worker
    thread reads the store for the second, so it is unfinished when the tile behind it is
    parsed): every answer comes, in the order asked."""
    token = tiled.read
    raw = (
        _get(TILE, token)
        + _get("/api/v1/estates", token)
        + _get(TILE, token)
        + _get("/healthz", token)
        + _get(TILE, token, "If-None-Match: *")
        + _get(TILE, token, "Connection: close")
    )
    answers = _answers(_exchange(tiled.url, raw))
    assert [a[0] for a in answers] == [
        "HTTP/1.1 200 OK",
        "HTTP/1.1 200 OK",
        "HTTP/1.1 200 OK",
        "HTTP/1.1 200 OK",
        "HTTP/1.1 304 Not Modified",
        "HTTP/1.1 200 OK",
    ]
    assert b"shop" in answers[1][2] and answers[3][2] == b'{"status":"ok"}'
    assert answers[0][2] == answers[2][2] == answers[5][2] and len(answers[0][2]) == 256 * 32
    assert answers[5][1]["connection"] == "close"


def test_a_connection_opened_by_another_request_is_uvicorns(tiled: Served) -> None:
    """Its first request not for the log, a connection is handed to uvicorn whole: every
    answer in order, the tiles too."""
    token = tiled.read
    raw = _get("/healthz", token) + _get(TILE, token) + _get(TILE, token, "Connection: close")
    answers = _answers(_exchange(tiled.url, raw))
    assert [a[0] for a in answers] == ["HTTP/1.1 200 OK"] * 3
    assert answers[1][2] == answers[2][2] and len(answers[1][2]) == 256 * 32


def test_the_cached_answer_is_the_routes(tiled: Served) -> None:
    """Byte for byte but the Date, the answer from memory is the one the route sends (the
    route's is taken by asking with a body, which the protocol leaves to ASGI)."""
    token = tiled.read
    cached = _answers(_exchange(tiled.url, _get(TILE, token, "Connection: close")))
    routed = _answers(
        _exchange(tiled.url, _get(TILE, token, "Content-Length: 0", "Connection: close"))
    )
    for answers in (cached, routed):
        assert len(answers) == 1 and "date" in answers[0][1]
        answers[0][1].pop("date")
    assert cached == routed


def test_http_1_0_is_answered_and_closed(tiled: Served) -> None:
    answers = _answers(_exchange(tiled.url, _get(TILE, tiled.read, version="1.0")))
    assert len(answers) == 1 and answers[0][0] == "HTTP/1.1 200 OK"
    assert len(answers[0][2]) == 256 * 32  # and the server closed: _exchange returned


def test_a_connection_is_kept_open_between_cached_tiles(tiled: Served) -> None:
    host, port = tiled.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        sockets = []
        for _ in range(3):
            connection.request("GET", TILE, headers=tiled.auth(tiled.read))
            answer = connection.getresponse()
            assert answer.status == 200 and len(answer.read()) == 256 * 32
            sockets.append(connection.sock)
        assert sockets[0] is not None and sockets.count(sockets[0]) == 3
    finally:
        connection.close()


def _head(path: bytes, *headers: tuple[bytes, bytes], method: str = "GET") -> Head:
    return Head(method, path, dict(headers), "127.0.0.1", True)


def test_tile_answers_are_given_only_where_the_route_would_give_the_tile(
    tiled: Served,
) -> None:
    """The decisions themselves, on an app of the served store: a cached tile to a GET or
    HEAD with a remembered token; None (the ASGI way) for anything else."""
    app = create_app(api.opened(tiled.location), Settings())
    body = b"\x01" * 64
    app.tiles.cache.put("tile/0/000", body)
    token = (b"authorization", f"Bearer {tiled.read}".encode())
    assert app.tiles.answer(_head(b"/log/tile/0/000", token), b"") is None  # not remembered
    assert app.tiles.auth is not None and app.tiles.auth.tokens.role(tiled.read) == "read"
    answer = app.tiles.answer(_head(b"/log/tile/0/000", token), b"date: x\r\n")
    assert answer is not None and answer.status == 200 and answer.role == "read"
    assert answer.data.startswith(b"HTTP/1.1 200 OK\r\n") and answer.data.endswith(body)
    assert b"\r\ndate: x\r\n" in answer.data and b"content-length: 64\r\n" in answer.data
    head = app.tiles.answer(_head(b"/log/tile/0/000", token, method="HEAD"), b"")
    assert head is not None and head.data.endswith(b"\r\n\r\n")
    assert b"content-length: 64" in head.data
    refused = [
        _head(b"/log/tile/0/000"),  # no token
        _head(b"/log/tile/0/000", (b"authorization", b"Bearer swt_wrong")),
        _head(b"/log/tile/0/001", token),  # not cached
        _head(b"/log/tile/0/000", token, (b"content-length", b"3")),
        _head(b"/log/tile/0/000", token, method="POST"),
        _head(b"/api/v1/estates", token),
    ]
    for request in refused:
        assert app.tiles.answer(request, b"") is None, request


def test_tiles_from_memory_are_logged_and_counted_once_a_second(
    tiled: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="stateward.server.access")
    key = (("method", "HEAD"), ("status", "200"))
    before = scrape(tiled)["stateward_http_requests"].get(key, 0)
    with requests.Session() as session:
        session.headers.update(tiled.auth(tiled.read))
        for _ in range(7):
            assert session.head(tiled.url + TILE).status_code == 200
    _counted(caplog, "127.0.0.1 HEAD /log/tile/ 200 role=read", 7)
    assert scrape(tiled)["stateward_http_requests"][key] == before + 7


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_is_passed_on_after_tiles(tiled: Served, chunked: bool) -> None:
    """A tile answered from memory, then a POST whose body (as sent, or chunked and
    re-chunked on the way) uvicorn must read whole, then a tile again: on one connection, in
    one write."""
    token = tiled.read
    note = requests.get(tiled.url + "/log/checkpoint", headers=tiled.auth(token), timeout=30).text
    body = json.dumps({"checkpoint": note}).encode()
    post = [
        "POST /api/v1/ledger/consistency HTTP/1.1",
        "Host: test",
        f"Authorization: Bearer {token}",
        "Content-Type: application/json",
    ]
    if chunked:
        half = len(body) // 2
        framed = b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in (body[:half], body[half:]))
        post_bytes = ("\r\n".join([*post, "Transfer-Encoding: chunked"]) + "\r\n\r\n").encode()
        post_bytes += framed + b"0\r\n\r\n"
    else:
        post_bytes = ("\r\n".join([*post, f"Content-Length: {len(body)}"]) + "\r\n\r\n").encode()
        post_bytes += body
    raw = _get(TILE, token) + post_bytes + _get(TILE, token, "Connection: close")
    answers = _answers(_exchange(tiled.url, raw))
    assert [a[0] for a in answers] == ["HTTP/1.1 200 OK"] * 3, answers
    assert json.loads(answers[1][2])["new_size"] >= 300
    assert answers[0][2] == answers[2][2] and len(answers[0][2]) == 256 * 32


def test_garbage_is_answered_400(tiled: Served) -> None:
    answers = _answers(_exchange(tiled.url, b"GET /log/tile/0/000 HTTP/1.1\r\nHost\x01: x\r\n\r\n"))
    assert [a[0] for a in answers] == ["HTTP/1.1 400 Bad Request"]


def test_tiles_are_answered_from_memory_again_after_a_request_passed_on(
    tiled: Served, caplog: pytest.LogCaptureFixture
) -> None:
    """On a fresh server, one connection: the first tile goes through ASGI (its token is not
    remembered and the tile not read yet), so do a page and /healthz; each later tile is
    answered from memory: one line each for the first three, one counted line for the rest."""
    caplog.set_level(logging.INFO, logger="stateward.server.access")
    with running(tiled.location, Settings()) as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            sockets = set()
            for path in [TILE, "/healthz", TILE, TILE, "/api/v1/estates", TILE, TILE]:
                connection.request("GET", path, headers=tiled.auth(tiled.read))
                answer = connection.getresponse()
                assert answer.status == 200 and answer.read(), path
                sockets.add(connection.sock)
            assert len(sockets) == 1
        finally:
            connection.close()
        _counted(caplog, "127.0.0.1 GET /log/tile/ 200 role=read", 4)
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if " GET /log/tile/0/000 200 " in line]) == 1, lines


def _counted(caplog: pytest.LogCaptureFixture, prefix: str, least: int) -> None:
    """Wait (up to 10 s) until the tally's lines starting with ``prefix`` count ``least``
    answers from memory or more (the count may fall into two one-second lines)."""
    pattern = re.compile(re.escape(prefix) + r" x(\d+) from memory")
    deadline = time.monotonic() + 10
    while True:
        lines = [r.getMessage() for r in caplog.records]
        if sum(int(m[1]) for line in lines if (m := pattern.fullmatch(line))) >= least:
            return
        assert time.monotonic() < deadline, lines
        time.sleep(0.1)


def test_answers_a_client_does_not_read_are_not_piled_up(tiled: Served) -> None:
    """Tiles asked for on one connection faster than they are read: once the socket's buffer
    is full the server stops writing ahead (uvicorn's flow control) and then stops reading,
    so what it holds for the client stays near the transport's 64 KiB high-water mark."""
    token = tiled.read
    server = running(tiled.location, Settings())
    with server as url, socket.socket() as client:
        # the tile read and the token remembered, so the protocol itself answers what follows
        assert requests.get(url + TILE, headers=tiled.auth(token), timeout=30).status_code == 200
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.connect(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        client.setblocking(False)
        requests_ = _get(TILE, token) * 100
        sent, deadline = 0, time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                sent += client.send(requests_)
            except BlockingIOError:
                time.sleep(0.01)
        held = [
            c.transport.get_write_buffer_size()
            for c in list(server.server.server_state.connections)
            if getattr(c, "transport", None) is not None
        ]
        assert sent < 50 * 1024 * 1024  # the server stopped reading
        assert held and max(held) < 1024 * 1024, held
