"""An object store, a Redis, a Celery broker or a database its clients locate from a Secret,
read by the name of what they take.

A client that keeps its object store's configuration in a Secret hides the endpoint from the
audit: a Secret's values are digested as they are read (README, "Security model"), and a
configuration file in one is digested whole, host and keys together. Thanos takes its bucket's
configuration as YAML in ``--objstore.config`` ("Each Thanos component reads a single object
store bucket from ``--objstore.config``",
https://github.com/thanos-io/thanos/blob/e103a81bd5943697394afcb4fb592b6ffa806c30/docs/storage.md),
which kube-thanos fills from the Secret ``thanos-objectstorage`` as the variable
``OBJSTORE_CONFIG``; Huly's services take ``STORAGE_CONFIG``
(``minio|minio?accessKey=…``: the object store's kind and host,
https://github.com/hcengineering/huly-selfhost/blob/865584594cc582d9e0f7013be66c22f153df1176/ARCHITECTURE_OVERVIEW.md).

A variable taken from a Secret (``secretKeyRef``, or a key of a Secret of the estate that
``envFrom`` hands over whole) whose name locates object storage (``OBJSTORE``, ``OBJECT_STORE``,
``S3``, ``MINIO``, ``BUCKET``, ``BLOB`` or ``STORAGE``, followed by ``CONFIG``, ``URL``, ``URI``,
``ENDPOINT``, ``ADDRESS`` or ``HOST``) reaches the object store of its namespace when there is
exactly one; with none the bucket is outside the estate, and with several which one is meant
is not known. A credential (``S3_ACCESS_KEY``) locates nothing and is not read so.

The same holds for a Redis, a Celery broker and a database. A variable from a Secret named for
Redis's address (``REDIS`` followed by ``URL``, ``URI``, ``HOST``, ``ADDR``, ``ADDRESS``,
``ENDPOINT``, ``SERVER`` or ``LOCATION``, the key of Django's cache setting,
https://docs.djangoproject.com/en/5.2/topics/cache/#redis) reaches the one Redis of its
namespace (the Redis, Valkey or KeyDB image: the latter two speak Redis's protocol); Celery's
``broker_url`` (``CELERY_BROKER_URL`` as Django settings name it, or ``BROKER_URL``) reaches the
one broker Celery can use there, a Redis or a RabbitMQ ("RabbitMQ … Redis … Amazon SQS",
https://docs.celeryq.dev/en/v5.5.3/getting-started/backends-and-brokers/index.html); a
database's address (``MYSQL_HOST``, ``MYSQL_DB_HOST``, ``POSTGRES_URL``, ``MONGODB_URI``) the
one database of that family there. A variable named for a database of no family (``DATABASE_URL``,
``DB_HOST``: Prisma's ``url = env("DATABASE_URL")``,
https://www.prisma.io/docs/orm/reference/connection-urls; Django's ``dj-database-url`` reads the same
name) reaches the one database of its namespace, of whatever family, when there is exactly one;
only the whole name counts, so ``MYSQL_DB_HOST`` stays the MySQL's. A Kafka client's bootstrap
list (``KAFKA_BROKERS``, the ``brokers`` of KafkaJS, https://kafka.js.org/docs/configuration;
``KAFKA_BOOTSTRAP_SERVERS``, the client setting ``bootstrap.servers``,
https://kafka.apache.org/documentation/#producerconfigs_bootstrap.servers) reaches the one broker
speaking Kafka's protocol there (Kafka, or Redpanda: "a streaming data platform for developers.
Kafka API compatible", https://github.com/redpanda-data/redpanda). A placeholder (``CELERY_BROKER_URL: <another_redis_url>``)
locates the store no more than a digest does: the variable's name does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from stateward.analysis.audit.estate import Estate, secret_keys_loaded
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_list, as_map, dig

__all__ = ["hidden_object_stores"]

_LOCATES_OBJECTS = re.compile(
    r"(?:^|_)(?:OBJSTORE|OBJECT_?STORE|S3|MINIO|BUCKET|BLOB|STORAGE)_"
    r"(?:CONFIG|CONFIGURATION|URL|URI|ENDPOINT|ADDRESS|HOST)$",
    re.IGNORECASE,
)
# The roles that make a workload an object store: a data image's (MinIO) and an operator
# family's (a MinIO ``Tenant``, a ``CephCluster``, NooBaa).
_OBJECT_ROLES = frozenset({"object store", "objects"})


def hidden_object_stores(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The one store of each kind in the workload's namespace (an object store, a Redis, a
    Celery broker) that a variable it takes from a Secret locates; with the evidence."""
    hidden = list(_hidden_variables(workload, estate))
    for locates, keeps, what in _KINDS:
        where = next((where for name, where in hidden if locates.search(name)), "")
        if not where:
            continue
        stores = [w for w in estate.in_namespace(workload.namespace) if keeps(w)]
        if len(stores) == 1 and stores[0].id != workload.id:
            yield stores[0], f"{where}, hidden in a Secret: the one {what} of its namespace"


