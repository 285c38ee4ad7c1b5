"""The held-out real-world scorecard: its tables are sound, its scorer judges what README.md
says, and the audit does not fall below the figures measured when the tables were written."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.audit import AuditReport, ComponentAudit, Effect, Lifecycle
from stateward.analysis.audit.lifecycle import Loss
from stateward.model.finding import Finding, Severity

from .__main__ import SETS, main
from .score import (
    HERE,
    LIFECYCLE_LOSS,
    Matcher,
    Score,
    _inputs,
    _score_gravity,
    audited,
    estate_names,
    judge,
    loss_of,
    score,
    totals,
    truth,
)

LOSSES = {"none", "rebuildable", "data"}


def _component(
    name: str, gravity: int = 0, lifecycle: str = "ephemeral-safe", loss: str = "none"
) -> ComponentAudit:
    return ComponentAudit(
        id=f"compose:x/{name}", name=name, kind="Service", namespace="", gravity=gravity,
        lifecycle=Lifecycle(lifecycle), loss=Loss(loss), depends_on=(), dependents=(),
        deciding=(), explanation="",
    )  # fmt: skip


def test_at_least_twelve_estates_each_pinned_with_a_licence() -> None:
    names = estate_names()
    assert len(names) >= 12
    for name in names:
        sources = (HERE / name / "SOURCES.md").read_text(encoding="utf-8")
        # One commit, or one per file where each was read from the code index at the version it
        # stores (no snapshot could be fetched)
        pinned = re.search(r"Commit: `[0-9a-f]{40}`", sources) or (
            "- Commits:" in sources and re.search(r" at `[0-9a-f]{40}`", sources)
        )
        assert pinned, name
        assert "Licence: " in sources and "https://github.com/" in sources, name


@pytest.mark.parametrize("estate", estate_names())
def test_truth_table_is_well_formed(estate: str) -> None:
    data = truth(estate)
    entries = data["components"]
    for entry in entries:
        if "loss" not in entry:  # left out of the figures: the reason stands for the rating
            assert entry["unsure"], entry["name"]
            continue
        assert entry["loss"] in LOSSES, entry["name"]
        assert entry["evidence"], entry["name"]
        if entry["loss"] != "none":
            assert entry["storage"] in {"durable", "ephemeral"}, entry["name"]
    named = {n for e in entries for n in (e["name"], *e.get("aka", []))}
    for edge in data.get("edges", []):  # a table with no edges or pairs may leave them out
        assert {edge["from"], edge["to"]} <= named and edge["evidence"], edge
    for pair in data.get("gravity", []):
        assert {pair["above"], pair["below"]} <= named and pair["why"], pair


@pytest.mark.parametrize("estate", estate_names())
def test_every_audit_component_is_in_the_truth_table(estate: str) -> None:
    assert score(estate).unlisted == []


def test_loss_is_read_from_lifecycle_raised_by_the_loss_axis() -> None:
    for lifecycle, loss in LIFECYCLE_LOSS.items():
        assert loss_of(_component("a", lifecycle=lifecycle, loss="none")) == loss
    assert loss_of(_component("a", lifecycle="ephemeral-safe", loss="data")) == "data"
    assert loss_of(_component("a", lifecycle="persistent", loss="none")) == "data"


@given(
    rule=st.sampled_from(["DATA_ON_EPHEMERAL", "COMPOSE_NAMED_VOLUME", "STARTUP_FETCH"]),
    loss=st.sampled_from(sorted(LOSSES)),
    storage=st.sampled_from(["durable", "ephemeral", "none"]),
)
def test_judge_follows_the_readme(rule: str, loss: str, storage: str) -> None:
    finding = Finding(rule, Severity.HIGH, "m", component="compose:x/a")
    wrong = bool(judge(finding, {"name": "a", "loss": loss, "storage": storage}))
    if rule == "DATA_ON_EPHEMERAL":
        assert wrong == (loss != "data" or storage == "durable")
    else:
        assert wrong == (loss == "none")


@given(loss=st.sampled_from(sorted(LOSSES)), storage=st.sampled_from(["durable", "ephemeral"]))
def test_judge_reads_what_the_finding_says_not_its_rules_default(loss: str, storage: str) -> None:
    """A named-volume finding the audit marks as a consumer's (context) claims no state; a
    data-image finding marked warm-up (a cache) claims no data lost."""
    entry = {"name": "a", "loss": loss, "storage": storage}
    volume = Finding("COMPOSE_NAMED_VOLUME", Severity.INFO, "m", component="compose:x/a")
    assert judge(volume, entry, Effect.CONTEXT) == ""
    assert bool(judge(volume, entry)) == (loss == "none")
    cache = Finding("DATA_IMAGE_NO_VOLUME", Severity.LOW, "m", component="compose:x/a")
    assert bool(judge(cache, entry, Effect.WARM_UP)) == (loss == "none")


def test_a_rule_listed_false_is_wrong_whatever_it_claims() -> None:
    finding = Finding("HOST_FS", Severity.HIGH, "m", component="compose:x/a")
    entry = {"name": "a", "loss": "data", "storage": "durable"}
    assert judge(finding, entry) == ""
    assert judge(finding, {**entry, "false": ["HOST_FS"], "why_false": "ro"}) == "ro"


def test_gravity_pairs_ranked_wrong_tied_or_unranked_are_told_apart() -> None:
    report = AuditReport(
        findings=(), names={}, complete=True,
        components=(_component("db", 40), _component("cache", 80), _component("queue", 40)),
    )  # fmt: skip
    data = {"components": [{"name": n, "loss": "data"} for n in ("db", "cache", "queue", "gone")]}
    result = Score("x")
    pairs = [("db", "cache"), ("cache", "db"), ("db", "queue"), ("gone", "db")]
    _score_gravity(Matcher(report, data), [{"above": a, "below": b} for a, b in pairs], result)
    assert [len(result.gravity_wrong), len(result.gravity_right), len(result.gravity_tied)] == [
        2, 1, 1,
    ]  # fmt: skip


def test_table_lists_every_estate_and_the_pooled_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["-v"]) == 0
    out = capsys.readouterr().out
    for name in estate_names():
        assert f"| {name} |" in out
    for which in (*SETS, "all"):
        assert re.search(rf"{which} set \(\d+ estates\): recall [\d.]+%  precision [\d.]+%", out)


def test_a_set_named_limits_the_table_to_its_estates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["third"]) == 0
    out = capsys.readouterr().out
    assert all(f"| {name} |" in out for name in estate_names("third"))
    assert not any(f"| {name} |" in out for name in estate_names("first"))
    assert "third set (8 estates)" in out and "all set" not in out


def test_estates_and_sets_named_limit_the_table_and_are_pooled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["beszel", "third"]) == 0
    out = capsys.readouterr().out
    rows = [
        line.split(" | ")[0].lstrip("| ") for line in out.splitlines()[2:] if line.startswith("| ")
    ]
    assert sorted(rows) == sorted(["beszel", *estate_names("third")])
    assert "third set (8 estates)" in out and "beszel+third set (9 estates)" in out
    assert main(["all"]) == 0 and "all set (" in capsys.readouterr().out
    assert main(["no-such-estate"]) == 2
    assert "not a set or an estate: no-such-estate" in capsys.readouterr().err


def test_the_sets_partition_the_estates() -> None:
    sets = [set(estate_names(which)) for which in SETS]
    assert set().union(*sets) == set(estate_names())
    assert sum(map(len, sets)) == len(estate_names())
    # the twelfth set on: 16 estates each; from the seventyfirst, what each helper found
    found = [11, 12, 10, 12, 12, 11, 10, 11, 12, 9, 12, 12, 12, 12, 12, 12, 9, 5, 10, 7, 12, 9, 1]
    sizes = [13, 4, 8, 12, 12, 16, 14, 15, 16, 15, 15] + [16] * 59 + found
    assert [len(s) for s in sets] == sizes


def test_no_regression_below_the_figures_measured_with_shared_volumes_and_caches() -> None:
    """Floors, not targets: the first set as measured once shared volumes went to the service
    that writes them, caches with no persistence were rated rebuildable and mailboxes were data, users' files
    weighing like an object store databases known by how clients reach them and peers named
    by command-line options (before: recall
    22/24, precision 123/140 by the rules' default effects, 133/140 by the findings' own, high
    7/9, edges 34/35, 4 gravity errors; when the tables were written: recall 16/24, precision
    102/119, high 6/8, edges 33/35, 7 gravity errors)."""
    t = totals([score(name) for name in estate_names("first")])
    assert t.recall >= 24 / 24
    assert t.precision >= 150 / 150
    assert t.high_precision >= 7 / 7
    assert t.edge_recall >= 35 / 35
    assert t.gravity_errors <= 0


def test_second_set_as_measured_when_first_run_after_its_tables_were_committed() -> None:
    """The operator estates, scored once the rules for operator resources existed: before them
    recall was 0/9, edge recall 0/1 and 1 of 1 gravity pairs wrong."""
    t = totals([score(name) for name in estate_names("second")])
    assert (t.recall, t.precision, t.edge_recall, t.gravity_errors) == (1.0, 1.0, 1.0, 0)


@pytest.mark.parametrize("estate", estate_names())
def test_an_estate_is_audited_from_its_own_files_only(estate: str) -> None:
    inputs = _inputs(HERE / estate)
    assert inputs and not any(p.endswith(("truth.yaml", ".md")) for p in inputs)
    assert audited(estate).complete
