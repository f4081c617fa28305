"""TLS for the center's LAN: a certificate the hub makes for itself, pinned by the stations.

No certificate authority is at hand in a commune center. The hub makes a self-signed
certificate for the addresses stations use, at `hub init --tls`; the join code carries it,
and each station trusts exactly that certificate (nothing else), so neither its NATS
password nor its traffic crosses the LAN in clear.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALID_DAYS = 3650


def make_certificate(hosts: list[str]) -> tuple[str, str]:
    """(certificate PEM, private key PEM) for these host names and addresses."""
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys([*hosts, "127.0.0.1", "localhost"]):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "counter-app hub")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def client_context(cert_pem: str) -> ssl.SSLContext:
    """Trust the hub's own certificate and nothing else."""
    context = ssl.create_default_context(cadata=cert_pem)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
