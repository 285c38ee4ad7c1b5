"""``stateward capture`` and ``stateward evidence …`` end to end, against the real engine."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from stateward.cli import main
from stateward.cli.evidence import capture, evidence
from stateward.forensics.capture import UNSEALED

from .conftest import Make

pytestmark = pytest.mark.engine


def _run(command: click.Command, *args: str) -> Result:
    # Through ``main``, as a user runs it: a command run on its own would keep the help option
    # of that lone context (click caches it), and show it to every later test.
    return CliRunner().invoke(main, [str(command.name), *args], catch_exceptions=False)


def test_capture_then_list_show_export_verify(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    box = make_container("cli", ["sh", "-c", "printf cli > /tmp/cli"])
    engine = "engine://" + engine_url.removeprefix("unix://")
    result = _run(
        capture, box.name, "--engine", engine, "--store", store, "--estate", "lab", "--json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    address = document["evidence"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", address)
    assert result.stderr == f"Note: {UNSEALED}.\n"  # a warning; what was sealed is the document
    listed = json.loads(_run(evidence, "list", "--store", store, "--json").stdout)
    assert [(r["evidence"], r["estate"], r["container"]) for r in listed] == [
        (address, "lab", box.name)
    ]
    shown = json.loads(_run(evidence, "show", address, "--store", store, "--json").stdout)
    assert shown == document["manifest"]
    bundle = tmp_path / "bundle.tar"
    assert (
        _run(evidence, "export", address, "--output-file", str(bundle), "--store", store).exit_code
        == 0
    )
    verified = _run(evidence, "verify", str(bundle), "--store", store)
    assert verified.exit_code == 0, verified.stderr
    assert verified.stdout == f"Evidence {address} verified: 7 artefacts.\n"
    assert _run(evidence, "verify", address, "--store", store).exit_code == 0
    said = _run(capture, box.name, "--engine", engine, "--store", store, "--estate", "lab")
    assert said.stdout.startswith("Sealed evidence sha256:")  # what was sealed: the result
    assert f" for {box.name}: 3 of 7 artefacts collected, complete; ledger entry " in said.stdout


def test_verify_of_a_tampered_export_exits_3(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    box = make_container("tamper", ["true"])
    engine = "engine://" + engine_url.removeprefix("unix://")
    address = json.loads(
        _run(capture, box.id, "--engine", engine, "--store", store, "--json").stdout
    )["evidence"]
    bundle, tampered = tmp_path / "b.tar", tmp_path / "t.tar"
    _run(evidence, "export", address, "--output-file", str(bundle), "--store", store)
    with tarfile.open(bundle) as src, tarfile.open(tampered, "w") as dst:
        for info in src.getmembers():
            data = src.extractfile(info)
            body = data.read() if data else b""
            if b'"format":"stateward-evidence/1"' in body:  # the manifest: rewrite a fact
                body = body.replace(b'"complete":true', b'"complete":false')
            dst.addfile(info, io.BytesIO(body))
    result = _run(evidence, "verify", str(tampered), "--store", store)
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: object sha256:")
    assert "does not match its digest" in result.stderr


def test_capture_of_a_missing_container_exits_2(engine_url: str, tmp_path: Path) -> None:
    engine = "engine://" + engine_url.removeprefix("unix://")
    result = _run(capture, "sw-no-such-box", "--engine", engine, "--store", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {engine_url}#sw-no-such-box: no such container.\n"
