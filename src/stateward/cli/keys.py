"""``stateward keys …``: where the store's keys are, and rotating its secret-digest key."""

from __future__ import annotations

import click

from stateward import api
from stateward.cli.common import EXIT_CODES_HELP, output_options, reports_errors, store_option
from stateward.errors import StorageError

__all__ = ["keys"]


@click.group(epilog=EXIT_CODES_HELP)
def keys() -> None:
    """The store's two keys: the HMAC key of its secret digests and the ledger's log key."""


@keys.command(epilog=EXIT_CODES_HELP)
@store_option
@output_options()
@reports_errors
def show(store: str | None, output: str) -> None:
    """Where the keys of the store are, and whether its secret key is the one it records
    (by id, a fingerprint: never the key). Exit 3 when it is missing or not that key."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.store import key_status_lines

    status = api.key_status(store)
    emit(output, Report(lambda: status, key_status_lines(status)))
    if status["problem"]:
        raise StorageError(status["problem"])


@keys.command(epilog=EXIT_CODES_HELP)
@store_option
@output_options()
@reports_errors
def rotate(store: str | None, output: str) -> None:
    """Give the store a new secret key on purpose, also when the old one is lost. The rotation
    is a ledger entry; changes across it say "key rotated: not comparable". The old key file
    is kept as <file>.<time>.retired; every machine writing the store needs the new one."""
    from stateward.cli.console import emit
    from stateward.report.output import Report

    previous, record = api.rotate_key(store)
    document = {
        "previous_key_id": previous.key_id if previous else None,
        "key_id": record.key_id,
        "generation": record.generation,
        "ledger_entry": record.entry,
    }
    line = (f"Secret key rotated to {record.key_id} (generation {record.generation}, "
            f"ledger entry {record.entry}); copy it to every machine that writes this store.")  # fmt: skip
    emit(output, Report(lambda: document, [line]))
