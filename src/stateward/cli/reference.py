"""The CLI reference (docs/cli.md), rendered from the commands' own ``--help``.

``make docs`` writes it; a test fails when the file and the commands disagree, so the reference
can never go stale (the cog practice of sqlite-utils and datasette).
"""

from __future__ import annotations

import click

__all__ = ["render"]

WIDTH = 100


def render(group: click.Group, name: str = "stateward") -> str:
    """Markdown: one section per command, its help text in a code block."""
    lines = ["# Command reference", "", f"Generated from `{name} --help` by `make docs`.", ""]
    for path, ctx in _walk(group, [name], None):
        lines += [
            f"## `{' '.join(path)}`",
            "",
            "```",
            ctx.command.get_help(ctx).rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def _walk(
    command: click.Command, path: list[str], parent: click.Context | None
) -> list[tuple[list[str], click.Context]]:
    """Every command with the context click would give it (settings inherited from parents)."""
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **command.context_settings,
    )
    found = [(path, ctx)]
    if isinstance(command, click.Group):
        for sub in sorted(command.list_commands(ctx)):
            loaded = command.get_command(ctx, sub)
            assert loaded is not None, f"bad math: {sub} listed but not found"
            found += _walk(loaded, [*path, sub], ctx)
    return found
