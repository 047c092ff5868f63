"""Rules that turn security off, in one shape: Rulesets ``skip`` rules (custom-rule skips and
managed-rules exceptions) and legacy Firewall Rules with ``bypass`` or ``allow``.

``broad-skip`` and ``missing-ip-scope`` both judge these; this module says what each one
turns off (in words, and whether that is broad) and for which traffic (in words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, FirewallRule, Rule, Ruleset, Zone

import re
from dataclasses import dataclass
from typing import Iterator

from ..language import ast
from .scope import Disjunct, Scope, describe_values

MANAGED_PHASE = "http_request_firewall_managed"
CUSTOM_PHASE = "http_request_firewall_custom"

KNOWN_MANAGED_RULESETS = {
    "efb7b8c949ac4650a09736fc376e9aee": "Cloudflare Managed Ruleset",
    "4814384a9e5d4991b9815dcfc25d2f1f": "Cloudflare OWASP Core Ruleset",
    "c2e184081120413c86c3ab7e14069605": "Exposed Credentials Check",
    "4d21379b4f9f4bb088e0729962c8b3cf": "HTTP DDoS Attack Protection",
}
WHOLE_PHASES = {
    "http_request_firewall_managed": "all managed rules (phase http_request_firewall_managed)",
    "http_ratelimit": "all rate limiting rules (phase http_ratelimit)",
    "http_request_sbfm": "Super Bot Fight Mode (phase http_request_sbfm)",
}
PRODUCTS = {
    "waf": "waf",
    "securitylevel": "securityLevel",
    "bic": "bic",
    "uablock": "uaBlock",
    "zonelockdown": "zoneLockdown",
    "hot": "hot",
    "ratelimit": "rateLimit",
}

# Legacy products that stand for a whole family of managed protections. A Firewall Rule can
# name nothing narrower than a product, so bypassing ``uaBlock`` or ``zoneLockdown`` (the
# zone's own rules) for well-scoped traffic is judged on the traffic alone; bypassing these
# is broad on the what-is-skipped axis whatever the traffic.
WHOLE_PRODUCTS = frozenset({"waf", "ratelimit"})


@dataclass
class Exemption:
    """One enabled rule that turns security off for the traffic its expression matches."""

    subject: str  # 'skip rule "Stripe webhooks"'
    expression: Expression | None
    skipped: list[str]  # what it turns off, in words
    broad_skip: bool  # what is skipped is wider than named rules
    description: str
    rule_id: str | None
    rule_ref: str | None
    phase: str | None
    rule: Rule | FirewallRule
    ruleset: Ruleset | None = None

    @property
    def what(self) -> str:
        return join_words(self.skipped)


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _name(description: str, ref: str | None, rule_id: str | None) -> str:
    if description:
        return f'"{description}"'
    return ref or rule_id or "(unnamed)"


def exemptions(zone: Zone) -> Iterator[Exemption]:
    """Every enabled skip rule and every active bypass/allow Firewall Rule of the zone."""
    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        if ruleset.kind == "managed":
            continue
        for rule in ruleset.rules:
            if rule.action != "skip" or not rule.enabled:
                continue
            skipped, broad = describe_skip(rule, ruleset.phase)
            yield Exemption(
                subject=f"Skip rule {_name(rule.description, rule.ref, rule.id)}",
                expression=rule.expression,
                skipped=skipped,
                broad_skip=broad,
                description=rule.description,
                rule_id=rule.id,
                rule_ref=rule.ref,
                phase=ruleset.phase,
                rule=rule,
                ruleset=ruleset,
            )
    for rule in zone.firewall_rules:
        if rule.paused or rule.action not in ("bypass", "allow"):
            continue
        if rule.action == "allow":
            # Cloudflare, firewall/cf-firewall-rules/actions: Allow exempts matching requests
            # from the Bypass, Block and challenge actions of other Firewall Rules only; other
            # security products (WAF Managed Rules, IP Access Rules, Bot Fight Mode) still act.
            skipped = ["the block and challenge actions of every other Firewall Rule"]
        else:
            products = [PRODUCTS.get(p.lower(), p) for p in rule.products]
            skipped = [f"the legacy products {join_words(products)}"] if products else ["nothing"]
        expression = rule.filter.expression if rule.filter else None
        yield Exemption(
            subject=f"Firewall Rule {_name(rule.description, None, rule.id)} (action {rule.action})",
            expression=expression,
            skipped=skipped,
            broad_skip=rule.action == "allow" or any(p.lower() in WHOLE_PRODUCTS for p in rule.products),
            description=rule.description,
            rule_id=rule.id,
            rule_ref=None,
            phase=None,
            rule=rule,
        )


def describe_skip(rule: Rule, phase: str | None) -> tuple[list[str], bool]:
    """What a skip rule turns off, in words, and whether that is more than named rules."""
    params = rule.skip
    if params is None:
        return ["nothing"], False
    out: list[str] = []
    broad = False
    if params.ruleset == "current":
        broad = True
        out.append(
            "all remaining custom rules"
            if phase in (None, CUSTOM_PHASE)
            else "all remaining managed rules"
            if phase == MANAGED_PHASE
            else f"all remaining rules of phase {phase}"
        )
    for p in params.phases:
        broad = True
        out.append(WHOLE_PHASES.get(p, f"the whole phase {p}"))
    for ruleset_id in params.rulesets:
        broad = True
        name = KNOWN_MANAGED_RULESETS.get(ruleset_id)
        out.append(f"the whole {name}" if name else f"the whole managed ruleset {ruleset_id}")
    if params.products:
        broad = True
        products = [PRODUCTS.get(p.lower(), p) for p in params.products]
        out.append(f"the legacy products {join_words(products)}")
    rule_ids = [rid for ids in params.rules.values() for rid in ids]
    if rule_ids:
        count = len(rule_ids)
        shown = ", ".join(rule_ids[:3]) + (", …" if count > 3 else "")
        out.append(f"{count} managed rule{'s' if count > 1 else ''} ({shown})")
    return out or ["nothing"], broad


# -- the traffic, in words ---------------------------------------------------------------------

_OP_WORDS = {
    "exact": "is",
    "prefix": "starts with",
    "pattern": "matches",
    "suffix": "ends with",
    "broad": "contains",
}


def _quoted(values: list[str]) -> str:
    return join_words([f'"{v}"' for v in values]) if values else "a pattern"


def _field_words(name: str) -> str:
    if name == "http.user_agent":
        return "the user agent"
    if name.startswith("http.request.headers") or name == "http.x_forwarded_for":
        return "a request header"
    if name in ("http.cookie",) or name.startswith("http.request.cookies"):
        return "a cookie"
    if name == "http.referer":
        return "the referer"
    if "query" in name or "args" in name:
        return "the query string"
    if name.endswith(("uri", "full_uri")):
        return "the full URI, query string included"
    if name.startswith("http.request.body"):
        return "the request body"
    return name


def attacker_words(disjunct: Disjunct) -> str:
    """What the client-controlled conditions of ``disjunct`` test, and why they hold no one
    out: ``the user agent, which any client can set``."""
    names: list[str] = []
    lists: list[str] = []
    for cond in disjunct.attacker:
        if cond.strength == "managed_list" and isinstance(cond.node, ast.Comparison):
            lists.append(f"${cond.node.rhs.name}")
            continue
        fields = [cond.field] if cond.field else _fields(cond.node)
        for f in fields:
            words = _field_words(f)
            if words not in names:
                names.append(words)
    parts = []
    if names:
        parts.append(f"{join_words(names)}, which any client can set")
    if lists:
        which = "list" if len(lists) == 1 else "lists"
        parts.append(
            f"{join_words(lists)}, Cloudflare's managed {which} of hostile sources (proxies, VPNs, "
            "malware) that any client can send from"
        )
    return "; and on ".join(parts)


def _fields(node: ast.Node) -> list[str]:
    from .scope import fields_in, is_attacker_field

    return [f for f in fields_in(node) if is_attacker_field(f)]


def traffic_words(disjunct: Disjunct, with_source: bool = True) -> str:
    """``requests to "api.example.com" whose path contains "/export", with any method, from
    any address`` — the traffic one disjunct matches (the source last, when asked)."""
    if disjunct.always_true:
        return "every request"
    hosts = disjunct.host
    if hosts:
        strength = hosts[0].strength
        verb = "" if strength == "exact" else "a host that " + _OP_WORDS.get(strength, "matches") + " "
        text = f"requests to {verb}{_quoted(describe_values(hosts))}"
    else:
        text = "requests to any host"
    paths = disjunct.path
    if paths:
        strength = paths[0].strength
        text += f" whose path {_OP_WORDS.get(strength, 'matches')} {_quoted(describe_values(paths))}"
    if disjunct.method:
        text += f", with method {join_words(describe_values(disjunct.method))}"
    elif paths:
        text += ", with any method"
    if disjunct.attacker_only:
        text += f", matched only on {attacker_words(disjunct)}"
    if with_source:
        text += f", from {source_words(disjunct)}" if disjunct.has_source else ", from any address"
    return text


def source_words(disjunct: Disjunct) -> str:
    out = []
    for cond in disjunct.sources:
        node = cond.node
        if cond.strength == "ip_list" and isinstance(node, ast.Comparison):
            out.append(f"the addresses in ${node.rhs.name}")
        elif cond.strength == "ip":
            out.append("listed addresses")
        elif cond.strength == "asn":
            out.append("listed networks (ASN)")
        elif cond.strength == "mtls":
            out.append("clients with a verified mTLS certificate")
        else:
            out.append("verified bots")
    return join_words(out)


_BREADTH_RANK = {"always": 0, "unrestricted": 1, "host": 2, "path-pattern": 3}


def broadest(scope: Scope) -> Disjunct | None:
    broad = scope.broad()
    if not broad:
        return None
    return min(broad, key=lambda d: _BREADTH_RANK[d.breadth])


# -- what the zone deploys ----------------------------------------------------------------------

_HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")


def deployed_managed_rulesets(zone: Zone) -> list[str]:
    """Ids of the managed rulesets the zone's managed-phase entry point executes."""
    ids: list[str] = []
    for rule in zone.rules_by_phase(MANAGED_PHASE):
        if rule.action == "execute" and rule.enabled and rule.execute and rule.execute.id:
            if rule.execute.id not in ids:
                ids.append(rule.execute.id)
    return ids


