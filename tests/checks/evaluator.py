"""Sample requests for the suggestion property tests, judged by rulelint's evaluator
(``rulelint.analysis.evaluate``), which is independent of the narrowing proof: the semantic
oracle for the suggestion property tests.

The grid sets host, path, URI, query, method, source address, user agent and mTLS; a condition
on anything else is Unknown to the evaluator and raises ``Unsupported``, so a test never passes
by skipping what it cannot judge. ``samples(tree)`` builds the request grid, with paths made
from the expression's own path literals so that combinations of path conditions have witnesses.
"""

from __future__ import annotations

import ipaddress
import itertools
from dataclasses import dataclass
from typing import Callable

from rulelint.analysis.evaluate import Environment, Unknown, evaluate
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


def environment(request: Request) -> Environment:
    """What rulelint's evaluator knows about a sample request: everything the grid sets, and
    the named lists (any list a suggestion asks the user to create holds ``NEW_LIST``)."""
    return Environment(
        fields={name: get(request) for name, get in FIELDS.items()},
        lists=_Lists(),
    )


class _Lists(dict):
    def __missing__(self, name: str) -> list[str]:
        return NAMED_LISTS.get(name, NEW_LIST)

    def __contains__(self, name: object) -> bool:
        return True


def compile_filter(node: ast.Node) -> Callable[[Request], bool]:
    """``node`` as a predicate on requests, by ``rulelint.analysis.evaluate``. A condition the
    grid cannot decide (a field it does not set) raises ``Unsupported``: a test never passes by
    skipping what it cannot judge."""

    def predicate(request: Request) -> bool:
        result = evaluate(node, environment(request))
        if isinstance(result, Unknown):
            raise Unsupported(f"{result.because}: {node!r}")
        return result

    return predicate


def matched(node: ast.Node, grid: tuple[Request, ...]) -> frozenset[Request]:
    """The requests of ``grid`` that ``node`` matches."""
    predicate = compile_filter(node)
    return frozenset(r for r in grid if predicate(r))
