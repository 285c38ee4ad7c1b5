"""The REST API answers what the CLI's ``--json`` prints, serves no secret value, and turns
hostile input into a 4xx naming the problem."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import requests
from click.testing import CliRunner
from tests.server.conftest import SHOP, Served, stateward

from stateward.cli import main

SECRETS = ["demo-payment-key-not-real", "shop-db-password-v1"]  # in examples/shop, in clear


def get(served: Served, path: str, **params: str) -> requests.Response:
    return requests.get(
        served.url + "/api/v1" + path, params=params, headers=served.auth(served.read), timeout=60
    )


def test_estates_observations_and_components_match_the_cli(served: Served) -> None:
    assert get(served, "/estates").json()[0]["estate"] == "shop"
    observations = get(served, "/estates/shop/observations").json()
    assert [o["seq"] for o in observations] == [1, 2]
    shown = get(served, "/estates/shop/components/k8s:StatefulSet/shop/postgres", at="#1").json()
    assert shown["observation"]["seq"] == 1
    assert [c["id"] for c in shown["components"]] == ["k8s:StatefulSet/shop/postgres"]
    cli = stateward("at", "#1", "--estate", "shop", "--store", served.location, "--json")
    import json

    assert (
        get(served, "/estates/shop/components", at="#1").json()["components"]
        == json.loads(cli)["components"]
    )


def test_timeline_drift_and_audit(served: Served) -> None:
    steps = get(served, "/estates/shop/timeline").json()["steps"]
    assert [s["first"] for s in steps] == [True, False]
    assert steps[1]["changes"], "the live scan differs from the manifests"
    drift = get(served, "/drift", desired="shop@#1", live="shop").json()
    assert drift["drifted"] is True
    audit = get(served, "/estates/shop/audit").json()
    assert audit["summary"]["components"] == 7


def test_parity_and_evidence_match_the_cli(served: Served) -> None:
    import json

    parity = get(served, "/parity", a="shop@#1", b="shop").json()
    args = ["parity", "shop@#1", "shop", "--store", served.location, "--json"]
    cli = CliRunner().invoke(main, args, env={"NO_COLOR": "1"})
    assert cli.exit_code == 1  # they differ
    assert parity == json.loads(cli.stdout) and parity["differs"] is True
    assert get(served, "/evidence").json() == json.loads(
        stateward("evidence", "list", "--store", served.location, "--json")
    )
    a_path = get(served, "/parity", a=str(SHOP / "production"), b="shop")
    assert a_path.status_code == 400 and "stored estates only" in a_path.json()["detail"]


def test_no_secret_value_is_served(served: Served) -> None:
    assert base64.b64decode("c2hvcC1kYi1wYXNzd29yZC12MQ==").decode() in SECRETS
    paths = ["/estates/shop/components", "/estates/shop/timeline", "/estates/shop/audit",
             "/estates/shop/components?at=%231", "/ledger/entries/0/proof"]  # fmt: skip
    headers = served.auth(served.read)
    bodies = [requests.get(served.url + "/api/v1" + p, headers=headers, timeout=30).text
              for p in paths]  # fmt: skip
    bodies.append(get(served, "/drift", desired="shop@#1", live="shop").text)
    for body in bodies:
        for secret in SECRETS:
            assert secret not in body
            assert base64.b64encode(secret.encode()).decode() not in body


def test_proofs_verify_against_the_checkpoint(served: Served) -> None:
    proof = get(served, "/ledger/entries/1/proof").json()
    leaf = hashlib.sha256(b"\x00" + base64.b64decode(proof["entry"])).digest()
    assert base64.b64decode(proof["leaf_hash"]) == leaf
    old = get(served, "/ledger/checkpoint").json()["signed_note"]
    consistency = _post(served, "/ledger/consistency", {"checkpoint": old})
    assert consistency.status_code == 200, consistency.text
    assert consistency.json()["old_size"] <= consistency.json()["new_size"]
    forged = old.replace(old.splitlines()[1], str(int(old.splitlines()[1]) + 1000), 1)
    refused = _post(served, "/ledger/consistency", {"checkpoint": forged})
    assert refused.status_code in (400, 409) and "checkpoint" in refused.json()["detail"]


def _post(served: Served, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
    headers = {**served.auth(served.read), **kwargs.pop("headers", {})}
    return requests.post(
        served.url + "/api/v1" + path, json=body, headers=headers, timeout=60, **kwargs
    )


def test_hostile_input_is_a_clear_4xx(served: Served) -> None:
    big = _post(served, "/ledger/consistency", data=b"x" * (1 << 20))
    assert big.status_code == 413
    streamed = _post(served, "/ledger/consistency", data=iter([b"x" * 8192] * 100))
    assert streamed.status_code == 413
    bad_json = _post(served, "/ledger/consistency", data=b'{"checkpoint": ',
                     headers={"Content-Type": "application/json"})  # fmt: skip
    assert bad_json.status_code == 400 and "invalid request" in bad_json.json()["detail"]
    bad_time = get(served, "/drift", desired="shop@yesterday-ish", live="shop")
    assert bad_time.status_code == 400 and "yesterday-ish" in bad_time.json()["detail"]
    bad_at = get(served, "/estates/shop/components", at="#0x1")
    assert bad_at.status_code == 400, bad_at.text
    unknown = get(served, "/estates/nowhere/observations")
    assert unknown.status_code == 400 and "nowhere" in unknown.json()["detail"]
    a_path = get(served, "/drift", desired=str(SHOP / "production"), live="shop")
    assert a_path.status_code == 400 and "stored estates only" in a_path.json()["detail"]
    negative = get(served, "/ledger/entries/-1/proof")
    assert negative.status_code == 400
    long = get(served, "/estates/shop/components", at="#" + "9" * 100)
    assert long.status_code == 400


def test_at_takes_a_number_a_time_now_or_a_time_ago(served: Served) -> None:
    """What docs/server.md says ``?at=`` takes: the newest observation at or before a time."""
    first, second = get(served, "/estates/shop/observations").json()

    def seq(at: str) -> int:
        answer = get(served, "/estates/shop/components", at=at)
        assert answer.status_code == 200, (at, answer.text)
        return int(answer.json()["observation"]["seq"])

    assert seq("#1") == 1 and seq("#2") == 2
    assert seq(first["time"]) == 1  # an ISO 8601 time, offset and all (sent %-encoded)
    zoneless = first["time"].split("+")[0]  # no zone: UTC
    assert first["time"].endswith("+00:00") and seq(zoneless) == 1
    assert seq(zoneless + "Z") == 1
    assert seq(second["time"]) == 2 and seq("now") == 2 and seq("0s") == 2
    before = get(served, "/estates/shop/components", at="3000w")
    assert before.status_code == 400 and "no observation at or before" in before.json()["detail"]
    # a raw "+" in a query string is a space (WHATWG URL, application/x-www-form-urlencoded):
    # an unencoded offset cannot be read, and says so
    raw = requests.get(
        served.url + "/api/v1/estates/shop/components?at=" + first["time"],
        headers=served.auth(served.read), timeout=60,
    )  # fmt: skip
    assert raw.status_code == 400 and "cannot read time" in raw.json()["detail"]
