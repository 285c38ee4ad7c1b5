"""Compose service volumes (Compose Specification, ``services.volumes`` and ``tmpfs``).

A bind mount is a host directory: it outlives every re-create but lives on that host only. A
named volume survives re-create and ``down`` (not ``down -v``), on one Docker host (Swarm's
``local`` driver: one node). An anonymous volume is re-attached on ``up`` and removed by
``down -v``. A tmpfs is memory: lost on every stop.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from stateward.analysis.audit.appdata import (
    configuration,
    kernel_interface,
    named_for_data,
    runtime_directory,
    scratch_folder,
    shared_read_only,
    static_assets,
)
from stateward.analysis.audit.broker_configs import unpersisted_mosquitto
from stateward.analysis.audit.caching import cache_target
from stateward.analysis.audit.caddy_sites import plain_http
from stateward.analysis.audit.dev_stacks import test_store, unused_dev_database
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.knowledge import reissued
from stateward.analysis.audit.model_inputs import model_input
from stateward.analysis.audit.own_folders import own_folder
from stateward.analysis.audit.regenerated import (
    config_written_when_missing,
    rendered,
    written_again,
)
from stateward.analysis.audit.rules.data import (
    data_family,
    data_mounts,
    keeps_its_records,
    rebuilt_index,
)
from stateward.analysis.audit.rules.host import host_access
from stateward.analysis.audit.sharing import built_for_a_server, owned_elsewhere
from stateward.analysis.audit.sibling_jobs import job_exchange
from stateward.analysis.audit.steps import one_shot
from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.filepaths import at_or_under
from stateward.model.finding import Severity
from stateward.model.kubernetes import dig
from stateward.model.resource import Resource

__all__: list[str] = []

# What a project's own comment on a volume says when its content is fetched or built again:
# ``# cached debug symbols; upon removal they are re-downloaded``.
_CACHE_COMMENT = re.compile(r"\bcach(e|ed|es|ing)\b|\bre-?(download|fetch|generat|buil)", re.I)


def _mounts(workload: Workload, kind: str) -> Iterator[Mount]:
    if workload.platform == "compose":
        yield from (m for m in workload.mounts if m.kind == kind)


def _mode(mount: Mount) -> str:
    return "read-only" if mount.read_only else "read-write"


@detector(
    "COMPOSE_BIND",
    Severity.LOW,
    Effect.CONTEXT,
    remedy="Data written here lives on this host only; use a named volume for data.",
)
def compose_bind(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Bind mount of a host path (source, config or data): kept, but only on this host.

    A writable bind at a directory named for a cache or dependencies (``media-cache``,
    ``node_modules``) holds what the program generates or fetches again, as a named volume
    there does: a warm-up (for the service that writes it: the sharing rules first); so does
    one named for backups (``./dbbackup`` at ``/backup``), copies of records kept elsewhere, as
    a named volume there (:func:`compose_named_volume`).

    A writable bind another service writes too is that service's state when the sharing rules
    say so (:mod:`stateward.analysis.audit.sharing`): a worker or further process of the
    application that binds the same directory holds nothing of its own.

    A writable bind of a project folder under a name that says nothing of data (``./var`` at
    ``/srv/var``) into a long-running service is the program's own state, kept on this host,
    unless the estate says it is code, configuration, what the operator supplies (plugins,
    themes, assets), a drop folder the service empties, or the service keeps its records in a
    database the estate gives it (:mod:`stateward.analysis.audit.own_folders`).

    The data directory of a database server no service of a developer's stack is configured to
    use holds none of the project's records, nor does a store named for tests in a file of
    backing services only (:mod:`stateward.analysis.audit.dev_stacks`).

    A writable bind at its own host path, named for jobs, beside the engine's socket is where the
    service exchanges files with the containers it starts
    (:mod:`stateward.analysis.audit.sibling_jobs`): no state of its own. A bind the program's
    setting names as the model it loads (``langtool_languageModel=/ngrams``) is a data set the
    operator downloaded for it to read (:mod:`stateward.analysis.audit.model_inputs`). A project
    folder shipping files into a directory the catalogue reads as the program's defaults,
    written again (SearXNG's ``/etc/searxng``), is the operator's configuration: none."""
    binds = list(_mounts(workload, "bind"))
    if not binds:  # a Kubernetes workload, or a service binding nothing: its data mounts unread
        return
    data = [m for c in workload.containers for m in data_mounts(workload, c)]
    index = rebuilt_index(workload, estate)
    unused = _unused_database(workload, estate) if data else ""
    for mount in binds:
        if host_access(mount) is None:
            owner = "" if mount.read_only else owned_elsewhere(workload, mount, estate, _holds_data)
            owner = owner or _rendered(workload, mount) or (unused if mount in data else "")
            owner = owner or job_exchange(workload, mount) or model_input(workload, mount)
            owner = owner or _run_script(workload, mount)
            owner = owner or _supplied(workload, mount, rebuilt=bool(index) and mount in data)
            cache = not (mount.read_only or owner) and cache_target(mount)
            held = mount in data
            again = "" if mount.read_only else _written_again(workload, mount)
            rebuilt = again or (index if held else "")
            rebuilt = "rebuildable cache" if cache else rebuilt
            rebuilt = rebuilt or ("" if owner or held or mount.read_only else _backups(mount))
            own = "" if held or owner or rebuilt else _own_folder(workload, mount, estate)
            held = held or bool(own)
            note = f" ({owner})" if owner else f" ({rebuilt})" if rebuilt else (
                f" ({own})" if own else " holding the data directory" if held else "")  # fmt: skip
            yield Hit(
                mount.path,
                f"bind {mount.source or '(empty)'} -> {mount.target} ({_mode(mount)}){note}",
                effect=Effect.CONTEXT if owner else _bind_effect(mount, held, bool(rebuilt)),
            )


