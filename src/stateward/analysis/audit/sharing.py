r"""Whose state a shared Compose named volume or bound host directory is: the service that
writes it, not its readers.

Several services often mount one volume or bind one host directory: the application and its queue worker, cron runner or
web server; a certificate companion and the proxy it feeds. One of them writes the state; the
others read it or run as further processes of the same application, with no state of their own,
so replacing them loses nothing. For one service's mount, the volume is another's when:

1. the mount is read-only (Compose ``:ro``, ``read_only: true``);
2. another service keeps its data directory there (the image's, one its environment names, or
   a data-named mount) and this one does not; when only this one does, the volume is its own
   whatever the next rules say;
3. the mount is at a program's own state directory, ``/var/lib/<program>`` ("state information
   … specific to an application", FHS 3.0 §5.8:
   https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s08.html), and another writer runs that
   program (its image or service is named for it) while this one does not: a monitor or a
   sibling that mounts ``/var/lib/rspamd`` beside the rspamd service reads or feeds rspamd's
   state;
4. another service's environment names a path inside the volume and this one's does not,
   unless the volume's folder is called for this service (its name, or the program its
   command runs: ClearML's ``fileserver`` keeps ``/mnt/fileserver``, where the API server
   only puts examples), or the named volume itself is (alone or after the project's name:
   LibreTime's ``libretime_playout``, which its ``liquidsoap`` service, run from the same
   image, mounts too); a folder or volume called for another writer is that one's. When that path is
   a subfolder of the volume (``PGDATA=/var/lib/postgresql/data/pgdb``, "another location -
   like a subdirectory - for the database files", https://hub.docker.com/_/postgres, PGDATA)
   and this service keeps its own data directory in the volume (it mounts it at one), each
   holds its part: one host directory for all of an application's data (InvenTree's
   ``INVENTREE_EXT_VOLUME``, its database in ``pgdb/`` and the server's media beside it);
5. the mount is at a web server's read path, its document root or configuration directory,
   which the server reads and never writes (nginx ``/usr/share/nginx/html`` and ``/etc/nginx``,
   https://hub.docker.com/_/nginx; httpd ``/usr/local/apache2/htdocs``,
   https://hub.docker.com/_/httpd; HAProxy ``/usr/local/etc/haproxy``,
   https://hub.docker.com/_/haproxy), and a service of another image writes the volume (one
   of the same image is a further process of the same program, not a writer it serves); and wherever
   the official nginx or httpd image mounts it, with its own command, outside the directories
   the server writes (its cache, logs and temporary files): the server serves or reads what
   another service writes there (an application's uploads, a certificate client's webroot);
6. the writers mount it at paths of their own, and exactly one, running on, mounts it inside a
   folder named for the program it runs (its image's name, or its service's when built with
   none): an application keeps its data in a directory of its own ("An application … must use
   a subdirectory of /var/lib for its data", FHS 3.0 §5.8,
   https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s08.html; Ralph's
   ``MEDIA_ROOT=/var/local/ralph/media``,
   https://github.com/allegro/ralph/blob/c33ead2c5c99808e6e027af5b411a9c7bb160aad/contrib/common/etc/ralph/ralph.conf),
   and a service that mounts it elsewhere (the nginx of ``allegro/ralph-static-nginx`` at
   ``/opt/media``, https://github.com/allegro/ralph/blob/c33ead2c5c99808e6e027af5b411a9c7bb160aad/docker/docker-compose.yml)
   serves or reads what that program writes, whichever of them the other waits for or links
   to. Not from a service that mounts it at its image's own data directory (PostgreSQL's
   ``/var/lib/postgresql/data`` beside InvenTree's ``/home/inventree/data`` on one host
   directory): each holds its part (rule 4);
7. several services write it and the others ``depends_on`` one of them, directly or through
   the services they wait for in turn (a scheduler waiting for the worker that waits for the
   application), while it waits for none of them and runs to serve (ports, or a health check
   its dependants wait on; not a step that ends): that one is the application, the rest are
   its further processes;
8. failing that, the rest of the project ``depends_on`` exactly one of the writers: the
   service other services reach (the web application a proxy, a relay or a worker waits for)
   is the application, and the writers nothing waits for are its consumers, workers and cron
   runners, however many share the volume (one application's processes, often stamped from one
   YAML anchor with the same volumes and environment);
9. failing that, the writers run one image and all but one are background processes, by their
   command (``worker``, ``celery … worker``, ``sidekiq``) or their service name (``cron``,
   ``beat-worker``): the one left is the application (authentik's ``server`` beside its
   ``worker``), the others its processes;
10. failing that, exactly one writer of this service's image runs it with the image's own
   command (no ``command`` or ``entrypoint`` in the Compose file) and serves it (``ports`` or
   ``expose``), and this one names a command of its own: an image's default command, served, is
   what its publisher ships as the whole application
   (Compose ``command`` "overrides the default command declared by the container image",
   https://docs.docker.com/reference/compose-file/services/#command), and the services that
   pick a command from it (a frontend, a worker, a setup step: Mayan EDMS's ``run_frontend``
   and ``run_worker`` beside its all-in-one ``app``) run parts of that application, with no
   state of their own. A service with the default command that serves nothing is no such
   application: a YAML anchor declared as a service of its own (Chatwoot's ``base`` beside
   ``rails`` and ``sidekiq``);
11. failing that, this service runs a reverse proxy, by its image's name (``…-proxy``,
   ``…/web-proxy``; built from the project's Dockerfile with no image named, by its service's
   name), and another writer does not: a proxy serves what the others write (the
   certificates a certificate manager obtains, the challenge files it answers with, an
   application's public files), as ``nginx-proxy`` reads the certificates its ACME companion
   writes (https://github.com/nginx-proxy/acme-companion/blob/main/docs/Persistent-data.md);
12. (checked with rule 5) this service runs the web-server variant of an image whose publisher
   splits it in two, a tag naming the server (``stable-nginx``), and mounts the volume where a
   service running another variant of the same repository (``stable-phponly``) does: the server
   serves the files the application writes there. HumHub's images: "nginx (e.g.
   ``humhub:1.15-nginx``): Only static files and nginx proxy config without php", beside
   "phponly …: HumHub sources bundled with php-fpm. Needs a fcgi application-server"
   (https://github.com/mriedmann/humhub-docker/blob/6bb3dc908c7af3a930d500397d9394280cd55753/README.md,
   "Variants"; its ``docker-compose.prod.yml`` mounts uploads, assets, modules and themes in
   both).

Two services built from the same folder (Compose ``build``), their images unnamed, run one
image, as two of one named image do (misago's application and its Celery worker).

Before rules 6 to 11, a host folder bound from inside one writer's build context is that
program's (:mod:`.source_folders`: Wafrn's ``./packages/backend/uploads``, which its backend
writes and its front serves, though the backend waits for the front); only the services of
its image then decide which of them keeps it.

A one-shot step the others wait for (below) is not the application of rules 7 and 8: it has
ended before they start (Grafana OnCall's migration beside its ``engine`` and ``celery``). Nor
is a reverse proxy (rule 11's) for a writer that is none: the project waits for the proxy to be
routed through, not for its files (misago_docker's application waits for the certificate
companion, which waits for ``nginx-proxy``; the proxy serves the application's
``./misago/media``, which the application writes,
https://github.com/rafalp/misago_docker/blob/71763536f3689ed691cfe46b7177b0009c414c05/docker-compose.yaml).

A program its image's documentation says writes nothing to the directory it shares holds none
of it, and is no writer for the rules above (nor is a web server of rule 5 that only serves it): RustDesk's relay ``hbbr`` run with no key
(``-k``/``KEY`` empty, its default) "neither loads nor generates a key" and keeps no database,
while ``hbbs`` from the same image, beside it on one bind, generates its key pair and writes
its SQLite peer registry in the working directory
(https://github.com/rustdesk/rustdesk-server/blob/538aef71d1265ecb91990434927c745faa766cd8/docs/environment-variables.md,
"Keys and encryption", "Database").
LinuxServer.io's WireGuard run with its own command and no ``PEERS`` is in client mode: it
generates no server or peer configuration, and brings up the ``wg0.conf`` put in ``/config``
("Client Mode: Do not set the ``PEERS`` environment variable. Drop your client conf into the
config folder as ``/config/wg0.conf``",
https://github.com/linuxserver/docker-wireguard/blob/0101801b4666889e3813c805729560f978b5e38f/readme-vars.yml);
a manager that binds the same folder (WireGuard UI at ``/etc/wireguard``) writes it.

A one-shot setup step holds none of the volumes it prepares: a service another one waits for
with ``condition: service_completed_successfully`` runs to its end before that one starts
(https://docs.docker.com/reference/compose-file/services/#depends_on), as a step that creates
or ``chown``\ s the volume the application then writes; it is checked before rule 2 and left
out of rule 9's applications.

A volume no other service writes is this service's own.

A volume or host directory mounted at a run-time directory (``/var/run/mysqld``, ``/run/...``)
holds no state at all, only sockets and PID files created again at start. Shared between a
database image and other services it is how they reach it: mailcow's ``mysql-socket-vol-1``
at ``/var/run/mysqld/`` in MariaDB and in the PHP, SOGo and ACME services that connect through
its unix socket (MariaDB's ``socket`` option, default ``/run/mysqld/mysqld.sock`` in the
official image: https://mariadb.com/kb/en/server-system-variables/#socket). Each of those is a
client of that database (:func:`socket_servers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from stateward.analysis.audit.appdata import DATA_FILES, data_pointers, runtime_directory
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import (
    celery_process,
    data_image,
    image_words,
    named,
    repository,
)
from stateward.analysis.audit.source_folders import source_keeper
from stateward.analysis.audit.steps import one_shot, runs_to_completion
from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_list

__all__ = [
    "node_socket_servers",
    "owned_elsewhere",
    "built_for_a_server",
    "read_from_writer",
    "served_claim",
    "served_writers",
    "socket_servers",
    "sole_writer",
    "web_served",
]

_READ_PATHS = (
    "/usr/share/nginx/html",
    "/etc/nginx",
    "/usr/local/apache2/htdocs",
    "/usr/local/apache2/conf",
    "/usr/local/etc/haproxy",
)

HoldsData = Callable[[Workload, Mount], bool]
"""Whether a workload keeps a data directory on the volume or host directory of a mount (given
by the caller, whose module knows the data directories)."""


def owned_elsewhere(workload: Workload, mount: Mount, estate: Estate, holds: HoldsData) -> str:
    """Why the volume (or bound directory) at ``mount`` holds another service's state ('' when
    it may be this one's)."""
    if mount.read_only:
        return "read-only: a view of data kept elsewhere"
    sharers = estate.volume_users(workload.namespace, mount.source, mount.kind)
    writers = [o for o in sharers if o is not workload and _writes(o, mount)]
    if not writers:
        return ""
    if idle := _writes_nothing(workload):
        return f"{idle}; shared with {writers[0].name}"
    if served := web_served(workload, mount):
        return f"{served}; written by {writers[0].name}"
    if keeper := _public_disk_keeper(workload, mount, sharers):
        return f"Laravel's public disk as storage:link links it; kept by {keeper.name}"
    if variant := _server_variant(workload, writers, mount):
        return variant
    if one_shot(workload, estate):
        return f"a one-shot step run before the services it prepares it for ({writers[0].name})"
    mine = holds(workload, mount)
    holding = [o for o in writers if holds(o, mount) and not _public_disk_keeper(o, mount, sharers)]
    if mine and not holding:
        return ""  # its own data directory, beside services that only read or follow it
    if holding and not mine:
        return f"shared with {holding[0].name}, whose data directory it holds"
    files = _database_files(workload, mount)
    if (
        mine
        and files
        and all(_other_program(o, workload) and not files & _database_files(o, mount)
                for o in holding)
    ):  # fmt: skip
        return ""  # the database file it is told to write is there: its records
    program = _state_of(mount)
    if program and not _runs(workload, program):
        if runner := next((o for o in writers if _runs(o, program)), None):
            return f"{program}'s state directory, shared with {runner.name}, which runs it"
    if _named_for(workload, mount, estate):
        return ""  # the folder is called for this service: its own, whoever points into it
    if namesake := next((o for o in writers if _named_for(o, mount, estate)), None):
        return f"shared with {namesake.name}, the service it is named for"
    named = [o for o in writers if _env_points_into(o, mount)]
    if named and not _env_points_into(workload, mount):
        if mine and not any(_env_points_into(o, mount, at_root=True) for o in named):
            return ""  # they name a subfolder of it; this one keeps its data directory there
        return f"shared with {named[0].name}, whose environment names a path in it"
    # The server reads what another program writes: a writer of this service's own image is a
    # further process of the same program (OpnForm's api, worker and scheduler, PHP-FPM images
    # that keep Laravel's storage under /usr/share/nginx/html), not one the path says it serves.
    others = [o for o in writers if not _same_image(o, workload)]
    if others and any(_overlap(mount, path) for path in _READ_PATHS):
        return f"a web server's read path; written by {others[0].name}"
    if (builder := source_keeper([workload, *writers], mount, _same_image)) is not None:
        if not _same_image(builder, workload):
            return f"shared with {builder.name}, from whose build context it is bound"
        # Its own program's folder: only the services of its image decide below which of
        # them keeps it (the application beside its worker and migration).
        sharers = [s for s in sharers if _same_image(s, workload)]
        writers = [w for w in writers if _same_image(w, workload)]
        if not writers:
            return ""
    keeper = _folder_keeper(workload, writers, mount, estate)
    if keeper is workload:
        return ""  # where it mounts the volume is named for its program; no other's is
    if keeper is not None:
        return f"shared with {keeper.name}, which mounts it in the folder named for its program"
    # A one-shot step the others wait for has ended before they start: not the application;
    # nor is a reverse proxy beside one that is none: it is waited for to route to the others.
    proxy = _a_proxy(workload)
    steady = {w.name for w in writers if not one_shot(w, estate) and (proxy or not _a_proxy(w))}
    leaned_on = _depended_on(sharers) & steady
    if len(leaned_on) == 1 and workload.name not in _depended_on(sharers):
        return f"shared with {leaned_on.pop()}, the service the others depend on"
    if application := _reached_by_all(workload, sharers, writers, estate):
        return f"shared with {application}, the service the others depend on, in turn"
    project = _depended_on(estate.compose_project(workload.namespace))
    reached = project & steady
    if len(reached) == 1 and workload.name not in project:
        return f"shared with {reached.pop()}, the service the rest of the project depends on"
    fronts = [
        w for w in (workload, *writers)
        if not _background(w) and not one_shot(w, estate) and (proxy or not _a_proxy(w))
    ]  # fmt: skip
    if len(fronts) == 1 and fronts[0] is not workload and _same_image(fronts[0], workload):
        return f"shared with {fronts[0].name}, whose background process it is"
    return _part_of(workload, writers, sharers) or _proxy_of(workload, writers)


