"""The reference central service on the wire: ``http.server`` with keep-alive and faults.

``ThreadingHTTPServer`` speaking HTTP/1.1 (so a client's ``requests.Session`` reuses its
connections), one thread per connection. Faults (:mod:`pser_desk.central.faults`) apply
to the endpoints each spec names (``POST /submissions`` by default); the others answer
normally, so that enrolment, health and form fetches stay usable during a fault run.
Files (update targets) are streamed from disk in 64 KiB pieces.
"""

from __future__ import annotations

import logging
import socket
import ssl
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pser_desk.central.faults import Fault, FaultInjector, FaultSpec
from pser_desk.central.protocol import Request, Response, error
from pser_desk.central.service import BASE_PATH, MAX_BODY, CentralService
from pser_desk.domain.safe_json import nesting_depth

log = logging.getLogger(__name__)

DISCARD_LIMIT = 16 * MAX_BODY  # an oversized body up to this is read and answered 413
# At most this many connections at once (one thread each); one more is answered 503 with
# Retry-After and closed at once, so a flood of clients cannot exhaust threads or memory.
MAX_CONNECTIONS = 64
BUSY_RETRY_AFTER_S = 5
# A JSON body nested deeper than this is answered 400 before it is parsed (Python's parser
# would recurse until it fails, and the connection would drop without an answer).
MAX_JSON_DEPTH = 64
GARBAGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
    b"<body><h1>Gateway</h1><p>The upstream server is being maintained.</p></body></html>"
)
_STATUS_FAULTS = {
    Fault.P503: (503, "unavailable"),
    Fault.P500: (500, "internal"),
    Fault.P429: (429, "rate_limited"),
}
CHUNK = 64 * 1024
NO_FAULT = FaultSpec({})


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

    def do_HEAD(self) -> None:
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
        if body and nesting_depth(body.decode("utf-8", "replace")) > MAX_JSON_DEPTH:
            self._send(error(400, "bad_request", detail="JSON nested too deeply"))
            return
        request = Request(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        fault, spec = self.server.fault_for(request)
        if fault is Fault.DROP:
            self._drop()
            return
        if fault in _STATUS_FAULTS:
            self._send(self.server.status_fault(fault, spec))
            return
        if fault is Fault.SLOW and self.server.stopping.wait(spec.slow_s):
            self._drop()
            return
        try:
            response = self.server.service.handle(request)
        except RecursionError:  # a deeply nested record inside the envelope
            response = error(400, "bad_request", detail="JSON nested too deeply")
        if fault is Fault.DROP_AFTER_COMMIT:
            self._drop()
        elif fault is Fault.GARBAGE:
            self._send(Response(200, GARBAGE_PAGE, {"Content-Type": "text/html; charset=utf-8"}))
        else:
            self._send(response, truncate=fault is Fault.TRUNCATE)

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

    def _send(self, response: Response, close: bool = False, truncate: bool = False) -> None:
        """Status, headers and body; *truncate*: only half the body, then the connection drops."""
        self.send_response(response.status)
        headers = {"Content-Type": "application/json", **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(response.length))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        limit = response.length // 2 if truncate else response.length
        if response.file is None:
            self.wfile.write(response.body[:limit])
        else:
            limit = self._stream(response, limit)
        if limit < response.length:
            self.wfile.flush()
            self._drop()

    def _stream(self, response: Response, limit: int) -> int:
        """Copy up to *limit* bytes of the response's file; the number actually sent."""
        assert response.file is not None
        sent = 0
        try:
            with response.file.path.open("rb") as source:
                source.seek(response.file.start)
                while sent < limit:
                    chunk = source.read(min(CHUNK, limit - sent))
                    if not chunk:
                        break  # the file shrank since it was measured: the client sees it cut
                    self.wfile.write(chunk)
                    sent += len(chunk)
        except OSError as exc:
            if isinstance(exc, ConnectionError | TimeoutError):
                raise
            log.warning("central: %s could not be read while sending it", response.file.path.name)
        return sent

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
        self, address: tuple[str, int], service: CentralService, faults: Sequence[FaultSpec],
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:  # fmt: skip
        super().__init__(address, _Handler)
        self.max_connections = max_connections
        self.service = service
        self.faults = [FaultInjector(spec) for spec in faults]
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

    def fault_for(self, request: Request) -> tuple[Fault, FaultSpec]:
        """The fault drawn for *request* by the spec naming its endpoint, and that spec."""
        injectors = self.faults  # one read: set_faults may swap the list meanwhile
        endpoint = self.service.endpoint(request) if injectors else None
        for injector in injectors:
            if endpoint in injector.spec.endpoints:
                return injector.draw(), injector.spec
        return Fault.NONE, NO_FAULT

    def status_fault(self, fault: Fault, spec: FaultSpec) -> Response:
        status, code = _STATUS_FAULTS[fault]
        response = error(status, code)
        if fault is Fault.P429:
            response.headers["Retry-After"] = str(spec.retry_after)
        return response

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            busy = len(self._open) >= self.max_connections
            if not busy:
                self._open.add(request)
        if busy:
            self._refuse_busy(request)
            return
        super().process_request(request, client_address)

    def _refuse_busy(self, request: Any) -> None:
        """503 with Retry-After on the raw socket, no thread started; then close it."""
        body = b'{"error":"unavailable"}'
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Retry-After: {BUSY_RETRY_AFTER_S}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        try:
            request.settimeout(2.0)
            request.sendall(head.encode("ascii") + body)
        except OSError:
            pass
        log.debug("central: over %d connections; one refused with 503", self.max_connections)
        super().shutdown_request(request)

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
        faults: FaultSpec | Sequence[FaultSpec] | None = None,
        tls: ssl.SSLContext | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.service = service
        self.httpd = CentralHTTPServer((host, port), service, _specs(faults), max_connections)
        self.scheme = "http"
        if tls is not None:  # the handshake happens on accept; a refused client is just dropped
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread: threading.Thread | None = None
        self._stopped = False

    def set_faults(self, faults: FaultSpec | Sequence[FaultSpec] | None) -> None:
        """Change the faults of a running server (tests)."""
        self.httpd.faults = [FaultInjector(spec) for spec in _specs(faults)]

    @property
    def url(self) -> str:
        host, port = self.httpd.socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"{self.scheme}://{shown}:{port}{BASE_PATH}"

    @property
    def fault_counts(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for injector in self.httpd.faults:
            for fault, n in injector.counts.items():
                if n:
                    totals[fault.value] = totals.get(fault.value, 0) + n
        return totals

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


def _specs(faults: FaultSpec | Sequence[FaultSpec] | None) -> list[FaultSpec]:
    if faults is None:
        return []
    return [faults] if isinstance(faults, FaultSpec) else list(faults)
