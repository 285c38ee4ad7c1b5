"""The useful facts of one ``docker inspect`` document, with secret values already digested.

Only named fields are copied: an inspect document also holds volatile state (PIDs, timestamps)
and, on Podman, ``Config.CreateCommand``, which repeats every ``-e NAME=value`` in clear.
Collections are maps keyed by identity (variable name, mount destination, port), never lists,
so two versions compare path by path.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from stateward.model.secrets import SecretKeeper
from stateward.sources.redact import redact_args, redact_env_value

__all__ = [
    "COMPOSE_PROJECT",
    "COMPOSE_SERVICE",
    "container_facts",
    "container_name",
    "redacted_inspect",
]

COMPOSE_PROJECT = "com.docker.compose.project"
COMPOSE_SERVICE = "com.docker.compose.service"
_COMPOSE_NUMBER = "com.docker.compose.container-number"

# Variables the engine adds by itself to every container (Podman: container/TERM/HOME; both:
# HOSTNAME). They are not context anyone declared, so they are left out when the value matches.
_ENGINE_ENV = {"container": ("podman", "docker", "oci"), "TERM": ("xterm",), "HOME": ("/root",)}
# HostConfig fields that bound what a container may use; zero or null means "no limit".
_LIMITS = (
    "Memory", "MemoryReservation", "MemorySwap", "NanoCpus", "CpuShares", "CpuPeriod",
    "CpuQuota", "CpusetCpus", "CpusetMems", "PidsLimit", "BlkioWeight", "ShmSize",
)  # fmt: skip


def container_facts(
    inspect: Mapping[str, Any], image: Mapping[str, Any], keeper: SecretKeeper
) -> dict[str, Any]:
    """Body of a ``Container`` resource from its inspect document and its image's."""
    config = inspect.get("Config") or {}
    baked = image.get("Config") or {}
    host = inspect.get("HostConfig") or {}
    labels = _unbaked(config.get("Labels") or {}, baked.get("Labels") or {})
    return {
        "id": inspect.get("Id", ""),
        "name": container_name(inspect),
        "state": _state(inspect.get("State") or {}),
        "image": _image(config, inspect, image),
        "env": _env(config, baked, keeper),
        "command": _command(config, baked, keeper),
        "mounts": _mounts(inspect.get("Mounts") or []),
        "ports": _ports(config, host),
        "network": _network(inspect, host),
        "labels": {k: redact_env_value(k, v, keeper) for k, v in labels.items()},
        "restart": _restart(host),
        "resources": {k: host[k] for k in _LIMITS if host.get(k)},
        "security": _security(host),
        "health": _health(config.get("Healthcheck"), keeper),
        "compose": _compose(labels),
    }


def container_name(inspect: Mapping[str, Any]) -> str:
    """The container's name without Docker's leading slash."""
    return str(inspect.get("Name") or inspect.get("Id", "")[:12]).lstrip("/")


def _state(state: Mapping[str, Any]) -> dict[str, Any]:
    # Status, not timestamps or PIDs: those change on every restart and would drown real drift.
    health = state.get("Health") or {}
    return {
        "status": state.get("Status", ""),
        "exit_code": state.get("ExitCode", 0),
        "oom_killed": bool(state.get("OOMKilled")),
        "health": health.get("Status") or None,
    }


def _image(config: Mapping[str, Any], inspect: Mapping[str, Any], image: Mapping[str, Any]) -> Any:
    return {
        "ref": config.get("Image", ""),
        "id": inspect.get("Image", ""),
        "digests": sorted(str(d) for d in image.get("RepoDigests") or []),
    }


_ARG_FIELDS = (("", "Args"), ("Config", "Cmd"), ("Config", "Entrypoint"),
               ("Config", "CreateCommand"))  # fmt: skip


def _unbaked(values: Mapping[str, Any], baked: Mapping[str, Any]) -> dict[str, Any]:
    """Entries that differ from the image's: an identical value is part of the binary (the
    engine copies image env and labels into every container), not of the context."""
    missing = object()
    return {k: v for k, v in values.items() if baked.get(k, missing) != v}


def _env(config: Mapping[str, Any], baked: Mapping[str, Any], keeper: SecretKeeper) -> Any:
    env = _unbaked(_env_map(config.get("Env")), _env_map(baked.get("Env")))
    return {
        name: redact_env_value(name, value, keeper)
        for name, value in env.items()
        if not _injected(name, value, config)
    }


def _env_map(entries: Any) -> dict[str, str | None]:
    pairs = (str(e).partition("=") for e in entries or [])
    return {name: (value if sep else None) for name, sep, value in pairs}