def _bind_effect(mount: Mount, holds_data: bool, rebuilt: bool) -> Effect:
    # A bind holding a data directory, or a writable bind outside the project directory (a
    # home or /srv path), is host-pinned data; another relative bind is source or config, and
    # so is a bind at a configuration or run-time path (``/etc/caddy/Caddyfile``), writable or
    # not, and a host directory named for scratch, configuration or code (``~/.app/tmp/x``). A
    # search index's data directory or an ACME client's certificates are rebuilt. A kernel
    # interface (``/sys/fs/cgroup``, ``/proc``) keeps no file of the service's.
    if rebuilt:
        return Effect.WARM_UP
    kept = not (configuration(mount.target) or runtime_directory(mount.target))
    kept = kept and not (scratch_folder(mount.source) or kernel_interface(mount.source))
    outside = mount.source.startswith(("/", "~")) and kept
    durable = holds_data or (outside and not mount.read_only)
    return Effect.DURABLE if durable else Effect.CONTEXT


def _own_folder(workload: Workload, mount: Mount, estate: Estate) -> str:
    if one_shot(workload, estate):
        return ""  # a step that ends keeps nothing of its own (:mod:`..steps`)
    database = keeps_its_records(workload, estate) and not _nests_a_store(workload, mount, estate)
    return own_folder(workload, mount, database=database)


