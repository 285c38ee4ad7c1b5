"""A store beside a program that keeps in it only what the program derives from its own log.

Some programs keep a log of record (their own, on their own volume) and a second database of
the current values derived from it, which they may run as a container of the same pod. That
second database is rebuilt from the log: its loss costs the time to replay, not the data.

- A Hyperledger Fabric peer keeps its blockchain in files and the world state in a state
  database, LevelDB in process or CouchDB beside it (``CORE_LEDGER_STATE_STATEDATABASE=CouchDB``,
  ``…_COUCHDBCONFIG_COUCHDBADDRESS``): "the world state can be re-generated from the blockchain
  at any time … if a peer fails abnormally, the world state can be regenerated on peer restart,
  before transactions are accepted"
  (https://github.com/hyperledger/fabric/blob/3e58b161c5b1fdf106a3b4271fad94034492e0ae/docs/source/ledger/ledger.md).

The sidecar is that database when the program's settings pick it and its address is the pod's
own (``localhost``): the containers of a pod share its network.
"""

from __future__ import annotations

from stateward.analysis.audit.dependencies import container_settings
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["derived_state"]

# (variable picking the state database, its value, variable of its address, the sidecar's
# image word, what it holds)
_DERIVED = (
    (
        "CORE_LEDGER_STATE_STATEDATABASE",
        "couchdb",
        "CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS",
        "couchdb",
        "the Fabric peer's world state, regenerated from its blockchain on restart",
    ),
)
_OWN_POD = ("localhost", "127.0.0.1")


def derived_state(workload: Workload, sidecar: Container, estate: Estate) -> str:
    """What a sidecar store holds when the pod's program derives all of it from its own log
    ('' when it may hold anything else)."""
    primary = workload.primary
    if primary is None or sidecar is primary:
        return ""
    settings = container_settings(workload, primary, estate)
    for variable, value, address, image, holds in _DERIVED:
        if settings.get(variable, "").strip().lower() != value:
            continue
        host = settings.get(address, "").rsplit(":", 1)[0].strip().lower()
        if host in _OWN_POD and image in image_words(sidecar.image):
            return holds
    return ""
