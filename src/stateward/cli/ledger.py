"""``stateward ledger …``: verify, checkpoint, prove and export the store's Merkle-tree ledger.

A thin shell over :class:`stateward.ledger.log.Ledger` and :func:`stateward.store.integrity.
verify_store`. A proof, signature or checkpoint that fails is an integrity failure here (exit 3),
like a stored hash that does not match: either way the history cannot be trusted.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape
from stateward.errors import InputError, LedgerIntegrityError
from stateward.ledger.checkpoint import Checkpoint
from stateward.ledger.signer import Ed25519Verifier
from stateward.ledger.tilefetch import open_tiles
from stateward.ledger.tileverify import verify_tiles
from stateward.store.integrity import VerifyReport, verify_store

__all__ = ["ledger"]

F = TypeVar("F", bound=Callable[..., Any])
_SHOWN = 20
_MAX_FILE = 1 << 20

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
@json_option
@reports_errors
def verify(vkey: str | None, store: str | None, as_json: bool) -> None:
    """Recompute the whole ledger from its entries and check every stored hash, checkpoint and
    object; name the first entry that does not match (exit 3)."""
    opened = open_cli_store(store, read_only=True)
    report = verify_store(opened, _verifier(vkey))
    if as_json:
        emit_json(report.as_dict())
    _print_report(report)
    if not report.ok:
        first = report.problems[0].text()
        more = len(report.problems) - 1
        raise LedgerIntegrityError(
            f"ledger verification failed: {first}" + (f" (and {more} more)" if more else ""),
            remedy="Do not trust this store's history; restore it or compare with an export.",
        )


@ledger.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the signed checkpoint to this file.",
)
@store_option
@json_option
@reports_errors
def checkpoint(output: Path | None, store: str | None, as_json: bool) -> None:
    """Sign a checkpoint of the ledger as it is now and print it (C2SP tlog-checkpoint)."""
    current, signed = open_cli_store(store, create=False).ledger.checkpoint()
    if output is not None:
        _write(output, signed)
    if as_json:
        emit_json({**_head(current), "signed_note": signed})
    else:
        click.echo(signed, nl=False)
    err.print(f"Checkpoint of {current.size} entries signed by {escape(current.origin)}.")


@ledger.command(epilog=EXIT_CODES_HELP)
@store_option
@json_option
@reports_errors
def vkey(store: str | None, as_json: bool) -> None:
    """Print the log's verifier key (name+keyid+base64), for checking checkpoints elsewhere."""
    verifier = open_cli_store(store, read_only=True).ledger.verifier()
    assert isinstance(verifier, Ed25519Verifier), "bad math: the log key is Ed25519"
    if as_json:
        emit_json(
            {"name": verifier.name, "key_id": f"{verifier.key_id:08x}", "vkey": verifier.vkey()}
        )
    else:
        click.echo(verifier.vkey())


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument("entry", type=int)
@store_option
@json_option
@reports_errors
def prove(entry: int, store: str | None, as_json: bool) -> None:
    """Prove ENTRY (a ledger index) is in the ledger: an inclusion proof against a freshly signed
    checkpoint, as C2SP tlog-proof text (or JSON with --json)."""
    inclusion = open_cli_store(store, create=False).ledger.prove(entry)
    if as_json:
        emit_json(inclusion.as_dict())
    else:
        click.echo(inclusion.tlog_proof(), nl=False)
    err.print(f"Entry {entry} is included in the ledger of {inclusion.checkpoint.size} entries.")


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument(
    "checkpoint_file", metavar="CHECKPOINT_FILE", type=click.Path(dir_okay=False, path_type=Path)
)
@vkey_option
@store_option
@json_option
@reports_errors
def consistency(checkpoint_file: Path, vkey: str | None, store: str | None, as_json: bool) -> None:
    """Prove the ledger extends an earlier signed checkpoint (RFC 9162 consistency proof); a
    truncated, rolled-back or rewritten ledger fails (exit 3)."""
    signed = _read(checkpoint_file)
    result = open_cli_store(store, read_only=True).ledger.consistency(signed, _verifier(vkey))
    if as_json:
        emit_json(result.as_dict())
    err.print(
        f"The ledger ({result.new.size} entries) extends the checkpoint of "
        f"{result.old.size} entries."
    )


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
@json_option
@reports_errors
def export(directory: Path, force: bool, store: str | None, as_json: bool) -> None:
    """Export the ledger as a C2SP tlog-tiles directory (checkpoint, hash tiles, entry bundles)
    that anyone can verify without Stateward, or with `stateward ledger verify-tiles`."""
    current, files = open_cli_store(store, create=False).ledger.export_tiles(directory, force=force)
    if as_json:
        emit_json({**_head(current), "directory": str(directory), "files": files})
    err.print(f"Wrote {files} files for {current.size} entries to {escape(str(directory))}.")


