"""The rule catalogue as Markdown: ``docs/rules.md`` is this module's output, checked by a test.

Regenerate with ``python -m stateward.analysis.audit.catalog > docs/rules.md``.
"""

from __future__ import annotations

import inspect

from stateward.analysis.audit import (
    app_catalog,
    app_operators,
    appdata,
    atomix_stores,
    caching,
    cluster_api,
    compositions,
    connections,
    coordination,
    custom,
    data_grids,
    data_systems,
    dependencies,
    derived_states,
    envoy_configs,
    event_operators,
    exec_targets,
    expiries,
    fetched,
    game_operators,
    images,
    indexed_apps,
    kind_fields,
    lifecycle,
    links,
    linuxserver,
    local_storage,
    managed,
    messaging_operators,
    object_gateways,
    operators,
    own_folders,
    programs,
    provisioners,
    reached,
    readers,
    recording_operators,
    regenerated,
    schemas,
    server_defaults,
    server_records,
    session_stores,
    sharing,
    sibling_jobs,
    store_kinds,
    waits,
    written_secrets,
)
from stateward.analysis.audit.engine import INCOMPLETE
from stateward.analysis.audit.images import declarations, declarations_index
from stateward.analysis.audit.interface import RULES, Rule

__all__ = ["rules_markdown"]

_HEADER = """\
# State audit rules

`stateward audit` reports where state hides. Every rule has a stable ID (the names the ground
truth in `tests/analysis/groundtruth/` uses), a default severity, and an *effect* that decides the
component's lifecycle class (a finding may override its rule's default, e.g. a
ReadWriteMany claim is `context`, a read-only one `warm-up`, a Redis used only as a cache `warm-up`;
`--json` gives each finding's own `effect`): `loss` (data lives where replacement destroys it), `durable` (data
survives but is tied to a volume, node or host), `warm-up` (nothing lost, the replacement starts
cold), `access` (reaches host state), `context` (informational).

Scopes: `workload` rules read one Kubernetes pod template or Compose service; `object` rules read
one Service, Ingress, DestinationRule or PersistentVolume and report on the workloads it routes to
or serves; `relation` rules run after the others, when every component's class is known.

A rule that fails on one component gives an `{incomplete}` finding for it; the audit goes on.

A plugin adds a rule the way the built-ins are added (`stateward.analysis.audit.rules`):

```python
from stateward.analysis.audit import Effect, Hit, detector
from stateward.model.finding import Severity


@detector("LOCAL_DUCKDB", Severity.MEDIUM, Effect.LOSS, remedy="Move the file to a volume.")
def local_duckdb(workload, estate):
    "A DuckDB file on the container layer (the docstring documents the rule)."
    for container in workload.containers:
        if any(w.endswith(".duckdb") for w in container.command):
            yield Hit(container.path, f"{{container.name}} opens a DuckDB file")
```

| rule | severity | effect | scope | what it means | remedy |
|---|---|---|---|---|---|
"""


def _row(rule: Rule) -> str:
    cells = [f"`{rule.id}`", str(rule.severity), str(rule.effect), str(rule.scope),
             _markdown(rule.title), rule.remedy or "—"]  # fmt: skip
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n"


def _markdown(text: str) -> str:
    # Docstrings use reStructuredText literals (``x``, ``::``); Markdown wants `x` and ``:``.
    return text.replace("``", "`").replace("::\n", ":\n")


def _section(title: str, module: object) -> str:
    return f"\n## {title}\n\n" + _markdown(inspect.cleandoc(getattr(module, "__doc__", "") or ""))


def _families() -> str:
    rows = "".join(
        f"| `{kind}` | `{group}` | {family.role} | {family.source} |\n"
        for (group, kind), family in sorted(operators.FAMILIES.items(), key=lambda f: f[0][::-1])
    )
    return "| kind | API group | role | source |\n|---|---|---|---|\n" + rows


def _applications() -> str:
    rows = "".join(
        f"| `{image}` | {', '.join(f'`{d}`' for d in dirs)} | {what or 'data'} | {url} |\n"
        for image, (dirs, url, what) in sorted(
            {**{i: (d, u, "") for i, (d, u) in app_catalog.APPS.items()},
             **{i: (d, u, "data on Kubernetes (no volume keeps it there)")
                for i, (d, u) in app_catalog.TOOLS.items()},
             **app_catalog.REBUILT}.items()
        )
    )  # fmt: skip
    return "| image | directories | holds | source |\n|---|---|---|---|\n" + rows


