"""``stateward doctor``: check the store, its keys, the engine, the cluster and the versions."""

from __future__ import annotations

import sys

import click

from stateward import api
from stateward.cli.common import EXIT_CHANGES, EXIT_CODES_HELP, json_option, store_option
from stateward.cli.console import emit_json, err
from stateward.report.doctor import doctor_lines, doctor_summary

__all__ = ["doctor"]

_COLOURS = {"ok": "green", "warn": "yellow", "fail": "red"}


@click.command(epilog=EXIT_CODES_HELP)
@store_option
@click.option(
    "--engine",
    default="engine://",
    metavar="LOCATION",
    show_default=True,
    help="Container engine to check (engine://, engine:///path.sock, unix:///path.sock).",
)
@click.option(
    "--context",
    default="",
    metavar="NAME",
    help="kubeconfig context to check. Default: the current context.",
)
@json_option
def doctor(store: str | None, engine: str, context: str, as_json: bool) -> None:
    """Check this machine's setup: the store, its keys, the container engine, the cluster and the
    versions in use. One line per check (ok, warn or fail, and what to do): the store (reachable,
    schema, SQLite quick_check), its keys and their permissions, the container engine (as DOCKER_HOST or the Docker context name it; the API version negotiated), the
    cluster (kubeconfig's current context), Python and the libraries. Creates nothing. Exit 1
    when a check fails; a part that is absent and optional is only a warning."""
    diagnosis = api.doctor(store, engine=engine, context=context)
    if as_json:
        emit_json(diagnosis.as_dict())
    else:
        for status, line in doctor_lines(diagnosis.checks):
            click.echo(click.style(line, fg=_COLOURS[status]))  # plain when piped (click.echo)
    err.print(doctor_summary(diagnosis.checks))
    if diagnosis.failed:
        sys.exit(EXIT_CHANGES)
