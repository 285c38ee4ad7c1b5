"""The planted-change report equals AIDE's (Debian ``aide`` 0.18) for the same rules on the same
tree: no miss, no extra."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bench.host_tree import ATTRIBUTES, PATHS, aide, aide_config, build_tree, planted_check

from stateward.api import observe
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions
from stateward.sources.host.options import FileRule

KEEPER = SecretKeeper(b"a" * 32)


def test_planted_changes_match_aide_check(tmp_path: Path) -> None:
    if shutil.which("aide") is None:
        pytest.skip("TOOL MISSING: aide is not installed; run `make services` (services.d/sshd.sh)")
    root, work = tmp_path / "root", tmp_path / "aide"
    build_tree(root)
    work.mkdir()
    config = aide_config(root, work)
    options = HostOptions(paths=PATHS, rules=tuple(FileRule(p, tuple(ATTRIBUTES)) for p in PATHS))
    baseline = observe([f"host://{root}"], estate="w", keeper=KEEPER, host=options)
    aide(config, "init")
    planted, ours, theirs = planted_check(root, config, baseline.resources)
    assert theirs.added == set(ours.added) == planted.added
    assert theirs.removed == set(ours.removed) == planted.removed
    assert theirs.changed == set(ours.changed) == planted.changed
