"""A small evaluator of filter expressions over concrete sample requests, independent of the
narrowing proof: the semantic oracle for the suggestion property tests.

It covers the subset of the language the generated rules use (host, path, URI, query, method,
source address, user agent, mTLS; eq ne contains wildcard in starts_with ends_with; literal and
named lists) and raises ``Unsupported`` for anything else, so a test never passes by skipping
what it cannot judge. ``samples(tree)`` builds the request grid, with paths made from the
expression's own path literals so that combinations of path conditions have witnesses.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass
from typing import Callable

from rulelint.language import ast


class Unsupported(Exception):
    pass


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    query: str
    method: str
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    user_agent: str
    mtls: bool

    @property
    def uri(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


FIELDS: dict[str, Callable[[Request], object]] = {
    "http.host": lambda r: r.host.encode(),
    "http.request.uri.path": lambda r: r.path.encode(),
    "http.request.uri": lambda r: r.uri.encode(),
    "http.request.uri.query": lambda r: r.query.encode(),
    "http.request.full_uri": lambda r: f"https://{r.host}{r.uri}".encode(),
    "http.request.method": lambda r: r.method.encode(),
    "http.user_agent": lambda r: r.user_agent.encode(),
    "ip.src": lambda r: r.ip,
    "cf.tls_client_auth.cert_verified": lambda r: r.mtls,
}
PATH_FIELDS = ("http.request.uri.path",)

# Named lists the generated rules use; any other name is a list a suggestion asks the user to
# create, which holds some of the sample addresses and not others.
NAMED_LISTS = {
    "stripe_ips": ["203.0.113.0/24"],
    "cf.open_proxies": ["198.51.100.0/24"],
}
NEW_LIST = ["192.0.2.0/25"]

HOSTS = ("api.example.com", "www.example.net")
PATHS = ("/", "/admin/export", "/x/admin/export/y", "/hooks/", "/x/hooks/a", "/api/v1", "/webhooks/stripe")
METHODS = ("GET", "POST")
ADDRESSES = tuple(ipaddress.ip_address(a) for a in ("192.0.2.5", "192.0.2.200", "198.51.100.7", "198.51.100.9", "203.0.113.9"))
USER_AGENTS = ("Stripe/1.0", "curl/8.5")
QUERIES = ("", "next=/webhook")


def samples(tree: ast.Node) -> tuple[Request, ...]:
    """The request grid for ``tree``: every combination of the values above, with the paths
    extended by the expression's path literals, alone, nested and concatenated."""
    literals = sorted(
        {
            n.value.decode()
            for n in ast.walk(tree)
            if isinstance(n, ast.StringLit) and n.value.startswith(b"/")
        }
        | _path_arguments(tree)
    )
    paths = set(PATHS)
    for a in literals:
        paths.update({a, f"/x{a}/y", a + "z"})
        for b in literals:
            paths.update({a + b, a.rstrip("/") + b})
    return tuple(
        Request(host, path, query, method, ip, ua, mtls)
        for host, path, query, method, ip, ua, mtls in itertools.product(
            HOSTS, sorted(paths), QUERIES, METHODS, ADDRESSES, USER_AGENTS, (False, True)
        )
    )


def _path_arguments(tree: ast.Node) -> set[str]:
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Comparison) and isinstance(n.lhs, ast.Field) and n.lhs.name in PATH_FIELDS:
            if isinstance(n.rhs, ast.StringLit):
                out.add(n.rhs.value.decode())
    return out


def compile_filter(node: ast.Node) -> Callable[[Request], bool]:
    """``node`` as a predicate on requests."""
    if isinstance(node, ast.Group):
        return compile_filter(node.inner)
    if isinstance(node, ast.BoolConst):
        value = node.value
        return lambda r: value
    if isinstance(node, ast.Not):
        inner = compile_filter(node.operand)
        return lambda r: not inner(r)
    if isinstance(node, ast.Logical):
        items = [compile_filter(item) for item in node.items]
        if node.op == "and":
            return lambda r: all(f(r) for f in items)
        if node.op == "or":
            return lambda r: any(f(r) for f in items)
        if node.op == "xor":
            return lambda r: sum(f(r) for f in items) % 2 == 1
    if isinstance(node, ast.Field) and node.name == "cf.tls_client_auth.cert_verified":
        return FIELDS[node.name]
    if isinstance(node, ast.Comparison):
        return _comparison(_field(node.lhs), node.op, node.rhs)
    if isinstance(node, ast.Call) and node.name in ("starts_with", "ends_with") and len(node.args) == 2:
        get, arg = _field(node.args[0]), node.args[1]
        if isinstance(arg, ast.StringLit):
            text = arg.value
            if node.name == "starts_with":
                return lambda r: get(r).startswith(text)
            return lambda r: get(r).endswith(text)
    raise Unsupported(repr(node))


def _field(node: ast.Node) -> Callable[[Request], object]:
    if isinstance(node, ast.Field) and node.name in FIELDS:
        return FIELDS[node.name]
    raise Unsupported(repr(node))


def _networks(items) -> list:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(ipaddress.ip_network(item))
        elif isinstance(item, ast.IpLit):
            text = item.address if item.prefix is None else f"{item.address}/{item.prefix}"
            out.append(ipaddress.ip_network(text, strict=False))
        elif isinstance(item, ast.RangeLit):
            out.extend(
                ipaddress.summarize_address_range(
                    ipaddress.ip_address(item.low.address), ipaddress.ip_address(item.high.address)
                )
            )
        else:
            raise Unsupported(repr(item))
    return out


def _comparison(get, op: str, rhs: ast.Node) -> Callable[[Request], bool]:
    if isinstance(rhs, ast.StringLit):
        text = rhs.value
        if op == "eq":
            return lambda r: get(r) == text
        if op == "ne":
            return lambda r: get(r) != text
        if op == "contains":
            return lambda r: text in get(r)
        if op == "wildcard":  # only * is special; case-insensitive
            pattern = re.compile(
                b".*".join(re.escape(part) for part in text.lower().split(b"*")), re.DOTALL
            )
            return lambda r: pattern.fullmatch(get(r).lower()) is not None
    if op == "in" and isinstance(rhs, ast.ListLit):
        if all(isinstance(i, ast.StringLit) for i in rhs.items):
            values = {i.value for i in rhs.items}
            return lambda r: get(r) in values
        networks = _networks(rhs.items)
        return lambda r: any(get(r) in n for n in networks)
    if op == "in" and isinstance(rhs, ast.NamedList):
        networks = _networks(NAMED_LISTS.get(rhs.name, NEW_LIST))
        return lambda r: any(get(r) in n for n in networks)
    raise Unsupported(f"{op} {rhs!r}")


def matched(node: ast.Node, grid: tuple[Request, ...]) -> frozenset[Request]:
    """The requests of ``grid`` that ``node`` matches."""
    predicate = compile_filter(node)
    return frozenset(r for r in grid if predicate(r))
