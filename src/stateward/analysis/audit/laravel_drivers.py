"""What a Laravel application keeps in Redis, read from the drivers its environment chooses.

Laravel picks the store of each of its services by one variable: the cache's default store
(``CACHE_DRIVER``, ``CACHE_STORE`` from Laravel 11 on,
https://github.com/laravel/laravel/blob/51c4166bfbf0556e808f8f583fb7d91ce0fe6efe/config/cache.php),
the session driver (``SESSION_DRIVER``,
https://github.com/laravel/laravel/blob/f44f065a2b2cad1a947a7e8adc08fcc13d18c49c/config/session.php),
the queue's default connection (``QUEUE_CONNECTION``, ``QUEUE_DRIVER`` before Laravel 5.7,
"sync" or "database" when unset,
https://github.com/laravel/laravel/blob/00443b2068b8b8fd1028c0bc3e6bbdaf80445dbc/config/queue.php)
and the broadcaster (``BROADCAST_DRIVER``/``BROADCAST_CONNECTION``, Redis pub/sub when
``redis``). A client that sets the cache or the session driver to ``redis`` and leaves its queue
elsewhere keeps in Redis its cache, which it fills again, and its sessions, whose loss logs its
users out: nothing that is not made again (Bar Assistant's ``CACHE_DRIVER=redis``,
``SESSION_DRIVER=redis``). A queue on ``redis`` keeps the jobs waiting there and nowhere else:
then, or when an ``env_file`` or ``envFrom`` the audit cannot read may set the queue, the
client's use is not known from here.

Other programs name their cache's store the same way, one variable whose value is the store's
kind: RSSHub's ``CACHE_TYPE`` (``memory``, its default, or ``redis``; its ``REDIS_URL`` says only
where that store is,
https://github.com/DIYgod/RSSHub/blob/6f0d1b747a1e664feae5e53bec8edc8d96e4b28c/lib/config/core.js,
``cache.type`` and ``redis.url``): a client that sets it to ``redis`` keeps its cache there,
read as Laravel's cache driver is. So does any variable named for the cache alone or for its
kind (``…_CACHE``, ``CACHE_ENGINE``, ``CACHE_PROVIDER``, ``CACHE_BACKEND``) whose value is
``redis``: ProxiTok's ``API_CACHE`` picks its JSON, APCu or Redis cache engine, and only then
reads ``REDIS_HOST``/``REDIS_URL``
(https://github.com/pablouser1/ProxiTok/blob/0224cd25ebca83ad1bc2a2ff2617256c4ffaf7f2/app/Helpers/Wrappers.php,
``API_CACHE``). A variable that names the cache's host (``CACHE_REDIS_HOST=redis``) is an
address, not this choice: its client's variable already says cache (:mod:`.caching`).
The variables a Kubernetes container loads from a ConfigMap the estate holds (``envFrom``,
``configMapKeyRef``) are read as its own, the store's address among them (``REDIS_HOST`` and
``CACHE_TYPE`` in the map a Spring Boot API loads whole); a map the estate lacks, or a Secret
loaded whole, may set the queue where the audit cannot read.

A Laravel application whose whole environment is read here (its variables and the ConfigMaps it
takes them from, no ``env_file`` nor Secret loaded whole) and names none of those drivers keeps
nothing in Redis that it does not make again: its cache, sessions and queue stay on their
defaults, none of them Redis (config files above), a Redis it is given the address of
(``REDIS_HOST``) holding at most what its code caches there by hand. The application is known by its image, named for Laravel
(``jxlwqq/laravel-7-kubernetes-demo``), and by the key every Laravel application is given
(``APP_KEY``, read by ``config/app.php``:
https://github.com/laravel/laravel/blob/0089439a33dd8a8804f3e180ee618b7223414a92/config/app.php,
``'key' => env('APP_KEY')``);
its value, a credential, is read as a digest only.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.workloads import Container

__all__ = ["laravel_defaults_use", "laravel_redis_use"]

_LARAVEL = ("CACHE_DRIVER", "CACHE_STORE", "SESSION_DRIVER", "BROADCAST_DRIVER",
            "BROADCAST_CONNECTION")  # fmt: skip
# A variable choosing the cache's kind: named for the cache alone (``API_CACHE``) or for its
# type, engine or provider (``CACHE_TYPE``).
_CACHE_KIND = re.compile(r"(^|_)CACHE(_(TYPE|ENGINE|PROVIDER|BACKEND|METHOD))?$", re.IGNORECASE)
_QUEUE = ("QUEUE_CONNECTION", "QUEUE_DRIVER")
_REDIS = "redis"


def laravel_redis_use(container: Container, loaded: Mapping[str, str], whole: bool) -> str:
    """What the container's Laravel drivers keep in Redis when it is made again ('' when its
    drivers put jobs there, name no Redis driver, or may be set where the audit cannot read).
    ``loaded`` are the variables its ConfigMaps give it, ``whole`` when those are every map it
    loads whole (then its ``envFrom`` hides no queue driver)."""
    env = {**loaded, **container.env}
    rebuilt = [*_LARAVEL, *(n for n in env if n not in _LARAVEL and _CACHE_KIND.search(n))]
    chosen = [n for n in rebuilt if _value(env.get(n)) == _REDIS]
    if not chosen:
        return ""
    if any(_value(env.get(n)) == _REDIS for n in _QUEUE):
        return ""
    unread = container.body.get("env_file") or (container.body.get("envFrom") and not whole)
    if unread and not any(n in env for n in _QUEUE):
        return ""
    queue = next((f"{n}={env[n]}" for n in _QUEUE if n in env), "no queue driver set")
    whose = "Laravel's " if set(_LARAVEL).issuperset(chosen) else "the cache's "
    return f"{whose}{' and '.join(f'{n}=redis' for n in chosen)}, its queue elsewhere ({queue})"


def laravel_defaults_use(image: str, names: Collection[str], whole: bool) -> str:
    """What a Laravel client naming no driver keeps in Redis: '' unless its image is named for
    Laravel and ``names`` (every variable it is given, ``whole`` when nothing else may set one)
    hold its key and no driver."""
    if not whole or "laravel" not in image_words(image) or "APP_KEY" not in names:
        return ""
    if any(n in names for n in (*_LARAVEL, *_QUEUE)):
        return ""
    return "Laravel's cache, session and queue drivers left on their defaults"


def _value(raw: str | None) -> str:
    return (raw or "").strip().strip("\"'").lower()
