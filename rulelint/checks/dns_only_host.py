"""dns-only-host: a DNS-only (``proxied: false``) A, AAAA or CNAME record for a host the zone's
rules protect or exempt, or whose name says it serves an API, login or admin traffic.

Facts (Cloudflare, dns/proxy-status): a DNS-only record answers with the origin's address, so
clients connect straight to the origin and Cloudflare's WAF, bot products and rate limiting
never see that traffic. Records that never carry web traffic (``_acme-challenge`` and other
underscore names, MX targets, mail hosts) are left alone. See docs/checks/dns-only-host.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..analysis.wording import join_words
from ..analysis.hostnames import hosts_in_expression
from ..analysis.sensitive_traffic import host_kind, is_mail_or_validation, qualified, split_target
from ..findings import Suggestion
from ..model.phases import SECURITY_PHASES
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone

_WEB_TYPES = ("A", "AAAA", "CNAME")
_SECURITY_PAGE_RULE_SETTINGS = frozenset({"waf", "security_level", "disable_security", "browser_check"})

_NOTE = (
    "proxy the record (proxied: true) so its traffic goes through Cloudflare, then let the origin "
    "accept HTTP(S) only from Cloudflare's IP addresses so it cannot be reached around Cloudflare"
)


class DnsOnlyHost(Check):
    id = "dns-only-host"
    severity = "error"
    summary = "A DNS-only record sends clients of a host the zone protects straight to the origin."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        if not zone.dns_records:
            return
        named = _hosts_named_by_rules(zone, ctx)
        mail_targets = {
            qualified(r.content, None) for r in zone.dns_records if r.type.upper() == "MX" and r.content
        }
        for record in zone.dns_records:
            # proxied unset: the input does not say, so nothing is claimed about the record.
            if record.proxied is not False or record.type.upper() not in _WEB_TYPES:
                continue
            host = qualified(record.name, zone.name)
            if "*" in host or host in mail_targets or is_mail_or_validation(host):
                continue
            rules = named.get(host, [])
            kind = host_kind(host)
            if rules:
                shown = join_words(rules[:3]) + (f" and {len(rules) - 3} more" if len(rules) > 3 else "")
                why = f"the zone's rules name it ({shown})"
                severity = "error"
            elif kind:
                why = f"its name says it serves {kind} traffic"
                severity = "error" if kind != "admin" else "warning"
            else:
                continue
            target = f" ({record.content})" if record.content else ""
            yield self.finding(
                severity,
                f"DNS record {host} ({record.type.upper()}) is DNS-only and {why}: clients connect "
                f"straight to the origin{target}, so no WAF rule, bot product or rate limiting rule "
                "ever sees that traffic, and the origin's address is public.",
                ctx.location(record.origin, zone, rule_id=record.id),
                Suggestion(note=_NOTE) if ctx.suggestions else None,
            )


def _hosts_named_by_rules(zone: Zone, ctx: CheckContext) -> dict[str, list[str]]:
    """hostname -> how each security rule (WAF, rate limiting, bot phases, Firewall Rules, Page
    Rules with a security setting) naming it is called in a message."""
    by_host: dict[str, list[str]] = {}

    def add(host: str, label: str) -> None:
        labels = by_host.setdefault(host, [])
        if label not in labels:
            labels.append(label)

    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        if ruleset.phase not in SECURITY_PHASES:
            continue
        for rule in ruleset.rules:
            label = f'"{rule.description}"' if rule.description else f"rule {rule.ref or rule.id or '(unnamed)'}"
            for expression in (rule.expression, rule.counting_expression):
                if expression is not None and rule.enabled:
                    for host in hosts_in_expression(expression, ctx.parser):
                        add(host, label)
    for firewall_rule in zone.firewall_rules:
        if firewall_rule.filter is not None and firewall_rule.filter.expression is not None and not firewall_rule.paused:
            label = (
                f'Firewall Rule "{firewall_rule.description}"' if firewall_rule.description
                else f"Firewall Rule {firewall_rule.id or '(unnamed)'}"
            )
            for host in hosts_in_expression(firewall_rule.filter.expression, ctx.parser):
                add(host, label)
    for page_rule in zone.page_rules:
        if page_rule.status != "active" or not any(a.id in _SECURITY_PAGE_RULE_SETTINGS for a in page_rule.actions):
            continue
        for target in page_rule.targets:
            host, _ = split_target(target)
            if "*" not in host:
                add(host, f'Page Rule "{target}"')
    return by_host
