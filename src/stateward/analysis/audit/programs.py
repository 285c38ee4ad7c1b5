"""Which program a container of a data image runs: the store's server, or something else.

An image is chosen for its binaries, not always for its server. Kubernetes ``command`` replaces
the image's ``ENTRYPOINT`` and ``args`` its ``CMD``
(https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes);
Compose ``entrypoint`` and ``command`` do the same
(https://docs.docker.com/reference/compose-file/services/#command). The official images'
entrypoints start the server, and initialise its data directory, only when the command is the
server or one of its flags, and otherwise run the command given as it is: the PostgreSQL
image's ``docker-entrypoint.sh`` prepends ``postgres`` to an argument starting with ``-`` and
runs ``initdb`` only when ``$1`` is ``postgres``, ending in ``exec "$@"``
(https://github.com/docker-library/postgres/blob/5171511ccc2aad6385e44b0d60180a25f146b36f/docker-entrypoint.sh),
as the MySQL, MongoDB and Redis images do for ``mysqld``, ``mongod`` and ``redis-server``.

So a database image whose command is an idle program (``sleep 2147483648``,
``tail -f /dev/null``: a shell to ``kubectl exec`` into, as the CockroachDB operator's secure
client pod is) or a client of the store (``psql``, ``mongosh``, ``redis-cli``, ``cockroach sql``:
a one-shot setup or backup job) runs no server: it keeps no data set of its own.

The other way round, an image of no data family may bundle a store's server beside its own
programs, and a container that runs that server's launch script, named ``start-<store>``, is that
store whatever its image is called: the Kubernetes ZooKeeper tutorial's ensemble runs
``start-zookeeper --servers=3 --data_dir=/var/lib/zookeeper/data …``
(https://kubernetes.io/docs/tutorials/stateful-application/zookeeper/), and Apache Heron's own
image ships ZooKeeper, started by ``/opt/zookeeper/scripts/start-zookeeper.sh`` in its
Kubernetes manifests
(https://github.com/apache/incubator-heron/blob/1c5779dcdf19eed888412f3d87b31ebb4b00e07e/deploy/kubernetes/general/zookeeper.yaml).

A pod runs a store's server once: a second container of the pod, of the same image as its main
container, which runs the image's own command (the server), given a command of its own that
starts no server, runs a helper shipped in the image (:func:`helper_beside_server`): IQSS's
Dataverse Solr pod runs ``iqss/solr-k8s`` as ``solr`` and again as ``schema-sidecar`` with
``/tini -- /scripts/schema/sidecar.sh``, a webhook that writes an updated schema for Solr to read
(https://github.com/IQSS/dataverse-kubernetes/blob/413cd89cc51ce4768dea831f0eb3280da60635f8/k8s/solr/deployment.yaml).
Its mounts are the helper's, not the store's data set.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["helper_beside_server", "idle_command", "launched_store", "other_program"]

# Programs that keep a container alive doing nothing.
_IDLE = frozenset({"sleep", "tail", "cat", "true", "pause", "yes"})
# Clients and tools shipped in the stores' images (each engine's documented command-line tools).
_CLIENTS = frozenset(
    {
        "psql", "pgbench",
        "mysql", "mysqldump", "mysqladmin", "mysqlsh", "mysqlimport",
        "mariadb-dump", "mariadb-admin", "mariadb-import",
        "mongo", "mongosh", "mongodump", "mongorestore", "mongoimport", "mongoexport",
        "redis-cli", "valkey-cli", "keydb-cli", "redis-benchmark",
        "cqlsh", "nodetool", "etcdctl", "influx", "clickhouse-client", "nats", "mc",
        "rabbitmqadmin", "rabbitmqctl",
    }
)  # fmt: skip
# Multi-call binaries: the subcommands that run the server (CockroachDB:
# https://www.cockroachlabs.com/docs/stable/cockroach-commands; ClickHouse's single binary runs
# ``clickhouse server`` or ``clickhouse client``: https://clickhouse.com/docs/interfaces/cli).
_SERVER_VERBS: dict[str, frozenset[str]] = {
    "cockroach": frozenset({"start", "start-single-node"}),
    "clickhouse": frozenset({"server"}),
}
# Multi-call binaries whose server is their bare command, and the subcommands that run
# something else: RethinkDB's ``proxy`` node, which "do[es] not store any data"
# (https://rethinkdb.com/docs/sharding-and-replication/#running-a-proxy-node), and its
# ``dump``/``restore``/``import``/``export`` clients (https://rethinkdb.com/docs/backup/).
_OTHER_VERBS: dict[str, frozenset[str]] = {
    "rethinkdb": frozenset({"proxy", "dump", "restore", "import", "export", "index-rebuild"}),
}
# Server programs of the images: a command that names one anywhere (a script that sleeps, then
# starts ``mongod``; an entrypoint script) is taken to run the server. Solr's image starts its
# server with ``CMD ["solr-foreground"]``
# (https://github.com/apache/solr-docker/blob/884b2e6692174ea09cdb5183b8dd585760b5e9fb/10.0/Dockerfile).
_SERVERS = frozenset(
    {
        "postgres", "mysqld", "mariadbd", "mongod", "redis-server", "valkey-server",
        "keydb-server", "rabbitmq-server", "nats-server", "etcd", "influxd", "minio",
        "kafka-server-start.sh", "cassandra", "elasticsearch", "opensearch", "solr-foreground",
    }
)  # fmt: skip
# Engines that ship their command-line tools as one family of names, every one of which but the
# listed server launchers is a client or an administration tool: Kafka's ``bin/kafka-*.sh``
# (Apache, https://kafka.apache.org/documentation/#basic_ops) and the same scripts without
# ``.sh`` in Confluent's images (``kafka-producer-perf-test``, ``kafka-consumer-groups``:
# https://docs.confluent.io/platform/current/tools/cli-reference.html); PostgreSQL's ``pg_*``
# client applications (https://www.postgresql.org/docs/current/reference-client.html), of which
# ``pg_ctl`` and Debian's ``pg_ctlcluster`` start the server.
_TOOL_FAMILIES: dict[str, frozenset[str]] = {
    "kafka-": frozenset({"kafka-server-start", "kafka-server-start.sh"}),
    "pg_": frozenset({"pg_ctl", "pg_ctlcluster"}),
}
# Start scripts of images whose server is launched by a script of another name: Confluent's
# images run ``/etc/confluent/docker/run`` (https://github.com/confluentinc/kafka-images).
_SERVER_SCRIPTS = ("/etc/confluent/docker/run",)
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
# Init processes that run the command after their flags (``tini -- cmd``, ``dumb-init cmd``).
_INITS = frozenset({"tini", "dumb-init"})
_SCRIPT_SPLIT = re.compile(r"\s*(?:&&|\|\||;|\||\n)\s*")


def other_program(container: Container) -> str:
    """The program a data image's container runs instead of its server ('' when it runs the
    server, or the image's own command: no command, or flags only)."""
    command = container.command
    words = _program_words(command)
    if not words or _runs_server(command):
        return ""
    program = words[0].rsplit("/", 1)[-1]
    verbs = _SERVER_VERBS.get(program)
    if verbs is not None:
        verb = next((w for w in words[1:] if not w.startswith("-")), "")
        return "" if verb in verbs else f"{program} {verb}".strip()
    if program in _IDLE or program in _CLIENTS or _family_tool(program):
        # named by the client a script runs after waiting (``sleep 86400; pg_dump …``), if any
        client = next((w for w in _programs(command) if _client(w[0])), words)
        return " ".join(client[:2])
    if words[1:2] and words[1] in _OTHER_VERBS.get(program, ()):
        return f"{program} {words[1]}"
    return ""


