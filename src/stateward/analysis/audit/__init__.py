"""State audit: where state hides, lifecycle classes, persistence gravity, dependencies.

``audit(observation)`` runs every registered rule (:mod:`.interface`; built-ins in :mod:`.rules`)
and returns an :class:`AuditReport`. A plugin adds a rule with :func:`register` or
:func:`detector` before calling ``audit``.
"""

from stateward.analysis.audit import (  # noqa: F401  (register their families)
    app_operators,
    atomix_stores,
    data_grids,
    event_operators,
    game_operators,
    logical_databases,
    messaging_operators,
    operator_catalog,
    operator_defaults,
    operator_records,
    recording_operators,
    server_defaults,
)
from stateward.analysis.audit.engine import INCOMPLETE, audit
from stateward.analysis.audit.interface import (
    RULES,
    Effect,
    Hit,
    Lifecycle,
    Rule,
    Scope,
    detector,
    register,
)
from stateward.analysis.audit.report import AuditReport, ComponentAudit

__all__ = [
    "INCOMPLETE",
    "RULES",
    "AuditReport",
    "ComponentAudit",
    "Effect",
    "Hit",
    "Lifecycle",
    "Rule",
    "Scope",
    "audit",
    "detector",
    "register",
]
