"""Running the rules: phase one (each workload and object alone), then relations.

A rule that raises on one subject yields an ``AUDIT_INCOMPLETE`` finding for that subject and the
audit goes on: one faulty rule or odd object must not hide every other finding. The exception's
text is not copied into the finding: it could quote a value from the object, and no secret value
may reach any output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from stateward.analysis.audit import rules as _builtins  # noqa: F401  (registers built-ins)
from stateward.analysis.audit.backups import learn_backup_clients
from stateward.analysis.audit.configurations import through_configurations
from stateward.analysis.audit.dependencies import Edge, discovery_edges, edges_of
from stateward.analysis.audit.estate import Estate, build_estate
from stateward.analysis.audit.images import ImageConfigs
from stateward.analysis.audit.interface import RULES, Effect, Hit, Lifecycle, Rule, Scope
from stateward.analysis.audit.lifecycle import Mass, classify, coordinated, indexed, judge
from stateward.analysis.audit.mass import mass_of, reach
from stateward.analysis.audit.reached import learn_reached
from stateward.analysis.audit.report import AuditReport, ComponentAudit, Origins
from stateward.analysis.audit.served_ports import learn_served
from stateward.analysis.audit.workloads import Workload
from stateward.collector import collector_paused
from stateward.model.encoded import EncodedBody
from stateward.model.finding import Finding, Severity
from stateward.model.kubernetes import component_id
from stateward.model.observation import Observation
from stateward.model.resource import Resource
from stateward.workers import spare_core, spread_twice

__all__ = ["INCOMPLETE", "audit"]

INCOMPLETE = "AUDIT_INCOMPLETE"
_STORE_RULES = frozenset({"DATA_IMAGE_NO_VOLUME"})


@dataclass(frozen=True, slots=True)
class _Result:
    finding: Finding
    effect: Effect


def audit(
    observation: Observation, images: ImageConfigs | None = None, *, workers: int | None = None
) -> AuditReport:
    """Audit where state hides in one observation: findings, classes, gravity, edges. With
    ``images`` (an engine's or a registry's), what each image declares in its own config is
    evidence too; without, the audit makes no request. The rules run in ``workers`` processes
    (default: two on a large estate with a core to spare, :func:`~stateward.workers.spare_core`),
    with the same report as in one; WorkerError if one of them dies."""
    # A fifth of an audit's CPU time at 20k objects was the collector's passes. The estate
    # goes before the collector is back (when _audited returns): its first pass then walks
    # the report, not every workload and cached fact the audit built (~1.4 s at 20k objects).
    # What is left (the report, the bodies the workloads decoded) goes to the oldest
    # generation: walked by the first young pass, it cost another 0.05 s at 20k objects.
    with collector_paused(kept=True):
        return _audited(observation, images, workers)


def _audited(
    observation: Observation, images: ImageConfigs | None, workers: int | None
) -> AuditReport:
    judged, results = _judged(observation, images, workers)
    return _report(judged, results)


@dataclass(frozen=True, slots=True)
class _Judged:
    """What the report reads of the estate once every rule has run: the workloads' names and
    masses, the edges and the resources (for their origins), and none of the bodies."""

    workloads: list[tuple[str, str, str, str]]
    """(id, name, kind, namespace) of each workload, in the estate's order."""
    masses: dict[str, Mass]
    depends_on: dict[str, dict[str, str]]
    resources: list[Resource]
    """The observation's: the estate's own may be copies with decoded bodies (a custom
    resource with its CRD's defaults), of the same keys and origins."""

    @classmethod
    def of(cls, estate: Estate, masses: dict[str, Mass], resources: list[Resource]) -> _Judged:
        return cls(
            [(w.id, w.name, w.kind, w.namespace) for w in estate.workloads],
            masses,
            estate.depends_on,
            resources,
        )


def _judged(
    observation: Observation, images: ImageConfigs | None, workers: int | None
) -> tuple[_Judged, list[_Result]]:
    """Every rule's results, and what the report reads of the estate. The estate goes when
    this returns, and the bodies it decoded are let go first: the report is made from their
    memory, not on top of it (the workloads' bodies, decoded for the whole audit, were ~110 MiB
    of a scan's peak at 50k objects when the report was made beside them)."""
    estate = build_estate(observation, images)
    learn_reached(estate)
    learn_served(estate)
    learn_backup_clients(estate)
    # The rules of one subject read the estate and what earlier phases learnt, never another
    # subject's findings of the same phase: any share of the subjects over processes gives
    # the findings one process would, in the same order.
    workers = _workers(estate) if workers is None else workers
    subjects, workloads = len(estate.workloads) + len(estate.resources), len(estate.workloads)
    strings: dict[str, str] = {}  # the findings' texts, each once (_result)
    found, edged = spread_twice(
        (partial(_phase_one, estate, strings), subjects),
        partial(_learnt, estate),
        partial(_settled, estate),
        (partial(_edges, estate), workloads),
        workers,
    )
    results = [result for one in found for result in one]
    masses: dict[str, Mass] = {}
    for ident, edges, mass in edged:
        estate.depends_on[ident], masses[ident] = edges, mass
    # the relation rules are a few lookups a workload: less than a fork costs
    results += _relations(estate, strings)
    judged = _Judged.of(estate, masses, observation.resources)
    for resource in (*(w.resource for w in estate.workloads), *estate.resources):
        _let_go(resource)
    return judged, results


