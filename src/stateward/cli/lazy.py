"""A command group that imports a command's module only when that command runs.

``stateward --help`` must answer in well under a second, and importing all twenty command modules
(with click's help of each) takes a good part of it. So the group keeps, per command, where it
lives and the first sentence of its help; ``--help`` prints those, and only running (or asking the
help of) a command imports it. ``tests/cli/test_entry.py`` checks the sentences against the real
commands.
Click's recipe for this: https://click.palletsprojects.com/en/stable/complex/#lazily-loading-subcommands
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click
from click.shell_completion import CompletionItem

__all__ = ["Lazy", "LazyGroup"]


@dataclass(frozen=True, slots=True)
class Lazy:
    """Where a command lives (``module:attribute``) and what ``--help`` lists for it: the first
    sentence of its help, or its own ``short_help`` when it sets one (``short=True``)."""

    target: str
    help: str
    short: bool = False

    def short_help(self, name: str, limit: int) -> str:
        """What click would list for the command, without importing it."""
        if self.short:
            return click.Command(name, short_help=self.help).get_short_help_str(limit)
        return click.Command(name, help=self.help).get_short_help_str(limit)


class LazyGroup(click.Group):
    """``lazy`` maps each command name to its :class:`Lazy` entry."""

    def __init__(self, *args: Any, lazy: Mapping[str, Lazy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            self.add_command(self._load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names from the stored sentences (click's own would import every command that
        matches, for its help), then the group's options."""
        names = [n for n in self.list_commands(ctx) if n.startswith(incomplete)]
        items = [CompletionItem(n, help=self._short_help(ctx, n, 45)) for n in names]
        return items + click.Command.shell_complete(self, ctx, incomplete)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's listing, from the stored sentences (commands added eagerly give their own)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(name, self._short_help(ctx, name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, ctx: click.Context, name: str, limit: int) -> str:
        if name in self.commands or name not in self.lazy:
            command = super().get_command(ctx, name)
            return command.get_short_help_str(limit) if command else ""
        return self.lazy[name].short_help(name, limit)

    def _load(self, name: str) -> click.Command:
        module, _, attribute = self.lazy[name].target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), f"bad table: {module}:{attribute}"
        return command
