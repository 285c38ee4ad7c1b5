"""Parameters of the cost model: each a documented default with the figure it comes from.

Every default is listed in :data:`PARAMETERS` with its published figure and source (a URL or a
paper); where no figure is published the source says *assumption* and the value is meant to be
set per estate. An estate overrides any of them in a YAML file (``stateward cost --params FILE``)::

    inflate_mib_s: 120
    hit_ratio: 0.95

Unknown keys, non-numbers and out-of-range values are rejected with the file and key named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from stateward.errors import InputError

__all__ = ["PARAMETERS", "ParamDoc", "Params", "load_params"]


@dataclass(frozen=True, slots=True)
class ParamDoc:
    """Where a default comes from."""

    unit: str
    figure: str
    source: str


@dataclass(frozen=True, slots=True)
class Params:
    """The model's parameters (defaults documented in :data:`PARAMETERS` and docs/cost.md)."""

    net_mib_s: float = 180.0
    """Registry-to-node bandwidth for layer blobs."""
    inflate_mib_s: float = 90.0
    """Layer decompression (gzip) on one core, per MiB of compressed blob."""
    pull_cpu_mib_s: float = 23.0
    """CPU cost of a pull per MiB of compressed blob: inflate, digests and extraction together."""
    pull_image_cpu_s: float = 0.1
    """CPU-seconds of pulling one image apart from its layers' bytes: resolve, manifest, config,
    signature policy and the image record."""
    unpack_mib_s: float = 38.0
    """Decompress and extract layers onto the node's storage, per MiB of compressed blob."""
    layer_rtt_s: float = 0.05
    """Per-request overhead of a pull: one per new layer, one for manifest and config."""
    pod_start_s: float = 5.0
    """Schedule, sandbox and container start up to Ready, excluding pull."""
    start_cpu_s: float = 1.0
    """CPU-seconds one container spends starting (runtime, process init)."""
    grace_s: float = 30.0
    """Shutdown time when the spec gives no terminationGracePeriodSeconds."""
    compose_stop_s: float = 10.0
    """Shutdown time of a Compose/engine container (docker stop timeout)."""
    volume_move_s: float = 30.0
    """Detach a ReadWriteOnce volume from one node and attach it on another."""
    hit_ratio: float = 0.9
    """Steady-state cache hit ratio of a component that warms up."""
    warm_up_s: float = 120.0
    """Time constant of warm-up (JIT, local caches) of an ephemeral-with-warm-up component."""
    cache_warm_up_s: float = 600.0
    """Time constant of refilling a persistent component's in-memory data (caches, buffers)."""
    image_estimate_mib: float = 250.0
    """Compressed size assumed for an image whose layers are unknown (marked as estimate)."""
    replicas_per_node: float = 1.0
    """Replicas sharing one node's layer cache (1: every replica pulls)."""

    def with_overrides(self, values: dict[str, float]) -> Params:
        """A copy with some values replaced (already validated)."""
        return replace(self, **values)

    def as_dict(self) -> dict[str, float]:
        """Every parameter by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


_CONTAINERD_13559 = "https://github.com/containerd/containerd/issues/13559"
_MOBY_21814 = "https://github.com/moby/moby/issues/21814"
PARAMETERS: dict[str, ParamDoc] = {
    "net_mib_s": ParamDoc(
        "MiB/s",
        "2.7 GiB downloaded in ~15 s; 1.5 GB in ~8 s (≈ 180 MiB/s)",
        f"{_CONTAINERD_13559}; {_MOBY_21814}",
    ),
    "inflate_mib_s": ParamDoc(
        "MiB/s/core",
        "2.7 GiB layer gunzipped in ~30 s on one core (≈ 90 MiB/s)",
        _CONTAINERD_13559,
    ),
    "pull_cpu_mib_s": ParamDoc(
        "MiB/CPU·s",
        "Podman 4.3 pull: 22.7–23.8 MiB per CPU-second (inflate alone: ≈ 90 MiB/s)",
        "measured by bench/bench_cost.py (docs/cost.md §5); no published figure",
    ),
    "pull_image_cpu_s": ParamDoc(
        "CPU·s/image",
        "Podman 4.3.1 pull of a one-layer image of 156 bytes: ≈ 0.1 CPU·s more than a restart",
        "measured by bench/bench_cost.py (docs/cost.md §5); no published figure",
    ),
    "unpack_mib_s": ParamDoc(
        "MiB/s",
        "1.5 GB image: download ~8 s, unpack 35–40 s (≈ 38 MiB/s)",
        _MOBY_21814,
    ),
    "layer_rtt_s": ParamDoc("s/layer", "RTT·layers term of T_pull", "assumption; set per estate"),
    "pod_start_s": ParamDoc(
        "s",
        "pod start p99 ≤ 5 s excluding image pull and init containers",
        "https://github.com/kubernetes/community/blob/99250d74722c9bfeda644dd4c0fc1b6db27006fa/"
        "sig-scalability/slos/pod_startup_latency.md",
    ),
    "start_cpu_s": ParamDoc("CPU·s", "container start CPU", "assumption; set per estate"),
    "grace_s": ParamDoc(
        "s",
        "terminationGracePeriodSeconds defaults to 30",
        "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#lifecycle",
    ),
    "compose_stop_s": ParamDoc(
        "s",
        "docker stop waits 10 s before SIGKILL",
        "https://docs.docker.com/reference/cli/docker/container/stop/",
    ),
    "volume_move_s": ParamDoc(
        "s",
        "RWO move 15–60 s; EBS mount 15–17 s",
        "https://github.com/kubernetes/kubernetes/issues/62119; "
        "https://github.com/kubernetes/kubernetes/issues/84169",
    ),
    "hit_ratio": ParamDoc(
        "ratio",
        "a cold cache multiplies backend load by 1/(1−h)",
        "arithmetic: at hit ratio h the backend serves 1−h of the requests; h itself is an "
        "assumption, set per estate",
    ),
    "warm_up_s": ParamDoc(
        "s",
        "JVM warm-up 33 % of a 1 GB HDFS read; Spark 21 s/query; JIT cold→hot 55× (Java)",
        "Lion et al., OSDI '16, "
        "https://www.usenix.org/conference/osdi16/technical-sessions/presentation/lion; "
        "Carreira et al., From Warm to Hot Starts, HotOS '21, Fig. 1",
    ),
    "cache_warm_up_s": ParamDoc(
        "s",
        "Memcached scale-out: 10× worse, tens of minutes",
        "Hafeez et al., ElMem, ICDCS '18, https://doi.org/10.1109/ICDCS.2018.00036",
    ),
    "image_estimate_mib": ParamDoc(
        "MiB",
        "images > 250 MB are where lazy pulling pays off",
        "https://aws.amazon.com/blogs/containers/"
        "under-the-hood-lazy-loading-container-images-with-seekable-oci-and-aws-fargate/ "
        "(assumption)",
    ),
    "replicas_per_node": ParamDoc(
        "replicas", "layers cached on a node are free", "assumption (spread: one per node)"
    ),
}
_RATIOS = frozenset({"hit_ratio"})
_POSITIVE = frozenset(
    {"net_mib_s", "inflate_mib_s", "pull_cpu_mib_s", "unpack_mib_s", "replicas_per_node"}
)


def load_params(path: str | None) -> Params:
    """Defaults, overridden by the YAML mapping at ``path`` when given."""
    if path is None:
        return Params()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read parameters: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        raise InputError(where, "not valid YAML") from None
    if data is None:
        return Params()
    if not isinstance(data, dict):
        raise InputError(path, "parameters must be a mapping of name: number")
    return Params().with_overrides({str(k): _value(path, str(k), v) for k, v in data.items()})


def _value(path: str, key: str, value: Any) -> float:
    if key not in PARAMETERS:
        raise InputError(
            path, f"unknown parameter {key!r}", remedy=f"Known: {', '.join(sorted(PARAMETERS))}."
        )
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(path, f"{key} must be a finite number, got {value!r}")
    number = float(value)
    if number < 0 or (key in _POSITIVE and number == 0):
        raise InputError(path, f"{key} must be {'> 0' if key in _POSITIVE else '≥ 0'}")
    if key in _RATIOS and number >= 1:
        raise InputError(path, f"{key} must be below 1 (1/(1−h) is unbounded at 1)")
    return number
