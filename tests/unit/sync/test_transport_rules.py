"""Which central URLs the client accepts, and pins."""

from __future__ import annotations

import pytest

from pser_desk.sync.client import CentralClient
from pser_desk.sync.transport import InsecureTransportError, check_base_url, parse_pins


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8787/api/v1", "http://localhost/api/v1/", "http://[::1]:9/api/v1", "http://127.5.0.1/x",
     "https://central.pser.example/api/v1"],
)  # fmt: skip
def test_accepted_urls(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://central.pser.example/api/v1", "http://10.0.0.5/api/v1", "http://192.168.1.2:8787/api/v1",
     "ftp://127.0.0.1/x", "127.0.0.1:8787", "https://user:pw@central.example/api/v1", "https://c.example/a?x=1"],
)  # fmt: skip
def test_refused_urls(url: str) -> None:
    with pytest.raises(InsecureTransportError):
        check_base_url(url)
    with pytest.raises(InsecureTransportError):
        CentralClient(url)


def test_pins_in_hex_or_base64() -> None:
    raw = bytes(range(32))
    import base64

    assert parse_pins([raw.hex(), "sha256/" + base64.b64encode(raw).decode()]) == frozenset({raw})
    with pytest.raises(InsecureTransportError):
        parse_pins("abcd")