def idle_command(command: list[str]) -> str:
    """The command when every program it runs only keeps the container alive (``sleep 1000``,
    ``tail -f /dev/null``, through ``sh -c``): it writes no file ('' otherwise, or with no
    command: the image's own program runs)."""
    programs = _programs(command)
    if not programs or any(p[0].rsplit("/", 1)[-1] not in _IDLE for p in programs):
        return ""
    return " ".join(command)


def helper_beside_server(workload: Workload, container: Container) -> str:
    """The helper a sidecar of the main container's image runs beside that image's server
    ('' for the main container, another image, or a command that starts the server)."""
    primary = workload.primary
    if primary is None or container is primary or container.image != primary.image:
        return ""
    if primary.command and not _runs_server(primary.command):
        return ""  # the main container runs a command of its own: not known as the server
    words = _program_words(container.command)
    if words and words[0].rsplit("/", 1)[-1] in _INITS:
        rest = words[1:]
        words = rest[rest.index("--") + 1 :] if "--" in rest else rest
    if not words or _runs_server(container.command):
        return ""
    return " ".join(words[:2])


def _client(word: str) -> bool:
    program = word.rsplit("/", 1)[-1]
    return program in _CLIENTS or _family_tool(program)


def _family_tool(program: str) -> bool:
    """A tool of an engine's named family (``kafka-producer-perf-test``), not its launcher."""
    return any(
        program.startswith(prefix) and program not in servers
        for prefix, servers in _TOOL_FAMILIES.items()
    )


