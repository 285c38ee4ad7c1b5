"""Source ``host``: a long-lived machine — services, packages, accounts, cron, kernel modules,
listening sockets, sysctl — and the file trees its ``host:`` rules name (file integrity).

``host://`` is this machine; ``host:///mnt/image`` reads a tree mounted there as a machine's
root (its /proc facts, which belong to the running kernel, are then left out);
``ssh://user@host[:port]`` runs the same probe on another machine over SSH.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.host.options import HostOptions
from stateward.sources.host.resources import file_findings, host_resources
from stateward.sources.host.transport import parse_ssh, run_local, run_ssh
from stateward.sources.interface import Progress, SourceResult, register

__all__ = ["HostSource", "SCHEMES"]

SCHEMES = ("host://", "ssh://")


@dataclass(slots=True)
class HostSource:
    """Reads one host: its system facts, and the file trees ``options`` name."""

    name: str = "host"
    options: HostOptions | None = None
    """None: the system facts only, no file tree."""
    environ: Mapping[str, str] | None = field(default=None, repr=False)
    """Where ``STATEWARD_SSH_KEY`` and ``STATEWARD_SSH_KNOWN_HOSTS`` are looked up."""

    def accepts(self, location: str) -> bool:
        """True for ``host://`` and ``ssh://`` locations."""
        return location.startswith(SCHEMES)

    def using(self, options: HostOptions) -> HostSource:
        """This source with ``options`` (``observe`` passes those of ./stateward.yaml)."""
        return replace(self, options=options)

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Every resource of the host; unreadable files are findings, never errors."""
        options = self.options if self.options is not None else HostOptions()
        request = {**options.request(), **_target(location)}
        if location.startswith("ssh://"):
            facts = run_ssh(parse_ssh(location), request, self.environ)
        else:
            facts = run_local(request)
        where = location.rstrip("/") if location.startswith("ssh://") else location
        result = SourceResult(resources=host_resources(facts, where, keeper, options.known))
        # what the system part could not read (no dpkg database) is reported like a file
        problems = facts["files"]["problems"] + facts.get("problems", [])
        result.findings = file_findings(problems, facts["files"]["stats"], where, options.rehash)
        if progress:
            progress(1, 1)
        return result


def _target(location: str) -> dict[str, str]:
    if location.startswith("ssh://"):
        return {"root": "/"}
    root = location.removeprefix("host://") or "/"
    if not os.path.isdir(root):
        raise SourceError(f"{root} is not a directory", remedy="Give host:// or host:///PATH.")
    return {"root": root}


register(HostSource())
