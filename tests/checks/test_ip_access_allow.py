"""ip-access-allow: what users see for each kind of allow rule, the account rules reported once,
list names that never reuse a blocking list, and bad values that stay quiet."""

from __future__ import annotations

import json

import pytest

from rulelint.checks.ip_access_allow import paths_in_notes
from rulelint.pipeline.engine import analyse

ZONE = "0da42c8d2132a9ddaf714f9e7c920711"
OTHER_ZONE = "1da42c8d2132a9ddaf714f9e7c920712"


def _rule(rule_id, target, value, notes="", scope="zone", mode="whitelist", zone=ZONE):
    rule = {"id": rule_id, "mode": mode, "configuration": {"target": target, "value": value},
            "scope": {"id": zone, "type": scope}}
    if notes:
        rule["notes"] = notes
    return rule


def _findings(tmp_path, *documents, name="api.json"):
    paths = []
    for index, document in enumerate(documents):
        path = tmp_path / f"{index}-{name}"
        path.write_text(json.dumps(document, indent=1))
        paths.append(str(path))
    return analyse(paths, select=["ip-access-allow"]).findings


def _response(result):
    return {"success": True, "errors": [], "messages": [], "result": result}


@pytest.mark.parametrize(
    ("target", "value", "severity", "words"),
    [
        ("asn", "AS16509", "error", "every address of AS16509 (Amazon Web Services, a public cloud: every tenant"),
        ("asn", "64496", "error", "every address of AS64496 (a whole network operator, not one client)"),
        ("country", "de", "error", "every visitor from country DE past custom rules"),
        ("ip_range", "198.51.100.0/23", "error", "198.51.100.0/23 (512 addresses, wider than a /24)"),
        ("ip_range", "198.51.100.0/24", "warning", "198.51.100.0/24 (256 addresses)"),
        ("ip_range", "2001:db8::/47", "error", "2001:db8::/47 (a /47, wider than a /48)"),
        ("ip_range", "2001:db8::/48", "warning", "2001:db8::/48 (a /48)"),
        ("ip_range", "192.0.2.7/32", "info", "192.0.2.7 (no notes say who it is)"),
        ("ip6", "2001:db8::1", "info", "2001:db8::1 (no notes say who it is)"),
    ],
)
def test_severity_and_words_by_target(tmp_path, target, value, severity, words):
    (finding,) = _findings(tmp_path, _response([_rule("a1", target, value)]))
    assert finding.severity == severity
    assert words in finding.message
    assert finding.location.rule_id == "a1"


def test_a_country_allow_is_said_not_to_bypass_managed_rules(tmp_path):
    (finding,) = _findings(tmp_path, _response([_rule("a1", "country", "DE", "partners")]))
    assert "(a country allow still goes through WAF Managed Rules)" in finding.message
    assert "WAF Managed Rules, Browser" not in finding.message


def test_a_named_single_address_and_other_modes_are_not_reported(tmp_path):
    rules = [
        _rule("a1", "ip", "192.0.2.1", "office egress"),
        _rule("a2", "asn", "AS16509", "scrapers", mode="block"),
        _rule("a3", "country", "XX", mode="managed_challenge"),
    ]
    assert _findings(tmp_path, _response(rules)) == []


@pytest.mark.parametrize(
    ("target", "value"),
    [("ip_range", ""), ("ip_range", "not-an-address"), ("ip", "300.1.1.1"), ("asn", "ASX"), ("asn", ""), ("country", "")],
)
def test_a_value_rulelint_cannot_read_gives_no_finding_and_no_traceback(tmp_path, target, value):
    assert _findings(tmp_path, _response([_rule("a1", target, value)])) == []


def test_account_scope_is_named_and_reported_once_for_two_zones(tmp_path):
    bundle = {
        "bundle_format": "rulelint.zone-bundle/1",
        "account": {"id": "f037e56e89293a057740de681ac9abbe", "rulesets": [],
                    "access_rules": [_rule("acc1", "asn", "AS14061", "", scope="account")]},
        "zones": [
            {"zone": {"id": ZONE, "name": "example.com"}},
            {"zone": {"id": OTHER_ZONE, "name": "example.org"}},
        ],
    }
    findings = _findings(tmp_path, bundle, name="bundle.json")
    assert len(findings) == 1
    (finding,) = findings
    assert finding.location.rule_id == "acc1"
    assert "DigitalOcean, a public cloud" in finding.message
    assert finding.message.endswith("it is account-scoped, so it applies to every zone of the account.")


def test_user_scope_is_named(tmp_path):
    (finding,) = _findings(tmp_path, _response([_rule("u1", "ip_range", "203.0.113.0/28", "CI", scope="user")]))
    assert finding.message.endswith("it is user-scoped, so it applies to every zone the user owns.")


def test_the_suggested_list_is_named_after_the_notes_and_scoped_to_their_paths(tmp_path):
    rule = _rule("a1", "ip_range", "203.0.113.0/28", "Stripe webhooks on /webhooks/stripe and /api/*")
    (finding,) = _findings(tmp_path, _response([rule]))
    assert finding.suggestion.expression == (
        'ip.src in $stripe_webhooks_ips and (http.request.uri.path eq "/webhooks/stripe" '
        'or starts_with(http.request.uri.path, "/api/"))'
    )
    assert finding.suggestion.action_parameters is None
    assert "create the account-level IP list $stripe_webhooks_ips with 203.0.113.0/28" in finding.suggestion.note


def test_the_suggestion_never_reuses_a_list_the_zone_blocks(tmp_path):
    ruleset = _response({
        "id": "r1", "kind": "zone", "phase": "http_request_firewall_custom",
        "rules": [{"id": "b1", "action": "block", "expression": "ip.src in $partner_ips", "enabled": True}],
    })
    access = _response([_rule("a1", "ip_range", "203.0.113.0/28", "partner")])
    (finding,) = _findings(tmp_path, [ruleset, access])
    assert finding.suggestion.expression == "ip.src in $partner_allowed_ips"


def test_paths_in_notes_skip_words_with_slashes_and_urls():
    assert paths_in_notes("CI/CD runners for /deploy/hook, see https://example.com/x") == ["/deploy/hook"]
    assert paths_in_notes("office") == []