def _nests_a_store(workload: Workload, mount: Mount, estate: Estate) -> str:
    """Another service of the project whose data directory is bound inside this bind's folder
    ('' when none): the author keeps the application's state under one folder, the database's
    part below the application's own, so the application's records are not all in that
    database. OneDev's Compose file binds ``./onedev`` at ``/opt/onedev``, "a directory storing
    OneDev data" (https://docs.onedev.io/installation-guide/run-as-docker-container), and its
    PostgreSQL at ``./onedev/site/postgres``
    (https://github.com/theonedev/onedev/blob/b461004efbbe056d861987e0fcab23bb2ab4ff4d/server-product/docker/docker-compose.yaml).
    Not a folder the project splits among its services, any bind inside it other than a
    store's data directory (Lowcoder's ``./lowcoder-stacks``, whose ``assets`` and ``ssl`` the
    front end and the API bind beside MongoDB's ``data/mongodb``): a stack's folder of
    supplied files, not one program's."""
    folder = posixpath.normpath(mount.source) + "/"
    stores: list[str] = []
    others: list[str] = []
    for other in estate.compose_project(workload.namespace):
        held = {m.path for m in data_mounts(other, other.primary)} if other.primary else set()
        for inner in other.mounts:
            if inner.kind == "bind" and posixpath.normpath(inner.source).startswith(folder):
                keeps = other is not workload and inner.path in held
                (stores if keeps else others).append(other.name)
    return stores[0] if stores and not others else ""


def _written_again(workload: Workload, mount: Mount) -> str:
    """Why the bind holds only what the program makes again ('' when it may hold data, or holds
    a file of the project: :func:`_shipped`)."""
    primary = workload.primary
    if primary is None or _shipped(workload, mount) and not reissued(primary, mount.target):
        return ""
    return written_again(primary, mount.target)


def _shipped(workload: Workload, mount: Mount) -> bool:
    """The bind places one text file of the project at its target (a schema, a script, a
    configuration file: the Compose source read it, :mod:`stateward.sources.bound`). The
    program reads what the project wrote there; where it sits (a scratch directory such as
    ``/tmp``, a generated one) says what the program would write there, not what this file is."""
    return any(inside == mount.target for inside, _ in workload.resource.files)


def _supplied(workload: Workload, mount: Mount, *, rebuilt: bool) -> str:
    """Why a bound directory the catalogue reads as ``rebuilt`` holds the project's files ('' when
    it does not): the project ships files directly inside it (the Compose source read them,
    :mod:`stateward.sources.bound`), so what the program would write there is the operator's
    already. SearXNG's entrypoint creates ``settings.yml`` in ``/etc/searxng`` from its template
    when absent (``app_catalog.REBUILT``, its entrypoint at a pinned commit): a project folder
    holding its own ``settings.yml`` is configuration, a named volume there (empty at first)
    the defaults written again. ACME certificates stay what the CA issues."""
    primary = workload.primary
    if not rebuilt or primary is None or reissued(primary, mount.target):
        return ""
    folder = mount.target.rstrip("/")
    if any(posixpath.dirname(inside) == folder for inside, _ in workload.resource.files):
        return "files the project supplies; the program writes its defaults only when absent"
    return ""


def _rendered(workload: Workload, mount: Mount) -> str:
    primary = workload.primary
    if primary is None:
        return ""
    if why := rendered(primary, mount.target):
        return why
    # The one folder a program told to write its configuration when missing binds writable
    # holds that file (:func:`~stateward.analysis.audit.regenerated.config_written_when_missing`).
    switch = config_written_when_missing(primary)
    writable = [m for m in _mounts(workload, "bind") if not m.read_only]
    if switch and writable == [mount] and not named_for_data(mount):
        return f"the configuration file the program writes there when missing ({switch})"
    return ""


