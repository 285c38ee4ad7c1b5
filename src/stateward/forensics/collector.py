"""Collecting artefacts into an evidence bundle, for any subject (a container, a pod): each step
is stored and listed with its RFC 3227 §2.1 tier, its UTC start and end, and its outcome; a step
that fails is listed with why, and the rest is still collected.

Raw artefacts (logs, changed files) hold whatever the workload wrote, secrets included: with
recipients they are stored as age ciphertext only (:mod:`stateward.forensics.sealing`); without,
only the digest and size of their plaintext are kept.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from stateward import __version__
from stateward.forensics.evidence import FORMAT, ObjectStore, Tier
from stateward.forensics.sealing import AGE_FORMAT, Recipients
from stateward.model.canonical import digest_bytes
from stateward.sources.interface import Progress

__all__ = ["UNSEALED", "Clock", "Collector", "Tail", "all_collected", "encryption", "iso"]

Clock = Callable[[], datetime]
UNSEALED = "no recipient configured: logs and changed files are kept as digests only"


@dataclass(frozen=True, slots=True)
class Tail:
    """Bytes collected with a note on what was left out ("" when nothing was)."""

    data: bytes
    note: str


@dataclass(slots=True)
class Collector:
    """Runs collection steps, stores what they return, and records each as an artefact."""

    store: ObjectStore
    clock: Clock
    failure: Callable[[Exception], str | None]
    """Why a step failed, for the exceptions a subject's API raises; None re-raises."""
    recipients: Recipients | None
    skipped: str = "the subject is not running"
    """The reason given when a step returns None."""
    artefacts: list[dict[str, Any]] = field(default_factory=list)
    progress: Progress | None = None
    """Hears the steps done so far, of ``steps``."""
    steps: int | None = None
    done: int = 0

    def step(
        self,
        name: str,
        tier: Tier,
        media_type: str,
        collect: Callable[[], bytes | Tail | None],
        *,
        raw: bool = False,
    ) -> None:
        """Run ``collect``; keep its bytes, or record why there are none (None: skipped).
        ``raw``: the bytes are not redacted (logs), so never stored in the clear."""
        try:
            self._step(name, tier, media_type, collect, raw)
        finally:
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.steps)

    def _step(
        self,
        name: str,
        tier: Tier,
        media_type: str,
        collect: Callable[[], bytes | Tail | None],
        raw: bool,
    ) -> None:
        started = self.clock()
        entry: dict[str, Any] = {"name": name, "tier": int(tier), "media_type": media_type}
        try:
            data = collect()
        except Exception as exc:
            reason = self.failure(exc)
            if reason is None:
                raise
            self._end(entry, started, "failed", reason)
            return
        if data is None:
            self._end(entry, started, "skipped", self.skipped)
        elif isinstance(data, Tail):
            self._keep(entry, started, data.data, raw, data.note)
        else:
            self._keep(entry, started, data, raw)

    def kept(self, name: str, tier: Tier, media_type: str, data: bytes, at: datetime) -> None:
        """A raw artefact already in hand (a changed file read during the layer step)."""
        self._keep({"name": name, "tier": int(tier), "media_type": media_type}, at, data, True)

    def manifest(self, subject: Mapping[str, Any], trigger: Mapping[str, Any] | None,
                 method: str, inspected: str, started: datetime) -> dict[str, Any]:  # fmt: skip
        """The bundle's manifest (:mod:`stateward.forensics.evidence`), its artefacts those
        collected, most volatile first."""
        return {
            "format": FORMAT,
            "subject": dict(subject),
            "trigger": dict(trigger or {"kind": "manual"}),
            "collector": {
                "tool": "stateward",
                "version": __version__,
                "host": socket.gethostname(),
            },  # fmt: skip
            "method": method,
            "order_of_volatility": "RFC 3227 section 2.1; tier 1 is the most volatile",
            "inspected": inspected,
            "encryption": encryption(self.recipients),
            "started": iso(started),
            "finished": iso(self.clock()),
            "complete": all_collected(self.artefacts),
            "artefacts": sorted(self.artefacts, key=lambda a: a["tier"]),
        }

    def _keep(
        self, entry: dict[str, Any], started: datetime, data: bytes, raw: bool, note: str = ""
    ) -> None:
        if self.recipients is not None:
            sealed = self.recipients.encrypt(data)
            entry.update(address=self.store.put_object(sealed), size=len(sealed))
            entry.update(encryption=AGE_FORMAT, plaintext=_digest(data))
        elif raw:
            entry["plaintext"] = _digest(data)
            reason = "; ".join(filter(None, ["no recipient configured: digest only", note]))
            self._end(entry, started, "withheld", reason)
            return
        else:
            entry.update(address=self.store.put_object(data), size=len(data))
        self._end(entry, started, "collected", note)

    def _end(self, entry: dict[str, Any], started: datetime, outcome: str, reason: str) -> None:
        entry.update(started=iso(started), finished=iso(self.clock()), outcome=outcome,
                     reason=reason)  # fmt: skip
        self.artefacts.append(entry)


def all_collected(artefacts: Iterable[dict[str, Any]]) -> bool:
    """Every step succeeded (a skipped or withheld one did what it could)."""
    return all(a["outcome"] in ("collected", "skipped", "withheld") for a in artefacts)


def encryption(recipients: Recipients | None) -> dict[str, Any]:
    """The manifest's ``encryption`` section."""
    if recipients is None:
        return {"format": None, "note": UNSEALED}
    return {"format": AGE_FORMAT, "recipients": list(recipients.keys)}


def _digest(data: bytes) -> dict[str, Any]:
    return {"sha256": digest_bytes(data), "size": len(data)}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
