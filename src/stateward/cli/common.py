"""What every command shares: the store option, ``--json``, SARIF output and exit codes.

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

from stateward.cli.console import err
from stateward.cli.exits import EXIT_CHANGES, EXIT_CODES_HELP, EXIT_INPUT, EXIT_OK, EXIT_STORE
from stateward.errors import (
    LedgerIntegrityError,
    StatewardError,
    StorageError,
    UsageError,
    VerificationError,
)
from stateward.report.terminal import escape

__all__ = [
    "EXIT_CHANGES",
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_STORE",
    "EXIT_CODES_HELP",
    "check_outputs",
    "fail",
    "json_option",
    "kube_options",
    "reports_errors",
    "sarif_option",
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
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Write a JSON document to stdout."
)


def fail(error: StatewardError) -> NoReturn:
    """Print ``Error: …`` to stderr and exit with the code for that kind of error."""
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


def check_outputs(as_json: bool, sarif_path: str | None) -> None:
    """Refuse two documents on stdout."""
    if as_json and sarif_path == "-":
        raise UsageError("--json and --sarif - both write to stdout", remedy="Give --sarif a FILE.")


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