@detector("COMPOSE_NAMED_VOLUME", Severity.INFO, Effect.DURABLE)
def compose_named_volume(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Compose named volume: survives re-create and ``down``; lives on one host (or Swarm node).

    A volume named for backups (``app-backup``, ``/backups``) holds copies of records kept
    elsewhere, written again by the next run: a warm-up. So does a volume the project names for a
    cache (``model-cache``) on a program that is no data store (:func:`_named_cache`), and one
    named for embeddings on a service that reads another's files read-only: vectors computed
    again from those files (:func:`_derived_vectors`), and one a build command writes for a web
    server of the project to serve (:func:`~stateward.analysis.audit.sharing.built_for_a_server`).

    A volume under ``/usr/share`` holds files the programs read (fonts, a program's collected
    static files: :func:`~stateward.analysis.audit.appdata.shared_read_only`), no state, unless
    the service keeps a data directory there (Elasticsearch's ``/usr/share/elasticsearch/data``,
    a folder named for uploads).

    A service that mounts another service's volume (read-only, or beside the service that
    writes it: :mod:`stateward.analysis.audit.sharing`) is a consumer of that service's state,
    with no state of its own. A volume at the dependencies' folder below a bind of the checkout
    keeps the image's copy from the bind (:func:`_masks_checkout`)."""
    index = rebuilt_index(workload, estate)
    data = [m for c in workload.containers for m in data_mounts(workload, c)] if index else []
    for mount in _mounts(workload, "volume"):
        declared = estate.compose_volume(workload.namespace, mount.source)
        held = any(mount in data_mounts(workload, c) for c in workload.containers)
        if passing := (
            _passing(declared, mount, held)
            or (held and _keeps_nothing(workload, estate))
            or (not held and _masks_checkout(workload, mount))
        ):
            yield Hit(
                mount.path,
                f"named volume {mount.source} -> {mount.target} ({passing})",
                effect=Effect.CONTEXT,
            )
            continue
        cache = cache_target(mount) or _named_cache(workload, mount)
        owner = "" if cache else owned_elsewhere(workload, mount, estate, _holds_data)
        owner = owner or _rendered(workload, mount)
        cache = (
            cache
            or not owner
            and _commented_cache(estate.compose_volume(workload.namespace, mount.source))
        )
        rebuilt = "rebuildable cache" if cache else index if mount in data and not owner else ""
        rebuilt = rebuilt or ("" if owner or held else _backups(mount))
        rebuilt = rebuilt or ("" if owner else _written_again(workload, mount))
        rebuilt = rebuilt or ("" if owner else _derived_vectors(workload, mount, estate))
        rebuilt = rebuilt or ("" if owner else built_for_a_server(workload, mount, estate))
        note = f" ({rebuilt})" if rebuilt else owner and f" ({owner})"
        effect = Effect.WARM_UP if rebuilt else Effect.CONTEXT if owner else None
        yield Hit(mount.path, f"named volume {mount.source} -> {mount.target}{note}", effect=effect)


# A volume at the dependencies' folder below a bind of the project's checkout (``notused`` at
# ``/opt/node_app/app/node_modules`` under ``./:/opt/node_app/app``), the idiom of a developer's
# stack read for anonymous volumes too (:func:`~stateward.analysis.audit.rules.data._asked_for`):
# a new volume is filled with what the image holds there ("Docker copies the directory's contents
# into the volume", https://docs.docker.com/engine/storage/volumes/#populate-a-volume-using-a-container),
# so it keeps the image's dependencies from the checkout bound over them, nothing of the service.
_DEPENDENCIES = frozenset({"node_modules", "vendor"})


def _masks_checkout(workload: Workload, mount: Mount) -> str:
    if mount.target.rstrip("/").rsplit("/", 1)[-1] not in _DEPENDENCIES:
        return ""
    binds = [m for m in workload.mounts if m.kind == "bind" and m.container == mount.container]
    above = [b for b in binds if b.target.rstrip("/") != mount.target.rstrip("/")]
    if not any(at_or_under(mount.target, b.target) for b in above):
        return ""
    return "the image's dependencies, masking the checkout bound over them"


def _keeps_nothing(workload: Workload, estate: Estate) -> str:
    """Why the server this service runs keeps nothing in its data directories ('' otherwise): a
    Caddy serving plain HTTP only (:mod:`~stateward.analysis.audit.caddy_sites`), a Mosquitto
    with persistence off (:mod:`~stateward.analysis.audit.broker_configs`), a database server
    no service of a developer's stack is configured to use or a store named for tests in a file
    of backing services only (:mod:`~stateward.analysis.audit.dev_stacks`)."""
    primary = workload.primary
    if primary is not None and (plain := plain_http(workload, primary, estate)):
        return plain
    return unpersisted_mosquitto(workload, estate) or _unused_database(workload, estate)


