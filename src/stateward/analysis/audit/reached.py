"""What a service is, as its clients reach it: ``MONGO_HOST=user-db:27017`` says ``user-db`` is a
MongoDB server, whatever its image is called (a custom image built FROM mongo).

A client's variable counts when it names the engine: by URL scheme (``mongodb://``,
``mysql://``, ``postgres://``, ``postgresql://``), or by the engine's IANA-registered port
(27017, 3306, 5432) in a variable named for that engine (``MONGO_…``, ``MYSQL_…``,
``POSTGRES_…``, ``PG…``). A port alone is weak: as with the server's own ports
(:mod:`.knowledge`), the service it reaches must say "database" in its name (``user-db``,
``orders-database``), since proxies and poolers listen on those ports too. A URL scheme names
the protocol outright (``mongodb://documentdb:10260/`` reaches a MongoDB-compatible server on
its own port), so it is enough for a service that is not itself a client of the same engine
(a pooler or router forwards to one) and whose image is not named as such a front
(:func:`~stateward.analysis.audit.knowledge.fronts_a_store`). A service whose image already
names a family keeps that family.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from stateward.analysis.audit.dependencies import (
    BARE_HOST,
    compose_declared,
    config_files,
    config_map_values,
    resolve_host,
)
from stateward.analysis.audit.estate import Estate, KvClient
from stateward.analysis.audit.expiries import expiring_use
from stateward.analysis.audit.knowledge import data_image, fronts_a_store, image_words
from stateward.analysis.audit.laravel_drivers import laravel_defaults_use, laravel_redis_use
from stateward.analysis.audit.rules.data import data_family
from stateward.analysis.audit.search_backends import learn_chosen_indexes
from stateward.analysis.audit.sharing import socket_servers
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.kubernetes import as_list, dig
from stateward.model.secrets import secret_remainder

__all__ = ["learn_reached", "reached_as"]

_SCHEMES = {"mongodb": "mongo", "mongodb+srv": "mongo", "mysql": "mysql", "mariadb": "mariadb",
            "postgres": "postgres", "postgresql": "postgres"}  # fmt: skip
_PORTS = {"27017": "mongo", "3306": "mysql", "5432": "postgres"}
_NAMED = {"mongo": ("MONGO",), "mysql": ("MYSQL", "MARIADB"), "postgres": ("POSTGRES", "PG")}
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+]*)://(?:[^@/\s]*@)?(?P<host>[A-Za-z0-9_.-]+)")
_HOST_PORT = re.compile(r"^(?P<host>[A-Za-z][A-Za-z0-9_.-]*):(?P<port>\d{2,5})$")
_DATABASE_WORDS = frozenset({"db", "database"})


def learn_reached(estate: Estate) -> None:
    """Mark each unnamed database server with the family its clients reach it as, and note
    who reaches each key-value store (``Estate.kv_clients``: what they use it for decides
    whether it is a cache, :mod:`stateward.analysis.audit.caching`), each search engine and any
    database (whether a search engine is an index of its clients' records,
    :func:`stateward.analysis.audit.rules.data.rebuilt_index`)."""
    found: dict[str, tuple[str, str, bool]] = {}
    clients: dict[str, set[str]] = {}
    searches = {w.id for w in estate.workloads if _search_engine(w)}
    for client in estate.workloads:
        for container in client.all_containers():
            # A URL holding a password is read redacted, its host kept
            # (``hmac-sha256:<hex> redis://redis:6379``, :func:`.redact`).
            own = [(name, secret_remainder(v) or v) for name, v in container.env.items()]
            loaded, whole = _loaded_env(client, container, estate)
            # what its Laravel drivers keep in the store, the same whichever variable names it:
            # read once, when a variable first reaches a store
            drivers: str | None = None
            for name, value in _kv_variables(own, loaded):
                for target in _kv_targets(name, value, client, estate):
                    if drivers is None:
                        drivers = laravel_redis_use(container, loaded, whole) or _laravel_defaults(
                            container, loaded, whole
                        )
                    uses = drivers or expiring_use(container, name)
                    use = KvClient(client.name, container.image, name, uses)
                    estate.kv_clients.setdefault(target.id, []).append(use)
            for name, value in own:
                if searches:
                    _note_search(estate, client, name, value, searches)
                family, host, by_scheme = _engine(name, value.strip())
                if family or _storage_backend(name, value.strip(), client, estate):
                    estate.database_clients.add(client.id)
                for target in resolve_host(host, client, estate) if family else []:
                    clients.setdefault(family, set()).add(client.id)
                    evidence = f"{client.name}: env {name}"
                    if not found.get(target.id, ("", "", False))[2]:
                        found[target.id] = (family, evidence, by_scheme)
            for target in _kv_in_files(client, container, estate):
                use = KvClient(client.name, container.image, "")
                estate.kv_clients.setdefault(target.id, []).append(use)
            for flag, target in _kv_in_command(client, container, estate):
                use = KvClient(client.name, container.image, flag)
                estate.kv_clients.setdefault(target.id, []).append(use)
            if client.platform == "kubernetes":
                _from_references(estate, client, container, searches)
        # A Compose service sharing a store's socket directory talks to it through the socket:
        # its client, whose program may say what it keeps there (:func:`.sharing.socket_servers`).
        if (primary := client.primary) is not None:
            for target, _ in socket_servers(client, estate):
                use = KvClient(client.name, primary.image, "")
                estate.kv_clients.setdefault(target.id, []).append(use)
        # A Compose service that declares it needs a search engine is its client too: the
        # engine's URL is often in an ``env_file`` the estate does not hold (``MEILI_HOST``).
        declared = compose_declared(client) if searches and client.platform == "compose" else ()
        for name, _ in declared:
            for target in resolve_host(name.lower(), client, estate):
                _add_search_client(estate, target, client, searches)
    learn_chosen_indexes(estate)
    for position, workload in enumerate(estate.workloads):
        family, evidence, by_scheme = found.get(workload.id, ("", "", False))
        if family and _unnamed_server(workload, by_scheme, workload.id in clients[family]):
            estate.workloads[position] = reached_as(workload, family, evidence)


def reached_as(workload: Workload, family: str, evidence: str) -> Workload:
    """``workload`` with its primary container marked as running ``family``, on ``evidence``
    (what its clients, or the Service in front of it, say it is)."""
    primary = workload.primary
    containers = tuple(
        replace(c, reached_as=(family, evidence)) if c is primary else c
        for c in workload.containers
    )
    return replace(workload, containers=containers)


def _note_search(
    estate: Estate, client: Workload, name: str, value: str, searches: set[str]
) -> None:
    """Note the search engine a variable reaches, and whether it names it as its index."""
    for target in _search_targets(name, value.strip(), client, estate):
        _add_search_client(estate, target, client, searches)
        if _names_an_index(name) and target.id in searches:
            _add_client(estate.index_clients, target, client)


def _from_references(
    estate: Estate, client: Workload, container: Container, searches: set[str]
) -> None:
    """What a Kubernetes container's variables taken from elsewhere say: a search engine's URL
    in a ConfigMap (``configMapKeyRef``, ``envFrom``); a database URL in a Secret, whose host
    the audit never reads but whose variable's name says the client keeps its records in a
    database (``DB_URL``, ``DATABASE_URL``, ``ACCOUNTS_DB_URL``)."""
    if searches:
        for name, value, _ in config_map_values(client, container, estate):
            _note_search(estate, client, name, value, searches)
    for entry in as_list(container.body.get("env")):
        if dig(entry, "valueFrom", "secretKeyRef") and _DATABASE_URL.search(
            str(dig(entry, "name") or "")
        ):
            estate.database_clients.add(client.id)
            return


# A variable holding a database's connection URL by its name: a database word, then URL, URI
# or DSN (``DB_URL``, ``DATABASE_URI``, ``POSTGRES_DSN``, ``MONGO_URL``).
_DATABASE_URL = re.compile(
    r"(^|_)(DB|DATABASE|POSTGRES(QL)?|PG|MYSQL|MARIADB|MONGO(DB)?)_?(URL|URI|DSN)$", re.I
)


def _add_search_client(
    estate: Estate, target: Workload, client: Workload, searches: set[str]
) -> None:
    if target.id in searches:
        _add_client(estate.search_clients, target, client)


def _add_client(clients: dict[str, list[Workload]], target: Workload, client: Workload) -> None:
    known = clients.setdefault(target.id, [])
    if target.id != client.id and all(c.id != client.id for c in known):
        known.append(client)


def _engine(name: str, value: str) -> tuple[str, str, bool]:
    """(family, host, named by URL scheme) a variable says it reaches; family "" when it names
    no engine. A JDBC URL is the driver's URL behind ``jdbc:`` (``jdbc:postgresql://db:5432/x``:
    https://jdbc.postgresql.org/documentation/use/#connecting-to-the-database)."""
    url = _URL.match(value.removeprefix("jdbc:"))
    if url:
        family = _SCHEMES.get(url.group("scheme").lower(), "")
        return family, url.group("host").lower(), True
    pair = _HOST_PORT.match(value)
    family = _PORTS.get(pair.group("port"), "") if pair else ""
    if pair and family and name.upper().startswith(_NAMED[family]):
        return family, pair.group("host").lower(), False
    return "", "", False


