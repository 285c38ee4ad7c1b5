"""The dashboard in a real browser (Debian's headless Chromium): a page refuses without a
session, login sets an HttpOnly SameSite=Strict cookie, each page shows what the REST API
answers with no console error, the ledger page checks a proof itself, and a new observation
reaches an open page over server-sent events.

Screenshots of each page are kept in ``build/screenshots/`` as test artefacts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from tests.server.conftest import SHOP, Served, running, scanned_shop, stateward, tokens
from tests.server.test_evidence import LOGS, sealed
from tests.server.test_rest import SECRETS

from stateward.forensics.sealing import AGE_FORMAT
from stateward.server import Settings
from stateward.server.html import HEADERS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
POSTGRES = "k8s:StatefulSet/shop/postgres"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dashboard")


@pytest.fixture(scope="module")
def dashboard(home: Path, browser: Any) -> Iterator[Served]:
    """The scanned shop (a checkpoint kept) served with a quick event poll; the browser leaves
    its pages (and their event streams) before the server stops."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        location = scanned_shop(str(home / "store"))
        stateward("ledger", "checkpoint", "--store", location)
        read, admin = tokens(location)
        with running(location, Settings(poll_s=0.2)) as url:
            yield Served(url, location, read, admin)
            browser.get("about:blank")


