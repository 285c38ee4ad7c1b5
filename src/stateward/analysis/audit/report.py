"""The audit's result: findings, and per component its class, gravity and dependencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from stateward.analysis.audit.interface import RULES, Effect, Lifecycle
from stateward.analysis.audit.lifecycle import Loss
from stateward.model.finding import Finding
from stateward.model.resource import Resource
from stateward.model.streamed import Streamed

__all__ = ["AuditReport", "ComponentAudit", "FORMAT_VERSION", "Origins"]

FORMAT_VERSION = 1
"""Version of the ``as_dict`` layout; bumped on any incompatible change."""


@dataclass(frozen=True, slots=True)
class ComponentAudit:
    """One component's verdict."""

    id: str
    name: str
    kind: str
    namespace: str
    lifecycle: Lifecycle
    loss: Loss
    """What a replacement destroys: ``none``, ``rebuildable`` or ``data``."""
    gravity: int
    """Persistence gravity 0-100: how hard it is to move (formula in
    :mod:`stateward.analysis.audit.lifecycle`)."""
    depends_on: tuple[str, ...]
    dependents: tuple[str, ...]
    deciding: tuple[str, ...]
    """Rule IDs of the findings that decided the class."""
    explanation: str

    def __reduce__(self) -> tuple[type[ComponentAudit], tuple[Any, ...]]:
        # rebuilt by __init__ from its fields in order (as Finding): a scan's forked audit
        # sends one for each workload
        return ComponentAudit, (
            self.id, self.name, self.kind, self.namespace, self.lifecycle, self.loss,
            self.gravity, self.depends_on, self.dependents, self.deciding, self.explanation,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "namespace": self.namespace,
            "lifecycle": str(self.lifecycle),
            "loss": str(self.loss),
            "gravity": self.gravity,
            "depends_on": list(self.depends_on),
            "dependents": list(self.dependents),
            "deciding": list(self.deciding),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything one audit found, components ordered by gravity (highest first)."""

    findings: tuple[Finding, ...]
    components: tuple[ComponentAudit, ...]
    names: dict[str, str]
    """Component id -> name, also for findings about objects that are not components."""
    complete: bool
    """False when a rule failed on some subject (an ``AUDIT_INCOMPLETE`` finding says where)."""
    origins: Mapping[str, str] = field(default_factory=dict)
    """Resource key -> where it was read (``path:line``), for reports that point into files."""
    effects: dict[Finding, Effect] = field(default_factory=dict)
    """What each finding says about state, where the audit decided other than its rule's
    default: a finding may say less (a read-only mount of another service's volume, a cache)."""

    def effect_of(self, finding: Finding) -> Effect:
        """The finding's effect: the one the audit gave it, else its rule's default."""
        decided = self.effects.get(finding)  # one hash of the finding: --json asks for each
        if decided is not None:
            return decided
        rule = RULES.get(finding.rule)
        return rule.effect if rule else Effect.CONTEXT

    def component(self, ident: str) -> ComponentAudit | None:
        """The verdict for one component id."""
        return next((c for c in self.components if c.id == ident), None)

    def findings_for(self, ident: str) -> list[Finding]:
        """Findings about one component."""
        return [f for f in self.findings if f.component == ident]

    def affected_by(self, ident: str) -> tuple[str, ...]:
        """Components that depend on ``ident``: "replacing db affects api, worker"."""
        verdict = self.component(ident)
        return verdict.dependents if verdict else ()

    def finding_dict(self, finding: Finding) -> dict[str, Any]:
        """A finding's JSON form with ``component`` as ``{id, name}``."""
        data = finding.as_dict()
        data["effect"] = str(self.effect_of(finding))
        ident = finding.component
        data["component"] = (
            {"id": ident, "name": self.names.get(ident or "", "")} if ident else None
        )
        return data

    def including(self, findings: Iterable[Finding]) -> AuditReport:
        """This report with the findings met while reading the estate (``MISSING_REFERENCE``,
        ``UNPINNED_IMAGE``) added, each once per component, rule and message: an image used by
        two containers of one component is one finding."""
        merged = {(f.component, f.rule, f.message): f for f in (*self.findings, *findings)}
        ordered = sorted(merged.values(), key=lambda f: (f.component or "", f.rule, f.path))
        return replace(self, findings=tuple(ordered))

    def as_dict(self, *, streamed: bool = False) -> dict[str, Any]:
        """Stable JSON form (``stateward audit --json``); with ``streamed``, its components and
        findings are :class:`~stateward.model.streamed.Streamed` lists, made as written."""
        listed: Callable[[Sequence[Any], Callable[[Any], Any]], Sequence[Any]]
        listed = Streamed if streamed else _listed
        return {
            "format": FORMAT_VERSION,
            "complete": self.complete,
            "summary": {
                "components": len(self.components),
                "lifecycle": dict(Counter(str(c.lifecycle) for c in self.components)),
                "loss": dict(Counter(str(c.loss) for c in self.components)),
                "findings": dict(sorted(Counter(f.rule for f in self.findings).items())),
            },
            "components": listed(self.components, ComponentAudit.as_dict),
            "findings": listed(self.findings, self.finding_dict),
        }


class Origins(Mapping[str, str]):
    """Resource key -> where it was read, of ``resources``, worked out when first read. A scan
    never reads them (only SARIF does): made by the audit and kept to the scan's end, the
    dictionary and a key string for each object were 6.8 MiB at 50k objects, their strings
    scattered over the arenas the audit had grown, keeping them resident under the record
    step's peak (tracemalloc, ``bench.scan_stages``)."""

    __slots__ = ("_found", "_resources")

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._resources: tuple[Resource, ...] | None = tuple(resources)
        self._found: dict[str, str] = {}

    def _made(self) -> dict[str, str]:
        if self._resources is not None:
            self._found = {str(r.key): r.origin.location for r in self._resources}
            self._resources = None
        return self._found

    def __reduce__(self) -> tuple[type[dict[str, str]], tuple[dict[str, str]]]:
        return dict, (self._made(),)  # a plain dictionary where it is sent: no resource goes

    def __getitem__(self, key: str) -> str:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def _listed(items: Sequence[Any], made: Callable[[Any], Any]) -> list[Any]:
    return [made(item) for item in items]
