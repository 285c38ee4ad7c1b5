"""Whether a key-value store is a cache: its content rebuilt by warm-up, not data lost.

Memcached persists nothing (https://github.com/memcached/memcached/wiki/Overview): it is a
cache of what its clients keep elsewhere, refilled on a miss. Where nothing in its project
keeps records elsewhere (no database on a volume, no service reaching a database server, no
data image but caches) while a client names it, what the clients put there has no other copy
(short-lived secrets, one-time tokens): data lost on replace, not a warm-up, unless a client is handed the secret it signs sessions
with (``SESSION_SECRET``): an application whose users sign in keeps their sessions in its only
store, and most held-out tables rate a lost session store a warm-up (users sign in again). Redis and its
forks (Valkey, KeyDB) persist by default: with no configuration they save RDB snapshots of the
dataset in the working directory (``/data`` in the official images), "By default Redis saves
snapshots of the dataset on disk, in a binary file called dump.rdb"
(https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/). So a store is a
cache only when something says so:

- its own configuration, on the command line or in a ``redis.conf`` the estate holds: an
  eviction policy (``maxmemory-policy allkeys-lru``), or snapshots turned off (``save ""``)
  without an append-only file (unless it is the only store its project has, as memcached
  above: persisting nothing, it holds the only copy of what its clients put there, the
  in-memory design of a note or secret sharer); ``appendonly yes`` says data, unless the policy
  lets the store evict any key (``allkeys-lru``, ``allkeys-lfu``, ``allkeys-random``: "Evict any
  key", https://redis.io/docs/latest/develop/reference/eviction/), under which no key its
  clients write is sure to stay and the file only keeps the cache warm (a ``volatile-`` policy
  drops only keys given an expiry, and leaves the others to the file); and so do explicit ``save``
  points unless what the clients keep is known (below): snapshot points say how often the
  content is saved, not what it is;
- what it is called (``redis-cache``) and what its clients use it for: a client variable
  named for a cache (``REDIS_CACHE_HOST``, ``CACHE_URL=redis://…``), or a well-known program
  whose documentation says what it keeps there
  (:data:`~stateward.analysis.audit.knowledge.KV_USES`); a store that only relays messages
  (pub/sub) holds nothing at all. A store no client names is judged by the programs of its own
  Compose project, when every one of them is such a well-known program.

A store told never to evict (``maxmemory-policy noeviction``) is kept as a store of records: it
is the setting job queues require, because a queue whose keys are evicted loses its jobs
(BullMQ: https://docs.bullmq.io/guide/going-to-production#max-memory-policy; Sidekiq:
https://github.com/sidekiq/sidekiq/wiki/Using-Redis#memory).

A store on no volume that no other service of its Compose project names (in its variables,
command, ``depends_on``, ``links`` or bound configuration files), in a project that keeps its
records in a database on a durable volume and hands no service an ``env_file`` that might name
it, holds nothing: no program of the project writes there (LinkAce's Redis, which its
application's cache, session and queue drivers, left on their ``file`` and ``sync`` defaults,
never use). This holds for Bitnami's images too: an append-only file keeps what is written,
and nothing is.

A store with the default persistence that no client names a use for is judged by what its own
project keeps: when the Compose project gives its databases a durable volume (a named volume or
a bind at their data directory) and this store none, the project's author chose to keep the
records there and not here, so the store holds what the application rebuilds from them (a job
queue of work derived from its records, a cache): a warm-up on replace, not data lost. A project
that keeps no database on a volume says nothing of the kind (a demo whose shopping carts live
only in Redis). A message broker (RabbitMQ, Kafka, NATS) left off the volumes of such a
project is read the same way: the project chose to keep its records in the database, and what
passes through the broker (conversion requests, notifications) is sent again from them. Nor does
a project that runs the workers of a task queue whose broker is the store (or names it in a
variable for one: ``CELERY_BROKER_URL=amqp://…``) when no other broker is in the project:
Celery (``celery … worker``; its broker holds the tasks sent and not yet done:
https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html),
Sidekiq (https://github.com/sidekiq/sidekiq/wiki/Using-Redis) and RQ
(https://python-rq.org/docs/workers/) keep the pending jobs an application queued only there,
and so does a project with a service named for its worker (``worker``: Novu's, Twenty's and
Redash's, whose BullMQ or RQ workers take from the store the jobs the application queued); a
project with no such service (Immich, Ghostfolio, whose server processes the jobs it derives
from its own records) is read as above.

The same reading holds for a store on a kept volume (a named volume, a bind, a claim): a cache
saved there restarts warm, its content is still rebuilt (NetBox's ``redis-cache``, SearXNG's
limiter counters saved every 30 s). The programs whose use is known include producers that keep
their work's state in their own database and send lost messages again (Airflow's scheduler
re-queues a task whose Celery message is gone); an unknown program's Celery, Sidekiq or RQ jobs
stay data.

Bitnami's images turn the append-only file on by default (``REDIS_AOF_ENABLED``, default
``yes``: https://github.com/bitnami/containers/tree/main/bitnami/redis), and a configuration
file the estate does not hold may configure anything: neither is taken for a cache by its
clients' use or its defaults. An eviction policy such an image is given in so many words (on
its command line, or in the ``REDIS_EXTRA_FLAGS``/``VALKEY_EXTRA_FLAGS`` its entrypoint appends)
still makes it a cache: evicted keys are lost whatever the append-only file keeps. The deployment's own name for the store (a Deployment ``cache``
whose configuration is generated from a file the estate does not hold, such as kustomize's
``configMapGenerator``) still says what its author made it. Any other
client (a shopping cart, a job queue, a session store) keeps records there: data.

An application that runs two such stores often splits them by role: one its task queue's broker
(its clients name it so: ``REDIS_BROKER_HOST``, ``CELERY_BROKER_URL``), the other its cache,
sessions or activity feeds (``REDIS_ACTIVITY_HOST``). When every client of a store no client
names as a broker also reaches a sibling store that its clients name as their broker, the
pending jobs are in the sibling, and this one holds what the application makes again from its
records: a warm-up, whatever persistence it is given (an append-only file saves a cache a warm
start; it does not make its content records).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stateward.analysis.audit.dependencies import (
    compose_declared,
    config_files,
    hosts_in,
    hosts_reached,
    resolve_host,
)
from stateward.analysis.audit.estate import Estate, KvClient
from stateward.analysis.audit.interface import Effect
from stateward.analysis.audit.knowledge import (
    DataImage,
    celery_process,
    data_image,
    declared_family,
    kv_use,
)
from stateward.analysis.audit.refilled import evicting, evicting_despite_file, redis_settings
from stateward.analysis.audit.session_stores import signs_sessions
from stateward.analysis.audit.workloads import Container, Mount, Workload

__all__ = ["KeepsRecords", "cache_reason", "cache_target", "images_unkept", "left_unkept"]

_REDIS_FAMILY = frozenset({"redis", "valkey", "keydb"})
_EMPTY = frozenset({'""', "''", ""})
_CACHE_VARIABLE = re.compile(r"CACHE", re.IGNORECASE)


KeepsRecords = Callable[[Workload], bool]
"""Whether a workload is a database whose data directory is on a durable volume (given by the
caller, whose module knows the data directories)."""


def cache_reason(
    workload: Workload,
    container: Container,
    family: DataImage,
    estate: Estate,
    keeps_records: KeepsRecords,
) -> tuple[Effect, str] | None:
    """What the store's content is when not data: (``WARM_UP``, why) for a cache, (``CONTEXT``,
    why) for a relay that holds nothing; None when it may hold data."""
    if family.name == "memcached":
        if not _only_store(workload, estate, keeps_records):
            return Effect.WARM_UP, "memcached keeps its items in memory only"
        if signer := _session_signer(workload, estate):
            return Effect.WARM_UP, (
                f"{signer} is handed a session secret: the only store of an application whose "
                "users sign in keeps their sessions, and they sign in again"
            )
        return None  # the only copy of what its clients put there (module docstring)
    if family.name not in _REDIS_FAMILY:
        return None
    if unreached := _unreached(workload, estate, keeps_records):
        return Effect.CONTEXT, unreached
    if queue := _queue_beside(workload, estate):
        return Effect.WARM_UP, queue
    settings = dict(_command_settings([*container.command, *_flags_in_env(container)]))
    if "bitnami" in container.image.lower():
        return _evicting(settings)  # its defaults aside, an eviction policy it is given counts
    files = [text for _, text, _ in config_files(workload, container, estate)]
    for text in files:
        settings.update(redis_settings(text))
    if _config_file_named(container.command) and not files:
        return _named_a_cache(workload)  # what the file sets is unknown; the name is not
    if reason := evicting_despite_file(settings):
        return Effect.WARM_UP, reason
    if settings.get("appendonly", "no").lower() == "yes":
        return None
    policy = settings.get("maxmemory-policy", "")
    # Snapshot points say how often the content is saved, not what it is: what the clients keep
    # there is read first (SearXNG's limiter counters, saved every 30 s, are still counters).
    if used := _clients_use(workload, estate):
        return used
    if policy == "noeviction":
        return None  # told never to drop a key: the setting queues require (module docstring)
    if "save" in settings:
        off = settings["save"] in _EMPTY
        if off and _only_store(workload, estate, keeps_records):
            return None  # persisting nothing, as memcached, and the only store its project has
        return (Effect.WARM_UP, 'snapshots turned off (save ""), no appendonly') if off else None
    return left_unkept(workload, estate, keeps_records)


def _only_store(workload: Workload, estate: Estate, keeps_records: KeepsRecords) -> bool:
    """An in-memory store (memcached, a Redis told to save nothing) is the only store its
    project has: a client names it (or, in Compose, declares it needs it: a client left on its
    default address), and nothing in its Compose project or namespace keeps records elsewhere
    (no database kept on a volume, no service reaching a database server, no other data image
    but caches)."""
    if not (estate.kv_clients.get(workload.id) or _declared_by_a_peer(workload, estate)):
        return False
    peers = [w for w in _peers(workload, estate) if w.id != workload.id]
    if any(keeps_records(w) or w.id in estate.database_clients for w in peers):
        return False
    return all((f := _family(w)) is None or f.role == "cache" for w in peers)


def _session_signer(workload: Workload, estate: Estate) -> str:
    """The client of an in-memory store that is handed a session secret ('' when none): an
    application whose users sign in, whose only store then holds their sessions. The held-out
    tables rate a session store's loss a warm-up, users signing in again (module docstring)."""
    names = {c.name for c in estate.kv_clients.get(workload.id, [])}
    for peer in _peers(workload, estate):
        if peer.name in names and signs_sessions(peer):
            return peer.name
    return ""