def _unused_database(workload: Workload, estate: Estate) -> str:
    primary = workload.primary
    family = data_family(workload, primary) if primary is not None else None
    if family is None:
        return ""
    database = family.role == "database"
    unused = unused_dev_database(workload, estate, kept=True) if database else ""
    return unused or test_store(workload, estate)


# The local driver given ``type: tmpfs`` mounts memory, not a directory of the host
# (https://docs.docker.com/reference/cli/docker/volume/create/#opts); a run-time directory holds
# sockets and PID files (:func:`~stateward.analysis.audit.appdata.runtime_directory`); a log
# directory holds the program's logs, no state it reads back (FHS 3.0 §5.10 /var/log
# "miscellaneous log files": https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05.html).
_LOG_WORDS = frozenset({"log", "logs"})


# A folder named for health checks holds the markers one service leaves to say it is ready and
# another waits for: Citus's workers run ``until test -f /healthcheck/manager-ready`` before they
# start, the membership manager having touched the file in the volume they share
# (https://github.com/citusdata/docker/blob/6bf0d24473397684e0cdf9bd3d045b468fd60723/wait-for-manager.sh).
# A new container leaves the marker again once it is ready.
_HEALTH_WORDS = frozenset({"healthcheck", "healthchecks", "health"})


def _for_logs(mount: Mount) -> bool:
    """The mount's target, or the named volume it mounts, is called for logs: a folder of the
    target named ``logs`` or ending ``_logs`` (``/app/workflow_logs``), or a volume named so
    (``app_logs`` at ``/app/volume``): the project's author says what it holds. A ``-`` does not
    split a word: Kafka's default ``log.dirs`` is ``/tmp/kafka-logs``, its data."""
    words = {w for folder in mount.target.lower().split("/") for w in folder.split("_")}
    if mount.kind == "volume":
        words.update(mount.source.lower().split("_"))
    return bool(_LOG_WORDS & words)


def _passing(volume: Resource | None, mount: Mount, held: bool) -> str:
    """Why a named volume keeps nothing the service needs again ('' when it may)."""
    options = dig(volume.body, "driver_opts") if volume is not None else None
    if isinstance(options, dict) and str(options.get("type", "")).lower() == "tmpfs":
        return "tmpfs-backed: memory, lost on every stop"
    if runtime_directory(mount.target) and not held:
        return "run-time directory: sockets and PID files, created again at start"
    if _for_logs(mount) and not held:
        return "logs only"  # not a store's data directory called so (Kafka's log.dirs)
    if _HEALTH_WORDS.intersection(w for w in mount.target.lower().split("/") if w) and not held:
        return "health-check markers, left again when the program is ready"
    if shared_read_only(mount.target) and not held:
        # jgraph's PlantUML and export servers share fonts_volume at /usr/share/fonts/drawio
        # (https://github.com/jgraph/docker-drawio/blob/c44a6f503c1843bcd0f7c14be51a428bb7c809bb/self-contained/docker-compose.yml);
        # Ralph's web keeps its collected static files at /usr/share/ralph/static
        # (https://github.com/allegro/ralph/blob/c33ead2c5c99808e6e027af5b411a9c7bb160aad/docker/docker-compose.yml)
        return "files programs read (/usr/share: shareable read-only data)"
    if static_assets(mount) and not held:
        return "static files, collected or built again from the images on the next deploy"
    return ""


