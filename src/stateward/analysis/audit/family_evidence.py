"""How many independent signals say a container runs the data family the audit took it for.

A finding that claims a store's data is lost is high only when the store is known to be one on
more than one signal. A published image whose reference names the family (``postgres:16``,
``bitnami/redis``) or is a catalogued application's or tool's own repository is enough, with
the data directory the catalogue documents for that image and no mount over it: the image's
publisher says where the data is. Every other way of naming a family is one signal, which a
second must confirm:

- a server's own environment variable (``MYSQL_ROOT_PASSWORD``): one ``env_file`` shared by a
  project's services hands it to clients too (APITable's shared ``.env`` gave four stateless
  servers the MySQL server's password);
- the image's own config (``VOLUME``, the ``ENV`` of its base), or a client reaching it as that
  engine (read by :func:`~.knowledge.declared_family`);
- the port its server listens on by default, declared by the container (``containerPort``,
  Compose ``ports``/``expose``); :func:`~.knowledge.declared_family` reads one only beside a
  name that says "database" (``…/user-db``), which is then a second signal of its own;
- a name the author gave: the service, the container, or a built image's tag naming the family
  (``rs-mongodb``), or, for a database, saying ``db``/``database``;
- a launch script named for the store (``start-zookeeper``);
- a data directory named on the command line or in the environment (``--data-dir``).
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import (
    DataImage,
    app_image,
    configured_data_paths,
    data_image,
    declared_family,
    image_words,
    tool_image,
)
from stateward.analysis.audit.modes import keeping_mode
from stateward.analysis.audit.probes import declared_ports, store_ports
from stateward.analysis.audit.programs import launched_store
from stateward.analysis.audit.workloads import Container, Workload, remembered

__all__ = ["family_signals", "known_on_two"]


def family_signals(workload: Workload, container: Container, family: DataImage) -> tuple[str, ...]:
    """The signals naming ``family`` for ``container``, each a short phrase for a finding."""
    return _weighed(workload, container, family)[1]


def known_on_two(workload: Workload, container: Container, family: DataImage) -> bool:
    """Whether the family is the published image's own, or is named by two signals."""
    published, signals = _weighed(workload, container, family)
    return published or len(signals) >= 2


def _weighed(
    workload: Workload, container: Container, family: DataImage
) -> tuple[bool, tuple[str, ...]]:
    """Whether the image is the family's published one, and the signals; worked out once per
    container and family (each finding on the container asks, and the structure rules too)."""
    return remembered(
        workload, container, f"family {family.name}", lambda: _signals(workload, container, family)
    )


def _signals(
    workload: Workload, container: Container, family: DataImage
) -> tuple[bool, tuple[str, ...]]:
    published = _published(workload, container, family)
    found = [f"the image {container.image}"] if published else []
    if _built(workload) and _same(data_image(container.image), family):
        found.append(f"its image's tag {container.image}")
    if name := _author_name(workload, container, family):
        found.append(f"the name {name}")
    declared = declared_family(container)
    if declared is not None and _same(declared[0], family):
        found.append(declared[1])
    ports = sorted(_ports(family) & set(declared_ports(container.body)))
    if ports and not (declared and declared[1].startswith("port ")):
        found.append(f"its server's port {ports[0]}")
    store = launched_store(container)
    if store and _same(data_image(store), family):
        found.append("its launch script")
    if configured_data_paths(container):
        found.append("a data directory it is configured with")
    return published, tuple(found)


def _built(workload: Workload) -> bool:
    return workload.platform == "compose" and "build" in workload.body


def _published(workload: Workload, container: Container, family: DataImage) -> bool:
    """The image reference names the family: by a word, for an image the project does not
    build; by the whole repository of a catalogued application or tool, built or not (a tag
    that is the published image's own name is that program: Keila's ``pentacent/keila``), or
    of a program the mode table knows, set to the mode that keeps its records
    (:mod:`~stateward.analysis.audit.modes`: Dkron's, Tinode's)."""
    image = container.image
    catalogued = app_image(image) or tool_image(image) or keeping_mode(container)
    if _same(catalogued, family):
        return True
    return not _built(workload) and _same(data_image(image), family)


# Default server ports of stores :mod:`~stateward.analysis.audit.probes` does not table:
# RabbitMQ's AMQP 5672 (https://www.rabbitmq.com/docs/networking#ports), ActiveMQ's OpenWire
# 61616 (https://activemq.apache.org/components/classic/documentation/configuring-transports),
# KurrentDB's node port 2113 (https://docs.kurrent.io/server/v25.0/configuration/networking.html),
# etcd's client port 2379 and ZooKeeper's 2181 (IANA service names etcd-client, eforward;
# https://www.iana.org/assignments/service-names-port-numbers); Oracle Database's listener 1521
# (the image's README, cited at :data:`~.knowledge._ORACLE`).
_MORE_PORTS: dict[str, frozenset[int]] = {
    "oracle": frozenset({1521}),
    "rabbitmq": frozenset({5672}),
    "activemq": frozenset({61616}),
    "kurrentdb": frozenset({2113}),
    "etcd": frozenset({2379}),
    "zookeeper": frozenset({2181}),
}


def _ports(family: DataImage) -> frozenset[int]:
    return store_ports(family.name) | _MORE_PORTS.get(family.name, frozenset())


_DATABASE_WORDS = frozenset({"db", "database"})


def _author_name(workload: Workload, container: Container, family: DataImage) -> str:
    """A name the author gave that names the family, or says "database" for one ('' if none)."""
    for name in dict.fromkeys([workload.name, container.name]):
        if _same(data_image(name, built=True), family):
            return name
        if family.role == "database" and _DATABASE_WORDS.intersection(image_words(name)):
            return name
    if family.role == "database" and _DATABASE_WORDS.intersection(image_words(container.image)):
        return container.image
    return ""


def _same(found: DataImage | None, family: DataImage) -> bool:
    return found is not None and found.name == family.name