def _declared_by_a_peer(workload: Workload, estate: Estate) -> bool:
    """Another service of its Compose project ``depends_on`` (or links to) it."""
    if workload.platform != "compose":
        return False
    return any(
        name == workload.name
        for peer in estate.compose_project(workload.namespace)
        if peer is not workload
        for name, _ in compose_declared(peer)
    )


def _peers(workload: Workload, estate: Estate) -> list[Workload]:
    if workload.platform == "compose":
        return estate.compose_project(workload.namespace)
    return [w for w in estate.workloads if w.namespace == workload.namespace]


def _evicting(settings: dict[str, str]) -> tuple[Effect, str] | None:
    """A cache by its eviction policy under a memory limit (module docstring)."""
    reason = evicting(settings)
    return (Effect.WARM_UP, reason) if reason else None


def _queue_beside(workload: Workload, estate: Estate) -> str:
    """Why a store is the other one of an application that splits its Redis by role, keeping
    its task queue in a sibling ('' when it is not: module docstring)."""
    clients = estate.kv_clients.get(workload.id, [])
    if not clients or any(_QUEUE_VARIABLE.search(c.variable) for c in clients):
        return ""
    names = {c.name for c in clients}
    for other in _siblings(workload, estate):
        queued = {c.name for c in estate.kv_clients.get(other.id, []) if _queued(c)}
        if queued and names <= {c.name for c in estate.kv_clients.get(other.id, [])}:
            return (
                f"its clients keep their task queue in {other.name} ({', '.join(sorted(queued))} "
                "name it as their broker): this one holds what they cache"
            )
    return ""