def _env_holders(workload: Workload) -> Iterator[Mapping[str, Any]]:
    """What lists variables for the workload's pods: its containers, and an operator resource's
    spec, whose ``env`` and ``envFrom`` its operator hands to the pods it runs (Mahout's
    ``Mastodon``: ``spec.envFrom``)."""
    yield from (container.body for container in workload.all_containers())
    if workload.operated is not None:
        yield as_map(workload.body.get("spec"))


def _hidden_variables(workload: Workload, estate: Estate) -> Iterator[tuple[str, str]]:
    """(variable name, where) of every variable a container takes from a Secret."""
    for holder in _env_holders(workload):
        for entry in as_list(holder.get("env")):
            name = str(dig(entry, "name") or "")
            secret = dig(entry, "valueFrom", "secretKeyRef", "name")
            if secret:
                yield name, f"{name} from Secret {secret}"
        for key, secret in secret_keys_loaded(holder, workload.namespace, estate):
            yield key, f"{key} from Secret {secret}"


def _is_object_store(workload: Workload) -> bool:
    if workload.operated is not None:
        return workload.operated.role in _OBJECT_ROLES
    return any(
        (family := data_image(c.image)) is not None and family.role in _OBJECT_ROLES
        for c in workload.containers
    )


def _runs_family(workload: Workload, families: frozenset[str] | None) -> bool:
    """The workload runs, itself and not through an operator, an image of one of ``families``
    (of any database when None)."""
    return workload.operated is None and any(
        (family := data_image(c.image)) is not None
        and (family.role == "database" if families is None else family.name in families)
        for c in workload.containers
    )


def _address_of(words: str) -> re.Pattern[str]:
    """A variable named for the address of a store called one of ``words`` (a ``_DB`` between
    them allowed: ``MYSQL_DB_HOST``)."""
    return re.compile(rf"(?:^|_)(?:{words})_(?:DB_)?(?:{_ADDRESS})$", re.IGNORECASE)


_ADDRESS = "URL|URI|HOST|ADDR|ADDRESS|ENDPOINT|SERVER|LOCATION"
_REDIS = frozenset({"redis", "valkey", "keydb"})
_CELERY_BROKERS = _REDIS | {"rabbitmq"}
_KAFKA = frozenset({"kafka", "redpanda"})

# (what a variable is named for, the store families that answer to it, what they are)
_NAMED: tuple[tuple[re.Pattern[str], frozenset[str], str], ...] = (
    (_address_of("REDIS"), _REDIS, "Redis"),
    (re.compile(r"(?:^|_)BROKER_(?:URL|URI)$", re.IGNORECASE), _CELERY_BROKERS,
     "Redis or RabbitMQ broker"),
    (_address_of("MYSQL|MARIADB"), frozenset({"mysql", "mariadb"}), "MySQL or MariaDB"),
    (_address_of("POSTGRES|POSTGRESQL|PG"), frozenset({"postgres"}), "PostgreSQL"),
    (_address_of("MONGO|MONGODB"), frozenset({"mongo"}), "MongoDB"),
    (re.compile(rf"^KAFKA_(?:BROKERS?|BOOTSTRAP_SERVERS?|{_ADDRESS})$", re.IGNORECASE), _KAFKA,
     "Kafka-protocol broker"),
)  # fmt: skip

# A database named by no family: the whole variable's name, so a family's own (``MYSQL_DB_HOST``)
# is left to that family.
_ANY_DATABASE = re.compile(rf"^(?:DB|DATABASE)_(?:{_ADDRESS})$", re.IGNORECASE)


_KINDS: tuple[tuple[re.Pattern[str], Callable[[Workload], bool], str], ...] = (
    (_LOCATES_OBJECTS, _is_object_store, "object store"),
    *(
        (locates, functools.partial(_runs_family, families=families), what)
        for locates, families, what in _NAMED
    ),
    (_ANY_DATABASE, functools.partial(_runs_family, families=None), "database"),
)
