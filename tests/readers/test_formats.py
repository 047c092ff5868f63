"""The same zone read from API JSON, Terraform v4, Terraform v5 and a plan gives one model;
every object knows its file, line and locator."""

from __future__ import annotations

from pathlib import Path

from rulelint.model import sources
from rulelint.language.ast import Span
from rulelint.model.positions import locate
from rulelint.readers import read_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
SAME_ZONE = FIXTURES / "same-zone"
# Fields only an API export has (ids, zone name) and where things were written.
_POSITIONAL = {"origin", "raw", "content_offset", "quoting", "heredoc_indent", "field_origins", "source"}
_IDENTIFIERS = {"id", "ref", "filter_id"}


def _comparable(value, inside_parameters: bool = False):
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in _POSITIONAL or (key in _IDENTIFIERS and not inside_parameters):
                continue
            nested = inside_parameters or key in ("execute", "skip", "action_parameters")
            result[key] = _comparable(item, nested)
        return result
    if isinstance(value, list):
        return [_comparable(item, inside_parameters) for item in value]
    return value


def _model(path: Path):
    result = read_paths([str(path)])
    assert result.usable
    assert result.findings == []
    configuration = result.configuration
    assert len(configuration.zones) == 1
    zone = configuration.zones[0]
    assert zone.id == "0da42c8d2132a9ddaf714f9e7c920711"
    dumped = zone.model_dump()
    dumped.pop("name")  # only the API response names the zone
    return _comparable(dumped)


def test_same_zone_in_every_format_gives_the_same_model() -> None:
    api = _model(SAME_ZONE / "api-responses.json")
    assert _model(SAME_ZONE / "terraform-v4") == api
    assert _model(SAME_ZONE / "terraform-v5") == api
    assert _model(SAME_ZONE / "plan" / "plan.json") == api
    assert _model(SAME_ZONE / "terraform-json") == api
    assert len(api["rulesets"]) == 3 and len(api["page_rules"][0]["actions"]) == 3


