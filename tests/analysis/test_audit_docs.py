"""Every rule is documented, and docs/rules.md is the catalogue's current output."""

from __future__ import annotations

import re
from pathlib import Path

from stateward.analysis.audit import RULES
from stateward.analysis.audit.catalog import rules_markdown

from .conftest import Auditor, rules_of
from .truth import CORPORA

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
# Vocabulary entries of the corpus README that are context, not findings (README: "informational
# context, not findings"; INIT_WAIT is the negative case).
NOT_FINDINGS = {"INIT_WAIT", "SINGLE_REPLICA", "MANUAL_REPLICAS", "AFFINITY", "PDB", "NODEPORT",
                "LOADBALANCER", "CONFIG_ONLY"}  # fmt: skip


def test_docs_are_generated_from_the_rules() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: python -m stateward.analysis.audit.catalog > docs/rules.md"
    )


def test_every_rule_has_a_sentence_of_its_own() -> None:
    for rule in RULES.values():
        assert rule.title and rule.title != rule.id and rule.title.endswith("."), rule.id
        assert f"`{rule.id}`" in rules_markdown()


def test_every_pattern_of_the_corpus_vocabulary_has_a_rule() -> None:
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    vocabulary = set(re.findall(r"^\| ([A-Z_]+(?: / [A-Z_]+)*) \|", readme, re.MULTILINE))
    patterns = {p for entry in vocabulary for p in entry.split(" / ")}
    patterns |= set(re.findall(r"\b(DOCKER_SOCKET|HOST_FS|HOST_NETWORK|PRIVILEGED)\b", readme))
    assert len(patterns) > 30
    assert patterns - NOT_FINDINGS - set(RULES) == set()


def test_the_plugin_example_in_the_docs_runs(audit_files: Auditor) -> None:
    text = DOCS.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    try:
        exec(
            compile(code, "docs/rules.md", "exec"), {}
        )  # our own documentation, run as a reader would
        report = audit_files(**{"compose.yaml": (
            "services:\n  app:\n    image: x\n    read_only: true\n"
            "    command: ['serve', '/srv/app.duckdb']\n")})  # fmt: skip
        assert rules_of(report, "app") == {"LOCAL_DUCKDB"}
        assert report.component(report.components[0].id).lifecycle == "persistent"  # type: ignore[union-attr]
    finally:
        RULES.pop("LOCAL_DUCKDB", None)
