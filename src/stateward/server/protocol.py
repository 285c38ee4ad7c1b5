"""The HTTP protocol uvicorn runs: cached tiles answered in it, everything else passed on to
uvicorn's own.

Through ASGI a cached tile cost a task, a scope, the middleware and uvicorn's header checks:
6.1, 4.1 and 5.1 times nginx's p50 at 1, 10 and 50 clients (bench_server, full size). Even
inside a subclass of uvicorn's protocol, its per-request work (a scope, a keep-alive timer,
flow control) cost about 30 µs of CPU where a bare httptools protocol answering the same
8 KiB costs about 3 µs beside the system calls. So :class:`TileProtocol` reads every request
of its connection with httptools itself, keeping the line and headers, and asks
:class:`~stateward.server.log.TileAnswers` for the whole answer when the headers end.

A connection whose first request is not under ``/log/`` (a browser's, an API client's) is
handed whole to a uvicorn ``HttpToolsProtocol``, made as uvicorn makes one, with every byte read
so far: it is never parsed here again. On a log client's connection, a request without an
answer (the checkpoint, a tile not read yet, a token not remembered) is passed on, re-framed
(the request line and headers as received, a chunked body re-chunked), to such a protocol kept
for the connection, which answers through ASGI on the same transport. While it has a request
unanswered, or the client is not reading, later requests follow it, so answers keep their
order and uvicorn's flow control holds them back; then tiles are answered here again. Beyond
uvicorn's protocol-factory interface this relies on ``pipeline``, ``cycle.response_complete``
and ``_unset_keepalive_if_required`` of its protocol; the server tests run through this class,
so a uvicorn that changes them fails there.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from stateward.server.log import NOTED, Answer, Head, TileAnswers

__all__ = ["TileProtocol", "tile_protocol"]

_INVALID = b"Invalid HTTP request."  # uvicorn's answer to what its parser refuses
_BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%b" % (len(_INVALID), _INVALID)
)


def tile_protocol(answers: TileAnswers) -> type[TileProtocol]:
    """The protocol class for uvicorn's ``http`` setting, answering from ``answers``."""

    class Bound(TileProtocol):
        tiles = answers

    return Bound