# Embeddings are vectors a model computes from its inputs: a service that reads another
# service's files read-only and keeps on its own volume a store named for them (Lychee's
# facial-recognition service, its SQLite "embedding database" at /data/embeddings beside the
# photos it reads at /data/photos, filled by scans Lychee queues again, "Scan all unscanned
# photos",
# https://github.com/LycheeOrg/Lychee/blob/b8e4d1e832ca4eed9432a7acfaf9a36f69e68472/docs/specs/2-how-to/configure-facial-recognition.md)
# keeps what a scan of those inputs computes again: a warm-up.
_VECTORS = re.compile(r"embedding", re.IGNORECASE)


def _derived_vectors(workload: Workload, mount: Mount, estate: Estate) -> str:
    if not (_VECTORS.search(mount.source) or _VECTORS.search(mount.target)):
        return ""
    inputs = [
        m for m in workload.mounts
        if m.read_only and m.kind in ("bind", "volume") and any(
            other is not workload and not m2.read_only
            for other in estate.volume_users(workload.namespace, m.source, m.kind)
            for m2 in other.mounts if m2.source == m.source
        )
    ]  # fmt: skip
    if not inputs:
        return ""
    return f"embeddings computed again from the files it reads at {inputs[0].target}"


# A volume named for backups holds copies of records kept elsewhere (a dump of the database, an
# archive of the uploads), which the next scheduled run writes again from the live data.
_BACKUP = re.compile(r"(^|[-_./])backups?($|[-_./])", re.IGNORECASE)


# A bound file the service's command runs is its program, code shipped beside the project
# (Bahmni's ``bash /restore_docker_volumes.sh``), not records, whatever its name says.
_SCRIPT = re.compile(r"\.(sh|bash|py|js|mjs|php|rb|pl)$", re.IGNORECASE)


def _run_script(workload: Workload, mount: Mount) -> str:
    if _SCRIPT.search(mount.target) and any(mount.target in c.command for c in workload.containers):
        return "the script its command runs: program code"
    return ""


def _backups(mount: Mount) -> str:
    if _BACKUP.search(mount.source) or _BACKUP.search(mount.target):
        return "backups: copies of records kept elsewhere, made again by the next run"
    return ""


# A word of the volume's name, not a substring (``cachet-db`` is no cache).
_CACHE_NAME = re.compile(r"(^|[-_.])cache($|[-_.])", re.IGNORECASE)


def _named_cache(workload: Workload, mount: Mount) -> bool:
    """The project names the volume for a cache (``qwen-model-cache`` at a model server's
    ``HF_HOME``), and the service is no data store. A cache is what its program can make again:
    "The application must be able to regenerate or restore the data" (FHS 3.0 §5.5
    /var/cache, https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s05.html). A store's own
    content is read from its configuration and its clients
    (:mod:`~stateward.analysis.audit.caching`), which a volume's name may contradict: a Valkey
    whose volume is ``saleor-cache`` is the broker of the Celery tasks not yet run."""
    if not _CACHE_NAME.search(mount.source):
        return False
    return all(data_family(workload, c) is None for c in workload.containers)


def _commented_cache(volume: Resource | None) -> bool:
    """The project's comment on the volume's declaration says its content is rebuilt."""
    return volume is not None and any(_CACHE_COMMENT.search(text) for _, text in volume.comments)


def _holds_data(workload: Workload, shared: Mount) -> bool:
    held = (m for c in workload.containers for m in data_mounts(workload, c))
    return any((m.kind, m.source) == (shared.kind, shared.source) for m in held)


@detector("COMPOSE_ANON_VOLUME", Severity.LOW, Effect.CONTEXT)
def compose_anon_volume(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Anonymous volume: re-attached on ``up``, dropped by ``down -v`` or ``up -V``."""
    for mount in _mounts(workload, "anonymous"):
        yield Hit(mount.path, f"anonymous volume at {mount.target}")


@detector("COMPOSE_TMPFS", Severity.INFO, Effect.CONTEXT)
def compose_tmpfs(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Compose ``tmpfs``: memory-backed, lost on every stop."""
    for mount in _mounts(workload, "tmpfs"):
        yield Hit(mount.path, f"tmpfs at {mount.target}")