def _database_files(workload: Workload, mount: Mount) -> set[str]:
    """The database files its environment or command names (``DATABASE_URL=sqlite:////app/data/x.db``)
    in the volume: an embedded database has one writer, the program that opens it (SQLite
    locks the file for each write, https://www.sqlite.org/lockingv3.html), so the records in the
    volume are this service's, whatever a program of another image keeps beside them (a proxy's
    certificates). Services of its own image may open the same file, and so may another
    program told the same file (a web UI beside the service that owns the database, waiting
    for it): rules below decide which of them keeps it."""
    return {
        path
        for c in workload.containers
        for path in data_pointers(c)
        if path.endswith(DATA_FILES) and mount.covers(path)
    }


def _other_program(other: Workload, workload: Workload) -> bool:
    return not _same_image(other, workload)


def _named_for(workload: Workload, mount: Mount, estate: Estate) -> bool:
    r"""Rule 4's exception: the mount's folder is called for this service, by its name or the
    program its command runs, and the service runs to serve (ClearML's ``fileserver`` at
    ``/mnt/fileserver``, beside the API server that points its examples there): the service
    of that name keeps it. A step that prepares the folder and ends (a ``sqlite`` service
    that ``chmod``\ s ``/mnt/sqlite``) keeps nothing. So is a named volume called for the
    service (:func:`_volume_named_for`), whether it serves or works in the background."""
    if one_shot(workload, estate):
        return False
    if _volume_named_for(workload, mount):
        return True
    if not _long_running(workload):
        return False
    last = mount.target.rstrip("/").rpartition("/")[2].lower()
    primary = workload.primary
    command = primary.command[:1] if primary is not None else []
    names = {workload.name.lower(), *(w.rpartition("/")[2].lower() for w in command)}
    return len(last) > 3 and last in names


