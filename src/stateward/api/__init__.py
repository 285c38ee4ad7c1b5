"""The public library API: what the CLI calls, and what a server calls the same way.

Every call takes plain arguments (a store is a :data:`StoreRef`: an open
:class:`~stateward.store.Store`, which a server keeps, or a location to open for the call),
returns plain result objects (dataclasses) and never prints; errors are
:class:`stateward.errors.StatewardError` subclasses whose ``diagnostics()`` say what to do.
Rendering the results is :mod:`stateward.report`'s job.

Only the names in ``__all__`` here are public. The ``_``-prefixed modules of this package and
every other module of ``stateward`` are internal and may change without notice. A name is
imported on first use (PEP 562), so a call that needs no optional extra (the container engine,
PostgreSQL) never imports one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stateward.api._audit import Audited, audit, audit_estate
    from stateward.api._compare import DEFAULT_RULES, Drifted, Paired, drift, parity
    from stateward.api._cost import Priced, cost
    from stateward.api._evidence import (
        EXPORT_MIB,
        Captured,
        CaptureOptions,
        EvidenceShown,
        EvidenceSummary,
        EvidenceVerified,
        Guarding,
        capture,
        capture_options,
        evidence_export,
        evidence_list,
        evidence_show,
        guard,
        verify_evidence,
    )
    from stateward.api._history import Estate, Shown, Step, at, estates, history, show, timeline
    from stateward.api._ledger import (
        Signed,
        checkpoint,
        consistency,
        consistency_with,
        erase,
        export_tiles,
        log_checkpoint,
        prove,
        read_text,
        tile,
        verifier_key,
        verify,
        verify_failure,
        verify_tiles,
    )
    from stateward.api._observe import observe, with_kube_options
    from stateward.api._retention import Compacted, Retention, compact
    from stateward.api._scan import NothingRecorded, Scanned, scan
    from stateward.api._sides import (
        Moment,
        Sides,
        is_location,
        parse_moment,
        parse_time,
        resolve_side,
        resolve_sides,
        stored_record,
    )
    from stateward.api._stores import (
        Imported,
        StoreRef,
        export_store,
        import_store,
        key_status,
        opened,
        rotate_key,
    )
    from stateward.api._tokens import ROLES, NewToken, make_token, role_of
    from stateward.api._watch import WATCH_REMEDY, WATCHES, Recorded, WatchCapture, watch
    from stateward.diff import MODES
    from stateward.forensics.capture import UNSEALED
    from stateward.forensics.guard import GuardOutcome

__all__ = [
    "Recorded",
    "WatchCapture",
    "WATCHES",
    "WATCH_REMEDY",
    "Compacted",
    "Retention",
    "compact",
    "DEFAULT_RULES",
    "EXPORT_MIB",
    "MODES",
    "ROLES",
    "UNSEALED",
    "Audited",
    "CaptureOptions",
    "Captured",
    "Drifted",
    "Estate",
    "EvidenceShown",
    "EvidenceSummary",
    "EvidenceVerified",
    "GuardOutcome",
    "Guarding",
    "Imported",
    "Moment",
    "NewToken",
    "NothingRecorded",
    "Paired",
    "Priced",
    "Scanned",
    "Shown",
    "Sides",
    "Signed",
    "Step",
    "StoreRef",
    "at",
    "audit",
    "audit_estate",
    "capture",
    "capture_options",
    "checkpoint",
    "consistency",
    "consistency_with",
    "cost",
    "drift",
    "erase",
    "estates",
    "evidence_export",
    "evidence_list",
    "evidence_show",
    "export_store",
    "export_tiles",
    "guard",
    "history",
    "import_store",
    "is_location",
    "key_status",
    "log_checkpoint",
    "make_token",
    "observe",
    "opened",
    "parity",
    "parse_moment",
    "parse_time",
    "prove",
    "read_text",
    "resolve_side",
    "resolve_sides",
    "role_of",
    "rotate_key",
    "scan",
    "show",
    "stored_record",
    "tile",
    "timeline",
    "verifier_key",
    "verify",
    "verify_evidence",
    "verify_failure",
    "verify_tiles",
    "watch",
    "with_kube_options",
]

_HOMES = {
    "Audited": "stateward.api._audit",
    "CaptureOptions": "stateward.api._evidence",
    "Captured": "stateward.api._evidence",
    "DEFAULT_RULES": "stateward.api._compare",
    "Drifted": "stateward.api._compare",
    "EXPORT_MIB": "stateward.api._evidence",
    "Estate": "stateward.api._history",
    "EvidenceShown": "stateward.api._evidence",
    "EvidenceSummary": "stateward.api._evidence",
    "EvidenceVerified": "stateward.api._evidence",
    "GuardOutcome": "stateward.forensics.guard",
    "Guarding": "stateward.api._evidence",
    "Imported": "stateward.api._stores",
    "MODES": "stateward.diff",
    "Moment": "stateward.api._sides",
    "NewToken": "stateward.api._tokens",
    "NothingRecorded": "stateward.api._scan",
    "Paired": "stateward.api._compare",
    "Priced": "stateward.api._cost",
    "ROLES": "stateward.api._tokens",
    "Scanned": "stateward.api._scan",
    "Shown": "stateward.api._history",
    "Sides": "stateward.api._sides",
    "Signed": "stateward.api._ledger",
    "Step": "stateward.api._history",
    "StoreRef": "stateward.api._stores",
    "UNSEALED": "stateward.forensics.capture",
    "at": "stateward.api._history",
    "audit": "stateward.api._audit",
    "audit_estate": "stateward.api._audit",
    "capture": "stateward.api._evidence",
    "capture_options": "stateward.api._evidence",
    "checkpoint": "stateward.api._ledger",
    "consistency": "stateward.api._ledger",
    "consistency_with": "stateward.api._ledger",
    "cost": "stateward.api._cost",
    "drift": "stateward.api._compare",
    "erase": "stateward.api._ledger",
    "estates": "stateward.api._history",
    "evidence_export": "stateward.api._evidence",
    "evidence_list": "stateward.api._evidence",
    "evidence_show": "stateward.api._evidence",
    "export_store": "stateward.api._stores",
    "export_tiles": "stateward.api._ledger",
    "guard": "stateward.api._evidence",
    "history": "stateward.api._history",
    "import_store": "stateward.api._stores",
    "is_location": "stateward.api._sides",
    "key_status": "stateward.api._stores",
    "log_checkpoint": "stateward.api._ledger",
    "make_token": "stateward.api._tokens",
    "observe": "stateward.api._observe",
    "Recorded": "stateward.api._watch",
    "WatchCapture": "stateward.api._watch",
    "WATCHES": "stateward.api._watch",
    "WATCH_REMEDY": "stateward.api._watch",
    "Compacted": "stateward.api._retention",
    "Retention": "stateward.api._retention",
    "compact": "stateward.api._retention",
    "watch": "stateward.api._watch",
    "with_kube_options": "stateward.api._observe",
    "opened": "stateward.api._stores",
    "parity": "stateward.api._compare",
    "parse_moment": "stateward.api._sides",
    "parse_time": "stateward.api._sides",
    "prove": "stateward.api._ledger",
    "read_text": "stateward.api._ledger",
    "resolve_side": "stateward.api._sides",
    "resolve_sides": "stateward.api._sides",
    "role_of": "stateward.api._tokens",
    "rotate_key": "stateward.api._stores",
    "scan": "stateward.api._scan",
    "show": "stateward.api._history",
    "stored_record": "stateward.api._sides",
    "tile": "stateward.api._ledger",
    "timeline": "stateward.api._history",
    "verifier_key": "stateward.api._ledger",
    "verify": "stateward.api._ledger",
    "verify_evidence": "stateward.api._evidence",
    "verify_failure": "stateward.api._ledger",
    "verify_tiles": "stateward.api._ledger",
}
"""Each public name and the module it lives in."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'stateward.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