SPREAD_FROM = 2000
"""Fewer workloads than this are audited in one process: forking costs more than it saves."""


def _workers(estate: Estate) -> int:
    # +7 % of an audit's CPU at 20k objects on a machine loaded beyond its 2 cores, where the
    # child only slowed it: a core to spare, or one process
    return 2 if len(estate.workloads) >= SPREAD_FROM and spare_core() else 1


def _rules(scope: Scope) -> list[Rule]:
    return sorted((r for r in RULES.values() if r.scope is scope), key=lambda r: r.id)


def _phase_one(estate: Estate, strings: dict[str, str], positions: range) -> list[list[_Result]]:
    """The findings of each subject at ``positions``: the workloads, then the resources; their
    texts held once in ``strings`` (a forked process's in its own copy of it)."""
    workload_rules, object_rules = _rules(Scope.WORKLOAD), _rules(Scope.OBJECT)
    by_kind: dict[str, list[Rule]] = {}  # the object rules that apply to each kind
    held = {id(w.resource) for w in estate.workloads}  # bodies the workloads are made of
    found: list[list[_Result]] = []
    for position in positions:
        if position < len(estate.workloads):
            workload = estate.workloads[position]
            found.append(
                _run(workload_rules, workload, estate, workload.id, workload.resource, strings)
            )
            continue
        resource = estate.resources[position - len(estate.workloads)]
        kind = resource.key.kind
        if kind not in by_kind:
            by_kind[kind] = [r for r in object_rules if kind in r.kinds or not r.kinds]
        wanted = by_kind[kind]
        skipped = resource.key.group == "compose" or not wanted
        found.append([] if skipped else _run(wanted, resource, estate, None, resource, strings))
        if not skipped and id(resource) not in held:
            _let_go(resource)
    return found


def _let_go(resource: Resource) -> None:
    """Let go of the decoded body of an object the object rules just read, unless a workload
    reads it (its containers are parts of it): held, the estate's Services, Ingresses and
    volumes would all be decoded at once to the audit's end; a later lookup decodes one again."""
    if isinstance(resource.body, EncodedBody):
        resource.body.release()


def _edges(estate: Estate, positions: range) -> list[tuple[str, dict[str, str], Mass]]:
    """Who each workload at ``positions`` depends on, once phase one says who holds state,
    and its mass: made here, where the workloads are shared out, rather than one after the
    other once every edge is in (~0.18 s at 20k objects, with a core idle)."""
    found = []
    onward = partial(_direct_edges, estate=estate)
    by_id = {w.id: w for w in estate.workloads}
    for workload in (estate.workloads[p] for p in positions):
        edges = through_configurations(workload, onward(workload), by_id, estate, onward)
        found.append((workload.id, {e.target: e.via for e in edges}, mass_of(workload, estate)))
    return found


def _direct_edges(workload: Workload, estate: Estate) -> list[Edge]:
    return edges_of(workload, estate) or discovery_edges(workload, estate)


def _relations(estate: Estate, strings: dict[str, str]) -> list[_Result]:
    rules = _rules(Scope.RELATION)
    return [r for w in estate.workloads for r in _run(rules, w, estate, w.id, w.resource, strings)]


def _run(
    rules: Iterable[Rule],
    subject: Any,
    estate: Estate,
    owner: str | None,
    resource: Resource,
    strings: dict[str, str],
) -> list[_Result]:
    results: list[_Result] = []
    about: _About | None = None
    for rule in rules:
        try:
            hits = list(rule.check(subject, estate))
        except Exception as exc:  # noqa: BLE001  (a broken rule must not stop the audit)
            results.append(_incomplete(rule, exc, owner or component_id(resource.key), resource))
            continue
        if hits:
            about = about or _About.of(owner, resource)
            results += [_result(rule, hit, about, strings) for hit in hits]
    return results


@dataclass(frozen=True, slots=True)
class _About:
    """What a subject's findings name: the resource's key and the component (the owner, or
    the resource's own), spelt once for them all. Each finding spelt its own, and the
    findings, kept to the audit's end, are made while the bodies are held: their strings,
    ~4 MiB at 50k objects, were scattered among the bodies' blocks, keeping their arenas."""

    resource: str
    component: str

    @classmethod
    def of(cls, owner: str | None, resource: Resource) -> _About:
        return cls(str(resource.key), owner or component_id(resource.key))


def _result(rule: Rule, hit: Hit, about: _About, strings: dict[str, str]) -> _Result:
    # Equal messages and paths are one object in ``strings``: the findings are kept to the
    # audit's end, and many workloads are told the same (an image's tag, a container's path)
    finding = Finding(
        rule=rule.id,
        severity=hit.severity or rule.severity,
        message=strings.setdefault(hit.message, hit.message),
        component=hit.component or about.component,
        resource=about.resource,
        path=strings.setdefault(hit.path, hit.path),
        remedy=rule.remedy,
        evidence=hit.evidence,
    )
    return _Result(finding, hit.effect or rule.effect)