def _volume_named_for(workload: Workload, mount: Mount) -> bool:
    """A named volume called for the service, alone or after its project's name
    (LibreTime's ``libretime_playout`` beside its ``playout`` service): the project's author
    named it for the service that keeps it, whoever else of its image mounts it."""
    if mount.kind != "volume":
        return False
    volume, project = mount.source.lower(), workload.namespace.lower()
    for separator in ("_", "-"):
        volume = volume.removeprefix(project + separator)
    return len(volume) > 3 and volume == workload.name.lower()


def _reached_by_all(
    workload: Workload, sharers: list[Workload], writers: list[Workload], estate: Estate
) -> str:
    """Rule 7, through other services: the one other writer, running to serve, that every sharer
    but the one-shot steps waits for, directly or through the services it waits for, and that
    waits for none of them ('' when there is none)."""
    waits = _waits_for(estate.compose_project(workload.namespace))
    names = {w.name for w in sharers if not one_shot(w, estate)}
    reached = {name: _closure(name, waits) for name in names}
    serving = {w.name for w in writers if _long_running(w)}
    found = [
        name for name in names & serving
        if not reached[name] & names and all(name in reached[o] for o in names - {name})
    ]  # fmt: skip
    return found[0] if len(found) == 1 else ""


def _long_running(workload: Workload) -> bool:
    """The service says it keeps running to serve: it publishes or exposes a port, or has a
    health check its dependants can wait for (not a step that ends, which nothing checks)."""
    return any(workload.body.get(key) for key in ("ports", "expose", "healthcheck"))


