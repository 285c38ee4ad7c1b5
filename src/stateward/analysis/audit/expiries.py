"""A client that gives everything it writes into a key-value store a time to live.

A client whose own settings give every key it writes an expiry, by a variable named for the
store as the variable that addresses it is (``REDIS_URL`` and ``REDIS_TTL``), keeps there only
what it may lose at any moment and fetches again: a cache. Quetre sets each response it keeps
in Redis with ``'EX', ttl``, ``ttl`` read from ``REDIS_TTL`` (default 3600 s), and reads Redis
only through that wrapper
(https://github.com/zyachel/quetre/blob/10eea0830511d0e914a255a05904ab18265e46e6/utils/getOrSetCache.js).
A time to live named for something more (``REDIS_SESSION_TTL``, ``REDIS_JOB_TTL``) covers only
that part of what the client keeps, and a value of ``0`` or below asks for none: neither says
what the store is.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.workloads import Container

__all__ = ["expiring_use"]

# The words that name an address (``REDIS_URL``, ``REDIS_HOST``): what is left is the store's
# prefix, which its time to live shares.
_ADDRESS = re.compile(r"_(URL|URI|HOST|HOSTNAME|ADDR|ADDRESS|SERVER|DSN|ENDPOINT)$", re.IGNORECASE)
_EXPIRY = r"_(DEFAULT_)?(TTL|EXPIRE|EXPIRES|EXPIRY|EXPIRATION)(_(S|SEC|SECS|SECONDS|MS|MINUTES))?"
_NONE = re.compile(r"^\s*(-\d+|0+)?\s*$")


def expiring_use(container: Container, variable: str) -> str:
    """Why what the container writes into the store its ``variable`` addresses expires ('' when
    its settings do not say so)."""
    prefix = _ADDRESS.sub("", variable)
    if prefix == variable or not prefix:
        return ""
    expiry = re.compile(rf"^{re.escape(prefix)}{_EXPIRY}$", re.IGNORECASE)
    for name, value in container.env.items():
        if expiry.match(name) and not _NONE.match(value):
            return f"{name}={value.strip()}: every key it writes there expires"
    return ""
