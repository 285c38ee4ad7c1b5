"""``stateward doctor``: is this machine set up to use Stateward, and what to do where it is not.

Each check reads what the commands themselves read, through the same code (the store opener,
the key loaders, the engine and kube sources), so a check that passes means the command will
find the same thing; nothing is created or written. A part the user may not need (a container
engine, a cluster, an optional library) is a warning when it is simply absent and a failure
only when it is configured and does not work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, TypeVar

from stateward import __version__
from stateward.errors import StatewardError
from stateward.ledger.signer import Ed25519Signer
from stateward.model.secrets import SecretKeeper
from stateward.store import Store, open_store
from stateward.store.database import redact_url
from stateward.store.keys import KeyFiles, key_files, recorded_key
from stateward.store.schema import MIGRATIONS

__all__ = ["Check", "Diagnosis", "doctor"]

Status = Literal["ok", "warn", "fail"]
T = TypeVar("T")

# Imported as (distribution, the extra that brings it); None: a core dependency.
_LIBRARIES = (
    ("click", None),
    ("rich", None),
    ("PyYAML", None),
    ("cryptography", None),
    ("kubernetes", None),
    ("docker", "engine"),
    ("psycopg", "postgres"),
    ("asyncssh", "host"),
    ("fastapi", "server"),
    ("uvicorn", "server"),
)
_PYTHON = (3, 11)
_PROBE_S = 5.0
"""How long an engine or cluster may take to answer: a doctor must not hang on a dead socket."""
_ENGINE_REMEDY = (
    "Start the engine (dockerd or `podman system service`), or point DOCKER_HOST, DOCKER_CONTEXT "
    "or --engine at one."
)


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check."""

    name: str
    status: Status
    detail: str
    """What was found (locations, versions; never a key or a secret)."""
    remedy: str = ""
    """What to do, when the status is not ok."""


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Every check, in the order run."""

    checks: tuple[Check, ...]

    @property
    def failed(self) -> bool:
        """Whether any check failed (warnings do not count)."""
        return any(check.status == "fail" for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"ok": bool, "checks": [...]}``."""
        return {"ok": not self.failed, "checks": [asdict(check) for check in self.checks]}


def doctor(
    store: str | None = None,
    *,
    engine: str = "engine://",
    context: str = "",
    environ: Mapping[str, str] | None = None,
) -> Diagnosis:
    """Check the store at ``store`` (its schema, integrity and keys), the container ``engine``,
    the cluster of kubeconfig ``context`` ("" for the current one), and the versions of Python
    and the libraries in use. ``environ`` stands for the process's environment."""
    env = os.environ if environ is None else environ
    checks = [*_store_checks(store), _engine_check(engine, env), _cluster_check(context, env)]
    checks += _version_checks()
    return Diagnosis(tuple(checks))


def _store_checks(location: str | None) -> Iterator[Check]:
    try:
        store = open_store(location, read_only=True)
    except StatewardError as error:
        yield Check("store", "fail", error.message, error.remedy)
        yield Check("keys", "warn", "not checked: no store to name them", "Fix the store first.")
        return
    try:
        yield Check("store", "ok", f"{_shown(store)}: a ledger of {store.ledger.size()} entries")
        yield _schema_check(store)
        yield _integrity_check(store)
        yield from _key_checks(store)
    finally:
        store.db.close()


def _shown(store: Store) -> str:
    return redact_url(store.location)


def _schema_check(store: Store) -> Check:
    rows = store.db.read_only(lambda c: c.execute("SELECT name FROM _migrations"))
    applied = {str(row[0]) for row in rows}
    known = [name for name, _ in MIGRATIONS]
    unknown = sorted(applied - set(known))
    if unknown:
        return Check(
            "schema", "fail", f"migration {unknown[0]} is from a newer Stateward",
            f"Upgrade Stateward to at least the version that wrote {_shown(store)}.",
        )  # fmt: skip
    pending = [name for name in known if name not in applied]
    if pending:
        return Check(
            "schema", "warn", f"{len(pending)} migration(s) pending, first {pending[0]}",
            "The next command that writes the store applies them (`stateward scan`).",
        )  # fmt: skip
    return Check("schema", "ok", f"current ({known[-1]})")


def _integrity_check(store: Store) -> Check:
    if store.db.dialect != "sqlite":
        # PostgreSQL checks its own pages; its index check (amcheck) is `ledger verify`'s.
        return Check("integrity", "ok", "PostgreSQL answers; `ledger verify` checks it in full")
    # quick_check: O(N) and skips the index-to-table comparison that integrity_check makes
    # (https://www.sqlite.org/pragma.html#pragma_quick_check); `ledger verify` runs the full one.
    rows = store.db.read_only(lambda c: c.execute("PRAGMA quick_check(5)"))
    lines = [str(row[0]) for row in rows]
    if lines == ["ok"]:
        return Check("integrity", "ok", "SQLite quick_check: ok")
    return Check(
        "integrity", "fail", f"SQLite quick_check: {lines[0]}",
        "Run `stateward ledger verify`, then restore the store from a backup.",
    )  # fmt: skip