def _waits_for(project: list[Workload]) -> dict[str, set[str]]:
    """Each service's ``depends_on`` and ``links`` targets."""
    return {w.name: _declared(w) for w in project}


def _closure(name: str, waits: dict[str, set[str]]) -> set[str]:
    """Every service ``name`` waits for, directly or in turn."""
    seen: set[str] = set()
    todo = list(waits.get(name, ()))
    while todo:
        if (next_name := todo.pop()) not in seen:
            seen.add(next_name)
            todo.extend(waits.get(next_name, ()))
    return seen


def _proxy_of(workload: Workload, writers: list[Workload]) -> str:
    """Rule 11: a reverse proxy, by its image's name, beside a writer that is none ('' when
    not)."""
    if not _a_proxy(workload):
        return ""
    other = next((w for w in writers if not _a_proxy(w)), None)
    return f"a proxy serving what {other.name} writes" if other is not None else ""


def _a_proxy(workload: Workload) -> bool:
    primary = workload.primary
    if primary is None:
        return False
    # A service built from the project's Dockerfile, its image unnamed, is named by its service
    # (misago_docker's ``nginx-proxy``, built FROM jwilder/nginx-proxy).
    built = workload.platform == "compose" and workload.body.get("build") and not primary.image
    return "proxy" in image_words(workload.name if built else primary.image)