def _declarations() -> str:
    found = declarations()
    index = declarations_index()
    official = sum(not image.count("/") for image in found)
    rows = "".join(
        f"| `{image}` | {', '.join(f'`{v}`' for v in config.get('Volumes', {})) or '—'} "
        f"| {', '.join(f'`{e}`' for e in config.get('Env', ())) or '—'} | `{config['source']}` |\n"
        for image, config in sorted(found.items())
    )
    return (
        f"All {len(found)} entries are read from Dockerfiles by `scripts/image_declarations.py`, "
        f"none written by hand: {official} Docker official images (the repository and directory "
        f"of their `latest` entry in `{index}`, at the commit it pins, or at the repository's "
        "newest commit where the pinned one was not at hand), the rest LinuxServer.io images and "
        "self-hosted applications; each at the commit shown. An entry describes that build: "
        "another tag may declare other paths.\n\n"
        "| image | VOLUME | data ENV | read from |\n|---|---|---|---|\n" + rows
    )


def _linuxserver_pages() -> str:
    pages = linuxserver.documented()
    without = sorted(i for i in pages if not linuxserver.state_directories(i))
    return (
        f"{len(pages)} pages read from `{linuxserver.source()}`; {len(pages) - len(without)} ask "
        f"for `/config`. Those that do not: {', '.join(f'`{i}`' for i in without)}.\n"
    )


def rules_markdown() -> str:
    """The whole of ``docs/rules.md``."""
    rows = "".join(_row(RULES[rule_id]) for rule_id in sorted(RULES))
    return (
        _HEADER.format(incomplete=INCOMPLETE)
        + rows
        + _section("Lifecycle class, loss on replace and persistence gravity", lifecycle)
        + "\n"
        + _section("Application data", appdata)
        + "\n"
        + _section("Local storage chosen by a setting", local_storage)
        + "\n"
        + _section("Applications told to keep their records on a server", server_records)
        + "\n"
        + _section("Applications whose own directory holds only an index", indexed_apps)
        + "\n"
        + _section("Folders an application writes", own_folders)
        + "\n"
        + _section("Shared volumes", sharing)
        + "\n"
        + _section("Job directories shared with the containers a service starts", sibling_jobs)
        + "\n"
        + _section("Content written again at start", regenerated)
        + "\n"
        + _section("Data paths downloaded again", fetched)
        + "\n"
        + _section("Stores beside a program holding what it derives from its log", derived_states)
        + "\n"
        + _section("Readers holding a copy of their writers' files", readers)
        + "\n"
        + _section("Caches", caching)
        + "\n"
        + _section("Session stores", session_stores)
        + "\n"
        + _section("Caches named by their clients' time to live", expiries)
        + "\n"
        + _section("Coordination services", coordination)
        + "\n"
        + _section("Data images running another program", programs)
        + "\n"
        + _section("Object stores started as gateways", object_gateways)
        + "\n"
        + _section("Databases known by their clients", reached)
        + "\n"
        + _section("Dependency edges", dependencies)
        + "\n"
        + _section("Envoy proxies and the upstreams of their configuration", envoy_configs)
        + "\n"
        + _section("Volume provisioners", provisioners)
        + "\n"
        + _section("Init containers waiting for another workload", waits)
        + "\n"
        + _section("Pods a program runs its commands in", exec_targets)
        + "\n"
        + _section("Operator resources", operators)
        + "\n\n"
        + _families()
        + _section("Applications whose operator runs their database", app_operators)
        + "\n"
        + _section("Event brokers and pipelines", event_operators)
        + "\n"
        + _section("In-memory data grids", data_grids)
        + "\n"
        + _section("Atomix's stores of primitives", atomix_stores)
        + "\n"
        + _section("Messaging systems placed by their operator", messaging_operators)
        + "\n"
        + _section("Application servers placed by their operator's defaults", server_defaults)
        + "\n"
        + _section("Game servers placed by their operator", game_operators)
        + "\n"
        + _section("Media recorders placed by their operator", recording_operators)
        + "\n"
        + _section("Custom resources of no known family", custom)
        + "\n"
        + _section("Custom resources with the defaults of their CRD", schemas)
        + "\n"
        + _section("Custom resources linked by kind and by labels", links)
        + "\n"
        + _section("Custom resources naming another by a field spelled as its kind", kind_fields)
        + "\n"
        + _section("Custom resources acting on a database by its URL", connections)
        + "\n"
        + _section("Secrets a custom resource has written", written_secrets)
        + "\n"
        + _section("Custom resources that declare a data system", data_systems)
        + "\n"
        + _section("Custom resources named for a store", store_kinds)
        + "\n"
        + _section("Cluster API control planes on machines", cluster_api)
        + "\n"
        + _section("Crossplane composites", compositions)
        + "\n"
        + _section("Data systems an operator runs beside the program it names", managed)
        + "\n"
        + _section("More self-hosted applications", app_catalog)
        + "\n\n"
        + _applications()
        + _section("LinuxServer.io images", linuxserver)
        + "\n\n"
        + _linuxserver_pages()
        + _section("What images declare in their Dockerfiles", images)
        + "\n\n"
        + _declarations()
    )


if __name__ == "__main__":
    print(rules_markdown(), end="")
