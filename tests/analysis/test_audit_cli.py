"""``stateward audit``: terminal, --json and --sarif output, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner, Result

from stateward.cli import main

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
CANARY = "canary-audit-5e1d-do-not-leak"
COMPOSE = f"""
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: {CANARY}
  api:
    image: example/api
    read_only: true
    environment:
      DATABASE_URL: postgres://db:5432/app
      API_SECRET: {CANARY}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["audit", *args])


def estate(tmp_path: Path) -> Path:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    return tmp_path


def test_terminal_report_names_classes_gravity_and_who_is_affected(tmp_path: Path) -> None:
    result = run(str(estate(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # the human report is data: on stdout
    project = tmp_path.name
    assert f"compose:{project}/db" in result.stdout and "persistent" in result.stdout
    assert "(loss data, gravity " in result.stdout  # db has no volume: replacing it loses data
    assert "Replacing db affects api." in result.stdout
    assert "high   DATA_IMAGE_NO_VOLUME" in result.stdout


def test_json_document(tmp_path: Path) -> None:
    result = run(str(estate(tmp_path)), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    by_name = {c["name"]: c for c in data["components"]}
    assert by_name["db"]["lifecycle"] == "persistent"
    assert (by_name["db"]["loss"], by_name["api"]["loss"]) == ("data", "none")
    assert by_name["db"]["gravity"] > by_name["api"]["gravity"] == 0
    assert by_name["api"]["depends_on"] == [by_name["db"]["id"]]
    rules = {(f["component"]["name"], f["rule"]) for f in data["findings"]}
    assert {("db", "DATA_IMAGE_NO_VOLUME"), ("api", "STATE_DEPENDENCY")} <= rules
    assert data["errors"] == []


def test_sarif_file_is_valid_and_nothing_leaks(tmp_path: Path) -> None:
    out = tmp_path / "out" / "audit.sarif"
    out.parent.mkdir()
    result = run(str(estate(tmp_path)), "--sarif", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    assert log["runs"][0]["tool"]["driver"]["name"] == "stateward-audit"
    assert CANARY not in result.stdout + result.stderr + out.read_text(encoding="utf-8")


def test_sarif_to_stdout(tmp_path: Path) -> None:
    result = run(str(estate(tmp_path)), "--sarif", "-")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["version"] == "2.1.0"


def test_exit_1_only_at_or_above_the_asked_severity(tmp_path: Path) -> None:
    assert run(str(estate(tmp_path)), "--fail-on", "high").exit_code == 1
    calm = tmp_path / "calm"
    calm.mkdir()
    pinned = "nginx@sha256:" + "0" * 64  # a tag would be an UNPINNED_IMAGE (low) finding
    (calm / "compose.yaml").write_text(
        f"services:\n  web:\n    image: {pinned}\n    read_only: true\n"
    )
    assert run(str(calm), "--fail-on", "low").exit_code == 0


def test_exit_2_on_bad_input_and_the_good_input_is_still_audited(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("kind: [\n", encoding="utf-8")
    (tmp_path / "db.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  template:\n"
        "    spec:\n      containers: [{name: db, image: 'mysql:8'}]\n",
        encoding="utf-8",
    )
    result = run(str(tmp_path), "--json")
    assert result.exit_code == 2
    assert "Error: " in result.stderr and "broken.yaml:2" in result.stderr
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["components"]] == ["k8s:Deployment/default/db"]
    assert data["errors"][0]["location"].endswith("broken.yaml:2")


def test_exit_2_on_usage_errors(tmp_path: Path) -> None:
    both = run(str(estate(tmp_path)), "--json", "--sarif", "-")
    assert both.exit_code == 2
    assert both.stderr.strip() == (
        "Error: --json and --sarif - both write to stdout. Give --sarif a FILE."
    )
    blocked = run(str(estate(tmp_path)), "--sarif", str(tmp_path / "compose.yaml" / "x"))
    assert blocked.exit_code == 2 and "cannot write SARIF to" in blocked.stderr
    assert run().exit_code == 2  # SOURCE... missing
    help_text = run("--help").stdout
    assert (
        "Audit SOURCE..." in help_text and "--sarif FILE" in help_text and "Exit codes" in help_text
    )


REFERENCES = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - {name: a, image: "nginx:1.25"}
      - name: b
        image: "nginx:1.25"
        env: [{name: X, valueFrom: {secretKeyRef: {name: gone, key: k}}}]
      volumes: [{name: s, secret: {secretName: opt, optional: true}}]
"""


def test_missing_references_are_reported_and_fail_the_run(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(REFERENCES, encoding="utf-8")
    result = run(str(tmp_path), "--json", "--fail-on", "medium")
    assert result.exit_code == 1, result.stderr
    found = [
        (f["rule"], f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"]
    ]
    missing = [f for f in found if f[0] == "MISSING_REFERENCE"]
    # The absent Secret of an env value is medium; the optional Secret volume is only info.
    assert sorted(s for _, s, _ in missing) == ["info", "medium"]
    assert "medium MISSING_REFERENCE" in run(str(tmp_path)).stdout
    # One image in two containers of one component: one finding.
    assert [f[0] for f in found].count("UNPINNED_IMAGE") == 1
