"""Bad input never loses good input: one clear error per rejected thing, the rest processed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.api import observe
from stateward.model.secrets import SecretKeeper
from stateward.sources.files import MAX_FILE_BYTES

from .conftest import Observer

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {a: b}\n"


@pytest.mark.parametrize(
    ("content", "location_suffix", "reason"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n", "bad.yaml:4", "invalid YAML"),
        ("- just\n- a list\n", "bad.yaml:1", "document is a list, not a Kubernetes object"),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {}}\n",
            "bad.yaml:1",
            "ConfigMap without metadata.name",
        ),
        ("kind: ConfigMap\nmetadata: {name: x}\n", "bad.yaml:1", "missing apiVersion"),
        ("", "bad.yaml", "empty file"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff",
            "bad.yaml",
            "not UTF-8 text (byte 0x89 at offset 0)",
        ),
        (b"data: caf\xe9\n", "bad.yaml", "not UTF-8 text (byte 0xe9 at offset 9)"),
        ("a: &a [*a]\n", "bad.yaml:1", "cyclic alias"),
        ("x: " + "[" * 150 + "]" * 150 + "\n", "bad.yaml:1", "nesting deeper than"),
    ],
)
def test_each_bad_file_is_one_error_and_good_files_still_load(
    observe_files: Observer, content: str | bytes, location_suffix: str, reason: str
) -> None:
    obs = observe_files({"good.yaml": GOOD, "bad.yaml": content})
    assert [str(r.key) for r in obs.resources] == ["ConfigMap/default/good"]
    (error,) = obs.errors
    assert error.location.endswith(location_suffix)
    assert reason in error.reason
    assert "\n" not in error.diagnostics()


def test_bad_document_does_not_lose_its_neighbours(observe_files: Observer) -> None:
    text = GOOD + "---\nkey: [unclosed\n---\n" + GOOD.replace("good", "after")
    obs = observe_files({"multi.yaml": text})
    assert sorted(r.key.name for r in obs.resources) == ["after", "good"]
    (error,) = obs.errors
    assert error.location.endswith("multi.yaml:7")  # where the parser found the problem


def test_alias_bomb_is_refused(observe_files: Observer) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    obs = observe_files({"good.yaml": GOOD, "bomb.yaml": "\n".join(lines) + "\n"})
    assert [e.reason for e in obs.errors] == ["aliases expand to more than 2000000 values"]


def test_duplicate_objects_keep_the_first_and_name_both(observe_files: Observer) -> None:
    obs = observe_files({"a.yaml": GOOD, "b.yaml": GOOD.replace("{a: b}", "{a: c}")})
    assert obs.resources[0].body["data"] == {"a": "b"}
    (error,) = obs.errors
    assert "duplicate object ConfigMap/default/good" in error.reason
    assert error.location.endswith("b.yaml:1") and "a.yaml:1" in error.reason


def test_duplicate_keys_are_reported_with_their_line(observe_files: Observer) -> None:
    obs = observe_files({"d.yaml": GOOD + "data: {x: y}\n"})
    assert [(e.location.rsplit(":", 1)[1], e.reason) for e in obs.errors] == [
        ("5", "duplicate key 'data'")
    ]


def test_a_file_over_the_size_limit_is_refused_without_reading_it(
    tmp_path: Path, keeper: SecretKeeper
) -> None:
    big = tmp_path / "huge.yaml"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(100 * 1000 * 1000)
    (tmp_path / "good.yaml").write_text(GOOD)
    obs = observe([str(tmp_path)], estate="t", keeper=keeper)
    assert [r.key.name for r in obs.resources] == ["good"]
    (error,) = obs.errors
    assert error.reason == f"file is 100.0 MB, over the {MAX_FILE_BYTES >> 20} MiB limit"


def test_a_directory_of_ten_thousand_files(tmp_path: Path, keeper: SecretKeeper) -> None:
    for i in range(10_000):
        (tmp_path / f"cm-{i:05}.yaml").write_text(GOOD.replace("good", f"cm-{i}"))
    ticks: list[tuple[int, int | None]] = []
    obs = observe(
        [str(tmp_path)], estate="t", keeper=keeper, progress=lambda d, t: ticks.append((d, t))
    )
    assert len(obs.resources) == 10_000 and obs.errors == []
    assert ticks[-1] == (10_000, 10_000)


def test_missing_path_is_an_error_not_a_crash(keeper: SecretKeeper, tmp_path: Path) -> None:
    obs = observe([str(tmp_path / "nope")], estate="t", keeper=keeper)
    assert [e.reason for e in obs.errors] == ["no such file or directory"]


def test_unreadable_file_is_an_error(tmp_path: Path, keeper: SecretKeeper) -> None:
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "good.yaml").write_text(GOOD)
    obs = observe([str(tmp_path)], estate="t", keeper=keeper)
    assert [r.key.name for r in obs.resources] == ["good"]
    assert [e.reason for e in obs.errors] == ["cannot read: No such file or directory"]
