"""Precision and recall of secret redaction on the shared corpus, against the held-out truth.

Run from the repository root: ``.venv/bin/python -m tests.sources.redaction_precision`` (``-v``
lists every redacted leaf of the whole corpus, to read for false redactions by hand).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stateward.api import observe
from stateward.model.secrets import KEY_BYTES, SECRET_PREFIX, SecretKeeper

from .redaction_truth import SAMPLE, SECRETS

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@dataclass
class Tally:
    """Digests found in the sample, split by the truth table."""

    true: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true / (self.true + len(self.false)) if self.true + len(self.false) else 1.0

    @property
    def recall(self) -> float:
        return self.true / (self.true + len(self.missed)) if self.true + len(self.missed) else 1.0


def redacted_leaves(paths: list[Path]) -> Iterator[tuple[str, str, int]]:
    """(kind/name, path, digests in that leaf) for every leaf holding a digest."""
    keeper = SecretKeeper(os.urandom(KEY_BYTES))
    observation = observe([str(p) for p in paths], estate="precision", keeper=keeper)
    for resource in observation.resources:
        label = f"{resource.key.kind}/{resource.key.name}"
        for path, value in _leaves(resource.body, ""):
            if isinstance(value, str) and SECRET_PREFIX in value:
                yield label, path, value.count(SECRET_PREFIX)


def _leaves(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            named = isinstance(item, dict) and path.endswith("env") and "name" in item
            step = f"{path}.{item['name']}" if named else f"{path}.{index}"
            yield from _leaves(item["value"] if named and "value" in item else item, step)
    else:
        yield path, node


def measure() -> Tally:
    """Compare the digests of the held-out sample with the truth table."""
    tally = Tally()
    found: dict[tuple[str, str], int] = {}
    for label, path, count in redacted_leaves([CORPUS / name for name in SAMPLE]):
        truth = next((t for t in SECRETS if t[0] == label and path.endswith(t[1])), None)
        if truth is None:
            tally.false += [f"{label} {path}"] * count
            continue
        key = (label, truth[1])
        found[key] = found.get(key, 0) + 1
        tally.true += min(count, truth[2])
        tally.false += [f"{label} {path}"] * max(0, count - truth[2])
    # A label+path pair of the truth may stand for several services (``db`` in two projects).
    for label, path, _ in SECRETS:
        if (label, path) not in found:
            tally.missed.append(f"{label} {path}")
    return tally


def main(argv: list[str]) -> int:
    """Print the figures; exit 1 on any false redaction or miss in the sample."""
    tally = measure()
    print(f"held-out sample: {len(SAMPLE)} files, {tally.true} secrets redacted, "
          f"{len(tally.false)} false redactions, {len(tally.missed)} missed; "
          f"precision {tally.precision:.1%}, recall {tally.recall:.1%}")  # fmt: skip
    for what in tally.false:
        print(f"FALSE {what}")
    for what in tally.missed:
        print(f"MISSED {what}")
    if "-v" in argv:
        files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        for label, path, count in redacted_leaves(files):
            print(f"{label} {path} ({count})")
    return 1 if tally.false or tally.missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
