"""Data systems an operator runs beside the program its custom resource names.

An application's operator often deploys the application's database too, unless told to use an
external one: the AWX operator runs a PostgreSQL StatefulSet on an 8Gi claim when its ``AWX``
has no ``postgres_configuration_secret``
(https://github.com/ansible/awx-operator/blob/01fe816fe815901a779870f15e41f2e001827a63/roles/installer/defaults/main.yml),
and its spec tunes that member by fields named for it (``postgres_storage_class``,
``postgres_resource_requirements``, ``postgres_image``). The kind names no data system; the
spec's field names do. Read in general terms:

- a top-level spec field whose first word names a durable data family (``postgres``,
  ``mysql``, ``mongodb``; ``database`` or ``db``) and whose other words tune a member the
  operator runs (storage, volume, resources, image, version, replicas, data path), or a mapping
  named for the family alone (``postgresql: {}``, ``database: {storageSize: 50Gi}``), says that
  the operator runs that system for the resource;
- a field of the same family that points elsewhere (a host, URL, endpoint, connection or
  configuration Secret, ``external``) or turns it off (``enabled: false``, ``managed: false``)
  says the data is kept outside: nothing is read as held then, and the address makes its edge;
  a switch for an external one turned off (``externalDatabase: {enabled: false}``) says the
  operator runs its own, and so does a switch for a local one turned on, whatever login it is
  given (``database: {enableLocalDb: true, authSecretName: s}``).

A mapping named for the system and ``instance`` describes the instance the operator
provisions: Nutanix's NDB operator provisions a ``Database``'s ``databaseInstance`` (engine
``type``, ``size`` "Size of the database instance, minimum 10 (GBs)", ``databaseNames``) and
deprovisions it when the resource is deleted
(https://github.com/nutanix-cloud-native/ndb-operator/blob/d0d85c498328a833ad2849a5961437172809bc05/api/v1alpha1/database_types.go,
README.md at the same commit). The same name given a string (OpenStack's operators'
``databaseInstance: openstack``) names a database server run elsewhere.

A host field under a node named for a data system (``database: {host: pg}``, ``redisConfig:
{hosts: [r]}``) addresses the store the resource's program uses: the resource is a component
for that edge, holding nothing itself (a bare ``host`` may be a name it answers to).

A spec that carries the system's configuration file by its file name (``postgresql.conf``,
``my.cnf``, ``pgbouncer.ini``) is a configuration a cluster refers to, not a member: its
version field says which engine version the settings are for. StackGres' SGPostgresConfig is
``postgresVersion`` ("The major Postgres version the configuration is for") beside
``postgresql.conf``, and an SGCluster names it in spec.configurations.sgPostgresConfig
(https://stackgres.io/doc/latest/reference/crd/sgpgconfig/). A version field alone beside
such a file runs nothing; a field tuning storage, image or replicas still does.

Caches (Redis as a socket cache, Memcached) hold nothing a replacement loses and are not read
as managed members.
Where the operator keeps the member's data is its default: a claim of the size the fields give,
or of unknown size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from stateward.analysis.audit.custom import camel_words, spec_hosts
from stateward.analysis.audit.data_systems import word_family
from stateward.analysis.audit.workloads import Storage
from stateward.model.kubernetes import as_map, dig

__all__ = ["addresses_a_store", "managed_systems"]

# Words of a field that tune a member the operator runs (``postgres_storage_class``,
# ``postgresResources``, ``postgres_image_version``, ``postgres_data_path``) ...
_MEMBER_WORDS = frozenset({
    "storage", "class", "persistence", "volume", "pvc", "size", "resource", "resources",
    "requirements", "image", "version", "replicas", "data", "tolerations", "affinity",
})  # fmt: skip
# ... and words of one that points at a system kept elsewhere, or names a peer or a login.
_ELSEWHERE_WORDS = frozenset({
    "host", "hosts", "url", "uri", "address", "endpoint", "endpoints", "external", "configuration",
    "connection", "dsn", "secret", "credentials", "cluster", "ref", "reference", "name", "user",
    "username", "password", "port",
})  # fmt: skip
# Switches inside a mapping named for the system that say it is not the operator's to run.
_OFF = (("enabled", False), ("managed", False), ("external", True))
# Words of a switch that says the operator runs the system itself, whatever login it is given
# (the Backstage operator's ``database: {enableLocalDb: true, authSecretName: s}``, "the local
# database with credentials from an existing Secret",
# https://github.com/redhat-developer/rhdh-operator/blob/c0cb1c92235d2aced931044c3c732156635f77f1/examples/bs-existing-secret.yaml).
_LOCAL_WORDS = frozenset({"local", "managed", "internal", "embedded", "bundled"})
_GENERIC = {"database": "database", "db": "database"}
_SIZE = re.compile(r"^\d+(\.\d+)?([KMGTPE]i?)$")
_CONFIG_FILE = re.compile(r"\.(conf|cnf|ini)$")


@cache
def _system(word: str) -> tuple[str, str] | None:
    """The durable data family a field's first word names (no cache), with its role."""
    if word in _GENERIC:
        return word, _GENERIC[word]
    family = word_family(word)
    return family if family and "cache" not in family[1] else None


