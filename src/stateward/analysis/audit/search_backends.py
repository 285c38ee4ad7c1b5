"""A setting that chooses a search engine as an application's search or index backend.

Applications with a pluggable search say which engine serves it in one setting whose value is
the engine's name, beside the settings that reach it: FusionAuth's ``search.type`` (``SEARCH_TYPE``),
``database`` or ``elasticsearch`` ("for Elasticsearch or OpenSearch"), reindexed from the
database when switched to the engine
(https://fusionauth.io/docs/lifecycle/manage-users/search/switch-search-engines); Gitea's
``[indexer] ISSUE_INDEXER_TYPE`` and ``REPO_INDEXER_TYPE`` (``bleve``, ``db``, ``elasticsearch``;
https://github.com/go-gitea/gitea/blob/b97af15de67b04fd259bd70a4abbc873f12e9491/docs/content/doc/advanced/config-cheat-sheet.en-us.md);
Gerrit's ``index.type`` (``LUCENE`` or ``ELASTICSEARCH``,
https://gerrit.googlesource.com/gerrit/+/2e79e5bb7d3d9eedd42d1e67d9014e7b88a46145/Documentation/config-gerrit.txt);
JanusGraph's ``index.<name>.backend`` (https://docs.janusgraph.org/configs/configuration-reference/);
Conductor's ``conductor.indexing.type`` ("Elasticsearch used for its indexing backend",
https://github.com/conductor-oss/conductor/blob/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docs/devguide/architecture/index.md;
the setting in https://github.com/conductor-oss/conductor/blob/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docker/server/config/config-redis.properties).

Such a setting names the engine as the application's index of its records: the role a variable
named for the index gives the engine whose URL it holds (``FULLTEXT_DB_URL``,
:mod:`stateward.analysis.audit.reached`), so the search engines that application reaches are
fed by it as an index (``Estate.index_clients``; whether that index is rebuilt is then decided
by whether its feeders keep their records elsewhere:
:func:`stateward.analysis.audit.rules.data.rebuilt_index`). A setting naming where records are
*stored* (Jaeger's ``SPAN_STORAGE_TYPE``, Zipkin's ``STORAGE_TYPE``: the engine keeps the only
copy of the spans) has no search or index word and is not read here, nor is a choice of a
database as the index (Conductor's ``conductor.indexing.type=postgres``).

A setting naming the one index the application writes in the engine says the same: Superdesk's
``ELASTICSEARCH_INDEX`` ("elastic index name", default ``superdesk``; its records in the MongoDB
of ``MONGO_URI``, re-indexed by ``app:index_from_mongo``,
https://github.com/superdesk/superdesk-core/blob/00055d9d9d85cfff9c159e0c64dbd79bf0f8d867/superdesk/default_settings.py).
Only a name spelled with the engine's full product name (``ELASTICSEARCH_INDEX``,
``OPENSEARCH_INDEX_NAME``) is read, and only a whole name: programs that keep logs or spans
as the only copy name a *prefix* for the indices they roll over by date (Jaeger's
``ES_INDEX_PREFIX``, Zipkin's ``ES_INDEX``, "the index prefix to use when generating daily
index names", https://github.com/openzipkin/zipkin/blob/03ff4a1981f16ca2ab278215562ce3d261d77f46/zipkin-server/README.md),
and their clients keep no records elsewhere in any case.

The setting is read from the client's variables and from the lines of the configuration files
it binds or mounts (``key = value`` in a Java properties file or an INI section,
``key: value`` in flat YAML), only for a client that reaches a search engine.

An application may make that choice in configuration built into its own image, which no file of
the deployment shows: Conductor's server image copies ``docker/server/config`` into
``/app/config`` and starts with the file ``CONFIG_PROP`` names there
(https://github.com/conductor-oss/conductor/blob/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docker/server/Dockerfile,
https://github.com/conductor-oss/conductor/blob/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docker/server/bin/startup.sh).
Every file shipped there that uses a search engine makes it ``conductor.indexing.type``
(``elasticsearch``, ``elasticsearch8``, ``opensearch2``, ``opensearch3``) and keeps the
workflow and task definitions, executions and queues in ``conductor.db.type`` (Redis,
PostgreSQL, MySQL or Cassandra), never in the engine
(https://github.com/conductor-oss/conductor/tree/b54f0d4ee546c1053367e1c14405c5396c17bfb1/docker/server/config):
"By default, Conductor uses Redis as its data store, with Elasticsearch used for its indexing
backend" (docs/devguide/architecture/index.md at the same commit). Such an application's images
(``_INDEXING_IMAGES``) feed the engine they reach as their index of records they keep in a
database of their own (:func:`indexes_records_kept_elsewhere`), whichever their configuration
picks: the Redis of a Conductor is its database, whether or not a volume keeps it.
"""

