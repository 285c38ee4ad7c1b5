"""The state audit's cost on operator-heavy estates: 2,000 and 20,000 custom resources.

The estates are the held-out scorecard's operator estates (every estate with a custom resource,
``tests/analysis/heldout``), copied whole into renamed namespaces (copy ``i`` of namespace ``ns``
is ``ns-i``) until they hold the size asked for: references stay inside a copy, as they do in a
cluster of many tenants. Figures per size: the audit's time per custom resource, as a ratio to
parsing the same files with PyYAML's C loader; then the growth of that cost from the smallest
size (1.00 = linear; a lookup made by a pass over every workload shows here first).
``BENCH_AUDIT_OPERATOR_SIZES`` (comma-separated) chooses other sizes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from bench.bench_audit import growth
from bench.bench_scan import _parse_floor
from bench.settings import env_ints
from bench.timing import timed
from stateward.analysis.audit import audit
from stateward.analysis.audit.custom import is_custom
from stateward.api import observe
from stateward.model.resource import ResourceKey
from stateward.model.secrets import SecretKeeper

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "heldout"
REPEATS = 3
SIZES = env_ints("BENCH_AUDIT_OPERATOR_SIZES", [2000, 20000])


def _custom(doc: dict[str, Any]) -> bool:
    group = str(doc.get("apiVersion", "")).rpartition("/")[0]
    return is_custom(ResourceKey(group, str(doc.get("kind")), "ns", "x"))


def _operator_estates() -> list[tuple[str, list[dict[str, Any]]]]:
    """(estate, its objects) for every held-out estate holding a custom resource."""
    found = []
    for estate in sorted(p for p in HELDOUT.iterdir() if (p / "truth.yaml").is_file()):
        docs = [
            doc
            for path in sorted(estate.glob("*.y*ml"))
            if path.name != "truth.yaml"
            for doc in _documents(path)
            if isinstance(doc, dict) and "kind" in doc and "apiVersion" in doc
        ]
        if any(_custom(d) for d in docs):
            found.append((estate.name, docs))
    return found


def _documents(path: Path) -> list[Any]:
    """The documents of one file; none for a file that does not parse (a held-out estate's
    file may hold a document that no tool reads: roundcube-kubernetes' CronJob names an anchor of
    another document), as the file source leaves it out."""
    try:
        return list(yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return []


def _write(root: Path, estates: list[tuple[str, list[dict[str, Any]]]], size: int) -> None:
    per_copy = sum(_custom(d) for _, docs in estates for d in docs)
    for i in range(max(1, round(size / per_copy))):
        copied = [
            {**doc, "metadata": {**doc.get("metadata", {}), "namespace": f"{ns}-{i}"}}
            for estate, docs in estates
            for doc in docs
            for ns in [str((doc.get("metadata") or {}).get("namespace") or estate)]
        ]
        text = yaml.dump_all(copied, Dumper=yaml.CSafeDumper, sort_keys=False)
        (root / f"copy-{i:04}.yaml").write_text(text)


def _measure(
    estates: list[tuple[str, list[dict[str, Any]]]], size: int
) -> tuple[int, float, float]:
    """(custom resources, audit seconds, parse-floor seconds) for one estate size."""
    with tempfile.TemporaryDirectory(prefix="stateward-bench-operators-") as tmp:
        root = Path(tmp)
        _write(root, estates, size)
        floor = min(timed(lambda: _parse_floor(root))[0] for _ in range(REPEATS))
        observation = observe([str(root)], estate="bench", keeper=SecretKeeper(b"b" * 32))
        audited = min(timed(lambda: audit(observation, workers=1))[0] for _ in range(REPEATS))
    return sum(is_custom(r.key) for r in observation.resources), audited, floor


def run() -> list[str]:
    estates = _operator_estates()
    return growth(SIZES, lambda size: _measure(estates, size), "custom resources")
