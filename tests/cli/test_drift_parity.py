"""``stateward drift`` and ``parity`` end to end on the example shop."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
PROD, STAGING, LIVE = (
    str(SHOP / "production"),
    str(SHOP / "staging"),
    str(SHOP / "live" / "production.yaml"),
)


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def test_drift_groups_the_in_flight_changes_by_component_and_facet(tmp_path: Path) -> None:
    result = run(tmp_path, "drift", PROD, LIVE, "--json")
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert {k: sorted(v) for k, v in doc["components"].items()} == {
        "k8s:Deployment/shop/frontend": ["env"],
        "k8s:Deployment/shop/catalog": ["secret"],
        "k8s:StatefulSet/shop/postgres": ["secret"],
        "k8s:CronJob/shop/nightly-report": ["secret"],
        "k8s:Deployment/shop/checkout": ["config"],
        "k8s:Deployment/shop/cart": ["mesh"],
    }
    assert doc["missing"] == [] and doc["extra"] == [] and doc["incomplete"] == []
    assert "drift found (strict mode): 5 changes" in run(tmp_path, "drift", PROD, LIVE).stdout


def test_no_drift_is_exit_0_and_sides_can_come_from_the_store(tmp_path: Path) -> None:
    assert run(tmp_path, "drift", PROD, PROD).exit_code == 0
    assert run(tmp_path, "scan", PROD, "--estate", "prod").exit_code == 0
    assert run(tmp_path, "scan", LIVE, "--estate", "prod-live").exit_code == 0
    assert run(tmp_path, "drift", "prod", PROD).exit_code == 0
    stored = run(tmp_path, "drift", "prod", "prod-live", "--json")
    assert stored.exit_code == 1
    assert len(json.loads(stored.stdout)["changes"]) == 5


def test_unknown_side_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "drift", "nowhere", PROD)
    assert result.exit_code == 2
    assert "'nowhere' is neither a path nor a recorded estate" in result.stderr


def test_ignore_rules_file_silences_named_paths(tmp_path: Path) -> None:
    rules = tmp_path / "stateward.yaml"
    rules.write_text(
        "ignoreDifferences:\n"
        "  - kind: Secret\n    jsonPointers: [/data/password]\n"
        "  - group: networking.istio.io\n    kind: DestinationRule\n    jsonPointers: [/spec/trafficPolicy]\n"
        "  - kind: ConfigMap\n    name: checkout-*\n    jsonPointers: [/data]\n"
        "  - group: apps\n    kind: Deployment\n    name: frontend\n"
        "    jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == \"server\") | .env']\n"
    )
    result = run(tmp_path, "drift", PROD, LIVE, "--rules", str(rules))
    assert result.exit_code == 0, result.stderr


def test_bad_rules_file_is_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("ignoreDifferences: {not: a list}\n")
    result = run(tmp_path, "drift", PROD, LIVE, "--rules", str(rules))
    assert result.exit_code == 2
    assert "ignoreDifferences must be a list" in result.stderr


def test_parity_sets_expected_differences_apart(tmp_path: Path) -> None:
    result = run(tmp_path, "parity", STAGING, PROD, "--policy", str(SHOP / "parity.yaml"), "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    by_name = {c["component"]: c for c in doc["components"]}
    assert by_name["Deployment/redis"]["status"] == "same"
    assert by_name["Deployment/frontend"]["status"] == "same binary, expected differences only"
    checkout = by_name["Deployment/checkout"]
    assert checkout["status"] == "same binary, different context"
    assert [c["path"] for c in checkout["unexpected"]] == ["/config/volumes/rules/data/rules.yaml"]
    reasons = {c["path"]: c["reason"] for c in checkout["expected"]}
    assert reasons["/env/checkout/PAYMENT_URL/value"] == "only host names differ"
    unexpected = [c["component"] for c in doc["components"] if c["unexpected"]]
    assert unexpected == ["Deployment/checkout"]


def test_parity_without_policy_reports_secrets_as_different_never_their_values(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "parity", STAGING, PROD, "--json")
    doc = json.loads(result.stdout)
    secrets = [
        c for comp in doc["components"] for c in comp["unexpected"] if c["facet"] == "secret"
    ]
    assert len(secrets) == 4
    assert all(
        c["before"].startswith("hmac-sha256:") and c["after"].startswith("hmac-sha256:")
        for c in secrets
    )
    assert (
        "c3RhZ2luZy1kYi1wYXNzd29yZA" not in result.stdout
        and "staging-db-password" not in result.stdout
    )


def test_parity_of_identical_estates_is_exit_0(tmp_path: Path) -> None:
    assert run(tmp_path, "parity", PROD, PROD).exit_code == 0


def test_bad_policy_is_exit_2(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("expected:\n  - facets: [colour]\n")
    result = run(tmp_path, "parity", STAGING, PROD, "--policy", str(policy))
    assert result.exit_code == 2
    assert "expected[0]: unknown facet 'colour'" in result.stderr


SARIF_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text()
)


def test_drift_and_parity_write_valid_sarif(tmp_path: Path) -> None:
    import jsonschema

    validator = jsonschema.Draft7Validator(SARIF_SCHEMA)
    drift_log, parity_log = tmp_path / "drift.sarif", tmp_path / "parity.sarif"
    assert run(tmp_path, "drift", PROD, LIVE, "--sarif", str(drift_log)).exit_code == 1
    assert run(tmp_path, "parity", STAGING, PROD, "--sarif", str(parity_log)).exit_code == 1
    for path in (drift_log, parity_log):
        log = json.loads(path.read_text())
        validator.validate(log)
    drift_rules = sorted(
        {r["ruleId"] for r in json.loads(drift_log.read_text())["runs"][0]["results"]}
    )
    assert drift_rules == ["DRIFT_CONFIG", "DRIFT_ENV", "DRIFT_MESH", "DRIFT_SECRET"]
    assert "hunter" not in drift_log.read_text() and "c2hvcC1kYi" not in drift_log.read_text()


def test_json_and_sarif_cannot_both_use_stdout(tmp_path: Path) -> None:
    result = run(tmp_path, "drift", PROD, LIVE, "--json", "--sarif", "-")
    assert result.exit_code == 2
    assert "--json and --sarif - both write to stdout" in result.stderr
