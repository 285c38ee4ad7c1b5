"""Whether a key-value store is a cache: its content rebuilt by warm-up, not data lost.

Memcached persists nothing (https://github.com/memcached/memcached/wiki/Overview). Redis and its
forks (Valkey, KeyDB) persist only as configured, on the command line (``--appendonly yes``,
``--save 60 1``) or in a ``redis.conf`` (``appendonly yes``, ``save 900 1``; ``save ""`` turns
snapshots off): https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/. A
store with no persistence configured and no durable volume at its data directory is used as a
cache, and an eviction policy (``--maxmemory-policy allkeys-lru``) says so outright. Bitnami's
images turn the append-only file on by default (``REDIS_AOF_ENABLED``, default ``yes``:
https://github.com/bitnami/containers/tree/main/bitnami/redis), and a configuration file the
estate does not hold may configure anything: neither is taken for a cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import DataImage
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["cache_reason"]

_REDIS_FAMILY = frozenset({"redis", "valkey", "keydb"})
_DIRECTIVE = re.compile(r"^\s*(appendonly|save|maxmemory-policy)\s+(.*?)\s*$", re.M | re.I)
_EMPTY = frozenset({'""', "''", ""})


def cache_reason(
    workload: Workload, container: Container, family: DataImage, estate: Estate
) -> str:
    """Why the store holds only a cache ('' when it may hold data)."""
    if family.name == "memcached":
        return "memcached keeps its items in memory only"
    if family.name not in _REDIS_FAMILY or "bitnami" in container.image.lower():
        return ""
    settings = dict(_command_settings(container.command))
    files = [text for _, text, _ in config_files(workload, container, estate)]
    for text in files:
        settings.update((m.group(1).lower(), m.group(2)) for m in _DIRECTIVE.finditer(text))
    if _config_file_named(container.command) and not files:
        return ""
    if settings.get("appendonly", "no").lower() == "yes":
        return ""
    if settings.get("save", "") not in _EMPTY:
        return ""
    policy = settings.get("maxmemory-policy", "")
    if policy.startswith(("allkeys-", "volatile-")):
        return f"an evicting cache (maxmemory-policy {policy}), no persistence configured"
    return "no persistence configured (no appendonly, no save)"


def _command_settings(words: list[str]) -> Iterator[tuple[str, str]]:
    """``--name value …`` pairs of a redis-server command line."""
    for i, word in enumerate(words):
        if word.startswith("--"):
            values = []
            for following in words[i + 1 :]:
                if following.startswith("--"):
                    break
                values.append(following)
            yield word[2:].lower(), " ".join(values)


def _config_file_named(words: list[str]) -> bool:
    return any(w.endswith(".conf") for w in words)
