"""An application that signs its users' sessions and keeps them in a shared key-value store.

A variable handing a program the secret it signs its session cookies with says that its users
sign in: express-session's ``secret`` is "used to sign the session ID cookie"
(https://github.com/expressjs/session#secret), and Rack's cookie and memcached session
middlewares take a ``secret`` the same way, conventionally given as ``SESSION_SECRET`` (or
``SESSION_KEY``). Such an application that reaches a key-value store keeps its sessions there
when that store is the only one it has (:mod:`.caching`), and then any of its pods can serve any
client: pinning a client to one pod keeps nothing a replacement loses (:mod:`.rules.routing`).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["session_store", "signs_sessions"]

_SESSION_SECRET = re.compile(r"(^|_)SESSION_(SECRET|KEY)$")


def signs_sessions(workload: Workload) -> bool:
    """The workload is handed a session secret (a literal value or one from a Secret)."""
    return any(
        _SESSION_SECRET.search(name)
        for container in workload.containers
        for name in container.env_names | set(container.env)
    )


def session_store(workload: Workload, estate: Estate) -> str:
    """The one key-value store a workload that signs sessions reaches ('' when it signs none or
    reaches none, or several: which holds the sessions is then unknown)."""
    if not signs_sessions(workload):
        return ""
    reached = [
        store
        for store in estate.in_namespace(workload.namespace)
        if any(c.name == workload.name for c in estate.kv_clients.get(store.id, []))
    ]
    return reached[0].name if len(reached) == 1 else ""
