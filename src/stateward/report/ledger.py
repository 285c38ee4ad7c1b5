"""The ledger: a verification report, checkpoints' heads, and tile verification."""

from __future__ import annotations

import base64
from collections.abc import Iterator

from stateward.ledger.checkpoint import Checkpoint
from stateward.ledger.tileverify import TilesReport
from stateward.report.terminal import escape
from stateward.store.integrity import VerifyReport

__all__ = ["SHOWN", "checkpoint_head", "render_tiles_problems", "render_verify"]

SHOWN = 20
"""Problems listed on the terminal; ``--json`` has them all."""


def checkpoint_head(checkpoint: Checkpoint) -> dict[str, object]:
    """A checkpoint's origin, size and root hash (base64), for a JSON document."""
    return {
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root_hash": base64.b64encode(checkpoint.root_hash).decode(),
    }


def render_verify(report: VerifyReport) -> Iterator[str]:
    """What ``ledger verify`` checked, what is erased, and the first problems."""
    log = report.log
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(log.by_type.items()))
    yield f"Database check: {escape(report.structure)}."
    yield (
        f"{log.size} entries ({kinds or 'none'}), {log.checkpoints} checkpoints, "
        f"{report.objects} objects checked."
    )
    for address, tombstone in sorted(report.erased.items()):
        yield f"erased: {escape(address)} (tombstone entry {tombstone})"
    for problem in report.problems[:SHOWN]:
        yield f"[red]bad:[/] {escape(problem.text())}"
    if len(report.problems) > SHOWN:
        yield f"… {len(report.problems) - SHOWN} more (see -o json)"
    if report.ok:
        yield "[green]Ledger verified.[/]"


def render_tiles_problems(location: str, report: TilesReport) -> Iterator[str]:
    """What ``ledger verify-tiles`` checked and the first problems."""
    yield f"{escape(location)}: {report.checkpoint.size} entries, {report.files} files checked."
    for problem in report.problems[:SHOWN]:
        yield f"[red]bad:[/] {escape(problem)}"
    if report.ok:
        yield f"[green]Tiles verified[/] against the checkpoint of {escape(report.checkpoint.origin)}."
