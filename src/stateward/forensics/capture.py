"""``capture``: seal the last state of a container from outside it.

Only the engine API is used, never an exec inside the container, so a compromised container
cannot lie to the collector through its own tools. Artefacts are collected most volatile first
(RFC 3227 §2.1): process table and network state, the writable layer and its changed files,
the logs, then the configuration (the inspect document). Each step that fails (the container
removed mid-capture, the engine gone) is recorded with its reason and the bundle is still
sealed with what was collected; ``complete`` says whether every step succeeded.

Secrets: the inspect document and the process table are stored with secret-looking values
digested (:func:`~stateward.sources.engine.facts.redacted_inspect`,
:func:`~stateward.sources.redact.redact_args`). Logs and changed files are the evidence and are
raw by nature, so they are never stored in the clear: with a recipient (``CaptureOptions.
recipients``) every artefact is stored as age ciphertext (:mod:`stateward.forensics.sealing`), with
the SHA-256 and size of both the plaintext and the ciphertext in the manifest; without one, logs
and changed files are kept as the digest and size of their plaintext only, and the manifest says
so.

An engine answer of the wrong shape (an inspect document that is a list, one without
``NetworkSettings`` or ``Config.Tty``, a log stream that is not multiplexed when the container has
no TTY) is never a traceback: an unusable inspect document is an InputError naming the container;
any other makes its step fail with :data:`MALFORMED`, and the rest is still sealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import docker
import requests

from stateward.errors import InputError, first_line
from stateward.forensics.collector import (
    UNSEALED,
    Clock,
    Collector,
    Tail,
)
from stateward.forensics.evidence import ObjectStore, Sealed, Tier, seal
from stateward.forensics.sealing import Recipients
from stateward.ledger.signer import Signer
from stateward.model.canonical import canonical_json
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.client import Engine, is_engine_gone
from stateward.sources.engine.facts import container_name, redacted_inspect
from stateward.sources.engine.layer import MIB, Budget, writable_layer
from stateward.sources.interface import Progress
from stateward.sources.redact import redact_args

__all__ = ["MALFORMED", "STEPS", "UNSEALED", "CaptureOptions", "capture", "malformed_steps"]

METHOD = "Docker Engine API from outside the container (no exec)"
_JSON = "application/json"
_BINARY = "application/octet-stream"
MALFORMED = "the engine's answer has an unexpected shape"
STEPS = 6
"""Collection steps of one capture: processes, network, writable layer, stdout, stderr, inspect."""


class _Malformed(Exception):
    """An engine answer that is not of the shape the Engine API documents; says what is wrong."""


def malformed_steps(manifest: Mapping[str, Any]) -> list[str]:
    """The steps of a sealed bundle that failed on an answer of the wrong shape."""
    return [
        str(a["name"])
        for a in manifest.get("artefacts", [])
        if a.get("outcome") == "failed" and str(a.get("reason", "")).startswith(MALFORMED)
    ]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CaptureOptions:
    """How much a capture collects."""

    budget: Budget = field(default_factory=Budget)
    """Changed files are hashed and stored within this budget."""
    log_lines: int = 1000
    """Last lines of stdout and of stderr kept."""
    recipients: Recipients | None = None
    """Whom artefacts are encrypted to; None keeps logs and changed files as digests only."""
    log_bytes: int = 16 * MIB
    """Of those lines, the last bytes kept per stream (the rest is recorded as cut)."""


def capture(
    engine: Engine,
    container: str,
    *,
    store: ObjectStore,
    signer: Signer,
    keeper: SecretKeeper,
    options: CaptureOptions | None = None,
    trigger: Mapping[str, Any] | None = None,
    clock: Clock = _utcnow,
    seen: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> Sealed:
    """Collect, store and seal the evidence of ``container`` (name or ID); returns the seal.

    ``seen`` is the inspect document of the container as seen earlier (the guard keeps one
    from the start event): when the container is already gone, the bundle is sealed from it,
    every live step recorded as failed. Without it, a missing container raises InputError.
    ``progress`` hears the collection steps done so far, of :data:`STEPS`.
    """
    options = options or CaptureOptions()
    started = clock()
    inspect, inspected = _inspect(engine, container, seen)
    ident = str(inspect["Id"])
    exists = partial(engine.has_container, ident)
    collector = Collector(store, clock, partial(_failure, exists), options.recipients,
                          skipped="the container is not running", progress=progress,
                          steps=STEPS)  # fmt: skip
    if progress is not None:
        progress(0, STEPS)
    _collect(engine, ident, inspect, collector, keeper, options)
    subject = _subject(engine, inspect)
    manifest = collector.manifest(subject, trigger, METHOD, inspected, started)
    return seal(store, manifest, signer)


def _failure(exists: Callable[[], bool], exc: Exception) -> str | None:
    """Why a step failed on the engine's answer; None for any other exception."""
    if isinstance(exc, _Malformed):
        return f"{MALFORMED}: {exc}"
    if isinstance(exc, docker.errors.APIError):
        if isinstance(exc, docker.errors.NotFound) or not exists():
            return "the container was removed during capture"
        return f"the engine refused: {first_line(exc)}"
    if is_engine_gone(exc):
        return f"the engine stopped answering: {first_line(exc)}"
    return None


