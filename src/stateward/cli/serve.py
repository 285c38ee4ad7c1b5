"""``stateward serve`` and ``stateward tokens``: the HTTP server over the store, and the bearer
tokens it accepts. A thin shell over :mod:`stateward.server` and :mod:`stateward.api`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from stateward import api
from stateward.cli.choices import ROLES
from stateward.cli.common import EXIT_CODES_HELP, output_options, reports_errors, store_option
from stateward.errors import UsageError

__all__ = ["serve", "tokens"]

_FILE = click.Path(dir_okay=False, exists=True, path_type=Path)
_DEFAULT_CONFIG = Path("stateward.yaml")


def _workers(_: click.Context, __: click.Parameter, value: str) -> int:
    # Default 2: at 10 and 50 clients two processes halved the p50 of the component page and of
    # inclusion proofs against one, in each of four runs on the 2-core machine (docs/server.md,
    # "Worker processes"); one process saturates one core.
    if value == "auto":
        return len(os.sched_getaffinity(0))  # the cores this process may run on
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise click.BadParameter("give a number of processes from 1 to 64, or auto")
    return int(value)


@click.command(epilog=EXIT_CODES_HELP)
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--tls-cert", type=_FILE, default=None, help="TLS certificate (PEM).")
@click.option("--tls-key", type=_FILE, default=None, help="TLS private key (PEM).")
@click.option("--insecure", is_flag=True, help="Serve plain HTTP on a non-loopback address anyway.")
@click.option("--public-log", is_flag=True, help="Serve /log/ (tlog-tiles) without a token.")
@click.option("--workers", default="2", show_default=True, callback=_workers, metavar="N|auto",
              help="Server processes answering on the one port; auto: one per core.")  # fmt: skip
@click.option("--config", "config", type=_FILE, default=None,
              help="Record the estates its `estates:` declare, each every interval. "
              "Default: ./stateward.yaml if present.")  # fmt: skip
@reports_errors
def serve(
    store: str | None,
    host: str,
    port: int,
    tls_cert: Path | None,
    tls_key: Path | None,
    insecure: bool,
    public_log: bool,
    workers: int,
    config: Path | None,
) -> None:
    """Serve the store over HTTP: the dashboard, the REST API under /api/v1/, live updates
    under /events, /metrics, the ledger as C2SP tlog-tiles under /log/, /healthz and /readyz.
    Every route but those two (and /log/ with --public-log) needs a bearer token from
    `stateward tokens create`; the dashboard takes one at /login. The estates declared in
    stateward.yaml are recorded meanwhile."""
    # imported here: the web stack loads only for the command that needs it, and may be absent
    try:
        from stateward.server import Settings
        from stateward.server.run import Binding, check_binding, run
    except ImportError as missing:  # ModuleNotFoundError, or a library that failed to load
        raise UsageError(
            f"`stateward serve` cannot load the web server: {missing}",
            remedy="Install the server extra: pip install 'stateward[server]'.",
        ) from None

    binding = Binding(host, port, tls_cert, tls_key, insecure)
    check_binding(binding)  # before the store is opened: a refused address changes nothing
    config = config or (_DEFAULT_CONFIG if _DEFAULT_CONFIG.is_file() else None)
    estates = api.declared_estates(config) if config else []
    if not estates:
        api.estates(store)  # a missing store is an error here, not a server that cannot answer
    run(store, binding, Settings(public_log=public_log, workers=workers), estates)


@click.group(epilog=EXIT_CODES_HELP)
def tokens() -> None:
    """Bearer tokens for `stateward serve` (only their digests are stored)."""


@tokens.command("create", epilog=EXIT_CODES_HELP)
@click.option("--role", type=click.Choice(ROLES), required=True, help="What it may do.")
@store_option
@output_options()
@reports_errors
def create(role: str, store: str | None, output: str) -> None:
    """Make a token and print it once; it cannot be shown again."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.terminal import Diagnostic, Document

    token = api.make_token(store, role)
    document = {"token_id": token.token_id, "role": token.role, "token": token.value}
    said = f"Token {token.token_id} ({token.role}) created; it is shown only this once."
    emit(output, Report(lambda: document, [Document(token.value + "\n"), Diagnostic(said)]))


@tokens.command("revoke", epilog=EXIT_CODES_HELP)
@click.argument("token_id")
@store_option
@output_options()
@reports_errors
def revoke(token_id: str, store: str | None, output: str) -> None:
    """Revoke the token TOKEN_ID (the id `tokens create` printed): a running server refuses
    it within 5 seconds, in every worker."""
    from stateward.cli.console import emit
    from stateward.report.output import Report
    from stateward.report.terminal import Diagnostic

    api.revoke_token(store, token_id)
    document = {"token_id": token_id, "revoked": True}
    emit(output, Report(lambda: document, [Diagnostic(f"Token {token_id} revoked.")]))
