"""The cost bench's byte-counting proxy counts what it forwards and, once closed, leaves no
thread behind: ``make bench`` runs every module in one process, and a thread left there stops
every later module's work from being forked out (``stateward.workers.can_spread``)."""

from __future__ import annotations

import socket
import threading

from bench.calibration.proxy import CountingProxy


def _upstream(payload: bytes, hold: threading.Event) -> tuple[socket.socket, threading.Thread]:
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        client, _ = server.accept()
        client.sendall(payload)
        hold.wait(timeout=30)  # a connection still open when the proxy closes
        client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread


def test_counts_the_bytes_sent_back_and_leaves_no_thread_with_a_connection_open() -> None:
    before = set(threading.enumerate())
    hold = threading.Event()
    server, serving = _upstream(b"x" * 300_000, hold)
    with CountingProxy(server.getsockname()[:2]) as proxy:
        client = socket.create_connection(("127.0.0.1", proxy.port))
        got = 0
        while got < 300_000:
            got += len(client.recv(65536))
        counted = proxy.reset()
    hold.set()
    serving.join(timeout=10)
    client.close()
    server.close()
    assert counted == 300_000
    assert set(threading.enumerate()) - before == set()
