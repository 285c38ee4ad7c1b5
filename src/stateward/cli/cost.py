"""``stateward cost``: price applying changes — replace versus update in place.

SOURCE is an estate in the store or a location to observe (manifest files or directories, a
Compose file, ``engine://``). What is priced:

- ``--plan NEW``: applying the manifests NEW over SOURCE (observed now, or the estate's latest);
- ``--changes FROM..TO``: the changes between two observations of the estate SOURCE (ids as in
  ``stateward history``);
- neither: the estate's two latest observations (what changed in flight).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from stateward.analysis.cost import (
    AuditLifecycles,
    ComponentCost,
    CostReport,
    EngineCatalog,
    LayerCatalog,
    RegistryCatalog,
    load_params,
    price,
    svg_chart,
)
from stateward.cli.common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape, table
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper
from stateward.observe import observe
from stateward.sources.engine.client import connect
from stateward.sources.engine.endpoint import accepts as is_engine_location
from stateward.sources.engine.endpoint import locate
from stateward.sources.registry import Platform
from stateward.store import Store

__all__ = ["cost"]

_RANGE = re.compile(r"([1-9][0-9]{0,9})\.\.([1-9][0-9]{0,9})")
_MIB = 1024 * 1024


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
@json_option
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
    as_json: bool,
) -> None:
    """Price the changes to SOURCE: per component in place or replace, bytes pulled,
    CPU-seconds, degraded minutes, backend load; totals per deploy and per month; and the
    cheapest safe strategy."""
    if plan and changes:
        raise UsageError("--plan cannot be used with --changes", remedy="Give one of them.")
    if deploys_per_day < 0:
        raise UsageError("--deploys-per-day must be ≥ 0")
    params = load_params(params_file)
    before, after = _observations(source, plan, changes, store)
    audited = AuditLifecycles(after)
    report = price(
        before,
        after,
        params=params,
        catalogs=_catalogs(registry, engine),
        lifecycle_of=audited,
        deploys_per_day=deploys_per_day,
        loss_of=audited.loss,
    )
    if chart:
        _write_chart(report, chart, f"Rollout of {after.estate}")
    if as_json:
        emit_json(report.as_dict())
    _print(report)
    if report.errors or after.errors or before.errors:
        sys.exit(EXIT_INPUT)


def _is_location(text: str) -> bool:
    return is_engine_location(text) or Path(text).exists()


def _observations(
    source: str, plan: str | None, changes: str | None, store: str | None
) -> tuple[Observation, Observation]:
    if plan:
        if _is_location(source):
            keeper = SecretKeeper(os.urandom(KEY_BYTES))  # one run: digests only compare inside it
            now = observe([source], estate=Path(source).name or source, keeper=keeper)
        else:
            opened = open_cli_store(store, read_only=True)
            keeper, now = opened.keeper.usable(), _latest_two(opened, source)[1]
        return now, observe([plan], estate=now.estate, keeper=keeper)
    if _is_location(source):
        raise UsageError(
            f"{source} is a location: say what to price",
            remedy="Add --plan NEW_MANIFESTS, or record it with `stateward scan` and give the estate.",
        )
    opened = open_cli_store(store, read_only=True)
    if changes:
        return _between(opened, source, changes)
    return _latest_two(opened, source)


def _latest_two(store: Store, estate: str) -> tuple[Observation, Observation]:
    records = store.history(estate)
    if not records:
        raise UsageError(
            f"estate {estate!r} has no observations", remedy="See `stateward estates`."
        )
    if len(records) < 2:
        raise UsageError(
            f"estate {estate!r} has one observation: nothing changed yet",
            remedy="Give --plan NEW_MANIFESTS, or scan the estate again.",
        )
    return store.load(records[-2]), store.load(records[-1])


def _between(store: Store, estate: str, changes: str) -> tuple[Observation, Observation]:
    found = _RANGE.fullmatch(changes.strip())
    if not found:
        raise UsageError(f"cannot read --changes {changes!r}", remedy="Write FROM..TO, e.g. 3..5.")
    by_id = {r.seq: r for r in store.history(estate)}
    first, last = int(found.group(1)), int(found.group(2))
    missing = [n for n in (first, last) if n not in by_id]
    if missing:
        raise UsageError(
            f"estate {estate!r} has no observation #{missing[0]}",
            remedy=f"See `stateward history {estate}`.",
        )
    return store.load(by_id[first]), store.load(by_id[last])


def _catalogs(registry: str | None, engine: str | None) -> list[LayerCatalog]:
    catalogs: list[LayerCatalog] = []
    connected = connect(locate(engine)) if engine else None
    if registry:
        # the images the node would pull: those of the engine's platform when there is one
        platform = Platform.of_engine(connected.version) if connected else Platform.of_host()
        catalogs.append(RegistryCatalog(registry, platform))
    if connected:
        catalogs.append(EngineCatalog(connected.api))
    return catalogs


def _write_chart(report: CostReport, path: str, title: str) -> None:
    lines = [(c.rollout.component, c.plan.timeline) for c in report.components]
    drawn = [(label, t) for label, t in lines if t is not None and t.samples]
    try:
        Path(path).write_text(svg_chart(drawn, title), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write chart {path}: {exc.strerror}") from None


def _size(value: int, estimated: bool) -> str:
    text = f"{value / _MIB:.1f} MiB" if value else "0"
    return f"~{text}" if estimated else text


def _print(report: CostReport) -> None:
    if not report.components and not report.errors:
        err.print("No changed component to price.")
        return
    out = table("component", "mode", "class", "bytes", "CPU·s", "degraded", "depth", "backend ×",
                "cheaper path")  # fmt: skip
    for c in report.components:
        out.add_row(*_row(c, report))
    err.print(out)
    for c in report.components:
        _explain(c)
    _totals(report)
    if any(c.rollout.pull.estimated for c in report.components):
        err.print("~ estimated: image sizes unknown (give --registry or --engine for real ones).")
    for error in report.errors:
        err.print(f"[red]Error:[/] {escape(error.diagnostics())}")


_CLASS = {"ephemeral-safe": "safe", "ephemeral-with-warm-up": "warm-up"}
"""Short class names for the table (JSON keeps the full ones)."""


def _row(c: ComponentCost, report: CostReport) -> tuple[str, ...]:
    rollout, timeline = c.rollout, c.plan.timeline
    degraded = f"{timeline.window_s / 60 if timeline else 0:.1f} min"
    return (
        escape(rollout.component.split(":", 1)[-1]),
        str(rollout.mode),
        _CLASS.get(str(rollout.lifecycle), str(rollout.lifecycle)),
        _size(rollout.bytes(), rollout.pull.estimated),
        f"{rollout.cpu_seconds(report.params):.1f}",
        degraded,
        f"{timeline.depth:.0%}" if timeline else "0%",
        f"{timeline.backend_peak:.1f}" if timeline else "1.0",
        escape(c.best.name),
    )


def _explain(c: ComponentCost) -> None:
    err.print(f"[bold]{escape(c.rollout.component)}[/]: {c.rollout.mode}")
    for verdict in c.rollout.verdicts:
        err.print(f"  {verdict.rule.id:<20} {escape(verdict.change.path)}")
        err.print(f"  {'':<20} {escape(verdict.rule.summary)}")
    for note in c.rollout.notes:
        err.print(f"  [yellow]note:[/] {escape(note)}")
    if c.best is not c.plan:
        err.print(f"  [green]cheaper:[/] {escape(c.best.name)} — {escape(c.best.how)}")


def _totals(report: CostReport) -> None:
    out = table("", "bytes", "CPU·s", "degraded min", "pod·min lost", "backend excess s")
    keys = ("cpu_s", "degraded_minutes", "degraded_pod_minutes", "backend_excess_s")
    for label, values in (
        ("per deploy, as planned", report.totals()),
        ("per deploy, cheapest safe", report.totals(best=True)),
        (f"per month ({report.deploys_per_day:g}/day), as planned", report.monthly()),
        ("per month, cheapest safe", report.monthly(best=True)),
    ):
        out.add_row(label, _size(int(values["bytes"]), False), *(f"{values[k]:g}" for k in keys))
    err.print(out)
