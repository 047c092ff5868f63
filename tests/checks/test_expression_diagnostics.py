"""deprecated-field, expression-warning and invalid-expression split the language layer's
diagnostics between them: errors to invalid-expression only, deprecated fields to
deprecated-field (with a rewritten expression that parses cleanly), other warnings to
expression-warning."""

from __future__ import annotations

import json

import pytest

from rulelint.pipeline.engine import analyse
from rulelint.language import parse


def _ruleset(tmp_path, expression):
    document = {
        "result": {
            "id": "6e5d4c3b2a194f8e8d7c6b5a4f3e2d1c", "kind": "zone", "phase": "http_request_firewall_custom",
            "rules": [{"id": "1f2e3d4c5b6a47988a7b6c5d4e3f2a1b", "action": "block", "expression": expression}],
        }
    }
    path = tmp_path / "ruleset.json"
    path.write_text(json.dumps(document))
    return [f for f in analyse([str(path)]).findings]


@pytest.mark.parametrize(
    "expression, expected",
    [
        ('ip.geoip.country in {"CN" "RU"}', 'ip.src.country in {"CN" "RU"}'),
        ("(ip.geoip.asnum eq 13335 or ip.geoip.asnum eq 209242) and http.request.method eq \"POST\"",
         "(ip.src.asnum eq 13335 or ip.src.asnum eq 209242) and http.request.method eq \"POST\""),
        ('lower(ip.geoip.continent) eq "eu"', 'lower(ip.src.continent) eq "eu"'),
    ],
)
def test_each_deprecated_field_is_reported_once_and_the_suggestion_uses_the_current_fields(
    tmp_path, expression, expected
):
    import re

    findings = [f for f in _ruleset(tmp_path, expression) if f.check == "deprecated-field"]
    assert len(findings) == len(set(re.findall(r"ip\.geoip\.\w+", expression)))
    for finding in findings:
        assert finding.severity == "warning"
        assert finding.suggestion.expression == expected
        again = parse(finding.suggestion.expression)
        assert again.ok and not again.diagnostics


def test_warnings_are_not_reported_as_invalid_expressions(tmp_path):
    checks = [f.check for f in _ruleset(tmp_path, 'ip.geoip.country eq "FR"\tand http.host eq "a.example"')]
    assert sorted(checks) == ["deprecated-field", "expression-warning"]


def test_an_invalid_expression_with_a_deprecated_field_gets_no_suggestion(tmp_path):
    findings = _ruleset(tmp_path, 'ip.geoip.country eq 12')
    by_check = {f.check: f for f in findings}
    assert by_check["invalid-expression"].severity == "error"
    assert by_check["deprecated-field"].suggestion is None