def _line_of(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_api_json_origins_and_escapes() -> None:
    path = SAME_ZONE / "api-responses.json"
    zone = read_paths([str(path)]).configuration.zones[0]
    rule = zone.rulesets[0].rules[0]
    assert rule.origin.file == str(path)
    assert rule.origin.pointer == "/0/result/rules/0"
    assert (rule.origin.line, rule.origin.column) == (11, 9)
    expression = rule.expression
    # "/api/" starts after the escaped quote: offset 31 in the text, one column further in the file.
    start = expression.text.index("/api/")
    line, column = _line_of(path, '/api/\\"')
    assert locate(expression, Span(start, start + 5, 1, 1, 1, 1)) == (line, column, line, column + 5)
    # Past the escaped closing quote, each \" counts two columns in the file.
    ip = expression.text.index("ip.src")
    assert locate(expression, Span(ip, ip + 6, 1, 1, 1, 1))[1] == _line_of(path, "ip.src")[1]
    assert zone.page_rules[0].origin.pointer == "/3/result/0"


def test_json_unicode_escapes_and_surrogate_pairs(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"result": {"id": "r", "kind": "zone", "phase": "http_request_firewall_custom", "rules": [\n'
                    '  {"action": "block", "expression": "http.host eq \\"\\u00e9\\ud83d\\ude00\\" and ip.src eq 1.1.1.1"}]}}')
    rule = read_paths([str(path)]).configuration.zones[0].rulesets[0].rules[0]
    assert rule.expression.text == 'http.host eq "é😀" and ip.src eq 1.1.1.1'
    start = rule.expression.text.index("and")
    text = path.read_text()
    column = text.index("and") - text.rfind("\n", 0, text.index("and"))
    assert locate(rule.expression, Span(start, start + 3, 1, 1, 1, 1)) == (2, column, 2, column + 3)
    assert locate(rule.expression)[:2] == (2, text.index("http.host") - text.rfind("\n", 0, text.index("http.host")))


def test_terraform_v4_origins_addresses_and_heredoc() -> None:
    path = SAME_ZONE / "terraform-v4" / "main.tf"
    zone = read_paths([str(path)]).configuration.zones[0]
    custom = zone.rulesets[0]
    assert custom.origin.address == "cloudflare_ruleset.waf_custom"
    assert (custom.origin.file, custom.origin.line) == (str(path), _line_of(path, 'resource "cloudflare_ruleset" "waf_custom"')[0])
    second = custom.rules[1]
    assert second.origin.address == "cloudflare_ruleset.waf_custom.rules[1]"
    assert second.origin.line == _line_of(path, "rules {", 1)[0]
    heredoc = second.expression
    assert heredoc.quoting == "heredoc" and heredoc.heredoc_indent == 6
    start = heredoc.text.index("évil")
    assert locate(heredoc, Span(start, start + 4, 1, 1, 1, 1)) == (*_line_of(path, "évil"), _line_of(path, "évil")[0], _line_of(path, "évil")[1] + 4)
    managed_rule = zone.rulesets[1].rules[0]
    assert managed_rule.expression.quoting == "hcl"
    transform = zone.rulesets[2].rules[0]
    # uri.path.expression must give a string; a header value may be any one scalar.
    assert [e.context for e in transform.value_expressions] == ["string", "value"]
    value = transform.value_expressions[0]
    start = value.text.index("/new/")
    assert locate(value, Span(start, start + 5, 1, 1, 1, 1))[:2] == _line_of(path, '/new/\\"')
    assert zone.firewall_rules[0].filter.origin.address == "cloudflare_filter.partner"


def test_terraform_v5_origins_and_plain_heredoc() -> None:
    path = SAME_ZONE / "terraform-v5" / "main.tf"
    zone = read_paths([str(path)]).configuration.zones[0]
    rule = zone.rulesets[0].rules[1]
    assert rule.origin.address == "cloudflare_ruleset.waf_custom.rules[1]"
    assert rule.expression.quoting == "heredoc" and rule.expression.heredoc_indent == 0
    start = rule.expression.text.index("évil")
    assert locate(rule.expression, Span(start, start + 4, 1, 1, 1, 1))[:2] == _line_of(path, "évil")
    assert zone.settings["browser_check"].origin.address == "cloudflare_zone_setting.browser_check.value"


def test_plan_without_configuration_points_into_the_plan() -> None:
    path = SAME_ZONE / "plan" / "plan.json"
    zone = read_paths([str(path)]).configuration.zones[0]
    rule = zone.rulesets[0].rules[0]
    assert rule.origin.file == str(path)
    assert rule.origin.address == "module.edge.cloudflare_ruleset.waf_custom.rules[0]"
    assert rule.origin.pointer == "/planned_values/root_module/child_modules/0/resources/0/values/rules/0"
    assert rule.origin.line == _line_of(path, '"action": "skip"')[0] - 1


def test_plan_with_configuration_maps_to_tf_lines() -> None:
    directory = FIXTURES / "plan-with-configuration"
    zone = read_paths([str(directory / "plan.json")]).configuration.zones[0]
    tf = directory / "modules" / "edge" / "main.tf"
    rule = zone.rulesets[0].rules[0]
    assert rule.origin.file == str(tf)
    assert rule.origin.address == "module.edge.cloudflare_ruleset.waf_custom.rules[0]"
    assert rule.expression.origin.line == _line_of(tf, "expression")[0]
    assert rule.expression.quoting == "hcl"
    page_rule = zone.page_rules[0]
    assert (page_rule.origin.file, page_rule.origin.line) == (str(directory / "main.tf"), _line_of(directory / "main.tf", 'resource "cloudflare_page_rule"')[0])


def test_bundle_reads_every_section() -> None:
    path = FIXTURES / "bundle" / "zone-bundle.json"
    result = read_paths([str(path)])
    assert result.findings == []
    zone = result.configuration.zones[0]
    assert (zone.id, zone.name, zone.plan) == ("0da42c8d2132a9ddaf714f9e7c920711", "example.com", "free")
    assert [r.phase for r in zone.rulesets] == ["http_request_firewall_custom", "http_request_firewall_managed"]
    assert zone.rulesets[0].rules[0].origin.pointer == "/zones/0/rulesets/entrypoints/http_request_firewall_custom/rules/0"
    assert zone.unreadable[0].what == "rulesets:http_request_sbfm" and zone.unreadable[0].status == 403
    assert zone.unreadable[0].origin.line == _line_of(path, '"what"')[0]
    assert zone.settings["security_level"].value == "medium"
    assert zone.bot_management.fight_mode is True
    assert len(zone.dns_records) == 1 and zone.access_rules[0].mode == "whitelist"
    account = result.configuration.accounts[0]
    assert account.rulesets[0].account_level and zone.account_rulesets == account.rulesets


def test_cf_terraforming_output_reads_like_any_hcl() -> None:
    path = FIXTURES / "cf-terraforming" / "ruleset.tf"
    result = read_paths([str(path)])
    assert result.findings == []
    rule = result.configuration.zones[0].rulesets[0].rules[0]
    assert rule.id == "1a2b3c4d5e6f40718293a4b5c6d7e8f0"
    assert rule.origin.address == "cloudflare_ruleset.terraform_managed_resource_4c971a697dd249939460f4e2e6ff8f37.rules[0]"
