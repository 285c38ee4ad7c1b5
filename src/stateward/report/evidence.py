"""Evidence bundles: the list, a manifest, and what capture, guard, export and verify did."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from stateward.forensics.capture import MALFORMED
from stateward.forensics.evidence import Sealed
from stateward.forensics.guard import GuardOutcome
from stateward.forensics.records import EvidenceRecord
from stateward.report.terminal import Diagnostic, Rendered, escape, table

__all__ = [
    "Summary",
    "erased_lines",
    "guard_document",
    "guard_line",
    "malformed_lines",
    "outcome_lines",
    "render_list",
    "render_manifest",
    "sealed_lines",
    "summary_rows",
]


class Summary(Protocol):
    """One logged bundle and what its manifest says."""

    @property
    def record(self) -> EvidenceRecord: ...
    @property
    def container(self) -> str | None: ...
    @property
    def trigger(self) -> str | None: ...
    @property
    def complete(self) -> bool | str | None: ...


def summary_rows(summaries: Sequence[Summary]) -> list[dict[str, Any]]:
    """The ``evidence list --json`` document."""
    return [
        {
            "evidence": s.record.address,
            "ledger_entry": s.record.index,
            "estate": s.record.estate,
            "time": s.record.time.isoformat(),
            "container": s.container,
            "trigger": s.trigger,
            "complete": s.complete,
        }  # fmt: skip
        for s in summaries
    ]


def render_list(rows: list[dict[str, Any]]) -> Rendered:
    """The bundles as a table, from their JSON rows."""
    out = table("entry", "time", "container", "trigger", "complete", "evidence")
    for row in rows:
        out.add_row(
            str(row["ledger_entry"]), row["time"], escape(str(row["container"])),
            str(row["trigger"]), str(row["complete"]), row["evidence"],
        )  # fmt: skip
    yield out


def render_manifest(
    address: str, manifest: Mapping[str, Any], gone: Mapping[str, int], checked: set[str] | None
) -> Rendered:
    """A bundle's subject, encryption and artefacts; ``checked`` are the artefacts decrypted and
    matched to their sealed plaintext digests (None when none were decrypted)."""
    subject = manifest.get("subject") or {}
    yield (
        f"Evidence {escape(address)}: container {escape(str(subject.get('name')))} "
        f"({escape(str(subject.get('container')))}), complete: {manifest.get('complete')}"
    )
    yield from _encryption(manifest)
    out = table("tier", "artefact", "outcome", "bytes", "sha256 / reason")
    for artefact in manifest.get("artefacts") or []:
        out.add_row(
            str(artefact.get("tier")), escape(repr(artefact.get("name"))[1:-1]),
            _outcome(artefact, gone, checked or set()), str(artefact.get("size", "")),
            escape(str(artefact.get("address") or _plain(artefact) or artefact.get("reason"))),
        )  # fmt: skip
    yield out
    if checked is not None:
        yield f"Decrypted {len(checked)} artefacts; each matches its sealed plaintext digest."


def _outcome(artefact: Mapping[str, Any], gone: Mapping[str, int], checked: set[str]) -> str:
    where = artefact.get("address")
    if where in gone:
        return f"erased (entry {gone[str(where)]})"
    if str(artefact.get("name")) in checked:
        return f"{artefact.get('outcome')}, plaintext verified"
    return str(artefact.get("outcome"))


def _plain(artefact: Mapping[str, Any]) -> str | None:
    plaintext = artefact.get("plaintext")
    return str(plaintext.get("sha256")) if isinstance(plaintext, dict) else None


def _encryption(manifest: Mapping[str, Any]) -> Iterator[str]:
    encryption = manifest.get("encryption") or {}
    if encryption.get("format"):
        keys = ", ".join(str(k) for k in encryption.get("recipients") or [])
        yield f"Encrypted ({escape(str(encryption['format']))}) to {escape(keys)}."
    elif encryption:  # nothing encrypted: a warning, in every format
        yield Diagnostic(f"Note: {escape(str(encryption.get('note')))}.")


def erased_lines(erased: Mapping[str, int]) -> Iterator[Diagnostic]:
    """A note per artefact erased through the ledger (a warning, in every format)."""
    for name, entry in sorted(erased.items()):
        yield Diagnostic(f"Note: artefact {escape(repr(name))} was erased (ledger entry {entry}).")


def sealed_lines(sealed: Sealed, index: int | None) -> Iterator[str]:
    """What one capture sealed, and where it is logged."""
    manifest = sealed.manifest
    collected = sum(1 for a in manifest["artefacts"] if a["outcome"] == "collected")
    state = "complete" if manifest["complete"] else "INCOMPLETE (see `evidence show`)"
    yield (
        f"Sealed evidence {escape(sealed.address)} for {escape(manifest['subject']['name'])}: "
        f"{collected} of {len(manifest['artefacts'])} artefacts collected, {state}; "
        f"ledger entry {index}."
    )
    yield from _encryption(manifest)


def outcome_lines(outcome: GuardOutcome) -> Iterator[str]:
    """What became of one container the guard saw die."""
    if outcome.sealed is None:
        yield Diagnostic(
            f"[red]Not sealed[/] {escape(outcome.name)} ({outcome.event}): {escape(outcome.error)}"
        )
    else:
        yield from sealed_lines(outcome.sealed, outcome.ledger_entry)


def guard_line(outcome: GuardOutcome) -> str:
    """One capture as a JSON line (``guard -o json``)."""
    return json.dumps(guard_document(outcome), sort_keys=True)


def guard_document(outcome: GuardOutcome) -> dict[str, Any]:
    """One capture the guard made, as a document."""
    return {
        "container": outcome.container,
        "name": outcome.name,
        "event": outcome.event,
        "evidence": outcome.sealed.address if outcome.sealed else None,
        "ledger_entry": outcome.ledger_entry,
        "error": outcome.error,
    }


def malformed_lines(engine: str, container: str, steps: tuple[str, ...], index: int) -> Rendered:
    """One error line for a capture whose engine answers were malformed in ``steps``."""
    where = escape(f"{engine}#{container}")
    yield Diagnostic(f"[red]Error:[/] {where}: {MALFORMED} ({', '.join(steps)}); the rest was sealed "
           f"(ledger entry {index}).")  # fmt: skip
