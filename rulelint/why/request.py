"""The request ``rulelint why`` traces: what the user said about it, validated, and what
that makes known to the evaluator.

Everything not given stays Unknown: a header not given (unless ``headers_complete``), the
bot score, the request body, a named list's contents. Only what the URL, the method and the
options state is known; the verified-bot flag defaults to "not a verified bot".
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..analysis.evaluate import MISSING, Environment, Headers, IpRange, unknown

METHODS = frozenset("GET HEAD POST PUT DELETE PATCH OPTIONS CONNECT TRACE PURGE".split())


class RequestError(ValueError):
    """The request description is not usable (a bad URL, address, header…): a usage error."""


class RequestDescription(BaseModel):
    """One HTTP request, as ``rulelint why`` options or a Security Events record describe it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    method: str = "GET"
    ip: str | None = None  # an address or a CIDR range
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    headers_complete: bool = False
    country: str | None = None
    asn: int | None = Field(default=None, ge=0, le=4294967295)
    verified_bot: bool = False
    bot_score: int | None = Field(default=None, ge=1, le=99)
    ip_lists: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value if "://" in value else f"https://{value}")
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"the URL must start with http:// or https://, not {parts.scheme}://")
        if not parts.hostname:
            raise ValueError("the URL has no host name")
        try:
            parts.port
        except ValueError:
            raise ValueError("the URL's port is not a number from 0 to 65535") from None
        return value if "://" in value else f"https://{value}"

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        upper = value.upper()
        if upper not in METHODS:
            raise ValueError(f"unknown HTTP method {value!r} (expected one of {', '.join(sorted(METHODS))})")
        return upper

    @field_validator("ip")
    @classmethod
    def _ip(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            if "/" in value:
                return str(ipaddress.ip_network(value, strict=False))
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or a CIDR range") from None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) != 2 or not value.isalpha():
            raise ValueError(f"{value!r} is not a two-letter country code (ISO 3166-1 alpha-2)")
        return value.upper()

    # what the URL says

    @property
    def parts(self):
        return urlsplit(self.url)

    @property
    def host(self) -> str:
        return (self.parts.hostname or "").lower()

    @property
    def path(self) -> str:
        return self.parts.path or "/"

    @property
    def query(self) -> str:
        return self.parts.query

    @property
    def uri(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")

    @property
    def source(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        if self.ip is None:
            return None
        return ipaddress.ip_network(self.ip) if "/" in self.ip else ipaddress.ip_address(self.ip)

    @property
    def source_is_range(self) -> bool:
        return self.ip is not None and "/" in self.ip

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def label(self) -> str:
        source = f" from {self.ip}" if self.ip else ""
        return f"{self.method} {self.url}{source}"

    def environment(self) -> Environment:
        """What the evaluator knows about this request."""
        return Environment(fields=self._fields(), lists={k: v for k, v in self.ip_lists.items()})

    def _fields(self) -> dict[str, Any]:
        parts = self.parts
        path = self.path.encode()
        query = self.query.encode()
        uri = self.uri.encode()
        host = self.host.encode()
        full = f"{parts.scheme}://{parts.netloc}{self.uri}".encode()
        args = _args(self.query)
        fields: dict[str, Any] = {
            "http.host": host,
            "http.request.method": self.method.encode(),
            "ssl": parts.scheme == "https",
            "cf.threat_score": 0,  # no longer populated: always 0 (cloudflare-facts)
        }
        for prefix in ("", "raw."):
            fields.update({
                f"{prefix}http.request.uri.path": path,
                f"{prefix}http.request.uri.query": query,
                f"{prefix}http.request.uri": uri,
                f"{prefix}http.request.full_uri": full,
                f"{prefix}http.request.uri.args": args,
                f"{prefix}http.request.uri.args.names": [k.encode() for k in args],
                f"{prefix}http.request.uri.args.values": [v for values in args.values() for v in values],
            })
        fields["http.request.uri.path.extension"] = _extension(self.path).encode()
        known = {}
        for name, value in self.headers:
            known.setdefault(name.lower(), []).append(value.encode())
        cookie_header = "; ".join(f"{k}={v}" for k, v in self.cookies)
        if cookie_header:
            known.setdefault("cookie", []).append(cookie_header.encode())
        headers = Headers({k: tuple(v) for k, v in known.items()}, self.headers_complete, "header")
        fields["http.request.headers"] = headers
        if self.headers_complete:
            fields["http.request.headers.names"] = [k.encode() for k in known]
            fields["http.request.headers.values"] = [v for values in known.values() for v in values]
        else:
            fields["http.request.headers.names"] = unknown("depends on the request's other headers")
            fields["http.request.headers.values"] = unknown("depends on the request's other headers")
        for field_name, header in (
            ("http.user_agent", "user-agent"), ("http.referer", "referer"),
            ("http.x_forwarded_for", "x-forwarded-for"), ("http.cookie", "cookie"),
        ):
            value = headers.get(header)
            if value is MISSING:
                value = b""  # an absent header reads as an empty string in these fields
            elif isinstance(value, list):
                value = value[0]
            fields[field_name] = value
        if self.cookies:
            fields["http.request.cookies"] = {k: [v.encode() for k2, v in self.cookies if k2 == k] for k, _ in self.cookies}
        elif self.headers_complete:
            fields["http.request.cookies"] = {}
        else:
            fields["http.request.cookies"] = unknown("depends on the request's cookies")
        source = self.source
        if source is None:
            fields["ip.src"] = unknown("depends on the client address (give --ip)")
        elif isinstance(source, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            fields["ip.src"] = IpRange(source) if source.num_addresses > 1 else source.network_address
        else:
            fields["ip.src"] = source
        for name in ("ip.src.country", "ip.geoip.country"):
            fields[name] = self.country.encode() if self.country else unknown("depends on the client's country (give --country)")
        for name in ("ip.src.asnum", "ip.geoip.asnum"):
            fields[name] = self.asn if self.asn is not None else unknown("depends on the client's ASN (give --asn)")
        for name in ("cf.client.bot", "cf.bot_management.verified_bot"):
            fields[name] = self.verified_bot
        fields["cf.verified_bot_category"] = (
            unknown("depends on the verified bot's category") if self.verified_bot else b""
        )
        fields["cf.bot_management.score"] = (
            self.bot_score if self.bot_score is not None else unknown("depends on the bot score (give --bot-score)")
        )
        for name in ("http.request.body.raw", "http.request.body.form", "http.request.body.truncated",
                     "http.request.body.size", "http.request.body.mime"):
            fields[name] = unknown("depends on the request body")
        return fields


def _args(query: str) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        out.setdefault(key, []).append(value.encode())
    return out


def _extension(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def parse_header(text: str, option: str = "--header") -> tuple[str, str]:
    """``'Name: value'`` → (name, value)."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or any(c in name for c in " \t"):
        raise RequestError(f"{option} {text!r}: expected 'Name: value'")
    return name.strip(), value.strip()


def parse_cookie(text: str) -> list[tuple[str, str]]:
    """``'a=1; b=2'`` → [(a, 1), (b, 2)]."""
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, equals, value = part.partition("=")
        if not equals or not name.strip():
            raise RequestError(f"--cookie {text!r}: expected 'name=value'")
        out.append((name.strip(), value.strip()))
    return out


def describe_request(**values: Any) -> RequestDescription:
    """A validated ``RequestDescription``; a bad value is a ``RequestError`` naming it."""
    try:
        return RequestDescription(**values)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem.get("loc", ())) or "request"
        message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
        raise RequestError(f"{_OPTION.get(where, where)}: {message}") from None


_OPTION = {"url": "--url", "method": "--method", "ip": "--ip", "country": "--country", "asn": "--asn",
           "bot_score": "--bot-score"}
