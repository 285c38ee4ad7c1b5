"""An operator resource of no family counting its replicas behind a Service whose type or ports
it gives runs pods its peers address (:func:`stateward.analysis.audit.custom.runs_members`): a
component holding nothing. The ``acme`` kind is made up: no family is registered for it."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, custom_resource

ACME = "proxy.acme.example.io/v1alpha1"


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {replicas: 1, serviceType: ClusterIP, serverVersion: '5.5.0'}",
        "spec: {replicas: 3, portBindings: [{name: server, containerPort: 3307, servicePort: 3307}]}",
    ],
)
def test_replicas_behind_a_service_are_a_component_holding_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "ComputeNode", spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == ("ComputeNode", Lifecycle.EPHEMERAL_SAFE)


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {replicas: 3}",  # a count with no Service: nothing says peers address it
        "spec: {serviceType: ClusterIP}",  # a Service with no members counted
        "spec: {replicas: true, serviceType: ClusterIP}",  # not a count
    ],
)
def test_a_count_or_a_service_alone_is_no_component(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "ComputeNode", spec)})
    assert report.components == ()


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {controlPlane: {deployment: {replicas: 2}}, kubernetes: {version: v1.30.0}}",
        "spec: {deployment: {replicas: 1}}",
    ],
)
def test_the_replicas_of_the_deployment_an_operator_makes_are_a_component_holding_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "ControlPlane", spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == ("ControlPlane", Lifecycle.EPHEMERAL_SAFE)


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {controlPlane: {deployment: {strategy: {type: Recreate}}}}",  # no count
        "spec: {controlPlane: {deployment: {replicas: true}}}",  # not a count
        "spec: {a: {b: {deployment: {replicas: 2}}}}",  # deeper than the spec's own parts
        "spec: {controlPlane: {rollout: {replicas: 2}}}",  # no controller named
    ],
)
def test_a_controller_without_a_count_near_the_spec_is_no_component(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "ControlPlane", spec)})
    assert report.components == ()


def test_a_port_its_own_server_listens_on_is_a_component_holding_nothing_ranked_below_data(
    audit_files: Auditor,
) -> None:
    """A spec giving the port its server listens on (osp-director's provision server: ``port``
    beside the URL of the image it serves) runs that server: a component, ranked, and below a
    resource whose claims keep data."""
    server = "spec: {port: 6190, baseImageUrl: 'http://192.0.2.1/images/guest.qcow2'}"
    disks = "spec: {vmCount: 1, rootDisk: {diskSize: 50, storageClass: nfs}}"
    report = audit_files(**{
        "server.yaml": custom_resource(ACME, "ProvisionServer", server),
        "vms.yaml": custom_resource(ACME, "VMSet", disks),
    })  # fmt: skip
    by_kind = {c.kind: c for c in report.components}
    assert by_kind["ProvisionServer"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_kind["VMSet"].gravity > by_kind["ProvisionServer"].gravity == 0


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {host: minio, port: 9000}",  # the port of the peer it names
        "spec: {port: '9000'}",  # not a number
        "spec: {port: 0}",  # no port
        "spec: {port: true}",  # not a number
    ],
)
def test_a_port_beside_a_host_or_no_port_is_no_component(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "Connection", spec)})
    assert report.components == ()
