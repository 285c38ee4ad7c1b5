"""User ignore rules, in the style of Argo CD's ``ignoreDifferences``.

A ``stateward.yaml`` may hold::

    ignoreDifferences:
      - group: apps            # globs; "" is the core group; absent means any
        kind: Deployment
        name: "web-*"
        namespace: shop
        jsonPointers: [/spec/replicas]
        jqPathExpressions:
          - .spec.template.spec.containers[] | select(.name == "app") | .env
        managedFieldsManagers: [kube-controller-manager]   # fields live gives these managers

jq paths in the subset most rules use (``.a.b``, ``."a.b"``, ``.a["b"]``, ``.a[0]``, ``.a[]``
and ``| select(.x.y == <literal>)``) are walked here, fast; any other expression (``[]?``,
``select(... or ...)``, functions) is run by real jq (the ``jq`` package, libjq) as
``path(EXPR)``, which is how Argo CD applies one too: it deletes ``del(EXPR)`` with gojq
(``jqNormalizerPatch``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/util/argo/normalizers/diff_normalizer.go#L66,
and https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/). An expression jq cannot
compile is refused when the file is read, naming the rule, rather than silently matching nothing.

The file's top level holds ``ignoreDifferences`` and the other sections Stateward reads
(``evidence``, ``host``); an unknown key is an error, as a misspelt section would otherwise be
ignored.
An Argo CD ``Application`` may be given instead: its ``spec.ignoreDifferences`` are the rules.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jq  # type: ignore[import-not-found]  # a compiled libjq binding without type stubs

from stateward.config import read_yaml
from stateward.errors import InputError
from stateward.model.pointer import split
from stateward.model.resource import ResourceKey

__all__ = [
    "Each",
    "IgnoreRule",
    "Index",
    "Jq",
    "Key",
    "Select",
    "Step",
    "load_rules",
    "parse_jq",
    "parse_rules",
]


@dataclass(frozen=True, slots=True)
class Key:
    """``.name``: a mapping key."""

    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """``[n]``: a list position (negative counts from the end)."""

    index: int


@dataclass(frozen=True, slots=True)
class Each:
    """``[]``: every item of a list or value of a mapping."""


@dataclass(frozen=True, slots=True)
class Select:
    """``select(.path == literal)``: keep the current values whose ``path`` equals ``literal``."""

    path: tuple[str, ...]
    literal: Any


Step = Key | Index | Each | Select


@dataclass(frozen=True, slots=True)
class Jq:
    """An expression outside the fast subset, run by libjq as ``path(EXPR)``."""

    text: str
    program: Any

    @classmethod
    def compile(cls, text: str, where: str) -> Jq:
        """The compiled expression; InputError with jq's own message when it does not compile."""
        try:
            return cls(text, jq.compile(f"path({text})"))
        except ValueError as exc:
            raise InputError(where, f"jq cannot compile {text!r}: {_first(exc)}") from None

    def paths(self, body: Any) -> list[list[Any]]:
        """Every path (keys and indexes) the expression selects in ``body``; none when jq
        stops with an error on this body (a type it cannot index), as a missing key gives."""
        try:
            return [p for p in self.program.input_value(body).all() if isinstance(p, list)]
        except ValueError:
            return []


