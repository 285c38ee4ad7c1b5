"""The Engine API version is negotiated, and the engine is reached the ways the docker CLI reaches
it: against recorded Docker 29 answers at the HTTP boundary (``tests/data/docker29``, sources in
its SOURCES.md), and against the real Podman engine over ``unix://`` (given, as the default
rootless socket, and through a Docker context), ``tcp://`` and ``tcp://`` with TLS."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import docker
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.engine.conftest import Make

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.client import NEWEST_API, connect, negotiate
from stateward.sources.engine.endpoint import locate
from stateward.sources.engine.source import EngineSource
from stateward.sources.registry import Platform

RECORDED = Path(__file__).resolve().parent.parent / "data" / "docker29"
VERSION = json.loads((RECORDED / "version.json").read_text())
TOO_OLD = json.loads((RECORDED / "too-old.json").read_text())
KEEPER = SecretKeeper(b"k" * 32)


def _api(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


class _Docker29(BaseHTTPRequestHandler):
    """Docker 29.0.0 as its version middleware answers: unversioned paths at its newest version,
    versioned ones refused below MinAPIVersion (the recorded refusal, for the version asked)."""

    paths: list[str]

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.paths.append(self.path)
        route, version = self.path.split("?")[0], VERSION["ApiVersion"]
        if route.startswith("/v1."):
            version, _, route = route[2:].partition("/")
            route = "/" + route
        if _api(version) < _api(VERSION["MinAPIVersion"]):
            body = dict(TOO_OLD["body"])
            body["message"] = body["message"].replace("1.41", version, 1)
            return self._send(TOO_OLD["status"], body, TOO_OLD["headers"])
        answers: dict[str, Any] = {"/version": VERSION, "/containers/json": []}
        if route not in answers:
            return self._send(404, {"message": "page not found"}, TOO_OLD["headers"])
        return self._send(200, answers[route], TOO_OLD["headers"])

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def address_string(self) -> str:
        return "unix"

    def log_message(self, *args: Any) -> None:
        """Quiet: the tests assert on the paths asked."""


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def docker29(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A unix socket answering as Docker 29 does, and the paths asked of it."""
    paths: list[str] = []
    handler = type("Handler", (_Docker29,), {"paths": paths})
    server = _UnixServer(str(tmp_path / "docker.sock"), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"unix://{tmp_path}/docker.sock", paths
    server.shutdown()
    server.server_close()


def test_docker_29_is_spoken_to_at_the_newest_version_both_know(
    docker29: tuple[str, list[str]],
) -> None:
    url, paths = docker29
    engine = connect(url)
    assert engine.api.api_version == NEWEST_API == "1.45"
    assert not engine.podman and Platform.of_engine(engine.version) == Platform("linux", "amd64")
    assert engine.api.containers(all=True) == []
    assert [p.split("?")[0] for p in paths] == ["/version", "/v1.45/containers/json"]


def test_docker_29_refuses_the_old_pinned_version(docker29: tuple[str, list[str]]) -> None:
    url, _ = docker29
    pinned = docker.APIClient(base_url=url, version="1.41")  # what Stateward did before
    with pytest.raises(docker.errors.APIError, match="client version 1.41 is too old") as refused:
        pinned.containers()
    assert refused.value.status_code == 400


def test_a_scan_of_docker_29_completes(docker29: tuple[str, list[str]]) -> None:
    url, _ = docker29
    result = EngineSource().observe(url, KEEPER)
    assert (list(result.resources), list(result.errors), result.complete) == ([], [], True)


def test_negotiation_rules() -> None:
    assert negotiate({"ApiVersion": "1.41", "MinAPIVersion": "1.24"}) == "1.41"  # Podman 4.3
    assert negotiate(VERSION) == "1.45"
    assert negotiate({"ApiVersion": "1.30"}) == "1.30"  # no MinAPIVersion: an old engine
    with pytest.raises(
        SourceError, match=r"serves API 1.50 to 1.60; Stateward speaks 1.24 to 1.45"
    ):
        negotiate({"ApiVersion": "1.60", "MinAPIVersion": "1.50"})
    with pytest.raises(SourceError, match="names no API version"):
        negotiate({"Version": "29.0.0"})
    with pytest.raises(SourceError, match="malformed MinAPIVersion"):
        negotiate({"ApiVersion": "1.44", "MinAPIVersion": "v1.4x"})


@given(st.integers(24, 80), st.integers(0, 60))
def test_negotiation_takes_the_newest_common_version(newest: int, span: int) -> None:
    oldest = max(24, newest - span)
    answer = {"ApiVersion": f"1.{newest}", "MinAPIVersion": f"1.{oldest}"}
    if oldest > 45:
        with pytest.raises(SourceError):
            negotiate(answer)
    else:
        assert negotiate(answer) == f"1.{min(newest, 45)}"


# --- the real Podman engine ---------------------------------------------------------------


@pytest.mark.engine
def test_podman_negotiates_its_own_version(engine_url: str) -> None:
    engine = connect(engine_url)
    try:
        assert engine.podman and engine.api.api_version == engine.version["ApiVersion"] == "1.41"
        assert Platform.of_engine(engine.version).os == "linux"
    finally:
        engine.close()


def _observed(make_container: Make, source: EngineSource, location: str = "engine://") -> None:
    box = make_container("reach", ["true"])
    result = source.observe(location, KEEPER)
    assert result.complete, result.errors
    assert box.id in {r.body["id"] for r in result.resources}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def podman_tcp(engine_url: str) -> Iterator[str]:
    """The test engine's Podman also serving on a loopback TCP port, as ``tcp://``."""
    podman = shutil.which("podman")
    if not podman:
        pytest.skip("SERVICE MISSING: podman is not installed; run `make services`")
    address = f"tcp://127.0.0.1:{_free_port()}"
    service = subprocess.Popen([podman, "system", "service", "--time=0", address],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", int(address.rsplit(":", 1)[1]))) == 0:
                    break
            assert service.poll() is None, "podman system service exited at start"
            time.sleep(0.1)
        yield address
    finally:
        service.terminate()
        service.wait(timeout=20)


@pytest.mark.engine
@pytest.mark.parametrize("how", ["unix:// location", "DOCKER_HOST=unix://", "DOCKER_HOST=tcp://"])
def test_unix_and_tcp(how: str, engine_url: str, make_container: Make, tmp_path: Path,
                      request: pytest.FixtureRequest) -> None:  # fmt: skip
    if how == "unix:// location":
        return _observed(make_container, EngineSource(), engine_url)
    host = request.getfixturevalue("podman_tcp") if "tcp" in how else engine_url
    return _observed(
        make_container, EngineSource(environ={"DOCKER_HOST": host, "HOME": str(tmp_path)})
    )


@pytest.mark.engine
def test_the_rootless_podman_socket_is_a_default(
    engine_url: str, make_container: Make, tmp_path: Path
) -> None:
    taken = [p for p in ("/var/run/docker.sock", "/run/podman/podman.sock") if Path(p).exists()]
    if taken:
        pytest.skip(f"this machine has {taken}, which come first")
    (tmp_path / "run" / "podman").mkdir(parents=True)
    (tmp_path / "run" / "podman" / "podman.sock").symlink_to(engine_url.removeprefix("unix://"))
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    _observed(make_container, EngineSource(environ=env))


@pytest.mark.engine
def test_a_docker_context(engine_url: str, make_container: Make, tmp_path: Path) -> None:
    meta = tmp_path / ".docker" / "contexts" / "meta" / hashlib.sha256(b"podman").hexdigest()
    meta.mkdir(parents=True)
    endpoints = {"docker": {"Host": engine_url, "SkipTLSVerify": False}}
    (meta / "meta.json").write_text(
        json.dumps({"Name": "podman", "Metadata": {}, "Endpoints": endpoints})
    )
    (tmp_path / ".docker" / "config.json").write_text(json.dumps({"currentContext": "podman"}))
    _observed(make_container, EngineSource(environ={"HOME": str(tmp_path)}))


# --- TLS: a TLS endpoint on loopback in front of the real engine's socket --------------------


def _pki(folder: Path) -> None:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, as the docker CLI
    expects them in DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)

    def issue(name: str, key: Any, issuer: Any, signer: Any, *ext: Any) -> x509.Certificate:
        # what a strict verifier (urllib3 2 sets VERIFY_X509_STRICT) asks of a chain
        builder = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(hours=2))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
        )  # fmt: skip
        for extension, critical in ext:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signer, hashes.SHA256())

    def pem(key: Any) -> bytes:
        return bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))  # fmt: skip

    ca_key, server_key, client_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stateward test CA")])
    signing = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    ca = issue("stateward test CA", ca_key, ca_name, ca_key,
               (x509.BasicConstraints(ca=True, path_length=None), True), (signing, True))  # fmt: skip
    address = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    server = issue("127.0.0.1", server_key, ca_name, ca_key, (address, False),
                   (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False))  # fmt: skip
    client = issue("client", client_key, ca_name, ca_key,
                   (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False))  # fmt: skip
    encode = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(encode))
    (folder / "cert.pem").write_bytes(client.public_bytes(encode))
    (folder / "key.pem").write_bytes(pem(client_key))
    (folder / "server-cert.pem").write_bytes(server.public_bytes(encode))
    (folder / "server-key.pem").write_bytes(pem(server_key))


