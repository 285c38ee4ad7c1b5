"""Ground truth: every hand-checked finding of every shared corpus, no finding on a verified
absence, and every other finding justified."""

from __future__ import annotations

import pytest

from stateward.model.finding import Finding, Severity

from .truth import CORPORA, audited, corpus_names, places, score, target_holds_state, truth

CORPUS_DIRS = sorted(p.name for p in CORPORA.iterdir() if (p / "SOURCES.md").is_file())


def test_every_corpus_has_a_ground_truth() -> None:
    assert corpus_names() == CORPUS_DIRS


@pytest.mark.parametrize("corpus", CORPUS_DIRS)
def test_recall(corpus: str) -> None:
    result = score(corpus)
    assert result.expected, "a ground truth with nothing expected tests nothing"
    assert result.missed == []


@pytest.mark.parametrize("corpus", CORPUS_DIRS)
def test_no_finding_on_a_verified_absence(corpus: str) -> None:
    broken = [(f.rule, f.component, row) for f, row in score(corpus).violations]
    assert broken == []


@pytest.mark.parametrize("corpus", CORPUS_DIRS)
def test_every_other_finding_is_justified(corpus: str) -> None:
    loose = [(f.rule, f.component, f.path) for f in score(corpus).unjustified]
    assert loose == []


@pytest.mark.parametrize("corpus", CORPUS_DIRS)
def test_every_entry_cites_its_source_row(corpus: str) -> None:
    data = truth(corpus)
    for section in ("expected", "every_workload", "absent"):
        assert all(entry.get("row") for entry in data.get(section, [])), section
    assert all(entry.get("why") for entry in data.get("justified", []))


def test_every_row_is_reachable() -> None:
    # The otel-demo recommendation cache's only evidence is a YAML comment: the sources keep
    # comments as hints beside each object, so even that row is within reach.
    assert [(c, pair[1]) for c in CORPUS_DIRS for pair in score(c).unreachable] == []


@pytest.mark.parametrize("corpus", CORPUS_DIRS)
def test_audit_is_complete_on_the_corpora(corpus: str) -> None:
    assert audited(corpus).complete


def test_state_dependency_justification_is_checked_not_trusted() -> None:
    data, known = truth("otel-demo"), places("otel-demo")

    def on(target: str) -> Finding:
        return Finding("STATE_DEPENDENCY", Severity.INFO, "", "k8s:Deployment/default/frontend",
                       evidence=(target,))  # fmt: skip

    assert target_holds_state(on("k8s:Deployment/default/kafka"), data, known)
    assert not target_holds_state(on("k8s:Deployment/default/currency"), data, known)
