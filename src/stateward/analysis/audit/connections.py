"""Custom resources that act on a database through the connection URL their spec gives it.

A schema or migration controller's resource declares what to apply to a database and names that
database by a connection URL: the Atlas operator's ``AtlasSchema`` and ``AtlasMigration`` by
``url`` ("URL of the target database schema") or ``urlFrom: {secretKeyRef: {name, key}}``
("URLs may be defined as a secret key reference",
https://github.com/ariga/atlas-operator/blob/07436e930de3ffd5a2a26489902adaab0c5e78fb/api/v1alpha1/target.go);
SchemaHero's ``Database`` by ``connection: {postgres: {uri: {value: postgres://…}}}``, one
driver's connection of ``DatabaseConnection``, each a value given inline or ``valueFrom`` a
Secret (https://github.com/schemahero/schemahero/blob/3071a5f23982cdd999a0e3ce4f8284a3915b88fb/pkg/apis/databases/v1alpha4/database_types.go).
Such a resource holds nothing of the database: what it applies is applied again from it. It is
a component for what it acts on (its edge, where the URL's host is a Service of the estate, is
read with the spec's other addresses), as a backup request or a database user is.

Read, to four levels of the spec: a field named for a URL (``url``, ``uri``, ``dsn``) holding a
URL of a database's scheme, inline or as ``{value: …}``, or taking it from a Secret's key
(``{valueFrom: {secretKeyRef: …}}``, ``urlFrom: {secretKeyRef: …}``). A URL of another scheme
(a webhook's ``https://``) or a Secret under a field named for something else says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import as_map

__all__ = ["acts_on_a_database"]

_URL_FIELD = re.compile(r"(url|uri|dsn)$", re.IGNORECASE)
_FROM_FIELD = re.compile(r"(url|uri|dsn)From$", re.IGNORECASE)
# The URL schemes of database servers' clients (libpq's ``postgresql://``/``postgres://``,
# https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS; MongoDB's
# ``mongodb://``/``mongodb+srv://``, https://www.mongodb.com/docs/manual/reference/connection-string/;
# and those of MySQL, MariaDB, SQL Server, ClickHouse, CockroachDB and Redis).
_DATABASE_URL = re.compile(
    r"^(postgres|postgresql|mysql|mariadb|mongodb|mongodb\+srv|sqlserver|clickhouse"
    r"|cockroachdb|redis|rediss)://",
    re.IGNORECASE,
)
_DEPTH = 4


def acts_on_a_database(body: Mapping[str, Any]) -> bool:
    """True when the spec gives the connection URL of a database it acts on (inline, as
    ``{value: …}``, or from a Secret's key)."""
    return _connects(as_map(body.get("spec")), 0)


def _connects(node: Mapping[str, Any], depth: int) -> bool:
    for key, value in node.items():
        field = str(key)
        if _URL_FIELD.search(field) and _database_url(value):
            return True
        if _FROM_FIELD.search(field) and _from_secret(value):
            return True
        if depth < _DEPTH and isinstance(value, Mapping) and _connects(value, depth + 1):
            return True
    return False


def _database_url(value: Any) -> bool:
    """A URL of a database's scheme, inline or ``{value: …}``, or ``{valueFrom: {secretKeyRef}}``."""
    if isinstance(value, Mapping):
        return _database_url(value.get("value")) or _from_secret(value.get("valueFrom"))
    return isinstance(value, str) and _DATABASE_URL.match(value.strip()) is not None


def _from_secret(value: Any) -> bool:
    """``{secretKeyRef: {name: s, key: k}}``: the URL is a Secret's key."""
    ref = as_map(as_map(value).get("secretKeyRef"))
    return bool(ref.get("name")) and bool(ref.get("key"))
