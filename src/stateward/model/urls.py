"""URLs that carry credentials (RFC 3986 §3.2.1 userinfo, query parameters, JDBC URLs).

JDBC URLs put a sub-protocol before the authority (``jdbc:mysql://app:pw@db/app``), and
PostgreSQL's and SQL Server's drivers take the password as a parameter
(``jdbc:postgresql://db/app?user=app&password=pw``, ``;password=pw``):
https://jdbc.postgresql.org/documentation/use/#connection-parameters
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stateward.model.detection import secret_name

__all__ = ["credential_url", "has_password", "url_parts"]

_JDBC = "jdbc:"
# scheme://user:password@ — the user may be empty (``redis://:pw@redis:6379``).
_USERINFO = re.compile(r"^(?:jdbc:)?[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:jdbc:)?[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_PARAMETER = re.compile(r"[?&;]([^=&;#\s]+)=[^&;#\s]")


def has_password(value: str) -> bool:
    """True for a URL with a password in its user part."""
    return "@" in value and _USERINFO.match(value) is not None


def credential_url(value: str) -> bool:
    """True for a URL that carries a password, in its user part or as a parameter."""
    if not _SCHEME.match(value):
        return False
    return has_password(value) or any(secret_name(m[1]) for m in _PARAMETER.finditer(value))


def url_parts(value: str) -> tuple[str, str, str] | None:
    """(scheme, host[:port], path) of an absolute URL, None for anything else; a JDBC URL's
    scheme keeps its ``jdbc:`` prefix."""
    prefix = _JDBC if value[: len(_JDBC)].lower() == _JDBC else ""
    try:
        url = urlsplit(value[len(prefix) :])
        host, port = url.hostname, url.port
    except ValueError:
        return None
    if not url.scheme or not host:
        return None
    where = f"{host}:{port}" if port else host
    return prefix + url.scheme, where, url.path.partition(";")[0]
