"""``make demo``'s shop part: its store in one known place, a clean start on every run, and
colour only on a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
from pathlib import Path

import pytest
from tests.ci.test_progress import read_terminal

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "shop" / "demo.sh"
STEP = ROOT / "examples" / "step.sh"
# What differs between two runs by nature: store ids, key ids, secret digests and fingerprints
# (each run's store has a fresh key), and the minute it ran.
_VOLATILE = re.compile(r"[0-9a-f]{8,}|\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?Z?")


def run_demo(store: Path) -> str:
    env = {**os.environ, "STATEWARD_DEMO_STORE": str(store)}
    env.pop("NO_COLOR", None)  # no terminal is what must keep the escapes out
    done = subprocess.run(
        ["bash", str(DEMO)], env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
    )  # fmt: skip
    output = done.stdout.decode()
    assert done.returncode == 0, output[-3000:]
    return output


@pytest.mark.slow
def test_two_runs_start_clean_in_one_place_with_the_same_output(tmp_path: Path) -> None:
    store = tmp_path / "demo"
    first = run_demo(store)
    second = run_demo(store)
    assert _VOLATILE.sub("…", first) == _VOLATILE.sub("…", second)
    assert "\x1b" not in first
    assert "#2" in second and "#3" not in second  # the history holds this run's two only
    assert (store / "store.db").is_file() and (store / "rollout.svg").is_file()
    assert f"Store: {store} (serve it: stateward serve --store {store})" in second
    keys = Path(os.environ["XDG_CONFIG_HOME"]) / "stateward" / "keys"
    assert len(list(keys.iterdir())) == 1  # the first run's keys went with its store


def step_output(terminal: bool, **env: str) -> bytes:
    command = ["bash", "-c", f'. "{STEP}"; step "1. a title"']
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    if not terminal:
        return subprocess.run(command, env=environ, capture_output=True, timeout=30).stderr
    primary, secondary = pty.openpty()
    subprocess.run(command, env=environ, stderr=secondary, timeout=30)
    os.close(secondary)
    return read_terminal(primary).encode()


def test_step_titles_are_bold_on_a_terminal_only() -> None:
    assert b"\x1b[1m== 1. a title\x1b[0m" in step_output(terminal=True)
    assert step_output(terminal=False) == b"\n== 1. a title\n"
    assert b"\x1b" not in step_output(terminal=True, NO_COLOR="1")


@pytest.fixture(scope="module")
def make_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``make demo`` run once for the tests that read its output: its live Kubernetes step is
    the kube demo as that test would run it alone (a 9 s watch each run)."""
    store = tmp_path_factory.mktemp("make-demo") / "demo"
    env = {**os.environ, "STATEWARD_DEMO_STORE": str(store)}
    # a module's fixture comes before each test's own config home: give it one of its own
    env["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "demo"], env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600,
    )  # fmt: skip
    output = done.stdout.decode()
    assert done.returncode == 0, output[-3000:]
    return store, output


@pytest.mark.slow
def test_make_demo_runs_every_step_and_ends_with_the_dashboard_command(
    make_demo: tuple[Path, str],
) -> None:
    store, output = make_demo
    assert "\x1b" not in output  # every step, the live one included: colour only on a terminal
    for heading in ("== 1. Desired state", "An intruder", "watch kube://"):
        assert heading in output
    assert "checkout MODIFIED by kubectl-set (Update)" in output  # the live change names its writer
    last = output.rstrip().splitlines()[-2:]
    assert last[0].endswith(f"stateward serve --store {store}")
    assert f"tokens create --role read --store {store}" in last[1]


def test_the_live_kube_step_attributes_kubectl_set_env_on_the_shop(
    make_demo: tuple[Path, str],
) -> None:
    _, output = make_demo
    output = output[output.index("== 1. watch kube://") :]  # examples/kube/demo.sh's own output
    assert re.search(
        r"Deployment\.apps/shop/checkout MODIFIED by kubectl-set \(Update\) at ", output
    )
    assert 'env       /env/checkout/LOG_LEVEL: ∅ → {"value": "debug"}' in output  # timeline
    assert "captured shop/checkout-5d8-0 (pod-terminating)" in output
