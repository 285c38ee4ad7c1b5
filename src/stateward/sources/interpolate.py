"""Compose variable interpolation (Compose Specification, "Interpolation").

Supported: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``,
``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}`` and ``$$`` for a literal ``$``; defaults, alternatives
and messages are themselves interpolated, so ``${A:-${B:-x}}`` nests. The rules are compose-go's
template package, ported from
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/template/template.go
Values come only from the project's ``.env`` (and an injected mapping), never silently from the
caller's shell, so a scan gives the same result on every machine. An unset variable becomes "" as
in Compose, and is reported. The text substituted into one file is bounded (``budget``): a 1 MiB
value used through a thousand aliases would otherwise take gigabytes.

A variable whose name says it holds a credential (``API_TOKEN``, ``DB_PASSWORD``:
:func:`stateward.model.detection.secret_name`) is secret wherever its value lands, also where
nothing else marks it as one (``command: ["run", "${API_TOKEN}"]``). The interpolator notes
which fields received such a value, and :meth:`Interpolator.seal` digests it there once the
object has been redacted as usual, so the digests redaction already makes stay as they were.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from stateward.model.detection import harmless, secret_name
from stateward.model.secrets import SECRET_PREFIX, Digester

__all__ = ["EnvFile", "Interpolator", "InterpolationTooLarge", "failure", "parse_env_file"]

_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_BRACED = re.compile(r"\$\{([_a-zA-Z][_a-zA-Z0-9]*(?::?[-+?].*)?)\}")
"""compose-go's ``substitutionBraced`` in its pattern: ``.*`` greedy, and not across a line."""
# Operators in compose-go's order of precedence when several occur (getSubstitutionFunction…).
_OPERATORS = (":?", "?", ":-", "-", ":+", "+")


class InterpolationTooLarge(Exception):
    """Substitution would add more than the budget's bytes to the file."""


