"""``stateward serve`` as a user starts it: the address rules, a missing store, and a graceful
stop on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from tests.server.conftest import SHOP, scanned_shop, tokens

from stateward import api
from stateward.cli import main
from stateward.errors import StatewardError, UsageError
from stateward.ledger.entry import Entry, EntryType
from stateward.server.run import Binding, check_binding


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::", "example.org"])
def test_a_non_loopback_address_needs_tls_or_insecure(host: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=f"--host {host} is not a loopback address"):
        check_binding(Binding(host))
    check_binding(Binding(host, insecure=True))
    check_binding(Binding(host, tls_cert=tmp_path / "c", tls_key=tmp_path / "k"))
    result = CliRunner().invoke(main, ["serve", "--host", host, "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "Give --tls-cert and --tls-key, or --insecure" in result.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.9.9.9"])
def test_loopback_needs_nothing(host: str) -> None:
    check_binding(Binding(host))


def test_tls_cert_and_key_go_together(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--tls-cert and --tls-key can only be used together"):
        check_binding(Binding(tls_cert=tmp_path / "c"))


def test_a_missing_store_is_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 3, result.output
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("workers", ["0", "65", "two", "-1"])
def test_workers_is_a_number_or_auto(workers: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--workers", workers, "--store", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert "give a number of processes from 1 to 64, or auto" in result.stderr


def test_a_revoked_token_is_gone_and_an_unknown_one_is_exit_2(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    token = api.make_token(location, "read")
    revoke = ["tokens", "revoke", token.token_id, "--store", location]
    result = CliRunner().invoke(main, revoke)
    assert result.exit_code == 0 and f"Token {token.token_id} revoked." in result.stderr
    assert api.role_of(location, token.value) is None
    again = CliRunner().invoke(main, revoke)
    assert again.exit_code == 2 and f"no token '{token.token_id}'" in again.stderr


def test_a_wrong_estate_declaration_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "stateward.yaml"
    config.write_text("estates:\n  - {name: shop, sources: [x], interval: 0}\n")
    result = CliRunner().invoke(main, ["serve", "--config", str(config), "--store",
                                       str(tmp_path / "s")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"{config}: estates[0].interval: under 1 second" in result.stderr
    assert not (tmp_path / "s").exists()


def test_serve_records_the_declared_estates(tmp_path: Path) -> None:
    location = str(tmp_path / "store")  # made by the first observation
    config = tmp_path / "stateward.yaml"
    config.write_text(f"estates:\n  - {{name: live, sources: [{SHOP / 'live'}], interval: 1}}\n")
    with serving(location, "--config", str(config)) as (process, _):
        deadline = time.monotonic() + 60
        while not [e for e in _estates(location) if e.observations >= 2]:
            assert process.poll() is None and time.monotonic() < deadline, "nothing recorded"
            time.sleep(0.2)
    log = process.stderr.read() if process.stderr else ""
    assert "estate live: recorded observation #1" in log
    assert "estate live: recorded observation #2" in log


def _estates(location: str) -> list[api.Estate]:
    try:
        return api.estates(location)
    except StatewardError:  # not made yet
        return []


@contextmanager
def serving(location: str, *args: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``stateward serve`` in a process of its own while the block runs, then stopped by
    SIGTERM (uvicorn shuts down, then re-raises the signal so the exit status tells it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stateward = str(Path(sys.executable).with_name("stateward"))
    command = [stateward, "serve", "--store", location, "--port", str(port), *args]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        yield process, port
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == -signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()


def _ready(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            assert requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).ok
            return
        except requests.ConnectionError:
            assert process.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.2)


def test_serve_answers_then_stops_gracefully_on_sigterm(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    with serving(location) as (process, port):
        _ready(process, port)
        assert (
            requests.get(f"http://127.0.0.1:{port}/api/v1/estates", timeout=30).status_code == 401
        )
    log = process.stderr.read() if process.stderr else ""
    assert "Shutting down" in log and "Finished server process" in log
    assert "GET /api/v1/estates 401 role=-" in log


def test_a_client_that_leaves_mid_answer_cannot_end_the_server(tmp_path: Path) -> None:
    """The command line ends by SIGPIPE when its reader goes away (stateward/__main__.py); the
    server must not. With that default, clients closing connections with answers still being
    written (wrk at the end of every run of bench_server) ended ``stateward serve`` with status
    141. Ignored, as Python itself sets it, such a write fails for that connection only."""
    location = scanned_shop(str(tmp_path / "store"))
    with serving(location) as (process, port):
        _ready(process, port)
        status = Path(f"/proc/{process.pid}/status").read_text()
        ignored = int(
            next(line for line in status.splitlines() if line.startswith("SigIgn:"))[7:], 16
        )
        assert ignored & (1 << (signal.SIGPIPE - 1)), "SIGPIPE is not ignored"
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok


@pytest.mark.parametrize("workers", ["1", "2"])
def test_tiles_answered_just_before_sigterm_are_logged(tmp_path: Path, workers: str) -> None:
    """Tiles answered from memory are logged as one counted line per second; the last second's
    count is written when the server stops. uvicorn raises SIGTERM again once it has shut down,
    which with the default handler ended the process before that flush: every tile answered in
    the last second went unlogged."""
    location = scanned_shop(str(tmp_path / "store"))
    when = datetime(2026, 1, 1, tzinfo=UTC)
    api.opened(location).ledger.append(
        [Entry(EntryType.CHANGE, f"e-{i}", when) for i in range(300)]
    )
    read, _ = tokens(location)
    asked = 20
    with serving(location, "--workers", workers) as (process, port), requests.Session() as client:
        _ready(process, port)
        for _ in range(asked):  # on one connection, so one worker answers them all
            got = client.get(f"http://127.0.0.1:{port}/log/tile/0/000", timeout=10,
                             headers={"Authorization": f"Bearer {read}"})  # fmt: skip
            assert got.status_code == 200 and len(got.content) == 256 * 32
    log = process.stderr.read() if process.stderr else ""
    counted = re.findall(r" GET /log/tile/ 200 role=read x(\d+) from memory", log)
    assert sum(map(int, counted)) == asked - 1, log  # the first was read from the store
