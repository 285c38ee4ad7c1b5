"""``stateward ledger …``: verify, checkpoint, prove and export the store's Merkle-tree ledger.

A thin shell over the ledger calls of :mod:`stateward.api`. A proof, signature or checkpoint that fails is an integrity failure here (exit 3),
like a stored hash that does not match: either way the history cannot be trusted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    output_options,
    reports_errors,
    store_option,
)
from stateward.errors import InputError, LedgerIntegrityError

if TYPE_CHECKING:
    from stateward.report.terminal import Rendered

__all__ = ["ledger"]

vkey_option = click.option(
    "--vkey",
    "vkey",
    default=None,
    metavar="VKEY",
    help="Verifier key (name+keyid+base64), or a file holding it. Default: the log's own key.",
)


@click.group(epilog=EXIT_CODES_HELP)
def ledger() -> None:
    """The append-only Merkle-tree ledger (RFC 9162) of the store, with signed checkpoints."""


@ledger.command(epilog=EXIT_CODES_HELP)
@vkey_option
@store_option
@output_options()
@reports_errors
def verify(vkey: str | None, store: str | None, output: str) -> None:
    """Recompute the whole ledger from its entries and check every stored hash, checkpoint and
    object; name the first entry that does not match (exit 3)."""
    from stateward.cli.console import emit, progress
    from stateward.report.ledger import render_verify
    from stateward.report.output import Report

    with progress("Verifying entries") as tick:
        report = api.verify(store, vkey, progress=tick)
    emit(output, Report(report.as_dict, render_verify(report)))
    failure = api.verify_failure(report)
    if failure:
        raise failure


@ledger.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--output-file",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the signed checkpoint to FILE.",
)
@store_option
@output_options()
@reports_errors
def checkpoint(output_file: Path | None, store: str | None, output: str) -> None:
    """Sign a checkpoint of the ledger as it is now and print it (C2SP tlog-checkpoint)."""
    from stateward.cli.console import emit
    from stateward.report.ledger import checkpoint_head
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    signed = api.checkpoint(store)
    current = signed.checkpoint
    if output_file is not None:
        _write(output_file, signed.note)
    document = {**checkpoint_head(current), "signed_note": signed.note}
    done = f"Checkpoint of {current.size} entries signed by {escape(current.origin)}."
    emit(output, Report(lambda: document, _text(signed.note, done)))


@ledger.command(epilog=EXIT_CODES_HELP)
@store_option
@output_options()
@reports_errors
def vkey(store: str | None, output: str) -> None:
    """Print the log's verifier key (name+keyid+base64), for checking checkpoints elsewhere."""
    from stateward.cli.console import emit
    from stateward.report.output import Report

    verifier = api.verifier_key(store)
    document = {"name": verifier.name, "key_id": f"{verifier.key_id:08x}", "vkey": verifier.vkey()}
    emit(output, Report(lambda: document, _text(verifier.vkey() + "\n")))


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument("entry", type=int)
@store_option
@output_options()
@reports_errors
def prove(entry: int, store: str | None, output: str) -> None:
    """Prove ENTRY (a ledger index) is in the ledger: an inclusion proof against a freshly signed
    checkpoint, as C2SP tlog-proof text (or a document with -o json or yaml)."""
    from stateward.cli.console import emit
    from stateward.report.output import Report

    inclusion = api.prove(store, entry)
    done = f"Entry {entry} is included in the ledger of {inclusion.checkpoint.size} entries."
    emit(output, Report(inclusion.as_dict, _text(inclusion.tlog_proof(), done)))


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument(
    "checkpoint_file", metavar="CHECKPOINT_FILE", type=click.Path(dir_okay=False, path_type=Path)
)
@vkey_option
@store_option
@output_options()
@reports_errors
def consistency(checkpoint_file: Path, vkey: str | None, store: str | None, output: str) -> None:
    """Prove the ledger extends an earlier signed checkpoint (RFC 9162 consistency proof); a
    truncated, rolled-back or rewritten ledger fails (exit 3)."""
    from stateward.cli.console import emit
    from stateward.report.output import Report

    result = api.consistency(store, checkpoint_file, vkey)
    line = (f"The ledger ({result.new.size} entries) extends the checkpoint of "
            f"{result.old.size} entries.")  # fmt: skip
    emit(output, Report(result.as_dict, [line]))


@ledger.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--tiles",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="New directory to write the C2SP tlog-tiles copy into.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into an existing directory, replacing files (never symlinks).",
)
@store_option
@output_options()
@reports_errors
def export(directory: Path, force: bool, store: str | None, output: str) -> None:
    """Export the ledger as a C2SP tlog-tiles directory (checkpoint, hash tiles, entry bundles)
    that anyone can verify without Stateward, or with `stateward ledger verify-tiles`."""
    from stateward.cli.console import emit, progress
    from stateward.report.ledger import checkpoint_head
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    with progress("Writing tiles") as tick:
        current, files = api.export_tiles(store, directory, force=force, progress=tick)
    document = {**checkpoint_head(current), "directory": str(directory), "files": files}
    line = f"Wrote {files} files for {current.size} entries to {escape(str(directory))}."
    emit(output, Report(lambda: document, [line]))


@ledger.command("verify-tiles", epilog=EXIT_CODES_HELP)
@click.argument("location", metavar="DIR|URL")
@click.option("--vkey", "vkey", required=True, metavar="VKEY",
              help="The log's verifier key (name+keyid+base64), or a file holding it.")  # fmt: skip
@output_options()
@reports_errors
def verify_tiles_command(location: str, vkey: str, output: str) -> None:
    """Verify a C2SP tlog-tiles tree (an exported DIR or a served http(s):// URL) without the
    store: the checkpoint signature, every entry bundle, every hash tile and the root. Exit 3
    naming the first tile or entry that does not match."""
    from stateward.cli.console import emit
    from stateward.report.ledger import render_tiles_problems
    from stateward.report.output import Report

    report = api.verify_tiles(location, vkey)
    emit(output, Report(report.as_dict, render_tiles_problems(location, report)))
    if not report.ok:
        raise LedgerIntegrityError(
            f"tiles verification failed: {report.problems[0]}",
            remedy="Do not trust this copy of the log; fetch it again from the log.",
        )


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="OBJECT")
@click.option(
    "--reason", required=True, help="Why (one line, kept in the ledger forever: no personal data)."
)
@store_option
@output_options()
@reports_errors
def erase(address: str, reason: str, store: str | None, output: str) -> None:
    """Erase OBJECT (sha256:…) from the store: a tombstone entry is logged and the bytes are
    deleted. Proofs still verify; `ledger verify` reports the object as erased. An observation's
    manifest or header, and the documents logging the store's secret keys, are refused: history
    and `ledger verify` read them, and they hold digests and key ids, never a secret."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    index = api.erase(store, address, reason)
    line = f"Erased {escape(address)}; tombstone is ledger entry {index}."
    emit(output, Report(lambda: {"object": address, "tombstone_entry": index}, [line]))


def _text(text: str, *done: str) -> Rendered:
    """A document that is text already (a signed note, a proof, a key), written as it is, and
    what was done, said on stderr so the text can be piped."""
    from stateward.report.terminal import Diagnostic, Document

    yield Document(text)
    yield from map(Diagnostic, done)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot write: {exc.strerror}") from None
