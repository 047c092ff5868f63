"""zone-setting-off: the setting id in rule_id, values written as booleans, migration seen at
account level too, and never quieter than page-rule-waf-off for the same setting on one host."""

from __future__ import annotations

import json

from rulelint.findings import SEVERITY_RANK
from rulelint.pipeline.engine import analyse

ZONE = "0da42c8d2132a9ddaf714f9e7c920711"
CMR = "efb7b8c949ac4650a09736fc376e9aee"


def _settings(**values):
    return {"success": True, "errors": [], "messages": [],
            "result": [{"id": key, "value": value} for key, value in values.items()]}


def _run(tmp_path, *documents, select=("zone-setting-off",)):
    paths = []
    for index, document in enumerate(documents):
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(document, indent=1))
        paths.append(str(path))
    return analyse(paths, select=list(select)).findings


def _managed(enabled):
    return {"success": True, "errors": [], "messages": [], "result": {
        "id": "m1", "kind": "zone", "phase": "http_request_firewall_managed",
        "rules": [{"id": "x1", "action": "execute", "expression": "true", "enabled": enabled,
                   "action_parameters": {"id": CMR}}]}}


def test_each_finding_names_its_setting(tmp_path):
    findings = _run(tmp_path, _managed(False), _settings(browser_check="off", waf="off", security_level="off"))
    assert sorted((f.location.rule_id, f.severity) for f in findings) == [
        ("browser_check", "warning"), ("security_level", "info"), ("waf", "warning"),
    ]


def test_waf_off_is_not_judged_when_the_managed_phase_is_not_among_the_inputs(tmp_path):
    assert _run(tmp_path, _settings(waf="off")) == []


def test_settings_that_do_not_weaken_anything_are_quiet(tmp_path):
    findings = _run(tmp_path, _settings(browser_check="on", waf="on", security_level="low"))
    assert findings == []


def test_a_zone_migrated_through_an_account_ruleset_makes_waf_off_info(tmp_path):
    bundle = {
        "bundle_format": "rulelint.zone-bundle/1",
        "account": {"id": "f037e56e89293a057740de681ac9abbe", "rulesets": [{
            "id": "root1", "kind": "root", "phase": "http_request_firewall_managed",
            "rules": [{"id": "acc1", "action": "execute", "enabled": True,
                       "expression": 'cf.zone.name eq "example.com" and cf.zone.plan eq "ENT"',
                       "action_parameters": {"id": CMR}}]}]},
        "zones": [{"zone": {"id": ZONE, "name": "example.com", "plan": "enterprise"},
                   "settings": {"waf": {"value": "off"}}}],
    }
    (finding,) = _run(tmp_path, bundle)
    assert finding.severity == "info"
    assert "the zone runs WAF Managed Rules" in finding.message


def test_an_execute_whose_overrides_switch_the_ruleset_off_is_not_a_migration(tmp_path):
    managed = {"success": True, "errors": [], "messages": [], "result": {
        "id": "m1", "kind": "zone", "phase": "http_request_firewall_managed",
        "rules": [{"id": "x1", "action": "execute", "expression": "true", "enabled": True,
                   "action_parameters": {"id": CMR, "overrides": {"enabled": False}}}]}}
    (finding,) = _run(tmp_path, managed, _settings(waf="off"))
    assert finding.severity == "warning"
    assert finding.message.endswith("runs no WAF Managed Rules: no managed WAF rule inspects its traffic.")


def test_browser_check_off_zone_wide_is_never_quieter_than_on_one_host(tmp_path):
    page_rule = {"success": True, "errors": [], "messages": [], "result": [{
        "id": "p1", "status": "active", "priority": 1,
        "targets": [{"target": "url", "constraint": {"operator": "matches", "value": "example.com/*"}}],
        "actions": [{"id": "browser_check", "value": "off"}]}]}
    (tmp_path / "page").mkdir()
    (per_host,) = _run(tmp_path / "page", page_rule, select=("page-rule-waf-off",))
    (zone_wide,) = _run(tmp_path, _settings(browser_check="off"))
    assert SEVERITY_RANK[zone_wide.severity] >= SEVERITY_RANK[per_host.severity]
