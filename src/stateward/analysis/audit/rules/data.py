"""Data-bearing containers: where a database, cache, broker or search engine keeps its data.

The data directories are the image family's defaults and any directory named on the command
line or in the environment (:mod:`stateward.analysis.audit.knowledge`). A data directory on an
``emptyDir`` or tmpfs dies with the pod; on no volume at all it lives in the container layer
(Kubernetes: lost even on container restart; Compose: lost on re-create, or kept in an
image-declared anonymous volume until ``down -v``).

What each rule here needs to claim a loss at **high** (two independent signals; on one, the
finding is kept at medium, and where what is lost is made again, at low or info with the
effect that says so, :func:`store_rebuilt`):

- DATA_IMAGE_NO_VOLUME: the store's family named by the published image's own reference (with
  the data directory the catalogue documents for it) or by two signals of
  :mod:`~stateward.analysis.audit.family_evidence` (a server's variable *and* its port, a built
  service's name *and* its image's tag …); no mount over that directory; no volume or bind
  named for data that it writes and the audit cannot tie to the directory
  (:func:`_untied_mount`); the service no test or development fixture
  (:mod:`~stateward.analysis.audit.fixtures`).
- DATA_ON_EPHEMERAL: a data directory (the family's, as above, or one the container is told to
  use) *and* an emptyDir, tmpfs, anonymous or generic ephemeral volume mounted over it; the
  family on two signals; no fixture.
- IN_PROCESS_STORE: a store set to keep its data in memory (a setting, or the image's
  documented default left unset) of a program that is no mail catcher
  (:mod:`~stateward.analysis.audit.mail_catchers`) and no fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.appdata import (
    DATA_FILES,
    commented_mounts,
    data_pointers,
    declared_volumes,
    env_pointers,
    kept_on_host,
    named_for_data,
    relative,
    scratch_folder,
)
from stateward.analysis.audit.appended import appended_mounts
from stateward.analysis.audit.archive_devices import archive_devices
from stateward.analysis.audit.backups import backup_repository
from stateward.analysis.audit.broker_configs import core_nats
from stateward.analysis.audit.caching import (
    cache_reason,
    cache_target,
    images_unkept,
    left_unkept,
)
from stateward.analysis.audit.caddy_sites import plain_http
from stateward.analysis.audit.configured_dirs import configured_data_dirs
from stateward.analysis.audit.coordination import coordination_only
from stateward.analysis.audit.dependencies import (
    config_map_values,
    container_settings,
    hosts_reached,
)
from stateward.analysis.audit.dev_stacks import (
    catches_dev_mail,
    test_store,
    unused_dev_database,
)
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.family_evidence import family_signals, known_on_two
from stateward.analysis.audit.fetched import fetched_from
from stateward.analysis.audit.fixtures import fixture_reason
from stateward.analysis.audit.indexed_apps import indexed_elsewhere
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.knowledge import (
    APPLICATION,
    DataImage,
    app_image,
    config_sidecar,
    configured_data_paths,
    data_image,
    declared_family,
    image_words,
    memory_by_default,
    relay_only,
    server_env_family,
    tool_image,
)
from stateward.analysis.audit.mail_catchers import mail_catcher
from stateward.analysis.audit.memory_config import memory_configured
from stateward.analysis.audit.modes import keeping_mode
from stateward.analysis.audit.object_gateways import outside_backend
from stateward.analysis.audit.probes import web_program
from stateward.analysis.audit.programs import helper_beside_server, launched_store, other_program
from stateward.analysis.audit.provisioned import provisioned_from_mounts
from stateward.analysis.audit.proxy_caches import memory_only_squid
from stateward.analysis.audit.registry_roots import registry_roots
from stateward.analysis.audit.remote_write import remote_written
from stateward.analysis.audit.rules.host import holds_socket, host_access
from stateward.analysis.audit.search_backends import indexes_records_kept_elsewhere
from stateward.analysis.audit.search_roles import holds_no_shards
from stateward.analysis.audit.server_records import records_on_a_server
from stateward.analysis.audit.shared_settings import handed_to_a_store
from stateward.analysis.audit.sharing import web_served
from stateward.analysis.audit.steps import one_shot
from stateward.analysis.audit.tagged import built_for_store
from stateward.analysis.audit.trace_stores import local_trace_blocks
from stateward.analysis.audit.unreached_search import unreached_index
from stateward.analysis.audit.workloads import Container, Mount, Workload, per_container
from stateward.model.filepaths import LOG_TREES, SCRATCH_TREES, at_or_under
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list, dig

__all__ = [
    "CONFIGURED",
    "data_dirs",
    "data_family",
    "data_mounts",
    "keeps_its_records",
    "rebuilt_index",
    "store_rebuilt",
]

# Where a data directory does not outlive a replacement: an emptyDir or tmpfs; a Compose
# anonymous volume, which ``down -v``, ``up -V`` and any new container (``run``, another host)
# do not keep (https://docs.docker.com/reference/cli/docker/compose/down/).
# A generic ephemeral volume (``ephemeral.volumeClaimTemplate``) is a claim made for the pod
# and deleted with it (https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes:
# "the PVC gets deleted when the Pod is deleted"), its volume too where the class reclaims by
# deleting.
_EPHEMERAL = frozenset({"emptyDir", "tmpfs", "anonymous", "ephemeral"})
# Mount kinds a data image may have been pointed at with its own configuration.
_STORES = frozenset(
    {
        "emptyDir",
        "persistentVolumeClaim",
        "volumeClaimTemplate",
        "hostPath",
        "volume",
        "anonymous",
        "cinder",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "azureDisk",
        "nfs",
    }
)
CONFIGURED = "configured data"
"""What :func:`data_dirs` calls a directory a program of no known data family is told to keep
its data in (a ``--data-dir`` flag, a data path variable)."""
# Where a data image's other writable stores hold no data: scratch and logs, shared memory
# (``/dev/shm``, "flushed on boot": file-hierarchy(7), cited in model.filepaths),
# configuration, and the entrypoint's init scripts. Compared as leading text, not by
# components, so that ``/docker-entrypoint`` takes in ``/docker-entrypoint-initdb.d`` and
# ``/docker-entrypoint.d``; that also takes in ``/etcd-data`` and ``/runner``, which are none
# of these.
_NOT_DATA_PREFIXES = (*SCRATCH_TREES, *LOG_TREES, "/dev/shm", "/etc", "/docker-entrypoint")


@per_container
def data_dirs(workload: Workload, container: Container) -> Mapping[str, str]:
    """Data directories of a container -> what they are: the data image's defaults, those
    configured for it, and for any other program the application data it is pointed at or
    mounts under a data name (:mod:`stateward.analysis.audit.appdata`)."""
    family = data_family(workload, container)
    role = f"{family.name} {family.role}" if family else CONFIGURED
    found = dict.fromkeys(
        [*configured_data_paths(container), *(family.data_dirs if family else ())], role
    )
    if (family is None or family.role == APPLICATION) and not config_sidecar(container):
        pointers = _pointers(workload, container)
        for path, variable in pointers.items():
            found.setdefault(path, f"application data ({variable})")
        # A data-named mount says "data" for the main program; in a sidecar it is most often a
        # volume shared with the main container (which SIDECAR_STATEFUL reports). So does a
        # directory the main program's image declares as a VOLUME for its state (a
        # ``/config`` its UI writes): what a mount there holds is the program's. Under Compose
        # only where the project keeps it (a bind or named volume): an anonymous volume there
        # is what Compose makes of the VOLUME anyway, kept on ``up`` (app_catalog's docstring).
        primary = container is workload.primary
        for path in declared_volumes(container) if primary else ():
            if workload.platform != "compose" or any(
                m.kind in _DURABLE and m.covers(path) for m in workload.mounts_of(container)
            ):
                found.setdefault(path, "application data (its image's VOLUME)")
        for mount in workload.mounts_of(container) if primary else ():
            if _asked_for(workload, container, mount):
                found.setdefault(mount.target, "application data (its own anonymous volume)")
        named = workload.mounts_of(container) if primary else []
        for mount in named:
            why = named_for_data(mount) or kept_on_host(mount) if mount.writable_store else ""
            if why and host_access(mount) is None:
                found.setdefault(mount.target, f"application {why}")
        for mount, path in appended_mounts(workload, container):
            found.setdefault(mount.target, f"application data (its command appends to {path})")
    return found


def _asked_for(workload: Workload, container: Container, mount: Mount) -> bool:
    """An anonymous volume the Compose file itself asks for at a directory of the application,
    not below one of its binds: the author wrote it so that the directory outlives the
    container (``up`` re-attaches it to the replacement). Below a bind it masks part of a
    checkout (``/app/node_modules`` over ``./:/app``), the idiom of a developer's stack, and
    dependencies, caches, scratch, logs and configuration hold no data. At a directory the
    image declares as a VOLUME, Compose makes the same volume unasked: writing it says nothing
    (what is there is read as the VOLUME is, above). Nor at a read path of the official nginx or
    httpd image run with its own command (its document root, its configuration): the server
    writes only its cache and logs there (:func:`~stateward.analysis.audit.sharing.web_served`),
    so such a volume is asked for to share with the services that write it through
    ``volumes_from`` (docker-gen's configuration, an ACME companion's challenges), not to keep
    the server's data."""
    if workload.platform != "compose" or mount.kind != "anonymous" or cache_target(mount):
        return False
    if web_served(workload, mount):
        return False
    if any(at_or_under(mount.target, v) for v in declared_volumes(container)):
        return False
    binds = [m for m in workload.mounts_of(container) if m.kind == "bind"]
    return not mount.target.startswith(_NOT_DATA_PREFIXES) and not any(
        at_or_under(mount.target, b.target) for b in binds
    )