def _part_of(workload: Workload, writers: list[Workload], sharers: list[Workload]) -> str:
    """Rule 10: the one writer of this image that runs the image's own command, when this one
    runs a command of its own ('' otherwise). That writer must serve: publish a port, or be
    what another sharer ``depends_on``: ERPNext's ``backend``, no port of its own, behind the
    ``frontend`` that depends on it and forwards to it
    (https://github.com/frappe/frappe_docker/blob/4b9d35666abd84157ffadbf67558bbd3e1e39de7/pwd.yml).
    One that nothing reaches may be the template the others extend (Chatwoot's ``base``, whose
    keys its ``rails`` and ``sidekiq`` merge): it is not told apart."""
    if not _own_command(workload):
        return ""
    whole = [w for w in writers if _same_image(w, workload) and not _own_command(w)]
    if len(whole) != 1:
        return ""
    published = any(whole[0].body.get(key) for key in ("ports", "expose"))
    if not published and whole[0].name not in _depended_on(sharers):
        return ""
    return f"shared with {whole[0].name}, which runs the image's own command; this one a part of it"


def _own_command(workload: Workload) -> bool:
    """The service names a ``command`` or ``entrypoint`` of its own."""
    return any(workload.body.get(key) is not None for key in ("command", "entrypoint"))


def socket_servers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The services whose run-time (socket) directory this Compose service mounts: a database's,
    or a program's own folder below ``/run`` (:func:`_program_run_folder`)."""
    for mount in workload.mounts:
        if mount.kind not in ("volume", "bind") or not runtime_directory(mount.target):
            continue
        for other in estate.volume_users(workload.namespace, mount.source, mount.kind):
            if other is not workload and _serves_socket(other, mount):
                yield other, f"socket directory {mount.source} at {mount.target}"


def node_socket_servers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The workloads serving a socket in a node's run-time directory that this one mounts
    read-only (a hostPath under ``/run``), where they mount it writable: SPIRE's agent
    DaemonSet, which creates its Workload API socket in ``/run/spire/sockets``, and the pods
    that fetch their identities from that socket
    (https://spiffe.io/docs/latest/deploying/spire_agent/,
    ``socket_path``)."""
    for mount in workload.mounts:
        if mount.kind != "hostPath" or not mount.read_only or not _socket_folder(mount.source):
            continue
        for other in estate.volume_users("", mount.source, "hostPath"):
            if other is not workload and any(
                m.kind == "hostPath" and m.source == mount.source and not m.read_only
                for m in other.mounts
            ):
                yield other, f"socket directory {mount.source} of the node"


def _socket_folder(path: str) -> bool:
    """A program's folder in the node's run-time directory (``/run/spire/sockets``): not
    ``/run`` itself, nor the container engine's socket (``/var/run/docker.sock``), which the
    node's engine serves, not another pod."""
    words = [w for w in path.lower().split("/") if w]
    depth = 1 if words[:1] == ["run"] else 2
    return runtime_directory(path) and len(words) > depth and not words[-1].endswith(".sock")


def _public_disk_keeper(
    workload: Workload, shared: Mount, sharers: list[Workload]
) -> Workload | None:
    """The sharer keeping a Laravel application's public disk (``storage/app/public``) that this
    service mounts where ``php artisan storage:link`` links it, at ``public/storage``: the web
    server serving those files from the link, not their keeper ("The Public Disk",
    https://laravel.com/docs/11.x/filesystem#the-public-disk; the link is
    ``public_path('storage') => storage_path('app/public')`` in ``config/filesystems.php``,
    https://github.com/laravel/laravel/blob/2c4fa1ab2815fd10f6e797f76c407a5fddb294aa/config/filesystems.php)."""
    if not any(_ends_with(m.target, _LINK) for m in _volume_mounts(workload, shared)):
        return None
    return next(
        (
            o
            for o in sharers
            if o is not workload
            and any(_ends_with(m.target, _PUBLIC_DISK) for m in _volume_mounts(o, shared))
        ),
        None,
    )


_LINK = ("public", "storage")
_PUBLIC_DISK = ("storage", "app", "public")


def _ends_with(target: str, words: tuple[str, ...]) -> bool:
    return tuple(w for w in target.lower().split("/") if w)[-len(words) :] == words


def _serves_socket(workload: Workload, shared: Mount) -> bool:
    primary = workload.primary
    return primary is not None and any(
        runtime_directory(m.target)
        and (data_image(primary.image) is not None or _program_run_folder(primary.image, m.target))
        for m in _volume_mounts(workload, shared)
    )


def _program_run_folder(image: str, target: str) -> bool:
    """The run-time directory is the image's program's own: a program keeps its sockets in a
    subdirectory of ``/run`` named for itself (FHS 3.0 §3.15: "programs may have a subdirectory
    of /run"), as Greenbone's ospd-openvas does at ``/run/ospd`` (``DEFAULT_PID_PATH``
    ``/run/ospd/ospd.pid``,
    https://github.com/greenbone/ospd-openvas/blob/022ee92dbb7b98783ebfa135a7303be3848f8b50/ospd/parser.py),
    its image named ``ospd-openvas``. Only a folder below ``/run``, and matched by the
    repository name's first word or whole, so that ``/run`` itself or ``/var/run/docker.sock``
    names no image."""
    words = [w for w in target.lower().split("/") if w]
    depth = 1 if words[:1] == ["run"] else 2
    if len(words) != depth + 1 or words[-1].endswith(".sock"):
        return False
    name = repository(image).rsplit("/", 1)[-1]
    return words[-1] in (name, re.split(r"[-_.]", name, maxsplit=1)[0])


