"""``[tool.rulelint]`` / ``.rulelint.toml`` discovery and settings; inline suppressions."""

from __future__ import annotations

import json
import shutil

from .conftest import FIXTURES, REPO


def _rules(run) -> list[tuple[str, int]]:
    return [(f["rule"], f["location"]["line"]) for f in json.loads(run.out)["findings"]]


def _project(tmp_path, config_name: str, config_text: str):
    shutil.copytree(FIXTURES / "mixed", tmp_path / "mixed")
    (tmp_path / config_name).write_text(config_text)
    (tmp_path / "sub").mkdir()
    return tmp_path


def test_pyproject_found_from_a_subfolder(rulelint, tmp_path):
    root = _project(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.rulelint]\nignore = ["invalid-input", "page-rule-waf-off"]\nfail-on = "error"\n')
    run = rulelint("check", "../mixed/zone.json", "--format", "json", cwd=root / "sub")
    rules = {rule for rule, _ in _rules(run)}
    assert "page-rule-waf-off" not in rules and "broad-skip" in rules
    assert run.code == 1  # broad-skip is an error


def test_pyproject_without_the_table_is_not_a_config(rulelint, tmp_path):
    root = _project(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    run = rulelint("check", "mixed/zone.json", "--format", "json", cwd=root)
    assert "page-rule-waf-off" in {rule for rule, _ in _rules(run)}


def test_dotfile_and_cli_overrides(rulelint, tmp_path):
    root = _project(tmp_path, ".rulelint.toml", 'select = ["page-rule-waf-off"]\nfail-on = "error"\n')
    run = rulelint("check", "mixed/zone.json", "--format", "json", cwd=root)
    assert _rules(run) == [("page-rule-waf-off", 52)]  # the disable_security action
    assert run.code == 0  # a warning under fail-on = "error"
    run = rulelint("check", "mixed/zone.json", "--format", "json", "--select", "broad-skip", "--fail-on", "warning", cwd=root)
    assert _rules(run) == [("broad-skip", 21)] and run.code == 1


def test_explicit_config_and_per_path_ignores(rulelint, tmp_path):
    root = _project(tmp_path, "elsewhere.toml", '[tool.rulelint.per-path-ignores]\n"mixed/*.json" = ["broad-skip", "missing-ip-scope"]\n')
    run = rulelint("check", "mixed", "--format", "json", "--config", "elsewhere.toml", cwd=root)
    rules = {rule for rule, _ in _rules(run)}
    assert "broad-skip" not in rules and "missing-ip-scope" not in rules and "invalid-input" in rules


def _partner_zone(tmp_path, config_text: str | None):
    """A zone with Bot Fight Mode on and the host partners.example.com (no default API word)."""
    shutil.copy(REPO / "fixtures" / "checks" / "bot-fight-mode-api" / "partner-host-ok" / "api.json", tmp_path / "zone.json")
    if config_text is not None:
        (tmp_path / ".rulelint.toml").write_text(config_text)
    return tmp_path


def test_per_check_options_reach_the_checks(rulelint, tmp_path):
    root = _partner_zone(tmp_path, None)
    run = rulelint("check", "zone.json", "--format", "json", cwd=root)
    assert _rules(run) == [] and run.code == 0
    (root / ".rulelint.toml").write_text('[checks.bot-fight-mode-api]\napi-host-words = ["partners"]\n')
    run = rulelint("check", "zone.json", "--format", "json", cwd=root)
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["severity"], f["location"]["line"], f["location"]["column"]) for f in findings] == [
        ("bot-fight-mode-api", "error", 6, 30)
    ]
    assert findings[0]["message"] == (
        "Bot Fight Mode is on for this zone, which serves machine clients (host partners.example.com); "
        "it challenges them and no skip rule or Page Rule can exempt them, only an IP Access Rule for a known address."
    )
    assert run.code == 1
    # snake_case spelling works too, and the option replaces the default words
    (root / ".rulelint.toml").write_text('[checks.bot-fight-mode-api]\napi_host_words = ["www"]\n')
    run = rulelint("check", "zone.json", "--format", "json", cwd=root)
    assert "host www.example.com" in json.loads(run.out)["findings"][0]["message"]


