"""The library's values that the commands' options show in ``--help``, copied here.

A command's ``--help`` and its option completion load its module, and these values come from
packages whose import pulls in most of the library (the store, the diff engine, rich); a copy
keeps both fast. ``tests/cli/test_entry.py`` checks each copy against the library's own value,
as it checks the help sentences of ``cli/__init__.py``.
"""

from __future__ import annotations

__all__ = ["EXPORT_MIB", "FORMATS", "MODES", "ROLES", "ROWS", "SEVERITIES"]

FORMATS = ("table", "json", "yaml", "sarif")
"""``stateward.report.output.FORMATS``: the formats of ``-o``."""

ROWS = 50
"""``stateward.report.terminal.ROWS``: the rows a table shows without ``--all``."""

MODES = ("strict", "argo")
"""``stateward.api.MODES``: the comparison modes of ``drift --mode``."""

ROLES = ("read", "admin")
"""``stateward.api.ROLES``: what a bearer token may do."""

EXPORT_MIB = 4096
"""``stateward.api.EXPORT_MIB``: the largest exported bundle ``evidence verify`` reads."""

SEVERITIES = ("info", "low", "medium", "high")
"""The values of ``stateward.model.finding.Severity``, least to most."""