def _incomplete(rule: Rule, exc: Exception, owner: str, resource: Resource) -> _Result:
    message = f"rule {rule.id} failed here ({type(exc).__name__}); its findings are missing"
    finding = Finding(
        INCOMPLETE,
        Severity.MEDIUM,
        message,
        owner,
        str(resource.key),
        "",
        "Report this as a Stateward bug, with the object if you can share it.",
    )
    return _Result(finding, Effect.CONTEXT)


def _effects(results: list[_Result]) -> dict[str, list[tuple[Finding, Effect]]]:
    """Findings and their effects, by component id."""
    grouped: dict[str, list[tuple[Finding, Effect]]] = {}
    for r in results:
        grouped.setdefault(r.finding.component or "", []).append((r.finding, r.effect))
    return grouped


def _learnt(estate: Estate, found: list[list[_Result]]) -> tuple[set[str], dict[str, str]]:
    """:func:`_learn` from phase one's results, and what it set, for the processes that find
    the edges (:func:`_settled`)."""
    _learn(estate, [result for one in found for result in one])
    return estate.persistent, estate.holders


def _settled(estate: Estate, learnt: tuple[set[str], dict[str, str]]) -> None:
    estate.persistent.update(learnt[0])
    estate.holders.update(learnt[1])


def _learn(estate: Estate, results: list[_Result]) -> None:
    """After phase one: who is persistent, who holds state."""
    effects = _effects(results)
    for workload in estate.workloads:
        found = effects.get(workload.id, [])
        lifecycle, deciding = classify(found)
        if lifecycle is Lifecycle.PERSISTENT:
            estate.persistent.add(workload.id)
            estate.holders[workload.id] = ", ".join(sorted({f.rule for f in deciding}))
        elif stores := sorted({f.rule for f, _ in found if f.rule in _STORE_RULES}):
            # A database or cache image that holds only rebuildable state (a cache, a replica)
            # is still the store its clients reach: they depend on it.
            estate.holders[workload.id] = ", ".join(stores)


def _report(judged: _Judged, results: list[_Result]) -> AuditReport:
    dependents: dict[str, list[str]] = {}
    for source, targets in judged.depends_on.items():
        for target in targets:
            dependents.setdefault(target, []).append(source)
    effects = _effects(results)
    masses = judged.masses
    verdicts = [
        _verdict(w, judged, effects.get(w[0], []), dependents, masses[w[0]])
        for w in judged.workloads
    ]
    roles = {i: m.role for i, m in masses.items()}
    holding = {v.id for v in verdicts if v.lifecycle is Lifecycle.PERSISTENT}
    # search engines first: a coordination service is then held below what they weigh
    scopes = {ident: namespace for ident, _, _, namespace in judged.workloads}
    gravity = indexed({v.id: v.gravity for v in verdicts}, roles, dependents, holding, scopes)
    gravity = coordinated(gravity, roles, dependents)
    verdicts = [v if v.gravity == gravity[v.id] else replace(v, gravity=gravity[v.id])
                for v in verdicts]  # fmt: skip
    verdicts.sort(key=lambda v: (-v.gravity, v.id))
    names = {ident: name for ident, name, _, _ in judged.workloads}
    for r in results:
        names.setdefault(
            r.finding.component or "",
            r.finding.resource.rsplit("/", 1)[-1] if r.finding.resource else "",
        )
    findings = tuple(
        sorted((r.finding for r in results), key=lambda f: (f.component or "", f.rule, f.path))
    )
    complete = not any(f.rule == INCOMPLETE for f in findings)
    stated: dict[Finding, Effect] = {}
    for r in results:  # the last result of equal findings decides, as a dict made of all would
        if r.effect is _default(r.finding):
            stated.pop(r.finding, None)  # effect_of gives it: not held (48k at 50k objects)
        else:
            stated[r.finding] = r.effect
    return AuditReport(
        findings, tuple(verdicts), names, complete, Origins(judged.resources), stated
    )


def _default(finding: Finding) -> Effect:
    """The effect :meth:`AuditReport.effect_of` gives ``finding`` when the audit stated none."""
    rule = RULES.get(finding.rule)
    return rule.effect if rule else Effect.CONTEXT


def _verdict(
    workload: tuple[str, str, str, str],
    judged: _Judged,
    effects: list[tuple[Finding, Effect]],
    graph: dict[str, list[str]],
    mass: Mass,
) -> ComponentAudit:
    ident, name, kind, namespace = workload
    dependents = sorted(graph.get(ident, []))
    judgement = judge(effects, mass, dependents, reach(graph, ident))
    return ComponentAudit(
        ident,
        name,
        kind,
        namespace,
        judgement.lifecycle,
        judgement.loss,
        judgement.gravity,
        tuple(sorted(judged.depends_on.get(ident, {}))),
        tuple(dependents),
        tuple(dict.fromkeys(f.rule for f in judgement.deciding)),
        judgement.explanation,
    )
