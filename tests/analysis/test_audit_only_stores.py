"""A store with no volume that is the only copy of what its clients keep, against a cache in
front of a database (:mod:`stateward.analysis.audit.caching`).

Hand-made estates shaped like documented setups (a one-time secret service on Memcached, a
notification service whose worker takes jobs from Redis), not copies of any held-out estate.
"""

from __future__ import annotations

from .conftest import SIGNED_IN, Auditor

SECRETS = """
services:
  secrets:
    image: example/onetime:1
    environment: {MEMCACHED: "memcached:11211"}
    ports: ["80:1337"]
  memcached:
    image: memcached:1.6
"""

# A database the project keeps on a volume, appended to a project's services.
KEPT_DATABASE = """
  db:
    image: postgres:17
    volumes: ["pg:/var/lib/postgresql/data"]
volumes:
  pg: {}
"""

# The same service in front of a database it keeps its records in.
CACHED = (
    SECRETS.replace(
        '"memcached:11211"}', '"memcached:11211", DATABASE_URL: "postgres://app@db/app"}'
    )
    + KEPT_DATABASE
)

QUEUED = """
services:
  api:
    image: example/notify-api:1
    environment: {REDIS_HOST: redis, MONGO_URL: "mongodb://mongodb:27017/notify"}
  {worker}:
    image: example/notify-worker:1
    environment: {REDIS_HOST: redis, MONGO_URL: "mongodb://mongodb:27017/notify"}
  redis:
    image: redis:7-alpine
  mongodb:
    image: mongo:7
    volumes: ["mongo:/data/db"]
volumes:
  mongo: {}
"""


def _loss(report: object, name: str) -> tuple[str, str]:
    found = next(c for c in report.components if c.name == name)  # type: ignore[attr-defined]
    return str(found.lifecycle), str(found.loss)


def test_memcached_with_nothing_behind_it_holds_the_only_copy(audit_files: Auditor) -> None:
    assert _loss(audit_files(**{"compose.yaml": SECRETS}), "memcached") == ("persistent", "data")


def test_memcached_named_as_the_storage_host_holds_the_only_copy(audit_files: Auditor) -> None:
    """A paste service told its storage is at ``STORAGE_HOST=kv`` keeps its pastes there, named
    by no store's name; a variable of another kind naming the host says nothing."""
    stored = SECRETS.replace('{MEMCACHED: "memcached:11211"}',
                             "{STORAGE_TYPE: memcached, STORAGE_HOST: memcached}")  # fmt: skip
    assert _loss(audit_files(**{"compose.yaml": stored}), "memcached") == ("persistent", "data")
    other = stored.replace("STORAGE_HOST", "METRICS_HOST")
    assert _loss(audit_files(**{"compose.yaml": other}), "memcached")[1] != "data"


def test_the_only_memcached_of_an_application_signing_sessions_keeps_them(
    audit_files: Auditor,
) -> None:
    """A client handed a session secret (even from a Secret) signs its users in: its only
    memcached holds their sessions, a warm-up. Handed another secret, the store still holds the
    only copy of what it is given."""
    signed = audit_files(**{"site.yaml": SIGNED_IN % "SESSION_SECRET"})
    assert _loss(signed, "memcached") == ("ephemeral-with-warm-up", "rebuildable")
    other = audit_files(**{"site.yaml": SIGNED_IN % "SENTRY_DSN"})
    assert _loss(other, "memcached") == ("persistent", "data")


def test_memcached_in_front_of_a_database_is_a_cache(audit_files: Auditor) -> None:
    found = _loss(audit_files(**{"compose.yaml": CACHED}), "memcached")
    assert found == ("ephemeral-with-warm-up", "rebuildable")


def test_redis_a_worker_service_takes_jobs_from_holds_them(audit_files: Auditor) -> None:
    queued = audit_files(**{"compose.yaml": QUEUED.replace("{worker}", "worker")})
    assert _loss(queued, "redis") == ("persistent", "data")


def test_redis_beside_a_kept_database_and_no_worker_is_rebuilt(audit_files: Auditor) -> None:
    derived = audit_files(**{"compose.yaml": QUEUED.replace("{worker}", "push")})
    assert _loss(derived, "redis") == ("ephemeral-with-warm-up", "rebuildable")


BITNAMI = """
services:
  app:
    image: example/iot:1
    environment: {REDIS_HOST: kv, DATABASE_URL: "postgres://app@db/app"}
  kv:
    image: bitnami/valkey:8.0
    environment: {VALKEY_EXTRA_FLAGS: "{flags}"}
    volumes: ["kv:/bitnami/valkey/data"]
  db:
    image: postgres:17
    volumes: ["pg:/var/lib/postgresql/data"]
volumes:
  kv: {}
  pg: {}
"""


def test_a_bitnami_store_given_an_eviction_policy_is_a_cache(audit_files: Auditor) -> None:
    """Bitnami's append-only default is not read as a cache, but a policy it is given is."""
    lru = BITNAMI.replace("{flags}", "--maxmemory 500mb --maxmemory-policy allkeys-lru")
    found = _loss(audit_files(**{"compose.yaml": lru}), "kv")
    assert found == ("ephemeral-with-warm-up", "rebuildable")
    plain = BITNAMI.replace("{flags}", "--maxmemory 500mb")
    assert _loss(audit_files(**{"compose.yaml": plain}), "kv")[0] == "persistent"


NOTES = """
services:
  notes:
    image: example/notes:1
    depends_on: [redis]
    ports: ["80:8000"]
  redis:
    image: valkey/valkey:8-alpine
    command: valkey-server --save "" --appendonly no
    tmpfs: [/data]
"""


def test_a_redis_saving_nothing_that_is_the_only_store_holds_the_only_copy(
    audit_files: Auditor,
) -> None:
    """Snapshots off says a cache only where the project keeps its records elsewhere: a note
    sharer whose client reaches it on its default address (``depends_on`` only) keeps them
    nowhere else."""
    assert _loss(audit_files(**{"compose.yaml": NOTES}), "redis") == ("persistent", "data")


def test_a_redis_saving_nothing_beside_a_kept_database_is_a_cache(audit_files: Auditor) -> None:
    kept = NOTES.replace("depends_on: [redis]", "depends_on: [redis, db]") + KEPT_DATABASE
    assert _loss(audit_files(**{"compose.yaml": kept}), "redis")[1] == "rebuildable"
    # Nor is a store nothing declares it needs the only store of anything.
    alone = NOTES.replace("    depends_on: [redis]\n", "")
    assert _loss(audit_files(**{"compose.yaml": alone}), "redis")[1] != "data"