def managed_systems(body: Mapping[str, Any]) -> list[Storage]:
    """The data systems the operator runs for this resource, read from its spec's field names
    (none when the spec names none, or points each one elsewhere)."""
    spec = as_map(body.get("spec"))
    run: dict[tuple[str, str], list[str]] = {}
    elsewhere: set[tuple[str, str]] = set()
    for key, value in spec.items():
        words = camel_words(str(key))
        external = len(words) > 1 and words[0] == "external"
        words = words[1:] if external else words
        system = _system(words[0]) if words else None
        if system is None:
            continue
        rest = set(words[1:])
        if not rest and system[1] == "metrics" and _scraped(value):
            continue  # how the system scrapes the resource's own pods: it runs none
        if external and _switched_off(value):  # ``externalDatabase: {enabled: false}``
            run.setdefault(system, []).append(str(key))
        elif rest == {"instance"} and isinstance(value, Mapping):
            run.setdefault(system, []).append(str(key))  # the instance described, not named
        elif external or rest & _ELSEWHERE_WORDS or _points_elsewhere(value, not rest):
            elsewhere.add(system)
        elif rest == {"version"} and _configuration(spec):
            continue  # the engine version a configuration's settings are for
        elif rest & _MEMBER_WORDS or (not rest and isinstance(value, Mapping)):
            run.setdefault(system, []).append(str(key))
    for path, system in _deployed_below(spec):
        run.setdefault(system, []).append(path)
    return [
        _storage(system[0], keys, spec)
        for system, keys in run.items()
        if not any(_same(system, other) for other in elsewhere)
    ]


# A switch telling the operator to deploy the member itself, one level below a node grouping
# what the resource needs: the Data Science Pipelines operator's ``objectStorage: {minio:
# {deploy: true, image: …}}`` ("Enable DS Pipelines Operator management of Minio. Setting Deploy
# to false disables operator reconciliation", on a claim of ``pvcSize``, "Default: 10Gi",
# https://github.com/opendatahub-io/data-science-pipelines-operator/blob/5e01e73f08558c70f5bcf899c540cf3dc1bd8322/api/v1/dspipeline_types.go).
_DEPLOY_WORDS = frozenset({"deploy", "install", "provision"})


def _deployed_below(spec: Mapping[str, Any]) -> list[tuple[str, tuple[str, str]]]:
    """(``node/system``, system) for each mapping named for a durable data system alone, under
    a top-level node not itself named for one, whose deploy switch is on."""
    found = []
    for key, value in spec.items():
        if not isinstance(value, Mapping) or _system(next(iter(camel_words(str(key))), "")):
            continue
        for inner, node in value.items():
            words = camel_words(str(inner))
            system = _system(words[0]) if len(words) == 1 else None
            switch = [
                v for k, v in as_map(node).items() if set(camel_words(str(k))) & _DEPLOY_WORDS
            ]
            if system is not None and switch and all(v is True for v in switch):
                found.append((f"{key}/{inner}", system))
    return found


