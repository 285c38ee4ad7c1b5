"""A byte-counting TCP proxy on loopback: what crosses it is what a pull really transferred.

Its threads end when it is closed: ``make bench`` runs every module in one process, and a thread
left running there makes every later module's process one of two threads, which no longer forks
workers (``stateward.workers.can_spread``): ``ledger verify`` ran on one core in the whole run
after this module, at half its speed run alone."""

from __future__ import annotations

import socket
import threading
from types import TracebackType

__all__ = ["CountingProxy"]

_CHUNK = 256 * 1024


class CountingProxy:
    """Listens on 127.0.0.1:<port> and forwards every connection to ``upstream``; counts the
    bytes sent back to clients (the download direction)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.downloaded = 0
        self._lock = threading.Lock()
        self._closed = False
        self._sockets: list[socket.socket] = [self.server]
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def reset(self) -> int:
        """Bytes counted since the last reset."""
        with self._lock:
            value, self.downloaded = self.downloaded, 0
        return value

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self._sockets += (client, upstream)
            for args in ((client, upstream, False), (upstream, client, True)):
                pump = threading.Thread(target=self._pump, args=args, daemon=True)
                pump.start()
                self._threads.append(pump)

    def _pump(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(_CHUNK):
                # Counted before it is forwarded: a client that has read every byte then finds
                # them all counted (counted after, the last chunk raced the client's reset()).
                if count:
                    with self._lock:
                        self.downloaded += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> CountingProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closed = True
        # close() alone leaves a thread blocked in accept(2) or recv(2) blocked on Linux;
        # shutdown(2) wakes it (EINVAL from accept, end of stream from recv). Closed only once
        # the threads have ended, so that none uses a descriptor number reused meanwhile.
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=10)
        for sock in self._sockets:
            sock.close()
