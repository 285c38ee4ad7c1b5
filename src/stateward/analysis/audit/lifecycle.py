"""Lifecycle class, loss on replace and persistence gravity of a component, from its findings.

Three answers, kept apart because they answer different questions:

**Lifecycle class** (what replacing costs): *persistent* when a finding says the component holds
data — durable (a claim, a host directory, a named volume) or data-bearing but ephemeral
(``LOSS``: data on an emptyDir, a data image without a volume, an in-memory store), which is a
blocking finding rather than a cost; *ephemeral-with-warm-up* when replacement loses nothing but
starts cold (download, seeding, cache, sticky routing); else *ephemeral-safe*.

**Loss on replace** (``loss``: what a replacement destroys):

- ``data``: some data lives where replacement destroys it (a ``loss`` finding), e.g. MongoDB
  with no volume, SQLite on an emptyDir, a tracing store configured in memory;
- ``rebuildable``: only what can be rebuilt is lost (a ``warm-up`` finding), e.g. an in-process
  cache, a seeded index, a build-cache volume, a volume the project's own comment calls a cache,
  a search engine whose clients keep the records it indexes (they re-index it: Meilisearch fed
  by an application with its own database), or a Redis-compatible store on no volume in a
  Compose project that keeps its database on one (jobs derived from the records);
- ``none``: nothing is lost, e.g. PostgreSQL on a claim (its data survives the replacement,
  however heavy the move), or a stateless API.

**Persistence gravity** (``gravity``, 0-100: how hard the component is to move), from what it
holds and who reaches it, not from how badly a replacement would lose it::

    gravity = min(100, hold + role + size + copies + order + reach)
    hold   = 40 when it holds data of its own (a loss or durable finding), 10 for warm-up only
    role   = what its image (or operator resource) is: database, search, object store 15;
             metrics, coordination 10; broker, data grid 5; cache 0 (a job queue or spool is a
             broker or cache); an application keeping its users' files (uploads, media,
             mailboxes) 15
    size   = claims it writes: 5 (size unknown or small), 10 from 10 GiB, 15 from 100 GiB
    copies = 5 per further replica that keeps its own claim, at most 10
    order  = 5 for a StatefulSet started in order (``podManagementPolicy: OrderedReady``)
    reach  = 4 per component depending on it, counted transitively, at most 30

A coordination service (ZooKeeper, etcd as a lock and membership store) weighs less than
each data system that depends on it, directly or through others, and than each data system its
own clients keep their records in (an application's nodes registering in ZooKeeper and keeping
their entities in PostgreSQL): they keep the records, it keeps what lets them agree on who
leads or who is there (an HDFS NameNode's failover lock, a Kafka controller's metadata, a
cluster's service discovery); moving it is planned around theirs. Its gravity is held one below the
lightest such dependent (a database, search index, object or file store, queue or application
whose own hold is data).

A search engine (Elasticsearch, OpenSearch, Solr, Meilisearch, Typesense) weighs less than each
database holding data that its own clients also depend on: an application that keeps its
records in a database and sends documents to a search engine keeps there an index of those
records, which it rebuilds by re-indexing them — Bagisto indexes "products from your Bagisto
database" into Elasticsearch (https://devdocs.bagisto.com/performance/configure-elasticsearch.html);
for Dataverse "PostgreSQL is the 'source of truth' … the search index can be rebuilt at any time"
(https://guides.dataverse.org/en/latest/admin/solr-search-index.html).
Its gravity is held one below the lightest such database; where no client of the engine is
seen, nor of a database of its namespace or Compose project, the one application whose
configuration is outside the files uses both, as above. An engine whose writers keep nothing
else (a log shipper, a trace collector, a dashboard) is held below nothing: it may be the only
copy of what it was sent. Nor is an engine held below a key-value store beside it: Redis is as
often the cache and queue of an application whose engine is its only database (Exceptionless
keeps every event, project and user in Elasticsearch,
https://github.com/exceptionless/Exceptionless/tree/200a31fabfbb3bb53d2a3c57eb3e7d70d569a37b)
as the data store of one that indexes into the engine (Conductor, "Redis as its data store, with
Elasticsearch used for its indexing backend",
https://github.com/conductor-oss/conductor/blob/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docs/devguide/architecture/index.md),
and only the application's own configuration says which. Where that configuration is built
into the application's image, as Conductor's is, :mod:`.search_backends` knows it: the engine is
then the index of records kept in the store, a warm-up (:func:`.rules.data.rebuilt_index`), and
weighs less than the store holding them.

Only components that hold something (``hold`` > 0) get the other terms. A component holding
nothing weighs only its clients, which a move must repoint: one for each component depending on
it, counted transitively, at most 9, so that it stays below the lightest holder (a warm-up
alone, 10). A stateless API three services reach weighs 3; a stateless consumer nothing reaches
(a worker on a volume another component owns) weighs 0. Two stateless components are told apart
by how many components reach them, not tied.

Transitive dependents matter: a database behind a connection pooler is reached by every
component that reaches the pooler. So a durable PostgreSQL with a 50 GiB claim reached by three
services (40 + 15 + 10 + 12 = 77) outweighs a Redis job queue with no volume reached by one
(40 + 0 + 4 = 44), although only the queue would lose data on replace.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from stateward.analysis.audit.interface import Effect, Lifecycle
from stateward.model.finding import Finding

__all__ = [
    "ROLE_WEIGHTS", "WEIGHTS", "Judgement", "Loss", "Mass", "coordinated", "indexed", "judge",
    "reaching", "storage_bytes",
]  # fmt: skip

WEIGHTS: dict[Effect, int] = {
    Effect.LOSS: 60,
    Effect.DURABLE: 45,
    Effect.WARM_UP: 20,
    Effect.ACCESS: 10,
    Effect.CONTEXT: 0,
}
"""Strength of an effect: the findings of the strongest one decide the class."""
_STATE = (Effect.LOSS, Effect.DURABLE)

ROLE_WEIGHTS: dict[str, int] = {
    "database": 15,
    "search": 15,
    "index": 15,
    "object store": 15,
    "objects": 15,
    "files": 15,
    "application": 15,
    "metrics": 10,
    "monitoring": 10,
    "coordination": 10,
    "broker": 5,
    "queue": 5,
    "data grid": 5,
}
"""Gravity by the role of the component's data image or operator resource (whose families say
``index``, ``objects``, ``monitoring``, ``queue`` for search, object store, metrics, broker); a
role not listed (cache, pooler, pipeline) weighs 0."""

GIB = 1024**3


class Loss(enum.StrEnum):
    """What replacing the component destroys, least to most."""

    NONE = "none"
    REBUILDABLE = "rebuildable"
    DATA = "data"


@dataclass(frozen=True, slots=True)
class Mass:
    """What the component carries, read from its workload (inputs of gravity besides findings)."""

    role: str = ""
    """Role of its data image (``database``, ``cache/store`` …); empty when it has none."""
    claim_bytes: int | None = None
    """Requested storage of the claims it writes; None when it writes none, 0 when unknown."""
    replicas: int = 1
    own_claims: bool = False
    """Each replica gets its own claim (StatefulSet ``volumeClaimTemplates``)."""
    ordered: bool = False
    """Pods start one at a time, in order (StatefulSet ``OrderedReady``)."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """Class, loss, gravity, deciding findings and the sentence that explains them."""

    lifecycle: Lifecycle
    loss: Loss
    gravity: int
    deciding: tuple[Finding, ...]
    explanation: str


def classify(effects: Sequence[tuple[Finding, Effect]]) -> tuple[Lifecycle, tuple[Finding, ...]]:
    """The class and the findings that decided it (those of the strongest effect)."""
    if not effects:
        return Lifecycle.EPHEMERAL_SAFE, ()
    top = max(WEIGHTS[e] for _, e in effects)
    lifecycle = max((e.lifecycle for _, e in effects), key=lambda c: c.rank)
    deciding = tuple(f for f, e in effects if WEIGHTS[e] == top and top > 0)
    return lifecycle, deciding


def loss_of(effects: Sequence[tuple[Finding, Effect]]) -> Loss:
    """What a replacement destroys: data, something rebuildable, or nothing."""
    found = {e for _, e in effects}
    if Effect.LOSS in found:
        return Loss.DATA
    return Loss.REBUILDABLE if Effect.WARM_UP in found else Loss.NONE


def gravity_of(effects: Sequence[tuple[Finding, Effect]], mass: Mass, reach: int) -> int:
    """Persistence gravity by the formula of this module's documentation."""
    found = {e for _, e in effects}
    hold = _DATA_HOLD if found & set(_STATE) else _WARM_HOLD if Effect.WARM_UP in found else 0
    if not hold:
        return min(_WARM_HOLD - 1, reach)  # only its clients to repoint: below every holder
    role = ROLE_WEIGHTS.get(mass.role, 0)
    size = _size_weight(mass.claim_bytes)
    copies = min(10, 5 * (mass.replicas - 1)) if mass.own_claims else 0
    order = 5 if mass.ordered else 0
    return min(100, hold + role + size + copies + order + min(30, 4 * reach))