def _state_of(mount: Mount) -> str:
    """The program whose ``/var/lib/<program>`` directory the mount is ('' for another path)."""
    words = [w for w in mount.target.lower().split("/") if w]
    return words[2] if len(words) == 3 and words[:2] == ["var", "lib"] else ""


def _folder_keeper(
    workload: Workload, writers: list[Workload], mount: Mount, estate: Estate
) -> Workload | None:
    """Rule 6: the one writer, running on, that mounts the volume inside a folder named for
    the program it runs, unless that is another and this one mounts it at its image's own data
    directory (None when the mounts do not say)."""
    named_for = [
        w for w in (workload, *writers) if not one_shot(w, estate) and _in_program_folder(w, mount)
    ]
    if len(named_for) != 1:
        return None
    keeper = named_for[0]
    return None if keeper is not workload and _at_family_directory(workload, mount) else keeper


def _in_program_folder(workload: Workload, shared: Mount) -> bool:
    """The service mounts the volume writable inside a folder named for its program: its
    image's name (``/var/local/ralph/media`` in ``allegro/ralph``), or its service's when it is
    built with none."""
    primary = workload.primary
    if primary is None:
        return False
    program = named(primary.image).partition(":")[0] if primary.image else workload.name.lower()
    return len(program) > 3 and any(
        program in [w for w in m.target.lower().split("/") if w]
        for m in _volume_mounts(workload, shared)
        if not m.read_only
    )


def _at_family_directory(workload: Workload, shared: Mount) -> bool:
    """The service mounts the volume at a data directory of its image's data family
    (PostgreSQL's ``/var/lib/postgresql/data``)."""
    primary = workload.primary
    family = data_image(primary.image) if primary is not None and primary.image else None
    return family is not None and any(
        _overlap(m, d) for m in _volume_mounts(workload, shared) for d in family.data_dirs
    )


def _runs(workload: Workload, program: str) -> bool:
    primary = workload.primary
    named = image_words(primary.image) if primary is not None else []
    return program in named or program in re.split(r"[^a-z0-9]+", workload.name.lower())


# What a background process of an application is called, by its command (``worker``,
# ``celery … worker``, ``sidekiq``) or its service name (``beat-worker``, ``cron``). Flower is
# Celery's monitor, run from the application's image beside its worker and beat ("a web based
# tool for monitoring and administrating Celery clusters", https://flower.readthedocs.io/en/latest/),
# keeping nothing unless told to (``persistent``, default False:
# https://flower.readthedocs.io/en/latest/config.html#persistent).
_BACKGROUND = frozenset(
    {"worker", "workers", "celery", "sidekiq", "rq", "rqworker", "beat", "scheduler", "cron",
     "consumer", "jobs", "queue", "flower"}
)  # fmt: skip


def _background(workload: Workload) -> bool:
    primary = workload.primary
    words = [w.rsplit("/", 1)[-1].lower() for w in (primary.command if primary else [])[:3]]
    named = set(re.split(r"[^a-z0-9]+", workload.name.lower()))
    started = [p for w in words for p in w.split("-")]  # ``/start-celeryworker``
    return bool(_BACKGROUND.intersection(words) or _BACKGROUND & named) or any(
        celery_process(w) for w in (*started, *named)
    )


def _same_image(one: Workload, other: Workload) -> bool:
    # The same build is the same image, whatever each names it: Compose builds it and tags it
    # with ``image`` (https://docs.docker.com/reference/compose-file/build/#using-build-and-image;
    # LocusZoom's celeryworker, celerybeat and flower, its django service through an anchor).
    contexts = {_build_context(one), _build_context(other)}
    if len(contexts) == 1 and "" not in contexts:
        return True
    images = {w.primary.image for w in (one, other) if w.primary is not None}
    return len(images) == 1 and "" not in images


def _build_context(workload: Workload) -> str:
    """The build context of a Compose service built from a Dockerfile ("" for none)."""
    build = workload.body.get("build") if workload.platform == "compose" else None
    context = build.get("context") if isinstance(build, dict) else build
    dockerfile = build.get("dockerfile") if isinstance(build, dict) else None
    return f"{context}:{dockerfile or ''}" if isinstance(context, str) and context else ""


def _volume_mounts(workload: Workload, shared: Mount) -> Iterator[Mount]:
    return (m for m in workload.mounts if (m.kind, m.source) == (shared.kind, shared.source))


def _writes(workload: Workload, shared: Mount) -> bool:
    writable = [m for m in _volume_mounts(workload, shared) if not m.read_only]
    served = all(web_served(workload, m) for m in writable)
    return bool(writable) and not served and not _writes_nothing(workload)


