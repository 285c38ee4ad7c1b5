"""Compose variable interpolation (Compose Specification, "Interpolation").

Supported: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``,
``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}`` and ``$$`` for a literal ``$``. Values come only
from the project's ``.env`` (and an injected mapping), never silently from the caller's shell, so a
scan gives the same result on every machine. An unset variable becomes "" as in Compose, and is
reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Interpolator", "parse_env_file"]

_PATTERN = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<named>[A-Za-z_][A-Za-z0-9_]*)|"
    r"\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\})"
)


@dataclass
class Interpolator:
    """Substitutes variables in every string of a parsed Compose document."""

    variables: Mapping[str, str]
    missing: list[tuple[str, str]] = field(default_factory=list)
    """(variable, where) for every unset variable met without a default."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(variable, message) for every ``${VAR:?message}`` whose variable was unset."""

    def apply(self, value: Any, where: str = "") -> Any:
        """``value`` with every string interpolated; ``where`` names the field for reports."""
        if isinstance(value, str):
            return _PATTERN.sub(lambda m: self._replace(m, where), value)
        if isinstance(value, dict):
            return {k: self.apply(v, f"{where}.{k}" if where else k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return value

    def _replace(self, match: re.Match[str], where: str) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("named") or match.group("braced")
        op, arg = match.group("op"), match.group("arg") or ""
        value = self.variables.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-"):
            return arg if (value is None if op == "-" else unset_or_empty) else str(value)
        if op in (":+", "+"):
            return "" if (value is None if op == "+" else unset_or_empty) else arg
        if op in (":?", "?") and (value is None if op == "?" else unset_or_empty):
            self.failed.append((name, arg or "required variable is not set"))
            return ""
        if value is None:
            self.missing.append((name, where))
            return ""
        return value


def parse_env_file(text: str) -> dict[str, str]:
    """``KEY=VALUE`` lines as Compose reads them: comments, ``export``, single/double quotes."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep:
            continue
        out[key.strip()] = _unquote(value.strip())
    return out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace("\\n", "\n") if value[0] == '"' else inner
    # An unquoted value ends at an inline comment preceded by whitespace.
    return re.split(r"\s+#", value, maxsplit=1)[0]
