"""page-rule-waf-off points at the other places its findings are about (``Finding.related``):
the Zone Lockdown rules a Disable Security Page Rule voids, and the legacy ``waf`` setting."""

from pathlib import Path

import pytest

from rulelint.pipeline.engine import analyse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "checks" / "page-rule-waf-off"


def _only_finding(case: str, name: str):
    analysis = analyse([str(FIXTURES / case / name)], select=["page-rule-waf-off"])
    (finding,) = analysis.findings
    return finding


@pytest.mark.parametrize("name, line", [("api.json", 3), ("v5.tf", 10)])
def test_disable_security_names_the_lockdown_it_voids(name, line):
    finding = _only_finding("disable-security-voids-lockdown", name)
    assert finding.severity == "error"
    (related,) = finding.related  # the lockdown on /internal/* is not covered
    assert related.message.startswith('Zone Lockdown "admin from the office only" on "example.com/admin*"')
    assert Path(related.location.file).name == name
    assert related.location.line == line


@pytest.mark.parametrize("name", ["api.json", "v5.tf"])
def test_a_lockdown_elsewhere_is_not_related(name):
    finding = _only_finding("disable-security-root-lockdown-elsewhere", name)
    assert finding.severity == "warning"
    assert finding.related == ()
    assert "Zone Lockdown, Scrape Shield and Email Obfuscation" in finding.message


@pytest.mark.parametrize("case, value", [("waf-off-new-waf", "(off)"), ("waf-off-marketing-api", "is on")])
@pytest.mark.parametrize("name", ["api.json", "v5.tf"])
def test_the_legacy_waf_setting_is_a_related_location(case, value, name):
    finding = _only_finding(case, name)
    (related,) = finding.related
    assert value in related.message
    assert Path(related.location.file).name == name
    assert "legacy waf setting is on," not in finding.message  # the position is no longer in the text


@pytest.mark.parametrize("case", ["waf-off-log-override", "waf-off-disabled-ruleset"])
def test_a_ruleset_that_only_logs_or_is_off_is_not_the_new_waf(case):
    finding = _only_finding(case, "api.json")
    assert "new WAF Managed Rules" not in finding.message
    assert finding.suggestion.action_parameters is None  # the ruleset is not named