# (image repository, program its command runs, '' for the image's own command) -> (settings
# that would make it write, what it is): the programs the module docstring names.
_WRITES_NOTHING: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("rustdesk/rustdesk-server", "hbbr"): (("-k", "--key", "KEY"), "the relay, run with no key"),
    ("linuxserver/wireguard", ""): (("PEERS",), "WireGuard in client mode (no PEERS)"),
}


def _writes_nothing(workload: Workload) -> str:
    """What the program is, when its documentation says it writes nothing where it is mounted
    ('' otherwise)."""
    primary = workload.primary
    if primary is None:
        return ""
    program = primary.command[0].rsplit("/", 1)[-1] if primary.command else ""
    settings, what = _WRITES_NOTHING.get((repository(primary.image), program), ((), ""))
    given = any(w.split("=", 1)[0] in settings for w in primary.command[1:])
    keyed = any(primary.env.get(s, "").strip() for s in settings)
    return "" if not what or given or keyed else f"{program}, {what}, writes nothing here"


def _overlap(mount: Mount, path: str) -> bool:
    """The mount holds ``path`` or is mounted inside it: the two overlap."""
    return mount.covers(path) or at_or_under(mount.target, path)


def _env_points_into(workload: Workload, shared: Mount, at_root: bool = False) -> bool:
    """Whether a variable names a path in the volume (``at_root``: the volume's own directory,
    not a subfolder of it)."""
    targets = [m for m in _volume_mounts(workload, shared) if not m.read_only]
    values = [v.strip() for c in workload.containers for v in c.env.values()]
    return any(
        v.startswith("/") and m.covers(v) and (not at_root or v.rstrip("/") == m.target.rstrip("/"))
        for v in values
        for m in targets
    )


def _depended_on(sharers: list[Workload]) -> set[str]:
    """Names of sharers another sharer declares ``depends_on`` (or ``links``)."""
    names = {w.name for w in sharers}
    found: set[str] = set()
    for workload in sharers:
        found.update(t for t in _declared(workload) if t in names and t != workload.name)
    return found


def _declared(workload: Workload) -> set[str]:
    """The services a Compose service declares it needs (``depends_on``, ``links``)."""
    declared: Any = workload.body.get("depends_on") or []
    links = [str(link).split(":")[0] for link in as_list(workload.body.get("links"))]
    return {*map(str, declared if isinstance(declared, list | dict) else []), *links}


# The web servers' official images, and the directories their server writes: nginx its cache
# and temporary files (``/var/cache/nginx``), PID and logs (https://hub.docker.com/_/nginx,
# "Running nginx as a non-root user"); httpd its logs (``/usr/local/apache2/logs``,
# https://hub.docker.com/_/httpd). Anything else it mounts it serves or reads: files another
# service writes (an application's uploads and static files, a certificate client's webroot
# challenges). Images built on them that keep state of their own (Nginx Proxy Manager's
# SQLite database) are other repositories, not these.
_WEB_SERVERS: dict[str, tuple[str, ...]] = {
    "nginx": ("/var/cache/nginx", "/var/log/nginx", "/var/run", "/run", "/tmp"),
    "nginxinc/nginx-unprivileged": ("/var/cache/nginx", "/var/log/nginx", "/tmp"),
    "httpd": ("/usr/local/apache2/logs", "/tmp"),
    # Bitnami's nginx writes its PID and temporary files under /opt/bitnami/nginx/tmp and its
    # logs under /opt/bitnami/nginx/logs (``NGINX_TMP_DIR``, ``NGINX_LOGS_DIR``), its sample
    # certificates under conf/bitnami, and reads the server blocks it includes
    # (https://github.com/bitnami/containers/blob/477b49eb746256f8b54c7f12f4b216fe3c8866d2/bitnami/nginx/1.25/debian-11/rootfs/opt/bitnami/scripts/nginx-env.sh;
    # https://github.com/bitnami/containers/blob/957b41791e2c95ecead8217fe178e6c7928b366b/bitnami/nginx/1.25/debian-11/rootfs/opt/bitnami/nginx/conf/nginx.conf).
    "bitnami/nginx": (
        "/opt/bitnami/nginx/tmp",
        "/opt/bitnami/nginx/logs",
        "/opt/bitnami/nginx/conf/bitnami",
        "/tmp",
    ),
}


# The words a tag uses for an image's web-server variant (``stable-nginx``, ``2.1-apache``).
_SERVER_TAGS = frozenset({"nginx", "apache", "httpd", "caddy"})


def _server_variant(workload: Workload, writers: list[Workload], mount: Mount) -> str:
    """Rule 12: this service runs its repository's web-server variant (a tag naming the server)
    and mounts the volume where a writer running another variant of the same repository does:
    the server serves the application's files ('' when not)."""
    primary = workload.primary
    ref = primary.image if primary is not None else ""
    server = _SERVER_TAGS.intersection(_tag_words(ref))
    if not server:
        return ""
    targets = {m.target.rstrip("/") for m in _volume_mounts(workload, mount)}
    for other in writers:
        image = other.primary.image if other.primary is not None else ""
        if repository(image) != repository(ref) or _SERVER_TAGS & _tag_words(image):
            continue
        if targets & {m.target.rstrip("/") for m in _volume_mounts(other, mount)}:
            return (f"the {min(server)} variant of {repository(ref)}, serving what "
                    f"{other.name} writes at the same path")  # fmt: skip
    return ""