# Redis clients: the URL schemes of redis-py/ioredis/Jedis (``redis://``, ``rediss://``), the
# IANA-registered port 6379, or a variable named for the store (``REDIS_HOST=redis``,
# ``CACHE_HOST=kv``).
_KV_SCHEMES = frozenset({"redis", "rediss", "valkey", "valkeys", "redis+sentinel"})
_KV_NAME = re.compile(r"(REDIS|VALKEY|KEYDB|CACHE)", re.IGNORECASE)


def _loaded_env(
    client: Workload, container: Container, estate: Estate
) -> tuple[dict[str, str], bool]:
    """The variables a Kubernetes container takes from the estate's ConfigMaps (``envFrom``,
    ``configMapKeyRef``), and whether its whole environment is read: each map it loads whole is
    in the estate and nothing else (an ``env_file``, a Secret loaded whole) may set one."""
    from_maps = config_map_values(client, container, estate)
    found = {where.partition(": ConfigMap ")[2].split(" ")[0] for _, _, where in from_maps}
    whole = not container.body.get("env_file") and all(
        dig(entry, "configMapRef", "name") in found
        for entry in as_list(container.body.get("envFrom"))
    )
    return {name: value for name, value, _ in from_maps}, whole


def _kv_variables(own: list[tuple[str, str]], loaded: dict[str, str]) -> list[tuple[str, str]]:
    """The variables that may name a key-value store: the container's ``own`` (read redacted),
    then those its ConfigMaps give (``REDIS_HOST: redis`` in the map its ``envFrom`` loads),
    where its own do not set the same name."""
    names = {name for name, _ in own}
    return [(n, v.strip()) for n, v in own] + [
        (n, v.strip()) for n, v in loaded.items() if n not in names
    ]


