"""Engine faults against the real engine: a container removed mid-scan, the engine going
away mid-scan, a 1 GB changed file, hostile file names, binary logs, budgets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from stateward.analysis.writable import writable_layer_findings
from stateward.contexts.engine import engine_components
from stateward.model.canonical import canonical_json
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.layer import Budget
from stateward.sources.engine.source import EngineSource

from .conftest import Make
from .scan import layer_of, resource_of, scan, sha256

pytestmark = pytest.mark.engine


def test_container_removed_between_list_and_inspect_is_skipped_with_a_note(
    engine_url: str, engine: docker.DockerClient, make_container: Make, keeper: SecretKeeper
) -> None:
    kept = make_container("kept", ["true"])
    victim = make_container("victim", ["true"])

    def remove_victim(done: int, total: int | None) -> None:
        if done == 0:  # the list is taken, nothing is inspected yet
            engine.containers.get(victim.id).remove(force=True)

    result = scan(engine_url, keeper, progress=remove_victim)
    assert result.complete
    resource_of(result, kept)
    assert victim.id not in {r.body["id"] for r in result.resources}
    notes = [e for e in result.errors if e.location.endswith("#" + victim.name)]
    assert [e.reason for e in notes] == ["container was removed before it could be read; skipped"]


@pytest.fixture
def private_engine(
    engine_url: str, tmp_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A second API service over the test engine's storage, that a test may kill."""
    if not os.environ.get("CONTAINERS_CONF") or not shutil.which("podman"):
        pytest.skip("SERVICE MISSING: podman or $CONTAINERS_CONF absent; run `make services`")
    sock = tmp_path / "private.sock"
    proc = subprocess.Popen(
        ["podman", "system", "service", "--time=0", f"unix://{sock}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_answers(f"unix://{sock}")
        yield str(sock), proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def _wait_until_answers(url: str) -> None:
    client = docker.APIClient(base_url=url, version="1.41", timeout=5)
    for _ in range(200):
        try:
            client.ping()
            return
        except Exception:  # not up yet: connection refused or socket missing
            subprocess.run(["sleep", "0.1"], check=True)
    pytest.fail(f"private podman service at {url} never answered")


def test_engine_gone_mid_scan_keeps_what_was_read_and_marks_incomplete(
    private_engine: tuple[str, subprocess.Popen[bytes]], make_container: Make, keeper: SecretKeeper
) -> None:
    sock, proc = private_engine
    make_container("one", ["true"])
    make_container("two", ["true"])

    def kill_engine(done: int, total: int | None) -> None:
        if done == 1:
            proc.terminate()
            proc.wait(timeout=30)

    result = EngineSource().observe(f"engine://{sock}", keeper, kill_engine)
    assert result.complete is False
    assert len(result.resources) == 1
    (error,) = result.errors
    assert error.location == f"unix://{sock}"
    assert "engine stopped answering after 1 of " in error.reason
    assert error.reason.endswith("the observation is incomplete")


def test_one_gigabyte_file_is_skipped_with_its_reason_and_not_read(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    # A sparse file: 1 GiB to the engine, no disk blocks on the machine.
    box = make_container("big", ["sh", "-c", "truncate -s 1G /tmp/big && printf small > /tmp/s"])
    result = scan(engine_url, keeper)
    layer = layer_of(result, box)
    assert layer["/tmp/big"] == {
        "op": "added",
        "type": "file",
        "mode": "0644",
        "size": 1 << 30,
        "skipped": "size 1073741824 bytes is over the per-file budget of 16777216 bytes",
    }
    assert layer["/tmp/s"]["sha256"] == sha256(b"small")
    written = resource_of(result, box).body["writable_layer"]
    assert (written["hashed_bytes"], written["skipped"]) == (5, 1)


def test_container_budgets_of_bytes_and_files(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    script = "printf aaaaa > /tmp/f1; printf bbbbb > /tmp/f2; printf c > /tmp/f3"
    box = make_container("budget", ["sh", "-c", script])
    by_bytes = layer_of(scan(engine_url, keeper, Budget(total_bytes=8)), box)
    assert by_bytes["/tmp/f1"]["sha256"] == sha256(b"aaaaa")
    assert by_bytes["/tmp/f2"]["skipped"] == "the container's budget of 8 bytes is used up"
    assert by_bytes["/tmp/f3"]["sha256"] == sha256(b"c")
    by_files = layer_of(scan(engine_url, keeper, Budget(files=1)), box)
    assert by_files["/tmp/f2"]["skipped"] == "the container's budget of 1 files is used up"
    assert "sha256" not in by_files["/tmp/f3"]


HOSTILE = {
    "/tmp/new\nline": b"n",
    "/tmp/tab\there": b"t",
    "/tmp/-rf": b"r",
    "/tmp/caf\u00e9 \u6f22\u5b57": b"u",
    "/tmp/quote'\"`$(x)": b"q",
    "/tmp/back\\slash": b"b",
    "/tmp/glob?[ab]": b"g",
    "/tmp/globxa": b"h",  # the name above, read as a glob, would match this one instead
    "/tmp/" + "L" * 250: b"l",
}


def test_hostile_file_names_are_kept_exactly_and_hashed(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    # Names go in through the environment so no shell quoting can alter them.
    env = {f"F{i}": name for i, name in enumerate(HOSTILE)}
    writes = "; ".join(
        f'printf {HOSTILE[name].decode()} > "$F{i}"' for i, name in enumerate(HOSTILE)
    )
    script = writes + "; printf x > \"$(printf '/tmp/bad\\377name')\"; printf s > '/tmp/star*'"
    box = make_container("hostile", ["sh", "-c", script], environment=env)
    result = scan(engine_url, keeper)
    layer = layer_of(result, box)
    for name, content in HOSTILE.items():
        assert layer[name]["sha256"] == sha256(content), name
    assert (
        layer["/tmp/star*"]["skipped"]
        == "Podman's archive endpoint cannot fetch a name holding '*'"
    )
    assert layer["/tmp/bad\ufffdname"] == {
        "op": "added",
        "skipped": "name is not valid UTF-8 (the engine reports it lossily)",
    }
    resource = resource_of(result, box)
    assert json.loads(canonical_json(dict(resource.body)))["writable_layer"]["changes"] == layer
    (finding,) = writable_layer_findings(engine_components([resource]))
    assert "\n" not in finding.message  # names are quoted, a newline cannot split the line
    assert "'/tmp/new\\nline'" in finding.message


def test_container_with_binary_output_is_observed(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    box = make_container("binary", ["sh", "-c", "head -c 4096 /dev/urandom; printf '\\377\\000'"])
    result = scan(engine_url, keeper)
    assert resource_of(result, box).body["state"]["exit_code"] == 0
    assert not [e for e in result.errors if box.name in e.location]


def test_an_added_directory_read_in_one_archive_gives_the_same_entries_as_file_by_file(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    # /opt/app is new in the layer: read as one archive; /tmp exists in the image: file by file.
    make = (
        "mkdir -p {d}; printf one > {d}/f1; printf two > {d}/f2; printf x > {d}/suid; "
        "chmod 4755 {d}/suid; ln -s /etc/passwd {d}/abs; ln -s f1 {d}/rel; mkfifo {d}/fifo; "
        "truncate -s 1G {d}/big; printf after > {d}/zz"
    )
    script = make.format(d="/opt/app") + "; " + make.format(d="/tmp")
    box = make_container("tree", ["sh", "-c", script])
    layer = layer_of(scan(engine_url, keeper), box)
    for name in ("f1", "f2", "suid", "abs", "fifo", "big", "zz"):
        assert layer[f"/opt/app/{name}"] == layer[f"/tmp/{name}"], name
    relative = ({**layer["/opt/app/rel"], "target": ""}, {**layer["/tmp/rel"], "target": ""})
    assert relative[0] == relative[1]
    assert layer["/tmp/rel"]["target"] == "/tmp/f1"
    assert layer["/opt/app/f1"]["sha256"] == sha256(b"one")
    assert layer["/opt/app/suid"]["mode"] == "4755"
    assert layer["/opt/app/abs"]["target"] == "/etc/passwd"
    assert layer["/opt/app/rel"]["target"] == "/opt/app/f1"
    assert layer["/opt/app/big"]["skipped"].startswith("size 1073741824 bytes is over")
    assert layer["/opt/app/zz"]["sha256"] == sha256(b"after")  # read after the tree stopped
