"""SARIF 2.1.0 output, validated against the official OASIS schema (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from stateward.analysis.audit import RULES, audit
from stateward.api import observe
from stateward.model.finding import Finding, Severity
from stateward.model.secrets import SecretKeeper
from stateward.report.sarif import audit_sarif, to_sarif

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpus"

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def valid(log: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log


@pytest.mark.parametrize("corpus", sorted(p.parent.name for p in CORPORA.glob("*/SOURCES.md")))
def test_audit_of_every_corpus_is_valid_sarif(corpus: str) -> None:
    observation = observe([str(CORPORA / corpus)], estate=corpus, keeper=SecretKeeper(b"k" * 32))
    report = audit(observation)
    log = valid(json.loads(json.dumps(audit_sarif(report, tool_version="0.1.0"))))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(RULES)
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_levels_locations_and_unknown_rules() -> None:
    findings = [
        Finding(
            "X_HIGH", Severity.HIGH, "h", "k8s:Deployment/ns/a", "Deployment.apps/ns/a", "/spec"
        ),
        Finding("X_INFO", Severity.INFO, "i", None, "Service/ns/b", ""),
        Finding("X_LIVE", Severity.MEDIUM, "m", None, "Pod/ns/c", "/spec/containers/0"),
    ]
    origins = {
        "Deployment.apps/ns/a": "deploy/app server.yaml:12",
        "Service/ns/b": "/abs/path/svc.yaml:3",
        "Pod/ns/c": "engine://local/containers/c",
    }
    log = valid(to_sarif(findings, "stateward-test", [], origins=origins))
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "note", "warning"]
    first, second, third = (r["locations"][0] for r in results)
    assert first["physicalLocation"]["artifactLocation"]["uri"] == "deploy/app%20server.yaml"
    assert first["physicalLocation"]["region"] == {"startLine": 12}
    assert second["physicalLocation"]["artifactLocation"]["uri"] == "file:///abs/path/svc.yaml"
    assert "physicalLocation" not in third
    assert third["logicalLocations"][0]["fullyQualifiedName"] == "Pod/ns/c/spec/containers/0"
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == [
        "X_HIGH", "X_INFO", "X_LIVE"
    ]  # fmt: skip


def test_fingerprints_are_stable_and_distinct() -> None:
    a = Finding("R", Severity.LOW, "one", "c1", "r1", "/a")
    b = Finding("R", Severity.LOW, "other message", "c1", "r1", "/a")
    c = Finding("R", Severity.LOW, "one", "c1", "r1", "/b")
    prints = [
        r["partialFingerprints"]["stateward/v1"]
        for r in to_sarif([a, b, c], "t", [])["runs"][0]["results"]
    ]
    assert prints[0] == prints[1] != prints[2]


def test_the_schema_rejects_a_broken_log() -> None:
    log = to_sarif([Finding("R", Severity.LOW, "m")], "t", [])
    del log["runs"][0]["tool"]["driver"]["name"]
    assert list(VALIDATOR.iter_errors(log)), "the schema must catch a missing driver name"
