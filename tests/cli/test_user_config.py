"""Defaults from ``$XDG_CONFIG_HOME/stateward/config.yaml``: below the flags and the environment,
above the built-in defaults; a bad file is one clear input error (exit 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stateward.cli import main

MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config home of this test's own, with no store or key variables set, and a manifest."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("STATEWARD_STORE", raising=False)
    monkeypatch.delenv("STATEWARD_KEY_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(MANIFEST)
    (tmp_path / "config" / "stateward").mkdir(parents=True)
    return tmp_path


def _write(home: Path, text: str) -> Path:
    path = home / "config" / "stateward" / "config.yaml"
    path.write_text(text)
    return path


def test_store_and_key_file_come_from_the_config_file(home: Path) -> None:
    _write(home, f"store: stores/main\nkey_file: {home}/keys/secret.key\n")
    ran = CliRunner().invoke(main, ["scan", "m.yaml", "--estate", "e"])
    assert ran.exit_code == 0, ran.output
    assert (home / "config" / "stateward" / "stores" / "main").exists()  # relative to the file
    assert not (home / ".stateward").exists()
    assert (home / "keys" / "secret.key").is_file()
    listed = CliRunner().invoke(main, ["estates", "--json"])
    assert listed.exit_code == 0 and '"e"' in listed.output


def test_the_environment_and_the_flag_come_first(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(home, "store: stores/main\n")
    monkeypatch.setenv("STATEWARD_STORE", str(home / "from-env"))
    assert CliRunner().invoke(main, ["scan", "m.yaml", "--estate", "e"]).exit_code == 0
    assert (home / "from-env").exists() and not (home / "config" / "stateward" / "stores").exists()
    ran = CliRunner().invoke(
        main, ["scan", "m.yaml", "--estate", "e", "--store", str(home / "flag")]
    )
    assert ran.exit_code == 0 and (home / "flag").exists()


def test_no_config_file_keeps_the_built_in_default(home: Path) -> None:
    assert CliRunner().invoke(main, ["scan", "m.yaml", "--estate", "e"]).exit_code == 0
    assert (home / ".stateward").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stor: x\n", r"config\.yaml: stor: unknown setting\. Known settings: store, key_file\."),
        ("store: [a]\n", r"config\.yaml: store: must be a non-empty string"),
        ("- store\n", r"config\.yaml: not a mapping of settings"),
        ("store: a\n  b: c\n", r"config\.yaml:2: not valid YAML"),
    ],
)
def test_a_bad_config_file_is_one_input_error(home: Path, text: str, message: str) -> None:
    _write(home, text)
    ran = CliRunner().invoke(main, ["estates"])
    assert ran.exit_code == 2, ran.output
    assert len(ran.output.strip().splitlines()) == 1
    assert re.search(message, ran.output), ran.output
