"""Observe: run the sources over their locations and build one observation of an estate."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import stateward.sources.engine.source  # noqa: F401  (registers the container-engine source)
import stateward.sources.files  # noqa: F401  (registers the built-in file source)
import stateward.sources.host  # noqa: F401  (registers the host:// and ssh:// source)
import stateward.sources.kube.source  # noqa: F401  (registers the live Kubernetes source)
from stateward.analysis.audit import AuditReport, audit
from stateward.analysis.audit.images import ImageConfigs
from stateward.analysis.audit.report import Origins
from stateward.analysis.effective import effective_findings
from stateward.analysis.writable import writable_layer_findings
from stateward.collector import collector_paused
from stateward.config import read_yaml
from stateward.contexts import derive_live_view, resolve_components
from stateward.contexts.effective import LivePods
from stateward.errors import InputError, SourceError, StatewardError
from stateward.heap import give_back
from stateward.model.component import Component
from stateward.model.finding import Finding
from stateward.model.kubernetes import component_id
from stateward.model.observation import Observation
from stateward.model.resource import Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.sources.files import STDIN, FileSource
from stateward.sources.host import SCHEMES as HOST_SCHEMES
from stateward.sources.host import HostOptions, HostSource, parse_options
from stateward.sources.interface import Progress, Source, SourceResult, source_for
from stateward.sources.kube.location import with_options as with_kube_options
from stateward.workers import beside, can_spread, spare_core

__all__ = [
    "CONFIG_FILE",
    "Clock",
    "audited_released",
    "observed_audited",
    "host_options",
    "observation_of",
    "observe",
    "read",
    "released",
    "resolved_audited",
    "with_kube_options",
]

CONFIG_FILE = Path("stateward.yaml")

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def observe(
    locations: Iterable[str],
    *,
    estate: str,
    keeper: SecretKeeper,
    clock: Clock = _utcnow,
    progress: Progress | None = None,
    allow_outside: tuple[Path, ...] = (),
    host: HostOptions | None = None,
    keep_views: bool = True,
) -> Observation:
    """Read every location with its source and resolve components; bad input becomes errors.

    A location whose source cannot read it at all (a missing path, an unreachable engine) is
    listed in ``unread`` and makes the observation incomplete: the store refuses to record it,
    since an empty read would claim every component removed. Compose side files (``env_file``,
    secret files) may also be read under ``allow_outside``. ``host`` replaces the ``host:``
    section of ./stateward.yaml for ``host://`` and ``ssh://`` locations. ``keep_views=False``
    when no diff of the resources follows: their normalized views go once components are built
    (:func:`~stateward.contexts.resolve_components`)."""
    # Every object read and resolved is held to the end: a pass of the cyclic collector meanwhile
    # finds nothing to free (nothing at 20k objects) and walks them all. At the interpreter's
    # default thresholds (a library caller's, as the bench's; the command line sets its own)
    # its passes took half of this process's CPU at 100k objects (49 of 98 us an object, the
    # file workers' apart), two fifths at 10k: a cost per object that grew with the estate.
    with collector_paused(kept=True):
        observation, read_findings = _read(
            locations, estate, keeper, clock, progress, allow_outside, host
        )
        return _resolved(observation, read_findings, keep_views)


def read(
    locations: Iterable[str],
    *,
    estate: str,
    keeper: SecretKeeper,
    progress: Progress | None = None,
    allow_outside: tuple[Path, ...] = (),
    host: HostOptions | None = None,
) -> tuple[Observation, list[Finding]]:
    """What :func:`observe` reads, its components not yet resolved: the observation (each
    object once, the duplicates among its errors) and the findings met while reading, for
    :func:`resolved_audited`."""
    with collector_paused(kept=True):
        observation, read_findings = _read(
            locations, estate, keeper, _utcnow, progress, allow_outside, host
        )
    observation.resources = _unique(observation.resources, observation.errors)
    return observation, read_findings


def _read(
    locations: Iterable[str],
    estate: str,
    keeper: SecretKeeper,
    clock: Clock,
    progress: Progress | None,
    allow_outside: tuple[Path, ...],
    host: HostOptions | None,
    recorded: bool = True,
) -> tuple[Observation, list[Finding]]:
    """The observation of what the sources read, its components not yet resolved, and the
    findings met while reading; ``recorded=False`` when nothing will record it (an audit:
    :attr:`FileSource.recorded`)."""
    locations = list(locations)
    if host is None and any(location.startswith(HOST_SCHEMES) for location in locations):
        host = host_options()
    observation = Observation(estate, clock(), tuple(locations))
    read_findings: list[Finding] = []
    for group in _groups(locations):
        try:
            source = _source(group[0], allow_outside, host, recorded)
            result = _read_group(source, group, keeper, progress, observation)
        except StatewardError as exc:  # nothing of the group was read (a worker killed)
            for location in group:
                _unread(observation, location, exc)
            continue
        observation.resources.extend(result.resources)
        observation.errors.extend(result.errors)
        observation.complete &= result.complete
        read_findings.extend(result.findings)
    return observation, read_findings


def _read_group(
    source: Source,
    group: list[str],
    keeper: SecretKeeper,
    progress: Progress | None,
    observation: Observation,
) -> SourceResult:
    """What ``source`` read of the ``group``'s locations; a path that could not be read at all
    is noted unread in ``observation`` and the others still read."""
    if not isinstance(source, FileSource) or group[0] == STDIN:
        return source.observe(group[0], keeper, progress)
    result, refused = source.observe_together(group, keeper, progress)
    for location, exc in refused.items():
        _unread(observation, location, exc)
    return result


def _groups(locations: list[str]) -> Iterator[list[str]]:
    """The locations in order, paths named one after another together (the file source reads
    them as one set: :meth:`~stateward.sources.files.FileSource.observe_together`), every
    other location alone."""
    paths: list[str] = []
    for location in locations:
        if _is_path(location):
            paths.append(location)
            continue
        if paths:
            yield paths
            paths = []
        yield [location]
    if paths:
        yield paths


def _is_path(location: str) -> bool:
    try:
        return location != STDIN and isinstance(source_for(location), FileSource)
    except SourceError:
        return False


def _unread(observation: Observation, location: str, exc: StatewardError) -> None:
    observation.errors.append(InputError(location, exc.message))
    observation.complete = False
    observation.unread.append(location)


def observation_of(
    estate: str,
    locations: Iterable[str],
    resources: list[Resource],
    *,
    errors: Iterable[InputError] = (),
    complete: bool = True,
    clock: Clock = _utcnow,
) -> Observation:
    """An observation of resources already read (a watch's state after a batch of changes),
    its components resolved as :func:`observe` resolves them."""
    observation = Observation(estate, clock(), tuple(locations), list(resources))
    observation.errors.extend(errors)
    observation.complete = complete
    return _resolved(observation, [], keep_views=True, keep_encoded=True)  # recorded next


def _resolved(
    observation: Observation,
    read_findings: list[Finding],
    keep_views: bool,
    keep_encoded: bool = False,
) -> Observation:
    observation.resources = _unique(observation.resources, observation.errors)
    resolved = _components(observation.resources, read_findings, keep_views, keep_encoded)
    observation.components, observation.findings = resolved
    return observation


def _components(
    resources: list[Resource],
    read_findings: list[Finding],
    keep_views: bool,
    keep_encoded: bool = False,
) -> tuple[list[Component], list[Finding]]:
    """The components of ``resources``, and every finding of their observation: those met
    while reading, then resolving, then in writable layers and in live pods
    (:func:`~stateward.contexts.resolve_components` for ``keep_views`` and ``keep_encoded``)."""
    live = LivePods(resources)  # read once for the effective facet and its findings
    components, findings = resolve_components(
        resources, keep_views=keep_views, keep_encoded=keep_encoded, live=live
    )
    layer_findings = writable_layer_findings(components)
    live_findings = effective_findings(live)
    return components, read_findings + findings + layer_findings + live_findings


def released(observation: Observation) -> None:
    """Let go of the views and decoded bodies the stage just done read: the next stage reads
    what it needs (the audit, bodies; the record step, only their bytes), so its memory is
    taken from theirs instead of added to it."""
    for resource in observation.resources:
        resource.release()
    give_back()  # the next stage's peak starts from what is held (stateward.heap)


def audited_released(observation: Observation, images: ImageConfigs | None = None) -> AuditReport:
    """The audit of ``observation`` (:func:`~stateward.analysis.audit.audit`), the bodies it
    decoded let go (:func:`released`) before the cyclic collector is back: its first pass
    would otherwise walk every one of them (~1.4 s at 20k objects), to free nothing."""
    with collector_paused(kept=True):
        report = audit(observation, images)
        released(observation)
    return report


AUDIT_APART_FROM = 2000
"""Fewer objects than this are audited in the scanning process: forking costs more than the
memory it saves."""


def resolved_audited(observation: Observation, read_findings: list[Finding]) -> AuditReport:
    """The components of a :func:`read` observation resolved here, their views let go
    (:func:`released`), and its audit (:func:`audited_released`): on a large estate where
    forking is safe, made in a child forked before the components are, which sends back only
    its report, unpickled into blocks of its own, the origins read here from the same
    resources (:class:`Origins`). Audited here, the estate's bodies, workloads, indexes and
    caches, freed when it ends, left its findings and verdicts scattered over the pymalloc
    arenas it had grown, each arena kept resident by a few of them under the record step that
    follows (scan at 50k objects, ``bench.scan_stages``: 46 arenas grown, 16 MiB in use in
    them after). Forked before the components are resolved, the child holds none of them (its
    peak had been ~17 MiB above the read with them, at 50k objects), and each process works
    while the other does. The audit takes each workload's component id to be the one the
    model's convention gives its object, as :func:`observed_audited`'s does, and is done again
    here with the ids where one was not (a host's)."""
    if len(observation.resources) < AUDIT_APART_FROM or not can_spread():
        _resolved_released(observation, read_findings)
        return audited_released(observation)
    with collector_paused(kept=True), beside(partial(_without_origins, observation)) as done:
        _resolved_released(observation, read_findings)
        as_taken = _ids_as_taken(observation.resources, observation.components)
        report = done()
    if not as_taken:
        return audited_released(observation)
    return replace(report, origins=Origins(observation.resources))


def _resolved_released(observation: Observation, read_findings: list[Finding]) -> None:
    with collector_paused(kept=True):
        resolved = _components(observation.resources, read_findings, keep_views=False)
        observation.components, observation.findings = resolved
    released(observation)


def _without_origins(observation: Observation) -> AuditReport:
    """The audit's report without its origins: sent, they would all be worked out."""
    return replace(audited_released(observation), origins={})


RESOLVE_BESIDE_FROM = 2000
"""Fewer objects than this are resolved before they are audited: forking costs more."""


def observed_audited(
    locations: Iterable[str],
    *,
    keeper: SecretKeeper,
    images: Callable[[], ImageConfigs | None],
    resolve_beside: bool | None = None,
    components: bool = True,
) -> tuple[Observation, AuditReport]:
    """What :func:`observe` (estate ``audit``) then :func:`audited_released` with ``images()``
    give. On a large estate with a core to spare, the components are resolved in a forked child
    while this process audits: the audit reads of them only the id of each workload's
    component, taken meanwhile to be the one the model's convention gives its object
    (:func:`~stateward.model.kubernetes.component_id`) and checked once they are in (an audit
    that took one wrongly, such as a host's, is done again). ``resolve_beside`` says whether
    to, whatever the estate's size and the machine's load. ``components=False`` when the
    caller reads none of the observation's components, only its findings and errors (the
    command line prints the report): resolved beside, they are then not sent back unless the
    audit is done again with their ids, and the observation holds none (packed, pickled and
    unpickled, they took ~0.3 CPU s at 20k objects, ~0.05 s of it in this process, after
    its audit)."""
    # The collector held off from the read to the report, as in :func:`observe`: everything
    # read, resolved and audited is held to the end. On, it passed ~20 times at 20k objects
    # (0.15-0.19 CPU s here): over the read's results as they were unpickled, over the
    # components where they are resolved here. The processes forked meanwhile (the file
    # workers, the child resolving beside) run without its passes too, as a scan's do.
    with collector_paused(kept=True):
        observation, read_findings = _read(
            locations, "audit", keeper, _utcnow, None, (), None, recorded=False
        )
        configs = images()
        if resolve_beside is None:
            resolve_beside = len(observation.resources) >= RESOLVE_BESIDE_FROM and spare_core()
        if not resolve_beside:
            _resolved(observation, read_findings, keep_views=True)
            return observation, audited_released(observation, configs)
        observation.resources = _unique(observation.resources, observation.errors)
        resolve = partial(_components_checked, observation.resources, read_findings, components)
        with beside(resolve) as resolved:
            report = audited_released(observation, configs)
            observation.components, observation.findings, as_taken = resolved()
        if not as_taken:
            report = audited_released(observation, configs)
        return observation, report


def _components_checked(
    resources: list[Resource], read_findings: list[Finding], sent: bool
) -> tuple[list[Component], list[Finding], bool]:
    """:func:`_components` (views kept), and whether every component of an object has the id
    its object's key gives: checked where they are resolved, beside the audit (~0.14 s at 20k
    objects that this process, which waits for nothing else by then, would spend after it).
    The components are given if ``sent``, or if the audit is to be done again with their ids,
    with their contexts packed (:meth:`Component.packed`): bytes unpickle at memory speed,
    where a context's dicts took the process waiting for them ~0.2 s at 20k objects, after
    its audit, with nothing else left to do."""
    components, findings = _components(resources, read_findings, True)
    as_taken = _ids_as_taken(resources, components)
    given = [c.packed() for c in components] if sent or not as_taken else []
    return given, findings, as_taken


def _ids_as_taken(resources: list[Resource], components: list[Component]) -> bool:
    """True when every component of an object has the id its object's key gives."""
    taken = {str(r.key): component_id(r.key) for r in resources}
    return all(taken.get(c.resource, c.id) == c.id for c in components)


def host_options(config: Path = CONFIG_FILE) -> HostOptions:
    """The ``host:`` section of ``config`` (./stateward.yaml): which trees a host scan walks
    and with which rules; defaults without the file or the section."""
    return parse_options(read_yaml(config) if config.is_file() else None, str(config))


def _source(
    location: str, allow_outside: tuple[Path, ...], host: HostOptions | None, recorded: bool
) -> Source:
    source = source_for(location)
    if host is not None and isinstance(source, HostSource):
        return source.using(host)
    if isinstance(source, FileSource):
        # Workers that read the files normalize the objects too: the context builders then
        # decode each view instead of normalizing it in this process.
        source = source.deriving(derive_live_view)
        source = source if recorded else source.unrecorded()
        return source.allowing(allow_outside) if allow_outside else source
    return source


def _unique(resources: list[Resource], errors: list[InputError]) -> list[Resource]:
    """Keep the first of two objects with one identity, and say so: silently merging would hide
    which file the estate really takes."""
    seen: dict[ResourceKey, Resource] = {}
    for resource in resources:
        first = seen.setdefault(resource.key, resource)
        if first is not resource:
            errors.append(
                InputError(
                    str(resource.origin),
                    f"duplicate object {resource.key} (first defined at {first.origin}); ignored",
                )
            )
    return list(seen.values())