def _runs_server(command: list[str]) -> bool:
    """Some word of the command (or of a script in it) starts a server."""
    names = [w.rsplit("/", 1)[-1] for word in command for w in word.split()]
    started = any(
        name in _SERVER_VERBS and following in _SERVER_VERBS[name]
        for name, following in zip(names, names[1:], strict=False)
    )
    scripts = any(w.endswith(_SERVER_SCRIPTS) for word in command for w in word.split())
    return (
        started
        or scripts
        or bool(_SERVERS.intersection(names))
        or any("entrypoint" in n for n in names)
    )


def _program_words(command: list[str]) -> list[str]:
    """The words of the first program run: through ``sh -c '…'`` (its script's first command)
    and ``exec``; none when the command starts with a flag (passed to the image's server)."""
    programs = _programs(command)
    return programs[0] if programs else []


def _programs(command: list[str]) -> list[list[str]]:
    """The words of each program the command runs, in order: the commands of a ``sh -c`` script
    (through nested shells), less the shell's own words around them."""
    words = list(command)
    commands = [words]
    while words and words[0].rsplit("/", 1)[-1] in _SHELLS and "-c" in words[1:3]:
        script = _unquoted(" ".join(words[words.index("-c") + 1 :]).strip())
        commands = [c.split() for c in _SCRIPT_SPLIT.split(script)]
        commands = [c for c in map(_work, commands) if c]
        words = commands[0] if commands else []
    while words and words[0] in ("exec", "env", "--"):
        words = words[1:]
    if not words or words[0].startswith("-"):
        return []
    return [words, *commands[1:]]


def _unquoted(script: str) -> str:
    """A script without the quotes around it: a Compose ``command`` given as a string is split at
    its spaces here (:attr:`.workloads.Container.command`), so ``bash -c 'while …; done'`` comes
    as words whose first and last keep the quotes the shell would take off."""
    if len(script) > 1 and script[0] in "'\"" and script[-1] == script[0]:
        return script[1:-1].strip()
    return script


# A shell's compound commands (POSIX, "Shell Command Language", 2.9.4 Compound Commands:
# https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_09_04): a
# backup loop ``while true; do sleep 86400; pg_dump …; done`` runs its body's commands, and its
# condition (``true``) is no program the container is for. Words that open a body go; a
# condition's command, and the words that close a body, are no work of the script.
_OPENERS = frozenset({"do", "then", "else", "{", "(", "!"})
_CONDITIONS = frozenset({"while", "until", "if", "elif", "for", "case"})
_CLOSERS = frozenset({"done", "fi", "esac", "}", ")"})
# ``PGPASSWORD=… pg_dump …``: assignments before a command set its environment (2.9.1).
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _work(words: list[str]) -> list[str]:
    """The words of one command of a script that run a program ([] for a loop's or a test's
    condition and for the words closing a body)."""
    while words and (words[0] in _OPENERS or _ASSIGNMENT.match(words[0])):
        words = words[1:]
    if not words or words[0] in _CONDITIONS or words[0] in _CLOSERS:
        return []
    return words


# A launch script named for the store it starts (``start-zookeeper``, ``start-zookeeper.sh``).
_LAUNCHER = re.compile(r"^start[-_](?P<store>[a-z][a-z0-9]*)(?:\.sh)?$")


def launched_store(container: Container) -> str:
    """The store whose launch script the container's first program is ('' for none): a word
    to look up as a data family."""
    words = _program_words(container.command)
    found = _LAUNCHER.match(words[0].rsplit("/", 1)[-1].lower()) if words else None
    return found["store"] if found else ""
