"""Application data beyond known database images (binds, emptyDir, env pointers, file storage).

The estates are small synthetic ones shaped like the documented setups of well-known
self-hosted applications (a photo library's upload location, a Rails app's ``public/system``, a
Git service's SQLite under ``/var/lib``), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.audit import Effect, Lifecycle
from stateward.analysis.audit.appdata import (
    data_pointers,
    env_pointers,
    kept_on_host,
    named_for_data,
)
from stateward.analysis.audit.workloads import Container, Mount
from stateward.model.filepaths import LOG_TREES, SCRATCH_TREES

from .conftest import Auditor, rules_of
from .test_audit_rules import RO, app, docs, workload

PHOTOS = """
services:
  server:
    image: example/photos-server:v1
    volumes:
      - ${UPLOAD_LOCATION:-./library}:/usr/src/app/upload
      - /etc/localtime:/etc/localtime:ro
  web:
    image: example/rails:7
    volumes: ["./public/system:/app/public/system", "./config/app.yml:/app/config/app.yml"]
  files:
    image: example/files
    environment: {STORAGE_BACKEND: file, STORAGE_PATH: /srv/storage}
  dev:
    image: example/dev
    volumes: ["./src:/app/src", ".:/code"]
"""


def test_binds_holding_application_data_are_durable(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": PHOTOS})
    by_name = {c.name: c for c in report.components}
    # Uploads and public/system binds hold the users' data: persistent, kept on the host.
    for name in ("server", "web"):
        assert by_name[name].lifecycle == "persistent", by_name[name].explanation
        assert by_name[name].loss == "none" and by_name[name].gravity >= 40
    assert "holding the data directory" in by_name["web"].explanation
    # Source-code binds are not data.
    assert by_name["dev"].lifecycle == "ephemeral-safe"


def test_file_storage_on_no_volume_is_data_loss(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": PHOTOS})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "files")
    files = next(c for c in report.components if c.name == "files")
    assert (files.lifecycle, files.loss) == ("persistent", "data")
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "server")


def test_embedded_database_on_emptydir_is_data_loss(audit_files: Auditor) -> None:
    volume = {"name": "state", "emptyDir": {}}
    mount = {"name": "state", "mountPath": "/var/lib/gitservice"}
    env = [{"name": "DATABASE_URL", "value": "sqlite:////var/lib/gitservice/app.db"}]
    report = audit_files(**{"m.yaml": docs(workload("Deployment", "git", {
        "containers": [app("example/gitservice:1", name="git", volumeMounts=[mount], env=env,
                           **RO)],
        "volumes": [volume]}))})  # fmt: skip
    found = [f for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert len(found) == 1 and "application data (DATABASE_URL)" in found[0].message
    git = report.component("k8s:Deployment/default/git")
    assert git is not None and git.loss == "data"


def test_scratch_and_config_mounts_are_not_data(audit_files: Auditor) -> None:
    mounts = [{"name": "tmp", "mountPath": "/tmp/data"},
              {"name": "cache", "mountPath": "/var/cache/data"},
              {"name": "conf", "mountPath": "/data/config.yml", "subPath": "config.yml"}]  # fmt: skip
    env = [{"name": "LD_LIBRARY_PATH", "value": "/usr/local/lib"},
           {"name": "DATA_DIR", "value": "/tmp/work"}]  # fmt: skip
    report = audit_files(**{"m.yaml": docs(workload("Deployment", "api", {
        "containers": [app("example/api", name="api", volumeMounts=mounts, env=env, **RO)],
        "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "cache", "emptyDir": {}},
                    {"name": "conf", "emptyDir": {}}]}))})  # fmt: skip
    assert not {"DATA_ON_EPHEMERAL", "APP_DATA_NO_VOLUME"} & rules_of(report, "api")


def _mount(target: str, kind: str = "bind") -> Mount:
    return Mount("c", target, "v", kind, False, "/x")


@given(st.sampled_from(["/data", "/app/uploads", "/srv/media/", "/var/lib/myapp",
                        "/app/public/system", "/state/app.sqlite3"]))  # fmt: skip
def test_data_named_targets(target: str) -> None:
    assert named_for_data(_mount(target))


@given(st.sampled_from(["/app", "/etc/app", "/var/lib/docker", "/data/app.yml", "/tmp/data",
                        "/var/log/data", "/usr/share/nginx/html"]))  # fmt: skip
def test_other_targets_are_not_data(target: str) -> None:
    assert not named_for_data(_mount(target))


def test_a_bind_below_a_state_directory_holds_that_subfolder_only() -> None:
    """A bind at ``/var/lib/<program>/<folder>`` places the folder, not the program's state
    directory: provisioned dashboards are not data, a folder named for data is; a volume
    there, or a bind at the state directory itself, is still read as the program's state."""
    assert not named_for_data(_mount("/var/lib/grafana/dashboards"))
    assert named_for_data(_mount("/var/lib/app/uploads"))
    assert named_for_data(_mount("/var/lib/grafana/dashboards", "volume"))
    assert named_for_data(_mount("/var/lib/grafana"))


