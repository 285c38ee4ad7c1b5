"""Evidence over HTTP: the list, a bundle's manifest and the bundle itself as stored, its
artefacts still encrypted (the server holds no key to open them)."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from pyrage import x25519
from tests.server.conftest import running, scanned_shop, stateward, tokens

from stateward.forensics.evidence import FORMAT, seal
from stateward.forensics.records import record_evidence
from stateward.forensics.sealing import AGE_FORMAT, Recipients
from stateward.model.canonical import digest_bytes
from stateward.server import Settings
from stateward.store import open_store

LOGS = b"the container's last words\n"


def sealed(location: str) -> str:
    """A bundle with one artefact encrypted to a fresh age key, sealed as capture seals it."""
    store = open_store(location)
    recipients = Recipients.parse([str(x25519.Identity.generate().to_public())], "test")
    ciphertext = recipients.encrypt(LOGS)
    artefact = {
        "name": "stdout", "tier": 5, "outcome": "collected",
        "address": store.put_object(ciphertext), "size": len(ciphertext),
        "encryption": AGE_FORMAT, "plaintext": {"sha256": digest_bytes(LOGS), "size": len(LOGS)},
    }  # fmt: skip
    sealed = seal(store, {"format": FORMAT, "artefacts": [artefact], "complete": True},
                  store.ledger.signer())  # fmt: skip
    record_evidence(store, sealed, None)
    store.close()
    return sealed.address


@dataclass(frozen=True)
class Bundle:
    """A store holding one sealed bundle, served, and a read token for it."""

    url: str
    location: str
    address: str
    read: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.read}"}


@pytest.fixture(scope="module")
def bundle(backend_location: str) -> Iterator[Bundle]:
    """On SQLite and on the real PostgreSQL."""
    location = backend_location
    address = sealed(location)
    read, _ = tokens(location)
    with running(location, Settings()) as url:
        yield Bundle(url, location, address, read)


def test_a_bundle_is_served_as_stored(bundle: Bundle) -> None:
    url, location, address, headers = bundle.url, bundle.location, bundle.address, bundle.headers
    listed = requests.get(url + "/api/v1/evidence", headers=headers, timeout=30).json()
    assert listed == json.loads(stateward("evidence", "list", "--store", location, "--json"))
    manifest = requests.get(url + f"/api/v1/evidence/{address}", headers=headers, timeout=30)
    assert manifest.status_code == 200, manifest.text
    shown = json.loads(stateward("evidence", "show", address, "--store", location, "--json"))
    assert manifest.json() == shown
    bundle = requests.get(url + f"/api/v1/evidence/{address}/bundle", headers=headers, timeout=30)
    assert bundle.status_code == 200, bundle.text
    assert bundle.headers["content-type"] == "application/x-tar"
    assert LOGS not in bundle.content, "an artefact is served as stored: encrypted"
    with tarfile.open(fileobj=io.BytesIO(bundle.content)) as tar:
        assert tar.getnames()
    for path in (f"/api/v1/evidence/{address}", f"/api/v1/evidence/{address}/bundle"):
        assert requests.get(url + path, timeout=30).status_code == 401
    unknown = requests.get(url + "/api/v1/evidence/sha256:" + "0" * 64, headers=headers, timeout=30)
    assert unknown.status_code == 404
    bad = requests.get(url + "/api/v1/evidence/..%2F..%2Fetc", headers=headers, timeout=30)
    assert bad.status_code in (400, 404)


def test_the_evidence_browser_lists_and_shows_a_bundle(bundle: Bundle) -> None:
    url, address, headers, read = bundle.url, bundle.address, bundle.headers, bundle.read
    listing = requests.get(url + "/evidence", headers=headers, timeout=30)
    assert listing.status_code == 200, listing.text
    assert f'<tr data-evidence="{address}">' in listing.text
    assert f'href="/evidence/{address.replace(":", "%3A")}"' in listing.text
    page = requests.get(url + f"/evidence/{address}", headers=headers, timeout=30)
    assert page.status_code == 200, page.text
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert f'<td class="encryption">{AGE_FORMAT}</td>' in page.text
    assert f'<td class="digest">{digest_bytes(LOGS)}</td>' in page.text
    assert LOGS.decode().strip() not in page.text
    link = f'href="/api/v1/evidence/{address.replace(":", "%3A")}/bundle"'
    assert link in page.text
    # the download link as a browser follows it: with the session the login gave
    session = requests.Session()
    login = session.post(url + "/login", data={"token": read, "next": "/evidence"}, timeout=30)
    assert login.status_code == 200 and address in login.text
    bundle = session.get(url + f"/api/v1/evidence/{address.replace(':', '%3A')}/bundle")
    assert bundle.status_code == 200 and LOGS not in bundle.content
    for path in ("/evidence", f"/evidence/{address}"):
        refused = requests.get(url + path, timeout=30)
        assert refused.status_code == 401 and "<table" not in refused.text
    unknown = requests.get(url + "/evidence/sha256:" + "0" * 64, headers=headers, timeout=30)
    assert unknown.status_code == 404
    for hostile in ("/evidence/..%2F..%2Fetc%2Fpasswd", "/evidence/sha256:<script>",
                    "/evidence/sha256:" + "a" * 5000):  # fmt: skip
        answer = requests.get(url + hostile, headers=headers, timeout=30)
        assert answer.status_code in (400, 404) and "<script>" not in answer.text


def test_the_evidence_browser_says_when_there_is_none(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    read, _ = tokens(location)
    with running(location, Settings()) as url:
        page = requests.get(
            url + "/evidence", headers={"Authorization": f"Bearer {read}"}, timeout=30
        )
    assert page.status_code == 200 and 'id="empty"' in page.text
