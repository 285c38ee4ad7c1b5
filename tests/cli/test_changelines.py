"""Drift lines a person can act on: object named, paths unescaped, long values elided."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from stateward.cli import main
from stateward.model.change import Change, Facet, Op
from stateward.report.changelines import MAX_VALUE, change_lines, readable_path, short_value

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def test_each_drift_line_names_the_resource(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["drift", str(SHOP / "production"), str(SHOP / "live" / "production.yaml"),
         "--store", str(tmp_path)],
        env={"NO_COLOR": "1", "COLUMNS": "300"},
    )  # fmt: skip
    assert "Secret/shop/db-credentials: /data/password changed: hmac-sha256:" in result.stdout
    assert (
        "Deployment.apps/shop/frontend: /spec/template/spec/containers/0/env/0/value changed"
        in (result.stdout)
    )


def test_paths_are_shown_unescaped() -> None:
    assert readable_path("/metadata/annotations/example.com~1owner") == (
        "/metadata/annotations/example.com/owner"
    )
    assert readable_path("/a~0b") == "/a~b"


def test_a_long_value_is_elided_in_the_middle_with_its_digest() -> None:
    text = "head-" + "x" * 500 + "-tail"
    shown = short_value(text)
    assert shown.startswith('"head-') and '-tail"' in shown and "…" in shown
    assert "(sha256:" in shown and len(shown) < MAX_VALUE + 30


@given(st.text(min_size=MAX_VALUE, max_size=300), st.text(min_size=1, max_size=5))
def test_long_values_that_differ_in_the_middle_still_read_differently(base: str, edit: str) -> None:
    middle = len(base) // 2
    other = base[:middle] + edit + base[middle:]
    assert short_value(base) != short_value(other)
    assert len(short_value(base)) <= MAX_VALUE + 30


def test_writable_layer_drift_is_listed_as_docker_diff_does() -> None:
    after = {
        "/tmp/dropped": {"op": "added", "type": "file"},
        "/etc/hosts": {"op": "changed", "type": "file"},
        "/var/cache/x": {"op": "deleted", "type": "file"},
    }
    change = Change("compose:shop/web", "/writable_layer", Facet.STORAGE, Op.CHANGED, {}, after)
    assert list(change_lines(change)) == [
        "compose:shop/web: writable layer C /etc/hosts",
        "compose:shop/web: writable layer A /tmp/dropped",
        "compose:shop/web: writable layer D /var/cache/x",
    ]


def test_the_summary_counts_what_ignore_rules_suppressed(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("ignoreDifferences:\n  - kind: Secret\n    jsonPointers: [/data/password]\n")
    result = CliRunner().invoke(
        main,
        ["drift", str(SHOP / "production"), str(SHOP / "live" / "production.yaml"),
         "--rules", str(rules), "--store", str(tmp_path / "s")],
        env={"NO_COLOR": "1", "COLUMNS": "300"},
    )  # fmt: skip
    assert "4 changes, 0 missing, 0 extra, 1 suppressed by ignore rules" in result.stdout
    assert "db-credentials" not in result.stdout


def test_side_by_side_puts_desired_and_live_on_one_row(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["drift", str(SHOP / "production"), str(SHOP / "live" / "production.yaml"),
         "--side-by-side", "--store", str(tmp_path)],
        env={"NO_COLOR": "1", "COLUMNS": "300"},
    )  # fmt: skip
    (row,) = [line for line in result.stdout.splitlines() if "httpCookie/name" in line]
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[1:] == [
        "DestinationRule.networking.istio.io/shop/cart: "
        "/spec/trafficPolicy/loadBalancer/consistentHash/httpCookie/name",
        '"shop-session"',
        '"shop-session-v2"',
    ]


def test_suppressed_counts_only_what_the_rules_hid(tmp_path: Path) -> None:
    # hpa-replicas: a real Deployment scaled by an HPA (tests/diff/fixtures/SOURCES.md); the
    # replicas the HPA owns are explained, not suppressed, even when the rule names only the
    # Deployment.
    case = Path(__file__).resolve().parents[1] / "diff" / "fixtures" / "hpa-replicas"
    rules = tmp_path / "rules.yaml"
    rules.write_text("ignoreDifferences:\n  - kind: Deployment\n    jsonPointers: [/nothing]\n")
    result = CliRunner().invoke(
        main,
        ["drift", str(case / "desired.yaml"), str(case / "live.yaml"), "--rules", str(rules),
         "--json", "--store", str(tmp_path / "s")],
    )  # fmt: skip
    assert json.loads(result.stdout)["suppressed"] == 0