def _relay(tls_side: socket.socket, unix_path: str) -> None:
    with tls_side, socket.socket(socket.AF_UNIX) as engine_side:
        engine_side.connect(unix_path)

        def pump(source: socket.socket, target: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    target.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    target.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        back = threading.Thread(target=pump, args=(engine_side, tls_side), daemon=True)
        back.start()
        pump(tls_side, engine_side)
        back.join(timeout=30)


@pytest.fixture
def tls_engine(engine_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``tcp://127.0.0.1:PORT`` speaking TLS (client certificates required) and relaying to the
    engine's socket, and the folder of its PEM files."""
    certs = tmp_path / "certs"
    certs.mkdir()
    _pki(certs)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(certs / "ca.pem"))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(certs / "server-cert.pem", certs / "server-key.pem")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                plain, _ = listener.accept()
                wrapped = context.wrap_socket(plain, server_side=True)
            except (OSError, ssl.SSLError):
                continue
            threading.Thread(
                target=_relay, args=(wrapped, engine_url.removeprefix("unix://")), daemon=True
            ).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{port}", certs
    stop.set()
    listener.close()


@pytest.mark.engine
def test_docker_tls_verify_and_cert_path(
    tls_engine: tuple[str, Path], make_container: Make, tmp_path: Path
) -> None:
    address, certs = tls_engine
    env = {
        "DOCKER_HOST": address,
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
        "HOME": str(tmp_path),
    }
    _observed(make_container, EngineSource(environ=env))
    # without the client certificate the endpoint refuses the handshake: one clear error
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(certs / "ca.pem", bare / "ca.pem")
    with pytest.raises(
        SourceError, match=rf"container engine at {address} \(DOCKER_HOST\) does not answer"
    ):
        EngineSource(environ={**env, "DOCKER_CERT_PATH": str(bare)}).observe("engine://", KEEPER)


# --- ssh: an OpenSSH server on loopback whose only command relays to the engine's socket, as
# `docker system dial-stdio` does on a Docker host ----------------------------------------

_RELAY = """import socket, sys, threading
engine = socket.socket(socket.AF_UNIX)
engine.connect(sys.argv[1])
def back():
    while data := engine.recv(65536):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
threading.Thread(target=back, daemon=True).start()
while data := sys.stdin.buffer.read1(65536):
    engine.sendall(data)
engine.shutdown(socket.SHUT_WR)
"""


@pytest.fixture
def ssh_engine(engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``ssh://root@127.0.0.1:PORT`` reaching the test engine; the ``ssh`` the SDK runs is told
    (by a shim first on PATH) to use this test's key and known-hosts file only."""
    sshd, ssh, keygen = (shutil.which(n) or f"/usr/sbin/{n}" for n in ("sshd", "ssh", "ssh-keygen"))
    if not (Path(sshd).exists() and shutil.which("ssh") and Path("/run/sshd").is_dir()):
        pytest.skip("SERVICE MISSING: OpenSSH server and client (openssh-server) are not installed")
    for key in ("host", "user"):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / key)], check=True
        )
    (tmp_path / "authorized_keys").write_text((tmp_path / "user.pub").read_text())
    (tmp_path / "relay.py").write_text(_RELAY)
    port = _free_port()
    (tmp_path / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path}/host\nPidFile {tmp_path}/sshd.pid\n"
        f"AuthorizedKeysFile {tmp_path}/authorized_keys\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        f"ForceCommand python3 {tmp_path}/relay.py {engine_url.removeprefix('unix://')}\n"
    )
    host_key = (tmp_path / "host.pub").read_text().split()
    (tmp_path / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    (tmp_path / "ssh_config").write_text(
        f"Host 127.0.0.1\n  IdentityFile {tmp_path}/user\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {tmp_path}/known_hosts\n  StrictHostKeyChecking yes\n  BatchMode yes\n"
    )
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "ssh").write_text(f'#!/bin/sh\nexec {ssh} -F {tmp_path}/ssh_config "$@"\n')
    (shim / "ssh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}:{os.environ['PATH']}")
    server = subprocess.Popen([sshd, "-D", "-e", "-f", str(tmp_path / "sshd_config")],
                              stdout=subprocess.DEVNULL, stderr=(tmp_path / "sshd.log").open("wb"))  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, (tmp_path / "sshd.log").read_text()
            time.sleep(0.1)
        yield f"ssh://root@127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.engine
def test_docker_host_ssh(ssh_engine: str, make_container: Make, tmp_path: Path) -> None:
    # one container asked for by id (each request over ssh starts an ssh process, as the SDK's
    # shell-out transport does; a whole scan of the shared test engine would take a minute)
    box = make_container("ssh", ["true"])
    endpoint = locate("engine://", {"DOCKER_HOST": ssh_engine, "HOME": str(tmp_path)})
    engine = connect(endpoint)
    try:
        assert engine.podman and engine.api.api_version == "1.41"
        assert engine.api.inspect_container(box.id)["Id"] == box.id
    finally:
        engine.close()