def test_a_bind_of_provisioned_files_below_grafanas_data_directory_keeps_no_database(
    audit_files: Auditor,
) -> None:
    """Grafana's ``grafana.db`` stays in the container layer when only a subfolder of
    ``/var/lib/grafana`` is bound: the service is read as it would be with no mount there."""
    compose = docs({"services": {"grafana": {"image": "grafana/grafana:11.0.0", "volumes": [
        "./provisioning:/etc/grafana/provisioning",
        "./dashboards:/var/lib/grafana/dashboards"]}}})  # fmt: skip
    bare = docs({"services": {"grafana": {"image": "grafana/grafana:11.0.0"}}})
    (bound,) = audit_files(**{"compose.yaml": compose}).components
    (plain,) = audit_files(**{"compose.yaml": bare}).components
    assert bound.loss == plain.loss and bound.lifecycle == plain.lifecycle
    assert bound.lifecycle is not Lifecycle.PERSISTENT


def test_an_upload_folder_below_a_static_tree_is_data_the_static_tree_is_not(
    audit_files: Auditor,
) -> None:
    """Plume writes uploads to ``static/media`` under its working directory: a bind there holds
    them, where the ``static`` tree itself (built assets) or an upload-named folder under a
    cache does not."""
    assert named_for_data(_mount("/app/static/media"))
    assert named_for_data(_mount("/srv/app/static/uploads"))
    assert not named_for_data(_mount("/app/static"))
    assert not named_for_data(_mount("/var/cache/static/media"))
    assert not named_for_data(_mount("/app/static/css"))
    for folder, kept in (("media", True), ("css", False)):
        bind = f"./data/blog/static/{folder}:/app/static/{folder}"
        compose = docs({"services": {"blog": {"image": "example.org/blog:1", "volumes": [bind]}}})
        (component,) = audit_files(**{"compose.yaml": compose}).components
        assert (component.lifecycle is Lifecycle.PERSISTENT) is kept, folder


def test_generic_names_on_scratch_volumes_are_not_data() -> None:
    assert not named_for_data(_mount("/data", "emptyDir"))
    assert named_for_data(_mount("/uploads", "emptyDir"))


def test_a_folder_whose_last_part_is_a_data_word_is_data_unless_a_part_says_scratch() -> None:
    # PocketBase's pb_data, an app's own "<name>_data" or "user-uploads" folder
    for target in ("/pb_data", "/srv/app-data", "/user-uploads", "/hub_storage"):
        assert named_for_data(_mount(target)), target
    for target in ("/data_cache", "/data-tmp", "/metadata", "/app_logs", "/app_data.yml"):
        assert not named_for_data(_mount(target)), target
    # between the containers of one pod, "shared-data" is as often scratch as data
    assert not named_for_data(_mount("/shared-data", "emptyDir"))
    bind = Mount("c", "/srv", "v", "bind", False, "/x", "./hub_data")
    assert kept_on_host(bind) == "project data directory ./hub_data"
    assert not kept_on_host(Mount("c", "/srv", "v", "bind", False, "/x", "./hub_cache_data"))


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/usr/local/share/cypht/site/fonts", False),  # FHS /usr/share: read-only, shareable
        ("/usr/share/tessdata", False),
        ("/usr/share", False),
        ("/usr/sharepoint/files", True),  # a path word, not the /usr/share tree
        ("/srv/app/fonts", True),
    ],
)
def test_a_data_named_project_folder_bound_into_usr_share_is_files_supplied(
    target: str, kept: bool
) -> None:
    bind = Mount("c", target, "v", "bind", False, "/x", "./data/fonts")
    assert bool(kept_on_host(bind)) is kept


def test_pointers_read_paths_and_sqlite_urls_only() -> None:
    env = {"UPLOAD_LOCATION": "/photos", "MEDIA_ROOT": "/srv/media/", "DB_URL": "sqlite:///x",
           "DATABASE_URL": "sqlite:////var/lib/a/a.db", "LD_LIBRARY_PATH": "/lib",
           "DATA_PATH": "relative", "STORAGE_DIR": "/a:/b", "HOME": "/root"}  # fmt: skip
    container = Container("c", "i", {"environment": env}, "")
    assert data_pointers(container) == {
        "/photos": "UPLOAD_LOCATION", "/srv/media": "MEDIA_ROOT",
        "/var/lib/a/a.db": "DATABASE_URL", "x": "DB_URL",
    }  # fmt: skip


