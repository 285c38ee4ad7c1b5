"""Audit: where state hides in sources read now; nothing is recorded."""

from __future__ import annotations

import os
from dataclasses import dataclass

from stateward.analysis.audit import AuditReport
from stateward.analysis.audit import audit as audit_of
from stateward.api._observe import observe
from stateward.api._sides import Moment, parse_moment, stored_record
from stateward.api._stores import StoreRef, opened
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper

__all__ = ["Audited", "audit", "audit_estate"]


@dataclass(frozen=True)
class Audited:
    """An audit report and the observation it audited (whose ``errors`` are the inputs that
    were rejected)."""

    observation: Observation
    report: AuditReport


def audit(sources: tuple[str, ...] | list[str]) -> Audited:
    """Audit ``sources`` (manifests, Compose files) for hidden state, with the findings met while
    reading them."""
    # Audit only compares values inside one run, so a throw-away key is enough for the digests.
    observation = observe(sources, estate="audit", keeper=SecretKeeper(os.urandom(KEY_BYTES)))
    return Audited(observation, audit_of(observation).including(observation.findings))


def audit_estate(store: StoreRef, estate: str, when: Moment | str | None = None) -> Audited:
    """Audit ``estate`` as recorded (its newest observation, or the one at ``when``): what a
    server audits, since it reads no paths a client names."""
    reader = opened(store, read_only=True)
    moment = parse_moment(when) if isinstance(when, str) else when
    observation = reader.load(stored_record(reader, estate, moment))
    return Audited(observation, audit_of(observation).including(observation.findings))
