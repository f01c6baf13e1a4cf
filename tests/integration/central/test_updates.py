"""Section 11 against the real server: a TUF repository folder served under ``/updates``."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from pser_desk.central.faults import parse_faults
from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from tests.plugins.central import CentralHandle

ARCHIVE = "pser-desk-0.2.0.tar.gz"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository as TUF lays it out, a secret beside it, and links that try to reach it."""
    root = tmp_path / "repo"
    (root / "metadata").mkdir(parents=True)
    (root / "targets" / "pser-desk" / "linux").mkdir(parents=True)
    for name in ("root.json", "1.root.json", "timestamp.json", "snapshot.json", "targets.json"):
        (root / "metadata" / name).write_text(json.dumps({"signed": {"_type": name}}), "utf-8")
    (root / "targets" / ARCHIVE).write_bytes(os.urandom(300_001))
    (root / "targets" / "pser-desk" / "linux" / "abc123.patch").write_bytes(b"patch bytes")
    (root / "targets" / ".hidden").write_bytes(b"hidden")
    secret = tmp_path / "secret.key"
    secret.write_bytes(b"CENTRAL PRIVATE")
    (root / "targets" / "escape").symlink_to(secret)
    (root / "metadata" / "escape.json").symlink_to(secret)
    (root / "targets" / "inside").symlink_to(root / "targets" / ARCHIVE)
    return root


@pytest.fixture
def updates_server(tmp_path: Path, repo: Path) -> Iterator[CentralHandle]:
    service = CentralService(
        tmp_path / "central-state", forms_dir=tmp_path / "no-forms", updates_dir=repo
    )
    server = CentralServer(service).start()
    try:
        yield CentralHandle(
            server.url, service.state_dir, service.keys.encryption_public_raw,
            service.keys.signing_public_raw, service, server,
        )  # fmt: skip
    finally:
        server.stop()


def _raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET *path* exactly as written (no client-side clean-up of ``..`` or ``%2F``)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + path, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def test_metadata_and_targets_are_served_unsigned_to_anyone(
    updates_server: CentralHandle, repo: Path
) -> None:
    meta = requests.get(updates_server.url + "/updates/metadata/timestamp.json", timeout=10)
    assert meta.status_code == 200
    assert meta.content == (repo / "metadata" / "timestamp.json").read_bytes()
    assert meta.headers["Content-Type"] == "application/json"
    assert meta.headers["Cache-Control"] == "no-store"
    assert requests.get(updates_server.url + "/updates/metadata/1.root.json", timeout=10).ok
    target = requests.get(updates_server.url + f"/updates/targets/{ARCHIVE}", timeout=10)
    expected = (repo / "targets" / ARCHIVE).read_bytes()
    assert target.status_code == 200
    assert int(target.headers["Content-Length"]) == len(expected) == 300_001
    assert hashlib.sha256(target.content).digest() == hashlib.sha256(expected).digest()
    assert (target.headers["Accept-Ranges"], target.headers["Content-Type"]) == (
        "bytes", "application/octet-stream",
    )  # fmt: skip
    nested = requests.get(
        updates_server.url + "/updates/targets/pser-desk/linux/abc123.patch", timeout=10
    )
    assert (nested.status_code, nested.content) == (200, b"patch bytes")


@pytest.mark.parametrize(
    "path",
    [
        "/updates/metadata/missing.json",
        "/updates/metadata/../../central_ed25519.key",
        "/updates/metadata/%2e%2e%2fcentral_ed25519.key",
        "/updates/metadata/..%2Fcentral_ed25519.key",
        "/updates/metadata/escape.json",
        "/updates/metadata/sub/root.json",
        "/updates/metadata/",
        "/updates/targets/../metadata/root.json",
        "/updates/targets/pser-desk/../../metadata/root.json",
        "/updates/targets/%2e%2e/metadata/root.json",
        "/updates/targets/pser-desk%2Flinux%2Fabc123.patch",
        "/updates/targets//etc/passwd",
        "/updates/targets/escape",
        "/updates/targets/.hidden",
        "/updates/targets/pser-desk",
        "/updates/targets/pser-desk/linux/abc123.patch%00.txt",
        "/updates/targets/a/b/c/d/e/f/g/h/i",
        "/updates/root.json",
    ],
)
def test_anything_but_a_plain_file_of_the_repository_is_404(
    updates_server: CentralHandle, path: str
) -> None:
    status, body = _raw_get(updates_server.url, path)
    assert status == 404
    assert b"CENTRAL PRIVATE" not in body
    assert json.loads(body) == {"error": "not_found"}


