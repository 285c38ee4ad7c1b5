"""More self-hosted applications and data tools, by where their images keep state by default.

Chosen by popularity (awesome-selfhosted, LinuxServer.io and hotio's catalogues, Docker Hub
pulls); each entry is the image's repository path (registry host dropped) -> its documented
directories, and the page that documents them. :data:`APPS` keep their users' data there (an
embedded SQLite or H2 database, uploads, libraries, repositories, keys); :data:`REBUILT` keep only
what is fetched or issued again on a fresh start (ACME certificates, downloaded models, a proxy
cache): a replacement without them starts cold and loses nothing.

:data:`TOOLS` are administration tools whose configuration database (the servers a user
registered, further user accounts, preferences) sits in a directory the image declares as a
``VOLUME``. That is data nothing else recreates, but how much of it a replacement loses depends
on the platform: Compose copies a service's anonymous volumes to the container that replaces it
on ``up`` (https://docs.docker.com/compose/intro/features-uses/#preserve-volume-data-when-containers-are-created),
so a tool with no volume of its own keeps its registrations until ``down -v`` (the shared corpora
count such a pgAdmin as holding nothing); a Kubernetes pod keeps nothing of its container's
filesystem when it is replaced (https://kubernetes.io/docs/concepts/storage/volumes/), so the
same tool with no volume loses them on every new pod: there it is read as an application
keeping its data in that directory.

Left out on purpose: images whose model cache is under ``~/.cache`` (vLLM), which the audit
reads as a cache by its name already.
"""

from __future__ import annotations

__all__ = ["APPS", "HOTIO", "REBUILT", "ROLES", "TOOLS"]

