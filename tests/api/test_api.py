"""The library API: every call a server needs returns plain result objects and prints nothing,
with a store given as a location or as a handle held open."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from stateward import api
from stateward.errors import UsageError
from stateward.report.compare import render_drift, render_parity
from stateward.report.scan import render_scan, scan_document
from stateward.report.terminal import Table

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
LIVE = str(SHOP / "live" / "production.yaml")


@pytest.fixture
def store(tmp_path: Path) -> str:
    location = str(tmp_path / "store")
    api.scan(location, [str(SHOP / "production")], estate="shop")
    api.scan(location, [LIVE], estate="shop")
    return location


def test_every_call_returns_results_and_prints_nothing(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    results = [
        api.drift(store, "shop@#1", "shop"),
        api.parity(store, "shop@#1", str(SHOP / "staging")),
        api.audit([str(SHOP / "production")]),
        api.cost(store, "shop"),
        api.at(store, "shop", "#1"),
        api.show(store, "shop", "frontend"),
        api.checkpoint(store),
        *api.estates(store),
        *api.timeline(store, "shop"),
    ]
    assert all(dataclasses.is_dataclass(r) for r in results), results
    assert [e.name for e in api.estates(store)] == ["shop"]
    assert [r.seq for r in api.history(store, "shop")] == [1, 2]
    assert api.verify(store).ok and api.verify_failure(api.verify(store)) is None
    assert api.prove(store, 0).checkpoint.size >= 2
    assert capfd.readouterr() == ("", "")


def test_a_server_passes_the_store_it_holds_open(store: str) -> None:
    held = api.opened(store)
    scanned = api.scan(held, [LIVE], estate="shop")
    assert scanned.record.seq == 3 and scanned.record.unchanged
    assert scanned.previous is not None and scanned.previous.seq == 2
    assert api.drift(held, "shop@#1", "shop").report.drifted
    doc = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    assert doc["observation"]["seq"] == 3 and doc["changes"] == []


def test_cost_resolves_its_side_as_drift_does(store: str) -> None:
    # One resolve_side: a stored side may name an observation, ESTATE@#N, for cost as for drift.
    priced = api.cost(store, "shop@#1", plan=LIVE)
    changed = {c.rollout.component for c in priced.report.components}
    assert "k8s:Deployment/shop/frontend" in changed
    assert priced.before.estate == priced.after.estate == "shop"
    with pytest.raises(UsageError, match="'nowhere' is neither a path nor a recorded estate"):
        api.cost(store, "nowhere", plan=LIVE)


def test_nothing_recorded_carries_what_was_read(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with pytest.raises(api.NothingRecorded, match="nothing recorded") as refused:
        api.scan(location, [str(tmp_path / "missing")], estate="shop")
    assert refused.value.observation.unread == [str(tmp_path / "missing")]
    assert api.estates(location) == []


def test_renderers_return_lines_and_tables_and_draw_nothing(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    drifted = api.drift(store, "shop@#1", "shop")
    assert drifted.drifted
    lines = list(
        render_drift(drifted.report, drifted.sides.observations, False, True, drifted.drifted)
    )
    assert any(isinstance(line, Table) for line in lines)
    assert str(lines[-1]).startswith("[bold]drift found[/] (strict mode)")
    paired = api.parity(store, "shop@#1", "shop")
    assert (
        str(list(render_parity(paired.report, False, paired.differs))[-1])
        == "[bold]unexpected differences[/]"
    )
    scanned = api.scan(store, [LIVE], estate="shop")
    shown = list(render_scan(scanned.record, scanned.previous, scanned.observation,
                             scanned.deltas, scanned.audit))  # fmt: skip
    assert "observation #3 (unchanged)" in str(shown[0])
    assert capfd.readouterr() == ("", "")
