"""``stateward scan``: observe sources into an estate and report what changed since last time."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CHANGES,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    kube_options,
    output_options,
    reports_errors,
    store_option,
)

__all__ = ["scan"]


@click.command(
    epilog=EXIT_CODES_HELP, short_help="Record an observation of an estate and show what changed."
)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--estate", required=True, help="Name of the estate this observation belongs to.")
@click.option("--fail-on-changes", is_flag=True, help="Exit 1 when any component changed.")
@click.option(
    "--allow-outside",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A directory outside a Compose project whose env_file, secret and included files may be read.",
)
@click.option("--paths", multiple=True, metavar="DIR",
              help="host:// and ssh:// only: limit the file-integrity part to these trees.")  # fmt: skip
@click.option("--rehash", is_flag=True,
              help="host:// and ssh:// only: read every file again instead of trusting an unchanged stamp.")  # fmt: skip
@store_option
@output_options(listing=True)
@reports_errors
@kube_options
def scan(
    sources: tuple[str, ...],
    estate: str,
    fail_on_changes: bool,
    allow_outside: tuple[Path, ...],
    paths: tuple[str, ...],
    rehash: bool,
    store: str | None,
    namespace: str | None,
    output: str,
    limit: int | None,
) -> None:
    """Observe SOURCE... (manifest files or directories, Compose files, engine://, kube://, or - for
    manifests on standard input) as ESTATE, record the observation, and show what changed since
    the estate's previous one."""
    from stateward.cli.console import emit, progress, show
    from stateward.report.output import Report
    from stateward.report.scan import observation_errors, render_scan, scan_document
    from stateward.report.terminal import Diagnostic

    try:
        with progress("Reading sources") as tick:
            scanned = api.scan(
                store, sources, estate=estate, progress=tick, allow_outside=allow_outside,
                paths=paths, rehash=rehash, namespace=namespace,
            )  # fmt: skip
    except api.NothingRecorded as refused:
        show(map(Diagnostic, observation_errors(refused.observation)))  # no result: all stderr
        raise
    parts = (scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    human = render_scan(scanned.record, scanned.previous, *parts[1:], scanned.file_changes, limit)
    emit(output, Report(lambda: scan_document(*parts), human))
    if scanned.observation.errors:
        sys.exit(EXIT_INPUT)
    if fail_on_changes and any(d.changed for d in scanned.deltas):
        sys.exit(EXIT_CHANGES)