@per_container
def _pointers(workload: Workload, container: Container) -> Mapping[str, str]:
    """:func:`data_pointers` of a container, the image's ``ENV`` counted on Kubernetes: asked
    once for its data directories, once for the data on no volume; for a Compose service's
    main container, also the ``data_dir`` its bound configuration files name
    (:mod:`stateward.analysis.audit.configured_dirs`)."""
    found = dict(data_pointers(container, image=workload.platform == "kubernetes"))
    if container is workload.primary and workload.platform == "compose":
        for path, why in configured_data_dirs(workload).items():
            found.setdefault(path, why)
    return found


@per_container
def data_mounts(workload: Workload, container: Container) -> tuple[Mount, ...]:
    """Mounts holding the container's data: those covering a data directory, or a whole
    directory inside a data image's own (a claim at ``/var/lib/kafka/data`` under the image's
    ``/var/lib/kafka``: the server is configured to keep its data there); for a data image
    without either, its other writable stores (it was likely configured to use them), but for
    a named volume another service of its project writes too."""
    mounts = [m for m in workload.mounts_of(container) if m.writable_store]
    dirs = data_dirs(workload, container)
    family = data_family(workload, container)
    inside = family.data_dirs if family is not None else ()
    covering = [
        m for m in mounts
        if any(m.covers(d) for d in dirs) or (not m.sub_path and any(_below(m, d) for d in inside))
    ]  # fmt: skip
    if covering or family is None or _bitnami_only(family):
        return tuple(covering)
    # A subPath mount is usually one file (a config) placed into the image's tree; a named
    # volume another service also writes is a hand-off between them (:mod:`..handoffs`).
    return tuple(
        m
        for m in mounts
        if m.kind in _STORES
        and not m.sub_path
        and not m.target.startswith(_NOT_DATA_PREFIXES)
        and not (m.kind == "volume" and m.source in workload.handed_off)
    )