def _first(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


JqPath = tuple[Step, ...] | Jq


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """Paths to leave out of the comparison for the objects the globs match."""

    group: str = "*"
    kind: str = "*"
    name: str = "*"
    namespace: str = "*"
    pointers: tuple[tuple[str, ...], ...] = ()
    """JSON pointers, already split into tokens."""
    jq_paths: tuple[JqPath, ...] = ()
    managers: tuple[str, ...] = ()
    """``managedFieldsManagers``: fields live's ``managedFields`` give to these are ignored."""

    def matches(self, key: ResourceKey) -> bool:
        """True when every glob matches the key."""
        return (
            fnmatch.fnmatchcase(key.group, self.group)
            and fnmatch.fnmatchcase(key.kind, self.kind)
            and fnmatch.fnmatchcase(key.name, self.name)
            and fnmatch.fnmatchcase(key.namespace, self.namespace)
        )


def load_rules(path: Path) -> tuple[IgnoreRule, ...]:
    """The ``ignoreDifferences`` rules of a ``stateward.yaml``; InputError names what is wrong."""
    data = read_yaml(path)
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        raise InputError(str(path), "expected a mapping at the top level")
    if data.get("kind") == "Application" and str(data.get("apiVersion", "")).startswith(_ARGO):
        spec = data.get("spec")
        items = spec.get("ignoreDifferences") if isinstance(spec, Mapping) else None
        return parse_rules([] if items is None else items, f"{path}: spec")
    unknown = sorted(str(k) for k in data if k not in SECTIONS)
    if unknown:
        raise InputError(
            str(path), f"unknown top-level key {unknown[0]!r} (known: {', '.join(SECTIONS)})"
        )
    items = data.get("ignoreDifferences")
    return parse_rules([] if items is None else items, str(path))


SECTIONS = ("evidence", "host", "ignoreDifferences")
"""The top-level keys of a ``stateward.yaml``."""
_ARGO = "argoproj.io/"


def parse_rules(items: Any, location: str) -> tuple[IgnoreRule, ...]:
    """Rules from the already-parsed ``ignoreDifferences`` list found at ``location``."""
    if not isinstance(items, list):
        raise InputError(location, "ignoreDifferences must be a list")
    return tuple(_rule(item, f"{location}: ignoreDifferences[{n}]") for n, item in enumerate(items))


_RULE_FIELDS = {
    "group", "kind", "name", "namespace", "jsonPointers", "jqPathExpressions",
    "managedFieldsManagers",
}  # fmt: skip


def _rule(item: Any, where: str) -> IgnoreRule:
    if not isinstance(item, Mapping):
        raise InputError(where, "each rule must be a mapping")
    unknown = sorted(set(item) - _RULE_FIELDS)
    if unknown:
        raise InputError(
            where, f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_RULE_FIELDS))})"
        )
    globs = {}
    for field in ("group", "kind", "name", "namespace"):
        value = item.get(field, "*")
        if not isinstance(value, str):
            raise InputError(where, f"{field} must be a string")
        globs[field] = value
    pointers = tuple(_pointer(p, where) for p in _strings(item, "jsonPointers", where))
    jq = tuple(_jq_path(text, where) for text in _strings(item, "jqPathExpressions", where))
    managers = tuple(_strings(item, "managedFieldsManagers", where))
    if not pointers and not jq and not managers:
        raise InputError(
            where, "a rule needs jsonPointers, jqPathExpressions or managedFieldsManagers"
        )
    return IgnoreRule(**globs, pointers=pointers, jq_paths=jq, managers=managers)


def _jq_path(text: str, where: str) -> JqPath:
    """The fast subset's steps, else the expression compiled by jq."""
    try:
        return parse_jq(text, where)
    except InputError:
        return Jq.compile(text, where)


def _pointer(text: str, where: str) -> tuple[str, ...]:
    try:
        return tuple(split(text))
    except InputError as exc:
        raise InputError(where, f"{exc.location}: {exc.reason}") from None


def _strings(item: Mapping[str, Any], field: str, where: str) -> list[str]:
    values = item.get(field) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(where, f"{field} must be a list of strings")
    return values


_TOKEN = re.compile(
    r"""\s*(?:
      \.(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    | \.(?P<quoted>"(?:[^"\\]|\\.)*")
    | \[\s*(?P<bracket>"(?:[^"\\]|\\.)*")\s*\]
    | \[\s*(?P<index>-?[0-9]+)\s*\]
    | (?P<each>\[\s*\])
    | (?P<pipe>\|)
    | select\(\s*(?P<sel_path>(?:\.[A-Za-z_][A-Za-z0-9_-]*)+)\s*==\s*
      (?P<sel_lit>"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?|true|false|null)\s*\)
    )""",
    re.VERBOSE,
)


def parse_jq(text: str, where: str = "jq path") -> tuple[Step, ...]:
    """Steps of one jq-like path; InputError at the first thing outside the supported subset."""
    steps: list[Step] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if not found or found.end() == pos:
            raise InputError(
                where, f"unsupported jq syntax at {text[pos : pos + 20]!r} in {text!r}"
            )
        pos = found.end()
        if found["pipe"] is None:
            steps.append(_step(found))
    if not steps:
        raise InputError(where, f"empty jq path {text!r}")
    return tuple(steps)


def _step(found: re.Match[str]) -> Step:
    if found["ident"] is not None:
        return Key(found["ident"])
    if found["quoted"] is not None or found["bracket"] is not None:
        return Key(json.loads(found["quoted"] or found["bracket"]))
    if found["index"] is not None:
        return Index(int(found["index"]))
    if found["each"] is not None:
        return Each()
    return Select(tuple(found["sel_path"].split(".")[1:]), json.loads(found["sel_lit"]))
