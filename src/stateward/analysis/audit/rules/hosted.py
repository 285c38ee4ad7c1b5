"""Services of a long-lived host (``host://``, ``ssh://``): where each keeps its state.

A host's disk outlives its processes, so nothing is lost when a service restarts; what ties a
service to *this* machine is the state it writes there, which a replacement host starts
without. It is read from the unit, as systemd itself sets it up (systemd.exec(5), "Sandboxing"
and "RuntimeDirectory="): ``StateDirectory=`` (under ``/var/lib``), ``ReadWritePaths=``
outside the system's own trees (``/etc``, ``/usr``, logs, runtime and temporary
files, systemd's own ``/var/lib/systemd``) hold the service's data, ``CacheDirectory=``
(under ``/var/cache``) only what it can rebuild, and ``RuntimeDirectory=`` nothing that survives a
reboot. A package or executable of a known data family (PostgreSQL, MySQL, Redis …, the same
catalogue as for images) keeps data even where its unit says nothing: the package's own
defaults put it under ``/var/lib``. HOST_SERVICE_STATE is high for a database only on two
signals (:func:`host_service_state`).

https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.workloads import Workload
from stateward.model.filepaths import LOG_TREES, SCRATCH_TREES, under_any
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list, as_map

__all__ = ["host_state_dirs"]

# systemd.exec(5): each *Directory= names paths relative to its base.
_STATE, _CACHE = {"StateDirectory": "/var/lib"}, {"CacheDirectory": "/var/cache"}
# Trees that are the system's, not a service's data, when a unit names them writable: scratch
# and logs, and the persistent trees of temporary files and caches (/var/tmp, /var/cache; a
# unit's own cache there is HOST_SERVICE_CACHE's, by CacheDirectory=).
_SYSTEM_TREES = (*SCRATCH_TREES, *LOG_TREES, "/var/tmp", "/var/cache", "/proc", "/sys", "/dev",
                 "/etc", "/usr", "/boot", "/var/lib/systemd")  # fmt: skip
_SYSTEM_DIRS = frozenset({"/", "/root", "/var", "/var/lib"})


def _directives(workload: Workload, name: str) -> list[str]:
    """The values of one ``[Service]`` directive, each split on whitespace as systemd does."""
    service = as_map(as_map(workload.body.get("unit")).get("Service"))
    return [word for value in as_list(service.get(name)) for word in str(value).split()]


def _based(workload: Workload, bases: Mapping[str, str]) -> list[str]:
    return [
        f"{base}/{path.split(':')[0].strip('/')}"
        for name, base in bases.items() for path in _directives(workload, name)
    ]  # fmt: skip


def host_state_dirs(workload: Workload) -> list[str]:
    """The directories a host service writes its own data to, as its unit declares them."""
    named = [p.lstrip("-+") for p in _directives(workload, "ReadWritePaths")]
    return sorted({p for p in _based(workload, _STATE) + named if _own(p)})


def _own(path: str) -> bool:
    """True unless ``path`` is one of the system's trees (a ``-`` prefix, "ignore if missing",
    is already stripped)."""
    path = path.rstrip("/") or "/"
    if not path.startswith("/") or path in _SYSTEM_DIRS:
        return False
    return not under_any(path, _SYSTEM_TREES)


def _image(workload: Workload) -> Mapping[str, Any]:
    return as_map(workload.body.get("image"))


@detector(
    "HOST_SERVICE_STATE",
    Severity.MEDIUM,
    Effect.DURABLE,
    remedy="Back the directories up, or replicate the service, before the host is replaced.",
)
def host_service_state(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A host's service keeps data on that host: a replacement host starts without it.

    Read from ``StateDirectory=``, ``ReadWritePaths=`` and the data family of its package. High
    for a database named by two signals (its package and its program, or either and the
    directories its unit declares), medium on one."""
    if workload.platform != "host":
        return
    image = _image(workload)
    named = [
        data_image(str(image.get("package") or "")),
        data_image(str(image.get("exec") or "").rsplit("/", 1)[-1]),
    ]
    family = named[0] or named[1]
    dirs = host_state_dirs(workload)
    if family is not None:
        what = f"a {family.name} {family.role}"
        where = f" in {', '.join(dirs)}" if dirs else " under /var/lib (its package's default)"
        # High on two signals: the package and the program both naming the family, or either
        # and the directories the unit declares (a name alone may be a client's package)
        signals = sum(f is not None for f in named) + bool(dirs)
        severity = Severity.HIGH if family.role == "database" and signals >= 2 else None
        yield Hit("/image", f"{what}: its data is on this host{where}", severity=severity)
    elif dirs:
        yield Hit("/unit/Service", f"writes its own data to {', '.join(dirs)} on this host")


@detector(
    "HOST_SERVICE_CACHE",
    Severity.LOW,
    Effect.WARM_UP,
    remedy="Nothing is lost; plan for a cold cache on a new host.",
)
def host_service_cache(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A host's service keeps a cache (``CacheDirectory=``): a new host starts it cold."""
    if workload.platform == "host" and (dirs := _based(workload, _CACHE)):
        yield Hit("/unit/Service/CacheDirectory", f"caches in {', '.join(dirs)}")