def test_env_pointers_read_the_environment_given_alone() -> None:
    """Variables handed from elsewhere (a ConfigMap) are read in the container's working
    directory; its own variables, command and a program's default embedded database are not
    theirs to report."""
    body = {"env": [{"name": "UPLOAD_DIR", "value": "/own"}], "workingDir": "/srv",
            "args": ["--data-dir=/flagged"]}  # fmt: skip
    keycloak = Container("c", "quay.io/keycloak/keycloak:26", body, "")
    given = {"MEDIA_ROOT": "/media", "DATABASE_URL": "sqlite:///app.db", "FILESYSTEM_DISK": "local"}
    assert env_pointers(keycloak, given) == {
        "/media": "MEDIA_ROOT", "/srv/app.db": "DATABASE_URL", "/srv/storage/app": "FILESYSTEM_DISK",
    }  # fmt: skip
    assert env_pointers(keycloak, {}) == {}
    # the same container's own reading: its variable, its flag and the default it keeps
    assert set(data_pointers(keycloak)) == {"/own", "/flagged", "/opt/keycloak/data/h2"}


def test_relative_database_files_are_in_the_working_directory() -> None:
    env = {"A": "sqlite:///app.db", "B": "sqlite3:db/production.sqlite3", "C": "file:./dev.db",
           "D": "sqlite::memory:", "E": "file:./notes.txt", "F": "sqlite3"}  # fmt: skip
    known = Container("c", "i", {"env": [{"name": k, "value": v} for k, v in env.items()],
                                 "workingDir": "/srv/app"}, "")  # fmt: skip
    assert data_pointers(known) == {
        "/srv/app/app.db": "A",
        "/srv/app/db/production.sqlite3": "B",
        "/srv/app/dev.db": "C",
    }
    image = Container("c", "i", {"environment": env}, "", image_config={"WorkingDir": "/w"})
    assert "/w/db/production.sqlite3" in data_pointers(image)
    assert "db/production.sqlite3" in data_pointers(Container("c", "i", {"environment": env}, ""))


def test_a_path_to_a_database_file_is_a_pointer_whatever_the_variable_is_called() -> None:
    env = {"DATABASE_URL": "/data/db.sqlite3", "GTS_DB_ADDRESS": "/srv/sqlite.db",
           "UPLOADS_DIR": "./uploads", "SOCKET": "/run/app.db", "NOTE": "/opt/a b.db",
           "MODE": "./relative-but-no-pointer-name"}  # fmt: skip
    container = Container("c", "i", {"environment": env, "working_dir": "/app"}, "")
    assert data_pointers(container) == {
        "/data/db.sqlite3": "DATABASE_URL", "/srv/sqlite.db": "GTS_DB_ADDRESS",
        "/app/uploads": "UPLOADS_DIR",
    }  # fmt: skip


def test_a_database_file_on_the_command_line_is_a_pointer() -> None:
    body = {"command": ["server", "--db=/var/lib/app/app.db", "--log=/tmp/x.db"],
            "args": ["-sqlite", "/data/extra.sqlite3", "--config=/etc/app.yml"]}  # fmt: skip
    assert set(data_pointers(Container("c", "i", body, ""))) == {
        "/var/lib/app/app.db",
        "/data/extra.sqlite3",
    }


def _records_app(name: str, replicas: int, *volumes: dict[str, object]) -> dict[str, object]:
    env = [{"name": "DATABASE_URL", "value": "sqlite3:db/db.sqlite3"}]
    mounts = [{"name": v["name"], "mountPath": "/srv"} for v in volumes]
    container = app("example/records:1", name="svc", env=env, volumeMounts=mounts)
    pod = {"containers": [container], "volumes": list(volumes)}
    return workload("Deployment", name, pod, replicas=replicas)


def test_a_relative_sqlite_file_in_the_container_layer_is_data_loss(
    audit_files: Auditor,
) -> None:
    claim = {"name": "w", "persistentVolumeClaim": {"claimName": "w"}}
    report = audit_files(**{"m.yaml": docs(
        _records_app("authors", 1), _records_app("front", 3), _records_app("mounted", 1, claim)
    )})  # fmt: skip
    authors = report.component("k8s:Deployment/default/authors")
    assert authors is not None and authors.loss == "data", authors
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "authors")
    # Three replicas each with their own file: not where shared records are kept.
    front = report.component("k8s:Deployment/default/front")
    assert front is not None and front.loss == "none", front.explanation
    # Its working directory unknown, a container that writes a claim may keep the file there.
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "mounted")


def test_pointers_may_carry_qualifiers_but_not_scratch_ones() -> None:
    env = {"FILE_STORAGE_LOCAL_ROOT_DIR": "/var/lib/app/data", "UPLOADS_S3_COMPAT_PATH": "/up",
           "DATA_CACHE_DIR": "/srv/dc", "DB_CONFIG_FILE": "/etc/app/db.yml",
           "MEDIA_TMP_DIR": "/srv/mt"}  # fmt: skip
    container = Container("c", "i", {"environment": env}, "")
    assert data_pointers(container) == {
        "/var/lib/app/data": "FILE_STORAGE_LOCAL_ROOT_DIR", "/up": "UPLOADS_S3_COMPAT_PATH",
    }  # fmt: skip


