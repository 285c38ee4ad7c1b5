"""The benchmarks' ``BENCH_*`` sizes (bench/settings.py): unset or empty means the default, a
value that is not a whole number stops the run with one line naming the variable."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench import bench_process
from bench.settings import env_int, env_ints

ROOT = Path(__file__).resolve().parent.parent
NAME = "BENCH_TEST_SETTING"


@pytest.mark.parametrize(("value", "expected"), [(None, 7), ("", 7), ("  ", 7), ("12", 12)])
def test_env_int_is_the_default_unless_a_number_is_set(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    if value is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, value)
    assert env_int(NAME, 7) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, [1, 2]), ("", []), ("3, 4,", [3, 4])])
def test_env_ints_default_only_when_unset(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: list[int]
) -> None:
    if value is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, value)
    assert env_ints(NAME, [1, 2]) == expected


@pytest.mark.parametrize("read", [lambda: env_int(NAME, 1), lambda: env_ints(NAME, [1])])
def test_a_value_not_a_number_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, read: object
) -> None:
    monkeypatch.setenv(NAME, "5k")
    with pytest.raises(SystemExit) as stopped:
        read()  # type: ignore[operator]
    assert str(stopped.value) == f"{NAME}='5k' is not a whole number"


def test_bench_process_memory_set_but_empty_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_PROCESS_MEMORY", "")
    monkeypatch.setenv("BENCH_PROCESS_SIZES", "")
    try:
        reloaded = importlib.reload(bench_process)
        assert (reloaded.MEMORY_SIZE, reloaded.SIZES) == (50000, [])
    finally:
        monkeypatch.undo()
        importlib.reload(bench_process)


def test_python_m_bench_stops_on_one_line_naming_the_variable() -> None:
    env = {**os.environ, "BENCH_PROCESS_MEMORY": "lots"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "process"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == "BENCH_PROCESS_MEMORY='lots' is not a whole number\n"
