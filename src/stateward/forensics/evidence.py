"""Evidence bundles: the artefacts captured from a container, a manifest of their hashes, and a
signature over the manifest.

* Artefacts and the manifest are objects of a content-addressed store (``put_object`` returns
  ``sha256:<hex>`` of the bytes), so a bundle is immutable and shared bytes are stored once.
* The manifest is canonical JSON (``model.canonical``) listing each artefact with its address,
  size, RFC 3227 §2.1 volatility tier, UTC start and end, outcome and reason; plus the subject,
  the trigger, the collector (tool, version, host) and the redactions made.
* The seal is a small canonical-JSON object naming the manifest's address and carrying Ed25519
  signatures over the manifest bytes (signer plug-point of :mod:`stateward.ledger.signer`).
  The seal's own address is the evidence ID.

:func:`verify` checks a bundle against any object source: the store, or an exported tar
(:class:`~stateward.forensics.exported.TarObjects`), so a bundle can be checked away from the machine
that captured it. An encrypted artefact is checked as ciphertext (no private key needed);
:func:`open_artefact` decrypts one and checks its plaintext against the manifest too.

Erasure is not tampering: an artefact whose object a ledger tombstone erased (``erased``: object
address to the tombstone's entry) is reported as erased, and the rest of the bundle still
verifies and exports. Only bytes that differ from what was sealed fail.
"""

from __future__ import annotations

import base64
import enum
import io
import json
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.forensics.sealing import AGE_FORMAT, Identities
from stateward.fsutil import open_new
from stateward.ledger.signer import Signer, Verifier, strict_b64decode
from stateward.model.canonical import DIGEST_PREFIX, canonical_json, digest_bytes

__all__ = [
    "ERASED_MEMBER",
    "FORMAT",
    "SEAL_FORMAT",
    "Exported",
    "ObjectStore",
    "Sealed",
    "Tier",
    "Verified",
    "export",
    "load_manifest",
    "is_address",
    "member_name",
    "open_artefact",
    "seal",
    "verify",
]

FORMAT = "stateward-evidence/1"
SEAL_FORMAT = "stateward-seal/1"
MAX_DOC = 16 * 1024 * 1024  # a seal or manifest larger than this is not ours
ERASED_MEMBER = "ERASED"
"""The export's list of artefacts left out because the ledger erased them (object -> entry)."""


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


@runtime_checkable
class SizedObjects(ObjectStore, Protocol):
    """An object source that knows an object's size without handing over its bytes (an
    export read as a stream: large artefacts are hashed, not kept)."""

    def object_size(self, address: str) -> int: ...


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
    objects: ObjectStore, address: str, erased: Mapping[str, int] | None = None
) -> tuple[dict[str, Any], bytes, dict[str, Any]]:
    """(seal, manifest bytes, manifest) of the bundle ``address``, shapes checked, no signature.
    InputError when ``erased`` says the seal or the manifest was erased."""
    _refuse_erased(address, address, "seal", erased)
    seal_doc = _document(objects, address, "seal")
    if seal_doc.get("format") != SEAL_FORMAT or not is_address(seal_doc.get("manifest")):
        raise VerificationError(f"evidence {address}: not a {SEAL_FORMAT} seal")
    _refuse_erased(address, seal_doc["manifest"], "manifest", erased)
    data = objects.get_object(seal_doc["manifest"])
    manifest = _parse(data, address, "manifest")
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("artefacts"), list):
        raise VerificationError(f"evidence {address}: not a {FORMAT} manifest")
    return seal_doc, data, manifest


@dataclass(frozen=True, slots=True)
class Verified:
    """A bundle that verified: its manifest, and the artefacts erased since (name -> the
    tombstone's ledger entry), which were not checked because their bytes are gone by design."""

    manifest: dict[str, Any]
    erased: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Exported:
    """What :func:`export` wrote: files in the tar, and the erased artefacts left out."""

    files: int
    erased: dict[str, int] = field(default_factory=dict)


def verify(
    objects: ObjectStore,
    address: str,
    verifier: Verifier,
    erased: Mapping[str, int] | None = None,
) -> Verified:
    """Check a bundle: the seal's signature by ``verifier`` over the manifest, and every
    artefact's stored bytes (ciphertext when encrypted) against its address and size, except
    the ones ``erased`` names. Raises VerificationError (terse) or LedgerIntegrityError naming
    what is missing or altered; InputError when the seal or manifest itself was erased."""
    gone = dict(erased or {})
    seal_doc, data, manifest = load_manifest(objects, address, gone)
    if not any(_signed_by(s, verifier, data) for s in seal_doc.get("signatures") or []):
        raise VerificationError(f"evidence {address}: signature does not verify")
    named: dict[str, int] = {}
    for artefact in manifest["artefacts"]:
        where = _check_shape(address, artefact)
        if where in gone:
            named[str(artefact.get("name"))] = gone[where]
        elif where is not None:
            _check_size(objects, address, artefact, where)
    return Verified(manifest, named)