def test_a_pointer_may_end_with_whose_files_they_are_but_not_with_a_prefix() -> None:
    """Quant-UX's ``QUX_IMAGE_FOLDER_USER`` names the folder of the images users upload, one
    word after the location saying whose; a URL's prefix, a scratch word there, or an image
    named by reference rather than a path is none."""
    env = {"QUX_IMAGE_FOLDER_USER": "/qux-images", "QUX_IMAGE_FOLDER_APPS": "/qux-image-apps",
           "MEDIA_PATH_PREFIX": "/media", "UPLOAD_DIR_TMP": "/srv/up", "IMAGE_PATH": "nginx:1",
           "DATA_DIR_URL": "/data"}  # fmt: skip
    container = Container("c", "i", {"environment": env}, "")
    assert data_pointers(container) == {
        "/qux-images": "QUX_IMAGE_FOLDER_USER", "/qux-image-apps": "QUX_IMAGE_FOLDER_APPS",
    }  # fmt: skip


@pytest.mark.parametrize("tree", [*SCRATCH_TREES, *LOG_TREES])
def test_a_pointer_into_a_scratch_or_log_tree_is_no_data(tree: str) -> None:
    """What is scratch by place is scratch by its names too: a data variable pointed there, or
    a data directory flag, names no data."""
    env = {"UPLOAD_LOCATION": f"{tree}/app", "MEDIA_ROOT": "/srv/media"}
    body = {"environment": env, "command": ["server", f"--data-dir={tree}/db"]}
    assert data_pointers(Container("c", "i", body, "")) == {"/srv/media": "MEDIA_ROOT"}


APPS = """
services:
  git:
    image: docker.io/gitea/gitea:1.22
  monitor:
    image: louislam/uptime-kuma:1
    volumes: ["kuma:/app/data"]
  passwords:
    image: vaultwarden/server:latest
  media:
    image: lscr.io/linuxserver/jellyfin:latest
    volumes: ["./jf:/config"]
  blog:
    image: wordpress:6-apache
  other:
    image: example/server:1
volumes: {kuma: {}}
"""


def test_well_known_applications_keep_data_in_their_documented_directory(
    audit_files: Auditor,
) -> None:
    """The catalogue of self-hosted applications: with no volume at the directory their images
    document, the data goes with the container; with one, it is durable (a config-named bind
    too, for LinuxServer's /config). A repository path the catalogue does not hold says
    nothing, however its last segment reads."""
    report = audit_files(**{"compose.yaml": APPS})
    by_name = {c.name: c for c in report.components}
    for lost in ("git", "passwords", "blog"):
        assert str(by_name[lost].loss) == "data", lost
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "git")
    for durable in ("monitor", "media"):
        assert (by_name[durable].lifecycle, str(by_name[durable].loss)) == ("persistent", "none")
    assert by_name["media"].gravity > 40  # holds 40 + an application's role 15
    assert by_name["other"].lifecycle == "ephemeral-safe"


KEPT_ON_HOST = """
services:
  images:
    image: example/image-server:1
    volumes: ["./volumes/images:/mnt"]
  plugins:
    image: example/plugin-host:1
    volumes: ["./plugins:/mnt", "./volumes/plugin.conf:/etc/plugin.conf"]
  proxy:
    image: example/proxy:1
    volumes: ["./data/proxy:/etc/proxy"]
"""


def test_a_bind_of_a_project_folder_named_for_what_it_keeps_is_data(audit_files: Auditor) -> None:
    """``./volumes/images`` names where the project keeps that service's state, whatever the
    program calls the path inside (``/mnt``); a code folder, a single file or a configuration
    directory the program reads (``/etc/proxy``) does not."""
    report = audit_files(**{"compose.yaml": KEPT_ON_HOST})
    by_name = {c.name: c for c in report.components}
    bind = {
        (name, str(report.effect_of(f)))
        for name in ("images", "plugins", "proxy")
        for f in report.findings_for(by_name[name].id)
        if f.rule == "COMPOSE_BIND"
    }
    assert bind == {("images", "durable"), ("plugins", "context"), ("proxy", "context")}
    assert by_name["images"].lifecycle == "persistent" and by_name["images"].gravity >= 55
    assert by_name["plugins"].gravity == 0


SHARED_ENV = """
services:
  app:
    image: example/bookmarks:1
    env_file: [.env]
    volumes: ["data:/srv/data"]
  crawler:
    image: example/crawler:1
    env_file: [.env]
  solo:
    image: example/solo:1
    env_file: [.env]
    environment: {MEDIA_ROOT: /srv/media}
volumes: {data: {}}
"""