def _bitnami_only(family: DataImage) -> bool:
    """A Bitnami application image's family, whose scripts persist ``/bitnami/<application>``
    alone (:func:`~.knowledge.app_image`): another mount (the upstream image's
    ``/var/www/html``) is not where it keeps its data."""
    return bool(family.data_dirs) and all(d.startswith("/bitnami/") for d in family.data_dirs)


def _below(mount: Mount, directory: str) -> bool:
    """A volume (not a bind of project files: ClickHouse's ``user_scripts``) mounted inside a
    data image's own data directory, or a bind at its ``data`` folder: the image's directory is
    the server's home, whose data files it keeps in ``data`` below it (Cassandra's
    ``data_file_directories`` is ``/var/lib/cassandra/data``,
    https://github.com/apache/cassandra/blob/8a96ec702168430eea7400d41fc476b93c7e7404/conf/cassandra.yaml,
    under the image's ``VOLUME /var/lib/cassandra``,
    https://github.com/docker-library/cassandra/blob/de006e2143c7685102fcc790aec32ebdf1cf7789/3.11/Dockerfile)."""
    # Strictly inside: a mount at the directory itself covers it (data_mounts), a bind too.
    target, directory = mount.target.rstrip("/"), directory.rstrip("/")
    if target == directory or not at_or_under(target, directory):
        return False
    return mount.kind != "bind" or target.rsplit("/", 1)[-1] == "data"


