"""A bind of the kernel's virtual filesystems (/sys, /proc, /dev) is an interface to the host's
kernel, not a folder of the service's own: it keeps nothing of the service's.

A synthetic Compose project shaped like an eBPF agent's, not a copy of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect
from stateward.analysis.audit.appdata import kernel_interface

from .conftest import Auditor

COMPOSE = """
services:
  agent:
    image: example/ebpf-agent:1
    privileged: true
    volumes:
      - /sys/kernel/tracing:/sys/kernel/tracing
      - /sys/fs/cgroup:/host/sys/fs/cgroup
      - /srv/agent/state:/state
"""


@pytest.mark.parametrize(
    ("source", "kernel"),
    [("/sys/fs/cgroup", True), ("/proc/1/ns", True), ("/dev/kmsg", True), ("/sys", True),
     ("/srv/sys/data", False), ("/home/dev/app", False), ("./proc", False), ("/system", False)],
)  # fmt: skip
def test_kernel_interfaces_are_told_by_their_top_directory(source: str, kernel: bool) -> None:
    assert kernel_interface(source) is kernel


def test_a_writable_kernel_bind_keeps_nothing_a_host_folder_does(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE})
    effects = {
        f.message.split(" -> ")[0].removeprefix("bind "): report.effect_of(f)
        for f in report.findings
        if f.rule == "COMPOSE_BIND"
    }
    assert effects["/sys/kernel/tracing"] is Effect.CONTEXT
    assert effects["/sys/fs/cgroup"] is Effect.CONTEXT
    assert effects["/srv/agent/state"] is Effect.DURABLE
