"""``Estate.of_kind`` within a namespace reads its own index, not a pass over every namespace
(the PDB rule asked it once per workload: quadratic at 100k objects). Same answer as the pass:
the namespace's resources of the kind, in estate order."""

from __future__ import annotations

from pathlib import Path

from stateward.analysis.audit.estate import build_estate
from stateward.api import observe
from stateward.model.secrets import SecretKeeper


def _pdb(name: str, namespace: str, app: str) -> str:
    return f"""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: {name}, namespace: {namespace}}}
spec: {{minAvailable: 1, selector: {{matchLabels: {{app: {app}}}}}}}
"""


def test_of_kind_in_a_namespace_is_the_pass_over_every_resource_of_the_kind(
    tmp_path: Path,
) -> None:
    docs = [
        _pdb("web", "a", "web"),
        _pdb("web", "b", "web"),
        _pdb("db", "a", "db"),
        _pdb("cache", "a", "cache"),
    ]
    (tmp_path / "pdbs.yaml").write_text("---\n".join(docs), encoding="utf-8")
    observation = observe([str(tmp_path)], estate="kinds", keeper=SecretKeeper(b"k" * 32))
    estate = build_estate(observation)
    every = estate.of_kind("PodDisruptionBudget")
    assert len(every) == 4
    for namespace in ("a", "b", "c"):
        expected = [r for r in every if r.key.namespace == namespace]
        assert estate.of_kind("PodDisruptionBudget", namespace) == expected
    assert [r.body["spec"]["selector"]["matchLabels"]["app"] for r in estate.of_kind(
        "PodDisruptionBudget", "a")] == ["web", "db", "cache"]  # fmt: skip
    assert estate.of_kind("Service", "a") == []