def _laravel_defaults(container: Container, loaded: dict[str, str], whole: bool) -> str:
    """:func:`.laravel_defaults_use` over every variable the container is given: its own and
    those of the ConfigMaps it loads (:func:`_loaded_env`)."""
    names = container.env_names | set(loaded)
    return laravel_defaults_use(container.image, names, whole)


def _kv_targets(name: str, value: str, client: Workload, estate: Estate) -> list[Workload]:
    url = _URL.match(value)
    pair = _HOST_PORT.match(value)
    if url and url.group("scheme").lower() in _KV_SCHEMES:
        host = url.group("host")
    elif pair and (pair.group("port") == "6379" or _KV_NAME.search(name)):
        host = pair.group("host")
    elif _KV_NAME.search(name) and name.upper().endswith(_HOST_SUFFIXES) and BARE_HOST.match(value):
        host = value
    elif _storage_host(name) and BARE_HOST.match(value):
        # The host of the client's storage backend: it keeps what it stores there, as a
        # database's storage host (below) says. Hastebin's STORAGE_TYPE=memcached with
        # STORAGE_HOST=memcached puts every paste in that memcached (README.md, "Storage";
        # docker-entrypoint.js writes STORAGE_HOST into its storage section:
        # https://github.com/toptal/haste-server/blob/a56763258b9a4a8fd589484351f027599a4f3515/README.md).
        host = value
    else:
        return []
    return resolve_host(host.lower(), client, estate)


_HOST_SUFFIXES = ("HOST", "HOSTNAME", "ADDR", "ADDRESS", "SERVER", "URL")
_KV_URL = re.compile(
    r"(?<![\w+.-])(?:redis|rediss|valkey|valkeys)://(?:[^@/\s]*@)?([A-Za-z0-9_.-]+)"
)

# A YAML section named for the store whose first key is its host, block or flow style:
# Authelia's ``session: {redis: {host: 'redis', port: 6379}}``
# (https://github.com/authelia/authelia/blob/b82bb3bc6ec59b261b0cd4f4ab1126e97dd8b674/docs/content/configuration/session/redis.md).
_KV_SECTION = re.compile(
    r"^[ \t]*(?:redis|valkey):[ \t]*(?:\{[ \t]*|\n[ \t]+)host:[ \t]*[\"']?([A-Za-z][\w.-]*)",
    re.MULTILINE,
)


def _kv_in_files(client: Workload, container: Container, estate: Estate) -> list[Workload]:
    """The stores a container's configuration files reach by URL (SearXNG's ``settings.yml``
    ``redis.url: redis://redis:6379/0``) or by the host of a section named for the store."""
    return [
        target
        for _, text, _ in config_files(client, container, estate)
        for host in dict.fromkeys(
            m.group(1).lower() for p in (_KV_URL, _KV_SECTION) for m in p.finditer(text)
        )
        for target in resolve_host(host, client, estate)
    ]


