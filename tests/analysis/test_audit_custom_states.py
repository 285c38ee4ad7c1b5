"""Custom resources whose spec says what their storage holds, whatever the operator: a stopped
resource runs no pod, a workspace keeps what its user writes, an evicting cache and a chain
node hold what is filled again (:mod:`stateward.analysis.audit.refilled`), and a list of
mounts sized beside their paths asks for volumes."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor


def _cr(kind: str, spec: str, name: str = "x", api: str = "apps.example.org/v1") -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: ns}}\nspec: {spec}\n"


def _one(audit_files: Auditor, kind: str, spec: str):  # type: ignore[no-untyped-def]
    (component,) = audit_files(**{"cr.yaml": _cr(kind, spec)}).components
    return component


def test_a_workspace_running_an_image_with_no_storage_loses_what_its_user_writes(
    audit_files: Auditor,
) -> None:
    running = _one(audit_files, "Workspace", "{image: uv, desiredStatus: Running}")
    assert (running.lifecycle, str(running.loss)) == (Lifecycle.PERSISTENT, "data")
    # given storage, the user's files are on its claim: kept by a replacement
    kept = _one(audit_files, "Workspace", "{image: uv, storage: {size: 1Gi, mountPath: /home/u}}")
    assert kept.lifecycle is Lifecycle.PERSISTENT and str(kept.loss) != "data"
    # a kind of no such role running an image is a service holding nothing of its own
    other = _one(audit_files, "Renderer", "{image: uv, desiredStatus: Running}")
    assert other.lifecycle is Lifecycle.EPHEMERAL_SAFE


@pytest.mark.parametrize("spec", [
    "{image: jupyter/minimal-notebook:latest, desiredStatus: Stopped}",
    "{image: jupyter/minimal-notebook:latest, stopped: true}",
])  # fmt: skip
def test_a_resource_told_to_stop_with_no_claim_keeps_nothing(
    audit_files: Auditor, spec: str
) -> None:
    """The image runs an application that keeps its users' files, but no pod runs it."""
    assert _one(audit_files, "Workspace", spec).lifecycle is Lifecycle.EPHEMERAL_SAFE
    running = spec.replace("Stopped", "Running").replace("stopped: true", "stopped: false")
    assert _one(audit_files, "Workspace", running).lifecycle is Lifecycle.PERSISTENT


def test_a_stopped_resource_keeps_the_claim_it_asks_for(audit_files: Auditor) -> None:
    spec = "{desiredStatus: Stopped, storage: {storageClassName: standard, size: 1Gi}}"
    assert _one(audit_files, "Workspace", spec).lifecycle is Lifecycle.PERSISTENT


def test_mounts_sized_beside_their_paths_ask_for_volumes(audit_files: Auditor) -> None:
    spec = "{targetSpec: {mounts: [{path: /ais1, size: 10Gi}, {path: /ais2, size: 10Gi}]}}"
    # a kind that says nothing itself (an ``ObjectStore`` is a store by its name: store_kinds)
    assert _one(audit_files, "StorageTarget", spec).lifecycle is Lifecycle.PERSISTENT
    # a size with no mount path, or a count beside one, sizes nothing known
    for quiet in ("{targetSpec: {mounts: [{label: d1, size: 10Gi}]}}",
                  "{targetSpec: {mounts: [{path: /ais1, size: 3}]}}"):  # fmt: skip
        assert not audit_files(**{"cr.yaml": _cr("StorageTarget", quiet)}).components


_KEYDB = '{{keydbPvcDataSize: 1Gi, keydbExtraConfig: "{config}"}}'


