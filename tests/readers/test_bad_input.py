"""Each bad input gives one clear finding, and the other inputs are still read."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from rulelint.readers import read_paths

GOOD = '{"result": [{"id": "f", "expression": "ip.src eq 192.0.2.1", "paused": false}], "success": true}'


def _read_with_good(tmp_path: Path, bad: Path, **options):
    good = tmp_path / "good.json"
    good.write_text(GOOD)
    result = read_paths([str(bad), str(good)], **options)
    assert result.usable
    assert len(result.configuration.zones[0].filters) == 1
    problems = [(f.check, f.severity, f.message, f.location.file, f.location.line, f.location.column) for f in result.findings]
    return problems


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "result": [\n    {"id": "x",}\n  ]\n}')
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "invalid JSON: Expecting property name enclosed in double quotes", str(bad), 3, 16)
    ]


def test_invalid_hcl_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tf"
    bad.write_text('resource "cloudflare_filter" "x" {\n  expression = \n}\n')
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "invalid HCL: unexpected end of line", str(bad), 2, 16)
    ]


def test_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.json"
    bad.write_text("  \n")
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "empty file: expected Cloudflare JSON or Terraform HCL", str(bad), 1, 1)
    ]


def test_byte_order_mark_is_accepted_and_columns_ignore_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    result = read_paths([str(path)])
    assert result.findings == []
    assert result.configuration.zones[0].filters[0].origin.column == 13


def test_duplicate_key_warns_and_last_value_wins(tmp_path: Path) -> None:
    bad = tmp_path / "dup.json"
    bad.write_text('{"result": [{"id": "a", "expression": "true", "paused": true,\n "paused": false}], "success": true}')
    result = read_paths([str(bad)])
    assert [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.pointer) for f in result.findings] == [
        ("invalid-input", "warning", "duplicate key 'paused': written more than once in one object; the last value is used",
         2, 2, "/result/0/paused")
    ]
    assert result.configuration.zones[0].filters[0].paused is False


def test_unknown_shape(tmp_path: Path) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"name": "something else"}')
    problems = _read_with_good(tmp_path, bad)
    assert len(problems) == 1
    assert problems[0][:3] == ("invalid-input", "error", problems[0][2])
    assert problems[0][2].startswith("not a Cloudflare export: expected one of a rulesets list, a ruleset")


def test_huge_file_says_the_limit(tmp_path: Path) -> None:
    bad = tmp_path / "huge.json"
    bad.write_text(GOOD + " " * 1000)
    problems = _read_with_good(tmp_path, bad, max_bytes=1000)
    assert problems == [("invalid-input", "error",
                         f"file too large ({len(GOOD) + 1000} bytes): rulelint reads inputs up to 1000 bytes; "
                         "split the export per zone", str(bad), None, None)]


def test_huge_file_message_in_megabytes(tmp_path: Path) -> None:
    bad = tmp_path / "huge.json"
    with open(bad, "wb") as handle:
        handle.truncate(3 * 1048576 + 104858)
    problems = _read_with_good(tmp_path, bad, max_bytes=2 * 1048576)
    assert problems == [("invalid-input", "error",
                         "file too large (3.1 MB): rulelint reads inputs up to 2 MB; split the export per zone",
                         str(bad), None, None)]


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100000 + "]" * 100000)
    problems = _read_with_good(tmp_path, bad)
    assert problems == [("invalid-input", "error", "JSON nested too deeply to be a Cloudflare export; skipped", str(bad), 1, 1)]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_symlink_loop_in_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "good.json").write_text(GOOD)
    os.symlink(folder, folder / "again")
    result = read_paths([str(folder)])
    assert len(result.configuration.zones[0].filters) == 1
    assert [(f.check, f.severity, f.location.file, f.message) for f in result.findings] == [
        ("invalid-input", "warning", str(folder / "again"), f"symbolic link loop (already read as {folder}); skipped")
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_symlink_to_itself(tmp_path: Path) -> None:
    bad = tmp_path / "loop.json"
    os.symlink(bad, bad)
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "symbolic link loop; skipped", str(bad), None, None)
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "secret.json"
    bad.write_text(GOOD)
    bad.chmod(0)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root reads everything: refuse like the OS would
        import builtins

        real_open = builtins.open

        def guarded_open(file, *args, **kwargs):
            if str(file) == str(bad):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded_open)
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "cannot read (Permission denied); skipped", str(bad), None, None)
    ]


def test_nothing_usable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = read_paths([str(bad)])
    assert not result.usable and len(result.findings) == 1


def test_standard_input_is_detected_by_content(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'resource "cloudflare_filter" "f" {\n  expression = "true"\n}\n')))
    result = read_paths(["-"])
    assert result.findings == []
    assert result.configuration.zones[0].filters[0].origin.file == "<stdin>"


def test_unknown_values_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text('{"result": {"id": "r", "kind": "zone", "phase": "http_request_future", "rules": [\n'
                    ' {"action": "teleport", "expression": "true", "shiny": 1}]}, "success": true}')
    result = read_paths([str(path)])
    # An unknown phase or action is reported by the invalid-rule check, with the closest name.
    assert [(f.check, f.severity, f.message, f.location.line) for f in result.findings] == [
        ("unknown-value", "info", "unknown rule field 'shiny': kept as written, not analysed", 2),
    ]
    ruleset = result.configuration.zones[0].rulesets[0]
    assert ruleset.phase == "http_request_future" and ruleset.rules[0].action == "teleport"


def test_unresolved_interpolation(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "cloudflare_filter" "f" {\n  expression = "ip.src in {${join(" ", var.ips)}}"\n}\n')
    result = read_paths([str(path)])
    assert [(f.check, f.severity, f.location.line, f.location.column) for f in result.findings] == [
        ("unresolved-interpolation", "info", 2, 16)
    ]
    assert result.findings[0].message.startswith('expression uses ${join(" ", var.ips)}')
    assert result.configuration.zones[0].filters[0].expression.unresolved == '${join(" ", var.ips)}'


def test_wrong_types_in_bundle_are_findings_not_crashes(tmp_path: Path) -> None:
    bad = tmp_path / "bundle.json"
    bad.write_text(
        '{"bundle_format": "rulelint.zone-bundle/1", "account": {"id": 7},\n'
        ' "zones": [{"zone": {"id": 5, "name": "example.com"},\n'
        '            "rulesets": {"custom": [{"id": 3, "rules": [{"id": 9, "action": "block", "expression": 5}]}]}}]}'
    )
    result = read_paths([str(bad)])
    problems = [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.pointer)
                for f in result.findings]
    assert problems == [
        ("invalid-input", "warning", "account id must be a string, not a number: ignored", 1, 63, "/account/id"),
        ("invalid-input", "warning", "zone id must be a string, not a number: ignored", 2, 28, "/zones/0/zone/id"),
        ("invalid-input", "error", "rule expression must be a string, not a number: not analysed", 3, 100,
         "/zones/0/rulesets/custom/0/rules/0/expression"),
    ]
    zone = result.configuration.zones[0]
    assert (zone.id, zone.name) == (None, "example.com")
    assert [(rule.id, rule.action, rule.expression) for rule in zone.rulesets[0].rules] == [("9", "block", None)]


def _problems(path: Path) -> list[tuple]:
    result = read_paths([str(path)])
    return [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.pointer)
            for f in result.findings]


RULESET_HEAD = '{"result": {"id": "r", "kind": "zone", "phase": "http_request_firewall_custom", "rules": [\n'


def test_rule_items_that_are_not_objects_are_one_finding(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(RULESET_HEAD + ' {"id": "a", "action": "block", "expression": "true"},\n 1, 2, null]}, "success": true}\n')
    assert _problems(path) == [
        ("invalid-input", "error",
         "3 items are not objects: rules[1] (a number), rules[2] (a number) and rules[3] (null); ignored",
         3, 2, "/result/rules/1"),
    ]
    assert [rule.id for rule in read_paths([str(path)]).configuration.zones[0].rulesets[0].rules] == ["a"]


def test_rules_that_is_not_an_array(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"result": {"id": "r", "kind": "zone", "phase": "http_request_firewall_custom",\n "rules": "x"}}\n')
    assert _problems(path) == [
        ("invalid-input", "error", "rules must be an array of objects, not a string: ignored", 2, 11, "/result/rules"),
    ]


def test_one_rule_item_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(RULESET_HEAD + ' "block everything"]}}\n')
    assert _problems(path) == [
        ("invalid-input", "error", "rules[0] is a string, not an object: ignored", 2, 2, "/result/rules/0"),
    ]


def test_expression_that_is_not_a_string_in_json(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(RULESET_HEAD + ' {"id": "a", "action": "block", "expression": 5}]}}\n')
    assert _problems(path) == [
        ("invalid-input", "error", "rule expression must be a string, not a number: not analysed", 2, 47,
         "/result/rules/0/expression"),
    ]
    assert read_paths([str(path)]).configuration.zones[0].rulesets[0].rules[0].expression is None


def test_expression_that_is_not_a_string_in_terraform_v5(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "cloudflare_ruleset" "x" {\n  zone_id = "0da42c8d2132a9ddaf714f9e7c920711"\n'
                    '  kind = "zone"\n  phase = "http_request_firewall_custom"\n'
                    '  rules = [{\n    action = "block"\n    expression = 5\n  }]\n}\n')
    result = read_paths([str(path)])
    assert [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.address)
            for f in result.findings] == [
        ("invalid-input", "error", "rule expression must be a string, not a number: not analysed", 7, 18,
         "cloudflare_ruleset.x.rules[0].expression"),
    ]


def test_filter_expression_that_is_not_a_string(tmp_path: Path) -> None:
    path = tmp_path / "filters.json"
    path.write_text('{"result": [{"id": "f", "expression": true, "paused": false}]}\n')
    assert _problems(path) == [
        ("invalid-input", "error", "filter expression must be a string, not a boolean: not analysed", 1, 39,
         "/result/0/expression"),
    ]


def test_action_parameters_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(RULESET_HEAD + ' {"id": "a", "action": "skip", "expression": "true", "action_parameters": "x"}]}}\n')
    assert _problems(path) == [
        ("invalid-input", "error",
         "action_parameters must be an object, not a string: what the rule does is not analysed", 2, 75,
         "/result/rules/0/action_parameters"),
    ]
    rule = read_paths([str(path)]).configuration.zones[0].rulesets[0].rules[0]
    assert (rule.action, rule.skip, rule.action_parameters) == ("skip", None, {})


def _bundle_problems(tmp_path: Path, zones: str) -> list[tuple]:
    path = tmp_path / "bundle.json"
    path.write_text('{"bundle_format": "rulelint.zone-bundle/1",\n "zones": ' + zones + "}\n")
    return _problems(path)


def test_bundle_zones_that_is_not_an_array(tmp_path: Path) -> None:
    assert _bundle_problems(tmp_path, '"x"') == [
        ("invalid-input", "error", "zones must be an array of objects, not a string: ignored", 2, 11, "/zones"),
    ]


def test_bundle_without_zones(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text('{"bundle_format": "rulelint.zone-bundle/1"}\n')
    assert _problems(path) == [
        ("invalid-input", "error", 'bundle has no "zones" array (write [] for none)', 1, 1, ""),
    ]


def test_bundle_zone_entry_with_null_zone(tmp_path: Path) -> None:
    problems = _bundle_problems(tmp_path, '[\n  {"zone": null, "filters": [{"id": "f", "expression": "true"}]}]')
    assert problems == [
        ("invalid-input", "error",
         '"zone" must be an object naming the zone ({"id", "name", …}), not null: the entry is read as an unnamed zone',
         3, 12, "/zones/0/zone"),
    ]
    assert len(read_paths([str(tmp_path / "bundle.json")]).configuration.zones[0].filters) == 1


def test_bundle_zone_entry_without_zone(tmp_path: Path) -> None:
    assert _bundle_problems(tmp_path, '[\n  {"filters": []}]') == [
        ("invalid-input", "error",
         'zone entry has no "zone" object naming the zone ({"id", "name", …}): the entry is read as an unnamed zone',
         3, 3, "/zones/0"),
    ]


def test_bundle_section_of_the_wrong_type(tmp_path: Path) -> None:
    problems = _bundle_problems(tmp_path, '[\n  {"zone": {"id": "z", "name": "example.com"}, "page_rules": {}, "rulesets": []}]')
    assert problems == [
        ("invalid-input", "error", "rulesets must be an object, not an array: ignored", 3, 78, "/zones/0/rulesets"),
        ("invalid-input", "error", "page_rules must be an array of objects, not an object: ignored", 3, 62,
         "/zones/0/page_rules"),
    ]


@pytest.mark.parametrize(("content", "words"), [
    ("null\n", "a JSON null"), ("42\n", "a JSON number"), ('"str"\n', "a JSON string"), ("true\n", "a JSON boolean"),
])
@pytest.mark.parametrize("name", ["value.json", "value.txt"])
def test_json_scalar_is_not_an_export(tmp_path: Path, name: str, content: str, words: str) -> None:
    from rulelint.readers.api_json import EXPECTED

    path = tmp_path / name
    path.write_text(content)
    assert _problems(path) == [
        ("invalid-input", "error", f"not a Cloudflare export: the file holds {words}; expected one of {EXPECTED}",
         1, 1, None),
    ]


def test_plain_text_without_a_known_suffix_is_reported_as_hcl_without_parser_internals(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hi\n")
    assert _problems(path) == [
        ("invalid-input", "error", "invalid HCL: unexpected end of file (a block, string or expression is not finished)",
         1, 3, None),
    ]


def test_broken_json_without_a_known_suffix_reports_the_json_error(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text('{"result": [1,,]}\n')
    assert _problems(path) == [("invalid-input", "error", "invalid JSON: Expecting value", 1, 15, None)]


def test_terraform_without_a_known_suffix_is_read_as_hcl(tmp_path: Path) -> None:
    path = tmp_path / "waf.hcl"
    path.write_text('resource "cloudflare_filter" "f" {\n  expression = "true"\n}\n')
    result = read_paths([str(path)])
    assert result.findings == []
    assert result.configuration.zones[0].filters[0].expression.text == "true"


def test_unclosed_hcl_block_is_reported_on_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "cloudflare_ruleset" "x" {\n  name = "a"\n\n')
    assert _problems(path) == [
        ("invalid-input", "error", "invalid HCL: unexpected end of file (a block, string or expression is not finished)",
         2, 13, None),
    ]


def test_hcl_unexpected_token_names_what_is_written(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "x" "y" {\n  a = 42 42\n}\n')
    assert _problems(path) == [("invalid-input", "error", "invalid HCL: unexpected '42'", 2, 10, None)]


def test_truncated_json_is_reported_on_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"result": [\n  {"id": "1", "expression": "true"\n\n')
    assert _problems(path) == [
        ("invalid-input", "error", "invalid JSON: unexpected end of file (an object, array or string is not closed)",
         2, 35, None),
    ]
