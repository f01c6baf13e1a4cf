"""TLS verification, pinning, redirects and plain http off loopback, against real servers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pser_desk import paths
from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from pser_desk.desk.settings import DeskSettings, save_settings
from pser_desk.security.device import DeviceKey
from pser_desk.sync.client import CentralClient, CentralUnavailable
from pser_desk.sync.outcomes import OutcomeKind
from pser_desk.sync.transport import InsecureTransportError
from tests.plugins.central import Enrolled, build_submission


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject: str, issuer: str, key: Any, signer: Any, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
        builder = builder.add_extension(san, critical=False)
    return builder.sign(signer, hashes.SHA256())


@dataclass
class TlsCentral:
    url: str
    ca_file: str
    spki_sha256: str
    encryption_key: bytes
    service: CentralService


@pytest.fixture
def tls_central(tmp_path: Path) -> Iterator[TlsCentral]:
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _cert("PSER test CA", "PSER test CA", ca_key, ca_key, ca=True)
    leaf = _cert("127.0.0.1", "PSER test CA", leaf_key, ca_key, ca=False)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.key").write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    service = CentralService(tmp_path / "state", forms_dir=tmp_path / "none")
    server = CentralServer(service, tls=context).start()
    spki = leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        yield TlsCentral(
            server.url,
            str(tmp_path / "ca.pem"),
            hashlib.sha256(spki).hexdigest(),
            service.keys.encryption_public_raw,
            service,
        )
    finally:
        server.stop()


def test_a_certificate_the_client_cannot_verify_is_refused(tls_central: TlsCentral) -> None:
    assert tls_central.url.startswith("https://127.0.0.1:")
    with CentralClient(
        tls_central.url, device_id="dev_x", device_key=DeviceKey.generate()
    ) as client:
        with pytest.raises(CentralUnavailable, match="certificate"):
            client.health()
        outcome = client.submit(b"{}", "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10")
    assert outcome.kind is OutcomeKind.TRANSIENT
    assert "TLS" in outcome.reason


def test_the_ca_bundle_makes_it_trusted(tls_central: TlsCentral) -> None:
    with CentralClient(tls_central.url, ca_bundle=tls_central.ca_file) as client:
        assert client.health().status == "ok"


def test_pinning_accepts_the_right_key_and_refuses_another(tls_central: TlsCentral) -> None:
    with CentralClient(
        tls_central.url, ca_bundle=tls_central.ca_file, pinned_spki_sha256=tls_central.spki_sha256
    ) as ok:
        assert ok.health().status == "ok"
    wrong = hashlib.sha256(b"another key").hexdigest()
    with CentralClient(
        tls_central.url,
        ca_bundle=tls_central.ca_file,
        pinned_spki_sha256=wrong,
        device_id="dev_x",
        device_key=DeviceKey.generate(),
    ) as pinned:
        with pytest.raises(CentralUnavailable):
            pinned.health()
        assert (
            pinned.submit(b"{}", "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10").kind
            is OutcomeKind.TRANSIENT
        )


def test_a_session_given_with_verification_off_is_still_verified(tls_central: TlsCentral) -> None:
    import requests

    session = requests.Session()
    session.verify = False
    with (
        CentralClient(tls_central.url, session=session) as client,
        pytest.raises(CentralUnavailable),
    ):
        client.health()


def test_plain_http_to_another_host_is_refused_before_any_request() -> None:
    with pytest.raises(InsecureTransportError, match="loopback"):
        CentralClient("http://central.pser.example/api/v1")


class _Redirector(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    target = ""
    seen: list[str] = []

    def _redirect(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).seen.append(self.path)
        self.send_response(307)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _redirect

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_redirect_to_another_host_is_not_followed(enrolled: Enrolled) -> None:
    # central (the real one) is the redirect's target: if followed, it would store the record
    target = enrolled.central.url.rsplit("/api/v1", 1)[0].replace("127.0.0.1", "localhost")
    handler = type("Redirect", (_Redirector,), {"target": target, "seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/api/v1"
        client = CentralClient(url, device_id=enrolled.device_id, device_key=enrolled.key)
        with client:
            body, sid = build_submission(enrolled.central.encryption_key)
            outcome = client.submit(body, sid)
            with pytest.raises(CentralUnavailable):
                client.health()
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()
    assert (outcome.kind, outcome.status) == (OutcomeKind.TRANSIENT, 307)
    assert "redirect" in outcome.reason
    assert handler.seen == ["/api/v1/submissions", "/api/v1/health"]
    assert enrolled.central.households() == 0


@pytest.mark.allow_log_warnings  # the refused pin is logged by the sync command
def test_sync_takes_centrals_tls_options_from_this_pcs_settings(
    tls_central: TlsCentral, run_cli: Any, data_dir: Path
) -> None:
    password = "kitchen-window-42"
    added = run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                    stdin=f"{password}\n{password}\n")  # fmt: skip
    assert added.code == 0, added.err
    form = json.loads((paths.forms_dir() / "pser-household-2024.1.json").read_text("utf-8"))
    tls_central.service.publish_form("pser-household", "2024.1", form)
    token = tls_central.service.new_token("LHR-0042")
    enrolled = run_cli("enroll", "--central", tls_central.url, "--centre", "LHR-0042",
                       "--token", token, "--ca-bundle", tls_central.ca_file)  # fmt: skip
    assert enrolled.code == 0, enrolled.err
    example = run_cli("record", "example", "--seed", "4")
    added = run_cli("record", "add", "-", "--operator", "mgr1", stdin=f"{password}\n{example.out}")
    assert added.code == 0, added.err
    settings = DeskSettings(ca_bundle=tls_central.ca_file, pins="00" * 32)  # a wrong pin
    save_settings(data_dir, settings)
    refused = run_cli("sync", "--once")
    assert refused.code == 1
    assert json.loads(refused.out)["unsent"] == 1
    save_settings(data_dir, dataclasses.replace(settings, pins=tls_central.spki_sha256))
    sent = run_cli("sync", "--until-empty", "--timeout", "20")  # after its backoff
    assert sent.code == 0, sent.err
    assert json.loads(sent.out)["acknowledged"] == 1, sent.out


@pytest.mark.allow_log_warnings  # the sync command logs the first refusal
def test_tls_options_given_at_enrolment_are_what_every_later_request_uses(
    tls_central: TlsCentral, run_cli: Any, data_dir: Path
) -> None:
    from pser_desk.desk.services import open_desk
    from pser_desk.desk.settings import SettingsStore

    def central_tls(folder: Path) -> Any:
        return SettingsStore(folder).central_tls()

    password = "kitchen-window-42"
    assert run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                   stdin=f"{password}\n{password}\n").code == 0  # fmt: skip
    form = json.loads((paths.forms_dir() / "pser-household-2024.1.json").read_text("utf-8"))
    tls_central.service.publish_form("pser-household", "2024.1", form)
    wrong_pin = run_cli("enroll", "--central", tls_central.url, "--centre", "LHR-0042",
                        "--token", tls_central.service.new_token("LHR-0042"),
                        "--ca-bundle", tls_central.ca_file, "--pin", "00" * 32)  # fmt: skip
    assert wrong_pin.code == 1
    assert central_tls(data_dir).pins == ()  # a refused enrolment keeps nothing
    enrolled = run_cli("enroll", "--central", tls_central.url, "--centre", "LHR-0042",
                       "--token", tls_central.service.new_token("LHR-0042"),
                       "--ca-bundle", tls_central.ca_file, "--pin", tls_central.spki_sha256)  # fmt: skip
    assert enrolled.code == 0, enrolled.err
    tls = central_tls(data_dir)
    assert (tls.ca_bundle, tls.pins) == (str(Path(tls_central.ca_file).resolve()),
                                         (tls_central.spki_sha256,))  # fmt: skip

    def add(seed: int) -> None:
        example = run_cli("record", "example", "--seed", str(seed))
        added = run_cli("record", "add", "-", "--operator", "mgr1",
                        stdin=f"{password}\n{example.out}")  # fmt: skip
        assert added.code == 0, added.err

    add(4)
    sent = run_cli("sync", "--once")  # the command line: the CA bundle and pin from enrolment
    assert sent.code == 0, sent.err
    assert json.loads(sent.out)["acknowledged"] == 1, sent.out
    add(5)
    desk = open_desk(None, data_dir)  # as the window opens it
    try:
        desk.sending.send_now()  # the window's sender: the same options
        assert desk.records.counts().unsent == 0
    finally:
        desk.close()
