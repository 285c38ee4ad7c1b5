"""Evidence bundles: the artefacts captured from a container, a manifest of their hashes, and a
signature over the manifest (issue 6 §3; ANCHORS §4.5).

* Artefacts and the manifest are objects of a content-addressed store (``put_object`` returns
  ``sha256:<hex>`` of the bytes), so a bundle is immutable and shared bytes are stored once.
* The manifest is canonical JSON (``model.canonical``) listing each artefact with its address,
  size, RFC 3227 §2.1 volatility tier, UTC start and end, outcome and reason; plus the subject,
  the trigger, the collector (tool, version, host) and the redactions made.
* The seal is a small canonical-JSON object naming the manifest's address and carrying Ed25519
  signatures over the manifest bytes (signer plug-point of :mod:`stateward.ledger.signer`).
  The seal's own address is the evidence ID.

:func:`verify` checks a bundle against any object source: the store, or an exported tar
(:class:`TarObjects`), so a bundle can be checked away from the machine that captured it.
"""

from __future__ import annotations

import base64
import enum
import io
import json
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.ledger.signer import Signer, Verifier, strict_b64decode
from stateward.model.canonical import DIGEST_PREFIX, canonical_json, digest_bytes

__all__ = [
    "FORMAT",
    "SEAL_FORMAT",
    "ObjectStore",
    "Sealed",
    "TarObjects",
    "Tier",
    "export",
    "load_manifest",
    "seal",
    "verify",
]

FORMAT = "stateward-evidence/1"
SEAL_FORMAT = "stateward-seal/1"
_MAX_DOC = 16 * 1024 * 1024  # a seal or manifest larger than this is not ours


class Tier(enum.IntEnum):
    """RFC 3227 §2.1 order of volatility, most volatile first."""

    REGISTERS = 1
    """registers, cache"""
    PROCESS = 2
    """routing table, ARP cache, process table, kernel statistics, memory"""
    TEMPORARY_FS = 3
    """temporary file systems (a container's writable layer)"""
    DISK = 4
    REMOTE_LOGS = 5
    """remote logging and monitoring data"""
    CONFIGURATION = 6
    """physical configuration, network topology"""
    ARCHIVAL = 7


class ObjectStore(Protocol):
    """The two calls of the store that evidence needs."""

    def put_object(self, data: bytes) -> str: ...

    def get_object(self, address: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Sealed:
    """A sealed bundle: its evidence ID (the seal's address) and its manifest."""

    address: str
    manifest: Mapping[str, Any]


def seal(store: ObjectStore, manifest: Mapping[str, Any], signer: Signer) -> Sealed:
    """Store ``manifest`` canonically and a seal signing it; returns the evidence ID."""
    data = canonical_json(manifest)
    document = {
        "format": SEAL_FORMAT,
        "manifest": store.put_object(data),
        "signatures": [
            {
                "name": signer.name,
                "key_id": f"{signer.key_id:08x}",
                "signature": base64.b64encode(signer.sign(data)).decode("ascii"),
            }
        ],
    }
    return Sealed(store.put_object(canonical_json(document)), manifest)


def load_manifest(
    objects: ObjectStore, address: str
) -> tuple[dict[str, Any], bytes, dict[str, Any]]:
    """(seal, manifest bytes, manifest) of the bundle ``address``, shapes checked, no signature."""
    seal_doc = _document(objects, address, "seal")
    if seal_doc.get("format") != SEAL_FORMAT or not _is_address(seal_doc.get("manifest")):
        raise VerificationError(f"evidence {address}: not a {SEAL_FORMAT} seal")
    data = objects.get_object(seal_doc["manifest"])
    manifest = _parse(data, address, "manifest")
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("artefacts"), list):
        raise VerificationError(f"evidence {address}: not a {FORMAT} manifest")
    return seal_doc, data, manifest


def verify(objects: ObjectStore, address: str, verifier: Verifier) -> dict[str, Any]:
    """Check a bundle: the seal's signature by ``verifier`` over the manifest, and every
    artefact's bytes against its address and size. Returns the manifest; raises
    VerificationError (terse) or LedgerIntegrityError naming what is missing or altered."""
    seal_doc, data, manifest = load_manifest(objects, address)
    if not any(_signed_by(s, verifier, data) for s in seal_doc.get("signatures") or []):
        raise VerificationError(f"evidence {address}: signature does not verify")
    for artefact in manifest["artefacts"]:
        _check_artefact(objects, address, artefact)
    return manifest


