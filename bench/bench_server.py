"""The server under load: uvicorn on loopback over a SQLite store holding the shop and a ledger
of ``BENCH_SERVE_ENTRIES`` entries (default 100,000), with 1, 10 and 50 concurrent clients
(threads with a connection each): p50/p99 of the component page, of an inclusion proof and of
a tile, each as a ratio to ``/healthz`` measured in the same run at the same concurrency, and
how p50 grows from 1 client to 10 and 50 (no worse than linear is at most 10x and 50x).

The store also holds an estate ``big`` of ``BENCH_SERVE_COMPONENTS`` Deployments (default
1,000, so ``make bench`` ends in minutes), whose component page is measured too. The ledger is exported as tiles and Debian's nginx
(installed with apt-get when missing; skipped with a message when it cannot be) serves them on
loopback: the same tile paths at the same concurrency give stateward/nginx p50 and p99 ratios
(target at most 2x). The full size of the load figures is ``BENCH_SERVE_ENTRIES=1000000
BENCH_SERVE_COMPONENTS=10000``.
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

from bench import nginx
from bench.bench_ledger import _entries
from stateward import api
from stateward.server import Settings

ENTRIES = int(os.environ.get("BENCH_SERVE_ENTRIES", "100000"))
COMPONENTS = int(os.environ.get("BENCH_SERVE_COMPONENTS", "1000"))
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
            "big estate component page": lambda: (
                f"/estates/big/components/k8s:Deployment/bench/app-{random.randrange(COMPONENTS)}"
            ),
            "inclusion proof": lambda: f"/api/v1/ledger/entries/{random.randrange(size)}/proof",
            "tile": lambda: f"/log/tile/0/{_tile(random.randrange(size // 256))}",
        }
        lines += _against_nginx(location, token, Path(scratch), size)
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
    return [f"store: the shop, {COMPONENTS:,} components and a ledger of {size:,} entries", *lines]


def _against_nginx(location: str, token: str, scratch: Path, size: int) -> list[str]:
    """The server's tiles against nginx serving the same exported tiles, p50 and p99 ratios."""
    from tests.server.conftest import running

    binary = nginx.binary()
    if binary is None:
        return [
            "tiles against nginx: skipped, nginx is not installed and apt-get could not install it"
        ]
    api.export_tiles(location, scratch / "tiles")
    scratch.chmod(0o755)  # nginx's workers run as nobody and must reach the tiles
    lines = []
    with (
        running(location, Settings(failed_auth=1 << 30)) as ours,
        nginx.serving(binary, scratch / "tiles", scratch / "nginx") as theirs,
    ):

        def tile() -> str:
            return f"/tile/0/{_tile(random.randrange(size // 256))}"

        for clients in CLIENTS:
            ours_p50, ours_p99 = _quantiles(_load(ours + "/log", token, tile, clients))
            their_p50, their_p99 = _quantiles(_load(theirs, token, tile, clients))
            lines.append(
                f"{clients:>2} clients, tile stateward/nginx: p50 {ours_p50 * 1e3:.1f}/"
                f"{their_p50 * 1e3:.1f} ms = {ours_p50 / their_p50:.1f} x, p99 {ours_p99 * 1e3:.1f}/"
                f"{their_p99 * 1e3:.1f} ms = {ours_p99 / their_p99:.1f} x (target <= 2 x)"
            )
    return lines


def _store(path: Path) -> str:
    location = str(path)
    for source in ("production", "live/production.yaml"):
        api.scan(location, [str(SHOP / source)], estate="shop")
    api.scan(location, [str(_deployments(path.parent / "big"))], estate="big")
    store = api.opened(location)
    store.ledger.append(_entries(store, ENTRIES))
    api.checkpoint(location)
    return location


def _deployments(directory: Path) -> Path:
    """``COMPONENTS`` small Deployment manifests in one multi-document file under ``directory``."""
    directory.mkdir()
    manifest = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{n}, namespace: bench}}\n"
        "spec: {{replicas: 1, template: {{spec: {{containers: [{{name: app, image: app:{n}}}]}}}}}}\n"
    )
    Path(directory, "apps.yaml").write_text(
        "---\n".join(manifest.format(n=n) for n in range(COMPONENTS))
    )
    return directory


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