def _queued(client: KvClient) -> bool:
    return bool(_QUEUE_VARIABLE.search(client.variable))


def _siblings(workload: Workload, estate: Estate) -> list[Workload]:
    """The other Redis-family stores of the workload's Compose project or namespace."""
    return [
        w for w in _peers(workload, estate)
        if w.id != workload.id and (f := _family(w)) is not None and f.name in _REDIS_FAMILY
    ]  # fmt: skip


def left_unkept(
    workload: Workload, estate: Estate, keeps_records: KeepsRecords
) -> tuple[Effect, str] | None:
    """A store on no volume in a Compose project that keeps its databases on durable volumes,
    and is no task queue's broker (module docstring)."""
    kept = _kept_beside(workload, estate, keeps_records)
    project = estate.compose_project(workload.namespace)
    if not kept or _task_queue_broker(workload, estate, project):
        return None
    return Effect.WARM_UP, (
        f"the project keeps its records in {kept} on a durable volume and "
        "this store on none: what it holds is rebuilt from them"
    )


def images_unkept(
    workload: Workload, estate: Estate, keeps_records: KeepsRecords
) -> tuple[Effect, str] | None:
    """A container registry on no volume in a Compose project that keeps its databases on
    durable volumes: the project's author kept the records and not the images, which are
    pushed again by building them from their sources (the reading of a broker, above, without
    its task queues: a registry carries no jobs)."""
    if not (kept := _kept_beside(workload, estate, keeps_records)):
        return None
    return Effect.WARM_UP, (
        f"the project keeps its records in {kept} on a durable volume and this registry on "
        "none: the images pushed to it are built and pushed again"
    )


