"""Running the probe: in this process for ``host://``, on the target over SSH for ``ssh://``.

Over SSH nothing is installed: the probe's modules go as source text inside ``python3 -c``
(compressed, well under Linux's 128 KiB single-argument limit, ``MAX_ARG_STRLEN``), the request
as JSON on its standard input, and the facts come back as JSON on its standard output. Authentication is by key only
(asyncssh, https://asyncssh.readthedocs.io/en/stable/api.html#connect), against known hosts:
an unknown host key is refused, never accepted on first use.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import os
import shlex
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stateward.errors import SourceError
from stateward.sources.host import probe

__all__ = ["SshTarget", "parse_ssh", "probe_command", "run_local", "run_ssh"]

MAX_ANSWER_BYTES = 1 << 30
TIMEOUT_S = 600.0


def run_local(request: dict[str, Any]) -> dict[str, Any]:
    """The probe run here, on this machine."""
    return probe.collect(request)


@dataclass(frozen=True, slots=True)
class SshTarget:
    """``ssh://user@host:port``: who to log in as, and where."""

    user: str
    host: str
    port: int


def parse_ssh(location: str) -> SshTarget:
    """The target of an ``ssh://user@host[:port]`` location; SourceError when malformed."""
    try:
        parts = urlsplit(location)
        port = parts.port or 22
    except ValueError as exc:
        raise SourceError(f"not an ssh:// URL ({exc})") from None
    if not parts.hostname or not parts.username or parts.path not in ("", "/") or parts.password:
        raise SourceError(
            "not an ssh://user@host[:port] URL",
            remedy="Give the user and the host; keys come from STATEWARD_SSH_KEY or ~/.ssh.",
        )
    return SshTarget(parts.username, parts.hostname, port)


def run_ssh(
    target: SshTarget, request: dict[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The probe run on ``target``; SourceError when the host cannot be reached or refuses."""
    env = os.environ if environ is None else environ
    import asyncio  # here, not above: host:// (this machine) never needs an event loop

    try:
        import asyncssh  # the [host] extra: host:// and the rest of the core run without it
    except ImportError:
        raise SourceError("ssh:// needs asyncssh: pip install 'stateward[host]'") from None
    try:
        answer = asyncio.run(_run(target, request, env))
    except (TimeoutError, OSError, asyncssh.Error) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(f"cannot run the probe over SSH: {reason}") from None
    try:
        facts: dict[str, Any] = json.loads(answer)
    except ValueError:
        raise SourceError("the probe's answer is not JSON") from None
    return facts


# Runs on the target: each shipped module is made from its source text under its own name, its
# parent packages empty stand-ins, so the probe's imports of one another resolve in memory.
_LOADER = """import base64,json,sys,types,zlib
for n in ("stateward","stateward.sources","stateward.sources.host"):
    sys.modules[n]=types.ModuleType(n); sys.modules[n].__path__=[]
for n,code in json.loads(zlib.decompress(base64.b64decode("{}"))):
    m=sys.modules[n]=types.ModuleType(n); exec(compile(code,n,"exec"),m.__dict__)
sys.modules["stateward.sources.host.probe"].main()
"""


def probe_command() -> str:
    """The shell command that runs the probe with nothing installed but python3: the probe's
    modules travel compressed inside the command itself."""
    shipped = [(name, inspect.getsource(importlib.import_module(name))) for name in probe.MODULES]
    code = base64.b64encode(zlib.compress(json.dumps(shipped).encode())).decode()
    return "python3 -c " + shlex.quote(_LOADER.format(code))


def _request_text(request: dict[str, Any]) -> str:
    """The request as the JSON the probe reads; its mappings that are not dicts (the recorded
    entries, read on demand here) as the dicts they stand for: the target reads them all."""
    return json.dumps(request, default=dict)


async def _run(target: SshTarget, request: dict[str, Any], env: Mapping[str, str]) -> str:
    import asyncio

    import asyncssh

    keys = [env["STATEWARD_SSH_KEY"]] if env.get("STATEWARD_SSH_KEY") else ()
    known = env.get("STATEWARD_SSH_KNOWN_HOSTS") or str(Path.home() / ".ssh" / "known_hosts")
    async with asyncssh.connect(
        target.host, target.port, username=target.user, client_keys=keys or None,
        known_hosts=known, config=[], agent_path=None, connect_timeout=30,
    ) as conn:  # fmt: skip
        result = await asyncio.wait_for(
            conn.run(probe_command(), input=_request_text(request), check=False), TIMEOUT_S
        )
    if result.exit_status != 0:
        tail = str(result.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise SourceError(
            f"the probe failed (exit {result.exit_status}): {tail[0]}",
            remedy="The target needs a POSIX shell and python3 on its PATH.",
        )
    stdout = result.stdout
    text = stdout.decode() if isinstance(stdout, bytes) else str(stdout or "")
    if len(text) > MAX_ANSWER_BYTES:
        raise SourceError(
            f"ssh://{target.host}: the probe's answer is over {MAX_ANSWER_BYTES} bytes"
        )
    return text
