"""The package as pip would install it: the wheel builds, ``twine check`` passes, its metadata
names the license and every library the code imports, and the core runs without the extras."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "stateward"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the tree (no build isolation: the pinned setuptools of the
    venv, no network)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(
        ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    out = tmp_path_factory.mktemp("dist")
    command = [
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--no-isolation",
        "--outdir",
        str(out),
        str(tree),
    ]
    built = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = out.glob("stateward-*.whl")
    return found


def _metadata(wheel: Path) -> tuple[dict[str, list[str]], str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode()
    message = Parser().parsestr(text)
    return {key: message.get_all(key) or [] for key in set(message.keys())}, text


def test_twine_check_passes(wheel: Path) -> None:
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "PASSED" in checked.stdout


def test_license_and_classifiers(wheel: Path) -> None:
    fields, _ = _metadata(wheel)
    assert fields["License-Expression"] == ["Apache-2.0"]
    assert fields["License-File"] == ["LICENSE"]
    assert "Programming Language :: Python :: 3.11" in fields["Classifier"]
    with zipfile.ZipFile(wheel) as archive:
        licence = next(n for n in archive.namelist() if n.endswith("licenses/LICENSE"))
        assert b"Apache License" in archive.read(licence) and b"Version 2.0" in archive.read(
            licence
        )
        assert "stateward/py.typed" in archive.namelist()


def _imported_libraries() -> set[str]:
    """Top-level names of every third-party module the package imports."""
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "stateward"}


def test_every_imported_library_is_declared_with_a_range(wheel: Path) -> None:
    fields, _ = _metadata(wheel)
    requirements = [Requirement(r) for r in fields["Requires-Dist"]]
    runtime = {r.name.lower() for r in requirements if "dev" not in str(r.marker or "")}
    distributions = packages_distributions()
    for module in sorted(_imported_libraries()):
        owners = {d.lower() for d in distributions.get(module, [])}
        assert owners & runtime, f"`import {module}` ({owners or 'unknown'}) is not declared"
    for requirement in requirements:
        if "dev" not in str(requirement.marker or ""):
            assert "==" not in str(requirement.specifier), f"{requirement} is an exact pin"
    extras = set(fields["Provides-Extra"])
    assert {"postgres", "engine", "kube", "server"} <= extras


def test_requests_is_a_core_dependency(wheel: Path) -> None:
    fields, _ = _metadata(wheel)
    core = {Requirement(r).name for r in fields["Requires-Dist"] if "extra" not in r}
    assert {"requests", "PyYAML", "click", "rich", "cryptography"} <= core
    assert "docker" not in core and "psycopg" not in core


_WITHOUT_EXTRAS = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"docker", "psycopg", "fastapi", "starlette", "uvicorn"}:
            raise ImportError(f"{name} is not installed (an extra)")
sys.meta_path.insert(0, Refuse())
from stateward.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_core_runs_without_the_extras(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    store = str(tmp_path / "store")
    for args in (["--help"], ["scan", str(tmp_path / "m.yaml"), "--estate", "e", "--store", store]):
        ran = subprocess.run([sys.executable, "-c", _WITHOUT_EXTRAS, *args],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)  # fmt: skip
        assert ran.returncode == 0, ran.stderr[-2000:]
    engine = subprocess.run([sys.executable, "-c", _WITHOUT_EXTRAS, "scan", "engine://", "--estate", "e",
                             "--store", store], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert engine.returncode == 2
    assert "pip install 'stateward[engine]'" in engine.stderr
    serve = subprocess.run([sys.executable, "-c", _WITHOUT_EXTRAS, "serve", "--store", store],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert serve.returncode == 2 and "pip install 'stateward[server]'" in serve.stderr
    postgres = subprocess.run([sys.executable, "-c", _WITHOUT_EXTRAS, "estates", "--store",
                               "postgresql://u:hidden@127.0.0.1:1/db"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert postgres.returncode == 3
    assert (
        "pip install 'stateward[postgres]'" in postgres.stderr and "hidden" not in postgres.stderr
    )
