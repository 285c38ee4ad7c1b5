"""``Estate.of_kind`` within a namespace reads its own index, not a pass over every namespace
(the PDB rule asked it once per workload: quadratic at 100k objects). Same answer as the pass:
the namespace's resources of the kind, in estate order."""

from __future__ import annotations

from pathlib import Path

from stateward.analysis.audit.estate import build_estate
from stateward.api import observe
from stateward.model.encoded import DeflatedBody
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


def test_of_kind_keeps_both_api_groups_of_one_name_where_named_keeps_the_first(
    tmp_path: Path,
) -> None:
    # A dump of an older cluster lists an Ingress under extensions and networking.k8s.io: two
    # keys (the group is part of one), one (kind, namespace, name).
    ingress = """\
apiVersion: {api}
kind: Ingress
metadata: {{name: shop, namespace: a}}
spec: {{rules: [{{host: {host}}}]}}
"""
    docs = [
        ingress.format(api="extensions/v1beta1", host="old.example"),
        ingress.format(api="networking.k8s.io/v1", host="new.example"),
    ]
    (tmp_path / "ingresses.yaml").write_text("---\n".join(docs), encoding="utf-8")
    observation = observe([str(tmp_path)], estate="groups", keeper=SecretKeeper(b"k" * 32))
    estate = build_estate(observation)
    both = estate.of_kind("Ingress", "a")
    assert sorted(r.key.group for r in both) == ["extensions", "networking.k8s.io"]
    first = estate.named("Ingress", "a", "shop")
    assert first is not None and first is both[0]


def test_the_indexes_of_every_service_and_volume_keep_no_body_decoded(tmp_path: Path) -> None:
    # services_at and the claimRef index read every Service and PersistentVolume once: kept
    # decoded, their bodies were all held to the audit's end (+30 MiB for a scan of 50k objects)
    docs = """\
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: a}
spec: {loadBalancerIP: 34.65.192.94, ports: [{port: 8100}], selector: {app: backend}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec: {capacity: {storage: 1Gi}, claimRef: {namespace: a, name: data}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: a}
spec: {resources: {requests: {storage: 1Gi}}}
"""
    (tmp_path / "estate.yaml").write_text(docs, encoding="utf-8")
    observation = observe([str(tmp_path)], estate="held", keeper=SecretKeeper(b"k" * 32))
    for resource in observation.resources:  # as a scan holds them: bytes, decoded if read
        object.__setattr__(resource, "body", DeflatedBody.of(resource.canonical))
    estate = build_estate(observation)
    (service,) = estate.services_at("34.65.192.94", "8100")
    assert service.key.name == "backend"
    assert estate.services_at("34.65.192.94", "8101") == []
    claim = estate.named("PersistentVolumeClaim", "a", "data")
    assert claim is not None
    volume = estate.volume_of_claim(claim)
    assert volume is not None and volume.key.name == "pv1"
    for kind in ("Service", "PersistentVolume"):
        (resource,) = estate.of_kind(kind)
        assert resource.body._decoded is None, kind  # type: ignore[attr-defined]
