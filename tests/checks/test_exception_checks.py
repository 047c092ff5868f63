"""broad-skip, missing-ip-scope and invalid-expression on small rulesets: one finding per
cause, severities, hostile managed lists, and every unparseable expression reported."""

from __future__ import annotations

import json

from rulelint.pipeline.engine import analyse


def _findings(tmp_path, *rules):
    document = {
        "result": {
            "id": "6e5d4c3b2a194f8e8d7c6b5a4f3e2d1c", "kind": "zone", "phase": "http_request_firewall_custom",
            "rules": [
                {"id": f"{index:032x}", "enabled": True, **rule} for index, rule in enumerate(rules, 1)
            ],
        }
    }
    path = tmp_path / "ruleset.json"
    path.write_text(json.dumps(document, indent=1))
    return analyse([str(path)]).findings


def _skip(expression, description="partner", **params):
    return {"action": "skip", "description": description, "expression": expression,
            "action_parameters": params or {"phases": ["http_request_firewall_managed"]}}


NAMED_RULE = {"rules": {"efb7b8c949ac4650a09736fc376e9aee": ["5de7edfa648c4d6891dc3e7f84534ffa"]}}


def _managed_findings(tmp_path, *rules):
    """Findings of managed-rules exceptions (``rules``) placed before an ``execute`` rule."""
    document = {
        "result": {
            "id": "7e6d5c4b3a2940f8e8d7c6b5a4f3e2d1", "kind": "zone", "phase": "http_request_firewall_managed",
            "rules": [
                *({"id": f"{index:032x}", "enabled": True, **rule} for index, rule in enumerate(rules, 1)),
                {"id": f"{99:032x}", "enabled": True, "action": "execute", "expression": "true",
                 "action_parameters": {"id": "efb7b8c949ac4650a09736fc376e9aee"}},
            ],
        }
    }
    path = tmp_path / "managed.json"
    path.write_text(json.dumps(document, indent=1))
    return analyse([str(path)]).findings


def test_one_finding_per_cause_broad_skip_owns_broad_rules_missing_ip_scope_the_rest(tmp_path):
    rules = [
        _skip("true", "everything"),
        _skip('http.user_agent contains "Stripe"', "user agent"),
        _skip('http.request.uri.path eq "/hooks" and http.request.method eq "POST"', "path"),
    ]
    by_rule = {(f.check, f.location.rule_id, f.severity) for f in _findings(tmp_path, *rules)
               if f.check in ("broad-skip", "missing-ip-scope", "spoofable-scope")}
    assert by_rule == {
        ("broad-skip", f"{1:032x}", "error"),  # always true, whole phase
        ("spoofable-scope", f"{2:032x}", "error"),  # only the user agent: spoofable-scope owns it
        ("broad-skip", f"{3:032x}", "warning"),  # narrow traffic, but a whole phase
    }
    narrow = _managed_findings(
        tmp_path, _skip('http.request.uri.path eq "/hooks" and http.request.method eq "POST"', "hooks", **NAMED_RULE)
    )
    assert [(f.check, f.severity) for f in narrow if f.check in ("broad-skip", "missing-ip-scope")] == [
        ("missing-ip-scope", "warning")
    ]


def test_broad_skip_adds_the_source_to_every_alternative_without_one(tmp_path):
    findings = _findings(tmp_path, _skip('http.request.uri.path contains "/admin/export"', "export POST fix"))
    assert [f.check for f in findings] == ["broad-skip"]
    assert findings[0].suggestion.expression == (
        'http.request.uri.path eq "/admin/export" and http.request.method eq "POST" and ip.src in $export_post_ips'
    )
    findings = _findings(tmp_path, _skip('http.request.uri.path eq "/sync" and http.request.method eq "POST"', "sync"))
    assert [f.check for f in findings] == ["broad-skip"]
    assert "from any address" in findings[0].message
    assert findings[0].suggestion.expression == (
        'http.request.uri.path eq "/sync" and http.request.method eq "POST" and ip.src in $sync_ips'
    )


def test_a_cloudflare_managed_list_is_not_a_source_restriction(tmp_path):
    findings = _managed_findings(
        tmp_path, _skip('http.request.uri.path eq "/x" and ip.src in $cf.open_proxies', "proxy users", **NAMED_RULE)
    )
    scope = [f for f in findings if f.check == "missing-ip-scope"]
    assert [(f.severity, f.message) for f in scope] == [
        (
            "warning",
            'Skip rule "proxy users" has no source restriction: it turns off 1 managed rule '
            '(5de7edfa648c4d6891dc3e7f84534ffa) for requests to any host whose path is "/x", with any '
            "method, from any address; $cf.open_proxies is a Cloudflare managed list of hostile "
            "sources, not an allowlist.",
        )
    ]
    assert scope[0].suggestion.expression == (
        'http.request.uri.path eq "/x" and ip.src in $cf.open_proxies and ip.src in $proxy_users_ips'
    )


def test_near_everything_lists_and_or_true_get_a_real_source(tmp_path):
    findings = _findings(
        tmp_path,
        _skip("ip.src in {0.0.0.0/1 128.0.0.0/1}", "halves"),
        _skip('http.host eq "a.example.com" or true', "r3"),
    )
    fixes = {(f.check, f.location.rule_id): f.suggestion.expression for f in findings if f.suggestion}
    assert fixes == {
        ("broad-skip", f"{1:032x}"): "ip.src in {0.0.0.0/1 128.0.0.0/1} and ip.src in $halves_ips",
        ("broad-skip", f"{2:032x}"): "ip.src in $r3_ips",
    }


def test_no_suggestion_that_only_drops_parentheses(tmp_path):
    findings = _findings(tmp_path, _skip("(ip.src in {192.0.2.0/24})", "partners", ruleset="current"))
    assert [(f.check, f.severity, f.suggestion) for f in findings] == [("broad-skip", "warning", None)]


def test_every_invalid_expression_is_reported(tmp_path):
    findings = _findings(
        tmp_path,
        {"action": "block", "expression": 'http.request.uri.path contians "/admin"'},
        {"action": "block", "expression": 'http.host eq "a.example.com"'},
        {"action": "block", "expression": "ip.src eq \"198.51.100.4\""},
    )
    invalid = [(f.location.rule_id, f.location.line) for f in findings if f.check == "invalid-expression"]
    assert invalid == [(f"{1:032x}", 11), (f"{3:032x}", 23)]


def test_firewall_rule_allow_is_described_as_cloudflare_documents_it(tmp_path):
    document = [{
        "result": [{
            "id": "7b6a5f4e3d2c4b1a0f9e8d7c6b5a4f3e", "action": "allow", "paused": False, "description": "office",
            "filter": {"id": "8c7b6a5f4e3d4c2b1a0f9e8d7c6b5a4f", "expression": 'http.host eq "intranet.example.com"'},
        }]
    }]
    path = tmp_path / "firewall.json"
    path.write_text(json.dumps(document))
    messages = [f.message for f in analyse([str(path)]).findings if f.check == "broad-skip"]
    assert messages == [
        'Firewall Rule "office" (action allow) turns off the block and challenge actions of every other '
        'Firewall Rule for requests to "intranet.example.com", from any address. Firewall Rules are no '
        "longer supported since 2025-06-15: the rule must be migrated to a custom rule."
    ]