APPS: dict[str, tuple[tuple[str, ...], str]] = {
    # Files, photos, media
    "filebrowser/filebrowser": (("/srv", "/database", "/database.db"), "https://filebrowser.org/installation"),
    "deluan/navidrome": (("/data",), "https://www.navidrome.org/docs/installation/docker/"),
    "plexinc/pms-docker": (("/config",), "https://github.com/plexinc/pms-docker"),
    "emby/embyserver": (("/config",), "https://hub.docker.com/r/emby/embyserver"),
    "jvmilazz0/kavita": (("/kavita/config",), "https://wiki.kavitareader.com/installation/docker/"),
    "gotson/komga": (("/config",), "https://komga.org/docs/installation/docker"),
    "lycheeorg/lychee": (("/uploads", "/conf"), "https://lycheeorg.github.io/docs/docker.html"),
    "stashapp/stash": (("/root/.stash",), "https://github.com/stashapp/stash/tree/develop/docker"),
    "alexta69/metube": (("/downloads",), "https://github.com/alexta69/metube"),
    "sctx/overseerr": (("/app/config",), "https://docs.overseerr.dev/getting-started/installation"),
    "fallenbagel/jellyseerr": (("/app/config",), "https://docs.jellyseerr.dev/getting-started/docker"),
    "tautulli/tautulli": (("/config",), "https://github.com/Tautulli/Tautulli/wiki/Installation#docker"),
    # In a container Tunarr keeps its database (db.db: channels, programming, media sources,
    # settings) under /config/tunarr unless TUNARR_DATABASE_PATH names another directory
    "chrisbenincasa/tunarr": (("/config/tunarr",), "https://github.com/chrisbenincasa/tunarr/blob/0f1a1ce820b8ae41042001d3eefd33ba0c2f4cd9/server/src/util/defaults.ts"),
    # In a container Cleanuparr's configuration path is /config, whatever its database: the
    # settings file, its logs and the ASP.NET DataProtection keys (Program.cs
    # PersistKeysToFileSystem under that path), whose loss invalidates what they protect.
    "cleanuparr/cleanuparr": (("/config",), "https://github.com/Cleanuparr/Cleanuparr/blob/6d6d11914d23a4a722cf7f4ba5ab1d52bfa84785/code/backend/Cleanuparr.Shared/Helpers/ConfigurationPathProvider.cs"),
    "owncloud/ocis": (("/var/lib/ocis",), "https://doc.owncloud.com/ocis/next/depl-examples/ubuntu-compose/ubuntu-compose-prod.html"),
    "pydio/cells": (("/var/cells",), "https://docs.pydio.com/cells/v4/docker/"),
    "drakkan/sftpgo": (("/var/lib/sftpgo", "/srv/sftpgo"), "https://docs.sftpgo.com/latest/docker/"),
    "chrislusf/seaweedfs": (("/data",), "https://github.com/seaweedfs/seaweedfs/wiki/Getting-Started"),
    # SQLite databases in /app/var/data, uploads in /app/slink/images (the image declares no VOLUME)
    "anirdev/slink": (("/app/var/data", "/app/slink/images"),
                      "https://github.com/andrii-kryvoviaz/slink/blob/dad4f4ce9e90331864638acdf82f6f64fe1d952c/docker/docker-compose.demo.yaml"),
    # Notes, wikis, knowledge, bookmarks
    "dokuwiki/dokuwiki": (("/storage",), "https://github.com/dokuwiki/docker"),
    "mediawiki": (("/var/www/html/images", "/var/www/data"), "https://hub.docker.com/_/mediawiki"),
    "shaarli/shaarli": (("/var/www/shaarli/data",), "https://shaarli.readthedocs.io/en/master/Docker/"),
    "readeck/readeck": (("/readeck",), "https://readeck.org/en/docs/"),
    "zefhemel/silverbullet": (("/space",), "https://silverbullet.md/Install/Docker"),
    "neosmemo/memos": (("/var/opt/memos",), "https://www.usememos.com/docs/install/container-install"),
    "mattermost/focalboard": (("/opt/focalboard/data",), "https://github.com/mattermost-community/focalboard"),
    "vikunja/vikunja": (("/app/vikunja/files", "/db"), "https://vikunja.io/docs/full-docker-example/"),
    "plankanban/planka": (("/app/public/user-avatars", "/app/public/project-background-images",
                           "/app/private/attachments"), "https://docs.planka.cloud/docs/installation/docker/production_version/"),
    "pawelmalak/flame": (("/app/data",), "https://github.com/pawelmalak/flame#docker"),
    "privatebin/nginx-fpm-alpine": (("/srv/data",), "https://github.com/PrivateBin/docker-nginx-fpm-alpine"),
    # CMS, CRM, business
    "drupal": (("/var/www/html/sites",), "https://hub.docker.com/_/drupal"),
    "joomla": (("/var/www/html",), "https://hub.docker.com/_/joomla"),
    "matomo": (("/var/www/html",), "https://hub.docker.com/_/matomo"),
    "monica": (("/var/www/html/storage",), "https://hub.docker.com/_/monica"),
    "snipe/snipe-it": (("/var/lib/snipeit",), "https://snipe-it.readme.io/docs/docker"),
    "espocrm/espocrm": (("/var/www/html",), "https://docs.espocrm.com/administration/docker/installation/"),
    "nocodb/nocodb": (("/usr/app/data",), "https://docs.nocodb.com/getting-started/self-hosted/installation/docker"),
    "budibase/budibase": (("/data",), "https://docs.budibase.com/docs/docker"),
    "appsmith/appsmith-ce": (("/appsmith-stacks",), "https://docs.appsmith.com/getting-started/setup/installation-guides/docker"),
    # Keila's Local storage adapter at ./uploads (config/config.exs) of its image's WORKDIR
    # /opt/app (https://github.com/pentacent/keila/blob/045dfbb555a9cd5fb9daeb270b3df150bca8f069/ops/Dockerfile)
    "pentacent/keila": (("/opt/app/uploads",), "https://github.com/pentacent/keila/blob/30a6de2652c95f7cc495fb9cc1fec197eb4ac6b1/config/config.exs"),
    # Data tools (embedded H2 or SQLite metadata databases)
    "metabase/metabase": (("/metabase.db",), "https://www.metabase.com/docs/latest/installation-and-operation/running-metabase-on-docker"),
    "apache/superset": (("/app/superset_home",), "https://superset.apache.org/docs/installation/docker-builds/"),
    "dbeaver/cloudbeaver": (("/opt/cloudbeaver/workspace",), "https://github.com/dbeaver/cloudbeaver/wiki/Run-Docker-Container"),
    "heartexlabs/label-studio": (("/label-studio/data",), "https://labelstud.io/guide/install#Install-with-Docker"),
    "open-webui/open-webui": (("/app/backend/data",), "https://docs.openwebui.com/getting-started/quick-start/"),
    "chromadb/chroma": (("/chroma/chroma", "/data"), "https://cookbook.chromadb.dev/running/running-chroma"),
    "chroma-core/chroma": (("/chroma/chroma", "/data"), "https://cookbook.chromadb.dev/running/running-chroma"),
    "grafana/loki": (("/loki",), "https://grafana.com/docs/loki/latest/setup/install/docker/"),
    "victoriametrics/victoria-metrics": (("/victoria-metrics-data",), "https://docs.victoriametrics.com/victoriametrics/single-server-victoriametrics/"),
    "victoriametrics/victoria-logs": (("/victoria-logs-data",), "https://docs.victoriametrics.com/victorialogs/quickstart/"),
    # Notebook servers: a user's notebooks and files are in the home directory /home/jovyan, where
    # Kubeflow mounts a notebook's volume (https://www.kubeflow.org/docs/components/notebooks/container-images/)
    # and the Jupyter Docker Stacks' documentation mounts the host's work folder
    # (https://jupyter-docker-stacks.readthedocs.io/en/latest/using/running.html).
    **{f"kubeflow/kubeflow/notebook-servers/{name}": (("/home/jovyan",), "https://www.kubeflow.org/docs/components/notebooks/container-images/")
       for name in ("jupyter", "jupyter-scipy", "jupyter-pytorch", "jupyter-pytorch-full",
                    "jupyter-tensorflow", "jupyter-tensorflow-full")},
    **{f"jupyter/{name}": (("/home/jovyan",), "https://jupyter-docker-stacks.readthedocs.io/en/latest/using/running.html")
       for name in ("base-notebook", "minimal-notebook", "scipy-notebook", "datascience-notebook",
                    "tensorflow-notebook", "pytorch-notebook")},
    # Automation, development, CI
    "n8nio/n8n": (("/home/node/.n8n",), "https://docs.n8n.io/hosting/installation/docker/"),
    "portainer/portainer-ee": (("/data",), "https://docs.portainer.io/start/install/server/docker/linux"),
    "drone/drone": (("/data",), "https://docs.drone.io/server/provider/gitea/"),
    "woodpeckerci/woodpecker-server": (("/var/lib/woodpecker",), "https://woodpecker-ci.org/docs/administration/general"),
    "sonarqube": (("/opt/sonarqube/data", "/opt/sonarqube/extensions"), "https://hub.docker.com/_/sonarqube"),
    "jetbrains/youtrack": (("/opt/youtrack/data",), "https://www.jetbrains.com/help/youtrack/server/youtrack-docker-installation.html"),
    "jetbrains/teamcity-server": (("/data/teamcity_server/datadir",), "https://hub.docker.com/r/jetbrains/teamcity-server"),
    "rundeck/rundeck": (("/home/rundeck/server/data",), "https://docs.rundeck.com/docs/administration/install/docker.html"),
    "jfrog/artifactory-oss": (("/var/opt/jfrog/artifactory",), "https://jfrog.com/help/r/jfrog-installation-setup-documentation/install-artifactory-single-node-with-docker"),
    "pypiserver/pypiserver": (("/data/packages",), "https://github.com/pypiserver/pypiserver#using-the-docker-image"),
    "codercom/code-server": (("/home/coder",), "https://coder.com/docs/code-server/install#docker"),
    # GlitchTip's uploaded files (source maps, debug files) in UPLOADS_DIR, /code/uploads of the
    # glitchtip/glitchtip image, where Glasskube's operator mounts its claim beside the
    # database (companion object of its Glitchtip resource)
    "glitchtip/glitchtip": (("/code/uploads",), "https://github.com/glasskube/operator/blob/01c371e8bd769d870371d26302e34568c4c4743f/operator/src/main/kotlin/eu/glasskube/operator/apps/glitchtip/Glitchtip.kt"),
    # Network, identity, security
    "authelia/authelia": (("/config",), "https://www.authelia.com/integration/deployment/docker/"),
    "wg-easy/wg-easy": (("/etc/wireguard",), "https://github.com/wg-easy/wg-easy"),
    "tailscale/tailscale": (("/var/lib/tailscale",), "https://tailscale.com/kb/1282/docker"),
    "headscale/headscale": (("/var/lib/headscale",), "https://headscale.net/stable/setup/install/container/"),
    "technitium/dns-server": (("/etc/dns",), "https://github.com/TechnitiumSoftware/DnsServer/blob/master/docker-compose.yml"),
    "crowdsecurity/crowdsec": (("/var/lib/crowdsec/data",), "https://hub.docker.com/r/crowdsecurity/crowdsec"),
    "ckulka/baikal": (("/var/www/baikal/Specific", "/var/www/baikal/config"), "https://github.com/ckulka/baikal-docker"),
    "tomsquest/docker-radicale": (("/data",), "https://github.com/tomsquest/docker-radicale"),
    # Chat, messaging, voice
    # Mastodon keeps uploaded and cached remote media on the local filesystem, public/system,
    # unless S3 is enabled: the project's Compose file binds it for web and sidekiq
    "mastodon/mastodon": (("/mastodon/public/system",), "https://github.com/mastodon/mastodon/blob/004f3aa2356e64a463feff26dda3ed41547ed718/docker-compose.yml"),
    "emqx/emqx": (("/opt/emqx/data",), "https://docs.emqx.com/en/emqx/latest/deploy/install-docker.html"),
    "matrixconduit/matrix-conduit": (("/var/lib/matrix-conduit",), "https://docs.conduit.rs/deploying/docker.html"),
    "thelounge/thelounge": (("/var/opt/thelounge",), "https://github.com/thelounge/thelounge-docker"),
    "gotify/server": (("/app/data",), "https://gotify.net/docs/install"),
    "mumblevoip/mumble-server": (("/data",), "https://github.com/mumble-voip/mumble-docker"),
    "teamspeak": (("/var/ts3server",), "https://hub.docker.com/_/teamspeak"),
    # Home automation, cameras, printing, games
    "zwavejs/zwave-js-ui": (("/usr/src/app/store",), "https://zwave-js.github.io/zwave-js-ui/#/getting-started/docker"),
    "blakeblackshear/frigate": (("/config", "/media/frigate"), "https://docs.frigate.video/frigate/installation/#docker"),
    "koush/scrypted": (("/server/volume",), "https://docs.scrypted.app/installation.html#linux-docker"),
    "octoprint/octoprint": (("/octoprint",), "https://github.com/OctoPrint/octoprint-docker"),
    "itzg/minecraft-server": (("/data",), "https://docker-minecraft-server.readthedocs.io/en/latest/data-directory/"),
    # /config/saved holds "the game's blueprints, saves, and server configuration" (README)
    "wolveix/satisfactory-server": (("/config",), "https://github.com/wolveix/satisfactory-server/blob/b366da0b7e7c6e37aaf265f4142508f18dfdd1a0/README.md"),
    # Uploaded files go to ``file_store``, by default env-paths' data directory for "saltcorn"
    # (connect.ts), ~/.local/share/saltcorn on Linux (https://github.com/sindresorhus/env-paths#pathsdata);
    # the image runs as root (Dockerfile.release: FROM debian:12, no USER)
    "saltcorn/saltcorn": (("/root/.local/share/saltcorn",), "https://github.com/saltcorn/saltcorn/blob/4f37a230d2d8390cff6762fdb03feaba63267dbe/packages/saltcorn-data/db/connect.ts"),
    # EverShop's uploaded product and CMS images go below MEDIAPATH, ``<rootPath>/media``, where
    # rootPath is the working directory when the package runs from node_modules (helpers.ts); the
    # published image installs the npm package in WORKDIR /app (docker/Dockerfile at
    # 44332da87dcab26dabe646bd5077d6ed8988bf84): /app/media.
    "evershop/evershop": (("/app/media",), "https://github.com/evershopcommerce/evershop/blob/09b38e3a7590d352afbfb0a2d852ecf3597e032e/packages/evershop/src/lib/helpers.ts"),
    # Images whose Compose examples or manifests ship with no volume at these directories: the
    # directories are read from each project's source at the commit pinned in the URL.
    # Trudesk writes ticket attachments and uploaded images under public/uploads of its
    # install directory, which the project's own manifest puts on a claim.
    "polonel/trudesk": (("/usr/src/trudesk/public/uploads",), "https://github.com/polonel/trudesk/blob/2c85e3693134995ac4f7560cb27efebdb27c07cc/kubernetes/trudesk-deployment.yaml"),
    # Peppermint's API stores ticket attachments with multer ``dest: "uploads/"`` in its cwd
    # apps/api (ecosystem.config.js); the image's runner stage copies apps/api/ with no
    # WORKDIR of its own (node:lts sets none: the root), so /apps/api/uploads.
    "pepperlabs/peppermint": (("/apps/api/uploads",), "https://github.com/Peppermint-Lab/peppermint/blob/ba6e2179f9409db76abeb9a3007a262160e24628/apps/api/src/controllers/storage.ts"),
    # Dashy's config editor saves conf.yml and its backups into USER_DATA_DIR, default
    # ./user-data/ under WORKDIR /app (Dockerfile).
    "lissy93/dashy": (("/app/user-data",), "https://github.com/Lissy93/dashy/blob/fde99410ff8565bc62160f613a44350352871998/services/save-config.js"),
    # MediaCMS's MEDIA_ROOT is BASE_DIR + "/media_files/" (the uploaded originals and their
    # encodings); the image copies the project to /home/mediacms.io/mediacms (Dockerfile).
    "mediacms/mediacms": (("/home/mediacms.io/mediacms/media_files",), "https://github.com/mediacms-io/mediacms/blob/90b9fad55bc7e93827956b53822a4b520bf999b9/cms/settings.py"),
    # Traccar's ``media.path`` defaults to ./media (photos, audio and video devices send,
    # uploaded device images) under WORKDIR /opt/traccar (docker/Dockerfile.alpine); its
    # database is wherever DATABASE_* or traccar.xml puts it, so only the media are listed.
    "traccar/traccar": (("/opt/traccar/media",), "https://github.com/traccar/traccar/blob/9e5c458ad0bf44ceaddf72534bf6874787f41b6c/src/main/java/org/traccar/config/Keys.java"),
    # DevLake's dashboard image is built FROM grafana/grafana, whose GF_PATHS_DATA
    # /var/lib/grafana holds grafana.db (users, annotations, dashboards made in the UI); the
    # DevLake dashboards it ships are provisioned from the image, not from a mount.
    "apache/devlake-dashboard": (("/var/lib/grafana",), "https://github.com/apache/incubator-devlake/blob/420e494b4ede9a16c4bfb59de099c797bcd7f5f1/grafana/Dockerfile"),
    # Dozzle writes the notification rules made in its UI to ./data/notifications.yml (and
    # cloud.yml, users.yml beside them) in its working directory, the root of its FROM scratch
    # image (Dockerfile): /data.
    "amir20/dozzle": (("/data",), "https://github.com/amir20/dozzle/blob/ca4cab8cb8935c4eb1f83e3cae3fc5df194cb789/internal/notification/persist.go"),
}  # fmt: skip

