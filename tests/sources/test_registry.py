"""The OCI registry client against real registries: the loopback registry of the test setup
(anonymous), and a second Debian docker-registry started here with ``auth: token``, whose tokens
come from a small token server on loopback (distribution token spec; RS256 JWTs with an ``x5c``
chain, which distribution 2.8's ``registry/auth/token`` verifies against ``rootcertbundle``)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from tests.services import TEST_IMAGE

from stateward.analysis.cost import RegistryCatalog
from stateward.errors import SourceError
from stateward.model.component import parse_image
from stateward.sources.registry import (
    Platform,
    Registry,
    RegistryAuthError,
    docker_credentials,
    split_reference,
)

pytestmark = pytest.mark.engine
USER, PASSWORD = "ci", "s3cret-pass"
SERVICE, ISSUER = "stateward-test", "stateward-test-issuer"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def _push(engine_url: str, ref: str, *creds: str) -> None:
    command = ["podman", "--remote", "--url", engine_url, "push", "-q", "--tls-verify=false"]
    pushed = subprocess.run(
        [*command, *creds, TEST_IMAGE, ref], capture_output=True, text=True, timeout=120
    )
    assert pushed.returncode == 0, pushed.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TokenIssuer:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    asked: list[dict[str, str]]

    def token(self, scope: str) -> str:
        """An RS256 JWT granting ``scope`` (``repository:NAME:ACTIONS``)."""
        _, name, actions = scope.split(":", 2)
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256",
                  "x5c": [base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()]}  # fmt: skip
        claims = {"iss": ISSUER, "sub": USER, "aud": SERVICE, "exp": now + 300, "nbf": now - 10,
                  "iat": now, "jti": os.urandom(8).hex(),
                  "access": [{"type": "repository", "name": name, "actions": actions.split(",")}]}  # fmt: skip
        signed = ".".join(_b64url(json.dumps(x).encode()) for x in (header, claims))
        signature = self.key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signed}.{_b64url(signature)}"


def _issuer() -> TokenIssuer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stateward test token issuer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return TokenIssuer(key, cert, [])


def _token_server(issuer: TokenIssuer) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            query = dict(
                part.split("=", 1) for part in self.path.partition("?")[2].split("&") if "=" in part
            )
            query = {k: requests.utils.unquote(v) for k, v in query.items()}
            issuer.asked.append(query)
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected or query.get("service") != SERVICE:
                self.send_response(401)
                self.end_headers()
                return
            body = json.dumps({"token": issuer.token(query["scope"])}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet: the test asserts on what was asked instead."""

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TokenIssuer]]:
    """A docker-registry with token auth on loopback, its token server, and their issuer."""
    binary = shutil.which("docker-registry")
    if not binary:
        pytest.skip("SERVICE MISSING: docker-registry is not installed; run `make services`")
    folder = tmp_path_factory.mktemp("token-registry")
    issuer = _issuer()
    (folder / "root.pem").write_bytes(issuer.cert.public_bytes(serialization.Encoding.PEM))
    server = _token_server(issuer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = _free_port()
    (folder / "config.yml").write_text(
        f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {folder}/data\nhttp:\n  addr: 127.0.0.1:{port}\nauth:\n  token:\n"
        f"    realm: http://127.0.0.1:{server.server_address[1]}/token\n"
        f"    service: {SERVICE}\n    issuer: {ISSUER}\n    rootcertbundle: {folder}/root.pem\n"
    )
    log = (folder / "registry.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", str(folder / "config.yml")], stdout=log, stderr=log, cwd=folder
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/v2/", process)
        yield f"127.0.0.1:{port}", issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        server.shutdown()
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            assert process.poll() is None, "docker-registry exited at start"
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def test_bearer_token_flow_with_docker_config_credentials(
    token_registry: tuple[str, TokenIssuer], engine_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    address, issuer = token_registry
    ref = f"{address}/stateward-test/auth-busybox:1"
    _push(engine_url, ref, "--creds", f"{USER}:{PASSWORD}")
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    (tmp_path / "config.json").write_text(json.dumps({"auths": {address: {"auth": auth}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    asked = len(issuer.asked)
    found = RegistryCatalog(f"http://{address}").layers(parse_image(ref))
    assert found is not None and found.source == "registry" and found.size > 0
    # one token for the repository, asked for with its pull scope, reused for the config blob
    assert issuer.asked[asked:] == [
        {"scope": "repository:stateward-test/auth-busybox:pull", "service": SERVICE}
    ]


def test_a_refused_login_is_an_error_not_an_estimate(
    token_registry: tuple[str, TokenIssuer], engine_url: str
) -> None:
    address, _ = token_registry
    ref = f"{address}/stateward-test/auth-busybox:1"
    _push(engine_url, ref, "--creds", f"{USER}:{PASSWORD}")
    wrong = RegistryCatalog(Registry(f"http://{address}", (USER, "wrong")))
    with pytest.raises(RegistryAuthError, match=r"token service of .* refused access .*HTTP 401"):
        wrong.layers(parse_image(ref))
    anonymous = RegistryCatalog(Registry(f"http://{address}"))
    with pytest.raises(RegistryAuthError, match="refused access"):
        anonymous.layers(parse_image(ref))
    right = Registry(f"http://{address}", (USER, PASSWORD))
    assert right.manifest("stateward-test/auth-busybox", "1", Platform("linux", "amd64"))


def test_an_expired_token_is_asked_for_again(
    token_registry: tuple[str, TokenIssuer], engine_url: str
) -> None:
    address, issuer = token_registry
    _push(engine_url, f"{address}/stateward-test/auth-busybox:1", "--creds", f"{USER}:{PASSWORD}")
    client = Registry(f"http://{address}", (USER, PASSWORD))
    client._answers["stateward-test/auth-busybox"] = "Bearer no.longer.valid"  # as if expired
    asked = len(issuer.asked)
    assert client.manifest("stateward-test/auth-busybox", "1", Platform("linux", "amd64"))
    assert len(issuer.asked) == asked + 1


def _upload(base: str, repository: str, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    started = requests.post(f"{base}/v2/{repository}/blobs/uploads/", timeout=10)
    assert started.status_code == 202, started.text
    location = requests.compat.urljoin(base, started.headers["Location"])
    put = requests.put(location, params={"digest": digest}, data=data, timeout=10,
                       headers={"Content-Type": "application/octet-stream"})  # fmt: skip
    assert put.status_code == 201, put.text
    return digest


def _put_manifest(base: str, repository: str, ref: str, media: str, doc: dict[str, Any]) -> str:
    data = json.dumps(doc).encode()
    put = requests.put(f"{base}/v2/{repository}/manifests/{ref}", data=data, timeout=10,
                       headers={"Content-Type": media})  # fmt: skip
    assert put.status_code == 201, put.text
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _multi_platform(base: str, repository: str) -> dict[str, int]:
    """An index with a linux/amd64 and a linux/arm64/v8 image; returns each one's layer size."""
    sizes, entries = {}, []
    for arch, variant, size in (("amd64", "", 11), ("arm64", "v8", 22)):
        layer = os.urandom(size)
        config = json.dumps({"architecture": arch, "os": "linux",
                             "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]}}).encode()  # fmt: skip
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                               "digest": _upload(base, repository, config), "size": len(config)},
                    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                "digest": _upload(base, repository, layer), "size": size}]}  # fmt: skip
        digest = _put_manifest(base, repository, f"{arch}", OCI_MANIFEST, manifest)
        platform = {"os": "linux", "architecture": arch} | ({"variant": variant} if variant else {})
        entries.append({"mediaType": OCI_MANIFEST, "digest": digest, "platform": platform,
                        "size": len(json.dumps(manifest))})  # fmt: skip
        sizes[arch] = size
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}
    _put_manifest(base, repository, "multi", OCI_INDEX, index)
    return sizes


def test_an_index_resolves_to_the_engines_platform(registry: str) -> None:
    base = f"http://{registry}"
    sizes = _multi_platform(base, "stateward-test/multi")
    image = parse_image(f"{registry}/stateward-test/multi:multi")
    for version, arch in (({"Os": "linux", "Arch": "arm64"}, "arm64"), ({"Os": "linux", "Arch": "amd64"}, "amd64")):  # fmt: skip
        found = RegistryCatalog(base, Platform.of_engine(version)).layers(image)
        assert found is not None and found.size == sizes[arch]
    with pytest.raises(
        SourceError, match=r"has no linux/s390x image \(it has linux/amd64, linux/arm64\)"
    ):
        RegistryCatalog(base, Platform("linux", "s390x")).layers(image)
    missing = parse_image(f"{registry}/stateward-test/never-pushed:1")
    assert RegistryCatalog(base).layers(missing) is None


def test_an_unreachable_registry_is_an_error() -> None:
    port = _free_port()
    with pytest.raises(SourceError, match=f"registry 127.0.0.1:{port} does not answer"):
        RegistryCatalog(f"http://127.0.0.1:{port}").layers(parse_image(f"127.0.0.1:{port}/a/b:1"))


def test_docker_config_credentials(tmp_path: Path) -> None:
    encoded = base64.b64encode(b"u:p:with:colons").decode()
    config = {"auths": {"https://r.example": {"auth": encoded}, "h:5000": {"username": "a", "password": "b"},
                        "bad.example": {"auth": "!!"}}}  # fmt: skip
    (tmp_path / "config.json").write_text(json.dumps(config))
    env = {"DOCKER_CONFIG": str(tmp_path)}
    assert docker_credentials("r.example", env) == ("u", "p:with:colons")
    assert docker_credentials("h:5000", env) == ("a", "b")
    assert docker_credentials("other", env) is None
    with pytest.raises(SourceError, match="not base64 of user:password"):
        docker_credentials("bad.example", env)
    assert docker_credentials("r.example", {"DOCKER_CONFIG": str(tmp_path / "none")}) is None


def test_split_reference() -> None:
    assert split_reference("ghcr.io/a/b:1@sha256:ab") == ("ghcr.io", "a/b", "sha256:ab")
    assert split_reference("localhost:5000/x") == ("localhost:5000", "x", "latest")
    assert split_reference("library/nginx:1.27") == ("", "library/nginx", "1.27")


def test_platform_of_the_host_uses_go_names() -> None:
    assert Platform.of_host().architecture in {
        "amd64",
        "arm64",
        "arm",
        "386",
        "ppc64le",
        "s390x",
        "riscv64",
    }
    assert str(Platform("linux", "arm64", "v8")) == "linux/arm64/v8"
    assert Platform("linux", "arm64", "v8").matches({"os": "linux", "architecture": "arm64"})
    assert not Platform("linux", "arm", "v7").matches(
        {"os": "linux", "architecture": "arm", "variant": "v6"}
    )
