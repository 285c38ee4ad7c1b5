"""The public library API: what the CLI calls, and what a server calls the same way.

Every call takes plain arguments (a store is a :data:`StoreRef`: an open
:class:`~stateward.store.Store`, which a server keeps, or a location to open for the call),
returns plain result objects (dataclasses) and never prints; errors are
:class:`stateward.errors.StatewardError` subclasses whose ``diagnostics()`` say what to do.
Rendering the results is :mod:`stateward.report`'s job.

Only the names in ``__all__`` here are public. The ``_``-prefixed modules of this package and
every other module of ``stateward`` are internal and may change without notice.
"""

from stateward.api._audit import Audited, audit
from stateward.api._compare import DEFAULT_RULES, Drifted, Paired, drift, parity
from stateward.api._cost import Priced, cost
from stateward.api._evidence import (
    EXPORT_MIB,
    Captured,
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
    erase,
    export_tiles,
    prove,
    read_text,
    verifier_key,
    verify,
    verify_failure,
    verify_tiles,
)
from stateward.api._observe import observe
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
from stateward.diff import MODES
from stateward.forensics.capture import UNSEALED
from stateward.forensics.guard import GuardOutcome

__all__ = [
    "DEFAULT_RULES",
    "EXPORT_MIB",
    "MODES",
    "UNSEALED",
    "Audited",
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
    "capture",
    "capture_options",
    "checkpoint",
    "consistency",
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
    "observe",
    "opened",
    "parity",
    "parse_moment",
    "parse_time",
    "prove",
    "read_text",
    "resolve_side",
    "resolve_sides",
    "rotate_key",
    "scan",
    "show",
    "stored_record",
    "timeline",
    "verifier_key",
    "verify",
    "verify_evidence",
    "verify_failure",
    "verify_tiles",
]