def _inspect(
    engine: Engine, container: str, seen: Mapping[str, Any] | None
) -> tuple[Mapping[str, Any], str]:
    """The inspect document now, else the one seen earlier, and which of the two it is."""
    try:
        return _document(engine.api.inspect_container(container)), "at capture"
    except docker.errors.APIError as exc:
        # Podman answers 500, not 404, for a container in the middle of its removal.
        reason = "no such container" if isinstance(exc, docker.errors.NotFound) else first_line(exc)
    except _Malformed as exc:
        reason = f"{MALFORMED}: {exc}"
    if seen is None:
        raise InputError(f"{engine.url}#{container}", reason)
    return seen, f"earlier; at capture: {reason}"


def _document(answer: Any) -> Mapping[str, Any]:
    """An inspect answer, checked to be an object with the container's ``Id``."""
    if not isinstance(answer, Mapping):
        raise _Malformed(f"the inspect document is {_kind(answer)}, not an object")
    if not isinstance(answer.get("Id"), str):
        raise _Malformed("the inspect document has no Id")
    return answer


def _field(document: Mapping[str, Any], *path: str) -> Any:
    """``document[path[0]][path[1]]…``; _Malformed naming the first missing key."""
    value: Any = document
    for at, key in enumerate(path, 1):
        if not isinstance(value, Mapping) or key not in value:
            raise _Malformed(f"the inspect document has no {'.'.join(path[:at])}")
        value = value[key]
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null"}.get(type(value), "a scalar")


def _collect(
    engine: Engine,
    ident: str,
    inspect: Mapping[str, Any],
    collector: Collector,
    keeper: SecretKeeper,
    options: CaptureOptions,
) -> None:
    api = engine.api
    running = bool((inspect.get("State") or {}).get("Running"))
    collector.step(
        "processes",
        Tier.PROCESS,
        _JSON,
        lambda: _json(_redacted_top(api.top(ident), keeper)) if running else None,
    )
    collector.step(
        "network",
        Tier.PROCESS,
        _JSON,
        lambda: _json(_field(_document(api.inspect_container(ident)), "NetworkSettings")),
    )
    files: list[tuple[str, bytes, datetime]] = []

    def keep(path: str, data: bytes) -> None:
        files.append((path, data, collector.clock()))

    layer = partial(writable_layer, engine, ident, options.budget, keep)
    collector.step("writable-layer", Tier.TEMPORARY_FS, _JSON, lambda: _json(layer()))
    for path, data, at in files:
        collector.kept(f"file:{path}", Tier.TEMPORARY_FS, _BINARY, data, at)
    for stream in ("stdout", "stderr"):
        logs = partial(_logs, api, ident, inspect, stream, options)
        collector.step(stream, Tier.REMOTE_LOGS, _BINARY, logs, raw=True)
    collector.step(
        "inspect", Tier.CONFIGURATION, _JSON, lambda: _json(redacted_inspect(inspect, keeper))
    )


