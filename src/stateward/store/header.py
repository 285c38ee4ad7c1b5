"""Observation headers: what the ledger commits to about an observation besides its manifest.

An ``observation`` ledger entry names two objects: ``manifest`` (what was seen) and ``header``
(this module), a small canonical-JSON document holding everything ``history``, ``at`` and
``timeline`` show about the observation: its estate, per-estate number, time, completeness,
summary, manifest and whether nothing changed since the one before. The ``observations`` table
row is then only a cache of the header, fit for queries: :func:`expected_row` says what each
column must hold, so ``ledger verify`` (and every read) can check the row against the ledger.

Wire form, version 1 (keys sorted, :func:`stateward.model.canonical.canonical_json`)::

    {"complete":true,"depth":3,"estate":"shop","manifest":"sha256:…","seq":7,
     "summary":{…},"time":"2026-11-26T06:40:00+00:00","type":"observation-header",
     "unchanged":false,"v":1}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import LedgerIntegrityError
from stateward.model.canonical import canonical_json

__all__ = ["HEADER", "Header", "expected_row", "parse_header"]

VERSION = 1
TYPE = "observation-header"
HEADER = "header"
"""The name of the header object in an ``observation`` ledger entry's ``objects``."""
_FIELDS = frozenset(
    {"v", "type", "estate", "seq", "time", "complete", "summary", "manifest", "depth", "unchanged"}
)


@dataclass(frozen=True, slots=True)
class Header:
    """One observation's committed facts."""

    estate: str
    seq: int
    """Its number among the estate's observations, from 1 (``ESTATE@#N``)."""
    time: str
    """ISO 8601, exactly as the row's ``time`` column holds it."""
    complete: bool
    summary: Mapping[str, Any]
    manifest: str
    depth: int
    """How many deltas lie between its manifest and a full snapshot."""
    unchanged: bool
    """True when nothing differs from the estate's previous observation: same manifest."""

    def document(self) -> dict[str, Any]:
        """The JSON document stored as the header object."""
        return {
            "v": VERSION,
            "type": TYPE,
            "estate": self.estate,
            "seq": self.seq,
            "time": self.time,
            "complete": self.complete,
            "summary": dict(self.summary),
            "manifest": self.manifest,
            "depth": self.depth,
            "unchanged": self.unchanged,
        }

    def encode(self) -> bytes:
        """The object's bytes: canonical JSON of :meth:`document`."""
        return canonical_json(self.document())


def parse_header(data: bytes, address: str) -> Header:
    """The header stored at ``address``; LedgerIntegrityError when it is not one."""
    try:
        doc = json.loads(data)
    except ValueError:
        doc = None
    if not (isinstance(doc, dict) and set(doc) == _FIELDS and doc["v"] == VERSION and _typed(doc)):
        raise LedgerIntegrityError(f"object {address} is not a version {VERSION} header")
    header = Header(
        doc["estate"],
        doc["seq"],
        doc["time"],
        doc["complete"],
        doc["summary"],
        doc["manifest"],
        doc["depth"],
        doc["unchanged"],
    )
    if doc["type"] != TYPE or header.encode() != data:
        raise LedgerIntegrityError(f"object {address} is not a header in canonical form")
    return header


def _typed(doc: Mapping[str, Any]) -> bool:
    texts = ("type", "estate", "time", "manifest")
    return (
        all(isinstance(doc[k], str) for k in texts)
        and all(isinstance(doc[k], int) and not isinstance(doc[k], bool) for k in ("seq", "depth"))
        and all(isinstance(doc[k], bool) for k in ("complete", "unchanged"))
        and isinstance(doc["summary"], dict)
    )


def expected_row(header: Header, address: str, entry: int) -> dict[str, Any]:
    """The ``observations`` row that caches ``header`` (stored at ``address``) logged as ledger
    entry ``entry``: column name to value, exactly as the store writes it.

    Every column but ``id`` is covered: ``id`` is the row's surrogate key, never shown (commands
    show ``seq``). ``complete`` is 0 or 1; ``summary`` is the canonical JSON text of the
    summary. A row written before headers existed has ``header`` NULL and nothing to check
    beyond its entry's estate, time and manifest.
    """
    return {
        "estate": header.estate,
        "time": header.time,
        "manifest": header.manifest,
        "depth": header.depth,
        "complete": int(header.complete),
        "summary": canonical_json(dict(header.summary)).decode("utf-8"),
        "entry": entry,
        "seq": header.seq,
        "header": address,
    }