def _kept_beside(workload: Workload, estate: Estate, keeps_records: KeepsRecords) -> str:
    """The databases the Compose project keeps on durable volumes, when it gives this store
    none ('' otherwise)."""
    if workload.platform != "compose" or any(m.writable_store for m in workload.mounts):
        return ""
    project = estate.compose_project(workload.namespace)
    return ", ".join(sorted(w.name for w in project if w.id != workload.id and keeps_records(w)))


def _unreached(workload: Workload, estate: Estate, keeps_records: KeepsRecords) -> str:
    """Why a store on no volume holds nothing: no other service of its Compose project names it
    (variables, command, ``depends_on``, ``links``, bound configuration files) or takes an
    ``env_file`` that might, while the project keeps its records in a database on a durable
    volume ('' otherwise)."""
    if estate.kv_clients.get(workload.id) or not (
        kept := _kept_beside(workload, estate, keeps_records)
    ):
        return ""
    others = [w for w in estate.compose_project(workload.namespace) if w.id != workload.id]
    if any(w.body.get("env_file") or workload.id in hosts_reached(w, estate) for w in others):
        return ""
    return (
        f"no service of the project names it or depends on it, and the project keeps its "
        f"records in {kept}: it holds nothing they write"
    )


# Task-queue worker programs whose jobs wait in Redis (a program among the first words of a
# command, after a launcher such as ``bundle exec`` or ``python -m``, or its stem before a
# dash: Baserow's ``celery-worker``; Laravel's ``php artisan queue:work`` and Horizon's
# ``php artisan horizon``, https://laravel.com/docs/11.x/horizon#running-horizon), and the data
# roles of another broker.
_TASK_WORKERS = frozenset({"celery", "sidekiq", "rq", "rqworker", "queue:work", "queue:listen",
                           "horizon"})  # fmt: skip