def managed_rule_owners(zone: Zone) -> dict[str, str]:
    """Managed rule id -> the managed ruleset an ``execute`` rule of the zone overrides it in
    (the first such rule wins)."""
    owner: dict[str, str] = {}
    for rule in zone.rules_by_phase(MANAGED_PHASE):
        if rule.action == "execute" and rule.execute and rule.execute.id:
            for override in rule.execute.rules:
                owner.setdefault(override.id, rule.execute.id)
    return owner


def named_managed_rules(text: str, deployed: list[str], owners: dict[str, str]) -> dict[str, list[str]]:
    """Managed rule ids named in ``text`` (a rule description), keyed by the ruleset that holds
    them: a rule id overridden in an ``execute`` rule belongs to that ruleset (``owners``);
    otherwise, with exactly one ``deployed`` managed ruleset, to that one."""
    found = [m for m in _HEX_ID.findall(text.lower())]
    if not found:
        return {}
    out: dict[str, list[str]] = {}
    for rule_id in found:
        if rule_id in KNOWN_MANAGED_RULESETS or rule_id in deployed:
            continue
        ruleset_id = owners.get(rule_id) or (deployed[0] if len(deployed) == 1 else None)
        if ruleset_id is not None:
            out.setdefault(ruleset_id, []).append(rule_id)
    return out
