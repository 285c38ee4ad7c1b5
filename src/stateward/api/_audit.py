"""Audit: where state hides in sources read now; nothing is recorded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from stateward.analysis.audit import AuditReport
from stateward.analysis.audit import audit as audit_of
from stateward.analysis.audit.images import Configs, EngineConfigs, ImageConfigs, RegistryConfigs
from stateward.api._observe import observed_audited
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper
from stateward.sources.engine.endpoint import locate
from stateward.sources.registry import Platform

if TYPE_CHECKING:
    from stateward.api._sides import Moment
    from stateward.api._stores import StoreRef

__all__ = ["Audited", "audit", "audit_estate"]


@dataclass(frozen=True)
class Audited:
    """An audit report and the observation it audited (whose ``errors`` are the inputs that
    were rejected)."""

    observation: Observation
    report: AuditReport


def audit(
    sources: tuple[str, ...] | list[str],
    *,
    engine: str | None = None,
    registry: str | None = None,
    components: bool = True,
) -> Audited:
    """Audit ``sources`` (manifests, Compose files) for hidden state, with the findings met while
    reading them; with ``engine`` (``engine://…``) or ``registry`` (a URL), what each image
    declares in its own config is read there as evidence (nothing is asked otherwise).
    ``components=False`` when none of the observation's components is read, only the report
    and the observation's errors: the observation may then hold none
    (:func:`~stateward.api._observe.observed_audited`)."""
    # Audit only compares values inside one run, so a throw-away key is enough for the digests.
    keeper = SecretKeeper(os.urandom(KEY_BYTES))
    images = partial(_image_configs, engine, registry)
    observation, report = observed_audited(
        sources, keeper=keeper, images=images, components=components
    )
    return Audited(observation, report.including(observation.findings))


def _image_configs(engine: str | None, registry: str | None) -> Configs | None:
    if not engine and not registry:
        return None
    # the Docker SDK (with paramiko, ~0.2 s to import) only when an engine is asked
    from stateward.sources.engine.client import connect

    connected = connect(locate(engine)) if engine else None
    sources: list[ImageConfigs] = [EngineConfigs(connected.api)] if connected else []
    if registry:
        # the images the engine would run: those of its platform when there is one
        platform = Platform.of_engine(connected.version) if connected else Platform.of_host()
        sources.append(RegistryConfigs(registry, platform))
    return Configs(sources)


def audit_estate(store: StoreRef, estate: str, when: Moment | str | None = None) -> Audited:
    """Audit ``estate`` as recorded (its newest observation, or the one at ``when``): what a
    server audits, since it reads no paths a client names."""
    # The store and the ledger (SQLite, cryptography: ~0.07 s of CPU to import) only when a
    # stored estate is audited: an audit of files never opens one.
    from stateward.api._sides import parse_moment, stored_record
    from stateward.api._stores import opened

    reader = opened(store, read_only=True)
    moment = parse_moment(when) if isinstance(when, str) else when
    observation = reader.load(stored_record(reader, estate, moment))
    return Audited(observation, audit_of(observation).including(observation.findings))