@ledger.command("verify-tiles", epilog=EXIT_CODES_HELP)
@click.argument("location", metavar="DIR|URL")
@click.option("--vkey", "vkey", required=True, metavar="VKEY",
              help="The log's verifier key (name+keyid+base64), or a file holding it.")  # fmt: skip
@json_option
@reports_errors
def verify_tiles_command(location: str, vkey: str, as_json: bool) -> None:
    """Verify a C2SP tlog-tiles tree (an exported DIR or a served http(s):// URL) without the
    store: the checkpoint signature, every entry bundle, every hash tile and the root. Exit 3
    naming the first tile or entry that does not match."""
    verifier = _verifier(vkey)
    assert verifier is not None, "bad math: --vkey is required"
    report = verify_tiles(open_tiles(location), verifier)
    if as_json:
        emit_json(report.as_dict())
    size = report.checkpoint.size
    err.print(f"{escape(location)}: {size} entries, {report.files} files checked.")
    for problem in report.problems[:_SHOWN]:
        err.print(f"[red]bad:[/] {escape(problem)}")
    if not report.ok:
        raise LedgerIntegrityError(
            f"tiles verification failed: {report.problems[0]}",
            remedy="Do not trust this copy of the log; fetch it again from the log.",
        )
    err.print(
        f"[green]Tiles verified[/] against the checkpoint of {escape(report.checkpoint.origin)}."
    )


@ledger.command(epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="OBJECT")
@click.option(
    "--reason", required=True, help="Why (one line, kept in the ledger forever: no personal data)."
)
@store_option
@json_option
@reports_errors
def erase(address: str, reason: str, store: str | None, as_json: bool) -> None:
    """Erase OBJECT (sha256:…) from the store: a tombstone entry is logged and the bytes are
    deleted. Proofs still verify; `ledger verify` reports the object as erased."""
    index = open_cli_store(store, create=False).erase_object(address, reason)
    if as_json:
        emit_json({"object": address, "tombstone_entry": index})
    err.print(f"Erased {escape(address)}; tombstone is ledger entry {index}.")


def _head(checkpoint: Checkpoint) -> dict[str, object]:
    return {
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root_hash": base64.b64encode(checkpoint.root_hash).decode(),
    }


def _verifier(vkey: str | None) -> Ed25519Verifier | None:
    if vkey is None:
        return None
    path = Path(vkey)
    text = _read(path).strip() if "+" not in vkey or path.is_file() else vkey
    return Ed25519Verifier.from_vkey(text)


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_FILE:
            raise InputError(str(path), "is too large for a checkpoint or key")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {type(exc).__name__}") from None


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot write: {exc.strerror}") from None


def _print_report(report: VerifyReport) -> None:
    log = report.log
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(log.by_type.items()))
    err.print(f"Database check: {escape(report.structure)}.")
    err.print(
        f"{log.size} entries ({kinds or 'none'}), {log.checkpoints} checkpoints, "
        f"{report.objects} objects checked."
    )
    for address, tombstone in sorted(report.erased.items()):
        err.print(f"erased: {escape(address)} (tombstone entry {tombstone})")
    for problem in report.problems[:_SHOWN]:
        err.print(f"[red]bad:[/] {escape(problem.text())}")
    if len(report.problems) > _SHOWN:
        err.print(f"… {len(report.problems) - _SHOWN} more (see --json)")
    if report.ok:
        err.print("[green]Ledger verified.[/]")