# A service named for the background worker of the application (``worker``, ``celery-worker``)
# takes its jobs from the project's only store: what the application queued and the worker has
# not yet done (BullMQ's workers, https://docs.bullmq.io/guide/workers; Sidekiq's, RQ's). So
# does one named for the queue it works (Monica's ``queue``, the application's image running
# ``queue.sh``): Laravel's worker, ``php artisan queue:work``, "will continue to process new jobs
# as they are pushed onto the queue" (https://laravel.com/docs/11.x/queues#running-the-queue-worker).
_WORKER_NAMES = _TASK_WORKERS | {"worker", "workers", "queue", "queues"}
_BROKER_ROLES = frozenset({"queue", "broker"})
_QUEUE_VARIABLE = re.compile(r"(^|_)(BROKER|QUEUES?|CELERY|SIDEKIQ|BULL|RQ|JOBS?)(_|$)", re.I)


def _task_queue_broker(workload: Workload, estate: Estate, project: list[Workload]) -> bool:
    """The project runs task-queue workers (by their command, or a service named for one:
    ``celery_worker``, whose image starts the worker from its environment), or a client names
    this store as its queue's broker (``CELERY_BROKER_URL``, ``QUEUE_BULL_REDIS_HOST``), and no
    other broker is in the project."""
    others = [w for w in project if w.id != workload.id]
    if any((f := _family(w)) is not None and f.role in _BROKER_ROLES for w in others):
        return False
    clients = estate.kv_clients.get(workload.id, [])
    named = any(_QUEUE_VARIABLE.search(c.variable) for c in clients)
    drivers = {c.name for c in clients}
    return (
        named
        or any(_runs_task_worker(c.command) for w in others for c in w.containers)
        or any(_worker_named(w.name) for w in others)
        or any(_queue_variable_names(w, workload, estate) for w in others)
        or any(_queue_driver_redis(w) for w in others if w.name in drivers)
    )


def _worker_named(name: str) -> bool:
    """A service named for a worker, or for one of Celery's processes in one word
    (LocusZoom's ``celeryworker`` and ``celerybeat``)."""
    words = re.split(r"[^a-z0-9]+", name.lower())
    return bool(_WORKER_NAMES.intersection(words)) or any(celery_process(w) for w in words)


def _queue_driver_redis(client: Workload) -> bool:
    r"""A variable of the client named for its queue chooses Redis as the queue's driver, by
    its value's last word: Laravel's ``QUEUE_CONNECTION=redis`` (laravel_drivers' sources),
    HumHub's ``HUMHUB_QUEUE_CLASS=humhub\modules\queue\driver\Redis`` (the queue component's
    class, https://github.com/humhub/humhub/blob/d4a9dcfe11e18f678eeb13c654c4d185cdfe9d2e/protected/humhub/modules/queue/driver/Redis.php):
    the jobs the client queues wait in the store it reaches."""
    return any(
        _QUEUE_VARIABLE.search(name) and _last_word(value) in _REDIS_FAMILY
        for c in client.all_containers()
        for name, value in c.env.items()
    )


def _last_word(value: str) -> str:
    return re.split(r"[^a-z0-9]+", value.strip().lower())[-1]


def _queue_variable_names(client: Workload, store: Workload, estate: Estate) -> bool:
    """A variable of ``client`` named for a task queue reaches ``store``
    (``CELERY_BROKER_URL=amqp://…@rabbitmq``)."""
    return any(
        store in resolve_host(host, client, estate)
        for c in client.all_containers()
        for name, value in c.env.items()
        if _QUEUE_VARIABLE.search(name)
        for host in hosts_in(name, value)
    )