def test_a_link_that_stays_inside_the_folder_is_served(updates_server: CentralHandle) -> None:
    status, body = _raw_get(updates_server.url, "/updates/targets/inside")
    assert (status, len(body)) == (200, 300_001)


def test_without_a_repository_updates_are_404_and_other_methods_405(
    central_server: CentralHandle, updates_server: CentralHandle
) -> None:
    missing = requests.get(central_server.url + "/updates/metadata/root.json", timeout=10)
    assert (missing.status_code, missing.json()) == (404, {"error": "not_found"})
    post = requests.post(updates_server.url + "/updates/metadata/root.json", timeout=10)
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD")


def _range(url: str, value: str, **headers: str) -> requests.Response:
    return requests.get(
        url + f"/updates/targets/{ARCHIVE}", headers={"Range": value, **headers}, timeout=10
    )


def test_byte_ranges_resume_a_download(updates_server: CentralHandle, repo: Path) -> None:
    whole = (repo / "targets" / ARCHIVE).read_bytes()
    size = len(whole)
    first = _range(updates_server.url, "bytes=0-99")
    assert (first.status_code, first.content) == (206, whole[:100])
    assert first.headers["Content-Range"] == f"bytes 0-99/{size}"
    assert first.headers["Content-Length"] == "100"
    rest = _range(updates_server.url, "bytes=100-", **{"If-Range": first.headers["ETag"]})
    assert (rest.status_code, first.content + rest.content) == (206, whole)
    assert _range(updates_server.url, "bytes=-10").content == whole[-10:]
    assert _range(updates_server.url, f"bytes=5-{size + 50}").content == whole[5:]
    beyond = _range(updates_server.url, f"bytes={size}-")
    assert (beyond.status_code, beyond.headers["Content-Range"]) == (416, f"bytes */{size}")
    for ignored in ("bytes=0-1,5-9", "items=0-5", "bytes=9-2"):
        reply = _range(updates_server.url, ignored)
        assert (reply.status_code, len(reply.content)) == (200, size)
    changed = _range(updates_server.url, "bytes=100-", **{"If-Range": '"an-old-etag"'})
    assert (changed.status_code, len(changed.content)) == (200, size)  # file changed: all again


def test_head_gives_the_length_without_the_body(updates_server: CentralHandle) -> None:
    reply = requests.head(updates_server.url + f"/updates/targets/{ARCHIVE}", timeout=10)
    assert (reply.status_code, reply.headers["Content-Length"], reply.content) == (
        200,
        "300001",
        b"",
    )
    again = requests.get(updates_server.url + "/health", timeout=10)  # the connection still works
    assert again.ok


def test_a_truncated_download_resumes_from_where_it_stopped(
    updates_server: CentralHandle, repo: Path
) -> None:
    assert updates_server.server is not None
    updates_server.server.set_faults(parse_faults("truncate=1,on=updates"))
    whole = (repo / "targets" / ARCHIVE).read_bytes()
    received = bytearray()

    def download() -> None:
        url = updates_server.url + f"/updates/targets/{ARCHIVE}"
        with requests.get(url, stream=True, timeout=10) as cut:
            assert cut.headers["Content-Length"] == str(len(whole))
            for chunk in cut.iter_content(8192):
                received.extend(chunk)

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        download()
    assert 0 < len(received) < len(whole)
    updates_server.server.set_faults(None)
    rest = _range(updates_server.url, f"bytes={len(received)}-")
    assert bytes(received) + rest.content == whole
