"""What traffic a filter expression lets through: the scope analysis the checks share.

A rule that turns security off is only as safe as the traffic it matches. ``analyse_scope``
brings an expression's syntax tree to a disjunction of conjunctions (bounded: past
``MAX_DISJUNCTS`` it stops and says so) and records, for every disjunct, what restricts the
matching traffic: host, path, method, source, and the attacker-controlled conditions that
look like restrictions but are not (user agent, headers, cookies, query string, full URI,
referer). Checks ask the resulting ``Scope`` questions ("is some disjunct always true?",
"which disjuncts have no source restriction?") instead of walking trees themselves.

Usage::

    scope = analyse_scope(parsed.tree)
    for disjunct in scope.disjuncts:
        disjunct.has_source, disjunct.host, disjunct.path, disjunct.attacker_only
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..language import ast

MAX_DISJUNCTS = 256

# -- what each field restricts ----------------------------------------------------------------

HOST_FIELDS = frozenset({"http.host"})
PATH_FIELDS = frozenset({"http.request.uri.path", "raw.http.request.uri.path"})
METHOD_FIELDS = frozenset({"http.request.method"})
IP_FIELDS = frozenset({"ip.src"})
ASN_FIELDS = frozenset({"ip.src.asnum", "ip.geoip.asnum"})
MTLS_FIELDS = frozenset({"cf.tls_client_auth.cert_verified"})
# Conditions that make a verified client certificate a real restriction: it was not revoked,
# or it is one certificate (fingerprint, key identifier). cert_verified alone is also true for
# a valid certificate that was revoked (api-shield/security/mtls/configure).
MTLS_REVOKED_FIELD = "cf.tls_client_auth.cert_revoked"
MTLS_PINNING_FIELDS = frozenset(
    {
        "cf.tls_client_auth.cert_fingerprint_sha256",
        "cf.tls_client_auth.cert_fingerprint_sha1",
        "cf.tls_client_auth.cert_ski",
        "cf.tls_client_auth.cert_issuer_ski",
    }
)
VERIFIED_BOT_FIELDS = frozenset(
    {"cf.client.bot", "cf.verified_bot_category", "cf.bot_management.verified_bot"}
)
# Fields whose value the client writes as it pleases: a condition on them holds no one out.
ATTACKER_FIELDS = frozenset(
    {
        "http.user_agent",
        "http.referer",
        "http.cookie",
        "http.x_forwarded_for",
        "http.request.uri",
        "http.request.full_uri",
        "http.request.uri.query",
        "http.request.uri.args",
        "http.request.uri.args.names",
        "http.request.uri.args.values",
        "raw.http.request.uri",
        "raw.http.request.full_uri",
        "raw.http.request.uri.query",
        "raw.http.request.uri.args",
        "raw.http.request.uri.args.names",
        "raw.http.request.uri.args.values",
        "http.request.cookies",
        "http.request.headers",
        "http.request.headers.names",
        "http.request.headers.values",
        "http.request.accepted_languages",
    }
)
ATTACKER_PREFIXES = ("http.request.body.", "http.request.headers.", "http.request.uri.args.")

# -- sources that hold few clients out ----------------------------------------------------------
# A condition on who sends the request can still let nearly anyone through. These are counted
# as ``weak`` sources, never as source restrictions (cloudflare-facts.md, "Source restrictions
# that hold few people out"); ``weakness`` says why, in words a message can quote.

VERIFIED_BOT_CATEGORY_FIELD = "cf.verified_bot_category"
# Verified-bot categories whose bots fetch URLs their own customers choose
# (bots/reference/verified-bot-categories): anyone can point a monitoring service, a link
# previewer, a vulnerability scanner or a webhook sender at any URL.
CUSTOMER_DIRECTED_BOT_CATEGORIES = frozenset(
    {"monitoring & analytics", "page preview", "security", "webhooks"}
)
# Autonomous systems of public clouds and hosting providers: every tenant of the cloud sends
# from them, so an ASN condition admits anyone who rents a machine there.
PUBLIC_CLOUD_ASNS = {
    16509: "Amazon Web Services",
    14618: "Amazon Web Services",
    8987: "Amazon Web Services",
    15169: "Google",
    396982: "Google Cloud",
    8075: "Microsoft Azure",
    31898: "Oracle Cloud",
    14061: "DigitalOcean",
    63949: "Akamai Connected Cloud (Linode)",
    16276: "OVHcloud",
    24940: "Hetzner",
    20473: "Vultr",
    45102: "Alibaba Cloud",
    132203: "Tencent Cloud",
    13335: "Cloudflare (Workers and WARP)",
}

WEAKNESS_WORDS = {
    "not_verified_bot": 'cf.verified_bot_category eq "" selects every request that is not a verified bot',
    "customer_directed_bot": (
        "verified bots of the Monitoring & Analytics, Page Preview, Security and Webhooks "
        "categories fetch URLs their own customers choose, so anyone can send them here"
    ),
    "public_cloud_asn": "the ASNs of public clouds ({names}) are shared with every tenant of the cloud",
    "bare_mtls": (
        "cf.tls_client_auth.cert_verified is also true for a revoked certificate; pair it with "
        "not cf.tls_client_auth.cert_revoked or a fingerprint condition"
    ),
}


def weakness(condition: "Condition") -> str:
    """Why a ``weak`` source condition holds few clients out, in words (empty for others)."""
    if condition.kind != "weak":
        return ""
    words = WEAKNESS_WORDS.get(condition.strength, "")
    if condition.strength == "public_cloud_asn":
        names = []
        for number in _asn_numbers(condition.node):
            name = PUBLIC_CLOUD_ASNS.get(number)
            if name and name not in names:
                names.append(name)
        words = words.format(names=", ".join(names) or "a public cloud")
    return words


def _asn_numbers(node: ast.Node) -> list[int]:
    if not isinstance(node, ast.Comparison):
        return []
    items = node.rhs.items if isinstance(node.rhs, ast.ListLit) else (node.rhs,)
    return [item.value for item in items if isinstance(item, ast.IntLit)]


def _strings(node: ast.Node) -> list[str] | None:
    """The string values a comparison tests (``eq "x"`` or ``in {"x" "y"}``), lowercased."""
    if not isinstance(node, ast.Comparison):
        return None
    items = node.rhs.items if isinstance(node.rhs, ast.ListLit) else (node.rhs,)
    texts = [literal_text(item) for item in items]
    if any(text is None for text in texts):
        return None
    return [text.lower() for text in texts]


def _verified_bot_weakness(node: ast.Node, name: str, fetchers_weak: bool) -> str | None:
    """``not_verified_bot`` / ``customer_directed_bot`` for a verified-bot category test that
    admits anyone, else None."""
    if name != VERIFIED_BOT_CATEGORY_FIELD:
        return None
    values = _strings(node)
    if values is None:
        return None
    if "" in values:
        return "not_verified_bot"
    if fetchers_weak and any(value in CUSTOMER_DIRECTED_BOT_CATEGORIES for value in values):
        return "customer_directed_bot"
    return None


# Operators that match a set of values (a restriction); others (ne, lt, …) do not restrict.
_EXACT_OPS = frozenset({"eq", "in"})
_PATTERN_OPS = frozenset({"wildcard", "strict_wildcard", "matches"})
# Functions applied to a field that keep what the field restricts (lower(http.host) eq "x").
_TRANSPARENT_CALLS = frozenset({"lower", "upper", "url_decode", "remove_bytes"})

KINDS = ("host", "path", "method", "source", "attacker", "other")


@dataclass(frozen=True, slots=True)
class Condition:
    """One atom of a disjunct and what it restricts.

    ``kind`` is ``host``, ``path``, ``method``, ``source``, ``attacker`` (looks like a
    restriction but the client controls it) or ``other``. ``strength`` grades host and path
    restrictions: ``exact`` (eq/in), ``prefix`` (starts_with), ``pattern`` (wildcard, regex),
    ``suffix`` (ends_with), ``broad`` (contains). For sources it names the mechanism: ``ip``,
    ``ip_list`` (named list), ``asn``, ``mtls``, ``verified_bot``. ``weak`` is a source
    condition that holds few clients out (see ``weakness``); its strength says which:
    ``not_verified_bot``, ``customer_directed_bot``, ``public_cloud_asn``, ``bare_mtls``.
    ``negated`` atoms never
    restrict (``not ip.src in {…}`` lets every other address through). A Cloudflare Managed IP
    List (``ip.src in $cf.vpn``) is ``attacker`` with strength ``managed_list``; a literal list
    covering nearly every address (``{0.0.0.0/1 128.0.0.0/1}``) is ``other``.
    """

    node: ast.Node
    negated: bool
    kind: str
    strength: str = ""
    field: str = ""

    @property
    def restricts(self) -> bool:
        return self.kind in ("host", "path", "method", "source")


@dataclass(frozen=True, slots=True)
class Disjunct:
    """One conjunction of the disjunctive normal form."""

    conditions: tuple[Condition, ...]
    # kind -> the conditions of that kind, in order: every property below asks, often.
    _by_kind: dict[str, tuple[Condition, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_kind: dict[str, list[Condition]] = {}
        for condition in self.conditions:
            by_kind.setdefault(condition.kind, []).append(condition)
        object.__setattr__(self, "_by_kind", {kind: tuple(items) for kind, items in by_kind.items()})

    def of_kind(self, kind: str) -> tuple[Condition, ...]:
        return self._by_kind.get(kind, ())

    @property
    def always_true(self) -> bool:
        """No condition at all: every request matches this disjunct."""
        return not self.conditions

    @property
    def host(self) -> tuple[Condition, ...]:
        return self.of_kind("host")

    @property
    def path(self) -> tuple[Condition, ...]:
        return self.of_kind("path")

    @property
    def method(self) -> tuple[Condition, ...]:
        return self.of_kind("method")

    @property
    def sources(self) -> tuple[Condition, ...]:
        return self.of_kind("source")

    @property
    def attacker(self) -> tuple[Condition, ...]:
        return self.of_kind("attacker")

    @property
    def weak_sources(self) -> tuple[Condition, ...]:
        """Source conditions that hold few clients out (see ``weakness``)."""
        return self.of_kind("weak")

    @property
    def has_source(self) -> bool:
        """Whether a source restriction holds (a weak source is none)."""
        return bool(self.sources)

    @property
    def has_method(self) -> bool:
        return bool(self.method)

    @property
    def path_exact(self) -> bool:
        return any(c.strength == "exact" for c in self.path)

    @property
    def attacker_only(self) -> bool:
        """Held only by conditions the client controls (user agent, headers, query, …)."""
        return bool(self.attacker) and not any(c.restricts for c in self.conditions)

    @property
    def breadth(self) -> str | None:
        """Why this disjunct's traffic is broad for a rule that turns security off, or None.

        ``always`` (matches everything), ``unrestricted`` (no host, path or source — at most
        a method or attacker-controlled conditions), ``host`` (host-wide), ``path-pattern``
        (a path that is not exact, without method or source).
        """
        if self.always_true:
            return "always"
        if self.has_source:
            return None
        if not self.host and not self.path:
            return "unrestricted"
        if not self.path:
            return "host"
        if not self.path_exact and not self.has_method:
            return "path-pattern"
        return None


@dataclass(frozen=True, slots=True)
class Scope:
    """The analysis of one filter expression.

    ``complete`` is False when the normal form grew past ``MAX_DISJUNCTS``: then
    ``disjuncts`` holds one always-true disjunct, the conservative answer, and ``note`` says so.
    """

    disjuncts: tuple[Disjunct, ...]
    complete: bool = True
    note: str | None = None

    @property
    def always_true(self) -> bool:
        return any(d.always_true for d in self.disjuncts)

    @property
    def never_matches(self) -> bool:
        return not self.disjuncts

    def unscoped(self) -> tuple[Disjunct, ...]:
        """The disjuncts with no source restriction."""
        return tuple(d for d in self.disjuncts if not d.has_source)

    def broad(self) -> tuple[Disjunct, ...]:
        return tuple(d for d in self.disjuncts if d.breadth is not None)


# -- classification ---------------------------------------------------------------------------


def base_field(node: ast.Node) -> str | None:
    """The field a value reads: ``http.host`` for ``lower(http.host)`` or
    ``http.request.headers["x"][0]``; None for other calls and literals."""
    while True:
        if isinstance(node, ast.Field):
            return node.name
        if isinstance(node, ast.Index):
            node = node.target
            continue
        if isinstance(node, ast.Call) and node.name in _TRANSPARENT_CALLS and node.args:
            node = node.args[0]
            continue
        return None


def fields_in(node: ast.Node) -> list[str]:
    return [n.name for n in ast.walk(node) if isinstance(n, ast.Field)]


def is_attacker_field(name: str) -> bool:
    return name in ATTACKER_FIELDS or name.startswith(ATTACKER_PREFIXES)


# A literal list covering this share of an address family or more holds no one out: at least
# 2**25 IPv4 addresses (a /7 — every single /8 allocation stays a restriction) or 2**112 IPv6
# addresses (a /16), summed over the list's items without double counting.
NEAR_EVERYTHING = {4: 2**25, 6: 2**112}
# Cloudflare's Managed IP Lists (waf/tools/lists/managed-lists): open proxies, anonymizers,
# VPNs, malware and botnet command-and-control sources. Lists of hostile sources any client can
# route through, so ``ip.src in $cf.vpn`` is not an allowlist.
MANAGED_LIST_PREFIX = "cf."


def is_managed_list(rhs: ast.Node) -> bool:
    """``$cf.open_proxies``, ``$cf.anonymizer``, ``$cf.vpn``, ``$cf.malware``, ``$cf.botnetcc``…"""
    return isinstance(rhs, ast.NamedList) and rhs.name.startswith(MANAGED_LIST_PREFIX)


def _list_is_everything(rhs: ast.Node) -> bool:
    """Whether a literal IP list covers (nearly) a whole address family (see NEAR_EVERYTHING)."""
    import ipaddress

    if not isinstance(rhs, ast.ListLit):
        return False
    networks: dict[int, list] = {4: [], 6: []}
    for item in rhs.items:
        try:
            if isinstance(item, ast.IpLit):
                text = item.address if item.prefix is None else f"{item.address}/{item.prefix}"
                network = ipaddress.ip_network(text, strict=False)
                networks[network.version].append(network)
            elif isinstance(item, ast.RangeLit) and isinstance(item.low, ast.IpLit) and isinstance(item.high, ast.IpLit):
                low = ipaddress.ip_address(item.low.address)
                high = ipaddress.ip_address(item.high.address)
                if low.version == high.version and low <= high:
                    networks[low.version].extend(ipaddress.summarize_address_range(low, high))
        except ValueError:
            continue
    for version, items in networks.items():
        if items and sum(n.num_addresses for n in ipaddress.collapse_addresses(items)) >= NEAR_EVERYTHING[version]:
            return True
    return False


def classify(node: ast.Node, negated: bool = False, fetchers_weak: bool = False) -> Condition:
    """What one atom restricts. ``fetchers_weak``: the rule turns off managed rules or rate
    limiting, so verified bots that fetch URLs their customers choose are weak sources."""
    if negated:
        return Condition(node, True, "attacker" if _touches_attacker(node) else "other")
    if isinstance(node, ast.Comparison):
        name = base_field(node.lhs)
        op = node.op
        if name is None:
            return Condition(node, False, "attacker" if _touches_attacker(node) else "other")
        if name in HOST_FIELDS:
            if op in _EXACT_OPS:
                return Condition(node, False, "host", "exact", name)
            if op in _PATTERN_OPS:
                return Condition(node, False, "host", "pattern", name)
            if op == "contains":
                return Condition(node, False, "host", "broad", name)
        elif name in PATH_FIELDS:
            if op in _EXACT_OPS:
                return Condition(node, False, "path", "exact", name)
            if op in _PATTERN_OPS:
                return Condition(node, False, "path", "pattern", name)
            if op == "contains":
                return Condition(node, False, "path", "broad", name)
        elif name in METHOD_FIELDS:
            if op in _EXACT_OPS:
                return Condition(node, False, "method", "exact", name)
        elif name in IP_FIELDS:
            if op == "eq":
                return Condition(node, False, "source", "ip", name)
            if op == "in" and is_managed_list(node.rhs):
                return Condition(node, False, "attacker", "managed_list", name)
            if op == "in" and isinstance(node.rhs, ast.NamedList):
                return Condition(node, False, "source", "ip_list", name)
            if op == "in" and isinstance(node.rhs, ast.ListLit):
                if not node.rhs.items:
                    return Condition(node, False, "never", "", name)
                if not _list_is_everything(node.rhs):
                    return Condition(node, False, "source", "ip", name)
        elif name in ASN_FIELDS:
            if op in _EXACT_OPS:
                if any(number in PUBLIC_CLOUD_ASNS for number in _asn_numbers(node)):
                    return Condition(node, False, "weak", "public_cloud_asn", name)
                return Condition(node, False, "source", "asn", name)
        elif name in VERIFIED_BOT_FIELDS:
            if op in _EXACT_OPS:
                weak = _verified_bot_weakness(node, name, fetchers_weak)
                if weak is not None:
                    return Condition(node, False, "weak", weak, name)
                return Condition(node, False, "source", "verified_bot", name)
        if op == "in" and isinstance(node.rhs, ast.ListLit) and not node.rhs.items:
            return Condition(node, False, "never", "", name)
        if is_attacker_field(name):
            return Condition(node, False, "attacker", "", name)
        return Condition(node, False, "other", "", name)
    if isinstance(node, ast.Field):
        if node.name in MTLS_FIELDS:
            return Condition(node, False, "source", "mtls", node.name)
        if node.name in VERIFIED_BOT_FIELDS:
            return Condition(node, False, "source", "verified_bot", node.name)
        return Condition(node, False, "other", "", node.name)
    if isinstance(node, ast.Call) and node.name in ("starts_with", "ends_with") and node.args:
        name = base_field(node.args[0])
        strength = "prefix" if node.name == "starts_with" else "suffix"
        if name in HOST_FIELDS:
            return Condition(node, False, "host", strength, name)
        if name in PATH_FIELDS:
            return Condition(node, False, "path", "prefix" if strength == "prefix" else "pattern", name)
        if name is not None and is_attacker_field(name):
            return Condition(node, False, "attacker", "", name)
    return Condition(node, False, "attacker" if _touches_attacker(node) else "other")


def _touches_attacker(node: ast.Node) -> bool:
    return any(is_attacker_field(name) for name in fields_in(node))


# -- normal form ------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


_TRUE = frozenset()  # the empty conjunction


def _strip(node: ast.Node) -> ast.Node:
    while isinstance(node, ast.Group):
        node = node.inner
    return node


def _dnf(node: ast.Node, negated: bool) -> list[frozenset[tuple[ast.Node, bool]]]:
    """The DNF of ``node`` (negated when asked) as a list of conjunctions of literals.

    A literal is ``(atom, negated)``. ``true`` is ``[∅]``, ``false`` is ``[]``.
    """
    node = _strip(node)
    if isinstance(node, ast.BoolConst):
        return [_TRUE] if node.value != negated else []
    if isinstance(node, ast.Not):
        return _dnf(node.operand, not negated)
    if isinstance(node, ast.Logical):
        op = node.op
        if op == "xor":
            return _dnf(_xor_expand(node.items), negated)
        conjunctive = (op == "and") != negated
        parts = [_dnf(item, negated) for item in node.items]
        if conjunctive:
            result = [_TRUE]
            for part in parts:
                result = _product(result, part)
            return result
        merged: list[frozenset] = []
        for part in parts:
            merged.extend(part)
            if len(merged) > MAX_DISJUNCTS:
                raise _TooLarge
        return merged
    return [frozenset({(node, negated)})]


def _xor_expand(items: tuple[ast.Node, ...]) -> ast.Node:
    """``a xor b`` as ``(a and not b) or (not a and b)``, folded left over n items."""
    left = items[0]
    for right in items[1:]:
        left = ast.Logical(
            "or",
            (
                ast.Logical("and", (left, ast.Not(right))),
                ast.Logical("and", (ast.Not(left), right)),
            ),
        )
    return left


def _product(left: list[frozenset], right: list[frozenset]) -> list[frozenset]:
    if len(left) * len(right) > MAX_DISJUNCTS:
        raise _TooLarge
    return [a | b for a in left for b in right]


def _simplify(conjunctions: list[frozenset]) -> list[frozenset]:
    """Drop contradictory conjunctions, duplicates and subsumed ones; merge ``A∧x ∨ A∧¬x``
    into ``A`` (so ``x or not x`` is always true)."""
    alive: list[frozenset] = []
    for conj in conjunctions:
        # x and not x (only possible when the conjunction has literals of both polarities)
        if len({neg for _, neg in conj}) == 2 and any((atom, not neg) in conj for atom, neg in conj):
            continue
        if conj not in alive:
            alive.append(conj)
    changed = len(alive) > 1
    while changed:
        changed = False
        keep = [c for c in alive if not any(o < c for o in alive)]
        if len(keep) != len(alive):
            alive, changed = keep, True
        for i, a in enumerate(alive):
            for b in alive[i + 1 :]:
                if len(a) != len(b):
                    continue  # no subset remains, so a ^ b has two items only between equal sizes
                diff = a ^ b
                if len(diff) == 2:
                    (x, xn), (y, yn) = sorted(diff, key=lambda lit: lit[1])
                    if x == y and xn != yn:
                        merged = a - diff
                        alive = [c for c in alive if c not in (a, b)] + [merged]
                        changed = True
                        break
            if changed:
                break
    return alive


def _string_test(atom: ast.Node) -> tuple[ast.Node, str, bytes | frozenset] | None:
    """(field read, operator, literal) of ``F eq "s"``, ``F contains "s"``, ``F in {"a" "b"}``,
    ``starts_with(F, "s")`` and ``ends_with(F, "s")`` on a plain field; None otherwise."""
    if isinstance(atom, ast.Comparison) and isinstance(atom.lhs, ast.Field):
        if atom.op in ("eq", "contains") and isinstance(atom.rhs, ast.StringLit):
            return atom.lhs, atom.op, atom.rhs.value
        if atom.op == "in" and isinstance(atom.rhs, ast.ListLit) and atom.rhs.items and all(
            isinstance(i, ast.StringLit) for i in atom.rhs.items
        ):
            return atom.lhs, "in", frozenset(i.value for i in atom.rhs.items)
    if (
        isinstance(atom, ast.Call)
        and atom.name in ("starts_with", "ends_with")
        and len(atom.args) == 2
        and isinstance(atom.args[0], ast.Field)
        and isinstance(atom.args[1], ast.StringLit)
    ):
        return atom.args[0], atom.name, atom.args[1].value
    return None


def _contradictory(conj: frozenset[tuple[ast.Node, bool]]) -> bool:
    """Whether the positive string tests of a conjunction cannot all hold: two different
    ``eq`` values of one field, or an ``eq`` value that fails its field's ``contains``,
    ``starts_with``, ``ends_with`` or ``in`` (``path contains "/a" and path eq "/b"``)."""
    tests = [t for t in (_string_test(atom) for atom, negated in conj if not negated) if t]
    exact: dict[ast.Node, bytes] = {}
    for lhs, op, value in tests:
        if op == "eq":
            if exact.setdefault(lhs, value) != value:
                return True
    for lhs, op, value in tests:
        known = exact.get(lhs)
        if known is None or op == "eq":
            continue
        if op == "contains" and value not in known:
            return True
        if op == "starts_with" and not known.startswith(value):
            return True
        if op == "ends_with" and not known.endswith(value):
            return True
        if op == "in" and known not in value:
            return True
    return False


def _to_conditions(
    conj: frozenset[tuple[ast.Node, bool]], fetchers_weak: bool = False
) -> tuple[Condition, ...] | None:
    """Classify a conjunction; None when it can never match (``ip.src in {}``,
    ``path eq "/a" and path eq "/b"``)."""
    if len(conj) > 1 and _contradictory(conj):
        return None
    pinned = _certificate_pinned(conj)
    out = []
    for atom, negated in conj:
        cond = classify(atom, negated, fetchers_weak)
        if cond.strength == "mtls" and not pinned:
            cond = Condition(cond.node, False, "weak", "bare_mtls", cond.field)
        if cond.kind == "never" and not negated:
            return None
        if negated and _is_empty_in(atom):
            continue  # not x in {} is always true
        out.append(cond)
    if len({cond.node.span.start for cond in out}) == len(out):
        return tuple(sorted(out, key=_start))  # no ties: the printed form would not matter
    return tuple(sorted(out, key=_position))


def _certificate_pinned(conj: frozenset[tuple[ast.Node, bool]]) -> bool:
    """Whether a conjunction rules revoked certificates out (``not cert_revoked``) or names
    the certificate (fingerprint, key identifier)."""
    for atom, negated in conj:
        atom = _strip(atom)
        if negated and isinstance(atom, ast.Field) and atom.name == MTLS_REVOKED_FIELD:
            return True
        if negated or not isinstance(atom, ast.Comparison):
            continue
        name = base_field(atom.lhs)
        if name in MTLS_PINNING_FIELDS and atom.op in _EXACT_OPS:
            return True
        if name == MTLS_REVOKED_FIELD and atom.op == "eq" and isinstance(atom.rhs, ast.BoolConst) and not atom.rhs.value:
            return True
    return False


def _is_empty_in(atom: ast.Node) -> bool:
    return (
        isinstance(atom, ast.Comparison)
        and atom.op == "in"
        and isinstance(atom.rhs, ast.ListLit)
        and not atom.rhs.items
    )


def _position(cond: Condition) -> tuple[int, str]:
    return (cond.node.span.start, repr(cond.node))


def _start(cond: Condition) -> int:
    return cond.node.span.start


def analyse_scope(tree: ast.Node, fetchers_weak: bool = False) -> Scope:
    """The scope of a filter expression's tree (see the module docstring). ``fetchers_weak``:
    the rule turns off managed rules or rate limiting (see ``classify``)."""
    try:
        conjunctions = _simplify(_dnf(tree, False))
    except _TooLarge:
        return Scope(
            (Disjunct(()),),
            complete=False,
            note=f"the expression has more than {MAX_DISJUNCTS} alternatives once expanded; "
            "rulelint treated it as matching all traffic",
        )
    disjuncts = []
    for conj in conjunctions:
        conditions = _to_conditions(conj, fetchers_weak)
        if conditions is not None:
            disjuncts.append(Disjunct(conditions))
    return Scope(tuple(disjuncts))


def top_level_disjuncts(tree: ast.Node) -> tuple[ast.Node, ...]:
    """The items of a top-level ``or`` (groups stripped), or the tree itself."""
    tree = _strip(tree)
    if isinstance(tree, ast.Logical) and tree.op == "or":
        return tuple(_strip(item) for item in tree.items)
    return (tree,)


def conjuncts(node: ast.Node) -> tuple[ast.Node, ...]:
    """The items of a top-level ``and`` (groups stripped and nested ``and`` flattened)."""
    node = _strip(node)
    if isinstance(node, ast.Logical) and node.op == "and":
        out: list[ast.Node] = []
        for item in node.items:
            out.extend(conjuncts(item))
        return tuple(out)
    return (node,)


def literal_text(node: ast.Node) -> str | None:
    """The decoded text of a string literal (None for other nodes)."""
    if isinstance(node, ast.StringLit):
        return node.value.decode("utf-8", "replace")
    return None


def describe_values(conditions: Iterable[Condition]) -> list[str]:
    """Short human renderings of host/path conditions, for messages (``api.example.com``)."""
    out = []
    for cond in conditions:
        node = cond.node
        if isinstance(node, ast.Comparison):
            text = literal_text(node.rhs)
            if text is not None:
                out.append(text)
            elif isinstance(node.rhs, ast.ListLit):
                out.extend(t for t in (literal_text(i) for i in node.rhs.items) if t)
            elif isinstance(node.rhs, ast.RegexLit):
                out.append(node.rhs.pattern)
        elif isinstance(node, ast.Call) and len(node.args) > 1:
            text = literal_text(node.args[1])
            if text is not None:
                out.append(text)
    return out
