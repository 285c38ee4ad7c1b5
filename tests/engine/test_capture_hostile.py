"""``stateward capture`` of containers whose engine answers have the wrong shape: one error line
naming the container, exit 2, and the other containers still captured. Served by a loopback
fake (:mod:`tests.fake_engine`): a real Podman cannot be made to give these answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.fake_engine import Route, serving

from stateward.cli import main

GOOD = {
    "Id": "def",
    "Name": "/db",
    "Image": "sha256:1",
    "Config": {"Tty": False, "Image": "busybox"},
    "State": {"Running": False, "Status": "exited", "ExitCode": 0},
    "NetworkSettings": {"IPAddress": ""},
}
FRAME = b"\x01\x00\x00\x00\x00\x00\x00\x06ready\n"  # stdout, 6 bytes: a multiplexed log


def _bad(**changes: Any) -> dict[str, Any]:
    document = {**GOOD, "Id": "abc", "Name": "/web", **changes}
    return {k: v for k, v in document.items() if v is not None}


def _engine(inspect: Any, logs: bytes = FRAME) -> Route:
    def route(path: str) -> tuple[bytes, float]:
        if path.endswith("/version"):
            return b'{"ApiVersion": "1.41", "Components": [{"Name": "Podman Engine"}]}', 0.0
        for ident, document, log in (("abc", inspect, logs), ("def", GOOD, FRAME)):
            if path.endswith(f"/containers/{ident}/json"):
                return json.dumps(document).encode(), 0.0
            if path.endswith(f"/containers/{ident}/logs"):
                return log, 0.0
        if path.endswith("/changes"):
            return b"[]", 0.0
        return b"{}", 0.0

    return route


CASES = {
    "inspect is a list": (
        [GOOD],
        FRAME,
        "#abc: the engine's answer has an unexpected shape: the inspect document is a list, "
        "not an object",
    ),
    "no NetworkSettings": (
        _bad(NetworkSettings=None),
        FRAME,
        "#abc: the engine's answer has an unexpected shape (network); the rest was sealed",
    ),
    "no Config.Tty": (
        _bad(Config={"Image": "busybox"}),
        FRAME,
        "#abc: the engine's answer has an unexpected shape (stdout, stderr); the rest was sealed",
    ),
    "log stream not multiplexed": (
        _bad(),
        b"plain text, no frame headers\n" * 4,
        "#abc: the engine's answer has an unexpected shape (stdout, stderr); the rest was sealed",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_answer_is_one_line_naming_the_container_and_the_rest_is_captured(
    case: str, tmp_path: Path
) -> None:
    inspect, logs, message = CASES[case]
    store = str(tmp_path / "store")
    with serving(tmp_path) as start:
        location = start(_engine(inspect, logs))
        result = CliRunner().invoke(
            main, ["capture", "abc", "def", "--engine", location, "--store", store]
        )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    url = "unix://" + location.removeprefix("engine://")
    assert len(errors) == 1 and errors[0].startswith(f"Error: {url}{message}"), result.stderr
    sealed = [line for line in result.stdout.splitlines() if line.startswith("Sealed evidence")]
    assert any(" for db: " in line and "complete;" in line for line in sealed), result.stderr
    listed = CliRunner().invoke(main, ["evidence", "list", "--store", store, "--json"])
    assert len(json.loads(listed.stdout)) == (1 if case == "inspect is a list" else 2)


def test_the_fake_serves_what_capture_reads_for_a_good_container(tmp_path: Path) -> None:
    with serving(tmp_path) as start:
        location: str = start(_engine(GOOD))
        result = CliRunner().invoke(
            main, ["capture", "def", "--engine", location, "--store", str(tmp_path / "s")]
        )
    assert result.exit_code == 0, result.output
    assert "Sealed evidence" in result.stdout and "complete;" in result.stdout