# Roles of the data systems a coordination service ranks below.
_SERVED_ROLES = frozenset({
    "database", "search", "index", "object store", "objects", "files", "application", "queue",
    "broker", "data grid",
})  # fmt: skip


def coordinated(
    gravity: Mapping[str, int], roles: Mapping[str, str], dependents: Mapping[str, list[str]]
) -> dict[str, int]:
    """Gravity with each coordination service held one below the lightest data system that
    depends on it, directly or through others (this module's documentation)."""
    held = dict(gravity)
    for ident, weight in gravity.items():
        if roles.get(ident) != "coordination" or not weight:
            continue
        candidates = reaching(dependents, ident) | _beside(dependents, ident)
        served = [
            gravity[d] for d in candidates
            if roles.get(d) in _SERVED_ROLES and gravity.get(d, 0) >= _DATA_HOLD
        ]  # fmt: skip
        if served and weight >= min(served):
            held[ident] = max(1, min(served) - 1)
    return held


_DATA_HOLD = 40
_WARM_HOLD = 10

# Roles of a search engine (its data image's family, or its operator resource's).
_SEARCH_ROLES = frozenset({"search", "index"})


def indexed(
    gravity: Mapping[str, int],
    roles: Mapping[str, str],
    dependents: Mapping[str, list[str]],
    holding: Set[str],
    scopes: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Gravity with each search engine held one below the lightest database in ``holding``
    (those holding data) that its clients also depend on, or, where no client of either is
    seen, that shares its scope (``scopes``: namespace or Compose project; this module's
    documentation)."""
    held = dict(gravity)
    for ident, weight in gravity.items():
        if roles.get(ident) not in _SEARCH_ROLES or not weight:
            continue
        kept = [
            gravity[d] for d in _beside(dependents, ident) or _unreached_beside(ident, scopes, dependents)
            if d in holding and roles.get(d) == "database"
        ]  # fmt: skip
        if kept and weight >= min(kept):
            held[ident] = max(1, min(kept) - 1)
    return held


def _unreached_beside(
    ident: str, scopes: Mapping[str, str] | None, dependents: Mapping[str, list[str]]
) -> set[str]:
    """The other components of the engine's scope that, like it, no component is seen to reach,
    when nothing is seen to reach it: their clients' configuration is outside the files (a
    MediaWiki's ``LocalSettings.php``), and the one application that uses both keeps its records
    in the database and its index in the engine."""
    if scopes is None or dependents.get(ident) or ident not in scopes:
        return set()
    scope = scopes[ident]
    return {o for o, s in scopes.items() if s == scope and o != ident and not dependents.get(o)}


def _beside(dependents: Mapping[str, list[str]], ident: str) -> set[str]:
    """The components that the direct clients of ``ident`` also depend on: the data systems
    keeping the records of the application the coordination service coordinates."""
    clients = set(dependents.get(ident, ()))
    return {t for t, users in dependents.items() if t != ident and clients.intersection(users)}


def reaching(dependents: Mapping[str, list[str]], ident: str) -> set[str]:
    """Every component that depends on ``ident``, directly or through others."""
    seen: set[str] = set()
    stack = list(dependents.get(ident, ()))
    while stack:
        source = stack.pop()
        if source not in seen and source != ident:
            seen.add(source)
            stack.extend(dependents.get(source, ()))
    return seen


def _size_weight(claim_bytes: int | None) -> int:
    if claim_bytes is None:
        return 0
    if claim_bytes >= 100 * GIB:
        return 15
    return 10 if claim_bytes >= 10 * GIB else 5


def judge(
    effects: Sequence[tuple[Finding, Effect]],
    mass: Mass,
    dependents: Sequence[str],
    reach: int,
) -> Judgement:
    """Class, loss, gravity and explanation of one component; ``reach`` counts its dependents
    transitively."""
    lifecycle, deciding = classify(effects)
    loss = loss_of(effects)
    gravity = gravity_of(effects, mass, reach)
    single = lifecycle is Lifecycle.PERSISTENT and mass.replicas == 1
    counted = dependents if lifecycle is not Lifecycle.EPHEMERAL_SAFE else ()
    text = _explain(lifecycle, deciding, single, loss, counted, reach)
    return Judgement(lifecycle, loss, gravity, deciding, text)


def _explain(
    lifecycle: Lifecycle,
    deciding: Sequence[Finding],
    single: bool,
    loss: Loss,
    dependents: Sequence[str],
    reach: int,
) -> str:
    if not deciding:
        parts = ["no state found: replace freely"]
    else:
        parts = [f"{f.rule}: {f.message}" for f in deciding[:2]]
        if len(deciding) > 2:
            parts.append(f"and {len(deciding) - 2} more")
    if single:
        parts.append(
            "one replica: replacement "
            + ("loses this state" if loss is Loss.DATA else "means downtime while the state moves")
        )
    if dependents:
        names = ", ".join(d.rsplit("/", 1)[-1] for d in dependents[:5])
        further = f", {reach} counting theirs" if reach > len(dependents) else ""
        parts.append(f"{len(dependents)} component(s) depend on it ({names}){further}")
    return f"{lifecycle}: " + "; ".join(parts)


# Kubernetes resource quantities (api/resource/quantity.go): binary and decimal suffixes.
_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTPE]i?|k)?\s*$")
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4, "p": 5, "e": 6}


def storage_bytes(text: str) -> int:
    """Bytes of a storage quantity (``50Gi``, ``1T``, ``500M``); 0 when it cannot be read."""
    match = _QUANTITY.match(text)
    if match is None:
        return 0
    number, suffix = float(match.group(1)), match.group(2) or ""
    if not suffix:
        return int(number)
    base = 1024 if suffix.endswith("i") else 1000
    return int(number * base ** _POWERS[suffix[0].lower()])
