"""Evidence over HTTP: the list, a bundle's manifest and the bundle itself as stored, its
artefacts still encrypted (the server holds no key to open them)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import requests
from pyrage import x25519
from tests.server.conftest import running, stateward, tokens

from stateward.forensics.evidence import FORMAT, seal
from stateward.forensics.records import record_evidence
from stateward.forensics.sealing import AGE_FORMAT, Recipients
from stateward.model.canonical import digest_bytes
from stateward.server import Settings
from stateward.store import open_store

LOGS = b"the container's last words\n"


def _sealed(location: str) -> str:
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


def test_a_bundle_is_served_as_stored(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    address = _sealed(location)
    read, _ = tokens(location)
    headers = {"Authorization": f"Bearer {read}"}
    with running(location, Settings()) as url:
        listed = requests.get(url + "/api/v1/evidence", headers=headers, timeout=30).json()
        assert listed == json.loads(stateward("evidence", "list", "--store", location, "--json"))
        manifest = requests.get(url + f"/api/v1/evidence/{address}", headers=headers, timeout=30)
        assert manifest.status_code == 200, manifest.text
        shown = json.loads(stateward("evidence", "show", address, "--store", location, "--json"))
        assert manifest.json() == shown
        bundle = requests.get(url + f"/api/v1/evidence/{address}/bundle", headers=headers)
        assert bundle.status_code == 200, bundle.text
        assert bundle.headers["content-type"] == "application/x-tar"
        assert LOGS not in bundle.content, "an artefact is served as stored: encrypted"
        with tarfile.open(fileobj=io.BytesIO(bundle.content)) as tar:
            assert tar.getnames()
        for path in (f"/api/v1/evidence/{address}", f"/api/v1/evidence/{address}/bundle"):
            assert requests.get(url + path, timeout=30).status_code == 401
        unknown = requests.get(url + "/api/v1/evidence/sha256:" + "0" * 64, headers=headers)
        assert unknown.status_code == 404
        bad = requests.get(url + "/api/v1/evidence/..%2F..%2Fetc", headers=headers)
        assert bad.status_code in (400, 404)
