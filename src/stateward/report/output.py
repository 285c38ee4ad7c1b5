"""One command result in the format asked for with ``-o``: the human report (``table``), or a
document on stdout (``json``, ``yaml``, ``sarif``), the convention of kubectl's ``-o``.

This is the only place a format is chosen. The YAML document is the JSON one, dumped by PyYAML's
safe dumper (:mod:`stateward.report.yamled`): the same keys and values, so a tool switches
format without changing its paths.
Non-ASCII text is written as YAML escapes, never raw, so a hostile name cannot reach a terminal
through YAML either (the dumper leaves bidi and invisible characters raw when allowed Unicode).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stateward.errors import UsageError
from stateward.report.terminal import Diagnostic, Document, Rendered, json_pieces, json_text
from stateward.report.yamled import yaml_pieces

__all__ = ["FORMATS", "Report", "dispatch"]

FORMATS = ("table", "json", "yaml", "sarif")


@dataclass(frozen=True)
class Report:
    """What a command can show; each part is made only when its format is asked for."""

    document: Callable[[], Any]
    """The JSON (and YAML) document."""
    human: Rendered = ()
    """The human report's lines and tables; its :class:`Diagnostic` lines are shown in every
    format (on stderr)."""
    sarif: Callable[[], dict[str, Any]] | None = None
    """The SARIF log, for a command whose results are findings."""


def dispatch(output: str, report: Report) -> Rendered:
    """What to show for ``report`` in format ``output``: a document and the report's
    diagnostics, or the whole human report. Nothing else of the report is drawn."""
    if output == "table":
        yield from report.human
        return
    yield Document(_text(output, report))
    yield from (line for line in report.human if isinstance(line, Diagnostic))


def _text(output: str, report: Report) -> str | Iterator[str]:
    if output == "json":
        return json_pieces(report.document())
    if output == "yaml":
        return yaml_pieces(report.document())
    if report.sarif is None:
        raise UsageError("this command has no findings to write as SARIF",
                         remedy="Use -o table, json or yaml.")  # fmt: skip
    return json_text(report.sarif())
