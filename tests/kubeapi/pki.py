"""A throw-away PKI for the test API server: a CA, a serving certificate for 127.0.0.1 and a
client certificate, as kubeadm makes them (RSA keys, SAN IP, clientAuth/serverAuth usages)."""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pair:
    cert: bytes
    key: bytes


@dataclass(frozen=True)
class Pki:
    ca: Pair
    server: Pair
    client: Pair

    @classmethod
    def make(cls) -> Pki:
        ca_key = _key()
        ca_name = _name("kubernetes-ca")
        ca = (
            _builder(ca_name, ca_name, ca_key)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        server = _leaf(ca, ca_key, "kube-apiserver", ExtendedKeyUsageOID.SERVER_AUTH, True)
        client = _leaf(ca, ca_key, "stateward", ExtendedKeyUsageOID.CLIENT_AUTH, False)
        return cls(Pair(_pem(ca), _key_pem(ca_key)), server, client)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _builder(
    subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1)))  # fmt: skip


def _leaf(ca: x509.Certificate, ca_key: rsa.RSAPrivateKey, common: str, usage: x509.ObjectIdentifier,
          serving: bool) -> Pair:  # fmt: skip
    key = _key()
    builder = _builder(_name(common), ca.subject, key).add_extension(
        x509.ExtendedKeyUsage([usage]), critical=False
    )
    if serving:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return Pair(_pem(builder.sign(ca_key, hashes.SHA256())), _key_pem(key))


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())  # fmt: skip
