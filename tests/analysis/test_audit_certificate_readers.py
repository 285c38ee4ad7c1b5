"""A Compose service mounting the folder an ACME client of its project keeps its certificates in
depends on that client; a folder the client does not keep them in links nothing."""

from __future__ import annotations

import pytest

from .conftest import Auditor
from .test_audit_compose_edges import _depends

PROJECT = """
services:
  certbot:
    image: certbot/certbot:v1.4.0
    volumes: ["{issuer_mount}"]
    entrypoint: "certbot certonly --non-interactive --standalone -d example.org"
  app:
    image: example/mdm:1
    volumes: ["{reader_mount}"]
"""


@pytest.mark.parametrize(("issuer_mount", "reader_mount", "linked"), [
    ("./volumes/letsencrypt:/etc/letsencrypt", "./volumes/letsencrypt:/etc/letsencrypt", {"certbot"}),
    ("./volumes/letsencrypt:/etc/letsencrypt", "./volumes/letsencrypt/:/certs:ro", {"certbot"}),
    ("./volumes/letsencrypt:/etc/letsencrypt", "./volumes/other:/etc/letsencrypt", set()),
    ("./volumes/logs:/var/log/letsencrypt-run", "./volumes/logs:/logs", set()),  # not its certificates
])  # fmt: skip
def test_a_service_reading_an_acme_clients_certificates_depends_on_it(
    audit_files: Auditor, issuer_mount: str, reader_mount: str, linked: set[str]
) -> None:
    text = PROJECT.format(issuer_mount=issuer_mount, reader_mount=reader_mount)
    assert _depends(audit_files(**{"compose.yaml": text}))["app"] == linked
