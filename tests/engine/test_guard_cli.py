"""``stateward guard`` as a user runs it: each sealed bundle is reported with the ledger entry
that logged it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stateward.ledger.entry import Entry, EntryType
from stateward.store import open_store

from .conftest import Make

pytestmark = pytest.mark.engine


def test_guard_reports_the_ledger_entry_of_each_sealed_bundle(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    command = [sys.executable, "-c", "from stateward.cli import main; main()", "guard", "--json",
               "--engine", "engine://" + engine_url.removeprefix("unix://"), "--store", store]  # fmt: skip
    guard = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "1000"},
    )
    try:
        assert guard.stderr is not None and guard.stdout is not None
        assert "Guarding" in guard.stderr.readline()
        time.sleep(0.5)  # subscribed before the container dies
        box = make_container("guarded-cli", ["sh", "-c", "sleep 1"])
        deadline = time.monotonic() + 60
        line: dict[str, object] = {}
        while time.monotonic() < deadline and line.get("container") != box.id:
            line = json.loads(guard.stdout.readline() or "{}")  # other tests' containers too
        assert line.get("container") == box.id, "guard reported no capture in 60 s"
    finally:
        guard.send_signal(signal.SIGTERM)
        _, stderr = guard.communicate(timeout=60)
    index = line["ledger_entry"]
    assert isinstance(index, int) and index >= 0
    opened = open_store(store)
    logged = Entry.decode(opened.ledger.prove(index).entry)
    assert (logged.type, dict(logged.objects)) == (EntryType.EVIDENCE, {"seal": line["evidence"]})
    opened.close()
    assert f"ledger entry {index}." in stderr and "ledger entry -1" not in stderr
