"""Golden fixture pairs: real live objects against what was applied.

Each directory under ``fixtures/`` holds ``desired.yaml``, ``live.yaml`` (a real ``kubectl get -o
yaml`` dump or injector output; see ``fixtures/SOURCES.md``), ``expected.json`` and optionally a
``stateward.yaml`` with ignore rules. The expected changes are listed by hand from reading the
two files, not recorded from a run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stateward.diff import DiffResult, diff_resources, load_rules

from .conftest import FIXTURES, read_resources

CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").exists())


def _run(case: Path, mode: str) -> DiffResult:
    rules_file = case / "stateward.yaml"
    rules = load_rules(rules_file) if rules_file.exists() else ()
    desired = read_resources(case / "desired.yaml")
    live = read_resources(case / "live.yaml")
    return diff_resources(desired, live, mode=mode, rules=rules)


def _render(result: DiffResult) -> str:
    # Printed when a case fails, so the difference can be read without a debugger.
    lines = [f"{c.op:8} {c.facet:9} {c.subject} {c.path}" for c in result.changes]
    lines += [f"incomplete: {n.text}" for n in result.incomplete]
    lines += [f"finding: {f.message}" for f in result.findings]
    return "\n".join(lines) or "(no changes)"


def _triples(items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((i["op"], i["path"], i["facet"]) for i in items)


@pytest.mark.parametrize("mode", ["strict", "argo"])
@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str, mode: str) -> None:
    case = FIXTURES / name
    expected = json.loads((case / "expected.json").read_text())
    result = _run(case, mode)
    got = _triples([c.as_dict() for c in result.changes])
    assert got == _triples(expected[mode]), _render(result)
    assert not result.missing and not result.extra, _render(result)
    assert not result.incomplete and not result.findings, _render(result)
    assert len(result.injected) == expected.get("injected", 0), result.injected
    assert len(result.explained) == expected.get("explained", 0), result.explained


def test_every_builtin_normalizer_has_a_fixture_or_a_reason() -> None:
    # A new normalizer must come with a real-object fixture or be listed here
    # with the reason it has none yet.
    from stateward.normalize import BUILTIN_PIPELINE

    covered = {
        name.replace("-", ".", 1) if name.startswith("defaults-") else name for name in CASES
    }
    without_real_fixture = {
        "token-volume": "covered by the defaults-pod fixture (the live pod's token volume)",
        "defaults.hpa": "covered by the hpa-replicas fixture (reordered metrics)",
        "defaults.table": "covered by defaults-endpoints, -storageclass, -webhook(-v1beta1), -pvc, -cronjob",
        "served-version": "covered by the defaults-webhook-v1beta1 fixture (v1beta1 read as v1)",
    }
    for step in BUILTIN_PIPELINE:
        assert step.name in covered or step.name in without_real_fixture, step.name
