"""Custom resources whose claims hold what is filled again from elsewhere: a warm-up, not data.

Three classes, read from the spec whatever the operator:

- A Redis-family store configured inline as an evicting cache: ``maxmemory-policy allkeys-lru``
  (or any ``allkeys-``/``volatile-`` policy) under a memory limit lets the store drop any key
  under pressure, so its clients can keep nothing there they cannot compute again ("the
  allkeys-lru policy ... when you expect that a subset of elements will be accessed far more
  often than the rest", https://redis.io/docs/latest/develop/reference/eviction/), even with an
  append-only file under an ``allkeys-`` policy (:func:`evicting_despite_file`); ``maxmemory
  0`` is no limit, under which no policy ever runs. Krestomatio's KeyDB operator passes
  ``keydbExtraConfig`` into ``keydb.conf`` as written
  (https://github.com/krestomatio/keydb-operator/blob/5e846223c0b93b024166bdcb8f12de1410fbf424/config/samples/keydb_v1alpha1_keydb.yaml).
  The same directives given as the keys of a map are read alike: valkey-io's operator passes a
  ValkeyCluster's ``config`` ("Additional Valkey configuration parameters",
  ``map[string]string``) to its nodes
  (https://github.com/valkey-io/valkey-operator/blob/c33988f58364d6850380cabd926871d5f39d6c45/api/v1alpha1/valkeycluster_types.go).
  The same settings on a Compose or pod command are read by :mod:`.caching`.
- A blockchain node: a kind named for a node (``CosmosFullNode``, ``ChiaNode``) whose spec names
  the chain it follows (a chain ID, a genesis or snapshot URL, a ``testnet`` switch, a
  ``network`` of ``mainnet``/``testnet…``) keeps a copy of that chain, downloaded again from its
  peers when lost. Strangelove's cosmos-operator restores a node from ``spec.chain.snapshotURL``
  and syncs it from ``peers``/``seeds``
  (https://github.com/strangelove-ventures/cosmos-operator/blob/d67dcdcb2c2b1794f83e4205391a7502c61f49fc/config/samples/cosmos_v1_cosmosfullnode.yaml);
  chia-operator's ChiaNode keeps the blockchain database in ``CHIA_ROOT``, which its optional
  ``chia-db-pull`` init container fills from a bucket "to dramatically reduce sync time for
  fresh nodes"
  (https://github.com/Chia-Network/chia-operator/blob/027292e827308f03460cdf278f56c6dadc5c1ffa/docs/chianode.md).
  Kotal's nodes are read the same way by their family (:mod:`.operator_catalog`). A node that
  signs for the chain (a validator) keeps what it has signed, which no peer refills: a kind or
  ``type`` naming a validator is not read so.
- A cache of what it pulls: a kind named for a cache whose spec names the ``source`` it is
  filled from. NVIDIA's ``NIMCache`` pulls a model's files from NGC
  (``source: {ngc: {modelPuller: …}}``) onto its claim, from which the NIM services that name
  it read them (https://github.com/NVIDIA/k8s-nim-operator/blob/f63f74d7ad22eaea7943cc640e545f4ccdbb8077/config/samples/nim/pipelines/rag/nimcache-llm.yaml);
  lost, the model is pulled again.
- A model cache: a spec whose pods' environment puts the Hugging Face cache
  (``HF_HOME``, "where ``huggingface_hub`` will locally store data ... your token and the
  cache", or ``HF_HUB_CACHE``, "where repositories from the Hub will be cached locally (models,
  datasets and spaces)",
  https://github.com/huggingface/huggingface_hub/blob/64d4f60f05455f10b9c2adce72aa071d4268e0a8/docs/source/en/package_reference/environment_variables.md)
  at a directory its storage is mounted at or under (the vLLM production stack's
  ``VLLMRuntime``: ``storageConfig.mountPath: /data`` and ``HF_HOME=/data``): the claim holds
  model weights downloaded again from the Hub (the token a server is given comes from its
  environment, not from that folder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_map, is_map
from stateward.model.resource import Resource

__all__ = ["evicting", "evicting_despite_file", "redis_settings", "refilled"]

_DIRECTIVE = re.compile(
    r"^\s*(appendonly|save|maxmemory-policy|maxmemory)\s+(.*?)\s*$", re.M | re.I
)
# ``maxmemory 0`` is no limit (the default on 64-bit systems), under which no eviction policy
# ever runs (https://redis.io/docs/latest/develop/reference/eviction/).
_NO_LIMIT = re.compile(r"^0+\s*([kmg]b?)?$", re.I)


def redis_settings(text: str) -> dict[str, str]:
    """The persistence and eviction directives of a ``redis.conf`` text (lower-case keys)."""
    return {m.group(1).lower(): m.group(2) for m in _DIRECTIVE.finditer(text)}


def evicting(settings: Mapping[str, str]) -> str:
    """Why a store is an evicting cache by its settings ("" when it is not)."""
    policy = settings.get("maxmemory-policy", "")
    unlimited = bool(_NO_LIMIT.match(settings.get("maxmemory", "").strip("\"'")))
    if policy.startswith(("allkeys-", "volatile-")) and not unlimited:
        return f"an evicting cache (maxmemory-policy {policy})"
    return ""


def evicting_despite_file(settings: Mapping[str, str]) -> str:
    """:func:`evicting`, unless an append-only file keeps keys the policy never drops: an
    ``allkeys-`` policy ("Evict any key", https://redis.io/docs/latest/develop/reference/eviction/)
    may drop whatever a client writes, so the file only keeps the cache warm; a ``volatile-``
    one drops only keys given an expiry, and the file keeps the others."""
    reason = evicting(settings)
    if settings.get("maxmemory-policy", "").startswith("allkeys-"):
        return reason
    return "" if settings.get("appendonly", "no").lower() == "yes" else reason


def refilled(resource: Resource) -> str:
    """Why a custom resource's claims hold only what is filled again ("" for anything else)."""
    spec = as_map(resource.body.get("spec"))
    return (
        _configured_cache(spec)
        or _chain_copy(resource.key.kind, spec)
        or _pulled_cache(resource.key.kind, spec)
        or _model_cache(spec)
    )


# ``NIMCache``, ``ModelCache``: the kind's last word; a bare ``Cache`` is a product's own store
# (Infinispan's caches are its records).
_CACHE_KIND = re.compile(r"[a-z0-9A-Z]Cache$")


def _pulled_cache(kind: str, spec: Mapping[str, Any]) -> str:
    source = spec.get("source")
    if _CACHE_KIND.search(kind) and is_map(source) and source:
        return f"a cache of what it pulls from its source ({', '.join(map(str, source))}), pulled again"
    return ""


def _configured_cache(spec: Mapping[str, Any]) -> str:
    written = [redis_settings(text) for text in _texts(spec, 0)]
    for settings in [*written, *_setting_maps(spec, 0)]:
        if reason := evicting_despite_file(settings):
            return reason
    return ""


def _setting_maps(node: Mapping[str, Any], depth: int) -> Iterator[dict[str, str]]:
    """The mappings of a spec that hold a store's directives as keys (``config: {maxmemory:
    50mb, maxmemory-policy: allkeys-lfu}``), a few levels down."""
    if isinstance(node.get("maxmemory-policy"), str):
        yield {str(k): str(v) for k, v in node.items() if isinstance(v, str | int)}
    for value in list(node.values())[:64]:
        if is_map(value) and depth < _DEPTH:
            yield from _setting_maps(value, depth + 1)


_DEPTH = 3
_MOST = 16


def _texts(node: Mapping[str, Any], depth: int) -> Iterator[str]:
    """The multi-line strings of a spec (a configuration written inline), a few levels down."""
    for value in list(node.values())[:64]:
        if isinstance(value, str) and "\n" in value.strip():
            yield value
        elif is_map(value) and depth < _DEPTH:
            yield from _texts(value, depth + 1)


_HUB_CACHES = frozenset({"HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"})


def _model_cache(spec: Mapping[str, Any]) -> str:
    caches = {
        v.rstrip("/") for n, v in _env_pairs(spec, 0) if n in _HUB_CACHES and v.startswith("/")
    }
    mounts = [m.rstrip("/") or "/" for m in _mount_paths(spec, 0)]
    if caches and mounts and all(any(at_or_under(m, c) for c in caches) for m in mounts):
        return "model weights in the Hugging Face cache (HF_HOME), downloaded again from the Hub"
    return ""


def _env_pairs(node: Mapping[str, Any], depth: int) -> Iterator[tuple[str, str]]:
    """``{name, value}`` pairs of the ``env`` lists in a spec, a few levels down."""
    for key, value in list(node.items())[:64]:
        if key == "env" and isinstance(value, list):
            for item in value[:_MOST]:
                if is_map(item) and isinstance(item.get("value"), str):
                    yield str(item.get("name")), item["value"]
        elif is_map(value) and depth < _DEPTH:
            yield from _env_pairs(value, depth + 1)


def _mount_paths(node: Mapping[str, Any], depth: int) -> Iterator[str]:
    """The ``mountPath`` strings of a spec's storage, a few levels down."""
    for key, value in list(node.items())[:64]:
        if key == "mountPath" and isinstance(value, str) and value.startswith("/"):
            yield value
        elif is_map(value) and depth < _DEPTH:
            yield from _mount_paths(value, depth + 1)


_NODE_KIND = re.compile(r"[a-z]Node$")
_CHAIN_FIELDS = frozenset({
    "chainID", "chainId", "genesisURL", "genesisUrl", "snapshotURL", "snapshotUrl",
})  # fmt: skip
_NETWORK = re.compile(r"^(mainnet|testnet)", re.IGNORECASE)
_VALIDATOR = re.compile(r"validator", re.IGNORECASE)


def _chain_copy(kind: str, spec: Mapping[str, Any]) -> str:
    if not _NODE_KIND.search(kind) or _VALIDATOR.search(kind):
        return ""
    if _VALIDATOR.search(str(spec.get("type") or "")):
        return ""
    if field := _names_a_chain(spec, 0):
        return f"a copy of the chain its spec names ({field}), synced again from its peers"
    return ""


def _names_a_chain(node: Mapping[str, Any], depth: int) -> str:
    for key, value in list(node.items())[:64]:
        key = str(key)
        if key in _CHAIN_FIELDS and isinstance(value, str) and value:
            return key
        if key == "testnet" and value is True:
            return key
        if key == "network" and isinstance(value, str) and _NETWORK.match(value):
            return f"network {value}"
        if is_map(value) and depth < _DEPTH and (found := _names_a_chain(value, depth + 1)):
            return found
    return ""
