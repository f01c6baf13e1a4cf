"""HTTP transport rules for talking to central (issue 4, central-api.md "Base URL").

- ``https://`` is always verified (system CAs or a given CA bundle), optionally with
  public-key pinning (SHA-256 of the server certificate's SubjectPublicKeyInfo);
- plain ``http://`` only to a loopback address; any other scheme or host is refused;
- one ``requests.Session`` with a pool of 8 connections (the worker sends 4 at once),
  no automatic retries, no redirects followed, no proxies or netrc from the environment.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
POOL_SIZE = 8


class InsecureTransportError(ValueError):
    """A central URL the client refuses to talk to (plain http off loopback, odd scheme)."""


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """The normalised base URL (no trailing slash); raises :class:`InsecureTransportError`."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureTransportError(
            "central's URL must start with https:// (or http:// to this computer)"
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise InsecureTransportError(
            "plain http:// is allowed only to this computer (loopback); use https://"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InsecureTransportError("central's URL takes no user, query or fragment")
    return url.rstrip("/")


def spki_sha256(cert_der: bytes) -> bytes:
    cert = x509.load_der_x509_certificate(cert_der)
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()


def parse_pins(pins: str | Iterable[str] | None) -> frozenset[bytes]:
    """Pins as hex (64 digits) or base64 (as HPKP wrote them) of SHA-256(SPKI)."""
    if pins is None:
        return frozenset()
    items = [pins] if isinstance(pins, str) else list(pins)
    parsed: set[bytes] = set()
    for item in items:
        text = item.strip().removeprefix("sha256/")
        try:
            raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise InsecureTransportError(
                "a pin is the SHA-256 of a public key: 64 hex digits or base64"
            )
        parsed.add(raw)
    return frozenset(parsed)


class _PinnedConnection(HTTPSConnection):
    pins: frozenset[bytes] = frozenset()

    def connect(self) -> None:
        super().connect()
        sock = self.sock
        der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
        if not der or spki_sha256(der) not in self.pins:
            self.close()
            raise ssl.SSLError("central's certificate does not match the pinned public key")


class _Adapter(HTTPAdapter):
    def __init__(self, pins: frozenset[bytes]) -> None:
        self._pins = pins
        super().__init__(
            pool_connections=2, pool_maxsize=POOL_SIZE, max_retries=0, pool_block=False
        )

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: object
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        if self._pins:
            conn_cls = type("PinnedConnection", (_PinnedConnection,), {"pins": self._pins})
            pool_cls = type("PinnedPool", (HTTPSConnectionPool,), {"ConnectionCls": conn_cls})
            self.poolmanager.pool_classes_by_scheme = {
                "http": HTTPConnectionPool,
                "https": pool_cls,
            }


def make_session(
    ca_bundle: str | None = None, pins: frozenset[bytes] = frozenset()
) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy, netrc or CA bundle from the environment
    session.verify = ca_bundle if ca_bundle else True
    configure_session(session, pins)
    return session


def configure_session(session: requests.Session, pins: frozenset[bytes] = frozenset()) -> None:
    adapter = _Adapter(pins)
    session.mount("https://", adapter)
    session.mount("http://", _Adapter(frozenset()))
