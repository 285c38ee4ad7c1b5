"""``stateward store export|import``: a whole store as one file, to move or back it up."""

from __future__ import annotations

from pathlib import Path

import click

from stateward import api
from stateward.cli.common import EXIT_CODES_HELP, output_options, reports_errors, store_option
from stateward.errors import LedgerIntegrityError

__all__ = ["store"]

_file = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


@click.group("store", epilog=EXIT_CODES_HELP)
def store() -> None:
    """Move a store between SQLite and PostgreSQL, or back it up, with its ledger intact."""


@store.command("export", epilog=EXIT_CODES_HELP)
@_file
@store_option
@output_options()
@reports_errors
def export_command(file: Path, store: str | None, output: str) -> None:
    """Write every table of the store to FILE (gzip'd JSON lines), from one snapshot. The
    keys are not in it: back them up apart (README, "Moving and backing up a store")."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    rows = api.export_store(store, file)
    line = f"Exported {rows} rows to {escape(str(file))}."
    emit(output, Report(lambda: {"file": str(file), "rows": rows}, [line]))


@store.command("import", epilog=EXIT_CODES_HELP)
@_file
@store_option
@output_options()
@reports_errors
def import_command(file: Path, store: str | None, output: str) -> None:
    """Fill a new, empty store (--store) from FILE made by `store export`, then verify its
    ledger; exit 3 if it does not verify. Checkpoints of the old store verify against it."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    imported = api.import_store(store, file)
    report = imported.report
    line = (f"Imported {report.log.size} ledger entries and {report.objects} objects of "
            f"{escape(imported.origin)}; the ledger verifies.")  # fmt: skip
    document = {"file": str(file), "origin": imported.origin, **report.as_dict()}
    emit(output, Report(lambda: document, [line] if report.ok else []))
    if not report.ok:
        raise LedgerIntegrityError(
            f"the imported store does not verify: {report.problems[0].text()}",
            remedy="Do not use it; export the source again and check it with `ledger verify`.",
        )