def export(
    objects: ObjectStore,
    address: str,
    out: Path,
    *,
    erased: Mapping[str, int] | None = None,
    force: bool = False,
) -> Exported:
    """Write the bundle as a tar: ``EVIDENCE`` (its ID), the seal and manifest and every
    artefact as ``objects/<hex>``, and ``ERASED`` (object -> tombstone entry) for the artefacts
    the ledger erased, readable with :class:`~stateward.forensics.exported.TarObjects`. The file
    is written safely (:mod:`stateward.fsutil`): never through a symlink, never over an
    existing file unless ``force``."""
    gone = dict(erased or {})
    seal_doc, data, manifest = load_manifest(objects, address, gone)
    members = {"EVIDENCE": address.encode() + b"\n", member_name(address): canonical_json(seal_doc)}
    members[member_name(seal_doc["manifest"])] = data
    named: dict[str, int] = {}
    left_out: dict[str, int] = {}
    for artefact in manifest["artefacts"]:
        where = _check_shape(address, artefact)
        if where in gone:
            named[str(artefact.get("name"))] = left_out[where] = gone[where]
        elif where is not None:
            members[member_name(where)] = objects.get_object(where)
    if left_out:
        members[ERASED_MEMBER] = canonical_json(left_out)
    with open_new(out, force=force, mode=0o600) as handle:
        with tarfile.open(fileobj=handle, mode="w") as tar:
            for name, content in members.items():
                tar.addfile(_info(name, len(content)), io.BytesIO(content))
    return Exported(len(members), named)


def open_artefact(
    objects: ObjectStore, artefact: Mapping[str, Any], identities: Identities | None
) -> bytes:
    """The plaintext of a stored artefact, decrypted when it is encrypted, checked against the
    plaintext digest and size the manifest sealed; LedgerIntegrityError when it differs."""
    where = artefact.get("address")
    if not is_address(where):
        raise InputError(
            f"artefact {artefact.get('name')!r}", f"was not stored ({artefact.get('outcome')})"
        )
    data = objects.get_object(str(where))
    if artefact.get("encryption") is None:
        return data
    if artefact.get("encryption") != AGE_FORMAT:
        raise VerificationError(f"artefact {artefact.get('name')!r}: unknown encryption")
    if identities is None:
        raise InputError(
            f"artefact {artefact.get('name')!r}", "is encrypted", remedy="Pass --identity KEYFILE."
        )
    plain = identities.decrypt(data, f"artefact {artefact.get('name')!r}")
    sealed = artefact.get("plaintext") or {}
    if digest_bytes(plain) != sealed.get("sha256") or len(plain) != sealed.get("size"):
        raise LedgerIntegrityError(
            f"artefact {artefact.get('name')!r}: decrypted bytes differ from the sealed digest"
        )
    return plain


def _document(objects: ObjectStore, address: str, what: str) -> dict[str, Any]:
    return _parse(objects.get_object(address), address, what)


def _parse(data: bytes, address: str, what: str) -> dict[str, Any]:
    if len(data) > MAX_DOC:
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


def _refuse_erased(address: str, where: str, what: str, erased: Mapping[str, int] | None) -> None:
    if erased and where in erased:
        raise InputError(
            f"evidence {address}",
            f"its {what} was erased (ledger entry {erased[where]}); nothing is left to verify",
        )


def _check_shape(address: str, artefact: Any) -> str | None:
    """The artefact's object address, or None when nothing was stored (skipped, failed,
    withheld: the reason is in the manifest)."""
    if not isinstance(artefact, dict):
        raise VerificationError(f"evidence {address}: malformed artefact entry")
    where = artefact.get("address")
    if where is None:
        return None
    if not is_address(where):
        raise VerificationError(f"evidence {address}: artefact {artefact.get('name')!r} address")
    return str(where)


def _check_size(
    objects: ObjectStore, address: str, artefact: Mapping[str, Any], where: str
) -> None:
    # An export read as a stream knows sizes of objects it hashed without keeping them.
    size = (
        objects.object_size(where)
        if isinstance(objects, SizedObjects)
        else len(objects.get_object(where))
    )
    if size != artefact.get("size"):
        raise LedgerIntegrityError(
            f"evidence {address}: artefact {artefact.get('name')!r} has {size} bytes, "
            f"the manifest says {artefact.get('size')}"
        )


def member_name(address: str) -> str:
    """The tar member an object is exported as."""
    return "objects/" + address.removeprefix(DIGEST_PREFIX)


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    return info


def is_address(value: Any) -> bool:
    """True for a well-formed ``sha256:<64 hex>`` object address."""
    text = value if isinstance(value, str) else ""
    hexpart = text.removeprefix(DIGEST_PREFIX)
    return (
        text.startswith(DIGEST_PREFIX)
        and len(hexpart) == 64
        and all(c in "0123456789abcdef" for c in hexpart)
    )
