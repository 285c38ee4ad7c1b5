"""Application data beyond the known data images: what a program writes, and where.

A self-hosted application keeps its users' data (uploads, media, photo libraries, attachments,
an embedded SQLite database, object storage in file mode) in a directory it is told about or one
named for it. Two kinds of evidence are read:

- **pointers**: an environment value that is an absolute path in a variable whose name says
  it holds data — ``UPLOAD_LOCATION``, ``MEDIA_ROOT``, ``STORAGE_PATH``, ``DATA_DIR`` — or a
  storage backend set to the file system (``STORAGE_BACKEND=file``) with such a path; and in
  any variable, a SQLite database URL (``DATABASE_URL=sqlite:////var/lib/app/app.db``) or an
  absolute path to a database file (``GTS_DB_ADDRESS=/gotosocial/sqlite.db``), as on the
  command line (``--db=/var/lib/app/app.db``); a Laravel disk setting naming one of its local
  disks (``FILESYSTEM_DISK=local``: ``storage/app``, :mod:`.laravel_disks`). A relative
  pointer (``DATA_DIR=./data``) or database file (SQLAlchemy ``sqlite:///app.db``, ActiveRecord
  ``sqlite3:db/app.db``, Prisma ``file:./app.db``) is in the program's working directory: the
  container's
  ``workingDir``/``working_dir`` or its image's ``WorkingDir`` when known, else somewhere in
  its filesystem that only a volume covering everything it writes could hold;
- **names**: a writable mount whose target is named for data (``/data``, ``/uploads``,
  ``/media``, ``public/system``, ``/var/lib/<app>``, mailboxes and queues under ``/var/mail`` or
  ``/var/spool``, a ``*.db``/``*.sqlite`` file), also in a compound whose last part is a data
  word and no part says scratch (PocketBase's ``/pb_data``, ``/<app>_data``; not
  ``/data_cache``); on an emptyDir a generic name (``/data``, ``/storage``) or a compound
  (``shared-data``) is not enough, being a common name for scratch space shared between
  containers. On memory the deployment asks for by name (a Compose ``tmpfs``, an emptyDir of
  ``medium: Memory``) no name is: such a mount is "temporary … when the container stops, the
  tmpfs mount is removed, and files written there won't be persisted", chosen "when you do not
  want the data to persist" (https://docs.docker.com/engine/storage/tmpfs/), and a program
  running on it finds it empty at every restart, not only on a replacement. The author's choice
  outweighs a guess from the path (``/var/lib/tor``, ``/config``); a database's or a configured
  data directory there is still read as one (a known family's, a variable's, a flag's).

A writable bind is also read from its host side: a project directory the deployment names for
what it keeps (``./volumes/<service>``, ``./data/uploads``, ``./storage``) is where the project
keeps that service's state, whatever path the program sees it at (``/mnt``).

A single configuration file (``/etc/app/config.yml``) or a scratch, cache, log or source directory
is not data, whatever its name.

With nothing mounted, the manifest's author may still say where the program writes: a mount left
commented out beside the workload (``# mountPath: /zeppelin/notebook`` under ``# configure this
to persist notebook``; a Compose ``# - ./data:/app/data  # persist uploads``) that no mount of
the workload covers, whose comment says it would persist what is there. The author knows the
program keeps that directory and ships the workload without it: what the program writes there
lives in the container, and goes with it. A commented mount that only says where a data path
would be (an alternative for another configuration: "uncomment if the driver is sqlite") says
nothing of what this configuration writes, and is not read. One whose own line calls what it
would keep a cache (``# - grype-db:/grype-db  # persistent grype DB cache``) says the program
fills it again: persisting it only saves the download, a warm-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from stateward.analysis.audit.knowledge import (
    chosen_store,
    flag_values,
    named,
    repository,
    setting_value,
)
from stateward.analysis.audit.laravel_disks import local_disks
from stateward.analysis.audit.local_storage import local_storage
from stateward.analysis.audit.workloads import Container, Mount, Workload
from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_list

__all__ = [
    "DATA_FILES",
    "commented_mounts",
    "configuration",
    "data_pointers",
    "data_variable",
    "declared_volumes",
    "env_pointers",
    "in_memory",
    "kept_on_host",
    "named_for_data",
    "names_data",
    "relative",
    "runtime_directory",
    "scratch_folder",
    "socket_named",
    "static_assets",
]

# Variable names that say "this is where data lives": a name stem, then a location suffix,
# with qualifiers between them (``FILE_STORAGE_LOCAL_ROOT_DIR``) unless one says scratch or
# configuration (``DATA_CACHE_DIR``, ``DB_CONFIG_FILE``), and at most one word after the suffix
# saying whose files they are (Quant-UX's ``QUX_IMAGE_FOLDER_USER=/qux-images``, the images users
# upload into their prototypes, beside ``QUX_IMAGE_FOLDER_APPS``), unless that word too says
# scratch or configuration, or makes the value a URL's prefix (``MEDIA_PATH_PREFIX=/media``).
# Images are the pictures users upload, as photos and pictures are; the value must still be a
# path (below), so an image *reference* (``IMAGE=nginx:1``) is never read as one.
_POINTER = re.compile(
    r"(^|_)(UPLOAD|MEDIA|STORAGE|DATA|LIBRARY|PHOTO|PICTURE|IMAGE|ORIGINALS|FILES?|ATTACHMENT|"
    r"BLOB|DB|DATABASE|SQLITE|REPOS?|REPOSITOR(Y|IES)|DOCUMENTS?|CONTENT)"
    r"S?(?P<between>(_[A-Z0-9]+)*?)_?(PATH|DIR|DIRECTORY|LOCATION|ROOT|FOLDER|FILE)"
    r"(_(?P<after>[A-Z]+))?$",
    re.IGNORECASE,
)
_NOT_AFTER = frozenset({"PREFIX", "SUFFIX", "URL", "URI"})
_NOT_DATA_QUALIFIERS = frozenset(
    {
        "CACHE", "TMP", "TEMP", "LOG", "LOGS", "CONFIG", "CONF", "CERT", "CERTS", "KEY", "SSL",
        "TLS", "PID", "SOCKET", "SOCK", "LOCK", "BACKUP", "SCRIPT", "SCRIPTS", "TEMPLATE",
        "TEMPLATES", "STATIC", "PLUGIN", "PLUGINS", "INIT", "SCHEMA", "MIGRATIONS",
    }
)  # fmt: skip
# Search paths of the toolchain and the dynamic linker, not data.
_SEARCH_PATHS = frozenset({"LD_LIBRARY_PATH", "LIBRARY_PATH", "DYLD_LIBRARY_PATH"})
# SQLite database URLs: SQLAlchemy's ``sqlite:////abs/path.db`` (absolute) and
# ``sqlite:///rel.db`` (relative to the working directory)
# (https://docs.sqlalchemy.org/en/20/core/engines.html#sqlite), with the driver its
# ``dialect+driver://`` form may name (``sqlite+aiosqlite:////app/data/app.db``,
# https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls), ActiveRecord's
# ``sqlite3:db/app.sqlite3`` (https://guides.rubyonrails.org/configuring.html#connection-preference)
# and Prisma's ``file:./dev.db`` (https://www.prisma.io/docs/orm/overview/databases/sqlite).
_SQLITE_URL = re.compile(r"^sqlite3?(?:\+\w+)?:(///?)?(?P<path>/?[^/?\s][^?\s]*)", re.IGNORECASE)
_FILE_URL = re.compile(r"^file:(?P<path>[^?\s]+\.(db|sqlite3?))(\?|$)", re.IGNORECASE)
# A directory of Unix sockets (:func:`socket_directory`) holds no data.
_SOCKET_WORDS = frozenset({"socket", "sockets", "sock"})
_NOT_DATA_WORDS = frozenset(
    {
        "cache", ".cache", "tmp", "temp", "log", "logs", "run", "config", "conf", "etc",
        "certs", "ssl", "tls", "secrets", "static", "node_modules", "plugins",
        "scripts", "templates", "docker-entrypoint-initdb.d", "initdb", "lock", "locks",
        "proc", "sys", "dev", "backup", "backups", "hooks", *_SOCKET_WORDS,
    }
)  # fmt: skip
# A user's own files are named as the XDG user directories name them (``PICTURES``,
# ``DOCUMENTS``, ``MUSIC``, ``VIDEOS``: https://www.freedesktop.org/wiki/Software/xdg-user-dirs/),
# and so are the other audio collections a media server keeps beside its music: podcasts,
# audiobooks, recordings (PodFetch's ``./podcasts``, the episodes it downloaded and keeps after
# their feeds drop them).
_DATA_WORDS = frozenset(
    {
        "data", "uploads", "upload", "media", "storage", "files", "photos", "pictures",
        "library", "attachments", "userdata", "user-data", "db", "database", "sqlite",
        "blobs", "repositories", "documents", "filestore", "appdata", "music", "videos",
        "podcasts", "audiobooks", "recordings",
        # the pictures users upload, under the plain word for them beside XDG's ``PICTURES``
        # (Slink keeps its uploads in /app/slink/images, app_catalog); on an emptyDir or tmpfs
        # the word is as often a scratch folder of generated images, so it is generic there
        "images",
        # a vector store's files: the embeddings of the users' documents, which the catalogue's
        # vector databases (Qdrant, Weaviate: app_catalog) keep as data, computed again only
        # by calling the embedding model over every document
        "vectors",
        # mailboxes, as FHS 3.0 §5.11 /var/mail holds "user mailbox files"
        # (https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s11.html), and the folders
        # mail servers name for them
        "mail", "mailboxes", "maildir", "vmail",
    }
)  # fmt: skip
# Names too generic to call an emptyDir or tmpfs data on their own (a chosen scratch volume).
_GENERIC = frozenset({"data", "storage", "files", "db", "images"})
_EPHEMERAL = frozenset({"emptyDir", "tmpfs"})
DATA_FILES = (".db", ".sqlite", ".sqlite3")
_FILE = re.compile(r"\.[A-Za-z0-9]{1,6}$")
# /var/lib entries that belong to the host or the container engine, not to an application.
_SYSTEM_LIB = frozenset({"docker", "containerd", "kubelet", "dpkg", "apt", "cni", "calico"})


def data_pointers(container: Container, *, image: bool = False) -> dict[str, str]:
    """Directories (or database files) the environment says hold data -> the variable. A
    relative database file stays relative when the working directory is unknown.

    With ``image``, the image's own ``ENV`` counts too where the container does not set the
    variable again (Grafana's ``GF_PATHS_DATA=/var/lib/grafana``), except a value under one of
    the image's declared ``VOLUME``s: that directory is read by its declaration
    (:func:`declared_volumes`). The rules ask for it on Kubernetes only, where every rollout
    starts a new pod from the image; the shared corpora count a Compose Grafana with no volume,
    re-created only when its definition changes, as holding nothing."""
    found = _named_by(container, container.env, container.command)
    for path, variable in _image_pointers(container) if image else ():
        found.setdefault(path, variable)
    if default := _embedded_by_default(container):
        found.setdefault(*default)
    if chosen := chosen_store(container):
        found.setdefault(*chosen)
    return found


def env_pointers(container: Container, env: Mapping[str, str]) -> dict[str, str]:
    """:func:`data_pointers` of the variables ``env`` alone, which the container is handed
    from elsewhere (a ConfigMap's ``envFrom``): read in its working directory, without its
    command, its image's ``ENV`` or a program's default (none of those came with ``env``)."""
    return _named_by(container, env, [])


def _named_by(container: Container, env: Mapping[str, str], command: list[str]) -> dict[str, str]:
    """Paths ``env`` and ``command`` name as data -> the variable or flag, relative ones in
    ``container``'s working directory; where two name the same path, the order below decides
    which one is said."""
    found: dict[str, str] = {}
    for name, value in env.items():
        value = value.strip()
        url = _SQLITE_URL.match(value) or _FILE_URL.match(value)
        if url:
            if (path := url.group("path")) != ":memory:":
                found[_in_working_dir(container, path)] = name
        elif ":" in value:
            continue
        elif _pointer(name) and value.startswith(("/", "./")) or _database_file(value):
            if not _scratch(value) and not _one_named_file(name, value):
                found[_in_working_dir(container, value.rstrip("/") or "/")] = name
    for flag, paths in _data_dir_flags(command):
        scratch = _root_scratch if _ROOT_PATH.search(flag) else _scratch
        for path in (p for p in paths.split(",") if p[:1] == "/" and not scratch(p)):
            found.setdefault(path.rstrip("/") or "/", f"command {flag}")
    for word in command:  # ``--db=/var/lib/app/app.db``, ``-database /data/x.sqlite``
        if (
            word.endswith(DATA_FILES)
            and _database_file(path := word.rpartition("=")[2])
            and (not _scratch(path))
        ):
            found.setdefault(path, f"command {word.partition('=')[0]}")
    for path, setting in _file_buckets(env, command):
        found.setdefault(path, setting)
    for path, setting in local_disks(env):
        found.setdefault(_in_working_dir(container, path), setting)
    for path, setting in local_storage(env):
        found.setdefault(path, setting)  # no directory named: counted where no volume is written
    return found


# Object storage kept in a local directory: a bucket URL of the ``file`` scheme, which Go CDK's
# fileblob opens as a bucket rooted at that directory ("URLs start with "file://" like
# "file:///path/to/directory"", https://godocs.io/gocloud.dev/blob/fileblob@v0.10.0), in a setting
# named for a bucket or storage (Rekor's ``--attestation_storage_bucket=file:///var/run/x``).
# The program is told to keep its objects there: the path is data whatever its name says (a
# run-time or scratch folder by the FHS), as a database file named on the command line is.
_FILE_BUCKET = re.compile(r"^file://(?P<path>/[^?#\s]*)")
_BUCKET_SETTING = re.compile(r"BUCKET|BLOB|STORAGE", re.IGNORECASE)


def _file_buckets(env: Mapping[str, str], command: list[str]) -> Iterator[tuple[str, str]]:
    """(directory, setting) for each file-scheme bucket URL in a variable or flag named for a
    bucket or storage."""
    settings = [*env.items(), *flag_values(command)]
    for name, value in settings:
        url = _FILE_BUCKET.match(value.strip())
        if url and _BUCKET_SETTING.search(name) and (path := url.group("path").rstrip("/")):
            yield path, name


# Programs that keep their records in local files (an embedded database, an asset folder) unless
# told to use a server: image repository -> (settings that choose a server, the values of them
# that keep the files anyway, the files' directory). Keycloak's ``db`` option defaults to ``dev-file``, an H2
# database in ``data/h2`` under its home
# (https://www.keycloak.org/server/all-config#category-database: "db … Default: dev-file";
# https://www.keycloak.org/server/db), /opt/keycloak in its image. Apache Seata's server keeps
# its transaction sessions in files unless ``STORE_MODE`` (its environment's choice, read first)
# or ``store.mode`` names db, redis or raft: ``SERVER_DEFAULT_STORE_MODE = "file"``, in the
# directory ``store.file.dir`` names, ``DEFAULT_SESSION_STORE_FILE_DIR = "sessionStore"``,
# relative to the server's home
# (https://github.com/apache/incubator-seata/blob/0b9d7c9a4972e0674a4da681ee9e7d3a6a194e92/common/src/main/java/org/apache/seata/common/DefaultValues.java,
# server/src/main/java/org/apache/seata/server/store/StoreConfig.java ``getStoreMode``,
# server/src/main/java/org/apache/seata/server/session/SessionHolder.java), /seata-server in
# its image, where Seata's own operator mounts the session store's claim
# (:mod:`~stateward.analysis.audit.server_defaults`). Squidex keeps uploaded assets in its
# ``assetStore`` of ``type`` "Folder", ``folder.path`` "Assets", unless the type names MongoDB's
# GridFS or a cloud store (backend/src/Squidex/appsettings.json, the same in 7.9.0 at 56789901:
# https://github.com/Squidex/squidex/blob/0ecfe2fc6807a59f0cf67fdcb41bfa037b4fd60e/backend/src/Squidex/appsettings.json),
# relative to WORKDIR /app (Dockerfile); ``ASSETSTORE__TYPE`` is that key in ASP.NET Core's
# environment ("__" for ":", https://learn.microsoft.com/en-us/aspnet/core/fundamentals/configuration/#naming-of-environment-variables).
_SEATA = (("STORE_MODE",), ("file",), "/seata-server/sessionStore")
_EMBEDDED_BY_DEFAULT: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "keycloak/keycloak": (("KC_DB", "--db"), ("dev-file", "h2"), "/opt/keycloak/data/h2"),
    "apache/seata-server": _SEATA,
    "seataio/seata-server": _SEATA,
    "squidex/squidex": (("ASSETSTORE__TYPE",), ("folder",), "/app/Assets"),
}


# Keycloak's image before 17 (the WildFly distribution, in the same repository) chose its
# database by ``DB_VENDOR`` (postgres, mysql, mariadb, oracle, mssql, h2), guessed from the hosts
# it resolves and else embedded H2 (server/tools/docker-entrypoint.sh,
# https://github.com/keycloak/keycloak-containers/blob/0a1030e0d2e524fb9f2cc814f07aa0ae53ee9adf/server/tools/docker-entrypoint.sh);
# from 17 its image reads ``KC_DB`` alone. Read for a tag older than 17 or one naming no version
# (``latest`` was the WildFly image until 17): repository -> (setting, first version ignoring it).
_LEGACY_SETTINGS: dict[str, tuple[str, int]] = {"keycloak/keycloak": ("DB_VENDOR", 17)}
_MAJOR = re.compile(r"^(\d+)(?:\.|$)")


def _embedded_by_default(container: Container) -> tuple[str, str] | None:
    """(directory, why) of the local store a known program keeps when no setting chooses a
    server (or the setting names the local store itself), None when it is told to use one."""
    path_of = repository(container.image) if container.image else ""
    known = _EMBEDDED_BY_DEFAULT.get(path_of)
    if known is None:
        return None
    settings, embedded, path = known
    if legacy := _LEGACY_SETTINGS.get(path_of):
        tag = named(container.image).partition(":")[2]
        major = _MAJOR.match(tag)
        if major is None or int(major.group(1)) < legacy[1]:
            settings = (*settings, legacy[0])
    chosen = setting_value(container, settings)
    if chosen is None:
        return path, f"{settings[0]} unset: its default local store"
    if chosen.lower() in embedded:
        return path, f"{settings[0]}={chosen}: its local store"
    return None


# A command-line flag naming the program's data directories: ``--fs_data_dirs`` (YugabyteDB,
# https://docs.yugabyte.com/preview/reference/configuration/yb-tserver/#fs-data-dirs; Apache
# Kudu), ``--data-dir`` (etcd, Consul), ``--data_dir``, ``--datadir``, ``--data-directory``;
# and the root path of one kind of record a database keeps, ``--<kind>-root-path``
# (BanyanDB's ``--stream-root-path``, ``--measure-root-path``: "the root path of the
# database", https://github.com/apache/skywalking-banyandb/blob/
# 42f610ffa631a6c09c202b062ac12b76e0167986/docs/operation/configuration.md), not that of its
# access logs. A bare ``--root-path`` names no data (uvicorn's is a URL prefix).
_DATA_DIR_FLAG = re.compile(
    r"^--?(?P<flag>(fs[_-])?data[_-]?(dir|dirs|directory|root)"
    r"|(?!(?:access[_-])?logs?[_-])[a-z]+[_-]root[_-]path)(=(?P<paths>\S+))?$",
    re.IGNORECASE,
)
# A directory a database's root-path flag names under /tmp is still where it keeps its
# records (the documented default of BanyanDB's root paths is "/tmp"): in a container, /tmp
# is its writable layer, not a memory filesystem, unless a tmpfs is mounted there.
_ROOT_PATH = re.compile(r"root[_-]path$", re.IGNORECASE)
_ROOT_SCRATCH_WORDS = _NOT_DATA_WORDS - {"tmp", "temp"}


def _image_pointers(container: Container) -> Iterator[tuple[str, str]]:
    """(path, variable) for each data directory the image's own ``ENV`` names
    (:func:`data_variable`), outside the image's declared volumes, that the container's own
    environment does not set again."""
    image = container.image_config
    if not image:
        return
    volumes = [str(v).rstrip("/") for v in _as_dict(image.get("Volumes"))]
    own = container.env_names
    for entry in as_list(image.get("Env")):
        name, _, value = str(entry).partition("=")
        # a database file's connection parameters follow a '?' (SQLite URI filenames,
        # https://www.sqlite.org/uri.html): ``/data/homebox.db?_pragma=busy_timeout=2000``
        path = value.partition("?")[0].rstrip("/")
        if name in own or not path.startswith("/") or not data_variable(name) or _scratch(path):
            continue
        if not any(at_or_under(path, v) for v in volumes):
            yield path, f"{name} (image ENV)"


# What an image's ENV names as its data directory: a DATA, STORAGE, UPLOAD or MEDIA part, or a
# database file or repository path (``GF_PATHS_DATA``, ``XDG_DATA_HOME``, ``RABBITMQ_DATA_DIR``,
# ``DATADIR``); not a version, a cache, logs or configuration, nor an installation root
# (``*_HOME`` without DATA: ``PLEX_MEDIA_SERVER_HOME``), nor the dynamic loader's search path
# (``LD_LIBRARY_PATH``: where shared libraries are looked for, ld.so(8)). Read only in an image's own config: its
# author sets these for the program the image runs, where a deployment's variable of the same
# name may be anything.
_DATA_VARIABLE = re.compile(
    r"DATA|STORAGE|UPLOAD|MEDIA|_DB_?(PATH|DIR|FILE)|(^|_)(LIBRARY|REPOS?)_(PATH|DIR)"
)
_NOT_DATA_VARIABLE = re.compile(
    r"^LD_|CACHE|TMP|TEMP|LOG|CONF|CERT|SSL|PLUGIN|SCRIPT|TEMPLATE|STATIC|MAJOR|VERSION"
)


def data_variable(name: str) -> bool:
    """Whether an image's ``ENV`` variable names a data directory (see above)."""
    name = name.upper()
    if name.endswith("_HOME") and "DATA" not in name:
        return False
    return bool(_DATA_VARIABLE.search(name)) and not _NOT_DATA_VARIABLE.search(name)


def _as_dict(value: object) -> dict[str, object]:
    return dict(value) if isinstance(value, dict) else {}


# Declared volumes that are no data: logs, scratch, plugins, configuration under /etc, run-time
# files, and the engine's own tree (``docker:dind``'s /var/lib/docker).
_NOT_DECLARED_DATA = _NOT_DATA_WORDS - {"config", "conf", "db"}


def declared_volumes(container: Container) -> tuple[str, ...]:
    """The directories the container's image declares as ``VOLUME``s to keep its state
    (Dockerfile reference: "VOLUME … creates a mount point … holding externally mounted volumes
    from native host or other containers", https://docs.docker.com/reference/dockerfile/#volume),
    leaving out the ones named for logs, scratch, plugins or run-time files, configuration under
    /etc and the container engine's own tree. A LinuxServer.io-style ``/config`` is kept: an
    image declares it because the program writes its state there."""
    image = container.image_config
    if not image:
        return ()
    found = []
    for volume in sorted(_as_dict(image.get("Volumes"))):
        path = volume.rstrip("/")
        words = [w for w in path.lower().split("/") if w]
        if not words or words[0] == "etc" or runtime_directory(path):
            continue
        if (
            _NOT_DECLARED_DATA.intersection(words)
            or words[:2] == ["var", "lib"]
            and words[2:3]
            and words[2] in _SYSTEM_LIB
        ):
            continue
        found.append(path)
    return tuple(found)


def _data_dir_flags(words: list[str]) -> Iterator[tuple[str, str]]:
    """(flag, its value) for each data-directory flag of a command, ``--flag=value`` or
    ``--flag value``."""
    for i, word in enumerate(words):
        if match := _DATA_DIR_FLAG.match(word):
            value = match.group("paths") or (words[i + 1] if i + 1 < len(words) else "")
            yield match.group("flag"), value


def _database_file(value: str) -> bool:
    """An absolute path to a database file, whatever the variable is called (Vaultwarden's
    ``DATABASE_URL=/data/db.sqlite3``, GoToSocial's ``GTS_DB_ADDRESS=/gotosocial/sqlite.db``)."""
    return value[:1] == "/" and value.lower().endswith(DATA_FILES) and " " not in value


def relative(path: str) -> bool:
    """A pointer whose directory is unknown (a relative file and no known working directory)."""
    return not path.startswith("/")


def _in_working_dir(container: Container, path: str) -> str:
    if not relative(path):
        return path
    image = container.image_config or {}
    where = container.body.get("workingDir") or container.body.get("working_dir")
    where = str(where or image.get("WorkingDir") or "")
    path = path.removeprefix("./")
    return f"{where.rstrip('/')}/{path}" if where.startswith("/") else path


def named_for_data(mount: Mount) -> str:
    """Why a writable mount's target is application data ('' when it is not)."""
    target = mount.target.rstrip("/")
    if not target or mount.sub_path and not target.endswith(DATA_FILES) or in_memory(mount):
        return ""
    words = [w for w in target.lower().split("/") if w]
    last = words[-1] if words else ""
    if last.endswith(DATA_FILES):
        return f"database file {target}"
    if uploads_in_static(words):
        return f"upload directory {target}"
    if _FILE.search(last) or _scratch(target):
        return ""
    if words[:2] == ["var", "lib"] and len(words) > 2 and words[2] not in _SYSTEM_LIB:
        # FHS 3.0 §5.8 /var/lib/<name> is a program's state directory; a bind below it
        # (``./dashboards`` at ``/var/lib/grafana/dashboards``) places that subfolder only, and
        # the state directory itself stays in the container: its name says what it is (below)
        if mount.kind != "bind" or len(words) == 3:
            return f"application state directory {target}"
    if words[:2] in (["var", "mail"], ["var", "spool"]):
        # FHS 3.0 §5.11 /var/mail "user mailbox files", §5.14 /var/spool "data awaiting
        # processing": https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05.html
        return f"mailbox or spool directory {target}"
    if mount.kind in _EPHEMERAL and last in _GENERIC:
        return ""  # scratch shared between containers is often called so
    if _named_for_data(last, compound=mount.kind not in _EPHEMERAL):
        return f"data directory {target}"
    if words[-2:] == ["public", "system"]:
        return f"data directory {target}"
    if mount.kind not in _EPHEMERAL and words[0] in _DATA_WORDS and len(words) > 1:
        # A kept volume at a program's own folder under a data root (``/data/docuseal``,
        # ``/srv``-style layouts): the folder the program was told to work in, there.
        return f"application folder under /{words[0]} ({target})"
    return ""


# What users upload, as the folder a web application serves it from below its ``static`` tree:
# Plume writes every uploaded file to ``static/media/<guid>.<ext>`` under its working directory
# (https://github.com/Plume-org/Plume/blob/5c5cf36b0d6609127793e22ed315edf5a5c689d2/src/routes/medias.rs,
# ``save_uploaded_file``) and serves it from there. ``static`` alone names built assets
# (``collectstatic``'s output); an upload folder below it is the users' files.
_UPLOAD_WORDS = frozenset({"media", "uploads", "upload", "attachments"})


def uploads_in_static(words: list[str]) -> bool:
    """A path's words end ``static/<upload folder>`` and say nothing else of scratch
    (``/app/static/media``; not ``/app/static`` nor ``/var/cache/static/media``)."""
    return (
        len(words) >= 2
        and words[-2] == "static"
        and words[-1] in _UPLOAD_WORDS
        and _NOT_DATA_WORDS.intersection(words) == {"static"}
    )


# A folder named for static assets, in the path and in the volume's own name: Django's
# ``collectstatic`` "Collects the static files into STATIC_ROOT"
# (https://docs.djangoproject.com/en/5.1/ref/contrib/staticfiles/#collectstatic), a front end's
# build copied out of its image (``cp -r /app/build/. /frontend_static/``); both come again from
# the images on the next deploy, and the web server in front only reads them.
_STATIC_WORD = re.compile(r"(?:^|[_.-])static(?:files)?(?:$|[_.-])")


def static_assets(mount: Mount) -> bool:
    """A named volume called for static files, mounted at a folder called so (``static_volume``
    at ``/backend_static`` or ``/staticfiles``), with no upload folder below (``static/media``
    is the users' files, :func:`uploads_in_static`) and no word for data in the volume's name
    (Bracket's ``bracket_static_data`` at ``/app/static`` holds the logos users upload)."""
    words = [w for w in mount.target.lower().split("/") if w]
    if mount.kind != "volume" or not words or uploads_in_static(words):
        return False
    source = mount.source.lower()
    if _DATA_WORDS.intersection(re.split(r"[_.-]", source)):
        return False
    return bool(_STATIC_WORD.search(source) and _STATIC_WORD.search(words[-1]))


def in_memory(mount: Mount) -> bool:
    """Memory the deployment asks for by name: a Compose ``tmpfs``, or an emptyDir whose
    ``medium`` is ``Memory`` ("a tmpfs (RAM-backed filesystem)",
    https://kubernetes.io/docs/concepts/storage/volumes/#emptydir)."""
    if mount.kind == "tmpfs":
        return True
    return mount.kind == "emptyDir" and (mount.spec or {}).get("medium") == "Memory"


# Host directories a project names for the state it keeps (Docker's own word for them, and the
# data words above).
_KEEPING_WORDS = _DATA_WORDS | {"volumes", "volume"}


def kept_on_host(mount: Mount) -> str:
    """Why a writable bind's host directory is named for data ('' when it is not): a relative
    source (the project's own folder) with a directory named for what it keeps."""
    source = mount.source.rstrip("/")
    if mount.kind != "bind" or mount.read_only or not source.startswith("./"):
        return ""
    if _scratch(mount.target):
        return ""  # a configuration or log directory the program reads (``/etc/nginx``)
    if shared_read_only(mount.target):
        return ""  # files the project supplies there (Cypht's site fonts) are read
    words = [w for w in source.lower().split("/")[1:] if w]
    if not words or _FILE.search(words[-1]) or _scratch(source):
        return ""
    kept = any(w in _KEEPING_WORDS or _named_for_data(w, compound=True) for w in words)
    return f"project data directory {source}" if kept else ""


_PARTS = re.compile(r"[_-]")


def names_data(name: str) -> bool:
    """A name of a kept volume or share that says data (``data``, ``phpmyfaq-data``; not
    ``data-cache``): :func:`_named_for_data` of a kept mount's folder."""
    return _named_for_data(name.lower(), compound=True)


def _named_for_data(word: str, *, compound: bool) -> bool:
    """A folder named for data: a data word, or (``compound``) a name whose last part is one
    and no part of which says scratch (``pb_data``, ``beszel_data``, ``user-uploads``; not
    ``data_cache``). On an emptyDir or tmpfs a compound (``shared-data``) names scratch space
    shared between containers as often as data, and is not read."""
    if word in _DATA_WORDS:
        return True
    parts = _PARTS.split(word)
    return (
        compound
        and len(parts) > 1
        and parts[-1] in _DATA_WORDS
        and not _NOT_DATA_WORDS.intersection(parts)
    )


def shared_read_only(target: str) -> bool:
    """A path under /usr/share or /usr/local/share: FHS 3.0 §4.11 /usr/share
    "architecture-independent data", part of /usr, "shareable, read-only data" that "must not
    be written to" (https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch04.html). What is put
    there is read, whatever its folder is called (fonts, assets); a store's own data directory
    there (Elasticsearch's /usr/share/elasticsearch/data) is its image family's, read first."""
    return at_or_under(target, "/usr/share") or at_or_under(target, "/usr/local/share")


def configuration(target: str) -> bool:
    """A path a program reads its configuration from: under ``/etc`` (FHS 3.0 §3.7
    "host-specific system configuration") or a single file that is no database."""
    words = [w for w in target.lower().split("/") if w]
    last = words[-1] if words else ""
    return words[:1] == ["etc"] or bool(_FILE.search(last)) and not last.endswith(DATA_FILES)


def runtime_directory(target: str) -> bool:
    """A directory of run-time files, sockets and PID files a program creates again at each start
    (FHS 3.0 §3.15 ``/run`` "run-time variable data", §5.13 ``/var/run``, "files under it are
    cleared at the beginning of the boot process":
    https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch03s15.html)."""
    words = [w for w in target.lower().split("/") if w]
    return words[:1] == ["run"] or words[:2] == ["var", "run"]


def socket_directory(target: str) -> bool:
    """A directory named for the Unix sockets in it: rendezvous files a server makes again when
    it binds ("binding to a socket with a filename creates a socket in the filesystem", unix(7):
    https://man7.org/linux/man-pages/man7/unix.7.html), where another container connects. The
    CSI sidecars meet their driver so, on an emptyDir at ``/var/lib/csi/sockets/pluginproxy/``
    (https://github.com/kubernetes-csi/external-provisioner/blob/0688604faa43ae14273cf71fbfde4f3534ec6b8c/deploy/kubernetes/deployment.yaml)."""
    return bool(_SOCKET_WORDS.intersection(w for w in target.lower().split("/") if w))


# A Unix socket's path as programs are given it: ``--csi-address=/csi/csi.sock``,
# ``unix:///plugin/csi.sock``, ``ADDRESS=/var/lib/csi/sockets/pluginproxy/csi.sock``.
_SOCKET_PATH = re.compile(r"(/[\w.@-]+(?:/[\w.@-]+)*)\.sock(?:et)?\b")


def socket_named(target: str, container: Container) -> bool:
    """A container's command or environment names a Unix socket inside ``target``: the
    directory is where it serves or connects (:func:`socket_directory`), unless it is named for
    data (``/data``, ``/var/lib/driver``: the program's own directory, where it also puts its
    socket). The CSI sidecars are given their driver's socket so, ``--csi-address=/csi/csi.sock``
    on an emptyDir shared "between the sidecars and CSI Driver"
    (https://github.com/kubernetes-csi/docs/blob/78138317e3e579d1825ec9979085055792d7fc82/book/src/deploying.md)."""
    parts = [w for w in target.lower().split("/") if w]
    if not parts or parts[:2] == ["var", "lib"] or parts[-1] in _GENERIC:
        return False
    if _named_for_data(parts[-1], compound=True):
        return False
    folder = target.rstrip("/") + "/"
    given = [*container.command, *container.env.values()]
    return any(m.group(1).startswith(folder) for word in given for m in _SOCKET_PATH.finditer(word))


def kernel_interface(source: str) -> bool:
    """A host path in one of the kernel's virtual filesystems: procfs at ``/proc``, sysfs at
    ``/sys`` (with debugfs, tracefs and the cgroup hierarchy mounted below it), devtmpfs at
    ``/dev``. Their entries are the kernel's interfaces to its own objects, made by it again at
    each boot: sysfs "is a RAM-based filesystem" exporting kernel data structures
    (https://docs.kernel.org/filesystems/sysfs.html), /proc "a pseudo-filesystem" giving
    "information about the kernel" (https://docs.kernel.org/filesystems/proc.html). A container
    writing there changes the host's kernel, it keeps no file of its own."""
    words = [w for w in source.split("/") if w]
    return source.startswith("/") and words[:1] in (["proc"], ["sys"], ["dev"])


def _pointer(name: str) -> bool:
    match = _POINTER.search(name) if name.upper() not in _SEARCH_PATHS else None
    between = match.group("between").upper().split("_") if match else []
    after = (match.group("after") or "").upper() if match else ""
    return (
        match is not None
        and not _NOT_DATA_QUALIFIERS.intersection([*between, after])
        and after not in _NOT_AFTER
    )


# ``<WHAT>_FILE_PATH`` (AdaTP's ``AUTH_FILE_PATH=/app/users.json``, a ``TOKEN_FILE``) names one
# file of what its first words say, not a store of files as ``FILES_DIR`` or
# ``FILE_STORAGE_PATH`` do: a single file that is no database file is read by the program
# (credentials, a users list baked into the image), as a configuration file is.
def _one_named_file(name: str, value: str) -> bool:
    match = _POINTER.search(name)
    return (
        match is not None
        and match.group(2).upper() == "FILE"
        and match.start(2) > 0
        and bool(_FILE.search(value))
        and not value.lower().endswith(DATA_FILES)
    )


# The words of a container path that name a system tree (``/dev``, ``/proc``) are only names on
# the host side (``/home/dev/app``): a host folder is scratch by the other words.
_HOST_SCRATCH = _NOT_DATA_WORDS - {"dev", "sys", "proc", "run"}


def scratch_folder(source: str) -> bool:
    """A host folder named for scratch, cache, logs, configuration or code
    (``~/.app-cfg/tmp/load-test``, ``/srv/app/config``)."""
    return bool(_HOST_SCRATCH.intersection(w for w in source.lower().split("/") if w))


def _scratch(path: str) -> bool:
    """A path one part of which is named for what is no data (``/srv/app/cache``,
    ``/etc/app``): by its names wherever they stand, where the place-bound
    :data:`~stateward.model.filepaths.SCRATCH_TREES` and ``LOG_TREES`` look at the root only;
    each of those trees is scratch by its names too."""
    return bool(_NOT_DATA_WORDS.intersection(w for w in path.lower().split("/") if w))


def _root_scratch(path: str) -> bool:
    return bool(_ROOT_SCRATCH_WORDS.intersection(w for w in path.lower().split("/") if w))


# A mount in a commented-out line: Kubernetes ``mountPath: /x`` (its ``- name:`` on the line
# before), or the Compose short syntax ``- source:/target[:mode]``.
_COMMENTED_MOUNT = re.compile(
    r"""^(?:-\s*)?mountPath:\s*["']?(?P<k8s>/[^\s"']*)|^-\s*["']?[^\s:"'#]+:(?P<compose>/[^\s:"'#]*)"""
)
_PERSIST = re.compile(r"\bpersist", re.IGNORECASE)


_CACHE_WORD = re.compile(r"\bcache\b", re.IGNORECASE)


def commented_mounts(workload: Workload) -> list[tuple[str, str, bool]]:
    """(target, why, cache) for each mount its manifest leaves commented out, saying it would
    persist what is there, that no mount of the workload covers; ``cache`` when the mount's own
    line calls what is there a cache (module docstring)."""
    comments = workload.resource.comments
    found: dict[str, tuple[str, bool]] = {}
    for i, (_, text) in enumerate(comments):
        match = _COMMENTED_MOUNT.match(text)
        target = match and (match["k8s"] or match["compose"])
        if not target or any(m.covers(target) for m in workload.mounts):
            continue
        around = " ".join(t for _, t in comments[max(i - 1, 0) : i + 1])
        if _PERSIST.search(around):
            found.setdefault(target, (f"its comment: {around!r}", bool(_CACHE_WORD.search(text))))
    return sorted((target, why, cache) for target, (why, cache) in found.items())
