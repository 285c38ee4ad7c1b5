"""Scan: observe sources as an estate, audit the observation, record it, and say what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from stateward.analysis.audit import AuditReport
from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.analysis.namespaces import placed
from stateward.api._observe import host_options, read, resolved_audited
from stateward.api._stores import StoreRef, opened
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.sources.host import SCHEMES as HOST_SCHEMES
from stateward.sources.host import HostOptions, known_directories, tree_changes
from stateward.sources.interface import Progress
from stateward.store import ObservationRecord
from stateward.store.keys import rotations
from stateward.store.store import refuse_unread

__all__ = ["NothingRecorded", "Scanned", "scan"]


@dataclass(frozen=True)
class Scanned:
    """One recorded observation and what changed since the estate's previous one."""

    record: ObservationRecord
    previous: ObservationRecord | None
    """The estate's observation before this one; None for its first."""
    observation: Observation
    """What was observed, its findings including the audit's."""
    deltas: list[ComponentDelta]
    audit: AuditReport
    file_changes: tuple[str, ...] = ()
    """For a host: the files added, removed and changed since the previous observation."""


class NothingRecorded(UsageError):
    """A location could not be read at all, so nothing was recorded (recording would claim
    everything it holds removed); ``observation`` holds what was read and the input errors."""

    def __init__(self, refused: UsageError, observation: Observation) -> None:
        super().__init__(refused.message, remedy=refused.remedy)
        self.observation = observation


def scan(
    store: StoreRef,
    sources: tuple[str, ...] | list[str],
    *,
    estate: str,
    progress: Progress | None = None,
    allow_outside: tuple[Path, ...] = (),
    paths: tuple[str, ...] = (),
    rehash: bool = False,
    namespace: str | None = None,
) -> Scanned:
    """Observe ``sources`` as ``estate``, audit it, record it in ``store`` and compare it with
    the estate's previous observation. NothingRecorded when a location could not be read.
    For host:// and ssh:// sources, ``paths`` limits the file-integrity part to those trees and
    ``rehash`` reads every file again instead of trusting an unchanged stamp. Manifest objects
    of namespaced kinds that name no namespace are placed in ``namespace`` (``kubectl -n``)."""
    _check_host_flags(sources, paths, rehash)
    writer = opened(store)
    previous_record = writer.latest(estate)
    hosts = any(s.startswith(HOST_SCHEMES) for s in sources)
    # the host fast path compares each directory's stamp, stored beside the previous raw
    # resources: their bodies are read only where a stamp differs (and the file report reads
    # only the directories whose digest changed)
    previous = (
        writer.load(previous_record, resources=hosts, lazy=hosts) if previous_record else None
    )
    host = _host_options(previous, paths, rehash) if hosts else None
    before = previous.resources if previous is not None else []
    observation, read_findings = read(
        sources, estate=estate, keeper=writer.keeper, progress=progress,
        allow_outside=allow_outside, host=host,
    )  # fmt: skip
    try:
        refuse_unread(observation)
    except UsageError as refused:
        raise NothingRecorded(refused, observation) from None
    observation.resources, _ = placed(observation, None, namespace)  # resolved_audited resolves
    report = resolved_audited(observation, read_findings)
    observation.findings.extend(report.findings)
    record = writer.record(observation)
    rotated = rotations(writer.db).between(previous_record, record)
    deltas = component_deltas(previous, observation, key_rotated=rotated)
    files: tuple[str, ...] = ()
    if host is not None and previous_record is not None:
        files = tuple(tree_changes(before, observation.resources).lines())
    return Scanned(record, previous_record, observation, deltas, report, files)


def _check_host_flags(sources: Sequence[str], paths: tuple[str, ...], rehash: bool) -> None:
    if (paths or rehash) and not any(s.startswith(HOST_SCHEMES) for s in sources):
        raise UsageError(
            "--paths and --rehash can only be used with host:// or ssh:// sources",
            remedy="Give a host:// or ssh:// source, or leave them out.",
        )
    relative = [p for p in paths if not p.startswith("/")]
    if relative:
        raise UsageError(f"--paths {relative[0]}: not an absolute path", remedy="Give /PATH.")


def _host_options(
    previous: Observation | None, paths: tuple[str, ...], rehash: bool
) -> HostOptions:
    """./stateward.yaml's ``host:`` options with ``paths`` and ``rehash``, and the previous
    observation's directories, which the fast path compares with."""
    options = replace(host_options().with_paths(tuple(paths)), rehash=rehash)
    resources = previous.resources if previous is not None else []
    return replace(options, known={} if rehash else known_directories(resources))