def test_a_pointer_handed_to_every_service_by_one_env_file_is_its_readers(
    audit_files: Auditor,
) -> None:
    """One ``.env`` gives every service ``DATA_DIR=/srv/data``; only ``app`` mounts a volume
    there, so the crawler holds nothing. A pointer no other service mounts is still reported."""
    report = audit_files(**{"compose.yaml": SHARED_ENV, ".env": "DATA_DIR=/srv/data\n"})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "crawler")
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "solo")
    crawler = next(c for c in report.components if c.name == "crawler")
    assert (crawler.lifecycle, str(crawler.loss)) == ("ephemeral-safe", "none")


@pytest.mark.parametrize(
    ("image", "directory"),
    [
        ("ghcr.io/open-webui/open-webui:main", "/app/backend/data"),
        ("neosmemo/memos:stable", "/var/opt/memos"),
        ("quay.io/hedgedoc/hedgedoc:1.10", "/hedgedoc/public/uploads"),
        ("solr:9", "/var/solr"),
        ("qdrant/qdrant:v1.12", "/qdrant/storage"),
        ("semitechnologies/weaviate:1.26", "/var/lib/weaviate"),
        ("victoriametrics/victoria-metrics:v1.102", "/victoria-metrics-data"),
        ("grafana/loki:3.1", "/loki"),
    ],
)
def test_more_documented_data_directories(audit_files: Auditor, image: str, directory: str) -> None:
    """Widely used images whose documentation names where their data lives: on no volume it
    goes with the container; on a named volume there it is kept."""
    lost = audit_files(**{"compose.yaml": f"services:\n  s:\n    image: {image}\n"})
    assert str(lost.components[0].loss) == "data", lost.components[0].explanation
    kept = audit_files(**{"compose.yaml": f"services:\n  s:\n    image: {image}\n"
                          f"    volumes: ['v:{directory}']\nvolumes: {{v: {{}}}}\n"})  # fmt: skip
    assert (kept.components[0].lifecycle, str(kept.components[0].loss)) == ("persistent", "none")


def test_a_program_folder_under_a_data_root_is_data() -> None:
    """``./docuseal:/data/docuseal``: a kept volume at a folder under ``/data``; a scratch
    volume there, or a configuration or log folder under it, is not."""
    assert named_for_data(_mount("/data/docuseal"))
    assert named_for_data(_mount("/data/docuseal", "volume"))
    assert not named_for_data(_mount("/data/docuseal", "emptyDir"))
    assert not named_for_data(_mount("/data/config"))
    assert not named_for_data(_mount("/data/logs"))


def test_an_application_bound_at_its_folder_under_data_is_durable(audit_files: Auditor) -> None:
    compose = """
    services:
      app:
        image: example/signing:2
        volumes: ["./signing:/data/signing"]
    """
    (verdict,) = audit_files(**{"compose.yaml": compose}).components
    assert str(verdict.lifecycle) == "persistent"


@pytest.mark.parametrize(
    ("command", "pointers"),
    [
        (["/bin/tserver", "--fs_data_dirs=/mnt/d0,/mnt/d1"], {"/mnt/d0", "/mnt/d1"}),
        (["etcdish", "--data-dir", "/var/lib/etcdish"], {"/var/lib/etcdish"}),
        (["server", "--data_directory=/srv/store/"], {"/srv/store"}),
        (["server", "--data-dir=/tmp/scratch"], set()),
        (["server", "--metadata-dirs=/srv/meta"], set()),
        (["standalone", "--stream-root-path", "/tmp/stream"], {"/tmp/stream"}),
        (["server", "--measure-root-path=/srv/m", "--log-root-path=/srv/l"], {"/srv/m"}),
        (["uvicorn", "app:api", "--root-path", "/api"], set()),
    ],
)
def test_a_flag_naming_the_data_directories_points_at_data(
    command: list[str], pointers: set[str]
) -> None:
    """A program that does not name its database by its image still says where its data is
    by its data-directory flags (``--fs_data_dirs``, ``--data-dir``); scratch stays scratch,
    except under a database's ``--<kind>-root-path``, whose documented default may be /tmp
    (not a log's root, nor a bare ``--root-path``, a URL prefix)."""
    container = Container("c", "example/store:1", {"command": command}, "")
    assert {p for p, why in data_pointers(container).items() if why.startswith("command")} == (
        pointers
    )


def test_a_data_directory_flag_on_no_volume_is_data_lost(audit_files: Auditor) -> None:
    compose = """
services:
  tablets:
    image: example/tablets:1
    command: ["/bin/tablets", "--fs_data_dirs=/mnt/data0"]
  kept:
    image: example/tablets:1
    command: ["/bin/tablets", "--fs_data_dirs=/mnt/kept"]
    volumes: ["tablets:/mnt/kept"]
volumes: {tablets: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "tablets")
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "kept")


NOTEBOOKS = """apiVersion: apps/v1
kind: Deployment
metadata: {name: notes}
spec:
  selector: {matchLabels: {app: notes}}
  template:
    metadata: {labels: {app: notes}}
    spec:
      containers:
      - name: server
        image: example/notebooks:1
        ports: [{containerPort: 8080}]