def _configuration(spec: Mapping[str, Any]) -> bool:
    """The spec carries a configuration file by its name (``postgresql.conf``)."""
    return any(_CONFIG_FILE.search(str(key)) for key in spec)


def _same(one: tuple[str, str], other: tuple[str, str]) -> bool:
    """One system, or a database and the generic word for one (``externalDatabase`` beside
    ``postgres_image``)."""
    generic = {one[0], other[0]} & set(_GENERIC)
    return one[0] == other[0] or (bool(generic) and one[1] == other[1] == "database")


# A mapping named for a metrics system that only says where and whether it scrapes the
# resource's own pods: Naiserator's ``prometheus: {enabled: …, path: /metrics}`` ("if true the
# pod will be scraped for metrics by prometheus", "Path to prometheus-metrics":
# https://github.com/nais/naiserator/blob/0032c9bafb341d3b54f39dc709bdf0c213eef89f/examples/nais-max.yaml);
# KusionStack's ``prometheus: {path, port}``, "The path to scrape metrics from"
# (https://kusionstack.github.io/docs/reference/modules/developer-schemas/monitoring/prometheus).
_SCRAPE_WORDS = frozenset({"enabled", "path", "port", "interval", "timeout", "scrape", "scheme"})


def _scraped(value: Any) -> bool:
    node = as_map(value)
    return bool(node) and all(set(camel_words(str(k))) <= _SCRAPE_WORDS for k in node)


def _switched_off(value: Any) -> bool:
    return value is False or as_map(value).get("enabled") is False


def _points_elsewhere(value: Any, whole: bool) -> bool:
    """A mapping named for the system alone that addresses it, or switches it off."""
    node = as_map(value) if whole else {}
    if any(v is True and set(camel_words(str(k))) & _LOCAL_WORDS for k, v in node.items()):
        return False  # ``database: {enableLocalDb: true, authSecretName: s}``: its own
    if any(node.get(k) is v for k, v in _OFF):
        return True
    return any(set(camel_words(str(k))) & _ELSEWHERE_WORDS for k in node)


def _storage(name: str, keys: list[str], spec: Mapping[str, Any]) -> Storage:
    size = next((s for k in keys for s in _sizes(dig(spec, *k.split("/")))), None)
    where = f"/spec/{keys[0]}"
    text = f"a {name} the operator runs (fields {', '.join(keys)})"
    if size is None:
        return Storage(where, {}, f"{text}, on its default storage (unknown)")
    return Storage(where, {"resources": {"requests": {"storage": size}}}, f"{text}, {size}")


def _sizes(value: Any, depth: int = 0) -> list[str]:
    """Byte quantities under a member's storage fields (``requests: {storage: 8Gi}``)."""
    if isinstance(value, str):
        return [value] if _SIZE.match(value) else []
    if not isinstance(value, Mapping) or depth > 3:
        return []
    return [
        s for k, v in value.items()
        if not {"cpu", "memory", "limits"} & set(camel_words(str(k)))
        for s in _sizes(v, depth + 1)
    ]  # fmt: skip


def addresses_a_store(body: Mapping[str, Any]) -> bool:
    """True when a host field under a node named for a data system (``database: {host: pg}``,
    ``redis: {hosts: [r]}``), or named for one itself (``dbHost: pg``, ``redisHosts``),
    addresses an in-cluster Service: the store the resource's program keeps its data in, a
    peer; a bare ``host`` may be a name the resource answers to."""
    for ref in spec_hosts(body):
        *_, parent, field = ["", *ref.where.split(".")]
        *prefix, last = camel_words(field)
        # A field of the spec's own named for the store (``dbHost``); a listed ``{name:
        # redisHost, value: …}`` pair is a parameter handed to the program the resource
        # configures (a Dapr ``Component``'s metadata, loaded by the apps naming it: its
        # edges are theirs, :mod:`.links`).
        own = dig(body, *ref.where.split(".")) is not None
        words = [*camel_words(parent), *(prefix if own else [])]
        if last in ("host", "hosts") and any(map(_store_word, words)):
            return True
    return False


@cache
def _store_word(word: str) -> bool:
    """A word naming a data system, a cache included (a client depends on its cache too)."""
    return word in _GENERIC or word_family(word) is not None
