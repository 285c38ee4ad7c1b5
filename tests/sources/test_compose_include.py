"""Compose ``include``: included files join the including project, with their own project
directory and variables, are read once by a directory scan, and hostile includes are errors."""

from __future__ import annotations

from pathlib import Path

from stateward.api import observe
from stateward.model.secrets import SecretKeeper
from stateward.sources.composefiles import MAX_INCLUDED, MAX_PROJECT_BYTES

from .conftest import Observer


def _ids(obs: object) -> list[str]:
    return sorted(c.id for c in obs.components)  # type: ignore[attr-defined]


def test_short_syntax_includes_services_into_the_project(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "include: [services/redis.yaml]\nservices: {web: {image: w}}\n",
            "app/services/redis.yaml": "services: {redis: {image: redis:7}}\nvolumes: {rdata: {}}\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/redis", "compose:app/web"]
    volume = next(r for r in obs.resources if r.key.kind == "Volume")
    assert (volume.key.namespace, volume.key.name) == ("app", "rdata")
    assert "app/services/redis.yaml:" in volume.origin.location


def test_paths_in_an_included_file_are_relative_to_its_directory(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "include: [sub/compose.yaml]\nservices: {web: {image: w}}\n",
            "app/sub/compose.yaml": (
                "services:\n  cache:\n    image: c\n    env_file: cache.env\n"
                "    secrets: [key]\nsecrets:\n  key: {file: ./key.txt}\n"
            ),
            "app/sub/cache.env": "MODE=sub\n",
            "app/sub/key.txt": "included-secret-canary",
            "app/cache.env": "MODE=root\n",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    cache = obs.component("compose:app/cache")
    assert cache is not None and cache.context["env"] == {"MODE": "sub"}
    secret = next(r for r in obs.resources if r.key.kind == "Secret")
    assert secret.body["content"] == keeper.digest(b"included-secret-canary")
    for resource in obs.resources:
        assert b"included-secret-canary" not in resource.canonical


def test_long_syntax_project_directory_env_file_and_overrides(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    token = "tok-" + "Zq9x" * 3
    root = """\
include:
  - path: [lib/compose.yaml, lib/override.yaml]
    project_directory: lib/files
    env_file: [lib/vars.env]
services: {web: {image: w}}
"""
    obs = observe_files(
        {
            "app/compose.yaml": root,
            "app/.env": "TAG=from-root\n",
            "app/lib/compose.yaml": (
                "services:\n  job:\n    image: j:${TAG}\n    command: [run, '${API_TOKEN}']\n"
                "    env_file: job.env\n    labels: {a: '1', b: '2'}\n"
            ),
            "app/lib/override.yaml": "services: {job: {labels: {b: over}}}\n",
            "app/lib/vars.env": f"TAG=from-include\nAPI_TOKEN={token}\n",
            "app/lib/files/job.env": "WHERE=project_directory\n",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    job = next(r.body for r in obs.resources if r.key.name == "job")
    # The including project's variables override the included file's own (the spec, and
    # compose-go's Mapping.Merge).
    assert job["image"] == "j:from-root"
    assert job["environment"] == {"WHERE": "project_directory"}
    assert job["labels"] == {"a": "1", "b": "over"}
    assert job["command"] == ["run", keeper.digest(token)]
    for resource in obs.resources:
        assert token.encode() not in resource.canonical


def test_an_included_files_own_env_gives_its_defaults(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "include: [db/compose.yaml]\nservices: {web: {image: w}}\n",
            "app/db/compose.yaml": "services: {db: {image: 'postgres:${PG}'}}\n",
            "app/db/.env": "PG=16\n",
        }
    )
    assert obs.errors == []
    db = next(r.body for r in obs.resources if r.key.name == "db")
    assert db["image"] == "postgres:16"


def test_nested_includes_and_a_directory_scan_reads_each_file_once(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "include: [a/compose.yaml]\nservices: {web: {image: w}}\n",
            "app/a/compose.yaml": "include: [../b/docker-compose.yml]\nservices: {a: {image: a}}\n",
            "app/b/docker-compose.yml": "services: {b: {image: b}}\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/a", "compose:app/b", "compose:app/web"]


def test_paths_named_one_by_one_are_read_as_one_folder_is(observe_files: Observer) -> None:
    # `stateward scan compose.yaml services/` or a shell's `*`: an included file named on the
    # command line too is not a project of its own (services_redis/redis, an edge across
    # projects), and a file named twice is read once, not a duplicate of itself.
    files = {
        "app/compose.yaml": "include: [services/redis.yaml]\nservices: {web: {image: w}}\n",
        "app/services/redis.yaml": "services: {redis: {image: redis:7}}\n",
        "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n",
    }
    named = ("app/services", "app/compose.yaml", "app/cm.yaml", "app/services/redis.yaml")
    obs = observe_files(files, *named, "app/cm.yaml")
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/redis", "compose:app/web"]
    assert [r.key.name for r in obs.resources if r.key.kind == "ConfigMap"] == ["c"]


def test_a_file_of_includes_only_is_a_project(observe_files: Observer) -> None:
    # compose-go TestIncludeWithExtends loads a root file with no services of its own.
    obs = observe_files(
        {
            "app/compose.yaml": "name: shop\ninclude: [parts/db.yaml]\n",
            "app/parts/db.yaml": "services: {db: {image: postgres:16}}\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:shop/db"]


def test_a_missing_path_among_others_is_unread_and_the_rest_read(
    observe_files: Observer,
) -> None:
    files = {"app/compose.yaml": "services: {web: {image: w}}\n"}
    obs = observe_files(files, "app/compose.yaml", "app/gone.yaml")
    assert _ids(obs) == ["compose:app/web"]
    assert [u.rsplit("/", 1)[-1] for u in obs.unread] == ["gone.yaml"]
    assert not obs.complete
    (error,) = obs.errors
    assert error.reason == "no such file or directory"


def test_a_service_defined_again_merges_over_the_included_one(observe_files: Observer) -> None:
    """compose-go 3d3411d: the including file's definition is merged over the included one
    (maps by key, volumes by target, environment by name, command replaced); identical ones
    stay one, and a name only one file defines is read from it."""
    obs = observe_files(
        {
            "app/compose.yaml": (
                "include: [svc/more.yaml]\nservices:\n"
                "  web:\n    command: [serve, --fast]\n    environment: [TZ=UTC]\n"
                "    volumes: [data:/srv, ./conf/web.ini:/etc/web.ini:ro]\n"
                "  same: {image: s}\nvolumes: {data: {}}\n"
            ),
            "app/svc/more.yaml": (
                "services:\n  web:\n    image: theirs\n    command: [serve]\n"
                "    environment: {TZ: Europe/Berlin, MODE: prod}\n"
                "    volumes: [scratch:/srv, ./web.conf:/etc/web.conf]\n"
                "  same: {image: s}\n  extra: {image: e}\n"
            ),
            "app/conf/web.ini": "[web]\n",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/extra", "compose:app/same", "compose:app/web"]
    web = next(r for r in obs.resources if r.key.name == "web")
    assert web.body["image"] == "theirs"
    assert web.body["command"] == ["serve", "--fast"]
    assert web.body["environment"] == {"TZ": "UTC", "MODE": "prod"}
    volumes = web.body["volumes"]
    assert volumes[0] == "./web.conf:/etc/web.conf"  # the included file's, from its directory
    assert volumes[1] == "data:/srv"  # replaces scratch at the same target
    # The including file's relative bind still names its own file, from the directory of the
    # included file the merged definition is read as part of.
    assert volumes[2] == "../conf/web.ini:/etc/web.ini:ro"
    assert len(volumes) == 3
    assert "svc/more.yaml:" in web.origin.location


def test_a_secret_the_including_file_adds_is_sealed(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": (
                "include: [db.yaml]\nservices:\n  db:\n"
                "    command: [postgres, -c, 'primary_conninfo=password=${REPL_PASSWORD}']\n"
            ),
            "app/.env": "REPL_PASSWORD=merged-secret-canary\n",
            "app/db.yaml": "services:\n  db: {image: postgres:16}\n",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    for resource in obs.resources:
        assert b"merged-secret-canary" not in resource.canonical


def test_an_include_cycle_is_one_error(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "include: [b.yaml]\nservices: {a: {image: a}}\n",
            "app/b.yaml": "include: [compose.yaml]\nservices: {b: {image: b}}\n",
        }
    )
    (error,) = obs.errors
    assert "include cycle" in error.reason and error.location.endswith("b.yaml:1")
    assert _ids(obs) == ["compose:app/a", "compose:app/b"]


def test_missing_remote_and_malformed_includes_are_errors_naming_them(
    observe_files: Observer,
) -> None:
    root = """\
include:
  - missing.yaml
  - oci://registry/app:1
  - {project_directory: x}
  - bad.yaml
services: {web: {image: w}}
"""
    obs = observe_files(
        {"app/compose.yaml": root, "app/bad.yaml": "[not, a, map]\n"}, "app/compose.yaml"
    )
    reasons = sorted(e.reason for e in obs.errors)
    assert reasons == [
        "include entry {'project_directory': 'x'}: needs a `path`",
        "include missing.yaml: file not found",
        "include oci://registry/app:1: remote; not fetched",
        "not a Compose file: no `services` map",
    ]
    assert [e.location for e in obs.errors if "services" in e.reason][0].endswith("bad.yaml:1")
    assert _ids(obs) == ["compose:app/web"]


def test_an_include_outside_the_project_needs_an_allowance(
    tmp_path: Path, keeper: SecretKeeper
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "compose.yaml").write_text("services: {s: {image: s, env_file: s.env}}\n")
    (shared / "s.env").write_text("K=v\n")
    project = tmp_path / "app"
    project.mkdir()
    (project / "web.yaml").write_text("services: {w2: {image: w}}\n")
    (project / "compose.yaml").write_text(
        "include:\n  - ../shared/compose.yaml\n  - {path: web.yaml, project_directory: /}\n"
        "services: {web: {image: w}}\n"
    )
    refused = observe([str(project / "compose.yaml")], estate="t", keeper=keeper)
    assert [e.reason for e in refused.errors] == [
        "include ../shared/compose.yaml: outside the project directory; refused "
        "(allow its directory with --allow-outside DIR)",
        "include web.yaml: project_directory outside the project; refused",
    ]
    assert [c.id for c in refused.components] == ["compose:app/web"]
    allowed = observe(
        [str(project / "compose.yaml")], estate="t", keeper=keeper, allow_outside=(shared,)
    )
    assert len(allowed.errors) == 1
    s = next(r.body for r in allowed.resources if r.key.name == "s")
    assert s["environment"] == {"K": "v"}


def test_a_huge_fan_out_is_one_error(observe_files: Observer) -> None:
    many = MAX_INCLUDED + 10
    root = "include: [" + ", ".join(["one.yaml"] * many) + "]\nservices: {web: {image: w}}\n"
    obs = observe_files({"app/compose.yaml": root, "app/one.yaml": "services: {o: {image: o}}\n"})
    (error,) = obs.errors
    assert f"more than {MAX_INCLUDED} files or 64 MiB included" in error.reason
    assert _ids(obs) == ["compose:app/o", "compose:app/web"]


def test_worker_processes_report_what_they_included(observe_files: Observer) -> None:
    # PARALLEL_FROM files or more are read by worker processes: what a file included must
    # travel back with its resources for the scan to skip it.
    others = {f"other{i}/compose.yaml": f"services: {{s{i}: {{image: x}}}}\n" for i in range(20)}
    obs = observe_files(
        {
            **others,
            "app/compose.yaml": "include: [parts/db.yaml]\nservices: {web: {image: w}}\n",
            "app/parts/db.yaml": "services: {db: {image: postgres}}\n",
        }
    )
    assert obs.errors == []
    app = sorted(c.id for c in obs.components if c.id.startswith("compose:app"))
    assert app == ["compose:app/db", "compose:app/web"]
    assert len(obs.components) == 22


def test_a_nul_in_an_include_or_env_file_name_is_one_error(observe_files: Observer) -> None:
    # YAML spells a NUL as "\0"; the OS refuses such a path with ValueError, not OSError.
    root = (
        'include: ["a\\0b", {path: ok.yaml, project_directory: "d\\0"}, ok.yaml]\n'
        'services: {web: {image: w, env_file: "x\\0y"}}\n'
    )
    obs = observe_files(
        {"app/compose.yaml": root, "app/ok.yaml": "services: {ok: {image: o}}\n"},
        "app/compose.yaml",
    )
    reasons = sorted(e.reason for e in obs.errors)
    assert reasons == [
        "env_file x\0y: a NUL in the file name; refused",
        "include entry: a NUL in a path; refused",
        "include entry: a NUL in a path; refused",
    ]
    assert _ids(obs) == ["compose:app/ok", "compose:app/web"]


def test_a_big_file_included_many_times_is_one_error(observe_files: Observer) -> None:
    big = "services: {big: {image: b}}\n# " + "x" * (MAX_PROJECT_BYTES // 5) + "\n"
    root = "include: [" + ", ".join(["big.yaml"] * 10) + "]\nservices: {web: {image: w}}\n"
    obs = observe_files({"app/compose.yaml": root, "app/big.yaml": big}, "app/compose.yaml")
    (error,) = obs.errors
    assert "MiB included; the rest not read" in error.reason
    assert _ids(obs) == ["compose:app/big", "compose:app/web"]
