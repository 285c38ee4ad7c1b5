"""``stateward doctor``'s report: one line per check, its status first, then what to do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Protocol

from stateward.report.terminal import Diagnostic, Rendered, escape, printable

__all__ = ["STATUSES", "CheckLike", "doctor_lines", "doctor_summary", "render_doctor"]

STATUSES = ("ok", "warn", "fail")
_COLOURS = {"ok": "green", "warn": "yellow", "fail": "red"}


class CheckLike(Protocol):
    """What a check of :func:`stateward.api.doctor` holds (the api sits above this package)."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def remedy(self) -> str: ...


def doctor_lines(checks: Sequence[CheckLike]) -> Iterator[tuple[str, str]]:
    """Each check's status and its line: ``STATUS  NAME  what was found. What to do.``"""
    width = max((len(check.name) for check in checks), default=0)
    for check in checks:
        text = printable(check.detail)
        if check.remedy:
            text = f"{text.rstrip('.')}. {printable(check.remedy)}"
        yield check.status, f"{check.status:<4}  {check.name:<{width}}  {text}"


def doctor_summary(checks: Sequence[CheckLike]) -> str:
    """``N ok, N warn, N fail``."""
    counts = Counter(check.status for check in checks)
    return ", ".join(f"{counts[status]} {status}" for status in STATUSES)


def render_doctor(checks: Sequence[CheckLike]) -> Rendered:
    """The checks' lines in their status's colour, then the summary (a diagnostic: stderr)."""
    for status, line in doctor_lines(checks):
        yield f"[{_COLOURS[status]}]{escape(line)}[/]"
    yield Diagnostic(doctor_summary(checks))
