"""A real server (uvicorn on a loopback port, in a thread) over a real store on each backend.

The store is the example shop scanned twice, with a read and an admin token made by
``stateward tokens create``; requests go over HTTP like any client's.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from tests.store.conftest import fresh_database

from stateward import api
from stateward.cli import main
from stateward.server import Settings, create_app
from stateward.server.run import uvicorn_config

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


@dataclass(frozen=True)
class Served:
    """A running server and what a client needs to talk to it."""

    url: str
    location: str
    read: str
    """A read token."""
    admin: str
    """An admin token."""

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def stateward(*args: str) -> str:
    """Run the CLI; its stdout (it must succeed)."""
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def scanned_shop(location: str) -> str:
    for source in ("production", "live/production.yaml"):
        stateward("scan", str(SHOP / source), "--estate", "shop", "--store", location)
    return location


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend_location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh store location on each backend, its keys in a folder of their own."""
    home = tmp_path_factory.mktemp("serve")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        patch.setenv("STATEWARD_KEY_FILE", str(home / "pg.key"))
        if request.param == "sqlite":
            yield str(home / "store")
        else:
            yield from fresh_database(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module")
def served(backend_location: str) -> Iterator[Served]:
    """The scanned shop served with default settings (a token for everything)."""
    scanned_shop(backend_location)
    stateward("ledger", "checkpoint", "--store", backend_location)  # what read proofs prove in
    # the route-by-route tests present many wrong tokens on purpose
    with running(backend_location, Settings(failed_auth=1000)) as url:
        yield Served(url, backend_location, *tokens(backend_location))


def tokens(location: str) -> tuple[str, str]:
    read = stateward("tokens", "create", "--role", "read", "--store", location).strip()
    admin = stateward("tokens", "create", "--role", "admin", "--store", location).strip()
    return read, admin


def raw_get(url: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """GET ``path`` exactly as given: no client-side ``..`` folding or re-encoding."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


class running:
    """Serve ``location`` on a free loopback port while the block runs; stop gracefully."""

    def __init__(self, location: str, settings: Settings) -> None:
        # IPPROTO_TCP, as uvicorn's own binding has it: asyncio sets TCP_NODELAY only on such
        # sockets, and without it a reused connection waits ~40 ms for a delayed ACK (Nagle)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        config = uvicorn_config(
            create_app(api.opened(location), settings),
            timeout_graceful_shutdown=2,  # an event stream a test left open ends the wait
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        host, port = self.sock.getsockname()
        return f"http://{host}:{port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by its chromedriver (``scripts/services.d/chromium.sh``
    installs both), with the console kept for the tests to read."""
    paths = [
        os.environ.get(v, "") for v in ("STATEWARD_TEST_CHROMIUM", "STATEWARD_TEST_CHROMEDRIVER")
    ]
    if not all(paths):
        pytest.skip(
            "SERVICE MISSING: $STATEWARD_TEST_CHROMIUM/$STATEWARD_TEST_CHROMEDRIVER are not set; "
            "run `make services` (scripts/services.sh) and source scripts/services.env"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=paths[1]))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