def test_bad_per_check_options_are_usage_errors_naming_the_key(rulelint, tmp_path):
    root = _partner_zone(tmp_path, '[checks.bot-fight-mode-api]\napi-host-word = ["partners"]\n')
    run = rulelint("check", "zone.json", cwd=root)
    assert run.code == 2
    assert "unknown option `checks.bot-fight-mode-api.api-host-word` (bot-fight-mode-api has options: api-host-words, api-path-words)" in run.err
    (root / ".rulelint.toml").write_text('[checks.bot-fight-mode-api]\napi-path-words = "/rpc/"\n')
    run = rulelint("check", "zone.json", cwd=root)
    assert run.code == 2 and "`checks.bot-fight-mode-api.api-path-words` must be a list of strings" in run.err
    (root / ".rulelint.toml").write_text('[checks.broad-skip]\nstrict = true\n')
    run = rulelint("check", "zone.json", cwd=root)
    assert run.code == 2 and "unknown option `checks.broad-skip.strict` (broad-skip has options: none)" in run.err


def test_bad_configuration_is_a_usage_error(rulelint, tmp_path):
    root = _project(tmp_path, ".rulelint.toml", 'fail-on = "sometimes"\n')
    run = rulelint("check", "mixed", cwd=root)
    assert run.code == 2
    assert "`fail-on` must be one of error, warning, info, not 'sometimes'" in run.err
    (root / ".rulelint.toml").write_text("selct = []\n")
    run = rulelint("check", "mixed", cwd=root)
    assert run.code == 2 and "unknown key selct" in run.err
    (root / ".rulelint.toml").write_text("select = [\n")
    run = rulelint("check", "mixed", cwd=root)
    assert run.code == 2 and "not valid TOML" in run.err
    (root / ".rulelint.toml").write_text('ignore = ["no-such-check"]\n')
    assert rulelint("check", "mixed", cwd=root).code == 2


# -- inline suppressions ---------------------------------------------------------------------------


def test_json_description_markers(rulelint):
    run = rulelint("check", "mixed/zone.json", "--format", "json")
    findings = json.loads(run.out)["findings"]
    by_rule = {(f["rule"], f["location"]["rule_ref"]) for f in findings}
    # rule 1 ("partner_webhook") is suppressed for broad-skip, without a reason
    assert ("broad-skip", "partner_webhook") not in by_rule
    assert ("suppression-without-reason", "partner_webhook") in by_rule
    # rule 2 suppresses missing-ip-scope, which does not fire there
    unused = [f for f in findings if f["rule"] == "unused-suppression"]
    assert [(f["location"]["line"], f["message"]) for f in unused] == [
        (39, "suppression of missing-ip-scope is unused: it reports nothing here")
    ]


def test_json_marker_removed_brings_the_finding_back(rulelint, tmp_path):
    zone = json.loads((FIXTURES / "mixed" / "zone.json").read_text())
    rules = zone["zones"][0]["rulesets"]["entrypoints"]["http_request_firewall_custom"]["rules"]
    rules[1]["description"] = "partner webhook"
    (tmp_path / "zone.json").write_text(json.dumps(zone, indent=2))
    run = rulelint("check", "zone.json", "--format", "json", cwd=tmp_path)
    refs = {(f["rule"], f["location"]["rule_ref"]) for f in json.loads(run.out)["findings"]}
    assert ("broad-skip", "partner_webhook") in refs


def test_hcl_comment_markers(rulelint):
    run = rulelint("check", "terraform", "--format", "json")
    findings = [(f["rule"], f["location"]["line"], f["location"]["address"]) for f in json.loads(run.out)["findings"]]
    # rules[0] is broad-skip's alone now (one finding per cause) and its marker names
    # missing-ip-scope: unused; rules[1]'s marker has no reason; rules[2]'s suppresses nothing.
    assert findings == [
        ("unused-suppression", 9, "cloudflare_ruleset.waf_custom.rules[0]"),
        ("suppression-without-reason", 18, "cloudflare_ruleset.waf_custom.rules[1]"),
        ("unused-suppression", 32, "cloudflare_ruleset.waf_custom.rules[2]"),
    ]


def test_suppression_meta_findings_follow_selection(rulelint):
    run = rulelint("check", "terraform", "--format", "json", "--ignore", "suppression-without-reason,unused-suppression")
    assert [f["rule"] for f in json.loads(run.out)["findings"]] == []
