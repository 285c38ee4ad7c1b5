"""Catalogued applications told by their documented settings to keep their records on a server.

An application of the catalogue (:func:`~stateward.analysis.audit.knowledge.app_image`) keeps
its records in its documented directory because, by default, it keeps them in an embedded
database there. Told to use a database server instead, and given every secret it would
otherwise generate and write in that directory, it keeps nothing there a replacement loses:
its records live on the server (a component of their own), the rest of the directory is
written again on start. Each entry: image repository -> the settings that choose the database
(a variable, read also through ``envFrom`` ConfigMaps; a Secret gives names only), the values
of them that keep the embedded database, the settings that must be given for no generated
secret to be written there, and the settings whose values would keep other files there anyway;
each cited below.

n8n saves "credentials, past executions, and workflows" in SQLite unless ``DB_TYPE`` is
``postgresdb`` (https://docs.n8n.io/hosting/configuration/supported-databases-settings/;
"DB_TYPE … sqlite, postgresdb … Default sqlite":
https://docs.n8n.io/hosting/configuration/environment-variables/database); on first start it
writes a random encryption key for the credentials to the settings file in ``~/.n8n`` unless
``N8N_ENCRYPTION_KEY`` gives one
(https://docs.n8n.io/hosting/configuration/configuration-examples/encryption-key/); and it keeps
binary data in memory unless ``N8N_DEFAULT_BINARY_DATA_MODE`` is ``filesystem``
(https://docs.n8n.io/hosting/scaling/binary-data/), which writes it under that directory.
"""

from __future__ import annotations

from typing import NamedTuple

from stateward.analysis.audit.dependencies import container_settings
from stateward.analysis.audit.estate import Estate, secret_keys_loaded
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["records_on_a_server"]


class _Told(NamedTuple):
    choice: str
    embedded: frozenset[str]
    given: tuple[str, ...]
    local_files: dict[str, frozenset[str]]


_ON_A_SERVER: dict[str, _Told] = {
    "n8nio/n8n": _Told(
        "DB_TYPE",
        frozenset({"sqlite"}),
        ("N8N_ENCRYPTION_KEY",),
        {"N8N_DEFAULT_BINARY_DATA_MODE": frozenset({"filesystem"})},
    ),
}


def records_on_a_server(workload: Workload, container: Container, estate: Estate) -> str:
    """Why a catalogued application keeps nothing of its own in its directory (its settings
    choose a database server and give the secrets it would otherwise write there); "" when it
    is not told so, or when a setting still keeps files there."""
    told = _ON_A_SERVER.get(repository(container.image)) if container.image else None
    if told is None:
        return ""
    values, names = _settings(workload, container, estate)
    chosen = values.get(told.choice, "").strip()
    # unset, or filled from a Secret whose value the audit does not read: not known to be a server
    if not chosen or chosen.lower() in told.embedded:
        return ""
    if not names.issuperset(told.given):
        return ""
    if any(values.get(n, "").strip().lower() in kept for n, kept in told.local_files.items()):
        return ""
    given = ", ".join(told.given)
    return f"{told.choice}={chosen} and {given} given: it keeps its records on that server"


def _settings(
    workload: Workload, container: Container, estate: Estate
) -> tuple[dict[str, str], set[str]]:
    """The values the container is known to be given (its own, then those of the ConfigMaps
    it loads) and every name it is given, the keys of the Secrets it loads whole included."""
    values = container_settings(workload, container, estate)
    loaded = secret_keys_loaded(container.body, workload.namespace, estate)
    return values, set(values) | container.env_names | {name for name, _ in loaded}
