"""Operators of game servers: the world the players build is the server's data.

- LinuxGSM's gameserver-operator (``games.idebeijer.github.io`` ``GameServer``): one StatefulSet
  of ``gameservermanagers/gameserver:<gameName>`` with the claim template ``data`` at ``/data``,
  where LinuxGSM keeps the installed server, its configuration and the game's world; storage is
  on unless ``spec.storage.enabled`` is false, the claim ``spec.storage.size`` or ``10Gi``, in
  ``spec.storage.storageClassName`` (``linuxGSMStorageEnabled``,
  ``buildLinuxGSMVolumeClaimTemplate``; pods labelled ``app.kubernetes.io/instance`` with the
  resource's name, ``gameServerLabels``:
  https://github.com/idebeijer/gameserver-operator/blob/22ef004472d728c940ec28f17ceb5ebf0afe230c/pkg/specs/gameserver.go).
  Storage turned off, the world is in the container's layer.
- nibalizer's factorio-operator (``automators.labs.nibz.science`` ``FactorioServer``): one
  Deployment of ``factoriotools/factorio`` with no claim ("TODO: add pvc for /opt/factorio"), its
  pods labelled ``fsid`` with the resource's name (``constructDeployment``,
  https://github.com/nibalizer/factorio-operator/blob/8b3a2e18229623d6a3f9bd009b27b61000dd7d3e/controllers/factorioserver_controller.go):
  the map and its saves are lost with the pod.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_map, dig

__all__: list[str] = []

_GAMESERVER = "https://github.com/idebeijer/gameserver-operator/blob/22ef004472d728c940ec28f17ceb5ebf0afe230c/pkg/specs/gameserver.go"
_FACTORIO = "https://github.com/nibalizer/factorio-operator/blob/8b3a2e18229623d6a3f9bd009b27b61000dd7d3e/controllers/factorioserver_controller.go"


def _gameserver(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    if storage.get("enabled") is False:
        return [Storage("/spec/storage", None, "storage disabled: the world in the container")]
    claim: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": str(storage.get("size") or "10Gi")}},
    }
    if isinstance(storage.get("storageClassName"), str):
        claim["storageClassName"] = storage["storageClassName"]
    text = "the claim template data at /data (server, configuration, world; on by default)"
    return [Storage("/spec/storage", claim, text)]


def _factorio(body: Mapping[str, Any]) -> list[Storage]:
    return [Storage("/spec", None, "no claim: the map and its saves in the pod")]


for _family in (
    Family(OperatorKind("games.idebeijer.github.io", "GameServer", ("spec", "replicas"),
                        "app.kubernetes.io/instance"),
           "game server", _gameserver, _GAMESERVER),
    Family(OperatorKind("automators.labs.nibz.science", "FactorioServer", (), "fsid"),
           "game server", _factorio, _FACTORIO),
):  # fmt: skip
    register_family(_family)
