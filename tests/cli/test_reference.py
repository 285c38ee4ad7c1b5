"""docs/cli.md is the commands' own help; every command has help text and exit codes."""

from __future__ import annotations

import re
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


def test_the_tests_run_commands_through_main() -> None:
    # click caches a command's help option the first time it is made (click >= 8.1.8), from the
    # context it runs in: a command invoked on its own gets ``--help`` alone, not main's
    # ``-h, --help``, and keeps it for every later test in the process (this reference among
    # them). So every test runs a command as a user does, through ``main``.
    tests = Path(__file__).resolve().parents[1]
    lone = [
        f"{path.relative_to(tests)}:{text.count(chr(10), 0, found.start()) + 1}"
        for path in sorted(tests.rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for found in re.finditer(r"\.invoke\(\s*(\w+)", text)
        if found.group(1) != "main"
    ]
    assert lone == []
