"""``rulelint check -e EXPRESSION [--phase P] [--action A]``: one rule from the command line is
checked exactly like the same rule in a file, and its findings point into the expression."""

from __future__ import annotations

import json
from pathlib import Path

ADMIN = 'http.request.uri.path contains "/admin"'
CUSTOM = "http_request_firewall_custom"


def _findings(run) -> list[dict]:
    return json.loads(run.out)["findings"]


def _seen(finding: dict) -> tuple:
    """What a user reads of a finding, its place aside."""
    return finding["rule"], finding["severity"], finding["message"], finding["suggestion"]


def _at(finding: dict) -> str:
    location = finding["location"]
    return f"{location['file']}:{location['line']}:{location['column']}"


def test_a_broad_skip_reads_the_same_as_the_json_rule(rulelint, tmp_path: Path):
    rule = {"action": "skip", "expression": ADMIN, "action_parameters": {"ruleset": "current"}}
    path = tmp_path / "rule.json"
    path.write_text(json.dumps({"result": {"kind": "zone", "phase": CUSTOM, "rules": [rule]}}))
    from_file = rulelint("check", str(path), "--format", "json", "--no-cache", "--select", "broad-skip")
    typed = rulelint("check", "-e", ADMIN, "--phase", CUSTOM, "--action", "skip", "--format", "json",
                     "--no-cache", "--select", "broad-skip")
    assert typed.code == from_file.code == 1
    expected = [_seen(f) for f in _findings(from_file)]
    assert [_seen(f) for f in _findings(typed)] == expected
    assert expected[0][0] == "broad-skip" and expected[0][3]["expression"]
    assert [_at(f) for f in _findings(typed)] == ["<expression>:1:1"]


def test_the_text_report_shows_the_expression(rulelint):
    run = rulelint("check", "-e", ADMIN, "--phase", CUSTOM, "--action", "skip", "--no-cache", "--select", "broad-skip")
    assert run.code == 1
    assert "<expression>:1:1: error broad-skip Skip rule" in run.out
    assert f"1 | {ADMIN}" in run.out


def test_a_column_is_counted_in_the_expression_as_typed(rulelint):
    typed = 'http.host eq "a\\\\b" and http.response.code eq 200'  # quotes and escapes before the field
    run = rulelint("check", "-e", typed, "--phase", CUSTOM, "--action", "block", "--format", "json",
                   "--no-cache", "--select", "invalid-rule")
    assert run.code == 1
    [finding] = _findings(run)
    column = typed.index("http.response.code") + 1
    assert _at(finding) == f"<expression>:1:{column}"
    assert finding["location"]["end_column"] == column + len("http.response.code")


def test_a_misspelt_action_is_one_error_with_its_fix(rulelint):
    run = rulelint("check", "-e", "ip.src eq 192.0.2.1", "--phase", CUSTOM, "--action", "blok",
                   "--format", "json", "--no-cache", "--select", "invalid-rule")
    assert run.code == 1
    assert [(f["rule"], f["severity"], f["message"], f["location"]["file"]) for f in _findings(run)] == [
        ("invalid-rule", "error", 'action "blok" is not a rule action; did you mean block?', "<expression>")
    ]


def test_exit_codes_are_those_of_files(rulelint):
    assert rulelint("check", "-e", "ip.src eq 192.0.2.1", "--phase", CUSTOM, "--action", "block", "--no-cache").code == 0
    assert rulelint("check", "-e", "http.response.code eq 200", "--phase", CUSTOM, "--no-cache").code == 1
    assert rulelint("check", "-e", "http.host eq", "--no-cache").code == 1  # does not parse


def test_misuse_is_a_usage_error(rulelint):
    assert rulelint("check", "--phase", CUSTOM, "zone.json").code == 2
    run = rulelint("check", "-e", "true", "zone.json")
    assert run.code == 2 and "give no files" in run.err
    run = rulelint("check", "-e", "true", "--action", "skip", "--action-parameters", "[1]")
    assert run.code == 2 and "must be a JSON object" in run.err
