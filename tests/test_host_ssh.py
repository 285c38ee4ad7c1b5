"""``ssh://`` against a real OpenSSH sshd on loopback (``scripts/services.d/sshd.sh``), with a
key made here: the same facts as ``host://`` of the same machine, nothing installed on it, an
unknown host key refused, and ``parity host:// ssh://…`` of one machine with itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from click.testing import CliRunner

from stateward.api import observe
from stateward.cli import main
from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions, HostSource, file_index
from stateward.sources.host.transport import parse_ssh

KEEPER = SecretKeeper(b"s" * 32)


@pytest.fixture
def ssh(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``ssh://root@127.0.0.1:PORT`` and the environment that logs in there with a fresh key."""
    where, folder = os.environ.get("STATEWARD_TEST_SSHD"), os.environ.get("STATEWARD_TEST_SSHD_DIR")
    if not where or not folder:
        pytest.skip("SERVICE MISSING: $STATEWARD_TEST_SSHD is not set; run `make services`")
    host, port = where.rsplit(":", 1)
    key = asyncssh.generate_private_key("ssh-ed25519", comment=f"stateward-test-{tmp_path.name}")
    key.write_private_key(str(tmp_path / "id"))
    public = key.export_public_key().decode()
    authorized = Path(folder) / "authorized_keys"
    with authorized.open("a") as fh:
        fh.write(public)
    host_key = (Path(folder) / "host_ed25519_key.pub").read_text().split()[:2]
    (tmp_path / "known_hosts").write_text(f"[{host}]:{port} {' '.join(host_key)}\n")
    env = {
        "STATEWARD_SSH_KEY": str(tmp_path / "id"),
        "STATEWARD_SSH_KNOWN_HOSTS": str(tmp_path / "known_hosts"),
    }
    yield f"ssh://root@{host}:{port}", env
    lines = authorized.read_text().splitlines(keepends=True)
    authorized.write_text("".join(line for line in lines if line != public))


def test_ssh_reads_what_host_reads_on_the_same_machine(ssh: tuple[str, dict[str, str]]) -> None:
    location, env = ssh
    options = HostOptions(paths=("/etc/ssh",))
    remote = HostSource(options=options, environ=env).observe(location, KEEPER)
    local = HostSource(options=options).observe("host://", KEEPER)
    services = {r.key.name: r for r in remote.resources if r.key.kind == "HostService"}
    assert "ssh.service" in services
    assert services["ssh.service"].body["image"]["package"] == "openssh-server"
    assert services.keys() == {r.key.name for r in local.resources if r.key.kind == "HostService"}
    assert file_index(remote.resources) == file_index(local.resources)
    key = file_index(remote.resources)["/etc/ssh/ssh_host_ed25519_key"]
    assert key["sha256"].startswith("hmac-sha256:")  # digested with our key, never in clear
    scan = [f.message for f in remote.findings if f.rule == "HOST_FILE_SCAN"]
    assert scan and scan[0].startswith(f"{location}: ")


def test_an_unknown_host_key_is_refused(ssh: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    location, env = ssh
    (tmp_path / "empty").write_text("")
    source = HostSource(
        options=HostOptions(), environ={**env, "STATEWARD_SSH_KNOWN_HOSTS": str(tmp_path / "empty")}
    )
    with pytest.raises(SourceError, match=r"cannot run the probe over SSH: .*[Hh]ost key"):
        source.observe(location, KEEPER)
    observed = observe([location], estate="x", keeper=KEEPER, host=HostOptions())
    assert observed.unread == [location] and not observed.complete


def test_malformed_ssh_locations_are_usage_errors() -> None:
    for bad in (
        "ssh://host-without-user",
        "ssh://u@h/some/path",
        "ssh://u:pw@h",
        "ssh://u@h:99999",
    ):
        with pytest.raises(SourceError, match="not an ssh://"):
            parse_ssh(bad)


def test_parity_of_this_host_and_itself_over_ssh(
    ssh: tuple[str, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location, env = ssh
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(
        main, ["parity", "host://", location, "--store", str(tmp_path / "s")],
        env={"NO_COLOR": "1", "COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "unexpected" not in result.stderr


def test_a_service_listening_socket_is_its_network_context(
    ssh: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    location, env = ssh
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    port = location.rsplit(":", 1)[1]
    seen = observe([location], estate="x", keeper=KEEPER, host=HostOptions())
    sshd = {c.id: c for c in seen.components}["host:ssh.service"]
    assert f"tcp/127.0.0.1:{port}" in sshd.context["network"]
    assert sshd.context["network"][f"tcp/127.0.0.1:{port}"]["exe"] == "/usr/sbin/sshd"
