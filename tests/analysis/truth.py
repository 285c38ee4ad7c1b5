"""Scoring the audit against the hand-checked ground truth of ../shared/corpus/*/SOURCES.md.

The tables are transcribed into ``groundtruth/<corpus>.yaml``, each entry quoting its source row:

``expected``: (component, rule) pairs the audit must report (recall);
``every_workload``: rules every workload (optionally of one platform or under one path) must have;
``absent``: verified absences — no finding of that rule (``*``: any rule, narrowed by ``only`` or
widened by ``except``), optionally only on some components;
``state_holders``: components a row says hold state through a finding that is not a state rule
(a bind the application writes), each quoting the row;
``justified``: findings outside the tables that are correct, each with the reason; a ``check``
entry makes the test verify the reason instead of trusting it.

A component is named by ``file`` (a path prefix relative to the corpus) and ``name``: ``Kind/name``
for Kubernetes objects, the service name or ``dir/service`` for Compose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from stateward.analysis.audit import AuditReport, audit
from stateward.analysis.audit.estate import build_estate
from stateward.api import observe
from stateward.model.finding import Finding
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TRUTH = Path(__file__).resolve().parent / "groundtruth"


def corpus_names() -> list[str]:
    """Every corpus that has a transcribed ground truth."""
    return sorted(p.stem for p in TRUTH.glob("*.yaml"))


@dataclass(frozen=True)
class Place:
    """Where a component or object was read: file relative to the corpus, and its labels."""

    file: str
    labels: frozenset[str]


@dataclass
class Score:
    """Outcome of one corpus."""

    corpus: str
    expected: list[tuple[str, str, str]] = field(default_factory=list)
    """(component label, rule, row) pairs the ground truth asks for."""
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    unreachable: list[tuple[str, str, str]] = field(default_factory=list)
    matched: list[Finding] = field(default_factory=list)
    justified: list[tuple[Finding, str]] = field(default_factory=list)
    unjustified: list[Finding] = field(default_factory=list)
    violations: list[tuple[Finding, str]] = field(default_factory=list)
    total: int = 0

    @property
    def recall(self) -> float:
        """Found expected pairs over all expected pairs (unreachable ones count as missed)."""
        found = len(self.expected) - len(self.missed) - len(self.unreachable)
        return found / len(self.expected) if self.expected else 1.0

    @property
    def reachable_recall(self) -> float:
        """Recall over the pairs whose evidence is in the parsed objects."""
        reachable = len(self.expected) - len(self.unreachable)
        return (reachable - len(self.missed)) / reachable if reachable else 1.0

    @property
    def precision(self) -> float:
        """Findings in the tables or justified, over all findings."""
        bad = len(self.unjustified) + len(self.violations)
        return (self.total - bad) / self.total if self.total else 1.0


@cache
def observed(corpus: str) -> Observation:
    """The corpus observed the way the CLI observes it."""
    return observe([str(CORPORA / corpus)], estate=corpus, keeper=SecretKeeper(b"k" * 32))


@cache
def audited(corpus: str) -> AuditReport:
    """The audit of one corpus."""
    return audit(observed(corpus))


@cache
def truth(corpus: str) -> dict[str, Any]:
    """The transcribed ground truth of one corpus."""
    data = yaml.safe_load((TRUTH / f"{corpus}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def places(corpus: str) -> dict[str, Place]:
    """Component id (or object id) -> where it was read and the labels it answers to."""
    observation = observed(corpus)
    root = str(CORPORA / corpus) + "/"
    found: dict[str, Place] = {}
    for workload in build_estate(observation).workloads:
        file = workload.resource.origin.location.rsplit(":", 1)[0].removeprefix(root)
        if workload.platform == "compose":
            labels = {workload.name, f"{file.rsplit('/', 1)[0]}/{workload.name}"}
        else:
            labels = {f"{workload.kind}/{workload.name}"}
        found[workload.id] = Place(file, frozenset(labels))
    for resource in observation.resources:
        file = resource.origin.location.rsplit(":", 1)[0].removeprefix(root)
        found.setdefault(
            str(resource.key), Place(file, frozenset({f"{resource.key.kind}/{resource.key.name}"}))
        )
    return found


def _where(finding: Finding, known: dict[str, Place]) -> Place:
    return known.get(finding.component or "") or known[finding.resource or ""]


def _names(entry: dict[str, Any]) -> list[str] | None:
    name = entry.get("name")
    if name is None or name == "*":
        return None
    return [name] if isinstance(name, str) else list(name)


def _covers(entry: dict[str, Any], place: Place) -> bool:
    file = entry.get("file")
    if file and not (place.file == file or place.file.startswith(file.rstrip("/") + "/")):
        return False
    names = _names(entry)
    return names is None or bool(place.labels.intersection(names))


def _rule_in(entry: dict[str, Any], rule: str) -> bool:
    wanted = entry.get("rule", "*")
    if wanted != "*":
        return bool(rule == wanted)
    if "only" in entry:
        return rule in entry["only"]
    return rule not in entry.get("except", [])


def score(corpus: str) -> Score:
    """Recall and precision of the audit on one corpus."""
    report, data, known = audited(corpus), truth(corpus), places(corpus)
    result = Score(corpus, total=len(report.findings))
    claimed: set[int] = set()
    for entry in _expected(data, known):
        hits = [
            i for i, f in enumerate(report.findings)
            if f.rule == entry["rule"] and _covers(entry, _where(f, known))
            and entry.get("path", "") in f.path
        ]  # fmt: skip
        pair = (entry["label"], entry["rule"], entry["row"])
        result.expected.append(pair)
        if entry.get("unreachable"):
            result.unreachable.append(pair)
        elif not hits:
            result.missed.append(pair)
        claimed.update(hits)
    for i, finding in enumerate(report.findings):
        place = _where(finding, known)
        broken = [
            e["row"]
            for e in data.get("absent", [])
            if _rule_in(e, finding.rule) and _covers(e, place)
        ]
        if broken:
            result.violations.append((finding, broken[0]))
        elif i in claimed:
            result.matched.append(finding)
        else:
            why = _justification(data, finding, place, report, known)
            if why:
                result.justified.append((finding, why))
            else:
                result.unjustified.append(finding)
    return result


def _expected(data: dict[str, Any], known: dict[str, Place]) -> list[dict[str, Any]]:
    """Expected entries, one per rule; ``every_workload`` expanded to each workload."""
    entries = [
        {**e, "rule": rule, "label": f"{e.get('file', '')}:{e['name']}"}
        for e in data.get("expected", [])
        for rule in e["rules"]
    ]
    for entry in data.get("every_workload", []):
        for ident, place in sorted(known.items()):
            platform = "compose" if ident.startswith("compose:") else "kubernetes"
            if not ident.startswith(("compose:", "k8s:")) or ident not in _workload_ids(known):
                continue
            if entry.get("platform", platform) != platform:
                continue
            if entry.get("file") and not place.file.startswith(entry["file"]):
                continue
            entries += [
                {"rule": rule, "row": entry["row"], "file": place.file,
                 "name": sorted(place.labels)[0], "label": ident}
                for rule in entry["rules"]
            ]  # fmt: skip
    return entries


def _workload_ids(known: dict[str, Place]) -> set[str]:
    return {k for k in known if k.startswith(("compose:", "k8s:"))}


def _justification(
    data: dict[str, Any],
    finding: Finding,
    place: Place,
    report: AuditReport,
    known: dict[str, Place],
) -> str:
    for entry in data.get("justified", []):
        if _rule_in(entry, finding.rule) and _covers(entry, place):
            if finding.rule == "STATE_DEPENDENCY" and not target_holds_state(finding, data, known):
                continue
            if finding.rule == "NO_PDB" and not _persistent(report, finding):
                continue
            return str(entry["why"])
    return ""


_STATE_RULES = frozenset(
    {"DATA_ON_EPHEMERAL", "DATA_IMAGE_NO_VOLUME", "IN_PROCESS_STORE", "SIDECAR_STATEFUL",
     "STS_NO_PERSISTENCE", "COMPOSE_NAMED_VOLUME", "PVC", "STS_VCT", "INLINE_CLOUD_DISK"}
)  # fmt: skip


def target_holds_state(finding: Finding, data: dict[str, Any], known: dict[str, Place]) -> bool:
    """The dependency's target is a component the ground truth lists with a state rule."""
    target = known.get(finding.evidence[0]) if finding.evidence else None
    if target is None:
        return False
    listed = any(_covers(e, target) for e in data.get("state_holders", []))
    return listed or any(
        _STATE_RULES.intersection(e["rules"]) and _covers(e, target)
        for e in data.get("expected", [])
    )


def _persistent(report: AuditReport, finding: Finding) -> bool:
    verdict = report.component(finding.component or "")
    return verdict is not None and str(verdict.lifecycle) == "persistent"
