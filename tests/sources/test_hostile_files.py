"""Hostile files never crash, hang or flood a scan: each is one error, the rest is read."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stateward.api import observe
from stateward.model.secrets import SecretKeeper
from stateward.sources.yamldocs import MAX_ALIASED_BYTES

from .conftest import Observer

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {a: b}\n"
SERVICE = "services:\n  web:\n    image: nginx\n"


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A scan that blocks (a FIFO opened for reading) fails the test instead of hanging it."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the scan hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_list_whose_items_are_a_number(observe_files: Observer) -> None:
    obs = observe_files({"good.yaml": GOOD, "l.yaml": "apiVersion: v1\nkind: List\nitems: 5\n"})
    assert [r.key.name for r in obs.resources] == ["good"]
    assert [(e.location.rsplit("/", 1)[1], e.reason) for e in obs.errors] == [
        ("l.yaml:3", "List items must be a list")
    ]


def test_an_integer_of_4301_digits_is_a_string_as_in_go_yaml(observe_files: Observer) -> None:
    digits = "9" * 4301
    obs = observe_files({"big.yaml": GOOD.replace("{a: b}", "{a: b}\nbig: " + digits)})
    assert obs.errors == []
    assert obs.resources[0].body["big"] == digits


@pytest.mark.parametrize(
    ("section", "reason"),
    [("volumes: [1]", "`volumes` must be a map of names"), ('configs: "abc"', "`configs` must be a map of names"),
     ("secrets: {s: 5}", "secrets.s must be a map")],
)  # fmt: skip
def test_a_compose_section_of_the_wrong_shape(
    observe_files: Observer, section: str, reason: str
) -> None:
    obs = observe_files({"p/compose.yaml": SERVICE + section + "\n", "good.yaml": GOOD})
    assert obs.component("compose:p/web") is not None
    assert [r.key.name for r in obs.resources if r.key.kind == "ConfigMap"] == ["good"]
    (error,) = obs.errors
    assert error.location.endswith("compose.yaml:4") and error.reason == reason


def test_an_alias_bomb_of_big_strings_is_refused_by_bytes(observe_files: Observer) -> None:
    big = "x" * (1 << 20)
    text = f"a: &a {big}\nb: [{', '.join(['*a'] * 40)}]\n"
    obs = observe_files({"bomb.yaml": text, "good.yaml": GOOD})
    assert [r.key.name for r in obs.resources] == ["good"]
    (error,) = obs.errors
    limit = (len(text) + MAX_ALIASED_BYTES) >> 20
    assert error.reason == f"aliases expand to more than {limit} MiB of text"


def test_interpolating_a_big_value_many_times_is_refused(observe_files: Observer) -> None:
    lines = [SERVICE.rstrip(), "    labels:"] + [f"      l{i}: ${{BIG}}" for i in range(40)]
    obs = observe_files(
        {"p/.env": "BIG=" + "x" * (1 << 20) + "\n", "p/compose.yaml": "\n".join(lines)}
    )
    assert obs.resources == []
    (error,) = obs.errors
    assert error.location.endswith("compose.yaml:1")
    assert "variables would add more than 16 MiB to the file; refused" in error.reason


def test_nested_defaults_interpolate_as_compose_does(observe_files: Observer) -> None:
    compose = SERVICE + "    environment:\n      X: ${A:-${B:-x}}\n      Y: ${A-${C}}/${B:+set}\n"
    obs = observe_files({"p/compose.yaml": compose, "p/.env": "C=c\n"})
    assert obs.errors == []
    env = obs.resources[0].body["environment"]
    assert env == {"X": "x", "Y": "c/"}
    obs = observe_files({"p/compose.yaml": compose, "p/.env": "B=b\nC=c\n"})
    assert obs.resources[0].body["environment"] == {"X": "b", "Y": "c/set"}


def test_a_symlink_to_dev_zero_and_a_fifo_are_skipped(tmp_path: Path, keeper: SecretKeeper) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "good.yaml").write_text(GOOD)
    obs = observe([str(tmp_path)], estate="t", keeper=keeper)
    assert [r.key.name for r in obs.resources] == ["good"]
    assert sorted((Path(e.location).name, e.reason) for e in obs.errors) == [
        ("pipe.yaml", "not a regular file (a FIFO); skipped"),
        ("zero.yaml", "not a regular file (a character device); skipped"),
    ]
    assert obs.complete is False  # what they hold was not seen


@pytest.mark.parametrize(
    "compose",
    [SERVICE + "    env_file: zero.env\n", SERVICE + "secrets:\n  s: {file: zero.env}\n"],
)
def test_side_files_pointing_at_dev_zero_are_refused(
    tmp_path: Path, keeper: SecretKeeper, compose: str
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "compose.yaml").write_text(compose)
    (tmp_path / "p" / "zero.env").symlink_to("/dev/zero")
    # Outside the project, so refused first; allowed, it must still not be read endlessly.
    (refused,) = observe([str(tmp_path / "p")], estate="t", keeper=keeper).errors
    assert "zero.env: outside the project directory; refused" in refused.reason
    obs = observe([str(tmp_path / "p")], estate="t", keeper=keeper, allow_outside=(Path("/dev"),))
    assert obs.component("compose:p/web") is not None
    (error,) = obs.errors
    assert "zero.env: not a regular file (a character device); skipped" in error.reason


def test_side_files_outside_the_project_need_an_explicit_allowance(
    tmp_path: Path, keeper: SecretKeeper
) -> None:
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "shadow").write_text("ROOT_HASH=abc\n")
    project = tmp_path / "p"
    project.mkdir()
    (project / "compose.yaml").write_text(SERVICE + f"    env_file: {outside / 'shadow'}\n")
    (project / "link.env").symlink_to(outside / "shadow")
    (project / "compose.yml").write_text(
        SERVICE.replace("web", "other") + "    env_file: link.env\n"
    )
    obs = observe([str(project)], estate="t", keeper=keeper)
    assert len(obs.errors) == 2
    assert all("outside the project directory; refused" in e.reason for e in obs.errors)
    allowed = observe([str(project)], estate="t", keeper=keeper, allow_outside=(outside,))
    assert allowed.errors == []
    assert [r.body["environment"] for r in allowed.resources] == [{"ROOT_HASH": "abc"}] * 2


@pytest.mark.parametrize(
    ("required", "errors"), [('"no"', 0), ("off", 0), ("false", 0), ('"yes"', 1), ('"maybe"', 2)]
)
def test_env_file_required_is_read_as_compose_go_reads_a_boolean(
    observe_files: Observer, required: str, errors: int
) -> None:
    compose = SERVICE + f"    env_file: [{{path: missing.env, required: {required}}}]\n"
    obs = observe_files({"p/compose.yaml": compose})
    assert len(obs.errors) == errors


def test_a_nul_is_reported_on_its_line(observe_files: Observer) -> None:
    obs = observe_files({"n.yaml": 'a: 1\nb: 2\nc: 3\nd: "x\x00"\n', "good.yaml": GOOD})
    (error,) = obs.errors
    assert error.location.endswith("n.yaml:4")


def test_no_canonical_json_form_names_the_line(observe_files: Observer) -> None:
    obs = observe_files(
        {"nan.yaml": GOOD + "spec:\n  ratio: .nan\n", "good.yaml": GOOD.replace("good", "g2")}
    )
    assert [r.key.name for r in obs.resources] == ["g2"]
    (error,) = obs.errors
    assert error.location.endswith("nan.yaml:6") and "no canonical JSON form" in error.reason


@pytest.mark.parametrize(
    "text", ["!!set List\n", "!!float {name: x}\n", "a: !!omap [x]\n", "!!map [1]\n"]
)
def test_explicit_tags_on_the_wrong_node_are_one_error(observe_files: Observer, text: str) -> None:
    obs = observe_files({"t.yaml": text, "good.yaml": GOOD})
    assert [r.key.name for r in obs.resources] == ["good"]
    (error,) = obs.errors
    assert error.location.endswith("t.yaml:1") and error.reason.startswith("invalid YAML")


def test_binary_is_a_string_as_go_yaml_decodes_it(observe_files: Observer) -> None:
    obs = observe_files({"b.yaml": GOOD + "blob: !!binary aGVsbG8=\n"})
    assert obs.errors == [] and obs.resources[0].body["blob"] == "hello"


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Root reads any folder: act as ``nobody`` meanwhile (the saved uid lets root come back)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_an_unreadable_folder_is_an_error_and_a_partial_read(keeper: SecretKeeper) -> None:
    # A world-readable temporary tree: pytest's own is private to root.
    with tempfile.TemporaryDirectory() as top:
        root = Path(top)
        root.chmod(0o755)
        (root / "good.yaml").write_text(GOOD)
        (root / "locked").mkdir(mode=0o000)
        with unprivileged():
            obs = observe([str(root)], estate="t", keeper=keeper)
    assert [r.key.name for r in obs.resources] == ["good"]
    assert obs.complete is False
    assert [(e.location, e.reason) for e in obs.errors] == [
        (f"{root}/locked", "cannot read directory: Permission denied")
    ]


@pytest.mark.parametrize("field", ["data: true", "data: 5", "data: [S]", "stringData: S"])
def test_malformed_data_maps_do_not_stop_the_read(observe_files: Observer, field: str) -> None:
    text = f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\n{field}\n"
    obs = observe_files({"s.yaml": text, "good.yaml": GOOD})
    assert sorted(r.key.name for r in obs.resources) == ["good", "s"]
