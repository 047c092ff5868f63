"""Scopes anyone can fake: the conditions of an exception that look like they decide who gets
it, but that the client chooses, and the source restrictions that hold few people out.

The client writes its user agent, headers, cookies, referer and query string as it pleases;
``http.request.uri`` and ``http.request.full_uri`` hold the query string, so a ``contains``,
``matches`` or ``wildcard`` needle fits in it (``/?x=/healthz`` contains ``/healthz``)
(rules-language/fields/uri). Weak sources (cloudflare-facts, "Source restrictions that hold few
people out"): ``cf.verified_bot_category eq ""`` selects every request that is *not* a verified
bot; the Monitoring & Analytics, Page Preview, Security and Webhooks bots fetch URLs their own
customers choose; a public cloud's ASN is shared with every tenant of that cloud; a bare
``cf.tls_client_auth.cert_verified`` is also true for a revoked certificate.

A disjunct of an exception's scope is *spoofable* when it has no strong source and at least
one such gate. ``spoofable-scope`` reports those; ``owned_by_spoofable_scope`` tells broad-skip
and missing-ip-scope which exemptions it reports, so they do not report them a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language import ast
from .scope import is_attacker_field, literal_text

if TYPE_CHECKING:  # pragma: no cover
    from .scope import Condition, Disjunct, Scope

# How a message goes on after quoting a weak source (the scope analysis says which is weak).
_WEAK_CLAUSES = {
    "not_verified_bot": "which selects every request that is not a verified bot",
    "customer_directed_bot": "whose verified bots fetch URLs their own customers choose",
    "public_cloud_asn": "the network of a public cloud, shared with every tenant of that cloud",
    "bare_mtls": "which is also true for a revoked certificate",
}
FULL_URI_FIELDS = frozenset(
    {"http.request.uri", "http.request.full_uri", "raw.http.request.uri", "raw.http.request.full_uri"}
)
_SEARCH_OPS = frozenset({"contains", "matches", "wildcard", "strict_wildcard"})


@dataclass(frozen=True)
class Gate:
    """One condition that seems to decide who gets the exception but does not."""

    condition: Condition
    words: str  # what it tests and why it holds no one out
    bare_mtls: bool = False  # fixed by adding ``not cf.tls_client_auth.cert_revoked``
    uri_needle: str | None = None  # a path searched for in the full URI


def gates(disjunct: Disjunct) -> list[Gate]:
    """The client-chosen conditions and weak sources of ``disjunct``; empty when it has a
    strong source (then it is not spoofable) or no such gate. Which sources are weak is the
    scope analysis's verdict (``scope.weakness``), shared with broad-skip and missing-ip-scope."""
    if disjunct.has_source:
        return []
    found = [
        Gate(cond, f"`{_printed(cond.node)}`, {_WEAK_CLAUSES.get(cond.strength, 'a weak source')}",
             bare_mtls=cond.strength == "bare_mtls")
        for cond in disjunct.weak_sources
    ]
    for cond in disjunct.attacker:
        gate = _client_chosen(cond)
        if gate is not None:
            found.append(gate)
    return found


def spoofable(disjunct: Disjunct) -> bool:
    return bool(gates(disjunct))


def owned_by_spoofable_scope(scope: Scope) -> bool:
    """Whether spoofable-scope reports the exemption of ``scope`` and nothing else is wrong
    with its traffic's source: some disjunct is spoofable and every other has a strong source.
    broad-skip and missing-ip-scope skip such an exemption (one finding per cause)."""
    if not scope.complete or scope.always_true:
        return False
    if not any(spoofable(d) for d in scope.disjuncts):
        return False
    return all(spoofable(d) or d.has_source for d in scope.disjuncts)


def _printed(node: ast.Node) -> str:
    from ..language import print_expression

    try:
        return print_expression(node)
    except Exception:  # a printer fault must not hide the finding
        return "a condition"


def _client_chosen(cond: Condition) -> Gate | None:
    if cond.strength == "managed_list" or cond.negated:
        return None  # a hostile-source list (missing-ip-scope's case); a negation holds no one in
    node = cond.node
    name = cond.field or next((f for f in _fields(node) if is_attacker_field(f)), None)
    if name is None:
        return None
    if name in FULL_URI_FIELDS:
        if not (isinstance(node, ast.Comparison) and node.op in _SEARCH_OPS):
            return None  # an exact full URI is a path and a query, not a gate anyone can fake
        needle = literal_text(node.rhs) if node.op == "contains" else None
        path = needle if needle and needle.startswith("/") and "?" not in needle and "#" not in needle else None
        return Gate(
            cond,
            f"`{_printed(node)}`, which the query string can satisfy on any path",
            uri_needle=path,
        )
    return Gate(cond, f"`{_printed(node)}`, {_field_words(name)}")


def _field_words(name: str) -> str:
    if name == "http.user_agent":
        return "a user agent any client can send"
    if name == "http.referer":
        return "a referer any client can send"
    if name == "http.cookie" or name.startswith("http.request.cookies"):
        return "a cookie any client can send"
    if "query" in name or ".args" in name:
        return "a query string any client can send"
    if name.startswith("http.request.body"):
        return "a request body any client can send"
    return "a request header any client can send"


def _fields(node: ast.Node) -> list[str]:
    return [n.name for n in ast.walk(node) if isinstance(n, ast.Field)]
