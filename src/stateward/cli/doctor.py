"""``stateward doctor``: check the store, its keys, the engine, the cluster and the versions."""

from __future__ import annotations

import sys

import click

from stateward import api
from stateward.cli.common import EXIT_CHANGES, EXIT_CODES_HELP, output_options, store_option

__all__ = ["doctor"]


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
@output_options()
def doctor(store: str | None, engine: str, context: str, output: str) -> None:
    """Check this machine's setup: the store, its keys, the container engine, the cluster and the
    versions in use. One line per check (ok, warn or fail, and what to do): the store (reachable,
    schema, SQLite quick_check), its keys and their permissions, the container engine (as DOCKER_HOST or the Docker context name it; the API version negotiated), the
    cluster (kubeconfig's current context), Python and the libraries. Creates nothing. Exit 1
    when a check fails; a part that is absent and optional is only a warning."""
    from stateward.cli.console import emit
    from stateward.report.doctor import render_doctor
    from stateward.report.output import Report

    diagnosis = api.doctor(store, engine=engine, context=context)
    emit(output, Report(diagnosis.as_dict, render_doctor(diagnosis.checks)))
    if diagnosis.failed:
        sys.exit(EXIT_CHANGES)
