"""uvicorn's HTTP protocol (httptools), with cached tiles answered inside it.

Through ASGI a cached tile still cost a task, a scope, the middleware and uvicorn's header
checks per request: 6.1, 4.1 and 5.1 times nginx's p50 at 1, 10 and 50 clients, and a bare
uvicorn app answering a constant 8 KiB is itself 2.2 times nginx. So when a request's headers
end, :class:`TileProtocol` asks :class:`~stateward.server.log.TileAnswers` for the whole answer
and writes it to the socket; every other request (and every one that answer is None for) goes
on to uvicorn and the ASGI app unchanged.

It subclasses uvicorn's ``HttpToolsProtocol`` and uses its parser callbacks and per-connection
state (``parser``, ``url``, ``headers``, ``cycle``, ``pipeline``, ``flow``), which are not a
documented API: the server tests run through this class, so a uvicorn that changes them fails
there.
"""

from __future__ import annotations

from typing import ClassVar

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from stateward.server.log import Answer, Head, TileAnswers

__all__ = ["TileProtocol", "tile_protocol"]


def tile_protocol(answers: TileAnswers) -> type[TileProtocol]:
    """The protocol class for uvicorn's ``http`` setting, answering from ``answers``."""

    class Bound(TileProtocol):
        tiles = answers

    return Bound


class TileProtocol(HttpToolsProtocol):
    """HTTP/1.1 as uvicorn speaks it, but a request :attr:`tiles` answers never reaches ASGI."""

    tiles: ClassVar[TileAnswers]
    _answer: tuple[Head, Answer] | None = None
    """The answer to the request being read, when :attr:`tiles` gave one."""
    _keep_alive = True
    _dated: tuple[object, bytes] = (None, b"")
    """uvicorn's default headers (its Date, renewed each second) and their lines."""

    def on_headers_complete(self) -> None:
        self._answer = self._tile()
        if self._answer is None:
            super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._answer is None:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._answer is None:
            super().on_message_complete()
            return
        (request, answer), self._answer = self._answer, None
        self.transport.write(answer.data)
        self.tiles.tally.count(self.loop, request.client, request.method, answer.status, answer.role)
        if self._keep_alive:
            self.on_response_complete()  # counts it, and arms the keep-alive timeout
        else:
            self.transport.close()

    def _tile(self) -> tuple[Head, Answer] | None:
        """The whole answer from :attr:`tiles`, or None: also while an earlier answer on this
        connection is unfinished (pipelined answers keep their order) or the client is not
        reading them (uvicorn's flow control then holds the ASGI way back)."""
        busy = not getattr(self.cycle, "response_complete", True)  # None before the first
        if busy or self.pipeline or self.flow.write_paused or self.parser.should_upgrade():
            return None
        path = httptools.parse_url(self.url).path
        if b"%" in path:  # the route sees it unquoted; the cache knows only plain paths
            return None
        # as uvicorn decides it: HTTP/1.0 closes, whatever its Connection header says
        self._keep_alive = self.parser.should_keep_alive()
        if self.parser.get_http_version() == "1.0":
            self._keep_alive = False
        request = Head(
            self.parser.get_method().decode("ascii"),
            path,
            self.headers,
            self.client[0] if self.client else "-",
            self._keep_alive,
        )
        answer = self.tiles.answer(request, self._date())
        return None if answer is None else (request, answer)

    def _date(self) -> bytes:
        headers = self.server_state.default_headers
        if self._dated[0] is not headers:
            lines = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
            self._dated = (headers, lines)
        return self._dated[1]
