"""The reference central service under hostile clients: a cap on concurrent connections
(one more is answered 503 with Retry-After at once) and a too-deep JSON body answered 400
instead of a dropped connection (issue 13, hardening)."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService


@pytest.fixture
def small_central(tmp_path: Path) -> Iterator[CentralServer]:
    service = CentralService(tmp_path / "state", forms_dir=tmp_path / "none")
    server = CentralServer(service, max_connections=4).start()
    try:
        yield server
    finally:
        server.stop()


def _address(server: CentralServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def _health(server: CentralServer) -> tuple[int, dict[str, str]]:
    host, port = _address(server)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", "/api/v1/health")
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def test_one_connection_over_the_cap_is_answered_503_at_once(small_central: CentralServer) -> None:
    idle = [socket.create_connection(_address(small_central), timeout=10) for _ in range(4)]
    try:
        time.sleep(0.3)  # the server has accepted them all
        started = time.monotonic()
        status, headers = _health(small_central)
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert time.monotonic() - started < 2
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while _health(small_central)[0] != 200:
        assert time.monotonic() < deadline, "the server never took connections again"
        time.sleep(0.1)


@pytest.mark.parametrize("path", ["/api/v1/devices/enroll", "/api/v1/submissions"])
def test_a_too_deep_json_body_is_answered_400(small_central: CentralServer, path: str) -> None:
    host, port = _address(small_central)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        body = b"[" * 50_000 + b"]" * 50_000
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 400
    assert answer["error"] == "bad_request"
    assert _health(small_central)[0] == 200
