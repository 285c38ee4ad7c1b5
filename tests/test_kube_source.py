"""The ``kube://`` source against the test API server: what it reads, how it fails, and that a
live object becomes the very resource a ``kubectl get -o json`` dump of it becomes."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from tests.kubeapi.cluster import Cluster
from tests.kubeapi.fixtures import write_kubeconfig
from tests.kubeapi.pki import Pki
from tests.kubeapi.server import EXPIRE_CONTINUE, KubeAPI
from tests.kubeapi.shop import SHOP, apply_shop

from stateward.cli import main
from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.files import FileSource
from stateward.sources.interface import SourceResult
from stateward.sources.kube.location import KubeTarget, with_options
from stateward.sources.kube.reader import open_reader
from stateward.sources.kube.source import KubeSource

KEEPER = SecretKeeper(b"k" * 32)
SECRET = "bumblebeetuna"  # the recorded Secret s1's password (k9s-render-sec.json)


def _read(kubeconfig: Path, location: str = "kube://", **options: Any) -> SourceResult:
    source = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}, **options)
    return source.observe(location, KEEPER)


def _keys(result: SourceResult) -> list[str]:
    return sorted(str(r.key) for r in result.resources)


def _cli(kubeconfig: Path, *args: str) -> Result:
    env = {"NO_COLOR": "1", "COLUMNS": "200", "KUBECONFIG": str(kubeconfig)}
    return CliRunner().invoke(main, list(args), env=env)


# -- what it reads -------------------------------------------------------------------------


def test_reads_the_context_namespace_by_default_and_everything_with_all_namespaces(
    kube_api: KubeAPI, kubeconfig: Path
) -> None:
    assert _keys(_read(kubeconfig)) == [
        "ConfigMap/default/blee",
        "Pod/default/nginx",
        "Pod/default/nginx-7fb78fb6d8-2w75j",
        "Secret/default/s1",
        "Service/default/dictionary1",
        "ServiceAccount/default/blee",
    ]
    everything = _read(kubeconfig, "kube://test/*")
    assert everything.complete and everything.errors == []
    assert {"Deployment.apps/icx/icx-db", "Namespace/kube-system",
            "ClusterRole.rbac.authorization.k8s.io/blee",
            "CustomResourceDefinition.apiextensions.k8s.io/adapters.config.istio.io",
            } <= set(_keys(everything))  # fmt: skip
    assert not any(k.startswith("Event/") for k in _keys(everything))  # records, not state


def test_custom_resources_are_discovered_and_read(kube_api: KubeAPI, kubeconfig: Path) -> None:
    kube_api.cluster.create({"apiVersion": "config.istio.io/v1alpha2", "kind": "adapter",
                             "metadata": {"name": "prometheus", "namespace": "istio-system"},
                             "spec": {"session_based": False}}, "helm")  # fmt: skip
    read = _read(kubeconfig, "kube://test/istio-system")
    assert _keys(read) == ["adapter.config.istio.io/istio-system/prometheus"]


def test_a_live_object_is_the_resource_its_kubectl_dump_is(
    kube_api: KubeAPI, kubeconfig: Path, kubectl: str, tmp_path: Path
) -> None:
    kinds = "configmaps,pods,secrets,serviceaccounts,services"
    dump = subprocess.run([kubectl, "--kubeconfig", str(kubeconfig), "get", kinds, "-o", "json"],
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    (tmp_path / "dump.json").write_text(dump.stdout)
    from_file = FileSource().observe(str(tmp_path / "dump.json"), KEEPER)
    live = _read(kubeconfig)
    assert {r.key: r.digest for r in live.resources} == {
        r.key: r.digest for r in from_file.resources
    }


def test_label_selector_and_pages(kube_api: KubeAPI, kubeconfig: Path) -> None:
    selected = _read(kubeconfig, "kube://?selector=app%3Dnginx")
    assert _keys(selected) == ["Pod/default/nginx-7fb78fb6d8-2w75j"]
    paged = _read(kubeconfig, "kube://test/*", page=1)
    assert _keys(paged) == _keys(_read(kubeconfig, "kube://test/*"))
    assert any("continue=" in r for r in kube_api.requests)


def test_an_expired_continue_token_relists_the_kind(kube_api: KubeAPI, kubeconfig: Path) -> None:
    kube_api.faults["pods"] = EXPIRE_CONTINUE
    read = _read(kubeconfig, page=1)
    assert read.complete and read.errors == []
    assert [k for k in _keys(read) if k.startswith("Pod/")] == [
        "Pod/default/nginx",
        "Pod/default/nginx-7fb78fb6d8-2w75j",
    ]  # each once
    pages = [r for r in kube_api.requests if r.startswith("GET /api/v1/namespaces/default/pods")]
    assert len(pages) == 4  # page 1, the expired page 2, then the whole list again in 2 pages


# -- secrets -------------------------------------------------------------------------------


def _secret_texts() -> list[str]:
    return [SECRET, base64.b64encode(f"{SECRET}\n".encode()).decode()]


def test_secret_values_are_digested_and_never_recorded(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    secret = next(r for r in _read(kubeconfig).resources if r.key.kind == "Secret")
    assert set(secret.body["data"]) == {"password", "token"}
    assert not any(t in secret.canonical.decode() for t in _secret_texts())
    result = _cli(kubeconfig, "scan", "kube://", "--estate", "live", "--store", str(tmp_path / "s"),
                  "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    stored = b"".join(p.read_bytes() for p in (tmp_path / "s").rglob("*") if p.is_file())
    for text in _secret_texts():
        assert text.encode() not in stored and text not in result.output


def test_secrets_metadata_only_fetches_no_value(kube_api: KubeAPI, kubeconfig: Path) -> None:
    read = _read(kubeconfig, "kube://?secrets=metadata")
    secret = next(r for r in read.resources if r.key.kind == "Secret")
    assert "data" not in secret.body and secret.body["metadata"]["labels"] == {"app": "fred"}
    assert not any(t in secret.canonical.decode() for t in _secret_texts())
    asked = [r for r in kube_api.requests if "/secrets?" in r]
    assert asked and all("as=PartialObjectMetadataList" in r for r in asked)


# -- faults --------------------------------------------------------------------------------


def test_a_forbidden_kind_makes_the_observation_partial_and_is_named(
    kube_api: KubeAPI, kubeconfig: Path
) -> None:
    kube_api.cluster.forbidden.add("secrets")
    read = _read(kubeconfig)
    assert not read.complete and "Secret/default/s1" not in _keys(read)
    assert "ConfigMap/default/blee" in _keys(read)
    assert [e.diagnostics() for e in read.errors] == [
        "kube://#secrets: listing secrets in namespace default is forbidden (RBAC); not observed. "
        "Grant the reader list on it, or accept the partial observation."
    ]


def test_a_forbidden_kind_is_not_observed_never_removed(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    store = str(tmp_path / "s")
    assert _cli(kubeconfig, "scan", "kube://", "--estate", "e", "--store", store).exit_code == 0
    kube_api.cluster.forbidden.add("pods")
    result = _cli(kubeconfig, "scan", "kube://", "--estate", "e", "--store", store, "--json")
    assert result.exit_code == 2, result.stderr
    doc = json.loads(result.stdout)
    assert doc["observation"]["complete"] is False
    assert not [c for c in doc["changes"] if c.get("change") == "removed"]
    assert "forbidden (RBAC)" in result.stderr


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("malformed", "the answer is not JSON"),
        ("500", "HTTP 500: Internal error occurred: etcdserver: request timed out"),
        ("truncate", "the connection broke mid-answer"),
        ("stall", "timed out"),
    ],
)
def test_a_hostile_answer_is_one_line_and_the_rest_is_read(
    kube_api: KubeAPI, kubeconfig: Path, fault: str, reason: str
) -> None:
    kube_api.faults["configmaps"] = fault
    read = _read(kubeconfig, deadline_s=1.0)
    assert not read.complete
    assert [e.location for e in read.errors] == ["kube://#configmaps"]
    message = read.errors[0].diagnostics()
    assert reason in message and "\n" not in message
    assert "ConfigMap/default/blee" not in _keys(read) and "Secret/default/s1" in _keys(read)


def test_an_unreachable_cluster_is_unread_not_empty(kube_api: KubeAPI, kubeconfig: Path) -> None:
    kube_api.stop()
    with pytest.raises(SourceError, match="cannot read the API of http://127.0.0.1:"):
        _read(kubeconfig)
    result = _cli(kubeconfig, "scan", "kube://", "--estate", "e", "--store",
                  str(kubeconfig.parent / "s"))  # fmt: skip
    assert result.exit_code == 2 and "cannot read the API" in result.stderr


# -- kubeconfig ----------------------------------------------------------------------------


def test_bearer_token_contexts_and_a_merged_kubeconfig_list(tmp_path: Path) -> None:
    a = KubeAPI(token="tok-a").start()
    b = KubeAPI(Cluster.recorded(), token="tok-b").start()
    try:
        b.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "only-b", "namespace": "team"}}, "t")  # fmt: skip
        first = write_kubeconfig(a, tmp_path / "a", context="a")
        second = tmp_path / "b"
        config = b.kubeconfig(context="b", namespace="team")
        config["clusters"][0]["name"] = config["users"][0]["name"] = "b"
        config["contexts"][0]["context"].update(cluster="b", user="b")
        second.write_text(yaml.safe_dump(config))
        environ = {"KUBECONFIG": f"{first}{os.pathsep}{second}"}
        read_a = KubeSource(environ=environ).observe("kube://", KEEPER)
        read_b = KubeSource(environ=environ).observe("kube://b", KEEPER)
    finally:
        a.stop()
        b.stop()
    assert "ConfigMap/default/blee" in _keys(read_a)
    assert _keys(read_b) == ["ConfigMap/team/only-b"]  # b's own namespace, from its context


def test_an_exec_credential_plugin_supplies_the_token(kube_api: KubeAPI, tmp_path: Path) -> None:
    kube_api.token = "from-plugin"
    plugin = tmp_path / "plugin.py"
    plugin.write_text('import json; print(json.dumps({"apiVersion": '
                      '"client.authentication.k8s.io/v1", "kind": "ExecCredential", '
                      '"status": {"token": "from-plugin"}}))\n')  # fmt: skip
    config = kube_api.kubeconfig()
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                           "command": sys.executable, "args": [str(plugin)],
                                           "interactiveMode": "Never"}}  # fmt: skip
    (tmp_path / "config").write_text(json.dumps(config))
    assert "Pod/default/nginx" in _keys(_read(tmp_path / "config"))
    kube_api.token = "other"
    with pytest.raises(SourceError, match="HTTP 401"):
        _read(tmp_path / "config")


def test_a_missing_kubeconfig_is_a_clear_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot load kubeconfig .*nowhere"):
        _read(tmp_path / "nowhere")


# -- locations -----------------------------------------------------------------------------


def test_command_line_options_fill_what_the_location_leaves_open() -> None:
    assert with_options("kube://", context="prod", namespace="shop") == "kube://prod/shop"
    assert with_options("kube://stage", context="prod", all_namespaces=True) == "kube://stage/*"
    assert with_options("kube://", selector="app=web", secrets_metadata_only=True) == (
        "kube://?selector=app%3Dweb&secrets=metadata"
    )
    assert with_options("examples/shop", context="prod") == "examples/shop"
    with pytest.raises(SourceError, match="-A and -n cannot be used together"):
        with_options("kube://", namespace="a", all_namespaces=True)
    with pytest.raises(SourceError, match="unknown option 'namespace'"):
        KubeTarget.parse("kube://?namespace=x")


_names = st.from_regex(r"[a-z0-9]([a-z0-9.@:_-]{0,20}[a-z0-9])?", fullmatch=True)


@given(_names | st.just(""), _names | st.sampled_from(["", "*"]),
       st.sampled_from(["", "app=web", "tier in (a,b),!canary"]), st.booleans())  # fmt: skip
def test_a_location_reads_back_as_written(
    context: str, namespace: str, selector: str, metadata: bool
) -> None:
    target = KubeTarget(context, namespace, selector, metadata)
    assert KubeTarget.parse(str(target)) == target


# -- commands over live clusters -----------------------------------------------------------


def test_drift_parity_and_audit_take_live_clusters(tmp_path: Path) -> None:
    prod, staging = KubeAPI().start(), KubeAPI().start()
    try:
        apply_shop(prod)
        apply_shop(staging)
        config = prod.kubeconfig(context="prod", namespace="shop")
        other = staging.kubeconfig(context="staging", namespace="shop")
        other["clusters"][0]["name"] = other["contexts"][0]["context"]["cluster"] = "staging"
        config["clusters"] += other["clusters"]
        config["contexts"] += other["contexts"]
        (tmp_path / "config").write_text(json.dumps(config))
        kubeconfig = tmp_path / "config"
        checkout = staging.cluster.get(staging.cluster.kinds[("apps", "deployments")], "shop",
                                       "checkout")  # fmt: skip
        checkout["spec"]["template"]["spec"]["containers"][0]["env"] = [
            {"name": "LOG_LEVEL", "value": "trace"}
        ]
        staging.cluster.update(checkout, "kubectl-set")
        drift = _cli(kubeconfig, "drift", str(SHOP), "kube://prod", "--json")
        parity = _cli(kubeconfig, "parity", "kube://prod", "kube://staging", "--json")
        audit = _cli(kubeconfig, "audit", "kube://", "--context", "prod", "--json")
    finally:
        prod.stop()
        staging.stop()
    assert drift.exit_code == 0, drift.output  # the server's fields are not drift
    assert parity.exit_code == 1, parity.output
    unexpected = {c["component"]: c["unexpected"] for c in json.loads(parity.stdout)["components"]}
    assert "LOG_LEVEL" in json.dumps(unexpected["Deployment/checkout"])
    assert audit.exit_code in (0, 1), audit.output
    components = {c["id"] for c in json.loads(audit.stdout)["components"]}
    assert "k8s:StatefulSet/shop/postgres" in components


# -- TLS: client certificates and in-cluster service accounts ------------------------------


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki.make()


def test_client_certificates_over_tls(pki: Pki, tmp_path: Path) -> None:
    api = KubeAPI(pki=pki).start()
    try:
        config = write_kubeconfig(api, tmp_path / "config")
        assert "Pod/default/nginx" in _keys(_read(config))
        anonymous = api.kubeconfig()
        del anonymous["users"][0]["user"]["client-certificate-data"]
        del anonymous["users"][0]["user"]["client-key-data"]
        (tmp_path / "anonymous").write_text(json.dumps(anonymous))
        with pytest.raises(SourceError, match="HTTP 401"):
            _read(tmp_path / "anonymous")
        untrusted = api.kubeconfig()
        untrusted["clusters"][0]["cluster"]["certificate-authority-data"] = base64.b64encode(
            Pki.make().ca.cert
        ).decode()
        (tmp_path / "untrusted").write_text(json.dumps(untrusted))
        with pytest.raises(SourceError, match="cannot read the API of https://127.0.0.1:.*SSL"):
            _read(tmp_path / "untrusted")
    finally:
        api.stop()


def test_in_cluster_service_account_when_there_is_no_kubeconfig(pki: Pki, tmp_path: Path) -> None:
    api = KubeAPI(token="sa-token", pki=pki).start()
    account = tmp_path / "serviceaccount"
    account.mkdir()
    (account / "token").write_text("sa-token")
    (account / "ca.crt").write_bytes(pki.ca.cert)
    (account / "namespace").write_text("team\n")
    api.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "in-team", "namespace": "team"}}, "t")  # fmt: skip
    environ = {"KUBECONFIG": str(tmp_path / "none"), "KUBERNETES_SERVICE_HOST": "127.0.0.1",
               "KUBERNETES_SERVICE_PORT": str(api.port)}  # fmt: skip
    try:
        read = KubeSource(environ=environ, service_account=account).observe("kube://", KEEPER)
    finally:
        api.stop()
    assert _keys(read) == ["ConfigMap/team/in-team"]  # the pod's own namespace


def test_a_50k_object_list_is_read_whole_in_pages(kube_api: KubeAPI, kubeconfig: Path) -> None:
    for i in range(50_000):
        kube_api.cluster.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {
            "name": f"sa-{i:05}", "namespace": "bulk"}}, "load")  # fmt: skip
    read = _read(kubeconfig, "kube://test/bulk")
    assert read.complete and len(read.resources) == 50_000
    assert len({r.key for r in read.resources}) == 50_000
    pages = [r for r in kube_api.requests if "/namespaces/bulk/serviceaccounts?" in r]
    assert len(pages) == 100  # 500 a page


@pytest.mark.parametrize(
    "item",
    [
        {"metadata": {"name": "c", "namespace": "default"}, "data": {"A": "1"}},
        {"kind": "PartialObjectMetadata", "metadata": {"name": "c", "namespace": "default"},
         "apiVersion": "meta.k8s.io/v1", "data": {"A": "1"}},
        {"data": {"A": "1"}, "apiVersion": "v0", "metadata": {"name": "c", "namespace": "default"}},
    ],
)  # fmt: skip
def test_a_listed_item_reads_as_its_manifest_apiversion_and_kind_first(
    kube_api: KubeAPI, kubeconfig: Path, item: dict[str, Any]
) -> None:
    reader = open_reader("kube://", KEEPER, {"KUBECONFIG": str(kubeconfig)})
    try:
        kind = next(k for k in reader.kinds if k.resource == "configmaps")
        resource = reader.resource(dict(item), kind, [])
    finally:
        reader.close()
    assert resource is not None
    rest = [k for k in item if k not in ("apiVersion", "kind")]
    assert list(resource.body) == ["apiVersion", "kind", *rest]  # the order a diff lists
    assert (resource.body["apiVersion"], resource.body["kind"]) == ("v1", "ConfigMap")
