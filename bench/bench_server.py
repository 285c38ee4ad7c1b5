"""The server under load: ``stateward serve`` in a process of its own over a SQLite store holding
the shop and a ledger of ``BENCH_SERVE_ENTRIES`` entries (default 100,000), with 1, 10 and 50
concurrent clients: p50/p99 of the component page, of an inclusion proof and of a tile, each as
a ratio to ``/healthz`` measured in the same run at the same concurrency, and how p50 grows from
1 client to 10 and 50 (no worse than linear: p50 at N clients at most N times p50 at 1). The
server's CPU time per request at each level tells queueing (flat) from contention (rising):
once the server is saturated, p50 grows with clients as its CPU per request and its share of
a shared machine allow.

The store also holds an estate ``big`` of ``BENCH_SERVE_COMPONENTS`` Deployments (default
1,000, so ``make bench`` ends in minutes), whose component page is measured too. The ledger is
exported as tiles and Debian's nginx serves them on loopback: the same tile paths at the same
concurrency give stateward/nginx p50 and p99 ratios (target at most 2x). The full size of the
load figures is ``BENCH_SERVE_ENTRIES=1000000 BENCH_SERVE_COMPONENTS=10000``.

``BENCH_SERVE_WORKERS`` (default ``1``; a list such as ``1,2`` measures each in turn, over the
same store) is the server's ``--workers``; nginx runs as many worker processes. wrk runs on
the same machine, so on two cores it takes its share of them from either server.

The load comes from wrk (:mod:`bench.wrk`), the same client for both servers, each level for
``BENCH_SERVE_SECONDS`` (default 5) after a second unmeasured. Every tile is asked for once
first, and that pass timed: the server then answers them from memory, as nginx answers from
the page cache the export has just filled. nginx and wrk are Debian's, installed with apt-get when
missing; without them the benchmark says what it skipped.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import requests

from bench import nginx, served, wrk
from bench.bench_ledger import _entries
from bench.settings import env_int, env_ints
from bench.timing import timed
from stateward import api

ENTRIES = env_int("BENCH_SERVE_ENTRIES", 100000)
COMPONENTS = env_int("BENCH_SERVE_COMPONENTS", 1000)
SECONDS = env_int("BENCH_SERVE_SECONDS", 5)
WORKERS = env_ints("BENCH_SERVE_WORKERS", [1])
CLIENTS = (1, 10, 50)
PROOFS = 10_000  # random entries whose proofs are asked for (a path list wrk holds in memory)
ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "examples" / "shop"
TILE = "tile (stateward)"


def run() -> list[str]:
    load_tool, nginx_binary = wrk.binary(), nginx.binary()
    if load_tool is None:
        return ["skipped: wrk is not installed and apt-get could not install it"]
    with tempfile.TemporaryDirectory(prefix="bench-server-") as scratch:
        os.environ["XDG_CONFIG_HOME"] = str(Path(scratch, "config"))
        took, location = timed(lambda: _store(Path(scratch, "store")))
        token = api.make_token(location, "read").value
        size = api.figures(location).ledger_entries
        lines = [
            f"store: the shop, {COMPONENTS:,} components and a ledger of {size:,} entries, "
            f"built in {took:.0f} s"
        ]
        tiles = [f"/tile/0/{_tile(n)}" for n in range(size // 256)]
        routes = {
            "healthz": ["/healthz"],
            "component page": ["/estates/shop/components/k8s:StatefulSet/shop/postgres"],
            "big estate component page": [
                f"/estates/big/components/k8s:Deployment/bench/app-{n}" for n in range(COMPONENTS)
            ],
            "inclusion proof": [
                f"/api/v1/ledger/entries/{random.randrange(size)}/proof" for _ in range(PROOFS)
            ],
            TILE: ["/log" + path for path in tiles],
        }
        for workers in WORKERS:
            lines += _measured(load_tool, nginx_binary, location, routes, token, workers)
    return lines


def _measured(
    tool: str,
    nginx_binary: str | None,
    location: str,
    routes: dict[str, list[str]],
    token: str,
    workers: int,
) -> list[str]:
    """Every route at every level against ``stateward serve --workers workers``, then the
    tiles against nginx with as many workers; each line says how many."""
    log = Path(location).parent / f"serve-{workers}.log"
    tiles = [path.removeprefix("/log") for path in routes[TILE]]
    with served.stateward(location, log, "--workers", str(workers)) as server:
        took, _ = timed(lambda: _every(server.url, routes[TILE], token))
        lines = [
            f"every tile asked for once, one client: {took / len(tiles) * 1e3:.2f} ms each "
            "(read from the store; then from memory, as nginx's from the page cache)"
        ]
        measured = {
            name: {c: _load(tool, server, paths, c, token) for c in CLIENTS}
            for name, paths in routes.items()
        }
        lines += _table(measured)
    lines += _against_nginx(tool, nginx_binary, location, tiles, measured[TILE], workers)
    return [f"[{workers} worker{'s' if workers > 1 else ''}] {line}" for line in lines]


def _load(tool: str, server: served.Server, paths: list[str], clients: int, token: str) -> wrk.Load:
    """One level of load, with every answer a success, after a second of the same unmeasured
    (the first proof and the first page of an estate read what later ones find cached)."""
    wrk.load(tool, server.url, paths, clients, 1, token)
    cpu = server.cpu_seconds()
    measured = wrk.load(tool, server.url, paths, clients, SECONDS, token)
    if measured.failed:
        raise AssertionError(f"{measured.failed} of {measured.requests} requests failed")
    return measured.spent_by_server(server.cpu_seconds() - cpu)


def _every(url: str, paths: list[str], token: str) -> None:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for path in paths:
            session.get(url + path, timeout=60).raise_for_status()


def _table(measured: dict[str, dict[int, wrk.Load]]) -> list[str]:
    lines = []
    for clients in CLIENTS:
        base = measured["healthz"][clients].p50
        for name, by_clients in measured.items():
            load = by_clients[clients]
            lines.append(
                f"{clients:>2} clients, {name}: p50 {load.p50 * 1e3:.2f} ms, "
                f"p99 {load.p99 * 1e3:.2f} ms, {load.rate:,.0f}/s = {load.p50 / base:.1f} x "
                f"/healthz; server CPU {load.server_cpu_each * 1e3:.2f} ms a request, the "
                f"client's {load.client_share:.0%} of it"
            )
    for name, by_clients in measured.items():
        growth = ", ".join(
            f"{by_clients[c].p50 / by_clients[1].p50:.1f} x at {c}" for c in CLIENTS[1:]
        )
        lines.append(f"{name}: p50 growth from 1 client: {growth} (linear: at most N x)")
    return lines


def _against_nginx(
    tool: str,
    binary: str | None,
    location: str,
    tiles: list[str],
    ours: dict[int, wrk.Load],
    workers: int,
) -> list[str]:
    """nginx serving the same tiles, exported from the store, at the same concurrency (as
    many processes each; the server's figures were measured while nginx was not running)."""
    if binary is None:
        return ["tiles against nginx: skipped, nginx is not installed and apt-get could not"]
    scratch = Path(location).parent
    if not (scratch / "tiles").exists():
        api.export_tiles(location, scratch / "tiles")
    scratch.chmod(0o755)  # nginx's workers run as nobody and must reach the tiles
    lines = []
    prefix = scratch / f"nginx-{workers}"
    with nginx.serving(binary, scratch / "tiles", prefix, workers) as theirs:
        for clients in CLIENTS:
            mine, their = ours[clients], wrk.load(tool, theirs, tiles, clients, SECONDS)
            lines.append(
                f"{clients:>2} clients, tile stateward/nginx: p50 {mine.p50 * 1e3:.3f}/"
                f"{their.p50 * 1e3:.3f} ms = {mine.p50 / their.p50:.1f} x, p99 "
                f"{mine.p99 * 1e3:.2f}/{their.p99 * 1e3:.2f} ms = {mine.p99 / their.p99:.1f} x, "
                f"{mine.rate:,.0f}/{their.rate:,.0f} per s (target <= 2 x); wrk used "
                f"{their.client_cpu / their.seconds:.2f} cores against nginx"
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
