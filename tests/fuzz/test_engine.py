"""Fuzz the engine facts parser with inspect replies of any JSON shape.

An engine (or something answering on its socket) may send any JSON; the facts parser must turn
it into a body or a StatewardError, never a traceback.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stateward.engine.facts import container_facts, redacted_inspect
from stateward.errors import StatewardError
from stateward.model.secrets import SecretKeeper

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


@fuzz_settings()
@given(st.one_of(mutated([INSPECT]), JUNK), st.one_of(mutated([IMAGE]), JUNK))
def test_engine_inspect_replies(inspect: Any, image: Any) -> None:
    for parse in (lambda: container_facts(inspect, image, KEEPER),
                  lambda: redacted_inspect(inspect, KEEPER)):  # fmt: skip
        try:
            parse()
        except StatewardError:
            pass
