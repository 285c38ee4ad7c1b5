"""The ledger commands that print a wire format (checkpoint, vkey) or write files (export,
erase) also answer in JSON, and the JSON agrees with the wire format."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop" / "production"


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--store", str(store)])


def test_checkpoint_vkey_export_and_erase_in_json(tmp_path: Path) -> None:
    assert run(tmp_path, "scan", str(SHOP), "--estate", "shop").exit_code == 0
    head = json.loads(run(tmp_path, "ledger", "checkpoint", "--json").stdout)
    lines = head["signed_note"].split("\n")
    assert lines[:3] == [head["origin"], str(head["size"]), head["root_hash"]] and head["size"] == 1
    key = json.loads(run(tmp_path, "ledger", "vkey", "--json").stdout)
    assert key["vkey"].startswith(f"{key['name']}+{key['key_id']}+")
    assert key["name"] == head["origin"]
    exported = json.loads(
        run(tmp_path, "ledger", "export", "--tiles", str(tmp_path / "t"), "--json").stdout
    )
    assert exported["files"] >= 3 and (tmp_path / "t" / "checkpoint").is_file()
    obj = "sha256:" + "0" * 64
    missing = run(tmp_path, "ledger", "erase", obj, "--reason", "test", "--json")
    assert missing.exit_code != 0 and missing.stdout == ""
