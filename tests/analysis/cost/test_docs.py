"""docs/cost.md documents every classifier rule and every model parameter with its source."""

from __future__ import annotations

from pathlib import Path

from stateward.analysis.cost import PARAMETERS, RULES

DOC = (Path(__file__).resolve().parents[3] / "docs" / "cost.md").read_text(encoding="utf-8")


def test_every_rule_is_documented_with_its_source() -> None:
    for rule in RULES.values():
        row = next((line for line in DOC.splitlines() if line.startswith(f"| `{rule.id}` |")), "")
        assert rule.source in row, rule.id


def test_every_parameter_is_documented_with_its_figure() -> None:
    for name, doc in PARAMETERS.items():
        row = next((line for line in DOC.splitlines() if line.startswith(f"| `{name}` |")), "")
        assert doc.figure in row and doc.source in row, name
