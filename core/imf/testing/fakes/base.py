"""The base of imf's loopback fake servers: routing, recording, fault injection, spec checks.

A fake is a stdlib ``ThreadingHTTPServer`` speaking HTTP/1.1 with keep-alive on 127.0.0.1 and
an ephemeral port, served from a daemon thread. Subclasses register routes in ``__init__``;
everything else (recording every request, the fault queue, the answer delay, collecting
specification violations) is shared by every fake.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from imf.testing.specs import specs_dir

MAX_HOLD_SECONDS = 60.0
"""Upper bound of the time a ``timeout_next`` fault holds a request."""

_REASONS = {420: "Enhance Your Calm"}
_VERDICTS_MAX = 512


@dataclass(frozen=True)
class Recorded:
    """One request received by a fake server.

    ``query`` maps each parameter to its last value (``raw_query`` keeps them all);
    ``headers`` has lower-case names; ``json`` is the parsed body when it is JSON, else None;
    ``at`` is the ``time.time()`` of arrival.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any | None
    at: float
    raw_query: str = ""

    def query_values(self, name: str) -> list[str]:
        """Return every value of the query parameter ``name``, in order."""
        pairs = parse_qsl(self.raw_query, keep_blank_values=True)
        return [value for key, value in pairs if key == name]


@dataclass
class Response:
    """An answer built by a route handler or a fault."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, document: Any, headers: dict[str, str] | None = None) -> Response:
        """A JSON answer."""
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(document).encode(), merged)

    @classmethod
    def text(
        cls, status: int, text: str, content_type: str = "text/plain; charset=utf-8"
    ) -> Response:
        """A text answer."""
        return cls(status, text.encode(), {"Content-Type": content_type})


Handler = Callable[[Recorded, dict[str, str]], Response]
"""A route handler: the request and the path parameters in, the answer out."""

Check = Callable[[Recorded, dict[str, str]], list[str]]
"""A specification check of a request: the list of violations (empty when valid)."""


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    check: Check | None


@dataclass
class _Fault:
    kind: str  # "answer", "timeout" or "reset"
    remaining: int
    path: str | None
    method: str | None
    answer: Callable[[Recorded], Response] | None = None
    seconds: float = 0.0

    def matches(self, request: Recorded) -> bool:
        if self.method is not None and self.method.upper() != request.method:
            return False
        return self.path is None or request.path.startswith(self.path)


def _template_pattern(template: str) -> re.Pattern[str]:
    """Compile ``/pages/{page_id}/incidents`` into a regular expression with named groups."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(regex)


def _fixed(status: int, body: bytes | str | dict[str, Any] | list[Any]) -> Response:
    """An answer with a body given by a test: bytes, text, or a JSON document."""
    if isinstance(body, bytes):
        return Response(status, body, {"Content-Type": "application/octet-stream"})
    if isinstance(body, str):
        return Response.text(status, body)
    return Response.json(status, body)


