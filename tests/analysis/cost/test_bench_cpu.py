"""The calibration bench counts every process an engine operation runs, the ones the podman CLI
does not wait for included (needs root and a cgroup v1 cpuacct hierarchy; the engine tests need
``make services``)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.calibration.cpu import EngineCpu
from bench.calibration.images import BASE_IMAGE, Podman

BURN_S = 0.3
# a process that spends BURN_S of CPU, started in the background by a shell that exits at once
BURN = (f"import time\nstart = time.process_time()\nwhile time.process_time() - start < {BURN_S}:"
        "\n    pass")  # fmt: skip


@pytest.fixture
def cpu(tmp_path: Path) -> Iterator[EngineCpu]:
    if why := EngineCpu.available():
        pytest.skip(why)
    meter = EngineCpu(f"stateward-test-cpu-{os.getpid()}-{tmp_path.name}")
    yield meter
    meter.close()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _usage(cgroup: Path) -> float:
    return int((cgroup / "cpuacct.usage").read_text(encoding="ascii")) / 1e9


def test_a_process_left_behind_is_waited_for_and_counted(cpu: EngineCpu) -> None:
    before, waited = cpu.seconds(), _children_cpu()
    shell = f"{sys.executable} -c '{BURN}' &"
    subprocess.run(cpu.command(["sh", "-c", shell]), check=True, timeout=30)
    cpu.settle()
    assert cpu.seconds() - before >= BURN_S
    # what getrusage saw: the shells only, the detached burner is nobody's waited-for child
    assert _children_cpu() - waited < BURN_S / 2


def test_the_tree_is_removed_from_every_hierarchy(tmp_path: Path) -> None:
    if why := EngineCpu.available():
        pytest.skip(why)
    meter = EngineCpu(f"stateward-test-cpu-{os.getpid()}-{tmp_path.name}")
    meter.close()
    assert not list(Path("/sys/fs/cgroup").glob(f"*/{meter.name}"))


@pytest.mark.engine
def test_a_replacement_ends_when_the_old_containers_conmon_has_cleaned_up(
    cpu: EngineCpu, engine_url: str
) -> None:
    if not os.environ.get("CONTAINERS_CONF"):
        pytest.skip("CONTAINERS_CONF not set; source scripts/services.env")
    podman = Podman(cpu, container=f"stateward-test-cpu-{os.getpid()}")
    try:
        first = podman.replace(BASE_IMAGE)
        conmon = cpu.root / "conmon" / "cgroup.procs"
        assert len(conmon.read_text(encoding="ascii").split()) == 1  # in the tree, hence counted
        cli = _usage(cpu.cli)
        restart = podman.replace(BASE_IMAGE)
        # the old container's conmon waits for its cleanup: gone, so the cleanup is counted
        assert len(conmon.read_text(encoding="ascii").split()) == 1
        # and so is what the CLI does not wait for: conmon, the runtime's create, the cleanup
        assert restart.cpu_seconds > _usage(cpu.cli) - cli > 0 and first.cpu_seconds > 0
    finally:
        stopped = podman.remove_container()
    assert stopped.cpu_seconds > 0 and not conmon.read_text(encoding="ascii").split()
