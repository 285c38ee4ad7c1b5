"""Progress of the long commands: the library calls ``progress(done, total)`` with counts that
rise to the total, and the CLI draws a bar on stderr only when stderr is a terminal, never on
stdout."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.engine.conftest import Make

from stateward import api
from stateward.cli import main
from stateward.forensics.capture import STEPS

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


class Calls(list[tuple[int, int | None]]):
    """A progress callback that keeps what it heard."""

    def __call__(self, done: int, total: int | None) -> None:
        self.append((done, total))

    def assert_rising_to(self, total: int) -> None:
        assert self, "progress was never called"
        assert {t for _, t in self} == {total}, self
        done = [d for d, _ in self]
        assert done == sorted(set(done)), f"not strictly rising: {done}"
        assert 0 <= done[0] and done[-1] == total, self


@pytest.fixture
def shop(tmp_path: Path) -> str:
    """A store where estate ``shop`` has its desired and then its live state."""
    location = str(tmp_path / "store")
    api.scan(location, [str(SHOP / "production")], estate="shop")
    api.scan(location, [str(SHOP / "live" / "production.yaml")], estate="shop")
    return location


def test_ledger_verify_reports_entries_checked(shop: str) -> None:
    calls = Calls()
    report = api.verify(shop, progress=calls)
    assert report.ok
    calls.assert_rising_to(report.log.size)
    assert calls[0] == (0, report.log.size)


def test_ledger_verify_rises_block_by_block(shop: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from stateward.ledger import verify

    monkeypatch.setattr(verify, "CHUNK", 1)  # one block per entry: every step is seen
    calls = Calls()
    size = api.verify(shop, progress=calls).log.size
    assert size >= 2 and calls == [(n, size) for n in range(size + 1)]


def test_ledger_export_reports_bundles_written(shop: str, tmp_path: Path) -> None:
    calls = Calls()
    api.export_tiles(shop, tmp_path / "tiles", progress=calls)
    calls.assert_rising_to(1)


def test_cost_reports_components_priced(shop: str) -> None:
    calls = Calls()
    priced = api.cost(shop, "shop", progress=calls)
    changed = calls[-1][1]
    assert changed and changed >= len(priced.report.components) >= 1
    calls.assert_rising_to(changed)


def test_capture_reports_each_collection_step(
    tmp_path: Path, engine_url: str, make_container: Make
) -> None:
    box = make_container("progress", ["sh", "-c", "echo hi; sleep 30"], wait=False)
    calls = Calls()
    api.capture(str(tmp_path / "store"), box.id or "", engine=engine_url, progress=calls)
    calls.assert_rising_to(STEPS)
    assert len(calls) == STEPS + 1


def test_watch_start_up_reports_kinds_listed(tmp_path: Path, kubeconfig: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    stop = threading.Event()
    calls = Calls()
    heard: list[int] = []

    def first(recorded: api.Recorded) -> None:
        heard.append(len(calls))  # how far the start-up had got when the state was recorded
        stop.set()

    api.watch(str(tmp_path / "store"), "kube://", estate="live", on_record=first, stop=stop,
              debounce_s=0.1, progress=calls)  # fmt: skip
    total = calls[-1][1]
    assert total and total > 1
    calls.assert_rising_to(total)
    assert heard == [len(calls)]  # every kind was listed before the first observation


def test_no_bar_when_stderr_is_not_a_terminal(shop: str) -> None:
    result = CliRunner().invoke(main, ["ledger", "verify", "--store", shop, "--json"])
    assert result.exit_code == 0, result.output
    assert "Verifying entries" not in result.stderr
    json.loads(result.stdout)


def test_the_bar_goes_to_a_terminal_stderr_and_stdout_stays_clean(shop: str) -> None:
    """stderr is a pseudo-terminal, stdout a pipe: the bar is drawn on the one, the JSON
    document alone is on the other."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "stateward", "ledger", "verify", "--store", shop, "--json"],
        stdout=subprocess.PIPE, stderr=secondary, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(secondary)
    stdout, _ = process.communicate(timeout=60)
    terminal = read_terminal(primary)
    assert process.returncode == 0, terminal
    assert "Verifying entries" in terminal
    assert json.loads(stdout)["ok"] is True
    assert b"\x1b" not in stdout and b"Verifying" not in stdout


def read_terminal(fd: int) -> str:
    """Everything written to the pseudo-terminal whose primary side is ``fd`` (closed after)."""
    chunks = []
    while select.select([fd], [], [], 1)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode(errors="replace")
