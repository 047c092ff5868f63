"""ip-access-allow: an IP Access Rule with mode ``whitelist`` (allow).

An allow exempts the client from custom rules, rate limiting rules, WAF Managed Rules, Browser
Integrity Check, Under Attack mode, Bot Fight Mode and Super Bot Fight Mode — except that a
country allow does not bypass WAF Managed Rules. Error for an ASN (a public cloud's lets every
tenant of that cloud in), a country, or a range wider than a /24 (IPv4) or /48 (IPv6);
warning for a smaller range; info for a single address without notes. Rules of account or
user scope apply to every zone, and are reported once.

The replacement Cloudflare recommends: an IP list in a custom rule that skips only what
misfires, scoped to the paths the rule's notes name. See docs/checks/ip-access-allow.md.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Iterable

from ..analysis import narrowing
from ..analysis.scope import PUBLIC_CLOUD_ASNS
from ..findings import Suggestion
from ..language import ast
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import AccessRule, Zone

# What an IP Access allow rule exempts the client from (docs/waf/tools/ip-access-rules).
_EXEMPT_FROM = (
    "custom rules, rate limiting rules, WAF Managed Rules, Browser Integrity Check, Under "
    "Attack mode, Bot Fight Mode and Super Bot Fight Mode"
)
_COUNTRY_EXEMPT_FROM = (
    "custom rules, rate limiting rules, Browser Integrity Check, Under Attack mode, Bot Fight "
    "Mode and Super Bot Fight Mode (a country allow still goes through WAF Managed Rules)"
)
# Widest prefix that is still "one network" rather than a provider's block.
_WIDEST_PREFIX = {4: 24, 6: 48}
_SCOPE_WORDS = {
    "account": "it is account-scoped, so it applies to every zone of the account",
    "organization": "it is organization-scoped, so it applies to every zone of the organization",
    "user": "it is user-scoped, so it applies to every zone the user owns",
}
_BLOCKING_ACTIONS = frozenset({"block", "challenge", "js_challenge", "managed_challenge"})
# A path written in free text: "/webhooks/stripe", "/api/*" (not the "/CD" of "CI/CD").
_PATH_IN_NOTES = re.compile(r"(?<![\w/.:])(/[A-Za-z0-9._~%@+=,-]+(?:/[A-Za-z0-9._~%@+=,-]*)*\*?)")


class IpAccessAllow(Check):
    id = "ip-access-allow"
    severity = "error"
    summary = "An IP Access Rule allows a client past every security feature of the zone."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        rules = [(rule, rule.scope) for rule in zone.access_rules]
        rules += [(rule, rule.scope or "account") for rule in _account_rules_reported_here(zone, ctx)]
        blocking: set[str] | None = None
        for rule, scope in rules:
            if rule.mode == "whitelist":
                if blocking is None:
                    blocking = _blocking_lists(ctx, zone)
                finding = self._judge(zone, ctx, rule, scope, blocking)
                if finding is not None:
                    yield finding

    def _judge(
        self, zone: Zone, ctx: CheckContext, rule: AccessRule, scope: str | None, blocking: set[str]
    ) -> Finding | None:
        target, value = rule.target, rule.value.strip()
        name = f'IP Access Rule "{rule.notes.strip()}"' if rule.notes.strip() else "An IP Access Rule"
        exempt = _EXEMPT_FROM
        if target == "asn":
            number = value.upper().removeprefix("AS")
            if not number.isdigit():
                return None  # not an ASN: nothing rulelint can describe
            cloud = PUBLIC_CLOUD_ASNS.get(int(number))
            who = f"every address of AS{number}" + (
                f" ({cloud}, a public cloud: every tenant of that cloud gets in)" if cloud else
                " (a whole network operator, not one client)"
            )
            severity = "error"
        elif target == "country" and value:
            who, severity, exempt = f"every visitor from country {value.upper()}", "error", _COUNTRY_EXEMPT_FROM
        elif target in ("ip", "ip6", "ip_range"):
            network = _network(value)
            if network is None:
                return None  # not an address: the reader reports bad input
            widest = _WIDEST_PREFIX[network.version]
            if network.num_addresses == 1:
                if rule.notes.strip():
                    return None
                who, severity = f"{network.network_address} (no notes say who it is)", "info"
            elif network.prefixlen < widest:
                who, severity = f"{network} ({_size(network)}, wider than a /{widest})", "error"
            else:
                who, severity = f"{network} ({_size(network)})", "warning"
        else:
            return None
        message = f"{name} allows {who} past {exempt}."
        if scope in _SCOPE_WORDS:
            message = message[:-1] + f"; {_SCOPE_WORDS[scope]}."
        return self.finding(
            severity,
            message,
            ctx.location(rule.origin, zone, rule.id),
            self._replacement(rule, blocking) if ctx.suggestions else None,
        )

    def _replacement(self, rule: AccessRule, blocking: set[str]) -> Suggestion | None:
        list_name = _allowlist_name(rule, blocking)
        paths = paths_in_notes(rule.notes)
        conditions: list[ast.Node] = [narrowing.source_in_list(list_name)]
        if paths:
            conditions.append(narrowing.any_of([_path_condition(path) for path in paths]))
        from ..language import print_expression

        try:
            text = print_expression(narrowing.all_of(conditions))
        except Exception:  # a printer fault must not become a traceback
            return None
        if narrowing.verified(text) is None:
            return None
        if rule.target in ("asn", "country"):
            contents = (
                f"the addresses of the clients this rule is really for (not the whole "
                f"{'network' if rule.target == 'asn' else 'country'})"
            )
        else:
            contents = rule.value.strip()
        where = "for the paths its notes name" if paths else "for every path (its notes name none: add the paths the clients use)"
        note = (
            f"a replacement, not a narrower IP Access Rule: create the account-level IP list "
            f"${list_name} with {contents}, delete the IP Access Rule and add a custom rule "
            "(action skip in phase http_request_firewall_custom, first in the ruleset) with this "
            f"expression, {where}; make it skip only what Security Events shows blocking these "
            "clients (for example the product bic, or the phase http_ratelimit), and for WAF "
            "Managed Rules add an exception in phase http_request_firewall_managed that names "
            "the rule ids that misfire"
        )
        return Suggestion(expression=text, note=note)


def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def _size(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    """``65,536 addresses`` for IPv4; IPv6 counts are too large to read, so ``a /32``."""
    if network.version == 4:
        return f"{network.num_addresses:,} addresses"
    return f"a /{network.prefixlen}"


def paths_in_notes(notes: str) -> list[str]:
    """URL paths written in a rule's notes, in order, once each."""
    found: list[str] = []
    for path in _PATH_IN_NOTES.findall(notes or ""):
        path = path.rstrip(".,;")
        if len(path) > 1 and path not in found:
            found.append(path)
    return found


