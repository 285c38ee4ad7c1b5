"""Connections to an engine that may go away (restarted, its socket gone): the first at once,
then another each time the caller is done with the last, waiting between failed attempts with
the ``kube://`` watch's backoff (doubling from the first wait to the longest)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from stateward.errors import SourceError
from stateward.sources.engine.client import Engine, connect
from stateward.sources.engine.endpoint import Endpoint

__all__ = ["BACKOFF_S", "connections"]

BACKOFF_S = (0.5, 10.0)
"""First and longest wait before connecting again to an engine that went away."""


def connections(
    location: Endpoint, stop: threading.Event, backoff_s: tuple[float, float] = BACKOFF_S
) -> Iterator[Engine]:
    """Each connection to the engine at ``location``, until ``stop``. The first is made at
    once and its failure raised (SourceError: nothing to follow); later ones are tried again
    until the engine answers."""
    yield connect(location)
    delay = backoff_s[0]
    while not stop.is_set():
        try:
            engine = connect(location)
        except SourceError:
            stop.wait(delay)
            delay = min(delay * 2, backoff_s[1])
            continue
        delay = backoff_s[0]
        yield engine
