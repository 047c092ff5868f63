"""Positions of single settings: a finding can point at the exact value a user must change
(``fight_mode``, one Page Rule action, one zone setting, one field of a rule), in every format."""

from __future__ import annotations

from pathlib import Path

from rulelint.readers import read_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
SAME_ZONE = FIXTURES / "same-zone"


def _at(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column where ``needle`` is written (its ``occurrence``-th time)."""
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _written(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of ``needle`` written on one line."""
    line, column = _at(path, needle, occurrence)
    return line, column, line, column + len(needle)


def _span(origin) -> tuple[int, int, int | None, int | None]:
    return origin.line, origin.column, origin.end_line, origin.end_column


def _zone(path: Path):
    result = read_paths([str(path)])
    assert result.findings == []
    return result.configuration.zones[0]


# -- API JSON -------------------------------------------------------------------------------


def test_api_json_points_at_each_value() -> None:
    path = SAME_ZONE / "api-responses.json"
    zone = _zone(path)
    bots = zone.bot_management
    assert set(bots.field_origins) == {"fight_mode", "enable_js"}
    fight_mode = bots.field_origins["fight_mode"]
    assert (fight_mode.file, fight_mode.pointer) == (str(path), "/9/result/fight_mode")
    line, column = _at(path, '"fight_mode": true')
    assert _span(fight_mode) == (line, column + 14, line, column + 18)  # the `true`

    waf, level, disable = zone.page_rules[0].actions
    assert waf.origin.pointer == "/3/result/0/actions/0"  # the {"id": "waf", "value": "off"} object
    assert (waf.origin.line, waf.origin.column) == (_at(path, '"id": "waf"')[0] - 1, _at(path, '"id": "waf"')[1] - 2)
    assert waf.origin.end_line == _at(path, '"value": "off"')[0] + 1
    assert disable.origin.pointer == "/3/result/0/actions/2"
    assert level.origin.pointer == "/3/result/0/actions/1"

    setting = zone.settings["security_level"]  # array form [{id, value, editable, …}]
    assert setting.origin.pointer == "/10/result/0/value"
    line, column = _at(path, '"value": "medium"')
    assert _span(setting.origin) == (line, column + 9, line, column + 17)

    rule = zone.rulesets[0].rules[0]
    assert set(rule.field_origins) == {"action", "action_parameters", "expression", "description", "enabled"}
    assert rule.field_origins["action"].pointer == "/0/result/rules/0/action"
    line, column = _at(path, '"action": "skip"')
    assert _span(rule.field_origins["action"]) == (line, column + 10, line, column + 16)
    parameters = rule.field_origins["action_parameters"]
    assert parameters.pointer == "/0/result/rules/0/action_parameters"
    assert (parameters.line, parameters.column) == (_at(path, '"action_parameters": {')[0], _at(path, '"action_parameters": {')[1] + 21)
    assert rule.field_origins["expression"] == rule.expression.origin
    assert rule.field_origins["enabled"].pointer == "/0/result/rules/0/enabled"


def test_api_json_single_setting_response(tmp_path: Path) -> None:
    path = tmp_path / "waf.json"
    path.write_text('{"success": true, "errors": [], "messages": [],\n'
                    ' "result": {"id": "waf", "value": "on", "editable": true, "modified_on": null}}\n')
    setting = _zone(path).settings["waf"]
    assert setting.value == "on"
    assert (setting.origin.pointer, _span(setting.origin)) == ("/result/value", (2, 35, 2, 39))


def test_rule_without_optional_fields_locates_only_what_is_written(tmp_path: Path) -> None:
    path = tmp_path / "ruleset.json"
    path.write_text('{"result": {"id": "r", "kind": "zone", "phase": "http_request_firewall_custom",\n'
                    ' "rules": [{"action": "block", "expression": "ip.src eq 192.0.2.1"}]}}\n')
    rule = _zone(path).rulesets[0].rules[0]
    assert sorted(rule.field_origins) == ["action", "expression"]
    assert _span(rule.field_origins["action"]) == (2, 23, 2, 30)


# -- bundle ---------------------------------------------------------------------------------


def test_bundle_settings_map_and_bot_management(tmp_path: Path) -> None:
    path = FIXTURES / "bundle" / "zone-bundle.json"
    zone = _zone(path)
    fight_mode = zone.bot_management.field_origins["fight_mode"]
    assert fight_mode.pointer == "/zones/0/bot_management/fight_mode"
    line, column = _at(path, '"fight_mode": true')
    assert _span(fight_mode) == (line, column + 14, line, column + 18)
    setting = zone.settings["security_level"]  # {"security_level": {"value": "medium", …}}
    assert setting.origin.pointer == "/zones/0/settings/security_level/value"
    line, column = _at(path, '"value": "medium"')
    assert _span(setting.origin) == (line, column + 9, line, column + 17)

    bare = tmp_path / "bundle.json"  # a settings map of bare values
    bare.write_text('{"bundle_format": "rulelint.zone-bundle/1",\n'
                    ' "zones": [{"zone": {"id": "z1"},\n'
                    '   "settings": {"waf": "on"},\n'
                    '   "bot_management": {"fight_mode": true, "sbfm_definitely_automated": "block"}}]}\n')
    zone = _zone(bare)
    assert (zone.settings["waf"].origin.pointer, _span(zone.settings["waf"].origin)) == ("/zones/0/settings/waf", (3, 24, 3, 28))
    origins = zone.bot_management.field_origins
    assert _span(origins["sbfm_definitely_automated"]) == (4, 72, 4, 79)


def test_bundle_page_rule_actions(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text('{"bundle_format": "rulelint.zone-bundle/1", "zones": [{"zone": {"id": "z1"},\n'
                    ' "page_rules": [{"id": "p", "targets": [{"target": "url", "constraint": {"operator": "matches", "value": "a.example.com/*"}}],\n'
                    '  "actions": [{"id": "waf", "value": "off"}], "status": "active"}]}]}\n')
    action = _zone(path).page_rules[0].actions[0]
    assert (action.origin.pointer, _span(action.origin)) == ("/zones/0/page_rules/0/actions/0", (3, 15, 3, 44))


# -- Terraform ------------------------------------------------------------------------------


def test_terraform_v4_attributes(tmp_path: Path) -> None:
    path = SAME_ZONE / "terraform-v4" / "main.tf"
    zone = _zone(path)
    fight_mode = zone.bot_management.field_origins["fight_mode"]
    assert fight_mode.address == "cloudflare_bot_management.this.fight_mode"
    assert _span(fight_mode) == _written(path, "fight_mode = true")

    waf, level, disable = zone.page_rules[0].actions
    assert (waf.id, waf.value, waf.origin.address) == ("waf", "off", "cloudflare_page_rule.api.actions[0].waf")
    assert _span(waf.origin) == _written(path, 'waf              = "off"')
    assert disable.origin.address == "cloudflare_page_rule.api.actions[0].disable_security"
    assert _span(disable.origin) == _written(path, "disable_security = true")

    setting = zone.settings["browser_check"]
    assert setting.origin.address == "cloudflare_zone_settings_override.this.settings[0].browser_check"
    assert _span(setting.origin) == _written(path, 'browser_check  = "on"')

    rule = zone.rulesets[0].rules[0]
    assert _span(rule.field_origins["action"]) == _written(path, 'action      = "skip"')
    parameters = rule.field_origins["action_parameters"]
    assert parameters.address == "cloudflare_ruleset.waf_custom.rules[0].action_parameters[0]"
    assert (parameters.line, parameters.column) == _at(path, "action_parameters {")
    assert (rule.field_origins["expression"].line, rule.field_origins["expression"].column) == _at(path, "expression  =")
    assert rule.field_origins["expression"].end_column == rule.expression.origin.end_column

    waf_on = tmp_path / "main.tf"
    waf_on.write_text('resource "cloudflare_zone_settings_override" "z" {\n'
                      '  zone_id = "0da42c8d2132a9ddaf714f9e7c920711"\n'
                      '  settings {\n'
                      '    waf = "on"\n'
                      '  }\n'
                      '}\n')
    setting = _zone(waf_on).settings["waf"]
    assert (setting.value, setting.origin.address) == ("on", "cloudflare_zone_settings_override.z.settings[0].waf")
    assert _span(setting.origin) == (4, 5, 4, 15)


def test_terraform_v5_attributes(tmp_path: Path) -> None:
    path = SAME_ZONE / "terraform-v5" / "main.tf"
    zone = _zone(path)
    assert _span(zone.bot_management.field_origins["enable_js"]) == _written(path, "enable_js  = true")
    disable = zone.page_rules[0].actions[2]
    assert (disable.id, disable.origin.address) == ("disable_security", "cloudflare_page_rule.api.actions.disable_security")
    assert _span(disable.origin) == _written(path, "disable_security = true")
    setting = zone.settings["security_level"]
    assert setting.origin.address == "cloudflare_zone_setting.security_level.value"
    assert _span(setting.origin) == _written(path, 'value      = "medium"')
    rule = zone.rulesets[0].rules[0]
    assert _span(rule.field_origins["enabled"]) == _written(path, "enabled     = true")


def test_terraform_variable_points_at_its_default(tmp_path: Path) -> None:
    """A value taken from ``var.x`` is changed where the default is written."""
    path = tmp_path / "main.tf"
    path.write_text('variable "fight" {\n'
                    '  default = true\n'
                    '}\n'
                    'resource "cloudflare_bot_management" "b" {\n'
                    '  zone_id    = "0da42c8d2132a9ddaf714f9e7c920711"\n'
                    '  fight_mode = var.fight\n'
                    '}\n')
    bots = _zone(path).bot_management
    assert bots.fight_mode is True
    assert _span(bots.field_origins["fight_mode"]) == (2, 13, 2, 17)


# -- plan JSON ------------------------------------------------------------------------------


def test_plan_without_configuration_points_into_the_plan() -> None:
    path = SAME_ZONE / "plan" / "plan.json"
    zone = _zone(path)
    fight_mode = zone.bot_management.field_origins["fight_mode"]
    assert fight_mode.pointer == "/planned_values/root_module/resources/6/values/fight_mode"
    assert fight_mode.address == "cloudflare_bot_management.this.fight_mode"
    line, column = _at(path, '"fight_mode": true')
    assert _span(fight_mode) == (line, column + 14, line, column + 18)
    waf = zone.page_rules[0].actions[0]
    assert waf.origin.pointer == "/planned_values/root_module/resources/0/values/actions/waf"
    setting = zone.settings["browser_check"]
    assert setting.origin.pointer == "/planned_values/root_module/resources/8/values/value"


def test_plan_with_configuration_points_at_the_tf_attributes() -> None:
    directory = FIXTURES / "plan-with-configuration"
    zone = _zone(directory / "plan.json")
    main = directory / "main.tf"
    fight_mode = zone.bot_management.field_origins["fight_mode"]
    assert (fight_mode.file, fight_mode.address) == (str(main), "cloudflare_bot_management.this.fight_mode")
    assert _span(fight_mode) == _written(main, "fight_mode = true")
    waf = zone.page_rules[0].actions[0]
    assert (waf.origin.file, _span(waf.origin)) == (str(main), _written(main, 'waf              = "off"'))
    setting = zone.settings["browser_check"]
    assert _span(setting.origin) == _written(main, 'value      = "on"')
    edge = directory / "modules" / "edge" / "main.tf"
    rule = zone.rulesets[0].rules[0]
    assert rule.field_origins["action"].file == str(edge)
    assert _span(rule.field_origins["action"]) == _written(edge, 'action      = "skip"')


def test_json_field_origins_behave_as_a_plain_dict() -> None:
    """JSON field origins are computed when first read; copies and pickles see them."""
    import copy
    import pickle

    path = SAME_ZONE / "api-responses.json"
    rule = _zone(path).rulesets[0].rules[0]
    pickled = pickle.loads(pickle.dumps(rule.field_origins))  # before first use: pickled unfilled
    assert pickled == rule.field_origins and pickled["action"].pointer == "/0/result/rules/0/action"
    filled = pickle.loads(pickle.dumps(rule.field_origins))  # after: as the dict it is
    assert type(filled) is dict and filled == rule.field_origins
    assert copy.deepcopy(rule.field_origins) == dict(rule.field_origins.items())
    assert len(rule.field_origins) == 5 and "action" in rule.field_origins
    assert rule.field_origins.get("ratelimit") is None
    assert rule.model_dump()["field_origins"]["action"]["pointer"] == "/0/result/rules/0/action"