class TileProtocol(asyncio.Protocol):
    """One connection: tiles from :attr:`tiles`, until a request needs uvicorn."""

    tiles: ClassVar[TileAnswers]

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.config = config
        self.server_state = server_state
        self.app_state = app_state
        self.loop = _loop or asyncio.get_event_loop()
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.client = "-"
        self.uvicorn: HttpToolsProtocol | None = None
        """uvicorn's protocol for this connection while it has requests passed on to answer."""
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._noted: dict[bytes, bytes] = {}
        self._answer: tuple[Head, Answer] | None = None
        self._chunked = False
        self._write_paused = False
        self._opening: bytearray | None = bytearray()
        """What was read before the first request's headers ended."""
        self._handed = False
        """The connection is uvicorn's for good."""
        self._heard = 0.0
        self._idle: asyncio.TimerHandle | None = None
        self._dated: tuple[object, bytes] = (None, b"")

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.transport = transport  # uvloop's is not an asyncio.Transport subclass
        self.server_state.connections.add(self)  # type: ignore[arg-type]  # shutdown() below
        peer = transport.get_extra_info("peername")
        self.client = str(peer[0]) if isinstance(peer, tuple) else "-"
        self._heard = self.loop.time()
        self._idle = self.loop.call_later(self.config.timeout_keep_alive, self._close_if_idle)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server_state.connections.discard(self)
        if self._idle is not None:
            self._idle.cancel()
        if self.uvicorn is not None:
            self.uvicorn.connection_lost(exc)  # an answer in progress learns the client left

    def data_received(self, data: bytes) -> None:
        self._heard = self.loop.time()
        if self._opening is not None:
            self._opening += data
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # passed on at its headers; no route speaks another protocol
        except httptools.HttpParserError:
            assert self.transport is not None
            if self._handed:
                return  # uvicorn has the same bytes, and answers them
            if self._busy():
                self.transport.close()  # an answer is on its way: a 400 cannot go before it
            else:
                self.transport.write(_BAD_REQUEST)
                self.transport.close()

    def pause_writing(self) -> None:
        """The client is not reading its answers: until it catches up, requests are passed on,
        and uvicorn's flow control holds their answers back (and stops reading when they
        pile up)."""
        self._write_paused = True
        if self.uvicorn is not None:
            self.uvicorn.pause_writing()

    def resume_writing(self) -> None:
        self._write_paused = False
        if self.uvicorn is not None:
            self.uvicorn.resume_writing()

    def shutdown(self) -> None:
        """uvicorn stops: close now, unless uvicorn is answering here (it is told to stop too,
        and closes once its answer is sent)."""
        if self.transport is not None and not self._busy():
            self.transport.close()

    # httptools' callbacks

    def on_message_begin(self) -> None:
        self._url = b""
        self._headers = []
        self._noted = {}

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        self._headers.append((name, value))
        if name in NOTED:
            held = self._noted.get(name)
            self._noted[name] = value if held is None else held + b", " + value

    def on_headers_complete(self) -> None:
        if self._opening is not None:
            opening, self._opening = bytes(self._opening), None
            if not self._url.startswith(b"/log/"):
                self._hand_over(opening)
                return
        if self._handed:
            return  # the rest of this read is uvicorn's too
        self._answer = None
        if not self._busy() and not self._write_paused:
            self._quiet_uvicorn()
            self._answer = self._tile()
        if self._answer is None:
            self._pass_head()

    def on_body(self, body: bytes) -> None:
        if self.uvicorn is not None and body and self._answer is None and not self._handed:
            self.uvicorn.data_received(
                b"%x\r\n%b\r\n" % (len(body), body) if self._chunked else body
            )

    def on_message_complete(self) -> None:
        if self._answer is None:
            if self.uvicorn is not None and self._chunked and not self._handed:
                self.uvicorn.data_received(b"0\r\n\r\n")
            return
        (request, answer), self._answer = self._answer, None
        assert self.transport is not None
        self.transport.write(answer.data)
        self.server_state.total_requests += 1
        self.tiles.tally.count(
            self.loop, request.client, request.method, answer.status, answer.role
        )
        if not request.keep_alive:
            self.transport.close()

    # the rest

    def _tile(self) -> tuple[Head, Answer] | None:
        if self.parser.should_upgrade():
            return None
        path = httptools.parse_url(self._url).path
        if b"%" in path:  # the route sees it unquoted; the cache knows only plain paths
            return None
        # as uvicorn decides it: HTTP/1.0 closes, whatever its Connection header says
        keep_alive = self.parser.should_keep_alive()
        if self.parser.get_http_version() == "1.0":
            keep_alive = False
        method = self.parser.get_method().decode("ascii")
        request = Head(method, path, self._noted, self.client, keep_alive)
        answer = self.tiles.answer(request, self._date())
        return None if answer is None else (request, answer)

    def _hand_over(self, opening: bytes) -> None:
        """The connection's first request is not for the log (a browser's, an API client's):
        give uvicorn the connection for good, with every byte read so far."""
        self._handed = True
        self.server_state.connections.discard(self)
        if self._idle is not None:
            self._idle.cancel()
        uvicorn = self._uvicorn()
        assert self.transport is not None
        self.transport.set_protocol(uvicorn)
        uvicorn.data_received(opening)

    def _pass_head(self) -> None:
        """Pass this request's line and headers to uvicorn's protocol; its body follows as it
        is parsed."""
        uvicorn = self.uvicorn or self._uvicorn()
        self._chunked = any(
            name == b"transfer-encoding" and b"chunked" in value.lower()
            for name, value in self._headers
        )
        version = self.parser.get_http_version().encode("ascii")
        lines = [self.parser.get_method(), b" ", self._url, b" HTTP/", version, b"\r\n"]
        for name, value in self._headers:
            lines += [name, b": ", value, b"\r\n"]
        lines.append(b"\r\n")
        uvicorn.data_received(b"".join(lines))

    def _uvicorn(self) -> HttpToolsProtocol:
        """uvicorn's protocol for this connection, made as uvicorn makes one."""
        assert self.transport is not None
        self.uvicorn = HttpToolsProtocol(
            self.config, self.server_state, self.app_state, _loop=self.loop
        )
        self.uvicorn.connection_made(self.transport)
        if self._write_paused:
            self.uvicorn.pause_writing()
        return self.uvicorn

    def _busy(self) -> bool:
        """uvicorn's protocol has a request here it has not finished answering (so a tile
        answered now would overtake it)."""
        held = self.uvicorn
        if held is None:
            return False
        return bool(held.pipeline) or not getattr(held.cycle, "response_complete", True)

    def _quiet_uvicorn(self) -> None:
        """uvicorn's protocol, idle, answers nothing while tiles are answered here: its
        keep-alive timer would close the connection under them (this protocol's keeps time)."""
        if self.uvicorn is not None:
            self.uvicorn._unset_keepalive_if_required()

    def _close_if_idle(self) -> None:
        """uvicorn's keep-alive timeout, from the last bytes heard (one timer a connection, not
        one a request); a long answer in progress, as an event stream, is not idle."""
        timeout = self.config.timeout_keep_alive
        quiet = self.loop.time() - self._heard
        if quiet >= timeout and not self._busy():
            if self.transport is not None:
                self.transport.close()
            return
        self._idle = self.loop.call_later(timeout - quiet if quiet < timeout else timeout,
                                          self._close_if_idle)  # fmt: skip

    def _date(self) -> bytes:
        """uvicorn's default headers (its Date, renewed each second) as header lines."""
        headers = self.server_state.default_headers
        if self._dated[0] is not headers:
            lines = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
            self._dated = (headers, lines)
        return self._dated[1]
