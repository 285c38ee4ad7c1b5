"""An observation built from normalized views kept as bytes (a watch's later batches) is the
observation built by normalizing afresh; a view is computed again when what it depends on
changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.api import observe
from stateward.api._observe import observation_of
from stateward.model.derived import KeptViews
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.manifests import resource_key

from .test_corpus import CORPORA, CORPUS

KUBERNETES = [c for c in CORPORA if c != "awesome-compose"]


def _again(resources: list[Resource]) -> list[Resource]:
    """The same objects read anew: nothing derived yet."""
    return [Resource(r.key, r.body, r.origin, r.canonical, r.digest) for r in resources]


def _as_dicts(observation: Observation) -> tuple[list[object], list[object]]:
    return ([c.as_dict() for c in observation.components],
            [f.as_dict() for f in observation.findings])  # fmt: skip


@pytest.mark.skipif(not KUBERNETES, reason=f"SHARED CORPUS MISSING at {CORPUS}")
@pytest.mark.parametrize("corpus", KUBERNETES)
def test_kept_views_build_the_observation_normalizing_afresh_builds(
    corpus: str, tmp_path: Path
) -> None:
    read = observe([str(CORPUS / corpus)], estate=corpus, keeper=SecretKeeper.at(tmp_path / "k"))
    fresh = observation_of(corpus, [corpus], _again(read.resources))
    views = KeptViews()
    views.keep(fresh.resources)
    assert views.views, "the corpus has workloads: their views are kept"
    later = _again(read.resources)
    views.give(later)
    given = [r for r in later if r.derived]
    assert given and all(isinstance(v, bytes) for r in given for v in r.derived.values())
    assert _as_dicts(observation_of(corpus, [corpus], later)) == _as_dicts(fresh)


def _object(body: dict[str, object]) -> Resource:
    name = body["metadata"]["name"]  # type: ignore[index]
    return Resource.of(resource_key(body), body, Origin("kube", f"kube://#{name}"))


DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "checkout", "namespace": "shop"},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout"}},
             "template": {"metadata": {"labels": {"app": "checkout"}},
                          "spec": {"containers": [{"name": "app", "image": "shop/checkout:1"}]}}},
}  # fmt: skip
HPA = {
    "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "checkout", "namespace": "shop"},
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout"},
             "minReplicas": 2, "maxReplicas": 9},
}  # fmt: skip


def test_a_kept_view_is_computed_again_once_an_autoscaler_owns_the_replicas() -> None:
    views = KeptViews()
    alone = observation_of("shop", ["kube://"], [_object(DEPLOYMENT)])
    views.keep(alone.resources)
    later = [_object(DEPLOYMENT), _object(HPA)]
    views.give(later)
    assert later[0].derived, "the unchanged Deployment got its view kept"
    scaled = observation_of("shop", ["kube://"], later)
    afresh = observation_of("shop", ["kube://"], [_object(DEPLOYMENT), _object(HPA)])
    assert _as_dicts(scaled) == _as_dicts(afresh)
    assert _as_dicts(afresh)[0] != _as_dicts(alone)[0]  # the autoscaler's replicas differ
