"""The phase walk, one behaviour per test, each on the smallest zone that shows it (a rulelint
bundle written to a temporary folder). Cloudflare facts are cited from
shared/spec/cloudflare-facts.md."""

from __future__ import annotations

import json

import pytest

from rulelint.readers import read_paths
from rulelint.why.request import describe_request
from rulelint.why.walk import walk

MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"
FIRING = "5de7edfa648c4d6891dc3e7f84534ffa"


def rule(action, expression="true", **extra):
    return {"id": extra.pop("id", f"{action}-{abs(hash(expression)) % 10**6}"), "action": action,
            "expression": expression, "enabled": True, **extra}


def execute(**extra):
    return rule("execute", action_parameters={"id": MANAGED_RULESET, **extra.pop("params", {})}, id="exec", **extra)


def zone(tmp_path, custom=(), managed=(), ratelimit=(), config=(), **parts):
    entrypoints = {}
    for phase, rules in (("http_request_firewall_custom", custom), ("http_request_firewall_managed", managed),
                         ("http_ratelimit", ratelimit), ("http_config_settings", config)):
        if rules:
            entrypoints[phase] = {"id": f"rs-{phase}", "name": "default", "kind": "zone", "phase": phase, "rules": list(rules)}
    bundle = {
        "bundle_format": "rulelint.zone-bundle/1", "generated_at": "2026-11-01T00:00:00Z",
        "generator": {"name": "rulelint", "version": "0.1.0"},
        **({"account": {"id": "acc1", "name": "account", "rulesets": parts.pop("account_rulesets"), "access_rules": []}}
           if "account_rulesets" in parts else {}),
        "zones": [{
            "zone": {"id": "z1", "name": "example.com", "plan": "enterprise", "status": "active"},
            "rulesets": {"entrypoints": entrypoints, "custom": parts.pop("custom_rulesets", []), "managed_index": []},
            "page_rules": parts.pop("page_rules", []), "firewall_rules": [], "filters": [],
            "access_rules": parts.pop("access_rules", []), "lockdowns": parts.pop("lockdowns", []),
            "ua_rules": parts.pop("ua_rules", []), "settings": {},
            "bot_management": parts.pop("bot_management", {}), "dns_records": [], "unreadable": [],
        }],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    read = read_paths([str(path)])
    assert read.usable and not read.findings, read.findings
    return read.configuration.zones[0]


def trace(zone_, blocked_by=None, **request):
    request.setdefault("url", "https://www.example.com/admin/export")
    return walk(zone_, describe_request(**request), blocked_by)


def outcomes(result):
    return [(s.stage, s.subject.split(" (")[0], s.outcome) for s in result.steps]


def access(mode, target, value):
    return {"id": f"{mode}-{value}", "mode": mode, "configuration": {"target": target, "value": value}, "notes": ""}


def test_ip_access_allow_bypasses_custom_managed_and_bot_fight_mode(tmp_path):
    """IP Access Rules: an allow rule bypasses custom rules, rate limiting and WAF managed
    rules; Bot Fight Mode does not trigger when an IP Access rule matches."""
    z = zone(tmp_path, custom=[rule("block")], managed=[execute()], access_rules=[access("whitelist", "ip", "192.0.2.1")],
             bot_management={"fight_mode": True})
    result = trace(z, ip="192.0.2.1")
    assert [o[2] for o in outcomes(result)] == ["matched", "skipped", "skipped", "skipped"]
    assert result.verdict.outcome == "reaches the origin"


def test_a_country_allow_does_not_bypass_managed_rules(tmp_path):
    z = zone(tmp_path, custom=[rule("block")], managed=[execute()], access_rules=[access("whitelist", "country", "DE")])
    result = trace(z, ip="192.0.2.1", country="de", blocked_by=FIRING)
    assert result.verdict.summary.startswith(f"blocked by managed rule {FIRING} of Cloudflare Managed Ruleset")


def test_ip_access_block_of_a_range_holding_the_client(tmp_path):
    z = zone(tmp_path, custom=[rule("log")], access_rules=[access("block", "ip_range", "192.0.2.0/24")])
    result = trace(z, ip="192.0.2.77")
    assert result.verdict.summary == "blocked by IP Access Rule block ip_range 192.0.2.0/24 (IP Access Rules)"


def test_zone_lockdown_blocks_clients_off_its_list_and_a_custom_skip_of_zone_lockdown_turns_it_off(tmp_path):
    lockdown = {"id": "ld1", "urls": ["www.example.com/admin/*"], "configurations": [{"target": "ip_range", "value": "198.51.100.0/24"}],
                "paused": False, "description": "admin from the office"}
    z = zone(tmp_path, lockdowns=[lockdown])
    assert trace(z, ip="192.0.2.1").verdict.summary == 'blocked by Zone Lockdown "admin from the office" (Zone Lockdown)'
    assert trace(z, ip="198.51.100.9").verdict.outcome == "reaches the origin"
    skipping = zone(tmp_path, lockdowns=[lockdown],
                    custom=[rule("skip", 'ip.src eq 192.0.2.1', action_parameters={"products": ["zoneLockdown"]})])
    result = trace(skipping, ip="192.0.2.1")
    assert result.verdict.outcome == "reaches the origin"
    assert result.steps[0].effect.startswith("skipped by rule skip-")


def test_page_rule_disable_security_voids_zone_lockdown(tmp_path):
    """Disable Security turns off URL (Zone) Lockdown for the URLs it targets (cloudflare-facts)."""
    lockdown = {"id": "ld1", "urls": ["www.example.com/admin/*"], "configurations": [{"target": "ip", "value": "198.51.100.1"}]}
    page_rule = {"id": "pr1", "targets": [{"target": "url", "constraint": {"operator": "matches", "value": "www.example.com/admin/*"}}],
                 "actions": [{"id": "disable_security"}], "priority": 1, "status": "active"}
    result = trace(zone(tmp_path, lockdowns=[lockdown], page_rules=[page_rule]), ip="192.0.2.1")
    assert result.verdict.outcome == "reaches the origin"
    assert result.steps[0].effect == "voided by Page Rule pr1 (Disable Security)"
    assert result.steps[-1].effect == "sets disable_security for this URL"


def test_ua_blocking_is_an_exact_match_and_unknown_without_the_header(tmp_path):
    z = zone(tmp_path, ua_rules=[{"id": "ua1", "mode": "block", "configuration": {"target": "ua", "value": "BadBot/1.0"},
                                  "paused": False, "description": "bad bot"}])
    assert trace(z, headers=(("User-Agent", "BadBot/1.0"),)).verdict.outcome == "blocked"
    assert trace(z, headers=(("User-Agent", "BadBot/1.0 (x)"),)).verdict.outcome == "reaches the origin"
    unknown = trace(z)
    assert unknown.steps[0].outcome == "unknown"
    assert unknown.verdict.outcome == "undecided"


def test_an_exception_after_the_execute_rule_skips_nothing(tmp_path):
    """An exception only affects execute rules listed after it (cloudflare-facts)."""
    skip = rule("skip", 'http.request.uri.path eq "/admin/export"', action_parameters={"rules": {MANAGED_RULESET: [FIRING]}}, id="exc")
    after = trace(zone(tmp_path, managed=[execute(), skip]), blocked_by=FIRING)
    assert after.verdict.outcome == "blocked"
    before = trace(zone(tmp_path, managed=[skip, execute()]), blocked_by=FIRING)
    assert before.verdict.outcome == "reaches the origin"
    assert before.verdict.advice == [
        f"Managed rule {FIRING} cannot block this request: an exception placed before its execute rule skips it for this request."
    ]
    assert 'exception rule exc skips rule 5de7edfa648c4d6891dc3e7f84534ffa' in before.steps[1].notes


def test_an_override_disabling_the_rule_means_it_cannot_block(tmp_path):
    z = zone(tmp_path, managed=[execute(params={"overrides": {"rules": [{"id": FIRING, "enabled": False}]}})])
    result = trace(z, blocked_by=FIRING)
    assert result.verdict.advice == [f"Managed rule {FIRING} cannot block this request: an override disables it."]
    assert f"override: rule {FIRING} disabled" in result.steps[0].notes


def test_a_custom_skip_of_the_managed_phase_and_ruleset_current(tmp_path):
    z = zone(tmp_path, custom=[rule("skip", action_parameters={"ruleset": "current", "phases": ["http_request_firewall_managed"]}, id="s"),
                               rule("block", id="b")], managed=[execute()])
    result = trace(z, blocked_by=FIRING)
    assert outcomes(result) == [
        ("http_request_firewall_custom", "rule s", "matched"),
        ("http_request_firewall_custom", "rule b", "skipped"),
        ("http_request_firewall_managed", "managed rules", "skipped"),
    ]
    assert result.steps[0].effect == "skips the remaining rules of this ruleset, phase http_request_firewall_managed"
    assert result.verdict.advice == [
        f"Managed rule {FIRING} cannot block this request: no execute rule runs managed rules for this request."
    ]


def test_a_custom_ruleset_run_by_execute_is_walked(tmp_path):
    custom_ruleset = {"id": "cr1", "name": "shared blocks", "kind": "custom", "phase": "http_request_firewall_custom",
                      "rules": [rule("block", 'http.request.method eq "POST"', id="inner")]}
    z = zone(tmp_path, custom=[rule("execute", action_parameters={"id": "cr1"}, id="run")], custom_rulesets=[custom_ruleset])
    assert trace(z, method="GET").verdict.outcome == "reaches the origin"
    result = trace(z, method="POST")
    assert result.verdict.summary == "blocked by rule inner (custom rules, phase http_request_firewall_custom)"
    assert result.steps[0].effect == "runs custom ruleset shared blocks"


def test_account_rules_run_first_and_see_the_zone_name_and_plan(tmp_path):
    """Within each phase, account-level rulesets run before zone-level rulesets; account
    rules pick zones with cf.zone.name and cf.zone.plan."""
    account = [{"id": "root1", "name": "root", "kind": "root", "phase": "http_request_firewall_custom",
                "rules": [rule("block", '(cf.zone.name eq "example.com" and http.request.uri.path eq "/admin/export") '
                                        'and cf.zone.plan eq "ENT"', id="acct")]}]
    result = trace(zone(tmp_path, custom=[rule("log", id="zone-log")], account_rulesets=account))
    assert [s.rule_id for s in result.steps] == ["acct"]
    assert result.verdict.summary == "blocked by rule acct (custom rules, phase http_request_firewall_custom)"


def test_rate_limiting_counts_the_request_without_simulating_counters(tmp_path):
    limited = rule("block", 'starts_with(http.request.uri.path, "/admin/")', id="rl",
                   ratelimit={"characteristics": ["ip.src", "cf.colo.id"], "period": 10, "requests_per_period": 5})
    result = trace(zone(tmp_path, ratelimit=[limited]))
    assert (result.steps[0].outcome, result.steps[0].effect) == ("matched", "counts the request (5 requests per 10 s, then block)")
    assert result.verdict.outcome == "reaches the origin"


def test_a_rate_limiting_rule_named_by_security_events_is_the_verdict(tmp_path):
    limited = rule("block", 'starts_with(http.request.uri.path, "/admin/")', id="rl",
                   ratelimit={"characteristics": ["ip.src", "cf.colo.id"], "period": 10, "requests_per_period": 5})
    result = trace(zone(tmp_path, ratelimit=[limited]), blocked_by="rl")
    assert result.verdict.summary == ("blocked by rule rl (rate limiting, phase http_ratelimit): it counts this request "
                                      "and Security Events says the rate was exceeded")


def test_a_rule_security_events_names_that_does_not_match_is_reported(tmp_path):
    result = trace(zone(tmp_path, custom=[rule("block", 'http.request.method eq "PUT"', id="b")]), blocked_by="b")
    assert result.verdict.outcome == "reaches the origin"
    assert result.verdict.advice == [
        'Security Events names rule b, but for this request it is not matched (http.request.method eq "PUT"): '
        "the request differs from the one given, or the configuration changed since."
    ]


@pytest.mark.parametrize("score, outcome", [(1, "blocked"), (15, "reaches the origin"), (None, "undecided")])
def test_super_bot_fight_mode_depends_on_the_bot_score(tmp_path, score, outcome):
    z = zone(tmp_path, bot_management={"fight_mode": False, "sbfm_definitely_automated": "block", "sbfm_likely_automated": "allow"})
    result = trace(z, bot_score=score)
    assert result.verdict.outcome == outcome
    if score is None:
        assert result.steps[0].depends_on == ["depends on the bot score (give --bot-score)"]


def test_a_custom_skip_of_the_sbfm_phase_skips_super_bot_fight_mode(tmp_path):
    z = zone(tmp_path, custom=[rule("skip", action_parameters={"phases": ["http_request_sbfm"]}, id="s")],
             bot_management={"sbfm_definitely_automated": "block"})
    result = trace(z, bot_score=1)
    assert result.verdict.outcome == "reaches the origin"
    assert result.steps[-1].effect == "skipped by rule s"


def test_a_named_list_is_unknown_until_given(tmp_path):
    z = zone(tmp_path, custom=[rule("block", "ip.src in $partners", id="b")])
    unknown = trace(z, ip="192.0.2.1")
    assert unknown.steps[0].depends_on == ["depends on $partners"]
    assert unknown.verdict.possible == ["rule b: depends on $partners"]
    assert trace(z, ip="192.0.2.1", ip_lists={"partners": ("192.0.2.0/24",)}).verdict.outcome == "blocked"
    assert trace(z, ip="192.0.2.1", ip_lists={"partners": ("198.51.100.0/24",)}).verdict.outcome == "reaches the origin"


@pytest.mark.parametrize("source, outcome", [("192.0.2.0/28", "matched"), ("198.51.100.0/24", "not matched"),
                                             ("192.0.0.0/16", "unknown")])
def test_a_source_range_is_decided_by_containment(tmp_path, source, outcome):
    z = zone(tmp_path, custom=[rule("block", "ip.src in {192.0.2.0/24}", id="b")])
    result = trace(z, ip=source)
    assert result.steps[0].outcome == outcome
    if outcome == "unknown":
        assert result.steps[0].depends_on == ["depends on which address of 192.0.0.0/16 sends the request"]


def test_the_first_failed_condition_is_named(tmp_path):
    z = zone(tmp_path, custom=[rule("block", 'http.host eq "www.example.com" and (http.request.method eq "PUT" or ssl) '
                                              'and starts_with(http.request.uri.path, "/api/")', id="b")])
    result = trace(z, url="https://www.example.com/admin/export")
    assert result.steps[0].failed_condition == 'starts_with(http.request.uri.path, "/api/")'


def test_configuration_rules_that_change_security_settings_for_the_url_are_listed(tmp_path):
    config = [rule("set_config", 'starts_with(http.request.uri.path, "/admin/")', id="cfg",
                   action_parameters={"security_level": "under_attack", "bic": False}),
              rule("set_config", 'starts_with(http.request.uri.path, "/shop/")', id="other",
                   action_parameters={"security_level": "off"})]
    result = trace(zone(tmp_path, config=config))
    assert [(s.stage, s.rule_id, s.outcome, s.effect) for s in result.steps] == [
        ("configuration_rules", "cfg", "matched", "sets security_level = under_attack, bic = False for this URL"),
        ("configuration_rules", "other", "not matched", "sets security_level = off for this URL"),
    ]
