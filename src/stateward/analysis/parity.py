"""Parity: two estates compared component by component, expected differences set apart.

Components are matched by kind and name (the namespace or Compose project is the estate's, not
the component's). Their contexts are compared path by path after the estate's own namespace is
taken out of mesh-rule keys. A :class:`ParityPolicy` says which differences are expected —
replicas, resource sizes, hostnames in values, named env keys, whole facets — so what remains is
what nobody planned: "same binary, different context". Secrets are compared only through their
keyed digests: same or different, never a value.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stateward.analysis.changes import comparable
from stateward.config import read_yaml
from stateward.diff.components import diff_components
from stateward.errors import InputError
from stateward.model.change import Change, Facet
from stateward.model.component import Component
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.rule import Rule, facet_rules

__all__ = [
    "DEFAULT_POLICY",
    "PARITY_RULES",
    "ParityPolicy",
    "ParityReport",
    "PolicyRule",
    "load_policy",
    "parity",
]


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One expected difference: changes matching every given field are expected."""

    reason: str
    components: str = "*"
    """Glob over component names."""
    facets: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    """Globs over JSON pointers inside the context (``/scale/*``, ``/env/*/LOG_LEVEL/*``)."""
    env: tuple[str, ...] = ()
    """Environment variable names whose values may differ."""
    hostnames: bool = False
    """Values that differ only in host names (``https://sandbox.pay.example.com/v2``)."""

    def expects(self, component: str, change: Change) -> bool:
        """True when this rule explains ``change`` of ``component``."""
        if not fnmatch.fnmatchcase(component, self.components):
            return False
        if self.facets and str(change.facet) not in self.facets:
            return False
        if self.paths and not any(fnmatch.fnmatchcase(change.path, p) for p in self.paths):
            return False
        if self.env and not set(change.path.split("/")) & set(self.env):
            return False
        return not self.hostnames or _same_but_hosts(change.before, change.after)


@dataclass(frozen=True, slots=True)
class ParityPolicy:
    """The differences two estates are expected to have."""

    rules: tuple[PolicyRule, ...]
    prefixes: tuple[str, ...] = ()
    """kustomize ``namePrefix`` values the overlays add (``staging-``): left out of names."""
    suffixes: tuple[str, ...] = ()
    """kustomize ``nameSuffix`` values (``-prod``)."""

    def reason_for(self, component: str, change: Change) -> str | None:
        """Why ``change`` is expected, or None when it is not."""
        return next((r.reason for r in self.rules if r.expects(component, change)), None)

    def bare(self, name: str) -> str:
        """``name`` without the first listed prefix and suffix it carries: kustomize adds them
        to every object's name and to the references to them
        (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/nameprefix/)."""
        prefix = next((p for p in self.prefixes if name.startswith(p) and name != p), "")
        name = name[len(prefix) :]
        suffix = next((x for x in self.suffixes if name.endswith(x) and name != x), "")
        return name[: len(name) - len(suffix)]


DEFAULT_POLICY = ParityPolicy(
    (
        PolicyRule("replica counts differ by design", facets=("scale",)),
        PolicyRule("resource sizes differ by design", facets=("resources",)),
        PolicyRule(
            "volume sizes differ by design", paths=("/storage/*/resources/requests/storage",)
        ),
        PolicyRule("only host names differ", hostnames=True),
        PolicyRule(
            "running pod counts follow the replicas", paths=("/effective/pods", "/effective/*/pods")
        ),  # fmt: skip
    )
)


@dataclass(slots=True)
class ComponentParity:
    """How one component compares across the two estates."""

    name: str
    status: str
    """``same``, ``same binary, expected differences only``, ``same binary, different context``,
    ``different binary``, ``only in A`` or ``only in B``."""
    expected: list[tuple[Change, str]] = field(default_factory=list)
    unexpected: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "component": self.name,
            "status": self.status,
            "expected": [{**c.as_dict(), "reason": why} for c, why in self.expected],
            "unexpected": [c.as_dict() for c in self.unexpected],
        }


