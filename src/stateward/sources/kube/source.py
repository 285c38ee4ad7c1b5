"""The ``kube://`` source: every object of every listable kind, as the kubectl-dump file source
would read ``kubectl get -o json`` of them (:mod:`.reader`).

A kind the caller may not list (403), or whose list fails (an error status, a body that is not
JSON, a dropped or stalled connection), is one error naming it and makes the observation
incomplete: its objects were not seen, which is not the same as removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stateward.errors import InputError
from stateward.model.secrets import SecretKeeper
from stateward.sources.interface import Progress, SourceResult, register
from stateward.sources.kube.location import DEADLINE_S, PAGE, SERVICE_ACCOUNT, SOURCE, accepts

if TYPE_CHECKING:
    from stateward.sources.kube.reader import Reader

__all__ = ["KubeSource"]


@dataclass(slots=True)
class KubeSource:
    """Reads a cluster's objects through its API."""

    name: str = SOURCE
    environ: Mapping[str, str] | None = None
    """Where ``KUBECONFIG`` is looked up; None means the process environment."""
    deadline_s: float = DEADLINE_S
    """Longest any one request may take."""
    page: int = PAGE
    service_account: Path = SERVICE_ACCOUNT
    """Where a pod's service account is mounted (used when there is no kubeconfig)."""

    def accepts(self, location: str) -> bool:
        """True for ``kube://`` locations."""
        return accepts(location)

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Every object of every listable kind in the location's namespace (or all of them);
        SourceError when the cluster cannot be reached or its discovery cannot be read."""
        from stateward.sources.kube.reader import open_reader  # the kubernetes package: 0.2 s

        reader = open_reader(location, keeper, self.environ, self.deadline_s, self.page,
                             self.service_account)  # fmt: skip
        try:
            return _read(reader, progress)
        finally:
            reader.close()


def _read(reader: Reader, progress: Progress | None) -> SourceResult:
    from stateward.sources.kube.client import ApiFailure

    result = SourceResult(errors=list(reader.errors), complete=not reader.errors)
    for done, kind in enumerate(reader.kinds, 1):
        errors: list[InputError] = []
        try:
            read, _ = reader.list_kind(kind, errors, lambda resource: resource)
        except ApiFailure as exc:
            result.errors.append(reader.failure(kind, exc))
            result.complete = False
        else:
            result.resources.extend(read)
            result.errors.extend(errors)
        if progress is not None:
            progress(done, len(reader.kinds))
    return result


register(KubeSource())
