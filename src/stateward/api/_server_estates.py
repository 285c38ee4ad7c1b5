"""Estates a server collects, declared in ``stateward.yaml``, and the collector that records
them into one store::

    estates:
      - name: shop
        sources: [live/production.yaml]     # any scan locations: files, engine://, kube://, …
        desired: production                 # optional: the desired source, recorded as the
                                            # estate ``shop.desired`` so drift has a side
        interval: 300                       # seconds between observations (default 300)
        notify: [{webhook: https://hooks.example/x}]   # see _server_notify

Relative file locations are read from the folder of ``stateward.yaml``. Every collector writes
through the store, whose appends are serialized (``ledger/storage/sql.py``), so many collectors,
in one process or many, sequence one ledger without gaps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.api._scan import Scanned, scan
from stateward.api._server_notify import Notice, Receiver, notice_for, receivers, send
from stateward.api._stores import StoreRef
from stateward.config import read_yaml
from stateward.errors import InputError, StatewardError

__all__ = ["DESIRED", "Collecting", "DeclaredEstate", "collect", "collect_once", "declared_estates"]

DESIRED = ".desired"
"""Suffix of the estate a declared desired source is recorded as."""
_INTERVAL_S = 300.0
_MIN_INTERVAL_S = 1.0
_FIELDS = {"name", "sources", "desired", "interval", "notify"}


@dataclass(frozen=True)
class DeclaredEstate:
    """One ``estates:`` entry, its file locations made absolute."""

    name: str
    sources: tuple[str, ...]
    desired: tuple[str, ...] = ()
    interval_s: float = _INTERVAL_S
    base: Path = Path(".")
    """The folder of the ``stateward.yaml`` that declared it (file sources may be read there)."""
    notify: tuple[Receiver, ...] = ()

    @property
    def desired_estate(self) -> str | None:
        """The estate its desired source is recorded as; None without one."""
        return self.name + DESIRED if self.desired else None


def declared_estates(path: Path) -> list[DeclaredEstate]:
    """The ``estates:`` of ``path`` (none when it has no such section); InputError naming the
    file and the entry for anything wrong."""
    document = read_yaml(path) or {}
    if not isinstance(document, dict):
        raise InputError(str(path), "not a mapping")
    entries = document.get("estates", [])
    if not isinstance(entries, list):
        raise InputError(f"{path}: estates", "not a list")
    declared = [_entry(path, n, e) for n, e in enumerate(entries)]
    names = [d.name for d in declared]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"{path}: estates", f"{twice[0]!r} is declared more than once")
    return declared


def _entry(path: Path, n: int, entry: Any) -> DeclaredEstate:
    where = f"{path}: estates[{n}]"
    if not isinstance(entry, dict):
        raise InputError(where, "not a mapping")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise InputError(
            where, f"unknown field {unknown[0]!r}; known: {', '.join(sorted(_FIELDS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not name or any(c in name for c in "@/ \t\n"):
        raise InputError(where, "name: a non-empty estate name without '@', '/' or spaces")
    base = path.resolve().parent
    sources = _locations(f"{where}.sources", entry.get("sources"), base, required=True)
    desired = _locations(f"{where}.desired", entry.get("desired"), base, required=False)
    interval = entry.get("interval", _INTERVAL_S)
    if isinstance(interval, bool) or not isinstance(interval, int | float):
        raise InputError(f"{where}.interval", "not a number of seconds")
    if interval < _MIN_INTERVAL_S:
        raise InputError(f"{where}.interval", f"under {_MIN_INTERVAL_S:g} second")
    notify = receivers(f"{where}.notify", entry.get("notify"))
    return DeclaredEstate(name, sources, desired, float(interval), base, notify)


def _locations(where: str, value: Any, base: Path, *, required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise InputError(where, "a location or a non-empty list of locations")
    # a URL-like location (engine://, kube://, host://) is the source's; a path is the file's
    return tuple(i if "://" in i else str(base / i) for i in items)


def collect_once(store: StoreRef, estate: DeclaredEstate) -> list[Scanned]:
    """Record ``estate`` (and its desired source, when declared) once."""
    scanned = [scan(store, estate.sources, estate=estate.name, allow_outside=(estate.base,))]
    if estate.desired_estate:
        scanned.append(
            scan(store, estate.desired, estate=estate.desired_estate, allow_outside=(estate.base,))
        )
    return scanned


@dataclass(frozen=True)
class Collecting:
    """What one collector round did: the observations recorded, or the error that stopped it."""

    estate: str
    recorded: tuple[int, ...]
    error: StatewardError | None = None
    notice: Notice | None = None
    """What was new and sent to the estate's receivers."""


def collect(
    store: StoreRef,
    estates: list[DeclaredEstate],
    stop: threading.Event,
    on_round: Callable[[Collecting], None] = lambda _: None,
) -> list[threading.Thread]:
    """Start one thread per estate recording it every ``interval`` until ``stop`` is set; a
    round that fails is reported to ``on_round`` and tried again next interval (the rest go
    on). The threads are returned started."""
    threads = [
        threading.Thread(
            target=_loop, args=(store, e, stop, on_round), name=f"collect {e.name}", daemon=True
        )
        for e in estates
    ]
    for thread in threads:
        thread.start()
    return threads


def _loop(
    store: StoreRef,
    estate: DeclaredEstate,
    stop: threading.Event,
    on_round: Callable[[Collecting], None],
) -> None:
    while not stop.is_set():
        try:
            scanned = collect_once(store, estate)
            notice = _notify(store, estate, scanned[0])
            on_round(Collecting(estate.name, tuple(s.record.seq for s in scanned), None, notice))
        except StatewardError as error:  # NothingRecorded too: an unreadable source
            on_round(Collecting(estate.name, (), error))
        stop.wait(estate.interval_s)


def _notify(store: StoreRef, estate: DeclaredEstate, live: Scanned) -> Notice | None:
    if not estate.notify:
        return None
    previous = live.previous.seq if live.previous else None
    notice = notice_for(store, estate.name, live.record.seq, estate.desired_estate, previous)
    if notice is not None:
        send(notice, estate.notify)
    return notice
