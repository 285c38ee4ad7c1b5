"""What a Laravel application keeps in Redis is read from its drivers: the cache and sessions are
made again, a queue keeps jobs; a service named for the queue it works takes its jobs from the
project's store; a search index fed by an application that keeps its records on a volume of its
own is re-indexed from them; an application naming no driver keeps nothing there. Small
hand-made Compose projects and Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor, deployment, effect_of_one


def _project(drivers: str, extra: str = "", app_volume: str = "bar_data") -> str:
    env = "".join(f"      - {d}\n" for d in drivers.split())
    volume = f"    volumes: ['{app_volume}:/var/www/app/storage/app']\n" if app_volume else ""
    return (
        "services:\n"
        "  search:\n    image: getmeili/meilisearch:v1.15\n"
        "    volumes: ['search_data:/meili_data']\n"
        "  redis:\n    image: redis\n"
        "  app:\n    image: example/laravel-app:1\n    depends_on: [search, redis]\n"
        "    environment:\n      - REDIS_HOST=redis\n      - MEILISEARCH_HOST=http://search:7700\n"
        f"{env}{volume}{extra}"
        "volumes:\n  search_data:\n" + (f"  {app_volume}:\n" if app_volume else "")
    )


def _loss(report: object, name: str) -> str:
    (component,) = [c for c in report.components if c.name == name]  # type: ignore[attr-defined]
    return str(component.loss)


@pytest.mark.parametrize(
    "drivers",
    [
        "CACHE_DRIVER=redis SESSION_DRIVER=redis",
        "CACHE_STORE=redis QUEUE_CONNECTION=database",
        "SESSION_DRIVER=redis QUEUE_CONNECTION=sync",
    ],
)
def test_a_laravel_cache_and_sessions_in_redis_are_made_again(
    audit_files: Auditor, drivers: str
) -> None:
    report = audit_files(**{"compose.yaml": _project(drivers)})
    assert _loss(report, "redis") == "rebuildable"
    assert any("Laravel's" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("drivers", "extra"),
    [
        ("CACHE_DRIVER=redis QUEUE_CONNECTION=redis", ""),  # the jobs wait there
        ("CACHE_DRIVER=redis QUEUE_DRIVER=redis", ""),
        ("CACHE_DRIVER=redis", "    env_file: .env\n"),  # the queue may be set where unread
    ],
)
def test_a_laravel_queue_in_redis_or_an_unread_one_keeps_it_data(
    audit_files: Auditor, drivers: str, extra: str
) -> None:
    report = audit_files(**{"compose.yaml": _project(drivers, extra), ".env": "APP_ENV=prod\n"})
    assert _loss(report, "redis") == "data"


def _with_database(worker: str) -> str:
    return (
        "services:\n"
        "  db:\n    image: mariadb:11\n    volumes: ['dbdata:/var/lib/mysql']\n"
        "  redis:\n    image: redis:alpine\n"
        "  app:\n    image: example/app:1\n    env_file: .env\n    depends_on: [db, redis]\n"
        f"  {worker}:\n    image: example/app:1\n    env_file: .env\n    command: {worker}.sh\n"
        "volumes:\n  dbdata:\n"
    )


def test_a_service_named_for_its_queue_takes_its_jobs_from_the_store(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _with_database("queue"), ".env": "A=1\n"})
    assert _loss(report, "redis") == "data"


def test_with_no_worker_the_store_beside_a_kept_database_is_made_again(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": _with_database("mailer"), ".env": "A=1\n"})
    assert _loss(report, "redis") == "rebuildable"


def test_an_index_fed_by_an_application_keeping_a_volume_is_rebuilt(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _project("CACHE_DRIVER=redis")})
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "search_data") is Effect.WARM_UP


def test_an_index_fed_by_an_application_keeping_nothing_is_its_only_copy(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": _project("CACHE_DRIVER=redis", app_volume="")})
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "search_data") is Effect.DURABLE


def _feed_renderer(cache_type: str) -> str:
    """RSSHub's shape: a renderer choosing its cache's store by ``CACHE_TYPE``, Redis on a
    named volume, no database in the project."""
    return (
        "services:\n"
        "  renderer:\n    image: example/feeds:1\n    depends_on: [redis]\n"
        "    environment:\n"
        f"      CACHE_TYPE: {cache_type}\n      REDIS_URL: 'redis://redis:6379/'\n"
        "  redis:\n    image: redis:alpine\n    volumes: ['redis-data:/data']\n"
        "volumes:\n  redis-data:\n"
    )


def test_a_cache_type_of_redis_keeps_only_a_cache_there(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _feed_renderer("redis")})
    assert _loss(report, "redis") == "rebuildable"
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "redis-data") is Effect.WARM_UP
    assert any("CACHE_TYPE=redis" in f.message for f in report.findings)


def test_a_cache_type_elsewhere_says_nothing_of_the_store(audit_files: Auditor) -> None:
    # the cache kept in memory: what the client keeps in the Redis it names is not said
    report = audit_files(**{"compose.yaml": _feed_renderer("memory")})
    assert effect_of_one(report, "COMPOSE_NAMED_VOLUME", "redis-data") is Effect.DURABLE


def _engine_chooser(variable: str, value: str) -> str:
    """ProxiTok's shape: a front choosing its cache engine by a variable named for the cache,
    Redis on no volume beside it, no database in the project."""
    return (
        "services:\n"
        "  web:\n    image: example/front:1\n    depends_on: [redis]\n"
        f"    environment:\n      - {variable}={value}\n      - REDIS_HOST=redis\n"
        "      - REDIS_PORT=6379\n"
        "  redis:\n    image: redis:7-alpine\n"
    )


@pytest.mark.parametrize("variable", ["API_CACHE", "CACHE_ENGINE", "CACHE_PROVIDER"])
def test_a_variable_naming_the_cache_engine_redis_keeps_only_a_cache_there(
    audit_files: Auditor, variable: str
) -> None:
    report = audit_files(**{"compose.yaml": _engine_chooser(variable, "redis")})
    assert _loss(report, "redis") == "rebuildable"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("API_CACHE", "json"),  # the cache kept elsewhere: the Redis's use is not said
        ("CACHE_REDIS_HOST", "redis"),  # an address, not a choice of engine
        ("SESSION_CACHE_TTL", "redis"),  # named for no cache kind
    ],
)
def test_a_cache_engine_elsewhere_or_an_address_says_nothing_more(
    audit_files: Auditor, variable: str, value: str
) -> None:
    report = audit_files(**{"compose.yaml": _engine_chooser(variable, value)})
    assert _loss(report, "redis") == "data"


def _k8s_laravel(image: str, settings: str, config_map: str = "app-env") -> dict[str, str]:
    """A Laravel Deployment given REDIS_HOST and loading ConfigMap ``config_map`` whole; the
    estate holds ConfigMap app-env with APP_KEY and ``settings``."""
    data = "".join(
        f"  {s.replace('=', ': ', 1)}\n" for s in f"APP_KEY=base64:abc= {settings}".split()
    )
    app = deployment("app", "", image, container=(
        "env: [{name: REDIS_HOST, value: redis}]\n"
        f"envFrom: [{{configMapRef: {{name: {config_map}}}}}]"
    ))  # fmt: skip
    return {
        "cm.yaml": f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app-env, namespace: ns}}\ndata:\n{data}",
        "redis.yaml": deployment("redis", "", "redis:7"),
        "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: redis, namespace: ns}\n"
        "spec: {selector: {app: redis}, ports: [{port: 6379}]}\n",
        "app.yaml": app,
    }


def test_a_laravel_application_naming_no_driver_keeps_nothing_in_redis(
    audit_files: Auditor,
) -> None:
    """Its environment read whole (a ConfigMap the estate holds), a Laravel application that
    names no driver leaves cache, sessions and queue off Redis."""
    report = audit_files(**_k8s_laravel("example/laravel-demo:7", "APP_ENV=production"))
    assert _loss(report, "redis") == "rebuildable"


@pytest.mark.parametrize(
    ("image", "settings", "config_map"),
    [
        ("example/laravel-demo:7", "QUEUE_CONNECTION=redis", "app-env"),  # jobs wait there
        ("example/laravel-demo:7", "APP_ENV=production", "missing-env"),  # unread settings
        ("example/shop:7", "APP_ENV=production", "app-env"),  # not known to be Laravel
    ],
)
def test_a_laravel_queue_or_unread_settings_keep_redis_data(
    audit_files: Auditor, image: str, settings: str, config_map: str
) -> None:
    report = audit_files(**_k8s_laravel(image, settings, config_map))
    assert _loss(report, "redis") == "data"


def _k8s_from_config_map(settings: str, config_map: str = "app-env") -> dict[str, str]:
    """``_k8s_laravel`` with every variable, REDIS_HOST too, in the ConfigMap the application
    loads whole, and an image not known to be Laravel's."""
    files = _k8s_laravel("example/shop:7", f"REDIS_HOST=redis {settings}", config_map)
    files["app.yaml"] = deployment("app", "", "example/shop:7", container=(
        f"envFrom: [{{configMapRef: {{name: {config_map}}}}}]"
    ))  # fmt: skip
    return files


def test_a_cache_type_of_redis_loaded_from_a_config_map_keeps_only_a_cache_there(
    audit_files: Auditor,
) -> None:
    """The ConfigMap an application loads whole names its store and the cache's kind: the
    client is read as if the variables were its own."""
    report = audit_files(**_k8s_from_config_map("CACHE_TYPE=redis"))
    assert _loss(report, "redis") == "rebuildable"
    assert any("CACHE_TYPE=redis" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("settings", "config_map"),
    [
        ("CACHE_TYPE=redis QUEUE_CONNECTION=redis", "app-env"),  # the jobs wait there
        ("REDIS_ENABLED=true", "app-env"),  # no use named: unknown
        ("CACHE_TYPE=redis", "missing-env"),  # the map is not in the estate: nothing read
    ],
)
def test_a_config_map_naming_a_queue_or_no_use_keeps_redis_data(
    audit_files: Auditor, settings: str, config_map: str
) -> None:
    report = audit_files(**_k8s_from_config_map(settings, config_map))
    assert _loss(report, "redis") == "data"
