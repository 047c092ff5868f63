"""A local stand-in for the Cloudflare API, for tests: serves recorded real responses
(``../shared/corpus/cf-api-recordings``) over real HTTP on 127.0.0.1 and injects faults.

It matches on method and path (query strings are ignored except ``page``/``cursor`` when a
list is split into pages), checks the credentials it was given, keeps a log of requests
(never their headers), and shuts itself down after ``lifetime`` seconds at the latest.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from conftest import shared_path

API_PREFIX = "/client/v4"


def load_routes(files: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """(method, path) → (status, body) from recording files; later files win."""
    recordings = shared_path("corpus", "cf-api-recordings")  # skips the test without ../shared
    routes: dict[tuple[str, str], tuple[int, str]] = {}
    for name in files:
        document = yaml.safe_load((recordings / name).read_text())
        for interaction in document["interactions"]:
            request, response = interaction["request"], interaction["response"]
            path = urlsplit(request["url"]).path
            assert path.startswith(API_PREFIX), path
            routes[(request["method"], path[len(API_PREFIX):])] = (int(response["code"]), response["body"])
    return routes


def recorded_result(files: list[str], path: str) -> Any:
    """The ``result`` the recordings hold for GET ``path`` (what a correct bundle must contain)."""
    status, body = load_routes(files)[("GET", path)]
    return json.loads(body)["result"]


@dataclass
class Fault:
    """``kind``: status | slow | truncate | drop | body (send ``body``, a JSON document, with
    ``status``; ``{authorization}`` and ``{x-auth-key}`` in it become the request's header
    values, as an API that echoes its request would write them) | trickle (the whole answer, status line included, one byte every ``delay``
    seconds, for at most ``limit`` seconds)."""

    path: str  # exact API path (without /client/v4), or a prefix when it ends with "*"
    kind: str
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: Any = None
    limit: float = 30.0

    def matches(self, path: str) -> bool:
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


def envelope(result: Any, **extra: Any) -> dict[str, Any]:
    return {"result": result, "success": True, "errors": [], "messages": [], **extra}


def error_envelope(status: int) -> dict[str, Any]:
    messages = {401: (10000, "Authentication error"), 403: (10000, "Authentication error"),
                404: (7003, "Could not route to the path"), 429: (971, "Please wait and consider throttling"),
                500: (10001, "Internal server error")}
    code, message = messages.get(status, (10001, f"HTTP {status}"))
    return {"result": None, "success": False, "errors": [{"code": code, "message": message}], "messages": []}


class CloudflareStub:
    """``with CloudflareStub(files, token=...) as api: api.base_url …``"""

    def __init__(self, files: list[str], token: str | None = None, api_key: str | None = None,
                 email: str | None = None, page_size: int | None = None, cursor_size: int | None = None,
                 lifetime: float = 60.0):
        self.routes = load_routes(files)
        self.token, self.api_key, self.email = token, api_key, email
        self.page_size = page_size  # split page-paginated lists into pages of this size
        self.cursor_size = cursor_size  # split cursor-paginated lists (rulesets)
        self.lifetime = lifetime
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, str]] = []  # (method, path, query)
        self.lock = threading.Lock()
        self.arrived = threading.Event()  # set at every request (for interrupt tests)
        self._server: ThreadingHTTPServer | None = None
        self._timer: threading.Timer | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> "CloudflareStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                stub._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self._timer = threading.Timer(self.lifetime, self._server.shutdown)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer:
            self._timer.cancel()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{API_PREFIX}"

    def fault(self, path: str, kind: str = "status", **kwargs: Any) -> Fault:
        fault = Fault(path, kind, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def requests_to(self, path: str) -> list[tuple[str, str, str]]:
        return [entry for entry in self.log if entry[1] == path]

    # -- serving -------------------------------------------------------------------------
    def _authorised(self, handler: BaseHTTPRequestHandler) -> bool:
        if self.token is not None:
            return handler.headers.get("Authorization") == f"Bearer {self.token}"
        if self.api_key is not None:
            return handler.headers.get("X-Auth-Key") == self.api_key and handler.headers.get("X-Auth-Email") == self.email
        return True

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(path):
                    fault.times -= 1
                    return fault
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path[len(API_PREFIX):] if parts.path.startswith(API_PREFIX) else parts.path
        query = parse_qs(parts.query)
        with self.lock:
            self.log.append(("GET", path, parts.query))
        self.arrived.set()
        if not parts.path.startswith(API_PREFIX):
            return self._send(handler, 404, error_envelope(404))
        if not self._authorised(handler):
            return self._send(handler, 401, error_envelope(401))
        fault = self._take_fault(path)
        if fault is not None:
            if fault.kind == "status":
                return self._send(handler, fault.status, error_envelope(fault.status), fault.headers)
            if fault.kind == "body":
                text = json.dumps(fault.body)
                for name in ("authorization", "x-auth-key"):
                    text = text.replace("{" + name + "}", json.dumps(handler.headers.get(name, ""))[1:-1])
                return self._send_bytes(handler, fault.status, text.encode(), fault.headers)
            if fault.kind == "trickle":
                return self._trickle(handler, fault, self._route(path, query)[1])
            if fault.kind == "slow":
                time.sleep(fault.delay)
            elif fault.kind == "drop":
                handler.close_connection = True
                return
        status, document = self._route(path, query)
        body = json.dumps(document).encode()
        if fault is not None and fault.kind == "truncate":
            body = body[: len(body) // 2]
        self._send_bytes(handler, status, body)

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        recorded = self.routes.get(("GET", path))
        if path == "/zones" and recorded is None:
            return 200, self._zone_list(query)
        if recorded is None:
            return 404, error_envelope(404)
        status, body = recorded
        document = json.loads(body)
        result = document.get("result")
        if isinstance(result, list) and status == 200:
            if path.endswith("/rulesets") and self.cursor_size:
                return status, self._cursor_page(document, result, query)
            if self.page_size and "page" in query:
                return status, self._page(document, result, query)
        return status, document

    def _zone_list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """``GET /zones[?name=]``, built from the recorded ``GET /zones/{id}`` objects."""
        zones = []
        for (method, path), (status, body) in sorted(self.routes.items()):
            if method == "GET" and path.count("/") == 2 and path.startswith("/zones/") and status == 200:
                zones.append(json.loads(body)["result"])
        name = query.get("name", [None])[0]
        if name is not None:
            zones = [z for z in zones if z.get("name") == name]
        return envelope(zones, result_info={"page": 1, "per_page": 50, "count": len(zones),
                                            "total_count": len(zones), "total_pages": 1})

    def _page(self, document: dict, result: list, query: dict[str, list[str]]) -> dict:
        size = self.page_size or len(result)
        page = int(query.get("page", ["1"])[0])
        chunk = result[(page - 1) * size: page * size]
        pages = max(1, -(-len(result) // size))
        return {**document, "result": chunk, "result_info": {"page": page, "per_page": size, "count": len(chunk),
                                                            "total_count": len(result), "total_pages": pages}}

    def _cursor_page(self, document: dict, result: list, query: dict[str, list[str]]) -> dict:
        size = self.cursor_size or len(result)
        start = int(query.get("cursor", ["0"])[0] or 0)
        chunk = result[start: start + size]
        info: dict[str, Any] = {"per_page": size, "count": len(chunk)}
        if start + size < len(result):
            info["cursor"] = str(start + size)
        return {**document, "result": chunk, "result_info": info}

    @staticmethod
    def _trickle(handler: BaseHTTPRequestHandler, fault: Fault, document: Any) -> None:
        """Write the answer byte by byte; stop when the client goes or after ``fault.limit`` s."""
        body = json.dumps(document).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        handler.close_connection = True
        stop = time.monotonic() + fault.limit
        try:
            for byte in head + body:
                if time.monotonic() > stop:
                    return
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(fault.delay)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, handler: BaseHTTPRequestHandler, status: int, document: Any,
              headers: dict[str, str] | None = None) -> None:
        self._send_bytes(handler, status, json.dumps(document).encode(), headers)

    @staticmethod
    def _send_bytes(handler: BaseHTTPRequestHandler, status: int, body: bytes,
                    headers: dict[str, str] | None = None) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. after its timeout)
