"""Directories a program fills again at each start: configuration it renders, certificates and
downloads it fetches again, accounts it registers again.

A writable mount at such a directory is kept on its host, but what it holds is not data: a
replacement that starts without it writes the same content again. Two answers are given:

- **rendered**: configuration the program reads and renders from its environment at every
  start. The docker-jitsi-meet images (web, Prosody, Jicofo, the videobridge, Jigasi, Jibri)
  copy ``/config`` into ``/run`` and render their configuration files there from templates and
  the environment (``cp -r /config/. /run/web/config``, ``tpl /defaults/... >
  /run/web/config/...`` in each image's ``rootfs/etc/s6-overlay/scripts/config``,
  https://github.com/jitsi/docker-jitsi-meet/blob/1798431e641074b98239278935bb40edbd00a217/web/rootfs/etc/s6-overlay/scripts/config);
  ``/config`` only holds what the operator adds (``custom-config.js``, own keys), which is
  configuration, not what the program writes, as Prosody's ``/prosody-plugins-custom`` holds
  the operator's own modules. This is the image's own behaviour, not a property
  of the path: LinuxServer.io and hotio images, Home Assistant and others keep their database in
  ``/config`` (:mod:`stateward.analysis.audit.app_catalog`);
- **written again**: what a replacement fetches, generates or registers again on its first
  start, a warm-up: ACME certificates (:func:`~stateward.analysis.audit.knowledge.reissued`);
  ClamAV's signature databases in its database directory, ``/var/lib/clamav`` by default, which
  freshclam downloads again (https://docs.clamav.net/manual/Usage/SignatureManagement.html);
  jitsi/web's ``/storage``, "TLS material (self-signed keys and Let's Encrypt account +
  certificates)", generated or issued again when absent (the same script); jitsi/prosody's
  ``/var/lib/prosody``, whose only accounts with authentication off are the service accounts
  registered again at every start from passwords in the environment (``prosodyctl register
  focus …``, ``register $JVB_AUTH_USER …`` in prosody's script: https://github.com/jitsi/docker-jitsi-meet/blob/04c9c045e7f5c6b0a22e1558f80422b146c63603/prosody/rootfs/etc/s6-overlay/scripts/config).
  With ``ENABLE_AUTH`` on and Prosody's own (``internal``) authentication, users registered by
  the operator live there too: data. JFrog's NGINX for Artifactory keeps in
  ``/var/opt/jfrog/nginx`` the reverse-proxy configuration it loads again from Artifactory, its
  built-in certificates and its logs; LibreTime's playout image in ``/app`` the scheduled files
  it downloads again from the API and a script it generates (below). A server given the URL
  of an OpenStreetMap extract to import (a ``.osm.pbf`` or ``.osm.bz2`` file,
  https://wiki.openstreetmap.org/wiki/PBF_Format) builds its database from that public file
  and keeps it current from the replication diffs: the Overpass API image's ``init`` mode
  downloads ``OVERPASS_PLANET_URL`` into ``/db``, where "all data resides"
  (https://github.com/wiktorn/Overpass-API/blob/04736807f0573896509a4e4bbcb742d62310a564/README.md),
  mediagis's Nominatim Compose file gives its image the extract to import into PostgreSQL as
  ``PBF_URL``
  (https://github.com/mediagis/nominatim-docker/tree/2f1f611a6ebbeb4aaa09d317d111c0848ac1dd35/contrib).
  Its volumes hold that import, made again from the extract (hours to days for a large one):
  a warm-up.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.caching import cache_target
from stateward.analysis.audit.knowledge import (
    celery_beat,
    chosen_store,
    configured_data_paths,
    reissued,
    repository,
)
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.filepaths import at_or_under
from stateward.model.secrets import is_secret_digest

__all__ = ["config_written_when_missing", "rendered", "volume_written_again", "written_again"]

_JITSI = ("jitsi/web", "jitsi/prosody", "jitsi/jicofo", "jitsi/jvb", "jitsi/jigasi", "jitsi/jibri")
_RENDERED: dict[str, tuple[str, ...]] = dict.fromkeys(_JITSI, ("/config",))
# Prosody's custom modules, loaded from the folder the Compose file binds (code, not data).
_RENDERED["jitsi/prosody"] += ("/prosody-plugins-custom",)
# nginx-proxy's docker-gen renders /etc/nginx/conf.d/default.conf from the containers it watches
# (app/Procfile: ``docker-gen -watch ... /app/nginx.tmpl /etc/nginx/conf.d/default.conf``), its
# entrypoint puts an RFC 7919 group at /etc/nginx/dhparam/dhparam.pem (app/docker-entrypoint.sh),
# and /etc/nginx/vhost.d holds the per-host settings the operator adds (docs/README.md,
# "Per-VIRTUAL_HOST"), all at
# https://github.com/nginx-proxy/nginx-proxy/tree/584073da6adc4565a428bf76d596fc1708a8a58b.
# The image moved from jwilder/ to nginxproxy/ on Docker Hub; both names run it.
_RENDERED.update(
    dict.fromkeys(
        ("nginxproxy/nginx-proxy", "jwilder/nginx-proxy"),
        ("/etc/nginx/conf.d", "/etc/nginx/vhost.d", "/etc/nginx/dhparam"),
    )
)
# Directories any program keeps only downloads in, by the program's documented default.
_DOWNLOADED = {"/var/lib/clamav": "virus signature databases, downloaded again by freshclam"}
# LibreTime's playout image works in /app (``WORKDIR /app``, Dockerfile): playout copies the
# files of the coming schedule into ``CACHE_DIR = Path.cwd() / "scheduler"``, downloading each
# from the API (``api_client.download_file``, player/file.py), and the same image run as
# ``libretime-liquidsoap`` writes its script ``radio.liq`` there from templates at each start
# (liquidsoap/main.py); ``RECORD_DIR`` is only created (main.py), all at
# https://github.com/libretime/libretime/tree/f371bcfcbfd207a0069a51f20ed1c2a49edf0109 (playout/libretime_playout/).
# JFrog's NGINX for Artifactory, "used for load balancing, reverse proxy and SSL handling"
# (kubernetes/README.md), keeps in /var/opt/jfrog/nginx the reverse-proxy configuration it
# loads from Artifactory ("Set SKIP_AUTO_UPDATE_CONFIG=true to disable auto loading of NGINX
# conf", docker-compose/artifactory/artifactory-pro-nginx-derby.yml), the self-signed
# certificates built into the image unless the operator replaces them, and its logs
# (docker-compose/artifactory/NginxSSL.md), all at
# https://github.com/jfrog/artifactory-docker-examples/tree/b669d505652b922bd4897b6448073c713eb255db.
# Roundcube's image copies its code from /usr/src/roundcubemail into the document root when it
# finds none there ("roundcubemail not found in $PWD - copying now...") and installs its update
# there otherwise; what it writes besides is its generated config.inc.php (a new des_key, which
# only encrypts session data); users, contacts and preferences are in the database the
# ROUNDCUBEMAIL_DB_* variables name, SQLite in /var/roundcube/db by default (fpm-alpine/
# docker-entrypoint.sh at https://github.com/roundcube/roundcubemail-docker/blob/0296150d297aa055dd699d8743f5606d6826babc/fpm-alpine/docker-entrypoint.sh).
_GENERATED: dict[str, tuple[tuple[str, ...], str]] = {
    "roundcube/roundcubemail": (
        ("/var/www/html",),
        "the code the entrypoint copies again from the image, and its generated configuration",
    ),
    "jitsi/web": (("/storage",), "TLS keys and ACME certificates, generated or issued again"),
    "jitsi/prosody": (("/var/lib/prosody",), "service accounts registered again at every start"),
    "jfrog/nginx-artifactory-pro": (
        ("/var/opt/jfrog/nginx",),
        "reverse-proxy configuration loaded again from Artifactory, built-in certificates, logs",
    ),
    "libretime/libretime-playout": (
        ("/app",),
        "copies of the scheduled files, downloaded again from the API, and the generated radio.liq",
    ),
}
# Components of one image, told apart by the subcommand they run, that keep in their data
# directory only what they fetch again from where the estate keeps the originals, or compute
# again from it: (repository, subcommand) -> (directories, what). Thanos v0.30: the store
# gateway's ``--data-dir`` holds index headers of the bucket's blocks, "safe to delete across
# restarts at the cost of increased startup times" (https://thanos.io/v0.30/components/store.md/);
# the compactor's holds "intermediate data for its processing", blocks downloaded from the
# bucket (https://thanos.io/v0.30/components/compact.md/); the ruler's TSDB holds the results
# of rules it evaluates again from the stored series, uploaded to the bucket
# (https://thanos.io/v0.30/components/rule.md/). The receiver's TSDB, samples not yet uploaded,
# is not among them.
_THANOS = ("thanos/thanos", "thanosio/thanos")
# The directory is the one the command line names (``--data-dir``).
_SUBCOMMANDS: dict[tuple[str, str], str] = {
    **{(i, "store"): "index headers of the bucket's blocks, read again from it" for i in _THANOS},
    **{(i, "compact"): "blocks downloaded from the bucket to compact" for i in _THANOS},
    **{(i, "rule"): "rule results evaluated again from the stored series" for i in _THANOS},
}  # fmt: skip
# Sourcegraph's services that hold copies of the code hosts' repositories and what is built from
# them: gitserver "is stateful (maintaining git clones). However, it only contains data mirrored
# from upstream code hosts" (https://docs.sourcegraph.com/@3.3/dev/architecture); searcher's
# archive cache and zoekt's index are fetched and built again from gitserver
# (https://docs.sourcegraph.com/dev/background-information/architecture/life-of-a-search-query).
_SOURCEGRAPH: dict[str, tuple[tuple[str, ...], str]] = {
    "sourcegraph/gitserver": (("/data/repos",), "clones of the code hosts' repositories, cloned again"),
    "sourcegraph/searcher": (("/mnt/cache",), "repository archives fetched again from gitserver"),
    "sourcegraph/indexed-searcher": (("/data",), "a search index built again from gitserver"),
    "sourcegraph/search-indexer": (("/data",), "a search index built again from gitserver"),
}  # fmt: skip
_TRUE = frozenset({"1", "true", "yes", "on"})


def _image(container: Container) -> str:
    # docker-jitsi-meet publishes the same images on Docker Hub and ghcr.io (``ghcr.io/jitsi/web``).
    return repository(container.image)


def _at(target: str, dirs: tuple[str, ...]) -> bool:
    return any(at_or_under(target, d) for d in dirs)


def rendered(container: Container, target: str) -> str:
    """Why a directory holds configuration the program renders again at start ('' when not)."""
    if _at(target, _RENDERED.get(_image(container), ())):
        return "the operator's configuration; the program renders its own from the environment"
    return ""


# A switch telling the program to write its configuration file from its packaged template when
# none is there: ClearFlask's server copies ``config-selfhost.cfg`` to its configuration path
# when ``CLEARFLASK_CREATE_SERVER_CONFIG_IF_MISSING`` is ``1`` or ``true``
# (https://github.com/clearflask/clearflask/blob/4e891867b3e1b5faf97ff80d8a087ccb43e18e46/clearflask-server/src/main/java/com/smotana/clearflask/util/AutoCreateKikConfigFile.java),
# its connect front writes its default ``connect.config.json`` under
# ``CLEARFLASK_CREATE_CONNECT_CONFIG_IF_MISSING`` (clearflask-frontend/src/connect/config.ts at
# the same commit). The folder the Compose file binds for it holds that file and the operator's
# edits of it: configuration, not what the program keeps for its users.
_CREATES_CONFIG = re.compile(
    r"(^|_)(CREATE|GENERATE|WRITE)_(\w+_)?CONF(IG)?_IF_(MISSING|ABSENT|NOT_EXISTS?)$"
)


def config_written_when_missing(container: Container) -> str:
    """The variable switching on the program's writing its configuration file from a template
    when none exists ('' when none is set on)."""
    return next(
        (
            name
            for name, value in container.env.items()
            if _CREATES_CONFIG.search(name) and value.strip().lower() in _TRUE
        ),
        "",
    )


def _told_to_keep(container: Container, target: str) -> bool:
    """The program is told by a setting to keep its store at or under ``target``
    (:func:`~stateward.analysis.audit.knowledge.chosen_store`: LocalStack's ``DATA_DIR``):
    what it writes there is meant to be found again, whatever /tmp promises."""
    chosen = chosen_store(container)
    return chosen is not None and at_or_under(chosen[0], target)


def written_again(container: Container, target: str) -> str:
    """Why a directory holds only what a replacement fetches, generates or registers again
    ('' when it may hold data)."""
    if why := reissued(container, target):
        return why
    if what := next((w for d, w in _DOWNLOADED.items() if _at(target, (d,))), ""):
        return what
    if what := (
        _fetched_again(container, target) or _beat_schedule(container) or _imported(container)
    ):
        return what
    if _at(target, ("/tmp",)) and not _told_to_keep(container, target):
        # "Programs must not assume that any files or directories in /tmp are preserved between
        # invocations of the program" (FHS 3.0 §3.18:
        # https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch03s18.html).
        return "temporary files, which the program does not expect to find again"
    dirs, what = _GENERATED.get(_image(container), ((), ""))
    if not _at(target, dirs) or _user_accounts(container):
        return ""
    return what


def _fetched_again(container: Container, target: str) -> str:
    image = _image(container)
    dirs, what = _SOURCEGRAPH.get(image, ((), ""))
    if what and _at(target, dirs):
        return what
    if image not in _THANOS:
        return ""
    verb = next((w for w in container.command if not w.startswith("-")), "")
    what = _SUBCOMMANDS.get((image, verb.rsplit("/", 1)[-1]), "")
    return what if what and _at(target, tuple(configured_data_paths(container))) else ""


# An OpenStreetMap extract's URL: the file formats the planet and its extracts are published in.
_EXTRACT = re.compile(r"^(https?|ftp)://\S+\.osm(\.pbf|\.bz2)?$", re.IGNORECASE)


def _imported(container: Container) -> str:
    """What a server importing an OpenStreetMap extract it is given keeps ('' for others)."""
    url = next((v for v in container.env.values() if _EXTRACT.match(v.strip().strip("'\""))), "")
    return (
        f"a database imported from the OpenStreetMap extract {url}, imported again" if url else ""
    )


def _user_accounts(container: Container) -> bool:
    """jitsi/prosody with authentication on and its own account store (``AUTH_TYPE`` unset or
    ``internal``): users the operator registered are kept beside the service accounts."""
    if _image(container) != "jitsi/prosody":
        return False
    env = container.env
    # A value digested as a secret (the variable is named for authentication) may be on.
    flag = env.get("ENABLE_AUTH", "")
    enabled = is_secret_digest(flag) or flag.strip().lower() in _TRUE
    kind = env.get("AUTH_TYPE", "internal")
    return enabled and (is_secret_digest(kind) or kind.strip().lower() in ("", "internal"))


def volume_written_again(workload: Workload, volume: str) -> str:
    """Why every writable mount of the pod volume ``volume`` holds what is made again: a
    directory named for a cache, or one :func:`written_again` ('' when one may hold data)."""
    containers = {c.name: c for c in workload.containers}
    mounts = [m for m in workload.mounts if m.volume == volume and not m.read_only]
    whys = [
        "a cache, by its directory's name"
        if cache_target(m)
        else written_again(containers[m.container], m.target)
        for m in mounts
        if m.container in containers
    ]
    return whys[0] if whys and all(whys) else ""


def _beat_schedule(container: Container) -> str:
    """Celery beat's directory: beat keeps "the last run times of the tasks in a local database
    file (named celerybeat-schedule by default)", and schedules from its configuration again
    without it (https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#starting-the-scheduler)."""
    if celery_beat((*container.command, container.name)):
        return "Celery beat's schedule of last run times, made again"
    return ""
