"""Compose ``extends``: a service's base merged under it, from its own file or another, as
compose-go does it (upstream's test files in ``tests/data/compose-go-extends``), secrets sealed
in the extending service, and hostile chains refused with one error each."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from stateward.api import observe
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.sources.composeextends import MAX_EXTENDED
from stateward.sources.yamldocs import MAX_EXPANDED

from .conftest import Observer

UPSTREAM = Path(__file__).parents[1] / "data" / "compose-go-extends" / "testdata"


def _service(obs: Observation, name: str) -> dict[str, Any]:
    """The service's body, without the ``environment`` map every service body has."""
    (body,) = [r.body for r in obs.resources if r.key.kind == "Service" and r.key.name == name]
    return {k: v for k, v in body.items() if k != "environment" or v}


def _upstream(tmp_path: Path, compose: str, keeper: SecretKeeper) -> Observation:
    """``compose`` (a test's inline file of compose-go) beside a copy of upstream's testdata."""
    root = tmp_path / "loader"
    shutil.copytree(UPSTREAM, root / "testdata")
    (root / "compose.yaml").write_text(compose)
    return observe([str(root / "compose.yaml")], estate="t", keeper=keeper)


def test_services_of_another_file_and_a_base_that_extends_in_turn(
    tmp_path: Path, keeper: SecretKeeper
) -> None:
    # compose-go TestExtends, TestExtendsPort, TestExtendsUlimits
    obs = _upstream(
        tmp_path,
        "name: test-extends\nservices:\n"
        "  test1: {extends: {file: testdata/extends/base.yaml, service: base}, hostname: test1}\n"
        "  test3: {extends: {file: testdata/extends/base.yaml, service: another}, hostname: t3}\n"
        "  port: {image: test, extends: {file: testdata/extends/base.yaml, service: with-port}}\n"
        "  lim: {extends: {file: testdata/extends/base.yaml, service: withUlimits}}\n",
        keeper,
    )
    assert obs.errors == []
    assert _service(obs, "test1") == {"image": "base", "hostname": "test1"}
    assert _service(obs, "test3") == {"image": "base", "hostname": "t3"}
    assert _service(obs, "port")["ports"] == ["8000:8000"]
    assert _service(obs, "port")["image"] == "test"
    assert _service(obs, "lim")["ulimits"]["nproc"] == 65535


def test_a_bases_relative_paths_are_its_own_files(tmp_path: Path, keeper: SecretKeeper) -> None:
    # compose-go TestExtendsRelativePath and TestLoadWithExtends: the build context and the
    # env_file of the base are relative to the base's file, not to the extending one.
    obs = _upstream(
        tmp_path,
        "services:\n"
        "  test: {extends: {file: testdata/extends/base.yaml, service: with-build}}\n"
        "  importer:\n"
        "    extends: {file: testdata/subdir/compose-test-extends-imported.yaml, "
        "service: imported}\n",
        keeper,
    )
    assert obs.errors == []
    # Relative to the extending file's directory, as its own paths are (compose-go makes both
    # absolute; an absolute path would make the record depend on where the checkout is).
    assert _service(obs, "test")["build"] == "./testdata/extends"
    importer = _service(obs, "importer")
    assert importer["image"] == "nginx"
    assert importer["container_name"] == "imported"
    assert importer["environment"] == {"SOURCE": "extends"}  # from subdir/extra.env
    assert importer["volumes"] == ["/opt/data:/var/lib/mysql"]


