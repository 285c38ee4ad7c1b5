"""A hostile engine never hangs or crashes a scan: a loopback HTTP server on a unix socket that
answers with the wrong shapes or trickles its answer one byte at a time."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.fake_engine import Route, serving

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.source import EngineSource


@pytest.fixture
def fake_engine(tmp_path: Path) -> Iterator[Callable[[Route], str]]:
    with serving(tmp_path) as start:
        yield start


def _engine(container: bytes, pause: float = 0.0, listing_pause: float = 0.0) -> Route:
    listing = json.dumps([{"Id": "abc", "Names": ["/web"]}, {"Id": "def", "Names": ["/db"]}])

    def route(path: str) -> tuple[bytes, float]:
        if path.endswith("/version"):
            return b'{"ApiVersion": "1.41", "Components": [{"Name": "Podman Engine"}]}', 0.0
        if path.endswith("/containers/json"):
            return listing.encode(), listing_pause
        if path.endswith("/containers/abc/json"):
            return container, pause
        if path.endswith("/containers/def/json"):
            return json.dumps({"Id": "def", "Name": "/db", "Image": "sha256:1"}).encode(), 0.0
        if path.endswith("/changes"):
            return b"[]", 0.0
        return b"{}", 0.0

    return route


@pytest.mark.parametrize("answer", [b"[1, 2]", b'{"Id": "abc", "Config": [1], "Mounts": 5}', b"5"])
def test_an_inspect_answer_of_the_wrong_shape_is_one_error(
    fake_engine: Callable[[Route], str], keeper: SecretKeeper, answer: bytes
) -> None:
    location = fake_engine(_engine(answer))
    result = EngineSource().observe(location, keeper)
    assert [r.key.name for r in result.resources] == ["db"]
    (error,) = result.errors
    assert error.location.endswith("#web")
    assert "unexpected shape" in error.reason


def test_a_trickling_engine_is_cut_off_at_the_deadline(
    fake_engine: Callable[[Route], str], keeper: SecretKeeper
) -> None:
    body = json.dumps({"Id": "abc", "Name": "/web", "pad": "x" * 200}).encode()
    location = fake_engine(_engine(body, pause=0.05))  # 12 s to send it all
    started = time.monotonic()
    result = EngineSource(deadline_s=1.0).observe(location, keeper)
    elapsed = time.monotonic() - started
    assert elapsed < 4, f"the scan took {elapsed:.1f} s"
    assert result.complete is False
    assert [r.key.name for r in result.resources] == ["db"]  # read before web trickled
    assert "stopped answering after 1 of 2 containers" in result.errors[0].reason


def test_a_listing_of_the_wrong_shape_is_a_source_error(
    fake_engine: Callable[[Route], str], keeper: SecretKeeper
) -> None:
    location = fake_engine(
        lambda path: (b'{"ApiVersion": "1.41"}' if "version" in path else b"[5]", 0.0)
    )
    with pytest.raises(
        SourceError, match="cannot list containers at .*: the answer has an unexpected shape"
    ):
        EngineSource().observe(location, keeper)
