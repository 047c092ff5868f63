"""ssl-downgrade beyond its fixtures: Page Rule targets, the scope of Configuration Rules, the
setting id in ``rule_id``, and values that are not strings."""

from __future__ import annotations

import json

import pytest

from rulelint.pipeline.engine import analyse


def _findings(tmp_path, document):
    path = tmp_path / "api.json"
    path.write_text(json.dumps(document, indent=1))
    return analyse([str(path)], select=["ssl-downgrade"]).findings


def _page_rule(target, value="flexible", status="active"):
    return {"result": [{"id": "9a7806061c88ada191ed06f989cc3dac",
                        "targets": [{"target": "url", "constraint": {"operator": "matches", "value": target}}],
                        "actions": [{"id": "ssl", "value": value}], "priority": 1, "status": status}]}


@pytest.mark.parametrize(
    ("target", "severity", "covers"),
    [
        ("*example.com/*", "error", "every host and path of example.com"),
        ("example.com/wp-admin/*", "error", "(admin traffic)"),
        ("api.example.com/*", "error", "(API traffic)"),
        ("www.example.com/*", "warning", "every path of www.example.com"),
        ("www.example.com/images/*", "warning", 'URLs matching "www.example.com/images/*"'),
    ],
)
def test_page_rule_severity_follows_what_the_target_covers(tmp_path, target, severity, covers):
    (finding,) = _findings(tmp_path, _page_rule(target))
    assert finding.severity == severity
    assert covers in finding.message
    assert finding.location.rule_id == "9a7806061c88ada191ed06f989cc3dac"


def test_paused_page_rules_and_full_modes_are_left_alone(tmp_path):
    assert _findings(tmp_path, _page_rule("*example.com/*", status="disabled")) == []
    assert _findings(tmp_path, _page_rule("*example.com/*", value="full")) == []


def _config_rule(expression, ssl="flexible"):
    return {"result": {"id": "9c8b7a6f5e4d4c3b2a1f0e9d8c7b6a5f", "kind": "zone", "phase": "http_config_settings",
                       "rules": [{"id": "0d9c8b7a6f5e4d4c3b2a1f0e9d8c7b6a", "action": "set_config",
                                  "action_parameters": {"ssl": ssl, "automatic_https_rewrites": True},
                                  "expression": expression, "enabled": True}]}}


@pytest.mark.parametrize(
    ("expression", "severity"),
    [
        ("true", "error"),
        ('http.request.method eq "GET"', "error"),  # no host or path: the whole zone
        ('http.host eq "admin.example.com"', "error"),
        ('starts_with(http.request.uri.path, "/api/")', "error"),
        ('http.host eq "static.example.com"', "warning"),
        ('not http.request.uri.path eq "/login" and http.host eq "www.example.com"', "warning"),
    ],
)
def test_config_rule_severity_follows_its_scope(tmp_path, expression, severity):
    (finding,) = _findings(tmp_path, _config_rule(expression))
    assert finding.severity == severity
    # The replacement keeps the rule's other settings and only raises the mode.
    assert finding.suggestion.action_parameters == {"ssl": "strict", "automatic_https_rewrites": True}
    assert "install an origin certificate first" in finding.suggestion.note


def test_a_config_rule_that_cannot_match_or_be_read_is_left_alone(tmp_path):
    assert _findings(tmp_path, _config_rule('http.host eq "a.example.com" and http.host eq "b.example.com"')) == []
    assert _findings(tmp_path, _config_rule('http.host eq')) == []


def test_zone_setting_names_the_setting_id(tmp_path):
    (finding,) = _findings(tmp_path, {"result": [{"id": "ssl", "value": "off", "editable": True, "modified_on": None}]})
    assert finding.location.rule_id == "ssl"
    assert "The zone's SSL/TLS encryption mode is Off" in finding.message


@pytest.mark.parametrize("value", [None, 5, ["flexible"], {"value": "flexible"}])
def test_values_that_are_not_strings_are_no_traceback(tmp_path, value):
    assert _findings(tmp_path, {"result": [{"id": "ssl", "value": value, "editable": True, "modified_on": None}]}) == []
    assert _findings(tmp_path, _config_rule("true", ssl=value)) == []


def test_a_zone_setting_overridden_for_every_request_is_left_alone(tmp_path):
    setting = {"result": [{"id": "ssl", "value": "flexible", "editable": True, "modified_on": None}]}
    assert _findings(tmp_path, [setting, _config_rule("true", ssl="strict")]) == []
    assert _findings(tmp_path, [setting, _page_rule("*example.com/*", value="strict")]) == []
    # Overridden for one host only: the rest of the zone still goes out in plaintext.
    assert len(_findings(tmp_path, [setting, _config_rule('http.host eq "www.example.com"', ssl="strict")])) == 1
