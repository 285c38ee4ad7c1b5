"""How the command starts and ends as a process: ``python -m stateward``, a closed pipe, and a
``--help`` that imports no command module."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest

from stateward.cli import COMMANDS, choices, main
from stateward.model.finding import Severity

STATEWARD = str(Path(sys.executable).parent / "stateward")


def test_python_m_stateward_is_the_command() -> None:
    ran = subprocess.run([sys.executable, "-m", "stateward", "--help"], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Usage: stateward [OPTIONS] COMMAND [ARGS]...")
    assert "scan " in ran.stdout and "Exit codes:" in ran.stdout


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A store with one observation of estate ``e``."""
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    location = str(tmp_path / "store")
    scanned = subprocess.run([STATEWARD, "scan", str(tmp_path / "m.yaml"), "--estate", "e",
                              "--store", location], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert scanned.returncode == 0, scanned.stderr
    return location


@pytest.mark.parametrize("args", [["--help"], ["history", "e", "--json", "--store", "STORE"]])
def test_a_closed_pipe_ends_quietly_as_coreutils_do(args: list[str], store: str) -> None:
    command = [STATEWARD, *(store if a == "STORE" else a for a in args)]
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before a byte is written: `| head -0`
    try:
        ran = subprocess.run(command, stdout=writer, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(writer)
    assert ran.returncode == -signal.SIGPIPE, ran.stderr.decode()
    assert ran.stderr == b""


def test_a_closed_pipe_in_the_shell_is_141_not_1(tmp_path: Path) -> None:
    script = f'"{STATEWARD}" --help | head -c 0; echo "${{PIPESTATUS[0]}}"'
    ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert ran.stdout.strip() == "141" and ran.stderr == ""


_ENDING = """
import atexit, sys
from stateward.__main__ import run
class Held:
    def __del__(self):
        print("freed", file=sys.stderr)
held = Held()
atexit.register(print, "exit functions ran", file=sys.stderr)
sys.argv = ["stateward", *sys.argv[1:]]
run()
"""


def _ended(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    named = {"m.yaml", "store"}  # files in tmp_path
    paths = (str(tmp_path / a) if a in named else a for a in args)
    command = [sys.executable, "-c", _ENDING, *paths]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_a_command_that_opened_no_store_ends_without_the_teardown(tmp_path: Path) -> None:
    ran = _ended(tmp_path, "audit", "m.yaml", "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["complete"] is True  # written whole before the process ends
    assert ran.stderr.splitlines() == ["exit functions ran"]  # and nothing was freed one by one


_AUDITED = """
import sys, weakref
from stateward import api
audit = api.audit
def watched(*args, **kwargs):
    audited = audit(*args, **kwargs)
    freed = weakref.finalize(audited, print, "audit freed", file=sys.stderr)
    freed.atexit = False  # said only when the object is freed, not by the exit functions
    return audited
api.audit = watched
"""


def test_an_audit_ends_holding_what_it_audited(tmp_path: Path) -> None:
    """The command exits from its own frame, so its observation and report are not freed one
    by one before the process ends (they would be, had it returned)."""
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    script = _AUDITED + _ENDING
    command = [sys.executable, "-c", script, "audit", str(tmp_path / "m.yaml"), "--json"]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["complete"] is True
    assert ran.stderr.splitlines() == ["exit functions ran"]


def test_a_command_that_opened_a_store_ends_as_the_interpreter_ends(tmp_path: Path) -> None:
    ran = _ended(tmp_path, "scan", "m.yaml", "--estate", "e", "--store", "store", "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["estate"] == "e"
    assert ran.stderr.splitlines()[-2:] == ["exit functions ran", "freed"]


def test_an_exit_with_a_message_is_left_to_the_interpreter(tmp_path: Path) -> None:
    ran = _ended(tmp_path, "audit", "--fail-on", "nonsense", "m.yaml")
    assert ran.returncode == 2  # click's usage error, its message on stderr
    assert "Invalid value for '--fail-on'" in ran.stderr


_IMPORTS = """
import json, sys
from stateward.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
heavy = ("stateward.cli.scan", "stateward.analysis", "stateward.store", "rich", "docker",
         "detect_secrets", "cryptography")
print(json.dumps(sorted(m for m in sys.modules if m.startswith(heavy))), file=sys.stderr)
"""


_COMPLETE = """
import json, os, sys
from stateward.cli import main
os.environ.update(_STATEWARD_COMPLETE="bash_complete", COMP_WORDS="stateward s", COMP_CWORD="1")
try:
    main(prog_name="stateward", complete_var="_STATEWARD_COMPLETE")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("stateward.cli."))), file=sys.stderr)
"""


def test_completing_a_command_name_imports_no_command_module() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", _COMPLETE], capture_output=True, text=True, timeout=60
    )
    assert json.loads(ran.stderr.strip().splitlines()[-1]) == [
        "stateward.cli.exits",
        "stateward.cli.lazy",
    ]
    offered = [line.split(",")[1] for line in ran.stdout.splitlines()]
    assert offered == [n for n in sorted(COMMANDS) if n.startswith("s")]
    assert "scan" in offered and "audit" not in offered


def test_completing_an_option_loads_that_command_only() -> None:
    env = {**os.environ, "_STATEWARD_COMPLETE": "bash_complete", "COMP_WORDS": "stateward scan --es",
           "COMP_CWORD": "2"}  # fmt: skip
    ran = subprocess.run([STATEWARD], capture_output=True, text=True, timeout=60, env=env)
    assert ran.stdout.splitlines() == ["plain,--estate"], ran.stderr


_LOADS = """
import json, os, sys
import click
from stateward.cli import main
name = sys.argv[1]
command = main.get_command(click.Context(main), name)
paths = [[name], *([name, sub] for sub in getattr(command, "commands", {}))]
for path in paths:
    try:
        main([*path, "--help"], prog_name="stateward")
    except SystemExit:
        pass
    words = " ".join(["stateward", *path, "--"])
    os.environ.update(_STATEWARD_COMPLETE="bash_complete", COMP_WORDS=words,
                      COMP_CWORD=str(len(path) + 1))
    try:
        main(prog_name="stateward", complete_var="_STATEWARD_COMPLETE")
    except SystemExit:
        pass
    os.environ.pop("_STATEWARD_COMPLETE")
third = ("rich", "yaml", "docker", "kubernetes", "requests", "detect_secrets", "cryptography",
         "sqlalchemy", "psycopg", "pyrage", "deepdiff", "jsonschema")
loaded = [m for m in sys.modules if m.startswith("stateward.") and m.split(".")[1] != "cli"
          or m.split(".")[0] in third]
print(json.dumps([len(paths), sorted(loaded)]), file=sys.stderr)
"""


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_commands_help_and_option_completion_import_no_library_module(name: str) -> None:
    """Only running a command imports the library (its `api` call, then its renderers): ``--help``
    and completing the options of the command (and of each of its subcommands) load just the
    command's module, which needs click, the lazy ``stateward.api`` and the error classes."""
    ran = subprocess.run([sys.executable, "-c", _LOADS, name], capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    paths, loaded = json.loads(ran.stderr.strip().splitlines()[-1])
    assert loaded == ["stateward.api", "stateward.errors"]
    assert ran.stdout.count("Usage: stateward ") == paths
    assert ran.stdout.count("plain,--help\n") == paths


@pytest.mark.parametrize(
    ("copy", "value"),
    [("FORMATS", "stateward.report.output:FORMATS"), ("ROWS", "stateward.report.terminal:ROWS"),
     ("MODES", "stateward.api:MODES"), ("ROLES", "stateward.api:ROLES"),
     ("EXPORT_MIB", "stateward.api:EXPORT_MIB")],
)  # fmt: skip
def test_the_options_copies_are_the_librarys_values(copy: str, value: str) -> None:
    module, _, name = value.partition(":")
    assert getattr(choices, copy) == getattr(importlib.import_module(module), name)


def test_the_severities_are_the_findings_own() -> None:
    assert choices.SEVERITIES == tuple(Severity)


def test_help_imports_no_command_module() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", _IMPORTS], capture_output=True, text=True, timeout=60
    )
    assert json.loads(ran.stderr.strip().splitlines()[-1]) == []
    assert "audit" in ran.stdout and "Find where state hides" in ran.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_stored_help_sentence_is_the_commands_own(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None and command.name in (name, name.removesuffix("_command"))
    for limit in (30, 45, 74, 200):
        assert COMMANDS[name].short_help(name, limit) == command.get_short_help_str(limit)


def test_every_command_is_listed() -> None:
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        assert isinstance(main.get_command(ctx, name), click.Command)


_RUNS = """
import json, sys
from stateward.cli import main
try:
    main(sys.argv[1:], prog_name="stateward")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("docker", "paramiko"))),
      file=sys.stderr)
"""


@pytest.mark.parametrize("command", [["audit"], ["scan", "--estate", "e", "--store"]])
def test_reading_manifests_imports_no_container_engine_sdk(
    command: list[str], tmp_path: Path
) -> None:
    """The Docker SDK (with paramiko, a fifth of a second to import) only for an engine."""
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    args = [*command, str(tmp_path / "store")] if command[-1] == "--store" else command
    ran = subprocess.run([sys.executable, "-c", _RUNS, *args, str(manifest), "-o", "json"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert json.loads(ran.stdout)["errors"] == [], ran.stderr
    assert json.loads(ran.stderr.strip().splitlines()[-1]) == []
