"""no-rate-limit beyond its fixtures: the suggested rule follows the zone's plan, the check is
silent where it cannot decide, and the demo's one finding sits on the API host's DNS record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulelint.analysis.narrowing import verified
from rulelint.pipeline.engine import analyse

ROOT = Path(__file__).resolve().parents[2]
ZONE = "0da42c8d2132a9ddaf714f9e7c920711"


def _bundle(tmp_path, plan=None, ratelimit_rules=None, unreadable=(), custom_expression=None):
    entrypoints = {}
    if custom_expression is not None:
        entrypoints["http_request_firewall_custom"] = {
            "id": "2f2feab2026849078ba485f918791bdc", "kind": "zone", "phase": "http_request_firewall_custom",
            "rules": [{"id": "3a03d665bac047339bb530ecb439a90d", "action": "managed_challenge",
                       "expression": custom_expression, "enabled": True}],
        }
    if ratelimit_rules is not None:
        entrypoints["http_ratelimit"] = {
            "id": "5b6c7d8e9f0a4b1c2d3e4f5a6b7c8d9e", "kind": "zone", "phase": "http_ratelimit",
            "rules": ratelimit_rules,
        }
    zone = {"id": ZONE, "name": "example.com"}
    if plan:
        zone["plan"] = plan
    document = {
        "bundle_format": "rulelint.zone-bundle/1",
        "zones": [{
            "zone": zone,
            "rulesets": {"entrypoints": entrypoints},
            "dns_records": [{"id": "472e67954025e0ba6aaa6d586b9e0b60", "name": "api.example.com", "type": "A",
                             "content": "198.51.100.11", "proxied": True}],
            "unreadable": list(unreadable),
        }],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document, indent=1))
    return path


def _findings(path):
    return analyse([str(path)], select=["no-rate-limit"]).findings


def _ratelimit(expression, enabled=True):
    return {"id": "6c7d8e9f0a1b4c2d3e4f5a6b7c8d9e0f", "action": "block", "expression": expression, "enabled": enabled,
            "ratelimit": {"characteristics": ["ip.src", "cf.colo.id"], "period": 10, "requests_per_period": 5,
                          "mitigation_timeout": 10}}


@pytest.mark.parametrize(
    ("plan", "expression", "period"),
    [
        (None, 'http.request.uri.path eq "/login"', 10),
        ("free", 'http.request.uri.path eq "/login"', 10),
        ("pro", 'http.request.uri.path eq "/login"', 60),
        ("business", 'http.request.uri.path eq "/login" and http.request.method eq "POST"', 60),
        ("enterprise", 'http.request.uri.path eq "/login" and http.request.method eq "POST"', 60),
    ],
)
def test_the_suggested_rule_uses_only_what_the_plan_allows(tmp_path, plan, expression, period):
    path = _bundle(tmp_path, plan=plan, custom_expression='http.request.uri.path eq "/login"')
    (finding,) = _findings(path)
    assert finding.suggestion.expression == expression
    assert verified(finding.suggestion.expression) is not None
    assert f'"period": {period}' in finding.suggestion.note
    assert '"characteristics": ["ip.src", "cf.colo.id"]' in finding.suggestion.note
    assert "a starting point to tune" in finding.suggestion.note
    assert "API traffic needs a rule of its own" in finding.suggestion.note


def test_api_host_on_a_free_plan_gets_advice_not_a_host_rule(tmp_path):
    (finding,) = _findings(_bundle(tmp_path, plan="free"))
    assert finding.location.rule_id == "472e67954025e0ba6aaa6d586b9e0b60"
    assert finding.suggestion.expression is None
    assert "can only test the path" in finding.suggestion.note


def test_a_rule_used_up_on_free_is_said(tmp_path):
    path = _bundle(tmp_path, plan="free", custom_expression='http.request.uri.path eq "/login"',
                   ratelimit_rules=[_ratelimit('http.request.uri.path eq "/search"')])
    (finding,) = _findings(path)
    assert "the zone's one rate limiting rule does not cover it" in finding.message
    assert "the Free plan allows 1 rate limiting rule and the zone has 1" in finding.suggestion.note


def test_a_rate_limit_on_the_path_covers_it(tmp_path):
    path = _bundle(tmp_path, plan="pro", custom_expression='http.request.uri.path eq "/login"',
                   ratelimit_rules=[_ratelimit('starts_with(http.request.uri.path, "/login")')])
    assert _findings(path) == []


def test_a_disabled_rate_limit_covers_nothing(tmp_path):
    path = _bundle(tmp_path, plan="pro", custom_expression='http.request.uri.path eq "/login"',
                   ratelimit_rules=[_ratelimit('http.request.uri.path eq "/login"', enabled=False)])
    assert len(_findings(path)) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ratelimit_rules": [_ratelimit('http.request.uri.path eq "/login" and')]},  # unreadable rule
        {"unreadable": [{"what": "rulesets:http_ratelimit", "status": 403, "error": "Authentication error"}]},
    ],
)
def test_silent_where_it_cannot_decide(tmp_path, kwargs):
    path = _bundle(tmp_path, custom_expression='http.request.uri.path eq "/login"', **kwargs)
    assert _findings(path) == []


def test_a_404_for_the_phase_means_no_rate_limiting(tmp_path):
    path = _bundle(tmp_path, custom_expression='http.request.uri.path eq "/login"',
                   unreadable=[{"what": "rulesets:http_ratelimit", "status": 404, "error": "absent"}])
    assert len(_findings(path)) == 1


def test_on_the_demo_the_finding_sits_on_the_api_record_not_the_stripe_exception():
    (finding,) = _findings(ROOT / "fixtures/demo/export.json")
    assert finding.location.rule_id == "472e67954025e0ba6aaa6d586b9e0b60"  # the api.example.com record
    assert finding.location.pointer == "/zones/0/dns_records/1"
    assert finding.suggestion.expression == 'http.host eq "api.example.com"'  # Pro: host allowed


def test_a_dns_only_api_host_is_left_to_dns_only_host(tmp_path):
    path = tmp_path / "api.json"
    path.write_text(json.dumps([
        {"result": [{"id": "472e67954025e0ba6aaa6d586b9e0b60", "name": "api.example.com", "type": "A",
                     "content": "198.51.100.11", "proxied": False}]},
        {"result": {"id": "2f2feab2026849078ba485f918791bdc", "kind": "zone", "phase": "http_request_firewall_custom",
                    "rules": [{"id": "3a03d665bac047339bb530ecb439a90d", "action": "block",
                               "expression": 'http.host eq "api.example.com" and ip.geoip.country eq "XX"'}]}},
    ]))
    assert _findings(path) == []