def api_get(served: Served, path: str, **params: str) -> Any:
    answer = requests.get(
        served.url + "/api/v1" + path, params=params, headers=served.auth(served.read), timeout=60
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def visit(browser: Any, url: str, name: str, status: int = 200) -> Any:
    """Open ``url``, keep a screenshot, and fail on any console error the page caused (but the
    network one a refused page's own ``status`` logs)."""
    from selenium.webdriver.common.by import By

    browser.get(url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    assert_no_console_errors(browser, f"{url} - Failed to load resource" if status != 200 else "")
    return lambda css: browser.find_elements(By.CSS_SELECTOR, css)


def assert_no_console_errors(browser: Any, expected: str = "") -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not [e for e in errors if not (expected and e["message"].startswith(expected))], errors


def wait_for(browser: Any, condition: Any, seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, poll_frequency=0.1).until(condition)


@pytest.fixture
def signed_in(dashboard: Served, browser: Any) -> None:
    """The browser holds a read session, whichever tests ran before (a test run alone signs
    in through the login form, as a user does)."""
    if any(c["name"] == "stateward_session" for c in browser.get_cookies()):
        return
    browser.get(dashboard.url + "/login?next=/")
    browser.find_element("css selector", "input[name=token]").send_keys(dashboard.read)
    browser.find_element("css selector", "#login button").click()
    wait_for(browser, lambda b: b.get_cookies())


def test_a_page_without_a_session_is_refused(dashboard: Served, browser: Any) -> None:
    answer = requests.get(dashboard.url + "/estates/shop", timeout=30)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="stateward"'
    assert 'id="login"' in answer.text and POSTGRES not in answer.text
    assert answer.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
    assert requests.get(dashboard.url + "/events", timeout=30).status_code == 401
    browser.delete_all_cookies()
    found = visit(browser, dashboard.url + "/estates/shop", "refused", status=401)
    assert found("#login") and not found("#components")


def test_login_sets_a_strict_http_only_cookie(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/login?next=/estates/shop", "login")
    found("input[name=token]")[0].send_keys("swt_00000000_wrong")
    found("#login button")[0].click()
    wait_for(browser, lambda b: b.find_elements("css selector", "#login-error"))
    browser.get_log("browser")  # the 401 of the wrong token is expected there
    found = visit(browser, dashboard.url + "/login?next=/estates/shop", "login")
    found("input[name=token]")[0].send_keys(dashboard.read)
    found("#login button")[0].click()
    wait_for(browser, lambda b: b.current_url.endswith("/estates/shop"))
    assert_no_console_errors(browser)
    (cookie,) = wait_for(browser, lambda b: b.get_cookies())  # once the page is committed
    assert cookie["name"] == "stateward_session" and cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert dashboard.read not in cookie["value"]


@pytest.mark.usefixtures("signed_in")
def test_the_overview_matches_the_api(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/", "overview")
    shown = {
        row.get_attribute("data-estate"): int(
            row.find_element("css selector", ".observations").text
        )
        for row in found("#estates tbody tr")
    }
    assert shown == {e["estate"]: e["observations"] for e in api_get(dashboard, "/estates")}


@pytest.mark.usefixtures("signed_in")
def test_the_estate_page_matches_the_audit(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/estates/shop", "estate")
    rows = {
        row.get_attribute("data-component"): row.find_element("css selector", ".lifecycle").text
        for row in found("#components tbody tr")
    }
    audit = api_get(dashboard, "/estates/shop/audit")
    assert rows == {c["id"]: c["lifecycle"] for c in audit["components"]}
    assert rows[POSTGRES] == "persistent"
    seq = found("#observation")[0].get_attribute("data-seq")
    assert int(seq) == api_get(dashboard, "/estates/shop/observations")[-1]["seq"]


@pytest.mark.usefixtures("signed_in")
def test_the_state_map_draws_components_by_gravity_and_dependencies(
    dashboard: Served, browser: Any
) -> None:
    found = visit(browser, dashboard.url + "/estates/shop/map", "state-map")
    circles = {
        c.get_attribute("data-component"): float(c.get_attribute("r"))
        for c in found("#map circle.node")
    }
    audit = api_get(dashboard, "/estates/shop/audit")["components"]
    assert set(circles) == {c["id"] for c in audit}
    by_gravity = sorted(audit, key=lambda c: c["gravity"])
    radii = [circles[c["id"]] for c in by_gravity]
    assert radii == sorted(radii) and radii[-1] > radii[0]
    edges = {(e.get_attribute("data-from"), e.get_attribute("data-to")) for e in found("#map line")}
    assert edges == {(c["id"], d) for c in audit for d in c["depends_on"]}
    assert ("k8s:Deployment/shop/catalog", POSTGRES) in edges


@pytest.mark.usefixtures("signed_in")
def test_the_component_page_shows_its_context_and_history(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + f"/estates/shop/components/{POSTGRES}", "component")
    (component,) = api_get(dashboard, f"/estates/shop/components/{POSTGRES}")["components"]
    assert found("#binary")[0].text == component["binary_fingerprint"]
    assert found("#context-fingerprint")[0].text == component["context_fingerprint"]
    steps = api_get(dashboard, "/estates/shop/timeline", component=POSTGRES)["steps"]
    changes = [c for s in steps for d in s["changes"] for c in d["changes"]]
    assert len(found("#history li")) == len(changes)
    for secret in SECRETS:
        assert secret not in browser.page_source


@pytest.mark.usefixtures("signed_in")
def test_the_timeline_audit_and_drift_pages_match_the_api(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/estates/shop/timeline", "timeline")
    steps = api_get(dashboard, "/estates/shop/timeline")["steps"]
    assert [int(li.get_attribute("data-seq")) for li in found("#timeline > li")] == [
        s["observation"]["seq"] for s in steps
    ]
    found = visit(browser, dashboard.url + "/estates/shop/audit", "audit")
    findings = api_get(dashboard, "/estates/shop/audit")["findings"]
    assert int(found("#finding-count")[0].text) == len(findings) == len(found("#findings tbody tr"))
    found = visit(browser, dashboard.url + "/drift?desired=shop@%231&live=shop", "drift")
    drift = api_get(dashboard, "/drift", desired="shop@#1", live="shop")
    assert found("#verdict")[0].text.startswith("Drifted") and drift["drifted"]
    assert len(found("#changes tbody tr")) == len(drift["changes"])
    for secret in SECRETS:
        assert secret not in browser.page_source
    found = visit(browser, dashboard.url + "/parity?a=shop@%231&b=shop", "parity")
    parity = api_get(dashboard, "/parity", a="shop@#1", b="shop")
    rows = {r.get_attribute("data-component"): r for r in found("#pairs tbody tr")}
    assert set(rows) == {c["component"] for c in parity["components"]}
    for c in parity["components"]:
        shown = rows[c["component"]].find_elements("css selector", ".unexpected li")
        assert len(shown) == len(c["unexpected"]) and rows[c["component"]].text
    assert found("#verdict")[0].text.startswith("Differ") and parity["differs"]


@pytest.mark.usefixtures("signed_in")
def test_the_cost_page_draws_the_rollout_chart(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/estates/shop/cost", "cost")
    document = api_get(dashboard, "/estates/shop/cost")
    rows = [r.get_attribute("data-component") for r in found("#components tbody tr")]
    assert rows == [c["component"] for c in document["components"]]
    chart = found("#chart svg")[0]
    assert chart.size["width"] > 300 and chart.size["height"] > 200
    assert found("#totals [data-total=per_month] .cpu")[0].text == str(
        document["per_month"]["cpu_s"]
    )


@pytest.mark.usefixtures("signed_in")
def test_the_ledger_page_verifies_a_proof_in_the_browser(dashboard: Served, browser: Any) -> None:
    found = visit(browser, dashboard.url + "/ledger", "ledger")
    checkpoint = api_get(dashboard, "/ledger/checkpoint")["signed_note"]
    assert found("#checkpoint")[0].text.strip() == checkpoint.strip()
    assert found("#verified")[0].text == "verified"
    found("#prove")[0].click()
    status = wait_for(browser, lambda b: _settled(b.find_element("id", "proof-status")))
    browser.save_screenshot(str(SCREENSHOTS / "ledger-proof.png"))
    assert status.startswith("verified: entry 1 is in the checkpoint of 2 entries"), status
    entry = found("#proof-entry")[0]
    entry.clear()
    entry.send_keys("7")  # beyond the checkpoint: the server refuses, the page says so
    found("#prove")[0].click()
    status = wait_for(browser, lambda b: _settled(b.find_element("id", "proof-status")))
    assert status.startswith("NOT verified"), status
    browser.get_log("browser")  # that refusal's 400 is logged there on purpose


@pytest.mark.usefixtures("signed_in")
def test_the_ledger_page_checks_the_signature_against_a_pinned_key(
    dashboard: Served, browser: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    vkey = stateward("ledger", "vkey", "--store", dashboard.location).strip()
    found = visit(browser, dashboard.url + "/ledger", "ledger-signature")
    for key, verdict in [
        (vkey[:-6] + ("A" if vkey[-6] != "A" else "B") + vkey[-5:], "NOT verified"),  # edited
        ("another.log+00000000+" + vkey.split("+", 2)[2], "NOT verified"),  # another name
        (vkey, "verified: signed by " + "+".join(vkey.split("+", 2)[:2])),
    ]:
        field = found("#vkey")[0]
        field.clear()
        field.send_keys(key)
        found("#verify-signature")[0].click()
        status = wait_for(browser, lambda b: _settled(b.find_element("id", "signature-status")))
        assert status.startswith(verdict), (key, status)
    browser.save_screenshot(str(SCREENSHOTS / "ledger-signature.png"))
    browser.refresh()  # the pinned key is kept in the browser
    assert browser.find_element("id", "vkey").get_attribute("value") == vkey
    assert_no_console_errors(browser)


def _settled(element: Any) -> str | None:
    text: str = element.text
    return text if text.startswith(("verified", "NOT verified")) else None


@pytest.mark.usefixtures("signed_in")
def test_a_new_observation_reaches_an_open_page(
    dashboard: Served, browser: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = visit(browser, dashboard.url + "/", "live-before")
    assert found("#live")[0].is_displayed() is False
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))  # the store's keys
    stateward("scan", str(SHOP / "production"), "--estate", "shop", "--store", dashboard.location)
    banner = wait_for(
        browser, lambda b: b.find_element("id", "live").get_attribute("data-seq") == "3"
    )
    assert banner
    browser.save_screenshot(str(SCREENSHOTS / "live-after.png"))
    text = browser.find_element("id", "live").text
    assert "shop: observation #3 recorded" in text and "component(s) changed" in text
    row = found("tr[data-estate=shop] .observations")[0]
    assert row.text == "3"
    assert_no_console_errors(browser)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_goes_nowhere_but_this_server(dashboard: Served, target: str) -> None:
    answer = requests.post(
        dashboard.url + "/login", data={"token": dashboard.read, "next": target},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    kept = requests.post(
        dashboard.url + "/login", data={"token": dashboard.read, "next": "/ledger"},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert kept.headers["Location"] == "/ledger"


def test_what_a_client_sends_is_escaped_in_pages(dashboard: Served) -> None:
    hostile = '"><script>alert(1)</script>'
    login = requests.get(dashboard.url + "/login", params={"next": "/" + hostile}, timeout=30)
    assert login.status_code == 200 and "<script>alert" not in login.text
    assert "&lt;script&gt;" in login.text or "&#34;&gt;&lt;script" in login.text
    drift = requests.get(
        dashboard.url + "/drift", params={"desired": hostile, "live": "shop"},
        headers=dashboard.auth(dashboard.read), timeout=30,
    )  # fmt: skip
    assert drift.status_code == 400 and "<script>alert" not in drift.text


@pytest.mark.usefixtures("signed_in")
def test_the_evidence_browser_shows_a_sealed_bundle(
    dashboard: Served, browser: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))  # the store's keys
    address = sealed(dashboard.location)
    found = visit(browser, dashboard.url + "/", "before-evidence")
    found("nav a[href='/evidence']")[0].click()
    wait_for(browser, lambda b: b.current_url.endswith("/evidence"))
    found = visit(browser, dashboard.url + "/evidence", "evidence")
    found(f"tr[data-evidence='{address}'] a")[0].click()
    wait_for(browser, lambda b: b.find_elements("css selector", "#artefacts"))
    browser.save_screenshot(str(SCREENSHOTS / "evidence-bundle.png"))
    assert_no_console_errors(browser)
    (row,) = found("#artefacts tbody tr")
    assert row.find_element("css selector", ".encryption").text == AGE_FORMAT
    assert LOGS.decode().strip() not in browser.page_source
    href = found("#download")[0].get_attribute("href")
    assert href.endswith(f"/api/v1/evidence/{address.replace(':', '%3A')}/bundle")
