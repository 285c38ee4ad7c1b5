"""wrk (https://github.com/wg/wrk, Debian's ``wrk``) as the one load generator for every server
a benchmark compares: a client in C, separate from the server's process, that costs the shared
cores a small fraction of what the server spends (``Load.client_cpu`` says how much), so at 50
clients the server is measured, not the client. A Python client in the server's process, as
this benchmark had before, shares one GIL with it: its own ~1 ms per request was most of what
was measured, and its 50 threads starved the server's event loop.

Each connection sends its next request when the last answer has arrived (a closed loop), on a
path drawn at random from a list; latencies are wrk's own per-request figures.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from bench.debian import tool

__all__ = ["Load", "binary", "load"]

# wrk's Lua API (its SCRIPTING file, /usr/share/doc/wrk/SCRIPTING.gz in Debian's wrk 4.1.0):
# init() runs in each of its threads, request() builds each request, done() runs once with the
# latency histogram in microseconds
SCRIPT = """
local paths, token = {}, nil
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  token = args[2]
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  local headers = {}
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""
_RESULT = re.compile(r"wrk-result (\d+) (\d+) (\d+) (\d+) (\d+)")


@dataclass(frozen=True)
class Load:
    """What one run of wrk measured."""

    requests: int
    seconds: float
    p50: float
    """Seconds."""
    p99: float
    failed: int
    """Answers that were not 2xx/3xx, and socket errors and timeouts."""
    client_cpu: float
    """CPU seconds wrk itself spent."""
    server_cpu: float | None = None
    """CPU seconds the server spent meanwhile, when known."""

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds

    @property
    def client_share(self) -> float:
        """wrk's CPU as a share of the server's: well below 1, the server is what is measured."""
        return self.client_cpu / self.server_cpu if self.server_cpu else float("nan")

    @property
    def server_cpu_each(self) -> float:
        """The server's CPU seconds per request."""
        return (
            self.server_cpu / self.requests if self.server_cpu and self.requests else float("nan")
        )

    def spent_by_server(self, cpu: float) -> Load:
        return replace(self, server_cpu=cpu)


def binary() -> str | None:
    """wrk's path, installing Debian's wrk when apt-get can; None when neither works."""
    return tool("wrk", "wrk")


def load(
    wrk: str,
    url: str,
    paths: list[str],
    clients: int,
    seconds: int,
    token: str | None = None,
) -> Load:
    """``clients`` connections to ``url`` for ``seconds``, each asking for random ``paths``
    (with ``token`` as a bearer token). The token goes to wrk as an argument of its script, so
    it is in wrk's command line for that long: a benchmark's throw-away token only."""
    scratch = Path(tempfile.gettempdir())
    script, listed = scratch / f"wrk-{os.getpid()}.lua", scratch / f"wrk-{os.getpid()}.paths"
    script.write_text(SCRIPT)
    listed.write_text("\n".join(paths) + "\n")
    threads = min(clients, 2)  # the machine's two cores; more threads would only contend
    command = [wrk, f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script), url, "--", str(listed), *([token] if token else [])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        script.unlink(missing_ok=True)
        listed.unlink(missing_ok=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = _RESULT.search(done.stdout)
    if done.returncode or found is None:  # its command line, which holds the token, unsaid
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-500:]}")
    count, micros, p50, p99, failed = (int(g) for g in found.groups())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Load(count, micros / 1e6, p50 / 1e6, p99 / 1e6, failed, cpu)
