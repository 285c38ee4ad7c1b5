"""docs/cli.md is the commands' own help; every command has help text and exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from stateward.cli import main
from stateward.cli.reference import _walk, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(main), "run `make docs` to regenerate docs/cli.md"


def test_every_command_has_help_text() -> None:
    for path, command in _walk(main, ["stateward"]):
        assert command.help and command.help.strip(), f"{' '.join(path)} has no help text"


def test_every_leaf_command_documents_its_exit_codes() -> None:
    for path, command in _walk(main, ["stateward"]):
        if not isinstance(command, click.Group):
            assert command.epilog and "Exit codes" in command.epilog, " ".join(path)
