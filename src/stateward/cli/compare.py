"""``stateward drift DESIRED LIVE`` and ``stateward parity A B``: two sides compared, each a
location read now or an estate from the store. The two share everything after the comparison:
the report in the format asked for, SARIF, and the exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stateward import __version__, api
from stateward.cli.choices import MODES
from stateward.cli.common import (
    EXIT_CHANGES,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    output_options,
    reports_errors,
    store_option,
    write_sarif,
)

if TYPE_CHECKING:
    from stateward.report.output import Report
    from stateward.report.terminal import Rendered

__all__ = ["drift_command", "parity_command"]


def _verdict(
    document: Callable[[], dict[str, Any]], key_rotated: bool, **verdict: bool
) -> dict[str, Any]:
    """The report's document with the command's verdict, which leaves out secret digests made
    under two keys (the report's own field counts them)."""
    from stateward.report.compare import comparison_document

    return comparison_document({**document(), **verdict}, key_rotated)


def _finish(
    output: str, report: Report, sides: api.Sides, sarif_path: str | None, failed: bool
) -> None:
    """The report in its format, SARIF, and the exit code (2 for an input error on either
    side, else 1 when the comparison found what the command ``failed`` on)."""
    from stateward.cli.console import emit

    if sarif_path and report.sarif is not None:
        write_sarif(report.sarif(), sarif_path)
    emit(output, report)
    if any(side.errors for side in sides.observations):
        sys.exit(EXIT_INPUT)
    if failed:
        sys.exit(EXIT_CHANGES)


def _human(rendered: Rendered, sides: api.Sides) -> Rendered:
    from stateward.report.compare import rotation_note

    return chain(rendered, rotation_note(sides.key_rotated))


@click.command("drift", epilog=EXIT_CODES_HELP.replace("changes or findings", "drift"))
@click.argument("desired")
@click.argument("live")
@click.option("--mode", type=click.Choice(MODES), default="strict", show_default=True,
              help="strict: anything live holds that desired does not explain is drift; "
              "argo: fields only in live are ignored, as Argo CD does.")  # fmt: skip
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Ignore rules (ignoreDifferences). Default: ./stateward.yaml if present.")  # fmt: skip
@click.option("-n", "--namespace", default=None,
              help="Namespace of desired objects that name none (as kubectl -n). Without it, "
              "a kube:// live side's namespace (its location's, else its context's), else "
              "the only live object of that kind and name.")  # fmt: skip
@click.option("--side-by-side", is_flag=True,
              help="Show each drifted object's changes as a desired | live table.")  # fmt: skip
@store_option
@output_options(findings=True)
@reports_errors
def drift_command(
    desired: str,
    live: str,
    mode: str,
    rules_path: Path | None,
    namespace: str | None,
    side_by_side: bool,
    store: str | None,
    output: str,
    sarif_path: str | None,
) -> None:
    """Compare DESIRED with LIVE; each is a path (manifests, Compose, engine://) or ESTATE[@TIME]."""
    from stateward.report.compare import drift_sarif, render_drift
    from stateward.report.output import Report

    drifted = api.drift(store, desired, live, mode=mode, rules=rules_path, namespace=namespace)
    report, sides = drifted.report, drifted.sides
    human = render_drift(
        report, sides.observations, sides.key_rotated, side_by_side, drifted.drifted
    )
    document = partial(_verdict, report.as_dict, sides.key_rotated, drifted=drifted.drifted)
    sarif = partial(drift_sarif, report, __version__)
    _finish(
        output, Report(document, _human(human, sides), sarif), sides, sarif_path, drifted.drifted
    )


@click.command(
    "parity", epilog=EXIT_CODES_HELP.replace("changes or findings", "unexpected differences")
)
@click.argument("estate_a")
@click.argument("estate_b")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Parity policy (expected differences) in YAML.")  # fmt: skip
@store_option
@output_options(findings=True)
@reports_errors
def parity_command(
    estate_a: str,
    estate_b: str,
    policy_path: Path | None,
    store: str | None,
    output: str,
    sarif_path: str | None,
) -> None:
    """Compare ESTATE_A with ESTATE_B (each ESTATE[@TIME] or a path), component by component."""
    from stateward.report.compare import parity_sarif, render_parity
    from stateward.report.output import Report

    paired = api.parity(store, estate_a, estate_b, policy=policy_path)
    report, sides = paired.report, paired.sides
    human = render_parity(report, sides.key_rotated, paired.differs)
    document = partial(_verdict, report.as_dict, sides.key_rotated, differs=paired.differs)
    sarif = partial(parity_sarif, report, __version__)
    _finish(
        output, Report(document, _human(human, sides), sarif), sides, sarif_path, paired.differs
    )
