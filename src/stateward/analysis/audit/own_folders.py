"""A folder an application writes, read from the estate alone: a writable bind of a project
folder under a name that says nothing of data.

The name rules (:func:`~stateward.analysis.audit.appdata.named_for_data`,
:func:`~stateward.analysis.audit.appdata.kept_on_host`) read a mount by what it is called
(``./data``, ``/uploads``). Most applications nobody catalogued are bound under names that say
nothing (``./var:/srv/var``, ``./drive:/drive``), and five blind rounds missed them. What the
formats say instead:

- the Compose file reference's short syntax ``VOLUME:CONTAINER_PATH:ACCESS_MODE`` makes a
  relative source a bind of a folder of the project, read-write (``rw``) unless the mode says
  ``ro`` (https://docs.docker.com/reference/compose-file/services/#short-syntax-5);
- Docker's documentation lists three uses of a bind mount: sharing source code or build
  artifacts with a development environment, sharing configuration files from the host, and
  "when you want to create or generate files in a container and persist the files onto the
  host's filesystem" (https://docs.docker.com/engine/storage/bind-mounts/#when-to-use-bind-mounts).
  A folder that is neither code nor configuration, given read-write to a program that keeps
  running, is the third: where the program writes what it keeps.

So a writable bind of a project *directory* into a long-running service is the program's own
state (``data``, kept on this host: effect ``durable``), unless the estate says what else it is:

- a single file (``./app.conf``, ``./.env``), read-only, a socket or run-time directory, or a
  path under ``/etc``: configuration or run-time files;
- a folder named, on either side, for configuration, logs, scratch, caches, certificates or
  keys, or for what the operator supplies the program to read: plugins, templates, scripts,
  themes, static assets, custom modules (``./plugins``, ``./custom/export_mod``,
  ``./lowcoder-stacks/assets``);
- a source tree mounted for development: the project's root (``./:/app``, ``..``), a folder
  named for code (``./src:/usr/src/app``), the service's own ``build:`` context, or the
  container's working directory;
- a service that keeps its records in a database the estate gives it (a URL or ``depends_on``
  naming a database kept on a volume): its unnamed folders hold what it is handed (DAGs,
  plugins, stacks), its records are in the database; a folder named for data is still read by
  the name rules, and so is a folder holding that database's own data directory, bound inside
  it by no other service of the project (the author keeps the application's state under one
  folder: OneDev's ``./onedev`` with ``./onedev/site/postgres``, ``rules.compose``);
- a folder the service's command hands the program a configuration file from
  (``-hooks=/app/webhook/hooks.yml``: webhook's ``-hooks`` is the "path to the json file
  containing defined hooks the webhook should serve",
  https://github.com/adnanh/webhook/blob/78b061021863fe42d13e5507490f14f9fa36026d/docs/Webhook-Parameters.md):
  the operator's folder of what the program reads, configuration and the scripts beside it;
- a drop folder the service watches and empties into the application (``consume``, ``ingest``,
  ``hotdir``, or a service named so): the user's inbox, not what anything keeps;
- a web server's document root (the official nginx or httpd image writes only its cache and
  logs: :mod:`~stateward.analysis.audit.sharing`), and a one-shot step or a further process of
  an application that shares the folder (the sharing rules, read before this reading).

``data`` rather than ``rebuildable`` is the default: a folder nothing names as a cache is kept
across re-creates by its operator precisely because losing it loses something.
"""

from __future__ import annotations

from stateward.analysis.audit.appdata import configuration, runtime_directory, scratch_folder
from stateward.analysis.audit.knowledge import flag_values
from stateward.analysis.audit.sharing import web_served
from stateward.analysis.audit.workloads import Mount, Workload

__all__ = ["own_folder"]

