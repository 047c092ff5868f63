"""Suggestions that draw on what the whole zone holds (the IP lists its rules use, the
addresses its IP Access Rules allow, the managed rules it deploys), which the checks work out
once per zone: the first list sharing a word with the rule's description wins, access-rule
addresses keep the zone's order, and many rules in one zone get the same answers."""

from __future__ import annotations

from rulelint.checks.base import CheckContext
from rulelint.checks.broad_skip import BroadSkip
from rulelint.checks.missing_ip_scope import MissingIpScope
from rulelint.model import (
    AccessRule,
    Configuration,
    ExecuteParameters,
    Expression,
    Origin,
    Rule,
    RuleOverride,
    Ruleset,
    SkipParameters,
    Zone,
)

ORIGIN = Origin(file="zone.json")
MANAGED = "efb7b8c949ac4650a09736fc376e9aee"
OWASP = "4814384a9e5d4991b9815dcfc25d2f1f"


def _rule(text: str, action: str = "block", description: str = "", **extra) -> Rule:
    expression = Expression(text=text, origin=ORIGIN, content_offset=None)
    return Rule(action=action, description=description, expression=expression, origin=ORIGIN, **extra)


def _skip(text: str, description: str, skip: SkipParameters | None = None) -> Rule:
    return _rule(text, "skip", description, skip=skip or SkipParameters(ruleset="current"))


def _zone(skips: list[Rule]) -> Zone:
    lockdown = SkipParameters(products=["zoneLockdown"])
    custom = [
        _rule("ip.src in $stripe_abuse_ips"),  # shares "stripe", but a blocklist
        _rule('http.host eq "a.example.com" and ip.src in $office_ips', "skip", skip=lockdown),
        _rule('ip.src in $stripe_hooks_ips and http.request.uri.path eq "/x"', "skip", skip=lockdown),
        _rule("ip.src in $partner_stripe_ips", "skip", skip=lockdown),  # shares "stripe", but comes later
        _rule("ip.src in $stripe_abuse_ips and http.request.uri.path eq \"/y\"", "skip", skip=lockdown),
        *skips,
    ]
    managed = [
        _rule(
            "true",
            "execute",
            execute=ExecuteParameters(id=OWASP, rules=[RuleOverride(id="aaaabbbbccccddddeeeeffff00001111")]),
        ),
        _rule("true", "execute", execute=ExecuteParameters(id=MANAGED)),
    ]
    access = [
        AccessRule(mode="whitelist", target="ip", value="198.51.100.7", notes="Acme CI runner", origin=ORIGIN),
        AccessRule(mode="block", target="ip", value="203.0.113.9", notes="acme scraper", origin=ORIGIN),
        AccessRule(mode="whitelist", target="country", value="FR", notes="acme office", origin=ORIGIN),
        AccessRule(mode="whitelist", target="ip_range", value="192.0.2.0/24", notes="ACME office", origin=ORIGIN),
        AccessRule(mode="whitelist", target="ip", value="not-an-address", notes="acme", origin=ORIGIN),
        AccessRule(mode="whitelist", target="ip_range", value="0.0.0.0/1", notes="acme everything", origin=ORIGIN),
        AccessRule(mode="whitelist", target="asn", value="AS16509", notes="acme cloud", origin=ORIGIN),
    ]
    return Zone(
        name="example.com",
        rulesets=[
            Ruleset(phase="http_request_firewall_custom", kind="zone", rules=custom, origin=ORIGIN),
            Ruleset(phase="http_request_firewall_managed", kind="zone", rules=managed, origin=ORIGIN),
        ],
        access_rules=access,
    )


def _suggestions(zone: Zone, check) -> list[tuple[str | None, dict | None, str | None]]:
    ctx = CheckContext(Configuration(zones=[zone]))
    out = []
    for finding in check.run(zone, ctx):
        suggestion = finding.suggestion
        out.append((suggestion.expression, suggestion.action_parameters, suggestion.note) if suggestion else None)
    return out


LOCKDOWN = SkipParameters(products=["zoneLockdown"])


def test_the_first_exempted_ip_list_sharing_a_word_is_reused_never_a_blocklist():
    zone = _zone([_skip('http.request.uri.path eq "/hooks/stripe"', "Stripe webhooks", LOCKDOWN)])
    [(expression, _, note)] = _suggestions(zone, MissingIpScope())
    assert expression == 'http.request.uri.path eq "/hooks/stripe" and ip.src in $stripe_hooks_ips'
    assert note == (
        "the zone already uses the IP list $stripe_hooks_ips as an allowlist in an exception, and its "
        'name shares the word "stripe" with this rule; confirm it holds exactly the clients of this '
        "endpoint, or create a list for them"
    )


def test_addresses_allowed_by_ip_access_rules_keep_the_zone_order_and_restrict():
    """Never a source the scope analysis counts as none: 0.0.0.0/1, an ASN, a country."""
    zone = _zone([_skip('http.request.uri.path eq "/deploy"', "Acme deploy hook", LOCKDOWN)])
    [(expression, _, note)] = _suggestions(zone, MissingIpScope())
    assert expression == 'http.request.uri.path eq "/deploy" and ip.src in {198.51.100.7 192.0.2.0/24}'
    assert note.startswith("these addresses come from IP Access allow rules of the zone")


def test_managed_rules_named_in_the_description_go_to_the_ruleset_that_overrides_them():
    skip = SkipParameters(phases=["http_request_firewall_managed"])
    zone = _zone(
        [
            _skip(
                'http.request.uri.path eq "/upload" and ip.src in $office_ips',
                "false positive on aaaabbbbccccddddeeeeffff00001111",
                skip,
            )
        ]
    )
    [(_, parameters, note)] = _suggestions(zone, BroadSkip())
    assert parameters == {"rules": {OWASP: ["aaaabbbbccccddddeeeeffff00001111"]}}
    assert "skip only the managed rules the description names" in note


def test_every_rule_of_a_large_zone_gets_the_same_answer():
    skips = [_skip(f'http.request.uri.path eq "/hooks/{n}"', "Stripe webhooks", LOCKDOWN) for n in range(300)]
    found = _suggestions(_zone(skips), MissingIpScope())
    assert len(found) == 300
    assert all(expression.endswith("and ip.src in $stripe_hooks_ips") for expression, _, _ in found)