@dataclass
class Interpolator:
    """Substitutes variables in every string of a parsed Compose document."""

    variables: Mapping[str, str]
    budget: int = 16 * 1024 * 1024
    """Bytes of variable values that may be substituted in all, before InterpolationTooLarge."""
    missing: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """(variable, where, keys of the field) for every unset variable met without a default."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(variable, message) for every ``${VAR:?message}`` whose variable was unset, and every
    malformed ``${…}`` (variable "" then)."""
    hidden: Mapping[str, set[str]] = field(default_factory=dict)
    """Secret values inside variables not named as secrets, by variable: what an env file's
    ``URL=postgres://app:${DB_PASSWORD}@db/app`` took from ``DB_PASSWORD`` (:class:`EnvFile`)."""
    secrets: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    """Values of secret-named variables substituted (and the secrets hidden in others), by the
    keys of the field they landed in (``("services", "web", "command")``; a list's items count
    as the list), for :meth:`seal`."""
    _field: tuple[str, ...] = ()

    def apply(self, value: Any, where: str = "", path: tuple[str, ...] = ()) -> Any:
        """``value`` with every string interpolated; ``where`` names the field for reports,
        ``path`` is its keys (list items count as their list)."""
        if isinstance(value, str):
            self._field = path
            return self.substitute(value, where) if "$" in value else value
        if isinstance(value, dict):
            return {
                k: self.apply(v, f"{where}.{k}" if where else k, (*path, str(k)))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.apply(v, f"{where}[{i}]", path) for i, v in enumerate(value)]
        return value

    def seal(self, section: str, name: str, body: Any, keeper: Digester) -> Any:
        """``body``, the redacted object ``name`` of a top-level ``section`` (``services``,
        ``configs``…), with every secret value substituted into one of its fields digested in
        that field, wherever in it the value stands. A field redaction reshaped (``environment``
        given as a list becomes a map) is sealed whole. Digests already there are kept as they
        are: a value redaction digested is not there raw any more."""
        for path, values in self.secrets.items():
            if path[:2] == (section, name):
                body = _at(
                    body, path[2:], partial(_digest_in, pattern=_pattern(values), keeper=keeper)
                )
        return body

    def substitute(self, text: str, where: str) -> str:
        """One string, left to right, as compose-go's ``SubstituteWithOptions``."""
        out: list[str] = []
        at = 0
        while (dollar := text.find("$", at)) != -1:
            out.append(text[at:dollar])
            at = self._one(text, dollar, where, out)
        out.append(text[at:])
        return "".join(out)

    def _one(self, text: str, dollar: int, where: str, out: list[str]) -> int:
        """Substitute the expression starting at ``dollar`` into ``out``; the index after it."""
        after = text[dollar + 1 : dollar + 2]
        if after == "$":
            out.append("$")
            return dollar + 2
        if after == "{":
            close = _closing_brace(text, dollar)
            if close == -1:
                return self._unbalanced(text, dollar, where, out)
            out.append(self._braced(text[dollar + 2 : close], where))
            return close + 1
        name = _NAME.match(text, dollar + 1)
        if name is None:
            out.append("$")  # not a template: compose-go's pattern leaves it as it is
            return dollar + 1
        out.append(self._lookup(name.group(), where))
        return name.end()

    def _unbalanced(self, text: str, dollar: int, where: str, out: list[str]) -> int:
        """Braces that do not balance (``${CONFIG:-{}}``: the brace after each ``{`` is skipped
        in the count): compose-go then substitutes what its pattern matched, up to the last
        ``}`` of the line, and fails only where no ``}`` follows."""
        match = _BRACED.match(text, dollar)
        if match is None:
            self.failed.append(("", f"invalid template {text!r} (no closing brace)"))
            out.append(text[dollar:])
            return len(text)
        out.append(self._braced(match.group(1), where))
        return match.end()

    def _braced(self, body: str, where: str) -> str:
        name = _NAME.match(body)
        if name is None:
            self.failed.append(("", f"invalid template ${{{body}}}"))
            return ""
        rest = body[name.end() :]
        if not rest:
            return self._lookup(name.group(), where)
        op = next((o for o in _OPERATORS if rest.startswith(o)), None)
        if op is None:
            self.failed.append((name.group(), f"invalid template ${{{body}}}"))
            return ""
        return self._operator(name.group(), op, rest[len(op) :], where)

    def _operator(self, name: str, op: str, arg: str, where: str) -> str:
        value = self.variables.get(name)
        absent = value is None or (op.startswith(":") and value == "")
        if op.endswith("-"):
            return self.substitute(arg, where) if absent else self._spend(name, value or "")
        if op.endswith("+"):
            return self._spend(name, value or "") if absent else self.substitute(arg, where)
        if absent:
            self.failed.append(
                (name, self.substitute(arg, where) or "required variable is not set")
            )
            return ""
        return self._spend(name, value or "")

    def _lookup(self, name: str, where: str) -> str:
        value = self.variables.get(name)
        if value is None:
            self.missing.append((name, where, self._field))
            return ""
        return self._spend(name, value)

    def _spend(self, name: str, value: str) -> str:
        self.budget -= len(value)
        if self.budget < 0:
            raise InterpolationTooLarge("variable values substituted past the budget")
        if secret_name(name) and value.strip() and not harmless(value, name):
            self.secrets.setdefault(self._field, set()).add(value)
        elif name in self.hidden:
            self.secrets.setdefault(self._field, set()).update(self.hidden[name])
        return value


_DIGEST = re.escape(SECRET_PREFIX) + "[0-9a-f]{64}"


def _pattern(values: set[str]) -> re.Pattern[str]:
    """Digests already made (group 1, kept), else any of ``values``, the longest first."""
    longest = sorted(values, key=len, reverse=True)
    return re.compile(f"({_DIGEST})|" + "|".join(re.escape(v) for v in longest))


def _at(node: Any, keys: tuple[str, ...], change: Callable[[Any], Any]) -> Any:
    """``node`` with ``change`` applied at ``keys``, or at the deepest of them it has."""
    if keys and isinstance(node, dict) and keys[0] in node:
        return {**node, keys[0]: _at(node[keys[0]], keys[1:], change)}
    return change(node)


