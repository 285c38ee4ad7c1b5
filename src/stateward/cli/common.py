"""What every command shares: the store option, ``-o`` (and ``--json``), SARIF output and exit codes.

The CLI is the only place errors become exit codes, so the library can be called without it
exiting and every code is defined in this one table:

====  ==========================================================
0     success; nothing the command was asked to fail on
1     changes, drift or findings found where the command was asked to fail on them
2     usage or input errors (bad arguments, a rejected file, document or object)
3     store or ledger errors (cannot open, integrity failure)
====  ==========================================================
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from stateward.cli.choices import FORMATS, ROWS
from stateward.cli.exits import EXIT_CHANGES, EXIT_CODES_HELP, EXIT_INPUT, EXIT_OK, EXIT_STORE
from stateward.errors import (
    LedgerIntegrityError,
    StatewardError,
    StorageError,
    UsageError,
    VerificationError,
)

__all__ = [
    "EXIT_CHANGES",
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_STORE",
    "EXIT_CODES_HELP",
    "TIME_HELP",
    "fail",
    "kube_options",
    "output_options",
    "reports_errors",
    "store_option",
    "write_sarif",
]

F = TypeVar("F", bound=Callable[..., Any])

store_option = click.option(
    "--store",
    "store",
    envvar="STATEWARD_STORE",
    default=None,
    metavar="LOCATION",
    help="Store directory or URL (sqlite:///file.db, postgresql://…). Default: .stateward",
)


def fail(error: StatewardError) -> NoReturn:
    """Print ``Error: …`` to stderr and exit with the code for that kind of error."""
    from stateward.cli.console import err
    from stateward.report.terminal import escape

    err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
    failed_integrity = StorageError | LedgerIntegrityError | VerificationError
    code = EXIT_STORE if isinstance(error, failed_integrity) else EXIT_INPUT
    sys.exit(code)


def reports_errors(command: F) -> F:
    """Turn library errors raised by ``command`` into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except StatewardError as error:
            fail(error)

    return wrapper  # type: ignore[return-value]


sarif_option = click.option(
    "--sarif",
    "sarif_path",
    default=None,
    metavar="FILE",
    help="Also write the results as SARIF 2.1.0 to FILE (- for stdout).",
)


def write_sarif(document: Mapping[str, Any], path: str) -> None:
    """Write a SARIF log to ``path`` (``-`` is stdout); UsageError when it cannot be written."""
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"cannot write SARIF to {path}: {exc.strerror}", remedy="Choose a writable path."
        ) from None


TIME_HELP = "ISO 8601, now, a time ago (90m, 2h, -1d, 1w2d), or observation #N"
"""What every TIME argument accepts (``stateward.api.parse_moment``)."""

_FORMAT_OPTIONS = (
    click.option("-o", "--output", "output", type=click.Choice(FORMATS), default=None,
                 help="Output format: table (the default, for people), json or yaml (one document "
                 "on stdout), sarif (commands with findings)."),
    click.option("--json", "as_json", is_flag=True, help="Same as -o json."),
)  # fmt: skip
_ALL_OPTION = click.option(
    "--all", "show_all", is_flag=True,
    help=f"List every row of a large table (by default the first {ROWS} and a summary).",
)  # fmt: skip


def output_options(*, findings: bool = False, listing: bool = False) -> Callable[[F], F]:
    """``-o/--output`` and ``--json`` (its older spelling), ``--sarif FILE`` where the command has
    ``findings``, ``--all`` where it ``listing`` an estate. The command is called with ``output``
    (the format), and ``sarif_path`` and ``limit`` (rows a table shows, None for all) if so."""
    options = [*_FORMAT_OPTIONS, *([sarif_option] if findings else []),
               *([_ALL_OPTION] if listing else [])]  # fmt: skip

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, output: str | None, as_json: bool, **kwargs: Any) -> Any:
            try:
                kwargs["output"] = _format(output, as_json, findings, kwargs.get("sarif_path"))
            except StatewardError as error:
                fail(error)
            if kwargs.get("sarif_path") == "-":
                kwargs["sarif_path"] = None  # the document of -o sarif
            if listing:
                kwargs["limit"] = None if kwargs.pop("show_all") else ROWS
            return command(*args, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


def _format(output: str | None, as_json: bool, findings: bool, sarif_path: str | None) -> str:
    """The one format asked for (``--sarif -`` is ``-o sarif``); a UsageError for two, or for
    SARIF where there are no findings."""
    chosen = "json" if as_json else output or "table"
    if as_json and output not in (None, "json"):
        raise UsageError(f"--json and -o {output} ask for two formats", remedy="Give one -o.")
    if sarif_path == "-":
        if as_json or output not in (None, "sarif"):
            given = "--json" if as_json else f"-o {output}"
            raise UsageError(f"{given} and --sarif - both write to stdout",
                             remedy="Give --sarif a FILE.")  # fmt: skip
        chosen = "sarif"
    if chosen == "sarif" and not findings:
        name = click.get_current_context().command_path
        raise UsageError(
            f"`{name}` has no findings to write as SARIF",
            remedy="Use -o table, json or yaml; audit, drift and parity write SARIF.",
        )
    return chosen


_KUBE_OPTIONS = (
    click.option("--context", default=None, help="kubeconfig context for kube:// sources that name none."),
    click.option("-n", "--namespace", default=None, help="Namespace for kube:// sources and (scan) manifest objects that name none (kubectl -n)."),
    click.option("-A", "--all-namespaces", is_flag=True, help="kube:// sources read every namespace and cluster-scoped kinds (kubectl -A)."),
    click.option("-l", "--selector", default=None, help="Label selector for kube:// sources (kubectl -l)."),
    click.option("--secrets-metadata", is_flag=True, help="kube:// sources read Secrets as metadata only: no value is fetched."),
)  # fmt: skip


def kube_options(command: F) -> F:
    """kubectl's ``--context``, ``-n``, ``-A``, ``-l`` (and ``--secrets-metadata``), filled into
    every ``kube://`` SOURCE where the location leaves them open."""

    @functools.wraps(command)
    def wrapper(*args: Any, context: str | None, namespace: str | None, all_namespaces: bool,
                selector: str | None, secrets_metadata: bool, **kwargs: Any) -> Any:  # fmt: skip
        from stateward.api import with_kube_options  # when run: --help loads no source

        kwargs["sources"] = tuple(
            with_kube_options(s, context=context, namespace=namespace, all_namespaces=all_namespaces,
                         selector=selector, secrets_metadata_only=secrets_metadata)
            for s in kwargs["sources"]
        )  # fmt: skip
        if "namespace" in inspect.signature(command).parameters:  # scan places manifests too
            kwargs["namespace"] = namespace
        return command(*args, **kwargs)

    for option in reversed(_KUBE_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]
