"""The ``stateward`` command: a thin shell over the library (one module per command group)."""

from __future__ import annotations

import click

from stateward import __version__
from stateward.cli.audit import audit
from stateward.cli.common import EXIT_CODES_HELP
from stateward.cli.cost import cost
from stateward.cli.drift import drift_command
from stateward.cli.evidence import capture, evidence, guard
from stateward.cli.inventory import estates, history, show
from stateward.cli.keys import keys
from stateward.cli.ledger import ledger
from stateward.cli.parity import parity_command
from stateward.cli.scan import scan
from stateward.cli.store import store
from stateward.cli.timeline import at, timeline

__all__ = ["main"]


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stateward")
def main() -> None:
    """Stateward governs change: observe estates, diff them, find hidden state, price
    replacement, capture evidence, and prove history in a Merkle-tree ledger."""


main.add_command(scan)
main.add_command(estates)
main.add_command(history)
main.add_command(show)
main.add_command(drift_command)
main.add_command(parity_command)
main.add_command(ledger)
main.add_command(at)
main.add_command(timeline)
main.add_command(audit)
main.add_command(capture)
main.add_command(guard)
main.add_command(evidence)
main.add_command(cost)
main.add_command(keys)
main.add_command(store)
