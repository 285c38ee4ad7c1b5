"""``stateward cost``: price applying changes — replace versus update in place.

SOURCE is an estate in the store or a location to observe (manifest files or directories, a
Compose file, ``engine://``). What is priced:

- ``--plan NEW``: applying the manifests NEW over SOURCE (observed now, or the estate's latest);
- ``--changes FROM..TO``: the changes between two observations of the estate SOURCE (ids as in
  ``stateward history``);
- neither: the estate's two latest observations (what changed in flight).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    output_options,
    reports_errors,
    store_option,
)
from stateward.errors import UsageError

__all__ = ["cost"]


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("source")
@click.option("--plan", "plan", default=None, metavar="NEW", help="Manifests to apply over SOURCE.")
@click.option("--changes", "changes", default=None, metavar="FROM..TO",
              help="Observation ids of the estate SOURCE to price the changes between.")  # fmt: skip
@click.option("--deploys-per-day", "deploys_per_day", type=float, default=1.0, show_default=True,
              help="How often such a change ships, for the monthly totals.")  # fmt: skip
@click.option("--params", "params_file", default=None, metavar="FILE",
              help="YAML file overriding model parameters (see docs/cost.md).")  # fmt: skip
@click.option("--registry", "registry", default=None, metavar="URL",
              help="OCI registry (or mirror) holding the images, for real layer sizes.")  # fmt: skip
@click.option("--engine", "engine", default=None, metavar="engine://[/path.sock]",
              help="Container engine standing for a node: its cached layers are free.")  # fmt: skip
@click.option("--chart", "chart", default=None, metavar="FILE.svg",
              help="Write an SVG chart of capacity and backend load over the rollout.")  # fmt: skip
@store_option
@output_options()
@reports_errors
def cost(
    source: str,
    plan: str | None,
    changes: str | None,
    deploys_per_day: float,
    params_file: str | None,
    registry: str | None,
    engine: str | None,
    chart: str | None,
    store: str | None,
    output: str,
) -> None:
    """Price the changes to SOURCE: per component in place or replace, bytes pulled,
    CPU-seconds, degraded minutes, backend load; totals per deploy and per month; and the
    cheapest safe strategy."""
    from stateward.cli.console import emit, progress
    from stateward.report.cost import cost_chart, render_cost
    from stateward.report.output import Report

    with progress("Pricing components") as tick:
        priced = api.cost(
            store, source, plan=plan, changes=changes, deploys_per_day=deploys_per_day,
            params=params_file, registry=registry, engine=engine, progress=tick,
        )  # fmt: skip
    report = priced.report
    if chart:
        _write(Path(chart), cost_chart(report, f"Rollout of {priced.after.estate}"))
    emit(output, Report(report.as_dict, render_cost(report)))
    if report.errors or priced.after.errors or priced.before.errors:
        sys.exit(EXIT_INPUT)


def _write(path: Path, svg: str) -> None:
    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write chart {path}: {exc.strerror}") from None
