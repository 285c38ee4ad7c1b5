"""Game servers placed by their operator (:mod:`stateward.analysis.audit.game_operators`): the
world is on the operator's claim, or lost with the pod when there is none."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of

_GAMES = "games.idebeijer.github.io/v1alpha1"


def _cr(api: str, kind: str, spec: str) -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: world}}\nspec: {spec}\n"


@pytest.mark.parametrize(("spec", "loss", "rule"), [
    ("{gameName: mc}", "none", "OPERATOR_CLAIMS"),  # the claim template kept by a replacement
    ("{gameName: mc, storage: {size: 50Gi}}", "none", "OPERATOR_CLAIMS"),
    ("{gameName: mc, storage: {enabled: false}}", "data", "OPERATOR_EPHEMERAL"),
])  # fmt: skip
def test_a_linuxgsm_game_server_keeps_its_world_on_a_claim_unless_storage_is_off(
    audit_files: Auditor, spec: str, loss: str, rule: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(_GAMES, "GameServer", spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) == loss
    assert rule in rules_of(report)


def test_a_factorio_server_has_no_claim_its_world_is_lost_with_the_pod(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "cr.yaml": _cr("automators.labs.nibz.science/v1", "FactorioServer", "{foo: bar}")
    })  # fmt: skip
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report)
    # The same kind in another group is no resource the audit knows.
    other = audit_files(**{"cr.yaml": _cr("example.org/v1", "FactorioServer", "{foo: bar}")})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in other.components)
