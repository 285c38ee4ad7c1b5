"""The hooks of ``.pre-commit-hooks.yaml`` run by real ``pre-commit`` in a sample repository:
they pass on clean manifests and stop a commit that plants a finding or a drift.

pre-commit installs a ``language: python`` hook by pip-installing its repository into a fresh
virtualenv, which needs the package index and minutes. So the sample repository declares the
same hooks (id, entry, files, arguments: everything but the language) as ``repo: local`` with
``language: system`` and the entry pointing at this checkout's ``stateward``: pre-commit itself,
its file selection and its exit codes are real, and nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"

pytestmark = pytest.mark.slow

CLEAN = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: docker.io/library/nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000
"""
# Redis keeping /data on an emptyDir: DATA_ON_EPHEMERAL, a high finding
PLANTED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
        - name: redis
          image: docker.io/library/redis:7.4@sha256:1111111111111111111111111111111111111111111111111111111111111111
          volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: data, emptyDir: {}}]
"""


def local_hooks(drift_args: list[str]) -> dict[str, Any]:
    """``.pre-commit-config.yaml`` declaring this checkout's hooks as local system hooks."""
    hooks = []
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert hook["language"] == "python", hook["id"]  # what a user's pre-commit installs
        entry = str(BIN / "stateward") + hook["entry"].removeprefix("stateward")
        local = {**hook, "language": "system", "entry": entry}
        if hook["id"] == "stateward-drift":
            local["args"] = drift_args
        hooks.append(local)
    return {"repos": [{"repo": "local", "hooks": hooks}]}


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if not PRE_COMMIT.exists():
        pytest.fail(f"{PRE_COMMIT} is missing: `make setup` installs the dev extra")
    repo = tmp_path / "repo"
    (repo / "deploy").mkdir(parents=True)
    (repo / "deploy" / "web.yaml").write_text(CLEAN)
    live = tmp_path / "live.yaml"  # what `kubectl get -o yaml` dumps; kube://CONTEXT in real use
    live.write_text(CLEAN)
    config = local_hooks(["deploy", str(live)])
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull, "NO_COLOR": "1",
    }  # fmt: skip
    git(repo, env, "init", "-q", "-b", "main")
    return repo, env


def git(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_hooks_pass_clean_manifests_and_stop_a_commit_with_a_planted_finding(
    sample: tuple[Path, dict[str, str]],
) -> None:
    repo, env = sample
    assert shutil.which("git"), "git is needed to run pre-commit"
    installed = subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=repo, env=env, capture_output=True, text=True, timeout=60
    )
    assert installed.returncode == 0, installed.stderr
    git(repo, env, "add", "-A")
    clean = git(repo, env, "commit", "-q", "-m", "clean")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    passed = [line for line in clean.stderr.splitlines() if line.endswith("Passed")]
    assert [line.split()[:2] for line in passed] == [["stateward", "audit"], ["stateward", "drift"]]

    (repo / "deploy" / "redis.yaml").write_text(PLANTED)
    git(repo, env, "add", "-A")
    planted = git(repo, env, "commit", "-q", "-m", "planted")
    assert planted.returncode == 1, planted.stdout + planted.stderr
    out = planted.stderr  # what git shows of its pre-commit hook
    audit_line = next(line for line in out.splitlines() if line.startswith("stateward audit"))
    drift_line = next(line for line in out.splitlines() if line.startswith("stateward drift"))
    assert audit_line.endswith("Failed") and drift_line.endswith("Failed"), out
    assert "DATA_ON_EPHEMERAL" in out and "exit code: 1" in out
    assert git(repo, env, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # not committed


def test_the_audit_hook_skips_yaml_that_is_not_a_manifest(
    sample: tuple[Path, dict[str, str]],
) -> None:
    repo, env = sample
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: push\njobs: {}\n")
    git(repo, env, "add", "-A")
    run = subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files", "stateward-audit"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
