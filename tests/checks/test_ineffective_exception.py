"""``skips_nothing``: the predicate broad-skip and missing-ip-scope can call to leave a skip rule
that turns nothing off to ineffective-exception."""

from __future__ import annotations

from rulelint.analysis.skip_effect import skips_nothing, why_ineffective
from rulelint.model import BotManagement, ExecuteParameters, Origin, Rule, Ruleset, SkipParameters, Zone

ORIGIN = Origin(file="generated.json")
MANAGED = "efb7b8c949ac4650a09736fc376e9aee"


def _skip(**params) -> Rule:
    raw = {key: value for key, value in params.items() if value}
    return Rule(action="skip", skip=SkipParameters(**params), action_parameters=raw, origin=ORIGIN)


def _execute() -> Rule:
    return Rule(action="execute", execute=ExecuteParameters(id=MANAGED), origin=ORIGIN)


def _zone(phase: str, rules: list[Rule], **zone) -> tuple[Zone, Ruleset]:
    ruleset = Ruleset(phase=phase, kind="zone", rules=rules, origin=ORIGIN)
    return Zone(rulesets=[ruleset], **zone), ruleset


def test_exception_after_its_execute_skips_nothing_and_before_it_does():
    exception = _skip(rules={MANAGED: ["5de7edfa648c4d6891dc3e7f84534ffa"]})
    zone, ruleset = _zone("http_request_firewall_managed", [_execute(), exception])
    assert skips_nothing(exception, ruleset, zone)
    zone, ruleset = _zone("http_request_firewall_managed", [exception, _execute()])
    assert not skips_nothing(exception, ruleset, zone)
    assert why_ineffective(exception, ruleset, zone) is None


def test_sbfm_skip_under_bot_fight_mode_skips_nothing_unless_something_else_is_skipped():
    bots = BotManagement(fight_mode=True, origin=ORIGIN)
    alone = _skip(phases=["http_request_sbfm"])
    zone, ruleset = _zone("http_request_firewall_custom", [alone], bot_management=bots)
    assert skips_nothing(alone, ruleset, zone)
    both = _skip(phases=["http_request_sbfm", "http_ratelimit"])
    zone, ruleset = _zone("http_request_firewall_custom", [both], bot_management=bots)
    found = why_ineffective(both, ruleset, zone)
    assert found is not None and not found.skips_nothing
    assert found.action_parameters == {"phases": ["http_ratelimit"]}


def test_rate_limit_product_skips_nothing_and_a_current_product_does():
    dead = _skip(products=["rateLimit"])
    zone, ruleset = _zone("http_request_firewall_custom", [dead])
    assert skips_nothing(dead, ruleset, zone)
    live = _skip(products=["uaBlock"])
    zone, ruleset = _zone("http_request_firewall_custom", [live])
    assert why_ineffective(live, ruleset, zone) is None


def test_a_skip_in_the_rate_limiting_phase_skips_nothing():
    rule = _skip(ruleset="current")
    zone, ruleset = _zone("http_ratelimit", [rule])
    assert skips_nothing(rule, ruleset, zone)


def test_disabled_rules_are_not_judged():
    rule = _skip(phases=["http_request_sbfm"])
    rule.enabled = False
    zone, ruleset = _zone("http_ratelimit", [rule])
    assert why_ineffective(rule, ruleset, zone) is None


def test_a_phase_custom_rules_cannot_skip_is_dead_and_dropped_from_the_suggestion():
    rule = _skip(phases=["http_request_transform", "http_request_firewall_managed"])
    zone, ruleset = _zone("http_request_firewall_custom", [rule])
    found = why_ineffective(rule, ruleset, zone)
    assert found is not None and not found.skips_nothing
    assert found.action_parameters == {"phases": ["http_request_firewall_managed"]}
