"""What a service is, as its clients reach it: ``MONGO_HOST=user-db:27017`` says ``user-db`` is a
MongoDB server, whatever its image is called (a custom image built FROM mongo).

A client's variable counts when it names the engine: by URL scheme (``mongodb://``,
``mysql://``, ``postgres://``, ``postgresql://``), or by the engine's IANA-registered port
(27017, 3306, 5432) in a variable named for that engine (``MONGO_…``, ``MYSQL_…``,
``POSTGRES_…``, ``PG…``). As with the server's own ports (:mod:`.knowledge`), the service it
reaches must say "database" in its name (``user-db``, ``orders-database``): proxies and poolers
listen on those ports too. A service whose image already names a family keeps that family.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stateward.analysis.audit.dependencies import resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.rules.data import data_family
from stateward.analysis.audit.workloads import Workload

__all__ = ["learn_reached"]

_SCHEMES = {"mongodb": "mongo", "mongodb+srv": "mongo", "mysql": "mysql", "mariadb": "mariadb",
            "postgres": "postgres", "postgresql": "postgres"}  # fmt: skip
_PORTS = {"27017": "mongo", "3306": "mysql", "5432": "postgres"}
_NAMED = {"mongo": ("MONGO",), "mysql": ("MYSQL", "MARIADB"), "postgres": ("POSTGRES", "PG")}
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+]*)://(?:[^@/\s]*@)?(?P<host>[A-Za-z0-9_.-]+)")
_HOST_PORT = re.compile(r"^(?P<host>[A-Za-z][A-Za-z0-9_.-]*):(?P<port>\d{2,5})$")
_DATABASE_WORDS = frozenset({"db", "database"})


def learn_reached(estate: Estate) -> None:
    """Mark each unnamed database server with the family its clients reach it as."""
    found: dict[str, tuple[str, str]] = {}
    for client in estate.workloads:
        for container in client.all_containers():
            for name, value in container.env.items():
                family, host = _engine(name, value.strip())
                for target in resolve_host(host, client, estate) if family else []:
                    found.setdefault(target.id, (family, f"{client.name}: env {name}"))
    for position, workload in enumerate(estate.workloads):
        if workload.id in found and _unnamed_database(workload):
            primary = workload.primary
            containers = tuple(
                replace(c, reached_as=found[workload.id]) if c is primary else c
                for c in workload.containers
            )
            estate.workloads[position] = replace(workload, containers=containers)


def _engine(name: str, value: str) -> tuple[str, str]:
    """(family, host) a variable says it reaches; ("", "") when it names no engine."""
    url = _URL.match(value)
    if url:
        return _SCHEMES.get(url.group("scheme").lower(), ""), url.group("host").lower()
    pair = _HOST_PORT.match(value)
    family = _PORTS.get(pair.group("port"), "") if pair else ""
    if pair and family and name.upper().startswith(_NAMED[family]):
        return family, pair.group("host").lower()
    return "", ""


def _unnamed_database(workload: Workload) -> bool:
    primary = workload.primary
    if primary is None or data_family(workload, primary) is not None:
        return False
    words = set(image_words(workload.name)) | set(image_words(primary.image))
    return bool(words & _DATABASE_WORDS)
