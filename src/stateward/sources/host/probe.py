"""The probe: what a host holds, read on the observed machine itself with the Python 3 standard
library only. ``host://`` imports it; ``ssh://`` ships :data:`MODULES` as source text to
``python3 -c`` on the target (:mod:`.transport`), where nothing is installed.

It returns raw facts as JSON-ready data. Two kinds of value never leave it: password hashes and
file contents (only digests; a file that holds a private key is flagged so the observer keys
its digest). Values of ``EnvironmentFile``s and ``Environment=`` lines do leave it, over the SSH
channel, and the observer turns the secret-looking ones into keyed digests before anything is
kept.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from stateward.sources.host.system import system
from stateward.sources.host.walk import walk

__all__ = ["MODULES", "collect", "main"]

MODULES = (
    "stateward.sources.host.fsread",
    "stateward.sources.host.walk",
    "stateward.sources.host.units",
    "stateward.sources.host.rpmdb",
    "stateward.sources.host.system",
    "stateward.sources.host.probe",
)
"""The probe's modules in import order: all it needs on a target, standard library aside."""


def collect(request: dict[str, Any]) -> dict[str, Any]:
    """Every fact the request asks for: ``files`` (a file-integrity walk) and, unless
    ``system`` is false, services, packages, accounts, cron, modules, sockets and sysctl."""
    root = request.get("root", "/")
    out: dict[str, Any] = {"files": walk(request, root)}
    if request.get("system", True):
        out.update(system(root))
    return out


def main() -> None:
    """Run on the observed host over SSH: the request is the JSON document on standard input,
    the facts go to standard output."""
    request = json.loads(sys.stdin.read() or "{}")
    json.dump(collect(request), sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