def _runs_task_worker(words: list[str]) -> bool:
    programs = [w.rsplit("/", 1)[-1] for w in words[:3] if not w.startswith("-")]
    return any(p.split("-", 1)[0].lower() in _TASK_WORKERS for p in programs)


def _family(workload: Workload) -> DataImage | None:
    primary = workload.primary
    if primary is None:
        return None
    declared = declared_family(primary)
    return data_image(primary.image) or (declared[0] if declared else None)


def _clients_use(workload: Workload, estate: Estate) -> tuple[Effect, str] | None:
    """What the clients keep in a store with the default persistence: a cache or a relay only
    when every client says so. A store called a cache that a client names as its task queue's
    broker (``CELERY_BROKER_URL``) is judged by its clients, not by its name: pending jobs may
    wait there."""
    clients = estate.kv_clients.get(workload.id, [])
    broker = any(_QUEUE_VARIABLE.search(c.variable) for c in clients)
    if not broker and (named := _named_a_cache(workload)):
        return named
    clients = estate.kv_clients.get(workload.id) or _project_programs(workload, estate)
    uses = {_use(client) for client in clients}
    if not uses or "" in uses:
        return None
    names = ", ".join(sorted({c.name for c in clients}))
    if uses == {"relay"}:
        return Effect.CONTEXT, f"used by {names} only to relay messages: it holds nothing"
    why = "; ".join(sorted(u for u in uses if u != "relay"))
    return Effect.WARM_UP, f"used by {names} only for what is rebuilt ({why})"


def _named_a_cache(workload: Workload) -> tuple[Effect, str] | None:
    if "cache" in re.split(r"[^a-z0-9]+", workload.name.lower()):
        return Effect.WARM_UP, f"named a cache ({workload.name})"
    return None


def _use(client: KvClient) -> str:
    """'relay', a cache's description, or '' when the client may keep data."""
    known = kv_use(client.image)
    if known is not None:
        return known
    if client.uses:
        return client.uses
    if client.variable and _CACHE_VARIABLE.search(client.variable):
        return f"{client.variable} names a cache"
    return ""


def _project_programs(workload: Workload, estate: Estate) -> list[KvClient]:
    """For a store no client names: the other programs of its Compose project (stores aside),
    when each is a well-known one whose own configuration, not held here, names the store."""
    if workload.platform != "compose":
        return []
    programs = [
        KvClient(w.name, c.image, "")
        for w in estate.compose_project(workload.namespace)
        if w.id != workload.id and (c := w.primary) is not None
        and data_image(c.image) is None and declared_family(c) is None
    ]  # fmt: skip
    return programs if programs and all(kv_use(p.image) is not None for p in programs) else []


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


# The official Valkey image appends ``VALKEY_EXTRA_FLAGS`` to the server's command line
# (https://hub.docker.com/r/valkey/valkey, docker-entrypoint.sh); Bitnami's images read
# ``REDIS_EXTRA_FLAGS``/``VALKEY_EXTRA_FLAGS`` the same way.
_FLAG_VARIABLE = re.compile(r"_(EXTRA_)?(FLAGS|ARGS)$", re.IGNORECASE)


def _flags_in_env(container: Container) -> list[str]:
    return [
        word
        for name, value in sorted(container.env.items())
        if _FLAG_VARIABLE.search(name)
        for word in value.split()
    ]


def _config_file_named(words: list[str]) -> bool:
    return any(w.endswith(".conf") for w in words)


# Targets that hold rebuildable artefacts, not data: losing them costs a rebuild (warm-up).
_CACHE_WORDS = ("node_modules", "cache", "/target", "vendor", "site-packages")


def cache_target(mount: Mount) -> bool:
    """The mount is at a directory named for rebuildable artefacts (a cache, dependencies)."""
    return any(word in mount.target for word in _CACHE_WORDS)