class FakeServer:
    """A loopback HTTP server imitating one external service.

    Use it as a context manager (``with PagerDutyFake() as pd: ... pd.url``) or call
    :meth:`start` and :meth:`stop`. Every request is recorded in :attr:`requests` and counted
    per path in :attr:`path_counts`. With ``validate=True`` (the default) and the specification
    folder present, request bodies are checked against the official specs and violations are
    collected in :attr:`spec_errors` (the request is still answered as the real service would).

    The fault queue makes the next matching requests fail: each ``*_next`` method takes
    keyword-only ``path`` (a path prefix) and ``method`` filters, and faults are consumed in
    the order they were queued. A faulted request is recorded but changes no service state.
    Exceptions raised by a handler become 500 answers and are listed in :attr:`server_errors`.

    To imitate another service, subclass and call :meth:`route` in ``__init__``; override
    ``_error_response``, ``_throttle_response`` and ``_error_in_200_response`` for the
    service's error bodies, ``_deny`` for authentication shared by every route, and
    ``_load_specs`` to load specifications before serving.
    """

    def __init__(self, *, validate: bool = True) -> None:
        self.validate = validate
        self.requests: list[Recorded] = []
        self.path_counts: Counter[str] = Counter()
        self.spec_errors: list[str] = []
        self.server_errors: list[str] = []
        self._lock = threading.RLock()
        self._routes: list[_Route] = []
        self._faults: list[_Fault] = []
        self._delay = 0.0
        self._stopping = threading.Event()
        self._specs_found = False
        # Checks depend only on the method and body: identical requests reuse the verdict.
        self._verdicts: dict[tuple[int, str, bytes], list[str]] = {}
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Start serving on 127.0.0.1 and an ephemeral port (idempotent)."""
        if self._server is not None:
            return self
        self._specs_found = specs_dir() is not None
        if self.validate and self._specs_found:
            self._load_specs()
        self._stopping.clear()
        server = _HTTPServer(("127.0.0.1", 0), _RequestHandler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end held requests and close open connections (idempotent)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. ``http://127.0.0.1:40123`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://127.0.0.1:{self._server.server_port}"

    # ------------------------------------------------------------------ recording

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[Recorded]:
        """Return the recorded requests whose path starts with ``path_prefix``."""
        with self._lock:
            return [
                request
                for request in self.requests
                if request.path.startswith(path_prefix)
                and (method is None or request.method == method.upper())
            ]

    def clear(self) -> None:
        """Forget recorded requests, counts and collected errors (service state is kept)."""
        with self._lock:
            self.requests.clear()
            self.path_counts.clear()
            self.spec_errors.clear()
            self.server_errors.clear()

    def assert_no_spec_errors(self) -> None:
        """Raise AssertionError listing every specification violation (or server error) seen."""
        with self._lock:
            problems = [*self.spec_errors, *self.server_errors]
        if problems:
            listing = "\n  ".join(problems)
            raise AssertionError(
                f"{type(self).__name__} saw {len(problems)} problem(s):\n  {listing}"
            )

    # ------------------------------------------------------------------ fault queue

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next ``n`` matching requests with ``status`` (service-style error body)."""
        extra = dict(headers or {})

        def answer(request: Recorded) -> Response:
            if body is None:
                response = self._error_response(request, status, _reason(status))
            else:
                response = _fixed(status, body)
            response.headers.update(extra)
            return response

        self._queue(_Fault("answer", n, path, method, answer))

    def throttle_next(
        self,
        n: int = 1,
        status: int = 429,
        retry_after: float | None = 1,
        *,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Throttle the next ``n`` matching requests (429, or 420 for Statuspage).

        ``retry_after`` seconds are sent in a ``Retry-After`` header unless None.
        """

        def answer(request: Recorded) -> Response:
            response = self._throttle_response(request, status)
            if retry_after is not None:
                response.headers["Retry-After"] = f"{retry_after:g}"
            return response

        self._queue(_Fault("answer", n, path, method, answer))

    def timeout_next(
        self,
        n: int = 1,
        seconds: float = 10.0,
        *,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Hold the next ``n`` matching requests unanswered, then drop their connection.

        The hold lasts ``seconds`` (at most :data:`MAX_HOLD_SECONDS`) or until :meth:`stop`.
        """
        hold = min(max(seconds, 0.0), MAX_HOLD_SECONDS)
        self._queue(_Fault("timeout", n, path, method, seconds=hold))

    def reset_next(self, n: int = 1, *, path: str | None = None, method: str | None = None) -> None:
        """Abort the connection of the next ``n`` matching requests (TCP RST, no answer)."""
        self._queue(_Fault("reset", n, path, method))

    def error_in_200_next(
        self,
        n: int = 1,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        *,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next ``n`` matching requests with HTTP 200 carrying an error body.

        Without ``body``, each fake uses the error-in-200 its service is known to send.
        """

        def answer(request: Recorded) -> Response:
            if body is None:
                return self._error_in_200_response(request)
            return _fixed(200, body)

        self._queue(_Fault("answer", n, path, method, answer))

    def succeed_after(
        self, n: int, status: int = 500, *, path: str | None = None, method: str | None = None
    ) -> None:
        """Fail the next ``n`` matching requests with ``status``; later ones succeed."""
        self.fail_next(n, status, path=path, method=method)

    def delay(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` from now on (0 to stop delaying)."""
        self._delay = max(seconds, 0.0)

    def clear_faults(self) -> None:
        """Drop every queued fault and the answer delay."""
        with self._lock:
            self._faults.clear()
            self._delay = 0.0

    # ------------------------------------------------------------------ for subclasses

    def route(
        self, method: str, template: str, handler: Handler, check: Check | None = None
    ) -> None:
        """Register ``handler`` for ``method`` and a path ``template`` such as ``/pages/{id}``.

        Path parameters reach the handler percent-decoded. Handlers run one at a time under
        the fake's lock, so they may change the fake's state freely. ``check`` returns the
        specification violations of a request; it runs only when validation is on and the
        specification folder is present.
        """
        self._routes.append(_Route(method.upper(), _template_pattern(template), handler, check))

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        """The service's error answer to ``request``; subclasses imitate their service."""
        return Response.json(status, {"error": message})

    def _throttle_response(self, request: Recorded, status: int) -> Response:
        """The service's rate-limit answer (429, or 420) to ``request``."""
        return self._error_response(request, status, "Too many requests")

    def _error_in_200_response(self, request: Recorded) -> Response:
        """The HTTP 200 error answer of the service; subclasses imitate their service."""
        return Response.json(200, {"error": "simulated error"})

    def _deny(self, request: Recorded) -> Response | None:
        """An answer refusing ``request`` before routing (e.g. authentication), or None."""
        return None

    def _load_specs(self) -> None:
        """Load the specifications this fake checks against (before serving, so that the
        first request is not slowed down); subclasses override."""

    # ------------------------------------------------------------------ request pipeline

    def _queue(self, fault: _Fault) -> None:
        if fault.remaining > 0:
            with self._lock:
                self._faults.append(fault)

    def _take_fault(self, request: Recorded) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(request):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record_request(self, method: str, target: str, headers: Any, body: bytes) -> Recorded:
        parts = urlsplit(target)
        lowered: dict[str, str] = {}
        for name, value in headers.items():
            key = name.lower()
            lowered[key] = f"{lowered[key]}, {value}" if key in lowered else value
        try:
            document = json.loads(body) if body else None
        except ValueError:
            document = None
        request = Recorded(
            method=method,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=lowered,
            body=body,
            json=document,
            at=time.time(),
            raw_query=parts.query,
        )
        with self._lock:
            self.requests.append(request)
            self.path_counts[request.path] += 1
        return request

    def _match_route(self, request: Recorded) -> tuple[_Route | None, dict[str, str], bool]:
        """Return (route, path parameters, whether the path exists for another method)."""
        path_known = False
        for route in self._routes:
            found = route.pattern.fullmatch(request.path)
            if found is None:
                continue
            if route.method == request.method:
                params = {name: unquote(value) for name, value in found.groupdict().items()}
                return route, params, True
            path_known = True
        return None, {}, path_known

    def _check_request(
        self, request: Recorded, route: _Route | None, params: dict[str, str]
    ) -> None:
        if route is None or route.check is None or not (self.validate and self._specs_found):
            return
        key = (id(route.check), request.method, request.body)
        errors = self._verdicts.get(key)
        if errors is None:
            try:
                errors = route.check(request, params)
            except Exception as exc:  # a broken check must not break the fake
                self._server_error(request, exc)
                return
            with self._lock:
                if len(self._verdicts) >= _VERDICTS_MAX:
                    self._verdicts.clear()
                self._verdicts[key] = errors
        if errors:
            with self._lock:
                self.spec_errors.extend(f"{request.method} {request.path}: {e}" for e in errors)

    def _answer_request(
        self, request: Recorded, route: _Route | None, params: dict[str, str], path_known: bool
    ) -> Response:
        denied = self._deny(request)
        if denied is not None:
            return denied
        if route is None:
            if path_known:
                return self._error_response(request, 405, "Method Not Allowed")
            return self._error_response(request, 404, "Not Found")
        try:
            with self._lock:
                return route.handler(request, params)
        except Exception as exc:
            self._server_error(request, exc)
            return self._error_response(request, 500, f"fake server error: {exc!r}")

    def _server_error(self, request: Recorded, exc: BaseException) -> None:
        with self._lock:
            self.server_errors.append(f"{request.method} {request.path}: {exc!r}")


def utc_timestamp(milliseconds: bool = False) -> str:
    """The current UTC time in ISO 8601 with a ``Z`` suffix, as the services write it."""
    now = datetime.now(UTC)
    if milliseconds:
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _REASONS.get(status, "")


class _HTTPServer(ThreadingHTTPServer):
    """Tracks open connections so that :meth:`FakeServer.stop` can close idle keep-alives."""

    daemon_threads = True
    request_queue_size = 128
    fake: FakeServer

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        if request.fileno() != -1:  # not already aborted by a reset fault
            super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _serve(self) -> None:
        fake = self.server.fake
        body = self._read_body()
        request = fake._record_request(self.command, self.path, self.headers, body)
        route, params, path_known = fake._match_route(request)
        fake._check_request(request, route, params)
        fault = fake._take_fault(request)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        if fault is not None and fault.kind == "timeout":
            fake._stopping.wait(fault.seconds)
            self.close_connection = True
            return
        if fault is not None and fault.answer is not None:
            response = fault.answer(request)
        else:
            response = fake._answer_request(request, route, params, path_known)
        if fake._delay:
            fake._stopping.wait(fake._delay)
        self._send(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, response: Response) -> None:
        lines = [
            f"HTTP/1.1 {response.status} {_reason(response.status)}",
            f"Date: {self.date_time_string()}",
            f"Content-Length: {len(response.body)}",
        ]
        lines.extend(f"{name}: {value}" for name, value in response.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + response.body)

    def _reset(self) -> None:
        """Abort the connection: SO_LINGER 0 then close sends a TCP RST instead of a FIN."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
