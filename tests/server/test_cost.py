"""Cost over HTTP on each backend: ``/api/v1/estates/{estate}/cost`` answers what
``stateward cost ESTATE --json`` prints, the page shows those figures and the rollout chart, no
secret value is served, and hostile queries are refused without being echoed."""

from __future__ import annotations

import json
import math

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.server.conftest import Served, stateward
from tests.server.test_rest import SECRETS


def _get(served: Served, path: str, **params: str) -> requests.Response:
    return requests.get(
        served.url + path, params=params, headers=served.auth(served.read), timeout=60
    )


def test_the_cost_route_answers_what_the_cli_prints(served: Served) -> None:
    for query in ({}, {"changes": "1..2", "deploys_per_day": "4"}):
        answer = _get(served, "/api/v1/estates/shop/cost", **query)
        assert answer.status_code == 200, answer.text
        args = [f"--{k.replace('_', '-')}={v}" for k, v in query.items()]
        printed = stateward("cost", "shop", *args, "--store", served.location, "--json")
        assert answer.json() == json.loads(printed)
    document = answer.json()
    assert document["deploys_per_day"] == 4.0 and document["components"]
    per_deploy, per_month = document["per_deploy"]["cpu_s"], document["per_month"]["cpu_s"]
    assert math.isclose(per_month, per_deploy * 4 * 30, rel_tol=1e-6)
    for secret in SECRETS:
        assert secret not in answer.text


def test_the_cost_page_shows_the_totals_and_the_chart(served: Served) -> None:
    document = _get(served, "/api/v1/estates/shop/cost").json()
    page = _get(served, "/estates/shop/cost")
    assert page.status_code == 200, page.text
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert '<figure id="chart"><svg xmlns="http://www.w3.org/2000/svg"' in page.text
    for component in document["components"]:
        assert f'data-component="{component["component"]}"' in page.text
    assert f'<td class="cpu">{document["per_deploy"]["cpu_s"]}</td>' in page.text
    assert 'id="cost" href="/estates/shop/cost"' in _get(served, "/estates/shop").text
    for secret in SECRETS:
        assert secret not in page.text


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"changes": "1..99"}, 400),  # no observation #99
        ({"changes": "0..2"}, 400),
        ({"changes": "1..2; rm -rf /"}, 400),
        ({"changes": "1" * 30 + "..2"}, 400),
        ({"deploys_per_day": "-1"}, 400),
        ({"deploys_per_day": "nan"}, 400),
        ({"deploys_per_day": "inf"}, 400),
        ({"deploys_per_day": "1e9"}, 400),
    ],
)
def test_hostile_cost_queries_are_refused(
    served: Served, query: dict[str, str], status: int
) -> None:
    for path in ("/api/v1/estates/shop/cost", "/estates/shop/cost"):
        answer = _get(served, path, **query)
        assert answer.status_code == status, (path, answer.text)
        assert "rm -rf" not in answer.text


@pytest.mark.parametrize("estate", ["..%2F..%2Fetc", "%2Fetc%2Fpasswd", "nowhere", "engine:%2F%2F"])
def test_a_cost_of_no_recorded_estate_is_400(served: Served, estate: str) -> None:
    for path in (f"/api/v1/estates/{estate}/cost", f"/estates/{estate}/cost"):
        answer = requests.get(served.url + path, headers=served.auth(served.read), timeout=60)
        assert answer.status_code in (400, 404), (path, answer.text)
        assert "root:" not in answer.text


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_changes_text_is_answered_without_a_server_error(served: Served, text: str) -> None:
    answer = _get(served, "/api/v1/estates/shop/cost", changes=text)
    assert answer.status_code in (200, 400), answer.text
