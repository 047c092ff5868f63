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
from .scope import base_field, is_attacker_field, literal_text

if TYPE_CHECKING:  # pragma: no cover
    from .scope import Condition, Disjunct, Scope

# Verified-bot categories that do not hold a client out: "" (not a verified bot at all) and the
# categories whose bots fetch URLs chosen by their own customers
# (bots/reference/verified-bot-categories).
WEAK_BOT_CATEGORIES = {
    "": "every request that is not a verified bot",
    "Monitoring & Analytics": "bots that fetch URLs their own customers choose",
    "Page Preview": "bots that fetch URLs their own customers choose",
    "Security": "bots that fetch URLs their own customers choose",
    "Webhooks": "bots that fetch URLs their own customers choose",
}
# Autonomous systems of public clouds: every tenant of the cloud sends from them.
PUBLIC_CLOUD_ASNS = {
    16509: "Amazon Web Services",
    14618: "Amazon Web Services",
    15169: "Google",
    396982: "Google Cloud",
    8075: "Microsoft Azure",
    14061: "DigitalOcean",
    24940: "Hetzner",
    16276: "OVH",
    63949: "Akamai Connected Cloud (Linode)",
    31898: "Oracle Cloud",
}
# What makes ``cert_verified`` a real source: the certificate is not revoked, or it is pinned.
MTLS_REVOKED = "cf.tls_client_auth.cert_revoked"
MTLS_PINNING_FIELDS = frozenset(
    {
        "cf.tls_client_auth.cert_fingerprint_sha256",
        "cf.tls_client_auth.cert_fingerprint_sha1",
        "cf.tls_client_auth.cert_ski",
    }
)
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
    strong source (then it is not spoofable) or no such gate."""
    found: list[Gate] = []
    strong = False
    for cond in disjunct.sources:
        gate = _weak_source(cond, disjunct)
        if gate is None:
            strong = True
        else:
            found.append(gate)
    if strong:
        return []
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
    return all(spoofable(d) or (d.has_source and not gates_if_weak(d)) for d in scope.disjuncts)


def gates_if_weak(disjunct: Disjunct) -> bool:
    """Whether every source of ``disjunct`` is weak (it has sources, none strong)."""
    return bool(disjunct.sources) and all(_weak_source(c, disjunct) is not None for c in disjunct.sources)


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


def _weak_source(cond: Condition, disjunct: Disjunct) -> Gate | None:
    node = cond.node
    if cond.strength == "verified_bot" and isinstance(node, ast.Comparison):
        if base_field(node.lhs) != "cf.verified_bot_category":
            return None
        values = [node.rhs] if node.op == "eq" else list(node.rhs.items) if isinstance(node.rhs, ast.ListLit) else []
        weak = [literal_text(v) for v in values if literal_text(v) in WEAK_BOT_CATEGORIES]
        if not weak:
            return None
        why = WEAK_BOT_CATEGORIES[weak[0]]
        return Gate(cond, f"`{_printed(node)}`, which selects {why}")
    if cond.strength == "asn" and isinstance(node, ast.Comparison):
        values = [node.rhs] if node.op == "eq" else list(node.rhs.items) if isinstance(node.rhs, ast.ListLit) else []
        numbers = [v.value for v in values if isinstance(v, ast.IntLit)]
        clouds = [n for n in numbers if n in PUBLIC_CLOUD_ASNS]
        if not clouds:
            return None
        return Gate(cond, f"`{_printed(node)}`, the network of {PUBLIC_CLOUD_ASNS[clouds[0]]}, shared with every tenant of that cloud")
    if cond.strength == "mtls":
        pinned = any(
            (c.negated and isinstance(c.node, ast.Field) and c.node.name == MTLS_REVOKED)
            or any(f in MTLS_PINNING_FIELDS for f in _fields(c.node))
            for c in disjunct.conditions
            if c is not cond
        )
        if pinned:
            return None
        return Gate(
            cond,
            "`cf.tls_client_auth.cert_verified` with neither a revocation nor a pinning condition, which is also true for a valid certificate that was revoked",
            bare_mtls=True,
        )
    return None
