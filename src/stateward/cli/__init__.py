"""The ``stateward`` command: a thin shell over the library (one module per command group).

Each command's module is imported only when that command runs (``cli/lazy.py``), so ``--help``
and shell completion start in a fraction of a second. A command's module in turn imports the
library (through the lazy :mod:`stateward.api`), the renderers and the console inside the
functions that run it, so ``stateward CMD --help`` and completing CMD's options import neither;
the values its options show come from ``cli/choices.py``.
"""

from __future__ import annotations

import click

from stateward import __version__
from stateward.cli.exits import EXIT_CODES_HELP
from stateward.cli.lazy import Lazy, LazyGroup

__all__ = ["main"]

# name -> where the command lives and what --help lists for it (tests/cli/test_entry.py checks)
COMMANDS = {
    "scan": Lazy("stateward.cli.scan:scan", "Record an observation of an estate and show what changed.", short=True),
    "estates": Lazy("stateward.cli.inventory:estates", "List the estates in the store with their number of observations."),
    "history": Lazy("stateward.cli.inventory:history", "List the observations of ESTATE, oldest first, by number (#N: see ESTATE@#N)."),
    "show": Lazy("stateward.cli.inventory:show_command", "Show the components of ESTATE (or one COMPONENT's full context), now or --at TIME."),
    "drift": Lazy("stateward.cli.compare:drift_command", "Compare DESIRED with LIVE; each is a path (manifests, Compose, engine://) or ESTATE[@TIME]."),
    "parity": Lazy("stateward.cli.compare:parity_command", "Compare ESTATE_A with ESTATE_B (each ESTATE[@TIME] or a path), component by component."),
    "ledger": Lazy("stateward.cli.ledger:ledger", "The append-only Merkle-tree ledger (RFC 9162) of the store, with signed checkpoints."),
    "at": Lazy("stateward.cli.timeline:at", "The full context of every component of --estate as observed at TIME: ISO 8601, now, a time ago (2h, -1d), or observation number N (#N)."),
    "timeline": Lazy("stateward.cli.timeline:timeline", "How the components of --estate changed, observation by observation."),
    "audit": Lazy("stateward.cli.audit:audit", "Find where state hides: classes, gravity, dependencies.", short=True),
    "capture": Lazy("stateward.cli.evidence:capture", "Capture each CONTAINER (name or ID) from outside it, through the engine API only: processes, network, writable layer and changed files, logs, inspect document; seal and log its bundle (with -o json or yaml, one document per container)."),
    "guard": Lazy("stateward.cli.evidence:guard", "Watch the engine and capture every container that dies, is killed or stopped, so its evidence outlives it."),
    "evidence": Lazy("stateward.cli.evidence:evidence", "Sealed evidence bundles: list, show, export, verify."),
    "cost": Lazy("stateward.cli.cost:cost", "Price the changes to SOURCE: per component in place or replace, bytes pulled, CPU-seconds, degraded minutes, backend load; totals per deploy and per month; and the cheapest safe strategy."),
    "keys": Lazy("stateward.cli.keys:keys", "The store's two keys: the HMAC key of its secret digests and the ledger's log key."),
    "store": Lazy("stateward.cli.store:store", "Move a store between SQLite and PostgreSQL, or back it up, with its ledger intact."),
    "serve": Lazy("stateward.cli.serve:serve", "Serve the store over HTTP: the dashboard, the REST API under /api/v1/, live updates under /events, /metrics, the ledger as C2SP tlog-tiles under /log/, /healthz and /readyz."),
    "tokens": Lazy("stateward.cli.serve:tokens", "Bearer tokens for `stateward serve` (only their digests are stored)."),
    "doctor": Lazy("stateward.cli.doctor:doctor", "Check this machine's setup: the store, its keys, the container engine, the cluster and the versions in use."),
    "watch": Lazy("stateward.cli.watch:watch_command", "Follow a live cluster or engine and record its changes as they happen.", short=True),
}  # fmt: skip


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="stateward")
def main() -> None:
    """Stateward governs change: observe estates, diff them, find hidden state, price
    replacement, capture evidence, and prove history in a Merkle-tree ledger."""
