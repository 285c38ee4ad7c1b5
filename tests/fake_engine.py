"""A loopback Engine API server on a unix socket, for answers a real engine cannot be made to
give: the wrong shapes, a body trickled one byte at a time. Tests that can use the real engine
do (``engine_url``)."""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Route = Callable[[str], tuple[bytes, float]]
"""path -> (body, seconds to wait between its bytes)."""


class Handler(socketserver.StreamRequestHandler):
    """Answers one request per connection with what ``route`` gives for its path."""

    route: Route

    def handle(self) -> None:
        request = self.rfile.readline().decode()
        while self.rfile.readline() not in (b"\r\n", b""):
            pass
        path = request.split(" ")[1].split("?")[0]
        body, pause = self.route(path)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        self.wfile.write(head.encode())
        for at in range(len(body)):
            if pause:
                time.sleep(pause)
            try:
                self.wfile.write(body[at : at + 1] if pause else body[at:])
            except OSError:
                return  # the client gave up: what the deadline is for
            if not pause:
                return


@contextmanager
def serving(directory: Path) -> Iterator[Callable[[Route], str]]:
    """``start(route)`` serves ``route`` on a new socket in ``directory``; its ``engine://``
    location. Every server is stopped on leaving."""
    servers: list[socketserver.ThreadingUnixStreamServer] = []

    def start(route: Route) -> str:
        sock = str(directory / f"engine{len(servers)}.sock")
        handler = type("Handler", (Handler,), {"route": staticmethod(route)})
        server = socketserver.ThreadingUnixStreamServer(sock, handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return "engine://" + sock

    try:
        yield start
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