@pytest.mark.parametrize(("config", "lifecycle"), [
    ("maxmemory 900mb\\nmaxmemory-policy allkeys-lru\\n", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("maxmemory 1gb\\nmaxmemory-policy volatile-ttl\\n", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    # no limit: no policy ever runs; an append-only file keeps what is written
    ("maxmemory 0\\nmaxmemory-policy allkeys-lru\\n", Lifecycle.PERSISTENT),
    # any key may be evicted: the file keeps the cache warm; a volatile- policy keeps the rest
    ("appendonly yes\\nmaxmemory 1gb\\nmaxmemory-policy allkeys-lru\\n",
     Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("appendonly yes\\nmaxmemory 1gb\\nmaxmemory-policy volatile-lru\\n", Lifecycle.PERSISTENT),
    ("maxmemory 1gb\\nmaxmemory-policy noeviction\\n", Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_store_configured_inline_as_an_evicting_cache_holds_a_warm_up(
    audit_files: Auditor, config: str, lifecycle: Lifecycle
) -> None:
    spec = _KEYDB.format(config=config)
    assert _one(audit_files, "Keydb", spec).lifecycle is lifecycle


@pytest.mark.parametrize(("config", "lifecycle"), [
    ("{maxmemory: 50mb, maxmemory-policy: allkeys-lfu}", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("{maxmemory: '0', maxmemory-policy: allkeys-lfu}", Lifecycle.PERSISTENT),
    ("{appendonly: 'yes', maxmemory: 1gb, maxmemory-policy: allkeys-lru}",
     Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("{appendonly: 'yes', maxmemory: 1gb, maxmemory-policy: volatile-ttl}", Lifecycle.PERSISTENT),
    ("{maxmemory: 1gb, maxmemory-policy: noeviction}", Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_store_given_evicting_directives_as_a_map_holds_a_warm_up(
    audit_files: Auditor, config: str, lifecycle: Lifecycle
) -> None:
    """valkey-io's ValkeyCluster passes ``config``, a map of directives, to its nodes."""
    spec = f"{{shards: 3, replicas: 1, persistence: {{size: 1Gi}}, config: {config}}}"
    assert _one(audit_files, "ValkeyCluster", spec).lifecycle is lifecycle


_CHAIN = (
    "{{replicas: 2, {chain}, volumeClaimTemplate: {{resources: {{requests: {{storage: 100Gi}}}}}}}}"
)


@pytest.mark.parametrize(("kind", "chain", "lifecycle"), [
    ("CosmosFullNode", "chain: {chainID: cosmoshub-4, snapshotURL: 'https://s/x.tar'}",
     Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("ChiaNode", "chia: {testnet: true, caSecretName: ca}", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("BitcoinNode", "network: mainnet", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    # a validator keeps what it has signed, which no peer refills
    ("CosmosFullNode", "type: Validator, chain: {chainID: cosmoshub-4}", Lifecycle.PERSISTENT),
    ("ValidatorNode", "chain: {chainID: cosmoshub-4}", Lifecycle.PERSISTENT),
    # a node of no chain, or a chain's resource that is no node
    ("StorageNode", "network: internal", Lifecycle.PERSISTENT),
    ("ChiaDataStore", "chia: {testnet: true}", Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_chain_node_holds_a_copy_synced_again_from_its_peers(
    audit_files: Auditor, kind: str, chain: str, lifecycle: Lifecycle
) -> None:
    spec = _CHAIN.format(chain=chain)
    assert _one(audit_files, kind, spec).lifecycle is lifecycle


def test_a_size_in_snake_case_asks_for_a_volume(audit_files: Auditor) -> None:
    """An Ansible-based operator's fields (galaxy-operator's ``file_storage_size``)."""
    assert _one(audit_files, "Galaxy", "{file_storage_size: 375Gi}").lifecycle is (
        Lifecycle.PERSISTENT
    )
    # a snake-case size named for no storage (a cache's memory) asks for nothing
    assert not audit_files(**{"cr.yaml": _cr("Galaxy", "{cache_memory_size: 1Gi}")}).components


def test_a_console_sizing_a_volume_for_itself_holds_data(audit_files: Auditor) -> None:
    """A console holds nothing by its role, unless its spec sizes storage named for it."""
    sized = _one(audit_files, "IBPConsole", "{storage: {console: {class: '', size: 5Gi}}}")
    assert (sized.lifecycle, str(sized.loss)) == (Lifecycle.PERSISTENT, "none")
    # storage named for something else of its spec is no volume of the console's own
    other = _one(audit_files, "IBPConsole", "{storage: {peer: {size: 5Gi}}}")
    assert other.lifecycle is Lifecycle.EPHEMERAL_SAFE


@pytest.mark.parametrize(("kind", "spec", "lifecycle"), [
    ("NIMCache", "{source: {ngc: {modelPuller: 'nvcr.io/nim/x:1'}}, storage: {pvc: {size: 50Gi}}}",
     Lifecycle.EPHEMERAL_WITH_WARM_UP),
    # named for a cache with no source it is pulled from: what its users put there
    ("NIMCache", "{storage: {pvc: {size: 50Gi}}}", Lifecycle.PERSISTENT),
    # a source beside a kind named for no cache
    ("ModelStore", "{source: {ngc: {model: x}}, storage: {pvc: {size: 50Gi}}}",
     Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_cache_of_what_it_pulls_from_a_source_holds_a_warm_up(
    audit_files: Auditor, kind: str, spec: str, lifecycle: Lifecycle
) -> None:
    assert _one(audit_files, kind, spec).lifecycle is lifecycle


@pytest.mark.parametrize(("kind", "spec"), [
    ("ParseableTenant", "{k8sConfig: [{name: s, image: 'parseable/parseable:v0.4.0'}]}"),
    ("VerneMQ", "{size: 2, baseImage: vernemq/vernemq}"),
])  # fmt: skip
def test_a_log_store_or_broker_run_with_no_storage_holds_data(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    """Parseable by the image one of its listed nodes runs, VerneMQ by its kind."""
    assert _one(audit_files, kind, spec).lifecycle is Lifecycle.PERSISTENT


def test_an_application_image_in_a_list_is_no_data_system(audit_files: Auditor) -> None:
    spec = "{k8sConfig: [{name: s, image: 'example/renderer:1'}]}"
    assert not audit_files(**{"cr.yaml": _cr("RendererTenant", spec)}).components


@pytest.mark.parametrize("retention", ["1d", "2h", "12h30m"])
def test_a_retention_period_with_no_storage_keeps_that_much_on_an_emptydir(
    audit_files: Auditor, retention: str
) -> None:
    """rhobs' MonitoringStack shape: its pods keep a period of scraped metrics, with no claim
    asked on the emptyDir a monitoring operator gives them by default."""
    stack = _one(audit_files, "MonitoringStack", f"{{retention: {retention}, logLevel: debug}}")
    assert (stack.lifecycle, str(stack.loss)) == (Lifecycle.PERSISTENT, "data")


@pytest.mark.parametrize("spec", [
    "{retention: forever, logLevel: debug}",  # no duration
    "{config: {retention: 1d}, logLevel: debug}",  # an engine's setting, not the spec's own
])  # fmt: skip
def test_no_retention_period_of_its_own_keeps_the_resource_quiet(
    audit_files: Auditor, spec: str
) -> None:
    assert not audit_files(**{"cr.yaml": _cr("MonitoringStack", spec)}).components


_MODEL_SERVER = (
    "{{model: {{modelURL: org/model-8b}}, vllmConfig: {{env: [{{name: {name}, value: {value}}}]}},"
    " storageConfig: {{enabled: true, size: 10Gi, mountPath: /data}}}}"
)


@pytest.mark.parametrize(("name", "value", "lifecycle"), [
    ("HF_HOME", "/data", Lifecycle.EPHEMERAL_WITH_WARM_UP),  # the claim is the Hub's cache
    ("HF_HUB_CACHE", "/", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("HF_HOME", "/data/hf", Lifecycle.PERSISTENT),  # the claim holds more than the cache
    ("LOG_LEVEL", "/data", Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_claim_holding_the_hugging_face_cache_holds_a_warm_up(
    audit_files: Auditor, name: str, value: str, lifecycle: Lifecycle
) -> None:
    spec = _MODEL_SERVER.format(name=name, value=value)
    assert _one(audit_files, "ModelRuntime", spec).lifecycle is lifecycle


@pytest.mark.parametrize(("spec", "lifecycle"), [
    # a model server beside the agent: its models are pulled again
    ("{agentType: aider, ollamaConfig: {image: 'ollama/ollama:latest'}}", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    # an application keeping its users' files beside it: held, wherever the operator puts it
    ("{ollamaConfig: {image: 'ollama/ollama:latest'}, app: {image: 'nextcloud:29'}}", Lifecycle.PERSISTENT),
    ("{app: {image: 'nextcloud:29'}}", Lifecycle.PERSISTENT),
])  # fmt: skip
def test_a_resource_running_only_an_application_that_fetches_its_state_again_is_a_warm_up(
    audit_files: Auditor, spec: str, lifecycle: Lifecycle
) -> None:
    component = _one(audit_files, "AgentTask", spec)
    assert component.lifecycle is lifecycle, component.explanation
