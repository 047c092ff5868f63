"""dns-only-host beyond its fixtures: which records are never web traffic, which rules count as
protecting a host, and records that are not well formed."""

from __future__ import annotations

import json

import pytest

from rulelint.pipeline.engine import analyse


def _findings(tmp_path, records, rules=(), phase="http_request_firewall_custom"):
    document = [{"result": list(records)}]
    if rules:
        document.append({"result": {"id": "2f2feab2026849078ba485f918791bdc", "kind": "zone", "phase": phase,
                                    "rules": list(rules)}})
    path = tmp_path / "api.json"
    path.write_text(json.dumps(document, indent=1))
    return analyse([str(path)], select=["dns-only-host"]).findings


def _record(name, type_="A", proxied=False, content="192.0.2.1"):
    return {"id": "d4e5f60718293a4b5c6d7e8f90a1b2c3", "name": name, "type": type_, "content": content,
            "proxied": proxied, "ttl": 300}


def _rule(expression, description="only staff"):
    return {"id": "3a03d665bac047339bb530ecb439a90d", "description": description, "action": "block",
            "expression": expression, "enabled": True}


@pytest.mark.parametrize(
    "name",
    ["_acme-challenge.api.example.com", "mail.example.com", "smtp2.example.com", "autodiscover.example.com",
     "*.example.com", "blog.example.com"],
)
def test_records_that_are_not_known_web_hosts_of_interest_are_left_alone(tmp_path, name):
    assert _findings(tmp_path, [_record(name)]) == []


def test_mx_targets_are_left_alone_even_when_rules_name_them(tmp_path):
    records = [_record("example.com", "MX", None, "inbound.example.com"), _record("inbound.example.com")]
    assert _findings(tmp_path, records, [_rule('http.host eq "inbound.example.com"')]) == []


def test_a_rule_outside_the_security_phases_does_not_count(tmp_path):
    rule = {"id": "3a03d665bac047339bb530ecb439a90d", "action": "set_cache_settings",
            "action_parameters": {"cache": True}, "expression": 'http.host eq "shop.example.com"', "enabled": True}
    assert _findings(tmp_path, [_record("shop.example.com")], [rule], phase="http_request_cache_settings") == []


def test_a_security_rule_naming_the_host_makes_it_an_error_with_the_record_id(tmp_path):
    (finding,) = _findings(tmp_path, [_record("shop.example.com")], [_rule('http.host in {"shop.example.com"}')])
    assert finding.severity == "error"
    assert finding.location.rule_id == "d4e5f60718293a4b5c6d7e8f90a1b2c3"
    assert '("only staff")' in finding.message
    assert "proxy the record" in finding.suggestion.note


def test_an_admin_name_alone_is_a_warning(tmp_path):
    (finding,) = _findings(tmp_path, [_record("admin.example.com")])
    assert finding.severity == "warning"


@pytest.mark.parametrize("proxied", [None, "no", 0])
def test_unknown_or_malformed_proxied_is_no_claim_and_no_traceback(tmp_path, proxied):
    assert [f for f in _findings(tmp_path, [_record("api.example.com", proxied=proxied)])
            if f.check == "dns-only-host"] == []