def _kv_in_command(
    client: Workload, container: Container, estate: Estate
) -> list[tuple[str, Workload]]:
    """(flag, store) for each store a container's command line reaches by URL, as its variables
    would: kube-ops-view takes its Redis as ``--redis-url=redis://kube-ops-view-redis:6379``
    (https://github.com/hjacobs/kube-ops-view/blob/28f93ed4c2b66e395607ad28d63fd83df2f3e413/deploy/deployment.yaml).
    The flag (``--redis-url``, or the word before a URL given alone) stands for the variable's
    name, which says what the store is for (a ``--broker-url`` is a task queue's)."""
    words = container.command
    return [
        (_flag_of(words, i, m.start()), target)
        for i, word in enumerate(words)
        if (m := _KV_URL.search(word))
        for target in resolve_host(m.group(1).lower(), client, estate)
    ]


def _flag_of(words: list[str], i: int, start: int) -> str:
    """The flag whose value starts at ``start`` of ``words[i]``: ``--redis-url=`` before it in
    the word, or the flag word before it ('' for a URL that is no flag's value)."""
    if "=" in words[i][:start]:
        return words[i][:start].split("=", 1)[0]
    return words[i - 1] if i and words[i - 1].startswith("-") else ""


def _search_engine(workload: Workload) -> bool:
    """A search engine by its image (cached per reference: this runs on every workload): an
    application's (Meilisearch) or a general one (Elasticsearch, Solr), which its clients'
    variable names may say they use as an index (:func:`_names_an_index`)."""
    primary = workload.primary
    family = data_image(primary.image) if primary is not None else None
    return family is not None and family.role in ("index", "search")


# The words of a variable that say its value is the client's full-text index, not a store it
# sends records to: ``FULLTEXT_DB_URL`` (Huly), ``DOCSPELL_SERVER_FULL__TEXT__SEARCH_SOLR_URL``
# (Docspell), ``INDEXER_URL``. ``SEARCH`` alone says nothing (``SEARCH_ADDR``: Graylog sends
# its only copy of the messages to its search store), nor does ``ELASTICSEARCH_URL``.
_INDEX_WORDS = frozenset({"FULLTEXT", "FTS", "INDEX", "INDEXER"})


@functools.lru_cache(maxsize=4096)  # asked of every variable: 24k at 20k objects, 120 names
def _names_an_index(name: str) -> bool:
    words = _words(name)
    pairs = {f"{a}{b}" for a, b in zip(words, words[1:], strict=False)}
    return bool(_INDEX_WORDS.intersection(words) or "FULLTEXT" in pairs)


def _search_targets(name: str, value: str, client: Workload, estate: Estate) -> list[Workload]:
    """The workloads a URL or ``host:port`` value names (search engines are reached over HTTP
    on ports of their own: 7700, 8108, 9200), or the bare host of a variable naming its index's
    host (JanusGraph's ``index.<name>.hostname``: "the hostname or comma-separated list of
    hostnames of index backend servers",
    https://docs.janusgraph.org/configs/configuration-reference/)."""
    url = _URL.match(value) or _HOST_PORT.match(value)
    if url:
        return resolve_host(url.group("host").lower(), client, estate)
    named = _names_an_index(name) and _words(name)[-1] in _HOST_SUFFIXES
    return resolve_host(value.lower(), client, estate) if named and BARE_HOST.match(value) else []


def _storage_backend(name: str, value: str, client: Workload, estate: Estate) -> bool:
    """Whether a variable names, by its bare host, the database the client keeps its records in:
    a storage setting's host (JanusGraph's ``storage.hostname``, "the hostname or
    comma-separated list of hostnames of storage backend servers",
    https://docs.janusgraph.org/configs/configuration-reference/) reaching a database."""
    if not _storage_host(name) or not BARE_HOST.match(value):
        return False
    return any(_database(w) for w in resolve_host(value.lower(), client, estate))


def _storage_host(name: str) -> bool:
    """The variable is a storage setting's host (``STORAGE_HOST``, ``storage.hostname``)."""
    if "storage" not in name.lower():  # most variables: no split, no match
        return False
    words = _words(name)
    return "STORAGE" in words and words[-1] in _HOST_SUFFIXES


def _database(workload: Workload) -> bool:
    primary = workload.primary
    family = data_family(workload, primary) if primary is not None else None
    return family is not None and family.role == "database"


def _words(name: str) -> list[str]:
    """A variable's or a dotted property key's words (``janusgraph.index.search.hostname``)."""
    return [w for w in re.split(r"[_.]+", name.upper()) if w]


def _unnamed_server(workload: Workload, by_scheme: bool, forwards: bool) -> bool:
    """A server of no known family that its clients' evidence may name: by URL scheme unless it
    is itself a client of the engine or named as a front; by port only when named a database."""
    primary = workload.primary
    if primary is None or data_family(workload, primary) is not None:
        return False
    if by_scheme:
        return not forwards and not fronts_a_store(primary.image or workload.name)
    words = set(image_words(workload.name)) | set(image_words(primary.image))
    return bool(words & _DATABASE_WORDS)
