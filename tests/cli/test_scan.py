"""The CLI end to end: scan documents, exit codes, and what reaches stdout and stderr."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def test_scan_json_document_is_stable_and_complete(tmp_path: Path) -> None:
    result = run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {
        "estate",
        "observation",
        "components",
        "changes",
        "findings",
        "errors",
        "audit",
    }
    audit = {c["id"]: c for c in doc["audit"]["components"]}
    assert audit["k8s:StatefulSet/shop/postgres"]["lifecycle"] == "persistent"
    assert audit["k8s:Deployment/shop/frontend"]["lifecycle"] == "ephemeral-safe"
    assert "k8s:Deployment/shop/catalog" in audit["k8s:StatefulSet/shop/postgres"]["dependents"]
    assert {f["rule"] for f in doc["findings"]} >= {"STS_VCT", "UNPINNED_IMAGE", "EMPTYDIR"}
    assert doc["estate"] == "shop" and doc["errors"] == [] and doc["changes"] == []
    first = doc["components"][0]
    assert set(first) >= {"id", "kind", "name", "namespace", "source", "binary_fingerprint",
                          "context_fingerprint", "images"}  # fmt: skip
    assert {c["id"] for c in doc["components"]} == {
        "k8s:Deployment/shop/frontend", "k8s:Deployment/shop/catalog", "k8s:Deployment/shop/cart",
        "k8s:Deployment/shop/checkout", "k8s:StatefulSet/shop/postgres", "k8s:Deployment/shop/redis",
        "k8s:CronJob/shop/nightly-report",
    }  # fmt: skip
    unpinned = {f["component"] for f in doc["findings"] if f["rule"] == "UNPINNED_IMAGE"}
    assert unpinned == {"k8s:Deployment/shop/checkout", "k8s:Deployment/shop/redis",
                        "k8s:CronJob/shop/nightly-report"}  # fmt: skip
    assert "observation #1" not in result.stdout + result.stderr  # -o json: the document alone


def test_in_flight_changes_are_same_binary_context_changed(tmp_path: Path) -> None:
    assert run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    result = run(
        tmp_path, "scan", str(SHOP / "live" / "production.yaml"), "--estate", "shop", "--json"
    )
    assert result.exit_code == 0, result.stderr
    changed = {
        c["component"]: (c["status"], c["facets"]) for c in json.loads(result.stdout)["changes"]
    }
    same = "same binary, context changed"
    assert changed == {
        "k8s:Deployment/shop/frontend": (same, ["env"]),
        "k8s:Deployment/shop/catalog": (same, ["secret"]),
        "k8s:StatefulSet/shop/postgres": (same, ["secret"]),
        "k8s:CronJob/shop/nightly-report": (same, ["secret"]),
        "k8s:Deployment/shop/checkout": (same, ["config"]),
        "k8s:Deployment/shop/cart": (same, ["mesh"]),
    }
    human = tmp_path / "human"
    run(human, "scan", str(SHOP / "production"), "--estate", "shop")
    result = run(human, "scan", str(SHOP / "live" / "production.yaml"), "--estate", "shop")
    assert "k8s:Deployment/shop/frontend: same binary, context changed (env)" in result.stdout


def test_exit_1_only_when_asked_to_fail_on_changes(tmp_path: Path) -> None:
    run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop")
    live = str(SHOP / "live" / "production.yaml")
    assert run(tmp_path, "scan", live, "--estate", "shop", "--fail-on-changes").exit_code == 1
    assert run(tmp_path, "scan", live, "--estate", "shop", "--fail-on-changes").exit_code == 0


def test_exit_2_on_input_errors_and_earlier_observations_survive(tmp_path: Path) -> None:
    run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.yaml").write_text("kind: [\n")
    (bad / "ok.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = run(tmp_path, "scan", str(bad), "--estate", "shop")
    assert result.exit_code == 2
    assert "Error: " in result.stderr and "broken.yaml:2: invalid YAML" in result.stderr
    history = json.loads(run(tmp_path, "history", "shop", "--json").stdout)
    assert [h["components"] for h in history] == [7, 0]
    first = json.loads(run(tmp_path, "show", "shop", "--at", history[0]["time"], "--json").stdout)
    assert len(first["components"]) == 7


def test_exit_2_on_usage_errors(tmp_path: Path) -> None:
    assert run(tmp_path, "scan", str(SHOP)).exit_code == 2  # --estate missing
    assert run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    result = run(tmp_path, "show", "nowhere")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: estate 'nowhere' has no observation. See `stateward estates`."
    )
    assert run(tmp_path, "show", "x", "--at", "yesterday").exit_code == 2


def test_exit_3_on_store_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(main, ["estates", "--store", str(blocker / "store")])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: there is no store at")
    result = CliRunner().invoke(main, ["scan", str(SHOP), "--estate", "x", "--store", str(blocker)])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: cannot open SQLite store")


def test_show_component_context_and_estates(tmp_path: Path) -> None:
    run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop")
    doc = json.loads(run(tmp_path, "show", "shop", "frontend", "--json").stdout)
    (frontend,) = doc["components"]
    assert frontend["context"]["env"]["server"]["LOG_LEVEL"] == {"value": "info"}
    assert frontend["context"]["scale"]["hpa"]["frontend"]["maxReplicas"] == 10
    assert json.loads(run(tmp_path, "estates", "--json").stdout)[0]["estate"] == "shop"


@pytest.mark.parametrize("command", ["scan", "estates", "history", "show"])
def test_every_command_documents_exit_codes(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Exit codes: 0 ok" in " ".join(result.stdout.split())


def test_the_table_counts_only_the_findings_the_audit_does_not_list(tmp_path: Path) -> None:
    """The observation holds the audit's findings too: a count of all of them above the audit's
    own count read as two answers to one question."""
    result = run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(
        run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop", "--json").stdout
    )

    def said(finding: dict[str, Any]) -> tuple[str, ...]:
        component = finding["component"]  # the audit's names the component by id and name
        ident = component["id"] if isinstance(component, dict) else component
        return (finding["rule"], ident, finding["path"], finding["message"])

    audited = {said(f) for f in doc["audit"]["findings"]}
    others = [f["rule"] for f in doc["findings"] if said(f) not in audited]
    assert others and len(others) < len(doc["findings"])
    expected = ", ".join(f"{rule} ×{others.count(rule)}" for rule in sorted(set(others)))
    assert f"{len(others)} findings besides the audit's below: {expected}" in result.output
    assert f"{len(doc['findings'])} findings" not in result.output
