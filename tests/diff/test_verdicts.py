"""The diff's verdicts on the whole shared corpus are those recorded before its walks were
fused: every pair of tests/diff/corpus.py (each object clean, and with every seed that fits),
in both modes, one object at a time and as one drift per file.

``verdicts.json`` holds one SHA-256 per corpus file over the canonical JSON of every result,
made with the code of commit 2e7ffb8 (before the round trip took the quantities into its walk)
by ``python -m tests.diff.test_verdicts > tests/diff/verdicts.json``. A change to what the diff
reports on purpose regenerates it, and says so in its commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stateward.diff import diff_resources
from stateward.model.canonical import canonical_json
from stateward.model.resource import Resource

from .corpus import CORPUS, corpus_resources, live_of, seeded_live_of
from .seeds import SEEDS

RECORDED = Path(__file__).with_name("verdicts.json")


def verdicts() -> dict[str, str]:
    """Per corpus file, the digest of every result the diff gives on its pairs."""
    found = {}
    for file, resources in corpus_resources():
        digest = hashlib.sha256()
        for result in _results(file, resources):
            digest.update(canonical_json(result.as_dict()))
        found[file] = digest.hexdigest()
    return found


def _results(file: str, resources: list[Resource]) -> Iterator[object]:
    for mode in ("strict", "argo"):
        lives = [live_of(file, r, n) for n, r in enumerate(resources)]
        yield diff_resources(resources, lives, mode=mode)
        for n, resource in enumerate(resources):
            yield diff_resources([resource], [lives[n]], mode=mode)
            for seed in SEEDS:
                seeded = seeded_live_of(file, resource, n, seed)
                if seeded is not None:
                    yield diff_resources([resource], [seeded[0]], mode=mode)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"SHARED CORPUS MISSING at {CORPUS}")
def test_every_verdict_on_the_corpus_is_the_recorded_one() -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    now = verdicts()
    assert len(now) >= 20  # the corpus is there, not a handful of files
    assert {f: d for f, d in now.items() if recorded.get(f) != d} == {}
    assert now.keys() == recorded.keys()


if __name__ == "__main__":
    json.dump(verdicts(), sys.stdout, indent=1, sort_keys=True)
    print()