def _injected(name: str, value: str | None, config: Mapping[str, Any]) -> bool:
    if name == "HOSTNAME":
        return value == config.get("Hostname")
    return value in _ENGINE_ENV.get(name, ())


def _command(
    config: Mapping[str, Any], baked: Mapping[str, Any], keeper: SecretKeeper
) -> dict[str, Any]:
    """What the container runs where it differs from the image's defaults."""
    fields = {"entrypoint": "Entrypoint", "cmd": "Cmd", "working_dir": "WorkingDir", "user": "User"}
    out: dict[str, Any] = {}
    for name, field in fields.items():
        value = config.get(field) or None
        # An engine runs in "/" when neither the image nor the user named a directory.
        defaults = (baked.get(field) or None, "/" if name == "working_dir" else None)
        if value is not None and value not in defaults:
            out[name] = redact_args(value, keeper) if name in ("entrypoint", "cmd") else value
    return out


def redacted_inspect(inspect: Mapping[str, Any], keeper: SecretKeeper) -> dict[str, Any]:
    """A copy of a whole inspect document, for evidence, with every secret-looking value digested:
    env values, labels, and arguments wherever the engine repeats them (``Args``, ``Cmd``,
    ``Entrypoint``, the health check, and Podman's ``Config.CreateCommand``)."""
    doc = copy.deepcopy(dict(inspect))
    config = doc.get("Config") or {}
    if isinstance(config.get("Env"), list):
        pairs = (str(e).partition("=") for e in config["Env"])
        config["Env"] = [
            f"{n}={redact_env_value(n, v, keeper)}" if sep else n for n, sep, v in pairs
        ]
    if isinstance(config.get("Labels"), dict):
        config["Labels"] = {k: redact_env_value(k, v, keeper) for k, v in config["Labels"].items()}
    for holder, field in _ARG_FIELDS:
        where = doc if holder == "" else (doc.get(holder) or {})
        if field in where and where[field] is not None:
            where[field] = redact_args(where[field], keeper)
    health = config.get("Healthcheck")
    if isinstance(health, dict) and health.get("Test"):
        health["Test"] = redact_args(health["Test"], keeper)
    return doc


def _mounts(mounts: list[Any]) -> dict[str, Any]:
    return {
        str(m.get("Destination", "")): {
            "type": m.get("Type", ""),
            "source": m.get("Source", ""),
            "name": m.get("Name") or None,
            "read_only": not m.get("RW", True),
        }
        for m in mounts
    }


def _ports(config: Mapping[str, Any], host: Mapping[str, Any]) -> dict[str, Any]:
    ports: dict[str, Any] = {p: [] for p in config.get("ExposedPorts") or {}}
    for port, bindings in (host.get("PortBindings") or {}).items():
        ports[port] = sorted(
            f"{b.get('HostIp') or '0.0.0.0'}:{b.get('HostPort', '')}" for b in bindings or []
        )
    return ports


def _network(inspect: Mapping[str, Any], host: Mapping[str, Any]) -> dict[str, Any]:
    networks = (inspect.get("NetworkSettings") or {}).get("Networks") or {}
    return {"mode": host.get("NetworkMode", ""), "networks": sorted(networks)}


def _restart(host: Mapping[str, Any]) -> dict[str, Any]:
    policy = host.get("RestartPolicy") or {}
    return {"name": policy.get("Name") or "no", "max_retries": policy.get("MaximumRetryCount", 0)}


def _security(host: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "privileged": bool(host.get("Privileged")),
        "read_only_rootfs": bool(host.get("ReadonlyRootfs")),
        "cap_add": sorted(host.get("CapAdd") or []),
        "cap_drop": sorted(host.get("CapDrop") or []),
        "security_opt": sorted(host.get("SecurityOpt") or []),
    }


def _health(check: Any, keeper: SecretKeeper) -> dict[str, Any] | None:
    if not isinstance(check, dict) or not check.get("Test"):
        return None
    return {
        "test": redact_args(check.get("Test"), keeper),
        "interval_ns": check.get("Interval", 0),
        "timeout_ns": check.get("Timeout", 0),
        "retries": check.get("Retries", 0),
        "start_period_ns": check.get("StartPeriod", 0),
    }


def _compose(labels: Mapping[str, str]) -> dict[str, Any] | None:
    if COMPOSE_PROJECT not in labels:
        return None
    return {
        "project": labels[COMPOSE_PROJECT],
        "service": labels.get(COMPOSE_SERVICE, ""),
        "number": labels.get(_COMPOSE_NUMBER, ""),
    }