def _tag_words(ref: str) -> set[str]:
    name = ref.split("@", 1)[0].lower().rpartition("/")[2]
    return set(re.split(r"[^a-z0-9]+", name.partition(":")[2])) - {""}


def served_claim(workload: Workload, mount: Mount, estate: Estate) -> str:
    """Why a Kubernetes web server's claim is another workload's (rule 5 for claims: the
    official nginx or httpd image, with its own command, serving what another workload writes
    on the same claim: Roundcube's nginx beside its PHP-FPM pod); '' when it is not."""
    others = estate.claim_users(workload.namespace, mount.source)
    writers = [o for o in others if o is not workload and _writes(o, mount)]
    served = web_served(workload, mount) if writers else ""
    return f"{served}; written by {writers[0].name}" if served else ""


def read_from_writer(workload: Workload, mount: Mount, estate: Estate) -> str:
    """Why a claim a Kubernetes workload mounts only read-only (``readOnly: true``: "Mounted
    read-only if true", https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#volumes-1)
    is another workload's: one that runs on writes it (rule 1 for claims: what is written
    there is the writer's); '' when none does (then what it reads was put there before, and
    is read as a warm-up)."""
    others = estate.claim_users(workload.namespace, mount.source)
    writers = [
        o for o in others if o is not workload and not runs_to_completion(o) and _writes(o, mount)
    ]
    return f"read-only; written by {writers[0].name}, which keeps it" if writers else ""


def sole_writer(workload: Workload, mount: Mount, estate: Estate) -> str:
    """Why a claim every pod can mount read-write (``ReadWriteMany``) is still this workload's
    state: it writes there, runs on (its pods are restarted: not a ``Job``, ``CronJob`` or a
    ``Pod`` whose ``restartPolicy`` lets it end, which leave a result and stop:
    https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy) and no
    other workload of the estate writes there, the others (if any) only reading it ('' otherwise).
    The access mode says the volume can be mounted by many nodes
    (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes), not that
    anyone else keeps anything on it: what is written there is the writer's (rule 1 of the
    module docstring, for claims)."""
    if runs_to_completion(workload) or not _writes(workload, mount):
        return ""
    others = estate.claim_users(workload.namespace, mount.source)
    if any(o is not workload and _writes(o, mount) for o in others):
        return ""
    readers = sorted(o.name for o in others if o is not workload)
    return f"written by this workload alone; read by {', '.join(readers)}" if readers else (
        "written by this workload alone")  # fmt: skip


def served_writers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The services of its project that write what this web server serves (rule 5: a volume
    or project folder it only reads, which they mount writable): it depends on them for the
    files it answers with (Padloc's nginx serving ``root /pwa`` from the volume its ``pwa``
    service builds the web app into)."""
    if workload.platform != "compose":
        return
    for mount in workload.mounts:
        if mount.kind not in ("volume", "bind") or not web_served(workload, mount):
            continue
        for other in estate.volume_users(workload.namespace, mount.source, mount.kind):
            if other is not workload and _writes(other, mount):
                yield other, f"serves {mount.source}, which {other.name} writes"


# A command that builds (``build``, an entrypoint's argument; ``npm run build``): what it
# writes is made again by running it.
_RUNNERS = frozenset({"npm", "yarn", "pnpm"})


def _builds(workload: Workload) -> bool:
    primary = workload.primary
    words = [w.lower() for w in primary.command[:3]] if primary is not None else []
    if words[:1] == ["build"]:
        return True
    return len(words) >= 2 and words[0] in _RUNNERS and words[-1] == "build"


def built_for_a_server(workload: Workload, mount: Mount, estate: Estate) -> str:
    """Why a volume holds a build of files a web server of the project serves ('' when not):
    the service runs a build into it and an official web server reads it (rule 5), as Padloc's
    ``pwa`` (``command: ["build"]``) writes the web app its nginx serves; the build makes it
    again."""
    if mount.read_only or not _builds(workload):
        return ""
    for other in estate.volume_users(workload.namespace, mount.source, mount.kind):
        if other is not workload and any(
            web_served(other, m) for m in _volume_mounts(other, mount)
        ):
            return f"a build {other.name} serves, made again by the build"
    return ""


def web_served(workload: Workload, mount: Mount) -> str:
    """What the web server this service runs does with the mount, when it only reads it ('' when
    it is no such server, runs a command of its own, or writes there)."""
    primary = workload.primary
    writes = _WEB_SERVERS.get(repository(primary.image)) if primary is not None else None
    if writes is None or primary is None or primary.command:
        return ""
    if any(_overlap(mount, path) for path in writes):
        return ""
    return f"{repository(primary.image)} serves or reads it, writing only its cache and logs"