def _redacted_top(top: Any, keeper: SecretKeeper) -> dict[str, Any]:
    """The process table with every cell's words redacted as arguments are: a ``COMMAND``
    cell is the argument vector joined by spaces (ps(1)), so ``--password=S`` digests in place."""
    rows = top.get("Processes") if isinstance(top, Mapping) else None
    titles = top.get("Titles") if isinstance(top, Mapping) else None
    return {
        "Titles": titles if isinstance(titles, list) else [],
        "Processes": [
            [" ".join(redact_args(str(cell).split(" "), keeper)) for cell in row]
            for row in (rows if isinstance(rows, list) else [])
            if isinstance(row, list)
        ],
    }


def _logs(
    api: docker.APIClient,
    ident: str,
    inspect: Mapping[str, Any],
    stream: str,
    options: CaptureOptions,
) -> Tail:
    """The last ``log_lines`` lines of one stream, of which the last ``log_bytes`` are kept:
    read as a stream, so a container printing gigabytes on one line costs time, not memory.
    Raw bytes as the container wrote them: binary output stays byte for byte. The request is
    the SDK's (``GET /containers/{id}/logs``); the body is read here, framed as the inspect
    document's ``Config.Tty`` says, because the SDK reads a frame of any declared size in one
    piece and takes any eight bytes for a frame header."""
    tty = _field(inspect, "Config", "Tty")
    if not isinstance(tty, bool):
        raise _Malformed("the inspect document's Config.Tty is not true or false")
    params = {"stdout": int(stream == "stdout"), "stderr": int(stream == "stderr"),
              "timestamps": 1, "follow": 0, "tail": options.log_lines}  # fmt: skip
    url = f"{api.base_url}/v{api.api_version}/containers/{ident}/logs"
    response = api.get(url, params=params, stream=True)
    try:
        try:
            response.raise_for_status()
        except requests.HTTPError as error:  # 404 NotFound, other APIError, as the SDK's
            docker.errors.create_api_error_from_http_exception(error)
        kept = _Kept(options.log_bytes)
        for chunk in _payload(response.raw, tty):
            kept.add(chunk)
    finally:
        response.close()
    return kept.tail()


@dataclass(slots=True)
class _Kept:
    """The last ``limit`` bytes of a stream, and how many there were in all."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.data += chunk
        if len(self.data) > self.limit:
            del self.data[: len(self.data) - self.limit]

    def tail(self) -> Tail:
        cut = self.total > self.limit
        return Tail(
            bytes(self.data), f"kept the last {self.limit} of {self.total} bytes" if cut else ""
        )


_CHUNK = 1 << 16
_STREAMS = (0, 1, 2)  # stdin, stdout, stderr


def _payload(raw: Any, tty: bool) -> Iterator[bytes]:
    """The bytes a logs body carries, at most :data:`_CHUNK` at a time. Without a TTY the
    body is multiplexed: frames of an 8-byte header ``[STREAM, 0, 0, 0, SIZE (big-endian
    uint32)]`` and SIZE bytes of payload (Engine API v1.41, "Attach to a container", stream
    format: https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerAttach);
    a header of any other shape is :class:`_Malformed`."""
    if tty:
        while chunk := raw.read(_CHUNK):
            yield chunk
        return
    while header := raw.read(8):
        if len(header) < 8 or header[0] not in _STREAMS or header[1:4] != b"\0\0\0":
            raise _Malformed("the log stream is not multiplexed, yet the container has no TTY")
        left = int.from_bytes(header[4:], "big")
        while left:
            chunk = raw.read(min(left, _CHUNK))
            if not chunk:
                raise _Malformed("the log stream ends inside a frame")
            left -= len(chunk)
            yield chunk


def _subject(engine: Engine, inspect: Mapping[str, Any]) -> dict[str, Any]:
    config = inspect.get("Config") or {}
    labels = config.get("Labels") or {}
    state = inspect.get("State") or {}
    return {
        "engine": engine.url,
        "container": inspect.get("Id", ""),
        "name": container_name(inspect),
        "image": {"ref": config.get("Image", ""), "id": inspect.get("Image", "")},
        "compose": {
            "project": labels.get("com.docker.compose.project"),
            "service": labels.get("com.docker.compose.service"),
        },
        "state": {"status": state.get("Status"), "exit_code": state.get("ExitCode")},
    }


def _json(value: Any) -> bytes:
    return canonical_json(value)