%s
"""
LEFT_OUT = """      # volumeMounts:
      #  - name: notebook-volume     # configure this to persist notebooks
      #    mountPath: /srv/notebooks"""
MOUNTED = """        volumeMounts:
        - {name: notebook-volume, mountPath: /srv/notebooks}
      volumes:
      - name: notebook-volume
        persistentVolumeClaim: {claimName: notebooks}"""


def test_a_mount_left_commented_out_to_persist_data_leaves_it_in_the_container(
    audit_files: Auditor,
) -> None:
    """The author's commented-out mount says where the program keeps what it would persist:
    shipped without it, that is in the container. Mounted, it is kept."""
    report = audit_files(**{"notes.yaml": NOTEBOOKS % LEFT_OUT})
    notes = report.components[0]
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "notes")
    assert (notes.lifecycle, notes.loss) == ("persistent", "data")
    kept = audit_files(**{"notes.yaml": NOTEBOOKS % (LEFT_OUT + "\n" + MOUNTED)})
    assert "APP_DATA_NO_VOLUME" not in rules_of(kept, "notes")


GALLERY = """
services:
  app:
    image: example/gallery:1
    volumes:
      - ./cache:/app/cache
      %s
    ports: ["8080:80"]
"""


@pytest.mark.parametrize(
    ("comment", "read"),
    [
        ("# - ./db:/app/database   # persist the library's database", True),
        ("## Uncomment the next line if the database driver is sqlite\n      # - ./db:/app/database",
         False),
    ],
)  # fmt: skip
def test_a_commented_mount_is_read_only_when_it_says_it_persists(
    audit_files: Auditor, comment: str, read: bool
) -> None:
    """``# - ./db:/app/database`` under "uncomment if the driver is sqlite" is another
    configuration's mount, not where this one writes; one that says it persists the database
    is."""
    report = audit_files(**{"compose.yaml": GALLERY % comment})
    assert ("APP_DATA_NO_VOLUME" in rules_of(report, "app")) is read


@pytest.mark.parametrize(
    ("comment", "effect", "loss"),
    [
        ("# - grype-db:/grype-db   # persistent grype DB cache", Effect.WARM_UP, "rebuildable"),
        ("# - ./db:/app/database   # persist the library's database", Effect.LOSS, "data"),
    ],
)  # fmt: skip
def test_a_commented_mount_its_own_line_calls_a_cache_is_a_warm_up(
    audit_files: Auditor, comment: str, effect: Effect, loss: str
) -> None:
    """Persisting a cache saves its download: left out, the program fills it again."""
    report = audit_files(**{"compose.yaml": GALLERY % comment})
    (finding,) = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert report.effect_of(finding) is effect
    (app,) = report.components
    assert str(app.loss) == loss


def test_a_commented_mount_on_a_services_last_line_is_read(audit_files: Auditor) -> None:
    """The commented mount ends the service's block: it is still the service's comment."""
    last = GALLERY.replace('    ports: ["8080:80"]\n', "") % (
        "# - ./db:/app/database   # persist the library's database"
    )
    report = audit_files(**{"compose.yaml": last + "  web:\n    image: nginx:1.27\n"})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "app")
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "web")


def test_a_file_scheme_bucket_in_a_storage_setting_points_at_data() -> None:
    """Object storage kept in a local directory: a ``file://`` bucket URL in a flag or variable
    named for a bucket or storage is a data directory, even under a run-time folder; a file URL
    in another setting (a configuration file) and a cloud bucket are not."""
    body = {
        "command": ["serve", "--attestation_storage_bucket=file:///var/run/attestations",
                    "--config", "file:///etc/app/config.yaml", "--blob_bucket", "s3://x"],
        "environment": {"EXPORT_STORAGE_URL": "file:///srv/exports/", "TEMPLATE": "file:///t"},
    }  # fmt: skip
    assert data_pointers(Container("c", "example/log:1", body, "")) == {
        "/var/run/attestations": "command --attestation_storage_bucket",
        "/srv/exports": "EXPORT_STORAGE_URL",
    }


def test_a_bind_holding_a_file_bucket_is_kept_data(audit_files: Auditor) -> None:
    compose = """
services:
  log:
    image: example/log:1
    command: ["serve", "--objects_bucket=file:///var/run/objects"]
    volumes: ["/var/run/objects:/var/run/objects"]
  plain:
    image: example/log:1
    volumes: ["/var/run/objects:/var/run/objects"]
"""
    report = audit_files(**{"compose.yaml": compose})
    by_name = {c.name: c for c in report.components}
    assert by_name["log"].lifecycle == "persistent", by_name["log"].explanation
    # Without the setting, a bind of a run-time folder holds nothing the program keeps.
    assert by_name["plain"].lifecycle == "ephemeral-safe", by_name["plain"].explanation


