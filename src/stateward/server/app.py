"""The ASGI application: health, the log as tlog-tiles, the REST API, and how errors map to
HTTP statuses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from stateward import __version__, api
from stateward.errors import (
    LedgerIntegrityError,
    StatewardError,
    StorageError,
    VerificationError,
)
from stateward.server.auth import FAILURES, Authorizer, FailedAuth
from stateward.server.events import POLL_S, event_routes
from stateward.server.html import render
from stateward.server.log import TileAnswers, TileCache, log_routes
from stateward.server.metrics import Metrics, metrics_routes
from stateward.server.middleware import MAX_BODY, AccessLog, AccessTally, BodyLimit
from stateward.server.pages import page_routes
from stateward.server.rest import rest_routes
from stateward.server.sessions import Sessions
from stateward.server.shared import Shared

__all__ = ["App", "Settings", "create_app"]


@dataclass(frozen=True)
class Settings:
    """What a server is told at start."""

    public_log: bool = False
    """Serve ``/log/`` without a token (a transparency log is meant to be read by anyone)."""
    max_body: int = MAX_BODY
    failed_auth: int = FAILURES
    """Wrong tokens a client may present per minute before it is answered 429."""
    poll_s: float = POLL_S
    """How often ``/events`` looks for new observations in the store."""
    workers: int = 1
    """Server processes answering on the one socket (each allows a client
    ``failed_auth // workers`` wrong tokens: :mod:`stateward.server.auth`)."""


@dataclass(frozen=True)
class App:
    """The ASGI application, and the cached tiles' answers the HTTP protocol gives ahead of it
    (:mod:`stateward.server.protocol`)."""

    asgi: BodyLimit
    tiles: TileAnswers


def create_app(
    store: api.StoreRef, settings: Settings | None = None, shared: Shared | None = None
) -> App:
    """The whole application over ``store`` (a server holds it open); ``shared``: what all the
    server's worker processes share (this process's own if None)."""
    settings = settings or Settings()
    shared = shared or Shared.made(1)
    app = FastAPI(
        lifespan=_worker_threads,
        title="Stateward",
        version=__version__,
        openapi_url=None,  # served by _openapi, behind a token
        docs_url=None,  # Swagger UI loads scripts from a CDN; the document itself is served
        redoc_url=None,
    )
    failures = FailedAuth(max(1, settings.failed_auth // settings.workers))
    auth = Authorizer(store, failures, Sessions(shared.sessions))
    _health(app, store)
    log_guard = [] if settings.public_log else [Depends(auth.require("read"))]
    tiles = TileCache()
    app.include_router(log_routes(store, tiles), prefix="/log", dependencies=log_guard)
    app.include_router(rest_routes(store, auth), prefix="/api/v1")
    app.include_router(event_routes(store, auth, settings.poll_s))
    metrics = Metrics(store, shared.requests)
    app.include_router(metrics_routes(metrics, auth))
    page_routes(app, store, auth)
    _errors(app)
    _openapi(app, auth)
    tally = AccessTally(metrics.answered)
    answers = TileAnswers(tiles, None if settings.public_log else auth, tally)
    return App(BodyLimit(AccessLog(app, metrics.answered), settings.max_body), answers)


WORKER_THREADS = 1
"""Threads that run the synchronous routes (anyio's default is 40). The store is one connection
under a lock, so a second thread only queues there while contending for the GIL with the event
loop and the first: at 10 clients the component page cost 2.6 to 2.9 ms of server CPU a request
with 4 threads and 1.7 ms with 1 (1.5 ms at one client), and answered 403 and 362 a second
against 587 and 572 (two runs each, bench_server small size, quiet machine, load 1.2 to 1.4)."""


@asynccontextmanager
async def _worker_threads(_: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def _health(app: FastAPI, store: api.StoreRef) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process answers (on the event loop: it waits for no worker thread)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        """The store answers a read."""
        try:
            api.estates(store)
        except StatewardError:
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})


def _openapi(app: FastAPI, auth: Authorizer) -> None:
    """The OpenAPI document, behind a read token like every route it describes."""

    @app.get("/api/v1/openapi.json", include_in_schema=False)
    def openapi(_: str = Depends(auth.require("read"))) -> dict[str, Any]:
        return app.openapi()


def _errors(app: FastAPI) -> None:
    @app.exception_handler(StatewardError)
    def library_error(request: Request, error: StatewardError) -> Response:
        status = status_for(error)
        if request.url.path.startswith(("/api/", "/log/")):
            return JSONResponse({"detail": error.diagnostics()}, status_code=status)
        return render("error.html", status, title="Error", message=error.diagnostics(), role=None)

    @app.exception_handler(RequestValidationError)
    def bad_request(_: Request, error: RequestValidationError) -> JSONResponse:
        # the locations only: FastAPI's default body echoes the input back
        where = sorted({".".join(str(p) for p in e.get("loc", ())) for e in error.errors()})
        return JSONResponse({"detail": f"invalid request: {', '.join(where)}"}, status_code=400)


def status_for(error: StatewardError) -> int:
    """The HTTP status of a library error, as the CLI's exit code is: bad input is the
    client's (400); history that does not verify is a conflict with what the client holds
    (409); a store that cannot be read is the server's (503)."""
    if isinstance(error, LedgerIntegrityError | VerificationError):
        return 409
    if isinstance(error, StorageError):
        return 503
    return 400