def export(objects: ObjectStore, address: str, out: Path) -> int:
    """Write the bundle as a tar: ``seal.json``, ``manifest.json`` and ``objects/<hex>`` per
    artefact, readable with :class:`TarObjects`. Returns the number of files written."""
    seal_doc, data, manifest = load_manifest(objects, address)
    members = {_member(address): canonical_json(seal_doc), _member(seal_doc["manifest"]): data}
    for artefact in manifest["artefacts"]:
        if _is_address(artefact.get("address")):
            members[_member(artefact["address"])] = objects.get_object(artefact["address"])
    try:
        with tarfile.open(out, "w") as tar:
            tar.addfile(_info("EVIDENCE", len(address) + 1), io.BytesIO(address.encode() + b"\n"))
            for name, content in members.items():
                tar.addfile(_info(name, len(content)), io.BytesIO(content))
    except OSError as exc:
        raise InputError(str(out), f"cannot write: {exc.strerror}") from None
    return len(members) + 1


class TarObjects:
    """The objects of an exported bundle, read back for :func:`verify` away from the store."""

    def __init__(self, path: Path) -> None:
        self._objects: dict[str, bytes] = {}
        self.address = ""
        """The evidence ID the export holds."""
        try:
            with tarfile.open(path, "r") as tar:
                for member in tar.getmembers():
                    handle = tar.extractfile(member) if member.isreg() else None
                    if handle is not None and member.name.startswith("objects/"):
                        self._objects[DIGEST_PREFIX + member.name.removeprefix("objects/")] = (
                            handle.read()
                        )
                    elif handle is not None and member.name == "EVIDENCE":
                        self.address = handle.read().decode("ascii", "replace").strip()
        except (OSError, tarfile.TarError) as exc:
            raise InputError(str(path), f"not an evidence export: {exc}") from None
        if not self.address:
            raise InputError(str(path), "not an evidence export: no EVIDENCE file")

    def put_object(self, data: bytes) -> str:
        """An export is read-only."""
        raise InputError("evidence export", "is read-only")

    def get_object(self, address: str) -> bytes:
        """The bytes under ``address``; LedgerIntegrityError if missing or altered."""
        data = self._objects.get(address)
        if data is None:
            raise LedgerIntegrityError(f"object {address} is missing from the export")
        if digest_bytes(data) != address:
            raise LedgerIntegrityError(f"object {address} does not match its digest")
        return data


def _document(objects: ObjectStore, address: str, what: str) -> dict[str, Any]:
    return _parse(objects.get_object(address), address, what)


def _parse(data: bytes, address: str, what: str) -> dict[str, Any]:
    if len(data) > _MAX_DOC:
        raise VerificationError(f"evidence {address}: {what} too large")
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise VerificationError(f"evidence {address}: {what} is not JSON") from None
    if not isinstance(value, dict):
        raise VerificationError(f"evidence {address}: {what} is not an object")
    return value


def _signed_by(entry: Any, verifier: Verifier, data: bytes) -> bool:
    if not isinstance(entry, dict) or entry.get("name") != verifier.name:
        return False
    if entry.get("key_id") != f"{verifier.key_id:08x}":
        return False
    signature = strict_b64decode(str(entry.get("signature", "")))
    return signature is not None and verifier.verify(data, signature)


def _check_artefact(objects: ObjectStore, address: str, artefact: Any) -> None:
    if not isinstance(artefact, dict):
        raise VerificationError(f"evidence {address}: malformed artefact entry")
    where = artefact.get("address")
    if where is None:
        return  # skipped or failed: nothing was stored, the reason is in the manifest
    if not _is_address(where):
        raise VerificationError(f"evidence {address}: artefact {artefact.get('name')!r} address")
    data = objects.get_object(where)
    if len(data) != artefact.get("size"):
        raise LedgerIntegrityError(
            f"evidence {address}: artefact {artefact.get('name')!r} has {len(data)} bytes, "
            f"the manifest says {artefact.get('size')}"
        )


def _is_address(value: Any) -> bool:
    text = value if isinstance(value, str) else ""
    hexpart = text.removeprefix(DIGEST_PREFIX)
    return (
        text.startswith(DIGEST_PREFIX)
        and len(hexpart) == 64
        and all(c in "0123456789abcdef" for c in hexpart)
    )


def _member(address: str) -> str:
    return "objects/" + address.removeprefix(DIGEST_PREFIX)


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    return info
