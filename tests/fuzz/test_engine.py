"""Fuzz the engine source with answers of any JSON shape from a loopback engine.

A real HTTP server on a unix socket stands in for the engine and answers the container listing,
inspect, image and changes endpoints with mutated real answers or any JSON; the real
EngineSource (client, facts parser, writable layer) must turn each into resources and errors,
never a traceback.
"""

from __future__ import annotations

import functools
import json
import socketserver
import tempfile
import threading
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from tests.fake_engine import Handler

from stateward.errors import StatewardError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.source import EngineSource

from .conftest import fuzz_settings
from .strategies import JUNK, mutated

KEEPER = SecretKeeper(b"\x02" * 32)
INSPECT: dict[str, Any] = {
    "Id": "3f" * 32, "Name": "/shop-web-1", "Image": "sha256:" + "cd" * 32,
    "Args": ["--password=s3cret"],
    "State": {"Status": "running", "ExitCode": 0, "OOMKilled": False, "Health": {"Status": "healthy"}},
    "Config": {
        "Image": "nginx:1.27", "Hostname": "web", "User": "101", "WorkingDir": "/srv",
        "Env": ["PATH=/usr/bin", "DB_PASSWORD=s3cret", "HOSTNAME=web", "EMPTY"],
        "Cmd": ["nginx", "-g", "daemon off;"], "Entrypoint": ["/docker-entrypoint.sh"],
        "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web"},
        "ExposedPorts": {"80/tcp": {}},
        "Healthcheck": {"Test": ["CMD", "curl", "-f", "http://localhost"], "Interval": 10**10},
        "CreateCommand": ["podman", "run", "-e", "DB_PASSWORD=s3cret", "nginx"],
    },
    "HostConfig": {
        "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
        "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}, "NetworkMode": "bridge",
        "Memory": 268435456, "CapAdd": ["NET_ADMIN"], "CapDrop": None, "Privileged": False,
        "SecurityOpt": ["label=disable"],
    },
    "Mounts": [{"Type": "volume", "Name": "data", "Source": "/var/lib/x", "Destination": "/data",
                "RW": True}],
    "NetworkSettings": {"Networks": {"shop_default": {}}},
}  # fmt: skip
IMAGE: dict[str, Any] = {
    "RepoDigests": ["nginx@sha256:" + "ef" * 32],
    "Config": {"Env": ["PATH=/usr/bin"], "Cmd": ["nginx"], "Labels": {"maintainer": "x"}},
}


LISTING: list[Any] = [{"Id": "3f" * 32, "Names": ["/shop-web-1"]}]
CHANGES: list[Any] = [{"Path": "/etc/nginx", "Kind": 0}, {"Path": "/tmp/x", "Kind": 1}]
_ANSWERS: dict[str, bytes] = {}


def _route(path: str) -> tuple[bytes, float]:
    if path.endswith("/version"):
        return b'{"ApiVersion": "1.41", "Components": [{"Name": "Podman Engine"}]}', 0.0
    kind = ("image" if "/images/" in path else "listing" if path.endswith("/containers/json")
            else "changes" if path.endswith("/changes") else "inspect" if path.endswith("/json")
            else "other")  # fmt: skip
    return _ANSWERS.get(kind, b"{}"), 0.0


@functools.cache
def _engine() -> str:
    """A loopback engine for the whole run, started on first use."""
    sock = str(Path(tempfile.mkdtemp(prefix="stateward-fuzz-")) / "engine.sock")
    handler = type("Handler", (Handler,), {"route": staticmethod(_route)})
    server = socketserver.ThreadingUnixStreamServer(sock, handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "engine://" + sock


def _json(value: Any) -> bytes:
    try:
        return json.dumps(value).encode()
    except ValueError:  # an integer past the int/str conversion limit
        return b"[]"


@fuzz_settings()
@given(
    st.one_of(st.just(LISTING), mutated([LISTING]), JUNK),
    st.one_of(mutated([INSPECT]), JUNK),
    st.one_of(st.just(IMAGE), mutated([IMAGE]), JUNK),
    st.one_of(st.just(CHANGES), mutated([CHANGES]), JUNK),
)
@example(LISTING, [1, 2], IMAGE, CHANGES)
@example(LISTING, {**INSPECT, "Config": [1], "Mounts": 5}, IMAGE, CHANGES)
@example([{"Id": 5}], INSPECT, IMAGE, CHANGES)
@example(LISTING, INSPECT, IMAGE, {"Path": 1})
def test_engine_answers(listing: Any, inspect: Any, image: Any, changes: Any) -> None:
    _ANSWERS.update({"listing": _json(listing), "inspect": _json(inspect), "image": _json(image),
                     "changes": _json(changes)})  # fmt: skip
    try:
        EngineSource(deadline_s=5.0).observe(_engine(), KEEPER)
    except StatewardError:
        pass
