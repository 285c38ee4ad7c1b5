"""Every file of the shared corpus loads; every workload and Compose service is a component."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stateward.api import observe
from stateward.model.change import Facet
from stateward.model.kubernetes import WORKLOAD_KINDS
from stateward.model.secrets import SecretKeeper

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPORA = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
# What the corpus READMEs and SOURCES.md say we must meet, nothing else.
UNSET_VARIABLES = {"awesome-compose": 15}  # ${VAR}s the upstream files leave to the user's shell
EXPECTED_ERRORS = {
    "istio-bookinfo": 1,  # two alternative VirtualServices named reviews
    "kubernetes-examples": 1,  # minio standalone vs distributed Service
}


def _expected_components(root: Path) -> int:
    """Counted independently with PyYAML: workload objects plus Compose services."""
    count = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if (
                isinstance(doc, dict)
                and isinstance(doc.get("services"), dict)
                and "kind" not in doc
            ):
                count += len(doc["services"])
            elif isinstance(doc, dict):
                items = doc.get("items") if str(doc.get("kind", "")).endswith("List") else [doc]
                count += sum(
                    1
                    for d in items or []
                    if isinstance(d, dict) and d.get("kind") in WORKLOAD_KINDS
                )
    return count


@pytest.mark.skipif(not CORPORA, reason=f"SHARED CORPUS MISSING at {CORPUS}")
@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_loads_into_components(corpus: str, tmp_path: Path) -> None:
    keeper = SecretKeeper.at(tmp_path / "k")
    obs = observe([str(CORPUS / corpus)], estate=corpus, keeper=keeper)
    assert len(obs.errors) == EXPECTED_ERRORS.get(corpus, 0), [e.diagnostics() for e in obs.errors]
    unset = {(f.evidence[0].rsplit(":", 1)[0], f.message.split(" variable ")[1].split()[0])
             for f in obs.findings if f.rule == "COMPOSE_VARIABLE_UNSET"}  # fmt: skip
    assert len(unset) == UNSET_VARIABLES.get(corpus, 0), sorted(unset)  # (file, variable)
    duplicates = sum("duplicate object" in e.reason for e in obs.errors if "Service/" not in e.reason
                     and "VirtualService" not in e.reason)  # fmt: skip
    assert len(obs.components) == _expected_components(CORPUS / corpus) - duplicates
    facets = {str(f) for f in Facet} | {"writable_layer"}
    for component in obs.components:
        assert set(component.context) <= facets, component.id
        if component.id.startswith("k8s:"):  # a pod template always has containers
            assert component.context["config"]["containers"], component.id
        assert component.context_fingerprint.startswith("sha256:")
        assert component.images, component.id