@detector(
    "DATA_ON_EPHEMERAL",
    Severity.HIGH,
    Effect.LOSS,
    remedy="Put the data directory on a PersistentVolumeClaim (or a StatefulSet claim).",
)
def data_on_ephemeral(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A data directory is on an ``emptyDir``, tmpfs or anonymous volume: it is not kept.

    An emptyDir dies with the pod, a tmpfs with the container, an anonymous volume with
    ``down -v``, ``up -V`` or any new container. An application's directory on an anonymous
    volume beside a database the project keeps, which it reaches, holds what is made again
    (:func:`_records_kept_elsewhere`)."""
    for container in workload.containers:
        dirs = data_dirs(workload, container)
        family = data_family(workload, container)
        for mount in data_mounts(workload, container):
            if mount.kind in _EPHEMERAL:
                role = next((r for d, r in dirs.items() if mount.covers(d)), CONFIGURED)
                text = (
                    f"{role} directory {mount.target} of {container.name!r} "
                    f"is on {_KIND_NAMES.get(mount.kind, mount.kind)} {mount.volume or ''}".rstrip()
                )
                # Fetched again (a cold start), a cache, a replica or a Sentinel: what the
                # store keeps on the emptyDir is read as it is on no volume at all.
                if family is not None:
                    rebuilt = store_rebuilt(workload, container, family, estate)
                elif mount.kind == "anonymous":
                    rebuilt = _records_kept_elsewhere(workload, estate)
                else:
                    rebuilt = _per_pod_folder(workload, container, mount)
                doubt = _doubt(workload, container, family, estate)
                yield _hit(mount.path, text, rebuilt, doubt)


def _per_pod_folder(
    workload: Workload, container: Container, mount: Mount
) -> tuple[Effect, str] | None:
    """(warm-up, why) for a folder known as data by its name alone (``/var/lib/<app>``, no
    variable or flag pointing there) on an emptyDir of a Deployment run with several replicas.

    Every pod gets an emptyDir of its own, "initially empty" and deleted with the pod
    (https://kubernetes.io/docs/concepts/storage/volumes/#emptydir), and a Deployment's
    replicas are interchangeable behind one Service: what one pod writes there the others
    never see. The author gave the folder no shared or kept storage while running several
    copies, so it holds what each pod makes for itself (registrations a client renews, per-pod
    state), not the records the component's users share, as a SQLite file in the container
    layer of several replicas is each one's own (:func:`app_data_no_volume`). A folder a
    variable or flag names for data is still read as told."""
    copies = workload.replicas or 1
    if workload.kind != "Deployment" or copies < 2 or mount.kind != "emptyDir":
        return None
    if any(mount.covers(path) for path in _pointers(workload, container)):
        return None
    if any(mount.covers(path) for path in configured_data_paths(container)):
        return None
    return Effect.WARM_UP, (
        f"each of {copies} replicas has an emptyDir of its own there, seen by no other: "
        "per-pod state, not the shared records"
    )


_KIND_NAMES = {
    "anonymous": "an anonymous volume (removed by down -v or up -V)",
    "ephemeral": "a generic ephemeral volume (its claim deleted with the pod)",
}


def _records_kept_elsewhere(workload: Workload, estate: Estate) -> tuple[Effect, str] | None:
    """(warm-up, why) for an application's directory the Compose file gives only an anonymous
    volume while the application reaches a database the project keeps on a durable one.

    The author named a volume for the database and none for this directory: the records are
    kept there, and the directory holds what the application makes again (certificates and
    keys it generates, caches of documents fetched from their store, logs), as a store left
    off the volumes beside a kept database does (:mod:`..caching`)."""
    if workload.platform != "compose":
        return None
    reached = hosts_reached(workload, estate)
    project = estate.compose_project(workload.namespace)
    kept = sorted(w.name for w in project if w.id in reached and _kept_database(w))
    if not kept:
        return None
    return Effect.WARM_UP, (
        f"the project keeps its records in {', '.join(kept)}, which it reaches, on a durable "
        "volume and names no volume for this directory: what it holds is made again"
    )


@detector(
    "APP_DATA_NO_VOLUME",
    Severity.MEDIUM,
    Effect.LOSS,
    remedy="Mount a volume (PVC or named volume) where the application writes its data.",
)
def app_data_no_volume(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The environment puts application data (uploads, media, SQLite) on no volume.

    It lives in the container layer and goes with the container. A variable that another
    service of the Compose project has with the same value, and mounts a volume at, is that
    service's: one ``env_file`` (a project's ``.env``) hands every service the same variables,
    and only the program that reads it writes there. So is a value that is the host side of a
    bind of the project (:func:`_host_side`). A relative database file whose working
    directory is unknown counts only when the container writes no volume at all.

    So does the storage root a registry's configuration file names, where the images pushed to
    it are kept (:mod:`~stateward.analysis.audit.registry_roots`), the directories a Tempo
    told to keep its trace blocks on local disk writes them to (:mod:`..trace_stores`), and
    those a Bacula storage daemon writes its backup volumes to (:mod:`..archive_devices`).

    A SQLite file in the container layer of a workload run with several replicas is each
    replica's own copy: records written there would differ from one replica to the next, so
    the file is not where the component keeps what its users share (the image's seed, a file
    the program never writes); the finding is context.

    The variables a container takes from a ConfigMap (``envFrom``, ``configMapKeyRef``) are its
    environment as much as those it sets itself: Plant-it's ``UPLOAD_DIR: /upload-dir`` in the
    ConfigMap its server's ``envFrom`` names.

    A directory handed beside the ``http(s)`` address its content is downloaded from
    (``SOLVE_IT_DATA_PATH`` with ``SOLVE_IT_DATA_URL``: :mod:`..fetched`) is fetched again
    after a replacement: a warm-up."""
    for container in workload.containers:
        if data_family(workload, container) is not None or config_sidecar(container):
            continue
        mounts = workload.mounts_of(container)
        written = any(m.writable_store for m in mounts)
        pointers = {
            **_given_pointers(workload, container, estate),
            **_pointers(workload, container),
        }
        # A sidecar mounting the same file (an exporter) reads it; the main program serves it.
        if container is workload.primary:
            pointers = {**_configured_stores(workload, container, estate), **pointers}
        for path, variable in sorted(pointers.items()):
            if relative(path) and written or any(m.covers(path) for m in mounts):
                continue
            if (
                _pointer_of_another(workload, variable, path, estate)
                or _host_side(workload, path, estate)
                # one env_file (the project's .env, also Compose's interpolation file) hands every
                # service the host folders other Compose files bind (MEDIA_DIR=/mnt/Media): a
                # store's image reads no such variable, so it is a setting of the project
                or handed_to_a_store(workload, estate, variable, path)
            ):
                continue
            text = f"{container.name!r}: {variable} puts application data at {path}, on no volume"
            where = container.path + "/env" if container.path else "/environment"
            copies = workload.replicas or 1
            named = variable.partition(" ")[0]  # ``X_PATH (from a ConfigMap)``
            if again := provisioned_from_mounts(workload, container, path) or fetched_from(
                container_settings(workload, container, estate), named
            ):
                # made again at start from the mounted files (:mod:`..provisioned`)
                yield Hit(where, f"{text}; {again}", effect=Effect.WARM_UP, severity=Severity.LOW)
            elif copies > 1 and path.lower().endswith(DATA_FILES):
                text += f"; each of {copies} replicas has its own copy: not its shared records"
                yield Hit(where, text, effect=Effect.CONTEXT, severity=Severity.INFO)
            else:
                yield Hit(where, text)
    yield from _left_commented(workload)


def _configured_stores(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """Where a program's configuration file says it keeps what it is sent -> what says so."""
    roots = registry_roots(workload, container, estate)
    traces = local_trace_blocks(workload, container, estate)
    devices = archive_devices(workload, container, estate)
    return {
        **{p: f"the registry's storage root in {w}" for p, w in roots.items()},
        **{p: f"{w} (Tempo's local trace blocks)" for p, w in traces.items()},
        **{p: f"{w} (Bacula's backup volumes)" for p, w in devices.items()},
    }


def _left_commented(workload: Workload) -> Iterator[Hit]:
    """The mounts the manifest leaves commented out where the program keeps data (a data image
    is read by its own data directory instead)."""
    primary = workload.primary
    if primary is None or any(data_family(workload, c) for c in workload.containers):
        return
    for target, why, cache in commented_mounts(workload):
        text = f"the mount at {target} is left commented out ({why}): what is written there stays in the container"
        if not cache:
            yield Hit(primary.path or "/", text)
            continue
        # filled again by the program: a warm-up lost, no data
        cached = f"{text} (a cache)"
        yield Hit(primary.path or "/", cached, effect=Effect.WARM_UP, severity=Severity.LOW)


def _host_side(workload: Workload, path: str, estate: Estate) -> bool:
    """``path`` is the host side of a bind of the Compose project (``${REPO_PATH}:/app/repo``):
    the variable that names the bind's source is handed to the containers too (one ``.env``
    interpolates the file and fills ``environment``), but inside them the directory is at the
    bind's target, which the bind's own findings read; the host path is no directory of theirs
    (https://docs.docker.com/reference/compose-file/services/#volumes: ``SOURCE:TARGET``)."""
    if workload.platform != "compose":
        return False
    return any(
        m.kind == "bind" and m.source.rstrip("/") == path.rstrip("/")
        for other in estate.compose_project(workload.namespace)
        for m in other.mounts
    )


def _given_pointers(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """:func:`env_pointers` of the variables a container takes from ConfigMaps."""
    own = container.env
    given = {
        name: value
        for name, value, _ in config_map_values(workload, container, estate)
        if name not in own  # a literal value set in the pod wins over envFrom
    }
    return {p: f"{v} (from a ConfigMap)" for p, v in env_pointers(container, given).items()}


def _pointer_of_another(workload: Workload, variable: str, path: str, estate: Estate) -> bool:
    """Another service of the project has ``variable`` with this value and a volume there (for
    a relative path, whose directory is unknown, a volume it writes at all). The variable may
    carry that service's name before its own: a block of settings shared by the project's
    services names each server's setting so (Dify's ``WEAVIATE_PERSISTENCE_DATA_PATH``, handed to
    its API and read by the ``weaviate`` service as ``PERSISTENCE_DATA_PATH``,
    https://github.com/0becny/dify/blob/baf26c9ad05cdc738556623eab39d5a8c7ca78ce/docker/docker-compose.yaml)."""
    if workload.platform != "compose":
        return False
    return any(
        other.id != workload.id
        and any(
            data_pointers(c).get(path) in (variable, _unprefixed(variable, other))
            for c in other.containers
        )
        and any((relative(path) or m.covers(path)) and m.writable_store for m in other.mounts)
        for other in estate.compose_project(workload.namespace)
    )


def _unprefixed(variable: str, other: Workload) -> str:
    """``variable`` less a prefix naming ``other`` (``WEAVIATE_`` for the service ``weaviate``),
    or '' when it has none."""
    prefix = re.sub(r"[^A-Z0-9]+", "_", other.name.upper()) + "_"
    return variable.removeprefix(prefix) if variable.startswith(prefix) else ""


@detector(
    "DATA_IMAGE_NO_VOLUME",
    Severity.HIGH,
    Effect.LOSS,
    remedy="Mount a volume (PVC or named volume) at the image's data directory.",
)
def data_image_no_volume(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A database/cache/broker/search image whose data directory is on no declared volume."""
    primary = workload.primary
    for container in workload.containers:
        family = data_family(workload, container)
        if family is None or (container is not primary and len(workload.containers) > 1):
            continue
        if not data_mounts(workload, container):
            where = ", ".join(family.data_dirs) or "memory"
            path = container.path + "/image" if container.path else "/image"
            text = (
                f"{family.name} {family.role} image {container.image or '(built)'}: "
                f"data ({where}) is on no declared volume"
            )
            rebuilt = store_rebuilt(workload, container, family, estate)
            doubt = _doubt(workload, container, family, estate) or _untied_mount(
                workload, container
            )
            yield _hit(path, text, rebuilt, doubt)


def store_rebuilt(
    workload: Workload, container: Container, family: DataImage, estate: Estate
) -> tuple[Effect, str] | None:
    """(effect, why) when what a store keeps where it is lost is not data: a warm-up (fetched
    again, an index, a replica, a cache) or nothing (a Sentinel, a relay); None when it may be.

    A replica's data set is a copy of its leader's, fetched again at start
    (https://redis.io/docs/latest/operate/oss_and_stack/management/replication/). A Sentinel
    only watches the leader and its replicas: it keeps no data set
    (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/). A ZooKeeper only
    Druid uses keeps its cluster's current state, announced again
    (:mod:`stateward.analysis.audit.coordination`). An Elasticsearch or OpenSearch node that
    is neither a data node nor master-eligible keeps no shards and no cluster state
    (:mod:`..search_roles`). A one-shot step the project waits to
    complete runs a command of the image, not its server (:mod:`..steps`); a database no service
    of a developer's stack is configured to use holds none of its records, a store named for
    tests in a file of backing services only holds test fixtures (:mod:`..dev_stacks`). A Caddy serving only
    plain HTTP obtains no certificate (:mod:`..caddy_sites`), a Squid configured with no
    ``cache_dir`` caches nothing on disk (:mod:`..proxy_caches`). A NATS server whose configuration
    file turns on no JetStream relays messages and keeps none (:mod:`..broker_configs`). A
    container registry on no volume beside databases kept on volumes holds images pushed again
    (:data:`_BUILT_ARTEFACTS`). A MinIO started as a gateway to a cloud backend keeps the objects
    there (:mod:`..object_gateways`). A catalogued application told to keep its records on a
    database server, and given the secrets it would write beside them, keeps none of its own
    (:mod:`..server_records`). SonarQube given an outside database keeps only the indexes it
    rebuilds from it (:mod:`..indexed_apps`)."""
    if one_shot(workload, estate):
        return Effect.CONTEXT, "a one-shot step the project waits for: it runs no server"
    if family.role == "database" and (unused := unused_dev_database(workload, estate)):
        return Effect.CONTEXT, unused
    if fixtures := test_store(workload, estate):
        return Effect.CONTEXT, fixtures
    if plain := plain_http(workload, container, estate):
        return Effect.CONTEXT, plain
    if family.name == "squid" and (memory := memory_only_squid(workload)):
        return Effect.CONTEXT, memory
    if family.rebuilt:
        return Effect.WARM_UP, family.rebuilt
    if family.role == APPLICATION and (server := records_on_a_server(workload, container, estate)):
        return Effect.CONTEXT, server
    if index := indexed_elsewhere(family, container):
        return Effect.WARM_UP, index
    if family.name == "prometheus" and (copy := remote_written(workload, container, estate)):
        return Effect.WARM_UP, copy
    if family.name == "zookeeper" and (why := coordination_only(workload, estate)):
        return Effect.CONTEXT, why
    if _sentinel(container):
        return Effect.CONTEXT, "a Sentinel, which monitors the leader and holds no data"
    if family.name == "minio" and (backend := outside_backend(container)):
        return Effect.CONTEXT, f"a gateway to {backend}, which keeps the objects"
    if family.name in _SEARCH_NODES and (roles := holds_no_shards(container)):
        return Effect.CONTEXT, roles
    if _replica(container):
        return Effect.WARM_UP, "a replica that re-syncs from its leader"
    if index := rebuilt_index(workload, estate):
        return Effect.WARM_UP, index
    if family.name == "nats" and (core := core_nats(workload, container, estate)):
        return Effect.CONTEXT, core
    if family.role == "broker":
        return left_unkept(workload, estate, _kept_database)
    if family.name in _BUILT_ARTEFACTS:
        return images_unkept(workload, estate, _kept_database)
    cache = cache_reason(workload, container, family, estate, _kept_database)
    return cache if cache is None or cache[0] is not Effect.WARM_UP else (
        Effect.WARM_UP, f"a cache: {cache[1]}")  # fmt: skip


# A container registry (the Distribution project's ``registry``: "a stateless, highly scalable
# server side application that stores and lets you distribute" images,
# https://github.com/distribution/distribution/blob/0d6b721dc3ceacb5d678c25b718b2f40a507c2d8/docs/content/_index.md)
# holds what was pushed to it, each image built elsewhere from its sources: on no volume where
# its Compose project keeps its databases on durable ones, a warm-up (:func:`..caching.images_unkept`).
_BUILT_ARTEFACTS = frozenset({"registry"})


def _hit(path: str, text: str, rebuilt: tuple[Effect, str] | None, doubt: str = "") -> Hit:
    """The finding: lower when what is lost is rebuilt, medium when a loss rests on one signal
    or the store is a fixture (``doubt``, :func:`_doubt`)."""
    if rebuilt is not None:
        severity = Severity.LOW if rebuilt[0] is Effect.WARM_UP else Severity.INFO
        return Hit(path, f"{text}; {rebuilt[1]}", effect=rebuilt[0], severity=severity)
    if doubt:
        return Hit(path, f"{text}; medium, not high: {doubt}", severity=Severity.MEDIUM)
    return Hit(path, text)


def _doubt(
    workload: Workload, container: Container, family: DataImage | None, estate: Estate
) -> str:
    """Why a loss of a store's data is not sure enough to be high ('' when it is): the store is
    a test or development fixture (:mod:`~stateward.analysis.audit.fixtures`), or its family
    is named on one signal only (:mod:`~stateward.analysis.audit.family_evidence`)."""
    if reason := fixture_reason(workload, estate):
        return reason
    if family is None or known_on_two(workload, container, family):
        return ""
    signals = family_signals(workload, container, family)
    return f"{family.name} is named by {' and '.join(signals) or 'its name'} alone"


def _untied_mount(workload: Workload, container: Container) -> str:
    """A volume or bind the store writes, named for data (:func:`~..appdata.named_for_data`),
    that the audit cannot tie to its data directory: the image may be configured to keep its
    data there (LinuxServer's MariaDB keeps its databases under ``/config``; an entrypoint can
    be pointed elsewhere by a file the audit does not read), so "no volume" is one reading."""
    kept = [
        m.target
        for m in workload.mounts_of(container)
        if m.writable_store and m.kind in _KEPT and named_for_data(m)
    ]
    return f"it writes {', '.join(kept)}, named for data, which may hold it" if kept else ""


# Mount kinds that outlive ``down`` and re-create: the project's own choice to keep something.
_DURABLE = frozenset({"volume", "bind"})
# Mount kinds that outlive a replacement (Compose and Kubernetes).
_KEPT = _DURABLE | {"persistentVolumeClaim", "volumeClaimTemplate", "hostPath"}


def rebuilt_index(workload: Workload, estate: Estate) -> str:
    """Why a search engine's content is an index rebuilt from its clients' records ('' when it
    may be the only copy).

    An application's search engine (Meilisearch, Typesense: role ``index``; Elasticsearch,
    OpenSearch or Solr only where a client's variable names it as its full-text index,
    ``FULLTEXT_DB_URL``, or a client's setting chooses it as its search backend,
    ``SEARCH_TYPE=elasticsearch`` (:mod:`~stateward.analysis.audit.search_backends`): otherwise they are often the only store of the logs or events they
    are sent; then the clients that name it so are those feeding it, the others search it) is
    fed documents by its clients. When every client keeps its records of its own — on a durable data
    directory of its own, in a database it reaches (by URL or port, or a Compose
    ``depends_on`` on a database service), on a volume it writes (:func:`_feeds_from_a_volume`),
    or in the database its own image's configuration picks (Conductor's, whatever store that is:
    :func:`~stateward.analysis.audit.search_backends.indexes_records_kept_elsewhere`)
    — the engine holds an index of those records, which
    the application re-indexes from them: a warm-up on replace, not data lost; so does an
    application's engine that no workload of the estate feeds (installed on its own), fed from
    the primary database its publisher documents (``_FED_FROM_ELSEWHERE``). A client that
    keeps nothing (a dashboard, a log shipper) leaves the engine as the only copy of what it
    was sent. An image the catalogue knows to keep only what it fetches again (ACME
    certificates, downloaded models) is rebuilt the same way, and so is a key-value store on a
    kept volume whose content :mod:`~stateward.analysis.audit.caching` reads as a cache (named
    one, used as one by every client, evicting): a volume saves a cache a warm start, it does
    not make its content data. So is an object store only backups name: the repository of
    copies of data kept elsewhere (:mod:`~stateward.analysis.audit.backups`)."""
    primary = workload.primary
    own = data_family(workload, primary) if primary is not None else None
    if own is not None and own.rebuilt:
        return own.rebuilt
    if own is not None and (backups := backup_repository(workload, estate)):
        return backups
    if own is not None and primary is not None and _kept_cache(workload, primary, own):
        cache = cache_reason(workload, primary, own, estate, _kept_database)
        if cache is not None and cache[0] is Effect.WARM_UP:
            return f"a cache: {cache[1]}"
    clients = estate.search_clients.get(workload.id, [])
    if own is not None and own.role == "index" and not clients:
        return _FED_FROM_ELSEWHERE
    if own is not None and (unreached := unreached_index(workload, own, estate)):
        return unreached
    family = own if clients else None
    if family is not None and family.role == "search":
        clients = estate.index_clients.get(workload.id, [])  # those that feed it; others read
    elif family is None or family.role != "index":
        return ""
    if not clients:
        return ""
    if not all(
        keeps_its_records(c, estate) or _feeds_from_a_volume(c) or indexes_records_kept_elsewhere(c)
        for c in clients
    ):
        return ""
    names = ", ".join(sorted({c.name for c in clients}))
    return f"a search index of the records {names} keeps elsewhere, re-indexed from them"


# An application's search engine that no workload of the estate feeds is fed from where its
# publisher says it is: "Meilisearch should not be your main data store. It is a search engine,
# not a database" (https://github.com/meilisearch/documentation/blob/2073eec8994d2a0f8c4577075968fb3bab7e1340/learn/getting_started/what_is_meilisearch.mdx);
# Typesense is kept "in sync" with "your primary database" (https://github.com/typesense/typesense-website/blob/026587da797d780a3bd2757d5864d51cb8069982/docs-site/content/guide/syncing-data-into-typesense.md).
_FED_FROM_ELSEWHERE = (
    "a search index, fed by no workload here: its publisher documents it as fed from the "
    "application's primary database, which re-indexes it"
)


def _kept_cache(workload: Workload, container: Container, family: DataImage) -> bool:
    """A key-value store whose data directory is on a volume that outlives a replacement: what
    its clients keep there decides whether that is a cache (:mod:`..caching`)."""
    return family.role == "cache/store" and any(
        m.kind in _KEPT for m in data_mounts(workload, container)
    )


def _feeds_from_a_volume(client: Workload) -> bool:
    """An application of no data family whose data directory no setting names, writing a volume
    its author made it outside its scratch, cache and configuration folders: it keeps its
    records there (Bar Assistant's SQLite database in the named volume at
    ``storage/bar-assistant``), so what it feeds a search engine is an index of them."""
    primary = client.primary
    if primary is None or data_family(client, primary) is not None:
        return False
    return any(
        m.writable_store
        and m.kind in _KEPT
        and not cache_target(m)
        and not scratch_folder(m.target)
        for m in client.mounts_of(primary)
    )


def keeps_its_records(client: Workload, estate: Estate) -> bool:
    primary = client.primary
    if primary is None:
        return False
    if client.id in estate.database_clients or any(
        m.kind in _KEPT for m in data_mounts(client, primary)
    ):
        return True
    declared: Any = client.body.get("depends_on") or [] if client.platform == "compose" else []
    names = {str(n) for n in (declared if isinstance(declared, list | dict) else [])}
    return any(
        w.name in names and _kept_database(w) for w in estate.compose_project(client.namespace)
    )


def _kept_database(workload: Workload) -> bool:
    """A database whose data directory is on a named volume or a bind."""
    primary = workload.primary
    family = data_family(workload, primary) if primary is not None else None
    if primary is None or family is None or family.role != "database":
        return False
    return any(m.kind in _DURABLE for m in data_mounts(workload, primary))


_SEARCH_NODES = frozenset({"elasticsearch", "opensearch"})
_REPLICA_WORDS = frozenset({"slave", "replica", "redisslave", "redis-slave"})
_REPLICA_FLAGS = frozenset({"--replicaof", "--slaveof", "replicaof", "slaveof"})


def _replica(container: Container) -> bool:
    """A Redis-family replica: ``--replicaof``, a replica image, or a replication-mode env."""
    words = set(image_words(container.image)) | {container.image.rsplit("/", 1)[-1]}
    mode = container.env.get("REDIS_REPLICATION_MODE", "").lower()
    return (
        bool(_REPLICA_FLAGS.intersection(container.command))
        or any(w.split(":")[0] in _REPLICA_WORDS for w in words)
        or mode in ("slave", "replica")
    )


def _sentinel(container: Container) -> bool:
    """A Redis-family Sentinel: ``redis-sentinel``/``--sentinel``, a sentinel image, or the
    ``SENTINEL`` switch of the Kubernetes examples' image."""
    words = set(image_words(container.image)) | {w.rsplit("/", 1)[-1] for w in container.command}
    switch = container.env.get("SENTINEL", "").lower() in ("true", "yes", "1")
    return switch or bool(words & {"sentinel", "redis-sentinel", "valkey-sentinel", "--sentinel"})


@per_container
def data_family(workload: Workload, container: Container) -> DataImage | None:
    """The data family of a container; for a Compose service built from the project's own
    Dockerfile, its image name, ``cache_from`` tags or service name say what it is; failing
    the name, what the container declares (server environment, database ports). An image
    named for a store whose container answers HTTP probes runs a program of its own
    (:mod:`~stateward.analysis.audit.probes`).

    The service name counts even when the built image is tagged: a project names its own
    images with a prefix (``${REPO}/rs-mongodb``, ``shop-mysql-db``) that hides the family
    from the first word, while the service is still called for what it runs (``mongodb``).
    A container running a store's launch script (``start-zookeeper``) runs that store
    (:mod:`~stateward.analysis.audit.programs`).
    A store named only by a published image's tag is taken where the workload says it runs it
    (:mod:`~stateward.analysis.audit.tagged`). A built image tagged with a catalogued
    application's published name (Keila's ``pentacent/keila``, built from its own Dockerfile)
    is that application, keeping its data where the published one does. A sidecar of the main
    container's image running a helper of its own beside that server is not the store
    (:func:`~stateward.analysis.audit.programs.helper_beside_server`)."""
    if helper_beside_server(workload, container):
        return None
    build = workload.body.get("build") if workload.platform == "compose" else None
    if build is None:
        named = data_image(container.image) or app_image(container.image) or keeping_mode(container)
        if named is not None and built_for_store(workload, container, named):
            named = None  # a program built for the store its image's tag names
        if named is None and workload.platform == "kubernetes":
            # Compose keeps an image's VOLUME on re-create; a new pod keeps nothing of it
            named = tool_image(container.image) or _declaring(container)
        if named is None and (store := launched_store(container)):
            named = data_image(store)  # a store's launch script, in an image bundling it
    else:
        refs = as_list(dig(build, "cache_from"))
        names = [container.image, *map(str, refs), workload.name]
        named = next((f for ref in names if ref and (f := data_image(ref, built=True))), None)
        named = named or app_image(container.image)
    if named is not None and relay_only(named, container, _writes_a_volume(workload, container)):
        return None
    if named is not None and web_program(named.name, container):
        return None
    if named is not None or config_sidecar(container):
        return None if other_program(container) else named
    declared = declared_family(container)
    if declared is None or other_program(container):
        return None
    return None if _drives_the_engine(workload, container, declared) else declared[0]


def _drives_the_engine(
    workload: Workload, container: Container, declared: tuple[DataImage, str]
) -> bool:
    """A service read as a database by a server variable alone that mounts the container
    engine's socket: it drives the engine's API (https://docs.docker.com/engine/api/, served
    on ``/var/run/docker.sock``), which no database server does, and was handed the server's
    variables as their client (Citus's membership manager, given the cluster's ``&AUTH``
    block and the socket to find the workers it registers,
    https://github.com/citusdata/docker/blob/6bf0d24473397684e0cdf9bd3d045b468fd60723/docker-compose.yml)."""
    return holds_socket(workload) and declared == server_env_family(container)


def _declaring(container: Container) -> DataImage | None:
    """An image of no known family that declares volumes for its state
    (:func:`~stateward.analysis.audit.appdata.declared_volumes`), as an application keeping its
    data there: the image's author says the program writes what it keeps in those directories."""
    dirs = declared_volumes(container)
    name = container.image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    return DataImage(name or container.name, APPLICATION, dirs) if dirs else None


def _writes_a_volume(workload: Workload, container: Container) -> bool:
    return any(m.writable_store for m in workload.mounts_of(container))


_MEMORY = re.compile(r"^(in[-_]?)?mem(ory)?$|^local[-_]?memory$", re.IGNORECASE)
_STORE_NAME = re.compile(r"(STORAGE|STORE|BACKEND|PERSISTENCE|DATABASE|SESSION)", re.IGNORECASE)
_CACHE_NAME = re.compile(r"CACHE", re.IGNORECASE)
_MEMORY_FLAG = re.compile(r"^--([\w.-]*)=(in[-_]?)?mem(ory)?$|^--memory\.max-traces=", re.I)


def _memory_settings(container: Container) -> Iterator[tuple[str, str]]:
    for name, value in container.env.items():
        if _MEMORY.match(value.strip()):
            yield name, f"{name}={value}"
    if why := memory_by_default(container):
        # Named for the image's store whatever the setting is called (``--config``).
        yield "memory", why
    for word in container.command:
        if _MEMORY_FLAG.match(word):
            yield word.split("=", 1)[0].lstrip("-"), word


def _memory_hits(workload: Workload, cache: bool) -> Iterator[Hit]:
    for container in workload.containers:
        shown = [
            text
            for name, text in _memory_settings(container)
            if bool(_CACHE_NAME.search(name)) == cache
            and (cache or _STORE_NAME.search(name) or "memory" in name)
        ]
        if shown:
            yield Hit(container.path or "/", f"{container.name!r}: {', '.join(shown)}")


@detector(
    "IN_PROCESS_STORE",
    Severity.HIGH,
    Effect.LOSS,
    remedy="Configure a durable backend; an in-memory store loses everything on replace.",
)
def in_process_store(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A store configured in memory (``SPAN_STORAGE_TYPE=memory``): lost on every restart.

    So is a sink left on its in-memory default (:func:`~..knowledge.memory_by_default`): the
    mails a catcher holds, the spans a tracing server collects, an AWS emulator's queues. So is
    a store its configuration keeps in memory (a data source name ``memory``, a vector index in
    memory mode), in the environment or a file the container is given
    (:mod:`~stateward.analysis.audit.memory_config`). A mail catcher of a project run from its
    checkout holds only a developer's test mail (:mod:`~stateward.analysis.audit.dev_stacks`);
    any other mail catcher's, or a fixture's, is medium (module docstring)."""
    if catches_dev_mail(workload, estate):
        return
    hits = [*_memory_hits(workload, cache=False)] + [
        Hit(container.path or "/", f"{container.name!r}: {where}")
        for container, where in memory_configured(workload, estate)
    ]
    catcher = mail_catcher(workload)
    doubt = f"{catcher} is a mail catcher: it holds test mail" if catcher else ""
    doubt = doubt or fixture_reason(workload, estate)
    for hit in hits:
        yield _hit(hit.path, hit.message, None, doubt)


@detector("IN_PROCESS_CACHE", Severity.LOW, Effect.WARM_UP)
def in_process_cache(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """An in-memory cache, or a memory size a comment says is for one: replacements start cold.

    The comment case reads the hints the sources keep beside each object
    (``memory: 500M  # … recommendationCache …``), since YAML loaders drop comments."""
    yield from _memory_hits(workload, cache=True)
    for code, comment in workload.resource.comments:
        if _MEMORY_SETTING.search(code) and _CACHE_NAME.search(comment):
            yield Hit("/", f"comment on {code!r}: {comment!r}", evidence=(comment,))


# A line that sizes memory (``memory: 500M``, ``mem_limit: 1g``, ``--maxmemory 256mb``).
_MEMORY_SETTING = re.compile(r"\b(memory|mem_limit|mem_reservation|maxmemory)\b", re.IGNORECASE)
