"""Worker processes die with a killed ``scan``, ``audit`` or ``ledger verify``, instead of being
re-parented to PID 1 and waiting for work forever. Each case runs the real command on a folder
(or a ledger) large enough to start the pool, waits until its workers exist, kills the command
and watches them go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.storage import sql
from stateward.ledger.verify import PARALLEL_FROM
from stateward.store import open_store
from stateward.workers import forked_pool

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(2) is Linux's")

FILES, OBJECTS = 24, 150  # enough for the pool (16 files) and a few seconds of parsing
WAIT = 10.0


def _estate(root: Path) -> Path:
    root.mkdir()
    for number in range(FILES):
        docs = [
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{number}-{i}}}\n"
            "spec:\n  template:\n    spec:\n      containers:\n        - name: app\n"
            f"          image: nginx:1.{i}\n          env:\n{_env(number, i)}"
            for i in range(OBJECTS)
        ]
        (root / f"part-{number:02}.yaml").write_text("---\n".join(docs))
    return root


def _env(number: int, i: int) -> str:
    # values of their own: a value met before is not redacted again, and takes no time
    return "".join(
        f"            - {{name: VAR_{j}, value: 'value {number} {i} {j}'}}\n" for j in range(20)
    )


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # ended while listed
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running: a zombie (a killed orphan PID 1 has not reaped yet) is dead."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _workers_of(process: subprocess.Popen[bytes]) -> set[int]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= 2:
            return workers
        time.sleep(0.01)
    pytest.fail("the command started no worker processes (or ended before they were seen)")


def _ledger(location: Path) -> Path:
    """A store whose ledger ``verify`` checks in worker processes for a few seconds."""
    store = open_store(str(location))
    address = store.put_object(b"policy")
    leaf = Entry(EntryType.POLICY, None, datetime(2026, 12, 1, tzinfo=UTC), {"p": address})
    leaves = [leaf.encode()] * PARALLEL_FROM
    for _ in range(2):
        store.db.read_write(lambda c: sql.append_leaves(c, leaves))
    store.close()
    return location


def _command(tmp_path: Path, command: str) -> list[str]:
    if command == "ledger":
        return ["ledger", "verify", "--store", str(_ledger(tmp_path / "store"))]
    estate = _estate(tmp_path / "estate")
    extra = ["--estate", "e", "--store", str(tmp_path / "store")] if command == "scan" else []
    return [command, str(estate), *extra, "-o", "json"]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("command", ["scan", "audit", "ledger"])
def test_workers_die_with_a_killed_command(tmp_path: Path, command: str, how: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "stateward", *_command(tmp_path, command)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers = _workers_of(process)
    assert all(_alive(pid) for pid in workers)
    process.send_signal(how)
    assert process.wait(WAIT) == -how
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # leave no process behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed parent"


def _initialized(value: str) -> None:
    os.environ["STATEWARD_TEST_WORKER"] = value


def _read_back() -> str:
    return os.environ.get("STATEWARD_TEST_WORKER", "")


def test_a_pool_runs_its_initializer_too() -> None:
    with forked_pool(1, _initialized, ("ready",)) as pool:
        assert pool.submit(_read_back).result(WAIT) == "ready"


def test_a_worker_killed_mid_read_is_one_line_and_records_nothing(tmp_path: Path) -> None:
    """A file-reading worker that dies (the OOM killer's SIGKILL) broke the pipe to it, and the
    scan ended by SIGPIPE, silently (status -13); now the source's error and the command's,
    exit 2, and the store holds nothing of it."""
    command = _command(tmp_path, "scan")
    process = subprocess.Popen(
        [sys.executable, "-m", "stateward", *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    os.kill(min(_workers_of(process)), signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, err.decode()
    assert out == b"" and b"Traceback" not in err
    cause, outcome = err.decode().splitlines()  # the source's error, then the command's
    estate = command[1]
    assert cause == (
        f"Error: {estate}: a worker process reading the files ended before it "
        "finished (killed, or out of memory); nothing of this read was recorded."
    )
    assert outcome.startswith(f"Error: nothing recorded: {estate} could not be read.")
    store = open_store(str(tmp_path / "store"))
    try:
        assert store.history("e") == []
    finally:
        store.close()
