"""The server under load: uvicorn on loopback over a SQLite store holding the shop and a ledger
of ``BENCH_SERVE_ENTRIES`` entries (default 100,000), with 1, 10 and 50 concurrent clients
(threads with a connection each): p50/p99 of the component page, of an inclusion proof and of
a tile, each as a ratio to ``/healthz`` measured in the same run at the same concurrency, and
how p50 grows from 1 client to 10 and 50 (no worse than linear is at most 10x and 50x).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.bench_ledger import _entries
from stateward import api
from stateward.server import Settings

ENTRIES = int(os.environ.get("BENCH_SERVE_ENTRIES", "100000"))
CLIENTS = (1, 10, 50)
REQUESTS = 400  # per concurrency level and route, spread over the clients
ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "examples" / "shop"


def run() -> list[str]:
    from tests.server.conftest import running  # the tests' uvicorn-in-a-thread

    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-server-") as scratch:
        os.environ["XDG_CONFIG_HOME"] = str(Path(scratch, "config"))
        location = _store(Path(scratch, "store"))
        token = api.make_token(location, "read").value
        size = api.figures(location).ledger_entries
        routes = {
            "healthz": lambda: "/healthz",
            "component page": lambda: "/estates/shop/components/k8s:StatefulSet/shop/postgres",
            "inclusion proof": lambda: f"/api/v1/ledger/entries/{random.randrange(size)}/proof",
            "tile": lambda: f"/log/tile/0/{_tile(random.randrange(size // 256))}",
        }
        with running(location, Settings(failed_auth=1 << 30)) as url:
            p50s: dict[str, dict[int, float]] = {name: {} for name in routes}
            for clients in CLIENTS:
                base = None
                for name, path in routes.items():
                    times = _load(url, token, path, clients)
                    p50, p99 = _quantiles(times)
                    p50s[name][clients] = p50
                    base = base or p50
                    lines.append(
                        f"{clients:>2} clients, {name}: p50 {p50 * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms"
                        f" = {p50 / base:.1f} x /healthz"
                    )
        for name, by_clients in p50s.items():
            growth = ", ".join(f"{by_clients[c] / by_clients[1]:.1f} x at {c}" for c in CLIENTS[1:])
            lines.append(f"{name}: p50 growth from 1 client: {growth}")
    return [f"store: the shop and a ledger of {size:,} entries", *lines]


def _store(path: Path) -> str:
    location = str(path)
    for source in ("production", "live/production.yaml"):
        api.scan(location, [str(SHOP / source)], estate="shop")
    store = api.opened(location)
    store.ledger.append(_entries(store, ENTRIES))
    api.checkpoint(location)
    return location


def _tile(n: int) -> str:
    """tlog-tiles' path of tile index ``n`` (groups of three digits, x-prefixed but the last)."""
    digits = f"{n:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def _load(url: str, token: str, path: Callable[[], str], clients: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()
    each = max(1, REQUESTS // clients)

    def client() -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        mine = []
        for _ in range(each):
            started = time.perf_counter()
            answer = session.get(url + path(), timeout=120)
            mine.append(time.perf_counter() - started)
            if answer.status_code != 200:
                raise AssertionError(f"{answer.status_code}: {answer.text[:200]}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _quantiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99)]
