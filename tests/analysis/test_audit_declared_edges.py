"""Edges an estate declares in forms other than a URL: a variable naming a container, a storage
setting listing its backend, a node's socket directory shared between two workloads.

A small hand-made estate for each, with a look-alike that must not give an edge.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, deployment


def _depends(report: AuditReport) -> dict[str, set[str]]:
    names = {c.id: c.name for c in report.components}
    return {c.name: {names[d] for d in c.depends_on} for c in report.components}


NAMED = """
services:
  nginx-proxy:
    image: nginxproxy/nginx-proxy:1.6
    container_name: edge-proxy
  companion:
    image: nginxproxy/acme-companion:2.4
    environment: {NGINX_PROXY_CONTAINER: edge-proxy, NGINX_DOCKER_GEN_CONTAINER: gone}
  transactor:
    image: example/transactor:1
    environment:
      STORAGE_CONFIG: "minio|files?accessKey=a&secretKey=b"
      EXPORT_FORMATS: "files|csv"
  files:
    image: minio/minio:latest
    command: server /data
    volumes: ["files:/data"]
volumes: {files: {}}
"""


def test_a_container_variable_and_a_listed_storage_backend_name_their_peers(
    audit_files: Auditor,
) -> None:
    """``NGINX_PROXY_CONTAINER`` names the proxy by its container name (a name no service
    answers gives nothing); ``STORAGE_CONFIG=minio|files?…`` names the object store ``files``,
    and the same name in a list that is no storage setting names nothing."""
    depends = _depends(audit_files(**{"compose.yaml": NAMED}))
    assert depends["companion"] == {"nginx-proxy"}
    assert depends["transactor"] == {"files"}
    assert depends["files"] == set()


def _socket_pod(name: str, read_only: bool, path: str = "/run/agent/sockets") -> str:
    pod = f"volumes: [{{name: s, hostPath: {{path: {path}, type: DirectoryOrCreate}}}}]"
    mode = "true" if read_only else "false"
    text = deployment(name, pod, image=f"example/{name}:1")
    return text + f"          volumeMounts: [{{name: s, mountPath: /sock, readOnly: {mode}}}]\n"


def test_a_pod_reading_a_node_socket_directory_reaches_the_workload_writing_it(
    audit_files: Auditor,
) -> None:
    """The agent creates its socket in the node's ``/run`` directory; the client mounting it
    read-only talks to it. A read-only view of a kept host directory, or of the container
    engine's socket, is no such edge."""
    report = audit_files(
        **{
            "agent.yaml": _socket_pod("agent", read_only=False),
            "client.yaml": _socket_pod("client", read_only=True),
            "writer.yaml": _socket_pod("writer", read_only=False, path="/srv/shared"),
            "reader.yaml": _socket_pod("reader", read_only=True, path="/srv/shared"),
            "engine.yaml": _socket_pod("engine", read_only=False, path="/var/run/docker.sock"),
            "watcher.yaml": _socket_pod("watcher", read_only=True, path="/var/run/docker.sock"),
        }
    )
    depends = _depends(report)
    assert depends["client"] == {"agent"}
    assert depends["agent"] == set()
    assert depends["reader"] == set()
    # The engine's socket is the node's container engine, not the other pod mounting it.
    assert depends["watcher"] == set()


def _job(name: str, args: str) -> str:
    return f"""apiVersion: batch/v1
kind: Job
metadata: {{name: {name}, namespace: ns}}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: c
          image: registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4
          args: {args}
"""


def test_a_secret_one_job_makes_is_a_dependency_of_who_mounts_or_reads_it(
    audit_files: Auditor,
) -> None:
    """``create --secret-name`` makes the Secret; the controller mounting it and the ``patch``
    Job reading it depend on that Job. A Secret nobody makes gives no edge."""
    mounted = "volumes: [{name: cert, secret: {secretName: admission}}]"
    other = "volumes: [{name: cert, secret: {secretName: elsewhere}}]"
    report = audit_files(
        **{
            "create.yaml": _job("create", "[create, --host=ctl, --secret-name=admission]"),
            "patch.yaml": _job("patch", "[patch, --webhook-name=w, --secret-name, admission]"),
            "controller.yaml": deployment("controller", mounted),
            "bystander.yaml": deployment("bystander", other),
        }
    )
    depends = _depends(report)
    assert depends["controller"] == {"create"}
    assert depends["patch"] == {"create"}
    assert depends["create"] == depends["bystander"] == set()


def _service(name: str, app: str) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: ns}}\n"
        f"spec: {{selector: {{app: {app}}}, ports: [{{port: 2883}}]}}\n"
    )


def test_a_variable_the_kubelet_sets_for_a_service_names_that_service(
    audit_files: Auditor,
) -> None:
    """``$(SVC_PROXY_SERVICE_HOST)`` is the address of the Service ``svc-proxy`` (the kubelet's
    Service variables); its ``_SERVICE_PORT`` twin, or a variable of no Service, is no host."""
    env = (
        "          env:\n"
        "            - {name: DB_HOST, value: $(SVC_PROXY_SERVICE_HOST)}\n"
        "            - {name: OTHER_PORT, value: $(SVC_OTHER_SERVICE_PORT)}\n"
        "            - {name: CACHE_HOST, value: $(CACHE_ADDRESS)}\n"
    )
    report = audit_files(**{
        "proxy.yaml": deployment("proxy", image="example/proxy:1") + "---\n"
        + _service("svc-proxy", "proxy"),
        "other.yaml": deployment("other", image="example/other:1") + "---\n"
        + _service("svc-other", "other"),
        "client.yaml": deployment("client", image="example/client:1") + env,
    })  # fmt: skip
    assert _depends(report)["client"] == {"proxy"}


def test_a_script_reading_the_kubelet_variable_of_a_service_names_that_service(
    audit_files: Auditor,
) -> None:
    """A shell script's ``${SVC_PROXY_SERVICE_HOST}`` is the kubelet's variable too, and a
    quoted option's value names its host (dataverse-k8s' ``pg_isready -h "${…}"``); the
    ``_SERVICE_PORT`` twin of another Service's variable names no host."""
    command = (
        '          command: [sh, -c, \'until pg_isready -h "${SVC_PROXY_SERVICE_HOST}"'
        ' -p "${SVC_OTHER_SERVICE_PORT}"; do sleep 3; done\']\n'
    )
    report = audit_files(**{
        "proxy.yaml": deployment("proxy", image="example/proxy:1") + "---\n"
        + _service("svc-proxy", "proxy"),
        "other.yaml": deployment("other", image="example/other:1") + "---\n"
        + _service("svc-other", "other"),
        "client.yaml": deployment("client", image="example/client:1") + command,
    })  # fmt: skip
    assert _depends(report)["client"] == {"proxy"}
