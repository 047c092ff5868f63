"""The HTTP side of `rulelint fetch`: one httpx client per run, with retries, a request budget
under Cloudflare's global limit, and both pagination styles of the v4 API.

Errors raised from here are ``ApiError``: status, path and Cloudflare's error text only. No
request headers ever go into a message, a log line or an exception. Three guarantees hold at
this boundary, for every answer:

- every string in it has been through ``Redactor.document`` (redact.py) before anything else
  sees it, so a token the API echoes is never printed, stored or returned;
- ``--timeout`` bounds each whole request, connect to last byte (deadline.py);
- an answer of an unexpected shape is an ``ApiError`` naming what was wrong (shapes.py), which
  the caller records as an unreadable part like any other failed read.
"""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from . import shapes
from .auth import Credentials

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
#: Cloudflare allows 1,200 requests per 5 minutes per user; rulelint keeps a margin below it.
RATE_LIMIT_REQUESTS = 1000
RATE_LIMIT_WINDOW = 300.0
MAX_PAGES = 500


class ApiError(Exception):
    """A read that failed for good. ``status`` is None for timeouts and connection errors."""

    def __init__(self, path: str, status: int | None, message: str):
        super().__init__(f"GET {path}: {message}")
        self.path = path
        self.status = status
        self.message = message


@dataclass
class RetryPolicy:
    retries: int = 4  # extra attempts after the first
    backoff_base: float = 0.5  # seconds; doubles per attempt
    backoff_cap: float = 8.0
    max_retry_after: float = 60.0  # a longer Retry-After fails the read instead of sleeping

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of base × 2^attempt (capped)."""
        delay = min(self.backoff_cap, self.backoff_base * (2**attempt))
        return delay * (0.5 + random.random() / 2)


class RateLimiter:
    """A sliding window: at most ``limit`` requests start within any ``window`` seconds."""

    def __init__(self, limit: int = RATE_LIMIT_REQUESTS, window: float = RATE_LIMIT_WINDOW,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                if len(self._starts) < self.limit:
                    self._starts.append(now)
                    return
                wait = self.window - (now - self._starts[0])
            self._sleep(max(wait, 0.01))


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _error_text(document: Any) -> str:
    """Cloudflare's ``errors[]`` as one line ("code 10000: Authentication error")."""
    if isinstance(document, dict):
        parts = []
        for error in document.get("errors") or []:
            if isinstance(error, dict):
                code = error.get("code")
                text = str(error.get("message", "")).strip()
                parts.append(f"code {code}: {text}" if code is not None else text)
        return "; ".join(p for p in parts if p)
    return ""


