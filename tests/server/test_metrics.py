"""``/metrics``: the store's figures in the Prometheus text format, as the API counts them,
behind a read token."""

from __future__ import annotations

from collections import Counter

import requests
from prometheus_client.parser import text_string_to_metric_families
from tests.server.conftest import Served


def scrape(served: Served) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    answer = requests.get(served.url + "/metrics", headers=served.auth(served.read), timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        family.name: {
            tuple(sorted(s.labels.items())): s.value
            for s in family.samples
            if not s.name.endswith("_created")  # a counter's start time, not its count
        }
        for family in text_string_to_metric_families(answer.text)
    }


def test_metrics_count_what_the_api_shows(served: Served) -> None:
    metrics = scrape(served)
    api = served.url + "/api/v1"
    headers = served.auth(served.read)
    observations = requests.get(
        api + "/estates/shop/observations", headers=headers, timeout=30
    ).json()
    assert metrics["stateward_observations"] == {(("estate", "shop"),): len(observations)}
    findings = requests.get(api + "/estates/shop/audit", headers=headers, timeout=30).json()[
        "findings"
    ]
    by_severity = metrics["stateward_findings"]
    assert sum(by_severity.values()) == len(findings)
    shown = Counter(f["severity"] for f in findings)
    assert {dict(labels)["severity"]: n for labels, n in by_severity.items()} == shown
    entries = observations[-1]["entry"] + 1
    assert metrics["stateward_ledger_entries"][()] >= entries
    assert metrics["stateward_ledger_checkpoint_entries"][()] >= 1
    assert metrics["stateward_observation_age_seconds"][(("estate", "shop"),)] >= 0
    assert metrics["stateward_components_changed"][(("estate", "shop"),)] >= 1


def test_metrics_need_a_token(served: Served) -> None:
    assert requests.get(served.url + "/metrics", timeout=30).status_code == 401


def test_metrics_count_requests_by_method_and_status(served: Served) -> None:
    key = (("method", "GET"), ("status", "401"))
    before = scrape(served)["stateward_http_requests"].get(key, 0)
    for _ in range(3):
        assert requests.get(served.url + "/api/v1/estates", timeout=30).status_code == 401
    after = scrape(served)["stateward_http_requests"]
    assert after[key] == before + 3
    assert after[(("method", "GET"), ("status", "200"))] >= 1