TOLD_WHERE = """
services:
  told:
    image: example/told
    command: ["--data-dir=/srv/state"]
    volumes: ["told_state:/srv/state"]
  named:
    image: example/named
    volumes: ["named_state:/data"]
  other:
    image: example/other
    volumes: ["other_state:/srv/state"]
volumes: {told_state: {}, named_state: {}, other_state: {}}
"""


def test_a_program_told_its_data_directory_weighs_as_one_whose_mount_is_named_for_data(
    audit_files: Auditor,
) -> None:
    """A ``--data-dir`` flag is the program's own word for where it keeps its records: that
    volume weighs like a data-named one (an application's role), not like an unnamed one."""
    report = audit_files(**{"compose.yaml": TOLD_WHERE})
    by_name = {c.name: c for c in report.components}
    assert by_name["told"].gravity == by_name["named"].gravity
    assert by_name["told"].gravity > by_name["other"].gravity


SPACED_FLAG = """
services:
  spaced:
    image: quay.io/coreos/etcd:v3.5.5
    command: etcd -listen-client-urls http://0.0.0.0:2379 --data-dir /etcd
    volumes: ["./volumes/etcd:/etcd"]
  elsewhere:
    image: quay.io/coreos/etcd:v3.5.5
    command: etcd --data-dir /etcd
    volumes: ["./volumes/other:/srv/other"]
"""


def test_a_data_image_told_its_data_directory_in_the_next_word_keeps_it_there(
    audit_files: Auditor,
) -> None:
    """``--data-dir /etcd`` says what ``--data-dir=/etcd`` says (Go's and argparse's flag
    syntax): a data image's bind there holds its data, and the image has a volume for it; the
    same flag with the bind elsewhere leaves the data in the container."""
    report = audit_files(**{"compose.yaml": SPACED_FLAG})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "spaced")
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "elsewhere")


