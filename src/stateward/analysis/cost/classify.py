"""The replacement classifier: for each change, in place or replace, and why.

A change's path is a JSON pointer into the component's context (see
:mod:`stateward.model.component`): ``/<facet>/<identity>/…``. The rule that applies depends on the
platform (Kubernetes workload kind, Compose service, engine container) and on the path; the rules
and their sources are in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stateward.analysis.cost.rules import RULES, Mode, Rule
from stateward.model.change import Change, Facet, Op
from stateward.model.component import Component

__all__ = ["Verdict", "classify", "component_mode", "pointer_tokens"]

_POD_MUTABLE = frozenset({"activeDeadlineSeconds", "terminationGracePeriodSeconds"})
_RESIZABLE = frozenset({"cpu", "memory"})
_COMPOSE_EXCLUDED_CONFIG = frozenset({"profiles"})
_ENGINE_UPDATABLE = frozenset({"mem_limit", "mem_reservation", "cpu_shares", "cpuset", "cpus"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one change is applied, by which rule."""

    change: Change
    rule: Rule

    @property
    def mode(self) -> Mode:
        """The mode of the deciding rule."""
        return self.rule.mode

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form (no values: they may be secret digests or large)."""
        return {
            "path": self.change.path,
            "facet": str(self.change.facet),
            "mode": str(self.rule.mode),
            "rule": self.rule.id,
            "why": self.rule.summary,
            "source": self.rule.source,
            "alternative": self.rule.alternative or None,
        }


def pointer_tokens(path: str) -> list[str]:
    """RFC 6901 §4: split a JSON pointer and unescape ``~1`` then ``~0``."""
    if not path:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in path.lstrip("/").split("/")]


def classify(change: Change, before: Component | None, after: Component | None) -> Verdict:
    """The verdict for one change of a component seen as ``before`` and ``after``."""
    component = after or before
    assert component is not None, "bad math: a change without a component"
    tokens = pointer_tokens(change.path)
    if change.facet is Facet.BINARY:
        tokens = ["binary", *tokens[1:]]  # the image list (``/images``) is the binary facet
    if component.kind == "ComposeService":
        rule_id = _compose(tokens)
    elif component.id.startswith("engine:"):
        rule_id = _engine(tokens)
    else:
        contexts = [c.context for c in (after, before) if c is not None]
        rule_id = _kubernetes(component.kind, tokens, contexts, change)
    return Verdict(change, RULES[rule_id])


def component_mode(verdicts: Sequence[Verdict]) -> Mode:
    """The dominant mode: one replacing change makes the whole component replace."""
    return max((v.mode for v in verdicts), key=lambda m: m.rank, default=Mode.IN_PLACE)


def _kubernetes(
    kind: str, tokens: list[str], contexts: list[Mapping[str, Any]], change: Change
) -> str:
    facet = tokens[0] if tokens else ""
    if facet == "metadata":
        return "K8S_METADATA"
    if facet == "mesh":
        return "MESH_REHASH" if "consistentHash" in tokens else "MESH_XDS"
    if facet == "scale":
        return "K8S_HPA" if len(tokens) > 1 and tokens[1] == "hpa" else "K8S_SCALE"
    if facet == "network" and (len(tokens) < 2 or tokens[1] != "ports"):
        return "K8S_OBJECT"
    if kind == "CronJob":
        return "K8S_JOB_NEXT_RUN"
    if kind == "Job":
        return "K8S_JOB_IMMUTABLE"
    found = _object_rule(facet, tokens, contexts)
    if found:
        return found
    if kind == "Pod":
        return _pod(facet, tokens, change)
    if facet == "resources":
        return "K8S_TEMPLATE_RESOURCES"
    return "K8S_TEMPLATE"


def _object_rule(facet: str, tokens: list[str], contexts: list[Mapping[str, Any]]) -> str:
    """Rules about objects the pod template refers to: their content changes outside it."""
    if facet in ("config", "secret") and len(tokens) >= 4 and tokens[1] == "volumes":
        if tokens[3] not in ("data", "keys"):
            return ""  # the reference itself (which ConfigMap) is in the template
        return "K8S_SUBPATH" if _sub_path(tokens[2], contexts) else "K8S_MOUNTED_OBJECT"
    if facet in ("env", "secret") and len(tokens) >= 4 and _from_object(tokens, contexts):
        return "K8S_ENV_FROM_OBJECT"
    if facet == "storage" and len(tokens) >= 2:
        if tokens[1] == "volumeClaimTemplates":
            return "K8S_STS_FORBIDDEN"
        if tokens[1] == "volumes" and tokens[3:5] == ["spec", "resources"]:
            return "K8S_PVC_EXPAND"
    return ""


def _from_object(tokens: list[str], contexts: list[Mapping[str, Any]]) -> bool:
    """True when the changed env entry takes its value from a ConfigMap or Secret (the value
    changed there), not when the entry's reference or literal value changed in the template."""
    if tokens[3] not in ("value", "digest", "keys"):
        return False
    for context in contexts:
        entry = _at(context, tokens[:3])
        if isinstance(entry, dict) and ({"configMap", "secret", "from"} & entry.keys()):
            return True
    return False


def _sub_path(volume: str, contexts: list[Mapping[str, Any]]) -> bool:
    for context in contexts:
        mounts = _at(context, ["storage", "mounts"])
        if not isinstance(mounts, dict):
            continue
        for per_container in mounts.values():
            if not isinstance(per_container, dict):
                continue
            for mount in per_container.values():
                if isinstance(mount, dict) and mount.get("name") == volume and mount.get("subPath"):
                    return True
    return False


def _pod(facet: str, tokens: list[str], change: Change) -> str:
    if facet == "binary":
        return "K8S_POD_IMAGE"
    if facet == "resources" and len(tokens) >= 4 and tokens[3] in _RESIZABLE:
        return "K8S_RESIZE"
    if facet == "config" and len(tokens) >= 3 and tokens[1] == "pod":
        if tokens[2] in _POD_MUTABLE or (tokens[2] == "tolerations" and _only_added(change)):
            return "K8S_POD_MUTABLE"
    return "K8S_POD_IMMUTABLE"


def _only_added(change: Change) -> bool:
    """Tolerations may be added to a running Pod, never removed or edited."""
    if change.op is not Op.CHANGED:
        return change.op is Op.ADDED
    before, after = change.before, change.after
    if isinstance(before, list) and isinstance(after, list):
        return all(t in after for t in before)
    return False


def _compose(tokens: list[str]) -> str:
    facet = tokens[0] if tokens else ""
    field = tokens[1] if len(tokens) > 1 else ""
    if facet == "scale" or (facet == "config" and field in _COMPOSE_EXCLUDED_CONFIG):
        return "COMPOSE_EXCLUDED"
    if facet == "resources":
        return "COMPOSE_RESOURCES"
    if facet in ("config", "secret") and field.startswith(("config:", "secret:")):
        return "COMPOSE_FILE_OBJECT"
    return "COMPOSE_HASH"


def _engine(tokens: list[str]) -> str:
    if tokens[:1] == ["resources"] and len(tokens) >= 2 and tokens[1] in _ENGINE_UPDATABLE:
        return "ENGINE_UPDATE"
    return "ENGINE_RECREATE"


def _at(node: Any, path: list[str]) -> Any:
    for part in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node