def test_a_base_in_a_subdirectory_reads_the_same_from_any_working_directory(
    tmp_path: Path, keeper: SecretKeeper, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "proj"
    (root / "common").mkdir(parents=True)
    (root / "compose.yml").write_text(
        "services:\n  app: {extends: {file: common/base.yml, service: app}}\n"
    )
    (root / "common" / "base.yml").write_text(
        "services:\n  app:\n    image: busybox\n    env_file: [.env]\n"
        "    volumes: [./appdata:/appdata]\n"
    )
    (root / "common" / ".env").write_text("MODE=prod\n")
    seen = []
    for cwd, path in ((root, "compose.yml"), (tmp_path, "proj/compose.yml")):
        monkeypatch.chdir(cwd)
        obs = observe([path], estate="t", keeper=keeper)
        assert obs.errors == [], cwd  # the base's env_file was read from common/.env
        seen.append(_service(obs, "app"))
    assert seen[0] == seen[1]
    assert seen[0]["environment"] == {"MODE": "prod"}
    assert seen[0]["volumes"] == ["./common/appdata:/appdata"]


def test_a_chain_through_a_subdirectory_and_an_empty_base(
    tmp_path: Path, keeper: SecretKeeper
) -> None:
    # upstream's testdata/extends/withdir; compose-go TestExtendsNil
    obs = observe([str(UPSTREAM / "extends" / "withdir" / "compose.yaml")], estate="t",
                  keeper=keeper)  # fmt: skip
    assert obs.errors == []
    assert _service(obs, "test") == {"image": "hello-world"}
    obs = _upstream(
        tmp_path,
        "services:\n  test: {image: test, extends: {file: testdata/extends/base.yaml, "
        "service: nil}}\n",
        keeper,
    )
    assert obs.errors == [] and _service(obs, "test") == {"image": "test"}


def test_the_specifications_merge_examples(observe_files: Observer) -> None:
    # Compose Specification, 05-services.md "Merging service definitions"
    obs = observe_files(
        {
            "app/compose.yaml": """\
services:
  common:
    image: busybox
    environment: [TZ=utc, PORT=80]
    volumes: ["common-volume:/var/lib/backup/data:rw"]
    security_opt: ["label:role:ROLE"]
  cli:
    extends: {service: common}
    environment: {PORT: 8080}
    volumes: ["cli-volume:/var/lib/backup/data:ro"]
    security_opt: ["label:user:USER"]
  base: {image: busybox, user: root}
  middle: {image: busybox, extends: {service: base}}
  top: {extends: middle}
""",
        }
    )
    assert [e.reason for e in obs.errors] == []
    cli = _service(obs, "cli")
    assert cli["environment"] == {"TZ": "utc", "PORT": "8080"}
    assert cli["volumes"] == ["cli-volume:/var/lib/backup/data:ro"]
    assert cli["security_opt"] == ["label:role:ROLE", "label:user:USER"]
    assert _service(obs, "top") == {"image": "busybox", "user": "root"}


def test_a_directory_scan_reads_a_file_of_bases_only_with_its_users(
    observe_files: Observer,
) -> None:
    # A file only extended from is a library of services; a compose.yaml extended from by a
    # compose.prod.yaml is still the project Compose takes by default.
    obs = observe_files(
        {
            "app/docker-compose.yml": (
                "services: {web: {extends: {file: lib/bases.yaml, service: web}}}\n"
            ),
            "app/lib/bases.yaml": "services: {web: {image: nginx}, db: {image: postgres}}\n",
            "site/compose.yaml": "services: {web: {image: httpd}}\n",
            "site/compose.prod.yaml": (
                "services: {web: {extends: {file: compose.yaml, service: web}, restart: always}}\n"
            ),
        }
    )
    assert obs.errors == []
    assert sorted(c.id for c in obs.components) == [
        "compose:app/web", "compose:site/web", "compose:site_compose-prod/web",
    ]  # fmt: skip


def test_a_secret_a_base_takes_is_sealed_in_the_extending_service(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    token = "tok-" + "Wq7z" * 4
    obs = observe_files(
        {
            "app/compose.yaml": (
                "services:\n  base: {image: b, command: [run, '${API_TOKEN}']}\n"
                "  job: {extends: base}\n"
                "  other: {extends: {file: lib/more.yaml, service: x}}\n"
            ),
            "app/.env": f"API_TOKEN={token}\n",
            "app/lib/more.yaml": "services: {x: {image: x, entrypoint: [go, '${API_TOKEN}']}}\n",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    assert _service(obs, "job")["command"] == ["run", keeper.digest(token)]
    assert _service(obs, "other")["entrypoint"] == ["go", keeper.digest(token)]
    for resource in obs.resources:
        assert token.encode() not in resource.canonical


def test_bad_extends_are_one_error_each_and_the_service_is_still_read(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": """\
services:
  loop-a: {image: a, extends: loop-b}
  loop-b: {image: b, extends: loop-a}
  missing: {image: m, extends: {service: nowhere}}
  no-file: {image: n, extends: {file: gone.yaml, service: x}}
  outside: {image: o, extends: {file: ../secret/compose.yaml, service: x}}
  nameless: {image: z, extends: {file: lib.yaml}}
""",
            "secret/compose.yaml": "services: {x: {image: x}}\n",
        },
        "app/compose.yaml",
    )
    reasons = sorted(e.reason.split(":")[0] for e in obs.errors)
    assert reasons == [
        "`extends` must name a `service`", "extends", "extends cycle", "extends cycle",
        "extends file ../secret/compose.yaml", "extends file gone.yaml",
    ], [e.diagnostics() for e in obs.errors]  # fmt: skip
    assert all(e.location.startswith(obs.sources[0]) for e in obs.errors)
    names = {"loop-a", "loop-b", "missing", "no-file", "outside", "nameless"}
    assert {c.id.split("/")[-1] for c in obs.components} == names
    assert _service(obs, "outside") == {"image": "o"}


def test_a_chain_longer_than_the_bound_is_refused(observe_files: Observer) -> None:
    chain = "".join(f"  s{i}: {{extends: s{i + 1}}}\n" for i in range(3 * MAX_EXTENDED))
    obs = observe_files(
        {"app/compose.yaml": f"services:\n{chain}  s{3 * MAX_EXTENDED}: {{image: end}}\n"}
    )
    assert obs.errors, "a chain of 192 bases was followed"
    assert all("a chain of more than" in e.reason for e in obs.errors)
    assert _service(obs, f"s{2 * MAX_EXTENDED + 1}") == {"image": "end"}


def test_one_large_base_extended_by_every_service_is_refused(observe_files: Observer) -> None:
    # Each extending service is a copy of its base: 12 copies of 250,000 values would be 3M.
    dns = ", ".join(["1.1.1.1"] * 250_000)
    users = "".join(f"  s{i}: {{extends: big}}\n" for i in range(12))
    obs = observe_files({"app/compose.yaml": f"services:\n  big: {{dns: [{dns}]}}\n{users}"})
    (error,) = obs.errors
    assert error.reason == f"extends expand to more than {MAX_EXPANDED} values; refused"
    assert len(_service(obs, "s0")["dns"]) == 250_000
    assert _service(obs, "s11") == {}
