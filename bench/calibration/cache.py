"""A real Redis in front of a real PostgreSQL, replaced mid-run: backend queries per second.

Cache-aside client, open loop at a fixed request rate: a share of requests goes to a hot set of
keys (uniformly), the rest to keys never seen twice (the uncacheable tail), so the steady hit
ratio is about that share. The cache is replaced by stopping the redis-server process and
starting a new, empty one on the same port (what replacing a cache container does); while it is
down, clients go straight to PostgreSQL. Every backend query is placed on the schedule's clock
(when its request was due: see ``CacheRun.backend_times``), and the total is checked against
PostgreSQL's own counter (``pg_stat_database.xact_commit``).
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import psycopg

from bench.calibration.resp import Redis

__all__ = ["CacheRun", "Workload", "run_cache"]

DATABASE = "stateward_bench_cost"


@dataclass(frozen=True, slots=True)
class Workload:
    """Request rate, hot set and the share of requests that go to it."""

    rate: float = 1000.0
    hot_keys: int = 4000
    hot_share: float = 0.9
    steady_s: float = 8.0
    after_s: float = 30.0


@dataclass(slots=True)
class CacheRun:
    """What one run measured."""

    backend_times: list[float] = field(default_factory=list)
    """When each request that reached PostgreSQL was due on the open-loop schedule. Not when it
    was sent: on a loaded machine the client falls behind while every request misses and
    catches up later, and per wall-clock second that lag read as 4× or 11× the backend load
    where the model says 8.7× (load 13–16 on 2 cores). The model prices queries per request at
    the workload's rate, which is what the schedule's clock counts."""
    requests: int = 0
    hit_ratio: float = 0.0
    """From Redis's own INFO counters over the steady phase."""
    killed_at: float = 0.0
    """Where the schedule stood when the cache was stopped; ``up_at`` adds the time it was down."""
    up_at: float = 0.0
    server_queries: int = 0
    """PostgreSQL's count of transactions in the bench database over the whole run."""
    started_at: float = 0.0
    ended_at: float = 0.0

    def rate(self, start: float, end: float) -> float:
        """Backend queries per second in [start, end)."""
        count = sum(1 for t in self.backend_times if start <= t < end)
        return count / (end - start)


def run_cache(pg_url: str, workload: Workload) -> CacheRun:
    """Prepare the database, run the workload, replace the cache half-way."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run `make services`")
    backend_url = _prepare(pg_url, workload.hot_keys)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="stateward-bench-redis-") as folder:
        server = _start_redis(binary, port, folder)
        try:
            _preload(port, workload.hot_keys)
            return _drive(binary, port, folder, server, pg_url, backend_url, workload)
        finally:
            server[0].terminate()
            server[0].wait(timeout=10)


def _drive(
    binary: str,
    port: int,
    folder: str,
    server: list[subprocess.Popen[bytes]],
    pg_url: str,
    backend_url: str,
    workload: Workload,
) -> CacheRun:
    run = CacheRun()
    before = _server_count(pg_url)
    rng = random.Random(7)
    with psycopg.connect(backend_url, autocommit=True) as backend:
        client: Redis | None = Redis(port)
        run.started_at = start = time.perf_counter()
        replace_at = start + workload.steady_s
        end = replace_at + workload.after_s
        index, last_try = 0, 0.0
        while (due := start + index / workload.rate) < end:
            if run.killed_at == 0.0 and due >= replace_at:
                run.hit_ratio = _hit_ratio(port)
                killed, up = _replace(binary, port, folder, server)
                run.killed_at, run.up_at = due, due + (up - killed)
                client = None
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            if client is None and time.perf_counter() - last_try > 0.01:
                client, last_try = _connect(port), time.perf_counter()
            client = _request(client, backend, run, _key(rng, workload), due)
            index += 1
        run.ended_at = time.perf_counter()
        run.requests = index
    run.server_queries = _server_count(pg_url) - before
    return run


def _key(rng: random.Random, workload: Workload) -> int:
    if rng.random() < workload.hot_share:
        return rng.randrange(workload.hot_keys)
    return rng.randrange(10**6, 10**12)  # the tail: practically never asked for twice


def _request(
    client: Redis | None, backend: psycopg.Connection, run: CacheRun, key: int, due: float
) -> Redis | None:
    name = f"item:{key}"
    try:
        if client is not None and client.get(name) is not None:
            return client
    except OSError:
        client = None
    row = backend.execute("SELECT payload FROM items WHERE id = %s", (key,)).fetchone()
    run.backend_times.append(due)
    try:
        if client is not None:
            client.command("SET", name, row[0] if row else "-")
    except OSError:
        client = None
    return client


def _connect(port: int) -> Redis | None:
    try:
        return Redis(port)
    except OSError:
        return None


def _replace(
    binary: str, port: int, folder: str, server: list[subprocess.Popen[bytes]]
) -> tuple[float, float]:
    killed = time.perf_counter()
    server[0].terminate()
    server[0].wait(timeout=10)
    server[:] = _start_redis(binary, port, folder)
    return killed, time.perf_counter()


def _start_redis(binary: str, port: int, folder: str) -> list[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        try:
            Redis(port).command("PING")
            return [process]
        except OSError:
            time.sleep(0.002)
    process.terminate()
    raise RuntimeError("redis-server did not answer within 10 s")


def _preload(port: int, hot_keys: int) -> None:
    client = Redis(port)
    for key in range(hot_keys):
        client.command("SET", f"item:{key}", f"payload-{key}")
    client.command("CONFIG", "RESETSTAT")
    client.close()


def _hit_ratio(port: int) -> float:
    client = Redis(port)
    info = client.command("INFO", "stats")
    client.close()
    stats = dict(
        line.split(":", 1) for line in bytes(info or b"").decode().splitlines() if ":" in line
    )
    hits, misses = int(stats["keyspace_hits"]), int(stats["keyspace_misses"])
    return hits / (hits + misses)


def _prepare(pg_url: str, hot_keys: int) -> str:
    with psycopg.connect(pg_url, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if not exists:
            admin.execute(f"CREATE DATABASE {DATABASE}")
    backend_url = pg_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(backend_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS items")
        conn.execute("CREATE TABLE items (id bigint PRIMARY KEY, payload text NOT NULL)")
        conn.execute(
            "INSERT INTO items SELECT g, md5(g::text) FROM generate_series(0, %s) g",
            (hot_keys - 1,),
        )
    return backend_url


def _server_count(pg_url: str) -> int:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(1.1)  # backends flush their counters at most once a second
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
    return int(row[0]) if row else 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