class CloudflareClient:
    """GET requests against the Cloudflare v4 API; use as a context manager."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        concurrency: int = 4,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        log: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
    ):
        import httpx

        from .deadline import bound_transports

        self._credentials = credentials
        self._redactor = credentials.redactor()
        self.timeout = timeout
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter()
        self._log = log
        self._sleep = sleep
        self.request_count = 0
        self._count_lock = threading.Lock()
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            headers={"Accept": "application/json", "User-Agent": "rulelint-fetch"},
            transport=transport,
            follow_redirects=False,
        )
        if transport is None:
            bound_transports(self._http)

    def __repr__(self) -> str:
        return f"CloudflareClient(base_url={self.base_url!r}, credentials=<redacted>)"

    def __enter__(self) -> "CloudflareClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _note(self, text: str) -> None:
        if self._log:
            self._log(self._redactor.text(text))

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One GET, retried on 408/429/5xx, timeouts, connection errors and cut-off bodies.

        Returns the envelope (``success``, ``result``, ``result_info``…), redacted and of the
        envelope's shape; raises ``ApiError``.
        """
        import httpx

        from .deadline import within

        url = self.base_url + path
        shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        policy = self.retry
        attempts = policy.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self.limiter.acquire()
            with self._count_lock:
                self.request_count += 1
            started = time.monotonic()
            try:
                with within(self.timeout):
                    response = self._http.get(url, params=params, headers=self._credentials.headers())
            except httpx.TimeoutException:
                problem = f"timed out (no complete answer within {self.timeout:g}s)"
                self._note(f"GET {shown} -> {problem}")
                if last:
                    raise ApiError(path, None, f"{problem} after {attempts} attempts") from None
                self._sleep(policy.backoff(attempt))
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
                self._note(f"GET {shown} -> {problem}")
                if last:
                    raise ApiError(path, None, f"{problem} after {attempts} attempts") from None
                self._sleep(policy.backoff(attempt))
                continue
            status = response.status_code
            self._note(f"GET {shown} -> {status} ({time.monotonic() - started:.2f}s)")
            if status == 429:
                wait = retry_after_seconds(response.headers)
                if wait is not None and wait > policy.max_retry_after:
                    raise ApiError(path, 429, f"rate limited by Cloudflare; it asks to wait {wait:.0f}s")
                if last:
                    raise ApiError(path, 429, f"rate limited by Cloudflare after {attempts} attempts")
                self._sleep(wait if wait is not None else policy.backoff(attempt))
                continue
            if status == 408 or status >= 500:
                if last:
                    raise ApiError(path, status, f"HTTP {status} after {attempts} attempts")
                self._sleep(policy.backoff(attempt))
                continue
            try:
                document = self._redactor.document(json.loads(response.content))
                decoded = True
            except (ValueError, RecursionError):
                document, decoded = None, False
            if status >= 400:
                detail = _error_text(document)
                raise ApiError(path, status, f"HTTP {status}" + (f": {detail}" if detail else ""))
            if not decoded:
                # A cut-off or garbled body: transient more often than not, so read it again.
                if last:
                    raise ApiError(path, status, f"response is not a JSON object after {attempts} attempts")
                self._sleep(policy.backoff(attempt))
                continue
            try:
                shapes.check(shapes.ENVELOPE, document, root="response")
            except shapes.Malformed as exc:
                raise ApiError(path, status, str(exc)) from None
            if document.get("success") is False:
                detail = _error_text(document) or "success: false"
                raise ApiError(path, status, f"Cloudflare reported an error: {detail}")
            return document
        raise AssertionError("unreachable")  # pragma: no cover

    def get_result(self, path: str, shape: Any = shapes.OBJECT) -> Any:
        """The ``result`` of one GET, which must have ``shape`` (shapes.py)."""
        return self._checked(path, self.get(path).get("result"), shape)

    def _checked(self, path: str, result: Any, shape: Any) -> Any:
        try:
            shapes.check(shape, result)
        except shapes.Malformed as exc:
            raise ApiError(path, 200, str(exc)) from None
        return result

    def _page(self, path: str, document: dict[str, Any], shape: Any) -> list[Any]:
        """One page's items; a null ``result`` is an empty page."""
        result = document.get("result")
        return [] if result is None else self._checked(path, result, shape)

    def get_all(self, path: str, paging: str = "page", per_page: int = 100,
                params: dict[str, Any] | None = None, shape: Any = shapes.OBJECTS) -> list[Any]:
        """Every item of a list endpoint, following ``page`` or ``cursor`` pagination; each
        page's ``result`` must have ``shape``, a list shape (shapes.py)."""
        base = dict(params or {})
        if paging == "none":
            return self._page(path, self.get(path, base or None), shape)
        items: list[Any] = []
        if paging == "cursor":
            cursor: str | None = None
            seen: set[str] = set()
            for _ in range(MAX_PAGES):
                query = dict(base)
                if cursor:
                    query["cursor"] = cursor
                document = self.get(path, query or None)
                items.extend(self._page(path, document, shape))
                info = document.get("result_info") or {}
                cursor = info.get("cursor") if isinstance(info, dict) else None
                if not cursor or cursor in seen:
                    return items
                seen.add(cursor)
            raise ApiError(path, None, f"more than {MAX_PAGES} pages")
        for page in range(1, MAX_PAGES + 1):
            document = self.get(path, {**base, "page": page, "per_page": per_page})
            batch = self._page(path, document, shape)
            items.extend(batch)
            info = document.get("result_info") if isinstance(document.get("result_info"), dict) else {}
            total_pages = info.get("total_pages")
            if isinstance(total_pages, int):
                if page >= total_pages:
                    return items
            elif len(batch) < per_page:
                return items
            if not batch:
                return items
        raise ApiError(path, None, f"more than {MAX_PAGES} pages")