def _digest_in(node: Any, pattern: re.Pattern[str], keeper: Digester) -> Any:
    """``node`` with each match of ``pattern`` in its strings (map keys too) digested."""
    if isinstance(node, str):
        return pattern.sub(lambda m: m.group(1) or keeper.digest(m.group()), node)
    if isinstance(node, dict):
        return {
            _digest_in(k, pattern, keeper): _digest_in(v, pattern, keeper) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_digest_in(item, pattern, keeper) for item in node]
    return node


def failure(variable: str, message: str) -> str:
    """One of :attr:`Interpolator.failed` as an error says it: a malformed template has no
    variable to name."""
    return f"{variable}: {message}" if variable else message


def _closing_brace(text: str, dollar: int) -> int:
    """Index of the brace closing the ``${`` at ``dollar``, or -1: compose-go's
    ``getFirstBraceClosingIndex``, including its skip of the character after each ``{``."""
    depth = 0
    at = dollar
    while at < len(text):
        char = text[at]
        if char == "}":
            depth -= 1
            if depth == 0:
                return at
        if char == "{":
            depth += 1
            at += 1
        at += 1
    return -1


@dataclass
class EnvFile:
    """An env file's variables, the ``${VAR:?message}`` in its values that failed, and the
    secret values its values took from other variables (:attr:`Interpolator.hidden`)."""

    variables: dict[str, str]
    failed: list[tuple[str, str]]
    hidden: dict[str, set[str]]


def parse_env_file(
    text: str, lookup: Mapping[str, str] | None = None, hidden: Mapping[str, set[str]] | None = None
) -> EnvFile:
    """``KEY=VALUE`` lines as Compose reads them: comments, ``export``, single/double quotes,
    and variables interpolated in unquoted and double-quoted values, from ``lookup`` first,
    then the file's earlier lines (compose-go ``dotenv`` at the commit above: parser.go
    ``parse`` and ``extractVarValue``, godotenv.go ``ExpandVariables``); single-quoted values
    are literal, and a ``KEY`` line alone takes its value from ``lookup``. ``hidden``: secrets
    inside ``lookup``'s variables. InterpolationTooLarge when expansion passes the budget."""
    lookup = lookup or {}
    out: dict[str, str] = {}
    found: dict[str, set[str]] = {}
    interpolator = Interpolator(
        ChainMap(dict(lookup), out), hidden=ChainMap(found, dict(hidden or {}))
    )
    for raw in text.split("\n"):  # lines end at a newline only, as compose-go's parser reads
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").strip().partition("=")
        key, value = key.strip(), value.strip()
        if not sep:
            if key in lookup:
                out[key] = lookup[key]
            continue
        out[key] = _expanded(interpolator, key, value, found)
    return EnvFile(out, interpolator.failed, found)


def _expanded(interpolator: Interpolator, key: str, value: str, found: dict[str, set[str]]) -> str:
    """One env file value, interpolated unless single-quoted; the secrets it took are noted
    in ``found`` as hidden in ``key``, for the lines and files that use it."""
    literal = _unquote(value)
    if "$" not in literal or value.startswith("'"):
        return literal
    interpolator.secrets.clear()
    expanded = interpolator.substitute(literal, key)
    taken = set().union(*interpolator.secrets.values())
    if taken:
        found[key] = taken
    return expanded


def _unquote(value: str) -> str:
    """A value without its quotes: a quoted value ends at its first unescaped closing quote,
    and what follows it on the line (``"db" # the host``) is not part of it (compose-go
    ``extractVarValue``,
    https://github.com/compose-spec/compose-go/blob/042173482969cd44087fbc45b1f2f48d01b2d9c8/dotenv/parser.go)."""
    end = _closing_quote(value)
    if end > 0:
        inner = value[1:end]
        return inner.replace("\\n", "\n") if value[0] == '"' else inner
    # An unquoted value ends at an inline comment preceded by whitespace.
    return re.split(r"\s+#", value, maxsplit=1)[0]


def _closing_quote(value: str) -> int:
    """The index of the quote closing a quoted value, -1 when it is not quoted or not closed."""
    if not value or value[0] not in "'\"":
        return -1
    return next(
        (i for i in range(1, len(value)) if value[i] == value[0] and value[i - 1] != "\\"), -1
    )
