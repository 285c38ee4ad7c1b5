"""Bind and run the server with uvicorn: loopback unless told otherwise, TLS off loopback; in
one process, or several on one socket (:mod:`stateward.server.supervisor`).

uvicorn stops gracefully on SIGINT and SIGTERM: it stops accepting, lets requests in flight
finish (up to ``GRACE_S``), then exits
(https://www.uvicorn.org/settings/#timeouts, ``timeout_graceful_shutdown``).
"""

from __future__ import annotations

import gc
import ipaddress
import logging
import signal
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from stateward import api
from stateward.errors import UsageError
from stateward.server.app import App, Settings, create_app
from stateward.server.middleware import ACCESS_LOG
from stateward.server.protocol import tile_protocol
from stateward.server.shared import Shared
from stateward.server.supervisor import supervise

__all__ = ["GC_THRESHOLDS", "GRACE_S", "Binding", "check_binding", "run", "uvicorn_config"]

GRACE_S = 10
GC_THRESHOLDS = (10_000, 20, 100)
"""The cyclic collector's thresholds in a server process. Requests leave garbage in cycles
(about 50,000 objects per collection at the command line's 50,000, stateward/__main__.py),
which only the collector frees: each such collection stopped every client for 12 to 190 ms
of wall time (five in a 36 s probe of pages, proofs and tiles at load 11), the tile p99
stalls of the previous note. Collecting every 10,000, each took 1 to 6 ms (thirty, 100 ms
in all against 340)."""
COLLECT_LOG = logging.getLogger("stateward.server.collect")


@dataclass(frozen=True)
class Binding:
    """Where to listen, and how."""

    host: str = "127.0.0.1"
    port: int = 8080
    tls_cert: Path | None = None
    tls_key: Path | None = None
    insecure: bool = False


def check_binding(binding: Binding) -> None:
    """UsageError unless ``binding`` is loopback, or has TLS, or says ``insecure`` outright:
    tokens in clear text on a network are someone else's tokens."""
    if (binding.tls_cert is None) != (binding.tls_key is None):
        raise UsageError("--tls-cert and --tls-key can only be used together")
    if binding.tls_cert or binding.insecure or _loopback(binding.host):
        return
    raise UsageError(
        f"--host {binding.host} is not a loopback address",
        remedy="Give --tls-cert and --tls-key, or --insecure to serve plain HTTP on purpose.",
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(
    location: str | None,
    binding: Binding,
    settings: Settings,
    estates: list[api.DeclaredEstate] | None = None,
) -> None:
    """Serve the store at ``location`` in ``settings.workers`` processes until SIGINT or
    SIGTERM, recording each of ``estates`` every interval meanwhile (in the first worker)."""
    check_binding(binding)
    # The command line ends by SIGPIPE when its reader leaves (stateward/__main__.py). A server
    # must not: a client closing its connection mid-answer ended the whole process (status 141).
    # Ignored, as Python sets it, the write fails with EPIPE for that connection only.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    _log_access(settings.workers)
    options: dict[str, Any] = {
        "host": binding.host,
        "port": binding.port,
        "ssl_certfile": binding.tls_cert,
        "ssl_keyfile": binding.tls_key,
        "timeout_graceful_shutdown": GRACE_S,
    }
    declared = estates or []
    if settings.workers == 1:
        _serve(location, settings, declared, None, options, None)
        return
    # Made (or found) once here, not by two workers racing to make its tables and keys; then
    # closed, since a connection must not cross a fork.
    api.opened(location).close()
    # bound here, before any worker is forked, so that they all accept on it
    sock = uvicorn.Config(app="", **options).bind_socket()  # app: never loaded in the parent
    shared = Shared.made(settings.workers)

    def serve(index: int) -> None:
        worker = shared.of_worker(index)
        _serve(location, settings, declared if index == 0 else [], worker, options, sock)

    supervise(sock, settings.workers, serve, GRACE_S)


def _serve(
    location: str | None,
    settings: Settings,
    estates: list[api.DeclaredEstate],
    shared: Shared | None,
    options: dict[str, Any],
    sock: socket.socket | None,
) -> None:
    """One server process: its own store connection, app and event loop."""
    stop = threading.Event()
    store = api.opened(location)
    collectors = api.collect(store, estates, stop, _log_round)
    app = create_app(store, settings, shared)
    # What start-up made lives as long as the process: out of the collector's sight, a full
    # collection does not walk it again and again while clients wait.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    ended_by = None
    found = _raise_on_stop()
    try:
        uvicorn.Server(uvicorn_config(app, **options)).run(sockets=[sock] if sock else None)
    except _Stopped as stopped:
        ended_by = stopped.signum
    finally:
        _restore(found)  # a second signal while stopping acts as it did before serving
        app.tiles.tally.flush()
        stop.set()
        for collector in collectors:
            collector.join(GRACE_S)
    if ended_by is not None:  # end by the signal, as uvicorn would have, now that all is done
        signal.raise_signal(ended_by)


class _Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stopped(signum: int, _: FrameType | None) -> None:
    raise _Stopped(signum)


def _raise_on_stop() -> dict[int, Any]:
    """Make SIGTERM and SIGINT raise :class:`_Stopped`; the handlers found, to restore.

    uvicorn handles both itself while it serves, then restores the handlers it found and raises
    the signal again (``Server.capture_signals``, uvicorn 0.55). Finding the default handler,
    SIGTERM ended the process right there, before ``_serve`` flushed the last second of tile
    tallies or joined its collectors; finding this one, the signal reaches ``_serve`` as an
    exception. Signals are handled in the main thread only (as uvicorn's are)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, _stopped) for signum in (signal.SIGTERM, signal.SIGINT)}


def _restore(found: dict[int, Any]) -> None:
    for signum, handler in found.items():
        signal.signal(signum, handler)


def uvicorn_config(app: App, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for ``app`` (``options``: where and how to listen), cached tiles
    answered by its HTTP protocol."""
    return uvicorn.Config(
        app.asgi,
        http=tile_protocol(app.tiles),
        access_log=False,  # ours (middleware.AccessLog) leaves out query strings
        log_config=None,
        server_header=False,
        **options,
    )


def _log_round(done: api.Collecting) -> None:
    if done.error is not None:
        COLLECT_LOG.warning("estate %s: not recorded: %s", done.estate, done.error.message)
    else:
        seqs = ", ".join(f"#{n}" for n in done.recorded)
        COLLECT_LOG.info("estate %s: recorded observation %s", done.estate, seqs)


def _log_access(workers: int) -> None:
    if not ACCESS_LOG.handlers:
        handler = logging.StreamHandler()
        # several workers write to one stream: each line says which
        where = " [%(process)d]" if workers > 1 else ""
        handler.setFormatter(logging.Formatter(f"%(asctime)s{where} %(message)s"))
        ACCESS_LOG.addHandler(handler)
        ACCESS_LOG.setLevel(logging.INFO)
    logging.getLogger("uvicorn.error").addHandler(ACCESS_LOG.handlers[0])
    COLLECT_LOG.addHandler(ACCESS_LOG.handlers[0])
    COLLECT_LOG.setLevel(logging.INFO)
    logging.getLogger("uvicorn.error").setLevel(logging.INFO)
