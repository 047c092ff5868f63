"""What a skip, bypass or allow really turns off (cloudflare-facts.md, "The skip action" and
"Previous-version products"), why some turn nothing off (``why_ineffective``), and the proof
that suggested ``action_parameters`` skip only part of what the original skipped."""

from __future__ import annotations

from rulelint.analysis.context import CheckContext
from rulelint.analysis.exemptions import OWASP_ANOMALY_RULE, why_ineffective
from rulelint.analysis.suggestions import parameters_narrower
from rulelint.model import (
    Configuration,
    ExecuteParameters,
    Expression,
    FirewallRule,
    Filter,
    Origin,
    Rule,
    Ruleset,
    SkipParameters,
    Zone,
)

ORIGIN = Origin(file="zone.json")
MANAGED = "efb7b8c949ac4650a09736fc376e9aee"
OWASP = "4814384a9e5d4991b9815dcfc25d2f1f"
CUSTOM_PHASE = "http_request_firewall_custom"
MANAGED_PHASE = "http_request_firewall_managed"


def _expression(text: str = "true") -> Expression:
    return Expression(text=text, origin=ORIGIN, content_offset=None)


def _skip(raw: dict, **skip) -> Rule:
    return Rule(action="skip", expression=_expression(), skip=SkipParameters(**skip), action_parameters=raw,
                origin=ORIGIN)


def _execute(ruleset_id: str, **overrides) -> Rule:
    return Rule(action="execute", expression=_expression(), execute=ExecuteParameters(id=ruleset_id, **overrides),
                origin=ORIGIN)


def _facts(custom: list[Rule] = (), managed: list[Rule] = (), firewall: list[FirewallRule] = (), account=False):
    rulesets = [
        Ruleset(phase=CUSTOM_PHASE, kind="root" if account else "zone", rules=list(custom), origin=ORIGIN,
                account_level=account),
        Ruleset(phase=MANAGED_PHASE, kind="root" if account else "zone", rules=list(managed), origin=ORIGIN,
                account_level=account),
    ]
    zone = Zone(name="example.com", firewall_rules=list(firewall),
                **({"account_rulesets": rulesets} if account else {"rulesets": rulesets}))
    return CheckContext(Configuration(zones=[zone])).facts(zone)


def _only(facts):
    [exemption] = facts.exemptions
    return exemption


def test_phase_current_skips_the_rest_of_the_custom_phase_and_is_broad():
    exemption = _only(_facts([_skip({"phase": "current"})]))
    assert exemption.broad_skip and why_ineffective(exemption) is None
    assert exemption.skipped == [
        "every remaining rule of phase http_request_firewall_custom (custom rulesets executed later included)"
    ]


def test_unknown_skip_options_are_named_never_dropped():
    exemption = _only(_facts([_skip({"phases": ["http_request_sbfm"], "everything": True},
                                    phases=["http_request_sbfm"])]))
    assert any("action_parameters.everything" in words for words in exemption.skipped)


def test_exceptions_that_skip_nothing_say_why():
    after = _only(_facts(managed=[_execute(MANAGED), _skip({"ruleset": "current"}, ruleset="current")]))
    assert "after every execute rule" in why_ineffective(after)
    rules_in_custom = _only(_facts([_skip({"rules": {MANAGED: ["a" * 32]}}, rules={MANAGED: ["a" * 32]})]))
    assert why_ineffective(rules_in_custom).startswith("action_parameters.rules is not a skip option of phase")
    phases_in_managed = _only(_facts(managed=[_skip({"phases": ["http_request_sbfm"]}, phases=["http_request_sbfm"]),
                                              _execute(MANAGED)]))
    assert "action_parameters.phases is not a skip option" in why_ineffective(phases_in_managed)


def test_products_are_case_sensitive_and_only_waf_and_ratelimit_are_previous_versions():
    new_waf = _facts([_skip({"products": ["waf"]}, products=["waf"])], [_execute(MANAGED)])
    exemption = [e for e in new_waf.exemptions if e.phase == CUSTOM_PHASE][0]
    assert why_ineffective(exemption) == "it turns off only the product waf, which does nothing here"
    old_waf = _only(_facts([_skip({"products": ["waf"]}, products=["waf"])]))
    assert old_waf.broad_skip and why_ineffective(old_waf) is None
    lockdown = _only(_facts([_skip({"products": ["zoneLockdown"]}, products=["zoneLockdown"])]))
    assert not lockdown.broad_skip and lockdown.skipped == ["Zone Lockdown (zoneLockdown)"]
    wrong_case = _only(_facts([_skip({"products": ["ZoneLockdown"]}, products=["ZoneLockdown"])]))
    assert "Cloudflare defines no such product" in wrong_case.what


def test_the_owasp_anomaly_score_rule_is_never_one_managed_rule():
    rules = {OWASP: [OWASP_ANOMALY_RULE]}
    exemption = _only(_facts(managed=[_skip({"rules": rules}, rules=rules), _execute(OWASP)]))
    assert exemption.broad_skip
    assert "switches off all OWASP blocking" in exemption.what and "1 managed rule" not in exemption.what


def test_account_level_exceptions_say_zone_level_rules_still_run():
    exemption = _only(_facts(managed=[_skip({"ruleset": "current"}, ruleset="current"), _execute(MANAGED)],
                             account=True))
    assert exemption.skipped == ["all remaining account-level managed rules (zone-level rules still run)"]


def test_suggested_parameters_skip_only_known_rules_of_rulesets_the_original_skipped():
    overridden = "b" * 32
    facts = _facts(
        [_skip({"phases": [MANAGED_PHASE]}, phases=[MANAGED_PHASE])],
        [_execute(MANAGED, rules=[]), _execute(OWASP, enabled=False)],
    )
    exemption = [e for e in facts.exemptions if e.phase == CUSTOM_PHASE][0]
    assert facts.deployed_managed_rulesets == [MANAGED]  # an execute turned off is not deployed
    assert parameters_narrower(facts, exemption, {"rulesets": [MANAGED]})
    assert not parameters_narrower(facts, exemption, {"rulesets": [OWASP]})
    # A 32-hex id rulelint cannot place in a deployed ruleset (a zone id) is no rule id.
    assert not parameters_narrower(facts, exemption, {"rules": {MANAGED: [overridden]}})
    assert facts.named_managed_rules(f"zone {overridden}") == {}


def test_firewall_rules_are_legacy_with_products_by_case():
    rule = FirewallRule(action="bypass", products=["uaBlock", "rateLimit"], origin=ORIGIN,
                        filter=Filter(expression=_expression('http.host eq "a.example.com"'), origin=ORIGIN))
    exemption = _only(_facts(firewall=[rule]))
    assert exemption.legacy and not exemption.broad_skip
    assert exemption.skipped[0] == "User Agent Blocking (uaBlock)"
