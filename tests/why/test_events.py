"""Security Events exports: both shapes read into the same events, the acting record picked
per Ray ID, and the per-rule summary of ``rulelint events``."""

from __future__ import annotations

import json

from rulelint.why.events import pick, read_events

from .conftest import FIXTURES

LOGPUSH = FIXTURES / "mautic-owasp" / "firewall_events.ndjson"
GRAPHQL = FIXTURES / "api-bot-fight-mode" / "firewall-events.json"


def test_logpush_ndjson_fields_become_the_request_and_the_acting_rule():
    event = pick(read_events(str(LOGPUSH)), "8e1f2a3b4c5d6e7f")
    assert event.match_index == 0  # the last matching rule acted, not the logging one before it
    assert (event.rule_id, event.action, event.source) == ("6179ae15870a4bb7b2d480d4843b323c", "block", "firewallmanaged")
    assert (event.method, event.url, event.client_ip, event.asn, event.country) == (
        "POST", "https://mautic.example.com/s/emails/edit/12", "198.51.100.23", 64500, "DE")
    assert event.user_agent == "Mozilla/5.0 (X11; Linux x86_64)"


def test_graphql_firewall_events_adaptive_fields_become_the_request():
    event = pick(read_events(str(GRAPHQL)), None)
    assert (event.ray_id, event.source, event.method, event.url, event.client_ip, event.asn) == (
        "8e2a0b1c2d3e4f50", "botfight", "POST", "https://api.example.com/v1/orders", "203.0.113.50", 64496)


def test_a_bare_list_of_graphql_events_and_a_query_string_are_read(tmp_path):
    export = tmp_path / "events.json"
    export.write_text(json.dumps([{"rayName": "1a", "clientIP": "192.0.2.9", "clientRequestHTTPHost": "a.example.com",
                                   "clientRequestPath": "/search", "clientRequestQuery": "?q=1", "action": "block",
                                   "source": "firewallCustom", "ruleId": "r1"}]))
    event = pick(read_events(str(export)), "1A")
    assert event.url == "https://a.example.com/search?q=1"
    assert event.method == "GET"


def test_events_summary_per_rule_text(rulelint):
    run = rulelint("events", "fixtures/why/mautic-owasp/firewall_events.ndjson", "--top", "1")
    assert run.code == 0
    assert run.out == (
        'firewallmanaged rule 6179ae15870a4bb7b2d480d4843b323c "949110: Inbound Anomaly Score Exceeded": 2 events (2 blocked)\n'
        "  paths    /s/emails/edit/12 (1), … 1 more\n"
        "  methods  POST (2)\n"
        "  hosts    mautic.example.com (2)\n"
        "  sources  198.51.100.23 (2)\n"
        'firewallcustom rule c0ffee00c0ffee00c0ffee00c0ffee00 "Challenge the installer": 1 event (1 challenged)\n'
        "  paths    /installer (1)\n"
        "  methods  GET (1)\n"
        "  hosts    mautic.example.com (1)\n"
        "  sources  203.0.113.99 (1)\n"
        'firewallmanaged rule a1b2c3d4e5f60718293a4b5c6d7e8f90 "942100: SQL Injection Attack Detected via libinjection": 1 event (1 log)\n'
        "  paths    /s/emails/edit/12 (1)\n"
        "  methods  POST (1)\n"
        "  hosts    mautic.example.com (1)\n"
        "  sources  198.51.100.23 (1)\n"
    )


def test_events_summary_json(rulelint):
    run = rulelint("events", "fixtures/why/api-bot-fight-mode/firewall-events.json", "--format", "json")
    assert json.loads(run.out) == {
        "version": 1,
        "events": 1,
        "rules": [{
            "rule_id": "", "source": "botfight", "description": "", "events": 1, "actions": {"challenged": 1},
            "paths": [{"value": "/v1/orders", "count": 1}], "methods": [{"value": "POST", "count": 1}],
            "hosts": [{"value": "api.example.com", "count": 1}], "sources": [{"value": "203.0.113.50", "count": 1}],
        }],
    }