@pytest.mark.parametrize(("folder", "effect"), [
    ("podcasts", Effect.DURABLE), ("audiobooks", Effect.DURABLE), ("recordings", Effect.DURABLE),
    ("stacks", Effect.CONTEXT),  # unnamed: what it is handed, its records in the database
])  # fmt: skip
def test_a_media_collection_beside_a_database_is_still_the_apps_data(
    audit_files: Auditor, folder: str, effect: Effect
) -> None:
    """PodFetch's shape: its records in PostgreSQL, the episodes it downloaded in ./podcasts."""
    compose = f"""
services:
  app:
    image: example/podcasts:1
    volumes: ["./{folder}:/app/{folder}"]
    environment: [DATABASE_URL=postgresql://postgres:pw@postgres/app]
    depends_on: [postgres]
  postgres:
    image: postgres
    volumes: ["pg:/var/lib/postgresql/data"]
volumes: {{pg: {{}}}}
"""
    report = audit_files(**{"compose.yaml": compose})
    (bind,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert report.effect_of(bind) is effect


def test_a_variable_naming_one_file_of_a_kind_points_at_no_data() -> None:
    """``<WHAT>_FILE_PATH`` names one file the program reads (a users list for its auth); the
    same words naming a store of files, a database file or a directory stay pointers."""
    env = {"AUTH_FILE_PATH": "/app/users.json", "TOKEN_FILE": "/run/app/token.txt",
           "USERS_FILE_PATH": "/app/state/users.db", "FILE_STORAGE_PATH": "/srv/files",
           "FILES_DIR": "/srv/uploads", "ATTACHMENT_FILE_PATH": "/srv/attachments"}  # fmt: skip
    container = Container("c", "i", {"environment": env}, "")
    assert data_pointers(container) == {
        "/app/state/users.db": "USERS_FILE_PATH", "/srv/files": "FILE_STORAGE_PATH",
        "/srv/uploads": "FILES_DIR", "/srv/attachments": "ATTACHMENT_FILE_PATH",
    }  # fmt: skip
    assert env_pointers(container, {"AUTH_FILE_PATH": "/app/users.json"}) == {}


@pytest.mark.parametrize(
    ("replicas", "env", "loss"),
    [
        (2, [], "rebuildable"),  # each pod's own folder, seen by no other replica
        (1, [], "data"),  # one pod: the folder is where the component keeps its state
        (2, [{"name": "DATA_DIR", "value": "/var/lib/relay"}], "data"),  # told to keep data there
    ],
)
def test_a_folder_named_for_state_on_the_empty_dirs_of_several_replicas_is_per_pod(
    audit_files: Auditor, replicas: int, env: list[dict[str, str]], loss: str
) -> None:
    mounts = [{"name": "state", "mountPath": "/var/lib/relay"}]
    pod = {"containers": [app("example/sip-relay:1", name="relay", volumeMounts=mounts, env=env,
                              **RO)],
           "volumes": [{"name": "state", "emptyDir": {}}]}  # fmt: skip
    report = audit_files(
        **{"m.yaml": docs(workload("Deployment", "relay", pod, replicas=replicas))}
    )
    relay = report.component("k8s:Deployment/default/relay")
    assert relay is not None and relay.loss == loss, relay
    (finding,) = [f for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert ("replicas has an emptyDir of its own" in finding.message) is (loss == "rebuildable")


MAIL_SERVER = """
services:
  imap:
    image: example/imap:1
    volumes: ["./mailstore/{folder}:/{folder}"]
    depends_on: [redis]
  redis:
    image: redis:7
    volumes: ["./redis:/data"]
"""


@pytest.mark.parametrize(("folder", "above"), [("mail", True), ("queue", False)])
def test_a_mail_servers_mailboxes_weigh_as_its_users_files(
    audit_files: Auditor, folder: str, above: bool
) -> None:
    """A folder named for mail (FHS 3.0 §5.11 /var/mail, "user mailbox files") holds the
    users' mailboxes: it weighs above the key-value store beside it, which a folder of no
    such name does not."""
    report = audit_files(**{"compose.yaml": MAIL_SERVER.format(folder=folder)})
    gravity = {c.name: c.gravity for c in report.components}
    assert (gravity["imap"] > gravity["redis"]) is above


UPLOADED_PICTURES = """
services:
  app:
    image: example/tracker:1
    environment: [DB_HOST=db]
    volumes: ["./{folder}:/app/{folder}"]
    depends_on: [db]
  db:
    image: postgres:16
    volumes: ["./pg:/var/lib/postgresql/data"]
"""


@pytest.mark.parametrize(
    ("folder", "lifecycle"), [("images", "persistent"), ("logs", "ephemeral-safe")]
)
def test_a_folder_named_for_images_holds_uploaded_pictures_beside_a_database(
    audit_files: Auditor, folder: str, lifecycle: str
) -> None:
    """A writable bind named for images keeps the pictures users upload (as ``pictures`` or
    ``photos`` do) even where the records are in a database; a folder of logs beside it does
    not."""
    report = audit_files(**{"compose.yaml": UPLOADED_PICTURES.format(folder=folder)})
    app = next(c for c in report.components if c.name == "app")
    assert app.lifecycle == lifecycle, app.explanation


GENERATED_IMAGES = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: render}}
spec:
  selector: {{matchLabels: {{app: render}}}}
  template:
    metadata: {{labels: {{app: render}}}}
    spec:
      containers:
        - name: render
          image: example/render:1
          volumeMounts: [{{name: scratch, mountPath: /{folder}}}]
      volumes: [{{name: scratch, emptyDir: {{}}}}]
"""


@pytest.mark.parametrize(("folder", "rule"), [("images", False), ("uploads", True)])
def test_an_empty_dir_named_for_images_is_scratch_not_data(
    audit_files: Auditor, folder: str, rule: bool
) -> None:
    """On an emptyDir the word ``images`` is as often generated scratch: no data on ephemeral
    storage, where ``uploads`` is."""
    report = audit_files(**{"render.yaml": GENERATED_IMAGES.format(folder=folder)})
    assert any(f.rule == "DATA_ON_EPHEMERAL" for f in report.findings) is rule


@pytest.mark.parametrize(
    ("folder", "lifecycle"), [("vectors", "persistent"), ("indexes", "ephemeral-safe")]
)
def test_a_folder_named_for_vectors_holds_a_vector_stores_embeddings(
    audit_files: Auditor, folder: str, lifecycle: str
) -> None:
    """A writable bind named for vectors keeps the embeddings of a vector store, data beside the
    application's database; a folder of no data name (``indexes``) is still read as before."""
    report = audit_files(**{"compose.yaml": UPLOADED_PICTURES.format(folder=folder)})
    app = next(c for c in report.components if c.name == "app")
    assert app.lifecycle == lifecycle, app.explanation


@pytest.mark.parametrize(
    ("variable", "lost"), [("QUX_IMAGE_FOLDER_USER", True), ("MEDIA_PATH_PREFIX", False)]
)
def test_an_upload_folder_named_by_whose_it_is_on_no_volume_is_lost(
    audit_files: Auditor, variable: str, lost: bool
) -> None:
    """The images users upload into a folder a variable names, on no volume, go with the
    container; a variable naming a URL's prefix names no folder at all."""
    text = (
        f"services:\n  api:\n    image: example/api:1\n    environment: [{variable}=/uploads-x]\n"
    )
    report = audit_files(**{"compose.yaml": text})
    assert ("APP_DATA_NO_VOLUME" in rules_of(report, "api")) is lost