def _path_condition(path: str) -> ast.Node:
    """A prefix for ``/api/`` or ``/api/*``, an exact match otherwise."""
    body = path.rstrip("*")
    if body.endswith("/") or path.endswith("*"):
        return narrowing.starts_with("http.request.uri.path", body)
    return ast.Comparison(narrowing.field("http.request.uri.path"), "eq", narrowing.string(body))


def _allowlist_name(rule: AccessRule, blocking: set[str]) -> str:
    """A list name from the rule's notes, never one the zone uses to block or challenge."""
    name = narrowing.list_name(_PATH_IN_NOTES.sub(" ", rule.notes or ""))
    if name in blocking:
        name = (name.removesuffix("_ips") + "_allowed_ips")[:50]
    while name in blocking:
        name = ("allowed_" + name)[:50]
    return name


def _blocking_lists(ctx: CheckContext, zone: Zone) -> set[str]:
    """Names of the lists the zone's rules block or challenge (never to be offered as an
    allowlist)."""
    facts = ctx.facts(zone)
    names: set[str] = set()
    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        for rule in ruleset.rules:
            if rule.action not in _BLOCKING_ACTIONS or rule.expression is None:
                continue
            tree = facts.tree(rule.expression)
            if tree is None:
                continue
            names.update(node.name for node in ast.walk(tree) if isinstance(node, ast.NamedList))
    return names


def _account_rules_reported_here(zone: Zone, ctx: CheckContext) -> list[AccessRule]:
    """The account-level IP Access Rules read apart from any zone (Terraform ``account_id``,
    a bundle's account section), reported once: on the account's pseudo-zone when the run
    has one, else on the first zone of the run."""
    zones = ctx.configuration.zones
    rules: list[AccessRule] = []
    for account in ctx.configuration.accounts:
        if not account.access_rules:
            continue
        label = account.id or account.name
        own = f"account {label}" if label else "account"
        home = next((z for z in zones if z.account_scope == own), zones[0] if zones else None)
        if home is zone:
            rules.extend(account.access_rules)
    return rules