def _key_checks(store: Store) -> Iterator[Check]:
    files = key_files(store.db, store.ledger.origin())
    yield _secret_key_check(store, files)
    yield _as_check(
        "ledger key", files.ledger, _loaded("ledger key", files.ledger, Ed25519Signer.load)
    )


def _secret_key_check(store: Store, files: KeyFiles) -> Check:
    loaded = _loaded("secret key", files.secret, SecretKeeper.load)
    record = recorded_key(store.db)
    if not isinstance(loaded, SecretKeeper) or record is None:
        return _as_check("secret key", files.secret, loaded)
    if loaded.key_id != record.key_id:
        return Check(
            "secret key", "fail",
            f"{files.secret} (id {loaded.key_id}) is not the key the store records (id {record.key_id})",
            "Restore the store's own key, or set STATEWARD_KEY_FILE to it.",
        )  # fmt: skip
    return Check("secret key", "ok", f"{files.secret}: mode 0600 or stricter, id {loaded.key_id}")


def _loaded(name: str, path: Path, load: Callable[[Path], T]) -> T | Check:
    """The key file at ``path`` loaded, or the check that says why not: the loaders refuse
    group or world access as ssh does, so a key that is too open fails here as everywhere."""
    if not path.exists():
        return Check(
            name, "warn", f"{path} does not exist yet", "The next `stateward scan` creates it."
        )
    try:
        return load(path)
    except StatewardError as error:
        return Check(name, "fail", error.message, error.remedy)


def _as_check(name: str, path: Path, loaded: object) -> Check:
    if isinstance(loaded, Check):
        return loaded
    return Check(name, "ok", f"{path}: mode 0600 or stricter")


def _engine_check(location: str, env: Mapping[str, str]) -> Check:
    from stateward.sources.engine.endpoint import locate

    try:
        endpoint = locate(location, env)
    except StatewardError as error:
        return Check("engine", "fail", error.message, error.remedy)
    where = f"{endpoint.url} ({endpoint.origin})" if endpoint.origin else endpoint.url
    absent = (
        endpoint.origin == "the default socket"
        and not Path(endpoint.url.removeprefix("unix://")).exists()
    )
    if absent:
        return Check("engine", "warn", f"no engine socket at {where}",
                     "Needed only for engine:// sources, capture and guard. " + _ENGINE_REMEDY)  # fmt: skip
    try:
        from stateward.sources.engine.client import connect
    except ImportError:
        return Check("engine", "warn", "the docker SDK is not installed",
                     "pip install 'stateward[engine]'")  # fmt: skip
    try:
        engine = connect(endpoint, deadline_s=_PROBE_S)
    except StatewardError as error:
        return Check("engine", "fail", error.message, error.remedy or _ENGINE_REMEDY)
    try:
        name = "Podman" if engine.podman else "Docker"
        served = engine.version.get("ApiVersion")
        detail = f"{where}: {name} {engine.version.get('Version')}, API {engine.api.api_version} negotiated (engine serves up to {served})"
    finally:
        engine.close()
    return Check("engine", "ok", detail)


def _cluster_check(context: str, env: Mapping[str, str]) -> Check:
    from stateward.sources.kube.client import DEFAULT_KUBECONFIG, ApiFailure, connect
    from stateward.sources.kube.location import KubeTarget

    files = env.get("KUBECONFIG") or DEFAULT_KUBECONFIG
    exists = any(Path(p).expanduser().exists() for p in files.split(os.pathsep))
    if not (exists or context or env.get("KUBERNETES_SERVICE_HOST")):
        return Check("cluster", "warn", f"no kubeconfig at {files}",
                     "Needed only for kube:// sources and watch; set KUBECONFIG.")  # fmt: skip
    try:
        cluster = connect(KubeTarget(context=context), env)
    except StatewardError as error:
        return Check("cluster", "fail", error.message, error.remedy)
    cluster.deadline_s = _PROBE_S
    try:
        answer = cluster.get("/version")
    except ApiFailure as failure:
        return Check("cluster", "fail", f"{cluster.server} does not answer: {failure.reason}",
                     "Check the kubeconfig's current context (kubectl config current-context).")  # fmt: skip
    finally:
        cluster.close()
    version = answer.get("gitVersion") if isinstance(answer, dict) else None
    return Check(
        "cluster", "ok", f"{cluster.server}: Kubernetes {version or '(version not given)'}"
    )


def _version_checks() -> Iterator[Check]:
    python = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < _PYTHON:
        yield Check("python", "fail", f"Python {python}", "Stateward needs Python 3.11 or newer.")
    else:
        yield Check("python", "ok", f"Python {python}, Stateward {__version__}")
    for name, extra in _LIBRARIES:
        try:
            yield Check(name, "ok", metadata.version(name))
        except metadata.PackageNotFoundError:
            if extra is None:
                yield Check(
                    name, "fail", "not installed", "Reinstall Stateward: pip install stateward"
                )
            else:
                yield Check(name, "warn", f"not installed (the [{extra}] extra)",
                            f"pip install 'stateward[{extra}]' if you need it")  # fmt: skip
