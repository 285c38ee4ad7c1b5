"""``stateward cost`` end to end: exit codes, JSON document, chart, bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner, Result

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[3] / "examples" / "shop"


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def plan_doc(tmp_path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    result = run(tmp_path, "cost", str(SHOP / "production"), "--plan",
                 str(SHOP / "live" / "production.yaml"), "--json", *extra)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_plan_json_prices_the_shop_in_flight_changes(tmp_path: Path) -> None:
    doc = plan_doc(tmp_path, "--deploys-per-day", "4")
    assert set(doc) == {"format", "deploys_per_day", "components", "per_deploy", "per_month",
                        "cheapest_per_deploy", "cheapest_per_month", "params", "errors"}  # fmt: skip
    modes = {c["component"]: c["mode"] for c in doc["components"]}
    assert modes == {
        "k8s:CronJob/shop/nightly-report": "next run",
        "k8s:Deployment/shop/cart": "in place",
        "k8s:Deployment/shop/catalog": "replace",
        "k8s:Deployment/shop/checkout": "in place",
        "k8s:Deployment/shop/frontend": "replace",
        "k8s:StatefulSet/shop/postgres": "replace",
    }
    rules = {c["component"]: {ch["rule"] for ch in c["changes"]} for c in doc["components"]}
    assert rules["k8s:Deployment/shop/checkout"] == {"K8S_MOUNTED_OBJECT"}
    assert rules["k8s:StatefulSet/shop/postgres"] == {"K8S_ENV_FROM_OBJECT"}
    frontend = next(c for c in doc["components"] if c["component"].endswith("frontend"))
    assert frontend["rollout"] == {
        "shape": "rolling",
        "replicas": 5,
        "max_surge": 2,
        "max_unavailable": 1,
    }
    assert (
        frontend["cheapest"]["strategy"] == "stagger"
        and frontend["cheapest"]["degraded_depth"] == 0
    )
    assert frontend["per_pod"] == {"pull_s": 0.0, "up_s": 5.0, "down_s": 30.0, "warm_up_tau_s": 0.0}
    postgres = next(c for c in doc["components"] if c["component"].endswith("postgres"))
    assert postgres["per_pod"]["up_s"] == 5.0 + 30.0  # start + moving its ReadWriteOnce claim
    assert postgres["lifecycle"] == "persistent" and postgres["backend_load_peak"] > 1
    assert doc["per_month"]["cpu_s"] == round(doc["per_deploy"]["cpu_s"] * 4 * 30, 2)
    assert (
        doc["cheapest_per_deploy"]["degraded_pod_minutes"]
        < doc["per_deploy"]["degraded_pod_minutes"]
    )
    assert "demo-payment-key-not-real" not in json.dumps(doc)


def test_human_report_goes_to_stdout_and_names_the_cheaper_path(tmp_path: Path) -> None:
    result = run(
        tmp_path, "cost", str(SHOP / "production"), "--plan", str(SHOP / "live" / "production.yaml")
    )
    assert result.exit_code == 0 and result.stderr == ""
    assert "cheaper: stagger" in result.stdout
    assert "per month (1/day), as planned" in result.stdout


def test_chart_is_well_formed_svg(tmp_path: Path) -> None:
    chart = tmp_path / "rollout.svg"
    plan_doc(tmp_path, "--chart", str(chart))
    root = ET.fromstring(chart.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) >= 2 * 3  # capacity and backend for every simulated component


def test_store_estate_latest_two_and_changes_range(tmp_path: Path) -> None:
    assert run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    assert (
        run(tmp_path, "scan", str(SHOP / "live" / "production.yaml"), "--estate", "shop").exit_code
        == 0
    )
    latest = run(tmp_path, "cost", "shop", "--json")
    ranged = run(tmp_path, "cost", "shop", "--changes", "1..2", "--json")
    assert latest.exit_code == 0 and ranged.exit_code == 0, latest.stderr + ranged.stderr
    assert json.loads(latest.stdout)["components"] == json.loads(ranged.stdout)["components"]
    same = run(tmp_path, "cost", "shop", "--changes", "2..2", "--json")
    assert same.exit_code == 0 and json.loads(same.stdout)["components"] == []


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    live = str(SHOP / "live" / "production.yaml")
    cases = [
        (["cost", str(SHOP / "production")], "is a location: say what to price"),
        (["cost", "nowhere"], "estate 'nowhere' has no observations"),
        (
            ["cost", "x", "--plan", live, "--changes", "1..2"],
            "--plan cannot be used with --changes",
        ),
        (["cost", "x", "--changes", "1-2"], "cannot read --changes '1-2'"),
        (
            ["cost", str(SHOP / "production"), "--plan", live, "--deploys-per-day", "-1"],
            "--deploys-per-day must be ≥ 0",
        ),  # fmt: skip
    ]
    assert run(tmp_path, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    for args, message in cases:
        result = run(tmp_path, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.startswith("Error:")
    # no store at all is a store error, and cost creates none (it only reads)
    missing = run(tmp_path / "none", "cost", "nowhere")
    assert missing.exit_code == 3 and missing.stderr.startswith("Error: there is no store at")
    assert not (tmp_path / "none").exists()


def test_bad_params_file_exits_2(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("hit_ratio: 2\n", encoding="utf-8")
    result = run(tmp_path, "cost", str(SHOP / "production"), "--plan", str(SHOP / "live" / "production.yaml"),
                 "--params", str(params))  # fmt: skip
    assert result.exit_code == 2 and "hit_ratio must be below 1" in result.stderr


def test_impossible_rollout_exits_2_after_pricing_the_rest(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, level in ((before, "info"), (after, "debug")):
        folder.mkdir()
        for name in ("frontend", "catalog"):
            text = (SHOP / "production" / f"{name}.yaml").read_text(encoding="utf-8")
            text = text.replace("value: info", f"value: {level}").replace(
                "value: catalog", f"value: {level}"
            )
            if name == "frontend":
                text = text.replace(
                    "  replicas: 3\n",
                    "  replicas: 3\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n",
                )
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = run(tmp_path, "cost", str(before), "--plan", str(after), "--json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [c["component"] for c in doc["components"]] == ["k8s:Deployment/shop/catalog"]
    assert "maxSurge and maxUnavailable are both 0" in result.stderr
    assert "frontend.yaml:" in doc["errors"][0]["location"]


def test_unknown_image_sizes_are_marked_estimates(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    text = (SHOP / "production" / "catalog.yaml").read_text(encoding="utf-8")
    for folder, tag in ((before, "1.9.0"), (after, "1.9.1")):
        folder.mkdir()
        changed = text.replace("shop-catalog:1.9.0@sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2d1e0f",
                               f"shop-catalog:{tag}")  # fmt: skip
        (folder / "catalog.yaml").write_text(changed, encoding="utf-8")
    result = run(tmp_path, "cost", str(before), "--plan", str(after), "--json")
    assert result.exit_code == 0, result.stderr
    (line,) = json.loads(result.stdout)["components"]
    assert line["bytes_estimated"] and line["size_sources"] == ["estimate"] and line["bytes"] > 0
    human = run(tmp_path, "cost", str(before), "--plan", str(after))
    assert "~ estimated: image sizes unknown" in human.stdout


MONGO = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: mongo, namespace: shop}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: mongo}}}}
  template:
    metadata: {{labels: {{app: mongo}}}}
    spec:
      containers:
      - name: mongo
        image: mongo:7
        env: [{{name: LOG_LEVEL, value: {level}}}]
"""


def test_a_replacement_that_destroys_data_says_so_and_offers_no_cheaper_path(
    tmp_path: Path,
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, level in ((before, "info"), (after, "debug")):
        folder.mkdir()
        (folder / "mongo.yaml").write_text(MONGO.format(level=level), encoding="utf-8")
    result = run(tmp_path, "cost", str(before), "--plan", str(after), "--json")
    assert result.exit_code == 0, result.stderr
    (mongo,) = json.loads(result.stdout)["components"]
    assert mongo["mode"] == "replace" and mongo["loss"] == "data"
    assert mongo["notes"][0].startswith("replacing it destroys data")
    assert [s["strategy"] for s in mongo["strategies"]] == ["as planned"]
    assert mongo["cheapest"]["strategy"] == "as planned"
    assert "cheaper:" not in result.stdout and "destroys data" in result.stdout