from __future__ import annotations

import functools
import re

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["indexes_records_kept_elsewhere", "learn_chosen_indexes", "selects_search_backend"]

# Words of the setting's name: one saying search or index, the last saying it picks a kind.
_ROLE_WORDS = frozenset({"SEARCH", "INDEX", "INDEXER", "INDEXING", "FULLTEXT", "FTS"})
_CHOICE_WORDS = frozenset({"TYPE", "ENGINE", "BACKEND", "PROVIDER", "IMPL", "IMPLEMENTATION"})
# The value: a search engine's name, alone or with a variant (``elasticsearch7``, ``opensearch2``).
_ENGINE = re.compile(r"^(elasticsearch|elastic|opensearch|solr|meilisearch|typesense)[\w.-]*$")
# A whole index's name, spelled with the engine's product name (this module's documentation).
_ENGINE_WORDS = frozenset({"ELASTICSEARCH", "OPENSEARCH"})
_INDEX_NAME = (("INDEX",), ("INDEX", "NAME"))
# One setting per line: ``index.search.backend=elasticsearch``, ``ISSUE_INDEXER_TYPE = bleve``,
# ``search_engine: opensearch``; a value of one word, quoted or not.
_LINE = re.compile(
    r"""^[ \t]*([A-Za-z][\w.\-]*)[ \t]*[=:][ \t]*["']?([\w.\-]+)["']?[ \t]*$""", re.M
)


# Images whose built-in configuration makes the search engine they reach the index of records
# they keep in a database (this module's documentation): Conductor's published server image, and
# the name its repository's Compose files build it as (``image: conductor:server``); phpMyFAQ,
# whose administration creates and drops its Elasticsearch or OpenSearch index and runs "a full
# import of all data from your database into the Elasticsearch index" (docs/administration.md,
# 5.6.5 and 5.6.6,
# https://github.com/thorsten/phpMyFAQ/blob/ca898fc12b40b5bf6b9b71de67e184a94f338ae0/docs/administration.md);
# and OTOBO, whose ``Maint::Elasticsearch::Migration`` drops the ticket, customer and customer
# user indexes and writes them again from the tickets and customers of its database
# (https://github.com/RotherOSS/otobo/blob/b39463c086cc686af7afdf6433160cbdf637860c/Kernel/System/Console/Command/Maint/Elasticsearch/Migration.pm).
_INDEXING_IMAGES = frozenset({
    "conductoross/conductor", "conductor", "phpmyfaq/phpmyfaq", "rotheross/otobo",
})  # fmt: skip


def learn_chosen_indexes(estate: Estate) -> None:
    """Add to ``Estate.index_clients`` each client of a search engine whose settings choose a
    search engine as its index (this module's documentation)."""
    chose: dict[str, bool] = {}
    for target, clients in estate.search_clients.items():
        for client in clients:
            if client.id not in chose:
                chose[client.id] = indexes_records_kept_elsewhere(client) or _chooses_an_index(
                    client, estate
                )
            known = estate.index_clients.get(target, [])
            if chose[client.id] and all(c.id != client.id for c in known):
                estate.index_clients[target] = [*known, client]


@functools.lru_cache(maxsize=4096)  # asked of every variable of a search engine's client
def selects_search_backend(name: str, value: str) -> bool:
    """Whether the setting ``name=value`` chooses a search engine as the client's search or
    index backend (this module's documentation)."""
    words = [w for w in re.split(r"[_.\-]+", name.upper()) if w]
    if _names_an_index(words) and value.strip():
        return True
    if len(words) < 2 or words[-1] not in _CHOICE_WORDS:
        return False
    return bool(_ROLE_WORDS.intersection(words[:-1])) and bool(_ENGINE.match(value.strip().lower()))


def indexes_records_kept_elsewhere(client: Workload) -> bool:
    """Whether the client runs an application whose own configuration makes the search engine
    it reaches the index of records it keeps in a database (this module's documentation)."""
    primary = client.primary
    return primary is not None and repository(primary.image) in _INDEXING_IMAGES


def _names_an_index(words: list[str]) -> bool:
    """``…ELASTICSEARCH_INDEX`` or ``…OPENSEARCH_INDEX_NAME``: the engine's word just before."""
    return any(
        len(words) > len(tail) and tuple(words[-len(tail):]) == tail
        and words[-len(tail) - 1] in _ENGINE_WORDS
        for tail in _INDEX_NAME
    )  # fmt: skip


def _chooses_an_index(client: Workload, estate: Estate) -> bool:
    for container in client.all_containers():
        if any(selects_search_backend(n, v) for n, v in container.env.items()):
            return True
        for _, text, _ in config_files(client, container, estate):
            if any(selects_search_backend(m.group(1), m.group(2)) for m in _LINE.finditer(text)):
                return True
    return False