REBUILT: dict[str, tuple[tuple[str, ...], str, str]] = {
    # ACME certificates and keys are issued again by the CA on a fresh start.
    "caddy": (("/data", "/config"), "https://hub.docker.com/_/caddy",
              "TLS certificates and keys the ACME CA issues again, and the config Caddy saves"),
    "nginxproxy/acme-companion": (("/etc/acme.sh", "/etc/nginx/certs"), "https://github.com/nginx-proxy/acme-companion/blob/main/docs/Persistent-data.md",
                                  "ACME account and certificates, issued again by the CA"),
    "jrcs/letsencrypt-nginx-proxy-companion": (("/etc/acme.sh", "/etc/nginx/certs"), "https://github.com/nginx-proxy/acme-companion/blob/main/docs/Persistent-data.md",
                                               "ACME account and certificates, issued again by the CA"),
    "certbot/certbot": (("/etc/letsencrypt",), "https://eff-certbot.readthedocs.io/en/stable/install.html#alternative-1-docker",
                        "certificates and account keys, issued again by the CA"),
    # Model weights are pulled again from their registry.
    "ollama/ollama": (("/root/.ollama",), "https://hub.docker.com/r/ollama/ollama",
                      "models pulled again from the Ollama registry"),
    "huggingface/text-generation-inference": (("/data",), "https://huggingface.co/docs/text-generation-inference/quicktour",
                                              "model weights downloaded again from the Hugging Face Hub"),
    # SearXNG's entrypoint creates settings.yml in /etc/searxng from its template when absent
    # ("does not exist, creating from template"), with a new random secret key.
    "searxng/searxng": (("/etc/searxng",), "https://github.com/searxng/searxng/blob/889336f814af8c78bc3e4d7bce2a879e1cda87d2/container/entrypoint.sh",
                        "the default settings the container writes again at start"),
    # LinuxServer.io's ddclient keeps only its configuration in /config: its init script copies
    # the default ddclient.conf there when absent, and the service runs ddclient with
    # ``--cache /run/ddclient-cache/ddclient.cache``, the last address sent, detected again.
    "linuxserver/ddclient": (("/config",), "https://github.com/linuxserver/docker-ddclient/blob/4d1ea174e4a4d4f3de7a24d0f2f9d90056ede9a3/root/etc/s6-overlay/s6-rc.d/svc-ddclient/run",
                             "the default ddclient.conf the container copies there when absent"),
    # A build cache's action results and blobs are uploaded again by the next builds that miss
    # them ("The cache contents are stored in a directory on disk with a maximum cache size",
    # least recently used entries evicted; the image's directory is /data).
    "buchgr/bazel-remote-cache": (("/data",), "https://github.com/buchgr/bazel-remote/blob/ead20798fed6eb1d4bf40efd08e3653868d34feb/README.md",
                                  "a build cache, filled again by the builds that miss it"),
    # GeoIP databases are downloaded again from MaxMind on the updater's next run: MaxMind's
    # geoipupdate image (ghcr.io/maxmind/geoipupdate) downloads them into GEOIPUPDATE_DB_DIR,
    # "The default is /usr/share/GeoIP"; crazy-max's updater into DOWNLOAD_PATH, "/data" in its
    # Docker guide ("Directory where databases will be stored", docs/usage/cli.md at the same
    # commit).
    "maxmind/geoipupdate": (("/usr/share/GeoIP",), "https://github.com/maxmind/geoipupdate/blob/4c77448b6183249a8a9378d4ad1775649285236b/doc/docker.md",
                            "GeoIP databases downloaded again from MaxMind"),
    "crazymax/geoip-updater": (("/data",), "https://github.com/crazy-max/geoip-updater/blob/c2c50ba1e102b69b772bf085afb838c5516232b2/docs/install/docker.md",
                               "GeoIP databases downloaded again from MaxMind"),
    # A forward proxy's cache is filled again from the origin servers.
    "ubuntu/squid": (("/var/spool/squid",), "https://hub.docker.com/r/ubuntu/squid",
                     "a proxy cache, filled again from the origin servers"),
}  # fmt: skip

