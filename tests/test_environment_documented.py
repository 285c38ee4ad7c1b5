"""Every environment variable the code, its tests, benchmarks and service scripts read is in the
one table of the README (section "Configuration and environment")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The held-out estates' folders (below heldout/, not its own modules) hold upstream projects'
# files copied unchanged (a JupyterHub config reads its own variables): data the audit is scored
# on, not code of ours.
HELDOUT = ROOT / "tests" / "analysis" / "heldout"
# os.environ.get("X"), os.environ["X"], os.getenv("X"), click's envvar="X", and the benchmarks'
# env_int("X", ...) / env_ints("X", ...) (bench/settings.py)
_PY_READS = re.compile(
    r"""(?:os\.environ(?:\.get)?[(\[]|getenv\(|envvar=|\benv_ints?\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# env.get("X") where env is the process environment or a mapping standing for it
_INJECTED = re.compile(r"""\benv\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""")
# ${X:-default} and ${X} of the service scripts
_SH_READS = re.compile(r"\$\{([A-Z][A-Z0-9_]+)(?::-[^}]*)?\}")
_TABLE_ROW = re.compile(r"^\|[^|]*`[A-Z][A-Z0-9_]+`", re.MULTILINE)
# the shell's own and the interpreter's, which no user sets for Stateward
_NOT_OURS = {"PATH", "PYTHONPATH", "PIPESTATUS", "BASH_SOURCE", "DEBIAN_FRONTEND", "UID"}


def _read_names() -> dict[str, str]:
    found: dict[str, str] = {}
    python = [p for f in ("src", "tests", "bench") for p in (ROOT / f).rglob("*.py")
              if HELDOUT not in p.parent.parents]  # fmt: skip
    for path in [*python, *(ROOT / "scripts").rglob("*.sh"), *(ROOT / "scripts").rglob("*.bash")]:
        text = path.read_text(encoding="utf-8")
        patterns = [_SH_READS] if path.suffix != ".py" else [_PY_READS]
        if "os.environ if environ is None" in text:
            patterns.append(_INJECTED)
        for pattern in patterns:
            for name in pattern.findall(text):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return {n: p for n, p in found.items() if n not in _NOT_OURS}


def test_every_variable_read_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = "\n".join(m.group(0) for m in _TABLE_ROW.finditer(readme))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", rows))
    read = _read_names()
    assert {
        "STATEWARD_STORE", "DOCKER_HOST", "DOCKER_CERT_PATH", "XDG_CONFIG_HOME",
        "BENCH_PROCESS_MEMORY",  # read through bench/settings.py's env_int
    } <= set(read)  # fmt: skip
    missing = {n: p for n, p in read.items() if n not in documented}
    assert not missing, f"read but not in the README's environment table: {missing}"