_FILE_SUFFIX = (".conf", ".cfg", ".ini", ".json", ".yml", ".yaml", ".toml", ".env", ".xml")
# What the operator supplies for the program to read (extensions, content, key material), or
# what it fetches again (an ACME client's certificates and webroot challenges, downloaded
# models), not what the program keeps. Routes are a proxy's dynamic configuration: Traefik's
# file provider reads its ``--file.directory`` and watches it for changes
# (https://doc.traefik.io/traefik/providers/file/#directory).
_NOT_OWN = frozenset({
    "plugins", "plugin", "templates", "template", "scripts", "themes", "theme", "assets",
    "static", "custom", "customizations", "extensions", "addons", "modules", "dags", "keys",
    "certs", "ssl", "tls", "secrets", "config", "conf", "configs", "configuration", "settings",
    "etc", "hooks", "logs", "log", "cache", "tmp", "temp", "init", "initdb", "migrations",
    "dynamicconfig", "provisioning", "socket", "sockets", "sock", "gnupg", "ssh", "site",
    "dist", "build", "htdocs", "webroot", "certbot", "letsencrypt", "acme", ".well-known",
    "models", "routes",
})  # fmt: skip
# A drop folder the service watches and empties, handing what appears there to the application
# that keeps it (Paperless-ngx's ``consume``, Calibre-Web Automated's ``cwa-book-ingest``,
# AnythingLLM's ``collector/hotdir``, Docspell's ``dsc watch --delete`` service ``consumedir``):
# read on the folder's names and on the service's name.
_INBOX = ("consume", "ingest", "inbox", "hotdir", "incoming", "import", "watched")
# Folders of code: a source tree mounted for development.
_CODE = frozenset({"src", "source", "sources", "code", "app", "lib", "node_modules", "vendor"})


def own_folder(workload: Workload, mount: Mount, *, database: bool) -> str:
    """Why a writable bind is the program's own folder ('' when the estate says otherwise);
    ``database``: the service keeps its records in a database of the estate."""
    source = mount.source.rstrip("/")
    if mount.kind != "bind" or mount.read_only or database or not source.startswith("."):
        return ""
    if configuration(mount.target) or runtime_directory(mount.target):
        return ""
    words = _words(source) + _words(mount.target)
    if not _words(source) or _NOT_OWN.intersection(words) or scratch_folder(source):
        return ""
    if _code(source, mount.target) or _looks_like_file(source) or _looks_like_file(mount.target):
        return ""
    if _source_tree(workload, mount) or _inbox(workload, words) or web_served(workload, mount):
        return ""
    if _handed_configuration(workload, mount):
        return ""
    return f"project folder {mount.source} the program writes"


def _words(path: str) -> list[str]:
    parts = [w for w in path.lower().split("/") if w not in ("", ".", "..")]
    return [p for w in parts for p in (w, *w.replace("_", "-").split("-"))]


def _code(source: str, target: str) -> bool:
    """A folder named for code on either side (``./src:/usr/src/app``, a folder below
    ``/code/``). A parent ``/app`` on the container side is the program's home, the working
    directory images conventionally run in, below which it keeps what it writes as well as its
    code (``./databases:/app/databases``): only the folder itself says code there."""
    parents, _, last = target.rstrip("/").rpartition("/")
    words = [w for w in _words(parents) if w != _HOME] + _words(last)
    return bool(_CODE.intersection(_words(source) + words))


_HOME = "app"


def _inbox(workload: Workload, words: list[str]) -> bool:
    named = [*words, *_words(workload.name)]
    return any(w.startswith(_INBOX) for w in named)


# Suffixes of files a program reads its settings from (JSON left out: programs keep records
# in it as often, ``--db /data/db.json``).
_READ_SUFFIX = (".conf", ".cfg", ".ini", ".yml", ".yaml", ".toml", ".xml")


def _handed_configuration(workload: Workload, mount: Mount) -> bool:
    """The service's command passes the program a configuration file inside the folder."""
    primary = workload.primary
    if primary is None:
        return False
    folder = mount.target.rstrip("/") + "/"
    words = list(primary.command)
    values = [*words, *(value for _, value in flag_values(words))]
    return any(v.startswith(folder) and v.lower().endswith(_READ_SUFFIX) for v in values)


def _looks_like_file(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return last.endswith(_FILE_SUFFIX) or "." in last.lstrip(".")


def _source_tree(workload: Workload, mount: Mount) -> bool:
    """The bind is the service's build context or working directory: code, not state."""
    build = workload.body.get("build")
    context = build.get("context") if isinstance(build, dict) else build
    contexts = {str(context).rstrip("/") or "."} if context else set()
    if mount.source.rstrip("/") in contexts:
        return True
    primary = workload.primary
    if primary is None:
        return False
    image = primary.image_config or {}
    where = primary.body.get("working_dir") or image.get("WorkingDir")
    return bool(where) and str(where).rstrip("/") == mount.target.rstrip("/")
