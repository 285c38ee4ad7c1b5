"""docs/cli.md is the commands' own help; every command has help text and exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from stateward.cli import main
from stateward.cli.reference import _walk, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(main), (
        "run `make docs` to regenerate docs/cli.md"
    )


def test_every_command_has_help_text() -> None:
    for path, ctx in _walk(main, ["stateward"], None):
        assert ctx.command.help and ctx.command.help.strip(), f"{' '.join(path)} has no help text"


def test_every_leaf_command_documents_its_exit_codes() -> None:
    for path, ctx in _walk(main, ["stateward"], None):
        if not isinstance(ctx.command, click.Group):
            assert ctx.command.epilog and "Exit codes" in ctx.command.epilog, " ".join(path)


def test_every_leaf_command_offers_json() -> None:
    for path, ctx in _walk(main, ["stateward"], None):
        if path == ["stateward", "serve"]:  # it answers over HTTP (JSON there), printing no result
            continue
        if not isinstance(ctx.command, click.Group):
            names = {opt for p in ctx.command.params for opt in getattr(p, "opts", [])}
            assert "--json" in names, " ".join(path)
