"""``stateward scan``: observe sources into an estate and report what changed since last time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from stateward.analysis.audit import audit
from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.cli.audit import print_audit
from stateward.cli.common import (
    EXIT_CHANGES,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    json_option,
    kube_options,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape, progress, table
from stateward.cli.render import print_delta
from stateward.model.observation import Observation
from stateward.observe import observe
from stateward.store import ObservationRecord
from stateward.store.keys import rotations
from stateward.store.store import refuse_unread

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
    help="A directory outside a Compose project whose env_file and secret files may be read.",
)
@store_option
@json_option
@reports_errors
@kube_options
def scan(
    sources: tuple[str, ...],
    estate: str,
    fail_on_changes: bool,
    allow_outside: tuple[Path, ...],
    store: str | None,
    as_json: bool,
) -> None:
    """Observe SOURCE... (manifest files or directories, Compose files, engine://, kube://, or - for
    manifests on standard input) as ESTATE, record the observation, and show what changed since
    the estate's previous one."""
    opened = open_cli_store(store)
    previous_record = opened.latest(estate)
    previous = opened.load(previous_record, resources=False) if previous_record else None
    with progress("Reading sources") as tick:
        observation = observe(
            sources, estate=estate, keeper=opened.keeper, progress=tick, allow_outside=allow_outside
        )
    if observation.unread:
        print_errors(observation)
        refuse_unread(observation)
    report = audit(observation)
    observation.findings.extend(report.findings)
    record = opened.record(observation)
    rotated = rotations(opened.db).between(previous_record, record)
    deltas = component_deltas(previous, observation, key_rotated=rotated)
    if as_json:
        emit_json({**scan_document(record, observation, deltas), "audit": report.as_dict()})
    _print(record, previous_record, observation, deltas)
    print_audit(report)
    if observation.errors:
        sys.exit(EXIT_INPUT)
    if fail_on_changes and any(d.changed for d in deltas):
        sys.exit(EXIT_CHANGES)


def scan_document(
    record: ObservationRecord, observation: Observation, deltas: list[ComponentDelta]
) -> dict[str, Any]:
    """The stable ``scan --json`` document."""
    components = []
    for component in observation.components:
        entry = component.as_dict()
        del entry["context"]
        components.append(entry)
    return {
        "estate": observation.estate,
        "observation": record.as_dict(),
        "components": components,
        "changes": [d.as_dict() for d in deltas],
        "findings": [f.as_dict() for f in observation.findings],
        "errors": [{"location": e.location, "message": e.reason} for e in observation.errors],
    }


def _print(
    record: ObservationRecord,
    previous: ObservationRecord | None,
    observation: Observation,
    deltas: list[ComponentDelta],
) -> None:
    unchanged = " (unchanged)" if record.unchanged else ""
    err.print(
        f"[bold]{escape(observation.estate)}[/]: observation #{record.seq}{unchanged}, "
        f"{len(observation.resources)} resources, {len(observation.components)} components"
    )
    components = table("component", "binary", "context", "images")
    for c in observation.components:
        images = ", ".join(
            i.ref.split("@")[0] + (" (pinned)" if i.pinned else " (unpinned)") for i in c.images
        )
        components.add_row(
            escape(c.id), c.binary_fingerprint[7:19], c.context_fingerprint[7:19], escape(images)
        )
    err.print(components)
    print_deltas(deltas, previous)
    print_errors(observation)


def print_deltas(deltas: list[ComponentDelta], previous: ObservationRecord | None) -> None:
    """Changes since the previous observation, snowflake changes called out."""
    if previous is None:
        err.print("First observation of this estate.")
        return
    if not deltas:
        err.print(f"No change since observation #{previous.seq}.")
        return
    err.print(
        f"[bold]Changes since observation #{previous.seq}[/] ({previous.time:%Y-%m-%d %H:%M}):"
    )
    for delta in deltas:
        print_delta(delta)


def print_errors(observation: Observation) -> None:
    """Findings count and every rejected input."""
    if observation.findings:
        err.print(f"{len(observation.findings)} findings (see --json for all).")
    for error in observation.errors:
        err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
    if observation.unread:
        return
    if not observation.complete:
        err.print(
            "[red]The observation is incomplete: a source stopped part-way. What it could not "
            "see is not observed, not removed.[/]"
        )