@dataclass(slots=True)
class ParityReport:
    """Every component of either estate and how it compares."""

    a: str
    b: str
    components: list[ComponentParity]
    origins: dict[str, str] = field(default_factory=dict)
    """Where each component's object was read in A (else B), by component name."""
    key_rotated: bool = False
    """The store's secret key was rotated between the estates: their secret digests do not
    compare (:func:`~stateward.analysis.changes.comparable`)."""

    @property
    def differs(self) -> bool:
        """True when something differs that the policy does not expect (not two secret digests
        made under different keys)."""
        return any(
            c.status.startswith(("only", "different")) or comparable(c.unexpected, self.key_rotated)
            for c in self.components
        )

    def findings(self) -> list[Finding]:
        """Unexpected differences and unmatched components as findings (for SARIF)."""
        out = []
        for c in self.components:
            if c.status.startswith("only"):
                out.append(
                    Finding(
                        "PARITY_UNMATCHED", Severity.MEDIUM, f"{c.name}: {c.status}",
                        component=c.name,
                    )
                )  # fmt: skip
            out.extend(
                Finding(
                    f"PARITY_{str(change.facet).upper()}",
                    Severity.MEDIUM,
                    f"{c.name}: {change.path} differs between {self.a} and {self.b}",
                    component=c.name,
                    path=change.path,
                    remedy=_REMEDY,
                )
                for change in c.unexpected
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form (``parity --json``)."""
        return {"a": self.a, "b": self.b, "differs": self.differs,
                "components": [c.as_dict() for c in self.components]}  # fmt: skip


_REMEDY = "Align the estates, or add the difference to the parity policy."
_PARITY = "https://12factor.net/dev-prod-parity"
PARITY_RULES = (
    *facet_rules(
        "PARITY", "{facet} differs between the estates",
        "The component's {facet} differs between the two estates and no policy rule expects "
        "it: what was tested is not what runs.",
        _REMEDY, _PARITY,
    ),
    Rule("PARITY_UNMATCHED", "Component in one estate only", Severity.MEDIUM,
         "Add the component to the other estate, or say why in the parity policy.",
         "A component runs in one estate and has no namesake in the other.", _PARITY),
)  # fmt: skip
"""The rules parity findings carry, described for SARIF."""


def parity(
    a: Observation,
    b: Observation,
    policy: ParityPolicy = DEFAULT_POLICY,
    *,
    key_rotated: bool = False,
) -> ParityReport:
    """Compare every component of ``a`` with its namesake in ``b`` (``key_rotated``: the store's
    secret key was rotated between the two, so secret digests that differ are no difference)."""
    left, right = _by_name(a.components, policy), _by_name(b.components, policy)
    origins = _origins(b, policy) | _origins(a, policy)
    report = ParityReport(a.estate, b.estate, [], origins, key_rotated)
    for name in sorted(left.keys() | right.keys()):
        one, other = left.get(name), right.get(name)
        if one is None or other is None:
            report.components.append(
                ComponentParity(name, f"only in {'B' if one is None else 'A'}")
            )
        else:
            pair = (_portable(one, name, a, policy), _portable(other, name, b, policy))
            report.components.append(_compare(name, *pair, policy))
    return report


def _origins(side: Observation, policy: ParityPolicy) -> dict[str, str]:
    read = {str(r.key): str(r.origin) for r in side.resources}
    return {
        name: read[c.resource]
        for name, c in _by_name(side.components, policy).items()
        if c.resource in read
    }


def _by_name(components: Iterable[Component], policy: ParityPolicy) -> dict[str, Component]:
    return {f"{c.kind}/{policy.bare(c.name)}": c for c in components}


def _compare(name: str, a: Component, b: Component, policy: ParityPolicy) -> ComponentParity:
    changes = diff_components(a, b)
    same_binary = a.binary_fingerprint == b.binary_fingerprint
    result = ComponentParity(name, "same" if same_binary else "different binary")
    for change in changes:
        reason = policy.reason_for(name, change)
        if reason is None:
            result.unexpected.append(change)
        else:
            result.expected.append((change, reason))
    if same_binary and result.unexpected:
        result.status = "same binary, different context"
    elif same_binary and result.expected:
        result.status = "same binary, expected differences only"
    return result


def _portable(
    component: Component, name: str, side: Observation, policy: ParityPolicy
) -> Component:
    """The component named ``name`` (kind and bare name), its namespace taken out of mesh-rule
    keys and the policy's name prefixes and suffixes out of the names of its estate's objects
    it refers to (``ConfigMap/staging-web-config`` reads ``ConfigMap/web-config``)."""
    context = dict(component.context)
    if policy.prefixes or policy.suffixes:
        renames = {r.key.name: policy.bare(r.key.name) for r in side.resources}
        context = _renamed(context, {k: v for k, v in renames.items() if k != v})
    mesh = context.get("mesh")
    if isinstance(mesh, Mapping):
        prefix = f"/{component.namespace}/"
        context["mesh"] = {str(k).replace(prefix, "/", 1): v for k, v in mesh.items()}
    return dataclasses.replace(component, id=name, context=context)


def _renamed(node: Any, renames: dict[str, str]) -> Any:
    """``node`` with each string that is a renamed object's name (alone or after ``Kind/``),
    as a key or a value, given its new name."""
    if isinstance(node, Mapping):
        return {_renamed(k, renames): _renamed(v, renames) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, renames) for v in node]
    if isinstance(node, str):
        head, slash, tail = node.rpartition("/")
        return head + slash + renames.get(tail, tail)
    return node


_URL_HOST = re.compile(r"(?<=://)[^/:@\s]+|^[a-z0-9-]+(\.[a-z0-9-]+)+$", re.IGNORECASE)


def _same_but_hosts(before: Any, after: Any) -> bool:
    if not (isinstance(before, str) and isinstance(after, str)) or before == after:
        return False
    return _URL_HOST.sub("<host>", before) == _URL_HOST.sub("<host>", after)


def load_policy(path: Path) -> ParityPolicy:
    """A parity policy file: ``expected:`` rules, plus the built-in ones unless ``defaults: false``."""
    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("expected", []), list):
        raise InputError(str(path), "a parity policy is a mapping with an `expected` list")
    rules = tuple(
        _rule(item, f"{path}: expected[{i}]") for i, item in enumerate(data.get("expected", []))
    )
    unknown = sorted(str(k) for k in data if k not in _POLICY_KEYS)
    if unknown:
        known = ", ".join(sorted(_POLICY_KEYS))
        raise InputError(str(path), f"unknown top-level key {unknown[0]!r} (known: {known})")
    return ParityPolicy(
        rules + (DEFAULT_POLICY.rules if data.get("defaults", True) else ()),
        _names(data, "namePrefix", path),
        _names(data, "nameSuffix", path),
    )


_POLICY_KEYS = {"expected", "defaults", "namePrefix", "nameSuffix"}


def _names(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    """A ``namePrefix``/``nameSuffix`` entry: one string or a list of them (one per overlay)."""
    value = data.get(key, [])
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise InputError(str(path), f"{key} must be a string or a list of strings")
    return tuple(sorted(values, key=len, reverse=True))  # the longest of overlapping ones first


_RULE_FIELDS = {"reason", "components", "facets", "paths", "env", "hostnames"}


def _rule(item: Any, where: str) -> PolicyRule:
    if not isinstance(item, dict) or not set(item) <= _RULE_FIELDS:
        raise InputError(where, f"a rule is a mapping of {', '.join(sorted(_RULE_FIELDS))}")
    facets = _strings(item, "facets", where)
    unknown = set(facets) - {str(f) for f in Facet}
    if unknown:
        raise InputError(where, f"unknown facet {sorted(unknown)[0]!r}")
    return PolicyRule(
        reason=str(item.get("reason", "expected by policy")),
        components=str(item.get("components", "*")),
        facets=facets,
        paths=_strings(item, "paths", where),
        env=_strings(item, "env", where),
        hostnames=bool(item.get("hostnames", False)),
    )


def _strings(item: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    """A list field of a rule (absent or null: empty); a string would be read letter by letter."""
    value = item.get(field)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(where, f"{field} must be a list")
    return tuple(str(v) for v in value)