TOOLS: dict[str, tuple[tuple[str, ...], str]] = {
    # pgadmin4.db (users, server registrations, preferences) under /var/lib/pgadmin, the
    # image's VOLUME: https://www.pgadmin.org/docs/pgadmin4/latest/container_deployment.html
    "dpage/pgadmin4": (("/var/lib/pgadmin",), "https://www.pgadmin.org/docs/pgadmin4/latest/container_deployment.html"),
}  # fmt: skip

# hotio's images keep all of an application's state in /config (each image's page, e.g.
# https://hotio.dev/containers/sonarr/).
# Catalogued programs that are a data system of another role than an application keeping its
# users' records, by what they are: EMQX is an MQTT message broker ("EMQX is an open-source,
# highly scalable, and feature-rich MQTT broker", https://docs.emqx.com/en/emqx/latest/), whose
# data directory holds its node's database (configuration, retained messages, sessions when
# durable: https://docs.emqx.com/en/emqx/latest/durability/durability_introduction.html), as
# its operator resource is read (a ``queue``, :mod:`.operator_catalog`). Gravity weighs a
# queue below a database of the same estate (:data:`.lifecycle.ROLE_WEIGHTS`).
ROLES: dict[str, str] = {"emqx/emqx": "queue"}

HOTIO = (("/config",), "https://hotio.dev/containers/sonarr/")
