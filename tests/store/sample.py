"""A small store that writes a row in every table the store has, for the damage tests.

Two observations of one estate (a full manifest, then a delta), a policy and an evidence entry,
an erased object (a tombstone and its ``ledger_erasures`` row) and a signed checkpoint.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from stateward.api import observe
from stateward.ledger.entry import EntryType
from stateward.store import open_store

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def build_sample(location: str) -> None:
    """Write the sample history into the empty store at ``location`` and close it."""
    store = open_store(location)
    store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    store.record(observe([str(SHOP / "live/production.yaml")], estate="shop", keeper=store.keeper))
    policy = store.put_object(b"policy: every image pinned")
    store.append_entry(EntryType.POLICY, "shop", {"policy": policy}, time=T0)
    seal = store.put_object(b"evidence bundle")
    store.append_entry(EntryType.EVIDENCE, "shop", {"seal": seal}, time=T0)
    store.erase_object(seal, "test: erased on request", time=T0)
    store.ledger.checkpoint()
    store.close()


@contextmanager
def copy_of(location: str, admin_url: str | None, scratch: Path) -> Iterator[str]:
    """A copy of the (closed) store at ``location``: the directory with its key files for
    SQLite, a database made from it as a template for PostgreSQL (same origin, same keys)."""
    if admin_url is None:
        target = scratch / f"copy-{uuid.uuid4().hex[:8]}"
        shutil.copytree(location, target)
        yield str(target)
        shutil.rmtree(target)
        return
    base, _, template = location.rpartition("/")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
