"""The reference central service on the wire: ``http.server`` with keep-alive and faults.

``ThreadingHTTPServer`` speaking HTTP/1.1 (so a client's ``requests.Session`` reuses its
connections), one thread per connection. Faults (:mod:`pser_desk.central.faults`) apply
to ``POST /submissions`` only; the other endpoints always answer normally, so that
enrolment, health and form fetches stay usable during a fault run.
"""

from __future__ import annotations

import logging
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from pser_desk.central.faults import Fault, FaultInjector, FaultSpec
from pser_desk.central.protocol import Request, Response, error
from pser_desk.central.service import BASE_PATH, MAX_BODY, CentralService

log = logging.getLogger(__name__)

DISCARD_LIMIT = 16 * MAX_BODY  # an oversized body up to this is read and answered 413
GARBAGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
    b"<body><h1>Gateway</h1><p>The upstream server is being maintained.</p></body></html>"
)
_STATUS_FAULTS = {
    Fault.P503: (503, "unavailable"),
    Fault.P500: (500, "internal"),
    Fault.P429: (429, "rate_limited"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pser-central/1"
    timeout = 120  # an idle keep-alive connection is closed after this
    server: CentralHTTPServer

    def setup(self) -> None:
        super().setup()
        # headers and body leave in separate writes: without this, Nagle + delayed ACK = 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # http.server's naming
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("central: " + format, *args)

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        request = Request(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        fault = self.server.fault_for(request)
        if fault is Fault.DROP:
            self._drop()
            return
        if fault in _STATUS_FAULTS:
            self._send(self.server.status_fault(fault))
            return
        if fault is Fault.SLOW and self.server.stopping.wait(self.server.faults.spec.slow_s):
            self._drop()
            return
        response = self.server.service.handle(request)
        if fault is Fault.DROP_AFTER_COMMIT:
            self._drop()
        elif fault is Fault.GARBAGE:
            self._send(Response(200, GARBAGE_PAGE, {"Content-Type": "text/html; charset=utf-8"}))
        else:
            self._send(response)

    def _read_body(self) -> bytes | None:
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(error(400, "bad_request"))
            return None
        if length > MAX_BODY:
            self._refuse_large(length)
            return None
        return self.rfile.read(length)

    def _refuse_large(self, length: int) -> None:
        """413; the body is read and thrown away so the client sees the answer, not a reset."""
        self.close_connection = True
        if length <= DISCARD_LIMIT:
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        self._send(error(413, "too_large"), close=True)

    def _send(self, response: Response, close: bool = False) -> None:
        self.send_response(response.status)
        headers = {"Content-Type": "application/json", **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class CentralHTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True

    def __init__(
        self, address: tuple[str, int], service: CentralService, faults: FaultSpec
    ) -> None:
        super().__init__(address, _Handler)
        self.service = service
        self.faults = FaultInjector(faults)
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is normal (timeouts, killed PCs): no traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("central: client went away (%s)", exc.__class__.__name__)
            return
        log.error("central: unexpected error while answering a request", exc_info=exc)

    def fault_for(self, request: Request) -> Fault:
        if request.method == "POST" and urlsplit(request.path).path == BASE_PATH + "/submissions":
            return self.faults.draw()
        return Fault.NONE

    def status_fault(self, fault: Fault) -> Response:
        status, code = _STATUS_FAULTS[fault]
        response = error(status, code)
        if fault is Fault.P429:
            response.headers["Retry-After"] = str(self.faults.spec.retry_after)
        return response

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler blocked on an idle keep-alive connection."""
        self.stopping.set()
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class CentralServer:
    """The service listening on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self,
        service: CentralService,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultSpec | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.service = service
        self.httpd = CentralHTTPServer((host, port), service, faults or FaultSpec({}))
        self.scheme = "http"
        if tls is not None:  # the handshake happens on accept; a refused client is just dropped
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread: threading.Thread | None = None
        self._stopped = False

    def set_faults(self, spec: FaultSpec) -> None:
        """Change the faults of a running server (tests)."""
        self.httpd.faults = FaultInjector(spec)

    @property
    def url(self) -> str:
        host, port = self.httpd.socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"{self.scheme}://{shown}:{port}{BASE_PATH}"

    @property
    def fault_counts(self) -> dict[str, int]:
        return {fault.value: n for fault, n in self.httpd.faults.counts.items() if n}

    def start(self) -> CentralServer:
        """Serve in a background thread (stop with :meth:`stop`)."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="central-server", kwargs={"poll_interval": 0.1}
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the service (a second call does nothing)."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.close_connections()
        self.httpd.server_close()
        self.service.close()

    def __enter__(self) -> CentralServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
